"""Plain-text reader: a live blog copied out of a browser (the seeds' form) into Blocks.

Paragraphs are separated by blank lines; lines with no blank between them belong
together (an image's alt text and its caption, a list). Each line is classified by its
shape (see `shapes`): headline, paragraph, bullet, caption, time stamp, link stub, promo.
"""

from __future__ import annotations

import re

from ..date.stamps import parse_stamp
from ..model import Block, Page
from . import shapes
from .outlets import outlet_from_line, outlet_from_text

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text).replace("\u00a0", " ").replace("\u202f", " ")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def read_text(text: str) -> Page:
    text = normalise(text)
    blocks: list[Block] = []
    for first_line, lines in _line_groups(text):
        blocks.extend(_classify_group(lines, first_line))
    page = Page(reader="text")
    page.blocks = _take_masthead(blocks, page)
    page.outlet = page.outlet or outlet_from_text(text)
    return page


def _line_groups(text: str) -> list[tuple[int, list[str]]]:
    groups: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            groups.append((start, current))
            current = []
    if current:
        groups.append((start, current))
    return groups


def _classify_group(lines: list[str], first_line: int) -> list[Block]:
    out: list[Block] = []
    run: list[tuple[int, str]] = []

    def flush() -> None:
        if run:
            out.extend(_classify_run(run))
            run.clear()

    for offset, line in enumerate(lines):
        number = first_line + offset
        bullet = shapes.strip_bullet(line)
        if parse_stamp(line):
            flush()
            out.append(Block("timestamp", line.strip(), line=number))
        elif bullet is not None:
            flush()
            kind = "promo" if shapes.is_promo(bullet) else "bullet"
            out.append(Block(kind, bullet, line=number))
        else:
            run.append((number, line.strip()))
    flush()
    promos = sum(b.kind == "promo" for b in out)
    if promos and promos * 2 >= len(out):
        # A subscription box: its heading ("Northgate Wire Premium") is promo too.
        for block in out:
            block.kind = "promo"
    return out


def _classify_run(run: list[tuple[int, str]]) -> list[Block]:
    texts = [text for _, text in run]
    if len(run) >= 2 and _is_image_group(texts):
        return [Block("caption", text, line=number) for number, text in run]
    return [classify_line(text, number) for number, text in run]


def classify_line(text: str, number: int | None = None) -> Block:
    """The Block a single stand-alone line of text is, by its shape."""
    if shapes.is_promo(text):
        kind = "promo"
    elif shapes.is_chrome(text):
        kind = "chrome"
    elif shapes.has_credit(text):
        kind = "caption"
    elif shapes.is_link_stub(text):
        kind = "link"
    elif shapes.looks_like_headline(text):
        kind = "heading"
    else:
        kind = "paragraph"
    return Block(kind, text, line=number)  # type: ignore[arg-type]


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 2}


def _is_image_group(lines: list[str]) -> bool:
    """Alt text followed by its caption, or a gallery of repeated alt texts."""
    if shapes.has_credit(lines[-1]):
        return True
    if len(set(lines)) == 1:
        return True
    if len(lines) == 2 and shapes.looks_like_headline(lines[0]):
        alt = _words(lines[0])
        # The caption repeats most of the alt text's words ("Justin Trudeau" / "Prime
        # Minister Justin Trudeau says ..."); two unrelated lines do not.
        return bool(alt) and len(alt & _words(lines[1])) / len(alt) >= 0.5
    return False


def _take_masthead(blocks: list[Block], page: Page) -> list[Block]:
    """Find the title (first real headline), outlet and byline lines above the posts."""
    rest: list[Block] = []
    found_title = False
    for index, block in enumerate(blocks):
        if found_title or index > 14:
            rest.append(block)
            continue
        if block.kind in {"promo", "chrome"}:
            rest.append(block)
            continue
        if block.kind == "heading":
            outlet = outlet_from_line(block.text)
            if outlet:
                page.outlet = page.outlet or outlet
                continue
            if shapes.looks_like_byline(block.text):
                page.byline = block.text.removeprefix("By ").strip()
                continue
            if len(block.text.split()) == 1:
                continue  # a section label such as "World"
            page.title = block.text
            rest.append(Block("title", block.text, line=block.line))
            found_title = True
            continue
        if block.kind == "paragraph" and not page.title:
            # A page with no title line: the blocks are posts from the start.
            found_title = True
        rest.append(block)
    return rest
