"""The entry point and the login page: who gets which navigation (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from backend.app.auth import UserStore
from backend.config import get_settings
from tests.pages.login_form import login

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "streamlit_app.py")
PASSWORD = "올바른-비밀번호-123"

pytestmark = pytest.mark.integration


@pytest.fixture
def home(fresh_home):
    store = UserStore(fresh_home / "users.json")
    store.add("kim.admin", PASSWORD, "admin")
    store.add("lee.agent", PASSWORD, "agent")
    return fresh_home


def test_without_login_an_agent_gets_the_agent_page(home):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.session_state["role"] is None
    assert any("색인된 매뉴얼이 없습니다" in w.value for w in at.warning)  # the agent page ran


def test_a_wrong_password_is_refused(home):
    at = login("kim.admin", "틀린-비밀번호-000")
    assert any("맞지 않습니다" in e.value for e in at.error)
    assert "role" not in at.session_state


@pytest.mark.parametrize(("username", "role"), [("kim.admin", "admin"), ("lee.agent", "agent")])
def test_login_sets_the_accounts_role(home, username, role):
    at = login(username, PASSWORD)
    assert not at.exception and not at.error
    assert at.session_state["user"] == username and at.session_state["role"] == role


def test_an_admin_session_runs_the_app_with_the_admin_role(home):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["user"], at.session_state["role"] = "kim.admin", "admin"
    at.run()
    assert not at.exception
    assert at.session_state["agent_id"] == "kim.admin"
    assert any("kim\\.admin" in c.value and "관리자" in c.value for c in at.sidebar.caption)


def test_login_can_be_required_for_agents_too(home, monkeypatch):
    monkeypatch.setenv("SANGDAM_AUTH_REQUIRE_LOGIN", "true")
    get_settings.cache_clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["아이디", "비밀번호"]  # only the login page
    assert not at.warning  # the agent page did not run


@pytest.mark.parametrize("page", ["agent.py", "manual.py"])
def test_a_page_run_without_the_entry_point_still_requires_login(home, monkeypatch, page):
    """A fresh server's first request may run a pages/ file directly: the page checks access itself."""
    monkeypatch.setenv("SANGDAM_AUTH_REQUIRE_LOGIN", "true")
    get_settings.cache_clear()
    at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=60).run()
    assert at.error and "로그인" in at.error[0].value
    assert not at.warning and not at.chat_input and not at.selectbox
    at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=60)
    at.session_state["user"], at.session_state["role"] = "lee.agent", "agent"
    at.run()
    assert not at.error  # a logged-in agent gets the page
