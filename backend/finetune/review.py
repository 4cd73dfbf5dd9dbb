"""People's review of generated examples (the proof of concept kept 25k of 35k): accept, reject or edit the
answer. Decisions live beside the dataset in `F.review.jsonl`, one line per decision (the last one for an
example wins), so the generated file and its hash never change; training applies them (`apply`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

from backend.files import file_lock, utc_iso

Decision = Literal["accept", "reject", "edit"]


def review_path(dataset: Path | str) -> Path:
    """`F.jsonl` -> `F.review.jsonl`."""
    return Path(dataset).with_suffix(".review.jsonl")


class ReviewLog:
    """The decisions on one dataset; safe for several admin sessions at once (appends under a file lock)."""

    def __init__(self, dataset: Path | str) -> None:
        self.path = review_path(dataset)

    def decide(self, example_id: str, decision: Decision, *, answer: str | None = None, reviewer: str | None = None) -> None:
        """Record a decision; "edit" carries the corrected answer."""
        if decision not in ("accept", "reject", "edit"):
            raise ValueError(f"알 수 없는 검토 결정입니다: {decision}")
        if decision == "edit" and not (answer or "").strip():
            raise ValueError("수정한 답변이 비어 있습니다.")
        line = {"id": example_id, "decision": decision, "answer": (answer or "").strip() or None,
                "reviewer": reviewer, "at": utc_iso()}
        with file_lock(self.path.with_suffix(".lock")):
            with open(self.path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")

    def decisions(self) -> dict[str, dict[str, Any]]:
        """The last decision of each reviewed example."""
        if not self.path.is_file():
            return {}
        out: dict[str, dict[str, Any]] = {}
        for line in self.path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                out[row["id"]] = row
        return out


def apply(rows: Iterable[dict[str, Any]], decisions: dict[str, dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The examples training uses: rejected ones left out, edited ones with the reviewer's answer."""
    for row in rows:
        decision = decisions.get(row["id"])
        if decision is None or decision["decision"] == "accept":
            yield row
        elif decision["decision"] == "edit":
            messages = [*row["messages"][:-1], {"role": "assistant", "content": decision["answer"]}]
            yield {**row, "messages": messages, "reviewed": "edit"}
