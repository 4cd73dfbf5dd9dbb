"""Checks only a real cluster can answer (the shared contract in tests/contracts/test_search_index.py covers search and writes):
the index body is accepted and its nori analyzer splits Korean the way the backend relies on."""

from __future__ import annotations

import uuid

import numpy as np
import pytest

from backend.config import Settings, get_settings
from backend.search.opensearch import mappings
from backend.search.opensearch.client import build_opensearch_client
from backend.search.opensearch.index import OpenSearchIndex
from tests.backend.search.search_corpus import OPENSEARCH_SKIP_REASON, make_chunks

pytestmark = pytest.mark.opensearch


@pytest.fixture
def live_index():
    url = get_settings().opensearch_url
    if not url:
        pytest.skip(OPENSEARCH_SKIP_REASON)  # no SANGDAM_OPENSEARCH_URL
    settings = Settings(opensearch_url=url, opensearch_alias=f"sangdam-test-{uuid.uuid4().hex[:12]}")
    index = OpenSearchIndex.from_settings(settings, embedder_name="fake-4", dim=4)
    with index.writer(full=True) as writer:
        writer.put_document("a", make_chunks("a", ["기가인터넷 위약금 안내"]), np.eye(4, dtype=np.float32)[:1])
    yield index
    client = build_opensearch_client(settings)
    client.indices.delete(index=f"{settings.opensearch_alias}-*", ignore_unavailable=True, expand_wildcards="all")
    client.search_pipeline.delete(id=index.pipeline_id, ignore=404)


def _tokens(index: OpenSearchIndex, text: str) -> list[str]:
    resp = index._client.indices.analyze(index=index.alias, body={"analyzer": mappings.ANALYZER, "text": text})
    return [t["token"] for t in resp["tokens"]]


def test_nori_keeps_compounds_and_their_parts(live_index):
    tokens = _tokens(live_index, "기가인터넷")
    assert {"기가", "인터넷"} <= set(tokens)


def test_nori_drops_particles_and_endings_and_lowercases(live_index):
    tokens = _tokens(live_index, "위약금이 USIM을 받으세요")
    assert "위약금" in tokens and "usim" in tokens
    assert not {"이", "을"} & set(tokens)


def test_index_records_embedder_and_analysis(live_index):
    stats = live_index.stats()
    assert (stats.embedder, stats.dim, stats.chunks) == ("fake-4", 4, 1)
    mapping = live_index._client.indices.get_mapping(index=live_index.alias)
    (body,) = mapping.values()
    assert body["mappings"]["_meta"][mappings.META_KEY]["analysis"]["decompound_mode"] == "mixed"
