"""Tiny but valid attachment files: PDF, PNG and XLSX, plus an HWP placeholder (OLE header only)."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

from .model import COMPANY_EN, ZIP_DATE, Asset, stable_hash


def make_pdf(text: str) -> bytes:
    """A minimal valid one-page PDF showing one line of (ASCII) text."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 12 Tf 50 780 Td ({safe}) Tj ET".encode("ascii")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def make_png(width: int, height: int, seed: int) -> bytes:
    """A valid RGB PNG with a simple deterministic pattern (stripes + frame)."""
    base = ((seed * 53) % 200 + 30, (seed * 97) % 200 + 30, (seed * 31) % 200 + 30)
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type: none
        for x in range(width):
            if x in (0, width - 1) or y in (0, height - 1):
                px = (40, 40, 40)
            elif ((x + y + seed) // 6) % 2:
                px = base
            else:
                px = (245, 245, 245)
            rows += bytes(px)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b"")


def make_hwp(title: str) -> bytes:
    """An HWP *placeholder*: OLE2 magic, padding and a readable marker (not a real HWP)."""
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    marker = ("HWP Document File (placeholder) :: " + title).encode("utf-8")
    return head + b"\x00" * (512 - len(head)) + marker + b"\x00" * 64


def make_xlsx(sheet: str, rows: list[list[object]]) -> bytes:
    """A small XLSX written with openpyxl, then re-zipped with fixed timestamps."""
    import datetime

    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    fixed = datetime.datetime(2026, 5, 1, 9, 0, 0)
    wb.properties.creator = COMPANY_EN + " KMS"
    wb.properties.created = fixed
    buf = io.BytesIO()
    wb.save(buf)
    # openpyxl stamps 'modified' with the clock and zip entries with local time: normalise both.
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            data = src.read(name)
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-05-01T09:00:00Z", data)
                data = re.sub(rb"(<dcterms:created[^>]*>)[^<]*", rb"\g<1>2026-05-01T09:00:00Z", data)
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, data)
    return out.getvalue()


def build_asset(asset: Asset) -> bytes:
    """The bytes of one attachment or image."""
    if asset.kind == "pdf":
        return make_pdf(str(asset.payload))
    if asset.kind == "hwp":
        return make_hwp(str(asset.payload))
    if asset.kind == "png":
        w, h = asset.payload  # type: ignore[misc]
        return make_png(w, h, stable_hash(asset.path) % 97)
    if asset.kind == "xlsx":
        sheet, rows = asset.payload  # type: ignore[misc]
        return make_xlsx(sheet, rows)
    raise ValueError(asset.kind)
