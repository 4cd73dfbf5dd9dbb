"""The one way to build a process-wide object (a model, a client, an index): `process_cached`.

Streamlit sessions and CLI threads share these objects, so each is built once per process and key, under
a lock (two sessions asking at once wait for the one build instead of loading a model twice). Each
cached function has `cache_clear()` (after a settings change, and between tests).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


def process_cached(key: Callable[..., Hashable] | None = None) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Decorator: the function's result is built once per process for each `key(*args)` (default: the
    arguments themselves) and shared by every thread. The wrapper gains `cache_clear()`."""

    def decorate(build: Callable[..., T]) -> Callable[..., T]:
        cache: dict[Hashable, T] = {}
        lock = threading.Lock()

        @functools.wraps(build)
        def cached(*args: Any) -> T:
            k = key(*args) if key is not None else args
            with lock:
                if k not in cache:
                    cache[k] = build(*args)
                return cache[k]

        def cache_clear() -> None:
            with lock:
                cache.clear()

        cached.cache_clear = cache_clear  # type: ignore[attr-defined]
        return cached

    return decorate

