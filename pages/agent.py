"""상담 도우미: the agent's page. A question in, a cited Korean answer (streamed) and its sources out.

Everything goes through `backend` (answers, search, attachment store); manual and answer text is shown
through `dashboard.display` (escaped, never raw HTML).
"""

from __future__ import annotations

import logging
import threading
from urllib.parse import quote

import streamlit as st

from backend.app.services import example_questions, get_answerer, get_retriever, save_feedback
from backend.chunk_layout import body_of
from backend.feedback.base import REASONS
from backend.models import SearchFilters
from backend.text.pii import mask_pii
from dashboard.access import require_page
from dashboard.display import answer_parts, crm_text, escape_markdown, highlight, question_words, table_view
from dashboard.widgets import stored_file_button

MAX_HISTORY = 20
log = logging.getLogger(__name__)

st.title("💬 상담 도우미")
require_page("pages/agent.py")

stats = get_retriever().index.stats()
if stats.chunks == 0:
    st.warning("색인된 매뉴얼이 없습니다. 관리자에게 매뉴얼 색인(sangdam ingest 또는 관리자 화면의 재색인)을 요청하세요.")
    st.stop()

with st.sidebar:
    st.subheader("검색 조건")
    category = st.text_input("상품 분류", placeholder="예: 인터넷, 모바일 > 요금제", key="agent_category")
    search_only = st.toggle("검색만 (답변 생성 없이 매뉴얼 구절만)", key="agent_search_only")
    current_only = st.checkbox("최신 문서만", value=True, key="agent_current_only",
                               help="답변은 항상 최신 문서만 근거로 씁니다. 이 설정은 '검색만'에 적용됩니다.")
    st.caption(f"문서 {stats.documents}건 · 조각 {stats.chunks}개 · {stats.backend}")

history: list[dict] = st.session_state.setdefault("agent_history", [])


def _show_passage(n: int | str, chunk, words: list[str], key: str, answer_text: str = "") -> None:
    """One source: title, breadcrumb, revision date, the passage (words highlighted) or its table (the
    cells the answer quotes highlighted), links."""
    with st.container(border=True):
        old = " · 구버전" if chunk.superseded else ""
        st.markdown(f"**[{n}] {escape_markdown(chunk.title)}**{old}")
        crumbs = " > ".join(chunk.breadcrumb + chunk.section)
        st.caption(escape_markdown(f"{crumbs} · 개정일 {chunk.revision_date or '-'} · {chunk.page}"))
        view = table_view(chunk.table, answer_text) if chunk.kind == "table" else None
        if view is not None:
            st.dataframe(view, hide_index=True, width="stretch")
        else:
            body = body_of(chunk.text)
            st.markdown(highlight(body, words))
        cols = st.columns(1 + len(chunk.attachments))
        with cols[0]:
            # A new tab, so the call's conversation stays where it is; relative, so a proxy's base path holds.
            st.markdown(f"[📄 매뉴얼 원문](manual?doc={quote(chunk.doc_id, safe='')})")
        for i, att in enumerate(chunk.attachments, start=1):
            with cols[i]:
                stored_file_button(f"📎 {att.name}", att.path, f"{key}-att{i}")


def _feedback(answer, category: str | None) -> None:
    """Thumbs up/down, and for a thumbs down an optional reason and comment; saved whenever it changes
    (one record per answer, so a new choice replaces the old one; a rerun saves nothing twice)."""
    key = f"fb-{answer.answer_id}"
    rating = st.feedback("thumbs", key=key)
    if rating is None:
        return
    reason = comment = None
    if rating == 0:
        cols = st.columns([1, 2])
        reason = cols[0].selectbox("사유", REASONS, index=None, placeholder="사유 선택 (선택)", key=f"{key}-reason")
        comment = cols[1].text_input("의견 (선택)", key=f"{key}-comment", placeholder="무엇이 틀렸나요?")
    choice = (rating, reason, comment or None)
    if st.session_state.get(f"{key}-saved") != choice:
        try:
            save_feedback(answer, rating, reason=reason, comment=comment, category=category,
                          agent_id=st.session_state.get("agent_id"))
        except Exception as exc:  # noqa: BLE001 - the agent must know the rating did not reach the store
            st.error(escape_markdown(f"평가를 저장하지 못했습니다. 잠시 뒤 다시 눌러 주세요. ({exc})"))
            return
        st.session_state[f"{key}-saved"] = choice
        st.toast("평가를 저장했습니다. 고맙습니다.")


def _show_answer_text(text: str, target=st) -> None:
    """Line 1 (the fact asked for) large, the supporting lines under it."""
    first, rest = answer_parts(text)
    target.markdown(f"#### {escape_markdown(first)}" + (f"\n\n{escape_markdown(rest)}" if rest else ""))


def _show_entry(entry: dict, index: int) -> None:
    if entry["mode"] == "search":
        words = question_words(entry["question"], [h.chunk.text for h in entry["hits"]])
        if not entry["hits"]:
            st.info("관련 매뉴얼을 찾지 못했습니다. 다른 표현으로 물어보세요.")
        for rank, hit in enumerate(entry["hits"], start=1):
            _show_passage(rank, hit.chunk, words, f"h{index}-{rank}")
        return
    answer = entry["answer"]
    if answer.corrections:
        st.info(escape_markdown(answer.correction_notice()), icon="🔎")
    _show_answer_text(answer.text)
    for warning in answer.warnings:  # they quote LLM answers and servers' messages
        st.warning(escape_markdown(warning))
    label = "LLM " + (answer.model or "") if answer.mode == "llm" else "매뉴얼 발췌"
    t = answer.timings_ms
    st.caption(escape_markdown(f"{label} · 검색 {t['retrieve']:.0f} ms · 생성 {t['generate']:.0f} ms"))
    with st.expander("답변 복사 (CRM 붙여넣기용)"):
        st.code(crm_text(answer.text), language=None, wrap_lines=True)
    _feedback(answer, entry.get("category"))
    cited = {c.n for c in answer.citations}
    # Nothing cited (a refusal): the passages the search found, not the rest of its first page.
    shown = [p for p in answer.passages if p.n in cited] or [p for p in answer.passages if not p.rest_of_page]
    words = question_words(entry["question"], [p.chunk.text for p in shown])
    if shown:
        st.markdown("**근거**" if cited else "**가까운 매뉴얼 구절**")
    for passage in shown:
        _show_passage(passage.n, passage.chunk, words, f"a{index}-{passage.n}", answer.text)


# The new answer is computed and sent before the earlier ones are redrawn (containers keep the order on
# screen), so the agent sees it without waiting for up to 20 earlier answers to be re-sent.
earlier, latest = st.container(), st.container()
shown_before = list(history)

question = st.chat_input("고객 문의를 입력하세요 (Enter 로 질문)") or st.session_state.pop("agent_example", None)
if not history and not question:
    examples = example_questions()
    if examples:
        st.caption("예시 질문 — 눌러서 물어보세요")
        for i, example in enumerate(examples):
            # The button's label is manual text: shown as text, never as markup.
            if st.button(escape_markdown(example), key=f"example-{i}"):
                st.session_state["agent_example"] = example
                st.rerun()
if question and question.strip():
    filters = SearchFilters(breadcrumb_prefix=category.strip() or None, current_only=current_only)
    with latest:
        with st.chat_message("user"):
            st.text(question)
        with st.chat_message("assistant"):
            try:
                if search_only:  # (typos are corrected inside the search)
                    entry = {"question": question, "mode": "search",
                             "hits": get_retriever().search(question, k=5, filters=filters)}
                else:
                    placeholder = st.empty()
                    cancel = threading.Event()
                    answer = get_answerer().answer(
                        question, filters, cancel=cancel,
                        on_text=lambda text: _show_answer_text(text, placeholder),
                    )
                    placeholder.empty()
                    entry = {"question": question, "mode": "answer", "answer": answer,
                             "category": category.strip() or None}
            except ValueError as exc:  # our own Korean message (an empty index, a bad filter)
                st.error(escape_markdown(f"질문을 처리할 수 없습니다: {exc}"))
                entry = None
            except Exception:  # noqa: BLE001 - no traceback or server path reaches an agent's screen
                log.exception("answering %r failed", mask_pii(question))
                st.error("질문을 처리하지 못했습니다. 잠시 뒤 다시 물어보세요. 계속되면 관리자에게 알려 주세요.")
                entry = None
            if entry is not None:
                _show_entry(entry, len(history))
    if entry is not None:
        history.append(entry)
        del history[:-MAX_HISTORY]

with earlier:
    for i, entry in enumerate(shown_before):
        with st.chat_message("user"):
            st.text(entry["question"])
        with st.chat_message("assistant"):
            _show_entry(entry, i)
