"""Score fusion as OpenSearch's search pipelines do it, in one place for the embedded backend and the tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def min_max(scores: Mapping[str, float]) -> dict[str, float]:
    """OpenSearch min_max normalisation of one sub-query's scores; all equal scores normalise to 1.0."""
    if not scores:
        return {}
    lo, hi = min(scores.values()), max(scores.values())
    if hi == lo:
        return {key: 1.0 for key in scores}
    return {key: (s - lo) / (hi - lo) for key, s in scores.items()}


def weighted_mean(normalised: Sequence[Mapping[str, float]], weights: Sequence[float]) -> dict[str, float]:
    """Weighted arithmetic mean across sub-queries; a key missing from a sub-query counts as 0 there."""
    total = sum(weights)
    keys = set().union(*normalised) if normalised else set()
    return {key: sum(w * n.get(key, 0.0) for n, w in zip(normalised, weights)) / total for key in keys}


def rrf(rankings: Sequence[Sequence[str]], rank_constant: int = 60) -> dict[str, float]:
    """Reciprocal rank fusion (OpenSearch's `score-ranker-processor`): sum of 1 / (rank_constant + rank)."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, key in enumerate(ranking, start=1):
            fused[key] = fused.get(key, 0.0) + 1.0 / (rank_constant + rank)
    return fused
