"""dashboard/display.py: manual text is shown as text (the browser test checks the rendered page too)."""

from __future__ import annotations

import re

import pytest

from backend.chunk_layout import TableGrid
from dashboard.display import escape_markdown, highlight, table_frame

pytestmark = pytest.mark.unit


def test_markdown_and_html_syntax_is_escaped():
    out = escape_markdown("**굵게** [지금 확인](javascript:alert(1)) <img src=x onerror=alert(1)> # 제목")
    assert "](" not in out and not re.search(r"(?<!\\)[<>\[\]*#]", out)


@pytest.mark.parametrize("text", ["http://evil.example/steal", "HTTPS://evil.example", "www.evil.example", "a@evil.example"])
def test_bare_urls_and_addresses_cannot_autolink(text):
    out = escape_markdown(f"문의는 {text} 로")
    assert not re.search(r"(?i)[a-z]\\?://|www\\?\.|[\w.]@", out)
    assert out.replace("\u2060", "").replace("\\", "") == f"문의는 {text} 로"  # reads the same


def test_line_breaks_survive():
    assert escape_markdown("첫 줄\n둘째 줄") == "첫 줄  \n둘째 줄"


def test_highlight_bolds_the_question_words_in_escaped_text():
    out = highlight("접수 시간은 10:30 까지 (평일)", ["접수", "평일", "시"])
    assert "**접수**" in out and "\\(**평일**\\)" in out and "**시**" not in out


def test_table_frame_takes_titles_from_the_last_header_row():
    columns, rows = table_frame(TableGrid.from_dict({"header_rows": 2, "rows": [["요금", "요금"], ["이름", "이름"], ["슬림", "27,500원"]]}))
    assert columns == ["이름", "이름 (2)"] and rows == [["슬림", "27,500원"]]
    assert table_frame(None) is None


def test_the_table_view_highlights_the_cells_the_answer_quotes():
    from backend.chunk_layout import TableGrid
    from dashboard.display import STATED_CELL_CSS, table_view

    table = TableGrid("요금표", (("상품", "3년 약정", "무약정"), ("기가라이트 500", "33,000원", "44,000원"),
                                 ("기가인터넷 1G", "38,500원", "49,500원")), header_rows=1)
    plain = table_view(table)
    assert list(plain.columns) == ["상품", "3년 약정", "무약정"] and plain.shape == (2, 3)
    styled = table_view(table, "기가인터넷 1G의 3년 약정: 38,500원 [1]\n- 기가인터넷 1G의 무약정: 49,500원 [1]")
    css = styled._compute().ctx  # (row, column) -> [(property, value)] of the highlighted cells
    assert sorted(css) == [(1, 1), (1, 2)]
    assert css[(1, 1)] == [tuple(p.strip() for p in d.split(":")) for d in STATED_CELL_CSS.split(";")]
    assert table_view(None) is None


def test_a_row_or_a_column_said_once_highlights_its_cells():
    from backend.chunk_layout import TableGrid, column_line, row_line

    table = TableGrid("폰케어 상품 비교", (("구분", "폰케어 라이트", "폰케어 플러스"), ("월 이용료", "3,300원", "5,900원"),
                                        ("보장 범위", "파손", "분실·도난·파손")), header_rows=1, header_cols=1)
    down = column_line("폰케어 플러스", [("월 이용료", "5,900원"), ("보장 범위", "분실·도난·파손")]) + " [1]"
    assert table.stated_cells(down) == {(0, 2), (1, 2)}
    across = "첫 줄 [1]\n- " + row_line("보장 범위", [("폰케어 라이트", "파손"), ("폰케어 플러스", "분실·도난·파손")]) + " [1]"
    assert table.stated_cells(across) == {(1, 1), (1, 2)}
    # Line 1's whole row comes after the table's caption.
    captioned = "폰케어 상품 비교 — " + row_line("월 이용료", [("폰케어 라이트", "3,300원"), ("폰케어 플러스", "5,900원")]) + " [1]"
    assert table.stated_cells(captioned) == {(0, 1), (0, 2)}
    # A value that only begins a stated one is not stated ("파손" of "분실·도난·파손" under another head).
    assert table.stated_cells(column_line("폰케어 라이트", [("보장 범위", "파손 포함")])) == set()


def test_only_distinctive_question_words_are_bolded():
    from dashboard.display import question_words

    words = question_words("고객님이 인터넷 해지 위약금 문의", ["인터넷 해지 시 위약금", "인터넷 설치 안내"])
    assert "해지" in words and "위약금" in words
    assert "고객님" not in words and "문의" not in words  # frame words
    assert "인터넷" not in words  # in every source shown: it marks nothing


def test_answer_parts_and_the_crm_copy():
    from dashboard.display import answer_parts, crm_text

    text = "기가인터넷 1G의 3년 약정: 38,500원 [1]\n- 설치비 27,500원 [1, 2]"
    assert answer_parts(text) == ("기가인터넷 1G의 3년 약정: 38,500원 [1]", "- 설치비 27,500원 [1, 2]")
    assert crm_text(text) == "기가인터넷 1G의 3년 약정: 38,500원\n- 설치비 27,500원"


@pytest.mark.parametrize("text", [":material/rocket_launch:", ":rocket:", ":+1:", ":red[빨간 글씨]", ":blue-badge[배지]",
                                  "앞 :material/home: 뒤"])
def test_streamlit_shortcodes_are_defused(text):
    # Streamlit finds these after Markdown's backslashes are gone: a word joiner after the colon stops it.
    out = escape_markdown(text)
    assert not re.search(r":(?:\\)?[\w+-]", out.replace("\u2060", "@@")), out
    assert out.replace("\u2060", "").replace("\\", "") == text


def test_heading_underlines_indented_code_and_underscored_www_stay_text():
    out = escape_markdown("요금 안내\n=====\n\n    들여쓴 줄\n_www.evil.example")
    assert "\\=\\=" in out and "\n    " not in out and "www\u2060" in out


def test_a_download_file_name_is_made_safe():
    from dashboard.display import safe_file_name

    assert safe_file_name("files/../../etc/passwd") == "passwd"
    assert safe_file_name('files/a"b\r\n<c>.pdf') == "a_b_c_.pdf"
    assert safe_file_name("files/") == "첨부파일"
