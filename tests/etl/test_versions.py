from __future__ import annotations

import pytest

from etl.versions import VersionInfo, superseded_flags

pytestmark = pytest.mark.unit


def test_superseded_rules():
    docs = {
        "new": VersionInfo("A", "2026-05-01", False),
        "old": VersionInfo("A", "2025-07-01", False),
        "tie1": VersionInfo("B", "2026-01-01", False),
        "tie2": VersionInfo("B", "2026-01-01", False),
        "marked": VersionInfo("C", "2026-01-01", True),
        "undated": VersionInfo("A", None, False),
        "no-id": VersionInfo(None, "2020-01-01", False),
    }
    assert superseded_flags(docs) == {
        "new": False, "old": True, "tie1": False, "tie2": False, "marked": True, "undated": False, "no-id": False}
