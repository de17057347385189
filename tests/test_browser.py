"""The rendered report in a real browser (headless Debian Chromium through Selenium): pages load
without console errors, the chart displays, the index's counts match the CSV files, and the
HTML/JS payloads of the hostile article show as text without running.

Chromium is required, not optional: CI installs it (.ci/run). When it is missing these tests
fail and say how to install it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from analysis import evidence, report

from conftest import HOSTILE_ID, IMG_PAYLOAD, SCRIPT_PAYLOAD, assert_no_alert

# Sentinel set by any script that runs on a page; the payloads call alert(), which would leave
# a dialog open. Neither must happen.
WATCH = "window.__xss = false; window.alert = function () { window.__xss = true; };"


@pytest.fixture(scope="module")
def out(hostile_report) -> Path:
    assert hostile_report.exit_code == 0, hostile_report.stdout + hostile_report.stderr
    return hostile_report.out


def severe_errors(driver) -> list[str]:
    entries = driver.get_log("browser")
    return [e["message"] for e in entries if e.get("level") == "SEVERE" and "favicon" not in e.get("message", "")]


def open_page(driver, page: Path) -> list[str]:
    """Load a page from disk; returns its severe console messages."""
    driver.get_log("browser")  # drop what earlier pages left
    driver.get(page.resolve().as_uri())
    return severe_errors(driver)


def pages(out: Path) -> list[Path]:
    return [out / "index.html", *sorted((out / "html").glob("*.html")),
            out / "html" / "articles" / evidence.evidence_file_name(HOSTILE_ID), out / "html" / "articles" / "index.html"]


def test_pages_load_without_console_errors(driver, out):
    for page in pages(out):
        assert page.is_file(), page
        errors = open_page(driver, page)
        assert not errors, f"{page.name}: {errors}"
        assert driver.find_element(By.TAG_NAME, "h1").text.strip(), f"{page.name}: no heading rendered"


def test_index_chart_is_displayed(driver, out):
    open_page(driver, out / "index.html")
    chart = driver.find_element(By.ID, "growth-chart")
    size = driver.execute_script("return [arguments[0].complete, arguments[0].naturalWidth, arguments[0].naturalHeight]",
                                 chart)
    assert size[0] and size[1] > 0 and size[2] > 0, f"chart image not loaded: {size}"
    assert chart.is_displayed()


def test_growth_report_shows_its_chart(driver, out):
    open_page(driver, out / "html" / "03-estimate-growth.html")
    sizes = driver.execute_script("return Array.from(document.images).map(i => i.naturalWidth)")
    assert sizes and all(w > 0 for w in sizes), sizes


def test_index_counts_match_the_csv_files(driver, out):
    def rows(name):
        with (out / "tables" / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    claims, estimates = rows("claims"), rows("estimates")
    expected = {"articles": len(rows("articles")), "rejected": len(rows("rejected")), "claims_rows": len(claims),
                "claims": sum(r["stance"] == "claim" for r in claims),
                "denials": sum(r["stance"] == "denial" for r in claims),
                "non_denials": sum(r["stance"] == "non_denial" for r in claims),
                "estimates": len(estimates),
                "deployment": sum(r["kind"] in ("current", "projected") for r in estimates),
                "casualties": sum(r["kind"] == "casualties" for r in estimates),
                "earlier": sum(r["kind"] == "earlier" for r in estimates),
                "context": sum(r["kind"] == "context" for r in estimates)}
    open_page(driver, out / "index.html")
    shown = {cell.get_attribute("data-count"): int(cell.text.replace(",", ""))
             for cell in driver.find_elements(By.CSS_SELECTOR, "[data-count]")}
    assert shown == expected


def test_payloads_show_as_text_and_never_run(driver, out):
    visible = {
        out / "html" / "articles" / evidence.evidence_file_name(HOSTILE_ID): (SCRIPT_PAYLOAD, IMG_PAYLOAD),
        out / "html" / "02-claims-and-denials.html": (SCRIPT_PAYLOAD, IMG_PAYLOAD),
        out / "index.html": (SCRIPT_PAYLOAD,),
    }
    for page in pages(out):
        open_page(driver, page)
        assert_no_alert(driver, page.name)
        found = driver.execute_script(
            "return [Array.from(document.scripts).filter(s => !s.src.endsWith('/assets/tables.js')).length,"
            " document.querySelectorAll('img[src=\"x\"]').length,"
            " Array.from(document.querySelectorAll('*')).filter("
            "   e => Array.from(e.attributes).some(a => a.name.startsWith('on'))).length]")
        assert found == [0, 0, 0], f"{page.name}: scripts, payload images, event handlers: {found}"
        body = driver.find_element(By.TAG_NAME, "body").text
        for payload in visible.get(page, ()):
            assert payload in body, f"{page.name}: {payload} not shown as text"


def test_no_script_runs_even_when_watched(driver, out):
    """Reload the evidence page with alert() replaced by a recorder installed before parsing."""
    added = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH})
    try:
        page = out / "html" / "articles" / evidence.evidence_file_name(HOSTILE_ID)
        open_page(driver, page)
        assert driver.execute_script("return window.__xss") is False
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": added["identifier"]})


def test_screenshot_of_the_index(driver, out, tmp_path):
    target = report.save_screenshot(driver, out / "index.html", tmp_path / "index.png")
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


@pytest.fixture(scope="module")
def reviewed_out(tmp_path_factory) -> Path:
    """The report on the seeds with a corrections file, every evidence page written."""
    import contextlib
    import io
    import shutil

    from analysis.cli import main
    from analysis.paths import SEEDS_DIR

    base = tmp_path_factory.mktemp("reviewed")
    articles = base / "articles"
    shutil.copytree(SEEDS_DIR, articles)
    (articles / "corrections.csv").write_text(
        "row_id,action,field,value,note\n"
        "003_2abaae6c6ae518d7-e735-current,drop,,,restated\n"
        ',add,estimates,"article_id=003_2abaae6c6ae518d7; sentence=the need for one interpreter; phrase=one; '
        'kind=context; party=UKR",\n', encoding="utf-8")
    out = base / "out"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["report", "--articles", str(articles), "--out", str(out), "--no-screenshot"]) == 0
    return out


def _link_targets(driver, page: Path) -> list[str]:
    open_page(driver, page)
    return driver.execute_script("return Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")


def _ids(driver, page: Path, seen: dict) -> set[str]:
    if page not in seen:
        open_page(driver, page)
        seen[page] = set(driver.execute_script("return Array.from(document.querySelectorAll('[id]')).map(e => e.id)"))
    return seen[page]


def _check_links(driver, out: Path) -> int:
    """Every link on every page resolves to a file, and an evidence link to an element with its
    id; returns how many links into evidence pages were followed."""
    from urllib.parse import unquote, urlsplit
    from urllib.request import url2pathname

    pages = [out / "index.html", *sorted((out / "html").glob("*.html")), *sorted((out / "html" / "articles").glob("*.html"))]
    seen: dict = {}
    evidence_links = 0
    for page in pages:
        for target in _link_targets(driver, page):
            parts = urlsplit(target)
            if parts.scheme != "file":
                continue  # an article's own url, shown as a link only when it is http(s)
            path = Path(url2pathname(parts.path))
            assert path.exists(), f"{page.relative_to(out)} links to a missing {target}"
            if parts.fragment:
                assert unquote(parts.fragment) in _ids(driver, path, seen), f"{page.relative_to(out)}: no #{parts.fragment}"
                evidence_links += "/html/articles/" in parts.path and "-c" in parts.fragment or "-e" in parts.fragment
    return evidence_links


def test_every_link_resolves_and_every_row_reaches_its_evidence(driver, reviewed_out):
    assert _check_links(driver, reviewed_out) > 20
    # Every row of the claims and estimates tables links from the reports to its evidence.
    import pandas as pd

    html_text = "".join(p.read_text(encoding="utf-8") for p in (reviewed_out / "html").glob("*.html"))
    for name in ("claims", "estimates"):
        for row_id in pd.read_csv(reviewed_out / "tables" / f"{name}.csv", keep_default_na=False)["row_id"]:
            assert f"#{row_id}\"" in html_text, row_id


def test_links_of_a_limited_report_still_resolve(driver, out):
    _check_links(driver, out)


def test_an_evidence_page_shows_ids_and_lines_to_paste(driver, reviewed_out):
    page = reviewed_out / "html" / "articles" / "003_2abaae6c6ae518d7.html"
    open_page(driver, page)
    text = driver.find_element(By.TAG_NAME, "body").text
    assert "003_2abaae6c6ae518d7-e892-projected,drop,,,why" in text
    assert "003_2abaae6c6ae518d7-e3482-context" in text and "added" in text
