"""Start a real vLLM OpenAI-compatible server on CPU for the integration tests (once per session).

vLLM lives in its own environment (`.venv-vllm`, made by `make test`; `SANGDAM_TEST_VLLM_PYTHON` names
another interpreter): the app reaches it over HTTP only, so vLLM's pinned torch/transformers never meet
the app's dependencies.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BASE_MODEL = "tiny"
ADAPTER = "manual-lora"
START_TIMEOUT_S = 600


def vllm_python() -> Path | None:
    """The interpreter of the vLLM environment, or None when it is not installed."""
    path = Path(os.environ.get("SANGDAM_TEST_VLLM_PYTHON") or ROOT / ".venv-vllm" / "bin" / "python")
    return path if path.exists() else None


@dataclass
class VllmServer:
    url: str  # .../v1
    process: subprocess.Popen
    log_path: Path
    model_dir: Path
    build_s: float
    startup_s: float
    figures: dict = field(default_factory=dict)

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def served_models(url: str) -> list[dict] | None:
    try:
        with urllib.request.urlopen(f"{url}/models", timeout=2) as resp:
            return json.loads(resp.read())["data"]
    except OSError:
        return None


def start(python: Path, workdir: Path) -> VllmServer:
    """Build the tiny model and its LoRA adapter, start the server and wait until it lists both."""
    started = time.monotonic()
    subprocess.run([str(python), str(Path(__file__).with_name("build_tiny_model.py")), str(workdir)],
                   check=True, capture_output=True, text=True, timeout=600)
    build_s = time.monotonic() - started
    port = free_port()
    log_path = workdir / "vllm.log"
    # Runtime LoRA loading on: the fine-tuning test loads the adapter it trained into this server.
    env = {**os.environ, "VLLM_CPU_KVCACHE_SPACE": "1", "VLLM_LOGGING_LEVEL": "INFO", "OMP_NUM_THREADS": "1",
           "VLLM_ALLOW_RUNTIME_LORA_UPDATING": "True"}
    cmd = [
        str(python), "-m", "vllm.entrypoints.openai.api_server",
        "--model", str(workdir / "model"), "--served-model-name", BASE_MODEL,
        "--host", "127.0.0.1", "--port", str(port), "--max-model-len", "1024", "--dtype", "bfloat16",
        "--enable-lora", "--lora-modules", f"{ADAPTER}={workdir / 'adapter'}", "--max-lora-rank", "8",
    ]
    log = log_path.open("w")
    process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=workdir)
    url = f"http://127.0.0.1:{port}/v1"
    begin = time.monotonic()
    server = VllmServer(url, process, log_path, workdir / "model", build_s, 0.0)
    while time.monotonic() - begin < START_TIMEOUT_S:
        if process.poll() is not None:
            raise RuntimeError(f"vLLM exited with {process.returncode}:\n{server.log_tail()}")
        models = served_models(url)
        if models and {m["id"] for m in models} >= {BASE_MODEL, ADAPTER}:
            server.startup_s = time.monotonic() - begin
            return server
        time.sleep(1)
    server.stop()
    raise RuntimeError(f"vLLM did not answer /v1/models within {START_TIMEOUT_S} s:\n{server.log_tail()}")
