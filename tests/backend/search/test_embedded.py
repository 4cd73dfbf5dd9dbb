"""What only the embedded index has: versions on disk, the CURRENT switch, the flock, reloads and cleanup."""

from __future__ import annotations

import json
import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from backend.search.base import AnalyzerMismatchError, EmbedderMismatchError, IndexBusyError
from backend.search.embedded import writer as embedded_writer
from backend.search.embedded.index import EmbeddedSearchIndex
from tests.backend.search.search_corpus import corpus, cosine_scores, ids, index_docs, make_chunks
from tests.fakes import FakeEmbedder

pytestmark = pytest.mark.unit

QUERY = "기가인터넷 해지 위약금"


@pytest.fixture
def index_dir(tmp_path) -> Path:
    return tmp_path / "index"


@pytest.fixture
def index(index_dir, fake_embedder) -> EmbeddedSearchIndex:
    return EmbeddedSearchIndex(index_dir, embedder_name=fake_embedder.name, dim=fake_embedder.dim)


def _versions(index_dir: Path) -> list[str]:
    return sorted(p.name for p in (index_dir / "versions").iterdir())


def _hits(index, embedder, query=QUERY, k=10):
    return [(h.chunk.chunk_id, h.score, h.detail) for h in index.search(query, embedder.embed_query(query), k=k)]


def test_reopening_from_disk_gives_identical_results(index, index_dir, fake_embedder):
    index_docs(index, corpus(), fake_embedder)
    reopened = EmbeddedSearchIndex(index_dir, embedder_name=fake_embedder.name, dim=fake_embedder.dim)
    for query in [QUERY, "휴대폰 분실", "요금제 월정액", "인터넷"]:
        assert _hits(reopened, fake_embedder, query) == _hits(index, fake_embedder, query)
    assert reopened.documents() == index.documents()
    assert reopened.stats() == index.stats()


def test_ties_are_broken_by_chunk_id(index, fake_embedder):
    docs = {d: make_chunks(d, ["위약금 안내 문서"]) for d in ["d/3", "d/1", "d/4", "d/0", "d/2"]}
    index_docs(index, docs, fake_embedder)
    assert ids(index.search("위약금", fake_embedder.embed_query("위약금"), k=3)) == ["d/0#0", "d/1#0", "d/2#0"]


def test_reader_threads_see_all_old_or_all_new_during_reindex(index, index_dir, fake_embedder):
    generations = {
        gen: {d: make_chunks(d, [f"{c.text} {gen}" for c in chunks], page_hash=gen) for d, chunks in corpus().items()}
        for gen in ("old", "new")
    }
    index_docs(index, generations["old"], fake_embedder)
    other_instance = EmbeddedSearchIndex(index_dir, embedder_name=fake_embedder.name, dim=fake_embedder.dim)
    stop = threading.Event()
    errors: list[BaseException] = []
    seen: list[str] = []
    searches = [0]

    def read(reader: EmbeddedSearchIndex) -> None:
        try:
            while not stop.is_set():
                hits = reader.search(QUERY, fake_embedder.embed_query(QUERY), k=10)
                generation = {h.chunk.page_hash for h in hits}
                assert len(hits) == 7 and len(generation) == 1, generation
                seen.append(generation.pop())
                searches[0] += 1
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    readers = [threading.Thread(target=read, args=(r,)) for r in (index, other_instance)]
    for t in readers:
        t.start()
    try:
        for i in range(6):
            index_docs(index, generations["new" if i % 2 == 0 else "old"], fake_embedder)
            done = searches[0]
            while searches[0] < done + 4 and not errors:  # let the readers run on this version
                threading.Event().wait(0.005)
    finally:
        stop.set()
        for t in readers:
            t.join()
    assert not errors, errors[0]
    assert set(seen) == {"old", "new"}


def test_crash_before_the_switch_leaves_the_live_version_serving(index, index_dir, fake_embedder, monkeypatch):
    index_docs(index, corpus(), fake_embedder)
    before = (_hits(index, fake_embedder), index.documents())
    live = _versions(index_dir)

    def crash(directory, name):
        raise OSError("disk full")

    monkeypatch.setattr(embedded_writer, "switch_current", crash)
    with pytest.raises(OSError, match="disk full"):
        with index.writer(full=True) as writer:
            writer.put_document("new/page", make_chunks("new/page", ["새 안내"]), fake_embedder.embed_passages(["새 안내"]))
    assert (_hits(index, fake_embedder), index.documents()) == before
    assert _versions(index_dir) == live  # the complete but never-live version was removed
    monkeypatch.undo()
    with index.writer(full=False) as writer:  # the lock was released
        writer.delete_document("phone/lost")
    assert "phone/lost" not in index.documents()


def test_leftovers_of_a_killed_writer_are_removed_by_the_next_writer(index, index_dir, fake_embedder):
    index_docs(index, corpus(), fake_embedder)
    versions = index_dir / "versions"
    (versions / ".build-v00000007-4242").mkdir()
    (versions / "v00000007").mkdir()  # renamed but CURRENT never switched
    (versions / "v00000007" / "meta.json").write_text("{}")
    assert _hits(index, fake_embedder)  # readers follow CURRENT only
    with index.writer(full=False) as writer:
        writer.delete_document("etc/inter")
    assert _versions(index_dir) == ["v00000001", "v00000002"]


def test_an_incremental_writer_that_changes_nothing_keeps_the_live_version(index, index_dir, fake_embedder):
    index_docs(index, corpus(), fake_embedder)
    before = _hits(index, fake_embedder)
    with index.writer(full=False) as writer:
        writer.set_superseded("no-such-doc", True)  # unknown ids change nothing
    assert _versions(index_dir) == ["v00000001"]
    assert _hits(index, fake_embedder) == before
    with index.writer(full=True):  # a full rebuild always writes, even an empty index
        pass
    assert _versions(index_dir) == ["v00000001", "v00000002"]
    assert _hits(index, fake_embedder) == []


def test_only_the_live_and_previous_versions_are_kept(index, index_dir, fake_embedder):
    for i in range(4):
        index_docs(index, {"a": make_chunks("a", [f"위약금 안내 {i}"])}, fake_embedder)
    assert _versions(index_dir) == ["v00000003", "v00000004"]
    assert (index_dir / "CURRENT").read_text().strip() == "v00000004"


def test_a_loaded_version_keeps_working_after_its_files_are_deleted(index, index_dir, fake_embedder):
    index_docs(index, corpus(), fake_embedder)
    loaded = index._live()
    index_docs(index, {"a": make_chunks("a", ["다른 안내"])}, fake_embedder)
    index_docs(index, {"b": make_chunks("b", ["또 다른 안내"])}, fake_embedder)
    assert not loaded.path.exists()
    query_vector = fake_embedder.embed_query(QUERY)
    rows, _ = loaded.vector_top(query_vector, None, 10)
    cos = cosine_scores(fake_embedder, query_vector, corpus())
    assert [loaded.chunk(int(r)).chunk_id for r in rows] == sorted(cos, key=lambda cid: (-cos[cid], cid))


def _try_writer(index_dir: str, name: str, dim: int, result) -> None:
    try:
        EmbeddedSearchIndex(index_dir, embedder_name=name, dim=dim).writer(full=True).abort()
        result.put("acquired")
    except IndexBusyError as exc:
        result.put(f"busy: {exc}")


def test_a_writer_in_another_process_is_refused(index, index_dir, fake_embedder):
    ctx = multiprocessing.get_context("fork")
    result = ctx.Queue()
    with index.writer(full=True) as writer:
        child = ctx.Process(target=_try_writer, args=(str(index_dir), fake_embedder.name, fake_embedder.dim, result))
        child.start()
        child.join(30)
        assert result.get(timeout=5) == "busy: 다른 색인 작업이 진행 중입니다. 그 작업이 끝난 뒤 다시 시도하세요."
        writer.abort()
    child = ctx.Process(target=_try_writer, args=(str(index_dir), fake_embedder.name, fake_embedder.dim, result))
    child.start()
    child.join(30)
    assert result.get(timeout=5) == "acquired"


def test_an_index_built_by_another_analyzer_must_be_rebuilt(index, index_dir, fake_embedder):
    index_docs(index, corpus(), fake_embedder)
    meta_path = index_dir / "versions" / "v00000001" / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["analyzer_version"] = "kiwi0.1-old-recipe"
    meta_path.write_text(json.dumps(meta))
    stale = EmbeddedSearchIndex(index_dir, embedder_name=fake_embedder.name, dim=fake_embedder.dim)
    with pytest.raises(AnalyzerMismatchError, match="전체 재색인"):
        stale.search(QUERY, fake_embedder.embed_query(QUERY))
    with pytest.raises(AnalyzerMismatchError):
        stale.writer(full=False)
    assert stale.stats().chunks == 7  # the admin can still see what is there
    index_docs(stale, corpus(), fake_embedder, full=True)
    assert _hits(stale, fake_embedder)


def test_search_refuses_vectors_of_another_embedder(index, index_dir, fake_embedder):
    index_docs(index, corpus(), fake_embedder)
    other = EmbeddedSearchIndex(index_dir, embedder_name="another-model", dim=fake_embedder.dim)
    with pytest.raises(EmbedderMismatchError, match="another-model"):
        other.search(QUERY, fake_embedder.embed_query(QUERY))
    with pytest.raises(EmbedderMismatchError):
        other.writer(full=False)
    with pytest.raises(EmbedderMismatchError):
        index.search(QUERY, FakeEmbedder(dim=32).embed_query(QUERY))


def test_concurrent_searches_from_threads(index, fake_embedder):
    index_docs(index, corpus(), fake_embedder)
    queries = [QUERY, "휴대폰 분실", "요금제", "이사 인터넷", "인터넷전화 기본료"] * 8
    expected = [_hits(index, fake_embedder, q) for q in queries]
    with ThreadPoolExecutor(max_workers=6) as pool:
        assert list(pool.map(lambda q: _hits(index, fake_embedder, q), queries)) == expected


def test_changes_within_one_writer_compose(index, fake_embedder):
    index_docs(index, corpus(), fake_embedder)
    with index.writer(full=False) as writer:
        writer.delete_document("phone/lost")
        writer.put_document("phone/lost", make_chunks("phone/lost", ["분실 신고 새 안내"]), fake_embedder.embed_passages(["분실 신고 새 안내"]))
        writer.set_superseded("phone/lost", True)
        writer.set_superseded("internet/move", True)
        writer.put_document("etc/inter", [], fake_embedder.embed_passages([]))  # no chunks: the page is gone
    docs = index.documents()
    assert docs["phone/lost"].superseded and docs["internet/move"].superseded
    assert [c.text for c in index.chunks("phone/lost")] == ["분실 신고 새 안내"]
    assert all(c.superseded for c in index.chunks("internet/move"))
    assert "etc/inter" not in docs


def test_deleting_every_document_leaves_an_empty_index(index, fake_embedder):
    index_docs(index, corpus(), fake_embedder)
    with index.writer(full=False) as writer:
        for doc_id in list(index.documents()):
            writer.delete_document(doc_id)
    assert index.search(QUERY, fake_embedder.embed_query(QUERY)) == []
    assert index.stats().chunks == 0 and index.documents() == {}


def test_a_closed_writer_cannot_be_used(index, fake_embedder):
    writer = index.writer(full=True)
    writer.commit()
    with pytest.raises(RuntimeError):
        writer.put_document("a", make_chunks("a", ["안내"]), fake_embedder.embed_passages(["안내"]))
