"""The ETL over the bundled sample corpus (etl/samples): every page parses, nothing from code, comments or
site chrome is indexed, no table cell or answer fact is lost, budgets hold with the real tokenizer."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
from lxml import etree

from backend import chunk_layout as layout
from backend.config import Settings
from backend.models import Chunk
from backend.storage.local import LocalAttachmentStore
from etl.decode import decode_html
from etl.html_clean import is_chrome
from etl.pipeline import ingest
from etl.source import LocalManualSource
from etl.tokens import e5_token_counter
from tests.etl.pages import CANARIES
from tests.fakes import FakeEmbedder, InMemorySearchIndex

pytestmark = pytest.mark.integration

SAMPLES = Path(__file__).resolve().parents[2] / "etl" / "samples"
# Pages the corpus breaks on purpose so that they must fail; none today (malformed pages must still parse).
EXPECTED_FAILURES: set[str] = set()
CHROME_TEXT = ("로그아웃", "QUICK MENU", "개인정보처리방침", "Copyright", "All rights reserved", "환영합니다")


def _squash(text: str) -> str:
    return re.sub(r"[\s/]+", "", text)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    assert (SAMPLES / "manuals").is_dir(), f"sample corpus missing: {SAMPLES / 'manuals'}"
    home = tmp_path_factory.mktemp("var")
    settings = Settings(home=home)
    index = InMemorySearchIndex()
    source = LocalManualSource(SAMPLES / "manuals")
    record = ingest(source, index, FakeEmbedder(), LocalAttachmentStore(settings.attachments_dir), settings,
                    count_tokens=e5_token_counter())
    chunks = {doc_id: index.chunks(doc_id) for doc_id in index.documents()}
    return source, settings, record, index, chunks


def test_every_page_is_indexed(run):
    source, _, record, _, chunks = run
    assert {f["page"] for f in record.failures} == EXPECTED_FAILURES, record.failures
    assert record.pages_seen == len(source.pages()) >= 80
    assert len(chunks) == record.pages_seen - len(EXPECTED_FAILURES)


def test_no_code_comment_or_chrome_text_is_indexed(run):
    *_, chunks = run
    for doc_id, doc_chunks in chunks.items():
        for chunk in doc_chunks:
            for needle in CANARIES + CHROME_TEXT:
                assert needle not in chunk.text, (chunk.chunk_id, needle)


def test_page_metadata(run):
    *_, index, chunks = run
    docs = index.documents()
    for doc_id, info in docs.items():
        first = chunks[doc_id][0]
        assert info.manual_id and re.fullmatch(r"[A-Z]+-[A-Z]+-\d{4}", info.manual_id), doc_id
        assert info.revision_date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", info.revision_date), doc_id
        assert len(first.breadcrumb) >= 2 and first.breadcrumb[0] != "홈", doc_id
        assert all(c.text.startswith(first.title) for c in chunks[doc_id]), doc_id
    # Within each manual id exactly the latest revision is current, and old versions say so themselves.
    by_manual = defaultdict(list)
    for info in docs.values():
        by_manual[info.manual_id].append(info)
    for versions in by_manual.values():
        current = [v for v in versions if not v.superseded]
        assert len(current) == 1 and current[0].revision_date == max(v.revision_date for v in versions)
    old = [d for d in docs.values() if d.superseded]
    assert old and all(d.marked_old for d in old)


def test_chunk_budgets_with_the_real_tokenizer(run):
    _, settings, _, _, chunks = run
    count = e5_token_counter()
    for doc_chunks in chunks.values():
        for c in doc_chunks:
            if c.kind == "text":
                assert count(c.text) <= settings.chunk_tokens, c.chunk_id
            elif len(c.table.rows) - c.table.header_rows > 1:
                assert count(c.text) <= settings.table_chunk_tokens, c.chunk_id


def test_every_table_cell_reaches_a_chunk(run):
    source, _, _, _, chunks = run
    checked = 0
    for page in source.pages():
        doc_id = page.rsplit(".", 1)[0]
        text = _squash("\n".join(c.text for c in chunks[doc_id]))
        doc = etree.fromstring(decode_html(source.read(page)).text, etree.HTMLParser())
        for table in doc.iter("table"):
            if table.find(".//table") is not None or any(is_chrome(a) for a in (table, *table.iterancestors())):
                continue  # layout tables and site chrome
            cells = [c for c in table.iter("td", "th") if "".join(c.itertext()).strip()]
            if len(cells) < 2 or any("문서번호" in "".join(c.itertext()) for c in cells):
                continue  # a one-cell box, or the document-info box (metadata, not content)
            for cell in cells:
                value = _squash("".join(cell.itertext()))
                assert value in text, (page, "".join(cell.itertext()))
                checked += 1
    assert checked > 500
    # And within each table chunk, every cell of its JSON is in its own text.
    for doc_chunks in chunks.values():
        for c in doc_chunks:
            if c.kind == "table":
                for row in c.table.rows:
                    for cell in row:
                        assert _squash(cell) in _squash(c.text), (c.chunk_id, cell)


def test_a_cell_spanning_rows_and_columns_keeps_both_headers(run):
    """M041's 변상금 table has a cell with rowspan=2 and colspan=2 under a two-row header: every value must sit
    under its own row header and full column path, not merely appear somewhere in the chunk."""
    *_, chunks = run
    [chunk] = [c for c in chunks["M041"] if c.kind == "table" and "변상금" in c.table.caption]
    repair = "수리비 실비 (최대 33,000원)"
    assert [list(row) for row in chunk.table.rows[chunk.table.header_rows:]] == [
        ["AI 셋톱박스", "99,000원", "66,000원", repair, repair],
        ["UHD 셋톱박스", "77,000원", "44,000원", repair, repair],
        ["WiFi 공유기", "22,000원", "22,000원", "11,000원", "면제"],
    ]
    for line in ("UHD 셋톱박스의 분실(1년 이후): 44,000원.", f"UHD 셋톱박스의 파손(1년 이후): {repair}.",
                 "WiFi 공유기의 분실(1년 이후): 22,000원.", "WiFi 공유기의 파손(1년 이내): 11,000원."):
        assert line in chunk.text, line


def test_answer_facts_are_in_the_gold_pages(run):
    *_, chunks = run
    questions = [json.loads(line) for line in (SAMPLES / "questions.jsonl").read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    assert len(questions) >= 50
    for q in questions:
        gold = [c for page in q["gold_docs"] for c in chunks[page.rsplit(".", 1)[0]]]
        text = _squash("\n".join(c.text for c in gold))
        for fact in q["answer_facts"]:
            assert _squash(fact) in text, (q["id"], fact)
        if q.get("attachment"):
            assert q["attachment"] in {a.path for c in gold for a in c.attachments}, q["id"]


def test_linked_attachments_are_recorded_and_stored(run):
    _, settings, record, _, chunks = run
    store = LocalAttachmentStore(settings.attachments_dir)
    refs = {a.path: a for doc_chunks in chunks.values() for a in doc_chunks[0].attachments}
    # The summary counts distinct files, as the admin page does (a form linked by two pages is one).
    assert refs and record.attachments_stored == len(refs)
    for path, ref in refs.items():
        assert path.startswith("files/") and store.exists(path)
        assert ref.size == len(store.get(path)) > 0 and ref.media_type != "application/octet-stream"


def test_every_chunk_round_trips_through_the_chunk_layout(run):
    """The one owner of the chunk text parses back what the ETL wrote, for every chunk of the corpus: the
    path line, a table's caption, column line and one row sentence per data row of its grid, FAQ question
    lines; and the typed table survives the stored JSON."""
    *_, chunks = run
    tables = faq_entries = 0
    for doc_chunks in chunks.values():
        for chunk in doc_chunks:
            head, rest = layout.split_path(chunk.text)
            assert head == layout.path_line(chunk.title, chunk.section), chunk.chunk_id
            assert layout.body_of(chunk.text) == (rest or head)
            assert Chunk.from_dict(json.loads(json.dumps(chunk.to_dict()))) == chunk
            if chunk.kind == "table":
                tables += 1
                grid = chunk.table
                parsed = layout.parse_table_text(rest.split("\n"))
                assert parsed.caption == grid.caption, chunk.chunk_id
                titles = list(dict.fromkeys(t for t in grid.column_titles() if t))
                assert parsed.columns == layout.COLUMN_SEP.join(titles), chunk.chunk_id
                assert len(parsed.rows) == len(grid.row_names()), chunk.chunk_id
            elif chunk.faq:
                lines = [head.rsplit(layout.PATH_SEP, 1)[-1], *rest.split("\n")]
                faq_entries += any(layout.qa_marker(line) == "Q" for line in lines)
    assert tables >= 30 and faq_entries >= 25, (tables, faq_entries)
