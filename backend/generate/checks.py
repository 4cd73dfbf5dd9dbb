"""Checks of a generated answer: is it Korean, do its [n] marks point to given passages, and do its
numbers and plan names appear in what it cites (a cheap hallucination guard)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from backend.generate.base import Passage

_CITATION = re.compile(r"\[(\d+(?:\s*[,，]\s*\d+)*)\]")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
# Figures an agent would quote: amounts, durations, counts, speeds (commas inside numbers allowed).
_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:원|개월|일|년|시간|분|GB|MB|Mbps|G|기가|%|회|개|세|명|회선)?")
# Quoted or Latin-bearing product names: '싱글결합', "키즈랜드", 5G 스탠다드, 한빛TV 라이트.
_QUOTED = re.compile(r"['‘\"“]([^'’\"”]{2,30})['’\"”]")
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|\n+")


def strip_citations(text: str) -> str:
    return _CITATION.sub("", text)


def hangul_ratio(text: str) -> float:
    """Share of Hangul among the letters of `text`, citation marks ignored (1.0 for a text without letters)."""
    body = strip_citations(text)
    letters = [ch for ch in body if ch.isalpha()]
    if not letters:
        return 1.0
    return sum(1 for ch in letters if _HANGUL.match(ch)) / len(letters)


def cited_numbers(text: str) -> list[int]:
    """Every [n] (also [1, 2]) in order of appearance, repeats kept."""
    out: list[int] = []
    for match in _CITATION.finditer(text):
        out.extend(int(n) for n in re.split(r"\s*[,，]\s*", match.group(1)))
    return out


def renumber(text: str, passages: Sequence[Passage]) -> tuple[str, list[Passage]]:
    """`text` with its [n] marks renumbered 1, 2, … in the order they first appear, and `passages`
    numbered to match (the cited ones first, in that order, then the rest). Unchanged when a mark points
    to no passage (its warning must name the number the text showed)."""
    by_n = {p.n: p for p in passages}
    order = list(dict.fromkeys(cited_numbers(text)))
    if any(n not in by_n for n in order):
        return text, list(passages)
    order += [p.n for p in passages if p.n not in order]
    new = {old: i for i, old in enumerate(order, start=1)}

    def mark(match: re.Match[str]) -> str:
        numbers = re.split(r"\s*[,，]\s*", match.group(1))
        return "[" + ", ".join(str(new[int(n)]) for n in numbers) + "]"

    return _CITATION.sub(mark, text), [replace(by_n[n], n=new[n]) for n in order]


def figures_in(text: str) -> list[str]:
    """The figures an agent would quote (amounts, durations, counts, speeds) in `text`, citation marks ignored."""
    return [m.group(0).strip() for m in _FIGURE.finditer(strip_citations(text)) if m.group(0).strip()]


def _norm_figure(figure: str) -> str:
    return re.sub(r"[\s,]", "", figure)


@dataclass
class CitationReport:
    cited: list[int] = field(default_factory=list)  # valid [n], first appearance order, no repeats
    invalid: list[int] = field(default_factory=list)  # [n] pointing to no given passage
    unsupported: list[str] = field(default_factory=list)  # figures/names found in no cited passage
    warnings: list[str] = field(default_factory=list)


def check_citations(text: str, passages: Sequence[Passage]) -> CitationReport:
    """Validate [n] marks against `passages` and look for figures or quoted names that no cited
    passage contains (a sentence without a mark is checked against every passage)."""
    by_n = {p.n: p for p in passages}
    report = CitationReport()
    for n in cited_numbers(text):
        if n in by_n:
            if n not in report.cited:
                report.cited.append(n)
        elif n not in report.invalid:
            report.invalid.append(n)
    if report.invalid:
        marks = ", ".join(f"[{n}]" for n in report.invalid)
        report.warnings.append(f"주어지지 않은 발췌 번호 {marks}를 인용했습니다.")
    for sentence in _SENTENCE_END.split(text):
        if not sentence.strip():
            continue
        ns = [n for n in cited_numbers(sentence) if n in by_n]
        sources = [by_n[n] for n in ns] if ns else list(passages)
        haystack = "\n".join(f"{p.chunk.title}\n{p.text}" for p in sources)
        compact = _norm_figure(haystack)
        body = strip_citations(sentence)
        claims = [m.group(0).strip() for m in _FIGURE.finditer(body)]
        claims += [m.group(1).strip() for m in _QUOTED.finditer(body)]
        for claim in claims:
            if _norm_figure(claim) and _norm_figure(claim) not in compact and claim not in report.unsupported:
                report.unsupported.append(claim)
    if report.unsupported:
        report.warnings.append("근거 발췌에서 찾을 수 없는 내용이 있습니다: " + ", ".join(report.unsupported) + " (매뉴얼 원문을 확인하세요)")
    return report
