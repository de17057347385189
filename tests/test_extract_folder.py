"""`python -m analysis extract` writes its tables from lines the workers format; the files must
be the bytes the frame path writes (load_corpus + extract_frames + write_tables_and_figure)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.corrections import find_corrections, read_corrections
from analysis.extract import extract_folder, extract_tables
from analysis.load import load_corpus
from analysis.paths import PROJECT_ROOT, SEEDS_DIR
from analysis.extract import write_tables_and_figure

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "extraction" / "articles"
OUTPUT_FILES = ["tables/articles.csv", "tables/rejected.csv", "tables/claims.csv", "tables/estimates.csv",
                "tables/corrections.csv", "figures/estimate_growth.csv", "figures/estimate_growth.svg",
                "figures/estimate_growth.png", "figures/claims_timeline.csv", "figures/claims_timeline.svg",
                "figures/claims_timeline.png", "tables/tables.xlsx"]
# A reviewer's corrections for the mixed folder: each action, and a stale one.
CORRECTIONS = """row_id,action,field,value,note
a-e11-current,set,party,USA,the figure is Washington's
a b-c0-UKR-claim,drop,,,not a claim
,add,estimates,"article_id=a b; sentence=Kyiv said 5,000; phrase=5,000; kind=projected; party=UKR",added on purpose
a-e999-current,drop,,,gone
"""


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory) -> Path:
    """Fixture and seed articles with the cases the line path must get right: a duplicate
    (its rows must not appear), a rejected file, names that sort differently as files and as
    ids, a non-ASCII name, an undated article with vague figures and CSV-hostile text."""
    folder = tmp_path_factory.mktemp("mixed")
    for source in sorted(FIXTURES.glob("*.txt")) + sorted(SEEDS_DIR.glob("*.txt")):
        shutil.copy(source, folder / source.name)
    shutil.copy(SEEDS_DIR / "manifest.csv", folder / "manifest.csv")
    first = sorted(FIXTURES.glob("*.txt"))[0]
    shutil.copy(first, folder / "zz copy of the first.txt")  # same body: rejected as a duplicate
    (folder / "empty.txt").write_bytes(b"")
    (folder / "a.txt").write_text("date: 2024-11-02\n\nSeoul said 3,000 North Korean troops were in Russia.\n",
                                  encoding="utf-8")
    (folder / "a b.txt").write_text("date: 2024-11-03\n\nKyiv said 5,000 North Korean troops were in Kursk.\n",
                                    encoding="utf-8")
    (folder / "corrections.csv").write_text(CORRECTIONS, encoding="utf-8")
    (folder / "Sõul, \"quoted\".txt").write_text(
        'No date here.\n\nThe NIS said thousands of North Korean soldiers, "some 1,500" of them\n'
        'officers, were in Russia, and Ukraine\'s HUR said "tens of thousands" could follow.\n',
        encoding="utf-8")
    return folder


def frame_path_files(folder: Path, out: Path) -> None:
    corpus = load_corpus(folder, workers=1)
    tables = extract_tables(corpus, workers=1, corrections=read_corrections(find_corrections(folder)))
    write_tables_and_figure({"articles": corpus.articles_frame(), "rejected": corpus.rejected_frame(),
                             "claims": tables.claims, "estimates": tables.estimates,
                             "corrections": tables.corrections}, out)


@pytest.mark.parametrize("workers", [1, 2])
def test_folder_extraction_writes_the_bytes_of_the_frame_path(mixed_folder, tmp_path, workers):
    frame_out, line_out = tmp_path / "frames", tmp_path / "lines"
    frame_path_files(mixed_folder, frame_out)
    result = extract_folder(mixed_folder, line_out, workers=workers,
                            corrections=read_corrections(find_corrections(mixed_folder)))
    assert sorted(str(p.relative_to(line_out)) for p in result.written) == sorted(OUTPUT_FILES)
    for name in OUTPUT_FILES:
        if name.endswith(".png"):
            continue  # PNG bytes are not compared anywhere; the SVG and the CSV carry the chart
        assert (line_out / name).read_bytes() == (frame_out / name).read_bytes(), name
    review = pd.read_csv(line_out / "tables" / "corrections.csv", dtype=str, keep_default_na=False)
    assert list(review["status"]) == ["applied", "applied", "applied", "stale"]
    estimates = (line_out / "tables/estimates.csv").read_text(encoding="utf-8")
    assert "zz copy of the first" not in (line_out / "tables/claims.csv").read_text(encoding="utf-8")
    assert ",vague,2000.0,9999.0," in estimates  # a vague band, written as the frame writes floats


def test_folder_extraction_counts_and_keeps_no_lines(mixed_folder, tmp_path):
    import pandas as pd

    result = extract_folder(mixed_folder, tmp_path, workers=1)
    claims = pd.read_csv(tmp_path / "tables/claims.csv", keep_default_na=False)
    estimates = pd.read_csv(tmp_path / "tables/estimates.csv", keep_default_na=False)
    assert result.stance_counts == claims["stance"].value_counts().to_dict()
    assert result.n_estimates == len(estimates) > 0
    assert "duplicate of" in "".join(r.reason for r in result.corpus.rejected)
    assert all(a.claims_csv == "" and a.estimates_csv == "" and a.chart_rows == [] for a in result.corpus.articles)
