"""Fine-tuning use cases over the live index: the instruction dataset (`sangdam finetune data`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from backend.app.evaluation import read_jsonl
from backend.app.services import get_retriever
from backend.config import get_settings
from backend.finetune.dataset import DatasetInfo, write_dataset
from backend.finetune.raft import RaftBuilder, assign_splits
from backend.finetune.seeds import seeds_of


def build_instruction_data(
    out: Path | str,
    *,
    hold_out: Sequence[Path | str] = (),
    passages: int = 4,
    refusal_share: float = 0.2,
    paraphrases: int = 1,
    per_table_chunk: int = 3,
    seed: int = 0,
) -> DatasetInfo:
    """Seeds from every current chunk of the index → RAFT examples with the serving prompt → `out` (JSONL)
    and its stats. The gold pages of the `hold_out` question sets go to the test split, so a comparison on
    those questions runs on pages the model never trained on."""
    settings = get_settings()
    retriever = get_retriever()
    index = retriever.index
    chunks = {c.chunk_id: c for doc_id in sorted(index.documents()) for c in index.chunks(doc_id)}
    if not chunks:
        raise ValueError("색인된 매뉴얼이 없습니다. 먼저 sangdam ingest 로 색인하세요.")
    test_pages = {page for path in hold_out for row in read_jsonl(path) for page in row.get("gold_docs") or []}
    splits = assign_splits(sorted({c.page for c in chunks.values()}), test_pages)
    builder = RaftBuilder(
        lambda question, k: retriever.search(question, k=k),
        splits,
        passages=passages,
        refusal_share=refusal_share,
        paraphrases=paraphrases,
        budget_tokens=settings.llm_context_tokens - settings.llm_max_tokens,
        seed=seed,
    )
    examples = builder.examples(seeds_of(chunks.values(), per_table_chunk), chunks)
    return write_dataset(out, (e.to_dict() for e in examples), builder.dropped)
