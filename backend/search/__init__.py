"""Hybrid (BM25 + vector) search over manual chunks: the `SearchIndex` protocol, the embedded backend,
the retriever and the factory (the OpenSearch backend is imported only when configured)."""

from backend.search.base import EmbedderMismatchError, IndexBusyError, IndexWriter, SearchIndex
from backend.search.embedded import AnalyzerMismatchError, EmbeddedIndexWriter, EmbeddedSearchIndex
from backend.search.factory import build_search_index, get_retriever
from backend.search.retriever import Retriever

__all__ = [
    "AnalyzerMismatchError",
    "EmbedderMismatchError",
    "EmbeddedIndexWriter",
    "EmbeddedSearchIndex",
    "IndexBusyError",
    "IndexWriter",
    "Retriever",
    "SearchIndex",
    "build_search_index",
    "get_retriever",
]
