"""`OpenSearchIndex`: the production `SearchIndex`, hybrid nori BM25 + k-NN search on an OpenSearch cluster.
Readers always go through the alias (`settings.opensearch_alias`). A writer builds a new physical index
`{alias}-{UTC timestamp}-{random}` beside the live one (empty, or a `_reindex` copy of it made at the
first change), and `commit` moves the alias with one atomic `_aliases` request, so a reader sees the old
state or the new, never a mix; an incremental run that changes nothing leaves the alias where it is.
One writer at a time: a lock document in `{alias}-lock`. Request bodies live in `mappings` and
`queries`; the index lifecycle in `cluster`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from opensearchpy import OpenSearch
from opensearchpy.exceptions import NotFoundError

from backend.config import Settings
from backend.models import Chunk, DocInfo, Hit, IndexStats, SearchFilters
from backend.search.base import query_vector
from backend.search.opensearch import queries
from backend.search.opensearch.client import OpenSearchWriteError, build_opensearch_client, is_missing_index
from backend.search.opensearch.cluster import OpenSearchCluster
from backend.search.opensearch.lock import OpenSearchWriterLock
from backend.search.opensearch.writer import OpenSearchIndexWriter

log = logging.getLogger(__name__)

_PAGE_SIZE = 1000


class OpenSearchIndex:
    """`SearchIndex` on OpenSearch 2.19+ / 3.x (with the analysis-nori plugin).

    Scores are fused by a search pipeline (`normalization-processor` min-max + weighted arithmetic mean,
    or `score-ranker-processor` RRF). `Hit.detail` stays empty: the per-sub-query normalised scores are
    only exposed through the `hybrid_score_explanation` processor with `explain=true`, which costs a
    second pass, so they are not requested.
    """

    def __init__(
        self,
        client: OpenSearch,
        alias: str,
        *,
        embedder_name: str,
        dim: int,
        fusion: str = "minmax",
        keyword_weight: float = 0.5,
        rrf_rank_constant: int = 60,
        candidate_depth: int = 100,
        keep_previous: int = 0,
        lock_stale_after_s: float = 1800.0,
        reindex_timeout_s: float = 3600.0,
        bulk_chunk_size: int = 200,
        user_dictionary_rules: Sequence[str] = (),
        hnsw_m: int = 16,
        hnsw_ef_construction: int = 128,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if alias != alias.lower() or not alias:
            raise ValueError(f"OpenSearch 별칭은 소문자여야 합니다: {alias!r}")
        self._client = client
        self.alias = alias
        self.embedder_name = embedder_name
        self.dim = int(dim)
        self.fusion = fusion
        self.candidate_depth = int(candidate_depth)
        self.lock_stale_after_s = float(lock_stale_after_s)
        self.bulk_chunk_size = int(bulk_chunk_size)
        self._clock = clock
        pipeline_body = queries.search_pipeline_body(fusion, keyword_weight, rrf_rank_constant)
        self.cluster = OpenSearchCluster(
            client,
            alias,
            embedder_name=embedder_name,
            dim=dim,
            pipeline_body=pipeline_body,
            pipeline_id=queries.search_pipeline_id(alias, pipeline_body),
            keep_previous=keep_previous,
            reindex_timeout_s=reindex_timeout_s,
            user_dictionary_rules=user_dictionary_rules,
            hnsw_m=hnsw_m,
            hnsw_ef_construction=hnsw_ef_construction,
        )

    @property
    def pipeline_body(self) -> dict[str, Any]:
        """The search pipeline's body: min-max + weighted mean, or RRF."""
        return self.cluster.pipeline_body

    @property
    def pipeline_id(self) -> str:
        """The search pipeline that fuses the two sub-queries (its id derives from its body)."""
        return self.cluster.pipeline_id

    @classmethod
    def from_settings(cls, settings: Settings, *, embedder_name: str, dim: int) -> OpenSearchIndex:
        """The index configured by `SANGDAM_OPENSEARCH_*` and the search settings."""
        return cls(
            build_opensearch_client(settings),
            settings.opensearch_alias,
            embedder_name=embedder_name,
            dim=dim,
            fusion=settings.fusion,
            keyword_weight=settings.keyword_weight,
            rrf_rank_constant=settings.rrf_rank_constant,
            candidate_depth=settings.candidate_depth,
            keep_previous=settings.opensearch_keep_previous,
        )

    # --- reading ---

    def search(self, query: str, vector: np.ndarray, k: int = 5, filters: SearchFilters | None = None) -> list[Hit]:
        """Hybrid search through the alias; [] when nothing was indexed yet."""
        if k <= 0:
            return []
        q = query_vector(vector, self.dim)
        if not self.cluster.ready_for_reads():
            return []
        body = queries.hybrid_query_body(
            query, q, k=k, candidate_depth=self.candidate_depth, filters=filters
        )
        try:
            resp = self._client.search(index=self.alias, body=body, search_pipeline=self.pipeline_id)
        except NotFoundError as exc:
            if is_missing_index(exc):
                return []
            raise
        return [
            Hit(chunk=Chunk.from_dict(hit["_source"]), score=float(hit["_score"]))
            for hit in resp["hits"]["hits"]
        ]

    def corrections(self, words: Sequence[str]) -> dict[str, str]:
        """Typos among `words`, by OpenSearch's term suggester over the live index's analysed text."""
        words = [w for w in dict.fromkeys(words) if w]
        if not words or not self.cluster.ready_for_reads():
            return {}
        try:
            resp = self._client.search(index=self.alias, body=queries.suggest_body(words))
        except NotFoundError as exc:
            if is_missing_index(exc):
                return {}
            raise
        return queries.corrections_from(words, resp)

    def known_terms(self, terms: Sequence[str]) -> set[str]:
        """The `terms` some live chunk holds: a morpheme as a word of its analysed text, a character bigram
        in its bigram field (`queries.known_terms_body`)."""
        terms = [t for t in dict.fromkeys(terms) if t]
        if not terms or not self.cluster.ready_for_reads():
            return set()
        try:
            resp = self._client.search(index=self.alias, body=queries.known_terms_body(terms))
        except NotFoundError as exc:
            if is_missing_index(exc):
                return set()
            raise
        return queries.known_terms_from(terms, resp)

    def documents(self) -> dict[str, DocInfo]:
        """doc_id -> what the live index holds for it (from each document's chunk 0, plus its chunk count)."""
        for attempt in range(2):
            live = self.cluster.live()
            if live is None:
                return {}
            try:
                return self._documents_of(live.name)
            except NotFoundError:
                # A commit elsewhere swapped and deleted this physical index mid-way: read the new one.
                if attempt:
                    raise
        return {}

    def _documents_of(self, index: str) -> dict[str, DocInfo]:
        firsts: dict[str, dict[str, Any]] = {}
        search_after: list | None = None
        while True:
            resp = self._client.search(index=index, body=queries.first_chunks_page_body(_PAGE_SIZE, search_after))
            hits = resp["hits"]["hits"]
            for hit in hits:
                firsts[hit["_source"]["doc_id"]] = hit["_source"]
            if len(hits) < _PAGE_SIZE:
                break
            search_after = hits[-1]["sort"]
        counts: dict[str, int] = {}
        after_key: dict | None = None
        while True:
            resp = self._client.search(index=index, body=queries.chunk_counts_body(_PAGE_SIZE, after_key))
            agg = resp["aggregations"]["per_doc"]
            for bucket in agg["buckets"]:
                counts[bucket["key"]["doc_id"]] = int(bucket["doc_count"])
            after_key = agg.get("after_key")
            if len(agg["buckets"]) < _PAGE_SIZE or not after_key:
                break
        return {
            doc_id: DocInfo(
                doc_id=doc_id,
                page=src.get("page", ""),
                page_hash=src.get("page_hash") or "",
                manual_id=src.get("manual_id"),
                revision_date=src.get("revision_date"),
                marked_old=bool(src.get("marked_old")),
                superseded=bool(src.get("superseded")),
                chunks=counts.get(doc_id, 0),
            )
            for doc_id, src in firsts.items()
        }

    def chunks(self, doc_id: str) -> list[Chunk]:
        """Every chunk of one document, by chunk_no ([] when unknown)."""
        out: list[Chunk] = []
        search_after: list | None = None
        while True:
            try:
                resp = self._client.search(
                    index=self.alias, body=queries.doc_chunks_page_body(doc_id, _PAGE_SIZE, search_after)
                )
            except NotFoundError as exc:
                if is_missing_index(exc):
                    return []
                raise
            hits = resp["hits"]["hits"]
            out.extend(Chunk.from_dict(hit["_source"]) for hit in hits)
            if len(hits) < _PAGE_SIZE:
                return out
            search_after = hits[-1]["sort"]

    def stats(self) -> IndexStats:
        """Counts of the live index; location is "alias -> physical index"."""
        live = self.cluster.live()
        if live is None:
            return IndexStats(
                backend="opensearch",
                location=f"{self.alias} -> (없음)",
                documents=0,
                chunks=0,
                table_chunks=0,
                superseded_documents=0,
                embedder=None,
                dim=None,
            )
        resp = self._client.search(index=live.name, body=queries.stats_body())
        aggs = resp["aggregations"]
        return IndexStats(
            backend="opensearch",
            location=f"{self.alias} -> {live.name}",
            documents=int(aggs["documents"]["doc_count"]),
            chunks=int(resp["hits"]["total"]["value"]),
            table_chunks=int(aggs["table_chunks"]["doc_count"]),
            superseded_documents=int(aggs["superseded_documents"]["doc_count"]),
            embedder=live.meta.get("embedder"),
            dim=live.meta.get("dim"),
        )

    # --- writing ---

    def writer(self, *, full: bool) -> OpenSearchIndexWriter:
        """Take the writer lock and prepare a new physical index: an empty one now (full), or a copy of
        the live one at the first change (incremental; one that changes nothing leaves the alias as it is)."""
        lock = OpenSearchWriterLock(self._client, self.alias, stale_after_s=self.lock_stale_after_s, clock=self._clock)
        lock.acquire()
        try:
            live = self.cluster.live()
            if live is not None and live.name == self.alias:
                raise OpenSearchWriteError(
                    f"'{self.alias}' 이름의 일반 인덱스가 있어 별칭으로 쓸 수 없습니다. "
                    "그 인덱스를 다른 이름으로 옮기거나 지운 뒤 전체 재색인하세요."
                )
            copy_live = not full and live is not None
            if copy_live:
                self.cluster.check_embedder(live)
        except BaseException:
            lock.release()
            raise
        writer = OpenSearchIndexWriter(
            self.cluster, self._client, lock=lock, old_index=live.name if live is not None else None,
            copy_live=copy_live, bulk_chunk_size=self.bulk_chunk_size,
        )
        if not copy_live:
            writer.start()
        return writer
