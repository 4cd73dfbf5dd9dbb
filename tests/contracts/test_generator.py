"""Contract of `Generator` (backend/generate/base.py).

Implementations (`unit`): `ExtractiveGenerator`, and `VllmGenerator` against the scripted OpenAI-compatible
server of tests/backend/generate/fake_openai_server.py, scripted here as a model that obeys the prompt: it
cites every passage number the prompt shows it, and answers `NOT_FOUND_KO` when shown none.

Rules: an instance of the runtime-checkable protocol with a non-empty `name`; `generate` has the protocol's
parameters (names and kinds: `on_text`, `cancel`, `strict` keyword-only); it returns a `Generation` with
`mode` "llm" or "extractive" whose citations [n] name only the passages given (1 <= n <= len(passages));
`on_text` is last called with the final text; a set `cancel` raises `GenerationCancelled` before any text;
no passages give a refusal (text starts with `NOT_FOUND_KO`, `refused` set), and `refused` is set exactly
when the text carries `NOT_FOUND_KO`.
"""

from __future__ import annotations

import inspect
import re
import threading

import pytest

from backend.generate.base import NOT_FOUND_KO, Generation, GenerationCancelled, Generator
from backend.generate.extractive import ExtractiveGenerator
from backend.generate.vllm import VllmGenerator
from tests.backend.generate.conftest import make_passage
from tests.backend.generate.fake_openai_server import FakeOpenAIServer, Script

MOVE = "이사 이전설치 신청 절차\n신청 시기\n이사 예정일 7일 전까지 신청하도록 안내합니다."
FEE = "이전 설치비 안내\n다른 건물로 옮기는 이전 설치비는 27,500원입니다."
PASSAGES = [make_passage(1, MOVE, title="이사 이전설치 신청 절차", page="M006.html"), make_passage(2, FEE, page="M004.html")]
QUESTION = "이전 설치비가 얼마예요?"
CITATION = re.compile(r"\[(\d+)\]")


class ObedientModel(Script):
    """The fake server's answer, made from the request: the passage numbers the prompt shows, cited."""

    @property
    def text(self) -> str:
        request = self.requests[-1]
        prompt = request.get("prompt") or request["messages"][-1]["content"]
        shown = re.findall(r"^\[(\d+)\] ", prompt, re.MULTILINE)
        if not shown:
            return f"{NOT_FOUND_KO}."
        return "이전 설치비는 27,500원입니다 " + "".join(f"[{n}]" for n in shown) + "."

    @text.setter
    def text(self, value: str) -> None:  # Script's __init__ sets a default; the answer is computed
        pass


@pytest.fixture(params=[pytest.param("extractive", marks=pytest.mark.unit), pytest.param("vllm", marks=pytest.mark.unit)])
def generator(request) -> Generator:
    if request.param == "extractive":
        return ExtractiveGenerator()
    server = FakeOpenAIServer()
    server.script = ObedientModel()
    request.addfinalizer(server.close)
    return VllmGenerator(server.url, "contract-model", max_retries=0, timeout_s=10)


class TestGeneratorContract:
    def test_is_a_generator(self, generator):
        assert isinstance(generator, Generator)
        assert isinstance(generator.name, str) and generator.name

    def test_generate_takes_the_protocols_parameters(self, generator):
        def shape(function) -> list[str]:
            return [f"{p.name} ({p.kind.description})" for p in inspect.signature(function).parameters.values()]

        assert shape(type(generator).generate) == shape(Generator.generate), f"{type(generator).__name__}.generate"

    def test_answer_cites_only_the_passages_given_and_streams_its_final_text(self, generator):
        seen: list[str] = []
        generation = generator.generate(QUESTION, PASSAGES, on_text=seen.append, cancel=threading.Event())
        assert isinstance(generation, Generation) and generation.mode in ("llm", "extractive")
        cited = [int(n) for n in CITATION.findall(generation.text)]
        assert cited and all(1 <= n <= len(PASSAGES) for n in cited), generation.text
        assert not generation.refused and NOT_FOUND_KO not in generation.text
        assert seen and seen[-1] == generation.text

    def test_a_set_cancel_event_raises_before_any_text(self, generator):
        cancel = threading.Event()
        cancel.set()
        seen: list[str] = []
        with pytest.raises(GenerationCancelled):
            generator.generate(QUESTION, PASSAGES, on_text=seen.append, cancel=cancel)
        assert seen == []

    def test_no_passages_is_a_refusal(self, generator):
        generation = generator.generate(QUESTION, [])
        assert generation.text.startswith(NOT_FOUND_KO) and generation.refused
        assert not CITATION.search(generation.text)
