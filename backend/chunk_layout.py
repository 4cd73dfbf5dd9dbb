"""The text layout of a chunk and its typed table: the one module that renders it (the ETL) and parses it
back (the extractive answerer, the pages). Nothing else tests strings such as "표:" or "Q.".

The text of a chunk, exactly as it is indexed and embedded:

    기가인터넷 요금 > 약정 할인                  the path line: "{title} > {h2} > {h3}"
    (text chunk)  body lines; a sub-section's own heading path where sections share a chunk; an FAQ entry
                  as its question line ("Q. …", also "Q1) …", "Q: …", "질문: …", "[Q] …") and answer ("A. …")
    (table chunk) 표: 요금표                    the caption line, when the table has a caption
                  열: 상품 | 월 요금(3년 약정)    the column line: the column titles
                  기가라이트 500의 월 요금(3년 약정): 33,000원.   one row sentence per data row

`TableGrid` is a table chunk's grid (`Chunk.table`): the header rows followed by the rows the chunk
holds, every spanning cell's text copied into each position it covers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

PATH_SEP = " > "
CAPTION_PREFIX = "표: "
COLUMNS_PREFIX = "열: "
COLUMN_SEP = " | "

# The question line of an FAQ entry as manuals write it: "Q. …", "Q1) …", "Q: …", "질문: …", "[Q] …".
_QUESTION_LINE = re.compile(r"^(?:Q\s*\d{0,3}\s*[.:)]|\[Q\]|질문\s*\d{0,3}\s*[.:)])\s*\S", re.IGNORECASE)
# Its answer: "A. …", "A: …", "[A] …", "답변: …" (not "A) …", which numbers list items).
_ANSWER_LINE = re.compile(r"^(?:A\s*\d{0,3}\s*[.:]|\[A\]|답변?\s*[.:])\s*\S")


# --------------------------------------------------------------------------- the table


def combine_headers(parts: Sequence[str]) -> str:
    """Multi-row header texts of one column → one title: "상위(하위)" ("월 요금(3년 약정)"), or "상위 하위"
    when the upper text already ends in parentheses ("월 이용료 (VAT 포함) 3년 약정"); repeated and empty
    parts dropped."""
    out: list[str] = []
    for p in parts:
        if p and (not out or out[-1] != p):
            out.append(p)
    if not out:
        return ""
    if len(out) == 1:
        return out[0]
    if out[0].endswith(")"):
        return " ".join(out)
    return f"{out[0]}({' '.join(out[1:])})"


@dataclass(frozen=True)
class RowFacts:
    """One data row as facts: its title and (column title, value) pairs; `note` for a row of one value."""

    title: str
    cells: tuple[tuple[str, str], ...]
    note: bool = False


def cell_fact(row_title: str, column: str, value: str) -> str:
    """One table fact: "{행 제목}의 {열 제목}: {값}" ("{행 제목}: {값}" for a column without a title)."""
    return f"{row_title}의 {column}: {value}" if column else f"{row_title}: {value}"


def row_line(row_title: str, cells: Sequence[tuple[str, str]]) -> str:
    """Cells of one row as one answer line, the row title said once: "{행 제목} — {열}: {값} · {열}: {값}"
    (a row sentence repeats the title before every cell, which search needs and a reader does not)."""
    return f"{row_title} — " + " · ".join(f"{c}: {v}".rstrip(". ") if c else v.rstrip(". ") for c, v in cells)


def column_line(column: str, cells: Sequence[tuple[str, str]]) -> str:
    """Cells of one column down several rows, the column title said once: "{열 제목} — {행}: {값} · {행}: {값}"
    (a table whose products are its columns, read for the product a question names)."""
    return f"{column} — " + " · ".join(f"{r}: {v}".rstrip(". ") for r, v in cells)


def _facts_by_head(text: str) -> dict[str, list[str]]:
    """The facts each "{head} — fact · fact" line of `text` (or part of one between " / ") states, by head;
    a head may follow a caption ("{caption} — {head} — fact · fact"), so every " — " starts a head's facts."""
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        for part in line.removeprefix("- ").split(" / "):
            pieces = part.split(" — ")
            for i, head in enumerate(pieces[:-1]):
                out.setdefault(head, []).extend(" — ".join(pieces[i + 1 :]).split(" · "))
    return out


def _states(facts_by_head: dict[str, list[str]], head: str, fact: str) -> bool:
    """Whether `fact` is stated after `head` (`_facts_by_head`)."""
    # the last fact of a line goes on with the note and the marks: "… · 열: 값 (VAT 포함) [1]"
    return any(f == fact or f.startswith((f"{fact} (", f"{fact} [")) for f in facts_by_head.get(head, ()))


def row_sentence(facts: RowFacts) -> str:
    """A row sentence of a table chunk: its facts joined with ". " ("기가라이트 500의 월 요금: 33,000원.")."""
    if facts.note:
        return facts.title
    if not facts.cells:
        return facts.title.rstrip(". ") + "."
    return ". ".join(cell_fact(facts.title, c, v).rstrip(". ") for c, v in facts.cells) + "."


@dataclass(frozen=True)
class TableGrid:
    """A resolved table: `rows` holds the `header_rows` header rows first, then data rows; the first
    `header_cols` columns of a data row are its row headers."""

    caption: str = ""
    rows: tuple[tuple[str, ...], ...] = field(default_factory=tuple)
    header_rows: int = 0
    header_cols: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", tuple(tuple(str(c) for c in r) for r in self.rows))
        object.__setattr__(self, "header_rows", int(self.header_rows or 0))
        object.__setattr__(self, "header_cols", int(self.header_cols or 0))

    @property
    def data_rows(self) -> tuple[tuple[str, ...], ...]:
        return self.rows[self.header_rows :]

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def column_titles(self) -> list[str]:
        """Per column: the header rows' texts combined ("월 요금" over "3년 약정" → "월 요금(3년 약정)")."""
        width = len(self.rows[0]) if self.rows else 0
        return [combine_headers([self.rows[r][c] for r in range(self.header_rows)]) for c in range(width)]

    def title_row(self) -> tuple[str, ...]:
        """The last header row (the titles a data grid shows above its columns); () without headers."""
        return self.rows[self.header_rows - 1] if 0 < self.header_rows <= len(self.rows) else ()

    def row_names(self) -> tuple[str, ...]:
        """The first cell of each non-empty data row, in row-sentence order."""
        return tuple(r[0] if r else "" for r in self.data_rows if any(r))

    def stated_cells(self, text: str) -> set[tuple[int, int]]:
        """(data row, column) of every cell `text` states: as `cell_fact` writes it ("행의 열: 값"), in a
        `row_line` ("행 — 열: 값 · …") or in a `column_line` ("열 — 행: 값 · …"): the cells an answer quotes,
        for the table shown under it."""
        titles = self.column_titles()
        said = _facts_by_head(text)
        out = set()
        for i, row in enumerate(self.data_rows):
            title = self._row_title(i + 1, row)
            for c in range(max(self.header_cols, 1), len(row)):
                column = titles[c] if c < len(titles) else ""
                value = row[c].rstrip(". ")
                if row[c] and (cell_fact(title, column, row[c]) in text
                               or (column and (_states(said, title, f"{column}: {value}")
                                               or _states(said, column, f"{title}: {value}")))):
                    out.add((i, c))
        return out

    def _row_title(self, n: int, row: Sequence[str]) -> str:
        """The row-header cells' text (the first column when there are none; "N행" when that is empty)."""
        return " ".join(dict.fromkeys(v for v in row[: max(self.header_cols, 1)] if v)) or f"{n}행"

    def row_facts(self) -> list[RowFacts]:
        """What each non-empty data row states, in row order (one `row_sentence` each).

        The row title is the row-header cells' text (or the first column when there are none, or "N행" when
        that is empty). A row holding one distinct value (a note spanning the table) is that value alone.
        Columns without a title give facts without one."""
        titles = self.column_titles()
        first_value_col = max(self.header_cols, 1)
        out = []
        for n, row in enumerate(self.data_rows, start=1):
            distinct = list(dict.fromkeys(v for v in row if v))
            if not distinct:
                continue
            if len(distinct) == 1:
                out.append(RowFacts(distinct[0], (), note=True))
                continue
            title = self._row_title(n, row)
            cells = tuple((titles[c] if c < len(titles) else "", row[c])
                          for c in range(first_value_col, len(row)) if row[c])
            out.append(RowFacts(title, cells))
        return out

    def with_data_rows(self, data_rows: Sequence[Sequence[str]]) -> TableGrid:
        """The same table holding only `data_rows` (a chunk's share of a long table)."""
        return TableGrid(self.caption, self.rows[: self.header_rows] + tuple(tuple(r) for r in data_rows),
                         self.header_rows, self.header_cols)

    def to_dict(self) -> dict[str, Any]:
        """The JSON stored with the chunk (the embedded index's chunks.jsonl, the OpenSearch `table` field)."""
        return {"caption": self.caption, "header_rows": self.header_rows, "header_cols": self.header_cols,
                "rows": [list(r) for r in self.rows]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TableGrid:
        """Inverse of `to_dict`."""
        return cls(d.get("caption") or "", tuple(tuple(r) for r in d.get("rows") or ()),
                   int(d.get("header_rows") or 0), int(d.get("header_cols") or 0))


# --------------------------------------------------------------------------- rendering (the ETL)


def path_line(title: str, section: Sequence[str]) -> str:
    """The first line of every chunk: "{title} > {h2} > {h3}"."""
    return PATH_SEP.join([title, *section])


def caption_line(caption: str) -> str:
    """A table chunk's caption line ("표: 요금표")."""
    return f"{CAPTION_PREFIX}{caption}"


def columns_line(titles: Sequence[str]) -> str:
    """A table chunk's column line ("열: 상품 | 월 요금"): every header cell in the text, including the
    title of the row-header column, which no row sentence names."""
    return COLUMNS_PREFIX + COLUMN_SEP.join(titles)


def is_question_line(text: str) -> bool:
    """An FAQ entry's question line, as manuals write it ("Q. …", "Q1) …", "질문: …", "[Q] …")."""
    return bool(_QUESTION_LINE.match(text))


# --------------------------------------------------------------------------- parsing (answers, pages)


def qa_marker(line: str) -> Literal["Q", "A"] | None:
    """"Q" for an FAQ question line, "A" for its answer line ("A. …"), else None."""
    if _QUESTION_LINE.match(line):
        return "Q"
    if _ANSWER_LINE.match(line):
        return "A"
    return None


def faq_question(text: str) -> str:
    """The question of an FAQ entry's chunk (the last part of its path line), without its "Q." marker;
    "" when the chunk is no FAQ entry."""
    entry = text.split("\n", 1)[0].rsplit(PATH_SEP, 1)[-1]
    return without_qa_marker(entry).strip() if qa_marker(entry) == "Q" else ""


def without_qa_marker(line: str) -> str:
    """An FAQ line's text without its "Q." / "A." (or "Q1)", "질문:", "[A]" …) marker."""
    match = _QUESTION_LINE.match(line) or _ANSWER_LINE.match(line)
    return line[match.end() - 1 :].strip() if match else line.strip()


def split_path(text: str) -> tuple[str, str]:
    """(the path line, the rest) of a chunk's text."""
    head, _, rest = text.partition("\n")
    return head, rest


def body_of(text: str) -> str:
    """A chunk's text without its path line (what a page shows under the title)."""
    head, rest = split_path(text)
    return rest if rest else head


@dataclass(frozen=True)
class TableText:
    """A table chunk's text parsed back: caption, column line and row sentences."""

    caption: str
    columns: str
    rows: tuple[str, ...]


def parse_table_text(lines: Sequence[str]) -> TableText:
    """The lines of a table chunk after its path line → caption, columns and row sentences."""
    caption, columns = "", ""
    rows: list[str] = []
    for line in lines:
        if line.startswith(CAPTION_PREFIX):
            caption = line[len(CAPTION_PREFIX) :].strip()
        elif line.startswith(COLUMNS_PREFIX):
            columns = line[len(COLUMNS_PREFIX) :].strip()
        elif line:
            rows.append(line)
    return TableText(caption, columns, tuple(rows))
