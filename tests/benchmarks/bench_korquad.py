"""KorQuAD 1.0 dev retrieval benchmark of the embedded default (a measurement, not a test).

Every paragraph is one document (id = article title + paragraph index; its text is prefixed with the
article title, as the ETL prefixes a chunk with its page title). Every question is asked; the relevant
document is the paragraph it came from. Prints Recall@1/5/10 and MRR@10 for BM25 alone, vectors alone
and the configured fusion, plus the search latency. Uses the product code: `EmbeddedSearchIndex`, the
Kiwi analyzer and the default embedder behind the on-disk embedding cache, so a second run re-embeds
no paragraph (question vectors are cached in the bench home too).

    python tests/benchmarks/bench_korquad.py [--limit N] [--home var/bench/korquad]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "korquad" / "KorQuAD_v1.0_dev.json"


def load(path: Path, limit: int | None) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """(doc_id, title, paragraph) for every paragraph and (question, gold doc_id) for every question."""
    docs, questions = [], []
    for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
        for i, para in enumerate(article["paragraphs"]):
            doc_id = f"{article['title']}#{i}"
            docs.append((doc_id, article["title"], para["context"]))
            questions.extend((qa["question"], doc_id) for qa in para["qas"])
    if limit:
        questions = questions[:limit]
    return docs, questions


def build_index(home: Path, docs, embedder):
    from backend.models import Chunk
    from backend.search.base import AnalyzerMismatchError
    from backend.search.embedded.index import EmbeddedSearchIndex

    index = EmbeddedSearchIndex(home / "index", embedder_name=embedder.name, dim=embedder.dim)
    try:
        index.search("확인", np.zeros(embedder.dim, dtype=np.float32), k=1)
        current = True
    except AnalyzerMismatchError:  # built with another keyword recipe: re-analyse (vectors come from the cache)
        current = False
    if current and len(index.documents()) == len(docs):
        return 0.0
    started = time.perf_counter()
    chunks = [
        Chunk(chunk_id=f"{doc_id}#0", doc_id=doc_id, chunk_no=0, page=doc_id, title=title, kind="text", text=f"{title}\n{text}")
        for doc_id, title, text in docs
    ]
    vectors = embedder.embed_passages([c.text for c in chunks])
    with index.writer(full=True) as writer:
        for chunk, vector in zip(chunks, vectors):
            writer.put_document(chunk.doc_id, [chunk], vector[None, :])
    return time.perf_counter() - started


def question_vectors(home: Path, questions, embedder) -> np.ndarray:
    cache = home / f"questions-{len(questions)}-{embedder.name.replace(':', '_').replace('/', '_')}.npy"
    if cache.exists():
        return np.load(cache)
    vectors = np.stack([embedder.embed_query(q) for q, _ in questions])
    np.save(cache, vectors)
    return vectors


def evaluate(index, questions, vectors) -> dict[str, float]:
    ranks, latencies = [], []
    for (question, gold), vector in zip(questions, vectors):
        started = time.perf_counter()
        hits = index.search(question, vector, k=10)
        latencies.append((time.perf_counter() - started) * 1000)
        ids = [h.chunk.doc_id for h in hits]
        ranks.append(ids.index(gold) + 1 if gold in ids else None)
    n = len(ranks)
    latencies.sort()
    return {
        "R@1": round(sum(r == 1 for r in ranks) / n, 4),
        "R@5": round(sum(r is not None and r <= 5 for r in ranks) / n, 4),
        "hits@1": sum(r == 1 for r in ranks),
        "hits@5": sum(r is not None and r <= 5 for r in ranks),
        "R@10": round(sum(r is not None for r in ranks) / n, 4),
        "MRR@10": round(sum(1 / r for r in ranks if r) / n, 4),
        "search_ms_p50": round(statistics.median(latencies), 2),
        "search_ms_p95": round(latencies[int(0.95 * (n - 1))], 2),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--home", type=Path, default=ROOT / "var" / "bench" / "korquad")
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions")
    parser.add_argument("--weights", type=float, nargs="*", default=[0.5, 0.75],
                        help="keyword weights of the min-max fusion runs (the configured one is always run)")
    args = parser.parse_args(argv)

    from backend.config import Settings
    from backend.embed.factory import build_embedder
    from backend.search.embedded.index import EmbeddedSearchIndex

    args.home.mkdir(parents=True, exist_ok=True)
    settings = Settings(home=args.home, embed_threads=0)
    embedder = build_embedder(settings)
    docs, questions = load(args.data, args.limit)
    print(f"{len(docs)} paragraphs, {len(questions)} questions", flush=True)
    build_s = build_index(args.home, docs, embedder)
    print(f"index build (embedding included, 0 when reused): {build_s:.1f} s", flush=True)
    started = time.perf_counter()
    vectors = question_vectors(args.home, questions, embedder)
    print(f"question embeddings: {time.perf_counter() - started:.1f} s (0 when cached)", flush=True)

    defaults = Settings()
    runs = [
        ("BM25 (Kiwi) only", dict(fusion="minmax", keyword_weight=1.0)),
        ("vectors only", dict(fusion="minmax", keyword_weight=0.0)),
        *[(f"min-max fusion, keyword weight {w}", dict(fusion="minmax", keyword_weight=w))
          for w in sorted({defaults.keyword_weight, *args.weights})],
        ("RRF", dict(fusion="rrf", keyword_weight=defaults.keyword_weight)),
    ]
    for label, params in runs:
        index = EmbeddedSearchIndex(
            args.home / "index", embedder_name=embedder.name, dim=embedder.dim,
            candidate_depth=defaults.candidate_depth, rrf_rank_constant=defaults.rrf_rank_constant, **params,
        )
        print(f"{label:<40} {evaluate(index, questions, vectors)}", flush=True)


if __name__ == "__main__":
    main()
