"""Streamlit pieces that more than one page draws (backend/ never imports streamlit)."""

from __future__ import annotations

import streamlit as st

from backend.app.services import get_attachment_store
from dashboard.display import escape_markdown, safe_file_name


def stored_file_button(label: str, key: str, widget_key: str) -> None:
    """A stored file (an attachment, a manual's original page): a short-lived presigned link (S3), or a
    download button whose bytes are read only when it is clicked (local; every rerun redraws the page).
    `label` is shown as text (a manual's link text may hold Markdown), the file name made safe."""
    store = get_attachment_store()
    try:
        url = store.url(key)
        present = not url.startswith("file:") or store.exists(key)
    except (OSError, ValueError):
        present = False
    if not present:
        st.caption(f"{escape_markdown(label)}: 파일을 찾을 수 없습니다.")
    elif not url.startswith("file:"):
        st.link_button(escape_markdown(label), url)
    else:
        st.download_button(escape_markdown(label), data=lambda: store.get(key), file_name=safe_file_name(key),
                           key=widget_key)
