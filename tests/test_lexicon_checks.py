"""Vocabulary files are checked when they are read: what would otherwise do nothing, or draw
a party without a name, stops with one line naming the file and the line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.lexicon import LexiconError, load_lexicon
from analysis.paths import LEXICON_DIR


@pytest.fixture()
def folder(tmp_path) -> Path:
    copy = tmp_path / "lexicon"
    shutil.copytree(LEXICON_DIR, copy)
    return copy


def append(path: Path, line: str) -> int:
    """Add a line; returns its line number."""
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def load(folder: Path):
    load_lexicon.cache_clear()
    try:
        return load_lexicon(str(folder))
    finally:
        load_lexicon.cache_clear()


def test_the_bundled_vocabularies_pass():
    assert load(LEXICON_DIR).actors


@pytest.mark.parametrize(("file", "line", "problem"), [
    ("denial_cues.csv", "waved away,denial,verb", "denial verb 'waved away' is not in reporting_verbs.csv"),
    ("actors.csv", "Atlantis,ATL,place,,", "party 'ATL' of 'Atlantis' is not in parties.csv"),
    ("actors.csv", "Zed Person,UKR,wizard,,", "kind 'wizard' is not one of"),
    ("denial_cues.csv", "baloney,rejection,word", "stance 'rejection' is not one of"),
    ("reporting_verbs.csv", "mused,thought", "frame 'thought' is not one of"),
    ("hedges.csv", '"perhaps', "malformed row"),
    ("reporting_verbs.csv", "stated,verb,extra,more", "4 fields, the header has 2"),
])
def test_a_bad_vocabulary_row_names_file_and_line(folder, file, line, problem):
    number = append(folder / file, line)
    with pytest.raises(LexiconError) as raised:
        load(folder)
    message = str(raised.value)
    assert message.startswith(f"{folder / file}: line {number}: ") and problem in message
    assert "\n" not in message


def test_a_missing_column_names_the_header_line(folder):
    path = folder / "hedges.csv"
    path.write_text("# a comment\nphrase\nlikely\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"hedges\.csv: line 2: missing column\(s\) hedge"):
        load(folder)


def test_a_denial_verb_with_its_reporting_verb_is_read(folder):
    append(folder / "denial_cues.csv", "pooh-poohed,denial,verb")
    append(folder / "reporting_verbs.csv", "pooh-poohed,verb")
    assert "pooh-poohed" in load(folder).denial_verbs
