"""Sentences of a manual that speak to a language model instead of to the agent (prompt injection).

A manual is written for agents: "고객에게 …을 안내하세요". A sentence that tells its reader to drop the
instructions it was given, speaks to an AI, or dictates what the answer must say to the agent is written for
a model that reads the page; it is never answer material, and the prompt leaves it out (passages are data,
not instructions). Each signal below is a kind of sentence a manual for people has no use for:

- override: a command to ignore or forget what was said before ("이전 지시를 무시하고", "위 내용은 잊고",
  "ignore the instructions above"), or instructions declared void followed by an order to answer otherwise;
- "only this": "아래만 따르세요", "이 문단만 믿으세요";
- chat-template tokens ("<|im_start|>", "<start_of_turn>", "[INST]"), and a role label ("system:",
  "[시스템]") in front of an order or a new rule;
- addressing a model: "이 문서를 읽는 AI는 …", "AI는 반드시 … 하세요", "너는 이제 …", "you are now …";
- steering the answer: "답변 첫 줄에 … 쓰세요", and orders to pass words on to the agent verbatim
  ("상담사에게 반드시 안내하세요: …"; a manual tells the agent what to tell the customer).

Sentences are judged one by one (a paragraph keeps its other facts), on the text as written and with its
spaces and invisible characters removed ("무 시하고", "지\u200b시").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from backend.text.normalize import nfkc

_IMPERATIVE = (r"(?:하세요|하십시오|하시오|해라|하라|할\s*것|해야\s*(?:합니다|한다)|해\s*주세요|해\s*주십시오|바랍니다"
               r"|쓰세요|써라|쓰시오|적으세요|적어라|말하세요|말해라|말해|답하세요|답해라|답하라|답할\s*것|넣으세요|넣어라"
               r"|포함하세요|포함할\s*것|덧붙이세요|붙이세요|알리세요|전하세요|전달하세요|따르세요|따르라|따를\s*것)")
# What was said before, and a command to drop it. "명령어" is a remote's or a shell's, not an instruction.
_PRIOR = (r"(?:이전|위|위의|앞|앞의|기존|모든|원래|지금까지|지금까지의|앞서|상기|주어진|받은|당신의|너의)\s*"
          r"(?:모든\s*)?(?:지시|명령(?!어)|규칙|지침|프롬프트|내용|안내|말|글|텍스트|문장|설정)\S{0,4}")
_MODEL_NOUN = r"(?:프롬프트|시스템\s*(?:메시지|지시|규칙))\S{0,4}"
_DROP = r"(?:무시\s*하(?:고|세요|십시오|라|시오)|무시할\s*것|무시해|잊(?:고|어|으세요|어라|으십시오)|잊어\s*버리|따르지\s*(?:말|마)|지키지\s*(?:말|마))"
_VOID = r"(?:폐기|무효)"
_REPLY = r"(?:답|대답|응답|말|답변)\s*(?:하세요|하십시오|하라|해라|할\s*것)"
_ONLY_THIS = r"(?:아래|다음|이것|이\s*문단|이\s*문장|이\s*내용|이\s*지시)\S{0,2}만\s*(?:따르|믿|지키|말하|답하)"
_OVERRIDE = re.compile(
    rf"(?:{_PRIOR}|{_MODEL_NOUN}).{{0,30}}{_DROP}|{_DROP}.{{0,10}}(?:{_PRIOR}|{_MODEL_NOUN})|{_ONLY_THIS}")
# Instructions declared void, then an order to answer (judged on the whole line: it spans two sentences). A
# manual's own revision note orders answers to the customer ("고객에게 … 답변하세요"), which this is not.
_VOIDED_THEN_REPLY = re.compile(rf"(?:{_PRIOR}|{_MODEL_NOUN}).{{0,20}}{_VOID}(?P<between>.{{0,40}}?){_REPLY}")
_ENGLISH = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass)\b.{0,30}\b(?:instructions?|prompts?|rules?|above|previous|prior|everything)\b"
    r"|\byou are now\b|\byou are (?:an? )?(?:ai|assistant|language model|chatbot)\b|\bas an ai\b|\bnew instructions?\b"
    r"|\bsystem prompt\b|\bjailbreak|\bdo anything now\b",
    re.I)
_TEMPLATE = re.compile(
    r"<\|?\s*(?:im_start|im_end|start_of_turn|end_of_turn|endoftext)\s*\|?>|\[/?INST\]|<</?SYS>>|#{2,}\s*(?:instruction|system)\b",
    re.I)
_ROLE = re.compile(
    r"^\W{0,4}(?:system|assistant|developer|시스템|어시스턴트|AI)\s*(?:prompt|프롬프트|메시지|지시)?\s*[:：\]]", re.I)
_ROLE_ORDER = re.compile(rf"{_IMPERATIVE}|새\s*(?:로운\s*)?(?:규칙|지시|지침)|new rules?|\byou\b|당신|너는", re.I)
_MODEL = r"(?<![A-Za-z])(?:AI|A\.I\.|인공\s*지능|LLM|GPT|챗\s*GPT|챗봇|어시스턴트|assistant|언어\s*모델|답변\s*(?:모델|시스템|봇)|상담\s*봇)"
_ADDRESS = re.compile(
    rf"(?:읽|처리하|요약하|보)는\s*{_MODEL}"
    rf"|{_MODEL}\s*(?:는|은|이|가|여|야)\s*(?:반드시|지금부터|이제|앞으로|항상|무조건|꼭|먼저).{{0,60}}{_IMPERATIVE}"
    rf"|{_MODEL}\s*(?:는|은|이|가|여|야)\s*(?:아래|다음|위)\s*(?:의\s*)?(?:문장|내용|지시|글|문구).{{0,60}}{_IMPERATIVE}"
    r"|모델\s*(?:은|는|이)\s*(?:지금부터|이제부터|이제)\s"
    r"|(?:너는|넌|당신은)\s*(?:이제|지금부터|앞으로|새로운|사실)",
    re.I)
_AGENT = r"상담\s*(?:사|원|직원)(?:님)?\s*(?:에게|께|한테)"
_STEER = re.compile(
    rf"(?:답변|응답|대답)\s*(?:의|에)?\s*(?:맨\s*)?(?:앞|처음|첫\s*(?:줄|문장)|끝|마지막)\S*\s.{{0,40}}"
    r"(?:쓰|적|넣|붙이|덧붙이|추가하|포함하|시작하)\S*"
    rf"|{_AGENT}.{{0,40}}(?:반드시|그대로|무조건|꼭|다음\s*(?:내용|문장|문구)).{{0,40}}(?:안내|전달|말|알려|알리|보여|전)\S*"
    rf"|{_AGENT}\s.{{0,40}}(?:안내|전달|말|알려|알리|전)\S*\s*{_IMPERATIVE}?\s*[:：\"'“‘]"
    # a link to pass on: what a phishing paragraph wants in the answer
    r"|(?:답변|응답|대답)\s*(?:에|에는|끝에|마지막에)\s.{0,40}(?:https?://|www\.)",
    re.I)
_SENTENCE = re.compile(r"(?<=[.!?。])\s+")


def _views(sentence: str) -> tuple[str, str]:
    """The sentence NFKC-normalised without invisible characters, and the same without its spaces."""
    text = "".join(c for c in nfkc(sentence) if unicodedata.category(c) != "Cf").strip()
    return text, re.sub(r"\s+", "", text)


def _speaks_to_model(sentence: str) -> bool:
    text, tight = _views(sentence)
    if not text:
        return False
    if _ENGLISH.search(text) or _TEMPLATE.search(text) or (_ROLE.search(text) and _ROLE_ORDER.search(text)):
        return True
    return any(p.search(view) for p in (_OVERRIDE, _ADDRESS, _STEER) for view in (text, tight))


def _voided_then_reply(line: str) -> bool:
    text, _ = _views(line)
    return any("고객" not in m.group("between") for m in _VOIDED_THEN_REPLY.finditer(text))


def addressed_to_model(text: str) -> bool:
    """True when a sentence of `text` (a line of manual text) speaks to a language model rather than to an
    agent (see the module docstring)."""
    return _voided_then_reply(text) or any(_speaks_to_model(s) for s in _SENTENCE.split(text))


@lru_cache(maxsize=4096)
def without_model_sentences(text: str) -> str:
    """`text` without the sentences that speak to a model (line breaks and the other sentences kept). Cached:
    the same chunks come back in question after question (about 1 ms per kilobyte to judge)."""
    lines = []
    for line in text.split("\n"):
        if _voided_then_reply(line):
            continue
        if addressed_to_model(line):
            line = " ".join(s for s in _SENTENCE.split(line) if not _speaks_to_model(s))
            if not line.strip():
                continue
        lines.append(line)
    return "\n".join(lines)
