"""Request bodies of the OpenSearch backend, as pure functions (checked by unit tests without a cluster).

Target versions: OpenSearch 2.19+ and 3.x with the `analysis-nori`, k-NN and neural-search plugins
(the last two ship with the official distribution). References, all on docs.opensearch.org:
- mappings/supported-field-types/knn-methods-engines, knn-spaces; vector-search/filter-search-knn
- query-dsl/compound/hybrid; vector-search/ai-search/hybrid-search/pagination (pagination_depth, 2.19)
- search-plugins/search-pipelines/normalization-processor, score-ranker-processor (RRF, 2.19)
- api-reference/index-apis/alias, api-reference/document-apis/reindex
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

import numpy as np

from backend.models import Chunk, SearchFilters, normalize_breadcrumb
from backend.search import korean

SCHEMA_VERSION = 2
META_KEY = "sangdam"
VECTOR_FIELD = "vector"
ANALYZER = "sangdam_korean"
TOKENIZER = "sangdam_nori_tokenizer"
POS_FILTER = "sangdam_nori_pos"
BIGRAM_ANALYZER = "sangdam_bigram"
BIGRAM_TOKENIZER = "sangdam_bigram_tokenizer"
BIGRAM_FIELD = "text.bigram"
LOCK_DOC_ID = "writer"

# `mixed` keeps the compound and adds its parts ("기가인터넷" -> 기가인터넷, 기가, 인터넷), so a query typed
# with either spacing ("기가인터넷" / "기가 인터넷") matches, and the exact compound still scores higher.
# `discard` (the default) would lose that boost; `none` would miss the spaced form entirely.
DECOMPOUND_MODE = "mixed"

# Part-of-speech tags removed from the token stream (both at index and at query time).
# Kept on purpose, unlike Lucene's default list: XPN/XSN (prefixes and noun suffixes carry meaning in
# telecom terms: 재가입, 미납, 비회원, 요금제, 신청서) and MAG (general adverbs include the negations 안/못).
_STOPTAGS_COMMON = (
    "IC",  # interjections
    "MM",  # determiners (이, 그, 각, 모든)
    "MAJ",  # conjunctive adverbs (그리고, 또는)
    "VCP",  # copula 이(다)
    "VCN",  # negative copula 아니(다)
    "XSV",  # verb-forming suffix 하/되 (가입 + 하 + 다)
    "XSA",  # adjective-forming suffix
    "SP", "SSC", "SSO", "SC", "SE", "SF",  # spaces, brackets, separators, ellipses, terminal punctuation
    "UNA", "NA", "VSV",  # unanalysable / unknown
)
# Lucene 10 (OpenSearch 3.x) replaced the generic particle/ending tags J and E by the detailed
# Sejong tags, and rejects the old names when the index is created (apache/lucene#11778).
_STOPTAGS_PARTICLES_ENDINGS_LUCENE10 = (
    "JKS", "JKC", "JKG", "JKO", "JKB", "JKV", "JKQ", "JX", "JC",  # particles (조사)
    "EP", "EF", "EC", "ETN", "ETM",  # endings (어미)
)
_STOPTAGS_PARTICLES_ENDINGS_LUCENE9 = ("J", "E")


def nori_stoptags(lucene_major: int) -> list[str]:
    """The `nori_part_of_speech` stop tags for a cluster whose Lucene has this major version."""
    specific = _STOPTAGS_PARTICLES_ENDINGS_LUCENE10 if lucene_major >= 10 else _STOPTAGS_PARTICLES_ENDINGS_LUCENE9
    return [*specific, *_STOPTAGS_COMMON]


def analysis_settings(stoptags: Sequence[str], user_dictionary_rules: Sequence[str] = ()) -> dict[str, Any]:
    """The `index.analysis` block: nori tokenizer -> part-of-speech stop filter -> reading form -> lowercase,
    and the character-bigram analyzer of `text.bigram` (the embedded index's bigram field, see
    `backend.search.korean`: bigrams inside runs of letters and digits, lower-cased).

    `user_dictionary_rules` are nori user-dictionary lines ("기가인터넷 기가 인터넷") for domain terms
    that mecab-ko-dic segments badly.
    """
    tokenizer: dict[str, Any] = {
        "type": "nori_tokenizer",
        "decompound_mode": DECOMPOUND_MODE,
        "discard_punctuation": True,
    }
    if user_dictionary_rules:
        tokenizer["user_dictionary_rules"] = list(user_dictionary_rules)
    bigram_tokenizer = {"type": "ngram", "min_gram": 2, "max_gram": 2, "token_chars": ["letter", "digit"]}
    return {
        "tokenizer": {TOKENIZER: tokenizer, BIGRAM_TOKENIZER: bigram_tokenizer},
        "filter": {POS_FILTER: {"type": "nori_part_of_speech", "stoptags": list(stoptags)}},
        "analyzer": {
            ANALYZER: {
                "type": "custom",
                "tokenizer": TOKENIZER,
                # nori_readingform turns hanja into hangul (契約 -> 계약); lowercase folds Latin terms (5G, IPTV).
                "filter": [POS_FILTER, "nori_readingform", "lowercase"],
            },
            BIGRAM_ANALYZER: {"type": "custom", "tokenizer": BIGRAM_TOKENIZER, "filter": ["lowercase"]},
        },
    }


def similarity_settings() -> dict[str, Any]:
    """BM25 with the embedded index's k1/b as the index's default similarity (every text field)."""
    return {"default": {"type": "BM25", "k1": korean.BM25_K1, "b": korean.BM25_B}}


def vector_mapping(dim: int, *, m: int = 16, ef_construction: int = 128) -> dict[str, Any]:
    """The `knn_vector` field: HNSW on the Lucene engine with the inner-product space.

    Why this method:
    - Engine `lucene`: its efficient k-NN filtering (a `filter` inside the `knn` clause) picks exact
      search when few documents pass the filter and filtered HNSW otherwise, so k hits come back
      whenever k chunks match — the protocol's "filters before ranking" rule. A manuals corpus
      (10^3–10^5 chunks) is well inside what it serves, with no native-memory circuit breaker to size
      (Faiss would be the choice past millions of vectors; nmslib is deprecated).
    - Space `innerproduct` (Lucene 2.13+) on L2-normalised vectors ranks exactly like cosine. Its score
      is 1 + cos for cos >= 0, an affine map of cosine, so min-max normalisation gives the same values as
      the embedded backend's cosine. Unlike `cosinesimil` it accepts a zero vector (an empty query or an
      empty chunk) instead of rejecting the request.
    - `m` 16 / `ef_construction` 128: the defaults' recall at this size, a little more graph effort.
      `ef_search` is not set: the Lucene engine ignores it and searches with ef = k, and k here is the
      candidate depth (100 by default).
    """
    return {
        "type": "knn_vector",
        "dimension": dim,
        "method": {
            "name": "hnsw",
            "engine": "lucene",
            "space_type": "innerproduct",
            "parameters": {"m": m, "ef_construction": ef_construction},
        },
    }


def index_meta(embedder_name: str, dim: int, stoptags: Sequence[str], user_dictionary_rules: Sequence[str] = ()) -> dict:
    """What the mapping's `_meta` records, to detect an index built with another embedder or analyzer."""
    return {
        META_KEY: {
            "schema": SCHEMA_VERSION,
            "embedder": embedder_name,
            "dim": dim,
            "analysis": {
                "analyzer": ANALYZER,
                "decompound_mode": DECOMPOUND_MODE,
                "stoptags": list(stoptags),
                "user_dictionary_rules": list(user_dictionary_rules),
                "bigram_boost": korean.BIGRAM_BOOST,
                "bm25": {"k1": korean.BM25_K1, "b": korean.BM25_B},
            },
        }
    }


def index_body(
    embedder_name: str,
    dim: int,
    stoptags: Sequence[str],
    *,
    user_dictionary_rules: Sequence[str] = (),
    m: int = 16,
    ef_construction: int = 128,
) -> dict[str, Any]:
    """Settings and mappings of one physical index.

    One shard: BM25 statistics and the k-NN `k` are per shard, so one shard keeps scoring identical to
    the embedded backend and a manuals corpus is far below a shard's comfortable size. Replicas are
    left to the cluster default. `dynamic: false` keeps an unknown field (a newer `Chunk`) in `_source`
    without indexing it, instead of failing the bulk request.
    """
    keyword = {"type": "keyword"}
    text_with_keyword = {
        "type": "text",
        "analyzer": ANALYZER,
        "fields": {"keyword": {"type": "keyword", "ignore_above": 512}},
    }
    return {
        "settings": {
            "index": {"knn": True, "number_of_shards": 1, "similarity": similarity_settings()},
            "analysis": analysis_settings(stoptags, user_dictionary_rules),
        },
        "mappings": {
            "dynamic": False,
            "_meta": index_meta(embedder_name, dim, stoptags, user_dictionary_rules),
            "properties": {
                "chunk_id": keyword,
                "doc_id": keyword,
                "chunk_no": {"type": "integer"},
                "page": keyword,
                "kind": keyword,
                "manual_id": keyword,
                # ISO yyyy-mm-dd sorts and ranges correctly as a keyword, and a malformed date in one
                # manual cannot fail the whole document as a `date` field would.
                "revision_date": keyword,
                "page_hash": keyword,
                "breadcrumb": keyword,
                "breadcrumb_prefixes": keyword,
                "marked_old": {"type": "boolean"},
                "superseded": {"type": "boolean"},
                "faq": {"type": "boolean"},
                "title": text_with_keyword,
                "section": text_with_keyword,
                "text": {
                    "type": "text",
                    "analyzer": ANALYZER,
                    "fields": {"bigram": {"type": "text", "analyzer": BIGRAM_ANALYZER}},
                },
                # Stored for display only.
                "table": {"type": "object", "enabled": False},
                "attachments": {"type": "object", "enabled": False},
                VECTOR_FIELD: vector_mapping(dim, m=m, ef_construction=ef_construction),
            },
        },
    }


def lock_index_body() -> dict[str, Any]:
    """The small index holding the single writer lock document."""
    return {
        "settings": {"index": {"number_of_shards": 1, "auto_expand_replicas": "0-1"}},
        "mappings": {
            "dynamic": False,
            "properties": {
                "owner": {"type": "keyword"},
                "host": {"type": "keyword"},
                "pid": {"type": "integer"},
                "acquired_at": {"type": "double"},
                "heartbeat_at": {"type": "double"},
            },
        },
    }


def search_pipeline_body(fusion: str, keyword_weight: float, rrf_rank_constant: int) -> dict[str, Any]:
    """The search pipeline fusing the hybrid query's two sub-queries (keyword first, vector second)."""
    if fusion == "minmax":
        # The processor requires weights summing to 1.0; rounding keeps 0.7 / 0.3 from becoming 0.30000000000000004.
        weight = round(float(keyword_weight), 6)
        return {
            "description": "sangdam hybrid: min-max normalisation, weighted arithmetic mean (keyword, vector)",
            "phase_results_processors": [
                {
                    "normalization-processor": {
                        "normalization": {"technique": "min_max"},
                        "combination": {
                            "technique": "arithmetic_mean",
                            "parameters": {"weights": [weight, round(1.0 - weight, 6)]},
                        },
                    }
                }
            ],
        }
    if fusion == "rrf":
        return {
            "description": "sangdam hybrid: reciprocal rank fusion (keyword, vector)",
            "phase_results_processors": [
                {"score-ranker-processor": {"combination": {"technique": "rrf", "rank_constant": int(rrf_rank_constant)}}}
            ],
        }
    raise ValueError(f"unknown fusion {fusion!r} (expected 'minmax' or 'rrf')")


def search_pipeline_id(alias: str, body: Mapping[str, Any]) -> str:
    """A pipeline id that changes with its body, so processes with different weights never overwrite each other."""
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode("utf-8")).hexdigest()[:10]
    return f"{alias}-hybrid-{digest}"


def filter_clauses(filters: SearchFilters | None) -> list[dict[str, Any]]:
    """`SearchFilters` as term filters, with exactly the semantics of `SearchFilters.matches`."""
    if filters is None:
        return []
    clauses: list[dict[str, Any]] = []
    if filters.kind is not None:
        clauses.append({"term": {"kind": filters.kind}})
    if filters.current_only:
        clauses.append({"term": {"superseded": False}})
    if filters.breadcrumb_prefix:
        clauses.append({"term": {"breadcrumb_prefixes": normalize_breadcrumb(filters.breadcrumb_prefix)}})
    return clauses


def hybrid_query_body(
    query: str,
    vector: Sequence[float],
    *,
    k: int,
    candidate_depth: int,
    filters: SearchFilters | None = None,
) -> dict[str, Any]:
    """The hybrid search request: BM25 on `text` and k-NN on `vector`, both restricted by the same filters.

    The keyword sub-query sums BM25 on the morpheme field `text` and, boosted by `BIGRAM_BOOST`, on
    `text.bigram`: the embedded index's two-field score.

    `pagination_depth` (2.19+) makes each sub-query contribute its top `candidate_depth` hits per shard to
    the fusion; without it every sub-query is cut to `size` before fusion. The filters sit inside each
    sub-query (the knn one as an efficient pre-filter), so filtering happens before ranking.
    """
    depth = max(int(candidate_depth), int(k))
    clauses = filter_clauses(filters)
    keyword_query: dict[str, Any] = {
        "bool": {
            "should": [
                {"match": {"text": {"query": query}}},
                {"match": {BIGRAM_FIELD: {"query": query, "boost": korean.BIGRAM_BOOST}}},
            ],
            "minimum_should_match": 1,
        }
    }
    if clauses:
        keyword_query["bool"]["filter"] = clauses
    knn: dict[str, Any] = {"vector": [float(x) for x in vector], "k": depth}
    if clauses:
        knn["filter"] = {"bool": {"filter": clauses}}
    return {
        "size": int(k),
        "_source": {"excludes": [VECTOR_FIELD]},
        "query": {
            "hybrid": {
                "pagination_depth": depth,
                "queries": [keyword_query, {"knn": {VECTOR_FIELD: knn}}],
            }
        },
    }


def chunk_document(chunk: Chunk, vector: Iterable[float]) -> dict[str, Any]:
    """The OpenSearch document of a chunk: `Chunk.to_dict()` plus the prefix list and the vector."""
    doc = chunk.to_dict()
    doc["breadcrumb_prefixes"] = chunk.breadcrumb_prefixes
    doc[VECTOR_FIELD] = [float(x) for x in vector]
    return doc


def bulk_index_actions(index: str, chunks: Sequence[Chunk], vectors: np.ndarray) -> Iterator[dict[str, Any]]:
    """`helpers.bulk` index actions: one per chunk, `_id` = chunk_id, into `index`."""
    for chunk, vector in zip(chunks, vectors):
        yield {"_op_type": "index", "_index": index, "_id": chunk.chunk_id, "_source": chunk_document(chunk, vector)}


def bulk_delete_actions(index: str, chunk_ids: Iterable[str]) -> Iterator[dict[str, Any]]:
    """`helpers.bulk` delete actions (a 404 on a delete is not an error)."""
    for chunk_id in sorted(chunk_ids):
        yield {"_op_type": "delete", "_index": index, "_id": chunk_id}


def doc_query(doc_id: str) -> dict[str, Any]:
    """All chunks of one document (for delete_by_query)."""
    return {"query": {"term": {"doc_id": doc_id}}}


def set_superseded_body(doc_id: str, superseded: bool) -> dict[str, Any]:
    """update_by_query body: set `superseded` on every chunk of the document (only that field)."""
    return {
        "query": {"term": {"doc_id": doc_id}},
        "script": {
            "lang": "painless",
            "source": (
                "if (ctx._source.superseded == params.superseded) { ctx.op = 'noop' } "
                "else { ctx._source.superseded = params.superseded }"
            ),
            "params": {"superseded": bool(superseded)},
        },
    }


def reindex_body(source_index: str, dest_index: str) -> dict[str, Any]:
    """`_reindex` body copying the live physical index into the new one (vectors come from `_source`)."""
    return {"source": {"index": source_index}, "dest": {"index": dest_index}}


def alias_swap_actions(alias: str, new_index: str, old_index: str | None) -> dict[str, Any]:
    """One `_aliases` request moving the alias from the old physical index to the new one, atomically.

    `must_exist` on the remove makes the whole request fail (and nothing change) if someone else moved
    the alias meanwhile, instead of leaving it on two indexes.
    """
    actions: list[dict[str, Any]] = []
    if old_index is not None:
        actions.append({"remove": {"index": old_index, "alias": alias, "must_exist": True}})
    actions.append({"add": {"index": new_index, "alias": alias}})
    return {"actions": actions}


def physical_index_name(alias: str, now: datetime | None = None, suffix: str | None = None) -> str:
    """`{alias}-{UTC timestamp to the microsecond}-{short random}`, e.g. sangdam-manuals-20250301091500123456-a1b2c3.

    Names sort in creation order (old indexes are pruned by that order), even for two builds within one second.
    Index names must be lowercase.
    """
    now = now or datetime.now(timezone.utc)
    return f"{alias}-{now.astimezone(timezone.utc):%Y%m%d%H%M%S%f}-{suffix or secrets.token_hex(3)}"


def physical_index_pattern(alias: str) -> re.Pattern[str]:
    """Matches the physical index names `physical_index_name` makes for this alias (never the lock index)."""
    return re.compile(rf"^{re.escape(alias)}-\d{{20}}-[0-9a-f]{{6}}$")


def lock_index_name(alias: str) -> str:
    """The index holding the writer lock of this alias."""
    return f"{alias}-lock"


DOCINFO_FIELDS = ["doc_id", "page", "page_hash", "manual_id", "revision_date", "marked_old", "superseded"]


def first_chunks_page_body(size: int, search_after: list | None = None) -> dict[str, Any]:
    """One page of every document's chunk 0 (the page-level fields), in doc_id order."""
    body: dict[str, Any] = {
        "size": size,
        "query": {"term": {"chunk_no": 0}},
        "sort": [{"doc_id": "asc"}],
        "_source": {"includes": DOCINFO_FIELDS},
    }
    if search_after:
        body["search_after"] = search_after
    return body


def chunk_counts_body(size: int, after_key: dict | None = None) -> dict[str, Any]:
    """One page of a composite aggregation counting the chunks of each doc_id."""
    composite: dict[str, Any] = {"size": size, "sources": [{"doc_id": {"terms": {"field": "doc_id"}}}]}
    if after_key:
        composite["after"] = after_key
    return {"size": 0, "aggs": {"per_doc": {"composite": composite}}}


def doc_chunks_page_body(doc_id: str, size: int, search_after: list | None = None) -> dict[str, Any]:
    """One page of a document's chunks, by chunk_no."""
    body: dict[str, Any] = {
        "size": size,
        "query": {"term": {"doc_id": doc_id}},
        "sort": [{"chunk_no": "asc"}],
        "_source": {"excludes": [VECTOR_FIELD]},
    }
    if search_after:
        body["search_after"] = search_after
    return body


def stats_body() -> dict[str, Any]:
    """Counts for `IndexStats` in one request: all chunks (total hits), pages, table chunks, superseded pages."""
    first_chunk = {"term": {"chunk_no": 0}}
    return {
        "size": 0,
        "track_total_hits": True,
        "aggs": {
            "documents": {"filter": first_chunk},
            "table_chunks": {"filter": {"term": {"kind": "table"}}},
            "superseded_documents": {"filter": {"bool": {"filter": [first_chunk, {"term": {"superseded": True}}]}}},
        },
    }
