"""Contract of `ManualSource` (etl/source.py).

Implementations: `LocalManualSource` over a temporary folder (`unit`) and `S3ManualSource` over a prefix
of a real moto S3 server started by the test (`integration`). Both hold the same tree, root folder
"manuals", with a page beside the root ("other/M999.html") that must stay out of reach.

Rules: an instance of the runtime-checkable protocol; `root_name` is the root folder's name and `describe`
names it; `pages()` lists the `.html`/`.htm` files (any case, Korean names included) as relative POSIX
paths, sorted, and nothing else; `read` returns a file's bytes (pages and linked files alike) and raises
`FileNotFoundError` for a missing path; `exists` tells; a path leaving the root makes `read` raise
`ValueError` and `exists` return False; `open` streams a file and `size` tells its length before it is
read (both raise as `read` does); a clean tree leaves `listing_problems` empty.
"""

from __future__ import annotations

import uuid

import pytest

from etl.source import LocalManualSource, ManualSource, S3ManualSource
from tests.s3_server import moto_s3, s3_client

TREE = {
    "M001.html": "<html><body>이사 안내</body></html>".encode(),
    "internet/M002.htm": "<html><body>요금</body></html>".encode(),
    "인터넷/요금 안내.HTML": "<html><body>기가라이트 33,000원</body></html>".encode(),
    "files/이사 신청서.pdf": b"%PDF form",
    "notes.txt": b"not a page",
}
PAGES = ["M001.html", "internet/M002.htm", "인터넷/요금 안내.HTML"]
OUTSIDE = ["../other/M999.html", "internet/../../other/M999.html", "/other/M999.html"]


@pytest.fixture(scope="module")
def s3_endpoint():
    with moto_s3() as endpoint:
        yield endpoint


@pytest.fixture(params=[pytest.param("local", marks=pytest.mark.unit), pytest.param("s3", marks=pytest.mark.integration)])
def source(request, tmp_path) -> ManualSource:
    files = {f"manuals/{path}": data for path, data in TREE.items()} | {"other/M999.html": b"<html>outside</html>"}
    if request.param == "local":
        for path, data in files.items():
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path).write_bytes(data)
        return LocalManualSource(tmp_path / "manuals")
    client = s3_client(request.getfixturevalue("s3_endpoint"))
    bucket = f"contract-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)
    for path, data in files.items():
        client.put_object(Bucket=bucket, Key=f"export/{path}", Body=data)
    return S3ManualSource(f"s3://{bucket}/export/manuals", client)


class TestManualSourceContract:
    def test_is_a_manual_source_named_after_its_root(self, source):
        assert isinstance(source, ManualSource)
        assert source.root_name == "manuals" and "manuals" in source.describe()

    def test_pages_lists_the_html_files_sorted(self, source):
        assert source.pages() == sorted(PAGES)

    @pytest.mark.parametrize("path", sorted(TREE))
    def test_read_and_exists(self, source, path):
        assert source.read(path) == TREE[path]
        assert source.exists(path)

    def test_a_missing_path(self, source):
        assert not source.exists("files/없는 파일.pdf")
        with pytest.raises(FileNotFoundError):
            source.read("files/없는 파일.pdf")

    @pytest.mark.parametrize("path", OUTSIDE)
    def test_a_path_outside_the_root_is_refused(self, source, path):
        assert not source.exists(path)
        with pytest.raises(ValueError):
            source.read(path)
        with pytest.raises(ValueError):
            source.open(path)
        with pytest.raises(ValueError):
            source.size(path)

    @pytest.mark.parametrize("path", sorted(TREE))
    def test_open_streams_and_size_is_known_before_reading(self, source, path):
        source.pages()
        assert source.size(path) == len(TREE[path])
        with source.open(path) as stream:
            assert stream.read(3) + stream.read() == TREE[path]

    def test_a_missing_path_has_no_size_or_stream(self, source):
        assert source.pages() and source.listing_problems == []
        with pytest.raises(FileNotFoundError):
            source.size("files/없는 파일.pdf")
        with pytest.raises(FileNotFoundError):
            source.open("files/없는 파일.pdf")
