"""What kind of answer a question asks for (a price, a count, a time, a telephone number) and whether a text
holds one.

Shared by the retriever (a chunk that holds the kind of answer asked for gets a small bonus) and the
extractive answerer (the same for a sentence or table row)."""

from __future__ import annotations

import re

# (what the question asks, what a text answering it holds)
ANSWER_TYPES: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (  # a price
        re.compile(r"얼마|싼|싸[요게]|저렴|비싸|가격|요금(?!제)|비용|총액|금액|이용료|월정액|차이"),
        re.compile(r"\d[\d,]*\s*(?:[십백천만억]\s*)*원"),  # "33,000원", "200만 원", "3억 6,100만 원"
    ),
    (  # a count or size
        re.compile(r"몇|최대|최소|개수|횟수|한도|용량"),
        re.compile(r"\d[\d,.]*\s*(?:개|회|GB|MB|기가|대|명|회선|%|포인트|분)"),
    ),
    (  # a time
        re.compile(r"언제|며칠|기한|기간|걸리|걸려"),
        re.compile(r"\d+\s*(?:일|개월|시간|년|주|영업일)|이내|전까지|다음 ?날|당일|즉시"),
    ),
    (  # a telephone number
        re.compile(r"연락|문의|전화번호|콜센터|고객센터"),
        # "1588-1000" alone is left out: it is also how a span of years is written ("1861-1904").
        re.compile(r"☎|\d{2,4}-\d{3,4}-\d{4}"),
    ),
)


def asked_for(question: str) -> list[re.Pattern[str]]:
    """The patterns of the answers `question` asks for (empty when it asks for none of them)."""
    return [answer for asks, answer in ANSWER_TYPES if asks.search(question)]


def holds(text: str, answers: list[re.Pattern[str]]) -> bool:
    """Whether `text` holds one of the `answers` kinds."""
    return any(p.search(text) for p in answers)
