"""Lines of a manual that speak to a language model instead of to the agent (prompt injection).

A manual is written for agents: "고객에게 …을 안내하세요". A line that tells the reader to drop its
instructions, speaks to an AI, or dictates what the answer must say to the agent is written for a model
that reads the page; it is never answer material, and the prompt leaves it out (passages are data, not
instructions). Each signal below is a kind of sentence a manual for people has no use for:

- override: an instruction noun (지시, 명령, 규칙, 프롬프트, instructions …) next to a verb that cancels it
  (무시, 잊다, 따르지 말 …);
- chat-template and role markers: "<|im_start|>", "<start_of_turn>", "[INST]", "system:", "[시스템]" …;
- addressing a model: "AI/어시스턴트/챗봇/언어 모델은 …", "이 문서를 읽는 AI", "너는 이제 …";
- steering the answer: "답변 맨 앞에 … 쓰세요", "응답에 반드시 포함하세요", "상담사에게 … 안내하세요"
  (a manual tells its reader, the agent, what to tell the customer, not what to tell the agent).
"""

from __future__ import annotations

import re
import unicodedata

# Nouns only a model's instructions are called, and the ordinary ones ("규칙", "지침") when they point back
# at instructions already given ("이전 지시", "위의 규칙", "your rules"); a manual's own "기존 규칙 폐기"
# or "설정 해제" is neither.
_MODEL_NOUN = r"(?:프롬프트|시스템\s*(?:메시지|지시|규칙|설정)|system\s*(?:prompt|message)|instructions?|prompts?)"
_PRIOR = (r"(?:이전|위|앞|기존|모든|원래|지금까지|앞서|상기|주어진|받은|당신|너|previous|prior|above|earlier|all|your|any)"
          r"\S{0,4}\s*")
_GENERIC_NOUN = r"(?:지시|명령|규칙|지침|rules?|guidelines?|directions?)"
_INSTRUCTIONS = rf"(?:{_MODEL_NOUN}|{_PRIOR}{_GENERIC_NOUN})"
_CANCEL_VERB = r"(?:무시|잊어|잊고|잊으|잊을|따르지\s*(?:말|마|않)|지키지\s*(?:말|마|않)|ignore|disregard|forget|override|bypass)"
_VOID = r"(?:폐기|무효|취소|해제)\S*"
_REPLY = r"(?:답하|대답하|응답하|말하|답변하)\S*"
_OVERRIDE = re.compile(
    rf"{_INSTRUCTIONS}.{{0,30}}{_CANCEL_VERB}|{_CANCEL_VERB}.{{0,30}}{_INSTRUCTIONS}"
    rf"|{_INSTRUCTIONS}.{{0,20}}{_VOID}.{{0,40}}{_REPLY}"
    # "follow only this": what an injected paragraph says after voiding the rest
    r"|(?:아래|다음|이것|이\s*문단|이\s*문장|이\s*내용|이\s*지시)\S{0,2}만\s*(?:따르|믿|지키)", re.I)
_ROLE_MARKER = re.compile(
    r"<\|?\s*(?:im_start|im_end|start_of_turn|end_of_turn|system|assistant|endoftext)\s*\|?>|\[/?INST\]|<</?SYS>>"
    r"|^\W{0,4}(?:system|assistant|developer|시스템|어시스턴트|AI)\s*(?:prompt|프롬프트|메시지|지시)?\s*[:：\]]"
    r"|^\W{0,4}#{2,}\s*(?:instruction|system|지시)", re.I)
_MODEL = r"(?:AI|A\.I\.|인공\s*지능|LLM|GPT|챗\s*GPT|챗봇|어시스턴트|assistant|언어\s*모델|답변\s*(?:모델|시스템|봇)|상담\s*봇)"
_ADDRESS_MODEL = re.compile(
    rf"(?:이|본)\s*(?:문서|글|페이지|매뉴얼|내용)(?:을|를)?\s*(?:읽|처리|요약|참고)\S*\s*{_MODEL}"
    rf"|{_MODEL}\s*(?:는|은|이|가|에게|여|야)?\s*(?:반드시|지금부터|이제|앞으로|항상|다음|아래|무조건)"
    rf"|(?:너는|넌|당신은|너의|당신의)\s*(?:이제|지금부터|앞으로|새로운|사실)"
    r"|\byou are (?:now|an?|the)\b|\bas an ai\b|\bnew instructions?\b|\bsystem prompt\b|\bjailbreak",
    re.I,
)
_IMPERATIVE = r"(?:하세요|하십시오|하시오|해라|하라|할\s*것|해야\s*(?:합니다|한다)|쓰세요|써라|쓰시오|적으세요|적어라|말하세요|말해라|답하세요|답해라|넣으세요|포함하세요|포함할\s*것|알리세요|전하세요|전달하세요)"
_STEER_ANSWER = re.compile(
    rf"(?:답변|응답|대답|출력)\s*(?:의|에|에는|을|를|은|는)?\s*(?:맨|가장)?\s*(?:앞|처음|첫|끝|마지막|시작|머리)"
    rf"|(?:답변|응답|대답)(?:에|에는|으로|할\s*때|하기\s*전에?)\s.{{0,40}}{_IMPERATIVE}"
    rf"|상담사(?:님)?(?:에게|께|한테)\s.{{0,40}}(?:안내|전달|말|알려|알리|보여|출력|답)\S*\s*{_IMPERATIVE}",
    re.I,
)


def addressed_to_model(line: str) -> bool:
    """True when `line` (one line or sentence of manual text) speaks to a language model rather than to
    an agent (see the module docstring)."""
    text = unicodedata.normalize("NFKC", line).strip()
    if not text:
        return False
    return bool(_OVERRIDE.search(text) or _ROLE_MARKER.search(text) or _ADDRESS_MODEL.search(text)
                or _STEER_ANSWER.search(text))


def without_model_lines(text: str) -> str:
    """`text` without the lines that speak to a model (the other lines as they were)."""
    return "\n".join(line for line in text.split("\n") if not addressed_to_model(line))
