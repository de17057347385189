"""The hand-written fast paths of the extraction find exactly what the patterns they replace
find. Each fast path avoids a regex scan over the whole text before a number (or a search
from every position of a window); the pattern stays the definition and these properties hold
the two together, on text built from the pieces that make the patterns match or fail."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import attribution, estimates
from analysis.lexicon import SentenceWords, load_lexicon

PIECES = list("abcdefghijklmnopqrstuvwxyz") + [
    "Oct", "Sept", "Dec", "May", "January", "Jan", "USD", "KRW", "US$", "$", "€", "£", "₩", "¥",
    " ", "  ", "\t", "\n", "\u00a0", ".", ",", "(", "[", "=", "_", "-", "'", "é", "İ", "x", "5", "12", "3,000",
    " am", "pm", ":30", "th", "st", "GMT", "the", "The", "senior", "Deputy", "officials", "   " * 5, "q" * 13,
]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=45).map("".join)
CLAIM_MONTH = re.compile(
    r"^\s*(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)")
ORDINAL = re.compile(r"^(?:st|nd|rd|th)\b")
# The patterns estimates used on slices of the sentence before its fast paths, kept as the definition.
MARKUP_BEFORE = re.compile(r"\w[(\[=]$")
TIME_AFTER = re.compile(r"^\s*(?::\d|(?:a\.m\.|p\.m\.|am\b|pm\b|GMT|UTC|BST))", re.IGNORECASE)


@settings(max_examples=1500, deadline=None)
@given(TEXTS, st.integers(0, 400))
def test_text_before_a_number_is_read_as_the_patterns_read_it(text, offset):
    start = min(offset, len(text))
    head = text[:start]
    assert estimates._month_before(text, start) == bool(estimates._MONTHS.search(head))
    assert estimates._currency_before(text, start) == bool(estimates._CURRENCY_BEFORE.search(head))
    assert estimates._markup_before(text, start) == bool(MARKUP_BEFORE.search(head))


@settings(max_examples=1500, deadline=None)
@given(TEXTS, st.integers(0, 400))
def test_text_after_a_number_is_read_as_the_patterns_read_it(text, offset):
    end = min(offset, len(text))
    tail = text[end:]
    assert bool(estimates._TIME_AFTER.match(text, end)) == bool(TIME_AFTER.match(tail))
    assert bool(estimates._MONTH_AFTER.match(text, end)) == bool(CLAIM_MONTH.match(tail))
    assert bool(estimates._ORDINAL_AFTER.match(text, end)) == bool(ORDINAL.match(tail))


@settings(max_examples=1500, deadline=None)
@given(TEXTS, st.integers(0, 400), st.integers(0, 30))
def test_word_before_a_phrase_is_the_trailing_word_pattern(text, offset, width):
    end = min(offset, len(text))
    lo = max(0, end - width)
    match = attribution._TRAILING_WORD.search(text, lo, end)
    assert attribution._word_before(text, lo, end) == (match.start() if match else -1)


def test_the_fast_paths_decide_real_cases():
    assert estimates._month_before("on Oct. ", 8) and estimates._month_before("in September ", 13)
    assert estimates._currency_before("a US$ ", 6) and estimates._currency_before("KRW ", 4)
    assert not estimates._currency_before("AUSD ", 5)
    assert estimates._markup_before("alert(", 6) and not estimates._markup_before("( ", 1)
    assert attribution._word_before("said the ", 0, 9) == 5
    assert attribution._word_before("said the", 0, 8) == -1


def test_glue_answers_do_not_depend_on_what_was_asked_before():
    gaps = [" ", "'s ", " of the ", ", ", " deputy foreign ", " said ", " and "]
    first = [attribution._is_glue(gap) for gap in gaps]
    assert first == [True, True, True, False, True, False, False]
    assert [attribution._is_glue(gap) for gap in reversed(gaps)] == list(reversed(first))


# The patterns attribution used before WordBefore, kept here as the definition.
DETERMINER_BEFORE = re.compile(
    r"(?:\b(?:the|these|those|such|this|that|a|an|his|her|their|its|our|any|of|unconfirmed|"
    r"earlier|previous|recent|new|latest|media|press|initial|first|western|official|so-called|"
    r"widespread|numerous|similar|those|public|troop|casualty|deployment|battlefield|news)\s+)$", re.IGNORECASE)
ARTICLE_BEFORE = re.compile(
    r"(?:\b(?:the|these|those|such|a|an|his|her|their|its|our|any|unconfirmed)\s+)$",
    re.IGNORECASE)
BE_BEFORE = re.compile(r"\b(?:was|were|is|are|be|been|being)\s+$", re.IGNORECASE)
WORD_PIECES = [" ", "  ", "\n", "\t", "-", "'", '"', ",", "_", "x", "ſ", "İ", "The", "the", "THESE", "so-called",
               "an", "a", "was", "been", "being", "Being", "is", "isn", "previous", "media", "ofthe", "3", "troop",
               "Troops"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(WORD_PIECES), max_size=12).map("".join))
def test_word_before_a_verb_is_read_as_the_old_patterns_read_it(text):
    assert attribution._DETERMINER_BEFORE.found(text) == bool(DETERMINER_BEFORE.search(text))
    assert attribution._ARTICLE_BEFORE.found(text) == bool(ARTICLE_BEFORE.search(text))
    assert attribution._BE_BEFORE.found(text) == bool(BE_BEFORE.search(text))


LEX = load_lexicon(None)
VOCABULARY_PIECES = ["said", "Said", "SAID", "told", "according to", "officials", "the agency", "Kim", "Putin", "Russia",
                     "Russia's", "Peskov", "likely", "Likely", "may", "May", "hoax", "denied", "did not deny",
                     "declined on Friday to comment", "unlikely", "un", "x", "-", "'", "’", "_", " ", "  ", "\n", ",",
                     ".", "é", "ſaid", "K", "İ", "s", "tomorrow", "3,000"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(VOCABULARY_PIECES), max_size=20).map("".join), st.integers(0, 200),
       st.integers(0, 200))
def test_a_sentence_without_a_phrase_opener_holds_no_match(text, a, b):
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    words = SentenceWords(text)
    for name, opening in LEX.openers.items():
        pattern = getattr(LEX, name)
        if not words.may_match(opening, start, end):
            assert pattern.search(text[start:end]) is None, (name, text, start, end)
        if not words.may_match(opening):
            assert pattern.search(text) is None, (name, text)


def test_openers_skip_sentences_and_spans_without_the_vocabulary():
    words = SentenceWords("The ministry said nothing about the weather.")
    hedges, verbs, denials = (LEX.openers[n] for n in ("hedge_re", "verb_re", "non_denial_re"))
    assert not words.may_match(hedges)
    assert words.may_match(denials) and words.may_match(verbs)
    text = "Moscow was unexpected to act."
    cut = SentenceWords(text)
    assert not cut.may_match(hedges)
    assert cut.may_match(hedges, 13) and LEX.hedge_re.search(text[13:])  # "expected": a word cut at the edge


def test_every_non_denial_cue_passes_the_gate_before_the_scan():
    for phrase in LEX.non_denial_phrases:
        for gap in ("", "Kyiv's "):
            text = f"Officials {phrase.replace(' ... ', ' on Friday ').replace(' ~ ', ' the reports about ' + gap)} the reports."
            assert attribution._may_hold_non_denial(text, LEX), phrase
            assert attribution._may_hold_non_denial(text, LEX, SentenceWords(text)), phrase
            assert LEX.non_denial_re.search(text), phrase


GATED = [value for value in vars(estimates).values() if isinstance(value, estimates.Gated)]
GATE_PIECES = sorted({word for gated in GATED for word in gated.needs} | {
    " ", ", ", "the ", "of ", "up from an earlier estimate of ", "were ", "had been ", "who ", "North Korean ",
    "troops ", "3,000", "in groups of ", "including ", "Killed", "SENT", "could ", "to "})


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(GATE_PIECES), max_size=14).map("".join), st.integers(0, 60))
def test_a_gated_pattern_finds_what_the_pattern_finds(text, pos):
    for gated in GATED:
        assert bool(gated.search(text)) == bool(gated.pattern.search(text)), gated.pattern.pattern
        assert bool(gated.match(text)) == bool(gated.pattern.match(text)), gated.pattern.pattern
        assert bool(gated.search(text, pos)) == bool(gated.pattern.search(text, pos)), gated.pattern.pattern
        assert bool(gated.match(text, pos, pos + 20)) == bool(gated.pattern.match(text, pos, pos + 20))


def test_a_non_denial_cue_added_by_a_user_is_read(tmp_path):
    import shutil

    from analysis.extract import extract_frames
    from analysis.lexicon import LEXICON_DIR
    from analysis.load import load_corpus

    lexicon = tmp_path / "lexicon"
    shutil.copytree(LEXICON_DIR, lexicon)
    with (lexicon / "denial_cues.csv").open("a", encoding="utf-8") as handle:
        handle.write("kept mum about,non_denial,phrase\n")
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "mum.txt").write_text(
        "date: 2024-11-04\n\nKremlin spokesman Dmitry Peskov kept mum about North Korean troops in Kursk.\n",
        encoding="utf-8")
    claims, _ = extract_frames(load_corpus(articles), str(lexicon))
    assert list(claims[["party", "stance", "cue"]].itertuples(index=False, name=None)) == \
        [("RUS", "non_denial", "kept mum about")]
    assert load_lexicon(str(lexicon)).non_denial_hints is not None


# The scans of SentenceWords try a vocabulary pattern only where one of its openers is written
# as a word; they must find what the pattern's own scan of the span finds, match for match.
SCAN_PIECES = VOCABULARY_PIECES + ["a", "that", "in", "the", "The", "he", "He", "it's", "they", "Kim-Jong", "Seoul",
                                   "not", "no", "had", "did", "uSaid", "said-", "'said", "Korea", "North"]
SCANNED = [(name, getattr(LEX, name), opening) for name, opening in LEX.openers.items()] + [
    ("pronouns", attribution._PRONOUN_RE, attribution._PRONOUN_OPENERS)]


def _spans(matches):
    return [(m.span(), m.group(0)) for m in matches]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(SCAN_PIECES), max_size=20).map("".join), st.integers(0, 200), st.integers(0, 200))
def test_a_vocabulary_scan_from_its_openers_finds_what_the_pattern_finds(text, a, b):
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    words = SentenceWords(text)
    for name, pattern, opening in SCANNED:
        assert _spans(words.finditer(pattern, opening)) == _spans(pattern.finditer(text)), (name, text)
        span = text[start:end]
        assert _spans(words.finditer(pattern, opening, start, end)) == _spans(pattern.finditer(span)), \
            (name, text, start, end)
        found, expected = words.search(pattern, opening, start, end), pattern.search(span)
        assert _spans([found] if found else []) == _spans([expected] if expected else []), (name, text, start, end)


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(SCAN_PIECES), max_size=20).map("".join),
       st.lists(st.sampled_from(["Kim", "Kim-Jong", "Seoul", "Peskov", "Jong", "Kim Jong", "said", "İ", "The"]),
                max_size=4))
def test_learned_names_are_found_where_the_capitalised_word_pattern_finds_them(text, names):
    learned = dict.fromkeys(names, "X")
    expected = [m for m in attribution._CAPITALISED_WORD.finditer(text) if m.group(0) in learned]
    assert _spans(attribution._learned_words(text, learned)) == _spans(expected)
