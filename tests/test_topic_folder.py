"""What is specific to the story lives in its topic folder: the rules' code names none of the
subject's words, the folder's patterns and labels are checked when read, and the rules use
the folder's fragments as written."""

from __future__ import annotations

import io
import re
import shutil
import tokenize
from pathlib import Path

import pytest

from analysis import attribution, estimates, topic
from analysis.lexicon import LexiconError
from analysis.paths import PACKAGE_DIR

SUBJECT_WORDS = re.compile(r"north\s*korea|pyongyang|dprk|korean", re.IGNORECASE)
# Documentation, not rules: the data dictionary mirrors README, which tells this story.
DOCUMENTATION = {"schema.py"}


def code_tokens(path: Path):
    """Names and string literals of a module, docstrings and comments left out."""
    tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline))
    significant = [t for t in tokens if t.type not in (tokenize.NL, tokenize.COMMENT)]
    for before, token in zip([None, *significant], significant):
        docstring = token.type == tokenize.STRING and (
            before is None or before.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING))
        if token.type in (tokenize.NAME, tokenize.STRING) and not docstring:
            yield token


def test_the_rules_code_names_no_subject_word():
    found = [f"{path.name}:{token.start[0]}: {token.string[:60]}"
             for path in sorted(PACKAGE_DIR.glob("*.py")) if path.name not in DOCUMENTATION
             for token in code_tokens(path) if SUBJECT_WORDS.search(token.string)]
    assert not found, "story words in code (they belong in analysis/topics/<story>/):\n" + "\n".join(found)


def test_the_rules_are_built_from_the_folders_fragments():
    story = topic.topic_patterns()
    assert story["subject_adjective"] in attribution.TROOPS_IN_OBJECT.pattern
    assert story["other_sides_claimant"] in attribution.OTHER_SIDES_CLAIMS.pattern
    assert story["other_force_adjective"] in topic.OTHER_FORCE.pattern
    assert story["subject_people"] in estimates._SUBJECT_PEOPLE.pattern


@pytest.fixture()
def folder(tmp_path) -> Path:
    copy = tmp_path / "story"
    shutil.copytree(topic.DEFAULT_TOPIC_DIR, copy, ignore=shutil.ignore_patterns("examples"))
    return copy


def test_a_pattern_that_does_not_compile_names_file_and_line(folder):
    path = folder / "patterns.csv"
    text = path.read_text(encoding="utf-8").replace("subject_people,Koreans?", "subject_people,Koreans(")
    path.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("subject_people,"))
    topic.topic_patterns.cache_clear()
    try:
        with pytest.raises(LexiconError, match=rf"patterns\.csv: line {line}: pattern 'subject_people' does not compile"):
            topic.topic_patterns(str(folder))
    finally:
        topic.topic_patterns.cache_clear()


def test_a_missing_label_or_pattern_is_named(folder):
    labels = folder / "labels.csv"
    labels.write_text("\n".join(l for l in labels.read_text(encoding="utf-8").splitlines()
                                if not l.startswith("claim_legend,")) + "\n", encoding="utf-8")
    patterns = folder / "patterns.csv"
    patterns.write_text("\n".join(l for l in patterns.read_text(encoding="utf-8").splitlines()
                                  if not l.startswith("subject_of,")) + "\n", encoding="utf-8")
    topic.topic_labels.cache_clear()
    topic.topic_patterns.cache_clear()
    try:
        with pytest.raises(LexiconError, match="missing label\\(s\\) claim_legend"):
            topic.topic_labels(str(folder))
        with pytest.raises(LexiconError, match="missing pattern\\(s\\) subject_of"):
            topic.topic_patterns(str(folder))
    finally:
        topic.topic_labels.cache_clear()
        topic.topic_patterns.cache_clear()
