#!/usr/bin/env python3
"""Generate the bundled sample corpus of 상담 코파일럿 (Sangdam Copilot).

The corpus imitates the KMS (지식관리시스템) intranet of a FICTIONAL Korean telecom,
**한빛텔레콤 (Hanbit Telecom)**: ~125 HTML manual pages in ten categories, a few
superseded old versions, small attachments (PDF / XLSX / HWP / PNG), a dev question
set and a README.  Everything is written from the structured data in this file:

    python scripts/make_samples.py                 # rewrites etl/samples/
    python scripts/make_samples.py --out-dir /tmp/x

The output is byte-identical on every run (no clock, no unseeded randomness, fixed
zip timestamps), which ``tests/etl/test_samples.py`` checks.

How the data is written
-----------------------
Each manual page is a :class:`Page` whose ``body`` is a small line-oriented markup
(see :func:`render_body`), rendered through one of four site "skins" that mimic
different KMS generations (modern KMS 3.0, legacy table-layout KMS 1.0 in EUC-KR,
a board/FAQ view and a KMS 2.0 div layout).  Skins differ in boilerplate, breadcrumb
and metadata markup, heading levels, note boxes and table attributes, so the parser
downstream meets realistic variety.  Some pages are deliberately broken (malformed
markup, no charset declaration, CP949 bytes, BOM, scripts/styles/comments holding
canary strings that must never reach the index).
"""

from __future__ import annotations

import argparse
import html
import io
import json
import posixpath
import re
import shutil
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "etl" / "samples"

COMPANY = "한빛텔레콤"
COMPANY_EN = "Hanbit Telecom"

# Strings that must never be indexed: they live only in <script>, <style> and comments.
CANARY_SCRIPT = "스크립트카나리아"
CANARY_STYLE = "스타일카나리아"
CANARY_COMMENT = "주석카나리아"

ZIP_DATE = (2026, 5, 1, 9, 0, 0)  # fixed timestamp for every zip member (XLSX)

# name, manual-id prefix, breadcrumb level 2, owning department
CATEGORIES: list[tuple[str, str, str, str]] = [
    ("인터넷", "INT", "상품매뉴얼", "홈상품기획팀"),
    ("IPTV", "TV", "상품매뉴얼", "미디어상품팀"),
    ("모바일 요금제", "MOB", "상품매뉴얼", "모바일요금기획팀"),
    ("집전화", "TEL", "상품매뉴얼", "유선상품팀"),
    ("결합상품", "BND", "상품매뉴얼", "결합상품팀"),
    ("이사/이전설치", "MOV", "업무프로세스", "고객서비스운영팀"),
    ("해지/위약금", "TRM", "업무프로세스", "고객유지팀"),
    ("요금/청구/납부", "BIL", "업무프로세스", "빌링운영팀"),
    ("할인/멤버십", "DSC", "상품매뉴얼", "멤버십마케팅팀"),
    ("장애/AS/수리", "AS", "업무프로세스", "네트워크품질센터"),
]
CAT_INFO = {c[0]: c for c in CATEGORIES}

# Page numbers that were deleted from the KMS: the corpus has gaps, like the real one.
GAP_NUMBERS = {19, 58, 97}


# ---------------------------------------------------------------------------
# Data model
# ---------------------------------------------------------------------------


@dataclass
class Page:
    """One manual page (current or superseded)."""

    key: str  # stable identifier used by questions and cross links
    cat: str  # category (breadcrumb level 3)
    title: str
    date: str  # revision date, ISO yyyy-mm-dd
    body: str  # markup, see render_body()
    sub: str | None = None  # breadcrumb level 4
    skin: str | None = None  # kms | legacy | board | lite (default chosen from key)
    enc: str = "utf-8"  # utf-8 | utf-8-sig | cp949
    charset: str | None = "auto"  # auto | meta | http-equiv | ks_c | none
    meta_tags: bool | None = None  # <meta name="manual-id"> etc. (default: not on board skin)
    scripts: bool | None = None  # inline <script>/<style> with canaries (default by skin)
    comment: str | None = None  # extra HTML comment (always carries the comment canary)
    malformed: int = 0  # 0 = well-formed, 1..6 = breakage recipe, see malform()
    first_date: str | None = None  # 최초 등록일 (shown on some skins)
    date_fmt: str | None = None  # iso | dot | kor (default by skin)
    crlf: bool = False  # write CRLF line endings (legacy editor)
    noscript: bool = False
    # superseded versions only
    old_of: str | None = None  # key of the current page this one is an old version of
    old_suffix: str = "_old"
    old_banner: bool = True
    old_status_meta: bool = True
    # filled in by assign_files()
    file: str = ""
    manual_id: str = ""


PAGES: list[Page] = []
OLD_PAGES: list[Page] = []
_current_cat = ""


def category(name: str) -> None:
    """Set the category for the following page() calls."""
    global _current_cat
    assert name in CAT_INFO, name
    _current_cat = name


def page(key: str, title: str, date: str, body: str, **kw) -> Page:
    """Declare a current manual page in the current category."""
    p = Page(key=key, cat=_current_cat, title=title, date=date, body=body, **kw)
    PAGES.append(p)
    return p


def old_page(of: str, date: str, body: str, title: str | None = None, **kw) -> Page:
    """Declare a superseded (older) version of the page ``of``."""
    p = Page(key=of + "@old", cat=_current_cat, title=title or "", date=date, body=body, old_of=of, **kw)
    OLD_PAGES.append(p)
    return p


def won(n: int) -> str:
    """33000 -> '33,000원'."""
    return f"{n:,}원"


def _h(key: str) -> int:
    """Small deterministic hash of a string (crc32), used for stylistic choices."""
    return zlib.crc32(key.encode("utf-8"))


# ---------------------------------------------------------------------------
# Attachments: tiny but valid files
# ---------------------------------------------------------------------------


def make_pdf(text: str) -> bytes:
    """A minimal valid one-page PDF showing one line of (ASCII) text."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 12 Tf 50 780 Td ({safe}) Tj ET".encode("ascii")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def make_png(width: int, height: int, seed: int) -> bytes:
    """A valid RGB PNG with a simple deterministic pattern (stripes + frame)."""
    base = ((seed * 53) % 200 + 30, (seed * 97) % 200 + 30, (seed * 31) % 200 + 30)
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type: none
        for x in range(width):
            if x in (0, width - 1) or y in (0, height - 1):
                px = (40, 40, 40)
            elif ((x + y + seed) // 6) % 2:
                px = base
            else:
                px = (245, 245, 245)
            rows += bytes(px)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b"")


def make_hwp(title: str) -> bytes:
    """An HWP *placeholder*: OLE2 magic, padding and a readable marker (not a real HWP)."""
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    marker = ("HWP Document File (placeholder) :: " + title).encode("utf-8")
    return head + b"\x00" * (512 - len(head)) + marker + b"\x00" * 64


def make_xlsx(sheet: str, rows: list[list[object]]) -> bytes:
    """A small XLSX written with openpyxl, then re-zipped with fixed timestamps."""
    import datetime

    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    fixed = datetime.datetime(2026, 5, 1, 9, 0, 0)
    wb.properties.creator = COMPANY_EN + " KMS"
    wb.properties.created = fixed
    buf = io.BytesIO()
    wb.save(buf)
    # openpyxl stamps 'modified' with the clock and zip entries with local time: normalise both.
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            data = src.read(name)
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-05-01T09:00:00Z", data)
                data = re.sub(rb"(<dcterms:created[^>]*>)[^<]*", rb"\g<1>2026-05-01T09:00:00Z", data)
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, data)
    return out.getvalue()


@dataclass
class Asset:
    """A file under manuals/files or manuals/img."""

    path: str  # relative to the manuals root, e.g. "files/이사신청서.pdf"
    kind: str  # pdf | xlsx | png | hwp
    payload: object  # text for pdf/hwp, (sheet, rows) for xlsx, (w, h) for png

    def build(self) -> bytes:
        if self.kind == "pdf":
            return make_pdf(str(self.payload))
        if self.kind == "hwp":
            return make_hwp(str(self.payload))
        if self.kind == "png":
            w, h = self.payload  # type: ignore[misc]
            return make_png(w, h, _h(self.path) % 97)
        if self.kind == "xlsx":
            sheet, rows = self.payload  # type: ignore[misc]
            return make_xlsx(sheet, rows)
        raise ValueError(self.kind)


ASSETS: dict[str, Asset] = {}


def asset(path: str, kind: str, payload: object) -> str:
    """Register an attachment/image and return its path (relative to the manuals root)."""
    ASSETS[path] = Asset(path, kind, payload)
    return path


# ---------------------------------------------------------------------------
# Skins: the site boilerplate of four KMS generations
# ---------------------------------------------------------------------------

GNB = ["홈", "공지사항", "상품매뉴얼", "업무프로세스", "게시판", "로그아웃"]
SKINS = ("kms", "legacy", "board", "lite")


def esc(s: str) -> str:
    return html.escape(s, quote=False)


def attr(s: str) -> str:
    return html.escape(s, quote=True)


def fmt_date(iso: str, fmt: str) -> str:
    y, m, d = iso.split("-")
    if fmt == "dot":
        return f"{y}.{m}.{d}"
    if fmt == "kor":
        return f"{int(y)}년 {int(m)}월 {int(d)}일"
    return iso


class Ctx:
    """Render context of one page: skin, links to other pages, attachment sizes."""

    def __init__(self, pg: Page, skin: str, by_key: dict[str, Page], sizes: dict[str, int]):
        self.page = pg
        self.skin = skin
        self.by_key = by_key
        self.sizes = sizes

    def href(self, target: str) -> str:
        """'@key' -> file name of that page; anything else is used as written."""
        if target.startswith("@"):
            return self.by_key[target[1:]].file
        return target


# --- inline markup ---------------------------------------------------------

_INLINE = re.compile(r"\*\*(.+?)\*\*|\[\[(.+?)\|(.+?)\]\]|__(.+?)__")


def inline(text: str, ctx: Ctx) -> str:
    """**bold**, __red__, [[label|href or @key]] and ' // ' for <br>; the rest is escaped."""

    def plain(s: str) -> str:
        return esc(s).replace(" // ", "<br>\n")

    out, pos = [], 0
    for m in _INLINE.finditer(text):
        out.append(plain(text[pos : m.start()]))
        if m.group(1) is not None:
            tag = "b" if ctx.skin == "legacy" else "strong"
            out.append(f"<{tag}>{plain(m.group(1))}</{tag}>")
        elif m.group(2) is not None:
            out.append(f'<a href="{attr(ctx.href(m.group(3)))}">{plain(m.group(2))}</a>')
        else:
            if ctx.skin == "legacy":
                out.append(f'<font color="#cc0000">{plain(m.group(4))}</font>')
            else:
                out.append(f'<span class="txt_red">{plain(m.group(4))}</span>')
        pos = m.end()
    out.append(plain(text[pos:]))
    return "".join(out)


# --- blocks ------------------------------------------------------------------

_CELL = re.compile(r"^(\^)?(?:\{(?:r(\d+))?(?:c(\d+))?\})?(\^)?\s*(.*)$", re.S)
_ATTRS = re.compile(r'(\w+)(?:="([^"]*)")?')


def heading(level: int, text: str, ctx: Ctx) -> str:
    """Section headings: '#' -> level 1 ... '###' -> level 3, mapped per skin."""
    t = inline(text, ctx)
    if ctx.skin == "kms":
        return f"<h{level + 2}>{t}</h{level + 2}>"  # title is h2 -> sections h3/h4/h5
    if ctx.skin == "lite":
        return f'<h{level + 1} class="sec">{t}</h{level + 1}>'
    if ctx.skin == "legacy":
        if level == 1:
            return f'<h3 class="tit"><img src="img/bullet.png" alt=""> {t}</h3>'
        return f"<h{level + 3}>{t}</h{level + 3}>"
    # board: first level real heading, deeper levels are bold paragraphs
    if level == 1:
        return f'<h4 class="stit">{t}</h4>'
    return f'<p class="stit2"><b>{t}</b></p>'


def note_box(kind: str, text: str, ctx: Ctx) -> str:
    t = inline(text, ctx)
    s = ctx.skin
    if kind == "warn":
        if s == "kms":
            return f'<div class="box_warning"><strong class="tit">주의</strong>\n<p>{t}</p>\n</div>'
        if s == "lite":
            return f'<div class="alert alert-warning" role="alert"><p>{t}</p></div>'
        if s == "legacy":
            return f'<p class="caution"><font color="red">{t}</font></p>'
        return f'<div class="box_warning"><p>{t}</p></div>'
    if kind == "tip":
        label = "TIP" if s != "legacy" else "참고"
        return f'<div class="note tip"><span class="label">{label}</span> {t}</div>'
    # note
    if s == "kms":
        return f'<div class="note"><strong class="tit">참고</strong>\n<p>{t}</p>\n</div>'
    if s == "lite":
        return f'<aside class="note"><p>{t}</p></aside>'
    if s == "legacy":
        return (
            '<table class="box" width="100%" border="0" cellpadding="8"><tr><td bgcolor="#f4f4f4">'
            f"{t}</td></tr></table>"
        )
    return f'<div class="box_note"><p>{t}</p></div>'


def render_list(items: list[tuple[int, str, str]], ctx: Ctx) -> str:
    """items: (depth, '-' or '+', text). Builds nested <ul>/<ol> from indentation."""

    def build(i: int, depth: int) -> tuple[str, int]:
        tag = "ol" if items[i][1] == "+" else "ul"
        if ctx.skin == "kms":
            cls = ' class="step"' if tag == "ol" else ' class="list_dot"' if depth == 0 else ""
        elif ctx.skin == "lite":
            cls = ' class="process"' if tag == "ol" else ' class="bullet"'
        elif ctx.skin == "board":
            cls = ' class="list"' if depth == 0 else ""
        else:
            cls = ""
        parts = [f"<{tag}{cls}>"]
        while i < len(items) and items[i][0] >= depth:
            d, _, t = items[i]
            if d > depth:  # malformed indentation: treat as child of the previous item
                sub, i = build(i, d)
                parts.append(sub)
                continue
            parts.append("<li>" + inline(t, ctx))
            i += 1
            if i < len(items) and items[i][0] > depth:
                sub, i = build(i, items[i][0])
                parts.append(sub)
            parts.append("</li>")
        parts.append(f"</{tag}>")
        return "\n".join(parts), i

    out, i = [], 0
    while i < len(items):
        s, i = build(i, items[i][0])
        out.append(s)
    return "\n".join(out)


def render_faq(pairs: list[tuple[str, str]], ctx: Ctx) -> str:
    s = ctx.skin
    if s == "kms":
        inner = "\n".join(f"<dt>{inline(q, ctx)}</dt>\n<dd>{inline(a, ctx)}</dd>" for q, a in pairs)
        return f'<dl class="faq">\n{inner}\n</dl>'
    if s == "lite":
        return "\n".join(
            f'<details class="qna" open><summary>{inline(q, ctx)}</summary>\n<p>{inline(a, ctx)}</p></details>'
            for q, a in pairs
        )
    if s == "legacy":
        return "\n".join(f"<p><b>{inline(q, ctx)}</b><br>\n{inline(a, ctx)}</p>" for q, a in pairs)
    return "\n".join(
        f'<div class="qna">\n<p class="q">{inline(q, ctx)}</p>\n<div class="a"><p>{inline(a, ctx)}</p></div>\n</div>'
        for q, a in pairs
    )


def render_script_box(lines: list[str], ctx: Ctx) -> str:
    body = "\n".join(f"<p>{inline(x, ctx)}</p>" for x in lines)
    if ctx.skin == "legacy":
        return f'<table class="box script" width="100%" border="1" cellpadding="6"><tr><td>\n<b>▶ 상담 멘트</b>\n{body}\n</td></tr></table>'
    return f'<div class="script_box">\n<p class="tit">▶ 상담 멘트 예시</p>\n{body}\n</div>'


def render_files(files: list[tuple[str, str]], ctx: Ctx) -> str:
    lis = []
    for label, href in files:
        real = normalise_ref(href)
        size = ctx.sizes.get(real, 0)
        ext = real.rsplit(".", 1)[-1].upper()
        kb = max(1, round(size / 1024))
        if ctx.skin == "legacy":
            lis.append(f'<li><img src="img/icon_file.png" alt="첨부"> <a href="{attr(href)}">{esc(label)}</a> [{ext}, {kb}KB]</li>')
        else:
            lis.append(f'<li><a href="{attr(href)}" class="file {ext.lower()}" download>{esc(label)}</a> <span class="size">({ext}, {kb}KB)</span></li>')
    items = "\n".join(lis)
    if ctx.skin == "board":
        return f'<div class="view_file">\n<strong>첨부파일</strong>\n<ul>\n{items}\n</ul>\n</div>'
    if ctx.skin == "lite":
        return f'<section class="attach"><h3 class="sec">첨부 서식</h3>\n<ul>\n{items}\n</ul>\n</section>'
    if ctx.skin == "legacy":
        return f'<div class="attach"><b>[첨부]</b>\n<ul>\n{items}\n</ul>\n</div>'
    return f'<div class="attach">\n<h4>첨부파일</h4>\n<ul>\n{items}\n</ul>\n</div>'


def render_img(src: str, alt: str, caption: str, ctx: Ctx) -> str:
    if ctx.skin in ("kms", "lite") and caption:
        return f'<figure class="img">\n<img src="{attr(src)}" alt="{attr(alt)}">\n<figcaption>{esc(caption)}</figcaption>\n</figure>'
    img = f'<img src="{attr(src)}" alt="{attr(alt)}" border="0">' if ctx.skin == "legacy" else f'<img src="{attr(src)}" alt="{attr(alt)}">'
    cap = f"<br>\n<span class=\"cap\">{esc(caption)}</span>" if caption else ""
    return f'<p class="img">{img}{cap}</p>'


def render_related(keys: list[str], ctx: Ctx) -> str:
    lis = []
    for k in keys:
        p = ctx.by_key[k]
        lis.append(f'<li><a href="{attr(p.file)}">[{esc(p.manual_id)}] {esc(p.title)}</a></li>')
    head = "<h4>관련 문서</h4>" if ctx.skin != "board" else "<strong>관련 문서</strong>"
    return f'<div class="related">\n{head}\n<ul>\n' + "\n".join(lis) + "\n</ul>\n</div>"


def render_table(header: str, lines: list[str], ctx: Ctx) -> str:
    """Render a [table ...] block.

    Row lines: ``h| a | b`` header row, ``| a | b`` body row, ``f| ...`` footer row.
    Cell prefixes: ``^`` row header (<th scope="row">), ``{r2}`` rowspan, ``{c3}`` colspan,
    ``{r2c2}`` both.  Options in the opening tag: caption="..", cls="..", summary="..",
    cols="20,30,50" (colgroup), nothead (header rows in tbody), tdhead (header cells as
    <td class="th">), layout (wrap in an outer layout table; side="..." text in its right cell).
    """
    opts = {k: (v if v is not None else True) for k, v in _ATTRS.findall(header)}
    skin = ctx.skin
    rows: list[tuple[str, list[str]]] = []
    for ln in lines:
        ln = ln.strip()
        if not ln:
            continue
        kind = "b"
        if ln.startswith("h|"):
            kind, ln = "h", ln[2:]
        elif ln.startswith("f|"):
            kind, ln = "f", ln[2:]
        elif ln.startswith("|"):
            ln = ln[1:]
        else:
            raise ValueError(f"bad table line in {ctx.page.key}: {ln!r}")
        if ln.endswith("|"):
            ln = ln[:-1]
        rows.append((kind, [c.strip() for c in ln.split("|")]))

    def cell(raw: str, kind: str) -> str:
        m = _CELL.match(raw)
        assert m
        rowhead = bool(m.group(1) or m.group(4))
        rs, cs, text = m.group(2), m.group(3), m.group(5)
        span = (f' rowspan="{rs}"' if rs else "") + (f' colspan="{cs}"' if cs else "")
        content = inline(text, ctx)
        if kind == "h":
            if "tdhead" in opts:
                return f'<td class="th"{span}><b>{content}</b></td>'
            scope = "colgroup" if cs else "col"
            bg = ' bgcolor="#e8eef7"' if skin == "legacy" else ""
            return f'<th scope="{scope}"{span}{bg}>{content}</th>'
        if rowhead:
            return f'<th scope="row"{span}>{content}</th>'
        return f"<td{span}>{content}</td>"

    def tr(kind: str, cells: list[str]) -> str:
        return "<tr>" + "".join(cell(c, kind) for c in cells) + "</tr>"

    cls = str(opts.get("cls", "tbl"))
    tattrs = f' class="{attr(cls)}"'
    if skin == "legacy":
        tattrs += ' width="100%" border="1" cellspacing="0" cellpadding="4"'
    if "summary" in opts:
        tattrs += f' summary="{attr(str(opts["summary"]))}"'
    parts = [f"<table{tattrs}>"]
    if "caption" in opts:
        parts.append(f"<caption>{inline(str(opts['caption']), ctx)}</caption>")
    if "cols" in opts:
        parts.append("<colgroup>" + "".join(f'<col style="width:{w}%">' for w in str(opts["cols"]).split(",")) + "</colgroup>")
    head = [tr(k, c) for k, c in rows if k == "h"]
    body = [tr(k, c) for k, c in rows if k == "b"]
    foot = [tr(k, c) for k, c in rows if k == "f"]
    if head and ("nothead" in opts or "tdhead" in opts):
        body = head + body
        head = []
    if head:
        parts.append("<thead>\n" + "\n".join(head) + "\n</thead>")
    parts.append("<tbody>\n" + "\n".join(body) + "\n</tbody>")
    if foot:
        parts.append("<tfoot>\n" + "\n".join(foot) + "\n</tfoot>")
    parts.append("</table>")
    table = "\n".join(parts)
    if "layout" in opts:
        side = str(opts.get("side", "※ 표시 금액은 부가세(VAT) 포함 금액입니다."))
        table = (
            '<table class="layout" width="100%" border="0" cellpadding="0" cellspacing="0">\n'
            f'<tr>\n<td class="cont" valign="top">\n{table}\n</td>\n'
            f'<td class="side" width="180" valign="top"><div class="side_box">{inline(side, ctx)}</div></td>\n</tr>\n</table>'
        )
    return table


def render_body(body: str, ctx: Ctx) -> str:
    """Render the page markup to HTML.

    Line types (blank lines separate groups):

    ``# h`` / ``## h`` / ``### h``  section headings;   ``- item`` / ``+ item``  bullet / numbered
    list items, two spaces of indentation per nesting level;   ``Q. ..`` then ``A. ..``  FAQ;
    ``!note ..`` ``!warn ..`` ``!tip ..``  boxes;   ``※ ..``  caution paragraph;   ``> ..``
    상담 멘트 box;   ``[table opts]`` .. ``[/table]``;   ``[raw]`` .. ``[/raw]`` verbatim HTML;
    ``@file label | href``  attachment list;   ``@img src | alt | caption``;   ``@rel key key``
    related pages;   anything else: a paragraph.
    """
    lines = body.strip("\n").split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        raw = lines[i]
        s = raw.strip()
        if not s:
            i += 1
            continue
        if s.startswith("[table"):
            j = i + 1
            while lines[j].strip() != "[/table]":
                j += 1
            out.append(render_table(s[1:-1], lines[i + 1 : j], ctx))
            i = j + 1
            continue
        if s == "[raw]":
            j = i + 1
            while lines[j].strip() != "[/raw]":
                j += 1
            out.append("\n".join(x.strip() for x in lines[i + 1 : j]))
            i = j + 1
            continue
        m = re.match(r"^(#{1,3}) (.*)$", s)
        if m:
            out.append(heading(len(m.group(1)), m.group(2), ctx))
            i += 1
            continue
        if re.match(r"^[-+] ", s):
            items = []
            while i < len(lines) and re.match(r"^\s*[-+] ", lines[i]):
                ln = lines[i]
                depth = (len(ln) - len(ln.lstrip(" "))) // 2
                items.append((depth, ln.strip()[0], ln.strip()[2:]))
                i += 1
            out.append(render_list(items, ctx))
            continue
        if s.startswith("Q. "):
            pairs = []
            while i < len(lines) and lines[i].strip().startswith("Q. "):
                q = lines[i].strip()
                a = lines[i + 1].strip()
                assert a.startswith("A. "), (ctx.page.key, a)
                pairs.append((q, a))
                i += 2
            out.append(render_faq(pairs, ctx))
            continue
        m = re.match(r"^!(note|warn|tip) (.*)$", s)
        if m:
            out.append(note_box(m.group(1), m.group(2), ctx))
            i += 1
            continue
        if s.startswith("> "):
            box = []
            while i < len(lines) and lines[i].strip().startswith("> "):
                box.append(lines[i].strip()[2:])
                i += 1
            out.append(render_script_box(box, ctx))
            continue
        if s.startswith("@file "):
            files = []
            while i < len(lines) and lines[i].strip().startswith("@file "):
                label, href = [x.strip() for x in lines[i].strip()[6:].split("|")]
                files.append((label, href))
                i += 1
            out.append(render_files(files, ctx))
            continue
        if s.startswith("@img "):
            parts = [x.strip() for x in s[5:].split("|")] + [""]
            out.append(render_img(parts[0], parts[1], parts[2], ctx))
            i += 1
            continue
        if s.startswith("@rel "):
            out.append(render_related(s[5:].split(), ctx))
            i += 1
            continue
        if s.startswith("※"):
            out.append(f'<p class="caution">{inline(s, ctx)}</p>')
            i += 1
            continue
        out.append(f"<p>{inline(s, ctx)}</p>")
        i += 1
    return "\n".join(out)


# ---------------------------------------------------------------------------
# Page assembly
# ---------------------------------------------------------------------------


def lnb_html(skin: str, active: str) -> str:
    lis = []
    for name, *_ in CATEGORIES:
        on = ' class="on"' if name == active else ""
        lis.append(f'<li{on}><a href="#">{esc(name)}</a></li>')
    title = {"kms": "<h2>상품/업무 매뉴얼</h2>", "lite": '<p class="lnb-tit">매뉴얼 분류</p>',
             "legacy": "<b>▒ 매뉴얼 분류</b>", "board": '<p class="tit">카테고리</p>'}[skin]
    return f'<div class="lnb">\n{title}\n<ul>\n' + "\n".join(lis) + "\n</ul>\n</div>"


def gnb_html(skin: str) -> str:
    links = "".join(f'<li><a href="{"#logout" if g == "로그아웃" else "#"}">{g}</a></li>' for g in GNB)
    if skin == "kms":
        return f'<div id="gnb"><nav>\n<ul>{links}</ul>\n</nav></div>'
    if skin == "lite":
        return f'<nav id="gnb" class="gnb" aria-label="주메뉴">\n<ul>{links}</ul>\n</nav>'
    if skin == "legacy":
        a = " | ".join(f'<a href="#">{g}</a>' for g in GNB)
        return f'<div id="gnb"><table width="100%" border="0"><tr><td class="logo"><b>{COMPANY} 지식관리시스템</b></td><td align="right">{a}</td></tr></table></div>'
    a = "\n".join(f'<a href="#">{g}</a>' for g in GNB)
    return f'<div id="gnb">\n{a}\n</div>'


def footer_html(skin: str) -> str:
    if skin == "legacy":
        return (
            '<footer><hr>\n<p class="copy">ⓒ 2008-2026 Hanbit Telecom Co., Ltd. All rights reserved. '
            "| 고객센터 114 (휴대폰) / 1588-0114 | <a href=\"#\">개인정보처리방침</a></p>\n</footer>"
        )
    if skin == "board":
        return (
            '<footer id="footer">\n<ul class="f-links"><li><a href="#">개인정보처리방침</a></li><li><a href="#">이용약관</a></li>'
            '<li><a href="#">KMS 운영정책</a></li></ul>\n'
            f"<p>{COMPANY}(주) 지식관리시스템 | 고객센터 114 | 대표전화 1588-0114</p>\n"
            "<p class=\"copy\">Copyright © 2026 Hanbit Telecom. All rights reserved.</p>\n</footer>"
        )
    if skin == "lite":
        return (
            '<footer class="footer">\n<p><a href="#"><strong>개인정보처리방침</strong></a> · <a href="#">보안서약</a></p>\n'
            "<p>고객센터 114 · 1588-0114 | 본 자료는 사내 한정 자료로 외부 유출을 금합니다.</p>\n"
            "<p>© 2026 Hanbit Telecom Co., Ltd.</p>\n</footer>"
        )
    return (
        '<footer id="footer">\n<div class="inner">\n<p class="f-menu"><a href="#">개인정보처리방침</a> | <a href="#">사이트맵</a> | '
        '<a href="#">KMS 이용안내</a></p>\n'
        "<address>한빛텔레콤(주) 서울특별시 중구 한빛로 114 | 고객센터 114 (유료) · 1588-0114</address>\n"
        '<p class="copy">Copyright © 2026 Hanbit Telecom Co., Ltd. All rights reserved.</p>\n</div>\n</footer>'
    )


def breadcrumb_html(pg: Page, skin: str, variant: int) -> str:
    root = CAT_INFO[pg.cat][2]
    crumbs = ["홈", root, pg.cat] + ([pg.sub] if pg.sub else [])
    if skin == "kms":
        return '<div class="breadcrumb">' + " &gt; ".join(esc(c) for c in crumbs) + "</div>"
    if skin == "legacy":
        return '<ol class="location">' + "".join(f"<li>{esc(c)}</li>" for c in crumbs) + "</ol>"
    if skin == "lite":
        lis = "".join(f'<li><a href="#">{esc(c)}</a></li>' for c in crumbs[:-1]) + f'<li aria-current="page">{esc(crumbs[-1])}</li>'
        return f'<nav class="path-nav" aria-label="breadcrumb"><ul>{lis}</ul></nav>'
    sep = ' <span class="sep">›</span> ' if variant % 2 else " &gt; "
    return '<div class="path">' + sep.join(f"<span>{esc(c)}</span>" for c in crumbs) + "</div>"


STYLE_BLOCK = """<style type="text/css">
/* 스타일카나리아 : KMS 공통 스타일 (본문 아님) */
body {{ font-family: "맑은 고딕", "Malgun Gothic", sans-serif; font-size: 13px; }}
.doc-body table, .tbl {{ border-collapse: collapse; width: 100%; }}
.note, .box_warning {{ border: 1px solid #ccc; padding: 10px; }}
.txt_red {{ color: #d00; }}
.canary::after {{ content: "{canary}"; display: none; }}
</style>"""


def script_block(pg: Page, skin: str) -> str:
    """Inline JS holding Korean strings and the script canary (never indexable)."""
    if skin == "legacy":
        return (
            '<script language="javascript" type="text/javascript">\n<!--\n'
            "function fnPrint() {\n"
            f"  alert('{CANARY_SCRIPT}: 인쇄 시 사내 보안 워터마크가 출력됩니다.');\n"
            "  window.print();\n}\n"
            f"document.write('<span class=\"hit\">{CANARY_SCRIPT} 조회수 집계 중...</span>');\n"
            "//-->\n</script>"
        )
    if skin == "lite":
        return (
            '<script type="text/x-template" id="tpl-tip">\n'
            f'<div class="tip">{CANARY_SCRIPT} 도움말: 요금은 부가세 포함 금액입니다.</div>\n</script>\n'
            "<script>\n(function () {\n"
            f"  var msg = '{CANARY_SCRIPT} - 문서 열람 로그가 저장됩니다.';\n"
            "  document.addEventListener('DOMContentLoaded', function () { console.log(msg); });\n"
            "})();\n</script>"
        )
    return (
        "<script>\n"
        f"  var KMS_DOC = {{ id: '{pg.manual_id}', title: '{pg.title.replace(chr(39), '')}', canary: '{CANARY_SCRIPT}' }};\n"
        "  function addFav(id) { alert('즐겨찾기에 추가되었습니다: ' + id); }\n"
        "  function sessionCheck() { if (!window.kmsSession) { alert('세션이 만료되었습니다. 다시 로그인하세요.'); } }\n"
        "  setTimeout(sessionCheck, 1800000);\n"
        "</script>"
    )


def doc_info_html(pg: Page, skin: str, fmt: str, views: int) -> str:
    d = fmt_date(pg.date, fmt)
    dept = CAT_INFO[pg.cat][3]
    if skin == "kms":
        first = f"<tr><th>최초 등록일</th><td>{fmt_date(pg.first_date, fmt)}</td><th>조회수</th><td>{views:,}</td></tr>" if pg.first_date else ""
        return (
            '<table class="doc-info">\n'
            f"<tr><th>문서번호</th><td>{pg.manual_id}</td><th>개정일</th><td>{d}</td></tr>\n"
            f"<tr><th>작성부서</th><td>{dept}</td><th>보안등급</th><td>사내한정</td></tr>\n{first}</table>"
        )
    if skin == "legacy":
        return (
            '<dl class="meta">\n'
            f"<dt>문서번호</dt><dd>{pg.manual_id}</dd>\n<dt>개정일</dt><dd>{d}</dd>\n<dt>작성부서</dt><dd>{dept}</dd>\n</dl>"
        )
    if skin == "lite":
        first = f"<li>최초 등록 : {fmt_date(pg.first_date, 'dot')}</li>" if pg.first_date else ""
        return (
            '<ul class="doc_info_list">'
            f"<li>문서번호 : {pg.manual_id}</li>{first}<li>개정일 : {d}</li><li>담당 : {dept}</li></ul>"
        )
    return f'<p class="info">문서번호: {pg.manual_id} | 개정일: {d} | 작성자: {dept} | 조회 {views:,}</p>'


def page_html(pg: Page, ctx: Ctx) -> str:
    """Assemble the whole HTML document of a page."""
    skin = ctx.skin
    h = _h(pg.key)
    fmt = pg.date_fmt or {"kms": ("iso", "dot")[h % 2], "legacy": "dot", "board": ("dot", "kor")[h % 2], "lite": ("kor", "iso")[h % 2]}[skin]
    scripts = pg.scripts if pg.scripts is not None else skin in ("kms", "lite") or (skin == "legacy" and h % 3 == 0)
    meta_tags = pg.meta_tags if pg.meta_tags is not None else skin != "board"
    views = 120 + h % 4800
    body = render_body(pg.body, ctx)

    # --- head
    head = []
    cs = pg.charset
    if cs == "auto":
        cs = {"legacy": "http-equiv"}.get(skin, "meta")
    label = "euc-kr" if pg.enc == "cp949" else "utf-8"
    if cs == "meta":
        head.append(f'<meta charset="{label if skin != "board" else label.upper()}">')
    elif cs == "http-equiv":
        head.append(f'<meta http-equiv="Content-Type" content="text/html; charset={label}">')
    elif cs == "ks_c":
        head.append('<meta http-equiv="Content-Type" content="text/html; charset=ks_c_5601-1987">')
    if skin in ("kms", "lite"):
        head.append('<meta name="viewport" content="width=device-width, initial-scale=1">')
    if meta_tags:
        head.append(f'<meta name="manual-id" content="{pg.manual_id}">')
        head.append(f'<meta name="revision-date" content="{pg.date}">')
        if skin == "kms":
            head.append(f'<meta name="category" content="{attr(pg.cat)}">')
    if pg.old_of and pg.old_status_meta:
        head.append('<meta name="status" content="superseded">')
    suffix = {"kms": " | 한빛텔레콤 KMS", "lite": " - KMS 2.0", "legacy": "", "board": " :: 한빛 KMS 게시판"}[skin]
    prefix = "[KMS] " if skin == "legacy" else ""
    head.append(f"<title>{prefix}{esc(pg.title)}{suffix}</title>")
    if skin == "kms":
        head.append('<link rel="stylesheet" href="/kms/static/css/common.css">')
    if skin == "legacy":
        head.append('<script type="text/javascript" src="/kms/js/common.js"></script>')
    if scripts:
        head.append(STYLE_BLOCK.format(canary=CANARY_STYLE))

    # --- content area
    title_tag = {"kms": '<h2 class="title">{}</h2>', "lite": '<h1 class="doc-title">{}</h1>',
                 "legacy": '<h2 class="title">{}</h2>', "board": '<h3 class="subject">{}</h3>'}[skin].format(esc(pg.title))
    banner = ""
    if pg.old_of and pg.old_banner:
        banner = '<div class="old-banner"><p class="caution">※ 본 문서는 구버전입니다. 최신 문서를 참고하세요.</p></div>\n'
    crumb = breadcrumb_html(pg, skin, h)
    info = doc_info_html(pg, skin, fmt, views)
    comment = f"<!-- {CANARY_COMMENT}: 편집자 메모 - {pg.comment} -->\n" if pg.comment else ""
    if skin in ("kms", "legacy"):  # template markers left by the KMS editors
        comment = f"<!-- {CANARY_COMMENT} : 본문 영역 시작 (template {skin}) -->\n" + comment
    noscript = '<noscript><p class="noscript">자바스크립트가 꺼져 있어 일부 기능(즐겨찾기, 인쇄)을 사용할 수 없습니다.</p></noscript>\n' if pg.noscript else ""
    btn_print = '<button type="button" class="btn" onclick="window.print(); return false;">인쇄</button>'

    if skin == "kms":
        doc = (
            f'<div id="wrap">\n<header id="header">\n<h1 class="logo"><a href="#"><img src="img/logo.png" alt="{COMPANY}"> KMS</a></h1>\n'
            f"{gnb_html(skin)}\n"
            '<div class="user-info">상담사 <strong>김한빛</strong>님 (상담1센터) | <a href="#logout">로그아웃</a></div>\n'
            f'</header>\n<div id="container">\n{lnb_html(skin, pg.cat)}\n<main id="content">\n'
            f"{crumb}\n{banner}{title_tag}\n{info}\n{comment}{noscript}"
            f'<div class="doc-body">\n{body}\n</div>\n'
            f'<div class="doc-btns">{btn_print} <button type="button" class="btn" onclick="addFav(\'{pg.manual_id}\')">즐겨찾기</button></div>\n'
            f"</main>\n</div>\n{footer_html(skin)}\n</div>"
        )
    elif skin == "legacy":
        doc = (
            f"{gnb_html(skin)}\n"
            '<table class="frame" width="100%" border="0" cellpadding="0" cellspacing="0">\n<tr>\n'
            f'<td width="180" valign="top" bgcolor="#f0f0f0">\n{lnb_html(skin, pg.cat)}\n</td>\n'
            f'<td valign="top" class="contents">\n{crumb}\n{banner}{title_tag}\n{info}\n{comment}{noscript}'
            f"{body}\n"
            f'<p align="right"><a href="#" onclick="fnPrint(); return false;">[인쇄]</a> <a href="#top">[TOP]</a></p>\n'
            f"</td>\n</tr>\n</table>\n{footer_html(skin)}"
        )
    elif skin == "lite":
        doc = (
            '<div id="skip"><a href="#content">본문 바로가기</a></div>\n'
            f'<div class="header">\n<div class="logo"><img src="./img/logo.png" alt="{COMPANY} 로고"></div>\n{gnb_html(skin)}\n</div>\n'
            f'<div class="wrap">\n{lnb_html(skin, pg.cat)}\n<div id="content" class="contents">\n{crumb}\n{banner}'
            f'<div class="doc-head">\n{title_tag}\n{info}\n</div>\n{comment}{noscript}'
            f'<article class="doc-body">\n{body}\n</article>\n</div>\n</div>\n{footer_html(skin)}'
        )
    else:  # board
        quick = '<div id="quick"><p class="tit">QUICK MENU</p><ul><li><a href="#">요금계산기</a></li><li><a href="#">상담 스크립트</a></li><li><a href="#">즐겨찾기</a></li><li><a href="#top">TOP</a></li></ul></div>'
        login = '<div class="login-box"><p><strong>김한빛</strong> 상담사님 환영합니다.</p><p>최근 접속: 오늘 08:51</p><a href="#logout">로그아웃</a></div>'
        doc = (
            f'<div id="header">\n<div class="logo">HANBIT TELECOM | 지식관리시스템</div>\n{gnb_html(skin)}\n</div>\n'
            f'{lnb_html(skin, pg.cat)}\n{quick}\n{login}\n<div class="content">\n{crumb}\n{banner}'
            f'<div class="board_view">\n<div class="view_head">\n{title_tag}\n{info}\n</div>\n{comment}{noscript}'
            f'<div class="view_body">\n{body}\n</div>\n</div>\n'
            f'<div class="btn_area">{btn_print} <a href="#" class="btn">목록</a></div>\n</div>\n{footer_html(skin)}'
        )

    doctype = '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n<html>' if skin == "legacy" else '<!DOCTYPE html>\n<html lang="ko">'
    tail_script = script_block(pg, skin) + "\n" if scripts else ""
    body_attrs = ' leftmargin="0" topmargin="0"' if skin == "legacy" else ""
    out = (
        f"{doctype}\n<head>\n" + "\n".join(head) + f"\n</head>\n<body{body_attrs}>\n{doc}\n{tail_script}</body>\n</html>\n"
    )
    if pg.malformed:
        out = malform(out, pg.malformed)
    if pg.enc == "cp949":  # symbols outside KS X 1001 / CP949
        out = out.replace("©", "ⓒ").replace("›", "&gt;")
    return out


def malform(doc: str, recipe: int) -> str:
    """Break the markup the way hand-edited intranet pages are broken.

    1: unclosed <p>/<li>           2: UPPERCASE table tags + unquoted attribute values
    3: unclosed <td>/<th>/<tr> and a stray </div>      4: mis-nested <b><i>, unclosed <font>, stray </span>
    5: recipes 1 + 2 + 3           6: missing </body></html> and an unclosed <div>
    """
    head, sep, body = doc.partition("<body")
    if recipe in (1, 5):
        body = body.replace("</p>", "").replace("</li>", "")
    if recipe in (2, 5):
        body = re.sub(r"<(/?)(table|tr|td|th|thead|tbody|caption)\b", lambda m: f"<{m.group(1)}{m.group(2).upper()}", body)
        body = re.sub(r'(\s(?:class|width|border|cellpadding|cellspacing|scope|rowspan|colspan|valign|align|bgcolor))="([A-Za-z0-9_#%.\-]+)"', r"\1=\2", body)
    if recipe in (3, 5):
        body = re.sub(r"</(td|th|tr|TD|TH|TR)>", "", body)
        body = re.sub(r'(<h[123] class="?(?:title|doc-title|subject)"?>.*?</h[123]>)', r"\1\n</div>", body, count=1)
    if recipe == 4:
        body = body.replace("</table>\n", '</table>\n<p><b><i>※ 표의 금액은 변경될 수 있습니다.</b></i></p>\n<font color="gray">\n', 1)
        body = body.replace("</footer>", "</span></footer>", 1)
    if recipe == 6:
        body = body.replace("</body>\n</html>\n", "")
        body = re.sub(r'(<div class="(?:doc-body|view_body)">|<article class="doc-body">|<td valign="top" class="contents">)',
                      r'\1\n<div class="inner">', body, count=1)
    return head + sep + body


# ---------------------------------------------------------------------------
# Helpers for hrefs
# ---------------------------------------------------------------------------


def normalise_ref(href: str, base: str = "") -> str:
    """Resolve a relative href found in a page at the manuals root to a root-relative path.

    ``./files/a.pdf``, ``../manuals/files/a.pdf``, ``files/%EC%9D%B4.pdf`` -> ``files/a.pdf``.
    """
    parts = urlsplit(href)
    path = unquote(parts.path)
    joined = posixpath.normpath(posixpath.join("manuals", base, path))
    if not joined.startswith("manuals/"):
        raise ValueError(f"href escapes the manuals root: {href}")
    return joined[len("manuals/") :]


def quote_path(path: str) -> str:
    """URL-encode a path the way some editors save links (files/%EC%9D%B4...)."""
    return quote(path, safe="/")


# ---------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------


@dataclass
class Question:
    """One dev question; gold pages are given by page key and turned into file names."""

    category: str
    style: str
    question: str
    gold: list[str]
    facts: list[str]
    in_table: bool
    attachment: str | None = None
    out_of_scope: bool = False  # the manuals do not hold the answer: a good answer says so


QUESTIONS: list[Question] = []
Q_CATEGORIES = ("프로세스", "기능/내용", "상품추천", "조건탐색", "비교")
Q_STYLES = ("단답형", "간결한 문장형", "일반 문장형")
_STYLE_ABBR = {"단": "단답형", "간": "간결한 문장형", "일": "일반 문장형"}


def q(cat: str, style: str, text: str, gold: str | list[str], facts: list[str], table: bool = False, att: str | None = None) -> None:
    """Declare a question. style: '단' | '간' | '일'; gold: page key(s)."""
    assert cat in Q_CATEGORIES, cat
    QUESTIONS.append(Question(cat, _STYLE_ABBR[style], text, [gold] if isinstance(gold, str) else gold, facts, table, att))


def q_out(cat: str, style: str, text: str) -> None:
    """Declare an out-of-scope question (nothing in the manuals answers it): no gold page, no facts."""
    assert cat in Q_CATEGORIES, cat
    QUESTIONS.append(Question(cat, _STYLE_ABBR[style], text, [], [], False, None, out_of_scope=True))


def skin_of(p: Page) -> str:
    """Explicit skin, else legacy for CP949 pages, board for FAQs, else a stable pick by key."""
    if p.skin:
        return p.skin
    if p.enc == "cp949":
        return "legacy"
    if "faq" in p.key:
        return "board"
    return ("kms", "kms", "kms", "kms", "lite", "lite", "lite", "board", "legacy", "kms")[_h(p.key) % 10]


def assign_files() -> dict[str, Page]:
    """Number pages M001.. round-robin over categories (skipping GAP_NUMBERS); give manual ids."""
    queues = {c[0]: [p for p in PAGES if p.cat == c[0]] for c in CATEGORIES}
    order: list[Page] = []
    while any(queues.values()):
        for name, *_ in CATEGORIES:
            if queues[name]:
                order.append(queues[name].pop(0))
    num, serial = 0, {}
    for p in order:
        num += 1
        while num in GAP_NUMBERS:
            num += 1
        p.file = f"M{num:03d}.html"
        prefix = CAT_INFO[p.cat][1]
        serial[prefix] = serial.get(prefix, 0) + 1
        p.manual_id = f"KMS-{prefix}-{serial[prefix] * 3 + _h(p.key) % 3 + 1:04d}"
    by_key = {p.key: p for p in PAGES}
    assert len(by_key) == len(PAGES), "duplicate page keys"
    for o in OLD_PAGES:
        cur = by_key[o.old_of]
        o.file = cur.file.replace(".html", o.old_suffix + ".html")
        o.manual_id = cur.manual_id
        o.title = o.title or cur.title
        o.cat, o.sub = cur.cat, cur.sub
        by_key[o.key] = o
    return by_key


def question_rows(by_key: dict[str, Page]) -> list[dict]:
    rows = []
    for i, qq in enumerate(QUESTIONS, 1):
        rows.append({
            "id": f"Q{i:03d}",
            "category": qq.category,
            "style": qq.style,
            "question": qq.question,
            "gold_docs": [by_key[k].file for k in qq.gold],
            "answer_facts": qq.facts,
            "in_table": qq.in_table,
            "attachment": qq.attachment,
            "out_of_scope": qq.out_of_scope,
        })
    return rows


def build(out: Path) -> dict[str, object]:
    """Write manuals/, questions.jsonl and README.md under ``out``; return corpus statistics."""
    by_key = assign_files()
    manuals = out / "manuals"
    if manuals.exists():
        shutil.rmtree(manuals)
    manuals.mkdir(parents=True)
    sizes: dict[str, int] = {}
    for path in sorted(ASSETS):
        data = ASSETS[path].build()
        dest = manuals / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        sizes[path] = len(data)

    stats: dict[str, object] = {"skins": {}, "pages_with_attachment": 0}
    linked: set[str] = set()
    rendered: dict[str, str] = {}
    for p in PAGES + OLD_PAGES:
        skin = skin_of(p)
        ctx = Ctx(p, skin, by_key, sizes)
        text = page_html(p, ctx)
        for ref in re.findall(r'(?:href|src)="([^"]+)"', text):
            if ref.startswith(("files/", "./files/", "../manuals/files/", "img/", "./img/")):
                real = normalise_ref(ref)
                if real not in ASSETS:
                    raise ValueError(f"{p.key}: link to unknown asset {ref}")
                linked.add(real)
        rendered[p.file] = text
        if p.crlf:
            text = text.replace("\n", "\r\n")
        (manuals / p.file).write_bytes(text.encode(p.enc))
        stats["skins"][skin] = stats["skins"].get(skin, 0) + 1  # type: ignore[index]
        if re.search(r'href="(?:\./|\.\./manuals/)?files/', text):
            stats["pages_with_attachment"] += 1  # type: ignore[operator]
    unused = sorted(set(ASSETS) - linked)
    if unused:
        raise ValueError(f"assets not linked from any page: {unused}")

    rows = question_rows(by_key)
    with open(out / "questions.jsonl", "w", encoding="utf-8", newline="\n") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    (out / "README.md").write_text(readme(rows, sizes, rendered), encoding="utf-8", newline="\n")
    return stats


def main(argv: list[str] | None = None) -> int:
    """CLI entry point: ``python scripts/make_samples.py [--out-dir DIR]``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-dir", type=Path, default=DEFAULT_OUT, help="output directory (default: etl/samples)")
    args = ap.parse_args(argv)
    stats = build(args.out_dir)
    print(f"wrote {len(PAGES)} pages + {len(OLD_PAGES)} superseded, {len(ASSETS)} assets, "
          f"{len(QUESTIONS)} questions to {args.out_dir} (skins: {stats['skins']})")
    return 0


# ===========================================================================
# CONTENT
# ===========================================================================
# Attachments and images.  Paths are relative to the manuals root.

F_MOVE_FORM = asset("files/이사신청서.pdf", "pdf", "Hanbit Telecom - Relocation (moving) installation request form")
F_TERM_FORM = asset("files/해지신청서.pdf", "pdf", "Hanbit Telecom - Service termination request form")
F_OWNER_FORM = asset("files/명의변경신청서.pdf", "pdf", "Hanbit Telecom - Change of subscriber (transfer) form")
F_GUARDIAN = asset("files/법정대리인동의서.pdf", "pdf", "Hanbit Telecom - Legal guardian consent form (minors)")
F_AUTOPAY = asset("files/자동이체신청서.pdf", "pdf", "Hanbit Telecom - Automatic payment (bank/card) application")
F_WELFARE = asset("files/복지할인신청서.pdf", "pdf", "Hanbit Telecom - Welfare discount application")
F_BUNDLE_FORM = asset("files/결합신청서.pdf", "pdf", "Hanbit Telecom - Bundle discount application")
F_MNP_FORM = asset("files/번호이동신청서.pdf", "pdf", "Hanbit Telecom - Number portability request")
F_EXEMPT = asset("files/위약금면제_증빙안내.pdf", "pdf", "Hanbit Telecom - Penalty exemption: required documents")
F_PHONECARE = asset("files/폰케어_약관.pdf", "pdf", "Hanbit Telecom - PhoneCare insurance terms")
F_RETURN = asset("files/장비반납_안내문.pdf", "pdf", "Hanbit Telecom - Equipment return guide")
F_WITHDRAW = asset("files/청약철회신청서.pdf", "pdf", "Hanbit Telecom - Subscription withdrawal (14 days) form")
F_TAXINV = asset("files/세금계산서발행신청서.pdf", "pdf", "Hanbit Telecom - Tax invoice issuance request")
F_REPNUM = asset("files/대표번호_신청서.pdf", "pdf", "Hanbit Telecom - 1588 representative number application")
F_RATES = asset("files/rates_2026.xlsx", "xlsx", None)  # payload filled below from INT_PLANS
F_SUBSIDY = asset("files/단말기지원금_2026_05.xlsx", "xlsx", None)
F_ADDONS = asset("files/부가서비스목록.xlsx", "xlsx", None)
F_REGION = asset("files/지역별_출장비.xlsx", "xlsx", None)
F_CHANNELS = asset("files/채널편성표_2026_05.xlsx", "xlsx", None)
F_INTL = asset("files/국제전화요금표.xlsx", "xlsx", None)
F_BUNDLE_XLS = asset("files/결합할인_계산표.xlsx", "xlsx", None)
F_BUNDLE_POA = asset("files/결합위임장.hwp", "hwp", "Bundle application power of attorney")
F_DISPUTE = asset("files/요금 이의신청서.hwp", "hwp", "Billing dispute form")
F_OUTAGE = asset("files/장애보상신청서.hwp", "hwp", "Outage compensation request")
F_POA = asset("files/위임장.hwp", "hwp", "General power of attorney")
F_DEATH = asset("files/사망해지_신청서.hwp", "hwp", "Termination on subscriber's death")
F_INSTALL = asset("files/분할납부신청서.hwp", "hwp", "Installment payment of overdue charges")
F_WIFI_DIAGRAM = asset("files/공유기_연결도.png", "png", (96, 64))
F_SETTOP_REAR = asset("files/셋톱_후면단자.png", "png", (96, 48))

IMG_LOGO = asset("img/logo.png", "png", (48, 16))
IMG_BULLET = asset("img/bullet.png", "png", (8, 8))
IMG_FILE = asset("img/icon_file.png", "png", (12, 12))
IMG_ONT = asset("img/ont_led.png", "png", (80, 40))
IMG_REMOTE = asset("img/remote_pairing.png", "png", (40, 80))
IMG_SPEED = asset("img/speedcheck.png", "png", (64, 40))
IMG_INSTALL = asset("img/install_flow.png", "png", (120, 30))
IMG_MESH = asset("img/wifi_mesh.png", "png", (64, 64))
IMG_BILL = asset("img/bill_sample.png", "png", (60, 80))
IMG_CARD = asset("img/membership_card.png", "png", (64, 40))
IMG_ESIM = asset("img/esim_qr.png", "png", (33, 33))
IMG_MOVE = asset("img/move_flow.png", "png", (120, 30))


# ===========================================================================
# 인터넷
# ===========================================================================
category("인터넷")

# name, speed, no contract, 1y, 2y, 3y (monthly, VAT incl.)
INT_PLANS = [
    ("슬림 100", "100Mbps", 27500, 26400, 24200, 22000),
    ("기가라이트 500", "500Mbps", 44000, 40700, 36300, 33000),
    ("기가인터넷 1G", "1Gbps", 49500, 46200, 42900, 38500),
    ("기가프리미엄 2.5G", "2.5Gbps", 60500, 57200, 53900, 49500),
    ("10기가 플래티넘", "10Gbps", 99000, 95700, 92400, 88000),
]
ASSETS[F_RATES].payload = ("인터넷요금_2026", [["상품명", "최대속도", "무약정", "1년", "2년", "3년"]] + [list(r) for r in INT_PLANS])

_int_rows = "\n".join(
    f"| ^{n} | {s} | {won(a)} | {won(b)} | {won(c)} | {won(d)} | {'기가WiFi 홈 무료' if d < 49500 else '기가WiFi 프로 무료'} |"
    for n, s, a, b, c, d in INT_PLANS
)

page("int_plans", "한빛 기가인터넷 요금제 안내", "2026-05-01", f"""
# 상품 개요
한빛 기가인터넷은 광케이블(FTTH) 기반의 가정용 초고속 인터넷 상품입니다. 2026년 5월 1일부로 요금 체계가 개편되어 **10기가 플래티넘**이 신규 출시되었습니다.
- ■ 가입 대상: 개인 및 개인사업자(주거용 주소지)
- ■ 약정: 무약정 / 1년 / 2년 / 3년 중 선택
  - 약정 기간이 길수록 월 이용료가 할인됩니다.
  - 약정 해지 시 할인반환금이 발생합니다. ([[할인반환금 기준|@trm_refund_rule]] 참고)
- ■ 공유기: 3년 약정 시 기본 공유기 임대료 면제

# 상품별 월 이용료
[table caption="기가인터넷 상품별 월 이용료 (2026.05.01 기준)" cls="tbl_price" layout side="※ 요금은 부가세(VAT) 포함 // ※ 결합 할인 전 금액"]
h| {{r2}}상품명 | {{r2}}최대 속도 | {{c4}}월 이용료 (VAT 포함) | {{r2}}기본 공유기
h| 무약정 | 1년 약정 | 2년 약정 | 3년 약정
{_int_rows}
[/table]
※ 10기가 플래티넘은 10G 전용 광모뎀이 필요하며, 제공 가능 지역에서만 가입할 수 있습니다.

## 개정 이력
[table cls="tbl_history" cols="15,20,65"]
h| 버전 | 개정일 | 주요 내용
| v3 | 2026-05-01 | 요금 개편(기가라이트 500 3년 약정 30,250원 → 33,000원 등), 10기가 플래티넘 출시
| v2 | 2025-07-01 | 기가프리미엄 2.5G 출시
| v1 | 2024-03-01 | 최초 등록
[/table]

@file 인터넷 요금표 (엑셀) | ./files/rates_2026.xlsx?v=2
@rel int_wifi int_coverage bnd_home
""", sub="기가인터넷", first_date="2024-03-01", comment="구 요금표 행은 삭제함 (기가라이트 500 30,250원)")

old_page("int_plans", "2025-07-01", """
# 상품 개요
한빛 기가인터넷은 광케이블(FTTH) 기반의 가정용 초고속 인터넷 상품입니다.
- ■ 가입 대상: 개인 및 개인사업자
- ■ 약정: 무약정 / 3년 약정

# 상품별 월 이용료
[table caption="기가인터넷 월 이용료 (2025.07.01 기준)" cls="tbl_price"]
h| 상품명 | 최대 속도 | 무약정 | 3년 약정
| ^슬림 100 | 100Mbps | 27,500원 | 20,900원
| ^기가라이트 500 | 500Mbps | 41,800원 | 30,250원
| ^기가인터넷 1G | 1Gbps | 47,300원 | 36,300원
| ^기가프리미엄 2.5G | 2.5Gbps | 58,300원 | 46,200원
[/table]
※ 요금은 부가세 포함 금액입니다.
""", skin="kms", old_banner=True, old_status_meta=False)

page("int_wifi", "WiFi 공유기 임대 상품 (기가WiFi)", "2026-02-10", """
# 임대 공유기 종류
인터넷 가입 고객은 아래 공유기를 월 임대로 이용할 수 있습니다. 3년 약정 고객은 **기가WiFi 홈** 1대의 임대료가 면제됩니다.
[table cls="tbl" caption="공유기 모델별 임대료 및 분실·파손 변상금"]
h| 모델명 | 무선 규격 | 권장 면적 | 월 임대료 | 분실·파손 변상금
| ^기가WiFi 홈 | WiFi 6 | 85㎡ 이하 | 1,100원 | 33,000원
| ^기가WiFi 프로 | WiFi 6E | 115㎡ 이하 | 2,200원 | 55,000원
| ^기가WiFi 메시 7 | WiFi 7 (2대 1세트) | 복층·단독주택 | 4,400원 | 99,000원
[/table]
※ 메시 7은 본체와 위성(확장기) 2대가 1세트이며, 세트 단위로만 임대합니다.

# 모델 선택 가이드
- ▶ 원룸, 소형 아파트: 기가WiFi 홈
- ▶ 기가프리미엄 2.5G 이상 가입, 다수 기기 동시 접속: 기가WiFi 프로
- ▶ 벽이 많거나 층이 나뉜 집(복층, 단독주택, 3층 이상 주택): 기가WiFi 메시 7
  - 메시 7은 위성 기기를 층마다 배치해 음영 지역을 없앱니다.
@img img/wifi_mesh.png | 메시 7 배치 예시 | 그림) 복층 주택 메시 배치 예시
!note 고객 소유 공유기 사용도 가능하나, 이 경우 무선 품질 관련 AS는 제공되지 않습니다.
@file 공유기 연결도 | files/공유기_연결도.png
""", sub="부가장비")

page("int_install", "인터넷 신규 설치 절차 및 설치비", "2026-03-15", """
# 설치 진행 절차
+ ① 가입 접수: 매장/고객센터/온라인에서 가입 신청서 작성 및 본인 확인
+ ② 설치 가능 여부 조회: 주소지 제공 방식(FTTH/LAN/HFC) 확인
+ ③ 설치 기사 배정: 접수 후 영업일 기준 2일 이내 배정, 배정 즉시 고객에게 문자 발송
+ ④ 방문 설치: 광모뎀·공유기 설치, 속도 측정 후 고객 확인 서명
+ ⑤ 개통 안내: 개통 완료 문자 및 첫 달 요금 일할 계산 안내
@img img/install_flow.png | 설치 진행 흐름도 | 설치 흐름: 접수 → 조회 → 배정 → 설치 → 개통
!tip 고객이 희망일을 지정한 경우 최대 30일 이후까지 예약할 수 있습니다.
@file 공유기 연결도 (고객 안내용) | ./files/공유기_연결도.png

# 설치비
[table cls="tbl" caption="설치비 (VAT 포함, 1회)" cols="40,30,30"]
h| 구분 | 평일 | 주말·공휴일
| ^인터넷 단독 설치 | 27,500원 | 38,500원
| ^인터넷 + TV 동시 설치 | 38,500원 | 49,500원
| ^TV 추가 설치(기존 인터넷 고객) | 22,000원 | 33,000원
| ^추가 단자(랜 포트) 공사 | {c2}1개소당 11,000원
[/table]
※ 설치비는 첫 달 요금에 합산 청구되며, 분할 청구되지 않습니다.
※ 기사 방문 후 고객 부재로 설치가 취소되면 출장비 11,000원이 부과될 수 있습니다.
""", sub="가입/설치")

page("int_speed_sla", "최저보장속도(SLA) 및 속도 미달 보상", "2026-01-20", """
# 최저보장속도란?
상품별 최대 속도의 일정 비율을 최저 속도로 보장하는 제도입니다. 측정 결과가 최저보장속도에 미달하면 당일 이용료를 감면합니다.

[table cls="tbl_sla" caption="상품별 최저보장속도"]
h| 상품 | 최대 속도 | 최저보장속도
| ^슬림 100 | 100Mbps | 30Mbps
| ^기가라이트 500 | 500Mbps | 150Mbps
| ^기가인터넷 1G | 1Gbps | 300Mbps
| ^기가프리미엄 2.5G | 2.5Gbps | 750Mbps
| ^10기가 플래티넘 | 10Gbps | 3Gbps
[/table]

# 측정 및 보상 기준
- ○ 측정 방법: 유선(랜선) 연결 PC에서 '한빛 스피드체크'로 30분 동안 5회 이상 측정
- ○ 미달 판정: 측정 횟수의 60% 이상이 최저보장속도 미달
- ○ 보상: 미달 판정일 당일 이용료 감면 (고객 신청 시)
- ○ 월 5일 이상 감면을 받은 경우, 고객은 할인반환금 없이 해지할 수 있습니다.
@img img/speedcheck.png | 스피드체크 측정 화면 | 한빛 스피드체크 측정 화면 예시
!warn 무선(WiFi) 측정값은 보상 기준으로 인정되지 않습니다. 반드시 유선 연결 상태에서 측정하도록 안내하세요.
""", sub="품질/SLA")

page("int_static_ip", "고정IP 서비스 안내", "2025-11-03", """
# 서비스 개요
고정IP는 인터넷 접속 시 항상 같은 공인 IP 주소를 할당받는 부가서비스입니다. CCTV 원격 접속, 개인 서버 운영 등에 사용됩니다.

# 이용 요금
[table cls="tbl"]
h| 구분 | 월 이용료 | 최대 신청 수
| ^개인 고정IP | 1개당 11,000원 | 4개
| ^소호(비즈넷) 고정IP | 1개당 8,800원 | 16개
[/table]
- ※ 비즈넷 프로 가입 고객은 고정IP 1개가 기본 제공됩니다.
- ※ 신청 후 개통까지 영업일 기준 3일이 소요됩니다.

# 신청 방법
고객센터 또는 매장에서 신청하며, 신청서에 사용 목적을 기재해야 합니다. 메일 서버(25번 포트) 용도는 스팸 방지 정책에 따라 별도 심사를 거칩니다.
""", enc="cp949", sub="부가서비스")

page("int_safe", "자녀안심 인터넷 (유해사이트 차단)", "2026-02-02", """
# 서비스 소개
자녀안심 인터넷은 가정 내 모든 기기의 유해 사이트 접속을 네트워크 단에서 차단하는 부가서비스입니다. 별도 프로그램 설치 없이 공유기에 연결된 PC, 스마트폰, 태블릿 모두에 적용됩니다.

# 주요 기능
- ① 유해 사이트 차단: 성인, 도박, 폭력, 마약 등 12개 분류 자동 차단
- ② 이용 시간 예약: 요일별·시간대별로 인터넷 사용 가능 시간을 설정
- ③ 기기별 설정: 자녀 기기만 골라서 차단 정책 적용
- ④ 접속 리포트: 주간 접속 통계를 보호자 휴대폰으로 발송

# 요금
월 1,650원이며, 신규 가입 시 첫 3개월은 무료입니다. 기가프리미엄 2.5G 이상 가입 고객은 무료로 제공됩니다.
※ 설정은 '한빛 홈' 앱 > 자녀안심 메뉴에서 보호자 인증 후 변경할 수 있습니다.
""", sub="부가서비스", comment="차단 분류 12개 목록은 보안상 비공개")

page("int_pause", "인터넷 일시정지", "2025-12-01", """
# 일시정지 조건
장기 출장, 해외 체류, 입원 등으로 인터넷을 사용하지 않는 기간 동안 서비스를 일시정지할 수 있습니다.
[table cls="tbl_cond" cols="30,70" nothead]
h| 항목 | 기준
| ^신청 가능 횟수 | 연 2회
| ^정지 기간 | 1회 최대 3개월
| ^정지 중 요금 | 월 3,300원 (장비 보관료)
| ^약정 기간 | 정지 기간만큼 자동 연장
[/table]
- 3개월을 초과하는 경우 정지 만료 전 재신청(연 2회 한도 내)해야 합니다.
- 결합상품 이용 고객은 정지 기간에도 결합이 유지되나, 인터넷 결합 할인은 적용되지 않습니다.

# 신청/해제
고객 본인이 고객센터 또는 '한빛 홈' 앱에서 신청합니다. 해제는 고객 요청 즉시 처리되며 해제일부터 정상 요금이 부과됩니다.
""", sub="이용관리")

page("int_faq", "인터넷 자주 묻는 질문(FAQ)", "2026-04-11", """
Q. 기가 속도가 안 나와요. 랜선은 무엇을 써야 하나요?
A. 1Gbps 이상 속도를 쓰려면 CAT.6 이상 규격의 랜선을 사용해야 합니다. CAT.5 랜선은 최대 100Mbps까지만 지원합니다.
Q. 속도 측정은 어디서 하나요?
A. '한빛 스피드체크'(speed.hanbit.example)에서 유선 연결 후 측정하도록 안내합니다.
Q. 인터넷 신청 전에 우리 집이 기가 가능 지역인지 알 수 있나요?
A. 상담 시스템의 [주소 조회 > 제공방식] 메뉴에서 확인합니다. 아파트 LAN 방식은 1Gbps까지만 제공됩니다.
Q. IP 충돌 메시지가 떠요.
A. 공유기와 광모뎀의 전원을 모두 끄고 1분 후 광모뎀부터 켜도록 안내합니다. 계속되면 장애 접수합니다.
Q. 공유기 와이파이 비밀번호를 잊어버렸어요.
A. 공유기 바닥 라벨의 초기 비밀번호를 확인하거나, 리셋 버튼을 10초간 눌러 초기화합니다.
""", enc="utf-8-sig", sub="FAQ")

page("int_coverage", "기가인터넷 제공 방식별 안내 (FTTH/LAN/HFC)", "2026-03-05", """
# 제공 방식 비교
건물의 배선 방식에 따라 가입 가능한 최대 상품이 다릅니다. 상담 전 반드시 주소 조회로 제공 방식을 확인하세요.
[table cls="tbl_compare" caption="제공 방식별 가입 가능 상품"]
h| 제공 방식 | 설명 | 최대 속도 | 가입 가능 상품
| ^FTTH (광랜 직접 인입) | 세대 내까지 광케이블 | 10Gbps | 전 상품
| ^아파트 LAN | 단지 통신실까지 광, 세대는 랜선 | 1Gbps | 기가인터넷 1G까지
| ^HFC (동축케이블) | 케이블TV 동축망 이용 | 500Mbps | 기가라이트 500까지
[/table]
!note 아파트 LAN 단지에서 2.5G 이상 상품을 원하면 '광 업그레이드 공사' 가능 단지인지 확인 후, 단지 공사 일정에 맞춰 가입을 안내합니다.
# 참고
광 업그레이드 공사는 관리사무소 동의가 필요하며, 고객 부담 비용은 없습니다.
""", sub="기가인터넷")

page("int_biz", "소호 인터넷 '한빛 비즈넷'", "2026-01-08", """
# 대상
카페, 음식점, 학원, 소규모 사무실 등 개인사업자 및 소상공인 (사업자등록증 필요)

# 상품 구성
[table cls="tbl" caption="비즈넷 상품 (3년 약정, VAT 포함)"]
h| 상품명 | 속도 | 월 이용료 | 포함 혜택 | 장애 출동
| ^비즈넷 베이직 | 500Mbps | 38,500원 | 업소용 WiFi 1대 | 8시간 이내
| ^비즈넷 프로 | 1Gbps | 55,000원 | 고정IP 1개 포함, 업소용 WiFi 2대 | 4시간 이내
[/table]
- ▶ 포스(POS), 카드단말기 등 결제 장비를 쓰는 매장은 장애 출동이 빠른 비즈넷 프로를 권장합니다.
- ▶ 손님용 WiFi와 업무용 WiFi를 분리(SSID 분리)해 제공합니다.
※ 사업장 주소와 사업자등록증 주소가 달라도 가입 가능하나, 임대차계약서 등 사업장 확인 서류가 필요합니다.
""", sub="소호")

page("int_security", "PC 보안 서비스 '한빛 안심백신'", "2025-10-15", """
# 서비스 개요
한빛 안심백신은 인터넷 가입자를 위한 PC·모바일 통합 백신 서비스입니다.
- 실시간 악성코드 감시
- 랜섬웨어 보호 폴더
- 피싱 사이트 접속 경고

# 요금 및 설치
[table cls="tbl"]
h| 구분 | 내용
| ^월 이용료 | 2,200원
| ^설치 가능 기기 | 최대 3대 (PC·스마트폰 합산)
| ^무료 제공 | 기가프리미엄 2.5G, 10기가 플래티넘 가입 고객
[/table]
설치 파일은 '한빛 홈' 앱 또는 고객 전용 홈페이지에서 내려받습니다. 기기 교체 시에는 기존 기기에서 라이선스를 해제한 뒤 새 기기에 설치하도록 안내합니다.
""", malformed=1, sub="부가서비스")

page("int_speed_change", "인터넷 속도(상품) 변경", "2026-02-24", """
# 상향 변경 (예: 기가라이트 500 → 기가인터넷 1G)
- 약정은 그대로 승계되며, 변경에 따른 별도 수수료나 할인반환금은 없습니다.
- 원격 변경이 가능한 경우 신청 당일 적용됩니다.
- 2.5G 이상으로 변경 시 광모뎀 교체를 위해 기사 방문이 필요합니다.

# 하향 변경 (예: 기가인터넷 1G → 기가라이트 500)
- 약정 기간 1년 이상 경과한 고객만 신청할 수 있습니다.
- 하향 변경 시 할인반환금은 발생하지 않으며, 잔여 약정 기간은 그대로 유지됩니다.
- 1년 미만 고객이 하향을 원하면 해지 후 재가입으로 안내하지 말고, 1년 경과 시점을 안내합니다.

# 처리 절차
+ 고객 본인 확인
+ 제공 방식 확인 (HFC 지역은 기가라이트 500까지만 가능)
+ 변경 신청 등록 및 적용일 안내
!warn 속도 변경은 월 1회까지 가능합니다.
""", sub="이용관리")


# ===========================================================================
# IPTV
# ===========================================================================
category("IPTV")

page("tv_plans", "한빛TV 요금제 비교", "2026-04-01", """
한빛TV는 셋톱박스를 통해 실시간 채널과 VOD를 제공하는 IPTV 서비스입니다. 고객의 시청 성향에 맞는 요금제를 아래 비교표로 안내하세요.
[table cls="tbl_compare" caption="한빛TV 요금제 한눈에 보기" layout side="※ 3년 약정 기준 // ※ 셋톱박스 임대료 별도"]
h| 구분 | 한빛TV 라이트 | 한빛TV 베이직 | 한빛TV 에센스 | 한빛TV 프리미엄
| ^채널 수 | 110개 | 236개 | 250개 | 265개
| ^월 이용료 (3년 약정) | 9,900원 | 16,500원 | 18,700원 | 27,500원
| ^월 이용료 (무약정) | 14,300원 | 22,000원 | 24,200원 | 34,100원
| ^UHD 채널 | 없음 | 5개 | 12개 | 20개
| ^VOD 혜택 | - | {c2}매월 영화 1편 무료 쿠폰 | 무비프리 월정액 포함
| ^추천 고객 | 지상파·뉴스 위주 시청 | 일반 가정 | 스포츠·해외 드라마 | 영화·드라마 마니아
[/table]
## 상담 포인트
- ▶ 어르신 단독 가구, 지상파 위주 시청 고객: 한빛TV 라이트
- ▶ 골프·바둑 등 취미 채널을 찾는 고객: 에센스 이상 (채널 편성표 확인)
- ▶ 요금제 상향은 언제든 가능, 하향은 약정 1년 경과 후 가능
@rel tv_channel_lineup tv_settop bnd_home
""", sub="요금제", first_date="2023-09-01")

page("tv_settop", "셋톱박스 종류 및 임대료", "2026-02-18", """
# 셋톱박스 라인업
[table cls="tbl" caption="셋톱박스별 특징과 월 임대료"]
h| 셋톱박스 | 주요 기능 | 월 임대료 | 비고
| ^UHD 셋톱 | 4K UHD 시청, 기본 리모컨 | 월 4,400원 | 3년 약정 시 임대료 면제
| ^AI 셋톱 | 4K UHD, 음성 검색·AI 스피커 내장 | 월 6,600원 | 한빛TV 프리미엄 가입 시 면제
| ^한빛 TV 플러스 박스 | 안드로이드 TV, OTT 앱 설치 | 월 7,700원 | 무비온·플레이박스 앱 기본 탑재
[/table]
# 교체 안내
- 셋톱 기종 변경은 기사 방문으로 진행하며 교체 출장비 11,000원이 부과됩니다.
- 설치 후 1년 이내 기기 결함으로 인한 교체는 무료입니다.
@file 셋톱박스 후면 단자 안내 그림 | files/셋톱_후면단자.png
""", sub="장비")

page("tv_multiroom", "추가 TV(멀티룸) 서비스", "2025-09-30", """
# 서비스 내용
한 가구에서 거실 외 방에도 TV를 추가로 연결해 시청하는 서비스입니다.
- ○ 최대 3대까지 추가할 수 있습니다. (주 TV 포함 최대 4대)
- ○ 추가 TV 1대당 월 5,500원 (셋톱박스 임대료 포함)
- ○ 추가 TV 설치비: 1대당 11,000원
- ○ 추가 TV는 주 TV와 동일한 요금제가 적용됩니다.
# 유의사항
※ 유료 VOD 구매 내역과 VOD 월정액은 모든 TV에서 공유됩니다.
※ 추가 TV만 단독으로 해지할 수 있으며, 이 경우 할인반환금은 없습니다.
[table cls="tbl" caption="추가 TV 요금 예시 (3년 약정)"]
h| 구성 | 월 합계
| ^주 TV (베이직) + 추가 TV 1대 | 22,000원
| ^주 TV (베이직) + 추가 TV 2대 | 27,500원
[/table]
""", sub="부가서비스", skin="board")

page("tv_vod_packs", "VOD 월정액 팩 안내", "2026-03-20", """
# 월정액 상품
[table cls="tbl_vod" caption="VOD 월정액 (VAT 포함)" cols="20,15,45,20"]
h| 상품명 | 월 이용료 | 주요 콘텐츠 | 비고
| ^무비프리 | 11,000원 | 최신 영화 1,200여 편 무제한 | 한빛TV 프리미엄 무료
| ^키즈랜드 | 9,900원 | 유아·어린이 애니메이션, 동요, 영어 학습 | 만 12세 이하 자녀 가구 추천
| ^애니팩 | 6,600원 | 극장판·TV 애니메이션 | -
| ^스포츠 플러스 | 5,500원 | 해외 축구·야구 경기 다시보기 | -
| ^지식채널팩 | 3,300원 | 다큐멘터리, 교양 강연 | -
[/table]
# 가입/해지 규정
+ 가입: 리모컨 [VOD] > [월정액] 메뉴 또는 고객센터에서 가입, 가입 즉시 이용
+ 해지: 해지 신청 시 당월 말일까지 이용 가능하며 일할 계산되지 않습니다.
+ 첫 가입 고객은 최초 1개월 무료 체험을 1회 제공합니다.
""", sub="VOD")

CHANNELS = [  # number, name, genre, plans
    (1, "한빛TV 안내", "안내", "라이트 이상"), (5, "SBS", "지상파", "라이트 이상"), (7, "KBS2", "지상파", "라이트 이상"),
    (9, "KBS1", "지상파", "라이트 이상"), (11, "MBC", "지상파", "라이트 이상"), (13, "EBS1", "지상파", "라이트 이상"),
    (14, "EBS2", "지상파", "라이트 이상"), (15, "한빛쇼핑", "홈쇼핑", "라이트 이상"), (16, "홈앤라이프쇼핑", "홈쇼핑", "라이트 이상"),
    (20, "뉴스온24", "보도", "라이트 이상"), (21, "데일리경제TV", "경제", "라이트 이상"), (22, "팩트뉴스", "보도", "라이트 이상"),
    (30, "드라마큐브", "드라마", "라이트 이상"), (31, "드라마온", "드라마", "라이트 이상"), (32, "시니어드라마", "드라마", "베이직 이상"),
    (40, "예능플러스", "예능", "베이직 이상"), (41, "코미디팡", "예능", "베이직 이상"), (42, "리얼리티원", "예능", "베이직 이상"),
    (50, "무비나인", "영화", "베이직 이상"), (51, "시네클래식", "영화", "에센스 이상"), (52, "액션무비", "영화", "에센스 이상"),
    (60, "키즈튠", "어린이", "베이직 이상"), (61, "애니박스", "어린이", "베이직 이상"), (62, "베이비랜드", "어린이", "에센스 이상"),
    (70, "스포츠원", "스포츠", "베이직 이상"), (71, "스포츠투", "스포츠", "에센스 이상"), (72, "한빛골프", "스포츠", "에센스 이상"),
    (73, "바둑TV플러스", "취미", "에센스 이상"), (74, "낚시온", "취미", "에센스 이상"), (80, "다큐원", "교양", "베이직 이상"),
    (81, "지식채널H", "교양", "베이직 이상"), (82, "히스토리온", "교양", "에센스 이상"), (83, "여행의발견", "교양", "에센스 이상"),
    (90, "요리왕TV", "라이프", "베이직 이상"), (91, "라이프스타일온", "라이프", "베이직 이상"), (92, "패션앤뷰티", "라이프", "베이직 이상"),
    (100, "글로벌뉴스 인터내셔널", "해외", "에센스 이상"), (101, "재팬드라마", "해외", "에센스 이상"), (102, "차이나무비", "해외", "프리미엄 전용"),
    (110, "클래식아트", "음악", "베이직 이상"), (111, "뮤직K", "음악", "베이직 이상"), (112, "트로트채널", "음악", "라이트 이상"),
    (120, "한빛시네마 골드", "영화", "프리미엄 전용"), (121, "UHD 네이처", "UHD", "프리미엄 전용"), (122, "UHD 시네마", "UHD", "프리미엄 전용"),
    (130, "평화종교방송", "종교", "라이트 이상"), (131, "불교문화TV", "종교", "라이트 이상"), (140, "국회방송K", "공공", "라이트 이상"),
    (141, "정책브리핑TV", "공공", "라이트 이상"), (150, "한빛 지역채널", "지역", "라이트 이상"),
]
ASSETS[F_CHANNELS].payload = ("편성표", [["채널번호", "채널명", "장르", "제공 요금제"]] + [list(c) for c in CHANNELS])

page("tv_channel_lineup", "한빛TV 주요 채널 편성표 (2026년 5월)", "2026-05-02", """
2026년 5월 기준 주요 채널의 번호와 제공 요금제입니다. 전체 채널 목록은 첨부 엑셀을 참고하세요.
!note 채널 번호는 지역(권역)에 따라 일부 다를 수 있습니다. 아래는 수도권 기준입니다.
[table cls="tbl_ch" caption="주요 채널 번호 및 제공 요금제" cols="12,38,20,30"]
h| 채널 | 채널명 | 장르 | 제공 요금제
""" + "\n".join(f"| {n} | {name} | {g} | {pl} |" for n, name, g, pl in CHANNELS) + """
[/table]
※ '프리미엄 전용' 채널은 한빛TV 프리미엄 가입 시에만 시청할 수 있습니다.
@file 채널편성표 전체 (엑셀) | """ + quote_path(F_CHANNELS) + """
""", sub="채널", skin="lite")

page("tv_parental", "시청 제한(자녀 보호) 설정 방법", "2024-08-12", """
# 설정 경로
리모컨으로 아래 순서대로 설정합니다.
+ [메뉴] 버튼 → [설정] 선택
+ [자녀 보호] 선택 후 비밀번호 4자리 입력 (초기 비밀번호 0000)
+ [시청 연령 제한]에서 7세 / 12세 / 15세 / 19세 중 선택
+ 필요 시 [채널 잠금]에서 특정 채널을 잠금
# 비밀번호 분실
- 고객센터에서 명의자 본인 확인 후 비밀번호를 0000으로 초기화합니다.
- 초기화 후 반드시 비밀번호를 변경하도록 안내합니다.
※ 성인 VOD 구매 비밀번호와 자녀 보호 비밀번호는 별개입니다.
""", enc="cp949", sub="이용방법")

page("tv_remote", "음성 리모컨 페어링 및 분실", "2026-01-27", """
# 페어링(연결) 방법
AI 셋톱의 음성 리모컨이 작동하지 않으면 다시 페어링하도록 안내합니다.
- ① 셋톱박스 전원을 켜고 TV 화면이 나오는지 확인합니다.
- ② 리모컨을 셋톱박스 30cm 이내로 가져갑니다.
- ③ 홈 버튼과 음성 버튼을 동시에 5초간 누릅니다.
- ④ 리모컨 상단 LED가 깜빡인 후 화면에 '연결 완료'가 표시되면 완료입니다.
@img img/remote_pairing.png | 음성 리모컨 버튼 위치 | 그림) 홈 버튼과 음성 버튼 위치
!tip 배터리(AAA 2개) 잔량이 부족하면 페어링이 실패합니다. 새 배터리로 교체 후 다시 시도하세요.
# 리모컨 분실·파손
리모컨 분실 또는 고객 과실 파손 시 새 리모컨을 11,000원에 구매할 수 있으며, 택배로 발송됩니다(2~3일 소요).
""", sub="장비", noscript=True)

page("tv_ott", "OTT 구독 부가서비스 (무비온·플레이박스)", "2026-03-11", """
# 서비스 개요
한빛 고객은 제휴 OTT를 할인된 요금으로 구독할 수 있고, 요금은 통신 요금과 함께 청구됩니다.
[table cls="tbl" caption="OTT 구독 요금 (월, VAT 포함)"]
h| 상품 | 정상가 | 한빛 고객가 | 동시 시청
| ^무비온 프리미엄 | 13,900원 | 11,900원 | 4대
| ^플레이박스 스탠다드 | 10,900원 | 9,500원 | 2대
| ^OTT 더블팩 (두 서비스 모두) | 24,800원 | 19,800원 | 각 서비스 기준
[/table]
- 5G 프리미어 플러스 요금제 가입 고객은 OTT 1종을 무료로 선택할 수 있습니다.
- 한빛 TV 플러스 박스에서는 두 앱이 기본 설치되어 TV로 바로 시청할 수 있습니다.
※ OTT 계정 비밀번호 분실 등 계정 문의는 각 OTT 고객센터로 안내합니다.
""", sub="부가서비스", charset="none", skin="lite")

page("tv_faq", "IPTV 자주 묻는 질문", "2026-02-27", """
Q. TV 화면이 안 나오고 '신호 없음'이 떠요.
A. TV 외부입력이 셋톱박스에 연결된 HDMI로 되어 있는지 먼저 확인하고, 셋톱 전원을 뽑았다가 10초 후 다시 꽂도록 안내합니다.
Q. 셋톱박스를 다른 방으로 옮기고 싶어요.
A. 같은 집 안 이동은 기사 방문으로 진행하며 출장비 11,000원이 부과됩니다. 랜 단자가 있으면 고객이 직접 옮겨도 됩니다.
Q. VOD 구매 비밀번호를 잊었어요.
A. 명의자 본인 확인 후 고객센터에서 초기화합니다. 초기화된 비밀번호는 0000입니다.
Q. 채널 번호가 갑자기 바뀌었어요.
A. 매월 채널 개편 공지를 확인하세요. 최신 번호는 채널 편성표 문서를 참고합니다.
""", sub="FAQ")

page("tv_vod_refund", "VOD 구매 취소 및 환불 기준", "2025-12-15", """
# 환불 기준
고객이 유료 VOD를 잘못 구매한 경우 아래 기준으로 처리합니다.
[table cls="tbl" caption="VOD 구매 취소 기준"]
h| 상황 | 환불 여부 | 처리 방법
| ^재생 전 (구매 후 7일 이내) | 전액 환불 | 상담사가 즉시 구매 취소
| ^재생 시작 후 | 환불 불가 | 구매 제한 설정 안내
| ^시스템 오류로 재생 불가 | 전액 환불 | 장애 확인 후 취소, 쿠폰 1장 추가 지급
| ^월정액 중복 구매 | 나중 구매분 환불 | 빌링팀 이관
[/table]
# 재발 방지 안내
자녀의 오구매가 잦은 가구에는 VOD 구매 비밀번호 설정과 월 구매 한도 설정(기본 100,000원, 최소 10,000원)을 권장합니다.
""", sub="VOD", malformed=2)

page("tv_mobile_app", "모바일 한빛TV 앱", "2026-04-07", """
# 서비스 개요
모바일 한빛TV는 스마트폰·태블릿에서 실시간 채널과 VOD를 시청하는 앱입니다.
- ■ 한빛TV 가입 고객: 무료 (동시 접속 2대)
- ■ 한빛TV 미가입 고객: 월 5,500원 (라이브 채널 80개)
- ■ 시청 시 데이터가 차감되므로 WiFi 환경 시청을 안내합니다.
# 로그인
한빛 ID로 로그인하며, TV 명의자의 ID와 연결해야 VOD 구매 내역이 공유됩니다.
!note 해외에서는 저작권 문제로 실시간 채널이 제공되지 않습니다. (VOD 일부만 가능)
""", sub="부가서비스")

page("tv_paid_channels", "유료 채널(프리미엄 채널) 가입 안내", "2025-11-20", """
# 유료 채널 목록
[table cls="tbl" tdhead]
h| 채널/패키지 | 월 이용료 | 내용
| 한빛시네마 골드 | 4,400원 | 최신 개봉작 영화 채널 (프리미엄 요금제 포함)
| 해외스포츠 프라임 | 5,500원 | 해외 축구 리그 생중계
| 바둑·낚시 패키지 | 3,300원 | 바둑TV플러스 + 낚시온 (라이트·베이직 고객용)
| 재팬드라마 단품 | 3,300원 | 일본 드라마 전문 채널
[/table]
가입 즉시 시청할 수 있고, 해지는 다음 달 1일 0시에 반영됩니다. 유료 채널은 약정이 없습니다.
""", sub="채널", skin="lite")


# ===========================================================================
# 모바일 요금제
# ===========================================================================
category("모바일 요금제")

# name, monthly, data, speed after cap, benefit
MOB_5G = [
    ("5G 슬림플러스", 49000, "12GB", "1Mbps", "-"),
    ("5G 스탠다드", 61000, "50GB", "1Mbps", "-"),
    ("5G 스탠다드 플러스", 69000, "110GB", "5Mbps", "쉐어링 1회선 무료"),
    ("5G 프리미어 레귤러", 89000, "무제한", "-", "쉐어링 2회선 무료"),
    ("5G 프리미어 플러스", 105000, "무제한", "-", "OTT 1종 무료, 쉐어링 2회선 무료"),
]
_mob_rows = "\n".join(
    f"| ^{n} | {won(p)} | {d} | {s} | {won(p * 3 // 4)} | {b} |" for n, p, d, s, b in MOB_5G
)

page("mob_5g_plans", "5G 요금제 안내", "2026-04-01", f"""
# 요금제 구성
2026년 4월 1일부터 5G 요금제가 개편되어 데이터 제공량이 늘고, 중간 구간의 **5G 스탠다드 플러스**가 신설되었습니다.
[table cls="tbl_plan" caption="5G 요금제 (VAT 포함)"]
h| {{r2}}요금제 | {{r2}}월정액 | {{c2}}데이터 | {{r2}}선택약정 시 월 요금 | {{r2}}추가 혜택
h| 기본 제공 | 소진 후 속도
{_mob_rows}
[/table]
※ 음성·문자는 전 요금제 기본 제공(집·이동전화 무제한, 영상·부가통화 300분)입니다.
※ 선택약정 시 월 요금은 25% 할인 적용 금액입니다.
# 요금제 추천 기준
- ▶ 월 데이터 10GB 안팎: 5G 슬림플러스
- ▶ 월 데이터 100GB 내외, 무제한까지는 불필요: 5G 스탠다드 플러스
- ▶ 영상 시청·테더링이 많은 고객: 5G 프리미어 레귤러 이상
@rel mob_selective mob_subsidy mob_data_sharing
""", sub="5G", first_date="2024-10-01")

old_page("mob_5g_plans", "2025-10-01", """
# 요금제 구성
[table cls="tbl_plan" caption="5G 요금제 (VAT 포함)"]
h| 요금제 | 월정액 | 데이터 | 소진 후 속도
| ^5G 슬림플러스 | 55,000원 | 10GB | 1Mbps
| ^5G 스탠다드 | 65,000원 | 40GB | 1Mbps
| ^5G 프리미어 레귤러 | 89,000원 | 무제한 | -
| ^5G 프리미어 플러스 | 105,000원 | 무제한 | -
[/table]
※ 음성·문자는 전 요금제 기본 제공입니다.
""", old_suffix="_v1", skin="lite", old_banner=False, old_status_meta=True)

page("mob_lte_plans", "LTE 요금제 안내", "2025-06-16", """
# LTE 세이브
- 월정액 33,000원 / 데이터 3GB (소진 후 400kbps)
- 데이터 사용이 적은 고객, 세컨드폰 추천
# LTE 스마트
- 월정액 45,000원 / 데이터 8GB (소진 후 1Mbps)
# LTE 데이터 무제한
- 월정액 69,000원 / 매일 2GB 제공, 소진 후 3Mbps로 무제한
- 테더링은 월 20GB까지 가능
※ LTE 요금제는 5G 단말에서도 가입할 수 있습니다. 단, 5G 망은 이용할 수 없습니다.
# 요약
[table cls="tbl" summary="LTE 요금제 요약"]
h| 요금제 | 월정액 | 기본 데이터
| LTE 세이브 | 33,000원 | 3GB
| LTE 스마트 | 45,000원 | 8GB
| LTE 데이터 무제한 | 69,000원 | 매일 2GB
[/table]
※ 음성·문자는 전 요금제 기본 제공입니다.
""", enc="cp949", sub="LTE", crlf=True)

page("mob_youth", "청소년 요금제 및 가입 서류", "2026-03-03", """
# 대상
만 19세 미만 청소년 (가입일 기준). 만 19세가 되는 달의 다음 달에 일반 요금제로 자동 변경됩니다.
# 요금제
[table cls="tbl"]
h| 요금제 | 월정액 | 데이터 | 비고
| ^5G 틴 | 39,000원 | 8GB (소진 후 400kbps) | 부모 알림 서비스 무료
| ^LTE 틴 | 25,000원 | 3GB (소진 후 200kbps) | -
[/table]
# 가입 시 필요 서류
- ① 법정대리인 동의서 (법정대리인 자필 서명)
- ② 가족관계증명서 (발급 3개월 이내)
- ③ 법정대리인 신분증
!warn 청소년 회선은 청소년 보호법에 따라 유해정보 차단 앱 설치가 의무입니다. 개통 시 자동 설치되며, 삭제되면 보호자에게 알림 문자가 발송됩니다.
@file 법정대리인 동의서 양식 | files/법정대리인동의서.pdf
""", sub="연령별 요금제")

page("mob_senior", "시니어 요금제 (만 65세 이상)", "2026-02-05", """
시니어 요금제는 가입 연령에 따라 선택할 수 있는 요금제가 다릅니다. 가입 시 신분증으로 나이를 확인합니다.
[table cls="tbl_senior" caption="시니어 요금제" cols="18,27,15,15,25"]
h| 가입 연령 | 요금제 | 월정액 | 데이터 | 음성·부가
| ^{r2}만 65세 이상 | 5G 시니어 베이직 | 43,000원 | 10GB | 무제한
| LTE 시니어 세이브 | 27,500원 | 2GB | 무제한
| ^{r2}만 70세 이상 | 5G 시니어 플러스 | 39,000원 | 12GB | 무제한
| LTE 시니어 효도 | 22,000원 | 1.5GB | 무제한, 영상통화 300분
[/table]
# 상담 팁
데이터를 거의 사용하지 않고 통화 위주인 어르신은 LTE 요금제를 우선 안내합니다. 자녀 휴대폰과 영상통화를 자주 하시는 경우 영상통화 300분이 포함된 요금제를 권합니다.
※ 복지할인(기초연금 수급자 등)과 중복 적용됩니다.
""", sub="연령별 요금제")

SUBSIDY_MODELS = [
    ("노바전자", "노바 S26", 1155000), ("노바전자", "노바 S26+", 1353000), ("노바전자", "노바 S26 울트라", 1797400),
    ("노바전자", "노바 Z 플립7", 1485000), ("노바전자", "노바 Z 폴드7", 2379300), ("노바전자", "노바 S25 FE", 946000),
    ("노바전자", "노바 S25", 1155000), ("노바전자", "노바 S25 울트라", 1698400), ("노바전자", "노바 Z 플립6", 1393700),
    ("노바전자", "노바 A56", 599500), ("노바전자", "노바 A36", 499400), ("노바전자", "노바 A17", 319000),
    ("노바전자", "노바 퀀텀5", 618200), ("노바전자", "노바 와이드8", 399300), ("노바전자", "노바 탭 S10", 1098900),
    ("아이리스", "아이리스 17", 1250000), ("아이리스", "아이리스 17 에어", 1590000), ("아이리스", "아이리스 17 프로", 1780000),
    ("아이리스", "아이리스 17 프로 맥스", 1990000), ("아이리스", "아이리스 16e", 990000), ("아이리스", "아이리스 16", 1250000),
    ("아이리스", "아이리스 16 프로", 1550000), ("아이리스", "아이리스 15", 1090000),
    ("LK전자", "LK 벨벳3", 899800), ("LK전자", "LK Q93", 539000), ("LK전자", "LK 스타일로7", 429000), ("LK전자", "LK 폴더2", 242000),
    ("모토라", "모토라 엣지 60", 649000), ("모토라", "모토라 G86", 399000), ("모토라", "모토라 레이저 60", 1199000),
    ("샤오링", "샤오링 레드미 15", 299000), ("샤오링", "샤오링 15T", 699000), ("샤오링", "샤오링 15T 프로", 899000),
    ("한빛 자체", "한빛 키즈폰 U2", 198000), ("한빛 자체", "한빛 키즈워치2", 264000), ("한빛 자체", "한빛 효도폰 S", 176000),
    ("한빛 자체", "한빛 스마트폰 H1", 385000), ("픽셀온", "픽셀온 10", 1090000), ("픽셀온", "픽셀온 10 프로", 1390000),
    ("픽셀온", "픽셀온 10a", 649000), ("노바전자", "노바 워치8", 399300), ("노바전자", "노바 워치8 클래식", 529100),
    ("아이리스", "아이리스 워치 11", 599000), ("노바전자", "노바 Z 폴드 스페셜", 2789600), ("LK전자", "LK 와인폰 5", 319000),
]


def subsidy(i: int, price: int) -> tuple[int, int, int, int]:
    """Deterministic 공시지원금 (slim, standard, premier tier) and 추가지원금 (15% of premier)."""
    slim = price * (8 + (i % 5) * 2) // 100 // 10000 * 10000
    std = slim + price * 6 // 100 // 10000 * 10000
    prem = min(std + price * 10 // 100 // 10000 * 10000, 700000)
    return slim, std, prem, prem * 15 // 100 // 10 * 10


def _subsidy_rows() -> str:
    rows, prev = [], None
    counts: dict[str, int] = {}
    for mk, _, _ in SUBSIDY_MODELS:
        counts[mk] = counts.get(mk, 0) + 1
    # group by maker (stable), so the maker column can use rowspan
    grouped = sorted(enumerate(SUBSIDY_MODELS), key=lambda t: (list(counts).index(t[1][0]), t[0]))
    for i, (mk, model, price) in grouped:
        s1, s2, s3, ex = subsidy(i, price)
        head = f"^{{r{counts[mk]}}}{mk} | " if mk != prev else ""
        rows.append(f"| {head}{model} | {won(price)} | {won(s1)} | {won(s2)} | {won(s3)} | {won(ex)} |")
        prev = mk
    return "\n".join(rows)


def subsidy_of(model: str) -> tuple[int, int, int, int]:
    for i, (_, m, price) in enumerate(SUBSIDY_MODELS):
        if m == model:
            return subsidy(i, price)
    raise KeyError(model)


ASSETS[F_SUBSIDY].payload = ("공시지원금", [["제조사", "모델명", "출고가", "슬림", "스탠다드", "프리미어", "추가지원금"]] + [
    [mk, m, p, *subsidy(i, p)] for i, (mk, m, p) in enumerate(SUBSIDY_MODELS)
])

page("mob_subsidy", "단말기 공시지원금 (2026년 5월)", "2026-05-04", """
# 적용 기준
- 공시 기간: 2026년 5월 4일 ~ 별도 공지 시까지
- 요금군: 슬림(5G 슬림플러스, LTE 세이브 등) / 스탠다드(5G 스탠다드, 5G 스탠다드 플러스) / 프리미어(5G 프리미어 레귤러 이상)
- 추가지원금은 유통망(대리점·판매점)에서 공시지원금의 15% 이내로 지급합니다.
[table cls="tbl_subsidy" caption="단말기별 공시지원금 (단위: 원, VAT 포함)"]
h| {r2}제조사 | {r2}모델명 | {r2}출고가 | {c3}공시지원금 | {r2}추가지원금(최대)
h| 슬림 | 스탠다드 | 프리미어
""" + _subsidy_rows() + """
[/table]
!warn 공시지원금을 받은 고객은 183일 이내 요금제를 하향하면 차액 정산금이 청구됩니다. 공시지원금과 선택약정 할인은 중복 적용되지 않습니다.
@file 2026년 5월 단말기 지원금표 (엑셀) | files/단말기지원금_2026_05.xlsx
@rel mob_selective mob_plan_change
""", sub="단말/지원금", skin="kms")

page("mob_selective", "선택약정 할인 (요금할인 25%)", "2026-01-12", """
# 개요
선택약정 할인은 공시지원금 대신 매월 요금제 월정액의 25%를 할인받는 제도입니다.
# 가입 조건
- 공시지원금을 받지 않은 단말 (자급제폰, 중고폰, 약정 만료 단말 포함)
- 약정 기간: 12개월 또는 24개월
- 기존 선택약정 만료 30일 전부터 재약정 가능
# 계산 예시
5G 프리미어 레귤러(월 89,000원)로 24개월 약정 시 월 22,250원 할인, 24개월 총 534,000원을 할인받습니다.
# 할인반환금
약정 기간 중 해지하면 그동안 받은 할인액의 일부를 반환합니다.
[table cls="tbl"]
h| 약정 기간 | 사용 기간 | 반환 비율
| ^{r2}12개월 | 6개월 이하 | 100%
| 7~12개월 | 할인액의 50%
| ^{r3}24개월 | 12개월 이하 | 100%
| 13~18개월 | 할인액의 60%
| 19~24개월 | 할인액의 30%
[/table]
@rel mob_subsidy trm_refund_rule
""", sub="단말/지원금", skin="lite")

page("mob_roaming", "해외 로밍 '한빛 로밍패스'", "2026-03-28", """
# 로밍패스 요금
[table cls="tbl_roam" caption="로밍패스 (데이터 + 현지·한국 통화 무료 수신)" layout side="※ 사용 기간은 첫 데이터 사용 시점부터 계산"]
h| {r2}상품 | {r2}적용 국가 | {c3}이용 기간별 요금 (제공 데이터)
h| 5일 | 10일 | 30일
| ^아시아 로밍패스 | 일본·중국·베트남·태국 등 24개국 | 19,800원 (4GB) | 29,700원 (6GB) | 39,600원 (10GB)
| ^글로벌 로밍패스 | 미국·유럽 등 120개국 | 34,650원 (5GB) | 52,800원 (8GB) | 69,300원 (15GB)
| ^크루즈 패스 | 선박 위성망 | {c3}1일 22,000원 (500MB)
[/table]
# 가입 방법
+ '한빛 로밍' 앱 또는 고객센터(해외에서 +82-2-2114-0114, 무료)에서 가입
+ 출국 전 가입 권장, 현지 도착 후 휴대폰 재부팅
# 로밍패스 미가입 시
데이터 종량 요금이 0.5KB당 2.75원으로 과금되며, 일 최대 11,000원에서 차단(데이터 로밍 요금 상한)됩니다.
""", sub="로밍")

ADDONS = [  # name, fee, description, group
    ("통화가능알림", "550원", "통화 중·전원 꺼짐이었던 상대방이 통화 가능해지면 문자 알림", "통화"),
    ("컬러링", "1,100원", "발신자에게 통화 연결음 대신 음악 재생", "통화"),
    ("V컬러링", "2,200원", "영상 통화 연결음 (영상 컬러링)", "통화"),
    ("통화녹음 플러스", "1,650원", "통화 자동 녹음 및 클라우드 90일 보관", "통화"),
    ("음성사서함", "무료", "부재중 음성 메시지 저장", "통화"),
    ("착신전환", "무료", "걸려오는 전화를 다른 번호로 전환", "통화"),
    ("듀얼넘버", "3,300원", "한 휴대폰에서 두 개의 번호 사용", "통화"),
    ("발신번호 표시제한 해제", "무료", "발신번호 표시제한 전화의 번호 확인 (범죄 신고용 제외)", "통화"),
    ("스팸차단 플러스", "무료", "스팸 전화·문자 자동 차단 및 신고", "보안"),
    ("번호도용문자차단", "무료", "내 번호가 스팸 발송에 도용되는 것을 차단", "보안"),
    ("명의도용 방지", "무료", "내 명의로 신규 가입 시 즉시 알림", "보안"),
    ("분실폰 찾기", "무료", "분실 휴대폰 위치 조회 및 원격 잠금", "보안"),
    ("안심귀가", "1,650원", "귀가 경로 공유 및 비상 알림", "안전"),
    ("가족 위치 알림", "2,200원", "가족 구성원 위치 조회 (동의 필요)", "안전"),
    ("자녀 폰 지킴이", "무료", "청소년 유해정보 차단 (청소년 필수)", "안전"),
    ("폰케어 라이트", "3,300원", "휴대폰 파손 보험 (자기부담금 25%)", "보험"),
    ("폰케어 플러스", "5,900원", "분실·도난·파손 보험 (자기부담금 30%)", "보험"),
    ("폰케어 아이리스 전용", "8,900원", "아이리스 단말 분실·파손 보험", "보험"),
    ("데이터 안심옵션", "3,300원", "기본 데이터 소진 후 1Mbps로 계속 이용", "데이터"),
    ("데이터 쿠폰팩 1GB", "5,500원", "1회성 데이터 1GB 충전", "데이터"),
    ("데이터 쿠폰팩 3GB", "9,900원", "1회성 데이터 3GB 충전", "데이터"),
    ("테더링 추가팩", "4,400원", "테더링 한도 10GB 추가", "데이터"),
    ("데이터 선물하기", "무료", "가족·지인에게 데이터 선물 (월 2회)", "데이터"),
    ("스마트워치 쉐어링", "11,000원", "워치에서 휴대폰 데이터·번호 공유", "쉐어링"),
    ("태블릿 쉐어링", "무료", "요금제 쉐어링 데이터를 태블릿에서 사용", "쉐어링"),
    ("넘버플러스", "3,300원", "휴대폰 번호를 워치·태블릿에서 동시 수신", "쉐어링"),
    ("지니뮤직 한빛팩", "7,700원", "음원 스트리밍 무제한", "콘텐츠"),
    ("밀리북스", "9,900원", "전자책 무제한 구독", "콘텐츠"),
    ("웹툰 패스", "4,400원", "유료 웹툰 미리보기 월 30편", "콘텐츠"),
    ("무비온 프리미엄", "11,900원", "OTT 구독 (한빛 고객가)", "콘텐츠"),
    ("플레이박스 스탠다드", "9,500원", "OTT 구독 (한빛 고객가)", "콘텐츠"),
    ("클라우드 100GB", "2,200원", "사진·연락처 자동 백업", "생활"),
    ("클라우드 1TB", "8,800원", "대용량 백업", "생활"),
    ("모바일 팩스", "1,100원", "휴대폰으로 팩스 송수신", "생활"),
    ("명함 문자", "550원", "통화 후 내 명함 자동 발송", "생활"),
    ("통화 후 광고 차단", "무료", "통화 종료 후 광고 화면 차단", "생활"),
    ("해외 안심 차단", "무료", "해외 데이터 로밍 자동 차단", "로밍"),
    ("로밍 안심 알림", "무료", "출국 시 로밍 요금 안내 문자", "로밍"),
    ("소액결제 차단", "무료", "휴대폰 소액결제 전면 차단", "결제"),
    ("정보이용료 차단", "무료", "ARS·콘텐츠 정보이용료 차단", "결제"),
    ("소액결제 알림", "무료", "결제 시마다 문자 알림", "결제"),
    ("부모 알림 서비스", "무료", "청소년 회선 결제·데이터 소진 시 보호자 알림", "결제"),
]
ASSETS[F_ADDONS].payload = ("부가서비스", [["서비스명", "월 이용료", "내용", "분류"]] + [list(a) for a in ADDONS])

page("mob_addon_list", "모바일 부가서비스 전체 목록", "2026-04-22", """
고객센터에서 가입·해지할 수 있는 모바일 부가서비스 목록입니다. 월 이용료는 VAT 포함 금액이며, 가입 당월은 일할 계산됩니다.
[table cls="tbl_addon" caption="부가서비스 목록 (2026.04 기준)" cols="10,25,15,50"]
h| 분류 | 서비스명 | 월 이용료 | 내용
""" + "\n".join(f"| {g} | ^{n} | {fee} | {d} |" for n, fee, d, g in ADDONS) + """
[/table]
※ '무료' 서비스도 고객 동의 없이 임의로 가입시키지 않습니다.
@file 부가서비스 목록 (엑셀 다운로드) | ../manuals/files/부가서비스목록.xlsx
""", sub="부가서비스")

page("mob_number_port", "번호이동(MNP) 가입 절차", "2026-02-13", """
# 번호이동 처리 절차
+ ① 고객 본인 확인 (신분증 진위 확인)
+ ② 이동 전 통신사 인증: 휴대폰 인증 또는 이전 통신사 요금 납부 카드·계좌 인증
+ ③ 미납 요금 및 단말 할부금 확인 (이전 통신사에서 다음 달 청구)
+ ④ 번호이동 신청 등록 후 유심 또는 eSIM 개통
+ ⑤ 개통 완료 문자 발송 및 이전 통신사 자동 해지 안내
# 기준
[table cls="tbl" nothead]
h| 항목 | 내용
| ^번호이동 가능 시간 | 평일·토요일 10:00~19:50 (일요일·공휴일 불가)
| ^번호이동 수수료 | 800원 (첫 달 요금에 청구)
| ^재이동 제한 | 번호이동 후 3개월 이내 재이동 불가
[/table]
@file 번호이동 신청서 | files/번호이동신청서.pdf
""", sub="가입")

page("mob_plan_change", "요금제 변경 규정", "2025-12-22", """
# 변경 횟수와 적용 시점
요금제는 월 1회 변경할 수 있으며, 고객이 '즉시 변경' 또는 '다음 달 1일 변경' 중 선택합니다. 즉시 변경 시 변경 전·후 요금제의 월정액이 일할 계산됩니다.
[table cls="tbl"]
h| 변경 방식 | 적용 시점 | 요금 계산
| ^즉시 변경 | 신청 즉시 | 변경 전·후 일할 계산
| ^다음 달 변경 | 다음 달 1일 | 일할 계산 없음
[/table]
# 공시지원금 수령 고객
공시지원금을 받은 고객이 183일 이내에 낮은 요금군으로 변경하면 차액 정산금이 청구됩니다. 183일이 지난 뒤에는 정산금 없이 변경할 수 있습니다.
# 선택약정 고객
선택약정 고객은 요금제를 변경해도 약정이 유지되며, 변경 후 요금제 월정액의 25%가 할인됩니다.
!note 5G 단말에서 LTE 요금제로 변경할 수 있으나, 5G 전용 혜택(쉐어링 등)은 즉시 종료됩니다.
""", sub="이용관리", skin="legacy")

page("mob_esim", "eSIM 개통 안내", "2026-03-09", """
# eSIM이란
단말에 내장된 칩에 가입자 정보를 내려받아 쓰는 디지털 유심입니다. 물리 유심과 함께 사용하면 한 단말에서 두 개의 번호를 쓸 수 있습니다(듀얼심).
# 발급 비용 비교
[table cls="tbl" caption="유심 vs eSIM"]
h| 구분 | 발급 비용 | 개통 방법 | 단말 교체 시
| ^유심 | 7,700원 | 매장·택배 수령 후 장착 | 유심 옮겨 끼우면 끝
| ^eSIM | 2,750원 | QR 코드 스캔 (온라인 즉시) | 재다운로드 필요 (2,750원)
[/table]
# 지원 단말
노바 S23 이후 플래그십, 아이리스 XS 이후 모델 등. 단말 설정 메뉴에서 'eSIM 추가'가 보이면 지원 단말입니다.
@img img/esim_qr.png | eSIM 개통용 QR 예시 | 그림) eSIM 다운로드 QR 예시 (샘플)
""", sub="가입", malformed=3)

page("mob_data_sharing", "데이터 쉐어링 및 스마트기기 요금제", "2026-01-30", """
# 데이터 쉐어링
휴대폰 요금제의 데이터를 태블릿·스마트워치 등 다른 기기에서 나눠 쓰는 서비스입니다.
[table cls="tbl"]
h| 모회선 요금제 | 무료 쉐어링 회선 | 쉐어링 데이터 한도
| ^5G 스탠다드 플러스 | 1회선 | 월 20GB
| ^5G 프리미어 레귤러 | 2회선 | 월 50GB
| ^5G 프리미어 플러스 | 2회선 | 월 80GB
[/table]
# 스마트기기 단독 요금제
- ○ 워치 요금제: 월 11,000원 (데이터 1GB, 음성 50분)
- ○ 태블릿 요금제: 월 16,500원 (데이터 10GB)
- ○ 키즈워치 요금제: 월 8,800원 (지정 번호 통화 무제한)
※ 무료 쉐어링 회선 수를 넘는 기기는 회선당 월 5,500원이 부과됩니다.
""", sub="5G")


# ===========================================================================
# 집전화
# ===========================================================================
category("집전화")

page("tel_basic", "일반 집전화 기본료 및 통화료", "2024-11-18", """
# 요금표
[table cls="tbl" caption="일반전화(PSTN) 요금 (VAT 포함)"]
h| 구분 | 항목 | 요금
| ^{r2}기본료 | 주택용 | 월 5,200원
| 사업용 | 월 6,300원
| ^{r3}통화료 | 시내·시외 통화 | 3분당 39원
| 이동전화 발신 | 10초당 14.5원
| 인터넷전화 발신 | 3분당 39원
| ^설치비 | 신규 회선 | 22,000원 (인터넷 동시 가입 시 면제)
[/table]
※ 국제전화 요금은 [[국제전화 요금 문서|@tel_intl]]를 참고하세요.
# 참고사항
- 정전 시에도 통화가 가능한 것이 일반 집전화의 장점입니다. (인터넷전화는 정전 시 통화 불가)
- 일반 집전화는 신규 가입이 2026년 말 종료될 예정이므로 신규 고객에게는 인터넷전화를 우선 안내합니다.
""", enc="cp949", sub="일반전화")

page("tel_voip", "인터넷전화 '한빛 홈보이스'", "2026-01-14", """
# 상품 개요
한빛 홈보이스는 한빛 인터넷 회선을 이용하는 인터넷전화입니다. 한빛 인터넷 가입 고객만 신청할 수 있습니다.
[table cls="tbl" caption="홈보이스 요금"]
h| 항목 | 요금
| ^기본료 | 월 2,200원
| ^홈보이스 간 통화 | 무료
| ^시내·시외 통화 | 3분당 38원
| ^이동전화 발신 | 10초당 13원
[/table]
# 전화기 임대
- ○ 무선 DECT 전화기: 월 1,100원
- ○ 영상 전화기(7인치): 월 3,300원
!warn 정전 또는 인터넷 장애 시 홈보이스는 통화가 되지 않습니다. 긴급전화(112, 119)도 불가하므로 가입 시 반드시 고지합니다.
""", sub="인터넷전화")

page("tel_unlimited", "집전화 정액 요금제 '홈 무제한'", "2026-02-25", """
# 요금제 비교
집전화(일반전화·홈보이스 공통)에 가입할 수 있는 정액 요금제입니다.
[table cls="tbl_compare" cols="25,15,30,30"]
h| 요금제 | 월정액 | 유선(집·사무실) 통화 | 이동전화 통화
| ^홈 무제한 라이트 | 8,800원 | 무제한 | 10초당 13원 (종량)
| ^홈 무제한 플러스 | 13,200원 | 무제한 | 200분 제공
| ^홈 무제한 맥스 | 16,500원 | 무제한 | 무제한
[/table]
# 추천 기준
휴대폰으로 거는 통화가 월 200분을 넘는 고객은 홈 무제한 맥스가 유리합니다. 유선 통화 위주라면 홈 무제한 라이트를 권장합니다.
※ 기본료는 별도이며, 국제전화는 제공량에서 제외됩니다.
""", sub="요금제")

page("tel_forwarding", "착신전환 서비스", "2023-05-08", """
# 서비스 내용
집으로 걸려 온 전화를 휴대폰 등 다른 번호로 돌려 받는 서비스입니다. 월 이용료는 1,650원입니다.
# 설정 방법
수화기를 들고 아래 번호를 누릅니다.
[table cls="tbl"]
h| 기능 | 누르는 번호
| ^무조건 착신전환 설정 | *71 + 착신받을 번호 + #
| ^통화 중일 때만 착신 | *72 + 번호 + #
| ^착신전환 해제 | *73#
[/table]
# 유의사항
- 착신된 통화의 요금(집전화 → 착신 번호 구간)은 가입자에게 부과됩니다.
- 국제전화 번호로는 착신전환할 수 없습니다.
""", enc="cp949", charset="none", sub="부가서비스")

page("tel_callerid", "발신번호표시 및 스팸차단", "2024-02-19", """
# 요금
[table cls="tbl"]
h| 서비스 | 월 이용료 | 내용
| ^발신번호표시 | 1,100원 | 걸려 온 전화번호를 전화기 화면에 표시
| ^스팸차단 | 550원 | 스팸 신고 번호 수신 자동 차단
| ^안심콜팩 | 1,320원 | 발신번호표시 + 스팸차단 묶음
[/table]
※ 발신번호표시 기능이 있는 전화기가 있어야 합니다. 기능 없는 전화기 고객은 전화기 임대를 함께 안내합니다.
""", enc="cp949", sub="부가서비스")

page("tel_port", "유선 번호이동 (타사 → 한빛)", "2025-10-06", """
# 처리 절차
+ 고객 본인 확인 및 현재 통신사·전화번호 확인
+ 번호이동 신청 등록 (한빛이 이전 통신사에 이동 요청)
+ 이전 통신사 확인 완료 후 개통 일정 확정
+ 설치 기사 방문 또는 원격 개통
# 기준
- 처리 기간: 영업일 기준 3일
[table cls="tbl"]
h| 구분 | 번호 유지 여부
| ^같은 지역번호 권역 이사 | 유지
| ^다른 지역번호 권역 이사 | 변경
[/table]
- 번호이동 수수료: 없음
- 같은 지역번호 권역 안에서만 번호를 그대로 옮길 수 있습니다. (예: 서울 02 → 경기 031 이사 시 번호 유지 불가)
※ 이전 통신사의 약정 위약금은 이전 통신사에서 청구됩니다.
""", sub="가입")

INTL_RATES = [  # country, code, per-minute
    ("미국", "1", "95원"), ("캐나다", "1", "95원"), ("중국", "86", "118원"), ("일본", "81", "139원"),
    ("베트남", "84", "286원"), ("필리핀", "63", "312원"), ("태국", "66", "198원"), ("인도네시아", "62", "254원"),
    ("몽골", "976", "287원"), ("우즈베키스탄", "998", "398원"), ("호주", "61", "142원"), ("영국", "44", "152원"),
    ("독일", "49", "163원"), ("프랑스", "33", "163원"), ("러시아", "7", "344원"), ("캄보디아", "855", "421원"),
]
ASSETS[F_INTL].payload = ("국제전화", [["국가", "국가번호", "1분당 요금"]] + [list(r) for r in INTL_RATES])

page("tel_intl", "국제전화 00757 요금", "2025-03-17", """
# 이용 방법
00757 + 국가번호 + 지역번호(0 제외) + 상대방 번호
예) 베트남 하노이(24) 1234-5678 → 00757-84-24-1234-5678
# 국가별 요금
[table cls="tbl" caption="주요 국가 1분당 요금 (VAT 포함, 초 단위 과금)"]
h| 국가 | 국가번호 | 1분당 요금
""" + "\n".join(f"| ^{c} | {code} | {fee} |" for c, code, fee in INTL_RATES) + """
[/table]
※ 전체 국가 요금은 첨부 파일을 참고하세요. 국제전화 차단은 무료로 신청할 수 있습니다.
@file 국제전화 요금표 | files/국제전화요금표.xlsx
""", enc="cp949", charset="ks_c", sub="국제전화")

page("tel_number_change", "집전화 번호 변경", "2025-08-11", """
# 번호 변경
- 번호 변경 수수료: 2,200원
- 희망 번호는 빈 번호 중에서 선택할 수 있습니다.
- 끝자리가 같은 번호(예: 1111) 등 '골드번호'는 매월 1회 추첨으로 배정합니다.
# 변경 번호 안내
번호 변경 후 이전 번호로 전화한 사람에게 새 번호를 알려주는 '변경번호 안내' 서비스를 3개월 무료로 제공합니다. 이후 연장 시 월 1,100원입니다.
""", sub="이용관리", skin="board")

page("tel_pause_cancel", "집전화 일시정지 및 해지", "2025-09-19", """
# 일시정지
[table cls="tbl" nothead]
h| 항목 | 내용
| ^정지 요금 | 월 1,650원 (번호 유지)
| ^최대 기간 | 연 6개월
| ^신청 | 명의자 본인 또는 위임받은 대리인
[/table]
# 해지
- 해지 후 번호는 30일간 보관되며, 이 기간 안에 재가입하면 같은 번호를 쓸 수 있습니다.
- 인터넷과 결합된 집전화를 해지하면 결합 할인이 재계산됩니다.
- 대리인 해지 시 위임장과 명의자 신분증 사본이 필요합니다.
@file 위임장 양식 | files/위임장.hwp
""", sub="이용관리", skin="lite")

page("tel_business", "사업장 대표번호 (1588 대표번호 서비스)", "2026-03-02", """
# 서비스 개요
전국 어디서나 지역번호 없이 8자리 대표번호(1588-XXXX 등)로 사업장에 연결하는 서비스입니다.
# 이용 요금
[table cls="tbl"]
h| 항목 | 요금
| ^가입비 | 없음
| ^월 기본료 | 22,000원 (착신 회선 5개까지)
| ^착신 회선 추가 | 회선당 월 2,200원 (최대 30회선)
| ^시간대별 착신 설정 | 무료
[/table]
# 주요 기능
- ① 시간대·요일별 착신 번호 변경 (예: 영업시간 외 휴대폰으로 연결)
- ② 통화량 통계 리포트 (월 1회 이메일)
- ③ 안내 멘트(ARS) 등록
@file 대표번호 신청서 | files/대표번호_신청서.pdf
""", sub="기업/소호")

page("tel_faq", "집전화 FAQ", "2024-06-03", """
Q. 이사하면 집전화 번호를 그대로 쓸 수 있나요?
A. 같은 지역번호 권역 안에서 이사하면 번호를 유지할 수 있습니다. 다른 지역번호 권역으로 이사하면 번호가 바뀝니다.
Q. 전화기에서 뚜- 소리가 안 나요.
A. 전화선이 벽 단자와 전화기에 제대로 꽂혀 있는지 확인하고, 다른 전화기로도 안 되면 장애 접수합니다.
Q. 집전화로 건 국제전화 요금이 너무 많이 나왔어요.
A. 통화 내역을 조회해 안내하고, 재발 방지를 위해 국제전화 차단(무료)을 권유합니다.
""", enc="cp949", skin="board", charset="meta", sub="FAQ")

page("tel_equipment", "집전화기 판매 및 임대", "2025-07-21", """
# 전화기 종류
[table cls="tbl" caption="집전화 단말"]
h| 모델 | 구분 | 가격 | 특징
| ^HB-100 | 유선 전화기 판매 | 19,800원 | 발신번호표시 지원
| ^HB-D200 | 무선 DECT 임대 | 월 1,100원 | 자녀기 최대 4대 추가
| ^HB-V700 | 영상 전화기 임대 | 월 3,300원 | 7인치 화면, 홈보이스 전용
[/table]
임대 전화기는 고장 시 무상 교체되며, 해지 시 반납해야 합니다. 판매 전화기는 구매 후 1년간 무상 AS를 제공합니다.
""", sub="단말", skin="lite")


# ===========================================================================
# 결합상품
# ===========================================================================
category("결합상품")

TV_PLANS = [("한빛TV 라이트", 9900), ("한빛TV 베이직", 16500), ("한빛TV 에센스", 18700), ("한빛TV 프리미엄", 27500)]
HOME_INET_DISC = {"슬림 100": 3300, "기가라이트 500": 5500, "기가인터넷 1G": 5500, "기가프리미엄 2.5G": 7700, "10기가 플래티넘": 11000}
HOME_TV_DISC = {"한빛TV 라이트": 0, "한빛TV 베이직": 1100, "한빛TV 에센스": 2200, "한빛TV 프리미엄": 3300}


def home_bundle_total(inet: str, tv: str) -> int:
    """Monthly total (3-year contracts) of 인터넷 + TV after 홈결합 discounts."""
    inet_fee = next(p[5] for p in INT_PLANS if p[0] == inet)
    tv_fee = dict(TV_PLANS)[tv]
    return inet_fee + tv_fee - HOME_INET_DISC[inet] - HOME_TV_DISC[tv]


_home_matrix = "\n".join(
    f"| ^{n} | " + " | ".join(won(home_bundle_total(n, t)) for t, _ in TV_PLANS) + " |" for n, *_ in INT_PLANS
)

page("bnd_home", "홈결합 (인터넷 + TV) 할인", "2026-05-01", f"""
# 결합 조건
- ■ 동일 명의(또는 동일 주소 가족 명의)의 한빛 인터넷과 한빛TV를 함께 이용
- ■ 인터넷과 TV 모두 약정 가입 (무약정 상품은 결합 불가)
# 결합 할인액
[table cls="tbl" caption="홈결합 월 할인액"]
h| 구분 | 상품 | 월 할인액
| ^{{r5}}인터넷 할인 | 슬림 100 | 3,300원
| 기가라이트 500 | 5,500원
| 기가인터넷 1G | 5,500원
| 기가프리미엄 2.5G | 7,700원
| 10기가 플래티넘 | 11,000원
| ^{{r3}}TV 할인 | 한빛TV 베이직 | 1,100원
| 한빛TV 에센스 | 2,200원
| 한빛TV 프리미엄 | 3,300원
[/table]
※ 한빛TV 라이트는 TV 할인이 없고 인터넷 할인만 적용됩니다.
# 조합별 월 납부액 (3년 약정, 할인 후)
[table cls="tbl_matrix" caption="인터넷 × TV 조합별 월 합계 (VAT 포함, 셋톱 임대료 별도)" layout side="※ 상담 시 고객 조합을 표에서 바로 안내하세요."]
h| 인터넷 \\ TV | 라이트 | 베이직 | 에센스 | 프리미엄
{_home_matrix}
[/table]
@rel int_plans tv_plans bnd_compare
""", sub="홈결합")

page("bnd_family", "온가족 한빛 결합 (모바일 + 인터넷)", "2026-03-16", """
# 결합 구성
가족의 한빛 모바일(최대 5회선)과 인터넷 1회선을 묶어 인터넷과 모바일을 모두 할인합니다. 가족 관계는 가족관계증명서 기준이며 같은 주소에 살지 않아도 됩니다.
# 인터넷 할인
[table cls="tbl" nothead]
h| 결합 모바일 회선 수 | 인터넷 월 할인
| ^1회선 | 3,300원
| ^2회선 | 5,500원
| ^3회선 이상 | 9,900원
[/table]
# 모바일 할인 (회선당)
[table cls="tbl" caption="가족 합산 가입연수별 모바일 회선당 월 할인"]
h| {r2}가족 합산 가입연수 | {c2}요금제별 할인
h| 5G 스탠다드 미만 | 5G 스탠다드 이상
| ^10년 미만 | 1,100원 | 3,300원
| ^10년 이상~20년 미만 | 2,200원 | 5,500원
| ^20년 이상~30년 미만 | 3,300원 | 7,700원
| ^30년 이상 | 5,500원 | 11,000원
[/table]
!note 가족 합산 가입연수는 결합 회선 명의자들의 한빛 모바일 가입 기간을 모두 더한 값입니다. 번호이동 전 타사 가입 기간은 포함되지 않습니다.
@rel bnd_docs bnd_calc bnd_change
""", sub="온가족결합", skin="lite")

page("bnd_docs", "결합 가입 구비서류", "2026-02-09", """
# 본인(명의자) 방문 시
- ① 신분증
- ② 가족관계증명서 (발급일로부터 3개월 이내, 주민등록번호 뒷자리 포함)
  - 같은 주소의 가족이라면 주민등록등본으로 대체할 수 있습니다.
# 대리인 신청 시
- ① 결합위임장 (위임자 자필 서명)
- ② 위임자 신분증 사본
- ③ 대리인 신분증
- ④ 가족관계증명서
※ 서류는 팩스(02-6114-0480) 또는 고객센터 앱 '서류 제출' 메뉴로 받습니다.
@file 결합 신청서 | files/결합신청서.pdf
@file 결합위임장 양식 (한글) | files/결합위임장.hwp
""", sub="공통")

page("bnd_release", "결합 해제 시 처리 기준", "2025-11-25", """
# 결합 해제의 원칙
결합 해제 자체에는 할인반환금(위약금)이 발생하지 않습니다. 다만 결합으로 받던 할인은 해제 다음 날부터 사라집니다.
# 상황별 처리
[table cls="tbl" cols="35,65"]
h| 상황 | 처리
| ^모바일 1회선 결합 탈퇴 | 남은 회선 수와 합산 가입연수로 할인 재산정
| ^인터넷 해지 | 결합 전체 해제 (모바일 할인도 모두 종료)
| ^대표 회선 명의자 사망 | 가족 중 1인을 새 대표로 지정하면 결합 유지
| ^번호이동으로 타사 이동 | 해당 회선만 자동 탈퇴
[/table]
※ 인터넷 해지에 따른 인터넷 할인반환금은 인터넷 약정 기준으로 별도 부과됩니다.
""", sub="공통")

page("bnd_compare", "결합상품 한눈에 비교", "2026-04-15", """
고객 가구 형태에 따라 가입할 수 있는 결합상품을 비교했습니다.
[table cls="tbl_compare" caption="결합상품 비교표"]
h| 구분 | 홈결합 | 온가족 한빛 | 싱글결합 | 효도결합
| ^대상 | 인터넷 + TV 이용 가구 | 가족 모바일 2회선 이상 + 인터넷 | 1인 가구 (단독 세대) | 자녀 + 별도 거주 부모님
| ^결합 구성 | 인터넷 + TV | 모바일 최대 5회선 + 인터넷 | 모바일 1회선 + 인터넷 | 자녀 모바일 + 부모 모바일 최대 2회선
| ^주요 혜택 | 인터넷·TV 월 할인 | 인터넷 최대 9,900원, 모바일 회선당 최대 11,000원 | 인터넷 5,500원 할인 + 데이터 20GB | 부모 회선 월정액 15% 할인
| ^중복 가입 | {c4}홈결합은 온가족 한빛·싱글결합과 중복 가능, 온가족 한빛과 싱글결합은 중복 불가
[/table]
# 상담 가이드
- 혼자 사는 고객이 모바일 1회선뿐이라면 온가족 한빛(2회선 이상)은 가입할 수 없으므로 싱글결합을 안내합니다.
- 부모님과 따로 사는 고객은 효도결합을 먼저 확인합니다.
""", enc="utf-8-sig", sub="공통", skin="kms")

page("bnd_single", "1인 가구 '싱글결합'", "2026-01-19", """
# 대상
주민등록상 1인 단독 세대인 고객 (주민등록등본으로 확인)
# 혜택
- ▶ 인터넷 월 5,500원 할인
- ▶ 모바일 요금제가 5G 스탠다드 이상이면 매월 데이터 20GB 추가 제공
# 유의사항
- 세대원이 늘어나면(전입) 다음 달부터 싱글결합이 해제되며, 온가족 한빛으로 전환을 안내합니다.
- TV를 함께 쓰면 홈결합과 중복 적용됩니다.
""", sub="싱글결합", skin="lite")

page("bnd_filial", "효도결합 (부모님 회선 결합)", "2025-12-03", """
# 개요
자녀 명의 모바일 회선에 따로 사는 부모님의 한빛 모바일 회선을 최대 2회선까지 묶는 결합입니다.
# 조건 및 혜택
[table cls="tbl" nothead]
h| 항목 | 내용
| ^자녀 회선 요금제 | 5G 스탠다드 이상
| ^부모 회선 | 최대 2회선, 요금제 무관
| ^혜택 | 부모 회선 월정액 15% 할인
| ^확인 서류 | 가족관계증명서
[/table]
※ 부모님 회선이 복지할인을 받는 경우에도 중복 적용되며, 복지할인 적용 후 금액에서 15%를 할인합니다.
""", sub="효도결합", skin="kms")

page("bnd_faq", "결합상품 FAQ", "2026-02-20", """
Q. 결합을 하면 약정이 새로 생기나요?
A. 결합 자체에는 약정이 없습니다. 인터넷·TV 약정은 각 상품의 약정을 따릅니다.
Q. 결합 할인은 언제부터 적용되나요?
A. 결합 신청 다음 날부터 일할 적용됩니다.
Q. 가족이 다른 통신사를 쓰면 결합이 되나요?
A. 한빛 회선끼리만 결합됩니다. 타사 회선은 번호이동 후 결합할 수 있습니다.
[table cls="tbl" caption="결합 가능 조합 요약"]
h| 조합 | 가능 여부
| ^홈결합 + 온가족 한빛 | 가능
| ^온가족 한빛 + 싱글결합 | 불가
| ^싱글결합 + 효도결합 | 가능
[/table]
""", sub="FAQ", malformed=4)

page("bnd_tv_mobile", "무비결합 (5G 프리미어 + 한빛TV)", "2026-04-03", """
# 결합 조건
- 5G 프리미어 레귤러 이상 요금제 회선 1개 이상
- 한빛TV 에센스 이상 가입
[table cls="tbl" caption="TV 요금제별 무비결합 혜택"]
h| TV 요금제 | 무료 월정액 | 추가 할인
| ^한빛TV 에센스 | 무비프리 | 월 2,200원
| ^한빛TV 프리미엄 | 키즈랜드 (선택) | 월 2,200원
[/table]
# 혜택
- ○ VOD 월정액 '무비프리'(월 11,000원) 무료
- ○ 한빛TV 월 이용료 2,200원 추가 할인
※ 한빛TV 프리미엄은 이미 무비프리가 포함되어 있으므로, 프리미엄 고객에게는 무비프리 대신 '키즈랜드' 무료를 선택하도록 안내합니다.
""", sub="기타결합")

page("bnd_calc", "결합 할인 계산 예시", "2026-03-23", """
# 예시 1: 4인 가족 온가족 한빛
가족 4명(합산 가입연수 32년)이 모두 5G 스탠다드를 쓰고 기가인터넷 1G에 가입한 경우, 인터넷 할인 9,900원과 모바일 회선당 11,000원씩 4회선 44,000원을 더해 월 총 할인액은 53,900원입니다.
# 예시 2: 1인 가구 싱글결합 + 홈결합
기가라이트 500(33,000원)과 한빛TV 베이직(16,500원)을 쓰는 1인 가구는 홈결합으로 인터넷 5,500원과 TV 1,100원을 할인받고, 싱글결합으로 인터넷 5,500원을 추가로 할인받아 인터넷+TV 월 납부액이 37,400원이 됩니다.
# 예시 3: 효도결합
부모님 두 분이 LTE 시니어 효도(22,000원)를 쓰는 경우 회선당 3,300원, 두 회선 합계 월 6,600원이 할인됩니다.
@file 결합 할인 계산표 (엑셀) | files/결합할인_계산표.xlsx
""", sub="공통", skin="legacy")
ASSETS[F_BUNDLE_XLS].payload = ("결합계산", [["결합", "구성", "월 할인액"], ["온가족 한빛", "4인·32년·스탠다드 + 1G", 53900],
                                          ["싱글+홈결합", "기가라이트 500 + 베이직", 12100], ["효도결합", "시니어 효도 2회선", 6600]])

page("bnd_change", "결합 구성원 추가·변경 절차", "2025-10-27", """
# 구성원 추가
+ 대표 회선 명의자에게 결합 추가 동의 문자 발송 (인증번호 확인)
+ 추가할 회선 명의자 본인 확인 및 가족관계 확인
+ 결합 등록 후 다음 날부터 할인 적용
# 대표 회선 변경
대표 회선 명의자와 새 대표 회선 명의자 모두의 동의가 필요합니다. 변경 후에도 합산 가입연수는 그대로 유지됩니다.
!warn 결합 구성원 변경은 월 2회까지 가능합니다.
""", sub="공통", skin="lite")

page("bnd_business", "소호 결합 (비즈결합)", "2024-09-09", """
# 대상
개인사업자 또는 법인의 사업장 (사업자등록증 명의 기준)
# 결합 구성 및 혜택
[table cls="tbl"]
h| 구성 상품 | 혜택
| ^비즈넷 인터넷 | 월 4,400원 할인
| ^사업장 집전화 | 기본료 면제
| ^대표자 명의 모바일 | 회선당 월정액 10% 할인 (최대 3회선)
[/table]
※ 비즈결합은 가정용 결합(홈결합, 온가족 한빛)과 중복되지 않습니다.
""", enc="cp949", sub="기업/소호")


# ===========================================================================
# 이사/이전설치
# ===========================================================================
category("이사/이전설치")

page("mov_process", "이사 이전설치 신청 절차", "2026-03-30", """
# 신청 시기
이사 예정일 7일 전까지 신청하도록 안내합니다. 3일 전 이후 접수 건은 희망일 설치가 어려울 수 있습니다.
[table cls="tbl" caption="접수 시점별 처리"]
h| 접수 시점 | 처리
| ^이사 7일 전 이전 | 희망일 설치 확정
| ^이사 3~6일 전 | 희망일 우선 배정 (확정 아님)
| ^이사 2일 전 이후 | 가장 빠른 가능일로 배정
[/table]
# 처리 절차
+ ① 이전설치 접수: 명의자 본인 확인, 이사 날짜·신주소 확인
+ ② 신주소 제공 방식 조회: 설치 불가 지역이면 [[설치 불가 처리 기준|@mov_unavailable]]으로 안내
+ ③ 방문 일정 확정: 구주소 철거와 신주소 설치를 같은 날 진행하는 것이 원칙
+ ④ 신주소 설치: 기사가 광모뎀·셋톱을 설치하고 개통 확인
+ ⑤ 이전설치비 청구: 다음 달 요금에 합산
@img img/move_flow.png | 이전설치 처리 흐름 | 이전설치 접수부터 청구까지 흐름
# 구비서류
- 이사신청서 (명의자 서명)
- 명의자 신분증
- 대리인 신청 시: 위임장, 명의자 신분증 사본, 대리인 신분증
@file 이사신청서 양식 | files/이사신청서.pdf
@file 위임장 양식 | files/위임장.hwp
@rel mov_fee mov_regional mov_schedule
""", sub="이전설치", first_date="2022-04-01")

page("mov_fee", "이전설치비 안내", "2026-05-01", """
# 이전설치비
2026년 5월 1일 접수 건부터 아래 이전설치비가 적용됩니다.
[table cls="tbl_fee" caption="이전설치비 (VAT 포함, 1회)"]
h| 구분 | 평일 | 주말·공휴일
| ^인터넷 이전설치 | 22,000원 | 27,500원
| ^TV 이전설치 | 22,000원 | 27,500원
| ^인터넷 + TV 동시 이전 | 33,000원 | 44,000원
| ^집전화 이전 | 11,000원 | 16,500원
[/table]
# 면제 기준
- 잔여 약정이 12개월 미만인 고객이 이전설치와 함께 3년 재약정을 하면 이전설치비를 면제합니다.
- 회사 사정(설비 공사 등)으로 재방문한 경우 추가 비용은 없습니다.
※ 도서·산간 지역은 [[지역별 출장비|@mov_regional]]가 추가될 수 있습니다.
""", sub="이전설치", skin="lite", comment="2025년 요금(인터넷 16,500원)은 구버전 문서 참고")

old_page("mov_fee", "2025-03-01", """
# 이전설치비
[table cls="tbl_fee" caption="이전설치비 (VAT 포함)"]
h| 구분 | 금액
| ^인터넷 이전설치 | 16,500원
| ^TV 이전설치 | 16,500원
| ^인터넷 + TV 동시 이전 | 27,500원
| ^집전화 이전 | 8,800원
[/table]
※ 주말·공휴일에는 5,500원이 추가됩니다.
""", skin="lite", old_banner=True, old_status_meta=True)

REGIONS = [  # 시도, 시군구, 권역, 추가 출장비, 표준 소요일
    ("서울", "강남구", "수도권", 0, 2), ("서울", "강서구", "수도권", 0, 2), ("서울", "노원구", "수도권", 0, 2),
    ("서울", "마포구", "수도권", 0, 2), ("서울", "송파구", "수도권", 0, 2), ("서울", "종로구", "수도권", 0, 2),
    ("경기", "수원시", "수도권", 0, 2), ("경기", "성남시", "수도권", 0, 2), ("경기", "고양시", "수도권", 0, 2),
    ("경기", "용인시", "수도권", 0, 2), ("경기", "파주시", "수도권 외곽", 5500, 3), ("경기", "가평군", "수도권 외곽", 5500, 3),
    ("경기", "연천군", "수도권 외곽", 5500, 3), ("인천", "남동구", "수도권", 0, 2), ("인천", "연수구", "수도권", 0, 2),
    ("인천", "강화군", "수도권 외곽", 5500, 3), ("인천", "옹진군", "도서", 22000, 7), ("강원", "춘천시", "지방 도시", 0, 3),
    ("강원", "원주시", "지방 도시", 0, 3), ("강원", "강릉시", "지방 도시", 0, 3), ("강원", "정선군", "산간", 11000, 5),
    ("강원", "인제군", "산간", 11000, 5), ("충북", "청주시", "지방 도시", 0, 3), ("충북", "단양군", "산간", 11000, 5),
    ("충남", "천안시", "지방 도시", 0, 3), ("충남", "태안군", "지방 외곽", 5500, 4), ("대전", "유성구", "지방 도시", 0, 3),
    ("세종", "세종시", "지방 도시", 0, 3), ("전북", "전주시", "지방 도시", 0, 3), ("전북", "무주군", "산간", 11000, 5),
    ("전남", "여수시", "지방 도시", 0, 3), ("전남", "신안군", "도서", 22000, 7), ("전남", "완도군", "도서", 22000, 7),
    ("광주", "북구", "지방 도시", 0, 3), ("경북", "포항시", "지방 도시", 0, 3), ("경북", "안동시", "지방 도시", 0, 3),
    ("경북", "봉화군", "산간", 11000, 5), ("경북", "울릉군", "도서", 33000, 10), ("경남", "창원시", "지방 도시", 0, 3),
    ("경남", "통영시", "지방 외곽", 5500, 4), ("경남", "남해군", "지방 외곽", 5500, 4), ("부산", "해운대구", "지방 도시", 0, 3),
    ("부산", "강서구", "지방 도시", 0, 3), ("대구", "수성구", "지방 도시", 0, 3), ("울산", "남구", "지방 도시", 0, 3),
    ("제주", "제주시", "제주", 11000, 4), ("제주", "서귀포시", "제주", 16500, 4), ("제주", "우도(제주시)", "도서", 27500, 7),
]
ASSETS[F_REGION].payload = ("지역별출장비", [["시도", "시군구", "권역", "추가 출장비", "표준 소요일"]] + [list(r) for r in REGIONS])


def _region_rows() -> str:
    rows, prev = [], None
    counts: dict[str, int] = {}
    for r in REGIONS:
        counts[r[0]] = counts.get(r[0], 0) + 1
    for sido, sgg, zone, fee, days in REGIONS:
        head = f"^{{r{counts[sido]}}}{sido} | " if sido != prev else ""
        rows.append(f"| {head}{sgg} | {zone} | {won(fee) if fee else '없음'} | {days}일 |")
        prev = sido
    return "\n".join(rows)


page("mov_regional", "지역별 이전설치 추가 출장비 및 소요일", "2026-01-05", """
이전설치비 외에 신주소 지역에 따라 추가 출장비가 붙습니다. 표준 소요일은 접수일 다음 날부터 설치 완료까지의 영업일입니다.
[table cls="tbl_region" caption="시군구별 추가 출장비 (VAT 포함)" cols="12,22,22,22,22"]
h| 시·도 | 시·군·구 | 권역 | 추가 출장비 | 표준 소요일
""" + _region_rows() + """
[/table]
!note 표에 없는 시·군·구는 같은 시·도의 '지방 도시' 기준을 적용하고, 도서 지역은 배편 일정에 따라 소요일이 늘어날 수 있습니다.
@file 지역별 출장비 전체표 | files/지역별_출장비.xlsx
""", sub="이전설치", skin="kms")

page("mov_unavailable", "신주소 설치 불가 시 처리 기준", "2025-12-10", """
# 기준
이사 가는 주소에 한빛 인터넷 설비가 없어 이전설치가 불가능하면, 고객은 할인반환금 없이 해지할 수 있습니다.
# 확인 및 증빙
- ① 상담 시스템에서 신주소 '설치 불가' 조회 결과를 캡처해 접수 이력에 첨부
- ② 고객에게 신주소가 기재된 주민등록등본(전입 후 30일 이내 발급) 제출 요청
- ③ 임대 장비(광모뎀, 공유기, 셋톱) 반납 안내
# 예외
- 신주소에 6개월 이내 설비 구축 계획이 있으면, 해지 대신 최대 6개월 일시정지(정지 요금 면제)를 먼저 권유합니다.
- 설치 가능 지역인데 고객이 원하지 않아 해지하는 경우는 할인반환금이 부과됩니다.
""", sub="이전설치", skin="board")

page("mov_contract", "이사 시 약정 승계 및 재약정", "2026-02-16", """
# 약정 승계
이전설치를 하면 기존 약정 기간과 사용 기간이 그대로 이어집니다. 이전설치를 이유로 약정이 새로 시작되지는 않습니다.
# 재약정 혜택
- 잔여 약정이 12개월 미만인 고객이 이전설치와 함께 3년 재약정을 하면 이전설치비를 면제합니다.
- 재약정 시 기존 약정의 할인반환금은 소멸합니다.
[table cls="tbl"]
h| 잔여 약정 | 재약정 없이 이전 | 3년 재약정과 함께 이전
| ^12개월 이상 | 이전설치비 청구 | 이전설치비 청구
| ^12개월 미만 | 이전설치비 청구 | 이전설치비 면제
[/table]
# 상담 예시
> 고객님, 이번에 이사하시면서 3년 재약정을 하시면 이전설치비 33,000원이 면제되고, 기존 약정의 할인반환금도 없어집니다.
> 재약정을 원하지 않으시면 기존 약정은 그대로 유지되고 이전설치비만 청구됩니다.
""", sub="이전설치", skin="kms")

page("mov_transfer_owner", "명의변경 (양도·양수)", "2026-01-22", """
# 명의변경이란
서비스 이용 권리와 의무(약정, 미납 요금, 할인반환금 포함)를 다른 사람에게 넘기는 것입니다.
# 필요 서류
[table cls="tbl" cols="30,70"]
h| 구분 | 서류
| ^공통 | 명의변경신청서, 양도인 신분증, 양수인 신분증
| ^가족 간 | 가족관계증명서 추가 (명의변경 수수료 면제)
| ^타인 간 | 명의변경 수수료 11,000원
| ^사망 승계 | 사망 사실 확인 서류, 가족관계증명서 (수수료 면제)
[/table]
# 유의사항
- 양도인의 미납 요금은 명의변경 전에 완납해야 합니다.
- 양수인은 약정 잔여 기간과 할인반환금 의무를 그대로 승계합니다.
@file 명의변경신청서 | files/명의변경신청서.pdf
""", sub="명의변경", skin="lite")

page("mov_wait", "이사 기간 이전 대기(서비스 보관)", "2025-09-08", """
# 개요
구주소 철거일과 신주소 입주일이 다를 때, 그 사이 기간 동안 서비스를 '이전 대기' 상태로 둡니다.
- ○ 최대 30일까지 이전 대기 가능
- ○ 대기 기간의 월 이용료는 부과되지 않습니다.
- ○ 30일을 넘기면 자동으로 일시정지로 전환되어 월 3,300원이 부과됩니다.
※ 이전 대기 기간은 약정 기간에 포함되지 않고, 그만큼 약정이 연장됩니다.
""", sub="이전설치", skin="kms")

page("mov_faq", "이사/이전설치 자주 묻는 질문", "2026-04-20", """
Q. 이사신청서는 어디서 받나요?
A. 아래 첨부 양식을 내려받아 작성하거나, 고객센터 앱에서 전자 서명으로 제출할 수 있습니다.
Q. 이사 당일 인터넷이 안 되는 시간이 있나요?
A. 구주소 철거부터 신주소 설치까지 보통 반나절 정도 끊깁니다. 같은 날 처리가 원칙입니다.
Q. 광모뎀은 제가 직접 옮겨도 되나요?
A. 네, 고객이 장비를 가져가도 됩니다. 단, 신주소 설치는 기사가 진행해야 합니다.
Q. 세입자가 바뀌는데 인터넷을 넘겨도 되나요?
A. 명의변경(양도·양수)으로 처리합니다. 명의변경 문서를 참고하세요.
@file 이사신청서 내려받기 | ../manuals/files/이사신청서.pdf
""", sub="FAQ")

page("mov_same_building", "동일 건물 내 이동 (호수 변경)", "2024-04-29", """
# 기준
같은 건물(같은 단지 내 다른 동 포함) 안에서 이사하는 경우 이전설치비를 50% 할인합니다.
- 인터넷 이전: 11,000원
- 인터넷 + TV 동시 이전: 16,500원
# 처리
- 오전 접수 시 당일 처리할 수 있습니다.
- 단지 통신실 작업이 필요한 아파트는 관리사무소 사전 협조를 받아야 합니다.
""", enc="cp949", sub="이전설치")

page("mov_schedule", "이전설치 일정 변경 및 취소", "2026-02-02", """
# 일정 변경
방문 전날 18시까지는 무료로 일정을 변경하거나 취소할 수 있습니다.
[table cls="tbl" caption="변경·취소 시점별 비용"]
h| 시점 | 비용
| ^방문 전날 18시까지 변경·취소 | 없음
| ^방문 전날 18시 이후 변경 | 없음 (1회에 한함)
| ^방문 당일 취소 | 출장비 11,000원
| ^기사 방문 후 고객 부재 | 출장비 11,000원
[/table]
※ 일정 변경은 고객센터 또는 배정 기사에게 직접 요청할 수 있습니다.
""", sub="이전설치", skin="lite")

page("mov_apartment", "신축 아파트 입주 단체 설치", "2026-03-12", """
# 입주 지원센터
신축 아파트 입주 시작 2주 전부터 단지 내 '한빛 입주 지원센터'를 운영합니다.
# 사전 예약 혜택
[table cls="tbl" nothead]
h| 구분 | 일반 가입 | 입주 지원센터 사전 예약
| ^설치비 | 27,500원 | 면제
| ^첫 달 인터넷 요금 | 정상 | 50% 할인
[/table]
- ▶ 입주 지원센터 사전 예약 시 설치비 면제
- ▶ 첫 달 인터넷 이용료 50% 할인
- ▶ 이사 당일 설치 우선 배정
# 기존 고객
이미 한빛 인터넷을 이용 중인 고객이 신축 단지로 이사하면, 이전설치로 처리하되 이전설치비를 면제합니다.
""", sub="이전설치", skin="kms")

page("mov_address_change", "청구지 주소 변경", "2025-11-12", """
# 청구지 주소만 바꾸는 경우
청구서 받을 주소만 바꾸는 것은 이전설치와 다릅니다. 서비스 설치 장소는 그대로이고 우편 청구서 주소만 바뀝니다.
# 변경 방법
+ 고객센터 앱 > 내 정보 > 청구지 변경
+ 상담사 처리 시 명의자 본인 확인 후 변경
+ 변경된 주소는 다음 청구서부터 적용
※ 모바일과 인터넷의 청구지를 한 번에 바꾸려면 통합청구 여부를 먼저 확인합니다.
""", sub="주소변경", skin="lite")


# ===========================================================================
# 해지/위약금
# ===========================================================================
category("해지/위약금")

page("trm_refund_rule", "할인반환금(위약금) 산정 기준", "2026-05-01", """
# 산정 공식
약정 기간 중 해지하면 그동안 받은 약정 할인의 일부를 할인반환금으로 청구합니다.
!note 할인반환금 = 월 할인액 × 사용 개월 수 × 반환율 // (월 할인액 = 무약정 요금 - 약정 요금)
# 사용 기간별 반환율 (인터넷·TV)
[table cls="tbl_rate" caption="약정·사용 기간별 반환율 (2026.05.01 이후 해지 건)"]
h| 약정 기간 | 사용 기간 | 반환율
| ^{r3}3년 약정 | 12개월 이하 | 100%
| 13~24개월 | 60%
| 25~36개월 | 30%
| ^{r2}2년 약정 | 12개월 이하 | 100%
| 13~24개월 | 50%
| ^1년 약정 | 1~12개월 | 100%
[/table]
# 계산 예시
- ① 기가인터넷 1G 3년 약정(월 할인액 11,000원)을 14개월 사용 후 해지: 11,000원 × 14개월 × 60% = 92,400원
- ② 기가라이트 500 2년 약정(월 할인액 7,700원)을 20개월 사용 후 해지: 7,700원 × 20개월 × 50% = 77,000원
- ③ 약정 만료 후 해지: 할인반환금 없음
※ 할인반환금은 해지 다음 달 요금에 청구되며, 면제 사유는 [[위약금 면제 기준|@trm_exempt]]을 확인합니다.
@rel trm_exempt trm_internet_process mob_selective
""", sub="할인반환금", first_date="2021-01-04", skin="kms")

old_page("trm_refund_rule", "2024-11-01", """
# 산정 공식
할인반환금 = 월 할인액 × 사용 개월 수 × 반환율
# 사용 기간별 반환율
[table cls="tbl_rate"]
h| 약정 기간 | 사용 기간 | 반환율
| ^{r3}3년 약정 | 1년 미만 | 100%
| 1년 이상 2년 미만 | 70%
| 2년 이상 | 40%
| ^{r2}2년 약정 | 1년 미만 | 100%
| 1년 이상 | 55%
[/table]
# 계산 예시
기가인터넷 1G 3년 약정(월 할인액 9,900원)을 14개월 사용 후 해지: 9,900원 × 14개월 × 70% = 97,020원
""", old_suffix="_v1", skin="legacy", old_banner=True, old_status_meta=False)

page("trm_internet_process", "인터넷·TV 해지 접수 절차", "2026-02-11", """
# 해지 접수 순서
+ ① 명의자 본인 확인 (대리인은 위임장·명의자 신분증 사본 확인)
+ ② 해지 사유 확인 및 유지 혜택 1회 안내 ([[해지 방어 가이드|@trm_retention]])
+ ③ 할인반환금·미납 요금·잔여 장비 할부금 안내
+ ④ 해지 희망일 등록 (당일 또는 희망일 지정)
+ ⑤ 장비 반납 안내: 해지일로부터 14일 이내 반납
+ ⑥ 해지 완료 문자 발송
# 방문·서면 해지
[table cls="tbl" caption="해지 시 정산 항목"]
h| 항목 | 청구 시점
| ^해지 월 이용료 (일할) | 다음 달 요금
| ^할인반환금 | 다음 달 요금
| ^미반납 장비 변상금 | 반납 기한 경과 후 청구
[/table]
매장 방문 또는 서면 해지 시 해지신청서를 받습니다.
@file 해지신청서 양식 | files/해지신청서.pdf
!warn 고객이 해지를 명확히 요청하면 유지 혜택 안내는 1회로 끝내고 즉시 해지 접수합니다. 반복 권유는 민원 사유입니다.
""", sub="해지절차", skin="lite")

page("trm_equipment_return", "해지 시 장비 반납 및 미반납 변상금", "2026-03-18", """
# 반납 방법
- ① 무료 반납 박스: 해지 접수 시 택배 박스를 보내 드리며, 장비를 넣어 기사에게 전달
- ② 매장 반납: 가까운 한빛 매장에 직접 반납
- ③ 방문 회수: 고객 요청 시 기사 방문 회수 (무료)
# 미반납 변상금
해지일로부터 14일 이내에 반납하지 않으면 아래 변상금이 청구됩니다.
[table cls="tbl" caption="장비별 변상금" cols="40,30,30"]
h| 장비 | 변상금 | 비고
| ^광모뎀(ONT) | 55,000원 | -
| ^10G 광모뎀 | 88,000원 | 10기가 플래티넘
| ^기가WiFi 홈 | 33,000원 | -
| ^기가WiFi 프로 | 55,000원 | -
| ^기가WiFi 메시 7 | 99,000원 | 2대 1세트
| ^UHD 셋톱 | 88,000원 | -
| ^AI 셋톱 | 110,000원 | 음성 리모컨 포함
| ^한빛 TV 플러스 박스 | 132,000원 | -
| ^리모컨 | 11,000원 | -
| ^무선 DECT 전화기 | 22,000원 | -
[/table]
※ 반납 후 변상금이 청구된 경우 반납 확인 후 다음 달 요금에서 차감합니다.
@file 장비 반납 안내문 (고객 발송용) | files/장비반납_안내문.pdf
""", sub="장비반납", skin="kms")

page("trm_exempt", "위약금(할인반환금) 면제 사유 및 증빙서류", "2026-01-26", """
아래 사유에 해당하면 할인반환금 없이 해지할 수 있습니다. 증빙서류를 받은 뒤 면제 처리합니다.
[table cls="tbl" caption="면제 사유별 증빙서류"]
h| 면제 사유 | 증빙서류 | 비고
| ^군 입대 | 입영통지서 또는 병적증명서 | 입대 후 30일 이내 신청
| ^해외 이민·1년 이상 출국 | 출국사실증명서, 여권 사본 | 유학·취업 포함
| ^명의자 사망 | 사망진단서 또는 기본증명서 | 가족이 신청
| ^설치 불가 지역 이사 | 주민등록등본 | 신주소 설치 불가 조회 필요
| ^품질 불량 | 없음 (시스템 확인) | 최저보장속도 미달 월 5일 이상
| ^요양시설 입소 | 입소 확인서 | 6개월 이상 입소
[/table]
※ 서류는 해지일로부터 30일 이내에 제출해야 하며, 기한이 지나면 할인반환금이 그대로 청구됩니다.
@file 면제 증빙서류 안내 | files/위약금면제_증빙안내.pdf
""", sub="할인반환금", skin="board")

page("trm_mobile", "모바일 해지 및 번호 보관", "2025-05-12", """
# 해지 처리
- 명의자 본인 확인 후 해지하며, 해지 즉시 발신·수신이 정지됩니다.
- 남은 단말 할부금은 일시 청구 또는 기존 분할 유지 중 고객이 선택합니다.
- 해지한 번호는 28일 동안 다른 사람에게 배정되지 않으며, 이 기간 안에 재가입하면 같은 번호를 쓸 수 있습니다.
# 번호 보관 서비스
군 입대, 장기 해외 체류 등으로 해지하지만 번호를 지키고 싶은 고객은 번호 보관 서비스를 이용합니다.
- ○ 월 1,100원, 최대 24개월
- ○ 보관 중에는 전화·문자 수신이 되지 않습니다.
[table cls="tbl"]
h| 구분 | 번호 보관 | 해지
| ^월 요금 | 1,100원 | 없음
| ^번호 유지 | 최대 24개월 | 28일
[/table]
""", enc="cp949", sub="해지절차")

page("trm_death", "명의자 사망 시 해지·승계", "2025-08-25", """
# 처리 원칙
명의자가 사망한 경우 가족(상속인)이 해지 또는 명의 승계를 신청할 수 있습니다.
- 할인반환금과 단말 지원금 반환금은 면제됩니다.
- 요금은 사망일 기준으로 일할 정산합니다.
# 필요 서류
- ① 사망진단서 또는 기본증명서 (사망 사실 기재)
- ② 가족관계증명서 (신청인과의 관계 확인)
- ③ 신청인 신분증
- ④ 사망 해지 신청서
@file 사망 해지 신청서 | files/사망해지_신청서.hwp
> 먼저 깊은 위로의 말씀을 드립니다. 필요하신 서류를 문자로 안내해 드려도 될까요?
""", sub="해지절차", skin="legacy", scripts=True)

page("trm_retention", "해지 방어(유지 혜택) 상담 가이드", "2026-04-08", """
# 원칙
유지 혜택은 해지 상담 1건당 1회만 안내합니다. 고객이 거절하면 바로 해지를 접수합니다.
# 제안 가능한 혜택
[table cls="tbl" caption="고객 구분별 유지 혜택"]
h| 고객 구분 | 제안 혜택 | 승인
| ^잔여 약정 12개월 이상 | 3개월간 인터넷 요금 50% 할인 | 상담사 즉시
| ^잔여 약정 12개월 미만 | 3년 재약정 시 상품권 100,000원 | 팀장 승인
| ^약정 만료 고객 | 3년 재약정 시 월 2,200원 추가 할인 + 공유기 업그레이드 | 상담사 즉시
[/table]
# 상담 스크립트
> 고객님, 그동안 한빛 인터넷을 이용해 주셔서 감사합니다. 해지 전에 고객님께 드릴 수 있는 혜택을 한 번만 안내해 드려도 될까요?
> (거절 시) 네, 알겠습니다. 바로 해지 접수 도와드리겠습니다.
""", sub="해지절차", skin="kms", comment="상품권 금액은 분기별 변경, 팀장 확인")

page("trm_subsidy_return", "공시지원금 반환금 (모바일)", "2026-02-23", """
# 개요
공시지원금을 받고 24개월(730일) 약정 기간 안에 해지하거나 요금제를 크게 낮추면 지원금 일부를 반환합니다.
# 산정 방법
- ■ 개통 후 180일 이내 해지: 공시지원금 전액
- ■ 180일 이후 해지: 공시지원금 × (잔여 일수 ÷ 730일)
# 예시
공시지원금 400,000원을 받고 365일 사용 후 해지하면 400,000원 × (365 ÷ 730) = 200,000원을 반환합니다.
[table cls="tbl" caption="공시지원금 400,000원 기준 반환금 예시"]
h| 사용 일수 | 반환금
| ^90일 | 400,000원 (전액)
| ^365일 | 200,000원
| ^547일 | 100,000원
[/table]
※ 추가지원금(유통망 지원금)은 유통망 정책에 따라 별도로 반환될 수 있습니다.
""", sub="할인반환금", skin="lite")

page("trm_tv_only", "TV만 해지하는 경우", "2025-10-20", """
# 처리 기준
인터넷은 유지하고 TV만 해지하는 경우의 처리입니다.
- ① TV 약정 할인반환금이 별도로 청구됩니다.
- ② 홈결합이 해제되어 인터넷 결합 할인(예: 기가라이트 500 5,500원)도 다음 날부터 없어집니다.
- ③ 셋톱박스와 리모컨은 14일 이내 반납해야 합니다.
- ④ 추가 TV(멀티룸)만 해지하는 경우에는 할인반환금이 없습니다.
!tip 인터넷 결합 할인이 사라진다는 점을 반드시 먼저 안내해 민원을 예방하세요.
""", sub="해지절차", skin="kms")

page("trm_faq", "해지/위약금 자주 묻는 질문", "2026-03-06", """
Q. 약정이 언제 끝나는지 어떻게 확인하나요?
A. 고객센터 앱 > 가입정보 > 약정 조회에서 약정 만료일을 확인할 수 있습니다.
Q. 해지하면 마지막 달 요금은 어떻게 되나요?
A. 해지일까지 일할 계산해 다음 달에 청구됩니다.
Q. 이사 때문에 해지하면 위약금이 나오나요?
A. 신주소가 설치 불가 지역이면 면제됩니다. 설치 가능 지역이면 이전설치를 안내합니다.
Q. 해지 신청을 취소할 수 있나요?
A. 해지 희망일 전날까지는 취소할 수 있습니다. 해지 완료 후에는 신규 가입으로 처리됩니다.
""", sub="FAQ")

page("trm_refund_prepaid", "해지 후 환불 (과오납·선납 요금)", "2025-12-29", """
# 환불 대상
- 해지 시점에 이미 낸 요금 중 사용하지 않은 기간의 요금
- 이중 납부 등 과오납 금액
# 처리 방법
[table cls="tbl" nothead]
h| 항목 | 내용
| ^환불 계좌 | 명의자 본인 계좌만 가능
| ^처리 기간 | 계좌 등록 후 영업일 기준 7일
| ^소액 미환급금 | 1,000원 이하는 고객 요청 시에만 환불
[/table]
※ 미환급금은 '통신 미환급금 통합조회'에서도 조회할 수 있다고 안내합니다.
""", sub="환불", skin="lite")

page("trm_cooling_off", "가입 철회 (청약철회)", "2026-01-09", """
# 철회 가능 기간
- ▶ 서비스 품질 불만: 설치(개통)일로부터 14일 이내
- ▶ 단순 변심: 설치(개통)일로부터 7일 이내
# 철회 시 비용
[table cls="tbl"]
h| 사유 | 할인반환금 | 설치비 | 이용 요금
| ^품질 불만 (14일 이내) | 없음 | 청구 안 함 | 청구 안 함
| ^단순 변심 (7일 이내) | 없음 | 청구 | 사용 일수만큼 청구
[/table]
# 절차
청약철회신청서를 받고 장비를 회수합니다. 품질 불만 사유는 속도 측정 또는 장애 접수 이력으로 확인합니다.
@file 청약철회신청서 | files/청약철회신청서.pdf
""", sub="해지절차", skin="kms")


# ===========================================================================
# 요금/청구/납부
# ===========================================================================
category("요금/청구/납부")

page("bil_methods", "요금 납부 방법 안내", "2026-01-15", """
# 납부 방법 한눈에 보기
[table cls="tbl" caption="납부 방법별 특징"]
h| 납부 방법 | 납부일 | 특징
| ^계좌 자동이체 | 납기일 자동 출금 | 출금 실패 시 3영업일 후 1회 재출금
| ^신용카드 자동납부 | 납기일 자동 승인 | 카드사 포인트 적립 가능
| ^지로 | 납기일까지 은행 창구 | 청구서 지로 용지 필요
| ^가상계좌 | 수시 | 고객별 전용 계좌로 이체
| ^편의점 납부 | 수시 | 청구서 바코드 제시
| ^앱 간편결제 | 수시 | 한빛 고객센터 앱에서 즉시 납부
[/table]
※ 납부 방법 변경은 [[자동이체 신청·변경|@bil_autopay]] 문서를 참고하세요.
""", sub="납부", skin="kms")

page("bil_autopay", "자동이체 신청 및 변경", "2026-02-26", """
# 적용 시점
- 매월 20일 이전에 신청하면 당월 청구분부터 자동이체됩니다.
- 20일 이후 신청 건은 다음 달 청구분부터 적용됩니다.
[table cls="tbl" caption="신청일별 적용 예시"]
h| 신청일 | 첫 자동이체 청구분
| ^5월 12일 | 5월 청구분
| ^5월 23일 | 6월 청구분
[/table]
# 신청 방법
+ 고객센터 앱 > 납부 관리 > 자동이체 변경 (명의자 본인 인증)
+ 예금주·카드 명의자가 가입자와 다르면 자동이체 신청서에 예금주(카드 명의자) 서명 필요
+ 신청 후 출금 동의 문자(ARS 동의 포함) 확인
!note 예금주가 다른 경우 예금주 신분증 사본을 함께 받습니다.
@file 자동이체 신청서 (은행·카드 공용) | files/자동이체신청서.pdf
""", sub="납부", skin="lite")

page("bil_bill_types", "청구서 종류 및 변경", "2025-11-06", """
# 청구서 종류
- ○ 모바일 청구서(MMS): 무료, 월 220원 요금 할인
- ○ 이메일 청구서: 무료, 월 220원 요금 할인
- ○ 우편 청구서: 무료, 할인 없음
@img img/bill_sample.png | 모바일 청구서 예시 | 모바일 청구서 화면 예시
# 재발행
지난 청구서는 최근 5년 치까지 앱에서 조회할 수 있고, 우편 재발행은 1회 무료입니다.
""", sub="청구", skin="kms")

page("bil_overdue", "요금 미납 시 단계별 조치", "2024-10-14", """
# 단계별 조치
[table cls="tbl" caption="미납 기간별 조치 (모바일 기준)"]
h| 미납 기간 | 조치 | 고객 안내
| ^납기일 다음 날 | 미납 안내 문자 | 문자·알림톡
| ^1개월 미납 | 발신 정지 예고 | 문자 + 우편
| ^2개월 미납 | 발신 정지 (수신 가능) | 정지 당일 문자
| ^3개월 미납 | 착·발신 정지 | 정지 당일 문자
| ^4개월 미납 | 직권 해지 및 채권 추심 이관 | 해지 7일 전 우편 예고
[/table]
# 연체가산금
납기일까지 내지 않은 요금의 2%가 다음 달에 한 번 가산됩니다.
※ 미납 요금을 완납하면 정지는 1시간 이내에 자동 해제됩니다.
@file 분할납부 신청서 | files/분할납부신청서.hwp
""", enc="cp949", sub="미납", charset="meta")

page("bil_installment", "미납 요금 분할 납부", "2024-12-02", """
# 신청 조건
[table cls="tbl"]
h| 항목 | 기준
| ^대상 미납액 | 10만원 이상
| ^분할 기간 | 2~6개월
| ^첫 회 납부 | 미납액의 30%
[/table]
- 미납 금액이 10만원 이상인 고객
- 최대 6개월까지 분할 가능
- 첫 회차에 미납액의 30%를 먼저 납부
# 유의사항
- 분할 납부 기간 중 새로 미납이 생기면 분할이 취소되고 남은 금액이 한 번에 청구됩니다.
- 분할 약정이 등록되면 이용정지가 해제됩니다.
@file 분할납부 신청서 | files/분할납부신청서.hwp
""", enc="cp949", sub="미납")

page("bil_dispute", "요금 이의신청 절차", "2026-03-24", """
# 신청 기한
청구일로부터 6개월 이내에 신청할 수 있습니다.
# 처리 절차
+ ① 이의신청 접수: 요금 이의신청서 작성 (전화 접수 시 상담사가 대리 작성)
+ ② 통화 내역·과금 로그 조사 (빌링운영팀 이관)
+ ③ 결과 통지: 접수일로부터 14일 이내 문자 또는 서면 통지
+ ④ 과다 청구 확인 시 다음 달 요금에서 차감 또는 환불
!note 이의신청 중인 금액은 납부를 미룰 수 있으며, 그 금액 때문에 이용정지되지 않습니다.
@file 요금 이의신청서 양식 | files/요금%20이의신청서.hwp
""", sub="청구", skin="kms")

page("bil_cycle", "청구 기간과 납기일", "2025-09-01", """
# 청구 기간
매월 1일부터 말일까지 사용한 요금을 다음 달에 청구합니다.
# 납기일 선택
납기일은 매월 5일, 10일, 15일, 20일, 25일, 말일 중에서 고를 수 있으며, 연 2회까지 바꿀 수 있습니다.
[table cls="tbl" caption="납기일별 일정 예시"]
h| 납기일 | 청구서 발송 | 자동이체 출금
| ^매월 10일 | 전월 말일 전후 | 10일 (휴일이면 다음 영업일)
| ^매월 25일 | 매월 15일 전후 | 25일 (휴일이면 다음 영업일)
| ^말일 | 매월 20일 전후 | 말일 (휴일이면 다음 영업일)
[/table]
""", sub="청구", skin="board", malformed=5)

page("bil_micropay", "휴대폰 소액결제 한도 및 차단", "2026-04-13", """
# 한도 기준
[table cls="tbl" caption="소액결제 월 한도" layout side="※ 한도 상향은 본인 인증 후 앱에서만 가능"]
h| 고객 구분 | 기본 한도 | 최대 한도
| ^만 19세 미만 | 50,000원 | 50,000원
| ^가입 3개월 미만 | 100,000원 | 100,000원
| ^가입 3개월 이상 | 300,000원 | 1,000,000원
| ^외국인 | 100,000원 | 300,000원
[/table]
# 차단·한도 변경
- 소액결제 전면 차단: 부가서비스 '소액결제 차단' (무료)
- 한도 하향은 즉시, 상향은 다음 날 0시에 반영됩니다.
""", sub="소액결제", skin="kms")

page("bil_smishing", "[보안 공지] 스미싱·소액결제 피해 대응", "2026-04-28", """
# 최근 스미싱 유형
- '[한빛텔레콤] 요금 미납으로 내일 이용정지 예정' 문자에 가짜 납부 링크 포함
- '택배 주소 확인' 문자로 악성 앱 설치 유도
# 보안 공지 예시 (직원 교육용)
아래는 가짜 납부 페이지에 숨겨진 악성 코드의 예시입니다. 고객에게 절대 링크를 누르지 말라고 안내하세요.
[raw]
<pre class="code-sample">&lt;script&gt;alert('개인정보를 입력하세요')&lt;/script&gt;</pre>
[/raw]
# 소액결제 피해 접수 절차
+ ① 경찰서에서 사건사고사실확인원 발급
+ ② 고객센터 피해 접수 (결제 일시·금액 확인)
+ ③ 결제대행사에 취소 요청 (한빛이 대행)
+ ④ 추가 피해 방지를 위해 소액결제 차단 설정
!warn 한빛텔레콤은 문자로 결제 링크를 보내지 않습니다. 공식 발신번호는 114와 1588-0114뿐입니다.
""", sub="소액결제", skin="kms")

page("bil_prorate", "일할 계산 기준", "2025-12-18", """
# 공식
가입·해지·요금제 변경이 있는 달의 월정액은 다음과 같이 계산합니다.
!note 일할 요금 = 월정액 × 이용 일수 ÷ 해당 월 일수 (원 미만 절사)
# 예시
4월 11일에 5G 스탠다드(월 61,000원)에 가입하면 4월 이용 일수는 20일이므로 61,000원 × 20 ÷ 30 = 40,666원이 청구됩니다.
※ 부가서비스와 VOD 월정액은 일할 계산하지 않는 상품이 있으니 상품별 규정을 확인하세요.
""", sub="청구", skin="lite")

page("bil_tax_invoice", "세금계산서 발행 (사업자 고객)", "2025-07-07", """
# 대상
사업자 명의로 가입된 회선 (개인 명의 회선은 발행 불가)
# 발행 기준
[table cls="tbl"]
h| 항목 | 기준
| ^발행일 | 매월 10일
| ^재발행 | 최근 5년
[/table]
- 매월 10일 전자세금계산서 일괄 발행
- 수신 이메일 변경은 세금계산서 발행 신청서로 처리
- 지난 세금계산서 재발행은 최근 5년 치까지 가능
@file 세금계산서 발행 신청서 | files/세금계산서발행신청서.pdf
""", sub="청구", skin="legacy")

page("bil_combined", "통합청구 (여러 회선 하나의 청구서)", "2026-02-03", """
# 개요
가족 등 여러 회선의 요금을 한 명의 납부 책임자에게 하나의 청구서로 청구합니다.
[table cls="tbl" nothead]
h| 항목 | 내용
| ^최대 회선 수 | 10회선
| ^동의 | 각 회선 명의자 동의 필요 (문자 인증)
| ^납부 책임 | 통합청구 대표자
| ^해제 | 각 회선 명의자가 언제든 해제 가능
[/table]
※ 통합청구는 결합 할인과는 별개입니다. 청구서만 합쳐지고 할인은 생기지 않습니다.
""", sub="청구", skin="kms")


# ===========================================================================
# 할인/멤버십
# ===========================================================================
category("할인/멤버십")

page("dsc_welfare", "복지할인 대상 및 할인 금액", "2026-03-04", """
# 대상별 할인
[table cls="tbl_welfare" caption="복지할인 기준 (VAT 포함)" cols="28,24,24,24"]
h| {r2}대상 | {c3}할인 내용
h| 모바일 | 인터넷 | 집전화
| ^장애인 | 월정액 35% 할인 | 월 이용료 30% 할인 | 기본료 50% 할인
| ^국가유공자 | 월정액 35% 할인 | 월 이용료 30% 할인 | 기본료 50% 할인
| ^기초생활수급자 (생계·의료) | 월 최대 28,600원 감면 | 월 이용료 30% 할인 | 기본료 면제
| ^기초생활수급자 (주거·교육), 차상위계층 | 월 최대 23,650원 감면 | 월 이용료 30% 할인 | 기본료 면제
| ^기초연금 수급자 (만 65세 이상) | 월 최대 11,000원 감면 | - | -
[/table]
# 유의사항
- ※ 복지할인은 여러 자격이 있어도 가장 큰 할인 1개만 적용됩니다.
- ※ 모바일 복지할인은 1인당 1회선에만 적용됩니다.
- ※ 결합 할인, 선택약정 할인과는 중복 적용됩니다.
@file 복지할인 신청서 | files/복지할인신청서.pdf
@rel dsc_welfare_process
""", sub="복지할인", skin="kms")

page("dsc_welfare_process", "복지할인 신청 절차", "2024-07-22", """
# 신청 방법
+ 고객 동의를 받아 행복e음(사회보장정보시스템)으로 자격을 조회합니다.
+ 자격이 확인되면 할인 유형과 대상 회선을 선택해 등록합니다.
+ 조회가 되지 않는 국가유공자 등은 증명서(국가유공자증 사본 등)를 팩스로 받습니다.
# 적용 시점
복지할인은 신청일 다음 날부터 일할 적용됩니다. 지난 기간에 대해 소급 적용하지 않습니다.
[table cls="tbl"]
h| 대상 | 자격 확인 방법
| ^기초생활수급자·차상위계층 | 행복e음 자동 조회
| ^장애인 | 행복e음 자동 조회
| ^국가유공자 | 국가유공자증 사본 (팩스)
| ^기초연금 수급자 | 행복e음 자동 조회
[/table]
@file 복지할인 신청서 | files/복지할인신청서.pdf
# 자격 변동
매월 자격을 다시 조회하여 자격이 없어지면 다음 달부터 할인이 자동 종료됩니다.
※ 대리인 신청 시 위임장과 명의자 신분증 사본이 필요합니다.
""", enc="cp949", sub="복지할인")

page("dsc_membership_grade", "한빛 멤버십 등급 기준", "2026-01-02", """
# 등급 산정
매년 1월 1일에 전년도 연간 이용 요금(할인 후 금액, 모바일·인터넷·TV 합산)으로 등급을 정합니다.
[table cls="tbl_grade" caption="2026년 멤버십 등급"]
h| 등급 | 연간 이용 요금 | 영화 무료 예매 | 데이터 쿠폰
| ^VVIP | 150만원 이상 | 연 12회 | 연 6회
| ^VIP | 90만원 이상 | 연 6회 | 연 4회
| ^골드 | 60만원 이상 | 연 3회 | 연 2회
| ^실버 | 60만원 미만 | - | 연 1회
[/table]
!note 가입 20년 이상 고객은 이용 요금과 관계없이 VIP 이상 등급이 부여됩니다.
@img img/membership_card.png | 멤버십 카드 이미지 | 한빛 멤버십 모바일 카드
""", sub="멤버십", skin="lite")

page("dsc_membership_benefits", "멤버십 제휴처 혜택", "2026-02-17", """
[table cls="tbl" caption="등급별 제휴 혜택"]
h| {r2}분야 | {r2}제휴처 | {c3}등급별 혜택
h| VVIP·VIP | 골드 | 실버
| ^영화 | 씨네한빛 | 무료 예매 (등급별 횟수) | 무료 예매 (연 3회) | 2,000원 할인
| ^카페 | 카페 브루 | 20% 할인 | 10% 할인 | 5% 할인
| ^편의점 | 하루마트 | 10% 할인 | 5% 할인 | 5% 할인
| ^베이커리 | 빵굽는마을 | 15% 할인 | 10% 할인 | -
| ^테마파크 | 한빛랜드 | 자유이용권 50% 할인 | 자유이용권 30% 할인 | 입장권 20% 할인
[/table]
※ 제휴처 혜택은 하루 1회, 제휴처별 월 10회까지 사용할 수 있습니다.
""", sub="멤버십", skin="kms")

page("dsc_longterm", "장기고객 혜택", "2025-11-17", """
# 가입 기간별 혜택
[table cls="tbl" caption="장기고객 데이터 리필 쿠폰"]
h| 가입 기간 | 데이터 리필 쿠폰 | 추가 혜택
| ^2년 이상 | 연 2회 | -
| ^5년 이상 | 연 4회 | -
| ^10년 이상 | 연 6회 | 휴대폰 배터리 무료 교체 1회
| ^20년 이상 | 연 6회 | VIP 이상 등급 자동 부여
[/table]
데이터 리필 쿠폰 1장은 요금제 기본 데이터를 한 번 다시 채워 줍니다(최대 10GB). 쿠폰은 발급일로부터 1년 안에 써야 합니다.
""", sub="장기고객", skin="lite")

page("dsc_youth", "청년 혜택 '한빛 영'", "2026-03-13", """
# 대상
만 19세 이상 34세 이하 모바일 고객 (가입 시 나이 기준, 만 35세가 되는 해의 말일까지)
# 혜택
- ■ 5G 요금제 가입 시 기본 데이터 50% 추가 제공 (최대 30GB)
- ■ 무비온 프리미엄 30% 할인
- ■ 영 전용 멤버십 쿠폰 (카페 브루 음료 1+1, 월 1회)
※ 5G 프리미어 레귤러 이상 무제한 요금제는 데이터 추가 대신 테더링 20GB를 더 제공합니다.
""", sub="연령별 할인", skin="kms")

page("dsc_soldier", "군 장병 할인", "2025-06-30", """
# 대상
현역 복무 중인 병사(이병~병장) 및 상근예비역
# 혜택
[table cls="tbl"]
h| 혜택 | 내용
| ^요금 할인 | 모바일 요금제 월정액 20% 할인
| ^생활관 WiFi | 군 생활관 한빛 WiFi 무료 이용
| ^전역 후 | 전역 후 3개월까지 할인 유지
[/table]
# 증빙
복무확인서 또는 병적증명서 (발급 1개월 이내)
""", sub="연령별 할인", skin="legacy")

page("dsc_coupon", "데이터 쿠폰 사용 및 선물", "2026-02-12", """
# 사용
- 고객센터 앱 > 혜택 > 데이터 쿠폰에서 바로 사용
- 쿠폰 유효기간: 발급일로부터 90일 (장기고객 리필 쿠폰은 1년)
# 선물
- 가족·지인에게 월 2회까지 선물 가능
- 선물받은 쿠폰의 유효기간은 원래 쿠폰의 남은 기간입니다.
!note 해지하면 남은 쿠폰은 모두 사라지며 현금으로 돌려주지 않습니다.
""", sub="멤버십", skin="kms")

page("dsc_points", "한빛 포인트 적립과 사용", "2025-10-01", """
# 적립
모바일 요금 1,000원당 10포인트가 쌓입니다. (할인 후 납부 금액 기준)
[table cls="tbl" tdhead]
h| 등급 | 추가 적립
| VVIP·VIP | 1,000원당 5포인트 추가
| 골드 | 1,000원당 2포인트 추가
[/table]
# 사용
- 1포인트 = 1원으로 통신 요금 결제
- 한 달에 최대 5,000포인트까지 사용
- 멤버십 제휴처에서도 사용 가능
# 소멸
적립일로부터 5년이 지나면 소멸합니다.
""", sub="멤버십", skin="board")

page("dsc_card", "제휴카드 통신비 할인", "2026-04-09", """
# 카드별 할인
[table cls="tbl_card" caption="제휴카드 월 할인 (자동이체 등록 필수)" layout side="※ 전월 실적은 카드 이용 금액 기준이며 통신 요금 자동이체 금액은 제외"]
h| 카드 | 전월 실적 | 월 할인 | 연회비
| ^{r2}한빛 플러스카드 | 30만원 이상 | 월 15,000원 할인 | {r2}15,000원
| 70만원 이상 | 월 22,000원 할인
| ^{r2}한빛 라이트카드 | 30만원 이상 | 월 10,000원 할인 | {r2}없음
| 50만원 이상 | 월 12,000원 할인
[/table]
# 안내 기준
- 카드 발급 후 통신 요금을 해당 카드로 자동이체해야 할인이 적용됩니다.
- 할인은 다음 달 카드 청구 시 차감됩니다.
""", sub="제휴할인", skin="lite")

page("dsc_faq", "할인·멤버십 FAQ", "2026-01-28", """
Q. 멤버십 등급이 작년보다 내려갔어요.
A. 등급은 매년 1월 전년도 이용 요금으로 다시 정해집니다. 요금제를 낮췄다면 등급이 내려갈 수 있습니다.
Q. 복지할인과 결합 할인이 같이 되나요?
A. 네, 중복 적용됩니다. 복지할인끼리는 가장 큰 할인 하나만 적용됩니다.
Q. 포인트로 단말기 할부금을 낼 수 있나요?
A. 아니요, 포인트는 통신 요금(월정액·부가서비스)에만 쓸 수 있습니다.
""", sub="FAQ")

page("dsc_kids", "키즈 요금제 및 자녀 안심 혜택", "2026-03-26", """
# 키즈 요금제 (만 12세 이하)
[table cls="tbl"]
h| 요금제 | 월정액 | 데이터 | 통화
| ^한빛 키즈 22 | 22,000원 | 2GB | 지정 번호 무제한
| ^키즈워치 요금제 | 8,800원 | 300MB | 지정 번호 무제한
[/table]
# 자녀 안심 혜택
- 자녀 폰 지킴이(유해정보 차단) 무료
- 보호자 회선과 결합 시 키즈 요금 월 2,200원 추가 할인
""", sub="연령별 할인", skin="kms")


# ===========================================================================
# 장애/AS/수리
# ===========================================================================
category("장애/AS/수리")

page("as_internet_trouble", "인터넷 장애 1차 조치 가이드", "2026-04-02", """
# 광모뎀 LED 상태 확인
고객에게 광모뎀 앞면의 LED 상태를 물어보고 아래 표에 따라 조치합니다.
@img img/ont_led.png | 광모뎀 LED 위치 | 그림) 광모뎀(ONT) 앞면 LED 배치
[table cls="tbl_led" caption="광모뎀 LED 상태별 조치"]
h| LED | 상태 | 의미 | 조치
| ^{r2}PWR | 꺼짐 | 전원 공급 없음 | 전원 어댑터·콘센트 확인
| 초록 점등 | 정상 | -
| ^{r2}PON | 깜빡임 | 망 인증 중 | 5분 대기 후 재확인
| 초록 점등 | 정상 | -
| ^LOS | 빨간불 | 광 신호 없음 (광케이블 단선 의심) | 재부팅하지 말고 바로 장애 접수
| ^LAN | 꺼짐 | 공유기·PC 연결 안 됨 | 랜선 다시 연결
[/table]
# 재부팅 순서
+ 광모뎀과 공유기 전원을 모두 끕니다.
+ 광모뎀을 먼저 켜고 1분 기다립니다.
+ 공유기를 켜고 2분 뒤 인터넷 연결을 확인합니다.
!warn 재부팅으로 해결되지 않으면 원격 점검 후 기사 방문을 접수합니다.
@rel as_sla as_remote as_wifi_slow
""", sub="인터넷 장애", skin="kms")

page("as_sla", "장애 접수 및 처리 기준 (SLA)", "2026-01-16", """
# 처리 목표 시간
장애 접수 후 30분 이내에 원격 점검을 하고, 방문이 필요하면 아래 시간 안에 기사가 방문합니다.
[table cls="tbl" caption="지역별 방문 목표 시간"]
h| 지역 | 방문 목표 시간 | 비고
| ^수도권·광역시 | 4시간 이내 | 야간 접수(22시 이후)는 다음 날 오전
| ^그 외 시·군 지역 | 8시간 이내 | -
| ^도서·산간 | 24시간 이내 | 기상 상황에 따라 지연 가능
[/table]
# 장애 전용 접수
장애 전용 번호 1588-0100 (24시간)으로 접수하면 상담 대기 없이 장애 담당에게 바로 연결됩니다.
@file 장애보상 신청서 | files/장애보상신청서.hwp
""", sub="장애 접수", skin="lite")

page("as_compensation", "서비스 장애 보상 기준", "2026-02-06", """
# 보상 기준
회사 책임으로 인터넷·TV·집전화 서비스가 끊긴 경우 아래 기준으로 보상합니다.
- ○ 대상: 연속 3시간 이상 장애 또는 한 달 누적 6시간 이상 장애
- ○ 보상액: 장애 시간에 해당하는 요금의 8배 감면
- ○ 신청 기한: 장애가 난 날부터 3개월 이내
[table cls="tbl" caption="보상 계산 예시"]
h| 월 이용료 | 장애 시간 | 보상액 (8배)
| ^38,500원 | 5시간 | 2,138원
| ^49,500원 | 12시간 | 6,600원
[/table]
# 신청 방법
고객센터에 전화로 신청하거나 장애보상 신청서를 제출합니다. 대규모 장애는 고객 신청 없이 자동 보상합니다.
@file 장애보상 신청서 | files/장애보상신청서.hwp
※ 고객 장비(고객 소유 공유기·PC) 문제나 정전으로 인한 장애는 보상 대상이 아닙니다.
""", sub="보상", skin="kms")

page("as_visit_fee", "방문 AS 비용 기준 (유상·무상)", "2025-12-04", """
[table cls="tbl" caption="방문 AS 유상·무상 기준" layout side="※ 유상 비용은 다음 달 요금에 합산 청구"]
h| 구분 | 사례 | 비용
| ^{r2}무상 | 한빛 설비·임대 장비 고장 | 없음
| 회사 공사로 인한 선로 장애 | 없음
| ^{r4}유상 | 고객 과실로 임대 장비 파손 | 출장비 16,500원 + 장비 변상금
| 고객 소유 PC·공유기 점검 | 출장비 16,500원
| 실내 배선 추가 공사 | 1개소당 11,000원
| 야간(18시 이후)·휴일 방문 | 5,500원 할증
[/table]
# 안내 요령
방문 전에 유상 가능성을 미리 알리고 고객 동의를 받습니다. 점검 결과 회사 책임이면 출장비를 받지 않습니다.
""", sub="방문 AS", skin="kms")

TV_ERRORS = [
    ("E-101", "네트워크 연결 끊김", "셋톱 뒤 랜선 재연결, 광모뎀 LED 확인"),
    ("E-201", "셋톱 인증 실패", "셋톱 전원 재연결 (10초 후)"),
    ("E-301", "수신 신호 약함", "인터넷 속도 확인 후 장애 접수"),
    ("E-404", "콘텐츠 없음", "VOD 판권 종료, 다른 콘텐츠 안내"),
    ("E-501", "셋톱 저장공간 부족", "녹화물 삭제 안내"),
    ("E-602", "HDMI 인증(HDCP) 오류", "HDMI 케이블 교체 또는 TV 다른 단자 연결"),
    ("E-701", "미가입 채널", "유료 채널 가입 안내"),
    ("E-702", "시청 연령 제한", "자녀 보호 비밀번호 입력"),
    ("E-801", "VOD 결제 오류", "구매 한도 확인, 빌링 이관"),
    ("E-902", "셋톱 업데이트 실패", "전원 재연결 후 자동 재시도 (최대 20분)"),
    ("E-903", "셋톱 과열", "통풍되는 곳으로 이동, 30분 후 재시작"),
    ("E-999", "알 수 없는 오류", "원격 점검 접수"),
]

page("as_tv_trouble", "IPTV 화면 오류 코드별 조치", "2026-03-19", """
# 기본 조치
화면이 안 나오면 먼저 TV 외부입력(HDMI)과 셋톱 전원을 확인합니다.
# 오류 코드별 조치
[table cls="tbl_err" caption="셋톱 오류 코드" cols="15,35,50"]
h| 코드 | 의미 | 조치
""" + "\n".join(f"| ^{c} | {m} | {a} |" for c, m, a in TV_ERRORS) + """
[/table]
@file 셋톱 후면 단자 그림 | ./files/셋톱_후면단자.png
""", sub="TV 장애", skin="lite")

page("as_phonecare", "휴대폰 보험 '폰케어' 비교", "2026-02-19", """
# 상품 비교
[table cls="tbl_compare" caption="폰케어 상품 비교"]
h| 구분 | 폰케어 라이트 | 폰케어 플러스 | 폰케어 아이리스 전용
| ^월 이용료 | 3,300원 | 5,900원 | 8,900원
| ^보장 범위 | 파손 | 분실·도난·파손 | 분실·도난·파손·배터리
| ^자기부담금 | 손해액의 25% | 손해액의 30% | 손해액의 25%
| ^최대 보상 | 50만원 | 100만원 | 150만원
[/table]
# 가입 조건
- 개통일로부터 30일 이내에만 가입할 수 있습니다.
- 중고폰·자급제폰은 단말 상태 확인(매장 점검) 후 가입합니다.
@file 폰케어 약관 | files/폰케어_약관.pdf
""", sub="휴대폰 수리", skin="kms")

page("as_lost_phone", "휴대폰 분실·도난 신고", "2025-08-18", """
# 신고 방법
- 분실 신고 전용 1588-0119 (24시간) 또는 고객센터 114
- 고객센터 앱(다른 기기에서 로그인) > 분실 신고
# 분실 신고 후 처리
+ 분실 정지: 착신·발신 정지, 정지 기간 월정액 면제 (최대 90일)
+ 분실폰 찾기: 위치 조회 및 원격 잠금 (부가서비스 가입 시)
+ 습득 시: 명의자 본인 확인 후 정지 해제
※ 폰케어 플러스 가입 고객은 분실 신고 후 30일 이내 보험금을 청구합니다.
[table cls="tbl"]
h| 정지 종류 | 요금 | 최대 기간
| ^분실 정지 | 월정액 면제 | 90일
| ^일반 일시정지 | 월 3,850원 | 연 90일
[/table]
""", sub="휴대폰 수리", skin="legacy")

page("as_wifi_slow", "와이파이 속도 저하 점검 가이드", "2026-01-23", """
# 주파수 대역 비교
[table cls="tbl" caption="2.4GHz와 5GHz 비교"]
h| 구분 | 2.4GHz | 5GHz
| ^속도 | 느림 (최대 약 300Mbps) | 빠름 (1Gbps 이상)
| ^도달 거리 | 멀리, 벽 통과 잘됨 | 짧음, 벽에 약함
| ^권장 | 먼 방, IoT 기기 | 공유기와 같은 공간
[/table]
# 점검 순서
+ 유선으로 속도를 측정해 인터넷 회선 문제인지 와이파이 문제인지 구분
+ 공유기 위치 확인 (바닥·가구 안·전자레인지 옆 피하기)
+ 5GHz 대역(SSID 끝 _5G)으로 연결하도록 안내
+ 주변 와이파이가 많으면 공유기 관리 화면에서 채널 자동 변경
!tip 집이 넓거나 층이 나뉘어 있으면 메시 공유기 교체를 안내합니다.
""", sub="인터넷 장애", skin="board", malformed=6)

page("as_tel_trouble", "집전화 통화 불량 조치", "2023-11-27", """
# 증상별 조치
[table cls="tbl"]
h| 증상 | 확인 사항 | 조치
| ^잡음(지직거림) | 전화선 꺾임, 다른 전기제품과 거리 | 전화선 교체, 분배기 제거 후 확인
| ^발신음 없음 | 벽 단자 연결, 다른 전화기 테스트 | 다른 전화기도 안 되면 장애 접수
| ^전화가 안 걸려 옴 | 착신전환 설정 여부 | *73#으로 착신전환 해제 후 확인
[/table]
※ 건물 단자함 이상은 관리사무소 협조가 필요할 수 있습니다.
""", enc="cp949", sub="집전화 장애")

page("as_outage_notice", "대규모 장애 발생 시 안내 요령", "2026-04-17", """
# 대규모 장애 판단
같은 지역(동 단위)에서 30분 안에 장애 접수가 50건 이상이면 네트워크 관제센터가 대규모 장애로 지정하고 KMS 공지를 올립니다.
# 상담 요령
- 개별 장애 접수는 하지 않고, 공지된 복구 예상 시간을 안내합니다.
- 보상은 고객 신청 없이 자동 적용된다고 안내합니다.
- 복구 후에도 안 되는 고객만 개별 장애로 접수합니다.
# 안내 멘트
> 고객님, 현재 해당 지역에 통신 장애가 발생해 복구 중입니다. 복구 예상 시간은 공지된 시간 기준으로 안내해 드리며, 보상은 별도 신청 없이 자동으로 적용됩니다.
""", sub="장애 접수", skin="kms", comment="장애 건수 기준 50건은 관제센터와 협의 중 (변경 가능)")

CENTERS = [
    ("광화문센터", "서울 종로구 새문안로 92", "09:00~18:00", "09:00~13:00"),
    ("강남센터", "서울 강남구 테헤란로 114", "09:00~19:00", "09:00~15:00"),
    ("영등포센터", "서울 영등포구 영중로 21", "09:00~18:00", "휴무"),
    ("수원센터", "경기 수원시 팔달구 효원로 300", "09:00~18:00", "09:00~13:00"),
    ("일산센터", "경기 고양시 일산동구 중앙로 1200", "09:00~18:00", "휴무"),
    ("인천센터", "인천 남동구 인하로 500", "09:00~18:00", "09:00~13:00"),
    ("대전센터", "대전 서구 둔산로 100", "09:00~18:00", "09:00~13:00"),
    ("광주센터", "광주 서구 상무중앙로 80", "09:00~18:00", "휴무"),
    ("대구센터", "대구 수성구 달구벌대로 2400", "09:00~18:00", "09:00~13:00"),
    ("해운대센터", "부산 해운대구 센텀중앙로 55", "09:00~18:00", "10:00~14:00"),
    ("울산센터", "울산 남구 삼산로 250", "09:00~18:00", "휴무"),
    ("제주센터", "제주 제주시 연삼로 150", "09:00~17:30", "휴무"),
]

page("as_centers", "서비스센터 위치 및 운영 시간", "2026-03-31", """
휴대폰 수리·단말 점검은 아래 서비스센터에서 받을 수 있습니다. 일요일과 공휴일은 모든 센터가 쉽니다.
[table cls="tbl" caption="서비스센터 목록" cols="18,42,20,20"]
h| 센터 | 주소 | 평일 | 토요일
""" + "\n".join(f"| ^{n} | {a} | {w} | {s} |" for n, a, w, s in CENTERS) + """
[/table]
※ 방문 전 고객센터 앱에서 예약하면 대기 없이 접수할 수 있습니다.
""", sub="휴대폰 수리", skin="lite")

page("as_remote", "원격 점검(원격 지원) 절차", "2026-02-27", """
# 진행 순서
+ ① 고객에게 원격 점검 동의를 받습니다 (통화 녹취로 동의 확인).
+ ② 고객 PC에서 원격 지원 페이지(remote.hanbit.example)에 접속하도록 안내합니다.
+ ③ 상담사 화면에 표시된 6자리 접속번호를 고객에게 불러 줍니다.
+ ④ 점검·설정 변경 후 고객 확인을 받고 연결을 종료합니다.
+ ⑤ 종료하면 원격 프로그램은 고객 PC에서 자동 삭제됩니다.
!warn 원격 점검 중 고객의 금융·개인 파일은 열지 않습니다. 고객이 자리를 비우면 즉시 연결을 끊습니다.
""", sub="인터넷 장애", enc="utf-8-sig", skin="kms")

page("as_equipment_warranty", "임대·판매 장비 무상 교체 기준", "2025-10-30", """
# 임대 장비
광모뎀, 공유기, 셋톱 등 임대 장비는 사용 기간과 관계없이 자연 고장이면 무상 교체합니다.
# 판매 장비
구매한 전화기 등 판매 장비는 구매일로부터 1년 동안 무상 AS를 받을 수 있습니다.
# 낙뢰·침수
[table cls="tbl"]
h| 장비 구분 | 무상 교체 기준
| ^임대 장비 | 자연 고장이면 기간 무관
| ^판매 장비 | 구매 후 1년
| ^낙뢰 피해 | 임대 장비 연 1회
[/table]
- 낙뢰 피해는 임대 장비에 한해 연 1회 무상 교체
- 침수 피해는 고객 과실로 보아 변상금 부과
""", sub="방문 AS", skin="lite")


# ---------------------------------------------------------------------------
# A few more pages (declared late; numbering is round-robin so they land at the end)
# ---------------------------------------------------------------------------
category("인터넷")

page("int_join_docs", "인터넷 가입 구비서류 및 명의 조건", "2025-11-28", """
# 명의자 조건
- 만 19세 이상 본인 명의 (미성년자는 인터넷 단독 가입 불가, 법정대리인 명의로 가입)
- 외국인은 체류 기간이 6개월 이상 남아 있어야 가입할 수 있습니다.
- 한빛 서비스 미납 요금이 있으면 완납 후 가입할 수 있습니다.
# 구비서류
[table cls="tbl" cols="25,75"]
h| 가입 유형 | 필요 서류
| ^본인 | 신분증
| ^대리인 | 위임장, 명의자 신분증 사본, 대리인 신분증
| ^외국인 | 외국인등록증 (체류 기간 확인)
| ^개인사업자 | 사업자등록증, 대표자 신분증
[/table]
@file 위임장 양식 | files/위임장.hwp
""", sub="가입/설치", skin="lite")

category("요금/청구/납부")

page("bil_faq", "요금·납부 자주 묻는 질문", "2026-04-24", """
Q. 이번 달 요금이 갑자기 많이 나왔어요.
A. 청구 내역에서 일할 계산(가입·변경 월), 부가서비스, 소액결제 내역을 차례로 확인해 안내합니다.
Q. 납부했는데 미납으로 나와요.
A. 납부 후 반영까지 최대 1시간이 걸립니다. 편의점 납부는 다음 영업일에 반영될 수 있습니다.
Q. 청구서를 다시 받고 싶어요.
A. 앱에서 최근 5년 치를 볼 수 있고, 우편 재발행은 1회 무료입니다.
""", sub="FAQ")


# ===========================================================================
# Dev questions  (q(category, style, text, gold page key(s), facts, in_table, attachment))
# style: 단 = 단답형, 간 = 간결한 문장형, 일 = 일반 문장형
# ===========================================================================
_S26U = won(subsidy_of("노바 S26 울트라")[2])

# --- 프로세스
q("프로세스", "간", "이전설치 신청하려면 머 필요해요? 신청서 양식두 주세요", "mov_process", ["이사신청서", "명의자 신분증"], att=F_MOVE_FORM)
q("프로세스", "단", "이사 며칠전에 신청해야돼요", "mov_process", ["7일 전까지"])
q("프로세스", "단", "인터넷 해지 장비 반납 기한", "trm_internet_process", ["14일 이내"])
q("프로세스", "일", "매장으로 직접 오셔서 인터넷 해지하겠다는 고객이 계신데 해지신청서 양식은 어디서 출력하면 되나요?", "trm_internet_process", ["해지신청서"], att=F_TERM_FORM)
q("프로세스", "일", "명의자분이 돌아가셔서 따님이 해지하러 오셨는데 서류 뭐 받아야 하고 신청서 양식 있나요?", "trm_death", ["기본증명서", "가족관계증명서"], att=F_DEATH)
q("프로세스", "간", "중학생 폰 개통할때 부모 동의서 양식 어디서 받아요", "mob_youth", ["법정대리인 동의서"], att=F_GUARDIAN)
q("프로세스", "일", "요금이 이상하게 나왔다고 이의신청 하시겠대요. 양식이랑 결과 언제 나오는지 알려주세요", "bil_dispute", ["14일 이내"], att=F_DISPUTE)
q("프로세스", "단", "음성리모컨 연결 어케함", "tv_remote", ["홈 버튼과 음성 버튼을 동시에 5초간"])
q("프로세스", "간", "원격점검 들어갈 때 고객한테 뭐 불러줘야 돼요?", "as_remote", ["6자리 접속번호"])
q("프로세스", "일", "고객이 스미싱 문자 눌렀다가 소액결제가 빠져나갔대요 뭐부터 하라고 안내해야 돼요?", "bil_smishing", ["사건사고사실확인원"])
q("프로세스", "단", "집전화 착신전환 해제 번호", "tel_forwarding", ["*73#"], table=True)
q("프로세스", "일", "오늘 인터넷 신규 가입 접수했는데 고객이 설치 기사님 언제 배정되는지 물어보세요 보통 며칠 걸리나요?", "int_install", ["영업일 기준 2일 이내"])
q("프로세스", "일", "세입자한테 인터넷 넘기고 이사간다는데 명의변경 서류 뭐 필요해요? 신청서두요", "mov_transfer_owner", ["양수인 신분증"], table=True, att=F_OWNER_FORM)
q("프로세스", "간", "가족결합 대리로 신청한다는데 위임장 양식 어딨어요", "bnd_docs", ["결합위임장"], att=F_BUNDLE_POA)

q("프로세스", "일", "복지할인 신청하면 언제부터 적용돼요? 지난달 요금도 깎아주나요?", "dsc_welfare_process", ["신청일 다음 날부터", "소급 적용하지 않습니다"])

# --- 기능/내용
q("기능/내용", "간", "자녀안심 인터넷 시간 제한 기능도 있나요?", "int_safe", ["이용 시간 예약"])
q("기능/내용", "단", "통화가능알림 월 얼마", "mob_addon_list", ["550원"], table=True)
q("기능/내용", "단", "티비 E-602 에러", "as_tv_trouble", ["HDMI 케이블 교체"], table=True)
q("기능/내용", "일", "인터넷이 안 된다는데 모뎀에 LOS 빨간불 들어와 있대요 이거 뭐에요?", "as_internet_trouble", ["광케이블 단선", "바로 장애 접수"], table=True)
q("기능/내용", "간", "메시 공유기가 뭐예요 일반 공유기랑 머가 달라요", "int_wifi", ["위성 기기를 층마다 배치"])
q("기능/내용", "간", "단말기 지원금표 엑셀 파일 어디 있어요", "mob_subsidy", ["단말기 지원금표"], att=F_SUBSIDY)
q("기능/내용", "일", "월 중간에 가입하면 첫 달 요금은 어떻게 계산돼서 나와요?", "bil_prorate", ["월정액 × 이용 일수 ÷ 해당 월 일수"])
q("기능/내용", "단", "eSIM 이 뭐에요", "mob_esim", ["디지털 유심"])
q("기능/내용", "일", "한빛TV 쓰는 고객이 폰으로도 보고 싶대요, 모바일 앱은 무료인가요? 몇 대까지 동시에 볼 수 있어요?", "tv_mobile_app", ["동시 접속 2대"])
q("기능/내용", "일", "지역 대규모 장애 났을 때 고객이 보상 따로 신청해야 되나요?", "as_outage_notice", ["고객 신청 없이 자동 적용"])
q("기능/내용", "단", "한빛포인트 한달 최대 사용", "dsc_points", ["5,000포인트"])
q("기능/내용", "간", "개인 고정 아이피 몇개까지 되고 얼마에요", "int_static_ip", ["1개당 11,000원", "4개"], table=True)
q("기능/내용", "단", "폰 분실신고 번호", "as_lost_phone", ["1588-0119"])
q("기능/내용", "간", "1588 대표번호 착신 회선 몇 개까지 붙일 수 있어요?", "tel_business", ["최대 30회선"], table=True)

q("기능/내용", "단", "납부일 언제로 바꿀수있어요", "bil_cycle", ["매월 5일, 10일, 15일, 20일, 25일, 말일"])

# --- 상품추천
q("상품추천", "일", "집이 3층 단독주택인데 윗층까지 와이파이가 안 터진대요 공유기 뭐 추천해요?", "int_wifi", ["기가WiFi 메시 7", "4,400원"], table=True)
q("상품추천", "일", "카페 사장님이 포스기 쓰고 고정IP도 필요하대요 인터넷 뭐가 좋아요", ["int_biz", "int_static_ip"], ["비즈넷 프로", "고정IP 1개"])
q("상품추천", "간", "할머니 혼자 사시는데 뉴스랑 드라마만 보세요 젤 싼 티비 요금제", "tv_plans", ["한빛TV 라이트", "9,900원"], table=True)
q("상품추천", "간", "애기 있는 집인데 만화 많이 나오는 월정액 뭐 있어요", "tv_vod_packs", ["키즈랜드", "9,900원"], table=True)
q("상품추천", "일", "데이터를 한 달에 100기가쯤 쓰는데 무제한까지는 필요 없대요 5G 요금제 뭐 추천해요?", "mob_5g_plans", ["5G 스탠다드 플러스", "110GB"], table=True)
q("상품추천", "간", "70세 어머님 통화만 하시고 데이터 거의 안 쓰셔요 요금제 추천", "mob_senior", ["LTE 시니어 효도", "22,000원"], table=True)
q("상품추천", "간", "일본 4박5일 여행 간대요 로밍 뭐가 나아요", "mob_roaming", ["아시아 로밍패스", "19,800원 (4GB)"], table=True)
q("상품추천", "일", "어르신이 집전화로 자식들 휴대폰에 전화를 엄청 하세요 무제한 요금제 뭐가 좋아요?", "tel_unlimited", ["홈 무제한 맥스", "16,500원"], table=True)
q("상품추천", "간", "혼자 사는 고객 폰 한대랑 인터넷 결합 되는거 있어요?", ["bnd_compare", "bnd_single"], ["싱글결합", "5,500원 할인", "20GB"])
q("상품추천", "일", "카드로 통신비 할인 받고 싶대요 카드는 한 달에 50만원 정도 쓰신대요 어떤 카드가 좋아요", "dsc_card", ["한빛 플러스카드", "월 15,000원 할인"], table=True)
q("상품추천", "간", "부모님 따로 사시는데 부모님 폰 요금 깎아주는 결합 있어요?", "bnd_filial", ["부모 회선 월정액 15% 할인"], table=True)
q("상품추천", "간", "아이리스 폰 쓰는 고객 배터리까지 되는 폰보험 추천", "as_phonecare", ["폰케어 아이리스 전용", "8,900원"], table=True)
q("상품추천", "단", "영화 좋아하는 고객 티비 요금제", "tv_plans", ["한빛TV 프리미엄", "무비프리 월정액 포함"], table=True)
q("상품추천", "간", "게임 방송하는 고객이 제일 빠른 인터넷 원해요 얼마에요", "int_plans", ["10기가 플래티넘", "88,000원"], table=True)

q("상품추천", "일", "기가프리미엄 쓰는 고객이 PC 백신 찾는데 뭐 권하면 돼요? 돈 따로 내야 돼요?", "int_security", ["한빛 안심백신", "기가프리미엄 2.5G, 10기가 플래티넘 가입 고객"])

# --- 조건탐색
q("조건탐색", "단", "기가라이트500 3년약정 월요금?", "int_plans", ["33,000원"], table=True)
q("조건탐색", "일", "고객이 기가인터넷 1기가 3년 약정 14개월 쓰고 해지한대요 위약금 얼마 나와요?", "trm_refund_rule", ["92,400원"])
q("조건탐색", "단", "3년약정 1년반 쓰고 해지 반환율 몇퍼", "trm_refund_rule", ["60%"], table=True)
q("조건탐색", "간", "인터넷이랑 티비 같이 이전설치하면 얼마에요? 평일이요", "mov_fee", ["33,000원"], table=True)
q("조건탐색", "단", "5G 슬림플러스 데이터 몇기가", "mob_5g_plans", ["12GB"], table=True)
q("조건탐색", "단", "인텃티비 기가라이트500+베이직 월 총액", "bnd_home", [won(home_bundle_total("기가라이트 500", "한빛TV 베이직"))], table=True)
q("조건탐색", "일", "가족 폰 3대가 다 스탠다드 요금제고 가입연수 합치면 25년쯤이래요 온가족 결합하면 폰 한 대당 얼마 빠져요?", "bnd_family", ["7,700원"], table=True)
q("조건탐색", "단", "AI셋톱 미반납 변상금", "trm_equipment_return", ["110,000원"], table=True)
q("조건탐색", "간", "군대 가면 위약굼 면제돼요? 서류 뭐 내요", "trm_exempt", ["입영통지서"], table=True)
q("조건탐색", "일", "고객이 다음 달에 제주 서귀포로 이사 간대요 거기도 이전설치 출장비가 추가로 붙는지 알려주세요", "mov_regional", ["서귀포시", "16,500원"], table=True)
q("조건탐색", "간", "기초연금 받으시는 할머니 휴대폰 요금 얼마나 감면돼요", "dsc_welfare", ["월 최대 11,000원 감면"], table=True)
q("조건탐색", "일", "설치한 지 열흘 됐는데 속도가 느려서 취소하고 싶대요 위약금 나와요?", "trm_cooling_off", ["14일 이내"])
q("조건탐색", "간", "노바 S26 울트라 프리미어 요금제로 하면 공시지원금 얼마에요", "mob_subsidy", [_S26U], table=True)
q("조건탐색", "간", "인터넷이 4시간 동안 끊겼대요 보상 되나요?", "as_compensation", ["연속 3시간 이상", "8배"])

q("조건탐색", "간", "애가 실수로 영화 결제했는데 아직 안 봤대요 환불돼요?", "tv_vod_refund", ["전액 환불", "구매 후 7일 이내"], table=True)

# --- 비교
q("비교", "간", "기가인터넷 1기가랑 2.5기가 3년약정 요금 차이 얼마나 나요", "int_plans", ["38,500원", "49,500원"], table=True)
q("비교", "단", "티비 베이직 에센스 채널수 차이", "tv_plans", ["236개", "250개"], table=True)
q("비교", "일", "고객이 AI 셋톱이랑 UHD 셋톱 중에 고민 중이신데 기능이랑 임대료 차이가 어떻게 되나요?", "tv_settop", ["음성 검색", "6,600원"], table=True)
q("비교", "단", "일반 집전화랑 인터넷전화 기본료 차이?", ["tel_basic", "tel_voip"], ["월 5,200원", "월 2,200원"], table=True)
q("비교", "단", "유심 eSIM 발급비 뭐가 싸요", "mob_esim", ["7,700원", "2,750원"], table=True)
q("비교", "일", "노바 S26 울트라 5G 프리미어 레귤러로 24개월 쓸 건데 공시지원금 받는 거랑 선택약정이랑 뭐가 나아요?", ["mob_subsidy", "mob_selective"], [_S26U, "534,000원"])
q("비교", "단", "폰케어 라이트 플러스 차이", "as_phonecare", ["분실·도난·파손", "5,900원"], table=True)
q("비교", "간", "와이파이 2.4기가랑 5기가 뭐가 달라요", "as_wifi_slow", ["벽 통과 잘됨", "1Gbps 이상"], table=True)
q("비교", "단", "홈무제한 라이트 플러스 차이", "tel_unlimited", ["200분 제공", "13,200원"], table=True)
q("비교", "일", "아파트 랜 방식이랑 FTTH랑 뭐가 다른 거예요? 랜 방식이면 2.5기가 가입 돼요?", "int_coverage", ["기가인터넷 1G까지"], table=True)
q("비교", "일", "온가족 결합이랑 싱글결합 같이 받을 수 있어요? 둘이 뭐가 달라요", "bnd_compare", ["온가족 한빛과 싱글결합은 중복 불가"], table=True)
q("비교", "단", "모바일 청구서 우편 청구서 차이", "bil_bill_types", ["월 220원 요금 할인"])
q("비교", "단", "VVIP VIP 영화예매 횟수", "dsc_membership_grade", ["연 12회", "연 6회"], table=True)
q("비교", "일", "로밍패스 아시아랑 글로벌 5일짜리 가격 비교해 주세요", "mob_roaming", ["19,800원 (4GB)", "34,650원 (5GB)"], table=True)
q("비교", "간", "홈보이스 시내통화랑 일반 집전화 시내통화 요금 차이 나요?", ["tel_basic", "tel_voip"], ["3분당 39원", "3분당 38원"], table=True)

# --- 범위 밖 (out of scope): the manuals do not cover these; a good answer says it cannot find it.
# Two per category keeps the categories balanced; they come last so the ids above never move.
q_out("프로세스", "간", "오늘 구내식당 점심 메뉴 뭐예요?")
q_out("프로세스", "일", "고객이 연말정산 때 의료비 공제 서류를 어떻게 내야 하는지 물어보시는데 절차 좀 알려주세요")
q_out("기능/내용", "단", "한빛텔레콤 오늘 주가")
q_out("기능/내용", "간", "다음 주 월요일 서울 날씨 어때요?")
q_out("상품추천", "일", "고객이 다른 통신사 새 폴더폰 출시일이 언제냐고 물어보시는데 알 수 있을까요?")
q_out("상품추천", "간", "주말에 가족이랑 갈 만한 캠핑장 추천해 주세요")
q_out("조건탐색", "단", "5G 다이아몬드 요금제 월정액")
q_out("조건탐색", "간", "부동산 양도소득세 비과세 요건이 뭐예요?")
q_out("비교", "일", "자동차 보험을 다이렉트로 드는 거랑 설계사 통해서 드는 거랑 뭐가 더 싼가요?")
q_out("비교", "단", "비트코인 이더리움 시세 차이")


# ===========================================================================
# README
# ===========================================================================

_NON_DATA_TABLE = re.compile(r"layout|doc-info|frame|box")


def table_profile(text: str) -> dict[str, int]:
    """Count data tables, large tables (40+ rows), layout-nested tables, span use in one page."""
    import lxml.html

    doc = lxml.html.document_fromstring(text)
    data = [t for t in doc.iter("table") if not _NON_DATA_TABLE.search(t.get("class", "")) and len(t.xpath(".//tr")) >= 2]
    rows = [len(t.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")) for t in data]
    nested = [t for t in doc.iter("table") if "layout" in t.get("class", "") and t.xpath(".//table")]
    return {
        "data": len(data),
        "large": sum(r >= 40 for r in rows),
        "nested": len(nested),
        "span": int(bool(doc.xpath("//*[@rowspan or @colspan]"))),
    }


def readme(rows: list[dict], sizes: dict[str, int], rendered: dict[str, str]) -> str:
    """The corpus README (Korean + English), with counts computed from what was written."""
    cur = sorted(p.file for p in PAGES)
    prof = {f: table_profile(t) for f, t in rendered.items() if f in cur}
    cp949 = sorted(p.file for p in PAGES if p.enc == "cp949")
    bom = sorted(p.file for p in PAGES if p.enc == "utf-8-sig")
    nodecl = [f"{p.file} ({'CP949' if p.enc == 'cp949' else 'UTF-8'})" for p in PAGES if p.charset == "none"]
    ksc = [p.file for p in PAGES if p.charset == "ks_c"]
    crlf = [p.file for p in PAGES if p.crlf]
    mal = sorted(f"{p.file} (recipe {p.malformed})" for p in PAGES if p.malformed)
    scripts = [f for f, t in rendered.items() if CANARY_SCRIPT in t]
    styles = [f for f, t in rendered.items() if CANARY_STYLE in t]
    comments = [f for f, t in rendered.items() if CANARY_COMMENT in t]
    noscript = [p.file for p in PAGES if p.noscript]
    xss = [f for f, t in rendered.items() if "&lt;script&gt;" in t]
    per_cat = {c[0]: sum(1 for p in PAGES if p.cat == c[0]) for c in CATEGORIES}
    by_kind: dict[str, int] = {}
    for path in ASSETS:
        k = ASSETS[path].kind + (" (img/)" if path.startswith("img/") else "")
        by_kind[k] = by_kind.get(k, 0) + 1
    att_pages = sum(1 for f in cur if re.search(r'href="(?:\./|\.\./manuals/)?files/', rendered[f]))
    total = sum(sizes.values()) + sum(len(t.encode("utf-8")) for t in rendered.values())
    qcat = {c: sum(r["category"] == c for r in rows) for c in Q_CATEGORIES}
    qsty = {s: sum(r["style"] == s for r in rows) for s in Q_STYLES}
    in_table = sum(r["in_table"] for r in rows)
    out_of_scope = sum(r["out_of_scope"] for r in rows)
    with_att = sum(bool(r["attachment"]) for r in rows)
    old_files = {p.old_of: p for p in OLD_PAGES}
    on_old = sum(1 for qq in QUESTIONS if any(k in old_files for k in qq.gold))

    def lst(xs: list[str]) -> str:
        return ", ".join(xs) if xs else "-"

    current_of = {p.key: p for p in PAGES}
    sup = "\n".join(
        f"| {current_of[o.old_of].file} | {o.file} | {o.manual_id} | {current_of[o.old_of].date} | {o.date} | "
        f"{'배너' if o.old_banner else ''}{' + ' if o.old_banner and o.old_status_meta else ''}"
        f"{'meta status=superseded' if o.old_status_meta else ''} |"
        for o in sorted(OLD_PAGES, key=lambda o: o.file)
    )
    cats = "\n".join(f"| {c} | {CAT_INFO[c][1]} | {n} |" for c, n in per_cat.items())
    return f"""# 샘플 매뉴얼 코퍼스 / Sample manual corpus

**한빛텔레콤(Hanbit Telecom)** 은 이 저장소를 위해 지어낸 **가상의 통신사**입니다. 이 폴더는 그 회사의
상담원용 지식관리시스템(KMS) 매뉴얼 페이지를 흉내 낸 HTML 코퍼스, 첨부파일, 개발용 질문 세트입니다.
모든 상품명·요금·전화번호는 허구입니다.

*Hanbit Telecom is a fictional telecom. This folder holds a synthetic copy of its call-center KMS: HTML manual
pages, attachments and a dev question set. Every plan, price and phone number is made up.*

> 이 폴더는 `python scripts/make_samples.py` 가 생성합니다. 직접 고치지 말고 스크립트를 고친 뒤 다시 생성하세요.
> Generated by `python scripts/make_samples.py` (deterministic, byte-identical on every run); edit the script,
> not these files. `pytest tests/etl/test_samples.py` validates the corpus.

## 구성 / Layout

- `manuals/` — 인제스트 루트 (ingest root): 현재 문서 {len(cur)}개 (`M001.html` … `{cur[-1]}`, 번호 {lst([f"M{n:03d}" for n in sorted(GAP_NUMBERS)])} 는 삭제된 문서라 비어 있음),
  구버전 {len(OLD_PAGES)}개 (`*_old.html`, `*_v1.html`)
- `manuals/files/` — 첨부파일, `manuals/img/` — 이미지. 종류별: {lst([f"{k} {v}" for k, v in sorted(by_kind.items())])}
  (PDF/XLSX/PNG 는 유효한 파일, HWP 는 OLE 헤더만 흉내 낸 자리표시자 / HWP files are placeholders)
- `questions.jsonl` — 개발용 질문 {len(rows)}개 / dev questions
- 전체 크기 / total size: {total / 1024 / 1024:.2f} MB

## 카테고리 / Categories (breadcrumb level 3)

| 카테고리 | 문서번호 접두어 | 현재 문서 수 |
|---|---|---|
{cats}

## 사이트 스킨 / Site skins (boilerplate to strip)

네 가지 KMS 세대를 흉내 냅니다. 공통 보일러플레이트(GNB `#gnb`, 좌측 메뉴 `.lnb`, `footer`, 퀵메뉴, 로그인 박스,
인쇄·즐겨찾기 버튼)에는 질문의 답이 들어 있지 않습니다.

- `kms` (KMS 3.0): `<header>` 로고가 `<h1>`, 문서 제목은 `<h2 class="title">`, `div.breadcrumb`, `table.doc-info`, `<meta name="manual-id">`
- `legacy` (KMS 1.0, 테이블 레이아웃 `table.frame`): `ol.location`, `dl.meta`, 대부분 EUC-KR/CP949
- `board` (게시판 뷰): `div.path`, 제목 `h3.subject`, 메타데이터는 본문 텍스트만 (`문서번호: … | 개정일: …`, `<meta>` 없음)
- `lite` (KMS 2.0): `nav.path-nav`, `h1.doc-title`, `ul.doc_info_list` (최초 등록일과 개정일이 함께 있음)

개정일 표기는 `2026-03-02`, `2026.03.02`, `2026년 3월 2일` 이 섞여 있습니다 (`<meta name="revision-date">` 는 항상 ISO).

## 인코딩 / Encodings

- CP949 바이트 ({len(cp949)}개, UTF-8 로는 디코딩 불가): {lst(cp949)}
  - `charset=euc-kr` 선언이지만 CP949 로 디코딩해야 함 (EUC-KR 의 상위 집합) / declared euc-kr, decode as cp949
  - `charset=ks_c_5601-1987` 선언: {lst(ksc)}
  - CRLF 줄바꿈: {lst(crlf)}
- UTF-8 + BOM: {lst(bom)}
- charset 선언 없음 / no charset declaration: {lst(nodecl)}

## 깨진 HTML / Malformed pages

{lst(mal)} — recipe 1: 닫히지 않은 `<p>`/`<li>`; 2: 대문자 태그 + 따옴표 없는 속성; 3: 닫히지 않은 `<td>`/`<tr>` + 떠도는 `</div>`;
4: 잘못 중첩된 `<b><i>`, 닫히지 않은 `<font>`; 5: 1+2+3; 6: `</body></html>` 없음 + 닫히지 않은 `<div>`.

## 스크립트·스타일·주석과 카나리아 / Scripts, styles, comments and canaries

색인되면 안 되는 문자열 / strings that must never reach the index:

- `{CANARY_SCRIPT}` — `<script>` 안에만 ({len(scripts)}개 페이지; `document.write`, `type="text/x-template"` 포함)
- `{CANARY_STYLE}` — `<style>` 안에만 ({len(styles)}개 페이지)
- `{CANARY_COMMENT}` — HTML 주석 안에만 ({len(comments)}개 페이지; 일부 주석에는 옛 요금 같은 '가짜 사실'이 있음)

그 밖에: `<noscript>` {lst(noscript)}; `onclick` 속성 (인쇄 버튼, 여러 페이지);
본문에 이스케이프된 `<script>alert(…)</script>` 텍스트가 보이는 보안 공지 {lst(xss)}.

## 표 / Tables

- 데이터 표가 있는 현재 문서 / pages with data tables: {sum(1 for v in prof.values() if v['data'])}
- `rowspan`/`colspan` 사용 페이지: {sum(v['span'] for v in prof.values())}; 2단 헤더(`colspan` 헤더 행), `<caption>`, `<th scope="row">`, `<colgroup>`, 헤더를 `<td class="th">` 로 쓴 표, `<thead>` 없는 표가 섞여 있음
- 레이아웃 표 안에 중첩된 표 / table nested in `table.layout`: {lst([f for f, v in sorted(prof.items()) if v['nested']])}
- 40행 이상 큰 표 / large tables (40+ rows): {lst([f for f, v in sorted(prof.items()) if v['large']])}

## 구버전 문서 / Superseded pairs

같은 문서번호, 더 이른 개정일, 다른 수치. 질문의 정답(gold)은 항상 현재 문서이고, answer_facts 는 구버전에 없습니다.

| 현재 / current | 구버전 / old | 문서번호 | 현재 개정일 | 구버전 개정일 | 표시 |
|---|---|---|---|---|---|
{sup}

## 첨부 링크 / Attachment links

첨부 페이지 {att_pages}개. 모든 링크는 `manuals/` 안에서 해석됩니다: `files/…`, `./files/…`, `../manuals/files/…`,
URL 인코딩된 한글 이름(`files/%EC%B1%84…xlsx`), 공백 인코딩(`files/요금%20이의신청서.hwp`), 쿼리 문자열(`./files/rates_2026.xlsx?v=2`).
`<link href="/kms/static/…">`, `<script src="/kms/js/…">` 는 사이트 절대 경로(코퍼스 밖)이며 첨부가 아닙니다.

## 질문 세트 / Question set (`questions.jsonl`)

필드 / fields: `id`, `category`, `style`, `question`, `gold_docs` (manuals/ 기준 파일명), `answer_facts` (정답에 그대로 들어 있어야 하는
짧은 문자열, 골드 문서의 한 텍스트 노드/표 셀 안에 있음), `in_table`, `attachment` (manuals/ 기준 정규화 경로 또는 null),
`out_of_scope` (매뉴얼에 답이 없는 질문이면 true: `gold_docs`·`answer_facts` 가 비어 있고, 좋은 답변은 "매뉴얼에서 확인되지 않습니다"라고 답함).

- 카테고리별 / per category: {lst([f"{k} {v}" for k, v in qcat.items()])}
- 문체별 / per style: {lst([f"{k} {v}" for k, v in qsty.items()])}
- 범위 밖 질문 / out of scope: {out_of_scope} (주가, 날씨, 점심 메뉴, 세법, 타사 단말, 없는 요금제 등)
- 표로만 답할 수 있는 질문 / in_table: {in_table} / {len(rows)} ({in_table / len(rows):.0%})
- 첨부가 답인 질문 / with attachment: {with_att}
- 구버전이 있는 주제의 질문 / on superseded topics: {on_old}

질문은 상담 중 입력하듯 구어체·띄어쓰기 변형·줄임말·오타(예: "위약굼", "머 필요해요")를 섞었습니다.
"""


if __name__ == "__main__":
    sys.exit(main())
