"""Dashboard entry point: who is the user (backend/auth.py), then the navigation their role allows.

Admin pages are not in an agent's navigation; they also check the role themselves, so a direct URL
does not open them either.
"""

import streamlit as st

from backend.auth import pages_for, role_of
from backend.config import get_settings

st.set_page_config(page_title="상담 코파일럿", page_icon="📞", layout="wide")
settings = get_settings()
state = st.session_state


def identify() -> tuple[str | None, str | None]:
    """(user, role) by the configured mode; (None, None) when nobody is logged in."""
    if settings.auth_mode == "header":
        user = st.context.headers.get(settings.auth_user_header)
        return user, role_of(user, settings.admin_users)
    if settings.auth_mode == "oidc":
        if not st.user.is_logged_in:
            return None, None
        user = st.user.get("email") or st.user.get("name")
        return user, role_of(user, settings.admin_users)
    return state.get("user"), state.get("role")


user, role = identify()
state["role"], state["agent_id"] = role, user

if user:
    with st.sidebar:
        st.caption(f"👤 {user} · {'관리자' if role == 'admin' else '상담사'}")
        if settings.auth_mode == "local" and st.button("로그아웃"):
            state.pop("user", None)
            state.pop("role", None)
            st.rerun()
        elif settings.auth_mode == "oidc" and st.button("로그아웃"):
            st.logout()

specs = pages_for(role, require_login=settings.auth_require_login)
pages = [st.Page(p.path, title=p.title, icon=p.icon, default=(i == 0)) for i, p in enumerate(specs)]
st.navigation(pages).run()
