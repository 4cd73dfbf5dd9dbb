"""Failed-login lockout for local accounts, per user name and, separately, per client address.

After `max_failures` failed logins within `window_s`, the user name is locked for `lock_s` seconds (doubled
at each further lock before a success, at most a day): every attempt is refused, the right password too,
without checking it. The client address has its own counter over every user name it tries (password
spraying), which a success does not reset (an attacker's own account must not buy more guesses); its
failures simply age out of the window. A success resets the user name's counter and lock count.

The state is one small JSON file, $SANGDAM_HOME/login_guard.json (0600, written atomically under a file
lock), so it survives a Streamlit rerun and is shared by every session and process. An attempt is counted as
a failure before the password is checked and taken back on success, so parallel attempts cannot get past
the limit while the (slow, PBKDF2) check runs. A user name that does not exist is counted and locked just
like one that does, so neither the lock nor its message tells whether an account exists.

An admin clears a lock with `sangdam user unlock NAME` (`--client ADDR` for an address); a new password set
with `sangdam user add NAME` clears that user name's lock too (`LoginGuard.unlock`).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from backend.app import audit
from backend.app.auth import Role, UserStore
from backend.config import Settings
from backend.files import atomic_write_json, file_lock

T = TypeVar("T")

MAX_LOCK_S = 24 * 3600
# An entry with no failure and no lock for this long is forgotten (its lock count too); keeps the file small.
FORGET_AFTER_S = 24 * 3600
# User names are typed by anyone at the login form; only this much of one is kept as a key.
_MAX_KEY = 128

WRONG_LOGIN_KO = "아이디 또는 비밀번호가 맞지 않습니다."
LOCKED_KO = "로그인 시도가 너무 많습니다. {minutes}분 뒤에 다시 시도하세요."


class LoginLockedError(Exception):
    """Login refused without checking the password: too many failures for this user name or client."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.minutes = max(1, math.ceil(seconds / 60))
        super().__init__(LOCKED_KO.format(minutes=self.minutes))


class LoginGuard:
    """Counts failed logins per user name and per client address in one JSON file; see the module docstring."""

    def __init__(self, path: Path | str, *, max_failures: int = 5, window_s: float = 900.0,
                 lock_s: float = 900.0) -> None:
        self.path = Path(path)
        self.max_failures = max_failures
        self.window_s = window_s
        self.lock_s = lock_s

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginGuard:
        """The guard of $SANGDAM_HOME with the SANGDAM_AUTH_* limits."""
        return cls(settings.home / "login_guard.json", max_failures=settings.auth_max_failures,
                   window_s=settings.auth_failure_window_minutes * 60,
                   lock_s=settings.auth_lockout_minutes * 60)

    def _read(self) -> dict[str, dict[str, dict]]:
        try:
            state = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):  # a damaged file starts over rather than locking everyone out
            state = {}
        return {"users": state.get("users", {}), "clients": state.get("clients", {})}

    def _keys(self, user: str, client: str | None) -> tuple[tuple[str, str], ...]:
        return ("users", user.strip()[:_MAX_KEY]), ("clients", (client or "unknown")[:_MAX_KEY])

    def _prune(self, state: dict[str, dict[str, dict]], now: float) -> None:
        for entries in state.values():
            for key in list(entries):
                entry = entries[key]
                entry["failures"] = [t for t in entry.get("failures", []) if now - t < self.window_s]
                if not entry["failures"] and now - max(entry.get("locked_until", 0), entry.get("last", 0)) > FORGET_AFTER_S:
                    del entries[key]

    def _lock_if_over(self, entry: dict, now: float) -> None:
        if len(entry["failures"]) >= self.max_failures:
            entry["locked_until"] = now + min(self.lock_s * 2 ** entry.get("locks", 0), MAX_LOCK_S)
            entry["locks"] = entry.get("locks", 0) + 1
            entry["failures"] = []

    def locked_for(self, user: str, client: str | None, now: float | None = None) -> float:
        """Seconds until `user` may try again from `client` (0: not locked)."""
        now = time.time() if now is None else now
        state = self._read()
        return max(0.0, *(state[kind].get(key, {}).get("locked_until", 0) - now for kind, key in self._keys(user, client)))

    def unlock(self, user: str, client: str | None = None) -> bool:
        """Forget the failures, the lock and the lock count of `user` and, when given, of the client address
        `client`; whether there was anything to forget."""
        user_key, client_key = (key for _, key in self._keys(user, client))
        with file_lock(self.path.with_suffix(".lock")):
            state = self._read()
            found = state["users"].pop(user_key, None) is not None
            if client is not None:
                found = state["clients"].pop(client_key, None) is not None or found
            if found:
                atomic_write_json(self.path, state)
        return found

    def attempt(self, user: str, client: str | None, check: Callable[[], T | None], now: float | None = None) -> T | None:
        """Run `check` (the password check: a result, or None when wrong) unless `user` or `client` is locked
        out, and count its outcome. Raises `LoginLockedError` when locked (`check` is not run)."""
        now = time.time() if now is None else now
        keys = self._keys(user, client)
        with file_lock(self.path.with_suffix(".lock")):
            state = self._read()
            self._prune(state, now)
            entries = [state[kind].setdefault(key, {"failures": []}) for kind, key in keys]
            for entry in entries:
                self._lock_if_over(entry, now)  # reached by attempts that ran in parallel
            wait = max(entry.get("locked_until", 0) - now for entry in entries)
            if wait <= 0:
                for entry in entries:  # counted now, taken back on success
                    entry["failures"].append(now)
                    entry["last"] = now
            atomic_write_json(self.path, state)
        if wait > 0:
            raise LoginLockedError(wait)
        result = check()
        with file_lock(self.path.with_suffix(".lock")):
            state = self._read()
            user_key, client_key = (key for _, key in keys)
            if result is not None:
                state["users"].pop(user_key, None)
                client_entry = state["clients"].get(client_key)
                if client_entry and now in client_entry["failures"]:
                    client_entry["failures"].remove(now)
            else:
                for kind, key in keys:
                    if key in state[kind]:
                        self._lock_if_over(state[kind][key], now)
            atomic_write_json(self.path, state)
        return result


def log_in(username: str, password: str, client: str | None, settings: Settings) -> Role | None:
    """Check a local login through the lockout and write its audit line: the account's role, or None for a
    wrong user name or password. Raises `LoginLockedError` (its message is the Korean text to show)."""
    guard = LoginGuard.from_settings(settings)
    users = UserStore(settings.users_file)
    try:
        role = guard.attempt(username, client, lambda: users.verify(username, password))
    except LoginLockedError as exc:
        audit.record("login_locked", username, client, settings=settings, minutes=exc.minutes)
        raise
    if role is None:
        locked = guard.locked_for(username, client)
        audit.record("login_failed", username, client, settings=settings,
                     **({"locked_minutes": math.ceil(locked / 60)} if locked else {}))
    else:
        audit.record("login", username, client, settings=settings, role=role)
    return role
