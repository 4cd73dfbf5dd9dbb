"""Dashboard entry point: navigation over the pages in `pages/`."""

import streamlit as st

st.set_page_config(page_title="상담 코파일럿", page_icon="📞", layout="wide")

navigation = st.navigation([
    st.Page("pages/agent.py", title="상담 도우미", icon="💬", default=True),
    st.Page("pages/search.py", title="매뉴얼 검색", icon="🔎"),
])
navigation.run()
