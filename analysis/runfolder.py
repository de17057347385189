"""Which run an output folder holds. `extract` and `report` write OUT/run.json naming the
corpus and the settings that made the tables (articles folder, manifest, corrections,
vocabularies, size limit, filters); writing a different corpus into a folder that holds one
needs `--force`, which first removes the earlier run's files. Without it a folder would mix
two runs: new tables beside an index that still describes the old ones.

An articles folder other than seeds/ writes by default into runs/<folder name>/ (git-ignored),
so the committed outputs/ always holds the seed run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .paths import OUTPUTS_DIR, PROJECT_ROOT, SEEDS_DIR, display_path

RUN_FILE = "run.json"
RUNS_DIR = PROJECT_ROOT / "runs"
# What a run writes into OUT: what --force removes before another corpus is written there.
RUN_PRODUCTS = ("tables", "figures", "notebooks", "html", "index.html", "index.png", RUN_FILE)


class OutputInUse(ValueError):
    """The output folder holds another corpus's run; the message is one line."""


def default_out(articles: Path) -> Path:
    """outputs/ for the seeds, runs/<folder name>/ for any other articles folder."""
    if articles.resolve() == SEEDS_DIR.resolve():
        return OUTPUTS_DIR
    return RUNS_DIR / (articles.resolve().name or "articles")


def run_identity(articles: Path, manifest: Path | None = None, corrections: Path | None = None,
                 lexicon: Path | None = None, max_bytes: int = 0, date_from: str = "", date_to: str = "",
                 parties: tuple[str, ...] | list[str] = (), outlets: tuple[str, ...] | list[str] = ()) -> dict:
    """The settings that decide a run's tables, as run.json records them (paths shown from the
    project root when inside it, so the committed outputs/run.json is the same on every clone)."""
    def shown(path: Path | None) -> str:
        return display_path(path) if path else ""

    return {"articles": shown(articles), "manifest": shown(manifest), "corrections": shown(corrections),
            "lexicon": shown(lexicon), "max_bytes": int(max_bytes), "date_from": date_from or "",
            "date_to": date_to or "", "parties": list(parties), "outlets": list(outlets)}


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


def _differences(old: dict, new: dict) -> list[str]:
    return [key for key in new if old.get(key) != new[key]]


def _holds_a_run(out: Path) -> bool:
    return any((out / name).exists() or (out / name).is_symlink() for name in RUN_PRODUCTS)


def remove_products(out: Path) -> None:
    """Remove an earlier run's files from OUT (only RUN_PRODUCTS, only inside OUT; a symbolic
    link is removed as a link, never followed)."""
    for name in RUN_PRODUCTS:
        target = out / name
        if target.is_symlink() or target.is_file():
            target.unlink()
        elif target.is_dir():
            shutil.rmtree(target)


def claim_output(out: Path, identity: dict, force: bool = False) -> None:
    """Make OUT the home of this run: fine when it is empty, new or holds this corpus already;
    OutputInUse when it holds another (or an unrecorded) run, unless `force`, which removes
    that run's files first. Then OUT/run.json records `identity`."""
    recorded = recorded_identity(out) if out.is_dir() else None
    if recorded is not None and not _differences(recorded, identity):
        pass
    elif recorded is None and out.resolve() == default_out(_project_path(identity["articles"])).resolve():
        pass  # the articles' own default folder, from before runs were recorded: adopted
    elif out.is_dir() and _holds_a_run(out):
        if not force:
            if recorded is None:
                why = "holds files of a run this version did not record"
            else:
                changed = _differences(recorded, identity)
                why = (f"holds the run of {recorded.get('articles') or '?'}"
                       + (f" (different {', '.join(changed)})" if changed != ["articles"] else ""))
            raise OutputInUse(f"{display_path(out)}: {why}; pass --force to replace it, or choose another --out")
        remove_products(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / RUN_FILE).write_text(json.dumps(identity, indent=1, sort_keys=True) + "\n", encoding="utf-8")
