"""The vocabulary patterns: the fast form (a class of first letters, then one branch per letter)
must find exactly what the plain alternation finds, on any text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.lexicon import _alternation, first_letter_pattern, load_lexicon

TAIL = r"(?![\w-])"
# Letters, case variants Python folds together, apostrophes, hyphens and spaces: the characters
# that decide where a vocabulary word starts and ends.
TEXT_CHARS = st.sampled_from(list("aAbBdDeEiIkKnNsStTyY '’-.,0123") + ["\u0130", "\u0131", "\u212a", "\u017f", "\n"])
PHRASES = st.lists(
    st.text(alphabet="abdeinsty", min_size=1, max_size=5).flatmap(
        lambda word: st.sampled_from([word, f"{word} ab", f"{word} ... ty", f"{word}'s", f"{word}-in"])),
    min_size=1, max_size=8)


def plain_pattern(phrases: list[str], ignore_case: bool) -> re.Pattern:
    return re.compile(rf"(?<![\w'’-])(?:{_alternation(phrases, ignore_case)}){TAIL}", re.IGNORECASE if ignore_case else 0)


def spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(phrases=PHRASES, text=st.text(alphabet=TEXT_CHARS, max_size=60), ignore_case=st.booleans())
def test_fast_form_finds_what_the_alternation_finds(phrases, text, ignore_case):
    fast = re.compile(first_letter_pattern(phrases, ignore_case, TAIL))
    assert spans(fast, text) == spans(plain_pattern(phrases, ignore_case), text)


def test_fast_form_respects_word_starts_and_case_folding():
    fast = re.compile(first_letter_pattern(["denied", "said"], True, TAIL))
    assert spans(fast, "Seoul SAID it; Moscow denied-ish, unsaid, re-denied") == [(6, 10)]
    assert spans(fast, "\u017fAID") == [(0, 4)]  # long s folds to s, as in the plain pattern
    assert spans(fast, "said") == [(0, 4)]  # a match at the very start of the text


def test_fast_form_declines_phrases_it_cannot_index():
    assert first_letter_pattern(["'s view"], True, TAIL) is None
    assert first_letter_pattern([], True, TAIL) is None


def test_lexicon_patterns_match_the_vocabulary_as_before():
    lex = load_lexicon(None)
    text = ("Kremlin spokesman Dmitry Peskov dismissed the reports as a hoax, while the U.S. said "
            "North Korea's troops were in Kursk; KCNA denied it and officials declined to comment.")
    plain_actor = re.compile(rf"(?<![\w’'-])(?:{_alternation(list(lex.actors), ignore_case=False)})"
                             r"(?=(?:['’]s?)?(?![\w-]))")
    assert spans(lex.actor_re, text) == spans(plain_actor, text)
    assert [m.group(0) for m in lex.verb_re.finditer(text)] == ["dismissed", "reports", "said", "denied"]
    assert [m.group(0) for m in lex.denial_verb_re.finditer(text)] == ["dismissed", "denied"]
    assert [m.group(0) for m in lex.non_denial_re.finditer(text)] == ["declined to comment"]


# The sentence-scanning patterns of attribution.py, as first written: the fast forms must agree.
# Letters of names: capitals and (after one) lower-case letters, with the Latin accents.
UP, LOW = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿĀ-ſ"
PLAIN_SCANNERS = {
    "_PRONOUN_RE": re.compile(r"(?<![\w'’-])(he|she|they|it|his|her|their|its)(?![\w'’-])", re.IGNORECASE),
    "_NAME_RE": re.compile(
        rf"(?<![\w'’-])((?:[{UP}][{LOW}]+(?:-[{LOW}]+)?|[{UP}]\.)(?:\s+(?:[{UP}][{LOW}]+(?:-[A-Za-z{UP}][{LOW}]+)?|"
        rf"[{UP}]\.|von|van|der|de)){{1,3}})(?![\w-])"),
    "_CAPITALISED_WORD": re.compile(rf"(?<![\w'’-])[{UP}][{LOW}]+(?:-[A-Za-z{UP}][{LOW}]+)?(?![\w-])"),
}
SCANNER_TEXT = st.lists(st.sampled_from(
    list("hHsStTiIeEyYrRaAdD.- '’\nüÜłŁ") + ["\u017f", "\u0130", "\u0131", "von ", "de ", "Kim ", "Yong-hyun ", "Their "]),
    max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(text=SCANNER_TEXT)
def test_sentence_scanners_find_what_their_plain_forms_find(text):
    from analysis import attribution

    for name, plain in PLAIN_SCANNERS.items():
        fast = getattr(attribution, name)
        assert [(m.span(), m.groups()) for m in fast.finditer(text)] == \
            [(m.span(), m.groups()) for m in plain.finditer(text)], name
