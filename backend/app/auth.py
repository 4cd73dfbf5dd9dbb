"""Who is using the dashboard and with which role (agent or admin).

Three ways to know the user, chosen by SANGDAM_AUTH_MODE:
- "local" (default): accounts in $SANGDAM_HOME/users.json, created with `sangdam user add`; passwords are
  stored only as salted PBKDF2-SHA256 hashes. No account ships with the repo.
- "header": a reverse proxy that has already authenticated the user passes the name in a trusted header
  (SANGDAM_AUTH_USER_HEADER); admins are listed in SANGDAM_ADMIN_USERS. Only for a proxy that strips the
  header from clients' requests.
- "oidc": Streamlit's built-in OpenID Connect login (`st.login`, configured in .streamlit/secrets.toml);
  admins are listed in SANGDAM_ADMIN_USERS by e-mail.
Agents may use the agent pages without logging in unless SANGDAM_AUTH_REQUIRE_LOGIN is true; admin pages
always need an admin.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from backend.files import atomic_write_bytes, atomic_write_json, file_lock

Role = Literal["agent", "admin"]
ROLES: tuple[Role, ...] = ("agent", "admin")
PBKDF2_ITERATIONS = 310_000  # OWASP's figure for PBKDF2-HMAC-SHA256
MIN_PASSWORD_LENGTH = 10
_USERNAME = re.compile(r"^[A-Za-z0-9._@-]{2,64}$")


class AuthError(ValueError):
    """A user-facing (Korean) account error."""


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str


AGENT_PAGES = (
    PageSpec("pages/agent.py", "상담 도우미", "💬"),
    PageSpec("pages/manual.py", "매뉴얼 원문", "📄"),
)
ADMIN_PAGES = (PageSpec("pages/admin.py", "관리자", "🛠️"),)
LOGIN_PAGE = PageSpec("pages/login.py", "로그인", "🔐")
ALL_PAGES = (*AGENT_PAGES, *ADMIN_PAGES, LOGIN_PAGE)


def pages_for(role: Role | None, *, require_login: bool = False) -> tuple[PageSpec, ...]:
    """The pages in the navigation of a user with `role` (None: not logged in, who also gets the login
    page, and only it when agents must log in)."""
    if role == "admin":
        return AGENT_PAGES + ADMIN_PAGES
    if role == "agent":
        return AGENT_PAGES
    return (LOGIN_PAGE,) if require_login else AGENT_PAGES + (LOGIN_PAGE,)


def _hash(password: str, salt: bytes, iterations: int) -> str:
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations).hex()


class UserStore:
    """Local accounts in one JSON file (0600), written atomically under an exclusive lock."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def _read(self) -> dict[str, dict]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def _write(self, users: dict[str, dict]) -> None:
        atomic_write_json(self.path, users)

    def _locked(self):
        return file_lock(self.path.with_suffix(".lock"))

    def add(self, username: str, password: str, role: Role) -> None:
        """Create or replace an account."""
        if not _USERNAME.match(username):
            raise AuthError("아이디는 영문, 숫자, . _ @ - 로 2~64자여야 합니다.")
        if role not in ROLES:
            raise AuthError(f"역할은 {', '.join(ROLES)} 중 하나여야 합니다.")
        if len(password) < MIN_PASSWORD_LENGTH:
            raise AuthError(f"비밀번호는 {MIN_PASSWORD_LENGTH}자 이상이어야 합니다.")
        salt = secrets.token_bytes(16)
        with self._locked():
            users = self._read()
            users[username] = {"role": role, "salt": salt.hex(), "iterations": PBKDF2_ITERATIONS,
                               "hash": _hash(password, salt, PBKDF2_ITERATIONS)}
            self._write(users)

    def remove(self, username: str) -> bool:
        with self._locked():
            users = self._read()
            found = users.pop(username, None) is not None
            if found:
                self._write(users)
        return found

    def roles(self) -> dict[str, Role]:
        """Every account and its role."""
        return {name: info["role"] for name, info in sorted(self._read().items())}

    def verify(self, username: str, password: str) -> Role | None:
        """The role of `username` if `password` is right, else None (same work for an unknown user)."""
        info = self._read().get(username)
        salt = bytes.fromhex(info["salt"]) if info else b"\0" * 16
        iterations = int(info["iterations"]) if info else PBKDF2_ITERATIONS
        digest = _hash(password, salt, iterations)
        if info and hmac.compare_digest(digest, info["hash"]):
            return info["role"]
        return None


SESSION_COOKIE = "sangdam_session"


class SessionTokens:
    """Signed, expiring login tokens for the dashboard's session cookie (local accounts), so a browser
    refresh keeps the user logged in: "<base64url JSON {u, r, exp}>.<HMAC-SHA256 hex>". The key is 32
    random bytes in `key_file` (0600, made on first use); removing the file logs everyone out. A token
    counts only while its account still exists with the same role."""

    def __init__(self, key_file: Path | str, hours: float) -> None:
        self.key_file = Path(key_file)
        self.seconds = int(hours * 3600)

    def _key(self) -> bytes:
        with file_lock(self.key_file.with_suffix(".lock")):
            if not self.key_file.exists():
                atomic_write_bytes(self.key_file, secrets.token_bytes(32), durable=True)
            return self.key_file.read_bytes()

    def _sign(self, payload: str) -> str:
        return hmac.new(self._key(), payload.encode("ascii"), hashlib.sha256).hexdigest()

    def issue(self, user: str, role: Role, now: float | None = None) -> str:
        """A token for `user` with `role`, valid for the configured hours from `now`."""
        body = json.dumps({"u": user, "r": role, "exp": int((now or time.time()) + self.seconds)})
        payload = base64.urlsafe_b64encode(body.encode("utf-8")).decode("ascii").rstrip("=")
        return f"{payload}.{self._sign(payload)}"

    def verify(self, token: str | None, users: UserStore, now: float | None = None) -> tuple[str, Role] | None:
        """(user, role) of a valid, unexpired token whose account still has that role; None otherwise."""
        if not isinstance(token, str):
            return None
        payload, _, signature = token.partition(".")
        if not payload or not hmac.compare_digest(signature, self._sign(payload)):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            user, role, expires = str(data["u"]), data["r"], float(data["exp"])
        except (ValueError, KeyError, TypeError):
            return None
        if expires <= (now or time.time()) or users.roles().get(user) != role:
            return None
        return user, role


def role_of(user: str | None, admin_users: str) -> Role | None:
    """The role of an externally authenticated user (header / OIDC): admin when listed, else agent."""
    if not user:
        return None
    admins = {u.strip().lower() for u in admin_users.split(",") if u.strip()}
    return "admin" if user.strip().lower() in admins else "agent"
