"""The prompt's token budget and the answer checks (Korean ratio, citations, unsupported figures)."""

from __future__ import annotations

import pytest

from backend.generate.checks import check_citations, cited_numbers, hangul_ratio
from backend.generate.prompt import STRICT_SUFFIX_KO, SYSTEM_PROMPT_KO, build_prompt, estimate_tokens
from tests.backend.generate.conftest import make_passage

pytestmark = pytest.mark.unit

TABLE = "요금표 | 표: 이전 설치비\n동일 건물의 이전 설치비: 11,000원.\n다른 건물의 이전 설치비: 27,500원.\n야간·주말의 추가 요금: 5,500원."


def test_prompt_is_korean_numbers_passages_and_ends_with_the_question():
    passages = [make_passage(1, "이사 3일 전까지 신청합니다."), make_passage(2, TABLE, kind="table", title="이전 설치비")]
    prompt = build_prompt("이전 설치비 얼마?", passages, budget_tokens=4000)
    assert prompt.system == SYSTEM_PROMPT_KO and "매뉴얼에서 확인되지 않습니다" in prompt.system
    assert "[1] 이전 설치 안내\n이사 3일 전까지" in prompt.user
    assert "[2] 이전 설치비 (표)\n" in prompt.user and "27,500원" in prompt.user
    assert prompt.user.rstrip().endswith("[질문]\n이전 설치비 얼마?")
    assert [p.n for p in prompt.passages] == [1, 2]
    assert prompt.messages()[0]["role"] == "system" and prompt.plain().endswith("답변:")


def test_the_strict_prompt_insists_on_korean():
    prompt = build_prompt("질문", [make_passage(1, "본문")], budget_tokens=4000, strict=True)
    assert prompt.system.endswith(STRICT_SUFFIX_KO)


def test_passages_beyond_the_budget_are_left_out_and_a_long_one_is_cut_at_a_row():
    long_table = "\n".join(f"{i}번 요금제의 월정액: {i},000원." for i in range(1, 200))
    passages = [make_passage(1, "짧은 본문입니다."), make_passage(2, long_table, kind="table"), make_passage(3, "세 번째")]
    count = lambda text: len(text)  # one token per character, to make the budget easy to reason about
    prompt = build_prompt("질문", passages, budget_tokens=900, count=count)
    assert [p.n for p in prompt.passages] == [1, 2]
    assert "[3]" not in prompt.user
    assert count(prompt.system) + count(prompt.user) <= 900
    # the cut table keeps whole rows only
    rows = [line for line in prompt.user.split("\n") if "번 요금제" in line]
    assert rows and all(line.endswith(",000원.") for line in rows)


def test_estimate_is_generous_for_hangul():
    assert estimate_tokens("가" * 100) == 150
    assert estimate_tokens("abcd") == 2


def test_hangul_ratio_ignores_citations_and_counts_latin_letters():
    assert hangul_ratio("이전 설치비는 27,500원입니다 [1].") == 1.0
    assert hangul_ratio("The relocation fee is 27,500 won [1].") == 0.0
    assert 0.5 < hangul_ratio("5G 스탠다드 요금제는 월 55,000원입니다.") < 1.0
    assert hangul_ratio("[1] 27,500") == 1.0


def test_citations_are_validated_against_the_given_passages():
    passages = [make_passage(1, "이사 3일 전까지 신청합니다."), make_passage(2, TABLE, kind="table")]
    report = check_citations("3일 전까지 신청하세요 [1]. 다른 건물은 27,500원입니다 [2, 1]. 추가 안내 [7].", passages)
    assert cited_numbers("a [2, 1] b [7]") == [2, 1, 7]
    assert report.cited == [1, 2] and report.invalid == [7]
    assert any("[7]" in w for w in report.warnings)
    assert report.unsupported == []


def test_a_figure_found_in_no_cited_passage_is_flagged():
    passages = [make_passage(1, "이사 3일 전까지 신청합니다."), make_passage(2, TABLE, kind="table")]
    report = check_citations("다른 건물은 33,000원입니다 [2]. 3일 전까지 신청합니다 [1].", passages)
    assert report.unsupported == ["33,000원"]
    assert any("33,000원" in w for w in report.warnings)
    # the figure is checked against the passage the sentence cites, not any passage
    assert check_citations("다른 건물은 27,500원입니다 [1].", passages).unsupported == ["27,500원"]
    # a quoted plan name that no passage holds
    assert check_citations("'기가 울트라' 요금제를 안내하세요 [1].", passages).unsupported == ["기가 울트라"]
