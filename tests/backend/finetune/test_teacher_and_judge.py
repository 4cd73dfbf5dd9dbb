"""A teacher and a judge behind an OpenAI-compatible endpoint (the scripted fake server): what they propose is
kept only when it passes our checks; what they score is read only when it is in form."""

from __future__ import annotations

import json

import pytest

from backend.app.compare import compare, format_compare_table, judge_scores
from backend.finetune.teacher import Teacher
from backend.generate.vllm import VllmGenerator
from backend.models import Chunk
from tests.backend.generate.conftest import fake_server  # noqa: F401 - the fixture

pytestmark = pytest.mark.unit

CHUNK = Chunk(chunk_id="M6#1", doc_id="M6", chunk_no=1, page="M6.html", title="이사", kind="text",
              text="이사 안내 > 이전설치\n이전설치는 이사 예정일 7일 전까지 신청해야 희망일로 확정됩니다.")


def teacher(server) -> Teacher:
    return Teacher(VllmGenerator(server.url, "teacher", max_retries=0))


def test_teacher_paraphrases_keep_figures_and_names(fake_server):  # noqa: F811
    fake_server.script.text = ("1. 5G 스탠다드 월 요금 얼마임?\n- 5G스탠다드 요금 알려줘\nWhat is the price?\n"
                               "5G 스탠다드 월 요금 얼마예요?\n스탠다드 요금 얼마?\n5G 요금 얼마?\n5G 하나 더?")
    out = teacher(fake_server).paraphrase("5G 스탠다드 월 요금 얼마예요?", 3)
    # List marks stripped; English, the question itself and a rewrite without "5G" are left out; at most 3.
    assert out == ["5G 스탠다드 월 요금 얼마임?", "5G스탠다드 요금 알려줘", "5G 요금 얼마?"]


def test_teacher_questions_keep_only_verbatim_answers(fake_server):  # noqa: F811
    fake_server.script.text = "\n".join(json.dumps(x, ensure_ascii=False) for x in [
        {"question": "이전설치 언제까지 신청?", "answer": "이사 예정일 7일 전까지", "category": "프로세스"},
        {"question": "이전설치 신청 기한?", "answer": "일주일 전까지", "category": "프로세스"},  # not in the chunk
        {"question": "x", "answer": "이사 예정일 7일 전까지", "category": "잡담"},  # not a PoC category
    ]) + "\n이건 JSON 이 아님"
    (seed,) = teacher(fake_server).questions(CHUNK, 5)
    assert (seed.answer, seed.category, seed.source, seed.chunk_id) == ("이사 예정일 7일 전까지", "프로세스", "teacher", "M6#1")


def test_a_teacher_that_is_down_adds_nothing(fake_server):  # noqa: F811
    fake_server.script.status = 500
    assert teacher(fake_server).paraphrase("요금 얼마예요?", 2) == [] and teacher(fake_server).questions(CHUNK, 2) == []


def test_the_judge_scores_each_answer_and_out_of_form_replies_count_as_unknown(fake_server):  # noqa: F811
    judge = VllmGenerator(fake_server.url, "judge", max_retries=0)
    row = {"id": "Q1", "category": "프로세스", "question": "이전설치 기한?", "answer_facts": ["7일 전까지"]}
    fake_server.script.texts = ['채점: {"accuracy": 2, "detail": 1}', "좋은 답입니다", '{"accuracy": 5, "detail": 1}']
    assert judge_scores(judge, row, "7일 전까지 [1]") == (2, 1)
    assert judge_scores(judge, row, "몰라요") == (None, None)
    assert judge_scores(judge, row, "몰라요") == (None, None)
    sent = fake_server.script.requests[0]["messages"][-1]["content"]
    assert "7일 전까지" in sent and "이전설치 기한?" in sent

    fake_server.script.texts = ['{"accuracy": 2, "detail": 2}']
    fake_server.script.text = '{"accuracy": 0, "detail": 0}'
    answer = {"answer": "7일 전까지 [1]", "mode": "llm", "refused": False, "citations": [{"page": "M6.html"}],
              "timings_ms": {"total": 1.0}, "warnings": [], "hallucinated": []}
    report = compare([row], {"PEFT+RAG": lambda q: answer}, workers=1, judge=judge)
    overall = report["columns"]["PEFT+RAG"]["overall"]
    assert (overall["judge_accuracy"], overall["judge_detail"]) == (2.0, 2.0)
    assert "정확도 0-2 (채점 LLM) | 2.000" in format_compare_table(report)
