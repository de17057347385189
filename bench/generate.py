"""Deterministic synthetic news corpora for the benchmark.

Each article is built from sentence templates written for this benchmark: claims that North
Korean troops are in Russia with figures in many forms ("about 3,000", "11 to 12,000",
"between 10,000 and 12,000", "thousands"), named speakers, organisations, anonymous officials
and pronouns, denials ("called the reports a hoax"), non-denials ("did not deny"), hedges, and
distractor numbers (years, "Oct. 29", "30 km", "$2 billion", "170 mm", "1,200 Russian
casualties a day", "40 percent"). Paragraphs are separated by blank lines; articles are about
3-5 KB; most start with a `date:` header (some with `title:`/`outlet:` too, some with the
inline ` date 2024-10-12 ` form) and the rest get their date from a manifest.csv.

Everything comes from `random.Random` seeded per article (seed, index), so a corpus is the
same bytes on every machine and article i does not depend on how many were generated.
`ensure_corpus` writes a corpus once under bench/corpora/ and rewrites it when the stamp file
beside it names another GENERATOR_VERSION, seed or size.

    python -m bench.generate --count 1000 --out /tmp/corpus   # write one corpus by hand
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Bump whenever the output of the generator changes: stored corpora are then rewritten.
GENERATOR_VERSION = 1
DEFAULT_SEED = 20241029
CORPORA_DIR = Path(__file__).resolve().parent / "corpora"


@dataclass(frozen=True)
class Speaker:
    """Who says something: the subject form, the form after "according to", the pronoun."""

    subject: str
    after_according: str
    pronoun: str  # "He", "She", "It" or "They"
    side: str  # "claims" (Ukraine, South Korea, the West) or "denies" (Russia, North Korea)


def _s(subject: str, pronoun: str, side: str = "claims", according: str | None = None) -> Speaker:
    return Speaker(subject, according or subject, pronoun, side)


CLAIMING_SPEAKERS = [
    _s("Ukrainian President Volodymyr Zelensky", "He", according="Ukrainian President Volodymyr Zelensky"),
    _s("Zelensky", "He"),
    _s("President Zelenskyy", "He"),
    _s("Kyrylo Budanov, the head of Ukraine's military intelligence,", "He", according="Kyrylo Budanov"),
    _s("Budanov", "He"),
    _s("Andriy Yusov, a spokesman for Ukrainian military intelligence,", "He", according="Andriy Yusov"),
    _s("Ukrainian officials", "They"),
    _s("Ukraine's defence ministry", "It", according="Ukraine's defence ministry"),
    _s("South Korea's National Intelligence Service (NIS)", "It", according="South Korea's National Intelligence Service"),
    _s("The NIS", "It", according="the NIS"),
    _s("South Korean Defence Minister Kim Yong-hyun", "He"),
    _s("Lawmakers briefed by the NIS", "They", according="lawmakers briefed by the NIS"),
    _s("The Pentagon", "It", according="the Pentagon"),
    _s("Pentagon spokesperson Sabrina Singh", "She"),
    _s("A senior U.S. defense official", "He", according="a senior U.S. defense official"),
    _s("U.S. Defense Secretary Lloyd Austin", "He"),
    _s("NATO Secretary General Mark Rutte", "He"),
    _s("A Western official", "He", according="a Western official"),
    _s("Western intelligence officials", "They"),
    _s("A Ukrainian military intelligence source", "He", according="a Ukrainian military intelligence source"),
]

DENYING_SPEAKERS = [
    _s("Kremlin spokesman Dmitry Peskov", "He", "denies"),
    _s("Peskov", "He", "denies"),
    _s("Russia's foreign ministry", "It", "denies", according="Russia's foreign ministry"),
    _s("North Korea's state news agency KCNA", "It", "denies", according="North Korea's state news agency KCNA"),
    _s("KCNA", "It", "denies"),
    _s("Pyongyang's vice foreign minister Kim Jong Gyu", "He", "denies"),
    _s("Russian Deputy Foreign Minister Andrei Rudenko", "He", "denies"),
    _s("North Korea's mission to the United Nations", "It", "denies", according="North Korea's UN mission"),
]

UNITS = ["troops", "soldiers", "servicemen", "military personnel", "special forces troops",
         "infantry troops", "combat troops"]
NK = ["North Korean", "North Korean", "North Korean", "DPRK"]
PLACES = ["the Kursk region", "Russia's Far East", "Primorsky Krai", "training grounds near Ussuriysk",
          "the Khabarovsk region", "bases in eastern Russia", "the front-line areas", "the Donetsk region",
          "Vladivostok", "the border area"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [("Oct.", 31), ("Nov.", 30), ("Dec.", 31), ("Sept.", 30)]
OUTLETS = ["Kyiv Independent", "Yonhap", "Reuters", "The Guardian", "Associated Press", "Korea Herald",
           "BBC News", "Ukrainska Pravda", "NK News", "Financial Times"]
TITLES = ["North Korean troops reach Russia's front line", "Seoul says Pyongyang sent more soldiers",
          "Kremlin dismisses reports of North Korean deployment", "What we know about North Korea's troops",
          "Ukraine warns of North Korean units in Kursk", "Pentagon raises its estimate of DPRK troops"]

# --- troop figures ---------------------------------------------------------------------------

_ROUND = [500, 1_000, 1_500, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000, 10_000, 11_000,
          12_000, 15_000]


def _n(rng: random.Random) -> str:
    return f"{rng.choice(_ROUND):,}"


def _range(rng: random.Random) -> tuple[int, int]:
    low = rng.choice([1_000, 2_000, 3_000, 5_000, 8_000, 10_000, 11_000])
    return low, low + rng.choice([1_000, 2_000, 2_000, 5_000])


def troop_figure(rng: random.Random, numeric: bool = False) -> str:
    """A number of people in one of the forms news articles use, written to stand before a
    noun ("thousands of"); `numeric`: only forms with digits."""
    form = rng.choice([*range(15), 19, 21]) if numeric else rng.randrange(22)
    if form == 0:
        return f"about {_n(rng)}"
    if form == 1:
        return f"around {_n(rng)}"
    if form == 2:
        return f"some {_n(rng)}"
    if form == 3:
        return f"roughly {_n(rng)}"
    if form == 4:
        return f"approximately {_n(rng)}"
    if form == 5:
        return f"nearly {_n(rng)}"
    if form == 6:
        return f"more than {_n(rng)}"
    if form == 7:
        return f"at least {_n(rng)}"
    if form == 8:
        return f"up to {_n(rng)}"
    if form == 9:
        return f"as many as {_n(rng)}"
    if form == 10:
        return _n(rng)
    if form == 11:
        low, high = _range(rng)
        return f"{low // 1000} to {high:,}"  # "11 to 12,000"
    if form == 12:
        low, high = _range(rng)
        return f"between {low:,} and {high:,}"
    if form == 13:
        low, high = _range(rng)
        return f"{low:,} to {high:,}"
    if form == 14:
        low, high = _range(rng)
        return f"{low:,}-{high:,}"
    if form == 15:
        return "thousands of"
    if form == 16:
        return "several thousand"
    if form == 17:
        return "tens of thousands of"
    if form == 18:
        return rng.choice(["a few hundred", "hundreds of", "several hundred"])
    if form == 19:
        return f"an estimated {_n(rng)}"
    if form == 20:
        return rng.choice(["ten thousand", "three thousand", "twelve thousand"])
    return f"{rng.choice([10, 11, 12, 15])},000 or so"


# --- distractor numbers ------------------------------------------------------------------------

def _date(rng: random.Random) -> str:
    month, days = rng.choice(MONTHS)
    return f"{month} {rng.randint(1, days)}"


def _year(rng: random.Random) -> str:
    return str(rng.choice([1950, 1953, 2014, 2018, 2019, 2022, 2023, 2024, 2025]))


def _km(rng: random.Random) -> str:
    return f"{rng.choice([5, 10, 15, 30, 40, 50, 120, 300])} km"


def _usd(rng: random.Random) -> str:
    return rng.choice([f"${rng.randint(1, 9)} billion", f"${rng.choice([50, 100, 250, 400])} million",
                       f"{rng.randint(2, 20)} billion dollars"])


def _mm(rng: random.Random) -> str:
    return f"{rng.choice([122, 152, 155, 170, 240])} mm"


def _pct(rng: random.Random) -> str:
    return f"{rng.choice([10, 15, 20, 25, 30, 40, 60])} percent"


def _cas(rng: random.Random) -> str:
    return f"{rng.choice([1, 1, 1, 1, 2])},{rng.choice([100, 200, 300, 500, 700])}"


def _shells(rng: random.Random) -> str:
    return rng.choice(["8 million", "5 million", "millions of", "20,000 containers of", "13,000 containers of"])


# --- templates ---------------------------------------------------------------------------------
# Placeholders: {S} speaker subject, {A} speaker after "according to", {P} pronoun of the last
# speaker, {F}/{F2} troop figures ({FN}: digits only), {U} unit word, {NK} "North Korean"/"DPRK", {PL} place,
# {WD} weekday, {D} date like "Oct. 29", {Y} year, {KM}, {USD}, {MM}, {PCT}, {CAS}, {SH}.

CLAIM_FIGURE_TEMPLATES = [
    "{S} said on {WD} that {F} {NK} {U} had arrived in {PL}.",
    "{S} said {F} {NK} {U} were being trained in {PL}.",
    "According to {A}, {F} {NK} {U} are now in {PL}.",
    "\"There are already {F} {NK} {U} in {PL},\" {S} told reporters.",
    "{S} estimated that {F} {NK} {U} had been sent to Russia.",
    "{S} told a news conference that North Korea had deployed {F} {U} to {PL}.",
    "{S} reported that {F} {NK} {U} were moving toward {PL}.",
    "{S} confirmed that {F} {NK} {U} had crossed into Russia by {D}.",
    "In a briefing on {D}, {S} put the number of {NK} {U} in Russia at {FN}.",
    "{F} {NK} {U} have been spotted in {PL}, {S} said.",
    "{S} said the number of {NK} {U} in {PL} had grown from {FN} to {FN}.",
    "Citing intelligence reports, {S} said {F} {NK} {U} were stationed in {PL}.",
    "{S} wrote on X that {F} {NK} {U} would join Russian units in {PL}.",
    "{S} said Pyongyang had sent {F} {U}, including generals, to {PL}.",
    "According to {A}, North Korea has so far sent {F} {U} to fight for Moscow.",
    "{S} said satellite images showed {F} {NK} {U} at {PL}.",
]

CLAIM_TEMPLATES = [
    "{S} said {NK} {U} were already fighting alongside Russian forces in {PL}.",
    "According to {A}, the first {NK} units reached {PL} on {D}.",
    "{S} accused Pyongyang of sending {U} to help Moscow in its war against Ukraine.",
    "{S} said the deployment of {NK} {U} marked a dangerous escalation.",
    "{S} warned that {NK} {U} could be sent to the front within weeks.",
    "\"This is the first step to a world war,\" {S} said of the deployment.",
    "{S} said {NK} officers had been seen in occupied areas of Ukraine.",
]

DENIAL_TEMPLATES = [
    "{S} called the reports a hoax.",
    "{S} dismissed the claims as \"fake news\".",
    "{S} denied that any {NK} {U} were in Russia.",
    "{S} described the reports of a deployment as groundless rumours.",
    "{S} said the allegations about {NK} {U} were baseless.",
    "{S} called the reports of {NK} {U} in {PL} another fabrication by Kyiv.",
    "\"This is nonsense,\" {S} said when asked about {NK} {U} in {PL}.",
    "{S} rejected the reports as a smear campaign by the West.",
    "{S} dismissed reports of {NK} {U} in Russia as disinformation.",
]

NON_DENIAL_TEMPLATES = [
    "{S} did not deny the reports, saying cooperation with Pyongyang was a sovereign matter.",
    "{S} neither confirmed nor denied that {NK} {U} were in {PL}.",
    "{S} declined to comment on the reports of {NK} {U} in Russia.",
    "Asked about {NK} {U} in {PL}, {S} did not deny it and said the treaty allowed it.",
    "{S} refused to confirm or deny the presence of {NK} {U}.",
    "{S} said it was \"our business\" how the mutual defence treaty was carried out, without denying the reports.",
]

HEDGED_TEMPLATES = [
    "{S} said {F} {NK} {U} could be deployed to {PL} by {D}.",
    "{S} said it was highly likely that {FN} more {U} would follow.",
    "Up to {F} {NK} {U} are reportedly being trained in {PL}.",
    "{F} {NK} {U} may already be in {PL}, {S} said.",
    "It is thought that {F} {NK} {U} were moved to {PL} on {D}.",
    "{S} said the figure could rise to {F2} {U} by the end of the year.",
    "{NK} {U}, possibly {FN}, are believed to be stationed in {PL}.",
    "{S} said {F} {U} were expected to reach the front line by {D}.",
    "If confirmed, the deployment of {F} {U} would be North Korea's largest since {Y}.",
]

PRONOUN_TEMPLATES = [
    "{P} added that {FN} more {U} were expected.",
    "{P} said the {U} had been issued Russian uniforms and documents.",
    "{P} did not say how the figure had been established.",
    "{P} gave no further details.",
    "{P} said {F2} {U} could follow in the coming months.",
    "{P} also called the reports a provocation.",
]

DISTRACTOR_TEMPLATES = [
    "Russia launched its full-scale invasion of Ukraine in February 2022.",
    "The two countries signed a mutual defence treaty in June {Y}.",
    "On {D}, Russian forces advanced {KM} near Pokrovsk, the general staff said.",
    "Washington announced a {USD} aid package for Kyiv on {D}.",
    "North Korea has supplied Russia with {SH} artillery shells, including {MM} rounds.",
    "Ukraine says Russia is losing about {CAS} soldiers a day.",
    "The Ukrainian general staff said {CAS} Russian casualties were recorded in the past day.",
    "About {PCT} of the shells were said to be defective.",
    "The Korean War ended in an armistice in 1953, not a peace treaty.",
    "Kim Jong Un and Vladimir Putin last met in Pyongyang in June {Y}.",
    "Seoul has {USD} in reserve for weapons purchases, officials said on {D}.",
    "Russia fired {MM} shells and KN-23 missiles at Kharkiv, {KM} from the border.",
    "The defence budget for {Y} rose by {PCT}.",
    "Oil exports fell {PCT} in the third quarter of {Y}.",
    "The summit in {Y} produced no agreement on sanctions.",
    "The Kursk incursion began on Aug. 6, {Y}, and reached {KM} into Russian territory.",
    "At 9 a.m. on {D}, air raid sirens sounded across Kyiv for {CAS} seconds.",
]

BACKGROUND_TEMPLATES = [
    "The deployment would be North Korea's first large-scale involvement in a foreign war in decades.",
    "Analysts say Pyongyang is seeking Russian technology in exchange for its support.",
    "The United Nations Security Council met to discuss the reports.",
    "Seoul summoned the Russian ambassador to protest against the military cooperation.",
    "The reports could not be independently verified.",
    "South Korea said it was considering sending weapons directly to Ukraine.",
    "Western governments have warned of consequences for both Moscow and Pyongyang.",
    "The language barrier is said to be a problem for joint units.",
]

TEMPLATE_COUNT = sum(len(t) for t in (
    CLAIM_FIGURE_TEMPLATES, CLAIM_TEMPLATES, DENIAL_TEMPLATES, NON_DENIAL_TEMPLATES,
    HEDGED_TEMPLATES, PRONOUN_TEMPLATES, DISTRACTOR_TEMPLATES, BACKGROUND_TEMPLATES))

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class ArticleWriter:
    """Writes one article with its own random generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.last_pronoun = "They"

    def _speaker(self, side: str) -> Speaker:
        pool = CLAIMING_SPEAKERS if side == "claims" else DENYING_SPEAKERS
        speaker = self.rng.choice(pool)
        self.last_pronoun = speaker.pronoun
        return speaker

    def fill(self, template: str, side: str = "claims") -> str:
        rng = self.rng
        speaker: Speaker | None = None
        pronoun = self.last_pronoun

        def value(match: re.Match[str]) -> str:
            nonlocal speaker
            key = match.group(1)
            if key in ("S", "A"):
                if speaker is None:
                    speaker = self._speaker(side)
                if key == "A":
                    return speaker.after_according
                subject = speaker.subject
                if match.start() > 0 and subject.startswith(("The ", "A ", "Lawmakers ")):
                    subject = subject[0].lower() + subject[1:]  # "..., the Pentagon said."
                return subject
            simple: dict[str, Callable[[], str]] = {
                "P": lambda: pronoun,
                "F": lambda: troop_figure(rng),
                "F2": lambda: troop_figure(rng),
                "FN": lambda: troop_figure(rng, numeric=True),
                "U": lambda: rng.choice(UNITS),
                "NK": lambda: rng.choice(NK),
                "PL": lambda: rng.choice(PLACES),
                "WD": lambda: rng.choice(WEEKDAYS),
                "D": lambda: _date(rng),
                "Y": lambda: _year(rng),
                "KM": lambda: _km(rng),
                "USD": lambda: _usd(rng),
                "MM": lambda: _mm(rng),
                "PCT": lambda: _pct(rng),
                "CAS": lambda: _cas(rng),
                "SH": lambda: _shells(rng),
            }
            return simple[key]()

        text = _PLACEHOLDER.sub(value, template)
        if rng.random() < 0.08:  # some typographic quotes and apostrophes, as in real copy
            text = re.sub(r"\"([^\"]*)\"", "\u201c\\1\u201d", text).replace("'s ", "\u2019s ")
        return text[0].upper() + text[1:]

    def sentence(self) -> str:
        rng = self.rng
        kind = rng.choices(
            ["claim_figure", "claim", "denial", "non_denial", "hedged", "pronoun", "distractor", "background"],
            weights=[22, 8, 8, 4, 10, 6, 24, 10])[0]
        if kind == "claim_figure":
            return self.fill(rng.choice(CLAIM_FIGURE_TEMPLATES))
        if kind == "claim":
            return self.fill(rng.choice(CLAIM_TEMPLATES))
        if kind == "denial":
            return self.fill(rng.choice(DENIAL_TEMPLATES), side="denies")
        if kind == "non_denial":
            return self.fill(rng.choice(NON_DENIAL_TEMPLATES), side="denies")
        if kind == "hedged":
            return self.fill(rng.choice(HEDGED_TEMPLATES), side=rng.choice(["claims", "claims", "denies"]))
        if kind == "pronoun":
            return self.fill(rng.choice(PRONOUN_TEMPLATES))
        if kind == "distractor":
            return self.fill(rng.choice(DISTRACTOR_TEMPLATES))
        return self.fill(rng.choice(BACKGROUND_TEMPLATES))

    def body(self) -> str:
        rng = self.rng
        target = rng.randint(3_000, 4_800)
        paragraphs = [" ".join([self.fill(rng.choice(CLAIM_FIGURE_TEMPLATES)), self.sentence()])]
        size = len(paragraphs[0])
        while size < target:
            sentences = [self.sentence() for _ in range(rng.randint(1, 4))]
            paragraph = " ".join(sentences)
            if rng.random() < 0.05:  # a hard-wrapped paragraph: single newlines inside
                paragraph = paragraph.replace(". ", ".\n", 1)
            paragraphs.append(paragraph)
            size += len(paragraph) + 2
        return "\n\n".join(paragraphs) + "\n"


def article_date(rng: random.Random) -> str:
    month = rng.choices([10, 11, 12], weights=[6, 3, 1])[0]
    return f"2024-{month:02d}-{rng.randint(1, 30 if month == 11 else 31):02d}"


def make_article(seed: int, index: int) -> tuple[str, str, dict[str, str] | None]:
    """(file name, text, manifest row or None) of article `index` of the corpus `seed`."""
    rng = random.Random(f"{seed}:{index}")
    article_id = f"{index:05d}_{rng.getrandbits(40):010x}"
    writer = ArticleWriter(rng)
    date = article_date(rng)
    style = rng.random()
    manifest_row = None
    if style < 0.55:
        header = [f"date: {date}"]
        if rng.random() < 0.5:
            header.append(f"title: {rng.choice(TITLES)}")
        if rng.random() < 0.5:
            header.append(f"outlet: {rng.choice(OUTLETS)}")
        text = "\n".join(header) + "\n\n" + writer.body()
    elif style < 0.65:
        text = f" date {date} " + writer.body()
    else:
        text = writer.body()
        if rng.random() < 0.7:
            manifest_row = {"article_id": article_id, "date": date, "outlet": rng.choice(OUTLETS),
                            "url": f"https://news.example/{article_id}", "title": rng.choice(TITLES),
                            "date_basis": "synthetic"}
    return f"{article_id}.txt", text, manifest_row


def write_corpus(folder: Path, count: int, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Write `count` articles (and manifest.csv) into `folder`; returns {files, bytes}."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    total = 0
    for index in range(count):
        name, text, row = make_article(seed, index)
        data = text.encode("utf-8")
        (folder / name).write_bytes(data)
        total += len(data)
        if row:
            rows.append(row)
    with (folder / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["article_id", "date", "outlet", "url", "title", "date_basis"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return {"files": count, "bytes": total}


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
    parser.add_argument("--out", required=True, help="folder to write (created)")
    args = parser.parse_args(argv)
    sizes = write_corpus(Path(args.out), args.count, args.seed)
    print(f"wrote {sizes['files']} articles, {sizes['bytes']} bytes, to {args.out} "
          f"({TEMPLATE_COUNT} templates, generator version {GENERATOR_VERSION})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
