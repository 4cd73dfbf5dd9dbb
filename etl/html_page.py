"""A manual page's HTML → title, breadcrumb, metadata, and content blocks in document order.

Order of work: drop code and comments; read the page metadata (meta tags, breadcrumb, "문서번호",
"개정일", "구버전" banner) from the whole page; drop the breadcrumb, the document-info box and the site
chrome; then walk the rest into blocks (headings, paragraphs, lists, note boxes, tables).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from backend.chunk_layout import TableGrid, is_question_line
from etl import page_meta
from etl.html_clean import class_words, remove_chrome, remove_element, strip_non_content
from etl.html_text import (
    BLOCK_TAGS,
    HEADING_TAGS,
    element_text,
    image_text,
    normalize_lines,
    one_line,
    raw_text,
    tag_of,
)
from etl.links import is_attachment_path, resolve_href
from etl.tables import is_layout_table, own_cells, own_rows, parse_table

BlockKind = Literal["heading", "text", "note", "table"]

_NOTE_WORDS = {"note", "tip", "caution", "warning", "warn", "alert", "notice", "callout", "box", "important",
               "point", "check", "script", "memo", "remark", "attention"}
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# A leading symbol a manual writer typed as the item's bullet (■ ▶ ※ ① - * …) or its own number ("1)", "가.").
_OWN_NUMBER = re.compile(r"^(?:\d{1,3}|[가-하]|[a-zA-Z])[.)]\s")
_SENTENCE_END = re.compile(r"(?:[.!?。]|다|요)$")
QUESTION_MAX_CHARS = 150


class PageError(ValueError):
    """A page that cannot be indexed; the message is shown to an admin (Korean)."""


@dataclass
class Block:
    """One unit of page content. Headings carry their depth below the title (1 = top section)."""

    kind: BlockKind
    text: str = ""
    level: int = 0
    table: TableGrid | None = None
    # A heading that is an FAQ question: its answer is a unit of its own, never packed with its neighbours.
    question: bool = False


@dataclass(frozen=True)
class Link:
    """An attachment link: root-relative path and the name shown for it."""

    path: str
    name: str


@dataclass
class ParsedPage:
    """What a page says about itself (title, breadcrumb, id, revision, old-version mark) and its content."""

    title: str
    breadcrumb: tuple[str, ...]
    manual_id: str | None
    revision_date: str | None
    marked_old: bool
    blocks: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)


def parse_page(html_text: str, page_path: str, root_name: str | None = None) -> ParsedPage:
    """Parse a decoded page; `page_path` (root-relative) resolves its links. Raises `PageError` when the page
    has no body text."""
    html_text = _XML_DECL.sub("", html_text, count=1)
    if not html_text.strip():
        raise PageError("본문을 찾을 수 없습니다: 빈 파일입니다")
    try:
        # Plain lxml elements (not lxml.html's): no per-node class lookup, several times faster to walk.
        doc = etree.fromstring(html_text, etree.HTMLParser(remove_comments=True, remove_pis=True))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise PageError(f"HTML을 해석할 수 없습니다: {exc}") from exc
    if doc is None:
        raise PageError("본문을 찾을 수 없습니다: HTML 요소가 없습니다")

    head_title_el = doc.find(".//title")
    head_title = one_line(head_title_el) if head_title_el is not None else ""
    meta = page_meta.meta_tags(doc)
    strip_non_content(doc)
    body = doc.find("body")
    if body is None:
        body = doc

    visible = " ".join(" ".join(body.itertext()).split())
    manual_id = page_meta.manual_id(meta, visible)
    revision_date = page_meta.revision_date(meta, visible)
    marked_old = page_meta.marked_old(meta, body)
    crumb_el = page_meta.find_breadcrumb(body)
    crumb_items = page_meta.breadcrumb_items(crumb_el) if crumb_el is not None else []
    if crumb_el is not None:
        remove_element(crumb_el)
    info_el = page_meta.find_doc_info(body)
    if info_el is not None:
        remove_element(info_el)

    protect = {el for el in body.iter("main", "article") if isinstance(el.tag, str)}
    protect.update(el for el in body.iter() if isinstance(el.tag, str) and (el.get("role") or "").lower() == "main")
    title_el = page_meta.find_title_heading(body, head_title)
    if title_el is not None:
        protect.add(title_el)
    remove_chrome(body, protect)
    title = element_text(title_el).replace("\n", " ") if title_el is not None else page_meta.title_from_head(head_title)

    walker = _Walker(page_path, root_name, title_el)
    walker.walk(body)
    blocks = walker.finish()
    if not any(b.kind != "heading" for b in blocks):
        raise PageError("본문을 찾을 수 없습니다")
    return ParsedPage(
        title=title or page_path,
        breadcrumb=page_meta.clean_breadcrumb(crumb_items, title),
        manual_id=manual_id,
        revision_date=revision_date,
        marked_old=marked_old,
        blocks=blocks,
        links=walker.links,
    )


def _is_note(el: etree._Element) -> bool:
    tag = tag_of(el)
    if tag == "blockquote" or (el.get("role") or "").lower() in ("note", "alert"):
        return True
    return tag in ("div", "p", "aside", "section", "table", "dl") and bool(class_words(el) & _NOTE_WORDS)


def _is_question(el: etree._Element) -> bool:
    """An FAQ entry's question line (`<p class="q">Q. …</p>`, `<dt>Q1) …</dt>`): its answer follows it."""
    if tag_of(el) not in ("p", "dt", "div") or any(tag_of(d) in BLOCK_TAGS for d in el.iterdescendants()):
        return False
    text = one_line(el)
    return len(text) <= QUESTION_MAX_CHARS and is_question_line(text)


def _is_pseudo_heading(el: etree._Element) -> bool:
    """`<p><b>짧은 소제목</b></p>`: a short paragraph that is entirely bold and not a sentence."""
    if tag_of(el) != "p" or len(el) != 1 or tag_of(el[0]) not in ("b", "strong"):
        return False
    if (el.text or "").strip() or (el[0].tail or "").strip():
        return False
    text = one_line(el)
    return 0 < len(text) <= 40 and not _SENTENCE_END.search(text)


class _Walker:
    """Turns the cleaned body into blocks; inline runs between blocks become paragraphs."""

    def __init__(self, page_path: str, root_name: str | None, title_el: etree._Element | None) -> None:
        self.page_path = page_path
        self.root_name = root_name
        self.title_el = title_el
        self.title_level = int(tag_of(title_el)[1]) if title_el is not None else 1
        self.blocks: list[Block] = []
        self.links: list[Link] = []
        self._seen_links: set[str] = set()
        self._inline: list[str] = []
        self._last_heading_level = 0  # depth of the last real heading, for pseudo-headings

    # --- inline run -----------------------------------------------------------------------------------
    def _flush(self) -> None:
        text = normalize_lines("".join(self._inline))
        self._inline = []
        if text:
            self.blocks.append(Block("text", text))

    def finish(self) -> list[Block]:
        self._flush()
        return self.blocks

    def _add_inline(self, el: etree._Element) -> None:
        self._collect_links(el)
        self._inline.append(_inline_text(el))

    # --- links ----------------------------------------------------------------------------------------
    def _collect_links(self, el: etree._Element) -> None:
        anchors = [el] if tag_of(el) == "a" else []
        anchors += list(el.iter("a")) if tag_of(el) != "a" else []
        for a in anchors:
            href = a.get("href")
            if not href:
                continue
            path = resolve_href(self.page_path, href, self.root_name)
            if path is None or not is_attachment_path(path) or path in self._seen_links:
                continue
            self._seen_links.add(path)
            name = one_line(a) or path.rsplit("/", 1)[-1]
            self.links.append(Link(path, name))

    # --- blocks ---------------------------------------------------------------------------------------
    def walk(self, el: etree._Element) -> None:
        """Walk the children of a container element."""
        if el.text:
            self._inline.append(el.text)
        for child in el:
            self._child(child)
            if child.tail:
                self._inline.append(child.tail)

    def _child(self, el: etree._Element) -> None:
        tag = tag_of(el)
        if not tag:
            return
        if tag == "br":
            self._inline.append("\n")
        elif tag not in BLOCK_TAGS and tag != "img":
            if el.find(".//table") is not None or any(tag_of(d) in BLOCK_TAGS for d in el.iterdescendants()):
                self.walk(el)  # an inline element wrapping blocks (malformed markup): treat as a container
            else:
                self._add_inline(el)
        elif tag == "img":
            self._add_inline_img(el)
        elif tag in HEADING_TAGS:
            self._heading(el)
        elif tag == "table":
            self._table(el)
        elif tag in ("ul", "ol"):
            self._flush()
            tables: list[etree._Element] = []
            lines = self._list_lines(el, 0, tables)
            if lines:
                self.blocks.append(Block("text", "\n".join(lines)))
            for t in tables:
                self._table(t)
        elif tag == "dl" and not _is_note(el):
            self._flush()
            self._collect_links(el)
            lines: list[str] = []
            for d in el:
                if tag_of(d) not in ("dt", "dd") or not one_line(d):
                    continue
                if _is_question(d):  # an FAQ as a definition list: each <dt>Q…</dt> starts an entry
                    if lines:
                        self.blocks.append(Block("text", "\n".join(lines)))
                        lines = []
                    self.blocks.append(self._question_heading(d))
                else:
                    lines.append(one_line(d))
            if lines:
                self.blocks.append(Block("text", "\n".join(lines)))
        elif _is_note(el):
            self._note(el)
        elif _is_question(el):
            self._flush()
            self._collect_links(el)
            self.blocks.append(self._question_heading(el))
        elif _is_pseudo_heading(el):
            self._flush()
            self.blocks.append(Block("heading", one_line(el), self._last_heading_level + 1))
        elif tag == "pre":
            self._flush()
            text = "\n".join(line.rstrip() for line in "".join(el.itertext()).splitlines() if line.strip())
            if text:
                self.blocks.append(Block("text", text))
        elif tag == "hr":
            self._flush()
        else:
            # p, div, section, td of a layout table, figure, details ... : a container with its own paragraph
            self._flush()
            self.walk(el)
            self._flush()

    def _add_inline_img(self, el: etree._Element) -> None:
        text = image_text(el)
        if text:
            self._inline.append(f" {text} ")

    def _question_heading(self, el: etree._Element) -> Block:
        """An FAQ question as a heading one below the last real heading (like a pseudo-heading)."""
        return Block("heading", one_line(el), self._last_heading_level + 1, question=True)

    def _heading(self, el: etree._Element) -> None:
        self._flush()
        self._collect_links(el)
        text = one_line(el)
        if el is self.title_el or not text:
            return
        depth = max(1, int(tag_of(el)[1]) - self.title_level)
        self._last_heading_level = depth
        self.blocks.append(Block("heading", text, depth))

    def _table(self, el: etree._Element) -> None:
        self._flush()
        if is_layout_table(el):
            container_note = _is_note(el)
            start = len(self.blocks)
            for tr in own_rows(el):
                for cell in own_cells(tr):
                    self._flush()
                    self.walk(cell)
                    self._flush()
            if container_note:
                self._merge_note(start)
            return
        self._collect_links(el)
        parsed = parse_table(el)
        if parsed is not None:
            self.blocks.append(Block("table", table=parsed))

    def _note(self, el: etree._Element) -> None:
        """A note box becomes one block (its parts stay together in a chunk); tables inside stay tables."""
        self._flush()
        start = len(self.blocks)
        if tag_of(el) == "table":
            self._table(el)
            return
        self.walk(el)
        self._flush()
        self._merge_note(start)

    def _merge_note(self, start: int) -> None:
        inner = self.blocks[start:]
        del self.blocks[start:]
        pending: list[str] = []
        for block in inner:
            if block.kind in ("text", "note"):
                pending.append(block.text)
            elif block.kind == "heading":
                pending.append(block.text)  # a title inside a box is the box's label, not a section
            else:
                if pending:
                    self.blocks.append(Block("note", "\n".join(pending)))
                    pending = []
                self.blocks.append(block)
        if pending:
            self.blocks.append(Block("note", "\n".join(pending)))

    def _list_lines(self, el: etree._Element, depth: int, tables: list[etree._Element]) -> list[str]:
        """Lines of a (nested) list: items keep a symbol typed by the writer (■ ▶ ※ ① …) or their own number;
        other items get "- " (ul) or "n. " (ol), indented two spaces per nesting level."""
        ordered = tag_of(el) == "ol"
        try:
            number = int(el.get("start") or 1)
        except ValueError:
            number = 1
        lines: list[str] = []
        indent = "  " * depth
        for child in el:
            tag = tag_of(child)
            if tag in ("ul", "ol"):  # a list directly inside a list: nested under the previous item
                lines.extend(self._list_lines(child, depth + 1, tables))
                continue
            if tag != "li":
                text = one_line(child) if tag else ""
                if text:
                    lines.append(f"{indent}{text}")
                continue
            self._collect_links(child)
            own_nested = _outermost(child, ("ul", "ol"))
            tables.extend(_outermost(child, ("table",)))
            text = element_text(child, skip=frozenset({"ul", "ol", "table"}))
            item_lines = text.split("\n") if text else []
            if item_lines:
                first = item_lines[0]
                marker = "" if _has_own_marker(first) else (f"{number}. " if ordered else "- ")
                lines.append(f"{indent}{marker}{first}")
                lines.extend(f"{indent}  {rest}" for rest in item_lines[1:])
            number += 1
            for sub in own_nested:
                lines.extend(self._list_lines(sub, depth + 1, tables))
        if tag_of(el) == "ul" and el.text and el.text.strip():
            lines.insert(0, f"{indent}{el.text.strip()}")
        return lines


def _has_own_marker(text: str) -> bool:
    first = text[0]
    if unicodedata.category(first) in ("Lu", "Ll", "Lt", "Lm", "Lo", "Nd"):
        return bool(_OWN_NUMBER.match(text))
    return first not in "([{\"'「『“‘<"  # a bracket opens the text ("[필수] ..."), it is no bullet


def _outermost(el: etree._Element, tags: tuple[str, ...]) -> list[etree._Element]:
    """Descendants of `el` with one of `tags` that are not inside another such descendant."""
    found = []
    for d in el.iterdescendants(*tags):
        if not any(f in d.iterancestors() for f in found[-1:]):
            found.append(d)
    return found


def _inline_text(el: etree._Element) -> str:
    """An inline element's text for a paragraph run, unnormalised: "신청서</a>가" must stay "신청서가"."""
    return raw_text(el)
