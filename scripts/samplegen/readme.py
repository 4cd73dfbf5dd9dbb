"""The corpus README (Korean + English): ``scripts/samples/corpus_readme.md`` filled with computed counts.

The template is plain Markdown with ``{name}`` fields (``str.format``); :func:`readme` lists every
field it fills.  A literal brace in the template would have to be doubled (``{{`` / ``}}``).
"""

from __future__ import annotations

import re

from .model import CANARY_COMMENT, CANARY_SCRIPT, CANARY_STYLE, Q_CATEGORIES, Q_STYLES, Corpus

_NON_DATA_TABLE = re.compile(r"layout|doc-info|frame|box")


def table_profile(text: str) -> dict[str, int]:
    """Count data tables, large tables (40+ rows), layout-nested tables, span use in one page."""
    import lxml.html

    doc = lxml.html.document_fromstring(text)
    data = [t for t in doc.iter("table") if not _NON_DATA_TABLE.search(t.get("class", "")) and len(t.xpath(".//tr")) >= 2]
    rows = [len(t.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")) for t in data]
    nested = [t for t in doc.iter("table") if "layout" in t.get("class", "") and t.xpath(".//table")]
    return {
        "data": len(data),
        "large": sum(r >= 40 for r in rows),
        "nested": len(nested),
        "span": int(bool(doc.xpath("//*[@rowspan or @colspan]"))),
    }


def lst(xs: list[str]) -> str:
    return ", ".join(xs) if xs else "-"


def readme(corpus: Corpus, rows: list[dict], sizes: dict[str, int], rendered: dict[str, str]) -> str:
    """The corpus README, with counts computed from what was written (``rendered``: file -> HTML text)."""
    pages, old_pages = corpus.pages, corpus.old_pages
    cur = sorted(p.file for p in pages)
    prof = {f: table_profile(t) for f, t in rendered.items() if f in cur}
    per_cat = {c.name: sum(1 for p in pages if p.cat == c.name) for c in corpus.categories}
    by_kind: dict[str, int] = {}
    for path, a in corpus.assets.items():
        k = a.kind + (" (img/)" if path.startswith("img/") else "")
        by_kind[k] = by_kind.get(k, 0) + 1
    qcat = {c: sum(r["category"] == c for r in rows) for c in Q_CATEGORIES}
    qsty = {s: sum(r["style"] == s for r in rows) for s in Q_STYLES}
    in_table = sum(r["in_table"] for r in rows)
    old_of = {p.old_of for p in old_pages}
    current_of = {p.key: p for p in pages}
    sup = "\n".join(
        f"| {current_of[o.old_of].file} | {o.file} | {o.manual_id} | {current_of[o.old_of].date} | {o.date} | "
        f"{'배너' if o.old_banner else ''}{' + ' if o.old_banner and o.old_status_meta else ''}"
        f"{'meta status=superseded' if o.old_status_meta else ''} |"
        for o in sorted(old_pages, key=lambda o: o.file)
    )
    fields = {
        "n_current": len(cur),
        "last_current": cur[-1],
        "gaps": lst([f"M{n:03d}" for n in sorted(corpus.gap_numbers)]),
        "n_old": len(old_pages),
        "asset_kinds": lst([f"{k} {v}" for k, v in sorted(by_kind.items())]),
        "n_questions": len(rows),
        "total_mb": (sum(sizes.values()) + sum(len(t.encode("utf-8")) for t in rendered.values())) / 1024 / 1024,
        "category_rows": "\n".join(f"| {c} | {corpus.cat_info[c].prefix} | {n} |" for c, n in per_cat.items()),
        "n_cp949": sum(1 for p in pages if p.enc == "cp949"),
        "cp949": lst(sorted(p.file for p in pages if p.enc == "cp949")),
        "ks_c": lst([p.file for p in pages if p.charset == "ks_c"]),
        "crlf": lst([p.file for p in pages if p.crlf]),
        "bom": lst(sorted(p.file for p in pages if p.enc == "utf-8-sig")),
        "no_charset": lst([f"{p.file} ({'CP949' if p.enc == 'cp949' else 'UTF-8'})" for p in pages if p.charset == "none"]),
        "malformed": lst(sorted(f"{p.file} (recipe {p.malformed})" for p in pages if p.malformed)),
        "canary_script": CANARY_SCRIPT,
        "n_script": sum(CANARY_SCRIPT in t for t in rendered.values()),
        "canary_style": CANARY_STYLE,
        "n_style": sum(CANARY_STYLE in t for t in rendered.values()),
        "canary_comment": CANARY_COMMENT,
        "n_comment": sum(CANARY_COMMENT in t for t in rendered.values()),
        "noscript": lst([p.file for p in pages if p.noscript]),
        "xss": lst([f for f, t in rendered.items() if "&lt;script&gt;" in t]),
        "n_table_pages": sum(1 for v in prof.values() if v["data"]),
        "n_span_pages": sum(v["span"] for v in prof.values()),
        "nested": lst([f for f, v in sorted(prof.items()) if v["nested"]]),
        "large": lst([f for f, v in sorted(prof.items()) if v["large"]]),
        "superseded_rows": sup,
        "n_attachment_pages": sum(1 for f in cur if re.search(r'href="(?:\./|\.\./manuals/)?files/', rendered[f])),
        "per_category": lst([f"{k} {v}" for k, v in qcat.items()]),
        "per_style": lst([f"{k} {v}" for k, v in qsty.items()]),
        "n_out_of_scope": sum(r["out_of_scope"] for r in rows),
        "n_in_table": in_table,
        "in_table_share": in_table / len(rows),
        "n_with_attachment": sum(bool(r["attachment"]) for r in rows),
        "n_on_superseded": sum(1 for q in corpus.questions if any(k in old_of for k in q.gold)),
    }
    return corpus.readme_template.format(**fields)
