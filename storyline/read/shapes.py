"""What a line of a live blog is, judged by its shape: promo, page chrome, caption,
link stub, bullet, day opener, or a headline.

Shared by all readers: the plain-text reader classifies every line with it, the HTML
readers use it to drop boilerplate that sits inside post markup. The patterns are the
recurring furniture of news pages (subscription pitches, share bars, photo credits);
they were collected from the seeds and checked against the UKP corpus (bench/).
"""

from __future__ import annotations

import re

from .outlets import KNOWN_NAMES

BULLET = re.compile(r"^\s*(?:[•·▪●◦‣∙*]|-(?=\s)|–(?=\s))\s*")

# Subscription, app and newsletter pitches, related-content widgets, paywall prompts.
# A promo is the whole line, never its first words: "More from Carney on the talks ...",
# "Sign up rates have doubled" and "Sponsored by the council, the scheme ..." are news
# (matched at the start only, it dropped 55 UKP paragraphs as promos, 45 of them news,
# mostly a live blogger's "More from the minister ..."; whole-line, the 10 real ones remain).
# A pitch may carry a short tail ("Sign up for our daily briefing"); _TAIL bounds it to a
# phrase of no clause punctuation, and lines ending in ":" introduce a quote, so are body.
_TAIL = r"[^.,:;!?]{1,40}"
# "More from Newsweek" is navigation; "More from the minister." is a live blogger's lead-in.
_OUTLETS = "|".join(re.escape(name) for name in KNOWN_NAMES)
_PROMO = re.compile(
    rf"""(?:
      get\ all\ your\ news\ in\ one\ place | \d+[’']?s?\ of\ premium\ titles | one\ app(?:\.\ one\ membership)? |
      start\ reading | (?:sign|log)\ ?(?:up|in)(?:\ (?:now|here|today|for\ free))? |
      sign\ up\ (?:to|for)\ {_TAIL} | subscribe(?:\ (?:now|here|today))? | subscribe\ (?:to|for)\ {_TAIL} |
      subscriptions? | one\ subscription\b[^.:;!?]{{0,60}} |
      already\ a\ (?:member|subscriber)\??(?:\ (?:sign|log)\ ?in(?:\ here)?)? | (?:sign|log)\ ?in\ to\ {_TAIL} |
      (?:download|get)\ (?:the|our)\ (?:[^.,:;!?]{{1,25}}\ )?app(?:\ {_TAIL})? | our\ picks |
      related\ (?:stories|articles|content|topics) | top\ stories\ on\ {_TAIL} | (?:fourteen|\d+)\ days\ free |
      (?:start\ (?:your|a)\ )?free\ trial | \d+\+?\ trusted\ {_TAIL} |
      read\ news\ from\ [^.:;!?]{{1,80}} | editor[’']s\ picks? | outbrain | taboola |
      recommended(?:\ for\ you|\ stories)? | advertisements? | advertisement\ feature |
      (?:sponsored|paid)\ (?:content|post|links?|stories|partner\ content) | sponsored(?:\ by(?:\ [^\s.,:;!?]{{1,30}}){{1,3}})? |
      newsweek\ cover | stay\ updated\ on\ {_TAIL} | unlimited\ access(?:\ {_TAIL})? | ad[\ -]free(?:\ {_TAIL})? |
      ios\ and\ android(?:\ {_TAIL})? | all\ newsletters(?:\ {_TAIL})? | (?:{_TAIL}\ )?magazine\ delivered(?:\ {_TAIL})? |
      share\ (?:this|on)\b(?:\ {_TAIL})? | copy\ link | skip\ (?:to|advert)(?:\ {_TAIL})? |
      most\ (?:read|popular|viewed|shared)(?:\ (?:stories|articles|now|today|this\ week))? |
      more\ from\ (?:the\ )?(?:{_OUTLETS})(?:\ [^\s.,:;!?]{{1,30}}){{0,2}} |
      more\ from\ (?:this|our)\ (?:author|section|series|site|writer) |
      follow\ us\ on\ [^.,:;!?@#]{{1,40}} | listen\ to\ this\ article | support\ (?:our|independent)\ journalism(?:\ {_TAIL})? |
      become\ a\ (?:member|subscriber)(?:\ {_TAIL})? | privacy\ policy | cookies?(?:\ (?:policy|settings|preferences|notice))? |
      terms\ of\ (?:use|service) | (?:©|copyright\ (?:©\ ?)?\d{{4}}\b).{{0,120}} | .{{0,80}}\ball\ rights\ reserved
    )\s*[.!]?""",
    re.I | re.X,
)

# A reporting credit: capitalised names joined by a few small words ("Reporting by Ann Lee
# in Kyiv; editing by Tom Roe"); "Reporting from the summit is hard, he said." is a sentence.
_NAMES = (r"(?-i:[A-Z])[\w.'’-]*(?:[,;]?\ (?:(?-i:[A-Z])[\w.'’-]*|and|in|at|by|from|editing|writing|"
          r"additional|reporting|with|of|the|via|for|staff|news|agency|agencies|&)){0,15}")

# Labels of page furniture: section names, live badges, widget headings.
_CHROME = re.compile(
    rf"""^(?:live|live\ updates?|live\ blog|live\ coverage|latest\ updates|key\ (?:points|events|updates)|
      what\ we\ covered\ here|show\ (?:more|all)|
      load\ more(?:\ updates)?|see\ (?:more|all)\ updates|pinned(?:\ post)?|breaking|advertisement|
      more\ on\ this\ story|world|news|europe|politics|middle\ east|business|opinion|video|
      source:\ .+|(?:with\ )?(?:additional\ )?reporting\ (?:by|from)\ {_NAMES}|our\ live\ coverage\ (?:has\ ended|has\ moved).*)\.?$""",
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

# Day openers and closers: posts and lines about the blog itself. A greeting or sign-off
# starts a post of its own wherever it stands; a pointer to other coverage ("Follow ...
# throughout", "You can find the latest ...") does only as a post's first line, since a
# news post can end the same way ("You can find the latest advice in our explainer").
# "Good morning, ...", "Good morning and welcome", "Good morning from Kyiv"; not "Good morning
# Rachael, ..." in a post of readers' messages (2 such UKP posts were cut in two).
_GREETING = r"""good\ (?:morning|afternoon|evening)(?=\s*(?:$|[,.!:;—–-]|(?:and|from|everyone|all|to|again|here)\b)) | hello\ and\ welcome | welcome\ (?:back\ )?to\ .*(?:live|coverage|blog) |
      (?:this|the)\ live\ ?blog\ (?:is\ now\ closed|has\ now\ closed|has\ ended) | we(?:[’']re|\ are)\ (?:pausing|closing|ending)\ (?:our\ )?(?:live|this) |
      (?:that[’']s\ all|that\ is\ all)\ (?:from\ us|for\ (?:today|now)) | thank(?:s|\ you)\ for\ (?:following|joining|reading)"""
_POINTER = r"""follow\ .*(?:live\ ?blog|coverage|updates)\ throughout | read\ all\ the\ updates\ from |
      you\ can\ (?:find|read)\ (?:all\ )?(?:our|the)\ (?:previous|earlier|latest)"""
OPENER = re.compile(rf"^(?:{_GREETING} | {_POINTER})", re.I | re.X)
_SECTION_START = re.compile(rf"^(?:{_GREETING})", re.I | re.X)
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


# No _PROMO line is longer (its longest forms, a copyright line and a tailed pitch, stop
# near 140 characters), so longer lines, most paragraphs, skip the match.
PROMO_MAX_CHARS = 160


def is_promo(line: str) -> bool:
    text = line.strip()
    return len(text) <= PROMO_MAX_CHARS and bool(_PROMO.fullmatch(text))


def is_chrome(line: str) -> bool:
    return bool(_CHROME.match(line.strip()))


def is_link_stub(line: str) -> bool:
    return bool(_LINK_STUB.match(line.strip()))


def is_opener(line: str) -> bool:
    return bool(OPENER.match(line.strip()))


def starts_section(line: str) -> bool:
    """A greeting or sign-off: it opens a post about the blog even after another post's body."""
    return bool(_SECTION_START.match(line.strip()))


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
