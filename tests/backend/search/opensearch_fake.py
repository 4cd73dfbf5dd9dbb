"""A recording stand-in for OpenSearch's REST layer, plugged under the real `opensearchpy.OpenSearch`
client as its connection class: the client builds real paths, query strings and JSON (or NDJSON) bodies,
and this records them and answers with responses shaped like OpenSearch's own (see the API reference
pages on docs.opensearch.org: index APIs, _bulk, _reindex, _aliases, by-query APIs, search pipelines).

It keeps just enough state to exercise the writer: indexes, aliases, documents with `_seq_no`, and
refresh visibility (by-query operations see only documents present at the last refresh, as in OpenSearch).
Searches run a tiny evaluator for the term/bool/sort/search_after/composite bodies the backend sends;
hybrid queries are answered from `queue_search`.
"""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import unquote

from opensearchpy import Connection, OpenSearch


@dataclass
class Request:
    method: str
    path: str
    params: dict[str, str]
    body: Any  # parsed JSON, or a list of parsed NDJSON lines for _bulk


@dataclass
class FakeIndex:
    body: dict[str, Any]
    docs: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> {"source", "seq_no"}
    visible: dict[str, int] = field(default_factory=dict)  # id -> seq_no as of the last refresh


class _Fail:
    def __init__(self, status: int, error_type: str, reason: str, times: int, apply_first: bool) -> None:
        self.status, self.error_type, self.reason, self.times, self.apply_first = status, error_type, reason, times, apply_first


def _error(status: int, error_type: str, reason: str) -> tuple[int, dict]:
    return status, {"error": {"root_cause": [{"type": error_type, "reason": reason}], "type": error_type, "reason": reason}, "status": status}


def _get_field(source: dict, name: str) -> Any:
    return source.get(name)


def _term_matches(value: Any, expected: Any) -> bool:
    if isinstance(value, list):
        return expected in value
    return value == expected


def evaluate(query: dict | None, source: dict) -> bool:
    """The subset of the query DSL the backend's filters and paging bodies use."""
    if not query or "match_all" in query:
        return True
    if "term" in query:
        (name, expected), = query["term"].items()
        if isinstance(expected, dict):
            expected = expected["value"]
        return _term_matches(_get_field(source, name), expected)
    if "bool" in query:
        b = query["bool"]
        musts = list(b.get("must", [])) + list(b.get("filter", []))
        return all(evaluate(q, source) for q in musts) and not any(evaluate(q, source) for q in b.get("must_not", []))
    raise AssertionError(f"fake cluster cannot evaluate {query}")


class FakeCluster:
    """State and request log of one fake cluster."""

    def __init__(self, *, number: str = "3.6.0", lucene_version: str | None = "10.3.2", rejects_tags: tuple[str, ...] | None = None) -> None:
        self.number = number
        self.lucene_version = lucene_version
        # Stop tags this cluster's nori rejects; by default what the reported Lucene version rejects.
        if rejects_tags is None:
            major = int((lucene_version or "10").split(".")[0])
            rejects_tags = ("E", "J") if major >= 10 else ("JKS", "JKO", "EP", "EF", "EC", "ETN", "ETM", "JX", "JC", "JKB", "JKC", "JKG", "JKV", "JKQ")
        self.rejects_tags = set(rejects_tags)
        self.requests: list[Request] = []
        self.indices: dict[str, FakeIndex] = {}
        self.aliases: dict[str, str] = {}
        self.pipelines: dict[str, dict] = {}
        self.search_queue: list[dict] = []
        self.bulk_item_errors: dict[str, tuple[int, str, str]] = {}
        self.reindex_failures: list[dict] = []
        self._fails: list[tuple[str, re.Pattern[str], _Fail]] = []
        self._seq = 0

    # --- test helpers ---

    def client(self) -> OpenSearch:
        """A real client whose transport talks to this fake."""
        return OpenSearch(hosts=[{"host": "fake-cluster", "port": 9200}], connection_class=FakeConnection, cluster=self, max_retries=0)

    def fail(self, method: str, path_regex: str, *, status: int = 500, error_type: str = "exception",
             reason: str = "injected failure", times: int = 1, apply_first: bool = False) -> None:
        """Make the next `times` matching requests fail (optionally after applying them)."""
        self._fails.append((method, re.compile(path_regex), _Fail(status, error_type, reason, times, apply_first)))

    def queue_search(self, response: dict) -> None:
        """The response of the next hybrid (or otherwise unevaluated) search."""
        self.search_queue.append(response)

    def calls(self, method: str | None = None, path_regex: str | None = None) -> list[Request]:
        return [
            r for r in self.requests
            if (method is None or r.method == method) and (path_regex is None or re.search(path_regex, r.path))
        ]

    def add_index(self, name: str, body: dict, docs: dict[str, dict] | None = None, alias: str | None = None) -> None:
        """Put an index (refreshed) straight into the state."""
        index = FakeIndex(body=body)
        self.indices[name] = index
        for doc_id, source in (docs or {}).items():
            self._put_doc(index, doc_id, source)
        self._refresh(index)
        if alias:
            self.aliases[alias] = name

    def sources(self, index: str) -> dict[str, dict]:
        return {doc_id: d["source"] for doc_id, d in self.indices[index].docs.items()}

    # --- dispatch ---

    def handle(self, method: str, path: str, params: dict[str, str], body: Any) -> tuple[int, Any]:
        path = unquote(path)
        self.requests.append(Request(method, path, dict(params), body))
        for fail_method, pattern, fail in self._fails:
            if fail.times > 0 and fail_method == method and pattern.search(path):
                fail.times -= 1
                if fail.apply_first:
                    self._route(method, path, params, body)
                return _error(fail.status, fail.error_type, fail.reason)
        return self._route(method, path, params, body)

    def _route(self, method: str, path: str, params: dict[str, str], body: Any) -> tuple[int, Any]:
        routes: list[tuple[str, str, Callable[..., tuple[int, Any]]]] = [
            ("GET", r"^/$", self._info),
            ("POST", r"^/_bulk$", self._bulk),
            ("POST", r"^/_aliases$", self._update_aliases),
            ("POST", r"^/_reindex$", self._reindex),
            ("GET", r"^/_alias/(?P<name>[^/]+)$", self._get_alias_by_name),
            ("PUT", r"^/_search/pipeline/(?P<id>[^/]+)$", self._put_pipeline),
            ("GET", r"^/_search/pipeline/(?P<id>[^/]+)$", self._get_pipeline),
            ("GET", r"^/(?P<index>[^/_][^/]*)/_mapping$", self._get_mapping),
            ("GET", r"^/(?P<index>[^/_][^/]*)/_alias$", self._get_alias_by_index),
            ("POST", r"^/(?P<index>[^/_][^/]*)/_refresh$", self._refresh_route),
            ("POST", r"^/(?P<index>[^/_][^/]*)/_search$", self._search),
            ("POST", r"^/(?P<index>[^/_][^/]*)/_delete_by_query$", self._delete_by_query),
            ("POST", r"^/(?P<index>[^/_][^/]*)/_update_by_query$", self._update_by_query),
            ("PUT", r"^/(?P<index>[^/_][^/]*)/_create/(?P<id>[^/]+)$", self._create_doc),
            ("GET", r"^/(?P<index>[^/_][^/]*)/_doc/(?P<id>[^/]+)$", self._get_doc),
            ("PUT", r"^/(?P<index>[^/_][^/]*)/_doc/(?P<id>[^/]+)$", self._index_doc),
            ("DELETE", r"^/(?P<index>[^/_][^/]*)/_doc/(?P<id>[^/]+)$", self._delete_doc),
            ("HEAD", r"^/(?P<index>[^/_][^/]*)$", self._exists),
            ("PUT", r"^/(?P<index>[^/_][^/]*)$", self._create_index),
            ("DELETE", r"^/(?P<index>[^/_][^/]*)$", self._delete_index),
        ]
        for route_method, regex, handler in routes:
            m = re.match(regex, path)
            if route_method == method and m:
                return handler(params=params, body=body, **m.groupdict())
        raise AssertionError(f"fake cluster has no route for {method} {path}")

    # --- helpers ---

    def _resolve(self, name: str) -> list[str]:
        if name in self.aliases:
            return [self.aliases[name]]
        if name in self.indices:
            return [name]
        return []

    def _missing(self, name: str) -> tuple[int, dict]:
        return _error(404, "index_not_found_exception", f"no such index [{name}]")

    def _put_doc(self, index: FakeIndex, doc_id: str, source: dict) -> int:
        self._seq += 1
        index.docs[doc_id] = {"source": json.loads(json.dumps(source)), "seq_no": self._seq}
        return self._seq

    @staticmethod
    def _refresh(index: FakeIndex) -> None:
        index.visible = {doc_id: d["seq_no"] for doc_id, d in index.docs.items()}

    def _doc_meta(self, index: str, doc_id: str, seq_no: int, result: str) -> dict:
        return {"_index": index, "_id": doc_id, "_version": 1, "result": result, "_seq_no": seq_no,
                "_primary_term": 1, "_shards": {"total": 1, "successful": 1, "failed": 0}}

    # --- handlers ---

    def _info(self, params, body):
        version = {"distribution": "opensearch", "number": self.number}
        if self.lucene_version:
            version["lucene_version"] = self.lucene_version
        return 200, {"name": "fake-node", "cluster_name": "fake", "version": version, "tagline": "The OpenSearch Project: https://opensearch.org/"}

    def _exists(self, params, body, index):
        return (200, {}) if self._resolve(index) else (404, {})

    def _create_index(self, params, body, index):
        if index in self.indices or index in self.aliases:
            return _error(400, "resource_already_exists_exception", f"index [{index}] already exists")
        stoptags = []
        for f in (body or {}).get("settings", {}).get("analysis", {}).get("filter", {}).values():
            stoptags.extend(f.get("stoptags", []))
        bad = sorted(set(stoptags) & self.rejects_tags)
        if bad:
            return _error(400, "illegal_argument_exception", f"No enum constant org.apache.lucene.analysis.ko.POS.Tag.{bad[0]}")
        self.indices[index] = FakeIndex(body=body or {})
        return 200, {"acknowledged": True, "shards_acknowledged": True, "index": index}

    def _delete_index(self, params, body, index):
        if index not in self.indices:
            return self._missing(index)
        del self.indices[index]
        for alias in [a for a, i in self.aliases.items() if i == index]:
            del self.aliases[alias]
        return 200, {"acknowledged": True}

    def _get_mapping(self, params, body, index):
        names = self._resolve(index)
        if not names:
            return self._missing(index)
        return 200, {n: {"mappings": self.indices[n].body.get("mappings", {})} for n in names}

    def _get_alias_by_name(self, params, body, name):
        if name not in self.aliases:
            return 404, {"error": f"alias [{name}] missing", "status": 404}
        return 200, {self.aliases[name]: {"aliases": {name: {}}}}

    def _get_alias_by_index(self, params, body, index):
        out = {}
        for name in self.indices:
            if fnmatch.fnmatchcase(name, index):
                out[name] = {"aliases": {a: {} for a, i in self.aliases.items() if i == name}}
        return 200, out

    def _update_aliases(self, params, body, **_):
        actions = body["actions"]
        for action in actions:
            (kind, spec), = action.items()
            if kind == "remove" and spec.get("must_exist") and self.aliases.get(spec["alias"]) != spec["index"]:
                return _error(404, "aliases_not_found_exception", f"aliases [{spec['alias']}] missing")
            if kind == "add" and spec["index"] not in self.indices:
                return self._missing(spec["index"])
        for action in actions:
            (kind, spec), = action.items()
            if kind == "remove" and self.aliases.get(spec["alias"]) == spec["index"]:
                del self.aliases[spec["alias"]]
            elif kind == "add":
                self.aliases[spec["alias"]] = spec["index"]
        return 200, {"acknowledged": True}

    def _put_pipeline(self, params, body, id):
        self.pipelines[id] = body
        return 200, {"acknowledged": True}

    def _get_pipeline(self, params, body, id):
        if id not in self.pipelines:
            return 404, {}
        return 200, {id: self.pipelines[id]}

    def _refresh_route(self, params, body, index):
        names = self._resolve(index)
        if not names:
            return self._missing(index)
        for n in names:
            self._refresh(self.indices[n])
        return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}

    def _bulk(self, params, body, **_):
        items = []
        lines = list(body)
        i = 0
        while i < len(lines):
            (op, meta), = lines[i].items()
            index_name, doc_id = meta["_index"], meta["_id"]
            source = lines[i + 1] if op in ("index", "create") else None
            i += 2 if source is not None else 1
            index = self.indices.get(index_name)
            if doc_id in self.bulk_item_errors:
                status, etype, reason = self.bulk_item_errors[doc_id]
                items.append({op: {"_index": index_name, "_id": doc_id, "status": status, "error": {"type": etype, "reason": reason}}})
                continue
            if index is None:
                items.append({op: {"_index": index_name, "_id": doc_id, "status": 404, "error": {"type": "index_not_found_exception", "reason": "no such index"}}})
            elif op == "delete":
                if doc_id in index.docs:
                    del index.docs[doc_id]
                    items.append({op: {**self._doc_meta(index_name, doc_id, self._seq, "deleted"), "status": 200}})
                else:
                    items.append({op: {**self._doc_meta(index_name, doc_id, self._seq, "not_found"), "status": 404}})
            else:
                created = doc_id not in index.docs
                seq = self._put_doc(index, doc_id, source)
                items.append({op: {**self._doc_meta(index_name, doc_id, seq, "created" if created else "updated"), "status": 201 if created else 200}})
        errors = any(not 200 <= next(iter(it.values()))["status"] < 300 for it in items)
        return 200, {"took": 3, "errors": errors, "items": items}

    def _by_query_targets(self, index: FakeIndex, query: dict) -> list[str]:
        # Only what the last refresh made visible, at the version it had then (else a version conflict).
        return [doc_id for doc_id, seq in index.visible.items()
                if doc_id in index.docs and index.docs[doc_id]["seq_no"] == seq and evaluate(query, index.docs[doc_id]["source"])]

    def _delete_by_query(self, params, body, index):
        names = self._resolve(index)
        if not names:
            return self._missing(index)
        target = self.indices[names[0]]
        ids = self._by_query_targets(target, body.get("query"))
        for doc_id in ids:
            del target.docs[doc_id]
        if params.get("refresh") == "true":
            self._refresh(target)
        return 200, {"took": 2, "timed_out": False, "total": len(ids), "deleted": len(ids), "batches": 1,
                     "version_conflicts": 0, "noops": 0, "retries": {"bulk": 0, "search": 0}, "failures": []}

    def _update_by_query(self, params, body, index):
        names = self._resolve(index)
        if not names:
            return self._missing(index)
        target = self.indices[names[0]]
        script = body["script"]
        assert script["lang"] == "painless" and "ctx._source.superseded = params.superseded" in script["source"]
        value = script["params"]["superseded"]
        updated = noops = 0
        for doc_id in self._by_query_targets(target, body.get("query")):
            source = dict(target.docs[doc_id]["source"])
            if source.get("superseded") == value:
                noops += 1
                continue
            source["superseded"] = value
            self._put_doc(target, doc_id, source)
            updated += 1
        if params.get("refresh") == "true":
            self._refresh(target)
        return 200, {"took": 2, "timed_out": False, "total": updated + noops, "updated": updated, "noops": noops,
                     "batches": 1, "version_conflicts": 0, "retries": {"bulk": 0, "search": 0}, "failures": []}

    def _reindex(self, params, body, **_):
        source_names = self._resolve(body["source"]["index"])
        dest = self.indices.get(body["dest"]["index"])
        if not source_names or dest is None:
            return self._missing(body["source"]["index"])
        source = self.indices[source_names[0]]
        created = 0
        for doc_id in list(source.visible):
            if doc_id in source.docs:
                self._put_doc(dest, doc_id, source.docs[doc_id]["source"])
                created += 1
        if params.get("refresh") == "true":
            self._refresh(dest)
        return 200, {"took": 5, "timed_out": False, "total": created, "updated": 0, "created": created, "deleted": 0,
                     "batches": 1, "version_conflicts": 0, "noops": 0, "retries": {"bulk": 0, "search": 0},
                     "throttled_millis": 0, "requests_per_second": -1.0, "throttled_until_millis": 0,
                     "failures": list(self.reindex_failures)}

    def _search(self, params, body, index):
        names = self._resolve(index)
        if not names:
            return self._missing(index)
        if "hybrid" in (body.get("query") or {}):
            assert self.search_queue, "a hybrid search reached the fake cluster with no queued response"
            return 200, self.search_queue.pop(0)
        target = self.indices[names[0]]
        docs = [(doc_id, d["source"]) for doc_id, d in target.docs.items() if doc_id in target.visible]
        matched = [(doc_id, s) for doc_id, s in docs if evaluate(body.get("query"), s)]
        response: dict[str, Any] = {"took": 1, "timed_out": False, "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
                                    "hits": {"total": {"value": len(matched), "relation": "eq"}, "max_score": None, "hits": []}}
        if body.get("aggs"):
            response["aggregations"] = self._aggregations(body["aggs"], matched)
        sort = body.get("sort")
        if sort:
            (field_name, _order), = sort[0].items()
            matched.sort(key=lambda pair: pair[1].get(field_name))
            after = body.get("search_after")
            if after:
                matched = [p for p in matched if p[1].get(field_name) > after[0]]
        hits = []
        for doc_id, source in matched[: body.get("size", 10)]:
            shown = dict(source)
            spec = body.get("_source") or {}
            if "includes" in spec:
                shown = {k: v for k, v in shown.items() if k in spec["includes"]}
            for k in spec.get("excludes", []):
                shown.pop(k, None)
            hit = {"_index": names[0], "_id": doc_id, "_score": None, "_source": shown}
            if sort:
                hit["sort"] = [source.get(field_name)]
            hits.append(hit)
        response["hits"]["hits"] = hits
        return 200, response

    def _aggregations(self, aggs: dict, matched: list[tuple[str, dict]]) -> dict:
        out = {}
        for name, spec in aggs.items():
            if "filter" in spec:
                out[name] = {"doc_count": sum(1 for _, s in matched if evaluate(spec["filter"], s))}
            elif "composite" in spec:
                comp = spec["composite"]
                (source_name, terms), = comp["sources"][0].items()
                counts: dict[Any, int] = {}
                for _, s in matched:
                    key = s.get(terms["terms"]["field"])
                    counts[key] = counts.get(key, 0) + 1
                keys = sorted(counts)
                if comp.get("after"):
                    keys = [k for k in keys if k > comp["after"][source_name]]
                page = keys[: comp["size"]]
                out[name] = {"buckets": [{"key": {source_name: k}, "doc_count": counts[k]} for k in page]}
                if page:
                    out[name]["after_key"] = {source_name: page[-1]}
            else:
                raise AssertionError(f"fake cluster cannot aggregate {spec}")
        return out

    def _create_doc(self, params, body, index, id):
        target = self.indices.get(index)
        if target is None:
            return self._missing(index)
        if id in target.docs:
            return _error(409, "version_conflict_engine_exception", f"[{id}]: version conflict, document already exists")
        seq = self._put_doc(target, id, body)
        return 201, self._doc_meta(index, id, seq, "created")

    def _get_doc(self, params, body, index, id):
        target = self.indices.get(index)
        if target is None:
            return self._missing(index)
        if id not in target.docs:
            return 404, {"_index": index, "_id": id, "found": False}
        d = target.docs[id]
        return 200, {"_index": index, "_id": id, "_version": 1, "_seq_no": d["seq_no"], "_primary_term": 1, "found": True, "_source": d["source"]}

    def _check_version(self, target: FakeIndex, id: str, params: dict) -> tuple[int, dict] | None:
        if "if_seq_no" in params:
            if id not in target.docs or target.docs[id]["seq_no"] != int(params["if_seq_no"]) or params.get("if_primary_term") != "1":
                return _error(409, "version_conflict_engine_exception", f"[{id}]: version conflict, required seqNo [{params['if_seq_no']}]")
        return None

    def _index_doc(self, params, body, index, id):
        target = self.indices.get(index)
        if target is None:
            return self._missing(index)
        conflict = self._check_version(target, id, params)
        if conflict:
            return conflict
        created = id not in target.docs
        seq = self._put_doc(target, id, body)
        return (201 if created else 200), self._doc_meta(index, id, seq, "created" if created else "updated")

    def _delete_doc(self, params, body, index, id):
        target = self.indices.get(index)
        if target is None:
            return self._missing(index)
        if id not in target.docs:
            return 404, {**self._doc_meta(index, id, self._seq, "not_found")}
        conflict = self._check_version(target, id, params)
        if conflict:
            return conflict
        del target.docs[id]
        return 200, self._doc_meta(index, id, self._seq, "deleted")


class FakeConnection(Connection):
    """`opensearchpy.Connection` that hands each request to a `FakeCluster` instead of the network."""

    def __init__(self, cluster: FakeCluster | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        assert cluster is not None
        self.cluster = cluster

    def perform_request(self, method, url, params=None, body=None, timeout=None, ignore=(), headers=None):
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        if text is None or text == "":
            parsed = None
        elif url.endswith("/_bulk"):
            parsed = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            parsed = json.loads(text)
        query = {k: v.decode("utf-8") if isinstance(v, bytes) else str(v) for k, v in (params or {}).items()}
        status, payload = self.cluster.handle(method, url, query, parsed)
        raw = json.dumps(payload)
        if not (200 <= status < 300) and status not in ignore:
            self._raise_error(status, raw, "application/json")
        return status, {"content-type": "application/json"}, raw
