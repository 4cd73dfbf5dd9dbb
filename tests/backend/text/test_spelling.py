"""`backend.text.spelling`: typos corrected against the manuals' words, letter by letter."""

from __future__ import annotations

import pytest

from backend.text.spelling import Speller, edit_distance, jamo

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
