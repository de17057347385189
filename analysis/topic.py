"""Is a statement about the topic? By default: North Korean military personnel in Russia's war.

What is specific to a story is data in its topic folder (`analysis/topics/<name>/`): the terms
of `topic_terms.csv` (groups subject, personnel, movement, event, materiel), the regular-
expression fragments of `patterns.csv` that the rules put into their patterns (StoryRules),
and the words of `labels.csv` that titles, axes and legends use. A caller may pass its own
terms instead."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from .lexicon import Gated, Lexicon, LexiconError, read_rows, word_pattern
from .paths import DEFAULT_TOPIC_DIR

LABEL_KEYS = ("title", "report_heading", "growth_chart_title", "personnel_axis", "casualties_axis", "claim_legend")
TERM_GROUPS = ("subject", "personnel", "movement", "event", "materiel")
PATTERN_KEYS = ("subject_words", "subject_adjective", "subject_of", "other_sides_claimant", "other_actor_subject",
                "subject_included", "subject_included_gate", "subject_people", "other_force_adjective",
                "other_force_country")


@functools.lru_cache(maxsize=8)
def topic_patterns(topic_dir: str | None = None) -> dict[str, str]:
    """The story's regular-expression fragments (patterns.csv of the topic folder), each
    checked to compile; a LexiconError names the file and the line of a bad or missing one."""
    path = Path(topic_dir or DEFAULT_TOPIC_DIR) / "patterns.csv"
    rows = read_rows(path, ("name", "pattern"))
    for row in rows:
        try:
            re.compile(row["pattern"])
        except re.error as error:
            raise LexiconError(f"{path}: line {row['_line']}: pattern {row['name']!r} does not compile ({error})") \
                from None
    patterns = {row["name"]: row["pattern"] for row in rows}
    missing = [key for key in PATTERN_KEYS if not patterns.get(key)]
    if missing:
        raise LexiconError(f"{path}: missing pattern(s) {', '.join(missing)}")
    return patterns


@functools.lru_cache(maxsize=8)
def topic_labels(topic_dir: str | None = None) -> dict[str, str]:
    """The story's words for titles, axes and legends (labels.csv of the topic folder); a
    LexiconError names the file and the key that is missing."""
    path = Path(topic_dir or DEFAULT_TOPIC_DIR) / "labels.csv"
    labels = {row["key"]: row["value"] for row in read_rows(path, ("key", "value"))}
    missing = [key for key in LABEL_KEYS if not labels.get(key)]
    if missing:
        raise LexiconError(f"{path}: missing label(s) {', '.join(missing)}")
    return labels


# The personnel nouns a force is counted in, general English.
_FORCE_NOUNS = (r"troops|soldiers|forces|personnel|units|servicemen|army|marines|paratroopers|defenders|officers|men|"
                r"infantry|casualties|losses|dead|prisoners")

# Soldiers, and the hired men a story may be about: what both lists below name.
_SOLDIER_NOUNS = r"troops|soldiers|forces|personnel|units|servicemen|fighters|mercenaries|contractors"

# The people a claim's object may name ("reports about North Korean troops", "allegations
# against Russian contractors"): soldiers, hired men and those sent to advise.
_OBJECT_FORCE_NOUNS = _SOLDIER_NOUNS + r"|instructors|advisers|advisors"

# Who may be said to be somewhere, or not: the nouns of a denial of presence.
_PRESENT_NOUNS = _SOLDIER_NOUNS + r"|officers|men|combatants|military"


@dataclass(frozen=True)
class StoryRules:
    """The rules' patterns that hold the story's words (the topic folder's patterns.csv),
    compiled once per topic folder."""

    # Another side's forces ("Russian troops", "Ukraine has lost ... soldiers"): not the subject's.
    other_force: re.Pattern
    # A count word with a number that counts nothing else ("a total of 14 drone sightings").
    count: re.Pattern
    # What a denial can be of: reports, the deployment, the subject ("denied the reports").
    report_object: re.Pattern
    # Another actor as the subject of a reported claim ("reports that Kyiv ...").
    other_actor_subject: re.Pattern
    # The troops named in a claim's object ("South Korean reports about the troops").
    troops_in_object: re.Pattern
    # Claims that belong to a named side ("Ukrainian claims"), which a denial may reject.
    other_sides_claims: re.Pattern
    # The subject within a larger force ("45,000 troops, including ..."), tried only on text
    # holding one of its gate words.
    including_subject: Gated
    # The subject's people as a plain noun.
    subject_people: re.Pattern
    # A statement that the subject is not there, or is something else ("there are no
    # mercenaries here", "they are instructors, not soldiers"): a denial in the speaker's words.
    absence: re.Pattern


@functools.lru_cache(maxsize=8)
def story_rules(topic_dir: str | None = None) -> StoryRules:
    """The compiled StoryRules of a topic folder (default: the bundled story's)."""
    story = topic_patterns(topic_dir)
    return StoryRules(
        other_force=re.compile(
            r"\b(?:" + story["other_force_adjective"] + r")"
            r"\s+(?:\w+\s+){0,2}?(?:" + _FORCE_NOUNS + r")\b|"
            r"\b(?:" + story["other_force_country"] + r")\s+(?:(?:is|was|has\s+been|had\s+been|has|had)\s+)?"
            r"(?:losing|lost|loses)\s+"
            r"(?:\S+\s+){0,4}?(?:troops|soldiers|personnel|servicemen|men)\b|"
            r"\b(?:" + story["other_force_country"] + r")(?:,\s*(?:which|whose\s+[^,;.]{1,60}?))?\s+"
            r"(?:has|had|have|keeps|kept|maintains)\s+(?:\S+\s+){0,5}?"
            r"(?:troops|soldiers|personnel|servicemen|men)\b"),
        count=re.compile(
            r"\b(?:total|number|figure|estimate|tally|count|contingent|toll)\b[^.;]{0,40}\d[\d,.]*"
            r"(?!\s+(?!(?:more|of|troops|soldiers|personnel|servicemen|men|" + story["subject_adjective"] + r")\b)"
            r"[a-z]{3,})|\d[\d,.]*\s+(?:cited|given|reported|estimated)\b", re.IGNORECASE),
        report_object=re.compile(
            r"\b(?:reports?|claims?|allegations?|accusations?|information|speculation|rumou?rs?|accounts?|"
            r"presence|involvement|participation|deployment|deployments|sending|sent|dispatch|dispatching|"
            r"deploying|" + story["subject_words"] + r"|such)\b", re.IGNORECASE),
        other_actor_subject=re.compile(r"\s*(?:" + story["other_actor_subject"] + r")\b"),
        troops_in_object=re.compile(
            r"\b(?:(?:" + story["subject_adjective"] + r")\s+(?:\w+\s+)?(?:" + _OBJECT_FORCE_NOUNS + r"|deployment)|"
            r"the\s+(?:" + _OBJECT_FORCE_NOUNS + r"|deployment|presence)|"
            r"(?:deployment|presence|sending|dispatch)\s+of\s+(?:" + story["subject_of"] + r"|troops|soldiers))\b",
            re.IGNORECASE),
        other_sides_claims=re.compile(
            r"\b(?:" + story["other_sides_claimant"] + r")\s+(?:\w+\s+)?(?:claims?|reports?|statements?|assertions?|"
            r"allegations?|accounts?|propaganda|narrative)\b"),
        including_subject=Gated(re.compile(
            r"[^.;]{0,40}?,?\s*\b(?:including|among\s+them|among\s+whom|along\s+with|alongside|together\s+with|plus)"
            r"\s+(?:the\s+|some\s+|several\s+|[\d,]+\s+)?(?:" + story["subject_included"] + r")", re.IGNORECASE),
            tuple(story["subject_included_gate"].split())),
        subject_people=re.compile(r"\b(?:" + story["subject_people"] + r")\b"),
        absence=re.compile(
            r"\b(?:there\s+(?:is|are|was|were|have\s+been|has\s+been|had\s+been)\s+no|(?<![\w-])no)\s+"
            r"(?:(?:" + story["subject_adjective"] + r")\s+(?:\w+\s+)?(?:" + _PRESENT_NOUNS + r")|"
            + story["subject_people"] + r")\b(?![^.;]{0,60}\b(?:yet|so\s+far)\b)|"
            r"\b(?:(?:has|have|had)\s+sent\s+no|(?:did|does|do|has|have|had)\s+not\s+(?:send|sent)(?:\s+any)?|"
            r"(?:(?:has|have|had)\s+)?never\s+sent(?:\s+any)?)\s+(?:\w+\s+)?(?:" + _PRESENT_NOUNS + r"|them)\b"
            r"(?![^.;]{0,60}\bbut\b)|"
            r"\b(?:are|were|is|was)\s+(?:only\s+|just\s+|merely\s+)?(?:[\w-]+\s+){0,3}?[\w-]+,?\s+not\s+"
            r"(?:(?:" + story["subject_adjective"] + r")\s+)?(?:" + _PRESENT_NOUNS + r"|" + story["subject_people"] + r")\b",
            re.IGNORECASE),
    )


_PLURAL_PRONOUN = re.compile(r"\bthey\b|\b(?:of|among|most|many|some)\s+(?:them|whom)\b", re.IGNORECASE)
_QUOTED_THEIR = re.compile(r"\b(?:their|them)\b", re.IGNORECASE)  # these count only inside a quote
_CIVILIANS = re.compile(r"(?:\b[\d,.]+\s+(?:\w+\s+)?)?\bcivilians\b", re.IGNORECASE)
_POSSESSED_FORCE = re.compile(r"\bits\s+(?:own\s+)?(?:troops|forces|units|soldiers|servicemen|men)\b", re.IGNORECASE)
_SOME_COUNT = re.compile(r"\d|\b(?:number|toll|figure|dozens|hundreds|thousands)\b", re.IGNORECASE)
# A definite word before an event noun points back to the event the sentences before reported.
_POINTS_BACK = re.compile(r"\b(?:the|their|these|those|this)\s+(?:(?:reported|alleged|latest|recent)\s+)?$",
                          re.IGNORECASE)
# The count the sentences before gave, pointed back to: "the number could rise", "the casualty
# figures" (not "the number of drones": what it counts is named, and checked elsewhere).
_COUNT_POINTS_BACK = re.compile(
    r"\b(?:the|that|this|these|those|its|their)\s+(?:(?:casualty|death|troop|official|latest|new|real|true|actual|"
    r"total|overall)\s+)?(?:number|numbers|figure|figures|count|tally|estimate|estimates)\b(?!\s+(?:of|for|on)\b)",
    re.IGNORECASE)
_OF_WHOM = re.compile(r"\s+(?:of|among)\b", re.IGNORECASE)
_DEPLOYMENT = re.compile(r"\b(?:deployment|deployments|dispatch)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Topic:
    """Compiled topic terms: one pattern per group."""

    subject: re.Pattern
    personnel: re.Pattern
    movement: re.Pattern
    event: re.Pattern
    materiel: re.Pattern
    rules: StoryRules = field(default_factory=story_rules, compare=False, repr=False)
    # The same sentence is asked about several times (per speaker, per figure): remember answers.
    _seen: dict = field(default_factory=dict, compare=False, repr=False)

    def names_subject(self, text: str) -> bool:
        """True when text names the subject country (North Korea, Pyongyang, DPRK...)."""
        found = self._seen.get(text)
        if found is None:
            if len(self._seen) > 100_000:
                self._seen.clear()
            found = self._seen[text] = self.subject.search(text) is not None
        return found

    def names_personnel(self, text: str) -> bool:
        """True when text speaks of personnel, or of sending/deploying/killing without naming materiel."""
        if self.personnel.search(text):
            return True
        return bool(self.movement.search(text) or self.event.search(text)) and not self.materiel.search(text)

    def is_about(self, text: str, sentence_subject: bool = False, recent_subject: bool = False) -> bool:
        """True when text (a statement) is about the topic.

        It is when it names the subject country and personnel. It also is when the subject was
        named elsewhere in its sentence (`sentence_subject`) or in the sentences just before
        (`recent_subject`) and the statement speaks of personnel ("they will be deployed",
        "the soldiers") — but not of another country's troops ("Russia is losing 1,200
        soldiers a day", "Ukrainian forces")."""
        if self.names_subject(text):
            return self.names_personnel(text)
        if not (sentence_subject or recent_subject):
            return False
        own = self.rules.other_force.sub(" ", text)
        other_side = own != text or bool(_CIVILIANS.search(own))
        own = _CIVILIANS.sub(" ", own)
        if not sentence_subject:
            own = _POSSESSED_FORCE.sub(" ", own)  # "Ukraine's army said its units advanced"
        if self.personnel.search(own):
            return self.names_personnel(own)
        if other_side:
            return False  # counts and casualty words here are the other side's ("Russian losses ... 40,000 killed")
        if not self.materiel.search(own) and any(
                _POINTS_BACK.search(own, max(0, event.start() - 24), event.start()) and not _OF_WHOM.match(own, event.end())
                for event in self.event.finditer(own)):
            return True  # "confirmed the capture", "the deaths": the event just reported (not "the losses of its units")
        if _COUNT_POINTS_BACK.search(own) and not self.materiel.search(own):
            return True  # "said the number could rise", "the casualty figures are an undercount"
        if (_PLURAL_PRONOUN.search(own) or (_QUOTED_THEIR.search(own) and '"' in own) or _DEPLOYMENT.search(own)
                or self.rules.count.search(own)
                or ((self.event.search(own) or self.movement.search(own)) and _SOME_COUNT.search(own))) \
                and not self.materiel.search(own):
            return True  # "they do not speak the language", "the deployment was ordered", "puts the total at 10,000"
        return sentence_subject and bool(self.event.search(own) or self.movement.search(own)) \
            and not self.materiel.search(own)


def build_topic(lex: Lexicon, terms: dict[str, str] | list[tuple[str, str]] | None = None) -> Topic:
    """Topic from `terms` ({term: group} or (term, group) pairs) or, by default, from the
    topic folder's topic_terms.csv; its StoryRules from the same folder's patterns.csv."""
    if terms is None:
        pairs = list(lex.topic_terms)
    else:
        pairs = list(terms.items()) if isinstance(terms, dict) else list(terms)
    by_group: dict[str, list[str]] = {group: [] for group in TERM_GROUPS}
    for term, group in pairs:
        if group in by_group:
            by_group[group].append(term)
    return Topic(**{group: word_pattern(words) for group, words in by_group.items()},
                 rules=story_rules(lex.topic_folder))
