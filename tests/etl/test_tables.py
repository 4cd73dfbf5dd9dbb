from __future__ import annotations

import pytest
from lxml import etree

from backend.chunk_layout import combine_headers
from etl.html_page import parse_page
from etl.tables import is_layout_table, parse_table, row_sentences, table_pieces
from tests.etl.pages import page, word_count

pytestmark = pytest.mark.unit


def table_of(html: str):
    el = etree.fromstring(html, etree.HTMLParser()).find(".//table")
    return parse_table(el)


def test_rowspan_and_colspan_fill_every_covered_cell():
    t = table_of("""<table>
      <tr><th>구분</th><th>상품</th><th>요금</th><th>비고</th></tr>
      <tr><td rowspan="2">인터넷</td><td>500M</td><td>33,000원</td><td rowspan="3">VAT 포함</td></tr>
      <tr><td>1G</td><td>38,500원</td></tr>
      <tr><td>TV</td><td colspan="2">별도 문의</td></tr>
      <tr><td colspan="4">※ 약정 기준</td></tr>
    </table>""")
    assert [list(r) for r in t.rows] == [
        ["구분", "상품", "요금", "비고"],
        ["인터넷", "500M", "33,000원", "VAT 포함"],
        ["인터넷", "1G", "38,500원", "VAT 포함"],
        ["TV", "별도 문의", "별도 문의", "VAT 포함"],
        ["※ 약정 기준"] * 4,
    ]
    assert (t.header_rows, t.header_cols) == (1, 0)


def test_ragged_rows_are_padded_and_spans_clipped():
    t = table_of("<table><tr><th>a</th><th>b</th><th>c</th></tr><tr><td rowspan='9'>1</td></tr>"
                 "<tr><td>2</td><td>3</td></tr></table>")
    assert [list(r) for r in t.rows] == [["a", "b", "c"], ["1", "", ""], ["1", "2", "3"]]


def test_multi_row_headers_combine_and_row_headers_are_found():
    t = table_of("""<table><caption>월 요금</caption>
      <thead><tr><th rowspan="2">상품</th><th colspan="2">월 요금</th><th rowspan="2">속도</th></tr>
      <tr><th>3년 약정</th><th>무약정</th></tr></thead>
      <tbody><tr><th scope="row">기가라이트 500</th><td>33,000원</td><td>38,500원</td><td>500Mbps</td></tr>
      <tr><th scope="row">기가인터넷 1G</th><td>38,500원</td><td>44,000원</td><td>1Gbps</td></tr></tbody>
      <tfoot><tr><td colspan="4">※ 부가세 포함</td></tr></tfoot></table>""")
    assert (t.caption, t.header_rows, t.header_cols) == ("월 요금", 2, 1)
    assert t.column_titles() == ["상품", "월 요금(3년 약정)", "월 요금(무약정)", "속도"]
    assert row_sentences(t) == [
        "기가라이트 500의 월 요금(3년 약정): 33,000원. 기가라이트 500의 월 요금(무약정): 38,500원. "
        "기가라이트 500의 속도: 500Mbps.",
        "기가인터넷 1G의 월 요금(3년 약정): 38,500원. 기가인터넷 1G의 월 요금(무약정): 44,000원. "
        "기가인터넷 1G의 속도: 1Gbps.",
        "※ 부가세 포함",
    ]


def test_combine_headers():
    assert combine_headers(["월 요금", "3년 약정"]) == "월 요금(3년 약정)"
    assert combine_headers(["구분", "구분"]) == "구분"
    assert combine_headers(["", "요금"]) == "요금"
    assert combine_headers(["월 이용료 (VAT 포함)", "무약정"]) == "월 이용료 (VAT 포함) 무약정"


def test_header_rows_in_tbody_and_rows_styled_as_headers():
    all_th = table_of("<table><tbody><tr><th>항목</th><th>내용</th></tr><tr><td>가입비</td><td>면제</td></tr></tbody></table>")
    assert all_th.header_rows == 1
    styled = table_of('<table><tr><td class="th"><b>항목</b></td><td class="th"><b>내용</b></td></tr>'
                      "<tr><td>가입비</td><td>면제</td></tr></table>")
    bold = table_of("<table><tr><td><strong>항목</strong></td><td><b>내용</b></td></tr>"
                    "<tr><td>가입비</td><td>면제</td></tr></table>")
    for t in (styled, bold):
        assert t.header_rows == 1
        assert row_sentences(t) == ["가입비의 내용: 면제."]


def test_key_value_table_with_th_first_column():
    t = table_of("<table><tr><th>가입 조건</th><td>만 19세 이상</td></tr><tr><th>약정</th><td>3년</td></tr></table>")
    assert (t.header_rows, t.header_cols) == (0, 1)
    assert row_sentences(t) == ["가입 조건: 만 19세 이상.", "약정: 3년."]


def test_no_headers_uses_first_column_or_row_number():
    t = table_of("<table><tr><td>A</td><td>1</td><td>2</td></tr><tr><td></td><td>3</td><td>4</td></tr></table>")
    assert row_sentences(t) == ["A: 1. A: 2.", "2행: 3. 2행: 4."]


def test_layout_detection():
    def layout(html: str) -> bool:
        return is_layout_table(etree.fromstring(html, etree.HTMLParser()).find(".//table"))

    assert layout("<table><tr><td><table><tr><td>x</td></tr></table></td><td>side</td></tr></table>")
    assert layout("<table><tr><td>one box</td></tr></table>")
    assert layout("<table role='presentation'><tr><td>a</td><td>b</td></tr></table>")
    assert layout("<table><tr><td><h3>제목</h3></td><td>b</td></tr></table>")
    assert layout("<table><tr><td><p>본문</p><ul><li>a</li></ul></td><td><div>side</div></td></tr></table>")
    assert not layout("<table><tr><th>a</th><th>b</th></tr><tr><td><p>x</p></td><td>y</td></tr></table>")
    assert not layout("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>")


def test_nested_layout_table_is_unwrapped_and_inner_table_indexed():
    body = """<table class="layout" width="100%" border="0"><tr>
      <td class="cont"><p>아래 표를 참고하세요.</p>
        <table class="tbl"><tr><th>상품</th><th>요금</th></tr><tr><td>라이트</td><td>9,900원</td></tr></table></td>
      <td class="side"><div class="side_box">※ VAT 포함</div></td></tr></table>
      <table class="box" width="100%"><tr><td>상담 시 반드시 본인 확인</td></tr></table>"""
    parsed = parse_page(page("요금", body), "M001.html")
    kinds = [(b.kind, b.text) for b in parsed.blocks]
    assert kinds == [("text", "아래 표를 참고하세요."), ("table", ""), ("note", "※ VAT 포함"),
                     ("note", "상담 시 반드시 본인 확인")]
    table = parsed.blocks[1].table
    assert [list(r) for r in table.rows] == [["상품", "요금"], ["라이트", "9,900원"]]


def _big_table(rows: int):
    cells = "".join(f"<tr><th scope='row'>상품{i}</th><td>{i},000원</td><td>옵션 {i}호</td></tr>" for i in range(rows))
    return table_of(f"<table><caption>대형 표</caption><thead><tr><th>상품</th><th>요금</th><th>비고</th></tr></thead>"
                    f"<tbody>{cells}</tbody></table>")


def test_large_table_splits_by_whole_rows_with_header_repeated():
    t = _big_table(40)
    prefix = "요금 안내 > 요금표\n표: 대형 표\n"
    pieces = table_pieces(t, prefix, budget=60, count=word_count)
    assert len(pieces) > 3
    seen_rows = []
    for text, data in pieces:
        assert text.startswith(prefix)
        assert word_count(text) <= 60
        assert data.header_rows == 1 and data.rows[0] == ("상품", "요금", "비고")
        body_rows = data.rows[1:]
        seen_rows.extend(body_rows)
        for row in body_rows:  # each row's sentence is whole in this piece
            assert f"{row[0]}의 요금: {row[1]}. {row[0]}의 비고: {row[2]}." in text
    assert seen_rows == list(t.data_rows)


def test_a_row_larger_than_the_budget_stays_whole():
    t = _big_table(3)
    pieces = table_pieces(t, "p\n", budget=5, count=word_count)
    assert len(pieces) == 3
    assert all(len(data.rows) == 2 for _, data in pieces)


def test_every_cell_value_reaches_the_text():
    t = _big_table(25)
    texts = "\n".join(text for text, _ in table_pieces(t, "x\n", budget=80, count=word_count))
    for row in t.rows:
        for cell in row:
            assert cell in texts
