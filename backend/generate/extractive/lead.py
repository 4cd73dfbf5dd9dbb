"""Which unit opens the answer: a logistic scorer over a few features of a unit, with weights learned from
the dev question set (which units hold an answer fact), chosen by cross-validation over questions.

The selection (`selection`) decides what an answer may cite; this decides what goes on line 1. The weights
live in `lead_weights.json` next to this file, with the data they were fitted on and their cross-validated
figures; `scripts/fit_lead_scorer.py` refits them (see its docstring). A feature is a number in [0, 1]:

- own, context: the weighted share of the question's terms in the unit's text, and only in its context;
  own_relative: own over the best own share among the candidates; match_relative: the unit's match score
  (`selection.score_units`) over the best candidate's;
- prior: the passage's retrieval score relative to the best passage's; first_passage: it is the best one;
- answer_type: the question asks for a price / count / time and the unit holds one;
- table: a table row; row_named: the question names the row's title; column_match: the weighted share of
  the question's terms in the best-matching column title of the row;
- main_page: the unit is on the best passage's page; first_in_chunk: it is its chunk's first unit;
  list_item: it is an item of a list;
- length: the unit's length (characters / 200, at most 1);
- meaning_gap, meaning_best: how far the unit's meaning (the cosine of its context and text to the question,
  by the search's embedder: `meaning`) falls short of the closest candidate's, and whether it is the closest.
  Words alone cannot tell "반납 기한" from "변상금의 청구 시점" when both share the question's nouns; the
  embedder, trained on other text than ours, can. Without an embedder every cosine is 0, so both features are
  the same for every unit and leave the order the other features give;
- specific: the weighted share of the question's terms beyond its page's title that the unit's text holds,
  over the best candidate's: on the page of "자녀안심 인터넷", the item with "시간" answers "자녀안심 인터넷
  시간 제한 기능도 있나요?", not the sentence that names the service.

The label the weights are fitted on is the one the answer is judged by: the unit holds *every* fact of the
question (line 1 must state all of it).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from backend.embed.base import Embedder
from backend.generate.base import Passage
from backend.generate.extractive.units import Draft, Unit, drafts_of
from backend.models import Chunk
from backend.process_cache import process_cached
from backend.text.analyzer import analyze
from backend.text.answer_types import holds
from backend.text.normalize import squash

FEATURES = ("own", "context", "own_relative", "match_relative", "prior", "first_passage", "answer_type", "table",
            "row_named", "column_match", "main_page", "first_in_chunk", "list_item", "length", "meaning_gap",
            "meaning_best", "specific")
WEIGHTS_FILE = Path(__file__).with_name("lead_weights.json")


@dataclass(frozen=True)
class LeadModel:
    """A standardised logistic model: score = intercept + Σ coef · (x − mean) / scale."""

    coef: tuple[float, ...]
    intercept: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]

    def score(self, x: Sequence[float]) -> float:
        z = self.intercept + sum(c * (v - m) / s for c, v, m, s in zip(self.coef, x, self.mean, self.scale))
        return 1.0 / (1.0 + math.exp(-z))


def load_model(path: Path = WEIGHTS_FILE) -> LeadModel:
    """The model in `path` (its feature list must be `FEATURES`)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{path}: features {data['features']} differ from {list(FEATURES)}: refit it")
    return LeadModel(tuple(data["coef"]), float(data["intercept"]), tuple(data["mean"]), tuple(data["scale"]))


@process_cached()
def bundled_model() -> LeadModel:
    return load_model()


def column_share(u: Unit, weights: dict[str, float]) -> dict[str, float]:
    """Per column of a table row: the weighted share of the question's terms in its title, counting only
    the words no other column of the row has (`Draft.column_terms`: "3년" in "월 이용료 (VAT 포함) 3년 약정",
    not the "월 이용료" of every price column) and none of the row title's."""
    total = sum(weights.values()) or 1.0
    return {column: sum(w for t, w in weights.items() if t in terms) / total
            for (column, _), terms in zip(u.draft.cells, u.draft.column_terms)}


def row_named(u: Unit, question: str) -> bool:
    """Whether the question names the unit's row (its title, spaces ignored)."""
    title = squash(u.draft.row_title)
    return len(title) >= 2 and title in squash(question)


def unit_text(draft: Draft) -> str:
    """What `meaning` embeds of a unit: its context and its text, as the answer line shows them."""
    return f"{draft.context} — {draft.text}" if draft.context else draft.text


def unit_texts(chunks: Iterable[Chunk]) -> list[str]:
    """The `unit_text` of every unit of `chunks`: what the ingest embeds ahead into the embedding cache, so
    that an answer finds its candidates' vectors there instead of waiting for the model."""
    return [unit_text(d) for c in chunks for d in drafts_of(c.kind, c.text, c.table if c.kind == "table" else None)]


def meaning(units: Sequence[Unit], question: str, embedder: Embedder | None) -> list[float]:
    """The cosine of each unit (`unit_text`) to the question by `embedder` (its vectors are normalised);
    zeros without one. A `CachedEmbedder` keeps the units' vectors (the ingest fills it: `unit_texts`)."""
    if embedder is None or not units:
        return [0.0] * len(units)
    vectors = embedder.embed_passages([unit_text(u.draft) for u in units])
    # Stripped as the search embeds it, so a caching embedder serves the search's vector.
    return [float(v) for v in np.asarray(vectors) @ np.asarray(embedder.embed_query(question.strip()))]


def features(units: Sequence[Unit], weights: dict[str, float], passages: Sequence[Passage], question: str,
             answer_types: list[re.Pattern[str]], similarity: Sequence[float] | None = None,
             ) -> list[tuple[float, ...]]:
    """The `FEATURES` of each unit, in order (units scored by `selection.score_units`; `similarity`: their
    `meaning`, None for none)."""
    similarity = list(similarity) if similarity is not None else [0.0] * len(units)
    closest = max(similarity, default=0.0)
    best_hit = max((p.hit.score for p in passages), default=0.0) or 1.0
    main = min(units, key=lambda u: u.rank).passage.chunk.page if units else ""
    best_own = max((u.shares[0] for u in units), default=0.0) or 1.0
    best_match = max((u.score for u in units), default=0.0) or 1.0
    specific = [_specific_share(u, weights) for u in units]
    best_specific = max(specific, default=0.0) or 1.0
    out = []
    for u, sim, spec in zip(units, similarity, specific):
        own, ctx = u.shares
        out.append((
            own,
            ctx,
            own / best_own,
            max(u.score, 0.0) / best_match,
            max(u.passage.hit.score, 0.0) / best_hit,
            float(u.rank == 0),
            float(bool(answer_types) and holds(u.draft.text, answer_types)),
            float(bool(u.draft.cells)),
            float(bool(u.draft.cells) and row_named(u, question)),
            max(column_share(u, weights).values(), default=0.0),
            float(u.passage.chunk.page == main),
            float(u.order == 0),
            float(u.draft.block >= 0),
            min(len(u.draft.text) / 200, 1.0),
            closest - sim,
            float(sim == closest),
            spec / best_specific,
        ))
    return out


def _specific_share(u: Unit, weights: dict[str, float]) -> float:
    """The weighted share of the question's terms beyond its page's title that the unit's text holds: what
    the question asks besides the page's subject ("자녀안심 인터넷 시간 제한": 시간, 제한)."""
    title = _title_terms(u.passage.chunk.title)
    beyond = {t: w for t, w in weights.items() if t not in title}
    total = sum(beyond.values())
    return sum(w for t, w in beyond.items() if t in u.draft.terms) / total if total else 0.0


@lru_cache(maxsize=4096)
def _title_terms(title: str) -> frozenset[str]:
    return frozenset(analyze(title))


def lead_scores(units: Sequence[Unit], weights: dict[str, float], passages: Sequence[Passage], question: str,
                answer_types: list[re.Pattern[str]], model: LeadModel | None = None,
                similarity: Sequence[float] | None = None) -> list[float]:
    """The probability, per unit, that it holds the facts asked for (`similarity`: see `features`)."""
    model = model or bundled_model()
    return [model.score(x) for x in features(units, weights, passages, question, answer_types, similarity)]
