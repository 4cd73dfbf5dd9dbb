"""Agents' ratings of answers: the `FeedbackStore` protocol and its record.

The embedded default is a SQLite file under SANGDAM_HOME (WAL, safe for concurrent writers across
threads and processes); production keeps feedback in an OpenSearch index beside the manuals.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol, runtime_checkable

from backend.files import utc_iso
from backend.text.pii import mask_pii, mask_repeated_pii

# Why an answer was rated down (shown to agents in this order).
REASONS = ("틀린 정보", "근거 부족", "오래된 정보", "영어 답변", "기타")


@dataclass(frozen=True)
class FeedbackRecord:
    """One agent's rating of one answer. `feedback_id` identifies the rating of that answer: saving the
    same id again (the agent changes the rating or adds a reason) replaces it. What people type (question,
    comment, category) is masked of personal data on construction (`backend.text.pii`), the answer where it
    repeats it."""

    question: str
    answer: str
    rating: int  # 1 thumbs up, 0 thumbs down
    mode: str  # "llm" | "extractive" | "search"
    feedback_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    created_at: str = field(default_factory=lambda: utc_iso("milliseconds"))
    agent_id: str | None = None
    model: str | None = None
    reason: str | None = None
    comment: str | None = None
    category: str | None = None  # the question set's / the filter's category, when known
    cited_chunk_ids: tuple[str, ...] = ()
    cited_pages: tuple[str, ...] = ()
    retrieval: dict[str, Any] = field(default_factory=dict)  # backend, fusion, weights, k, embedder ...

    def __post_init__(self) -> None:
        if self.rating not in (0, 1):
            raise ValueError("평가는 좋아요(1) 또는 싫어요(0)만 저장할 수 있습니다.")
        if self.reason is not None and self.reason not in REASONS:
            raise ValueError(f"알 수 없는 사유입니다: {self.reason} (가능: {', '.join(REASONS)})")
        # Personal data never reaches a store or an export. Every record goes through here: a new rating
        # before either store saves it, and one read back (`from_dict`) from a store written before masking.
        # The answer keeps the manual's own numbers; only what it repeats of what was typed goes.
        # The category is free text too (a question set's column, a filter an agent typed). A blank line between
        # the texts: one line break may join the groups of a number, two never do.
        typed = "\n\n".join(t for t in (self.question, self.comment, self.category) if t)
        object.__setattr__(self, "answer", mask_repeated_pii(self.answer, typed))
        object.__setattr__(self, "question", mask_pii(self.question))
        for name in ("comment", "category"):
            if getattr(self, name):
                object.__setattr__(self, name, mask_pii(getattr(self, name)))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["cited_chunk_ids"] = list(self.cited_chunk_ids)
        d["cited_pages"] = list(self.cited_pages)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FeedbackRecord:
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        known["cited_chunk_ids"] = tuple(known.get("cited_chunk_ids") or ())
        known["cited_pages"] = tuple(known.get("cited_pages") or ())
        known["retrieval"] = dict(known.get("retrieval") or {})
        return cls(**known)


@runtime_checkable
class FeedbackStore(Protocol):
    """Where ratings live; every method is safe to call from many threads and processes."""

    def save(self, record: FeedbackRecord) -> None:
        """Store `record`, replacing an earlier one with the same `feedback_id`."""
        ...

    def get(self, feedback_id: str) -> FeedbackRecord | None:
        ...

    def list(self, *, since: str | None = None, rating: int | None = None, limit: int | None = None) -> list[FeedbackRecord]:
        """Records newest first; `since` is an ISO time (inclusive), `rating` 0 or 1."""
        ...

    def count(self) -> int:
        ...
