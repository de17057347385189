"""The one place that defines the output tables: per table its name, file, columns, sort
order and column types (TABLES), which the writers, the frames, the workbook, the database and
the index use; and the data dictionary for the database (OUT/claims.db) and Datasette's
OUT/metadata.json: per table a description, per column a description.

The column descriptions of articles, claims and estimates are README's "Outputs" tables word
for word (tests/test_datasette.py parses README and fails when the two differ, so they cannot
drift); rejected, corrections and the growth table, which README describes in prose, are
described here in README's words. DATABASE_ONLY_COLUMNS are the columns the database adds to
a CSV table."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Table:
    """An output table: OUT/tables/<file>, its columns in order, the columns its rows are
    sorted by, and the type of each column that is not text ("integer", "real", "bool",
    "date": ISO text, empty when unknown)."""

    name: str
    file: str
    columns: tuple[str, ...]
    sort: tuple[str, ...]
    types: dict[str, str] = field(default_factory=dict)

    def frame_types(self) -> dict[str, str]:
        """pandas dtypes of the typed columns (a date stays text)."""
        dtypes = {"integer": "int64", "real": "float64", "bool": "bool"}
        return {column: dtypes[kind] for column, kind in self.types.items() if kind in dtypes}


# The tables of OUT/tables/, in the order they are written, put in the workbook and the database
# (articles first: the others refer to it).
TABLES: dict[str, Table] = {table.name: table for table in (
    Table("articles", "articles.csv",
          ("article_id", "file", "date", "date_source", "outlet", "title", "url", "n_chars", "n_sentences", "sha256",
           "warnings"),
          ("article_id",), {"date": "date", "n_chars": "integer", "n_sentences": "integer"}),
    Table("rejected", "rejected.csv", ("file", "reason"), ("file",)),
    Table("claims", "claims.csv",
          ("row_id", "article_id", "date", "sentence_no", "speaker", "party", "stance", "hedged", "hedge", "cue",
           "attribution", "check", "review", "sentence", "start", "end", "cue_start", "cue_end"),
          ("article_id", "sentence_no", "party", "stance"),
          {"date": "date", "sentence_no": "integer", "hedged": "bool", "start": "integer", "end": "integer",
           "cue_start": "integer", "cue_end": "integer"}),
    Table("estimates", "estimates.csv",
          ("row_id", "article_id", "date", "sentence_no", "party", "speaker", "kind", "low", "high", "qualifier",
           "band_low", "band_high", "phrase", "hedged", "hedge", "cue", "attribution", "check", "review", "sentence",
           "start", "end"),
          ("article_id", "start", "end"),
          {"date": "date", "sentence_no": "integer", "low": "real", "high": "real", "band_low": "real",
           "band_high": "real", "hedged": "bool", "start": "integer", "end": "integer"}),
    Table("corrections", "corrections.csv",
          ("line", "row_id", "action", "field", "value", "note", "status", "reason", "table", "article_id",
           "sentence_no", "before", "phrase", "sentence"),
          ("line",), {"line": "integer", "sentence_no": "integer"}),
)}
TABLE_FILES: dict[str, str] = {name: table.file for name, table in TABLES.items()}
# The growth table (chart.estimate_growth) is no CSV of its own: the database holds it.
GROWTH_TYPES = {"n_figures": "integer", "first_date": "date", "first_low": "real", "first_high": "real",
                "latest_date": "date", "latest_low": "real", "latest_high": "real", "fold_change": "real"}

# README "Outputs", `| column | meaning |` rows; a row naming several columns ("low, high")
# gives each of them its text.
README_COLUMN_DESCRIPTIONS: dict[str, dict[str, str]] = {
    'articles': {
        'article_id': 'file name without `.txt`',
        'file': 'file name',
        'date': 'publication date, ISO; empty when unknown',
        'date_source': '`header`, `manifest`, `page` (a web page\'s own date markup) or `none`',
        'outlet': 'from the header or the manifest',
        'title': 'from the header or the manifest',
        'url': 'from the header or the manifest',
        'n_chars': 'size of the body',
        'n_sentences': 'size of the body',
        'sha256': "hash of the file's bytes",
        'warnings': 'problems that did not stop loading (encoding, bad date, date disagreement), `; `-separated',
    },
    'claims': {
        'row_id': (
            "the row's id: article, where its sentence starts in the body, party and stance "
            '(`seed_a-c4539-USA-claim`); the same on every run, when other articles are added and when '
            'rules change without moving or changing the row; what `corrections.csv` names'
        ),
        'article_id': 'the article and its date',
        'date': 'the article and its date',
        'sentence_no': '1-based sentence number in the article',
        'speaker': 'the speaker as written ("Kremlin spokesman Dmitry Peskov"); several joined by `; `',
        'party': (
            'ISO 3166 alpha-3 for states (UKR, KOR, USA, RUS, PRK, ...), `NATO`, `EU`, `UN`, `MEDIA` '
            "(an outlet's own reporting), `UNK` (anonymous or unplaceable)"
        ),
        'stance': '`claim`, `denial` or `non_denial`',
        'hedged': 'whether the statement carries a hedge, and the first one ("highly likely")',
        'hedge': 'whether the statement carries a hedge, and the first one ("highly likely")',
        'cue': 'the words that set the stance or the attribution ("hoax", "did not deny", "according to")',
        'attribution': (
            'how the speaker was found: `verb`, `preposition` (according to, citing), `by` (passive), '
            '`noun` ("Moscow\'s denial"), `impersonal` ("it was reported that ...": the source quoted '
            'just before, else `UNK`), `non_denial`, `next_sentence` ("This was stated by ..."), '
            '`quote` (a quote continuing)'
        ),
        'check': (
            'why a reviewer should read the row first, `; `-joined, empty when the sentence itself '
            'names North Korea, the speaker and what was said: `topic carried` (the sentence does not '
            'name North Korea; it is about the troops through the sentences around it), `speaker '
            'carried` (the speaker comes from another sentence: a continued quote, "This was stated by '
            '...", a description such as "the official"), `pronoun speaker` ("he said"), `conditional` '
            '(the statement holds an "if" or "unless")'
        ),
        'review': (
            '`auto` (as the rules found it), `corrected` (a reviewer set a field), `added` (a reviewer '
            'added the row)'
        ),
        'sentence': 'the sentence as written',
        'start': "the sentence's offsets in the body",
        'end': "the sentence's offsets in the body",
        'cue_start': "the cue's offsets, -1 when the cue is in another sentence",
        'cue_end': "the cue's offsets, -1 when the cue is in another sentence",
    },
    'estimates': {
        'row_id': (
            "the row's id: article, where the figure's phrase starts in the body, and its kind "
            '(`seed_a-e4602-current`)'
        ),
        'article_id': 'where the figure is',
        'date': 'where the figure is',
        'sentence_no': 'where the figure is',
        'party': (
            "the source, attributed as in the claims table; empty for the outlet's own narration; `UNK` "
            'with no speaker for a figure in reports a speaker denies or will not comment on ("Moscow '
            'denied reports that 3,000 more ...": the reports\' figure, not Moscow\'s)'
        ),
        'speaker': (
            "the source, attributed as in the claims table; empty for the outlet's own narration; `UNK` "
            'with no speaker for a figure in reports a speaker denies or will not comment on ("Moscow '
            'denied reports that 3,000 more ...": the reports\' figure, not Moscow\'s)'
        ),
        'kind': (
            '`current` (present now / already sent), `projected` (expected, planned), `casualties` '
            '(killed, wounded, captured, missing, the dead, coffins), `context` (about North Korean '
            'personnel but not a deployment count: army size, ratios, group sizes, officers within the '
            'force, deserters), `earlier` (a figure the text gives as a previous estimate: "up from an '
            'earlier estimate of 10,000"; kept, drawn apart, never a latest figure)'
        ),
        'low': 'the figure; equal for a single number; empty for vague phrases',
        'high': 'the figure; equal for a single number; empty for vague phrases',
        'qualifier': '`exact`, `approx`, `at_least`, `more_than`, `up_to`, `range`, `vague`',
        'band_low': (
            'for vague phrases only, the documented band ("thousands" = 2,000-9,999; see '
            '`analysis/numbers.py`)'
        ),
        'band_high': (
            'for vague phrases only, the documented band ("thousands" = 2,000-9,999; see '
            '`analysis/numbers.py`)'
        ),
        'phrase': 'the number phrase as written, with its qualifier words',
        'hedged': 'as in the claims table',
        'hedge': 'as in the claims table',
        'cue': "the attribution's words and how it was found",
        'attribution': "the attribution's words and how it was found",
        'check': (
            'as in the claims table, plus `vague figure` (a figure with no numbers: "thousands", "a '
            'small number") and `figure of reports <speaker> rejects`'
        ),
        'review': 'as in the claims table',
        'sentence': 'the sentence as written',
        'start': "the phrase's offsets in the body",
        'end': "the phrase's offsets in the body",
    },
}

# Tables README describes in prose (the columns are the ones README lists).
PROSE_COLUMN_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "rejected": {
        "file": "file name",
        "reason": "why the file was not loaded (`empty file`, `duplicate of <id>`, `ignored: not a .txt article`, ...)",
    },
    "corrections": {
        "line": "the line in the corrections file",
        "row_id": "the row the correction names; for an `add`, the id the added row got",
        "action": "`drop`, `set` or `add`",
        "field": "for `set` the field set, for `add` the table",
        "value": "for `set` the new value, for `add` the row's fields as `name=value` pairs",
        "note": "the reviewer's note",
        "status": "`applied`, `stale` (its row is not in this run) or `found` (an added row the rules now find themselves)",
        "reason": "why a correction is stale or found",
        "table": "claims or estimates",
        "article_id": "the article of the row",
        "sentence_no": "1-based sentence number of the row in the article",
        "before": "the value a `set` replaced, or the dropped row in words",
        "phrase": "the figure's phrase (estimates)",
        "sentence": "the row's sentence",
    },
    "growth": {
        "party": "the source's party code (empty: the outlet's own narration)",
        "party_name": "the party by name and code (\"Ukraine (UKR)\")",
        "kind": "the figures' kind (`current`, `projected`, `casualties`)",
        "n_figures": "dated figures of this party and kind",
        "first_date": "date of the first figure",
        "first_phrase": "the first figure's phrase as written",
        "first_low": "the first figure (low end)",
        "first_high": "the first figure (high end)",
        "latest_date": "date of the latest figure",
        "latest_phrase": "the latest figure's phrase as written",
        "latest_low": "the latest figure (low end)",
        "latest_high": "the latest figure (high end)",
        "fold_change": ("latest over first midpoint, only between figures of the same kind, empty for a vague "
                        "figure and for pooled sources"),
        "first_row_id": "the estimates row of the first figure",
        "latest_row_id": "the estimates row of the latest figure",
    },
}

EVIDENCE_URL_DESCRIPTION = ("the row's highlighted place on its article's evidence page (served by `make serve` "
                            "under /static/); empty when the run wrote no page for the article")

# Columns the database adds after a CSV table's own columns.
DATABASE_ONLY_COLUMNS: dict[str, dict[str, str]] = {
    "claims": {"evidence_url": EVIDENCE_URL_DESCRIPTION},
    "estimates": {"evidence_url": EVIDENCE_URL_DESCRIPTION},
}

COLUMN_DESCRIPTIONS: dict[str, dict[str, str]] = {
    table: {**columns, **DATABASE_ONLY_COLUMNS.get(table, {})}
    for table, columns in {**README_COLUMN_DESCRIPTIONS, **PROSE_COLUMN_DESCRIPTIONS}.items()
}

TABLE_DESCRIPTIONS: dict[str, str] = {
    "articles": "One row per loaded article, by article_id (tables/articles.csv).",
    "rejected": "One row per file not loaded, with the reason, by file (tables/rejected.csv).",
    "claims": ("One row per sentence, party and stance (claim, denial, non-denial) about North Korean troops "
               "in Russia, by article, sentence, party, stance (tables/claims.csv)."),
    "estimates": ("One row per figure about North Korean military personnel, by article and offset "
                  "(tables/estimates.csv)."),
    "corrections": ("One row per line of the reviewer's corrections file, in file order: what became of each "
                    "correction (tables/corrections.csv)."),
    "growth": ("Per party and kind: the first and the latest dated figure and the fold change between them "
               "(the growth table of notebook 03)."),
}

# SQL types; every other column is TEXT. "bool" is stored as INTEGER 0/1, "date" as ISO text
# (NULL when unknown).
COLUMN_TYPES: dict[str, dict[str, str]] = {**{name: dict(table.types) for name, table in TABLES.items()},
                                           "growth": GROWTH_TYPES}
