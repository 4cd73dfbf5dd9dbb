"""`VllmGenerator`: answers from an OpenAI-compatible server (vLLM serving the sLLM and its LoRA adapters).

The model is addressed by name: the base model's served name or a LoRA adapter's name from vLLM's
`--lora-modules name=path`. Streaming, a whole-request deadline, bounded retries (the openai client
retries connection errors, 408/409/429 and 5xx with backoff) and cancellation between tokens.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any

import openai

from backend.config import Settings
from backend.generate.base import NOT_FOUND_KO, Generation, GenerationCancelled, GenerationError, Passage
from backend.generate.prompt import Prompt, build_prompt, estimate_tokens

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 3.0


class VllmGenerator:
    """`Generator` over an OpenAI-compatible chat or completion endpoint."""

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str | None = None,
        api: str = "chat",
        timeout_s: float = 20.0,
        max_retries: int = 1,
        max_tokens: int = 512,
        temperature: float = 0.1,
        context_tokens: int = 4096,
        stop: Sequence[str] = (),
        client: openai.OpenAI | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api = api
        self.timeout_s = timeout_s
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.context_tokens = context_tokens
        self.stop = list(stop)
        self.name = f"vllm:{model}"
        self._client = client or openai.OpenAI(
            base_url=self.base_url,
            api_key=api_key or "EMPTY",  # vLLM accepts any key unless started with --api-key
            timeout=timeout_s,
            max_retries=max_retries,
        )
        self._auth = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._tokenize_works: bool | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> VllmGenerator:
        assert settings.llm_base_url, "llm_base_url is not set"
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
        return cls(
            settings.llm_base_url, settings.llm_model, api_key=key, api=settings.llm_api,
            timeout_s=settings.llm_timeout_s, max_retries=settings.llm_max_retries,
            max_tokens=settings.llm_max_tokens, temperature=settings.llm_temperature,
            context_tokens=settings.llm_context_tokens,
        )

    # --- token counting ---

    def count_tokens(self, text: str) -> int:
        """Tokens of `text` by the served model's tokenizer (vLLM's /tokenize), else a safe estimate."""
        if self._tokenize_works is not False:
            root = server_root(self.base_url)
            body = json.dumps({"model": self.model, "prompt": text, "add_special_tokens": False}).encode()
            request = urllib.request.Request(
                f"{root}/tokenize", data=body, headers={"Content-Type": "application/json", **self._auth}
            )
            try:
                with urllib.request.urlopen(request, timeout=CONNECT_TIMEOUT_S) as resp:
                    count = int(json.loads(resp.read())["count"])
                self._tokenize_works = True
                return count
            except (OSError, KeyError, ValueError):  # URLError/HTTPError are OSErrors: no /tokenize here
                self._tokenize_works = False
        return estimate_tokens(text)

    def prompt(self, question: str, passages: Sequence[Passage], *, strict: bool = False) -> Prompt:
        """The prompt that fits the context window left after `max_tokens`."""
        if self._tokenize_works is None:
            self.count_tokens("확인")  # learn once whether the server counts for us
        counter = self.count_tokens if self._tokenize_works else estimate_tokens
        budget = self.context_tokens - self.max_tokens
        return build_prompt(question, passages, budget_tokens=budget, count=counter, strict=strict)

    # --- generation ---

    def generate(
        self,
        question: str,
        passages: Sequence[Passage],
        *,
        on_text: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
        strict: bool = False,
    ) -> Generation:
        """Stream an answer; raises `GenerationError` (Korean message) on server errors and past the
        deadline, `GenerationCancelled` when `cancel` is set."""
        if cancel is not None and cancel.is_set():
            raise GenerationCancelled("답변 생성이 취소되었습니다.")
        return self.complete(self.prompt(question, passages, strict=strict), on_text=on_text, cancel=cancel)

    def complete(
        self,
        prompt: Prompt,
        *,
        on_text: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> Generation:
        """Stream the model's answer to a ready `prompt` (`generate` builds the RAG prompt; the fine-tuning
        comparison also sends a closed-book one). Errors as in `generate`."""
        if cancel is not None and cancel.is_set():  # (building the prompt may have taken a while)
            raise GenerationCancelled("답변 생성이 취소되었습니다.")
        deadline = time.monotonic() + self.timeout_s
        params: dict[str, Any] = dict(
            model=self.model, max_tokens=self.max_tokens, temperature=self.temperature,
            stream=True, stream_options={"include_usage": True},
        )
        if self.stop:
            params["stop"] = self.stop
        parts: list[str] = []
        usage_tokens: int | None = None
        finished = threading.Event()
        try:
            if self.api == "completion":
                stream = self._client.completions.create(prompt=prompt.plain(), **params)
            else:
                stream = self._client.chat.completions.create(messages=prompt.messages(), **params)
            # The client's read timeout restarts with every byte, and SSE keep-alive comments yield no event
            # to check the deadline on: a watchdog closes the stream at the deadline (or on `cancel`).
            threading.Thread(target=_close_at, args=(stream, deadline, cancel, finished), daemon=True).start()
            with stream:
                for event in stream:
                    if cancel is not None and cancel.is_set():
                        raise GenerationCancelled("답변 생성이 취소되었습니다.")
                    if time.monotonic() > deadline:
                        raise GenerationError(f"LLM 응답이 {self.timeout_s:g}초 안에 끝나지 않았습니다.")
                    if getattr(event, "usage", None) is not None:
                        usage_tokens = event.usage.completion_tokens
                    piece = _delta(event)
                    if piece:
                        parts.append(piece)
                        if on_text is not None:
                            on_text("".join(parts))
        except GenerationError:
            raise
        except Exception as exc:  # the client's errors, a stream the watchdog closed, broken JSON, bytes not UTF-8
            raise self._failure(exc, deadline, cancel) from exc
        finally:
            finished.set()
        text = "".join(parts).strip()
        if not text:
            raise GenerationError("LLM 이 빈 답변을 돌려주었습니다.")
        return Generation(
            text=text, mode="llm", model=self.model, refused=NOT_FOUND_KO in text, output_tokens=usage_tokens,
        )


    def _failure(self, exc: Exception, deadline: float, cancel: threading.Event | None) -> GenerationError:
        """The Korean error for what ended a generation; a stream closed by the watchdog (cancel or
        deadline) is told apart from a server that failed by itself."""
        if cancel is not None and cancel.is_set():
            return GenerationCancelled("답변 생성이 취소되었습니다.")
        if time.monotonic() > deadline:
            return GenerationError(f"LLM 응답이 {self.timeout_s:g}초 안에 끝나지 않았습니다.")
        if isinstance(exc, openai.APITimeoutError):
            return GenerationError(f"LLM 서버가 {self.timeout_s:g}초 안에 응답하지 않았습니다.")
        if isinstance(exc, openai.APIConnectionError):
            return GenerationError(f"LLM 서버({self.base_url})에 연결할 수 없습니다.")
        if isinstance(exc, openai.APIStatusError):
            return GenerationError(f"LLM 서버 오류 {exc.status_code}: {_short(exc.message)}")
        if isinstance(exc, openai.APIError):
            return GenerationError(f"LLM 응답을 처리할 수 없습니다: {_short(str(exc))}")
        return GenerationError(f"LLM 응답을 처리할 수 없습니다 ({type(exc).__name__}).")


def _close_at(stream: Any, deadline: float, cancel: threading.Event | None, finished: threading.Event) -> None:
    """Close `stream` at `deadline` or when `cancel` is set, unless the generation `finished` first."""
    while not finished.wait(0.1):
        if time.monotonic() > deadline or (cancel is not None and cancel.is_set()):
            stream.close()
            return


def server_root(base_url: str) -> str:
    """The vLLM server's own address for its non-OpenAI routes (/tokenize, /v1/load_lora_adapter):
    the OpenAI base URL without its trailing "/v1"."""
    base_url = base_url.rstrip("/")
    return base_url[: -len("/v1")] if base_url.endswith("/v1") else base_url


def _delta(event: Any) -> str:
    choices = getattr(event, "choices", None) or []
    if not choices:
        return ""
    choice = choices[0]
    delta = getattr(choice, "delta", None)
    if delta is not None:
        return getattr(delta, "content", None) or ""
    return getattr(choice, "text", None) or ""


def _short(message: str, limit: int = 200) -> str:
    return message if len(message) <= limit else message[:limit] + "…"
