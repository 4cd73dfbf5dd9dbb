"""`sangdam`: the command line that drives every job the dashboard drives."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path
from typing import Optional

import typer
import typer.core
from tqdm import tqdm
from typer import rich_utils

from backend.app import audit, jobs
from backend.app.auth import AuthError, UserStore
from backend.app.evaluation import (
    evaluate_answers,
    evaluate_retrieval,
    format_answer_table,
    format_retrieval_table,
    read_jsonl,
)
from backend.app.finetune_cli import compare_command, finetune_app, model_app
from backend.app.keyword_weight import fit_keyword_weight, format_fit
from backend.app.login_guard import LoginGuard
from backend.app.services import (
    get_answerer,
    get_retriever,
    hit_to_json,
    index_status,
    ingest_manuals,
    retrievers_by_keyword_weight,
)
from backend.config import get_settings
from backend.models import Hit, Kind, SearchFilters
from backend.search.base import AnalyzerMismatchError, EmbedderMismatchError
from etl.run_record import RunRecord

def _korean_help_screens() -> None:
    """Typer's own words on the help screens in Korean (the commands' and options' help is ours): the
    panel titles, and the --help option's line (set on the option Typer's commands and groups create)."""
    rich_utils.OPTIONS_PANEL_TITLE = "옵션"
    rich_utils.COMMANDS_PANEL_TITLE = "명령"
    rich_utils.ARGUMENTS_PANEL_TITLE = "인자"
    rich_utils.REQUIRED_LONG_STRING = "[필수]"
    for cls in (typer.core.TyperCommand, typer.core.TyperGroup):
        original = cls.get_help_option
        if getattr(original, "korean", False):
            continue

        def get_help_option(self, ctx, _original=original):  # noqa: ANN001 - Typer's own signature
            option = _original(self, ctx)
            if option is not None:
                option.help = "이 도움말을 보여 주고 끝냅니다."
            return option

        get_help_option.korean = True  # type: ignore[attr-defined]
        cls.get_help_option = get_help_option  # type: ignore[method-assign]


_korean_help_screens()
app = typer.Typer(help="상담 코파일럿: 매뉴얼 색인과 검색", no_args_is_help=True, add_completion=False)
eval_app = typer.Typer(help="검색·답변 품질 평가", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
user_app = typer.Typer(help="대시보드 계정 (SANGDAM_AUTH_MODE=local)", no_args_is_help=True)
app.add_typer(user_app, name="user")
audit_app = typer.Typer(help="감사 기록 ($SANGDAM_HOME/audit.log: 로그인, 재색인, 내보내기, 계정 추가 등)", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
jobs_app = typer.Typer(help="관리자 화면이 시작한 작업(재색인, 답변 평가)", no_args_is_help=True)
app.add_typer(jobs_app, name="jobs")
app.add_typer(finetune_app, name="finetune")
app.add_typer(model_app, name="model")
eval_app.command("compare")(compare_command)


# Errors shown to the operator as one Korean line: bad input, a question file without a field, an index
# built with another embedder or keyword recipe (a full re-index fixes those), a broken glossary.
USER_ERRORS = (ValueError, KeyError, EmbedderMismatchError, AnalyzerMismatchError)


def _fail(message: str, code: int = 2) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


@app.command()
def ingest(
    path: str = typer.Argument(None, help="매뉴얼 폴더 또는 s3://버킷/접두어 (기본: SANGDAM_MANUALS_SOURCE)"),
    full: bool = typer.Option(False, "--full", help="바뀌지 않은 문서까지 모두 다시 색인"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="진행 막대를 숨김"),
) -> None:
    """매뉴얼을 읽어 조각으로 나누고 임베딩해 색인합니다 (--full 이 없으면 바뀐 문서만)."""
    settings = get_settings()
    bar = tqdm(total=0, unit="쪽", desc="색인", disable=quiet, file=sys.stderr, dynamic_ncols=True)

    def on_progress(done: int, total: int, failed: int, current: str) -> None:
        bar.total = total
        bar.n = done
        bar.set_postfix_str(f"실패 {failed} | {current}", refresh=False)
        bar.refresh()

    try:
        record = ingest_manuals(path or settings.manuals_source, full=full, on_progress=on_progress, settings=settings)
    except Exception as exc:  # noqa: BLE001 - shown to the operator as one clear line
        bar.close()
        _fail(f"색인 실패: {exc}", code=1)
    bar.close()
    typer.echo(record.summary_ko())
    for failure in record.failures:
        typer.secho(f"  실패: {failure['page']} — {failure['reason']}", fg=typer.colors.YELLOW, err=True)
    for warning in record.warnings:
        typer.secho(f"  경고: {warning['page']} — {warning['reason']}", fg=typer.colors.YELLOW, err=True)
    if record.nothing_indexed:
        raise typer.Exit(1)


def _filters(category: Optional[str], kind: Optional[str], current_only: bool) -> SearchFilters:
    if kind not in (None, "text", "table"):
        _fail("--kind 는 text 또는 table 이어야 합니다")
    chosen: Kind | None = kind  # type: ignore[assignment]
    return SearchFilters(breadcrumb_prefix=category, kind=chosen, current_only=current_only)


def _print_hits(hits: list[Hit], as_json: bool) -> None:
    if as_json:
        for hit in hits:
            typer.echo(json.dumps(hit_to_json(hit), ensure_ascii=False))
        return
    if not hits:
        typer.echo("관련 매뉴얼을 찾지 못했습니다.")
    for rank, hit in enumerate(hits, 1):
        c = hit.chunk
        old = " [구버전]" if c.superseded else ""
        typer.secho(f"{rank}. {c.title}{old}  ({c.page}, {c.kind}, {hit.score:.3f})", bold=True)
        typer.echo("   " + " > ".join(c.breadcrumb))
        typer.echo("   " + c.text.replace("\n", "\n   ")[:600])


@app.command()
def search(
    query: str = typer.Argument(None, help="질문"),
    k: int = typer.Option(5, "-k", min=1, max=100, help="결과 수"),
    as_json: bool = typer.Option(False, "--json", help="JSON 줄로 출력"),
    batch: Optional[Path] = typer.Option(None, "--batch", help="JSONL 파일(id, question)의 모든 질문을 검색"),
    category: Optional[str] = typer.Option(None, "--category", help="분류 경로 접두어 (예: '인터넷')"),
    kind: Optional[str] = typer.Option(None, "--kind", help="text 또는 table"),
    current_only: bool = typer.Option(False, "--current-only", help="구버전 문서 제외"),
) -> None:
    """색인된 매뉴얼을 키워드+벡터로 검색합니다."""
    filters = _filters(category, kind, current_only)
    if (query is None) == (batch is None):
        _fail("질문 하나 또는 --batch 파일 중 하나만 주세요")
    try:
        retriever = get_retriever()
        if batch is None:
            _print_hits(retriever.search(query, k=k, filters=filters), as_json)
            return
        for row in read_jsonl(batch):
            hits = retriever.search(row["question"], k=k, filters=filters)
            out = {"id": row["id"], "hits": [hit_to_json(h) for h in hits]}
            typer.echo(json.dumps(out, ensure_ascii=False))
    except USER_ERRORS as exc:
        _fail(f"검색할 수 없습니다: {exc}")


@app.command()
def ask(
    question: str = typer.Argument(None, help="질문"),
    as_json: bool = typer.Option(False, "--json", help="JSON 줄로 출력"),
    batch: Optional[Path] = typer.Option(None, "--batch", help="JSONL 파일(id, question)의 모든 질문에 답변"),
    category: Optional[str] = typer.Option(None, "--category", help="분류 경로 접두어 (예: '인터넷')"),
    no_llm: bool = typer.Option(False, "--no-llm", help="LLM 을 쓰지 않고 매뉴얼 발췌로 답변"),
) -> None:
    """매뉴얼에 근거한 답변을 출처와 함께 보여 줍니다 (LLM 이 설정되어 있으면 LLM, 아니면 매뉴얼 발췌)."""
    filters = _filters(category, None, True)
    if (question is None) == (batch is None):
        _fail("질문 하나 또는 --batch 파일 중 하나만 주세요")
    try:
        answerer = get_answerer()
        if batch is None:
            result = answerer.answer(question, filters, use_llm=not no_llm)
            if as_json:
                typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
            else:
                _print_answer(result)
            return
        for row in read_jsonl(batch):
            result = answerer.answer(row["question"], filters, use_llm=not no_llm)
            typer.echo(json.dumps({"id": row["id"], **result.to_json()}, ensure_ascii=False))
    except USER_ERRORS as exc:
        _fail(f"답변할 수 없습니다: {exc}")


def _print_answer(result) -> None:
    mode = "LLM " + (result.model or "") if result.mode == "llm" else "매뉴얼 발췌"
    if result.corrections:
        typer.echo(result.correction_notice())
    typer.echo(result.text)
    typer.echo("")
    for c in result.citations:
        typer.echo(f"[{c.n}] {c.title} ({c.page}) {c.url}")
    for a in result.attachments:
        typer.echo(f"첨부: {a.name} {a.url}")
    for w in result.warnings:
        typer.secho(f"주의: {w}", fg=typer.colors.YELLOW)
    t = result.timings_ms
    typer.echo(f"({mode}, 검색 {t['retrieve']:.0f} ms, 생성 {t['generate']:.0f} ms)")


@app.command()
def status(as_json: bool = typer.Option(False, "--json")) -> None:
    """색인 현황과 최근 색인 기록을 보여 줍니다."""
    info = index_status()
    if as_json:
        typer.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    idx = info["index"]
    typer.echo(
        f"색인 ({idx['backend']}, {idx['location']}): 문서 {idx['documents']}개, 조각 {idx['chunks']}개 "
        f"(표 {idx['table_chunks']}), 구버전 문서 {idx['superseded_documents']}개, 임베딩 {idx['embedder'] or '-'}"
    )
    for run in info["recent_runs"]:
        record = RunRecord.from_dict(run)
        typer.echo(f"  {record.started_at} {record.summary_ko()}")


@eval_app.command("retrieval")
def eval_retrieval(
    questions: Path = typer.Argument(..., exists=True, dir_okay=False, help="질문 JSONL (id, question, gold_docs, answer_facts)"),
    k: int = typer.Option(5, "-k", min=1, help="FactRecall@k 의 k"),
    report: Optional[Path] = typer.Option(None, "--report", help="JSON 보고서를 쓸 경로"),
    as_json: bool = typer.Option(False, "--json", help="표 대신 JSON 출력"),
) -> None:
    """검색 품질: 정답 페이지 기준 Hit@1/5, MRR@10 과 정답 사실 기준 FactRecall@k (전체, 분류별)."""
    try:
        result = evaluate_retrieval(get_retriever(), read_jsonl(questions), k=k)
    except USER_ERRORS as exc:
        _fail(f"평가할 수 없습니다: {exc}")
    if report:
        report.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        typer.echo(format_retrieval_table(result))


@eval_app.command("keyword-weight")
def eval_keyword_weight(
    questions: Path = typer.Argument(..., exists=True, dir_okay=False, help="질문 JSONL (id, question, gold_docs)"),
    folds: int = typer.Option(5, "--folds", min=2, help="교차검증 겹 수"),
    as_json: bool = typer.Option(False, "--json", help="표 대신 JSON 출력"),
) -> None:
    """하이브리드 검색의 키워드 가중치를 이 매뉴얼의 질문으로 고릅니다: 가중치 0.0~1.0 마다 Hit@1/5, MRR@10,
    FactRecall@5 를 재고, MRR@10 이 가장 좋은 값을 교차검증 성적과 함께 추천합니다 (설정은 바꾸지 않습니다)."""
    try:
        result = fit_keyword_weight(retrievers_by_keyword_weight(), list(read_jsonl(questions)),
                                    current=get_settings().keyword_weight, folds=folds)
    except USER_ERRORS as exc:
        _fail(f"가중치를 고를 수 없습니다: {exc}")
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2) if as_json else format_fit(result))


@eval_app.command("answers")
def eval_answers(
    questions: Path = typer.Argument(..., exists=True, dir_okay=False, help="질문 JSONL (id, question, answer_facts, gold_docs, attachment, out_of_scope)"),
    report: Optional[Path] = typer.Option(None, "--report", help="JSON 보고서를 쓸 경로"),
    as_json: bool = typer.Option(False, "--json", help="표 대신 JSON 출력"),
    no_llm: bool = typer.Option(False, "--no-llm", help="LLM 없이 발췌 답변만 평가"),
) -> None:
    """답변 품질: 사실 포함률(전체, 첫 줄), 인용 정밀도, 첨부 연결, 한국어 비율, 거절, 길이, 지연."""
    try:
        answerer = get_answerer()
        result = evaluate_answers(lambda q: answerer.answer(q, use_llm=not no_llm).to_json(), read_jsonl(questions))
    except USER_ERRORS as exc:
        _fail(f"평가할 수 없습니다: {exc}")
    if report:
        report.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        typer.echo(format_answer_table(result))


@jobs_app.command("status")
def jobs_status(as_json: bool = typer.Option(False, "--json")) -> None:
    """진행 중이거나 마지막 백그라운드 작업과 그 진행 상황."""
    job = jobs.current_job(get_settings())
    if job is None:
        typer.echo("작업 기록이 없습니다.")
        return
    if as_json:
        typer.echo(json.dumps(job.to_dict(), ensure_ascii=False))
        return
    total = job.total or "?"
    typer.echo(f"{job.kind_label} · {job.state_label} · {job.done}/{total} · 실패 {job.failed} · 시작 {job.started_at}")
    if job.summary_ko:
        typer.echo(job.summary_ko)
    if job.error:
        typer.secho(job.error, fg=typer.colors.RED)


@jobs_app.command("cancel")
def jobs_cancel() -> None:
    """진행 중인 백그라운드 작업을 멈춥니다 (서비스 중인 색인은 그대로 유지)."""
    if not jobs.cancel(get_settings()):
        _fail("진행 중인 작업이 없습니다.")
    typer.echo("중단을 요청했습니다. 기존 색인은 그대로 유지됩니다.")


def _os_user() -> str | None:
    """Who ran the command, for the audit log (None where the system cannot tell, as in some containers)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry for this uid (some containers)
        return None


@user_app.command("add")
def user_add(
    username: str = typer.Argument(..., help="아이디"),
    role: str = typer.Option("agent", "--role", help="agent 또는 admin"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="비밀번호를 표준 입력 한 줄에서 읽음"),
) -> None:
    """대시보드 계정을 만들거나 비밀번호를 바꿉니다 (비밀번호는 두 번 묻고 해시로 저장; 10자 이상, 쉬운 비밀번호는 거절).
    비밀번호를 바꾸면 그 아이디의 로그인 잠금도 풀립니다."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("비밀번호", hide_input=True, confirmation_prompt="비밀번호 확인")
    settings = get_settings()
    store = UserStore(settings.users_file)
    existed = username in store.roles()
    try:
        store.add(username, password, role)  # type: ignore[arg-type]
    except AuthError as exc:
        _fail(str(exc))
    # A new password is how a locked-out user gets back in: the failures before it no longer count.
    unlocked = LoginGuard.from_settings(settings).unlock(username)
    audit.record("user_added", _os_user(), None, account=username, role=role, replaced=existed, unlocked=unlocked,
                 via="cli")
    typer.echo(f"계정 '{username}' ({role}) 을(를) 저장했습니다." + (" 로그인 잠금도 풀었습니다." if unlocked else ""))


@user_app.command("list")
def user_list() -> None:
    """대시보드 계정과 역할 목록."""
    for name, role in UserStore(get_settings().users_file).roles().items():
        typer.echo(f"{name}\t{role}")


@user_app.command("remove")
def user_remove(username: str = typer.Argument(...)) -> None:
    """대시보드 계정을 삭제합니다."""
    if not UserStore(get_settings().users_file).remove(username):
        _fail(f"계정 '{username}' 이(가) 없습니다.")
    audit.record("user_removed", _os_user(), None, account=username, via="cli")
    typer.echo(f"계정 '{username}' 을(를) 지웠습니다.")


@user_app.command("unlock")
def user_unlock(
    username: str = typer.Argument(..., help="아이디"),
    client: Optional[str] = typer.Option(None, "--client", help="이 접속 주소(IP)의 로그인 잠금과 실패 기록도 지움"),
) -> None:
    """로그인 실패로 잠긴 아이디를 풉니다 (실패 기록과 잠금을 지움; 접속 주소가 잠겼으면 --client 주소)."""
    settings = get_settings()
    cleared = LoginGuard.from_settings(settings).unlock(username, client)
    audit.record("user_unlocked", _os_user(), None, account=username, address=client, cleared=cleared, via="cli")
    which = f"아이디 '{username}'" + (f"과(와) 접속 주소 {client}" if client else "")
    if cleared:
        typer.echo(f"{which}의 로그인 잠금과 실패 기록을 지웠습니다.")
    else:
        typer.echo(f"{which}에는 로그인 잠금이나 실패 기록이 없습니다.")


@audit_app.command("tail")
def audit_tail(
    lines: int = typer.Option(20, "-n", "--lines", min=1, help="보여 줄 마지막 기록 수"),
    as_json: bool = typer.Option(False, "--json", help="한 줄에 JSON 하나로 출력"),
) -> None:
    """감사 기록의 마지막 N개를 시간 순으로 보여 줍니다 (시각, 사건, 사용자, 접속 주소, 세부 내용)."""
    entries = audit.tail(lines)
    if not entries:
        typer.echo("감사 기록이 없습니다.")
        return
    for entry in entries:
        typer.echo(json.dumps(entry, ensure_ascii=False) if as_json else audit.format_entry(entry))


if __name__ == "__main__":
    app()
