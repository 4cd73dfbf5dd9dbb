"""The security suite's printed table: one row per payload class, how many payloads were tried and how many
were rendered as markup, leaked or crashed something (all 0 when the suite passes). Printed at the end of
`make test` (tests/conftest.py) so a reviewer reads the figures, not only a green dot."""

from __future__ import annotations

from tests.conftest import REPORTS

TITLE = "security (payload class | tried | rendered/leaked/crashed)"


def record(payload_class: str, tried: int, failed: int) -> None:
    """Add (or replace) the row of `payload_class`: `tried` payloads, `failed` of them got through."""
    lines = REPORTS.setdefault(TITLE, [])
    lines[:] = [line for line in lines if not line.startswith(f"{payload_class} |")]
    lines.append(f"{payload_class} | {tried} | {failed}")
    lines.sort()
