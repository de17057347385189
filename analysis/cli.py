"""Command line: `python -m analysis extract|report|refresh-notebooks`.

extract  read the articles, write OUT/tables/*.csv and the growth figure (no notebooks)
report   run every notebook with papermill, render HTML, write index.html and evidence pages
refresh-notebooks  re-execute notebooks/ in place on seeds/ (the outputs nbval checks)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .load import DEFAULT_MAX_BYTES, ManifestError
from .paths import PROJECT_ROOT, SEEDS_DIR, TOPICS_DIR, display_path, resolve


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    extract = commands.add_parser("extract", help="write the tables without running notebooks")
    _corpus_arguments(extract)
    extract.add_argument("--workers", type=int, default=None,
                         help="worker processes (default: all cores for large corpora)")

    report = commands.add_parser("report", help="run the notebooks and render the HTML report")
    _corpus_arguments(report)
    report.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="notebook parameter (repeatable); the value is converted to the parameter's type")
    report.add_argument("--keep-input", action="store_true", help="show code cells in the HTML")
    report.add_argument("--timeout", type=int, default=600, help="seconds a notebook cell may run")
    report.add_argument("--evidence-limit", type=int, default=None,
                        help="write at most this many evidence pages (default: all)")
    report.add_argument("--no-screenshot", dest="screenshot", action="store_false",
                        help="do not save OUT/index.png (taken with Chromium when it is installed)")

    commands.add_parser("refresh-notebooks", help="re-execute notebooks/ in place on seeds/")
    commands.add_parser("install-kernel", help="install the project's Jupyter kernel into this environment")

    evaluate = commands.add_parser("evaluate", help="precision and recall on annotated article sets")
    evaluate.add_argument("folders", nargs="+", help="annotated sets (articles/, claims.csv, estimates.csv)")
    evaluate.add_argument("--lexicon", default=None, help="shared vocabulary folder (default: analysis/lexicon/)")
    evaluate.add_argument("--topic", default=None,
                          help="the story's folder (default: the set's own when it lies in a topic's examples/, "
                               "else analysis/topics/north_korea_russia/)")
    evaluate.add_argument("--detail", action="store_true", help="also print every measure of each set")
    evaluate.add_argument("--misses", action="store_true",
                          help="also print each set's missed gold rows and unmatched extracted rows")
    return parser


def _corpus_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--articles", default=str(SEEDS_DIR), help="folder of articles: .txt files and saved web pages (default: seeds/)")
    parser.add_argument("--manifest", default=None, help="metadata CSV (default: manifest.csv in the folder)")
    parser.add_argument("--out", default=None,
                        help="output folder (default: outputs/ for seeds/, runs/<folder name>/ for other folders)")
    parser.add_argument("--force", action="store_true",
                        help="replace the run of another corpus that the output folder holds")
    parser.add_argument("--xlsx", action="store_true",
                        help="write tables/tables.xlsx however large the tables (by default only up to "
                             "25,000 rows: beyond, it takes longer than the extraction)")
    parser.add_argument("--raw-csv", action="store_true",
                        help="write texts as they are, without the apostrophe that keeps spreadsheets from "
                             "reading =, +, -, @ as formulas (for programs)")
    parser.add_argument("--lexicon", default=None, help="shared vocabulary folder (default: analysis/lexicon/)")
    parser.add_argument("--topic", default=None,
                        help="the story's folder, or the name of one in analysis/topics/ (default: north_korea_russia)")
    parser.add_argument("--corrections", default=None,
                        help="a reviewer's corrections CSV (default: corrections.csv in the articles folder)")
    parser.add_argument("--cache", default=None,
                        help="folder of per-article results kept between runs (default: OUT/.cache); an article "
                             "whose file, manifest row, corrections and rules are unchanged is not extracted again")
    parser.add_argument("--no-cache", action="store_true", help="extract every article, keep no results")
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="run the per-article work on a dask.distributed cluster: its scheduler's address "
                             "(tcp://host:8786), or 'local' for a LocalCluster on this machine")
    parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES,
                        help=f"reject files larger than this (default {DEFAULT_MAX_BYTES})")


def run_extract(args: argparse.Namespace) -> int:
    """Load, extract, write tables and the growth figure; one line per problem, then a summary."""
    from .cluster import close, connect
    from .corrections import find_corrections, read_corrections
    from .extract import check_vocabulary_folders

    lexicon = resolve(args.lexicon)
    topic = resolve(args.topic)
    out = resolve(args.out)
    articles = resolve(args.articles)
    check_vocabulary_folders(lexicon, topic, args.lexicon, args.topic)
    review = read_corrections(find_corrections(articles, resolve(args.corrections)), str(lexicon) if lexicon else None)
    if not articles.is_dir():
        raise NotADirectoryError(f"{args.articles}: articles folder not found")
    client = connect(args.scheduler) if args.scheduler else None
    try:
        result, cache = _extract_into(args, articles, out, review, lexicon, topic, client)
    finally:
        if client is not None:
            close(client)
    for warning in result.cache.warnings:
        print(f"extract: cache: {warning}", file=sys.stderr)
    corpus, stances = result.corpus, result.stance_counts
    for line in corpus.problems():
        print(line)
    if not any(p.name == "tables.xlsx" for p in result.written):
        from .workbook import SKIPPED_NOTE

        print(f"extract: {SKIPPED_NOTE}")
    for row in result.corrections.itertuples():
        if row.status != "applied":
            print(f"{review.path}:{row.line}: {row.status} correction {row.action} {row.row_id or row.value}: {row.reason}")
    print(f"extract: {len(corpus.articles)} articles loaded, {len(corpus.rejected)} rejected; "
          f"{stances.get('claim', 0)} claims, {stances.get('denial', 0)} denials, "
          f"{stances.get('non_denial', 0)} non-denials, {result.n_estimates} estimates; "
          f"wrote {len(result.written)} files to {display_path(out)}")
    if cache is not None:
        print(f"extract: {result.cache.hits} articles from the cache ({display_path(cache.folder)}), "
              f"{result.cache.extracted} extracted")
    return 0


def _extract_into(args: argparse.Namespace, articles: Path, out: Path, review: object, lexicon: Path | None,
                  topic: Path | None, client: object):
    """The extract run, staged beside OUT and swapped in when complete (runfolder.staged_output):
    (extract.FolderExtraction, the cache used or None)."""
    from .extract import extract_folder, open_cache, print_progress
    from .runfolder import CACHE_NAME, run_identity, staged_output

    identity = run_identity(articles, resolve(args.manifest), resolve(args.corrections), lexicon, args.max_bytes,
                            topic=topic)
    lexicon_dir, topic_dir = (str(lexicon) if lexicon else None), (str(topic) if topic else None)
    with staged_output(out, identity, args.force) as target:
        # OUT's own cache is read from OUT and written into the staged run (an interrupted run
        # leaves OUT as it was); a --cache folder elsewhere is read and written in place.
        cache = None if args.no_cache else (open_cache(resolve(args.cache), lexicon_dir, topic_dir) if args.cache else
                                            open_cache(out / CACHE_NAME, lexicon_dir, topic_dir, target / CACHE_NAME))
        result = extract_folder(articles, target, resolve(args.manifest), max_bytes=args.max_bytes,
                                lexicon_dir=lexicon_dir, workers=args.workers,
                                progress=print_progress, corrections=review, raw=args.raw_csv, xlsx=args.xlsx,
                                topic_dir=topic_dir, cache=cache, client=client,
                                # --no-cache trusts nothing of the run it replaces, its database neither
                                previous_out=False if args.no_cache else out)
    return result, cache


def _set_label(path: Path) -> str:
    """How a set is named in the summary: its path from the project root, and whether its
    articles were written for the project or come from elsewhere (real reporting)."""
    try:
        path.resolve().relative_to(PROJECT_ROOT)
        origin = "written"
    except ValueError:
        origin = "external"
    return f"{os.path.relpath(path.resolve(), PROJECT_ROOT)} ({origin})"


def run_evaluate(args: argparse.Namespace) -> int:
    """Print one table of the headline measures with a row per annotated folder; with
    --detail every measure, with --misses the rows behind the errors."""
    import pandas as pd

    from .evaluate import evaluate_set, summary

    lexicon = resolve(args.lexicon)
    topic = resolve(args.topic)
    evaluations = []
    for folder in args.folders:
        path = resolve(folder)
        evaluations.append((_set_label(path), evaluate_set(path, str(lexicon) if lexicon else None,
                                                           str(topic) if topic else None)))
    with pd.option_context("display.width", 250, "display.max_columns", 30):
        print(summary(evaluations).to_string(index=False))
    for label, evaluation in evaluations:
        if args.detail:
            print(f"\n## {label}")
            print(evaluation.scores.to_string(index=False))
        if args.misses:
            print(f"\n## {label}: errors")
            for miss in evaluation.misses:
                print(f"- {miss.table} {miss.side} [{miss.article_id}] {miss.detail}\n    {miss.sentence}")
    return 0


PATH_OPTIONS = ("articles", "manifest", "out", "lexicon", "topic", "corrections", "cache")


def _paths_from_here(args: argparse.Namespace) -> None:
    """Paths typed on the command line are taken from the current folder, as every
    command-line user expects (paths in notebook parameters stay relative to the project
    root); --out defaults to outputs/ for the seeds and runs/<folder name>/ otherwise."""
    from .runfolder import default_out

    topic = getattr(args, "topic", None)
    if topic and not Path(topic).expanduser().exists() and "/" not in topic and (TOPICS_DIR / topic).is_dir():
        args.topic = str(TOPICS_DIR / topic)  # a bundled topic by its name ("--topic wagner_mali")
    for name in PATH_OPTIONS:
        value = getattr(args, name, None)
        if value:
            setattr(args, name, str(Path(value).expanduser().absolute()))
    if hasattr(args, "out") and not args.out:
        args.out = str(default_out(Path(args.articles)))


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code (2 for bad input, with a one-line message)."""
    args = _parser().parse_args(argv)
    _paths_from_here(args)
    try:
        if args.command == "extract":
            return run_extract(args)
        if args.command == "report":
            from .report import run_report_command
            return run_report_command(args)
        if args.command == "evaluate":
            return run_evaluate(args)
        if args.command == "install-kernel":
            from .report import KERNEL_DISPLAY_NAME, ensure_kernel
            print(f"kernel {ensure_kernel()} ({KERNEL_DISPLAY_NAME}) for {sys.executable}")
            return 0
        if args.command == "refresh-notebooks":
            from .report import refresh_notebooks
            return refresh_notebooks()
    except (FileNotFoundError, NotADirectoryError, ManifestError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 1
