"""Korean personal data in what people type: found, and masked before anything is stored, logged or exported.

`mask_pii(text)` replaces each piece of personal data with a placeholder that keeps its kind:

- 주민등록번호 / 외국인등록번호 -> "[주민등록번호]" / "[외국인등록번호]": 6 digits, a separator, 7 digits whose first
  is 1-4 (Korean) or 5-8 (foreign resident); the back may already be starred ("900101-1******"). Without a
  separator the 13 digits must also start with a plausible birth date (YYMMDD). The 7-digit back half alone
  after "뒷자리", "뒷번호" or "뒤 7자리".
- 휴대폰 / 전화번호 -> "[전화번호]": mobile 010, 011, 016-019; area codes 02, 031-033, 041-044, 051-055,
  061-064; 070 and 050X; optionally "+82" / "0082" (with "(0)" or "0" after it) in front, the area code in
  parentheses ("(02) 123-4567", "031)123-4567"). Groups of 3-4 and 4 digits, separated or not.
- 카드번호 -> "[카드번호]": 4-4-4-4 (up to 19 digits), 4-6-5 and 4-6-4 groups with separators; 13-19 digits in a
  row when they pass the Luhn check or a card word ("카드", "card") is next to them, before or after
  ("1234567812345678 카드로 결제").
- 계좌번호 -> "[계좌번호]": 3-6 groups of digits joined by hyphens, 10-14 digits in all (110-123-456789,
  123-456789-01-234, 3333-01-1234567); 10-14 digits in a row or in space- or dot-separated groups when a bank
  word (계좌, 통장, 입금, 이체, 은행 names ...) is next to them, before or after.
- 이메일 -> "[이메일]": name@domain.tld, also with spaces around "@" and around the dots of the domain
  ("hong @ naver . com"), "(at)", "[at]" or "골뱅이" for "@".

A separator between digit groups is "-", ".", "_" or "~" (spaces and one line break around it allowed), or
spaces alone, or one line break ("010_1234_5678", "010~1234~5678", "900101_1234567", "010\n1234\n5678").
Full-width digits and signs (０１０－１２３４), other dashes and their look-alikes (the katakana long mark "ー",
"﹘", "─", "➖", a soft hyphen ...), "ㅡ" typed as a dash, the wave dash "〜" as "~", middle dots, and no-break or
zero-width spaces count as their plain forms; Korean text may be glued on either side
("주민번호900101-1234567입니다").

Not masked, on purpose: prices ("48,400원", "월 33,000원", "1234567890원"), dates and times ("2026-05-01",
"2026.05.01", "2026-05-01-1234", "10:30"), company numbers (114, 1588-0000 style 대표번호, 080 / 060 lines),
8-digit local numbers without an area code, product codes ("M041", "GiGA 1G"), percentages, short numbers,
and long digit runs with neither a known shape nor a bank or card word next to them (an order number
"202605011234"). Also not found: a birth date alone ("900101"), digits spelled in Korean ("공일공"), numbers
already partly starred other than a 주민등록번호 ("1234-****-****-3456"), and groups split by "/".
Over-masked, accepted: other hyphenated 10-14 digit identifiers (a business number 123-45-67890, an ISBN)
are masked as 계좌번호, other 13-19 digit runs that happen to pass the Luhn check as 카드번호, and an English word
after an address and a spaced dot ("hong@naver.com. Thanks") as part of the 이메일.

`mask_repeated_pii(answer, question)` masks in an answer only the personal data found in the question (an LLM
echoing the customer's number back, however it re-spaced it): the manual's own numbers stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RRN = "주민등록번호"
ALIEN = "외국인등록번호"
PHONE = "전화번호"
CARD = "카드번호"
ACCOUNT = "계좌번호"
EMAIL = "이메일"
KINDS = (RRN, ALIEN, PHONE, CARD, ACCOUNT, EMAIL)


@dataclass(frozen=True)
class PiiMatch:
    """One piece of personal data: its kind (one of `KINDS`) and where it is in the text."""

    kind: str
    start: int
    end: int
    text: str

    @property
    def placeholder(self) -> str:
        return f"[{self.kind}]"


# One character for one: positions in the plain copy are positions in the text as typed.
_PLAIN = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # full-width ASCII (０-９, －, ＠, ．, ＋ ...)
# Dashes, the minus sign and what looks like them: "ㅡ" and its other forms (the Hangul vowel Korean keyboards type
# for a dash: "010ㅡ1234ㅡ5678"), the katakana long mark ("ー", an IME's dash), small and vertical dashes, box
# drawing lines, a soft hyphen.
_DASHES = (
    0x00AD, 0x02D7, 0x058A, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2043, 0x2212, 0x23AF, 0x2500,
    0x2501, 0x2796, 0x2E3A, 0x2E3B, 0x30FC, 0xFE31, 0xFE32, 0xFE58, 0xFE63, 0xFF70, 0x3161, 0xFFDA,
)
_PLAIN.update({cp: ord("-") for cp in _DASHES})
_PLAIN.update({cp: ord("~") for cp in (0x301C, 0x223C)})  # the wave dash and the tilde operator
_PLAIN.update({cp: ord(".") for cp in (0x00B7, 0x30FB, 0xFF65, 0x318D)})  # middle dots, ㆍ
_PLAIN.update({cp: ord(" ") for cp in (0x00A0, 0x3000, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)})


def _plain(text: str) -> str:
    return text.translate(_PLAIN)


# Spaces, or one line break with spaces around it (a number typed over two lines): never an empty match.
_SPACE = r"(?:[ \t]+(?:\r?\n[ \t]*)?|\r?\n[ \t]*)"
# A separator between digit groups: "-", ".", "_" or "~" with spaces around, or spaces (a line break) alone.
_SEP = rf"(?:{_SPACE}?[-._~]{_SPACE}?|{_SPACE})"
_OPT = _SEP + "?"
# Not in the middle of a longer number: no digit (or digit and separator) just before, no digit just after.
_START = r"(?<![0-9])(?<![0-9][-._~])"
_END = r"(?![0-9])"

_BIRTH = r"[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
_RRN = re.compile(
    _START + rf"(?:[0-9]{{6}}{_SEP}(?P<a>[1-8])(?:[0-9]{{6}}|[*xX●]{{6}})|{_BIRTH}(?P<b>[1-8])[0-9]{{6}})" + _END
)
# The back half alone, after a word that says so ("뒷자리 1234567", "뒤 7자리는 2345678").
_RRN_BACK = re.compile(_START + r"[1-8][0-9]{6}(?![0-9]|[ \t]*원)")
_RRN_BACK_WORDS = re.compile(r"(?:뒷|뒤[ \t]*7?)[ \t]*(?:자리|번호)[^0-9\]]*$")

_PREFIX = r"(?:1[016789]|2|3[1-3]|4[1-4]|5[1-5]|6[1-4]|70|50[0-9])"  # after the leading 0
_PHONE = re.compile(
    _START
    + rf"(?:(?:\+|00)?[ \t]*82[ \t._~-]*(?:\(0\)[ \t]*|0)?(?:\({_PREFIX}\)|{_PREFIX})|\(0{_PREFIX}\)|0{_PREFIX}\)?)"
    + rf"{_OPT}[0-9]{{3,4}}{_OPT}[0-9]{{4}}"
    + _END
)

_CARD_GROUPED = re.compile(
    _START
    + rf"(?:[0-9]{{4}}(?:{_SEP}[0-9]{{4}}){{3}}(?:[-._~]?[0-9]{{1,3}})?|[0-9]{{4}}{_SEP}[0-9]{{6}}{_SEP}[0-9]{{4,5}})"
    + _END
)
_DIGIT_RUN = re.compile(_START + r"[0-9]{10,19}(?![0-9]|[ \t]*원)")  # "1234567890원" is an amount

_ACCOUNT_HYPHENS = re.compile(_START + rf"[0-9]{{1,7}}(?:{_SPACE}?[-_~]{_SPACE}?[0-9]{{1,7}}){{2,5}}" + _END)
_ACCOUNT_SPACED = re.compile(_START + r"[0-9]{2,7}(?:" + _SEP + r"[0-9]{1,7}){1,5}" + _END)
# Words that make a run of digits shortly after them an account or a card number.
_BANK_WORDS = re.compile(
    r"계좌|통장|입금|송금|이체|예금주|은행|뱅크|농협|국민|신한|우리|하나|기업|우체국|새마을|신협|수협|카카오|토스|"
    r"SC제일|씨티|account",
    re.IGNORECASE,
)
_CARD_WORDS = re.compile(r"카드|card", re.IGNORECASE)
_CONTEXT_CHARS = 20  # how far before or after a number a word that names it is looked for
_DATE_SEP = r"[ \t]*[-./][ \t]*"
_DATE = re.compile(rf"(?:19|20)[0-9]{{2}}{_DATE_SEP}(?:0?[1-9]|1[0-2]){_DATE_SEP}(?:0?[1-9]|[12][0-9]|3[01])(?![0-9])")
_TOLL_FREE = re.compile(r"0[0-9]{2}-[0-9]{3,4}-[0-9]{4}$")  # 080-123-4567: a company's line, not a person's

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+[ \t]*(?:@|\(at\)|\[at\]|골뱅이)[ \t]*(?:[A-Za-z0-9-]+[ \t]*\.[ \t]*)+"
    r"[A-Za-z]{2,}"
    r"(?![A-Za-z0-9-])",
    re.IGNORECASE,
)


def _luhn(digits: str) -> bool:
    """The check digit of card numbers: every second digit from the right doubled, the sum ends in 0."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _after_word(plain: str, start: int, words: re.Pattern[str]) -> bool:
    """Whether one of `words` is in the few characters before `start`, after the previous number or
    placeholder: a word names the number next to it, not the one after that (and masking twice gives what
    masking once gave)."""
    before = re.split(r"[0-9\]]", plain[max(0, start - _CONTEXT_CHARS):start])[-1]
    return words.search(before) is not None


def _near_word(plain: str, start: int, end: int, words: re.Pattern[str]) -> bool:
    """`_after_word`, or one of `words` in the few characters after `end`, before the next number
    ("110123456789 신한은행 계좌")."""
    after = re.split(r"[0-9\[]", plain[end:end + _CONTEXT_CHARS])[0]
    return _after_word(plain, start, words) or words.search(after) is not None


def _account_shape(text: str) -> bool:
    """10-14 digits in groups that are not a date ("2026-05-01-1234") or a company's 080 / 060 line."""
    shape = re.sub(_SEP, "-", text.strip())
    return 10 <= len(shape.replace("-", "")) <= 14 and not _DATE.match(shape) and not _TOLL_FREE.match(shape)


def _candidates(plain: str) -> list[PiiMatch]:
    """Every match of every rule, in order of precedence (earlier rules win where two overlap)."""
    found: list[PiiMatch] = []

    def add(kind: str, m: re.Match[str]) -> None:
        found.append(PiiMatch(kind, m.start(), m.end(), m.group()))

    for m in _EMAIL.finditer(plain):
        add(EMAIL, m)
    for m in _RRN.finditer(plain):
        add(ALIEN if (m.group("a") or m.group("b")) in "5678" else RRN, m)
    for m in _RRN_BACK.finditer(plain):
        if _RRN_BACK_WORDS.search(plain[max(0, m.start() - _CONTEXT_CHARS):m.start()]):
            add(ALIEN if m.group()[0] in "5678" else RRN, m)
    for m in _CARD_GROUPED.finditer(plain):  # before phones: no phone number has four groups of four
        add(CARD, m)
    for m in _PHONE.finditer(plain):
        add(PHONE, m)
    for m in _DIGIT_RUN.finditer(plain):
        n = len(m.group())
        if n >= 13 and (_luhn(m.group()) or _near_word(plain, m.start(), m.end(), _CARD_WORDS)):
            add(CARD, m)
        elif n <= 14 and _near_word(plain, m.start(), m.end(), _BANK_WORDS):
            add(ACCOUNT, m)
    for m in _ACCOUNT_HYPHENS.finditer(plain):
        if _account_shape(m.group()):
            add(ACCOUNT, m)
    for m in _ACCOUNT_SPACED.finditer(plain):
        if _account_shape(m.group()) and _near_word(plain, m.start(), m.end(), _BANK_WORDS):
            add(ACCOUNT, m)
    return found


# Every kind needs seven digits or more (spaced or grouped) or an "@" written one way or another: text
# without either (most questions, every record already masked) is passed over with one cheap search.
_MAYBE = re.compile(r"@|\(at\)|\[at\]|골뱅이|[0-9](?:[^0-9]{0,8}[0-9]){6}", re.IGNORECASE)


def find_pii(text: str) -> list[PiiMatch]:
    """The personal data in `text` (see the module docstring for what counts), in order, never overlapping."""
    if not text:
        return []
    plain = _plain(text)
    if not _MAYBE.search(plain):
        return []
    taken: list[PiiMatch] = []
    for c in _candidates(plain):
        if all(c.end <= t.start or c.start >= t.end for t in taken):
            taken.append(PiiMatch(c.kind, c.start, c.end, text[c.start:c.end]))
    return sorted(taken, key=lambda m: m.start)


def _replace(text: str, matches: list[PiiMatch]) -> str:
    out, pos = [], 0
    for m in sorted(matches, key=lambda m: m.start):
        out.append(text[pos:m.start])
        out.append(m.placeholder)
        pos = m.end
    out.append(text[pos:])
    return "".join(out)


def mask_pii(text: str) -> str:
    """`text` with every piece of personal data replaced by its placeholder ("[전화번호]" ...). Idempotent."""
    matches = find_pii(text)
    return _replace(text, matches) if matches else text


# Between two digits of an echoed number: any spacing (line breaks too), separators or parentheses.
_ECHO_GAP = r"[ \t\r\n().\-_~]*"
_AT = re.compile(r"[ \t]*(?:\(at\)|\[at\]|골뱅이|@)[ \t]*", re.IGNORECASE)


def _key(m: PiiMatch) -> str:
    """What stays of `m` however it is written: the address in lower case, or the digits (and stars) with
    a phone number in its national form ("+82 10-1234-5678" -> "01012345678")."""
    plain = _plain(m.text)
    if m.kind == EMAIL:
        return _AT.sub("@", plain).replace(" ", "").lower()
    key = "".join(ch for ch in plain if ch in "0123456789*xX●")
    if m.kind == PHONE:
        rest = key[4:] if key.startswith("0082") else key[2:] if key.startswith("82") else None
        key = key if rest is None else rest if rest.startswith("0") else "0" + rest
    return key


def _echo_patterns(key: str, kind: str) -> list[re.Pattern[str]]:
    """Patterns that find a number with the digits `key` in another text, however it is spaced or grouped."""
    if kind == EMAIL or not key.isdigit() or len(key) < 7:  # 7: the back half of a 주민등록번호
        return []
    variants = [key, "82" + key[1:]] if kind == PHONE else [key]  # 010… and +82 10… are the same number
    return [re.compile(r"(?<![0-9])(?:\+|00)?" + _ECHO_GAP.join(v) + r"(?![0-9])") for v in variants]


def mask_repeated_pii(text: str, source: str) -> str:
    """`text` (an answer) with the personal data found in `source` (the question) masked wherever it is
    repeated, written the same way or not; everything else, the manual's own phone numbers and prices
    included, is left as it is."""
    if not text or not source:
        return text
    keys = {_key(m): m.kind for m in find_pii(source)}
    if not keys:
        return text
    matches = [m for m in find_pii(text) if _key(m) in keys]
    plain = _plain(text)
    for key, kind in keys.items():
        for pattern in _echo_patterns(key, kind):
            for m in pattern.finditer(plain):
                if all(m.end() <= t.start or m.start() >= t.end for t in matches):
                    matches.append(PiiMatch(kind, m.start(), m.end(), text[m.start():m.end()]))
    return _replace(text, matches) if matches else text
