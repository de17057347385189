"""Who says what in a sentence: speakers, their reporting cues and the span of their statement.

Shared by the claims table and the estimates table, so both attribute a sentence the same way.

The approach is rule-based and reads the way a reader follows attribution:
1. *Mentions*: actors from the vocabulary (people, institutions, places, demonyms, outlets),
   speaker nouns ("officials", "the agency"), pronouns and unknown capitalised names; adjacent
   pieces merge into one phrase ("Kremlin spokesman Dmitry Peskov"), and "and" joins phrases
   into a group of several parties ("South Korean and Ukrainian officials").
2. *Anchors*: reporting verbs ("said", "confirmed"), prepositions ("according to", "citing"),
   passives ("was stated by"), possessive nouns ("Moscow's insistence") and non-denial phrases
   ("did not deny").
3. *Speaker* of each anchor: the phrase before the verb (skipping asides between commas), the
   subject of the clause for "... and said" / ", saying", the phrase after an inverted verb
   (", said Budanov") or after the preposition. Pronouns, surnames and descriptions ("he",
   "Kim", "the lawmakers", "the agency") resolve to what the article named before.
4. *Scope*: the statement an anchor governs: what follows it ("X said that ...") or, for
   attribution at the end ("..., the Pentagon said."), what precedes it.
All offsets here are relative to the sentence text passed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .lexicon import Lexicon, Openers, SentenceWords, first_letter_pattern, openers
from .topic import Topic

# What the rules must recognise of the story (the default topic folder's patterns.csv).

PRONOUN_PERSON = ("he", "she", "him", "his", "her")
PRONOUN_PLURAL = ("they", "their", "them")
PRONOUN_THING = ("it", "its")
PRONOUN_WORDS = ("he", "she", "they", "it", "his", "her", "their", "its")  # what the mention scan looks for

# The sentence scanners start with a character class and check the word start after it, so the
# regex engine skips ahead in C instead of trying every position (see first_letter_pattern).
_PRONOUN_RE = re.compile(rf"({first_letter_pattern(list(PRONOUN_WORDS), True, '')})(?![\w'’-])")
_PRONOUN_OPENERS = openers(list(PRONOUN_WORDS), True)
# Letters of names: Latin with the accents of European and transliterated names ("Türk", "Maïga",
# "Łukasz"); Latin Extended-A mixes cases, so it counts as lower case after a capital.
_UP = "A-ZÀ-ÖØ-Þ"
_LOW = "a-zß-öø-ÿĀ-ſ"
# Two to four capitalised words (Korean given names may be hyphenated): a name we may not know.
_NAME_RE = re.compile(
    rf"([{_UP}](?<![\w'’-].)(?:[{_LOW}]+(?:-[{_LOW}]+)?|\.)(?:\s+(?:[{_UP}][{_LOW}]+(?:-[A-Za-z{_UP}][{_LOW}]+)?|"
    rf"[{_UP}]\.|von|van|der|de)){{1,3}})(?![\w-])"
)
_SINGLE_CAP_RE = re.compile(
    rf"(?<![\w'’-])([{_UP}][{_LOW}]+(?:-[{_UP}]?[{_LOW}]+)?)\s+(?:(?:was|were|has|had|also|further|then|later|quoted|as|"
    rf"reportedly|again|previously|earlier|once)\s+){{0,3}}$|(?<![\w'’-])([{_UP}][{_LOW}]+(?:-[{_UP}]?[{_LOW}]+)?)\s*$")
_CAPITALISED_WORD = re.compile(rf"[{_UP}](?<![\w'’-].)[{_LOW}]+(?:-[A-Za-z{_UP}][{_LOW}]+)?(?![\w-])")
_REDUCED_RELATIVE = re.compile(r"\b(?:quoted|interviewed|briefed|contacted)\s+by\s+", re.IGNORECASE)
# "the Podil Herald", "The Seoul Sentinel": outlets we do not know, by the shape of their names.
_OUTLET_NAME = re.compile(
    r"(?<![\w'’-])(?:[Tt]he\s+)?(?:[A-Z][\w'’.-]*\s+){0,3}(?:Herald|Sentinel|Times|Post|Journal|Daily|Tribune|Gazette|"
    r"News|Review|Observer|Telegraph|Chronicle|Courier|Monitor|Wire|Today|Express|Standard|Independent|"
    r"Insider|Dispatch|Bulletin|Ledger|Radio|Television|TV|Broadcasting|Broadcaster|Pravda|Ilbo|Shimbun)(?![\w-])")
_NOT_A_NAME = {"The", "It", "This", "That", "He", "She", "They", "We", "I", "A", "An", "In", "On", "But",
               "And", "However", "Meanwhile", "Officials", "Analysts", "Sources", "What", "Why", "How",
               # sentence openers that are no speaker ("Even if ...", "Asked about ...")
               "Even", "If", "When", "While", "As", "After", "Before", "Although", "Though", "Since", "Unless",
               "Once", "Still", "Yet", "So", "Now", "Then", "There", "Here", "Asked", "Speaking", "Whether"}
# Words that may sit between the pieces of one speaker phrase: titles, ranks, offices.
_TITLE_WORD = re.compile(
    r"(?:the|a|an|of|for|to|on|'s|’s|[A-Z][\w.'’-]*|deputy|vice|chief|head|senior|top|former|acting|"
    r"press|secretary|spokesman|spokeswoman|spokesperson|minister|president|prime|leader|dictator|"
    r"director|general|national|security|adviser|advisor|ambassador|envoy|foreign|defense|defence|"
    r"military|intelligence|army|armed|forces|commander|in|affairs|state|chair|chairman|chairwoman|"
    r"member|lawmaker|lawmakers|official|officials|opposition|ruling|party|parliamentary|committee|"
    r"agency|service|ministry|office|presidential|spy|news|media|outlets|u\.s\.|un|eu|nato|"
    r"government|regime|defence|unification|permanent|representative|staff|spokespeople|with|from|main|primary|"
    r"principal|transitional|interim|caretaker|provisional|federal|human|rights|high|commissioner|council|"
    r"mission|peacekeeping|based|posted|stationed|at|panel|monitoring|monitors|inspectors|investigators|team|navy|naval|air|force|border|guard|coast|police|joint|chiefs|sanctions)$",
)
# Words that may stand before a speaker phrase and belong to it: "the", "two senior", "deputy".
_LEADING_MODIFIERS = frozenset(
    "the a an two three four several some many other unnamed anonymous senior top deputy vice chief former "
    "acting interim local foreign western military government intelligence defense defence security".split())
_TRAILING_WORD = re.compile(r"(\w+)\s+$")


class WordBefore:
    """A word from a list, then whitespace, at the end of a text (case-insensitive):
    `pattern` = \\b(?:word|...)\\s+$. `found(text)` answers `pattern.search(text)` without
    trying the pattern at every position when the last word is plain ASCII letters."""

    def __init__(self, words: str):
        self.words = frozenset(words.split())
        alternation = "|".join(sorted(self.words, key=lambda w: (-len(w), w)))
        self.pattern = re.compile(rf"\b(?:{alternation})\s+$", re.IGNORECASE)

    def found(self, text: str) -> bool:
        stripped = text.rstrip()
        if len(stripped) == len(text) or not stripped:
            return False  # no whitespace at the end, or nothing but whitespace
        last = stripped.rsplit(None, 1)[-1]
        if last.isascii() and last.isalpha():
            return last.lower() in self.words  # the word starts the token: a word boundary
        return self.pattern.search(text) is not None  # punctuation or other letters: the pattern decides


_DETERMINER_BEFORE = WordBefore(
    "the these those such this that a an his her their its our any of unconfirmed earlier previous recent new "
    "latest media press initial first western official so-called widespread numerous similar public "
    "troop casualty deployment battlefield news")
# Before a participle ("the reported deployment", "an estimated 10,000"): determiners only.
_ARTICLE_BEFORE = WordBefore("the these those such a an his her their its our any unconfirmed")
# "the earlier reported figure" (an adjective), but "officials earlier dismissed" (an adverb).
_TIME_ADJECTIVE_BEFORE = re.compile(r"(?<![\w'’-])(?:the|these|those|such|a|an|his|her|their|its|our|any)\s+"
                                    r"(?:earlier|previous|previously|initially)\s+$", re.IGNORECASE)
_BE_BEFORE = WordBefore("was were is are be been being")
_NEGATED_BEFORE = re.compile(
    r"\b(?:(?:not|never|n['’]t|no\s+longer|yet\s+to)\s+(?:\w+\s+){0,2}|(?:declined|refused|unable|reluctant)\s+to\s+)$",
    re.IGNORECASE)
# "Neither Moscow nor Pyongyang has ...": tried on a wider window than the other negations.
_NEITHER_NOR_BEFORE = re.compile(r"\bneither\s+(?:\S+\s+){1,5}nor\s+(?:\S+\s+){1,5}$", re.IGNORECASE)
_PERFECT_BEFORE = re.compile(r"\b(?:has|have)\s+$", re.IGNORECASE)
_CONFIRMING = frozenset({"confirmed", "confirm", "confirms", "acknowledged", "acknowledge", "acknowledges"})
_NOUN_VERBS = {"claims", "claim", "reports", "report", "estimates", "estimate", "show", "shows",
               "reporting", "calls", "says", "put"}
_NEVER_ANCHOR_AFTER = re.compile(r"^\s*(?:for|on|off|up|in\s+for)\b", re.IGNORECASE)
_ASIDE = re.compile(r",(?:[^,\"“”]|,(?=\d)){0,160},")
_PAREN = re.compile(r"\([^()]{0,160}\)")
_RELATIVE_ASIDE = re.compile(
    r",\s*(?:who|which|whose|where|when|while|in|at|during|after|before|speaking|citing|cited|"
    r"quoted|according|as|on|via|through|himself|herself|for|asked|responding|reacting|visiting|addressing|"
    r"writing|talking|identified|aged)\b(?:[^,\"“”]|,(?=\d)){0,160},|"
    r"\([^()]{0,160}\)",
    re.IGNORECASE,
)
# "Oleh Marchenko, a spokesman for ...": a sentence that introduces a name is read in full.
_APPOSITIVE_HINT = re.compile(r",\s+(?:a|an|the)\s|[a-z]['’]s\s+[\w\s-]{1,40},\s+[A-Z]")
_WHO_CLAUSE = re.compile(r",\s*(?:who|which|whose)\b", re.IGNORECASE)
_GAP_BLOCKERS = re.compile(r"\b(?:that|and|but|or|while|whereas|because|if|when)\b|[\"“”;:]", re.IGNORECASE)
_COORDINATED = re.compile(r"\b(?:and|but)\s+(?:\w+ly\s+|also\s+|then\s+|later\s+)?$", re.IGNORECASE)
_LEAD_IN = re.compile(
    r"^\s*(?:(?:In|On|At|Despite|Although|Though|While|After|Before|Speaking|Earlier|Later|Last|"
    r"This|Meanwhile|However|Separately|Still|Since|Until|Asked|Responding|Following|For|From|During)\b[^,]{0,120},\s*)",
)
_JOINER = re.compile(r"^\s*(?:and|&|as\s+well\s+as|nor)\s*$")
_PRONOUN_OBJECT = re.compile(r"^\s*(?:it|this|them|these)\b", re.IGNORECASE)
_NEXT_SENTENCE_ATTRIBUTION = re.compile(
    r"^\s*(?:This|That|These|It|The\s+(?:figure|figures|number|numbers|estimate|estimates|information|"
    r"assessment|data|claim|claims|report|statement|remarks?|comments?|account|view|warning))\s+"
    r"(?:was|were|is|are|has\s+been|had\s+been|have\s+been)\s+(?:first\s+|later\s+|also\s+)?"
    r"(?:stated|said|reported|announced|disclosed|revealed|confirmed|given|provided|made\s+public|"
    r"shared|published|released|voiced|relayed|presented|put\s+forward|cited)\b.{0,80}?\bby\s+",
    re.IGNORECASE,
)
_THATS_ACCORDING = re.compile(r"^\s*(?:That|This)(?:'s|’s|\s+is|\s+was)\s+according\s+to\s+", re.IGNORECASE)
_MEDIA_NOT_STATE = re.compile(r"\bstate(?:-run|-controlled|-owned)?\s+$|\bofficial\s+$", re.IGNORECASE)


@dataclass(slots=True)
class Mention:
    """A phrase naming a (possible) speaker."""

    start: int
    end: int
    text: str
    parties: tuple[str, ...]
    kind: str          # person, institution, place, demonym, media, group, pronoun, name
    group: str = ""    # antecedent group ("official", "lawmaker", "agency", "person", "media")
    pronoun: str = ""  # the pronoun word, when the phrase is or starts with one
    definite: bool = False
    names: tuple[str, ...] = ()  # person names inside the phrase (to learn surnames)


@dataclass(slots=True)
class Attribution:
    """One reporting anchor of a sentence with its resolved speaker and statement scope."""

    speaker: str
    parties: tuple[str, ...]
    cue: str
    cue_start: int
    cue_end: int
    scope_start: int
    scope_end: int
    frame: str                  # verb, preposition, by, noun, non_denial, next_sentence, quote
    speaker_start: int = -1
    speaker_end: int = -1
    is_denial_verb: bool = False
    is_non_denial: bool = False
    relayed: bool = False       # an outlet only relaying another speaker in the same sentence
    at_end: bool = False
    tail_end: int = -1          # for end attribution: end of the words after the attribution
    background: bool = False    # in a relative clause about the speaker ("Peskov, who has dismissed ...")
    carried: str = ""           # how the speaker was found beyond the sentence: pronoun, antecedent,
                                # quote (a quote that continues), next sentence ("This was stated by X")
    subject_personnel: bool = False  # the speaker is one of the subject's soldiers ("a captured North Korean soldier")


@dataclass
class ArticleState:
    """What a reader remembers while reading an article: who was named last, names learned."""

    last_person: Mention | None = None
    last_plural: Mention | None = None
    last_thing: Mention | None = None
    last_speaker: Mention | None = None      # the last speaker resolved, and the sentence it spoke in
    last_speaker_sentence: int = -10
    sentence_index: int = 0
    by_group: dict[str, Mention] = field(default_factory=dict)
    learned: dict[str, str] = field(default_factory=dict)   # name, surname or given name -> party
    last_place: Mention | None = None  # the last country or city named: what "the country's" refers to


def _lookup_key(name: str) -> str:
    return re.sub(r"\s+", " ", name).replace("’", "'")


_OUTLET_WORDS = ("Herald", "Sentinel", "Times", "Post", "Journal", "Daily", "Tribune", "Gazette", "News", "Review",
                 "Observer", "Telegraph", "Chronicle", "Courier", "Monitor", "Wire", "Today", "Express", "Standard",
                 "Independent", "Insider", "Dispatch", "Bulletin", "Ledger", "Radio", "Television", "TV",
                 "Broadcast", "Pravda", "Ilbo", "Shimbun")
_OUTLET_WORD = re.compile("|".join(_OUTLET_WORDS))
# Of the outlet words only these name an outlet alone: "Today" or "Times" alone is no outlet.
_ONE_WORD_OUTLETS = frozenset({"Pravda"})


def _actor_mentions(text: str, lex: Lexicon, state: ArticleState, full: bool = True,
                    words: SentenceWords | None = None) -> list[Mention]:
    """Mentions of possible speakers in a sentence. Without `full` only what the article's
    memory needs (vocabulary actors and speaker nouns): pronouns and unknown names matter
    only in sentences that attribute something. `words`: the sentence's words, to skip
    vocabularies none of whose phrases can start there."""
    mentions = []
    for m in (lex.actor_re.finditer(text) if words is None else words.finditer(lex.actor_re, lex.openers["actor_re"])):
        actor = lex.actors.get(m.group(0)) or lex.actor_lookup.get(_lookup_key(m.group(0)))
        if actor is None:
            continue
        if actor.kind == "place" and _DEMONYM_AFTER.match(text, m.end()):
            continue  # "the North Korean reports": a longer name's first words, not the place
        names = (m.group(0),) if actor.kind == "person" else ()
        mentions.append(Mention(m.start(), m.end(), m.group(0), (actor.party,), actor.kind, actor.group, names=names))
    # A plain alternation of the outlet words is far cheaper than the outlet scan, and most
    # sentences name no outlet. A name the vocabulary knows wins over the shape of an outlet's
    # name when it runs on past it ("the Korean Central News Agency" is North Korea's), not when
    # it sits inside it ("The Seoul Sentinel" is an outlet).
    if _OUTLET_WORD.search(text):
        known = [(x.start, x.end) for x in mentions]
        for m in _OUTLET_NAME.finditer(text):
            if (len(m.group(0).split()) > 1 or m.group(0) in _ONE_WORD_OUTLETS) and \
                    not any(s < m.end() <= e for s, e in known):
                mentions.append(Mention(m.start(), m.end(), m.group(0), ("MEDIA",), "media", "media"))
    for m in (lex.head_re.finditer(text) if words is None else words.finditer(lex.head_re, lex.openers["head_re"])):
        head_key = " ".join(m.group(0).lower().split())  # a match has no space at either end
        group = lex.heads.get(head_key, "")
        parties: tuple[str, ...] = ()
        if group == "media" and not _MEDIA_NOT_STATE.search(text[max(0, m.start() - 20):m.start()]):
            parties = ("MEDIA",)
        elif group == "analyst":
            parties = ("UNK",)
        mentions.append(Mention(m.start(), m.end(), m.group(0), parties, "group", group))
    if not full:
        return _outermost(mentions)
    for m in (_PRONOUN_RE.finditer(text) if words is None else words.finditer(_PRONOUN_RE, _PRONOUN_OPENERS)):
        mentions.append(Mention(m.start(), m.end(), m.group(0), (), "pronoun", pronoun=m.group(1).lower()))
    taken = [(x.start, x.end) for x in mentions]
    for m in _unknown_names(text, taken):
        name = m.group(1)
        parts = name.split()
        if parts[0] in _NOT_A_NAME:
            continue
        party = state.learned.get(name) or state.learned.get(parts[-1]) or state.learned.get(parts[0])
        mentions.append(Mention(m.start(), m.end(), name, (party,) if party else (), "name", names=(name,)))
    if state.learned:
        taken = [(x.start, x.end) for x in mentions]
        for m in _learned_words(text, state.learned):
            party = state.learned.get(m.group(0))
            if party and not any(s < m.end() and m.start() < e for s, e in taken):
                mentions.append(Mention(m.start(), m.end(), m.group(0), (party,), "name", names=(m.group(0),)))
    return _outermost(mentions)


def _unknown_names(text: str, taken: list[tuple[int, int]]) -> Iterator[re.Match]:
    """The matches of _NAME_RE that overlap no mention in `taken`. A match that runs into a
    mention is tried again after it: in "Deputy Foreign Minister Ivan Petrenko" the title is a
    speaker noun and the name after it is still a name."""
    position = 0
    while True:
        m = _NAME_RE.search(text, position)
        if m is None:
            return
        overlap = max((e for s, e in taken if s < m.end() and m.start() < e), default=None)
        if overlap is None:
            yield m
            position = m.end()
        else:
            position = max(overlap, m.start() + 1)


def _learned_words(text: str, learned: dict[str, str]) -> list[re.Match]:
    """The matches of `_CAPITALISED_WORD.finditer(text)` that can be a learned name: the
    pattern tried only where one is written. (No match starts inside another, as a match
    starts after no word character or hyphen, so those are all the matches there.)"""
    starts = set()
    for name in learned:
        if " " in name or not name[:1].isupper():
            continue  # never one capitalised word
        at = text.find(name)
        while at >= 0:
            starts.add(at)
            at = text.find(name, at + 1)
    found = []
    for at in sorted(starts):
        match = _CAPITALISED_WORD.match(text, at)
        if match is not None and match.group(0) in learned:
            found.append(match)
    return found


def _outermost(mentions: list[Mention]) -> list[Mention]:
    """Mentions in order, dropping those nested in a longer one ("US" inside "USFK")."""
    mentions.sort(key=lambda x: (x.start, -x.end))
    kept: list[Mention] = []
    for mention in mentions:
        if kept and mention.start < kept[-1].end:
            last = kept[-1]
            if mention.end > last.end and mention.end - mention.start > last.end - last.start:
                # "the North Korean reports": "North Korean" runs on past "the North" and is the longer
                kept[-1] = mention
            continue
        kept.append(mention)
    return kept


def _is_glue(gap: str) -> bool:
    """True when the words between two mentions keep them in one phrase (titles, possessives)."""
    # The same few gaps (" ", "'s ", " of the ") come back in every article: remember answers.
    known = _GLUE_SEEN.get(gap)
    if known is None:
        words = gap.split()
        known = not (len(words) > 5 or "," in gap or '"' in gap or ";" in gap or "(" in gap) \
            and all(_TITLE_WORD.match(w) for w in words)
        if len(_GLUE_SEEN) < _GLUE_SEEN_MAX:
            _GLUE_SEEN[gap] = known
    return known


_GLUE_SEEN: dict[str, bool] = {}
_GLUE_SEEN_MAX = 20_000


def _merge(text: str, mentions: list[Mention]) -> list[Mention]:
    """Merge adjacent mentions into phrases, and "and"-joined phrases into groups."""
    phrases: list[Mention] = []
    for mention in mentions:
        if phrases:
            last = phrases[-1]
            gap = text[last.end:mention.start]
            if last.kind != "pronoun":
                glued = mention.kind != "pronoun" and _is_glue(gap)
            else:
                glued = last.pronoun in ("his", "her", "their", "its") and mention.kind == "group" and _is_glue(gap)
            if glued:
                phrases[-1] = _combine(text, last, mention, joined=False)
                continue
        # The mentions are this sentence's own objects, used nowhere else: the phrase takes them over.
        phrases.append(mention)
    grouped: list[Mention] = []
    for phrase in phrases:
        if grouped and _JOINER.match(text[grouped[-1].end:phrase.start]) and phrase.kind != "pronoun" \
                and grouped[-1].kind != "pronoun":
            grouped[-1] = _combine(text, grouped[-1], phrase, joined=True)
            continue
        grouped.append(phrase)
    for phrase in grouped:
        if phrase.kind != "pronoun":
            start = phrase.start
            while True:
                word_start = _word_before(text, max(0, start - 20), start)
                if word_start < 0 or text[word_start:start].rstrip().lower() not in _LEADING_MODIFIERS:
                    break
                start = word_start
            if start != phrase.start:
                phrase.start = start
                phrase.text = text[start:phrase.end]
        phrase.definite = phrase.text.lower().startswith("the ")
    return grouped


def _word_before(text: str, lo: int, end: int) -> int:
    """Start of the word that ends, followed by whitespace, right at `end` (the word may not
    start before `lo`), or -1: the same as `_TRAILING_WORD.search(text, lo, end).start()`."""
    window = text[lo:end]
    if not window or not window[-1].isspace():
        return -1
    stripped = window.rstrip()
    if not stripped:
        return -1
    last = stripped.split()[-1]
    if not last.isalnum():  # punctuation or "_" in the word: let the pattern decide
        match = _TRAILING_WORD.search(text, lo, end)
        return match.start() if match else -1
    return lo + len(stripped) - len(last)


_POSTED_IN = re.compile(r"\s+(?:(?:based|posted|stationed)\s+)?in\s+(?:the\s+)?")


def _combine(text: str, first: Mention, second: Mention, joined: bool) -> Mention:
    kinds = (first.kind, second.kind)
    if joined:
        parties = tuple(dict.fromkeys(first.parties + second.parties))
    elif "person" in kinds or "name" in kinds:
        # A named person decides the party ("Russia's ambassador to North Korea Alexander ...").
        person = second if second.kind in ("person", "name") and second.parties else first
        parties = person.parties or first.parties or second.parties
    elif first.group == "diplomat" and second.kind == "place" and _POSTED_IN.fullmatch(text, first.end, second.start):
        parties = first.parties  # "a diplomat in Bamako" is posted there: from anywhere but there
    elif first.parties and second.parties in (("MEDIA",), ("UNK",)) and first.kind in ("place", "demonym") \
            and (second.group in ("media", "analyst") or second.kind == "media"):
        parties = second.parties  # "Ukrainian media", "a Kyiv newspaper", "Russian military bloggers"
    else:
        parties = first.parties or second.parties
    if first.kind == "pronoun":
        kind = "pronoun"
    elif joined:
        kind = "group" if "group" in kinds else first.kind
    elif second.kind in ("person", "name") and not _POSTED_IN.fullmatch(text, first.end, second.start):
        kind = second.kind  # "Russia's ambassador Alexander ...", but not "the mission in New York"
    elif first.kind in ("person", "name") and second.kind == "group" and second.group == "person":
        kind = first.kind
    elif first.kind == "group" or second.kind == "group":
        kind = "group" if not (first.kind in ("institution", "media") and second.kind == "group") else first.kind
    else:
        kind = first.kind
    group = second.group or first.group
    return Mention(first.start, second.end, text[first.start:second.end], parties, kind, group,
                   first.pronoun or second.pronoun, names=first.names + second.names)


def _resolve(mention: Mention, state: ArticleState) -> tuple[str, ...]:
    """Parties of a speaker phrase, resolving pronouns and definite descriptions."""
    if mention.parties:
        return mention.parties
    if mention.kind == "pronoun":
        word = mention.pronoun
        recent = state.last_speaker if state.sentence_index - state.last_speaker_sentence <= 2 else None
        # A pronoun after a statement most often continues its speaker ("X said ... He added").
        if word in PRONOUN_PERSON:
            if recent is not None and (recent.kind in ("person", "name") or recent.group in ("person", "official", "source")):
                return recent.parties
            if state.last_person:
                return state.last_person.parties
            for group in ("official", "source", "lawmaker"):
                if group in state.by_group:
                    return state.by_group[group].parties
            return ()
        if word in PRONOUN_PLURAL and (state.last_plural or state.last_thing):
            return (state.last_plural or state.last_thing).parties
        if word in PRONOUN_THING:
            if recent is not None and (recent.kind in ("institution", "place", "media") or (
                    recent.kind == "group" and not recent.text.lower().endswith("s"))):
                return recent.parties
            if state.last_thing:
                return state.last_thing.parties
        return ()
    if mention.kind == "group" and mention.group:
        antecedent = state.by_group.get(mention.group)
        if mention.group == "person" and antecedent is None:
            antecedent = state.last_person
        if antecedent and (mention.definite or mention.group == "report"):
            return antecedent.parties
    return ("UNK",)


def _remember(mention: Mention, parties: tuple[str, ...], state: ArticleState) -> None:
    if not parties:
        return
    if parties == ("UNK",):
        if mention.kind == "group" and mention.text.lower().endswith("s"):
            state.last_plural = Mention(mention.start, mention.end, mention.text, parties, mention.kind, mention.group)
        return
    resolved = Mention(mention.start, mention.end, mention.text, parties, mention.kind, mention.group)
    if mention.kind in ("person", "name") or mention.group == "person":
        state.last_person = resolved
        state.by_group["person"] = resolved
    elif mention.kind == "group" and mention.text.lower().endswith("s") and len(parties) >= 1:
        state.last_plural = resolved
    if mention.kind in ("institution", "place", "media", "group"):
        state.last_thing = resolved
    if mention.group:
        state.by_group[mention.group] = resolved
    if mention.kind == "media" or mention.group == "media":
        state.by_group["report"] = resolved
    if len(parties) == 1:
        for name in mention.names:
            words = name.split()
            state.learned[name] = parties[0]
            # Surnames come last in Western names and first in Korean ones ("Kim said", "Lee said").
            state.learned[words[-1]] = parties[0]
            if len(words) > 1 and (len(words) == 3 or "-" in words[-1]):
                state.learned[words[0]] = parties[0]


# ", a spokesman for ...", ", who heads ...", a bare title: ", principal deputy spokesperson for ...",
# or a title a place owns: ", Ukraine's deputy foreign minister,".
_APPOSITIVE = re.compile(
    r",\s*(?:(?:a|an|the|who\s+is|who\s+heads|head\s+of)\b|(?=(?:[A-Z][\w.-]*\s+){0,3}[A-Z][\w.-]*['’]s\s)|"
    r"(?=(?:(?:deputy|principal|chief|senior|acting|"
    r"former|press|vice|first)\s+){0,3}(?:spokesperson|spokesman|spokeswoman|secretary|minister|director|"
    r"ambassador|envoy|adviser|advisor|commander|head|chief|official|lawmaker|member|chairman|chairwoman)\b))"
    r"([^,;]{0,140})")


# An outlet that is a side's channel rather than a newsroom: "a Telegram channel [linked to
# Wagner]", "[pro-Wagner] channels", "[Wagner-linked] Telegram channels".
_PARTISAN_AFTER = re.compile(r"\s+(?:linked|close|tied|affiliated|connected|allied)\s+(?:to|with)\b", re.IGNORECASE)
_PARTISAN_BEFORE = re.compile(r"(?:\bpro-[\w'’-]+|\b[\w'’]+-(?:linked|affiliated|backed|aligned))\s+(?:\w+\s+)?$",
                              re.IGNORECASE)

# Where the head noun of an appositive ends: "a researcher [at a Seoul institute]".
_DESCRIPTION_END = re.compile(r"\s(?:at|of|for|with|in|from|on|who|whose|which|that|and|based)\b")
_FORMER = re.compile(r"(?:[\w'’.-]+\s+){0,3}?former\b", re.IGNORECASE)


def _speaks_for_no_government(description: str, heads: dict[str, str]) -> bool:
    """True when an appositive describes someone who speaks for no government: an analyst,
    researcher or professor (speaker heads of group "analyst"), wherever they work ("a researcher
    at a Seoul institute"), or a former office-holder ("a former South Korean attache")."""
    description = description.strip()
    if _FORMER.match(description):
        return True
    words = _DESCRIPTION_END.split(description, maxsplit=1)[0].split()
    return any(heads.get(" ".join(words[-n:]).lower()) == "analyst" for n in (2, 1) if len(words) >= n)


def _learn_names(text: str, mentions: list[Mention], state: ArticleState, heads: dict[str, str]) -> None:
    """Learn the party of names we do not know from how the article introduces them:
    "Dmytro Lykhovyi, a spokesman for Ukraine's army," / "Ukrainian spokesman Dmytro Lykhovyi".
    A name described as an analyst or a former official speaks for no government (UNK), even
    when the description names a country ("a researcher at a Seoul institute")."""
    for i, mention in enumerate(mentions):
        if mention.kind != "name" or mention.parties:
            continue
        after = text[mention.end:mention.end + 160]
        appositive = _APPOSITIVE.match(after)
        party = ""
        if appositive and _speaks_for_no_government(appositive.group(1), heads):
            mention.parties = ("UNK",)
            continue
        if appositive:
            span_start = mention.end + appositive.start(1)
            span_end = mention.end + appositive.end(1)
            for other in mentions[i + 1:]:
                if other.start >= span_end:
                    break
                if other.start >= span_start and other.parties and other.parties != ("MEDIA",):
                    party = other.parties[0]
                    break
        if not party and re.search(r",\s*$", text[max(0, mention.start - 3):mention.start]) \
                and re.match(r"\s*,", after):
            # "South Korea's deputy ambassador, Seo Min-jae, said": the description comes first.
            edge = mention.start
            for other in reversed(mentions[:i]):
                gap = text[other.end:edge].rstrip(" ,")
                # "Ukraine's human rights commissioner, Dmytro Lubinets,": a short description.
                if other.end > edge or not (_is_glue(gap) or (len(gap.split()) <= 5 and gap == gap.lower()
                                                             and not re.search(r"[,;\"“”()]", gap))):
                    break
                if other.parties and other.parties not in (("MEDIA",), ("UNK",)):
                    party = other.parties[0]
                    break
                edge = other.start
        if party:
            mention.parties = (party,)
            _remember(mention, (party,), state)


@dataclass(slots=True)
class _Anchor:
    start: int
    end: int
    word: str
    frame: str


def _may_hold_non_denial(text: str, lex: Lexicon, words: SentenceWords | None = None) -> bool:
    """Cheap gate before the non-denial phrase scan: False only when the text lacks every
    word of Lexicon.non_denial_hints (one word of each non-denial phrase), so no phrase can
    be there. One scan of the lower-cased text for any of them; non-ASCII text is always scanned, as
    case-insensitive matching folds letters there that lower() keeps apart."""
    if lex.non_denial_hints is None or not text.isascii():
        return True
    if words is not None and words.folded is not None:
        # Each hint is a whole run of letters of its phrase, and so a whole word of the text.
        return not lex.non_denial_hint_set.isdisjoint(words.folded)
    return lex.non_denial_hints_re.search(text.lower()) is not None


_BY_AFTER = re.compile(r"\s+by\b")
_PUT_AT = re.compile(r"\s+(?:[^\s,.;:]+\s+){0,14}?at\b")  # "put the count of troops who died ... at"
_FIGURE_AFTER = re.compile(r"\s*(?:at\s+)?[\d$]")
_ARTICLE_END = re.compile(r"(?:\ban?\s+|\bthe\s+)$")


def _anchors(text: str, lex: Lexicon, words: SentenceWords | None = None) -> list[_Anchor]:
    anchors: list[_Anchor] = []
    blocked: list[tuple[int, int]] = []
    if _may_hold_non_denial(text, lex, words):
        for m in (lex.non_denial_re.finditer(text) if words is None
                  else words.finditer(lex.non_denial_re, lex.openers["non_denial_re"])):
            anchors.append(_Anchor(m.start(), m.end(), m.group(0), "non_denial"))
            blocked.append((m.start(), m.end()))
    for m in (lex.verb_re.finditer(text) if words is None else words.finditer(lex.verb_re, lex.openers["verb_re"])):
        if any(s <= m.start() < e for s, e in blocked):
            continue
        word = " ".join(m.group(0).lower().split())
        frame = lex.verbs.get(word, "verb")
        before = text[:m.start()]
        after = text[m.end():]
        if frame == "verb":
            if word in _NOUN_VERBS and _DETERMINER_BEFORE.found(before[-30:]):
                continue
            if word not in _NOUN_VERBS and (_ARTICLE_BEFORE.found(before[-30:])
                                            or _TIME_ADJECTIVE_BEFORE.search(before[-40:])):
                continue  # "the reported deployment", "an estimated 10,000", "the earlier reported figure"
            if _BE_BEFORE.found(before[-20:]) and not _BY_AFTER.match(after):
                continue  # "were said to be", "have been told"
            if word in _CONFIRMING and _NEITHER_NOR_BEFORE.search(before[-80:]) and _PERFECT_BEFORE.search(before[-12:]):
                # "Neither Moscow nor Pyongyang has confirmed ...": both decline to confirm (a
                # simple past, "neither ... acknowledged it last year", tells of a time since ended)
                anchors.append(_Anchor(m.start(), m.end(), m.group(0), "non_denial"))
                continue
            if _NEGATED_BEFORE.search(before[-30:]) or _NEITHER_NOR_BEFORE.search(before[-80:]):
                continue  # "has not acknowledged": no statement
            if word in ("called", "calls") and _NEVER_ANCHOR_AFTER.match(after):
                continue  # "called for", "called on"
            if word in ("put", "puts") and not _PUT_AT.match(after):
                continue  # only "put the toll at ..."
            if word in ("estimated", "estimate", "estimates") and _FIGURE_AFTER.match(after) \
                    and _ARTICLE_END.search(before[-6:]):
                continue
            if m.start() > 0 and text[m.start() - 1] == "-":
                continue  # "so-called"
        anchors.append(_Anchor(m.start(), m.end(), m.group(0), frame))
    anchors.sort(key=lambda a: a.start)
    return anchors


def _strip_asides(gap: str) -> str:
    gap = _PAREN.sub(" ", gap)
    previous = None
    while previous != gap:
        previous = gap
        gap = _ASIDE.sub(" ", gap, count=1)
    return gap


def _subject_before(text: str, anchor_start: int, phrases: list[Mention], asides: list[tuple[int, int]]) -> Mention | None:
    """The phrase right before a verb that is its subject ("X, who ..., said"), or None."""
    max_gap = 5
    for phrase in reversed(phrases):
        if phrase.end > anchor_start:
            continue
        if any(s < phrase.start and phrase.end <= e for s, e in asides):
            continue  # "..., who were briefed by the NIS, indicated": the NIS is not the speaker
        raw_gap = text[phrase.end:anchor_start]
        gap = _strip_asides(raw_gap)
        if _GAP_BLOCKERS.search(gap) or len(gap.split()) > max_gap:
            return None
        if "," in raw_gap:
            head = _appositive_head(text, phrase, phrases)
            if head is not None:
                return head
            if not gap.lstrip().startswith(",") and "," in gap:
                return None  # "... troops were killed, reports which ...": another clause
        holder = _relative_holder(text, phrase.start, phrases)
        if holder is not None:
            return holder
        governed = _PREPOSITION_BEFORE.search(text, max(0, phrase.start - 16), phrase.start)
        if governed and _PARTITIVE_SUBJECT.search(text, max(0, phrase.start - 24), phrase.start) \
                and _SOLDIER_SPEAKER.match(text, phrase.end, anchor_start):
            return phrase  # "one of the North Korean prisoners said": the prisoner speaks
        if governed and not _WHO_CLAUSE.match(raw_gap) and not (
                governed.group(0).lower().startswith("with") and _PARTICIPLE_AT.match(text, anchor_start)):
            # "cooperation with Pyongyang was a matter ...", "fighting with Ukrainian units seen near Sudzha";
            # but "with spokeswoman X confirming that ..." attributes. The subject may stand
            # before the prepositional phrase: "Analysts [at a research firm in Seoul] said".
            earlier = next((p for p in reversed(phrases) if p.end <= phrase.start), None)
            if earlier is not None and _PP_AFTER.match(text, earlier.end) and \
                    not _GAP_BLOCKERS.search(text[earlier.end:phrase.start]):
                max_gap = 10
                continue
            return None
        return phrase
    return None


_PARTITIVE_SUBJECT = re.compile(r"(?<![\w'’-])(?:one|two|three|some|several|many|most|all|none|each|both|either|"
                                r"a\s+few)\s+of\s+(?:the\s+|those\s+)?$", re.IGNORECASE)
_DEMONYM_AFTER = re.compile(r"\s+[A-Z][a-z]+(?:an|ese|ish)(?![\w'’-])")
_PP_AFTER = re.compile(r"\s+(?:(?:linked|close|tied|affiliated|connected|allied|loyal)\s+(?:to|with)|"
                       r"(?:soldiers?|prisoners?|servicem[ae]n)\s+(?:captured|held|detained|taken)\s+by|"
                       r"at|in|of|from|with|for|on|near)\s", re.IGNORECASE)


_PARTICIPLE_AT = re.compile(r"\w+ing\b")
_AGENT_IN_RELATIVE = re.compile(r"\s+(?:who|that)\s+(?:were|was|had\s+been|have\s+been|has\s+been|are|is)\s+"
                                r"(?:\w+\s+){0,3}?(?:quoted|cited|interviewed|briefed|contacted|named)\s+"
                                r"(?:\w+\s+){0,3}?by\s+[^,;.\"“”]{0,60}?\s*$", re.IGNORECASE)
def _relative_holder(text: str, end: int, phrases: list[Mention]) -> Mention | None:
    """For "aides who were interviewed at length by two Lviv weeklies said": when the
    text before `end` closes a relative clause whose agent follows "by", the phrase the clause
    is about (the aides), or None."""
    window_start = max(0, end - 120)
    if " by " not in text[window_start:end]:
        return None  # the clause needs its agent
    relative = _AGENT_IN_RELATIVE.search(text, window_start, end)
    if not relative:
        return None
    return next((p for p in reversed(phrases) if p.end <= relative.start() and not text[p.end:relative.start()].strip()),
                None)


# A phrase right after a preposition is its object, never the subject of the verb that follows.
_PREPOSITION_BEFORE = re.compile(r"(?<![\w'’-])(?:with|against|from|for|to|into|between|about|of|on|at|in|by|near|"
                                 r"toward|towards|alongside|over|than|among)\s+$", re.IGNORECASE)


_GOVERNED_BEFORE = re.compile(r"(?:according\s+to|citing|cited|quoting|by|of|to|with|from|in|on|at)\s+(?:the\s+|a\s+)?$",
                              re.IGNORECASE)


def _appositive_head(text: str, phrase: Mention, phrases: list[Mention]) -> Mention | None:
    """For "Kim Song, North Korea's ambassador to the UN, said": the name before the appositive
    that holds `phrase`, unless that name is the object of "according to" or "citing"."""
    comma = text.rfind(",", 0, phrase.start)
    if comma < 0 or _GAP_BLOCKERS.search(text[comma + 1:phrase.start]):
        return None
    for head in reversed(phrases):
        if head.end <= comma:
            if text[head.end:comma].strip():
                return None
            if _GOVERNED_BEFORE.search(text[max(0, head.start - 20):head.start]):
                return None
            if head.kind in ("person", "name"):
                return head
            return None
    return None


def _clause_subject(text: str, anchor_start: int, phrases: list[Mention], asides: list[tuple[int, int]]) -> Mention | None:
    """The subject at the start of the clause: for "X convened a meeting and said ..." and
    "X added, saying ..."."""
    lead = _LEAD_IN.match(text)
    clause_start = lead.end() if lead else 0
    for phrase in phrases:
        if phrase.start < clause_start or phrase.end > anchor_start:
            continue
        if any(s < phrase.start and phrase.end <= e for s, e in asides):
            continue
        if len(text[clause_start:phrase.start].split()) <= 1:
            return phrase
        return None
    return None


def _subject_after(text: str, anchor_end: int, phrases: list[Mention]) -> Mention | None:
    """'said Budanov', 'according to X', 'citing X': the phrase right after."""
    for phrase in phrases:
        if phrase.end <= anchor_end:
            continue
        if phrase.start < anchor_end:
            return None
        gap = text[anchor_end:phrase.start]
        if not _AFTER_GAP.fullmatch(gap):
            return None
        if phrase.group == "report":
            # "according to a report by South Korea's Yonhap agency": the report's author speaks.
            author = next((p for p in phrases if p.start >= phrase.end), None)
            if author is not None and author.parties and _REPORT_BY.fullmatch(text, phrase.end, author.start):
                return author
        return phrase
    return None


_REPORT_BY = re.compile(r"\s+(?:by|from|of|in|(?:released|published|issued|compiled)\s+by)\s+(?:the\s+)?",
                        re.IGNORECASE)


_AFTER_GAP = re.compile(
    r"\s*(?:by\s+)?(?:two\s+|three\s+)?(?:(?:a|an|the|new|latest|recent)\s+)?(?:(?:statement|report|assessment|"
    r"estimate|estimates|briefing|post|video|data|figures|tally|count|analysis|review|update)\s+"
    r"(?:from|by|of|released\s+by|published\s+by|issued\s+by)\s+|"
    r"(?:interviews?|conversations?|talks|accounts)\s+(?:with|from|of)\s+)?",
    re.IGNORECASE)


# Words between a speaker phrase and its verb that still name the speaker: "A UN [panel] said",
# "a spokesman for South Korea['s navy] said" (title words that are no mention themselves).
_SPEAKER_TAIL = re.compile(r"(?:['’]s)?((?:\s+[a-z][\w-]*){1,3})\s+$")
_NOT_TAIL_WORDS = frozenset("the a an of for to on in at with from and or".split())


def _speaker_text(original: str, mention: Mention, cue_start: int = -1) -> str:
    """The speaker as written: the mention's words, and the title words right before the cue
    that belong to it ("A UN panel", "South Korea's navy")."""
    end = mention.end
    if 0 <= cue_start - end <= 40:
        tail = _SPEAKER_TAIL.fullmatch(original, end, cue_start)
        if tail and all(_TITLE_WORD.match(word) and word not in _NOT_TAIL_WORDS for word in tail.group(1).split()):
            end = tail.end(1)
    return original[mention.start:end].strip(" ,")


def _find_speaker(text: str, anchor: _Anchor, phrases: list[Mention], asides: list[tuple[int, int]],
                  results: list[Attribution], state: ArticleState, lex: Lexicon) -> Mention | None:
    if anchor.frame in ("preposition", "by"):
        return _subject_after(text, anchor.end, phrases)
    if anchor.frame == "impersonal":
        # "It was reported that ...": the source the article has been quoting, if it quoted one lately.
        recent = state.last_speaker if state.sentence_index - state.last_speaker_sentence <= 3 else None
        parties = recent.parties if recent is not None else ("UNK",)
        return Mention(anchor.start, anchor.end, text[anchor.start:anchor.end], parties, "previous",
                       recent.group if recent is not None else "")
    before = text[:anchor.start]
    if anchor.frame == "noun":
        for phrase in reversed(phrases):
            if phrase.end <= anchor.start:
                gap = text[phrase.end:anchor.start]
                if re.fullmatch(r"['’]s?\s+(?:\w+\s+)?", gap) or (
                        phrase.kind in ("demonym", "institution", "place") and re.fullmatch(r"\s+", gap)):
                    return phrase  # "Moscow's insistence", "Russian denials", "Kremlin denials"
                return None
        return None
    if anchor.frame == "non_denial" and anchor.word.lower().startswith("without") and results:
        previous = results[-1]
        return Mention(previous.speaker_start, previous.speaker_end, previous.speaker, previous.parties, "previous")
    stripped = before.rstrip()
    participle = anchor.word.lower().endswith("ing") and stripped.endswith(",")
    if participle and results:
        previous = results[-1]
        return Mention(previous.speaker_start, previous.speaker_end, previous.speaker, previous.parties, "previous")
    speaker = _subject_before(text, anchor.start, phrases, asides) or _relative_holder(text, anchor.start, phrases)
    if speaker is not None:
        return speaker
    if participle or _COORDINATED.search(before[-30:]):
        # (a participle after a statement of this sentence was given that statement's speaker above)
        speaker = _clause_subject(text, anchor.start, phrases, asides)
        if speaker is not None:
            return speaker
    if stripped.endswith((",", '"', "'", "”", "’")) and not participle:
        speaker = _subject_after(text, anchor.end, phrases)
        if speaker is not None:
            return speaker
    single = _SINGLE_CAP_RE.search(_strip_asides(before[-60:]))
    if single and (single.group(1) or single.group(2)) not in _NOT_A_NAME:
        name = single.group(1) or single.group(2)
        start = before.rfind(name)
        if _PREPOSITION_BEFORE.search(text, max(0, start - 16), start) or \
                any(p.start <= start < p.end for p in phrases):
            return None  # "a dealer at a bank in Seoul said": the place is no speaker; a phrase was weighed whole
        actor = lex.actors.get(name)
        party = actor.party if actor else state.learned.get(name, "UNK")
        return Mention(start, start + len(name), name, (party,), "name")
    return None


def _possessor_in_sentence(speaker: Mention, phrases: list[Mention]) -> tuple[str, ...]:
    """'North Korea's foreign ministry ..., although its vice foreign minister said': a
    possessive pronoun refers to the nearest fitting phrase earlier in the same sentence."""
    if speaker.kind != "pronoun" or not speaker.text.lower().startswith(("its ", "his ", "her ", "their ")):
        return ()
    wanted = {"its": ("institution", "place", "media", "group"), "his": ("person", "name"),
              "her": ("person", "name"), "their": ("group", "institution", "place")}[speaker.text.split()[0].lower()]
    for phrase in reversed(phrases):
        if phrase.end <= speaker.start and phrase.parties and phrase.kind in wanted and phrase.kind != "pronoun":
            return phrase.parties
    return ()


def _how_carried(speaker: Mention, parties: tuple[str, ...]) -> str:
    """How a speaker's party came from beyond its own words: "pronoun" ("he said"),
    "antecedent" ("the official said", "the agency added": an earlier speaker), else ""."""
    if speaker.kind == "pronoun" or speaker.pronoun in PRONOUN_PERSON + PRONOUN_PLURAL + PRONOUN_THING:
        return "pronoun"
    if speaker.kind == "group" and not speaker.parties and parties and parties != ("UNK",):
        return "antecedent"
    return ""


def _state_media_owner(speaker: Mention, phrases: list[Mention], state: ArticleState) -> tuple[str, ...]:
    """"Kim presided over a ceremony, state media said": unnamed state media speak for the
    state of the leader or body named before them in the sentence, or else of the last person
    the article named."""
    if speaker.group != "statemedia" or speaker.parties:
        return ()
    for phrase in reversed(phrases):
        if phrase.end <= speaker.start and phrase.parties and phrase.parties[0] not in ("MEDIA", "UNK") \
                and phrase.kind in ("person", "institution", "name"):
            return phrase.parties[:1]
    if state.last_person is not None and state.last_person.parties[0] not in ("MEDIA", "UNK"):
        return state.last_person.parties[:1]
    return ()


# Between a verb and a noun that is its object: "dismissed the French allegations".
_OBJECT_GAP = re.compile(r"\s+(?:(?:the|these|those|such|all|any|its|their|his|her)\s+)?(?:[\w'’.-]+\s+){0,3}")
_WHOSE = re.compile(r",\s*whose\s+$")


def _whose(text: str, speaker: Mention, phrases: list[Mention]) -> tuple[str, ...]:
    """"a reversal for Moscow, whose diplomats had dismissed ...": the speakers belong to the
    phrase the relative clause hangs on."""
    clause = _WHOSE.search(text, max(0, speaker.start - 12), speaker.start)
    if clause is None:
        return ()
    owner = next((p for p in reversed(phrases) if p.end <= clause.start()), None)
    if owner is None or text[owner.end:clause.start()].strip() or not owner.parties \
            or owner.parties in (("MEDIA",), ("UNK",)) or owner.kind == "pronoun":
        return ()
    return owner.parties


_THE_COUNTRYS = re.compile(r"(?<![\w'’-])[Tt]he\s+(?:country|nation)['’]s\s+$")


def _country_of(text: str, speaker: Mention, mentions: list[Mention], place_before: Mention | None) -> tuple[str, ...]:
    """"... in Burkina Faso, the country's state broadcaster reported": "the country's" is
    the last country or city named before the speaker, in this sentence or an earlier one."""
    if not _THE_COUNTRYS.search(text, max(0, speaker.start - 20), speaker.start):
        return ()
    place = next((m for m in reversed(mentions) if m.end <= speaker.start and m.kind == "place"
                  and len(m.parties) == 1 and m.parties[0] not in ("MEDIA", "UNK")), place_before)
    return place.parties if place is not None else ()


# "In Paris, ...": where the statement was made ("Speaking in Paris" is rather a visitor's).
_PLACE_LEAD_IN = re.compile(r"^\s*In\s+(?P<place>[^,]{1,60}),\s*")


def _place_of_lead_in(text: str, speaker: Mention, phrases: list[Mention]) -> tuple[str, ...]:
    """"In Paris, Foreign Minister Jean Dupont said": an office holder the article does not
    place, speaking right after a lead-in that names only the capital or country he speaks
    in, speaks for that country. Not for anonymous groups ("analysts", "a diplomat"), who may
    be from anywhere."""
    lead = _PLACE_LEAD_IN.match(text)
    if lead is None or speaker.start != lead.end() or speaker.kind not in ("name", "person", "group") \
            or (speaker.kind == "group" and speaker.group != "person") or not speaker.text[:1].isupper():
        return ()
    inside = [p for p in phrases if p.end <= lead.end("place")]
    if len(inside) != 1 or inside[0].kind != "place" or inside[0].start != lead.start("place") \
            or inside[0].end != lead.end("place") or len(inside[0].parties) != 1 \
            or inside[0].parties[0] in ("MEDIA", "UNK"):
        return ()
    return inside[0].parties


def _briefed_by(text: str, speaker: Mention, phrases: list[Mention], state: ArticleState) -> tuple[str, ...]:
    """"lawmakers briefed by the agency said": the unplaced speakers take the briefer's party."""
    match = _REDUCED_RELATIVE.match(text, speaker.end + 1) or _REDUCED_RELATIVE.match(text, speaker.end)
    if not match:
        return ()
    holder = next((p for p in phrases if p.start >= match.end()), None)
    if holder is None or holder.start - match.end() > 4:
        return ()
    parties = _resolve(holder, state)
    return parties if parties != ("UNK",) else ()


def attribute_sentence(text: str, original: str, lex: Lexicon, state: ArticleState,
                       words: SentenceWords | None = None) -> list[Attribution]:
    """Attributions of one sentence (normalised text and its original), updating `state`.
    `words`: SentenceWords(text), when the caller has it.

    Returns anchors with a resolved speaker, in order; anchors with no findable speaker are dropped."""
    found_anchors = _anchors(text, lex, words)
    full = bool(found_anchors) or bool(_APPOSITIVE_HINT.search(text))
    mentions = _actor_mentions(text, lex, state, full, words)
    if full:
        _learn_names(text, mentions, state, lex.heads)
    place_before = state.last_place
    for mention in mentions:
        if mention.kind == "place" and len(mention.parties) == 1 and mention.parties[0] not in ("MEDIA", "UNK"):
            state.last_place = mention
    phrases = _merge(text, mentions)
    if not found_anchors:
        for phrase in phrases:
            if phrase.parties and phrase.kind != "pronoun":
                _remember(phrase, phrase.parties, state)
        return []
    asides = [(m.start(), m.end()) for m in _RELATIVE_ASIDE.finditer(text)]
    who_clauses = [(s, e) for s, e in asides if _WHO_CLAUSE.match(text, s)]
    for m in (_REDUCED_RELATIVE.finditer(text) if " by " in text else ()):
        holder = next((p for p in phrases if p.start >= m.end()), None)
        if holder is not None and text[max(0, m.start() - 2):m.start()].strip() not in ("was", "were") \
                and not re.search(r"\b(?:was|were|is|are|been)\s+$", text[:m.start()]):
            # "an official quoted by a Kyiv newspaper said": the newspaper only relays the official.
            asides.append((m.start() - 1, holder.end + 1))
            who_clauses.append((m.start() - 1, holder.end + 1))
    anchors = []
    clause_holders: dict[int, Mention] = {}
    for anchor in found_anchors:
        clause = next(((s, e) for s, e in who_clauses if s <= anchor.start < e), None)
        if clause is None:
            anchors.append(anchor)
            continue
        # "Russia, which has denied the reports, says ...": a denial in the clause is the holder's.
        if anchor.frame == "non_denial" or lex.denial_verb_re.fullmatch(anchor.word) or \
                anchor.word.lower() in ("called", "calls", "described", "branded"):
            holder = next((p for p in reversed(phrases) if p.end <= clause[0] and not text[p.end:clause[0]].strip()), None)
            if holder is not None:
                anchors.append(anchor)
                clause_holders[id(anchor)] = holder
    results: list[Attribution] = []
    remembered: set[int] = set()
    previous_anchor: _Anchor | None = None
    for anchor in anchors:
        if anchor.frame == "noun" and previous_anchor is not None and previous_anchor.frame == "verb" \
                and _OBJECT_GAP.fullmatch(text, previous_anchor.end, anchor.start):
            continue  # "dismissed the French allegations": the allegations are what is dismissed
        previous_anchor = anchor
        speaker = clause_holders.get(id(anchor)) or _find_speaker(text, anchor, phrases, asides, results, state, lex)
        if speaker is None:
            continue
        if speaker.kind != "previous" and anchor.frame != "non_denial" and any(
                r.speaker_start == speaker.start and r.frame != "non_denial" and abs(anchor.start - r.cue_end) < 30
                for r in results):
            continue  # "According to Pentagon estimates": one speaker, one attribution
        for phrase in phrases:
            if phrase.end <= speaker.start and id(phrase) not in remembered and phrase.parties:
                _remember(phrase, phrase.parties, state)
                remembered.add(id(phrase))
        parties = speaker.parties if speaker.kind == "previous" else (
            _possessor_in_sentence(speaker, phrases) or _resolve(speaker, state))
        if speaker.kind != "previous" and parties and _FORMER.match(speaker.text):
            parties = ("UNK",)  # "the former head of the army said": no longer speaks for a government
        if parties == ("MEDIA",) and speaker.kind != "previous" and (
                _PARTISAN_AFTER.match(text, speaker.end)
                or _PARTISAN_BEFORE.search(text, max(0, speaker.start - 24), speaker.start)):
            parties = ("UNK",)  # "a Telegram channel linked to Wagner", "pro-Kremlin bloggers": a side's voice, no outlet
        if parties == ("UNK",):
            parties = _country_of(text, speaker, mentions, place_before) or _whose(text, speaker, phrases) \
                or _briefed_by(text, speaker, phrases, state) \
                or _state_media_owner(speaker, phrases, state) or _place_of_lead_in(text, speaker, phrases) or parties
        if not parties:
            continue
        if speaker.kind != "previous":
            _remember(speaker, parties, state)
            remembered.add(id(speaker))
            if speaker.kind != "pronoun":
                state.last_speaker = Mention(speaker.start, speaker.end, speaker.text, parties, speaker.kind,
                                             speaker.group)
                state.last_speaker_sentence = state.sentence_index
        results.append(Attribution(
            speaker=_speaker_text(original, speaker, anchor.start),
            parties=parties,
            cue=original[anchor.start:anchor.end],
            cue_start=anchor.start,
            cue_end=anchor.end,
            scope_start=0,
            scope_end=len(text),
            frame=anchor.frame,
            speaker_start=speaker.start,
            speaker_end=speaker.end,
            is_denial_verb=bool(lex.denial_verb_re.fullmatch(anchor.word)
                                or (anchor.frame == "by" and lex.denial_verb_re.match(anchor.word))),
            is_non_denial=anchor.frame == "non_denial",
            background=id(anchor) in clause_holders,
            carried=_how_carried(speaker, parties) or (
                "antecedent" if anchor.frame == "impersonal" and parties != ("UNK",) else ""),
        ))
    # Remember every actor named, so "he", "Kim" and "the agency" find them later.
    for phrase in phrases:
        if id(phrase) not in remembered and phrase.parties and phrase.kind != "pronoun":
            _remember(phrase, phrase.parties, state)
    _set_scopes(text, results)
    _mark_relays(results)
    return results


def _tail_words(text: str, start: int) -> list[str]:
    """Words after an attribution, not counting a trailing ", who ..." clause."""
    tail = _TAIL_ADJUNCT.split(text[start:], maxsplit=1)[0]
    return _TAIL_WORD.findall(tail)


_TAIL_ADJUNCT = re.compile(
    r",\s*(?:who|which|whose|a|an|the|speaking|citing|adding|referring|according|in|on|at|"
    r"after|before|during|while|up|down|compared|double|twice|\w+ing|\w+ly\s+\w+ing)\b")
_TAIL_WORD = re.compile(r"[\w'’.-]*\w[\w'’.-]*")


_TAIL_FIRST_WORDS = frozenset(
    "on in at during after before late early last this yesterday today tonight earlier later when as while "
    "reporters journalists lawmakers parliament according citing adding saying without speaking referring "
    "separately again also publicly privately repeatedly recently".split())
_TAIL_OBJECTS = frozenset(
    "briefing news press statement interview conference meeting committee hearing parliament video post "
    "agency newspaper broadcaster reporters journalists lawmakers security national daily weekly".split())


def _ends_attribution(tail_words: list[str]) -> bool:
    """True when the words after a verb are adjuncts ('on Monday', 'told reporters', 'in a
    statement', 'told Reuters'), not an object that makes the verb a statement of its own
    ('acknowledged the role of North Korean units')."""
    if not tail_words:
        return True
    first = tail_words[0].lower().strip(".,")
    if first in _TAIL_FIRST_WORDS or tail_words[0][:1].isupper():
        return True
    if first in ("a", "an", "the", "his", "her", "its", "their") and len(tail_words) > 1:
        second = tail_words[1].lower().strip(".,")
        return second in _TAIL_OBJECTS or tail_words[1][:1].isupper() or (
            len(tail_words) > 2 and tail_words[2].lower().strip(".,") in _TAIL_OBJECTS)
    return False


_THAT_OR_DIGIT = re.compile(r"\bthat\b|\d", re.IGNORECASE)


def _set_scopes(text: str, attributions: list[Attribution]) -> None:
    """Scope of each anchor: forward to the next speaker, or backward for end attribution."""
    ordered = sorted(attributions, key=lambda a: a.cue_start)
    for i, attribution in enumerate(ordered):
        head_start = min(attribution.cue_start, attribution.speaker_start)
        head_end = max(attribution.cue_end, attribution.speaker_end)
        next_start = len(text)
        if i + 1 < len(ordered):
            following = ordered[i + 1]
            next_start = following.cue_start
            if head_end < following.speaker_start < following.cue_start:
                next_start = following.speaker_start
        previous_end = 0
        if i > 0:
            prior = ordered[i - 1]
            previous_end = max(prior.cue_end, prior.speaker_end)
        lead = text[:head_start].rstrip()
        following_cue = ordered[i + 1].cue_start if i + 1 < len(ordered) else len(text)
        tail_words = _tail_words(text[:max(head_end, following_cue)], head_end)
        lead_in = _LEAD_IN.match(text)
        only_lead_in = lead_in is not None and lead_in.end() >= head_start - 1  # "Until then, X called ..."
        after_quote = lead.endswith(('"', "'"))
        after_clause = lead.endswith((",", "--", "\u2014", ":")) and len(lead.split()) >= 6 and not only_lead_in
        tail_has_clause = bool(_THAT_OR_DIGIT.search(" ".join(tail_words)))
        attribution.at_end = (len(tail_words) <= 14 and _ends_attribution(tail_words) and not tail_has_clause
                              and (after_quote or after_clause))
        mid_according = (attribution.frame == "preposition" and lead.endswith(",")
                         and attribution.cue.lower().startswith("according"))
        short_by = attribution.frame == "by" and len(tail_words) <= 8 and not tail_has_clause
        parenthetical = lead.endswith(",") and text[head_end:].lstrip().startswith(",") and not attribution.at_end
        if parenthetical or (mid_according and not attribution.at_end):
            # "Some of them, the agency said, had been deployed to the front lines."
            # "X stands at 11,000, according to U.S. officials, with 8,000 of them in Kursk."
            attribution.scope_start, attribution.scope_end = previous_end, max(previous_end, next_start)
        elif short_by and not attribution.at_end:
            # "..., a view echoed by officials in Seoul."
            attribution.scope_start, attribution.scope_end = 0, head_start
        elif attribution.at_end:
            attribution.tail_end = max(head_end, following_cue)
            start = previous_end
            if i > 0 and ordered[i - 1].at_end and len(text[previous_end:head_start].split()) <= 4:
                start = ordered[i - 1].scope_start  # "..., the Times reported, citing officials."
            attribution.scope_start, attribution.scope_end = start, max(start, head_start)
        else:
            attribution.scope_start, attribution.scope_end = head_end, max(head_end, next_start)


def _mark_relays(attributions: list[Attribution]) -> None:
    """A channel relaying another speaker in the same sentence is not itself the source: an
    outlet ('"The agency said ...," Yonhap said'), or an unplaced source at the end ("the spy
    agency said, according to a lawmaker")."""
    for outer in attributions:
        if outer.parties == ("MEDIA",) and outer.frame == "by" and outer.cue.lower().startswith(("cited", "quoted")):
            # "The NIS said in a report cited by Yonhap that ...": the outlet only carries the report.
            source = next((a for a in attributions if a is not outer and a.parties != ("MEDIA",)
                           and 0 <= a.cue_start < outer.cue_start), None)
            if source is not None:
                outer.relayed = True
                source.scope_start = min(source.scope_start, outer.scope_start)
                source.scope_end = max(source.scope_end, outer.scope_end)
                continue
        if outer.parties == ("MEDIA",):
            for inner in attributions:
                if inner is outer or inner.parties == ("MEDIA",):
                    continue
                inside = outer.scope_start <= inner.speaker_start < outer.scope_end
                citing = inner.frame == "preposition" and inner.cue.lower().startswith(("citing", "cited", "quot"))
                before_at_end = outer.at_end and 0 <= inner.cue_start < outer.cue_start
                if inside or citing or before_at_end:
                    outer.relayed = True
                if citing:
                    # "The Times, citing U.S. officials, reported that ...": what the outlet
                    # reports is what the cited source said.
                    inner.scope_start = min(inner.scope_start, outer.scope_start)
                    inner.scope_end = max(inner.scope_end, outer.scope_end)
        elif outer.parties == ("UNK",) and outer.at_end and outer.frame == "preposition":
            if any(inner is not outer and inner.parties not in (("UNK",), ("MEDIA",)) and 0 <= inner.cue_start
                   < outer.cue_start for inner in attributions):
                outer.relayed = True


def next_sentence_attribution(next_text: str, next_original: str, lex: Lexicon, state: ArticleState) -> Attribution | None:
    """'This was stated at a briefing by X.' / "That's according to X." in the sentence after a
    statement: the speaker of the previous sentence, or None."""
    match = _NEXT_SENTENCE_ATTRIBUTION.match(next_text) or _THATS_ACCORDING.match(next_text)
    if not match:
        return None
    phrases = _merge(next_text, _actor_mentions(next_text, lex, state))
    speaker = _subject_after(next_text, match.end(), phrases)
    if speaker is None:
        return None
    parties = _resolve(speaker, state)
    if not parties:
        return None
    cue = next_original[:match.end()].strip()
    return Attribution(speaker=_speaker_text(next_original, speaker), parties=parties, cue=cue,
                       cue_start=-1, cue_end=-1, scope_start=0, scope_end=0, frame="next_sentence",
                       carried="next sentence")


def names_reports(text: str, topic: Topic) -> bool:
    """True when text names the troop reports or what they report: reports, claims,
    allegations, the presence, deployment or sending of troops, North Korea ..."""
    return bool(topic.rules.report_object.search(text))


def denies_other_sides_claims(text: str, topic: Topic) -> bool:
    """"Zelensky called Russia's claims lies": the text names another side's claims, not the
    troop reports (unless those claims are about the troops)."""
    return bool(topic.rules.other_sides_claims.search(text)) and not topic.rules.troops_in_object.search(text)


def passive_subject_is_topic(before_cue: str, topic: Topic) -> bool:
    """For "Reports of North Korean soldiers were dismissed by the Kremlin": True when the
    subject of the passive denial names the reports, the deployment or North Korea."""
    return names_reports(before_cue, topic) and not denies_other_sides_claims(before_cue, topic)


def denial_object_is_topic(text: str, cue_end: int, topic: Topic, before_speaker: str = "") -> bool:
    """True when a denial verb's object is the troop reports ("denied the reports", "dismissed
    claims that North Korean troops...", "denied sending soldiers", "denied it", "reports which
    Moscow has denied"), not something else ("denied that its troops had withdrawn", "deny
    access", "denied trading in weapons"). `before_speaker`: the sentence up to the denier."""
    window = _CLAUSE_PUNCTUATION.split(text[cue_end:cue_end + 120], maxsplit=1)[0]
    if _PRONOUN_OBJECT.match(window):
        return True
    if not window.strip() and _REPORTS_BEFORE.search(before_speaker):
        return True  # "... reports, which Moscow has denied." / "a claim denied by Moscow"
    head = " ".join(window.split()[:8])
    if denies_other_sides_claims(head, topic):
        return False  # "Kyiv dismissed Russian claims that Kursk had fallen": someone else's claims
    content = _THAT_CLAUSE.search(window)
    if content and not topic.rules.troops_in_object.search(content.group(1)) \
            and topic.rules.other_actor_subject.match(content.group(1)):
        return False  # "denied a report that Seoul had sent officers to Ukraine"
    return names_reports(head, topic)


_CLAUSE_PUNCTUATION = re.compile(r"[.;,]")
_REPORTS_BEFORE = re.compile(r"\b(?:which|reports?|claims?|allegations?|accounts?)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_THAT_CLAUSE = re.compile(r"\b(?:reports?|claims?|allegations?|accounts?|suggestions?)\s+that\s+(.{0,100})", re.IGNORECASE)
@dataclass(slots=True)
class SentenceReading:
    """One sentence with its attributions and whether the sentence before named the subject."""

    sentence: object            # analysis.load.Sentence
    text: str                   # normalised sentence text (same offsets as the original)
    attributions: list[Attribution]
    context_subject: bool       # one of the three sentences before named the subject country
    words: SentenceWords | None = None  # its words, to skip vocabularies that cannot match

    def may_match(self, opening: Openers | None, start: int = 0, end: int | None = None) -> bool:
        """False when the vocabulary pattern with these openers (Lexicon.openers) cannot match
        in text[start:end]."""
        return self.words is None or self.words.may_match(opening, start, end)

    def search(self, pattern: re.Pattern, opening: Openers | None, start: int = 0,
               end: int | None = None) -> re.Match | None:
        """`pattern.search(text[start:end])` for a vocabulary pattern with these openers
        (Lexicon.openers), tried only where an opener is written."""
        if self.words is None:
            return pattern.search(self.text[start:end])
        return self.words.search(pattern, opening, start, end)

    def finditer(self, pattern: re.Pattern, opening: Openers | None, start: int = 0,
                 end: int | None = None) -> list[re.Match]:
        """The matches of `pattern.finditer(text[start:end])`, as `search`."""
        if self.words is None:
            return list(pattern.finditer(self.text[start:end]))
        return self.words.finditer(pattern, opening, start, end)


# Between a figure and the source that gave it: "the 10,000 [troops] cited by Kyiv", "the 8,000
# [that] US officials reported", "the 8,000 it reported".
_TO_OWN_SOURCE_BY = re.compile(r"(?:\s+[\w-]+){0,3}?\s+")
_TO_OWN_SOURCE_CLAUSE = re.compile(r"(?:\s+[\w-]+){0,3}?\s+(?:(?:that|which)\s+)?")
_SOURCE_VERBS = frozenset("reported reports cited cites estimated estimates gave gives counted counts put puts "
                          "assessed assesses announced claimed claims".split())


def figure_source(reading: SentenceReading, figure_end: int) -> Attribution | None:
    """The attribution that names a figure's own source right after it (the figure ends at
    `figure_end` in the sentence), or None: "up from the 10,000 cited by Kyiv", "the 8,000 that
    US officials reported" (the figure is that source's, not the sentence's speaker's)."""
    text = reading.text
    for attribution in reading.attributions:
        if attribution.relayed or not attribution.parties or attribution.cue_start < figure_end:
            continue
        if attribution.frame == "by":
            if _TO_OWN_SOURCE_BY.fullmatch(text, figure_end, attribution.cue_start):
                return attribution
        elif attribution.frame == "verb" and attribution.speaker_start >= figure_end \
                and attribution.cue.lower() in _SOURCE_VERBS \
                and not text[attribution.speaker_end:attribution.cue_start].strip() \
                and _TO_OWN_SOURCE_CLAUSE.fullmatch(text, figure_end, attribution.speaker_start):
            return attribution
    return None


def _mark_subject_personnel(text: str, original: str, attribution: Attribution, topic) -> None:
    """A speaker who is one of the subject's soldiers ("a captured North Korean soldier told
    the paper", "one of the North Korean prisoners, identified only as Ri, said") speaks for no
    government (UNK), and what they say of themselves is about the topic."""
    start, end = attribution.speaker_start, attribution.cue_start
    if attribution.frame != "verb" or start < 0 or not 0 < end - start <= 160 or attribution.carried:
        return
    described = text[start:end]
    soldier = _SOLDIER_SPEAKER.match(text, attribution.speaker_end, end)
    if soldier and topic.names_subject(described):
        attribution.parties = ("UNK",)
        attribution.subject_personnel = True
        attribution.speaker = original[start:soldier.end()].strip(" ,")  # "North Korean soldier", not "North Korean"


# The nouns that make a speaker one of the soldiers rather than an office that speaks for them.
# (right after the speaker's mention, before its verb or an aside: "North Korean [soldier] told").
_SOLDIER_SPEAKER = re.compile(r"\s+(?:soldiers?|servicem[ae]n|prisoners?|POWs?|captives?|infantrym[ae]n|"
                              r"deserters?|defectors?|conscripts?|recruits?)\b"
                              r"(?:\s+(?:captured|held|detained|taken)\s+by\s+[^,;\"“”]{1,60}?)?(?:\s*$|,)",
                              re.IGNORECASE)


def attribute_article(article, lex: Lexicon, topic) -> list[SentenceReading]:
    """Read an article sentence by sentence -> SentenceReading per sentence.

    Speakers carry forward ("he", "the lawmakers"), a speaker named in the next sentence
    ("This was stated by ...") is given to the sentence before, and a quote that continues a
    quoted speaker keeps that speaker."""
    state = ArticleState()
    readings: list[SentenceReading] = []
    named_at = -10  # index of the last sentence that named the subject country
    named_paragraph = -10  # and its paragraph
    for index, sentence in enumerate(article.sentences):
        state.sentence_index = index
        text = article.body_norm[sentence.start:sentence.end]
        previous = readings[-1] if readings else None
        if previous is not None and not previous.attributions:
            carried = next_sentence_attribution(text, sentence.text, lex, state)
            if carried is not None:
                carried.scope_end = len(previous.text)
                previous.attributions.append(carried)
        words = SentenceWords(text)
        attributions = attribute_sentence(text, sentence.text, lex, state, words)
        for attribution in attributions:
            _mark_subject_personnel(text, sentence.text, attribution, topic)
        # A reader keeps the subject in mind for a few sentences after it was named, and through
        # the rest of that paragraph and the next one.
        in_context = index - named_at <= 3 or sentence.paragraph_no - named_paragraph <= 1
        readings.append(SentenceReading(sentence, text, attributions, in_context, words))
        if topic.names_subject(text):
            named_at = index
            named_paragraph = sentence.paragraph_no
    _attribute_quotes(readings)
    return readings


def _quote_source(reading: SentenceReading, closing: bool = False) -> Attribution | None:
    """The attribution of a sentence that opens or closes a quote: the one at its end when
    `closing` ('..., said Budanov.'), else its last."""
    pool = [a for a in reading.attributions if a.frame != "quote" or not closing]
    if closing:
        return next((a for a in pool if a.at_end), None)
    return pool[-1] if pool else None


def _continued(source: Attribution, length: int) -> Attribution:
    return Attribution(speaker=source.speaker, parties=source.parties, cue="(quote continues)", cue_start=-1,
                       cue_end=-1, scope_start=0, scope_end=length, frame="quote", carried="quote")


def _attribute_quotes(readings: list[SentenceReading]) -> None:
    """Sentences of a quote that name no speaker take the quote's speaker, as a reader does:
    - inside a quote that runs over several sentences ('"They are here. They fight. They
      will stay," said Budanov.'): the speaker of the sentence that opened it, or of the one
      that closes it;
    - a sentence that opens a new quote right after an attributed quote, in the same
      paragraph or at the start of the next ('"...," Budanov said.' then '"They will stay."')."""
    open_at: int | None = None   # index of the sentence whose quote is still open
    for i, reading in enumerate(readings):
        paragraph = reading.sentence.paragraph_no
        if i and readings[i - 1].sentence.paragraph_no != paragraph:
            open_at = None  # a quote does not run on past its paragraph unannounced
        quotes = reading.text.count('"')
        if not reading.attributions:
            source = None
            if open_at is not None:
                source = _quote_source(readings[open_at]) or _closing_source(readings, i)
            elif reading.text.lstrip().startswith('"'):
                previous = readings[i - 1] if i else None
                if previous is not None and previous.attributions and (
                        previous.sentence.paragraph_no == paragraph
                        or (previous.sentence.paragraph_no == paragraph - 1 and '"' in previous.text)):
                    source = previous.attributions[-1]
                elif quotes % 2 == 1:
                    source = _closing_source(readings, i + 1)
            if source is not None:
                reading.attributions.append(_continued(source, len(reading.text)))
        if quotes % 2 == 1:
            open_at = i if open_at is None else None


def _closing_source(readings: list[SentenceReading], start: int) -> Attribution | None:
    """The end attribution of the sentence, from `start` on in the same paragraph, that closes
    the quote open before it."""
    if start >= len(readings) or start == 0:
        return None
    paragraph = readings[start - 1].sentence.paragraph_no
    for later in readings[start:start + 5]:
        if later.sentence.paragraph_no != paragraph:
            return None
        if later.text.count('"') % 2 == 1:
            return _quote_source(later, closing=True)
    return None


_CONDITIONAL = re.compile(r"\b(?:if|unless|in\s+case|provided\s+that|were\s+(?:it|they)\s+to)\b", re.IGNORECASE)
_CONDITIONAL_WORDS = re.compile("if|unless|in case|provided|were")  # a cheap scan before the pattern
CHECK_REASONS = ("topic carried", "speaker carried", "pronoun speaker", "conditional", "vague figure")


def check_reasons(attribution: Attribution | None, topic_carried: bool, statement: str) -> str:
    """Why a row's evidence is weaker than a sentence that names North Korea, its speaker and
    what they said (README, "check"): the topic or the speaker came from sentences around it,
    the speaker is a pronoun, the statement is conditional. `; `-joined, empty when none."""
    reasons = []
    if topic_carried:
        reasons.append("topic carried")
    if attribution is not None and attribution.carried in ("antecedent", "quote", "next sentence"):
        reasons.append("speaker carried")
    if attribution is not None and attribution.carried == "pronoun":
        reasons.append("pronoun speaker")
    if _CONDITIONAL_WORDS.search(statement.lower()) and _CONDITIONAL.search(statement):
        reasons.append("conditional")
    return "; ".join(reasons)
