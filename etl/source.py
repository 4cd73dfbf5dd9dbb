"""Where manual pages come from: a local folder or an S3 prefix, behind one `ManualSource` protocol."""

from __future__ import annotations

import errno
import logging
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NoReturn, Protocol, runtime_checkable

from backend.storage.s3 import is_missing, make_s3_client, parse_s3_url
from etl.links import is_page_path, safe_relative_path
from etl.problems import OutsideRootError, read_problem

if TYPE_CHECKING:
    from backend.config import Settings

log = logging.getLogger(__name__)


@runtime_checkable
class ManualSource(Protocol):
    """A tree of HTML manual pages and the files they link to.

    Rules:
    - Paths are relative POSIX paths from the root ("internet/M004.html"); none can reach outside the root
      (`read`/`open`/`size` of such a path raise `ValueError` (`OutsideRootError`), `exists` returns False).
    - `pages()` lists the `.html`/`.htm` files, sorted; what looks like a page but cannot be one (a folder
      named "x.html", an unreadable folder, an S3 key that is not a clean path) goes to `listing_problems`
      as (path, Korean reason), filled by the latest `pages()` call.
    - `read` of a missing path raises `FileNotFoundError`; any other problem with one file is an `OSError`
      (or `ValueError`) about that file alone, so that the caller can skip it and go on.
    - `open` gives a binary stream to read a file in pieces (attachments can be large); `size` is its
      byte count, known without reading it.
    - `root_name` is the root folder's own name (or None), so that a link leaving the root and re-entering
      it by name ("../manuals/files/a.pdf") resolves inside.
    """

    root_name: str | None
    listing_problems: list[tuple[str, str]]

    def pages(self) -> list[str]: ...

    def read(self, path: str) -> bytes: ...

    def open(self, path: str) -> BinaryIO: ...

    def size(self, path: str) -> int: ...

    def exists(self, path: str) -> bool: ...

    def describe(self) -> str: ...


def _checked(path: str) -> str:
    safe = safe_relative_path(path)
    if safe is None or safe != path.replace("\\", "/"):
        raise OutsideRootError(f"매뉴얼 폴더 밖을 가리키는 경로입니다: {path!r}")
    return safe


class LocalManualSource:
    """Pages under a local directory (hidden directories such as `.git` are skipped).

    Symlinks are followed only while they stay inside the root; a link out of it, a link loop, a broken
    link, a folder or a special file (a FIFO) under a page's name is that one file's problem (an
    `OSError` / `OutsideRootError` from `read`, `open` and `size`), never the run's.
    """

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()
        if not self.root.is_dir():
            raise FileNotFoundError(f"매뉴얼 폴더를 찾을 수 없습니다: {root}")
        self.root_name: str | None = self.root.name or None
        self.listing_problems: list[tuple[str, str]] = []

    def _real_path(self, path: str) -> Path:
        """The file behind `path` with every link resolved, checked to be inside the root."""
        try:
            real = (self.root / _checked(path)).resolve(strict=True)
        except RuntimeError as exc:  # Python < 3.13 reports a symlink loop this way
            raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), path) from exc
        if not real.is_relative_to(self.root):
            raise OutsideRootError(f"매뉴얼 폴더 밖을 가리키는 링크입니다: {path!r}")
        return real

    def _regular_stat(self, path: str, st: os.stat_result) -> os.stat_result:
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
        if not stat.S_ISREG(st.st_mode):  # a FIFO or a device would block or never end
            raise OSError(errno.EINVAL, "일반 파일이 아닙니다 (FIFO나 장치 파일)", path)
        return st

    def pages(self) -> list[str]:
        """The page files under the root, sorted; page-named folders and unreadable folders go to
        `listing_problems`."""
        found = []
        self.listing_problems = []

        def unreadable(exc: OSError) -> None:  # a folder os.walk cannot list: its pages are not seen
            folder = Path(exc.filename) if exc.filename else self.root
            rel = folder.relative_to(self.root).as_posix() if folder.is_relative_to(self.root) else "."
            self.listing_problems.append((f"{rel}/", f"폴더를 읽을 수 없습니다: {read_problem(exc)}"))

        for dirpath, dirnames, filenames in os.walk(self.root, onerror=unreadable):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            rel_dir = Path(dirpath).relative_to(self.root).as_posix()
            for name in dirnames:  # os.walk does not follow links to folders: their pages are not listed
                if is_page_path(name):
                    rel = name if rel_dir == "." else f"{rel_dir}/{name}"
                    self.listing_problems.append((rel, "페이지 이름을 가진 폴더라서 페이지로 읽지 않았습니다"))
            for name in filenames:
                if is_page_path(name) and not name.startswith("."):
                    found.append(name if rel_dir == "." else f"{rel_dir}/{name}")
        return sorted(found)

    def open(self, path: str) -> BinaryIO:
        """The file opened for reading (binary); the caller closes it."""
        real = self._real_path(path)
        # O_NOFOLLOW: a link swapped in after the check is refused; O_NONBLOCK: a FIFO does not hang open.
        fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        try:
            self._regular_stat(path, os.fstat(fd))
            return os.fdopen(fd, "rb")
        except BaseException:
            os.close(fd)
            raise

    def read(self, path: str) -> bytes:
        """The whole file (pages; attachments are streamed with `open`)."""
        with self.open(path) as stream:
            return stream.read()

    def size(self, path: str) -> int:
        """The file's size in bytes (a stat, nothing read)."""
        return self._regular_stat(path, self._real_path(path).stat()).st_size

    def exists(self, path: str) -> bool:
        try:
            self.size(path)
        except (OSError, ValueError):
            return False
        return True

    def describe(self) -> str:
        return str(self.root)


class S3ManualSource:
    """Pages under `s3://bucket/prefix`; keys are read relative to the prefix.

    An error about one object (missing, access denied, archived to Glacier) is an `OSError` about that
    object, so the run skips it and goes on; a connection error still stops the run (the index stays)."""

    def __init__(self, url: str, client: Any) -> None:
        self.bucket, self.prefix = parse_s3_url(url)
        self.client = client
        self.root_name: str | None = self.prefix.rstrip("/").rsplit("/", 1)[-1] or None
        self.listing_problems: list[tuple[str, str]] = []
        self._sizes: dict[str, int] = {}  # from the listing: no HEAD request per page

    def pages(self) -> list[str]:
        """The page keys under the prefix, sorted; keys that are not clean relative paths go to
        `listing_problems`."""
        found = []
        self.listing_problems = []
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
            for obj in page.get("Contents", []):
                rel = obj["Key"][len(self.prefix):]
                if not is_page_path(rel):
                    continue
                if safe_relative_path(rel) != rel:
                    log.warning("skipping S3 key that is not a clean relative path: %s", obj["Key"])
                    self.listing_problems.append((rel, "S3 객체 이름이 올바른 상대 경로가 아니라서 읽지 않았습니다"))
                    continue
                self._sizes[rel] = int(obj.get("Size", 0))
                found.append(rel)
        return sorted(found)

    def _raise_object_error(self, exc: Exception, path: str) -> NoReturn:
        """Raise an S3 error about one object as the `OSError` a file would give; other errors (no
        connection, no credentials) as they are: those stop the run, and the index stays as it was."""
        if is_missing(exc):
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), path) from exc
        response = getattr(exc, "response", None)
        if not response:
            raise exc
        code = str(response.get("Error", {}).get("Code", ""))
        status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if code in ("AccessDenied", "403") or status == 403:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path) from exc
        raise OSError(errno.EIO, f"S3 {code or status}", path) from exc

    def open(self, path: str) -> BinaryIO:
        """The object's body as a stream (read in pieces; the caller closes it)."""
        key = self.prefix + _checked(path)
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=key)
        except Exception as exc:  # noqa: BLE001 - re-raised, as an OSError when it is about this object
            self._raise_object_error(exc, path)
        return response["Body"]

    def read(self, path: str) -> bytes:
        """The whole object (pages; attachments are streamed with `open`)."""
        with self.open(path) as body:
            return body.read()

    def size(self, path: str) -> int:
        """The object's size in bytes (from the listing when it listed the key, else a HEAD request)."""
        key = self.prefix + _checked(path)
        if path in self._sizes:
            return self._sizes[path]
        try:
            return int(self.client.head_object(Bucket=self.bucket, Key=key)["ContentLength"])
        except Exception as exc:  # noqa: BLE001 - re-raised, as an OSError when it is about this object
            self._raise_object_error(exc, path)

    def exists(self, path: str) -> bool:
        try:
            key = self.prefix + _checked(path)
        except ValueError:
            return False
        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except Exception as exc:
            if is_missing(exc):
                return False
            raise
        return True

    def describe(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"


def open_source(spec: str | Path, settings: Settings) -> ManualSource:
    """`s3://bucket/prefix` → `S3ManualSource` (endpoint/region from settings); anything else → a local folder."""
    text = str(spec)
    if text.startswith("s3://"):
        return S3ManualSource(text, make_s3_client(settings))
    return LocalManualSource(text)
