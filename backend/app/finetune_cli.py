"""`sangdam finetune ...`: the fine-tuning commands (registered by `backend.app.cli`)."""

from __future__ import annotations

from pathlib import Path

import typer

from backend.app.finetune import build_instruction_data
from backend.finetune.dataset import stats_path

finetune_app = typer.Typer(help="sLLM 미세조정: 지시 데이터 만들기", no_args_is_help=True)


@finetune_app.command("data")
def finetune_data(
    out: Path = typer.Option(..., "--out", dir_okay=False, help="지시 데이터를 쓸 JSONL 경로"),
    hold_out: list[Path] = typer.Option(
        [], "--hold-out", exists=True, dir_okay=False,
        help="이 질문 세트의 정답 문서는 test 분할로 (학습에 쓰지 않음). 여러 번 줄 수 있음",
    ),
    passages: int = typer.Option(4, "--passages", min=2, max=10, help="예시마다 프롬프트에 넣는 발췌 수"),
    refusal_share: float = typer.Option(0.2, "--refusal-share", min=0.0, max=0.9, help="거절 예시의 비율"),
    paraphrases: int = typer.Option(1, "--paraphrases", min=0, max=5, help="질문마다 만드는 상담사식 변형 수"),
    per_table_chunk: int = typer.Option(3, "--per-table-chunk", min=1, help="표 청크마다 묻는 칸 수"),
    seed: int = typer.Option(0, "--seed", help="난수 씨앗 (같은 색인·씨앗이면 같은 데이터)"),
) -> None:
    """RAFT-style instruction examples from the current index, split by page, with stats and a hash."""
    try:
        info = build_instruction_data(out, hold_out=hold_out, passages=passages, refusal_share=refusal_share,
                                      paraphrases=paraphrases, per_table_chunk=per_table_chunk, seed=seed)
    except (ValueError, KeyError, OSError) as exc:
        typer.secho(f"지시 데이터를 만들 수 없습니다: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    typer.echo(f"예시 {info.examples}개 → {info.path} (sha256 {info.sha256[:12]}…, 통계 {stats_path(out)})")
    for split in ("train", "validation", "test"):
        if split not in info.by_split:
            continue
        kinds = ", ".join(f"{k} {n}" for k, n in info.by_kind[split].items())
        categories = ", ".join(f"{c} {n}" for c, n in info.by_category[split].items())
        typer.echo(f"  {split}: {info.by_split[split]}개 (문서 {info.pages[split]}쪽) — {kinds} — {categories}")
    if info.dropped:
        typer.echo("  걸러낸 예시: " + ", ".join(f"{reason} {n}" for reason, n in sorted(info.dropped.items())))
