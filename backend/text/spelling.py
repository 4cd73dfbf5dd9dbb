"""Typos in agents' questions, corrected against the words the manuals use ("임데료" -> "임대료").

A question word is corrected only when no manual holds it (document frequency 0) and an indexed word is one
jamo edit away: Hangul is compared letter by letter (ㅇ ㅣ ㅁ ㄷ ㅔ ㄹ ㅛ vs ㅇ ㅣ ㅁ ㄷ ㅐ ㄹ ㅛ), so a vowel slip
costs one edit, not a whole syllable. Two edits were tried and dropped: "에이아이" (AI) became "와이파이".
Among several candidates the word more chunks hold wins; a tie is no guess. Words the manuals hold are never
touched, however rare.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

_BASE, _LAST = 0xAC00, 0xD7A3
_LEADS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_TAILS = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
MIN_SYLLABLES = 3  # a two-syllable word has too many neighbours: 담달 (다음 달) -> 담당
MAX_EDITS = 1


def jamo(word: str) -> str:
    """`word` with each Hangul syllable spelled out as its letters (other characters kept)."""
    out = []
    for ch in word:
        code = ord(ch)
        if _BASE <= code <= _LAST:
            index = code - _BASE
            out.append(_LEADS[index // 588] + _VOWELS[index % 588 // 28] + _TAILS[index % 28].strip())
        else:
            out.append(ch)
    return "".join(out)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of `a` and `b`, or `limit + 1` as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _is_hangul_word(word: str) -> bool:
    return len(word) >= MIN_SYLLABLES and all(_BASE <= ord(ch) <= _LAST for ch in word)


class Speller:
    """Corrections against one vocabulary (word -> number of documents holding it)."""

    def __init__(self, vocabulary: Mapping[str, int]) -> None:
        self.vocabulary = vocabulary
        self._by_length: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
        for word, df in vocabulary.items():
            if df > 0 and _is_hangul_word(word):
                self._by_length[len(word)].append((word, jamo(word), df))

    def correct(self, word: str) -> str | None:
        """The indexed word `word` is a typo of, or None (known word, no close neighbour, or a tie)."""
        if not _is_hangul_word(word) or self.vocabulary.get(word, 0) > 0:
            return None
        limit = MAX_EDITS
        spelled = jamo(word)
        best: list[tuple[int, int, str]] = []
        for length in (len(word) - 1, len(word), len(word) + 1):
            for candidate, letters, df in self._by_length.get(length, ()):
                distance = edit_distance(spelled, letters, limit)
                if distance <= limit:
                    best.append((distance, -df, candidate))
        if not best:
            return None
        best.sort()
        if len(best) > 1 and best[0][:2] == best[1][:2]:
            return None  # two words as close and as common: no guess
        return best[0][2]
