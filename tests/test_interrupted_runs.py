"""Interrupted and concurrent runs: a report is written into a folder beside OUT and swapped
in when complete, under a lock. Killed at several points (SIGINT, SIGKILL), OUT still holds
the previous complete run, byte for byte; the next run tidies up and completes; a second run
into a folder being written fails at once."""

from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote

import pytest

from analysis.paths import PROJECT_ROOT, SEEDS_DIR

EXTRA = ("Ukraine's defence intelligence said on Friday that about 11,000 North Korean soldiers were now in "
         "Russia's Kursk region. The Kremlin called the report a fabrication.\n")


def start(articles: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "analysis", "report", "--articles", str(articles), "--out",
                             str(out), "--no-screenshot"], cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def run_to_end(articles: Path, out: Path) -> str:
    process = start(articles, out)
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 0, output
    return output


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def assert_consistent(out: Path) -> None:
    """The index's counts equal the tables, and every local link of every page resolves."""
    index = (out / "index.html").read_text(encoding="utf-8")
    shown = {k: int(v.replace(",", "")) for k, v in re.findall(r'data-count="(\w+)">([\d,]+)<', index)}
    with (out / "tables" / "claims.csv").open(newline="", encoding="utf-8") as handle:
        assert shown["claims_rows"] == len(list(csv.DictReader(handle)))
    with (out / "tables" / "articles.csv").open(newline="", encoding="utf-8") as handle:
        assert shown["articles"] == len(list(csv.DictReader(handle)))
    for page in [out / "index.html", *(out / "html").rglob("*.html")]:
        for href in re.findall(r'(?:href|src)="([^"#]*)', page.read_text(encoding="utf-8")):
            if href and ":" not in href:  # local files only (not data:, http:)
                assert (page.parent / unquote(href)).exists(), f"{page.name}: {href}"


@pytest.fixture(scope="module")
def completed(tmp_path_factory):
    """A finished run of the seeds, and a changed folder the interrupted runs would write."""
    base = tmp_path_factory.mktemp("interrupted")
    articles = base / "articles"
    shutil.copytree(SEEDS_DIR, articles)
    out = base / "out"
    run_to_end(articles, out)
    (articles / "100_extra.txt").write_text(EXTRA, encoding="utf-8")
    return articles, out, snapshot(out)


def kill_when(process: subprocess.Popen, marker: str, sig: int) -> str:
    seen = []
    for line in process.stdout:
        seen.append(line)
        if marker in line:
            process.send_signal(sig)
            break
    rest, _ = process.communicate(timeout=120)
    return "".join(seen) + rest


@pytest.mark.parametrize(("marker", "sig"), [
    ("report: 3 articles", signal.SIGKILL),        # while the tables are written
    ("report: ran 01-corpus", signal.SIGINT),      # after the first notebook
    ("report: rendered", signal.SIGKILL),          # after the HTML, before the evidence pages and the index
])
def test_an_interrupted_run_leaves_the_previous_run(completed, marker, sig):
    articles, out, before = completed
    output = kill_when(start(articles, out), marker, sig)
    assert marker in output, output
    assert snapshot(out) == before, "OUT changed although the run did not finish"
    assert_consistent(out)


def test_ctrl_c_in_a_terminal_stops_the_run_while_a_notebook_runs(completed):
    """Ctrl-C in a terminal signals the whole process group: the notebooks' kernels (a small
    run's notebooks run side by side) get it too and fail their cells with KeyboardInterrupt.
    The run stops there; OUT keeps the previous run."""
    articles, out, before = completed
    process = subprocess.Popen([sys.executable, "-m", "analysis", "report", "--articles", str(articles), "--out",
                                str(out), "--no-screenshot"], cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    seen = []
    for line in process.stdout:
        seen.append(line)
        if "report: wrote" in line:
            time.sleep(1.5)  # the notebooks' kernels are running their cells by now
            os.killpg(process.pid, signal.SIGINT)
            break
    rest, _ = process.communicate(timeout=120)
    output = "".join(seen) + rest
    assert "report: wrote" in output, output
    assert process.returncode != 0, output
    assert "report: rendered" not in output, output
    assert snapshot(out) == before, "OUT changed although the run was interrupted"
    assert_consistent(out)


def test_the_next_run_tidies_up_and_completes(completed):
    articles, out, before = completed
    kill_when(start(articles, out), "report: wrote", signal.SIGKILL)
    assert any(p.name.startswith(".out.staging-") for p in out.parent.iterdir())  # left by the killed run
    run_to_end(articles, out)
    assert snapshot(out) != before and "100_extra" in (out / "tables" / "articles.csv").read_text(encoding="utf-8")
    assert_consistent(out)
    assert not [p.name for p in out.parent.iterdir() if ".staging-" in p.name or p.name.endswith(".old")]
    # The staging folder's name is nowhere in what was written (the notebooks record OUT's paths).
    assert not [name for name, data in snapshot(out).items() if b".staging-" in data]


def test_a_second_run_into_a_folder_being_written_fails_at_once(completed):
    articles, out, _ = completed
    first = start(articles, out)
    for line in first.stdout:
        if "report: wrote" in line:
            break
    second = subprocess.run([sys.executable, "-m", "analysis", "report", "--articles", str(articles), "--out",
                             str(out), "--no-screenshot"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=120)
    rest, _ = first.communicate(timeout=600)
    assert second.returncode == 2 and "another run is writing this folder now" in second.stderr
    assert first.returncode == 0, rest
    assert_consistent(out)
