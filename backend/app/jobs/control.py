"""Starting, cancelling and waiting for jobs: the side of the dashboard and the CLI."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from backend.app import audit
from backend.app.jobs.status import (
    _CHILDREN,
    _CHILDREN_LOCK,
    CANCELLED_KO,
    JobBusyError,
    JobStatus,
    _busy_message,
    _locked,
    _pid_alive,
    _read_status,
    _write_status,
    current_job,
    jobs_dir,
)
from backend.app.jobs.uploads import remove_upload, unpack_upload
from backend.config import Settings
from backend.files import utc_iso, utc_now


def _launch(settings: Settings, kind: str, source: str, full: bool, args: list[str]) -> JobStatus:
    directory = jobs_dir(settings)
    with _locked(directory):
        previous = _read_status(directory)
        if previous is not None and previous.running and _pid_alive(previous.pid):
            raise JobBusyError(_busy_message(previous))
        job_id = f"{utc_now():%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"
        log_path = directory / f"{job_id}.log"
        _prune_logs(directory)
        cmd = [sys.executable, "-m", "backend.app.jobs", kind, "--job-id", job_id, "--home", str(directory.parent), *args]
        with open(log_path, "ab") as log_file:
            proc = subprocess.Popen(  # noqa: S603 - our own module, arguments are ours
                cmd, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
            )
        with _CHILDREN_LOCK:
            _CHILDREN[proc.pid] = proc
        # Reaped as soon as it ends, whether or not anyone looks at the job again (no zombie is left).
        threading.Thread(target=_reap, args=(proc,), name=f"reap-job-{proc.pid}", daemon=True).start()
        now = utc_iso()
        status = JobStatus(
            job_id=job_id, kind=kind, source=source, full=full, state="running", pid=proc.pid,
            started_at=now, updated_at=now, log_path=str(log_path),
        )
        # Written before the lock is released; the worker's first write waits for the lock.
        _write_status(directory, status)
    return status


def _reap(proc: subprocess.Popen) -> None:
    proc.wait()
    with _CHILDREN_LOCK:
        _CHILDREN.pop(proc.pid, None)


def _prune_logs(directory: Path, keep: int = 20) -> None:
    logs = sorted(directory.glob("*.log"))
    for old in logs[:-keep] if len(logs) > keep else []:
        old.unlink(missing_ok=True)


def _absolute_source(source: str) -> str:
    """A local folder as an absolute path (the worker may resolve paths differently); s3:// as is."""
    if "://" in source:
        return source
    return str(Path(source).expanduser().resolve())


def start_ingest(source: str, *, full: bool, settings: Settings, user: str | None = None,
                 client: str | None = None) -> JobStatus:
    """Start re-indexing `source` (a folder or s3:// prefix) in a detached worker; returns its first
    status. Raises `JobBusyError` while another job runs. The worker reads the same settings
    (environment) as this process. The start is audited (reindex_started) as done by `user` from `client`."""
    source = (source or "").strip()
    if not source:
        raise ValueError("매뉴얼 위치(폴더 또는 s3:// 주소)를 입력하세요.")
    source = _absolute_source(source)
    if "://" not in source and not Path(source).is_dir():
        raise ValueError(f"매뉴얼 폴더를 찾을 수 없습니다: {source}")
    args = ["--source", source] + (["--full"] if full else [])
    status = _launch(settings, "ingest", source, full, args)
    audit.record("reindex_started", user, client, settings=settings, source=source, full=full, job_id=status.job_id)
    return status


def start_eval_answers(questions: str | Path, *, settings: Settings, use_llm: bool = True) -> JobStatus:
    """Start `eval answers` over the JSONL question set `questions` in a detached worker (the report is
    written to `$SANGDAM_HOME/reports/<time>.json`). Raises `JobBusyError` while another job runs."""
    path = Path(questions).expanduser().resolve()
    if not path.is_file():
        raise ValueError(f"질문 파일을 찾을 수 없습니다: {path}")
    args = ["--questions", str(path)] + ([] if use_llm else ["--no-llm"])
    return _launch(settings, "eval-answers", str(path), False, args)


def cancel(settings: Settings) -> bool:
    """Ask the running job to stop (SIGTERM); False when none is running. The worker records "cancelled"
    once the pipeline has aborted; a worker already gone is recorded as cancelled here."""
    directory = jobs_dir(settings)
    status = _read_status(directory)
    if status is None or not status.running:
        return False
    with _locked(directory):
        status = _read_status(directory)
        if status is None or not status.running:
            return False
        status.cancel_requested = True
        _write_status(directory, status)
    if _pid_alive(status.pid):
        try:
            os.kill(int(status.pid), signal.SIGTERM)  # type: ignore[arg-type]
            return True
        except ProcessLookupError:
            pass
    with _locked(directory):
        status = _read_status(directory)
        if status is not None and status.running and not _pid_alive(status.pid):
            status.state = "cancelled"
            status.summary_ko = CANCELLED_KO
            status.updated_at = status.finished_at = utc_iso()
            _write_status(directory, status)
    return True


def wait(settings: Settings, timeout_s: float = 600.0, poll_s: float = 0.2) -> JobStatus | None:
    """Poll until the current job is no longer running (or `timeout_s` passed); its last status."""
    deadline = time.monotonic() + timeout_s
    status = current_job(settings)
    while status is not None and status.running and time.monotonic() < deadline:
        time.sleep(poll_s)
        status = current_job(settings)
    return status


def list_reports(settings: Settings) -> list[Path]:
    """Answer-evaluation reports written by jobs, newest first."""
    directory = Path(settings.home) / "reports"
    if not directory.is_dir():
        return []
    return sorted((p for p in directory.glob("*.json") if not p.name.startswith(".")), reverse=True)


def start_ingest_upload(zip_bytes: bytes, *, full: bool, settings: Settings, user: str | None = None,
                        client: str | None = None) -> JobStatus:
    """`unpack_upload` then `start_ingest` on the unpacked folder, which the worker deletes when the job
    ends (see `backend.app.jobs.uploads`); a job that cannot start has it deleted here."""
    root = unpack_upload(zip_bytes, settings)
    try:
        return start_ingest(str(root), full=full, settings=settings, user=user, client=client)
    except BaseException:
        remove_upload(root, settings.home)
        raise
