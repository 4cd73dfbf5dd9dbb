"""In-memory fakes that implement the protocols, for unit tests of our own logic."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np


class FakeEmbedder:
    """Deterministic bag-of-character-bigrams vectors: texts sharing words get similar vectors,
    so ranking tests mean something, with no model to load."""

    def __init__(self, dim: int = 64, name: str = "fake-bigram-64") -> None:
        self.dim = dim
        self.name = name
        self.calls = 0  # number of texts embedded, to check caching

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        compact = "".join(text.split())
        for i in range(max(len(compact) - 1, 1)):
            gram = compact[i : i + 2].encode("utf-8")
            v[int.from_bytes(hashlib.blake2b(gram, digest_size=4).digest(), "little") % self.dim] += 1.0
        norm = np.linalg.norm(v)
        return v / norm if norm else v

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += len(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._vector(t) for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        self.calls += 1
        return self._vector(text)


class InMemorySearchIndex:
    """A `SearchIndex` kept in a dict, keeping the protocol's rules (writer isolation, atomic commit,
    one writer at a time, filters before ranking); scoring is brute force: shared query words + cosine,
    fused with the same min-max weighted mean as the real backends."""

    def __init__(self) -> None:
        from backend.models import Chunk

        self._docs: dict[str, tuple[list[Chunk], np.ndarray]] = {}
        self._busy = False
        self.commits = 0

    def writer(self, *, full: bool) -> InMemoryIndexWriter:
        from backend.search.base import IndexBusyError

        if self._busy:
            raise IndexBusyError("another writer holds the in-memory index")
        self._busy = True
        return InMemoryIndexWriter(self, {} if full else dict(self._docs))

    def _publish(self, docs: dict) -> None:
        self._docs = docs
        self.commits += 1

    def _release(self) -> None:
        self._busy = False

    def search(self, query: str, vector: np.ndarray, k: int = 5, filters=None) -> list:
        from backend.models import Hit
        from backend.search.fusion import min_max, weighted_mean

        rows = [
            (c, v)
            for chunks, vectors in self._docs.values()
            for c, v in zip(chunks, vectors)
            if filters is None or filters.matches(c)
        ]
        if not rows:
            return []
        words = set(query.split())
        keyword = {c.chunk_id: float(sum(w in c.text for w in words)) for c, _ in rows}
        keyword = {key: s for key, s in keyword.items() if s > 0}
        cosine = {c.chunk_id: float(np.dot(v, vector)) for c, v in rows}
        fused = weighted_mean([min_max(keyword), min_max(cosine)], [0.5, 0.5])
        by_id = {c.chunk_id: c for c, _ in rows}
        best = sorted(fused, key=lambda key: (-fused[key], key))[:k]
        return [Hit(by_id[key], fused[key]) for key in best]

    def documents(self) -> dict:
        from backend.models import DocInfo

        return {doc_id: DocInfo.of(chunks[0], len(chunks)) for doc_id, (chunks, _) in self._docs.items()}

    def chunks(self, doc_id: str) -> list:
        return list(self._docs.get(doc_id, ([], None))[0])

    def known_terms(self, terms) -> set:
        """The analyzer terms of the chunks among `terms` (as the embedded index's vocabulary)."""
        from backend.text.analyzer import analyze

        held = {t for cs, _ in self._docs.values() for c in cs for t in analyze(c.text)}
        return {t for t in terms if t in held}

    def corrections(self, words) -> dict:
        """Typos against the morphemes of the chunks (`backend.text.spelling`, as the embedded index)."""
        from collections import Counter

        from backend.text.analyzer import analyze
        from backend.text.spelling import Speller

        counts = Counter(t for cs, _ in self._docs.values() for c in cs for t in set(analyze(c.text)))
        speller = Speller(counts)
        return {w: fix for w in words if (fix := speller.correct(w)) is not None}

    def stats(self):
        from backend.models import IndexStats

        chunks = [c for cs, _ in self._docs.values() for c in cs]
        return IndexStats(
            backend="memory",
            location="memory",
            documents=len(self._docs),
            chunks=len(chunks),
            table_chunks=sum(c.kind == "table" for c in chunks),
            superseded_documents=sum(cs[0].superseded for cs, _ in self._docs.values()),
            embedder=None,
            dim=None,
        )


class InMemoryIndexWriter:
    """Changes to a private copy of the documents; `commit` swaps it in, `abort`/an exception drops it."""

    def __init__(self, index: InMemorySearchIndex, docs: dict) -> None:
        self._index = index
        self._docs = docs
        self._done = False

    def put_document(self, doc_id: str, chunks: Sequence, vectors: np.ndarray) -> None:
        if len(chunks) != len(vectors):
            raise ValueError(f"{doc_id}: {len(chunks)} chunks but {len(vectors)} vectors")
        if any(c.doc_id != doc_id for c in chunks):
            raise ValueError(f"{doc_id}: chunk of another document")
        self._docs[doc_id] = (list(chunks), np.asarray(vectors, dtype=np.float32))

    def delete_document(self, doc_id: str) -> None:
        self._docs.pop(doc_id, None)

    def set_superseded(self, doc_id: str, superseded: bool) -> None:
        if doc_id in self._docs:
            chunks, vectors = self._docs[doc_id]
            self._docs[doc_id] = ([c.with_superseded(superseded) for c in chunks], vectors)

    def commit(self) -> None:
        if not self._done:
            self._index._publish(self._docs)
            self._finish()

    def abort(self) -> None:
        if not self._done:
            self._finish()

    def _finish(self) -> None:
        self._done = True
        self._index._release()

    def __enter__(self) -> InMemoryIndexWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        # Leaving the block without commit (or with an exception) discards the changes.
        self.abort()
