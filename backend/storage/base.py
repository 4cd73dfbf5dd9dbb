"""The `AttachmentStore` protocol: where manual attachments (and the original pages) are kept and linked."""

from __future__ import annotations

from typing import BinaryIO, Protocol, runtime_checkable


class UnsafeKeyError(ValueError):
    """A key that would leave the store (absolute, '..', backslashes, empty parts)."""


def check_key(key: str) -> str:
    """Return `key` if it is a safe, relative POSIX path inside the store; raise `UnsafeKeyError` otherwise."""
    if not key or "\\" in key or "\x00" in key or key.startswith("/"):
        raise UnsafeKeyError(f"unsafe attachment key: {key!r}")
    # Split by hand: PurePosixPath would normalise "a//b" and "a/./b" away, and on S3 those are other keys.
    parts = key.split("/")
    if any(p in ("", ".", "..") for p in parts) or ":" in parts[0]:
        raise UnsafeKeyError(f"unsafe attachment key: {key!r}")
    return key


@runtime_checkable
class AttachmentStore(Protocol):
    """Files under keys that are paths relative to the ingested root ("files/이사신청서.pdf").

    Rules:
    - Keys are checked with `check_key`; nothing can be written or read outside the store.
    - `put` overwrites; `get` of a missing key raises `FileNotFoundError`; `delete` of a missing key is a no-op.
    - `put_file` stores what a binary stream holds, copied in pieces (an attachment may be hundreds of MB:
      it is never read whole into memory); like `put`, a reader sees the old file or the new one.
    - `url` gives a link an agent's browser can open: a file URI for the local store, a presigned URL
      (valid `presign_expiry_s`) for S3.
    """

    def put(self, key: str, data: bytes, media_type: str = "application/octet-stream") -> None: ...

    def put_file(self, key: str, stream: BinaryIO, media_type: str = "application/octet-stream") -> None: ...

    def get(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...

    def url(self, key: str) -> str: ...
