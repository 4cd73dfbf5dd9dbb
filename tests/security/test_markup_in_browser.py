"""Text that did not come from our code is never rendered as markup, on any page, in a real browser.

A manual whose every visible string (title, breadcrumb, headings, body, table caption, column names and
cells, attachment link text) carries Markdown, HTML, bare URLs, icon and emoji shortcodes, colour directives
and LaTeX; an LLM whose answer and whose error message carry the same; feedback records and a user name
that carry them too. Every page is walked in Chromium: the agent's answer and sources, the LLM-failure
notice, the manual page, the admin's feedback review and the login form. Nothing may become an element,
a request or a link that is not ours: a tracker server counts every request that reaches it.
"""

from __future__ import annotations

import html
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.backend.generate.fake_openai_server import FakeOpenAIServer
from tests.browser.dashboard import (
    ROOT, ask, chromium, log_in_as_admin, missing_browser, sangdam, serve_dashboard, serve_script, settle,
)
from tests.security.report import record

pytestmark = [pytest.mark.integration, pytest.mark.skipif(missing_browser() is not None, reason=str(missing_browser()))]

SHOTS = ROOT / "test-artifacts" / "browser" / "security"
ADMIN_PASSWORD = "보안-시험-비밀번호-7Qx"
WAIT_MS = 60_000


class Tracker:
    """A local HTTP server standing for a tracker: every request that reaches it is a leak."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        tracker = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                tracker.hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", "0")
                self.end_headers()

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def payloads(base: str) -> dict[str, list[str]]:
    """Payload class -> payloads; `base` is the tracker's address."""
    return {
        "markdown/HTML image": [f"![추적](<{base}/md-img.png>)", f"![추적]({base}/md-img2.png)",
                                f'<img src="{base}/html-img.png">'],
        "markdown/HTML link": [f"[지금 확인]({base}/md-link)", f'<a href="{base}/html-link">여기</a>',
                               f"<{base}/angle-link>", "[로그인](javascript:alert(1))"],
        "bare URL / e-mail": [f"{base}/bare-url", "www.evil-tracker.example/bare", "_www.evil-tracker.example/under",
                              "user@evil-tracker.example"],
        "emphasis and code": ["**굵은표식**", "__밑줄표식__", "~~취소표식~~", "`코드표식`", "# 제목표식"],
        "icon/emoji shortcode": [":material/rocket_launch:", ":rocket:", ":material/bug_report:", ":+1:"],
        "colour directive": [":red[빨간표식]", ":blue-background[파란표식]", ":orange-badge[배지표식]"],
        "LaTeX": ["$$\\sqrt{수식표식}$$", "$x^2+y^2$"],
        "HTML element": ["<b>태그표식</b>", f'<iframe src="{base}/frame"></iframe>', "<script>window.__xss=1</script>"],
    }


def one_line(base: str) -> str:
    return " ".join(p for ps in payloads(base).values() for p in ps)


# Markup that needs line breaks (a manual's text loses them in the ETL; an answer or a comment keeps them):
# an indented code block after a blank line, and a heading underlined with "=".
MULTILINE = "\n\n    들여쓴코드표식\n\n밑줄제목표식\n====="


# Per payload class: a script that counts what was rendered from it under `root` (the page's main area and
# sidebar). Elements Streamlit draws for itself carry none of the payloads' marker words or names.
DETECT = {
    "markdown/HTML image": "root.querySelectorAll('img[src*=\"127.0.0.1\"], img[src*=\"md-img\"], img[alt=\"추적\"]').length",
    "markdown/HTML link": "[...root.querySelectorAll('a[href]')].filter(a => /javascript:|md-link|html-link|angle-link/.test(a.href)).length",
    "bare URL / e-mail": "[...root.querySelectorAll('a[href]')].filter(a => /evil-tracker|bare-url|mailto:/.test(a.href)).length",
    # an element holding nothing but a marker word was made from the payload (our own bold titles hold more)
    "emphasis and code": "[...root.querySelectorAll('strong, b, em, del, s, code, pre, h1, h2, h3, h4')].filter(e => /^(굵은표식|밑줄표식|취소표식|코드표식|제목표식|태그표식|들여쓴코드표식|밑줄제목표식)$/.test(e.textContent.trim())).length",
    "icon/emoji shortcode": "[...root.querySelectorAll('span')].filter(e => e.children.length === 0 && /^(rocket_launch|bug_report)$/.test(e.textContent.trim())).length + (root.innerText.includes('🚀') ? 1 : 0) + (root.innerText.includes('👍') ? 1 : 0)",
    "colour directive": "[...root.querySelectorAll('span, div')].filter(e => e.children.length === 0 && /^(빨간표식|파란표식|배지표식)$/.test(e.textContent.trim())).length",
    "LaTeX": "root.querySelectorAll('.katex, math').length",
    "HTML element": "root.querySelectorAll('iframe[src*=\"frame\"], script:not([src])').length - window.__ownScripts + (window.__xss ? 1 : 0)",
}


def page_html(base: str) -> str:
    """The hostile manual: every visible string carries every payload (as text, HTML-escaped)."""
    p = html.escape(one_line(base))
    return f"""<html><head><meta charset="utf-8"><title>점검 수수료 안내 {p}</title></head><body>
<div class="breadcrumb">홈 &gt; 요금 &gt; 점검 {p}</div>
<h1>점검 수수료 안내 {p}</h1>
<h2>수수료 기준 {p}</h2>
<p>방문 점검 수수료는 5,500원입니다. {p}</p>
<table><caption>점검 수수료표 {p}</caption>
<tr><th>구분 {p}</th><th>수수료</th></tr>
<tr><td>방문 점검 {p}</td><td>5,500원 {p}</td></tr>
</table>
<p>신청서: <a href="files/점검신청서.pdf">{p}</a></p>
</body></html>"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tracker = Tracker()
    manuals = tmp_path_factory.mktemp("manuals")
    (manuals / "files").mkdir()
    (manuals / "files" / "점검신청서.pdf").write_bytes(b"%PDF-1.4 test\n")
    (manuals / "P001.html").write_text(page_html(tracker.base), encoding="utf-8")
    shutil.copy(ROOT / "etl" / "samples" / "manuals" / "M006.html", manuals / "M006.html")
    home = tmp_path_factory.mktemp("home")
    sangdam("ingest", str(manuals), home=home)
    sangdam("user", "add", "boss", "--role", "admin", "--password-stdin", home=home, stdin=ADMIN_PASSWORD + "\n")
    _store_hostile_feedback(home, tracker.base)
    llm = FakeOpenAIServer()
    llm.script.text = f"방문 점검 수수료는 5,500원입니다 [1]. {one_line(tracker.base)}{MULTILINE}"
    env = {"SANGDAM_LLM_BASE_URL": llm.url, "SANGDAM_LLM_TIMEOUT_S": "10", "SANGDAM_LLM_MAX_RETRIES": "0"}
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        with serve_dashboard(home, env=env, log=SHOTS / "server.log") as url, chromium() as browser:
            context = browser.new_context(viewport={"width": 1400, "height": 1800}, locale="ko-KR")
            page = context.new_page()
            page.on("dialog", lambda d: d.dismiss())
            yield {"url": url, "page": page, "tracker": tracker, "llm": llm, "context": context, "browser": browser}
            context.close()
    finally:
        llm.close()
        tracker.close()


def _store_hostile_feedback(home: Path, base: str) -> None:
    """A thumbs-down whose question, answer, comment, category and cited page carry every payload."""
    from backend.feedback.base import FeedbackRecord
    from backend.feedback.sqlite import SqliteFeedbackStore

    p = one_line(base)
    SqliteFeedbackStore(home / "feedback.sqlite").save(FeedbackRecord(
        question=f"점검 수수료 {p}", answer=f"답변 {p}{MULTILINE}", rating=0, mode="llm", reason="근거 부족",
        comment=f"의견 {p}{MULTILINE}", category=f"분류 {p}", cited_pages=(f"P001 {p}",)))


def _rendered(page, script: str, own_scripts: int | None = None) -> int:
    """What the detector `script` counts in the page's main area and sidebar. `own_scripts`: how many inline
    scripts the page has of its own (by default as counted when the test opened the app)."""
    if own_scripts is not None:
        page.evaluate(f"window.__ownScripts = {own_scripts}")
    return page.evaluate(
        "() => { window.__ownScripts = window.__ownScripts ?? 0; let n = 0;"
        " for (const root of document.querySelectorAll('[data-testid=stMain], [data-testid=stSidebar]')) {"
        f" n += ({script}); }} return n; }}")


def _check(page, where: str, failures: dict[str, list[str]], tried: dict[str, int], surfaces: int) -> None:
    """Run every detector over the main area and the sidebar of `page`; `surfaces` is how many strings of
    ours on this page carry each payload."""
    settle(page)
    page.wait_for_timeout(1000)  # images and frames load; a request would reach the tracker by now
    for cls, script in DETECT.items():
        found = _rendered(page, script)
        tried[cls] = tried.get(cls, 0) + len(payloads("x")[cls]) * surfaces
        if found:
            failures.setdefault(cls, []).append(f"{where}: {found}")


def test_no_outside_text_becomes_markup_on_any_page(site):
    page, tracker = site["page"], site["tracker"]
    failures: dict[str, list[str]] = {}
    tried: dict[str, int] = {}
    page.goto(site["url"])
    page.get_by_test_id("stChatInputTextArea").wait_for(timeout=90_000)
    page.evaluate("window.__ownScripts = document.querySelectorAll('[data-testid=stMain] script:not([src])').length")

    # The agent page: an LLM answer full of payloads, its sources (title, breadcrumb, body, table, attachment).
    ask(page, "방문 점검 수수료 얼마예요?")
    answer = page.get_by_test_id("stChatMessage").last
    answer.get_by_text("근거").first.wait_for(timeout=WAIT_MS)
    _check(page, "agent answer + sources", failures, tried, surfaces=6)
    text = answer.inner_text().replace("\u2060", "")
    assert ":red[빨간표식]" in text and "**굵은표식**" in text, "payloads are shown as the text they are"
    answer.screenshot(path=str(SHOTS / "agent-answer.png"))

    # The LLM fails with a hostile error message: the notice shows it as text.
    site["llm"].script.status = 500
    site["llm"].script.error_message = one_line(tracker.base)
    ask(page, "방문 점검 신청서는 어디 있어요?")
    page.get_by_test_id("stAlertContentWarning").last.wait_for(timeout=WAIT_MS)
    _check(page, "LLM failure notice", failures, tried, surfaces=7)

    # The manual page, rebuilt from the index.
    page.goto(f"{site['url']}/manual?doc=P001")
    page.get_by_text("점검 수수료 안내").first.wait_for(timeout=WAIT_MS)
    _check(page, "manual page", failures, tried, surfaces=8)
    page.screenshot(path=str(SHOTS / "manual-page.png"), full_page=True)

    # The login page with a hostile user name, then the admin's review of the hostile feedback.
    page.goto(f"{site['url']}/login")
    page.get_by_label("아이디").fill(f"boss {one_line(tracker.base)}")
    page.get_by_label("비밀번호").fill("틀린-비밀번호-123456")
    page.get_by_role("button", name="로그인").click()
    _check(page, "login", failures, tried, surfaces=1)
    log_in_as_admin(page, "boss", ADMIN_PASSWORD)
    page.get_by_role("tab", name="상담사 평가").click()
    page.get_by_text("낮게 평가된 답변").first.wait_for(timeout=WAIT_MS)
    _check(page, "admin feedback review", failures, tried, surfaces=4)
    page.screenshot(path=str(SHOTS / "admin-feedback.png"), full_page=True)

    leaks = list(tracker.hits)
    for cls in DETECT:
        record(f"markup: {cls}", tried[cls], len(failures.get(cls, [])))
    record("markup: requests to the tracker", sum(tried.values()), len(leaks))
    assert not failures and not leaks, f"rendered: {failures}; tracker hits: {leaks}"


def test_the_detectors_catch_each_payload_when_it_is_rendered(site, tmp_path):
    """The detectors are not blind: the same payloads given to Streamlit unescaped (a probe app) are caught,
    class by class, and reach the tracker."""
    tracker = Tracker()
    try:
        with serve_script(Path(__file__).with_name("probe_app.py"), tmp_path,
                          env={"PROBE_TEXT": one_line(tracker.base)}) as url:
            page = site["browser"].new_page()
            try:
                page.goto(url)
                page.get_by_text("probe-ready").wait_for(timeout=WAIT_MS)
                page.wait_for_timeout(1500)
                missed = [cls for cls, script in DETECT.items() if not _rendered(page, script, own_scripts=0)]
            finally:
                page.close()
        assert not missed, f"detectors that saw nothing of their rendered payloads: {missed}"
        assert tracker.hits, "the unescaped images reached the tracker"
    finally:
        tracker.close()
