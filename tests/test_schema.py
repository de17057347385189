"""One module names every output table, its file, columns, sort order and types: the files
written, the frames the notebooks get and the data dictionary all follow it."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from analysis import schema
from analysis.extract import extract_tables
from analysis.load import load_corpus
from analysis.paths import OUTPUTS_DIR, SEEDS_DIR


@pytest.fixture(scope="module")
def seed_tables():
    corpus = load_corpus(SEEDS_DIR)
    tables = extract_tables(corpus)
    return {"articles": corpus.articles_frame(), "rejected": corpus.rejected_frame(), "claims": tables.claims,
            "estimates": tables.estimates, "corrections": tables.corrections}


@pytest.mark.parametrize("name", list(schema.TABLES))
def test_the_committed_files_have_the_schemas_columns(name):
    table = schema.TABLES[name]
    with (OUTPUTS_DIR / "tables" / table.file).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == table.columns


@pytest.mark.parametrize("name", list(schema.TABLES))
def test_frames_have_the_schemas_columns_order_and_types(seed_tables, name):
    table = schema.TABLES[name]
    frame = seed_tables[name]
    assert tuple(frame.columns) == table.columns
    for column, dtype in table.frame_types().items():
        if len(frame):  # an empty table (no corrections) has untyped columns
            assert str(frame[column].dtype) == dtype, (name, column)
    if len(frame) > 1 and name != "corrections":
        keys = list(frame[list(table.sort)].itertuples(index=False, name=None))
        assert keys == sorted(keys), f"{name} is not sorted by {table.sort}"


@pytest.mark.parametrize("name", list(schema.TABLES))
def test_every_column_is_described(name):
    described = set(schema.COLUMN_DESCRIPTIONS[name]) - set(schema.DATABASE_ONLY_COLUMNS.get(name, {}))
    assert described == set(schema.TABLES[name].columns)
    assert set(schema.COLUMN_TYPES[name]) <= set(schema.TABLES[name].columns)
    assert set(schema.TABLES[name].sort) <= set(schema.TABLES[name].columns)


def test_the_written_csv_reads_back_as_the_frame(seed_tables, tmp_path):
    from analysis.tables import write_tables

    write_tables(seed_tables, tmp_path, raw=True)
    for name, table in schema.TABLES.items():
        back = pd.read_csv(tmp_path / "tables" / table.file, dtype=str, keep_default_na=False)
        assert tuple(back.columns) == table.columns
        assert len(back) == len(seed_tables[name])
