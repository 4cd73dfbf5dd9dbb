"""`EmbeddedSearchIndex`: the `SearchIndex` over one local directory (the default backend)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np

from backend.config import Settings
from backend.files import LockBusyError, file_lock
from backend.models import Chunk, DocInfo, Hit, IndexStats, SearchFilters
from backend.search import fusion as fusion_ref
from backend.search.base import AnalyzerMismatchError, IndexBusyError, check_embedder, query_vector
from backend.search.embedded.layout import (
    LOCK_FILE,
    VERSIONS_DIR,
    previous_version,
    read_current,
    remove_stale_versions,
)
from backend.search.embedded.version import Version
from backend.search.embedded.writer import EmbeddedIndexWriter
from backend.text import analyzer
from backend.text.spelling import Speller

log = logging.getLogger(__name__)

# A reader that finds its version deleted under it (two commits during one load) re-reads CURRENT.
_LOAD_ATTEMPTS = 3


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
        self._version: Version | None = None
        self._speller: tuple[str, Speller] | None = None
        self._speller_lock = threading.Lock()
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

    def _live(self) -> Version | None:
        """The live version, reloaded when CURRENT names another one (a read of a tiny file per call)."""
        name = read_current(self.directory)
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
                    loaded = Version.load(self.versions_dir / name)
                except FileNotFoundError:
                    name = read_current(self.directory)
                    continue
                self._version = loaded
                log.info("loaded index version %s (%d chunks)", name, loaded.n)
                return loaded
            raise RuntimeError(f"index version {name} disappeared while loading it")

    def _check_compatible(self, version: Version) -> None:
        built_with = version.meta.get("analyzer_version")
        if built_with != analyzer.ANALYZER_VERSION:
            raise AnalyzerMismatchError(
                f"색인을 만든 형태소 분석 방식({built_with})이 지금 방식({analyzer.ANALYZER_VERSION})과 다릅니다. "
                "전체 재색인(sangdam ingest --full)을 실행하세요."
            )
        check_embedder(str(version.path), version.embedder, version.dim, self.embedder_name, self.dim)

    def search(self, query: str, vector: np.ndarray, k: int = 5, filters: SearchFilters | None = None) -> list[Hit]:
        """Hybrid search; see `SearchIndex`. `detail` holds the per-sub-query normalised scores
        (min-max), or each sub-query's reciprocal-rank contribution (RRF)."""
        if k < 1:
            return []
        version = self._live()
        if version is None or version.n == 0:
            return []
        self._check_compatible(version)
        q = query_vector(vector, version.dim)
        norm = float(np.linalg.norm(q))
        if norm > 0:
            q = q / norm
        mask = version.filter_mask(filters)
        depth = max(self.candidate_depth, k)
        kw_rows, kw_scores = version.keyword_top(analyzer.analyze_query(query), mask, depth)
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

    def corrections(self, words: Sequence[str]) -> dict[str, str]:
        """Typos among `words` against the live version's words (see `backend.text.spelling`)."""
        version = self._live()
        if version is None:
            return {}
        speller = self._speller_of(version)
        out = {}
        for word in words:
            fix = speller.correct(word)
            if fix is not None:
                out[word] = fix
        return out

    def known_terms(self, terms: Sequence[str]) -> set[str]:
        """The `terms` some chunk of the live version holds (its BM25 vocabulary)."""
        version = self._live()
        return set() if version is None else {t for t in terms if t in version.vocab}

    def _speller_of(self, version: Version) -> Speller:
        """One speller per live version (its vocabulary with each word's number of chunks)."""
        with self._speller_lock:
            if self._speller is None or self._speller[0] != version.name:
                counts = np.diff(np.asarray(version.post_indptr))
                vocabulary = {term: int(counts[i]) for term, i in version.vocab.items() if not analyzer.is_bigram(term)}
                self._speller = (version.name, Speller(vocabulary))
            return self._speller[1]

    # --- writing ---

    def writer(self, *, full: bool) -> EmbeddedIndexWriter:
        """A writer building the next version aside; raises `IndexBusyError` while another one is open
        (in this process or any other)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self.versions_dir.mkdir(exist_ok=True)
        lock = file_lock(self.directory / LOCK_FILE, blocking=False)
        try:
            lock.acquire()
        except LockBusyError:
            raise IndexBusyError("다른 색인 작업이 진행 중입니다. 그 작업이 끝난 뒤 다시 시도하세요.") from None
        try:
            live_name = read_current(self.directory)
            remove_stale_versions(self.versions_dir, keep={live_name, previous_version(self.versions_dir, live_name)})
            base = None
            if live_name is not None and not full:
                base = Version.load(self.versions_dir / live_name)
                self._check_compatible(base)
            return EmbeddedIndexWriter(self, lock, live_name, base)
        except BaseException:
            lock.release()
            raise
