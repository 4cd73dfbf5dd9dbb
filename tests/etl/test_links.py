from __future__ import annotations

from urllib.parse import quote

import pytest

from etl.links import attachment_candidates, is_attachment_path, looks_like_web_address, media_type, resolve_href

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("page", "href", "expected"),
    [
        ("M001.html", "files/rates.xlsx", "files/rates.xlsx"),
        ("M001.html", "./files/rates.xlsx", "files/rates.xlsx"),
        ("internet/M004.html", "../files/이사신청서.pdf", "files/이사신청서.pdf"),
        ("internet/giga/M004.html", "../../files/a.pdf", "files/a.pdf"),
        ("M001.html", "files/" + quote("이사신청서.pdf"), "files/이사신청서.pdf"),
        ("M001.html", "files/%C0%CC%BB%E7.pdf", "files/이사.pdf"),  # cp949 percent-escapes of a legacy page
        ("M001.html", "files/a.pdf?v=3#page=2", "files/a.pdf"),
        ("M001.html", "/files/a.pdf", "files/a.pdf"),  # the web server's root is the manuals root
        ("M001.html", "files\\a.pdf", "files/a.pdf"),
        ("M001.html", "../manuals/files/a.pdf", "files/a.pdf"),  # leaves the root and comes back in by name
    ],
)
def test_resolves_inside_the_root(page, href, expected):
    assert resolve_href(page, href, root_name="manuals") == expected


@pytest.mark.parametrize(
    "href",
    [
        "../secret.pdf",
        "../../etc/passwd",
        "files/../../x.pdf",
        "%2E%2E/%2E%2E/x.pdf",
        "../other/files/a.pdf",
        "https://example.com/a.pdf",
        "//example.com/a.pdf",
        "mailto:a@example.com",
        "javascript:void(0)",
        "#top",
        "",
    ],
)
def test_rejects_links_outside_the_root_or_not_local(href):
    assert resolve_href("M001.html", href, root_name="manuals") is None


def test_attachment_paths_and_types():
    assert is_attachment_path("files/a.pdf")
    assert is_attachment_path("files/서식.hwp")
    assert not is_attachment_path("M002.html")
    assert not is_attachment_path("board/list.do")
    assert not is_attachment_path("files/README")
    assert not is_attachment_path("kms/static/css/common.css")
    assert media_type("files/a.pdf") == "application/pdf"
    assert media_type("files/a.hwp") == "application/x-hwp"
    assert media_type("files/a.unknownext") == "application/octet-stream"


def test_attachment_candidates_from_raw_text():
    html = """<a href="files/a.pdf">A</a> <a href='./files/b.xlsx'>B</a> <a href=files/c.hwp>C</a>
    <a href="M002.html">page</a> <a href="../../x.pdf">escape</a> <a href="files/a.pdf?x=1&amp;y=2">again</a>"""
    assert attachment_candidates("M001.html", html) == ["files/a.pdf", "files/b.xlsx", "files/c.hwp"]


@pytest.mark.parametrize(
    ("href", "web"),
    [
        ("setup.com", True),  # a file named like a site is taken for the site (the comment in etl/links.py)
        ("guide.io", True),
        ("www.hanbit.com/rates.pdf", True),  # a document on a web site
        ("www.rates.pdf", False),  # a first part ending in a document extension is a file, never a host
        ("WWW.Manual.HWP", False),
        ("www.forms.co.xlsx", False),
        ("www.bokjiro.go.kr", True),
    ],
)
def test_web_address_or_file(href, web):
    assert looks_like_web_address(href) is web
    assert (resolve_href("M001.html", href, "manuals") is None) is web
