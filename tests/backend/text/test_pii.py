"""`backend.text.pii`: what each rule finds (kind and span), what it leaves, and the answer's echo."""

from __future__ import annotations

import random
import re

import pytest

from backend.text.pii import find_pii, mask_pii, mask_repeated_pii

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("주민번호900101-1234567입니다", "주민등록번호", "900101-1234567"),
        ("외국인 850505-5123456", "외국인등록번호", "850505-5123456"),
        ("번호 ０１０－１２３４－５６７８ 요", "전화번호", "０１０－１２３４－５６７８"),
        ("+82 10 1234 5678로", "전화번호", "+82 10 1234 5678"),
        ("카드 4111-1111-1111-1111", "카드번호", "4111-1111-1111-1111"),
        ("계좌 110-123-456789 로", "계좌번호", "110-123-456789"),
        ("메일 hong@naver.com입니다", "이메일", "hong@naver.com"),
    ],
)
def test_finds_the_kind_and_the_exact_span(text, kind, value):
    [m] = find_pii(text)
    assert (m.kind, m.text, text[m.start:m.end]) == (kind, value, value)
    assert mask_pii(text) == text.replace(value, f"[{kind}]")


def test_bare_digit_runs_need_a_shape_a_check_digit_or_a_word_before_them():
    assert mask_pii("4111111111111111") == "[카드번호]"  # passes the Luhn check
    assert mask_pii("1234567890123456") == "1234567890123456"  # does not, and no word says "card"
    assert mask_pii("카드 1234567890123456") == "카드 [카드번호]"
    assert mask_pii("주문번호 11012345678901") == "주문번호 11012345678901"
    assert mask_pii("통장 11012345678901") == "통장 [계좌번호]"
    assert mask_pii("9013011234567") == "9013011234567"  # month 13: not a birth date, not a card


def test_company_numbers_dates_and_prices_are_kept():
    text = "고객센터 114, 1588-0000, 080-123-4567, 2026-05-01 10:30, 48,400원, 3.5%, M041, 2026-05-01-1234"
    assert mask_pii(text) == text


def test_masking_is_idempotent_and_placeholders_are_not_bank_words():
    text = "계좌 110-123-456789 메모 1234567890 연락 010-1234-5678"
    once = mask_pii(text)
    assert once == "계좌 [계좌번호] 메모 1234567890 연락 [전화번호]"  # "계좌" names the first number only
    assert mask_pii(once) == once


def test_an_answer_loses_only_what_it_repeats_of_the_question():
    question = "제 번호 +82 10-1234-5678 이고 메일은 Hong @ Naver.com, 주민번호 900101-1******"
    answer = ("01012345678 / 010 1234 5678 로 연락드리고 hong@naver.com 으로 보냅니다. 900101-1****** 확인. "
              "고객센터 114, 02-3456-7890 으로 문의")
    assert mask_repeated_pii(answer, question) == (
        "[전화번호] / [전화번호] 로 연락드리고 [이메일] 으로 보냅니다. [주민등록번호] 확인. "
        "고객센터 114, 02-3456-7890 으로 문의"
    )
    assert mask_repeated_pii(answer, "요금이 얼마예요?") == answer
    assert mask_repeated_pii("", question) == ""


def test_spelling_variants():
    assert mask_pii("010ㅡ1234ㅡ5678") == "[전화번호]"
    assert mask_pii("(010-1234-5678)") == "([전화번호])"
    assert mask_pii("+82-010-1234-5678") == "[전화번호]"
    assert mask_pii("뒷자리 1234567, 금액 1234567원") == "뒷자리 [주민등록번호], 금액 1234567원"
    assert mask_pii("110123456789 신한은행") == "[계좌번호] 신한은행"
    assert mask_pii("입금 1234567890원") == "입금 1234567890원"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("010_1234_5678", "[전화번호]"),
        ("010~1234~5678 로", "[전화번호] 로"),
        ("010〜1234〜5678", "[전화번호]"),
        ("900101_1234567", "[주민등록번호]"),
        ("연락처 010\n1234\n5678", "연락처 [전화번호]"),
        ("010 -\n1234 - 5678", "[전화번호]"),
        ("주민번호 900101\n1234567", "주민번호 [주민등록번호]"),
        ("4111\n1111\n1111\n1111", "[카드번호]"),
        ("010ー1234ー5678", "[전화번호]"),  # the katakana long mark an IME gives for "-"
        ("010ｰ1234ｰ5678", "[전화번호]"),
        ("010﹘1234﹘5678", "[전화번호]"),
        ("010─1234─5678", "[전화번호]"),
        ("010➖1234➖5678", "[전화번호]"),
        ("010\u00ad1234\u00ad5678", "[전화번호]"),
        ("900101ー1234567", "[주민등록번호]"),
        ("hong @ naver . com 으로", "[이메일] 으로"),
        ("hong@naver .co. kr", "[이메일]"),
        ("1234567812345678 카드로 결제", "[카드번호] 카드로 결제"),  # fails the Luhn check; the word is after it
        ("110_123_456789 로 입금", "[계좌번호] 로 입금"),
    ],
)
def test_realistic_spellings(text, masked):
    assert mask_pii(text) == masked
    assert mask_pii(masked) == masked


def test_wider_separators_keep_the_look_alikes():
    kept = ["2026_05_01 배포", "2026-05-01~2026-05-31", "2026.05.01 ~ 2026.05.31 행사", "1588~0000", "1588_0000",
            "10:30~11:30 점검", "48,400원~55,000원", "33,000~55,000원", "M041_2026 매뉴얼", "080_123_4567 수신자부담",
            "1~2일 소요", "2026\n05\n01", "1234\n5678", "1234567812345678로 주문",
            "연락처 010\n\n1234\n\n5678"]  # a blank line ends a number: the groups are three numbers
    assert [t for t in kept if mask_pii(t) != t] == []


# Generated spellings (seeded): every kind with random digits, separators, full-width forms and Korean around.
_FULL_WIDTH = str.maketrans("0123456789-.@", "０１２３４５６７８９－．＠")
_WRAPS = ["{}", "고객 {} 입니다", "번호{}로", "({})", "{}입니다", "메모: {}, 확인 바람"]


def _generated(rnd: random.Random) -> list[str]:
    def d(n: int) -> str:
        return "".join(rnd.choice("0123456789") for _ in range(n))

    def sep() -> str:
        return rnd.choice(["-", ".", " ", "", " - ", "－", "–", "ㅡ", "_", "~", "\n", " -\n", "ー", "﹘"])

    def luhn(prefix: str) -> str:
        for c in "0123456789":
            digits = [int(x) for x in reversed(prefix + c)]
            if sum(x if i % 2 == 0 else (2 * x - 9 if x > 4 else 2 * x) for i, x in enumerate(digits)) % 10 == 0:
                return prefix + c
        raise AssertionError

    rrn_sep = rnd.choice(["-", " ", "", " - ", "_", "~", "\n"])
    rrn = f"{d(2)}{rnd.randint(1, 12):02d}{rnd.randint(1, 28):02d}{rrn_sep}{rnd.randint(1, 8)}{d(6)}"
    area = rnd.choice(["010", "011", "016", "019", "02", "031", "042", "051", "064", "070", "0505"])
    s = sep()
    phone = f"{area}{s}{d(4 if area == '010' else rnd.choice([3, 4]))}{s}{d(4)}"
    number = luhn(rnd.choice("3459") + d(14))
    card = rnd.choice(["-", " ", "", "."]).join(number[i:i + 4] for i in range(0, 16, 4))
    account = "-".join(d(n) for n in rnd.choice([(3, 3, 6), (3, 6, 2, 3), (4, 2, 7), (6, 2, 6), (3, 4, 4, 2)]))
    email = (rnd.choice(["hong", "kim.cs", "lee_99", "J.Doe"]) + rnd.choice(["@", " @ ", "＠"])
             + rnd.choice(["naver.com", "kt.co.kr", "naver . com", "kt .co. kr"]))
    values = [rrn, phone, card, account, email]
    return [rnd.choice(_WRAPS).format(v.translate(_FULL_WIDTH) if rnd.random() < 0.15 else v) for v in values]


def test_generated_spellings_leave_no_number_or_address():
    rnd = random.Random(15)
    missed = [(t, mask_pii(t)) for _ in range(300) for t in _generated(rnd)
              if re.search(r"[0-9０-９]{3}|[@＠]", mask_pii(t))]
    assert not missed


def test_generated_look_alikes_are_kept():
    rnd = random.Random(5)

    def look_alike() -> str:
        y, m, d = rnd.randint(2000, 2030), rnd.randint(1, 12), rnd.randint(1, 28)
        return rnd.choice([
            f"{rnd.randint(1, 999):,},{rnd.randint(0, 999):03d}원", f"{y}-{m:02d}-{d:02d}", f"{y}.{m:02d}.{d:02d}",
            f"{y}/{m}/{d}", f"{y}-{m:02d}-{d:02d} {rnd.randint(0, 23):02d}:{rnd.randint(0, 59):02d}",
            f"{rnd.choice(['1588', '1577', '1544', '1600'])}-{rnd.randint(0, 9999):04d}",
            f"080-{rnd.randint(100, 999)}-{rnd.randint(0, 9999):04d}", f"{rnd.randint(0, 100)}.{rnd.randint(0, 9)}%",
            f"M{rnd.randint(1, 999):03d}", f"{rnd.randint(1, 999)}번",
            f"{y}_{m:02d}_{d:02d}", f"{y}-{m:02d}-{d:02d}~{y}-{m:02d}-{d + 1:02d}",
            f"{rnd.randint(0, 23):02d}:00~{rnd.randint(0, 23):02d}:30", f"{rnd.randint(1, 99)},000원~{rnd.randint(1, 99)},000원",
            f"{rnd.choice(['1588', '1577'])}~{rnd.randint(0, 9999):04d}", f"M{rnd.randint(1, 999):03d}_{y}",
        ])

    wraps = ["{}", "요금 {} 입니다", "입금일 {}", "카드 결제일 {}", "계좌 개설일 {}"]
    changed = [t for t in (rnd.choice(wraps).format(look_alike()) for _ in range(2000)) if mask_pii(t) != t]
    assert not changed
