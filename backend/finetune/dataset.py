"""The instruction dataset file: one JSON object a line (`raft.Example.to_dict`), its stats and its hash.

The hash (SHA-256 of the file's bytes) names the data a model was trained on: it goes into the adapter's
model card, so a score can always be traced back to the exact examples.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backend.files import atomic_write_bytes, atomic_write_json


@dataclass(frozen=True)
class DatasetInfo:
    """What `write_dataset` wrote: where, how many, the hash and the counts by split, kind and category."""

    path: str
    examples: int
    sha256: str
    by_split: dict[str, int]
    by_kind: dict[str, dict[str, int]]  # split -> kind -> n
    by_category: dict[str, dict[str, int]]  # split -> category -> n
    pages: dict[str, int]  # split -> distinct oracle pages
    dropped: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def stats_path(path: Path) -> Path:
    """The stats file written beside a dataset (`F.jsonl` -> `F.stats.json`)."""
    return path.with_suffix(".stats.json")


def write_dataset(path: Path | str, examples: Iterable[dict[str, Any]], dropped: dict[str, int] | None = None) -> DatasetInfo:
    """Write the examples atomically as JSONL (sorted by split, then id: the file and its hash do not depend on
    generation order) and the stats beside it."""
    path = Path(path)
    rows = sorted(examples, key=lambda e: (e["split"], e["id"]))
    data = "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in rows).encode("utf-8")
    atomic_write_bytes(path, data)
    info = DatasetInfo(
        path=str(path),
        examples=len(rows),
        sha256=hashlib.sha256(data).hexdigest(),
        by_split=dict(Counter(r["split"] for r in rows)),
        by_kind=_nested(rows, "kind"),
        by_category=_nested(rows, "category"),
        pages={s: len({r["chunk_id"].split("#")[0] for r in rows if r["split"] == s}) for s in {r["split"] for r in rows}},
        dropped=dict(dropped or {}),
    )
    atomic_write_json(stats_path(path), info.to_dict())
    return info


def _nested(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, int]]:
    out: dict[str, Counter] = {}
    for r in rows:
        out.setdefault(r["split"], Counter())[r[key]] += 1
    return {s: dict(sorted(c.items())) for s, c in sorted(out.items())}


def read_dataset(path: Path | str, split: str | None = None) -> Iterator[dict[str, Any]]:
    """The examples of a dataset file (of one split when `split` is given)."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                if split is None or row.get("split") == split:
                    yield row


def file_sha256(path: Path | str) -> str:
    """SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
