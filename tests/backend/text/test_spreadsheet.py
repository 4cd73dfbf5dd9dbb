"""`backend.text.spreadsheet.formula_safe`: CSV cells a spreadsheet would run get a leading quote."""

from __future__ import annotations

import pytest

from backend.text.spreadsheet import formula_safe

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(1)", "\t1", "\r1", " =1", "\u3000=1", "\u200b@A1",
                                  "＝1", "＋1", "－1", "＠A1", "﹦1", "−1", "–1"])
def test_formula_like_text_is_quoted(cell):
    assert formula_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["요금이 달라요", "-", "", "'=1", "48,400원", "a=1", "[1] 참고", 0, 1, -3, 2.5, None])
def test_everything_else_is_kept(cell):
    assert formula_safe(cell) == cell
