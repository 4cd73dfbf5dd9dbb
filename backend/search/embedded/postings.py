"""The rows of a version being written and their BM25 postings (Lucene's formula, precomputed)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from backend.text import analyzer


@dataclass
class Rows:
    """The rows of a version being written, in assembly order (kept base rows, then new documents)."""

    chunk_ids: list[str] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)
    order_in_doc: list[int] = field(default_factory=list)
    lines: list[bytes] = field(default_factory=list)
    superseded: list[bool] = field(default_factory=list)
    is_table: list[bool] = field(default_factory=list)
    breadcrumbs: list[tuple[str, ...]] = field(default_factory=list)
    vectors: list[np.ndarray] = field(default_factory=list)
    vocab: list[str] = field(default_factory=list)
    term_ids: dict[str, int] = field(default_factory=dict)
    tf_lengths: list[np.ndarray] = field(default_factory=list)
    tf_terms: list[np.ndarray] = field(default_factory=list)
    tf_counts: list[np.ndarray] = field(default_factory=list)

    def add(
        self, chunk_id: str, doc_id: str, order_in_doc: int, line: bytes,
        superseded: bool, is_table: bool, breadcrumb: tuple[str, ...],
    ) -> None:
        self.chunk_ids.append(chunk_id)
        self.doc_ids.append(doc_id)
        self.order_in_doc.append(order_in_doc)
        self.lines.append(line)
        self.superseded.append(superseded)
        self.is_table.append(is_table)
        self.breadcrumbs.append(breadcrumb)

    def term_id(self, term: str) -> int:
        tid = self.term_ids.get(term)
        if tid is None:
            tid = self.term_ids[term] = len(self.vocab)
            self.vocab.append(term)
        return tid


def bm25_postings(
    terms: np.ndarray, counts: np.ndarray, lengths: np.ndarray, vocab: Sequence[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Term-major postings with precomputed Lucene BM25 weights from row-major term counts:
    idf = ln(1 + (N - df + 0.5) / (df + 0.5)); weight = boost * idf * tf / (tf + k1 * (1 - b + b * dl / avgdl)),
    where dl is a chunk's number of terms in the term's field (morphemes or bigrams), avgdl that field's
    mean and boost 1 for morphemes, `BIGRAM_BOOST` for bigrams: summing a query's weights gives
    OpenSearch's bool/should of the two fields' match queries. Returns (indptr, rows, weights, morpheme avgdl)."""
    n = lengths.shape[0]
    n_terms = len(vocab)
    row_of_nnz = np.repeat(np.arange(n, dtype=np.int64), lengths)
    term_field = np.fromiter((analyzer.is_bigram(t) for t in vocab), dtype=np.int64, count=n_terms)
    field = term_field[terms]
    dl = np.bincount(row_of_nnz * 2 + field, weights=counts, minlength=2 * n).reshape(-1, 2)
    avgdl = dl.mean(axis=0) if n else np.zeros(2)
    avgdl[avgdl <= 0] = 1.0
    df = np.bincount(terms, minlength=n_terms)
    idf = np.log1p((n - df + 0.5) / (df + 0.5))
    boost = np.where(term_field == 1, analyzer.BIGRAM_BOOST, 1.0)
    tf = counts.astype(np.float64)
    norm = 1.0 - analyzer.BM25_B + analyzer.BM25_B * dl[row_of_nnz, field] / avgdl[field]
    weights = boost[terms] * idf[terms] * tf / (tf + analyzer.BM25_K1 * norm)
    by_term = np.argsort(terms, kind="stable")  # stable: rows stay ascending within each term's postings
    indptr = np.concatenate([[0], np.cumsum(df)]).astype(np.int64)
    return indptr, row_of_nnz[by_term].astype(np.int32), weights[by_term].astype(np.float32), float(avgdl[0])
