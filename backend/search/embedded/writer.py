"""`EmbeddedIndexWriter`: builds the next version of the embedded index aside, then makes it live."""

from __future__ import annotations

import json
import logging
import os
import shutil
import weakref
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from backend.files import fsync_dir, utc_iso
from backend.models import Chunk, DocInfo
from backend.search.embedded.layout import (
    BUILD_PREFIX,
    FORMAT_VERSION,
    chunk_line,
    remove_stale_versions,
    switch_current,
    version_name,
    version_numbers,
    write_bytes,
    write_json,
    write_npy,
)
from backend.search.embedded.postings import Rows, bm25_postings
from backend.search.embedded.version import Version
from backend.text import analyzer

if TYPE_CHECKING:
    from filelock import FileLock

    from backend.search.embedded.index import EmbeddedSearchIndex

log = logging.getLogger(__name__)


@dataclass
class _NewDoc:
    chunks: list[Chunk]
    vectors: np.ndarray


class EmbeddedIndexWriter:
    """Builds the next version aside; `commit` writes it, fsyncs it and switches CURRENT.
    Leaving the `with` block normally commits (if not done yet); an exception aborts."""

    def __init__(self, index: EmbeddedSearchIndex, lock: FileLock, live_name: str | None, base: Version | None) -> None:
        self._index = index
        self._live_name = live_name
        self._base = base
        self._new: dict[str, _NewDoc] = {}
        self._removed: set[str] = set()
        self._superseded_changes: dict[str, bool] = {}
        self._open = True
        self._build_paths: list[Path] = []
        # A writer dropped without commit or abort still frees the lock when it is collected.
        self._release = weakref.finalize(self, lock.release)

    def __enter__(self) -> EmbeddedIndexWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self._open:
            return
        if exc_type is not None:
            self.abort()
        else:
            self.commit()

    def _ensure_open(self) -> None:
        if not self._open:
            raise RuntimeError("this index writer was already committed or aborted")

    def _in_base(self, doc_id: str) -> bool:
        return self._base is not None and doc_id in self._base.docs and doc_id not in self._removed

    def put_document(self, doc_id: str, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        """Replace all chunks of `doc_id` by `chunks` (one L2-normalised vector row per chunk)."""
        self._ensure_open()
        vecs = np.array(vectors, dtype=np.float32, copy=True)
        if vecs.ndim != 2 or vecs.shape[0] != len(chunks) or (len(chunks) and vecs.shape[1] != self._index.dim):
            raise ValueError(
                f"벡터 모양 {vecs.shape} 이(가) 청크 {len(chunks)}개 x {self._index.dim}차원과 맞지 않습니다 ({doc_id})"
            )
        ids = [c.chunk_id for c in chunks]
        if len(set(ids)) != len(ids):
            raise ValueError(f"한 문서 안에 같은 chunk_id 가 두 번 있습니다 ({doc_id})")
        for c in chunks:
            if c.doc_id != doc_id:
                raise ValueError(f"청크 {c.chunk_id} 의 doc_id 가 {doc_id} 가 아닙니다")
        if self._base is not None and doc_id in self._base.docs:
            self._removed.add(doc_id)
            self._superseded_changes.pop(doc_id, None)
        if not chunks:
            self._new.pop(doc_id, None)
            return
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        vecs = np.divide(vecs, norms, out=vecs, where=norms > 0)
        order = sorted(range(len(chunks)), key=lambda i: chunks[i].chunk_no)
        self._new[doc_id] = _NewDoc([chunks[i] for i in order], vecs[order])

    def delete_document(self, doc_id: str) -> None:
        """Remove every chunk of `doc_id` (unknown ids are a no-op)."""
        self._ensure_open()
        self._new.pop(doc_id, None)
        if self._base is not None and doc_id in self._base.docs:
            self._removed.add(doc_id)
            self._superseded_changes.pop(doc_id, None)

    def set_superseded(self, doc_id: str, superseded: bool) -> None:
        """Set only the superseded flag on every chunk of `doc_id` (unknown ids are a no-op)."""
        self._ensure_open()
        if doc_id in self._new:
            doc = self._new[doc_id]
            doc.chunks = [c.with_superseded(superseded) for c in doc.chunks]
        elif self._in_base(doc_id):
            self._superseded_changes[doc_id] = bool(superseded)

    def abort(self) -> None:
        """Drop everything this writer did; the live index stays exactly as it was."""
        if not self._open:
            return
        self._discard_builds()
        self._close()

    def _close(self) -> None:
        self._open = False
        self._base = None
        self._new = {}
        self._release()

    def _discard_builds(self) -> None:
        for path in self._build_paths:
            shutil.rmtree(path, ignore_errors=True)
        self._build_paths = []

    def commit(self) -> None:
        """Write the new version completely, fsync it, then make it live by replacing CURRENT. An
        incremental writer that changed nothing leaves the live version as it is (at 100k chunks,
        rewriting it takes seconds)."""
        self._ensure_open()
        if self._base is not None and not (self._new or self._removed or self._superseded_changes):
            log.info("index version %s unchanged: nothing to commit", self._live_name)
            self._close()
            return
        versions_dir = self._index.versions_dir
        try:
            numbers = version_numbers(versions_dir)
            name = version_name((numbers[-1] if numbers else 0) + 1)
            build = versions_dir / f"{BUILD_PREFIX}{name}-{os.getpid()}"
            final = versions_dir / name
            self._build_paths = [build, final]
            build.mkdir()
            stats = self._write_version(build, name)
            fsync_dir(build)
            os.rename(build, final)
            fsync_dir(versions_dir)
            switch_current(self._index.directory, name)
        except BaseException:
            self._discard_builds()
            self._close()
            raise
        self._build_paths = []
        log.info("committed index version %s: %s", name, stats)
        try:
            remove_stale_versions(versions_dir, keep={name, self._live_name})
        finally:
            self._close()

    def _write_version(self, path: Path, name: str) -> dict[str, Any]:
        """Assemble the rows (kept base rows + new documents), compute BM25 and write every file."""
        rows = Rows()
        docs: dict[str, DocInfo] = {}
        if self._base is not None:
            self._collect_base(rows, docs)
        self._collect_new(rows, docs)
        n = len(rows.chunk_ids)
        dim = self._index.dim
        if len(set(rows.chunk_ids)) != n:
            dup = next(c for c, m in Counter(rows.chunk_ids).items() if m > 1)
            raise ValueError(f"chunk_id {dup} 가 두 문서에 있습니다")
        perm = np.array(sorted(range(n), key=rows.chunk_ids.__getitem__), dtype=np.int64)
        vectors = np.concatenate(rows.vectors).reshape(-1, dim) if rows.vectors else np.zeros((0, dim), np.float32)
        vectors = vectors[perm]

        # Raw term counts with rows reordered by chunk_id and unused terms pruned (deleted documents).
        lengths_in = np.concatenate(rows.tf_lengths)
        indptr_in = np.concatenate([[0], np.cumsum(lengths_in)]).astype(np.int64)
        lengths = lengths_in[perm]
        indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        gather = np.repeat(indptr_in[:-1][perm] - indptr[:-1], lengths) + np.arange(indptr[-1], dtype=np.int64)
        terms = np.concatenate(rows.tf_terms)[gather]
        counts = np.concatenate(rows.tf_counts)[gather]
        used = np.bincount(terms, minlength=len(rows.vocab)) > 0
        terms = (np.cumsum(used) - 1)[terms]
        vocab = [t for t, u in zip(rows.vocab, used.tolist()) if u]
        post_indptr, post_rows, post_weights, avgdl = bm25_postings(terms, counts, lengths, vocab)

        order = perm.tolist()
        lines = [rows.lines[i] for i in order]
        doc_rows: dict[str, list[int]] = {}
        for new_row in sorted(range(n), key=lambda r: (rows.doc_ids[order[r]], rows.order_in_doc[order[r]])):
            doc_rows.setdefault(rows.doc_ids[order[new_row]], []).append(new_row)
        offsets = np.zeros(n + 1, dtype=np.int64)
        offsets[1:] = np.cumsum([len(line) + 1 for line in lines], dtype=np.int64)
        distinct: dict[tuple[str, ...], int] = {}
        breadcrumb_ids = np.array(
            [distinct.setdefault(rows.breadcrumbs[i], len(distinct)) for i in order], dtype=np.int32
        )

        write_bytes(path / "chunks.jsonl", b"".join(line + b"\n" for line in lines))
        write_npy(path / "offsets.npy", offsets)
        write_npy(path / "vectors.npy", vectors.astype(np.float32, copy=False))
        write_npy(path / "is_table.npy", np.array(rows.is_table, dtype=bool)[perm])
        write_npy(path / "superseded.npy", np.array(rows.superseded, dtype=bool)[perm])
        write_npy(path / "breadcrumb_ids.npy", breadcrumb_ids)
        write_json(path / "breadcrumbs.json", [list(b) for b in distinct])
        write_json(path / "vocab.json", vocab)
        write_npy(path / "bm25_indptr.npy", post_indptr)
        write_npy(path / "bm25_rows.npy", post_rows)
        write_npy(path / "bm25_weights.npy", post_weights)
        write_npy(path / "tf_indptr.npy", indptr)
        write_npy(path / "tf_terms.npy", terms.astype(np.int32))
        write_npy(path / "tf_counts.npy", counts.astype(np.int32))
        write_json(path / "chunk_ids.json", [rows.chunk_ids[i] for i in order])
        write_json(path / "docs.json", {d: {"info": asdict(docs[d]), "rows": r} for d, r in sorted(doc_rows.items())})
        stats = {
            "chunks": n,
            "documents": len(doc_rows),
            "terms": len(vocab),
            "postings": int(indptr[-1]),
            "avgdl": round(avgdl, 3),
        }
        meta = {
            "format": FORMAT_VERSION,
            "version": name,
            "created_at": utc_iso(),
            "embedder": self._index.embedder_name,
            "dim": dim,
            "analyzer_version": analyzer.ANALYZER_VERSION,
            "bm25": {"k1": analyzer.BM25_K1, "b": analyzer.BM25_B, "bigram_boost": analyzer.BIGRAM_BOOST},
            **stats,
        }
        write_json(path / "meta.json", meta)  # written last: a version directory without it is incomplete
        return stats

    def _collect_base(self, rows: Rows, docs: dict[str, DocInfo]) -> None:
        """Rows of the live version's documents this writer did not replace or delete (copied, not re-analysed)."""
        base = self._base
        assert base is not None
        kept = [d for d in base.docs if d not in self._removed]
        base_ids = json.loads((base.path / "chunk_ids.json").read_text(encoding="utf-8"))
        rows.vocab = json.loads((base.path / "vocab.json").read_text(encoding="utf-8"))
        rows.term_ids = {t: i for i, t in enumerate(rows.vocab)}
        position: dict[int, tuple[str, int]] = {}
        for doc_id in kept:
            info = base.docs[doc_id]
            if doc_id in self._superseded_changes:
                info = replace(info, superseded=self._superseded_changes[doc_id])
            docs[doc_id] = info
            for pos, r in enumerate(base.doc_rows[doc_id]):
                position[r] = (doc_id, pos)
        kept_rows = np.array(sorted(position), dtype=np.int64)
        for r in kept_rows.tolist():
            doc_id, pos = position[r]
            line = base.line(r)
            flag = self._superseded_changes.get(doc_id, bool(base.superseded[r]))
            if flag != bool(base.superseded[r]):  # only changed rows are parsed again
                line = chunk_line(base.chunk(r).with_superseded(flag))
            breadcrumb = base.breadcrumbs[int(base.breadcrumb_ids[r])]
            rows.add(base_ids[r], doc_id, pos, line, flag, bool(base.is_table[r]), breadcrumb)
        rows.vectors.append(np.asarray(base.vectors[kept_rows], dtype=np.float32).reshape(-1, self._index.dim))
        b_indptr = np.load(base.path / "tf_indptr.npy")
        b_lengths = np.diff(b_indptr)
        keep_row = np.zeros(base.n, dtype=bool)
        keep_row[kept_rows] = True
        keep_nnz = np.repeat(keep_row, b_lengths)
        rows.tf_lengths.append(b_lengths[kept_rows])
        rows.tf_terms.append(np.load(base.path / "tf_terms.npy")[keep_nnz].astype(np.int64))
        rows.tf_counts.append(np.load(base.path / "tf_counts.npy")[keep_nnz].astype(np.int64))

    def _collect_new(self, rows: Rows, docs: dict[str, DocInfo]) -> None:
        """Rows of the documents put by this writer, analysed in one batch."""
        new_chunks = []
        for doc_id in sorted(self._new):
            doc = self._new[doc_id]
            docs[doc_id] = DocInfo.of(doc.chunks[0], len(doc.chunks))
            rows.vectors.append(doc.vectors)
            new_chunks.extend(doc.chunks)
        lengths: list[int] = []
        terms_flat: list[int] = []
        counts_flat: list[int] = []
        positions: dict[str, int] = Counter()
        for chunk, terms in zip(new_chunks, analyzer.analyze_many(c.text for c in new_chunks)):
            rows.add(
                chunk.chunk_id, chunk.doc_id, positions[chunk.doc_id], chunk_line(chunk),
                chunk.superseded, chunk.kind == "table", chunk.breadcrumb,
            )
            positions[chunk.doc_id] += 1
            tf = Counter(terms)
            lengths.append(len(tf))
            for term, count in tf.items():
                terms_flat.append(rows.term_id(term))
                counts_flat.append(count)
        rows.tf_lengths.append(np.asarray(lengths, dtype=np.int64))
        rows.tf_terms.append(np.asarray(terms_flat, dtype=np.int64))
        rows.tf_counts.append(np.asarray(counts_flat, dtype=np.int64))
