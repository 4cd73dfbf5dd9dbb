"""`VllmGenerator` against a scripted OpenAI-compatible server: streaming, both endpoints, the token
budget, errors, retries, the deadline and cancellation (the real vLLM server: test_vllm_real.py)."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from backend.generate.base import GenerationCancelled, GenerationError
from backend.generate.vllm import VllmGenerator
from tests.backend.generate.conftest import make_passage
from tests.backend.generate.fake_openai_server import Script

pytestmark = pytest.mark.unit

PASSAGES = [make_passage(1, "다른 건물의 이전 설치비: 27,500원.", kind="table"), make_passage(2, "이사 3일 전까지 신청합니다.")]


def test_streams_a_chat_answer_and_reports_the_text_so_far(fake_server):
    seen: list[str] = []
    gen = VllmGenerator(fake_server.url, "manual-lora").generate("이전 설치비?", PASSAGES, on_text=seen.append)
    assert gen.text == "기가인터넷 이전 설치비는 27,500원입니다 [1]." and gen.mode == "llm"
    assert gen.model == "manual-lora" and not gen.refused and gen.output_tokens == len(seen)
    assert len(seen) > 3 and seen[-1] == gen.text and all(b.startswith(a) for a, b in zip(seen, seen[1:]))
    (request,) = fake_server.script.requests
    assert request["path"] == "/v1/chat/completions" and request["model"] == "manual-lora" and request["stream"]
    assert request["messages"][0]["role"] == "system" and "[질문]\n이전 설치비?" in request["messages"][1]["content"]
    assert request["max_tokens"] == 512


def test_completion_endpoint_for_models_without_a_chat_template(fake_server):
    gen = VllmGenerator(fake_server.url, "tiny", api="completion").generate("이전 설치비?", PASSAGES)
    assert gen.text.endswith("[1].")
    (request,) = fake_server.script.requests
    assert request["path"] == "/v1/completions" and request["prompt"].endswith("답변:")


def test_the_refusal_phrase_marks_the_answer_refused(fake_server):
    fake_server.script.text = "매뉴얼에서 확인되지 않습니다. 가장 가까운 내용은 [2]입니다."
    assert VllmGenerator(fake_server.url, "m").generate("주가?", PASSAGES).refused


def test_the_budget_uses_the_servers_tokenizer_when_it_has_one(fake_server):
    # The fake /tokenize counts characters: a context of 700 with 512 for the answer leaves room for the
    # instructions and the first passage only.
    long = make_passage(2, "가" * 400)
    VllmGenerator(fake_server.url, "m", context_tokens=1100, max_tokens=512).generate("질문", [PASSAGES[0], long])
    user = fake_server.script.requests[0]["messages"][1]["content"]
    assert "[1]" in user and "[2]" not in user
    fake_server.script = Script(tokenize=False)
    gen = VllmGenerator(fake_server.url, "m")
    gen.generate("질문", PASSAGES)
    assert gen.count_tokens("가나다") == 5  # the estimate when /tokenize is missing


def test_a_server_error_is_a_korean_generation_error(fake_server):
    fake_server.script.status = 500
    with pytest.raises(GenerationError, match="LLM 서버 오류 500"):
        VllmGenerator(fake_server.url, "m", max_retries=0).generate("질문", PASSAGES)


def test_an_overloaded_server_is_retried_a_bounded_number_of_times(fake_server):
    fake_server.script.fail_first = 1
    assert VllmGenerator(fake_server.url, "m", max_retries=1).generate("질문", PASSAGES).text
    fake_server.script.fail_first = 5
    with pytest.raises(GenerationError, match="503"):
        VllmGenerator(fake_server.url, "m", max_retries=1).generate("질문", PASSAGES)
    assert len(fake_server.script.requests) == 2 + 2


def test_a_slow_stream_hits_the_deadline(fake_server):
    fake_server.script.token_delay_s = 0.2
    with pytest.raises(GenerationError, match="초"):
        VllmGenerator(fake_server.url, "m", timeout_s=0.5, max_retries=0).generate("질문", PASSAGES)


def test_cancel_stops_the_stream(fake_server):
    fake_server.script.token_delay_s = 0.05
    cancel = threading.Event()
    seen: list[str] = []

    def on_text(text: str) -> None:
        seen.append(text)
        if len(seen) == 2:
            cancel.set()

    with pytest.raises(GenerationCancelled):
        VllmGenerator(fake_server.url, "m").generate("질문", PASSAGES, on_text=on_text, cancel=cancel)
    assert len(seen) == 2


def test_no_server_is_a_connection_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(GenerationError, match="연결할 수 없습니다"):
        VllmGenerator(f"http://127.0.0.1:{port}/v1", "m", max_retries=0, timeout_s=2).generate("질문", PASSAGES)


def test_keep_alive_comments_do_not_hold_the_generator_past_its_deadline(fake_server):
    # Every comment restarts the client's read timeout and yields no event: only the watchdog ends it.
    fake_server.script.fault, fake_server.script.drip_every_s = "drip", 0.2
    started = time.monotonic()
    with pytest.raises(GenerationError, match="1초 안에"):
        VllmGenerator(fake_server.url, "m", timeout_s=1.0, max_retries=0).generate("질문", PASSAGES)
    assert time.monotonic() - started < 3.0


@pytest.mark.parametrize("fault", ["broken_json", "broken_utf8"])
def test_a_garbled_stream_is_a_korean_generation_error(fake_server, fault):
    fake_server.script.fault = fault
    with pytest.raises(GenerationError, match="LLM 응답을 처리할 수 없습니다"):
        VllmGenerator(fake_server.url, "m", max_retries=0).generate("질문", PASSAGES)
