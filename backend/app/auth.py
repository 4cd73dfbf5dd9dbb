"""Who is using the dashboard and with which role (agent or admin).

Three ways to know the user, chosen by SANGDAM_AUTH_MODE:
- "local" (default): accounts in $SANGDAM_HOME/users.json, created with `sangdam user add`; passwords are
  stored only as salted PBKDF2-SHA256 hashes. No account ships with the repo.
- "header": a reverse proxy that has already authenticated the user passes the name in a trusted header
  (SANGDAM_AUTH_USER_HEADER); admins are listed in SANGDAM_ADMIN_USERS. The header counts only on a
  connection from SANGDAM_AUTH_TRUSTED_PROXIES and, when SANGDAM_AUTH_PROXY_SECRET is set, with that
  secret in X-Sangdam-Proxy-Secret (`trusted_header_user`); the proxy must strip both from clients' requests.
- "oidc": Streamlit's built-in OpenID Connect login (`st.login`, configured in .streamlit/secrets.toml);
  admins are listed in SANGDAM_ADMIN_USERS by e-mail.
Agents may use the agent pages without logging in unless SANGDAM_AUTH_REQUIRE_LOGIN is true; admin pages
always need an admin. Passwords of local accounts must pass backend/app/passwords.py; failed logins are
throttled by backend/app/login_guard.py.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import ipaddress
import json
import logging
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from backend.app.passwords import password_problem
from backend.files import atomic_write_bytes, atomic_write_json, file_lock

if TYPE_CHECKING:
    from backend.config import Settings

log = logging.getLogger(__name__)

Role = Literal["agent", "admin"]
ROLES: tuple[Role, ...] = ("agent", "admin")
PBKDF2_ITERATIONS = 310_000  # OWASP's figure for PBKDF2-HMAC-SHA256
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


def check_password(password: str, username: str = "") -> None:
    """Raise `AuthError` (one Korean sentence saying why) unless `password` passes the password policy."""
    problem = password_problem(password, username)
    if problem is not None:
        raise AuthError(problem)


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
        """Create an account, or replace one (a new password, a new role); the password policy applies."""
        if not _USERNAME.match(username):
            raise AuthError("아이디는 영문, 숫자, . _ @ - 로 2~64자여야 합니다.")
        if role not in ROLES:
            raise AuthError(f"역할은 {', '.join(ROLES)} 중 하나여야 합니다.")
        check_password(password, username)
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


PROXY_SECRET_HEADER = "X-Sangdam-Proxy-Secret"
# Streamlit reports a connection from 127.0.0.1 or ::1 as no address at all (st.context.ip_address is None).
LOCALHOST = "localhost"


def _header_values(headers: Mapping[str, str], name: str) -> list[str]:
    """Every value of header `name`, matched without regard to case (Streamlit's headers keep repeats)."""
    get_all = getattr(headers, "get_all", None)
    if callable(get_all):
        return list(get_all(name))
    return [value for key, value in headers.items() if key.lower() == name.lower()]


@functools.lru_cache(maxsize=16)  # read on every rerun in header mode: parsed (and warned about) once
def _networks(trusted: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    networks = []
    for entry in trusted.split(","):
        if entry.strip():
            try:
                networks.append(ipaddress.ip_network(entry.strip(), strict=False))
            except ValueError:
                log.warning("SANGDAM_AUTH_TRUSTED_PROXIES: %r is no IP address or network; ignored", entry.strip())
    return tuple(networks)


def is_trusted_proxy(client_ip: str | None, trusted: str) -> bool:
    """Whether the connection's address (None or "localhost": this machine, as Streamlit reports it) is in
    `trusted`, a comma-separated list of addresses and CIDR networks ("127.0.0.1,::1,10.0.0.0/8")."""
    if client_ip is None or client_ip == LOCALHOST:
        candidates = [ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1")]
    else:
        try:
            address = ipaddress.ip_address(client_ip.strip())
        except ValueError:  # not an address: never trusted
            return False
        candidates = [address]
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            candidates.append(address.ipv4_mapped)  # "::ffff:10.0.0.5" is 10.0.0.5
    return any(a in network for network in _networks(trusted) for a in candidates if a.version == network.version)


def trusted_header_user(headers: Mapping[str, str], client_ip: str | None, settings: Settings) -> str | None:
    """Header mode: the user name the authenticating proxy put in SANGDAM_AUTH_USER_HEADER, or None when the
    header cannot be trusted: the connection does not come from SANGDAM_AUTH_TRUSTED_PROXIES, the proxy
    secret (when SANGDAM_AUTH_PROXY_SECRET is set) is missing or wrong, the header is missing, empty, sent
    twice or holds control characters. `client_ip` is st.context.ip_address (None for this machine)."""
    if not is_trusted_proxy(client_ip, settings.auth_trusted_proxies):
        return None
    if settings.auth_proxy_secret is not None:
        expected = settings.auth_proxy_secret.get_secret_value().encode("utf-8")
        sent = _header_values(headers, PROXY_SECRET_HEADER)
        if len(sent) != 1 or not hmac.compare_digest(sent[0].encode("utf-8"), expected):
            return None
    values = _header_values(headers, settings.auth_user_header)
    if len(values) != 1:  # a second copy means a client's header got through next to the proxy's
        return None
    user = values[0].strip()
    if not user or len(user) > 256 or any(ord(c) < 32 or ord(c) == 127 for c in user):
        return None
    return user


def client_address(headers: Mapping[str, str], client_ip: str | None, settings: Settings) -> str:
    """The address a login attempt or an audit line is charged to: the connection's, or, on a connection
    from a trusted proxy, the last address in X-Forwarded-For that is not itself a trusted proxy (what the
    proxy saw; the entries before it are whatever the client claimed). "localhost" for this machine."""
    address = LOCALHOST if client_ip is None else client_ip.strip()
    if not is_trusted_proxy(address, settings.auth_trusted_proxies):
        return address
    forwarded = [a.strip() for v in _header_values(headers, "X-Forwarded-For") for a in v.split(",") if a.strip()]
    for hop in reversed(forwarded):
        if not is_trusted_proxy(hop, settings.auth_trusted_proxies):
            return hop[:64]
    return address
