"""Fixtures shared with the per-package tests: the search backends (tests/backend/search/conftest.py)."""

from tests.backend.search.conftest import fake_embedder, search_backend  # noqa: F401 - re-exported fixtures
