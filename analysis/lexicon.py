"""The vocabularies the extraction reads. General English and the world's speakers (actors,
parties, speaker nouns, reporting verbs, denial cues, hedges) are shared, in
`analysis/lexicon/` (or another folder given as `lexicon_dir`); what belongs to one story (its
topic terms, its own speakers and parties) is in its topic folder (`analysis/topics/<name>/`,
or another given as `topic_dir`). All are CSV files a user can read and extend; lines
starting with `#` are comments.

`load_lexicon(folder, topic_dir)` reads them once and compiles the regular expressions the
extraction uses; the result is cached per pair of folders."""

from __future__ import annotations

import csv
import functools
import re
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path

from .paths import DEFAULT_TOPIC_DIR, LEXICON_DIR

# The shared vocabularies (general English and the world's speakers), in analysis/lexicon/.
LEXICON_FILES = {
    "actors": ("name", "party", "kind"),
    "speaker_heads": ("head", "antecedent_group"),
    "reporting_verbs": ("verb", "frame"),
    "denial_cues": ("cue", "stance", "kind"),
    "hedges": ("hedge",),
}
PARTY_COLUMNS = ("party", "name", "colour")
# A topic folder's vocabularies: topic_terms is required; its actors.csv, when there, adds to
# the shared speakers (a name there replaces the shared entry). Party codes stay shared: they
# are the world's states and bodies, not a story's. Its estimate_terms.csv, patterns.csv and
# labels.csv are read by analysis.estimates and analysis.topic.
TOPIC_FILES = {"topic_terms": ("term", "group")}
TOPIC_ACTORS_COLUMNS = ("name", "party", "kind")


class LexiconError(ValueError):
    """A vocabulary file is missing or malformed; the message names the file and the problem."""


@dataclass(frozen=True)
class Actor:
    name: str
    party: str
    kind: str  # person, institution, place, demonym, media
    group: str = ""  # what "the agency" / "the ministry" refers back to


@dataclass(frozen=True)
class Lexicon:
    """Vocabularies plus the compiled patterns built from them."""

    folder: str
    topic_folder: str                  # the story's folder (analysis/topics/<name>/)
    parties: dict[str, tuple[str, str]]  # party code -> (display name, colour)
    actors: dict[str, Actor]
    actor_lookup: dict[str, Actor]     # the same, keyed with single spaces and straight apostrophes
    heads: dict[str, str]              # speaker noun (lower case) -> antecedent group
    verbs: dict[str, str]              # reporting verb (lower case) -> frame
    denial_words: tuple[str, ...]
    denial_verbs: tuple[str, ...]
    non_denial_phrases: tuple[str, ...]
    hedges: tuple[str, ...]
    topic_terms: tuple[tuple[str, str], ...]   # (term, group); a term may be in several groups
    actor_re: re.Pattern
    head_re: re.Pattern
    verb_re: re.Pattern
    denial_word_re: re.Pattern
    denial_verb_re: re.Pattern
    non_denial_re: re.Pattern
    hedge_re: re.Pattern
    # The words a match of each pattern can start with (see Openers), by pattern name.
    openers: dict[str, Openers | None]
    # One word of every non-denial phrase (lower case): a text without any holds no non-denial
    # phrase. None when a phrase has no plain word.
    non_denial_hints: tuple[str, ...] | None
    # The same words as one pattern of plain substrings (lower case), or None.
    non_denial_hints_re: re.Pattern | None = None
    # One word of every phrase, unpruned: a text whose words include none holds no phrase.
    non_denial_hint_set: frozenset[str] = frozenset()


_WORD_START = re.compile(r"(?<![\w'’-])\w+")
_WORD_RUN = re.compile(r"\w+")


@dataclass(frozen=True)
class Openers:
    """The first words (leading runs of word characters) of a vocabulary's phrases.

    A vocabulary pattern matches only where a word starts (after none of [\\w'’-]), and the
    text's word there equals the phrase's first word: a sentence whose words (SentenceWords)
    include none of these holds no match, and is not scanned."""

    words: frozenset[str]
    ignore_case: bool


def openers(phrases: list[str], ignore_case: bool) -> Openers | None:
    """Openers of `phrases`, or None when a phrase does not start with a word character
    (its matches need not start a word: the pattern is always run)."""
    words = set()
    for phrase in phrases:
        run = _WORD_RUN.match(phrase)
        if run is None or (ignore_case and not phrase.isascii()):
            return None  # case-insensitive matching folds some letters that lower() keeps apart ("ſ", "K")
        words.add(run.group(0).lower() if ignore_case else run.group(0))
    return Openers(frozenset(words), ignore_case)


# ASCII characters that are no word characters, to spaces: what is left are the runs of word
# characters, split by str.split in C.
_NON_WORD_TO_SPACE = str.maketrans({chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")})


class SentenceWords:
    """The words of one sentence that a vocabulary match could start with, as written and
    lower-cased (the lower-cased set only for ASCII text, where lower-casing is what
    case-insensitive matching does). For ASCII text these are all its runs of word
    characters, a superset of the runs at word starts: a gate may pass more, never less.

    `finditer` and `search` answer as a vocabulary pattern's own scans do, but try the pattern
    only where one of its openers is written: a pattern that starts with a class of first
    letters is otherwise tried at every letter of the sentence that might start a phrase."""

    __slots__ = ("text", "exact", "folded", "_found")

    def __init__(self, text: str):
        self.text = text
        self._found: dict[Openers, list[int] | None] = {}
        if text.isascii():
            runs = text.translate(_NON_WORD_TO_SPACE)
            self.exact = frozenset(runs.split())
            self.folded = frozenset(runs.lower().split())
        else:
            self.exact = frozenset(_WORD_START.findall(text))
            self.folded = None

    def may_match(self, opening: Openers | None, start: int = 0, end: int | None = None) -> bool:
        """False only when the pattern with these openers cannot match in text[start:end]."""
        if opening is None:
            return True
        words = self.folded if opening.ignore_case else self.exact
        if words is None or not opening.words.isdisjoint(words):
            return True
        return self._cut(start, end)  # a word cut at an edge is a word the sentence does not have

    def _cut(self, start: int, end: int | None) -> bool:
        """True when text[start:end] cuts a word of the text at either edge."""
        text = self.text
        if end is None or end >= len(text):
            end_cut = False
        else:
            end_cut = end > 0 and is_word_char(text[end - 1]) and is_word_char(text[end])
        start_cut = 0 < start < len(text) and is_word_char(text[start]) and _joins(text[start - 1])
        return start_cut or end_cut

    def _written(self, opening: Openers) -> list[int] | None:
        """Every offset of the text where one of the openers is written (a superset of where
        a match of their pattern can start: matching decides), in order, remembered per
        vocabulary; None when the words cannot tell (non-ASCII text read case-insensitively)."""
        found = self._found.get(opening)
        if found is not None or opening in self._found:
            return found
        words = self.folded if opening.ignore_case else self.exact
        if words is None:
            self._found[opening] = None
            return None
        present = opening.words.intersection(words)
        starts: list[int] = []
        if present:
            # For ASCII text (else `words` is None) lower-casing keeps the offsets.
            haystack = self.text.lower() if opening.ignore_case else self.text
            last = len(haystack)
            for word in present:
                at = haystack.find(word)
                while at >= 0:
                    # Only where the word is a whole run of word characters at a word start (as
                    # the patterns' own checks before and after the phrase's first word ask): a
                    # bare search finds "a" in every "that", and each try of a pattern costs.
                    before, after = at - 1, at + len(word)
                    if (at == 0 or not (haystack[before].isalnum() or haystack[before] in "_'’-")) and (
                            after == last or not (haystack[after].isalnum() or haystack[after] == "_")):
                        starts.append(at)
                    at = haystack.find(word, at + 1)
            starts.sort()
        self._found[opening] = starts
        return starts

    def _starts(self, opening: Openers | None, start: int, end: int) -> list[int] | None:
        """The offsets of `_written` in [start, end), or None when the pattern must scan: no
        openers, words that cannot tell, or a word cut at an edge of the span."""
        if opening is None or (start or end < len(self.text)) and self._cut(start, end):
            return None
        starts = self._written(opening)
        if starts is None or not starts or (start == 0 and end >= len(self.text)):
            return starts
        return starts[bisect_left(starts, start):bisect_left(starts, end)]

    def finditer(self, pattern: re.Pattern, opening: Openers | None, start: int = 0,
                 end: int | None = None) -> list[re.Match]:
        """The matches of `pattern.finditer(text[start:end])` (offsets in that span), for a
        vocabulary pattern with these openers."""
        end = len(self.text) if end is None else min(end, len(self.text))
        span = self.text if start == 0 and end == len(self.text) else self.text[start:end]
        starts = self._starts(opening, start, end)
        if starts is None:
            return list(pattern.finditer(span))
        found = []
        reached = 0  # finditer goes on from the end of the last match
        for at in starts:
            at -= start
            if at < reached:
                continue
            match = pattern.match(span, at)
            if match is not None:
                found.append(match)
                reached = max(match.end(), at + 1)
        return found

    def search(self, pattern: re.Pattern, opening: Openers | None, start: int = 0,
               end: int | None = None) -> re.Match | None:
        """`pattern.search(text[start:end])`, for a vocabulary pattern with these openers."""
        end = len(self.text) if end is None else min(end, len(self.text))
        span = self.text if start == 0 and end == len(self.text) else self.text[start:end]
        starts = self._starts(opening, start, end)
        if starts is None:
            return pattern.search(span)
        for at in starts:
            match = pattern.match(span, at - start)
            if match is not None:
                return match
        return None


class Gated:
    """A pattern tried only on text that holds one of the words every match needs (lower-case
    substrings): most sentences hold none, and substring tests cost far less than a scan that
    tries the pattern at every position. `search` and `match` answer as the pattern's own."""

    def __init__(self, pattern: re.Pattern, needs: tuple[str, ...]):
        self.pattern = pattern
        self.needs = needs

    def _may(self, text: str, pos: int, endpos: int | None, lowered: str | None) -> bool:
        if lowered is None:  # `lowered`: text[pos:endpos].lower(), when the caller has it
            lowered = (text[pos:endpos] if pos or endpos is not None else text).lower()
        return any(word in lowered for word in self.needs)

    def search(self, text: str, pos: int = 0, endpos: int | None = None, lowered: str | None = None) -> re.Match | None:
        if not self._may(text, pos, endpos, lowered):
            return None
        return self.pattern.search(text, pos) if endpos is None else self.pattern.search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int | None = None, lowered: str | None = None) -> re.Match | None:
        if not self._may(text, pos, endpos, lowered):
            return None
        return self.pattern.match(text, pos) if endpos is None else self.pattern.match(text, pos, endpos)


def is_word_char(char: str) -> bool:
    """True for what a regular expression's \\w matches (letters, digits, "_")."""
    return char.isalnum() or char == "_"


def _joins(char: str) -> bool:
    return char.isalnum() or char in "_'’-"


# Words frequent in any text: a phrase's gate word is chosen among its other words when it has
# any, so the gate lets through fewer sentences. (Matching does not depend on this list.)
_FREQUENT_WORDS = frozenset(
    "a an the to of on in at by for from with and or nor not no did does do would could can will is was be "
    "been has have had that this it its their his her without whether nothing neither about say said".split())


def required_words(phrases: list[str], prune: bool = True) -> tuple[str, ...] | None:
    """For each phrase one of its words of plain ASCII letters (the longest infrequent one),
    lower-cased, with words that contain another kept word dropped (`prune`): every text that
    holds a phrase holds one of these as a substring (case-insensitively); unpruned, as a whole
    run of letters. None when a phrase has no such word."""
    words = set()
    for phrase in phrases:
        plain = [w for w in re.split(r"[^a-z]+", phrase.lower()) if w]
        if not plain:
            return None
        rare = [w for w in plain if w not in _FREQUENT_WORDS] or plain
        words.add(max(rare, key=lambda w: (len(w), w)))
    if not prune:
        return tuple(sorted(words))
    return tuple(sorted(w for w in words if not any(other != w and other in w for other in words)))


def read_rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of one vocabulary CSV, comment and blank lines skipped, each with its file line
    number under "_line". LexiconError names the file and line of a missing column, a row
    with too many or too few fields, or an unclosed quote."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8"
        raise LexiconError(f"{path}: cannot read vocabulary file: {reason or error}") from error
    numbered = [(n, line) for n, line in enumerate(text.splitlines(), 1)
                if line.strip() and not line.lstrip().startswith("#")]
    if not numbered:
        raise LexiconError(f"{path}: line 1: no header (expected {', '.join(columns)})")
    header_line, header = numbered[0]
    try:
        fieldnames = next(csv.reader([header], strict=True))
    except csv.Error as error:
        raise LexiconError(f"{path}: line {header_line}: malformed header ({error})") from None
    fieldnames = [name.strip() for name in fieldnames]
    missing = [c for c in columns if c not in fieldnames]
    if missing:
        raise LexiconError(f"{path}: line {header_line}: missing column(s) {', '.join(missing)}")
    rows = []
    for number, line in numbered[1:]:
        try:
            fields = next(csv.reader([line], strict=True))
        except csv.Error as error:  # an unclosed quote, a stray quote
            raise LexiconError(f"{path}: line {number}: malformed row ({error})") from None
        if len(fields) > len(fieldnames):
            raise LexiconError(f"{path}: line {number}: {len(fields)} fields, the header has {len(fieldnames)} "
                               "(quote a value that holds a comma)")
        row = {name: (fields[i].strip() if i < len(fields) else "") for i, name in enumerate(fieldnames) if name}
        if not row.get(columns[0]):
            continue
        row["_line"] = str(number)
        rows.append(row)
    return rows


def vocabulary_rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """read_rows without the line numbers (the form every vocabulary reader uses)."""
    return [{k: v for k, v in row.items() if k != "_line"} for row in read_rows(path, columns)]


# The values a vocabulary column may hold.
ALLOWED_VALUES = {
    ("actors", "kind"): ("person", "institution", "place", "demonym", "media"),
    ("denial_cues", "stance"): ("denial", "non_denial"),
    ("denial_cues", "kind"): ("word", "verb", "phrase"),
    ("reporting_verbs", "frame"): ("verb", "by", "preposition", "noun", "impersonal"),
}


def check_vocabularies(files: dict[str, Path], tables: dict[str, list[dict[str, str]]],
                       parties: dict[str, list[dict[str, str]]]) -> None:
    """The checks across vocabulary files that would otherwise fail silently: a value a column
    does not allow, an actor's party with no entry in a parties.csv (it would have no name or
    colour), a denial verb with no reporting-verb entry (it would never be read as a
    statement). `files` names the file each table's rows came from (an "_file" key on a row
    overrides it); `parties` holds the rows of each parties.csv by file. LexiconError names
    the file and the line."""
    def where(name: str, row: dict[str, str]) -> str:
        return f"{row.get('_file') or files[name]}: line {row['_line']}"

    for (name, column), allowed in ALLOWED_VALUES.items():
        for row in tables[name]:
            value = row.get(column, "").lower()
            if value and value not in allowed:
                raise LexiconError(f"{where(name, row)}: {column} {value!r} is not one of {', '.join(allowed)}")
    if parties:
        known = {row["party"].upper() for rows in parties.values() for row in rows}
        for row in tables["actors"]:
            if row["party"] and row["party"].upper() not in known:
                raise LexiconError(f"{where('actors', row)}: party {row['party']!r} of {row['name']!r} is not in "
                                   "parties.csv (add it there with a name and a colour)")
    verbs = {row["verb"].lower() for row in tables["reporting_verbs"]}
    for row in tables["denial_cues"]:
        if row["stance"] == "denial" and row["kind"] == "verb" and row["cue"].lower() not in verbs:
            raise LexiconError(f"{where('denial_cues', row)}: denial verb {row['cue']!r} is not in "
                               "reporting_verbs.csv, so it would never be read (add it there with its frame)")


def _char_regex(char: str) -> str:
    """One character of a vocabulary phrase as a regex: a space matches any whitespace and
    straight and typographic apostrophes match each other."""
    if char == " ":
        return r"\s+"
    if char in "'’":
        return "['’]"
    return re.escape(char)


# Gaps a vocabulary phrase may hold: " ... " up to three words, " ~ " up to twenty words of
# the same clause ("even if ~ true" for "even if the reports were true").
_GAPS = {" ... ": r"(?:\s+\S+){0,3}?\s+", " ~ ": r"(?:\s+[^\s.;:!?]+){0,20}?\s+"}
_GAP_SPLIT = re.compile("|".join(re.escape(gap) for gap in _GAPS))


def has_gap(phrase: str) -> bool:
    """True when a vocabulary phrase holds a gap (" ... " or " ~ ")."""
    return any(gap in phrase for gap in _GAPS)


def _phrase_regex(phrase: str) -> str:
    """A vocabulary phrase as a regex, its gaps (_GAPS) as word runs."""
    pieces = _GAP_SPLIT.split(phrase)
    gaps = _GAP_SPLIT.findall(phrase)
    regex = "".join(_char_regex(c) for c in pieces[0])
    for gap, piece in zip(gaps, pieces[1:]):
        regex += _GAPS[gap] + "".join(_char_regex(c) for c in piece)
    return regex


def trie_regex(phrases: list[str]) -> str:
    """An alternation of phrases built as a character trie: far faster for Python's regex
    engine than a flat list of hundreds of alternatives, and it prefers the longest match."""
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [_char_regex(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return emit(trie)


def _alternation(phrases: list[str], ignore_case: bool = True) -> str:
    """Regex matching any of the vocabulary phrases, longest first."""
    unique = sorted({p.lower() if ignore_case else p for p in phrases})
    plain = [p for p in unique if not has_gap(p)]
    wildcard = sorted((p for p in unique if has_gap(p)), key=lambda p: (-len(p), p))
    parts = [_phrase_regex(p) for p in wildcard] + ([trie_regex(plain)] if plain else [])
    return "|".join(parts)


# Characters Python's case-insensitive matching takes as the same letter as an ASCII one.
_CASELESS_EXTRA = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}
# With few distinct first letters, a pattern that starts with a character class lets the regex
# engine skip ahead to candidate positions in C; with many, trying each branch costs more.
MAX_FIRST_LETTERS_FOR_CLASS = 13
_BEFORE_WORD = "[\\w'’-]"


def first_letter_pattern(phrases: list[str], ignore_case: bool, tail: str) -> str | None:
    """The same matches as `(?<![\\w'’-])(?:<alternation>)<tail>`, written so that the pattern
    starts with a class of the phrases' first letters followed by the word-boundary check,
    one branch per first letter. None when a phrase does not start with an ASCII letter or digit."""
    unique = sorted({p.lower() if ignore_case else p for p in phrases})
    if not unique or not all(p[:1].isascii() and p[:1].isalnum() for p in unique):
        return None
    groups: dict[str, list[str]] = {}
    for phrase in unique:
        groups.setdefault(phrase[0], []).append(phrase)
    first_chars = ""
    branches = []
    for letter, group in sorted(groups.items()):
        variants = letter + (letter.upper() + _CASELESS_EXTRA.get(letter, "") if ignore_case and letter.isalpha() else "")
        first_chars += variants
        wildcard = sorted((p for p in group if has_gap(p)), key=lambda p: (-len(p), p))
        plain = [p[1:] for p in group if not has_gap(p)]
        rests = [_phrase_regex(p)[len(re.escape(letter)):] for p in wildcard]
        if plain:
            rests.append(trie_regex(plain) if any(plain) else "")
        branches.append(f"(?<=[{variants}])(?:{'|'.join(rests)})")
    scope = "(?i:" if ignore_case else "(?:"
    return rf"[{first_chars}](?<!{_BEFORE_WORD}.){scope}{'|'.join(branches)}){tail}"


def word_pattern(phrases: list[str], flags: int = re.IGNORECASE) -> re.Pattern:
    if not phrases:
        return re.compile(r"(?!x)x")
    ignore_case = bool(flags & re.IGNORECASE)
    if len({p[:1].lower() for p in phrases}) <= MAX_FIRST_LETTERS_FOR_CLASS:
        fast = first_letter_pattern(phrases, ignore_case, r"(?![\w-])")
        if fast is not None:
            return re.compile(fast, flags & ~re.IGNORECASE)
    return re.compile(rf"(?<!{_BEFORE_WORD})(?:{_alternation(phrases, ignore_case)})(?![\w-])", flags)


def read_vocabularies(base: Path, topic: Path) -> tuple[dict[str, list[dict[str, str]]],
                                                      dict[str, list[dict[str, str]]]]:
    """The rows of every vocabulary file of the shared folder `base` and the topic folder
    `topic`, checked (check_vocabularies): ({table: rows}, {parties file: rows}). A topic's
    actors follow the shared ones, each topic row marked with its file under "_file"."""
    tables = {name: read_rows(base / f"{name}.csv", cols) for name, cols in LEXICON_FILES.items()}
    files = {name: base / f"{name}.csv" for name in LEXICON_FILES}
    for name, cols in TOPIC_FILES.items():
        tables[name] = read_rows(topic / f"{name}.csv", cols)
        files[name] = topic / f"{name}.csv"
    parties = {}
    if (base / "parties.csv").exists():
        parties[str(base / "parties.csv")] = read_rows(base / "parties.csv", PARTY_COLUMNS)
    if (topic / "actors.csv").exists():
        extra = [{**row, "_file": str(topic / "actors.csv")}
                 for row in read_rows(topic / "actors.csv", TOPIC_ACTORS_COLUMNS)]
        tables["actors"] = tables["actors"] + extra
    check_vocabularies(files, tables, parties)
    return tables, parties


@functools.lru_cache(maxsize=8)
def load_lexicon(folder: str | Path | None = None, topic_dir: str | Path | None = None) -> Lexicon:
    """Read and compile the vocabularies of the shared `folder` (default: the package's own
    analysis/lexicon/) and of the story's `topic_dir` (default: the bundled topic)."""
    base = Path(folder) if folder else LEXICON_DIR
    topic_folder = Path(topic_dir) if topic_dir else DEFAULT_TOPIC_DIR
    tables, party_rows = read_vocabularies(base, topic_folder)
    parties = {row["party"].upper(): (row["name"], row["colour"]) for rows in party_rows.values() for row in rows}

    actors = {r["name"]: Actor(r["name"], r["party"].upper(), r["kind"].lower(), r.get("group", ""))
              for r in tables["actors"]}
    for row in tables["actors"]:
        if not row["party"]:
            raise LexiconError(f"{row.get('_file') or base / 'actors.csv'}: line {row['_line']}: {row['name']!r} has no party")
    heads = {r["head"].lower(): r["antecedent_group"] for r in tables["speaker_heads"]}
    verbs = {r["verb"].lower(): r["frame"] for r in tables["reporting_verbs"]}
    cues = tables["denial_cues"]
    denial_words = tuple(r["cue"] for r in cues if r["stance"] == "denial" and r["kind"] == "word")
    denial_verbs = tuple(r["cue"] for r in cues if r["stance"] == "denial" and r["kind"] == "verb")
    non_denials = tuple(r["cue"] for r in cues if r["stance"] == "non_denial")
    hedges = tuple(r["hedge"] for r in tables["hedges"])
    topic = tuple((r["term"], r["group"]) for r in tables["topic_terms"])

    # Names are matched case-sensitively ("US" the country, not "us"); a possessive 's may follow.
    possessive_end = r"(?=(?:['’]s?)?(?![\w-]))"
    head_phrases = [r["head"] for r in tables["speaker_heads"]]
    hedge_phrases = list(hedges) + [h.capitalize() for h in hedges if h != "may"]
    hints = required_words(list(non_denials))
    actor_re = re.compile(first_letter_pattern(list(actors), False, possessive_end)
                          or rf"(?<!{_BEFORE_WORD})(?:{_alternation(list(actors), ignore_case=False)}){possessive_end}")
    return Lexicon(
        folder=str(base),
        topic_folder=str(topic_folder),
        parties=parties,
        actors=actors,
        actor_lookup={re.sub(r"\s+", " ", name).replace("’", "'"): actor for name, actor in actors.items()},
        heads=heads,
        verbs=verbs,
        denial_words=denial_words,
        denial_verbs=denial_verbs,
        non_denial_phrases=non_denials,
        hedges=hedges,
        topic_terms=topic,
        actor_re=actor_re,
        head_re=word_pattern(head_phrases),
        verb_re=word_pattern(list(verbs)),
        denial_word_re=word_pattern(list(denial_words)),
        denial_verb_re=word_pattern(list(denial_verbs)),
        non_denial_re=word_pattern(list(non_denials)),
        # Case-sensitive so the month "May" is no hedge; capitalised forms cover sentence starts.
        hedge_re=word_pattern(hedge_phrases, flags=0),
        openers={"actor_re": openers(list(actors), False), "head_re": openers(head_phrases, True),
                 "verb_re": openers(list(verbs), True), "denial_word_re": openers(list(denial_words), True),
                 "non_denial_re": openers(list(non_denials), True), "hedge_re": openers(hedge_phrases, False)},
        non_denial_hints=hints,
        non_denial_hints_re=re.compile("|".join(map(re.escape, hints))) if hints else None,
        non_denial_hint_set=frozenset(required_words(list(non_denials), prune=False) or ()),
    )
