from __future__ import annotations

import pytest

from etl.decode import DecodeError, declared_encoding, decode_html, normalize_encoding

pytestmark = pytest.mark.unit

BODY = "<p>기가인터넷 이사 신청은 고객센터에서 접수합니다. 똠방각하 설치비는 27,500원입니다.</p>"


def doc(head: str = "") -> str:
    return f"<html><head>{head}</head><body>{BODY}</body></html>"


def test_utf8_without_declaration():
    decoded = decode_html(doc().encode("utf-8"))
    assert (decoded.encoding, decoded.method) == ("utf-8", "utf-8")
    assert BODY in decoded.text


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")],
)
def test_bom_wins_over_a_wrong_declaration(bom, codec):
    data = bom + doc('<meta charset="euc-kr">').encode(codec)
    decoded = decode_html(data)
    assert decoded.method == "bom"
    assert BODY in decoded.text
    assert not decoded.text.startswith("\ufeff")


@pytest.mark.parametrize(
    "head",
    [
        '<meta charset="euc-kr">',
        '<meta http-equiv="Content-Type" content="text/html; charset=ks_c_5601-1987">',
        "<meta http-equiv='content-type' content='text/html;charset=EUC-KR'>",
    ],
)
def test_cp949_with_declaration(head):
    # "똠" is outside EUC-KR (KS X 1001) and only in cp949: a strict EUC-KR decoder would fail.
    decoded = decode_html(doc(head).encode("cp949"))
    assert (decoded.encoding, decoded.method) == ("cp949", "declared")
    assert "똠방각하" in decoded.text


def test_cp949_without_declaration_is_detected():
    decoded = decode_html(doc().encode("cp949"))
    assert (decoded.encoding, decoded.method) == ("cp949", "detected")
    assert BODY in decoded.text


def test_short_cp949_page_is_not_mistaken_for_another_cjk_codec():
    decoded = decode_html("<p>이사</p>".encode("cp949"))
    assert decoded.text == "<p>이사</p>"


def test_declared_utf8_on_cp949_bytes_falls_back_to_detection():
    decoded = decode_html(doc('<meta charset="utf-8">').encode("cp949"))
    assert decoded.encoding == "cp949"
    assert BODY in decoded.text


def test_declared_euckr_on_utf8_bytes_is_read_as_utf8():
    decoded = decode_html(doc('<meta charset="euc-kr">').encode("utf-8"))
    assert decoded.encoding == "utf-8"
    assert BODY in decoded.text


def test_declared_latin1_on_korean_bytes_is_not_mojibake():
    head = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
    decoded = decode_html(doc(head).encode("cp949"))
    assert decoded.encoding == "cp949"
    assert BODY in decoded.text


def test_undecodable_bytes_raise_a_korean_reason():
    with pytest.raises(DecodeError, match="문자 인코딩을 알 수 없습니다"):
        decode_html(bytes(range(128, 256)) * 4)


def test_encoding_labels():
    assert normalize_encoding("EUC-KR") == "cp949"
    assert normalize_encoding("ks_c_5601-1987") == "cp949"
    assert normalize_encoding("UTF-8") == "utf-8"
    assert normalize_encoding("no-such-charset") is None
    assert declared_encoding(b'<html><head><meta charset="euc-kr"></head>') == "cp949"
    assert declared_encoding(b"<html><head></head>") is None
