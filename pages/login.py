"""로그인: local accounts (`sangdam user add`) or the OIDC login button; sets the session's user and role.

Local logins go through backend/app/login_guard.py: too many failures lock the user name and the client
address for a while, and every attempt leaves an audit line. The refusal reads the same whether or not the
account exists."""

import streamlit as st

from backend.app.login_guard import WRONG_LOGIN_KO, LoginLockedError, log_in
from backend.config import get_settings
from dashboard.access import client_address, remember_login
from dashboard.display import escape_markdown

settings = get_settings()
st.title("🔐 로그인")

if settings.auth_mode == "oidc":
    st.button("회사 계정으로 로그인", on_click=st.login)
elif settings.auth_mode == "header":
    st.info("이 대시보드는 사내 인증 프록시를 거쳐 로그인합니다. 프록시 주소로 다시 접속하세요.")
else:
    with st.form("login"):
        username = st.text_input("아이디")
        password = st.text_input("비밀번호", type="password")
        submitted = st.form_submit_button("로그인")
    if submitted:
        try:
            role = log_in(username.strip(), password, client_address(), settings)
        except LoginLockedError as exc:
            st.error(str(exc))  # the same words for every user name, existing or not
        else:
            if role is None:
                st.error(WRONG_LOGIN_KO)
            else:
                remember_login(username.strip(), role)
                st.success(f"{escape_markdown(username.strip())} 님, 로그인했습니다.")
                st.rerun()
    st.caption("계정은 관리자가 서버에서 `sangdam user add 아이디 --role admin|agent` 로 만듭니다.")
