"""Contract of `SearchIndex` / `IndexWriter` (backend/search/base.py).

Implementations: the embedded index always (`unit`); OpenSearch when SANGDAM_OPENSEARCH_URL names a real
cluster (`opensearch`, skipped otherwise). The recording OpenSearch fake (tests/backend/search/opensearch_fake.py)
is not a parameter: it answers hybrid queries only from `queue_search`, so it cannot rank.

Rules: keyword search across particles and spacing; min-max weighted-mean and RRF fusion as the fusion
reference computes them; filters (kind, breadcrumb prefix, current only) applied before ranking; k hits
whenever k chunks match; `put_document` replaces a page's chunks and rejects vectors that do not fit;
`delete_document` / `set_superseded` (unknown ids a no-op); writers are isolated until `commit`, which an
already open reader sees; `abort` (and an exception in the `with` block) leaves the index as before; one
writer at a time (`IndexBusyError`); a full writer starts empty, an incremental one keeps the rest;
`documents`/`chunks`/`stats` round-trip every field; an index built by another embedder is reported
(`EmbedderMismatchError`); `corrections` fixes a typo of an indexed word and never an indexed word;
`known_terms` tells the analyzer terms (morphemes and character bigrams) some chunk holds."""

from __future__ import annotations

import numpy as np
import pytest

from backend.config import Settings
from backend.models import SearchFilters
from backend.search.base import EmbedderMismatchError, IndexBusyError, SearchIndex
from backend.search.fusion import min_max
from backend.search.retriever import Retriever
from tests.backend.search.search_corpus import corpus, cosine_scores, doc_ids, ids, index_docs, make_chunks
from tests.fakes import FakeEmbedder


def _search(index: SearchIndex, embedder: FakeEmbedder, query: str, k: int = 5, filters: SearchFilters | None = None):
    return index.search(query, embedder.embed_query(query), k=k, filters=filters)


def _state(index: SearchIndex, embedder: FakeEmbedder) -> tuple:
    """What a reader can observe, to compare before/after."""
    hits = _search(index, embedder, "기가인터넷 위약금", k=10)
    chunks = {d: [c.to_dict() for c in index.chunks(d)] for d in sorted(index.documents())}
    return index.documents(), chunks, [(h.chunk.chunk_id, round(h.score, 6)) for h in hits], index.stats().chunks


def test_empty_index_returns_nothing(search_backend, fake_embedder):
    index = search_backend.open()
    assert _search(index, fake_embedder, "위약금") == []
    assert index.documents() == {}
    assert index.chunks("internet/giga-cancel") == []
    stats = index.stats()
    assert (stats.documents, stats.chunks, stats.table_chunks, stats.superseded_documents) == (0, 0, 0, 0)


def test_keyword_matches_across_particles_and_spacing(search_backend, fake_embedder):
    index = search_backend.open(keyword_weight=1.0)
    index_docs(index, corpus(), fake_embedder)
    # "위약금이"/"위약금은"/"위약금을" in the page; "기가 인터넷" spaced in the query, joined in the page.
    for query in ["기가 인터넷 위약금이 얼마인가요?", "위약금은", "군 입대 위약금 면제"]:
        hits = _search(index, fake_embedder, query)
        assert hits[0].chunk.doc_id == "internet/giga-cancel", query
        assert hits[0].score == pytest.approx(1.0)
    hits = _search(index, fake_embedder, "인터넷 전화 기본료가 얼마예요")
    assert hits[0].chunk.doc_id == "voip/fee"
    hits = _search(index, fake_embedder, "usim 재발급")  # Latin text matches case-insensitively
    assert hits[0].chunk.doc_id == "phone/lost"


def test_vector_only_relevance(search_backend, fake_embedder):
    docs = corpus()
    index = search_backend.open(keyword_weight=0.0)
    index_docs(index, docs, fake_embedder)
    target = docs["phone/lost"][0]
    hits = index.search("zzqx", fake_embedder.embed_passages([target.text])[0], k=3)
    assert hits[0].chunk.chunk_id == target.chunk_id
    assert hits[0].score == pytest.approx(1.0)


def test_minmax_vector_scores_match_the_fusion_reference(search_backend, fake_embedder):
    docs = corpus()
    index = search_backend.open(keyword_weight=0.0)
    index_docs(index, docs, fake_embedder)
    query = "이사 가는데 인터넷 옮기려면"
    expected = min_max(cosine_scores(fake_embedder, fake_embedder.embed_query(query), docs))
    hits = _search(index, fake_embedder, query, k=4)
    assert len(hits) == 4
    for hit in hits:
        assert hit.score == pytest.approx(expected[hit.chunk.chunk_id], abs=1e-4)
    best = sorted(expected.items(), key=lambda kv: (-kv[1], kv[0]))[:4]
    assert [h.score for h in hits] == pytest.approx([s for _, s in best], abs=1e-4)


def test_minmax_weighted_mean_matches_the_fusion_reference(search_backend, fake_embedder):
    docs = corpus()
    index = search_backend.open(keyword_weight=0.3)
    index_docs(index, docs, fake_embedder)
    query = "기가인터넷 해지 위약금"
    expected_vector = min_max(cosine_scores(fake_embedder, fake_embedder.embed_query(query), docs))
    hits = _search(index, fake_embedder, query, k=10)
    assert len(hits) == sum(len(c) for c in docs.values())
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(0.0 <= h.score <= 1.0 + 1e-9 for h in hits)
    assert hits[0].chunk.doc_id == "internet/giga-cancel"
    if hits[0].detail:  # backends that expose the per-sub-query normalised scores
        assert max(h.detail["keyword"] for h in hits) == pytest.approx(1.0)
        for hit in hits:
            assert hit.detail["vector"] == pytest.approx(expected_vector[hit.chunk.chunk_id], abs=1e-4)
            assert hit.score == pytest.approx(0.3 * hit.detail["keyword"] + 0.7 * hit.detail["vector"], abs=1e-6)


def test_rrf_fusion(search_backend, fake_embedder):
    docs = corpus()
    c = 10
    index = search_backend.open(fusion="rrf", rrf_rank_constant=c)
    index_docs(index, docs, fake_embedder)
    target = docs["phone/lost"][0]
    hits = index.search(target.text, fake_embedder.embed_passages([target.text])[0], k=10)
    assert hits[0].chunk.chunk_id == target.chunk_id
    assert hits[0].score == pytest.approx(2.0 / (c + 1))  # first in both sub-queries
    cos = cosine_scores(fake_embedder, fake_embedder.embed_passages([target.text])[0], docs)
    vector_rank = {cid: r for r, (cid, _) in enumerate(sorted(cos.items(), key=lambda kv: (-kv[1], kv[0])), start=1)}
    contributions = {0.0} | {1.0 / (c + r) for r in range(1, len(cos) + 1)}
    for hit in hits:
        keyword_part = hit.score - 1.0 / (c + vector_rank[hit.chunk.chunk_id])
        assert min(abs(keyword_part - x) for x in contributions) < 1e-6, hit.chunk.chunk_id


def test_put_document_replaces_all_old_chunks(search_backend, fake_embedder):
    index = search_backend.open()
    doc = "internet/giga-cancel"
    index_docs(index, {doc: make_chunks(doc, ["첫째 위약금 안내", "둘째 해지 안내", "셋째 군입대 면제 안내"])}, fake_embedder)
    assert len(index.chunks(doc)) == 3
    with index.writer(full=False) as writer:
        writer.put_document(doc, make_chunks(doc, ["새 위약금 안내"], page_hash="h2"), fake_embedder.embed_passages(["새 위약금 안내"]))
        writer.commit()
    assert [c.text for c in index.chunks(doc)] == ["새 위약금 안내"]
    assert index.documents()[doc].chunks == 1
    assert index.documents()[doc].page_hash == "h2"
    assert ids(_search(index, fake_embedder, "군입대 면제", k=10)) == [f"{doc}#0"]


def test_delete_document(search_backend, fake_embedder):
    index = search_backend.open()
    index_docs(index, corpus(), fake_embedder)
    with index.writer(full=False) as writer:
        writer.delete_document("phone/lost")
        writer.delete_document("no/such-page")  # unknown ids are a no-op
        writer.commit()
    assert "phone/lost" not in index.documents()
    assert index.chunks("phone/lost") == []
    assert "phone/lost" not in doc_ids(_search(index, fake_embedder, "휴대폰 분실 신고", k=10))
    assert index.stats().documents == len(corpus()) - 1


def test_set_superseded_changes_only_that_flag(search_backend, fake_embedder):
    index = search_backend.open()
    docs = corpus()
    index_docs(index, docs, fake_embedder)
    doc = "internet/giga-cancel"
    with index.writer(full=False) as writer:
        writer.set_superseded(doc, True)
        writer.set_superseded("no/such-page", True)
        writer.commit()
    assert [c.to_dict() for c in index.chunks(doc)] == [c.with_superseded(True).to_dict() for c in docs[doc]]
    assert index.documents()[doc].superseded is True
    assert index.stats().superseded_documents == 1
    current = _search(index, fake_embedder, "기가인터넷 위약금", k=10, filters=SearchFilters(current_only=True))
    assert doc not in doc_ids(current) and len(current) == 5
    with index.writer(full=False) as writer:
        writer.set_superseded(doc, False)
    assert index.documents()[doc].superseded is False


def test_kind_filter_is_applied_before_ranking(search_backend, fake_embedder):
    # Ten text chunks match the query; the three tables do not. With 2 candidates per sub-query,
    # filtering after ranking would leave nothing.
    docs = {f"text/{i}": make_chunks(f"text/{i}", [f"위약금 위약금 해지 안내 {i}"]) for i in range(10)}
    docs.update({f"table/{i}": make_chunks(f"table/{i}", [f"요금표 {i}행 월정액"], kind="table") for i in range(3)})
    index = search_backend.open(candidate_depth=2)
    index_docs(index, docs, fake_embedder)
    hits = _search(index, fake_embedder, "위약금 해지", k=3, filters=SearchFilters(kind="table"))
    assert sorted(doc_ids(hits)) == ["table/0", "table/1", "table/2"]
    hits = _search(index, fake_embedder, "위약금 해지", k=5, filters=SearchFilters(kind="text"))
    assert len(hits) == 5 and all(h.chunk.kind == "text" for h in hits)
    assert index.stats().table_chunks == 3


def test_breadcrumb_prefix_matches_whole_parts(search_backend, fake_embedder):
    index = search_backend.open()
    index_docs(index, corpus(), fake_embedder)

    def found(prefix: str) -> set[str]:
        return set(doc_ids(_search(index, fake_embedder, "인터넷 안내", k=10, filters=SearchFilters(breadcrumb_prefix=prefix))))

    assert found("인터") == {"etc/inter"}  # never "인터넷" or "인터넷전화"
    assert found("인터넷") == {"internet/giga-cancel", "internet/move"}
    assert found("인터넷 > 기가인터넷") == {"internet/giga-cancel"}
    assert found("인터넷>기가인터넷") == {"internet/giga-cancel"}
    assert found("인터넷전화") == {"voip/fee"}
    assert found("기가인터넷") == set()  # a prefix starts at the root
    both = _search(
        index, fake_embedder, "요금", k=10, filters=SearchFilters(breadcrumb_prefix="모바일", kind="table")
    )
    assert doc_ids(both) == ["phone/plans"]


def test_current_only_filter(search_backend, fake_embedder):
    docs = corpus()
    docs["internet/giga-cancel-old"] = make_chunks(
        "internet/giga-cancel-old", ["(구버전) 기가인터넷 해지 위약금 안내"], superseded=True, breadcrumb=("인터넷", "기가인터넷")
    )
    index = search_backend.open()
    index_docs(index, docs, fake_embedder)
    everything = _search(index, fake_embedder, "기가인터넷 해지 위약금", k=20)
    assert "internet/giga-cancel-old" in doc_ids(everything)
    current = _search(index, fake_embedder, "기가인터넷 해지 위약금", k=20, filters=SearchFilters(current_only=True))
    assert "internet/giga-cancel-old" not in doc_ids(current)
    assert len(current) == len(everything) - 1


def test_abort_leaves_the_live_index_exactly_as_before(search_backend, fake_embedder):
    index = search_backend.open()
    index_docs(index, corpus(), fake_embedder)
    before = _state(index, fake_embedder)
    writer = index.writer(full=False)
    writer.put_document("new/page", make_chunks("new/page", ["기가인터넷 위약금 새 안내"]), fake_embedder.embed_passages(["기가인터넷 위약금 새 안내"]))
    writer.delete_document("internet/giga-cancel")
    writer.set_superseded("internet/move", True)
    writer.abort()
    assert _state(index, fake_embedder) == before
    with index.writer(full=True) as writer:  # the lock was released
        writer.abort()
    assert _state(index, fake_embedder) == before


def test_exception_inside_with_block_aborts(search_backend, fake_embedder):
    index = search_backend.open()
    index_docs(index, corpus(), fake_embedder)
    before = _state(index, fake_embedder)
    with pytest.raises(KeyError):
        with index.writer(full=True) as writer:
            writer.put_document("new/page", make_chunks("new/page", ["새 안내"]), fake_embedder.embed_passages(["새 안내"]))
            raise KeyError("boom")
    assert _state(index, fake_embedder) == before
    with index.writer(full=False):  # the lock was released; a clean exit commits
        pass
    assert _state(index, fake_embedder) == before


def test_leaving_with_block_normally_commits(search_backend, fake_embedder):
    index = search_backend.open()
    with index.writer(full=True) as writer:
        writer.put_document("a", make_chunks("a", ["위약금 안내"]), fake_embedder.embed_passages(["위약금 안내"]))
    assert set(index.documents()) == {"a"}


def test_commit_is_visible_to_an_already_open_reader(search_backend, fake_embedder):
    writer_side = search_backend.open()
    reader = search_backend.open()
    assert _search(reader, fake_embedder, "위약금") == []
    index_docs(writer_side, corpus(), fake_embedder)
    assert doc_ids(_search(reader, fake_embedder, "기가인터넷 위약금"))[0] == "internet/giga-cancel"
    with writer_side.writer(full=False) as writer:
        writer.delete_document("internet/giga-cancel")
        writer.commit()
    assert "internet/giga-cancel" not in doc_ids(_search(reader, fake_embedder, "기가인터넷 위약금", k=10))
    assert "internet/giga-cancel" not in reader.documents()


def test_nothing_is_visible_before_commit(search_backend, fake_embedder):
    index = search_backend.open()
    reader = search_backend.open()
    with index.writer(full=True) as writer:
        writer.put_document("a", make_chunks("a", ["위약금 안내"]), fake_embedder.embed_passages(["위약금 안내"]))
        assert reader.documents() == {}
        assert _search(reader, fake_embedder, "위약금") == []
        writer.commit()
    assert set(reader.documents()) == {"a"}


def test_second_concurrent_writer_is_refused(search_backend, fake_embedder):
    first = search_backend.open()
    second = search_backend.open()
    with first.writer(full=True) as writer:
        with pytest.raises(IndexBusyError):
            with second.writer(full=True):
                pass
        with pytest.raises(IndexBusyError):
            with first.writer(full=False):
                pass
        writer.put_document("a", make_chunks("a", ["위약금 안내"]), fake_embedder.embed_passages(["위약금 안내"]))
        writer.commit()
    with second.writer(full=False) as writer:  # free again after the commit
        writer.delete_document("a")
    assert second.documents() == {}


def test_documents_chunks_and_stats(search_backend, fake_embedder):
    docs = corpus()
    index = search_backend.open()
    index_docs(index, docs, fake_embedder)
    documents = index.documents()
    assert set(documents) == set(docs)
    info = documents["internet/giga-cancel"]
    assert (info.page, info.page_hash, info.manual_id, info.revision_date, info.chunks) == (
        "internet/giga-cancel.html", "h1", "M-100", "2024-05-01", 2,
    )
    assert info.superseded is False and info.marked_old is False
    # Every field survives the round trip, tables and attachments included, in chunk_no order.
    for doc_id, chunks in docs.items():
        assert [c.to_dict() for c in index.chunks(doc_id)] == [c.to_dict() for c in chunks]
    stats = index.stats()
    assert stats.backend == search_backend.kind
    assert (stats.documents, stats.chunks, stats.table_chunks, stats.superseded_documents) == (6, 7, 1, 0)
    assert (stats.embedder, stats.dim) == (fake_embedder.name, fake_embedder.dim)


def test_incremental_writer_keeps_untouched_documents_and_full_writer_starts_empty(search_backend, fake_embedder):
    index = search_backend.open()
    docs = corpus()
    index_docs(index, docs, fake_embedder)
    extra = make_chunks("extra/page", ["로밍 요금 안내"], breadcrumb=("모바일", "로밍"))
    with index.writer(full=False) as writer:
        writer.put_document("extra/page", extra, fake_embedder.embed_passages(["로밍 요금 안내"]))
        writer.commit()
    assert set(index.documents()) == set(docs) | {"extra/page"}
    for doc_id, chunks in docs.items():
        assert [c.to_dict() for c in index.chunks(doc_id)] == [c.to_dict() for c in chunks]
    assert doc_ids(_search(index, fake_embedder, "기가인터넷 위약금"))[0] == "internet/giga-cancel"
    with index.writer(full=True) as writer:
        writer.put_document("extra/page", extra, fake_embedder.embed_passages(["로밍 요금 안내"]))
        writer.commit()
    assert set(index.documents()) == {"extra/page"}
    assert doc_ids(_search(index, fake_embedder, "기가인터넷 위약금", k=10)) == ["extra/page"]


def test_k_hits_whenever_k_chunks_match(search_backend, fake_embedder):
    index = search_backend.open(candidate_depth=3)
    docs = corpus()
    index_docs(index, docs, fake_embedder)
    assert len(_search(index, fake_embedder, "위약금", k=5)) == 5
    assert len(_search(index, fake_embedder, "위약금", k=50)) == sum(len(c) for c in docs.values())


def test_embedder_mismatch_is_reported(search_backend, fake_embedder):
    index = search_backend.open(fake_embedder)
    index_docs(index, corpus(), fake_embedder)
    other = FakeEmbedder(dim=fake_embedder.dim, name="another-model")
    reopened = search_backend.open(other)
    stats = reopened.stats()
    assert (stats.embedder, stats.dim) == (fake_embedder.name, fake_embedder.dim)
    settings = Settings(home=search_backend.home)
    with pytest.raises(EmbedderMismatchError, match="재색인"):
        Retriever(reopened, other, settings).search("위약금")
    narrower = FakeEmbedder(dim=32, name=fake_embedder.name)
    with pytest.raises(EmbedderMismatchError):
        Retriever(search_backend.open(narrower), narrower, settings).search("위약금")
    assert Retriever(index, fake_embedder, settings).search("위약금")


def test_put_document_rejects_vectors_that_do_not_fit(search_backend, fake_embedder):
    index = search_backend.open()
    chunks = make_chunks("a", ["하나", "둘"])
    with index.writer(full=True) as writer:
        with pytest.raises(ValueError):
            writer.put_document("a", chunks, np.zeros((1, fake_embedder.dim), dtype=np.float32))
        writer.abort()
    assert index.documents() == {}


def test_corrections_fix_a_typo_of_an_indexed_word_and_never_touch_an_indexed_one(search_backend, fake_embedder):
    index = search_backend.open()
    assert index.corrections(["위약굼"]) == {}  # nothing indexed
    index_docs(index, corpus(), fake_embedder)
    fixes = index.corrections(["위약굼", "위약금", "해지", "넷플릭스"])
    assert fixes == {"위약굼": "위약금"}  # a vowel slip; indexed words and unknown names stay as typed


def test_known_terms_are_the_analyzer_terms_some_chunk_holds(search_backend, fake_embedder):
    from backend.text.analyzer import BIGRAM_PREFIX

    index = search_backend.open()
    assert index.known_terms(["위약금"]) == set()  # nothing indexed
    index_docs(index, corpus(), fake_embedder)
    asked = ["위약금", "넷플릭스", f"{BIGRAM_PREFIX}위약", f"{BIGRAM_PREFIX}플릭"]
    assert index.known_terms(asked) == {"위약금", f"{BIGRAM_PREFIX}위약"}
