"""The one place that picks the search backend from settings, and the process-wide retriever."""

from __future__ import annotations

import threading

from backend.config import Settings, get_settings
from backend.search.base import SearchIndex
from backend.search.retriever import Retriever

_retrievers: dict[int, tuple[Settings, Retriever]] = {}
_lock = threading.Lock()


def build_search_index(settings: Settings, *, embedder_name: str, dim: int) -> SearchIndex:
    """The configured index: the embedded directory (`settings.index_dir`) or the OpenSearch alias."""
    if settings.search_backend == "opensearch":
        from backend.search.opensearch import OpenSearchIndex

        return OpenSearchIndex.from_settings(settings, embedder_name=embedder_name, dim=dim)
    from backend.search.embedded import EmbeddedSearchIndex

    return EmbeddedSearchIndex.from_settings(settings, embedder_name=embedder_name, dim=dim)


def get_retriever(settings: Settings | None = None) -> Retriever:
    """The process-wide retriever for `settings` (default: `get_settings()`): embedder, index and
    retriever are built once and shared by every thread."""
    from backend.embed.factory import build_embedder

    settings = settings or get_settings()
    with _lock:
        cached = _retrievers.get(id(settings))
        # The settings object is kept alongside, so its id cannot be reused by another object.
        if cached is None or cached[0] is not settings:
            embedder = build_embedder(settings)
            index = build_search_index(settings, embedder_name=embedder.name, dim=embedder.dim)
            cached = _retrievers[id(settings)] = (settings, Retriever(index, embedder, settings))
        return cached[1]


def clear_cache() -> None:
    """Forget the process-wide retrievers (after a settings change, and between tests)."""
    with _lock:
        _retrievers.clear()
