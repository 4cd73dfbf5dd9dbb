"""Bytes of a manual page → text: BOM, then the declared charset, then strict UTF-8, then detection; a page
with a few bytes no candidate decodes (a damaged CP949 export) is kept, those bytes replaced by U+FFFD."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

# The HTML spec's prescan looks at the first 1024 bytes; some CMS exports put long comments first.
_PRESCAN_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# cp949 (Microsoft's Unified Hangul Code) is a superset of EUC-KR / KS X 1001; pages labelled EUC-KR
# routinely contain its extra syllables, which a strict EUC-KR decoder rejects.
_KOREAN_LEGACY = {"euc-kr", "euckr", "euc_kr", "ks_c_5601-1987", "ks_c_5601", "ksc5601", "ksc_5601", "korean",
                  "cp949", "ms949", "uhc", "windows-949", "x-windows-949", "iso-ir-149", "csksc56011987"}
_SINGLE_BYTE_WESTERN = {"iso8859-1", "iso8859-15", "cp1252", "ascii", "mac-roman"}
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_UTF16_32 = ["utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be"]
# Share of replaced characters up to which a lenient decoding still counts as the page's text. A few
# damaged bytes in a CP949 page replace a few characters; bytes in another encoding, or no text at all,
# replace far more (random high bytes read as CP949: about 9%).
MAX_REPLACED_SHARE = 0.02


class DecodeError(ValueError):
    """The page's bytes could not be turned into text; the message is shown to an admin (Korean)."""


@dataclass(frozen=True)
class DecodedPage:
    """A page's text and how it was decoded."""

    text: str
    encoding: str  # Python codec name actually used ("utf-8", "cp949", ...)
    method: str  # "bom" | "declared" | "utf-8" | "detected"
    replaced: int = 0  # byte sequences that did not decode, each replaced by U+FFFD ("�")


def normalize_encoding(label: str) -> str | None:
    """Python codec name for a charset label (EUC-KR family → cp949); None when unknown."""
    name = label.strip().strip("\"'").lower()
    if name in _KOREAN_LEGACY:
        return "cp949"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return "cp949" if codec == "euc_kr" else codec


def declared_encoding(data: bytes) -> str | None:
    """The charset of `<meta charset>` / `<meta http-equiv="Content-Type">` in the first bytes, normalised."""
    match = _META_CHARSET.search(data[:_PRESCAN_BYTES])
    if not match:
        return None
    return normalize_encoding(match.group(1).decode("ascii", "ignore"))


def decode_html(data: bytes) -> DecodedPage:
    """Decode a page: BOM first, then the declared charset, then strict UTF-8, then detection.

    A declaration is only trusted when the bytes decode strictly with it, and two common mistakes are
    caught: a legacy label on bytes that are valid multi-byte UTF-8 (legacy Korean text is practically
    never valid UTF-8, so UTF-8 wins), and a Western single-byte label on Korean bytes (which always
    "decodes", into mojibake; detection wins when it finds Hangul). When nothing decodes strictly, the
    declared charset, UTF-8 and CP949 are tried with replacement (`replaced` counts the damaged spots)
    before a generic detector, which on damaged Korean bytes guesses a wrong charset and turns the
    whole page into mojibake.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            name = "utf-16" if "16" in encoding else encoding
            try:
                return DecodedPage(data[len(bom):].decode(encoding), name, "bom")
            except UnicodeDecodeError as exc:
                text = data[len(bom):].decode(encoding, "replace")
                replaced = text.count("\ufffd")
                if replaced <= MAX_REPLACED_SHARE * len(text):
                    return DecodedPage(text, name, "bom", replaced)
                raise DecodeError(f"문자 인코딩을 알 수 없습니다: BOM({encoding})과 내용이 맞지 않습니다 ({exc.reason})") from exc

    utf8 = _strict(data, "utf-8")
    declared = declared_encoding(data)
    if declared and declared not in ("utf_8", "utf-8"):
        text = _strict(data, declared)
        if text is not None:
            if utf8 is not None and not data.isascii():
                return DecodedPage(utf8, "utf-8", "utf-8")
            if declared in _SINGLE_BYTE_WESTERN and not data.isascii() and not _HANGUL.search(text):
                detected = _detect(data)
                if detected is not None and _HANGUL.search(detected.text):
                    return detected
            return DecodedPage(text, declared, "declared")
    if utf8 is not None:
        return DecodedPage(utf8, "utf-8", "utf-8")
    detected = _detect(data, declared)
    if detected is None:
        hint = f"선언된 인코딩 {declared}와 맞지 않고 " if declared else ""
        raise DecodeError(f"문자 인코딩을 알 수 없습니다: {hint}UTF-8도 아니며 자동 판별에 실패했습니다")
    return detected


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _hangul_share(text: str) -> float:
    non_ascii = [c for c in text if ord(c) > 127 and not c.isspace()]
    if not non_ascii:
        return 0.0
    return sum(1 for c in non_ascii if "\uac00" <= c <= "\ud7a3") / len(non_ascii)


def _lenient(data: bytes, declared: str | None) -> DecodedPage | None:
    """The declared charset, UTF-8 or CP949 with the damaged bytes replaced: the one replacing fewest,
    if that is at most `MAX_REPLACED_SHARE` of the text (undeclared CP949 must also read as Korean)."""
    best: DecodedPage | None = None
    for encoding in dict.fromkeys([declared, "utf-8", "cp949"]):
        # A Western single-byte label leaves almost no byte undecoded: on Korean bytes it would "win".
        if encoding is None or encoding in _SINGLE_BYTE_WESTERN:
            continue
        try:
            text = data.decode(encoding, "replace")
        except LookupError:
            continue
        replaced = text.count("\ufffd")
        if not text or replaced > MAX_REPLACED_SHARE * len(text):
            continue
        if encoding == "cp949" and declared != "cp949" and _hangul_share(text.replace("\ufffd", "")) < 0.5:
            continue
        if best is None or replaced < best.replaced:
            method = "declared" if encoding == declared else ("utf-8" if encoding == "utf-8" else "detected")
            best = DecodedPage(text, encoding, method, replaced)
    return best


def _detect(data: bytes, declared: str | None = None) -> DecodedPage | None:
    # Korean first: these are Korean manuals, and on short pages a generic detector confuses cp949 with
    # other CJK double-byte codecs (or UTF-16), all of which "decode" the same bytes.
    korean = _strict(data, "cp949")
    if korean is not None and _hangul_share(korean) >= 0.5:
        return DecodedPage(korean, "cp949", "detected")
    lenient = _lenient(data, declared)
    if lenient is not None:
        return lenient
    best = from_bytes(data, cp_exclusion=_UTF16_32 if b"\x00" not in data else None).best()
    if best is None or best.encoding is None:
        return None
    encoding = normalize_encoding(best.encoding) or best.encoding
    text = _strict(data, encoding)
    if text is None:
        return None
    return DecodedPage(text, encoding, "detected")
