"""The feedback dashboard's figures (backend.feedback.report): grouping, filters, worst answers, exports."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from backend.feedback import report as fb
from backend.feedback.base import FeedbackRecord

pytestmark = pytest.mark.unit


def rec(created_at: str, rating: int, *, category=None, mode="extractive", reason=None, comment=None, q="질문"):
    return FeedbackRecord(question=q, answer="답변 [1]", rating=rating, mode=mode, created_at=created_at,
                          category=category, reason=reason, comment=comment, cited_pages=("M006.html",),
                          retrieval={"backend": "embedded"})


RECORDS = [
    rec("2026-03-01T01:00:00.000+00:00", 1, category="인터넷"),
    rec("2026-03-01T02:00:00.000+00:00", 0, category="인터넷", reason="틀린 정보", comment="요금이 달라요"),
    # 23:30 UTC on 1 March is 08:30 on 2 March in Korea.
    rec("2026-03-01T23:30:00.000+00:00", 1, category="모바일", mode="llm"),
    rec("2026-03-02T05:00:00.000+00:00", 0, category=None, mode="llm"),
]


def test_satisfaction_by_day_counts_korean_days():
    rows = fb.satisfaction_by_day(RECORDS)
    assert [r["day"] for r in rows] == ["2026-03-01", "2026-03-02"]
    assert rows[0] == {"day": "2026-03-01", "ratings": 2, "thumbs_up": 1, "thumbs_down": 1, "satisfaction": 0.5}
    assert rows[1]["ratings"] == 2 and rows[1]["satisfaction"] == 0.5


def test_satisfaction_by_category_and_mode():
    by_cat = {r["group"]: r for r in fb.satisfaction_by(RECORDS, "category")}
    assert by_cat["인터넷"]["satisfaction"] == 0.5 and by_cat["모바일"]["satisfaction"] == 1.0
    assert by_cat[fb.NO_CATEGORY]["thumbs_down"] == 1
    by_mode = {r["group"]: r["satisfaction"] for r in fb.satisfaction_by(RECORDS, "mode")}
    assert by_mode == {"매뉴얼 발췌": 0.5, "LLM": 0.5}
    with pytest.raises(ValueError):
        fb.satisfaction_by(RECORDS, "agent")


def test_filters_and_summary():
    assert len(fb.filter_records(RECORDS, since=date(2026, 3, 2))) == 2
    assert [r.reason for r in fb.filter_records(RECORDS, reasons=["틀린 정보"])] == ["틀린 정보"]
    assert len(fb.filter_records(RECORDS, rating=0)) == 2
    assert len(fb.filter_records(RECORDS, category="인터")) == 2
    assert fb.summary(RECORDS) == {"ratings": 4, "thumbs_up": 2, "thumbs_down": 2, "satisfaction": 0.5}
    assert fb.summary([])["satisfaction"] is None
    assert fb.since_iso(date(2026, 3, 2)) == "2026-03-01T15:00:00.000+00:00"
    assert fb.reason_counts(RECORDS) == {"틀린 정보": 1, "(사유 없음)": 1}


def test_worst_answers_puts_explained_thumbs_down_first():
    worst = fb.worst_answers(RECORDS)
    assert [r.rating for r in worst] == [0, 0]
    assert worst[0].reason == "틀린 정보"  # explained, although older


def test_exports_keep_every_record_and_field():
    lines = fb.to_jsonl(RECORDS).decode("utf-8").splitlines()
    assert len(lines) == 4
    first = json.loads(lines[1])
    assert first["comment"] == "요금이 달라요" and first["cited_pages"] == ["M006.html"]
    assert FeedbackRecord.from_dict(first) == RECORDS[1]

    data = fb.to_csv(RECORDS)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel shows Korean
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 4 and rows[1]["reason"] == "틀린 정보" and rows[1]["cited_pages"] == "M006.html"
    assert json.loads(rows[0]["retrieval"]) == {"backend": "embedded"}
