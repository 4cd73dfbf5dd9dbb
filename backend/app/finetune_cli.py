"""`sangdam finetune ...` and `sangdam model ...`: the fine-tuning commands (registered by `backend.app.cli`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from tqdm import tqdm

from backend.app.compare import format_compare_table, reviewer_sheet
from backend.app.finetune import (
    build_instruction_data,
    compare_models,
    prepare_model,
    registry,
    switch_adapter,
    train_adapter,
)
from backend.app.serve_llm import exec_vllm, vllm_command
from backend.config import get_settings
from backend.finetune.base_model import ensure_turn_format
from backend.finetune.dataset import stats_path

finetune_app = typer.Typer(help="sLLM 미세조정: 지시 데이터, LoRA 학습, 어댑터", no_args_is_help=True)
model_app = typer.Typer(help="기본 모델 (미세조정과 vLLM 서빙용)", no_args_is_help=True)


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
    budget_tokens: Optional[int] = typer.Option(None, "--budget-tokens", min=200,
                                                help="프롬프트 토큰 상한 (기본: 서빙과 같음; CPU 학습은 낮게)"),
    seed: int = typer.Option(0, "--seed", help="난수 씨앗 (같은 색인·씨앗이면 같은 데이터)"),
) -> None:
    """현재 색인으로 RAFT 방식 지시 데이터를 만듭니다 (페이지 단위 분할, 통계, 해시)."""
    try:
        info = build_instruction_data(out, hold_out=hold_out, passages=passages, refusal_share=refusal_share,
                                      paraphrases=paraphrases, per_table_chunk=per_table_chunk,
                                      budget_tokens=budget_tokens, seed=seed)
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


@finetune_app.command("train")
def finetune_train(
    config: Path = typer.Argument(..., exists=True, dir_okay=False, help="학습 설정 (TOML 또는 JSON)"),
    register: bool = typer.Option(True, "--register/--no-register", help="끝나면 어댑터 목록에 등록"),
) -> None:
    """peft + TRL 로 LoRA 를 학습합니다 (마지막 체크포인트에서 이어서; 어댑터와 모델 카드 저장)."""
    try:
        card = train_adapter(config, register=register)
    except (ValueError, KeyError, OSError, ImportError) as exc:
        typer.secho(f"학습할 수 없습니다: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    metrics = card["metrics"]
    typer.echo(f"학습 완료: {card['name']} — {card['steps']}단계, {card['wall_s']}초, "
               f"학습 손실 {metrics.get('train_loss', '-')}, 검증 손실 {metrics.get('eval_loss', '-')}")
    typer.echo(f"  어댑터 {card['adapter']} (데이터 sha256 {card['data_sha256'][:12]}…)")


@model_app.command("prepare")
def model_prepare(
    source: Optional[Path] = typer.Option(None, "--source", help="GGUF 파일 또는 HF 모델 폴더 (기본: 번들 Gemma 3 270M 패키지)"),
    name: str = typer.Option("gemma-3-270m", "--name", help="SANGDAM_HOME/models/ 아래 폴더 이름"),
) -> None:
    """기본 모델 패키지(또는 GGUF 파일, HF 폴더)를 peft 와 vLLM 이 읽는 HF 폴더로 준비합니다."""
    bar = tqdm(total=3, desc="기본 모델 준비", file=sys.stderr, dynamic_ncols=True)

    def progress(step: str) -> None:
        bar.set_postfix_str(step)
        bar.update(1)

    try:
        info = prepare_model(name, source=source, progress=progress)
    except (ValueError, OSError, ImportError) as exc:
        bar.close()
        typer.secho(f"기본 모델을 준비할 수 없습니다: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    bar.close()
    typer.echo(f"기본 모델 {info.directory}: 매개변수 {info.parameters:,}개, {info.wall_s}초, "
               f"원본 {info.source} (sha256 {info.source_sha256[:12]}…), 라이선스 {info.license}")


@finetune_app.command("list")
def finetune_list() -> None:
    """등록된 어댑터: 서비스 중인 것, 학습 단계, 손실, 데이터 해시."""
    adapters = registry().list()
    if not adapters:
        typer.echo("등록된 어댑터가 없습니다. sangdam finetune train 으로 학습하세요.")
        return
    for a in adapters:
        m = a.card.get("metrics", {})
        typer.echo(f"{'*' if a.live else ' '} {a.name}: {a.card.get('steps', '?')}단계, 학습 손실 {m.get('train_loss', '-')}, "
                   f"검증 손실 {m.get('eval_loss', '-')}, 데이터 {str(a.card.get('data_sha256', ''))[:12]}")


@finetune_app.command("use")
def finetune_use(
    name: Optional[str] = typer.Argument(None, help="서비스할 어댑터 이름"),
    base: bool = typer.Option(False, "--base", help="어댑터 없이 기본 모델로"),
) -> None:
    """상담사에게 쓰는 어댑터를 바꿉니다 (SANGDAM_LLM_RUNTIME_LORA 이면 실행 중인 vLLM 에 바로 불러옴)."""
    if (name is None) == (not base):
        typer.secho("어댑터 이름 또는 --base 중 하나만 주세요.", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    try:
        typer.echo(switch_adapter(None if base else name))
    except ValueError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None


def compare_command(
    questions: Path = typer.Argument(..., exists=True, dir_okay=False, help="질문 JSONL (id, question, category, answer_facts, gold_docs, out_of_scope)"),
    adapter: Optional[str] = typer.Option(None, "--adapter", help="비교할 어댑터 (기본: 서비스 중인 어댑터)"),
    base_model: str = typer.Option("sangdam-base", "--base-model", help="vLLM 이 기본 모델을 내보내는 이름"),
    workers: int = typer.Option(4, "--workers", min=1, max=16, help="동시에 보내는 질문 수"),
    report: Optional[Path] = typer.Option(None, "--report", help="JSON 보고서를 쓸 경로"),
    sheet: Optional[Path] = typer.Option(None, "--sheet", help="사람이 0/1/2 로 채점할 CSV 를 쓸 경로"),
) -> None:
    """같은 질문에 기본 모델+RAG, PEFT 단독, PEFT+RAG, 매뉴얼 발췌 답변을 나란히 비교합니다."""
    try:
        result = compare_models(questions, adapter=adapter, base_model=base_model, workers=workers)
    except (ValueError, KeyError, OSError) as exc:
        typer.secho(f"비교할 수 없습니다: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    if report:
        report.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    if sheet:
        reviewer_sheet(result, sheet)
    typer.echo(f"질문 {result['questions']}개, 어댑터 {result['adapter']}, 기본 모델 {result['base_model']}")
    typer.echo(format_compare_table(result))


@model_app.command("serve")
def model_serve(
    base: str = typer.Option("gemma-3-270m", "--base", help="SANGDAM_HOME/models/ 아래 기본 모델 폴더"),
    port: int = typer.Option(8000, "--port"),
    vllm_python: Path = typer.Option(Path(".venv-vllm/bin/python"), "--vllm-python", help="vLLM 이 설치된 파이썬"),
    max_model_len: int = typer.Option(2048, "--max-model-len", min=256),
    gpu: bool = typer.Option(False, "--gpu", help="GPU 서버 (CUDA 그래프 사용)"),
    kv_cache_gib: int = typer.Option(2, "--kv-cache-gib", min=1, help="CPU 서버의 KV 캐시 (GiB)"),
    print_only: bool = typer.Option(False, "--print", help="명령만 출력"),
) -> None:
    """기본 모델과 등록된 어댑터를 vLLM 으로 서빙합니다 (OpenAI 호환, 실행 중 LoRA 교체 가능)."""
    try:
        cmd = vllm_command(get_settings(), base=base, python=str(vllm_python), port=port,
                           max_model_len=max_model_len, cpu=not gpu, kv_cache_gib=kv_cache_gib)
        if ensure_turn_format(get_settings().models_dir / base):
            typer.echo("기본 모델의 대화 형식(턴 끝에서 멈춤)을 보완했습니다 (이전 버전으로 준비된 모델).")
        if print_only:
            typer.echo(" ".join(cmd))
            return
        typer.echo(f"vLLM 시작: http://localhost:{port}/v1 (SANGDAM_LLM_BASE_URL 로 설정)")
        exec_vllm(cmd, str(vllm_python))
    except ValueError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
