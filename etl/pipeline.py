"""The ingest pipeline: source pages → parsed, chunked, embedded → one index writer, incrementally.

A page is re-done only when its hash changes: sha256 over the page bytes and the (path, sha256) of every
attachment it links, so a changed rate sheet re-ingests the page that links it. All changes go through
one `index.writer(...)` and become live at its commit; anything raised before that leaves the live index
as it was. A page that cannot be read, decoded or parsed is skipped with a Korean reason, and its
previously indexed version stays; so is one over a size limit (`max_page_bytes`, checked before it is
read; `max_page_chunks`), never half-indexed. One bad page never stops the run: a link out of the root,
a link loop, a broken link, a folder or FIFO under a page's name, a file that cannot be read are that
page's failure. An attachment that is too large (`max_attachment_bytes`), unreadable or a link out of
the root is not copied: the page is indexed with a warning, its link shown as missing; so is one whose
read fails while it is copied (a local read error, an S3 body cut off or timing out), and that page is done
again by the next run. Attachments are hashed and copied in pieces, never read whole into memory.

An attachment is read twice when its page is (re)indexed: once to hash it (the page hash decides whether the
page is indexed at all) and once to copy it. The copy is hashed as well: a file that changed in between is
kept as copied, with a warning, and its page is done again by the next run.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import posixpath
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

from backend.config import Settings
from backend.embed.base import Embedder
from backend.embed.cache import CachedEmbedder
from backend.generate.extractive.lead import unit_texts
from backend.models import AttachmentRef, Chunk, DocInfo
from backend.search.base import IndexWriter, SearchIndex
from backend.storage.base import AttachmentStore
from etl.chunking import PageChunker
from etl.decode import DecodeError, decode_html
from etl.html_page import PageError, parse_page
from etl.links import attachment_candidates, media_type
from etl.problems import OutsideRootError, public_error, read_problem, too_large
from etl.run_record import RunRecord
from etl.source import ManualSource
from etl.tokens import TokenCounter, e5_token_counter
from etl.versions import VersionInfo, superseded_flags

# Part of every page hash: bump it when parsing or chunking changes, so that the next incremental run
# re-chunks every page (the embedding cache still spares the chunks whose text did not change).
ETL_REVISION = "2026-11-24 faq entries"

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int, int, str], None]  # (done, total, failed, current_page)


_READ_PIECE = 1024 * 1024  # attachments are hashed 1 MB at a time


class _PageSkipped(Exception):
    """A page problem: recorded as a failure, the run goes on."""


class _TooLarge(ValueError):
    """A file grew past its size limit while it was read."""


class _ReadFailed(Exception):
    """Reading a source stream failed part-way (`cause`): a problem of the source, told apart from a failure
    of the store being written, which stops the run."""

    def __init__(self, cause: Exception) -> None:
        super().__init__(str(cause))
        self.cause = cause


@dataclass(frozen=True)
class _Attachment:
    """An attachment as the page hash and the chunks need it: its digest and size, not its bytes."""

    sha256: str
    size: int


@dataclass
class _Prepared:
    """A page read, decoded and hashed (and parsed + chunked when it must be re-indexed)."""

    page: str
    doc_id: str
    data: bytes
    content_type: str
    page_hash: str
    attachments: dict[str, _Attachment]
    chunks: list[Chunk] | None = None
    version: VersionInfo | None = None


class _Reading:
    """A source stream as the pipeline reads it: hashed as it goes (`sha256`), `_TooLarge` once more than
    `limit` bytes came through, and any failure of the source's read (an `OSError`, botocore's
    IncompleteReadError, ReadTimeoutError or ClientError on an S3 body) raised as `_ReadFailed`."""

    def __init__(self, stream: BinaryIO, limit: int) -> None:
        self._stream = stream
        self._left = limit
        self.sha256 = hashlib.sha256()

    def read(self, size: int | None = -1) -> bytes:
        try:
            # "All the rest" reads no more than one byte past the limit.
            data = self._stream.read(size if size is not None and size >= 0 else self._left + 1)
        except Exception as exc:  # whatever the source's client raises; the store's own errors are not caught
            raise _ReadFailed(exc) from exc
        self._left -= len(data)
        if self._left < 0:
            raise _TooLarge("grew past its limit while it was read")
        self.sha256.update(data)
        return data


def doc_id_of(page: str) -> str:
    """The page's root-relative path without its extension ("internet/M004.html" → "internet/M004")."""
    return posixpath.splitext(page)[0]


def page_hash_of_digests(data: bytes, digests: Mapping[str, str]) -> str:
    """The page hash: sha256 over the ETL recipe revision, the page bytes and the sorted (path, sha256 hex
    digest) of its attachments (each hashed in pieces, never held whole)."""
    h = hashlib.sha256(ETL_REVISION.encode())
    h.update(hashlib.sha256(data).hexdigest().encode())
    for path in sorted(digests):
        h.update(b"\0" + path.encode("utf-8") + b"\0" + digests[path].encode())
    return h.hexdigest()


def ingest(
    source: ManualSource,
    index: SearchIndex,
    embedder: Embedder,
    store: AttachmentStore,
    settings: Settings,
    *,
    full: bool = False,
    on_progress: ProgressCallback | None = None,
    count_tokens: TokenCounter | None = None,
) -> RunRecord:
    """Bring the index in line with `source` and record the run under `settings.runs_dir`.

    Incremental (default): unchanged pages are neither parsed nor embedded, removed pages are deleted,
    new and changed ones are (re)indexed; `full=True` rebuilds everything from an empty index (the
    caller's caching embedder keeps that cheap). Superseded flags are recomputed over all documents at
    the end. The record is saved whether the run succeeds or raises (then with status "failed").
    """
    record = RunRecord.start(source.describe(), full)
    started = time.perf_counter()
    try:
        _Run(source, index, embedder, store, settings, record, full, on_progress, count_tokens).run()
    except BaseException as exc:
        # Shown on the admin page: one line, no traceback, no absolute path of the server.
        reason = "사용자가 중단했습니다" if isinstance(exc, KeyboardInterrupt) else public_error(exc)
        record.timings["total_s"] = round(time.perf_counter() - started, 3)
        record.finish("failed", f"색인 작업이 실패하여 기존 색인을 유지합니다: {reason}")
        record.save(settings.runs_dir)
        raise
    record.timings["total_s"] = round(time.perf_counter() - started, 3)
    record.finish("ok")
    record.save(settings.runs_dir)
    log.info(
        "ingest %s done: %d pages (%d added, %d changed, %d unchanged, %d removed, %d failed), %d chunks",
        record.run_id, record.pages_seen, record.pages_added, record.pages_changed, record.pages_unchanged,
        record.pages_removed, record.pages_failed, record.chunks_written,
    )
    return record


class _Run:
    def __init__(self, source, index, embedder, store, settings, record, full, on_progress, count_tokens) -> None:
        self.source: ManualSource = source
        self.index: SearchIndex = index
        self.embedder: Embedder = embedder
        self.store: AttachmentStore = store
        self.record: RunRecord = record
        self.full: bool = full
        self.on_progress = on_progress
        self.settings: Settings = settings
        self.root_name: str | None = getattr(source, "root_name", None)
        self.chunker = PageChunker(count_tokens or e5_token_counter(), settings.chunk_tokens,
                                   settings.table_chunk_tokens)
        self.timings = {"parse_s": 0.0, "embed_s": 0.0, "index_s": 0.0, "store_s": 0.0}
        # path → (digest and size, or None when not copied; Korean problem worth a warning, or None)
        self._attachment_cache: dict[str, tuple[_Attachment | None, str | None]] = {}
        self._known: dict[str, dict[str, VersionInfo]] = {}  # manual_id → doc_id → version, for provisional flags
        self._stored: set[str] = set()  # attachment paths stored in this run

    def _learn(self, doc_id: str, version: VersionInfo) -> None:
        if version.manual_id:
            self._known.setdefault(version.manual_id, {})[doc_id] = version

    def run(self) -> None:
        pages = self.source.pages()
        limit = self.settings.max_pages_per_run
        if len(pages) > limit:
            raise ValueError(f"매뉴얼 페이지가 너무 많습니다 ({len(pages)}개, 최대 {limit}개: SANGDAM_MAX_PAGES_PER_RUN). "
                             "매뉴얼 위치가 맞는지 확인하세요.")
        indexed = self.index.documents()
        for doc_id, info in indexed.items():
            self._learn(doc_id, VersionInfo(info.manual_id, info.revision_date, info.marked_old))
        # What looked like a page but could not be one (a folder named "x.html", an unreadable folder):
        # seen, and failed.
        problems = list(getattr(self.source, "listing_problems", []))
        self.record.pages_seen = len(pages) + len(problems)
        for path, reason in problems:
            self._fail(path, reason)
        total = len(pages)
        self._progress(0, total, "")
        versions: dict[str, VersionInfo] = {}  # every document in the new state
        written: dict[str, bool] = {}  # superseded flag each document carries in the writer
        seen_ids: dict[str, str] = {}

        with self.index.writer(full=self.full) as writer:
            for done, page in enumerate(pages, start=1):
                doc_id = doc_id_of(page)
                previous = indexed.get(doc_id)
                try:
                    if doc_id in seen_ids:
                        raise _PageSkipped(f"같은 문서 ID({doc_id})를 가진 페이지가 이미 있습니다: {seen_ids[doc_id]}")
                    seen_ids[doc_id] = page
                    prepared = self._prepare(page, doc_id, previous)
                except _PageSkipped as exc:
                    self._fail(page, str(exc))
                    if previous is not None:
                        self._keep_previous(writer, previous, versions, written)
                    self._progress(done, total, page)
                    continue

                if prepared.chunks is None:  # unchanged
                    assert previous is not None
                    self.record.pages_unchanged += 1
                    versions[doc_id] = VersionInfo(previous.manual_id, previous.revision_date, previous.marked_old)
                    written[doc_id] = previous.superseded
                else:
                    # A page that was parsed and chunked again counts as changed, also in a full re-index
                    # of an unchanged page: "유지" means the index kept its chunks as they were.
                    if previous is None:
                        self.record.pages_added += 1
                    else:
                        self.record.pages_changed += 1
                    self._write(writer, prepared)
                    versions[doc_id] = prepared.version  # type: ignore[assignment]
                    self._learn(doc_id, prepared.version)  # type: ignore[arg-type]
                    written[doc_id] = prepared.chunks[0].superseded
                self._progress(done, total, page)

            removed = [d for d in indexed if d not in seen_ids]
            self.record.pages_removed = len(removed)
            t = time.perf_counter()
            if not self.full:
                for doc_id in removed:
                    writer.delete_document(doc_id)

            for doc_id, flag in superseded_flags(versions).items():
                if written.get(doc_id) != flag:
                    writer.set_superseded(doc_id, flag)
                    self.record.superseded_updated += 1
            writer.commit()
            self.timings["index_s"] += time.perf_counter() - t
        # Only once the index no longer points at them: a failed run must leave links working.
        for doc_id in removed:
            self._forget_page(indexed[doc_id].page)
        self.record.documents_total = len(versions)
        self.record.timings.update({k: round(v, 3) for k, v in self.timings.items()})

    # --- per page -------------------------------------------------------------------------------------
    def _prepare(self, page: str, doc_id: str, previous: DocInfo | None) -> _Prepared:
        t = time.perf_counter()
        try:
            data = self._read_page(page)
            try:
                decoded = decode_html(data)
            except DecodeError as exc:
                raise _PageSkipped(str(exc)) from exc
            if decoded.replaced:
                self._warn(page, f"일부 글자를 읽지 못했습니다 ({decoded.replaced}곳, 인코딩 {decoded.encoding}): "
                                 "그 자리는 '\ufffd'로 바꾸고 나머지는 색인했습니다")
            attachments = self._attachments(page, attachment_candidates(page, decoded.text, self.root_name))
            digest = page_hash_of_digests(data, {path: a.sha256 for path, a in attachments.items()})
            prepared = _Prepared(page, doc_id, data, f"text/html; charset={decoded.encoding}", digest, attachments)
            if not self.full and previous is not None and previous.page_hash == digest:
                return prepared
            try:
                parsed = parse_page(decoded.text, page, self.root_name)
            except PageError as exc:
                raise _PageSkipped(str(exc)) from exc
            except Exception as exc:  # a parser bug must cost one page, not the run
                log.exception("parser failed on %s", page)
                raise _PageSkipped(f"페이지를 해석하지 못했습니다: {type(exc).__name__}: {exc}") from exc
            refs = []
            for link in parsed.links:
                if link.path in attachments:
                    refs.append(AttachmentRef(link.name, link.path, media_type(link.path), attachments[link.path].size))
                else:
                    log.warning("%s links a missing file: %s", page, link.path)
            version = VersionInfo(parsed.manual_id, parsed.revision_date, parsed.marked_old)
            # Provisional flag from the versions known so far; set_superseded corrects it after the last page.
            siblings = dict(self._known.get(version.manual_id, {})) if version.manual_id else {}
            siblings[doc_id] = version
            flag = superseded_flags(siblings)[doc_id]
            prepared.chunks = self.chunker.chunk(
                parsed, doc_id=doc_id, page_path=page, page_hash=digest, attachments=refs, superseded=flag
            )
            prepared.version = version
            if not prepared.chunks:
                raise _PageSkipped("본문을 찾을 수 없습니다")
            limit = self.settings.max_page_chunks
            if len(prepared.chunks) > limit:
                raise _PageSkipped(f"조각이 너무 많습니다 ({len(prepared.chunks)}개, 최대 {limit}개: "
                                   "SANGDAM_MAX_PAGE_CHUNKS). 페이지를 나누거나 설정을 늘리세요")
            return prepared
        finally:
            self.timings["parse_s"] += time.perf_counter() - t

    def _read_page(self, page: str) -> bytes:
        """The page's bytes, its size checked (a stat) before anything is read and the read bounded."""
        limit = self.settings.max_page_bytes
        try:
            size = self.source.size(page)
            if size > limit:
                raise _PageSkipped(too_large("페이지", size, limit, "SANGDAM_MAX_PAGE_BYTES"))
            with self.source.open(page) as stream:
                data = stream.read(limit + 1)  # the file may have grown since the stat
        except (OSError, ValueError) as exc:
            raise _PageSkipped(f"페이지를 읽을 수 없습니다: {read_problem(exc)}") from exc
        if len(data) > limit:
            raise _PageSkipped(too_large("페이지", None, limit, "SANGDAM_MAX_PAGE_BYTES"))
        return data

    def _attachments(self, page: str, paths: list[str]) -> dict[str, _Attachment]:
        """The attachments `page` links that can be copied; each problem is a warning on the page."""
        found = {}
        for path in paths:
            if path not in self._attachment_cache:
                self._attachment_cache[path] = self._inspect_attachment(path)
            info, problem = self._attachment_cache[path]
            if problem is not None:
                self._warn(page, problem)
            if info is not None:
                found[path] = info
        return found

    def _inspect_attachment(self, path: str) -> tuple[_Attachment | None, str | None]:
        """(digest and size, None) for a file to copy; (None, None) for a missing one (its link is shown
        as missing); (None, Korean problem) for one that is not copied."""
        limit = self.settings.max_attachment_bytes
        refused = f"첨부파일 {path}을(를) 복사하지 않았습니다"
        try:
            size = self.source.size(path)
            if size > limit:
                return None, f"{refused}: {too_large('첨부파일', size, limit, 'SANGDAM_MAX_ATTACHMENT_BYTES')}"
            with self.source.open(path) as stream:
                reading = _Reading(stream, limit)
                while reading.read(_READ_PIECE):
                    pass
        except FileNotFoundError:
            return None, None
        except _TooLarge:
            return None, f"{refused}: {too_large('첨부파일', None, limit, 'SANGDAM_MAX_ATTACHMENT_BYTES')}"
        except _ReadFailed as exc:
            return None, f"{refused}: {read_problem(exc.cause)}"
        except (OSError, ValueError) as exc:
            if isinstance(exc, OutsideRootError):
                log.warning("attachment link leads out of the manuals root: %s", path)
            return None, f"{refused}: {read_problem(exc)}"
        return _Attachment(reading.sha256.hexdigest(), size), None

    def _write(self, writer: IndexWriter, prepared: _Prepared) -> None:
        chunks = prepared.chunks or []
        t = time.perf_counter()
        self.store.put(prepared.page, prepared.data, prepared.content_type)
        missed = False
        for ref in chunks[0].attachments:
            if ref.path not in self._stored:  # a form linked by ten pages is copied once per run
                missed = not self._copy_attachment(prepared, ref.path, ref.media_type) or missed
        self.timings["store_s"] += time.perf_counter() - t
        if missed:
            # Not stored as copied: an empty page hash matches no page, so the next run does this page again.
            chunks = [dataclasses.replace(c, page_hash="") for c in chunks]

        t = time.perf_counter()
        vectors = self._embed([c.text for c in chunks])
        if isinstance(self.embedder, CachedEmbedder):
            # The answer's line-1 scorer compares each candidate unit with the question in meaning: the
            # units' vectors are made here, once per text, so an answer finds them in the cache.
            self.embedder.embed_passages(unit_texts(chunks))
        self.timings["embed_s"] += time.perf_counter() - t
        t = time.perf_counter()
        writer.put_document(prepared.doc_id, chunks, vectors)
        self.timings["index_s"] += time.perf_counter() - t
        self.record.chunks_text += sum(1 for c in chunks if c.kind == "text")
        self.record.chunks_table += sum(1 for c in chunks if c.kind == "table")

    def _copy_attachment(self, prepared: _Prepared, path: str, media: str) -> bool:
        """Stream one attachment from the source into the store, hashing it on the way; True when the store
        holds what the page hash counted. A source problem (opening or reading it) is a warning: the page
        is indexed and the attachment shown as missing. A store failure stops the run, and the index stays
        as it was."""
        page, limit = prepared.page, self.settings.max_attachment_bytes
        not_copied = f"첨부파일 {path}을(를) 복사하지 못했습니다"
        try:
            stream = self.source.open(path)
        except (OSError, ValueError) as exc:
            self._warn(page, f"{not_copied}: {read_problem(exc)}")
            return False
        try:
            with stream:
                reading = _Reading(stream, limit)
                self.store.put_file(path, reading, media)
        except _TooLarge:
            self._warn(page, f"{not_copied}: {too_large('첨부파일', None, limit, 'SANGDAM_MAX_ATTACHMENT_BYTES')}")
            return False
        except _ReadFailed as exc:
            log.warning("reading attachment %s failed while it was copied: %r", path, exc.cause)
            self._warn(page, f"{not_copied}: {read_problem(exc.cause)}")
            return False
        # Distinct files, as the admin page counts them: a form linked by two pages is one attachment.
        self._stored.add(path)
        self.record.attachments_stored = len(self._stored)
        if reading.sha256.hexdigest() != prepared.attachments[path].sha256:
            self._warn(page, f"첨부파일 {path}이(가) 색인하는 동안 바뀌었습니다: 바뀐 파일을 저장했고, "
                             "다음 색인에서 이 페이지를 다시 읽습니다")
            return False
        return True

    def _embed(self, texts: list[str]) -> np.ndarray:
        vectors = np.asarray(self.embedder.embed_passages(texts), dtype=np.float32)
        if vectors.shape != (len(texts), self.embedder.dim):
            raise RuntimeError(f"embedder {self.embedder.name} returned shape {vectors.shape} for {len(texts)} texts")
        self.record.embedded_texts += len(texts)
        return vectors

    def _keep_previous(
        self, writer: IndexWriter, previous: DocInfo, versions: dict[str, VersionInfo], written: dict[str, bool]
    ) -> None:
        """A failed page keeps its indexed version; a full rebuild starts empty, so it is copied over."""
        if self.full:
            chunks = self.index.chunks(previous.doc_id)
            if not chunks:
                return
            t = time.perf_counter()
            vectors = self._embed([c.text for c in chunks])
            self.timings["embed_s"] += time.perf_counter() - t
            writer.put_document(previous.doc_id, chunks, vectors)
        versions[previous.doc_id] = VersionInfo(previous.manual_id, previous.revision_date, previous.marked_old)
        written[previous.doc_id] = previous.superseded

    def _forget_page(self, page: str) -> None:
        t = time.perf_counter()
        self.store.delete(page)
        self.timings["store_s"] += time.perf_counter() - t

    def _fail(self, page: str, reason: str) -> None:
        log.warning("page skipped: %s: %s", page, reason)
        self.record.add_failure(page, reason)

    def _warn(self, page: str, reason: str) -> None:
        log.warning("page indexed with a warning: %s: %s", page, reason)
        self.record.add_warning(page, reason)

    def _progress(self, done: int, total: int, page: str) -> None:
        if self.on_progress is not None:
            self.on_progress(done, total, self.record.pages_failed, page)
