"""The query glossary: agents' words -> the manuals' words, added to the keyword side of a search.

Agents type "티비", "폰", "취소하고 싶대요"; the manuals say "TV", "휴대폰", "청약철회". The glossary
(a text file, format in `glossary_ko.txt`) maps the first to the second. It only widens the keyword
query, in the retriever, before the backend sees it; so the embedded index and OpenSearch get the same
expanded text, the vector query stays the agent's own words, and editing the file needs no re-index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from backend.text.normalize import fold

DEFAULT_GLOSSARY = Path(__file__).with_name("glossary_ko.txt")


# Marks a trigger that must be the whole word: "얼마$" is "월 얼마" but not "얼마나 걸려요".
WHOLE_WORD = "$"


class GlossaryError(ValueError):
    """A glossary file that cannot be read or has a malformed line."""


@dataclass(frozen=True)
class Rule:
    """When any of `triggers` starts a word of the question (a trigger ending in "$" must be the whole
    word), `additions` join the keyword query."""

    triggers: tuple[str, ...]
    additions: tuple[str, ...]


@dataclass(frozen=True)
class Glossary:
    rules: tuple[Rule, ...] = ()

    def additions(self, query: str) -> list[str]:
        """The words to add for `query`, in rule order, without repeats or words already in it."""
        text = fold(query)
        out: list[str] = []
        for rule in self.rules:
            if any(_starts_a_word(text, t) for t in rule.triggers):
                out.extend(a for a in rule.additions if fold(a) not in text and a not in out)
        return out

    def expand(self, query: str) -> str:
        """`query` followed by its additions, comma-separated (the query itself when none applies).

        The commas keep each added word a word of its own for the morpheme analyzer: after
        "얼마에요", a bare "속도" is read as "속" + the particle "도"."""
        extra = self.additions(query)
        return ", ".join([query, *extra]) if extra else query


@lru_cache(maxsize=256)
def _word_start_pattern(term: str) -> re.Pattern[str]:
    if term.endswith(WHOLE_WORD):
        return re.compile(rf"(?<!\w){re.escape(term[:-1])}(?!\w)")
    return re.compile(rf"(?<!\w){re.escape(term)}")


def _starts_a_word(text: str, term: str) -> bool:
    return _word_start_pattern(fold(term)).search(text) is not None


def parse_glossary(text: str, source: str = "용어집") -> Glossary:
    """Rules from glossary text: "가, 나, 다" (equivalents) or "가, 나 => 다, 라" (one way); # comments."""
    rules: list[Rule] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.count("=>") > 1:
            raise GlossaryError(f"{source} {number}번째 줄: '=>'는 한 번만 쓸 수 있습니다: {raw.strip()}")
        left, arrow, right = line.partition("=>")
        triggers = tuple(w.strip() for w in left.split(",") if w.strip())
        if arrow:
            additions = tuple(w.strip() for w in right.split(",") if w.strip())
            if not triggers or not additions:
                raise GlossaryError(f"{source} {number}번째 줄: '=>' 양쪽에 말이 있어야 합니다: {raw.strip()}")
            if any(a.endswith(WHOLE_WORD) for a in additions):
                raise GlossaryError(f"{source} {number}번째 줄: '$'는 '=>' 왼쪽 말에만 붙일 수 있습니다: {raw.strip()}")
            rules.append(Rule(triggers, additions))
        elif len(triggers) < 2:
            raise GlossaryError(f"{source} {number}번째 줄: 같은 뜻의 말을 쉼표로 둘 이상 적으세요: {raw.strip()}")
        elif any(t.endswith(WHOLE_WORD) for t in triggers):
            raise GlossaryError(f"{source} {number}번째 줄: '$'는 '=>' 왼쪽 말에만 붙일 수 있습니다: {raw.strip()}")
        else:
            rules.extend(Rule((t,), tuple(o for o in triggers if o != t)) for t in triggers)
    return Glossary(tuple(rules))


def load_glossary(path: Path | None) -> Glossary:
    """The glossary in `path` (the bundled `glossary_ko.txt` when None)."""
    path = path or DEFAULT_GLOSSARY
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GlossaryError(f"용어집 파일을 읽을 수 없습니다({path}): {exc}") from exc
    return parse_glossary(text, source=str(path))
