"""Which run an output folder holds. `extract` and `report` write OUT/run.json naming the
corpus and the settings that made the tables (articles folder, manifest, corrections,
vocabularies, size limit, filters); writing a different corpus into a folder that holds one
needs `--force`: the new run then replaces the earlier run's files (staged_output swaps it in;
other entries of OUT stay). Without it a folder would mix two runs: new tables beside an index
that still describes the old ones.

An articles folder other than seeds/ writes by default into runs/<folder name>/ (git-ignored),
so the committed outputs/ always holds the seed run."""

from __future__ import annotations

import json
import shutil
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .paths import OUTPUTS_DIR, PROJECT_ROOT, SEEDS_DIR, display_path

RUN_FILE = "run.json"
RUNS_DIR = PROJECT_ROOT / "runs"
# What a run writes into OUT: what a new run replaces; any other entry of OUT is kept.
# OUT/.cache/: per-article results kept between runs (analysis.cache); not a product of the run,
# so a --force keeps it (its entries are keyed by everything that shapes them).
CACHE_NAME = ".cache"
RUN_PRODUCTS = ("tables", "figures", "notebooks", "html", "index.html", "index.png", "claims.db", ".claims-db.json",
                "metadata.json", RUN_FILE)


class OutputInUse(ValueError):
    """The output folder holds another corpus's run; the message is one line."""


def default_out(articles: Path) -> Path:
    """outputs/ for the seeds, runs/<folder name>/ for any other articles folder."""
    if articles.resolve() == SEEDS_DIR.resolve():
        return OUTPUTS_DIR
    return RUNS_DIR / (articles.resolve().name or "articles")


def run_identity(articles: Path, manifest: Path | None = None, corrections: Path | None = None,
                 lexicon: Path | None = None, max_bytes: int = 0, date_from: str = "", date_to: str = "",
                 parties: tuple[str, ...] | list[str] = (), outlets: tuple[str, ...] | list[str] = (),
                 topic: Path | None = None) -> dict:
    """The settings that decide a run's tables, as run.json records them (paths shown from the
    project root when inside it, so the committed outputs/run.json is the same on every clone)."""
    def shown(path: Path | None) -> str:
        return display_path(path) if path else ""

    return {"articles": shown(articles), "manifest": shown(manifest), "corrections": shown(corrections),
            "lexicon": shown(lexicon), "max_bytes": int(max_bytes), "date_from": date_from or "",
            "date_to": date_to or "", "parties": list(parties), "outlets": list(outlets), "topic": shown(topic)}


def _project_path(shown: str) -> Path:
    path = Path(shown)
    return path if path.is_absolute() else PROJECT_ROOT / path


def recorded_identity(out: Path) -> dict | None:
    """The identity in OUT/run.json; None when there is none or it cannot be read."""
    try:
        recorded = json.loads((out / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return recorded if isinstance(recorded, dict) else None


# Settings a run.json of an earlier version does not record, with the value they had then.
RECORD_DEFAULTS = {"topic": ""}


def _differences(old: dict, new: dict) -> list[str]:
    return [key for key in new if old.get(key, RECORD_DEFAULTS.get(key)) != new[key]]


def _holds_a_run(out: Path) -> bool:
    return any((out / name).exists() or (out / name).is_symlink() for name in RUN_PRODUCTS)


def check_output(out: Path, identity: dict, force: bool = False) -> None:
    """OutputInUse when OUT holds another corpus's (or an unrecorded) run and not `force`,
    or when OUT and the articles folder lie one inside the other."""
    articles = _project_path(identity["articles"]).resolve()
    target = out.resolve()
    if target == articles or articles in target.parents:
        raise OutputInUse(f"{display_path(out)}: the output folder is inside the articles folder "
                          f"{display_path(articles)}; choose an --out elsewhere")
    if target in articles.parents:
        raise OutputInUse(f"{display_path(out)}: the output folder holds the articles folder "
                          f"{display_path(articles)}; choose an --out elsewhere")
    recorded = recorded_identity(out) if out.is_dir() else None
    if recorded is not None and not _differences(recorded, identity):
        return
    if recorded is None and target == default_out(articles).resolve():
        return  # the articles' own default folder, from before runs were recorded: adopted
    if out.is_dir() and _holds_a_run(out) and not force:
        if recorded is None:
            why = "holds files of a run this version did not record"
        else:
            changed = _differences(recorded, identity)
            why = (f"holds the run of {recorded.get('articles') or '?'}"
                   + (f" (different {', '.join(changed)})" if changed != ["articles"] else ""))
        raise OutputInUse(f"{display_path(out)}: {why}; pass --force to replace it, or choose another --out")


COMPLETE_MARK = ".complete"


def _staging_name(out: Path) -> str:
    return f".{out.name}.staging-"


def _lock(out: Path):
    """An exclusive lock for writing OUT (a lock file beside it); OutputInUse at once when
    another run holds it."""
    import fcntl

    handle = open(out.parent / f".{out.name}.lock", "a")  # noqa: SIM115 - held for the run
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise OutputInUse(f"{display_path(out)}: another run is writing this folder now; wait for it to finish") \
            from None
    return handle


def _swap_in(out: Path, staging: Path) -> None:
    """Put a complete staged run in OUT's place: entries of OUT that are not a run's files
    move into the new folder first, then two renames swap the folders and the old run is
    removed. Interrupted, OUT holds the old run or the new one (or, between the two renames,
    nothing), and `recover` finishes the swap on the next run."""
    old = out.parent / f".{out.name}.old"
    if out.is_dir() and not out.is_symlink():
        for entry in sorted(out.iterdir()):
            if entry.name not in RUN_PRODUCTS and not (staging / entry.name).exists():
                entry.rename(staging / entry.name)
        if old.exists():
            shutil.rmtree(old)
        out.rename(old)
    elif out.is_symlink() or out.exists():
        raise OutputInUse(f"{display_path(out)}: not a folder")
    staging.rename(out)
    (out / COMPLETE_MARK).unlink()
    if old.exists():
        shutil.rmtree(old)


def recover(out: Path) -> None:
    """Tidy what an interrupted run left beside OUT: finish the swap of a complete staged run,
    put back an old run whose swap stopped half-way, remove incomplete staging folders."""
    old = out.parent / f".{out.name}.old"
    staged = sorted(p for p in out.parent.glob(_staging_name(out) + "*") if p.is_dir() and not p.is_symlink())
    complete = [p for p in staged if (p / COMPLETE_MARK).is_file()]
    for partial in (p for p in staged if p not in complete):
        shutil.rmtree(partial)
    if complete:
        for extra in complete[:-1]:
            shutil.rmtree(extra)
        _swap_in(out, complete[-1])
    elif old.is_dir() and not out.exists():
        old.rename(out)
    elif old.is_dir():
        shutil.rmtree(old)


@contextmanager
def staged_output(out: Path, identity: dict, force: bool = False) -> Iterator[Path]:
    """Write a run into a fresh folder beside OUT and swap it in when it is complete.

    Checks OUT (check_output), takes the lock, tidies an earlier interrupted run, then yields
    the staging folder (with run.json) to write into. On success the staged folder replaces
    OUT's run (other entries of OUT are kept); on any error or interrupt it is removed and OUT
    is as it was. A full disk or a read-only parent fails here, before the run, or leaves OUT
    untouched."""
    check_output(out, identity, force)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        lock = _lock(out)
    except OSError as error:  # a read-only or missing parent: before anything is read or written
        raise OutputInUse(f"{display_path(out)}: cannot write there ({error.strerror or error})") from None
    staging = None
    try:
        try:
            recover(out)
            staging = out.parent / f"{_staging_name(out)}{os.getpid()}"
            staging.mkdir()
            (staging / RUN_FILE).write_text(json.dumps(identity, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        except OSError as error:
            raise OutputInUse(f"{display_path(out)}: cannot write there ({error.strerror or error})") from None
        try:
            yield staging
        except OSError as error:  # a full disk, a quota: one line, and OUT as it was
            where = f" writing {display_path(Path(error.filename))}" if error.filename else ""
            raise OutputInUse(f"{display_path(out)}: the run could not be written{where} "
                              f"({error.strerror or error}); the previous output is unchanged") from None
        (staging / COMPLETE_MARK).write_text("", encoding="utf-8")
        _swap_in(out, staging)
        staging = None
    finally:
        if staging is not None and staging.exists() and not (staging / COMPLETE_MARK).exists():
            shutil.rmtree(staging, ignore_errors=True)
        lock.close()
