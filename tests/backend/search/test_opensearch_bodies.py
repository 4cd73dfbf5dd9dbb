"""Unit tests of the OpenSearch backend: request bodies as pure functions, and the writer/reader logic
against a recording fake cluster under the real opensearch-py client (tests/backend/search/opensearch_fake.py)."""

from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from backend.config import Settings
from backend.models import AttachmentRef, Chunk, SearchFilters
from backend.search.base import EmbedderMismatchError, IndexBusyError, SearchIndex
from backend.search.opensearch import mappings, queries
from backend.search.opensearch.client import OpenSearchWriteError
from backend.search.opensearch.index import OpenSearchIndex
from backend.text import analyzer as korean
from tests.backend.search.opensearch_fake import FakeCluster, evaluate

pytestmark = pytest.mark.unit

ALIAS = "sangdam-test"
DIM = 8
EMBEDDER = "fake-bigram-8"


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def make_chunk(doc_id: str, no: int, **overrides) -> Chunk:
    kind = overrides.pop("kind", "text")
    fields = dict(
        chunk_id=f"{doc_id}#{no}",
        doc_id=doc_id,
        chunk_no=no,
        page=f"{doc_id}.html",
        title=f"{doc_id} 안내",
        kind=kind,
        text=f"{doc_id} 본문 {no}: 기가인터넷 이전 설치 신청",
        breadcrumb=("인터넷", "기가인터넷"),
        section=("신청 방법",),
        manual_id=f"MAN-{doc_id}",
        revision_date="2024-05-01",
        table={"caption": "요금", "header_rows": 1, "header_cols": 0, "rows": [["요금제", "월 요금"], ["기가", "33,000원"]]}
        if kind == "table"
        else None,
        attachments=(AttachmentRef(name="이전신청서", path="files/이전신청서.pdf", media_type="application/pdf", size=1234),),
        page_hash=f"hash-{doc_id}",
    )
    fields.update(overrides)
    return Chunk(**fields)


def make_doc(doc_id: str, n: int, **overrides) -> tuple[list[Chunk], np.ndarray]:
    chunks = [make_chunk(doc_id, i, **overrides) for i in range(n)]
    rng = np.random.default_rng(abs(hash(doc_id)) % 2**32)
    vectors = rng.normal(size=(n, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return chunks, vectors


@pytest.fixture
def cluster() -> FakeCluster:
    return FakeCluster()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make_index(cluster: FakeCluster, clock: Clock, **kwargs) -> OpenSearchIndex:
    kwargs.setdefault("embedder_name", EMBEDDER)
    kwargs.setdefault("dim", DIM)
    return OpenSearchIndex(cluster.client(), ALIAS, clock=clock, **kwargs)


@pytest.fixture
def index(cluster: FakeCluster, clock: Clock) -> OpenSearchIndex:
    return make_index(cluster, clock)


def populate(index: OpenSearchIndex, docs: dict[str, int], **overrides) -> None:
    with index.writer(full=True) as w:
        for doc_id, n in docs.items():
            w.put_document(doc_id, *make_doc(doc_id, n, **overrides))


# --- index settings and mappings ---


def test_analyzer_chain_is_nori_mixed_with_pos_filter_readingform_lowercase():
    body = mappings.index_body(EMBEDDER, DIM, mappings.nori_stoptags(10))
    analysis = body["settings"]["analysis"]
    analyzer = analysis["analyzer"][mappings.ANALYZER]
    assert analyzer["type"] == "custom"
    tokenizer = analysis["tokenizer"][analyzer["tokenizer"]]
    assert tokenizer["type"] == "nori_tokenizer"
    assert tokenizer["decompound_mode"] == "mixed"
    assert analyzer["filter"] == [mappings.POS_FILTER, "nori_readingform", "lowercase"]
    pos = analysis["filter"][mappings.POS_FILTER]
    assert pos["type"] == "nori_part_of_speech"
    assert "user_dictionary_rules" not in tokenizer


def test_user_dictionary_rules_go_to_the_tokenizer():
    rules = ["기가인터넷 기가 인터넷", "올레tv"]
    analysis = mappings.index_body(EMBEDDER, DIM, mappings.nori_stoptags(10), user_dictionary_rules=rules)["settings"]["analysis"]
    assert analysis["tokenizer"][mappings.TOKENIZER]["user_dictionary_rules"] == rules


def test_stoptags_remove_particles_and_endings_with_the_names_each_lucene_knows():
    lucene10 = mappings.nori_stoptags(10)
    lucene9 = mappings.nori_stoptags(9)
    assert {"JKS", "JKO", "JKB", "JX", "JC", "EP", "EF", "EC", "ETN", "ETM"} <= set(lucene10)
    assert not {"E", "J"} & set(lucene10)  # rejected by Lucene 10 (OpenSearch 3.x)
    assert {"E", "J"} <= set(lucene9)
    assert not {"JKS", "EF"} & set(lucene9)
    for tags in (lucene9, lucene10):
        assert {"VCP", "XSV", "SP", "SSO", "SSC"} <= set(tags)
        # Meaning-bearing affixes and adverbs stay searchable (재가입, 요금제, 안/못).
        assert not {"XPN", "XSN", "MAG", "NNG", "NNP", "VV", "SL", "SN"} & set(tags)
        assert len(tags) == len(set(tags))


def test_knn_vector_uses_lucene_hnsw_inner_product():
    body = mappings.index_body(EMBEDDER, 384, mappings.nori_stoptags(10), m=24, ef_construction=200)
    assert body["settings"]["index"]["knn"] is True
    vector = body["mappings"]["properties"][mappings.VECTOR_FIELD]
    assert vector["type"] == "knn_vector"
    assert vector["dimension"] == 384
    assert vector["method"] == {
        "name": "hnsw",
        "engine": "lucene",
        "space_type": "innerproduct",
        "parameters": {"m": 24, "ef_construction": 200},
    }


def test_field_types():
    body = mappings.index_body(EMBEDDER, DIM, mappings.nori_stoptags(10))
    mapping = body["mappings"]
    props = mapping["properties"]
    for name in ("chunk_id", "doc_id", "page", "kind", "manual_id", "revision_date", "page_hash", "breadcrumb", "breadcrumb_prefixes"):
        assert props[name] == {"type": "keyword"}, name
    assert props["superseded"] == {"type": "boolean"}
    assert props["marked_old"] == {"type": "boolean"}
    assert props["chunk_no"] == {"type": "integer"}
    assert props["text"] == {
        "type": "text",
        "analyzer": mappings.ANALYZER,
        "fields": {"bigram": {"type": "text", "analyzer": mappings.BIGRAM_ANALYZER}},
    }
    for name in ("title", "section"):
        assert props[name]["type"] == "text" and props[name]["analyzer"] == mappings.ANALYZER
        assert props[name]["fields"]["keyword"]["type"] == "keyword"
    assert props["table"] == {"type": "object", "enabled": False}
    assert props["attachments"] == {"type": "object", "enabled": False}
    assert mapping["dynamic"] is False
    assert body["settings"]["index"]["number_of_shards"] == 1
    # Every field a chunk document carries is mapped explicitly.
    chunks, vectors = make_doc("M001", 1, kind="table")
    assert set(queries.chunk_document(chunks[0], vectors[0])) <= set(props)


def test_meta_records_embedder_dim_and_analysis():
    tags = mappings.nori_stoptags(10)
    meta = mappings.index_body("multilingual-e5-small", 384, tags, user_dictionary_rules=["기가인터넷"])["mappings"]["_meta"]
    assert meta[mappings.META_KEY]["embedder"] == "multilingual-e5-small"
    assert meta[mappings.META_KEY]["dim"] == 384
    assert meta[mappings.META_KEY]["schema"] == mappings.SCHEMA_VERSION
    assert meta[mappings.META_KEY]["analysis"] == {
        "analyzer": mappings.ANALYZER,
        "decompound_mode": "mixed",
        "stoptags": tags,
        "user_dictionary_rules": ["기가인터넷"],
        "bigram_boost": korean.BIGRAM_BOOST,
        "bm25": {"k1": korean.BM25_K1, "b": korean.BM25_B},
    }


def test_bm25_and_the_bigram_field_mirror_the_embedded_recipe():
    settings = mappings.index_body(EMBEDDER, DIM, mappings.nori_stoptags(10))["settings"]
    assert settings["index"]["similarity"] == {"default": {"type": "BM25", "k1": korean.BM25_K1, "b": korean.BM25_B}}
    analysis = settings["analysis"]
    bigram = analysis["analyzer"][mappings.BIGRAM_ANALYZER]
    assert bigram == {"type": "custom", "tokenizer": mappings.BIGRAM_TOKENIZER, "filter": ["lowercase"]}
    # Same tokens as korean.bigrams: pairs inside runs of letters and digits, nothing from one-letter runs.
    assert analysis["tokenizer"][mappings.BIGRAM_TOKENIZER] == {
        "type": "ngram", "min_gram": 2, "max_gram": 2, "token_chars": ["letter", "digit"]}


# --- search pipelines ---


@pytest.mark.parametrize("weight", [0.0, 0.3, 0.5, 0.7, 1.0])
def test_minmax_pipeline_weights_keyword_first_and_sum_to_one(weight):
    body = queries.search_pipeline_body("minmax", weight, 60)
    (processor,) = body["phase_results_processors"]
    norm = processor["normalization-processor"]
    assert norm["normalization"] == {"technique": "min_max"}
    assert norm["combination"]["technique"] == "arithmetic_mean"
    weights = norm["combination"]["parameters"]["weights"]
    assert weights[0] == pytest.approx(weight)
    assert sum(weights) == 1.0
    assert all(0.0 <= w <= 1.0 for w in weights)


def test_rrf_pipeline_uses_score_ranker_with_rank_constant():
    body = queries.search_pipeline_body("rrf", 0.5, 40)
    assert body["phase_results_processors"] == [
        {"score-ranker-processor": {"combination": {"technique": "rrf", "rank_constant": 40}}}
    ]


def test_unknown_fusion_is_rejected():
    with pytest.raises(ValueError):
        queries.search_pipeline_body("z_score", 0.5, 60)


def test_pipeline_id_follows_the_body():
    a = queries.search_pipeline_body("minmax", 0.5, 60)
    b = queries.search_pipeline_body("minmax", 0.7, 60)
    assert queries.search_pipeline_id(ALIAS, a) == queries.search_pipeline_id(ALIAS, json.loads(json.dumps(a)))
    assert queries.search_pipeline_id(ALIAS, a) != queries.search_pipeline_id(ALIAS, b)
    assert queries.search_pipeline_id(ALIAS, a).startswith(f"{ALIAS}-hybrid-")


# --- the hybrid query ---

SAMPLE_CHUNKS = [
    make_chunk("A", 0),
    make_chunk("B", 0, kind="table"),
    make_chunk("C", 0, superseded=True),
    make_chunk("D", 0, breadcrumb=("인터넷", "기가인터넷 플러스")),
    make_chunk("E", 0, breadcrumb=("모바일", "요금제"), kind="table", superseded=True),
    make_chunk("F", 0, breadcrumb=()),
    make_chunk("G", 0, breadcrumb=("인터넷",)),
]


@pytest.mark.parametrize(
    "kind,prefix,current_only",
    list(itertools.product([None, "text", "table"], [None, "인터넷", "인터넷>기가인터넷", " 인터넷 / 기가인터넷 ", "기가", " > "], [False, True])),
)
def test_hybrid_query_filters_match_searchfilters_semantics(kind, prefix, current_only):
    filters = SearchFilters(breadcrumb_prefix=prefix, kind=kind, current_only=current_only)
    vector = np.linspace(-1, 1, DIM).astype(np.float32)
    body = queries.hybrid_query_body("기가인터넷 이전", vector, k=5, candidate_depth=100, filters=filters)

    assert body["size"] == 5
    assert body["_source"] == {"excludes": [mappings.VECTOR_FIELD]}
    hybrid = body["query"]["hybrid"]
    assert hybrid["pagination_depth"] == 100
    keyword, knn = hybrid["queries"]
    knn = knn["knn"][mappings.VECTOR_FIELD]
    assert knn["k"] == 100
    assert knn["vector"] == pytest.approx(vector.tolist())
    clauses = queries.filter_clauses(filters)
    should = [
        {"match": {"text": {"query": "기가인터넷 이전"}}},
        {"match": {"text.bigram": {"query": "기가인터넷 이전", "boost": korean.BIGRAM_BOOST}}},
    ]
    expected_keyword = {"bool": {"should": should, "minimum_should_match": 1}}
    if clauses:
        expected_keyword["bool"]["filter"] = clauses
        assert knn["filter"] == {"bool": {"filter": clauses}}
    else:
        assert "filter" not in knn
    assert keyword == expected_keyword
    for chunk in SAMPLE_CHUNKS:
        doc = queries.chunk_document(chunk, np.zeros(DIM))
        assert evaluate(knn.get("filter"), doc) == filters.matches(chunk), (chunk.doc_id, filters)
        if clauses:
            assert evaluate({"bool": {"filter": keyword["bool"]["filter"]}}, doc) == filters.matches(chunk)


def test_hybrid_query_without_filters_and_depth_at_least_k():
    body = queries.hybrid_query_body("요금", [0.0] * DIM, k=150, candidate_depth=100, filters=None)
    assert body["size"] == 150
    assert body["query"]["hybrid"]["pagination_depth"] == 150
    assert body["query"]["hybrid"]["queries"][1]["knn"][mappings.VECTOR_FIELD]["k"] == 150
    assert queries.filter_clauses(SearchFilters()) == []


# --- documents and admin bodies ---


def test_bulk_actions_target_the_new_index_with_chunk_ids_and_vectors():
    chunks, vectors = make_doc("internet/M004", 3, kind="table")
    actions = list(queries.bulk_index_actions("sangdam-test-20250101000000-abcdef", chunks, vectors))
    assert [a["_id"] for a in actions] == ["internet/M004#0", "internet/M004#1", "internet/M004#2"]
    assert {a["_op_type"] for a in actions} == {"index"}
    assert {a["_index"] for a in actions} == {"sangdam-test-20250101000000-abcdef"}
    for action, chunk, vector in zip(actions, chunks, vectors):
        source = action["_source"]
        assert source[mappings.VECTOR_FIELD] == pytest.approx(vector.tolist())
        assert source["breadcrumb_prefixes"] == ["인터넷", "인터넷 > 기가인터넷"]
        json.dumps(source)  # JSON-ready
        assert Chunk.from_dict(source) == chunk


def test_alias_swap_is_one_request_removing_old_and_adding_new():
    assert queries.alias_swap_actions(ALIAS, "new-idx", "old-idx") == {
        "actions": [
            {"remove": {"index": "old-idx", "alias": ALIAS, "must_exist": True}},
            {"add": {"index": "new-idx", "alias": ALIAS}},
        ]
    }
    assert queries.alias_swap_actions(ALIAS, "new-idx", None) == {"actions": [{"add": {"index": "new-idx", "alias": ALIAS}}]}


def test_reindex_and_by_query_bodies():
    assert queries.reindex_body("live", "new") == {"source": {"index": "live"}, "dest": {"index": "new"}}
    assert queries.doc_query("M1") == {"query": {"term": {"doc_id": "M1"}}}
    body = queries.set_superseded_body("M1", True)
    assert body["query"] == {"term": {"doc_id": "M1"}}
    assert body["script"]["lang"] == "painless"
    assert body["script"]["params"] == {"superseded": True}
    assert "ctx._source.superseded = params.superseded" in body["script"]["source"]


def test_physical_index_names_are_lowercase_and_never_match_the_lock_index():
    name = mappings.physical_index_name(ALIAS)
    assert name == name.lower()
    pattern = mappings.physical_index_pattern(ALIAS)
    assert pattern.match(name)
    assert not pattern.match(mappings.lock_index_name(ALIAS))
    assert not pattern.match(f"{ALIAS}-feedback-20250101000000-abcdef")
    assert mappings.physical_index_name(ALIAS) != mappings.physical_index_name(ALIAS)


def test_physical_index_names_sort_in_creation_order_within_one_second():
    first = datetime(2026, 3, 1, 9, 15, 0, 1, tzinfo=timezone.utc)
    later = first + timedelta(microseconds=1)
    assert mappings.physical_index_name(ALIAS, first, "ffffff") < mappings.physical_index_name(ALIAS, later, "000000")


# --- reading through the fake cluster ---


def test_opensearch_index_satisfies_the_protocol(index):
    assert isinstance(index, SearchIndex)


def test_empty_alias_search_documents_chunks_and_stats(cluster, index):
    assert index.search("기가인터넷", np.ones(DIM, dtype=np.float32), k=5) == []
    assert index.documents() == {}
    assert index.chunks("M1") == []
    stats = index.stats()
    assert (stats.backend, stats.documents, stats.chunks, stats.embedder) == ("opensearch", 0, 0, None)
    assert stats.location == f"{ALIAS} -> (없음)"
    assert not cluster.calls("PUT")  # reading never creates anything


def test_search_sends_the_hybrid_query_with_the_pipeline_and_maps_hits(cluster, index):
    populate(index, {"M1": 2})
    chunk = make_chunk("M1", 1)
    response = {
        "took": 12,
        "timed_out": False,
        "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
        "hits": {
            "total": {"value": 1, "relation": "eq"},
            "max_score": 0.83,
            "hits": [{"_index": cluster.aliases[ALIAS], "_id": chunk.chunk_id, "_score": 0.83,
                      "_source": {**chunk.to_dict(), "breadcrumb_prefixes": chunk.breadcrumb_prefixes}}],
        },
    }
    cluster.queue_search(response)
    cluster.queue_search(response)
    filters = SearchFilters(breadcrumb_prefix="인터넷", kind="text", current_only=True)
    vector = np.full(DIM, 0.5, dtype=np.float32)

    hits = index.search("기가인터넷 이전", vector, k=3, filters=filters)
    index.search("기가인터넷 이전", vector, k=3, filters=filters)

    (first, _second) = [r for r in cluster.calls("POST", r"/_search$") if "hybrid" in r.body["query"]]
    assert first.path == f"/{ALIAS}/_search"
    assert first.params == {"search_pipeline": index.pipeline_id}
    assert first.body == queries.hybrid_query_body("기가인터넷 이전", vector, k=3, candidate_depth=100, filters=filters)
    assert [(h.chunk, h.score, h.detail) for h in hits] == [(chunk, 0.83, {})]
    assert cluster.pipelines[index.pipeline_id] == index.pipeline_body
    assert len(cluster.calls("PUT", r"^/_search/pipeline/")) == 1  # created once, then reused


def test_existing_pipeline_is_not_rewritten(cluster, clock):
    first = make_index(cluster, clock)
    populate(first, {"M1": 1})
    second = make_index(cluster, clock)
    cluster.queue_search({"hits": {"total": {"value": 0, "relation": "eq"}, "max_score": None, "hits": []}})
    assert second.search("x", np.ones(DIM), k=1) == []
    assert len(cluster.calls("PUT", r"^/_search/pipeline/")) == 1
    assert first.pipeline_id == second.pipeline_id


def test_rrf_index_uses_its_own_pipeline(cluster, clock):
    minmax = make_index(cluster, clock)
    rrf = make_index(cluster, clock, fusion="rrf", rrf_rank_constant=20)
    populate(minmax, {"M1": 1})
    cluster.queue_search({"hits": {"total": {"value": 0, "relation": "eq"}, "max_score": None, "hits": []}})
    rrf.search("x", np.ones(DIM), k=1)
    assert rrf.pipeline_id != minmax.pipeline_id
    assert cluster.pipelines[rrf.pipeline_id]["phase_results_processors"][0]["score-ranker-processor"]["combination"]["rank_constant"] == 20
    assert cluster.calls("POST", r"/_search$")[-1].params == {"search_pipeline": rrf.pipeline_id}


def test_search_rejects_a_vector_of_the_wrong_size(index):
    with pytest.raises(EmbedderMismatchError):
        index.search("x", np.ones(DIM + 1), k=1)


def test_documents_chunks_and_stats_page_through_the_live_index(cluster, index, monkeypatch):
    import backend.search.opensearch.index as module

    monkeypatch.setattr(module, "_PAGE_SIZE", 2)  # force several pages
    populate(index, {"M1": 3, "M2": 1, "M3": 2, "T1": 2})
    with index.writer(full=False) as w:
        w.put_document("T1", *make_doc("T1", 2, kind="table"))
        w.set_superseded("M3", True)

    docs = index.documents()
    assert sorted(docs) == ["M1", "M2", "M3", "T1"]
    assert {d: info.chunks for d, info in docs.items()} == {"M1": 3, "M2": 1, "M3": 2, "T1": 2}
    assert docs["M3"].superseded and not docs["M1"].superseded
    assert (docs["M1"].page, docs["M1"].page_hash, docs["M1"].manual_id, docs["M1"].revision_date) == (
        "M1.html", "hash-M1", "MAN-M1", "2024-05-01")

    chunks = index.chunks("M1")
    assert [c.chunk_no for c in chunks] == [0, 1, 2]
    assert chunks == make_doc("M1", 3)[0]
    assert index.chunks("nope") == []

    stats = index.stats()
    assert (stats.documents, stats.chunks, stats.table_chunks, stats.superseded_documents) == (4, 8, 2, 1)
    assert (stats.backend, stats.embedder, stats.dim) == ("opensearch", EMBEDDER, DIM)
    assert stats.location == f"{ALIAS} -> {cluster.aliases[ALIAS]}"


def test_embedder_mismatch_is_detected_from_the_mapping_meta(cluster, clock, index):
    populate(index, {"M1": 1})
    other = make_index(cluster, clock, embedder_name="another-model", dim=DIM)
    with pytest.raises(EmbedderMismatchError, match="재색인"):
        other.search("x", np.ones(DIM), k=1)
    assert set(other.documents()) == {"M1"}  # listing still works, as stats() does, to plan a full rebuild
    assert other.stats().embedder == EMBEDDER
    with pytest.raises(EmbedderMismatchError):
        other.writer(full=False)
    assert not cluster.indices[f"{ALIAS}-lock"].docs  # the failed writer released its lock
    with other.writer(full=True) as w:  # a full rebuild is the remedy
        w.put_document("M1", *make_doc("M1", 1))
    assert other.stats().embedder == "another-model"


# --- writing through the fake cluster ---


def test_full_writer_builds_a_new_index_and_swaps_the_alias_atomically(cluster, index):
    populate(index, {"OLD": 2})
    old = cluster.aliases[ALIAS]
    cluster.requests.clear()

    w = index.writer(full=True)
    new = w.new_index
    assert new != old and mappings.physical_index_pattern(ALIAS).match(new)
    assert cluster.aliases[ALIAS] == old
    w.put_document("M1", *make_doc("M1", 3))
    assert cluster.aliases[ALIAS] == old  # nothing visible before commit
    w.commit()

    (create,) = cluster.calls("PUT", rf"^/{new}$")
    assert create.body == mappings.index_body(EMBEDDER, DIM, mappings.nori_stoptags(10))
    (bulk,) = cluster.calls("POST", r"^/_bulk$")
    actions = bulk.body[0::2]
    assert [a["index"]["_id"] for a in actions] == ["M1#0", "M1#1", "M1#2"]
    assert {a["index"]["_index"] for a in actions} == {new}
    assert all(len(src[mappings.VECTOR_FIELD]) == DIM for src in bulk.body[1::2])
    (swap,) = cluster.calls("POST", r"^/_aliases$")
    assert swap.body == queries.alias_swap_actions(ALIAS, new, old)
    paths = [(r.method, r.path) for r in cluster.requests]
    assert paths.index(("POST", f"/{new}/_refresh")) < paths.index(("POST", "/_aliases")) < paths.index(("DELETE", f"/{old}"))
    assert cluster.aliases[ALIAS] == new
    assert old not in cluster.indices
    assert set(cluster.sources(new)) == {"M1#0", "M1#1", "M1#2"}
    assert not cluster.indices[f"{ALIAS}-lock"].docs
    assert not cluster.calls("POST", r"_delete_by_query$")  # a full build starts empty


def test_first_writer_creates_lock_index_and_adds_the_alias(cluster, index):
    populate(index, {"M1": 1})
    (lock_create,) = cluster.calls("PUT", rf"^/{ALIAS}-lock$")
    assert lock_create.body == mappings.lock_index_body()
    (swap,) = cluster.calls("POST", r"^/_aliases$")
    assert swap.body["actions"] == [{"add": {"index": cluster.aliases[ALIAS], "alias": ALIAS}}]


def test_incremental_writer_copies_the_live_index_and_replaces_documents(cluster, index):
    populate(index, {"A": 4, "B": 1, "C": 2})
    old = cluster.aliases[ALIAS]
    cluster.requests.clear()

    with index.writer(full=False) as w:
        assert w.new_index is None and not cluster.calls("POST", r"^/_reindex$")  # copied at the first change
        w.put_document("A", *make_doc("A", 3))
        (reindex,) = cluster.calls("POST", r"^/_reindex$")
        assert reindex.body == queries.reindex_body(old, w.new_index)
        assert reindex.params["wait_for_completion"] == "true"
        assert reindex.params["refresh"] == "true"
        w.put_document("A", *make_doc("A", 2))  # again in the same session: its unrefreshed chunk A#2 must go too
        w.delete_document("C")
        w.delete_document("never-indexed")
        w.put_document("D", *make_doc("D", 1))
    new = cluster.aliases[ALIAS]

    assert sorted(cluster.sources(new)) == ["A#0", "A#1", "B#0", "D#0"]
    # the copied chunks of a document are deleted by query once, later versions by id
    dbq = [r.body for r in cluster.calls("POST", r"/_delete_by_query$")]
    assert dbq == [queries.doc_query("A"), queries.doc_query("C"), queries.doc_query("never-indexed"), queries.doc_query("D")]
    assert old not in cluster.indices


def test_incremental_writer_that_changes_nothing_leaves_the_alias_alone(cluster, index):
    populate(index, {"A": 2})
    old = cluster.aliases[ALIAS]
    cluster.requests.clear()
    with index.writer(full=False) as w:
        pass
    assert w.new_index is None
    assert not cluster.calls("POST", r"^/_reindex$") and not cluster.calls("POST", r"^/_aliases$")
    assert cluster.aliases[ALIAS] == old and set(cluster.indices) == {old, f"{ALIAS}-lock"}
    assert not cluster.indices[f"{ALIAS}-lock"].docs  # the lock is released
    with index.writer(full=False) as w:  # and the next writer gets it
        w.delete_document("A")
    assert cluster.sources(cluster.aliases[ALIAS]) == {}


def test_put_document_with_no_chunks_deletes_it(cluster, index):
    populate(index, {"A": 2, "B": 1})
    with index.writer(full=False) as w:
        w.put_document("A", [], np.zeros((0, DIM), dtype=np.float32))
    assert sorted(cluster.sources(cluster.aliases[ALIAS])) == ["B#0"]


def test_put_document_validates_its_input(index):
    with index.writer(full=True) as w:
        chunks, vectors = make_doc("A", 2)
        with pytest.raises(ValueError):
            w.put_document("A", chunks, vectors[:1])
        with pytest.raises(ValueError):
            w.put_document("B", chunks, vectors)
        with pytest.raises(ValueError):
            w.put_document("A", [chunks[0], chunks[0]], vectors)
        w.abort()


def test_set_superseded_refreshes_pending_writes_then_updates_by_query(cluster, index):
    populate(index, {"OLD": 1})
    cluster.requests.clear()
    with index.writer(full=True) as w:
        w.put_document("M1", *make_doc("M1", 3))
        w.set_superseded("M1", True)
        paths = [(r.method, r.path) for r in cluster.requests]
        refresh = paths.index(("POST", f"/{w.new_index}/_refresh"))
        (ubq,) = cluster.calls("POST", r"/_update_by_query$")
        assert refresh < paths.index(("POST", ubq.path))
        assert ubq.body == queries.set_superseded_body("M1", True)
        assert ubq.params["refresh"] == "true"
    sources = cluster.sources(cluster.aliases[ALIAS])
    assert [s["superseded"] for s in sources.values()] == [True, True, True]
    assert [s["text"] for s in sources.values()] == [c.text for c in make_doc("M1", 3)[0]]  # only that flag changed


def test_bulk_item_errors_raise_one_error_with_details_and_abort(cluster, index, monkeypatch):
    sleeps: list[float] = []
    monkeypatch.setattr("opensearchpy.helpers.actions.time.sleep", sleeps.append)
    populate(index, {"OLD": 1})
    old = cluster.aliases[ALIAS]
    cluster.requests.clear()
    cluster.bulk_item_errors["M1#1"] = (400, "mapper_parsing_exception", "failed to parse field [vector]")
    cluster.bulk_item_errors["M1#2"] = (429, "es_rejected_execution_exception", "rejected")
    with pytest.raises(OpenSearchWriteError) as caught:
        with index.writer(full=True) as w:
            new = w.new_index
            w.put_document("M1", *make_doc("M1", 3))
    message = str(caught.value)
    assert "2건" in message and "M1#1" in message and "mapper_parsing_exception" in message and "M1#2" in message
    assert new not in cluster.indices
    assert cluster.aliases[ALIAS] == old
    assert not cluster.indices[f"{ALIAS}-lock"].docs
    assert len(cluster.calls("POST", r"^/_bulk$")) == 1 + 3  # the 429 item was retried 3 times
    assert sleeps == [1, 2, 4]


def test_bulk_requests_are_chunked(cluster, clock):
    index = make_index(cluster, clock, bulk_chunk_size=2)
    populate(index, {"M1": 5})
    assert [len(r.body) // 2 for r in cluster.calls("POST", r"^/_bulk$")] == [2, 2, 1]


def test_failing_alias_swap_deletes_the_new_index_and_keeps_the_alias(cluster, index):
    populate(index, {"OLD": 1})
    old = cluster.aliases[ALIAS]
    cluster.fail("POST", r"^/_aliases$", status=500, error_type="cluster_manager_not_discovered_exception")
    w = index.writer(full=True)
    w.put_document("M1", *make_doc("M1", 1))
    with pytest.raises(Exception, match="cluster_manager_not_discovered_exception"):
        w.commit()
    assert cluster.aliases[ALIAS] == old
    assert w.new_index not in cluster.indices
    assert old in cluster.indices
    assert not cluster.indices[f"{ALIAS}-lock"].docs
    with pytest.raises(RuntimeError):
        w.put_document("M2", *make_doc("M2", 1))


def test_alias_swap_that_applied_despite_an_error_is_kept(cluster, index):
    populate(index, {"OLD": 1})
    old = cluster.aliases[ALIAS]
    cluster.fail("POST", r"^/_aliases$", status=500, apply_first=True)
    with index.writer(full=True) as w:
        w.put_document("M1", *make_doc("M1", 1))
    assert cluster.aliases[ALIAS] == w.new_index
    assert old not in cluster.indices
    assert not cluster.indices[f"{ALIAS}-lock"].docs


def test_reindex_failures_abort_the_writer(cluster, index):
    populate(index, {"OLD": 1})
    old = cluster.aliases[ALIAS]
    cluster.reindex_failures.append(
        {"index": "x", "id": "OLD#0", "cause": {"type": "mapper_parsing_exception", "reason": "bad"}, "status": 400}
    )
    with pytest.raises(OpenSearchWriteError, match="mapper_parsing_exception"):
        with index.writer(full=False) as w:
            w.put_document("M1", *make_doc("M1", 1))  # the first change copies the live index
    assert set(cluster.indices) == {old, f"{ALIAS}-lock"}
    assert cluster.aliases[ALIAS] == old
    assert not cluster.indices[f"{ALIAS}-lock"].docs


def test_exception_inside_the_block_aborts(cluster, index):
    populate(index, {"OLD": 1})
    old = cluster.aliases[ALIAS]
    with pytest.raises(KeyError):
        with index.writer(full=True) as w:
            w.put_document("M1", *make_doc("M1", 1))
            raise KeyError("boom")
    assert cluster.aliases[ALIAS] == old
    assert set(cluster.indices) == {old, f"{ALIAS}-lock"}


def test_keep_previous_indexes(cluster, clock):
    index = make_index(cluster, clock, keep_previous=1)
    names = []
    for n in range(3):
        populate(index, {"M1": n + 1})
        names.append(cluster.aliases[ALIAS])
    assert set(cluster.indices) == {names[1], names[2], f"{ALIAS}-lock"}


def test_stop_tags_follow_the_cluster_lucene_version(clock):
    old_cluster = FakeCluster(number="2.19.2", lucene_version="9.12.1")
    index = make_index(old_cluster, clock)
    populate(index, {"M1": 1})
    (create,) = [r for r in old_cluster.calls("PUT") if mappings.physical_index_pattern(ALIAS).match(r.path[1:])]
    assert create.body["settings"]["analysis"]["filter"][mappings.POS_FILTER]["stoptags"] == mappings.nori_stoptags(9)


def test_stop_tags_fall_back_when_the_cluster_rejects_them(clock):
    cluster = FakeCluster(lucene_version="10.1.0", rejects_tags=("JKS",))
    index = make_index(cluster, clock)
    populate(index, {"M1": 1})
    creates = [r for r in cluster.calls("PUT") if mappings.physical_index_pattern(ALIAS).match(r.path[1:])]
    assert [c.body["settings"]["analysis"]["filter"][mappings.POS_FILTER]["stoptags"] for c in creates] == [
        mappings.nori_stoptags(10), mappings.nori_stoptags(9)]
    meta = cluster.indices[cluster.aliases[ALIAS]].body["mappings"]["_meta"][mappings.META_KEY]
    assert meta["analysis"]["stoptags"] == mappings.nori_stoptags(9)


# --- the writer lock ---


def test_second_writer_is_refused_while_the_first_holds_the_lock(cluster, clock, index):
    first = index.writer(full=True)
    other = make_index(cluster, clock)
    clock.now += 600
    with pytest.raises(IndexBusyError, match="진행 중"):
        other.writer(full=True)
    assert len([n for n in cluster.indices if mappings.physical_index_pattern(ALIAS).match(n)]) == 1
    first.abort()
    with other.writer(full=True) as w:
        w.put_document("M1", *make_doc("M1", 1))
    assert cluster.aliases[ALIAS] == w.new_index


def test_lock_document_is_created_with_op_type_create(cluster, index):
    w = index.writer(full=True)
    (create,) = cluster.calls("PUT", rf"^/{ALIAS}-lock/_create/")
    assert create.path == f"/{ALIAS}-lock/_create/{mappings.LOCK_DOC_ID}"
    assert {"owner", "host", "pid", "acquired_at", "heartbeat_at"} <= set(create.body)
    w.abort()
    (release,) = cluster.calls("DELETE", rf"^/{ALIAS}-lock/_doc/")
    assert {"if_seq_no", "if_primary_term"} <= set(release.params)


def test_stale_lock_is_taken_over_and_the_old_writer_cannot_continue(cluster, clock, index):
    stuck = index.writer(full=True)
    clock.now += index.lock_stale_after_s + 1
    other = make_index(cluster, clock)
    fresh = other.writer(full=True)  # takes over
    holder = cluster.indices[f"{ALIAS}-lock"].docs[mappings.LOCK_DOC_ID]["source"]["owner"]

    with pytest.raises(IndexBusyError, match="가져갔습니다"):
        stuck.put_document("M1", *make_doc("M1", 1))
    stuck.abort()
    assert cluster.indices[f"{ALIAS}-lock"].docs[mappings.LOCK_DOC_ID]["source"]["owner"] == holder  # not released by the loser
    fresh.put_document("M2", *make_doc("M2", 1))
    fresh.commit()
    assert sorted(cluster.sources(cluster.aliases[ALIAS])) == ["M2#0"]


def test_heartbeat_keeps_a_long_writer_alive(cluster, clock, index):
    w = index.writer(full=True)
    for n in range(5):
        clock.now += index.lock_stale_after_s / 2
        w.put_document(f"M{n}", *make_doc(f"M{n}", 1))
    other = make_index(cluster, clock)
    with pytest.raises(IndexBusyError):
        other.writer(full=True)
    w.commit()


# --- construction from settings ---


def test_from_settings_builds_an_authenticated_client_without_network():
    settings = Settings(
        opensearch_url="https://search.internal:9200",
        opensearch_user="sangdam",
        opensearch_password="s3cret",
        opensearch_verify_certs=False,
        opensearch_alias="manuals-prod",
        fusion="rrf",
        rrf_rank_constant=30,
        candidate_depth=50,
    )
    index = OpenSearchIndex.from_settings(settings, embedder_name="e5-small", dim=384)
    assert (index.alias, index.embedder_name, index.dim, index.candidate_depth) == ("manuals-prod", "e5-small", 384, 50)
    assert index.pipeline_body == queries.search_pipeline_body("rrf", settings.keyword_weight, 30)
    (conn,) = index._client.transport.connection_pool.connections
    assert conn.host == "https://search.internal:9200"
    assert conn.headers["authorization"].startswith("Basic ")


def test_from_settings_without_url_explains_what_is_missing():
    with pytest.raises(ValueError, match="SANGDAM_OPENSEARCH_URL"):
        OpenSearchIndex.from_settings(Settings(opensearch_url=None), embedder_name="e", dim=8)


def test_alias_must_be_lowercase(cluster):
    with pytest.raises(ValueError):
        OpenSearchIndex(cluster.client(), "Sangdam", embedder_name=EMBEDDER, dim=DIM)


def test_the_term_suggester_request_and_its_corrections():
    from backend.search.opensearch.queries import corrections_from, suggest_body

    body = suggest_body(["임데료", "셋탑박스"])
    assert body["size"] == 0
    term = body["suggest"]["w0"]["term"]
    assert body["suggest"]["w0"]["text"] == "임데료" and term["field"] == "text"
    assert term["suggest_mode"] == "missing" and term["max_edits"] == 1 and term["sort"] == "frequency"
    response = {"suggest": {
        "w0": [{"text": "임데료", "offset": 0, "length": 3, "options": [{"text": "임대료", "score": 0.67, "freq": 12}]}],
        # the analyzer split the word: no guess
        "w1": [{"text": "셋", "options": []}, {"text": "탑박스", "options": [{"text": "박스", "freq": 3}]}],
    }}
    assert corrections_from(["임데료", "셋탑박스"], response) == {"임데료": "임대료"}
    assert corrections_from(["임데료"], {}) == {}


def test_known_terms_ask_the_text_field_for_a_morpheme_and_the_bigram_field_for_a_bigram():
    from backend.search.opensearch.queries import known_terms_body, known_terms_from
    from backend.text.analyzer import BIGRAM_PREFIX

    terms = ["다이아몬드", f"{BIGRAM_PREFIX}몬드"]
    body = known_terms_body(terms)
    assert body["size"] == 0
    assert body["aggs"]["known"]["filters"]["filters"] == {
        "t0": {"match": {"text": {"query": "다이아몬드", "operator": "and"}}},
        "t1": {"term": {"text.bigram": "몬드"}},
    }
    response = {"aggregations": {"known": {"buckets": {"t0": {"doc_count": 0}, "t1": {"doc_count": 3}}}}}
    assert known_terms_from(terms, response) == {f"{BIGRAM_PREFIX}몬드"}
    assert known_terms_from(terms, {}) == set()


def test_an_acronym_spelled_by_its_letters_names_asks_which_form_the_manuals_hold():
    from backend.search.opensearch.queries import corrections_from, suggest_body

    body = suggest_body(["임데료", "에이아이"])
    filters = body["aggs"]["latin"]["filters"]["filters"]
    assert set(filters) == {"w1", "l1"} and filters["l1"] == {"term": {"text": "ai"}}
    held = {"aggregations": {"latin": {"buckets": {"w1": {"doc_count": 0}, "l1": {"doc_count": 4}}}}}
    assert corrections_from(["임데료", "에이아이"], held) == {"에이아이": "AI"}
    as_typed = {"aggregations": {"latin": {"buckets": {"w1": {"doc_count": 2}, "l1": {"doc_count": 4}}}}}
    assert corrections_from(["에이아이"], as_typed) == {}
    assert "aggs" not in suggest_body(["임데료"])
