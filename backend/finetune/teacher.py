"""A teacher LLM (any OpenAI-compatible endpoint, `SANGDAM_TEACHER_*`): the proof of concept generated its
instructions and paraphrases with one. Without a teacher the data comes from the rules in `seeds` and
`paraphrase` alone.

The teacher only proposes: a generated answer is kept when it is a verbatim copy of the chunk (whitespace
folded) and then passes the same filters as every example (`raft`); a paraphrase is kept when it is Korean
and keeps the question's figures and Latin-letter names ("5G", "S24", "1G").
"""

from __future__ import annotations

import json
import re

from backend.finetune.seeds import CATEGORIES, Seed
from backend.generate.base import GenerationError
from backend.generate.checks import figures_in, hangul_ratio
from backend.generate.prompt import Prompt
from backend.generate.vllm import VllmGenerator
from backend.models import Chunk
from backend.text.normalize import fold_spaces

PARAPHRASE_SYSTEM_KO = (
    "당신은 통신사 콜센터 상담사의 말투를 잘 아는 한국어 작가입니다. 주어진 질문을 상담사가 통화 중에 급하게 입력하듯 "
    "바꿔 쓰세요. 구어체, 줄임말, 띄어쓰기 실수, 가끔 오타를 섞되 상품명·숫자·요금은 그대로 두세요. "
    "한 줄에 하나씩, 번호나 설명 없이 질문만 쓰세요."
)
QUESTIONS_SYSTEM_KO = (
    "당신은 통신사 상담 매뉴얼로 상담사 교육 문제를 만듭니다. 주어진 매뉴얼 조각만 보고, 상담사가 실제로 물을 질문과 "
    "그 답을 만드세요. 답은 조각의 문장이나 표의 사실을 글자 그대로 옮긴 한 구절이어야 합니다(바꿔 쓰지 말 것). "
    f"분류는 {', '.join(CATEGORIES)} 중 하나. 한 줄에 JSON 하나: "
    '{"question": "...", "answer": "...", "category": "..."}'
)
_LIST_MARK = re.compile(r"^\s*(?:[-•*]|\d{1,2}[.)])\s*")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+-]*[A-Za-z0-9]|[A-Za-z]")


class Teacher:
    """Paraphrases and questions from a teacher model behind `generator` (a `VllmGenerator`)."""

    def __init__(self, generator: VllmGenerator) -> None:
        self.generator = generator

    def _ask(self, system: str, user: str) -> str:
        try:
            return self.generator.complete(Prompt(system=system, user=user, passages=())).text
        except GenerationError:
            return ""  # the rules' data stands without the teacher's

    def paraphrase(self, question: str, n: int) -> list[str]:
        """Up to `n` agent-style rewrites of `question` that keep its figures and names."""
        text = self._ask(PARAPHRASE_SYSTEM_KO, f"질문: {question}\n바꿔 쓴 질문 {n}개:")
        keep = set(figures_in(question)) | set(_NAME.findall(question))
        out: list[str] = []
        for line in text.splitlines():
            candidate = _LIST_MARK.sub("", line).strip().strip('"')
            if (candidate and candidate != question and candidate not in out and hangul_ratio(candidate) >= 0.5
                    and all(k in candidate for k in keep)):
                out.append(candidate)
        return out[:n]

    def questions(self, chunk: Chunk, n: int) -> list[Seed]:
        """Up to `n` question/answer pairs about `chunk` whose answers are verbatim copies of it."""
        text = self._ask(QUESTIONS_SYSTEM_KO, f"[매뉴얼 조각]\n{chunk.text}\n\n질문과 답 {n}개:")
        haystack = fold_spaces(chunk.text)
        seeds: list[Seed] = []
        for line in text.splitlines():
            try:
                item = json.loads(line.strip().rstrip(","))
            except ValueError:
                continue
            if not isinstance(item, dict):
                continue
            question, answer = str(item.get("question") or "").strip(), str(item.get("answer") or "").strip()
            category = str(item.get("category") or "")
            if question and answer and category in CATEGORIES and fold_spaces(answer) in haystack:
                seeds.append(Seed(question, answer, category, "teacher", chunk.chunk_id, chunk.page))
        return seeds[:n]
