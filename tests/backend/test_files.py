"""`backend.files.make_private`: the one way a file is made readable by its owner only."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from backend.files import make_private

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask():
    """The usual umask (group and others may read new files), whatever the test runner has."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_file_is_created_private_and_empty(tmp_path, loose_umask):
    path = tmp_path / "new.log"
    make_private(path)
    assert path.read_bytes() == b"" and _mode(path) == 0o600


def test_a_new_file_is_writable_by_its_owner_whatever_the_umask(tmp_path):
    old = os.umask(0o277)  # would leave the owner read-only
    try:
        make_private(tmp_path / "new.log")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "new.log") == 0o600


def test_an_existing_file_is_made_private_and_keeps_its_content(tmp_path, loose_umask):
    path = tmp_path / "old.log"
    path.write_text("기존 기록\n", encoding="utf-8")
    path.chmod(0o644)
    make_private(path)
    assert path.read_text(encoding="utf-8") == "기존 기록\n" and _mode(path) == 0o600


def test_without_create_a_missing_file_stays_missing(tmp_path):
    make_private(tmp_path / "db-wal", create=False)
    assert not (tmp_path / "db-wal").exists()


def test_a_folder_of_that_name_is_left_alone(tmp_path):
    folder = tmp_path / "audit.log"
    folder.mkdir()
    folder.chmod(0o755)
    make_private(folder)
    assert _mode(folder) == 0o755


def test_no_other_module_sets_file_modes_itself():
    """The 0600 rule lives in backend/files.py only (it was once written three times)."""
    own = re.compile(r"\bos\.f?chmod\(|\b0o600\b|\bopener=")
    found = [
        str(path.relative_to(ROOT))
        for folder in ("backend", "etl", "dashboard", "pages")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != ROOT / "backend" / "files.py" and own.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
