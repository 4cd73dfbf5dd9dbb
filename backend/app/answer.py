"""`answer(question)`: retrieve, generate, check — the one entry point of the CLI and the dashboard.

Only current manual pages are given to the generator (an old revision's figures must never reach an
answer). The passages are the search's k best chunks, then, when at least two of them are on the page the
search put first, that page's other sections (`rest_of_page`), which the extractive answer may open with.
With an LLM configured, its answer is checked: not Korean -> one retry with a stricter prompt, then the
extractive answer; server down, slow or erroring -> the extractive answer. Citations [n] are
renumbered in the order they appear, validated and mapped to the page links and the attachments of the
cited passages. A question the manuals do not answer as typed, with a typo of a word they use ("임데료") or
an acronym spelled by its letters' names ("에이아이"), is answered once more corrected ("임대료", "AI"), and
the answer says so.

The LLM gets one wall-clock limit per answer (SANGDAM_LLM_TIMEOUT_S), retries, token counting and a
corrected second try included. It runs in a helper thread that hands its text over a queue, so a server
that hangs, drips keep-alive comments or sends bytes no client can parse never holds the agent past the
limit: the extractive answer is given instead, with a Korean notice saying why.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from backend.config import Settings
from backend.generate.base import Generation, GenerationCancelled, GenerationError, Generator, Mode, Passage
from backend.generate.checks import check_citations, hangul_ratio, renumber
from backend.models import Chunk, Hit, SearchFilters
from backend.search.retriever import Retriever
from backend.storage.base import AttachmentStore
from backend.text.pii import mask_pii, mask_repeated_pii

log = logging.getLogger(__name__)
FALLBACK_KO = "매뉴얼 발췌로 대신 답합니다."
# Of the answer's time limit, what is kept for the extractive answer after an LLM that ran out of time
# (it takes 15-300 ms here): the whole answer, fallback included, stays within SANGDAM_LLM_TIMEOUT_S.
FALLBACK_RESERVE_S = 0.5
# The other sections of the page the search put first join the passages only when at least this many of
# the k passages are on that page. A manual page is cut into sections, and the one that holds the fee is often
# not among the k best chunks when the question shares no word with it; but adding the rest of a page the
# search is unsure of (one passage of five) cited wrong pages on welfare_qa and lengthened every set's answers
# (docs/research/answer-first.md, "Session 14").
MIN_PAGE_PASSAGES = 2


@dataclass(frozen=True)
class Citation:
    n: int
    doc_id: str
    chunk_id: str
    page: str
    title: str
    section: tuple[str, ...]
    kind: str
    url: str


@dataclass(frozen=True)
class AttachmentLink:
    name: str
    url: str
    media_type: str


@dataclass
class Answer:
    question: str
    text: str
    mode: Mode
    refused: bool
    citations: list[Citation]
    attachments: list[AttachmentLink]
    passages: list[Passage]
    timings_ms: dict[str, float]
    warnings: list[str] = field(default_factory=list)
    model: str | None = None
    answer_id: str = field(default_factory=lambda: uuid.uuid4().hex)  # what a rating refers to
    corrections: dict[str, str] = field(default_factory=dict)  # typo -> the indexed word searched instead

    def correction_notice(self) -> str:
        """ "'임대료'로 찾았습니다 (입력: 임데료)." for the agent, or "" when nothing was corrected."""
        if not self.corrections:
            return ""
        fixes = list(self.corrections.values())
        found = ", ".join(f"'{fix}'" for fix in fixes)
        typed = ", ".join(self.corrections)
        return f"{found}{_ro(fixes[-1])} 찾았습니다 (입력: {typed})."

    def to_json(self) -> dict[str, Any]:
        """The object of `sangdam ask --json`: the question masked of personal data, and the answer where
        it repeats them (the output is kept in files and logs; the manual's own numbers stay)."""
        return {
            "answer_id": self.answer_id,
            "question": mask_pii(self.question),
            "answer": mask_repeated_pii(self.text, self.question),
            "mode": self.mode,
            "model": self.model,
            "refused": self.refused,
            "citations": [
                {"n": c.n, "doc_id": c.doc_id, "chunk_id": c.chunk_id, "page": c.page, "title": c.title,
                 "section": list(c.section), "kind": c.kind, "url": c.url}
                for c in self.citations
            ],
            "attachments": [{"name": a.name, "url": a.url, "media_type": a.media_type} for a in self.attachments],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "warnings": list(self.warnings),
            "corrections": dict(self.corrections),
        }


def _ro(word: str) -> str:
    """The particle 로/으로 after `word`: 으로 after a final consonant other than ㄹ."""
    code = ord(word[-1]) - 0xAC00 if word else -1
    tail = code % 28 if 0 <= code <= 0xD7A3 - 0xAC00 else 0
    return "으로" if tail not in (0, 8) else "로"


def rest_of_page(hits: list[Hit], page_chunks: Callable[[str], list[Chunk]], filters: SearchFilters) -> list[Hit]:
    """The chunks of the first hit's page that `hits` lack (`page_chunks(doc_id)`: the page's chunks in
    order), those `filters` let through, each scored as the page's weakest chunk among `hits` (the page is
    what the search found; its unreturned sections rank below every returned one of it); [] unless at least
    `MIN_PAGE_PASSAGES` of `hits` are on that page."""
    if not hits:
        return []
    page = hits[0].chunk.doc_id
    own = [h for h in hits if h.chunk.doc_id == page]
    if len(own) < MIN_PAGE_PASSAGES:
        return []
    have = {h.chunk.chunk_id for h in hits}
    floor = min(h.score for h in own)
    return [Hit(chunk=c, score=floor) for c in page_chunks(page) if c.chunk_id not in have and filters.matches(c)]


class Answerer:
    """Thread-safe; one per process (see `backend.app.services.get_answerer`)."""

    def __init__(
        self,
        retriever: Retriever,
        extractive: Generator,
        store: AttachmentStore,
        settings: Settings,
        llm: Generator | None = None,
    ) -> None:
        self.retriever = retriever
        self.extractive = extractive
        self.llm = llm
        self.store = store
        self.k = settings.answer_passages
        self.min_korean_ratio = settings.min_korean_ratio
        self.llm_limit_s = settings.llm_timeout_s

    def answer(
        self,
        question: str,
        filters: SearchFilters | None = None,
        *,
        on_text: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
        use_llm: bool = True,
    ) -> Answer:
        """Answer `question` from the current manual pages; see the module docstring."""
        started = time.perf_counter()
        # The LLM's share of this answer, whatever it does (the retrieval's time counts against it too).
        deadline = time.monotonic() + max(self.llm_limit_s - FALLBACK_RESERVE_S, self.llm_limit_s / 2)
        corrections: dict[str, str] = {}
        passages = self.passages(question, filters, correct=False)
        retrieved = time.perf_counter()
        warnings: list[str] = []
        generation = self._generate(question, passages, use_llm, on_text, cancel, warnings, deadline)
        fixed, fixes = self.retriever.correct(question) if generation.refused else (question, {})
        if fixes:
            # The manuals do not answer the question as typed, and it has a typo of a word they use: answer
            # the corrected question, and say so. (A typo that does not stop an answer is left alone.)
            corrections = fixes
            passages = self.passages(fixed, filters, correct=False)
            warnings = []
            generation = self._generate(fixed, passages, use_llm, on_text, cancel, warnings, deadline)
        generated = time.perf_counter()

        # Marks renumbered 1..n in the order shown (a selection skips passages; an agent reads [1], [2], …).
        text, passages = renumber(generation.text, passages)
        report = check_citations(text, passages)
        warnings.extend(generation.warnings)
        warnings.extend(report.warnings)
        by_n = {p.n: p for p in passages}
        cited = [by_n[n] for n in report.cited]
        return Answer(
            question=question,
            text=text,
            mode=generation.mode,
            refused=generation.refused,
            citations=[self._citation(p) for p in cited],
            attachments=self._attachments(cited),
            passages=passages,
            timings_ms={
                "retrieve": (retrieved - started) * 1000,
                "generate": (generated - retrieved) * 1000,
                "total": (generated - started) * 1000,
            },
            warnings=warnings,
            model=generation.model,
            corrections=corrections,
        )

    def _generate(self, question, passages, use_llm, on_text, cancel, warnings, deadline) -> Generation:
        """The LLM's answer when one is configured, it passes the checks and it ends before `deadline`
        (time.monotonic()), else the extractive one."""
        generation = None
        if self.llm is not None and use_llm and passages:
            generation = self._from_llm(question, passages, on_text, cancel, warnings, deadline)
        if generation is None:
            generation = self.extractive.generate(question, passages, on_text=on_text, cancel=cancel)
        return generation

    def passages(self, question: str, filters: SearchFilters | None = None, *, correct: bool = True) -> list[Passage]:
        """The numbered passages an answer to `question` stands on: the `k` best chunks of current pages,
        then the other sections of the page the search put first when it is sure of that page
        (`rest_of_page`)."""
        filters = replace(filters or SearchFilters(), current_only=True)
        hits = self.retriever.search(question, k=self.k, filters=filters, correct=correct)
        found = [Passage(n=i, hit=h) for i, h in enumerate(hits, start=1)]
        rest = rest_of_page(hits, self.retriever.index.chunks, filters)
        return found + [Passage(n=len(found) + i, hit=h, rest_of_page=True) for i, h in enumerate(rest, start=1)]

    def _from_llm(self, question, passages, on_text, cancel, warnings, deadline) -> Generation | None:
        """The LLM's answer, or None (with a warning saying why) when the extractive one must be used.

        The model runs in a daemon thread; this thread waits on its queue until `deadline`, passing the
        growing text to `on_text` itself (Streamlit draws only from the script's own thread). Past the
        deadline the helper is told to stop and left behind: a stream stops at its next byte, a request
        still waiting for headers when the client's own timeout ends (SANGDAM_LLM_TIMEOUT_S per try)."""
        timed_out = f"LLM 답변이 {self.llm_limit_s:g}초 안에 끝나지 않았습니다. {FALLBACK_KO}"
        if time.monotonic() >= deadline:  # (a corrected second try after a slow first one)
            warnings.append(timed_out)
            return None
        updates: queue.Queue[tuple[str, object]] = queue.Queue()
        stop = threading.Event()

        def run() -> None:
            try:
                updates.put(("done", self._llm_attempts(question, passages, stop, lambda t: updates.put(("text", t)))))
            except GenerationCancelled:
                updates.put(("cancelled", None))
            except GenerationError as exc:
                updates.put(("failed", str(exc).rstrip(".")))
            except Exception as exc:  # noqa: BLE001 - broken JSON, bytes that are not UTF-8, a client bug: all fall back
                log.warning("LLM answer failed: %r", exc)
                updates.put(("failed", f"LLM 응답을 처리할 수 없습니다 ({type(exc).__name__})"))

        threading.Thread(target=run, name="llm-answer", daemon=True).start()
        while True:
            if cancel is not None and cancel.is_set():
                stop.set()
                raise GenerationCancelled("답변 생성이 취소되었습니다.")
            left = deadline - time.monotonic()
            if left <= 0:  # whatever the helper sends from now on comes too late
                stop.set()
                warnings.append(timed_out)
                return None
            try:
                kind, value = updates.get(timeout=min(left, 0.1))
            except queue.Empty:
                continue
            if kind == "text":
                if on_text is not None:
                    on_text(value)  # type: ignore[arg-type]
            elif kind == "cancelled":
                raise GenerationCancelled("답변 생성이 취소되었습니다.")
            elif kind == "failed":
                warnings.append(f"{value}. {FALLBACK_KO}")
                return None
            else:
                generation, note = value  # type: ignore[misc]
                if note:
                    warnings.append(note)
                return generation

    def _llm_attempts(self, question, passages, stop, on_text) -> tuple[Generation | None, str | None]:
        """(the LLM's Korean answer or None, a warning): one try, and one more with the stricter prompt
        when the first answer is not Korean."""
        assert self.llm is not None
        generation = self.llm.generate(question, passages, on_text=on_text, cancel=stop)
        if hangul_ratio(generation.text) >= self.min_korean_ratio:
            return generation, None
        generation = self.llm.generate(question, passages, on_text=on_text, cancel=stop, strict=True)
        if hangul_ratio(generation.text) >= self.min_korean_ratio:
            generation.warnings.append("첫 답변이 한국어가 아니어서 다시 생성했습니다.")
            return generation, None
        return None, f"LLM 답변이 한국어가 아니어서 {FALLBACK_KO}"

    def _citation(self, passage: Passage) -> Citation:
        c = passage.chunk
        return Citation(
            n=passage.n, doc_id=c.doc_id, chunk_id=c.chunk_id, page=c.page, title=c.title,
            section=c.section, kind=c.kind, url=self.store.url(c.page),
        )

    def _attachments(self, cited: list[Passage]) -> list[AttachmentLink]:
        seen: dict[str, AttachmentLink] = {}
        for passage in cited:
            for ref in passage.chunk.attachments:
                if ref.path not in seen:
                    seen[ref.path] = AttachmentLink(name=ref.name, url=self.store.url(ref.path), media_type=ref.media_type)
        return list(seen.values())
