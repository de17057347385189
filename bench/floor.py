"""The floor the report is measured against: papermill + HTML export of N notebooks that do
nothing but import what the report notebooks import (pandas, matplotlib, analysis).

Run as its own process (`python -m bench.floor --count N --out DIR`) so that, like
`python -m analysis report`, it pays for interpreter start-up, imports and kernel starts.
The HTML export uses nbconvert's Python API with the report's setting: input cells excluded.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

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
    parser.add_argument("--count", type=int, required=True, help="notebooks to run")
    parser.add_argument("--out", required=True, help="folder for the notebooks and HTML")
    args = parser.parse_args(argv)
    seconds = run_floor(args.count, Path(args.out))
    print(f"floor: {args.count} import-only notebook(s) executed and exported in {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
