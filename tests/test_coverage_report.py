"""The report on a corpus shaped like real coverage (tests/fixtures/coverage: 30 articles we
wrote, five outlets, eight months, with one far outlier and one "hundreds of thousands" band):
the growth chart's axes come from the figures, the outlier and the band are listed rather than
stretching the scale, the claims timeline is drawn, the index's counts add up to the CSVs, no
page scrolls sideways at 1280 or 390 px, and tables sort and search in the page. Also the
party and outlet filters."""

from __future__ import annotations

import contextlib
import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from selenium.webdriver.common.by import By

from analysis import chart, views

COVERAGE = Path(__file__).parent / "fixtures" / "coverage"


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def run_report(out: Path, *extra: str) -> tuple[int, str, str]:
    from analysis.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["report", "--articles", str(COVERAGE), "--out", str(out), "--no-screenshot", *extra])
    return code, stdout.getvalue(), stderr.getvalue()


@pytest.fixture(scope="module")
def coverage_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("coverage") / "out"
    code, stdout, stderr = run_report(out)
    assert code == 0, stdout + stderr
    return out


@pytest.fixture(scope="module")
def points(coverage_out) -> pd.DataFrame:
    frame = pd.read_csv(coverage_out / "figures" / "estimate_growth.csv", keep_default_na=False,
                        na_values={c: [""] for c in ("low", "high", "band_low", "band_high", "y", "y_low", "y_high")})
    return frame.assign(outlier=frame["outlier"].astype(str) == "True", plotted=frame["plotted"].astype(str) == "True")


def test_the_fixture_has_what_the_layout_checks_need(points):
    troops = points[points["panel"] == "troops"]
    assert len(read_csv(COVERAGE / "manifest.csv")) == 30
    assert troops["y"].max() >= 100_000, "the far outlier is no longer extracted"
    assert (troops["y"].isna() & (troops["y_low"] >= 100_000)).any(), "the large vague band is no longer extracted"
    assert (points["panel"] == "casualties").sum() >= 5


def test_outlier_and_far_band_are_listed_not_scaled(points):
    outliers = points[points["outlier"]]
    assert sorted(outliers["phrase"]) == ["hundreds of thousands", "up to 100,000"]
    troops = points[(points["panel"] == "troops") & points["plotted"]]
    limits = chart.axis_range(troops)
    kept = troops[troops["y"].notna() & ~troops["outlier"]]
    # Within the data: from zero (linear) to a little above the largest figure that is no outlier.
    assert limits.scale == "linear" and limits.low == 0
    assert kept["y_high"].max() <= limits.high <= kept["y_high"].max() * 1.2
    assert limits.high < outliers["y_low"].min()


def test_casualties_span_more_than_thirty_fold_so_their_panel_is_log(points):
    casualties = points[(points["panel"] == "casualties") & points["plotted"]]
    limits = chart.axis_range(casualties)
    values = casualties["y"].dropna()
    assert values.max() / values.min() > chart.LOG_SPAN and limits.scale == "log"
    assert limits.low <= values.min() and values.max() <= limits.high <= values.max() * 2
    assert chart.axis_range(casualties, "linear").scale == "linear"


def test_outliers_need_a_clear_gap():
    values = pd.Series([1500.0, 3000, 8000, 10000, 11000, 12000, 15000])
    assert chart.outlier_fence(values) > 15000  # a fivefold spread is no outlier
    assert chart.outlier_fence(pd.Series([1.0, 2.0, 3.0])) is None  # too few to judge


def test_labels_never_overlap():
    placed = chart._spread_labels([10.0, 11.0, 12.0, 200.0, 395.0], low=0, high=400, gap=13)
    assert all(b - a >= 13 for a, b in zip(placed, placed[1:]))
    assert placed[0] >= 0 and placed[-1] <= 400


def test_the_timeline_counts_every_claims_row(coverage_out):
    claims = read_csv(coverage_out / "tables" / "claims.csv")
    marks = read_csv(coverage_out / "figures" / "claims_timeline.csv")
    assert sum(int(m["n_rows"]) for m in marks) == len(claims)
    listed = sorted(i for m in marks for i in m["row_ids"].split())
    assert listed == sorted(r["row_id"] for r in claims)
    assert {m["stance"] for m in marks} == {"claim", "denial", "non_denial"}
    assert all(m["party_name"] for m in marks)
    for stem in ("claims_timeline", "estimate_growth"):
        for ext in ("png", "svg", "csv"):
            assert (coverage_out / "figures" / f"{stem}.{ext}").stat().st_size > 0


def test_latest_figure_per_source_uses_only_growth_kinds(coverage_out):
    index = (coverage_out / "index.html").read_text(encoding="utf-8")
    latest = index[index.index('id="latest"'):index.index("</table>", index.index('id="latest"'))]
    kinds = re.findall(r'<tr><td class="party">[^<]*</td><td>([^<]*)</td>', latest)
    assert kinds and set(kinds) <= {"current", "projected", "casualties"}


@pytest.mark.parametrize("width", [1280, 390])
def test_no_page_scrolls_sideways(driver, coverage_out, width):
    pages = [coverage_out / "index.html", *sorted((coverage_out / "html").glob("*.html")),
             *sorted((coverage_out / "html" / "articles").glob("*.html"))[:4]]
    driver.set_window_size(width, 900)
    try:
        for page in pages:
            driver.get(page.resolve().as_uri())
            scroll, client = driver.execute_script(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert scroll <= client, f"{page.name} at {width}px: page {scroll}px wide in {client}px"
            if width == 1280:  # and no table is wider than its box there
                wide = driver.execute_script(
                    "return Array.from(document.querySelectorAll('table')).filter(t => {"
                    " const box = t.parentElement.classList.contains('table-wrap') ? t.parentElement : document.body;"
                    " return t.getBoundingClientRect().width > box.getBoundingClientRect().width + 1; }).length")
                assert wide == 0, f"{page.name}: {wide} tables wider than the page"
    finally:
        driver.set_window_size(1280, 1000)


def test_index_shows_both_figures_and_counts_that_add_up(driver, coverage_out):
    driver.get((coverage_out / "index.html").resolve().as_uri())
    for image_id in ("growth-chart", "claims-timeline"):
        image = driver.find_element(By.ID, image_id)
        assert image.is_displayed() and driver.execute_script("return arguments[0].naturalWidth", image) > 0
    shown = {c.get_attribute("data-count"): int(c.text.replace(",", ""))
             for c in driver.find_elements(By.CSS_SELECTOR, "[data-count]")}
    claims = read_csv(coverage_out / "tables" / "claims.csv")
    estimates = read_csv(coverage_out / "tables" / "estimates.csv")
    assert shown["claims_rows"] == len(claims) == shown["claims"] + shown["denials"] + shown["non_denials"]
    assert shown["estimates"] == len(estimates)
    assert shown["deployment"] + shown["casualties"] + shown["earlier"] + shown["context"] == len(estimates)
    body = driver.find_element(By.TAG_NAME, "body").text
    assert "Off the scale" in body and "up to 100,000" in body


def test_tables_sort_and_search_in_the_page(driver, coverage_out):
    driver.get((coverage_out / "html" / "03-estimate-growth.html").resolve().as_uri())
    table = driver.find_elements(By.CSS_SELECTOR, "table.sortable")[1]  # the estimates table
    headers = table.find_elements(By.CSS_SELECTOR, "thead th")
    low = [h.text.replace("\n", "") for h in headers].index("low")

    def column(index: int) -> list[str]:
        return [row.find_elements(By.TAG_NAME, "td")[index].get_attribute("data-sort")
                for row in table.find_elements(By.CSS_SELECTOR, "tbody tr") if row.is_displayed()]

    headers[low].click()
    ascending = [float(v) for v in column(low) if v]
    assert ascending == sorted(ascending) and headers[low].get_attribute("aria-sort") == "ascending"
    headers[low].click()
    descending = [float(v) for v in column(low) if v]
    assert descending == sorted(descending, reverse=True)
    search = driver.find_elements(By.CSS_SELECTOR, "input.table-search")[1]
    search.send_keys("casualties")
    shown = [r for r in table.find_elements(By.CSS_SELECTOR, "tbody tr") if r.is_displayed()]
    assert shown and all("casualties" in r.text for r in shown)
    assert len(shown) < len(table.find_elements(By.CSS_SELECTOR, "tbody tr"))


def test_html_tables_format_numbers_dates_and_parties():
    frame = pd.DataFrame({"date": ["2024-10-28"], "party": ["UKR"], "low": [12000.0], "fold_change": [1.3333],
                          "phrase": ["<b>about 12,000</b>"]})
    rendered = views.html_table(frame)
    assert '<td class="num" data-sort="12000.0">12,000</td>' in rendered
    assert '<td class="num" data-sort="1.3333">1.333</td>' in rendered
    assert '<td class="date">2024-10-28</td>' in rendered and "Ukraine (UKR)" in rendered
    assert "&lt;b&gt;about 12,000&lt;/b&gt;" in rendered and "<b>" not in rendered


def test_party_and_outlet_filters(tmp_path):
    out = tmp_path / "ukr"
    code, stdout, stderr = run_report(out, "-p", "parties", "Ukraine", "-p", "outlets", "Harbour Wire,Meridian Post")
    assert code == 0, stdout + stderr
    claims = read_csv(out / "tables" / "claims.csv")
    estimates = read_csv(out / "tables" / "estimates.csv")
    articles = read_csv(out / "tables" / "articles.csv")
    assert claims and {r["party"] for r in claims} == {"UKR"} and {r["party"] for r in estimates} <= {"UKR"}
    assert articles and {r["outlet"] for r in articles} == {"Harbour Wire", "Meridian Post"}
    assert "party filter: claims and figures of UKR only" in (out / "html" / "01-corpus.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("extra", "message"), [
    (["-p", "parties", "Atlantis"], "parties: unknown party 'Atlantis'"),
    (["-p", "outlets", "No Such Paper"], "outlets: no article in"),
])
def test_a_filter_that_matches_nothing_stops_before_any_notebook(tmp_path, extra, message):
    code, stdout, stderr = run_report(tmp_path / "out", *extra)
    assert code != 0 and message in stderr and not (tmp_path / "out" / "notebooks").exists()
