"""Question → first answer text in a real browser (a script, not a test): `python -m tests.benchmarks.bench_browser`.

Indexes the sample manuals once (cached under var/bench/browser-home), starts the dashboard with
`make serve` (extractive answers: no LLM configured), and has Debian's Chromium type each question of
etl/samples/questions.jsonl into the agent page and press Enter, timing until the answer's first text is
on screen. That is what an agent waits for: the websocket round trip, the page's script run (which also
redraws the session's earlier answers, up to 20), retrieval, and the browser's rendering.

One warm-up question is asked first and not counted (the server loads the embedder on first use).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from tests.browser.dashboard import ROOT, ask, chromium, missing_browser, sangdam, serve_dashboard, settle

HOME = ROOT / "var" / "bench" / "browser-home"
QUESTIONS = ROOT / "etl" / "samples" / "questions.jsonl"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def answered(page) -> None:
    """Wait for the last answer to be whole (its rating buttons come after its text) and the run to end."""
    page.get_by_test_id("stChatMessage").last.get_by_test_id("stFeedback").first.wait_for(timeout=60_000)
    settle(page)


def ensure_index() -> None:
    if (HOME / "index").exists() and any((HOME / "index").iterdir()):
        return
    sangdam("ingest", str(ROOT / "etl" / "samples" / "manuals"), home=HOME)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50, help="questions to time (default 50)")
    args = parser.parse_args()
    if reason := missing_browser():
        raise SystemExit(reason)
    ensure_index()
    rows = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [r["question"] for r in rows][: args.n]
    HOME.mkdir(parents=True, exist_ok=True)
    timings: list[float] = []
    with serve_dashboard(HOME, log=HOME / "server.log") as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ko-KR")
        start = time.perf_counter()
        page.goto(url)
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=120_000)
        page_load = time.perf_counter() - start
        warmup = ask(page, "인터넷 이전설치 비용 얼마예요?")
        answered(page)
        for i, question in enumerate(questions, start=1):
            try:
                timings.append(ask(page, question))
                answered(page)  # the next question is typed when this answer is complete, as an agent would
            except Exception as exc:
                page.screenshot(path=str(HOME / "failed.png"))
                raise SystemExit(f"question {i} failed: {question}: {exc} (screenshot {HOME / 'failed.png'})") from None
    ms = [t * 1000 for t in timings]
    result = {
        "questions": len(ms), "page_load_s": round(page_load, 2), "warmup_ms": round(warmup * 1000),
        "p50_ms": round(statistics.median(ms)), "p95_ms": round(percentile(ms, 95)),
        "max_ms": round(max(ms)), "mean_ms": round(statistics.fmean(ms)),
        # The page redraws the session's earlier answers on every question: early vs. a full history.
        "first_10_median_ms": round(statistics.median(ms[:10])), "last_10_median_ms": round(statistics.median(ms[-10:])),
    }
    print(json.dumps(result, ensure_ascii=False))
    (ROOT / "var" / "bench" / "browser.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
