"""`sangdam eval compare`: the proof of concept's experiment — each question through
(a) the base model with retrieval (RAG), (b) the LoRA adapter alone, closed book (PEFT), (c) the adapter with
retrieval (RAG+PEFT) and (d) the extractive answer — scored with the answer metrics of `evaluation` (fact
coverage, citation precision, refusals, Korean ratio, latency) plus hallucinated figures, by category.

The LLM columns take the model's first answer as it is: no extractive fallback and no Korean-only retry, so a
failure counts against the model instead of being hidden. Accuracy and detail (0/1/2, the proof of concept's
scale) come from a judge LLM when one is configured (`SANGDAM_JUDGE_*`: `judge_accuracy`, `judge_detail`), and
from people in any case: the report's questions carry empty `human_accuracy` / `human_detail`, and
`reviewer_sheet` writes them as a CSV.
"""

from __future__ import annotations

import csv
import json
import re
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from backend.app.answer import Answerer
from backend.app.evaluation import evaluate_answers
from backend.files import make_private
from backend.generate.base import GenerationError
from backend.generate.checks import check_citations, figures_in
from backend.generate.prompt import Prompt, closed_book_prompt
from backend.generate.vllm import VllmGenerator
from backend.text.normalize import squash
from backend.text.spreadsheet import formula_safe

JUDGE_SYSTEM_KO = (
    "당신은 통신사 콜센터 상담 답변을 채점합니다. 질문, 정답에 꼭 있어야 할 사실(없으면 매뉴얼에 답이 없는 질문), "
    "채점할 답변을 보고 두 점수를 매기세요. accuracy: 2 = 사실이 모두 맞음(답이 없는 질문은 모른다고 답함), "
    "1 = 일부만 맞거나 불필요한 오류가 섞임, 0 = 틀리거나 지어냄. detail: 2 = 상담사가 그대로 안내할 만큼 충분함, "
    "1 = 부족함, 0 = 쓸모없음. JSON 한 줄로만 답하세요: {\"accuracy\": 0, \"detail\": 0}"
)
_SCORES = re.compile(r"\{[^{}]*\}")
AnswerFn = Callable[[str], dict[str, Any]]


def hallucinated_figures(text: str, sources: Iterable[str]) -> list[str]:
    """Figures of the answer (amounts, periods, counts) found in none of `sources`, spacing ignored."""
    haystack = squash("\n".join(sources))
    return [f for f in figures_in(text) if squash(f) not in haystack]


def rag_answer_fn(llm: VllmGenerator, answerer: Answerer) -> AnswerFn:
    """The answerer's passages, then the model's first answer, nothing else."""

    def answer(question: str) -> dict[str, Any]:
        started = time.perf_counter()
        passages = answerer.passages(question)
        try:
            generation = llm.generate(question, passages)
            text, refused, warnings = generation.text, generation.refused, []
        except GenerationError as exc:
            text, refused, warnings = "", False, [str(exc)]
        by_n = {p.n: p for p in passages}
        cited = [by_n[n] for n in check_citations(text, passages).cited]
        return {
            "answer": text, "mode": "llm", "refused": refused, "warnings": warnings,
            "citations": [{"page": p.chunk.page} for p in cited],
            "timings_ms": {"total": (time.perf_counter() - started) * 1000},
            "hallucinated": hallucinated_figures(text, [p.chunk.title + "\n" + p.text for p in passages]),
        }

    return answer


def closed_book_answer_fn(llm: VllmGenerator, gold_text: Callable[[str], str]) -> AnswerFn:
    """The model alone: no passages, so no citation; a figure is hallucinated when the question's gold pages
    do not hold it (`gold_text(question)`)."""

    def answer(question: str) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            generation = llm.complete(closed_book_prompt(question))
            text, refused, warnings = generation.text, generation.refused, []
        except GenerationError as exc:
            text, refused, warnings = "", False, [str(exc)]
        return {
            "answer": text, "mode": "llm", "refused": refused, "warnings": warnings, "citations": [],
            "timings_ms": {"total": (time.perf_counter() - started) * 1000},
            "hallucinated": hallucinated_figures(text, [gold_text(question)]),
        }

    return answer


def extractive_answer_fn(answerer: Answerer) -> AnswerFn:
    """The extractive answer the product gives without an LLM."""

    def answer(question: str) -> dict[str, Any]:
        result = answerer.answer(question, use_llm=False)
        payload = result.to_json()
        payload["hallucinated"] = hallucinated_figures(result.text, [p.chunk.title + "\n" + p.text for p in result.passages])
        return payload

    return answer


def judge_scores(judge: VllmGenerator, row: dict[str, Any], answer: str) -> tuple[int | None, int | None]:
    """(accuracy, detail) 0..2 from the judge model; (None, None) when it fails or answers out of form."""
    facts = ", ".join(row.get("answer_facts") or []) or ("(매뉴얼에 답이 없는 질문)" if row.get("out_of_scope") else "-")
    reference = row.get("answer_text") or ""
    user = f"[질문]\n{row['question']}\n\n[꼭 있어야 할 사실]\n{facts}\n{reference}\n\n[채점할 답변]\n{answer or '(빈 답변)'}"
    try:
        text = judge.complete(Prompt(system=JUDGE_SYSTEM_KO, user=user, passages=())).text
        scores = json.loads(_SCORES.search(text).group(0))  # type: ignore[union-attr]
        accuracy, detail = int(scores["accuracy"]), int(scores["detail"])
    except (GenerationError, AttributeError, ValueError, KeyError, TypeError):
        return None, None
    if accuracy not in (0, 1, 2) or detail not in (0, 1, 2):
        return None, None
    return accuracy, detail


def _mean_of(values: list[int | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(sum(known) / len(known), 4) if known else None


def compare(rows: list[dict[str, Any]], columns: dict[str, AnswerFn], *, workers: int = 4,
            judge: VllmGenerator | None = None) -> dict[str, Any]:
    """Every column over every question (`workers` questions at a time: vLLM batches them), scored; with a
    `judge`, each answer also gets its 0/1/2 accuracy and detail."""
    report: dict[str, Any] = {"questions": len(rows), "columns": {}}
    for name, fn in columns.items():
        with ThreadPoolExecutor(max_workers=workers) as pool:
            answers = list(pool.map(fn, [r["question"] for r in rows]))
        by_question = dict(zip((r["id"] for r in rows), answers))
        by_text = dict(zip((r["question"] for r in rows), answers))
        result = evaluate_answers(by_text.__getitem__, rows)
        for scored in result["questions"]:
            scored["hallucinated_figures"] = by_question[scored["id"]].get("hallucinated", [])
        if judge is not None:
            row_of = {r["id"]: r for r in rows}
            with ThreadPoolExecutor(max_workers=workers) as pool:
                judged = list(pool.map(lambda q: judge_scores(judge, row_of[q["id"]], q["answer"]), result["questions"]))
            for scored, (accuracy, detail) in zip(result["questions"], judged):
                scored["judge_accuracy"], scored["judge_detail"] = accuracy, detail
        for key, group in [("overall", result["questions"])] + [
            (cat, [q for q in result["questions"] if q["category"] == cat]) for cat in result["by_category"]
        ]:
            target = result["overall"] if key == "overall" else result["by_category"][key]
            target["hallucinated_figures"] = sum(len(q["hallucinated_figures"]) for q in group)
            target["answers_with_hallucination"] = round(
                sum(bool(q["hallucinated_figures"]) for q in group) / len(group), 4) if group else None
            if judge is not None:
                target["judge_accuracy"] = _mean_of([q.get("judge_accuracy") for q in group])
                target["judge_detail"] = _mean_of([q.get("judge_detail") for q in group])
        report["columns"][name] = result
    return report


def format_compare_table(report: dict[str, Any]) -> str:
    """The four columns side by side, overall then by category (Korean labels)."""
    metrics = [("fact_coverage", "사실 포함률"), ("citation_precision", "인용 정확도"), ("refusal_correct", "거절 정확도"),
               ("korean_ratio", "한국어 비율"), ("answers_with_hallucination", "숫자 환각 답변 비율"),
               ("judge_accuracy", "정확도 0-2 (채점 LLM)"), ("judge_detail", "상세도 0-2 (채점 LLM)")]
    names = list(report["columns"])
    lines = [" | ".join(["지표", *names])]

    def cell(value: Any) -> str:
        return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)

    for key, label in metrics:
        if all(key not in report["columns"][n]["overall"] for n in names):
            continue
        lines.append(" | ".join([label, *(cell(report["columns"][n]["overall"].get(key)) for n in names)]))
    lines.append(" | ".join(["지연 p50 (ms)", *(cell(report["columns"][n]["overall"]["latency_ms"]["p50"]) for n in names)]))
    categories = sorted({c for n in names for c in report["columns"][n]["by_category"]})
    for cat in categories:
        values = [report["columns"][n]["by_category"].get(cat, {}).get("fact_coverage") for n in names]
        lines.append(" | ".join([f"{cat} 사실 포함률", *(cell(v) for v in values)]))
    return "\n".join(lines)


def reviewer_sheet(report: dict[str, Any], path: Path | str) -> Path:
    """A CSV for people to score each answer's accuracy and detail 0/1/2, as the proof of concept did."""
    path = Path(path)
    # 0600 like the other files with answers and questions in them; BOM: Excel opens Korean CSV right.
    make_private(path)
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "category", "question", "column", "answer", "accuracy_0_2", "detail_0_2"])
        for name, result in report["columns"].items():
            for q in result["questions"]:
                row = [q["id"], q["category"], q["question"], name, q["answer"], "", ""]
                writer.writerow([formula_safe(cell) for cell in row])  # no cell a spreadsheet runs as a formula
    return path

