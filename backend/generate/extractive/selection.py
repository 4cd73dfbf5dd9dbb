"""Scoring and selection of units: idf-weighted question terms, the main page, and what completes a
selection (short lists, the line after an introduction, a named table row)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from backend.generate.base import Passage
from backend.generate.extractive.units import Unit
from backend.text.analyzer import BIGRAM_PREFIX, QUESTION_WORDS
from backend.text.answer_types import holds
from backend.text.normalize import squash

# --- scoring ---
BIGRAM_WEIGHT = 0.5  # a character-bigram term, relative to a morpheme term of the same idf
GLOSSARY_WEIGHT = 0.7  # a term the glossary adds, relative to the question's own
CONTEXT_WEIGHT = 0.35  # a question term found only in the unit's context
PRIOR_WEIGHT = 0.5  # the passage's retrieval score relative to the best passage's
ANSWER_TYPE_BONUS = 0.1  # a unit that holds the kind of answer asked for (`backend.text.answer_types`)

# --- selection ---
KEEP_RATIO = 0.6  # units kept score at least this share of the best unit's score
# ... and a unit of another page than the best unit's at least this share: every page cited is a page the
# agent has to open, so a second page must match nearly as well (a comparison's two pages do).
OTHER_PAGE_RATIO = 0.7
MAX_UNITS = 6
MAX_PER_PASSAGE = 4
LIST_MAX_ITEMS = 5  # a list of at most this many items is copied whole when one item is selected
MIN_ROW_NAME = 4  # shortest table row name (first cell) followed from a selected sentence
MAX_NAMED_ROWS = 2  # table rows added because a selected sentence names them
_INTRO = re.compile(r"(?:다음과 같|아래와 같)[^.]*\.?$|:$")

# Nouns that frame a question rather than name its topic (who asks, what kind of answer is wanted).
FRAME_NOUNS = frozenset(
    "고객 고객님 손님 문의 질문 추천 비교 차이 방법 절차 순서 안내 상담 가능 필요 정도 얼마 무엇 경우 내용 설명 확인 "
    "관련 이거 여기 거기 오늘 내일 지금 이번 다음 며칠 보통 제일 가장 가격 금액 총액 비용 종류 "
    "양식 서식".split()
)
# A quantity the agent states ("4시간", "14개월", "3만원") describes the customer's case; the page that
# answers holds the rule for it, seldom the same number. Plan names ("5G", "1G", "2.5기가") are no quantity.
_QUANTITY = re.compile(r"\d+(?:[.,]\d+)?(?:시간|분|일|주|개월|년|원|만원)")


def term_weights(q_terms: list[str], g_terms: list[str], units: list[Unit]) -> dict[str, float]:
    """idf over the candidate units (own text and context) of each distinct question term."""
    n = len(units)
    weights: dict[str, float] = {}
    for t in dict.fromkeys(q_terms + g_terms):
        df = sum(1 for u in units if t in u.draft.terms or t in u.draft.context_terms)
        idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
        weights[t] = idf * (BIGRAM_WEIGHT if t.startswith(BIGRAM_PREFIX) else 1.0)
    for t in g_terms:
        weights[t] *= GLOSSARY_WEIGHT
    return weights


def score_units(
    units: list[Unit], weights: dict[str, float], passages: Sequence[Passage], answer_types: list[re.Pattern[str]]
) -> None:
    total = sum(weights.values()) or 1.0
    best_hit = max((p.hit.score for p in passages), default=0.0) or 1.0
    for u in units:
        own = sum(w for t, w in weights.items() if t in u.draft.terms)
        ctx = sum(w for t, w in weights.items() if t not in u.draft.terms and t in u.draft.context_terms)
        prior = max(u.passage.hit.score, 0.0) / best_hit
        bonus = ANSWER_TYPE_BONUS if holds(u.draft.text, answer_types) else 0.0
        u.shares = (own / total, ctx / total)
        u.score = (own + CONTEXT_WEIGHT * ctx) / total + PRIOR_WEIGHT * prior + bonus


def candidates(ranked: list[Unit], q_terms: list[str]) -> list[Unit]:
    """The units of the main page (the best passage's), and of each other page one of whose units holds
    a term of the question the main page does not hold: a morpheme of two characters or more typed by the
    agent, but no bigram, no question word, no frame word ("고객", "필요", "달라요"; also a compound of a
    word the main page holds and a frame noun: "신청서 양식"), no quantity ("4시간") and no word the
    glossary added (a glossary word says again what the agent typed: "일반전화" for "집전화")."""
    if not ranked:
        return []
    main = min(ranked, key=lambda u: u.rank).passage.chunk.page
    main_drafts = [u.draft for u in ranked if u.passage.chunk.page == main]
    terms = {t for d in main_drafts for t in d.terms | d.context_terms}
    # Kiwi may cut one word differently in two sentences ("기가라이트" / "기" + "라이트"): a term inside
    # the main page's text, spaces removed, is on the main page too.
    flat = "".join(squash(f"{d.context} {d.text}") for d in main_drafts)

    def on_main(t: str) -> bool:
        return t in terms or squash(t) in flat

    def framed(t: str) -> bool:
        return t in FRAME_NOUNS or any(
            t.endswith(f) and len(t) > len(f) and on_main(t[: -len(f)]) for f in FRAME_NOUNS
        )

    missing = {
        t for t in q_terms
        if len(t) >= 2 and not t.startswith(BIGRAM_PREFIX) and t not in QUESTION_WORDS and not framed(t)
        and not _QUANTITY.fullmatch(t) and not on_main(t)
    }
    # A page that answers a part of the question joins with all its units: the one holding the missing
    # word is not always the one that answers ("그 사이 기간 동안 … '이전 대기'" -> "대기 기간의 월 이용료는 …").
    pages = {u.passage.chunk.page for u in ranked if not missing.isdisjoint(u.draft.terms | u.draft.context_terms)}
    return [u for u in ranked if u.passage.chunk.page == main or u.passage.chunk.page in pages]


def select(ranked: list[Unit]) -> list[Unit]:
    """The best unit of each passage scoring at least `KEEP_RATIO` of the best, then the others by score."""
    if not ranked:
        return []
    best = ranked[0]
    eligible = [
        u for u in ranked
        if u.score >= (KEEP_RATIO if u.passage.chunk.page == best.passage.chunk.page else OTHER_PAGE_RATIO) * best.score
    ]
    selected: list[Unit] = []
    taken: set[int] = set()
    texts: set[str] = set()
    per_passage: dict[int, int] = {}

    def take(u: Unit) -> None:
        selected.append(u)
        taken.add(id(u))
        texts.add(u.draft.text)
        per_passage[u.rank] = per_passage.get(u.rank, 0) + 1

    for u in eligible:
        if len(selected) < MAX_UNITS and u.rank not in per_passage and u.draft.text not in texts:
            take(u)
    for u in eligible:
        if len(selected) >= MAX_UNITS:
            break
        if id(u) not in taken and u.draft.text not in texts and per_passage.get(u.rank, 0) < MAX_PER_PASSAGE:
            take(u)
    return selected


def complete(selected: list[Unit], units: list[Unit]) -> list[Unit]:
    """Add what completes the selected units: short lists, the line after an introduction, and the
    table row of a product a selected sentence names."""
    out = list(selected)
    have = {id(u) for u in out}

    def add(u: Unit) -> None:
        if id(u) not in have:
            out.append(u)
            have.add(id(u))

    by_chunk: dict[int, list[Unit]] = {}
    for u in units:
        by_chunk.setdefault(u.rank, []).append(u)
    for u in selected:
        siblings = by_chunk[u.rank]
        if u.draft.block >= 0:
            items = [v for v in siblings if v.draft.block == u.draft.block]
            if len(items) <= LIST_MAX_ITEMS:
                for v in items:
                    add(v)
        if _INTRO.search(u.draft.text) and u.order + 1 < len(siblings):
            add(siblings[u.order + 1])
    # Rows named by a selected text unit, on a page already cited; a name inside a longer matched name
    # does not count.
    said = [u.draft.text for u in selected if u.passage.chunk.kind != "table"]
    cited = {u.passage.chunk.page for u in selected}
    named = [
        v for v in units
        if v.passage.chunk.page in cited
        and len(v.draft.name) >= MIN_ROW_NAME
        and any(v.draft.name in t for t in said)
    ]
    names = {v.draft.name for v in named}
    named = [v for v in named if not any(v.draft.name != m and v.draft.name in m for m in names)]
    for v in sorted(named, key=lambda v: (-v.score, v.rank, v.order))[:MAX_NAMED_ROWS]:
        add(v)
    return out
