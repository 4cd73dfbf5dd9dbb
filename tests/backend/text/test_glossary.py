"""The query glossary: its file format, where it matches, the bundled file, and how the retriever uses it."""

from __future__ import annotations

import numpy as np
import pytest

from backend.config import Settings
from backend.models import Hit, IndexStats
from backend.search.retriever import Retriever
from backend.text.glossary import DEFAULT_GLOSSARY, Glossary, GlossaryError, load_glossary, parse_glossary
from tests.fakes import FakeEmbedder

pytestmark = pytest.mark.unit


def test_equivalents_expand_each_other():
    glossary = parse_glossary("티비, TV, 텔레비전\n")
    assert glossary.additions("티비 요금제 뭐 있어요") == ["TV", "텔레비전"]
    assert glossary.additions("tv 요금제") == ["티비", "텔레비전"]  # matched case-insensitively
    assert glossary.expand("텔레비전 요금") == "텔레비전 요금, 티비, TV"


def test_added_words_stay_whole_words_for_the_analyzer():
    from backend.text.analyzer import analyze_query

    glossary = parse_glossary("빠른 => 속도\n")
    assert "속도" in analyze_query(glossary.expand("제일 빠른 인터넷 얼마에요"))


def test_one_way_rules_do_not_run_backwards():
    glossary = parse_glossary("취소 => 철회, 청약철회  # 상담사 말\n")
    assert glossary.additions("설치 취소하고 싶대요") == ["철회", "청약철회"]
    assert glossary.additions("청약철회 기간") == []


def test_terms_match_only_at_the_start_of_a_word():
    glossary = parse_glossary("티비, TV\n폰 => 휴대폰\n")
    assert glossary.additions("티비요금제") == ["TV"]
    assert glossary.additions("스티비 원더") == []
    assert glossary.additions("폰 분실") == ["휴대폰"]
    assert glossary.additions("스마트폰 분실") == []


def test_a_trigger_ending_in_dollar_matches_only_the_whole_word():
    glossary = parse_glossary("얼마$, 얼마에 => 요금\n")
    assert glossary.additions("통화가능알림 월 얼마") == ["요금"]
    assert glossary.additions("위약금 얼마? 얼마 나와요") == ["요금"]
    assert glossary.additions("제일 빠른 인터넷 얼마에요") == ["요금"]
    assert glossary.additions("개통까지 얼마나 걸려요") == []


def test_words_already_in_the_question_are_not_added_twice():
    glossary = parse_glossary("납부일, 납기일, 결제일\n납부일 => 납기일\n")
    assert glossary.additions("납부일이랑 납기일 차이") == ["결제일"]


def test_no_rule_leaves_the_question_as_typed():
    assert parse_glossary("# 빈 용어집\n\n").expand("위약금 얼마") == "위약금 얼마"
    assert Glossary().expand("위약금 얼마") == "위약금 얼마"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("티비", "쉼표로 둘 이상"),
        ("취소 =>", "양쪽에 말이"),
        ("=> 철회", "양쪽에 말이"),
        ("가 => 나 => 다", "한 번만"),
        ("얼마$, 얼마요", "'\\$'는 '=>' 왼쪽"),
        ("얼마 => 요금$", "'\\$'는 '=>' 왼쪽"),
    ],
)
def test_malformed_lines_are_reported_with_their_line_number(line, message):
    with pytest.raises(GlossaryError, match=f"3번째 줄: .*{message}"):
        parse_glossary(f"# 주석\n티비, TV\n{line}\n")


def test_an_unreadable_file_is_a_clear_error(tmp_path):
    with pytest.raises(GlossaryError, match="용어집 파일을 읽을 수 없습니다"):
        load_glossary(tmp_path / "없음.txt")


def test_the_bundled_glossary_parses_and_maps_agent_words_to_manual_words():
    glossary = load_glossary(None)
    assert glossary == load_glossary(DEFAULT_GLOSSARY)
    assert "청약철회" in glossary.additions("설치 열흘 됐는데 취소하고 싶대요")
    assert "납기일" in glossary.additions("납부일 바꿀 수 있어요")
    assert "TV" in glossary.additions("젤 싼 티비 요금제")
    assert "휴대폰" in glossary.additions("핸드폰 분실 신고")
    assert "요금" in glossary.additions("제일 빠른 인터넷 얼마에요")
    assert "요금" not in glossary.additions("개통까지 얼마나 걸려요")


class _RecordingIndex:
    """Records what the retriever asks the index."""

    def __init__(self) -> None:
        self.queries: list[tuple[str, np.ndarray]] = []

    def search(self, query, vector, k=5, filters=None) -> list[Hit]:
        self.queries.append((query, vector))
        return []

    def stats(self) -> IndexStats:
        return IndexStats("fake", "-", 0, 0, 0, 0, None, None)


def test_the_retriever_widens_the_keyword_query_and_embeds_the_question_as_typed(tmp_path):
    glossary_file = tmp_path / "glossary.txt"
    glossary_file.write_text("티비, TV\n", encoding="utf-8")
    embedder, index = FakeEmbedder(), _RecordingIndex()
    Retriever(index, embedder, Settings(home=tmp_path, glossary_file=glossary_file)).search("티비 요금제")
    (keywords, vector), = index.queries
    assert keywords == "티비 요금제, TV"
    np.testing.assert_array_equal(vector, embedder.embed_query("티비 요금제"))


def test_the_glossary_can_be_switched_off(tmp_path):
    index = _RecordingIndex()
    Retriever(index, FakeEmbedder(), Settings(home=tmp_path, glossary_enabled=False)).search("티비 요금제")
    assert index.queries[0][0] == "티비 요금제"
