"""The floors the benchmark measures against, in the same run.

Report floor: papermill + HTML export of N notebooks that do nothing but import what the report
notebooks import (pandas, matplotlib, analysis). Run as its own process (`python -m bench.floor
--count N --out DIR`) so that, like `python -m analysis report`, it pays for interpreter
start-up, imports and kernel starts. The HTML export uses nbconvert's Python API with the
report's setting: input cells excluded.

Extract floor (`sentence_floor`): one core, plain Python, reading every .txt file of a corpus
and splitting its text into sentences with one regular expression (no analysis import, no
abbreviations, no attribution): the least any extraction must do. Timed best of 3 (the first
pass also warms the page cache). `python -m bench.floor --sentences DIR` prints it.
"""

from __future__ import annotations

import argparse
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

# A sentence ends at . ! ? (and a closing quote) before whitespace: a simple split, no abbreviations.
SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|(?<=[.!?][\"\u201d\u2019])\s+")


@dataclass
class SentenceFloor:
    seconds: float  # best of the passes
    passes: list[float]
    files: int
    bytes: int
    sentences: int


def read_and_split(folder: Path) -> tuple[int, int, int]:
    """One pass: list the folder, read every .txt file as UTF-8, split it into sentences;
    (files, bytes, sentences)."""
    files = size = sentences = 0
    with os.scandir(folder) as entries:
        names = sorted(entry.path for entry in entries if entry.name.endswith(".txt"))
    for path in names:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        files += 1
        size += len(text)
        sentences += sum(1 for piece in SENTENCE_SPLIT.split(text) if piece.strip())
    return files, size, sentences


def sentence_floor(folder: str | Path, repeats: int = 3) -> SentenceFloor:
    """Time `read_and_split(folder)` `repeats` times in this process (one core); the best pass."""
    passes = []
    counts = (0, 0, 0)
    for _ in range(repeats):
        started = time.perf_counter()
        counts = read_and_split(Path(folder))
        passes.append(time.perf_counter() - started)
    return SentenceFloor(min(passes), passes, *counts)

IMPORT_ONLY_SOURCE = "import pandas as pd\nimport matplotlib\nimport matplotlib.pyplot as plt\nimport analysis"


def write_import_only_notebook(path: Path) -> None:
    import nbformat

    notebook = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell('articles_dir: str = "seeds"  # folder of .txt articles')
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [parameters, nbformat.v4.new_code_cell(IMPORT_ONLY_SOURCE)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    nbformat.write(notebook, path)


def run_floor(count: int, out: Path, timeout: int = 600) -> float:
    """Execute and export `count` import-only notebooks into `out`; returns seconds taken."""
    started = time.perf_counter()
    import papermill
    from nbconvert import HTMLExporter

    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(exclude_input=True)
    for number in range(count):
        source = out / f"floor_{number}.ipynb"
        executed = out / f"floor_{number}.out.ipynb"
        write_import_only_notebook(source)
        papermill.execute_notebook(str(source), str(executed), parameters={"articles_dir": "seeds"},
                                   kernel_name="python3", progress_bar=False, log_output=False,
                                   execution_timeout=timeout)
        body, _ = exporter.from_filename(str(executed))
        (out / f"floor_{number}.html").write_text(body, encoding="utf-8")
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.floor", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, help="notebooks to run")
    parser.add_argument("--out", help="folder for the notebooks and HTML")
    parser.add_argument("--sentences", metavar="DIR", help="time the extract floor on the corpus DIR instead")
    args = parser.parse_args(argv)
    if args.sentences:
        floor = sentence_floor(args.sentences)
        print(f"floor: read and split {floor.files} files ({floor.bytes / 1e6:.1f} M characters, {floor.sentences} "
              f"sentences) in {floor.seconds:.3f} s (best of {', '.join(f'{s:.3f}' for s in floor.passes)})")
        return 0
    if args.count is None or not args.out:
        parser.error("--count and --out are required (or --sentences DIR)")
    seconds = run_floor(args.count, Path(args.out))
    print(f"floor: {args.count} import-only notebook(s) executed and exported in {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
