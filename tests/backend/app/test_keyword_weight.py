"""`backend.app.keyword_weight`: the keyword weight picked by MRR@10 over a grid, ties to the weight in force,
and cross-validated by folds of questions, from fake searchers whose ranking depends on the weight (our own
logic; the real index is asked in tests/backend/app/test_cli.py)."""

from __future__ import annotations

import pytest

from backend.app.keyword_weight import GRID, fit_keyword_weight, format_fit
from backend.models import Chunk, Hit

pytestmark = pytest.mark.unit


def hit(page: str) -> Hit:
    doc_id = page.rsplit(".", 1)[0]
    return Hit(Chunk(chunk_id=f"{doc_id}#0", doc_id=doc_id, chunk_no=0, page=page, title=doc_id, kind="text",
                     text=f"{doc_id} 본문"), 1.0)


class WeightedSearcher:
    """Puts a question's gold page first when the weight is in its question's range, second otherwise."""

    def __init__(self, weight: float, ranges: dict[str, tuple[float, float]]) -> None:
        self.weight, self.ranges = weight, ranges

    def search(self, query, k=5, filters=None):
        low, high = self.ranges[query]
        gold, other = hit(f"{query}.html"), hit("other.html")
        return [gold, other] if low <= self.weight <= high else [other, gold]


# 16 paraphrased questions find their page first with little keyword weight, 4 worded like the manual with
# 0.3 or more: 0.3 and 0.4 serve all 20.
RANGES = {f"q{i}": ((0.3, 1.0) if i % 5 == 0 else (0.0, 0.4)) for i in range(20)}
QUESTIONS = [{"id": q, "question": q, "gold_docs": [f"{q}.html"]} for q in RANGES]


def searcher_at(weight: float) -> WeightedSearcher:
    return WeightedSearcher(weight, RANGES)


def test_the_weight_with_the_best_mrr_is_chosen_and_a_tie_goes_to_the_nearest_of_the_current_one():
    assert fit_keyword_weight(searcher_at, QUESTIONS, current=0.75)["chosen"] == 0.4
    assert fit_keyword_weight(searcher_at, QUESTIONS, current=0.2)["chosen"] == 0.3


def test_figures_per_weight_include_the_current_weight_off_the_grid():
    result = fit_keyword_weight(searcher_at, QUESTIONS, current=0.75)
    by_weight = {row["keyword_weight"]: row for row in result["by_weight"]}
    assert set(by_weight) == {*GRID, 0.75}
    assert by_weight[0.4]["hit@1"] == 1.0 and by_weight[0.4]["mrr@10"] == 1.0
    assert by_weight[0.0]["hit@1"] == 0.8  # the 4 manual-worded questions are second
    assert by_weight[0.75]["hit@1"] == 0.2 and by_weight[0.75]["mrr@10"] == 0.6


def test_cross_validation_scores_each_fold_with_the_weight_chosen_on_the_others():
    result = fit_keyword_weight(searcher_at, QUESTIONS, current=0.75, folds=5)
    cv = result["cross_validated"]
    assert cv["weights_chosen"] == [0.4] * 5
    assert cv["chosen"]["hit@1"] == 1.0 and cv["chosen"]["questions"] == 20
    assert cv["current"]["hit@1"] == 0.2


def test_a_weight_that_only_fits_the_questions_it_was_chosen_on_shows_in_the_cross_validated_figure():
    # Three questions of one fold come first at 0.5, every other question at a weight of its own: 0.5 wins
    # on all questions, but no fold's pick serves the other fold.
    weights = [0.5, 0.0, 0.5, 0.1, 0.5, 0.2, 1.0, 0.3, 0.6, 0.9]
    ranges = {f"q{i}": (w, w) for i, w in enumerate(weights)}
    questions = [{"id": q, "question": q, "gold_docs": [f"{q}.html"]} for q in ranges]
    result = fit_keyword_weight(lambda w: WeightedSearcher(w, ranges), questions, current=0.75, folds=2)
    assert result["chosen"] == 0.5
    assert {row["keyword_weight"]: row for row in result["by_weight"]}[0.5]["hit@1"] == 0.3
    assert result["cross_validated"]["weights_chosen"] == [0.9, 0.5]  # the odd questions tie: nearest 0.75
    assert result["cross_validated"]["chosen"]["hit@1"] == 0.0


def test_out_of_scope_questions_are_left_out_and_too_few_questions_are_refused_in_korean():
    rows = QUESTIONS + [{"id": "x", "question": "x", "out_of_scope": True}]
    assert fit_keyword_weight(searcher_at, rows, current=0.75)["questions"] == 20
    with pytest.raises(ValueError, match="질문이 10개 이상 필요합니다"):
        fit_keyword_weight(searcher_at, QUESTIONS[:9], current=0.75, folds=5)


def test_the_report_names_the_setting_to_use():
    text = format_fit(fit_keyword_weight(searcher_at, QUESTIONS, current=0.75))
    assert "추천: SANGDAM_KEYWORD_WEIGHT=0.4 (지금 0.75)" in text
    assert "교차검증(5겹" in text
