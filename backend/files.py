"""File helpers every floor shares: atomic writes, an inter-process lock, and the clock.

- `atomic_write_bytes` / `_text` / `_json`: a reader sees the old file or the new one, never half of one
  (a temporary file in the same directory, then `os.replace`). `durable=True` also fsyncs the file and
  its directory, for files whose loss after a power cut would lose data (the index's CURRENT pointer).
- `file_lock`: an exclusive lock held across processes and threads (the `filelock` package: `flock` on
  POSIX). The lock file is kept, so two processes never lock two different files of the same name.
- `make_private`: a file readable by its owner only (0600), made so before anything is written to it: the
  files with what people typed, their names or addresses (feedback, the audit log, a reviewer sheet).
- `utc_now` / `utc_iso`: the one clock (UTC, ISO 8601) used in records, job states and file names.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO, Literal

from filelock import FileLock, Timeout

__all__ = [
    "LockBusyError",
    "atomic_write_bytes",
    "atomic_write_json",
    "atomic_write_text",
    "file_lock",
    "fsync_dir",
    "make_private",
    "utc_iso",
    "utc_now",
]


PRIVATE_MODE = 0o600  # read and write for the owner, nothing for the group or others


class LockBusyError(RuntimeError):
    """A non-blocking `file_lock` found the lock held by someone else."""


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(timezone.utc)


def utc_iso(timespec: Literal["seconds", "milliseconds"] = "seconds") -> str:
    """The current UTC time in ISO 8601 ("2026-12-07T03:40:22+00:00")."""
    return utc_now().isoformat(timespec=timespec)


def fsync_dir(path: Path) -> None:
    """Flush a directory's entries (a rename inside it) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path | str, data: bytes, *, durable: bool = False) -> None:
    """Replace `path` with `data` atomically; the file is created 0600 (it may hold accounts or feedback)."""
    atomic_write_stream(path, io.BytesIO(data), durable=durable)


def atomic_write_stream(path: Path | str, stream: BinaryIO, *, durable: bool = False) -> None:
    """Replace `path` with what `stream` holds, copied 1 MB at a time (a large attachment is never held
    whole), atomically: a temporary file created 0600 beside it, then `os.replace`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            shutil.copyfileobj(stream, f, 1024 * 1024)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        fsync_dir(path.parent)


def atomic_write_text(path: Path | str, text: str, *, durable: bool = False) -> None:
    """`atomic_write_bytes` of UTF-8 text."""
    atomic_write_bytes(path, text.encode("utf-8"), durable=durable)


def atomic_write_json(path: Path | str, obj: Any, *, durable: bool = False) -> None:
    """`atomic_write_bytes` of `obj` as indented UTF-8 JSON (Korean kept readable)."""
    atomic_write_text(path, json.dumps(obj, ensure_ascii=False, indent=2), durable=durable)


def make_private(path: Path | str, *, create: bool = True) -> None:
    """Make the file at `path` readable and writable by its owner only (0600), whatever the umask.

    A missing file is created empty with that mode (so nothing is ever written to it while others may read
    it), or left missing when `create` is False (a database's -wal file that comes and goes). An existing
    file, made by hand or by an older version, is changed to 0600; a folder of that name is left alone
    (opening it fails later, with its own error), and so is another user's file (a shared deployment: its
    owner decides its mode). Call it before opening the file for writing."""
    path = Path(path)
    if create:
        try:
            # O_EXCL: only a file made here is set through its descriptor; any other is changed below.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
        except FileExistsError:
            pass
        else:
            try:
                os.fchmod(fd, PRIVATE_MODE)  # exactly 0600: an unusual umask may have taken the owner's bits
            finally:
                os.close(fd)
            return
    try:
        if path.is_file():
            os.chmod(path, PRIVATE_MODE)
    except FileNotFoundError:
        pass  # removed meanwhile (SQLite removes its -wal file when the last connection closes)
    except PermissionError:
        pass  # another user's file


def file_lock(path: Path | str, *, blocking: bool = True) -> FileLock:
    """An exclusive inter-process lock on `path` (created with its directory), usable as a context
    manager or with `.acquire()` / `.release()` from any thread. Not blocking: `.acquire()` raises
    `LockBusyError` at once when another holder has it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return _Lock(str(path), blocking=blocking)


class _Lock(FileLock):
    """`FileLock` that is not thread-local (a job's lock may be released by another thread), keeps
    its file, and raises `LockBusyError` instead of filelock's `Timeout`."""

    def __init__(self, path: str, *, blocking: bool) -> None:
        super().__init__(path, thread_local=False, blocking=blocking, preserve_lock_file=True)

    def acquire(self, *args: Any, **kwargs: Any):  # type: ignore[override]
        try:
            return super().acquire(*args, **kwargs)
        except Timeout:
            raise LockBusyError(str(self.lock_file)) from None
