"""Tests for analysis.sentences.split_sentences."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import sentences
from analysis.sentences import MAX_SENTENCE_CHARS, split_sentences


def _texts(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


CASES: list[tuple[str, list[str]]] = [
    # --- U.S. / U.K. / U.N. / E.U. ---------------------------------------------------------------
    (
        "U.S. officials said the brigade had withdrawn from the village.",
        ["U.S. officials said the brigade had withdrawn from the village."],
    ),
    (
        "U.S. officials said the brigade withdrew. The Pentagon declined to comment.",
        ["U.S. officials said the brigade withdrew.", "The Pentagon declined to comment."],
    ),
    (
        "Aid was sent by the U.S. The next day, the troops moved east.",
        ["Aid was sent by the U.S.", "The next day, the troops moved east."],
    ),
    (
        "Ammunition came from the U.K. Officials in London confirmed the shipment.",
        ["Ammunition came from the U.K. Officials in London confirmed the shipment."],
    ),
    (
        "The resolution was backed by the U.N. Security Council on Friday.",
        ["The resolution was backed by the U.N. Security Council on Friday."],
    ),
    (
        "Observers from the U.K. and the E.U. watched the exchange. They left at noon.",
        ["Observers from the U.K. and the E.U. watched the exchange.", "They left at noon."],
    ),
    (
        "The U.S.-led coalition said its patrols would continue.",
        ["The U.S.-led coalition said its patrols would continue."],
    ),
    # --- ranks, titles, places ---------------------------------------------------------------------
    (
        "Gen. Kyrylo Budanov said the strike hit a depot. Officials later confirmed it.",
        ["Gen. Kyrylo Budanov said the strike hit a depot.", "Officials later confirmed it."],
    ),
    (
        "Maj. Gen. Pat Ryder said the troops would stay. He did not say for how long.",
        ["Maj. Gen. Pat Ryder said the troops would stay.", "He did not say for how long."],
    ),
    (
        "Lt. Col. Maria Ortiz briefed reporters on the rotation of the battalion.",
        ["Lt. Col. Maria Ortiz briefed reporters on the rotation of the battalion."],
    ),
    (
        "Dr. Amal Haddad treated the wounded. Capt. Jonas Berg and Sgt. Ali Karim assisted.",
        ["Dr. Amal Haddad treated the wounded.", "Capt. Jonas Berg and Sgt. Ali Karim assisted."],
    ),
    (
        "Sen. Tom Reyes, Gov. Lisa Park and Adm. Chen met Mr. and Mrs. Koval at the base.",
        ["Sen. Tom Reyes, Gov. Lisa Park and Adm. Chen met Mr. and Mrs. Koval at the base."],
    ),
    (
        "The delegation flew to St. Petersburg on Tuesday. Talks began the next morning.",
        ["The delegation flew to St. Petersburg on Tuesday.", "Talks began the next morning."],
    ),
    # --- numbers, No., months ------------------------------------------------------------------
    (
        "The unit ranked No. 2 in readiness. No. 1 was a marine battalion.",
        ["The unit ranked No. 2 in readiness.", "No. 1 was a marine battalion."],
    ),
    (
        "Asked whether troops would leave, the spokesman said no. The deadline passed.",
        ["Asked whether troops would leave, the spokesman said no.", "The deadline passed."],
    ),
    (
        "The offensive began on Oct. 8 and stalled by Jan. 15, officials said.",
        ["The offensive began on Oct. 8 and stalled by Jan. 15, officials said."],
    ),
    (
        "The brigade rotated out in Dec. The commander praised its conduct.",
        ["The brigade rotated out in Dec.", "The commander praised its conduct."],
    ),
    (
        "About 1.2 million soldiers were mobilised. The figure rose 3.5 percent.",
        ["About 1.2 million soldiers were mobilised.", "The figure rose 3.5 percent."],
    ),
    (
        "The ministry said 40 soldiers died. 12 more were injured in the shelling.",
        ["The ministry said 40 soldiers died.", "12 more were injured in the shelling."],
    ),
    (
        "The report cited Fig. 3 and Vol. 2 of the inventory, listing 3.000 items.",
        ["The report cited Fig. 3 and Vol. 2 of the inventory, listing 3.000 items."],
    ),
    # --- initials ---------------------------------------------------------------------------------
    (
        "The archive on John F. Kennedy was opened. Historians welcomed it.",
        ["The archive on John F. Kennedy was opened.", "Historians welcomed it."],
    ),
    (
        "J.D. Vance met the envoy while Kim Jong U. Smith waited outside.",
        ["J.D. Vance met the envoy while Kim Jong U. Smith waited outside."],
    ),
    # --- abbreviations that can end a sentence ---------------------------------------------------
    (
        "The contract went to Steelworks Inc. The company declined to comment.",
        ["The contract went to Steelworks Inc.", "The company declined to comment."],
    ),
    (
        "Steelworks Inc. executives attended the briefing with Robert Hale Jr. on Monday.",
        ["Steelworks Inc. executives attended the briefing with Robert Hale Jr. on Monday."],
    ),
    (
        "The talks ended at 5 p.m. The delegations left separately.",
        ["The talks ended at 5 p.m.", "The delegations left separately."],
    ),
    (
        "The talks began at 9 a.m. Kyiv time and lasted four hours.",
        ["The talks began at 9 a.m. Kyiv time and lasted four hours."],
    ),
    (
        "Troops seized rifles, mortars, drones, etc. and left the rest behind.",
        ["Troops seized rifles, mortars, drones, etc. and left the rest behind."],
    ),
    (
        "Losses were heavy in places, e.g. near the river, i.e. on the eastern bank.",
        ["Losses were heavy in places, e.g. near the river, i.e. on the eastern bank."],
    ),
    # --- quotes ----------------------------------------------------------------------------------
    (
        'He called the report a "hoax." The ministry rejected that claim.',
        ['He called the report a "hoax."', "The ministry rejected that claim."],
    ),
    (
        "Officials called it \u201ca provocation.\u201d The army stayed put.",
        ["Officials called it \u201ca provocation.\u201d", "The army stayed put."],
    ),
    (
        "The colonel said the families were \u2018safe.\u2019 Evacuations continued.",
        ["The colonel said the families were \u2018safe.\u2019", "Evacuations continued."],
    ),
    (
        '"We are worried about the front line," Zelensky said. Aid deliveries slowed.',
        ['"We are worried about the front line," Zelensky said.', "Aid deliveries slowed."],
    ),
    (
        'The minister denied it. "It was a lie," a spokesman said.',
        ["The minister denied it.", '"It was a lie," a spokesman said.'],
    ),
    (
        '"Is this a hoax?" The ministry did not answer.',
        ['"Is this a hoax?"', "The ministry did not answer."],
    ),
    (
        '"Hold the line!" The colonel repeated the order twice.',
        ['"Hold the line!"', "The colonel repeated the order twice."],
    ),
    (
        '"Where are the shells?" Zelensky asked. "Now!" he shouted.',
        ['"Where are the shells?" Zelensky asked.', '"Now!" he shouted.'],
    ),
    # --- missing space after a full stop ---------------------------------------------------------
    (
        "The briefing was on Oct. 8.In a statement, the army denied it.",
        ["The briefing was on Oct. 8.", "In a statement, the army denied it."],
    ),
    (
        "Shelling hit the positions of the troops.The convoy turned back.",
        ["Shelling hit the positions of the troops.", "The convoy turned back."],
    ),
    (
        "Follow updates on X.com and Yonhap.co.kr for details.",
        ["Follow updates on X.com and Yonhap.co.kr for details."],
    ),
    (
        "The file is at https://example.com/a.b and example.org/Reports.Final today.",
        ["The file is at https://example.com/a.b and example.org/Reports.Final today."],
    ),
    (
        "Ryder met Gen.Budanov in Kyiv.",
        ["Ryder met Gen.Budanov in Kyiv."],
    ),
    # --- question / exclamation / ellipsis -------------------------------------------------------
    (
        "Will the ceasefire hold? Nobody at the briefing knew. Stop the convoy! It was too late.",
        ["Will the ceasefire hold?", "Nobody at the briefing knew.", "Stop the convoy!", "It was too late."],
    ),
    (
        "The officials waited... Then the minister arrived\u2026 A statement followed.",
        ["The officials waited...", "Then the minister arrived\u2026", "A statement followed."],
    ),
    (
        "The officials waited... and then left quietly.",
        ["The officials waited... and then left quietly."],
    ),
    # --- parentheses -------------------------------------------------------------------------------
    (
        "The drills would continue (as planned.) Troops left at dawn.",
        ["The drills would continue (as planned.)", "Troops left at dawn."],
    ),
    (
        "Troops left. (The ministry confirmed this later.) Talks resumed.",
        ["Troops left.", "(The ministry confirmed this later.)", "Talks resumed."],
    ),
    # --- whitespace handling -----------------------------------------------------------------------
    (
        "The convoy left Kharkiv at dawn.\nIt reached the border\nby noon. Officials confirmed the route.",
        ["The convoy left Kharkiv at dawn.", "It reached the border\nby noon.", "Officials confirmed the route."],
    ),
    (
        "  \n Troops regrouped.\r\n\tThe convoy followed.  \n",
        ["Troops regrouped.", "The convoy followed."],
    ),
    (
        "The briefing had no terminal punctuation at all",
        ["The briefing had no terminal punctuation at all"],
    ),
    ("", []),
    ("   \n\t  ", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_split_table(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 35


def test_offsets_point_into_original_text() -> None:
    text = "  Lt. Col. Ortiz spoke.\n\nThe U.N. listened.  "
    spans = split_sentences(text)
    assert spans == [(2, 23), (25, 43)]
    assert text[2:23] == "Lt. Col. Ortiz spoke."
    assert text[25:43] == "The U.N. listened."


def test_abbreviation_set_is_extensible(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "The order came from Cdre. Hale at the port."
    assert len(split_sentences(text)) == 2
    monkeypatch.setattr(sentences, "ABBREVIATIONS", sentences.ABBREVIATIONS | {"Cdre."})
    assert _texts(text) == [text]


def test_abbreviation_sets_are_frozensets() -> None:
    assert isinstance(sentences.ABBREVIATIONS, frozenset)
    for abbr in ("U.S.", "Gen.", "Sept.", "p.m.", "e.g.", "No."):
        assert abbr in sentences.ABBREVIATIONS


# ------------------------------------------------------------------------------------------------
# Property tests
# ------------------------------------------------------------------------------------------------


def _check_invariants(text: str) -> list[tuple[int, int]]:
    spans = split_sentences(text)
    assert isinstance(spans, list)
    prev_end = 0
    for span in spans:
        assert isinstance(span, tuple) and len(span) == 2
        s, e = span
        assert 0 <= prev_end <= s < e <= len(text)
        piece = text[s:e]
        assert piece == piece.strip(), (text, span)
        # everything between spans (and before the first) is whitespace only
        assert text[prev_end:s].strip() == "", (text, spans)
        prev_end = e
    assert text[prev_end:].strip() == "", (text, spans)
    if text.strip():
        assert spans
    else:
        assert spans == []
    return spans


_NEWS_TOKENS = [
    "troops", "officials", "said", "the", "The", "In", "He", "It", "But", "Officials", "Kyiv",
    "briefing", "Zelensky", "Budanov", "a", "A", "I", "no", "No", "X", "mar",
    "U.S.", "U.K.", "U.N.", "E.U.", "Gen.", "Lt.", "Col.", "Maj.", "Dr.", "Mr.", "St.", "No.",
    "Oct.", "Jan.", "Sept.", "Inc.", "Jr.", "etc.", "e.g.", "i.e.", "a.m.", "p.m.", "vs.", "F.",
    "J.D.", "Ph.D.", "1.2", "3.000", "8", "2024", "40", "x.com", "Yonhap.co.kr",
    "https://example.com/a.b?Q=1", ".", ". ", "?", "!", "...", "\u2026", ",", ";", ":", "-",
    "\u2014", '"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "(", ")", "[", "]", "\u00ab",
    "\u00bb", " ", "  ", "\n", "\r\n", "\t", "\u00a0", "\u2003", "\x1c", ".In", ".The", "?\"",
    '."', ".)", "!\u201d",
]

_news_text = st.lists(st.sampled_from(_NEWS_TOKENS), max_size=60).map("".join)
_spaced_news_text = st.lists(st.sampled_from(_NEWS_TOKENS), max_size=40).map(" ".join)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text())
def test_property_arbitrary_text(text: str) -> None:
    _check_invariants(text)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from(list(" \n\t.?!\u2026\"'\u201d\u2019()aAbBzZ19,:/\u00a0")), max_size=80))
def test_property_punctuation_heavy_text(text: str) -> None:
    _check_invariants(text)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(_news_text)
def test_property_news_tokens(text: str) -> None:
    _check_invariants(text)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(_spaced_news_text, st.sampled_from(["", " ", "\n", " \n\t", "\u00a0"]), st.sampled_from(["", " ", "\n\n", "\t "]))
def test_property_surrounding_whitespace_does_not_change_sentences(
    text: str, prefix: str, suffix: str
) -> None:
    padded = prefix + text + suffix
    _check_invariants(padded)
    assert _texts(padded) == _texts(text)


# ------------------------------------------------------------------------------------------------
# Size / linear-time smoke tests (no wall-clock assertions: speed is benchmarked elsewhere)
# ------------------------------------------------------------------------------------------------


def test_large_single_line_paragraph() -> None:
    unit = (
        "U.S. officials said on Oct. 8 that about 1.2 million troops had moved. "
        'Gen. Kyrylo Budanov called it "a hoax." Maj. Gen. Pat Ryder said the briefing ended at 5 p.m. '
        "The ministry, citing Dr. Lee of St. Petersburg, said 3.5 percent were lost... "
        'Meanwhile, the U.N. asked: "Why?" Officials declined to comment.Troops waited. '
    )
    text = unit * (200_000 // len(unit) + 1)
    assert len(text) >= 200_000 and "\n" not in text
    spans = _check_invariants(text)
    per_unit = len(split_sentences(unit))
    assert per_unit == 7
    assert len(spans) == per_unit * (200_000 // len(unit) + 1)


@pytest.mark.parametrize(
    "text",
    [
        "." * 200_000,
        ". " * 100_000,
        "?\" A" * 50_000,
        "U.S. " * 40_000,
        "Ab." * 70_000,
        "A. " * 70_000,
        "a" * 200_000 + ". The end.",
        " \n" * 100_000 + "x",
        "https://example.com/" + "a.b/" * 50_000 + "Cd.Ef",
        '?" Zz Zz Zz Zz Zz Zz ' * 10_000,
    ],
)
def test_adversarial_inputs_do_not_blow_up(text: str) -> None:
    _check_invariants(text)


# ------------------------------------------------------------------------------------------------
# Run-on text: no span is longer than MAX_SENTENCE_CHARS
# ------------------------------------------------------------------------------------------------

_RUN_ON_PIECES = ["North Korean troops", "officials said", ", ", "; ", " ", "\n", "x" * 700, "3,000", "and"]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_RUN_ON_PIECES), min_size=1, max_size=400).map("".join))
def test_property_run_on_text_is_cut_into_spans_no_longer_than_the_limit(text: str) -> None:
    spans = _check_invariants(text)
    assert all(e - s <= MAX_SENTENCE_CHARS for s, e in spans)


def test_run_on_sentence_is_cut_after_a_comma_then_at_a_space_then_at_the_limit() -> None:
    clause = "North Korea sent 3,000 troops"
    commas = ", ".join([clause] * 100) + "."
    spans = split_sentences(commas)
    assert len(spans) > 1 and all(commas[e - 1] == "," for _, e in spans[:-1])
    spaces = " ".join(["troops"] * 1000)
    assert all(spaces[s:e].split() == spaces[s:e].split(" ") for s, e in split_sentences(spaces))
    assert [e - s for s, e in split_sentences("x" * 4500)] == [MAX_SENTENCE_CHARS, MAX_SENTENCE_CHARS, 500]
    short = "The troops moved " + "north " * 300 + "again. "
    assert split_sentences(short * 3) == [(0, len(short) - 1), (len(short), 2 * len(short) - 1),
                                          (2 * len(short), 3 * len(short) - 1)]  # under the limit: untouched
