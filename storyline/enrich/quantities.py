"""Figures in a post: value, unit, qualifier, currency and what is counted.

A cheap scan finds where numbers may start (a digit, a currency sign, a number word); the
figure regex reads the number there ("8,500", "$1.7m", "Sixty", "twenty-five", "a dozen",
"tens of thousands"), and small anchored regexes read around it: the words before give
the qualifier ("more than") or show it is no count (a month: a date; "aged": an age;
"Article": a label), the words after give the multiplier, a range, the currency or unit
and the counted noun phrase. Years, dates, times, ages, ordinals, calibres, codes ("Su-35",
"G7", "COVID-19") and phone numbers are dropped. Each number reads a bounded window, so
the cost is linear in the text.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right

from ..model import Quantity
from . import quantity_words as W
from .text import PostText

_S = r"[ \u00a0]"  # a space inside a figure; a line break ends it
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!,\d)|\d+(?:\.\d+)?"

_CANDIDATE = re.compile(rf"[\d$€£¥₽₴₹]|\b(?:{W.WORD_STARTS})\b")
_PREFIX_BEFORE = re.compile(r"(?:U\.S\.|US|CAN|CA|AU|NZ|HK|[CAS])$|(?:USD|EUR|GBP|CAD|AUD|CHF|JPY|RUB|UAH|CZK|PLN|CNY)[ \u00a0]?$")
_FIGURE = re.compile(
    rf"(?<![\w'’])(?<!\d[.,:])"
    rf"(?:(?P<cur>{W.CURRENCY_PREFIX}){_S}?)?"
    rf"(?:(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?(?!,\d)|\d+(?:\.\d+)?(?:e[+-]?\d+(?![\w.]))?)"
    rf"|(?:(?P<vague>{W.VAGUE})|(?P<words>{W.WORD_NUMBER}))(?![\w]))",
    re.IGNORECASE,
)
_MULT = re.compile(rf"(?:{_S}?(?P<long>hundred|thousand|million|billion|trillion|mn|mln|bn|bln|tn|trn)|(?P<short>m|b|k))(?![\w])", re.I)
_OF = re.compile(rf"{_S}+of(?={_S})", re.I)
_RANGE = re.compile(
    rf"(?:{_S}*(?P<dash>[-–—]){_S}*|{_S}+(?P<word>to|or|and){_S}+)"
    rf"(?:(?P<cur>{W.CURRENCY_PREFIX}){_S}?)?(?P<num>(?:{_DIGITS})(?![\d.,:]\d)|(?:{W.WORD_NUMBER})(?![\w]))",
    re.I,
)
_NOT_A_COUNT_AFTER = re.compile(
    rf"[-–]?{_S}?(?:years?|months?|weeks?|days?)[- \u00a0]old\b"  # ages
    rf"|{_S}?(?:mm|millimet(?:re|er)s?|cal(?:ibre|iber)?s?)\b|-(?:mm|millimet(?:re|er)|cal(?:ibre|iber))\b"  # calibres
    rf"|{_S}?(?:[ap]\.?m\b\.?|GMT|UTC|BST|hrs\b|o['’]clock)",  # times
    re.I,
)
_DIGITS_AFTER = re.compile(
    rf"(?P<time>:\d\d|\.\d\d{_S}*(?:GMT|UTC|BST|CET|EET|local))|(?P<date>/\d)|(?P<ordinal>['’]?s\b|(?:st|nd|rd|th)\b)",
    re.I,
)
_CURRENCY_AFTER = re.compile(rf"{_S}+(?:(?P<adj>{W.CURRENCY_ADJECTIVE}){_S}+)?(?P<word>{W.CURRENCY_WORD})(?![\w])", re.I)
_DOLLAR_NATION = re.compile(rf"{_S}+(?P<adj>{W.CURRENCY_ADJECTIVE})(?:{_S}+dollars?)?(?![\w])", re.I)
_UNIT_AFTER = re.compile(rf"(?P<attached>{W.ATTACHED_UNIT})|{_S}*(?P<spaced>{W.UNIT_WORD})(?![\w])|-(?P<hyphen>{W.UNIT_WORD})(?![\w])", re.I)
_HYPHEN_WORD = re.compile(r"-[^\W\d_]+")
_PREP_WHAT = re.compile(rf"(?:{_S}*\([^()\n]{{1,40}}\))?\)?{_S}+(?P<prep>worth{_S}+of|worth|in|of|for){_S}+(?:the{_S}+)?[\"“‘']?(?=\w)", re.I)
_PHONE = re.compile(r"(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,5}\)[ .-]?)?\d{2,5}(?:[ .-]\d{2,5}){1,4}(?![\w])")
_NAME_BEFORE = re.compile(r"[A-Z][\w'’-]+$")
_TOKEN = re.compile(r"[ \u00a0]*(\S+)")
_RUN = re.compile(r"[\w.,]*")
_YEAR_SPAN = re.compile(r"[-–/]\d{2,4}(?!\d)")
_ABBREVIATION = re.compile(r"(?:[A-Z]\.){2,}$")

# A plain number right after a capitalised word and below this value is a label or part of
# a name ("Stream 2", "Radio 4", "Level 4"); counts written after a capitalised verb in
# running text ("Kyiv Sends 500") are rarer than names in the seeds.
_LABEL_BELOW = 1000
_AGE_BELOW = 120  # "Name, 61," is an age; no one is older
_PHONE_DIGITS = 8  # fewer digits in a spaced group are figures ("10 20 30"), not a phone number


def find_quantities(text: PostText) -> list[Quantity]:
    """Every figure in the post, in text order."""
    source = text.text
    reader = _Reader(text)
    found: list[Quantity] = []
    pos = 0
    while (candidate := _CANDIDATE.search(source, pos)) is not None:
        start = candidate.start()
        if start and (prefix := _PREFIX_BEFORE.search(source, max(pos, start - 4), start)):
            start = prefix.start()
        match = _FIGURE.match(source, start)
        if match is None:
            pos = _RUN.match(source, candidate.end()).end()
            continue
        quantities, pos = reader.read(match)
        found.extend(quantities)
    return found


def what_key(what: str | None) -> str:
    """The counted thing normalised for search: its head noun, lower-cased and singular
    ("Russian troops" -> "troop", "Canadian military personnel" -> "personnel")."""
    words = re.findall(r"[^\W\d_][\w'’-]*", what or "")
    if not words:
        return ""
    head = words[-1].lower().strip("'’")
    if head in W.IRREGULAR_SINGULAR:
        return W.IRREGULAR_SINGULAR[head]
    if len(head) > 4 and head.endswith("ies"):
        return head[:-3] + "y"
    if head.endswith(("sses", "xes", "zes", "ches", "shes")):
        return head[:-2]
    if head.endswith("s") and not head.endswith(("ss", "us", "is")) and len(head) > 3:
        return head[:-1]
    return head


class _Figure:
    """What is known so far about the number being read."""

    __slots__ = ("digits", "vague", "words", "core", "symbol", "currency", "value", "high", "mult", "unit",
                 "what", "qualifier", "start", "end", "pos")

    def __init__(self, m: re.Match[str]) -> None:
        self.digits, self.vague, self.words = m.group("num") or "", m.group("vague"), m.group("words")
        self.core = m.start("num") if self.digits else m.start("vague") if self.vague else m.start("words")
        self.symbol = m.group("cur")
        self.currency = W.PREFIX_CURRENCY.get(self.symbol.lower()) if self.symbol else None
        self.value, self.high, self.mult = 0.0, None, 0.0
        self.unit = self.what = self.qualifier = None
        self.start, self.end, self.pos = m.start(), m.end(), m.end()


class _Reader:
    """Reads the figure at one match of `_FIGURE`; holds the post and its entity spans."""

    def __init__(self, pt: PostText) -> None:
        self.text = pt.text
        spans = sorted((e.start, e.end) for e in pt.entities)
        self.entity_starts = [s for s, _ in spans]
        self.entity_ends = [e for _, e in spans]
        self.headline_end = pt.headline_span[1] if pt.headline_span else -1

    def read(self, m: re.Match[str]) -> tuple[list[Quantity], int]:
        """The figure at `m` (none when it is no count) and where to go on scanning."""
        text = self.text
        f = _Figure(m)
        if self._is_code(f.core) or self._in_entity(f.core) or (f.digits and self._age_after_name(f.core, f.pos)):
            return [], _skip(_RUN, text, f.pos)
        prev, f.qualifier, f.start = _before(text, m.start())
        if prev and (prev.lower().rstrip(".") in W.LABEL_WORDS or prev.rstrip(".,") in W.MONTHS
                     or prev in W.MONTHS_LOWER or prev.lower() in W.AGE_WORDS):
            return [], _skip(_RANGE, text, f.pos)  # "Article 5", "January 31", "aged 18 to 60"
        value = _number_value(m)
        if value is None or (f.digits and value < 10 and not (f.qualifier or f.currency) and _nothing_after(text, f.pos)):
            return [], f.pos  # "1,2,3", "3 4 5": list items and digit runs (also the fast path for them)
        f.value = value
        if f.digits and f.core == f.start and _minus_before(text, f.core):
            f.value, f.start = -value, f.core - 1  # "-5 degrees"
        skip = self._number_tail(f)
        if skip is None and not f.vague and (rng := _RANGE.match(text, f.pos)):
            skip = self._range(f, rng, prev)
        if skip is None:
            skip = self._unit_and_what(f)
        if skip is not None:
            return [], skip
        if not self._is_figure(f, prev):
            return [], f.pos
        money = f.currency if f.unit == f.currency else None
        quantity = Quantity(text[f.start : f.end], f.value, f.unit, f.what, f.qualifier, money, f.high, f.start, f.end)
        return [quantity], max(f.pos, f.end)

    def _number_tail(self, f: _Figure) -> int | None:
        """Reads "of" after a vague number, a multiplier after a plain one; returns where
        to resume when the tail shows no count ("14:00", "3rd", "45-year-old", "5G")."""
        text = self.text
        if f.vague:
            of = _OF.match(text, f.pos)
            alone = f.vague.lower().startswith(("several", "a")) or _vague_alone(text, f.pos, f.vague)
            if of is None and not alone:
                return f.pos
            f.pos = of.end() if of else f.pos
            f.qualifier, f.start = (f.vague + (" of" if of else "")).lower(), f.core  # "over thousands of": no "over"
            return None
        if f.digits and (odd := _DIGITS_AFTER.match(text, f.pos)):
            return _skip(_RUN, text, odd.end())  # "14:00", "31/01", "3rd", "1990s"
        if mult := _MULT.match(text, f.pos):
            f.mult, f.pos = _factor(mult), mult.end()
            f.value *= f.mult
        elif bad := _NOT_A_COUNT_AFTER.match(text, f.pos):
            return bad.end()  # "45-year-old", "152 millimetres", "3pm"
        elif f.digits and text[f.pos : f.pos + 1].isalpha() and not _UNIT_AFTER.match(text, f.pos):
            return _skip(_RUN, text, f.pos)  # "5G", "50p", "8c", "2in": a code or a unit we do not read
        if f.digits and (phone := self._phone(f.core, f.pos)):
            return phone
        if f.value <= 31 and self._month_after(f.pos):
            return f.pos  # "25 January"
        return None

    def _range(self, f: _Figure, rng: re.Match[str], prev: str | None) -> int | None:
        f.value, f.high, f.pos, not_a_figure = _read_range(rng, f.qualifier, prev, f.value, f.mult, f.digits)
        if not_a_figure:
            return f.pos
        if f.high is not None and f.currency is None and rng.group("cur"):
            f.currency = W.PREFIX_CURRENCY.get(rng.group("cur").lower())
        return None

    def _unit_and_what(self, f: _Figure) -> int | None:
        """Currency or unit after the number, then what is counted or paid for."""
        text, pos = self.text, f.pos
        f.end = pos
        if f.currency is None and (named := _CURRENCY_AFTER.match(text, pos)):
            f.currency = _currency_of(named.group("adj"), named.group("word"), bool(f.mult or f.vague))
            if f.currency:
                f.pos = f.end = named.end()
        elif f.currency == "USD" and f.symbol == "$" and (nation := _DOLLAR_NATION.match(text, pos)):
            f.currency = W.DOLLAR_NATIONS.get(nation.group("adj").lower().replace(".", ""), f.currency)
            f.pos = f.end = nation.end()  # "$340m Canadian"
        if f.currency:
            f.unit = f.currency
            f.what, end, after_brackets = self._what_after_money(f.pos, f.end)
            f.end = f.end if after_brackets else end  # "$268m ($340m Canadian) in aid": both read the aid
        elif unit := _UNIT_AFTER.match(text, pos):
            f.unit = W.UNIT_NAME[" ".join(unit.group(unit.lastgroup).lower().split())]
            f.pos = f.end = unit.end()
            if unit.group("hyphen"):
                f.what, f.end = self._noun_phrase(f.pos, f.end)  # "a 330-mile land border"
            elif (prep := _PREP_WHAT.match(text, f.pos)) and prep.group("prep").lower() == "of":
                f.what, f.end = self._noun_phrase(prep.end(), f.end, after_of=True)  # "5,000 tonnes of grain"
        elif hyphen := _HYPHEN_WORD.match(text, pos):
            if hyphen.group(0).lower() != "-strong":
                return hyphen.end()  # "two-thirds", "a 12-point plan": not a count of things
            f.what, f.end = self._noun_phrase(hyphen.end(), hyphen.end())  # "a 100,000-strong force"
        else:
            f.what, f.end = self._noun_phrase(pos, pos)
        return None

    def _is_figure(self, f: _Figure, prev: str | None) -> bool:
        """The last checks, once unit and what are known: years, labels, bare numbers."""
        if _is_year(f.digits, f.value) and not (f.unit or (f.qualifier and f.what)):
            f.pos = _skip(_YEAR_SPAN, self.text, f.pos)  # "in 2014", "2014-15"
            return False
        labelled = self._labelled(prev, f.core, f.value, f.digits)
        if not (f.unit or f.what or f.qualifier):
            small = f.value < 10 and (f.high is None or f.high < 10)  # "3", "1-2": list items, scores, votes
            return not (f.words or (f.digits and small) or labelled)
        if labelled and f.what and not (f.unit or f.qualifier):
            return False  # "Nord Stream 2 pipeline", "Article 5 guarantees"
        return not (f.words and f.value == 1 and not (f.unit or f.mult))  # "one of", "one official said"

    # -- what is not a count -------------------------------------------------------------

    def _is_code(self, core: int) -> bool:
        """'Su-35', 'COVID-19', 'mid-2014', '31/01', '#3': a number glued to a word."""
        text = self.text
        if core == 0:
            return False
        before = text[core - 1]
        return before == "#" or (before in "-–/+" and core >= 2 and text[core - 2].isalnum())

    def _in_entity(self, core: int) -> bool:
        i = bisect_right(self.entity_starts, core) - 1
        return i >= 0 and self.entity_starts[i] < core < self.entity_ends[i]  # "Nord Stream 2"

    def _age_after_name(self, start: int, end: int) -> bool:
        """'Olena Petrenko, 61, said': a number between commas after a capitalised name."""
        text = self.text
        if not (start >= 2 and text.startswith(", ", start - 2) and text[end : end + 1] in (",", ")")):
            return False
        if not (end - start <= 3 and text[start:end].isdigit()) or int(text[start:end]) >= _AGE_BELOW:
            return False
        return _NAME_BEFORE.search(text, max(0, start - 32), start - 2) is not None

    def _month_after(self, pos: int) -> bool:
        token = _TOKEN.match(self.text, pos)
        if token is None:
            return False
        word = token.group(1).rstrip(".,;:)")
        return word in W.MONTHS or word in W.MONTHS_LOWER

    def _phone(self, start: int, pos: int) -> int | None:
        text = self.text
        lead = start - 1 if start and text[start - 1] in "+(" else start
        if lead == start and not (text[pos : pos + 1] in (" ", ".", "-", ")") and text[pos + 1 : pos + 2].isdigit()):
            return None
        phone = _PHONE.match(text, lead)
        if phone and sum(c.isdigit() for c in phone.group(0)) >= _PHONE_DIGITS and "," not in phone.group(0):
            return phone.end()
        return None

    def _labelled(self, prev: str | None, start: int, value: float, digits: str) -> bool:
        """A capitalised word right before a small plain number: 'Radio 4', 'Stream 2'."""
        if prev is None or not prev[:1].isupper() or prev.lower() in W.FUNCTION_WORDS or value >= _LABEL_BELOW:
            return False
        if not digits or "." in digits or start <= self.headline_end:
            return False
        nxt = _TOKEN.match(self.text, start + len(digits))
        return not (nxt and nxt.group(1)[:1].isupper())

    # -- what is counted -----------------------------------------------------------------

    def _what_after_money(self, pos: int, end: int) -> tuple[str | None, int, bool]:
        """(what, end, read past brackets) for '$600m package', '$4bn in military aid',
        '€1.2bn ($1.4bn) of aid'."""
        what, what_end = self._noun_phrase(pos, end, money=True)
        if what is None and (prep := _PREP_WHAT.match(self.text, pos)):
            what, what_end = self._noun_phrase(prep.end(), end, after_of=True, money=True)
            return what, what_end, what is not None and ")" in self.text[pos : prep.start("prep")]
        return what, what_end, False

    def _noun_phrase(self, pos: int, end: int, after_of: bool = False, money: bool = False) -> tuple[str | None, int]:
        """The counted noun phrase from `pos`: adjectives and nouns up to a plural head,
        stopping at a function word, a verb-looking word or punctuation."""
        text = self.text
        words: list[tuple[str, int]] = []
        at = pos
        for _ in range(W.MAX_WHAT_WORDS + 2):
            tok = _TOKEN.match(text, at)
            if tok is None:
                break
            raw = tok.group(1)
            if not words and after_of:
                raw = raw.lstrip("\"“‘'")
            word = raw.rstrip(",;:!?)”\"’'")
            stop_after = word != raw
            if word.endswith(".") and not _ABBREVIATION.match(word):
                word, stop_after = word.rstrip("."), True
            lower = word.lower()
            if not word or not word[0].isalnum() or "'" in word or "’" in word:
                break
            if word[0].isdigit() and not W.CALIBRE_TOKEN.fullmatch(word):
                break
            if len(word) == 1 and word not in "aAI":
                break  # "8 c", "1 p": a stray letter is no noun
            at = tok.end()
            if not words and lower in W.LEADING_MODIFIERS:
                continue  # "Sixty additional Canadian military personnel"
            acronym = word.isupper() and len(word) > 1  # "US lawmakers": not the pronoun
            if (lower in W.STOP_WORDS and not acronym) or (lower.endswith("ly") and len(lower) > 4):
                break
            if money and lower in W.MONEY_STOP:
                break
            words.append((word, tok.end(1) - len(raw)))
            if _is_plural_head(lower) and (stop_after or not self._modifies_next(lower, at)):
                break
            if stop_after or len(words) >= W.MAX_WHAT_WORDS:
                break
        title_case = pos <= self.headline_end
        while words and not _is_head(words[-1][0], title_case, after_of):
            words.pop()
        if not words:
            return None, end
        last, last_start = words[-1]
        return text[words[0][1] : last_start + len(last)], max(end, last_start + len(last))

    def _modifies_next(self, lower: str, at: int) -> bool:
        """'arms shipments', 'artillery shells', 'aircraft carriers': a plural-looking word
        that modifies the plural noun after it."""
        if lower not in W.PLURAL_MODIFIERS and lower not in W.IRREGULAR_PLURALS:
            return False
        nxt = _TOKEN.match(self.text, at)
        if nxt is None:
            return False
        word = nxt.group(1).rstrip(",;:.!?)”\"’'").lower()
        return word not in W.STOP_WORDS and word.endswith("s") and _is_plural_head(word)


def _before(text: str, start: int) -> tuple[str | None, str | None, int]:
    """(previous word, qualifier, where the figure starts) from the words before `start`."""
    if start == 0 or text[start - 1] not in " \u00a0":
        return None, None, start
    lo = max(0, start - 32)
    words = text[lo:start].split()
    if lo and words and not text[lo - 1].isspace() and not text[lo].isspace():
        words = words[1:]  # the window cut the first word
    if not words:
        return None, None, start
    if words[-1].lower() not in W.QUALIFIER_ENDS:
        return words[-1], None, start
    for n in (3, 2, 1):
        if len(words) >= n and (key := " ".join(words[-n:]).lower()) in W.QUALIFIER_SET:
            at = start
            for word in reversed(words[-n:]):
                at = text.rfind(word, lo, at)
            return words[-n - 1] if len(words) > n else None, key, at
    return words[-1], None, start


def _is_plural_head(lower: str) -> bool:
    if lower in W.IRREGULAR_PLURALS:
        return True
    return len(lower) > 3 and lower.endswith("s") and not lower.endswith(("ss", "us", "is", "'s", "’s"))


def _is_head(word: str, title_case: bool, after_of: bool) -> bool:
    lower = word.lower()
    if lower.endswith(("ed", "ing")) and not lower.endswith("eed"):
        return False  # "troops deployed", "500 wounded": a verb or an adjective, not the thing
    if word[:1].isupper() and not title_case:
        return _is_plural_head(lower) or (after_of and word.isupper() and len(word) > 1)
    return True


def _number_value(m: re.Match[str]) -> float | None:
    if m.group("num"):
        value = float(m.group("num").replace(",", ""))
        return value if math.isfinite(value) else None  # "1e999", a 400-digit run
    if m.group("vague"):
        return W.vague_value(m.group("vague"))
    return W.words_value(m.group("words"))


def _read_range(rng: re.Match[str], qualifier: str | None, prev: str | None, low: float,
                mult: float, first_digits: str) -> tuple[float, float | None, int, bool]:
    """(low, high, end, not_a_figure) for '10-15', '$4 or $5 billion', 'between 5 and 10'.
    high is None when the tail is no range ('from 5 to 10' is a change); not_a_figure is
    True for '1-0' (a score) and '2012–13' (a span of years)."""
    sep = (rng.group("dash") or rng.group("word")).lower()
    raw = rng.group("num")
    second = float(raw.replace(",", "")) if raw[0].isdigit() else W.words_value(raw)
    if second is None or (sep == "and" and qualifier != "between") or (sep == "to" and (prev or "").lower() == "from"):
        return low, None, rng.start(), False
    dash = sep in "-–—"
    if dash and _is_year(first_digits, low) and raw.isdigit() and len(raw) in (2, 4):
        return low, None, rng.end(), True
    end = rng.end()
    tail = _MULT.match(rng.string, end)
    if tail:
        factor = _factor(tail)
        high, end = second * factor, tail.end()
        low = low if mult else low * factor  # "$4 or $5 billion": one multiplier for both
    else:
        high = second * (mult or 1)
    if high <= low:
        return low, None, (end if dash else rng.start()), dash  # "1-0", "3-1": a score, not a range
    return low, high, end, False


def _factor(mult: re.Match[str]) -> float:
    return W.MULTIPLIER[(mult.group("long") or mult.group("short")).lower()]


def _minus_before(text: str, core: int) -> bool:
    """A minus sign glued to the number and not to a word: '-5', '(−3'."""
    return core >= 1 and text[core - 1] in "-−" and (core == 1 or text[core - 2] in " (\n\u00a0")


def _nothing_after(text: str, pos: int) -> bool:
    """No unit, range or word can follow: the end, punctuation, or a space and a digit."""
    c = text[pos : pos + 1]
    if c == " ":
        c = text[pos + 1 : pos + 2]
        return c.isdigit() or c in ",;.)]}\n"
    return c == "" or c in ",;)]}\n\t"


def _vague_alone(text: str, pos: int, vague: str) -> bool:
    """'thousands more troops', 'Thousands have fled': a vague number without 'of'."""
    tok = _TOKEN.match(text, pos)
    if tok is None:
        return vague[:1].isupper()
    if vague.lower() == "scores":
        return False  # "test scores rose": only "scores of" is a number
    word = tok.group(1).lower().rstrip(",.")
    return word == "more" or word in W.STOP_WORDS


def _currency_of(adjective: str | None, word: str, money_context: bool) -> str | None:
    word = re.sub(r"\s+", " ", word.lower())
    if word.startswith("pound") and not (money_context or "sterling" in word):
        return None  # "50 pounds" may be a weight
    base = W.CURRENCY_WORDS.get(word)
    if isinstance(base, dict):
        return base.get((adjective or "").lower().replace(".", ""))
    return base


def _is_year(digits: str, value: float) -> bool:
    return len(digits) == 4 and digits.isdigit() and W.YEAR_MIN <= value <= W.YEAR_MAX


def _skip(pattern: re.Pattern[str], text: str, pos: int) -> int:
    found = pattern.match(text, pos)
    return found.end() if found else pos


__all__ = ["find_quantities", "what_key"]
