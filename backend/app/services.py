"""The composition root of the application: the process-wide retriever, answerer, attachment and feedback
stores, built once from settings and shared by the CLI, the job worker and the dashboard (all are
thread-safe); and the application's use cases over them (ingest, ratings, status)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from backend.app.answer import Answer, Answerer
from backend.chunk_layout import faq_question
from backend.config import Settings, get_settings
from backend.embed.cache import RememberingEmbedder
from backend.embed.factory import build_embedder
from backend.feedback.base import FeedbackRecord, FeedbackStore
from backend.feedback.factory import build_feedback_store
from backend.finetune.registry import AdapterRegistry
from backend.generate.extractive import ExtractiveGenerator
from backend.models import Hit
from backend.process_cache import process_cached
from backend.search.base import SearchIndex
from backend.search.factory import build_retriever, build_search_index
from backend.search.retriever import Retriever
from backend.storage.base import AttachmentStore
from backend.storage.factory import build_attachment_store
from etl.pipeline import ingest
from etl.run_record import RunRecord, list_runs, load_run
from etl.source import open_source


def get_retriever() -> Retriever:
    """Query embedding + hybrid search + the superseded-page policy, built once per process."""
    return build_retriever(get_settings())


def retrievers_by_keyword_weight() -> Callable[[float], Retriever]:
    """For `sangdam eval keyword-weight`: weight -> a retriever like `get_retriever()`'s whose hybrid search
    weighs the keyword side that much. They share one embedder that remembers every question (each is asked
    once per weight); each retriever loads the index anew and is let go after use. On OpenSearch each weight
    is a search pipeline of its own (its id derives from its body)."""
    settings = get_settings()
    embedder = RememberingEmbedder(get_retriever().embedder)

    def at(weight: float) -> Retriever:
        weighted = settings.model_copy(update={"keyword_weight": weight})
        return Retriever(build_search_index(weighted, embedder_name=embedder.name, dim=embedder.dim), embedder,
                         weighted)

    return at


def get_index() -> SearchIndex:
    """The configured search index (embedded directory or OpenSearch alias)."""
    return get_retriever().index


def get_answerer() -> Answerer:
    """Retrieval + the configured generator (vLLM when SANGDAM_LLM_BASE_URL is set, asked for the adapter
    the admin made live, else `SANGDAM_LLM_MODEL`) + the extractive fallback. Built once per process and
    live adapter: a switch made by another process (the CLI, another dashboard) takes effect at the next
    question, for the price of reading one small file."""
    settings = get_settings()
    return _answerer(AdapterRegistry(settings.adapters_dir).live() if settings.llm_base_url else None)


@process_cached()
def _answerer(live_adapter: str | None) -> Answerer:
    settings = get_settings()
    llm = None
    if settings.llm_base_url:
        from backend.generate.vllm import VllmGenerator  # the openai client loads only when configured

        model = {"llm_model": live_adapter} if live_adapter else {}
        llm = VllmGenerator.from_settings(settings.model_copy(update=model))
    retriever = get_retriever()
    extractive = ExtractiveGenerator(glossary=retriever.glossary, company_names=settings.company_names.split(","),
                                     embedder=retriever.embedder, known_terms=retriever.known_terms)
    return Answerer(retriever, extractive, get_attachment_store(), settings, llm=llm)


@process_cached()
def get_feedback_store() -> FeedbackStore:
    """Where agents' ratings are kept (SQLite under SANGDAM_HOME, or OpenSearch in production)."""
    return build_feedback_store(get_settings())


@process_cached()
def get_attachment_store() -> AttachmentStore:
    """Where attachments and original pages are kept (local directory or S3)."""
    return build_attachment_store(get_settings())


def record_for_answer(
    answer: Answer,
    rating: int,
    settings: Settings,
    *,
    reason: str | None = None,
    comment: str | None = None,
    agent_id: str | None = None,
    category: str | None = None,
) -> FeedbackRecord:
    """The rating of `answer` with everything needed to reproduce it later: the answer text, mode and
    model, the cited chunks and pages, and the retrieval settings in force. One id per answer, so
    re-rating replaces the earlier rating."""
    return FeedbackRecord(
        feedback_id=answer.answer_id,
        question=answer.question,
        answer=answer.text,
        rating=rating,
        mode=answer.mode,
        model=answer.model,
        reason=reason or None,
        comment=(comment or "").strip() or None,
        agent_id=agent_id,
        category=category,
        cited_chunk_ids=tuple(c.chunk_id for c in answer.citations),
        cited_pages=tuple(dict.fromkeys(c.page for c in answer.citations)),
        retrieval={
            "backend": settings.search_backend,
            "fusion": settings.fusion,
            "keyword_weight": settings.keyword_weight,
            "candidate_depth": settings.candidate_depth,
            "passages": settings.answer_passages,
            "embedder": settings.embedder,
            "glossary": settings.glossary_enabled,
        },
    )


def save_feedback(answer: Answer, rating: int, **details: Any) -> None:
    """Store an agent's rating of `answer` (details: reason, comment, agent_id, category)."""
    get_feedback_store().save(record_for_answer(answer, rating, get_settings(), **details))


def ingest_manuals(
    source_spec: str,
    *,
    full: bool = False,
    on_progress: Callable[[int, int, int, str], None] | None = None,
    settings: Settings | None = None,
) -> RunRecord:
    """Run the ETL from a folder or s3:// prefix into the configured index; returns the run record."""
    settings = settings or get_settings()
    source = open_source(source_spec, settings)
    # Ingest embeds thousands of passages: give the engine every core (serving keeps `embed_threads`).
    embedder = build_embedder(settings.model_copy(update={"embed_threads": settings.ingest_embed_threads}))
    index = build_search_index(settings, embedder_name=embedder.name, dim=embedder.dim)
    return ingest(source, index, embedder, get_attachment_store(), settings, full=full, on_progress=on_progress)


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


def recent_runs(limit: int = 5) -> list[RunRecord]:
    """The most recent ingest runs, newest first."""
    return list_runs(get_settings(), limit=limit)


def ingest_run(run_id: str) -> RunRecord:
    """One saved ingest run (`FileNotFoundError` / `ValueError` when it is unknown or unreadable)."""
    return load_run(get_settings(), run_id)


def index_status() -> dict[str, Any]:
    """Index counts and the most recent ingest runs, for `sangdam status` and the admin page."""
    return {
        "index": asdict(get_index().stats()),
        "recent_runs": [r.to_dict() for r in recent_runs()],
    }


def reset() -> None:
    """Forget the process-wide objects (after a settings change, and between tests)."""
    for cached in (get_attachment_store, _answerer, get_feedback_store, build_retriever, _attachment_count,
                   _example_questions):
        cached.cache_clear()


EXAMPLE_QUESTIONS = 4
EXAMPLE_SCAN_DOCUMENTS = 200  # pages read at most to find them, once per index version (a request each on OpenSearch)


def example_questions() -> list[str]:
    """A few questions for the agent's empty screen: the FAQ questions of the current manuals (customers'
    own words, so they show how to ask), one per page; read once per index version."""
    return _example_questions(_index_state())


@process_cached()
def _example_questions(index_state: tuple) -> list[str]:  # noqa: ARG001 - the key: one list per index version
    index = get_index()
    out: list[str] = []
    for doc_id, info in list(index.documents().items())[:EXAMPLE_SCAN_DOCUMENTS]:
        if info.superseded:
            continue
        for chunk in index.chunks(doc_id):
            question = faq_question(chunk.text) if chunk.faq else ""
            if question and len(question) <= 40:
                out.append(question)
                break
        if len(out) >= EXAMPLE_QUESTIONS:
            break
    return out


def attachment_count() -> int:
    """Distinct attachments linked by the indexed pages (for the admin page), from each page's first
    chunk; remembered per live index state (location and counts), so it is read once per index version."""
    return _attachment_count(_index_state())


def _index_state() -> tuple:
    """What identifies the live index version, as the key of what is read once per version."""
    stats = get_index().stats()
    return stats.backend, stats.location, stats.documents, stats.chunks


@process_cached()
def _attachment_count(index_state: tuple) -> int:  # noqa: ARG001 - the key: one count per index version
    index = get_index()
    paths: set[str] = set()
    for doc_id in index.documents():
        chunks = index.chunks(doc_id)
        if chunks:
            paths.update(a.path for a in chunks[0].attachments)
    return len(paths)
