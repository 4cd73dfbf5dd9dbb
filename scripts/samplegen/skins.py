"""The site "skins" of four KMS generations, whole-page assembly and deliberate markup breakage.

Skins differ in boilerplate, breadcrumb and metadata markup, heading levels, note boxes and table
attributes, so the parser downstream meets realistic variety: modern KMS 3.0 (``kms``), legacy
table-layout KMS 1.0 in EUC-KR (``legacy``), a board/FAQ view (``board``) and a KMS 2.0 div layout
(``lite``).
"""

from __future__ import annotations

import re

from .markup import Ctx, attr, esc, render_body
from .model import CANARY_COMMENT, CANARY_SCRIPT, CANARY_STYLE, COMPANY, Category, Page, stable_hash

GNB = ["홈", "공지사항", "상품매뉴얼", "업무프로세스", "게시판", "로그아웃"]
SKINS = ("kms", "legacy", "board", "lite")


def fmt_date(iso: str, fmt: str) -> str:
    y, m, d = iso.split("-")
    if fmt == "dot":
        return f"{y}.{m}.{d}"
    if fmt == "kor":
        return f"{int(y)}년 {int(m)}월 {int(d)}일"
    return iso


def lnb_html(skin: str, active: str, categories: list[Category]) -> str:
    lis = []
    for c in categories:
        on = ' class="on"' if c.name == active else ""
        lis.append(f'<li{on}><a href="#">{esc(c.name)}</a></li>')
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


def breadcrumb_html(pg: Page, skin: str, variant: int, section: str) -> str:
    root = section
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


def doc_info_html(pg: Page, skin: str, fmt: str, views: int, dept: str) -> str:
    d = fmt_date(pg.date, fmt)
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
    h = stable_hash(pg.key)
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
    cat = ctx.corpus.cat_info[pg.cat]
    crumb = breadcrumb_html(pg, skin, h, cat.section)
    info = doc_info_html(pg, skin, fmt, views, cat.dept)
    lnb = lnb_html(skin, pg.cat, ctx.corpus.categories)
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
            f'</header>\n<div id="container">\n{lnb}\n<main id="content">\n'
            f"{crumb}\n{banner}{title_tag}\n{info}\n{comment}{noscript}"
            f'<div class="doc-body">\n{body}\n</div>\n'
            f'<div class="doc-btns">{btn_print} <button type="button" class="btn" onclick="addFav(\'{pg.manual_id}\')">즐겨찾기</button></div>\n'
            f"</main>\n</div>\n{footer_html(skin)}\n</div>"
        )
    elif skin == "legacy":
        doc = (
            f"{gnb_html(skin)}\n"
            '<table class="frame" width="100%" border="0" cellpadding="0" cellspacing="0">\n<tr>\n'
            f'<td width="180" valign="top" bgcolor="#f0f0f0">\n{lnb}\n</td>\n'
            f'<td valign="top" class="contents">\n{crumb}\n{banner}{title_tag}\n{info}\n{comment}{noscript}'
            f"{body}\n"
            f'<p align="right"><a href="#" onclick="fnPrint(); return false;">[인쇄]</a> <a href="#top">[TOP]</a></p>\n'
            f"</td>\n</tr>\n</table>\n{footer_html(skin)}"
        )
    elif skin == "lite":
        doc = (
            '<div id="skip"><a href="#content">본문 바로가기</a></div>\n'
            f'<div class="header">\n<div class="logo"><img src="./img/logo.png" alt="{COMPANY} 로고"></div>\n{gnb_html(skin)}\n</div>\n'
            f'<div class="wrap">\n{lnb}\n<div id="content" class="contents">\n{crumb}\n{banner}'
            f'<div class="doc-head">\n{title_tag}\n{info}\n</div>\n{comment}{noscript}'
            f'<article class="doc-body">\n{body}\n</article>\n</div>\n</div>\n{footer_html(skin)}'
        )
    else:  # board
        quick = '<div id="quick"><p class="tit">QUICK MENU</p><ul><li><a href="#">요금계산기</a></li><li><a href="#">상담 스크립트</a></li><li><a href="#">즐겨찾기</a></li><li><a href="#top">TOP</a></li></ul></div>'
        login = '<div class="login-box"><p><strong>김한빛</strong> 상담사님 환영합니다.</p><p>최근 접속: 오늘 08:51</p><a href="#logout">로그아웃</a></div>'
        doc = (
            f'<div id="header">\n<div class="logo">HANBIT TELECOM | 지식관리시스템</div>\n{gnb_html(skin)}\n</div>\n'
            f'{lnb}\n{quick}\n{login}\n<div class="content">\n{crumb}\n{banner}'
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


def skin_of(p: Page) -> str:
    """Explicit skin, else legacy for CP949 pages, board for FAQs, else a stable pick by key."""
    if p.skin:
        return p.skin
    if p.enc == "cp949":
        return "legacy"
    if "faq" in p.key:
        return "board"
    return ("kms", "kms", "kms", "kms", "lite", "lite", "lite", "board", "legacy", "kms")[stable_hash(p.key) % 10]

