from __future__ import annotations

import pytest

from backend.config import Settings
from backend.storage.s3 import S3AttachmentStore
from etl.pipeline import ingest
from etl.source import S3ManualSource
from tests.etl.pages import page, word_count
from tests.fakes import FakeEmbedder, InMemorySearchIndex
from tests.s3_server import moto_s3, s3_client

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def s3():
    with moto_s3() as endpoint:
        client = s3_client(endpoint)
        client.create_bucket(Bucket="kms")
        for key, body in {
            "export/manuals/M001.html": page("이사 안내", '<p>이사 신청 <a href="../manuals/files/form.pdf">신청서</a></p>'),
            "export/manuals/internet/M002.htm": page("요금", "<p>기가라이트 33,000원</p>"),
            "export/manuals/files/form.pdf": "%PDF form",
            "export/manuals/notes.txt": "not a page",
            "export/other/M999.html": page("다른 곳", "<p>x</p>"),
        }.items():
            client.put_object(Bucket="kms", Key=key, Body=body.encode("utf-8"))
        yield client


def test_s3_source_lists_reads_and_checks(s3):
    source = S3ManualSource("s3://kms/export/manuals", s3)
    assert source.pages() == ["M001.html", "internet/M002.htm"]
    assert source.root_name == "manuals"
    assert source.read("files/form.pdf") == b"%PDF form"
    assert source.exists("files/form.pdf") and not source.exists("files/none.pdf")
    assert not source.exists("../other/M999.html")
    with pytest.raises(FileNotFoundError):
        source.read("files/none.pdf")
    with pytest.raises(ValueError):
        source.read("../other/M999.html")


def test_ingest_from_s3_into_an_s3_store(s3, tmp_path):
    s3.create_bucket(Bucket="attachments")
    store = S3AttachmentStore("attachments", "copies/", s3)
    index = InMemorySearchIndex()
    record = ingest(S3ManualSource("s3://kms/export/manuals/", s3), index, FakeEmbedder(), store,
                    Settings(home=tmp_path), count_tokens=word_count)
    assert (record.pages_added, record.pages_failed, record.attachments_stored) == (2, 0, 1)
    assert set(index.documents()) == {"M001", "internet/M002"}
    assert index.chunks("M001")[0].attachments[0].path == "files/form.pdf"
    assert store.get("files/form.pdf") == b"%PDF form"
    assert store.get("internet/M002.htm").startswith(b"<!DOCTYPE html>")
