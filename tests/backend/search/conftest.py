"""Fixtures of the search tests: `search_backend` opens `SearchIndex` instances of each backend that can run
here (parametrised over the backends; OpenSearch only when a cluster is configured)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from backend.config import get_settings
from tests.backend.search.search_corpus import OPENSEARCH_SKIP_REASON, SearchBackend
from tests.fakes import FakeEmbedder


@pytest.fixture(
    params=[
        pytest.param("embedded", marks=pytest.mark.unit),
        pytest.param("opensearch", marks=pytest.mark.opensearch),
    ]
)
def search_backend(request, tmp_path) -> Iterator[SearchBackend]:
    """Each backend that can run here; OpenSearch is skipped without SANGDAM_OPENSEARCH_URL."""
    url = get_settings().opensearch_url
    if request.param == "opensearch" and not url:
        pytest.skip(OPENSEARCH_SKIP_REASON)  # no SANGDAM_OPENSEARCH_URL
    backend = SearchBackend(request.param, tmp_path / "home", url)
    yield backend
    backend.cleanup()


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()
