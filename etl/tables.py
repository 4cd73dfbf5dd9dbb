"""HTML tables → a resolved grid with header rows/columns → JSON for display and Korean row sentences
for retrieval ("기가라이트 500의 월 요금(3년 약정): 33,000원")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from backend.chunk_layout import TableGrid, columns_line, row_sentence
from etl.html_clean import class_words
from etl.html_text import HEADING_TAGS, element_text, one_line, tag_of

_MAX_COLSPAN = 100
_MAX_ROWSPAN = 1000
_BLOCKS_IN_LAYOUT = ("div", "p", "ul", "ol", "dl", "blockquote", "section", "article")
_HEADER_STYLE_WORDS = {"th", "head", "header", "thead", "title", "tit"}


@dataclass(frozen=True)
class Cell:
    """One grid position (a spanning cell fills several)."""

    text: str
    th: bool  # a <th>
    header_like: bool  # a <th>, in a <thead>, or styled as a header (class "th"/"head", bold-only text)


def own_rows(table: etree._Element) -> list[etree._Element]:
    """The table's own `tr`s (not those of nested tables), thead first and tfoot last."""
    head, body, foot = [], [], []
    for child in table:
        tag = tag_of(child)
        if tag in ("thead", "tbody", "tfoot"):
            rows = [tr for tr in child if tag_of(tr) == "tr"]
            {"thead": head, "tbody": body, "tfoot": foot}[tag].extend(rows)
        elif tag == "tr":
            body.append(child)
    return head + body + foot


def own_cells(tr: etree._Element) -> list[etree._Element]:
    """The row's `td`/`th` cells."""
    return [c for c in tr if tag_of(c) in ("td", "th")]


def is_layout_table(table: etree._Element) -> bool:
    """A table used for page layout or as a box, not for data: role presentation, a cell holding a table or
    a heading, a single cell, or a small header-less table whose cells hold blocks (paragraphs, lists)."""
    if (table.get("role") or "").lower() in ("presentation", "none"):
        return True
    rows = own_rows(table)
    cells = [c for tr in rows for c in own_cells(tr)]
    if not cells:
        return True
    for cell in cells:
        if cell.find(".//table") is not None:
            return True
        if any(True for _ in cell.iter(*HEADING_TAGS)):
            return True
    if len(cells) == 1:
        return True
    has_th = any(tag_of(c) == "th" for c in cells)
    holds_blocks = any(any(tag_of(d) in _BLOCKS_IN_LAYOUT for d in c.iterdescendants()) for c in cells)
    return not has_th and holds_blocks and len(rows) <= 2


def _span(cell: etree._Element, name: str, limit: int) -> int:
    try:
        value = int((cell.get(name) or "1").strip())
    except ValueError:
        return 1
    if value == 0 and name == "rowspan":
        return limit  # HTML: rowspan=0 spans to the end of the table section
    return max(1, min(value, limit))


def _cell_text(cell: etree._Element) -> str:
    return " / ".join(element_text(cell).split("\n"))


def _styled_as_header(cell: etree._Element) -> bool:
    if tag_of(cell) == "th":
        return True
    tr = cell.getparent()
    section = tr.getparent() if tr is not None else None
    if section is not None and tag_of(section) == "thead":
        return True
    if class_words(cell) & _HEADER_STYLE_WORDS or (tr is not None and class_words(tr) & _HEADER_STYLE_WORDS):
        return True
    text = "".join(cell.itertext()).strip()
    if not text:
        return False
    # Bold-only text: the text of the outermost <b>/<strong> elements inside the cell is all of it.
    outer = [b for b in cell.iter("b", "strong") if not _inside_bold(b, cell)]
    return "".join("".join(b.itertext()) for b in outer).strip() == text


def _inside_bold(el: etree._Element, stop: etree._Element) -> bool:
    for ancestor in el.iterancestors():
        if ancestor is stop:
            return False
        if tag_of(ancestor) in ("b", "strong"):
            return True
    return False


def resolve_grid(table: etree._Element) -> list[list[Cell]]:
    """Rows × columns with rowspan/colspan resolved; ragged rows padded with empty cells; empty rows dropped."""
    rows = own_rows(table)
    grid: list[dict[int, Cell]] = []
    pending: dict[tuple[int, int], Cell] = {}
    for r, tr in enumerate(rows):
        row: dict[int, Cell] = {}
        c = 0
        for el in own_cells(tr):
            while (r, c) in pending:
                row[c] = pending.pop((r, c))
                c += 1
            cell = Cell(_cell_text(el), tag_of(el) == "th", _styled_as_header(el))
            rowspan = _span(el, "rowspan", min(_MAX_ROWSPAN, len(rows) - r))
            colspan = _span(el, "colspan", _MAX_COLSPAN)
            for dc in range(colspan):
                row[c + dc] = cell
                for dr in range(1, rowspan):
                    pending[(r + dr, c + dc)] = cell
            c += colspan
        for key in sorted(k for k in pending if k[0] == r):
            row[key[1]] = pending.pop(key)
        grid.append(row)
    width = max((max(row) + 1 for row in grid if row), default=0)
    empty = Cell("", False, False)
    full = [[row.get(c, empty) for c in range(width)] for row in grid]
    return [row for row in full if any(cell.text for cell in row)]


def parse_table(table: etree._Element) -> TableGrid | None:
    """A data table's grid, caption and header rows/columns; None for a table without any text."""
    grid = resolve_grid(table)
    if not grid:
        return None
    caption_el = table.find("caption")
    caption = one_line(caption_el) if caption_el is not None else ""
    caption = caption or " ".join((table.get("summary") or "").split())

    # Header rows: the leading rows made only of header cells (in a thead, <th>, or styled as a header:
    # class "th"/"head", bold-only text). A table that is all headers has none (it is all data).
    header_rows = 0
    while header_rows < len(grid) and _is_header_row(grid[header_rows]):
        header_rows += 1
    if header_rows >= len(grid):
        header_rows = 0

    # Header columns: leading columns that are <th> in every data row (th scope=row, or a th first column).
    header_cols = 0
    # Rows holding a single value (a note spanning the table) say nothing about row headers.
    data = [row for row in grid[header_rows:] if len({cell.text for cell in row if cell.text}) > 1]
    width = len(grid[0])
    while header_cols < width - 1 and data and all(row[header_cols].th for row in data):
        header_cols += 1

    return TableGrid(caption, tuple(tuple(cell.text for cell in row) for row in grid), header_rows, header_cols)


def _is_header_row(row: list[Cell]) -> bool:
    # An empty corner cell (<td></td> above the row headers) does not make a header row data.
    return any(c.header_like for c in row) and all(c.header_like or not c.text for c in row)


def row_sentences(table: TableGrid) -> list[str]:
    """One line per data row: "{행 제목}의 {열 제목}: {값}" facts joined with ". " (see `TableGrid.row_facts`)."""
    return [row_sentence(facts) for facts in table.row_facts()]


def table_pieces(
    table: TableGrid, prefix: str, budget: int, count: Callable[[str], int]
) -> list[tuple[str, TableGrid]]:
    """Split a table into chunks of whole rows: (text, json) pairs, each text = `prefix` + the column
    titles line + its rows' sentences, within `budget` tokens where possible (a single row larger than the
    budget stays whole). The titles line keeps every header cell in the text, including the title of the
    row-header column, which no row sentence names."""
    pairs = [(line, row) for line, row in _lines_with_rows(table)]
    if not pairs:
        return []
    titles = list(dict.fromkeys(t for t in table.column_titles() if t))
    if titles:
        prefix += columns_line(titles) + "\n"
    pieces: list[tuple[str, TableGrid]] = []
    lines: list[str] = []
    rows: list[tuple[str, ...]] = []
    used = count(prefix)
    for line, row in pairs:
        cost = count(line) + 1
        if lines and used + cost > budget:
            pieces.append((prefix + "\n".join(lines), table.with_data_rows(rows)))
            lines, rows, used = [], [], count(prefix)
        lines.append(line)
        rows.append(row)
        used += cost
    pieces.append((prefix + "\n".join(lines), table.with_data_rows(rows)))
    return pieces


def _lines_with_rows(table: TableGrid) -> list[tuple[str, tuple[str, ...]]]:
    out = []
    sentences = iter(row_sentences(table))
    for row in table.data_rows:
        if any(row):
            out.append((next(sentences), row))
    return out
