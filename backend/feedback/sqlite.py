"""`SqliteFeedbackStore`: ratings in one SQLite file (WAL journal, so readers never block the writer and
concurrent writers queue on SQLite's lock instead of losing a row). The file holds what agents typed, so it
is readable by its owner only (0600), and so are its -wal and -shm files (SQLite gives them the database
file's mode)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from backend.feedback.base import FeedbackRecord
from backend.files import make_private

BUSY_TIMEOUT_S = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    feedback_id TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    rating      INTEGER NOT NULL,
    record      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_created ON feedback (created_at);
"""


class SqliteFeedbackStore:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Created 0600 before SQLite makes it a database (SQLite would follow the umask, often 0644); one made
        # before this rule, and its -wal / -shm files, are changed to 0600.
        make_private(self.path)
        for journal in ("-wal", "-shm"):
            make_private(self.path.with_name(self.path.name + journal), create=False)
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        # One connection per call: sqlite3 connections must not be shared across threads.
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        return conn

    def save(self, record: FeedbackRecord) -> None:
        payload = json.dumps(record.to_dict(), ensure_ascii=False)
        conn = self._connect()
        try:
            with conn:
                conn.execute(
                    "INSERT INTO feedback (feedback_id, created_at, rating, record) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(feedback_id) DO UPDATE SET created_at=excluded.created_at, "
                    "rating=excluded.rating, record=excluded.record",
                    (record.feedback_id, record.created_at, record.rating, payload),
                )
        finally:
            conn.close()

    def get(self, feedback_id: str) -> FeedbackRecord | None:
        conn = self._connect()
        try:
            row = conn.execute("SELECT record FROM feedback WHERE feedback_id = ?", (feedback_id,)).fetchone()
        finally:
            conn.close()
        return FeedbackRecord.from_dict(json.loads(row[0])) if row else None

    def list(self, *, since: str | None = None, rating: int | None = None, limit: int | None = None) -> list[FeedbackRecord]:
        sql, args = "SELECT record FROM feedback WHERE 1=1", []
        if since is not None:
            sql += " AND created_at >= ?"
            args.append(since)
        if rating is not None:
            sql += " AND rating = ?"
            args.append(int(rating))
        sql += " ORDER BY created_at DESC, feedback_id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(int(limit))
        conn = self._connect()
        try:
            rows = conn.execute(sql, args).fetchall()
        finally:
            conn.close()
        return [FeedbackRecord.from_dict(json.loads(r[0])) for r in rows]

    def count(self) -> int:
        conn = self._connect()
        try:
            return int(conn.execute("SELECT COUNT(*) FROM feedback").fetchone()[0])
        finally:
            conn.close()

