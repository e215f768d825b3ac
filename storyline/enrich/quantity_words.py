"""The word lists the figure reader (quantities.py) uses: number words, multipliers,
currencies, units, qualifiers and the closed class of words that end a counted noun phrase.
"""

from __future__ import annotations

import re

_S = r"[ \u00a0]"

# -- numbers written as words --------------------------------------------------------------

SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_UNIT_W = "one|two|three|four|five|six|seven|eight|nine"
_SMALL_W = "|".join(sorted(SMALL, key=len, reverse=True))
_TENS_W = "|".join(TENS)
_W1 = rf"(?:(?:{_TENS_W})(?:[- \u00a0](?:{_UNIT_W}))?|{_SMALL_W})"
_HUNDREDS = rf"{_W1}(?:{_S}+hundred(?:{_S}+(?:and{_S}+)?{_W1})?)?"
WORD_NUMBER = (
    rf"(?:half{_S}+)?an?{_S}+(?:dozen|hundred|thousand|million|billion)"
    rf"|{_HUNDREDS}(?:{_S}+thousand(?:{_S}+(?:and{_S}+)?{_HUNDREDS})?)?"
)
# Vague plurals: the value is the order of magnitude, the words are the qualifier.
VAGUE_VALUES = {
    "tens of thousands": 1e4, "hundreds of thousands": 1e5, "tens of millions": 1e7, "hundreds of millions": 1e8,
    "thousands": 1e3, "hundreds": 1e2, "millions": 1e6, "billions": 1e9, "dozens": 12, "scores": 20,
    "several hundred": 1e2, "several thousand": 1e3, "several million": 1e6, "several dozen": 12,
    "a few hundred": 1e2, "a few thousand": 1e3, "a few million": 1e6, "a few dozen": 12,
}
VAGUE = (
    rf"(?:tens|hundreds){_S}+of{_S}+(?:thousands|millions)|thousands|hundreds|millions|billions|dozens|scores"
    rf"|(?:several|a{_S}+few){_S}+(?:hundred|thousand|million|dozen)"
)


def _trie(words: list[str]) -> str:
    """A regex alternation of `words` shaped as a prefix tree, so a scan rejects most
    words at their first or second letter; the first letter matches either case."""
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict, top: bool) -> str:
        parts = []
        for ch, child in sorted(node.items()):
            if ch == "":
                continue
            head = f"[{ch.upper()}{ch}]" if top else re.escape(ch)
            parts.append(head + emit(child, False))
        optional = "" in node
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 and len(parts[0]) == 1 else "(?:" + "|".join(parts) + ")"
        return body + ("?" if optional else "")

    return emit(tree, True)


# Where a number written in words may start: what the fast scan looks for.
WORD_STARTS = _trie([*SMALL, *TENS, "tens", "hundreds", "thousands", "millions", "billions", "dozens", "scores",
                     "several", "half"]) + rf"|[Aa]n?{_S}(?:dozen|hundred|thousand|million|billion|few)"
MULTIPLIER = {
    "hundred": 1e2, "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6,
    "billion": 1e9, "bn": 1e9, "bln": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "trn": 1e12,
}


def words_value(words: str) -> float | None:
    """'twenty-five' -> 25, 'two hundred and fifty thousand' -> 250000, 'a dozen' -> 12."""
    tokens = re.split(r"[\s\-]+", words.lower())
    scale = 1.0
    if tokens[0] == "half":
        scale, tokens = 0.5, tokens[1:]
    total, current = 0.0, 0.0
    for tok in tokens:
        if tok in ("a", "an"):
            current = 1.0
        elif tok in SMALL:
            current += SMALL[tok]
        elif tok in TENS:
            current += TENS[tok]
        elif tok == "dozen":
            current = max(current, 1.0) * 12
        elif tok == "hundred":
            current = max(current, 1.0) * 100
        elif tok in ("thousand", "million", "billion"):
            total += max(current, 1.0) * MULTIPLIER[tok]
            current = 0.0
        elif tok != "and":
            return None
    return (total + current) * scale


def vague_value(words: str) -> float:
    return VAGUE_VALUES.get(re.sub(r"\s+", " ", words.lower()), 1e3)


# -- money ------------------------------------------------------------------------------

CURRENCY_PREFIX = (
    r"US\$|U\.S\.\$|C\$|CA\$|CAN\$|A\$|AU\$|NZ\$|HK\$|S\$|\$|€|£|¥|₽|₴|₹"
    r"|(?:USD|EUR|GBP|CAD|AUD|CHF|JPY|RUB|UAH|CZK|PLN|CNY)(?=[ \u00a0]?\d)"
)
PREFIX_CURRENCY = {
    "$": "USD", "us$": "USD", "u.s.$": "USD", "c$": "CAD", "ca$": "CAD", "can$": "CAD", "a$": "AUD",
    "au$": "AUD", "nz$": "NZD", "hk$": "HKD", "s$": "SGD", "€": "EUR", "£": "GBP", "¥": "JPY", "₽": "RUB",
    "₴": "UAH", "₹": "INR", "usd": "USD", "eur": "EUR", "gbp": "GBP", "cad": "CAD", "aud": "AUD",
    "chf": "CHF", "jpy": "JPY", "rub": "RUB", "uah": "UAH", "czk": "CZK", "pln": "PLN", "cny": "CNY",
}
# "$340m Canadian", "Australian dollars": the nation names the dollar.
DOLLAR_NATIONS = {
    "us": "USD", "american": "USD", "canadian": "CAD", "australian": "AUD", "nz": "NZD",
    "new zealand": "NZD", "hong kong": "HKD", "singapore": "SGD",
}
CURRENCY_ADJECTIVE = (
    r"US|U\.S\.|American|Canadian|Australian|NZ|New Zealand|Hong Kong|Singapore|Czech|Swedish|Danish"
    r"|Norwegian|Icelandic|Swiss|Russian|Ukrainian|Polish|Turkish|Indian|Japanese|Chinese|Hungarian"
)
_CROWNS = {"czech": "CZK", "swedish": "SEK", "danish": "DKK", "norwegian": "NOK", "icelandic": "ISK"}
_DOLLARS = {**DOLLAR_NATIONS, "": "USD"}
CURRENCY_WORDS: dict[str, str | dict[str, str]] = {
    "dollar": _DOLLARS, "dollars": _DOLLARS, "euro": "EUR", "euros": "EUR", "pound": "GBP", "pounds": "GBP",
    "pounds sterling": "GBP", "sterling": "GBP", "rouble": "RUB", "roubles": "RUB", "ruble": "RUB",
    "rubles": "RUB", "hryvnia": "UAH", "hryvnias": "UAH", "hryvnas": "UAH", "yuan": "CNY", "renminbi": "CNY",
    "yen": "JPY", "crown": _CROWNS, "crowns": _CROWNS, "koruna": "CZK", "korunas": "CZK", "kronor": "SEK",
    "krona": "SEK", "kroner": {"danish": "DKK", "norwegian": "NOK"}, "krone": {"danish": "DKK", "norwegian": "NOK"},
    "zloty": "PLN", "zlotys": "PLN", "złoty": "PLN", "francs": {"swiss": "CHF"}, "franc": {"swiss": "CHF"},
    "rupees": "INR", "rupee": "INR", "lira": "TRY", "liras": "TRY", "forints": "HUF", "forint": "HUF",
}
CURRENCY_WORD = "|".join(sorted((re.escape(w).replace(r"\ ", r"[ \u00a0]+") for w in CURRENCY_WORDS), key=len, reverse=True))
# Words that follow money but are not what it buys: "$5bn a year", "$268m to the programme".
MONEY_STOP = frozenset({"a", "per", "each", "annually", "year", "month", "worth"})

# -- units ------------------------------------------------------------------------------

UNIT_NAME = {
    "%": "percent", "percent": "percent", "per cent": "percent", "pct": "percent",
    "percentage point": "percentage point", "percentage points": "percentage point",
    "km": "km", "kms": "km", "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km",
    "km2": "square km", "km²": "square km", "sq km": "square km", "square kilometres": "square km",
    "square kilometers": "square km", "square miles": "square mile", "square mile": "square mile",
    "mile": "mile", "miles": "mile", "metre": "metre", "metres": "metre", "meter": "metre", "meters": "metre",
    "cubic metres": "cubic metre", "cubic meters": "cubic metre", "feet": "foot", "foot": "foot", "ft": "foot",
    "inch": "inch", "inches": "inch", "tonne": "tonne", "tonnes": "tonne", "ton": "tonne", "tons": "tonne",
    "metric tons": "tonne", "kg": "kg", "kilogram": "kg", "kilograms": "kg", "kilos": "kg", "lb": "lb",
    "lbs": "lb", "pound": "lb", "pounds": "lb", "litre": "litre", "litres": "litre", "liter": "litre", "liters": "litre", "barrel": "barrel",
    "barrels": "barrel", "gallons": "gallon", "degree": "degree", "degrees": "degree", "°": "degree",
    "°c": "degree", "°f": "degree", "hectares": "hectare", "acres": "acre", "km/h": "km/h", "kph": "km/h",
    "mph": "mph", "knots": "knot", "mw": "MW", "megawatts": "MW", "gw": "GW", "gigawatts": "GW",
    "seconds": "second", "minute": "minute", "minutes": "minute", "hour": "hour", "hours": "hour",
    "day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month", "months": "month",
    "year": "year", "years": "year", "decade": "decade", "decades": "decade", "centuries": "century",
}
_ATTACHED = ("%", "km/h", "km2", "km²", "km", "kg", "kph", "mph", "ft", "mw", "gw", "°c", "°f", "°", "lbs", "lb")
ATTACHED_UNIT = r"[ \u00a0]?%|(?:" + "|".join(re.escape(u) for u in _ATTACHED[1:]) + r")(?![\w])"  # "12%", "12 %"
_SPACED = [u for u in UNIT_NAME if u not in ("%", "°", "°c", "°f")]
UNIT_WORD = "|".join(sorted((re.escape(u).replace(r"\ ", r"[ \u00a0]+") for u in _SPACED), key=len, reverse=True))
# "4,000 155mm shells": a calibre inside a counted phrase.
CALIBRE_TOKEN = re.compile(r"\d{2,3}(?:mm|-mm|-millimet(?:re|er)|-calibre|-caliber)", re.I)

# -- the words around a number ----------------------------------------------------------

QUALIFIERS = (
    "no more than", "no fewer than", "no less than", "not more than", "more than", "fewer than", "less than",
    "as many as", "as much as", "as few as", "at least", "at most", "up to", "just over", "just under",
    "well over", "well above", "upwards of", "in excess of", "close to", "an estimated", "estimated",
    "approximately", "approx.", "about", "around", "roughly", "nearly", "almost", "over", "under", "above",
    "below", "some", "between", "only", "just", "another", "a further", "an additional",
)
QUALIFIER_SET = frozenset(QUALIFIERS)
QUALIFIER_ENDS = frozenset(q.split()[-1] for q in QUALIFIERS)
AGE_WORDS = frozenset({"aged", "age", "ages"})

# Lower-case month names count too (tokenised or lower-cased text), except the verbs.
MONTHS_LOWER = frozenset(
    "january february april june july august september october november december".split()
)
MONTHS = frozenset(
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()
)
# Words before a number that make it a label: "Article 5", "page 4", "Resolution 2202".
LABEL_WORDS = frozenset(
    "article articles resolution section chapter page pages p pp paragraph para clause part item no "
    "number vol volume issue episode season room flight route level phase version channel radio tier "
    "amendment category class grade platform gate terminal highway protocol code act rule window windows "
    "apollo minsk covid formula lane bus road".split()
)
# Capitalised words that can stand before a count without being a label ("Only 45 ...").
FUNCTION_WORDS = frozenset(
    "the a an all some only just about over nearly almost around roughly at in on of with by for and but "
    "another those these its their his her our more than least to from up between as since until after "
    "before during while when if said says sent send sends deploy deploys killed kill kills another "
    "killing fires fired".split()
)
# Closed class that ends a counted noun phrase: verbs, prepositions, determiners, pronouns.
STOP_WORDS = frozenset(
    """a an the this that these those and or but nor of in on at to from by with for into onto over under
    about after before since until during against between among through across within without per via
    than as like near around off up down out upon toward towards behind beyond amid along
    is are was were be been being am have has had having do does did will would shall should can could
    may might must said say says told tell tells according added claimed reported reportedly
    who which whom whose what when where while whether if because so though although
    he she it they we you i his her its their our my your them him us me
    not no also still already now then just only even each every all both some any most less least such
    another here there today yesterday tomorrow tonight last next ago too again very soon later earlier
    went came left made took gave got sent put set held met fell rose began saw became brought bought
    paid spent lost won fled ran kept stood remain remains remained arrive arrived gather gathered
    go come take give make get see stay join face need needs want wants
    inside outside overnight nearby away back home apiece altogether respectively instead alone either
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split()
)
# Leading words dropped from a counted phrase: "Sixty additional Canadian personnel".
LEADING_MODIFIERS = frozenset({"additional", "more", "other", "extra", "further"})
# Plurals that usually modify a following noun: "arms shipments", "weapons systems".
PLURAL_MODIFIERS = frozenset({"arms", "weapons", "news", "goods", "sports", "customs", "savings", "armed"})
# Heads that end a counted phrase without a final -s.
IRREGULAR_PLURALS = frozenset(
    "people personnel police children men women staff aircraft equipment livestock cattle infantry "
    "artillery ammunition sheep crew militia".split()
)
IRREGULAR_SINGULAR = {"people": "people", "men": "man", "women": "woman", "children": "child", "feet": "foot",
                      "personnel": "personnel", "police": "police", "aircraft": "aircraft", "series": "series",
                      "species": "species", "news": "news", "buses": "bus", "gases": "gas", "crises": "crisis", "arms": "arms", "troops": "troop", "casualties": "casualty"}
# At most this many words in a counted phrase: "Canadian military personnel" is 3; the longest
# useful phrases seen in the seeds ("Russian military transport aircraft") are 4.
MAX_WHAT_WORDS = 4
# Four-digit numbers in this span without a unit or a qualified count are years.
YEAR_MIN, YEAR_MAX = 1800, 2100
