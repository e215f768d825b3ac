"""What a line of a live blog is, judged by its shape: promo, page chrome, caption,
link stub, bullet, day opener, or a headline.

Shared by all readers: the plain-text reader classifies every line with it, the HTML
readers use it to drop boilerplate that sits inside post markup. The patterns are the
recurring furniture of news pages (subscription pitches, share bars, photo credits);
they were collected from the seeds and checked against the UKP corpus (bench/).
"""

from __future__ import annotations

import re

BULLET = re.compile(r"^\s*(?:[•·▪●◦‣∙*]|-(?=\s)|–(?=\s))\s*")

# Subscription, app and newsletter pitches, related-content widgets, paywall prompts.
_PROMO = re.compile(
    r"""^(?:
      get\ all\ your\ news | \d+[’']?s?\ of\ premium\ titles | one\ app\.? | start\ reading |
      sign\ up\b | subscribe\b | subscription | already\ a\ (?:member|subscriber) | sign\ in\b |
      log\ ?in\b | download\ (?:the|our)\ app | get\ the\ app | our\ picks | related\ (?:stories|articles|content|topics) |
      top\ stories\ on | fourteen\ days\ free | \d+\ days\ free | free\ trial | one\ subscription |
      \d+\+?\ trusted | read\ news\ from | one\ app\.\ one\ membership | editor[’']s\ picks? |
      outbrain | taboola | recommended\ (?:for\ you|stories) | advertisement | sponsored |
      newsweek\ cover | stay\ updated\ on | unlimited\ access | ad[\ -]free | ios\ and\ android |
      all\ newsletters | .*\bmagazine\ delivered | share\ (?:this|on)\b | copy\ link | skip\ (?:to|advert)|
      most\ (?:read|popular|viewed)\b | more\ from\ | follow\ us\ on | listen\ to\ this\ article |
      support\ (?:our|independent)\ journalism | become\ a\ (?:member|subscriber) | privacy\ policy |
      cookie | terms\ of\ (?:use|service) | all\ rights\ reserved | ©
    )""",
    re.I | re.X,
)

# Labels of page furniture: section names, live badges, widget headings.
_CHROME = re.compile(
    r"""^(?:live|live\ updates?|live\ blog|live\ coverage|latest\ updates|key\ (?:points|events|updates)|
      what\ we\ covered\ here|show\ (?:more|all)|
      load\ more(?:\ updates)?|see\ (?:more|all)\ updates|pinned(?:\ post)?|breaking|advertisement|
      more\ on\ this\ story|world|news|europe|politics|middle\ east|business|opinion|video|
      source:\ .+|(?:with\ )?(?:additional\ )?reporting\ (?:by|from)\ [A-Z].{0,80}|our\ live\ coverage\ (?:has\ ended|has\ moved).*)\.?$""",
    re.I | re.X,
)

# Lines that only point elsewhere: kept as links, never as body text.
_LINK_STUB = re.compile(
    r"""^(?:full\ story:|read\ more:|read\ the\ full\ story|related:|see\ also:|more:|explainer:\s*click|
      (?:click|tap)\ here\b | read\ more\ (?:here|about)\b | read\ more\.$ | watch\ live\ here |
      (?:take|have)\ a\ look\ here | to\ (?:read|find\ out)\ more.*click\ here | find\ out\ more\ here |
      you\ can\ (?:read|watch|find).*\ here\.?$ | .*\bclick\ here\.$ |
      .{0,200}\b(?:read\ more|find\ out\ more|watch\ (?:it|more)|listen)\ here\.$)""",
    re.I | re.X,
)

# Day openers and closers: posts and lines about the blog itself.
OPENER = re.compile(
    r"""^(?:good\ (?:morning|afternoon|evening)\b | hello\ and\ welcome | welcome\ (?:back\ )?to\ .*(?:live|coverage|blog) |
      (?:this|the)\ live\ ?blog\ (?:is\ now\ closed|has\ now\ closed|has\ ended) | we(?:[’']re|\ are)\ (?:pausing|closing|ending)\ (?:our\ )?(?:live|this) |
      follow\ .*(?:live\ ?blog|coverage|updates)\ throughout | read\ all\ the\ updates\ from |
      you\ can\ (?:find|read)\ (?:all\ )?(?:our|the)\ (?:previous|earlier|latest)|
      (?:that[’']s\ all|that\ is\ all)\ (?:from\ us|for\ (?:today|now)) | thank(?:s|\ you)\ for\ (?:following|joining|reading))""",
    re.I | re.X,
)
CLOSER = re.compile(
    r"(?:live\ ?blog|live coverage)\s+(?:is|has)\s+(?:now\s+)?(?:closed|ended)|thank(?:s| you) for (?:following|joining)",
    re.I,
)

# Photo credits closing a caption: "[Sergey Pivovarov/Reuters]", "(Sergei Supinsky/AFP/Getty
# Images)", "Win McNamee/Getty Images", "[File: Sputnik/Mikhail Metzel/Pool via Reuters]".
_AGENCY = r"(?:Reuters|AP|AFP|EPA|Getty Images|Anadolu(?: Agency)?|Al Jazeera|Bloomberg|Xinhua|TASS|Sputnik|Pool|PA|Shutterstock|NurPhoto|SOPA|Handout|Statista)"
_CREDIT_TAIL = re.compile(
    rf"""(?:
      \[(?:File:\s*)?[^\[\]]{{0,90}}(?:/|\b{_AGENCY})[^\[\]]{{0,60}}\] |
      \((?:File:\s*)?[^()]{{2,90}}(?:/[^()]{{1,60}}|\b{_AGENCY})\) |
      (?:^|[.\s])(?:[A-Z][\w.’'-]*\s){{0,3}}[A-Z][\w.’'-]*(?:/[A-Z][\w.’'-]*(?:\s(?:via\s)?[A-Z][\w.’'-]*)*)+
    )\s*$""",
    re.X,
)
_CAPTION_ONLY = re.compile(
    rf"^\s*(?:\({_AGENCY}\)|\[{_AGENCY}\]|(?:INTERACTIVE|INFOGRAPHIC|GRAPHIC|MAP|PHOTO|IMAGE)\s*[-–:]\s.*|Photo:.*|Image:.*|Credit:.*)\s*$",
    re.I,
)

MEDIA_HEADLINE = re.compile(
    r"^(?:watch|video|listen|photos?|pictures|in\ pictures|gallery|in\ photos|live\ video|podcast|graphic|chart|map)\b\s*[:\-–]|"
    r"\b(?:in\ pictures|podcast|infographics?|photo\ gallery|in\ photos|video\ shows)\b",
    re.I | re.X,
)

_TERMINAL = re.compile(r"[.!:;,]$")
_CLOSERS = "\"'”’»)]"


def is_promo(line: str) -> bool:
    return bool(_PROMO.match(line.strip()))


def is_chrome(line: str) -> bool:
    return bool(_CHROME.match(line.strip()))


def is_link_stub(line: str) -> bool:
    return bool(_LINK_STUB.match(line.strip()))


def is_opener(line: str) -> bool:
    return bool(OPENER.match(line.strip()))


def has_credit(line: str) -> bool:
    """True for a caption ending in a photo credit, or a bare credit line."""
    text = line.strip()
    if _CAPTION_ONLY.match(text):
        return True
    if len(text) > 400:
        return False
    return bool(_CREDIT_TAIL.search(text)) and not text.endswith((".", ".”", '."'))


def strip_bullet(line: str) -> str | None:
    """The text of a bullet line, or None if the line is not a bullet."""
    m = BULLET.match(line)
    return line[m.end():].strip() if m and line[m.end():].strip() else None


_SPEECH_CUE = re.compile(r"\b(?:said|says|asked|asks|told|added|wrote|tweeted)\b")
# "China calls for calm in talks with U.S." ends in an abbreviation, not a sentence.
_ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.){2,}$|\b(?:Jr|Sr|St|Inc|Co|Corp|Ltd|Gen|Sen|Rep|Gov|Dr)\.$")


def ends_sentence(line: str) -> bool:
    text = line.rstrip().rstrip(_CLOSERS).rstrip()
    if len(text) <= 100 and _ABBREVIATION_END.search(text):
        return False
    return bool(_TERMINAL.search(text))


# A headline is short and does not end a sentence. 200 characters and 32 words cover the
# longest headlines in the seeds (CNN's ~110) with room; paragraphs are longer or end in a
# full stop. Re-run tests/test_seeds.py after changing them.
HEADLINE_MAX_CHARS = 200
HEADLINE_MAX_WORDS = 32


def looks_like_headline(line: str) -> bool:
    text = line.strip()
    if not text or len(text) > HEADLINE_MAX_CHARS or len(text.split()) > HEADLINE_MAX_WORDS:
        return False
    if ends_sentence(text):
        return False
    stripped = text.rstrip(_CLOSERS)
    if stripped.endswith("?") and (len(text) > 120 or _SPEECH_CUE.search(text)):
        return False
    if stripped.endswith("!") or text.endswith("…") or text.endswith("..."):
        return False
    if not any(ch.isalpha() for ch in text):
        return False
    first = text.lstrip("\"“'‘(")[:1]
    return first.isupper() or first.isdigit()


def looks_like_byline(line: str) -> bool:
    """'Mersiha Gadzo, David Child and Arwa Ibrahim', 'By Jane Doe'."""
    text = line.strip()
    if text.lower().startswith("by "):
        text = text[3:]
    if len(text) > 160 or ends_sentence(text):
        return False
    names = [n.strip() for n in re.split(r",\s*|\s+and\s+|\s*&\s*", text) if n.strip()]
    if len(names) < 2 and not line.strip().lower().startswith("by "):
        return False
    name = re.compile(r"^[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|van|von|al|el|bin)){1,3}$")
    return all(name.match(n) for n in names)
