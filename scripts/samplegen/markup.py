"""The small line markup of a page body (see :func:`render_body`) rendered to HTML for one skin."""

from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import unquote, urlsplit

from .model import Corpus, Page


def esc(s: str) -> str:
    return html.escape(s, quote=False)


def attr(s: str) -> str:
    return html.escape(s, quote=True)


class Ctx:
    """Render context of one page: skin, links to other pages, attachment sizes, the corpus (categories)."""

    def __init__(self, pg: Page, skin: str, by_key: dict[str, Page], sizes: dict[str, int], corpus: Corpus):
        self.page = pg
        self.skin = skin
        self.by_key = by_key
        self.sizes = sizes
        self.corpus = corpus

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


# --- hrefs -------------------------------------------------------------------


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

