"""Composition: the answer's first line states the one fact asked for, the lines under it support it.

An agent on a call reads line 1 to the customer. Line 1 is the candidate unit most likely to hold the fact asked for
(`lead`), cut down to what the question asks: for a table row, the cells at the columns the question names ("기가라이트
500의 월 이용료 3년 약정: 33,000원"), with the table's note ("VAT 포함") when no column title says it, or, when it names no
column, the whole row after the table's caption, its title said once ("셋톱 오류 코드 — E-602 — 의미: … · 조치: …"); for a
sentence, the sentence, and when it introduces the list right under it, the list's items the answer shows ("… 다시
페어링하도록 안내합니다. ① … · ② …"); for an item of a list, the list's items the answer shows ("구비서류 — ① … · ② … · ③ …": a
list of documents is one answer). Rows of the same table that the question names too join line 1 (a comparison's two
products), in the order it names them, each named by its title or by the part of its title that tells it from the
table's other rows ("홈무제한 라이트 플러스 차이": "홈 무제한 라이트 — … / 홈 무제한 플러스 — …"). Where the question names a column and no
row (neither its title nor one of its values), line 1 reads that column down the table's rows the answer shows ("폰케어
아이리스 전용 — 월 이용료: 8,900원 · 보장 범위: …": a table whose products are its columns). The rest of line 1's row follows right
under it, then the other selected units, the likeliest first; a row of line 1's table among them shows only line 1's
columns. A list's items, and short sentences under one heading, share a supporting line, the heading said once.

Every selected unit stays in the answer but those the line-1 scorer all but rules out (`MIN_SUPPORT_LEAD`):
capping the supporting lines at a number lost answer facts on all three question sets (dev, held-out,
welfare_qa) while the line-1 scorer picks the fact-bearing unit for about two questions in three; see
docs/research/answer-first.md.

A change record ("30,250원 → 33,000원": the asked kind of value on both sides of an arrow) says what a value
*was*; it never opens an answer while anything else can, and comes last among the supporting lines.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from backend.chunk_layout import cell_fact, column_line, row_line
from backend.generate.extractive.lead import column_share, row_named
from backend.generate.extractive.units import LONG_LINE, Unit, drafts_of, table_of
from backend.text.answer_types import holds
from backend.text.normalize import squash

MAX_HEAD_ROWS = 2  # table rows line 1 may state (a comparison of two products)
MAX_HEAD_CELLS = 2  # cells of one row line 1 may state
COLUMN_SHARE = 0.5  # a column named by the question holds at least this share of the best column's weight
# Least line-1 score (`lead`) of a supporting unit outside a list: 0.1 shortened the median answer on dev and
# welfare_qa (held-out as it was) and lost no fact on any of the three sets; 0.15 lost facts on held-out.
MIN_SUPPORT_LEAD = 0.1
SHORT_UNIT = LONG_LINE  # a sentence this short shares a supporting line with the others under its heading
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_ARROW = re.compile(r"\s*(?:→|->|⇒|=>)\s*")
_NOTE = re.compile(r"\(([^()]*)\)\s*$")


@dataclass(frozen=True)
class Answer:
    """The composed answer: line 1 and the supporting lines (each ending in its [n])."""

    head: str
    support: tuple[str, ...]

    def text(self) -> str:
        return "\n".join([self.head, *(f"- {line}" for line in self.support)])


def is_change_record(text: str, answer_types: list[re.Pattern[str]]) -> bool:
    """A "before → after" record: an arrow with the asked kind of value (or, when the question asks for
    no kind, a number) on both sides."""
    parts = _ARROW.split(text)
    if len(parts) < 2:
        return False
    kinds = answer_types or [re.compile(r"\d")]
    return any(holds(a[-20:], kinds) and holds(b[:20], kinds) for a, b in pairwise(parts))


def compose(selected: list[Unit], pool: list[Unit], weights: dict[str, float],
            answer_types: list[re.Pattern[str]], question: str, typed: frozenset[str]) -> Answer:
    """Line 1 and the supporting lines (see the module docstring). `selected`: the units the answer may
    copy; `pool`: the candidates, each with its `lead` score (line 1 may come from any of them); `typed`:
    the question's own terms (`Plan.typed`)."""
    # Line 1 may come from any candidate on a page the selection cites (never a page it does not).
    cited = {u.passage.chunk.page for u in selected}
    by_lead = sorted([u for u in pool if u.passage.chunk.page in cited] or selected,
                     key=lambda u: (-u.lead, -u.score, u.rank, u.order))
    lead = next((u for u in by_lead if not is_change_record(u.draft.text, answer_types)), by_lead[0])
    # Cells only where the question names both the row (`_named_rows`) and the column, and the row's title
    # names one row of its table (rows "3년 약정 | 12개월 이하" and "3년 약정 | 13~24개월" differ in a cell);
    # else the whole unit. Two rows named: both, by the columns named, or whole.
    named = _named_rows(lead, by_lead, question)
    cell_answer = bool(named) and not lead.draft.shared_title
    columns = _asked_columns(lead, weights) if cell_answer else []
    heads = [lead]
    if columns or len(named) > 1:  # a comparison: the rows the question names, in the order it names them
        heads = named[:MAX_HEAD_ROWS]
        columns = columns or [c for c, _ in lead.draft.cells]
    down: list[str] = []  # the columns line 1 reads down, over the rows the answer shows
    if not columns and _is_row(lead) and not _row_identified(lead, question):
        # The question names a column and no row ("아이리스폰 보험": the column "폰케어 아이리스 전용" of a
        # table whose rows are 보장 범위, 월 이용료, …): line 1 reads that column down the rows shown.
        rows = [lead, *(u for u in selected if u is not lead and _same_table(u, lead) and _is_row(u))]
        if not any(u.draft.shared_title for u in rows):
            down = _named_columns(lead, weights, question, typed)
            # in the table's order, over the chunks it is cut into
            heads = sorted(rows, key=lambda u: (u.passage.chunk.chunk_no, u.order)) if down else heads
    if not columns and not down and lead.draft.block >= 0:  # a list item opens with the list's shown items
        heads = sorted([lead, *(u for u in selected if u is not lead and _same_list(u, lead))], key=lambda u: u.order)
    elif not columns and not down and lead.draft.block < 0 and not _is_row(lead):
        # A sentence that introduces the list right under it, under the same heading ("다시 페어링하도록
        # 안내합니다." then ① … ④): the list's items the answer shows come with it.
        follows = [u for u in selected if u.rank == lead.rank and u.draft.block >= 0
                   and u.draft.context == lead.draft.context and _starts_after(u, lead, selected)]
        heads = [lead, *sorted(follows, key=lambda u: u.order)]
    # A supporting unit the line-1 scorer all but rules out is left out; a list's items stay together.
    rest = [u for u in selected
            if all(u is not h for h in heads) and (u.lead >= MIN_SUPPORT_LEAD or u.draft.block >= 0)]
    rest.sort(key=lambda u: (is_change_record(u.draft.text, answer_types), -u.lead, u.rank, u.order))
    support = _support_lines(rest, lead, columns)
    if columns:  # what the row says besides the cells asked for stays, right under them
        others = [c for c, _ in lead.draft.cells if c not in columns]
        remainder = _cells_line([lead], others, note="") if others else ""
        if remainder:
            support.insert(0, remainder)
    # A whole row opens the answer after its caption (which says where the row comes from), its title said once.
    if columns:
        head = _cells_line(heads, columns, _note(lead.draft.context, columns))
    elif down:
        head = _column_line(heads, down, _note(lead.draft.context, down))
    elif len(heads) > 1 and heads[0].draft.block < 0:  # an introduction, then its list's items
        intro, *items = heads
        head = _under(intro.draft.context, f"{intro.draft.text} {_joined(items)}", intro.passage.n)
    elif len(heads) > 1:
        head = _list_line(heads)
    else:
        head = _under(lead.draft.context, row_line(lead.draft.row_title, lead.draft.cells), lead.passage.n) \
            if _is_row(lead) else _as_written(lead)  # "셋톱 오류 코드 — E-602 — 의미: … · 조치: …"
    return Answer(head, tuple(support))


def _support_lines(rest: list[Unit], lead: Unit, columns: list[str]) -> list[str]:
    """The supporting lines of `rest`, in its order: a row of line 1's table by line 1's columns (`columns`),
    another row by its cells, the other units under their context; the units that share a line
    (`_shared_line`) are written on it in their chunk's order ("처리 절차 — ① … · ② … [n]"), where the first
    of them stands."""
    lines: list[str | list[Unit]] = []
    shared: dict[tuple[int, int | str], list[Unit]] = {}  # by `_shared_line`
    for u in rest:
        if columns and _same_table(u, lead):
            # by line 1's columns; a row with none of them (another table under the same heading) whole
            lines.append(_cells_line([u], columns, note="") or _line(u))
        elif (key := _shared_line(u)) is None:
            lines.append(_line(u))
        elif key in shared:
            shared[key].append(u)
        else:
            shared[key] = [u]
            lines.append(shared[key])
    return [line if isinstance(line, str) else _list_line(sorted(line, key=lambda u: u.order)) for line in lines]


def _shared_line(u: Unit) -> tuple[int, int | str] | None:
    """What a supporting unit shares a line with: the items of its list, or the short sentences under its
    heading (long ones stand alone: five long sentences on one line are no longer read at a glance); None
    for a table row and a unit without heading."""
    if _is_row(u):
        return None
    if u.draft.block >= 0:
        return u.rank, u.draft.block
    return (u.rank, u.draft.context) if u.draft.context and len(u.draft.text) <= SHORT_UNIT else None


def _starts_after(u: Unit, lead: Unit, selected: list[Unit]) -> bool:
    """Whether `u` is an item of the list that begins right after `lead` in its chunk."""
    first = min((v.order for v in selected if _same_list(v, u)), default=-1)
    return first == lead.order + 1


def _same_list(a: Unit, b: Unit) -> bool:
    return a.draft.block >= 0 and a.rank == b.rank and a.draft.block == b.draft.block


def _list_line(items: list[Unit]) -> str:
    """Units of one chunk and context on one line, after the context ("구비서류 — A · B · C [n]")."""
    return _under(items[0].draft.context, _joined(items), items[0].passage.n)


def _joined(items: list[Unit]) -> str:
    return " · ".join(u.draft.text for u in items)


def _under(context: str, text: str, n: int) -> str:
    """An answer line: the context (heading, caption, FAQ question) and " — " when there is one, the text,
    its mark."""
    return f"{context} — {text} [{n}]" if context else f"{text} [{n}]"


def _is_row(u: Unit) -> bool:
    """A table row whose grid is known: stated by its cells, not by its row sentence."""
    return bool(u.draft.cells) and bool(u.draft.row_title)


def _line(u: Unit) -> str:
    """A supporting line: a table row by its cells, its title said once ("행 — 열: 값 · 열: 값"; the caption
    is line 1's or the cited passage's to tell), other units as written."""
    if _is_row(u):
        return _cells_line([u], [c for c, _ in u.draft.cells], note="")
    return _as_written(u)


def _as_written(u: Unit) -> str:
    return _under(u.draft.context, u.draft.text, u.passage.n)


def _cells_line(rows: list[Unit], columns: list[str], note: str) -> str:
    """The cells of `rows` at `columns` ("행의 열: 값" for one cell, "행 — 열: 값 · 열: 값" for more; rows
    of more than one cell apart by " / "), then the note and the marks ("" when none of the rows has a value
    there)."""
    facts = []
    several = False
    for u in rows:
        cells = dict(u.draft.cells)
        picked = [(c, cells[c]) for c in columns if cells.get(c)]
        if len(picked) > 1:
            facts.append(row_line(u.draft.row_title, picked))
            several = True
        elif picked:
            facts.append(cell_fact(u.draft.row_title, *picked[0]))
    return _closed((" / " if several else " · ").join(facts), note, rows, columns) if facts else ""


def _column_line(rows: list[Unit], columns: list[str], note: str) -> str:
    """`columns` read down `rows` (`column_line`, a column after the other, " / " between them; "" when no
    row has a value there), then the note and the marks."""
    parts = []
    for c in columns:
        cells = [(u.draft.row_title, v) for u in rows if (v := dict(u.draft.cells).get(c))]
        if cells:
            parts.append(column_line(c, cells))
    return _closed(" / ".join(parts), note, rows, columns) if parts else ""


def _closed(body: str, note: str, rows: list[Unit], columns: list[str]) -> str:
    """A line of `rows`' cells at `columns` closed by the table's note in parentheses (if any) and the marks
    of the rows that have a value there (a mark never points at a row the line does not state)."""
    stating = [u for u in rows if any(dict(u.draft.cells).get(c) for c in columns)]
    marks = " ".join(dict.fromkeys(f"[{u.passage.n}]" for u in stating))
    return body + (f" ({note})" if note else "") + f" {marks}"


def _same_table(a: Unit, b: Unit) -> bool:
    """Rows of one table: of one chunk, or of one page under the same caption or heading with the same
    column titles (a table cut into several chunks; two tables under one heading differ in their columns)."""
    if not a.draft.cells or a.passage.chunk.doc_id != b.passage.chunk.doc_id or a.draft.context != b.draft.context:
        return False
    return a.passage.chunk.chunk_id == b.passage.chunk.chunk_id or _header_rows(a) == _header_rows(b)


def _header_rows(u: Unit) -> tuple[tuple[str, ...], ...] | None:
    """The header rows of the unit's table, which give its column titles."""
    table = table_of(u.passage)
    return table.rows[: table.header_rows] if table is not None else None


def _named_rows(lead: Unit, units: list[Unit], question: str) -> list[Unit]:
    """The rows of `lead`'s table among `units` that the question names, in the order it names them; []
    unless `lead` is one of them. A row is named by its title, or by the part of its title that tells it
    from the table's other rows (the title less what all the titles begin and end with: "에센스" of
    "한빛TV 에센스" beside "한빛TV 라이트", "플러스" of "홈 무제한 플러스"), spaces ignored; a longer name
    said wins over a name inside it ("스탠다드 플러스" names "5G 스탠다드 플러스", not "5G 스탠다드").
    Rows that share a title are never named (they differ in a cell the title does not say)."""
    if not _is_row(lead) or lead.draft.shared_title:
        return []
    said = squash(question)
    names = _distinct_names(lead)
    rows = {lead.draft.row_title: lead}  # one unit per title: a chunk may repeat a row another one has
    for u in units:
        if _same_table(u, lead) and _is_row(u) and not u.draft.shared_title:
            rows.setdefault(u.draft.row_title, u)
    # A row is named by a part of its title only among the rows of line 1's chunk, whose titles gave the parts.
    names = {t: part for t, part in names.items() if rows.get(t) is not None and rows[t].passage is lead.passage}
    said_names = [(squash(t), t) for t in rows] + [(part, t) for t, part in names.items()]
    found: dict[str, int] = {}  # title -> where the question names it
    for name, title in sorted(said_names, key=lambda x: -len(x[0])):
        at = said.find(name) if len(name) >= 2 and title not in found else -1
        if at >= 0:
            found[title] = at
            said = said[:at] + "\0" * len(name) + said[at + len(name):]  # a name inside it is not said
    named = [rows[t] for t in sorted(found, key=found.__getitem__)]
    return named if any(u is lead for u in named) else []


def _distinct_names(u: Unit) -> dict[str, str]:
    """Each row title of `u`'s table (as its units have it) -> the part of it, spaces removed, that is
    not the beginning or the end all the titles share."""
    p = u.passage
    titles = list(dict.fromkeys(d.row_title for d in drafts_of(p.chunk.kind, p.text, table_of(p)) if d.row_title))
    if len(titles) < 2:
        return {}
    squashed = [squash(t) for t in titles]
    head = len(os.path.commonprefix(squashed))
    tail = len(os.path.commonprefix([t[::-1] for t in squashed]))
    return {t: s[head: len(s) - tail] if head + tail < len(s) else "" for t, s in zip(titles, squashed)}


def _row_identified(u: Unit, question: str) -> bool:
    """Whether the question names the row: its title or one of its values ("차이나무비"), spaces ignored."""
    said = squash(question)
    return row_named(u, question) or any(len(v) >= 2 and v in said for v in (squash(v) for _, v in u.draft.cells))


def _named_columns(u: Unit, weights: dict[str, float], question: str, typed: frozenset[str]) -> list[str]:
    """The columns of the row whose title holds a word the agent typed (`typed`: not a glossary word, not a
    character bigram) and that have a value: at most `MAX_HEAD_CELLS`, else none (a guess would drop what was
    asked)."""
    shares = column_share(u, {t: w for t, w in weights.items() if t in typed})
    numbers = set(_NUMBER.findall(question))
    cells = dict(u.draft.cells)
    # A title's numbers said in the question name it too ("5기가" names "5GHz", "5일짜리" names "5일").
    named = [c for c, share in shares.items()
             if cells.get(c) and (share > 0 or numbers.issuperset(_NUMBER.findall(c) or ["-"]))]
    return named if len(named) <= MAX_HEAD_CELLS else []


def _asked_columns(u: Unit, weights: dict[str, float]) -> list[str]:
    """The columns of the row the question names: those whose title holds at least `COLUMN_SHARE` of the
    best column's question weight; [] when no column title holds any, or more than `MAX_HEAD_CELLS` do
    (then line 1 is the whole row: a guess at a column would drop what was asked)."""
    shares = column_share(u, weights)
    best = max(shares.values(), default=0.0)
    picked = [c for c, s in shares.items() if best > 0 and s >= COLUMN_SHARE * best]
    return picked if len(picked) <= MAX_HEAD_CELLS else []


def _note(caption: str, columns: Iterable[str]) -> str:
    """The caption's closing parenthesis ("VAT 포함, 셋톱 임대료 별도"), unless a column title says it."""
    m = _NOTE.search(caption or "")
    if not m or any(m.group(1) in c for c in columns):
        return ""
    return m.group(1).strip()
