"""`OpenSearchFeedbackStore`: ratings as documents of one index (id = feedback_id, so a re-save replaces)."""

from __future__ import annotations

from typing import Any

from opensearchpy import NotFoundError

from backend.feedback.base import FeedbackRecord

# Strings the admin filters and sorts on are keywords; the free text is text; the rest is kept in _source.
MAPPING: dict[str, Any] = {
    "dynamic": False,
    "properties": {
        "feedback_id": {"type": "keyword"},
        "created_at": {"type": "date"},
        "rating": {"type": "byte"},
        "mode": {"type": "keyword"},
        "model": {"type": "keyword"},
        "reason": {"type": "keyword"},
        "agent_id": {"type": "keyword"},
        "category": {"type": "keyword"},
        "cited_pages": {"type": "keyword"},
        "cited_chunk_ids": {"type": "keyword"},
        "question": {"type": "text"},
        "answer": {"type": "text"},
        "comment": {"type": "text"},
    },
}
PAGE_SIZE = 1000


class OpenSearchFeedbackStore:
    def __init__(self, client: Any, index: str) -> None:
        self.client = client
        self.index = index
        self._ready = False

    def _ensure_index(self) -> None:
        if self._ready:
            return
        if not self.client.indices.exists(index=self.index):
            try:
                self.client.indices.create(index=self.index, body={"settings": {"index": {"number_of_shards": 1}}, "mappings": MAPPING})
            except Exception as exc:  # created meanwhile by another process
                if "resource_already_exists" not in str(exc):
                    raise
        self._ready = True

    def save(self, record: FeedbackRecord) -> None:
        self._ensure_index()
        # refresh=wait_for: the admin page sees the rating on its next read.
        self.client.index(index=self.index, id=record.feedback_id, body=record.to_dict(), refresh="wait_for")

    def get(self, feedback_id: str) -> FeedbackRecord | None:
        self._ensure_index()
        try:
            doc = self.client.get(index=self.index, id=feedback_id)
        except NotFoundError:
            return None
        return FeedbackRecord.from_dict(doc["_source"])

    def _query(self, since: str | None, rating: int | None) -> dict[str, Any]:
        clauses: list[dict[str, Any]] = []
        if since is not None:
            clauses.append({"range": {"created_at": {"gte": since}}})
        if rating is not None:
            clauses.append({"term": {"rating": int(rating)}})
        return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}

    def list(self, *, since: str | None = None, rating: int | None = None, limit: int | None = None) -> list[FeedbackRecord]:
        self._ensure_index()
        out: list[FeedbackRecord] = []
        search_after = None
        while limit is None or len(out) < limit:
            size = PAGE_SIZE if limit is None else min(PAGE_SIZE, limit - len(out))
            body: dict[str, Any] = {
                "size": size,
                "query": self._query(since, rating),
                "sort": [{"created_at": "desc"}, {"feedback_id": "desc"}],
            }
            if search_after is not None:
                body["search_after"] = search_after
            hits = self.client.search(index=self.index, body=body)["hits"]["hits"]
            out.extend(FeedbackRecord.from_dict(h["_source"]) for h in hits)
            if len(hits) < size:
                break
            search_after = hits[-1]["sort"]
        return out

    def count(self) -> int:
        self._ensure_index()
        return int(self.client.count(index=self.index)["count"])
