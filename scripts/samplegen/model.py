"""Data classes of the sample corpus and the constants shared by the generator modules."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

COMPANY = "한빛텔레콤"
COMPANY_EN = "Hanbit Telecom"

# Strings that must never be indexed: they live only in <script>, <style> and comments.
CANARY_SCRIPT = "스크립트카나리아"
CANARY_STYLE = "스타일카나리아"
CANARY_COMMENT = "주석카나리아"

ZIP_DATE = (2026, 5, 1, 9, 0, 0)  # fixed timestamp for every zip member (XLSX)

Q_CATEGORIES = ("프로세스", "기능/내용", "상품추천", "조건탐색", "비교")
Q_STYLES = ("단답형", "간결한 문장형", "일반 문장형")


@dataclass
class Category:
    """One manual category (breadcrumb level 3); its pages live in ``scripts/samples/pages/<prefix>/``."""

    name: str
    prefix: str  # manual-id prefix (KMS-INT-0004) and folder name
    section: str  # breadcrumb level 2: 상품매뉴얼 | 업무프로세스
    dept: str  # owning department shown in the document info


@dataclass
class Page:
    """One manual page (current or superseded)."""

    key: str  # stable identifier used by questions and cross links
    cat: str  # category (breadcrumb level 3)
    title: str
    date: str  # revision date, ISO yyyy-mm-dd
    body: str  # markup, see markup.render_body()
    sub: str | None = None  # breadcrumb level 4
    skin: str | None = None  # kms | legacy | board | lite (default chosen from key)
    enc: str = "utf-8"  # utf-8 | utf-8-sig | cp949
    charset: str | None = "auto"  # auto | meta | http-equiv | ks_c | none
    meta_tags: bool | None = None  # <meta name="manual-id"> etc. (default: not on board skin)
    scripts: bool | None = None  # inline <script>/<style> with canaries (default by skin)
    comment: str | None = None  # extra HTML comment (always carries the comment canary)
    malformed: int = 0  # 0 = well-formed, 1..6 = breakage recipe, see skins.malform()
    first_date: str | None = None  # 최초 등록일 (shown on some skins)
    date_fmt: str | None = None  # iso | dot | kor (default by skin)
    crlf: bool = False  # write CRLF line endings (legacy editor)
    noscript: bool = False
    # superseded versions only
    old_of: str | None = None  # key of the current page this one is an old version of
    old_suffix: str = "_old"
    old_banner: bool = True
    old_status_meta: bool = True
    # filled in by writer.assign_files()
    file: str = ""
    manual_id: str = ""


@dataclass
class Asset:
    """A file under manuals/files or manuals/img."""

    path: str  # relative to the manuals root, e.g. "files/이사신청서.pdf"
    kind: str  # pdf | xlsx | png | hwp
    payload: object  # text for pdf/hwp, (sheet, rows) for xlsx, (w, h) for png


@dataclass
class Question:
    """One dev question; gold pages are given by page key and turned into file names."""

    category: str
    style: str
    question: str
    gold: list[str]
    facts: list[str]
    in_table: bool
    attachment: str | None = None
    out_of_scope: bool = False  # the manuals do not hold the answer: a good answer says so


@dataclass
class Corpus:
    """Everything read from ``scripts/samples/``: fresh objects on every load (no module state)."""

    categories: list[Category]
    gap_numbers: set[int]  # page numbers deleted from the KMS: the corpus has gaps, like the real one
    pages: list[Page]  # current pages, in category order, then file order inside a category
    old_pages: list[Page]  # superseded versions, same order
    assets: dict[str, Asset]
    questions: list[Question]
    readme_template: str
    cat_info: dict[str, Category] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.cat_info = {c.name: c for c in self.categories}


def won(n: int) -> str:
    """33000 -> '33,000원'."""
    return f"{n:,}원"


def stable_hash(key: str) -> int:
    """Small deterministic hash of a string (crc32), used for stylistic choices."""
    return zlib.crc32(key.encode("utf-8"))
