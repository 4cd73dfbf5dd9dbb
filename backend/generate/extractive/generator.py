"""`ExtractiveGenerator`: composes the answer from the selected units, or refuses."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from backend.embed.base import Embedder
from backend.generate.base import NOT_FOUND_KO, Generation, GenerationCancelled, Passage
from backend.generate.extractive.compose import compose
from backend.generate.extractive.lead import LeadModel, bundled_model, lead_scores, meaning
from backend.generate.extractive.refusal import judge_evidence
from backend.generate.extractive.selection import candidates, complete, score_units, select, term_weights
from backend.generate.extractive.units import Unit, drafts_of, table_of
from backend.process_cache import process_cached
from backend.text.analyzer import BIGRAM_PREFIX, analyze_query
from backend.text.answer_types import asked_for
from backend.text.glossary import DEFAULT_GLOSSARY, Glossary, load_glossary

CLOSEST_KO = "가장 가까운 내용:"
CLOSEST_UNITS = 2  # units shown after a refusal
NAMED_UNKNOWN = 2  # words no manual holds a refusal names


class ExtractiveGenerator:
    """Copies the passages' best-matching sentences and table rows, cited [n]. Thread-safe."""

    name = "extractive"

    def __init__(self, *, glossary: Glossary | None = None, company_names: Sequence[str] = (),
                 lead_model: LeadModel | None = None, embedder: Embedder | None = None,
                 known_terms: Callable[[Sequence[str]], set[str]] | None = None) -> None:
        """`glossary`: the agents' words -> manual words map of the search (pass the retriever's);
        None loads the bundled one. `company_names`: the company's own names (`settings.company_names`
        split at commas; blanks are ignored), which name no topic in a question. `lead_model`: what
        picks line 1 (None: the bundled weights, `lead.WEIGHTS_FILE`). `embedder`: the search's, which
        tells line 1 the candidates' closeness in meaning to the question (None: by their words only).
        `known_terms`: the search's terms some manual holds (`Retriever.known_terms`), which tell a word of
        other manuals from an unknown product name (None: the passages alone tell)."""
        self.glossary = glossary if glossary is not None else _bundled_glossary()
        self.lead_model = lead_model or bundled_model()
        self.embedder = embedder
        self.known_terms = known_terms
        names = sorted({n.strip() for n in company_names if n.strip()}, key=len, reverse=True)
        self.company_name = re.compile("|".join(map(re.escape, names)), re.IGNORECASE) if names else None

    def generate(
        self,
        question: str,
        passages: Sequence[Passage],
        *,
        on_text: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
        strict: bool = False,  # noqa: ARG002 - the protocol's Korean-only prompt; copies are Korean already
    ) -> Generation:
        """Answer `question` by copying units of `passages` (see the package docstring); `on_text`
        gets the whole text once. `strict` changes nothing: there is no prompt."""
        if cancel is not None and cancel.is_set():
            raise GenerationCancelled("답변 생성이 취소되었습니다.")
        text, refused = self._compose(question, passages)
        if on_text is not None:
            on_text(text)
        return Generation(text=text, mode="extractive", refused=refused)

    def _compose(self, question: str, passages: Sequence[Passage]) -> tuple[str, bool]:
        plan = self.plan(question, passages)
        if plan.refused:
            # the words no manual holds, named (the first two tell enough): the agent sees what was not found
            named = ", ".join(f"'{w}'" for w in plan.unknown[:NAMED_UNKNOWN])
            said = f"{named}: {NOT_FOUND_KO}." if named else f"{NOT_FOUND_KO}."
            return "\n".join([f"{said} {CLOSEST_KO}" if plan.closest else said]
                             + [u.line() for u in plan.closest]), True
        return compose(plan.selected, plan.pool, plan.weights, plan.answer_types, question, plan.typed).text(), False

    def plan(self, question: str, passages: Sequence[Passage]) -> Plan:
        """Score, select and judge the evidence (the steps of the package docstring); public for the
        lead scorer's fitting script."""
        units = [
            Unit(draft, p, rank, order)
            for rank, p in enumerate(passages)
            for order, draft in enumerate(drafts_of(p.chunk.kind, p.text, table_of(p)))
        ]
        if not units:
            return Plan([], [], [], 0.0, True, "no-passage", {}, [], frozenset())
        q_terms = analyze_query(question)
        extra = self.glossary.additions(question)
        g_terms = [t for t in analyze_query(" ".join(extra)) if t not in q_terms] if extra else []
        # The rest of the first page (`Passage.rest_of_page`: sections the search did not return) may open the
        # answer, never support it: everything else stands on what the search found. Copied as support too,
        # they lengthened answers with table rows nobody asked for (docs/research/answer-first.md, "Session 14").
        found = [u for u in units if not u.passage.rest_of_page]
        rest = [u for u in units if u.passage.rest_of_page]
        weights = term_weights(q_terms, g_terms, found)
        answer_types = asked_for(question)
        score_units(units, weights, passages, answer_types)
        ranked = sorted(found, key=lambda u: (-u.score, u.rank, u.order))
        pool = candidates(ranked, q_terms)
        openers = pool + rest
        similarity = meaning(openers, question, self.embedder)
        for u, lead in zip(openers, lead_scores(openers, weights, passages, question, answer_types,
                                                self.lead_model, similarity)):
            u.lead = lead
        selected = complete(select(pool), found)
        selected.sort(key=lambda u: (u.rank, u.order))
        asked = self.company_name.sub(" ", question) if self.company_name else question
        judgement = judge_evidence(asked, self.glossary, selected, found,
                                   [p for p in passages if not p.rest_of_page], self.known_terms)
        closest = sorted(ranked[:CLOSEST_UNITS], key=lambda u: (u.rank, u.order))
        typed = frozenset(t for t in q_terms if not t.startswith(BIGRAM_PREFIX))
        return Plan(selected, openers, closest, judgement.evidence, bool(judgement.reason), judgement.reason,
                    weights, answer_types, typed, judgement.unknown)


@dataclass
class Plan:
    """What `plan` decided: the units to copy, the candidates, the closest ones for a refusal, the evidence
    and why a refusal ("" when none), and what composition needs: the question's term weights, answer kinds
    and its own words."""

    selected: list[Unit]
    pool: list[Unit]  # line-1 candidates, scored: the units of the pages an answer may cite, the first page's rest
    closest: list[Unit]
    evidence: float
    refused: bool
    reason: str
    weights: dict[str, float]
    answer_types: list[re.Pattern[str]]
    typed: frozenset[str]  # the question's own terms: no glossary word, no character bigram
    unknown: tuple[str, ...] = ()  # a refusal's topic words no manual holds (`refusal.Judgement.unknown`)


@process_cached()
def _bundled_glossary() -> Glossary:
    return load_glossary(DEFAULT_GLOSSARY)
