"""Row ids: what a reviewer's corrections name, so they must not move while the row does not."""

from __future__ import annotations

import shutil

from analysis.extract import extract_frames
from analysis.lexicon import LEXICON_DIR
from analysis.load import load_corpus
from analysis.paths import SEEDS_DIR

EXTRA = """date: 2024-11-02

Ukraine's military intelligence said about 11,000 North Korean soldiers were in the Kursk region. Moscow dismissed the reports as fake.
"""


def _ids(folder, lexicon=None):
    claims, estimates = extract_frames(load_corpus(folder), lexicon)
    return claims.set_index("row_id"), estimates.set_index("row_id")


def test_ids_are_unique_and_repeat_run_after_run():
    first, second = _ids(SEEDS_DIR), _ids(SEEDS_DIR)
    for a, b in zip(first, second):
        assert a.index.is_unique and len(a) > 0
        assert list(a.index) == list(b.index)


def test_adding_an_article_keeps_the_other_rows_ids(tmp_path):
    shutil.copytree(SEEDS_DIR, tmp_path / "seeds")
    before = _ids(tmp_path / "seeds")
    (tmp_path / "seeds" / "zz_extra.txt").write_text(EXTRA, encoding="utf-8")
    after = _ids(tmp_path / "seeds")
    for old, new in zip(before, after):
        assert set(old.index) < set(new.index)
        new_only = set(new.index) - set(old.index)
        assert new_only and all(row_id.startswith("zz_extra-") for row_id in new_only)


def test_a_rule_change_elsewhere_keeps_the_ids(tmp_path):
    lexicon = tmp_path / "lexicon"
    shutil.copytree(LEXICON_DIR, lexicon)
    with (lexicon / "reporting_verbs.csv").open("a", encoding="utf-8") as handle:
        handle.write("mused,verb\n")  # a verb the seeds never use
    for old, new in zip(_ids(SEEDS_DIR), _ids(SEEDS_DIR, str(lexicon))):
        assert list(old.index) == list(new.index)


def test_an_id_names_its_article_position_and_meaning():
    claims, estimates = _ids(SEEDS_DIR)
    for row_id, row in claims.iterrows():
        assert row_id == f"{row.article_id}-c{row.start}-{row.party}-{row.stance}"
    for row_id, row in estimates.iterrows():
        assert row_id == f"{row.article_id}-e{row.start}-{row.kind}"
