"""The vLLM server command for the prepared base model and every registered adapter (`sangdam model serve`,
`make serve-llm`). vLLM lives in its own environment (`.venv-vllm` here; a GPU host's own install in
production): the app only builds the command and talks to the server over HTTP."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from backend.config import Settings
from backend.finetune.registry import AdapterRegistry

BASE_NAME = "sangdam-base"  # the name the base model is served under (`sangdam eval compare --base-model`)


def vllm_command(settings: Settings, *, base: str, python: str, port: int = 8000, max_model_len: int = 2048,
                 cpu: bool = True, kv_cache_gib: int = 2) -> list[str]:
    """The command that serves `$SANGDAM_HOME/models/<base>` as `sangdam-base` plus each registered adapter
    under its own name, with runtime LoRA loading on (the admin page can add one later). It starts with
    `env VAR=value …`, so the server inherits this process's environment plus vLLM's own switches."""
    model = settings.models_dir / base
    if not (model / "config.json").is_file():
        raise ValueError(f"기본 모델이 없습니다: {model} (sangdam model prepare 로 만드세요)")
    adapters = AdapterRegistry(settings.adapters_dir).list()
    rank = max([int(a.card.get("config", {}).get("r", 8)) for a in adapters] + [8])
    switches = ["VLLM_ALLOW_RUNTIME_LORA_UPDATING=True"] + ([f"VLLM_CPU_KVCACHE_SPACE={kv_cache_gib}"] if cpu else [])
    cmd = ["env", *switches, python, "-m", "vllm.entrypoints.openai.api_server", "--model", str(model), "--served-model-name", BASE_NAME,
           "--port", str(port), "--max-model-len", str(max_model_len), "--dtype", "bfloat16",
           "--enable-lora", "--max-lora-rank", str(rank)]
    if adapters:
        cmd += ["--lora-modules", *(f"{a.name}={a.directory.resolve()}" for a in adapters)]
    if cpu:
        cmd.append("--enforce-eager")
    return cmd


def exec_vllm(cmd: list[str], python: str) -> None:
    """Replace this process by the vLLM server (Ctrl-C stops it)."""
    if not Path(python).exists():
        raise ValueError(f"vLLM 파이썬이 없습니다: {python} (make test 가 .venv-vllm 을 만듭니다)")
    sys.stdout.flush()
    os.execvp(cmd[0], cmd)
