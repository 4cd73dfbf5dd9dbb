"""The placeholder search page, run by Streamlit's AppTest (no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from backend import services
from backend.config import get_settings

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "search.py")

pytestmark = pytest.mark.integration


@pytest.fixture
def empty_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SANGDAM_HOME", str(tmp_path))
    get_settings.cache_clear()
    services.reset()
    yield tmp_path
    get_settings.cache_clear()
    services.reset()


def test_empty_index_tells_the_admin_to_ingest(empty_home):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    assert any("색인된 매뉴얼이 없습니다" in w.value for w in at.warning)


def test_question_shows_the_cited_manual_page(empty_home, tmp_path):
    import shutil

    samples = Path(__file__).resolve().parents[2] / "etl" / "samples" / "manuals"
    root = tmp_path / "manuals"
    root.mkdir()
    for page in ("M006.html", "M017.html"):
        shutil.copy(samples / page, root / page)
    shutil.copytree(samples / "files", root / "files")
    record = services.ingest_manuals(str(root))
    assert record.pages_failed == 0

    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.text_input[0].input("인터넷 해지하면 장비 언제까지 반납해요?")
    at.button[0].click().run()
    assert not at.exception
    assert "M017.html" in " ".join(c.value for c in at.caption)
    assert any("14일 이내" in t.value for t in at.text)
