"""Security suite: ingest (issue 15 §3). One bad page never stops a run and sizes are bounded; uploaded zips
fail with one Korean sentence; nothing shown to an admin carries a traceback or a server path.

Each class of payload runs as one set and adds its row to the printed security table
(`tests.security.report.record`): how many payloads were tried, how many got through or crashed.
Everything runs the real pipeline (`etl.pipeline.ingest`) over temporary folders, with the in-memory
index and the bigram fake embedder of tests/fakes.py, so the whole module is `unit`.
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import shutil
import signal
import struct
import zipfile
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from backend.app import jobs, services
from backend.app.jobs import control, uploads, worker
from backend.app.jobs.status import JobStatus, _write_status, jobs_dir
from backend.config import Settings, get_settings
from backend.storage.local import LocalAttachmentStore
from etl.decode import decode_html
from etl.links import attachment_candidates, resolve_href
from etl.pipeline import ingest
from etl.problems import public_error
from etl.source import LocalManualSource, S3ManualSource
from tests.etl.pages import page, word_count
from tests.fakes import FakeEmbedder, InMemorySearchIndex
from tests.security.report import record

pytestmark = pytest.mark.unit

HANGUL = re.compile(r"[가-힣]")
SECRET = "바깥비밀카나리아"  # in files outside the manuals root: must never reach the index or the store
KB = 1024


# --------------------------------------------------------------------------- a hostile manuals folder

class Tree:
    """A manuals root and a folder beside it, an ingest with small limits, and what the run left."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.root = tmp_path / "manuals"
        self.outside = tmp_path / "outside"
        self.root.mkdir()
        self.outside.mkdir()
        (self.outside / "secret.html").write_text(page("비밀", f"<p>{SECRET}</p>"), encoding="utf-8")
        (self.outside / "secret.pdf").write_bytes(f"%PDF {SECRET}".encode())
        self.settings = Settings(home=tmp_path / "var", chunk_tokens=60, table_chunk_tokens=60,
                                 max_page_bytes=64 * KB, max_attachment_bytes=200 * KB, max_page_chunks=40)
        self.index = InMemorySearchIndex()
        self.store = LocalAttachmentStore(self.settings.attachments_dir)

    def write(self, rel: str, data: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    def link(self, rel: str, target: Path) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, path)

    def ingest(self, source=None):
        return ingest(source or LocalManualSource(self.root), self.index, FakeEmbedder(), self.store, self.settings,
                      count_tokens=word_count)

    def text(self, doc_id: str) -> str:
        return "\n".join(c.text for c in self.index.chunks(doc_id))

    def everything_indexed(self) -> str:
        return "\n".join(self.text(d) for d in self.index.documents())

    def everything_stored(self) -> bytes:
        root = self.settings.attachments_dir
        return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file()) if root.exists() else b""


def move_page(note: str = "", attachment: str = "files/form.pdf") -> str:
    return page("이사 안내", f"""<h4>신청</h4><p>이사 7일 전까지 고객센터로 신청합니다. {note}</p>
<ul><li><a href="{attachment}">이사신청서</a></li></ul>""", manual_id=f"KMS-{abs(hash(note)) % 10**6}")


class SpySource(LocalManualSource):
    """A local source that remembers which paths were opened (the stat must come first)."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.opened: list[str] = []

    def open(self, path: str):
        self.opened.append(path)
        return super().open(path)


def cp949_page(*, declared: str | None = "euc-kr", damage: tuple[bytes, ...] = (b"\xff\x80", b"\xc9")) -> bytes:
    """A real legacy page: Korean text in CP949, a few invalid byte sequences put in front of words."""
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">' if declared else ""
    html = (f"<html><head>{meta}<title>명의변경 안내</title></head><body><h3>명의변경 안내</h3>"
            "<p>명의변경은 양도인과 양수인이 함께 방문하여 신청합니다.</p>"
            "<p>구비서류는 신분증과 가족관계증명서이며 수수료는 없습니다.</p>"
            "<p>미납 요금이 있으면 양수인이 승계하여야 변경할 수 있습니다.</p></body></html>")
    data = html.encode("cp949")
    for bad, before in zip(damage, ["양도인과", "가족관계증명서", "승계하여야"]):
        at = data.index(before.encode("cp949"))
        data = data[:at] + bad + data[at:]
    return data


def test_hostile_pages_and_attachments_never_stop_the_run(tmp_path, monkeypatch):
    tree = Tree(tmp_path)
    tree.write("files/form.pdf", b"%PDF-1.4 form")
    tree.write("ok/M001.html", move_page("정상 페이지 하나", "../files/form.pdf"))
    tree.write("ok/M002.html", page("인터넷 요금", "<p>기가라이트 33,000원</p>", manual_id="KMS-INT-1"))
    tree.write("folder.html/inside.html", page("폴더 안 페이지", "<p>폴더 안의 정상 문서</p>", manual_id="KMS-IN-1"))

    # Pages: each must be one failure with a Korean reason, and the rest indexed.
    tree.link("escape.html", tree.outside / "secret.html")
    tree.link("loop_a.html", tree.root / "loop_b.html")
    tree.link("loop_b.html", tree.root / "loop_a.html")
    tree.link("broken.html", tree.root / "nowhere.html")
    tree.link("linked.html", tree.outside)  # a link to a folder, named like a page
    os.mkfifo(tree.root / "fifo.html")  # a naive open() would wait forever
    tree.write("locked.html", move_page("잠긴 페이지"))
    tree.write("huge.html", page("큰 페이지", "<p>큰 내용</p>" * 8000))
    words = "".join(f"<h4>절 {i}</h4><p>{' '.join(f'낱말{i}_{j}' for j in range(50))}</p>" for i in range(90))
    tree.write("chunky.html", page("조각 많은 페이지", words))  # under 64 KB, about 90 chunks of 60 tokens
    # Every path opened (the local source reads through os.open); "locked.html" is refused as an
    # unreadable file would be (the tests may run as root, for whom chmod 000 stops nothing).
    opened_files: list[str] = []
    real_open = os.open

    def spy_open(path, flags, *args, **kwargs):
        opened_files.append(os.fsdecode(path))
        if os.fsdecode(path).endswith("locked.html"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy_open)
    bad_pages = {
        "escape.html": "매뉴얼 폴더 밖",
        "loop_a.html": "순환 링크",
        "loop_b.html": "순환 링크",
        "broken.html": "파일이 없습니다",
        "linked.html": "폴더",
        "fifo.html": "일반 파일이 아닙니다",
        "locked.html": "권한이 없습니다",
        "huge.html": "SANGDAM_MAX_PAGE_BYTES",
        "chunky.html": "SANGDAM_MAX_PAGE_CHUNKS",
        "folder.html": "폴더",
    }

    # Attachments: the page is indexed, the file is not copied, a warning says why.
    tree.write("files/big.bin", b"0" * (300 * KB))
    tree.link("files/secret.pdf", tree.outside / "secret.pdf")
    tree.link("files/outdir", tree.outside)
    tree.link("files/loop.pdf", tree.root / "files" / "loop.pdf")
    tree.write("att/big.html", move_page("큰 첨부", "../files/big.bin"))
    tree.write("att/secret.html", move_page("바깥 첨부", "../files/secret.pdf"))
    tree.write("att/outdir.html", move_page("바깥 폴더 첨부", "../files/outdir/secret.pdf"))
    tree.write("att/loop.html", move_page("순환 첨부", "../files/loop.pdf"))
    bad_attachments = {
        "att/big.html": ("files/big.bin", "SANGDAM_MAX_ATTACHMENT_BYTES"),
        "att/secret.html": ("files/secret.pdf", "매뉴얼 폴더 밖"),
        "att/outdir.html": ("files/outdir/secret.pdf", "매뉴얼 폴더 밖"),
        "att/loop.html": ("files/loop.pdf", "순환 링크"),
    }

    source = SpySource(tree.root)
    run = tree.ingest(source)  # must not raise
    saved = json.loads((tree.settings.runs_dir / f"{run.run_id}.json").read_text(encoding="utf-8"))
    failures = {f["page"]: f["reason"] for f in saved["failures"]}
    warnings = {w["page"]: w["reason"] for w in saved["warnings"]}
    docs = tree.index.documents()

    def page_held(name: str, words: str) -> bool:
        reason = failures.get(name, "")
        return (words in reason and HANGUL.search(reason) is not None and str(tmp_path) not in reason
                and name.removesuffix(".html") not in docs)

    def attachment_held(name: str, path: str, words: str) -> bool:
        reason = warnings.get(name, "")
        chunks = tree.index.chunks(name.removesuffix(".html"))
        return (bool(chunks) and words in reason and path in reason and str(tmp_path) not in reason
                and not tree.store.exists(path) and all(not c.attachments for c in chunks))

    failed = [name for name, words in bad_pages.items() if not page_held(name, words)]
    failed += [name for name, (path, words) in bad_attachments.items() if not attachment_held(name, path, words)]
    outside_read = [p for p in opened_files if p.startswith(str(tree.outside))]
    if outside_read or SECRET in tree.everything_indexed() or SECRET.encode() in tree.everything_stored():
        failed.append("read outside the root")
    if "huge.html" in source.opened:
        failed.append("huge.html read before its size was checked")
    record("hostile pages in one ingest", len(bad_pages) + 1, sum(1 for f in failed if not f.startswith("att/")))
    record("hostile attachments in one ingest", len(bad_attachments), sum(1 for f in failed if f.startswith("att/")))
    assert failed == [], (failed, failures, warnings)

    assert run.status == "ok" and run.pages_failed == len(bad_pages)
    assert {"ok/M001", "ok/M002", "folder.html/inside"} <= set(docs)
    assert tree.store.get("files/form.pdf") == b"%PDF-1.4 form"
    assert tree.index.chunks("ok/M001")[0].attachments[0].path == "files/form.pdf"
    assert f"경고 {len(run.warnings)}건" in run.summary_ko()


def test_the_cli_reports_a_link_out_of_the_root_and_indexes_the_rest(tmp_path, monkeypatch):
    """The case of the issue: `sangdam ingest` stopped with "색인 실패: path outside the manual root"."""
    from typer.testing import CliRunner

    from backend.app.cli import app

    tree = Tree(tmp_path)
    tree.write("M001.html", move_page("정상"))
    tree.write("files/form.pdf", b"%PDF form")
    tree.link("escape.html", tree.outside / "secret.html")
    monkeypatch.setenv("SANGDAM_HOME", str(tmp_path / "var"))
    monkeypatch.setattr("backend.app.cli.ingest_manuals", lambda source, **kw: ingest(
        LocalManualSource(source), tree.index, FakeEmbedder(), tree.store, tree.settings, count_tokens=word_count))
    result = CliRunner().invoke(app, ["ingest", str(tree.root), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "실패: escape.html — 페이지를 읽을 수 없습니다: 매뉴얼 폴더 밖" in result.output
    assert set(tree.index.documents()) == {"M001"}


class FakeS3:
    """Just enough of an S3 client for `S3ManualSource`, with per-key errors (as a real bucket gives them)."""

    def __init__(self, objects: dict[str, bytes], errors: dict[str, tuple[str, int]]) -> None:
        self.objects, self.errors = objects, errors
        self.got: list[str] = []

    def _check(self, key: str, operation: str) -> None:
        if key in self.errors:
            code, status = self.errors[key]
            raise ClientError({"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, operation)
        if key not in self.objects:
            raise ClientError({"Error": {"Code": "NoSuchKey"}, "ResponseMetadata": {"HTTPStatusCode": 404}}, operation)

    def get_paginator(self, name):
        objects = self.objects

        class Paginator:
            def paginate(self, Bucket, Prefix):
                yield {"Contents": [{"Key": k, "Size": len(v)} for k, v in objects.items() if k.startswith(Prefix)]}

        return Paginator()

    def get_object(self, Bucket, Key):
        self._check(Key, "GetObject")
        self.got.append(Key)
        return {"Body": io.BytesIO(self.objects[Key])}

    def head_object(self, Bucket, Key):
        self._check(Key, "HeadObject")
        return {"ContentLength": len(self.objects[Key])}


def test_s3_objects_that_cannot_be_read_cost_one_page_each(tmp_path):
    ok = page("요금", "<p>기가라이트 33,000원</p>", manual_id="KMS-S3-1").encode()
    objects = {
        "m/M001.html": move_page("S3 정상", "files/form.pdf").encode(),
        "m/M002.html": ok,
        "m/files/form.pdf": b"%PDF form",
        "m/denied.html": ok,
        "m/glacier.html": ok,
        "m/huge.html": b"<p>" + b"x" * (100 * KB) + b"</p>",
        "m/a//b.html": ok,
        "m/att.html": move_page("거부된 첨부", "files/denied.pdf").encode(),
        "m/files/denied.pdf": b"%PDF",
    }
    errors = {"m/denied.html": ("AccessDenied", 403), "m/glacier.html": ("InvalidObjectState", 400),
              "m/files/denied.pdf": ("AccessDenied", 403)}
    client = FakeS3(objects, errors)
    tree = Tree(tmp_path)
    run = tree.ingest(S3ManualSource("s3://bucket/m", client))
    failures = {f["page"]: f["reason"] for f in run.failures}
    expected = {"denied.html": "권한이 없습니다", "glacier.html": "InvalidObjectState",
                "huge.html": "SANGDAM_MAX_PAGE_BYTES", "a//b.html": "S3 객체 이름"}
    failed = [name for name, words in expected.items() if words not in failures.get(name, "")]
    if "m/huge.html" in client.got:
        failed.append("huge.html read before its size was checked")
    if not any("files/denied.pdf" in w["reason"] for w in run.warnings) or tree.store.exists("files/denied.pdf"):
        failed.append("att.html")
    record("S3 objects that cannot be read", len(expected) + 1, len(failed))
    assert failed == [], (failed, run.failures, run.warnings)
    assert {"M001", "M002", "att"} <= set(tree.index.documents())
    assert tree.store.get("files/form.pdf") == b"%PDF form"


# --------------------------------------------------------------------------- damaged CP949 pages

@pytest.mark.parametrize("declared", ["euc-kr", "ks_c_5601-1987", None])
def test_a_cp949_page_with_a_few_bad_bytes_is_kept_and_searchable(tmp_path, declared):
    tree = Tree(tmp_path)
    tree.write("M001.html", cp949_page(declared=declared))
    run = tree.ingest()
    assert (run.pages_added, run.pages_failed) == (1, 0)
    text = tree.text("M001")
    for words in ("명의변경은", "양수인이 함께 방문하여 신청합니다", "신분증과", "수수료는 없습니다", "미납 요금이 있으면"):
        assert words in text
    assert [w["page"] for w in run.warnings] == ["M001.html"]
    assert "일부 글자를 읽지 못했습니다 (3곳" in run.warnings[0]["reason"]
    hits = tree.index.search("명의변경 구비서류", FakeEmbedder().embed_query("명의변경 구비서류"), k=1)
    assert hits and hits[0].chunk.doc_id == "M001"


def test_damaged_legacy_pages_class():
    """Variants of damage: each page keeps its Korean text and counts the damaged spots."""
    variants = {
        "declared, three bad spots": cp949_page(),
        "declared, a lone lead byte at the end": cp949_page() + b"\xb0",
        "undeclared": cp949_page(declared=None),
        "declared ks_c_5601-1987": cp949_page(declared="ks_c_5601-1987"),
        "one bad byte": cp949_page(damage=(b"\x80",)),
        "utf-8 page with a cut sequence": ("<html><head><meta charset='utf-8'></head><body><p>명의변경 신청</p>"
                                           "<p>가족관계증명서를 냅니다</p></body></html>").encode().replace(
                                               "가족".encode(), "가".encode()[:2] + b" ", 1),
    }
    failed = []
    for name, data in variants.items():
        decoded = decode_html(data)
        if not (decoded.replaced > 0 and "명의변경" in decoded.text and decoded.encoding in ("cp949", "utf-8")):
            failed.append(name)
    # Garbage is still refused: no text to keep.
    try:
        decode_html(bytes(range(128, 256)) * 8)
        failed.append("garbage accepted")
    except ValueError:
        pass
    record("damaged legacy pages", len(variants) + 1, len(failed))
    assert failed == []


# --------------------------------------------------------------------------- size limits, streaming

class GuardedStream(io.RawIOBase):
    """A stream of `size` bytes that fails if asked for everything at once or for more than 8 MB a read."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        assert n is not None and 0 <= n <= 8 * 1024 * 1024, f"read({n}): the whole file at once"
        n = min(n, self.left)
        self.left -= n
        return b"a" * n

    def readinto(self, buffer) -> int:  # pragma: no cover - copyfileobj uses read
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class StreamingSource(LocalManualSource):
    """Attachments served as `GuardedStream`s (a 3 MB file that must never be read whole)."""

    def __init__(self, root: Path, sizes: dict[str, int]) -> None:
        super().__init__(root)
        self.sizes = sizes

    def size(self, path: str) -> int:
        return self.sizes[path] if path in self.sizes else super().size(path)

    def open(self, path: str):
        return GuardedStream(self.sizes[path]) if path in self.sizes else super().open(path)


def test_attachments_are_hashed_and_copied_in_pieces(tmp_path):
    tree = Tree(tmp_path)
    tree.settings = tree.settings.model_copy(update={"max_attachment_bytes": 10 * 1024 * 1024})
    tree.write("M001.html", move_page("큰 서식", "files/big.pdf"))
    tree.write("files/big.pdf", b"placeholder")
    run = tree.ingest(StreamingSource(tree.root, {"files/big.pdf": 3 * 1024 * 1024}))
    assert (run.pages_added, run.warnings) == (1, [])
    stored = tree.settings.attachments_dir / "files" / "big.pdf"
    assert stored.stat().st_size == 3 * 1024 * 1024
    assert tree.index.chunks("M001")[0].attachments[0].size == 3 * 1024 * 1024


def test_an_attachment_that_grows_past_the_limit_while_copied_is_not_kept(tmp_path):
    tree = Tree(tmp_path)
    tree.write("M001.html", move_page("자라는 첨부", "files/grow.pdf"))
    tree.write("files/grow.pdf", b"x")

    class Growing(LocalManualSource):
        opens = 0

        def open(self, path):
            if path != "files/grow.pdf":
                return super().open(path)
            Growing.opens += 1  # small when hashed, past the limit when copied
            return io.BytesIO(b"x" * (10 if Growing.opens == 1 else 300 * KB))

    run = tree.ingest(Growing(tree.root))
    assert run.pages_added == 1 and not tree.store.exists("files/grow.pdf")
    assert "SANGDAM_MAX_ATTACHMENT_BYTES" in run.warnings[-1]["reason"]
    assert not list(tree.settings.attachments_dir.rglob(".tmp-*"))


def _read_errors() -> dict[str, Exception]:
    """What reading a source stream raises part-way: locally an OSError, on an S3 body botocore's errors."""
    from botocore.exceptions import IncompleteReadError, ReadTimeoutError

    return {
        "OSError": OSError(errno.EIO, os.strerror(errno.EIO)),
        "IncompleteReadError": IncompleteReadError(actual_bytes=1024, expected_bytes=4096),
        "ReadTimeoutError": ReadTimeoutError(endpoint_url="https://s3.example/manuals/files/form.pdf"),
        "ClientError": ClientError({"Error": {"Code": "InternalError", "Message": "x"}}, "GetObject"),
    }


class BreakingStream(io.RawIOBase):
    """An attachment's stream that gives one piece and then raises `error`."""

    def __init__(self, error: Exception) -> None:
        self.error, self.pieces = error, 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        self.pieces += 1
        if self.pieces > 1:
            raise self.error
        return b"%PDF partial"


class FlakySource(LocalManualSource):
    """A local source whose `files/form.pdf` breaks mid-read on the `breaks_at`-th opening (1: when hashed,
    2: when copied) while `broken` is set."""

    def __init__(self, root: Path, error: Exception, breaks_at: int) -> None:
        super().__init__(root)
        self.error, self.breaks_at, self.opens, self.broken = error, breaks_at, 0, True

    def open(self, path: str):
        if path != "files/form.pdf" or not self.broken:
            return super().open(path)
        self.opens += 1
        return BreakingStream(self.error) if self.opens == self.breaks_at else super().open(path)


def test_an_attachment_whose_read_fails_part_way_is_a_warning_not_a_failed_run(tmp_path):
    """A read error while an attachment is hashed or copied (a local OSError, an S3 body cut off, timing out
    or refused) costs that attachment only: the page is indexed, the attachment not stored and shown as
    missing, one Korean warning without the server's path; the next run does the page again and copies it."""
    failed = []
    cases = [(name, error, breaks_at) for name, error in _read_errors().items() for breaks_at in (1, 2)]
    for name, error, breaks_at in cases:
        case = f"{name} when {'hashed' if breaks_at == 1 else 'copied'}"
        (tmp_path / f"{name}-{breaks_at}").mkdir()
        tree = Tree(tmp_path / f"{name}-{breaks_at}")
        tree.write("M001.html", move_page("첨부 읽기 오류"))
        tree.write("files/form.pdf", b"%PDF the whole form")
        source = FlakySource(tree.root, error, breaks_at)
        try:
            run = tree.ingest(source)
        except Exception as exc:  # noqa: BLE001 - the run must not stop
            failed.append(f"{case}: the run stopped: {type(exc).__name__}: {exc}")
            continue
        reasons = [w["reason"] for w in run.warnings]
        if (run.pages_added, run.pages_failed) != (1, 0) or "이사 7일 전까지" not in tree.text("M001"):
            failed.append(f"{case}: page not indexed")
        if tree.store.exists("files/form.pdf") or list(tree.settings.attachments_dir.rglob(".tmp-*")):
            failed.append(f"{case}: a part of the attachment was stored")
        if len(reasons) != 1 or "files/form.pdf" not in reasons[0] or not HANGUL.search(reasons[0]) \
                or str(tmp_path) in reasons[0] or "s3.example" in reasons[0]:
            failed.append(f"{case}: warnings {reasons}")
        source.broken = False  # readable again: the next incremental run copies it
        again = tree.ingest(source)
        if (again.pages_changed, again.warnings) != (1, []) or tree.store.get("files/form.pdf") != b"%PDF the whole form":
            failed.append(f"{case}: not copied by the next run ({again.pages_changed} changed, {again.warnings})")
        if tree.ingest(source).pages_unchanged != 1:
            failed.append(f"{case}: the page is done again and again")
    record("attachment reads failing part-way", len(cases), len(failed))
    assert failed == []


def test_a_store_that_fails_still_stops_the_run(tmp_path):
    """Only the source's read errors are warnings: the store's own failure (a full disk) fails the run, and
    the live index stays as it was."""
    tree = Tree(tmp_path)
    tree.write("M001.html", move_page("저장소 오류"))
    tree.write("files/form.pdf", b"%PDF form")

    class FullStore(LocalAttachmentStore):
        def put_file(self, key, stream, media_type="application/octet-stream"):
            stream.read(4)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "var" / key))

    tree.store = FullStore(tree.settings.attachments_dir)
    with pytest.raises(OSError):
        tree.ingest()
    assert tree.index.documents() == {} and tree.index.commits == 0


def test_an_attachment_changed_between_hash_and_copy_is_told_and_done_again(tmp_path):
    tree = Tree(tmp_path)
    tree.write("M001.html", move_page("바뀌는 첨부"))
    tree.write("files/form.pdf", b"%PDF v1")

    class Changing(LocalManualSource):
        opens = 0

        def open(self, path):
            if path == "files/form.pdf":
                Changing.opens += 1
                if Changing.opens == 2:  # the copy, after the hash
                    (tree.root / "files" / "form.pdf").write_bytes(b"%PDF v2")
            return super().open(path)

    run = tree.ingest(Changing(tree.root))
    assert run.pages_added == 1 and tree.store.get("files/form.pdf") == b"%PDF v2"
    assert len(run.warnings) == 1 and "바뀌었습니다" in run.warnings[0]["reason"]
    again = tree.ingest(Changing(tree.root))
    assert (again.pages_changed, again.warnings) == (1, [])
    assert tree.ingest().pages_unchanged == 1


def test_too_many_pages_fail_the_run_before_the_index_changes(tmp_path):
    tree = Tree(tmp_path)
    tree.settings = tree.settings.model_copy(update={"max_pages_per_run": 2})
    for i in range(3):
        tree.write(f"M{i}.html", page(f"문서 {i}", f"<p>내용 {i}</p>", manual_id=f"KMS-P-{i}"))
    with pytest.raises(ValueError, match="SANGDAM_MAX_PAGES_PER_RUN"):
        tree.ingest()
    assert tree.index.documents() == {} and tree.index.commits == 0


def test_limits_are_settings_with_their_defaults():
    settings = Settings()
    assert (settings.max_page_bytes, settings.max_attachment_bytes) == (5 * 1024 * 1024, 200 * 1024 * 1024)
    assert (settings.max_page_chunks, settings.max_pages_per_run) == (2000, 100_000)


# --------------------------------------------------------------------------- scheme-less web links

def test_web_addresses_without_a_scheme_are_not_attachments():
    hrefs = ["www.bokjiro.go.kr", "WWW.Gov.KR/portal/main?x=1", "bokjiro.go.kr", "www.hanbit.com/rates.pdf",
             "naver.com", "help@hanbit.co.kr", "www.example.asia"]
    html = "".join(f'<a href="{h}">사이트</a>' for h in hrefs)
    failed = [h for h in hrefs if resolve_href("M001.html", h, "manuals") is not None]
    failed += attachment_candidates("M001.html", html, "manuals")
    record("scheme-less web links", len(hrefs), len(failed))
    assert failed == []
    # Files stay files, even with dots in their names.
    for href, path in [("files/form.pdf", "files/form.pdf"), ("./www.hanbit.kr", "www.hanbit.kr"),
                       ("www.hwp", "www.hwp"), ("요금표.v2.xlsx", "요금표.v2.xlsx"), ("a@b.pdf", "a@b.pdf")]:
        assert resolve_href("M001.html", href, "manuals") == path


def test_a_page_linking_web_addresses_has_no_missing_attachment_warnings(tmp_path, caplog):
    tree = Tree(tmp_path)
    tree.write("M001.html", page("복지 안내", '<p>자세한 내용은 <a href="www.bokjiro.go.kr">복지로</a>에서 확인합니다.</p>'))
    with caplog.at_level("WARNING"):
        run = tree.ingest()
    assert run.pages_added == 1 and run.warnings == []
    assert "links a missing file" not in caplog.text


# --------------------------------------------------------------------------- corrupt uploaded zips

PAGE = page("안내", "<p>본문</p>").encode()


def make_zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _patch_member(data: bytes, index: int, local_offset: int, central_offset: int, fmt: str, value: int) -> bytes:
    """Overwrite one field of member `index` in its local header and its central directory entry."""
    out = bytearray(data)
    local = central = -1
    for _ in range(index + 1):
        local = out.find(b"PK\x03\x04", local + 1)
        central = out.find(b"PK\x01\x02", central + 1)
    struct.pack_into(fmt, out, local + local_offset, value)
    struct.pack_into(fmt, out, central + central_offset, value)
    return bytes(out)


def corrupt_zips() -> dict[str, bytes]:
    big = make_zip({"a.html": PAGE, "files/big.bin": b"0" * 200_000})
    stored = make_zip({"a.html": PAGE, "files/big.bin": b"0" * 200_000}, zipfile.ZIP_STORED)
    link = io.BytesIO()
    with zipfile.ZipFile(link, "w") as zf:
        zf.writestr("a.html", PAGE)
        info = zipfile.ZipInfo("files/link.pdf")
        info.external_attr = 0o120777 << 16
        zf.writestr(info, "/etc/passwd")
    deflate_damage = bytearray(big)
    second = deflate_damage.find(b"PK\x03\x04", 1)
    deflate_damage[second + 60: second + 70] = b"\xff" * 10
    return {
        "size under-declared (deflate)": _patch_member(big, 1, 22, 24, "<I", 1000),
        "size under-declared (stored)": _patch_member(stored, 1, 22, 24, "<I", 1000),
        "size over-declared": _patch_member(stored, 1, 22, 24, "<I", 900_000),
        "truncated in the middle": big[: len(big) // 2],
        "central directory cut": big[:-10],
        "not a zip": b"<html>not a zip</html>",
        "empty": b"",
        "bad CRC": _patch_member(make_zip({"a.html": PAGE}, zipfile.ZIP_STORED), 0, 14, 16, "<I", 0xDEADBEEF),
        "corrupt deflate data": bytes(deflate_damage),
        "encrypted": _patch_member(make_zip({"a.html": PAGE}), 0, 6, 8, "<H", 1),
        "unknown compression method": _patch_member(make_zip({"a.html": PAGE}), 0, 8, 10, "<H", 99),
        "zip slip": make_zip({"a.html": PAGE, "../../evil.html": b"x"}),
        "absolute path": make_zip({"a.html": PAGE, "/etc/evil.html": b"x"}),
        "windows drive path": make_zip({"a.html": PAGE, "C:\\evil.html": b"x"}),
        "symlink member": link.getvalue(),
        "file and folder of one name": make_zip({"a.html": PAGE, "a.html/b.html": PAGE}),
        "no HTML page": make_zip({"a.txt": b"x"}),
    }


@pytest.fixture
def home(fresh_home):
    return fresh_home


def test_corrupt_zips_are_one_korean_sentence(home, tmp_path):
    settings = get_settings()
    failed = []
    for name, data in corrupt_zips().items():
        try:
            jobs.unpack_upload(data, settings)
        except jobs.UploadError as exc:
            message = str(exc)
            if (not HANGUL.search(message) or "/" in message or "Traceback" in message or str(tmp_path) in message
                    or "\n" in message):
                failed.append(f"{name}: {message}")
        except Exception as exc:  # noqa: BLE001 - any other exception reaches the admin page as a traceback
            failed.append(f"{name}: {type(exc).__name__}: {exc}")
        else:
            failed.append(f"{name}: accepted")
        leftovers = list((home.resolve() / "uploads").glob("*")) if (home / "uploads").exists() else []
        if leftovers:
            failed.append(f"{name}: left {len(leftovers)} folder(s) behind")
            for path in leftovers:
                shutil.rmtree(path)
    if (tmp_path / "evil.html").exists() or (home / "evil.html").exists():
        failed.append("zip slip wrote outside")
    record("corrupt uploaded zips", len(corrupt_zips()), len(failed))
    assert failed == []


def test_sizes_are_counted_as_read_not_as_declared(tmp_path, monkeypatch):
    """A member that yields more than its header declares (or more than the upload limit) is stopped
    before those bytes reach the disk: the count is of bytes read, not of header fields."""

    class LyingArchive:
        def open(self, info):
            return io.BytesIO(b"0" * 200_000)

    small = zipfile.ZipInfo("files/big.bin")
    small.file_size = 1000
    honest = zipfile.ZipInfo("files/big.bin")
    honest.file_size = 200_000
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 50_000)
    failed = []
    for info in (small, honest):
        into = tmp_path / f"into-{info.file_size}"
        into.mkdir()
        try:
            uploads._extract(LyingArchive(), [(info, ("files", "big.bin"))], into)
            failed.append(f"declared {info.file_size}: accepted")
        except jobs.UploadError as exc:
            if "/" in str(exc) or not HANGUL.search(str(exc)):
                failed.append(str(exc))
        on_disk = sum(p.stat().st_size for p in into.rglob("*") if p.is_file())
        if on_disk > 0:
            failed.append(f"declared {info.file_size}: {on_disk} bytes written")
    assert failed == []


# --------------------------------------------------------------------------- uploads are not kept, job errors

def run_worker(home: Path, source: str, outcome, monkeypatch) -> JobStatus:
    """Run the worker's `main` in this process for an ingest job whose `ingest_manuals` does `outcome`."""
    settings = get_settings()
    now = "2026-01-01T00:00:00+00:00"
    directory = jobs_dir(settings)
    directory.mkdir(parents=True, exist_ok=True)
    _write_status(directory, JobStatus(job_id="j1", kind="ingest", source=source, full=False, state="running",
                                       pid=os.getpid(), started_at=now, updated_at=now))
    monkeypatch.setattr(services, "ingest_manuals", outcome)
    previous = signal.getsignal(signal.SIGTERM)
    try:
        worker.main(["ingest", "--job-id", "j1", "--home", str(home), "--source", source])
    finally:
        signal.signal(signal.SIGTERM, previous)
    return jobs.current_job(settings)


def _done(source, **kwargs):
    from etl.run_record import RunRecord

    return RunRecord.start(source, False)


def _fails(source, **kwargs):
    raise RuntimeError("index broke")


def _cancelled(source, **kwargs):
    raise KeyboardInterrupt


@pytest.mark.parametrize(("outcome", "state"), [(_done, "done"), (_fails, "failed"), (_cancelled, "cancelled")])
def test_an_unpacked_upload_is_deleted_when_its_job_ends(home, monkeypatch, outcome, state):
    root = jobs.unpack_upload(make_zip({"매뉴얼/안내.html": PAGE, "매뉴얼/files/a.pdf": b"%PDF"}), get_settings())
    assert root.is_dir()
    status = run_worker(home, str(root), outcome, monkeypatch)
    assert status.state == state
    assert not root.exists() and not any((home.resolve() / "uploads").iterdir())


def test_a_folder_that_is_not_an_upload_is_never_deleted(home, tmp_path, monkeypatch):
    manuals = tmp_path / "manuals"
    manuals.mkdir()
    (manuals / "a.html").write_bytes(PAGE)
    run_worker(home, str(manuals), _done, monkeypatch)
    assert (manuals / "a.html").is_file()


def test_an_upload_whose_job_cannot_start_is_deleted(home, monkeypatch):
    def busy(*args, **kwargs):
        raise jobs.JobBusyError("이미 작업이 진행 중입니다.")

    monkeypatch.setattr(control, "start_ingest", busy)
    with pytest.raises(jobs.JobBusyError):
        jobs.start_ingest_upload(make_zip({"안내.html": PAGE}), full=False, settings=get_settings())
    assert not any((home.resolve() / "uploads").iterdir())


def test_job_errors_carry_no_traceback_or_server_path(home, monkeypatch):
    secret = "/srv/sangdam/var/index/segments"
    errors = [
        RuntimeError(f"could not write {secret}/0001.seg"),
        FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), f"{secret}/CURRENT"),
        PermissionError(errno.EACCES, os.strerror(errno.EACCES), secret),
        OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), secret),
        ValueError(f"매뉴얼 폴더를 찾을 수 없습니다: {secret}"),
        RuntimeError(f'worker said: Traceback (most recent call last):\n  File "{secret}/x.py", line 1\nKeyError'),
    ]
    failed = []
    for exc in errors:
        def raising(source, _exc=exc, **kwargs):
            raise _exc

        status = run_worker(home, "s3://bucket/manuals", raising, monkeypatch)
        for text in (status.summary_ko or "", status.error or ""):
            if "/srv" in text or "sangdam/var" in text or "Traceback" in text or "\n" in text or not text:
                failed.append(f"{type(exc).__name__}: {text}")
    record("server paths in job errors", len(errors), len(failed))
    assert failed == []


def test_a_failed_run_record_says_why_without_server_paths(tmp_path):
    tree = Tree(tmp_path)
    tree.write("M001.html", move_page("정상"))

    class Broken(FakeEmbedder):
        def embed_passages(self, texts):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "var" / "embedding-cache.sqlite"))

    with pytest.raises(OSError):
        ingest(LocalManualSource(tree.root), tree.index, Broken(), tree.store, tree.settings, count_tokens=word_count)
    saved = [json.loads(p.read_text(encoding="utf-8")) for p in tree.settings.runs_dir.glob("*.json")]
    assert saved[0]["status"] == "failed" and "디스크 공간이 부족합니다" in saved[0]["error"]
    assert str(tmp_path) not in saved[0]["error"]
    assert public_error(ValueError("x at /home/me/secret.txt")) == "ValueError: x at secret.txt"
