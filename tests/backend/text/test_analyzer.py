"""The Kiwi keyword analyzer: particles, spacing, Latin and numbers, question words."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from backend.text import analyzer as korean
from backend.text.analyzer import analyze, analyze_many, analyze_query

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("variant", ["위약금은", "위약금이", "위약금을", "위약금도", "위약금에 대해"])
def test_particles_are_dropped(variant):
    assert analyze(variant)[0] == "위약금"
    assert "위약금" in analyze_query(variant)


def test_endings_are_dropped_and_stems_kept():
    terms = analyze("해지하면 위약금이 발생합니다")
    assert "해지" in terms and "발생" in terms
    assert not {"하", "면", "ᆸ니다", "합니다"} & set(terms)
    assert "느리" in analyze("인터넷 속도가 느려요")


@pytest.mark.parametrize(("joined", "spaced"), [("기가인터넷", "기가 인터넷"), ("가족결합", "가족 결합"), ("데이터쉐어링", "데이터 쉐어링")])
def test_spacing_variants_share_a_term(joined, spaced):
    assert joined in analyze(joined)
    assert joined in analyze(spaced)
    assert joined in analyze_query(spaced)


def test_both_parts_of_a_compound_are_terms():
    terms = analyze("기가인터넷 해지")
    assert {"기가", "인터넷", "해지", "기가인터넷"} <= set(terms)


def test_noun_suffix_and_prefix_are_joined():
    assert {"요금", "요금제"} <= set(analyze("요금제를 바꾸고 싶어요"))
    assert {"발급", "재발급"} <= set(analyze("유심 재발급"))


def test_latin_is_lowercased_and_numbers_normalised():
    terms = analyze("5G 요금제 월 33,000원, KT 인터넷과 USIM")
    assert {"5g", "kt", "usim", "33000", "33000원"} <= set(terms)
    # Full-width forms are NFKC-normalised before both fields.
    assert analyze("ＵＳＩＭ") == analyze("usim") == ["usim", "#us", "#si", "#im"]


def test_bigram_field_covers_runs_of_letters_and_digits():
    assert korean.bigrams("위약금은 5G요금, 월 3만") == ["#위약", "#약금", "#금은", "#5g", "#g요", "#요금", "#3만"]
    assert korean.bigrams("월 ① ■") == []  # one-character runs and symbols give no bigram, as in OpenSearch
    assert all(korean.is_bigram(t) for t in korean.bigrams("기가인터넷"))
    assert not any(korean.is_bigram(t) for t in analyze("위약금 5G 33,000원") if not t.startswith("#"))


def test_a_typo_still_shares_bigrams_with_the_right_word():
    typo, right = set(analyze_query("위약굼 얼마")), set(analyze("해지 위약금 안내"))
    assert "위약금" not in typo
    assert "#위약" in typo & right


def test_question_words_stay_in_the_bigram_field():
    assert "#얼마" in analyze_query("위약금 얼마") and "얼마" not in analyze_query("위약금 얼마")


def test_question_words_are_dropped_from_queries_only():
    question = "위약금은 얼마인가요? 어디서 어떻게 신청하나요? 무엇이 필요해요?"
    query_terms = set(analyze_query(question))
    assert {"위약금", "신청", "필요"} <= query_terms
    assert not query_terms & {"얼마", "어디", "어떻", "무엇"}
    assert "얼마" in analyze("위약금은 얼마인가요")


def test_empty_and_punctuation_only_texts():
    assert analyze("") == [] and analyze("   ") == [] and analyze_query("?!") == []


def test_batch_analysis_matches_one_by_one():
    texts = ["기가인터넷 해지 위약금", "", "휴대폰을 분실했어요", "5G 요금제 변경"] * 40
    assert list(analyze_many(texts)) == [analyze(t) for t in texts]


def test_concurrent_analysis_from_threads():
    texts = [f"{i}번 고객의 인터넷 해지 위약금은 얼마인가요" for i in range(60)]
    expected = [analyze_query(t) for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(analyze_query, texts)) == expected


def test_analyzer_version_names_the_recipe():
    assert korean.RECIPE_REVISION in korean.ANALYZER_VERSION
    assert f"k{korean.BM25_K1}" in korean.ANALYZER_VERSION and f"b{korean.BM25_B}" in korean.ANALYZER_VERSION
