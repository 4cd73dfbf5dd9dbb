"""`VllmGenerator` and the answer fallback against a real vLLM server on CPU (tiny random model + LoRA).

The model's text is noise; these tests check the protocol: streaming, max_tokens, stop, the served
tokenizer's counts, LoRA adapter selection by name, a server error and a timeout -> extractive answer.
"""

from __future__ import annotations

import json
import time
import urllib.request

import pytest

from backend.generate.base import GenerationError
from backend.generate.vllm import VllmGenerator
from tests.backend.generate.conftest import make_passage
from tests.backend.generate.vllm_server import ADAPTER, BASE_MODEL
from tests.conftest import VLLM_FIGURES

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

PASSAGES = [make_passage(1, "다른 건물의 이전 설치비: 27,500원.", kind="table"), make_passage(2, "이사 3일 전까지 신청합니다.")]


def generator(server, model=BASE_MODEL, **kwargs) -> VllmGenerator:
    kwargs.setdefault("temperature", 0.0)  # greedy: the same prompt gives the same text
    kwargs.setdefault("max_tokens", 32)
    kwargs.setdefault("context_tokens", 1024)
    return VllmGenerator(server.url, model, max_retries=0, **kwargs)


def test_streams_with_max_tokens_and_reports_throughput(vllm_server):
    seen: list[str] = []
    gen = generator(vllm_server, max_tokens=64)
    started = time.perf_counter()
    result = gen.generate("이전 설치비 얼마예요?", PASSAGES, on_text=seen.append)
    elapsed = time.perf_counter() - started
    assert result.text and result.mode == "llm" and result.model == BASE_MODEL
    assert len(seen) > 1 and seen[-1].strip() == result.text
    assert result.output_tokens is not None and 0 < result.output_tokens <= 64
    VLLM_FIGURES["tokens/s (64-token answer, stream)"] = round(result.output_tokens / elapsed, 1)


def test_the_completion_endpoint_works_too(vllm_server):
    assert generator(vllm_server, api="completion").generate("이전 설치비?", PASSAGES).text


def test_stop_sequences_end_the_answer(vllm_server):
    full = generator(vllm_server).generate("이전 설치비?", PASSAGES).text
    cut_at = full[len(full) // 2 :].strip()[:2]
    assert cut_at
    stopped = generator(vllm_server, stop=[cut_at]).generate("이전 설치비?", PASSAGES).text
    assert cut_at not in stopped and full.startswith(stopped.strip()[:5])


def test_prompt_budget_counts_with_the_served_tokenizer(vllm_server):
    gen = generator(vllm_server)
    n = gen.count_tokens("기가인터넷 이전 설치비")
    assert gen._tokenize_works is True and n > 0
    from transformers import AutoTokenizer  # the test environment has transformers (sentence-transformers)

    tokenizer = AutoTokenizer.from_pretrained(vllm_server.model_dir)
    assert n == len(tokenizer("기가인터넷 이전 설치비", add_special_tokens=False)["input_ids"])


def test_a_lora_adapter_is_selected_by_model_name(vllm_server):
    with urllib.request.urlopen(f"{vllm_server.url}/models") as resp:
        models = {m["id"]: m for m in json.loads(resp.read())["data"]}
    assert models[ADAPTER]["parent"] == BASE_MODEL
    base = generator(vllm_server).generate("이전 설치비?", PASSAGES)
    adapted = generator(vllm_server, model=ADAPTER).generate("이전 설치비?", PASSAGES)
    assert adapted.model == ADAPTER and adapted.text
    assert adapted.text != base.text  # the adapter's random weights change the greedy output


def test_an_unknown_model_is_a_server_error(vllm_server):
    with pytest.raises(GenerationError, match="LLM 서버 오류 404"):
        generator(vllm_server, model="없는-모델").generate("질문", PASSAGES)


def test_a_timeout_falls_back_to_the_extractive_answer(vllm_server, tmp_path):
    from backend.app.answer import Answerer
    from backend.config import Settings
    from backend.generate.extractive import ExtractiveGenerator
    from backend.search.embedded.index import EmbeddedSearchIndex
    from backend.search.retriever import Retriever
    from backend.storage.local import LocalAttachmentStore
    from tests.backend.search.search_corpus import index_docs, make_chunks
    from tests.fakes import FakeEmbedder

    settings = Settings(home=tmp_path)
    embedder = FakeEmbedder()
    index = EmbeddedSearchIndex.from_settings(settings, embedder_name=embedder.name, dim=embedder.dim)
    index_docs(index, {"M004": make_chunks("M004", ["이전 설치 안내\n다른 건물의 이전 설치비는 27,500원입니다."])}, embedder)
    slow = generator(vllm_server, max_tokens=512, timeout_s=0.05)
    answerer = Answerer(Retriever(index, embedder, settings), ExtractiveGenerator(), LocalAttachmentStore(tmp_path / "a"),
                        settings, llm=slow)
    result = answerer.answer("다른 건물 이전 설치비 얼마")
    assert result.mode == "extractive" and "27,500원" in result.text
    assert any("발췌로 대신" in w for w in result.warnings)
