"""analysis.cache: keys and fingerprints change exactly when their inputs do; entries round-trip;
every unusable entry is one warning, a miss and (when it is ours to delete) gone; nothing is
read or written through a symlink; concurrent writers leave one whole entry."""

from __future__ import annotations

import multiprocessing
import os
import struct
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from analysis import cache
from analysis.cache import ArticleCache, article_key, fingerprint

FP = "f" * 64


@dataclass(frozen=True)
class Claim:
    speaker: str
    sentence_no: int
    figures: tuple[int, ...] = ()


@dataclass
class Extraction:
    article_id: str
    claims: list[Claim] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)


VALUE = Extraction(
    "a1",
    [Claim("Peskov", 3), Claim("Zelensky", 5, (3000, 12000))],
    {"stale": ["line 4"], "empty": []},
)


def key_of(text: str = "x") -> str:
    return article_key(text.encode(), {"id": text}, [], FP)


def only_warning(c: ArticleCache) -> str:
    assert len(c.warnings) == 1, c.warnings
    return c.warnings[0]


# --- keys -----------------------------------------------------------------------------------

BASE = dict(file_bytes=b"date: 2024-10-20\n\nText.", manifest_row={"id": "a1", "url": "u"},
            corrections=["a1-c1\tset\tspeaker\tPeskov"], fingerprint=FP)


def test_same_inputs_same_key():
    assert article_key(**BASE) == article_key(**dict(BASE, manifest_row={"url": "u", "id": "a1"}))
    assert cache._KEY.fullmatch(article_key(**BASE))


@pytest.mark.parametrize(
    "change",
    [
        {"file_bytes": b"date: 2024-10-20\n\nText!"},
        {"manifest_row": {"id": "a1", "url": "u2"}},
        {"manifest_row": {"id": "a1", "url": "u", "title": ""}},
        {"manifest_row": None},
        {"manifest_row": {}},
        {"corrections": ["a1-c1\tset\tspeaker\tPutin"]},
        {"corrections": []},
        {"corrections": ["a1-c1\tset\tspeaker\tPeskov", "a1-c2\tdelete"]},
        {"fingerprint": "e" * 64},
    ],
    ids=lambda change: next(iter(change)) + ":" + repr(next(iter(change.values())))[:20],
)
def test_key_changes_with_each_input(change):
    assert article_key(**dict(BASE, **change)) != article_key(**BASE)


def test_key_tells_none_from_empty_row_and_keeps_correction_order():
    assert article_key(b"", None, [], FP) != article_key(b"", {}, [], FP)
    assert article_key(b"", None, ["a", "b"], FP) != article_key(b"", None, ["b", "a"], FP)
    # Framing: the same bytes split differently between fields (here "x[][][]" + FP both
    # times, unframed) must give different keys.
    assert article_key(b"x[]", {}, [], FP) != article_key(b"x", {}, [], "[]" + FP)


def test_key_refuses_a_single_string_of_corrections():
    with pytest.raises(TypeError):
        article_key(b"", None, "a1-c1\tdelete", FP)


# --- fingerprint ----------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path):
    vocab = tmp_path / "topic"
    (vocab / "sub").mkdir(parents=True)
    (vocab / "terms.csv").write_text("term,kind\nhoax,denial\n")
    (vocab / "sub" / "actors.csv").write_text("name\nPeskov\n")
    code = tmp_path / "code"
    (code / "pkg").mkdir(parents=True)
    (code / "rules.py").write_text("X = 1\n")
    (code / "pkg" / "more.py").write_text("Y = 2\n")
    (code / "README.txt").write_text("not code\n")
    return vocab, code


def fp_of(tree) -> str:
    vocab, code = tree
    return fingerprint([vocab], code_dir=code)


def test_fingerprint_is_deterministic(tree):
    assert fp_of(tree) == fp_of(tree)
    assert cache._KEY.fullmatch(fp_of(tree))
    assert cache._KEY.fullmatch(fingerprint([]))  # the real package


@pytest.mark.parametrize(
    "edit",
    [
        lambda v, c: (v / "terms.csv").write_text("term,kind\nhoax,claim\n"),
        lambda v, c: (v / "sub" / "actors.csv").write_text("name\nPeskov\nPutin\n"),
        lambda v, c: (v / "new.csv").write_text(""),
        lambda v, c: (v / "terms.csv").rename(v / "terms2.csv"),
        lambda v, c: (c / "rules.py").write_text("X = 2\n"),
        lambda v, c: (c / "pkg" / "new.py").write_text(""),
    ],
    ids=["vocab-content", "nested-vocab-content", "vocab-added", "vocab-renamed", "py-changed",
         "py-added"],
)
def test_fingerprint_changes_with_what_shapes_extraction(tree, edit):
    before = fp_of(tree)
    edit(*tree)
    assert fp_of(tree) != before


@pytest.mark.parametrize(
    "edit",
    [
        lambda v, c: (c / "README.txt").write_text("changed\n"),
        lambda v, c: (c / "__pycache__").mkdir() or (c / "__pycache__" / "rules.cpython-311.pyc")
        .write_bytes(b"\x00bytecode"),
        lambda v, c: (v / "__pycache__").mkdir() or (v / "__pycache__" / "x.csv").write_text("x"),
        lambda v, c: (v / "stray.pyc").write_bytes(b"\x00"),
    ],
    ids=["non-py-in-code", "code-pycache", "vocab-pycache", "pyc-file"],
)
def test_fingerprint_ignores_bytecode_and_non_code(tree, edit):
    before = fp_of(tree)
    edit(*tree)
    assert fp_of(tree) == before


def test_fingerprint_frames_files_and_folders(tmp_path):
    def folder(name: str, files: dict[str, str]) -> Path:
        path = tmp_path / name
        path.mkdir()
        for file, text in files.items():
            (path / file).write_text(text)
        return path

    code = folder("code", {})
    # Unframed, both would feed "file" "x" "A" "file" "y" "B" as one run of bytes.
    a = folder("a", {"x": "A", "y": "B"})
    b = folder("b", {"x": "AfileyB"})
    assert fingerprint([a], code) != fingerprint([b], code)
    one, two = folder("one", {"x": "1"}), folder("two", {})
    assert fingerprint([one, two], code) != fingerprint([two, one], code)


def test_fingerprint_refuses_a_missing_folder(tmp_path):
    with pytest.raises(NotADirectoryError):
        fingerprint([tmp_path / "nope"], tmp_path)


def test_fingerprint_covers_the_package_version(tree, monkeypatch):
    before = fp_of(tree)
    monkeypatch.setattr(cache, "_package_version", lambda: "9.9")
    assert fp_of(tree) != before


# --- entries --------------------------------------------------------------------------------


def test_round_trip_and_layout(tmp_path):
    folder = tmp_path / "deep" / "cache"
    c = ArticleCache(folder, FP)
    key = key_of()
    assert c.get(key) is None and not folder.exists()  # a plain miss, nothing created
    c.put(key, VALUE)
    got = ArticleCache(folder, FP).get(key)
    assert got == VALUE and got is not VALUE
    assert c.path(key) == folder / key[:2] / f"{key}.pickle"
    assert os.listdir(folder / key[:2]) == [f"{key}.pickle"]  # no temp file left behind
    assert c.path(key).read_bytes().startswith(cache.MAGIC)
    c.put(key, {"replaced": True})
    assert c.get(key) == {"replaced": True}
    assert c.warnings == []


def test_get_many_finds_what_get_finds_across_shards(tmp_path):
    c = ArticleCache(tmp_path, FP)
    keys = sorted({key_of(str(i)) for i in range(40)})
    assert len({key[:2] for key in keys}) > 5  # the keys fall in several shard folders
    stored, missing, damaged = keys[:30], keys[30:35], keys[35:]
    for key in stored + damaged:
        c.put(key, {"key": key})
    for key in damaged:
        c.path(key).write_bytes(b"garbage")
    reader = ArticleCache(tmp_path, FP)
    found = reader.get_many(iter(keys))  # any iterable, read once
    assert found == {key: {"key": key} for key in stored}
    assert len(reader.warnings) == len(damaged) and all("truncated header" in warning and "removed" in warning for warning in reader.warnings)
    assert all(not c.path(key).exists() for key in damaged) and all(c.get(key) is None for key in missing)
    assert ArticleCache(tmp_path / "none", FP).get_many(keys) == {}
    with pytest.raises(ValueError):
        c.get_many([keys[0], "../" + "a" * 61])


def test_bad_keys_raise(tmp_path):
    c = ArticleCache(tmp_path, FP)
    for bad in ["../" + "a" * 61, "A" * 64, "a" * 63, ""]:
        with pytest.raises(ValueError):
            c.get(bad)
        with pytest.raises(ValueError):
            c.put(bad, 1)


def flip_last(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 0x01])


def other_version(data: bytes) -> bytes:
    return data[:8] + struct.pack(">H", cache.FORMAT_VERSION + 1) + data[10:]


def unloadable(data: bytes) -> bytes:
    return cache.encode_entry(b"\x80\x05cno_such_module\nThing\n.", FP)


@pytest.mark.parametrize(
    "damage, problem",
    [
        (flip_last, "checksum mismatch"),
        (lambda d: d[: len(d) // 2], "truncated"),
        (lambda d: d[:5], "truncated header"),
        (lambda d: b"", "truncated header"),
        (lambda d: b"garbage" * 20, "bad magic"),
        (lambda d: d + b"\x00", "header says"),
        (other_version, "format version"),
        (unloadable, "cannot unpickle"),
    ],
    ids=["flipped-byte", "truncated", "short-header", "empty", "garbage", "trailing", "version",
         "unpickle"],
)
def test_unusable_entry_is_a_miss_one_warning_and_removed(tmp_path, damage, problem):
    c = ArticleCache(tmp_path, FP)
    key = key_of()
    c.put(key, VALUE)
    path = c.path(key)
    path.write_bytes(damage(path.read_bytes()))
    assert c.get(key) is None
    warning = only_warning(c)
    assert str(path) in warning and problem in warning and "removed" in warning
    assert not path.exists()
    assert c.get(key) is None and len(c.warnings) == 1  # now a plain miss
    c.put(key, VALUE)
    assert c.get(key) == VALUE


def test_entry_of_another_fingerprint_is_a_miss_and_warning(tmp_path):
    key = key_of()
    ArticleCache(tmp_path, "a" * 64).put(key, VALUE)
    c = ArticleCache(tmp_path, "b" * 64)
    assert c.get(key) is None
    assert "another fingerprint" in only_warning(c) and str(c.path(key)) in only_warning(c)
    assert not c.path(key).exists()


def test_half_written_temp_file_is_ignored(tmp_path):
    c = ArticleCache(tmp_path, FP)
    key = key_of()
    shard = tmp_path / key[:2]
    shard.mkdir()
    temp = shard / f".{key}.pickle.123.abcd.tmp"
    temp.write_bytes(cache.encode_entry(b"\x80\x05K\x01.", FP)[:20])  # a put cut short
    assert c.get(key) is None and c.warnings == []
    c.put(key, VALUE)
    assert c.get(key) == VALUE and c.warnings == []
    assert c.prune(set()) == 1 and temp.exists()


def test_symlinked_entry_is_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    key = key_of()
    ArticleCache(outside, FP).put(key, "secret")  # a valid entry, elsewhere
    target = outside / key[:2] / f"{key}.pickle"
    before = target.read_bytes()
    c = ArticleCache(tmp_path / "cache", FP)
    c.put(key_of("other"), 1)  # the folder exists
    (tmp_path / "cache" / key[:2]).mkdir(exist_ok=True)
    c.path(key).symlink_to(target)
    assert c.get(key) is None
    assert "symlink" in only_warning(c) and str(c.path(key)) in only_warning(c)
    assert c.prune(set()) == 1  # the other entry only; the link is not a regular file
    assert c.path(key).is_symlink()
    c.put(key, "mine")  # replaces the link itself, never writes through it
    assert not c.path(key).is_symlink() and c.get(key) == "mine"
    assert target.read_bytes() == before


def test_symlinked_folder_or_shard_is_refused(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    c = ArticleCache(link, FP)
    key = key_of()
    c.put(key, VALUE)
    assert "symlink" in only_warning(c)
    assert list(real.iterdir()) == []  # nothing written through the link
    assert c.get(key) is None and len(c.warnings) == 2 and c.prune(set()) == 0

    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / key[:2]).symlink_to(real, target_is_directory=True)
    d = ArticleCache(folder, FP)
    d.put(key, VALUE)
    assert d.get(key) is None
    assert len(d.warnings) == 2 and all("symlink" in w for w in d.warnings)
    assert list(real.iterdir()) == []


def test_fifo_under_an_entry_name_does_not_hang(tmp_path):
    c = ArticleCache(tmp_path, FP)
    key = key_of()
    (tmp_path / key[:2]).mkdir()
    os.mkfifo(c.path(key))
    got = []
    reader = threading.Thread(target=lambda: got.append(c.get(key)), daemon=True)
    reader.start()
    reader.join(2)
    if reader.is_alive():  # blocked opening the FIFO: unblock it, then fail
        os.close(os.open(c.path(key), os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("get blocked on a FIFO")
    assert got == [None] and "not a regular file" in only_warning(c)


def test_prune_removes_only_entries_not_kept(tmp_path):
    c = ArticleCache(tmp_path, FP)
    keys = [key_of(str(n)) for n in range(4)]
    for key in keys:
        c.put(key, key)
    foreign = [tmp_path / "notes.txt", tmp_path / keys[0][:2] / "README",
               tmp_path / "zz" / f"{keys[1]}.pickle"]
    misplaced = tmp_path / ("00" if keys[2][:2] != "00" else "01") / f"{keys[2]}.pickle"
    for path in [*foreign, misplaced]:
        path.parent.mkdir(exist_ok=True)
        path.write_text("not ours")
    assert c.prune({keys[0], keys[3]}) == 2
    assert [c.get(k) for k in keys] == [keys[0], None, None, keys[3]]
    assert all(p.read_text() == "not ours" for p in [*foreign, misplaced])
    assert c.prune({keys[0], keys[3]}) == 0
    assert ArticleCache(tmp_path / "never", FP).prune(set()) == 0
    assert c.warnings == []


def _hammer(folder: str, key: str, tag: int, barrier) -> None:
    c = ArticleCache(Path(folder), FP)
    barrier.wait()
    for n in range(40):
        c.put(key, {"tag": tag, "n": n, "pad": "x" * (5000 * tag)})
    assert not c.warnings


def test_concurrent_puts_leave_one_valid_entry(tmp_path):
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    barrier = ctx.Barrier(2)
    key = key_of()
    workers = [ctx.Process(target=_hammer, args=(str(tmp_path), key, tag, barrier))
               for tag in (1, 2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(20)
    assert [w.exitcode for w in workers] == [0, 0]
    c = ArticleCache(tmp_path, FP)
    got = c.get(key)
    assert got["n"] == 39 and got["pad"] == "x" * (5000 * got["tag"])
    assert os.listdir(tmp_path / key[:2]) == [f"{key}.pickle"] and c.warnings == []
