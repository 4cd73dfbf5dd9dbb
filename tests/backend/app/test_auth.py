"""Local accounts (salted hashes, no plaintext, 0600 file), role mapping, pages by role, `sangdam user`."""

from __future__ import annotations

import json
import stat

import pytest
from typer.testing import CliRunner

from backend.app.auth import ADMIN_PAGES, AGENT_PAGES, LOGIN_PAGE, AuthError, UserStore, pages_for, role_of
from backend.app.cli import app
from backend.config import get_settings

pytestmark = pytest.mark.unit


def test_accounts_store_only_salted_hashes(tmp_path):
    store = UserStore(tmp_path / "users.json")
    store.add("kim.admin", "올바른-비밀번호-123", "admin")
    store.add("lee.agent", "올바른-비밀번호-123", "agent")
    raw = (tmp_path / "users.json").read_text(encoding="utf-8")
    assert "올바른-비밀번호-123" not in raw
    users = json.loads(raw)
    assert users["kim.admin"]["salt"] != users["lee.agent"]["salt"]
    assert users["kim.admin"]["hash"] != users["lee.agent"]["hash"]  # same password, different salts
    assert stat.S_IMODE((tmp_path / "users.json").stat().st_mode) == 0o600
    assert store.verify("kim.admin", "올바른-비밀번호-123") == "admin"
    assert store.verify("lee.agent", "올바른-비밀번호-123") == "agent"
    assert store.verify("kim.admin", "틀린-비밀번호-123") is None
    assert store.verify("없는사람", "올바른-비밀번호-123") is None
    assert store.roles() == {"kim.admin": "admin", "lee.agent": "agent"}
    assert store.remove("lee.agent") and not store.remove("lee.agent")


@pytest.mark.parametrize(("name", "password", "role", "message"), [
    ("a", "충분히-긴-비밀번호", "agent", "아이디"),
    ("kim", "짧음", "agent", "10자 이상"),
    ("kim", "충분히-긴-비밀번호", "root", "역할"),
])
def test_bad_accounts_are_refused_in_korean(tmp_path, name, password, role, message):
    with pytest.raises(AuthError, match=message):
        UserStore(tmp_path / "users.json").add(name, password, role)


def test_no_account_exists_until_one_is_created(tmp_path):
    assert UserStore(tmp_path / "users.json").roles() == {}


def test_external_users_are_agents_unless_listed_as_admins():
    assert role_of("Kim@Example.com", "kim@example.com, park@example.com") == "admin"
    assert role_of("lee@example.com", "kim@example.com") == "agent"
    assert role_of(None, "kim@example.com") is None


def test_admin_pages_are_only_in_an_admins_navigation():
    assert pages_for("agent") == AGENT_PAGES
    assert pages_for(None) == AGENT_PAGES + (LOGIN_PAGE,)
    assert pages_for(None, require_login=True) == (LOGIN_PAGE,)
    assert set(ADMIN_PAGES) <= set(pages_for("admin"))
    assert not set(ADMIN_PAGES) & set(pages_for("agent") + pages_for(None))


def test_user_cli_adds_lists_and_removes(tmp_path, monkeypatch):
    monkeypatch.setenv("SANGDAM_HOME", str(tmp_path))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        result = runner.invoke(app, ["user", "add", "kim.admin", "--role", "admin", "--password-stdin"],
                               input="올바른-비밀번호-123\n")
        assert result.exit_code == 0, result.output
        assert "kim.admin\tadmin" in runner.invoke(app, ["user", "list"]).output
        assert UserStore(tmp_path / "users.json").verify("kim.admin", "올바른-비밀번호-123") == "admin"
        short = runner.invoke(app, ["user", "add", "lee", "--password-stdin"], input="짧음\n")
        assert short.exit_code == 2 and "10자 이상" in short.output
        assert runner.invoke(app, ["user", "remove", "kim.admin"]).exit_code == 0
        assert runner.invoke(app, ["user", "remove", "kim.admin"]).exit_code == 2
    finally:
        get_settings.cache_clear()


def test_session_tokens_are_signed_expire_and_follow_the_account(tmp_path):
    from backend.app.auth import SessionTokens

    users = UserStore(tmp_path / "users.json")
    users.add("boss", "correct horse 1", "admin")
    tokens = SessionTokens(tmp_path / "session.key", hours=8)
    token = tokens.issue("boss", "admin", now=1_000_000)
    assert tokens.verify(token, users, now=1_000_000 + 3600) == ("boss", "admin")
    assert (tmp_path / "session.key").stat().st_mode & 0o777 == 0o600
    assert tokens.verify(token, users, now=1_000_000 + 8 * 3600) is None  # expired
    payload, _, signature = token.partition(".")
    forged = payload.replace(payload[:4], "eyJ2") + "." + signature  # another body, the old signature
    assert tokens.verify(forged, users, now=1_000_000) is None
    assert tokens.verify("", users) is None and tokens.verify("garbage", users) is None and tokens.verify(None, users) is None
    other_key = SessionTokens(tmp_path / "other.key", hours=8)
    assert other_key.verify(token, users, now=1_000_000) is None  # signed with another server's key
    users.add("boss", "correct horse 1", "agent")  # demoted: the admin token no longer counts
    assert tokens.verify(token, users, now=1_000_000) is None
    users.remove("boss")
    assert tokens.verify(tokens.issue("boss", "agent", now=1_000_000), users, now=1_000_000) is None
