"""Where things live. Every path the package uses is resolved here, from the project root,
so notebooks work the same whether papermill, nbval or JupyterLab started the kernel."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
SEEDS_DIR = PROJECT_ROOT / "seeds"
OUTPUTS_DIR = PROJECT_ROOT / "outputs"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
LEXICON_DIR = PACKAGE_DIR / "lexicon"
# One folder per story (analysis/topics/<name>/); the bundled default first.
TOPICS_DIR = PACKAGE_DIR / "topics"
DEFAULT_TOPIC_DIR = TOPICS_DIR / "north_korea_russia"


def resolve(path: str | Path | None, default: Path | None = None) -> Path | None:
    """A user-given path as an absolute Path: relative paths are taken from the project root.

    None or "" gives `default`."""
    if path is None or str(path) == "":
        return default
    candidate = Path(path).expanduser()
    return candidate if candidate.is_absolute() else PROJECT_ROOT / candidate


def display_path(path: Path) -> str:
    """A path as shown to users and in tables: relative to the project root when inside it."""
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return os.path.normpath(str(path))  # "/a/b/../c" as "/a/c"
