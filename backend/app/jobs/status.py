"""The job status file `$SANGDAM_HOME/jobs/current.json`: written atomically under `jobs/lock` by the
launcher and the worker, read by the admin page and the CLI (so a browser refresh still shows the job)."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from backend.config import Settings
from backend.files import atomic_write_json, file_lock, utc_iso

log = logging.getLogger(__name__)

JobKind = Literal["ingest", "eval-answers"]
JobState = Literal["running", "done", "failed", "cancelled"]
STATE_LABELS: dict[str, str] = {"running": "진행 중", "done": "완료", "failed": "실패", "cancelled": "중단됨"}
KIND_LABELS: dict[str, str] = {"ingest": "재색인", "eval-answers": "답변 평가"}

DEAD_WORKER_KO = "작업 프로세스가 예기치 않게 끝났습니다"
CANCELLED_KO = "사용자가 중단했습니다. 기존 색인은 그대로 유지됩니다."

# Popen objects of the workers this process started: polling them reaps finished children (a zombie
# would otherwise look alive to `os.kill(pid, 0)`).
_CHILDREN: dict[int, subprocess.Popen] = {}
_CHILDREN_LOCK = threading.Lock()


class JobBusyError(RuntimeError):
    """A job is already running (the message is Korean, shown as is)."""


@dataclass
class JobStatus:
    """The state of the current (or last) job, as kept in `jobs/current.json`."""

    job_id: str
    kind: str  # JobKind
    source: str  # manuals folder / s3:// prefix, or the question set (eval)
    full: bool
    state: str  # JobState
    pid: int | None
    started_at: str
    updated_at: str
    done: int = 0
    total: int = 0
    failed: int = 0
    current: str = ""
    summary_ko: str | None = None
    error: str | None = None
    run_id: str | None = None  # the ingest RunRecord of this job (when it got that far)
    report: str | None = None  # the answer-evaluation report's path (eval jobs)
    finished_at: str | None = None
    log_path: str | None = None
    cancel_requested: bool = False  # set by `cancel`; a worker gone after it counts as cancelled

    @property
    def running(self) -> bool:
        """True while the worker is (recorded as) at work."""
        return self.state == "running"

    @property
    def state_label(self) -> str:
        """Korean label of the state ("진행 중" / "완료" / "실패" / "중단됨")."""
        return STATE_LABELS.get(self.state, self.state)

    @property
    def kind_label(self) -> str:
        """Korean name of the job ("재색인" / "답변 평가")."""
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def fraction(self) -> float:
        """Share of the work done, 0..1 (0 while the total is not known yet)."""
        return min(1.0, self.done / self.total) if self.total else 0.0

    def to_dict(self) -> dict[str, Any]:
        """The JSON object kept in the status file."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> JobStatus:
        """Inverse of `to_dict` (unknown keys are ignored)."""
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})


def jobs_dir(settings: Settings) -> Path:
    """`$SANGDAM_HOME/jobs`: the status file, its lock and the workers' logs."""
    return Path(settings.home).resolve() / "jobs"


def _status_path(directory: Path) -> Path:
    return directory / "current.json"


@contextlib.contextmanager
def _locked(directory: Path):
    """Hold `jobs/lock` (across processes): starting a job and every status write go through it."""
    with file_lock(directory / "lock"):
        yield


def _write_status(directory: Path, status: JobStatus) -> None:
    """Replace the status file atomically (a reader never sees half a file). Caller holds the lock."""
    atomic_write_json(_status_path(directory), status.to_dict())


def _read_status(directory: Path) -> JobStatus | None:
    try:
        data = json.loads(_status_path(directory).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("unreadable job status file: %s", exc)
        return None
    return JobStatus.from_dict(data)


def _pid_alive(pid: int | None) -> bool:
    """Whether `pid` is still our worker (reaps it if this process started it; a zombie or a reused pid
    that is not a `backend.app.jobs` process counts as dead)."""
    if not pid:
        return False
    with _CHILDREN_LOCK:
        proc = _CHILDREN.get(pid)
        if proc is not None:
            if proc.poll() is None:
                return True
            del _CHILDREN[pid]
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by another user
    proc_dir = Path("/proc") / str(pid)
    if proc_dir.is_dir():
        try:
            if ") Z" in (proc_dir / "stat").read_text():
                return False
            cmdline = (proc_dir / "cmdline").read_bytes()
        except OSError:
            return False
        return b"backend.app.jobs" in cmdline
    return True


def current_job(settings: Settings) -> JobStatus | None:
    """The running job, or the last one that ended (None before the first job). A job still marked
    "running" whose worker is gone is reported (and recorded) as failed."""
    directory = jobs_dir(settings)
    status = _read_status(directory)
    if status is None or not status.running or _pid_alive(status.pid):
        return status
    with _locked(directory):
        status = _read_status(directory)
        if status is not None and status.running and not _pid_alive(status.pid):
            if status.cancel_requested:
                status.state, status.summary_ko = "cancelled", CANCELLED_KO
            else:
                status.state = "failed"
                status.error = status.error or DEAD_WORKER_KO
                status.summary_ko = f"{status.kind_label} 실패: {DEAD_WORKER_KO}"
            status.updated_at = status.finished_at = utc_iso()
            _write_status(directory, status)
    return status


def _busy_message(status: JobStatus) -> str:
    return (
        f"이미 {status.kind_label} 작업이 진행 중입니다 ({status.done}/{status.total or '?'}). "
        "그 작업이 끝나거나 중단한 뒤 다시 시도하세요."
    )
