"""Naming the outlet of a page: from metadata, the URL's domain, or the text's own cues."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Domains of outlets whose live blogs users follow most; anything else is named after
# its domain ("example.org").
KNOWN_DOMAINS: dict[str, str] = {
    "aljazeera.com": "Al Jazeera", "newsweek.com": "Newsweek", "cnn.com": "CNN",
    "edition.cnn.com": "CNN", "bbc.co.uk": "BBC", "bbc.com": "BBC",
    "theguardian.com": "The Guardian", "nytimes.com": "The New York Times",
    "washingtonpost.com": "The Washington Post", "reuters.com": "Reuters",
    "apnews.com": "AP", "aljazeera.net": "Al Jazeera", "skynews.com": "Sky News",
    "news.sky.com": "Sky News", "dw.com": "DW", "france24.com": "France 24",
    "independent.co.uk": "The Independent", "telegraph.co.uk": "The Telegraph",
    "kyivindependent.com": "The Kyiv Independent", "inkl.com": "inkl",
}
KNOWN_NAMES = sorted(set(KNOWN_DOMAINS.values()) - {"inkl"}, key=len, reverse=True)

# "Good morning and welcome to Newsweek's liveblog", "Welcome to Al Jazeera's continuing
# coverage", "Source: Al Jazeera and news agencies".
_SELF_NAMED = re.compile(
    r"(?:welcome (?:back )?to|follow)\s+(?P<a>[A-Z][\w&.]*(?:\s+[A-Z][\w&.]*){0,3})[’']s?\s+(?:live\s?blog|live coverage|continuing coverage|coverage)"
    r"|^source:\s+(?P<b>[A-Z][\w&.]*(?:\s+[A-Z][\w&.]*){0,3})\s+and news agencies",
    re.I | re.M,
)
# Page furniture unique to one outlet's live-blog template.
_FINGERPRINTS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^What we covered here$", re.M), "CNN"),
]


def outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    if not host:
        return None
    host = host.removeprefix("www.")
    for domain, name in KNOWN_DOMAINS.items():
        if host == domain or host.endswith("." + domain):
            return name
    return host


def outlet_from_line(line: str) -> str | None:
    """A line that is just an outlet's name."""
    text = line.strip().lower()
    for name in KNOWN_NAMES:
        if text == name.lower():
            return name
    return None


def outlet_from_text(text: str) -> str | None:
    m = _SELF_NAMED.search(text)
    if m:
        name = (m.group("a") or m.group("b")).strip()
        if name.lower() not in {"our", "the", "this"}:
            return name
    for pattern, name in _FINGERPRINTS:
        if pattern.search(text):
            return name
    return None
