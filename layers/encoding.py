"""Text encodings of legacy Vietnamese shapefiles: UTF-8, TCVN3 (ABC) and VNI.

Vietnamese offices still deliver shapefiles whose ``.dbf`` text is in the pre-Unicode font encodings
**TCVN3** (TCVN 5712:1993 "ABC", fonts ``.VnTime``) or **VNI-Windows** (fonts ``VNI-Times``), often
without a ``.cpg`` file.  GDAL then decodes the bytes as Latin-1/CP1252 and the names come out as
``Ph­êng §¹o Th¹nh`` instead of ``Phường Đạo Thạnh``.

The reader gets the raw bytes of every text value (the shapefile is opened as Latin-1, a one-to-one
byte mapping) and decides per column:

* valid UTF-8 → decoded as UTF-8 (the normal case);
* a ``.cpg`` naming another code page (e.g. ``1258``) → decoded with it;
* otherwise the bytes are a legacy single-byte encoding.  **TCVN3** puts each accented vowel in one
  byte, so its high bytes usually follow a consonant; **VNI** writes the plain vowel followed by
  one or two accent bytes, so its high bytes usually follow a vowel or another accent byte.  When
  fewer than 45 % of the high bytes follow a vowel/accent and at least 90 % are TCVN3 letters, the
  column is **converted from TCVN3**; otherwise (VNI, or unknown) the load is **refused** with the
  column and an example, and the user re-saves the file as UTF-8 (e.g. Unikey's converter, or QGIS
  "Save as… UTF-8") or names the encoding with ``--encoding``.

All text is normalised to Unicode NFC, so decomposed diacritics (from CP1258 or macOS) compare and
index like precomposed ones.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import pandas as pd

from layers.errors import SourceError

#: TCVN3 (ABC) byte → Unicode for the Vietnamese letters (lower case, plus the 7 base capitals).
TCVN3: dict[int, str] = dict(
    zip(
        b"\xb5\xb8\xb6\xb7\xb9\xa8\xbb\xbe\xbc\xbd\xc6\xa9\xc7\xca\xc8\xc9\xcb\xae\xcc\xd0\xce\xcf\xd1"
        b"\xaa\xd2\xd5\xd3\xd4\xd6\xd7\xdd\xd8\xdc\xde\xdf\xe3\xe1\xe2\xe4\xab\xe5\xe8\xe6\xe7\xe9"
        b"\xac\xea\xed\xeb\xec\xee\xef\xf3\xf1\xf2\xf4\xad\xf5\xf8\xf6\xf7\xf9\xfa\xfd\xfb\xfc\xfe"
        b"\xa1\xa2\xa7\xa3\xa4\xa5\xa6",
        "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ",
        strict=True,
    )
)
#: Bytes that stand for consonants or ư in TCVN3 (đ, Đ, ư): a high byte after them is normal there.
_TCVN3_NOT_VOWEL = {0xAE, 0xA7, 0xAD}
_VOWELS = set(b"aeiouyAEIOUY")
_UTF8_NAMES = {"utf-8", "utf8", "65001"}


def tcvn3_to_unicode(raw: bytes) -> str:
    """Decode TCVN3 (ABC) bytes.

    Examples
    --------
    >>> tcvn3_to_unicode("Ph\\xadêng §¹o Th¹nh".encode("latin-1"))
    'Phường Đạo Thạnh'
    """
    return "".join(TCVN3.get(b, chr(b)) for b in raw)


def guess_legacy(samples: Iterable[bytes]) -> str:
    """Guess ``"tcvn3"``, ``"vni"`` or ``"unknown"`` for non-UTF-8 Vietnamese bytes (see module doc)."""
    high = after_vowel = tcvn_letters = 0
    for raw in samples:
        prev = 0
        for byte in raw:
            if byte >= 0x80:
                high += 1
                tcvn_letters += byte in TCVN3
                if prev in _VOWELS or (prev >= 0x80 and prev not in _TCVN3_NOT_VOWEL):
                    after_vowel += 1
            prev = byte
    if high == 0:
        return "unknown"
    if after_vowel / high >= 0.45:
        return "vni"
    return "tcvn3" if tcvn_letters / high >= 0.9 else "unknown"


def _decode_utf8(raws: pd.Series) -> pd.Series | None:
    try:
        return raws.map(lambda b: None if b is None else b.decode("utf-8"))
    except UnicodeDecodeError:
        return None


def decode_column(
    values: pd.Series, *, column: str, source: str, encoding: str | None = None
) -> tuple[pd.Series, str]:
    """Decode a text column read as Latin-1 (raw bytes) into Unicode.

    Parameters
    ----------
    values:
        Strings whose code points are the file's bytes (read with encoding ``latin1``).
    column, source:
        Named in errors.
    encoding:
        A known encoding (``utf-8``, ``cp1258``, ``tcvn3``…); guessed when None.

    Returns
    -------
    The decoded column (NFC) and the encoding used.
    """
    raws = values.astype(object).map(lambda v: None if _missing(v) else str(v).encode("latin-1"))
    if encoding is None or encoding.lower() in _UTF8_NAMES:
        decoded = _decode_utf8(raws)
        if decoded is not None:
            return _nfc(decoded), "utf-8"
        if encoding is not None:
            raise _bad(column, source, raws, "is not valid UTF-8")
        encoding = guess_legacy(r for r in raws if r is not None)
        if encoding != "tcvn3":
            what = "looks VNI-encoded" if encoding == "vni" else "is in an unknown legacy encoding"
            raise _bad(column, source, raws, what)
    if encoding.lower() in {"tcvn3", "abc", "tcvn"}:
        return _nfc(raws.map(lambda b: None if b is None else tcvn3_to_unicode(b))), "tcvn3"
    try:
        return _nfc(raws.map(lambda b: None if b is None else b.decode(encoding))), encoding
    except (LookupError, UnicodeDecodeError) as exc:
        raise _bad(column, source, raws, f"cannot be decoded as {encoding} ({exc})") from exc


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))  # type: ignore[call-overload]


def _nfc(values: pd.Series) -> pd.Series:
    return values.astype(object).map(lambda s: None if s is None else unicodedata.normalize("NFC", s))


def _bad(column: str, source: str, raws: pd.Series, what: str) -> SourceError:
    example = next((r for r in raws if r is not None and any(b >= 0x80 for b in r)), b"")
    return SourceError(
        f"{source}: text in column {column!r} {what} (e.g. {example.decode('latin-1')!r}).",
        hint="Re-save the file as UTF-8 (Unikey's converter or QGIS 'Save Features As…' with "
        "encoding UTF-8), or name the encoding with --encoding (utf-8, cp1258, tcvn3).",
    )
