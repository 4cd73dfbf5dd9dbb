"""The on-disk layout of the embedded index and the helpers that read and write it.

Layout of the index directory:

    CURRENT              the name of the live version ("v00000007"), replaced atomically
    writer.lock          flock'ed by the one writer allowed at a time (across processes)
    versions/v00000007/  one complete, immutable version per commit:
        meta.json          embedder, dim, analyzer version, BM25 parameters, counts, creation time
        chunks.jsonl       one `Chunk.to_dict()` per line, rows sorted by chunk_id
        offsets.npy        byte offset of each line (n + 1), so a hit's chunk is parsed on demand
        vectors.npy        float32 (n, dim), L2-normalised; memory-mapped by readers
        is_table.npy, superseded.npy, breadcrumb_ids.npy, breadcrumbs.json   filter columns
        vocab.json, bm25_indptr.npy, bm25_rows.npy, bm25_weights.npy          BM25 postings (term-major)
        tf_indptr.npy, tf_terms.npy, tf_counts.npy, chunk_ids.json            raw term counts (row-major)
        docs.json          DocInfo and rows of every document

Rows are sorted by chunk_id, so "ties broken by chunk_id" is "ties broken by row number".
The BM25 weight of every (term, chunk) pair is precomputed at commit (Lucene's formula), so a
query costs only its terms' postings; the vector sub-query is an exact dot product over all rows
(100k x 384 float32 is ~150 MB and one matrix-vector product takes a few ms: no ANN index needed
at the scale of a call-center's manuals).
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from backend.files import atomic_write_text
from backend.models import Chunk

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
CURRENT_FILE = "CURRENT"
LOCK_FILE = "writer.lock"
VERSIONS_DIR = "versions"
VERSION_RE = re.compile(r"^v(\d{8})$")
BUILD_PREFIX = ".build-"


def version_name(number: int) -> str:
    return f"v{number:08d}"


def read_current(directory: Path) -> str | None:
    try:
        name = (directory / CURRENT_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name or None


def switch_current(directory: Path, name: str) -> None:
    """Point CURRENT at `name` atomically and durably."""
    atomic_write_text(directory / CURRENT_FILE, name + "\n", durable=True)


def write_bytes(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def write_json(path: Path, obj: Any) -> None:
    write_bytes(path, json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def write_npy(path: Path, arr: np.ndarray) -> None:
    with open(path, "wb") as f:
        np.save(f, np.ascontiguousarray(arr), allow_pickle=False)
        f.flush()
        os.fsync(f.fileno())


def chunk_line(chunk: Chunk) -> bytes:
    return json.dumps(chunk.to_dict(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def version_numbers(versions_dir: Path) -> list[int]:
    numbers = []
    for entry in versions_dir.iterdir():
        m = VERSION_RE.match(entry.name)
        if m:
            numbers.append(int(m.group(1)))
    return sorted(numbers)


def previous_version(versions_dir: Path, live_name: str | None) -> str | None:
    if live_name is None or not VERSION_RE.match(live_name):
        return None
    live_no = int(live_name[1:])
    older = [n for n in version_numbers(versions_dir) if n < live_no]
    return version_name(older[-1]) if older else None


def remove_stale_versions(versions_dir: Path, keep: set[str | None]) -> None:
    """Delete every version and unfinished build except `keep` (only called while holding the lock;
    readers that loaded a deleted version keep their open files and mappings)."""
    for entry in versions_dir.iterdir():
        if entry.name not in keep and (entry.name.startswith(BUILD_PREFIX) or VERSION_RE.match(entry.name)):
            shutil.rmtree(entry, ignore_errors=True)
            log.info("removed stale index version %s", entry.name)
