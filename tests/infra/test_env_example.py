"""`.env.example` lists every setting of backend/config.py with its default (so it stays complete), and
the compose file uses only real settings and documented compose variables."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from backend.config import Settings

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
ENV_EXAMPLE = ROOT / ".env.example"
COMPOSE = ROOT / "infra" / "docker-compose.yml"

# "SANGDAM_X=value", or "# SANGDAM_X=" for a setting whose default is None (unset).
ENTRY = re.compile(r"^(?P<commented>#\s*)?(?P<name>[A-Z][A-Z0-9_]*)=(?P<value>.*)$")
HANGUL = re.compile(r"[가-힣]")
# ${VAR}, ${VAR:-default}, ${VAR:?message}; $${VAR} is the container's, not compose's.
COMPOSE_VAR = re.compile(r"(?<!\$)\$\{(?P<name>[A-Z][A-Z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


def _setting_names() -> set[str]:
    return {f"SANGDAM_{name.upper()}" for name in Settings.model_fields}


def _lines() -> list[str]:
    return ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()


def _entries() -> dict[str, tuple[bool, str, int]]:
    """name -> (commented out, raw value, line index); each name at most once."""
    found: dict[str, tuple[bool, str, int]] = {}
    for index, line in enumerate(_lines()):
        match = ENTRY.match(line)
        if not match:
            continue
        name = match["name"]
        assert name not in found, f".env.example lists {name} twice"
        found[name] = (bool(match["commented"]), match["value"], index)
    return found


def test_every_setting_is_in_env_example():
    entries = {name for name in _entries() if name.startswith("SANGDAM_")}
    missing = sorted(_setting_names() - entries)
    assert not missing, f"add these settings (backend/config.py) to .env.example: {missing}"
    unknown = sorted(entries - _setting_names())
    assert not unknown, f".env.example lists settings that backend/config.py does not have: {unknown}"


def test_env_example_values_are_the_defaults(monkeypatch):
    for name in list(os.environ):
        if name.startswith("SANGDAM_"):
            monkeypatch.delenv(name)
    from_file = Settings(_env_file=ENV_EXAMPLE)
    defaults = Settings(_env_file=None)
    for field in Settings.model_fields:
        assert getattr(from_file, field) == getattr(defaults, field), f"SANGDAM_{field.upper()} is not its default"


def test_only_settings_without_a_default_are_commented_out():
    entries = _entries()
    for field, info in Settings.model_fields.items():
        commented, value, _ = entries[f"SANGDAM_{field.upper()}"]
        if info.default is None:
            # An empty value would be "" (not None): an empty Path, an empty endpoint URL.
            assert commented and value == "", f"SANGDAM_{field.upper()} has no default: list it as '# SANGDAM_{field.upper()}='"
        else:
            assert not commented, f"SANGDAM_{field.upper()} has a default: list it uncommented"


def test_every_entry_has_a_korean_comment_above():
    lines = _lines()
    for name, (_, _, index) in _entries().items():
        above = index - 1
        while above >= 0 and ENTRY.match(lines[above]):  # entries may share one comment
            above -= 1
        assert above >= 0 and lines[above].startswith("#") and HANGUL.search(lines[above]), (
            f"{name} needs a Korean comment on the line above it in .env.example"
        )


def test_compose_uses_only_real_settings():
    used = set(re.findall(r"\bSANGDAM_[A-Z0-9_]+", COMPOSE.read_text(encoding="utf-8")))
    assert used, "the compose file passes no settings to the app"
    unknown = sorted(used - _setting_names())
    assert not unknown, f"infra/docker-compose.yml uses SANGDAM_ variables that are not settings: {unknown}"


def test_compose_variables_are_in_env_example_with_the_same_defaults():
    entries = _entries()
    for match in COMPOSE_VAR.finditer(COMPOSE.read_text(encoding="utf-8")):
        name, op, arg = match["name"], match["op"], match["arg"]
        assert name in entries and not entries[name][0], f"${{{name}}} (infra/docker-compose.yml) is not in .env.example"
        value = entries[name][1]
        if op and op.endswith("?"):
            assert value == "", f"{name} is required: leave it empty in .env.example (no shipped secret or model)"
        elif op and op.endswith("-"):
            assert value == arg, f"{name}: .env.example says {value!r}, the compose default is {arg!r}"
