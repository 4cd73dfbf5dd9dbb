"""Instruction data: seeds copied from chunks, agent-style variants, RAFT examples with the serving prompt,
splits by page, refusals over clean distractors only, and a stable dataset hash."""

from __future__ import annotations

import json
import random

import pytest

from backend.chunk_layout import TableGrid
from backend.finetune.dataset import read_dataset, stats_path, write_dataset
from backend.finetune.paraphrase import spacing, typo, variants
from backend.finetune.raft import RaftBuilder, assign_splits, refusal_text
from backend.finetune.seeds import faq_seeds, seeds_of, table_seeds, text_seeds, with_particle
from backend.generate.base import NOT_FOUND_KO
from backend.generate.checks import cited_numbers
from backend.generate.prompt import SYSTEM_PROMPT_KO
from backend.models import Chunk, Hit

pytestmark = pytest.mark.unit

PLANS = TableGrid(
    "인터넷 요금표",
    (("상품", "월 요금", "월 요금"), ("상품", "무약정", "3년 약정"),
     ("기가라이트 500", "38,500원", "33,000원"), ("기가인터넷 1G", "44,000원", "38,500원"),
     ("기가프리미엄 2.5G", "60,500원", "55,000원"), ("※ VAT 포함", "※ VAT 포함", "※ VAT 포함")),
    header_rows=2, header_cols=1,
)


def chunk(doc: str, no: int, text: str, *, kind: str = "text", table=None, faq=False, section=("요금",),
          superseded=False) -> Chunk:
    return Chunk(chunk_id=f"{doc}#{no}", doc_id=doc, chunk_no=no, page=f"{doc}.html", title=f"{doc} 안내",
                 kind=kind, text=text, section=section, table=table, faq=faq, superseded=superseded)


TABLE = chunk("M1", 0, "M1 안내 > 요금\n표: 인터넷 요금표\n열: 상품 | 월 요금(무약정) | 월 요금(3년 약정)\n"
              "기가라이트 500의 월 요금(무약정): 38,500원. 기가라이트 500의 월 요금(3년 약정): 33,000원.\n"
              "기가인터넷 1G의 월 요금(무약정): 44,000원. 기가인터넷 1G의 월 요금(3년 약정): 38,500원.\n"
              "기가프리미엄 2.5G의 월 요금(무약정): 60,500원. 기가프리미엄 2.5G의 월 요금(3년 약정): 55,000원.\n"
              "※ VAT 포함", kind="table", table=PLANS)
FAQ = chunk("M2", 0, "M2 안내 > 자주 묻는 질문 > Q. 해지 신청을 취소할 수 있나요?\nA. 해지 희망일 전날까지 취소할 수 있습니다.",
            faq=True, section=("자주 묻는 질문", "Q. 해지 신청을 취소할 수 있나요?"))
STEPS = chunk("M3", 0, "M3 안내 > 이전설치 절차\n1. 이사 7일 전까지 접수합니다.\n2. 기사 방문 일정을 잡습니다.\n"
              "3. 설치 후 개통을 확인합니다.", section=("이전설치 절차",))
PROSE = chunk("M4", 0, "M4 안내 > 일시정지\n인터넷 일시정지는 연 2회, 1회 최대 3개월까지 신청할 수 있습니다. 정지 중에는 "
              "월 3,300원이 청구됩니다.", section=("일시정지",))


def test_table_seeds_copy_the_cell_with_its_row_and_column_headers():
    seeds = table_seeds(TABLE, per_chunk=6)
    cells = [s for s in seeds if s.category == "조건탐색"]
    assert len(cells) == 6
    for s in cells:
        assert s.answer in TABLE.text  # "행의 열: 값", verbatim from the row sentence
        assert s.question.endswith("얼마예요?")  # won amounts are asked as prices
    assert not any("VAT" in s.question for s in seeds)  # a note spanning the table is no row
    (cmp,) = [s for s in seeds if s.category == "비교"]
    assert "차이가 뭐예요?" in cmp.question and cmp.answer.count("원") == 2
    (rec,) = [s for s in seeds if s.category == "상품추천"]
    assert rec.answer == "기가라이트 500의 월 요금(무약정): 38,500원"


def test_particles_follow_the_last_sound():
    assert with_particle("기가라이트 500", "이랑", "랑") == "기가라이트 500이랑"
    assert with_particle("5G 스탠다드", "이랑", "랑") == "5G 스탠다드랑"
    assert with_particle("인터넷", "이랑", "랑") == "인터넷이랑"


def test_faq_procedure_and_section_seeds():
    (faq,) = faq_seeds(FAQ)
    assert (faq.question, faq.answer, faq.category) == ("해지 신청을 취소할 수 있나요?", "해지 희망일 전날까지 취소할 수 있습니다.", "기능/내용")
    (steps,) = text_seeds(STEPS)
    assert steps.category == "프로세스" and steps.answer.split(" → ")[0] == "이사 7일 전까지 접수합니다."
    (prose,) = text_seeds(PROSE)
    assert prose.question == "M4 안내 일시정지 알려 주세요"
    assert prose.answer == "인터넷 일시정지는 연 2회, 1회 최대 3개월까지 신청할 수 있습니다."


def test_superseded_pages_give_no_seed():
    old = chunk("M9", 0, PROSE.text, section=PROSE.section, superseded=True)
    assert seeds_of([old]) == [] and len(seeds_of([PROSE])) == 1


def test_variants_are_agent_style_and_repeatable():
    rng = random.Random(1)
    assert typo("임대료 얼마", random.Random(0)) != "임대료 얼마"
    assert spacing("기가 인터넷 요금", random.Random(0)).count(" ") == 1
    first = variants("기가라이트 500 월 요금 얼마예요?", 3, rng)
    assert len(first) == 3 and len(set(first)) == 3 and "기가라이트 500 월 요금 얼마예요?" not in first
    assert first == variants("기가라이트 500 월 요금 얼마예요?", 3, random.Random(1))


def test_splits_keep_held_out_pages_in_test_and_are_stable():
    pages = [f"M{i:03d}.html" for i in range(200)]
    splits = assign_splits(pages, {"M001.html", "M002.html"})
    assert splits["M001.html"] == splits["M002.html"] == "test"
    assert splits == assign_splits(pages, {"M001.html", "M002.html"})
    counts = {s: sum(1 for v in splits.values() if v == s) for s in ("train", "validation", "test")}
    assert counts["train"] > counts["validation"] > 5 and counts["test"] > 5


def _search_over(chunks):
    def search(question, k):
        words = set(question.split())
        ranked = sorted(chunks, key=lambda c: (-len(words & set(c.text.split())), c.chunk_id))
        return [Hit(c, 1.0 / (i + 1)) for i, c in enumerate(ranked[:k])]
    return search


def test_examples_hold_the_oracle_among_same_split_distractors_and_cite_it():
    others = [chunk(f"D{i}", 0, f"D{i} 안내 > 요금\n기가 요금 안내 {i}번 문서입니다. 월 {i},100원.") for i in range(5)]
    # The best match of every question, but on a test page: it must never appear in a train prompt.
    test_page = chunk("T", 0, "T 안내 > 요금\n기가라이트 500 기가인터넷 1G 기가프리미엄 2.5G 월 요금(무약정) 요금(3년 약정) 얼마예요?")
    corpus = [TABLE, test_page, *others]
    splits = {c.page: "train" for c in corpus} | {"T.html": "test"}
    builder = RaftBuilder(_search_over(corpus), splits, passages=4, refusal_share=0.0, paraphrases=0)
    examples = builder.examples(table_seeds(TABLE, per_chunk=2), {c.chunk_id: c for c in corpus})
    assert examples
    for e in examples:
        system, user, assistant = e.messages
        assert system == {"role": "system", "content": SYSTEM_PROMPT_KO}
        assert user["content"].startswith("[매뉴얼 발췌]\n<발췌 번호=\"1\">\n[1] ") and user["content"].endswith(e.question)
        (n,) = set(cited_numbers(assistant["content"]))
        assert f"[{n}] M1 안내 > 요금 (표)" in user["content"]  # the citation points at the oracle
        assert "T.html" not in e.pages and e.split == "train"  # no passage of a test page in a train prompt
        assert len(e.pages) == 4


def test_refusals_use_only_distractors_that_do_not_answer():
    clean = [chunk(f"D{i}", 0, f"D{i} 안내 > 요금\n기가 요금 안내 {i}번 문서입니다.") for i in range(4)]
    answering = chunk("X", 0, "X 안내 > 요금\n기가라이트 500의 월 요금(무약정): 40,000원")
    corpus = [TABLE, answering, *clean]
    splits = {c.page: "train" for c in corpus}
    builder = RaftBuilder(_search_over(corpus), splits, passages=3, refusal_share=0.99, paraphrases=0, seed=3)
    seed = next(s for s in table_seeds(TABLE, per_chunk=6) if s.answer.startswith("기가라이트 500의 월 요금(무약정)"))
    examples = builder.examples([seed], {c.chunk_id: c for c in corpus})
    # The page that states the same cell (another value) is the best hit: no refusal may be built over it.
    assert not [e for e in examples if e.kind == "refusal" and "X.html" in e.pages]
    refusal_builder = RaftBuilder(_search_over([TABLE, *clean]), splits, passages=3, refusal_share=0.99, paraphrases=0)
    (refusal,) = refusal_builder.examples([seed], {c.chunk_id: c for c in [TABLE, *clean]})
    assert refusal.kind == "refusal" and "M1.html" not in refusal.pages
    assert refusal.messages[-1]["content"] == refusal_text(1) and refusal.messages[-1]["content"].startswith(NOT_FOUND_KO)


def test_dataset_file_is_sorted_hashed_and_counted(tmp_path):
    rows = [
        {"id": "b", "split": "train", "kind": "answer", "category": "비교", "chunk_id": "M1#0", "messages": []},
        {"id": "a", "split": "train", "kind": "refusal", "category": "비교", "chunk_id": "M2#0", "messages": []},
        {"id": "c", "split": "test", "kind": "answer", "category": "프로세스", "chunk_id": "M3#1", "messages": []},
    ]
    one = write_dataset(tmp_path / "a.jsonl", rows, {"near-duplicate": 2})
    two = write_dataset(tmp_path / "b.jsonl", list(reversed(rows)))
    assert one.sha256 == two.sha256  # generation order does not change the file
    assert [r["id"] for r in read_dataset(tmp_path / "a.jsonl")] == ["c", "a", "b"]
    assert [r["id"] for r in read_dataset(tmp_path / "a.jsonl", split="train")] == ["a", "b"]
    assert one.by_kind == {"test": {"answer": 1}, "train": {"answer": 1, "refusal": 1}}
    assert one.pages == {"train": 2, "test": 1}
    assert json.loads(stats_path(tmp_path / "a.jsonl").read_text(encoding="utf-8"))["dropped"] == {"near-duplicate": 2}


def test_review_decisions_shape_what_training_sees(tmp_path):
    from backend.finetune.review import ReviewLog
    from backend.finetune.train import conversations

    def row(i):
        return {"id": f"e{i}", "split": "train", "kind": "answer", "category": "비교", "chunk_id": f"M{i}#0",
                "messages": [{"role": "system", "content": "s"}, {"role": "user", "content": f"q{i}"},
                             {"role": "assistant", "content": f"a{i}"}]}

    write_dataset(tmp_path / "d.jsonl", [row(1), row(2), row(3)])
    log = ReviewLog(tmp_path / "d.jsonl")
    log.decide("e1", "reject")
    log.decide("e2", "edit", answer="고친 답 [1]")
    log.decide("e1", "accept")  # the last decision wins
    log.decide("e3", "reject")
    with pytest.raises(ValueError):
        log.decide("e2", "edit", answer="  ")
    seen = conversations(tmp_path / "d.jsonl", "train")
    assert [c["prompt"][-1]["content"] for c in seen] == ["q1", "q2"]
    assert seen[1]["completion"] == [{"role": "assistant", "content": "고친 답 [1]"}]


def test_the_example_training_config_reads_and_unknown_keys_are_refused(tmp_path):
    from pathlib import Path

    from backend.finetune.train import TrainConfig

    example = Path(__file__).resolve().parents[3] / "docs" / "finetune" / "train.example.toml"
    config = TrainConfig.read(example)
    assert config.r == 8 and config.target_modules == "all-linear" and config.learning_rate == 2e-4
    assert Path(config.base_model).is_absolute() and config.base_model.endswith("var/models/gemma-3-270m")
    bad = tmp_path / "bad.toml"
    bad.write_text('[train]\nbase_model = "m"\ndata = "d"\noutput_dir = "o"\nlora_rank = 8\n', encoding="utf-8")
    with pytest.raises(ValueError, match="lora_rank"):
        TrainConfig.read(bad)
