"""`backend.text.spelling`: typos corrected against the manuals' words, letter by letter."""

from __future__ import annotations

import pytest

from backend.text.spelling import Speller, edit_distance, jamo, latin_reading

pytestmark = pytest.mark.unit

VOCABULARY = {"임대료": 12, "위약금": 30, "요금제": 50, "셋톱박스": 8, "차이": 3, "생계곤란": 2, "대기": 4,
              "가입비": 5, "가입지": 5}


def test_jamo_spells_syllables_out():
    assert jamo("임대료") == "ㅇㅣㅁㄷㅐㄹㅛ" and jamo("값 5G") == "ㄱㅏㅄ 5G"


def test_edit_distance_stops_at_the_limit():
    assert edit_distance(jamo("임데료"), jamo("임대료"), 1) == 1
    assert edit_distance(jamo("에이아이"), jamo("와이파이"), 1) == 2  # over the limit: limit + 1


@pytest.mark.parametrize("typo,fix", [("임데료", "임대료"), ("위약굼", "위약금"), ("요굼제", "요금제"),
                                      ("샹계곤란", "생계곤란")])
def test_a_vowel_or_consonant_slip_is_corrected(typo, fix):
    assert Speller(VOCABULARY).correct(typo) == fix


def test_what_is_not_corrected():
    speller = Speller(VOCABULARY)
    assert speller.correct("임대료") is None  # an indexed word, however rare
    assert speller.correct("넷플릭스") is None  # nothing close
    assert speller.correct("차이") is None and speller.correct("채이") is None  # two syllables: too many neighbours
    assert speller.correct("가입피") is None  # 가입비 and 가입지 equally close and common: no guess
    assert speller.correct("5G요금") is None  # not all Hangul


@pytest.mark.parametrize("word,letters", [("에이아이", "ai"), ("유에스비", "usb"), ("엘티이", "lte"), ("아이피", "ip"),
                                          ("에이치디", "hd"), ("더블유에이엔", "wan")])
def test_an_acronym_spelled_by_its_letters_names_is_read(word, letters):
    assert latin_reading(word) == letters


@pytest.mark.parametrize("word", ["와이프", "아이", "에이스", "임대료", "티", "AI", "", "이유", "유지", "티비"])
def test_words_that_are_not_letter_names_end_to_end(word):
    assert latin_reading(word) is None


def test_a_spelled_acronym_is_corrected_only_to_indexed_letters_the_manuals_lack_as_typed():
    speller = Speller({**VOCABULARY, "ai": 7, "usb": 2, "엘티이": 3})
    assert speller.correct("에이아이") == "AI" and speller.correct("유에스비") == "USB"
    assert speller.correct("엘티이") is None  # the manuals hold it as typed
    assert speller.correct("아이피") is None  # no manual holds "ip"
