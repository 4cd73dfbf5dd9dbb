"""관리자: index status, re-indexing (in a worker process), agents' ratings, answer evaluation and
fine-tuning (adapters, loss curves, the live switch, the RAG/PEFT comparison, the review queue).

Long jobs run in `backend.app.jobs`' detached worker; this page only starts, polls and cancels them (the
state lives in a status file, so a browser refresh still shows a running job). Manual, question and
answer text is shown escaped (`dashboard.display`) or as plain text, never as HTML.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import streamlit as st

from backend.app import audit, jobs
from backend.app.evaluation import answer_missed_rows, answer_table_rows
from backend.app.services import attachment_count, get_feedback_store, index_status, ingest_run, recent_runs
from backend.config import get_settings
from backend.feedback import report as fb
from backend.feedback.base import REASONS
from dashboard import finetune_panel
from dashboard.access import client_address, require_page
from dashboard.display import escape_markdown

DEFAULT_QUESTIONS = "etl/samples/questions.jsonl"

st.title("🛠️ 관리자")
user, _ = require_page("pages/admin.py")

settings = get_settings()
job_at_render = jobs.current_job(settings)
RUNNING_AT_RENDER = job_at_render is not None and job_at_render.running


def _failures_table(failures: list[dict]) -> None:
    if failures:
        st.dataframe([{"페이지": f["page"], "사유": f["reason"]} for f in failures], hide_index=True, width="stretch")


def _job_result(job: jobs.JobStatus) -> None:
    """The outcome of a finished job: its summary line, and for a re-index its run's failures."""
    text = escape_markdown(job.summary_ko or job.state_label)
    {"done": st.success, "cancelled": st.warning}.get(job.state, st.error)(text)
    if job.kind == "ingest" and job.run_id:
        try:
            record = ingest_run(job.run_id)
        except (FileNotFoundError, ValueError):
            return
        if record.error:
            st.caption(escape_markdown(record.error))
        if record.failures:
            st.markdown(f"**실패한 페이지 {record.pages_failed}개**")
            _failures_table(record.failures)
        if record.warnings:
            st.markdown(f"**경고 {len(record.warnings)}건** (페이지는 색인됨)")
            _failures_table(record.warnings)


@st.fragment(run_every=1.0 if RUNNING_AT_RENDER else None)
def job_panel(kind: str) -> None:
    """Progress of the running job of `kind` (refreshed every second), or the last one's result."""
    job = jobs.current_job(settings)
    if RUNNING_AT_RENDER and (job is None or not job.running):
        st.rerun()  # the job ended: redraw the whole page (start buttons back, timer off)
    if job is None:
        return
    if job.kind != kind:
        if job.running:
            st.info(f"{job.kind_label} 작업이 진행 중입니다. 끝난 뒤 시작할 수 있습니다.")
        return
    if job.running:
        unit = "쪽" if kind == "ingest" else "문항"
        total = job.total or "?"
        st.progress(job.fraction, text=f"{job.kind_label} 진행 중: {job.done}/{total}{unit}, 실패 {job.failed}")
        st.caption(escape_markdown(f"원본: {job.source} · {'전체 재색인' if job.full else '증분'} · 시작 {job.started_at}"
                                   + (f" · 처리 중: {job.current}" if job.current else "")))
        if job.cancel_requested:
            st.caption("중단을 요청했습니다. 곧 멈춥니다.")
        elif st.button("중단", key=f"cancel-{kind}", type="secondary"):
            jobs.cancel(settings)
            st.toast("중단을 요청했습니다. 기존 색인은 그대로 유지됩니다.")
        return
    st.markdown(f"**마지막 {job.kind_label}** ({job.state_label}, {job.finished_at or job.updated_at})")
    _job_result(job)


tab_status, tab_reindex, tab_feedback, tab_eval, tab_finetune = st.tabs(
    ["색인 현황", "재색인", "상담사 평가", "답변 평가", "미세조정"]
)

# --------------------------------------------------------------------------- 색인 현황
with tab_status:
    info = index_status()
    idx = info["index"]
    cols = st.columns(5)
    cols[0].metric("문서", idx["documents"])
    cols[1].metric("조각", idx["chunks"])
    cols[2].metric("표 조각", idx["table_chunks"])
    cols[3].metric("구버전 문서", idx["superseded_documents"])
    try:
        cols[4].metric("첨부", attachment_count())
    except Exception:  # noqa: BLE001 - a count must not take the page down
        cols[4].metric("첨부", "-")
    embedder = f"{idx['embedder']} ({idx['dim']}차원)" if idx["embedder"] else "-"
    st.caption(escape_markdown(f"검색 백엔드 {idx['backend']} · 사용 중인 색인 {idx['location']} · 임베딩 {embedder}"))
    if idx["chunks"] == 0:
        st.warning("색인된 매뉴얼이 없습니다. '재색인' 탭에서 색인하세요.")
    st.subheader("최근 색인 작업")
    runs = recent_runs()
    if not runs:
        st.caption("아직 색인 기록이 없습니다.")
    else:
        st.dataframe(
            [
                {
                    "시작": r.started_at, "상태": r.status_label, "방식": "전체 재색인" if r.full else "증분",
                    "원본": r.source, "페이지": r.pages_seen, "추가": r.pages_added, "변경": r.pages_changed,
                    "삭제": r.pages_removed, "실패": r.pages_failed, "조각": r.chunks_written,
                    "문서": r.documents_total, "소요(초)": r.timings.get("total_s"),
                }
                for r in runs
            ],
            hide_index=True,
            width="stretch",
        )
        for r in runs:
            if r.failures or r.error or r.warnings:
                with st.expander(f"{r.started_at} · {r.status_label} · 실패 {r.pages_failed} · 경고 {len(r.warnings)}"):
                    st.text(r.summary_ko())
                    if r.error:
                        st.text(r.error)
                    _failures_table(r.failures + r.warnings)

# --------------------------------------------------------------------------- 재색인
with tab_reindex:
    job_panel("ingest")
    busy = RUNNING_AT_RENDER
    st.subheader("매뉴얼 위치에서 재색인")
    source = st.text_input("매뉴얼 위치 (폴더 또는 s3://버킷/접두어)", value=settings.manuals_source, key="admin_source")
    mode = st.radio("방식", ["증분", "전체"], horizontal=True, key="admin_mode",
                    help="증분: 바뀐 문서만 다시 색인합니다. 전체: 모든 문서를 처음부터 다시 색인합니다.")
    if st.button("재색인 시작", type="primary", disabled=busy, key="admin_start"):
        try:
            jobs.start_ingest(source, full=mode == "전체", settings=settings, user=user, client=client_address())
        except (jobs.JobBusyError, ValueError) as exc:
            st.error(escape_markdown(str(exc)))
        else:
            st.rerun()

    st.subheader("zip 파일로 재색인")
    st.caption("HTML 매뉴얼과 첨부파일을 묶은 zip 을 올립니다. 증분 방식이면 묶음에 없는 문서는 색인에서 빠지므로, "
               "전체 매뉴얼을 묶어 올리세요.")
    upload = st.file_uploader("매뉴얼 묶음 (zip)", type="zip", key="admin_upload")
    if st.button("업로드한 묶음으로 재색인", disabled=busy or upload is None, key="admin_start_upload"):
        try:
            jobs.start_ingest_upload(upload.getvalue(), full=mode == "전체", settings=settings, user=user,
                                     client=client_address())
        except (jobs.JobBusyError, jobs.UploadError, ValueError) as exc:
            st.error(escape_markdown(str(exc)))
        else:
            st.rerun()

# --------------------------------------------------------------------------- 상담사 평가
with tab_feedback:
    cols = st.columns([1, 1, 2])
    since = cols[0].date_input("시작일", value=date.today() - timedelta(days=30), key="fb_since")
    rating_label = cols[1].selectbox("평가", ["전체", "좋아요", "싫어요"], key="fb_rating")
    reasons = cols[2].multiselect("사유", REASONS, key="fb_reasons", placeholder="모든 사유")
    category = st.text_input("상품 분류 (포함)", key="fb_category", placeholder="예: 인터넷")
    rating = {"좋아요": 1, "싫어요": 0}.get(rating_label)
    records = fb.filter_records(
        get_feedback_store().list(since=fb.since_iso(since), limit=50_000),
        since=since, rating=rating, reasons=reasons, category=category.strip() or None,
    )
    totals = fb.summary(records)
    cols = st.columns(4)
    cols[0].metric("평가 수", totals["ratings"])
    cols[1].metric("좋아요", totals["thumbs_up"])
    cols[2].metric("싫어요", totals["thumbs_down"])
    cols[3].metric("만족도", "-" if totals["satisfaction"] is None else f"{totals['satisfaction'] * 100:.0f}%")
    if not records:
        st.info("조건에 맞는 평가가 없습니다.")
    else:
        st.markdown("**날짜별 만족도** (좋아요 비율)")
        by_day = fb.satisfaction_by_day(records)
        st.line_chart({"만족도": {row["day"]: row["satisfaction"] for row in by_day}})
        cols = st.columns(2)
        with cols[0]:
            st.markdown("**분류별 만족도**")
            st.bar_chart({"만족도": {row["group"]: row["satisfaction"] for row in fb.satisfaction_by(records, "category")}})
        with cols[1]:
            st.markdown("**답변 방식별 만족도**")
            st.bar_chart({"만족도": {row["group"]: row["satisfaction"] for row in fb.satisfaction_by(records, "mode")}})
        reasons_seen = fb.reason_counts(records)
        if reasons_seen:
            st.markdown("**싫어요 사유**")
            st.bar_chart({"건수": reasons_seen})

        st.subheader("낮게 평가된 답변")
        worst = fb.worst_answers(records, limit=20)
        if not worst:
            st.caption("싫어요 평가가 없습니다.")
        for r in worst:
            with st.container(border=True):
                st.caption(escape_markdown(f"{r.created_at} · {fb.MODE_LABELS.get(r.mode, r.mode)}"
                                           f" · 분류 {r.category or '-'} · 사유 {r.reason or '-'}"))
                st.markdown(f"**질문:** {escape_markdown(r.question)}")
                st.markdown(escape_markdown(r.answer))
                if r.comment:
                    st.markdown(f"**의견:** {escape_markdown(r.comment)}")
                if r.cited_pages:
                    st.caption("근거 페이지: " + escape_markdown(", ".join(r.cited_pages)))

    st.subheader("내보내기")
    st.caption("필터에 맞는 평가 전체를 내려받습니다 (미세조정·평가 데이터의 출발점).")
    cols = st.columns(2)
    for col, (label, data, name, mime) in zip(cols, [
        ("CSV 내려받기", fb.to_csv, "feedback.csv", "text/csv"),
        ("JSONL 내려받기", fb.to_jsonl, "feedback.jsonl", "application/jsonl"),
    ]):
        col.download_button(label, data=data(records), file_name=name, mime=mime, key=f"fb_{name}",
                            disabled=not records, on_click=audit.record, args=("export", user, client_address()),
                            kwargs={"file": name, "records": len(records)})

# --------------------------------------------------------------------------- 답변 평가
with tab_eval:
    job_panel("eval-answers")
    questions = st.text_input("질문 세트 (JSONL 경로)", value=DEFAULT_QUESTIONS, key="eval_questions")
    use_llm = st.checkbox("LLM 사용 (설정된 경우)", value=bool(settings.llm_base_url), key="eval_use_llm",
                          disabled=not settings.llm_base_url)
    if st.button("답변 평가 실행", disabled=RUNNING_AT_RENDER, key="eval_start"):
        try:
            jobs.start_eval_answers(questions, settings=settings, use_llm=use_llm)
        except (jobs.JobBusyError, ValueError) as exc:
            st.error(escape_markdown(str(exc)))
        else:
            st.rerun()

    reports = jobs.list_reports(settings)
    if not reports:
        st.caption("아직 평가 보고서가 없습니다.")
    else:
        chosen = st.selectbox("보고서", reports, format_func=lambda p: p.stem, key="eval_report")
        try:
            result = json.loads(Path(chosen).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            st.error(escape_markdown(f"보고서를 읽을 수 없습니다: {exc}"))
        else:
            st.caption(escape_markdown(f"질문 세트 {result.get('questions_file', '-')} · 완료 {result.get('finished_at', '-')}"))
            rows = answer_table_rows(result)
            st.dataframe(rows, hide_index=True, width="stretch")
            by_category = [r for r in rows if r["분류"] != "전체"]
            st.markdown("**분류별 사실 포함 · 인용 정밀도**")
            st.bar_chart(
                {
                    "사실 포함": {r["분류"]: r["사실 포함"] or 0.0 for r in by_category},
                    "인용 정밀도": {r["분류"]: r["인용 정밀도"] or 0.0 for r in by_category},
                },
                stack=False,
            )
            latency = result["overall"]["latency_ms"]
            st.caption(f"지연 p50 {latency['p50']} ms · p95 {latency['p95']} ms · "
                       f"LLM 답변 {result['overall']['llm_answers']}/{result['overall']['questions']}")
            missed = answer_missed_rows(result)
            if missed:
                st.markdown(f"**놓친 질문 {len(missed)}개**")
                st.dataframe(missed, hide_index=True, width="stretch")
            st.download_button("보고서 JSON 내려받기", data=Path(chosen).read_bytes(), file_name=Path(chosen).name,
                               mime="application/json", key="eval_download")


# --------------------------------------------------------------------------- 미세조정
with tab_finetune:
    st.subheader("어댑터")
    finetune_panel.adapters_section()
    st.subheader("지시 데이터 검토")
    finetune_panel.review_section()
