"""The keyword weight of the hybrid search, learned from a corpus's own questions with cross-validation.

How much the keyword (BM25) side should count against the vector side depends on the manuals and on how
questions are worded: the bundled weight (0.75) is best on KorQuAD and on the sample manuals' dev questions,
whose wording follows the manuals; on welfare_qa, whose questions GPT-4 paraphrased, 0.4-0.5 finds the gold
page first for 4 to 5 more questions in 100 (docs/research/answer-first.md, session 13). So the weight is
something to learn per corpus, from questions with known gold pages, not something to guess once for every
corpus. (Agents' well-rated answers are no such set: their cited pages are the ones the weight in force found,
which would teach the fit to keep it.)

`fit_keyword_weight` scores every weight of `GRID` on the questions, picks the one with the best MRR@10 (it
uses the whole ranking, so it is steadier than Hit@1 on a few hundred questions; a tie goes to the weight
nearest the one in force), and says how well that choice carries to questions it did not see: k-fold
cross-validation over the questions, each fold scored with the weight picked on the other folds. Nothing
is written: the operator sets `SANGDAM_KEYWORD_WEIGHT` (README, "설정 (환경 변수)").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from backend.app.evaluation import Searcher, aggregate_retrieval, evaluate_retrieval

GRID = tuple(round(i / 10, 1) for i in range(11))  # 0.0 (vectors alone) … 1.0 (BM25 alone)
OBJECTIVE = "mrr@10"
FOLDS = 5
K = 5  # FactRecall@k, as `sangdam eval retrieval` reports it


def fit_keyword_weight(search_with: Callable[[float], Searcher], questions: Sequence[dict[str, Any]], *,
                       current: float, folds: int = FOLDS, grid: Sequence[float] = GRID) -> dict[str, Any]:
    """Score each weight of `grid` (and `current`) on `questions` (`search_with(w)`: a searcher fusing at
    keyword weight w) and pick one (see the module docstring). Returns the figures per weight, the weight
    chosen, and the cross-validated figures of choosing so next to those of `current` on the same
    questions. Out-of-scope questions are left out; fewer usable questions than `2 * folds` raise
    ValueError (a fold of one question tells nothing)."""
    usable = [q for q in questions if not q.get("out_of_scope") and q.get("gold_docs")]
    if len(usable) < 2 * folds:
        raise ValueError(f"정답 페이지(gold_docs)가 있는 질문이 {2 * folds}개 이상 필요합니다 (지금 {len(usable)}개)")
    weights = sorted({*(round(float(w), 6) for w in grid), round(float(current), 6)})
    rows = {w: evaluate_retrieval(search_with(w), usable, k=K)["questions"] for w in weights}

    def best(indices: Sequence[int]) -> float:
        def objective(w: float) -> float:
            return sum(rows[w][i][OBJECTIVE] for i in indices) / len(indices)
        return max(weights, key=lambda w: (round(objective(w), 9), -abs(w - current)))

    chosen = best(range(len(usable)))
    picked: list[float] = []  # per fold, the weight chosen on the other folds
    cross_validated: list[dict[str, Any]] = []
    for f in range(folds):
        test = [i for i in range(len(usable)) if i % folds == f]
        w = best([i for i in range(len(usable)) if i % folds != f])
        picked.append(w)
        cross_validated += [rows[w][i] for i in test]
    return {
        "questions": len(usable),
        "objective": OBJECTIVE,
        "current": round(float(current), 6),
        "chosen": chosen,
        "by_weight": [{"keyword_weight": w, **aggregate_retrieval(rows[w], K)} for w in weights],
        "cross_validated": {
            "folds": folds,
            "weights_chosen": picked,
            "chosen": aggregate_retrieval(cross_validated, K),
            "current": aggregate_retrieval(rows[round(float(current), 6)], K),
        },
    }


def format_fit(result: dict[str, Any]) -> str:
    """The figures per weight, the cross-validated comparison and the setting to use, in Korean."""
    fact = f"fact_recall@{K}"
    lines = [f"키워드 가중치별 검색 품질 (질문 {result['questions']}개, 고르는 기준: MRR@10)",
             f"{'가중치':>6} {'Hit@1':>7} {'Hit@5':>7} {'MRR@10':>7} {'FactRecall@5':>13}"]
    for row in result["by_weight"]:
        mark = " ← 지금" if row["keyword_weight"] == result["current"] else ""
        mark += " ← 추천" if row["keyword_weight"] == result["chosen"] else ""
        lines.append(f"{row['keyword_weight']:>6} {row['hit@1']:>7.4f} {row['hit@5']:>7.4f} {row['mrr@10']:>7.4f} "
                     f"{row[fact]:>13.4f}{mark}")
    cv = result["cross_validated"]
    chosen, current = cv["chosen"], cv["current"]
    lines += [
        "",
        (f"교차검증({cv['folds']}겹, 겹마다 나머지 질문으로 고른 가중치 {', '.join(map(str, cv['weights_chosen']))}): "
         f"Hit@1 {chosen['hit@1']:.4f} · MRR@10 {chosen['mrr@10']:.4f} · FactRecall@5 {chosen[fact]:.4f}"),
        (f"지금 가중치 {result['current']}: Hit@1 {current['hit@1']:.4f} · MRR@10 {current['mrr@10']:.4f} · "
         f"FactRecall@5 {current[fact]:.4f}"),
        f"추천: SANGDAM_KEYWORD_WEIGHT={result['chosen']}"
        + (" (지금 값 그대로)" if result["chosen"] == result["current"] else f" (지금 {result['current']})"),
    ]
    return "\n".join(lines)
