"""Evaluation on a question set.

- Retrieval: Hit@1/5 and MRR@10 by gold page, FactRecall@k by answer facts (out-of-scope questions,
  which have no gold page, are left out).
- Answers: fact coverage (in the whole answer and in its first line alone), citation precision, attachment
  links, Korean ratio, answer length, refusals (precision and recall of refusing out-of-scope questions)
  and latency, with empty columns for a reviewer's scores.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from backend.config import Settings
from backend.generate.checks import hangul_ratio as korean_ratio
from backend.models import Hit, SearchFilters
from backend.text.normalize import fold_spaces


class Searcher(Protocol):
    """What retrieval is evaluated on: a `Retriever`, or anything that searches like one."""

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None) -> list[Hit]: ...


def read_jsonl(path: Path | str) -> Iterator[dict[str, Any]]:
    """Yield one object per non-blank line; a broken line raises ValueError naming the line number."""
    with open(path, encoding="utf-8-sig") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: JSON 형식이 아닙니다 ({exc.msg})") from exc
            if "id" not in row or "question" not in row:
                raise ValueError(f"{path}:{lineno}: 'id'와 'question'이 필요합니다")
            yield row


def facts_found(facts: Iterable[str], texts: Iterable[str]) -> bool:
    """True when every fact appears verbatim (whitespace runs folded) in the joined texts."""
    haystack = fold_spaces("\n".join(texts))
    return all(fold_spaces(f) in haystack for f in facts)


def _superseded_above_current(hits: list[Hit]) -> int:
    """How many superseded hits rank above a current hit of the same manual id."""
    bad = 0
    for i, hit in enumerate(hits):
        c = hit.chunk
        if c.superseded and c.manual_id:
            if any(not h.chunk.superseded and h.chunk.manual_id == c.manual_id for h in hits[i + 1 :]):
                bad += 1
    return bad


def _score_question(row: dict[str, Any], hits: list[Hit], k: int) -> dict[str, Any]:
    gold = set(row.get("gold_docs") or [])
    pages = [h.chunk.page for h in hits]
    first_gold = next((rank for rank, page in enumerate(pages, 1) if page in gold), None)
    facts = row.get("answer_facts") or []
    return {
        "id": row["id"],
        "category": row.get("category", "-"),
        "hit@1": float(first_gold == 1),
        "hit@5": float(first_gold is not None and first_gold <= 5),
        "mrr@10": 1.0 / first_gold if first_gold is not None and first_gold <= 10 else 0.0,
        f"fact_recall@{k}": float(facts_found(facts, [h.chunk.text for h in hits[:k]])) if facts else None,
        "superseded_above_current": _superseded_above_current(hits),
        "top_pages": pages[:5],
    }


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


def aggregate_retrieval(rows: list[dict[str, Any]], k: int) -> dict[str, Any]:
    """The mean figures of per-question rows (`evaluate_retrieval`'s "questions")."""
    fact_key = f"fact_recall@{k}"
    return {
        "questions": len(rows),
        "hit@1": _mean([r["hit@1"] for r in rows]),
        "hit@5": _mean([r["hit@5"] for r in rows]),
        "mrr@10": _mean([r["mrr@10"] for r in rows]),
        fact_key: _mean([r[fact_key] for r in rows if r[fact_key] is not None]),
        "superseded_above_current": sum(r["superseded_above_current"] for r in rows),
    }


def evaluate_retrieval(searcher: Searcher, questions: Iterable[dict[str, Any]], *, k: int = 5) -> dict[str, Any]:
    """Search every question (top 10) and score it; returns overall, by-category and per-question figures.
    Out-of-scope questions (`"out_of_scope": true`, no gold page) are skipped and counted."""
    rows: list[dict[str, Any]] = []
    latencies: list[float] = []
    skipped = 0
    for row in questions:
        if row.get("out_of_scope"):
            skipped += 1
            continue
        started = time.perf_counter()
        hits = searcher.search(row["question"], k=max(10, k))
        latencies.append((time.perf_counter() - started) * 1000)
        rows.append(_score_question(row, hits, k))
    by_category: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_category[r["category"]].append(r)
    latencies.sort()
    return {
        "k": k,
        "skipped_out_of_scope": skipped,
        "overall": aggregate_retrieval(rows, k),
        "by_category": {cat: aggregate_retrieval(rs, k) for cat, rs in sorted(by_category.items())},
        "latency_ms": {
            "p50": round(latencies[len(latencies) // 2], 1) if latencies else 0.0,
            "p95": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))], 1) if latencies else 0.0,
        },
        "questions": rows,
    }


def format_retrieval_table(result: dict[str, Any]) -> str:
    """A plain-text table of the overall and per-category figures, then the misses."""
    k = result["k"]
    cols = ["questions", "hit@1", "hit@5", "mrr@10", f"fact_recall@{k}", "superseded_above_current"]
    header = f"{'category':<12}" + "".join(f"{c:>14}" for c in ["n", "Hit@1", "Hit@5", "MRR@10", f"Fact@{k}", "old>current"])
    lines = [header, "-" * len(header)]
    for name, agg in [("전체", result["overall"]), *result["by_category"].items()]:
        lines.append(f"{name:<12}" + "".join(f"{agg[c]:>14}" for c in cols))
    lines.append(f"latency ms p50 {result['latency_ms']['p50']} / p95 {result['latency_ms']['p95']}")
    misses = [r for r in result["questions"] if r["hit@1"] < 1 or r[f"fact_recall@{k}"] == 0.0]
    if misses:
        lines.append("")
        lines.append("놓친 질문 (Hit@1 실패 또는 사실 누락):")
        for r in misses:
            lines.append(f"  {r['id']} [{r['category']}] hit@1={r['hit@1']:.0f} fact={r[f'fact_recall@{k}']} top={r['top_pages'][:3]}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- answers

# Below this share of Hangul among its letters an answer counts as not Korean (the answerer's own threshold).
NON_KOREAN_BELOW = Settings.model_fields["min_korean_ratio"].default


def fact_coverage(facts: Iterable[str], text: str) -> float | None:
    """Share of `facts` found verbatim in `text` (whitespace runs folded); None without facts."""
    facts = [f for f in facts if f and f.strip()]
    if not facts:
        return None
    haystack = fold_spaces(text)
    return sum(fold_spaces(f) in haystack for f in facts) / len(facts)


def first_line(text: str) -> str:
    """The answer's first non-blank line: what an agent on a call reads first."""
    return next((line for line in text.splitlines() if line.strip()), "")


def first_line_facts(facts: Iterable[str], text: str) -> bool | None:
    """Whether every one of `facts` is in the answer's first line; None without facts."""
    coverage = fact_coverage(facts, first_line(text))
    return None if coverage is None else coverage == 1.0


def citation_precision(answer: dict[str, Any], gold: Iterable[str], *, out_of_scope: bool) -> float | None:
    """Share of the distinct pages an answer cites that are gold pages.

    None (left out of the averages) where it does not apply: an out-of-scope question (no gold page) and a
    refusal (its "closest" passages are shown, not claimed). An answer that cites nothing gets 0.0: a claim
    without a source cannot be checked."""
    if out_of_scope or answer.get("refused"):
        return None
    pages = {c.get("page") for c in answer.get("citations") or [] if c.get("page")}
    if not pages:
        return 0.0
    gold = set(gold)
    return len(pages & gold) / len(pages)


def attachment_linked(answer: dict[str, Any], attachment: str | None) -> bool | None:
    """Whether one of the answer's attachment links points to `attachment` (a path relative to the manuals
    root, e.g. "files/이사신청서.pdf"): its URL-decoded path ends with or contains it. None without one."""
    if not attachment:
        return None
    want = unquote(attachment).strip("/")
    for link in answer.get("attachments") or []:
        path = unquote(urlsplit(str(link.get("url") or "")).path)
        if path.endswith(want) or want in path:
            return True
    return False


def _score_answer(row: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    out_of_scope = bool(row.get("out_of_scope"))
    text = str(answer.get("answer") or "")
    ratio = korean_ratio(text)
    refused = bool(answer.get("refused"))
    return {
        "id": row["id"],
        "category": row.get("category", "-"),
        "question": row["question"],
        "out_of_scope": out_of_scope,
        "mode": answer.get("mode"),
        "refused": refused,
        "fact_coverage": None if out_of_scope else fact_coverage(row.get("answer_facts") or [], text),
        "first_line_facts": None if out_of_scope else first_line_facts(row.get("answer_facts") or [], text),
        "answer_chars": len(text),
        "citation_precision": citation_precision(answer, row.get("gold_docs") or [], out_of_scope=out_of_scope),
        "attachment_linked": None if out_of_scope else attachment_linked(answer, row.get("attachment")),
        "korean_ratio": round(ratio, 4),
        "non_korean": ratio < NON_KOREAN_BELOW,
        "refusal_correct": refused == out_of_scope,
        "latency_ms": float((answer.get("timings_ms") or {}).get("total") or 0.0),
        "warnings": list(answer.get("warnings") or []),
        "answer": text,
        "cited_pages": sorted({c.get("page") for c in answer.get("citations") or [] if c.get("page")}),
        # A reviewer's scores, 0 (wrong / missing) .. 2 (right / complete); filled by hand.
        "human_accuracy": None,
        "human_detail": None,
    }


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    return round(sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * q))], 1)


def _aggregate_answers(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def mean_of(key: str) -> float | None:
        values = [float(r[key]) for r in rows if r[key] is not None]
        return _mean(values) if values else None

    latencies = sorted(r["latency_ms"] for r in rows)
    lengths = [r["answer_chars"] for r in rows]
    refused = [r for r in rows if r["refused"]]
    outside = [r for r in rows if r["out_of_scope"]]
    return {
        "questions": len(rows),
        "in_scope": sum(not r["out_of_scope"] for r in rows),
        "out_of_scope": sum(r["out_of_scope"] for r in rows),
        "fact_coverage": mean_of("fact_coverage"),
        "first_line_fact_rate": mean_of("first_line_facts"),
        "citation_precision": mean_of("citation_precision"),
        "attachment_linked": mean_of("attachment_linked"),
        "korean_ratio": mean_of("korean_ratio"),
        "non_korean": sum(r["non_korean"] for r in rows),
        "refusal_correct": mean_of("refusal_correct"),
        "refused_in_scope": sum(r["refused"] and not r["out_of_scope"] for r in rows),
        "answered_out_of_scope": sum(not r["refused"] and r["out_of_scope"] for r in rows),
        # Of the refusals, the share that were right to refuse; of the out-of-scope questions, the share refused.
        "refusal_precision": _mean([float(r["out_of_scope"]) for r in refused]) if refused else None,
        "refusal_recall": _mean([float(r["refused"]) for r in outside]) if outside else None,
        "median_answer_chars": float(statistics.median(lengths)) if lengths else None,
        "llm_answers": sum(r["mode"] == "llm" for r in rows),
        "latency_ms": {"p50": _percentile(latencies, 0.5), "p95": _percentile(latencies, 0.95)},
    }


def evaluate_answers(answer_fn: Callable[[str], dict[str, Any]], rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Answer every question with `answer_fn` (question -> the answer's JSON: "answer", "mode", "refused",
    "citations", "attachments", "timings_ms", "warnings") and score it; returns overall, by-category and
    per-question figures. Averages leave out the questions a figure does not apply to (see
    `citation_precision`); `human_accuracy` / `human_detail` stay null for a reviewer."""
    scored = [_score_answer(row, answer_fn(row["question"])) for row in rows]
    by_category: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in scored:
        by_category[r["category"]].append(r)
    return {
        "overall": _aggregate_answers(scored),
        "by_category": {cat: _aggregate_answers(rs) for cat, rs in sorted(by_category.items())},
        "questions": scored,
    }


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def format_answer_table(result: dict[str, Any]) -> str:
    """A plain-text table of the overall and per-category answer figures, then the questions that missed."""
    cols = [
        ("questions", "질문"),
        ("fact_coverage", "사실포함"),
        ("first_line_fact_rate", "첫줄사실"),
        ("citation_precision", "인용정밀도"),
        ("attachment_linked", "첨부연결"),
        ("korean_ratio", "한국어비율"),
        ("non_korean", "비한국어"),
        ("refusal_correct", "거절정확"),
        ("median_answer_chars", "답변길이"),
    ]
    header = f"{'분류':<10}" + "".join(f"{title:>10}" for _, title in cols)
    lines = [header, "-" * (len(header) + 2 * len(cols))]
    for name, agg in [("전체", result["overall"]), *result["by_category"].items()]:
        lines.append(f"{name:<10}" + "".join(f"{_cell(agg[key]):>13}" for key, _ in cols))
    overall = result["overall"]
    lines.append(
        f"지연 ms p50 {overall['latency_ms']['p50']} / p95 {overall['latency_ms']['p95']}, "
        f"LLM 답변 {overall['llm_answers']}/{overall['questions']}, "
        f"범위 안 거절 {overall['refused_in_scope']}, 범위 밖 답변 {overall['answered_out_of_scope']}, "
        f"거절 정밀도 {_cell(overall['refusal_precision'])} / 재현율 {_cell(overall['refusal_recall'])}"
    )
    misses = [
        r for r in result["questions"]
        if (r["fact_coverage"] is not None and r["fact_coverage"] < 1)
        or not r["refusal_correct"] or r["non_korean"] or r["attachment_linked"] is False
    ]
    if misses:
        lines.append("")
        lines.append("놓친 질문 (사실 누락, 거절 오류, 비한국어, 첨부 누락):")
        for r in misses:
            lines.append(
                f"  {r['id']} [{r['category']}] 사실={_cell(r['fact_coverage'])} 거절={'예' if r['refused'] else '아니오'}"
                f"{' (범위 밖)' if r['out_of_scope'] else ''} 한국어={r['korean_ratio']:.2f} 첨부={_cell(r['attachment_linked'])}"
                f" 인용={r['cited_pages']}"
            )
    return "\n".join(lines)


ANSWER_COLUMNS_KO: tuple[tuple[str, str], ...] = (
    ("questions", "질문"),
    ("fact_coverage", "사실 포함"),
    ("first_line_fact_rate", "첫 줄 사실"),
    ("citation_precision", "인용 정밀도"),
    ("attachment_linked", "첨부 연결"),
    ("korean_ratio", "한국어 비율"),
    ("non_korean", "비한국어"),
    ("refusal_correct", "거절 정확"),
    ("refusal_precision", "거절 정밀도"),
    ("refusal_recall", "거절 재현율"),
    ("median_answer_chars", "답변 길이(중앙값)"),
)


def answer_table_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of `format_answer_table` as dicts for a data grid: "분류" ("전체" first, then each
    category) and the Korean column titles of `ANSWER_COLUMNS_KO` (None where a figure does not apply)."""
    rows = []
    for name, agg in [("전체", result["overall"]), *result["by_category"].items()]:
        row: dict[str, Any] = {"분류": name}
        for key, title in ANSWER_COLUMNS_KO:
            row[title] = agg.get(key)
        rows.append(row)
    return rows


def answer_missed_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The questions `format_answer_table` lists as missed (fact missing, wrong refusal, not Korean,
    attachment not linked), as dicts for a data grid."""
    rows = []
    for r in result["questions"]:
        if (r["fact_coverage"] is not None and r["fact_coverage"] < 1) or not r["refusal_correct"] \
                or r["non_korean"] or r["attachment_linked"] is False:
            rows.append({
                "ID": r["id"],
                "분류": r["category"],
                "질문": r["question"],
                "사실 포함": r["fact_coverage"],
                "거절": "예" if r["refused"] else "아니오",
                "범위 밖": "예" if r["out_of_scope"] else "아니오",
                "한국어 비율": r["korean_ratio"],
                "첨부 연결": r["attachment_linked"],
                "인용 페이지": ", ".join(r["cited_pages"]),
            })
    return rows
