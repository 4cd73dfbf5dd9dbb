"""Answer-first composition (`extractive.compose`), the line-1 scorer (`extractive.lead`) and the answerer's
renumbering of citations (`checks.renumber`), on hand-made Korean chunks."""

from __future__ import annotations

import json

import numpy as np
import pytest

from backend.generate.checks import renumber
from backend.generate.extractive import ExtractiveGenerator
from backend.generate.extractive.compose import compose, is_change_record
from backend.generate.extractive.lead import FEATURES, WEIGHTS_FILE, load_model
from backend.generate.extractive.units import Unit, drafts_of
from backend.text.answer_types import asked_for
from tests.backend.generate.test_extractive import passage, table_passage

pytestmark = pytest.mark.unit

PLAN_TABLE = """한빛 기가인터넷 요금제 안내 > 요금표
표: 기가인터넷 상품별 월 이용료 (VAT 포함)
열: 상품 | 최대 속도 | 3년 약정 | 무약정
기가라이트 500의 최대 속도: 500Mbps. 기가라이트 500의 3년 약정: 33,000원. 기가라이트 500의 무약정: 44,000원.
기가인터넷 1G의 최대 속도: 1Gbps. 기가인터넷 1G의 3년 약정: 38,500원. 기가인터넷 1G의 무약정: 49,500원.
기가프리미엄 2.5G의 최대 속도: 2.5Gbps. 기가프리미엄 2.5G의 3년 약정: 49,500원. 기가프리미엄 2.5G의 무약정: 60,500원."""
PLAN_ROWS = [["상품", "최대 속도", "3년 약정", "무약정"], ["기가라이트 500", "500Mbps", "33,000원", "44,000원"],
             ["기가인터넷 1G", "1Gbps", "38,500원", "49,500원"], ["기가프리미엄 2.5G", "2.5Gbps", "49,500원", "60,500원"]]
HISTORY_TABLE = """한빛 기가인터넷 요금제 안내 > 개정 이력
열: 버전 | 개정일 | 주요 내용
v3의 개정일: 2026-05-01. v3의 주요 내용: 요금 개편(기가라이트 500 3년 약정 30,250원 → 33,000원 등)."""
HISTORY_ROWS = [["버전", "개정일", "주요 내용"], ["v3", "2026-05-01", "요금 개편(기가라이트 500 3년 약정 30,250원 → 33,000원 등)"]]
REFUND_TABLE = """할인반환금 > 반환율
열: 약정 | 사용 기간 | 반환율
3년 약정의 사용 기간: 12개월 이하. 3년 약정의 반환율: 100%.
3년 약정의 사용 기간: 13~24개월. 3년 약정의 반환율: 60%."""
REFUND_ROWS = [["약정", "사용 기간", "반환율"], ["3년 약정", "12개월 이하", "100%"], ["3년 약정", "13~24개월", "60%"]]


@pytest.fixture(scope="module")
def gen() -> ExtractiveGenerator:
    return ExtractiveGenerator()


def plans(n: int = 1):
    table = {"caption": "기가인터넷 상품별 월 이용료 (VAT 포함)", "header_rows": 1, "header_cols": 0, "rows": PLAN_ROWS}
    return passage(n, PLAN_TABLE, kind="table", page="M001.html", table=table)


def test_line_one_is_the_cell_with_the_tables_note(gen):
    result = gen.generate("기가인터넷 1G 3년 약정 얼마예요", [plans()])
    assert result.text.splitlines()[0] == "기가인터넷 1G의 3년 약정: 38,500원 (VAT 포함) [1]"


def test_two_rows_the_question_names_share_line_one(gen):
    result = gen.generate("기가라이트 500이랑 기가인터넷 1G 3년 약정 차이", [plans()])
    first = result.text.splitlines()[0]
    assert "기가라이트 500의 3년 약정: 33,000원" in first and "기가인터넷 1G의 3년 약정: 38,500원" in first
    assert "44,000원" not in first


HOME_TABLE = """집전화 정액 요금제 > 요금표
표: 홈 무제한 요금제
열: 요금제 | 월정액 | 이동전화 통화
홈 무제한 라이트의 월정액: 8,800원. 홈 무제한 라이트의 이동전화 통화: 10초당 13원.
홈 무제한 플러스의 월정액: 13,200원. 홈 무제한 플러스의 이동전화 통화: 200분 제공.
홈 무제한 맥스의 월정액: 16,500원. 홈 무제한 맥스의 이동전화 통화: 무제한."""
HOME_ROWS = [["요금제", "월정액", "이동전화 통화"], ["홈 무제한 라이트", "8,800원", "10초당 13원"],
             ["홈 무제한 플러스", "13,200원", "200분 제공"], ["홈 무제한 맥스", "16,500원", "무제한"]]


def test_two_rows_named_by_what_tells_them_apart_share_line_one(gen):
    # "라이트", "플러스": the titles less the "홈 무제한" they all begin with; in the order the question says them.
    home = table_passage(1, HOME_TABLE, HOME_ROWS, page="M014.html")
    first = gen.generate("홈무제한 플러스 라이트 차이", [home]).text.splitlines()[0]
    assert first == ("홈 무제한 플러스 — 월정액: 13,200원 · 이동전화 통화: 200분 제공 / 홈 무제한 라이트 — 월정액: 8,800원"
                     " · 이동전화 통화: 10초당 13원 [1]")
    # A column named too: the two rows' cells there.
    first = gen.generate("홈무제한 라이트랑 맥스 월정액 차이", [home]).text.splitlines()[0]
    assert first == "홈 무제한 라이트의 월정액: 8,800원 · 홈 무제한 맥스의 월정액: 16,500원 [1]"
    # One row named: not a comparison, that row's cell.
    first = gen.generate("홈무제한 맥스 월정액 얼마", [home]).text.splitlines()[0]
    assert first == "홈 무제한 맥스의 월정액: 16,500원 [1]"


def test_a_longer_name_said_wins_over_the_name_inside_it(gen):
    rows = [["요금제", "월정액"], ["5G 스탠다드", "61,000원"], ["5G 스탠다드 플러스", "69,000원"], ["5G 프리미어", "89,000원"]]
    text = "5G 요금제 > 요금표\n열: 요금제 | 월정액\n" + "\n".join(f"{r[0]}의 월정액: {r[1]}." for r in rows[1:])
    first = gen.generate("5G 스탠다드 플러스 월정액", [table_passage(1, text, rows, page="M003.html")]).text.splitlines()[0]
    assert first == "5G 스탠다드 플러스의 월정액: 69,000원 [1]"


def _uncaptioned(n: int, rows: list[list[str]]):
    """A table chunk of page W05.html without caption: its rows' context is empty."""
    text = "재난적의료비 지원 > 지원 기준\n열: " + " | ".join(rows[0]) + "\n" + "\n".join(
        f"{r[0]}의 {rows[0][1]}: {r[1]}." for r in rows[1:])
    table = {"caption": "", "header_rows": 1, "header_cols": 0, "rows": rows}
    return passage(n, text, kind="table", page="W05.html", table=table)


def test_a_table_under_the_same_heading_with_other_columns_is_another_table(gen):
    # Two uncaptioned tables of one page: the second is no part of the first, read down its column; its row
    # is shown (it used to be hidden behind a mark [2] on line 1 that pointed at nothing shown).
    burden = _uncaptioned(1, [["구분", "의료비 부담수준(기준금액)"], ["기초생활수급자·차상위계층", "80만 원 초과 시 지원"],
                              ["기준중위소득 50% 이하", "연소득의 10% 초과 시 지원"]])
    rate = _uncaptioned(2, [["구분", "지원비율"], ["기초생활수급자·차상위계층", "80%"], ["기준중위소득 50% 이하", "70%"]])
    first, *rest = gen.generate("기초생활수급자와 차상위계층 의료비 지원 얼마나 받아요", [burden, rate]).text.splitlines()
    assert first.startswith("의료비 부담수준(기준금액) — 기초생활수급자·차상위계층: 80만 원 초과 시 지원")
    assert first.endswith("[1]")
    assert "- 기초생활수급자·차상위계층의 지원비율: 80% [2]" in rest


def test_a_change_record_never_opens_the_answer(gen):
    history = table_passage(1, HISTORY_TABLE, HISTORY_ROWS, page="M001.html", score=1.0)
    result = gen.generate("기가라이트 500 3년 약정 요금 얼마예요", [history, plans(2)])
    first, *rest = result.text.splitlines()
    assert "→" not in first and "33,000원" in first
    assert all("→" not in line for line in rest[:-1])  # and it comes last, if at all
    assert is_change_record("요금 개편(30,250원 → 33,000원)", asked_for("얼마"))
    assert not is_change_record("접수 → 방문 → 설치 완료", asked_for("얼마"))


def test_a_row_title_shared_by_two_rows_gives_the_whole_row(gen):
    result = gen.generate("3년 약정 13~24개월 반환율", [table_passage(1, REFUND_TABLE, REFUND_ROWS, page="M007.html")])
    first = result.text.splitlines()[0]
    assert first == "3년 약정 — 사용 기간: 13~24개월 · 반환율: 60% [1]"  # the whole row, its title said once


CARE_TABLE = """휴대폰 보험 > 상품 비교
표: 폰케어 상품 비교
열: 구분 | 폰케어 라이트 | 폰케어 플러스 | 폰케어 아이리스 전용
월 이용료의 폰케어 라이트: 3,300원. 월 이용료의 폰케어 플러스: 5,900원. 월 이용료의 폰케어 아이리스 전용: 8,900원.
보장 범위의 폰케어 라이트: 파손. 보장 범위의 폰케어 플러스: 분실·도난·파손. 보장 범위의 폰케어 아이리스 전용: 분실·도난·파손·배터리."""
CARE_ROWS = [["구분", "폰케어 라이트", "폰케어 플러스", "폰케어 아이리스 전용"],
             ["월 이용료", "3,300원", "5,900원", "8,900원"], ["보장 범위", "파손", "분실·도난·파손", "분실·도난·파손·배터리"]]


def care():
    table = {"caption": "폰케어 상품 비교", "header_rows": 1, "header_cols": 1, "rows": CARE_ROWS}
    return passage(1, CARE_TABLE, kind="table", page="M062.html", table=table)


def test_a_column_the_question_names_is_read_down_the_rows(gen):
    first = gen.generate("아이리스 쓰는 고객 배터리까지 되는 보험", [care()]).text.splitlines()[0]
    assert first == "폰케어 아이리스 전용 — 월 이용료: 8,900원 · 보장 범위: 분실·도난·파손·배터리 [1]"
    # Two columns named: both, one after the other.
    first = gen.generate("폰케어 라이트 플러스 차이", [care()]).text.splitlines()[0]
    assert first.startswith("폰케어 라이트 — 월 이용료: 3,300원 · 보장 범위: 파손 / 폰케어 플러스 — 월 이용료: 5,900원")
    assert "8,900원" not in first


CHANNEL_TABLE = """한빛TV 채널 > 채널 번호
표: 주요 채널 번호
열: 번호 | 채널명 | 제공 요금제
101의 채널명: 글로벌뉴스. 101의 제공 요금제: 베이직 이상.
102의 채널명: 차이나무비. 102의 제공 요금제: 프리미엄 전용."""
CHANNEL_ROWS = [["번호", "채널명", "제공 요금제"], ["101", "글로벌뉴스", "베이직 이상"], ["102", "차이나무비", "프리미엄 전용"]]


def test_a_row_named_by_its_value_is_not_read_down(gen):
    # "차이나무비" is a value of row 102: that row answers, whole (not the 채널명 column down the rows).
    table = {"caption": "주요 채널 번호", "header_rows": 1, "header_cols": 0, "rows": CHANNEL_ROWS}
    result = gen.generate("에센스인데 차이나무비 채널이 안 나와요", [passage(1, CHANNEL_TABLE, kind="table",
                                                                      page="M030.html", table=table)])
    first = result.text.splitlines()[0]
    assert "차이나무비" in first and "프리미엄 전용" in first and "글로벌뉴스" not in first


def test_a_short_list_the_answer_shows_opens_it_on_one_line(gen):
    text = """해지 안내 > 사망 해지
구비서류
① 사망진단서 또는 기본증명서 (사망 사실 기재)
② 가족관계증명서 (신청인과의 관계 확인)
③ 신청인 신분증
접수는 가까운 매장에서 합니다."""
    result = gen.generate("명의자 사망 해지 구비서류 뭐 받아요", [passage(1, text, page="M009.html")])
    first, *rest = result.text.splitlines()
    assert first == ("구비서류 — ① 사망진단서 또는 기본증명서 (사망 사실 기재) · ② 가족관계증명서 (신청인과의 관계 확인)"
                     " · ③ 신청인 신분증 [1]")
    assert not any("신분증" in line for line in rest)  # each item once


def test_a_sentence_that_introduces_a_list_opens_with_its_items():
    p = passage(1, """셋톱 > 리모컨
페어링 방법
리모컨이 작동하지 않으면 다시 페어링하도록 안내합니다.
① 셋톱 전원을 켭니다.
② 홈 버튼과 음성 버튼을 동시에 5초간 누릅니다.
페어링이 안 되면 배터리를 바꿉니다.""", page="M064.html")
    intro, first, second, after = (Unit(d, p, 0, i) for i, d in enumerate(drafts_of("text", p.text)))
    intro.lead, first.lead, second.lead, after.lead = 0.9, 0.4, 0.5, 0.3
    answer = compose([intro, first, second, after], [intro, first, second, after], {}, [], "리모컨 연결 방법",
                     frozenset())
    assert answer.head == ("페어링 방법 — 리모컨이 작동하지 않으면 다시 페어링하도록 안내합니다. ① 셋톱 전원을 켭니다. · "
                           "② 홈 버튼과 음성 버튼을 동시에 5초간 누릅니다. [1]")
    assert answer.support == ("페어링 방법 — 페어링이 안 되면 배터리를 바꿉니다. [1]",)
    # A sentence that is not right above the list opens alone.
    after.lead = 0.95
    answer = compose([intro, first, second, after], [intro, first, second, after], {}, [], "리모컨", frozenset())
    assert answer.head == "페어링 방법 — 페어링이 안 되면 배터리를 바꿉니다. [1]"


def test_a_supporting_unit_line_one_rules_out_is_left_out_but_a_list_stays_whole():
    p = passage(1, """해지 안내 > 구비서류
해지는 명의자 본인이 신청합니다.
매장 운영 시간은 오전 10시부터입니다.
- 명의자 신분증
- 해지 신청서""", page="M009.html")
    lead, aside, first, second = (Unit(d, p, 0, i) for i, d in enumerate(drafts_of("text", p.text)))
    lead.lead, aside.lead, first.lead, second.lead = 0.9, 0.05, 0.5, 0.01
    answer = compose([lead, aside, first, second], [lead, aside, first, second], {}, [], "해지 서류", frozenset())
    assert answer.head == "해지는 명의자 본인이 신청합니다. [1]"
    assert answer.support == ("명의자 신분증 · 해지 신청서 [1]",)  # the 0.01 item stays with its list


def test_renumber_orders_marks_as_shown_and_the_passages_to_match():
    ps = [passage(1, "가 > 나\n첫째.", page="M001.html"), passage(2, "다 > 라\n둘째.", page="M002.html"),
          passage(3, "마 > 바\n셋째.", page="M003.html")]
    text, renumbered = renumber("셋째 [3]\n- 첫째 [1]\n- 다시 셋째 [3, 1]", ps)
    assert text == "셋째 [1]\n- 첫째 [2]\n- 다시 셋째 [1, 2]"
    assert [(p.n, p.chunk.page) for p in renumbered] == [(1, "M003.html"), (2, "M001.html"), (3, "M002.html")]
    # A mark of no passage: nothing changes (the warning must name what the text showed).
    assert renumber("없는 번호 [7]", ps) == ("없는 번호 [7]", ps)


def test_the_bundled_lead_weights_match_the_features_and_say_how_they_were_fitted():
    data = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert tuple(data["features"]) == FEATURES and len(data["coef"]) == len(FEATURES)
    assert data["fitted"]["on"] == ["etl/samples/questions.jsonl"] and data["fitted"]["cv_lead_hit"] > 0
    model = load_model()
    assert 0.0 < model.score([0.5] * len(FEATURES)) < 1.0


def test_weights_for_other_features_are_refused(tmp_path):
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"features": ["own"], "coef": [1.0], "intercept": 0.0, "mean": [0.0],
                                "scale": [1.0]}), encoding="utf-8")
    with pytest.raises(ValueError, match="refit"):
        load_model(path)


def test_a_word_the_glossary_adds_decides_line_one():
    from backend.text.glossary import parse_glossary

    text = "요금 안내 > 월 요금\n인터넷 요금은 월 33,000원입니다.\nTV 요금은 월 16,500원입니다."
    result = ExtractiveGenerator(glossary=parse_glossary("티비, TV\n")).generate("티비 요금 얼마", [passage(1, text)])
    assert result.text.splitlines()[0] == "TV 요금은 월 16,500원입니다. [1]"


def test_the_words_beyond_the_page_title_tell_the_unit_asked_for():
    # Every unit of the page shares "자녀안심 인터넷" (its title); only the item says "시간".
    from backend.generate.extractive.lead import features
    from backend.generate.extractive.selection import score_units, term_weights
    from backend.text.analyzer import analyze_query

    text = ("자녀안심 인터넷 > 주요 기능\n자녀안심 인터넷은 유해 사이트 접속을 네트워크 단에서 차단하는 부가서비스입니다.\n"
            "① 유해 사이트 차단: 12개 분류 자동 차단\n② 이용 시간 예약: 요일별·시간대별로 사용 가능 시간을 설정")
    p = passage(1, text, page="M070.html")
    assert p.chunk.title == "자녀안심 인터넷"
    units = [Unit(d, p, 0, i) for i, d in enumerate(drafts_of(p.chunk.kind, p.text))]
    question = "자녀안심 인터넷 시간 제한 기능도 있나요?"
    weights = term_weights(analyze_query(question), [], units)
    score_units(units, weights, [p], [])
    column = FEATURES.index("specific")
    specific = {u.draft.text.split(":")[0]: x[column] for u, x in zip(units, features(units, weights, [p], question, []))}
    assert specific["② 이용 시간 예약"] == 1.0
    assert specific["자녀안심 인터넷은 유해 사이트 접속을 네트워크 단에서 차단하는 부가서비스입니다."] == 0.0


def test_a_sentence_that_shares_one_common_word_is_not_copied(gen):
    text = ("자녀안심 인터넷 > 안내\n자녀안심 인터넷 월 이용료는 1,650원이며 첫 3개월은 무료입니다.\n"
            "인터넷 설치는 보통 2일 걸립니다.\n공유기는 기가WiFi 홈이 기본입니다.")
    result = gen.generate("자녀안심 인터넷 월 이용료 얼마예요", [passage(1, text)])
    assert result.text == "자녀안심 인터넷 월 이용료는 1,650원이며 첫 3개월은 무료입니다. [1]"


def test_the_column_is_told_by_the_words_only_it_has():
    # Every price column says "월 이용료 (VAT 포함)": "3년" alone tells the one asked for.
    from backend.chunk_layout import TableGrid, columns_line, row_sentence
    from backend.generate.extractive.compose import _asked_columns
    from backend.generate.extractive.units import Unit, drafts_of

    grid = TableGrid("", (("상품", "최대 속도", "월 이용료 (VAT 포함) 1년 약정", "월 이용료 (VAT 포함) 3년 약정"),
                          ("기가라이트 500", "500Mbps", "40,700원", "33,000원")), header_rows=1)
    text = "\n".join(["요금 > 요금표", columns_line(grid.column_titles()), *map(row_sentence, grid.row_facts())])
    (draft,) = drafts_of("table", text, grid)
    unit = Unit(draft, plans(), 0, 0)
    weights = {"이용료": 1.0, "월": 0.5, "3년": 1.0, "약정": 0.5, "요금": 1.0}
    assert _asked_columns(unit, weights) == ["월 이용료 (VAT 포함) 3년 약정"]
    assert _asked_columns(unit, {"약정": 1.0, "이용료": 1.0}) == []  # words all price columns share: no guess


class MeaningEmbedder:
    """An embedder whose notion of meaning the test sets: the question's vector, and a vector near it for
    each text that holds `close` (far from it otherwise)."""

    name, dim = "test-meaning", 2

    def __init__(self, close: str) -> None:
        self.close = close

    def embed_passages(self, texts):
        return np.array([[1.0, 0.0] if self.close in t else [0.6, 0.8] for t in texts], dtype=np.float32)

    def embed_query(self, text):
        return np.array([1.0, 0.0], dtype=np.float32)


# Two sentences that hold the question's words equally ("장비", "반납"); only their meaning tells the
# deadline asked for from the fee.
RETURN_TEXT = ("해지 안내 > 장비 반납\n반납 기준\n미반납 장비는 변상금을 청구하며 반납 방법은 택배입니다.\n"
               "장비는 해지일로부터 14일 이내 반납하며 반납 방법은 방문 수거입니다.")


def test_line_one_follows_the_embedders_meaning_when_the_words_tie():
    question = "장비 반납 언제까지"
    for close in ("14일 이내", "변상금"):
        gen = ExtractiveGenerator(embedder=MeaningEmbedder(close))
        first = gen.generate(question, [passage(1, RETURN_TEXT)]).text.splitlines()[0]
        assert close in first, (close, first)


def test_meaning_is_the_cosine_of_context_and_text_and_nothing_without_an_embedder():
    from backend.generate.extractive.lead import features, meaning, unit_text
    from backend.generate.extractive.units import Unit, drafts_of

    p = passage(1, RETURN_TEXT)
    units = [Unit(d, p, 0, i) for i, d in enumerate(drafts_of("text", p.text))]
    assert unit_text(units[0].draft) == "반납 기준 — 미반납 장비는 변상금을 청구하며 반납 방법은 택배입니다."
    assert meaning(units, "장비 반납 언제까지", None) == [0.0, 0.0]
    sims = meaning(units, "장비 반납 언제까지", MeaningEmbedder("14일"))
    assert sims == pytest.approx([0.6, 1.0])
    rows = features(units, {"장비": 1.0}, [p], "장비 반납 언제까지", [], sims)
    gap, best = FEATURES.index("meaning_gap"), FEATURES.index("meaning_best")
    assert [r[gap] for r in rows] == pytest.approx([0.4, 0.0]) and [r[best] for r in rows] == [0.0, 1.0]


def test_a_row_line_says_its_title_once():
    from backend.chunk_layout import row_line

    assert row_line("5G 스탠다드", [("월정액", "61,000원"), ("데이터", "20GB.")]) == "5G 스탠다드 — 월정액: 61,000원 · 데이터: 20GB"
    assert row_line("비고", [("", "약정 없음")]) == "비고 — 약정 없음"  # a column without a title: the value
