"""Small handwritten manual pages for the ETL tests."""

from __future__ import annotations

CHROME = """
<div id="header"><div class="logo">한빛 KMS</div>
<div id="gnb"><a href="#">공지사항</a> <a href="#">게시판</a> <a href="#logout">로그아웃</a></div></div>
<div class="lnb"><p class="tit">카테고리</p><ul><li><a href="#">인터넷</a></li><li><a href="#">IPTV</a></li></ul></div>
<div id="quick"><p>QUICK MENU</p><ul><li><a href="#">요금계산기</a></li></ul></div>
<div class="login-box"><p>김한빛 상담사님 환영합니다.</p></div>
"""
FOOTER = '<footer id="footer"><p>개인정보처리방침 | 고객센터 114</p><p class="copy">Copyright 한빛텔레콤</p></footer>'
CANARIES = ("스크립트카나리아", "스타일카나리아", "주석카나리아")


def page(
    title: str,
    body: str,
    *,
    manual_id: str | None = "KMS-T-0001",
    date: str | None = "2026-03-02",
    crumbs: tuple[str, ...] = ("홈", "상품매뉴얼", "인터넷"),
    meta: bool = True,
    status: str | None = None,
    banner: str = "",
    charset: str | None = "utf-8",
) -> str:
    """A page in the style of a KMS: chrome around a content area with breadcrumb, title and doc info."""
    head = [f'<meta charset="{charset}">'] if charset else []
    if meta and manual_id:
        head.append(f'<meta name="manual-id" content="{manual_id}">')
    if meta and date:
        head.append(f'<meta name="revision-date" content="{date}">')
    if status:
        head.append(f'<meta name="status" content="{status}">')
    head.append(f"<title>{title} | 한빛 KMS</title>")
    head.append('<style>.x::after { content: "스타일카나리아"; }</style>')
    info = ""
    if manual_id or date:
        info = f'<p class="info">문서번호: {manual_id or "-"} | 개정일: {date or "-"} | 조회 120</p>'
    crumb = ""
    if crumbs:
        crumb = '<div class="path">' + " &gt; ".join(f"<span>{c}</span>" for c in crumbs) + "</div>"
    return f"""<!DOCTYPE html>
<html lang="ko"><head>{''.join(head)}</head>
<body>
{CHROME}
<div class="content">
{crumb}
{banner}
<h3 class="subject">{title}</h3>
{info}
<!-- 주석카나리아: 편집 메모 -->
<div class="view_body">
{body}
</div>
<div class="btn_area"><button type="button">인쇄</button> <a href="#" class="btn">목록</a></div>
</div>
{FOOTER}
<script>var canary = '스크립트카나리아'; document.write('<p>스크립트카나리아</p>');</script>
</body></html>
"""


def word_count(text: str) -> int:
    """A deterministic stand-in token counter for unit tests: one token per whitespace-separated word."""
    return len(text.split())
