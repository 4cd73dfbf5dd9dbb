"""The login page with the lockout and the audit log, and the header mode behind the entry point (AppTest)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from backend.app.auth import UserStore
from backend.config import get_settings
from tests.pages.login_form import login

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "streamlit_app.py")
PASSWORD = "올바른-비밀번호-123"
LOCKED = "로그인 시도가 너무 많습니다. 15분 뒤에 다시 시도하세요."

pytestmark = pytest.mark.integration


@pytest.fixture
def home(fresh_home, monkeypatch):
    monkeypatch.setenv("SANGDAM_AUTH_MAX_FAILURES", "3")
    get_settings.cache_clear()
    UserStore(fresh_home / "users.json").add("kim.admin", PASSWORD, "admin")
    return fresh_home


@pytest.mark.parametrize("username", ["kim.admin", "nobody.here"])
def test_the_page_locks_after_repeated_failures_the_same_way_for_any_user_name(home, username):
    for _ in range(3):
        at = login(username, "틀린-비밀번호-000")
        assert not at.exception and [e.value for e in at.error] == ["아이디 또는 비밀번호가 맞지 않습니다."]
    at = login(username, PASSWORD)  # the right password (for kim.admin) no longer helps
    assert not at.exception and [e.value for e in at.error] == [LOCKED]
    assert "role" not in at.session_state


def test_logins_from_the_page_are_audited(home):
    login("nobody.here", PASSWORD)
    at = login("kim.admin", PASSWORD)
    assert at.session_state["role"] == "admin"
    events = [json.loads(line) for line in (home / "audit.log").read_text(encoding="utf-8").splitlines()]
    assert [(e["event"], e["user"]) for e in events] == [("login_failed", "nobody.here"), ("login", "kim.admin")]
    assert {e["client"] for e in events} == {"unknown"}  # AppTest has no connection address


def test_header_mode_ignores_a_header_it_cannot_trust(home, monkeypatch):
    """AppTest gives no real connection: an address that is unknown is never a trusted proxy."""
    monkeypatch.setenv("SANGDAM_AUTH_MODE", "header")
    monkeypatch.setenv("SANGDAM_AUTH_REQUIRE_LOGIN", "true")
    get_settings.cache_clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.session_state["role"] is None
