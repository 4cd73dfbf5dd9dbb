"""매뉴얼 원문: one indexed manual page, whole, as the agent would read it in the manual system.

Opened from an answer's source (`?doc=<doc_id>`) or picked from the list. The page is rebuilt from its
indexed chunks (sections in order, tables as tables, attachments as downloads), so manual HTML is never
rendered raw; the original file is offered as a download.
"""

from __future__ import annotations

import streamlit as st

from backend.app.services import get_index
from backend.chunk_layout import body_of
from dashboard.access import require_page
from dashboard.display import escape_markdown, table_frame
from dashboard.widgets import stored_file_button

st.title("📄 매뉴얼 원문")
require_page("pages/manual.py")

index = get_index()
documents = index.documents()
if not documents:
    st.warning("색인된 매뉴얼이 없습니다. 관리자에게 재색인을 요청하세요.")
    st.stop()

doc_ids = sorted(documents, key=lambda d: documents[d].page)
wanted = st.query_params.get("doc")
if wanted is not None and wanted not in documents:
    st.error(f"색인에 없는 매뉴얼입니다: {escape_markdown(wanted)}")
doc_id = st.selectbox(
    "매뉴얼", doc_ids, index=doc_ids.index(wanted) if wanted in documents else 0,
    format_func=lambda d: documents[d].page, key=f"manual-{wanted}",
)
st.query_params["doc"] = doc_id

chunks = index.chunks(doc_id)
if not chunks:
    st.info("이 매뉴얼에는 색인된 내용이 없습니다.")
    st.stop()
first = chunks[0]

st.header(escape_markdown(first.title), anchor=False)
old = " · **구버전** (최신 문서가 따로 있습니다)" if first.superseded else ""
st.markdown(
    f"{escape_markdown(' > '.join(first.breadcrumb))} · 개정일 {first.revision_date or '-'}"
    f" · {escape_markdown(first.page)}{old}"
)
attachments = {a.path: a for c in chunks for a in c.attachments}
cols = st.columns(1 + len(attachments))
with cols[0]:
    stored_file_button("원본 HTML 내려받기", first.page, "manual-original")
for i, att in enumerate(attachments.values(), start=1):
    with cols[i]:
        stored_file_button(f"📎 {att.name}", att.path, f"manual-att{i}")

section: tuple[str, ...] | None = None
for chunk in chunks:
    if chunk.section != section:
        section = chunk.section
        if section:
            st.subheader(escape_markdown(" > ".join(section)), anchor=False)
    frame = table_frame(chunk.table) if chunk.kind == "table" else None
    if frame is not None:
        columns, rows = frame
        if chunk.table.caption:
            st.caption(escape_markdown(chunk.table.caption))
        st.dataframe([dict(zip(columns, r)) for r in rows], hide_index=True, width="stretch")
    else:
        st.markdown(escape_markdown(body_of(chunk.text)))
