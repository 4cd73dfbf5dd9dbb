"""The one place that picks the search backend from settings, and the process-wide retriever."""

from __future__ import annotations

from backend.config import Settings
from backend.embed.factory import build_embedder
from backend.process_cache import process_cached
from backend.search.base import SearchIndex
from backend.search.retriever import Retriever


def build_search_index(settings: Settings, *, embedder_name: str, dim: int) -> SearchIndex:
    """The configured index: the embedded directory (`settings.index_dir`) or the OpenSearch alias.
    Implementations are imported here, only when chosen."""
    if settings.search_backend == "opensearch":
        from backend.search.opensearch.index import OpenSearchIndex

        return OpenSearchIndex.from_settings(settings, embedder_name=embedder_name, dim=dim)
    from backend.search.embedded.index import EmbeddedSearchIndex

    return EmbeddedSearchIndex.from_settings(settings, embedder_name=embedder_name, dim=dim)


@process_cached(key=Settings.fingerprint)
def build_retriever(settings: Settings) -> Retriever:
    """The process-wide retriever for `settings`: embedder, index and retriever are built once and
    shared by every thread."""
    embedder = build_embedder(settings)
    index = build_search_index(settings, embedder_name=embedder.name, dim=embedder.dim)
    return Retriever(index, embedder, settings)
