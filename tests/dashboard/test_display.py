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
