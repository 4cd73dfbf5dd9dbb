"""The production search backend: hybrid nori BM25 + k-NN search on an OpenSearch cluster.

Readers always go through the alias (`settings.opensearch_alias`). A writer builds a new physical index
`{alias}-{UTC timestamp}-{random}` beside the live one (empty, or a `_reindex` copy of it made at the
first change), and `commit` moves the alias with one atomic `_aliases` request, so a reader sees the old
state or the new, never a mix; an incremental run that changes nothing leaves the alias where it is.
One writer at a time: a lock document in `{alias}-lock`. Request bodies live in `opensearch_bodies`.
"""

from __future__ import annotations

import itertools
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from opensearchpy import OpenSearch, helpers
from opensearchpy.exceptions import ConflictError, NotFoundError, RequestError, TransportError

from backend.models import Chunk, DocInfo, Hit, IndexStats, SearchFilters
from backend.search import opensearch_bodies as bodies
from backend.search.base import EmbedderMismatchError, IndexBusyError

if TYPE_CHECKING:
    from backend.config import Settings

log = logging.getLogger(__name__)

_PAGE_SIZE = 1000
_REPORTED_FAILURES = 5


class OpenSearchWriteError(RuntimeError):
    """A write to OpenSearch failed (bulk items, `_reindex`, by-query updates, the alias swap)."""


@dataclass(frozen=True)
class LiveIndex:
    """The physical index the alias points to, with the `sangdam` entry of its mapping `_meta`."""

    name: str
    meta: dict[str, Any]


def build_opensearch_client(settings: Settings) -> OpenSearch:
    """An `OpenSearch` client for `settings.opensearch_url` (thread-safe; build one per process)."""
    if not settings.opensearch_url:
        raise ValueError("SANGDAM_OPENSEARCH_URL 이 설정되지 않았습니다 (예: https://localhost:9200).")
    auth = None
    if settings.opensearch_user:
        password = settings.opensearch_password.get_secret_value() if settings.opensearch_password else ""
        auth = (settings.opensearch_user, password)
    tls: dict[str, Any] = {"verify_certs": settings.opensearch_verify_certs}
    if not settings.opensearch_verify_certs:
        tls.update(ssl_assert_hostname=False, ssl_show_warn=False)
    return OpenSearch(
        hosts=[settings.opensearch_url],
        http_auth=auth,
        timeout=settings.opensearch_timeout_s,
        max_retries=2,
        retry_on_timeout=True,
        http_compress=True,  # bulk bodies with vectors shrink several times
        **tls,
    )


def _error_type(exc: TransportError) -> str:
    return str(exc.error) if exc.error is not None else ""


def _is_missing_index(exc: NotFoundError) -> bool:
    return _error_type(exc) in ("index_not_found_exception", "")


def _describe_failures(failures: Sequence[Any]) -> str:
    lines = []
    for failure in failures[:_REPORTED_FAILURES]:
        if not isinstance(failure, dict):
            lines.append(str(failure))
            continue
        cause = failure.get("error") or failure.get("cause") or failure
        if isinstance(cause, dict):
            cause = f"{cause.get('type', '?')}: {cause.get('reason', '')}"
        ident = failure.get("_id") or failure.get("id") or "-"
        lines.append(f"{ident} ({failure.get('status', '?')}) {cause}")
    more = f" 외 {len(failures) - _REPORTED_FAILURES}건" if len(failures) > _REPORTED_FAILURES else ""
    return "; ".join(lines) + more


def _check_by_query_response(resp: dict[str, Any], what: str) -> None:
    failures = resp.get("failures") or []
    if failures or resp.get("timed_out"):
        reason = _describe_failures(failures) if failures else "시간 초과"
        raise OpenSearchWriteError(f"OpenSearch {what} 실패: {reason}")


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
        self.keep_previous = int(keep_previous)
        self.lock_stale_after_s = float(lock_stale_after_s)
        self.reindex_timeout_s = float(reindex_timeout_s)
        self.bulk_chunk_size = int(bulk_chunk_size)
        self.user_dictionary_rules = tuple(user_dictionary_rules)
        self.hnsw_m = hnsw_m
        self.hnsw_ef_construction = hnsw_ef_construction
        self._clock = clock
        self.pipeline_body = bodies.search_pipeline_body(fusion, keyword_weight, rrf_rank_constant)
        self.pipeline_id = bodies.search_pipeline_id(alias, self.pipeline_body)
        self._state_lock = threading.Lock()
        self._pipeline_ready = False
        self._checked_index: str | None = None

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
        query_vector = np.asarray(vector, dtype=np.float32).reshape(-1)
        if query_vector.shape[0] != self.dim:
            raise EmbedderMismatchError(
                f"질의 벡터의 차원({query_vector.shape[0]})이 색인 설정의 차원({self.dim})과 다릅니다. 임베딩 모델 설정을 확인하세요."
            )
        if not self._ready_for_reads():
            return []
        body = bodies.hybrid_query_body(
            query, query_vector, k=k, candidate_depth=self.candidate_depth, filters=filters
        )
        try:
            resp = self._client.search(index=self.alias, body=body, search_pipeline=self.pipeline_id)
        except NotFoundError as exc:
            if _is_missing_index(exc):
                return []
            raise
        return [
            Hit(chunk=Chunk.from_dict(hit["_source"]), score=float(hit["_score"]))
            for hit in resp["hits"]["hits"]
        ]

    def documents(self) -> dict[str, DocInfo]:
        """doc_id -> what the live index holds for it (from each document's chunk 0, plus its chunk count)."""
        for attempt in range(2):
            live = self._live()
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
            resp = self._client.search(index=index, body=bodies.first_chunks_page_body(_PAGE_SIZE, search_after))
            hits = resp["hits"]["hits"]
            for hit in hits:
                firsts[hit["_source"]["doc_id"]] = hit["_source"]
            if len(hits) < _PAGE_SIZE:
                break
            search_after = hits[-1]["sort"]
        counts: dict[str, int] = {}
        after_key: dict | None = None
        while True:
            resp = self._client.search(index=index, body=bodies.chunk_counts_body(_PAGE_SIZE, after_key))
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
                    index=self.alias, body=bodies.doc_chunks_page_body(doc_id, _PAGE_SIZE, search_after)
                )
            except NotFoundError as exc:
                if _is_missing_index(exc):
                    return []
                raise
            hits = resp["hits"]["hits"]
            out.extend(Chunk.from_dict(hit["_source"]) for hit in hits)
            if len(hits) < _PAGE_SIZE:
                return out
            search_after = hits[-1]["sort"]

    def stats(self) -> IndexStats:
        """Counts of the live index; location is "alias -> physical index"."""
        live = self._live()
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
        resp = self._client.search(index=live.name, body=bodies.stats_body())
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
            live = self._live()
            if live is not None and live.name == self.alias:
                raise OpenSearchWriteError(
                    f"'{self.alias}' 이름의 일반 인덱스가 있어 별칭으로 쓸 수 없습니다. "
                    "그 인덱스를 다른 이름으로 옮기거나 지운 뒤 전체 재색인하세요."
                )
            copy_live = not full and live is not None
            if copy_live:
                self._check_embedder(live)
        except BaseException:
            lock.release()
            raise
        writer = OpenSearchIndexWriter(
            self, lock=lock, old_index=live.name if live is not None else None, copy_live=copy_live
        )
        if not copy_live:
            writer._start()
        return writer

    def _create_physical_index(self, name: str) -> None:
        majors = [10, 9] if self._lucene_major() >= 10 else [9, 10]
        for attempt, major in enumerate(majors):
            body = bodies.index_body(
                self.embedder_name,
                self.dim,
                bodies.nori_stoptags(major),
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

    def _lucene_major(self) -> int:
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

    def _copy_index(self, source: str, dest: str) -> None:
        resp = self._client.reindex(
            body=bodies.reindex_body(source, dest),
            wait_for_completion=True,
            refresh=True,
            request_timeout=self.reindex_timeout_s,
        )
        _check_by_query_response(resp, f"기존 색인 복사(_reindex {source} -> {dest})")
        log.info("copied %s documents from %s into %s", resp.get("total"), source, dest)

    def _delete_index_quietly(self, name: str) -> None:
        try:
            self._client.indices.delete(index=name)
        except NotFoundError:
            pass
        except TransportError as exc:
            log.error("could not delete index %s: %s", name, exc)

    def _remove_old_indexes(self, live_index: str) -> None:
        """Delete this alias's physical indexes other than the live one, keeping the newest `keep_previous`."""
        pattern = bodies.physical_index_pattern(self.alias)
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
            self._delete_index_quietly(name)
            log.info("deleted previous index %s", name)

    # --- shared state ---

    def _live(self) -> LiveIndex | None:
        """The physical index behind the alias, or None when there is none yet."""
        try:
            resp = self._client.indices.get_mapping(index=self.alias)
        except NotFoundError as exc:
            if _is_missing_index(exc):
                return None
            raise
        if len(resp) != 1:
            raise OpenSearchWriteError(
                f"별칭 '{self.alias}'이(가) 인덱스 여러 개({', '.join(sorted(resp))})를 가리킵니다. 하나만 남기세요."
            )
        name, body = next(iter(resp.items()))
        meta = ((body.get("mappings") or {}).get("_meta") or {}).get(bodies.META_KEY) or {}
        return LiveIndex(name=name, meta=dict(meta))

    def _alias_target(self) -> str | None:
        try:
            resp = self._client.indices.get_alias(name=self.alias)
        except NotFoundError:
            return None
        return next(iter(resp), None) if len(resp) == 1 else None

    def _check_embedder(self, live: LiveIndex) -> None:
        meta = live.meta
        if not meta:
            raise EmbedderMismatchError(
                f"인덱스 '{live.name}'에 임베딩 정보(_meta)가 없습니다. 전체 재색인(sangdam ingest --full)이 필요합니다."
            )
        if meta.get("embedder") != self.embedder_name or meta.get("dim") != self.dim:
            raise EmbedderMismatchError(
                f"인덱스 '{live.name}'은(는) 임베딩 모델 {meta.get('embedder')} ({meta.get('dim')}차원)으로 만들어졌고, "
                f"현재 설정은 {self.embedder_name} ({self.dim}차원)입니다. 전체 재색인(sangdam ingest --full)이 필요합니다."
            )

    def _ensure_pipeline(self) -> None:
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

    def _ready_for_reads(self) -> bool:
        """Check the live index's embedder and the pipeline once per process; False when no index exists."""
        with self._state_lock:
            if self._checked_index is not None and self._pipeline_ready:
                return True
        live = self._live()
        if live is None:
            return False
        self._check_embedder(live)
        self._ensure_pipeline()
        with self._state_lock:
            self._checked_index = live.name
        return True

    def _forget_checked(self) -> None:
        with self._state_lock:
            self._checked_index = None


class OpenSearchIndexWriter:
    """Changes written into the new physical index; `commit` swaps the alias onto it.

    An incremental writer creates the new index, a copy of the live one, at its first change, so a run
    that changes nothing copies nothing and its commit leaves the alias where it is.
    Deleting by query only sees refreshed documents, so chunks this writer indexed itself are tracked
    and deleted by id, and the copied chunks of a document are deleted by query once (the first time the
    document is touched). `set_superseded` refreshes first when there are unrefreshed writes.
    Leaving the `with` block normally commits (unless already committed or aborted); an exception aborts.
    """

    def __init__(
        self,
        owner: OpenSearchIndex,
        *,
        lock: OpenSearchWriterLock,
        old_index: str | None,
        copy_live: bool,
    ) -> None:
        self._owner = owner
        self._client = owner._client
        self._lock = lock
        self.new_index: str | None = None  # created by `_start`
        self.old_index = old_index
        self._copied_live = copy_live
        self._cleared: set[str] = set()
        self._written: dict[str, set[str]] = {}
        self._dirty = False
        self._finished = False

    def _start(self) -> None:
        """Create the new physical index (and copy the live one into it) unless done; a failure releases
        the lock and leaves the live index as it was."""
        if self.new_index is not None:
            return
        name = bodies.physical_index_name(self._owner.alias)
        try:
            self._owner._create_physical_index(name)
            self.new_index = name
            if self._copied_live:
                assert self.old_index is not None
                self._owner._copy_index(self.old_index, name)
        except BaseException:
            self._finished = True
            try:
                self._owner._delete_index_quietly(name)
            finally:
                self._lock.release()
            raise

    def __enter__(self) -> OpenSearchIndexWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._finished:
            return
        if exc_type is not None:
            self.abort()
        else:
            self.commit()

    def put_document(self, doc_id: str, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        """Replace every chunk of `doc_id` by `chunks` (with their L2-normalised vectors, same order)."""
        self._require_open()
        chunks = list(chunks)
        if not chunks:
            self.delete_document(doc_id)
            return
        matrix = np.asarray(vectors, dtype=np.float32)
        if matrix.shape != (len(chunks), self._owner.dim):
            raise ValueError(f"vectors must have shape ({len(chunks)}, {self._owner.dim}), got {matrix.shape}")
        ids = [c.chunk_id for c in chunks]
        if any(c.doc_id != doc_id for c in chunks):
            raise ValueError(f"every chunk passed to put_document({doc_id!r}) must have that doc_id")
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate chunk ids in document {doc_id!r}")
        self._lock.heartbeat()
        self._start()
        self._clear_copied(doc_id)
        stale = self._written.get(doc_id, set()) - set(ids)
        self._bulk(
            itertools.chain(
                bodies.bulk_index_actions(self.new_index, chunks, matrix),
                bodies.bulk_delete_actions(self.new_index, stale),
            )
        )
        self._written[doc_id] = set(ids)
        self._dirty = True

    def delete_document(self, doc_id: str) -> None:
        """Remove every chunk of `doc_id` (no-op for an unknown id)."""
        self._require_open()
        self._lock.heartbeat()
        self._start()
        self._clear_copied(doc_id)
        written = self._written.pop(doc_id, set())
        if written:
            self._bulk(bodies.bulk_delete_actions(self.new_index, written))
            self._dirty = True

    def set_superseded(self, doc_id: str, superseded: bool) -> None:
        """Set the `superseded` flag on every chunk of `doc_id` (an update_by_query with a painless script)."""
        self._require_open()
        self._lock.heartbeat()
        self._start()
        if self._dirty:
            self._client.indices.refresh(index=self.new_index)
            self._dirty = False
        resp = self._client.update_by_query(
            index=self.new_index, body=bodies.set_superseded_body(doc_id, superseded), refresh=True
        )
        _check_by_query_response(resp, f"구버전 표시 변경(update_by_query, {doc_id})")

    def commit(self) -> None:
        """Refresh the new index, move the alias onto it in one request, then drop the old index. An
        incremental writer that changed nothing only releases the lock."""
        self._require_open()
        alias = self._owner.alias
        if self.new_index is None:
            self._finished = True
            self._lock.release()
            log.info("alias %s unchanged: nothing to commit", alias)
            return
        try:
            self._client.indices.refresh(index=self.new_index)
            self._owner._ensure_pipeline()
            self._client.indices.update_aliases(
                body=bodies.alias_swap_actions(alias, self.new_index, self.old_index)
            )
        except Exception as exc:
            try:
                target = self._owner._alias_target()
            except Exception:
                # Whether the swap happened is unknown: never delete an index that may be live.
                self._finished = True
                self._lock.release()
                raise OpenSearchWriteError(
                    f"별칭 '{alias}' 전환 결과를 확인할 수 없습니다 ({exc}). 새 인덱스 '{self.new_index}'를 "
                    "지우지 않고 남겨 두었습니다. 클러스터 상태를 확인하세요."
                ) from exc
            if target != self.new_index:
                self.abort()
                raise
            log.warning("alias swap reported %r but %s -> %s is live", exc, alias, self.new_index)
        self._finished = True
        self._owner._forget_checked()
        try:
            self._owner._remove_old_indexes(self.new_index)
        except TransportError as exc:
            log.warning("could not clean up previous indexes of %s: %s", alias, exc)
        finally:
            self._lock.release()
        log.info("alias %s -> %s (was %s)", alias, self.new_index, self.old_index)

    def abort(self) -> None:
        """Delete the new index and release the lock; the alias is untouched."""
        if self._finished:
            return
        self._finished = True
        try:
            if self.new_index is not None:
                self._owner._delete_index_quietly(self.new_index)
        finally:
            self._lock.release()

    def _require_open(self) -> None:
        if self._finished:
            raise RuntimeError("이 색인 작업은 이미 커밋 또는 취소되었습니다.")

    def _clear_copied(self, doc_id: str) -> None:
        if not self._copied_live or doc_id in self._cleared:
            return
        resp = self._client.delete_by_query(index=self.new_index, body=bodies.doc_query(doc_id))
        _check_by_query_response(resp, f"문서 삭제(delete_by_query, {doc_id})")
        self._cleared.add(doc_id)
        self._dirty = True

    def _bulk(self, actions: Iterable[dict[str, Any]]) -> None:
        failures: list[dict[str, Any]] = []
        for ok, item in helpers.streaming_bulk(
            self._client,
            actions,
            chunk_size=self._owner.bulk_chunk_size,
            max_chunk_bytes=20 * 1024 * 1024,
            raise_on_error=False,
            raise_on_exception=True,
            max_retries=3,
            initial_backoff=1,
            yield_ok=False,
        ):
            if ok:
                continue
            op, result = next(iter(item.items()))
            if op == "delete" and result.get("status") == 404:
                continue
            failures.append(result)
        if failures:
            raise OpenSearchWriteError(
                f"OpenSearch 벌크 색인 {len(failures)}건 실패 (인덱스 {self.new_index}): {_describe_failures(failures)}"
            )


class OpenSearchWriterLock:
    """The single-writer lock: a document created with `op_type=create` in `{alias}-lock`.

    The holder refreshes `heartbeat_at` at most once a minute while it writes; a lock without a heartbeat
    for `stale_after_s` is taken over (a crashed writer). Every update and the release are conditional on
    the lock's `_seq_no`/`_primary_term`, so a writer whose lock was taken over fails instead of
    overwriting or deleting the new holder's lock.
    """

    HEARTBEAT_EVERY_S = 60.0

    def __init__(
        self,
        client: OpenSearch,
        alias: str,
        *,
        stale_after_s: float = 1800.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = client
        self.index = bodies.lock_index_name(alias)
        self.stale_after_s = float(stale_after_s)
        self._clock = clock
        self.owner = uuid.uuid4().hex
        self._acquired_at = 0.0
        self._last_beat = 0.0
        self._version: tuple[int, int] | None = None  # (_seq_no, _primary_term) of our lock document

    @property
    def held(self) -> bool:
        return self._version is not None

    def acquire(self) -> OpenSearchWriterLock:
        """Create the lock document, or raise `IndexBusyError` while another writer's lock is fresh."""
        self._ensure_lock_index()
        for _ in range(3):
            now = self._clock()
            try:
                resp = self._client.create(index=self.index, id=bodies.LOCK_DOC_ID, body=self._doc(now, now))
            except ConflictError:
                self._break_if_stale(now)
                continue
            self._acquired_at = now
            self._keep(resp, now)
            return self
        raise IndexBusyError("다른 색인 작업과 잠금 경쟁 중입니다. 잠시 뒤 다시 시도하세요.")

    def heartbeat(self, *, force: bool = False) -> None:
        """Show the lock is alive (throttled); raise `IndexBusyError` if it was taken over."""
        if self._version is None:
            raise IndexBusyError("색인 잠금을 잡고 있지 않습니다.")
        now = self._clock()
        if not force and now - self._last_beat < self.HEARTBEAT_EVERY_S:
            return
        seq_no, primary_term = self._version
        try:
            resp = self._client.index(
                index=self.index,
                id=bodies.LOCK_DOC_ID,
                body=self._doc(self._acquired_at, now),
                if_seq_no=seq_no,
                if_primary_term=primary_term,
            )
        except (ConflictError, NotFoundError) as exc:
            self._version = None
            raise IndexBusyError(
                "색인 잠금을 다른 작업이 가져갔습니다 (오래 응답이 없어 만료로 처리됨). 이 작업은 취소됩니다."
            ) from exc
        self._keep(resp, now)

    def release(self) -> None:
        """Delete our lock document (never someone else's)."""
        if self._version is None:
            return
        seq_no, primary_term = self._version
        self._version = None
        try:
            self._client.delete(
                index=self.index, id=bodies.LOCK_DOC_ID, if_seq_no=seq_no, if_primary_term=primary_term
            )
        except (ConflictError, NotFoundError):
            log.warning("writer lock %s was taken over before release", self.index)
        except TransportError as exc:
            log.error("could not release writer lock %s: %s", self.index, exc)

    def _doc(self, acquired_at: float, heartbeat_at: float) -> dict[str, Any]:
        return {
            "owner": self.owner,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "acquired_at": acquired_at,
            "heartbeat_at": heartbeat_at,
        }

    def _keep(self, resp: dict[str, Any], now: float) -> None:
        self._version = (int(resp["_seq_no"]), int(resp["_primary_term"]))
        self._last_beat = now

    def _ensure_lock_index(self) -> None:
        if self._client.indices.exists(index=self.index):
            return
        try:
            self._client.indices.create(index=self.index, body=bodies.lock_index_body())
        except RequestError as exc:
            if _error_type(exc) != "resource_already_exists_exception":
                raise

    def _break_if_stale(self, now: float) -> None:
        try:
            held = self._client.get(index=self.index, id=bodies.LOCK_DOC_ID)
        except NotFoundError:
            return  # released meanwhile: try again
        src = held.get("_source") or {}
        last = float(src.get("heartbeat_at") or src.get("acquired_at") or 0.0)
        idle = now - last
        if idle < self.stale_after_s:
            started = datetime.fromtimestamp(float(src.get("acquired_at") or last)).strftime("%Y-%m-%d %H:%M:%S")
            raise IndexBusyError(
                f"다른 색인 작업이 진행 중입니다 (호스트 {src.get('host', '?')}, PID {src.get('pid', '?')}, "
                f"{started} 시작, 마지막 응답 {idle:.0f}초 전). 끝난 뒤 다시 시도하세요. "
                f"그 작업이 비정상 종료됐다면 응답이 끊긴 지 {self.stale_after_s / 60:.0f}분 뒤 잠금이 풀립니다."
            )
        log.warning(
            "taking over stale writer lock %s (host %s, pid %s, idle %.0fs)", self.index, src.get("host"), src.get("pid"), idle
        )
        try:
            self._client.delete(
                index=self.index,
                id=bodies.LOCK_DOC_ID,
                if_seq_no=held["_seq_no"],
                if_primary_term=held["_primary_term"],
            )
        except (ConflictError, NotFoundError):
            pass  # another writer got there first; the next create decides
