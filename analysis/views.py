"""Display helpers for the notebooks: everything a notebook cell shows comes from here, so the
notebooks stay thin (one or two calls per cell, no loops, no plotting code).

Tables are shown through `TableView`: plain text (what nbval compares, capped column width,
never wrapped) and escaped HTML (what the report shows, full cell text). Both are capped at
`max_rows` rows with a note naming the CSV file that holds the whole table, so pages stay
small on large corpora.

`load_run` reads and extracts the corpus. When `python -m analysis report` runs the notebooks
it has already done that once; it leaves the result in a pickle named by the environment
variable ANALYSIS_RUN_CACHE, and `load_run` uses it when it was made from the same inputs.
"""

from __future__ import annotations

import hashlib
import html
import io
import os
import pickle
import sys
from urllib.parse import quote
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .corrections import find_corrections
from .load import DEFAULT_MAX_BYTES, filter_by_date, filter_by_outlet, plan_folder
from .paths import SEEDS_DIR, display_path, resolve

CACHE_ENV = "ANALYSIS_RUN_CACHE"
TEXT_COLWIDTH = 80

CLAIM_VIEW_COLUMNS = ["row_id", "date", "sentence_no", "speaker", "party", "stance", "hedged",
                      "hedge", "cue", "check", "review", "sentence"]
ESTIMATE_VIEW_COLUMNS = ["row_id", "date", "sentence_no", "party", "speaker", "kind", "low", "high",
                         "qualifier", "band", "phrase", "hedged", "hedge", "check", "review"]
CORRECTION_VIEW_COLUMNS = ["line", "row_id", "action", "field", "value", "status", "reason", "before", "note"]
ARTICLE_VIEW_COLUMNS = ["article_id", "file", "date", "date_source", "outlet", "title", "n_chars",
                        "n_sentences", "warnings"]
POINT_VIEW_COLUMNS = ["row_id", "date", "party", "kind", "low", "high", "qualifier", "y", "y_low",
                      "y_high", "phrase", "plotted"]
COUNT_COLUMNS = ["article_id", "date", "claims", "denials", "non_denials", "estimates"]


@dataclass
class Run:
    """What the notebooks show: the corpus tables and both extraction tables, for one set of inputs."""

    key: tuple
    source: str
    manifest: str
    date_from: str
    date_to: str
    articles: pd.DataFrame
    rejected: pd.DataFrame
    claims: pd.DataFrame
    estimates: pd.DataFrame
    problems: list[str] = field(default_factory=list)
    corrections: pd.DataFrame = field(default_factory=pd.DataFrame)  # tables/corrections.csv
    corrections_file: str = ""
    # The articles that get an evidence page when the report limits them (None: all of them).
    evidence_articles: frozenset[str] | None = None
    parties: tuple[str, ...] = ()  # the party filter (codes); () keeps every party
    outlets: tuple[str, ...] = ()  # the outlet filter; () keeps every outlet
    topic_dir: str = ""  # the story's folder (absolute); "" is the bundled topic


def setup_display() -> None:
    """pandas display options for notebooks: every column, no wrapping, no truncated row lists
    (tables are capped by `table` instead), missing values shown as empty."""
    pd.set_option("display.max_columns", None)
    pd.set_option("display.max_rows", None)
    pd.set_option("display.width", 100_000)
    pd.set_option("display.expand_frame_repr", False)
    pd.set_option("display.max_colwidth", TEXT_COLWIDTH)


def as_list(value: object) -> tuple[str, ...]:
    """A list parameter as given in a notebook (a list) or on the command line ("UKR,KOR"):
    its non-empty items, stripped, in order."""
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else [str(v) for v in value]  # type: ignore[union-attr]
    return tuple(item.strip() for item in items if item.strip())


def party_codes(parties: object, lexicon_dir: str | None = None) -> tuple[str, ...]:
    """The party filter as codes: each item a code (UKR) or a name (Ukraine), any case, from
    lexicon/parties.csv. ValueError naming an item that is neither."""
    from .chart import party_names

    names = party_names(lexicon_dir or None)
    by_name = {name.casefold(): code for code, (name, _) in names.items() if code}
    codes = []
    for item in as_list(parties):
        code = item.upper() if item.upper() in names else by_name.get(item.casefold())
        if not code:
            known = ", ".join(sorted(c for c in names if c))
            raise ValueError(f"parties: unknown party {item!r} (a code or name from parties.csv: {known})")
        codes.append(code)
    return tuple(dict.fromkeys(codes))


def run_key(articles_dir: str = "seeds", manifest: str = "", date_from: str = "", date_to: str = "",
            lexicon_dir: str = "", max_bytes: int = DEFAULT_MAX_BYTES, corrections: str = "",
            parties: object = (), outlets: object = (), topic_dir: str = "") -> tuple:
    """The inputs that decide a Run, with paths resolved from the project root; the
    corrections file by its path and its bytes (an edited file makes a new run)."""
    folder = resolve(articles_dir, SEEDS_DIR)
    manifest_path = resolve(manifest)
    lexicon = resolve(lexicon_dir)
    topic = resolve(topic_dir)
    corrections_path = find_corrections(folder, resolve(corrections))
    digest = ""
    if corrections_path:
        from .corrections import MAX_CORRECTIONS_BYTES
        from .load import read_metadata_file

        # Read as the corrections reader reads it: never blocking, at most the limit + 1 bytes;
        # a file that cannot be read keeps the reason in the key (read_corrections reports it).
        content = read_metadata_file(corrections_path, MAX_CORRECTIONS_BYTES)
        digest = hashlib.sha256(content if isinstance(content, bytes) else content.encode()).hexdigest()
    return (str(folder), str(manifest_path or ""), date_from or "", date_to or "", str(lexicon or ""),
            int(max_bytes), str(corrections_path or ""), digest, party_codes(parties, str(lexicon or "")),
            as_list(outlets), str(topic or ""))


def build_run(articles_dir: str = "seeds", manifest: str = "", date_from: str = "", date_to: str = "",
              lexicon_dir: str = "", max_bytes: int = DEFAULT_MAX_BYTES, corrections: str = "",
              parties: object = (), outlets: object = (), topic_dir: str = "", cache: object = None,
              scheduler: object = None):
    """Read and extract the corpus, a reviewer's corrections applied (`corrections`: a file;
    "" uses corrections.csv in the articles folder when there is one): (Run, the filtered
    Corpus). The corpus holds the articles' metadata, not their texts: worker processes read
    and extract the files, and Corpus.full_article reads one again when its text is needed
    (the evidence pages), so memory does not grow with the corpus's text. Filters: article
    dates, `outlets` (articles from these outlets only) and `parties` (claim and estimate rows
    of these parties only). `topic_dir`:
    the story's folder ("" for the bundled one). `cache`: per-article results kept between
    runs (extract.open_cache; None for none). `scheduler`: a dask.distributed scheduler's address
    ("local" for a LocalCluster) or Client to extract on (analysis.cluster); None: this machine."""
    from .corrections import read_corrections
    from . import cluster
    from .extract import extract_run

    key = run_key(articles_dir, manifest, date_from, date_to, lexicon_dir, max_bytes, corrections, parties, outlets,
                  topic_dir)
    folder, manifest_path, _, _, lexicon, max_bytes, corrections_path, _, codes, outlet_names, topic = key
    review = read_corrections(corrections_path or None, lexicon or None)
    plan = plan_folder(Path(folder), Path(manifest_path) if manifest_path else None, max_bytes)
    client = cluster.connect(scheduler) if isinstance(scheduler, str) and scheduler else scheduler or None
    try:
        corpus, tables = extract_run(plan, lexicon or None, review, topic or None, cache, client=client,
                                     keep=lambda whole: filter_by_outlet(filter_by_date(whole, date_from or None,
                                                                                        date_to or None), outlet_names))
    finally:
        if client is not None and client is not scheduler:
            cluster.close(client)
    for warning in cache.warnings if cache is not None else ():
        print(f"cache: {warning}", file=sys.stderr)
    claims, estimates = tables.claims, tables.estimates
    if codes:
        claims = claims[claims["party"].isin(codes)].reset_index(drop=True)
        estimates = estimates[estimates["party"].isin(codes)].reset_index(drop=True)
    run = Run(
        key=key,
        source=display_path(Path(folder)),
        manifest=display_path(Path(corpus.manifest)) if corpus.manifest else "",
        date_from=date_from or "",
        date_to=date_to or "",
        articles=corpus.articles_frame(),
        rejected=corpus.rejected_frame(),
        claims=claims,
        estimates=estimates,
        problems=corpus.problems(),
        corrections=tables.corrections,
        corrections_file=display_path(Path(corrections_path)) if corrections_path else "",
        parties=codes,
        outlets=outlet_names,
        topic_dir=topic,
    )
    return run, corpus


def save_run_cache(run: Run, path: str | Path) -> Path:
    """Pickle a Run for `load_run` (see the module docstring)."""
    path = Path(path)
    with path.open("wb") as handle:
        pickle.dump(run, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def _cached_run(key: tuple) -> Run | None:
    cache = os.environ.get(CACHE_ENV, "")
    if not cache or not Path(cache).is_file():
        return None
    try:
        with open(cache, "rb") as handle:
            run = pickle.load(handle)
    except Exception:  # a broken cache is only a lost shortcut
        return None
    return run if isinstance(run, Run) and run.key == key else None


def load_run(articles_dir: str = "seeds", manifest: str = "", date_from: str = "", date_to: str = "",
             lexicon_dir: str = "", max_bytes: int = DEFAULT_MAX_BYTES, corrections: str = "",
             parties: object = (), outlets: object = (), topic_dir: str = "", scheduler: str = "") -> Run:
    """The notebooks' data: articles (dated within [date_from, date_to]; undated ones kept; from
    `outlets` when given), rejected files, claims and estimates (of `parties` when given) with
    the reviewer's corrections applied, and the corrections table, read with the story's
    folder `topic_dir` ("" for the bundled one), extracted on the dask.distributed cluster at
    `scheduler` when one is given. Relative paths are taken from the project root."""
    key = run_key(articles_dir, manifest, date_from, date_to, lexicon_dir, max_bytes, corrections, parties, outlets,
                  topic_dir)
    return _cached_run(key) or build_run(articles_dir, manifest, date_from, date_to, lexicon_dir, max_bytes,
                                         corrections, parties, outlets, topic_dir, None, scheduler or None)[0]


class TextView:
    """A few lines of text: shown as-is in text/plain, escaped in HTML."""

    def __init__(self, lines: list[str]):
        self.lines = list(lines)

    def __repr__(self) -> str:
        return "\n".join(self.lines)

    def _repr_html_(self) -> str:
        return "".join(f'<p class="summary">{html.escape(line)}</p>' for line in self.lines)


class TableView:
    """A table capped at `max_rows` rows, with a caption line: how many rows are shown, and
    which file holds the full table. Text: capped column width (what nbval compares); HTML:
    pandas' escaped `to_html` with full cell text, the source file linked, and every row id
    (`links`: {column: the column of row ids it holds}) linked to its highlighted place on the
    article's evidence page. HTML links are relative to OUT/html/, where the reports are."""

    def __init__(self, frame: pd.DataFrame, max_rows: int = 200, source: str = "", index: bool = False,
                 links: tuple[str, ...] = (), evidence_articles: frozenset[str] | None = None):
        self.total = len(frame)
        self.max_rows = max(int(max_rows), 0)
        self.frame = frame.head(self.max_rows)
        self.source = source
        self.index = index
        self.links = tuple(c for c in links if c in self.frame.columns)
        self.evidence_articles = evidence_articles

    @property
    def caption(self) -> str:
        shown = len(self.frame)
        where = f"; full table: {self.source}" if self.source else ""
        if shown < self.total:
            return f"showing {shown} of {self.total} rows{where}"
        return f"{self.total} row{'s' if self.total != 1 else ''}{where}"

    def __repr__(self) -> str:
        if self.frame.empty:
            return f"{self.caption}\ncolumns: {', '.join(map(str, self.frame.columns))}"
        body = self.frame.to_string(index=self.index, na_rep="", max_colwidth=TEXT_COLWIDTH)
        return f"{self.caption}\n{body}"

    def _repr_html_(self) -> str:
        table = html_table(self.frame, self.index, self.links, self.evidence_articles)
        caption = html.escape(self.caption)
        if self.source:
            escaped = html.escape(self.source)
            caption = caption.replace(escaped, f'<a href="{html.escape(quote("../" + self.source))}">{escaped}</a>', 1)
        return f'<p class="caption">{caption}</p>\n{table}'


# Columns shown as dates (never broken across lines) and as party names.
DATE_COLUMNS = ("date", "first_date", "latest_date")
PARTY_COLUMNS = ("party",)


def format_number(value: object) -> str:
    """A number as readers write it: 3,000 for whole numbers, 1.333 for others; "" when missing."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return str(value)
    number = float(value)  # type: ignore[arg-type]
    if number.is_integer():
        return f"{int(number):,}"
    return f"{number:,.3f}".rstrip("0").rstrip(".")


def _cell_html(column: str, value: object, numeric: bool, link: str) -> str:
    """One escaped cell: its class says how the page lays it out (num, date, id, text) and
    data-sort keeps the raw value the sortable table orders by."""
    missing = value is None or (isinstance(value, float) and value != value)
    if numeric:
        raw = "" if missing else repr(float(value))  # type: ignore[arg-type]
        return f'<td class="num" data-sort="{html.escape(raw)}">{format_number(value)}</td>'
    text = "" if missing else str(value)
    if column in PARTY_COLUMNS:
        from .chart import party_label

        shown = party_label(text) if text else ""
        return f'<td class="party" data-sort="{html.escape(shown)}">{html.escape(shown)}</td>'
    if link:
        return f'<td class="id"><a href="{link}">{html.escape(text)}</a></td>'
    is_id = column in ROW_ID_COLUMNS or column == "article_id" or column.endswith("_article")
    kind = "date" if column in DATE_COLUMNS or column.endswith("_date") else "id" if is_id else "text"
    return f'<td class="{kind}">{html.escape(text)}</td>'


def _id_link(row_id: str, evidence_articles: frozenset[str] | None) -> str:
    href = evidence_href(row_id, "articles/", evidence_articles)
    return f'<a href="{href}">{html.escape(row_id)}</a>' if href else html.escape(row_id)


def html_table(frame: pd.DataFrame, index: bool = False, links: tuple[str, ...] = (),
               evidence_articles: frozenset[str] | None = None) -> str:
    """A table as escaped HTML the report pages can sort and search (class "sortable"; the page
    script only reorders and hides rows): numbers with separators, dates unbroken, parties by
    name and code, row ids in `links` columns linked to their evidence. Wrapped in a div that
    scrolls on its own on a narrow screen, so the page itself never does."""
    if index:
        frame = frame.reset_index()
    numeric = {c: pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
               for c in frame.columns}
    # A break opportunity after each underscore: long column names wrap instead of widening the table.
    head = "".join(f'<th scope="col">{html.escape(str(c)).replace("_", "_<wbr>")}</th>' for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False, name=None):
        cells = []
        for column, value in zip(frame.columns, values):
            link = ""
            if column == "row_ids" and isinstance(value, str):  # the timeline's marks: every row they count
                cells.append('<td class="id">' + " ".join(_id_link(i, evidence_articles) for i in value.split()) + "</td>")
                continue
            if column in links and isinstance(value, str) and value:
                link = evidence_href(value, "articles/", evidence_articles)
            cells.append(_cell_html(str(column), value, numeric[column], link))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="table-wrap"><table class="dataframe table sortable"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def evidence_href(row_id: str, prefix: str, evidence_articles: frozenset[str] | None = None) -> str:
    """The href of a row's highlighted place on its article's evidence page
    (`prefix` + <evidence file>#<row_id>), HTML-escaped; "" when the id names no article or
    its article gets no evidence page (`evidence_articles`, when the pages are limited)."""
    from .corrections import table_of
    from .evidence import evidence_file_name

    found = table_of(row_id) if isinstance(row_id, str) else None
    if found is None or (evidence_articles is not None and found[1] not in evidence_articles):
        return ""
    return html.escape(quote(prefix + evidence_file_name(found[1]), safe="/") + "#" + quote(row_id, safe=""), quote=True)


# Columns that hold row ids: linked to the evidence pages in HTML.
ROW_ID_COLUMNS = ("row_id", "first_row_id", "latest_row_id")


def table(frame: pd.DataFrame, max_rows: int = 200, source: str = "", columns: list[str] | None = None,
          index: bool = False, run: Run | None = None) -> TableView:
    """Any table for display: optional column subset, capped rows, caption naming `source`;
    row ids link to their evidence (pages the `run`'s report writes)."""
    if columns is not None:
        frame = frame[[c for c in columns if c in frame.columns]]
    return TableView(frame, max_rows, source, index, ROW_ID_COLUMNS, run.evidence_articles if run else None)


def run_summary(run: Run, output_dir: str = "outputs") -> TextView:
    """Where the articles came from, how many were read, the date range, any problems, and
    where the report keeps the full tables (`output_dir`)."""
    dates = sorted(d for d in run.articles["date"] if d)
    undated = int((run.articles["date"] == "").sum())
    lines = [f"articles folder: {run.source}" + (f" (manifest {run.manifest})" if run.manifest else " (no manifest)")]
    if run.date_from or run.date_to:
        lines.append(f"date filter: {run.date_from or 'any'} to {run.date_to or 'any'} (undated articles kept)")
    if run.outlets:
        lines.append(f"outlet filter: articles from {', '.join(run.outlets)} only")
    if run.parties:
        lines.append(f"party filter: claims and figures of {', '.join(run.parties)} only")
    lines.append(f"{len(run.articles)} articles read, {len(run.rejected)} files rejected")
    lines.append(f"article dates: {dates[0]} to {dates[-1]}; {undated} undated" if dates
                 else f"article dates: none; {undated} undated")
    lines.extend(f"problem: {line}" for line in run.problems[:20])
    if len(run.problems) > 20:
        lines.append(f"... and {len(run.problems) - 20} more problems")
    out = display_path(resolve(output_dir or "outputs"))
    lines.append(f"full tables and figures: {out}/tables/ and {out}/figures/ (written by python -m analysis report)")
    return TextView(lines)


def articles_table(run: Run, max_rows: int = 200) -> TableView:
    """The articles table (main columns; url and sha256 are in the CSV)."""
    return table(run.articles, max_rows, "tables/articles.csv", ARTICLE_VIEW_COLUMNS)


def rejected_table(run: Run, max_rows: int = 200) -> TableView:
    """Files that are not in the corpus, with the reason."""
    return table(run.rejected, max_rows, "tables/rejected.csv")


def article_counts(run: Run) -> pd.DataFrame:
    """Per article: claims, denials and non-denials (rows of the claims table by stance) and
    estimates (rows of the estimates table). Columns COUNT_COLUMNS, sorted by article_id."""
    stances = pd.crosstab(run.claims["article_id"], run.claims["stance"])
    stances = stances.reindex(columns=["claim", "denial", "non_denial"], fill_value=0)
    figures = run.estimates.groupby("article_id").size()
    frame = run.articles[["article_id", "date"]].copy()
    frame["claims"] = frame["article_id"].map(stances["claim"]).fillna(0).astype("int64")
    frame["denials"] = frame["article_id"].map(stances["denial"]).fillna(0).astype("int64")
    frame["non_denials"] = frame["article_id"].map(stances["non_denial"]).fillna(0).astype("int64")
    frame["estimates"] = frame["article_id"].map(figures).fillna(0).astype("int64")
    return frame[COUNT_COLUMNS].reset_index(drop=True)


def counts_table(run: Run, max_rows: int = 200) -> TableView:
    """`article_counts` for display."""
    return table(article_counts(run), max_rows)


def claims_table(run: Run, max_rows: int = 200) -> TableView:
    """Every row of the claims table (claims, denials, non-denials); offsets are in the CSV."""
    return table(run.claims, max_rows, "tables/claims.csv", CLAIM_VIEW_COLUMNS, run=run)


def denials(claims: pd.DataFrame) -> pd.DataFrame:
    """The rows of the claims table whose stance is denial or non_denial."""
    return claims[claims["stance"].isin(["denial", "non_denial"])].reset_index(drop=True)


def denials_table(run: Run, max_rows: int = 200) -> TableView:
    """Denials and non-denials only."""
    return table(denials(run.claims), max_rows, "tables/claims.csv", CLAIM_VIEW_COLUMNS, run=run)


def estimates_table(run: Run, max_rows: int = 200) -> TableView:
    """Every troop figure (sentences are in the CSV and on the evidence pages)."""
    return table(with_band(run.estimates), max_rows, "tables/estimates.csv", ESTIMATE_VIEW_COLUMNS, run=run)


def with_band(estimates: pd.DataFrame) -> pd.DataFrame:
    """The estimates with `band`: a vague figure's band_low-band_high as one text ("2,000-9,999"),
    so the table shows it in one narrow column; empty for numeric figures."""
    has_band = estimates["band_low"].notna() & estimates["band_high"].notna()
    band = [f"{format_number(low)}-{format_number(high)}" if ok else ""
            for low, high, ok in zip(estimates["band_low"], estimates["band_high"], has_band)]
    return estimates.assign(band=band)


def review_counts(run: Run) -> dict[str, int]:
    """How the reviewer's corrections changed the run: rows corrected, added and dropped, and
    corrections that are stale or were found by the rules themselves."""
    done = run.corrections
    if done.empty:
        return dict.fromkeys(("corrected", "added", "dropped", "stale", "found"), 0)
    applied = done.loc[done["status"] == "applied", "action"]
    return {"corrected": int((applied == "set").sum()), "added": int((applied == "add").sum()),
            "dropped": int((applied == "drop").sum()), "stale": int((done["status"] == "stale").sum()),
            "found": int((done["status"] == "found").sum())}


def review_summary(run: Run) -> TextView:
    """One line on the reviewer's corrections: the file, and how many rows they changed."""
    if not run.corrections_file:
        return TextView(["No corrections file: every row is as the rules found it (review = auto)."])
    counts = review_counts(run)
    line = (f"Corrections from {run.corrections_file}: {counts['corrected']} corrected, {counts['added']} added, "
            f"{counts['dropped']} dropped, {counts['stale']} stale")
    if counts["found"]:
        line += f", {counts['found']} added rows the rules now find themselves"
    return TextView([line + "."])


def corrections_table(run: Run, max_rows: int = 200) -> TableView:
    """Every correction and what became of it (stale ones name why)."""
    frame = run.corrections[[c for c in CORRECTION_VIEW_COLUMNS if c in run.corrections.columns]]
    # Not linked: a dropped or stale row has no place on an evidence page.
    return TableView(frame, max_rows, "tables/corrections.csv")


def growth_table(run: Run, max_rows: int = 200) -> TableView:
    """First and latest dated figure per party and kind, with the fold change."""
    from .chart import estimate_growth

    growth = estimate_growth(run.estimates)
    # party is shown by name and code: party_name would repeat it.
    return table(growth, max_rows, columns=[c for c in growth.columns if c != "party_name"], run=run)


def chart_data_table(run: Run, max_rows: int = 200) -> TableView:
    """The points the growth chart plots, as text."""
    from .chart import growth_points

    points = growth_points(run.estimates)
    return table(points[points["plotted"]], max_rows, "figures/estimate_growth.csv", POINT_VIEW_COLUMNS, run=run)


def undated_table(run: Run, max_rows: int = 200) -> TableView:
    """Figures of the charted kinds from undated articles (not on the chart)."""
    from .chart import undated_figures

    return table(undated_figures(run.estimates), max_rows, "figures/estimate_growth.csv", POINT_VIEW_COLUMNS, run=run)


def outliers_table(run: Run, max_rows: int = 200) -> TableView:
    """Figures drawn at their panel's top edge, not to scale: far above the rest of their panel."""
    from .chart import growth_points, outlier_figures

    return table(outlier_figures(growth_points(run.estimates)), max_rows, "figures/estimate_growth.csv",
                 POINT_VIEW_COLUMNS, run=run)


def _png(figure) -> bytes:
    import matplotlib.pyplot as plt

    from .chart import PNG_SAVE

    buffer = io.BytesIO()
    figure.savefig(buffer, **PNG_SAVE)
    plt.close(figure)
    return buffer.getvalue()


def growth_chart_png(estimates: pd.DataFrame, log_scale: object = "auto", topic_dir: str = "") -> bytes:
    """The growth chart as PNG bytes (the same drawing as figures/estimate_growth.png)."""
    from .chart import plot_estimate_growth

    return _png(plot_estimate_growth(estimates, log_scale=log_scale, topic_dir=topic_dir or None))


def show_growth_chart(run: Run, log_scale: object = "auto") -> None:
    """Display the growth chart (an embedded PNG); returns nothing, so no figure repr is shown."""
    from IPython.display import Image, display

    display(Image(data=growth_chart_png(run.estimates, log_scale, run.topic_dir), format="png",
                  alt="Growth chart: troop estimates by article date, one colour per source"))


def show_claims_timeline(run: Run) -> None:
    """Display the claims timeline (the same drawing as figures/claims_timeline.png)."""
    from IPython.display import Image, display

    from .chart import plot_claims_timeline

    display(Image(data=_png(plot_claims_timeline(run.claims)), format="png",
                  alt="Timeline: claims, denials and non-denials by source and article date"))


def timeline_table(run: Run, max_rows: int = 200) -> TableView:
    """The marks of the claims timeline as text: per date, party and stance, how many rows."""
    from .chart import timeline_points

    points = timeline_points(run.claims)
    return table(points[points["plotted"]], max_rows, "figures/claims_timeline.csv",
                 ["date", "party", "stance", "n_rows", "row_ids"], run=run)
