"""Units: the pieces of a passage the extractive answer can copy alone, with their context (the heading,
table caption or FAQ question above them) and their terms. Cached per chunk text. A line that speaks to a
language model instead of to the agent (`backend.text.injection`) is never part of a unit."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from backend.chunk_layout import PATH_SEP, TableGrid, parse_table_text, qa_marker, row_sentence
from backend.generate.base import Passage
from backend.text.analyzer import analyze
from backend.text.injection import addressed_to_model, without_model_sentences

LONG_LINE = 90  # a text line longer than this is split into sentences
_LIST_MARK = re.compile(r"^[-•·▶▷○●◆◇■□*]\s*")
_NUMBERED = re.compile(r"^(?:[①-⑳]|\d{1,2}[.)])\s*")
_SENTENCE_END = re.compile(r"(?<=[가-힣)][.!?])\s+(?=\S)")
_FIGURE = re.compile(r"^(?:\[(?:그림|첨부)[:\]]|그림\))")


@dataclass(frozen=True)
class Draft:
    """A copyable piece of one chunk, before scoring (cached per chunk text)."""

    text: str  # verbatim
    context: str  # the heading / table caption / FAQ question above it ("" if none)
    terms: frozenset[str]
    context_terms: frozenset[str]  # the context's and the chunk path's terms
    block: int = -1  # the items of one list share a block number
    name: str = ""  # a table row's first cell
    row_title: str = ""  # a table row's title (its row-header cells), when its grid is known
    cells: tuple[tuple[str, str], ...] = ()  # a table row's (column title, value) facts, in column order
    # Per cell: the terms of its column title no other column of the row has, less the row title's.
    column_terms: tuple[frozenset[str], ...] = ()
    shared_title: bool = False  # another row of the chunk's table has the same title


@dataclass
class Unit:
    draft: Draft
    passage: Passage
    rank: int  # the passage's position, 0-based
    order: int  # the position inside its chunk
    score: float = 0.0  # how well it matches the question (`selection.score_units`)
    shares: tuple[float, float] = (0.0, 0.0)  # the question's weighted share in its text, only in its context
    lead: float = 0.0  # how likely it holds the fact asked for (`lead.lead_scores`)

    def line(self) -> str:
        d = self.draft
        return f"- {d.context} — {d.text} [{self.passage.n}]" if d.context else f"- {d.text} [{self.passage.n}]"


def table_of(p: Passage) -> TableGrid | None:
    """The grid of a table chunk (None for a text chunk or a table stored without one)."""
    return p.chunk.table if p.chunk.kind == "table" else None


def _is_heading(line: str) -> bool:
    """A sub-heading line of a text chunk ("구비서류", "대리인 신청 시 > 첨부파일"): short, no list marker,
    no sentence end, no colon."""
    if len(line) > (60 if PATH_SEP in line else 25) or _LIST_MARK.match(line) or _NUMBERED.match(line) or qa_marker(line):
        return False
    return not (line.endswith((".", "다", "요", ")", "?", "!")) or ":" in line)


def _terms(text: str) -> frozenset[str]:
    return frozenset(analyze(text)) if text.strip() else frozenset()


@lru_cache(maxsize=4096)
def drafts_of(kind: str, text: str, table: TableGrid | None = None) -> tuple[Draft, ...]:
    """Cut one chunk text into units (see the module docstring); cached by chunk text and grid."""
    lines = [ln.strip() for ln in text.split("\n")]
    path_terms = _terms(lines[0]) if lines else frozenset()
    if kind == "table":
        return _table_drafts(lines[1:], path_terms, table)
    out: list[Draft] = []
    heading, question = "", ""
    entry = lines[0].rsplit(PATH_SEP, 1)[-1] if lines else ""
    if qa_marker(entry) == "Q":  # an FAQ entry's chunk: its question heads the path
        question = entry
    heading_terms: frozenset[str] = frozenset()
    block, blocks = -1, 0
    for line in lines[1:]:
        line = without_model_sentences(line)
        if not line or _FIGURE.match(line):
            block = -1
            continue
        qa = qa_marker(line)
        if qa == "Q":
            question, block = line, -1
            continue
        if _is_heading(line):
            heading, heading_terms, question, block = line, _terms(line), "", -1
            continue
        item = bool(_LIST_MARK.match(line) or _NUMBERED.match(line))
        if item and block < 0:
            blocks += 1
            block = blocks
        elif not item:
            block = -1
        if qa and question:
            context, ctx_terms = question, _terms(question)
        else:
            context, ctx_terms = heading, heading_terms
        body = _LIST_MARK.sub("", line)
        for piece in _SENTENCE_END.split(body) if len(body) > LONG_LINE else [body]:
            if piece.strip():
                out.append(Draft(piece.strip(), context, _terms(piece), ctx_terms | path_terms, block if item else -1))
        if qa:
            question = ""
    return tuple(out)


def _table_drafts(lines: list[str], path_terms: frozenset[str], grid: TableGrid | None) -> tuple[Draft, ...]:
    table = parse_table_text(lines)
    ctx_terms = _terms(f"{table.caption} {table.columns}") | path_terms
    facts = grid.row_facts() if grid is not None else []
    # The grid's rows are used only when they render to exactly the row sentences of the text.
    if len(facts) != len(table.rows) or any(row_sentence(f) != row for f, row in zip(facts, table.rows)):
        return tuple(Draft(row, table.caption, _terms(row), ctx_terms) for row in table.rows
                     if not addressed_to_model(row))
    names = grid.row_names() if grid is not None else ()
    titles = Counter(f.title for f in facts)
    column_terms = {column: _terms(column) for f in facts for column, _ in f.cells}
    return tuple(
        Draft(row, table.caption, _terms(row), ctx_terms, name=name, row_title=f.title if not f.note else "",
              cells=f.cells, column_terms=_distinctive([column_terms[c] for c, _ in f.cells], _terms(f.title)),
              shared_title=titles[f.title] > 1)
        for row, f, name in zip(table.rows, facts, names)
        if not addressed_to_model(row)
    )


def _distinctive(columns: list[frozenset[str]], row_terms: frozenset[str]) -> tuple[frozenset[str], ...]:
    """Each column's terms that no other column has, less the row title's ("3년" of "월 이용료 (VAT 포함)
    3년 약정", not the "월 이용료" every price column has)."""
    seen = Counter(t for terms in columns for t in terms - row_terms)
    return tuple(frozenset(t for t in terms - row_terms if seen[t] == 1) for terms in columns)
