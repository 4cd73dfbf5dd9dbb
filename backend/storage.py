"""The `AttachmentStore` protocol: where manual attachments (and the original pages) are kept and linked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from backend.config import Settings


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
    - `url` gives a link an agent's browser can open: a file URI for the local store, a presigned URL
      (valid `presign_expiry_s`) for S3.
    """

    def put(self, key: str, data: bytes, media_type: str = "application/octet-stream") -> None: ...

    def get(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...

    def url(self, key: str) -> str: ...


def build_attachment_store(settings: Settings) -> AttachmentStore:
    """The store chosen by `settings.attachment_store`: local directory or S3 bucket."""
    if settings.attachment_store == "s3":
        from backend.storage_s3 import S3AttachmentStore, make_s3_client

        if not settings.s3_bucket:
            raise ValueError("S3 첨부파일 저장소를 쓰려면 SANGDAM_S3_BUCKET을 설정해야 합니다")
        public = settings.s3_public_endpoint_url
        return S3AttachmentStore(
            settings.s3_bucket, settings.s3_prefix, make_s3_client(settings), expiry_s=settings.presign_expiry_s,
            url_client=make_s3_client(settings, endpoint_url=public) if public else None,
        )
    from backend.storage_local import LocalAttachmentStore

    return LocalAttachmentStore(settings.attachments_dir)
