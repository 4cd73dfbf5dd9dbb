"""The LLM fault matrix: `sangdam ask` (a real process over a real index) against a local OpenAI-compatible
server that fails in every way we know. The agent always gets an answer, LLM or extractive, never an error,
and the LLM's share never runs past SANGDAM_LLM_TIMEOUT_S: one deadline for the whole answer, however the
server stalls (no reply at all, keep-alive comments forever, tokens too slow)."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.backend.generate.fake_openai_server import FakeOpenAIServer
from tests.browser.dashboard import ROOT, clean_env, sangdam
from tests.conftest import REPORTS
from tests.security.report import record

pytestmark = pytest.mark.integration

LIMIT_S = 4.0
QUESTION = "이사 며칠전에 신청해야돼요"
GOOD = "이사 7일 전까지 신청하세요 [1]."
# name -> (script settings, the modes the agent may get)
FAULTS: dict[str, tuple[dict, set[str]]] = {
    "none": ({}, {"llm"}),
    "hang": ({"fault": "hang"}, {"extractive"}),
    "drip": ({"fault": "drip", "drip_every_s": 0.5}, {"extractive"}),
    "http 500": ({"status": 500}, {"extractive"}),
    "english": ({"text": "You must apply 3 days before moving [1]."}, {"extractive"}),
    "broken json": ({"fault": "broken_json"}, {"extractive"}),
    "broken utf-8": ({"fault": "broken_utf8"}, {"extractive"}),
    "slow tokens": ({"token_delay_s": 0.5, "text": GOOD * 4}, {"extractive"}),
}


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("faults")
    manuals = root / "manuals"
    manuals.mkdir()
    shutil.copy(ROOT / "etl" / "samples" / "manuals" / "M006.html", manuals / "M006.html")
    sangdam("ingest", str(manuals), home=root / "home")
    return root / "home"


def _ask(home: Path, env: dict[str, str]) -> tuple[subprocess.CompletedProcess, float]:
    exe = ROOT / ".venv" / "bin" / "sangdam"
    start = time.perf_counter()
    done = subprocess.run([str(exe) if exe.exists() else "sangdam", "ask", QUESTION, "--json"],
                          env=clean_env(home, env), text=True, capture_output=True, timeout=120)
    return done, time.perf_counter() - start


def test_every_llm_fault_ends_in_an_answer_within_the_limit(home):
    runs = [_ask(home, {}) for _ in range(2)]  # the process's own start-up: Kiwi, the embedder, the index
    baseline, baseline_s = runs[0][0], max(wall for _, wall in runs)
    assert baseline.returncode == 0, baseline.stderr
    rows = [f"(no LLM) | extractive | wall {baseline_s:.1f} s | answer {json.loads(baseline.stdout)['timings_ms']['total'] / 1000:.1f} s"]
    failed = []
    for name, (script, modes) in FAULTS.items():
        server = FakeOpenAIServer()
        server.script.text = GOOD
        for key, value in script.items():
            setattr(server.script, key, value)
        try:
            env = {"SANGDAM_LLM_BASE_URL": server.url, "SANGDAM_LLM_TIMEOUT_S": str(LIMIT_S)}
            done, wall_s = _ask(home, env)
        finally:
            server.close()
        answer = json.loads(done.stdout) if done.returncode == 0 else {}
        total_s = answer.get("timings_ms", {}).get("total", 1e9) / 1000
        rows.append(f"{name} | {answer.get('mode', f'exit {done.returncode}')} | wall {wall_s:.1f} s | "
                    f"answer {total_s:.1f} s | {'; '.join(answer.get('warnings', []))[:90]}")
        ok = (done.returncode == 0 and answer["mode"] in modes and answer["answer"].strip()
              # The answer's own time holds the limit (+ 1 s; it keeps 0.5 s of the limit for its fallback). The
              # process adds its start-up, which a busy machine stretches: checked loosely, reported as measured.
              and total_s <= LIMIT_S + 1.0 and wall_s <= baseline_s + LIMIT_S + 3.0)
        if answer.get("mode") == "extractive":
            ok = ok and any("매뉴얼 발췌로 대신 답합니다" in w for w in answer["warnings"])
        if not ok:
            failed.append(f"{name}: {done.returncode} {done.stdout[-300:]} {done.stderr[-500:]}")
    REPORTS[f"LLM fault matrix (sangdam ask, SANGDAM_LLM_TIMEOUT_S={LIMIT_S:g})"] = [
        "fault | mode | process wall | answer total | notice", *rows]
    record("LLM faults (sangdam ask)", len(FAULTS), len(failed))
    assert not failed, "\n".join(failed)
