"""Long admin jobs (re-index, answer evaluation) in a detached worker process, never in a page's script run.

One job at a time. The worker (`python -m backend.jobs ...`) writes its state to
`$SANGDAM_HOME/jobs/current.json` (atomically: tmp file + `os.replace`, under `jobs/lock`), at most every
`PROGRESS_EVERY_S` while it runs; the admin page and the CLI only read that file, so a browser refresh
(or a restarted dashboard) still shows the job. `cancel` sends SIGTERM; the worker turns it into a
`KeyboardInterrupt`, the ingest pipeline aborts its index writer (the live index stays as it was) and
the job ends as "cancelled".

Uploaded zips of HTML manuals + attachments are unpacked with `unpack_upload` (no absolute paths, no
"..", no links, size and member caps; CP949 file names from Korean Windows decoded) and then indexed
like any folder.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import logging
import os
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from backend.config import Settings

log = logging.getLogger(__name__)

JobKind = Literal["ingest", "eval-answers"]
JobState = Literal["running", "done", "failed", "cancelled"]
STATE_LABELS: dict[str, str] = {"running": "진행 중", "done": "완료", "failed": "실패", "cancelled": "중단됨"}
KIND_LABELS: dict[str, str] = {"ingest": "재색인", "eval-answers": "답변 평가"}

PROGRESS_EVERY_S = 0.5
DEAD_WORKER_KO = "작업 프로세스가 예기치 않게 끝났습니다"
CANCELLED_KO = "사용자가 중단했습니다. 기존 색인은 그대로 유지됩니다."

# Upload limits: a manuals bundle is HTML + office files, far below these.
MAX_UPLOAD_BYTES = 2 * 1024**3  # total uncompressed size
MAX_UPLOAD_MEMBERS = 50_000
KEEP_UPLOADS = 3  # unpacked uploads kept on disk (the newest ones)

# Popen objects of the workers this process started: polling them reaps finished children (a zombie
# would otherwise look alive to `os.kill(pid, 0)`).
_CHILDREN: dict[int, subprocess.Popen] = {}
_CHILDREN_LOCK = threading.Lock()


class JobBusyError(RuntimeError):
    """A job is already running (the message is Korean, shown as is)."""


class UploadError(ValueError):
    """An uploaded zip that cannot be used (the message is Korean, shown as is)."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


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


# --------------------------------------------------------------------------- the status file

def jobs_dir(settings: Settings) -> Path:
    """`$SANGDAM_HOME/jobs`: the status file, its lock and the workers' logs."""
    return Path(settings.home).resolve() / "jobs"


def _status_path(directory: Path) -> Path:
    return directory / "current.json"


@contextlib.contextmanager
def _locked(directory: Path):
    """Hold `jobs/lock` (across processes): starting a job and every status write go through it."""
    directory.mkdir(parents=True, exist_ok=True)
    fd = os.open(directory / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the flock


def _write_status(directory: Path, status: JobStatus) -> None:
    """Replace the status file atomically (a reader never sees half a file). Caller holds the lock."""
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(status.to_dict(), f, ensure_ascii=False, indent=2)
        os.replace(tmp, _status_path(directory))
    finally:
        Path(tmp).unlink(missing_ok=True)


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
    that is not a `backend.jobs` process counts as dead)."""
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
        return b"backend.jobs" in cmdline
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
            status.updated_at = status.finished_at = _now()
            _write_status(directory, status)
    return status


def _busy_message(status: JobStatus) -> str:
    return (
        f"이미 {status.kind_label} 작업이 진행 중입니다 ({status.done}/{status.total or '?'}). "
        "그 작업이 끝나거나 중단한 뒤 다시 시도하세요."
    )


def _launch(settings: Settings, kind: str, source: str, full: bool, args: list[str]) -> JobStatus:
    directory = jobs_dir(settings)
    with _locked(directory):
        previous = _read_status(directory)
        if previous is not None and previous.running and _pid_alive(previous.pid):
            raise JobBusyError(_busy_message(previous))
        job_id = f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"
        log_path = directory / f"{job_id}.log"
        _prune_logs(directory)
        cmd = [sys.executable, "-m", "backend.jobs", kind, "--job-id", job_id, "--home", str(directory.parent), *args]
        with open(log_path, "ab") as log_file:
            proc = subprocess.Popen(  # noqa: S603 - our own module, arguments are ours
                cmd, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
            )
        with _CHILDREN_LOCK:
            _CHILDREN[proc.pid] = proc
        now = _now()
        status = JobStatus(
            job_id=job_id, kind=kind, source=source, full=full, state="running", pid=proc.pid,
            started_at=now, updated_at=now, log_path=str(log_path),
        )
        # Written before the lock is released; the worker's first write waits for the lock.
        _write_status(directory, status)
    return status


def _prune_logs(directory: Path, keep: int = 20) -> None:
    logs = sorted(directory.glob("*.log"))
    for old in logs[:-keep] if len(logs) > keep else []:
        old.unlink(missing_ok=True)


def _absolute_source(source: str) -> str:
    """A local folder as an absolute path (the worker may resolve paths differently); s3:// as is."""
    if "://" in source:
        return source
    return str(Path(source).expanduser().resolve())


def start_ingest(source: str, *, full: bool, settings: Settings) -> JobStatus:
    """Start re-indexing `source` (a folder or s3:// prefix) in a detached worker; returns its first
    status. Raises `JobBusyError` while another job runs. The worker reads the same settings
    (environment) as this process."""
    source = (source or "").strip()
    if not source:
        raise ValueError("매뉴얼 위치(폴더 또는 s3:// 주소)를 입력하세요.")
    source = _absolute_source(source)
    if "://" not in source and not Path(source).is_dir():
        raise ValueError(f"매뉴얼 폴더를 찾을 수 없습니다: {source}")
    args = ["--source", source] + (["--full"] if full else [])
    return _launch(settings, "ingest", source, full, args)


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
            status.updated_at = status.finished_at = _now()
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


# --------------------------------------------------------------------------- uploads

def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's real name: zips from Korean Windows store CP949 names without the UTF-8 flag, which
    `zipfile` decodes as CP437; macOS/Linux tools may write UTF-8 without the flag."""
    name = info.filename
    if info.flag_bits & 0x800:
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    for encoding in ("utf-8", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def _safe_parts(name: str) -> tuple[str, ...]:
    """The member's path parts, or UploadError for an absolute path or a ".." part."""
    posix = name.replace("\\", "/")
    if posix.startswith("/") or (len(posix) > 1 and posix[1] == ":"):
        raise UploadError(f"압축 파일에 절대 경로가 들어 있어 풀 수 없습니다: {name}")
    parts = tuple(p for p in PurePosixPath(posix).parts if p not in ("", "."))
    if any(p == ".." for p in parts):
        raise UploadError(f"압축 파일에 상위 폴더(..)를 가리키는 경로가 있어 풀 수 없습니다: {name}")
    return parts


def _is_link(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return stat.S_ISLNK(mode)


def _prune_uploads(uploads: Path, keep: int) -> None:
    entries = sorted(p for p in uploads.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in entries[:-keep] if keep and len(entries) > keep else []:
        shutil.rmtree(old, ignore_errors=True)


def unpack_upload(zip_bytes: bytes, settings: Settings) -> Path:
    """Unpack an uploaded zip of HTML manuals (+ attachments) into `$SANGDAM_HOME/uploads/<time>/` and
    return the manuals root (the single top folder when everything sits in one). Rejects absolute paths,
    ".." members, links, more than `MAX_UPLOAD_MEMBERS` members or `MAX_UPLOAD_BYTES` in all, and zips
    without HTML pages (`UploadError`, Korean). Older uploads beyond the newest `KEEP_UPLOADS` are removed."""
    try:
        archive = zipfile.ZipFile(BytesIO(zip_bytes))
    except zipfile.BadZipFile as exc:
        raise UploadError("올바른 zip 파일이 아닙니다.") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_UPLOAD_MEMBERS:
            raise UploadError(f"압축 파일 안의 항목이 너무 많습니다 ({len(infos)}개, 최대 {MAX_UPLOAD_MEMBERS}개).")
        members: list[tuple[zipfile.ZipInfo, tuple[str, ...]]] = []
        declared = 0
        for info in infos:
            name = _member_name(info)
            if _is_link(info):
                raise UploadError(f"압축 파일에 링크(심볼릭 링크)가 있어 풀 수 없습니다: {name}")
            parts = _safe_parts(name)
            if not parts or parts[0] == "__MACOSX" or info.is_dir():
                continue
            declared += info.file_size
            members.append((info, parts))
        if declared > MAX_UPLOAD_BYTES:
            raise UploadError(f"압축을 푼 크기가 너무 큽니다 (최대 {MAX_UPLOAD_BYTES // 1024**2} MB).")
        if not any(parts[-1].lower().endswith((".html", ".htm")) for _, parts in members):
            raise UploadError("압축 파일에 HTML 매뉴얼(.html, .htm)이 없습니다.")

        current = current_job(settings)
        if current is not None and current.running:
            raise JobBusyError(_busy_message(current))
        uploads = Path(settings.home).resolve() / "uploads"
        uploads.mkdir(parents=True, exist_ok=True)
        _prune_uploads(uploads, KEEP_UPLOADS - 1)
        target = uploads / f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S.%f}Z"
        building = uploads / f".{target.name}.part"
        building.mkdir()
        try:
            written = 0
            for info, parts in members:
                dest = building.joinpath(*parts)
                if not dest.resolve().is_relative_to(building.resolve()):  # belt and braces
                    raise UploadError(f"압축 파일의 경로가 올바르지 않습니다: {'/'.join(parts)}")
                dest.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as src, open(dest, "wb") as out:
                    while chunk := src.read(1024 * 1024):
                        written += len(chunk)  # the declared sizes can lie
                        if written > MAX_UPLOAD_BYTES:
                            raise UploadError(f"압축을 푼 크기가 너무 큽니다 (최대 {MAX_UPLOAD_BYTES // 1024**2} MB).")
                        out.write(chunk)
            os.rename(building, target)
        except OSError as exc:  # a file and a folder of the same name, a name too long, a full disk
            shutil.rmtree(building, ignore_errors=True)
            raise UploadError(f"압축을 풀 수 없습니다: {exc}") from exc
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
    entries = [p for p in target.iterdir() if not p.name.startswith(".")]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return target


def start_ingest_upload(zip_bytes: bytes, *, full: bool, settings: Settings) -> JobStatus:
    """`unpack_upload` then `start_ingest` on the unpacked folder."""
    return start_ingest(str(unpack_upload(zip_bytes, settings)), full=full, settings=settings)


# --------------------------------------------------------------------------- the worker

class _Reporter:
    """The worker's side of the status file: throttled progress writes, then the final state."""

    def __init__(self, directory: Path, job_id: str) -> None:
        self.directory = directory
        self.job_id = job_id
        self._last = 0.0
        with _locked(directory):
            status = _read_status(directory)
        if status is None or status.job_id != job_id:
            raise RuntimeError(f"job {job_id} has no status file in {directory}")
        self.status = status

    def _save(self) -> None:
        self.status.updated_at = _now()
        with _locked(self.directory):
            on_disk = _read_status(self.directory)
            if on_disk is not None and on_disk.job_id == self.job_id and on_disk.cancel_requested:
                self.status.cancel_requested = True  # keep `cancel`'s mark
            _write_status(self.directory, self.status)

    def progress(self, done: int, total: int, failed: int, current: str, *, force: bool = False) -> None:
        self.status.done, self.status.total, self.status.failed, self.status.current = done, total, failed, current
        now = time.monotonic()
        if force or done == total or now - self._last >= PROGRESS_EVERY_S:
            self._last = now
            self._save()

    def finish(self, state: str, summary: str | None, error: str | None = None, **extra: Any) -> None:
        self.status.state = state
        self.status.summary_ko = summary
        self.status.error = error
        for key, value in extra.items():
            setattr(self.status, key, value)
        self.status.finished_at = _now()
        self._save()


def _raise_interrupt(signum, frame) -> None:  # noqa: ARG001 - signal handler signature
    raise KeyboardInterrupt


def _latest_run_id(settings: Settings, since: str) -> str | None:
    from etl.run_record import list_runs

    runs = list_runs(settings, limit=1)
    return runs[0].run_id if runs and runs[0].started_at >= since else None


def _run_ingest(reporter: _Reporter, settings: Settings, source: str, full: bool) -> None:
    from backend.services import ingest_manuals

    started = reporter.status.started_at
    try:
        record = ingest_manuals(source, full=full, on_progress=reporter.progress, settings=settings)
    except KeyboardInterrupt:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        reporter.finish("cancelled", CANCELLED_KO, run_id=_latest_run_id(settings, started))
        return
    except Exception as exc:  # noqa: BLE001 - recorded for the admin page
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        log.exception("ingest job failed")
        reporter.finish("failed", f"재색인 실패: {exc}", error=str(exc), run_id=_latest_run_id(settings, started))
        return
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # too late to cancel: the new index is live
    reporter.progress(record.pages_seen, record.pages_seen, record.pages_failed, "", force=True)
    reporter.finish("done", record.summary_ko(), run_id=record.run_id)


def _run_eval_answers(reporter: _Reporter, settings: Settings, questions: str, use_llm: bool) -> None:
    from backend.evaluation import evaluate_answers, read_jsonl
    from backend.services import get_answerer

    try:
        rows = list(read_jsonl(questions))
        total = len(rows)
        reporter.progress(0, total, 0, "", force=True)
        answerer = get_answerer()
        state = {"done": 0}

        def answer_fn(question: str) -> dict[str, Any]:
            reporter.progress(state["done"], total, 0, question)
            result = answerer.answer(question, use_llm=use_llm).to_json()
            state["done"] += 1
            return result

        result = evaluate_answers(answer_fn, rows)
    except KeyboardInterrupt:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        reporter.finish("cancelled", "사용자가 답변 평가를 중단했습니다.")
        return
    except Exception as exc:  # noqa: BLE001 - recorded for the admin page
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        log.exception("answer evaluation job failed")
        reporter.finish("failed", f"답변 평가 실패: {exc}", error=str(exc))
        return
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    result["questions_file"] = questions
    result["finished_at"] = _now()
    reports = Path(settings.home).resolve() / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    path = reports / f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S.%f}Z.json"
    fd, tmp = tempfile.mkstemp(dir=reports, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(result, f, ensure_ascii=False, indent=2)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    overall = result["overall"]

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value * 100:.0f}%"

    summary = (
        f"답변 평가 완료: 질문 {overall['questions']}개, 사실 포함 {pct(overall['fact_coverage'])}, "
        f"인용 정밀도 {pct(overall['citation_precision'])}, 거절 정확 {pct(overall['refusal_correct'])}"
    )
    reporter.progress(total, total, 0, "", force=True)
    reporter.finish("done", summary, report=str(path))


def main(argv: list[str] | None = None) -> int:
    """The worker's entry point (`python -m backend.jobs ingest|eval-answers ...`)."""
    signal.signal(signal.SIGTERM, _raise_interrupt)  # first: a cancel from now on aborts cleanly
    parser = argparse.ArgumentParser(prog="python -m backend.jobs")
    parser.add_argument("kind", choices=["ingest", "eval-answers"])
    parser.add_argument("--job-id", required=True)
    parser.add_argument("--home", required=True)
    parser.add_argument("--source")
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--questions")
    parser.add_argument("--no-llm", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    directory = Path(args.home) / "jobs"
    try:
        reporter = _Reporter(directory, args.job_id)
    except KeyboardInterrupt:
        return 1  # cancelled before it began; cancel() records it once this process is gone
    try:
        from backend.config import get_settings

        settings = get_settings()
        if Path(settings.home).resolve() != Path(args.home).resolve():
            reporter.finish("failed", "작업 프로세스의 SANGDAM_HOME 설정이 화면과 다릅니다.",
                            error=f"{settings.home} != {args.home}")
            return 1
        if args.kind == "ingest":
            _run_ingest(reporter, settings, args.source, args.full)
        else:
            _run_eval_answers(reporter, settings, args.questions, not args.no_llm)
    except KeyboardInterrupt:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        reporter.finish("cancelled", CANCELLED_KO)
    return 0 if reporter.status.state in ("done", "cancelled") else 1


if __name__ == "__main__":
    sys.exit(main())
