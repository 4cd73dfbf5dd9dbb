"""The audit log: who did what, from where, in $SANGDAM_HOME/audit.log.

One JSON object per line, appended and never rewritten: {"time": UTC ISO 8601, "event", "user", "client",
"detail": {...}}. The file is 0600 (it names users and their addresses). Events: login, login_failed,
login_locked, logout, reindex_started, export, adapter_switched, user_added, user_removed, user_unlocked.

`record` never raises: an action must not fail because its audit line could not be written (a full disk, a
read-only home); the failure is logged with `logging` instead. JSON escapes newlines and control characters,
so a user name cannot forge a second line.
"""

from __future__ import annotations

import json
import logging
from collections import deque
from pathlib import Path
from typing import Any

from backend.config import Settings, get_settings
from backend.files import file_lock, make_private, utc_iso

log = logging.getLogger(__name__)

EVENTS = frozenset({
    "login", "login_failed", "login_locked", "logout", "reindex_started", "export", "adapter_switched",
    "user_added", "user_removed", "user_unlocked",
})
# Bounds what one line may carry from user input (a 1 MB "user name" typed into the login form).
_MAX_FIELD = 256


def audit_path(settings: Settings | None = None) -> Path:
    """$SANGDAM_HOME/audit.log."""
    return (settings or get_settings()).home / "audit.log"


def _short(value: Any) -> Any:
    if isinstance(value, str) and len(value) > _MAX_FIELD:
        return value[:_MAX_FIELD] + "…"
    return value


def record(event: str, user: str | None = None, client: str | None = None, *,
           settings: Settings | None = None, **detail: Any) -> None:
    """Append one audit line for `event` by `user` from `client` (an address), with `detail` as extra fields
    (file names, the adapter, the source of a re-index). Never raises; see the module docstring."""
    try:
        if event not in EVENTS:
            log.warning("audit: unknown event %r (written anyway)", event)
        line = json.dumps(
            {"time": utc_iso("milliseconds"), "event": event, "user": _short(user), "client": _short(client),
             "detail": {str(k): _short(v) for k, v in detail.items()}},
            ensure_ascii=False, default=str,
        )
        path = audit_path(settings)
        with file_lock(path.with_name("audit.lock")):
            make_private(path)  # also a file made by hand or by an older version
            with path.open("a", encoding="utf-8") as f:
                f.write(line + "\n")
    except Exception:  # auditing must never break the action it records
        log.exception("audit: could not record %r for %r", event, user)


def tail(n: int = 20, settings: Settings | None = None) -> list[dict]:
    """The last `n` audit entries, oldest first (an unreadable line comes back as {"raw": line})."""
    try:
        with audit_path(settings).open(encoding="utf-8", errors="replace") as f:
            lines = deque(f, maxlen=max(n, 0))
    except FileNotFoundError:
        return []
    entries = []
    for line in lines:
        try:
            entries.append(json.loads(line))
        except ValueError:
            entries.append({"raw": line.rstrip("\n")})
    return entries


def format_entry(entry: dict) -> str:
    """One entry as a tab-separated line: time, event, user, client, detail (JSON)."""
    if "raw" in entry:
        return entry["raw"]
    detail = json.dumps(entry.get("detail") or {}, ensure_ascii=False)
    return "\t".join(str(entry.get(k) or "-") for k in ("time", "event", "user", "client")) + f"\t{detail}"
