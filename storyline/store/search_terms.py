"""What a user typed into a search box, made safe: terms, phrases and a prefix, rendered as
an FTS5 expression or a PostgreSQL tsquery; and highlighted text cut into a snippet.

Nothing the user types reaches the query language as syntax. The text is cut into words
(runs of letters and digits); words inside balanced double quotes (straight or curly) are a
phrase, and so is a chunk such as "5,000", "U.S." or "cease-fire" that punctuation splits
into several words; everything else (``*``, ``-``, ``(``, ``NEAR``, ``AND``, ``:``, lone
quotes, emoji) is a separator. Each word then becomes a quoted FTS5 string or a bare
tsquery lexeme, which can hold no operator. The last word, when the text does not end with
a space, also matches as a prefix: "evacu" finds "evacuation" while the user types.
English stop words are left out (``STOP_WORDS``), as PostgreSQL's ``english`` configuration
does.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# A query longer than this is pasted text: its first words already pin a post down, and
# every further term is one more posting list to merge.
MAX_QUERY_CHARS = 1000
MAX_TERMS = 24
# Longer "words" are not words (pasted hashes, base64): they are dropped.
MAX_TERM_CHARS = 64
# A one- or two-letter prefix expands to thousands of index terms and matches most posts:
# slow, and nothing gained over the word itself.
MIN_PREFIX_CHARS = 3

# PostgreSQL's `english` stop words (Snowball's list), left out on SQLite too so that both
# backends want the same words: "the mayor of sennport" asks for mayor and sennport. Kept
# inside phrases, and when a query has nothing else.
STOP_WORDS = frozenset(
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her "
    "hers herself it its itself they them their theirs themselves what which who whom this that these "
    "those am is are was were be been being have has had having do does did doing a an the and but if or "
    "because as until while of at by for with about against between into through during before after "
    "above below to from up down in out on off over under again further then once here there when where "
    "why how all any both each few more most other some such no nor not only own same so than too very s "
    "t can will just don should now".split()
)

_WORD = re.compile(r"[^\W_]+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


@dataclass(frozen=True)
class Unit:
    """One word, or a phrase of words that must appear in this order, side by side."""

    words: tuple[str, ...]
    prefix: bool = False  # a single word that also matches as the start of a longer word


@dataclass(frozen=True)
class Terms:
    units: tuple[Unit, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.units)

    @property
    def words(self) -> list[str]:
        return [word for unit in self.units for word in unit.words]

    @property
    def prefixes(self) -> list[str]:
        return [unit.words[0] for unit in self.units if unit.prefix]

    def without_prefixes(self) -> "Terms":
        return Terms(tuple(Unit(unit.words) for unit in self.units))


def parse_query(text: str | None) -> Terms:
    """The search terms in `text`; any text at all gives Terms (maybe empty), never an error."""
    if not text:
        return Terms()
    text = unicodedata.normalize("NFKC", text[: MAX_QUERY_CHARS * 2])[:MAX_QUERY_CHARS].translate(_QUOTES)
    parts = text.split('"')
    if len(parts) % 2 == 0:  # an odd number of quotes: the last one opens nothing
        parts = [*parts[:-2], parts[-2] + " " + parts[-1]]
    units: list[Unit] = []
    for i, part in enumerate(parts):
        if i % 2:  # inside quotes
            units.append(Unit(tuple(_words(part))))
        else:
            units.extend(Unit(tuple(_words(chunk))) for chunk in part.split())
    units = list(dict.fromkeys(u for u in units if u.words))
    content = [u for u in units if len(u.words) > 1 or u.words[0] not in STOP_WORDS]
    units = content or units
    kept, count = [], 0
    for unit in units:
        if count + len(unit.words) > MAX_TERMS:
            break
        kept.append(unit)
        count += len(unit.words)
    # The last part is outside quotes (see above); a text ending in a letter or digit is
    # still being typed.
    typed = _words(parts[-1].split()[-1]) if parts[-1].split() else []
    still_typing = bool(text) and _WORD.fullmatch(text[-1]) is not None
    if still_typing and kept and len(typed) == 1 and kept[-1].words == (typed[0],) \
            and len(typed[0]) >= MIN_PREFIX_CHARS:
        kept[-1] = Unit(kept[-1].words, prefix=True)
    return Terms(tuple(kept))


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if len(w) <= MAX_TERM_CHARS]


def fts5_expression(terms: Terms, *, any_term: bool = False) -> str:
    """An FTS5 MATCH expression: every unit (or, with any_term, any unit) must match."""
    rendered = []
    for unit in terms.units:
        quoted = '"' + " ".join(unit.words) + '"'  # words hold no '"': see _WORD
        # A prefix query is not stemmed ("sanctions"* misses the stored "sanction"): the
        # word itself is asked for too.
        rendered.append(f"({quoted} OR {quoted}*)" if unit.prefix else quoted)
    return (" OR " if any_term else " AND ").join(rendered)


def tsquery_text(terms: Terms, *, any_term: bool = False) -> str:
    """Text for PostgreSQL's to_tsquery('english', ...): lexemes, <-> for phrases, :* prefixes."""
    rendered = []
    for unit in terms.units:
        if len(unit.words) > 1:
            rendered.append("(" + " <-> ".join(unit.words) + ")")
        else:
            rendered.append(unit.words[0] + (":*" if unit.prefix else ""))
    return (" | " if any_term else " & ").join(rendered)


# -- highlighted text -----------------------------------------------------------------------

# Marks around matches, asked of FTS5's highlight() and PostgreSQL's ts_headline(): private
# use characters, which news text does not contain (if a page did, only its highlighting
# would be off).
MARK_START, MARK_END = "\ue000", "\ue001"
_MARKS = re.compile(f"({MARK_START}|{MARK_END})")

# About two lines of a result list: enough to judge a hit, short enough for a phone.
SNIPPET_CHARS = 240
# Context kept before the first match shown, so the snippet does not open on the match.
SNIPPET_LEAD = 60

Segments = list[list]  # [[text, is_match], ...]


def mark_prefixes(marked: str, prefixes: list[str]) -> str:
    """Marked text with the words that start with one of `prefixes` marked too (FTS5 would
    do it, but merges every matching word's postings first: 14-28 ms for a common word at
    100k posts)."""
    if not prefixes:
        return marked
    # A text that does not hold a prefix, both case-folded, is left alone: ~10x cheaper
    # than scanning with the pattern (unless folding changed its length, as for "İ" or
    # "ß", where the pattern decides).
    folded = marked.casefold()
    if len(folded) == len(marked) and not any(prefix.casefold() in folded for prefix in prefixes):
        return marked
    pattern = re.compile(r"(?<![^\W_])((?:" + "|".join(map(re.escape, prefixes)) + r")[^\W_]*)", re.IGNORECASE)
    out = []
    for text, match in segments(marked):
        out.append(MARK_START + text + MARK_END if match else pattern.sub(MARK_START + r"\1" + MARK_END, text))
    return "".join(out)


def segments(marked: str) -> Segments:
    """Marked text as [text, is_match] pieces, neighbours of the same kind merged."""
    pieces: Segments = []
    inside = False
    for piece in _MARKS.split(marked or ""):
        if piece == MARK_START:
            inside = True
        elif piece == MARK_END:
            inside = False
        elif piece:
            if pieces and pieces[-1][1] == inside:
                pieces[-1][0] += piece
            else:
                pieces.append([piece, inside])
    return pieces


def snippet(marked: str, width: int = SNIPPET_CHARS) -> Segments:
    """About `width` characters of marked text around its densest run of matches, as
    segments; '…' pieces say that text was cut. Paragraph breaks become spaces."""
    pieces = [[" ".join(text.split("\n")), match] for text, match in segments(marked)]
    text = "".join(t for t, _ in pieces)
    spans, at = [], 0
    for piece_text, match in pieces:
        if match:
            spans.append((at, at + len(piece_text)))
        at += len(piece_text)
    if len(text) <= width:
        return pieces
    start = 0
    if spans:
        best = max(spans, key=lambda s: (sum(1 for o in spans if s[0] <= o[0] < s[0] + width), -s[0]))
        start = max(0, best[0] - SNIPPET_LEAD)
    start = _word_start(text, start)
    end = min(len(text), start + width)
    for a, b in spans:  # never cut a match in two
        if a < end < b:
            end = b
    end = _word_end(text, start, end)
    cut = _slice(pieces, start, end)
    if start > 0:
        cut.insert(0, ["…", False])
    if end < len(text):
        cut.append(["…", False])
    return _merge(cut)


def _word_start(text: str, at: int) -> int:
    """`at` moved forward to the start of a word (at most a few characters)."""
    if at == 0 or text[at - 1].isspace():
        return at
    space = text.find(" ", at, at + 20)
    return at if space < 0 else space + 1


def _word_end(text: str, start: int, end: int) -> int:
    """`end` moved back to the end of a word, when that keeps most of the snippet."""
    if end >= len(text) or text[end].isspace():
        return end
    space = text.rfind(" ", start, end)
    return end if space <= start + (end - start) // 2 else space


def _slice(pieces: Segments, start: int, end: int) -> Segments:
    out: Segments = []
    at = 0
    for text, match in pieces:
        a, b = max(start, at), min(end, at + len(text))
        if a < b:
            out.append([text[a - at:b - at], match])
        at += len(text)
    if out:
        out[0][0] = out[0][0].lstrip()
        out[-1][0] = out[-1][0].rstrip()
    return [p for p in out if p[0]]


def _merge(pieces: Segments) -> Segments:
    out: Segments = []
    for text, match in pieces:
        if out and out[-1][1] == match:
            out[-1][0] += text
        else:
            out.append([text, match])
    return out
