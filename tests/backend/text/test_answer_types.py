"""What kind of answer a question asks for (`backend.text.answer_types`), on Korean questions and manual lines."""

from __future__ import annotations

import pytest

from backend.text.answer_types import asked_for, holds

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("question", "line", "answers"), [
    ("기가라이트 3년 약정 얼마예요", "기가라이트 500의 3년 약정: 33,000원", True),
    # Amounts written with Korean number words are prices too.
    ("첫만남이용권 금액은 얼마인가요?", "출생아 1인당 200만 원의 바우처 지급", True),
    ("총자산 기준 금액이 얼마예요", "총자산 3억 6,100만 원 이하", True),
    ("첫만남이용권 금액은 얼마인가요?", "만 원권 바우처는 지급하지 않습니다", False),
    ("한 달에 포인트 최대 몇 점까지 써요", "한 달에 최대 5,000포인트까지 사용", True),
    ("개통까지 며칠 걸려요", "접수일로부터 3영업일 이내", True),
    ("틀니 지원은 어디로 문의해요?", "문의 — 국민건강보험공단(☎1577-1000)", True),
    ("한국여성경제인협회 연락처 알려주세요", "한국여성경제인협회(02-369-0900)", True),
    ("틀니 지원은 어디로 문의해요?", "완전틀니 시술 시 비용 일부만 본인이 부담", False),
    # A span of years is no telephone number.
    ("그 학회는 어디로 연락해요", "그 학회는 1861-1904년에 활동했다", False),
])
def test_a_line_holds_the_kind_of_answer_asked(question, line, answers):
    assert asked_for(question)
    assert holds(line, asked_for(question)) is answers


def test_a_question_that_asks_for_no_kind():
    assert asked_for("위약금 면제 사유 알려주세요") == []
