"""`python -m bench` (`make bench`): time the analysis package on synthetic corpora.

Measured on this machine, each command run as its own process:

* the corpora (bench.generate; 1,000 and 10,000 articles, about 1.8 MB and 18 MB): the number
  of repeated sentences (target 0: no cache or memo keyed on sentences can flatter a run);
* the extract floor of each corpus, in the same run (bench.floor.sentence_floor): one core,
  plain Python, reading every file and splitting it into sentences with one regex, best of 3;
* `python -m analysis extract` on a copy of each corpus into a fresh OUT (cold; with a fresh
  cache folder when `extract --help` lists a cache-folder option): wall time as a ratio to the
  floor (target <= 12x), articles/s, MB/s, the claims rows by stance and estimates rows by kind
  (the corpus must exercise the rules), peak memory (RSS of the process and all its children
  summed, polled every 50 ms; the target is on this sum, which counts pages shared by forked
  workers once per process, so the PSS sum is shown beside it), CPU time / wall time (from
  the children's rusage), the worker processes seen and the busiest second (cores);
* with `--no-cache` (when the CLI has such an option) and with `--scheduler local` (when it has
  --scheduler; else n/a): the same extract, its time against the floor, its tables compared;
* the warm re-run: EXTRA_ARTICLES new generated articles copied into the corpus folder, then
  `extract` again into the same OUT (target <= 3 s on 10,000; --quick measures it on 1,000);
* growth of the extract time from 1,000 to 10,000 articles;
* `python -m analysis report` on seeds/ against its floor, measured in the same run: the same
  number of notebooks that only import pandas, matplotlib and analysis, run by papermill and
  exported to HTML without input cells (bench.floor);
* `python -m analysis report` on the 10,000 articles (with `--evidence-limit` when the CLI has
  it): time, peak memory (RSS summed, target <= 1 GB), size of index.html, of the largest HTML file.

Prints a table (target, measured, ok/FAIL/n/a), appends one row to bench/results.csv (full
runs only) and exits 1 when a target is missed. `--quick`: 1,000 articles only (nothing is
appended). `--skip-report`: no report rows.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import hashlib
import importlib.util
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from .floor import SentenceFloor, sentence_floor
from .generate import (DEFAULT_SEED, GENERATOR_VERSION, add_articles, ensure_corpus, repeated_sentences,
                       sentence_counts)

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
RESULTS_CSV = BENCH_DIR / "results.csv"
RESULT_COLUMNS = [
    "date", "cores", "extract_1k_s", "extract_10k_s", "articles_per_s_10k", "mb_per_s_10k",
    "peak_mem_mb_10k", "cores_used_10k", "growth_ratio", "report_seeds_s", "report_floor_s",
    "report_ratio", "report_10k_s", "index_html_mb",
    # from generator version 2 (no repeated sentences, about 18 MB for 10,000 articles) on:
    "generator_version", "corpus_mb_10k", "floor_1k_s", "floor_10k_s", "floor_ratio_10k", "warm_10k_s",
    "local_10k_s", "claims_rows_10k", "estimates_rows_10k", "report_peak_mb_10k",
]

TARGET_FLOOR_RATIO = 12.0  # cold extract / (read + sentence split on one core)
TARGET_WARM_S = 3.0  # re-run into the same OUT after EXTRA_ARTICLES new articles
EXTRA_ARTICLES = 10
FLOOR_REPEATS = 3
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

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def add(self, target: str, measured: str, passed: bool | None) -> None:
        status = "n/a" if passed is None else ("ok" if passed else "FAIL")
        self.rows.append(Row(target, measured, status))

    def failures(self) -> list[Row]:
        return [row for row in self.rows if row.status == "FAIL"]


@dataclass
class Tables:
    """What one extract run wrote: rows of articles.csv + rejected.csv, claims.csv by stance,
    estimates.csv by kind, and a digest of the claims and estimates files and of claims.db (to
    compare runs: a warm run updates the database and must give a cold run's bytes)."""

    articles: int | None = None
    rejected: int | None = None
    stances: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    digest: str = ""

    @property
    def claims(self) -> int:
        return sum(self.stances.values())

    @property
    def estimates(self) -> int:
        return sum(self.kinds.values())

    def describe(self) -> str:
        stances = ", ".join(f"{n} {k}" for k, n in sorted(self.stances.items(), key=lambda kv: -kv[1]))
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(self.kinds.items(), key=lambda kv: -kv[1]))
        return f"{self.claims} claims rows ({stances}); {self.estimates} estimates rows ({kinds})"


def _column_counts(path: Path, column: str) -> tuple[dict[str, int], bytes]:
    counts: dict[str, int] = {}
    if not path.is_file():
        return counts, b""
    data = path.read_bytes()
    reader = csv.DictReader(data.decode("utf-8").splitlines(keepends=True))
    for row in reader:
        value = row.get(column) or "?"
        counts[value] = counts.get(value, 0) + 1
    return counts, data


def read_tables(out: Path) -> Tables:
    folder = out / "tables"
    stances, claims_data = _column_counts(folder / "claims.csv", "stance")
    kinds, estimates_data = _column_counts(folder / "estimates.csv", "kind")
    database = out / "claims.db"
    digest = hashlib.sha256(claims_data + b"\0" + estimates_data + b"\0"
                            + (database.read_bytes() if database.is_file() else b"")).hexdigest()[:16]
    return Tables(count_csv_rows(folder / "articles.csv"), count_csv_rows(folder / "rejected.csv"), stances, kinds, digest)


@functools.lru_cache(maxsize=1)
def extract_help() -> str:
    result = subprocess.run([sys.executable, "-m", "analysis", "extract", "--help"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=120)
    return result.stdout


@dataclass
class CacheFlags:
    """The cache options `extract --help` lists: one naming a folder (given a fresh one per
    benchmark corpus, so the cold run is cold) and one turning the cache off."""

    folder_option: str | None = None
    off_option: str | None = None

    def describe(self) -> str:
        if not (self.folder_option or self.off_option):
            return "extract --help lists no cache option"
        return "extract cache options: " + ", ".join(o for o in (self.folder_option, self.off_option) if o)


def cache_flags(help_text: str) -> CacheFlags:
    flags = CacheFlags()
    for option, metavar in re.findall(r"(--[\w-]*cache[\w-]*)(?:[ =]([A-Z][A-Z_]*))?", help_text):
        if option.startswith("--no-") or option.endswith(("-off", "-none")):
            flags.off_option = flags.off_option or option
        elif metavar:
            flags.folder_option = flags.folder_option or option
    return flags


def extract_command(articles: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "analysis", "extract", "--articles", str(articles), "--out", str(out), *extra]


def run_extract(bench: Bench, articles: Path, out: Path, label: str, expected: int,
                extra: tuple[str, ...] = ()) -> tuple[Run | None, Tables]:
    """Measure one `extract` of `articles` into `out`; the row that every article is in
    articles.csv or rejected.csv. (None, tables) when it failed."""
    run = measure(extract_command(articles, out, *extra))
    tables = read_tables(out)
    if not run.ok:
        bench.add(f"extract {label} runs", run.failure(), False)
        return None, tables
    print(f"  extract {label}: {run.wall_s:.2f} s, CPU {run.cpu_s:.1f} s, peak RSS {run.peak_rss_mb:.0f} MB "
          f"(PSS {run.peak_pss_mb:.0f} MB), "
          f"{run.busy_descendants} busy worker(s) of {run.descendants_seen} child process(es), "
          f"busiest second {run.peak_cores:.2f} cores", flush=True)
    bench.add(f"extract {label}: articles.csv + rejected.csv rows = {expected}",
              f"{tables.articles} + {tables.rejected}", (tables.articles or 0) + (tables.rejected or 0) == expected)
    return run, tables


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


@dataclass
class CorpusResult:
    cold: Run | None = None
    tables: Tables = field(default_factory=Tables)
    floor: SentenceFloor | None = None
    warm: Run | None = None
    local: Run | None = None


def bench_corpus(bench: Bench, count: int, label: str, warm: bool) -> CorpusResult:
    """The rows of one generated corpus of `count` articles: repeated sentences, the floor,
    the cold extract (its tables, ratio to the floor, memory, cores), `--scheduler local` when
    the CLI has it, and (`warm`) the re-run into the same OUT after adding EXTRA_ARTICLES
    articles. The extract runs read a copy of the corpus, so the stored one stays as generated."""
    result = CorpusResult()
    print(f"  generating / checking the {count:,}-article corpus ...", flush=True)
    folder, _ = ensure_corpus(count, DEFAULT_SEED)
    size_mb = corpus_bytes(folder) / 1e6
    started = time.perf_counter()
    repeated = repeated_sentences(folder)
    total = sum(sentence_counts(folder).values())
    print(f"  corpus {label}: {size_mb:.1f} MB, {total} sentences and titles, {repeated} repeated "
          f"(checked in {time.perf_counter() - started:.1f} s)", flush=True)
    bench.add(f"corpus {label}: repeated sentences = 0 ({size_mb:.1f} MB)", f"{repeated} of {total}", repeated == 0)
    result.floor = floor = sentence_floor(folder, FLOOR_REPEATS)
    print(f"  floor {label}: read + split {floor.files} files ({floor.sentences} sentences) in {floor.seconds:.3f} s, "
          f"best of {FLOOR_REPEATS} ({', '.join(f'{s:.3f}' for s in floor.passes)}), one core", flush=True)
    help_text = extract_help()
    flags = cache_flags(help_text)
    with tempfile.TemporaryDirectory(prefix=f"bench_extract_{count}_") as work:
        corpus = Path(work) / f"articles_{count}"  # a copy, to which the warm step adds articles
        shutil.copytree(folder, corpus)
        out = Path(work) / "out"
        # A cold run: with a fresh cache folder when the CLI takes one; else with the cache off
        # when it can be turned off (the cache might live anywhere), and then a first run with
        # the cache on into OUT for the warm step; else (no cache options) a plain run.
        cache = (flags.folder_option, str(Path(work) / "cache")) if flags.folder_option else ()
        cold_flags = cache or ((flags.off_option,) if flags.off_option else ())
        cold_out = out if cache or not flags.off_option else Path(work) / "out_cold"
        cold_label = (f"{label} {flags.folder_option} (fresh folder)" if cache
                      else f"{label} {flags.off_option}" if flags.off_option else label)
        cold, tables = run_extract(bench, corpus, cold_out, cold_label, count, cold_flags)
        result.cold, result.tables = cold, tables
        if cold is None:
            bench.add(f"extract {label} cold <= {TARGET_FLOOR_RATIO:.0f}x floor", "did not finish", False)
            return result
        ratio = cold.wall_s / floor.seconds
        print(f"  extract {label}: {tables.describe()}", flush=True)
        bench.add(f"extract {label} finds claims, denials, non-denials and estimates",
                  f"{tables.claims} claims.csv rows ({tables.stances.get('denial', 0)} denials, "
                  f"{tables.stances.get('non_denial', 0)} non-denials), {tables.estimates} estimates.csv rows",
                  all(tables.stances.get(k, 0) > 0 for k in ("claim", "denial", "non_denial")) and tables.estimates > 0)
        bench.add(f"extract {label} cold <= {TARGET_FLOOR_RATIO:.0f}x floor (read + split, 1 core)",
                  f"{cold.wall_s:.2f} s / {floor.seconds:.3f} s = {ratio:.1f}x ({count / cold.wall_s:.0f} articles/s, "
                  f"{size_mb / cold.wall_s:.2f} MB/s)", ratio <= TARGET_FLOOR_RATIO)
        bench.add(f"extract {label} peak memory <= {TARGET_PEAK_MB:.0f} MB (RSS summed)",
                  f"{cold.peak_rss_mb:.0f} MB (PSS {cold.peak_pss_mb:.0f} MB)", cold.peak_rss_mb <= TARGET_PEAK_MB)
        add_cores_row(bench, label, cold)
        bench.notes.append(f"extract {label}: {count / cold.wall_s:.0f} articles/s, {size_mb / cold.wall_s:.2f} MB/s "
                           f"({size_mb:.1f} MB), CPU/wall {cold.cpu_per_wall:.2f}; floor {floor.seconds:.3f} s")

        scheduler_target = f"extract {label} --scheduler local: same tables and claims.db, <= {TARGET_FLOOR_RATIO:.0f}x floor"
        if "--scheduler" in help_text:
            local_out = Path(work) / "out_local"
            local_cache = (flags.folder_option, str(Path(work) / "cache_local")) if flags.folder_option else cold_flags
            local, local_tables = run_extract(bench, corpus, local_out, f"{label} --scheduler local", count,
                                              ("--scheduler", "local", *local_cache))
            shutil.rmtree(local_out, ignore_errors=True)
            result.local = local
            if local:
                same = local_tables.digest == tables.digest
                bench.add(scheduler_target, f"{local.wall_s:.2f} s = {local.wall_s / floor.seconds:.1f}x; tables "
                          f"{'same' if same else 'DIFFER'}", same and local.wall_s / floor.seconds <= TARGET_FLOOR_RATIO)
        else:
            bench.add(scheduler_target, "n/a (extract --help has no --scheduler)", None)

        if not warm:
            bench.note(flags.describe())
            return result
        if cold_out != out:  # the cold run had the cache off: a first run with it on, into OUT
            first, first_tables = run_extract(bench, corpus, out, f"{label} first run, cache on", count)
            if first:
                bench.add(f"extract {label} first run with the cache on: same tables and claims.db as cold",
                          f"{first.wall_s:.2f} s; tables {'same' if first_tables.digest == tables.digest else 'DIFFER'}",
                          first_tables.digest == tables.digest)
        added = add_articles(corpus, count, EXTRA_ARTICLES, DEFAULT_SEED)
        run, warm_tables = run_extract(bench, corpus, out, f"{label} + {len(added)} re-run", count + len(added), cache)
        result.warm = run
        target = f"extract {label} + {EXTRA_ARTICLES} articles, re-run into the same OUT <= {TARGET_WARM_S:.0f} s"
        if not run:
            bench.add(target, "did not finish", False)
            bench.note(flags.describe())
            return result
        grew = warm_tables.claims >= tables.claims and warm_tables.estimates >= tables.estimates
        bench.add(target, f"{run.wall_s:.2f} s (cold {cold.wall_s:.2f} s; {warm_tables.claims - tables.claims:+d} "
                  f"claims, {warm_tables.estimates - tables.estimates:+d} estimates rows)",
                  run.wall_s <= TARGET_WARM_S and grew)
        if flags.folder_option or flags.off_option:  # a cache may have served the re-run: check it against a cold one
            check_flags = (flags.folder_option, str(Path(work) / "cache_check")) if flags.folder_option else cold_flags
            check, check_tables = run_extract(bench, corpus, Path(work) / "out_check", f"{label} + {len(added)} cold",
                                              count + len(added), check_flags)
            if check:
                same = check_tables.digest == warm_tables.digest
                bench.add(f"extract {label} + {EXTRA_ARTICLES} re-run: same tables and claims.db as a cold run",
                          f"{'same' if same else 'DIFFER'} (cold {check.wall_s:.2f} s)", same)
    bench.note(flags.describe())
    return result


def bench_extract(bench: Bench, quick: bool) -> None:
    small = bench_corpus(bench, 1000, "1k", warm=quick)
    if small.cold:
        bench.results["extract_1k_s"] = round(small.cold.wall_s, 2)
        bench.results["floor_1k_s"] = round(small.floor.seconds, 3)
    if quick:
        bench.add(f"extract 10k cold <= {TARGET_FLOOR_RATIO:.0f}x floor", "n/a (--quick)", None)
        return

    large = bench_corpus(bench, 10_000, "10k", warm=True)
    folder_10k, _ = ensure_corpus(10_000, DEFAULT_SEED)
    size_mb = corpus_bytes(folder_10k) / 1e6
    bench.results.update({"generator_version": GENERATOR_VERSION, "corpus_mb_10k": round(size_mb, 2),
                          "floor_10k_s": round(large.floor.seconds, 3),
                          "claims_rows_10k": large.tables.claims, "estimates_rows_10k": large.tables.estimates})
    if large.warm:
        bench.results["warm_10k_s"] = round(large.warm.wall_s, 2)
    if large.local:
        bench.results["local_10k_s"] = round(large.local.wall_s, 2)
    run_10k = large.cold
    if not run_10k:
        return
    bench.results.update({
        "extract_10k_s": round(run_10k.wall_s, 2),
        "floor_ratio_10k": round(run_10k.wall_s / large.floor.seconds, 1),
        "articles_per_s_10k": round(10_000 / run_10k.wall_s, 1),
        "mb_per_s_10k": round(size_mb / run_10k.wall_s, 3),
        "peak_mem_mb_10k": round(run_10k.peak_rss_mb, 1),
        "cores_used_10k": round(run_10k.cpu_per_wall, 2),
    })
    if small.cold:
        growth = run_10k.wall_s / small.cold.wall_s
        bench.results["growth_ratio"] = round(growth, 2)
        bench.add(f"extract time 10k / 1k <= {TARGET_GROWTH:.0f}",
                  f"{growth:.2f} ({small.cold.wall_s:.2f} s -> {run_10k.wall_s:.2f} s)", growth <= TARGET_GROWTH)


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
    bench.results["report_peak_mb_10k"] = round(run.peak_rss_mb, 1)
    bench.add("report 10k finishes", f"{run.wall_s:.1f} s; largest HTML {largest_text}", True)
    bench.add(f"report 10k peak memory <= {TARGET_PEAK_MB:.0f} MB (RSS summed)",
              f"{run.peak_rss_mb:.0f} MB (PSS {run.peak_pss_mb:.0f} MB)", run.peak_rss_mb <= TARGET_PEAK_MB)
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
    """Append this run's row; a file with an older header is first rewritten with the current
    columns (earlier rows keep their values, new columns empty)."""
    row = {column: bench.results.get(column, "") for column in RESULT_COLUMNS}
    row["date"] = dt.date.today().isoformat()
    row["cores"] = os.cpu_count() or ""
    new_file = not RESULTS_CSV.is_file() or RESULTS_CSV.stat().st_size == 0
    if not new_file:
        with RESULTS_CSV.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            old_rows = list(reader)
            header = reader.fieldnames or []
        if header != RESULT_COLUMNS:
            with RESULTS_CSV.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=RESULT_COLUMNS, lineterminator="\n", extrasaction="ignore")
                writer.writeheader()
                writer.writerows(old_rows)
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
