"""Contract of `FeedbackStore` (backend/feedback/base.py).

Implementations: `SqliteFeedbackStore` over a temporary file (`unit`) and `OpenSearchFeedbackStore` on the
real cluster at SANGDAM_OPENSEARCH_URL (`opensearch`; skipped without one; a fresh index per test). The
recording fake of tests/backend/search/opensearch_fake.py is not a parameter: it has no `_count` route, no
`range` query, sorts ascending only, and `refresh=wait_for` does not make a saved rating searchable there.

Rules: an instance of the runtime-checkable protocol; `save` then `get` returns the record whole, `get` of
an unknown id gives None; saving the same `feedback_id` again replaces it (`count` stays 1); `list` is newest
first, `since` is inclusive, `rating` filters, `limit` keeps the newest; `count` counts; ratings saved from
many threads at once are all kept.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from backend.config import get_settings
from backend.feedback.base import FeedbackRecord, FeedbackStore
from backend.feedback.opensearch import OpenSearchFeedbackStore
from backend.feedback.sqlite import SqliteFeedbackStore

TIMES = ["2026-11-01T09:00:00.000+00:00", "2026-11-02T09:00:00.000+00:00", "2026-11-03T09:00:00.000+00:00",
         "2026-11-04T09:00:00.000+00:00"]


def record(**overrides) -> FeedbackRecord:
    fields = {"question": "이사 며칠 전에 신청해요?", "answer": "7일 전까지 신청합니다 [1].", "rating": 1, "mode": "extractive",
              "cited_chunk_ids": ("M006#2",), "cited_pages": ("M006.html",), "retrieval": {"backend": "embedded", "k": 5}}
    return FeedbackRecord(**(fields | overrides))


@pytest.fixture(params=[pytest.param("sqlite", marks=pytest.mark.unit), pytest.param("opensearch", marks=pytest.mark.opensearch)])
def store(request, tmp_path) -> FeedbackStore:
    if request.param == "sqlite":
        return SqliteFeedbackStore(tmp_path / "feedback.sqlite")
    if not get_settings().opensearch_url:
        pytest.skip("SANGDAM_OPENSEARCH_URL is not set: no OpenSearch cluster to run the feedback contract against")
    from backend.search.opensearch.client import build_opensearch_client

    client = build_opensearch_client(get_settings())
    index = f"sangdam-test-feedback-{uuid.uuid4().hex[:8]}"
    request.addfinalizer(lambda: client.indices.delete(index=index, ignore_unavailable=True))
    return OpenSearchFeedbackStore(client, index)


class TestFeedbackStoreContract:
    def test_saved_rating_comes_back_whole(self, store):
        assert isinstance(store, FeedbackStore)
        saved = record(rating=0, reason="근거 부족", comment="정확해요", agent_id="agent-07", model="manual-lora",
                       category="프로세스")
        store.save(saved)
        assert store.get(saved.feedback_id) == saved
        assert store.get("없음") is None
        assert store.count() == 1

    def test_re_rating_replaces(self, store):
        first = record()
        store.save(first)
        store.save(FeedbackRecord.from_dict({**first.to_dict(), "rating": 0, "reason": "오래된 정보", "comment": "요금 바뀜"}))
        assert store.count() == 1
        again = store.get(first.feedback_id)
        assert (again.rating, again.reason, again.comment) == (0, "오래된 정보", "요금 바뀜")
        assert [r.feedback_id for r in store.list()] == [first.feedback_id]

    def test_list_newest_first_since_inclusive_rating_and_limit(self, store):
        for i, t in enumerate([TIMES[2], TIMES[0], TIMES[3], TIMES[1]]):  # saved out of order
            store.save(record(created_at=t, rating=int(t in TIMES[::2]), comment=f"{i}"))
        assert [r.created_at for r in store.list()] == TIMES[::-1]
        assert [r.created_at for r in store.list(since=TIMES[1])] == TIMES[:0:-1]
        assert [r.created_at for r in store.list(rating=1)] == [TIMES[2], TIMES[0]]
        assert [r.created_at for r in store.list(rating=0)] == [TIMES[3], TIMES[1]]
        assert [r.created_at for r in store.list(limit=2)] == [TIMES[3], TIMES[2]]
        assert [r.created_at for r in store.list(since=TIMES[1], rating=0, limit=1)] == [TIMES[3]]
        assert store.count() == len(TIMES)

    def test_concurrent_saves_from_threads_lose_nothing(self, store):
        records = [record(comment=f"스레드 {i}", agent_id=f"agent-{i % 8}") for i in range(80)]
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(store.save, records))
        assert store.count() == len(records)
        assert {r.feedback_id for r in store.list()} == {r.feedback_id for r in records}
