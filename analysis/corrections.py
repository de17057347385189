"""Step 2c: a reviewer's corrections, applied to the extracted rows on every run.

`corrections.csv` in the articles folder (or the file given as `--corrections` / the notebook
parameter `corrections`) has the columns `row_id, action, field, value, note`:

- `drop`: the row with that id leaves its table; it is kept, with the note, in
  `tables/corrections.csv`;
- `set`: `field` (party, speaker, stance, kind, low, high, qualifier, hedged) of that row takes
  `value`; the row keeps its id and its `review` becomes `corrected`;
- `add`: a row the rules missed. `field` is the table (`claims` or `estimates`) and `value`
  its fields as `name=value` pairs separated by `;`: `article_id` and `sentence` (words of the
  sentence, as the evaluation's sentence_key) always; for claims `party` and `stance`, and
  optionally `speaker`, `hedged`; for estimates `phrase` (as written in the sentence) and
  `kind`, and optionally `party`, `speaker`, `low`, `high`, `qualifier`, `hedged` (numbers and
  qualifier default to the phrase's own reading). `row_id` may be left empty: the row gets
  the id the rules would give it. Its `review` is `added`.

Nothing is silent. A correction whose row no longer exists (the text or the rules changed), or
whose article is not in the run, is `stale`; an added row the rules now find themselves is
`found` and not added twice. Every correction is listed with its status in
`tables/corrections.csv`. A bad file stops the run with one line naming the file, the line and
the problem (CorrectionsError)."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .claims import STANCES, claim_row_id
from .estimates import KINDS, estimate_row_id
from .lexicon import vocabulary_rows, load_lexicon
from .load import (CORRECTIONS_NAME, SYMLINK_OUTSIDE, Article, CsvProblem, decode_metadata, is_inside,
                   normalise_for_matching, read_metadata_file, strict_csv_records)
from .numbers import QUALIFIERS, parse_number_phrase
from .schema import TABLES

CORRECTION_COLUMNS = ["row_id", "action", "field", "value", "note"]
ACTIONS = ("drop", "set", "add")
SETTABLE = {"claims": ("party", "speaker", "stance", "hedged"),
            "estimates": ("party", "speaker", "kind", "low", "high", "qualifier", "hedged")}
STATUSES = ("applied", "stale", "found")
# tables/corrections.csv: every correction, what became of it, and the row it touched.
RESULT_COLUMNS = list(TABLES["corrections"].columns)
MAX_CORRECTIONS_BYTES = 5_000_000

_CLAIM_ID = re.compile(r"(?P<article>.+)-c(?P<start>\d+)-(?P<party>[A-Z]+)-(?P<stance>" + "|".join(STANCES) + r")")
_ESTIMATE_ID = re.compile(r"(?P<article>.+)-e(?P<start>\d+)-(?P<kind>" + "|".join(KINDS) + r")")
_PAIR_SPLIT = re.compile(r";\s*(?=[a-z_]+\s*=)")
_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0")


class CorrectionsError(ValueError):
    """A corrections file cannot be used; the message names the file, the line and the problem."""


@dataclass(frozen=True)
class Correction:
    """One line of a corrections file, checked. `table` and `article_id` come from the row id
    (or, for `add`, from its fields); `fields` holds an added row's fields."""

    line: int
    row_id: str
    action: str
    field: str
    value: str
    note: str
    table: str
    article_id: str
    fields: tuple[tuple[str, str], ...] = ()


@dataclass
class Corrections:
    """The checked lines of one corrections file (`path` empty when there is none)."""

    path: str = ""
    items: list[Correction] = field(default_factory=list)

    def for_article(self, article_id: str) -> list[Correction]:
        return [c for c in self.items if c.article_id == article_id]

    def fingerprint(self) -> tuple:
        """What decides a run's result: the checked lines (for caches keyed by the inputs)."""
        return (self.path, tuple(self.items))


@dataclass(frozen=True)
class Outcome:
    """What became of one correction in one article: applied, stale or found, and the row."""

    line: int
    status: str
    reason: str = ""
    sentence_no: int | None = None
    before: str = ""
    phrase: str = ""
    sentence: str = ""


def table_of(row_id: str) -> tuple[str, str] | None:
    """(table, article_id) that a row id names, or None when it has the shape of neither."""
    for table, pattern in (("claims", _CLAIM_ID), ("estimates", _ESTIMATE_ID)):
        match = pattern.fullmatch(row_id)
        if match:
            return table, match.group("article")
    return None


def find_corrections(articles_dir: str | Path, given: str | Path | None = None) -> Path | None:
    """The corrections file of a run: `given`, else `corrections.csv` in the articles folder
    when there is one. A given file that does not exist is an error; so is a corrections.csv
    that is a symlink leading out of the articles folder (a file elsewhere is used only when
    named)."""
    if given:
        path = Path(given)
        if not path.is_file():
            raise CorrectionsError(f"{path}: corrections file not found")
        return path
    default = Path(articles_dir) / CORRECTIONS_NAME
    # The folder's own file may not lead out of the folder: it was not named by the user.
    if os.path.islink(default) and not is_inside(os.path.realpath(default), os.path.realpath(articles_dir)):
        raise CorrectionsError(f"{default}: {SYMLINK_OUTSIDE}; name it with --corrections to use it")
    return default if default.is_file() else None


def _parties(lexicon_dir: str | None) -> set[str]:
    """The party codes of lexicon/parties.csv: the only ones a correction may set."""
    base = Path(load_lexicon(lexicon_dir).folder)
    return {row["party"] for row in vocabulary_rows(base / "parties.csv", ("party", "name", "colour"))}


def _check_value(name: str, value: str, table: str, parties: set[str]) -> str:
    """The problem with a field's value, or ""."""
    if name == "party" and value not in parties and not (table == "estimates" and value == ""):
        return f"unknown party {value!r} (known: {', '.join(sorted(parties))})"
    if name == "stance" and value not in STANCES:
        return f"stance must be one of {', '.join(STANCES)}, not {value!r}"
    if name == "kind" and value not in KINDS:
        return f"kind must be one of {', '.join(KINDS)}, not {value!r}"
    if name == "qualifier" and value not in QUALIFIERS:
        return f"qualifier must be one of {', '.join(QUALIFIERS)}, not {value!r}"
    if name == "hedged" and value.lower() not in _TRUE + _FALSE:
        return f"hedged must be true or false, not {value!r}"
    if name in ("low", "high") and value != "":
        try:
            number = float(value.replace(",", ""))
        except ValueError:
            return f"{name} must be a number (or empty for a vague figure), not {value!r}"
        if not math.isfinite(number) or number < 0:
            return f"{name} must be a number of people, not {value!r}"
    return ""


def _add_fields(value: str) -> list[tuple[str, str]]:
    pairs = []
    for piece in _PAIR_SPLIT.split(value.strip()):
        name, _, item = piece.partition("=")
        pairs.append((name.strip(), item.strip()))
    return pairs


_ADD_REQUIRED = {"claims": ("article_id", "sentence", "party", "stance"),
                 "estimates": ("article_id", "sentence", "phrase", "kind")}
_ADD_OPTIONAL = {"claims": ("speaker", "hedged"),
                 "estimates": ("party", "speaker", "low", "high", "qualifier", "hedged")}


def _check_line(row: dict[str, str], parties: set[str]) -> tuple[str, str, tuple[tuple[str, str], ...]] | str:
    """(table, article_id, add fields) of a line, or the problem with it."""
    action = row["action"]
    if action not in ACTIONS:
        return f"unknown action {action!r} (expected {', '.join(ACTIONS)})"
    if action == "add":
        table = row["field"]
        if table not in _ADD_REQUIRED:
            return f"add needs the table in field: claims or estimates, not {table!r}"
        pairs = _add_fields(row["value"])
        names = [name for name, _ in pairs]
        unknown = [n for n in names if n not in _ADD_REQUIRED[table] + _ADD_OPTIONAL[table]]
        if unknown:
            return (f"add to {table}: unknown field(s) {', '.join(unknown)} "
                    f"(fields: {', '.join(_ADD_REQUIRED[table] + _ADD_OPTIONAL[table])})")
        missing = [n for n in _ADD_REQUIRED[table] if n not in names]
        if missing:
            return f"add to {table}: missing {', '.join(missing)} (write them as name=value; name=value)"
        for name, item in pairs:
            problem = _check_value(name, item, table, parties)
            if problem:
                return problem
        fields = dict(pairs)
        if row["row_id"] and table_of(row["row_id"]) is None:
            return f"row_id {row['row_id']!r} has the shape of no claim or estimate id (leave it empty to have one made)"
        return table, fields["article_id"], tuple(pairs)
    found = table_of(row["row_id"])
    if found is None:
        return (f"row_id {row['row_id']!r} is no claim or estimate id (ids look like "
                f"ARTICLE-c123-UKR-claim or ARTICLE-e456-current)")
    table, article_id = found
    if action == "set":
        if row["field"] not in SETTABLE[table]:
            return f"set on {table}: field must be one of {', '.join(SETTABLE[table])}, not {row['field']!r}"
        problem = _check_value(row["field"], row["value"], table, parties)
        if problem:
            return problem
    return table, article_id, ()


def read_corrections(path: str | Path | None, lexicon_dir: str | None = None) -> Corrections:
    """Read and check a corrections file (None: no corrections). Any problem raises
    CorrectionsError naming the file, the line and the problem; nothing is applied then."""
    if path is None:
        return Corrections()
    path = Path(path)
    raw = read_metadata_file(path, MAX_CORRECTIONS_BYTES)  # never blocks on a FIFO; at most the limit + 1 read
    if isinstance(raw, str):
        if raw.startswith("too large"):
            raise CorrectionsError(f"{path}: corrections file is over {MAX_CORRECTIONS_BYTES:,} bytes")
        raise CorrectionsError(f"{path}: cannot read corrections file: {raw.removeprefix('unreadable: ')}")
    text = decode_metadata(raw)
    if isinstance(text, tuple):
        raise CorrectionsError(f"{path}:{text[0]}: {text[1]}")
    parties = _parties(lexicon_dir)
    items: list[Correction] = []
    try:
        records = strict_csv_records(text)
        header = next(records, (1, None))[1]
        if header is None:
            raise CorrectionsError(f"{path}:1: empty file; the header is {','.join(CORRECTION_COLUMNS)}")
        if [h.strip() for h in header] != CORRECTION_COLUMNS:
            # Not echoed: the file may be any file (a --corrections typo), and it is not a corrections file.
            raise CorrectionsError(f"{path}:1: header must be {','.join(CORRECTION_COLUMNS)} "
                                   f"(the first line of this file is not that header)")
        for number, cells in records:
            if not cells or all(not c.strip() for c in cells):
                continue
            if cells[0].lstrip().startswith("#"):
                continue
            if len(cells) != len(CORRECTION_COLUMNS):
                raise CorrectionsError(f"{path}:{number}: {len(cells)} fields, expected {len(CORRECTION_COLUMNS)} "
                                       f"({','.join(CORRECTION_COLUMNS)})")
            row = dict(zip(CORRECTION_COLUMNS, (c.strip() for c in cells)))
            checked = _check_line(row, parties)
            if isinstance(checked, str):
                raise CorrectionsError(f"{path}:{number}: {checked}")
            table, article_id, fields = checked
            items.append(Correction(number, row["row_id"], row["action"], row["field"], row["value"], row["note"],
                                    table, article_id, fields))
    except CsvProblem as problem:
        raise CorrectionsError(f"{path}:{problem.line}: {problem.problem}") from problem
    return Corrections(str(path), items)


def _sentence_for(article: Article, key: str):
    position = article.body_norm.find(normalise_for_matching(key))
    if position < 0:
        return None
    return next((s for s in article.sentences if s.start <= position < s.end), None)


def _bool(value: str) -> bool:
    return value.lower() in _TRUE


def _number(value: str) -> float | None:
    return float(value.replace(",", "")) if value != "" else None


def _added_row(article: Article, correction: Correction) -> tuple[dict | None, str]:
    """The row an `add` describes, or (None, why it cannot be placed)."""
    fields = dict(correction.fields)
    sentence = _sentence_for(article, fields["sentence"])
    if sentence is None:
        return None, f"sentence {fields['sentence']!r} not found in {article.article_id}"
    common = {"article_id": article.article_id, "date": article.date, "sentence_no": sentence.sentence_no,
              "speaker": fields.get("speaker", ""), "hedged": _bool(fields.get("hedged", "false")), "hedge": "",
              "cue": "(added by a reviewer)", "attribution": "review", "check": "", "review": "added",
              "sentence": sentence.text}
    if correction.table == "claims":
        row = dict(common, party=fields["party"], stance=fields["stance"], start=sentence.start, end=sentence.end,
                   cue_start=-1, cue_end=-1)
        row["row_id"] = correction.row_id or claim_row_id(article.article_id, sentence.start, row["party"], row["stance"])
        return row, ""
    phrase = fields["phrase"]
    # The phrase as a whole word: "one" is not the "one" inside "someone".
    found = re.compile(r"(?<!\w)" + re.escape(normalise_for_matching(phrase)) + r"(?!\w)").search(
        article.body_norm, sentence.start, sentence.end)
    if found is None:
        return None, f"phrase {phrase!r} not found in its sentence"
    offset = found.start()
    parsed = parse_number_phrase(phrase)
    low = _number(fields["low"]) if "low" in fields else (parsed.low if parsed else None)
    high = _number(fields["high"]) if "high" in fields else (parsed.high if parsed else low)
    row = dict(common, party=fields.get("party", ""), kind=fields["kind"], low=low, high=high,
               qualifier=fields.get("qualifier") or (parsed.qualifier if parsed else "exact"),
               band_low=parsed.band_low if parsed else None, band_high=parsed.band_high if parsed else None,
               phrase=article.body[offset:offset + len(phrase)], start=offset, end=offset + len(phrase))
    row["row_id"] = correction.row_id or estimate_row_id(article.article_id, offset, row["kind"])
    return row, ""


def _set(row: dict, name: str, value: str) -> None:
    if name == "hedged":
        row["hedged"] = _bool(value)
    elif name in ("low", "high"):
        row[name] = _number(value)
    else:
        row[name] = value
    row["review"] = "corrected"


def apply_corrections(article: Article, claim_rows: list[dict], estimate_rows: list[dict],
                      corrections: Iterable[Correction]) -> tuple[list[dict], list[dict], list[Outcome]]:
    """One article's rows with its corrections applied, in file order, and what became of each."""
    tables = {"claims": {row["row_id"]: row for row in claim_rows},
              "estimates": {row["row_id"]: row for row in estimate_rows}}
    outcomes: list[Outcome] = []
    for correction in corrections:
        rows = tables[correction.table]
        if correction.action == "add":
            row, problem = _added_row(article, correction)
            if row is None:
                outcomes.append(Outcome(correction.line, "stale", problem))
            elif row["row_id"] in rows:
                outcomes.append(Outcome(correction.line, "found", "the rules now find this row",
                                        row["sentence_no"], "", row.get("phrase", ""), row["sentence"]))
            else:
                rows[row["row_id"]] = row
                outcomes.append(Outcome(correction.line, "applied", "", row["sentence_no"], "",
                                        row.get("phrase", ""), row["sentence"]))
            continue
        row = rows.get(correction.row_id)
        if row is None:
            outcomes.append(Outcome(correction.line, "stale", "no such row in this run (the text or the rules changed)"))
            continue
        evidence = dict(sentence_no=row["sentence_no"], phrase=row.get("phrase", ""), sentence=row["sentence"])
        if correction.action == "drop":
            del rows[correction.row_id]
            outcomes.append(Outcome(correction.line, "applied", "", before=_describe(correction.table, row), **evidence))
        else:
            before = str(row.get(correction.field, ""))
            _set(row, correction.field, correction.value)
            outcomes.append(Outcome(correction.line, "applied", "", before=before, **evidence))
    return list(tables["claims"].values()), list(tables["estimates"].values()), outcomes


def _describe(table: str, row: dict) -> str:
    if table == "claims":
        return f"{row['party']} {row['stance']} ({row['speaker']})"
    return f"{row['kind']} {row['phrase']} ({row['party'] or 'no party'})"


def result_rows(corrections: Corrections, outcomes: dict[int, Outcome]) -> list[dict]:
    """tables/corrections.csv: every correction with its status (RESULT_COLUMNS), in file
    order. A correction no article reported on names an article that is not in the run."""
    rows = []
    for c in corrections.items:
        outcome = outcomes.get(c.line) or Outcome(c.line, "stale", f"article {c.article_id!r} is not in this run")
        rows.append({"line": c.line, "row_id": c.row_id, "action": c.action, "field": c.field, "value": c.value,
                     "note": c.note, "status": outcome.status, "reason": outcome.reason, "table": c.table,
                     "article_id": c.article_id, "sentence_no": outcome.sentence_no if outcome.sentence_no else "",
                     "before": outcome.before, "phrase": outcome.phrase, "sentence": outcome.sentence})
    return rows
