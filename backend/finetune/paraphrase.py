"""Agent-style variants of a seed question: how questions are really typed on a live call.

Each variant applies one or two of: a colloquial ending ("얼마예요?" → "얼마임?", "알려 주세요" → "좀 알려줘"), a
spacing variant (two words run together or a compound split), and one typo (a vowel or final consonant of one
syllable swapped for a neighbour on the 2-set keyboard: "임대료" → "임데료"). The facts in the answer never
change, so the variant keeps the seed's answer. A seeded `random.Random` makes the output repeatable.

When a teacher LLM is configured, it paraphrases instead (the proof of concept's way); these rules are the
offline fallback.
"""

from __future__ import annotations

import random
import re

# (ending as the seeds write it, colloquial variants)
ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("얼마예요?", ("얼마에요?", "얼마임?", "얼마야?", "얼마죠", "얼만가요")),
    ("어떻게 돼요?", ("어떻게 되나요?", "어케 돼요?", "어떻게 됨?", "뭐예요")),
    ("차이가 뭐예요?", ("뭐가 달라요?", "차이 알려줘요", "비교해 주세요")),
    ("추천해 주세요", ("뭐가 좋아요?", "추천 좀", "알려주세요")),
    ("절차가 어떻게 돼요?", ("어떻게 처리해요?", "절차 알려줘요", "순서가 어떻게 되죠")),
    ("알려 주세요", ("알려줘요", "좀 알려줘", "안내해 주세요", "뭐예요?")),
)

# Vowel neighbours on the 2-set keyboard and common confusions (ㅐ/ㅔ above all).
_VOWEL_SWAPS = {1: 5, 5: 1, 3: 7, 7: 3, 20: 19, 19: 20, 0: 4, 4: 0, 8: 13, 13: 8}
_HANGUL = re.compile(r"[가-힣]")


def _swap_vowel(syllable: str) -> str | None:
    code = ord(syllable) - 0xAC00
    initial, rest = divmod(code, 21 * 28)
    vowel, final = divmod(rest, 28)
    if vowel not in _VOWEL_SWAPS:
        return None
    return chr(0xAC00 + initial * 21 * 28 + _VOWEL_SWAPS[vowel] * 28 + final)


def typo(text: str, rng: random.Random) -> str:
    """One syllable of a word of 3+ Hangul syllables with its vowel swapped ("임대료" → "임데료")."""
    words = [m for m in re.finditer(r"[가-힣]{3,}", text)]
    rng.shuffle(words)
    for word in words:
        positions = list(range(word.start(), word.end()))
        rng.shuffle(positions)
        for i in positions:
            swapped = _swap_vowel(text[i])
            if swapped:
                return text[:i] + swapped + text[i + 1 :]
    return text


def spacing(text: str, rng: random.Random) -> str:
    """Two Hangul words run together, or (if none) a long Hangul word split in two."""
    gaps = [m.start() for m in re.finditer(r"(?<=[가-힣]) (?=[가-힣])", text)]
    if gaps:
        i = rng.choice(gaps)
        return text[:i] + text[i + 1 :]
    long_words = [m for m in re.finditer(r"[가-힣]{4,}", text)]
    if long_words:
        word = rng.choice(long_words)
        cut = word.start() + len(word.group(0)) // 2
        return text[:cut] + " " + text[cut:]
    return text


def colloquial(text: str, rng: random.Random) -> str:
    """The seed's polite ending swapped for a colloquial one."""
    for ending, variants in ENDINGS:
        if text.endswith(ending):
            return text[: -len(ending)] + rng.choice(variants)
    return text


def variants(question: str, n: int, rng: random.Random) -> list[str]:
    """Up to `n` distinct agent-style variants of `question` (never the question itself)."""
    steps = (colloquial, spacing, typo)
    out: list[str] = []
    for _ in range(n * 4):
        if len(out) >= n:
            break
        chosen = rng.sample(steps, k=rng.choice((1, 2)))
        text = question
        for step in chosen:
            text = step(text, rng)
        if text != question and text not in out and _HANGUL.search(text):
            out.append(text)
    return out
