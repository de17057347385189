"""The per-article cache in real runs: a warm run writes the same bytes as a cold run without
a cache, and each kind of change re-extracts exactly the articles it touches."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.paths import LEXICON_DIR, PROJECT_ROOT

CORPUS = PROJECT_ROOT / "tests" / "fixtures" / "coverage"


def extract(articles: Path, out: Path, *options: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "analysis", "extract", "--articles", str(articles), "--out", str(out),
                           *options], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    return done


def from_cache(done: subprocess.CompletedProcess) -> tuple[int, int]:
    line = next(l for l in done.stdout.splitlines() if "from the cache" in l)
    hits = int(line.split("extract: ")[1].split(" ")[0])
    extracted = int(line.rsplit(", ", 1)[1].split(" ")[0])
    return hits, extracted


def same_outputs(first: Path, second: Path) -> None:
    """Every file a run writes, byte for byte (run.json names its own folder)."""
    files = sorted(p.relative_to(first) for p in first.rglob("*")
                   if p.is_file() and ".cache" not in p.parts and p.name != "run.json")
    assert files
    for name in files:
        assert filecmp.cmp(first / name, second / name, shallow=False), name


@pytest.fixture()
def corpus(tmp_path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(CORPUS, folder)
    return folder


def test_a_warm_run_is_byte_identical_to_a_cold_run_without_cache(corpus, tmp_path):
    n = len(list(corpus.glob("*.txt")))
    assert from_cache(extract(corpus, tmp_path / "warm")) == (0, n)
    assert from_cache(extract(corpus, tmp_path / "warm")) == (n, 0)
    cold = extract(corpus, tmp_path / "cold", "--no-cache")
    assert "from the cache" not in cold.stdout and not (tmp_path / "cold" / ".cache").exists()
    same_outputs(tmp_path / "warm", tmp_path / "cold")


def test_each_change_re_extracts_what_it_touches(corpus, tmp_path):
    out = tmp_path / "out"
    n = len(list(corpus.glob("*.txt")))
    extract(corpus, out)
    first = sorted(corpus.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nA spokesman declined to comment.\n", encoding="utf-8")
    assert from_cache(extract(corpus, out)) == (n - 1, 1)  # an edited article
    (corpus / "zz_new.txt").write_text("date: 2025-07-01\n\nOfficials said 900 more troops had arrived.\n",
                                       encoding="utf-8")
    assert from_cache(extract(corpus, out)) == (n, 1)  # an added article
    (corpus / "zz_new.txt").unlink()
    assert from_cache(extract(corpus, out)) == (n, 0)
    assert len(list((out / ".cache").rglob("*.pickle"))) == n  # the removed article's entry went with it
    row_id = (out / "tables" / "claims.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[0]
    (corpus / "corrections.csv").write_text(f"row_id,action,field,value,note\n{row_id},drop,,,not about troops\n",
                                            encoding="utf-8")
    assert from_cache(extract(corpus, out)) == (n - 1, 1)  # a correction touches one article
    (corpus / "corrections.csv").unlink()
    lexicon = tmp_path / "lexicon"
    shutil.copytree(LEXICON_DIR, lexicon)
    with (lexicon / "reporting_verbs.csv").open("a", encoding="utf-8") as handle:
        handle.write("mused,verb\n")
    assert from_cache(extract(corpus, out, "--lexicon", str(lexicon), "--force")) == (0, n)  # the rules changed
    assert from_cache(extract(corpus, out, "--topic", "wagner_mali", "--force")) == (0, n)  # another story
    cold = tmp_path / "cold"
    extract(corpus, cold, "--topic", "wagner_mali", "--no-cache")
    same_outputs(out, cold)


def test_a_corrupt_entry_is_a_warning_and_a_miss(corpus, tmp_path):
    out = tmp_path / "out"
    n = len(list(corpus.glob("*.txt")))
    extract(corpus, out)
    entries = sorted((out / ".cache").rglob("*.pickle"))
    assert len(entries) == n
    entries[0].write_bytes(entries[0].read_bytes()[:40])  # cut short, as by a crash
    entries[1].write_bytes(b"not a cache entry at all")
    done = extract(corpus, out)
    assert from_cache(done) == (n - 2, 2)
    warnings = [line for line in done.stderr.splitlines() if line.startswith("extract: cache: ")]
    assert len(warnings) == 2 and all(".pickle" in line for line in warnings)
    cold = tmp_path / "cold"
    extract(corpus, cold, "--no-cache")
    same_outputs(out, cold)


def test_the_frames_path_takes_the_same_cache(tmp_path):
    from analysis.extract import CacheStats, extract_tables, open_cache
    from analysis.load import load_corpus

    corpus = load_corpus(CORPUS)
    cold = extract_tables(corpus)
    stats = CacheStats()
    extract_tables(corpus, cache=open_cache(tmp_path / "cache"), stats=stats)
    assert (stats.hits, stats.extracted) == (0, len(corpus.articles))
    stats = CacheStats()
    warm = extract_tables(corpus, cache=open_cache(tmp_path / "cache"), stats=stats)
    assert (stats.hits, stats.extracted) == (len(corpus.articles), 0)
    assert warm.claims.to_csv() == cold.claims.to_csv() and warm.estimates.to_csv() == cold.estimates.to_csv()
