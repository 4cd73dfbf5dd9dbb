"""`OpenSearchWriterLock`: one writer at a time, as a lock document in `{alias}-lock`."""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConflictError, NotFoundError, RequestError, TransportError

from backend.search.base import IndexBusyError
from backend.search.opensearch import mappings
from backend.search.opensearch.client import error_type

log = logging.getLogger(__name__)


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
        self.index = mappings.lock_index_name(alias)
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
                resp = self._client.create(index=self.index, id=mappings.LOCK_DOC_ID, body=self._doc(now, now))
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
                id=mappings.LOCK_DOC_ID,
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
                index=self.index, id=mappings.LOCK_DOC_ID, if_seq_no=seq_no, if_primary_term=primary_term
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
            self._client.indices.create(index=self.index, body=mappings.lock_index_body())
        except RequestError as exc:
            if error_type(exc) != "resource_already_exists_exception":
                raise

    def _break_if_stale(self, now: float) -> None:
        try:
            held = self._client.get(index=self.index, id=mappings.LOCK_DOC_ID)
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
                id=mappings.LOCK_DOC_ID,
                if_seq_no=held["_seq_no"],
                if_primary_term=held["_primary_term"],
            )
        except (ConflictError, NotFoundError):
            pass  # another writer got there first; the next create decides
