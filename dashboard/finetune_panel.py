"""The admin page's 미세조정 tab: registered adapters and their loss curves, the switch of the adapter agents
are served by, the RAG/PEFT comparison of each adapter, and the review queue of a generated dataset.

Example and answer texts come from manuals and models: they are shown as plain text (data grids, text
areas, `st.text`), never as Markdown.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import streamlit as st

from backend.app.finetune import registry, switch_adapter
from backend.config import get_settings
from backend.finetune.dataset import read_dataset, stats_path
from backend.finetune.review import ReviewLog
from dashboard.access import client_address
from dashboard.display import escape_markdown

COMPARE_METRICS = {
    "fact_coverage": "사실 포함률", "citation_precision": "인용 정확도", "refusal_correct": "거절 정확도",
    "korean_ratio": "한국어 비율", "answers_with_hallucination": "숫자 환각 답변 비율",
}
PAGE_SIZE = 5


def adapters_section() -> None:
    """The adapter table, the live switch, one adapter's loss curve and its latest comparison."""
    reg = registry()
    adapters = reg.list()
    if not adapters:
        st.caption("등록된 어댑터가 없습니다. `sangdam finetune data` → `sangdam finetune train` 으로 학습하세요.")
        return
    st.dataframe(
        [{"이름": a.name, "서비스 중": "✔" if a.live else "", "단계": a.card.get("steps"),
          "학습 손실": a.card.get("metrics", {}).get("train_loss"), "검증 손실": a.card.get("metrics", {}).get("eval_loss"),
          "학습 시각": a.card.get("trained_at"), "학습 시간(초)": a.card.get("wall_s"),
          "데이터 해시": str(a.card.get("data_sha256") or "")[:12]} for a in adapters],
        hide_index=True, width="stretch",
    )
    names = [a.name for a in adapters]
    live = reg.live()
    choice = st.selectbox("서비스할 모델", ["(기본 모델)", *names],
                          index=names.index(live) + 1 if live in names else 0, key="ft_live")
    if st.button("이 모델로 답하기", key="ft_switch"):
        try:
            done = switch_adapter(None if choice == "(기본 모델)" else choice,
                                  user=st.session_state.get("agent_id"), client=client_address())
        except ValueError as exc:  # vLLM's answer is quoted in it
            st.error(escape_markdown(str(exc)))
        else:
            st.success(escape_markdown(done))

    shown = st.selectbox("자세히 볼 어댑터", names, key="ft_shown")
    info = reg.get(shown)
    if info.loss_csv is not None:
        loss = pd.read_csv(info.loss_csv)
        curve = loss.groupby("step")[["train_loss", "eval_loss"]].mean().rename(
            columns={"train_loss": "학습 손실", "eval_loss": "검증 손실"})
        st.markdown("**손실 곡선**")
        st.line_chart(curve)
    scores = info.scores()
    if scores:
        latest = scores[0]
        st.markdown("**RAG · PEFT 비교 (최근)**")
        st.caption(escape_markdown(f"질문 세트 {latest.get('questions_file', '-')} · {latest.get('questions')}문항 · "
                                   f"기본 모델 {latest.get('base_model')} · {latest.get('finished_at')}"))
        columns = latest["columns"]
        st.dataframe(pd.DataFrame({name: {label: col["overall"].get(key) for key, label in COMPARE_METRICS.items()}
                                   for name, col in columns.items()}), width="stretch")
        st.bar_chart(pd.DataFrame({name: {cat: figures.get("fact_coverage") or 0.0
                                          for cat, figures in col["by_category"].items()}
                                   for name, col in columns.items()}), stack=False)


def review_section() -> None:
    """A dataset's stats and its review queue: accept, reject or edit each example's answer."""
    default = str(get_settings().home / "finetune" / "data.jsonl")
    path = Path(st.text_input("지시 데이터 (JSONL 경로)", value=default, key="ft_data"))
    if not path.is_file():
        st.caption("이 경로에 지시 데이터가 없습니다. `sangdam finetune data --out 경로` 로 만드세요.")
        return
    if stats_path(path).is_file():
        stats = json.loads(stats_path(path).read_text(encoding="utf-8"))
        st.caption(f"예시 {stats['examples']}개 · sha256 {str(stats['sha256'])[:12]}…")
        st.dataframe(pd.DataFrame(stats["by_category"]).fillna(0).astype(int), width="stretch")
    log = ReviewLog(path)
    decisions = log.decisions()
    split = st.radio("분할", ["train", "validation", "test"], horizontal=True, key="ft_split")
    pending_only = st.checkbox("검토하지 않은 것만", value=True, key="ft_pending")
    rows = [r for r in read_dataset(path, split) if not (pending_only and r["id"] in decisions)]
    st.caption(f"검토 {len(decisions)}건 · 이 목록 {len(rows)}개")
    page = st.number_input("쪽", min_value=1, max_value=max(1, -(-len(rows) // PAGE_SIZE)), value=1, key="ft_page")
    for row in rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
        with st.container(border=True):
            st.text(f"{row['id']} · {row['kind']} · {row['category']} · {', '.join(row['pages'])}")
            st.text(f"질문: {row['question']}")
            with st.expander("프롬프트 (발췌 포함)"):
                st.text(row["messages"][1]["content"])
            answer = st.text_area("답변", value=row["messages"][-1]["content"], key=f"ft_a_{row['id']}")
            cols = st.columns(3)
            user = st.session_state.get("agent_id")
            if cols[0].button("채택", key=f"ft_ok_{row['id']}"):
                log.decide(row["id"], "accept", reviewer=user)
                st.rerun()
            if cols[1].button("제외", key=f"ft_no_{row['id']}"):
                log.decide(row["id"], "reject", reviewer=user)
                st.rerun()
            if cols[2].button("수정 저장", key=f"ft_ed_{row['id']}"):
                try:
                    log.decide(row["id"], "edit", answer=answer, reviewer=user)
                except ValueError as exc:
                    st.error(escape_markdown(str(exc)))
                else:
                    st.rerun()
