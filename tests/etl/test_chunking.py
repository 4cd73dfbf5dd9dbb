from __future__ import annotations

import pytest

from backend.chunk_layout import TableGrid
from backend.models import AttachmentRef
from etl.chunking import PageChunker, split_sections, split_text
from etl.html_page import Block, ParsedPage
from tests.etl.pages import word_count

pytestmark = pytest.mark.unit


def parsed(blocks: list[Block], **kw) -> ParsedPage:
    defaults = dict(title="이사 안내", breadcrumb=("업무프로세스", "이사"), manual_id="KMS-MOV-0001",
                    revision_date="2026-03-02", marked_old=False)
    defaults.update(kw)
    return ParsedPage(blocks=blocks, links=[], **defaults)


def sentence(i: int) -> str:
    return f"{i}번 문장은 이사 신청 절차의 일부를 설명하는 예시 문장입니다."


def test_sections_follow_heading_depths():
    blocks = [Block("text", "intro"), Block("heading", "A", 1), Block("text", "a"), Block("heading", "A1", 2),
              Block("text", "a1"), Block("heading", "B", 1), Block("heading", "B1", 2), Block("text", "b1")]
    assert [(s.path, [b.text for b in s.blocks]) for s in split_sections(blocks)] == [
        ((), ["intro"]), (("A",), ["a"]), (("A", "A1"), ["a1"]), (("B", "B1"), ["b1"])]


def test_split_text_prefers_lines_then_sentences_then_words():
    text = "\n".join(sentence(i) for i in range(6))
    pieces = split_text(text, 25, word_count)
    assert all(word_count(p) <= 25 for p in pieces)
    assert "\n".join(pieces).split() == text.split()
    long_sentence = " ".join(f"단어{i}" for i in range(50))
    pieces = split_text(long_sentence, 10, word_count)
    assert [word_count(p) for p in pieces] == [10] * 5
    assert " ".join(pieces) == long_sentence  # split between words, never inside one


def test_text_chunks_respect_the_budget_and_carry_the_section_prefix():
    blocks = [Block("heading", "신청 방법", 1), Block("heading", "방문 신청", 2)]
    blocks += [Block("text", sentence(i)) for i in range(30)]
    chunks = PageChunker(word_count, 60, 80).chunk(parsed(blocks), doc_id="M001", page_path="M001.html")
    assert len(chunks) > 3
    for chunk in chunks:
        assert word_count(chunk.text) <= 60
        assert chunk.text.startswith("이사 안내 > 신청 방법 > 방문 신청\n")
        assert chunk.section == ("신청 방법", "방문 신청")
    body = " ".join(c.text.split("\n", 1)[1] for c in chunks)
    assert body.split() == " ".join(sentence(i) for i in range(30)).split()


def test_small_tail_section_joins_the_previous_chunk_of_its_parent():
    blocks = [Block("heading", "구비서류", 1), Block("heading", "본인", 2), Block("text", "신분증 원본"),
              Block("heading", "대리인", 2), Block("text", "위임장과 신분증 사본"),
              Block("heading", "요금", 1), Block("text", "이전설치비 22,000원")]
    chunks = PageChunker(word_count, 100, 100).chunk(parsed(blocks), doc_id="M001", page_path="M001.html")
    # The merged chunk's prefix is the common path; each part keeps its own heading below it.
    assert [c.text for c in chunks] == [
        "이사 안내\n구비서류 > 본인\n신분증 원본\n구비서류 > 대리인\n위임장과 신분증 사본\n요금\n이전설치비 22,000원",
    ]
    assert chunks[0].section == ()


def test_sections_that_do_not_fit_together_stay_apart():
    big = " ".join(["내용"] * 37)  # "이사 안내 > A" + 37 words = 41 tokens: fits alone, not with B as well
    blocks = [Block("heading", "A", 1), Block("text", big), Block("heading", "B", 1), Block("text", "짧은 꼬리")]
    chunks = PageChunker(word_count, 42, 100).chunk(parsed(blocks), doc_id="M001", page_path="M001.html")
    assert [c.section for c in chunks] == [("A",), ("B",)]
    # Not small relative to the budget: a section of its own even if it would fit.
    mid = " ".join(["내용"] * 20)
    blocks = [Block("heading", "A", 1), Block("text", "a"), Block("heading", "B", 1), Block("text", mid)]
    chunks = PageChunker(word_count, 60, 100).chunk(parsed(blocks), doc_id="M001", page_path="M001.html")
    assert [c.section for c in chunks] == [("A",), ("B",)]


def test_each_faq_entry_is_a_chunk_of_its_own():
    blocks = [Block("text", "자주 묻는 질문을 모았습니다.")]
    for i in range(3):
        blocks += [Block("heading", f"Q. {i}번 질문인가요?", 1, question=True), Block("text", f"A. {i}번 답입니다.")]
    blocks += [Block("heading", "참고", 1), Block("text", "문의는 114")]
    chunks = PageChunker(word_count, 200, 200).chunk(parsed(blocks, title="FAQ"), doc_id="M078", page_path="M078.html")
    # Small enough to share one chunk, yet every entry stands alone; what follows the entries does not join them.
    assert [c.text for c in chunks] == [
        "FAQ\n자주 묻는 질문을 모았습니다.",
        "FAQ > Q. 0번 질문인가요?\nA. 0번 답입니다.",
        "FAQ > Q. 1번 질문인가요?\nA. 1번 답입니다.",
        "FAQ > Q. 2번 질문인가요?\nA. 2번 답입니다.",
        "FAQ > 참고\n문의는 114",
    ]
    assert [c.faq for c in chunks] == [False, True, True, True, False]


def test_tables_become_table_chunks_in_page_order():
    table = TableGrid("설치비", [["구분", "금액"], ["이전설치", "22,000원"], ["신규", "27,500원"]], 1, 0)
    blocks = [Block("heading", "비용", 1), Block("text", "아래 표와 같습니다."), Block("table", table=table),
              Block("text", "※ VAT 포함")]
    attachments = (AttachmentRef("이사신청서", "files/이사신청서.pdf", "application/pdf", 10),)
    chunks = PageChunker(word_count, 100, 100).chunk(
        parsed(blocks, marked_old=True), doc_id="move/M001", page_path="move/M001.html", page_hash="abc",
        attachments=attachments)
    assert [(c.chunk_id, c.chunk_no, c.kind) for c in chunks] == [
        ("move/M001#0", 0, "text"), ("move/M001#1", 1, "table"), ("move/M001#2", 2, "text")]
    table_chunk = chunks[1]
    assert table_chunk.text == "이사 안내 > 비용\n표: 설치비\n열: 구분 | 금액\n이전설치의 금액: 22,000원.\n신규의 금액: 27,500원."
    assert table_chunk.table == table
    for c in chunks:
        assert (c.doc_id, c.page, c.title, c.page_hash) == ("move/M001", "move/M001.html", "이사 안내", "abc")
        assert (c.breadcrumb, c.manual_id, c.revision_date) == (("업무프로세스", "이사"), "KMS-MOV-0001", "2026-03-02")
        assert c.marked_old and c.superseded
        assert c.attachments == attachments
