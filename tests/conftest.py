"""Shared test set-up.

- nbval: compare text/plain, stdout and images as stored, but not text/html (pandas' HTML
  churns between versions; text/plain carries the same data) nor stderr (warnings).
- `hostile_report`: one run of `python -m analysis report` (once per test session) on a copy
  of seeds/ plus an article whose extracted sentences carry HTML/JS payloads; test_report.py
  and test_browser.py both read it.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis.paths import SEEDS_DIR

HOSTILE_ID = "00 hostile «Kursk» it's #1 & 100%"
SCRIPT_PAYLOAD = "<script>alert(1)</script>"
IMG_PAYLOAD = "<img src=x onerror=alert(2)>"
HOSTILE_TEXT = f"""date: 2024-10-20
title: Peskov on {SCRIPT_PAYLOAD} & "quotes"

Kremlin spokesman Dmitry Peskov called the reports of North Korean troops a "hoax" {SCRIPT_PAYLOAD}.

{IMG_PAYLOAD} Ukrainian officials said 3,000 North Korean soldiers were in Kursk.
"""
EVIDENCE_LIMIT = 2


def pytest_collectstart(collector):
    if hasattr(collector, "skip_compare"):
        collector.skip_compare += ("text/html", "stderr")


class _SkipHtmlAndStderr:
    """pytest_collectstart above, as a plugin that is not tied to the tests/ folder."""

    pytest_collectstart = staticmethod(pytest_collectstart)


def pytest_configure(config):
    """A conftest's hooks only see its own folder; nbval collects notebooks/. Register the hook
    above as a plain plugin so it applies to every notebook the session collects, and find the
    sanitize file from the project root whatever the working directory."""
    if not config.pluginmanager.has_plugin("nbval-skip-html-stderr"):
        config.pluginmanager.register(_SkipHtmlAndStderr(), "nbval-skip-html-stderr")
    sanitize = getattr(config.option, "nbval_sanitize_with", None)
    if sanitize and not Path(sanitize).is_absolute() and not Path(sanitize).exists():
        candidate = Path(config.rootpath) / sanitize
        if candidate.exists():
            config.option.nbval_sanitize_with = str(candidate)


@dataclass
class ReportRun:
    articles: Path
    out: Path
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture(scope="session")
def hostile_report(tmp_path_factory) -> ReportRun:
    """The report on seeds/ plus the hostile article, with typed -p values and an evidence limit."""
    from analysis.cli import main

    base = tmp_path_factory.mktemp("hostile")
    articles = base / "articles"
    shutil.copytree(SEEDS_DIR, articles)
    (articles / f"{HOSTILE_ID}.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    out = base / "out"
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["report", "--articles", str(articles), "--out", str(out), "--no-screenshot",
                     "--evidence-limit", str(EVIDENCE_LIMIT), "-p", "max_rows", "150", "-p", "log_scale", "no"])
    return ReportRun(articles, out, code, stdout.getvalue(), stderr.getvalue())


@pytest.fixture(scope="module")
def driver():
    """Headless Chromium for the browser checks; required, not optional (CI installs it)."""
    from analysis import report

    try:
        with report.chromium_driver() as browser:
            yield browser
    except report.BrowserMissing as missing:
        pytest.fail(f"the browser check needs Chromium: {missing}", pytrace=False)


class Blocked(BaseException):
    """A test that would hang. Not an Exception (nor an OSError, as TimeoutError is): no reader
    can catch it and turn it into a rejection reason, and hypothesis stops at once instead of
    shrinking (each try would block again)."""


@contextlib.contextmanager
def deadline(seconds: int):
    """Fail (instead of hanging the test run) when the block takes longer than `seconds`, as a
    reader opening a FIFO would."""
    import signal

    def expired(signum, frame):
        raise Blocked(f"still running after {seconds} s (blocked opening a FIFO?)")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def assert_no_alert(driver, where: str) -> None:
    """Fail when a page opened an alert: a payload's script ran."""
    from selenium.common.exceptions import NoAlertPresentException

    try:
        alert = driver.switch_to.alert
        text = alert.text
        alert.dismiss()
        pytest.fail(f"{where}: an alert opened ({text!r}): a payload ran")
    except NoAlertPresentException:
        pass
