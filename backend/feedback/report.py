"""The feedback dashboard's figures: satisfaction (share of thumbs up) over time and by category or mode,
the thumbs-down answers, and CSV / JSONL exports (the seed of the fine-tuning and evaluation sets).

Pure functions over `FeedbackRecord`s, so the admin page only renders what they return.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta, timezone
from typing import Any

from backend.feedback.base import FeedbackRecord
from backend.text.spreadsheet import formula_safe

# Days are counted in Korean time: the call center's working day.
KST = timezone(timedelta(hours=9))
NO_CATEGORY = "(분류 없음)"
MODE_LABELS = {"llm": "LLM", "extractive": "매뉴얼 발췌", "search": "검색만"}

CSV_COLUMNS = (
    "feedback_id", "created_at", "rating", "reason", "comment", "question", "answer", "mode", "model",
    "category", "agent_id", "cited_pages", "cited_chunk_ids", "retrieval",
)


def _parse(ts: str) -> datetime:
    dt = datetime.fromisoformat(ts.replace("Z", "+00:00"))
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def local_day(record: FeedbackRecord, tz: timezone = KST) -> date:
    """The calendar day (Korean time by default) on which `record` was saved."""
    return _parse(record.created_at).astimezone(tz).date()


def since_iso(day: date, tz: timezone = KST) -> str:
    """The start of `day` (Korean time by default) as the UTC ISO time `FeedbackStore.list(since=...)` takes."""
    start = datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(timezone.utc)
    return start.isoformat(timespec="milliseconds")


def filter_records(
    records: Iterable[FeedbackRecord],
    *,
    since: date | None = None,
    rating: int | None = None,
    reasons: Iterable[str] | None = None,
    category: str | None = None,
    tz: timezone = KST,
) -> list[FeedbackRecord]:
    """Records saved on or after `since` (a local day), with `rating` (0/1), one of `reasons` (empty or
    None: any) and, when given, whose category contains `category`."""
    wanted = set(reasons or ())
    out = []
    for r in records:
        if since is not None and local_day(r, tz) < since:
            continue
        if rating is not None and r.rating != rating:
            continue
        if wanted and r.reason not in wanted:
            continue
        if category and category not in (r.category or ""):
            continue
        out.append(r)
    return out


def _group(records: Iterable[FeedbackRecord], key: Callable[[FeedbackRecord], str]) -> list[dict[str, Any]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # key -> [ratings, thumbs up]
    for r in records:
        c = counts[key(r)]
        c[0] += 1
        c[1] += r.rating
    return [
        {"key": k, "ratings": n, "thumbs_up": up, "thumbs_down": n - up, "satisfaction": round(up / n, 4)}
        for k, (n, up) in counts.items()
    ]


def satisfaction_by_day(records: Iterable[FeedbackRecord], tz: timezone = KST) -> list[dict[str, Any]]:
    """One row per local day with ratings, oldest first: {"day" (YYYY-MM-DD), "ratings", "thumbs_up",
    "thumbs_down", "satisfaction" (0..1)}."""
    rows = _group(records, lambda r: local_day(r, tz).isoformat())
    for row in rows:
        row["day"] = row.pop("key")
    return sorted(rows, key=lambda row: row["day"])


def satisfaction_by(records: Iterable[FeedbackRecord], field: str) -> list[dict[str, Any]]:
    """Satisfaction grouped by "category" (missing: "(분류 없음)") or "mode" (Korean labels); rows
    {"group", "ratings", "thumbs_up", "thumbs_down", "satisfaction"}, most ratings first."""
    if field == "category":
        def key(r: FeedbackRecord) -> str:
            return r.category or NO_CATEGORY
    elif field == "mode":
        def key(r: FeedbackRecord) -> str:
            return MODE_LABELS.get(r.mode, r.mode)
    else:
        raise ValueError(f"unknown grouping: {field}")
    rows = _group(records, key)
    for row in rows:
        row["group"] = row.pop("key")
    return sorted(rows, key=lambda row: (-row["ratings"], row["group"]))


def reason_counts(records: Iterable[FeedbackRecord]) -> dict[str, int]:
    """How often each reason was given with a thumbs down (no reason: "(사유 없음)")."""
    counts: dict[str, int] = defaultdict(int)
    for r in records:
        if r.rating == 0:
            counts[r.reason or "(사유 없음)"] += 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def summary(records: Iterable[FeedbackRecord]) -> dict[str, Any]:
    """Totals: {"ratings", "thumbs_up", "thumbs_down", "satisfaction" (None without ratings)}."""
    records = list(records)
    up = sum(r.rating for r in records)
    return {
        "ratings": len(records),
        "thumbs_up": up,
        "thumbs_down": len(records) - up,
        "satisfaction": round(up / len(records), 4) if records else None,
    }


def worst_answers(records: Iterable[FeedbackRecord], limit: int = 20) -> list[FeedbackRecord]:
    """Thumbs-down ratings, those with a reason or comment first (the most telling), then newest first."""
    down = [r for r in records if r.rating == 0]
    down.sort(key=lambda r: r.created_at, reverse=True)
    down.sort(key=lambda r: not (r.reason or r.comment))  # stable: keeps newest first within each group
    return down[:limit]


def to_jsonl(records: Iterable[FeedbackRecord]) -> bytes:
    """One JSON object per record (UTF-8), every field kept: the start of fine-tuning / evaluation sets.
    Personal data is masked: a `FeedbackRecord` masks itself, those read back from old stores included."""
    return "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def to_csv(records: Iterable[FeedbackRecord]) -> bytes:
    """A CSV with a header row (UTF-8 with BOM so that Excel shows Korean); lists joined by " | ",
    the retrieval settings as JSON. Personal data is masked (as in `to_jsonl`), and every text cell a
    spreadsheet could run as a formula ("=HYPERLINK(…)", "+cmd|…", "@SUM(…)") starts with a quote."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    for r in records:
        d = r.to_dict()
        d["cited_pages"] = " | ".join(r.cited_pages)
        d["cited_chunk_ids"] = " | ".join(r.cited_chunk_ids)
        d["retrieval"] = json.dumps(r.retrieval, ensure_ascii=False, sort_keys=True)
        writer.writerow([formula_safe("" if d.get(c) is None else d[c]) for c in CSV_COLUMNS])
    return buf.getvalue().encode("utf-8-sig")
