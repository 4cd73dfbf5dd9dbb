"""Dashboard entry point: who is the user (dashboard/access.py), then the navigation their role allows.

Admin pages are not in an agent's navigation; every page also checks access itself, so a direct URL
does not open it either.
"""

import streamlit as st

from backend.app.auth import pages_for
from backend.config import get_settings
from dashboard.access import identify
from dashboard.display import escape_markdown

st.set_page_config(page_title="상담 코파일럿", page_icon="📞", layout="wide")
settings = get_settings()
user, role = identify()

if user:
    with st.sidebar:
        st.caption(f"👤 {escape_markdown(user)} · {'관리자' if role == 'admin' else '상담사'}")
        if settings.auth_mode == "local" and st.button("로그아웃"):
            st.session_state.pop("user", None)
            st.session_state.pop("role", None)
            st.rerun()
        elif settings.auth_mode == "oidc" and st.button("로그아웃"):
            st.logout()

specs = pages_for(role, require_login=settings.auth_require_login)
pages = [st.Page(p.path, title=p.title, icon=p.icon, default=(i == 0)) for i, p in enumerate(specs)]
st.navigation(pages).run()
