"""Safe display text for the dashboard: manual and answer text shown as text, never as markup.

Streamlit renders Markdown (and `unsafe_allow_html` stays off everywhere), so a manual line such as
"[지금 확인](http://evil.example)" or "<img onerror=...>" would still become a link or an image tag in
Markdown. Every string that did not come from our own code (manual text, answers, LLM and server
messages, feedback, user names, file names) goes through `escape_markdown` before it reaches Streamlit,
as body text and as a label, caption, warning, toast or expander title alike; `highlight` then bolds the
question's words in the escaped text. tests/security/test_markup_in_browser.py walks every page with
payloads of each kind in Chromium.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from backend.chunk_layout import TableGrid
from backend.generate.checks import strip_citations
from backend.generate.extractive.selection import FRAME_NOUNS
from backend.text.analyzer import BIGRAM_PREFIX, analyze_query

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=])")
# Leading spaces or a tab would make an indented code block of a line after a blank one.
_INDENT = re.compile(r"^[ \t]+")
# Some markup is found in the text after Markdown's backslashes are gone, so escaping cannot stop it: GFM
# turns bare "http://x", "www.x" and "a@b.c" into live links, and Streamlit turns ":material/home:" and
# ":rocket:", ":+1:" into icons and ":red[x]" into coloured text. An invisible WORD JOINER inside each of
# them does (the text looks and reads the same; a copied URL keeps the joiner, so it is not a live address).
# Streamlit starts a bare link after any punctuation ("_www.x"), hence "www" without a word boundary.
_DEFUSE = re.compile(r"(?i)(?<=[a-z])(?=://)|(?<=www)(?=\.)|(?=@)|(?<=:)(?=[\w+-])")
_WORD_JOINER = "\u2060"
# Characters a download's file name must not carry (path separators, quotes, controls).
_UNSAFE_FILE_CHARS = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def _escape_line(line: str) -> str:
    line = _INDENT.sub(lambda m: "\u00a0" * len(m.group(0).expandtabs(4)), line)
    return _MD_SPECIAL.sub(r"\\\1", _DEFUSE.sub(_WORD_JOINER, line))


def escape_markdown(text: str) -> str:
    """`text` with every Markdown/HTML-significant character escaped (bare URLs included, so nothing
    becomes a link) and line breaks kept."""
    return "  \n".join(_escape_line(line) for line in (text or "").split("\n"))


def safe_file_name(name: str, fallback: str = "첨부파일") -> str:
    """`name` as a download's file name: no path, no quotes or control characters, at most 120 characters."""
    cleaned = _UNSAFE_FILE_CHARS.sub("_", (name or "").rsplit("/", 1)[-1]).strip(" ._")
    return cleaned[-120:] or fallback


def highlight(text: str, words: Iterable[str]) -> str:
    """`escape_markdown(text)` with each occurrence of `words` (2+ characters, longest first) in bold."""
    escaped = escape_markdown(text)
    targets = sorted({escape_markdown(w) for w in words if w and len(w) >= 2}, key=len, reverse=True)
    if not targets:
        return escaped
    pattern = re.compile("|".join(re.escape(t) for t in targets))
    return pattern.sub(lambda m: f"**{m.group(0)}**", escaped)


def question_words(question: str, texts: Sequence[str] = ()) -> list[str]:
    """The words of the question worth bolding in its sources: its content words (Kiwi morphemes, no
    bigrams), less the words that frame a question ("고객님", "문의") and, among two or more `texts`, the
    words every one of them holds ("인터넷" under an internet question marks nothing)."""
    words = [t for t in dict.fromkeys(analyze_query(question))
             if not t.startswith(BIGRAM_PREFIX) and t not in FRAME_NOUNS]
    if len(texts) >= 2:
        words = [w for w in words if not all(w in t for t in texts)]
    return words


def answer_parts(text: str) -> tuple[str, str]:
    """(line 1, the supporting lines) of an answer: line 1 is shown large, the rest under it."""
    first, _, rest = (text or "").strip().partition("\n")
    return first, rest


def crm_text(text: str) -> str:
    """The answer as an agent pastes it into the CRM: without the [n] source marks."""
    return "\n".join(strip_citations(line).rstrip() for line in (text or "").strip().splitlines())


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


STATED_CELL_CSS = "background-color: #fff3b0; font-weight: 600"


def table_view(table: TableGrid | None, answer_text: str = "") -> Any:
    """A table chunk as a pandas DataFrame for `st.dataframe`, the cells `answer_text` quotes highlighted
    (a Styler then); None when there is no table. Cells stay plain text: the grid renders no markup."""
    frame = table_frame(table)
    if frame is None:
        return None
    columns, rows = frame
    data = pd.DataFrame(rows, columns=columns)
    stated = table.stated_cells(answer_text) if answer_text and table is not None else set()
    if not stated:
        return data

    def css(_: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame("", index=data.index, columns=data.columns)
        for r, c in stated:
            out.iat[r, c] = STATED_CELL_CSS
        return out

    return data.style.apply(css, axis=None)
