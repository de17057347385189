"""Step 4: how the troop estimates grew. The growth table (first and latest figure per party
and kind, with the fold change) and the growth chart, saved beside the data it plots:
OUT/figures/estimate_growth.png, .svg and .csv.

Current, projected and casualty figures are charted, and earlier estimates the text recalls
("up from an earlier estimate of 10,000") with a marker of their own; they never count as a
source's first or latest figure. Context figures (the size of North Korea's army) are not
deployment counts and are not charted. Figures from undated articles cannot be placed
on the time axis: they are listed by `undated_figures` and in the CSV (plotted = False)."""

from __future__ import annotations

import functools
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from .estimates import CHARTED_KINDS, GROWTH_KINDS  # noqa: E402
from .lexicon import _rows, load_lexicon  # noqa: E402

UNATTRIBUTED = "(unattributed)"
GROWTH_COLUMNS = ["party", "party_name", "kind", "n_figures", "first_date", "first_phrase", "first_low",
                  "first_high", "latest_date", "latest_phrase", "latest_low", "latest_high", "fold_change",
                  "first_row_id", "latest_row_id"]
PLOT_COLUMNS = ["row_id", "article_id", "date", "party", "party_name", "kind", "low", "high", "qualifier",
                "band_low", "band_high", "y", "y_low", "y_high", "phrase", "plotted"]
FIGURE_STEM = "estimate_growth"
MAX_POINT_LABELS = 40
MAX_VECTOR_MARKS = 2000
# Fixed salt and no date: the SVG's bytes repeat run after run.
_SVG_SAVE = {"format": "svg", "metadata": {"Date": None, "Creator": None}}
_PNG_SAVE = {"format": "png", "dpi": 110, "metadata": {"Software": None}}
_MARKERS = {"current": ("o", True), "projected": ("o", False), "casualties": ("X", True), "earlier": ("d", False)}


@functools.lru_cache(maxsize=8)
def party_names(lexicon_dir: str | None = None) -> dict[str, tuple[str, str]]:
    """Party code -> (display name, colour), from lexicon/parties.csv."""
    base = Path(load_lexicon(lexicon_dir).folder)
    names = {r["party"]: (r["name"], r["colour"]) for r in _rows(base / "parties.csv", ("party", "name", "colour"))}
    names.setdefault("", (UNATTRIBUTED, "#c7c7c7"))
    return names


def _party_label(code: str) -> str:
    names = party_names()
    return names.get(code, (code, ""))[0] if code else UNATTRIBUTED


def growth_points(estimates: pd.DataFrame) -> pd.DataFrame:
    """The figures the chart plots (columns PLOT_COLUMNS), sorted by date, party, kind, phrase.

    y is the figure (midpoint of a range); y_low/y_high are the bar ends of ranges and of vague
    bands (y empty for vague figures: never a made-up point value)."""
    rows = estimates[estimates["kind"].isin(CHARTED_KINDS)].copy()
    if rows.empty:
        # Typed empty columns: a boolean mask over an untyped empty column would select columns.
        return pd.DataFrame(columns=PLOT_COLUMNS).astype({"plotted": "bool", "y": "float64", "y_low": "float64",
                                                          "y_high": "float64", "low": "float64", "high": "float64"})
    rows["party_name"] = rows["party"].map(_party_label)
    numeric = rows["low"].notna() & rows["high"].notna()
    rows["y"] = ((rows["low"] + rows["high"]) / 2).where(numeric)
    rows["y_low"] = rows["low"].where(numeric, rows["band_low"])
    rows["y_high"] = rows["high"].where(numeric, rows["band_high"])
    rows["plotted"] = rows["date"] != ""
    rows = rows.sort_values(["date", "party", "kind", "article_id", "start"], kind="stable")
    return rows[PLOT_COLUMNS].reset_index(drop=True)


def undated_figures(estimates: pd.DataFrame) -> pd.DataFrame:
    """Charted kinds from undated articles: listed under the chart, never silently dropped."""
    points = growth_points(estimates)
    return points[~points["plotted"]].reset_index(drop=True)


def estimate_growth(estimates: pd.DataFrame) -> pd.DataFrame:
    """Per party and kind: first and latest dated figure and the fold change latest/first.

    Columns GROWTH_COLUMNS. The fold change uses each figure's midpoint and is empty when either
    figure is vague. Sorted by party, kind."""
    points = growth_points(estimates)
    # An earlier estimate the text recalls is never a source's first or latest figure.
    points = points[points["plotted"] & points["kind"].isin(GROWTH_KINDS)]
    rows = []
    for (party, kind), group in points.groupby(["party", "kind"], sort=True):
        first, latest = group.iloc[0], group.iloc[-1]
        fold = latest["y"] / first["y"] if pd.notna(first["y"]) and pd.notna(latest["y"]) and first["y"] else None
        rows.append([party, _party_label(party), kind, len(group), first["date"], first["phrase"], first["low"],
                     first["high"], latest["date"], latest["phrase"], latest["low"], latest["high"],
                     round(fold, 3) if fold is not None else None, first["row_id"], latest["row_id"]])
    frame = pd.DataFrame(rows, columns=GROWTH_COLUMNS)
    return frame.astype({"first_low": "float64", "first_high": "float64", "latest_low": "float64",
                         "latest_high": "float64", "fold_change": "float64"})


def plot_estimate_growth(estimates: pd.DataFrame, log_scale: bool = False, points: pd.DataFrame | None = None) -> Figure:
    """The growth chart: x = article date, y = soldiers; colour = party, marker = kind
    (filled current, hollow projected, X casualties, small hollow diamond earlier); ranges and vague bands as vertical bars;
    points labelled with their phrase while there are few enough to read.

    `points`: growth_points(estimates) when the caller has it already (it is not recomputed)."""
    plt.rcParams["svg.hashsalt"] = "news-claims-analysis"
    if points is None:
        points = growth_points(estimates)
    points = points[points["plotted"]]
    figure, axes = plt.subplots(figsize=(10, 5.6))
    names = party_names()
    if points.empty:
        axes.text(0.5, 0.5, "No dated troop figures", ha="center", va="center", transform=axes.transAxes)
    dates = pd.to_datetime(points["date"])
    points = points.assign(x=mdates.date2num(dates))
    # Identical figures on the same day from the same source draw as one mark; a large corpus
    # is drawn as an image inside the SVG rather than one vector mark per figure.
    drawn = points.drop_duplicates(["x", "party", "kind", "y", "y_low", "y_high"])
    rasterize = len(drawn) > MAX_VECTOR_MARKS
    # One call per party and kind, not per point: the chart stays fast on 10,000 articles.
    for (party, kind), group in drawn.groupby(["party", "kind"], sort=True):
        colour = names.get(party, (party, "#444444"))[1] or "#444444"
        bars = group[group["y_low"].notna() & group["y_high"].notna() & (group["y_low"] != group["y_high"])]
        if not bars.empty:
            axes.vlines(bars["x"], bars["y_low"], bars["y_high"], colors=colour, linewidth=3, alpha=0.45,
                        rasterized=rasterize)
        dots = group[group["y"].notna()]
        if not dots.empty:
            marker, filled = _MARKERS[kind]
            axes.plot(dots["x"], dots["y"], marker=marker, markersize=6 if kind == "earlier" else 9,
                      linestyle="none", color=colour,
                      markerfacecolor=colour if filled else "white", markeredgewidth=2, rasterized=rasterize)
    if len(points) <= MAX_POINT_LABELS:
        for row in points.itertuples():
            label_y = row.y if pd.notna(row.y) else row.y_high
            if pd.notna(label_y):
                axes.annotate(row.phrase, (row.x, label_y), xytext=(6, 4), textcoords="offset points", fontsize=8)
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    if log_scale:
        axes.set_yscale("log")
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    elif not points.empty:
        axes.set_ylim(bottom=0)
    if not points.empty:
        span = dates.max() - dates.min()
        pad = max(span * 0.08, pd.Timedelta(days=3))
        axes.set_xlim(mdates.date2num(dates.min() - pad), mdates.date2num(dates.max() + pad * 2))
    axes.set_xlabel("article date")
    axes.set_ylabel("North Korean soldiers")
    axes.set_title("Estimates of North Korean troops in Russia, by source")
    axes.grid(True, alpha=0.3)
    party_handles = [Line2D([], [], color=names.get(p, (p, "#444444"))[1] or "#444444", linewidth=6,
                            label=_party_label(p)) for p in sorted(points["party"].unique())]
    kind_handles = [Line2D([], [], marker=_MARKERS[k][0], linestyle="none", color="black", markersize=8,
                           markerfacecolor="black" if _MARKERS[k][1] else "white", label=k)
                    for k in CHARTED_KINDS]
    if party_handles:
        first_legend = axes.legend(handles=party_handles, title="source", loc="upper left", fontsize=8)
        axes.add_artist(first_legend)
    axes.legend(handles=kind_handles + [Line2D([], [], color="grey", linewidth=3, alpha=0.45,
                                               label="range / vague band")],
                title="figure", loc="lower right", fontsize=8)
    figure.autofmt_xdate()
    figure.tight_layout()
    return figure


def write_growth_figure(estimates: pd.DataFrame, out_dir: str | Path, log_scale: bool = False) -> list[Path]:
    """Save the chart as OUT/figures/estimate_growth.png and .svg and its data as .csv."""
    folder = Path(out_dir) / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    points = growth_points(estimates)
    figure = plot_estimate_growth(estimates, log_scale=log_scale, points=points)
    png, svg, csv = (folder / f"{FIGURE_STEM}.{ext}" for ext in ("png", "svg", "csv"))
    figure.savefig(png, **_PNG_SAVE)
    figure.savefig(svg, **_SVG_SAVE)
    plt.close(figure)
    points.to_csv(csv, index=False, encoding="utf-8", errors="backslashreplace", lineterminator="\n")
    return [png, svg, csv]
