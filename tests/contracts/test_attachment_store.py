"""Contract of `AttachmentStore` (backend/storage/base.py).

Implementations: `LocalAttachmentStore` over a temporary directory (`unit`) and `S3AttachmentStore` against
a real moto S3 server started by the test (`integration`; one server per module, a fresh bucket per test).

Rules: an instance of the runtime-checkable protocol; `put` then `get` round-trips the bytes and `put`
overwrites; `put_file` stores what a stream holds; `exists` tells; `get` of a missing key raises `FileNotFoundError`; `delete` removes and is a
no-op for a missing key; unsafe keys ("../x", "/abs", "a//b", "a\\b", "") raise `UnsafeKeyError` from every
method; `url` is a `file:` URI (local) or an http(s) presigned URL (S3) that serves the stored bytes;
Korean file names (with spaces) round-trip through all of it.
"""

from __future__ import annotations

import io
import urllib.request
import uuid
from urllib.parse import urlparse

import pytest

from backend.storage.base import AttachmentStore, UnsafeKeyError
from backend.storage.local import LocalAttachmentStore
from backend.storage.s3 import S3AttachmentStore
from tests.s3_server import moto_s3, s3_client

URL_SCHEMES = {LocalAttachmentStore: {"file"}, S3AttachmentStore: {"http", "https"}}
KEYS = ["files/form.pdf", "files/이사 신청서.pdf", "인터넷/요금표 2024.xlsx"]
UNSAFE_KEYS = ["../x", "/abs", "a//b", "a\\b", ""]


@pytest.fixture(scope="module")
def s3_endpoint():
    with moto_s3() as endpoint:
        yield endpoint


@pytest.fixture(params=[pytest.param("local", marks=pytest.mark.unit), pytest.param("s3", marks=pytest.mark.integration)])
def store(request, tmp_path) -> AttachmentStore:
    if request.param == "local":
        return LocalAttachmentStore(tmp_path / "attachments")
    client = s3_client(request.getfixturevalue("s3_endpoint"))
    bucket = f"contract-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)
    return S3AttachmentStore(bucket, "manuals/", client, expiry_s=120)


class TestAttachmentStoreContract:
    def test_is_an_attachment_store(self, store):
        assert isinstance(store, AttachmentStore)

    @pytest.mark.parametrize("key", KEYS)
    def test_put_get_overwrite_exists(self, store, key):
        assert not store.exists(key)
        store.put(key, b"%PDF v1", "application/pdf")
        store.put(key, b"%PDF v2", "application/pdf")
        assert store.get(key) == b"%PDF v2"
        assert store.exists(key) and not store.exists(key + ".old")

    @pytest.mark.parametrize("key", KEYS)
    def test_put_file_copies_a_stream_in_pieces(self, store, key):
        data = bytes(range(256)) * 40_000  # 10 MB: more than one S3 multipart part
        store.put(key, b"old")
        store.put_file(key, io.BufferedReader(io.BytesIO(data)), "application/pdf")
        assert store.get(key) == data

    def test_get_of_a_missing_key_raises_file_not_found(self, store):
        with pytest.raises(FileNotFoundError):
            store.get("files/none.pdf")

    @pytest.mark.parametrize("key", KEYS)
    def test_delete_removes_and_a_missing_key_is_a_no_op(self, store, key):
        store.put(key, b"x")
        store.put("files/keep.pdf", b"keep")
        store.delete(key)
        store.delete(key)
        assert not store.exists(key) and store.get("files/keep.pdf") == b"keep"
        with pytest.raises(FileNotFoundError):
            store.get(key)

    @pytest.mark.parametrize("key", UNSAFE_KEYS)
    @pytest.mark.parametrize("method", ["put", "get", "exists", "delete", "url"])
    def test_unsafe_keys_are_refused_by_every_method(self, store, method, key):
        args = (key, b"x") if method == "put" else (key,)
        with pytest.raises(UnsafeKeyError):
            getattr(store, method)(*args)

    @pytest.mark.parametrize("key", KEYS)
    def test_url_serves_the_stored_bytes(self, store, key):
        store.put(key, b"%PDF served", "application/pdf")
        url = store.url(key)
        assert urlparse(url).scheme in URL_SCHEMES[type(store)]
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.read() == b"%PDF served"
