"""The ingest pipeline: source pages → parsed, chunked, embedded → one index writer, incrementally.

A page is re-done only when its hash changes: sha256 over the page bytes and the (path, sha256) of every
attachment it links, so a changed rate sheet re-ingests the page that links it. All changes go through
one `index.writer(...)` and become live at its commit; anything raised before that leaves the live index
as it was. A page that cannot be read, decoded or parsed is skipped with a Korean reason, and its
previously indexed version stays.
"""

from __future__ import annotations

import hashlib
import logging
import posixpath
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from backend.config import Settings
from backend.embed.base import Embedder
from backend.models import AttachmentRef, Chunk, DocInfo
from backend.search.base import IndexWriter, SearchIndex
from backend.storage.base import AttachmentStore
from etl.chunking import PageChunker
from etl.decode import DecodeError, decode_html
from etl.html_page import PageError, parse_page
from etl.links import attachment_candidates, media_type
from etl.run_record import RunRecord
from etl.source import ManualSource
from etl.tokens import TokenCounter, e5_token_counter
from etl.versions import VersionInfo, superseded_flags

# Part of every page hash: bump it when parsing or chunking changes, so that the next incremental run
# re-chunks every page (the embedding cache still spares the chunks whose text did not change).
ETL_REVISION = "2026-11-24 faq entries"

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int, int, str], None]  # (done, total, failed, current_page)


class _PageSkipped(Exception):
    """A page problem: recorded as a failure, the run goes on."""


@dataclass
class _Prepared:
    """A page read, decoded and hashed (and parsed + chunked when it must be re-indexed)."""

    page: str
    doc_id: str
    data: bytes
    content_type: str
    page_hash: str
    attachments: dict[str, bytes]
    chunks: list[Chunk] | None = None
    version: VersionInfo | None = None


def doc_id_of(page: str) -> str:
    """The page's root-relative path without its extension ("internet/M004.html" → "internet/M004")."""
    return posixpath.splitext(page)[0]


def page_hash(data: bytes, attachments: Mapping[str, bytes]) -> str:
    """sha256 over the ETL recipe revision, the page bytes and the sorted (path, sha256) of its attachments."""
    h = hashlib.sha256(ETL_REVISION.encode())
    h.update(hashlib.sha256(data).hexdigest().encode())
    for path in sorted(attachments):
        h.update(b"\0" + path.encode("utf-8") + b"\0" + hashlib.sha256(attachments[path]).hexdigest().encode())
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
        reason = "사용자가 중단했습니다" if isinstance(exc, KeyboardInterrupt) else f"{type(exc).__name__}: {exc}"
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
        self.root_name: str | None = getattr(source, "root_name", None)
        self.chunker = PageChunker(count_tokens or e5_token_counter(), settings.chunk_tokens,
                                   settings.table_chunk_tokens)
        self.timings = {"parse_s": 0.0, "embed_s": 0.0, "index_s": 0.0, "store_s": 0.0}
        self._attachment_cache: dict[str, bytes | None] = {}
        self._known: dict[str, dict[str, VersionInfo]] = {}  # manual_id → doc_id → version, for provisional flags
        self._stored: set[str] = set()  # attachment paths stored in this run

    def _learn(self, doc_id: str, version: VersionInfo) -> None:
        if version.manual_id:
            self._known.setdefault(version.manual_id, {})[doc_id] = version

    def run(self) -> None:
        pages = self.source.pages()
        indexed = self.index.documents()
        for doc_id, info in indexed.items():
            self._learn(doc_id, VersionInfo(info.manual_id, info.revision_date, info.marked_old))
        self.record.pages_seen = len(pages)
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
            try:
                data = self.source.read(page)
            except OSError as exc:
                raise _PageSkipped(f"페이지를 읽을 수 없습니다: {exc}") from exc
            try:
                decoded = decode_html(data)
            except DecodeError as exc:
                raise _PageSkipped(str(exc)) from exc
            attachments = self._attachments(attachment_candidates(page, decoded.text, self.root_name))
            digest = page_hash(data, attachments)
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
                    refs.append(AttachmentRef(link.name, link.path, media_type(link.path), len(attachments[link.path])))
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
            return prepared
        finally:
            self.timings["parse_s"] += time.perf_counter() - t

    def _attachments(self, paths: list[str]) -> dict[str, bytes]:
        found = {}
        for path in paths:
            if path not in self._attachment_cache:
                if not self.source.exists(path):
                    self._attachment_cache[path] = None
                else:
                    try:
                        self._attachment_cache[path] = self.source.read(path)
                    except OSError as exc:
                        raise _PageSkipped(f"첨부파일을 읽을 수 없습니다: {path} ({exc})") from exc
            data = self._attachment_cache[path]
            if data is not None:
                found[path] = data
        return found

    def _write(self, writer: IndexWriter, prepared: _Prepared) -> None:
        chunks = prepared.chunks or []
        t = time.perf_counter()
        vectors = self._embed([c.text for c in chunks])
        self.timings["embed_s"] += time.perf_counter() - t
        t = time.perf_counter()
        writer.put_document(prepared.doc_id, chunks, vectors)
        self.timings["index_s"] += time.perf_counter() - t
        self.record.chunks_text += sum(1 for c in chunks if c.kind == "text")
        self.record.chunks_table += sum(1 for c in chunks if c.kind == "table")

        t = time.perf_counter()
        self.store.put(prepared.page, prepared.data, prepared.content_type)
        for ref in chunks[0].attachments:
            self.store.put(ref.path, prepared.attachments[ref.path], ref.media_type)
            # Distinct files, as the admin page counts them: a form linked by two pages is one attachment.
            self._stored.add(ref.path)
            self.record.attachments_stored = len(self._stored)
        self.timings["store_s"] += time.perf_counter() - t

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

    def _progress(self, done: int, total: int, page: str) -> None:
        if self.on_progress is not None:
            self.on_progress(done, total, self.record.pages_failed, page)
