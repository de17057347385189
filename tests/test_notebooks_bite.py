"""Strict nbval on notebooks/ bites: a notebook whose stored output no longer matches what the
code produces fails, as it would after a change in the extraction; the unchanged notebook
passes. Both run in a subprocess with the project's own nbval options."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from analysis.paths import NOTEBOOKS_DIR, PROJECT_ROOT

NOTEBOOK = "02-claims-and-denials.ipynb"
SANITIZE = PROJECT_ROOT / "tests" / "nbval_sanitize.cfg"
CONFTEST = PROJECT_ROOT / "tests" / "conftest.py"


def run_nbval(folder: Path, notebook: Path) -> subprocess.CompletedProcess:
    """pytest --nbval on one notebook copy, isolated from the project's pytest configuration but
    with its sanitize file and its conftest (text/html and stderr not compared)."""
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    shutil.copy(CONFTEST, folder / "conftest.py")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
               "--nbval-sanitize-with", str(SANITIZE), "--rootdir", str(folder), str(notebook)]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=300)


def change_one_value(nb: nbformat.NotebookNode) -> str:
    """Alter one number in the body of the first table output (text/plain), the way a changed
    extraction result would; returns the line as it was."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            text = output.get("data", {}).get("text/plain", "")
            lines = text.splitlines()
            for number, line in enumerate(lines[2:], start=2):  # after the caption and the header
                match = re.search(r"(?<=\s)(\d+)(?=\s|$)", line)
                if match:
                    value = int(match.group(1))
                    lines[number] = line[:match.start()] + str(value + 1) + line[match.end():]
                    output["data"]["text/plain"] = "\n".join(lines)
                    return line
    raise AssertionError(f"{NOTEBOOK} has no table output with a number to change")


@pytest.fixture
def copy(tmp_path) -> Path:
    target = tmp_path / NOTEBOOK
    shutil.copy(NOTEBOOKS_DIR / NOTEBOOK, target)
    return target


def test_unchanged_notebook_passes(copy):
    result = run_nbval(copy.parent, copy)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def test_changed_output_fails(copy):
    nb = nbformat.read(copy, as_version=4)
    original = change_one_value(nb)
    nbformat.write(nb, copy)
    result = run_nbval(copy.parent, copy)
    assert result.returncode != 0, f"nbval passed although a stored value changed (line: {original!r})"
    assert "failed" in result.stdout.splitlines()[-1], result.stdout[-2000:]
    assert "NBVAL" in result.stdout or "mismatch" in result.stdout.lower(), result.stdout[-2000:]
