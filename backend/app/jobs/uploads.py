"""Uploaded zips of HTML manuals + attachments, unpacked safely: no absolute paths, no "..", no links,
size and member caps; CP949 file names from Korean Windows decoded."""

from __future__ import annotations

import os
import shutil
import stat
import zipfile
from io import BytesIO
from pathlib import Path, PurePosixPath

from backend.app.jobs.status import JobBusyError, _busy_message, current_job
from backend.config import Settings
from backend.files import utc_now

# Upload limits: a manuals bundle is HTML + office files, far below these.
MAX_UPLOAD_BYTES = 2 * 1024**3  # total uncompressed size
MAX_UPLOAD_MEMBERS = 50_000
KEEP_UPLOADS = 3  # unpacked uploads kept on disk (the newest ones)


class UploadError(ValueError):
    """An uploaded zip that cannot be used (the message is Korean, shown as is)."""


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's real name: zips from Korean Windows store CP949 names without the UTF-8 flag, which
    `zipfile` decodes as CP437; macOS/Linux tools may write UTF-8 without the flag."""
    name = info.filename
    if info.flag_bits & 0x800:
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    for encoding in ("utf-8", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def _safe_parts(name: str) -> tuple[str, ...]:
    """The member's path parts, or UploadError for an absolute path or a ".." part."""
    posix = name.replace("\\", "/")
    if posix.startswith("/") or (len(posix) > 1 and posix[1] == ":"):
        raise UploadError(f"압축 파일에 절대 경로가 들어 있어 풀 수 없습니다: {name}")
    parts = tuple(p for p in PurePosixPath(posix).parts if p not in ("", "."))
    if any(p == ".." for p in parts):
        raise UploadError(f"압축 파일에 상위 폴더(..)를 가리키는 경로가 있어 풀 수 없습니다: {name}")
    return parts


def _is_link(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return stat.S_ISLNK(mode)


def _prune_uploads(uploads: Path, keep: int) -> None:
    entries = sorted(p for p in uploads.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in entries[:-keep] if keep and len(entries) > keep else []:
        shutil.rmtree(old, ignore_errors=True)


def unpack_upload(zip_bytes: bytes, settings: Settings) -> Path:
    """Unpack an uploaded zip of HTML manuals (+ attachments) into `$SANGDAM_HOME/uploads/<time>/` and
    return the manuals root (the single top folder when everything sits in one). Rejects absolute paths,
    ".." members, links, more than `MAX_UPLOAD_MEMBERS` members or `MAX_UPLOAD_BYTES` in all, and zips
    without HTML pages (`UploadError`, Korean). Older uploads beyond the newest `KEEP_UPLOADS` are removed."""
    try:
        archive = zipfile.ZipFile(BytesIO(zip_bytes))
    except zipfile.BadZipFile as exc:
        raise UploadError("올바른 zip 파일이 아닙니다.") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_UPLOAD_MEMBERS:
            raise UploadError(f"압축 파일 안의 항목이 너무 많습니다 ({len(infos)}개, 최대 {MAX_UPLOAD_MEMBERS}개).")
        members: list[tuple[zipfile.ZipInfo, tuple[str, ...]]] = []
        declared = 0
        for info in infos:
            name = _member_name(info)
            if _is_link(info):
                raise UploadError(f"압축 파일에 링크(심볼릭 링크)가 있어 풀 수 없습니다: {name}")
            parts = _safe_parts(name)
            if not parts or parts[0] == "__MACOSX" or info.is_dir():
                continue
            declared += info.file_size
            members.append((info, parts))
        if declared > MAX_UPLOAD_BYTES:
            raise UploadError(f"압축을 푼 크기가 너무 큽니다 (최대 {MAX_UPLOAD_BYTES // 1024**2} MB).")
        if not any(parts[-1].lower().endswith((".html", ".htm")) for _, parts in members):
            raise UploadError("압축 파일에 HTML 매뉴얼(.html, .htm)이 없습니다.")

        current = current_job(settings)
        if current is not None and current.running:
            raise JobBusyError(_busy_message(current))
        uploads = Path(settings.home).resolve() / "uploads"
        uploads.mkdir(parents=True, exist_ok=True)
        _prune_uploads(uploads, KEEP_UPLOADS - 1)
        target = uploads / f"{utc_now():%Y%m%dT%H%M%S.%f}Z"
        building = uploads / f".{target.name}.part"
        building.mkdir()
        try:
            written = 0
            for info, parts in members:
                dest = building.joinpath(*parts)
                if not dest.resolve().is_relative_to(building.resolve()):  # belt and braces
                    raise UploadError(f"압축 파일의 경로가 올바르지 않습니다: {'/'.join(parts)}")
                dest.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as src, open(dest, "wb") as out:
                    while chunk := src.read(1024 * 1024):
                        written += len(chunk)  # the declared sizes can lie
                        if written > MAX_UPLOAD_BYTES:
                            raise UploadError(f"압축을 푼 크기가 너무 큽니다 (최대 {MAX_UPLOAD_BYTES // 1024**2} MB).")
                        out.write(chunk)
            os.rename(building, target)
        except OSError as exc:  # a file and a folder of the same name, a name too long, a full disk
            shutil.rmtree(building, ignore_errors=True)
            raise UploadError(f"압축을 풀 수 없습니다: {exc}") from exc
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
    entries = [p for p in target.iterdir() if not p.name.startswith(".")]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return target
