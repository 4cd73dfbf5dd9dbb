"""Resolving links found in a page to root-relative file paths, never outside the root."""

from __future__ import annotations

import html
import mimetypes
import posixpath
import re
from urllib.parse import unquote_to_bytes, urlsplit

from backend.storage.base import UnsafeKeyError, check_key

PAGE_SUFFIXES = (".html", ".htm")
# Web pages (static or server-side) and page resources (<link href="x.css">): never attachments.
_PAGE_LIKE = {".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx", ".jsp", ".do", ".css", ".js"}
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>]+))""", re.IGNORECASE)
# A scheme-less link to a web site, as editors leave them: "www.bokjiro.go.kr", "gov.kr/portal", "a@b.com".
# Its first part is a host name: "www.<name>.<tld>", or dotted labels ending in a common top-level domain.
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?P<tld>[a-z]{2,})$", re.IGNORECASE)
# A file whose name ends in one of these is taken for a web site: a link to "setup.com" or "guide.io" beside
# the page is treated as a web address, not an attachment (an attachment link normally ends in a document
# extension, below, and "naver.com" is far more often a site than a file).
_WEB_TLDS = {"com", "net", "org", "edu", "gov", "mil", "int", "biz", "io", "kr", "jp", "cn", "us", "uk", "eu"}
# Attachment extensions: a first part ending in one is a file, never a host ("www.rates.xlsx", "www.manual.hwp"),
# whatever else it looks like. None of them is in `_WEB_TLDS`.
_ATTACHMENT_EXTENSIONS = {
    "pdf", "hwp", "hwpx", "doc", "docx", "xls", "xlsx", "csv", "ppt", "pptx", "txt", "rtf", "odt", "ods", "odp",
    "zip", "7z", "rar", "png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp", "svg", "mp3", "mp4", "avi",
    "wmv", "mov",
}

# Types missing from some systems' mime tables but common in Korean manuals.
mimetypes.add_type("application/x-hwp", ".hwp")
mimetypes.add_type("application/haansofthwpx", ".hwpx")
mimetypes.add_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")


def is_page_path(path: str) -> bool:
    """True for `.html` / `.htm` files (case-insensitive)."""
    return path.lower().endswith(PAGE_SUFFIXES)


def safe_relative_path(path: str) -> str | None:
    """`path` normalised to a relative POSIX path inside the root, or None if it would leave the root."""
    path = path.replace("\\", "/")
    if not path or path.startswith("/"):
        return None
    normalised = posixpath.normpath(path)
    try:
        return check_key(normalised)
    except UnsafeKeyError:
        return None


def looks_like_web_address(href: str) -> bool:
    """True for a link without scheme whose first part is a host name ("www.bokjiro.go.kr",
    "bokjiro.go.kr/main", "WWW.gov.kr?x=1") or a mail address ("help@example.co.kr"): a web site, not a
    file beside the page. "./www.x.kr" and "/www.x.kr" stay files (explicitly a path), and so does a first
    part ending in an attachment extension ("www.rates.pdf"); "setup.com" is taken for a site (see
    `_WEB_TLDS`)."""
    first = re.split(r"[/?#\\]", href.strip(), maxsplit=1)[0]
    host = first.rsplit("@", 1)[1] if "@" in first else first
    match = _HOST.match(host)
    if match is None or match["tld"].lower() in _ATTACHMENT_EXTENSIONS:
        return False
    www = host.lower().startswith("www.") and host.count(".") >= 2 and "@" not in first
    return www or match["tld"].lower() in _WEB_TLDS


def resolve_href(page_path: str, href: str, root_name: str | None = None) -> str | None:
    """The root-relative POSIX path a link on `page_path` points to, or None.

    None for links that are not local files (other schemes, hosts, web addresses written without
    "http://", bare fragments/queries, empty) and for paths escaping the root. A leading "/" means the root of the manuals (as the web server serving them
    sees it). A path that leaves the root and re-enters it by its name ("../manuals/files/a.pdf" from a page
    at the top of a root folder named "manuals") is inside. Percent-escapes are decoded as UTF-8, or cp949 for legacy pages that encode file names that way.
    """
    href = href.strip()
    if not href or href.startswith(("#", "?")):
        return None
    parts = urlsplit(href.replace("\\", "/"))
    if parts.scheme or parts.netloc or looks_like_web_address(href):
        return None
    raw = unquote_to_bytes(parts.path)
    try:
        target = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            target = raw.decode("cp949")
        except UnicodeDecodeError:
            return None
    if not target:
        return None
    if target.startswith("/"):
        joined = target.lstrip("/")
    else:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), target))
        if root_name and joined.startswith(f"../{root_name}/"):
            joined = joined[len(root_name) + 4:]
    return safe_relative_path(joined)


def is_attachment_path(path: str) -> bool:
    """A link target that is a downloadable file: has an extension and is not a web page."""
    ext = posixpath.splitext(path)[1].lower()
    return bool(ext) and ext not in _PAGE_LIKE


def attachment_candidates(page_path: str, html_text: str, root_name: str | None = None) -> list[str]:
    """Every attachment-like path any `href` in the raw page text points to (sorted, unique).

    A cheap superset of the parsed attachment links (it also sees links in menus or comments), used for
    the page hash so that an unchanged page is recognised without parsing it.
    """
    found = set()
    for match in _HREF.finditer(html_text):
        href = next(g for g in match.groups() if g is not None)
        path = resolve_href(page_path, _unescape_entities(href), root_name)
        if path and is_attachment_path(path):
            found.add(path)
    return sorted(found)


def media_type(path: str) -> str:
    """MIME type guessed from the file name; application/octet-stream when unknown."""
    return mimetypes.guess_type(path, strict=False)[0] or "application/octet-stream"


def _unescape_entities(value: str) -> str:
    return html.unescape(value) if "&" in value else value
