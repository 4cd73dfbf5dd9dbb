from __future__ import annotations

import json

import pytest

from backend.config import Settings
from etl.run_record import RunRecord, list_runs, load_run

pytestmark = pytest.mark.unit


def test_saved_atomically_and_listed_newest_first(tmp_path):
    settings = Settings(home=tmp_path)
    first = RunRecord.start("etl/samples/manuals", full=False)
    first.pages_seen, first.pages_added, first.documents_total = 3, 2, 2
    first.add_failure("M009.html", "본문을 찾을 수 없습니다")
    first.timings["total_s"] = 1.25
    first.finish("ok")
    path = first.save(settings.runs_dir)
    second = RunRecord.start("s3://b/p/", full=True)
    second.finish("failed", "색인 작업이 실패했습니다")
    second.save(settings.runs_dir)

    assert [p.name for p in settings.runs_dir.iterdir()] and not list(settings.runs_dir.glob(".tmp-*"))
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["status_label"] == "완료" and data["mode"] == "incremental"
    assert data["failures"] == [{"page": "M009.html", "reason": "본문을 찾을 수 없습니다"}]
    assert data["pages_failed"] == 1 and not first.nothing_indexed
    assert first.summary_ko() == ("색인 완료 (증분): 페이지 3개 (추가 2, 변경 0, 유지 0, 삭제 0, 실패 1), 조각 0개 "
                                  "(본문 0, 표 0), 첨부 0개, 임베딩 0건, 문서 2개, 1.2초")

    runs = list_runs(settings)
    assert [r.run_id for r in runs] == [second.run_id, first.run_id]
    assert runs[0].status_label == "실패" and runs[0].full and runs[0].nothing_indexed
    assert load_run(settings, first.run_id) == first
    with pytest.raises(FileNotFoundError):
        load_run(settings, "../../etc/passwd")


def test_no_runs_yet(tmp_path):
    assert list_runs(Settings(home=tmp_path)) == []
