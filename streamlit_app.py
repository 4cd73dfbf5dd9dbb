"""Dashboard entry point: who is the user (dashboard/access.py), then the navigation their role allows.

Admin pages are not in an agent's menu; every page also checks access itself, so a direct URL shows a
Korean refusal instead of the page.
"""

import streamlit as st

from backend.app import audit
from backend.app.auth import ALL_PAGES, pages_for
from backend.config import get_settings
from dashboard.access import client_address, forget_login, identify, write_session_cookie
from dashboard.display import escape_markdown

st.set_page_config(page_title="상담 코파일럿", page_icon="📞", layout="wide")
settings = get_settings()
user, role = identify()

if user:
    with st.sidebar:
        st.caption(f"👤 {escape_markdown(user)} · {'관리자' if role == 'admin' else '상담사'}")
        if settings.auth_mode == "local" and st.button("로그아웃"):
            audit.record("logout", user, client_address())
            forget_login()
            st.rerun()
        elif settings.auth_mode == "oidc" and st.button("로그아웃"):
            audit.record("logout", user, client_address())
            st.logout()

specs = pages_for(role, require_login=settings.auth_require_login)
pages = [st.Page(p.path, title=p.title, icon=p.icon, default=(i == 0)) for i, p in enumerate(specs)]
# The other pages stay routable but out of the menu: a direct URL (/admin) then runs the page, which tells the
# user in Korean what to do ("관리자 로그인이 필요합니다"), instead of Streamlit's English "Page not found".
pages += [st.Page(p.path, title=p.title, icon=p.icon, visibility="hidden") for p in ALL_PAGES if p not in specs]
write_session_cookie()
st.navigation(pages).run()
