"""Safe display text for the dashboard: manual and answer text shown as text, never as markup.

Streamlit renders Markdown (and `unsafe_allow_html` stays off everywhere), so a manual line such as
"[지금 확인](http://evil.example)" or "<img onerror=...>" would still become a link or an image tag in
Markdown. Everything taken from manuals, answers or feedback goes through `escape_markdown` first;
`highlight` then bolds the question's words in the escaped text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from backend.chunk_layout import TableGrid
from backend.text.analyzer import BIGRAM_PREFIX, analyze_query

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")
# GFM turns bare "http://x", "www.x" and "a@b.c" into live links after unescaping, so backslashes cannot stop
# it; an invisible WORD JOINER inside each of them does (the text looks and reads the same).
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(?=://)|(?<=\bwww)(?=\.)|(?=@)")
_WORD_JOINER = "\u2060"


def _escape_line(line: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", _AUTOLINK.sub(_WORD_JOINER, line))


def escape_markdown(text: str) -> str:
    """`text` with every Markdown/HTML-significant character escaped (bare URLs included, so nothing
    becomes a link) and line breaks kept."""
    return "  \n".join(_escape_line(line) for line in (text or "").split("\n"))


def highlight(text: str, words: Iterable[str]) -> str:
    """`escape_markdown(text)` with each occurrence of `words` (2+ characters, longest first) in bold."""
    escaped = escape_markdown(text)
    targets = sorted({escape_markdown(w) for w in words if w and len(w) >= 2}, key=len, reverse=True)
    if not targets:
        return escaped
    pattern = re.compile("|".join(re.escape(t) for t in targets))
    return pattern.sub(lambda m: f"**{m.group(0)}**", escaped)


def question_words(question: str) -> list[str]:
    """The question's content words as they may appear in a passage (Kiwi morphemes, no bigrams)."""

    return [t for t in dict.fromkeys(analyze_query(question)) if not t.startswith(BIGRAM_PREFIX)]


def table_frame(table: TableGrid | None) -> tuple[list[str], list[list[str]]] | None:
    """A table chunk's grid as (column titles, rows) for a data grid: the last header row gives the
    titles (made unique), the other rows are data. None when there is no table."""
    if table is None or not table.rows:
        return None
    width = table.width
    rows = [list(r) + [""] * (width - len(r)) for r in table.rows]
    titles = rows[table.header_rows - 1] if table.header_rows else [f"열 {i + 1}" for i in range(width)]
    seen: dict[str, int] = {}
    unique = []
    for title in titles:
        title = title or "-"
        seen[title] = seen.get(title, 0) + 1
        unique.append(title if seen[title] == 1 else f"{title} ({seen[title]})")
    return unique, rows[table.header_rows:]
