"""`OpenSearchCluster`: the lifecycle of one alias's physical indexes on the cluster (create, copy, find
the live one, check its embedder, the search pipeline, delete old ones). Shared by the reader
(`OpenSearchIndex`) and the writer, so neither reaches into the other's private methods."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

from opensearchpy import OpenSearch
from opensearchpy.exceptions import NotFoundError, RequestError, TransportError

from backend.search.base import check_embedder
from backend.search.opensearch import mappings, queries
from backend.search.opensearch.client import LiveIndex, OpenSearchWriteError, check_by_query_response, is_missing_index

log = logging.getLogger(__name__)


class OpenSearchCluster:
    """One alias's physical indexes and search pipeline on the cluster; thread-safe."""

    def __init__(
        self,
        client: OpenSearch,
        alias: str,
        *,
        embedder_name: str,
        dim: int,
        pipeline_body: dict[str, Any],
        pipeline_id: str,
        keep_previous: int = 0,
        reindex_timeout_s: float = 3600.0,
        user_dictionary_rules: Sequence[str] = (),
        hnsw_m: int = 16,
        hnsw_ef_construction: int = 128,
    ) -> None:
        self._client = client
        self.alias = alias
        self.embedder_name = embedder_name
        self.dim = int(dim)
        self.pipeline_body = pipeline_body
        self.pipeline_id = pipeline_id
        self.keep_previous = int(keep_previous)
        self.reindex_timeout_s = float(reindex_timeout_s)
        self.user_dictionary_rules = tuple(user_dictionary_rules)
        self.hnsw_m = hnsw_m
        self.hnsw_ef_construction = hnsw_ef_construction
        self._state_lock = threading.Lock()
        self._pipeline_ready = False
        self._checked_index: str | None = None

    def create_physical_index(self, name: str) -> None:
        majors = [10, 9] if self.lucene_major() >= 10 else [9, 10]
        for attempt, major in enumerate(majors):
            body = mappings.index_body(
                self.embedder_name,
                self.dim,
                mappings.nori_stoptags(major),
                user_dictionary_rules=self.user_dictionary_rules,
                m=self.hnsw_m,
                ef_construction=self.hnsw_ef_construction,
            )
            try:
                self._client.indices.create(index=name, body=body)
                return
            except RequestError as exc:
                # The version guess was wrong (a distribution reporting another Lucene): use the other tag names.
                if attempt == 0 and "POS.Tag" in str(exc.info):
                    log.warning("nori rejected the Lucene %d stop tags, retrying with the other set: %s", major, exc)
                    continue
                raise

    def lucene_major(self) -> int:
        try:
            version = self._client.info().get("version", {})
        except TransportError as exc:
            log.info("cluster info unavailable (%s); assuming Lucene 10", exc)
            return 10
        try:
            if version.get("lucene_version"):
                return int(str(version["lucene_version"]).split(".")[0])
            return 10 if int(str(version.get("number", "3")).split(".")[0]) >= 3 else 9
        except ValueError:
            return 10

    def copy_index(self, source: str, dest: str) -> None:
        resp = self._client.reindex(
            body=queries.reindex_body(source, dest),
            wait_for_completion=True,
            refresh=True,
            request_timeout=self.reindex_timeout_s,
        )
        check_by_query_response(resp, f"기존 색인 복사(_reindex {source} -> {dest})")
        log.info("copied %s documents from %s into %s", resp.get("total"), source, dest)

    def delete_index_quietly(self, name: str) -> None:
        try:
            self._client.indices.delete(index=name)
        except NotFoundError:
            pass
        except TransportError as exc:
            log.error("could not delete index %s: %s", name, exc)

    def remove_old_indexes(self, live_index: str) -> None:
        """Delete this alias's physical indexes other than the live one, keeping the newest `keep_previous`."""
        pattern = mappings.physical_index_pattern(self.alias)
        try:
            found = self._client.indices.get_alias(index=f"{self.alias}-*")
        except NotFoundError:
            return
        old = sorted(
            (name for name, info in found.items()
             if pattern.match(name) and name != live_index and self.alias not in (info.get("aliases") or {})),
            reverse=True,
        )
        for name in old[self.keep_previous:]:
            self.delete_index_quietly(name)
            log.info("deleted previous index %s", name)

    def live(self) -> LiveIndex | None:
        """The physical index behind the alias, or None when there is none yet."""
        try:
            resp = self._client.indices.get_mapping(index=self.alias)
        except NotFoundError as exc:
            if is_missing_index(exc):
                return None
            raise
        if len(resp) != 1:
            raise OpenSearchWriteError(
                f"별칭 '{self.alias}'이(가) 인덱스 여러 개({', '.join(sorted(resp))})를 가리킵니다. 하나만 남기세요."
            )
        name, body = next(iter(resp.items()))
        meta = ((body.get("mappings") or {}).get("_meta") or {}).get(mappings.META_KEY) or {}
        return LiveIndex(name=name, meta=dict(meta))

    def alias_target(self) -> str | None:
        try:
            resp = self._client.indices.get_alias(name=self.alias)
        except NotFoundError:
            return None
        return next(iter(resp), None) if len(resp) == 1 else None

    def check_embedder(self, live: LiveIndex) -> None:
        check_embedder(live.name, live.meta.get("embedder"), live.meta.get("dim"), self.embedder_name, self.dim)

    def ensure_pipeline(self) -> None:
        """Create the search pipeline once (idempotent: its id is derived from its body)."""
        if self._pipeline_ready:
            return
        try:
            self._client.search_pipeline.get(id=self.pipeline_id)
        except NotFoundError:
            self._client.search_pipeline.put(id=self.pipeline_id, body=self.pipeline_body)
            log.info("created search pipeline %s", self.pipeline_id)
        with self._state_lock:
            self._pipeline_ready = True

    def ready_for_reads(self) -> bool:
        """Check the live index's embedder and the pipeline once per process; False when no index exists."""
        with self._state_lock:
            if self._checked_index is not None and self._pipeline_ready:
                return True
        live = self.live()
        if live is None:
            return False
        self.check_embedder(live)
        self.ensure_pipeline()
        with self._state_lock:
            self._checked_index = live.name
        return True

    def forget_checked(self) -> None:
        with self._state_lock:
            self._checked_index = None
