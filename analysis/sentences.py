"""Sentence splitting for English news paragraphs, returning exact character spans.

``split_sentences(text)`` returns ``(start, end)`` offsets into the string it was given, so callers
can map sentences back onto the original article without any normalisation drift.  Only the
standard library (``re``) is used.  The splitter never raises on any ``str`` input and runs in
linear time: one precompiled regex finds candidate boundaries (a run of terminal punctuation, its
closing quotes/brackets and what follows) and a small amount of Python inspects each candidate.
All quantifiers that could otherwise backtrack are possessive (``++``, ``*+``, ``?+``), so there is
no catastrophic backtracking on adversarial input such as a megabyte of dots.

Boundary rules
==============

A *candidate* boundary is a run of ``.``, ``?``, ``!`` or ``…`` (so ``...`` is one run), optionally
followed by closing quotes/brackets (``" ' ” ’ ) ] } »``), and then either

* **spaced** - whitespace (any run of ``\\s``: spaces, tabs, newlines, NBSP ... all count as one space)
  followed by an uppercase letter, a digit or an opening quote/bracket (``" ' “ ‘ ( [ { « „``); or
* **tight** (missing space) - directly an uppercase letter followed by a lowercase letter
  (``troops.The``, ``Oct. 8.In``).

The sentence ends after the closing quotes/brackets (they belong to the first sentence), and the
next sentence starts at the first non-whitespace character.  A candidate is rejected when:

1. The run is exactly ``.`` and the token before it (text back to the previous whitespace, leading
   quotes/brackets ignored) is a known abbreviation (``ABBREVIATIONS``):

   * titles and prefixes (Gen., Lt., Col., Maj., Dr., Mr., Sen., St., Mt., Vol., Fig., vs., e.g.,
     i.e., approx., est., ...): never a boundary;
   * ``NUMBER_ABBREVIATIONS`` (No., Nos.): no boundary before a digit (``No. 2``); otherwise the
     dot is treated as an ordinary full stop (``The answer was no. The ministry ...``);
   * ``MONTH_ABBREVIATIONS`` (Jan., Feb., ..., Sept., Oct., ...): no boundary before a digit
     (``Oct. 8``); otherwise the *sentence-starter rule* below applies;
   * ``SENTENCE_FINAL_ABBREVIATIONS`` (U.S., U.K., U.N., E.U., Inc., Corp., Ltd., Co., Jr., Sr.,
     etc., a.m., p.m., ...): the *sentence-starter rule* applies.

   Case matters for abbreviations that are also ordinary words (``Mar.`` vs. "would mar.",
   ``Fig.``, ``Brig.``, ``Rep.``); the others also match in lower/upper case.

2. The run is exactly ``.`` and the token is an initial or a dotted acronym that is not in the
   table: a single uppercase letter other than ``I`` (``John F. Kennedy``, ``Kim Jong U. Smith``)
   or letters joined by dots (``J.D. Vance``, ``D.C.``).  These use the sentence-starter rule.

3. The *sentence-starter rule*: the dot is a boundary only if the next word (after any opening
   quotes/brackets) is in ``SENTENCE_STARTERS`` (The, A, An, He, She, It, They, We, This, That,
   These, Those, But, However, In, On, At, And, Meanwhile, Still, Yet, plus a few similar words).
   So ``sent by the U.S. The next day`` splits but ``U.S. officials`` / ``U.S. Army`` do not.  The
   same choice is made for ``a.m.``/``p.m.``: ``at 9 a.m. The convoy ...`` splits, while
   ``at 9 a.m. Kyiv time`` does not - we cannot tell a true end of sentence otherwise, and a
   missed split is cheaper than a sentence cut in half.  Words followed by ``-`` (``A-10``) do
   not count as starters.

4. Quote attribution: after ``?``, ``!`` or an ellipsis followed by a closing quote, a short run
   of capitalised words ending in a speech verb followed by punctuation
   (``"Where are the shells?" Zelensky asked.``) is kept in the same sentence.  A comma inside the
   quotes never ends a sentence in the first place (``"We are worried," he said.``).

5. Tight (missing-space) candidates additionally require that the token before the punctuation is
   non-empty, shorter than 64 characters, and not URL/domain-like: if it contains any of
   ``. / : @ \\ = & % # _ ~ ?`` it is not split (``Yonhap.co.kr``, ``example.com/a.b``,
   ``https://x.com/?Id=1``), unless it is a plain number (``8`` or ``3.5``) or an acronym handled
   by rule 2.  ``X.com`` / ``a.b`` never even become candidates (lowercase after the dot), nor do
   decimals such as ``1.2`` or ``3.000`` (digit after the dot).

Text without terminal punctuation is one sentence; empty or whitespace-only text gives ``[]``.
"""

from __future__ import annotations

import re

__all__ = [
    "ABBREVIATIONS",
    "SENTENCE_FINAL_ABBREVIATIONS",
    "NUMBER_ABBREVIATIONS",
    "MONTH_ABBREVIATIONS",
    "CASE_SENSITIVE_ABBREVIATIONS",
    "SENTENCE_STARTERS",
    "split_sentences",
]

# ---------------------------------------------------------------------------------------------
# Extensible word lists.  Reassigning any of these module attributes (e.g.
# ``sentences.ABBREVIATIONS = sentences.ABBREVIATIONS | {"Cmdr."}``) is picked up on the next call.
# ---------------------------------------------------------------------------------------------

#: Every abbreviation after which a full stop is (usually) not a sentence boundary.  Written
#: with their trailing dot in their normal news spelling.  Anything here that is not in one of the
#: more specific sets below is treated as a title/prefix and never ends a sentence.
ABBREVIATIONS: frozenset[str] = frozenset(
    {
        # countries / organisations
        "U.S.", "U.K.", "U.N.", "E.U.",
        # military ranks and titles
        "Gen.", "Gens.", "Lt.", "Col.", "Maj.", "Capt.", "Sgt.", "Adm.", "Cpl.", "Pvt.", "Brig.",
        "Cmdr.", "Dr.", "Mr.", "Mrs.", "Ms.", "Messrs.", "Prof.", "Sen.", "Sens.", "Rep.", "Reps.",
        "Gov.", "Pres.", "Rev.",
        # places
        "St.", "Mt.", "Ave.",
        # numbering
        "No.", "Nos.", "Vol.", "Fig.",
        # months
        "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.",
        "Dec.",
        # companies and names
        "Inc.", "Corp.", "Ltd.", "Co.", "Jr.", "Sr.", "Ph.D.",
        # Latin and misc
        "vs.", "etc.", "approx.", "est.", "e.g.", "i.e.",
        # time of day
        "a.m.", "p.m.",
    }
)

#: Abbreviations that often end a sentence: a boundary only before a SENTENCE_STARTERS word.
SENTENCE_FINAL_ABBREVIATIONS: frozenset[str] = frozenset(
    {
        "U.S.", "U.K.", "U.N.", "E.U.",
        "Inc.", "Corp.", "Ltd.", "Co.", "Jr.", "Sr.", "Ph.D.", "Ave.",
        "etc.", "a.m.", "p.m.",
    }
)

#: Abbreviations that are not a boundary before a digit ("No. 2"), an ordinary full stop otherwise.
NUMBER_ABBREVIATIONS: frozenset[str] = frozenset({"No.", "Nos."})

#: Months: never a boundary before a digit ("Oct. 8"); otherwise the sentence-starter rule.
MONTH_ABBREVIATIONS: frozenset[str] = frozenset(
    {"Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.", "Dec."}
)

#: Abbreviations that are also ordinary lowercase words; matched with their exact capitalisation
#: (or all upper case) only.
CASE_SENSITIVE_ABBREVIATIONS: frozenset[str] = frozenset({"Mar.", "Fig.", "Brig.", "Rep."})

#: Capitalised words that typically open a new sentence; used after U.S./U.K./initials/a.m. etc.
SENTENCE_STARTERS: frozenset[str] = frozenset(
    {
        "The", "A", "An", "He", "She", "It", "They", "We", "This", "That", "These", "Those",
        "But", "However", "In", "On", "At", "And", "Meanwhile", "Still", "Yet",
        "I", "There", "His", "Her", "Its", "Their", "Our", "After", "When", "While", "If",
        "Then", "Also",
    }
)

# ---------------------------------------------------------------------------------------------
# Precompiled patterns
# ---------------------------------------------------------------------------------------------

_TERMINATORS = ".?!\u2026"  # . ? ! …
_CLOSERS = "\"'\u201d\u2019)]}\u00bb"  # " ' ” ’ ) ] } »
_OPENERS = "\"'\u201c\u2018([{\u00ab\u201e"  # " ' “ ‘ ( [ { « „
_QUOTE_CLOSERS = frozenset("\"'\u201d\u2019\u00bb")
# leading characters ignored when looking at the token before a full stop
_LEAD_STRIP = _OPENERS + "\u2014\u2013-*"

# Candidate boundary: a maximal terminator run (the lookbehind after the first character rejects
# starts inside a run, so a failed attempt never rescans the same run: linear time even for
# "......" * 10**6; putting a character class first lets the engine skip ahead quickly), then
# closing quotes/brackets, then either whitespace + upper/digit/opener (spaced) or directly an
# upper+lower letter pair (tight).  Every quantifier is possessive: no backtracking.
#   group 1 run, group 2 closers, group 3 whitespace (spaced candidate), group 4 tight candidate.
_CANDIDATE_RE = re.compile(
    rf"([{_TERMINATORS}](?<![{_TERMINATORS}].)[{_TERMINATORS}]*+)([{re.escape(_CLOSERS)}]*+)"
    rf"(?:(\s++)(?=[^\W_a-z]|[{re.escape(_OPENERS)}])"  # spaced: next is upper/digit/opener
    r"|()(?=[^\W\d_a-z][^\W\d_A-Z]))"  # tight: Upper + lower letter (rechecked in Python)
)

_NON_SPACE_RE = re.compile(r"\S")

# The word opening the next sentence, after optional opening quotes/brackets.
_NEXT_WORD_RE = re.compile(rf"[{re.escape(_OPENERS)}]*+([A-Za-z]++)(?![\w\-])")

# Initials ("F", "U") and dotted acronyms without their final dot ("J.D", "D.C", "U.S.A").
_INITIALS_RE = re.compile(r"[A-HJ-Z]|[A-Za-z](?:\.[A-Za-z])++")

# Plain numbers such as "8", "3.5", "1,200".
_NUMBER_RE = re.compile(r"\d[\d.,]*+")

_URLISH_CHARS = frozenset("./:@\\=&%#_~?")

# Capitalised words + speech verb + punctuation: '"Why?" Zelensky asked.' stays one sentence.
_ATTRIBUTION_RE = re.compile(
    r"(?:[A-Z][\w'\u2019.\-]*+\s++){1,5}"
    r"(?:said|says|asked|asks|told|added|wrote|replied|shouted|warned|insisted|tweeted|posted)"
    r"(?=\s*+(?:[.,;:!?]|$))"
)

_TOKEN_WINDOW = 64

# Categories in the abbreviation lookup table.
_TITLE, _FINAL, _NUMBER, _MONTH = range(4)

_lookup_key: tuple | None = None
_lookup: dict[str, int] = {}


def _abbreviation_lookup() -> dict[str, int]:
    """Variant spelling -> category, rebuilt whenever one of the public sets was reassigned."""
    global _lookup_key, _lookup
    key = (
        ABBREVIATIONS,
        SENTENCE_FINAL_ABBREVIATIONS,
        NUMBER_ABBREVIATIONS,
        MONTH_ABBREVIATIONS,
        CASE_SENSITIVE_ABBREVIATIONS,
    )
    if _lookup_key is not None and all(a is b for a, b in zip(key, _lookup_key)):
        return _lookup
    table: dict[str, int] = {}
    for abbr in ABBREVIATIONS | SENTENCE_FINAL_ABBREVIATIONS | NUMBER_ABBREVIATIONS | MONTH_ABBREVIATIONS:
        if not isinstance(abbr, str) or not abbr:
            continue
        if abbr in NUMBER_ABBREVIATIONS:
            cat = _NUMBER
        elif abbr in MONTH_ABBREVIATIONS:
            cat = _MONTH
        elif abbr in SENTENCE_FINAL_ABBREVIATIONS:
            cat = _FINAL
        else:
            cat = _TITLE
        variants = {abbr, abbr.upper(), abbr[:1].upper() + abbr[1:]}
        if abbr not in CASE_SENSITIVE_ABBREVIATIONS:
            variants.add(abbr.lower())
        for v in variants:
            # an exact spelling always wins over a derived variant of another entry
            if v == abbr or v not in table:
                table[v] = cat
    _lookup = table
    _lookup_key = key
    return table


def _starts_sentence(text: str, pos: int, endpos: int) -> bool:
    """True if the word at ``pos`` (after opening quotes/brackets) is a typical sentence starter."""
    m = _NEXT_WORD_RE.match(text, pos, endpos)
    return m is not None and m.group(1) in SENTENCE_STARTERS


def _token_before(text: str, i: int) -> tuple[str, bool]:
    """Non-whitespace token ending at ``i`` and whether it was cut at the look-back window."""
    lo = i - _TOKEN_WINDOW
    if lo < 0:
        lo = 0
    chunk = text[lo:i]
    if not chunk or chunk[-1].isspace():
        return "", False
    token = chunk.rsplit(None, 1)[-1]
    # the token may continue before the window only if it fills the whole window
    return token, (lo > 0 and len(token) == len(chunk))


def _abbreviation_verdict(
    word: str, text: str, q: int, last: int, table: dict[str, int]
) -> bool | None:
    """Boundary decision for a single '.' after ``word``; None if ``word`` is an ordinary word."""
    cat = table.get(word + ".")
    if cat is not None:
        if cat == _TITLE:
            return False
        nxt_digit = text[q].isdigit()
        if cat == _NUMBER:
            return not nxt_digit
        if cat == _MONTH and nxt_digit:
            return False
        return _starts_sentence(text, q, last)
    if len(word) <= 16 and _INITIALS_RE.fullmatch(word):
        return _starts_sentence(text, q, last)
    return None


def _is_boundary(
    text: str, run_s: int, run_e: int, close_e: int, q: int, tight: bool, last: int,
    table: dict[str, int],
) -> bool:
    """Decide one candidate (see the module docstring for the rules)."""
    c = text[q]
    if tight:
        # Upper + lower letter right after the punctuation (regex pre-filtered ASCII; recheck with
        # the full Unicode notion of case).
        if not (c.isupper() and q + 1 < last and text[q + 1].islower()):
            return False
    elif not (c.isupper() or c.isdigit() or c in _OPENERS):
        return False

    single_dot = run_e - run_s == 1 and text[run_s] == "."
    token, truncated = _token_before(text, run_s)
    word = token.lstrip(_LEAD_STRIP) if token else ""

    if single_dot and word and not truncated:
        verdict = _abbreviation_verdict(word, text, q, last, table)
        if verdict is not None:
            return verdict

    if tight:
        if not word or truncated:
            return False
        if not _URLISH_CHARS.isdisjoint(word) and not _NUMBER_RE.fullmatch(word):
            return False

    if not single_dot and close_e > run_e:
        # '"Why?" Zelensky asked.' -- attribution after a quoted question/exclamation/ellipsis.
        if not _QUOTE_CLOSERS.isdisjoint(text[run_e:close_e]) and _ATTRIBUTION_RE.match(
            text, q, last
        ):
            return False
    return True


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in text, in order; each span is stripped of surrounding whitespace,
    non-empty, and spans do not overlap. Every non-whitespace character of text lies in exactly one span."""
    if not text:
        return []
    first_m = _NON_SPACE_RE.search(text)
    if first_m is None:
        return []
    first = first_m.start()
    last = len(text.rstrip())

    table = _abbreviation_lookup()
    spans: list[tuple[int, int]] = []
    append = spans.append
    start = first
    for m in _CANDIDATE_RE.finditer(text, first, last):
        run_s, run_e = m.span(1)
        close_e = m.end(2)
        q = m.end()  # first character of the would-be next sentence
        if m.lastindex == 3 and run_e - run_s == 1 and text[run_s] == ".":
            # Inlined hot path (spaced single full stop), same logic as _is_boundary.
            c = text[q]
            if not (c.isupper() or c.isdigit() or c in _OPENERS):
                continue
            token, truncated = _token_before(text, run_s)
            word = token.lstrip(_LEAD_STRIP) if token else ""
            if (
                word
                and not truncated
                and (len(word) == 1 or word[-2] == "." or word + "." in table)
                and _abbreviation_verdict(word, text, q, last, table) is False
            ):
                continue
            append((start, close_e))
            start = q
        elif _is_boundary(text, run_s, run_e, close_e, q, m.lastindex == 4, last, table):
            append((start, close_e))
            start = q
    append((start, last))
    if any(end - begin > MAX_SENTENCE_CHARS for begin, end in spans):
        return _cap_length(text, spans)
    return spans


# No news sentence comes near this (the longest in the annotated sets is about 320 characters);
# a run-on "sentence" of a scraped page or a data dump does, and every row extracted from it
# repeats it as evidence: thousands of figures in a 1 MB line would write gigabytes.
MAX_SENTENCE_CHARS = 2000


def _cap_length(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans longer than MAX_SENTENCE_CHARS cut into pieces of at most that many characters:
    after the last "; " or ", " in the second half of the piece, else at its last whitespace
    there, else (no whitespace at all) right at the limit. Pieces are stripped, non-empty and
    cover every non-whitespace character of the span."""
    capped: list[tuple[int, int]] = []
    half = MAX_SENTENCE_CHARS // 2
    for start, end in spans:
        while end - start > MAX_SENTENCE_CHARS:
            limit = start + MAX_SENTENCE_CHARS
            cut = max(text.rfind("; ", start + half, limit), text.rfind(", ", start + half, limit))
            if cut >= 0:
                cut += 1  # the comma or semicolon ends the piece
            else:
                space = _WHITESPACE_RE.search(text[start + half:limit][::-1])  # the last one, read backwards
                cut = limit - 1 - space.start() if space else limit
            piece_end = len(text[start:cut].rstrip()) + start
            capped.append((start, piece_end))
            start = _NON_SPACE_RE.search(text, cut, end).start()
        capped.append((start, end))
    return capped


_WHITESPACE_RE = re.compile(r"\s")
