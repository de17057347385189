"""Step 4: how the troop estimates grew, and who claimed and denied what when.

The growth table (first and latest figure per party and kind, with the fold change), the
growth chart (OUT/figures/estimate_growth.png, .svg, .csv) and the claims timeline
(OUT/figures/claims_timeline.png, .svg, .csv), each saved beside the data it draws.

The growth chart has two panels on one time axis: troops (current, projected, and the earlier
estimates the text recalls, drawn apart and never a source's first or latest figure) and
casualties. Context figures (the size of North Korea's army) are no deployment counts and are
not charted. Axis limits come from the numeric figures alone: vague bands ("hundreds of
thousands") never set them, and a figure far above the rest of its panel is an outlier,
listed under the chart and marked at the panel's top edge rather than crushing the scale.
Figures from undated articles cannot be placed on the time axis: `undated_figures` lists them
and the CSV has them with plotted = False."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from .estimates import CHARTED_KINDS, GROWTH_KINDS  # noqa: E402
from .lexicon import load_lexicon  # noqa: E402
from .topic import topic_labels  # noqa: E402

UNATTRIBUTED = "No source given"
GROWTH_COLUMNS = ["party", "party_name", "kind", "n_figures", "first_date", "first_phrase", "first_low",
                  "first_high", "latest_date", "latest_phrase", "latest_low", "latest_high", "fold_change",
                  "first_row_id", "latest_row_id"]
PLOT_COLUMNS = ["row_id", "article_id", "date", "party", "party_name", "kind", "panel", "low", "high", "qualifier",
                "band_low", "band_high", "y", "y_low", "y_high", "phrase", "outlier", "plotted"]
TIMELINE_COLUMNS = ["date", "party", "party_name", "stance", "n_rows", "row_ids", "plotted"]
FIGURE_STEM = "estimate_growth"
TIMELINE_STEM = "claims_timeline"
STANCE_ORDER = ("claim", "denial", "non_denial")
# Panel name -> the kinds it draws, and the topic label of its y axis (topic.topic_labels).
PANELS = {"troops": (("current", "projected", "earlier"), "personnel_axis"),
          "casualties": (("casualties",), "casualties_axis")}
# A panel whose figures span more than this ratio is drawn on a log scale (log_scale="auto").
LOG_SPAN = 30.0
# An outlier lies above the panel's upper quartile by more than 1.5 interquartile ranges and
# by at least this factor, both on a log scale (a figure 3x the typical is no outlier).
OUTLIER_MIN_FACTOR = 3.0
OUTLIER_MIN_FIGURES = 4
MAX_VECTOR_MARKS = 2000
LABEL_GAP_PX = 13.0
# Fixed salt and no date: the SVG's bytes repeat run after run.
SVG_SAVE = {"format": "svg", "metadata": {"Date": None, "Creator": None}}
PNG_SAVE = {"format": "png", "dpi": 110, "metadata": {"Software": None}}
_MARKERS = {"current": ("o", True), "projected": ("o", False), "casualties": ("X", True), "earlier": ("d", False)}
_STANCE_MARKERS = {"claim": ("o", True), "denial": ("X", True), "non_denial": ("s", False)}
_STANCE_OFFSET = {"claim": 0.0, "denial": 0.22, "non_denial": -0.22}
SCALE_CHOICES = ("auto", "linear", "log")
# Parties that gather many sources (the outlets' own narration, unnamed sources, all outlets):
# no step line joins their figures, which are not one source's changing estimate.
POOLED_PARTIES = ("", "UNK", "MEDIA")


@functools.lru_cache(maxsize=8)
def party_names(lexicon_dir: str | None = None) -> dict[str, tuple[str, str]]:
    """Party code -> (display name, colour), from the shared parties.csv (codes are the
    world's, not a story's); "" is the outlet's own narration with no source given."""
    names = dict(load_lexicon(lexicon_dir).parties)
    names.setdefault("", (UNATTRIBUTED, "#262626"))
    return names


def party_label(code: str) -> str:
    """A party as readers see it on every page: its name and, for a coded party, the code
    ("Ukraine (UKR)"); the outlet's own narration is "No source given"."""
    if not code:
        return UNATTRIBUTED
    name = party_names().get(code, (code, ""))[0]
    return name if name == code else f"{name} ({code})"


def party_colour(code: str) -> str:
    """The party's colour on every chart (parties.csv; dark grey when it has none)."""
    return party_names().get(code, (code, ""))[1] or "#444444"


def scale_choice(value: object) -> str:
    """The `log_scale` parameter as one of SCALE_CHOICES: "auto" (each panel log when its
    figures span more than LOG_SPAN), "log" or "linear"; true/false flags are read as log/linear.
    ValueError on anything else."""
    if isinstance(value, bool):
        return "log" if value else "linear"
    text = str(value).strip().lower()
    flags = {"true": "log", "yes": "log", "1": "log", "on": "log", "false": "linear", "no": "linear", "0": "linear",
             "off": "linear"}
    if text in SCALE_CHOICES:
        return text
    if text in flags:
        return flags[text]
    raise ValueError(f"log_scale must be auto, log or linear (or true/false), not {value!r}")


def outlier_fence(values: pd.Series) -> float | None:
    """The value above which a figure is an outlier of its panel (see OUTLIER_MIN_FACTOR),
    judged on a log scale; None when there are too few figures to judge."""
    positive = values[values > 0]
    if len(positive) < OUTLIER_MIN_FIGURES:
        return None
    logs = positive.map(math.log10)
    q1, q3 = logs.quantile(0.25), logs.quantile(0.75)
    return 10 ** (q3 + max(1.5 * (q3 - q1), math.log10(OUTLIER_MIN_FACTOR)))


def growth_points(estimates: pd.DataFrame) -> pd.DataFrame:
    """The figures the chart draws (columns PLOT_COLUMNS), sorted by date, party, kind, position.

    y is the figure (midpoint of a range); y_low/y_high are the bar ends of ranges and of vague
    bands (y empty for vague figures: never a made-up point value). `panel` is troops or
    casualties; `outlier` marks a dated figure far above the rest of its panel."""
    rows = estimates[estimates["kind"].isin(CHARTED_KINDS)].copy()
    if rows.empty:
        # Typed empty columns: a boolean mask over an untyped empty column would select columns.
        return pd.DataFrame(columns=PLOT_COLUMNS).astype({
            "plotted": "bool", "outlier": "bool", "y": "float64", "y_low": "float64", "y_high": "float64",
            "low": "float64", "high": "float64"})
    rows["party_name"] = rows["party"].map(party_label)
    rows["panel"] = rows["kind"].map(lambda kind: "casualties" if kind == "casualties" else "troops")
    numeric = rows["low"].notna() & rows["high"].notna()
    rows["y"] = ((rows["low"] + rows["high"]) / 2).where(numeric)
    rows["y_low"] = rows["low"].where(numeric, rows["band_low"])
    rows["y_high"] = rows["high"].where(numeric, rows["band_high"])
    rows["plotted"] = rows["date"] != ""
    rows["outlier"] = False
    for panel, group in rows[rows["plotted"]].groupby("panel"):
        fence = outlier_fence(group.loc[group["y"].notna(), "y_high"])
        if fence is not None:
            # A figure above the fence, or a vague band that starts above it ("hundreds of thousands").
            rows.loc[group.index, "outlier"] = group["y"].gt(fence) | (group["y"].isna() & group["y_low"].gt(fence))
    rows["outlier"] = rows["outlier"].astype(bool)
    rows = rows.sort_values(["date", "party", "kind", "article_id", "start"], kind="stable")
    return rows[PLOT_COLUMNS].reset_index(drop=True)


def undated_figures(estimates: pd.DataFrame) -> pd.DataFrame:
    """Charted kinds from undated articles: listed under the chart, never silently dropped."""
    points = growth_points(estimates)
    return points[~points["plotted"]].reset_index(drop=True)


def outlier_figures(points: pd.DataFrame) -> pd.DataFrame:
    """The dated figures drawn at their panel's top edge, not to scale (listed under the chart)."""
    return points[points["plotted"] & points["outlier"]].reset_index(drop=True)


def estimate_growth(estimates: pd.DataFrame, points: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per party and kind: first and latest dated figure and the fold change latest/first.

    Columns GROWTH_COLUMNS. The fold change uses each figure's midpoint and is empty when either
    figure is vague or the party pools many sources (POOLED_PARTIES). Sorted by party, kind.
    `points`: growth_points(estimates) when the caller has it."""
    if points is None:
        points = growth_points(estimates)
    # An earlier estimate the text recalls is never a source's first or latest figure.
    points = points[points["plotted"] & points["kind"].isin(GROWTH_KINDS)]
    rows = []
    for (party, kind), group in points.groupby(["party", "kind"], sort=True):
        first, latest = group.iloc[0], group.iloc[-1]
        # No fold change for pooled sources: their first and latest figures come from different speakers.
        fold = (latest["y"] / first["y"] if party not in POOLED_PARTIES and pd.notna(first["y"])
                and pd.notna(latest["y"]) and first["y"] else None)
        rows.append([party, party_label(party), kind, len(group), first["date"], first["phrase"], first["low"],
                     first["high"], latest["date"], latest["phrase"], latest["low"], latest["high"],
                     round(fold, 3) if fold is not None else None, first["row_id"], latest["row_id"]])
    frame = pd.DataFrame(rows, columns=GROWTH_COLUMNS)
    return frame.astype({"first_low": "float64", "first_high": "float64", "latest_low": "float64",
                         "latest_high": "float64", "fold_change": "float64"})


@dataclass(frozen=True)
class AxisRange:
    """A panel's y axis: its limits and scale, chosen from the figures it draws."""

    low: float
    high: float
    scale: str  # "linear" or "log"


def axis_range(points: pd.DataFrame, scale: str = "auto") -> AxisRange | None:
    """The y axis of a panel from its dated points: numeric figures that are no outliers set it
    (vague bands only when there is nothing else); None when the panel has nothing to draw."""
    dated = points[points["plotted"] & ~points["outlier"]]
    numeric = dated[dated["y"].notna() & ~dated["outlier"]]
    values = pd.concat([numeric["y_low"], numeric["y_high"]]).dropna()
    if values.empty:
        values = pd.concat([dated["y_low"], dated["y_high"]]).dropna()
    if values.empty:
        return None
    smallest, largest = float(values.min()), float(values.max())
    if scale == "auto":
        scale = "log" if smallest > 0 and largest / smallest > LOG_SPAN else "linear"
    # A vague band that starts above every figure still shows: the axis reaches its start
    # (the band itself never sets the limits, nor the scale).
    band_starts = dated.loc[dated["y"].isna(), "y_low"].dropna()
    largest = max([largest, *band_starts[band_starts > largest].tolist()])
    if scale == "log":
        floor = max(smallest, 1.0)
        return AxisRange(floor / 1.8, max(largest, floor) * 1.8, "log")
    return AxisRange(0.0, largest * 1.15 if largest > 0 else 1.0, "linear")


def _thousands(value: float, _position: object = None) -> str:
    return f"{value:,.0f}"


def _spread_labels(wanted: list[float], low: float, high: float, gap: float) -> list[float]:
    """Label positions (display pixels, ascending input) moved apart by at least `gap` and kept
    within [low, high]: labels at the right of a panel that never overlap."""
    placed: list[float] = []
    for y in wanted:
        placed.append(max(y, placed[-1] + gap) if placed else max(y, low))
    overflow = placed[-1] - high if placed else 0.0
    if overflow > 0:  # pushed past the top: shift everything down, then keep the gaps from below
        placed = [y - overflow for y in placed]
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - gap)
    return placed


def _draw_panel(axes: Axes, points: pd.DataFrame, panel: str, scale: str, rasterize: bool,
                topic_dir: str | None = None) -> None:
    kinds, label_key = PANELS[panel]
    dated = points[points["plotted"] & points["panel"].eq(panel)]
    limits = axis_range(dated, scale)
    axes.set_ylabel(topic_labels(topic_dir)[label_key])
    axes.grid(True, alpha=0.3)
    if limits is None:
        axes.text(0.5, 0.5, f"No dated {'casualty' if panel == 'casualties' else 'troop'} figures", ha="center",
                  va="center", transform=axes.transAxes, color="#555555")
        axes.set_yticks([])
        return
    axes.set_yscale(limits.scale)
    axes.set_ylim(limits.low, limits.high)
    axes.yaxis.set_major_formatter(FuncFormatter(_thousands))
    axes.yaxis.set_minor_formatter(FuncFormatter(lambda *_: ""))
    in_scale = dated[~dated["outlier"]]
    # Identical figures on the same day from the same source draw as one mark.
    drawn = in_scale.drop_duplicates(["x", "party", "kind", "y", "y_low", "y_high"])
    for (party, kind), group in drawn.groupby(["party", "kind"], sort=True):
        colour = party_colour(party)
        bars = group[group["y_low"].notna() & group["y_high"].notna() & (group["y_low"] != group["y_high"])]
        if not bars.empty:  # ranges and vague bands; a band beyond the axis is cut at its edge
            # All of a group's bars as one line broken by NaN gaps: a log axis transforms it in one
            # call, where a collection transforms each segment on its own (a second per 10,000
            # bars, twice: PNG and SVG). Overlapping bars of one source no longer darken each other.
            xs = np.repeat(bars["x"].to_numpy(dtype=float), 3)
            ys = np.column_stack([bars["y_low"].clip(lower=limits.low), bars["y_high"].clip(upper=limits.high),
                                  np.full(len(bars), np.nan)]).ravel()
            xs[2::3] = np.nan
            axes.add_line(Line2D(xs, ys, color=colour, linewidth=4, alpha=0.35, solid_capstyle="butt",
                                 rasterized=rasterize))
        dots = group[group["y"].notna()]
        if dots.empty:
            continue
        if kind in ("current", "projected") and party not in POOLED_PARTIES:
            # The growth story: a step line through the source's figures, one level per date.
            steps = dots.groupby("x", sort=True)["y"].median()
            axes.plot(steps.index, steps.values, drawstyle="steps-post", color=colour, alpha=0.7,
                      linewidth=1.6 if kind != "projected" else 1.2, linestyle="--" if kind == "projected" else "-",
                      rasterized=rasterize)
        marker, filled = _MARKERS[kind]
        axes.plot(dots["x"], dots["y"], marker=marker, markersize=5 if kind == "earlier" else 8, linestyle="none",
                  color=colour, markerfacecolor=colour if filled else "white", markeredgewidth=1.8,
                  alpha=0.6 if kind == "earlier" else 1.0, rasterized=rasterize)
    outliers = dated[dated["outlier"]]
    if not outliers.empty:  # not to scale: an arrow at the top edge, the figure listed under the chart
        top = limits.high / 1.15 if limits.scale == "log" else limits.high * 0.97
        for row in outliers.drop_duplicates(["x", "party"]).itertuples():
            axes.plot([row.x], [top], marker="^", markersize=9, color=party_colour(row.party), linestyle="none")
        axes.annotate("▲ off scale: listed under the chart", (0.01, 0.985), xycoords="axes fraction", va="top",
                      fontsize=7.5, color="#555555")
    _label_latest(axes, in_scale[in_scale["y"].notna() & in_scale["kind"].isin(kinds) & (in_scale["kind"] != "earlier")],
)


def _label_latest(axes: Axes, dots: pd.DataFrame) -> None:
    """Each party's latest figure in the panel, labelled in the margin right of the panel."""
    if dots.empty:
        return
    latest = (dots.sort_values(["x", "kind"], kind="stable").groupby("party", sort=True).tail(1)
              .sort_values(["y", "party"], kind="stable"))
    to_pixels = axes.transData.transform
    box = axes.get_window_extent()
    wanted = [to_pixels((row.x, row.y))[1] for row in latest.itertuples()]
    placed = _spread_labels(wanted, box.y0 + 4, box.y1 - 4, LABEL_GAP_PX)
    for row, y_pixel in zip(latest.itertuples(), placed):
        fraction = (y_pixel - box.y0) / box.height
        name = party_names().get(row.party, (row.party, ""))[0] if row.party else UNATTRIBUTED
        text = f"{name}: {_thousands(row.y)}" + (" (projected)" if row.kind == "projected" else "")
        axes.annotate(text, xy=(row.x, row.y), xytext=(1.015, fraction), textcoords="axes fraction", va="center",
                      fontsize=8, color=party_colour(row.party),
                      arrowprops={"arrowstyle": "-", "color": party_colour(row.party), "linewidth": 0.7,
                                  "linestyle": ":", "alpha": 0.45, "shrinkA": 0, "shrinkB": 5})


def _time_limits(dates: pd.Series) -> tuple[float, float]:
    span = dates.max() - dates.min()
    pad = max(span * 0.04, pd.Timedelta(days=3))
    return mdates.date2num(dates.min() - pad), mdates.date2num(dates.max() + pad)


def _date_axis(axes: Axes) -> None:
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def plot_estimate_growth(estimates: pd.DataFrame, log_scale: object = "auto",
                         points: pd.DataFrame | None = None, topic_dir: str | None = None) -> Figure:
    """The growth chart: troops above, casualties below, one time axis; colour = party (the same
    on every chart), filled = current, hollow with a dashed step line = projected, X = casualties,
    small diamond = an earlier estimate recalled; bars for ranges and vague bands; each party's
    latest figure labelled right of its panel; legends below the panels.

    `log_scale`: see scale_choice. `points`: growth_points(estimates) when the caller has it."""
    plt.rcParams["svg.hashsalt"] = "news-claims-analysis"
    scale = scale_choice(log_scale)
    if points is None:
        points = growth_points(estimates)
    dated = points[points["plotted"]]
    figure = plt.figure(figsize=(11, 8.2))
    troops = figure.add_axes((0.08, 0.47, 0.66, 0.47))
    casualties = figure.add_axes((0.08, 0.17, 0.66, 0.26), sharex=troops)
    troops.set_title(topic_labels(topic_dir)["growth_chart_title"], loc="left")
    dated = dated.assign(x=mdates.date2num(pd.to_datetime(dated["date"]))) if not dated.empty else dated.assign(x=[])
    if not dated.empty:
        troops.set_xlim(*_time_limits(pd.to_datetime(dated["date"])))
    _date_axis(casualties)
    troops.tick_params(labelbottom=False)
    rasterize = len(dated) > MAX_VECTOR_MARKS
    _draw_panel(troops, dated, "troops", scale, rasterize, topic_dir)
    _draw_panel(casualties, dated, "casualties", scale, rasterize, topic_dir)
    casualties.set_xlabel("article date")
    parties = sorted(dated["party"].unique(), key=lambda code: (code == "", party_label(code)))
    party_handles = [Line2D([], [], color=party_colour(p), linewidth=5, label=party_label(p))
                     for p in parties]
    kind_handles = [Line2D([], [], marker=_MARKERS[k][0], linestyle="none", color="black", markersize=7,
                           markerfacecolor="black" if _MARKERS[k][1] else "white", label=k) for k in CHARTED_KINDS]
    kind_handles.append(Line2D([], [], color="grey", linewidth=4, alpha=0.35, label="range / vague band"))
    if party_handles:
        figure.legend(handles=party_handles, loc="upper left", bbox_to_anchor=(0.06, 0.085),
                      ncol=min(5, len(party_handles)), fontsize=8, frameon=False)
    figure.legend(handles=kind_handles, loc="upper left", bbox_to_anchor=(0.06, 0.115), ncol=len(kind_handles),
                  fontsize=8, frameon=False)
    return figure


def write_growth_figure(estimates: pd.DataFrame, out_dir: str | Path, log_scale: object = "auto",
                        topic_dir: str | None = None, points: pd.DataFrame | None = None) -> list[Path]:
    """Save the chart as OUT/figures/estimate_growth.png and .svg and its data as .csv
    (`points`: growth_points(estimates) when the caller has it)."""
    folder = Path(out_dir) / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    if points is None:
        points = growth_points(estimates)
    figure = plot_estimate_growth(estimates, log_scale=log_scale, points=points, topic_dir=topic_dir)
    return _save(figure, points, folder, FIGURE_STEM)


def _save(figure: Figure, data: pd.DataFrame, folder: Path, stem: str) -> list[Path]:
    png, svg, csv = (folder / f"{stem}.{ext}" for ext in ("png", "svg", "csv"))
    figure.savefig(png, **PNG_SAVE)
    figure.savefig(svg, **SVG_SAVE)
    plt.close(figure)
    data.to_csv(csv, index=False, encoding="utf-8", errors="backslashreplace", lineterminator="\n")
    return [png, svg, csv]


def timeline_points(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims, denials and non-denials per article date, party and stance (columns
    TIMELINE_COLUMNS): n_rows and the row ids of claims.csv they count (space-separated), so
    every mark is reachable from its rows. Undated rows have plotted = False. Sorted by date,
    party, stance."""
    if claims.empty:
        return pd.DataFrame(columns=TIMELINE_COLUMNS).astype({"n_rows": "int64", "plotted": "bool"})
    grouped = (claims.groupby(["date", "party", "stance"], sort=True)["row_id"]
               .agg(n_rows="size", row_ids=lambda ids: " ".join(ids)).reset_index())
    grouped["party_name"] = grouped["party"].map(party_label)
    grouped["plotted"] = grouped["date"] != ""
    grouped["stance_order"] = grouped["stance"].map({s: i for i, s in enumerate(STANCE_ORDER)})
    grouped = grouped.sort_values(["plotted", "date", "party", "stance_order"], ascending=[False, True, True, True],
                                  kind="stable")
    return grouped[TIMELINE_COLUMNS].reset_index(drop=True)


def timeline_parties(points: pd.DataFrame) -> list[str]:
    """Parties in the timeline's row order: most rows first, then by name."""
    dated = points[points["plotted"]]
    totals = dated.groupby("party")["n_rows"].sum()
    return sorted(totals.index, key=lambda code: (-int(totals[code]), party_label(code)))


def plot_claims_timeline(claims: pd.DataFrame, points: pd.DataFrame | None = None) -> Figure:
    """Who said what, when: one row per party, article dates across; dots for claims, X for
    denials, hollow squares for non-denials; a mark's size grows with the rows it counts."""
    plt.rcParams["svg.hashsalt"] = "news-claims-analysis"
    if points is None:
        points = timeline_points(claims)
    dated = points[points["plotted"]]
    parties = timeline_parties(points)
    height = 1.9 + 0.42 * max(len(parties), 2)
    figure = plt.figure(figsize=(11, height))
    bottom = 0.95 / height
    axes = figure.add_axes((0.2, bottom, 0.77, 1 - bottom - 0.55 / height))
    axes.set_title("Claims, denials and non-denials by source", loc="left")
    if dated.empty:
        axes.text(0.5, 0.5, "No dated claims", ha="center", va="center", transform=axes.transAxes)
        axes.set_yticks([])
    else:
        row_of = {party: i for i, party in enumerate(parties)}
        dates = pd.to_datetime(dated["date"])
        x = mdates.date2num(dates)
        for stance in STANCE_ORDER:
            marks = dated[dated["stance"] == stance]
            if marks.empty:
                continue
            marker, filled = _STANCE_MARKERS[stance]
            xs = x[(dated["stance"] == stance).to_numpy()]
            ys = [len(parties) - 1 - row_of[p] + _STANCE_OFFSET[stance] for p in marks["party"]]
            colours = [party_colour(p) for p in marks["party"]]
            sizes = [28 + 22 * math.sqrt(n - 1) for n in marks["n_rows"]]
            axes.scatter(xs, ys, s=sizes, marker=marker, c=colours if filled else "white",
                         edgecolors=colours, linewidths=1.5, zorder=3)
        axes.set_yticks(range(len(parties)), [party_label(p) for p in reversed(parties)], fontsize=8.5)
        axes.set_ylim(-0.7, len(parties) - 0.3)
        axes.set_xlim(*_time_limits(dates))
        _date_axis(axes)
        axes.grid(True, axis="x", alpha=0.3)
        for i in range(len(parties)):
            axes.axhline(i, color="#e6e6e6", linewidth=0.8, zorder=1)
    axes.set_xlabel("article date")
    handles = [Line2D([], [], marker=_STANCE_MARKERS[s][0], linestyle="none", color="black", markersize=7,
                      markerfacecolor="black" if _STANCE_MARKERS[s][1] else "white", label=s.replace("_", "-"))
               for s in STANCE_ORDER]
    handles.append(Line2D([], [], marker="o", linestyle="none", color="grey", markersize=11, label="larger: more rows"))
    figure.legend(handles=handles, loc="lower right", bbox_to_anchor=(0.99, 0.0), ncol=4, fontsize=8, frameon=False)
    return figure


def write_claims_timeline(claims: pd.DataFrame, out_dir: str | Path) -> list[Path]:
    """Save the timeline as OUT/figures/claims_timeline.png and .svg and its data as .csv."""
    folder = Path(out_dir) / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    points = timeline_points(claims)
    return _save(plot_claims_timeline(claims, points), points, folder, TIMELINE_STEM)
