"""Page-level facts: breadcrumb, manual id, revision date, "old version" marks, the title."""

from __future__ import annotations

import datetime as dt
import re

from lxml import etree

from etl.html_clean import class_words, is_chrome
from etl.html_text import HEADING_TAGS, element_text, one_line, tag_of

_META_MANUAL_ID = ("manual-id", "manual_id", "manualid", "document-id", "doc-id", "docid")
_META_REVISION = ("revision-date", "revision_date", "revised", "last-modified", "dcterms.modified",
                  "article:modified_time", "modified", "date")
_META_STATUS = ("status", "document-status", "doc-status")
_OLD_STATUS = {"superseded", "obsolete", "old", "deprecated", "archived", "outdated", "구버전", "폐기"}
_MANUAL_ID_TEXT = re.compile(r"문서\s*번호\s*[:：]?\s*([A-Za-z0-9][A-Za-z0-9._/-]*[A-Za-z0-9])")
_DATE = r"(\d{4})\s*(?:[.\-/]|년)\s*(\d{1,2})\s*(?:[.\-/]|월)\s*(\d{1,2})\s*일?"
_REVISION_TEXT = re.compile(r"(?:최종\s*)?(?:개정|수정)\s*(?:일자|일)\s*[:：]?\s*" + _DATE)
_DATE_ANY = re.compile(_DATE)
# "본 문서는 구버전입니다", "[구버전]", "구버전 문서": the page speaking about itself, not content about old plans.
_OLD_BANNER_TEXT = re.compile(r"(?:본|이|해당)\s*(?:문서|매뉴얼|페이지|자료)\S{0,4}\s*\S{0,12}구버전|^[\[(【]?\s*구버전\s*[\])】]|^구버전\s*(?:문서|매뉴얼)")
_BANNER_WORDS = {"old", "obsolete", "deprecated", "superseded", "outdated", "archive", "archived", "banner",
                 "notice", "alert", "caution", "warning", "version"}
_CRUMB_SEPARATORS = re.compile(r"\s*(?:>|›|»|＞|〉|▶|▷|→|>)\s*")
_CRUMB_HINTS = ("breadcrumb", "location", "path", "navi")
# Leading breadcrumb items that name the site, not a category.
_CRUMB_ROOTS = {"홈", "home", "메인", "main", "처음", "처음으로", "top", "kms", "전체", "전체메뉴"}
_TITLE_AFFIXES = re.compile(r"^\s*\[[^\]]{1,20}\]\s*|\s+(?:\||-|::|–|—|·)\s+[^|]*$")
_INFO_PARTS = {"tr", "td", "th", "thead", "tbody", "tfoot", "li", "dt", "dd"}
_DOC_INFO_LABELS = ("문서번호", "문서 번호")


def meta_tags(doc: etree._Element) -> dict[str, str]:
    """`<meta name|property=... content=...>` as a lower-case name → content map (first wins)."""
    found: dict[str, str] = {}
    for meta in doc.iter("meta"):
        name = (meta.get("name") or meta.get("property") or meta.get("http-equiv") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if name and content and name not in found:
            found[name] = content
    return found


def normalize_date(text: str | None) -> str | None:
    """First date in `text` as ISO yyyy-mm-dd ("2026.03.02", "2026년 3월 2일", "2026-03-02T10:00"); None if none."""
    if not text:
        return None
    for match in _DATE_ANY.finditer(text):
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3))).isoformat()
        except ValueError:
            continue
    return None


def manual_id(meta: dict[str, str], text: str) -> str | None:
    """From `<meta name="manual-id">` (or similar), else the visible "문서번호: X"."""
    for name in _META_MANUAL_ID:
        if meta.get(name):
            return meta[name]
    match = _MANUAL_ID_TEXT.search(text)
    return match.group(1) if match else None


def revision_date(meta: dict[str, str], text: str) -> str | None:
    """From a revision meta tag, else the visible "개정일"/"수정일" date; ISO yyyy-mm-dd."""
    for name in _META_REVISION:
        date = normalize_date(meta.get(name))
        if date:
            return date
    for match in _REVISION_TEXT.finditer(text):
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3))).isoformat()
        except ValueError:
            continue
    return None


def marked_old(meta: dict[str, str], body: etree._Element) -> bool:
    """True when a status meta says superseded, or a short banner says this page is an old version
    ("구버전") — in a banner-like element, or phrased about the document itself."""
    for name in _META_STATUS:
        if (meta.get(name) or "").strip().lower() in _OLD_STATUS:
            return True
    if "구버전" not in "".join(body.itertext()):
        return False
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        raw = "".join(el.itertext())
        if "구버전" not in raw or len(raw) > 600:
            continue
        text = one_line(el)
        if len(text) > 150:
            continue
        if class_words(el) & _BANNER_WORDS or _OLD_BANNER_TEXT.search(text):
            return True
    return False


def find_breadcrumb(body: etree._Element) -> etree._Element | None:
    """The breadcrumb element: class/id/aria-label naming breadcrumb, location, path or navi (in that order
    of preference), short, with at least two items."""
    best: tuple[int, etree._Element] | None = None
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        label = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('aria-label') or ''}".lower()
        rank = next((i for i, hint in enumerate(_CRUMB_HINTS) if hint in label), None)
        if rank is None and ("현재 위치" in label or "현재위치" in label):
            rank = 0
        if rank is None or (best is not None and best[0] <= rank):
            continue
        # "path"/"navi" also name menus: there, insist on visible separators.
        if rank >= 2 and not _CRUMB_SEPARATORS.search(" ".join(el.itertext())):
            continue
        items = breadcrumb_items(el)
        if 2 <= len(items) <= 12 and len(" ".join(items)) <= 200:
            best = (rank, el)
    return best[1] if best else None


def breadcrumb_items(el: etree._Element) -> list[str]:
    """Items of a breadcrumb element: its `li`s, else its text split at separators (>, ›, », ▶ ...),
    else its leaf link/span elements. "/" is not a separator: category names use it ("이사/이전설치")."""
    lis = [one_line(li) for li in el.iter("li")]
    if lis:
        raw = lis
    else:
        text = " ".join(" ".join(el.itertext()).split())
        if _CRUMB_SEPARATORS.search(text):
            raw = _CRUMB_SEPARATORS.split(text)
        else:
            raw = [one_line(c) for c in el.iter("a", "span", "strong", "em", "b") if len(c) == 0]
    items = []
    for item in raw:
        for part in _CRUMB_SEPARATORS.split(item):
            part = part.strip()
            if part and any(ch.isalnum() for ch in part):
                items.append(part)
    return items


def clean_breadcrumb(items: list[str], title: str) -> tuple[str, ...]:
    """Drop leading site roots ("홈", "Home", "메인", "KMS" ...) and a last item that repeats the page title."""
    items = list(items)
    while items and items[0].strip().lower() in _CRUMB_ROOTS:
        items.pop(0)
    if items and _same(items[-1], title):
        items.pop()
    return tuple(items)


def find_doc_info(body: etree._Element) -> etree._Element | None:
    """The "문서 정보" box: the smallest element holding both the document number and the revision date,
    widened from a row/item to its whole table/list; it is page metadata, not content."""
    whole = "".join(body.itertext())
    if not any(lab in whole for lab in _DOC_INFO_LABELS):
        return None
    found = None
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        text = "".join(el.itertext())
        if len(text) > 2000:
            continue
        text = " ".join(text.split())
        if len(text) > 400:
            continue
        # Labels with values: a sentence that merely mentions "문서번호" and "개정일" is content.
        if _MANUAL_ID_TEXT.search(text) and _REVISION_TEXT.search(text):
            if found is None or el in found.iterdescendants():
                found = el
    while found is not None and tag_of(found) in _INFO_PARTS and found.getparent() is not None:
        found = found.getparent()
    return found


def title_from_head(title: str) -> str:
    """`<title>` text without the site's prefix/suffix ("[KMS] 이사 안내 | 한빛 KMS" → "이사 안내")."""
    text = " ".join(title.split())
    stripped = _TITLE_AFFIXES.sub("", text).strip()
    stripped = _TITLE_AFFIXES.sub("", stripped).strip()
    return stripped or text


def find_title_heading(body: etree._Element, head_title: str) -> etree._Element | None:
    """The heading that is the page's title, outside site chrome (a logo is often an h1): the heading
    with the longest text that the `<title>` contains, else the first `h1`, else the first heading with a
    title-like class, else None."""
    headings = [el for el in body.iter(*HEADING_TAGS) if not any(is_chrome(a) for a in (el, *el.iterancestors()))]
    norm_title = _norm(head_title)
    matches = [h for h in headings if len(_norm(element_text(h))) >= 2 and _norm(element_text(h)) in norm_title]
    if norm_title and matches:
        return max(matches, key=lambda h: len(_norm(element_text(h))))
    for h in headings:
        if tag_of(h) == "h1" and element_text(h):
            return h
    for h in headings:
        if class_words(h) & {"title", "subject", "tit"} and element_text(h):
            return h
    return None


def _norm(text: str) -> str:
    return "".join(text.split()).lower()


def _same(a: str, b: str) -> bool:
    return bool(a) and _norm(a) == _norm(b)
