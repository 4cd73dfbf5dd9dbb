"""`CachedEmbedder`: passage embeddings kept in SQLite by (embedder name, SHA-256 of the text), so that
re-indexing unchanged text costs no model time. Queries are kept only in memory, the last few: one answer
embeds its question twice (the search, then the line-1 scorer), while questions seldom repeat later.
`RememberingEmbedder`: every query kept, for a batch job that asks the same questions again and again."""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from backend.embed.base import Embedder
from backend.models import sha256_hex

# Keeps each lookup under SQLite's bound-parameter limit.
_LOOKUP_BATCH = 500
_BUSY_TIMEOUT_MS = 30_000
_RECENT_QUERIES = 64

_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    embedder  TEXT    NOT NULL,
    text_hash TEXT    NOT NULL,
    dim       INTEGER NOT NULL,
    vector    BLOB    NOT NULL,
    PRIMARY KEY (embedder, text_hash)
) WITHOUT ROWID
"""


class CachedEmbedder:
    """Wraps an `Embedder`; same name and dim, so cached and fresh vectors are interchangeable.
    Thread-safe (one connection behind a lock; the model runs outside it); several processes may share
    the file (WAL mode)."""

    def __init__(self, inner: Embedder, sqlite_path: str | Path) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.path = Path(sqlite_path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, timeout=_BUSY_TIMEOUT_MS / 1000)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute(_SCHEMA)
        self._conn.commit()
        self.hits = 0
        self.misses = 0
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()

    def _lookup(self, hashes: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(hashes), _LOOKUP_BATCH):
                batch = hashes[start : start + _LOOKUP_BATCH]
                marks = ",".join("?" * len(batch))
                rows = self._conn.execute(
                    f"SELECT text_hash, dim, vector FROM embeddings WHERE embedder = ? AND text_hash IN ({marks})",
                    [self.name, *batch],
                ).fetchall()
                for text_hash, dim, blob in rows:
                    if dim == self.dim and len(blob) == 4 * self.dim:
                        found[text_hash] = np.frombuffer(blob, dtype=np.float32)
        return found

    def _store(self, items: list[tuple[str, np.ndarray]]) -> None:
        with self._lock:
            self._conn.executemany(
                "INSERT OR REPLACE INTO embeddings (embedder, text_hash, dim, vector) VALUES (?, ?, ?, ?)",
                [(self.name, h, self.dim, np.asarray(v, dtype=np.float32).tobytes()) for h, v in items],
            )
            self._conn.commit()

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of `texts`, embedding only those not cached yet (each distinct text once)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        hashes = [sha256_hex(t) for t in texts]
        cached = self._lookup(sorted(set(hashes)))
        missing: dict[str, str] = {}
        for h, t in zip(hashes, texts):
            if h not in cached:
                missing.setdefault(h, t)
        if missing:
            fresh = self.inner.embed_passages(list(missing.values()))
            new_items = list(zip(missing.keys(), fresh))
            self._store(new_items)
            cached.update(new_items)
        self.hits += len(texts) - len(missing)
        self.misses += len(missing)
        for i, h in enumerate(hashes):
            out[i] = cached[h]
        return out

    def embed_query(self, text: str) -> np.ndarray:
        """The inner embedder's query vector; the last `_RECENT_QUERIES` are kept in memory (read-only)."""
        with self._lock:
            vector = self._queries.get(text)
            if vector is not None:
                self._queries.move_to_end(text)
                return vector
        vector = np.asarray(self.inner.embed_query(text), dtype=np.float32)
        vector.flags.writeable = False
        with self._lock:
            self._queries[text] = vector
            while len(self._queries) > _RECENT_QUERIES:
                self._queries.popitem(last=False)
        return vector

    def close(self) -> None:
        """Close the SQLite connection."""
        with self._lock:
            self._conn.close()


class RememberingEmbedder:
    """Wraps an `Embedder` for a batch job that asks the same questions many times (`sangdam eval
    keyword-weight` asks each once per weight): every query vector is kept for as long as this object lives,
    so each question is embedded once (the model is ~85 % of a search's time). Passages go to the inner
    embedder. Not for the dashboard, whose questions would pile up."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._lock = threading.Lock()
        self._queries: dict[str, np.ndarray] = {}

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_passages(texts)

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            vector = self._queries.get(text)
        if vector is None:
            vector = self.inner.embed_query(text)
            with self._lock:
                self._queries[text] = vector
        return vector
