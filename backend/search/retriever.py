"""`Retriever`: a question in, the best chunks out: query embedding + hybrid search + the policy for
superseded (old) manual pages."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import replace

from backend.config import Settings
from backend.embed.base import Embedder
from backend.models import Hit, SearchFilters
from backend.search.base import SearchIndex, check_embedder
from backend.text.analyzer import morphemes
from backend.text.answer_types import asked_for, holds
from backend.text.glossary import Glossary, load_glossary
from backend.text.spelling import latin_reading

# How long a passed embedder check is trusted before `stats()` is asked again (a re-index with
# another model by a separate process must not go unnoticed for long, but stats() may be a network call).
EMBEDDER_RECHECK_S = 30.0
# Re-ranking here ("demote", the FAQ weight, the answer-type bonus) asks the index for this many times k,
# so that the chunks it moves up can fill the k places.
OVERFETCH = 2
# Kiwi tags of the question words `correct` looks up: nouns (a typo'd noun comes out as a noun or unknown).
_CORRECTABLE = frozenset({"NNG", "NNP", "UN"})


class Retriever:
    """Thread-safe; shared by every dashboard session."""

    def __init__(self, index: SearchIndex, embedder: Embedder, settings: Settings) -> None:
        self.index = index
        self.embedder = embedder
        self.superseded_policy = settings.superseded
        self.faq_weight = settings.faq_weight
        self.answer_type_bonus = settings.answer_type_bonus
        self.glossary = load_glossary(settings.glossary_file) if settings.glossary_enabled else Glossary()
        self._checked_at: float | None = None
        self._check_lock = threading.Lock()

    def check_embedder(self) -> None:
        """Raise `EmbedderMismatchError` if the index was built with another embedder (name or dim)."""
        now = time.monotonic()
        if self._checked_at is not None and now - self._checked_at < EMBEDDER_RECHECK_S:
            return
        with self._check_lock:
            stats = self.index.stats()
            if stats.embedder is None:  # empty index: nothing to compare with yet
                self._checked_at = None
                return
            self._checked_at = None
            check_embedder(stats.location, stats.embedder, stats.dim, self.embedder.name, self.embedder.dim)
            self._checked_at = now

    def correct(self, query: str) -> tuple[str, dict[str, str]]:
        """`query` with its typos corrected against the indexed words ("임데료" -> "임대료", "에이아이" -> "AI"),
        and what was corrected. Only nouns Kiwi's dictionary does not know, and acronyms spelled by their
        letters' names, are looked up (a dictionary word such as "월요일" or "와이프" is no typo, even when no
        manual holds it)."""
        words = [m.form for m in morphemes(query)
                 if m.tag in _CORRECTABLE and (m.oov or latin_reading(m.form) is not None)]
        fixes = self.index.corrections(words) if words else {}
        for typo, fix in fixes.items():
            query = query.replace(typo, fix)
        return query, fixes

    def known_terms(self, terms: Sequence[str]) -> set[str]:
        """The keyword analyzer's `terms` some manual holds (`SearchIndex.known_terms`)."""
        return self.index.known_terms(terms) if terms else set()

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None, *,
               correct: bool = True) -> list[Hit]:
        """The `k` best chunks for `query` (typos corrected first unless `correct` is False: see
        `correct`). The keyword side searches the query widened by the glossary,
        the vector side embeds the query as typed. FAQ entries' scores are multiplied by
        `settings.faq_weight`, and a chunk that holds the kind of answer asked for (a price, a count, a
        time) gains `settings.answer_type_bonus`. Superseded pages are left out ("exclude") or ranked after
        every current page ("demote"), per `settings.superseded`."""
        if query is None or not query.strip():
            raise ValueError("검색어가 비어 있습니다. 질문을 입력하세요.")
        if k < 1:
            raise ValueError("결과 수(k)는 1 이상이어야 합니다.")
        self.check_embedder()
        if correct:
            query, _ = self.correct(query)
        filters = filters or SearchFilters()
        vector = self.embedder.embed_query(query.strip())
        keywords = self.glossary.expand(query)
        if self.superseded_policy == "exclude":
            filters = replace(filters, current_only=True)
        hits = self.index.search(keywords, vector, k=OVERFETCH * k, filters=filters)
        hits = self._rescore(query, hits)
        current = [h for h in hits if not h.chunk.superseded]
        old = [h for h in hits if h.chunk.superseded]
        return (current + old)[:k]

    def _rescore(self, query: str, hits: list[Hit]) -> list[Hit]:
        """Apply the FAQ weight and the answer-type bonus; re-sort (stably: ties keep the index's order)."""
        answers = asked_for(query) if self.answer_type_bonus else []
        if self.faq_weight == 1.0 and not answers:
            return hits
        rescored = []
        for h in hits:
            score = h.score * (self.faq_weight if h.chunk.faq else 1.0)
            if answers and holds(h.chunk.text, answers):
                score += self.answer_type_bonus
            rescored.append(replace(h, score=score))
        return sorted(rescored, key=lambda h: -h.score)
