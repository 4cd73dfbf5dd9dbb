"""Read the sample content from ``scripts/samples/`` into a :class:`~samplegen.model.Corpus`.

Layout of ``scripts/samples/`` (all UTF-8 text; nothing beyond the standard library is needed to read it)::

    corpus.json              categories (name, manual-id prefix, breadcrumb section, department) in menu
                             order, and the page numbers deleted from the KMS (gaps in M001 ...)
    pages/<PREFIX>/NN-<key>.txt
                             one manual page per file, in the folder of its category (INT, TV, MOB ...)
    tables/<name>.json       row data shared by a page table and an XLSX attachment, or with computed
                             columns; a page pulls the rows in with ``@rows <name>`` (see samplegen.derived)
    assets.json              the attachments and images: path, kind and what to draw in them
    questions.jsonl          the dev questions, one JSON object a line
    corpus_readme.md         the text of etl/samples/README.md, ``{name}`` fields filled by samplegen.readme

A page file is a small header, a line ``---``, then the body in the line markup of
:func:`samplegen.markup.render_body` (``# 제목``, ``- 항목``, ``[table]`` ... ``[/table]``, ``@file``,
``Q.``/``A.`` ...)::

    title: 한빛 기가인터넷 요금제 안내
    date: 2026-05-01
    sub: 기가인터넷
    ---
    # 상품 개요
    한빛 기가인터넷은 ...

Header fields (``name: value``; only ``title`` and ``date`` are required on a current page):
``title``, ``date`` (yyyy-mm-dd), ``sub`` (breadcrumb level 4), ``first_date``, ``skin``
(kms | legacy | board | lite; default: chosen from the key), ``enc`` (utf-8 | utf-8-sig | cp949),
``charset`` (auto | meta | http-equiv | ks_c | none), ``meta_tags`` / ``scripts`` / ``crlf`` /
``noscript`` (true | false), ``malformed`` (0-6, see samplegen.skins.malform), ``date_fmt``
(iso | dot | kor), ``comment`` (an editor's HTML comment).  A superseded version of page ``<key>`` is
a file ``NN-<key>_old.txt`` (or ``_v1`` ...) next to it with ``old_of: <key>``, ``date``, and
optionally ``old_suffix`` (default ``_old``), ``old_banner``, ``old_status_meta`` (true | false); it
takes the title, category and breadcrumb of the current page.

Order matters: pages are numbered M001, M002 ... round-robin over the categories in ``corpus.json``
order, taking each category's pages in file-number order (``NN``; gaps are fine), so adding or moving
a page renumbers the HTML files after it (questions and ``@rel`` / ``[[..|@key]]`` links name pages
by key and follow).  Dev questions get their ids (Q001 ...) from their line order; the out-of-scope
ones are kept last so that adding one never moves an in-scope id.

Why this format: the page bodies were already a line-oriented markup, so each page is now a plain
text file a content writer opens, edits and diffs on its own, in any editor, without Python string
quoting, f-string brace doubling or escaping.  The header is ``name: value`` lines rather than YAML
so no extra package is needed and no value is silently re-typed (YAML would turn ``2026-05-01`` into
a date and ``no`` into false).  The structured lists (rates, channels, regions, questions, assets)
are JSON because they carry numbers that must stay numbers in the XLSX files, one row a line so a
row reads like a table row.  Files may be saved with a BOM or CRLF line ends (Windows editors); both
are accepted.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .derived import ROWS, Tables, sheet_rows
from .model import Q_CATEGORIES, Q_STYLES, Asset, Category, Corpus, Page, Question
from .skins import SKINS

DATA_DIR = Path(__file__).resolve().parents[1] / "samples"

_BOOL = {"true": True, "false": False}
_CHOICES = {
    "skin": SKINS,
    "enc": ("utf-8", "utf-8-sig", "cp949"),
    "charset": ("auto", "meta", "http-equiv", "ks_c", "none"),
    "date_fmt": ("iso", "dot", "kor"),
}
_HEADER: dict[str, type] = {
    "title": str, "date": str, "sub": str, "first_date": str, "skin": str, "enc": str, "charset": str,
    "meta_tags": bool, "scripts": bool, "malformed": int, "date_fmt": str, "crlf": bool, "noscript": bool,
    "comment": str, "old_of": str, "old_suffix": str, "old_banner": bool, "old_status_meta": bool,
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PAGE_FILE = re.compile(r"^(\d+)-([a-z0-9_]+)\.txt$")
_Q_KEYS = {"category", "style", "question", "gold", "answer_facts", "in_table", "attachment", "out_of_scope"}


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")


def parse_header(lines: list[str], where: str) -> dict[str, object]:
    """``name: value`` lines -> typed values (str, int, bool) for the Page fields."""
    out: dict[str, object] = {}
    for ln in lines:
        if not ln.strip():
            continue
        name, sep, value = ln.partition(":")
        name, value = name.strip(), value.strip()
        if not sep or name not in _HEADER:
            raise ValueError(f"{where}: bad header line {ln!r} (fields: {', '.join(_HEADER)})")
        kind = _HEADER[name]
        if kind is bool:
            if value not in _BOOL:
                raise ValueError(f"{where}: {name} must be true or false, not {value!r}")
            out[name] = _BOOL[value]
        elif kind is int:
            out[name] = int(value)
        else:
            if name in _CHOICES and value not in _CHOICES[name]:
                raise ValueError(f"{where}: {name} must be one of {_CHOICES[name]}, not {value!r}")
            if name in ("date", "first_date") and not _DATE.match(value):
                raise ValueError(f"{where}: {name} must be yyyy-mm-dd, not {value!r}")
            out[name] = value
    return out


def expand_rows(body: str, tables: Tables, where: str) -> str:
    """Replace each ``@rows <name>`` line by the table rows samplegen.derived computes for it."""
    out = []
    for ln in body.split("\n"):
        if ln.strip().startswith("@rows "):
            name = ln.strip()[6:].strip()
            if name not in ROWS:
                raise ValueError(f"{where}: unknown '@rows {name}' (known: {', '.join(sorted(ROWS))})")
            out.append(ROWS[name](tables))
        else:
            out.append(ln)
    return "\n".join(out)


def read_page(path: Path, cat: str, tables: Tables) -> Page:
    where = f"{path.parent.name}/{path.name}"
    m = _PAGE_FILE.match(path.name)
    if not m:
        raise ValueError(f"{where}: a page file is named NN-<key>.txt (key: a-z, 0-9, _)")
    head, sep, body = _text(path).partition("\n---\n")
    if not sep:
        raise ValueError(f"{where}: no '---' line between the header and the body")
    fields = parse_header(head.split("\n"), where)
    if "old_of" in fields:
        of = str(fields["old_of"])
        if m.group(2) != of + str(fields.get("old_suffix", "_old")):
            raise ValueError(f"{where}: an old version of {of} is named NN-{of}{fields.get('old_suffix', '_old')}.txt")
        key = of + "@old"
        fields.setdefault("title", "")
    else:
        key = m.group(2)
        for need in ("title", "date"):
            if need not in fields:
                raise ValueError(f"{where}: header field {need!r} is required")
    if "date" not in fields:
        raise ValueError(f"{where}: header field 'date' is required")
    return Page(key=key, cat=cat, body=expand_rows(body, tables, where), **fields)  # type: ignore[arg-type]


def read_pages(folder: Path, cat: str, tables: Tables) -> list[Page]:
    files = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
    bad = [p.name for p in files if not _PAGE_FILE.match(p.name)]
    if bad:
        raise ValueError(f"{folder.name}: not a page file (NN-<key>.txt): {bad}")
    files.sort(key=lambda p: (int(_PAGE_FILE.match(p.name).group(1)), p.name))  # type: ignore[union-attr]
    return [read_page(p, cat, tables) for p in files]


def read_assets(path: Path, tables: Tables) -> dict[str, Asset]:
    assets: dict[str, Asset] = {}
    for e in json.loads(_text(path)):
        kind = e["kind"]
        if kind in ("pdf", "hwp"):
            payload: object = e["text"]
        elif kind == "png":
            payload = tuple(e["size"])
        elif kind == "xlsx":
            payload = (e["sheet"], e["rows"] if "rows" in e else sheet_rows(e["table"], tables))
        else:
            raise ValueError(f"assets.json: {e['path']}: unknown kind {kind!r}")
        if e["path"] in assets:
            raise ValueError(f"assets.json: {e['path']} listed twice")
        assets[e["path"]] = Asset(e["path"], kind, payload)
    return assets


def read_questions(path: Path) -> list[Question]:
    out = []
    for n, line in enumerate(_text(path).split("\n"), 1):
        if not line.strip():
            continue
        e = json.loads(line)
        where = f"questions.jsonl line {n}"
        if set(e) - _Q_KEYS:
            raise ValueError(f"{where}: unknown fields {sorted(set(e) - _Q_KEYS)}")
        if e["category"] not in Q_CATEGORIES or e["style"] not in Q_STYLES:
            raise ValueError(f"{where}: category must be one of {Q_CATEGORIES}, style one of {Q_STYLES}")
        q = Question(e["category"], e["style"], e["question"], e.get("gold", []), e.get("answer_facts", []),
                     e.get("in_table", False), e.get("attachment"), e.get("out_of_scope", False))
        if not isinstance(q.gold, list) or not isinstance(q.facts, list):
            raise TypeError(f"{where}: gold and answer_facts are lists")
        if q.out_of_scope and (q.gold or q.facts or q.in_table or q.attachment):
            raise ValueError(f"{where}: an out-of-scope question has no gold, answer_facts, in_table or attachment")
        out.append(q)
    return out


def load(data_dir: Path = DATA_DIR) -> Corpus:
    """Read everything under ``data_dir``; every call returns fresh objects."""
    meta = json.loads(_text(data_dir / "corpus.json"))
    categories = [Category(**c) for c in meta["categories"]]
    tables: Tables = {p.stem: json.loads(_text(p)) for p in sorted((data_dir / "tables").glob("*.json"))}
    folders = {p.name for p in (data_dir / "pages").iterdir() if p.is_dir()}
    unknown = folders - {c.prefix for c in categories}
    if unknown:
        raise ValueError(f"pages/: folders {sorted(unknown)} are not category prefixes in corpus.json")
    pages: list[Page] = []
    old_pages: list[Page] = []
    for c in categories:
        for p in read_pages(data_dir / "pages" / c.prefix, c.name, tables):
            (old_pages if p.old_of else pages).append(p)
    return Corpus(
        categories=categories,
        gap_numbers=set(meta["gap_numbers"]),
        pages=pages,
        old_pages=old_pages,
        assets=read_assets(data_dir / "assets.json", tables),
        questions=read_questions(data_dir / "questions.jsonl"),
        readme_template=_text(data_dir / "corpus_readme.md"),
    )
