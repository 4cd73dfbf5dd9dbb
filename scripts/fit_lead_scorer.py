"""Fit the weights that pick an extractive answer's first line (`backend/generate/extractive/lead.py`).

    SANGDAM_HOME=var .venv/bin/python scripts/fit_lead_scorer.py etl/samples/questions.jsonl [--write]

For every in-scope question with answer facts, the answerer's passages are retrieved from the index in
SANGDAM_HOME and the extractive answerer's candidates are cut and described by `lead.FEATURES` (their
closeness in meaning by the index's embedder, as the answerer does); a candidate is positive when it holds
every fact of the question, which is what the first-line fact rate asks of line 1. A logistic regression
(features standardised, classes balanced) is fitted; its regularisation C is chosen by 5-fold
cross-validation grouped by question on the figure that matters: the share of questions whose best-scored
candidate holds all the facts ("lead hit"; the share holding at least one is printed too). The hand-tuned
match score of `selection.score_units` is printed as the baseline. `--write` stores the fitted
weights, the C chosen and the cross-validated figures in `lead_weights.json`.

Fit on the dev set only: the held-out set and welfare_qa measure the result and are never fitted on.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backend.app import services
from backend.app.answer import Answerer
from backend.app.evaluation import read_jsonl
from backend.config import get_settings
from backend.generate.extractive.generator import ExtractiveGenerator
from backend.generate.extractive.lead import FEATURES, WEIGHTS_FILE, LeadModel, features, meaning
from backend.text.normalize import fold_spaces

C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
FOLDS = 5


def dataset(questions: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """(X, y: holds all facts, y_any: holds one, group, hand score) over the candidates of every usable
    question, and how many were skipped."""
    settings = get_settings()
    retriever = services.get_retriever()
    neutral = LeadModel((0.0,) * len(FEATURES), 0.0, (0.0,) * len(FEATURES), (1.0,) * len(FEATURES))
    generator = ExtractiveGenerator(glossary=retriever.glossary, company_names=settings.company_names.split(","),
                                    lead_model=neutral)
    # The answerer's retrieval, without the bundled weights (which may be for other features while refitting).
    answerer = Answerer(retriever, generator, services.get_attachment_store(), settings)
    embedder = retriever.embedder
    xs, ys, ys_any, groups, hand = [], [], [], [], []
    skipped = 0
    for g, row in enumerate(questions):
        facts = [fold_spaces(f) for f in row.get("answer_facts") or [] if f.strip()]
        if row.get("out_of_scope") or not facts:
            continue
        passages = answerer.passages(row["question"])
        plan = generator.plan(row["question"], passages)
        labels = [all(f in fold_spaces(u.draft.text) for f in facts) for u in plan.pool]
        if not any(labels):
            skipped += 1  # no candidate holds all the facts: nothing to learn which one opens the answer
            continue
        similarity = meaning(plan.pool, row["question"], embedder)
        xs += features(plan.pool, plan.weights, passages, row["question"], plan.answer_types, similarity)
        ys += labels
        ys_any += [any(f in fold_spaces(u.draft.text) for f in facts) for u in plan.pool]
        groups += [g] * len(labels)
        hand += [u.score for u in plan.pool]
    return (np.array(xs), np.array(ys, dtype=int), np.array(ys_any, dtype=int), np.array(groups), np.array(hand),
            skipped)


def lead_hit(scores: np.ndarray, y: np.ndarray, groups: np.ndarray) -> float:
    """Share of questions whose best-scored candidate is positive in `y` (ties: the first)."""
    hits = [y[groups == g][int(np.argmax(scores[groups == g]))] for g in np.unique(groups)]
    return float(np.mean(hits))


def main() -> int:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("questions", type=Path)
    parser.add_argument("--write", action="store_true", help=f"store the weights in {WEIGHTS_FILE.name}")
    args = parser.parse_args()
    x, y, y_any, groups, hand, skipped = dataset(list(read_jsonl(args.questions)))
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    n_questions = len(np.unique(groups))
    print(f"{n_questions} questions ({skipped} skipped: no candidate holds all the facts), {len(y)} candidates, "
          f"{int(y.sum())} positive")
    print(f"hand-tuned match score: lead hit {lead_hit(hand, y, groups):.4f} (one fact: "
          f"{lead_hit(hand, y_any, groups):.4f})")
    results = {}
    for c in C_GRID:
        scores = np.zeros(len(y))
        for train, test in GroupKFold(n_splits=FOLDS).split(z, y, groups):
            model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit(z[train], y[train])
            scores[test] = model.decision_function(z[test])
        results[c] = lead_hit(scores, y, groups)
        print(f"C={c:<5} cross-validated lead hit {results[c]:.4f} (one fact: {lead_hit(scores, y_any, groups):.4f})")
    best_c = max(C_GRID, key=lambda c: (results[c], -c))
    model = LogisticRegression(C=best_c, class_weight="balanced", max_iter=2000).fit(z, y)
    print(f"chosen C={best_c}; weights (standardised):")
    for name, coef in zip(FEATURES, model.coef_[0]):
        print(f"  {name:16} {coef:+.3f}")
    if args.write:
        WEIGHTS_FILE.write_text(json.dumps({
            "features": list(FEATURES),
            "coef": [round(float(c), 6) for c in model.coef_[0]],
            "intercept": round(float(model.intercept_[0]), 6),
            "mean": [round(float(m), 6) for m in mean],
            "scale": [round(float(s), 6) for s in scale],
            "fitted": {
                "on": str(args.questions.resolve().relative_to(ROOT)) if args.questions.resolve().is_relative_to(ROOT)
                else str(args.questions),
                "date": date.today().isoformat(),
                "questions": n_questions,
                "candidates": len(y),
                "C": best_c,
                "cv_lead_hit": round(results[best_c], 4),
                "hand_score_lead_hit": round(lead_hit(hand, y, groups), 4),
            },
        }, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
