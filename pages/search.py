"""매뉴얼 검색: the agent types a question and sees the best manual passages (placeholder until the answer page)."""

import streamlit as st

from backend.models import SearchFilters
from backend.services import get_retriever, hit_to_json

st.title("🔎 매뉴얼 검색")
# get_retriever() is built once per process by backend.services; stats() reads no run records.
stats = get_retriever().index.stats()
if stats.chunks == 0:
    st.warning("색인된 매뉴얼이 없습니다. 관리자가 `sangdam ingest` 로 매뉴얼을 색인해야 합니다.")
    st.stop()
st.caption(f"문서 {stats.documents}건 · 청크 {stats.chunks}개 · 검색 백엔드 {stats.backend}")

with st.form("search"):
    query = st.text_input("질문", placeholder="예: 기가인터넷 3년 약정 해지 위약금 얼마예요?")
    cols = st.columns([2, 1, 1])
    category = cols[0].text_input("분류 (선택)", placeholder="예: 인터넷")
    kind = cols[1].selectbox("종류", ["전체", "본문", "표"])
    current_only = cols[2].checkbox("최신 문서만", value=True)
    submitted = st.form_submit_button("검색")

if submitted and query.strip():
    filters = SearchFilters(
        breadcrumb_prefix=category.strip() or None,
        kind={"본문": "text", "표": "table"}.get(kind),
        current_only=current_only,
    )
    hits = get_retriever().search(query, k=5, filters=filters)
    if not hits:
        st.info("관련 매뉴얼을 찾지 못했습니다. 다른 표현으로 물어보세요.")
    for rank, hit in enumerate(hits, 1):
        item = hit_to_json(hit)
        with st.container(border=True):
            old = " · 구버전" if item["superseded"] else ""
            st.markdown(f"**{rank}. {item['title']}**{old}")
            st.caption(" > ".join(item["breadcrumb"]) + f" · 개정일 {item['revision_date'] or '-'} · {item['page']}")
            st.text(item["text"])
            for att in item["attachments"]:
                st.markdown(f"- 첨부: [{att['name']}]({att['url']})")
