"""The table grid, proven: every value keeps its full (row headers, column headers) path through cells that
span rows and columns at once, nested spans, spanning header rows and columns and ragged rows; and a property
test renders random span layouts to HTML and checks the parser returns the same grid."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from etl.tables import parse_table, resolve_grid, row_sentences

pytestmark = pytest.mark.unit


def table_el(html: str):
    return etree.fromstring(html, etree.HTMLParser()).find(".//table")


def facts(html: str) -> set[str]:
    """Each value as "row headers의 column headers: value" (the row sentences split into facts)."""
    table = parse_table(table_el(html))
    return {f.strip().rstrip(".") for line in row_sentences(table) for f in line.split(". ")}


def test_a_cell_spanning_rows_and_columns_fills_its_whole_rectangle():
    html = """<table>
      <tr><th>구분</th><th>상품</th><th>월 요금</th></tr>
      <tr><th scope="row">결합</th><td rowspan="2" colspan="2">문의 (상담 후 안내)</td></tr>
      <tr><th scope="row">단독</th></tr>
      <tr><th scope="row">기가</th><td>기가라이트</td><td>38,500원</td></tr>
    </table>"""
    grid = [[c.text for c in row] for row in resolve_grid(table_el(html))]
    assert grid == [["구분", "상품", "월 요금"], ["결합", "문의 (상담 후 안내)", "문의 (상담 후 안내)"],
                    ["단독", "문의 (상담 후 안내)", "문의 (상담 후 안내)"], ["기가", "기가라이트", "38,500원"]]
    assert "기가의 월 요금: 38,500원" in facts(html)  # the price stays under 월 요금, in the 기가 row
    assert "기가의 상품: 기가라이트" in facts(html)


def test_nested_spans_and_spanning_headers_keep_every_path():
    html = """<table>
      <thead>
        <tr><th rowspan="2">상품</th><th colspan="2">월 요금</th><th rowspan="2">비고</th></tr>
        <tr><th>무약정</th><th>3년 약정</th></tr>
      </thead>
      <tbody>
        <tr><th rowspan="2">기가라이트 500</th><td>38,500원</td><td rowspan="2">33,000원</td><td>신규</td></tr>
        <tr><td>40,700원</td><td>재약정</td></tr>
        <tr><th>기가인터넷 1G</th><td colspan="2">44,000원</td><td>-</td></tr>
      </tbody>
    </table>"""
    table = parse_table(table_el(html))
    assert (table.header_rows, table.header_cols) == (2, 1)
    assert table.column_titles() == ["상품", "월 요금(무약정)", "월 요금(3년 약정)", "비고"]
    got = facts(html)
    assert {"기가라이트 500의 월 요금(무약정): 38,500원", "기가라이트 500의 월 요금(3년 약정): 33,000원",
            "기가라이트 500의 월 요금(무약정): 40,700원", "기가라이트 500의 비고: 재약정",
            "기가인터넷 1G의 월 요금(무약정): 44,000원", "기가인터넷 1G의 월 요금(3년 약정): 44,000원"} <= got
    # the rowspan'd 33,000원 also belongs to the second 기가라이트 500 row, under the same column
    assert sum(line.count("33,000원") for line in row_sentences(table)) == 2


def test_a_spanning_header_column_names_every_row_it_covers():
    html = """<table>
      <tr><th>지역</th><th>구분</th><th>설치비</th></tr>
      <tr><th rowspan="3">수도권</th><td>신규</td><td>27,500원</td></tr>
      <tr><td>이전</td><td>22,000원</td></tr>
      <tr><td>추가 회선</td><td>11,000원</td></tr>
    </table>"""
    assert {"수도권의 구분: 이전", "수도권의 설치비: 22,000원", "수도권의 설치비: 11,000원"} <= facts(html)


def test_ragged_rows_leave_missing_cells_empty_and_values_in_place():
    html = """<table>
      <tr><th>상품</th><th>요금</th><th>비고</th></tr>
      <tr><td>라이트</td><td>9,900원</td></tr>
      <tr><td>베이직</td><td>13,200원</td><td>인기</td><td>(여분)</td></tr>
    </table>"""
    grid = [[c.text for c in row] for row in resolve_grid(table_el(html))]
    assert grid[1] == ["라이트", "9,900원", "", ""] and grid[2] == ["베이직", "13,200원", "인기", "(여분)"]
    assert {"라이트의 요금: 9,900원", "베이직의 비고: 인기"} <= facts(html)


@st.composite
def span_layouts(draw) -> tuple[int, list[tuple[int, int, int, int]]]:
    """A width and a tiling of a random grid by rectangles (row, col, rowspan, colspan), row-major order."""
    height, width = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    taken = [[False] * width for _ in range(height)]
    cells = []
    for r in range(height):
        for c in range(width):
            if taken[r][c]:
                continue
            run = 0
            while c + run < width and not taken[r][c + run]:
                run += 1
            colspan = draw(st.integers(1, run))
            rowspan = draw(st.integers(1, height - r))
            for dr in range(rowspan):
                for dc in range(colspan):
                    if taken[r + dr][c + dc]:  # a lower row already covered here: shorten the span
                        rowspan = dr
                        break
                else:
                    continue
                break
            rowspan = max(rowspan, 1)
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken[r + dr][c + dc] = True
            cells.append((r, c, rowspan, colspan))
    return width, cells


@settings(max_examples=200, deadline=None)
@given(span_layouts())
def test_random_span_layouts_round_trip_through_the_parser(layout):
    width, cells = layout
    height = max(r + rs for r, _, rs, _ in cells)
    rows_html = []
    expected = [[""] * width for _ in range(height)]
    for r in range(height):
        tds = []
        for n, (cr, cc, rs, cs) in enumerate(cells):
            if cr == r:
                tds.append(f'<td rowspan="{rs}" colspan="{cs}">v{n}</td>')
                for dr in range(rs):
                    for dc in range(cs):
                        expected[r + dr][cc + dc] = f"v{n}"
        rows_html.append("<tr>" + "".join(tds) + "</tr>")
    grid = resolve_grid(table_el("<table>" + "".join(rows_html) + "</table>"))
    assert [[c.text for c in row] for row in grid] == expected
