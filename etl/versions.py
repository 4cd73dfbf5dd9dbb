"""Which manual versions are superseded: marked old by the page, or outdated by a later revision."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class VersionInfo:
    """The fields that decide whether a document is superseded."""

    manual_id: str | None
    revision_date: str | None  # ISO yyyy-mm-dd
    marked_old: bool


def superseded_flags(docs: Mapping[str, VersionInfo]) -> dict[str, bool]:
    """doc_id → superseded: marked old, or another document with the same manual id has a later revision
    date. Equal dates supersede nothing; a missing date neither supersedes nor is superseded by date."""
    latest: dict[str, str] = {}
    for info in docs.values():
        if info.manual_id and info.revision_date:
            if info.revision_date > latest.get(info.manual_id, ""):
                latest[info.manual_id] = info.revision_date
    flags = {}
    for doc_id, info in docs.items():
        newer = bool(
            info.manual_id and info.revision_date and latest.get(info.manual_id, "") > info.revision_date
        )
        flags[doc_id] = info.marked_old or newer
    return flags
