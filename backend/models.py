"""The records that flow from the ETL through the index to the answer: chunks, hits and filters."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from backend.chunk_layout import TableGrid

Kind = Literal["text", "table"]
BREADCRUMB_SEP = " > "


def sha256_hex(data: str | bytes) -> str:
    """Hex SHA-256 of text (UTF-8) or bytes."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class AttachmentRef:
    """A file linked from a manual page (a form, a rate sheet, an image).

    `path` is the file's path relative to the ingested root in POSIX form ("files/이사신청서.pdf");
    it is also the key under which the `AttachmentStore` keeps the file.
    """

    name: str
    path: str
    media_type: str = "application/octet-stream"
    size: int = 0


@dataclass(frozen=True)
class Chunk:
    """One retrievable unit: a piece of a section's text, or some rows of a table.

    Page-level fields are repeated on every chunk of the page so that a chunk is self-contained
    (an OpenSearch document is exactly `to_dict()` plus its vector).
    """

    chunk_id: str  # f"{doc_id}#{chunk_no}"
    doc_id: str  # the page's path relative to the root, without extension ("M004", "internet/M004")
    chunk_no: int
    page: str  # the page's path relative to the ingested root ("M004.html")
    title: str
    kind: Kind
    text: str  # exactly what is indexed: section path prefix + body, or table row sentences
    breadcrumb: tuple[str, ...] = ()  # category path, without the leading "홈"
    section: tuple[str, ...] = ()  # heading path inside the page
    manual_id: str | None = None
    revision_date: str | None = None  # ISO date, yyyy-mm-dd
    marked_old: bool = False  # the page itself says it is an old version ("구버전", status meta)
    superseded: bool = False  # marked old, or a newer revision with the same manual_id exists
    faq: bool = False  # an FAQ entry (a question and its short answer), not the manual's own text
    table: TableGrid | None = None  # table chunks: the header rows and the rows this chunk holds
    attachments: tuple[AttachmentRef, ...] = ()
    page_hash: str = ""  # content hash of the source page, for incremental ingest

    def __post_init__(self) -> None:
        if isinstance(self.table, dict):  # a stored chunk's JSON
            object.__setattr__(self, "table", TableGrid.from_dict(self.table))

    @property
    def text_hash(self) -> str:
        """Content hash of the indexed text (key of the embedding cache)."""
        return sha256_hex(self.text)

    @property
    def breadcrumb_prefixes(self) -> list[str]:
        """Every leading part of the breadcrumb joined with " > ", for exact prefix filters."""
        return [BREADCRUMB_SEP.join(self.breadcrumb[: i + 1]) for i in range(len(self.breadcrumb))]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (tuples become lists)."""
        d = asdict(self)
        d["breadcrumb"] = list(self.breadcrumb)
        d["section"] = list(self.section)
        d["attachments"] = [asdict(a) for a in self.attachments]
        d["table"] = self.table.to_dict() if self.table is not None else None
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Chunk:
        """Inverse of `to_dict`; unknown keys (e.g. OpenSearch-only fields) are ignored."""
        known = {f for f in cls.__dataclass_fields__}
        data = {k: v for k, v in d.items() if k in known}
        data["breadcrumb"] = tuple(data.get("breadcrumb") or ())
        data["section"] = tuple(data.get("section") or ())
        data["attachments"] = tuple(AttachmentRef(**a) for a in data.get("attachments") or ())
        return cls(**data)

    def with_superseded(self, superseded: bool) -> Chunk:
        return replace(self, superseded=superseded)


@dataclass(frozen=True)
class SearchFilters:
    """Restrictions applied inside the search (before ranking), identically by every backend."""

    breadcrumb_prefix: str | None = None  # e.g. "인터넷" or "인터넷 > 기가인터넷"; matches whole parts
    kind: Kind | None = None
    current_only: bool = False  # leave superseded pages out

    def matches(self, chunk: Chunk) -> bool:
        """Reference semantics of the filters, used by the embedded backend and the tests."""
        if self.kind is not None and chunk.kind != self.kind:
            return False
        if self.current_only and chunk.superseded:
            return False
        if self.breadcrumb_prefix:
            return normalize_breadcrumb(self.breadcrumb_prefix) in chunk.breadcrumb_prefixes
        return True


def normalize_breadcrumb(path: str) -> str:
    """Normalise a user-typed breadcrumb path ("상품매뉴얼>인터넷", " 인터넷 > 기가인터넷 ") to the stored form.

    Only ">" separates parts: category names themselves may hold "/" ("이사/이전설치")."""
    parts = [p.strip() for p in path.split(">")]
    return BREADCRUMB_SEP.join(p for p in parts if p)


@dataclass
class Hit:
    """A chunk returned by a search, with its fused score (higher is better)."""

    chunk: Chunk
    score: float
    # Per sub-query normalised scores, where the backend exposes them (for debugging and the admin page).
    detail: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class DocInfo:
    """What the index knows of one indexed page, enough to plan an incremental ingest."""

    doc_id: str
    page: str
    page_hash: str
    manual_id: str | None
    revision_date: str | None
    marked_old: bool
    superseded: bool
    chunks: int

    @classmethod
    def of(cls, chunk: Chunk, chunks: int) -> DocInfo:
        return cls(
            doc_id=chunk.doc_id,
            page=chunk.page,
            page_hash=chunk.page_hash,
            manual_id=chunk.manual_id,
            revision_date=chunk.revision_date,
            marked_old=chunk.marked_old,
            superseded=chunk.superseded,
            chunks=chunks,
        )


@dataclass(frozen=True)
class IndexStats:
    """Counts shown by the CLI and the admin page."""

    backend: str
    location: str  # directory of the live version, or the alias -> index name
    documents: int
    chunks: int
    table_chunks: int
    superseded_documents: int
    embedder: str | None
    dim: int | None
