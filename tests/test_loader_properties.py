"""Properties of analysis.load.load_corpus on arbitrary folders (hypothesis, derandomized).

For any folder of entries with any names valid on Linux (any bytes but "/" and NUL, not "."
or "..", at most 200 bytes; not "manifest.csv", which is metadata with its own errors), where
an entry is a file with any content (raw bytes, or text with mixed line ends and headers in
UTF-8, UTF-16 or cp1252), a sub-folder, a FIFO or a symlink (to itself, to another entry or
to nothing), with or without a valid manifest.csv naming some of the articles:

* load_corpus does not raise;
* every file is accounted for exactly once: in corpus.articles (by .file) or in
  corpus.rejected (by .file);
* every sentence of every loaded article slices its body exactly
  (`article.body[s.start:s.end] == s.text`), numbered 1.. in order, without overlaps;
* articles are sorted by article_id, rejected files by name;
* loading the same folder twice gives equal corpora and equal tables.
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.load import display_name, load_corpus, read_article, split_body

from conftest import deadline

SETTINGS = dict(derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --- file names (bytes, as Linux stores them) --------------------------------------------------

_SUFFIXES = [b".txt", b".txt", b".txt", b".TXT", b".Txt", b".md", b"", b".txt.bak", b".csv"]
_unicode_stem = st.text(st.characters(exclude_characters="/\x00", exclude_categories=("Cs",)),
                        min_size=0, max_size=40).map(lambda s: s.encode("utf-8"))
_byte_stem = st.binary(min_size=0, max_size=40).map(lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_"))
_plain_stem = st.sampled_from([b"a", b"A", b"article", b"Article", b" ", b"-", b".", b"..", b"..txt",
                               b"00_1", b"caf\xc3\xa9", b"cafe\xcc\x81", b"x y", b"'q'", b'"q"'])


def _valid_name(name: bytes) -> bool:
    return (0 < len(name) <= 200 and b"/" not in name and b"\x00" not in name
            and name not in (b".", b"..") and name.lower() != b"manifest.csv")


file_names = st.builds(lambda stem, suffix: stem + suffix,
                       st.one_of(_plain_stem, _unicode_stem, _byte_stem),
                       st.sampled_from(_SUFFIXES)).filter(_valid_name)

# --- contents ----------------------------------------------------------------------------------

_fragments = st.sampled_from([
    "date: 2024-10-12\n", "date 2024-13-45\n", " date 2024-10-12 ", "title: T\n", "outlet: O\n", "url: u\n",
    "Zelensky said about 3,000 North Korean troops were in Kursk. ", "Peskov called it a \u201choax\u201d. ",
    "The NIS said 11 to 12,000. ", "U.S. officials said so. ", "Oct. 29", "\n\n", "\r\n", "\r", "\n",
    "What Happened: ", "...", "?!", "\u2019", "\u00a0", "\t", "  ", "\ufeff", "\u2028", "\x85", "\x0c",
])
_text = st.lists(st.one_of(_fragments, st.text(max_size=30)), max_size=25).map("".join)
_encoded_text = st.tuples(_text, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom",
                                                  "utf-16-be-bom", "cp1252"])).map(
    lambda pair: _encode(*pair))


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16-le-bom":
        return b"\xff\xfe" + text.encode("utf-16-le", "surrogatepass")
    if encoding == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be", "surrogatepass")
    return text.encode(encoding, "replace" if encoding == "cp1252" else "surrogatepass")


contents = st.one_of(st.binary(max_size=600), _encoded_text, st.just(b""))

# An entry: ("file", bytes) | ("dir", None) | ("fifo", None) | ("symlink", i): a symlink to
# the i-th entry of the folder modulo its size (itself, another file, another symlink: loops)
# or, for i < 0, to a name that does not exist.
entries = st.one_of(
    st.tuples(st.just("file"), contents), st.tuples(st.just("file"), contents),
    st.tuples(st.just("dir"), st.none()), st.tuples(st.just("fifo"), st.none()),
    st.tuples(st.just("symlink"), st.integers(-1, 7)),
)
folders = st.lists(st.tuples(file_names, entries), max_size=8, unique_by=lambda item: item[0])
manifest_dates = st.sampled_from(["2024-10-12", "2024-11-31", "", "12/10/2024", "2024-1-5"])


def _write(folder: str, files, manifest: list[str] | None = None) -> None:
    """Create the entries; a manifest.csv with one row per given date when `manifest` is a list
    (row i names the i-th .txt entry whose name is UTF-8 text)."""
    base = os.fsencode(folder)
    names = [name for name, _ in files]
    for name, (kind, value) in files:
        path = os.path.join(base, name)
        if kind == "file":
            with open(path, "wb") as handle:
                handle.write(value)
        elif kind == "dir":
            os.mkdir(path)
        elif kind == "fifo":
            os.mkfifo(path)
        else:
            os.symlink(names[value % len(names)] if value >= 0 else b"missing", path)
    if manifest is not None:
        ids = []
        for name, _ in files:
            try:
                text = name.decode("utf-8")
            except UnicodeDecodeError:
                continue
            # A manifest field is one line: an id with a line break cannot be named in one.
            if (text.lower().endswith(".txt") and text[:-4].strip() == text[:-4] and text[:-4]
                    and "\r" not in text and "\n" not in text):
                ids.append(text[:-4])
        with open(os.path.join(folder, "manifest.csv"), "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["article_id", "date"])
            for article_id, date in zip(dict.fromkeys(ids), manifest):
                writer.writerow([article_id, date])


def _check_sentences(article) -> None:
    previous_end = 0
    for number, sentence in enumerate(article.sentences, start=1):
        assert sentence.sentence_no == number
        assert 0 <= sentence.start <= sentence.end <= len(article.body)
        assert sentence.start >= previous_end
        assert article.body[sentence.start:sentence.end] == sentence.text
        previous_end = sentence.end


@settings(max_examples=300, **SETTINGS)
@given(folders, st.none() | st.lists(manifest_dates, max_size=8))
def test_any_folder_loads_and_accounts_for_every_file(files, manifest):
    with tempfile.TemporaryDirectory(prefix="loader_props_") as folder:
        _write(folder, files, manifest)
        with deadline(10):
            corpus = load_corpus(folder)
            again = load_corpus(folder)
        on_disk = sorted(display_name(name) for name in os.listdir(folder) if name != "manifest.csv")

    seen = sorted([a.file for a in corpus.articles] + [r.file for r in corpus.rejected])
    assert seen == on_disk
    ids = [a.article_id for a in corpus.articles]
    assert ids == sorted(ids)
    assert [r.file for r in corpus.rejected] == sorted(r.file for r in corpus.rejected)
    for article in corpus.articles:
        _check_sentences(article)
        assert article.body == article.body.strip() and article.body
        assert len(article.body_norm) == len(article.body)
    assert corpus.articles == again.articles and corpus.rejected == again.rejected
    assert corpus.articles_frame().equals(again.articles_frame())
    assert corpus.rejected_frame().equals(again.rejected_frame())


@settings(max_examples=300, **SETTINGS)
@given(st.one_of(st.binary(max_size=2000), _encoded_text))
def test_any_bytes_read_as_an_article_or_a_reason(data):
    with tempfile.TemporaryDirectory(prefix="loader_props_") as folder:
        path = os.path.join(folder, "x.txt")
        with open(path, "wb") as handle:
            handle.write(data)
        result = read_article(Path(path), "x")
    if hasattr(result, "reason"):
        assert result.reason and result.file == "x.txt"
    else:
        _check_sentences(result)


@settings(max_examples=300, **SETTINGS)
@given(_text)
def test_split_body_offsets_slice_any_text(text):
    body = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    for sentence in split_body(body):
        assert body[sentence.start:sentence.end] == sentence.text
