"""`build_search_index` picks the backend from settings; `get_retriever` builds everything once."""

from __future__ import annotations

import pytest

from backend.config import Settings
from backend.search.embedded.index import EmbeddedSearchIndex
from backend.search.factory import build_retriever, build_search_index
from backend.search.retriever import Retriever


@pytest.mark.unit
def test_embedded_backend_from_settings(tmp_path):
    settings = Settings(home=tmp_path, fusion="rrf", keyword_weight=0.2, rrf_rank_constant=7, candidate_depth=33)
    index = build_search_index(settings, embedder_name="m", dim=8)
    assert isinstance(index, EmbeddedSearchIndex)
    assert index.directory == tmp_path / "index"
    assert (index.fusion, index.keyword_weight, index.rrf_rank_constant, index.candidate_depth) == ("rrf", 0.2, 7, 33)
    assert (index.embedder_name, index.dim) == ("m", 8)


@pytest.mark.unit
def test_opensearch_backend_from_settings(tmp_path):
    from backend.search.opensearch.index import OpenSearchIndex

    settings = Settings(
        home=tmp_path, search_backend="opensearch", opensearch_url="http://127.0.0.1:9", opensearch_alias="sangdam-x"
    )
    index = build_search_index(settings, embedder_name="m", dim=8)  # builds a client; contacts nothing yet
    assert isinstance(index, OpenSearchIndex)
    assert (index.alias, index.embedder_name, index.dim) == ("sangdam-x", "m", 8)


@pytest.mark.integration
def test_get_retriever_is_built_once_per_settings(tmp_path):
    settings = Settings(home=tmp_path)
    retriever = build_retriever(settings)
    assert isinstance(retriever, Retriever)
    assert build_retriever(settings) is retriever
    assert isinstance(retriever.index, EmbeddedSearchIndex)
    assert retriever.index.embedder_name == retriever.embedder.name
    assert retriever.search("위약금이 얼마예요?") == []  # nothing indexed yet
    assert build_retriever(Settings(home=tmp_path / "other")) is not retriever
