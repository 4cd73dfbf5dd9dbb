"""Removing what is not manual content from a parsed page: code, comments and site chrome
(menus, headers, footers, login and quick-menu boxes, buttons)."""

from __future__ import annotations

import re

from lxml import etree

from etl.html_text import class_id, tag_of

# Never text a reader sees as content; their text must not reach an index.
NON_CONTENT_TAGS = frozenset(
    "script style noscript template iframe frame frameset object embed applet svg math canvas button select "
    "option input textarea link meta base head title".split()
)
# Site chrome by element name. `header`/`footer` inside an article/section/main belong to the content.
_CHROME_TAGS = frozenset({"nav", "header", "footer", "menu"})
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "menu", "menubar", "toolbar"})
# Words in class/id that mark chrome. Matched against the words of each class/id token (split on -, _,
# camelCase, digits), so "lnb_wrap", "quickMenu" and "login-box" match while "menuTable" in content would too —
# acceptable: content classes in manuals describe content (tbl, note, step), not site parts.
_CHROME_WORDS = frozenset(
    "gnb lnb snb tnb fnb nav navbar navigation menu menubar quick quickmenu login logout signin sitemap skip "
    "skipnav banner advert ads popup cookie sns share util utility familysite copyright btn btns button buttons "
    "toolbar related".split()
)
# Whole class/id tokens that mark chrome (too generic to match as a word: "page-header" is content in some CMSs).
_CHROME_TOKENS = frozenset(
    "header footer gheader gfooter site-header site-footer global-header global-footer top-header topbar "
    "bottom foot".split()
)
_TABLE_PARTS = frozenset({"thead", "tbody", "tfoot", "tr", "td", "th", "caption", "colgroup", "col"})
_CONTENT_ANCESTORS = frozenset({"article", "main", "section"})
_WORD_SPLIT = re.compile(r"[-_\s:.]+|(?<=[a-z])(?=[A-Z])|\d+")
_DEAD_HREF = re.compile(r"^\s*(#|javascript:|$)", re.IGNORECASE)


def class_words(el: etree._Element) -> set[str]:
    """Lower-case words of the class and id attributes ("lnb_wrap quickMenu" → {lnb, wrap, quick, menu})."""
    words = set()
    for token in f"{el.get('class') or ''} {el.get('id') or ''}".split():
        words.update(w.lower() for w in _WORD_SPLIT.split(token) if w)
    return words


def class_tokens(el: etree._Element) -> set[str]:
    """The whole class and id tokens, lower-cased."""
    return set(class_id(el).split())


def remove_element(el: etree._Element) -> None:
    """Remove `el` and its subtree but keep its tail text in place."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def strip_non_content(root: etree._Element) -> None:
    """Remove comments, processing instructions and code/form/embedded elements (with their text)."""
    doomed = [el for el in root.iter() if not isinstance(el.tag, str) or tag_of(el) in NON_CONTENT_TAGS]
    for el in doomed:
        remove_element(el)


def is_chrome(el: etree._Element) -> bool:
    """True for site chrome: menus, site header/footer, quick menus, login boxes, button bars."""
    tag = tag_of(el)
    if tag in _TABLE_PARTS:
        return False  # removing a cell or row would shift a table's grid; its content is judged instead
    if tag in _CHROME_TAGS:
        if tag in ("header", "footer") and any(tag_of(a) in _CONTENT_ANCESTORS for a in el.iterancestors()):
            return False
        return True
    if (el.get("role") or "").lower() in _CHROME_ROLES:
        return True
    if tag == "aside" and not (class_words(el) & {"note", "tip", "caution", "warning", "notice", "info", "box"}):
        return True
    if class_words(el) & _CHROME_WORDS or class_tokens(el) & _CHROME_TOKENS:
        return True
    return is_dead_link_bar(el)


def is_dead_link_bar(el: etree._Element) -> bool:
    """A paragraph/div whose only text is links that go nowhere ("[인쇄] [TOP]", "목록") — page controls."""
    if tag_of(el) not in ("p", "div"):
        return False
    links = [a for a in el.iter("a")]
    if not links or not all(_DEAD_HREF.match(a.get("href") or "") for a in links):
        return False
    outside = "".join(el.itertext())
    for a in links:
        outside = outside.replace("".join(a.itertext()), "", 1)
    return not outside.strip(" \t\r\n|·/")


def link_density(el: etree._Element) -> float:
    """Share of the element's text that is link text (menus are mostly links)."""
    total = len("".join(el.itertext()).split())
    if not total:
        return 1.0
    linked = sum(len("".join(a.itertext()).split()) for a in el.iter("a"))
    return linked / total


def remove_chrome(body: etree._Element, protect: set[etree._Element]) -> None:
    """Remove chrome elements under `body`, except those that contain a protected element (the main
    content: `main`, `article`, the title) or hold most of the page's text while not being mostly links —
    those are wrappers whose class happens to match ("wrap has-quickmenu"), not chrome."""
    total = len("".join(body.itertext()).split()) or 1
    guarded = set()
    for el in protect:
        guarded.update(el.iterancestors())
        guarded.add(el)
    doomed: list[etree._Element] = []
    for el in body.iter():
        if not isinstance(el.tag, str) or el is body or el in guarded:
            continue
        if doomed and doomed[-1] in el.iterancestors():
            continue  # inside an element already doomed (document order: its descendants come right after it)
        if is_chrome(el) and (len("".join(el.itertext()).split()) < 0.6 * total or link_density(el) >= 0.5):
            doomed.append(el)
    for el in doomed:
        remove_element(el)
