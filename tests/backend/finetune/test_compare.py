"""The comparison's own logic: hallucinated figures, per-column scoring with its extra figures, the closed-book
prompt and the reviewer sheet (the four real columns run in the benchmark against vLLM)."""

from __future__ import annotations

import csv

import pytest

from backend.app.compare import compare, format_compare_table, hallucinated_figures, reviewer_sheet
from backend.generate.prompt import CLOSED_BOOK_SYSTEM_KO, closed_book_prompt

pytestmark = pytest.mark.unit

ROWS = [
    {"id": "Q1", "category": "조건탐색", "question": "기가라이트 월 요금?", "answer_facts": ["33,000원"], "gold_docs": ["M1.html"]},
    {"id": "Q2", "category": "비교", "question": "넷플릭스 결합?", "answer_facts": [], "gold_docs": [], "out_of_scope": True},
]


def test_a_figure_is_hallucinated_when_no_source_holds_it():
    assert hallucinated_figures("월 33,000원이고 3년 약정입니다 [1]", ["월 요금: 33, 000원", "약정 2년"]) == ["3년"]
    assert hallucinated_figures("월 33,000원 [1]", ["33,000원"]) == []


def _fn(answers):
    def answer(question):
        text, pages, refused = answers[question]
        return {"answer": text, "mode": "llm", "refused": refused, "citations": [{"page": p} for p in pages],
                "timings_ms": {"total": 10.0}, "warnings": [], "hallucinated": hallucinated_figures(text, ["33,000원"])}
    return answer


def test_each_column_is_scored_with_hallucinations_by_category(tmp_path):
    good = _fn({"기가라이트 월 요금?": ("월 33,000원입니다 [1]", ["M1.html"], False),
                "넷플릭스 결합?": ("매뉴얼에서 확인되지 않습니다.", [], True)})
    bad = _fn({"기가라이트 월 요금?": ("월 39,000원입니다", [], False), "넷플릭스 결합?": ("=가능합니다", [], False)})
    report = compare(ROWS, {"PEFT+RAG": good, "PEFT": bad}, workers=2)
    g, b = report["columns"]["PEFT+RAG"]["overall"], report["columns"]["PEFT"]["overall"]
    assert (g["fact_coverage"], g["citation_precision"], g["refusal_correct"], g["hallucinated_figures"]) == (1.0, 1.0, 1.0, 0)
    assert (b["fact_coverage"], b["refusal_correct"], b["hallucinated_figures"], b["answers_with_hallucination"]) == (0.0, 0.5, 1, 0.5)
    assert report["columns"]["PEFT"]["by_category"]["조건탐색"]["hallucinated_figures"] == 1
    table = format_compare_table(report)
    assert "사실 포함률 | 1.000 | 0.000" in table and "조건탐색 사실 포함률" in table
    with open(reviewer_sheet(report, tmp_path / "sheet.csv"), encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 4 and {r["column"] for r in rows} == {"PEFT+RAG", "PEFT"}
    assert "'=가능합니다" in {r["answer"] for r in rows}  # never a live formula in a spreadsheet


def test_the_closed_book_prompt_has_no_passage():
    prompt = closed_book_prompt(" 기가라이트 월 요금? ")
    assert prompt.passages == () and prompt.system == CLOSED_BOOK_SYSTEM_KO
    assert prompt.user == "[질문]\n기가라이트 월 요금?" and "매뉴얼 발췌" not in prompt.user
