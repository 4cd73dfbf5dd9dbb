"""`OpenSearchIndexWriter`: builds a new physical index beside the live one and moves the alias on commit."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from opensearchpy import OpenSearch, helpers
from opensearchpy.exceptions import TransportError

from backend.models import Chunk
from backend.search.opensearch import mappings, queries
from backend.search.opensearch.client import OpenSearchWriteError, check_by_query_response, describe_failures
from backend.search.opensearch.cluster import OpenSearchCluster
from backend.search.opensearch.lock import OpenSearchWriterLock

log = logging.getLogger(__name__)


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
        cluster: OpenSearchCluster,
        client: OpenSearch,
        *,
        lock: OpenSearchWriterLock,
        old_index: str | None,
        copy_live: bool,
        bulk_chunk_size: int = 200,
    ) -> None:
        self._cluster = cluster
        self._client = client
        self.bulk_chunk_size = int(bulk_chunk_size)
        self._lock = lock
        self.new_index: str | None = None  # created by `start`
        self.old_index = old_index
        self._copied_live = copy_live
        self._cleared: set[str] = set()
        self._written: dict[str, set[str]] = {}
        self._dirty = False
        self._finished = False

    def start(self) -> None:
        """Create the new physical index (and copy the live one into it) unless done; a failure releases
        the lock and leaves the live index as it was."""
        if self.new_index is not None:
            return
        name = mappings.physical_index_name(self._cluster.alias)
        try:
            self._cluster.create_physical_index(name)
            self.new_index = name
            if self._copied_live:
                assert self.old_index is not None
                self._cluster.copy_index(self.old_index, name)
        except BaseException:
            self._finished = True
            try:
                self._cluster.delete_index_quietly(name)
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
        if matrix.shape != (len(chunks), self._cluster.dim):
            raise ValueError(f"vectors must have shape ({len(chunks)}, {self._cluster.dim}), got {matrix.shape}")
        ids = [c.chunk_id for c in chunks]
        if any(c.doc_id != doc_id for c in chunks):
            raise ValueError(f"every chunk passed to put_document({doc_id!r}) must have that doc_id")
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate chunk ids in document {doc_id!r}")
        self._lock.heartbeat()
        self.start()
        self._clear_copied(doc_id)
        stale = self._written.get(doc_id, set()) - set(ids)
        self._bulk(
            itertools.chain(
                queries.bulk_index_actions(self.new_index, chunks, matrix),
                queries.bulk_delete_actions(self.new_index, stale),
            )
        )
        self._written[doc_id] = set(ids)
        self._dirty = True

    def delete_document(self, doc_id: str) -> None:
        """Remove every chunk of `doc_id` (no-op for an unknown id)."""
        self._require_open()
        self._lock.heartbeat()
        self.start()
        self._clear_copied(doc_id)
        written = self._written.pop(doc_id, set())
        if written:
            self._bulk(queries.bulk_delete_actions(self.new_index, written))
            self._dirty = True

    def set_superseded(self, doc_id: str, superseded: bool) -> None:
        """Set the `superseded` flag on every chunk of `doc_id` (an update_by_query with a painless script)."""
        self._require_open()
        self._lock.heartbeat()
        self.start()
        if self._dirty:
            self._client.indices.refresh(index=self.new_index)
            self._dirty = False
        resp = self._client.update_by_query(
            index=self.new_index, body=queries.set_superseded_body(doc_id, superseded), refresh=True
        )
        check_by_query_response(resp, f"구버전 표시 변경(update_by_query, {doc_id})")

    def commit(self) -> None:
        """Refresh the new index, move the alias onto it in one request, then drop the old index. An
        incremental writer that changed nothing only releases the lock."""
        self._require_open()
        alias = self._cluster.alias
        if self.new_index is None:
            self._finished = True
            self._lock.release()
            log.info("alias %s unchanged: nothing to commit", alias)
            return
        try:
            self._client.indices.refresh(index=self.new_index)
            self._cluster.ensure_pipeline()
            self._client.indices.update_aliases(
                body=queries.alias_swap_actions(alias, self.new_index, self.old_index)
            )
        except Exception as exc:
            try:
                target = self._cluster.alias_target()
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
        self._cluster.forget_checked()
        try:
            self._cluster.remove_old_indexes(self.new_index)
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
                self._cluster.delete_index_quietly(self.new_index)
        finally:
            self._lock.release()

    def _require_open(self) -> None:
        if self._finished:
            raise RuntimeError("이 색인 작업은 이미 커밋 또는 취소되었습니다.")

    def _clear_copied(self, doc_id: str) -> None:
        if not self._copied_live or doc_id in self._cleared:
            return
        resp = self._client.delete_by_query(index=self.new_index, body=queries.doc_query(doc_id))
        check_by_query_response(resp, f"문서 삭제(delete_by_query, {doc_id})")
        self._cleared.add(doc_id)
        self._dirty = True

    def _bulk(self, actions: Iterable[dict[str, Any]]) -> None:
        failures: list[dict[str, Any]] = []
        for ok, item in helpers.streaming_bulk(
            self._client,
            actions,
            chunk_size=self.bulk_chunk_size,
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
                f"OpenSearch 벌크 색인 {len(failures)}건 실패 (인덱스 {self.new_index}): {describe_failures(failures)}"
            )
