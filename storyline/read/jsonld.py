"""schema.org LiveBlogPosting in JSON-LD: the most trusted source of a live blog's posts
(headline, datePublished and articleBody per `liveBlogUpdate`)."""

from __future__ import annotations

import json
import re
from typing import Any, Iterator

from lxml import html as lxml_html

from ..date.stamps import parse_machine_time
from ..model import Page, Update

_TRAILING_COMMA = re.compile(r",\s*([\]}])")


def _loads(text: str) -> Any:
    text = text.strip().removeprefix("<!--").removesuffix("-->").strip()
    text = text.removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
    try:
        return json.loads(text, strict=False)
    except json.JSONDecodeError:
        return json.loads(_TRAILING_COMMA.sub(r"\1", text), strict=False)


def _walk(node: Any) -> Iterator[dict]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            if isinstance(value, (dict, list)):
                yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def _types(obj: dict) -> set[str]:
    kind = obj.get("@type", [])
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1] for k in kinds}


def structured_data(tree: lxml_html.HtmlElement) -> tuple[list[dict], list[str]]:
    """Every JSON-LD object on the page, and a warning per script that would not parse."""
    objects: list[dict] = []
    warnings: list[str] = []
    for number, script in enumerate(tree.xpath('//script[@type="application/ld+json"]'), start=1):
        raw = script.text or ""
        if not raw.strip():
            continue
        try:
            data = _loads(raw)
        except (json.JSONDecodeError, ValueError) as exc:
            warnings.append(f"broken JSON-LD in script {number} ignored ({exc.msg if hasattr(exc, 'msg') else exc})")
            continue
        objects.extend(_walk(data))
    return objects, warnings


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return str(value.get("name") or value.get("@value") or "")
    if isinstance(value, list):
        return ", ".join(t for t in (_text(v) for v in value) if t)
    return ""


def body_paragraphs(body: str) -> list[str]:
    """articleBody as paragraphs: HTML fragments are flattened, blank lines separate."""
    if re.search(r"<(?:p|br|div|li|blockquote)\b", body, re.I):
        fragment = lxml_html.fragment_fromstring(body, create_parent="div")
        for br in fragment.iter("br"):
            br.tail = "\n\n" + (br.tail or "")
        parts = []
        for el in fragment.iter("p", "li", "blockquote", "h2", "h3", "h4"):
            text = " ".join(el.text_content().split())
            if text:
                parts.append(text)
        if parts:
            return parts
        body = fragment.text_content()
    chunks = re.split(r"\n\s*\n", body) if "\n\n" in body or "\n \n" in body else body.split("\n")
    return [" ".join(c.split()) for c in chunks if c.strip()]


def _update(obj: dict) -> Update:
    image = obj.get("image")
    captions = []
    for img in image if isinstance(image, list) else [image]:
        if isinstance(img, dict) and img.get("caption"):
            captions.append(_text(img["caption"]))
    body = obj.get("articleBody") or obj.get("text") or obj.get("description") or ""
    return Update(
        headline=" ".join(_text(obj.get("headline") or obj.get("name") or "").split()),
        paragraphs=body_paragraphs(_text(body)),
        published=parse_machine_time(_text(obj.get("datePublished"))),
        modified=parse_machine_time(_text(obj.get("dateModified"))),
        native_id=_text(obj.get("@id")) or None,
        url=_text(obj.get("url")) or None,
        captions=captions,
    )


def liveblog_page(objects: list[dict], url: str | None) -> Page | None:
    """A Page from the first LiveBlogPosting with updates, or None."""
    for obj in objects:
        if "LiveBlogPosting" not in _types(obj):
            continue
        raw = obj.get("liveBlogUpdate") or []
        updates = [_update(u) for u in (raw if isinstance(raw, list) else [raw]) if isinstance(u, dict)]
        updates = [u for u in updates if u.headline or u.paragraphs]
        if not updates:
            continue
        publisher = obj.get("publisher") or obj.get("sourceOrganization")
        return Page(
            reader="jsonld",
            title=" ".join(_text(obj.get("headline") or obj.get("name")).split()),
            outlet=_text(publisher) or None,
            url=_text(obj.get("url")) or _text(obj.get("mainEntityOfPage")) or url,
            byline=_text(obj.get("author")) or None,
            published=parse_machine_time(_text(obj.get("datePublished") or obj.get("coverageStartTime"))),
            modified=parse_machine_time(_text(obj.get("dateModified"))),
            language=_text(obj.get("inLanguage")) or None,
            updates=updates,
        )
    return None


def publisher_name(objects: list[dict]) -> str | None:
    for obj in objects:
        publisher = obj.get("publisher")
        if publisher:
            name = _text(publisher)
            if name:
                return name
    return None
