"""로그인: local accounts (`sangdam user add`) or the OIDC login button; sets the session's user and role."""

import streamlit as st

from backend.app.auth import UserStore
from backend.config import get_settings
from dashboard.access import remember_login
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
        role = UserStore(settings.users_file).verify(username.strip(), password)
        if role is None:
            st.error("아이디 또는 비밀번호가 맞지 않습니다.")
        else:
            remember_login(username.strip(), role)
            st.success(f"{escape_markdown(username.strip())} 님, 로그인했습니다.")
            st.rerun()
    st.caption("계정은 관리자가 서버에서 `sangdam user add 아이디 --role admin|agent` 로 만듭니다.")
