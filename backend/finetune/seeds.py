"""Seed questions from the manuals: what an agent would ask about one chunk, with the answer copied from it.

Four sources, in the proof of concept's five categories:
- table cells (row × column): "기가라이트 500 월 요금(3년 약정) 얼마예요?" → "기가라이트 500의 월 요금(3년 약정):
  33,000원" (조건탐색); two rows of one column (비교); the lowest amount of a price column (상품추천);
- FAQ entries: the manual's own question → its answer line (기능/내용);
- procedures (a section's numbered steps) → the steps in order (프로세스);
- sections → their first sentence (기능/내용).

Answers are verbatim copies (the row sentence's "행의 열: 값" form, the manual's own lines): the fine-tuned model
learns to copy facts, never to compute or rephrase them. Which cells and rows are asked is picked by a seeded
hash, so the same index gives the same seeds.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from backend.chunk_layout import PATH_SEP, TableGrid, qa_marker, split_path, without_qa_marker
from backend.models import Chunk

CATEGORIES = ("프로세스", "기능/내용", "상품추천", "조건탐색", "비교")

_WON = re.compile(r"^\s*(?:월\s*)?(\d[\d,]*)\s*원")
_STEP = re.compile(r"^(?:\d{1,2}[.)]|[①-⑳])\s*")
_SENTENCE = re.compile(r"(?<=[.!?다요])\s+")
MAX_ANSWER_CHARS = 240


@dataclass(frozen=True)
class Seed:
    """A question about one chunk and its verbatim answer (without citation marks)."""

    question: str
    answer: str
    category: str
    source: str  # "table" | "faq" | "procedure" | "section"
    chunk_id: str
    page: str


def _pick(key: str, n: int, k: int) -> list[int]:
    """`k` of `range(n)`, chosen by a stable hash of `key` (the same seeds on every run)."""
    order = sorted(range(n), key=lambda i: hashlib.sha256(f"{key}:{i}".encode()).hexdigest())
    return sorted(order[:k])


def _says_something(value: str) -> bool:
    """A cell with a letter or digit ("-", "—", "·" answer nothing)."""
    return any(ch.isalnum() for ch in value)


def _topic(chunk: Chunk) -> str:
    """What a section is about in an agent's words: the page title without its parenthesis, then the
    section's own heading ("효도결합 조건 및 혜택")."""
    title = re.sub(r"\s*\([^)]*\)", "", chunk.title).strip()
    section = chunk.section[-1].strip().rstrip(":") if chunk.section else ""
    return f"{title} {section}".strip() if section and section != title else title


def with_particle(word: str, after_consonant: str, after_vowel: str) -> str:
    """`word` + the particle form its last sound takes ("5G 스탠다드" + 랑, "기가라이트 500" + 이랑)."""
    last = word.rstrip()[-1:] or " "
    if "가" <= last <= "힣":
        final = (ord(last) - ord("가")) % 28 != 0
    else:
        final = last in "0136781lmnLMN"  # 영 일 삼 육 칠 팔, and Latin letters read with a final consonant
    return word + (after_consonant if final else after_vowel)


def _ask_cell(row: str, title: str, value: str) -> str:
    if _WON.match(value):
        return f"{row} {title} 얼마예요?"
    return f"{row} {title} 어떻게 돼요?"


def table_seeds(chunk: Chunk, per_chunk: int = 3) -> list[Seed]:
    """Cell, comparison and cheapest-product questions from a table chunk's grid."""
    grid: TableGrid | None = chunk.table
    if grid is None or not grid.data_rows:
        return []
    titles = grid.column_titles()
    first_value = max(grid.header_cols, 1)
    rows: list[tuple[str, tuple[str, ...]]] = []
    for row in grid.data_rows:
        if len({v for v in row if v}) < 2:
            continue  # a note spanning the table
        keys = list(dict.fromkeys(v for v in row[:first_value] if v))
        if keys:
            rows.append((" ".join(keys), row))
    cells = [(name, titles[c], row[c]) for name, row in rows for c in range(first_value, len(row))
             if c < len(titles) and titles[c] and _says_something(row[c]) and row[c] != name]
    seeds = [
        Seed(_ask_cell(name, title, value), f"{name}의 {title}: {value}", "조건탐색", "table", chunk.chunk_id, chunk.page)
        for name, title, value in (cells[i] for i in _pick(chunk.chunk_id, len(cells), per_chunk))
    ]
    for c in range(first_value, len(titles)):
        column = [(name, row[c]) for name, row in rows if c < len(row) and _says_something(row[c])]
        if len(column) >= 2 and titles[c]:
            (a, va), (b, vb) = (column[i] for i in _pick(f"{chunk.chunk_id}:{c}", len(column), 2))
            if va != vb:
                seeds.append(Seed(f"{with_particle(a, '이랑', '랑')} {b} {titles[c]} 차이가 뭐예요?",
                                  f"{a}의 {titles[c]}: {va}, {b}의 {titles[c]}: {vb}", "비교", "table",
                                  chunk.chunk_id, chunk.page))
            amounts = [(int(m.group(1).replace(",", "")), name, v) for name, v in column if (m := _WON.match(v))]
            if len(amounts) >= 3 and len(amounts) == len(column):
                low, name, v = min(amounts)
                if sum(1 for a in amounts if a[0] == low) == 1:
                    seeds.append(Seed(f"{titles[c]} 제일 싼 거 추천해 주세요", f"{name}의 {titles[c]}: {v}", "상품추천",
                                      "table", chunk.chunk_id, chunk.page))
            break  # one comparison and one recommendation per chunk
    return seeds


def faq_seeds(chunk: Chunk) -> list[Seed]:
    """The FAQ entry's own question and its answer line."""
    head, rest = split_path(chunk.text)
    lines = [head.rsplit(PATH_SEP, 1)[-1], *(ln.strip() for ln in rest.split("\n"))]
    seeds, question = [], ""
    for line in lines:
        marker = qa_marker(line)
        if marker == "Q":
            question = without_qa_marker(line)
        elif marker == "A" and question:
            answer = without_qa_marker(line)
            if answer and len(answer) <= MAX_ANSWER_CHARS:
                seeds.append(Seed(question, answer, "기능/내용", "faq", chunk.chunk_id, chunk.page))
            question = ""
    return seeds


def text_seeds(chunk: Chunk) -> list[Seed]:
    """A procedure's steps (numbered lines) or a section's first sentence."""
    head, rest = split_path(chunk.text)
    lines = [ln.strip() for ln in rest.split("\n") if ln.strip()]
    topic = _topic(chunk)
    if not lines or not topic:
        return []
    steps = [ln for ln in lines if _STEP.match(ln)]
    if len(steps) >= 2:
        answer = " → ".join(_STEP.sub("", s) for s in steps)
        if len(answer) <= MAX_ANSWER_CHARS:
            return [Seed(f"{topic} 절차가 어떻게 돼요?", answer, "프로세스", "procedure", chunk.chunk_id, chunk.page)]
    first = _SENTENCE.split(lines[0])[0].strip()
    if 15 <= len(first) <= MAX_ANSWER_CHARS and not qa_marker(first):
        return [Seed(f"{topic} 알려 주세요", first, "기능/내용", "section", chunk.chunk_id, chunk.page)]
    return []


def seeds_of(chunks: Iterable[Chunk], per_table_chunk: int = 3) -> list[Seed]:
    """Every seed of the current (not superseded) chunks, in chunk order."""
    out: list[Seed] = []
    for chunk in chunks:
        if chunk.superseded:
            continue
        if chunk.kind == "table":
            out.extend(table_seeds(chunk, per_table_chunk))
        elif chunk.faq:
            out.extend(faq_seeds(chunk))
        else:
            out.extend(text_seeds(chunk))
    return out
