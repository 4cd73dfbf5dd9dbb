from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from backend.config import Settings
from backend.storage.base import AttachmentStore, UnsafeKeyError, check_key
from backend.storage.factory import build_attachment_store
from backend.storage.local import LocalAttachmentStore

pytestmark = pytest.mark.unit


def test_put_get_exists_delete_and_url(tmp_path):
    store = LocalAttachmentStore(tmp_path / "att")
    assert isinstance(store, AttachmentStore)
    store.put("files/이사신청서.pdf", b"%PDF v1", "application/pdf")
    store.put("files/이사신청서.pdf", b"%PDF v2", "application/pdf")  # overwrites
    assert store.get("files/이사신청서.pdf") == b"%PDF v2"
    assert store.exists("files/이사신청서.pdf") and not store.exists("files/none.pdf")
    url = store.url("files/이사신청서.pdf")
    assert url.startswith("file://")
    assert Path(unquote(urlparse(url).path)).read_bytes() == b"%PDF v2"
    store.delete("files/이사신청서.pdf")
    store.delete("files/이사신청서.pdf")  # missing: no-op
    assert not store.exists("files/이사신청서.pdf")
    with pytest.raises(FileNotFoundError):
        store.get("files/이사신청서.pdf")
    assert not list((tmp_path / "att" / "files").glob(".tmp-*"))


@pytest.mark.parametrize("key", ["", "/etc/passwd", "../x", "a/../../x", "a//b", "a/./b", "a\\b", "C:/x", "a\x00b"])
def test_unsafe_keys_are_refused(tmp_path, key):
    store = LocalAttachmentStore(tmp_path / "att")
    with pytest.raises(UnsafeKeyError):
        check_key(key)
    for call in (lambda: store.put(key, b"x"), lambda: store.get(key), lambda: store.exists(key),
                 lambda: store.delete(key), lambda: store.url(key)):
        with pytest.raises(UnsafeKeyError):
            call()
    assert not (tmp_path / "x").exists()


def test_symlink_out_of_the_store_is_refused(tmp_path):
    (tmp_path / "att").mkdir()
    (tmp_path / "secret.txt").write_bytes(b"secret")
    os.symlink(tmp_path, tmp_path / "att" / "up")
    store = LocalAttachmentStore(tmp_path / "att")
    with pytest.raises(UnsafeKeyError):
        store.get("up/secret.txt")


def test_factory_builds_the_configured_store(tmp_path):
    store = build_attachment_store(Settings(home=tmp_path))
    assert isinstance(store, LocalAttachmentStore)
    assert store.root == (tmp_path / "attachments").resolve()
    with pytest.raises(ValueError, match="SANGDAM_S3_BUCKET"):
        build_attachment_store(Settings(home=tmp_path, attachment_store="s3", s3_bucket=None))
