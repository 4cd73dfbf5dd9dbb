"""RAFT-style instruction examples: the agent's question, the passages exactly as the answer prompt numbers
them, and the answer a good model gives.

- An *answer* example holds the seed's own chunk (the oracle) among distractors, at a seeded random
  position; the answer copies the seed's facts verbatim and cites the oracle: "…: 33,000원 [3]".
- A *refusal* example holds distractors only (the retriever's best passages of other pages for the same
  question, none of which holds the answer's figures) and answers `NOT_FOUND_KO` with the closest passage.
- Passages come from the real retriever over the current index and go through `build_prompt`, so training
  prompts are the serving prompts. Distractors are taken only from pages of the example's own split: no
  page's passages appear in two splits.
- Filters: the answer's figures and quoted names occur in the passages it cites (`check_citations`), the
  answer and question are Korean, the prompt fits the budget, near-duplicate questions of a page are dropped.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from backend.finetune.paraphrase import variants
from backend.finetune.seeds import Seed
from backend.generate.base import NOT_FOUND_KO, Passage
from backend.generate.checks import check_citations, figures_in, hangul_ratio
from backend.generate.prompt import build_prompt
from backend.models import Chunk, Hit
from backend.text.normalize import squash

Search = Callable[[str, int], list[Hit]]
MIN_KOREAN = 0.5
NEAR_DUPLICATE = 0.85  # character-trigram Jaccard above which two questions of one page are one


def refusal_text(closest: int) -> str:
    """What the prompt's rule 3 asks for when no passage answers."""
    return f"{NOT_FOUND_KO}. 가장 가까운 발췌는 [{closest}]입니다."


@dataclass
class Example:
    """One instruction example (a line of the dataset file)."""

    id: str
    messages: list[dict[str, str]]
    kind: str  # "answer" | "refusal"
    category: str
    source: str
    question: str
    pages: list[str]
    split: str
    chunk_id: str
    paraphrase: bool = False
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "messages": self.messages, "kind": self.kind, "category": self.category,
            "source": self.source, "question": self.question, "pages": self.pages, "split": self.split,
            "chunk_id": self.chunk_id, "paraphrase": self.paraphrase, **self.meta,
        }


def assign_splits(pages: Sequence[str], test_pages: set[str], shares: tuple[float, float] = (0.8, 0.1)) -> dict[str, str]:
    """Each page's split: `test_pages` (the pages a held-out question set asks about) go to test; the others
    by a stable hash, `shares` of them to train and validation, the rest to test."""
    out: dict[str, str] = {}
    for page in pages:
        if page in test_pages:
            out[page] = "test"
            continue
        x = int(hashlib.sha256(page.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
        out[page] = "train" if x < shares[0] else "validation" if x < shares[0] + shares[1] else "test"
    return out


def _trigrams(text: str) -> set[str]:
    s = squash(text)
    return {s[i : i + 3] for i in range(max(len(s) - 2, 1))}


class RaftBuilder:
    """Turns seeds into examples. `search(question, k)` is the serving retriever's search."""

    def __init__(
        self,
        search: Search,
        splits: dict[str, str],
        *,
        passages: int = 4,
        refusal_share: float = 0.2,
        paraphrases: int = 1,
        budget_tokens: int = 3500,
        seed: int = 0,
        paraphraser: Callable[[str, int], list[str]] | None = None,
    ) -> None:
        if not 0.0 <= refusal_share < 1.0:
            raise ValueError("거절 예시 비율은 0 이상 1 미만이어야 합니다.")
        self.search = search
        self.splits = splits
        self.passages = max(2, passages)
        self.refusal_share = refusal_share
        self.paraphrases = paraphrases
        self.budget_tokens = budget_tokens
        self.rng = random.Random(seed)
        # A teacher's paraphrases when one is configured, else the rules' agent-style variants.
        self.paraphraser = paraphraser or (lambda question, n: variants(question, n, self.rng))
        self.dropped: dict[str, int] = {}
        self._seen: dict[str, list[set[str]]] = {}

    def _drop(self, reason: str) -> None:
        self.dropped[reason] = self.dropped.get(reason, 0) + 1

    def examples(self, seeds: Sequence[Seed], chunks: dict[str, Chunk]) -> list[Example]:
        """Every kept example of every seed (the seed's question and its agent-style variants)."""
        out: list[Example] = []
        for seed in seeds:
            questions = [(seed.question, False)] + [(q, True) for q in self.paraphraser(seed.question, self.paraphrases)]
            for question, paraphrased in questions:
                example = self._example(seed, question, paraphrased, chunks[seed.chunk_id])
                if example is not None:
                    out.append(example)
        return out

    def _near_duplicate(self, page: str, question: str) -> bool:
        grams = _trigrams(question)
        for other in self._seen.setdefault(page, []):
            if len(grams & other) / max(len(grams | other), 1) >= NEAR_DUPLICATE:
                return True
        self._seen[page].append(grams)
        return False

    def _example(self, seed: Seed, question: str, paraphrased: bool, oracle: Chunk) -> Example | None:
        split = self.splits.get(seed.page)
        if split is None:
            self._drop("page-without-split")
            return None
        if hangul_ratio(question) < MIN_KOREAN or hangul_ratio(seed.answer) < MIN_KOREAN:
            self._drop("not-korean")
            return None
        if self._near_duplicate(seed.page, question):
            self._drop("near-duplicate")
            return None
        hits = [h for h in self.search(question, self.passages * 4)
                if h.chunk.page != seed.page and self.splits.get(h.chunk.page) == split and not h.chunk.superseded]
        refusal = self.rng.random() < self.refusal_share
        if refusal:
            distractors = hits[: self.passages]
            if len(distractors) < 2 or any(_holds_answer(h.chunk, seed.answer) for h in distractors):
                self._drop("refusal-without-clean-distractors")
                return None
            chosen, oracle_at = distractors, None
        else:
            distractors = hits[: self.passages - 1]
            oracle_at = self.rng.randrange(len(distractors) + 1)
            chosen = distractors[:oracle_at] + [Hit(oracle, 1.0)] + distractors[oracle_at:]
        numbered = [Passage(n, hit) for n, hit in enumerate(chosen, start=1)]
        prompt = build_prompt(question, numbered, budget_tokens=self.budget_tokens)
        if len(prompt.passages) < len(numbered):
            self._drop("over-budget")
            return None
        answer = refusal_text(1) if oracle_at is None else f"{seed.answer} [{oracle_at + 1}]"
        report = check_citations(answer, numbered)
        if report.invalid or report.unsupported:
            self._drop("unsupported-figure")
            return None
        kind = "refusal" if oracle_at is None else "answer"
        key = f"{seed.chunk_id}|{question}|{kind}"
        return Example(
            id="ft-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12],
            messages=[*prompt.messages(), {"role": "assistant", "content": answer}],
            kind=kind,
            category=seed.category,
            source=seed.source,
            question=question,
            pages=list(dict.fromkeys(p.chunk.page for p in numbered)),
            split=split,
            chunk_id=seed.chunk_id,
            paraphrase=paraphrased,
            meta={"answer_facts": [] if kind == "refusal" else [seed.answer]},
        )


def _holds_answer(chunk: Chunk, answer: str) -> bool:
    """A distractor that states the answer, what it is about ("기가라이트 500의 월 요금" of a cell, whatever the
    value), or all its figures is no distractor: a refusal over it would teach the model to ignore answers."""
    text = squash(chunk.text)
    subject = answer.split(": ", 1)[0] if ": " in answer else answer
    if squash(answer) in text or squash(subject) in text:
        return True
    figures = figures_in(answer)
    return bool(figures) and all(squash(f) in text for f in figures)
