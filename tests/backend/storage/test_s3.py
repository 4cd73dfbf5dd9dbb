from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from backend.storage.base import AttachmentStore, UnsafeKeyError
from backend.storage.s3 import S3AttachmentStore, parse_s3_url
from tests.s3_server import moto_s3, s3_client


@pytest.fixture(scope="module")
def s3():
    with moto_s3() as endpoint:
        client = s3_client(endpoint)
        client.create_bucket(Bucket="sangdam-att")
        yield client


@pytest.mark.integration
def test_s3_store_against_a_real_endpoint(s3):
    store = S3AttachmentStore("sangdam-att", "/manuals", s3, expiry_s=120)
    assert isinstance(store, AttachmentStore)
    assert store.prefix == "manuals/"
    store.put("files/이사신청서.pdf", b"%PDF v1", "application/pdf")
    store.put("files/이사신청서.pdf", b"%PDF v2", "application/pdf")
    assert store.get("files/이사신청서.pdf") == b"%PDF v2"
    assert store.exists("files/이사신청서.pdf") and not store.exists("files/none.pdf")
    head = s3.head_object(Bucket="sangdam-att", Key="manuals/files/이사신청서.pdf")
    assert head["ContentType"] == "application/pdf"

    url = store.url("files/이사신청서.pdf")
    assert "X-Amz-Expires=120" in url or "Expires=" in url
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == b"%PDF v2"
        disposition = response.headers["Content-Disposition"]  # a download, never rendered in the browser
        assert disposition.startswith("attachment") and "%EC%9D%B4%EC%82%AC" in disposition

    store.delete("files/이사신청서.pdf")
    store.delete("files/이사신청서.pdf")  # missing: no-op
    assert not store.exists("files/이사신청서.pdf")
    with pytest.raises(FileNotFoundError):
        store.get("files/이사신청서.pdf")
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(store.url("files/이사신청서.pdf"), timeout=10)
    with pytest.raises(UnsafeKeyError):
        store.put("../escape.pdf", b"x")


@pytest.mark.unit
def test_parse_s3_url():
    assert parse_s3_url("s3://bucket") == ("bucket", "")
    assert parse_s3_url("s3://bucket/a/b/") == ("bucket", "a/b/")
    with pytest.raises(ValueError):
        parse_s3_url("s3:///prefix")


@pytest.mark.integration
def test_links_carry_the_public_address_when_one_is_set(s3, monkeypatch):
    from backend.config import Settings
    from backend.storage.factory import build_attachment_store

    endpoint = s3.meta.endpoint_url  # http://127.0.0.1:PORT, as the app reaches the store
    public = endpoint.replace("127.0.0.1", "localhost")  # the same server under the name agents' browsers use
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    settings = Settings(attachment_store="s3", s3_bucket="sangdam-att", s3_prefix="pub/", s3_endpoint_url=endpoint,
                        s3_region="us-east-1", s3_public_endpoint_url=public)
    store = build_attachment_store(settings)
    store.put("files/요금표.xlsx", b"PK rates")
    url = store.url("files/요금표.xlsx")
    assert url.startswith(public + "/sangdam-att/pub/files/")
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == b"PK rates"
    inside = Settings(attachment_store="s3", s3_bucket="sangdam-att", s3_prefix="pub/", s3_endpoint_url=endpoint,
                      s3_region="us-east-1")
    assert build_attachment_store(inside).url("files/요금표.xlsx").startswith(endpoint + "/")
