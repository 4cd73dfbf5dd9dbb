"""Korean, path-free words for what went wrong: the reasons an ingest run records and the errors the admin
page shows. An admin reads them in a browser, so they name the page or file relative to the manuals root
and never carry a traceback or an absolute path of the server."""

from __future__ import annotations

import errno
import re

# An absolute POSIX path (after a quote, a space, "(" or the start): "/srv/sangdam/var/uploads/x/a.html".
_ABSOLUTE_PATH = re.compile(r"(?<![\w.:/-])/(?:[^\s'\"/:;,()]+/)*[^\s'\"/:;,()]*")
_HANGUL = re.compile(r"[가-힣]")
_MAX_MESSAGE = 300  # characters of an exception's message shown on the admin page


class OutsideRootError(ValueError):
    """A path (or the link behind it) that leads outside the manuals root; the message is Korean."""


def format_size(size: int) -> str:
    """A byte count for people: "512 B", "3.4 KB", "7.2 MB", "1.5 GB"."""
    if size < 1024:
        return f"{size} B"
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            return f"{size:.1f} {unit}".replace(".0 ", " ")
    raise AssertionError("unreachable")


def too_large(what: str, size: int | None, limit: int, setting: str) -> str:
    """"페이지 크기가 너무 큽니다 (7.2 MB, 최대 5 MB: SANGDAM_MAX_PAGE_BYTES)"; `size` None: only known to
    exceed the limit (the file grew while it was read)."""
    shown = format_size(size) if size is not None else f"{format_size(limit)} 초과"
    return f"{what} 크기가 너무 큽니다 ({shown}, 최대 {format_size(limit)}: {setting})"


def read_problem(exc: BaseException) -> str:
    """Why a file could not be read, in Korean, without its absolute path."""
    if isinstance(exc, OutsideRootError):
        return "매뉴얼 폴더 밖을 가리키는 경로(링크)라서 읽지 않았습니다"
    if isinstance(exc, OSError):
        return file_problem(exc)
    if isinstance(exc, ValueError) and _HANGUL.search(str(exc)):
        return strip_paths(str(exc))
    return f"읽을 수 없습니다 ({type(exc).__name__})"


def file_problem(exc: OSError, *, writing: bool = False) -> str:
    """Why a file could not be read (or, `writing`, written), in Korean, without its path: the one wording
    of disk errors, for the ingest's reasons and for the errors of an uploaded zip (backend/app/jobs/uploads)."""
    if isinstance(exc, FileNotFoundError):
        return "쓸 폴더가 없습니다" if writing else "파일이 없습니다 (대상이 없는 링크일 수 있습니다)"
    if isinstance(exc, IsADirectoryError):
        return "파일이 아니라 폴더입니다"
    if isinstance(exc, PermissionError):
        return "쓰기 권한이 없습니다" if writing else "읽기 권한이 없습니다"
    code = exc.errno
    if code == errno.ELOOP:
        return "자기 자신을 가리키는 순환 링크입니다"
    if code == errno.ENAMETOOLONG:
        return "경로가 너무 깁니다"
    if code in (errno.ENOSPC, errno.EDQUOT):
        return "디스크 공간이 부족합니다"
    if code == errno.EROFS:
        return "디스크가 읽기 전용입니다"
    if exc.strerror and _HANGUL.search(exc.strerror):  # raised by us, already in Korean
        return exc.strerror
    detail = exc.strerror or (errno.errorcode.get(code, "") if code else "")
    return f"{'쓸' if writing else '읽을'} 수 없습니다 ({detail or type(exc).__name__})"


def strip_paths(text: str) -> str:
    """`text` with every absolute path replaced by its last part ("/srv/var/uploads/x/a.html" → "a.html")."""
    return _ABSOLUTE_PATH.sub(lambda m: m.group(0).rstrip("/").rsplit("/", 1)[-1] or "/", text)


def public_error(exc: BaseException) -> str:
    """One line about `exc` for the admin page: Korean where the message is ours, the exception's type
    otherwise; no traceback, no absolute path."""
    # Some messages quote another process's output, traceback and all: only the part before it is kept.
    message = " ".join(str(exc).split("Traceback (most recent call last)")[0].split())
    if len(message) > _MAX_MESSAGE:
        message = message[:_MAX_MESSAGE] + "…"
    if _HANGUL.search(message):
        return strip_paths(message)
    if isinstance(exc, OSError):
        return read_problem(exc)
    return strip_paths(f"{type(exc).__name__}: {message}" if message else type(exc).__name__)
