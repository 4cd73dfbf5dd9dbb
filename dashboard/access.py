"""Who is using the dashboard, and may they open this page: shared by streamlit_app.py and every page.

Every page calls `require_page` itself. The navigation alone is no gate: on the first request to a
freshly started server, Streamlit still routes a URL such as /agent or /admin straight to the file in
`pages/` (its older folder-based routing) without running streamlit_app.py.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st
import streamlit.components.v1 as components

from backend.app import auth
from backend.app.auth import SESSION_COOKIE, SessionTokens, UserStore, pages_for, role_of
from backend.config import get_settings


def identify() -> tuple[str | None, str | None]:
    """(user, role) by the configured auth mode; (None, None) when nobody is logged in. Also kept in the
    session as `role` and `agent_id` (the id saved with each rating)."""
    settings = get_settings()
    state = st.session_state
    if settings.auth_mode == "header":
        # Only from the trusted proxy (address, and secret when set): anyone else could send the header.
        user = auth.trusted_header_user(_headers(), _peer(), settings)
        role = role_of(user, settings.admin_users)
    elif settings.auth_mode == "oidc":
        if st.user.is_logged_in:
            user = st.user.get("email") or st.user.get("name")
            role = role_of(user, settings.admin_users)
        else:
            user = role = None
    else:
        user, role = state.get("user"), state.get("role")
        # A refreshed tab: the signed cookie, if still valid (not in the tab that just logged out, whose
        # browser may still send the cookie until the script clearing it has run).
        if user is None and settings.session_hours > 0 and not state.get("_logged_out"):
            restored = _tokens().verify(st.context.cookies.get(SESSION_COOKIE), UserStore(settings.users_file))
            if restored is not None:
                user, role = restored
                state["user"], state["role"] = user, role
    state["role"], state["agent_id"] = role, user
    return user, role


def _peer() -> str | None:
    """The connection's address: Streamlit's st.context.ip_address, None for this machine. Anything else than
    a string or None (a test harness's stand-in) is an unknown address, which is never trusted."""
    ip = st.context.ip_address
    return ip if ip is None or isinstance(ip, str) else "unknown"


def _headers() -> Mapping[str, str]:
    headers = st.context.headers
    return headers if isinstance(headers, Mapping) else {}


def client_address() -> str:
    """The address this session's requests come from (behind a trusted proxy: the one it forwarded for), for
    the login lockout and the audit log; "localhost" for this machine."""
    return auth.client_address(_headers(), _peer(), get_settings())


def _tokens() -> SessionTokens:
    settings = get_settings()
    return SessionTokens(settings.session_key_file, settings.session_hours)


def remember_login(user: str, role: str) -> None:
    """After a local login: keep it in this tab, and in a signed cookie a refresh brings back."""
    st.session_state["user"], st.session_state["role"] = user, role
    st.session_state.pop("_logged_out", None)
    if get_settings().session_hours > 0:
        st.session_state["_session_cookie"] = _tokens().issue(user, role)  # type: ignore[arg-type]


def forget_login() -> None:
    """Log out of this tab and drop the cookie."""
    st.session_state.pop("user", None)
    st.session_state.pop("role", None)
    st.session_state["_logged_out"] = True
    st.session_state["_session_cookie"] = ""


def write_session_cookie() -> None:
    """Set (or clear) the session cookie in the browser once, after a login or logout; called on every run
    by streamlit_app.py. Streamlit cannot set a cookie from the server, so a zero-height component does it
    (its iframe shares the app's origin); the token holds only URL-safe characters."""
    token = st.session_state.pop("_session_cookie", None)
    if token is None:
        return
    max_age = int(get_settings().session_hours * 3600) if token else 0
    components.html(
        "<script>const d = window.parent.document; d.cookie = "
        f"'{SESSION_COOKIE}={token}; path=/; max-age={max_age}; SameSite=Strict'"
        " + (window.parent.location.protocol === 'https:' ? '; Secure' : '');</script>",
        height=0,
    )


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
