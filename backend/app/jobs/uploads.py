"""Uploaded zips of HTML manuals + attachments, unpacked safely: no absolute paths, no "..", no links,
size and member caps; CP949 file names from Korean Windows decoded.

Every problem with a zip (not a zip, truncated, a bad CRC, a size its header under-declares, encrypted,
an unknown compression method, a name clash, a full disk) is an `UploadError` with one Korean sentence
and no server path: the admin page shows `str(exc)` as it is.

What is kept on disk: the zip itself never is (the admin page hands its bytes over in memory). The
folder it is unpacked into, `$SANGDAM_HOME/uploads/<time>/`, is deleted by the worker when the ingest
job over it ends (done, failed or cancelled; `remove_upload`, for any ingest whose source lies under
`uploads/`): the index and the attachment store then hold everything the job took from it. A job that
cannot start has its folder deleted at once (`start_ingest_upload`); folders left by a worker that died
are pruned at the next upload down to the newest `KEEP_UPLOADS`.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import stat
import zipfile
from io import BytesIO
from pathlib import Path, PurePosixPath

from backend.app.jobs.status import JobBusyError, _busy_message, current_job
from backend.config import Settings
from backend.files import utc_now
from etl.problems import file_problem

log = logging.getLogger(__name__)

# Upload limits: a manuals bundle is HTML + office files, far below these.
MAX_UPLOAD_BYTES = 2 * 1024**3  # total uncompressed size, counted as it is written (headers can lie)
MAX_UPLOAD_MEMBERS = 50_000
KEEP_UPLOADS = 3  # leftover unpacked uploads kept on disk (the newest ones; a finished job removes its own)
_PIECE = 1024 * 1024


class UploadError(ValueError):
    """An uploaded zip that cannot be used (the message is one Korean sentence, shown as is)."""


def _shown(name: str) -> str:
    """A member's name as a message shows it: its last part only (no folder, no slash)."""
    return name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or name.strip("/\\") or "?"


def _too_large() -> UploadError:
    return UploadError(f"압축을 푼 크기가 너무 큽니다 (최대 {MAX_UPLOAD_BYTES // 1024**2} MB).")


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
        raise UploadError(f"압축 파일에 절대 경로가 들어 있어 풀 수 없습니다 ({_shown(name)}).")
    parts = tuple(p for p in PurePosixPath(posix).parts if p not in ("", "."))
    if any(p == ".." for p in parts):
        raise UploadError(f"압축 파일에 상위 폴더(..)를 가리키는 경로가 있어 풀 수 없습니다 ({_shown(name)}).")
    if any("\x00" in p for p in parts):
        raise UploadError(f"압축 파일에 올바르지 않은 경로가 있어 풀 수 없습니다 ({_shown(name)}).")
    return parts


def _is_link(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return stat.S_ISLNK(mode)


def _prune_uploads(uploads: Path, keep: int) -> None:
    entries = sorted(p for p in uploads.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in entries[:-keep] if keep and len(entries) > keep else []:
        shutil.rmtree(old, ignore_errors=True)


def uploads_dir(home: Path | str) -> Path:
    """`$SANGDAM_HOME/uploads`: one folder per unpacked upload."""
    return Path(home).resolve() / "uploads"


def upload_folder(root: Path | str, home: Path | str) -> Path | None:
    """The upload folder (`uploads/<time>`) that holds the manuals root `root`; None when `root` is not
    an unpacked upload."""
    uploads = uploads_dir(home)
    path = Path(root).resolve()
    if not path.is_relative_to(uploads) or path == uploads:
        return None
    return uploads / path.relative_to(uploads).parts[0]


def remove_upload(folder: Path | str, home: Path | str) -> bool:
    """Delete an unpacked upload once its job is over; only a folder right under `$SANGDAM_HOME/uploads`
    is ever deleted (anything else is left alone). True when something was removed."""
    target = upload_folder(folder, home)
    if target is None or not target.is_dir():
        return False
    shutil.rmtree(target, ignore_errors=True)
    return not target.exists()


def _write_error(exc: OSError, name: str = "") -> UploadError:
    """Why a member (or the upload folder) could not be written, in Korean, without the server's path. The
    disk's problems (full, a name too long, no permission ...) in the words an ingest run uses for them
    (`etl.problems.file_problem`)."""
    which = f" ({_shown(name)})" if name else ""
    if exc.errno in (errno.EEXIST, errno.ENOTDIR, errno.EISDIR):  # only a zip can ask for both "a" and "a/b"
        return UploadError(f"같은 이름의 파일과 폴더가 함께 있어 압축을 풀 수 없습니다{which}.")
    return UploadError(f"서버에 압축을 풀 수 없습니다{which}: {file_problem(exc, writing=True)}.")


def _read_error(exc: Exception, name: str) -> UploadError:
    """Why a member could not be read from the zip, in Korean (zipfile's own words name no path, but
    they are English and some carry the member's whole path)."""
    if isinstance(exc, NotImplementedError):
        return UploadError(f"지원하지 않는 방식으로 압축된 파일이 있어 풀 수 없습니다 ({_shown(name)}).")
    return UploadError(f"압축 파일이 손상되어 풀 수 없으니 다시 압축해 올려 주세요 ({_shown(name)}: 크기나 CRC 검사값이 "
                       "맞지 않습니다).")


def unpack_upload(zip_bytes: bytes, settings: Settings) -> Path:
    """Unpack an uploaded zip of HTML manuals (+ attachments) and return the manuals root (see `_unpack`).
    Whatever goes wrong is an `UploadError` with one Korean sentence (or `JobBusyError`): never a
    traceback or a server path on the admin page."""
    try:
        return _unpack(zip_bytes, settings)
    except (UploadError, JobBusyError):
        raise
    except OSError as exc:
        raise _write_error(exc) from exc
    except Exception as exc:  # a case not foreseen: logged for the operator, one sentence for the admin
        log.exception("unpacking an upload failed")
        raise UploadError("압축 파일을 풀 수 없으니 내용을 확인해 다시 압축해 올려 주세요.") from exc


def _unpack(zip_bytes: bytes, settings: Settings) -> Path:
    """Unpack an uploaded zip of HTML manuals (+ attachments) into `$SANGDAM_HOME/uploads/<time>/` and
    return the manuals root (the single top folder when everything sits in one). Rejects absolute paths,
    ".." members, links, encrypted members, more than `MAX_UPLOAD_MEMBERS` members or `MAX_UPLOAD_BYTES`
    in all (declared, and counted again while writing), corrupt zips, and zips without HTML pages
    (`UploadError`, one Korean sentence). Leftover uploads beyond the newest `KEEP_UPLOADS` are removed."""
    try:
        archive = zipfile.ZipFile(BytesIO(zip_bytes))
    except Exception as exc:  # BadZipFile, and the EOFError/ValueError some truncated zips give
        raise UploadError("올바른 zip 파일이 아닙니다 (잘렸거나 zip 형식이 아닌 파일입니다).") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_UPLOAD_MEMBERS:
            raise UploadError(f"압축 파일 안의 항목이 너무 많습니다 ({len(infos)}개, 최대 {MAX_UPLOAD_MEMBERS}개).")
        members: list[tuple[zipfile.ZipInfo, tuple[str, ...]]] = []
        declared = 0
        for info in infos:
            name = _member_name(info)
            if _is_link(info):
                raise UploadError(f"압축 파일에 링크(심볼릭 링크)가 있어 풀 수 없습니다 ({_shown(name)}).")
            if info.flag_bits & 0x1:
                raise UploadError("암호가 걸린 압축 파일은 풀 수 없으니 암호 없이 다시 압축해 올려 주세요.")
            parts = _safe_parts(name)
            if not parts or parts[0] == "__MACOSX" or info.is_dir():
                continue
            declared += info.file_size
            members.append((info, parts))
        if declared > MAX_UPLOAD_BYTES:
            raise _too_large()
        if not any(parts[-1].lower().endswith((".html", ".htm")) for _, parts in members):
            raise UploadError("압축 파일에 HTML 매뉴얼(.html, .htm)이 없습니다.")

        current = current_job(settings)
        if current is not None and current.running:
            raise JobBusyError(_busy_message(current))
        uploads = uploads_dir(settings.home)
        uploads.mkdir(parents=True, exist_ok=True)
        _prune_uploads(uploads, KEEP_UPLOADS - 1)
        target = uploads / f"{utc_now():%Y%m%dT%H%M%S.%f}Z"
        building = uploads / f".{target.name}.part"
        try:
            building.mkdir()
            _extract(archive, members, building)
            os.rename(building, target)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
    entries = [p for p in target.iterdir() if not p.name.startswith(".")]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return target


def _extract(archive: zipfile.ZipFile, members: list[tuple[zipfile.ZipInfo, tuple[str, ...]]], into: Path) -> None:
    """Write `members` under `into`, streamed. Headers are not trusted: the bytes really read are counted,
    against `MAX_UPLOAD_BYTES` in all and against each member's declared size (a member that holds more
    or less than its header says is a corrupt zip), and checked before they are written. Every failure
    is an `UploadError`."""
    written = 0
    for info, parts in members:
        name = "/".join(parts)
        dest = into.joinpath(*parts)
        try:
            if not dest.resolve().is_relative_to(into.resolve()):  # belt and braces
                raise UploadError(f"압축 파일의 경로가 올바르지 않습니다 ({_shown(name)}).")
            dest.parent.mkdir(parents=True, exist_ok=True)
            out = open(dest, "wb")  # noqa: SIM115 - closed by the `with` below; its errors are worded here
        except OSError as exc:  # a file and a folder of the same name, a name too long, a full disk
            raise _write_error(exc, name) from exc
        with out:
            try:
                src = archive.open(info)
            except UploadError:
                raise
            except Exception as exc:  # BadZipFile, RuntimeError (encrypted), NotImplementedError, ...
                raise _read_error(exc, name) from exc
            member = 0
            with src:
                while True:
                    try:
                        piece = src.read(_PIECE)
                    except Exception as exc:  # bad CRC, truncated data, a corrupt deflate stream
                        raise _read_error(exc, name) from exc
                    if not piece:
                        break
                    member += len(piece)
                    written += len(piece)
                    if written > MAX_UPLOAD_BYTES:
                        raise _too_large()
                    if member > info.file_size:
                        raise _read_error(ValueError("more bytes than declared"), name)
                    try:
                        out.write(piece)
                    except OSError as exc:
                        raise _write_error(exc, name) from exc
            if member != info.file_size:
                raise _read_error(ValueError("fewer bytes than declared"), name)
