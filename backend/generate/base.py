"""What every generator takes and returns.

A generator gets the agent's question and the numbered passages the retriever found, and returns Korean
text that cites them as [1], [2] ... It never searches by itself: `backend.app.answer` retrieves, numbers the
passages, picks the generator and checks what comes back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

from backend.models import Chunk, Hit

Mode = Literal["llm", "extractive"]

# What an answer says when the manuals do not hold the answer (the prompt asks the model for exactly this).
NOT_FOUND_KO = "매뉴얼에서 확인되지 않습니다"


@dataclass(frozen=True)
class Passage:
    """One numbered context passage: `n` is the citation number shown as [n] (1-based). `rest_of_page`: the
    search did not return this chunk; it is another section of the page the search found first
    (`backend.app.answer.rest_of_page`)."""

    n: int
    hit: Hit
    rest_of_page: bool = False

    @property
    def chunk(self) -> Chunk:
        return self.hit.chunk

    @property
    def text(self) -> str:
        """The chunk as indexed: section path + body, or a table's Korean row sentences."""
        return self.hit.chunk.text


@dataclass
class Generation:
    """A generator's output, before the orchestrator's checks."""

    text: str
    mode: Mode
    model: str | None = None  # the served model / LoRA adapter name (llm mode)
    refused: bool = False  # the generator said the manuals do not hold the answer
    output_tokens: int | None = None
    warnings: list[str] = field(default_factory=list)


class GenerationError(RuntimeError):
    """The generator could not produce an answer (server down, timeout, bad response); the
    orchestrator falls back to the extractive answer."""


class GenerationCancelled(GenerationError):
    """The caller cancelled the generation (the agent asked another question)."""


@runtime_checkable
class Generator(Protocol):
    """Turns a question and numbered passages into a cited Korean answer."""

    name: str

    def generate(
        self,
        question: str,
        passages: Sequence[Passage],
        *,
        on_text: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
        strict: bool = False,
    ) -> Generation:
        """Answer `question` from `passages` only, citing them as [n]. `on_text` is called with the whole
        text so far each time it grows (streaming; a retry starts again from the beginning), and setting
        `cancel` stops a running generation with `GenerationCancelled`. `strict` asks for the stricter
        Korean-only prompt after an answer in another language (generators without a prompt ignore it)."""
        ...
