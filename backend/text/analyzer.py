"""The Korean keyword analyzer of the embedded index: Kiwi morphemes -> BM25 terms.

Everything recipe-specific (which tags count, normalisation, the noun n-gram joins, question words,
BM25 k1/b) is a named constant here, so that a tuned recipe can replace it in one place. Changing
any of them must change `ANALYZER_VERSION`: an index records the version it was built with and
refuses to run against another one (a full re-index fixes it).

The recipe:
- Unicode NFKC, then Kiwi morphemes; particles, endings, copulas and suffixes are dropped, so
  "위약금은" / "위약금이" both give "위약금".
- Content morphemes kept: common/proper nouns, numerals, verb and adjective stems (minus a few light
  verbs), roots, adverbs, Latin (lower-cased), Hanja and numbers (thousands separators removed).
- A noun directly followed by a noun-suffix ("요금"+"제") or preceded by a prefix ("재"+"발급") also
  gives the joined form ("요금제", "재발급").
- Adjacent noun-like morphemes (nothing but whitespace between them) also give their joined 2- and
  3-grams, so both spacings "기가인터넷" / "기가 인터넷" share the term "기가인터넷", and a compound
  Kiwi keeps whole ("데이터쉐어링") still meets its spaced form ("데이터 쉐어 링" -> "데이터쉐어링").
- A second field of character bigrams inside each run of letters and digits, lower-cased
  ("위약금은" -> 위약, 약금, 금은), scored with its own BM25 statistics and a weight of
  `BIGRAM_BOOST`: it still matches where the morpheme analysis splits a typo, a rare spelling or an
  unknown compound differently on the two sides. Its terms carry `BIGRAM_PREFIX`, which no morpheme
  term contains, so both fields share one vocabulary. OpenSearch mirrors it with an `ngram` tokenizer
  (min/max 2, letters and digits) on the `text.bigram` sub-field, so one-character runs give no term
  on either side.
- BM25 with k1 = 0.6: a repeated term saturates sooner than with Lucene's 1.2. Together with the
  bigram field this gave +2 points of Recall@1 on KorQuAD (docs/research/korquad-results.md).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

import kiwipiepy

from backend.process_cache import process_cached
from backend.text.normalize import nfkc

# --- the recipe (bump RECIPE_REVISION whenever any of these change) ---
RECIPE_REVISION = "content-ngram3-bigram-r2"

# Morpheme tags kept as terms (Kiwi's Sejong-based tag set; irregular-conjugation suffixes such as
# "VV-R" / "VA-I" are stripped before the lookup).
# NNB (bound nouns: 것, 수, 중, 등, 개월, 원) and NP (pronouns: 무엇, 어디, 이것) are left out: they are
# near stop words in manual text; a bound noun after a number is kept joined ("24개월", "33000원").
CONTENT_TAGS = frozenset({"NNG", "NNP", "NR", "VV", "VA", "XR", "SL", "SH", "SN", "MAG"})
# Tags that chain into the joined noun n-grams.
NOUN_LIKE_TAGS = frozenset({"NNG", "NNP", "NR", "SL", "SH", "SN"})
# Longest joined n-gram of adjacent noun-like morphemes.
JOIN_NGRAM_MAX = 3
# Light verbs and auxiliaries that carry no topic ("하다", "되다", "있다", "않다").
STOP_STEMS = frozenset({"하", "되", "있", "않", "이", "아니"})
# Question words dropped from queries only (the manuals do not contain the question).
QUESTION_WORDS = frozenset({"무엇", "뭐", "얼마", "어떻", "어떡", "어디", "언제", "왜", "누구", "몇", "어느", "어떤"})

# The character-bigram field: its terms' prefix and its weight in the keyword score.
BIGRAM_PREFIX = "#"
BIGRAM_BOOST = 0.5

# BM25 parameters of both fields (the OpenSearch index sets the same ones as its default similarity).
BM25_K1 = 0.6
BM25_B = 0.75

# Texts handed to Kiwi per call when analysing a batch; the analyzer lock is released between slices
# so that a query analysed by another thread waits for one slice (~0.1 s), never for a whole re-index.
BATCH_SLICE = 16

ANALYZER_VERSION = f"kiwi{kiwipiepy.__version__}-{RECIPE_REVISION}-bigram{BIGRAM_BOOST}-k{BM25_K1}-b{BM25_B}"

# Guards every call into the shared Kiwi: its Python binding keeps per-instance state and makes no
# thread-safety promise, and Streamlit sessions share the process.
_analyze_lock = threading.Lock()


@process_cached()
def _get_kiwi() -> kiwipiepy.Kiwi:
    """The process-wide Kiwi (loading its model takes ~0.8 s, so it is built at the first analysis)."""
    kiwi = kiwipiepy.Kiwi()
    kiwi.tokenize("")  # finish Kiwi's lazy initialisation here, not in the first query
    return kiwi


def _term(form: str, tag: str) -> str:
    if tag == "SL":
        return form.lower()
    if tag == "SN":
        return form.replace(",", "")
    return form


def _terms_of(tokens: Sequence[kiwipiepy.Token], *, drop: frozenset[str]) -> list[str]:
    """Turn one text's morphemes into terms (see the module docstring for the recipe)."""
    terms: list[str] = []
    run: list[str] = []  # the current chain of adjacent noun-like terms

    def flush() -> None:
        for n in range(2, min(JOIN_NGRAM_MAX, len(run)) + 1):
            for i in range(len(run) - n + 1):
                terms.append("".join(run[i : i + n]))
        run.clear()

    prev_end = -1
    prev_term: str | None = None  # previous kept noun-like term, for suffix joins
    pending_prefix: str | None = None
    for tok in tokens:
        tag = tok.tag.split("-", 1)[0]
        form = tok.form
        touching = tok.start == prev_end
        prev_end = tok.start + tok.len
        if tag == "XPN":
            flush()
            pending_prefix = form
            prev_term = None
            continue
        if tag in ("XSN", "NNB") and touching and prev_term is not None:
            # "요금"+"제" -> "요금제", "24"+"개월" -> "24개월"; the joined form continues the chain.
            joined = prev_term + form
            terms.append(joined)
            if run:
                run[-1] = joined
            prev_term = joined
            continue
        if tag not in CONTENT_TAGS or form in drop or (tag in ("VV", "VA") and form in STOP_STEMS):
            flush()
            pending_prefix = None
            prev_term = None
            continue
        term = _term(form, tag)
        terms.append(term)
        if tag in NOUN_LIKE_TAGS:
            if pending_prefix is not None and touching:
                terms.append(pending_prefix + term)
            run.append(term)
            prev_term = term
        else:
            flush()
            prev_term = None
        pending_prefix = None
    flush()
    return terms


def _word_runs(text: str) -> Iterator[str]:
    """Maximal runs of letters and digits (what OpenSearch's ngram tokenizer calls `letter` and `digit`)."""
    start = None
    for i, ch in enumerate(text):
        if ch.isalpha() or ch.isdigit():
            if start is None:
                start = i
        elif start is not None:
            yield text[start:i]
            start = None
    if start is not None:
        yield text[start:]


def bigrams(text: str) -> list[str]:
    """Bigram-field terms of an (already normalised) text: `BIGRAM_PREFIX` + two lower-cased characters."""
    out: list[str] = []
    for run in _word_runs(text.lower()):
        out.extend(BIGRAM_PREFIX + run[i : i + 2] for i in range(len(run) - 1))
    return out


def is_bigram(term: str) -> bool:
    """Whether a term belongs to the bigram field."""
    return term.startswith(BIGRAM_PREFIX)


def _analyze(text: str, drop: frozenset[str]) -> list[str]:
    if not text or not text.strip():
        return []
    text = nfkc(text)
    kiwi = _get_kiwi()
    with _analyze_lock:
        tokens = kiwi.tokenize(text)
    return _terms_of(tokens, drop=drop) + bigrams(text)


def analyze(text: str) -> list[str]:
    """Index-side terms of a document text: morpheme terms then bigram terms (duplicates kept for term frequencies)."""
    return _analyze(text, frozenset())


def analyze_query(text: str) -> list[str]:
    """Query-side terms: the document recipe without question words ("얼마", "어떻게", "어디") in the
    morpheme field (the bigram field, like OpenSearch's, has no stop words)."""
    return _analyze(text, QUESTION_WORDS)


class Morpheme(NamedTuple):
    """One Kiwi morpheme: its form, its tag (irregular-conjugation suffix stripped: "VV-R" -> "VV"), its
    character span in the normalised text, and whether Kiwi's dictionary lacks it (`oov`: a name Kiwi
    guessed, or a typo such as "임데료")."""

    form: str
    tag: str
    start: int
    end: int
    oov: bool = False


def morphemes(text: str) -> list[Morpheme]:
    """Kiwi's morphemes of the NFKC-normalised `text`, for callers that need parts of speech (the
    extractive answerer's refusal check)."""
    if not text or not text.strip():
        return []
    kiwi = _get_kiwi()
    with _analyze_lock:
        tokens = kiwi.tokenize(nfkc(text))
    return [Morpheme(tok.form, tok.tag.split("-", 1)[0], tok.start, tok.start + tok.len, bool(tok.oov))
            for tok in tokens]


def analyze_many(texts: Iterable[str]) -> Iterator[list[str]]:
    """`analyze` over many texts, using Kiwi's batch tokenizer (its worker threads) slice by slice."""
    kiwi = _get_kiwi()
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) >= BATCH_SLICE:
            yield from _analyze_slice(kiwi, batch)
            batch = []
    if batch:
        yield from _analyze_slice(kiwi, batch)


def _analyze_slice(kiwi: kiwipiepy.Kiwi, texts: list[str]) -> list[list[str]]:
    normalised = [nfkc(t) if t and t.strip() else "" for t in texts]
    with _analyze_lock:
        token_lists = list(kiwi.tokenize(normalised))
    return [
        _terms_of(tokens, drop=frozenset()) + bigrams(text) if text else []
        for text, tokens in zip(normalised, token_lists)
    ]
