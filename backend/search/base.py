"""The `SearchIndex` protocol: the rules every search backend keeps, checked by
tests/contracts/test_search_index.py for each implementation that can run."""

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
    - `corrections(words)` maps each of `words` that no chunk holds to the indexed word it is a typo of
      (`backend.text.spelling` in the embedded index, the term suggester in OpenSearch); a word some chunk
      holds is never corrected. {} when nothing is indexed.
    - `known_terms(terms)` is the set of `terms` (the keyword analyzer's terms, `backend.text.analyzer`:
      morphemes and `BIGRAM_PREFIX`ed character bigrams) that some live chunk holds; empty when nothing is
      indexed.
    """

    def writer(self, *, full: bool) -> IndexWriter: ...

    def search(self, query: str, vector: np.ndarray, k: int = 5, filters: SearchFilters | None = None) -> list[Hit]: ...

    def documents(self) -> dict[str, DocInfo]: ...

    def chunks(self, doc_id: str) -> list[Chunk]: ...

    def stats(self) -> IndexStats: ...

    def corrections(self, words: Sequence[str]) -> dict[str, str]: ...

    def known_terms(self, terms: Sequence[str]) -> set[str]: ...


class IndexBusyError(RuntimeError):
    """Another writer holds the index."""


class EmbedderMismatchError(RuntimeError):
    """The index was built with another embedder (name or dimension) than the one configured."""


class AnalyzerMismatchError(RuntimeError):
    """The index was built with another keyword analyzer recipe than this code's."""


def check_embedder(index: str, built_with: str | None, built_dim: int | None, embedder: str, dim: int) -> None:
    """Raise `EmbedderMismatchError` (one Korean message, the same for every backend) when the index
    `index` was built with another embedder than the configured `embedder` of `dim` dimensions."""
    if built_with == embedder and built_dim == dim:
        return
    built = f"'{built_with}'({built_dim}차원)" if built_with else "알 수 없는 모델(임베딩 정보 없음)"
    raise EmbedderMismatchError(
        f"색인 '{index}'은(는) 임베딩 모델 {built}로 만들어졌는데 지금 설정은 '{embedder}'({dim}차원)입니다. "
        "관리자는 전체 재색인(sangdam ingest --full)을 실행하세요."
    )


def query_vector(vector: np.ndarray, dim: int) -> np.ndarray:
    """`vector` as a flat float32 array of `dim` values; `EmbedderMismatchError` for another size."""
    q = np.asarray(vector, dtype=np.float32).reshape(-1)
    if q.shape[0] != dim:
        raise EmbedderMismatchError(
            f"질의 벡터의 차원({q.shape[0]})이 색인의 차원({dim})과 다릅니다. 임베딩 모델 설정을 확인하세요."
        )
    return q
