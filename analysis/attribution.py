"""Who says what in a sentence: speakers, their reporting cues and the span of their statement.

Shared by the claims table and the estimates table, so both attribute a sentence the same way.

The approach is rule-based and reads the way a reader follows attribution:
1. *Mentions*: actors from the vocabulary (people, institutions, places, demonyms, outlets),
   speaker nouns ("officials", "the agency"), pronouns and unknown capitalised names; adjacent
   pieces merge into one noun phrase ("Kremlin spokesman Dmitry Peskov"), and "and" joins
   phrases into a group of several parties ("South Korean and Ukrainian officials").
2. *Anchors*: reporting verbs ("said", "confirmed"), prepositions ("according to", "citing"),
   passives ("was stated by") and non-denial phrases ("did not deny").
3. *Speaker* of each anchor: the phrase before the verb (skipping asides between commas), the
   phrase after it ("said Budanov"), or the phrase after the preposition. Pronouns and
   definite descriptions ("he", "the lawmakers") resolve to earlier speakers in the article.
4. *Scope*: the statement an anchor governs: what follows it ("X said that ...") or, for
   attribution at the end ("..., the Pentagon said."), what precedes it.
All offsets here are relative to the sentence text passed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import Lexicon

PRONOUN_PARTIES_PERSON = ("he", "she", "him", "his", "her")
PRONOUN_PLURAL = ("they", "their", "them")
PRONOUN_THING = ("it", "its")

_PRONOUN_RE = re.compile(r"(?<![\w'-])(he|she|they|it|his|her|their|its)(?![\w'-])", re.IGNORECASE)
# Two to four capitalised words (with Korean-style hyphenated given names): a name we may not know.
_NAME_RE = re.compile(
    r"(?<![\w'’-])((?:[A-Z][a-z]+(?:-[a-z]+)?|[A-Z]\.)(?:\s+(?:[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?|[A-Z]\.|von|van|der|de)){1,3})(?![\w-])"
)
_SINGLE_CAP_RE = re.compile(r"(?<![\w'’-])([A-Z][a-z]+(?:-[A-Z]?[a-z]+)?)(?![\w-])\s*$")
# Words that may sit between the pieces of one speaker phrase: titles, ranks, offices.
_TITLE_WORD = re.compile(
    r"(?:the|a|an|of|for|to|on|'s|’s|[A-Z][\w.'’-]*|deputy|vice|chief|head|senior|top|former|acting|"
    r"press|secretary|spokesman|spokeswoman|spokesperson|minister|president|prime|leader|dictator|"
    r"director|general|national|security|adviser|advisor|ambassador|envoy|foreign|defense|defence|"
    r"military|intelligence|army|armed|forces|commander|in|affairs|state|chair|chairman|chairwoman|"
    r"member|lawmaker|lawmakers|official|officials|opposition|ruling|party|parliamentary|committee|"
    r"agency|service|ministry|office|presidential|spy|news|media|u\.s\.|un|eu|nato)$",
)
_DETERMINER_BEFORE = re.compile(
    r"(?:\b(?:the|these|those|such|this|that|a|an|his|her|their|its|our|any|of|unconfirmed|"
    r"earlier|previous|recent|new|latest|media|press|initial|first|western|official|so-called)\s+)$",
    re.IGNORECASE,
)
_BE_BEFORE = re.compile(r"\b(?:was|were|is|are|be|been|being|has\s+been|have\s+been|had\s+been)\s+$", re.IGNORECASE)
_NOUN_VERBS = {"claims", "claim", "reports", "report", "estimates", "estimate", "show", "shows",
               "assessment", "denial", "denials", "reporting", "calls", "says"}
_NEVER_ANCHOR_AFTER = re.compile(r"^\s*(?:for|on|off|up|in\s+for)\b", re.IGNORECASE)
_ASIDE = re.compile(r",[^,\"“”]{0,120},")
_PAREN = re.compile(r"\([^()]{0,120}\)")
_GAP_OK = re.compile(
    r"^(?:\s|,|(?:has|have|had|also|further|again|recently|previously|earlier|later|now|then|"
    r"repeatedly|publicly|separately|officially|privately|reportedly|allegedly|would|will|did|does|"
    r"do|not|never|once|first|yesterday|today|tonight|already|openly|flatly|quickly|swiftly|"
    r"angrily|strongly|firmly|categorically|initially|on|in|at|this|last|week|month|year|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|morning|evening|"
    r"however|meanwhile|too|both|all|each|who|which|is|are|was|were|been|has\s+also|had\s+also)\b)*$",
    re.IGNORECASE,
)
_THAT_OR_QUOTE = re.compile(r"\bthat\b|[\"“”;:]", re.IGNORECASE)
_WORD = re.compile(r"[\w'’.-]+")
_JOINER = re.compile(r"^\s*(?:,\s*and|and|&|,)\s*$")
_REPORT_OBJECT = re.compile(
    r"\b(?:reports?|claims?|allegations?|accusations?|information|speculation|rumou?rs?|"
    r"media|presence|involvement|participation|deployment|sending|sent|dispatch|deploying|"
    r"troops|soldiers|north\s+korea\w*|pyongyang|dprk|it|this|that|any)\b",
    re.IGNORECASE,
)
_NEXT_SENTENCE_ATTRIBUTION = re.compile(
    r"^\s*(?:This|That|These|It|The\s+(?:figure|figures|number|numbers|estimate|estimates|information|"
    r"assessment|data|claim|claims|report|statement|remarks?|comments?))\s+"
    r"(?:was|were|is|are|has\s+been|had\s+been|have\s+been)\s+(?:first\s+|later\s+|also\s+)?"
    r"(?:stated|said|reported|announced|disclosed|revealed|confirmed|given|provided|made\s+public|"
    r"shared|published|released|voiced|relayed|presented)\b.{0,80}?\bby\s+",
    re.IGNORECASE,
)
_THATS_ACCORDING = re.compile(r"^\s*(?:That|This)(?:'s|’s|\s+is|\s+was)\s+according\s+to\s+", re.IGNORECASE)


@dataclass
class Mention:
    """A phrase naming a (possible) speaker."""

    start: int
    end: int
    text: str
    parties: tuple[str, ...]
    kind: str          # person, institution, place, demonym, media, group, pronoun, name
    group: str = ""    # antecedent group of a speaker noun ("official", "lawmaker", "report")
    pronoun: str = ""  # the pronoun word, when the phrase is or starts with one
    definite: bool = False


@dataclass
class Attribution:
    """One reporting anchor of a sentence with its resolved speaker and statement scope."""

    speaker: str
    parties: tuple[str, ...]
    cue: str
    cue_start: int
    cue_end: int
    scope_start: int
    scope_end: int
    frame: str                  # verb, preposition, by, non_denial, next_sentence, quote
    speaker_start: int = -1
    speaker_end: int = -1
    is_denial_verb: bool = False
    is_non_denial: bool = False
    relayed: bool = False       # an outlet only relaying another speaker in the same sentence


@dataclass
class ArticleState:
    """What a reader remembers while reading an article: who spoke last, names learned."""

    last_person: Mention | None = None
    last_plural: Mention | None = None
    last_thing: Mention | None = None
    by_group: dict[str, Mention] = field(default_factory=dict)
    learned: dict[str, str] = field(default_factory=dict)   # name or surname -> party
    last_speakers: list[Attribution] = field(default_factory=list)


def _actor_mentions(text: str, lex: Lexicon, state: ArticleState) -> list[Mention]:
    mentions = []
    for m in lex.actor_re.finditer(text):
        actor = lex.actors[m.group(0)]
        mentions.append(Mention(m.start(), m.end(), m.group(0), (actor.party,), actor.kind))
    for m in lex.head_re.finditer(text):
        head = m.group(0).lower()
        head_key = re.sub(r"\s+", " ", head)
        mentions.append(Mention(m.start(), m.end(), m.group(0), (), "group", lex.heads.get(head_key, "")))
    for m in _PRONOUN_RE.finditer(text):
        mentions.append(Mention(m.start(), m.end(), m.group(0), (), "pronoun", pronoun=m.group(1).lower()))
    taken = [(x.start, x.end) for x in mentions]
    for m in _NAME_RE.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        name = m.group(1)
        party = state.learned.get(name) or state.learned.get(name.split()[-1])
        mentions.append(Mention(m.start(), m.end(), name, (party,) if party else (), "name"))
    mentions.sort(key=lambda x: (x.start, -x.end))
    # Drop mentions nested in a longer one (a head inside an actor name, "US" inside "USFK").
    kept: list[Mention] = []
    for mention in mentions:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


def _is_glue(gap: str) -> bool:
    """True when the words between two mentions keep them in one phrase (titles, possessives)."""
    words = gap.split()
    if len(words) > 5:
        return False
    if "," in gap or '"' in gap or ";" in gap:
        return False
    return all(_TITLE_WORD.match(w) for w in words)


def _merge(text: str, mentions: list[Mention]) -> list[Mention]:
    """Merge adjacent mentions into phrases, and "and"-joined phrases into groups."""
    phrases: list[Mention] = []
    for mention in mentions:
        if phrases:
            last = phrases[-1]
            gap = text[last.end:mention.start]
            if (_is_glue(gap) and last.kind != "pronoun") or (
                last.kind == "pronoun" and last.pronoun in ("his", "her", "their", "its")
                and mention.kind == "group" and not gap.strip()
            ):
                phrases[-1] = _combine(text, last, mention, joined=False)
                continue
        phrases.append(Mention(mention.start, mention.end, mention.text, mention.parties, mention.kind,
                               mention.group, mention.pronoun))
    # "and" joins: "South Korean and Ukrainian officials", "Seoul and Kyiv".
    grouped: list[Mention] = []
    for phrase in phrases:
        if grouped and _JOINER.match(text[grouped[-1].end:phrase.start]) and phrase.kind != "pronoun" \
                and grouped[-1].kind != "pronoun":
            gap = text[grouped[-1].end:phrase.start]
            # A bare comma joins only inside a list that ends with "and" (checked by the caller
            # seeing the whole group); here a comma alone never joins.
            if gap.strip() != ",":
                grouped[-1] = _combine(text, grouped[-1], phrase, joined=True)
                continue
        grouped.append(phrase)
    for phrase in grouped:
        start = phrase.start
        before = text[max(0, start - 4):start].lower()
        phrase.definite = before.endswith("the ")
    return grouped


def _combine(text: str, first: Mention, second: Mention, joined: bool) -> Mention:
    kinds = (first.kind, second.kind)
    if joined:
        parties = tuple(dict.fromkeys(first.parties + second.parties))
    elif "person" in kinds or "name" in kinds:
        # A named person decides the party ("Russia's ambassador to North Korea Alexander ...").
        person = second if second.kind in ("person", "name") and second.parties else first
        parties = person.parties or first.parties or second.parties
    else:
        parties = first.parties or second.parties
    kind = "group" if first.kind == "group" and second.kind == "group" else (
        second.kind if second.kind in ("person", "name") else first.kind if first.kind != "group" else second.kind)
    if first.kind == "pronoun":
        kind = "pronoun"
    merged = Mention(first.start, second.end, text[first.start:second.end], parties, kind,
                     second.group or first.group, first.pronoun or second.pronoun)
    if joined:
        merged.kind = "group" if first.kind == "group" or second.kind == "group" else first.kind
    return merged


def _resolve(mention: Mention, state: ArticleState) -> tuple[str, ...]:
    """Parties of a speaker phrase, resolving pronouns and definite descriptions."""
    if mention.parties:
        return mention.parties
    if mention.kind == "pronoun":
        word = mention.pronoun
        if word in PRONOUN_PARTIES_PERSON and state.last_person:
            return state.last_person.parties
        if word in PRONOUN_PLURAL and state.last_plural:
            return state.last_plural.parties
        if word in PRONOUN_THING and state.last_thing:
            return state.last_thing.parties
        return ()
    if mention.kind == "group" and mention.group:
        antecedent = state.by_group.get(mention.group)
        if antecedent and (mention.definite or mention.group == "report"):
            return antecedent.parties
    return ("UNK",)


def _remember(mention: Mention, parties: tuple[str, ...], state: ArticleState) -> None:
    if not parties:
        return
    resolved = Mention(mention.start, mention.end, mention.text, parties, mention.kind, mention.group)
    if mention.kind in ("person", "name"):
        state.last_person = resolved
    elif mention.kind == "group" and mention.text.lower().endswith("s"):
        state.last_plural = resolved
    elif mention.kind in ("institution", "place", "media", "group"):
        state.last_thing = resolved
    if mention.group:
        state.by_group[mention.group] = resolved
    if mention.kind == "media":
        state.by_group["report"] = resolved


def _learn_names(text: str, mentions: list[Mention], state: ArticleState) -> None:
    """Learn the party of names we do not know from how the article introduces them:
    "Dmytro Lykhovyi, a spokesman for Ukraine's army," / "Ukrainian spokesman Dmytro Lykhovyi"."""
    for i, mention in enumerate(mentions):
        if mention.kind != "name" or mention.parties:
            continue
        after = text[mention.end:mention.end + 160]
        appositive = re.match(r",\s*(?:a|an|the|who\s+is|who\s+heads|head\s+of)\b([^,;]{0,140})", after)
        party = ""
        if appositive:
            span_start = mention.end + appositive.start(1)
            span_end = mention.end + appositive.end(1)
            for other in mentions[i + 1:]:
                if other.start >= span_end:
                    break
                if other.start >= span_start and other.parties:
                    party = other.parties[0]
                    break
        if party:
            state.learned[mention.text] = party
            state.learned[mention.text.split()[-1]] = party
            mention.parties = (party,)


@dataclass
class _Anchor:
    start: int
    end: int
    word: str
    frame: str


def _anchors(text: str, lex: Lexicon) -> list[_Anchor]:
    anchors: list[_Anchor] = []
    blocked: list[tuple[int, int]] = []
    for m in lex.non_denial_re.finditer(text):
        anchors.append(_Anchor(m.start(), m.end(), m.group(0), "non_denial"))
        blocked.append((m.start(), m.end()))
    for m in lex.verb_re.finditer(text):
        if any(s <= m.start() < e for s, e in blocked):
            continue
        word = m.group(0).lower()
        frame = lex.verbs.get(re.sub(r"\s+", " ", word), "verb")
        before = text[:m.start()]
        after = text[m.end():]
        if frame in ("verb", "noun"):
            if word in _NOUN_VERBS and _DETERMINER_BEFORE.search(before[-30:]):
                continue
            if frame == "verb" and word not in _NOUN_VERBS and _DETERMINER_BEFORE.search(before[-30:]) \
                    and not re.search(r"\b(?:that|this)\s+$", before[-10:], re.IGNORECASE):
                continue  # "the reported deployment", "an estimated 10,000"
            if _BE_BEFORE.search(before[-20:]) and not re.match(r"\s+by\b", after):
                continue  # "were said to be", "have been told"
            if word in ("called", "calls") and _NEVER_ANCHOR_AFTER.match(after):
                continue  # "called for", "called on"
            if word in ("estimated", "estimate", "estimates") and re.match(r"\s*(?:at\s+)?[\d$]", after) \
                    and re.search(r"(?:\ban?\s+|\bthe\s+)$", before[-6:]):
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


_RELATIVE_ASIDE = re.compile(
    r",\s*(?:who|which|whose|where|when|while|in|at|during|after|before|speaking|citing|cited|"
    r"quoted|according|as|on|via|through)\b[^,\"“”]{0,160},|\([^()]{0,160}\)",
    re.IGNORECASE,
)


def _aside_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _RELATIVE_ASIDE.finditer(text)]


def _subject_before(text: str, anchor_start: int, phrases: list[Mention], floor: int) -> Mention | None:
    """The phrase that is the subject of a verb at anchor_start, or None."""
    asides = _aside_spans(text[:anchor_start])
    for phrase in reversed(phrases):
        if phrase.end > anchor_start or phrase.start < floor:
            continue
        if any(s < phrase.start and phrase.end <= e for s, e in asides):
            continue  # "..., who were briefed by the NIS, indicated": the NIS is not the speaker
        gap = text[phrase.end:anchor_start]
        if '"' in gap or "“" in gap or "”" in gap:
            return None
        stripped = _strip_asides(gap)
        if _GAP_OK.match(stripped) and len(stripped.split()) <= 8:
            return phrase
        if len(gap) > 200:
            return None
    return None


def _subject_after(text: str, anchor_end: int, phrases: list[Mention]) -> Mention | None:
    """'said Budanov', 'said the official', 'according to X': the phrase right after."""
    for phrase in phrases:
        if phrase.start < anchor_end:
            continue
        gap = text[anchor_end:phrase.start]
        if re.fullmatch(r"\s*(?:by\s+)?(?:the\s+|a\s+|an\s+|two\s+|three\s+|several\s+|some\s+|other\s+|"
                        r"senior\s+|top\s+|unnamed\s+|anonymous\s+)*", gap, re.IGNORECASE):
            return phrase
        return None
    return None


def _speaker_text(original: str, mention: Mention) -> str:
    return original[mention.start:mention.end].strip(" ,")


def attribute_sentence(text: str, original: str, lex: Lexicon, state: ArticleState) -> list[Attribution]:
    """Attributions of one sentence (normalised text and its original), updating `state`.

    Returns anchors with a resolved speaker, in order; anchors with no findable speaker are dropped."""
    mentions = _actor_mentions(text, lex, state)
    _learn_names(text, mentions, state)
    phrases = _merge(text, mentions)
    relative_clauses = [(m.start(), m.end()) for m in _RELATIVE_ASIDE.finditer(text)
                        if re.match(r",\s*(?:who|which|whose)\b", m.group(0), re.IGNORECASE)]
    anchors = [a for a in _anchors(text, lex)
               if not any(s < a.start < e for s, e in relative_clauses)]
    results: list[Attribution] = []
    used_phrases: set[int] = set()
    for index, anchor in enumerate(anchors):
        speaker: Mention | None = None
        frame = anchor.frame
        if frame in ("preposition", "by"):
            speaker = _subject_after(text, anchor.end, phrases)
        else:
            floor = 0
            speaker = _subject_before(text, anchor.start, phrases, floor)
            if speaker is None:
                speaker = _subject_after(text, anchor.end, phrases)
            if speaker is None:
                single = _SINGLE_CAP_RE.search(text[max(0, anchor.start - 40):anchor.start].rstrip() + " ")
                if single and single.group(1) not in ("The", "It", "This", "That", "He", "She", "They"):
                    name = single.group(1)
                    start = anchor.start - len(text[max(0, anchor.start - 40):anchor.start]) + single.start(1)
                    party = state.learned.get(name, "UNK")
                    speaker = Mention(start, start + len(name), name, (party,), "name")
        if speaker is None:
            continue
        if any(r.speaker_start == speaker.start for r in results):
            continue  # "According to Pentagon estimates": one speaker, one attribution
        for phrase in phrases:
            if phrase.end <= speaker.start and id(phrase) not in used_phrases and phrase.parties \
                    and phrase.kind in ("person", "institution", "media", "name", "group"):
                _remember(phrase, phrase.parties, state)
                used_phrases.add(id(phrase))
        parties = _resolve(speaker, state)
        if not parties:
            continue
        _remember(speaker, parties, state)
        used_phrases.add(id(speaker))
        results.append(Attribution(
            speaker=_speaker_text(original, speaker),
            parties=parties,
            cue=original[anchor.start:anchor.end],
            cue_start=anchor.start,
            cue_end=anchor.end,
            scope_start=0,
            scope_end=len(text),
            frame=frame,
            speaker_start=speaker.start,
            speaker_end=speaker.end,
            is_denial_verb=bool(lex.denial_verb_re.fullmatch(anchor.word)),
            is_non_denial=frame == "non_denial",
        ))
    # Remember every actor named, so "he" and "the agency" find them later.
    for phrase in phrases:
        if id(phrase) not in used_phrases and phrase.kind in ("person", "institution", "media", "name", "group") \
                and phrase.parties:
            _remember(phrase, phrase.parties, state)
    _set_scopes(text, results)
    _mark_relays(results)
    return results


def _set_scopes(text: str, attributions: list[Attribution]) -> None:
    """Scope of each anchor: forward to the next speaker, or backward for end attribution."""
    ordered = sorted(attributions, key=lambda a: a.cue_start)
    for i, attribution in enumerate(ordered):
        head_start = min(attribution.cue_start, attribution.speaker_start)
        head_end = max(attribution.cue_end, attribution.speaker_end)
        next_start = len(text)
        if i + 1 < len(ordered):
            following = ordered[i + 1]
            next_start = min(following.cue_start, following.speaker_start
                             if following.speaker_start > head_end else following.cue_start)
        previous_end = 0
        if i > 0:
            prior = ordered[i - 1]
            previous_end = max(prior.cue_end, prior.speaker_end)
        tail = text[head_end:]
        tail_words = _WORD.findall(tail)
        lead = text[:head_start].rstrip()
        at_end = (len(tail_words) <= 8 and not re.search(r"\bthat\b|\d", tail, re.IGNORECASE)
                  and head_start > 0 and lead.endswith((",", '"', "'", "--", "\u2014", ":")))
        if attribution.frame in ("preposition", "by") and not at_end:
            attribution.scope_start, attribution.scope_end = head_end, max(head_end, next_start)
        elif at_end:
            start = previous_end
            attribution.scope_start, attribution.scope_end = start, max(start, head_start)
        else:
            attribution.scope_start, attribution.scope_end = head_end, max(head_end, next_start)


def _mark_relays(attributions: list[Attribution]) -> None:
    """An outlet relaying another speaker in the same sentence is not itself the source."""
    for outer in attributions:
        if outer.parties != ("MEDIA",):
            continue
        for inner in attributions:
            if inner is outer or inner.parties == ("MEDIA",):
                continue
            inside = outer.scope_start <= inner.speaker_start < outer.scope_end
            citing = inner.frame == "preposition" and inner.cue.lower().startswith(("citing", "cited", "quot"))
            if inside or citing:
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
                       cue_start=-1, cue_end=-1, scope_start=0, scope_end=0, frame="next_sentence")


def denial_object_is_topic(text: str, cue_end: int) -> bool:
    """True when a denial verb's object is the troop reports ("denied the reports", "dismissed
    claims that North Korean troops...", "denied sending soldiers"), not something else."""
    window = text[cue_end:cue_end + 90]
    window = re.split(r"[.;]", window, maxsplit=1)[0]
    head = " ".join(window.split()[:9])
    return bool(_REPORT_OBJECT.search(head))


@dataclass
class SentenceReading:
    """One sentence with its attributions and whether the sentence before was about the topic."""

    sentence: object            # analysis.load.Sentence
    text: str                   # normalised sentence text (same offsets as the original)
    attributions: list[Attribution]
    context_subject: bool       # the previous sentence named the subject country


def attribute_article(article, lex: Lexicon, topic) -> list[SentenceReading]:
    """Read an article sentence by sentence -> SentenceReading per sentence.

    Speakers carry forward ("he", "the lawmakers"), a speaker named in the next sentence
    ("This was stated by ...") is given to the sentence before, and a quote that continues a
    quoted speaker keeps that speaker."""
    state = ArticleState()
    readings: list[SentenceReading] = []
    subject_named = False
    for sentence in article.sentences:
        text = article.body_norm[sentence.start:sentence.end]
        previous = readings[-1] if readings else None
        if previous is not None and not previous.attributions:
            carried = next_sentence_attribution(text, sentence.text, lex, state)
            if carried is not None:
                carried.scope_end = len(previous.text)
                previous.attributions.append(carried)
        attributions = attribute_sentence(text, sentence.text, lex, state)
        same_paragraph = previous is not None and previous.sentence.paragraph_no == sentence.paragraph_no
        if not attributions and same_paragraph and previous.attributions and text.lstrip().startswith('"'):
            source = previous.attributions[-1]
            attributions.append(Attribution(
                speaker=source.speaker, parties=source.parties, cue="(quote continues)",
                cue_start=-1, cue_end=-1, scope_start=0, scope_end=len(text), frame="quote"))
        readings.append(SentenceReading(sentence, text, attributions, subject_named))
        subject_named = topic.names_subject(text) or (subject_named and topic.names_personnel(text))
    return readings
