"""Retrieval evaluation on a question set: Hit@1/5 and MRR@10 by gold page, FactRecall@k by answer facts."""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from backend.models import Hit, SearchFilters

_SPACES = re.compile(r"\s+")


class _Searcher(Protocol):
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


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def facts_found(facts: Iterable[str], texts: Iterable[str]) -> bool:
    """True when every fact appears verbatim (whitespace runs folded) in the joined texts."""
    haystack = _squash("\n".join(texts))
    return all(_squash(f) in haystack for f in facts)


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


def _aggregate(rows: list[dict[str, Any]], k: int) -> dict[str, Any]:
    fact_key = f"fact_recall@{k}"
    return {
        "questions": len(rows),
        "hit@1": _mean([r["hit@1"] for r in rows]),
        "hit@5": _mean([r["hit@5"] for r in rows]),
        "mrr@10": _mean([r["mrr@10"] for r in rows]),
        fact_key: _mean([r[fact_key] for r in rows if r[fact_key] is not None]),
        "superseded_above_current": sum(r["superseded_above_current"] for r in rows),
    }


def evaluate_retrieval(searcher: _Searcher, questions: Iterable[dict[str, Any]], *, k: int = 5) -> dict[str, Any]:
    """Search every question (top 10) and score it; returns overall, by-category and per-question figures."""
    rows: list[dict[str, Any]] = []
    latencies: list[float] = []
    for row in questions:
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
        "overall": _aggregate(rows, k),
        "by_category": {cat: _aggregate(rs, k) for cat, rs in sorted(by_category.items())},
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
