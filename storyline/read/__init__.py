"""read: a Document -> a Page, trying readers in order of trust:

1. schema.org LiveBlogPosting JSON-LD (`jsonld`): structured updates with times;
2. the HTML DOM (`html`): post containers, headings, <time> elements;
3. plain text (`text`): the shape of each line.
"""

from __future__ import annotations

import codecs
import dataclasses
import re
from typing import Any

from ..errors import BadEncoding, BinaryDocument, EmptyDocument
from ..model import Document, Page

# Magic numbers of formats that are never a live blog.
_BINARY_MAGIC = (
    b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"BZh",
    b"\x7fELF", b"RIFF", b"\x00\x00\x01\x00", b"OggS", b"ID3", b"\xfd7zXZ", b"7z\xbc\xaf",
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)
# Control characters (C0 but tab and line ends, and DEL) have no place in a news text and
# would reach people's terminals as commands (ESC sequences retitle or clear them), and
# PostgreSQL refuses NUL: readers' output drops them, whatever escaping put them there
# (JSON "\u001b", HTML "&#27;"). Vertical tab and form feed read as a space. C1 characters
# stay: real pages carry them inside mojibake ("â\u0080\u0099" for ’; 1,968 in the UKP
# corpus) that the text must keep to match its source, and a UTF-8 terminal does not obey
# them.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SPACING_CONTROLS = re.compile(r"[\x0b\x0c]")


def decode(document: Document) -> tuple[str, list[str]]:
    """Bytes -> text: BOM, UTF-8, the declared charset, then cp1252 as a last resort."""
    data = document.content
    warnings: list[str] = []
    if not data.strip():
        raise EmptyDocument("the document is empty", document.source)
    head = data[:4096]
    if head.startswith(_BINARY_MAGIC) or (
        b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    ):
        raise BinaryDocument("binary content, not a web page or text", document.source)
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), warnings
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        declared = _META_CHARSET.search(head)
        candidates = [declared.group(1).decode("ascii", "ignore")] if declared else []
        text = ""
        for encoding in [*candidates, "cp1252", "latin-1"]:
            try:
                text = data.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
            warnings.append(f"not UTF-8; decoded as {encoding}")
            break
        else:
            raise BadEncoding("text in no supported encoding", document.source)
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.05 * min(len(text), 4096):
        raise BinaryDocument("binary content, not a web page or text", document.source)
    return text, warnings


def looks_like_html(text: str, media_type: str) -> bool:
    if "html" in media_type or "xml" in media_type and "<html" in text[:2048].lower():
        return True
    start = text.lstrip()[:1024].lower()
    return start.startswith(("<!doctype html", "<html", "<?xml")) or bool(
        re.search(r"<(?:head|body|article|div|p|h1|script)\b", start)
    )


def read_document(document: Document) -> Page:
    text, warnings = decode(document)
    if looks_like_html(text, document.media_type):
        from .html import read_html

        page = read_html(text, document.url)
    else:
        from .text import read_text

        page = read_text(text)
        page.url = document.url
    page.warnings = warnings + page.warnings
    return printable(page)


def printable(value: Any) -> Any:
    """`value` (a Page, its updates, blocks and links) with C0 control characters dropped
    from every string, in place for dataclasses."""
    if isinstance(value, str):
        return _CONTROLS.sub("", _SPACING_CONTROLS.sub(" ", value)) if not value.isprintable() else value
    if isinstance(value, list):
        return [printable(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            setattr(value, f.name, printable(getattr(value, f.name)))
    return value
