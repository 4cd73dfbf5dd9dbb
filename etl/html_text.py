"""Text of an lxml element as a reader sees it: `<br>` and block boundaries become line breaks,
meaningful images become "[그림: alt]", whitespace is collapsed."""

from __future__ import annotations

import re

from lxml import etree

BLOCK_TAGS = frozenset(
    "address article aside blockquote center dd details dialog div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul "
    "caption menu".split()
)
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Images whose file or class name says they are decoration, not content.
_DECORATIVE_IMG = re.compile(r"icon|ico_|bullet|btn|button|logo|arrow|spacer|blank|dot\.|bg_|line\.", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u3000]+")


def tag_of(el: etree._Element) -> str:
    """Lower-case tag name; "" for comments and processing instructions."""
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def image_text(img: etree._Element) -> str:
    """"[그림: alt]" for a content image, "" for a decorative one or one without alt text."""
    alt = " ".join((img.get("alt") or "").split())
    if not alt:
        return ""
    if _DECORATIVE_IMG.search(img.get("src") or "") or _DECORATIVE_IMG.search(img.get("class") or ""):
        return ""
    return f"[그림: {alt}]"


def _collect(el: etree._Element, out: list[str], skip: frozenset[str]) -> None:
    if el.text:
        out.append(el.text)
    for child in el:
        tag = tag_of(child)
        if tag in skip:
            pass
        elif tag == "br":
            out.append("\n")
        elif tag == "img":
            out.append(image_text(child))
        elif tag in BLOCK_TAGS:
            out.append("\n")
            _collect(child, out, skip)
            out.append("\n")
        elif tag:
            _collect(child, out, skip)
        if child.tail:
            out.append(child.tail)


def normalize_lines(text: str) -> str:
    """Collapse runs of spaces inside lines, strip lines and drop empty ones."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def raw_text(el: etree._Element) -> str:
    """The element's text before whitespace normalisation (for inline runs joined with their neighbours)."""
    out: list[str] = []
    _collect(el, out, frozenset())
    return "".join(out)


def element_text(el: etree._Element, skip: frozenset[str] = frozenset()) -> str:
    """The element's visible text with line structure (see module doc); tags in `skip` are left out."""
    out: list[str] = []
    _collect(el, out, skip)
    return normalize_lines("".join(out))


def one_line(el: etree._Element, sep: str = " ") -> str:
    """The element's text on one line (line breaks joined with `sep`)."""
    return sep.join(element_text(el).split("\n"))


def class_id(el: etree._Element) -> str:
    """The element's class and id attributes, lower-cased, space separated."""
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower()
