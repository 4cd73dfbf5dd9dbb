"""`build_feedback_store`: the one place that picks where ratings are kept."""

from __future__ import annotations

from backend.config import Settings
from backend.feedback.base import FeedbackStore


def build_feedback_store(settings: Settings) -> FeedbackStore:
    """SQLite under SANGDAM_HOME, or the OpenSearch index `{alias}-feedback` when the search runs on OpenSearch."""
    backend = settings.feedback_store
    if backend == "auto":
        backend = "opensearch" if settings.search_backend == "opensearch" else "embedded"
    if backend == "opensearch":
        from backend.feedback.opensearch import OpenSearchFeedbackStore
        from backend.search.opensearch.client import build_opensearch_client

        return OpenSearchFeedbackStore(build_opensearch_client(settings), f"{settings.opensearch_alias}-feedback")
    from backend.feedback.sqlite import SqliteFeedbackStore

    return SqliteFeedbackStore(settings.home / "feedback.sqlite")
