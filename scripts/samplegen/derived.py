"""Table rows computed from ``scripts/samples/tables/*.json``.

A page body pulls rows in with a line ``@rows <name>`` inside its ``[table]`` block (see :data:`ROWS`);
an XLSX attachment in ``assets.json`` names its sheet's rows with ``"table": "<name>"`` (see
:func:`sheet_rows`).  Tables live here, not in the page text, when their rows are computed (25%
선택약정 price, 공시지원금 tiers, 홈결합 totals) or when the same rows also fill an XLSX file, so
the page and the attachment can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable

from .model import won

Tables = dict[str, dict]  # file stem -> parsed JSON ({"columns": [...], "rows": [[...], ...], ...})


def _rows(tables: Tables, name: str) -> list[list]:
    return tables[name]["rows"]


def int_plans_rows(t: Tables) -> str:
    """인터넷 요금표; the basic router is free up to a 3-year price under 49,500원."""
    return "\n".join(
        f"| ^{n} | {s} | {won(a)} | {won(b)} | {won(c)} | {won(d)} | {'기가WiFi 홈 무료' if d < 49500 else '기가WiFi 프로 무료'} |"
        for n, s, a, b, c, d in _rows(t, "int_plans")
    )


def mob_5g_rows(t: Tables) -> str:
    """5G 요금제; the 선택약정 column is the monthly fee less 25%."""
    return "\n".join(f"| ^{n} | {won(p)} | {d} | {s} | {won(p * 3 // 4)} | {b} |" for n, p, d, s, b in _rows(t, "mob_5g"))


def home_bundle_total(t: Tables, inet: str, tv: str) -> int:
    """Monthly total (3-year contracts) of 인터넷 + TV after 홈결합 discounts."""
    inet_fee = next(p[5] for p in _rows(t, "int_plans") if p[0] == inet)
    tv_fee, tv_disc = next((fee, disc) for name, fee, disc in _rows(t, "home_bundle") if name == tv)
    return inet_fee + tv_fee - t["home_bundle"]["internet_discount"][inet] - tv_disc


def home_matrix_rows(t: Tables) -> str:
    """인터넷 x TV 조합별 월 합계."""
    tvs = [row[0] for row in _rows(t, "home_bundle")]
    return "\n".join(
        f"| ^{n} | " + " | ".join(won(home_bundle_total(t, n, tv)) for tv in tvs) + " |" for n, *_ in _rows(t, "int_plans")
    )


def subsidy(i: int, price: int) -> tuple[int, int, int, int]:
    """Deterministic 공시지원금 (slim, standard, premier tier) and 추가지원금 (15% of premier)."""
    slim = price * (8 + (i % 5) * 2) // 100 // 10000 * 10000
    std = slim + price * 6 // 100 // 10000 * 10000
    prem = min(std + price * 10 // 100 // 10000 * 10000, 700000)
    return slim, std, prem, prem * 15 // 100 // 10 * 10


def subsidy_rows(t: Tables) -> str:
    """공시지원금 표, grouped by maker (stable) so the maker column can use rowspan."""
    models = _rows(t, "subsidy_models")
    rows, prev = [], None
    counts: dict[str, int] = {}
    for mk, _, _ in models:
        counts[mk] = counts.get(mk, 0) + 1
    grouped = sorted(enumerate(models), key=lambda e: (list(counts).index(e[1][0]), e[0]))
    for i, (mk, model, price) in grouped:
        s1, s2, s3, ex = subsidy(i, price)
        head = f"^{{r{counts[mk]}}}{mk} | " if mk != prev else ""
        rows.append(f"| {head}{model} | {won(price)} | {won(s1)} | {won(s2)} | {won(s3)} | {won(ex)} |")
        prev = mk
    return "\n".join(rows)


def region_rows(t: Tables) -> str:
    """지역별 추가 출장비; consecutive rows of one 시도 share a rowspan cell."""
    regions = _rows(t, "regions")
    rows, prev = [], None
    counts: dict[str, int] = {}
    for r in regions:
        counts[r[0]] = counts.get(r[0], 0) + 1
    for sido, sgg, zone, fee, days in regions:
        head = f"^{{r{counts[sido]}}}{sido} | " if sido != prev else ""
        rows.append(f"| {head}{sgg} | {zone} | {won(fee) if fee else '없음'} | {days}일 |")
        prev = sido
    return "\n".join(rows)


ROWS: dict[str, Callable[[Tables], str]] = {
    "int_plans": int_plans_rows,
    "mob_5g": mob_5g_rows,
    "home_matrix": home_matrix_rows,
    "subsidy": subsidy_rows,
    "regions": region_rows,
    "channels": lambda t: "\n".join(f"| {n} | {name} | {g} | {pl} |" for n, name, g, pl in _rows(t, "channels")),
    "addons": lambda t: "\n".join(f"| {g} | ^{n} | {fee} | {d} |" for n, fee, d, g in _rows(t, "addons")),
    "intl_rates": lambda t: "\n".join(f"| ^{c} | {code} | {fee} |" for c, code, fee in _rows(t, "intl_rates")),
}


def sheet_rows(name: str, t: Tables) -> list[list[object]]:
    """Rows (header first) of an XLSX sheet: a table file as it is, or ``subsidy`` with computed tiers."""
    if name == "subsidy":
        head = t["subsidy_models"]["columns"] + ["슬림", "스탠다드", "프리미어", "추가지원금"]
        return [head] + [[mk, m, p, *subsidy(i, p)] for i, (mk, m, p) in enumerate(_rows(t, "subsidy_models"))]
    return [list(t[name]["columns"])] + [list(r) for r in _rows(t, name)]
