"""Fine-tuning use cases: the instruction dataset from the live index, the base model, training into the
adapter registry, and switching the adapter agents are served by."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from backend.app import audit
from backend.app.compare import closed_book_answer_fn, compare, extractive_answer_fn, rag_answer_fn
from backend.app.evaluation import read_jsonl
from backend.app.serve_llm import BASE_NAME
from backend.app.services import get_answerer, get_retriever, reset
from backend.config import get_settings
from backend.files import utc_iso
from backend.finetune.base_model import BaseModelInfo, prepare_base_model
from backend.finetune.dataset import DatasetInfo, write_dataset
from backend.finetune.raft import RaftBuilder, assign_splits
from backend.finetune.registry import AdapterRegistry
from backend.finetune.seeds import seeds_of
from backend.finetune.teacher import Teacher
from backend.finetune.train import TrainConfig, train
from backend.generate.vllm import VllmGenerator, server_root


def registry() -> AdapterRegistry:
    """The adapter registry under `$SANGDAM_HOME/adapters`."""
    return AdapterRegistry(get_settings().adapters_dir)


def build_instruction_data(
    out: Path | str,
    *,
    hold_out: Sequence[Path | str] = (),
    passages: int = 4,
    refusal_share: float = 0.2,
    paraphrases: int = 1,
    per_table_chunk: int = 3,
    budget_tokens: int | None = None,
    seed: int = 0,
) -> DatasetInfo:
    """Seeds from every current chunk of the index → RAFT examples with the serving prompt → `out` (JSONL)
    and its stats. The gold pages of the `hold_out` question sets go to the test split, so a comparison on
    those questions runs on pages the model never trained on. `budget_tokens` caps the prompt (default:
    the served context minus the answer, as in serving; lower it to train on CPU)."""
    settings = get_settings()
    retriever = get_retriever()
    index = retriever.index
    chunks = {c.chunk_id: c for doc_id in sorted(index.documents()) for c in index.chunks(doc_id)}
    if not chunks:
        raise ValueError("색인된 매뉴얼이 없습니다. 먼저 sangdam ingest 로 색인하세요.")
    test_pages = {page for path in hold_out for row in read_jsonl(path) for page in row.get("gold_docs") or []}
    splits = assign_splits(sorted({c.page for c in chunks.values()}), test_pages)
    seeds = seeds_of(chunks.values(), per_table_chunk)
    teacher = _teacher()
    if teacher is not None:  # the proof of concept's way: the teacher proposes, the filters decide
        seeds += [s for c in chunks.values() if not c.superseded and c.kind == "text" for s in teacher.questions(c, 2)]
    builder = RaftBuilder(
        lambda question, k: retriever.search(question, k=k),
        splits,
        passages=passages,
        refusal_share=refusal_share,
        paraphrases=paraphrases,
        budget_tokens=budget_tokens or settings.llm_context_tokens - settings.llm_max_tokens,
        seed=seed,
        paraphraser=teacher.paraphrase if teacher is not None else None,
    )
    examples = builder.examples(seeds, chunks)
    return write_dataset(out, (e.to_dict() for e in examples), builder.dropped)


def _teacher() -> Teacher | None:
    settings = get_settings()
    endpoint = _helper_llm(settings.teacher_base_url, settings.teacher_model, settings.teacher_api_key,
                           max_tokens=512, temperature=0.7)
    return Teacher(endpoint) if endpoint is not None else None


def _helper_llm(base_url: str | None, model: str, api_key: SecretStr | None, *, max_tokens: int,
                temperature: float) -> VllmGenerator | None:
    """The teacher's or the judge's OpenAI-compatible endpoint (None when its base URL is not set)."""
    if not base_url:
        return None
    key = api_key.get_secret_value() if api_key else None
    return VllmGenerator(base_url, model, api_key=key, timeout_s=120.0, max_retries=1, max_tokens=max_tokens,
                         temperature=temperature)


def prepare_model(name: str, *, source: Path | str | None = None,
                  progress: Callable[[str], None] | None = None) -> BaseModelInfo:
    """The base model as `$SANGDAM_HOME/models/<name>` (from the bundled package, a GGUF or an HF folder)."""
    models = get_settings().models_dir
    return prepare_base_model(models / name, source=source, cache_dir=models / "gguf", progress=progress)


def train_adapter(config_path: Path | str, *, register: bool = True) -> dict[str, Any]:
    """Train the adapter a config file describes; register it (not live yet) unless told not to."""
    config = TrainConfig.read(config_path)
    card = train(config)
    if register:
        info = registry().register(config.output_dir, config.name)
        card["adapter"] = str(info.directory)
    else:
        card["adapter"] = str(Path(config.output_dir) / "adapter")
    return card


def switch_adapter(name: str | None, *, user: str | None = None, client: str | None = None) -> str:
    """Serve agents with adapter `name` (None: the base model). With `llm_runtime_lora` the adapter is also
    loaded into the running vLLM server first; the answerer is rebuilt, the switch audited (by `user` from
    `client`). Returns a Korean summary."""
    settings = get_settings()
    reg = registry()
    if name is not None:
        info = reg.get(name)
        if settings.llm_runtime_lora and settings.llm_base_url:
            _load_into_vllm(settings.llm_base_url, name, str(info.directory.resolve()))
    reg.set_live(name)
    reset()
    audit.record("adapter_switched", user, client, adapter=name or "(기본 모델)")
    return f"이제 '{name}' 어댑터로 답합니다." if name else "이제 기본 모델로 답합니다."


def _load_into_vllm(base_url: str, name: str, path: str) -> None:
    request = urllib.request.Request(
        f"{server_root(base_url)}/v1/load_lora_adapter", data=json.dumps({"lora_name": name, "lora_path": path}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60):  # noqa: S310 - the configured vLLM server
            pass
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")[:200]
        if "already been loaded" not in detail:
            raise ValueError(f"vLLM 이 어댑터를 불러오지 못했습니다 ({exc.code}): {detail}") from exc
    except OSError as exc:
        raise ValueError(f"vLLM 서버에 연결할 수 없습니다: {exc}") from exc


def compare_models(questions: Path | str, *, adapter: str | None = None, base_model: str = BASE_NAME,
                   workers: int = 4) -> dict[str, Any]:
    """`sangdam eval compare`: the four columns of `backend.app.compare` on one question set, kept with the
    adapter's scores in the registry."""
    settings = get_settings()
    if not settings.llm_base_url:
        raise ValueError("SANGDAM_LLM_BASE_URL 이 없습니다: 기본 모델과 어댑터를 내보내는 vLLM 서버가 필요합니다 (make serve-llm).")
    reg = registry()
    adapter = adapter or reg.live()
    if adapter is None:
        raise ValueError("비교할 어댑터가 없습니다: --adapter 이름을 주거나 sangdam finetune use 로 정하세요.")
    reg.get(adapter)
    rows = list(read_jsonl(questions))
    index = get_retriever().index

    def gold_text(question: str) -> str:
        row = next(r for r in rows if r["question"] == question)
        return "\n".join(c.text for page in row.get("gold_docs") or [] for c in index.chunks(page.rsplit(".", 1)[0]))

    def llm(model: str) -> VllmGenerator:
        # One answer per question: no retry, a long deadline (CPU serving is slow; latency is measured apart).
        return VllmGenerator.from_settings(settings.model_copy(update={
            "llm_model": model, "llm_max_retries": 0, "llm_timeout_s": max(settings.llm_timeout_s, 300.0),
            "llm_temperature": 0.0}))

    answerer = get_answerer()
    columns = {
        "base+RAG": rag_answer_fn(llm(base_model), answerer),
        "PEFT": closed_book_answer_fn(llm(adapter), gold_text),
        "PEFT+RAG": rag_answer_fn(llm(adapter), answerer),
        "extractive": extractive_answer_fn(answerer),
    }
    judge = _helper_llm(settings.judge_base_url, settings.judge_model, settings.judge_api_key,
                        max_tokens=64, temperature=0.0)
    result = compare(rows, columns, workers=workers, judge=judge)
    result.update(adapter=adapter, base_model=base_model, questions_file=str(questions), finished_at=utc_iso())
    reg.add_scores(adapter, {k: v for k, v in result.items() if k != "columns"} | {
        "columns": {name: {"overall": col["overall"], "by_category": col["by_category"]}
                    for name, col in result["columns"].items()}})
    return result
