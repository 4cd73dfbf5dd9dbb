"""The composition root: the process-wide embedder, index, retriever and attachment store, built once
from settings and shared by the CLI and the dashboard (all are thread-safe)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from backend.config import Settings, get_settings
from backend.embed.base import Embedder
from backend.models import Hit
from backend.search.base import SearchIndex
from backend.search.retriever import Retriever
from backend.storage import AttachmentStore

if TYPE_CHECKING:
    from backend.answer import Answer, Answerer
    from backend.feedback import FeedbackStore


def get_retriever() -> Retriever:
    """Query embedding + hybrid search + the superseded-page policy, built once per process."""
    from backend.search.factory import get_retriever as factory_retriever

    return factory_retriever(get_settings())


def get_embedder() -> Embedder:
    """The serving embedder (wrapped in the on-disk embedding cache)."""
    return get_retriever().embedder


def get_index() -> SearchIndex:
    """The configured search index (embedded directory or OpenSearch alias)."""
    return get_retriever().index


@lru_cache(maxsize=1)
def get_answerer() -> Answerer:
    """Retrieval + the configured generator (vLLM when SANGDAM_LLM_BASE_URL is set) + the extractive
    fallback, built once per process."""
    from backend.answer import Answerer
    from backend.llm.extractive import ExtractiveGenerator

    settings = get_settings()
    llm = None
    if settings.llm_base_url:
        from backend.llm.vllm import VllmGenerator

        llm = VllmGenerator.from_settings(settings)
    retriever = get_retriever()
    extractive = ExtractiveGenerator(glossary=retriever.glossary, company_names=settings.company_names.split(","))
    return Answerer(retriever, extractive, get_attachment_store(), settings, llm=llm)


@lru_cache(maxsize=1)
def get_feedback_store() -> FeedbackStore:
    """Where agents' ratings are kept (SQLite under SANGDAM_HOME, or OpenSearch in production)."""
    from backend.feedback import build_feedback_store

    return build_feedback_store(get_settings())


def save_feedback(answer: Answer, rating: int, **details: Any) -> None:
    """Store an agent's rating of `answer` (details: reason, comment, agent_id, category)."""
    from backend.feedback import record_for_answer

    get_feedback_store().save(record_for_answer(answer, rating, get_settings(), **details))


@lru_cache(maxsize=1)
def get_attachment_store() -> AttachmentStore:
    """Where attachments and original pages are kept (local directory or S3)."""
    from backend.storage import build_attachment_store

    return build_attachment_store(get_settings())


def ingest_manuals(
    source_spec: str,
    *,
    full: bool = False,
    on_progress: Callable[[int, int, int, str], None] | None = None,
    settings: Settings | None = None,
):
    """Run the ETL from a folder or s3:// prefix into the configured index; returns the run record."""
    from backend.embed.factory import build_embedder
    from backend.search.factory import build_search_index
    from etl.pipeline import ingest
    from etl.source import open_source

    settings = settings or get_settings()
    source = open_source(source_spec, settings)
    # Ingest embeds thousands of passages: give the engine every core (serving keeps `embed_threads`).
    embedder = build_embedder(settings.model_copy(update={"embed_threads": settings.ingest_embed_threads}))
    index = build_search_index(settings, embedder_name=embedder.name, dim=embedder.dim)
    return ingest(
        source,
        index,
        embedder,
        get_attachment_store(),
        settings,
        full=full,
        on_progress=on_progress,
    )


def hit_to_json(hit: Hit) -> dict[str, Any]:
    """The hit object of `sangdam search --json` (and of the dashboard's API later)."""
    store = get_attachment_store()
    c = hit.chunk
    return {
        "doc_id": c.doc_id,
        "chunk_id": c.chunk_id,
        "page": c.page,
        "page_url": store.url(c.page),
        "title": c.title,
        "breadcrumb": list(c.breadcrumb),
        "section": list(c.section),
        "kind": c.kind,
        "text": c.text,
        "score": round(hit.score, 6),
        "revision_date": c.revision_date,
        "superseded": c.superseded,
        "attachments": [{"name": a.name, "url": store.url(a.path)} for a in c.attachments],
    }


def index_status() -> dict[str, Any]:
    """Index counts and the most recent ingest runs, for `sangdam status` and the admin page."""
    from dataclasses import asdict

    from etl.run_record import list_runs

    settings = get_settings()
    runs = list_runs(settings)[:5]
    return {
        "index": asdict(get_index().stats()),
        "recent_runs": [r.to_dict() for r in runs],
    }


def reset() -> None:
    """Forget the process-wide objects (after a settings change, and between tests)."""
    from backend.search import factory

    get_attachment_store.cache_clear()
    get_answerer.cache_clear()
    get_feedback_store.cache_clear()
    factory.clear_cache()


_ATTACHMENT_COUNTS: dict[tuple, int] = {}


def attachment_count() -> int:
    """Distinct attachments linked by the indexed pages (for the admin page), from each page's first
    chunk; remembered per live index state (location and counts), so it is read once per index version."""
    index = get_index()
    stats = index.stats()
    key = (stats.backend, stats.location, stats.documents, stats.chunks)
    if key not in _ATTACHMENT_COUNTS:
        paths: set[str] = set()
        for doc_id in index.documents():
            chunks = index.chunks(doc_id)
            if chunks:
                paths.update(a.path for a in chunks[0].attachments)
        _ATTACHMENT_COUNTS.clear()
        _ATTACHMENT_COUNTS[key] = len(paths)
    return _ATTACHMENT_COUNTS[key]
