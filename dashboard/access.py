"""Who is using the dashboard, and may they open this page: shared by streamlit_app.py and every page.

Every page calls `require_page` itself. The navigation alone is no gate: on the first request to a
freshly started server, Streamlit still routes a URL such as /agent or /admin straight to the file in
`pages/` (its older folder-based routing) without running streamlit_app.py.
"""

from __future__ import annotations

import streamlit as st

from backend.app.auth import pages_for, role_of
from backend.config import get_settings


def identify() -> tuple[str | None, str | None]:
    """(user, role) by the configured auth mode; (None, None) when nobody is logged in. Also kept in the
    session as `role` and `agent_id` (the id saved with each rating)."""
    settings = get_settings()
    state = st.session_state
    if settings.auth_mode == "header":
        user = st.context.headers.get(settings.auth_user_header)
        role = role_of(user, settings.admin_users)
    elif settings.auth_mode == "oidc":
        if st.user.is_logged_in:
            user = st.user.get("email") or st.user.get("name")
            role = role_of(user, settings.admin_users)
        else:
            user = role = None
    else:
        user, role = state.get("user"), state.get("role")
    state["role"], state["agent_id"] = role, user
    return user, role


def require_page(path: str) -> tuple[str | None, str | None]:
    """Stop the page with a Korean message unless the current user's navigation holds `path`."""
    user, role = identify()
    if any(p.path == path for p in pages_for(role, require_login=get_settings().auth_require_login)):
        return user, role
    if path == "pages/admin.py":
        st.error("관리자 로그인이 필요합니다. 관리자만 볼 수 있는 화면입니다: 왼쪽 메뉴의 '로그인'에서 관리자 계정으로 로그인하세요.")
    else:
        st.error("로그인한 뒤에 볼 수 있는 화면입니다. 왼쪽 메뉴의 '로그인'에서 로그인하세요.")
    st.stop()
