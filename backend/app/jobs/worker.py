"""The worker process (`python -m backend.app.jobs ingest|eval-answers ...`): runs one job and reports
its progress to the status file. SIGTERM (a cancel) becomes `KeyboardInterrupt`, so the ingest pipeline
aborts its index writer and the live index stays as it was.

What it writes for the admin page (`summary_ko`, `error`) is one line without a traceback or a server
path (`etl.problems.public_error`); the traceback goes to the job's log. An ingest job whose source is
an unpacked upload (under `$SANGDAM_HOME/uploads`) deletes that folder when it ends, whatever the outcome
(see `backend.app.jobs.uploads`).
"""

from __future__ import annotations

import argparse
import logging
import signal
import time
from pathlib import Path
from typing import Any

from backend.app.jobs.status import CANCELLED_KO, _locked, _read_status, _write_status
from backend.app.jobs.uploads import remove_upload
from backend.config import Settings
from backend.files import atomic_write_json, utc_iso, utc_now
from etl.problems import public_error

log = logging.getLogger(__name__)

PROGRESS_EVERY_S = 0.5


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
        self.status.updated_at = utc_iso()
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
        self.status.finished_at = utc_iso()
        self._save()


def _raise_interrupt(signum, frame) -> None:  # noqa: ARG001 - signal handler signature
    raise KeyboardInterrupt


# The job bodies import the application (Kiwi, the embedder, the ETL) when they run, not at start-up: the
# SIGTERM handler is installed first, so a cancel arriving while those load still aborts cleanly.


def _latest_run_id(settings: Settings, since: str) -> str | None:
    from etl.run_record import list_runs

    runs = list_runs(settings, limit=1)
    return runs[0].run_id if runs and runs[0].started_at >= since else None


def _run_ingest(reporter: _Reporter, settings: Settings, source: str, full: bool) -> None:
    from backend.app.services import ingest_manuals

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
        reason = public_error(exc)  # shown on the admin page: one line, no traceback, no absolute path
        reporter.finish("failed", f"재색인 실패: {reason}", error=reason,
                        run_id=_latest_run_id(settings, started))
        return
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # too late to cancel: the new index is live
    reporter.progress(record.pages_seen, record.pages_seen, record.pages_failed, "", force=True)
    reporter.finish("done", record.summary_ko(), run_id=record.run_id)


def _run_eval_answers(reporter: _Reporter, settings: Settings, questions: str, use_llm: bool) -> None:
    from backend.app.evaluation import evaluate_answers, read_jsonl
    from backend.app.services import get_answerer

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
        reason = public_error(exc)
        reporter.finish("failed", f"답변 평가 실패: {reason}", error=reason)
        return
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    result["questions_file"] = questions
    result["finished_at"] = utc_iso()
    reports = Path(settings.home).resolve() / "reports"
    path = reports / f"{utc_now():%Y%m%dT%H%M%S.%f}Z.json"
    atomic_write_json(path, result)
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
    """The worker's entry point (`python -m backend.app.jobs ingest|eval-answers ...`)."""
    signal.signal(signal.SIGTERM, _raise_interrupt)  # first: a cancel from now on aborts cleanly
    parser = argparse.ArgumentParser(prog="python -m backend.app.jobs")
    parser.add_argument("kind", choices=["ingest", "eval-answers"])
    parser.add_argument("--job-id", required=True)
    parser.add_argument("--home", required=True)
    parser.add_argument("--source")
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--questions")
    parser.add_argument("--no-llm", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return _work(args)
    finally:
        if args.kind == "ingest" and args.source:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a late cancel must not cut the clean-up short
            if remove_upload(args.source, args.home):  # only ever a folder under $SANGDAM_HOME/uploads
                log.info("removed the unpacked upload of %s", args.source)


def _work(args: argparse.Namespace) -> int:
    """Run the job `args` describe, reporting to its status file; the exit code."""
    directory = Path(args.home) / "jobs"
    try:
        reporter = _Reporter(directory, args.job_id)
    except KeyboardInterrupt:
        return 1  # cancelled before it began; cancel() records it once this process is gone
    try:
        from backend.config import get_settings

        settings = get_settings()
        if Path(settings.home).resolve() != Path(args.home).resolve():
            log.error("SANGDAM_HOME differs: worker %s, dashboard %s", settings.home, args.home)
            reporter.finish("failed", "작업 프로세스의 SANGDAM_HOME 설정이 화면과 다릅니다.",
                            error="작업 프로세스의 SANGDAM_HOME 설정이 화면과 다릅니다 (두 경로는 작업 로그에 있습니다).")
            return 1
        if args.kind == "ingest":
            _run_ingest(reporter, settings, args.source, args.full)
        else:
            _run_eval_answers(reporter, settings, args.questions, not args.no_llm)
    except KeyboardInterrupt:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        reporter.finish("cancelled", CANCELLED_KO)
    return 0 if reporter.status.state in ("done", "cancelled") else 1
