"""`S3AttachmentStore` and the shared S3 helpers (client, `s3://` URLs)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import quote

from backend.storage.base import check_key

if TYPE_CHECKING:
    from backend.config import Settings


def make_s3_client(settings: Settings, *, endpoint_url: str | None = None) -> Any:
    """A boto3 S3 client for the configured endpoint (or `endpoint_url`) and region (credentials: boto3's
    usual chain)."""
    import boto3
    from botocore.config import Config

    # SigV4 and path-style addressing: presigned URLs that MinIO and other S3-compatible stores accept.
    config = Config(signature_version="s3v4", s3={"addressing_style": "path"}) if (endpoint_url or settings.s3_endpoint_url) else None
    return boto3.client("s3", endpoint_url=endpoint_url or settings.s3_endpoint_url, region_name=settings.s3_region, config=config)


def parse_s3_url(url: str) -> tuple[str, str]:
    """`s3://bucket/some/prefix` → ("bucket", "some/prefix/"); the prefix is "" or ends with "/"."""
    if not url.startswith("s3://"):
        raise ValueError(f"not an s3:// URL: {url!r}")
    bucket, _, prefix = url[len("s3://"):].partition("/")
    if not bucket:
        raise ValueError(f"S3 주소에 버킷 이름이 없습니다: {url!r}")
    return bucket, normalize_prefix(prefix)


def normalize_prefix(prefix: str) -> str:
    """"" or "a/b/" (no leading slash, one trailing slash)."""
    prefix = prefix.strip("/")
    return f"{prefix}/" if prefix else ""


def is_missing(exc: Exception) -> bool:
    """True for a botocore ClientError meaning "no such key" (404 / NoSuchKey / NotFound)."""
    response = getattr(exc, "response", None) or {}
    code = str(response.get("Error", {}).get("Code", ""))
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return code in ("404", "NoSuchKey", "NotFound") or status == 404


class S3AttachmentStore:
    """Objects under `s3://bucket/prefix<key>`; `url` is a presigned GET URL valid `expiry_s` seconds,
    signed by `url_client` (a client for the address agents' browsers use) when one is given."""

    def __init__(self, bucket: str, prefix: str, client: Any, expiry_s: int = 900, url_client: Any = None) -> None:
        self.bucket = bucket
        self.prefix = normalize_prefix(prefix)
        self.client = client
        self.url_client = url_client or client
        self.expiry_s = expiry_s

    def _key(self, key: str) -> str:
        return self.prefix + check_key(key)

    def put(self, key: str, data: bytes, media_type: str = "application/octet-stream") -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, ContentType=media_type)

    def put_file(self, key: str, stream: BinaryIO, media_type: str = "application/octet-stream") -> None:
        """Upload `stream` in parts (boto3's managed transfer: multipart past 8 MB, never whole in memory);
        the object appears once the upload completes."""
        self.client.upload_fileobj(stream, self.bucket, self._key(key), ExtraArgs={"ContentType": media_type})

    def get(self, key: str) -> bytes:
        """The object's bytes; `FileNotFoundError` if missing."""
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except Exception as exc:
            if is_missing(exc):
                raise FileNotFoundError(key) from exc
            raise
        return response["Body"].read()

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except Exception as exc:
            if is_missing(exc):
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        """Remove the object; S3 treats a missing key as success, so this is a no-op for one."""
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def url(self, key: str) -> str:
        """A presigned GET URL (signing needs no request: it works for an address this process cannot reach).

        The response is always a download (Content-Disposition: attachment): a manual's original HTML must
        never be rendered by the browser, scripts and all."""
        name = quote(key.rsplit("/", 1)[-1], safe="")
        return self.url_client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": self._key(key),
                    "ResponseContentDisposition": f"attachment; filename*=UTF-8''{name}"},
            ExpiresIn=self.expiry_s,
        )
