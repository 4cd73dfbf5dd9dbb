"""Accounts and roles (issue 15 §4): weak passwords are refused, failed logins lock the user name and the client
address, the audit log records who did what, header mode trusts only the proxy, and the compose file does not
publish the dashboard on every interface.

Every payload goes through the real code: `UserStore.add`, `sangdam user add` / `user unlock`, the login
guard's JSON file, `login_guard.log_in`, `audit.record`, `jobs.start_ingest`, `trusted_header_user`. Each class
ends by recording its figures in the security table (tests/security/report.py): payloads tried, and how many got
through (always 0).
"""

from __future__ import annotations

import json
import re
import stat
import threading
import time

import pytest
import yaml
from pydantic import SecretStr
from typer.testing import CliRunner

from backend.app import audit
from backend.app.auth import AuthError, UserStore, client_address, is_trusted_proxy, trusted_header_user
from backend.app.cli import app
from backend.app.login_guard import LoginGuard, LoginLockedError, log_in
from backend.app.passwords import password_problem
from backend.config import Settings, get_settings
from tests.security.report import record as report_row

pytestmark = pytest.mark.unit

HANGUL = re.compile(r"[가-힣]")
STRONG = "별빛-Tundra-47#qz"


@pytest.fixture
def home(fresh_home, monkeypatch):
    """A fresh $SANGDAM_HOME with one admin and one agent, and default auth settings."""
    for name in ("SANGDAM_AUTH_MAX_FAILURES", "SANGDAM_AUTH_FAILURE_WINDOW_MINUTES", "SANGDAM_AUTH_LOCKOUT_MINUTES",
                 "SANGDAM_AUTH_TRUSTED_PROXIES", "SANGDAM_AUTH_PROXY_SECRET"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    users = UserStore(fresh_home / "users.json")
    users.add("kim.admin", STRONG, "admin")
    users.add("lee.agent", STRONG, "agent")
    return fresh_home


def _audit_lines(home) -> list[dict]:
    path = home / "audit.log"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


# --- weak passwords -------------------------------------------------------------------------------------------

WEAK = [
    # length, whitespace, control characters
    "짧은비번", "abc12!", " " * 12, "\u3000" * 12, "  Xk9#mQ2$vLp", "Xk9#mQ2$vLp  ", "\tXk9#mQ2$vLp", "Xk9#mQ2$\nvLp",
    "Xk9#mQ2$vLp" + "x" * 300,
    # one character, a repeated unit, too few distinct characters
    "aaaaaaaaaa", "AAAAAAAAAAAA", "1111111111", "ㅋㅋㅋㅋㅋㅋㅋㅋㅋㅋ", "!!!!!!!!!!", "ａａａａａａａａａａ",
    "abcabcabca", "12121212121", "abababababab", "abc123abc123", "passwordpassword", "XyZ!XyZ!XyZ!", "하하호호하하호호하하",
    "1111122222", "aAaAbBbBaA", "xk9xk9xk9!", "11112222333",
    # runs along the alphabet, the digits, keyboard rows (either way, any case, full-width)
    "1234567890", "12345678901", "0987654321", "9876543210", "abcdefghij", "ABCDEFGHIJ", "jihgfedcba",
    "qwertyuiop", "QWERTYUIOP", "poiuytrewq", "asdfghjkl;", "zxcvbnm,./", "!@#$%^&*()", "1q2w3e4r5t", "1qaz2wsx3edc",
    "１２３４５６７８９０", "ｑｗｅｒｔｙｕｉｏｐ", "1 2 3 4 5 6 7 8 9 0", "a-b-c-d-e-f-g-h", "Qwerty!@#$",
    "가나다라마바사아자차", "ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔ", "aabbccddee", "abcde12345", "abcd1234!@",
    # the user name
    "kim.admin2024!", "KIM.ADMIN-Xq9", "x9!kimadmin", "ｋｉｍ．ａｄｍｉｎ77", "nimda.mik#42",
    # well-known passwords and their variants
    "password123", "Password1!", "P@ssw0rd1!", "p@$$w0rd!!", "PASSWORD!!!", "pass word 123", "iloveyou12",
    "iloveyou!!", "letmein2024", "letmein!!!", "qwerty12345", "admin12345", "@dmin12345", "administrator",
    "superman99", "welcome!2024", "trustno1!!", "비밀번호1234!!", "비밀번호비밀번호", "사랑해1234567", "qlalfqjsgh",
    "ｐａｓｓｗｏｒｄ１２３", "!!Password!!",
]
STRONG_ENOUGH = ["올바른-비밀번호-123", "충분히-긴-비밀번호", "correct horse 1", "Tr0ub4dor&3", "my-dragon-flies-high",
                 "v8#Lq2!mZp", "상담 코파일럿 좋아요 7", STRONG, "bluefish-Train-42"]


def test_weak_passwords_are_refused_with_one_korean_sentence(tmp_path):
    store = UserStore(tmp_path / "users.json")
    through = []
    for password in WEAK:
        try:
            store.add("kim.admin", password, "admin")
        except AuthError as exc:
            message = str(exc)
            assert HANGUL.search(message) and message.endswith("다.") and message.count(". ") == 0, message
        else:
            through.append(password)
    # The same policy when an existing account changes its password.
    store.add("kim.admin", STRONG, "admin")
    for password in WEAK:
        with pytest.raises(AuthError):
            store.add("kim.admin", password, "admin")
    assert store.verify("kim.admin", STRONG) == "admin"
    report_row("weak passwords", len(WEAK), len(through))
    assert not through, f"accepted: {through}"


@pytest.mark.parametrize(("password", "why"), [
    ("aaaaaaaaaa", "한 글자만"), ("   ", "10자 이상"), ("          ", "공백만"), (" Xk9#mQ2$vLp", "맨 앞이나 맨 뒤"),
    ("abcabcabca", "되풀이"), ("1234567890", "연속된 글자"), ("qwertyuiop", "연속된 글자"),
    ("aAbBaAcCaA", "서로 다른 글자가 5개"), ("password!!", "널리 알려진"), ("kim.admin#Xq9", "아이디"),
])
def test_each_refusal_says_why(tmp_path, password, why):
    with pytest.raises(AuthError, match=why):
        UserStore(tmp_path / "users.json").add("kim.admin", password, "admin")


def test_reasonable_passwords_are_accepted():
    assert [p for p in STRONG_ENOUGH if password_problem(p, "kim.admin") is not None] == []


def test_sangdam_user_add_applies_the_policy(home):
    runner = CliRunner()
    through = [p for p in WEAK[9:30] if "\n" not in p and runner.invoke(
        app, ["user", "add", "park", "--password-stdin"], input=p + "\n").exit_code == 0]
    result = runner.invoke(app, ["user", "add", "park", "--password-stdin"], input="qwerty12345\n")
    assert result.exit_code == 2 and "널리 알려진" in result.output
    assert "park" not in UserStore(home / "users.json").roles()
    assert not through


# --- failed-login lockout ---------------------------------------------------------------------------------------

def _guard(home, **limits) -> LoginGuard:
    return LoginGuard(home / "login_guard.json", **{"max_failures": 5, "window_s": 900, "lock_s": 900, **limits})


def _try(guard: LoginGuard, users: UserStore, user: str, password: str, client: str, now: float):
    """The role, None (wrong), or "locked"."""
    try:
        return guard.attempt(user, client, lambda: users.verify(user, password), now=now)
    except LoginLockedError:
        return "locked"


def test_failed_logins_lock_the_user_name_even_with_the_right_password(home):
    users, now = UserStore(home / "users.json"), 1_000_000.0
    tried = through = 0
    for username in ("kim.admin", "없는사람", "ghost.user"):  # an account that does not exist locks the same way
        guard = _guard(home)
        for i in range(5):
            assert _try(guard, users, username, f"틀린-비밀번호-{i:03d}", "10.0.0.1", now + i) is None
        # A new guard object: the state is in the file (a Streamlit rerun, another session or process).
        guard = _guard(home)
        for client in ("10.0.0.1", "10.0.0.2", "2001:db8::7", None):
            for password in (STRONG, "틀린-비밀번호-999"):
                tried += 1
                through += _try(guard, users, username, password, client, now + 10) != "locked"
        assert guard.locked_for(username, "10.9.9.9", now + 10) > 800
        home.joinpath("login_guard.json").unlink()
    report_row("failed-login lockout (per user)", tried, through)
    assert through == 0


def test_lock_message_is_korean_and_the_same_for_every_user_name(home, monkeypatch):
    monkeypatch.setenv("SANGDAM_AUTH_MAX_FAILURES", "3")
    get_settings.cache_clear()
    settings = get_settings()
    messages = set()
    for username in ("kim.admin", "nobody.here"):
        for _ in range(3):
            assert log_in(username, "틀린-비밀번호-000", f"client-of-{username}", settings) is None
        with pytest.raises(LoginLockedError) as exc:
            log_in(username, STRONG, f"client-of-{username}", settings)
        messages.add(str(exc.value))
    assert messages == {"로그인 시도가 너무 많습니다. 15분 뒤에 다시 시도하세요."}


def test_a_client_is_locked_across_user_names(home):
    users, now = UserStore(home / "users.json"), 2_000_000.0
    guard = _guard(home)
    for i, username in enumerate(["a.user", "b.user", "kim.admin", "c.user", "lee.agent"]):  # password spraying
        assert _try(guard, users, username, "틀린-비밀번호-000", "203.0.113.9", now + i) is None
    tried = through = 0
    for username, password in [("kim.admin", STRONG), ("lee.agent", STRONG), ("new.name", "x" * 12)]:
        tried += 1
        through += _try(guard, users, username, password, "203.0.113.9", now + 10) != "locked"
    report_row("failed-login lockout (per client)", tried, through)
    assert through == 0
    # Another client is not locked, and those user names each had one failure only.
    assert _try(guard, users, "kim.admin", STRONG, "203.0.113.10", now + 11) == "admin"


def test_a_success_resets_the_user_names_count(home):
    users, now = UserStore(home / "users.json"), 3_000_000.0
    guard = _guard(home)
    for round_ in range(3):
        for i in range(4):  # one short of the limit, from different clients (no client lock either)
            assert _try(guard, users, "kim.admin", "틀린-비밀번호-000", f"10.1.{round_}.{i}", now) is None
        assert _try(guard, users, "kim.admin", STRONG, f"10.2.{round_}.1", now) == "admin"
    assert guard.locked_for("kim.admin", "10.3.0.1", now) == 0


def test_locks_expire_and_grow(home):
    users, now = UserStore(home / "users.json"), 4_000_000.0
    guard = _guard(home, max_failures=2, lock_s=60)
    for t in (0, 1):
        _try(guard, users, "kim.admin", "틀린-비밀번호-000", f"10.0.0.{t}", now + t)
    assert _try(guard, users, "kim.admin", STRONG, "10.0.1.1", now + 30) == "locked"
    assert 0 < guard.locked_for("kim.admin", "10.0.1.1", now + 30) <= 60
    now += 62  # the first lock (60 s) is over; two more failures lock for twice as long
    for t in (0, 1):
        _try(guard, users, "kim.admin", "틀린-비밀번호-000", f"10.0.2.{t}", now + t)
    assert 60 < guard.locked_for("kim.admin", "10.0.1.1", now + 1) <= 120
    assert _try(guard, users, "kim.admin", STRONG, "10.0.3.1", now + 100) == "locked"
    assert _try(guard, users, "kim.admin", STRONG, "10.0.3.1", now + 122) == "admin"


def test_failures_outside_the_window_do_not_count(home):
    users, now = UserStore(home / "users.json"), 5_000_000.0
    guard = _guard(home, window_s=60)
    for i in range(8):  # one failure every 20 s: never 5 within a minute
        assert _try(guard, users, "kim.admin", "틀린-비밀번호-000", "10.0.0.1", now + 20 * i) is None
    assert _try(guard, users, "kim.admin", STRONG, "10.0.0.1", now + 200) == "admin"


def test_parallel_attempts_cannot_pass_the_limit(home):
    """Attempts are counted before the (slow) password check, so 20 at once still get 5 checks at most."""
    guard, checks, lock = _guard(home), [], threading.Lock()

    def slow_wrong_check():
        with lock:
            checks.append(1)
        time.sleep(0.05)
        return None

    def one_attempt():
        try:
            guard.attempt("kim.admin", "10.0.0.1", slow_wrong_check)
        except LoginLockedError:
            pass

    threads = [threading.Thread(target=one_attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report_row("failed-login lockout (parallel)", 20, max(0, len(checks) - 5))
    assert len(checks) <= 5
    assert guard.locked_for("kim.admin", "10.0.0.1") > 0


def test_guard_state_is_a_private_file(home):
    assert log_in("kim.admin", "틀린-비밀번호-000", "10.0.0.1", get_settings()) is None
    path = home / "login_guard.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    state = json.loads(path.read_text(encoding="utf-8"))
    assert "kim.admin" in state["users"] and "10.0.0.1" in state["clients"]
    assert STRONG not in path.read_text(encoding="utf-8") and "틀린-비밀번호" not in path.read_text(encoding="utf-8")


def test_a_damaged_guard_file_does_not_lock_everyone_out(home):
    (home / "login_guard.json").write_text("{not json", encoding="utf-8")
    assert log_in("kim.admin", STRONG, "10.0.0.1", get_settings()) == "admin"


def _lock_out(username: str, client: str, settings) -> None:
    """Fail `username`'s login from `client` until it is locked (the default limit: 5 failures)."""
    for i in range(settings.auth_max_failures):
        assert log_in(username, f"틀린-비밀번호-{i:03d}", client, settings) is None
    with pytest.raises(LoginLockedError):
        log_in(username, STRONG, client, settings)


def test_sangdam_user_unlock_lets_a_locked_out_user_back_in(home):
    settings, runner = get_settings(), CliRunner()
    _lock_out("lee.agent", "10.0.0.5", settings)
    result = runner.invoke(app, ["user", "unlock", "lee.agent"])
    assert result.exit_code == 0 and "잠금과 실패 기록을 지웠습니다" in result.output
    assert log_in("lee.agent", STRONG, "10.0.0.6", settings) == "agent"
    # Nothing left to clear: said so, still audited.
    again = runner.invoke(app, ["user", "unlock", "lee.agent"])
    assert again.exit_code == 0 and "잠금이나 실패 기록이 없습니다" in again.output
    unlocks = [e for e in _audit_lines(home) if e["event"] == "user_unlocked"]
    assert [(e["detail"]["account"], e["detail"]["cleared"], e["detail"]["via"]) for e in unlocks] == [
        ("lee.agent", True, "cli"), ("lee.agent", False, "cli")]
    assert "user_unlocked" in audit.EVENTS


def test_unlock_with_client_clears_a_locked_address(home):
    settings = get_settings()
    for i, username in enumerate(["a.user", "b.user", "c.user", "d.user", "e.user"]):  # password spraying
        assert log_in(username, f"틀린-비밀번호-{i:03d}", "203.0.113.9", settings) is None
    with pytest.raises(LoginLockedError):
        log_in("kim.admin", STRONG, "203.0.113.9", settings)
    # Unlocking the user name alone leaves the address locked.
    assert CliRunner().invoke(app, ["user", "unlock", "kim.admin"]).exit_code == 0
    with pytest.raises(LoginLockedError):
        log_in("kim.admin", STRONG, "203.0.113.9", settings)
    result = CliRunner().invoke(app, ["user", "unlock", "kim.admin", "--client", "203.0.113.9"])
    assert result.exit_code == 0 and "203.0.113.9" in result.output
    assert log_in("kim.admin", STRONG, "203.0.113.9", settings) == "admin"
    assert _audit_lines(home)[-2]["detail"]["address"] == "203.0.113.9"


def test_a_new_password_from_user_add_clears_the_lock(home):
    settings = get_settings()
    _lock_out("lee.agent", "10.0.0.7", settings)
    new_password = "새-비밀번호-Harbor-58"
    result = CliRunner().invoke(app, ["user", "add", "lee.agent", "--password-stdin"], input=new_password + "\n")
    assert result.exit_code == 0 and "잠금도 풀었습니다" in result.output
    assert log_in("lee.agent", new_password, "10.0.0.8", settings) == "agent"
    added = [e for e in _audit_lines(home) if e["event"] == "user_added"]
    assert added[-1]["detail"]["replaced"] is True and added[-1]["detail"]["unlocked"] is True


# --- audit log --------------------------------------------------------------------------------------------------

def test_logins_and_lockouts_are_audited(home, monkeypatch):
    monkeypatch.setenv("SANGDAM_AUTH_MAX_FAILURES", "2")
    get_settings.cache_clear()
    settings = get_settings()
    assert log_in("kim.admin", STRONG, "10.0.0.1", settings) == "admin"
    assert log_in("lee.agent", "틀린-비밀번호-000", "10.0.0.2", settings) is None
    assert log_in("lee.agent", "틀린-비밀번호-000", "10.0.0.3", settings) is None
    with pytest.raises(LoginLockedError):
        log_in("lee.agent", STRONG, "10.0.0.4", settings)
    lines = _audit_lines(home)
    assert [(e["event"], e["user"], e["client"]) for e in lines] == [
        ("login", "kim.admin", "10.0.0.1"), ("login_failed", "lee.agent", "10.0.0.2"),
        ("login_failed", "lee.agent", "10.0.0.3"), ("login_locked", "lee.agent", "10.0.0.4"),
    ]
    assert lines[0]["detail"] == {"role": "admin"} and lines[2]["detail"]["locked_minutes"] == 15
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", e["time"]) for e in lines)
    assert STRONG not in (home / "audit.log").read_text(encoding="utf-8")


def test_every_event_is_one_private_json_line(home):
    events = sorted(audit.EVENTS)
    for event in events:
        audit.record(event, "kim.admin", "10.0.0.1", file="feedback.csv")
    # A name with a newline cannot forge a second line; detail that JSON cannot hold is written as text.
    audit.record("login_failed", "evil\n{\"event\": \"login\"}", "10.0.0.1", when=object())
    lines = (home / "audit.log").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(events) + 1
    entries = [json.loads(line) for line in lines]
    assert [e["event"] for e in entries] == [*events, "login_failed"]
    assert set(entries[0]) == {"time", "event", "user", "client", "detail"}
    assert entries[0]["detail"] == {"file": "feedback.csv"}
    assert stat.S_IMODE((home / "audit.log").stat().st_mode) == 0o600
    report_row("audit log (forged lines)", 1, len(lines) - len(events) - 1)


def test_audit_never_raises(home, caplog):
    (home / "audit.log").mkdir()  # the log cannot be opened for writing
    audit.record("login", "kim.admin", "10.0.0.1")
    assert "could not record" in caplog.text


def test_audit_log_is_made_private_even_if_it_was_not(home):
    (home / "audit.log").write_text("", encoding="utf-8")
    (home / "audit.log").chmod(0o644)
    audit.record("logout", "kim.admin", "10.0.0.1")
    assert stat.S_IMODE((home / "audit.log").stat().st_mode) == 0o600


def test_cli_user_add_and_remove_are_audited_and_tail_shows_them(home):
    runner = CliRunner()
    assert runner.invoke(app, ["user", "add", "park.agent", "--password-stdin"], input=STRONG + "\n").exit_code == 0
    assert runner.invoke(app, ["user", "remove", "park.agent"]).exit_code == 0
    entries = _audit_lines(home)
    assert [(e["event"], e["detail"]["account"]) for e in entries] == [("user_added", "park.agent"),
                                                                      ("user_removed", "park.agent")]
    assert entries[0]["detail"]["role"] == "agent" and entries[0]["detail"]["replaced"] is False
    tail = runner.invoke(app, ["audit", "tail", "-n", "1"])
    assert tail.exit_code == 0 and "user_removed" in tail.output and "user_added" not in tail.output
    as_json = runner.invoke(app, ["audit", "tail", "-n", "5", "--json"]).output.splitlines()
    assert [json.loads(line)["event"] for line in as_json] == ["user_added", "user_removed"]


def test_audit_tail_without_a_log(home):
    result = CliRunner().invoke(app, ["audit", "tail"])
    assert result.exit_code == 0 and "감사 기록이 없습니다" in result.output


def test_reindex_start_is_audited_with_its_user(home, monkeypatch):
    from backend.app.jobs import control
    from backend.app.jobs.status import JobStatus

    def fake_launch(settings, kind, source, full, args):
        return JobStatus(job_id="job-1", kind=kind, source=source, full=full, state="running", pid=1,
                         started_at="", updated_at="", log_path="")

    monkeypatch.setattr(control, "_launch", fake_launch)
    control.start_ingest(str(home), full=True, settings=get_settings(), user="kim.admin", client="10.0.0.1")
    (entry,) = _audit_lines(home)
    assert (entry["event"], entry["user"], entry["client"]) == ("reindex_started", "kim.admin", "10.0.0.1")
    assert entry["detail"] == {"source": str(home.resolve()), "full": True, "job_id": "job-1"}


# --- header mode: who may set the user header --------------------------------------------------------------------

def _settings(**values) -> Settings:
    return Settings(_env_file=None, auth_mode="header", **values)


SECRET = "s3cret-proxy-value-0123456789"
# (headers, client address as st.context.ip_address gives it, settings) -> the user expected (None: not trusted)
HEADER_CASES = [
    # the defaults trust this machine only; Streamlit reports 127.0.0.1 and ::1 as None
    ({"X-Forwarded-User": "kim"}, None, _settings(), "kim"),
    ({"x-forwarded-user": "kim"}, None, _settings(), "kim"),
    ({"X-FORWARDED-USER": " kim "}, None, _settings(), "kim"),
    ({"X-Forwarded-User": "kim"}, "127.0.0.1", _settings(), "kim"),
    ({"X-Forwarded-User": "kim"}, "::1", _settings(), "kim"),
    ({"X-Forwarded-User": "kim"}, "203.0.113.5", _settings(), None),
    ({"x-forwarded-user": "admin"}, "10.0.0.8", _settings(), None),
    ({"X-Forwarded-User": "admin"}, "192.168.0.10", _settings(), None),
    ({"X-Forwarded-User": "admin"}, "2001:db8::1", _settings(), None),
    ({"X-Forwarded-User": "admin"}, "::ffff:203.0.113.5", _settings(), None),
    ({"X-Forwarded-User": "admin"}, "127.0.0.1.evil.com", _settings(), None),
    ({"X-Forwarded-User": "admin"}, "not-an-ip", _settings(), None),
    ({"X-Forwarded-User": "admin"}, "", _settings(), None),
    ({"X-Forwarded-User": "admin"}, "fe80::1%eth0", _settings(), None),
    # X-Forwarded-For / X-Real-IP from the client change nothing
    ({"X-Forwarded-User": "admin", "X-Forwarded-For": "127.0.0.1", "X-Real-IP": "127.0.0.1"}, "203.0.113.5",
     _settings(), None),
    # CIDR and IPv6 lists
    ({"X-Forwarded-User": "kim"}, "10.1.2.3", _settings(auth_trusted_proxies="10.0.0.0/8"), "kim"),
    ({"X-Forwarded-User": "kim"}, "11.1.2.3", _settings(auth_trusted_proxies="10.0.0.0/8"), None),
    ({"X-Forwarded-User": "kim"}, "172.18.0.1", _settings(auth_trusted_proxies=" 172.18.0.1 , ::1"), "kim"),
    ({"X-Forwarded-User": "kim"}, "172.18.0.2", _settings(auth_trusted_proxies="172.18.0.1,::1"), None),
    ({"X-Forwarded-User": "kim"}, "2001:db8::42", _settings(auth_trusted_proxies="2001:db8::/64"), "kim"),
    ({"X-Forwarded-User": "kim"}, "2001:db9::42", _settings(auth_trusted_proxies="2001:db8::/64"), None),
    ({"X-Forwarded-User": "kim"}, "fe80::1%eth0", _settings(auth_trusted_proxies="fe80::/10"), "kim"),
    ({"X-Forwarded-User": "kim"}, "::ffff:10.0.0.5", _settings(auth_trusted_proxies="10.0.0.5"), "kim"),
    ({"X-Forwarded-User": "kim"}, None, _settings(auth_trusted_proxies="10.0.0.5"), None),  # this machine not listed
    ({"X-Forwarded-User": "kim"}, "10.0.0.5", _settings(auth_trusted_proxies="garbage, 10.0.0.5/33"), None),
    ({"X-Forwarded-User": "kim"}, "10.0.0.5", _settings(auth_trusted_proxies=""), None),
    # the proxy secret, when set
    ({"X-Forwarded-User": "kim", "X-Sangdam-Proxy-Secret": SECRET}, None,
     _settings(auth_proxy_secret=SecretStr(SECRET)), "kim"),
    ({"X-Forwarded-User": "kim", "x-sangdam-proxy-secret": SECRET}, None,
     _settings(auth_proxy_secret=SecretStr(SECRET)), "kim"),
    ({"X-Forwarded-User": "kim"}, None, _settings(auth_proxy_secret=SecretStr(SECRET)), None),
    ({"X-Forwarded-User": "kim", "X-Sangdam-Proxy-Secret": ""}, None, _settings(auth_proxy_secret=SecretStr(SECRET)), None),
    ({"X-Forwarded-User": "kim", "X-Sangdam-Proxy-Secret": SECRET[:-1]}, None,
     _settings(auth_proxy_secret=SecretStr(SECRET)), None),
    ({"X-Forwarded-User": "kim", "X-Sangdam-Proxy-Secret": SECRET + "x"}, None,
     _settings(auth_proxy_secret=SecretStr(SECRET)), None),
    ({"X-Forwarded-User": "kim", "X-Sangdam-Proxy-Secret": SECRET.upper()}, None,
     _settings(auth_proxy_secret=SecretStr(SECRET)), None),
    ({"X-Forwarded-User": "kim", "X-Sangdam-Proxy-Secret": "비밀"}, None, _settings(auth_proxy_secret=SecretStr(SECRET)), None),
    ({"X-Forwarded-User": "kim", "X-Sangdam-Proxy-Secret": SECRET}, "203.0.113.5",
     _settings(auth_proxy_secret=SecretStr(SECRET)), None),  # the right secret from the wrong place
    # the header itself: missing, empty, control characters, another header name
    ({}, None, _settings(), None),
    ({"X-Forwarded-User": ""}, None, _settings(), None),
    ({"X-Forwarded-User": "   "}, None, _settings(), None),
    ({"X-Forwarded-User": "kim\r\nX-Admin: 1"}, None, _settings(), None),
    ({"X-Forwarded-User": "kim\x00"}, None, _settings(), None),
    ({"X-Forwarded-User": "k" * 300}, None, _settings(), None),
    ({"X-Remote-User": "kim"}, None, _settings(), None),
    ({"X-Remote-User": "kim"}, None, _settings(auth_user_header="X-Remote-User"), "kim"),
]


class _Repeated(dict):
    """Headers as Streamlit holds them: a name may come more than once (`get_all`)."""

    def get_all(self, name: str) -> list[str]:
        return [v for k, values in self.items() if k.lower() == name.lower() for v in values]


def test_header_user_is_trusted_only_from_the_proxy():
    wrong = [(headers, ip, expected, trusted_header_user(headers, ip, settings))
             for headers, ip, settings, expected in HEADER_CASES
             if trusted_header_user(headers, ip, settings) != expected]
    spoofs = [case for case in HEADER_CASES if case[3] is None]
    report_row("spoofed proxy header", len(spoofs), sum(1 for w in wrong if w[2] is None))
    assert not wrong


def test_a_header_sent_twice_is_not_trusted():
    settings = _settings(auth_proxy_secret=SecretStr(SECRET))
    twice = _Repeated({"X-Forwarded-User": ["admin", "kim"], "X-Sangdam-Proxy-Secret": [SECRET]})
    assert trusted_header_user(twice, None, settings) is None
    two_secrets = _Repeated({"X-Forwarded-User": ["kim"], "X-Sangdam-Proxy-Secret": ["guess", SECRET]})
    assert trusted_header_user(two_secrets, None, settings) is None
    once = _Repeated({"x-forwarded-user": ["kim"], "x-sangdam-proxy-secret": [SECRET]})
    assert trusted_header_user(once, None, settings) == "kim"


def test_client_address_takes_forwarded_for_only_from_a_trusted_proxy():
    settings = _settings(auth_trusted_proxies="127.0.0.1,::1,172.18.0.1")
    assert client_address({}, None, settings) == "localhost"
    assert client_address({}, "203.0.113.5", settings) == "203.0.113.5"
    # A client's own X-Forwarded-For is ignored: it would let it pick the address its failures are charged to.
    assert client_address({"X-Forwarded-For": "10.9.9.9"}, "203.0.113.5", settings) == "203.0.113.5"
    # Behind the proxy: the last address the proxy added, not what the client put before it.
    assert client_address({"X-Forwarded-For": "1.2.3.4, 198.51.100.7"}, "172.18.0.1", settings) == "198.51.100.7"
    assert client_address({"x-forwarded-for": "198.51.100.7, 127.0.0.1"}, None, settings) == "198.51.100.7"
    assert client_address({"X-Forwarded-For": "127.0.0.1"}, "172.18.0.1", settings) == "172.18.0.1"
    assert is_trusted_proxy(None, settings.auth_trusted_proxies) and not is_trusted_proxy("172.18.0.2", "172.18.0.1")


# --- the dashboard port -----------------------------------------------------------------------------------------

def test_compose_publishes_the_dashboard_on_localhost_only():
    from tests.infra.test_compose import INFRA

    compose = yaml.safe_load((INFRA / "docker-compose.yml").read_text(encoding="utf-8"))
    ports = [str(p) for p in compose["services"]["dashboard"]["ports"]]
    exposed = [p for p in ports if not p.startswith("127.0.0.1:")]
    report_row("published dashboard port", len(ports), len(exposed))
    assert ports and not exposed
