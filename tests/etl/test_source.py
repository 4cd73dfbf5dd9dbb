from __future__ import annotations

import os

import pytest

from backend.config import Settings
from etl.source import LocalManualSource, S3ManualSource, open_source

pytestmark = pytest.mark.unit


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "manuals"
    for rel, data in {
        "M002.html": b"<p>2</p>",
        "M001.HTM": b"<p>1</p>",
        "internet/M010.html": b"<p>10</p>",
        "files/a.pdf": b"%PDF",
        ".git/x.html": b"hidden",
        "notes.txt": b"text",
    }.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (tmp_path / "outside.pdf").write_bytes(b"secret")
    return root


def test_lists_pages_sorted_and_posix(tree):
    source = LocalManualSource(tree)
    assert source.pages() == ["M001.HTM", "M002.html", "internet/M010.html"]
    assert source.root_name == "manuals"


def test_reads_and_checks_files(tree):
    source = LocalManualSource(tree)
    assert source.read("internet/M010.html") == b"<p>10</p>"
    assert source.exists("files/a.pdf")
    assert not source.exists("files/missing.pdf")
    with pytest.raises(FileNotFoundError):
        source.read("files/missing.pdf")


@pytest.mark.parametrize("path", ["../outside.pdf", "files/../../outside.pdf", "/etc/passwd", "files/./a.pdf"])
def test_paths_never_escape_the_root(tree, path):
    source = LocalManualSource(tree)
    assert not source.exists(path)
    with pytest.raises(ValueError):
        source.read(path)


def test_symlink_out_of_the_root_is_refused(tree):
    os.symlink(tree.parent / "outside.pdf", tree / "files" / "link.pdf")
    source = LocalManualSource(tree)
    assert not source.exists("files/link.pdf")
    with pytest.raises(ValueError):
        source.read("files/link.pdf")


def test_missing_root_has_a_korean_message(tmp_path):
    with pytest.raises(FileNotFoundError, match="매뉴얼 폴더를 찾을 수 없습니다"):
        LocalManualSource(tmp_path / "nope")


def test_open_source_picks_by_scheme(tree):
    settings = Settings(s3_endpoint_url="http://127.0.0.1:9", s3_region="us-east-1")
    assert isinstance(open_source(str(tree), settings), LocalManualSource)
    s3 = open_source("s3://bucket/kms/manuals", settings)
    assert isinstance(s3, S3ManualSource)
    assert (s3.bucket, s3.prefix, s3.root_name) == ("bucket", "kms/manuals/", "manuals")
    assert s3.describe() == "s3://bucket/kms/manuals/"
