from __future__ import annotations

import pytest

from etl.html_page import PageError, parse_page
from tests.etl.pages import CANARIES, page

pytestmark = pytest.mark.unit


def all_text(parsed) -> str:
    parts = [parsed.title]
    for block in parsed.blocks:
        parts.append(block.text)
        if block.table is not None:
            parts.extend(cell for row in block.table.rows for cell in row)
    return "\n".join(parts)


BODY = """
<h4>가입 대상</h4>
<p>개인 고객이 가입할 수 있습니다.</p>
<h4>요금</h4>
<p>월 33,000원입니다.</p>
"""


def test_chrome_code_and_comments_never_reach_the_blocks():
    parsed = parse_page(page("기가인터넷 안내", BODY), "M001.html")
    text = all_text(parsed)
    for canary in CANARIES:
        assert canary not in text
    for chrome in ("공지사항", "로그아웃", "카테고리", "QUICK MENU", "요금계산기", "환영합니다", "개인정보처리방침",
                   "Copyright", "인쇄", "목록", "한빛 KMS"):
        assert chrome not in text, chrome
    assert "개인 고객이 가입할 수 있습니다." in text


def test_title_breadcrumb_and_metadata():
    parsed = parse_page(page("기가인터넷 안내", BODY, crumbs=("홈", "상품매뉴얼", "인터넷", "기가인터넷")), "M001.html")
    assert parsed.title == "기가인터넷 안내"
    assert parsed.breadcrumb == ("상품매뉴얼", "인터넷", "기가인터넷")
    assert parsed.manual_id == "KMS-T-0001"
    assert parsed.revision_date == "2026-03-02"
    assert not parsed.marked_old
    # The document-info line is metadata, not content.
    assert "문서번호" not in all_text(parsed)


@pytest.mark.parametrize(("shown", "iso"), [("2026.03.02", "2026-03-02"), ("2026년 3월 2일", "2026-03-02"),
                                            ("2025-11-30", "2025-11-30"), ("2024. 1. 5", "2024-01-05")])
def test_visible_id_and_revision_date_without_meta_tags(shown, iso):
    parsed = parse_page(page("안내", BODY, manual_id="KMS-MOV-0012", date=shown, meta=False), "M001.html")
    assert parsed.manual_id == "KMS-MOV-0012"
    assert parsed.revision_date == iso


def test_visible_date_is_the_revision_not_the_first_registration():
    body = '<table class="doc-info"><tr><th>최초 등록일</th><td>2020.01.01</td><th>문서번호</th><td>X-1</td>' \
           "<th>개정일</th><td>2026.04.01</td></tr></table>" + BODY
    parsed = parse_page(page("안내", body, manual_id=None, date=None, meta=False), "M001.html")
    assert parsed.revision_date == "2026-04-01"
    assert parsed.manual_id == "X-1"
    assert "최초 등록일" not in all_text(parsed)


def test_missing_metadata_is_none():
    parsed = parse_page(page("안내", BODY, manual_id=None, date=None, crumbs=()), "M001.html")
    assert (parsed.manual_id, parsed.revision_date, parsed.breadcrumb) == (None, None, ())


@pytest.mark.parametrize(
    ("status", "banner", "old"),
    [
        ("superseded", "", True),
        (None, '<div class="old-banner"><p>※ 본 문서는 구버전입니다. 최신 문서를 참고하세요.</p></div>', True),
        (None, "<p>[구버전] 2025년 요금 기준</p>", True),
        (None, "", False),
        # Content about old plans is not an old-version banner.
        (None, "<p>구버전 요금제(2019년 출시)는 신규 가입이 불가하며 기존 고객만 유지됩니다.</p>", False),
    ],
)
def test_marked_old(status, banner, old):
    parsed = parse_page(page("안내", BODY, status=status, banner=banner), "M001_old.html")
    assert parsed.marked_old is old


@pytest.mark.parametrize(
    ("crumb_html", "expected"),
    [
        ('<ol class="location"><li>홈</li><li>업무프로세스</li><li>이사/이전설치</li></ol>', ("업무프로세스", "이사/이전설치")),
        ('<nav aria-label="breadcrumb"><ul><li><a href="#">Home</a></li><li>인터넷</li></ul></nav>', ("인터넷",)),
        ('<div class="breadcrumb">홈 &gt; 상품매뉴얼 &gt; IPTV</div>', ("상품매뉴얼", "IPTV")),
        ('<p id="navi">HOME › 모바일 요금제 › 5G</p>', ("모바일 요금제", "5G")),
    ],
)
def test_breadcrumb_forms(crumb_html, expected):
    parsed = parse_page(page("안내", crumb_html + BODY, crumbs=()), "M001.html")
    assert parsed.breadcrumb == expected


def test_breadcrumb_drops_a_last_item_that_is_the_title():
    parsed = parse_page(page("이사 안내", BODY, crumbs=("홈", "업무프로세스", "이사 안내")), "M001.html")
    assert parsed.breadcrumb == ("업무프로세스",)


def test_headings_give_section_depths_below_the_title():
    body = "<h4>개요</h4><p>a</p><p class='stit2'><b>세부 조건</b></p><p>b</p><h5>예외</h5><p>c</p><h4>요금</h4><p>d</p>"
    parsed = parse_page(page("안내", body), "M001.html")
    headings = [(b.text, b.level) for b in parsed.blocks if b.kind == "heading"]
    # title is h3 here: h4 → 1, bold-only paragraph → one below the last heading, h5 → 2
    assert headings == [("개요", 1), ("세부 조건", 2), ("예외", 2), ("요금", 1)]


def test_lists_keep_symbols_and_get_consistent_markers():
    body = """<ul><li>■ 가입 대상: 개인</li><li>약정 선택<ul><li>3년 약정 할인</li><li>※ 위약금 발생</li></ul></li>
    <li>① 첫째</li><li>[필수] 신분증</li></ul>
    <ol><li>본인 확인</li><li>약정 안내</li><li>2) 이미 번호가 있는 항목</li></ol>"""
    parsed = parse_page(page("안내", body), "M001.html")
    texts = [b.text for b in parsed.blocks if b.kind == "text"]
    assert texts == [
        "■ 가입 대상: 개인\n- 약정 선택\n  - 3년 약정 할인\n  ※ 위약금 발생\n① 첫째\n- [필수] 신분증",
        "1. 본인 확인\n2. 약정 안내\n2) 이미 번호가 있는 항목",
    ]


FAQ_BODY = """
<div class="qna"><p class="q">Q. 세입자가 바뀌는데 인터넷을 넘겨도 되나요?</p>
<div class="a"><p>A. 명의변경으로 처리합니다.</p></div></div>
<div class="qna"><p class="q">Q. 이사 당일 인터넷이 끊기나요?</p>
<div class="a"><p>A. 반나절 정도 끊깁니다.</p></div></div>
<dl class="faq"><dt>Q1) 요금은 언제 나가나요?</dt><dd>매월 25일입니다.</dd><dt>질문: 해지는요?</dt><dd>고객센터에서 합니다.</dd></dl>
<p>Q 코드가 없는 보통 문단입니다.</p>
"""


def test_faq_questions_become_question_headings():
    parsed = parse_page(page("이사 자주 묻는 질문", FAQ_BODY), "M078.html")
    assert [(b.kind, b.text, b.question) for b in parsed.blocks] == [
        ("heading", "Q. 세입자가 바뀌는데 인터넷을 넘겨도 되나요?", True),
        ("text", "A. 명의변경으로 처리합니다.", False),
        ("heading", "Q. 이사 당일 인터넷이 끊기나요?", True),
        ("text", "A. 반나절 정도 끊깁니다.", False),
        ("heading", "Q1) 요금은 언제 나가나요?", True),
        ("text", "매월 25일입니다.", False),
        ("heading", "질문: 해지는요?", True),
        ("text", "고객센터에서 합니다.", False),
        ("text", "Q 코드가 없는 보통 문단입니다.", False),
    ]


def test_note_boxes_stay_one_block():
    body = '<div class="box_warning"><strong class="tit">주의</strong><p>명의자 본인만 신청합니다.</p>' \
           "<ul><li>대리인은 위임장 필요</li></ul></div><p>다음 문단</p>"
    parsed = parse_page(page("안내", body), "M001.html")
    assert [(b.kind, b.text) for b in parsed.blocks] == [
        ("note", "주의\n명의자 본인만 신청합니다.\n- 대리인은 위임장 필요"),
        ("text", "다음 문단"),
    ]


def test_inline_markup_does_not_split_words_and_images_give_alt_text():
    body = '<p>명의변경 <a href="files/a.pdf">신청서</a>가 <strong>반드시</strong> 필요합니다.<br>둘째 줄</p>' \
           '<p><img src="img/flow.png" alt="처리 흐름도"><img src="img/icon_file.png" alt="첨부"></p>'
    parsed = parse_page(page("안내", body), "M001.html")
    texts = [b.text for b in parsed.blocks]
    assert texts == ["명의변경 신청서가 반드시 필요합니다.\n둘째 줄", "[그림: 처리 흐름도]"]


def test_attachment_links_are_resolved_and_deduplicated():
    body = """<ul><li><a href="../files/%EC%9D%B4%EC%82%AC%EC%8B%A0%EC%B2%AD%EC%84%9C.pdf">이사신청서 양식</a></li>
    <li><a href="./../files/rates.xlsx"></a></li><li><a href="../files/rates.xlsx">요금표</a></li>
    <li><a href="../../../etc/passwd.pdf">escape</a></li><li><a href="M002.html">다른 문서</a></li>
    <li><a href="https://example.com/x.pdf">외부</a></li></ul>"""
    parsed = parse_page(page("안내", body), "internet/M001.html")
    assert [(link.path, link.name) for link in parsed.links] == [
        ("files/이사신청서.pdf", "이사신청서 양식"),
        ("files/rates.xlsx", "rates.xlsx"),
    ]


def test_malformed_html_still_parses():
    html = """<html><head><title>깨진 문서</title><body>
    <div class="content"><h3 class="subject">깨진 문서</h3>
    <p>첫 문단<p>둘째 문단 <b><i>굵게</b></i>
    <TABLE class=tbl><TR><TH>구분<TH>요금<TR><TD>기본<TD>1,000원<TR><TD>추가<TD>500원</TABLE>
    </div></span></div>
    <ul><li>항목1<li>항목2</ul>"""
    parsed = parse_page(html, "M001.html")
    assert parsed.title == "깨진 문서"
    text = all_text(parsed)
    for expected in ("첫 문단", "둘째 문단 굵게", "1,000원", "500원", "- 항목1\n- 항목2"):
        assert expected in text
    table = next(b.table for b in parsed.blocks if b.kind == "table")
    assert [list(r) for r in table.rows] == [["구분", "요금"], ["기본", "1,000원"], ["추가", "500원"]]


@pytest.mark.parametrize(
    "html",
    ["", "   ", "<html><body></body></html>", "<html><body><div id='gnb'><a href='#'>메뉴</a></div></body></html>",
     "<html><body><script>var a = '스크립트카나리아';</script></body></html>"],
)
def test_no_body_text_is_a_page_error(html):
    with pytest.raises(PageError, match="본문을 찾을 수 없습니다"):
        parse_page(html, "M001.html")


def test_xml_declaration_and_no_title_heading():
    html = '<?xml version="1.0" encoding="euc-kr"?><html><head><title>[KMS] 착신전환 - KMS 2.0</title></head>' \
           "<body><p>착신전환은 무료입니다.</p></body></html>"
    parsed = parse_page(html, "M001.html")
    assert parsed.title == "착신전환"
    assert [b.text for b in parsed.blocks] == ["착신전환은 무료입니다."]


def test_a_sentence_mentioning_the_labels_is_content_not_doc_info():
    body = "<p>문서번호와 개정일은 문서 상단에서 확인합니다.</p>" + BODY
    parsed = parse_page(page("안내", body), "M001.html")
    assert "문서번호와 개정일은 문서 상단에서 확인합니다." in all_text(parsed)
    assert "조회 120" not in all_text(parsed)
