"""The login page driven through AppTest, for the page tests."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

LOGIN = str(Path(__file__).resolve().parents[2] / "pages" / "login.py")


def login(username: str, password: str) -> AppTest:
    """Fill the login form with `username` and `password`, submit it, and return the page after the run."""
    at = AppTest.from_file(LOGIN, default_timeout=60).run()
    (user_box,) = [t for t in at.text_input if t.label == "아이디"]
    (password_box,) = [t for t in at.text_input if t.label == "비밀번호"]
    user_box.input(username)
    password_box.input(password)
    (submit,) = [b for b in at.button if b.label == "로그인"]
    return submit.click().run()
