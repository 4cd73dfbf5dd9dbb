"""LoRA training with peft + TRL's `SFTTrainer` (`sangdam finetune train CONFIG`).

- Data: the dataset's train split as prompt/completion conversations (system + user → assistant), so the
  loss counts the answer tokens only; its validation split is evaluated every `eval_every` steps.
- Output: `output_dir/adapter/` in the layout vLLM's `--lora-modules` loads (adapter_config.json +
  adapter_model.safetensors, no tokenizer files: vLLM warns about them), `loss.csv` (step, train and
  validation loss, learning rate, seconds), checkpoints (a rerun resumes from the last one) and
  `sangdam-adapter.json`, the model card: base model and its hash, data hash, config, metrics, wall time,
  machine.
- CPU by default (2 threads here: ~10 s a step at batch 2 × 300 tokens for 270M); on a GPU bf16, and QLoRA
  (4-bit base, bitsandbytes) when `qlora` is set.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import time
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from backend.files import atomic_write_json, utc_iso
from backend.finetune.base_model import CARD_FILE as BASE_CARD
from backend.finetune.dataset import file_sha256, read_dataset
from backend.finetune.review import ReviewLog, review_path
from backend.finetune.review import apply as apply_review

ADAPTER_DIR = "adapter"
CARD_FILE = "sangdam-adapter.json"
LOSS_FILE = "loss.csv"


@dataclass
class TrainConfig:
    """A training run; read from a TOML or JSON file (`TrainConfig.read`)."""

    base_model: str  # a prepared HF directory (`sangdam model prepare`)
    data: str  # a dataset JSONL (`sangdam finetune data`)
    output_dir: str
    name: str = "sangdam-lora"  # the adapter's name in the registry and in vLLM's --lora-modules
    r: int = 8
    alpha: int = 16
    dropout: float = 0.05
    target_modules: list[str] | str = "all-linear"
    learning_rate: float = 2e-4  # LoRA's usual rate (TRL's default 2e-5 is for full fine-tuning)
    max_steps: int = 0  # 0: train `epochs` epochs
    epochs: float = 1.0
    batch_size: int = 2
    grad_accum: int = 1
    max_length: int = 1024
    warmup_steps: float = 0.03  # below 1: a share of the steps
    eval_every: int = 20
    save_every: int = 20
    seed: int = 0
    threads: int = 0  # CPU threads (0: torch's default)
    gradient_checkpointing: bool = False  # ~4x slower on CPU; saves memory on a GPU
    qlora: bool = False  # 4-bit base on a CUDA GPU
    extra: dict[str, Any] = field(default_factory=dict)  # more SFTConfig arguments

    @classmethod
    def read(cls, path: Path | str) -> TrainConfig:
        """A config file: TOML (`[train]` table or top level) or JSON. Unknown keys are an error."""
        path = Path(path)
        raw = path.read_text(encoding="utf-8")
        data = tomllib.loads(raw) if path.suffix == ".toml" else json.loads(raw)
        data = data.get("train", data)
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"학습 설정에 모르는 항목이 있습니다: {', '.join(sorted(unknown))}")
        config = cls(**data)
        for key in ("base_model", "data", "output_dir"):  # relative to the config file
            value = Path(getattr(config, key)).expanduser()
            setattr(config, key, str(value if value.is_absolute() else (path.parent / value).resolve()))
        return config


def conversations(path: Path | str, split: str) -> list[dict[str, Any]]:
    """The split's examples after people's review (rejected left out, edits applied) as TRL prompt/completion
    conversations (loss on the completion only)."""
    rows = apply_review(read_dataset(path, split), ReviewLog(path).decisions())
    return [{"prompt": row["messages"][:-1], "completion": row["messages"][-1:]} for row in rows]


def _loss_logger(path: Path, started: float):
    from transformers import TrainerCallback

    class LossLogger(TrainerCallback):
        """Appends one CSV row per logged step (train loss) or evaluation (validation loss)."""

        def on_log(self, args, state, control, logs=None, **kwargs):  # noqa: ARG002 - the callback's signature
            if not logs or ("loss" not in logs and "eval_loss" not in logs):
                return
            new = not path.exists()
            with open(path, "a", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                if new:
                    writer.writerow(["step", "train_loss", "eval_loss", "learning_rate", "seconds"])
                writer.writerow([state.global_step, logs.get("loss", ""), logs.get("eval_loss", ""),
                                 logs.get("learning_rate", ""), round(time.monotonic() - started, 1)])

    return LossLogger()


def train(config: TrainConfig) -> dict[str, Any]:
    """Train (or resume) the adapter of `config`; returns the model card it wrote."""
    import torch
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    started = time.monotonic()
    out = Path(config.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    if config.threads:
        torch.set_num_threads(config.threads)
    cuda = torch.cuda.is_available()
    train_rows = conversations(config.data, "train")
    eval_rows = conversations(config.data, "validation")
    if not train_rows:
        raise ValueError(f"학습 분할(train)에 예시가 없습니다: {config.data}")
    tokenizer = AutoTokenizer.from_pretrained(config.base_model)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model_kwargs: dict[str, Any] = {"dtype": torch.bfloat16 if cuda else torch.float32}
    if config.qlora:
        if not cuda:
            raise ValueError("QLoRA(4비트)는 CUDA GPU 에서만 쓸 수 있습니다. qlora = false 로 학습하세요.")
        from transformers import BitsAndBytesConfig

        model_kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_compute_dtype=torch.bfloat16)
    model = AutoModelForCausalLM.from_pretrained(config.base_model, **model_kwargs)
    args = SFTConfig(
        output_dir=str(out / "checkpoints"),
        max_steps=config.max_steps or -1,
        num_train_epochs=config.epochs,
        per_device_train_batch_size=config.batch_size,
        per_device_eval_batch_size=config.batch_size,
        gradient_accumulation_steps=config.grad_accum,
        learning_rate=config.learning_rate,
        warmup_steps=config.warmup_steps,
        max_length=config.max_length,
        logging_steps=1,
        eval_strategy="steps" if eval_rows else "no",
        eval_steps=config.eval_every,
        save_strategy="steps",
        save_steps=config.save_every,
        save_total_limit=2,
        seed=config.seed,
        gradient_checkpointing=config.gradient_checkpointing,
        bf16=cuda,
        use_cpu=not cuda,
        report_to=[],
        **config.extra,
    )
    lora = LoraConfig(r=config.r, lora_alpha=config.alpha, lora_dropout=config.dropout,
                      target_modules=config.target_modules, task_type="CAUSAL_LM")
    trainer = SFTTrainer(
        model=model, args=args, train_dataset=Dataset.from_list(train_rows),
        eval_dataset=Dataset.from_list(eval_rows) if eval_rows else None,
        processing_class=tokenizer, peft_config=lora, callbacks=[_loss_logger(out / LOSS_FILE, started)],
    )
    checkpoints = sorted((out / "checkpoints").glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[-1]))
    result = trainer.train(resume_from_checkpoint=str(checkpoints[-1]) if checkpoints else None)
    metrics = dict(result.metrics)
    if eval_rows:  # the last evaluation's figures (run once more unless the last step just ran one)
        last = [h for h in trainer.state.log_history if "eval_loss" in h and h.get("step") == trainer.state.global_step]
        metrics.update(last[-1] if last else trainer.evaluate())
    trainer.model.save_pretrained(out / ADAPTER_DIR)  # adapter weights and config only, no tokenizer
    card = {
        "name": config.name,
        "trained_at": utc_iso(),
        "wall_s": round(time.monotonic() - started, 1),
        "base_model": config.base_model,
        "base": _base_card(config.base_model),
        "data": config.data,
        "data_sha256": file_sha256(config.data),
        "review_sha256": file_sha256(review_path(config.data)) if review_path(config.data).is_file() else None,
        "examples": {"train": len(train_rows), "validation": len(eval_rows)},
        "config": asdict(config),
        "metrics": {k: (round(v, 5) if isinstance(v, float) else v) for k, v in metrics.items()},
        "steps": trainer.state.global_step,
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "torch": torch.__version__,
                    "device": torch.cuda.get_device_name(0) if cuda else "cpu"},
    }
    atomic_write_json(out / CARD_FILE, card)
    return card


def _base_card(directory: str) -> dict[str, Any]:
    path = Path(directory) / BASE_CARD
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
