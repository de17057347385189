"""Tests for analysis.numbers (number-phrase finding and parsing)."""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.numbers import (
    QUALIFIERS,
    VAGUE_BANDS,
    NumberPhrase,
    find_number_phrases,
    parse_number_phrase,
)

# (phrase, low, high, qualifier).  Every phrase must be parsed whole by
# parse_number_phrase and found, unchanged, inside a sentence.
CASES = [
    # --- vague -------------------------------------------------------------
    ("thousands", None, None, "vague"),
    ("several thousand", None, None, "vague"),
    ("several thousands", None, None, "vague"),
    ("a few thousand", None, None, "vague"),
    ("a couple thousand", None, None, "vague"),
    ("a couple of thousand", None, None, "vague"),
    ("tens of thousands", None, None, "vague"),
    ("hundreds of thousands", None, None, "vague"),
    ("hundreds", None, None, "vague"),
    ("several hundred", None, None, "vague"),
    ("a few hundred", None, None, "vague"),
    ("dozens", None, None, "vague"),
    ("a few dozen", None, None, "vague"),
    ("a small number", None, None, "vague"),
    ("a handful", None, None, "vague"),
    ("millions", None, None, "vague"),
    # --- ranges ------------------------------------------------------------
    ("11 to 12,000", 11_000, 12_000, "range"),
    ("11-12,000", 11_000, 12_000, "range"),
    ("3 to 12,000", 3_000, 12_000, "range"),
    ("between 10,000 and 12,000", 10_000, 12_000, "range"),
    ("Between 10,000 and 12,000", 10_000, 12_000, "range"),
    ("from 10,000 to 12,000", 10_000, 12_000, "range"),
    ("10,000-12,000", 10_000, 12_000, "range"),
    ("10,000\u201312,000", 10_000, 12_000, "range"),
    ("10,000 \u2014 12,000", 10_000, 12_000, "range"),
    ("10,000 to 12,000", 10_000, 12_000, "range"),
    ("10,000 or 12,000", 10_000, 12_000, "range"),
    ("eleven to twelve thousand", 11_000, 12_000, "range"),
    ("between ten and twelve thousand", 10_000, 12_000, "range"),
    ("two or three hundred", 200, 300, "range"),
    ("two to three hundred thousand", 200_000, 300_000, "range"),
    ("between three hundred and four hundred", 300, 400, "range"),
    ("1.5 to 2 million", 1_500_000, 2_000_000, "range"),
    ("10-12k", 10_000, 12_000, "range"),
    ("500 to 1,000", 500, 1_000, "range"),
    ("about 10,000-12,000", 10_000, 12_000, "range"),
    ("up to 10,000-12,000", 10_000, 12_000, "range"),
    ("100,000 to half a million", 100_000, 500_000, "range"),
    # --- digits, separators, scales ---------------------------------------
    ("3,000", 3_000, 3_000, "exact"),
    ("12,000", 12_000, 12_000, "exact"),
    ("12 000", 12_000, 12_000, "exact"),
    ("12\u00a0000", 12_000, 12_000, "exact"),
    ("12\u2009000", 12_000, 12_000, "exact"),
    ("1,000,000", 1_000_000, 1_000_000, "exact"),
    ("1.2 million", 1_200_000, 1_200_000, "exact"),
    ("2.5 thousand", 2_500, 2_500, "exact"),
    ("10k", 10_000, 10_000, "exact"),
    ("10K", 10_000, 10_000, "exact"),
    ("15-hundred", 1_500, 1_500, "exact"),
    ("2 billion", 2_000_000_000, 2_000_000_000, "exact"),
    ("2,500", 2_500, 2_500, "exact"),
    # --- number words --------------------------------------------------------
    ("one-thousand", 1_000, 1_000, "exact"),
    ("one thousand", 1_000, 1_000, "exact"),
    ("a thousand", 1_000, 1_000, "exact"),
    ("a hundred", 100, 100, "exact"),
    ("ten thousand", 10_000, 10_000, "exact"),
    ("Ten thousand", 10_000, 10_000, "exact"),
    ("twelve thousand", 12_000, 12_000, "exact"),
    ("fifteen hundred", 1_500, 1_500, "exact"),
    ("eleven thousand five hundred", 11_500, 11_500, "exact"),
    ("three hundred and fifty", 350, 350, "exact"),
    ("twenty-five", 25, 25, "exact"),
    ("half a million", 500_000, 500_000, "exact"),
    ("one and a half million", 1_500_000, 1_500_000, "exact"),
    ("a dozen", 12, 12, "approx"),
    ("two dozen", 24, 24, "approx"),
    # --- approx --------------------------------------------------------------
    ("an estimated 10,000", 10_000, 10_000, "approx"),
    ("estimated 10,000", 10_000, 10_000, "approx"),
    ("approximately 3,000", 3_000, 3_000, "approx"),
    ("some 1,500", 1_500, 1_500, "approx"),
    ("some 1,500 or so", 1_500, 1_500, "approx"),
    ("nearly 11,000", 11_000, 11_000, "approx"),
    ("roughly 8,000", 8_000, 8_000, "approx"),
    ("about 12,000", 12_000, 12_000, "approx"),
    ("around 12,000", 12_000, 12_000, "approx"),
    ("almost 900", 900, 900, "approx"),
    ("close to 700", 700, 700, "approx"),
    ("circa 400", 400, 400, "approx"),
    ("an approximate 800", 800, 800, "approx"),
    ("5,000 or so", 5_000, 5_000, "approx"),
    ("a dozen or so", 12, 12, "approx"),
    ("300-odd", 300, 300, "approx"),
    # --- at least ------------------------------------------------------------
    ("at least 3,000", 3_000, 3_000, "at_least"),
    ("no fewer than 2,000", 2_000, 2_000, "at_least"),
    ("no less than 2,000", 2_000, 2_000, "at_least"),
    ("a minimum of 500", 500, 500, "at_least"),
    ("3,000 or more", 3_000, 3_000, "at_least"),
    ("3,000 and more", 3_000, 3_000, "at_least"),
    ("10,000-plus", 10_000, 10_000, "at_least"),
    ("10,000+", 10_000, 10_000, "at_least"),
    # --- more than -----------------------------------------------------------
    ("more than 10,000", 10_000, 10_000, "more_than"),
    ("More than 10,000", 10_000, 10_000, "more_than"),
    ("more than a dozen", 12, 12, "more_than"),
    ("over 10,000", 10_000, 10_000, "more_than"),
    ("well over 10,000", 10_000, 10_000, "more_than"),
    ("upwards of 10,000", 10_000, 10_000, "more_than"),
    ("in excess of 10,000", 10_000, 10_000, "more_than"),
    ("exceeded 10,000", 10_000, 10_000, "more_than"),
    ("exceeding 10,000", 10_000, 10_000, "more_than"),
    ("exceeds 10,000", 10_000, 10_000, "more_than"),
    ("above 10,000", 10_000, 10_000, "more_than"),
    ("north of 10,000", 10_000, 10_000, "more_than"),
    # --- up to ---------------------------------------------------------------
    ("up to 100,000", 100_000, 100_000, "up_to"),
    ("as many as 12,000", 12_000, 12_000, "up_to"),
    ("as much as 12,000", 12_000, 12_000, "up_to"),
    ("no more than 500", 500, 500, "up_to"),
    ("a maximum of 300", 300, 300, "up_to"),
    ("fewer than 200", 200, 200, "up_to"),
    ("less than 200", 200, 200, "up_to"),
    ("under 300", 300, 300, "up_to"),
    ("just under 5,000", 5_000, 5_000, "up_to"),
]

VAGUE_EXPECTED_BANDS = {
    "thousands": (2_000, 9_999),
    "several thousand": (3_000, 9_999),
    "several thousands": (3_000, 9_999),
    "a few thousand": (2_000, 5_000),
    "a couple thousand": (2_000, 3_000),
    "a couple of thousand": (2_000, 3_000),
    "tens of thousands": (20_000, 99_999),
    "hundreds of thousands": (200_000, 999_999),
    "hundreds": (200, 999),
    "several hundred": (300, 999),
    "a few hundred": (200, 500),
    "dozens": (24, 144),
    "a few dozen": (24, 60),
    "a small number": (1, 20),
    "a handful": (2, 10),
    "millions": (2_000_000, 9_999_999),
}


def _triple(p: NumberPhrase) -> tuple:
    return (p.low, p.high, p.qualifier)


def _expected(low, high, qualifier) -> tuple:
    return (
        None if low is None else float(low),
        None if high is None else float(high),
        qualifier,
    )


def test_table_is_large_enough():
    assert len(CASES) >= 70
    assert len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("phrase,low,high,qualifier", CASES, ids=[c[0] for c in CASES])
def test_parse_number_phrase_table(phrase, low, high, qualifier):
    p = parse_number_phrase(phrase)
    assert p is not None, phrase
    assert _triple(p) == _expected(low, high, qualifier)
    assert (p.start, p.end, p.phrase) == (0, len(phrase), phrase)
    assert p.start <= p.value_start < p.end
    if qualifier == "vague":
        assert (p.band_low, p.band_high) == tuple(float(x) for x in VAGUE_EXPECTED_BANDS[phrase])
    else:
        assert p.band_low is None and p.band_high is None


@pytest.mark.parametrize("phrase,low,high,qualifier", CASES, ids=[c[0] for c in CASES])
def test_find_number_phrases_table_in_sentence(phrase, low, high, qualifier):
    prefix = "Officials told reporters on Tuesday that "
    text = prefix + phrase + " of the troops had crossed."
    found = find_number_phrases(text)
    assert len(found) == 1, [f.phrase for f in found]
    p = found[0]
    assert _triple(p) == _expected(low, high, qualifier)
    assert p.phrase == phrase
    assert (p.start, p.end) == (len(prefix), len(prefix) + len(phrase))
    assert text[p.start:p.end] == p.phrase


def test_scores_needs_of():
    # "scores" is only a quantity in "scores of ..." (not "the team scores")
    (p,) = find_number_phrases("Scores of soldiers were hurt.")
    assert (p.phrase, p.qualifier) == ("Scores", "vague")
    assert (p.band_low, p.band_high) == VAGUE_BANDS["scores"] == (40.0, 200.0)
    assert find_number_phrases("The striker scores again.") == []
    assert parse_number_phrase("scores") is None


def test_value_start_skips_qualifier_words():
    text = "They sent an estimated 10,000 and between 3 and 4 thousand more."
    a, b = find_number_phrases(text)
    assert text[a.value_start:a.end] == "10,000"
    assert a.phrase == "an estimated 10,000"
    assert b.phrase == "between 3 and 4 thousand"
    assert text[b.value_start:b.end] == "3 and 4 thousand"
    assert _triple(b) == (3000.0, 4000.0, "range")


def test_vague_bands_are_documented_and_sane():
    assert set(VAGUE_EXPECTED_BANDS.values()) <= {
        tuple(int(x) for x in band) for band in VAGUE_BANDS.values()
    }
    for key, (lo, hi) in VAGUE_BANDS.items():
        assert 0 < lo < hi, key
        assert isinstance(lo, float) and isinstance(hi, float)


# ---------------------------------------------------------------------------
# Whole sentences with distractors
# ---------------------------------------------------------------------------

SENTENCES = [
    (
        "Around 12,000 soldiers and 300 F-16 pilots joined, while K-2 tanks "
        "and Su-34 jets stayed home.",
        [("Around 12,000", 12_000, 12_000, "approx"), ("300", 300, 300, "exact")],
    ),
    (
        "One of the officers said no one expected someone, or anyone, to "
        "send the first 3rd brigade; one interpreter stayed.",
        [("one", 1, 1, "exact")],
    ),
    (
        "COVID-19 cases in the G7 rose, but between ten and twelve thousand "
        "troops, up from 8,000 in 2022, remained.",
        [
            ("between ten and twelve thousand", 10_000, 12_000, "range"),
            ("8,000", 8_000, 8_000, "exact"),
            ("2022", 2_022, 2_022, "exact"),
        ],
    ),
    (
        "The 10,000-strong force cost $2 billion; thousands more fled and "
        "hundreds of thousands were displaced.",
        [
            ("10,000", 10_000, 10_000, "exact"),
            ("2 billion", 2e9, 2e9, "exact"),
            ("thousands", None, None, "vague"),
            ("hundreds of thousands", None, None, "vague"),
        ],
    ),
    (
        "\u201cSome 1,500\u201d troops\u2014nearly 2,000\u2014arrived at 10:30, "
        "roughly 40% of them reservists.",
        [
            ("Some 1,500", 1_500, 1_500, "approx"),
            ("nearly 2,000", 2_000, 2_000, "approx"),
            ("10", 10, 10, "exact"),
            ("30", 30, 30, "exact"),
            ("roughly 40", 40, 40, "approx"),
        ],
    ),
    (
        "Version v1.2.3 shipped; the ministry said 11-12,000 men and a few "
        "hundred militia, plus 3\u00a0000 reservists, took part.",
        [
            ("11-12,000", 11_000, 12_000, "range"),
            ("a few hundred", None, None, "vague"),
            ("3\u00a0000", 3_000, 3_000, "exact"),
        ],
    ),
    (
        "Two-thirds of the twenty-first brigade, more than a dozen officers "
        "and at least 3,000 or more conscripts, moved.",
        [
            ("more than a dozen", 12, 12, "more_than"),
            ("at least 3,000 or more", 3_000, 3_000, "at_least"),
        ],
    ),
    (
        "The score was 3-2 and the 2014-15 season saw 1,0000 and 1,5 typos.",
        [
            ("3", 3, 3, "exact"),
            ("2", 2, 2, "exact"),
            ("2014", 2_014, 2_014, "exact"),
            ("15", 15, 15, "exact"),
        ],
    ),
]


@pytest.mark.parametrize("text,expected", SENTENCES)
def test_sentences(text, expected):
    found = find_number_phrases(text)
    for p in found:
        assert text[p.start:p.end] == p.phrase
    got = [(p.phrase, *_triple(p)) for p in found]
    want = [(ph, *_expected(lo, hi, q)) for ph, lo, hi, q in expected]
    assert got == want


@pytest.mark.parametrize(
    "text",
    ["F-16", "K-2", "Su-34", "COVID-19", "G7", "first", "second", "3rd",
     "21st", "1990s", "10km", "v1.2.3", "no one", "someone", "anyone",
     "one of the", "one-on-one", "twenty-first", "two-thirds", "1,5",
     "", "   ", "troops"],
)
def test_not_number_phrases(text):
    assert find_number_phrases(text) == []
    assert parse_number_phrase(text) is None


@pytest.mark.parametrize(
    "text",
    ["12,000 troops", "10 and 12", "about", "soldiers 5", "between",
     "3,000 3,000"],
)
def test_parse_number_phrase_rejects_non_whole_phrases(text):
    assert parse_number_phrase(text) is None


def test_parse_tolerates_quotes_and_punctuation():
    p = parse_number_phrase("  \u201cabout 12,000\u201d. ")
    assert p is not None
    assert _triple(p) == (12_000.0, 12_000.0, "approx")
    assert p.phrase == "about 12,000"


def test_money_phrase_starts_at_number():
    text = "It cost about $2 billion."
    (p,) = find_number_phrases(text)
    assert p.phrase == "2 billion"
    assert text[p.start - 1] == "$"
    assert p.qualifier == "exact"


def test_non_str_input_is_harmless():
    assert find_number_phrases(None) == []  # type: ignore[arg-type]
    assert parse_number_phrase(12) is None  # type: ignore[arg-type]


def test_speed_smoke():
    base = (
        "The ministry said on Tuesday that about 12,000 troops, including "
        "F-16 crews and thousands of reservists, had moved toward the border "
        "while no one in the capital would comment on the deployment. "
        "Analysts said the tension was often overstated in official content. "
    )
    text = base * 5000  # about 1.4 MB
    t0 = time.perf_counter()
    found = find_number_phrases(text)
    elapsed = time.perf_counter() - t0
    assert len(found) == 10_000
    assert elapsed < 5.0


# ---------------------------------------------------------------------------
# Property tests
# ---------------------------------------------------------------------------

TOKENS = [
    "0", "1", "3", "10", "11", "12", "300", "2024", "1,500", "12,000",
    "12 000", "10\u00a0000", "1.2", "1.5", "v1.2.3", "10:30", "40%", "10k",
    "3rd", "F-16", "K-2", "COVID-19", "$2", ",", ".", "-", "\u2013", "\u2014",
    "+", "one", "two", "ten", "eleven", "twelve", "twenty-five", "fifteen",
    "hundred", "thousand", "million", "billion", "dozen", "half", "a", "an",
    "and", "to", "or", "so", "more", "plus", "odd", "of", "no", "the",
    "about", "around", "some", "nearly", "estimated", "at", "least", "over",
    "up", "under", "than", "fewer", "as", "many", "between", "from",
    "several", "few", "couple", "tens", "hundreds", "thousands", "dozens",
    "scores", "handful", "small", "number", "first", "thirds", "troops",
    "\u201c", "\u201d", "ſix", "\u0130", "\u212a",
]
SEPARATORS = [" ", " ", " ", "", "-", "\u00a0", "\u2009", "  ", "\n"]

token_text = st.lists(
    st.tuples(st.sampled_from(TOKENS), st.sampled_from(SEPARATORS)),
    max_size=25,
).map(lambda pairs: "".join(tok + sep for tok, sep in pairs))


def _check_invariants(text: str, found: list[NumberPhrase]) -> None:
    assert isinstance(found, list)
    prev_end = 0
    for p in found:
        assert isinstance(p, NumberPhrase)
        assert 0 <= prev_end <= p.start < p.end <= len(text)
        assert p.start <= p.value_start < p.end
        assert p.phrase == text[p.start:p.end]
        assert p.qualifier in QUALIFIERS
        if p.qualifier == "vague":
            assert p.low is None and p.high is None
            assert p.band_low is not None and p.band_high is not None
            assert p.band_low <= p.band_high
        else:
            assert isinstance(p.low, float) and isinstance(p.high, float)
            assert math.isfinite(p.low) and math.isfinite(p.high)
            assert p.low <= p.high
            if p.qualifier == "range":
                assert p.low < p.high
            else:
                assert p.low == p.high
        prev_end = p.end


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text())
def test_property_arbitrary_text(text):
    found = find_number_phrases(text)
    _check_invariants(text, found)
    p = parse_number_phrase(text)
    assert p is None or p.phrase == text[p.start:p.end]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(token_text)
def test_property_numberish_text(text):
    found = find_number_phrases(text)
    _check_invariants(text, found)
    whole = parse_number_phrase(text)
    assert whole is None or whole.phrase == text[whole.start:whole.end]
    # a phrase found in context reads the same on its own
    for p in found:
        if p.phrase.lower() == "scores":  # needs a following "of" by design
            continue
        alone = parse_number_phrase(p.phrase)
        assert alone is not None, p.phrase
        assert _triple(alone) == _triple(p)
        assert (alone.band_low, alone.band_high) == (p.band_low, p.band_high)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(TOKENS), max_size=8).map(" ".join))
def test_property_parse_never_raises(text):
    p = parse_number_phrase(text)
    if p is not None:
        _check_invariants(text, [p])
