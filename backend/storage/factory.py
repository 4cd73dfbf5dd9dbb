"""`build_attachment_store`: the one place that picks the attachment store from settings."""

from __future__ import annotations

from backend.config import Settings
from backend.storage.base import AttachmentStore


def build_attachment_store(settings: Settings) -> AttachmentStore:
    """The store chosen by `settings.attachment_store`: local directory or S3 bucket."""
    if settings.attachment_store == "s3":
        from backend.storage.s3 import S3AttachmentStore, make_s3_client

        if not settings.s3_bucket:
            raise ValueError("S3 첨부파일 저장소를 쓰려면 SANGDAM_S3_BUCKET을 설정해야 합니다")
        public = settings.s3_public_endpoint_url
        return S3AttachmentStore(
            settings.s3_bucket, settings.s3_prefix, make_s3_client(settings), expiry_s=settings.presign_expiry_s,
            url_client=make_s3_client(settings, endpoint_url=public) if public else None,
        )
    from backend.storage.local import LocalAttachmentStore

    return LocalAttachmentStore(settings.attachments_dir)
