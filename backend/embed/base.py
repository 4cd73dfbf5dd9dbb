"""The `Embedder` protocol."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    """Turns text into L2-normalised float32 vectors.

    Rules:
    - `name` identifies the model and its prefixes; vectors from embedders with different names are
      never mixed in one index or cache.
    - `embed_passages(texts)` returns shape (len(texts), dim); `embed_query(text)` returns shape (dim,).
      Queries and passages get the model's own prefixes (e5: "query: " / "passage: ").
    - Deterministic: the same text gives the same vector. Safe to call from several threads.
    """

    name: str
    dim: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...
