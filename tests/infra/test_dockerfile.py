"""The dashboard image holds every file the app runs from (Docker is not run here; the text is checked)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.unit


def test_the_image_copies_the_entry_point_its_modules_and_the_pages():
    copied = set()
    for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if line.startswith("COPY ") and "--from" not in line:
            copied.update(line.split()[1:-1])
    top_level_modules = {p.name for p in ROOT.glob("*.py")}
    assert top_level_modules <= copied, top_level_modules - copied
    # every top-level package the app imports (dashboard/ holds the pages' helpers)
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests"}
    assert packages | {"pages"} <= {re.sub(r"/$", "", c) for c in copied}, packages
