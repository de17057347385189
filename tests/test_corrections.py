"""A reviewer's corrections: each action, what is never silent (stale rows, rows the rules now
find) and the one-line errors for bad files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.corrections import CorrectionsError, find_corrections, read_corrections
from analysis.extract import extract_tables
from analysis.load import load_corpus
from analysis.paths import PROJECT_ROOT, SEEDS_DIR

ARTICLE = """date: 2024-11-04

Ukraine's military intelligence said 11,000 North Korean soldiers were in the Kursk region. A Washington Post report said the troops were fighting near Sudzha.

Moscow has kept its own counsel on the matter. Pyongyang sent some 3,000 more troops in December, a monitor said.

Satellite pictures showed about 400 at an airfield near Kursk.
"""
HEADER = "row_id,action,field,value,note\n"


@pytest.fixture()
def folder(tmp_path):
    (tmp_path / "story.txt").write_text(ARTICLE, encoding="utf-8")
    return tmp_path


def _run(folder: Path, lines: str):
    (folder / "corrections.csv").write_text(HEADER + lines, encoding="utf-8")
    corpus = load_corpus(folder)
    return extract_tables(corpus, corrections=read_corrections(find_corrections(folder)))


def _plain(folder: Path):
    return extract_tables(load_corpus(folder))


def test_the_corrections_file_is_metadata_not_an_article(folder):
    (folder / "corrections.csv").write_text(HEADER, encoding="utf-8")
    corpus = load_corpus(folder)
    assert [a.article_id for a in corpus.articles] == ["story"] and not corpus.rejected


def test_without_corrections_every_row_is_auto(folder):
    tables = _plain(folder)
    assert set(tables.claims["review"]) == {"auto"} and set(tables.estimates["review"]) == {"auto"}
    assert tables.corrections.empty


def test_drop_removes_the_row_and_keeps_it_with_its_note(folder):
    plain = _plain(folder)
    target = plain.estimates.iloc[0]
    tables = _run(folder, f"{target.row_id},drop,,,an earlier figure\n")
    assert target.row_id not in set(tables.estimates["row_id"])
    assert len(tables.estimates) == len(plain.estimates) - 1
    kept = tables.corrections.iloc[0]
    assert (kept.status, kept.note, kept.phrase) == ("applied", "an earlier figure", target.phrase)
    assert target.phrase in kept.before


def test_set_changes_the_field_keeps_the_id_and_marks_the_row_corrected(folder):
    plain = _plain(folder)
    media = plain.claims[plain.claims["party"] == "MEDIA"].iloc[0]
    figure = plain.estimates.iloc[0]
    tables = _run(folder, f"{media.row_id},set,party,USA,the Post relays US officials\n"
                          f"{figure.row_id},set,low,10500,\n{figure.row_id},set,hedged,true,\n")
    claim = tables.claims.set_index("row_id").loc[media.row_id]
    assert (claim.party, claim.review) == ("USA", "corrected")
    estimate = tables.estimates.set_index("row_id").loc[figure.row_id]
    assert (estimate.low, bool(estimate.hedged), estimate.review) == (10500.0, True, "corrected")
    others = tables.claims[tables.claims["row_id"] != media.row_id]
    assert set(others["review"]) == {"auto"}
    assert list(tables.corrections["before"]) == ["MEDIA", str(figure.low), "False"]


def test_add_places_a_missed_row_with_the_id_the_rules_would_give_it(folder):
    plain = _plain(folder)
    assert not plain.claims["sentence"].str.contains("own counsel").any()
    assert "about 400" not in set(plain.estimates["phrase"])
    tables = _run(folder, ',add,claims,"article_id=story; sentence=Moscow has kept its own counsel; '
                          'party=RUS; stance=non_denial; speaker=Moscow",missed by the rules\n'
                          ',add,estimates,"article_id=story; sentence=Satellite pictures showed; phrase=about 400; '
                          'kind=current",\n')
    added = tables.claims[tables.claims["review"] == "added"]
    assert list(added[["party", "stance", "speaker"]].itertuples(index=False, name=None)) == [("RUS", "non_denial", "Moscow")]
    assert added.iloc[0].row_id == f"story-c{added.iloc[0].start}-RUS-non_denial"
    figure = tables.estimates[tables.estimates["review"] == "added"].iloc[0]
    assert (figure.phrase, figure.low, figure.high, figure.qualifier, figure.party) == ("about 400", 400.0, 400.0, "approx", "")
    assert figure.row_id == f"story-e{figure.start}-current"
    assert list(tables.corrections["status"]) == ["applied", "applied"]


def test_an_added_row_the_rules_find_is_found_not_doubled(folder):
    plain = _plain(folder)
    row = plain.estimates.iloc[0]
    sentence = row.sentence[:30]
    tables = _run(folder, f',add,estimates,"article_id=story; sentence={sentence}; phrase={row.phrase}; '
                          f'kind={row.kind}",\n')
    assert len(tables.estimates) == len(plain.estimates)
    assert tables.corrections.iloc[0].status == "found"


def test_stale_corrections_are_listed_with_their_reason(folder):
    tables = _run(folder, "story-c9999-UKR-claim,drop,,,\nother-e5-current,set,kind,projected,\n"
                          ',add,claims,"article_id=story; sentence=no such words anywhere; party=UKR; stance=claim",\n')
    assert list(tables.corrections["status"]) == ["stale", "stale", "stale"]
    reasons = list(tables.corrections["reason"])
    assert "no such row" in reasons[0] and "'other' is not in this run" in reasons[1] and "not found" in reasons[2]


@pytest.mark.parametrize("body, problem", [
    ("story-c1-UKR-claim,erase,,,\n", ":2: unknown action 'erase'"),
    ("story-c1-UKR-claim,set,kind,current,\n", ":2: set on claims: field must be one of"),
    ("story-e1-current,set,stance,claim,\n", ":2: set on estimates: field must be one of"),
    ("story-e1-current,set,low,many,\n", ":2: low must be a number"),
    ("story-c1-UKR-claim,set,party,XYZ,\n", ":2: unknown party 'XYZ'"),
    ("story-c1-UKR-claim,set,hedged,perhaps,\n", ":2: hedged must be true or false"),
    ("just-an-id,drop,,,\n", ":2: row_id 'just-an-id' is no claim or estimate id"),
    ("story-c1-UKR-claim,drop,,\n", ":2: 4 fields, expected 5"),
    ('story-c1-UKR-claim,set,party,"UKR,\nstory-e2-current,drop,,,\n', ":2: unclosed quote"),
    ('story-c1-UKR-claim,set,party,"UKR,\nstory-e2-current,drop,,,"\nx-c3-UKR-claim,drop,,,\n',
     ":2: unclosed quote (the field runs on to line 3)"),
    (',add,claims,"article_id=story; sentence=Kremlin",\n', ":2: add to claims: missing party, stance"),
    (',add,rows,"article_id=story",\n', ":2: add needs the table in field"),
])
def test_a_bad_file_stops_with_one_line_naming_file_line_and_problem(folder, body, problem):
    (folder / "corrections.csv").write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(CorrectionsError) as error:
        read_corrections(find_corrections(folder))
    message = str(error.value)
    assert "\n" not in message and message.startswith(str(folder / "corrections.csv")) and problem in message


def test_a_bad_header_and_a_missing_file_are_named(folder, tmp_path):
    (folder / "corrections.csv").write_text("row_id,action,note\n", encoding="utf-8")
    with pytest.raises(CorrectionsError, match=r"corrections.csv:1: header must be"):
        read_corrections(find_corrections(folder))
    with pytest.raises(CorrectionsError, match="corrections file not found"):
        find_corrections(folder, tmp_path / "nowhere.csv")


def test_a_bad_file_stops_the_report_before_any_notebook(folder, tmp_path):
    (folder / "corrections.csv").write_text(HEADER + "story-c1-UKR-claim,erase,,,\n", encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "analysis", "report", "--articles", str(folder), "--out", str(out),
                           "--no-screenshot"], capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "corrections.csv:2: unknown action 'erase'" in done.stderr
    assert not (out / "notebooks").exists()


def test_seed_review_reaches_tables_chart_and_index(tmp_path):
    """The issue's acceptance run: beside the seeds, drop one estimate, set one claim's party,
    add one figure and name one row that no longer exists."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    plain = extract_tables(load_corpus(seeds))
    dropped = plain.estimates[plain.estimates["kind"] == "current"].iloc[0]
    media = plain.claims[plain.claims["party"] == "MEDIA"].iloc[0]
    (seeds / "corrections.csv").write_text(
        HEADER + f"{dropped.row_id},drop,,,restated earlier figure\n"
        f"{media.row_id},set,party,USA,the outlet relays US officials\n"
        ',add,estimates,"article_id=003_2abaae6c6ae518d7; sentence=one of the largest standing armies; '
        'phrase=1.2 million; kind=current; party=KOR",a deliberately odd row to see it arrive\n'
        "003_2abaae6c6ae518d7-e1-current,drop,,,a row that is not there\n", encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "analysis", "report", "--articles", str(seeds), "--out", str(out),
                           "--no-screenshot"], capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert done.returncode == 0, done.stderr
    claims = pd.read_csv(out / "tables" / "claims.csv", keep_default_na=False)
    estimates = pd.read_csv(out / "tables" / "estimates.csv", keep_default_na=False)
    assert dropped.row_id not in set(estimates["row_id"])
    assert claims.set_index("row_id").loc[media.row_id, "review"] == "corrected"
    added = estimates[estimates["review"] == "added"]
    assert list(added["phrase"]) == ["1.2 million"] and list(added["kind"]) == ["current"]
    review = pd.read_csv(out / "tables" / "corrections.csv", keep_default_na=False)
    assert list(review["status"]) == ["applied", "applied", "applied", "stale"]
    plotted = pd.read_csv(out / "figures" / "estimate_growth.csv", keep_default_na=False)
    assert "1.2 million" in set(plotted["phrase"]) and dropped.phrase not in set(plotted["phrase"])
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<span data-review="corrected">1</span>' in index and '<span data-review="stale">1</span>' in index
    assert '<span data-review="added">1</span>' in index and '<span data-review="dropped">1</span>' in index
    claims_report = (out / "html" / "02-claims-and-denials.html").read_text(encoding="utf-8")
    assert "1 corrected, 1 added, 1 dropped, 1 stale" in claims_report


def test_the_readme_example_applies_to_the_seeds(tmp_path):
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Reviewing and correcting", 1)[1].split("```", 2)[1].strip("\n")
    assert block.startswith(HEADER.strip())
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    (seeds / "corrections.csv").write_text(block + "\n", encoding="utf-8")
    tables = extract_tables(load_corpus(seeds), corrections=read_corrections(find_corrections(seeds)))
    assert list(tables.corrections["status"]) == ["applied"] * len(tables.corrections) and len(tables.corrections) == 3
    assert set(tables.estimates["review"]) == {"auto", "added"} and "corrected" in set(tables.claims["review"])
