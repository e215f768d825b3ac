"""Direct quotes in a post and who said them.

Kinds (`Quote.kind`):
- direct: words between quote marks ("…", “…”, ‘…’, '…', «…», „…“) that open a sentence or
  a paragraph, or that a cue follows ('," he said');
- partial: quoted words inside the writer's own sentence ('Lavrov said Russia will not let
  its interests be "trampled on"');
- block: a paragraph printed without marks that quotes the speaker the paragraph before
  introduced ("In a statement, the ministry said:" / a named speaker and "told CNN", then a
  paragraph in the first person);
- headline: a quote in the headline ("'Good news': Ukraine welcomes …", "Kremlin: 'no plans'");
- tweet: a quote whose cue is a tweet ("Zelensky tweeted:", '," she wrote on Twitter').

Rules (documented here, constants below):
- a quote split by its cue ('"We are ready," he said. "We will not wait."') stays two
  quotes with the same speaker and cue: each keeps offsets of its own words;
- nested marks belong to the outer quote; an opening mark never closed in its paragraph
  makes a quote that runs to the end of the paragraph (the news convention for quotes over
  several paragraphs), never further;
- apostrophes ("Russia's", "don't", "'90s", "allies'") are not quote marks;
- a quote without a cue or speaker needs MIN_WORDS words, and one quoted word is never a
  quote outside a headline: "Normandy format" or a "long" call are scare quotes or titles.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..model import Quote
from .speakers import (
    TWEET_CUE,
    Attribution,
    Resolver,
    attribution_after,
    attribution_before,
    find_cue,
)
from .text import PostText, trim_span

# A quote with no cue and no speaker needs this many words (brief: scare quotes and titles
# run to three words, "the Normandy format"); with a cue, two words ('a "distinct possibility"').
MIN_WORDS = 4
MIN_WORDS_WITH_CUE = 2
# An unclosed opening mark runs to the paragraph end only when that is at most this long:
# the longest such paragraph in the PolNeAR dev articles is ~700 characters; a stray mark
# in a longer paragraph is more likely a typo than a quote.
MAX_OPEN_RUN = 1200
# 'said on Tuesday in Geneva, "...': words allowed between a cue and an introduced quote.
MAX_CUE_TAIL_WORDS = 6
_LEAD_NOISE = " \t-–—•*'\"“‘\xa0"
MAX_NESTING = 3  # quotes within quotes within quotes; deeper marks are ignored

# '' (two apostrophes) is the double mark of some archives (the NYT texts in PolNeAR).
_MARKS = re.compile(r"''|[\"“”„«»「」『』‘’'‚‹›]")
_SINGLE = frozenset("‘’'‚‹›")
_DOUBLE = frozenset("\"“”„«»「」『』")
_OPENERS = {
    '"': ('"', "”", "“", "''"), "“": ("”", '"', "“", "''"), "”": ("”", '"', "“"), "''": ("''", '"', "”"),
    "„": ("“", "”", '"'), "«": ("»",), "「": ("」",), "『": ("』",),
    "‘": ("’", "'"), "'": ("'", "’"), "‚": ("‘", "’"), "‹": ("›",),
}
_OPEN_BEFORE = frozenset(" \t\n([{—–-/:;,") | _DOUBLE | frozenset("‘’'")
_DECADE = re.compile(r"\d\ds?\b")
_FIRST_PERSON = re.compile(r"\b(?:I|we|We|our|Our|us|my|My|me)\b")
_SPEECH_CONTEXT = re.compile(
    r"\b(?:said|says|told|tweeted|wrote|posted|statement|interview|briefing|spoke|speaking|remarks|speech|"
    r"address|conference|added|warned|insisted|explained|stressed|reiterated|urged|adamant|message)\b"
)
# Paragraphs in the live-blog voice ("We'll bring you updates") are never block quotes.
_BLOG_VOICE = re.compile(r"\b(?:blog|live|coverage|updates|welcome|follow|newsletter|subscribe|click|read more|sign up)\b", re.I)
# A paragraph that itself reports someone's words ("he said", "Varga told") is the writer's.
_REPORTED = re.compile(r"\b(?:he|she|they|it|[A-Z][a-z]+)\s+(?:said|says|told|added|wrote|tweeted)\b")
# "In an interview with CNN, he denounced ...": the pronoun is the subject, not CNN.
_SUBJECT_PRONOUN = re.compile(r"(?:^|,\s+)(he|she|they|He|She|They)\s+(?!said\b)")
# "Kremlin: '...'" / "UN chief on the crisis: '...'" (the speaker stops at "on").
_HEADLINE_SPEAKER = re.compile(r"^\s*([^:“\"‘']{2,60}?)(?:\s+on\s+[^:]*)?\s*:\s*$")


def find_quotes(pt: PostText) -> list[Quote]:
    """Every quote in the post with its speaker, in text order."""
    return [quote for quote, _span in find_quotes_with_spans(pt)]


def find_quotes_with_spans(pt: PostText) -> list[tuple[Quote, tuple[int, int] | None]]:
    """The quotes with the offsets of their speaker as written (for benchmarks and UIs)."""
    if not pt.text or not pt.paragraphs:
        return []
    finder = _QuoteFinder(pt)
    return [(q, finder.speaker_spans.get(id(q))) for q in finder.run()]


class _QuoteFinder:
    def __init__(self, pt: PostText) -> None:
        self.pt = pt
        self.text = pt.text
        self.resolver = Resolver(pt)
        self.sentence_starts = [s for s, _e in pt.sentences]
        self.quotes: list[Quote] = []
        self.speaker_spans: dict[int, tuple[int, int]] = {}  # id(quote) -> speaker as written

    def run(self) -> list[Quote]:
        paragraphs = self.pt.paragraphs
        previous: tuple[int, int] | None = None
        previous_quotes: list[Quote] = []
        for index, (start, end) in enumerate(paragraphs):
            headline = index == 0 and self.pt.has_headline
            following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
            spans = marked_spans(self.text, start, end, following)
            if headline:
                found = [q for q in (self._headline_quote(s, e, start, end) for s, e in spans) if q]
            elif spans:
                found = self._paragraph_quotes(spans, start, end, previous, previous_quotes)
            else:
                found = self._block_quote(start, end, previous)
            if found and previous_quotes and previous_quotes[-1].speaker is None and found[0].speaker:
                self._backfill(previous_quotes[-1], previous, found[0], start)
            self.quotes.extend(found)
            previous, previous_quotes = (start, end), found
        return self.quotes

    def _backfill(self, open_quote: Quote, paragraph: tuple[int, int], next_quote: Quote, next_start: int) -> None:
        """A quote over several paragraphs: the speaker named in the last one is the speaker
        of the paragraph left open before it."""
        if open_quote.end == paragraph[1] and next_quote.start <= next_start + 2:
            open_quote.speaker = next_quote.speaker
            open_quote.speaker_as_written = next_quote.speaker_as_written
            open_quote.cue = next_quote.cue
            open_quote.speaker_type = next_quote.speaker_type
            if id(next_quote) in self.speaker_spans:
                self.speaker_spans[id(open_quote)] = self.speaker_spans[id(next_quote)]

    # -- marked quotes in a body paragraph -------------------------------------------
    def _paragraph_quotes(self, spans, p_start, p_end, previous, previous_quotes) -> list[Quote]:
        text = self.text
        out: list[Quote] = []
        last: Quote | None = None
        for i, (q_start, q_end) in enumerate(spans):
            open_mark = q_start - 1
            close_end = min(q_end + 1, p_end)
            next_open = spans[i + 1][0] - 1 if i + 1 < len(spans) else p_end
            s_start = self._sentence_start(open_mark, p_start)
            lead_from = max(s_start, (spans[i - 1][1] + 1) if i else p_start)
            lead = text[lead_from:open_mark]
            opens_sentence = not lead.strip(_LEAD_NOISE) or _introduced(text, lead_from, open_mark)
            after = attribution_after(text, close_end, next_open)
            before = attribution_before(text, lead_from, open_mark) if lead.strip() else None
            words = len(text[q_start:q_end].split())
            attribution: Attribution | None = None
            if opens_sentence and before and lead.rstrip().endswith((":", ",")):
                attribution = before
            else:
                attribution = after or before
            kind = "direct" if opens_sentence else "partial"
            quote = None
            if attribution is not None:
                if words < MIN_WORDS_WITH_CUE:
                    continue
                quote = self._quote(q_start, q_end, attribution, kind)
            elif opens_sentence and last is not None:
                quote = self._inherit(q_start, q_end, last, kind)
            elif opens_sentence and not out:
                quote = self._from_context(q_start, q_end, p_start, s_start, previous, previous_quotes, kind)
            if quote is None:
                if words < MIN_WORDS:
                    continue
                quote = Quote(text[q_start:q_end], None, None, None, kind, q_start, q_end)
            out.append(quote)
            last = quote
        return out

    def _sentence_start(self, at: int, floor: int) -> int:
        i = bisect_right(self.sentence_starts, at) - 1
        start = self.sentence_starts[i] if i >= 0 else floor
        # The splitter may end a sentence inside a quote ('"We are ready. We will go," he said');
        # a sentence that starts with the mark itself is fine.
        return max(start, floor)

    def _quote(self, q_start: int, q_end: int, attribution: Attribution, kind: str) -> Quote:
        speaker, speaker_type = self.resolver.resolve(attribution.speaker, attribution.start, attribution.end)
        if TWEET_CUE.search(attribution.cue):
            kind = "tweet" if kind != "partial" else kind
        self.resolver.remember(q_start, speaker, speaker_type)
        quote = Quote(
            self.text[q_start:q_end], speaker, attribution.speaker, attribution.cue, kind, q_start, q_end,
            speaker_type=speaker_type,
        )
        self.speaker_spans[id(quote)] = (attribution.start, attribution.end)
        return quote

    def _inherit(self, q_start: int, q_end: int, source: Quote, kind: str) -> Quote:
        if source.kind in ("tweet", "block"):
            kind = source.kind
        quote = Quote(
            self.text[q_start:q_end], source.speaker, source.speaker_as_written, source.cue, kind, q_start, q_end,
            speaker_type=source.speaker_type,
        )
        if id(source) in self.speaker_spans:
            self.speaker_spans[id(quote)] = self.speaker_spans[id(source)]
        return quote

    def _from_context(self, q_start, q_end, p_start, s_start, previous, previous_quotes, kind) -> Quote | None:
        """A quote without its own cue opening a paragraph or sentence: the speaker of the
        quote just before, or the one the previous sentence introduces ("X said:",
        "Peskov spoke to reporters on Monday.")."""
        if s_start > p_start:
            sentence = (self._sentence_start(s_start - 1, p_start), s_start)
        elif previous is not None:
            if previous_quotes and previous_quotes[-1].speaker_as_written and previous_quotes[-1].end >= previous[1] - 80:
                return self._inherit(q_start, q_end, previous_quotes[-1], kind)
            sentence = (self._sentence_start(previous[1] - 1, previous[0]), previous[1])
        else:
            return None
        intro = self._introduction(*sentence)
        if intro is None:
            return None
        if intro.cue and TWEET_CUE.search(self.text[sentence[0] : sentence[1]]):
            kind = "tweet"
        return self._quote(q_start, q_end, intro, kind)

    def _introduction(self, start: int, end: int) -> Attribution | None:
        """The speaker a sentence introduces: 'X said:' / 'X told CNN.' / 'X spoke to
        reporters.' / 'The New York Times reports:'."""
        text = self.text
        colon = text[start:end].rstrip().endswith(":")
        if not colon and not _SPEECH_CONTEXT.search(text, start, end):
            return None
        cue = find_cue(text, start, end)
        if cue is not None:
            found = attribution_before(text, start, cue.end())
            if found is not None:
                return found
        # No reporting verb after a name: the person (else the body) named first, as the subject.
        context = _SPEECH_CONTEXT.search(text, start, end)
        said = context.group() if context else ":"
        named = [e for e in self.resolver.entities_in(start, end) if e.label in ("PERSON", "ORG") and e.start - start < 80]
        named.sort(key=lambda e: e.label != "PERSON")
        pronoun = _SUBJECT_PRONOUN.search(text, start, min(end, start + 80))
        if pronoun and not (named and named[0].label == "PERSON" and named[0].start < pronoun.start(1)):
            return Attribution(said, pronoun.start(1), pronoun.end(1), pronoun.group(1), pronoun.start(1), pronoun.end(1))
        if named:
            e = named[0]
            return Attribution(said, e.start, e.end, e.text, e.start, e.end)
        return None

    # -- paragraphs without marks ---------------------------------------------------
    def _block_quote(self, start: int, end: int, previous: tuple[int, int] | None) -> list[Quote]:
        if previous is None or (previous == self.pt.headline_span):
            return []
        text = self.text
        body = text[start:end]
        intro_text = text[previous[0] : previous[1]].rstrip()
        s_start = self._sentence_start(previous[1] - 1, previous[0])
        words = len(body.split())
        if intro_text.endswith(":"):
            if words < MIN_WORDS:
                return []
        elif not (
            words >= 8
            and _FIRST_PERSON.search(body[:200])
            and not _BLOG_VOICE.search(body)
            and not _REPORTED.search(body, 0, 200)
        ):
            return []
        intro = self._introduction(s_start, previous[1])
        if intro is None:
            return []
        kind = "tweet" if TWEET_CUE.search(text, s_start, previous[1]) else "block"
        return [self._quote(start, end, intro, kind)]

    # -- headline ---------------------------------------------------------------------
    def _headline_quote(self, q_start: int, q_end: int, h_start: int, h_end: int) -> Quote | None:
        text = self.text
        before = text[h_start : q_start - 1]
        after = text[q_end + 1 : h_end]
        colon_after = re.match(r"\s*[,.!?]?\s*[:—–]\s*(.+)", after)
        attribution = None
        if colon_after and not before.strip():
            said = colon_after.start(1) + q_end + 1
            attribution = self._headline_speaker(said, h_end) or attribution_after(text, q_end + 1, h_end)
        if attribution is None:
            spoken = _HEADLINE_SPEAKER.match(before)
            if spoken:
                span_start = h_start + spoken.start(1)
                attribution = Attribution(":", span_start + len(spoken.group(1)), span_start + len(spoken.group(1)) + 1,
                                          spoken.group(1), span_start, span_start + len(spoken.group(1)))
        if attribution is None:
            attribution = attribution_after(text, q_end + 1, h_end) or _headline_before(text, h_start, q_start - 1)
        words = len(text[q_start:q_end].split())
        if attribution is None and words < MIN_WORDS:
            return None
        if attribution is None:
            return Quote(text[q_start:q_end], None, None, None, "headline", q_start, q_end)
        quote = self._quote(q_start, q_end, attribution, "headline")
        quote.kind = "headline"
        return quote

    def _headline_speaker(self, start: int, end: int) -> Attribution | None:
        for e in self.resolver.entities_in(start, end):
            if e.label in ("PERSON", "ORG", "GPE", "NORP"):
                return Attribution(":", start - 1, start, e.text, e.start, e.end)
        return None


def _headline_before(text: str, h_start: int, open_mark: int) -> Attribution | None:
    found = attribution_before(text, h_start, open_mark)
    if found is None:
        # Headlines capitalise verbs: "Lavrov Says 'No War'".
        lowered = text[h_start:open_mark].lower()
        shifted = attribution_before(lowered, 0, len(lowered))
        if shifted is not None:
            found = Attribution(
                text[h_start + shifted.cue_start : h_start + shifted.cue_end], h_start + shifted.cue_start,
                h_start + shifted.cue_end, text[h_start + shifted.start : h_start + shifted.end],
                h_start + shifted.start, h_start + shifted.end,
            )
    return found


def _introduced(text: str, start: int, open_mark: int) -> bool:
    """The quote is introduced rather than woven into the writer's sentence: the words
    before it end with a colon, or with a cue and at most a short tail and a comma
    ('Peskov said:', 'he told me, "', 'Trump declared "', 'said on Tuesday, "')."""
    lead = text[start:open_mark].rstrip(_LEAD_NOISE)
    if lead.endswith(":"):
        return True
    cue = find_cue(text, start, open_mark, last=True)
    if cue is None:
        return False
    tail = text[cue.end() : open_mark].strip(_LEAD_NOISE)
    if not tail:
        return True
    words = tail.split()
    return tail.endswith(",") and len(words) <= MAX_CUE_TAIL_WORDS and "that" not in words


def marked_spans(text: str, start: int, end: int, following: tuple[int, int] | None = None) -> list[tuple[int, int]]:
    """Spans of quoted words (marks excluded) in text[start:end]: nested marks stay inside
    the outer quote; an opening mark left open runs to the paragraph end (bounded)."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []  # (opening mark, offset just after it)
    for match in _MARKS.finditer(text, start, end):
        at, mark = match.start(), match.group()
        before = text[at - 1] if at > start else " "
        after = text[match.end()] if match.end() < end else " "
        single = mark in _SINGLE
        if single and before.isalnum() and after.isalnum():
            continue  # Russia's, don't
        if single and mark != "‘" and not before.isalnum() and _DECADE.match(text, at + 1, end):
            continue  # '90s
        can_close = not before.isspace() and before not in "([{"
        can_open = (before in _OPEN_BEFORE or before.isspace()) and not after.isspace()
        if stack and can_close and mark in _OPENERS[stack[-1][0]]:
            _opener, opened = stack.pop()
            if not stack:
                spans.append((opened, at))
        elif can_open and len(stack) < MAX_NESTING and (mark in _OPENERS and mark != "”" or at == start):
            # ” opens only at a paragraph start (a typo common enough in the PolNeAR dev texts)
            stack.append((mark, match.end()))
    if stack:
        opener, opened = stack[0]
        run = end - opened
        reopens = following is not None and text[following[0] : following[0] + 1] in _OPENERS
        if 0 < run <= MAX_OPEN_RUN and (opener not in _SINGLE or reopens):
            spans.append((opened, end))
    return [trim_span(text, s, e) for s, e in spans if text[s:e].strip()]


