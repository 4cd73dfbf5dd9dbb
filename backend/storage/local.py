"""`LocalAttachmentStore`: attachments and original pages as files under one directory."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from backend.files import atomic_write_bytes, atomic_write_stream
from backend.storage.base import UnsafeKeyError, check_key


class LocalAttachmentStore:
    """Files under `root_dir/<key>`; `url` is a `file://` URI (for a dashboard running on the same machine)."""

    def __init__(self, root_dir: Path | str) -> None:
        self.root = Path(root_dir).resolve()

    def _path(self, key: str) -> Path:
        path = (self.root / check_key(key)).resolve()
        # A symlink planted inside the store must not lead out of it.
        if not path.is_relative_to(self.root):
            raise UnsafeKeyError(f"unsafe attachment key: {key!r}")
        return path

    def put(self, key: str, data: bytes, media_type: str = "application/octet-stream") -> None:
        """Write `data` under `key` atomically (readers see the old or the new file, never a partial one)."""
        atomic_write_bytes(self._path(key), data)

    def put_file(self, key: str, stream: BinaryIO, media_type: str = "application/octet-stream") -> None:
        """Copy `stream` under `key` 1 MB at a time, atomically (`backend.files.atomic_write_stream`)."""
        atomic_write_stream(self._path(key), stream)

    def get(self, key: str) -> bytes:
        """The file's bytes; `FileNotFoundError` if missing."""
        path = self._path(key)
        if not path.is_file():
            raise FileNotFoundError(key)
        return path.read_bytes()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        """Remove the file; a missing key is a no-op."""
        self._path(key).unlink(missing_ok=True)

    def url(self, key: str) -> str:
        """A `file://` URI (percent-encoded) of the stored file."""
        return self._path(key).as_uri()
