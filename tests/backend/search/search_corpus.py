"""Helpers of the search tests: chunk builders, a small Korean corpus, and `SearchBackend`, which opens
`SearchIndex` instances of one backend over one stored index."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from backend.config import Settings
from backend.models import AttachmentRef, Chunk, Kind
from backend.search.base import SearchIndex
from backend.search.factory import build_search_index
from tests.fakes import FakeEmbedder

OPENSEARCH_SKIP_REASON = "SANGDAM_OPENSEARCH_URL is not set: no OpenSearch cluster to run the contract against"


def make_chunks(
    doc_id: str,
    texts: Sequence[str],
    *,
    breadcrumb: tuple[str, ...] = ("인터넷",),
    kind: Kind = "text",
    superseded: bool = False,
    page_hash: str = "h1",
    title: str | None = None,
    **extra,
) -> list[Chunk]:
    """The chunks of one page, numbered from 0."""
    return [
        Chunk(
            chunk_id=f"{doc_id}#{i}",
            doc_id=doc_id,
            chunk_no=i,
            page=f"{doc_id}.html",
            title=title or doc_id,
            kind=kind,
            text=text,
            breadcrumb=breadcrumb,
            superseded=superseded,
            page_hash=page_hash,
            **extra,
        )
        for i, text in enumerate(texts)
    ]


def corpus() -> dict[str, list[Chunk]]:
    """A handful of manual pages: particles, spacing variants, look-alike categories, a table, an old page."""
    return {
        "internet/giga-cancel": make_chunks(
            "internet/giga-cancel",
            [
                "기가인터넷을 약정 기간 안에 해지하면 위약금이 발생합니다. 위약금은 남은 약정 개월 수로 계산합니다.",
                "군 입대나 해외 이주로 해지하는 경우 증빙 서류를 내면 위약금을 면제합니다.",
            ],
            breadcrumb=("인터넷", "기가인터넷"),
            manual_id="M-100",
            revision_date="2024-05-01",
        ),
        "internet/move": make_chunks(
            "internet/move",
            ["이사할 때 인터넷 이전 설치를 신청하면 설치비가 부과됩니다. 신청은 이사 3일 전까지 해야 합니다."],
            breadcrumb=("인터넷", "이전설치"),
        ),
        "phone/lost": make_chunks(
            "phone/lost",
            ["휴대폰을 분실하면 즉시 분실 신고를 하고 가까운 매장에서 USIM 재발급을 받으세요."],
            breadcrumb=("모바일", "분실"),
        ),
        "phone/plans": make_chunks(
            "phone/plans",
            ["요금제 5G 슬림의 월정액은 55,000원이고 데이터 10GB를 제공합니다."],
            breadcrumb=("모바일", "요금제"),
            kind="table",
            table={"caption": "5G 요금제", "header_rows": 1, "header_cols": 1, "rows": [["요금제", "월정액"], ["5G 슬림", "55,000원"]]},
            attachments=(AttachmentRef(name="요금표.pdf", path="files/요금표.pdf", media_type="application/pdf", size=1234),),
        ),
        "voip/fee": make_chunks(
            "voip/fee",
            ["인터넷전화 기본료는 월 1,100원이며 가입비는 없습니다."],
            breadcrumb=("인터넷전화",),
        ),
        "etc/inter": make_chunks(
            "etc/inter",
            ["인터 카테고리의 기타 안내 문서입니다."],
            breadcrumb=("인터", "기타"),
        ),
    }


def index_docs(index: SearchIndex, docs: Mapping[str, Sequence[Chunk]], embedder: FakeEmbedder, *, full: bool = True) -> None:
    """Put `docs` with one writer and commit."""
    with index.writer(full=full) as writer:
        for doc_id, chunks in docs.items():
            writer.put_document(doc_id, chunks, embedder.embed_passages([c.text for c in chunks]))
        writer.commit()


def ids(hits) -> list[str]:
    return [h.chunk.chunk_id for h in hits]


def doc_ids(hits) -> list[str]:
    return [h.chunk.doc_id for h in hits]


class SearchBackend:
    """Opens `SearchIndex` instances of one backend over one shared storage (a directory or an alias)."""

    def __init__(self, kind: str, home: Path, opensearch_url: str | None) -> None:
        self.kind = kind
        self.home = home
        self.opensearch_url = opensearch_url
        self.alias = f"sangdam-test-{uuid.uuid4().hex[:12]}"

    def settings(self, **search_settings) -> Settings:
        return Settings(
            home=self.home,
            search_backend=self.kind,
            opensearch_url=self.opensearch_url,
            opensearch_alias=self.alias,
            **search_settings,
        )

    def open(self, embedder: FakeEmbedder | None = None, **search_settings) -> SearchIndex:
        """A new instance (a separate reader/writer) over the same stored index."""
        embedder = embedder or FakeEmbedder()
        return build_search_index(self.settings(**search_settings), embedder_name=embedder.name, dim=embedder.dim)

    def cleanup(self) -> None:
        if self.kind != "opensearch":
            return
        from backend.search.opensearch.client import build_opensearch_client

        client = build_opensearch_client(self.settings())
        client.indices.delete(index=f"{self.alias}-*", ignore_unavailable=True, expand_wildcards="all")
        try:
            pipelines = client.search_pipeline.get()
        except Exception:  # noqa: BLE001 - nothing to clean when the cluster has no pipelines
            pipelines = {}
        for pipeline_id in pipelines:
            if pipeline_id.startswith(f"{self.alias}-"):
                client.search_pipeline.delete(id=pipeline_id)


def cosine_scores(embedder: FakeEmbedder, query_vector: np.ndarray, docs: Mapping[str, Sequence[Chunk]]) -> dict[str, float]:
    """Exact cosine of every chunk with the query: the reference for the vector sub-query."""
    out = {}
    for chunks in docs.values():
        vectors = embedder.embed_passages([c.text for c in chunks])
        for chunk, vector in zip(chunks, vectors):
            out[chunk.chunk_id] = float(vector @ query_vector)
    return out
