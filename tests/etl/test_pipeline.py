from __future__ import annotations

import hashlib
import json

import pytest

from backend.config import Settings
from backend.storage.local import LocalAttachmentStore
from etl.pipeline import doc_id_of, ingest, page_hash_of_digests
from etl.source import LocalManualSource
from tests.etl.pages import CANARIES, page, word_count
from tests.fakes import FakeEmbedder, InMemorySearchIndex

pytestmark = pytest.mark.unit

MOVE = page("이사 안내", """<h4>신청</h4><p>이사 7일 전까지 신청합니다.</p>
<ul><li><a href="../files/%EC%9D%B4%EC%82%AC%EC%8B%A0%EC%B2%AD%EC%84%9C.pdf">이사신청서</a></li></ul>""",
            manual_id="KMS-MOV-0001")
RATES = page("인터넷 요금", """<h4>요금표</h4><table><tr><th>상품</th><th>요금</th></tr>
<tr><td>기가라이트</td><td>33,000원</td></tr></table><p><a href="./files/rates.xlsx">요금표 엑셀</a></p>""",
             manual_id="KMS-INT-0001", date="2026-05-01")
RATES_OLD = page("인터넷 요금", "<h4>요금표</h4><p>기가라이트 30,250원 (2025년 기준)</p>",
                 manual_id="KMS-INT-0001", date="2025-07-01")
TV = page("TV 요금", "<p>라이트 9,900원</p>", manual_id="KMS-TV-0001")


class Corpus:
    def __init__(self, tmp_path):
        self.root = tmp_path / "manuals"
        self.settings = Settings(home=tmp_path / "var", chunk_tokens=80, table_chunk_tokens=80)
        self.index = InMemorySearchIndex()
        self.embedder = FakeEmbedder()
        self.store = LocalAttachmentStore(self.settings.attachments_dir)
        self.progress: list[tuple] = []

    def write(self, rel: str, data: str | bytes) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    def remove(self, rel: str) -> None:
        (self.root / rel).unlink()

    def ingest(self, *, full: bool = False, embedder=None):
        return ingest(LocalManualSource(self.root), self.index, embedder or self.embedder, self.store, self.settings,
                      full=full, on_progress=lambda *a: self.progress.append(a), count_tokens=word_count)

    def texts(self, doc_id: str) -> str:
        return "\n".join(c.text for c in self.index.chunks(doc_id))


@pytest.fixture
def corpus(tmp_path):
    c = Corpus(tmp_path)
    c.write("move/M001.html", MOVE)
    c.write("M002.html", RATES)
    c.write("M002_old.html", RATES_OLD)
    c.write("M003.html", TV)
    c.write("files/이사신청서.pdf", b"%PDF-1.4 form")
    c.write("files/rates.xlsx", b"PK rates v1")
    return c


def test_first_run_indexes_stores_and_records(corpus):
    record = corpus.ingest()
    assert (record.status, record.pages_seen, record.pages_added, record.pages_failed) == ("ok", 4, 4, 0)
    assert set(corpus.index.documents()) == {"move/M001", "M002", "M002_old", "M003"}
    assert record.chunks_table == 1 and record.chunks_text >= 4
    assert record.embedded_texts == corpus.embedder.calls == record.chunks_written
    assert record.documents_total == 4

    move = corpus.index.chunks("move/M001")
    assert move[0].attachments[0].path == "files/이사신청서.pdf"
    assert move[0].attachments[0].media_type == "application/pdf"
    assert move[0].attachments[0].size == len(b"%PDF-1.4 form")
    assert corpus.store.get("files/이사신청서.pdf") == b"%PDF-1.4 form"
    assert corpus.store.get("move/M001.html") == MOVE.encode("utf-8")
    assert record.attachments_stored == 2
    for doc_id in corpus.index.documents():
        assert not any(canary in corpus.texts(doc_id) for canary in CANARIES)

    saved = json.loads((corpus.settings.runs_dir / f"{record.run_id}.json").read_text(encoding="utf-8"))
    assert saved["pages_added"] == 4 and saved["status"] == "ok"
    assert set(saved["timings"]) >= {"parse_s", "embed_s", "index_s", "total_s"}
    assert corpus.progress[0] == (0, 4, 0, "") and corpus.progress[-1] == (4, 4, 0, "move/M001.html")


def test_unchanged_run_embeds_nothing(corpus):
    corpus.ingest()
    calls, before = corpus.embedder.calls, corpus.index.documents()
    record = corpus.ingest()
    assert corpus.embedder.calls == calls
    assert (record.pages_unchanged, record.pages_added, record.pages_changed, record.embedded_texts) == (4, 0, 0, 0)
    assert corpus.index.documents() == before


def test_a_new_etl_revision_rechunks_unchanged_pages(corpus, monkeypatch):
    corpus.ingest()
    monkeypatch.setattr("etl.pipeline.ETL_REVISION", "a newer chunker")
    record = corpus.ingest()
    assert (record.pages_changed, record.pages_unchanged, record.pages_failed) == (4, 0, 0)
    assert corpus.ingest().pages_unchanged == 4


def test_changed_page_replaces_all_its_chunks(corpus):
    corpus.ingest()
    corpus.write("M003.html", page("TV 요금", "<p>라이트 11,000원으로 인상</p><p>베이직 16,500원</p>",
                                   manual_id="KMS-TV-0001"))
    calls = corpus.embedder.calls
    record = corpus.ingest()
    assert (record.pages_changed, record.pages_unchanged) == (1, 3)
    text = corpus.texts("M003")
    assert "11,000원" in text and "9,900원" not in text
    assert corpus.embedder.calls - calls == len(corpus.index.chunks("M003"))


def test_changed_attachment_reingests_the_page_linking_it(corpus):
    corpus.ingest()
    corpus.write("files/rates.xlsx", b"PK rates v2 with new prices")
    record = corpus.ingest()
    assert (record.pages_changed, record.pages_unchanged) == (1, 3)
    assert corpus.store.get("files/rates.xlsx") == b"PK rates v2 with new prices"
    assert corpus.index.documents()["M002"].page_hash == page_hash_of_digests(
        RATES.encode("utf-8"), {"files/rates.xlsx": hashlib.sha256(b"PK rates v2 with new prices").hexdigest()})


def test_removed_page_is_deleted(corpus):
    corpus.ingest()
    corpus.remove("M003.html")
    record = corpus.ingest()
    assert record.pages_removed == 1
    assert "M003" not in corpus.index.documents()
    assert not corpus.store.exists("M003.html")


@pytest.mark.parametrize(("data", "reason"), [
    (bytes(range(128, 256)) * 8, "문자 인코딩을 알 수 없습니다"),
    ("<html><body><div id='gnb'><a href='#'>홈</a></div></body></html>", "본문을 찾을 수 없습니다"),
])
def test_broken_page_is_reported_and_the_rest_indexed(corpus, data, reason):
    corpus.write("M004.html", data)
    record = corpus.ingest()
    assert (record.status, record.pages_failed, record.pages_added) == ("ok", 1, 4)
    assert record.failures[0]["page"] == "M004.html" and reason in record.failures[0]["reason"]
    assert "M004" not in corpus.index.documents()
    assert corpus.progress[-1][2] == 1


@pytest.mark.parametrize("full", [False, True])
def test_a_page_that_breaks_keeps_its_indexed_version(corpus, full):
    corpus.ingest()
    old_text = corpus.texts("M003")
    corpus.write("M003.html", b"\x00\xff" * 50)
    record = corpus.ingest(full=full)
    assert record.pages_failed == 1
    assert corpus.texts("M003") == old_text


def test_superseded_flags_and_a_flip_when_a_newer_version_arrives(corpus):
    corpus.ingest()
    docs = corpus.index.documents()
    assert docs["M002_old"].superseded and not docs["M002"].superseded
    assert all(c.superseded for c in corpus.index.chunks("M002_old"))

    # A newer revision of KMS-INT-0001 arrives: M002 flips without being re-parsed or re-embedded.
    corpus.write("M002_v3.html", page("인터넷 요금", "<p>기가라이트 35,000원</p>", manual_id="KMS-INT-0001",
                                      date="2026-09-01"))
    calls = corpus.embedder.calls
    record = corpus.ingest()
    docs = corpus.index.documents()
    assert (record.pages_added, record.pages_unchanged, record.superseded_updated) == (1, 4, 1)
    assert corpus.embedder.calls - calls == len(corpus.index.chunks("M002_v3"))
    assert docs["M002"].superseded and docs["M002_old"].superseded and not docs["M002_v3"].superseded
    assert all(c.superseded for c in corpus.index.chunks("M002"))

    # It goes away again: M002 is current once more.
    corpus.remove("M002_v3.html")
    corpus.ingest()
    assert not corpus.index.documents()["M002"].superseded


def test_new_page_processed_before_its_newer_version_gets_the_right_flag(corpus):
    corpus.write("A_1.html", page("요금", "<p>구 요금</p>", manual_id="KMS-X-1", date="2025-01-01"))
    corpus.write("A_2.html", page("요금", "<p>신 요금</p>", manual_id="KMS-X-1", date="2026-01-01"))
    corpus.ingest()
    assert all(c.superseded for c in corpus.index.chunks("A_1"))
    assert not any(c.superseded for c in corpus.index.chunks("A_2"))


def test_marked_old_page_is_superseded(corpus):
    corpus.write("M009.html", page("옛 안내", "<p>내용</p>", manual_id="KMS-OLD-1", status="superseded"))
    corpus.ingest()
    info = corpus.index.documents()["M009"]
    assert info.marked_old and info.superseded


class FailingEmbedder(FakeEmbedder):
    def __init__(self, fail_after: int) -> None:
        super().__init__()
        self.fail_after = fail_after
        self.batches = 0

    def embed_passages(self, texts):
        self.batches += 1
        if self.batches > self.fail_after:
            raise RuntimeError("embedding service down")
        return super().embed_passages(texts)


@pytest.mark.parametrize("full", [False, True])
def test_exception_mid_run_leaves_the_index_as_it_was(corpus, full):
    corpus.ingest()
    before = {d: corpus.index.chunks(d) for d in corpus.index.documents()}
    corpus.write("M003.html", page("TV 요금", "<p>바뀐 내용</p>", manual_id="KMS-TV-0001"))
    corpus.write("M005.html", page("새 문서", "<p>새 내용</p>", manual_id="KMS-N-1"))
    corpus.remove("move/M001.html")
    with pytest.raises(RuntimeError, match="embedding service down"):
        corpus.ingest(full=full, embedder=FailingEmbedder(fail_after=1))
    assert {d: corpus.index.chunks(d) for d in corpus.index.documents()} == before
    assert corpus.store.exists("move/M001.html")  # still linked by the live index
    failed = [json.loads(p.read_text(encoding="utf-8")) for p in corpus.settings.runs_dir.glob("*.json")]
    assert [r["status"] for r in sorted(failed, key=lambda r: r["run_id"])] == ["ok", "failed"]
    assert "기존 색인을 유지합니다" in max(failed, key=lambda r: r["run_id"])["error"]


def test_full_run_redoes_everything(corpus):
    corpus.ingest()
    calls = corpus.embedder.calls
    record = corpus.ingest(full=True)
    # Every page was chunked again: changed, not kept ("유지"), and the summary says it was a full re-index.
    assert record.full and record.pages_changed == 4 and record.pages_unchanged == 0 and record.pages_added == 0
    assert "(전체 재색인)" in record.summary_ko() and "변경 4, 유지 0" in record.summary_ko()
    assert corpus.embedder.calls - calls == record.chunks_written == sum(
        len(corpus.index.chunks(d)) for d in corpus.index.documents())


def test_empty_source_still_records_the_run(tmp_path):
    c = Corpus(tmp_path)
    c.root.mkdir(parents=True)
    record = c.ingest()
    assert (record.status, record.pages_seen, record.documents_total, record.nothing_indexed) == ("ok", 0, 0, True)
    assert (c.settings.runs_dir / f"{record.run_id}.json").exists()


def test_same_doc_id_twice_is_a_failure(corpus):
    corpus.write("M003.htm", TV)
    record = corpus.ingest()
    assert record.pages_failed == 1 and "같은 문서 ID" in record.failures[0]["reason"]


def test_doc_id():
    assert doc_id_of("internet/M004.html") == "internet/M004"
    assert doc_id_of("M004.htm") == "M004"


def test_a_caching_embedder_gets_the_answer_units_vectors_ahead(corpus, tmp_path):
    # The line-1 scorer embeds each candidate unit of an answer; the ingest puts them in the cache first,
    # so that an answer asks the model for no passage vector.
    from backend.embed.cache import CachedEmbedder
    from backend.generate.extractive.lead import unit_texts

    inner = FakeEmbedder()
    cached = CachedEmbedder(inner, tmp_path / "cache.sqlite")
    corpus.ingest(embedder=cached)
    chunks = [c for d in corpus.index.documents() for c in corpus.index.chunks(d)]
    texts = unit_texts(chunks)
    assert {"기가라이트의 요금: 33,000원.", "이사 7일 전까지 신청합니다."} <= set(texts)
    calls = inner.calls
    cached.embed_passages(texts)
    assert inner.calls == calls
    # An embedder without a cache is asked for the chunks only (nothing would keep the units' vectors).
    assert corpus.ingest(embedder=FakeEmbedder(), full=True).embedded_texts == len(chunks)
