"""The `SearchIndex` protocol: the rules every search backend keeps, checked by
tests/backend/search/test_contract.py for each implementation that can run."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from backend.models import Chunk, DocInfo, Hit, IndexStats, SearchFilters


class IndexWriter(Protocol):
    """Changes built aside from the live index; nothing is visible to readers before `commit`.

    Rules:
    - `put_document` replaces ALL chunks of that document (old chunks never linger); `vectors` has one
      L2-normalised row per chunk, in the same order.
    - `delete_document` of an unknown id is a no-op.
    - `set_superseded` changes only that flag on every chunk of the document.
    - `commit` makes the new state live atomically: a reader sees the old state or the new, never a mix.
      After `abort` (or an exception inside the `with` block) the live index is exactly as before.
    """

    def put_document(self, doc_id: str, chunks: Sequence[Chunk], vectors: np.ndarray) -> None: ...

    def delete_document(self, doc_id: str) -> None: ...

    def set_superseded(self, doc_id: str, superseded: bool) -> None: ...

    def commit(self) -> None: ...

    def abort(self) -> None: ...

    def __enter__(self) -> IndexWriter: ...

    def __exit__(self, exc_type, exc, tb) -> None: ...


@runtime_checkable
class SearchIndex(Protocol):
    """Hybrid keyword + vector search over chunks.

    Rules:
    - `search` scores the keyword sub-query (BM25 over Korean morphemes: nori in OpenSearch, Kiwi in the
      embedded index) and the vector sub-query (cosine over the chunk vectors), each over its top
      `candidate_depth` candidates that pass `filters`; then fuses them the way OpenSearch's
      normalization-processor does: min-max per sub-query (a candidate missing from a sub-query gets 0)
      and the weighted arithmetic mean, or RRF when configured. Returns at most `k` hits, best first.
    - Filters are applied before ranking, never after (k hits come back whenever k chunks match).
    - A search against an empty index returns [] (no error).
    - `writer(full=True)` starts from an empty index; `writer(full=False)` from a copy of the live one.
      Only one writer at a time; a second one raises `IndexBusyError`.
    """

    def writer(self, *, full: bool) -> IndexWriter: ...

    def search(self, query: str, vector: np.ndarray, k: int = 5, filters: SearchFilters | None = None) -> list[Hit]: ...

    def documents(self) -> dict[str, DocInfo]: ...

    def chunks(self, doc_id: str) -> list[Chunk]: ...

    def stats(self) -> IndexStats: ...


class IndexBusyError(RuntimeError):
    """Another writer holds the index."""


class EmbedderMismatchError(RuntimeError):
    """The index was built with another embedder (name or dimension) than the one configured."""


class AnalyzerMismatchError(RuntimeError):
    """The index was built with another keyword analyzer recipe than this code's."""
