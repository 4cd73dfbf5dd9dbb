"""Number the pages, give manual ids, and write manuals/, questions.jsonl and README.md."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from .binfiles import build_asset
from .markup import Ctx, normalise_ref
from .model import Corpus, Page, stable_hash
from .readme import readme
from .skins import page_html, skin_of


def assign_files(corpus: Corpus) -> dict[str, Page]:
    """Number pages M001.. round-robin over categories (skipping the gap numbers); give manual ids."""
    queues = {c.name: [p for p in corpus.pages if p.cat == c.name] for c in corpus.categories}
    order: list[Page] = []
    while any(queues.values()):
        for c in corpus.categories:
            if queues[c.name]:
                order.append(queues[c.name].pop(0))
    num, serial = 0, {}
    for p in order:
        num += 1
        while num in corpus.gap_numbers:
            num += 1
        p.file = f"M{num:03d}.html"
        prefix = corpus.cat_info[p.cat].prefix
        serial[prefix] = serial.get(prefix, 0) + 1
        p.manual_id = f"KMS-{prefix}-{serial[prefix] * 3 + stable_hash(p.key) % 3 + 1:04d}"
    by_key = {p.key: p for p in corpus.pages}
    assert len(by_key) == len(corpus.pages), "duplicate page keys"
    for o in corpus.old_pages:
        cur = by_key[o.old_of]  # type: ignore[index]
        o.file = cur.file.replace(".html", o.old_suffix + ".html")
        o.manual_id = cur.manual_id
        o.title = o.title or cur.title
        o.cat, o.sub = cur.cat, cur.sub
        by_key[o.key] = o
    return by_key


def question_rows(corpus: Corpus, by_key: dict[str, Page]) -> list[dict]:
    rows = []
    for i, qq in enumerate(corpus.questions, 1):
        missing = [k for k in qq.gold if k not in by_key]
        if missing or (qq.attachment is not None and qq.attachment not in corpus.assets):
            raise ValueError(f"Q{i:03d}: unknown gold page {missing} or attachment {qq.attachment!r}")
        rows.append({
            "id": f"Q{i:03d}",
            "category": qq.category,
            "style": qq.style,
            "question": qq.question,
            "gold_docs": [by_key[k].file for k in qq.gold],
            "answer_facts": qq.facts,
            "in_table": qq.in_table,
            "attachment": qq.attachment,
            "out_of_scope": qq.out_of_scope,
        })
    return rows


def build(corpus: Corpus, out: Path) -> dict[str, object]:
    """Write manuals/, questions.jsonl and README.md under ``out``; return corpus statistics."""
    by_key = assign_files(corpus)
    assets = corpus.assets
    manuals = out / "manuals"
    if manuals.exists():
        shutil.rmtree(manuals)
    manuals.mkdir(parents=True)
    sizes: dict[str, int] = {}
    for path in sorted(assets):
        data = build_asset(assets[path])
        dest = manuals / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        sizes[path] = len(data)

    stats: dict[str, object] = {"skins": {}, "pages_with_attachment": 0}
    linked: set[str] = set()
    rendered: dict[str, str] = {}
    for p in corpus.pages + corpus.old_pages:
        skin = skin_of(p)
        ctx = Ctx(p, skin, by_key, sizes, corpus)
        text = page_html(p, ctx)
        for ref in re.findall(r'(?:href|src)="([^"]+)"', text):
            if ref.startswith(("files/", "./files/", "../manuals/files/", "img/", "./img/")):
                real = normalise_ref(ref)
                if real not in assets:
                    raise ValueError(f"{p.key}: link to unknown asset {ref}")
                linked.add(real)
        rendered[p.file] = text
        if p.crlf:
            text = text.replace("\n", "\r\n")
        (manuals / p.file).write_bytes(text.encode(p.enc))
        stats["skins"][skin] = stats["skins"].get(skin, 0) + 1  # type: ignore[index]
        if re.search(r'href="(?:\./|\.\./manuals/)?files/', text):
            stats["pages_with_attachment"] += 1  # type: ignore[operator]
    unused = sorted(set(assets) - linked)
    if unused:
        raise ValueError(f"assets not linked from any page: {unused}")

    rows = question_rows(corpus, by_key)
    with open(out / "questions.jsonl", "w", encoding="utf-8", newline="\n") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    (out / "README.md").write_text(readme(corpus, rows, sizes, rendered), encoding="utf-8", newline="\n")
    return stats
