"""The fine-tuning loop for real, at toy scale: instruction data from 3 sample pages (M006, M017, M001) → 3 LoRA steps with peft
+ TRL on the tiny model the vLLM test builds (falling loss) → the adapter registered, switched live and
loaded into the running vLLM server → an answer through it. The real 270M run is a benchmark, not a test."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from backend.app import services
from backend.app.cli import app
from backend.config import get_settings
from backend.finetune.registry import AdapterRegistry
from backend.generate.vllm import VllmGenerator
from tests.pages.sample_home import indexed_home

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """Three sample pages indexed into a fresh SANGDAM_HOME."""
    with indexed_home(tmp_path_factory) as (home, _root):
        yield home


def test_data_train_register_serve_and_answer(home, vllm_server, tmp_path, monkeypatch):
    home_dir, mp = home, monkeypatch
    data = tmp_path / "ft.jsonl"
    result = CliRunner().invoke(app, ["finetune", "data", "--out", str(data), "--passages", "2",
                                      "--budget-tokens", "700", "--refusal-share", "0.3"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()]
    # The 3 pages split by hash; train on whatever split holds examples (a toy corpus has few pages).
    split = max({"train", "validation", "test"}, key=lambda s: sum(r["split"] == s for r in rows))
    train_rows = [dict(r, split="train") for r in rows if r["split"] == split][:4]
    assert len(train_rows) == 4
    small = tmp_path / "small.jsonl"
    small.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in train_rows), encoding="utf-8")

    config = tmp_path / "train.toml"
    config.write_text(f"""[train]
base_model = "{vllm_server.model_dir}"
data = "{small}"
output_dir = "{tmp_path / 'run'}"
name = "toy-lora"
target_modules = ["q_proj", "v_proj"]
max_steps = 3
batch_size = 4
learning_rate = 0.005
warmup_steps = 0
max_length = 1024
""", encoding="utf-8")
    result = CliRunner().invoke(app, ["finetune", "train", str(config)])
    assert result.exit_code == 0, result.output
    with open(tmp_path / "run" / "loss.csv", encoding="utf-8") as fh:
        losses = [float(r["train_loss"]) for r in csv.DictReader(fh) if r["train_loss"]]
    assert len(losses) == 3 and losses[-1] < losses[0], losses  # the same batch three times: the loss falls

    registry = AdapterRegistry(home_dir / "adapters")
    (adapter,) = registry.list()
    assert adapter.name == "toy-lora" and not adapter.live and adapter.loss_csv is not None
    assert (adapter.directory / "adapter_config.json").is_file() and not (adapter.directory / "tokenizer.json").exists()
    card = adapter.card
    assert card["steps"] == 3 and card["examples"]["train"] == 4 and len(card["data_sha256"]) == 64

    mp.setenv("SANGDAM_LLM_BASE_URL", vllm_server.url)
    mp.setenv("SANGDAM_LLM_RUNTIME_LORA", "true")
    mp.setenv("SANGDAM_LLM_MAX_TOKENS", "32")
    mp.setenv("SANGDAM_LLM_CONTEXT_TOKENS", "1024")
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["finetune", "use", "toy-lora"])
    assert result.exit_code == 0, result.output
    assert registry.live() == "toy-lora"
    # The running server now serves the trained adapter by name (a 404 here if it had not been loaded) ...
    direct = VllmGenerator(vllm_server.url, "toy-lora", max_tokens=16, context_tokens=1024, max_retries=0)
    assert direct.generate("이사 며칠 전까지?", []).model == "toy-lora"
    # ... and the answerer asks it: the tiny model's text is noise, so it may be refused as not Korean and
    # replaced by the extractive answer, but never for a server error.
    answer = services.get_answerer().answer("이사 며칠 전까지 신청해야 해요?")
    assert answer.model == "toy-lora" or any("한국어가 아니어서" in w for w in answer.warnings), answer.warnings
    assert not any("서버 오류" in w for w in answer.warnings), answer.warnings

    # The four-column comparison runs against the same server (base = the tiny model, adapter = the new one).
    questions = tmp_path / "q.jsonl"
    questions.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in [
        {"id": "Q1", "category": "프로세스", "question": "이사 며칠 전까지 신청해야 해요?", "answer_facts": ["7일"],
         "gold_docs": ["M006.html"]},
        {"id": "Q2", "category": "비교", "question": "넷플릭스도 결합돼요?", "answer_facts": [], "gold_docs": [],
         "out_of_scope": True}]), encoding="utf-8")
    report = tmp_path / "compare.json"
    result = CliRunner().invoke(app, ["eval", "compare", str(questions), "--base-model", "tiny", "--workers", "2",
                                      "--report", str(report), "--sheet", str(tmp_path / "sheet.csv")])
    assert result.exit_code == 0, result.output
    compared = json.loads(report.read_text(encoding="utf-8"))
    assert list(compared["columns"]) == ["base+RAG", "PEFT", "PEFT+RAG", "extractive"]
    for name in ("base+RAG", "PEFT", "PEFT+RAG"):  # every LLM column got answers from vLLM, not errors
        assert all(q["answer"] and not q["warnings"] for q in compared["columns"][name]["questions"]), name
    assert compared["columns"]["PEFT"]["overall"]["citation_precision"] == 0.0  # closed book cites nothing
    assert registry.get("toy-lora").scores()[0]["adapter"] == "toy-lora"
    mp.undo()
    get_settings.cache_clear()
    services.reset()
