"""`backend.app.evaluation`: retrieval figures (out-of-scope questions skipped) and answer figures, scored
from fake searchers and fake answer functions (our own logic; no index, no model)."""

from __future__ import annotations

import json

import pytest

from backend.app.evaluation import (
    attachment_linked,
    citation_precision,
    evaluate_answers,
    evaluate_retrieval,
    fact_coverage,
    first_line_facts,
    format_answer_table,
    format_retrieval_table,
    korean_ratio,
    read_jsonl,
)
from backend.models import Chunk, Hit

pytestmark = pytest.mark.unit


def hit(page: str, text: str, score: float = 1.0) -> Hit:
    doc_id = page.rsplit(".", 1)[0]
    return Hit(Chunk(chunk_id=f"{doc_id}#0", doc_id=doc_id, chunk_no=0, page=page, title=doc_id, kind="text", text=text), score)


class FakeSearcher:
    def __init__(self, results: dict[str, list[Hit]]) -> None:
        self.results = results
        self.asked: list[str] = []

    def search(self, query, k=5, filters=None):
        self.asked.append(query)
        return self.results[query]


def answer(text: str, *, pages: tuple[str, ...] = (), refused: bool = False, mode: str = "extractive",
           attachments: tuple[str, ...] = (), total: float = 100.0) -> dict:
    return {
        "answer": text,
        "mode": mode,
        "refused": refused,
        "citations": [{"n": i, "doc_id": p[:-5], "page": p, "title": p, "url": f"file:///m/{p}"} for i, p in enumerate(pages, 1)],
        "attachments": [{"name": a.rsplit("/", 1)[-1], "url": a} for a in attachments],
        "timings_ms": {"retrieve": 50.0, "generate": total - 50.0, "total": total},
        "warnings": [],
    }


ROWS = [
    {"id": "Q1", "category": "프로세스", "question": "장비 반납 기한", "gold_docs": ["M017.html"],
     "answer_facts": ["14일 이내"], "attachment": "files/해지 신청서.pdf", "out_of_scope": False},
    {"id": "Q2", "category": "비교", "question": "요금 차이", "gold_docs": ["M001.html", "M002.html"],
     "answer_facts": ["38,500원", "49,500원"], "attachment": None, "out_of_scope": False},
    {"id": "Q3", "category": "비교", "question": "답 없는 사실", "gold_docs": ["M003.html"], "answer_facts": [],
     "attachment": None, "out_of_scope": False},
    {"id": "Q4", "category": "프로세스", "question": "점심 메뉴", "gold_docs": [], "answer_facts": [],
     "attachment": None, "out_of_scope": True},
    {"id": "Q5", "category": "비교", "question": "주가", "gold_docs": [], "answer_facts": [],
     "attachment": None, "out_of_scope": True},
]
ANSWERS = {
    "장비 반납 기한": answer("매뉴얼 발췌입니다.\n- 해지일로부터  14일\n이내 반납 [1]", pages=("M017.html",),
                          attachments=("/files/%ED%95%B4%EC%A7%80%20%EC%8B%A0%EC%B2%AD%EC%84%9C.pdf?X-Amz-Expires=900",),
                          total=80.0),
    "요금 차이": answer("1G 3년 약정은 38,500원입니다. [1] [2]", pages=("M001.html", "M077.html"), total=120.0),
    "답 없는 사실": answer("The manual does not say.", total=90.0),
    "점심 메뉴": answer("매뉴얼에서 확인되지 않습니다. 가장 가까운 내용:\n- 메뉴 [1]", pages=("M050.html",), refused=True,
                     total=60.0),
    "주가": answer("매뉴얼 발췌입니다.\n- 한빛텔레콤 [1]", pages=("M090.html",), total=300.0),
}


def test_retrieval_skips_out_of_scope_questions():
    searcher = FakeSearcher({
        "장비 반납 기한": [hit("M017.html", "해지일로부터 14일 이내 반납")],
        "요금 차이": [hit("M009.html", "무관"), hit("M001.html", "38,500원 49,500원")],
        "답 없는 사실": [hit("M003.html", "내용")],
    })
    result = evaluate_retrieval(searcher, ROWS, k=5)
    assert searcher.asked == ["장비 반납 기한", "요금 차이", "답 없는 사실"]
    assert result["skipped_out_of_scope"] == 2 and result["overall"]["questions"] == 3
    assert result["overall"]["hit@1"] == pytest.approx(2 / 3, abs=1e-4)
    assert result["overall"]["mrr@10"] == pytest.approx((1 + 0.5 + 1) / 3, abs=1e-4)
    assert result["overall"]["fact_recall@5"] == 1.0  # Q3 has no facts: left out
    assert "Hit@1" in format_retrieval_table(result)


def test_per_question_answer_figures():
    result = evaluate_answers(lambda q: ANSWERS[q], ROWS)
    by_id = {r["id"]: r for r in result["questions"]}

    q1 = by_id["Q1"]  # facts across a line break still count; attachment URL decoded, query ignored
    assert q1["fact_coverage"] == 1.0 and q1["citation_precision"] == 1.0 and q1["attachment_linked"] is True
    assert q1["refusal_correct"] and not q1["non_korean"]

    assert q1["first_line_facts"] is False  # the fact is on line 2, under the intro line
    assert q1["answer_chars"] == len(ANSWERS["장비 반납 기한"]["answer"])

    q2 = by_id["Q2"]  # one of two facts, one of two cited pages is gold
    assert q2["fact_coverage"] == 0.5 and q2["citation_precision"] == 0.5 and q2["attachment_linked"] is None
    assert q2["first_line_facts"] is False  # one of its two facts only

    q3 = by_id["Q3"]  # no facts to check, no citation, English
    assert q3["fact_coverage"] is None and q3["citation_precision"] == 0.0
    assert q3["korean_ratio"] == 0.0 and q3["non_korean"]

    q4 = by_id["Q4"]  # out of scope and refused: correct; its "closest" citations are not judged
    assert q4["refusal_correct"] and q4["citation_precision"] is None and q4["fact_coverage"] is None
    assert q4["first_line_facts"] is None

    q5 = by_id["Q5"]  # out of scope but answered
    assert not q5["refusal_correct"]
    for r in result["questions"]:
        assert r["human_accuracy"] is None and r["human_detail"] is None


def test_overall_and_category_figures():
    result = evaluate_answers(lambda q: ANSWERS[q], ROWS)
    overall = result["overall"]
    assert overall["questions"] == 5 and overall["in_scope"] == 3 and overall["out_of_scope"] == 2
    assert overall["fact_coverage"] == 0.75  # Q1 1.0 and Q2 0.5; Q3 has no facts
    assert overall["citation_precision"] == pytest.approx(0.5)  # Q1 1.0, Q2 0.5, Q3 0.0
    assert overall["attachment_linked"] == 1.0
    assert overall["non_korean"] == 1
    assert overall["refusal_correct"] == 0.8
    assert overall["refused_in_scope"] == 0 and overall["answered_out_of_scope"] == 1
    assert overall["first_line_fact_rate"] == 0.0  # Q1 and Q2 judged, neither whole on line 1
    assert overall["refusal_precision"] == 1.0 and overall["refusal_recall"] == 0.5  # Q4 refused right; Q5 not
    lengths = sorted(len(a["answer"]) for a in ANSWERS.values())
    assert overall["median_answer_chars"] == lengths[2]
    assert overall["llm_answers"] == 0
    assert overall["latency_ms"] == {"p50": 90.0, "p95": 300.0}
    assert set(result["by_category"]) == {"프로세스", "비교"}
    assert result["by_category"]["프로세스"]["fact_coverage"] == 1.0
    assert result["by_category"]["비교"]["attachment_linked"] is None
    json.dumps(result, ensure_ascii=False)  # the --report file


def test_answer_table_has_korean_headers_and_lists_the_misses():
    table = format_answer_table(evaluate_answers(lambda q: ANSWERS[q], ROWS))
    assert "사실포함" in table and "인용정밀도" in table and "거절정확" in table
    assert "전체" in table and "프로세스" in table and "비교" in table
    assert "놓친 질문" in table
    assert "Q2" in table and "Q3" in table and "Q5" in table and "(범위 밖)" in table
    assert "  Q1 " not in table and "  Q4 " not in table


def test_no_rows_give_empty_figures():
    result = evaluate_answers(lambda q: ANSWERS[q], [])
    assert result["overall"]["questions"] == 0 and result["overall"]["fact_coverage"] is None
    assert result["overall"]["latency_ms"] == {"p50": 0.0, "p95": 0.0}
    assert result["overall"]["median_answer_chars"] is None and result["overall"]["refusal_precision"] is None
    assert "전체" in format_answer_table(result)


def test_korean_ratio_ignores_citation_marks_and_counts_latin_letters():
    assert korean_ratio("요금은 5G 기준입니다 [1] [2, 3]") == pytest.approx(8 / 9)  # 8 Hangul + "G"
    assert korean_ratio("[1]") == 1.0
    assert korean_ratio("It is 38,500원.") < 0.5


def test_first_line_facts_read_the_first_non_blank_line_only():
    text = "\n기가인터넷 1G(3년 약정): 월 38,500원 [1]\n- 설치비 27,500원 [1]"
    assert first_line_facts(["38,500원"], text) is True
    assert first_line_facts(["38,500원", "27,500원"], text) is False
    assert first_line_facts([], text) is None


def test_fact_coverage_folds_whitespace():
    assert fact_coverage(["월 5,200원", "3분당 39원"], "기본료: 월   5,200원\n통화료: 3분당\n39원") == 1.0
    assert fact_coverage(["5,200원"], "5200원") == 0.0
    assert fact_coverage([], "아무 말") is None


def test_citation_precision_cases():
    gold = ["M001.html"]
    assert citation_precision(answer("x", pages=("M001.html", "M001.html")), gold, out_of_scope=False) == 1.0
    assert citation_precision(answer("x"), gold, out_of_scope=False) == 0.0
    assert citation_precision(answer("x", pages=("M009.html",), refused=True), gold, out_of_scope=False) is None
    assert citation_precision(answer("x", pages=("M009.html",)), [], out_of_scope=True) is None


def test_attachment_linked_matches_the_decoded_path():
    ans = answer("x", attachments=("https://bucket.s3/manuals/files/%EC%9D%B4%EC%82%AC%EC%8B%A0%EC%B2%AD%EC%84%9C.pdf?sig=1",))
    assert attachment_linked(ans, "files/이사신청서.pdf") is True
    assert attachment_linked(ans, "files/위임장.hwp") is False
    assert attachment_linked(ans, None) is None


def test_the_sample_question_set_reads_with_its_out_of_scope_questions():
    from pathlib import Path

    rows = list(read_jsonl(Path(__file__).resolve().parents[3] / "etl" / "samples" / "questions.jsonl"))
    out = [r for r in rows if r["out_of_scope"]]
    assert len(out) >= 6 and all(r["gold_docs"] == [] and r["answer_facts"] == [] for r in out)
    assert all(r["out_of_scope"] is False for r in rows if r not in out)
