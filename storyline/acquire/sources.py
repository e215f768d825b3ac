"""What the user named, made concrete: files, folders, globs, '-' and URLs; local bytes read in.

A name that matches nothing becomes an error item rather than an exception, so the rest
of the batch goes on.
"""

from __future__ import annotations

import glob
import os
import re
from typing import BinaryIO
from urllib.parse import urlsplit

from ..errors import AcquireError, FetchError, SourceNotFound, StorylineError, TooLarge
from ..model import Document
from ..settings import Options

STDIN = "-"
# The kinds of files a folder walk picks up; anything else in a folder is skipped.
READABLE_EXTENSIONS = frozenset(
    {".html", ".htm", ".xhtml", ".txt", ".text", ".json", ".xml", ".rss", ".atom", ".md"}
)
MEDIA_TYPE_BY_EXTENSION = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "application/xhtml+xml",
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": "text/markdown",
    ".json": "application/json",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
}
FEED_MEDIA_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
# How much of the start of a document sniffing looks at.
SNIFF_BYTES = 2048
# Declarations, comments and non-HTML doctypes that may come before the root element.
_PROLOG = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!doctype(?!\s+html\b)[^>]*>", re.DOTALL)
_FIRST_TAG = re.compile(rb"<(!doctype\s+html|[a-z][\w:.-]*)")
_ROOT_MEDIA_TYPES = {
    b"rss": "application/rss+xml",
    b"rdf:rdf": "application/rss+xml",
    b"feed": "application/atom+xml",
}
# Roots that make a document HTML even without <html> (fragments saved from a page).
_HTML_ROOTS = frozenset({b"html", b"head", b"body", b"meta", b"title", b"div", b"article", b"main"})
_GLOB_MAGIC = re.compile(r"[*?\[]")


def is_url(source: str) -> bool:
    return urlsplit(source).scheme.lower() in ("http", "https")


def sniff_media_type(content: bytes) -> str | None:
    """A feed or HTML type from the first bytes (after an XML declaration, comments, BOM), or None."""
    head = content[:SNIFF_BYTES].removeprefix(b"\xef\xbb\xbf").lower()
    if not head.lstrip().startswith(b"<"):
        return None
    match = _FIRST_TAG.match(_PROLOG.sub(b"", head).lstrip())
    if match is None:
        return "application/xml" if head.lstrip().startswith(b"<?xml") else None
    root = match.group(1)
    if root.startswith(b"!doctype") or root in _HTML_ROOTS:
        return "text/html"
    if root in _ROOT_MEDIA_TYPES:
        return _ROOT_MEDIA_TYPES[root]
    return "application/xml" if head.lstrip().startswith(b"<?xml") else None


def guess_media_type(path: str | None, content: bytes) -> str:
    """Sniffing wins when it is sure (feed, HTML); then the extension; then plain text."""
    sniffed = sniff_media_type(content)
    if sniffed and sniffed != "application/xml":
        return sniffed
    extension = os.path.splitext(path or "")[1].lower()
    return MEDIA_TYPE_BY_EXTENSION.get(extension) or sniffed or "text/plain"


def _readable(name: str) -> bool:
    return (
        not name.startswith(".")
        and not name.upper().startswith("README")
        and os.path.splitext(name)[1].lower() in READABLE_EXTENSIONS
    )


def walk_folder(folder: str) -> list[str]:
    """Readable files under a folder, recursively, sorted; hidden files and folders skipped."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(root, name) for name in files if _readable(name))
    return sorted(found)


def _expand_one(source: str) -> list[str] | StorylineError:
    if source == STDIN or is_url(source):
        return [source]
    if "://" in source:
        return FetchError("only http and https URLs are fetched", source)
    if os.path.isdir(source):
        files = walk_folder(source)
        if not files:
            kinds = " ".join(sorted(READABLE_EXTENSIONS))
            return SourceNotFound(f"folder has no readable files ({kinds})", source)
        return files
    if os.path.exists(source):
        return [source]
    if _GLOB_MAGIC.search(source):
        # A pattern picks the files it matches, as the user chose them; a folder it matches is walked.
        picked: dict[str, None] = {}
        for match in sorted(glob.glob(source, recursive=True)):
            for path in walk_folder(match) if os.path.isdir(match) else [match]:
                picked.setdefault(path)
        if not picked:
            return SourceNotFound("no files match this pattern", source)
        return list(picked)
    return SourceNotFound("no such file or folder", source)


def expand_sources(sources: list[str]) -> list[str | StorylineError]:
    """Each named source as concrete paths/URLs/'-', in order; an error item where nothing matched."""
    expanded: list[str | StorylineError] = []
    for source in sources:
        result = _expand_one(source)
        if isinstance(result, StorylineError):
            expanded.append(result)
        else:
            expanded.extend(result)
    return expanded


def load_file(path: str, options: Options) -> Document:
    """A local file as a Document; over the size cap it fails before reading it all."""
    try:
        size = os.stat(path).st_size
        if size > options.max_bytes:
            raise TooLarge(f"file of {size:,} bytes is over the {options.max_bytes:,}-byte cap", path)
        with open(path, "rb") as handle:
            content = handle.read(options.max_bytes + 1)  # the file may have grown
    except FileNotFoundError:
        raise SourceNotFound("no such file or folder", path) from None
    except IsADirectoryError:
        raise SourceNotFound("is a folder, not a file", path) from None
    except OSError as exc:
        raise AcquireError(f"cannot read: {exc.strerror or exc}", path) from exc
    if len(content) > options.max_bytes:
        raise TooLarge(f"file is over the {options.max_bytes:,}-byte cap", path)
    return Document(source=path, content=content, media_type=guess_media_type(path, content))


def load_stdin(stream: BinaryIO, options: Options) -> Document:
    """Standard input as a Document with source '-' and a sniffed media type."""
    content = stream.read(options.max_bytes + 1)
    if len(content) > options.max_bytes:
        raise TooLarge(f"input is over the {options.max_bytes:,}-byte cap", STDIN)
    return Document(source=STDIN, content=content, media_type=guess_media_type(None, content))
