"""The record of one ingest run, saved as JSON (one file per run) for the CLI and the admin page."""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from backend.files import atomic_write_json, utc_iso, utc_now

if TYPE_CHECKING:
    from backend.config import Settings

RunStatus = Literal["running", "ok", "failed"]
STATUS_LABELS: dict[str, str] = {"running": "진행 중", "ok": "완료", "failed": "실패"}




@dataclass
class RunRecord:
    """Counts, failures and timings of one ingest run."""

    run_id: str
    source: str
    full: bool
    started_at: str
    finished_at: str | None = None
    status: RunStatus = "running"
    error: str | None = None  # why the whole run failed (Korean where it is ours)
    pages_seen: int = 0
    pages_added: int = 0
    pages_changed: int = 0
    pages_unchanged: int = 0
    pages_removed: int = 0
    pages_failed: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)  # [{"page", "reason" (Korean)}]
    # Problems that do not stop a page being indexed: damaged characters replaced, an attachment not
    # copied (too large, a link out of the root, unreadable). Same shape as `failures`, Korean reasons.
    warnings: list[dict[str, str]] = field(default_factory=list)
    chunks_text: int = 0
    chunks_table: int = 0
    attachments_stored: int = 0
    embedded_texts: int = 0
    superseded_updated: int = 0  # documents whose flag changed without re-parsing
    documents_total: int = 0  # documents in the index after the run (0: the caller may fail the command)
    timings: dict[str, float] = field(default_factory=dict)  # parse_s, embed_s, index_s, store_s, total_s

    @classmethod
    def start(cls, source: str, full: bool) -> RunRecord:
        """A new record with a sortable id ("20260302T101500.123456Z-1a2b3c": sorts by time)."""
        now = utc_now()
        run_id = f"{now:%Y%m%dT%H%M%S.%f}Z-{secrets.token_hex(3)}"
        return cls(run_id=run_id, source=source, full=full, started_at=now.isoformat(timespec="seconds"))

    @property
    def mode(self) -> str:
        return "full" if self.full else "incremental"

    @property
    def status_label(self) -> str:
        """Korean label of the status ("완료" / "실패" / "진행 중")."""
        return STATUS_LABELS[self.status]

    @property
    def chunks_written(self) -> int:
        return self.chunks_text + self.chunks_table

    @property
    def nothing_indexed(self) -> bool:
        """True when the index holds no document after the run (the CLI exits non-zero)."""
        return self.documents_total == 0

    def add_failure(self, page: str, reason: str) -> None:
        self.pages_failed += 1
        self.failures.append({"page": page, "reason": reason})

    def add_warning(self, page: str, reason: str) -> None:
        """Note a problem on a page that does not stop it being indexed (`reason` in Korean); a page
        that fails for another reason keeps its warnings next to its failure."""
        self.warnings.append({"page": page, "reason": reason})

    def summary_ko(self) -> str:
        """One line for the CLI and the admin page."""
        total = self.timings.get("total_s")
        took = f", {total:.1f}초" if total is not None else ""
        if self.warnings:
            took = f", 경고 {len(self.warnings)}건{took}"
        return (
            f"색인 {self.status_label} ({'전체 재색인' if self.full else '증분'}): 페이지 {self.pages_seen}개 "
            f"(추가 {self.pages_added}, 변경 {self.pages_changed}, 유지 {self.pages_unchanged}, "
            f"삭제 {self.pages_removed}, 실패 {self.pages_failed}), 조각 {self.chunks_written}개 "
            f"(본문 {self.chunks_text}, 표 {self.chunks_table}), 첨부 {self.attachments_stored}개, "
            f"임베딩 {self.embedded_texts}건, 문서 {self.documents_total}개{took}"
        )

    def finish(self, status: RunStatus, error: str | None = None) -> None:
        self.status = status
        self.error = error
        self.finished_at = utc_iso()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict, with the derived mode, Korean status label and summary line."""
        d = asdict(self)
        d["mode"] = self.mode
        d["status_label"] = self.status_label
        d["summary"] = self.summary_ko()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RunRecord:
        """Inverse of `to_dict` (derived keys are ignored)."""
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})

    def save(self, runs_dir: Path) -> Path:
        """Write `<runs_dir>/<run_id>.json` atomically (a reader never sees half a file)."""
        path = runs_dir / f"{self.run_id}.json"
        atomic_write_json(path, self.to_dict())
        return path


def list_runs(settings: Settings, limit: int | None = None) -> list[RunRecord]:
    """Saved runs, newest first."""
    runs_dir = settings.runs_dir
    if not runs_dir.is_dir():
        return []
    paths = sorted((p for p in runs_dir.glob("*.json") if not p.name.startswith(".")), reverse=True)
    if limit is not None:
        paths = paths[:limit]
    return [RunRecord.from_dict(json.loads(p.read_text(encoding="utf-8"))) for p in paths]


def load_run(settings: Settings, run_id: str) -> RunRecord:
    """One saved run; `FileNotFoundError` if there is none with that id."""
    if "/" in run_id or "\\" in run_id or run_id.startswith("."):
        raise FileNotFoundError(run_id)
    path = settings.runs_dir / f"{run_id}.json"
    return RunRecord.from_dict(json.loads(path.read_text(encoding="utf-8")))
