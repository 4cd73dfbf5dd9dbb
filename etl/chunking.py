"""Parsed page → chunks: text chunks per section packed to a token budget, table chunks by whole rows.

Every chunk starts with its place in the page ("{title} > {h2} > {h3}") so that it makes sense alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from backend.chunk_layout import PATH_SEP, TableGrid, caption_line, path_line
from backend.models import AttachmentRef, Chunk
from etl.html_page import Block, ParsedPage
from etl.tables import table_pieces
from etl.tokens import TokenCounter

# A section at most this share of the budget is "small": it may join the previous chunk of its parent.
SMALL_SECTION_SHARE = 0.25
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?。])\s+")


@dataclass
class Section:
    """A heading path inside the page and the blocks up to the next heading."""

    path: tuple[str, ...]
    blocks: list[Block] = field(default_factory=list)
    # An FAQ entry (question heading + answer): a chunk of its own, so that one entry's answer is found
    # for its own question and several unrelated entries never add up to one strong match.
    standalone: bool = False


@dataclass
class _Draft:
    """A text chunk being assembled: segments of (section path, body lines)."""

    segments: list[tuple[tuple[str, ...], list[str]]]

    @property
    def common_path(self) -> tuple[str, ...]:
        paths = [p for p, _ in self.segments]
        common = paths[0]
        for p in paths[1:]:
            n = 0
            while n < min(len(common), len(p)) and common[n] == p[n]:
                n += 1
            common = common[:n]
        return common


def split_sections(blocks: Sequence[Block]) -> list[Section]:
    """Group blocks under their heading path; a heading at depth d replaces the path from level d on."""
    sections = [Section(())]
    path: list[str] = []
    for block in blocks:
        if block.kind == "heading":
            path = path[: max(block.level - 1, 0)] + [block.text]
            sections.append(Section(tuple(path), standalone=block.question))
        else:
            sections[-1].blocks.append(block)
    return [s for s in sections if s.blocks]


def section_prefix(title: str, path: Sequence[str]) -> str:
    """The first line of every chunk: "{title} > {h2} > {h3}\\n"."""
    return path_line(title, path) + "\n"


def split_text(text: str, limit: int, count: TokenCounter) -> list[str]:
    """Pieces of `text` each within `limit` tokens where possible: whole lines, else sentences, else words
    (a single word longer than the limit stays whole — never cut mid-word)."""
    if count(text) <= limit:
        return [text]
    pieces: list[str] = []
    for line in text.split("\n"):
        if count(line) <= limit:
            pieces.append(line)
            continue
        for sentence in _SENTENCE_SPLIT.split(line):
            if count(sentence) <= limit:
                pieces.append(sentence)
            else:
                pieces.extend(_pack_words(sentence.split(" "), limit, count))
    return _pack(pieces, limit, count, sep="\n")


def _pack_words(words: list[str], limit: int, count: TokenCounter) -> list[str]:
    return _pack([w for w in words if w], limit, count, sep=" ")


def _pack(pieces: list[str], limit: int, count: TokenCounter, sep: str) -> list[str]:
    out: list[str] = []
    current: list[str] = []
    used = 0
    for piece in pieces:
        cost = count(piece)
        if current and used + cost > limit:
            out.append(sep.join(current))
            current, used = [], 0
        current.append(piece)
        used += cost
    if current:
        out.append(sep.join(current))
    return out


class PageChunker:
    """Chunks one parsed page. `count` is the token counter; budgets are in its tokens."""

    def __init__(self, count: TokenCounter, text_budget: int, table_budget: int) -> None:
        self.count = count
        self.text_budget = text_budget
        self.table_budget = table_budget

    def chunk(
        self,
        page: ParsedPage,
        *,
        doc_id: str,
        page_path: str,
        page_hash: str = "",
        attachments: Sequence[AttachmentRef] = (),
        superseded: bool | None = None,
    ) -> list[Chunk]:
        """All chunks of the page in page order, numbered `{doc_id}#0`, `#1`, ... Every chunk carries the
        page's fields (title, breadcrumb, manual id, revision date, flags, attachments, page hash)."""
        assembler = _Assembler(self, page.title)
        sections = split_sections(page.blocks)
        faq_paths = {s.path for s in sections if s.standalone}
        for section in sections:
            if section.standalone:
                assembler.close()
            run: list[Block] = []
            for block in section.blocks:
                if block.kind == "table" and block.table is not None:
                    assembler.add_text(section.path, run)
                    assembler.add_table(section.path, block.table)
                    run = []
                else:
                    run.append(block)
            assembler.add_text(section.path, run)
            if section.standalone:
                assembler.close()
        assembler.close()

        flag = page.marked_old if superseded is None else superseded
        return [
            Chunk(
                chunk_id=f"{doc_id}#{n}",
                doc_id=doc_id,
                chunk_no=n,
                page=page_path,
                title=page.title,
                kind=kind,  # type: ignore[arg-type]
                text=text,
                breadcrumb=page.breadcrumb,
                section=path,
                manual_id=page.manual_id,
                revision_date=page.revision_date,
                marked_old=page.marked_old,
                superseded=flag,
                faq=any(path[: i + 1] in faq_paths for i in range(len(path))),
                table=table,
                attachments=tuple(attachments),
                page_hash=page_hash,
            )
            for n, (kind, text, path, table) in enumerate(assembler.pieces)
        ]


class _Assembler:
    """Collects a page's chunk texts in order. The last text chunk stays open as a draft while the next
    small section may still join it."""

    def __init__(self, chunker: PageChunker, title: str) -> None:
        self.count = chunker.count
        self.text_budget = chunker.text_budget
        self.table_budget = chunker.table_budget
        self.title = title
        self.pieces: list[tuple[str, str, tuple[str, ...], TableGrid | None]] = []  # kind, text, section, table
        self.draft: _Draft | None = None

    def close(self) -> None:
        if self.draft is not None:
            self.pieces.append(("text", _render(self.title, self.draft), self.draft.common_path, None))
        self.draft = None

    def add_table(self, path: tuple[str, ...], table: TableGrid) -> None:
        self.close()
        prefix = section_prefix(self.title, path)
        if table.caption:
            prefix += caption_line(table.caption) + "\n"
        for text, table_json in table_pieces(table, prefix, self.table_budget, self.count):
            self.pieces.append(("table", text, path, table_json))

    def add_text(self, path: tuple[str, ...], run: list[Block]) -> None:
        """Pack a run of text blocks of one section (between tables / headings)."""
        if not run:
            return
        limit = max(self.text_budget - self.count(section_prefix(self.title, path)), 1)
        lines: list[str] = []
        for block in run:
            lines.extend(split_text(block.text, limit, self.count))

        # A small section joins the open chunk of a sibling/parent section when everything fits.
        body_cost = sum(self.count(line) for line in lines)
        if self.draft is not None and path and body_cost <= SMALL_SECTION_SHARE * self.text_budget:
            parent = path[:-1]
            if self.draft.segments[-1][0][: len(parent)] == parent:
                merged = _Draft(self.draft.segments + [(path, lines)])
                if self.count(_render(self.title, merged)) <= self.text_budget:
                    self.draft = merged
                    return
        self.close()

        packed = _pack(lines, limit, self.count, sep="\n")
        for body in packed[:-1]:
            self.pieces.append(("text", _render(self.title, _Draft([(path, [body])])), path, None))
        self.draft = _Draft([(path, [packed[-1]])])


def _render(title: str, draft: _Draft) -> str:
    """Chunk text of a draft: the common section path as prefix, each part's own heading below it."""
    common = draft.common_path
    lines = [section_prefix(title, common).rstrip("\n")]
    for path, body in draft.segments:
        if path != common:
            lines.append(PATH_SEP.join(path[len(common):]))
        lines.extend(body)
    return "\n".join(lines)
