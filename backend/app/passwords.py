"""The password policy of local dashboard accounts: `password_problem` says in one Korean sentence why a
password is too easy to guess, or returns None.

Checks run on the NFKC-normalised, case-folded password (so "ＡＢＣ１２３" counts as "abc123" and "QWERTY"
as "qwerty"): a minimum and maximum length, no whitespace-only password or whitespace at either end, no
control characters, not one character repeated, not a short unit repeated ("abcabcabca", "1212121212"),
at least `MIN_DISTINCT` different characters, not the user name, not a run along the alphabet, the digits or a
keyboard row ("1234567890", "0987654321", "qwertyuiop", "asdfghjkl;", "1q2w3e4r5t"), not a well-known
password with digits or symbols around it or letters swapped for look-alikes ("P@ssw0rd1!"), and not a
string of such predictable pieces ("abcd1234!@", "qwerty12345").

The last check counts "guessable units": the password is cut, left to right, into the longest predictable
pieces (a run, a character repeated, a piece seen earlier in the password, a well-known word), each worth 1,
and single characters, also worth 1 each. Fewer than `MIN_UNITS` units is refused: "abcd1234!@" is 4 units,
"올바른-비밀번호-123" is 7 ("올", "바", "른", "-", "비밀번호", "-", "123").
"""

from __future__ import annotations

import re
import unicodedata

from backend.text.normalize import nfkc

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256  # a bound for the checks below; no real password is longer
MIN_DISTINCT = 5
MIN_UNITS = 6


def _fold(text: str) -> str:
    return nfkc(text).casefold()


# Orders a person types without thinking; a password that runs along one of them (either way) is a guess.
_SEQUENCES = tuple(_fold(s) for s in (
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
    "`1234567890-=", "~!@#$%^&*()_+",
    "qwertyuiop[]\\", "qwertyuiop{}|", "asdfghjkl;'", "asdfghjkl:\"", "zxcvbnm,./", "zxcvbnm<>?",
    # Keyboard columns and zig-zags, much used in Korea ("1q2w3e4r", "1qaz2wsx").
    "1q2w3e4r5t6y7u8i9o0p", "q1w2e3r4t5y6u7i8o9p0", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/",
    "qazwsxedcrfvtgbyhnujmikolp", "a1b2c3d4e5f6g7h8i9j0", "1a2b3c4d5e6f7g8h9i0j",
    # Korean: 가나다 order, the consonants, 2-beolsik keyboard rows, numbers read aloud.
    "가나다라마바사아자차카타파하", "ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎ",
    "ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔ", "ㅁㄴㅇㄹㅎㅗㅓㅏㅣ", "ㅋㅌㅊㅍㅠㅜㅡ", "일이삼사오육칠팔구십",
))
_RUNS = _SEQUENCES + tuple(s[::-1] for s in _SEQUENCES)

# A short list of the passwords (and words) tried first by anyone guessing; Korean ones too, and Korean
# words typed with the keyboard in English mode ("qlalfqjsgh" is 비밀번호).
COMMON_PASSWORDS = frozenset(_fold(w) for w in (
    "password", "passwd", "pass", "qwerty", "iloveyou", "admin", "administrator", "letmein", "welcome",
    "monkey", "dragon", "master", "sunshine", "princess", "football", "baseball", "soccer", "superman",
    "batman", "trustno", "starwars", "shadow", "login", "root", "guest", "secret", "changeme", "default",
    "hello", "freedom", "whatever", "qazwsx", "michael", "charlie", "jennifer", "computer", "internet",
    "samsung", "korea", "seoul", "test", "user", "sangdam", "copilot",
    "비밀번호", "패스워드", "사랑해", "사랑", "안녕하세요", "안녕", "관리자", "상담", "상담사", "대한민국", "코파일럿",
    "qlalfqjsgh", "vkdlzmdnjem", "tkfkdgo", "dkssudgktpdy", "dkssud", "rhksflwk",
))
_WORDS = tuple(sorted((w for w in COMMON_PASSWORDS if len(w) >= 4), key=len, reverse=True))
# Look-alike substitutions ("p@ssw0rd"); "1" may stand for i or l, so both readings are tried.
_LEET = (str.maketrans("@40$5371!|", "aaossetiii"), str.maketrans("@40$5371!|", "aaossetlil"))

TOO_SHORT = f"비밀번호는 {MIN_PASSWORD_LENGTH}자 이상이어야 합니다."
TOO_LONG = f"비밀번호는 {MAX_PASSWORD_LENGTH}자 이하여야 합니다."
ONLY_SPACES = "공백만으로 된 비밀번호는 쓸 수 없습니다."
EDGE_SPACES = "비밀번호의 맨 앞이나 맨 뒤에는 공백을 둘 수 없습니다."
CONTROL = "비밀번호에 제어 문자(줄바꿈, 탭 등)를 넣을 수 없습니다."
ONE_CHARACTER = "한 글자만 되풀이한 비밀번호는 쓸 수 없습니다."
REPEATED_UNIT = "같은 글자 묶음을 되풀이한 비밀번호(abcabc…, 1212… 같은)는 쓸 수 없습니다."
FEW_DISTINCT = f"비밀번호에는 서로 다른 글자가 {MIN_DISTINCT}개 이상 있어야 합니다."
HAS_USERNAME = "비밀번호에 아이디를 넣을 수 없습니다."
RUN = "연속된 글자(1234…, abcd…, qwerty… 같은 키보드 줄)로 된 비밀번호는 쓸 수 없습니다."
COMMON = "널리 알려진 비밀번호(password, qwerty, 비밀번호 같은)나 그 변형은 쓸 수 없습니다."
PREDICTABLE = "연속되거나 되풀이되는 글자와 흔한 단어만 이어 붙인 비밀번호는 쉽게 추측되어 쓸 수 없습니다."


def password_problem(password: str, username: str = "") -> str | None:
    """Why `password` may not be used for the account `username` (one Korean sentence), or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_PASSWORD_LENGTH:
        return TOO_LONG
    if not password.strip():
        return ONLY_SPACES
    if password != password.strip():
        return EDGE_SPACES
    if any(unicodedata.category(c) == "Cc" for c in password):
        return CONTROL
    text = _fold(password)
    if len(set(text)) == 1:
        return ONE_CHARACTER
    if _has_period(text):
        return REPEATED_UNIT
    if len(set(text)) < MIN_DISTINCT:
        return FEW_DISTINCT
    if _contains_username(text, username):
        return HAS_USERNAME
    compact = re.sub(r"[\W_]+", "", text)  # "1 2 3 4 5 6 7 8 9 0", "a-b-c-d-e-f-g-h" are runs too
    if _is_run(text) or _is_run(compact):
        return RUN
    if _is_common(text):
        return COMMON
    units, used_word = min(_units(text), _units(_squeeze(text)))
    if units < MIN_UNITS:
        return COMMON if used_word else PREDICTABLE
    return None


def _has_period(text: str) -> bool:
    """The text is a unit repeated at least twice ("abcabcabca": "abc" 3⅓ times)."""
    n = len(text)
    return any(all(text[i] == text[i - p] for i in range(p, n)) for p in range(1, n // 2 + 1))


def _contains_username(text: str, username: str) -> bool:
    """The user name (or its part before "@", or either with its dots and dashes dropped, or reversed)."""
    name = _fold(username.strip())
    if not name:
        return False
    forms = {name, name.split("@")[0]}
    forms |= {re.sub(r"[\W_]+", "", f) for f in forms}
    forms |= {f[::-1] for f in forms}
    compact = re.sub(r"[\W_]+", "", text)
    # Two-letter names would forbid too many passwords ("ab" is in "crab-house"); only longer ones count.
    return any(len(f) >= 3 and (f in text or f in compact) for f in forms)


def _is_run(text: str) -> bool:
    return len(text) >= 3 and any(text in run for run in _RUNS)


def _is_common(text: str) -> bool:
    """A well-known password, with digits or symbols around it ("password123!", "!!qwerty"), with letters
    swapped for look-alikes ("p@ssw0rd"), or spaced out ("pass word")."""
    core = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", text)  # "p@ssw0rd" of "p@ssw0rd1!"
    candidates = {core, re.sub(r"[\W\d_]+", "", text)} | {core.translate(leet) for leet in _LEET}
    return bool(candidates & COMMON_PASSWORDS)


def _squeeze(text: str) -> str:
    """Doubled characters made single: "aabbccddee" is "abcde" typed twice per key."""
    return re.sub(r"(.)\1+", r"\1", text)


def _units(text: str) -> tuple[int, bool]:
    """(guessable units of `text`, whether a well-known word was one of them); see the module docstring."""
    folded = [text.translate(leet) for leet in _LEET]
    units, used_word, i = 0, False, 0
    while i < len(text):
        length, is_word = _longest_piece(text, folded, i)
        units += 1
        used_word |= is_word
        i += max(length, 1)
    return units, used_word


def _longest_piece(text: str, folded: list[str], i: int) -> tuple[int, bool]:
    """Length of the longest predictable piece starting at `i` (0 when none is 3 characters or longer)."""
    best = 0
    same = len(text) - i - len(text[i:].lstrip(text[i]))  # one character repeated
    best = max(best, same)
    k = 3  # along a run; a piece that is no run cannot grow into one
    while i + k <= len(text) and _is_run(text[i:i + k]):
        best, k = max(best, k), k + 1
    k = 3  # seen earlier in the password ("xk9" again)
    while i + k <= len(text) and text.find(text[i:i + k]) < i:
        best, k = max(best, k), k + 1
    word = max((len(w) for w in _WORDS for v in (text, *folded) if v.startswith(w, i)), default=0)
    if word >= max(best, 3):
        return word, True
    return (best, False) if best >= 3 else (0, False)
