"""`python -m bench` (`make bench`): time the analysis package on synthetic corpora.

Measured on this machine, each command run as its own process:

* `python -m analysis extract` on 1,000 and 10,000 generated articles (bench.generate):
  wall time, articles/s, MB/s, peak memory (RSS of the process and all its children summed,
  polled every 50 ms; the target is on this sum, which counts pages shared by forked workers
  once per process, so the PSS sum is shown beside it), CPU time / wall time (from the
  children's rusage), the worker processes seen and the busiest second (cores);
* growth of the extract time from 1,000 to 10,000 articles;
* `python -m analysis report` on seeds/ against its floor, measured in the same run: the same
  number of notebooks that only import pandas, matplotlib and analysis, run by papermill and
  exported to HTML without input cells (bench.floor);
* `python -m analysis report` on the 10,000 articles (with `--evidence-limit` when the CLI has
  it): time, size of index.html, size of the largest HTML file.

Prints a table (target, measured, ok/FAIL/n/a), appends one row to bench/results.csv (full
runs only) and exits 1 when a target is missed. `--quick`: 1,000 articles only (nothing is
appended). `--skip-report`: no report rows.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.util
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from .generate import DEFAULT_SEED, ensure_corpus

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
RESULTS_CSV = BENCH_DIR / "results.csv"
RESULT_COLUMNS = [
    "date", "cores", "extract_1k_s", "extract_10k_s", "articles_per_s_10k", "mb_per_s_10k",
    "peak_mem_mb_10k", "cores_used_10k", "growth_ratio", "report_seeds_s", "report_floor_s",
    "report_ratio", "report_10k_s", "index_html_mb",
]

TARGET_EXTRACT_10K_S = 20.0
TARGET_PEAK_MB = 1024.0
TARGET_CPU_PER_WALL = 1.2
TARGET_GROWTH = 12.0
TARGET_REPORT_RATIO = 1.5
TARGET_INDEX_MB = 5.0
EVIDENCE_LIMIT = 50
COMMAND_TIMEOUT_S = 1800
POLL_S = 0.05


@dataclass
class Run:
    """One measured command."""

    command: list[str]
    returncode: int | None = None
    wall_s: float = 0.0
    cpu_s: float = 0.0
    peak_rss_mb: float = 0.0
    peak_pss_mb: float = 0.0  # proportional set size: shared pages split between processes
    descendants_seen: int = 0
    busy_descendants: int = 0
    peak_cores: float = 0.0  # most CPU seconds per second over any 1-s window
    timed_out: bool = False
    stdout: str = ""
    stderr: str = ""

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    @property
    def cpu_per_wall(self) -> float:
        return self.cpu_s / self.wall_s if self.wall_s else 0.0

    def failure(self) -> str:
        if self.timed_out:
            return f"timed out after {self.wall_s:.0f} s"
        tail = (self.stderr.strip().splitlines() or self.stdout.strip().splitlines() or [""])[-1]
        return f"exit {self.returncode}: {tail[:160]}"


def _sample(pid: int, stop: threading.Event, run: Run) -> None:
    """Poll the process tree every POLL_S: summed RSS (peak kept), CPU seen per process and
    the busiest 1-s window (CPU seconds of the whole tree per wall second)."""
    cpu_by_pid: dict[int, float] = {}
    history: list[tuple[float, float]] = []  # (time, CPU seconds of the tree so far)
    try:
        root = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    while not stop.is_set():
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        rss = pss = 0
        for process in tree:
            try:
                memory = process.memory_full_info()  # /proc/PID/smaps_rollup: rss and pss
                rss += memory.rss
                pss += getattr(memory, "pss", 0)
                times = process.cpu_times()
                cpu_by_pid[process.pid] = times.user + times.system
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        now = time.perf_counter()
        history.append((now, sum(cpu_by_pid.values())))
        while len(history) > 2 and now - history[1][0] >= 1.0:
            history.pop(0)
        if now - history[0][0] >= 1.0:
            run.peak_cores = max(run.peak_cores, (history[-1][1] - history[0][1]) / (now - history[0][0]))
        run.peak_rss_mb = max(run.peak_rss_mb, rss / 2**20)
        run.peak_pss_mb = max(run.peak_pss_mb, pss / 2**20)
        workers = {p: cpu for p, cpu in cpu_by_pid.items() if p != pid}
        run.descendants_seen = len(workers)
        run.busy_descendants = sum(1 for cpu in workers.values() if cpu >= 0.5)
        stop.wait(POLL_S)


def measure(command: list[str], timeout: float = COMMAND_TIMEOUT_S) -> Run:
    """Run `command` from the project root; wall time, CPU (all children, from rusage) and memory."""
    run = Run(command)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=out, stderr=err,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        stop = threading.Event()
        sampler = threading.Thread(target=_sample, args=(process.pid, stop, run), daemon=True)
        sampler.start()
        try:
            run.returncode = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            run.timed_out = True
            os.killpg(process.pid, signal.SIGKILL)  # the group of the process started here
            run.returncode = process.wait()
        run.wall_s = time.perf_counter() - started
        stop.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        run.stdout = out.read().decode("utf-8", "replace")
        run.stderr = err.read().decode("utf-8", "replace")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    run.cpu_s = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return run


def corpus_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.glob("*.txt"))


def count_csv_rows(path: Path) -> int | None:
    if not path.is_file():
        return None
    with path.open(newline="", encoding="utf-8") as handle:
        return max(sum(1 for _ in csv.reader(handle)) - 1, 0)


def report_available() -> bool:
    try:
        return importlib.util.find_spec("analysis.report") is not None
    except (ImportError, ValueError):
        return False


def report_help() -> str:
    result = subprocess.run([sys.executable, "-m", "analysis", "report", "--help"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=120)
    return result.stdout


def html_sizes(folder: Path) -> tuple[Path | None, Path | None]:
    """(index.html nearest the top of `folder`, the largest .html file) or None for either."""
    pages = sorted(folder.rglob("*.html"), key=lambda p: (len(p.relative_to(folder).parts), str(p)))
    index = next((p for p in pages if p.name == "index.html"), None)
    largest = max(pages, key=lambda p: p.stat().st_size, default=None)
    return index, largest


@dataclass
class Row:
    target: str
    measured: str
    status: str  # "ok", "FAIL" or "n/a"


@dataclass
class Bench:
    rows: list[Row] = field(default_factory=list)
    results: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, target: str, measured: str, passed: bool | None) -> None:
        status = "n/a" if passed is None else ("ok" if passed else "FAIL")
        self.rows.append(Row(target, measured, status))

    def failures(self) -> list[Row]:
        return [row for row in self.rows if row.status == "FAIL"]


def run_extract(bench: Bench, count: int, folder: Path, label: str) -> Run | None:
    with tempfile.TemporaryDirectory(prefix=f"bench_extract_{count}_") as out:
        run = measure([sys.executable, "-m", "analysis", "extract", "--articles", str(folder), "--out", out])
        written = count_csv_rows(Path(out) / "tables" / "articles.csv")
        rejected = count_csv_rows(Path(out) / "tables" / "rejected.csv")
    size_mb = corpus_bytes(folder) / 1e6
    if not run.ok:
        bench.add(f"extract {label} runs", run.failure(), False)
        return None
    print(f"  extract {label}: {run.wall_s:.2f} s, CPU {run.cpu_s:.1f} s, peak RSS {run.peak_rss_mb:.0f} MB "
          f"(PSS {run.peak_pss_mb:.0f} MB), "
          f"{run.busy_descendants} busy worker(s) of {run.descendants_seen} child process(es), "
          f"busiest second {run.peak_cores:.2f} cores", flush=True)
    bench.add(f"extract {label}: articles.csv + rejected.csv rows = {count}",
              f"{written} + {rejected}", (written or 0) + (rejected or 0) == count)
    bench.notes.append(f"extract {label}: {count / run.wall_s:.0f} articles/s, {size_mb / run.wall_s:.2f} MB/s "
                       f"({size_mb:.1f} MB), CPU/wall {run.cpu_per_wall:.2f}")
    return run


def add_cores_row(bench: Bench, label: str, run: Run) -> None:
    """Both cores used: CPU/wall over the whole run > TARGET_CPU_PER_WALL, or (the weaker
    criterion) at least two busy worker processes that together kept more than
    TARGET_CPU_PER_WALL cores busy in some second. The measured column shows which held."""
    whole_run = run.cpu_per_wall > TARGET_CPU_PER_WALL
    workers = run.busy_descendants >= 2 and run.peak_cores > TARGET_CPU_PER_WALL
    how = "whole run" if whole_run else ("workers only" if workers else "no")
    bench.add(f"extract {label} uses both cores (CPU/wall > {TARGET_CPU_PER_WALL}, else >= 2 busy workers)",
              f"CPU/wall {run.cpu_per_wall:.2f}; {run.busy_descendants} workers, busiest second "
              f"{run.peak_cores:.2f} cores ({how})", whole_run or workers)


def bench_extract(bench: Bench, quick: bool) -> None:
    folder_1k, _ = ensure_corpus(1000, DEFAULT_SEED)
    run_1k = run_extract(bench, 1000, folder_1k, "1k")
    if run_1k:
        bench.results["extract_1k_s"] = round(run_1k.wall_s, 2)
    if quick:
        if run_1k:
            bench.add(f"extract 1k peak memory <= {TARGET_PEAK_MB:.0f} MB (RSS summed)",
                      f"{run_1k.peak_rss_mb:.0f} MB (PSS {run_1k.peak_pss_mb:.0f} MB)",
                      run_1k.peak_rss_mb <= TARGET_PEAK_MB)
            add_cores_row(bench, "1k", run_1k)
        bench.add(f"extract 10k <= {TARGET_EXTRACT_10K_S:.0f} s", "n/a (--quick)", None)
        return

    print("  generating / checking the 10,000-article corpus ...", flush=True)
    folder_10k, _ = ensure_corpus(10_000, DEFAULT_SEED)
    run_10k = run_extract(bench, 10_000, folder_10k, "10k")
    if not run_10k:
        bench.add(f"extract 10k <= {TARGET_EXTRACT_10K_S:.0f} s", "did not finish", False)
        return
    size_mb = corpus_bytes(folder_10k) / 1e6
    bench.results.update({
        "extract_10k_s": round(run_10k.wall_s, 2),
        "articles_per_s_10k": round(10_000 / run_10k.wall_s, 1),
        "mb_per_s_10k": round(size_mb / run_10k.wall_s, 3),
        "peak_mem_mb_10k": round(run_10k.peak_rss_mb, 1),
        "cores_used_10k": round(run_10k.cpu_per_wall, 2),
    })
    bench.add(f"extract 10k <= {TARGET_EXTRACT_10K_S:.0f} s",
              f"{run_10k.wall_s:.2f} s ({10_000 / run_10k.wall_s:.0f} articles/s, {size_mb / run_10k.wall_s:.2f} MB/s)",
              run_10k.wall_s <= TARGET_EXTRACT_10K_S)
    bench.add(f"extract 10k peak memory <= {TARGET_PEAK_MB:.0f} MB (RSS summed)",
              f"{run_10k.peak_rss_mb:.0f} MB (PSS {run_10k.peak_pss_mb:.0f} MB)",
              run_10k.peak_rss_mb <= TARGET_PEAK_MB)
    add_cores_row(bench, "10k", run_10k)
    if run_1k:
        growth = run_10k.wall_s / run_1k.wall_s
        bench.results["growth_ratio"] = round(growth, 2)
        bench.add(f"extract time 10k / 1k <= {TARGET_GROWTH:.0f}",
                  f"{growth:.2f} ({run_1k.wall_s:.2f} s -> {run_10k.wall_s:.2f} s)", growth <= TARGET_GROWTH)


def bench_report(bench: Bench, quick: bool) -> None:
    if not report_available():
        bench.add(f"report(seeds) <= {TARGET_REPORT_RATIO}x floor", "n/a (analysis/report.py not available yet)", None)
        bench.add(f"report 10k: index.html < {TARGET_INDEX_MB:.0f} MB", "n/a (analysis/report.py not available yet)", None)
        return
    notebooks = len(list((PROJECT_ROOT / "notebooks").glob("*.ipynb")))
    floor_count = max(notebooks, 1)
    if notebooks == 0:
        bench.notes.append("notebooks/ has no .ipynb; the floor runs 1 notebook")
    with tempfile.TemporaryDirectory(prefix="bench_report_seeds_") as out:
        report = measure([sys.executable, "-m", "analysis", "report", "--articles", "seeds", "--out", out])
    with tempfile.TemporaryDirectory(prefix="bench_floor_") as out:
        floor = measure([sys.executable, "-m", "bench.floor", "--count", str(floor_count), "--out", out])
    if not floor.ok:
        bench.add("floor (import-only notebooks) runs", floor.failure(), False)
    if not report.ok:
        bench.add(f"report(seeds) <= {TARGET_REPORT_RATIO}x floor", f"report failed: {report.failure()}", False)
    if report.ok and floor.ok:
        ratio = report.wall_s / floor.wall_s
        bench.results.update({"report_seeds_s": round(report.wall_s, 2), "report_floor_s": round(floor.wall_s, 2),
                              "report_ratio": round(ratio, 2)})
        bench.add(f"report(seeds) <= {TARGET_REPORT_RATIO}x floor ({floor_count} notebook(s))",
                  f"{report.wall_s:.2f} s / {floor.wall_s:.2f} s = {ratio:.2f}x", ratio <= TARGET_REPORT_RATIO)
    if quick:
        bench.add(f"report 10k: index.html < {TARGET_INDEX_MB:.0f} MB", "n/a (--quick)", None)
        return

    folder_10k, _ = ensure_corpus(10_000, DEFAULT_SEED)
    command = [sys.executable, "-m", "analysis", "report", "--articles", str(folder_10k)]
    if "--evidence-limit" in report_help():
        command += ["--evidence-limit", str(EVIDENCE_LIMIT)]
        bench.notes.append(f"report 10k run with --evidence-limit {EVIDENCE_LIMIT}")
    with tempfile.TemporaryDirectory(prefix="bench_report_10k_") as out:
        run = measure(command + ["--out", out])
        index, largest = html_sizes(Path(out))
        index_mb = index.stat().st_size / 2**20 if index else None
        largest_text = f"{largest.relative_to(out)} {largest.stat().st_size / 2**20:.2f} MB" if largest else "none"
    if not run.ok:
        bench.add("report 10k finishes", run.failure(), False)
        return
    bench.results["report_10k_s"] = round(run.wall_s, 2)
    bench.add("report 10k finishes", f"{run.wall_s:.1f} s, peak {run.peak_rss_mb:.0f} MB; largest HTML {largest_text}", True)
    if index_mb is None:
        bench.add(f"report 10k: index.html < {TARGET_INDEX_MB:.0f} MB", "no index.html written", False)
    else:
        bench.results["index_html_mb"] = round(index_mb, 3)
        bench.add(f"report 10k: index.html < {TARGET_INDEX_MB:.0f} MB", f"{index_mb:.2f} MB", index_mb < TARGET_INDEX_MB)


def print_table(bench: Bench) -> None:
    width_target = max(len(row.target) for row in bench.rows)
    width_measured = max(len(row.measured) for row in bench.rows)
    header = f"{'target':<{width_target}}  {'measured':<{width_measured}}  result"
    print(header)
    print("-" * len(header))
    for row in bench.rows:
        print(f"{row.target:<{width_target}}  {row.measured:<{width_measured}}  {row.status}")
    for note in bench.notes:
        print(f"note: {note}")


def append_results(bench: Bench) -> None:
    row = {column: bench.results.get(column, "") for column in RESULT_COLUMNS}
    row["date"] = dt.date.today().isoformat()
    row["cores"] = os.cpu_count() or ""
    new_file = not RESULTS_CSV.is_file() or RESULTS_CSV.stat().st_size == 0
    with RESULTS_CSV.open("a", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=RESULT_COLUMNS, lineterminator="\n")
        if new_file:
            writer.writeheader()
        writer.writerow(row)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1,000 articles only; nothing appended to results.csv")
    parser.add_argument("--skip-report", action="store_true", help="do not run the report rows")
    args = parser.parse_args(argv)

    bench = Bench()
    print(f"bench: {os.cpu_count()} cores, python {sys.version.split()[0]}", flush=True)
    print("  generating / checking the 1,000-article corpus ...", flush=True)
    bench_extract(bench, args.quick)
    if args.skip_report:
        bench.add(f"report(seeds) <= {TARGET_REPORT_RATIO}x floor", "n/a (--skip-report)", None)
    else:
        print("  report on seeds and its floor ...", flush=True)
        bench_report(bench, args.quick)
    print()
    print_table(bench)
    if args.quick:
        print("note: --quick run, nothing appended to bench/results.csv")
    else:
        append_results(bench)
        print(f"note: appended a row to {RESULTS_CSV.relative_to(PROJECT_ROOT)}")
    failures = bench.failures()
    if failures:
        print("bench: missed target(s): " + "; ".join(f"{row.target} (measured {row.measured})" for row in failures),
              file=sys.stderr)
        return 1
    print("bench: all measured targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
