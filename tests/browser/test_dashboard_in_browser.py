"""The dashboard in a real browser: `make serve` on a free port, Debian's Chromium driven by Playwright.

One agent's and one admin's session, in order: ask, read the cited answer with its table, open the
manual page, download an attachment, rate the answer, meet a hostile manual page, log in as admin and
re-index. Screenshots of every step go to test-artifacts/browser/.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.browser.dashboard import (
    ROOT, ask, chromium, log_in_as_admin, missing_browser, sangdam, serve_dashboard, settle,
)

pytestmark = [pytest.mark.integration, pytest.mark.skipif(missing_browser() is not None, reason=str(missing_browser()))]

SAMPLES = ROOT / "etl" / "samples" / "manuals"
SHOTS = ROOT / "test-artifacts" / "browser"
ADMIN_PASSWORD = "browser-test-비밀번호-1"
WAIT_MS = 60_000

# A manual whose *text* carries script, an event handler, a javascript: link and a foreign link, and whose
# HTML carries a real <script> element: none of it may run or become a live link in the dashboard.
HOSTILE_PAGE = """<html><head><meta charset="utf-8"><title>보안 점검 안내</title>
<script>window.__xss = "page-script";</script></head><body>
<div class="breadcrumb">홈 &gt; 공지 &gt; 보안</div><h1>보안 점검 안내</h1>
<p>보안 점검 기간에는 &lt;script&gt;window.__xss = "text-script"&lt;/script&gt; 같은 문구가 보이면 신고합니다.</p>
<p>보안 점검 문의는 &lt;img src=x onerror="window.__xss='onerror'"&gt; 고객센터 114 로 합니다.</p>
<p>보안 점검 중 [지금 확인](javascript:window.__xss='md-link') 이나 [로그인](http://evil.example/steal) 링크는 누르지 마세요.</p>
<script>window.__xss = "body-script";</script>
</body></html>"""


def shot(page, name: str, element=None) -> None:
    """A screenshot of the viewport, or of one element (an answer) whole."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    (element or page).screenshot(path=str(SHOTS / f"{name}.png"))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A small manual set (a rate table, a form with attachments, the hostile page), indexed by the CLI
    the way `make demo` does, an admin account, and the dashboard server."""
    manuals = tmp_path_factory.mktemp("manuals")
    for name in ("M001.html", "M006.html", "M017.html"):
        shutil.copy(SAMPLES / name, manuals / name)
    shutil.copytree(SAMPLES / "files", manuals / "files")
    (manuals / "S001.html").write_text(HOSTILE_PAGE, encoding="utf-8")
    home = tmp_path_factory.mktemp("home")
    env = {"SANGDAM_MANUALS_SOURCE": str(manuals)}
    sangdam("ingest", str(manuals), home=home, env=env)
    sangdam("user", "add", "boss", "--role", "admin", "--password-stdin", home=home, stdin=ADMIN_PASSWORD + "\n")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with serve_dashboard(home, env=env, log=SHOTS / "server.log") as url, chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="ko-KR", accept_downloads=True)
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(url)
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=90_000)
        yield {"url": url, "page": page, "context": context, "home": home, "manuals": manuals, "dialogs": dialogs}
        context.close()


def last_answer(page):
    return page.get_by_test_id("stChatMessage").last


def test_agent_asks_and_sees_a_cited_answer_with_a_table(site):
    page = site["page"]
    shot(page, "01-agent-page")
    # Agents get no Streamlit developer menu or "Deploy" button (client.toolbarMode minimal).
    expect(page.get_by_test_id("stAppDeployButton")).to_have_count(0)
    expect(page.get_by_test_id("stMainMenu")).to_have_count(0)
    ask(page, "기가인터넷 요금제 월 요금 얼마예요")
    answer = last_answer(page)
    # Playwright's expect() retries until the run has drawn everything (or the timeout).
    expect(answer).to_contain_text("근거", timeout=WAIT_MS)
    expect(answer).to_contain_text("M001.html", timeout=WAIT_MS)  # the sources name the manual page
    expect(answer.get_by_test_id("stDataFrame").first).to_be_visible(timeout=WAIT_MS)  # a table as a table
    expect(answer.get_by_role("link", name="📄 매뉴얼 원문").first).to_be_visible(timeout=WAIT_MS)
    expect(answer.get_by_test_id("stDownloadButton").filter(has_text="📎").first).to_be_visible(timeout=WAIT_MS)
    settle(page)
    text = answer.inner_text()
    assert "매뉴얼 발췌" in text and "[1]" in text
    # Line 1, the fact asked for, is a heading: larger than the supporting lines under it.
    expect(answer.locator("h4").first).to_contain_text("[1]", timeout=WAIT_MS)
    time.sleep(1)  # let the data grid paint its canvas before the screenshot
    shot(page, "02-cited-answer-with-table-and-attachment", answer)


def test_the_citation_link_opens_the_manual_page(site):
    page = site["page"]
    link = last_answer(page).get_by_role("link", name="📄 매뉴얼 원문").first
    assert link.get_attribute("href") == "manual?doc=M001"
    with site["context"].expect_page() as opened:
        link.click()
    manual = opened.value
    expect(manual.get_by_role("button", name="원본 HTML 내려받기")).to_be_visible(timeout=WAIT_MS)
    expect(manual.get_by_test_id("stDataFrame").first).to_be_visible(timeout=WAIT_MS)
    expect(manual.get_by_test_id("stMain")).to_contain_text("M001.html", timeout=WAIT_MS)
    assert page.get_by_test_id("stChatMessage").count() >= 2, "the agent's conversation stays in its own tab"
    shot(manual, "03-manual-page")
    manual.close()


def test_the_attachment_link_downloads_the_file(site):
    page = site["page"]
    button = last_answer(page).get_by_test_id("stDownloadButton").filter(has_text="📎").first
    name = button.inner_text().strip().removeprefix("📎").strip()
    # Streamlit re-registers a lazy download on every run: a click that lands while a run is replacing the
    # button is lost (an agent would click again), so the test clicks again after the page settles.
    for attempt in range(3):
        settle(page)
        try:
            with page.expect_download(timeout=20_000) as download:
                button.click()
            break
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
    saved = Path(download.value.path())
    original = SAMPLES / "files" / download.value.suggested_filename
    assert original.exists(), f"{name}: served as {download.value.suggested_filename}"
    assert saved.read_bytes() == original.read_bytes()


def test_a_thumbs_down_with_a_reason_reaches_the_store(site):
    page = site["page"]
    answer = last_answer(page)
    answer.get_by_role("radio", name="Thumbs down").click()
    reason = answer.get_by_test_id("stSelectbox").locator("input")
    reason.wait_for(timeout=30_000)
    settle(page)
    reason.click()
    option = page.get_by_role("option", name="근거 부족")
    if not option.is_visible():
        reason.press("ArrowDown")
    option.click()
    settle(page)
    comment = answer.get_by_label("의견 (선택)")
    comment.fill("브라우저 시험: 10기가 요금 설명이 더 필요")
    comment.press("Enter")
    settle(page)
    page.get_by_text("평가를 저장했습니다").first.wait_for(timeout=30_000)
    shot(page, "04-feedback", answer)

    from backend.feedback.sqlite import SqliteFeedbackStore

    store = SqliteFeedbackStore(Path(site["home"]) / "feedback.sqlite")
    deadline = time.monotonic() + 30
    while True:
        records = [r for r in store.list() if r.comment]
        if records or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert len(records) == 1, [r.to_dict() for r in store.list()]
    record = records[0]
    assert (record.rating, record.reason) == (0, "근거 부족")
    assert record.question == "기가인터넷 요금제 월 요금 얼마예요" and record.cited_chunk_ids
    assert len(store.list()) == 1, "a rating and its later reason are one record, not two"


def test_script_in_a_manual_runs_nowhere(site):
    page = site["page"]
    ask(page, "보안 점검 문의는 어디로 해요?")
    answer = last_answer(page)
    expect(answer).to_contain_text("보안 점검 안내", timeout=WAIT_MS)
    expect(answer).to_contain_text("evil.example/steal", timeout=WAIT_MS)
    settle(page)
    text = answer.inner_text()
    assert '<img src=x onerror="window.__xss=' in text or "<img src=x onerror" in text, "shown as text"
    assert page.evaluate("window.__xss") is None, "no manual script or handler ran"
    assert site["dialogs"] == []
    assert answer.locator("img[src=x], script").count() == 0
    hrefs = [a.get_attribute("href") or "" for a in answer.locator("a").all()]
    assert not [h for h in hrefs if h.startswith("javascript:") or "evil.example" in h], hrefs
    shot(page, "05-hostile-manual-shown-as-text", answer)

    manual = page.context.new_page()
    manual.goto(f"{site['url']}/manual?doc=S001")
    expect(manual.get_by_test_id("stMain")).to_contain_text("onerror", timeout=WAIT_MS)
    expect(manual.get_by_role("button", name="원본 HTML 내려받기")).to_be_visible(timeout=WAIT_MS)
    assert manual.evaluate("window.__xss") is None
    assert manual.get_by_test_id("stMain").locator("img[src=x], script").count() == 0
    shot(manual, "06-hostile-manual-page")
    manual.close()


def test_an_agent_has_no_admin_page(site):
    page = site["page"]
    nav = page.get_by_test_id("stSidebarNav")
    assert "관리자" not in nav.inner_text() and "로그인" in nav.inner_text()
    direct = page.context.new_page()
    direct.goto(f"{site['url']}/admin")
    # The page is routable but out of the menu: admin.py runs and refuses in Korean.
    direct.get_by_text("관리자 로그인이 필요합니다").first.wait_for()
    direct.wait_for_timeout(1500)
    body = direct.locator("body").inner_text()
    assert "색인 현황" not in body and "재색인" not in body and "Page not found" not in body
    assert "관리자" not in direct.get_by_test_id("stSidebarNav").inner_text()  # still not in the menu
    direct.close()


def test_admin_logs_in_and_reindexes(site):
    page = site["page"]
    page.get_by_test_id("stSidebarNav").get_by_text("로그인").click()
    log_in_as_admin(page, "boss", ADMIN_PASSWORD)
    page.get_by_role("tab", name="색인 현황").wait_for(timeout=WAIT_MS)
    settle(page)
    shot(page, "07-admin-index-status")

    page.get_by_role("tab", name="재색인").click()
    page.get_by_text("전체", exact=True).click()
    settle(page)
    page.get_by_role("button", name="재색인 시작").click()
    panel = page.get_by_text("재색인 진행 중").or_(page.get_by_text("마지막 재색인"))
    panel.first.wait_for(timeout=60_000)
    shot(page, "08-admin-reindex-progress")
    page.get_by_text("마지막 재색인").first.wait_for(timeout=300_000)
    page.get_by_test_id("stAlertContentSuccess").first.wait_for(timeout=30_000)
    shot(page, "09-admin-reindex-done")
    status = json.loads((Path(site["home"]) / "jobs" / "current.json").read_text(encoding="utf-8"))
    assert status["state"] == "done" and status["full"] is True, status
    assert status["done"] == status["total"] == 4 and status["failed"] == 0, status


def test_a_refresh_keeps_the_admin_logged_in_until_logout(site):
    page = site["page"]
    cookies = {c["name"]: c for c in site["context"].cookies()}
    assert "sangdam_session" in cookies and cookies["sangdam_session"]["sameSite"] == "Strict"
    page.reload()
    nav = page.get_by_test_id("stSidebarNav")
    nav.get_by_text("관리자").wait_for(timeout=WAIT_MS)  # still an admin after the refresh
    page.get_by_role("button", name="로그아웃").click()
    settle(page)
    for _ in range(50):  # the script that clears the cookie runs in the page once the run has drawn it
        if "sangdam_session" not in {c["name"] for c in site["context"].cookies()}:
            break
        page.wait_for_timeout(200)
    page.reload()  # on /admin, now refused in Korean
    page.get_by_text("관리자 로그인이 필요합니다").first.wait_for(timeout=WAIT_MS)
    page.goto(site["url"])
    page.get_by_test_id("stChatInputTextArea").wait_for(timeout=WAIT_MS)
    page.wait_for_timeout(1500)
    assert "관리자" not in page.get_by_test_id("stSidebarNav").inner_text()
    assert "sangdam_session" not in {c["name"] for c in site["context"].cookies()}
