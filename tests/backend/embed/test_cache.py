"""The SQLite embedding cache, with the fake embedder standing in for the model."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from backend.embed.cache import CachedEmbedder, RememberingEmbedder
from tests.fakes import FakeEmbedder

pytestmark = pytest.mark.unit

TEXTS = ["기가인터넷 해지 위약금", "휴대폰 분실 신고", "요금제 변경", "이사 인터넷 이전 설치"]


@pytest.fixture
def cache_path(tmp_path):
    return tmp_path / "home" / "embedding-cache.sqlite"


def test_second_call_embeds_nothing(cache_path):
    inner = FakeEmbedder()
    cached = CachedEmbedder(inner, cache_path)
    first = cached.embed_passages(TEXTS)
    assert inner.calls == len(TEXTS)
    second = cached.embed_passages(TEXTS)
    assert inner.calls == len(TEXTS)
    np.testing.assert_array_equal(first, second)
    np.testing.assert_allclose(first, inner.embed_passages(TEXTS), atol=1e-7)
    assert (cached.hits, cached.misses) == (len(TEXTS), len(TEXTS))


def test_only_new_texts_are_embedded_and_order_is_kept(cache_path):
    inner = FakeEmbedder()
    cached = CachedEmbedder(inner, cache_path)
    cached.embed_passages(TEXTS[:2])
    calls = inner.calls
    out = cached.embed_passages([TEXTS[3], TEXTS[0], TEXTS[2], TEXTS[0]])
    assert inner.calls - calls == 2  # TEXTS[3] and TEXTS[2]; the repeated TEXTS[0] is cached
    np.testing.assert_allclose(out, inner.embed_passages([TEXTS[3], TEXTS[0], TEXTS[2], TEXTS[0]]), atol=1e-7)


def test_duplicates_in_one_batch_are_embedded_once(cache_path):
    inner = FakeEmbedder()
    out = CachedEmbedder(inner, cache_path).embed_passages([TEXTS[0]] * 5 + [TEXTS[1]])
    assert inner.calls == 2
    assert out.shape == (6, inner.dim)


def test_the_cache_persists_across_instances(cache_path):
    CachedEmbedder(FakeEmbedder(), cache_path).embed_passages(TEXTS)
    inner = FakeEmbedder()
    CachedEmbedder(inner, cache_path).embed_passages(TEXTS)
    assert inner.calls == 0
    mode = sqlite3.connect(cache_path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_different_embedder_names_do_not_mix(cache_path):
    CachedEmbedder(FakeEmbedder(name="model-a"), cache_path).embed_passages(TEXTS)
    other = FakeEmbedder(name="model-b")
    CachedEmbedder(other, cache_path).embed_passages(TEXTS)
    assert other.calls == len(TEXTS)


def test_a_cached_vector_of_another_dimension_is_not_used(cache_path):
    CachedEmbedder(FakeEmbedder(dim=32, name="same-name"), cache_path).embed_passages(TEXTS)
    wider = FakeEmbedder(dim=64, name="same-name")
    out = CachedEmbedder(wider, cache_path).embed_passages(TEXTS)
    assert wider.calls == len(TEXTS) and out.shape == (len(TEXTS), 64)


def test_recent_queries_are_kept_in_memory_only(cache_path):
    inner = FakeEmbedder()
    cached = CachedEmbedder(inner, cache_path)
    q1 = cached.embed_query("위약금이 얼마예요")
    q2 = cached.embed_query("위약금이 얼마예요")  # the search, then the line-1 scorer: one model call
    assert inner.calls == 1
    np.testing.assert_array_equal(q1, q2)
    with pytest.raises(ValueError):
        q1[0] = 1.0  # shared between callers: read-only
    for i in range(64):
        cached.embed_query(f"질문 {i}")
    cached.embed_query("위약금이 얼마예요")  # pushed out by 64 newer questions
    assert inner.calls == 66
    fresh = FakeEmbedder()
    CachedEmbedder(fresh, cache_path).embed_query("위약금이 얼마예요")
    assert fresh.calls == 1  # not on disk
    assert cached.embed_passages([]).shape == (0, inner.dim)


def test_a_remembering_embedder_embeds_each_question_once_however_many_come_between():
    inner = FakeEmbedder()
    remembering = RememberingEmbedder(inner)
    assert (remembering.name, remembering.dim) == (inner.name, inner.dim)
    first = remembering.embed_query("위약금이 얼마예요")
    for i in range(200):  # more than `CachedEmbedder` keeps
        remembering.embed_query(f"질문 {i}")
    np.testing.assert_array_equal(remembering.embed_query("위약금이 얼마예요"), first)
    assert inner.calls == 201
    remembering.embed_passages(["본문", "본문"])  # passages are not remembered
    assert inner.calls == 203


def test_concurrent_use_from_threads(cache_path):
    inner = FakeEmbedder()
    cached = CachedEmbedder(inner, cache_path)
    batches = [[f"{t} {i % 5}" for t in TEXTS] for i in range(20)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(cached.embed_passages, batches))
    for batch, result in zip(batches, results):
        np.testing.assert_allclose(result, inner.embed_passages(batch), atol=1e-7)
    calls = inner.calls
    cached.embed_passages(batches[0])
    assert inner.calls == calls
