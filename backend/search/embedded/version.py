"""One loaded, immutable index version and the search primitives over it (BM25 postings, exact cosine)."""

from __future__ import annotations

import json
import mmap
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from backend.models import BREADCRUMB_SEP, Chunk, DocInfo, SearchFilters, normalize_breadcrumb
from backend.search.base import AnalyzerMismatchError
from backend.search.embedded.layout import FORMAT_VERSION

# Below this share of matching rows, the vector sub-query multiplies only the matching rows.
_SUBSET_MATVEC_SHARE = 0.5


def dot_rows(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """matrix @ vector with numpy's own single-threaded SIMD loop: BLAS would wake its thread pool,
    whose spinning threads then compete with the query embedding for the same 2 cores."""
    return np.einsum("ij,j->i", matrix, vector)


def top_rows(scores: np.ndarray, valid: np.ndarray | None, depth: int) -> tuple[np.ndarray, np.ndarray]:
    """The `depth` best rows among `valid`, sorted by score desc then row asc (deterministic ties)."""
    rows = np.flatnonzero(valid) if valid is not None else np.arange(scores.shape[0])
    sub = scores[rows]
    if rows.size > depth:
        kth = np.partition(sub, rows.size - depth)[rows.size - depth]  # the depth-th largest score
        above = np.flatnonzero(sub > kth)
        ties = np.flatnonzero(sub == kth)[: depth - above.size]  # lowest rows win the ties
        keep = np.concatenate([above, ties])
        rows, sub = rows[keep], sub[keep]
    order = np.lexsort((rows, -sub))
    return rows[order], sub[order]


@dataclass
class Version:
    """One loaded, immutable version: what readers search. Arrays are memory-mapped where large."""

    name: str
    path: Path
    meta: dict[str, Any]
    offsets: np.ndarray
    lines: bytes | mmap.mmap
    vectors: np.ndarray
    is_table: np.ndarray
    superseded: np.ndarray
    breadcrumb_ids: np.ndarray
    breadcrumbs: list[tuple[str, ...]]
    prefix_to_breadcrumbs: dict[str, np.ndarray]
    vocab: dict[str, int]
    post_indptr: np.ndarray
    post_rows: np.ndarray
    post_weights: np.ndarray
    docs: dict[str, DocInfo]
    doc_rows: dict[str, list[int]]

    @property
    def n(self) -> int:
        return int(self.offsets.shape[0]) - 1

    @property
    def embedder(self) -> str:
        return self.meta["embedder"]

    @property
    def dim(self) -> int:
        return int(self.meta["dim"])

    @classmethod
    def load(cls, path: Path) -> Version:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise AnalyzerMismatchError(
                f"색인 형식({meta.get('format')})이 이 프로그램의 형식({FORMAT_VERSION})과 다릅니다. "
                "전체 재색인(sangdam ingest --full)을 실행하세요."
            )
        lines: bytes | mmap.mmap = b""
        with open(path / "chunks.jsonl", "rb") as f:
            if os.fstat(f.fileno()).st_size:
                lines = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        breadcrumbs = json.loads((path / "breadcrumbs.json").read_text(encoding="utf-8"))
        prefix_ids: dict[str, list[int]] = {}
        for bc_id, parts in enumerate(breadcrumbs):
            for i in range(len(parts)):
                prefix_ids.setdefault(BREADCRUMB_SEP.join(parts[: i + 1]), []).append(bc_id)
        vocab_list = json.loads((path / "vocab.json").read_text(encoding="utf-8"))
        docs_raw = json.loads((path / "docs.json").read_text(encoding="utf-8"))

        def mapped(name: str) -> np.ndarray:
            return np.load(path / name, mmap_mode="r", allow_pickle=False)

        return cls(
            name=path.name,
            path=path,
            meta=meta,
            offsets=np.load(path / "offsets.npy", allow_pickle=False),
            lines=lines,
            vectors=mapped("vectors.npy"),
            is_table=np.load(path / "is_table.npy", allow_pickle=False),
            superseded=np.load(path / "superseded.npy", allow_pickle=False),
            breadcrumb_ids=np.load(path / "breadcrumb_ids.npy", allow_pickle=False),
            breadcrumbs=[tuple(parts) for parts in breadcrumbs],
            prefix_to_breadcrumbs={p: np.asarray(ids, dtype=np.int32) for p, ids in prefix_ids.items()},
            vocab={term: i for i, term in enumerate(vocab_list)},
            post_indptr=mapped("bm25_indptr.npy"),
            post_rows=mapped("bm25_rows.npy"),
            post_weights=mapped("bm25_weights.npy"),
            docs={d: DocInfo(**v["info"]) for d, v in docs_raw.items()},
            doc_rows={d: v["rows"] for d, v in docs_raw.items()},
        )

    def chunk(self, row: int) -> Chunk:
        start, end = int(self.offsets[row]), int(self.offsets[row + 1])
        return Chunk.from_dict(json.loads(self.lines[start:end]))

    def line(self, row: int) -> bytes:
        start, end = int(self.offsets[row]), int(self.offsets[row + 1])
        return bytes(self.lines[start:end]).rstrip(b"\n")

    def filter_mask(self, filters: SearchFilters | None) -> np.ndarray | None:
        """Boolean mask of the rows `filters` lets through (None: every row), same semantics as
        `SearchFilters.matches`."""
        if filters is None:
            return None
        mask: np.ndarray | None = None

        def both(m: np.ndarray) -> None:
            nonlocal mask
            mask = m if mask is None else (mask & m)

        if filters.kind is not None:
            both(self.is_table if filters.kind == "table" else ~self.is_table)
        if filters.current_only:
            both(~self.superseded)
        if filters.breadcrumb_prefix:
            ids = self.prefix_to_breadcrumbs.get(normalize_breadcrumb(filters.breadcrumb_prefix))
            both(np.isin(self.breadcrumb_ids, ids) if ids is not None else np.zeros(self.n, dtype=bool))
        return mask

    def keyword_top(self, terms: list[str], mask: np.ndarray | None, depth: int) -> tuple[np.ndarray, np.ndarray]:
        """BM25 over the precomputed weights: only the query terms' postings are read."""
        counts = Counter(self.vocab[t] for t in terms if t in self.vocab)
        if not counts:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
        rows_parts, weight_parts = [], []
        for term_id, count in counts.items():
            start, end = int(self.post_indptr[term_id]), int(self.post_indptr[term_id + 1])
            rows_parts.append(self.post_rows[start:end])
            weight_parts.append(self.post_weights[start:end].astype(np.float64) * count)
        scores = np.bincount(np.concatenate(rows_parts), weights=np.concatenate(weight_parts), minlength=self.n)
        valid = scores > 0
        if mask is not None:
            valid &= mask
        return top_rows(scores, valid, depth)

    def vector_top(self, query: np.ndarray, mask: np.ndarray | None, depth: int) -> tuple[np.ndarray, np.ndarray]:
        """Exact cosine (dot product of normalised vectors) over the rows that pass the filters."""
        if mask is not None:
            rows = np.flatnonzero(mask)
            if rows.size == 0:
                return rows, np.empty(0, dtype=np.float32)
            if rows.size < _SUBSET_MATVEC_SHARE * self.n:
                order, top = top_rows(dot_rows(self.vectors[rows], query), None, depth)
                return rows[order], top
        return top_rows(dot_rows(self.vectors, query), mask, depth)
