"""Ten kinds of questions an agent asks, in a real browser over the whole sample corpus (extractive answers, no
LLM), each answer screenshotted to test-artifacts/browser/kinds/: the fact asked for is line 1 (a heading), a
table answers with its cell, a comparison with both cells, a change record never opens, a typo that stopped the
answer is corrected and said, a question the manuals do not cover is refused, the copy box has no [n] marks, and
the empty screen offers the manuals' own FAQ questions."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.dashboard import ROOT, ask, chromium, missing_browser, sangdam, serve_dashboard, settle

pytestmark = [pytest.mark.integration, pytest.mark.skipif(missing_browser() is not None, reason=str(missing_browser()))]

SHOTS = ROOT / "test-artifacts" / "browser" / "kinds"
WAIT_MS = 60_000


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    sangdam("ingest", str(ROOT / "etl" / "samples" / "manuals"), home=home)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with serve_dashboard(home, log=SHOTS / "server.log") as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1300, "height": 1100}, locale="ko-KR")
        page.goto(url)
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=90_000)
        yield page


def answer_to(page, question: str, shot: str):
    """Ask, wait for the whole answer, screenshot it from its first line; the answer's element."""
    ask(page, question)
    answer = page.get_by_test_id("stChatMessage").last
    answer.get_by_test_id("stFeedback").first.wait_for(timeout=WAIT_MS)  # the rating comes after the text
    settle(page)
    for _ in range(3):  # Streamlit may still swap the element once after the run: find it again
        try:
            answer.locator("h4").first.scroll_into_view_if_needed(timeout=5_000)
            break
        except PlaywrightError:
            page.wait_for_timeout(500)
    time.sleep(0.5)
    page.screenshot(path=str(SHOTS / f"{shot}.png"))
    return answer


def first_line(answer) -> str:
    return answer.locator("h4").first.inner_text()


def test_01_the_empty_screen_offers_faq_questions(page):
    examples = page.get_by_role("button").filter(has_text="?")
    expect(examples.first).to_be_visible(timeout=WAIT_MS)
    page.screenshot(path=str(SHOTS / "01-empty-screen-examples.png"))


def test_02_a_table_cell_at_the_named_row_and_column(page):
    answer = answer_to(page, "기가프리미엄 2.5G 3년 약정 월 요금?", "02-table-cell")
    assert "49,500원" in first_line(answer) and "60,500원" not in first_line(answer)


def test_03_a_combination_table_answers_with_its_cell_and_note(page):
    answer = answer_to(page, "기가인터넷 1G + 한빛TV 베이직 결합 월 합계 얼마", "03-combination-cell")
    line = first_line(answer)
    assert "48,400원" in line and "VAT 포함" in line


def test_04_a_comparison_states_both_cells(page):
    answer = answer_to(page, "기가라이트 500이랑 기가인터넷 1G 3년 약정 요금 차이", "04-comparison")
    line = first_line(answer)
    assert "33,000원" in line and "38,500원" in line


def test_05_a_change_record_never_opens_the_answer(page):
    answer = answer_to(page, "기가라이트 500 3년 약정 요금이 얼마죠?", "05-not-the-revision-line")
    assert "→" not in first_line(answer) and "33,000원" in answer.inner_text()


def test_06_a_fee_in_a_condition_table(page):
    answer = answer_to(page, "인터넷 일시정지 중에 요금 얼마 나와요", "06-fee")
    assert "3,300원" in first_line(answer)


def test_07_a_deadline(page):
    answer = answer_to(page, "인터넷 해지하면 장비 반납 기한 언제까지예요", "07-deadline")
    assert "14일 이내" in answer.inner_text()


def test_08_a_typo_and_an_acronym_by_its_letters_names_are_corrected_and_said(page):
    # The issue's own question: "에이아이" is AI spelled by its letters' names, 셋탑박스 and 임데료 are typos.
    answer = answer_to(page, "에이아이 셋탑박스 임데료 얼마에여?", "08-typo")
    notice = answer.get_by_test_id("stAlertContentInfo")
    expect(notice).to_contain_text("'임대료'로 찾았습니다", timeout=WAIT_MS)
    assert "'AI'" in notice.inner_text()
    assert "6,600원" in first_line(answer)


def test_09_a_question_the_manuals_do_not_cover_is_refused(page):
    answer = answer_to(page, "오늘 코스피 주식 시세 알려줘", "09-out-of-scope")
    assert "매뉴얼에서 확인되지 않습니다" in first_line(answer)


def test_10_the_crm_copy_carries_no_source_marks(page):
    answer = page.get_by_test_id("stChatMessage").filter(has_text="6,600원").last
    answer.get_by_text("답변 복사 (CRM 붙여넣기용)").click()
    code = answer.locator("code").first
    expect(code).to_contain_text("6,600원", timeout=WAIT_MS)
    assert "[1]" not in code.inner_text()
    page.screenshot(path=str(SHOTS / "10-crm-copy.png"))
