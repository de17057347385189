"""What is specific to the story lives in its topic folder: the rules' code names none of the
subject's words, the folder's patterns and labels are checked when read, the rules use the
folder's fragments as written, each topic reads its own story, a copied folder is a new topic
with no Python change, and the package's imports run one way."""

from __future__ import annotations

import ast
import io
import re
import shutil
import json
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest

from analysis import topic
from analysis.lexicon import LexiconError
from analysis.paths import DEFAULT_TOPIC_DIR, PACKAGE_DIR, PROJECT_ROOT, TOPICS_DIR

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
    rules = topic.story_rules()
    assert story["subject_adjective"] in rules.troops_in_object.pattern
    assert story["other_sides_claimant"] in rules.other_sides_claims.pattern
    assert story["other_force_adjective"] in rules.other_force.pattern
    assert story["subject_people"] in rules.subject_people.pattern
    assert story["subject_included"] in rules.including_subject.pattern.pattern


def test_the_package_imports_in_one_direction():
    """No module imports another that (through any chain) imports it back, counting imports
    inside functions too: the flow load -> extract -> tabulate -> chart -> report is one way."""
    graph = {}
    for path in PACKAGE_DIR.glob("*.py"):
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                deps.update([node.module.split(".")[0]] if node.module else [a.name for a in node.names])
        graph[path.stem] = deps
    graph = {module: {d for d in deps if d in graph} for module, deps in graph.items()}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph[start]:
            if nxt == goal or (nxt not in seen and (seen.add(nxt) or reaches(nxt, goal, seen))):
                return True
        return False

    cycles = sorted(m for m in graph if reaches(m, m, set()))
    assert not cycles, f"modules in an import cycle: {', '.join(cycles)}"


@pytest.fixture()
def folder(tmp_path) -> Path:
    copy = tmp_path / "story"
    shutil.copytree(DEFAULT_TOPIC_DIR, copy, ignore=shutil.ignore_patterns("examples"))
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


WAGNER = TOPICS_DIR / "wagner_mali"
# Written for this test: one story told twice, the subject named in each story's own words.
CONTRACTORS = ("date: 2022-01-20\n\nA French army spokesman said about 400 Wagner fighters were now deployed "
               "in central Mali. Mali's government spokesman rejected the claims as baseless.\n")
TROOPS = ("date: 2024-11-05\n\nA Ukrainian intelligence official said about 11,000 North Korean troops were now "
          "deployed in Kursk. The Kremlin rejected the claims as baseless.\n")


def _tables(tmp_path: Path, text: str, topic_dir: str | None):
    from analysis.extract import extract_frames
    from analysis.load import load_corpus

    folder = tmp_path / "articles"
    folder.mkdir(exist_ok=True)
    (folder / "story.txt").write_text(text, encoding="utf-8")
    return extract_frames(load_corpus(folder), topic_dir=topic_dir)


def test_each_topic_reads_its_own_story(tmp_path):
    claims, estimates = _tables(tmp_path, CONTRACTORS, str(WAGNER))
    assert list(claims[["party", "stance"]].itertuples(index=False, name=None)) == [("FRA", "claim"), ("MLI", "denial")]
    assert list(estimates[["party", "low", "kind"]].itertuples(index=False, name=None)) == [("FRA", 400.0, "current")]
    claims, estimates = _tables(tmp_path, CONTRACTORS, None)  # the bundled topic: not its story
    assert claims.empty and estimates.empty
    claims, estimates = _tables(tmp_path, TROOPS, None)
    assert list(claims["stance"]) == ["claim", "denial"] and list(estimates["low"]) == [11000.0]
    claims, estimates = _tables(tmp_path, TROOPS, str(WAGNER))
    assert estimates.empty


# Written for this test: the company named alone is the force; a side's allegations against
# the hired men, dismissed, are the reports denied; "no mercenaries there" denies their presence.
COMPANY = ("date: 2022-02-03\n\nA Malian minister has admitted that the Wagner Group operates in the north. "
           "Moscow's embassy in Bamako rejected the French allegations against Russian instructors as lies. "
           "A Malian minister said there were no Wagner mercenaries in the country.\n")


def test_the_company_alone_and_allegations_against_the_hired_men_are_the_story(tmp_path):
    claims, _ = _tables(tmp_path, COMPANY, str(WAGNER))
    assert list(claims[["sentence_no", "party", "stance"]].itertuples(index=False, name=None)) == [
        (1, "MLI", "claim"), (2, "RUS", "denial"), (3, "MLI", "denial")]


def test_a_copied_topic_folder_is_a_new_topic_without_python(tmp_path):
    """Copy the second topic, rename its subject in the data files only: the rules follow."""
    copy = tmp_path / "freelancers"
    shutil.copytree(WAGNER, copy, ignore=shutil.ignore_patterns("examples"))
    for name in ("topic_terms.csv", "patterns.csv"):
        path = copy / name
        path.write_text(path.read_text(encoding="utf-8").replace("Wagner", "Zephyr").replace("wagner", "zephyr"),
                        encoding="utf-8")
    labels = copy / "labels.csv"
    labels.write_text(labels.read_text(encoding="utf-8").replace("Russian military contractors in Mali",
                                                                 "Zephyr contractors"), encoding="utf-8")
    claims, estimates = _tables(tmp_path, CONTRACTORS.replace("Wagner", "Zephyr"), str(copy))
    assert list(claims["party"]) == ["FRA", "MLI"] and list(estimates["low"]) == [400.0]
    claims, estimates = _tables(tmp_path, CONTRACTORS, str(copy))
    assert "FRA" not in set(claims["party"]) and estimates.empty  # "Wagner" is no subject word there
    assert topic.topic_labels(str(copy))["title"] == "Zephyr contractors"


def test_a_topic_actor_with_an_unknown_party_names_the_topic_file(tmp_path):
    from analysis.lexicon import load_lexicon

    copy = tmp_path / "story"
    shutil.copytree(WAGNER, copy, ignore=shutil.ignore_patterns("examples"))
    actors = copy / "actors.csv"
    text = actors.read_text(encoding="utf-8")
    actors.write_text(text + "Zed Quux,ZZZ,person,,\n", encoding="utf-8")
    line = text.count("\n") + 1
    load_lexicon.cache_clear()
    try:
        with pytest.raises(LexiconError) as raised:
            load_lexicon(None, str(copy))
    finally:
        load_lexicon.cache_clear()
    assert str(raised.value).startswith(f"{actors}: line {line}: party 'ZZZ' of 'Zed Quux' is not in parties.csv")


def _cli(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *arguments], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, timeout=300)


def test_extract_takes_a_topic_by_name_and_records_it(tmp_path):
    out = tmp_path / "out"
    done = _cli("extract", "--articles", str(WAGNER / "examples" / "articles"), "--out", str(out), "--topic",
                "wagner_mali")
    assert done.returncode == 0, done.stderr
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["topic"] == "analysis/topics/wagner_mali"
    assert "Russian military contractors in Mali" in json.loads((out / "metadata.json").read_text(encoding="utf-8"))[
        "description"]
    assert (out / "tables" / "estimates.csv").read_text(encoding="utf-8").count("\n") > 10
    again = _cli("extract", "--articles", str(WAGNER / "examples" / "articles"), "--out", str(out))
    assert again.returncode == 2 and "different topic" in again.stderr
    missing = _cli("extract", "--articles", str(WAGNER / "examples" / "articles"), "--out", str(tmp_path / "o2"),
                   "--topic", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and missing.stderr.strip().endswith("topic folder not found")
    assert len(missing.stderr.strip().splitlines()) == 1
