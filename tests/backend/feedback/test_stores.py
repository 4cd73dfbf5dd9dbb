"""The FeedbackStore contract (SQLite here; OpenSearch when SANGDAM_OPENSEARCH_URL is set), concurrent
writers, and the OpenSearch store's requests."""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from backend.config import Settings
from backend.feedback.base import REASONS, FeedbackRecord
from backend.feedback.factory import build_feedback_store
from backend.feedback.opensearch import OpenSearchFeedbackStore
from backend.feedback.sqlite import SqliteFeedbackStore


def record(**overrides) -> FeedbackRecord:
    fields = dict(question="이사 며칠 전에 신청해요?", answer="7일 전까지 신청합니다 [1].", rating=1, mode="extractive",
                  cited_chunk_ids=("M006#2",), cited_pages=("M006.html",), retrieval={"backend": "embedded", "k": 5})
    fields.update(overrides)
    return FeedbackRecord(**fields)


@pytest.mark.unit
@pytest.mark.parametrize("bad", [dict(rating=2), dict(reason="모름")])
def test_invalid_ratings_are_refused_in_korean(bad):
    with pytest.raises(ValueError, match="평가|사유"):
        record(**bad)
    assert set(REASONS) == {"틀린 정보", "근거 부족", "오래된 정보", "영어 답변", "기타"}


@pytest.mark.unit
def test_ten_concurrent_threads_lose_no_rating(tmp_path):
    store = SqliteFeedbackStore(tmp_path / "feedback.sqlite")
    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(lambda i: store.save(record(comment=f"스레드 {i}")), range(200)))
    assert store.count() == 200


def _write_many(path: str, worker: int, n: int) -> None:
    store = SqliteFeedbackStore(path)
    for i in range(n):
        store.save(record(comment=f"작업자 {worker} - {i}", agent_id=f"agent-{worker}"))


@pytest.mark.integration
def test_ten_concurrent_processes_lose_no_rating(tmp_path):
    path = str(tmp_path / "feedback.sqlite")
    SqliteFeedbackStore(path)
    ctx = multiprocessing.get_context("spawn")
    started = time.perf_counter()
    procs = [ctx.Process(target=_write_many, args=(path, w, 30)) for w in range(10)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert all(p.exitcode == 0 for p in procs)
    store = SqliteFeedbackStore(path)
    assert store.count() == 300
    assert {r.agent_id for r in store.list()} == {f"agent-{w}" for w in range(10)}
    assert time.perf_counter() - started < 120


@pytest.mark.unit
def test_the_factory_follows_the_search_backend(tmp_path):
    assert isinstance(build_feedback_store(Settings(home=tmp_path)), SqliteFeedbackStore)
    os_store = build_feedback_store(Settings(home=tmp_path, search_backend="opensearch",
                                             opensearch_url="http://127.0.0.1:9", opensearch_alias="manuals"))
    assert isinstance(os_store, OpenSearchFeedbackStore) and os_store.index == "manuals-feedback"


class _RecordingClient:
    """Just enough of opensearch-py's client to see the requests the store sends."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.indices = self

    def exists(self, index):
        return False

    def create(self, index, body):
        self.calls.append(("create", {"index": index, "body": body}))

    def index(self, **kwargs):
        self.calls.append(("index", kwargs))

    def search(self, index, body):
        self.calls.append(("search", body))
        return {"hits": {"hits": []}}


@pytest.mark.unit
def test_opensearch_requests():
    client = _RecordingClient()
    store = OpenSearchFeedbackStore(client, "sangdam-manuals-feedback")
    r = record()
    store.save(r)
    store.list(since="2026-11-01T00:00:00Z", rating=0, limit=10)
    (create, index, search) = client.calls
    assert create[1]["body"]["mappings"]["properties"]["created_at"] == {"type": "date"}
    assert index[1]["id"] == r.feedback_id and index[1]["refresh"] == "wait_for" and index[1]["body"]["rating"] == 1
    assert search[1]["sort"][0] == {"created_at": "desc"}
    assert {"term": {"rating": 0}} in search[1]["query"]["bool"]["filter"]
    assert search[1]["size"] == 10
