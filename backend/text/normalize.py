"""The one normaliser of Korean text: what every comparison of words goes through.

- `nfkc`: Unicode NFKC (full-width digits and letters, compatibility jamo and symbols to their plain
  forms), the form Kiwi analyses and whose character positions it reports.
- `fold`: `nfkc` and lower case ("ＩＰ" / "Ip" -> "ip"): glossary triggers and words.
- `squash`: `fold` without any whitespace ("기가 라이트" -> "기가라이트"): spacing variants compare equal.
- `fold_spaces`: whitespace runs folded to one space: facts compared verbatim but for line breaks.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfkc(text: str) -> str:
    """Unicode NFKC of `text`."""
    return unicodedata.normalize("NFKC", text)


def fold(text: str) -> str:
    """NFKC and lower case."""
    return nfkc(text).lower()


def squash(text: str) -> str:
    """NFKC, lower case, no whitespace."""
    return "".join(fold(text).split())


def fold_spaces(text: str) -> str:
    """Whitespace runs folded to one space, ends trimmed (nothing else changes)."""
    return _SPACES.sub(" ", text).strip()
