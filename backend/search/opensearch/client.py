"""The OpenSearch client, the backend's errors and the helpers that read cluster responses."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from opensearchpy import OpenSearch
from opensearchpy.exceptions import NotFoundError, TransportError

from backend.config import Settings

log = logging.getLogger(__name__)

REPORTED_FAILURES = 5


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


def error_type(exc: TransportError) -> str:
    return str(exc.error) if exc.error is not None else ""


def is_missing_index(exc: NotFoundError) -> bool:
    return error_type(exc) in ("index_not_found_exception", "")


def describe_failures(failures: Sequence[Any]) -> str:
    lines = []
    for failure in failures[:REPORTED_FAILURES]:
        if not isinstance(failure, dict):
            lines.append(str(failure))
            continue
        cause = failure.get("error") or failure.get("cause") or failure
        if isinstance(cause, dict):
            cause = f"{cause.get('type', '?')}: {cause.get('reason', '')}"
        ident = failure.get("_id") or failure.get("id") or "-"
        lines.append(f"{ident} ({failure.get('status', '?')}) {cause}")
    more = f" 외 {len(failures) - REPORTED_FAILURES}건" if len(failures) > REPORTED_FAILURES else ""
    return "; ".join(lines) + more


def check_by_query_response(resp: dict[str, Any], what: str) -> None:
    failures = resp.get("failures") or []
    if failures or resp.get("timed_out"):
        reason = describe_failures(failures) if failures else "시간 초과"
        raise OpenSearchWriteError(f"OpenSearch {what} 실패: {reason}")
