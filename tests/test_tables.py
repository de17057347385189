"""Writing the output files: large tables are written by a forked child while the figure is
drawn; the files must be the same bytes as when one process writes everything."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import tables as tables_module
from analysis.load import load_corpus
from analysis.extract import extract_frames
from analysis.paths import SEEDS_DIR


@pytest.fixture(scope="module")
def seed_tables() -> dict[str, pd.DataFrame]:
    corpus = load_corpus(SEEDS_DIR)
    claims, estimates = extract_frames(corpus)
    return {"articles": corpus.articles_frame(), "rejected": corpus.rejected_frame(),
            "claims": claims, "estimates": estimates}


def written_bytes(paths) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in paths}


def test_parallel_and_serial_writes_give_the_same_files(seed_tables, tmp_path, monkeypatch):
    serial = tables_module.write_tables_and_figure(seed_tables, tmp_path / "serial")
    monkeypatch.setattr(tables_module, "PARALLEL_WRITE_MIN_ROWS", 0)
    parallel = tables_module.write_tables_and_figure(seed_tables, tmp_path / "parallel")
    assert [p.relative_to(tmp_path / "parallel") for p in parallel] == \
        [p.relative_to(tmp_path / "serial") for p in serial]
    assert written_bytes(parallel) == written_bytes(serial)
    assert len(serial) == 7  # four tables, the figure as PNG and SVG, and the plotted data


def test_a_failing_table_writer_is_reported(seed_tables, tmp_path, monkeypatch):
    monkeypatch.setattr(tables_module, "PARALLEL_WRITE_MIN_ROWS", 0)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "tables").write_text("a file where the tables folder should be")
    with pytest.raises(RuntimeError, match="writing the tables into .*tables failed"):
        tables_module.write_tables_and_figure(seed_tables, tmp_path / "out")
