"""Properties of the loader at the edge of the articles folder (hypothesis, derandomized).

For any folder of regular files (odd names, bytes that are not UTF-8 too), sub-folders (holding
a marked file), FIFOs, symlinks out of the folder (to a secret file by a relative or absolute
path, through a chain of links, to a folder, to /etc/passwd and /proc/self/status, dangling)
and symlinks inside it (to another entry, to itself, into a sub-folder, dangling), with or
without a manifest.csv and a corrections.csv (regular, a symlink inside, a symlink outside, a
FIFO) or a manifest named from elsewhere:

* the folder's own manifest.csv leading outside is a ManifestError naming the problem, never the
  file's text; otherwise load_corpus does not raise;
* every entry but the metadata files is accounted for once: loaded or rejected;
* every symlink is rejected: `symlink outside the articles folder` exactly when its target
  resolves outside, else `symlink to ...` or `unreadable: ...`;
* nothing outside the folder is opened (every os.open / open of a path under the test's root
  is inside the real articles folder, or is the manifest the caller named), no FIFO is opened,
  and the secret and sub-folder markers appear in no article and no reason;
* loading twice gives the same corpus;
* find_corrections + read_corrections refuse a corrections.csv leading outside, never echo it.

And for any manifest / corrections text: one error naming the file and a line, never the text,
or (manifest) one entry for every non-blank line after the header: no row is swallowed.
"""

from __future__ import annotations

import builtins
import io
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.corrections import CorrectionsError, find_corrections, read_corrections
from analysis.load import ManifestError, display_name, load_corpus, read_manifest

from conftest import deadline

SETTINGS = dict(derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SECRET = "SECRET-MARKER-c41d"
SUBMARK = "SUBFOLDER-MARKER-9e2b"
OUTSIDE = "symlink outside the articles folder"
METADATA = (b"manifest.csv", b"corrections.csv")


@contextmanager
def recording_opens(root: str):
    """Every path under `root` opened with os.open, open or io.open, with what it was then."""
    opened: list[tuple[str, int]] = []
    real_os_open, real_open = os.open, builtins.open

    def note(path) -> None:
        if isinstance(path, int):
            return
        text = os.fsdecode(os.fspath(path))
        if os.path.realpath(text).startswith(root) or os.path.abspath(text).startswith(root):
            try:
                mode = os.stat(text).st_mode  # what the open reached
            except OSError:
                mode = 0
            opened.append((text, mode))

    def os_open(path, *args, **kwargs):
        note(path)
        return real_os_open(path, *args, **kwargs)

    def any_open(file, *args, **kwargs):
        note(file)
        return real_open(file, *args, **kwargs)

    with mock.patch.object(os, "open", os_open), mock.patch.object(builtins, "open", any_open), \
            mock.patch.object(io, "open", any_open):
        yield opened


# --- the folder ------------------------------------------------------------------------------

_stems = st.one_of(
    st.sampled_from([b"a", b"A", b"story", b"x y", b"caf\xc3\xa9", b"\xff\xfe", b"-", b"'q'", b".hidden", b"..x"]),
    st.text(st.characters(exclude_characters="/\x00", exclude_categories=("Cs",)), min_size=1, max_size=12)
    .map(lambda s: s.encode("utf-8")),
    st.binary(min_size=1, max_size=12).map(lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_")),
)
_suffixes = st.sampled_from([b".txt", b".txt", b".TXT", b".md", b"", b".csv"])
names = st.builds(lambda stem, suffix: stem + suffix, _stems, _suffixes).filter(
    lambda n: len(n) <= 120 and n not in (b".", b"..") and n.lower() not in METADATA)

_OUT_TARGETS = ["secret_rel", "secret_abs", "chain", "private_dir", "/etc/passwd", "/proc/self/status",
                "dangling_out", "via_inside_link"]
_IN_TARGETS = ["entry", "self", "sub_file", "sub_dir", "dangling_in", "dot", "abs_entry"]

_bodies = st.sampled_from([
    "date: 2024-10-21\n\nZelensky said about 3,000 North Korean troops were in Kursk.\n",
    "The Pentagon said 10,000 North Korean soldiers were in Russia.\n",
    "", "   \n", "date 2024-13-45\n\nPeskov called it a hoax.\n",
])
contents = st.one_of(
    st.tuples(_bodies, st.integers(0, 99)).map(lambda p: (p[0] + f"Report {p[1]}.\n" if p[0].strip() else p[0])
                                              .encode("utf-8")),
    st.binary(max_size=80),
)
entries = st.one_of(
    st.tuples(st.just("file"), contents), st.tuples(st.just("file"), contents),
    st.tuples(st.just("dir"), st.none()), st.tuples(st.just("fifo"), st.none()),
    st.tuples(st.just("out"), st.sampled_from(_OUT_TARGETS)),
    st.tuples(st.just("in"), st.tuples(st.sampled_from(_IN_TARGETS), st.integers(0, 7))),
)
folders = st.lists(st.tuples(names, entries), max_size=8, unique_by=lambda item: item[0])
manifests = st.sampled_from(["none", "regular", "inside_link", "outside_link", "named_outside", "named_link"])
corrections_kinds = st.sampled_from(["none", "regular", "inside_link", "outside_link", "fifo"])


def _build(root: str, files, manifest: str, corrections: str) -> tuple[str, str | None]:
    """Write root/private (the secrets), root/articles (the folder); the named manifest path or None."""
    base = os.path.join(root, "articles")
    private = os.path.join(root, "private")
    os.mkdir(base)
    os.mkdir(private)
    secret = os.path.join(private, "secret.txt")
    with builtins.open(secret, "w", encoding="utf-8") as handle:
        handle.write(f"date: 2024-10-20\n\n{SECRET} said 3,000 North Korean troops were in Kursk.\n")
    os.symlink(secret, os.path.join(private, "hop"))
    with builtins.open(os.path.join(private, "manifest.csv"), "w", encoding="utf-8") as handle:
        handle.write(f"article_id,title\nstory,{SECRET}\n")
    with builtins.open(os.path.join(private, "named.csv"), "w", encoding="utf-8") as handle:
        handle.write("article_id,title\nstory,Named by the user\n")  # read: the caller named it
    with builtins.open(os.path.join(private, "corrections.csv"), "w", encoding="utf-8") as handle:
        handle.write(f"{SECRET}:x:0:0:root\n")
    os.mkdir(os.path.join(base, "meta_sub"))
    with builtins.open(os.path.join(base, "meta_sub", "inner.txt"), "w", encoding="utf-8") as handle:
        handle.write(f"{SUBMARK} said 5,000 troops.\n")
    os.symlink(secret, os.path.join(base, "meta_sub", "out_link.txt"))  # inside the sub-folder, pointing out
    bbase = os.fsencode(base)
    listed = [name for name, _ in files]
    out_targets = {
        "secret_rel": b"../private/secret.txt", "secret_abs": os.fsencode(secret), "chain": b"../private/hop",
        "private_dir": b"../private", "/etc/passwd": b"/etc/passwd", "/proc/self/status": b"/proc/self/status",
        "dangling_out": b"../private/missing.txt", "via_inside_link": b"meta_sub/out_link.txt",
    }
    for name, (kind, value) in files:
        path = os.path.join(bbase, name)
        if kind == "file":
            with builtins.open(path, "wb") as handle:
                handle.write(value)
        elif kind == "dir":
            os.mkdir(path)
            with builtins.open(os.path.join(path, b"inner.txt"), "w", encoding="utf-8") as handle:
                handle.write(f"{SUBMARK} said 6,000 troops.\n")
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "out":
            os.symlink(out_targets[value], path)
        else:
            target_kind, index = value
            target = {"entry": listed[index % len(listed)], "self": name, "sub_file": b"meta_sub/inner.txt",
                      "sub_dir": b"meta_sub", "dangling_in": b"nothing-here.txt", "dot": b".",
                      "abs_entry": os.path.join(bbase, listed[index % len(listed)])}[target_kind]
            os.symlink(target, path)

    named = None
    manifest_text = "article_id,date\nstory,2024-10-05\n"
    if manifest == "regular":
        with builtins.open(os.path.join(base, "manifest.csv"), "w", encoding="utf-8") as handle:
            handle.write(manifest_text)
    elif manifest == "inside_link":
        with builtins.open(os.path.join(base, "meta_sub", "m.csv"), "w", encoding="utf-8") as handle:
            handle.write(manifest_text)
        os.symlink("meta_sub/m.csv", os.path.join(base, "manifest.csv"))
    elif manifest == "outside_link":
        os.symlink("../private/manifest.csv", os.path.join(base, "manifest.csv"))
    elif manifest == "named_outside":
        named = os.path.join(private, "named.csv")
    elif manifest == "named_link":
        named = os.path.join(root, "named_link.csv")
        os.symlink(os.path.join(private, "named.csv"), named)

    corrections_path = os.path.join(base, "corrections.csv")
    if corrections == "regular":
        with builtins.open(corrections_path, "w", encoding="utf-8") as handle:
            handle.write("row_id,action,field,value,note\nstory-c1-UKR-claim,drop,,,ok\n")
    elif corrections == "inside_link":
        with builtins.open(os.path.join(base, "meta_sub", "c.csv"), "w", encoding="utf-8") as handle:
            handle.write("row_id,action,field,value,note\n")
        os.symlink("meta_sub/c.csv", corrections_path)
    elif corrections == "outside_link":
        os.symlink("../private/corrections.csv", corrections_path)
    elif corrections == "fifo":
        os.mkfifo(corrections_path)
    return base, named


def _metadata_names(manifest: str, corrections: str) -> set[str]:
    """Folder entries that are metadata (neither loaded nor rejected)."""
    names = {"manifest.csv"} if manifest in ("regular", "inside_link") else set()
    if corrections in ("regular", "inside_link"):
        names.add("corrections.csv")
    return names


def _assert_nothing_marked(corpus) -> None:
    for article in corpus.articles:
        for value in (article.body, article.title, article.outlet, article.url, article.date, *article.warnings):
            assert SECRET not in value and SUBMARK not in value, article.file
    for rejected in corpus.rejected:
        assert SECRET not in rejected.reason and SUBMARK not in rejected.reason


@settings(max_examples=80, **SETTINGS)
@given(folders, manifests, corrections_kinds)
def test_nothing_outside_the_folder_is_read_and_every_entry_is_accounted_for(files, manifest, corrections):
    with tempfile.TemporaryDirectory(prefix="boundary_") as tmp:
        root = os.path.realpath(tmp)
        base, named = _build(root, files, manifest, corrections)
        real_base = os.path.realpath(base)
        with deadline(10), recording_opens(root) as opened:
            try:
                corpus = load_corpus(base, named, workers=1)
            except ManifestError as error:
                assert manifest == "outside_link", error
                message = str(error)
                assert OUTSIDE in message and SECRET not in message
                corpus = None
            again = load_corpus(base, named, workers=1) if corpus is not None else None
            try:
                review = read_corrections(find_corrections(base))
            except CorrectionsError as error:
                assert corrections == "outside_link", error
                assert OUTSIDE in str(error) and SECRET not in str(error)
            else:
                assert corrections != "outside_link"
                assert SECRET not in repr(review)
        on_disk = {display_name(n) for n in os.listdir(base)}
        kinds = {display_name(os.fsdecode(name)): kind for name, (kind, _) in files}
        leads_out = {display_name(os.fsdecode(name)) for name, (kind, _) in files if kind in ("out", "in")
                     and not os.path.realpath(os.path.join(os.fsencode(base), name)).startswith(
                         os.fsencode(real_base) + b"/")
                     and os.path.realpath(os.path.join(os.fsencode(base), name)) != os.fsencode(real_base)}

    for path, mode in opened:
        assert os.path.realpath(path).startswith(real_base + os.sep) or path == named, path
        assert "private" not in os.path.relpath(os.path.realpath(path), root) or path == named, path
        assert stat.S_ISREG(mode), f"{path} opened but is not a regular file ({stat.filemode(mode)})"
    if corpus is None:
        return
    seen = [a.file for a in corpus.articles] + [r.file for r in corpus.rejected]
    assert len(seen) == len(set(seen))
    assert set(seen) == on_disk - _metadata_names(manifest, corrections)
    reasons = {r.file: r.reason for r in corpus.rejected}
    for name, kind in kinds.items():
        if kind == "out":
            assert reasons[name] == OUTSIDE, (name, reasons.get(name))
        elif name in leads_out:  # a link inside to a link that leads out
            assert reasons[name] == OUTSIDE, (name, reasons.get(name))
        elif kind == "in":
            assert reasons[name].startswith(("symlink to ", "unreadable: ")), (name, reasons.get(name))
        elif kind in ("dir", "fifo"):
            assert name in reasons
    _assert_nothing_marked(corpus)
    assert corpus.articles == again.articles and corpus.rejected == again.rejected


# --- manifest and corrections texts ------------------------------------------------------------

_csv_pieces = st.sampled_from([
    "article_id", "date", "title", "outlet", ",", ",", '"', '""', "\n", "\n", "\r\n", "\r", "\x00", SECRET,
    "2024-10-05", "a", "b", " ", "\u2028", "caf\u00e9", "\ufeff",
])
_csv_texts = st.lists(_csv_pieces, max_size=30).map("".join)
_csv_bytes = st.tuples(
    st.one_of(_csv_texts, st.lists(_csv_pieces, max_size=25).map(lambda p: "article_id,date\n" + "".join(p))),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252-bad"]),
).map(lambda pair: (pair[0].encode("utf-8") + b"\xe9" if pair[1] == "cp1252-bad"
                    else pair[0].encode(pair[1], "surrogatepass")))


@settings(max_examples=100, **SETTINGS)
@given(_csv_bytes)
def test_any_manifest_is_read_whole_or_is_one_error_that_names_a_line(data):
    with tempfile.TemporaryDirectory(prefix="manifest_") as tmp:
        path = Path(tmp) / "m.csv"
        path.write_bytes(data)
        try:
            entries = read_manifest(path)
        except ManifestError as error:
            message = str(error)
            assert message.startswith(f"{path}: ") and "\n" not in message and "\r" not in message
            assert SECRET not in message
            assert " line " in message
            return
    text = data.decode("utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    assert len(entries) == sum(1 for line in lines[1:] if line)  # no row swallowed


@settings(max_examples=100, **SETTINGS)
@given(_csv_bytes, st.booleans())
def test_any_corrections_file_is_read_or_is_one_error_that_does_not_echo_a_foreign_file(data, with_header):
    header = "row_id,action,field,value,note\n".encode("utf-8") if with_header else b""
    with tempfile.TemporaryDirectory(prefix="corrections_") as tmp:
        path = Path(tmp) / "c.csv"
        path.write_bytes(header + data if not data.startswith((b"\xff\xfe", b"\xfe\xff")) else data)
        try:
            read_corrections(path)
        except CorrectionsError as error:
            message = str(error)
            assert message.startswith(f"{path}:") and "\n" not in message and "\r" not in message
            if ":1: " in message:  # the first line was the problem: this may be no corrections file
                assert SECRET not in message
