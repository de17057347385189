"""Deterministic synthetic news corpora for the benchmark, in which no sentence repeats.

Each article is written like a wire story about North Korean troops in Russia: a lede with a
reported troop figure, attributed claims with many reporting verbs ("said", "told Yonhap",
"wrote on Telegram", "according to"), denials ("dismissed the reports as a hoax"), non-denials
("declined to confirm or deny"), hedges ("could", "reportedly", "believed to"), direct quotes,
pronoun follow-ups ("He added that ..."), casualty counts, and distractor numbers (dates, years,
kilometres, dollars, calibres, percentages), plus background paragraphs. The sentences are built
from templates written for this benchmark and filled with slot values: speakers (real officials'
names and titles, institutions, anonymous officials built from nationality and office), figures
in many forms with varying numbers ("about 3,400", "11 to 12,000", "between 10,000 and 12,500",
"thousands of"), places, dates, outlets, evidence, and optional openers ("Late on Tuesday, ",
"Speaking in Seoul, "). An article casts a few speakers, introduces each in full once and then by
surname or "the official"; paragraphs are 1-3 sentences in a varying order, separated by blank
lines (a few are hard-wrapped); most articles start with a `date:` header (some with
`title:`/`outlet:` too, some with the inline ` date 2024-10-12 ` form) and the rest get their
date from manifest.csv. Articles average about 1.8 KB (briefs to long reads), so 10,000 articles
are about 18 MB.

No sentence repeats anywhere in a corpus: the generator keeps every sentence it has written
(normalised: whitespace, quote style and case folded, see `sentence_key`) and draws again when a
new one matches. `repeated_sentences(folder)` checks a corpus on disk the same way, splitting
the files with `split_sentences` (which knows the abbreviations the templates use).

Deterministic: article i comes from `random.Random(seed, i)` and the sentences of articles
0..i-1, so a corpus is the same bytes on every machine and the first n articles of a larger
corpus are the corpus of n (`articles(seed, stop, start)` gives any slice, e.g. the articles
added after a corpus). `ensure_corpus` writes a corpus once under bench/corpora/ and rewrites
it when the stamp file beside it names another GENERATOR_VERSION, seed or size.

    python -m bench.generate --count 1000 --out /tmp/corpus   # write one corpus by hand
    python -m bench.generate --check bench/corpora/articles_1000   # count repeated sentences
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import shutil
import textwrap
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

# Bump whenever the output of the generator changes: stored corpora are then rewritten.
GENERATOR_VERSION = 2
DEFAULT_SEED = 20241029
CORPORA_DIR = Path(__file__).resolve().parent / "corpora"
MANIFEST_FIELDS = ["article_id", "date", "outlet", "url", "title", "date_basis"]

# --- speakers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Speaker:
    """Who says something. `full`: first mention as a subject (an appositive ends with a comma:
    "Kyrylo Budanov, the head of ..., said"); `full_plain`: the same without the trailing comma
    (after "according to"); `short`: later mentions ("Budanov", "the official")."""

    full: str
    full_plain: str
    short: str
    pronoun: str  # "He", "She", "It" or "They"
    side: str  # "claims" (Ukraine, South Korea, the West), "denies" (Russia, North Korea), "neutral"


def _person(side: str, pronoun: str, name: str, short: str, before: list[str], after: list[str]) -> list[Speaker]:
    """A named official: one Speaker per title form ("Kremlin spokesman Dmitry Peskov",
    "Dmitry Peskov, the Kremlin's spokesman,", "Dmitry Peskov")."""
    forms = [Speaker(f"{title} {name}", f"{title} {name}", short, pronoun, side) for title in before]
    forms += [Speaker(f"{name}, {title},", f"{name}, {title}", short, pronoun, side) for title in after]
    return forms or [Speaker(name, name, short, pronoun, side)]


def _body(side: str, full: str, short: str, pronoun: str = "It") -> Speaker:
    return Speaker(full, full, short, pronoun, side)


# (pronoun, name, short form, titles before the name, appositives after it)
_CLAIM_PEOPLE = [
    ("He", "Volodymyr Zelensky", "Zelensky", ["Ukrainian President", "President"], ["Ukraine's president"]),
    ("He", "Kyrylo Budanov", "Budanov", ["Ukrainian military intelligence chief"],
     ["the head of Ukraine's military intelligence", "who heads Ukraine's HUR military intelligence agency"]),
    ("He", "Vadym Skibitskyi", "Skibitskyi", [], ["the deputy head of Ukraine's military intelligence"]),
    ("He", "Andriy Yusov", "Yusov", ["HUR spokesman"], ["a spokesman for Ukraine's military intelligence"]),
    ("He", "Andriy Kovalenko", "Kovalenko", [], ["who heads Ukraine's Centre for Countering Disinformation"]),
    ("He", "Andrii Sybiha", "Sybiha", ["Ukrainian Foreign Minister"], ["Ukraine's foreign minister"]),
    ("He", "Rustem Umerov", "Umerov", ["Ukrainian Defence Minister"], ["Ukraine's defence minister"]),
    ("He", "Andriy Yermak", "Yermak", [], ["the head of the Ukrainian presidential office"]),
    ("He", "Oleksandr Syrskyi", "Syrskyi", ["Ukrainian commander-in-chief"], ["the commander of Ukraine's armed forces"]),
    ("He", "Heorhii Tykhyi", "Tykhyi", [], ["a spokesman for Ukraine's foreign ministry"]),
    ("He", "Dmytro Lykhovy", "Lykhovy", [], ["a spokesman for the Ukrainian military"]),
    ("He", "Yoon Suk Yeol", "Yoon", ["South Korean President"], ["South Korea's president"]),
    ("He", "Kim Yong-hyun", "Kim Yong-hyun", ["South Korean Defence Minister"], ["South Korea's defence minister"]),
    ("He", "Cho Tae-yong", "Cho Tae-yong", ["NIS Director"], ["the director of South Korea's spy agency"]),
    ("He", "Shin Won-sik", "Shin Won-sik", [], ["South Korea's national security adviser"]),
    ("He", "Cho Tae-yul", "Cho Tae-yul", ["South Korean Foreign Minister"], []),
    ("He", "Lee Seong-kweun", "Lee Seong-kweun", [], ["a lawmaker on the parliamentary intelligence committee"]),
    ("He", "Park Sun-won", "Park Sun-won", [], ["an opposition lawmaker on the intelligence committee"]),
    ("He", "Lee Sung-jun", "Lee Sung-jun", [], ["a spokesman for the Joint Chiefs of Staff"]),
    ("He", "Jeon Ha-kyu", "Jeon Ha-kyu", [], ["a spokesman for the defence ministry in Seoul"]),
    ("He", "Lloyd Austin", "Austin", ["U.S. Defense Secretary", "Defense Secretary"], []),
    ("He", "Antony Blinken", "Blinken", ["Secretary of State", "U.S. Secretary of State"], []),
    ("He", "John Kirby", "Kirby", ["White House spokesman"], ["the White House national security spokesman"]),
    ("She", "Sabrina Singh", "Singh", ["Pentagon deputy press secretary", "Pentagon spokesperson"], []),
    ("He", "Pat Ryder", "Ryder", ["Pentagon press secretary Maj. Gen."], []),
    ("He", "Matthew Miller", "Matthew Miller", [], ["a State Department spokesman"]),
    ("He", "Jake Sullivan", "Sullivan", [], ["the U.S. national security adviser"]),
    ("She", "Linda Thomas-Greenfield", "Thomas-Greenfield", [], ["the U.S. ambassador to the United Nations"]),
    ("He", "Robert Wood", "Robert Wood", [], ["the deputy U.S. ambassador to the United Nations"]),
    ("He", "Kurt Campbell", "Campbell", ["Deputy Secretary of State"], []),
    ("She", "Avril Haines", "Haines", ["Director of National Intelligence"], []),
    ("He", "Mark Rutte", "Rutte", ["NATO Secretary General", "NATO chief"], []),
    ("She", "Farah Dakhlallah", "Dakhlallah", [], ["a NATO spokesperson"]),
    ("She", "Kaja Kallas", "Kallas", [], ["the EU's foreign policy chief"]),
    ("He", "Josep Borrell", "Borrell", ["EU foreign policy chief"], []),
    ("He", "Takeshi Iwaya", "Iwaya", ["Japanese Foreign Minister"], []),
    ("He", "Yoshimasa Hayashi", "Hayashi", ["Japan's Chief Cabinet Secretary"], []),
    ("He", "John Healey", "Healey", ["British Defence Secretary"], []),
    ("He", "David Lammy", "Lammy", ["British Foreign Secretary"], []),
    ("She", "Annalena Baerbock", "Baerbock", ["German Foreign Minister"], []),
    ("He", "Boris Pistorius", "Pistorius", ["German Defence Minister"], []),
    ("He", "Radoslaw Sikorski", "Sikorski", ["Polish Foreign Minister"], []),
]

_DENY_PEOPLE = [
    ("He", "Dmitry Peskov", "Peskov", ["Kremlin spokesman"], ["the Kremlin's spokesman"]),
    ("She", "Maria Zakharova", "Zakharova", ["Russian foreign ministry spokeswoman", "Foreign ministry spokeswoman"], []),
    ("He", "Sergei Lavrov", "Lavrov", ["Russian Foreign Minister", "Foreign Minister"], []),
    ("He", "Vasily Nebenzia", "Nebenzia", [], ["Russia's ambassador to the United Nations"]),
    ("He", "Dmitry Polyanskiy", "Polyanskiy", [], ["Russia's deputy ambassador to the United Nations"]),
    ("He", "Andrei Rudenko", "Rudenko", ["Russian Deputy Foreign Minister", "Deputy Foreign Minister"], []),
    ("He", "Vladimir Putin", "Putin", ["Russian President", "President"], []),
    ("He", "Alexander Matsegora", "Matsegora", [], ["Russia's ambassador in Pyongyang"]),
    ("He", "Kim Jong Gyu", "Kim Jong Gyu", [], ["North Korea's vice foreign minister"]),
    ("He", "Kim Song", "Kim Song", [], ["North Korea's ambassador to the United Nations"]),
    ("She", "Choe Son Hui", "Choe", ["North Korean Foreign Minister"], []),
]

_NEUTRAL_PEOPLE = [
    ("He", "Lin Jian", "Lin Jian", ["Chinese foreign ministry spokesman"], []),
    ("She", "Mao Ning", "Mao Ning", ["Chinese foreign ministry spokeswoman"], []),
]

_CLAIM_BODIES = [
    ("South Korea's National Intelligence Service (NIS)", "the NIS"),
    ("South Korea's spy agency", "the agency"),
    ("the National Intelligence Service", "the NIS"),
    ("Ukraine's military intelligence agency (HUR)", "HUR"),
    ("Ukraine's Main Intelligence Directorate", "the intelligence directorate"),
    ("the Pentagon", "the Pentagon"),
    ("the White House", "the White House"),
    ("the State Department", "the State Department"),
    ("South Korea's Joint Chiefs of Staff", "the JCS"),
    ("the General Staff of Ukraine", "the General Staff"),
    ("Ukraine's Centre for Countering Disinformation", "the Centre for Countering Disinformation"),
    ("Ukraine's defence ministry", "the ministry"),
    ("South Korea's defence ministry", "the ministry"),
    ("Japan's defence ministry", "the ministry"),
    ("NATO", "the alliance"),
]

_DENY_BODIES = [
    ("the Kremlin", "the Kremlin"),
    ("Russia's foreign ministry", "the ministry"),
    ("Russia's defence ministry", "the ministry"),
    ("North Korea's foreign ministry", "the ministry"),
    ("North Korea's state news agency KCNA", "KCNA"),
    ("the Korean Central News Agency", "KCNA"),
    ("North Korea's mission to the United Nations", "the mission"),
    ("the Russian embassy in Seoul", "the embassy"),
]

_NATIONS = {  # adjective: (offices, spelling of "defence")
    "U.S.": ["defense", "intelligence", "military", "administration", "government"],
    "South Korean": ["defence", "intelligence", "military", "government"],
    "Ukrainian": ["defence", "intelligence", "military", "government"],
    "Western": ["intelligence", "defence", "government"],
    "NATO": ["military", "intelligence"],
    "European": ["intelligence", "defence"],
    "Japanese": ["defence", "government"],
    "British": ["defence", "intelligence", "government"],
}
_DENY_NATIONS = {"Russian": ["foreign ministry", "defence ministry", "government", "security"]}
_RANKS = ["senior", "senior", "", "high-ranking", "top"]
_COUNTS = ["two", "three", "several", "four", "two senior", "three senior"]
_ANONYMITY = ["who spoke on condition of anonymity", "who asked not to be named",
              "who was not authorised to speak publicly", "speaking on condition of anonymity"]


def _anonymous(rng: random.Random, side: str) -> Speaker:
    nations = _NATIONS if side == "claims" else _DENY_NATIONS
    nation = rng.choice(sorted(nations))
    office = rng.choice(nations[nation])
    if rng.random() < 0.6:
        rank = rng.choice(_RANKS)
        head = " ".join(part for part in ("a", rank, nation, office, "official") if part)
        if head.startswith("a ") and head[2] in "aeiouAEIOU":
            head = "an" + head[1:]
        if rng.random() < 0.35:
            anonymity = rng.choice(_ANONYMITY)
            return Speaker(f"{head}, {anonymity},", f"{head}, {anonymity}", "the official", "He", side)
        return Speaker(head, head, "the official", "He", side)
    count = rng.choice(_COUNTS)
    head = f"{count} {nation} {office} officials"
    return Speaker(head, head, "the officials", "They", side)


_CLAIM_OTHERS = [  # sources that are not officials
    ("lawmakers briefed by the NIS", "the lawmakers", "They"),
    ("a source in Ukraine's military intelligence", "the source", "He"),
    ("people familiar with the intelligence assessment", "those people", "They"),
    ("a South Korean government source", "the source", "He"),
    ("Yonhap, citing a military source,", "Yonhap", "It"),
    ("the Institute for the Study of War", "the ISW", "It"),
    ("analysts at the Royal United Services Institute", "the analysts", "They"),
]

CLAIM_SPEAKERS = ([s for spec in _CLAIM_PEOPLE for s in _person("claims", *spec)]
                  + [_body("claims", full, short) for full, short in _CLAIM_BODIES]
                  + [Speaker(full, full.rstrip(","), short, pronoun, "claims") for full, short, pronoun in _CLAIM_OTHERS])
DENYING_SPEAKERS = ([s for spec in _DENY_PEOPLE for s in _person("denies", *spec)]
                    + [_body("denies", full, short) for full, short in _DENY_BODIES])
NEUTRAL_SPEAKERS = [s for spec in _NEUTRAL_PEOPLE for s in _person("neutral", *spec)]

# --- slot values ------------------------------------------------------------------------------

UNITS = ["troops", "troops", "soldiers", "soldiers", "servicemen", "military personnel", "special forces troops",
         "infantry troops", "combat troops", "special forces soldiers", "army personnel", "infantrymen"]
NK = ["North Korean", "North Korean", "North Korean", "North Korean", "DPRK"]
PLACES = ["the Kursk region", "Russia's Kursk region", "the Kursk border region", "Russia's Far East",
          "Primorsky Krai", "the Primorye region", "training grounds near Ussuriysk", "a training ground in Primorsky Krai",
          "the Khabarovsk region", "bases in eastern Russia", "the front-line areas", "occupied parts of the Donetsk region",
          "Vladivostok", "the border area near Sudzha", "the Belgorod region", "Russia's Bryansk region",
          "the area around Korenevo", "villages near Glushkovo", "the Sergeevka training ground",
          "military bases near Khabarovsk", "the Amur region", "Rostov-on-Don", "forests near Rylsk",
          "the area around Lgov", "camps in Russia's Far East", "positions on the Kursk front"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [("Oct.", 31), ("Nov.", 30), ("Dec.", 31), ("Sept.", 30)]
FULL_MONTHS = ["October", "November", "December"]
CITIES_CLAIMS = ["Seoul", "Kyiv", "Washington", "Brussels", "Tokyo", "London", "Berlin", "Warsaw", "New York",
                 "Rome", "Paris", "Prague"]
CITIES_DENIES = ["Moscow", "Pyongyang", "Kazan", "New York", "St. Petersburg", "Minsk"]
OUTLETS = ["Kyiv Independent", "Yonhap", "Reuters", "The Guardian", "Associated Press", "Korea Herald",
           "BBC News", "Ukrainska Pravda", "NK News", "Financial Times", "Korea Times", "Kyodo News",
           "Radio Free Europe", "Deutsche Welle", "Politico"]
TOLD_OUTLETS = ["Yonhap", "Reuters", "the BBC", "the Associated Press", "the Financial Times", "CNN",
                "the Kyiv Independent", "NHK", "Politico", "the Korea Herald", "Radio Free Asia", "Ukrainska Pravda"]
MEDIA = ["a televised address", "a video address", "a closed-door briefing", "a press conference",
         "a written statement", "remarks to reporters", "a parliamentary hearing", "an interview",
         "a post on Telegram", "a briefing for diplomats", "a radio interview", "a statement"]
EVIDENCE = ["satellite imagery", "intercepted radio traffic", "drone footage", "intelligence from allies",
            "its own sources", "photographs from the training grounds", "captured documents",
            "videos posted on Telegram", "intercepted phone calls", "interrogations of prisoners",
            "railway records", "flight data"]
DENIAL_WORDS = ["a hoax", "another hoax", "fake news", "a fabrication", "groundless", "baseless", "unfounded",
                "fiction", "rumours", "lies", "nonsense", "absurd", "disinformation", "a smear campaign",
                "propaganda", "a fairy tale", "pure fantasy", "a provocation", "slander", "a canard"]
DENY_OBJECTS = ["the reports of {NK} {U} in {PL}", "reports that Pyongyang had sent {U} to {PL}",
                "claims that {NK} {U} were fighting for Russia", "the allegations about {NK} {U} in {PL}",
                "Western reports about {NK} {U}", "talk of {NK} {U} in {PL}",
                "Seoul's claims about {NK} {U}", "Kyiv's claims that {F} {NK} {U} were in {PL}",
                "reports of a deployment of {NK} {U} to {PL}", "the stories about {NK} {U} on the {FRONT}"]
FRONTS = ["Kursk front", "front line", "border with Ukraine", "Donetsk front", "Zaporizhzhia front"]
WHEN = ["by {D}", "by the end of {FM}", "within weeks", "before the end of the year", "in the coming days",
        "in the coming weeks", "by early {FM}", "before {FM}", "within a month"]
ADJ_ESCALATION = ["a dangerous", "a serious", "an alarming", "a significant", "an unprecedented", "a grave"]
SUPPORT = ["space technology", "help with its satellite programme", "oil", "food", "hard currency",
           "fighter jets", "air defence systems", "submarine technology", "missile know-how", "combat experience"]
ANALYSTS = ["Analysts", "Experts in Seoul", "Western analysts", "Some analysts", "Military experts",
            "Researchers at the Asan Institute", "Analysts at 38 North", "Observers in Tokyo"]
COUNCILS = ["The United Nations Security Council", "The UN Security Council", "NATO ambassadors",
            "The North Atlantic Council", "European Union foreign ministers", "G7 foreign ministers",
            "Officials from the Group of Seven"]
TREATY_WORDS = ["comprehensive strategic partnership treaty", "mutual defence treaty", "partnership treaty",
                "mutual assistance pact"]
TITLES_FORMS = [
    "{NK} troops reach {PL}", "Seoul says {F} {NK} soldiers sent to Russia", "Kremlin dismisses reports of {NK} troops in {PL}",
    "What we know about {F} {NK} troops in Russia", "Ukraine warns of {NK} units in {PL}",
    "Pentagon raises its estimate of DPRK troops to {FN}", "{NK} soldiers spotted in {PL}, {CITY} says",
    "Up to {NB} {NK} troops could join the war, officials say", "{CITY} and allies weigh response to {NK} deployment",
    "{FN} {NK} troops in {PL}, intelligence says", "Report: {NK} troops moved to {PL} on {D}",
]


def _number(rng: random.Random) -> int:
    kind = rng.random()
    if kind < 0.45:
        return rng.choice([1_000, 1_500, 2_000, 3_000, 5_000, 7_000, 8_000, 10_000, 11_000, 12_000, 15_000])
    if kind < 0.8:
        return rng.randrange(2, 40) * 500
    return rng.randrange(5, 200) * 100


def _n(rng: random.Random) -> str:
    return f"{_number(rng):,}"


def _range(rng: random.Random) -> tuple[int, int]:
    low = rng.choice([500, 1_000, 2_000, 3_000, 5_000, 8_000, 10_000, 11_000, rng.randrange(2, 30) * 500])
    return low, low + rng.choice([500, 1_000, 2_000, 2_000, 3_000, 5_000])


def troop_figure(rng: random.Random, numeric: bool = False) -> str:
    """A number of people in one of the forms news articles use, written to stand before a
    noun ("thousands of"); `numeric`: only forms with digits."""
    form = rng.choice([*range(15), 19, 21, 22]) if numeric else rng.randrange(23)
    if form < 10:
        word = ["about", "around", "some", "roughly", "approximately", "nearly", "more than", "at least",
                "up to", "as many as"][form]
        return f"{word} {_n(rng)}"
    if form == 10:
        return _n(rng)
    if form in (11, 12, 13, 14):
        low, high = _range(rng)
        if form == 11 and low % 1000 == 0:
            return f"{low // 1000} to {high:,}"  # "11 to 12,000"
        if form == 12:
            return f"between {low:,} and {high:,}"
        if form == 13:
            return f"{low:,} to {high:,}"
        return f"{low:,}-{high:,}"
    if form == 15:
        return "thousands of"
    if form == 16:
        return rng.choice(["several thousand", "a few thousand"])
    if form == 17:
        return "tens of thousands of"
    if form == 18:
        return rng.choice(["a few hundred", "hundreds of", "several hundred"])
    if form == 19:
        return f"an estimated {_n(rng)}"
    if form == 20:
        return rng.choice(["ten thousand", "three thousand", "twelve thousand", "five thousand", "eleven thousand"])
    if form == 21:
        return f"{rng.choice([8, 10, 11, 12, 15])},000 or so"
    return f"{rng.choice(['fewer than', 'no more than', 'over'])} {_n(rng)}"


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number:,}{suffix}"


def _date(rng: random.Random) -> str:
    month, days = rng.choice(MONTHS)
    return f"{month} {rng.randint(1, days)}"


def _cas(rng: random.Random) -> str:
    return f"{rng.randint(900, 2_100):,}"


def _usd(rng: random.Random) -> str:
    return rng.choice([f"${rng.randint(1, 9)}.{rng.randint(1, 9)} billion", f"${rng.randrange(50, 990, 10)} million",
                       f"{rng.randint(2, 20)} billion dollars", f"${rng.randint(1, 60)} billion"])


def _shells(rng: random.Random) -> str:
    return rng.choice([f"{rng.randint(2, 9)} million", "millions of", f"{rng.randrange(10_000, 25_000, 500):,} containers of",
                       f"more than {rng.randint(2, 9)} million"])


# --- templates --------------------------------------------------------------------------------
# Placeholders: {S} speaker (full form at first mention, then the short form; lower-cased
# "the"/"a" inside a sentence), {A} the same after "according to", {P} pronoun of the last speaker
# ({P2} of this sentence's, lower case), {F}/{F2} troop figures ({FN}: digits only, {NB}: a bare
# number), {GROW}/{TOTAL}/{DSPAN} (a rising pair of figures, a dated span), {U} unit, {NK} "North
# Korean"/"DPRK", {PL}/{PL2} places (PL2 differs from the last), {WD} weekday, {D} "Oct. 29",
# {FM} full month, {YR}/{YN}/{YOLD} recent, coming and historical years, {KM}/{KMS}, {USD}/{USDP},
# {MM}, {PCT}, {CAS} (casualties a day), {BIG}/{BIGM} (large totals), {SH} (shells), {CITY},
# {OUT} (an outlet after "told"), {MED} (a medium: "a video address"), {EV} evidence, {DW} denial
# word, {DO} what a denial denies, {FOE} (whom deniers blame), {WHEN}, {ESC} ("a dangerous"),
# {SUPS} (what Pyongyang gets), {AN}/{AN2} (analysts), {UNC} (a council), {TR} (a treaty),
# {FRONT}, {SAID} (a reporting verb phrase before a clause), {SAID_END} (one that ends a
# sentence), {CV} (a claim verb before "that"), {OPEN} (an optional opener: "On Tuesday, ").

SAID = ["said", "said", "said that", "told reporters", "told reporters that", "told journalists that",
        "told {OUT} that", "said in a statement that", "said in {MED} that", "wrote on X that", "wrote on Telegram that",
        "stated that", "said on {WD}", "said on {WD} that", "told a news conference that", "said late on {WD} that",
        "told lawmakers that", "said in an interview with {OUT} that", "said on {D} that"]
SAID_END = ["said", "said", "said", "said on {WD}", "told reporters", "told {OUT}", "said in a statement",
            "said in {MED}", "wrote on Telegram", "said on {D}", "told a briefing", "told journalists"]
CLAIM_VERBS = ["said", "estimated", "claimed", "reported", "warned", "confirmed", "told reporters", "noted",
               "said on {WD}", "assessed", "told {OUT}", "revealed", "wrote on X"]
OPENERS = ["On {WD}, ", "Late on {WD}, ", "In {MED} on {D}, ", "Speaking in {CITY} on {WD}, ", "In {CITY}, ",
           "Earlier this week, ", "Separately, ", "Meanwhile, ", "On {D}, ", "Last week, ", "On {WD} evening, ",
           "At a briefing in {CITY}, ", "In a statement released on {D}, "]

CLAIM_FIGURE_TEMPLATES = [
    "{OPEN}{S} {SAID} {F} {NK} {U} had arrived in {PL}.",
    "{OPEN}{S} {SAID} {F} {NK} {U} were being trained in {PL}.",
    "According to {A}, {F} {NK} {U} are now in {PL}.",
    "\"There are already {F} {NK} {U} in {PL},\" {S} {SAID_END}.",
    "{OPEN}{S} estimated that {F} {NK} {U} had been sent to Russia since {D}.",
    "{OPEN}{S} told a news conference that North Korea had deployed {F} {U} to {PL}.",
    "{OPEN}{S} {CV} that {F} {NK} {U} were moving toward {PL}.",
    "{OPEN}{S} confirmed that {F} {NK} {U} had crossed into Russia by {D}.",
    "In a briefing on {D}, {S} put the number of {NK} {U} in Russia at {FN}.",
    "{F} {NK} {U} have been spotted in {PL}, {S} {SAID_END}.",
    "{OPEN}{S} {SAID} the number of {NK} {U} in {PL} had grown {GROW}.",
    "Citing {EV}, {S} {SAID} {F} {NK} {U} were stationed in {PL}.",
    "{OPEN}{S} wrote on X that {F} {NK} {U} would join Russian units in {PL} {WHEN}.",
    "{OPEN}{S} {SAID} Pyongyang had sent {F} {U}, including generals, to {PL}.",
    "According to {A}, North Korea has so far sent {F} {U} to fight for Moscow.",
    "{OPEN}{S} {SAID} {EV} showed {F} {NK} {U} in {PL}.",
    "{OPEN}{S} {CV} that {F} {NK} {U} were deployed to {PL} between {DSPAN}.",
    "{F} {NK} {U} were taken by train from {PL} to {PL2}, according to {A}.",
    "{OPEN}{S} put the total at {TOTAL} a week earlier.",
    "{OPEN}{S} {SAID} {F} {NK} {U} had been given Russian uniforms in {PL}.",
    "{OPEN}{S} {SAID} a first group of {FN} {NK} {U} had reached {PL} on {D}.",
    "The number of {NK} {U} in {PL} has risen to {FN}, {S} {SAID_END}, citing {EV}.",
]

CLAIM_TEMPLATES = [
    "{OPEN}{S} {SAID} {NK} {U} were already fighting alongside Russian forces in {PL}.",
    "According to {A}, the first {NK} units reached {PL} on {D}.",
    "{OPEN}{S} accused Pyongyang of sending {U} to help Moscow in its war against Ukraine, citing {EV}.",
    "{OPEN}{S} {SAID} the deployment of {NK} {U} to {PL} marked {ESC} escalation.",
    "{OPEN}{S} warned that {NK} {U} could be sent to the front {WHEN}.",
    "\"This is the first step to a world war,\" {S} said of the deployment to {PL} in {MED}.",
    "{OPEN}{S} {SAID} {NK} officers had been seen in {PL} since {D}.",
    "{OPEN}{S} {SAID} {NK} {U} had come under fire for the first time in {PL}.",
    "{OPEN}{S} {SAID} Russia was training {NK} {U} in {PL}, citing {EV}.",
    "{OPEN}{S} confirmed the presence of {NK} {U} in {PL} for the first time on {D}.",
]

DENIAL_TEMPLATES = [
    "{OPEN}{S} called {DO} {DW}.",
    "{OPEN}{S} dismissed {DO} as {DW}.",
    "{OPEN}{S} denied that any {NK} {U} were in {PL}.",
    "{OPEN}{S} rejected {DO} as {DW} spread by {FOE}.",
    "{OPEN}{S} said {DO} were {DW}.",
    "\"This is {DW},\" {S} said on {WD} when asked about {NK} {U} in {PL}.",
    "{OPEN}{S} denied {DO}, calling them {DW}.",
    "{OPEN}{S} dismissed {DO} as {DW} during {MED}.",
    "{OPEN}{S} described {DO} as {DW} meant to win more weapons for Kyiv.",
    "{OPEN}{S} {SAID} there were no {NK} {U} in {PL} and called {DO} {DW}.",
    "Asked on {D} about {DO}, {S} called them {DW}.",
    "\"There are no {NK} {U} in {PL}; this is {DW},\" {S} {SAID_END}.",
    "{OPEN}{S} brushed off {DO} as {DW} put about by {FOE}.",
]

NON_DENIAL_TEMPLATES = [
    "{OPEN}{S} did not deny {DO}, saying cooperation with Pyongyang was a sovereign matter.",
    "{OPEN}{S} neither confirmed nor denied that {NK} {U} were in {PL}.",
    "{OPEN}{S} declined to comment on {DO}.",
    "Asked about {NK} {U} in {PL} on {D}, {S} did not deny it and said the {TR} allowed it.",
    "{OPEN}{S} refused to confirm or deny the presence of {NK} {U} in {PL}.",
    "{OPEN}{S} said it was \"our business\" how the {TR} was carried out, without denying {DO}.",
    "{OPEN}{S} said {P2} had no information about {NK} {U} in {PL}.",
    "{OPEN}{S} referred questions about {NK} {U} in {PL} to the defence ministry.",
    "{OPEN}{S} declined on {WD} to say whether {NK} {U} had reached {PL}.",
]

HEDGED_TEMPLATES = [
    "{OPEN}{S} {SAID} {F} {NK} {U} could be deployed to {PL} {WHEN}.",
    "{OPEN}{S} {SAID} it was highly likely that {FN} more {U} would follow {WHEN}.",
    "Up to {NB} {NK} {U} are reportedly being trained in {PL}, {S} {SAID_END}.",
    "{F} {NK} {U} may already be in {PL}, {S} {SAID_END}.",
    "It is thought that {F} {NK} {U} were moved to {PL} on {D}, according to {A}.",
    "{OPEN}{S} {SAID} the figure could rise to {F2} {U} {WHEN}.",
    "{NK} {U}, possibly {FN}, are believed to be stationed in {PL}, {S} {SAID_END}.",
    "{OPEN}{S} {SAID} {F} {U} were expected to reach {PL} {WHEN}.",
    "If confirmed, the deployment of {F} {U} to {PL} would be North Korea's largest since {YOLD}.",
    "{OPEN}{S} {SAID} {F} {NK} {U} were probably already in {PL}.",
    "As many as {NB} {NK} {U} might be sent to {PL} {WHEN}, {S} {SAID_END}.",
]

PRONOUN_TEMPLATES = [
    "{P} added that {FN} more {U} were expected in {PL} {WHEN}.",
    "{P} said the {U} in {PL} had been issued Russian uniforms and documents on {D}.",
    "{P} did not say how the figure of {FN} {U} had been established.",
    "{P} gave no further details about the {U} seen in {PL} on {D}.",
    "{P} said {F2} {U} could follow {WHEN}.",
    "{P} said the {U} had travelled by train from {PL} and arrived on {D}.",
    "{P} said {EV} supported the estimate of {FN}.",
]

PRONOUN_DENY_TEMPLATES = [
    "{P} added that {DO} were {DW}.",
    "{P} also called {DO} a provocation by {FOE}.",
    "{P} said the {TR} with Pyongyang was no one else's business and called {DO} {DW}.",
    "{P} did not answer a question about the {FN} {U} that {FOE} says are in {PL}.",
]

QUOTE_TEMPLATES = [
    "\"We are seeing {F} {NK} {U} in {PL} right now,\" {S} {SAID_END}.",
    "\"They have already moved {F} {U} to {PL}, and more will follow {WHEN},\" {S} {SAID_END}.",
    "\"This is {ESC} escalation and a threat to {CITY},\" {S} said of the {FN} {U} in {PL}.",
    "\"We have evidence, including {EV}, that {NK} {U} are in {PL},\" {S} told {OUT}.",
    "\"What is happening in {PL} is {ESC} escalation,\" {S} {SAID_END}.",
    "\"The first {NK} {U} could enter combat {WHEN},\" {S} told {OUT} on {WD}.",
]

DISTRACTOR_TEMPLATES = [
    "Russia launched its full-scale invasion of Ukraine on Feb. 24, 2022, and the war reached its {DAYS} day on {D}.",
    "The two countries signed the {TR} in Pyongyang in June 2024, and Russia's lower house ratified it by {VOTES} "
    "votes to none on {D}.",
    "On {D}, Russian forces advanced {KMS} near {TOWN}, the general staff said.",
    "Washington announced a {USDP} aid package for Kyiv on {D}.",
    "North Korea has supplied Russia with {SH} artillery shells, including {MM} rounds, since {YR}, {REPORTER} said "
    "on {D}.",
    "Ukraine says Russia is losing about {CAS} soldiers a day, with {BIG} killed or wounded since February 2022.",
    "The Ukrainian general staff said {CAS} Russian casualties were recorded in the 24 hours to {D}.",
    "About {PCT} of the {MM} shells were said to be defective, according to {OUT}.",
    "The Korean War ended in an armistice in 1953, and about {USFK} U.S. troops remain in South Korea, {OUT} noted "
    "on {D}.",
    "Kim Jong Un and Vladimir Putin met in {CITYD} in {YR}; their talks lasted {HOURS} hours, state media said on {D}.",
    "Seoul has {USD} set aside for weapons purchases in {YN}, officials said on {D}.",
    "Russia fired {MM} shells and KN-23 missiles at Kharkiv, {KM} from the border, on {D}.",
    "The defence budget for {YN} rose by {PCT} to {USD}.",
    "Oil exports fell {PCT} in the third quarter, to {USD}, according to figures released on {D}.",
    "Ukrainian forces hold about {KM2} square kilometres of the Kursk region, down from {KM3} in August, according "
    "to {OUT}.",
    "The Kursk incursion began on Aug. 6, 2024, and reached {KM} into Russian territory by {D}.",
    "At {HOUR} a.m. on {D}, air raid sirens sounded across Kyiv for {MIN} minutes.",
    "Drones struck a fuel depot {KM} from {PL} on {D}, regional officials said.",
    "Russia has fired more than {BIGM} missiles and drones at Ukrainian cities since February 2022, Kyiv said on {D}.",
    "The exchange rate of the won fell {PCTD} percent against the dollar on {D}.",
]

BACKGROUND_TEMPLATES = [
    "The deployment of {F} {U} would be North Korea's first large-scale involvement in a foreign war since {YOLD}, "
    "{AN2} say.",
    "{AN} say Pyongyang is seeking {SUPS} for the {FN} {U} it is reported to have sent.",
    "{UNC} met in {CITYC} on {D}, at the request of {REQ}, to discuss the reports.",
    "Seoul summoned the Russian ambassador on {D}, the {NTH2} time since {FM}, to protest against Moscow's military "
    "cooperation with Pyongyang, {OUTLET} reported.",
    "{OUTLET} could not independently verify the figure of {FN} {U}.",
    "South Korea said on {D} it was considering sending {WEAPONS} directly to Ukraine, depending on what the {FN} "
    "{U} do.",
    "{UNC} warned on {D} of consequences for both Moscow and Pyongyang if the {FN} {U} enter combat.",
    "The language barrier is said to be a problem for the {FN} {U} in {PL}, with one interpreter for every {RATIO} "
    "soldiers, {AN2} say.",
    "The {TR}, which {RATIFIER} ratified on {D}, obliges each side to provide military aid if the other is attacked, "
    "{AN2} note.",
    "{AN} say the {U} would gain combat experience in {PL} that Pyongyang has lacked since {YOLD}.",
    "The reports, first published by {OUTLET} on {D}, could not be independently verified by {OUT}.",
]

TEMPLATE_COUNT = sum(len(t) for t in (
    CLAIM_FIGURE_TEMPLATES, CLAIM_TEMPLATES, DENIAL_TEMPLATES, NON_DENIAL_TEMPLATES, HEDGED_TEMPLATES,
    PRONOUN_TEMPLATES, PRONOUN_DENY_TEMPLATES, QUOTE_TEMPLATES, DISTRACTOR_TEMPLATES, BACKGROUND_TEMPLATES))

WEAPONS = ["weapons", "artillery shells", "air defence systems", "155 mm shells", "defensive weapons",
           "anti-tank weapons", "lethal weapons"]
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_TIMED = re.compile(r"\{WD\}|\{D\}|week|late on")


def sentence_key(sentence: str) -> str:
    """What makes two sentences the same: the text with whitespace runs as one space, typographic
    quotes as straight ones, case folded."""
    text = sentence.translate(_QUOTE_TABLE)
    return " ".join(text.split()).casefold()


_QUOTE_TABLE = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})

# --- sentence splitting for the checks ---------------------------------------------------------

# The abbreviations the templates write with a dot inside a sentence.
ABBREVIATIONS = frozenset("Jan. Feb. Aug. Sept. Oct. Nov. Dec. U.S. U.N. U.K. Gen. Maj. Lt. Col. Mr. Ms. Dr. St. "
                          "No. a.m. p.m.".split())
_BOUNDARY = re.compile(r"[.!?]+[\"\u201d\u2019)]*(?= [\"\u201c(]?[A-Z0-9])")
_HEADER = re.compile(r"\A(?:[ \t]*date[ \t]+\d\S*[ \t]+|(?:(?:date|title|outlet|url):[^\n]*\n)+)")


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph as the generator writes them: whitespace runs become one
    space; a sentence ends at . ! ? (and closing quotes) before a space and a capital, a digit
    or an opening quote, except after an abbreviation in ABBREVIATIONS."""
    text = " ".join(paragraph.split())
    sentences = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.group() == ".":
            token = text[text.rfind(" ", 0, match.start()) + 1:match.end()].lstrip("\"\u201c(")
            if token in ABBREVIATIONS:
                continue
        sentences.append(text[start:match.end()])
        start = match.end() + 1
    if text[start:]:
        sentences.append(text[start:])
    return sentences


def article_sentences(text: str) -> tuple[list[str], list[str]]:
    """(title lines of the header, sentences of the body) of one article file's text."""
    header = _HEADER.match(text)
    titles = []
    if header:
        titles = [line[len("title:"):].strip() for line in header.group().splitlines() if line.startswith("title:")]
        text = text[header.end():]
    sentences = [s for paragraph in re.split(r"\n[ \t]*\n", text) for s in split_sentences(paragraph)]
    return titles, sentences


def sentence_counts(folder: Path, splitter: Callable[[str], list[str]] | None = None) -> Counter:
    """Counter of sentence_key over every sentence (and title) of every .txt file in `folder`;
    `splitter(body) -> sentences` replaces the generator's own paragraph split."""
    counts: Counter = Counter()
    for path in sorted(Path(folder).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        titles, sentences = article_sentences(text)
        if splitter is not None:
            header = _HEADER.match(text)
            sentences = splitter(text[header.end():] if header else text)
        counts.update(sentence_key(s) for s in (*titles, *sentences))
    return counts


def repeated_sentences(folder: str | Path, splitter: Callable[[str], list[str]] | None = None) -> int:
    """How many sentences of the corpus in `folder` repeat one written before (the count of
    every sentence beyond its first occurrence, titles included); 0 for a corpus of this
    generator."""
    return sum(count - 1 for count in sentence_counts(Path(folder), splitter).values())


# --- articles ---------------------------------------------------------------------------------


class ArticleWriter:
    """Writes one article with its own random generator; `seen` holds the keys of every sentence
    written before (by earlier articles too) and grows with this article's."""

    MAX_TRIES = 200

    def __init__(self, rng: random.Random, seen: set[str]):
        self.rng = rng
        self.seen = seen
        self.last_pronoun = "They"
        self.last_side = "claims"
        self.last_place = ""
        self.timed = False  # this sentence's opener gives a time
        self.introduced: set[Speaker] = set()
        claimants = [self._pick(CLAIM_SPEAKERS, "claims") for _ in range(rng.randint(2, 4))]
        deniers = [self._pick(DENYING_SPEAKERS, "denies") for _ in range(rng.randint(1, 2))]
        self.cast = {"claims": claimants, "denies": deniers,
                     "neutral": deniers + [rng.choice(NEUTRAL_SPEAKERS)]}

    def _pick(self, pool: list[Speaker], side: str) -> Speaker:
        if self.rng.random() < 0.3:
            return _anonymous(self.rng, side)
        return self.rng.choice(pool)

    def _speaker(self, side: str) -> Speaker:
        cast = self.cast[side]
        return cast[0] if self.rng.random() < 0.45 else self.rng.choice(cast)

    def _value(self, key: str, side: str, speaker: list[Speaker | None], leading: bool) -> str:
        rng = self.rng
        if key in ("S", "A"):
            if speaker[0] is None:
                speaker[0] = self._speaker(side)
                self.last_pronoun = speaker[0].pronoun
                self.last_side = speaker[0].side
            current = speaker[0]
            if current in self.introduced:
                text = current.short
            else:
                text = current.full if key == "S" else current.full_plain
                self.introduced.add(current)
            if not leading and text.startswith(("The ", "A ", "An ")):
                text = text[0].lower() + text[1:]
            return text
        if key == "P":
            return self.last_pronoun
        if key == "P2":
            return {"He": "he", "She": "she", "It": "it", "They": "they"}[speaker[0].pronoun if speaker[0] else "It"]
        if key in ("F", "F2"):
            return troop_figure(rng)
        if key == "FN":
            return troop_figure(rng, numeric=True)
        if key == "OPEN":
            if rng.random() >= 0.35:
                return ""
            opener = rng.choice(OPENERS)
            text = self.fill(opener, side)
            self.timed = _TIMED.search(opener) is not None  # the verb then says no "on Monday"
            return text
        if key in ("PL", "PL2"):
            place = rng.choice(PLACES)
            while key == "PL2" and place == self.last_place:
                place = rng.choice(PLACES)
            self.last_place = place
            return place
        if key == "GROW":
            low = _number(rng)
            return f"from {low:,} to {low + rng.randrange(5, 80) * 100:,}"
        if key == "TOTAL":
            low = _number(rng)
            return f"{low + rng.randrange(5, 60) * 100:,} {rng.choice(NK)} {rng.choice(UNITS)}, up from {low:,}"
        if key == "DSPAN":
            month, days = rng.choice(MONTHS)
            first = rng.randint(1, days - 3)
            return f"{month} {first} and {month} {rng.randint(first + 1, days)}"
        if key == "DAYS":
            return _ordinal(rng.randint(960, 1_060))
        if key == "SUPS":
            first, second = rng.sample(SUPPORT, 2)
            return f"{first} in exchange for its support, as well as {second}"
        if key in ("SAID", "SAID_END", "CV", "DO", "WHEN"):
            pool = {"SAID": SAID, "SAID_END": SAID_END, "CV": CLAIM_VERBS, "DO": DENY_OBJECTS, "WHEN": WHEN}[key]
            if self.timed and key != "WHEN":
                pool = [entry for entry in pool if not _TIMED.search(entry)]
            return self._fill_parts(rng.choice(pool), side, speaker, False)
        simple: dict[str, Callable[[], str]] = {
            "U": lambda: rng.choice(UNITS),
            "NK": lambda: rng.choice(NK),
            "WD": lambda: rng.choice(WEEKDAYS),
            "D": lambda: _date(rng),
            "FM": lambda: rng.choice(FULL_MONTHS),
            "YR": lambda: rng.choice(["2023", "2024", "September 2023", "June 2024"]),
            "YN": lambda: rng.choice(["2025", "2026", "next year"]),
            "NB": lambda: _n(rng),
            "KMS": lambda: f"{rng.randint(1, 15)} km",
            "BIGM": lambda: f"{rng.randrange(9_000, 40_000, 10):,}",
            "USDP": lambda: rng.choice([f"${rng.randint(1, 9)}.{rng.randint(1, 9)} billion",
                                        f"${rng.randrange(50, 990, 10)} million", f"${rng.randint(1, 9)} billion"]),
            "YOLD": lambda: rng.choice(["the Korean War", "the 1950s", "the Vietnam War", "1953", "the 1960s"]),
            "KM": lambda: f"{rng.randint(2, 90)} km",
            "KM2": lambda: f"{rng.randrange(300, 900, 10):,}",
            "KM3": lambda: f"{rng.randrange(1_000, 1_400, 10):,}",
            "USD": lambda: _usd(rng),
            "MM": lambda: f"{rng.choice([122, 152, 155, 170, 240])} mm",
            "PCT": lambda: f"{rng.randint(3, 70)} percent",
            "PCTD": lambda: f"{rng.randint(0, 3)}.{rng.randint(1, 9)}",
            "CAS": lambda: _cas(rng),
            "BIG": lambda: f"{rng.randrange(100_000, 750_000, 10):,}",
            "SH": lambda: _shells(rng),
            "CITY": lambda: rng.choice(CITIES_DENIES if side == "denies" else CITIES_CLAIMS),
            "CITYC": lambda: rng.choice(["New York", "Brussels", "Geneva", "Vienna", "Tokyo", "Seoul"]),
            "CITYD": lambda: rng.choice(["Pyongyang", "Vladivostok", "Moscow", "the Vostochny cosmodrome"]),
            "OUT": lambda: rng.choice(TOLD_OUTLETS),
            "OUTLET": lambda: rng.choice(OUTLETS),
            "MED": lambda: rng.choice(MEDIA),
            "EV": lambda: rng.choice(EVIDENCE),
            "DW": lambda: rng.choice(DENIAL_WORDS),
            "ESC": lambda: rng.choice(ADJ_ESCALATION),
            "AN": lambda: rng.choice(ANALYSTS),
            "AN2": lambda: rng.choice(["analysts", "experts", "diplomats", "officials in Seoul", "observers"]),
            "UNC": lambda: rng.choice(COUNCILS),
            "TR": lambda: rng.choice(TREATY_WORDS),
            "FRONT": lambda: rng.choice(FRONTS),
            "HOUR": lambda: str(rng.randint(1, 11)),
            "MIN": lambda: str(rng.randint(20, 240)),
            "WEAPONS": lambda: rng.choice(WEAPONS),
            "VOTES": lambda: str(rng.randint(380, 420)),
            "TOWN": lambda: rng.choice(["Pokrovsk", "Kurakhove", "Vuhledar", "Toretsk", "Chasiv Yar", "Kupiansk",
                                        "Siversk", "Velyka Novosilka"]),
            "REPORTER": lambda: rng.choice(["South Korea's military", "the NIS", "Ukrainian intelligence",
                                            "officials in Seoul", "the Joint Chiefs of Staff"]),
            "USFK": lambda: f"{rng.randrange(27_000, 29_600, 100):,}",
            "HOURS": lambda: rng.choice(["two", "three", "four", "nearly five", "about two", "more than three"]),
            "REQ": lambda: rng.choice(["Ukraine", "South Korea", "the United States", "Japan", "France", "Britain",
                                       "Ukraine and its allies"]),
            "NTH2": lambda: rng.choice(["second", "third", "fourth", "first"]),
            "RATIO": lambda: str(rng.randint(20, 60)),
            "RATIFIER": lambda: rng.choice(["Russia's parliament", "the State Duma", "Pyongyang", "Putin",
                                            "North Korea's leadership"]),
            "FOE": lambda: rng.choice(["Kyiv", "Seoul", "Washington", "Western media", "the Ukrainian side",
                                       "the Kyiv regime", "NATO", "Western intelligence"]),
        }
        return simple[key]()

    def _fill_parts(self, template: str, side: str, speaker: list[Speaker | None], leading: bool) -> str:
        parts = _PLACEHOLDER.split(template)
        out: list[str] = []
        for number, part in enumerate(parts):
            if number % 2 == 0:
                out.append(part)
            else:
                out.append(self._value(part, side, speaker, leading and not "".join(out)))
        return "".join(out)

    def fill(self, template: str, side: str = "claims") -> str:
        self.timed = False
        text = self._fill_parts(template, side, [None], True)
        if self.rng.random() < 0.08:  # some typographic quotes and apostrophes, as in real copy
            text = re.sub(r"\"([^\"]*)\"", "\u201c\\1\u201d", text).replace("'s ", "\u2019s ")
        return text[0].upper() + text[1:]

    def _draw(self, kind: str) -> str:
        rng = self.rng
        if kind == "claim_figure":
            return self.fill(rng.choice(CLAIM_FIGURE_TEMPLATES))
        if kind == "claim":
            return self.fill(rng.choice(CLAIM_TEMPLATES))
        if kind == "denial":
            return self.fill(rng.choice(DENIAL_TEMPLATES), side="denies")
        if kind == "non_denial":
            return self.fill(rng.choice(NON_DENIAL_TEMPLATES), side="neutral")
        if kind == "hedged":
            return self.fill(rng.choice(HEDGED_TEMPLATES))
        if kind == "pronoun":
            return self.fill(rng.choice(PRONOUN_TEMPLATES if self.last_side == "claims" else PRONOUN_DENY_TEMPLATES))
        if kind == "quote":
            return self.fill(rng.choice(QUOTE_TEMPLATES))
        if kind == "distractor":
            return self.fill(rng.choice(DISTRACTOR_TEMPLATES))
        return self.fill(rng.choice(BACKGROUND_TEMPLATES))

    def sentence(self, kind: str | None = None) -> str:
        """A sentence of `kind` (default: drawn by weight) that no earlier sentence matches
        (sentence_key); drawn again, keeping the speakers' state, until one is new."""
        for _ in range(self.MAX_TRIES):
            chosen = kind or self.rng.choices(
                ["claim_figure", "claim", "denial", "non_denial", "hedged", "pronoun", "quote", "distractor",
                 "background"], weights=[20, 8, 8, 4, 10, 6, 6, 24, 10])[0]
            state = (self.last_pronoun, self.last_side, set(self.introduced))
            text = self._draw(chosen)
            key = sentence_key(text)
            if key not in self.seen:
                self.seen.add(key)
                return text
            self.last_pronoun, self.last_side, self.introduced = state
        raise RuntimeError(f"no new {kind or 'any'} sentence after {self.MAX_TRIES} draws; add slot values")

    def title(self) -> str:
        for _ in range(self.MAX_TRIES):
            text = self.fill(self.rng.choice(TITLES_FORMS))
            key = "title:" + sentence_key(text)
            if key not in self.seen:
                self.seen.add(key)
                return text
        raise RuntimeError("no new title")

    def body(self) -> str:
        """Lede (a claim with a figure, often a second sentence), then paragraphs of 1-3 sentences
        of any kind, usually one of them a denial or non-denial placed anywhere, and sometimes a
        closing background paragraph. Written in reading order, so speakers are introduced in
        full at their first mention and pronouns follow the speaker before them."""
        rng = self.rng
        target = int(rng.triangular(500, 3_400, 900))
        paragraphs = [[self.sentence("claim_figure")]]
        if rng.random() < 0.7:
            paragraphs[0].append(self.sentence(rng.choice(["claim", "hedged", "pronoun"])))
        denial_at = rng.randint(1, 4) if rng.random() < 0.75 else -1
        size = sum(len(s) + 1 for s in paragraphs[0])
        while size < target or len(paragraphs) <= denial_at:
            if len(paragraphs) == denial_at:
                paragraph = [self.sentence(rng.choice(["denial", "denial", "non_denial"]))]
                if rng.random() < 0.4:
                    paragraph.append(self.sentence("pronoun"))
            else:
                paragraph = [self.sentence() for _ in range(rng.choice([1, 1, 2, 2, 2, 3]))]
            paragraphs.append(paragraph)
            size += sum(len(s) + 1 for s in paragraph) + 1
        if rng.random() < 0.5:
            paragraphs.append([self.sentence("background")])
        texts = []
        for paragraph in paragraphs:
            text = " ".join(paragraph)
            if rng.random() < 0.04:  # a hard-wrapped paragraph: single newlines inside
                text = textwrap.fill(text, 72, break_on_hyphens=False, break_long_words=False)
            texts.append(text)
        return "\n\n".join(texts) + "\n"


def article_date(rng: random.Random) -> str:
    month = rng.choices([10, 11, 12], weights=[6, 3, 1])[0]
    return f"2024-{month:02d}-{rng.randint(1, 30 if month == 11 else 31):02d}"


def _article(seed: int, index: int, seen: set[str]) -> tuple[str, str, dict[str, str] | None]:
    rng = random.Random(f"{seed}:{index}")
    article_id = f"{index:05d}_{rng.getrandbits(40):010x}"
    writer = ArticleWriter(rng, seen)
    date = article_date(rng)
    style = rng.random()
    manifest_row = None
    if style < 0.55:
        header = [f"date: {date}"]
        if rng.random() < 0.5:
            header.append(f"title: {writer.title()}")
        if rng.random() < 0.5:
            header.append(f"outlet: {rng.choice(OUTLETS)}")
        text = "\n".join(header) + "\n\n" + writer.body()
    elif style < 0.65:
        text = f" date {date} " + writer.body()
    else:
        text = writer.body()
        if rng.random() < 0.7:
            manifest_row = {"article_id": article_id, "date": date, "outlet": rng.choice(OUTLETS),
                            "url": f"https://news.example/{article_id}", "title": writer.title(),
                            "date_basis": "synthetic"}
    return f"{article_id}.txt", text, manifest_row


def articles(seed: int, stop: int, start: int = 0) -> Iterator[tuple[str, str, dict[str, str] | None]]:
    """(file name, text, manifest row or None) of articles start..stop-1 of the corpus `seed`.
    The articles before `start` are generated too (not returned): their sentences decide which
    ones the later articles may not repeat."""
    seen: set[str] = set()
    for index in range(stop):
        article = _article(seed, index, seen)
        if index >= start:
            yield article


def make_article(seed: int, index: int) -> tuple[str, str, dict[str, str] | None]:
    """(file name, text, manifest row or None) of article `index` of the corpus `seed`."""
    return next(articles(seed, index + 1, index))


def write_articles(folder: Path, seed: int, stop: int, start: int = 0) -> tuple[int, list[dict[str, str]]]:
    """Write articles start..stop-1 into `folder`; (bytes written, their manifest rows)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    total = 0
    for name, text, row in articles(seed, stop, start):
        data = text.encode("utf-8")
        (folder / name).write_bytes(data)
        total += len(data)
        if row:
            rows.append(row)
    return total, rows


def write_manifest(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=MANIFEST_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def read_manifest_rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_corpus(folder: Path, count: int, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Write `count` articles (and manifest.csv) into `folder`; returns {files, bytes}."""
    total, rows = write_articles(folder, seed, count)
    write_manifest(folder / "manifest.csv", rows)
    return {"files": count, "bytes": total}


def add_articles(folder: Path, count: int, extra: int, seed: int = DEFAULT_SEED) -> list[str]:
    """Add articles count..count+extra-1 of the corpus `seed` to `folder` (which holds the first
    `count`), their rows appended to its manifest.csv; returns the new file names. Regenerates
    the first `count` articles in memory (a few seconds for 10,000) to keep every sentence new."""
    before = {p.name for p in folder.glob("*.txt")}
    _, rows = write_articles(folder, seed, count + extra, count)
    manifest = folder / "manifest.csv"
    write_manifest(manifest, read_manifest_rows(manifest) + rows)
    return sorted({p.name for p in folder.glob("*.txt")} - before)


def ensure_corpus(count: int, seed: int = DEFAULT_SEED, root: Path = CORPORA_DIR) -> tuple[Path, dict]:
    """The corpus folder of `count` articles under `root`, written when missing or stale.

    A stamp `<folder>.json` beside the folder records generator version, seed, count and
    sizes; any difference (or a missing stamp) rewrites the folder from scratch."""
    folder = root / f"articles_{count}"
    stamp = root / f"articles_{count}.json"
    wanted = {"generator_version": GENERATOR_VERSION, "seed": seed, "count": count}
    if stamp.is_file() and folder.is_dir():
        try:
            info = json.loads(stamp.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            info = {}
        if all(info.get(k) == v for k, v in wanted.items()):
            return folder, info
    stamp.unlink(missing_ok=True)
    if folder.exists():
        shutil.rmtree(folder)
    partial = root / f".articles_{count}.partial"
    if partial.exists():
        shutil.rmtree(partial)
    sizes = write_corpus(partial, count, seed)
    partial.rename(folder)
    info = {**wanted, **sizes}
    stamp.write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    return folder, info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", help="folder to write (created)")
    parser.add_argument("--check", metavar="FOLDER", help="only count the repeated sentences of FOLDER")
    args = parser.parse_args(argv)
    if args.check:
        counts = sentence_counts(Path(args.check))
        repeated = sum(c - 1 for c in counts.values())
        print(f"{args.check}: {sum(counts.values())} sentences and titles, {len(counts)} distinct, {repeated} repeated")
        for key, count in counts.most_common(5):
            if count > 1:
                print(f"  {count}x {key}")
        return 1 if repeated else 0
    if not args.out:
        parser.error("--out or --check is required")
    sizes = write_corpus(Path(args.out), args.count, args.seed)
    print(f"wrote {sizes['files']} articles, {sizes['bytes']} bytes, to {args.out} "
          f"({TEMPLATE_COUNT} templates, generator version {GENERATOR_VERSION})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
