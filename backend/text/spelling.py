"""Typos in agents' questions, corrected against the words the manuals use ("임데료" -> "임대료").

A question word is corrected only when no manual holds it (document frequency 0) and an indexed word is one
jamo edit away: Hangul is compared letter by letter (ㅇ ㅣ ㅁ ㄷ ㅔ ㄹ ㅛ vs ㅇ ㅣ ㅁ ㄷ ㅐ ㄹ ㅛ), so a vowel slip
costs one edit, not a whole syllable. Two edits were tried and dropped: "에이아이" (AI) became "와이파이".
Among several candidates the word more chunks hold wins; a tie is no guess. Words the manuals hold are never
touched, however rare.

An acronym heard on the phone is typed as the Korean names of its letters ("에이아이" for AI, "유에스비" for
USB): a word that spells two or more Latin letters by their names, which no manual holds while its letters
are an indexed word, is read as those letters (`latin_reading`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

_BASE, _LAST = 0xAC00, 0xD7A3
_LEADS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_TAILS = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
# The Korean names of the Latin letters (국립국어원's spellings, and 씨 for the usual C).
LETTER_NAMES = {
    "에이": "a", "비": "b", "씨": "c", "시": "c", "디": "d", "이": "e", "에프": "f", "지": "g", "에이치": "h", "아이": "i",
    "제이": "j", "케이": "k", "엘": "l", "엠": "m", "엔": "n", "오": "o", "피": "p", "큐": "q", "알": "r", "에스": "s",
    "티": "t", "유": "u", "브이": "v", "더블유": "w", "엑스": "x", "와이": "y", "제트": "z",
}
_LONGEST_NAME = max(map(len, LETTER_NAMES))
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


def latin_reading(word: str) -> str | None:
    """The letters `word` spells by their Korean names ("에이아이" -> "ai", "유에스비" -> "usb"), or None when it
    is not two or more letter names end to end ("와이프", "아이") or is shorter than `MIN_SYLLABLES` (two
    syllables read as letters too often by chance: 이유, 유지, 티비)."""
    if len(word) < MIN_SYLLABLES:
        return None

    def read(i: int) -> str | None:
        if i == len(word):
            return ""
        for size in range(min(_LONGEST_NAME, len(word) - i), 0, -1):  # longest name first, then back off
            letter = LETTER_NAMES.get(word[i : i + size])
            rest = read(i + size) if letter else None
            if rest is not None:
                return letter + rest
        return None

    letters = read(0) if word else None
    return letters if letters is not None and len(letters) >= 2 else None


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
        """The indexed word `word` is a typo of, or None (known word, no close neighbour, or a tie). An
        acronym spelled by its letters' names is read as the letters, upper-case ("에이아이" -> "AI")."""
        if self.vocabulary.get(word, 0) > 0:
            return None
        letters = latin_reading(word)
        if letters is not None and self.vocabulary.get(letters, 0) > 0:
            return letters.upper()
        if not _is_hangul_word(word):
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
