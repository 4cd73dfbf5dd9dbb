"""Search, write and paging request bodies of the OpenSearch backend, as pure functions (checked by unit
tests without a cluster). Index settings and names are in `mappings`."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from backend.models import Chunk, SearchFilters, normalize_breadcrumb
from backend.search.opensearch.mappings import BIGRAM_FIELD, VECTOR_FIELD
from backend.text import analyzer
from backend.text.spelling import latin_reading


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
                {"match": {BIGRAM_FIELD: {"query": query, "boost": analyzer.BIGRAM_BOOST}}},
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


def suggest_body(words: Sequence[str]) -> dict[str, Any]:
    """A term-suggester request: for each word, indexed terms one edit away, only for words the index lacks
    (`suggest_mode: missing`), the most frequent first; and for each word that spells Latin letters by their
    Korean names (`spelling.latin_reading`), the number of chunks holding the word and its letters."""
    body: dict[str, Any] = {
        "size": 0,
        "suggest": {
            f"w{i}": {"text": word, "term": {"field": "text", "suggest_mode": "missing", "max_edits": 1,
                                               "min_word_length": 2, "prefix_length": 0, "sort": "frequency"}}
            for i, word in enumerate(words)
        },
    }
    readings = {i: letters for i, word in enumerate(words) if (letters := latin_reading(word)) is not None}
    if readings:
        filters = {}
        for i, letters in readings.items():
            filters[f"w{i}"] = {"match": {"text": {"query": words[i], "operator": "and"}}}
            filters[f"l{i}"] = {"term": {"text": letters}}
        body["aggs"] = {"latin": {"filters": {"filters": filters}}}
    return body


def known_terms_body(terms: Sequence[str]) -> dict[str, Any]:
    """How many chunks hold each of the keyword analyzer's `terms`: a character bigram (`BIGRAM_PREFIX`)
    as a token of the bigram field, a morpheme as the analysed words of the text field (nori may cut it
    into several tokens: all of them)."""
    filters = {}
    for i, term in enumerate(terms):
        if analyzer.is_bigram(term):
            filters[f"t{i}"] = {"term": {BIGRAM_FIELD: term.removeprefix(analyzer.BIGRAM_PREFIX)}}
        else:
            filters[f"t{i}"] = {"match": {"text": {"query": term, "operator": "and"}}}
    return {"size": 0, "aggs": {"known": {"filters": {"filters": filters}}}}


def known_terms_from(terms: Sequence[str], response: Mapping[str, Any]) -> set[str]:
    """The `terms` of a `known_terms_body` request that some chunk holds."""
    buckets = ((response.get("aggregations") or {}).get("known") or {}).get("buckets") or {}
    return {t for i, t in enumerate(terms) if (buckets.get(f"t{i}") or {}).get("doc_count")}


def corrections_from(words: Sequence[str], response: Mapping[str, Any]) -> dict[str, str]:
    """word -> correction from a `suggest_body` response: only where the analyzer kept the word whole (one
    token, the word itself) and a suggestion exists; a word split into several tokens is left alone."""
    out = {}
    counts = ((response.get("aggregations") or {}).get("latin") or {}).get("buckets") or {}
    for i, word in enumerate(words):
        letters = latin_reading(word)
        if letters is not None and not counts.get(f"w{i}", {}).get("doc_count") and counts.get(f"l{i}", {}).get("doc_count"):
            out[word] = letters.upper()  # an acronym by its letters' names: no manual has the word, one has the letters
            continue
        entries = (response.get("suggest") or {}).get(f"w{i}") or []
        if len(entries) == 1 and entries[0].get("text") == word and entries[0].get("options"):
            out[word] = str(entries[0]["options"][0]["text"])
    return out
