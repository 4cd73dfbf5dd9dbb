"""Index settings, mappings and names of the OpenSearch backend, as pure functions (checked by unit tests
without a cluster).

Target versions: OpenSearch 2.19+ and 3.x with the `analysis-nori`, k-NN and neural-search plugins
(the last two ship with the official distribution). References, all on docs.opensearch.org:
- mappings/supported-field-types/knn-methods-engines, knn-spaces; vector-search/filter-search-knn
- query-dsl/compound/hybrid; vector-search/ai-search/hybrid-search/pagination (pagination_depth, 2.19)
- search-plugins/search-pipelines/normalization-processor, score-ranker-processor (RRF, 2.19)
- api-reference/index-apis/alias, api-reference/document-apis/reindex
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

from backend.files import utc_now
from backend.text import analyzer

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
    `backend.text.analyzer`: bigrams inside runs of letters and digits, lower-cased).

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
    return {"default": {"type": "BM25", "k1": analyzer.BM25_K1, "b": analyzer.BM25_B}}


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
                "bigram_boost": analyzer.BIGRAM_BOOST,
                "bm25": {"k1": analyzer.BM25_K1, "b": analyzer.BM25_B},
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


def physical_index_name(alias: str, now: datetime | None = None, suffix: str | None = None) -> str:
    """`{alias}-{UTC timestamp to the microsecond}-{short random}`, e.g. sangdam-manuals-20250301091500123456-a1b2c3.

    Names sort in creation order (old indexes are pruned by that order), even for two builds within one second.
    Index names must be lowercase.
    """
    now = now or utc_now()
    return f"{alias}-{now.astimezone(timezone.utc):%Y%m%d%H%M%S%f}-{suffix or secrets.token_hex(3)}"


def physical_index_pattern(alias: str) -> re.Pattern[str]:
    """Matches the physical index names `physical_index_name` makes for this alias (never the lock index)."""
    return re.compile(rf"^{re.escape(alias)}-\d{{20}}-[0-9a-f]{{6}}$")


def lock_index_name(alias: str) -> str:
    """The index holding the writer lock of this alias."""
    return f"{alias}-lock"
