"""The embedded hybrid index: one local directory, nothing to install or start.

Layout of the index directory:

    CURRENT              the name of the live version ("v00000007"), replaced atomically
    writer.lock          flock'ed by the one writer allowed at a time (across processes)
    versions/v00000007/  one complete, immutable version per commit:
        meta.json          embedder, dim, analyzer version, BM25 parameters, counts, creation time
        chunks.jsonl       one `Chunk.to_dict()` per line, rows sorted by chunk_id
        offsets.npy        byte offset of each line (n + 1), so a hit's chunk is parsed on demand
        vectors.npy        float32 (n, dim), L2-normalised; memory-mapped by readers
        is_table.npy, superseded.npy, breadcrumb_ids.npy, breadcrumbs.json   filter columns
        vocab.json, bm25_indptr.npy, bm25_rows.npy, bm25_weights.npy          BM25 postings (term-major)
        tf_indptr.npy, tf_terms.npy, tf_counts.npy, chunk_ids.json            raw term counts (row-major)
        docs.json          DocInfo and rows of every document

Rows are sorted by chunk_id, so "ties broken by chunk_id" is "ties broken by row number".
The BM25 weight of every (term, chunk) pair is precomputed at commit (Lucene's formula), so a
query costs only its terms' postings; the vector sub-query is an exact dot product over all rows
(100k x 384 float32 is ~150 MB and one matrix-vector product takes a few ms: no ANN index needed
at the scale of a call-center's manuals).
"""

from __future__ import annotations

import fcntl
import json
import logging
import mmap
import os
import re
import shutil
import threading
import weakref
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from backend.models import BREADCRUMB_SEP, Chunk, DocInfo, Hit, IndexStats, SearchFilters, normalize_breadcrumb
from backend.search import fusion as fusion_ref
from backend.search import korean
from backend.search.base import AnalyzerMismatchError, EmbedderMismatchError, IndexBusyError

if TYPE_CHECKING:
    from backend.config import Settings

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
CURRENT_FILE = "CURRENT"
LOCK_FILE = "writer.lock"
VERSIONS_DIR = "versions"
_VERSION_RE = re.compile(r"^v(\d{8})$")
_BUILD_PREFIX = ".build-"
# A reader that finds its version deleted under it (two commits during one load) re-reads CURRENT.
_LOAD_ATTEMPTS = 3
# Below this share of matching rows, the vector sub-query multiplies only the matching rows.
_SUBSET_MATVEC_SHARE = 0.5


def _version_name(number: int) -> str:
    return f"v{number:08d}"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _read_current(directory: Path) -> str | None:
    try:
        name = (directory / CURRENT_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name or None


def _switch_current(directory: Path, name: str) -> None:
    """Point CURRENT at `name` atomically (temp file + fsync + rename + fsync of the directory)."""
    tmp = directory / f"{CURRENT_FILE}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(name + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, directory / CURRENT_FILE)
    _fsync_dir(directory)


def _write_bytes(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _write_json(path: Path, obj: Any) -> None:
    _write_bytes(path, json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _write_npy(path: Path, arr: np.ndarray) -> None:
    with open(path, "wb") as f:
        np.save(f, np.ascontiguousarray(arr), allow_pickle=False)
        f.flush()
        os.fsync(f.fileno())


def _chunk_line(chunk: Chunk) -> bytes:
    return json.dumps(chunk.to_dict(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _dot_rows(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """matrix @ vector with numpy's own single-threaded SIMD loop: BLAS would wake its thread pool,
    whose spinning threads then compete with the query embedding for the same 2 cores."""
    return np.einsum("ij,j->i", matrix, vector)


def _top_rows(scores: np.ndarray, valid: np.ndarray | None, depth: int) -> tuple[np.ndarray, np.ndarray]:
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
class _Version:
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
    def load(cls, path: Path) -> _Version:
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
        return _top_rows(scores, valid, depth)

    def vector_top(self, query: np.ndarray, mask: np.ndarray | None, depth: int) -> tuple[np.ndarray, np.ndarray]:
        """Exact cosine (dot product of normalised vectors) over the rows that pass the filters."""
        if mask is not None:
            rows = np.flatnonzero(mask)
            if rows.size == 0:
                return rows, np.empty(0, dtype=np.float32)
            if rows.size < _SUBSET_MATVEC_SHARE * self.n:
                order, top = _top_rows(_dot_rows(self.vectors[rows], query), None, depth)
                return rows[order], top
        return _top_rows(_dot_rows(self.vectors, query), mask, depth)


class EmbeddedSearchIndex:
    """`SearchIndex` over a local directory: BM25 on Kiwi morphemes + exact cosine, fused like
    OpenSearch's normalization processor. Thread-safe; several processes may read while one writes."""

    backend = "embedded"

    def __init__(
        self,
        directory: str | Path,
        *,
        embedder_name: str,
        dim: int,
        fusion: Literal["minmax", "rrf"] = "minmax",
        keyword_weight: float = 0.5,
        rrf_rank_constant: int = 60,
        candidate_depth: int = 100,
    ) -> None:
        if fusion not in ("minmax", "rrf"):
            raise ValueError(f"unknown fusion {fusion!r}")
        if not 0.0 <= keyword_weight <= 1.0:
            raise ValueError("keyword_weight must be within [0, 1]")
        self.directory = Path(directory)
        self.embedder_name = embedder_name
        self.dim = int(dim)
        self.fusion = fusion
        self.keyword_weight = float(keyword_weight)
        self.rrf_rank_constant = int(rrf_rank_constant)
        self.candidate_depth = int(candidate_depth)
        self._version: _Version | None = None
        self._load_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, *, embedder_name: str, dim: int) -> EmbeddedSearchIndex:
        """The index in `settings.index_dir`, with the fusion parameters from settings."""
        return cls(
            settings.index_dir,
            embedder_name=embedder_name,
            dim=dim,
            fusion=settings.fusion,
            keyword_weight=settings.keyword_weight,
            rrf_rank_constant=settings.rrf_rank_constant,
            candidate_depth=settings.candidate_depth,
        )

    # --- reading ---

    @property
    def versions_dir(self) -> Path:
        return self.directory / VERSIONS_DIR

    def _live(self) -> _Version | None:
        """The live version, reloaded when CURRENT names another one (a read of a tiny file per call)."""
        name = _read_current(self.directory)
        loaded = self._version
        if name is None:
            return None
        if loaded is not None and loaded.name == name:
            return loaded
        with self._load_lock:
            loaded = self._version
            for _ in range(_LOAD_ATTEMPTS):
                if name is None:
                    return None
                if loaded is not None and loaded.name == name:
                    return loaded
                try:
                    loaded = _Version.load(self.versions_dir / name)
                except FileNotFoundError:
                    name = _read_current(self.directory)
                    continue
                self._version = loaded
                log.info("loaded index version %s (%d chunks)", name, loaded.n)
                return loaded
            raise RuntimeError(f"index version {name} disappeared while loading it")

    def _check_compatible(self, version: _Version) -> None:
        built_with = version.meta.get("analyzer_version")
        if built_with != korean.ANALYZER_VERSION:
            raise AnalyzerMismatchError(
                f"색인을 만든 형태소 분석 방식({built_with})이 지금 방식({korean.ANALYZER_VERSION})과 다릅니다. "
                "전체 재색인(sangdam ingest --full)을 실행하세요."
            )
        if version.embedder != self.embedder_name or version.dim != self.dim:
            raise EmbedderMismatchError(
                f"색인은 임베딩 모델 '{version.embedder}'({version.dim}차원)로 만들어졌는데 지금 설정은 "
                f"'{self.embedder_name}'({self.dim}차원)입니다. 전체 재색인(sangdam ingest --full)을 실행하세요."
            )

    def search(self, query: str, vector: np.ndarray, k: int = 5, filters: SearchFilters | None = None) -> list[Hit]:
        """Hybrid search; see `SearchIndex`. `detail` holds the per-sub-query normalised scores
        (min-max), or each sub-query's reciprocal-rank contribution (RRF)."""
        if k < 1:
            return []
        version = self._live()
        if version is None or version.n == 0:
            return []
        self._check_compatible(version)
        q = np.asarray(vector, dtype=np.float32).reshape(-1)
        if q.shape[0] != version.dim:
            raise EmbedderMismatchError(
                f"질의 벡터의 차원({q.shape[0]})이 색인의 차원({version.dim})과 다릅니다. 임베딩 모델 설정을 확인하세요."
            )
        norm = float(np.linalg.norm(q))
        if norm > 0:
            q = q / norm
        mask = version.filter_mask(filters)
        depth = max(self.candidate_depth, k)
        kw_rows, kw_scores = version.keyword_top(korean.analyze_query(query), mask, depth)
        vec_rows, vec_scores = version.vector_top(q, mask, depth)

        if self.fusion == "rrf":
            kw_rank = [int(r) for r in kw_rows]
            vec_rank = [int(r) for r in vec_rows]
            fused = fusion_ref.rrf([kw_rank, vec_rank], self.rrf_rank_constant)
            c = self.rrf_rank_constant
            kw_detail = {r: 1.0 / (c + i) for i, r in enumerate(kw_rank, start=1)}
            vec_detail = {r: 1.0 / (c + i) for i, r in enumerate(vec_rank, start=1)}
        else:
            kw_detail = fusion_ref.min_max({int(r): float(s) for r, s in zip(kw_rows, kw_scores)})
            vec_detail = fusion_ref.min_max({int(r): float(s) for r, s in zip(vec_rows, vec_scores)})
            fused = fusion_ref.weighted_mean([kw_detail, vec_detail], [self.keyword_weight, 1.0 - self.keyword_weight])
        best = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:k]
        return [
            Hit(
                chunk=version.chunk(row),
                score=score,
                detail={"keyword": kw_detail.get(row, 0.0), "vector": vec_detail.get(row, 0.0)},
            )
            for row, score in best
        ]

    def documents(self) -> dict[str, DocInfo]:
        """Every indexed page, by doc_id."""
        version = self._live()
        return dict(version.docs) if version is not None else {}

    def chunks(self, doc_id: str) -> list[Chunk]:
        """The chunks of one page in chunk_no order ([] for an unknown page)."""
        version = self._live()
        if version is None or doc_id not in version.doc_rows:
            return []
        return [version.chunk(r) for r in version.doc_rows[doc_id]]

    def stats(self) -> IndexStats:
        """Counts of the live version; `embedder`/`dim` are those the live version was built with."""
        version = self._live()
        if version is None:
            return IndexStats(self.backend, str(self.directory), 0, 0, 0, 0, None, None)
        return IndexStats(
            backend=self.backend,
            location=str(version.path),
            documents=len(version.docs),
            chunks=version.n,
            table_chunks=int(np.count_nonzero(version.is_table)),
            superseded_documents=sum(1 for d in version.docs.values() if d.superseded),
            embedder=version.embedder,
            dim=version.dim,
        )

    # --- writing ---

    def writer(self, *, full: bool) -> EmbeddedIndexWriter:
        """A writer building the next version aside; raises `IndexBusyError` while another one is open
        (in this process or any other)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self.versions_dir.mkdir(exist_ok=True)
        fd = os.open(self.directory / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise IndexBusyError("다른 색인 작업이 진행 중입니다. 그 작업이 끝난 뒤 다시 시도하세요.") from None
        try:
            live_name = _read_current(self.directory)
            _remove_stale_versions(self.versions_dir, keep={live_name, _previous_version(self.versions_dir, live_name)})
            base = None
            if live_name is not None and not full:
                base = _Version.load(self.versions_dir / live_name)
                self._check_compatible(base)
            return EmbeddedIndexWriter(self, fd, live_name, base)
        except BaseException:
            os.close(fd)
            raise


def _version_numbers(versions_dir: Path) -> list[int]:
    numbers = []
    for entry in versions_dir.iterdir():
        m = _VERSION_RE.match(entry.name)
        if m:
            numbers.append(int(m.group(1)))
    return sorted(numbers)


def _previous_version(versions_dir: Path, live_name: str | None) -> str | None:
    if live_name is None or not _VERSION_RE.match(live_name):
        return None
    live_no = int(live_name[1:])
    older = [n for n in _version_numbers(versions_dir) if n < live_no]
    return _version_name(older[-1]) if older else None


def _remove_stale_versions(versions_dir: Path, keep: set[str | None]) -> None:
    """Delete every version and unfinished build except `keep` (only called while holding the lock;
    readers that loaded a deleted version keep their open files and mappings)."""
    for entry in versions_dir.iterdir():
        if entry.name not in keep and (entry.name.startswith(_BUILD_PREFIX) or _VERSION_RE.match(entry.name)):
            shutil.rmtree(entry, ignore_errors=True)
            log.info("removed stale index version %s", entry.name)


@dataclass
class _NewDoc:
    chunks: list[Chunk]
    vectors: np.ndarray


class EmbeddedIndexWriter:
    """Builds the next version aside; `commit` writes it, fsyncs it and switches CURRENT.
    Leaving the `with` block normally commits (if not done yet); an exception aborts."""

    def __init__(self, index: EmbeddedSearchIndex, lock_fd: int, live_name: str | None, base: _Version | None) -> None:
        self._index = index
        self._live_name = live_name
        self._base = base
        self._new: dict[str, _NewDoc] = {}
        self._removed: set[str] = set()
        self._superseded_changes: dict[str, bool] = {}
        self._open = True
        self._build_paths: list[Path] = []
        self._release = weakref.finalize(self, os.close, lock_fd)

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
            numbers = _version_numbers(versions_dir)
            name = _version_name((numbers[-1] if numbers else 0) + 1)
            build = versions_dir / f"{_BUILD_PREFIX}{name}-{os.getpid()}"
            final = versions_dir / name
            self._build_paths = [build, final]
            build.mkdir()
            stats = self._write_version(build, name)
            _fsync_dir(build)
            os.rename(build, final)
            _fsync_dir(versions_dir)
            _switch_current(self._index.directory, name)
        except BaseException:
            self._discard_builds()
            self._close()
            raise
        self._build_paths = []
        log.info("committed index version %s: %s", name, stats)
        try:
            _remove_stale_versions(versions_dir, keep={name, self._live_name})
        finally:
            self._close()

    def _write_version(self, path: Path, name: str) -> dict[str, Any]:
        """Assemble the rows (kept base rows + new documents), compute BM25 and write every file."""
        rows = _Rows()
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
        post_indptr, post_rows, post_weights, avgdl = _bm25_postings(terms, counts, lengths, vocab)

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

        _write_bytes(path / "chunks.jsonl", b"".join(line + b"\n" for line in lines))
        _write_npy(path / "offsets.npy", offsets)
        _write_npy(path / "vectors.npy", vectors.astype(np.float32, copy=False))
        _write_npy(path / "is_table.npy", np.array(rows.is_table, dtype=bool)[perm])
        _write_npy(path / "superseded.npy", np.array(rows.superseded, dtype=bool)[perm])
        _write_npy(path / "breadcrumb_ids.npy", breadcrumb_ids)
        _write_json(path / "breadcrumbs.json", [list(b) for b in distinct])
        _write_json(path / "vocab.json", vocab)
        _write_npy(path / "bm25_indptr.npy", post_indptr)
        _write_npy(path / "bm25_rows.npy", post_rows)
        _write_npy(path / "bm25_weights.npy", post_weights)
        _write_npy(path / "tf_indptr.npy", indptr)
        _write_npy(path / "tf_terms.npy", terms.astype(np.int32))
        _write_npy(path / "tf_counts.npy", counts.astype(np.int32))
        _write_json(path / "chunk_ids.json", [rows.chunk_ids[i] for i in order])
        _write_json(path / "docs.json", {d: {"info": asdict(docs[d]), "rows": r} for d, r in sorted(doc_rows.items())})
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
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "embedder": self._index.embedder_name,
            "dim": dim,
            "analyzer_version": korean.ANALYZER_VERSION,
            "bm25": {"k1": korean.BM25_K1, "b": korean.BM25_B, "bigram_boost": korean.BIGRAM_BOOST},
            **stats,
        }
        _write_json(path / "meta.json", meta)  # written last: a version directory without it is incomplete
        return stats

    def _collect_base(self, rows: _Rows, docs: dict[str, DocInfo]) -> None:
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
                line = _chunk_line(base.chunk(r).with_superseded(flag))
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

    def _collect_new(self, rows: _Rows, docs: dict[str, DocInfo]) -> None:
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
        for chunk, terms in zip(new_chunks, korean.analyze_many(c.text for c in new_chunks)):
            rows.add(
                chunk.chunk_id, chunk.doc_id, positions[chunk.doc_id], _chunk_line(chunk),
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


@dataclass
class _Rows:
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


def _bm25_postings(
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
    term_field = np.fromiter((korean.is_bigram(t) for t in vocab), dtype=np.int64, count=n_terms)
    field = term_field[terms]
    dl = np.bincount(row_of_nnz * 2 + field, weights=counts, minlength=2 * n).reshape(-1, 2)
    avgdl = dl.mean(axis=0) if n else np.zeros(2)
    avgdl[avgdl <= 0] = 1.0
    df = np.bincount(terms, minlength=n_terms)
    idf = np.log1p((n - df + 0.5) / (df + 0.5))
    boost = np.where(term_field == 1, korean.BIGRAM_BOOST, 1.0)
    tf = counts.astype(np.float64)
    norm = 1.0 - korean.BM25_B + korean.BM25_B * dl[row_of_nnz, field] / avgdl[field]
    weights = boost[terms] * idf[terms] * tf / (tf + korean.BM25_K1 * norm)
    by_term = np.argsort(terms, kind="stable")  # stable: rows stay ascending within each term's postings
    indptr = np.concatenate([[0], np.cumsum(df)]).astype(np.int64)
    return indptr, row_of_nnz[by_term].astype(np.int32), weights[by_term].astype(np.float32), float(avgdl[0])
