"""The answer orchestrator: current pages only, LLM checks and fallbacks, citations mapped to links and
attachments (scripted generators; the real extractive generator and vLLM have their own tests)."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest

from backend.app.answer import Answerer, rest_of_page
from backend.config import Settings
from backend.generate.base import Generation, GenerationCancelled, GenerationError
from backend.models import AttachmentRef, Hit, SearchFilters
from backend.search.embedded.index import EmbeddedSearchIndex
from backend.search.retriever import Retriever
from backend.storage.local import LocalAttachmentStore
from tests.backend.search.search_corpus import index_docs, make_chunks
from tests.fakes import FakeEmbedder

pytestmark = pytest.mark.unit

FORM = AttachmentRef(name="이전설치 신청서", path="files/이전설치신청서.pdf", media_type="application/pdf", size=10)
QUESTION = "기가인터넷 이전 설치비 얼마예요"


class Scripted:
    """A generator that returns scripted texts (or raises) and records its calls."""

    def __init__(self, *outputs, mode="llm", name="scripted") -> None:
        self.outputs = list(outputs)
        self.mode = mode
        self.name = name
        self.calls: list[dict] = []

    def generate(self, question, passages, *, on_text=None, cancel=None, strict=False):
        self.calls.append({"question": question, "passages": list(passages), "strict": strict})
        out = self.outputs.pop(0) if len(self.outputs) > 1 else self.outputs[0]
        if isinstance(out, Exception):
            raise out
        if on_text:
            on_text(out)
        return Generation(text=out, mode=self.mode, model="manual-lora" if self.mode == "llm" else None,
                          refused=out.startswith("매뉴얼에서 확인되지 않습니다"))


@pytest.fixture
def setup(tmp_path):
    settings = Settings(home=tmp_path / "home")
    embedder = FakeEmbedder()
    index = EmbeddedSearchIndex.from_settings(settings, embedder_name=embedder.name, dim=embedder.dim)
    docs = {
        "M004": make_chunks("M004", ["기가인터넷 이전 설치비는 다른 건물 27,500원, 같은 건물 11,000원입니다."],
                            title="이전 설치 안내", attachments=(FORM,)),
        "M004_old": make_chunks("M004_old", ["기가인터넷 이전 설치비는 22,000원입니다 (구버전). 기가인터넷 이전 설치비"],
                                title="이전 설치 안내 (구버전)", superseded=True),
        "M010": make_chunks("M010", ["TV 셋톱박스 교체 절차"], breadcrumb=("TV",), title="셋톱박스"),
    }
    index_docs(index, docs, embedder)
    retriever = Retriever(index, embedder, settings)
    store = LocalAttachmentStore(tmp_path / "attachments")
    return retriever, store, settings


def make(setup, llm=None, extractive=None):
    retriever, store, settings = setup
    extractive = extractive or Scripted("매뉴얼 발췌입니다.\n기가인터넷 이전 설치비는 다른 건물 27,500원 [1]", mode="extractive")
    return Answerer(retriever, extractive, store, settings, llm=llm), extractive


def test_llm_answer_with_citations_links_and_attachments(setup):
    llm = Scripted("다른 건물로 옮기면 이전 설치비는 27,500원입니다 [1].")
    answerer, extractive = make(setup, llm=llm)
    streamed: list[str] = []
    result = answerer.answer(QUESTION, on_text=streamed.append)
    assert result.mode == "llm" and result.model == "manual-lora" and not result.warnings
    assert streamed == [result.text] and extractive.calls == []
    (citation,) = result.citations
    assert citation.n == 1 and citation.page == "M004.html" and citation.url.startswith("file://")
    assert [a.name for a in result.attachments] == ["이전설치 신청서"]
    assert set(result.timings_ms) == {"retrieve", "generate", "total"}
    payload = result.to_json()
    assert payload["citations"][0]["title"] == "이전 설치 안내" and payload["attachments"][0]["url"].endswith(".pdf")


def test_superseded_pages_never_reach_the_generator(setup):
    llm = Scripted("27,500원입니다 [1].")
    answerer, _ = make(setup, llm=llm)
    answerer.answer(QUESTION)
    given = [p.chunk.doc_id for p in llm.calls[0]["passages"]]
    assert "M004_old" not in given and given[0] == "M004"


def test_an_english_answer_is_retried_strictly_then_accepted_in_korean(setup):
    llm = Scripted("The fee is 27,500 won [1].", "이전 설치비는 27,500원입니다 [1].")
    answerer, _ = make(setup, llm=llm)
    result = answerer.answer(QUESTION)
    assert [c["strict"] for c in llm.calls] == [False, True]
    assert result.mode == "llm" and result.text.startswith("이전 설치비")
    assert any("다시 생성" in w for w in result.warnings)


def test_english_twice_falls_back_to_the_extractive_answer(setup):
    llm = Scripted("The fee is 27,500 won [1].")
    answerer, extractive = make(setup, llm=llm)
    result = answerer.answer(QUESTION)
    assert result.mode == "extractive" and len(llm.calls) == 2 and len(extractive.calls) == 1
    assert any("한국어가 아니어서" in w for w in result.warnings)


def test_a_failing_llm_falls_back_with_the_reason(setup):
    llm = Scripted(GenerationError("LLM 서버(http://vllm:8000/v1)에 연결할 수 없습니다."))
    answerer, _ = make(setup, llm=llm)
    result = answerer.answer(QUESTION)
    assert result.mode == "extractive" and result.citations[0].page == "M004.html"
    assert any("연결할 수 없습니다" in w and "발췌" in w for w in result.warnings)


def test_cancellation_is_not_turned_into_a_fallback(setup):
    llm = Scripted(GenerationCancelled("답변 생성이 취소되었습니다."))
    answerer, extractive = make(setup, llm=llm)
    with pytest.raises(GenerationCancelled):
        answerer.answer(QUESTION, cancel=threading.Event())
    assert extractive.calls == []


def test_invalid_citations_and_unsupported_figures_are_warned(setup):
    llm = Scripted("이전 설치비는 33,000원입니다 [1]. 자세한 건 [9]를 보세요.")
    answerer, _ = make(setup, llm=llm)
    result = answerer.answer(QUESTION)
    assert [c.n for c in result.citations] == [1]
    assert any("[9]" in w for w in result.warnings) and any("33,000원" in w for w in result.warnings)


def test_without_an_llm_or_when_asked_not_to_use_it_the_extractive_answer_is_given(setup):
    answerer, extractive = make(setup)
    assert answerer.answer(QUESTION).mode == "extractive"
    llm = Scripted("27,500원입니다 [1].")
    answerer, _ = make(setup, llm=llm)
    assert answerer.answer(QUESTION, use_llm=False).mode == "extractive" and llm.calls == []


def test_citations_are_renumbered_in_the_order_shown(setup):
    # The generator cites passage 2 first and skips 1: the agent reads [1], [2] and the links follow suit.
    question = "기가인터넷 이전 설치비랑 TV 셋톱박스 교체"
    answerer, _ = make(setup, llm=Scripted("셋톱박스 교체 [2]. 이전 설치비 27,500원 [1]."))
    first, second = (p.chunk.page for p in answerer.passages(question))
    result = answerer.answer(question)
    assert result.text == "셋톱박스 교체 [1]. 이전 설치비 27,500원 [2]."
    assert [(c.n, c.page) for c in result.citations] == [(1, second), (2, first)]
    assert [(p.n, p.chunk.page) for p in result.passages] == [(1, second), (2, first)]


def test_a_typo_that_stops_an_answer_is_corrected_and_said(setup):
    retriever, store, settings = setup
    refusal = "매뉴얼에서 확인되지 않습니다."
    extractive = Scripted(refusal, "기가인터넷 이전 설치비는 다른 건물 27,500원 [1]", mode="extractive")
    answerer = Answerer(retriever, extractive, store, settings)
    result = answerer.answer("기가인터넷 이전 설치븨 얼마예요")  # 설치븨: a typo of the indexed 설치비
    assert [c["question"] for c in extractive.calls] == ["기가인터넷 이전 설치븨 얼마예요", "기가인터넷 이전 설치비 얼마예요"]
    assert result.corrections == {"설치븨": "설치비"} and not result.refused
    assert result.correction_notice() == "'설치비'로 찾았습니다 (입력: 설치븨)."
    assert result.to_json()["corrections"] == {"설치븨": "설치비"}


def test_a_typo_that_does_not_stop_an_answer_is_left_alone(setup):
    answerer, extractive = make(setup)
    result = answerer.answer("기가인터넷 이전 설치븨 얼마예요")
    assert len(extractive.calls) == 1 and result.corrections == {} and result.correction_notice() == ""


class Hanging(Scripted):
    """An LLM that never ends: it streams a few words, then waits until it is told to stop."""

    def generate(self, question, passages, *, on_text=None, cancel=None, strict=False):
        self.calls.append({"question": question, "strict": strict})
        if on_text:
            on_text("이전 설치비는")
        while not (cancel is not None and cancel.wait(0.05)):
            pass
        raise GenerationCancelled("답변 생성이 취소되었습니다.")


def test_an_llm_that_never_ends_is_cut_at_the_answers_deadline(setup):
    retriever, store, settings = setup
    answerer = Answerer(retriever, Scripted("이전 설치비는 27,500원 [1]", mode="extractive"), store,
                        settings.model_copy(update={"llm_timeout_s": 1.5}), llm=Hanging())
    started = time.monotonic()
    result = answerer.answer(QUESTION)
    assert time.monotonic() - started < 1.5 + 0.5
    assert result.mode == "extractive" and any("1.5초 안에 끝나지 않았습니다" in w for w in result.warnings)


def test_a_generator_crashing_in_any_way_falls_back(setup):
    llm = Scripted(UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"))
    answerer, _ = make(setup, llm=llm)
    result = answerer.answer(QUESTION)
    assert result.mode == "extractive" and any("UnicodeDecodeError" in w and "발췌" in w for w in result.warnings)


def _hit(doc_id: str, no: int, score: float, **extra) -> Hit:
    (chunk,) = make_chunks(doc_id, [f"{doc_id} 구역 {no}"], **extra)
    return Hit(chunk=replace(chunk, chunk_id=f"{doc_id}#{no}", chunk_no=no), score=score)


def test_the_rest_of_the_first_page_joins_only_when_the_search_agrees_on_the_page():
    page = [_hit("M063", n, 0.0).chunk for n in range(5)]
    page[4] = replace(page[4], superseded=True)
    asked: list[str] = []

    def chunks_of(doc_id: str):
        asked.append(doc_id)
        return page if doc_id == "M063" else []

    current = SearchFilters(current_only=True)
    sure = [_hit("M063", 2, 0.9), _hit("M010", 0, 0.8), _hit("M063", 0, 0.4)]
    rest = rest_of_page(sure, chunks_of, current)
    # the page's other current chunks, in page order, each scored as its weakest returned chunk
    assert [(h.chunk.chunk_id, h.score) for h in rest] == [("M063#1", 0.4), ("M063#3", 0.4)]
    assert [h.chunk.chunk_id for h in rest_of_page(sure, chunks_of, SearchFilters())] == ["M063#1", "M063#3", "M063#4"]
    asked.clear()
    unsure = [_hit("M063", 2, 0.9), _hit("M010", 0, 0.8), _hit("M010", 1, 0.7)]
    assert rest_of_page(unsure, chunks_of, current) == [] and asked == []  # one passage of the page: not asked
    assert rest_of_page([], chunks_of, current) == []


def test_passages_end_with_the_rest_of_the_first_page_flagged(tmp_path):
    settings = Settings(home=tmp_path / "home", answer_passages=3)
    embedder = FakeEmbedder()
    index = EmbeddedSearchIndex.from_settings(settings, embedder_name=embedder.name, dim=embedder.dim)
    docs = {
        "M063": make_chunks("M063", ["인터넷 일시정지 조건: 해외 체류 시 인터넷 일시정지 가능",
                                     "인터넷 일시정지 신청: 고객센터 또는 앱에서 인터넷 일시정지 신청",
                                     "정지 중 요금: 월 3,300원 (장비 보관료)"], title="인터넷 일시정지"),
        "M070": make_chunks("M070", ["해외 로밍 인터넷 요금제 안내", "해외 체류 중 인터넷 로밍 차단"], title="해외 로밍"),
    }
    index_docs(index, docs, embedder)
    answerer = Answerer(Retriever(index, embedder, settings), Scripted("정지 중 요금은 월 3,300원입니다 [4]."),
                        LocalAttachmentStore(tmp_path / "attachments"), settings)
    passages = answerer.passages("해외 인터넷 일시정지")
    found = [p for p in passages if not p.rest_of_page]
    assert [p.n for p in passages] == [1, 2, 3, 4] and len(found) == 3
    assert [p.chunk.chunk_id for p in passages if p.rest_of_page] == ["M063#2"]
    # cited first, the rest-of-page passage is renumbered [1] and keeps its flag
    result = answerer.answer("해외 인터넷 일시정지", use_llm=False)
    assert result.text == "정지 중 요금은 월 3,300원입니다 [1]."
    assert result.passages[0].rest_of_page and result.passages[0].chunk.chunk_id == "M063#2"
    assert [c.page for c in result.citations] == ["M063.html"]
