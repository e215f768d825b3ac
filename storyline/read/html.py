"""HTML reader: JSON-LD LiveBlogPosting when the page has it, else the DOM — repeated
post containers (each with a heading or a <time>), else the page's blocks in reading
order for the splitter. Page metadata (title, outlet, canonical URL, time, byline,
language, key points) comes from <meta>, <link rel=canonical> and the markup.
"""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

from ..date.stamps import parse_machine_time, parse_stamp
from ..model import Block, Link, Page, Update
from . import jsonld, shapes
from .outlets import outlet_from_url
from .text import classify_line, read_text

_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "form", "button", "nav", "select", "canvas")
# Class/id tokens of page furniture inside or around posts.
_FURNITURE = re.compile(
    r"^(?:share|sharing|social|promo|promotion|advert|advertisement|ad|ads|newsletter|subscribe|"
    r"subscription|related|recommended|outbrain|taboola|cookie|cookies|paywall|comments?|menu|"
    r"breadcrumbs?|navigation|nav|footer|signup|sign-up|byline-share|toolbar)$",
    re.I,
)
_KEY_POINTS = re.compile(r"key[-_ ]?(?:points|events|updates)|summary|highlights|takeaways", re.I)
_POSTISH = re.compile(r"post|update|entry|block|event|card|live|item", re.I)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def _tokens(el: etree._Element) -> list[str]:
    raw = f"{el.get('class') or ''} {el.get('id') or ''}"
    return [t for t in re.split(r"[\s_]+", raw.lower()) if t]


def _is_furniture(el: etree._Element) -> bool:
    tokens = _tokens(el)
    parts = {p for t in tokens for p in [t, *t.split("-")]}
    return any(_FURNITURE.match(p) for p in parts) and not _KEY_POINTS.search(" ".join(tokens))


def _text(el: etree._Element) -> str:
    return " ".join(el.text_content().split())


def read_html(text: str, url: str | None) -> Page:
    text = _XML_DECL.sub("", text, count=1)
    try:
        tree = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return read_text(text)
    objects, warnings = jsonld.structured_data(tree)
    meta = _metadata(tree, url, objects)
    key_points = _key_points(tree)
    page = jsonld.liveblog_page(objects, meta.url)
    if page is None:
        _clean(tree)
        updates = _container_updates(tree, meta.url)
        page = Page(reader="html", updates=updates) if updates else Page(reader="html", blocks=_blocks(tree, meta.url))
        if not updates and not any(b.kind == "heading" for b in page.blocks):
            page = read_text("\n\n".join(_plain_lines(tree)))
            page.reader = "html"
    page.title = page.title or meta.title
    page.outlet = page.outlet or meta.outlet
    page.url = page.url or meta.url
    page.byline = page.byline or meta.byline
    page.published = page.published or meta.published
    page.language = page.language or meta.language
    page.key_points = page.key_points or key_points
    page.warnings.extend(warnings)
    return page


def _metadata(tree: lxml_html.HtmlElement, url: str | None, objects: list[dict]) -> Page:
    def meta(*names: str) -> str | None:
        for name in names:
            for el in tree.xpath(f'//meta[@property="{name}" or @name="{name}" or @itemprop="{name}"]'):
                value = (el.get("content") or "").strip()
                if value:
                    return value
        return None

    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    page_url = (canonical[0].strip() if canonical else None) or meta("og:url") or url
    if page_url and url:
        page_url = urljoin(url, page_url)
    site = meta("og:site_name", "application-name") or jsonld.publisher_name(objects)
    title = meta("og:title", "twitter:title") or ""
    if not title:
        titles = tree.xpath("//title")
        title = _text(titles[0]) if titles else ""
    if not title:
        h1 = tree.xpath("//h1")
        title = _text(h1[0]) if h1 else ""
    if site:
        title = re.sub(rf"\s*[|\-–—:]\s*{re.escape(site)}\s*$", "", title)
    author = meta("author", "article:author", "byl")
    if author and author.startswith("http"):
        author = None
    published = parse_machine_time(
        meta("article:published_time", "datePublished", "og:article:published_time", "date", "pubdate")
    )
    return Page(
        reader="html", title=title, outlet=site or outlet_from_url(page_url), url=page_url,
        byline=author, published=published, language=(tree.get("lang") or None),
    )


def _key_points(tree: lxml_html.HtmlElement) -> list[str]:
    for el in tree.iter("ul", "ol", "div", "section", "aside"):
        if _KEY_POINTS.search(" ".join(_tokens(el))):
            items = [_text(li) for li in el.iter("li")]
            items = [i for i in items if i and not shapes.is_promo(i)]
            if items:
                return items
    return []


def _clean(tree: lxml_html.HtmlElement) -> None:
    for el in list(tree.iter(*_DROP_TAGS)):
        el.drop_tree()
    for el in list(tree.iter("aside", "div", "section", "ul", "span", "p", "footer", "header")):
        if el.getparent() is not None and (el.tag == "aside" or _is_furniture(el)) and not _KEY_POINTS.search(" ".join(_tokens(el))):
            el.drop_tree()


def _container_updates(tree: lxml_html.HtmlElement, base: str | None) -> list[Update]:
    """Posts from the largest group of repeated, post-like elements."""
    groups: dict[tuple[str, str], list[etree._Element]] = defaultdict(list)
    for el in tree.iter("article", "div", "section", "li"):
        tokens = [t for t in _tokens(el) if not re.search(r"\d", t)]
        if el.tag != "article" and not any(_POSTISH.search(t) for t in tokens):
            continue
        classes = " ".join(sorted(t for t in (el.get("class") or "").lower().split() if not re.search(r"\d", t)))
        groups[(el.tag, classes)].append(el)
    best: list[etree._Element] = []
    for members in groups.values():
        members = [m for m in members if not any(a in members for a in m.iterancestors())]
        dated = [m for m in members if m.xpath(".//h2|.//h3|.//h4|.//h5|.//time")]
        if len(members) >= 2 and len(dated) >= 0.6 * len(members) and len(dated) > len(best):
            best = dated
    return [_update_from(el, base) for el in best]


def _update_from(el: etree._Element, base: str | None) -> Update:
    headline_el = next(iter(el.xpath(".//h1|.//h2|.//h3|.//h4|.//h5")), None)
    time_el = next(iter(el.xpath(".//time")), None)
    published = parse_machine_time(time_el.get("datetime")) if time_el is not None else None
    stamp_text = _text(time_el) if time_el is not None and published is None else None
    if stamp_text is None and published is None:
        for candidate in el.xpath(".//*[contains(@class,'time') or contains(@class,'date')]"):
            if parse_stamp(_text(candidate)):
                stamp_text = _text(candidate)
                break
    captions = [_text(c) for c in el.iter("figcaption") if _text(c)]
    for img in el.iter("img"):
        alt = (img.get("alt") or "").strip()
        if alt and not any(alt in c for c in captions):
            captions.append(alt)
    paragraphs = []
    for node in el.iter("p", "li", "blockquote"):
        if any(a.tag in ("figure", "figcaption", "time", *_HEADINGS) for a in node.iterancestors()):
            continue
        if node.tag == "blockquote" and node.xpath(".//p"):
            continue
        if node.tag == "p" and any(a.tag in ("li", "blockquote") and a in el.iterdescendants() for a in node.iterancestors() if a.tag == "li"):
            continue
        text = _text(node)
        if text:
            paragraphs.append(text)
    links = [
        Link(_text(a), urljoin(base or "", a.get("href")))
        for a in el.iter("a") if a.get("href") and _text(a) and not a.get("href", "").startswith("#")
    ]
    native = el.get("id") or el.get("data-post-id") or el.get("data-id") or el.get("data-block-id")
    return Update(
        headline=_text(headline_el) if headline_el is not None else "",
        paragraphs=paragraphs, published=published, native_id=native, captions=captions,
        links=links, stamp_text=stamp_text,
    )


def _blocks(tree: lxml_html.HtmlElement, base: str | None) -> list[Block]:
    """The page in reading order, tags telling what each block is."""
    body = tree.find("body")
    root = body if body is not None else tree
    blocks: list[Block] = []
    seen_title = False
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if any(a.tag in ("p", "li", "figcaption", "blockquote", "time", *_HEADINGS) for a in el.iterancestors()):
            continue
        text = _text(el) if el.tag in ("p", "li", "figcaption", "blockquote", "time", *_HEADINGS) else ""
        if el.tag == "h1" and not seen_title and text:
            blocks.append(Block("title", text, certain=True))
            seen_title = True
        elif el.tag in _HEADINGS and text:
            kind = classify_line(text).kind
            blocks.append(Block("heading" if kind in ("heading", "paragraph") else kind, text, certain=True, anchor=_anchor(el)))
        elif el.tag == "time" and text:
            blocks.append(Block("timestamp", text, certain=True, when=parse_machine_time(el.get("datetime"))))
        elif el.tag == "figcaption" and text:
            blocks.append(Block("caption", text, certain=True))
        elif el.tag in ("p", "blockquote") and text:
            block = classify_line(text)
            if block.kind == "heading":
                block.kind = "paragraph"  # markup says paragraph; trust it
            blocks.append(block)
        elif el.tag == "li" and text:
            blocks.append(Block("promo" if shapes.is_promo(text) else "bullet", text))
    return blocks


def _anchor(el: etree._Element) -> str | None:
    for node in [el, *el.iterancestors()]:
        if node.get("id"):
            return node.get("id")
    return None


def _plain_lines(tree: lxml_html.HtmlElement) -> list[str]:
    """Text of a page with no usable structure (<br>-separated, <pre>), line by line."""
    for br in tree.iter("br"):
        br.tail = "\n" + (br.tail or "")
    body = tree.find("body")
    text = (body if body is not None else tree).text_content()
    return [line for line in text.split("\n")]
