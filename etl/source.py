"""Where manual pages come from: a local folder or an S3 prefix, behind one `ManualSource` protocol."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from backend.storage.s3 import is_missing, make_s3_client, parse_s3_url
from etl.links import is_page_path, safe_relative_path

if TYPE_CHECKING:
    from backend.config import Settings

log = logging.getLogger(__name__)


@runtime_checkable
class ManualSource(Protocol):
    """A tree of HTML manual pages and the files they link to.

    Rules:
    - Paths are relative POSIX paths from the root ("internet/M004.html"); none can reach outside the root
      (`read`/`exists` of such a path raise `ValueError` / return False).
    - `pages()` lists the `.html`/`.htm` files, sorted.
    - `read` of a missing path raises `FileNotFoundError`.
    - `root_name` is the root folder's own name (or None), so that a link leaving the root and re-entering
      it by name ("../manuals/files/a.pdf") resolves inside.
    """

    root_name: str | None

    def pages(self) -> list[str]: ...

    def read(self, path: str) -> bytes: ...

    def exists(self, path: str) -> bool: ...

    def describe(self) -> str: ...


def _checked(path: str) -> str:
    safe = safe_relative_path(path)
    if safe is None or safe != path.replace("\\", "/"):
        raise ValueError(f"path outside the manual root: {path!r}")
    return safe


class LocalManualSource:
    """Pages under a local directory (hidden directories such as `.git` are skipped)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()
        if not self.root.is_dir():
            raise FileNotFoundError(f"매뉴얼 폴더를 찾을 수 없습니다: {root}")
        self.root_name: str | None = self.root.name or None

    def _path(self, path: str) -> Path:
        full = (self.root / _checked(path)).resolve()
        # Resolving follows symlinks: one pointing out of the root is refused like "..".
        if not full.is_relative_to(self.root):
            raise ValueError(f"path outside the manual root: {path!r}")
        return full

    def pages(self) -> list[str]:
        found = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            rel_dir = Path(dirpath).relative_to(self.root).as_posix()
            for name in filenames:
                if is_page_path(name) and not name.startswith("."):
                    found.append(name if rel_dir == "." else f"{rel_dir}/{name}")
        return sorted(found)

    def read(self, path: str) -> bytes:
        full = self._path(path)
        if not full.is_file():
            raise FileNotFoundError(path)
        return full.read_bytes()

    def exists(self, path: str) -> bool:
        try:
            return self._path(path).is_file()
        except ValueError:
            return False

    def describe(self) -> str:
        return str(self.root)


class S3ManualSource:
    """Pages under `s3://bucket/prefix`; keys are read relative to the prefix."""

    def __init__(self, url: str, client: Any) -> None:
        self.bucket, self.prefix = parse_s3_url(url)
        self.client = client
        self.root_name: str | None = self.prefix.rstrip("/").rsplit("/", 1)[-1] or None

    def pages(self) -> list[str]:
        found = []
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
            for obj in page.get("Contents", []):
                rel = obj["Key"][len(self.prefix):]
                if not is_page_path(rel):
                    continue
                if safe_relative_path(rel) != rel:
                    log.warning("skipping S3 key that is not a clean relative path: %s", obj["Key"])
                    continue
                found.append(rel)
        return sorted(found)

    def read(self, path: str) -> bytes:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self.prefix + _checked(path))
        except Exception as exc:
            if is_missing(exc):
                raise FileNotFoundError(path) from exc
            raise
        return response["Body"].read()

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
