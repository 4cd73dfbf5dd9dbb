"""dashboard/widgets.py: a stored file's button shows a manual's link text as text, under a safe file name
(Streamlit's calls recorded; the browser walk in tests/security/ checks the rendered page)."""

from __future__ import annotations

import pytest

import dashboard.widgets as widgets
from dashboard.display import escape_markdown

pytestmark = pytest.mark.unit

LABEL = "📎 ![그림](http://tracker.example/t.png) **굵게** :material/download:"


class Store:
    def __init__(self, url: str) -> None:
        self._url = url

    def url(self, key: str) -> str:
        return self._url

    def exists(self, key: str) -> bool:
        return True

    def get(self, key: str) -> bytes:
        return b"%PDF"


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple, dict]] = []

    def __getattr__(self, name: str):
        return lambda *args, **kwargs: self.calls.append((name, args, kwargs))


@pytest.mark.parametrize("url, widget", [("file:///data/files/x.pdf", "download_button"),
                                         ("https://s3.example/x.pdf?sig=1", "link_button")])
def test_the_label_is_escaped_text_and_the_file_name_safe(monkeypatch, url, widget):
    st = Recorder()
    monkeypatch.setattr(widgets, "st", st)
    monkeypatch.setattr(widgets, "get_attachment_store", lambda: Store(url))
    widgets.stored_file_button(LABEL, 'files/a"b<c>.pdf', "k1")
    ((name, args, kwargs),) = st.calls
    assert name == widget and args[0] == escape_markdown(LABEL)
    if widget == "download_button":
        assert kwargs["file_name"] == "a_b_c_.pdf"
