"""Refusal: does one cited page cover the question's topic words, and does the question name a product
variant the passages' tables do not list? (`judge_evidence`, spelled out in its docstring.)"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass

from backend.generate.base import Passage
from backend.generate.extractive.selection import FRAME_NOUNS
from backend.generate.extractive.units import Unit
from backend.text.analyzer import BIGRAM_PREFIX, QUESTION_WORDS, Morpheme, analyze, analyze_query, bigrams, morphemes
from backend.text.glossary import Glossary
from backend.text.normalize import nfkc

MIN_EVIDENCE = 0.5  # least share of the question's topic nouns found in the selected units

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
    text = nfkc(question)  # the text Kiwi's positions refer to
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
        if p.chunk.kind != "table" or table is None:
            continue
        name_columns = [i for i, c in enumerate(table.title_row()) if _NAME_COLUMN.search(c.strip())]
        for r in table.data_rows:
            names.add(r[0])
            names.update(r[i] for i in name_columns if i < len(r))
        for r in table.rows[: table.header_rows]:
            names.update(r[1:])
    return [n for n in ("".join(x.split()).lower() for x in names) if len(n) >= 2]


class _Evidence:
    """Checks question words against the terms of some units (see `judge_evidence`)."""

    def __init__(self, glossary: Glossary, terms: Container[str]) -> None:
        self.glossary = glossary
        self.terms = terms

    def found(self, e: _Element) -> bool:
        if e.code:
            terms = _code_terms(e)
            return bool(terms) and all(t in self.terms for t in terms)
        for t in _variants(e):
            grams = bigrams(t)
            if t in self.terms or (grams and all(g in self.terms for g in grams)):
                return True
            # an unsplit compound noun ("시내통화") whose two parts are there
            if len(t) >= 4 and any(t[:i] in self.terms and t[i:] in self.terms for i in range(2, len(t) - 1)):
                return True
        return any(t in self.terms for t in self.glossary_terms(e))

    def glossary_terms(self, e: _Element) -> list[str]:
        """The terms of the words the glossary adds for the element, or for the question's word it is part of
        (Kiwi cuts "아이피" into "아이" + "피"; the glossary knows "아이피" as "IP")."""
        extra = self.glossary.additions(e.text) + (self.glossary.additions(e.word) if e.word != e.text else [])
        return [t for t in analyze_query(" ".join(extra)) if not t.startswith(BIGRAM_PREFIX)] if extra else []

    def asks(self, e: _Element) -> set[str]:
        """Every term `found` may look up for `e` (an index is asked for all of them at once)."""
        if e.code:
            return set(_code_terms(e))
        splits = {p for t in _variants(e) for i in range(2, len(t) - 1) for p in (t[:i], t[i:])}
        return {x for t in _variants(e) for x in (t, *bigrams(t))} | splits | set(self.glossary_terms(e))


def _code_terms(e: _Element) -> list[str]:
    return [t for t in analyze(e.text) if not t.startswith(BIGRAM_PREFIX)]


def _variants(e: _Element) -> set[str]:
    """The element as written, its noun without the suffix, and without a colloquial "랑" (two characters or more)."""
    return {t for t in (e.text, e.base, _TRAILING_PARTICLE.sub("", e.text)) if len(t) >= 2}


class _KnownTerms:
    """The index's terms as `_Evidence` asks for them: at the first question, the index is asked for that
    term and every term `ahead()` gives at once (one request to OpenSearch), then each answer is remembered.
    Nothing is computed or asked while no word needs looking up."""

    def __init__(self, known_terms: Callable[[Sequence[str]], set[str]], ahead: Callable[[], Iterable[str]]) -> None:
        self.known_terms = known_terms
        self.ahead: Callable[[], Iterable[str]] | None = ahead
        self.seen: dict[str, bool] = {}

    def __contains__(self, term: object) -> bool:
        if not isinstance(term, str):
            return False
        if term not in self.seen:
            ahead = set(self.ahead()) if self.ahead is not None else set()
            self.ahead = None
            batch = sorted((ahead | {term}) - self.seen.keys())
            held = self.known_terms(batch)
            self.seen.update((t, t in held) for t in batch)
        return self.seen[term]


def _share(topics: list[_Element], glossary: Glossary, units: list[Unit]) -> float:
    """Share of `topics` found among the terms of `units` and their context."""
    found = _Evidence(glossary, {t for u in units for t in u.draft.terms | u.draft.context_terms})
    return sum(found.found(e) for e in topics) / len(topics)


@dataclass(frozen=True)
class Judgement:
    """`judge_evidence`'s verdict."""

    evidence: float  # the best share of the question's topic words one page's selected units hold
    reason: str  # why the answer is refused: "no-topic", "weak", "unknown-name"; "" when it stands
    unknown: tuple[str, ...] = ()  # a refused question's topic words no manual holds, as typed


def judge_evidence(
    question: str, glossary: Glossary, selected: list[Unit], units: list[Unit], passages: Sequence[Passage],
    known_terms: Callable[[Sequence[str]], set[str]] | None = None,
) -> Judgement:
    """How well the selected units cover the question, and why a refusal (see `Judgement`).

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
      the words before it are the beginning of a listed name, and the name goes on differently), and that
      no manual holds either (`known_terms`, the index's: "청년 맞춤형 훈련 정보" names no variant of
      "청년 맞춤형 훈련 …", as 정보 is a word of other manuals). Without `known_terms`, the passages decide.
    A refusal names the question's topic words no manual holds ("넷플릭스"; none without `known_terms`).
    """
    phrases = _noun_phrases(question)
    topics = list({e.text: e for phrase in phrases for e in phrase if e.topic}.values())
    if not topics:
        return Judgement(0.0, "no-topic")
    share = max((_share(topics, glossary, [u for u in selected if u.passage.chunk.page == page])
                 for page in {u.passage.chunk.page for u in selected}), default=0.0)
    in_manuals = None
    if known_terms is not None:  # asked only when a word must be looked up: for all the topic words at once
        in_manuals = _Evidence(glossary, _KnownTerms(known_terms,
                                                     lambda: {t for e in topics for t in in_manuals.asks(e)}))

    def refused(reason: str) -> Judgement:
        unknown = [e.text for e in topics if in_manuals is not None and not in_manuals.found(e)]
        return Judgement(share, reason, tuple(_as_typed(question, w) for w in unknown))

    if share < MIN_EVIDENCE:
        return refused("weak")
    in_passages = _Evidence(glossary, {t for u in units for t in u.draft.terms | u.draft.context_terms})
    names = _product_names(passages)
    for phrase in phrases:
        for i, e in enumerate(phrase[1:], start=1):
            if not e.topic or in_passages.found(e) or (in_manuals is not None and in_manuals.found(e)):
                continue
            for j in range(i):
                prefix = "".join(x.text for x in phrase[j:i]).replace(" ", "")
                if any(n.startswith(prefix) and len(n) > len(prefix) for n in names):
                    return refused("unknown-name")
    return Judgement(share, "")


def _as_typed(question: str, word: str) -> str:
    """`word` (lower-cased) as the question spells it ("YouTube" for "youtube")."""
    text = nfkc(question)
    at = text.lower().find(word)
    return text[at : at + len(word)] if at >= 0 else word
