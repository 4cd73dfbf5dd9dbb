"""A SANGDAM_HOME with a few sample manuals indexed, for the page tests (AppTest runs pages in-process)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from backend.app import services
from backend.config import get_settings

SAMPLES = Path(__file__).resolve().parents[2] / "etl" / "samples" / "manuals"
PAGES = ("M006.html", "M017.html", "M001.html")


@contextmanager
def indexed_home(tmp_path_factory, extra: dict[str, str] | None = None) -> Iterator[tuple[Path, Path]]:
    """(home, manuals root): M006, M017 and M001 with their files, plus `extra` pages (name -> HTML),
    indexed into a fresh SANGDAM_HOME set for the duration."""
    home = tmp_path_factory.mktemp("home")
    mp = pytest.MonkeyPatch()
    mp.setenv("SANGDAM_HOME", str(home))
    get_settings.cache_clear()
    services.reset()
    root = tmp_path_factory.mktemp("manuals")
    for page in PAGES:
        shutil.copy(SAMPLES / page, root / page)
    shutil.copytree(SAMPLES / "files", root / "files")
    for name, html in (extra or {}).items():
        (root / name).write_text(html, encoding="utf-8")
    assert services.ingest_manuals(str(root)).pages_failed == 0
    try:
        yield home, root
    finally:
        mp.undo()
        get_settings.cache_clear()
        services.reset()
