"""Find and parse troop-figure style number phrases in news text.

The module turns phrases such as ``"around 12,000"``, ``"11 to 12,000"``,
``"fifteen hundred"``, ``"more than a dozen"`` or ``"tens of thousands"`` into
a :class:`NumberPhrase` carrying a numeric interval ``(low, high)`` and a
qualifier (one of :data:`QUALIFIERS`).

It uses only the standard library (``re``), all regular expressions are
compiled at import time, text with no digit and no number word is rejected by
a single cheap regex search, and no public function raises on any ``str``
input (a match that cannot be interpreted is skipped).

Conventions
-----------
* All numbers are ``float`` and finite.  Non-range, non-vague phrases have
  ``low == high == value``; the qualifier says how to read the value
  (``"more than 10,000"`` -> ``(10000.0, 10000.0, "more_than")``).
* Ranges have qualifier ``"range"`` and ``low < high`` (a pair that would give
  ``low >= high`` is *not* read as a range: ``"3-2"`` gives two numbers).
  A qualifier in front of a range (``"about 10,000-12,000"``) is included in
  the span, but the qualifier stays ``"range"``.
* Scale carry-back in ranges: when the first number is written "plain" (no
  thousands separator, no scale word) and the second one carries a scale, the
  first is multiplied by that scale **if the product is <= the second
  number**.  The scale of the second number is its scale word/suffix
  (``"12 thousand"``, ``"2 million"``, ``"12k"``, ``"twelve thousand"``,
  ``"three hundred thousand"`` -> 100,000) or, for digits with thousands
  separators, ``1000 ** number_of_groups`` (``"12,000"`` -> 1000,
  ``"1,200,000"`` -> 1,000,000).  So ``"11 to 12,000"`` -> 11,000-12,000,
  ``"3 to 12,000"`` -> 3,000-12,000, ``"1.5 to 2 million"`` ->
  1,500,000-2,000,000, ``"eleven to twelve thousand"`` -> 11,000-12,000, but
  ``"500 to 1,000"`` stays 500-1,000 and ``"10,000 to 12,000"`` is untouched.
* Vague phrases (``"thousands"``, ``"a few hundred"``, ``"dozens"``...) get
  qualifier ``"vague"``, ``low = high = None`` and a band taken from
  :data:`VAGUE_BANDS`.  They never absorb qualifier words (``"up to
  thousands"`` -> the phrase is ``"thousands"``) nor a following ``"more"``
  (``"thousands more"`` -> ``"thousands"``).
* Money / currency: the currency symbol is *not* part of the phrase;
  ``"$2 billion"`` yields the phrase ``"2 billion"`` starting at the digit, so
  a caller can look at ``text[start - 1]`` to filter money.  A qualifier
  separated from the number by a currency symbol (``"about $2 billion"``) is
  not attached.
* Percentages are returned as plain numbers (``"40%"`` -> phrase ``"40"``,
  ``"40 percent"`` -> phrase ``"40"``); the caller filters by what follows.
* Years (``2024``) and clock times (``10:30`` -> ``10`` and ``30``) are
  returned; noun-based filtering happens elsewhere.
* Digit runs glued to letters are never returned: ``F-16``, ``K-2``,
  ``Su-34``, ``COVID-19``, ``G7``, ``3rd``, ``1990s``, ``10km``, and nothing
  inside dotted versions / addresses like ``v1.2.3`` or ``1.2.3.4``.
* A single space is accepted as a thousands separator when followed by exactly
  three digits (``"12 000"``), so ``"May 5 100 soldiers"`` reads as 5,100 —
  a known, accepted ambiguity.
* A lone "one" is dropped when it is a pronoun: "one of", "no one", "the one
  who", "one another", "one-on-one"; "one interpreter" is returned as 1.
  Word numbers followed by a fraction or ordinal ("two-thirds", "twenty-first")
  are dropped.

Not supported (deliberately)
----------------------------
* ``m`` / ``mn`` / ``mln`` suffixes (``"1.5m"`` — ambiguous with metres; the
  token is skipped entirely), ``"a half million"``, mixed digit/word compounds
  such as ``"1 million 200 thousand"``, British ``"a thousand million"``
  (read as 1,000).
* Bare ``"several"``, ``"a few"``, ``"a couple"``, ``"many"`` without a scale
  word; ``"scores"`` only counts when followed by ``"of"``.
* European decimal commas (``"1,5 million"`` gives nothing), negative
  numbers, non-ASCII digits, Roman numerals, spelled-out ordinals.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import NamedTuple

from .lexicon import trie_regex

__all__ = [
    "NumberPhrase",
    "QUALIFIERS",
    "VAGUE_BANDS",
    "find_number_phrases",
    "parse_number_phrase",
]

#: Every value :attr:`NumberPhrase.qualifier` can take.
QUALIFIERS: tuple[str, ...] = (
    "exact",
    "approx",
    "at_least",
    "more_than",
    "up_to",
    "range",
    "vague",
)

#: Documented bands for vague quantity phrases, keyed by the normalised phrase
#: (lower case, single spaces, "couple of" -> "couple", plural scale words
#: after several / a few / a couple made singular).  The bands are deliberately
#: conservative readings of ordinary English usage:
#:   * bare plural scale words mean "at least two of them, fewer than ten":
#:     "thousands" -> 2,000-9,999, "hundreds" -> 200-999, "millions" likewise;
#:   * "several" starts at three units, "a few" covers two to five, "a couple"
#:     two to three;
#:   * "tens of X" / "hundreds of X" are 20-99 / 200-999 times X;
#:   * "dozens" is two to twelve dozen (24-144), "scores (of)" two to ten
#:     score (40-200);
#:   * "a handful" is 2-10 and "a small number" 1-20 (small-group phrases
#:     seen in deployment reporting, kept loose on purpose); "a large number"
#:     (significant, substantial, considerable, sizeable, and the plural
#:     "large numbers") 100-10,000, looser still. "a number of" gives no size
#:     at all and is not read.
VAGUE_BANDS: dict[str, tuple[float, float]] = {
    "hundreds of millions": (200_000_000.0, 999_999_999.0),
    "tens of millions": (20_000_000.0, 99_999_999.0),
    "hundreds of thousands": (200_000.0, 999_999.0),
    "tens of thousands": (20_000.0, 99_999.0),
    "several hundred thousand": (300_000.0, 999_999.0),
    "a few hundred thousand": (200_000.0, 500_000.0),
    "a couple hundred thousand": (200_000.0, 300_000.0),
    "millions": (2_000_000.0, 9_999_999.0),
    "several million": (3_000_000.0, 9_999_999.0),
    "a few million": (2_000_000.0, 5_000_000.0),
    "thousands": (2_000.0, 9_999.0),
    "several thousand": (3_000.0, 9_999.0),
    "a few thousand": (2_000.0, 5_000.0),
    "a couple thousand": (2_000.0, 3_000.0),
    "hundreds": (200.0, 999.0),
    "several hundred": (300.0, 999.0),
    "a few hundred": (200.0, 500.0),
    "a couple hundred": (200.0, 300.0),
    "dozens": (24.0, 144.0),
    "several dozen": (36.0, 144.0),
    "a few dozen": (24.0, 60.0),
    "a couple dozen": (24.0, 36.0),
    "scores": (40.0, 200.0),
    "a handful": (2.0, 10.0),
    "a small number": (1.0, 20.0),
    "a large number": (100.0, 10_000.0),
}


@dataclass(frozen=True)
class NumberPhrase:
    """One number phrase found in a text.

    Offsets are into the string that was passed to :func:`find_number_phrases`
    or :func:`parse_number_phrase`; ``phrase == text[start:end]``.

    Attributes:
        start: offset of the phrase, including leading qualifier words
            ("about", "between", "more than", ...).
        end: exclusive end offset (includes trailing "or so", "+", "-plus"...).
        phrase: ``text[start:end]`` exactly as written.
        low: lower bound as float, ``None`` for vague phrases.
        high: upper bound as float, ``None`` for vague phrases; ``low <= high``.
        qualifier: one of :data:`QUALIFIERS`.
        band_low: for vague phrases the documented lower band from
            :data:`VAGUE_BANDS`, else ``None``.
        band_high: for vague phrases the documented upper band, else ``None``.
        value_start: offset where the numeric part starts (after qualifier
            words such as "about" or "between").
    """

    start: int
    end: int
    phrase: str
    low: float | None
    high: float | None
    qualifier: str
    band_low: float | None
    band_high: float | None
    value_start: int


# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9,
}
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {
    "hundred": 100.0, "thousand": 1_000.0, "million": 1_000_000.0,
    "billion": 1_000_000_000.0,
}

# word -> (kind, value); kinds: unit, teen, tens, hundred, big, dozen
_WORD_KIND: dict[str, tuple[str, float]] = {}
_WORD_KIND.update({w: ("unit", float(v)) for w, v in _UNITS.items()})
_WORD_KIND.update({w: ("teen", float(v)) for w, v in _TEENS.items()})
_WORD_KIND.update({w: ("tens", float(v)) for w, v in _TENS.items()})
_WORD_KIND["hundred"] = ("hundred", 100.0)
for _w in ("thousand", "million", "billion"):
    _WORD_KIND[_w] = ("big", _SCALES[_w])
_WORD_KIND["dozen"] = ("dozen", 12.0)


def _alt(words) -> str:
    """Regex alternation of words, longest first."""
    return "|".join(sorted(words, key=len, reverse=True))


_START_WORDS = _alt(list(_UNITS) + list(_TEENS) + list(_TENS))
_ALL_WORDS = _alt(_WORD_KIND)
_SCALE_WORDS = "hundred|thousand|million|billion"

_HYPHENS = "\\-\u2010\u2011"                      # joins "twenty-five"
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"  # range dashes
_THOUSANDS_SEPS = ",\u00a0\u2009\u202f "          # thousands separators

# ---------------------------------------------------------------------------
# Regular expressions (all compiled once)
# ---------------------------------------------------------------------------

# Words at which a phrase can start (after an optional "a ").
_ANCHOR_WORDS = (
    list(_UNITS) + list(_TEENS) + list(_TENS) + list(_SCALES)
    + ["dozen", "half", "hundreds", "thousands", "millions", "dozens",
       "several", "few", "couple", "tens", "scores", "handful", "small", "smaller", "limited", "modest",
       "large", "larger", "significant", "substantial", "considerable", "sizeable", "sizable"]
)
# Pre-check and candidate finder in one: every phrase starts at an ASCII digit
# run or at one of the anchor words (possibly preceded by "a ", which the scan
# loop looks for behind the word).  The leading look-ahead on the possible
# first characters lets the regex engine skip most positions cheaply.  It is
# run case-sensitively on a lower-cased copy of the text (about twice as fast
# as IGNORECASE).
_ANCHOR_FIRST = "".join(sorted({w[0] for w in _ANCHOR_WORDS}))
_ANCHOR_PATTERN = (
    r"(?=[0-9" + _ANCHOR_FIRST + r"])(?:[0-9]+|\b(?P<w>"
    + trie_regex(sorted(_ANCHOR_WORDS)) + r")\b)"
)
_ANCHOR_RE = re.compile(_ANCHOR_PATTERN)

# Vague phrases: (key in VAGUE_BANDS, pattern).  Order matters: longer first.
_QUOTE = "[\"\u201c\u201d'\u2018\u2019]?"
_QUOTE_AFTER = "[\"\u201c\u201d'\u2018\u2019](?=\\s)"  # a closing quote, then a space
_COUPLE = r"a\s+couple(?:\s+of)?"
_VAGUE_PATTERNS: list[tuple[str, str]] = [
    ("hundreds of millions", r"hundreds\s+of\s+millions"),
    ("tens of millions", r"tens\s+of\s+millions"),
    ("hundreds of thousands", r"hundreds\s+of\s+thousands"),
    ("tens of thousands", r"tens\s+of\s+thousands"),
    ("several hundred thousand", r"several\s+hundred\s+thousand"),
    ("a few hundred thousand", r"a\s+few\s+hundred\s+thousand"),
    ("a couple hundred thousand", _COUPLE + r"\s+hundred\s+thousand"),
    ("several million", r"several\s+millions?"),
    ("a few million", r"a\s+few\s+millions?"),
    ("millions", r"millions"),
    ("several thousand", r"several\s+thousands?"),
    ("a few thousand", r"a\s+few\s+thousands?"),
    ("a couple thousand", _COUPLE + r"\s+thousands?"),
    ("thousands", r"thousands"),
    ("several hundred", r"several\s+hundreds?"),
    ("a few hundred", r"a\s+few\s+hundreds?"),
    ("a couple hundred", _COUPLE + r"\s+hundreds?"),
    ("hundreds", r"hundreds"),
    ("several dozen", r"several\s+dozens?"),
    ("a few dozen", r"a\s+few\s+dozens?"),
    ("a couple dozen", _COUPLE + r"\s+dozens?"),
    ("dozens", r"dozens"),
    ("scores", r"scores(?=\s+of\b)"),
    ("a handful", r"a\s+handful"),
    # The adjective may stand in quotes, as when a source's own words are quoted: a "small number".
    ("a small number", r"a\s+" + _QUOTE + r"(?:small|smaller|limited|modest)\s+number(?:" + _QUOTE_AFTER + r")?"
     r"|(?:small|smaller|limited|modest)\s+numbers(?=\s+of\b)"),
    ("a large number", r"a\s+" + _QUOTE + r"(?:large|larger|significant|substantial|considerable|sizeable|sizable)"
     r"\s+number(?:" + _QUOTE_AFTER + r")?|(?:large|larger|significant|substantial|considerable)\s+numbers(?=\s+of\b)"),
]
_VAGUE_KEY_BY_GROUP = {f"vg{i}": key for i, (key, _) in enumerate(_VAGUE_PATTERNS)}
assert set(_VAGUE_KEY_BY_GROUP.values()) == set(VAGUE_BANDS)

_DIGITS_PATTERN = (
    # not glued to a word / dot on the left, not "F-16"-style, not mid "1,234"
    r"(?<![\w.])(?<![^\W\d_][" + _HYPHENS + r"])(?<![0-9],)"
    r"(?P<num>"
    r"[0-9]{1,3}(?P<sep>[" + _THOUSANDS_SEPS + r"])[0-9]{3}(?![0-9])"
    r"(?:(?P=sep)[0-9]{3}(?![0-9]))*(?:\.[0-9]+)?"
    r"|[0-9]+(?:\.[0-9]+)?"
    r")"
    r"(?![0-9]|[.,][0-9])"
    r"(?:(?P<ksuf>k|bn)(?!\w)"
    r"|(?:\s+|[" + _HYPHENS + r"])(?P<wsc>(?:" + _SCALE_WORDS + r")"
    r"(?:\s+(?:" + _SCALE_WORDS + r"))*)\b"
    r"|(?!\w))"
)

_CORE_RE = re.compile(
    "|".join(
        rf"(?P<vg{i}>\b(?:{pat})(?!\w))" for i, (_, pat) in enumerate(_VAGUE_PATTERNS)
    )
    + r"|(?P<half>\bhalf[\s" + _HYPHENS + r"]+an?\s+(?P<halfsc>dozen|"
    + _SCALE_WORDS + r")\b)"
    + r"|" + _DIGITS_PATTERN
    + r"|(?P<word>\b(?:a\s+(?=(?:" + _SCALE_WORDS + r"|dozen)\b)|(?=(?:"
    + _START_WORDS + r")\b)))",
    re.IGNORECASE,
)

_FIRST_WORD_RE = re.compile(
    r"(?:(?P<a>a)\s+(?=(?:" + _SCALE_WORDS + r"|dozen)\b))?"
    r"(?P<w>" + _ALL_WORDS + r")\b",
    re.IGNORECASE,
)
_NEXT_WORD_RE = re.compile(
    r"(?:(?P<and>\s+and\s+)|[" + _HYPHENS + r"]|\s+)(?P<w>" + _ALL_WORDS + r")\b",
    re.IGNORECASE,
)
_AND_HALF_RE = re.compile(
    r"\s+and\s+a\s+half\b(?:\s+(?P<sc>" + _SCALE_WORDS + r")\b)?",
    re.IGNORECASE,
)

# Digits hyphenated to a spelled-out thousand: the hundreds of "four-thousand-100".
_DIGIT_TAIL_RE = re.compile(r"[" + _HYPHENS + r"]([1-9][0-9]{0,2})(?![0-9]|[.,][0-9]|\w)")

_FRACTIONS = (
    r"halves|half|thirds?|quarters?|fourths?|fifths?|sixths?|sevenths?"
    r"|eighths?|ninths?|tenths?"
)
# A word number followed by a fraction or ordinal is not a count:
# "two-thirds", "three quarters", "twenty-first", "two hundredth".
_FRACTION_AFTER_RE = re.compile(
    r"(?:[" + _HYPHENS + r"]|\s+)(?:" + _FRACTIONS
    + r"|hundredths?|thousandths?|millionths?|billionths?)\b"
    r"|[" + _HYPHENS + r"](?:first|second|third|fourth|fifth|sixth|seventh"
    r"|eighth|ninth)\b",
    re.IGNORECASE,
)
# Words that, written just before a lone "one", make it a pronoun ("no one",
# "the one who").  Matched on the reversed text (see _rev_alt).
_ONE_BEFORE_WORDS = ["no", "any", "every", "each", "the", "this", "that", "which"]
_ONE_AFTER_RE = re.compile(
    r"\s+(?:of|another|by|who|which|that)\b|['\u2019]s\b|[" + _HYPHENS + r"](?![0-9])",
    re.IGNORECASE,
)

_RANGE_SEP_RE = re.compile(
    r"(?P<dash>\s*[" + _DASHES + r"]\s*)|\s+(?P<w>to|or|and)\s+",
    re.IGNORECASE,
)
# Leading qualifiers, written in lower case with single spaces.  Any run of
# whitespace may separate the words in the text.
_INTENSIFIERS = ["well", "just", "slightly", "far", "much", "somewhat"]
_PREFIXES: dict[str, list[str]] = {
    "approx": [
        "about", "around", "approximately", "approx.", "approx", "some",
        "roughly", "nearly", "almost", "an estimated", "estimated",
        "close to", "circa", "ca.", "an approximate", "approximate",
        "just about", "more or less", "give or take",
    ],
    "at_least": [
        "at least", "no fewer than", "no less than", "not fewer than",
        "not less than", "a minimum of", "at a minimum",
    ],
    "more_than": [
        "more than", "over", "upwards of", "upward of", "in excess of",
        "exceeded", "exceeding", "exceeds", "exceed", "above", "north of",
        "greater than", "topping", "topped",
    ],
    "up_to": [
        "up to", "as many as", "as much as", "no more than", "not more than",
        "a maximum of", "at most", "fewer than", "less than", "under",
        "below", "as high as", "south of",
    ],
}
#: normalised qualifier phrase -> qualifier
_PREFIX_QUALIFIER: dict[str, str] = {
    phrase: q for q, phrases in _PREFIXES.items() for phrase in phrases
}


def _rev_alt(phrases) -> str:
    """Alternation matching the given phrases in *reversed* text, longest
    first, so that an anchored ``match`` on ``text[:pos][::-1]`` finds the
    longest phrase ending right before ``pos`` ("no more than" beats "more
    than", "an estimated" beats "estimated")."""
    parts = []
    for p in sorted(set(phrases), key=len, reverse=True):
        words = [re.escape(w[::-1]) for w in reversed(p.split())]
        parts.append(r"\s+".join(words))
    return "|".join(parts)


_NOT_WORD_AHEAD = r"(?![\w" + _HYPHENS + r"])"
# All of these run with ``match`` on the reversed text before a number.
_PREFIX_REV_RE = re.compile(
    r"\s+(?P<p>" + _rev_alt(_PREFIX_QUALIFIER) + r")"
    r"(?:\s+(?P<i>" + _rev_alt(_INTENSIFIERS) + r"))?" + _NOT_WORD_AHEAD,
    re.IGNORECASE,
)
_RANGE_PREFIX_REV_RE = re.compile(
    r"\s+(?P<w>" + _rev_alt(["between", "from"]) + r")" + _NOT_WORD_AHEAD,
    re.IGNORECASE,
)
_ONE_BEFORE_REV_RE = re.compile(
    r"[\s" + _HYPHENS + r"]+(?:" + _rev_alt(_ONE_BEFORE_WORDS) + r")" + _NOT_WORD_AHEAD,
    re.IGNORECASE,
)


def _match_before(rx: re.Pattern, text: str, lo: int, pos: int) -> tuple[int, re.Match] | None:
    """Match reversed-text regex ``rx`` against ``text[lo:pos]`` read
    backwards from ``pos``.  Returns (start offset in text, match) or None.
    One extra character before ``lo`` is shown to the regex so that its
    word-boundary check is right, but a match may not start before ``lo``."""
    if pos <= lo:
        return None
    view_lo = lo - 1 if lo > 0 else 0
    rev = text[view_lo:pos][::-1]
    m = rx.match(rev)
    if m is None:
        return None
    start = pos - m.end()
    if start < lo:
        return None
    return start, m


_NUMBER_AHEAD = r"(?:[0-9$\u00a3\u20ac]|(?:a|an|" + _START_WORDS + r")\b)"
_SUFFIX_RE = re.compile(
    r"(?P<approx>\s+or\s+so\b|[\s" + _HYPHENS + r"]odd\b)"
    r"|(?P<at_least>\s+(?:or|and)\s+(?:more|above|greater|over|higher|upwards?)\b"
    r"|[\s" + _HYPHENS + r"]?plus\b(?!\s*" + _NUMBER_AHEAD + r")"
    r"|\+(?![0-9]))"
    r"|(?P<up_to>\s+or\s+(?:fewer|less|under|below)\b)",
    re.IGNORECASE,
)

_EDGE_RE = re.compile(r"[\s\"'\u201c\u201d\u2018\u2019\u00ab\u00bb()\[\].,;:!?]*\Z")

_QUOTE_CHARS = "\"'\u201c\u201d\u2018\u2019"  # may stand between "a" and the word it counts
_PREFIX_WINDOW = 48
_MAX_WORD_TOKENS = 40


# ---------------------------------------------------------------------------
# Internal parsing helpers
# ---------------------------------------------------------------------------


class _Core(NamedTuple):
    """A single number (no qualifiers) found at text[start:end]."""

    value: float
    start: int
    end: int
    mult: float | None   # scale that can be carried back to a plain number
    plain: bool          # written without separators / scale: may receive carry
    approx: bool         # intrinsically approximate ("a dozen")
    bare_one: bool       # the single word "one"
    is_words: bool


class _WordParse(NamedTuple):
    value: float
    end: int
    approx: bool
    lead_mult: float
    max_scale: float
    ntoks: int


def _parse_words(text: str, pos: int) -> _WordParse | None:
    """Parse a spelled-out number starting at ``pos``.

    Returns the longest grammatical prefix ("eleven thousand five hundred",
    "three hundred and fifty", "a dozen", "fifteen hundred"), or None.
    """
    m = _FIRST_WORD_RE.match(text, pos)
    if m is None:
        return None
    toks: list[tuple[str, int, bool]] = []
    if m.group("a"):
        toks.append(("a", m.end("a"), False))
    toks.append((m.group("w").casefold(), m.end("w"), False))
    end = m.end()
    while len(toks) < _MAX_WORD_TOKENS:
        n = _NEXT_WORD_RE.match(text, end)
        if n is None:
            break
        toks.append((n.group("w").casefold(), n.end("w"), n.group("and") is not None))
        end = n.end()

    total = 0.0
    cur = 0.0
    last: str | None = None
    last_big = math.inf
    cur_has_hundred = False
    approx = False
    lead_mult = 1.0
    lead_phase = 0          # 0: reading leading number, 1: reading its scales, 2: done
    max_scale = 1.0
    best: _WordParse | None = None
    and_snapshot: _WordParse | None = None

    for i, (word, wend, has_and) in enumerate(toks):
        if word == "a":
            cur = 1.0
            last = "a"
            continue
        entry = _WORD_KIND.get(word)
        if entry is None:  # exotic case-folding match (e.g. U+017F for "s")
            break
        kind, val = entry
        if has_and:
            if last not in ("hundred", "big") or kind not in ("unit", "teen", "tens"):
                break
            and_snapshot = best
        ok = True
        if kind in ("unit", "teen"):
            if last in ("unit", "teen", "a", "dozen") or (last == "tens" and kind == "teen"):
                ok = False
            else:
                cur += val
        elif kind == "tens":
            if last in ("unit", "teen", "tens", "a", "dozen"):
                ok = False
            else:
                cur += val
        elif kind == "hundred":
            if last not in ("unit", "teen", "tens", "a") or cur_has_hundred or cur >= 100 or cur <= 0:
                ok = False
            else:
                cur *= 100.0
                cur_has_hundred = True
        elif kind == "big":
            if last not in ("unit", "teen", "tens", "hundred", "a") or val >= last_big or cur <= 0:
                ok = False
            else:
                total += cur * val
                cur = 0.0
                cur_has_hundred = False
                last_big = val
        else:  # dozen
            if last not in ("unit", "teen", "tens", "a") or total or cur_has_hundred or cur <= 0:
                ok = False
            else:
                cur *= 12.0
                approx = True
        if not ok:
            if kind in ("hundred", "big", "dozen") and and_snapshot is not None:
                # "three hundred and four hundred": give back "and four".
                best = and_snapshot
            break
        if kind in ("hundred", "big", "dozen"):
            max_scale = max(max_scale, val)
            if lead_phase < 2:
                lead_mult *= val
                lead_phase = 1
        elif lead_phase == 1:
            lead_phase = 2
        last = kind
        best = _WordParse(total + cur, wend, approx, lead_mult, max_scale, i + 1)
        if kind == "dozen":
            break
    return best


def _core_at(text: str, m: re.Match) -> _Core | None:
    """Build a :class:`_Core` from a ``_CORE_RE`` match (non-vague)."""
    lg = m.lastgroup
    if lg == "half":
        sc = m.group("halfsc").casefold()
        if sc == "dozen":
            return _Core(6.0, m.start(), m.end(), None, False, True, False, True)
        if sc not in _SCALES:
            return None
        return _Core(0.5 * _SCALES[sc], m.start(), m.end(), None, False, False, False, True)
    if lg == "word":
        wp = _parse_words(text, m.start())
        if wp is None:
            return None
        value, end = wp.value, wp.end
        tail = _DIGIT_TAIL_RE.match(text, end) if wp.max_scale >= 1000.0 else None
        if tail is not None and value % 1000.0 == 0:
            value += float(tail.group(1))  # "four-thousand-100", as broadcasters write figures out
            end = tail.end()
        plain = wp.max_scale == 1.0 and not wp.approx
        mult = wp.lead_mult if wp.lead_mult > 1.0 else None
        bare_one = wp.ntoks == 1 and text[m.start():end].lower() == "one"
        if plain:
            half = _and_a_half(text, end, value, mult)
            if half is not None:
                value, mult, end = half
                plain = bare_one = False
        return _Core(value, m.start(), end, mult, plain, wp.approx, bare_one, True)
    num = m.group("num")
    if num is None:
        return None
    sep = m.group("sep")
    groups = 0
    if sep:
        groups = num.count(sep)
        num = num.replace(sep, "")
    value = float(num)
    scale = 1.0
    ksuf = m.group("ksuf")
    if ksuf:
        scale = 1_000.0 if ksuf.lower() == "k" else 1_000_000_000.0
    wsc = m.group("wsc")
    if wsc:
        for w in wsc.casefold().split():
            scale *= _SCALES.get(w, math.nan)
    value *= scale
    end = m.end()
    plain = not sep and scale == 1.0
    if scale > 1.0:
        mult: float | None = scale
    elif groups:
        mult = 1000.0 ** groups
    else:
        mult = None
    if plain:
        half = _and_a_half(text, end, value, mult)
        if half is not None:
            value, mult, end = half
            plain = False
    return _Core(value, m.start(), end, mult, plain, False, False, False)


def _and_a_half(text: str, end: int, value: float, mult: float | None) -> tuple[float, float | None, int] | None:
    """A plain number followed by "and a half" (and perhaps a scale word: "two and a half
    thousand"): (value, multiplier, end) with the half added and the scale applied; None
    when no "and a half" follows."""
    half = _AND_HALF_RE.match(text, end)
    if half is None:
        return None
    value += 0.5
    if half.group("sc"):
        scale = _SCALES.get(half.group("sc").casefold(), math.nan)
        value *= scale
        mult = scale
    return value, mult, half.end()


def _finite(*values: float | None) -> bool:
    return all(v is None or math.isfinite(v) for v in values)


def _try_range(text: str, c1: _Core) -> tuple[float, float, _Core, str] | None:
    """If ``c1`` is followed by a range separator and a second number, return
    (low, high, second core, separator word)."""
    s = _RANGE_SEP_RE.match(text, c1.end)
    if s is None:
        return None
    sep_word = "dash" if s.group("dash") is not None else s.group("w").lower()
    m2 = _CORE_RE.match(text, s.end())
    if m2 is None or (m2.lastgroup or "").startswith("vg"):
        return None
    c2 = _core_at(text, m2)
    if c2 is None:
        return None
    if c2.is_words and _FRACTION_AFTER_RE.match(text, c2.end):
        return None
    low = c1.value
    if c1.plain and c2.mult is not None and c2.mult > 1.0:
        carried = c1.value * c2.mult
        if carried <= c2.value:
            low = carried
    high = c2.value
    if not (low < high):
        return None
    return low, high, c2, sep_word


def _phrase_at(text: str, m: re.Match, min_start: int) -> NumberPhrase | None:
    """Turn one ``_CORE_RE`` match into a full phrase (qualifiers, ranges)."""
    lg = m.lastgroup or ""
    if lg.startswith("vg"):
        key = _VAGUE_KEY_BY_GROUP[lg]
        band_low, band_high = VAGUE_BANDS[key]
        return NumberPhrase(
            m.start(), m.end(), text[m.start():m.end()], None, None, "vague",
            band_low, band_high, m.start(),
        )
    c1 = _core_at(text, m)
    if c1 is None:
        return None
    if c1.is_words and _FRACTION_AFTER_RE.match(text, c1.end):
        return None

    start = c1.start
    end = c1.end
    low = high = c1.value
    qualifier: str | None = None
    window_start = max(min_start, c1.start - _PREFIX_WINDOW)

    rng = _try_range(text, c1)
    if rng is not None:
        r_low, r_high, c2, sep_word = rng
        rp = _match_before(_RANGE_PREFIX_REV_RE, text, window_start, c1.start)
        rword = rp[1].group("w").casefold()[::-1] if rp is not None else None
        if sep_word == "and" and rword != "between":
            rng = None  # "10 and 12" is two numbers, not a range
        else:
            low, high, end = r_low, r_high, c2.end
            qualifier = "range"
            if rword == "between" and sep_word in ("and", "to", "dash"):
                start = rp[0]
            elif rword == "from" and sep_word in ("to", "dash"):
                start = rp[0]

    if qualifier is None and c1.bare_one:
        before = _match_before(_ONE_BEFORE_REV_RE, text, window_start, c1.start)
        glued = (
            c1.start >= 2
            and text[c1.start - 1] in "-\u2010\u2011"
            and text[c1.start - 2].isalpha()
        )  # "one-on-one", "all-in-one"
        if before is not None or glued or _ONE_AFTER_RE.match(text, c1.end):
            return None

    if start == c1.start:
        pm = _match_before(_PREFIX_REV_RE, text, window_start, c1.start)
        if pm is not None:
            pstart, prm = pm
            pq = _PREFIX_QUALIFIER.get(" ".join(prm.group("p")[::-1].casefold().split()))
            if pq is not None:
                if prm.group("i") is not None and pq not in ("more_than", "up_to"):
                    pstart = c1.start - prm.end("p")  # drop "just" etc.
                start = pstart
                if qualifier is None:
                    qualifier = pq

    sm = _SUFFIX_RE.match(text, end)
    if sm is not None:
        end = sm.end()
        if qualifier is None:
            qualifier = sm.lastgroup

    if qualifier is None:
        qualifier = "approx" if c1.approx else "exact"

    if not _finite(low, high) or low > high:
        return None
    return NumberPhrase(
        start, end, text[start:end], float(low), float(high), qualifier,
        None, None, c1.start,
    )


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def find_number_phrases(text: str) -> list[NumberPhrase]:
    """Find all number phrases in ``text``.

    Args:
        text: any string (a sentence, a paragraph, a whole article).
            Non-``str`` input returns ``[]``.

    Returns:
        A list of :class:`NumberPhrase`, left to right, non-overlapping, with
        ``start``/``end``/``value_start`` as offsets into ``text`` and
        ``phrase == text[start:end]``.  Returns ``[]`` quickly when the text
        contains no ASCII digit and no number word.  Never raises: a match
        that cannot be interpreted is skipped.
    """
    if not isinstance(text, str) or not text:
        return []
    scan = text.lower()
    if len(scan) != len(text):
        # rare: a character such as U+0130 grows when lower-cased; lower the
        # text character by character instead so offsets stay aligned
        scan = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    anchor_re = _ANCHOR_RE
    a = anchor_re.search(scan)
    if a is None:  # cheap pre-check: no digit and no number word
        return []
    out: list[NumberPhrase] = []
    last_end = 0
    while a is not None:
        next_pos = a.end()
        candidates: tuple[int, ...] = (a.start(),)
        if a.start("w") >= 0:
            # an "a" right before the word: "a thousand", "a few hundred"
            j = a.start() - 1
            while j >= last_end and (scan[j].isspace() or scan[j] in _QUOTE_CHARS):
                j -= 1
            if (
                last_end <= j < a.start() - 1
                and scan[j] == "a"
                and (j == 0 or not (scan[j - 1].isalnum() or scan[j - 1] in "_-"))
            ):
                candidates = (j, a.start())
        for cand in candidates:
            m = _CORE_RE.match(text, cand)
            if m is None:
                continue
            try:
                ph = _phrase_at(text, m, last_end)
            except Exception:  # defensive: never let one odd match break a scan
                ph = None
            if ph is None or ph.start < last_end or ph.end <= ph.start:
                continue
            out.append(ph)
            last_end = next_pos = ph.end
            break
        a = anchor_re.search(scan, next_pos)
    return out


def parse_number_phrase(text: str) -> NumberPhrase | None:
    """Parse a string that is one whole number phrase.

    Args:
        text: e.g. ``"around 12,000"``, ``"11 to 12,000"``, ``"thousands"``,
            ``"between 10,000 and 12,000"``.  Surrounding whitespace, quotes,
            brackets and sentence punctuation are tolerated.

    Returns:
        The :class:`NumberPhrase` (offsets into ``text``) if ``text`` consists
        of exactly one number phrase, otherwise ``None`` (also for extra words
        such as ``"12,000 troops"``).  Never raises.
    """
    try:
        if not isinstance(text, str):
            return None
        phrases = find_number_phrases(text)
        if len(phrases) != 1:
            return None
        p = phrases[0]
        if _EDGE_RE.match(text, 0, p.start) is None or _EDGE_RE.match(text, p.end) is None:
            return None
        return p
    except Exception:  # pragma: no cover - defensive
        return None
