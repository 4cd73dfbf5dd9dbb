"""backend.app.jobs: real detached worker processes over sample manuals (progress, busy, cancel, dead worker),
and the zip upload's safety rules (zip slip, links, caps, CP949 names)."""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from backend.app import jobs, services
from backend.app.evaluation import answer_missed_rows, answer_table_rows
from backend.app.jobs import uploads
from backend.config import get_settings
from etl.problems import file_problem, read_problem
from etl.run_record import list_runs, load_run

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = ROOT / "etl" / "samples" / "manuals"
FIRST = ("M006.html", "M017.html", "M001.html")
# Pages not in FIRST, for a run long enough to cancel (every one needs fresh embeddings).
OTHERS = ("M002.html", "M003.html", "M004.html", "M005.html", "M007.html", "M008.html", "M009.html",
          "M010.html", "M011.html", "M012.html", "M013.html", "M014.html", "M015.html", "M016.html",
          "M018.html", "M020.html", "M021.html", "M022.html", "M023.html", "M024.html")


@pytest.fixture
def home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("SANGDAM_HOME", str(home))
    get_settings.cache_clear()
    services.reset()
    yield home
    status = jobs.current_job(get_settings())
    if status is not None and status.running:  # never leave a worker behind
        jobs.cancel(get_settings())
        jobs.wait(get_settings(), timeout_s=30)
    get_settings.cache_clear()
    services.reset()


def manuals(root: Path, pages: tuple[str, ...]) -> Path:
    root.mkdir(parents=True)
    for page in pages:
        shutil.copy(SAMPLES / page, root / page)
    shutil.copytree(SAMPLES / "files", root / "files")
    return root


def wait_until(predicate, timeout_s: float = 60.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


@pytest.mark.integration
def test_an_ingest_job_reports_progress_and_indexes_the_pages_then_an_evaluation_job(home, tmp_path):
    settings = get_settings()
    root = manuals(tmp_path / "manuals", FIRST)
    started = jobs.start_ingest(str(root), full=False, settings=settings)
    assert started.state == "running" and started.kind == "ingest" and started.source == str(root)

    seen = []
    while True:
        status = jobs.current_job(settings)
        seen.append(status)
        if not status.running:
            break
        time.sleep(0.1)
    assert status.job_id == started.job_id and status.state == "done", status
    assert status.done == status.total == 3 and status.failed == 0
    assert "색인 완료" in status.summary_ko
    assert any(s.running for s in seen)
    assert all(s.done <= s.total for s in seen if s.total)
    record = load_run(settings, status.run_id)
    assert record.status == "ok" and record.pages_added == 3
    stats = services.get_index().stats()
    assert stats.documents == 3 and stats.chunks > 0
    hits = services.get_retriever().search("이사 며칠전에 신청해야돼요", k=3)
    assert hits[0].chunk.page == "M006.html"

    # The same worker evaluates answers over a question set and writes a report.
    questions = tmp_path / "questions.jsonl"
    questions.write_text(
        '{"id": "Q1", "category": "프로세스", "question": "이사 며칠전에 신청해야돼요", "gold_docs": ["M006.html"], '
        '"answer_facts": ["7일 전까지"], "out_of_scope": false}\n'
        '{"id": "Q2", "category": "범위밖", "question": "오늘 서울 날씨 어때요", "gold_docs": [], '
        '"answer_facts": [], "out_of_scope": true}\n',
        encoding="utf-8",
    )
    jobs.start_eval_answers(questions, settings=settings, use_llm=False)
    status = jobs.wait(settings, timeout_s=120)
    assert status.kind == "eval-answers" and status.state == "done", status
    assert status.done == status.total == 2 and "답변 평가 완료" in status.summary_ko
    (report,) = jobs.list_reports(settings)
    assert str(report) == status.report
    result = json.loads(report.read_text(encoding="utf-8"))
    assert result["overall"]["questions"] == 2 and set(result["by_category"]) == {"프로세스", "범위밖"}
    rows = answer_table_rows(result)
    assert [r["분류"] for r in rows] == ["전체", "범위밖", "프로세스"]
    assert rows[2]["사실 포함"] == 1.0 and rows[0]["질문"] == 2
    assert isinstance(answer_missed_rows(result), list)


@pytest.mark.integration
def test_a_second_job_is_refused_and_cancel_keeps_the_live_index(home, tmp_path):
    settings = get_settings()
    services.ingest_manuals(str(manuals(tmp_path / "first", FIRST)), settings=settings)
    before = services.get_index().stats()
    assert before.documents == 3

    big = manuals(tmp_path / "big", OTHERS)
    jobs.start_ingest(str(big), full=False, settings=settings)
    wait_until(lambda: jobs.current_job(settings).done >= 2)
    with pytest.raises(jobs.JobBusyError, match="진행 중"):
        jobs.start_ingest(str(big), full=True, settings=settings)

    assert jobs.cancel(settings)
    status = jobs.wait(settings, timeout_s=60)
    assert status.state == "cancelled", status
    assert status.done < status.total == len(OTHERS)
    assert "유지" in status.summary_ko
    # The aborted run is recorded as such, and the live index is the one built before.
    aborted = load_run(settings, status.run_id)
    assert aborted.status == "failed" and "사용자가 중단했습니다" in aborted.error
    after = services.get_index().stats()
    assert (after.documents, after.chunks, after.location) == (before.documents, before.chunks, before.location)
    hits = services.get_retriever().search("인터넷 해지 장비 반납 기한", k=3)
    assert hits and hits[0].chunk.page == "M017.html"
    assert not jobs.cancel(settings)  # nothing runs any more
    assert len(list_runs(settings)) == 2


def write_running_job_of_a_dead_worker(settings, **fields) -> None:
    """jobs/current.json of a "running" ingest job whose worker process has already exited."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    directory = jobs.jobs_dir(settings)
    directory.mkdir(parents=True)
    (directory / "current.json").write_text(json.dumps({
        "kind": "ingest", "source": "/m", "state": "running", "pid": proc.pid,
        "started_at": "2026-03-01T00:00:00+00:00", "updated_at": "2026-03-01T00:00:01+00:00", **fields,
    }), encoding="utf-8")


@pytest.mark.unit
def test_a_running_job_whose_worker_died_is_reported_as_failed(home):
    settings = get_settings()
    write_running_job_of_a_dead_worker(settings, job_id="j1", full=False, done=4, total=10)
    status = jobs.current_job(settings)
    assert status.state == "failed" and status.error == jobs.DEAD_WORKER_KO
    assert jobs.DEAD_WORKER_KO in status.summary_ko
    assert json.loads((jobs.jobs_dir(settings) / "current.json").read_text(encoding="utf-8"))["state"] == "failed"
    assert not jobs.cancel(settings)


@pytest.mark.unit
def test_start_ingest_refuses_a_missing_folder(home, tmp_path):
    with pytest.raises(ValueError, match="찾을 수 없습니다"):
        jobs.start_ingest(str(tmp_path / "nowhere"), full=False, settings=get_settings())
    assert jobs.current_job(get_settings()) is None


# --------------------------------------------------------------------------- uploads

def make_zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


PAGE = "<html><head><meta charset='utf-8'><title>t</title></head><body><h1>안내</h1><p>본문</p></body></html>".encode()


@pytest.mark.unit
@pytest.mark.parametrize("name", ["../evil.html", "a/../../evil.html", "/etc/evil.html", "C:/evil.html", "..\\evil.html"])
def test_zip_slip_is_rejected_and_nothing_is_written(home, tmp_path, name):
    data = make_zip({"ok.html": PAGE, name: b"x"})
    with pytest.raises(jobs.UploadError, match="경로"):
        jobs.unpack_upload(data, get_settings())
    assert not (tmp_path / "evil.html").exists() and not (home / "evil.html").exists()
    uploads = home.resolve() / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())


@pytest.mark.unit
def test_links_caps_and_non_zips_are_rejected(home, monkeypatch):
    settings = get_settings()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("ok.html", PAGE)
        link = zipfile.ZipInfo("files/link.pdf")
        link.external_attr = (0o120777 << 16)
        zf.writestr(link, "/etc/passwd")
    with pytest.raises(jobs.UploadError, match="링크"):
        jobs.unpack_upload(buf.getvalue(), settings)
    with pytest.raises(jobs.UploadError, match="zip"):
        jobs.unpack_upload(b"not a zip", settings)
    with pytest.raises(jobs.UploadError, match="HTML"):
        jobs.unpack_upload(make_zip({"a.txt": b"x"}), settings)
    monkeypatch.setattr(uploads, "MAX_UPLOAD_MEMBERS", 2)
    with pytest.raises(jobs.UploadError, match="항목이 너무 많습니다"):
        jobs.unpack_upload(make_zip({"a.html": PAGE, "b.html": PAGE, "c.html": PAGE}), settings)
    monkeypatch.setattr(uploads, "MAX_UPLOAD_MEMBERS", 100)
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1000)
    with pytest.raises(jobs.UploadError, match="너무 큽니다"):
        jobs.unpack_upload(make_zip({"a.html": PAGE, "files/big.bin": b"0" * 5000}), settings)


def cp949_zip() -> bytes:
    """A zip as Korean Windows writes it: CP949 names, no UTF-8 flag (written with ASCII stand-ins of the
    same byte length, then patched)."""
    names = {"매뉴얼/요금표.html": PAGE, "매뉴얼/files/이사신청서.pdf": b"%PDF-1.4"}
    stand_ins = {}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for i, (name, data) in enumerate(names.items()):
            raw = name.encode("cp949")
            stand_in = f"{i}".encode() * len(raw)
            stand_ins[stand_in] = raw
            zf.writestr(stand_in.decode(), data)
    data = buf.getvalue()
    for stand_in, raw in stand_ins.items():
        assert data.count(stand_in) == 2  # local header + central directory
        data = data.replace(stand_in, raw)
    return data


@pytest.mark.unit
def test_cp949_names_are_decoded_and_a_single_top_folder_is_the_root(home):
    data = cp949_zip()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert not any(i.flag_bits & 0x800 for i in zf.infolist())
        assert "요금표" not in zf.namelist()[0]  # what zipfile alone makes of it
    root = jobs.unpack_upload(data, get_settings())
    assert root.name == "매뉴얼" and root.parent.parent == home.resolve() / "uploads"
    assert (root / "요금표.html").read_bytes() == PAGE
    assert (root / "files" / "이사신청서.pdf").read_bytes() == b"%PDF-1.4"


@pytest.mark.unit
def test_utf8_names_and_old_uploads_are_pruned(home):
    settings = get_settings()
    roots = [jobs.unpack_upload(make_zip({"안내.html": PAGE, "files/첨부.pdf": b"x"}), settings)
             for _ in range(jobs.KEEP_UPLOADS + 1)]
    assert (roots[-1] / "안내.html").is_file() and (roots[-1] / "files" / "첨부.pdf").is_file()
    assert not roots[0].exists()  # only the newest KEEP_UPLOADS are kept
    assert len(list((home.resolve() / "uploads").iterdir())) == jobs.KEEP_UPLOADS


@pytest.mark.unit
def test_a_worker_gone_after_a_cancel_request_counts_as_cancelled(home):
    settings = get_settings()
    write_running_job_of_a_dead_worker(settings, job_id="j2", full=True)
    assert jobs.cancel(settings)  # the worker is already gone: recorded here
    status = jobs.current_job(settings)
    assert status.state == "cancelled" and status.cancel_requested and status.summary_ko == jobs.CANCELLED_KO


@pytest.mark.unit
def test_a_zip_whose_names_clash_is_refused_in_korean(home):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.html", PAGE)
        zf.writestr("a.html/b.html", PAGE)
    with pytest.raises(jobs.UploadError, match="압축을 풀 수 없습니다"):
        jobs.unpack_upload(buf.getvalue(), get_settings())


@pytest.mark.unit
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.ENAMETOOLONG, errno.EACCES, errno.EIO])
def test_a_disk_error_while_unpacking_is_worded_as_the_ingest_words_it(home, monkeypatch, code):
    """One wording of disk errors (etl.problems): the admin reads the same words for a full disk whether
    an upload or an ingest run hit it."""
    error = (PermissionError if code == errno.EACCES else OSError)(code, os.strerror(code), str(home / "x" / "a.html"))

    def failing_open(path, mode="r", *args, **kwargs):
        if "w" in mode:
            raise error
        return open(path, mode, *args, **kwargs)

    monkeypatch.setattr(uploads, "open", failing_open, raising=False)
    with pytest.raises(jobs.UploadError) as raised:
        jobs.unpack_upload(make_zip({"a.html": PAGE}), get_settings())
    message = str(raised.value)
    assert message == f"서버에 압축을 풀 수 없습니다 (a.html): {file_problem(error, writing=True)}."
    assert str(home) not in message
    if code == errno.ENOSPC:
        assert file_problem(error, writing=True) == read_problem(error) == "디스크 공간이 부족합니다"


@pytest.mark.integration
def test_jobs_cli_shows_the_last_job_and_refuses_to_cancel_nothing(home):
    from typer.testing import CliRunner

    from backend.app.cli import app

    runner = CliRunner()
    assert "작업 기록이 없습니다" in runner.invoke(app, ["jobs", "status"]).output
    directory = jobs.jobs_dir(get_settings())
    directory.mkdir(parents=True)
    (directory / "current.json").write_text(json.dumps({
        "job_id": "j2", "kind": "ingest", "source": "/m", "full": True, "state": "done", "pid": None,
        "started_at": "2026-03-01T00:00:00+00:00", "updated_at": "2026-03-01T00:01:00+00:00",
        "done": 10, "total": 10, "summary_ko": "색인 완료 (전체 재색인): 페이지 10개",
    }), encoding="utf-8")
    status = runner.invoke(app, ["jobs", "status"])
    assert "재색인" in status.output and "10/10" in status.output and "색인 완료" in status.output
    assert json.loads(runner.invoke(app, ["jobs", "status", "--json"]).stdout)["state"] == "done"
    cancel = runner.invoke(app, ["jobs", "cancel"])
    assert cancel.exit_code == 2 and "진행 중인 작업이 없습니다" in cancel.output


@pytest.mark.integration
def test_a_finished_worker_is_reaped_even_if_nobody_looks(home, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    started = jobs.start_ingest(str(empty), full=False, settings=get_settings())
    proc = Path(f"/proc/{started.pid}")
    deadline = time.monotonic() + 60
    # Nobody calls current_job() (whose poll would reap it): the worker must still not stay a zombie.
    while proc.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not proc.exists(), (proc / "stat").read_text()
