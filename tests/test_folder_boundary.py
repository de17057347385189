"""Safe to publish: the loader reads only what is inside the articles folder, never opens a
special file, and a manifest or corrections file it cannot use stops the run with one line
that names the file and the line without repeating what the file holds.

| Input                                                        | Outcome |
|--------------------------------------------------------------|---------|
| `x.txt` -> /etc/passwd, -> ../private/secret.txt, -> /proc/self/status, -> a folder outside, dangling to outside | rejected unread: `symlink outside the articles folder` |
| `x.txt` -> `real.txt` (or a path into a sub-folder, or back in through `..`) | rejected unread: `symlink to real.txt` (the target is read under its own name, once) |
| entry swapped for a symlink or a FIFO between the check and the open | rejected (`O_NOFOLLOW`, `O_NONBLOCK`, then `fstat`): nothing read, nothing blocks |
| socket, character device                                     | rejected unopened: `unreadable: not a regular file` |
| a file whose size reads 0 (/proc) but holds more             | at most max_bytes + 1 bytes read: `too large: over N bytes` |
| `manifest.csv` / `corrections.csv` -> a file outside          | error (exit 2) `symlink outside the articles folder`; use --manifest / --corrections to name it |
| `--manifest` / `--corrections` naming a file elsewhere, or a symlink | read: the user named it |
| manifest: unclosed quote, ragged row, NUL, not UTF-8/UTF-16   | ManifestError `<path>: line N: ...` (exit 2) |
| manifest in UTF-16 with BOM                                   | read like UTF-8 |
| `--manifest /etc/shadow`-like file                           | `<path>: line 1: not a manifest header (expected columns ...)`: nothing of the file in the message |
"""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

from analysis import cli
from analysis.corrections import CorrectionsError, find_corrections, read_corrections
from analysis.load import ManifestError, load_corpus, read_article, read_manifest

from conftest import deadline


MARKER = "SECRET-MARKER-7f3a"
OUTSIDE = "symlink outside the articles folder"
# A file that would load as an article (and give a troop figure) if the loader read it.
SECRET_ARTICLE = (f"date: 2024-10-20\n\n{MARKER} Zelensky said about 3,000 North Korean troops "
                  f"had arrived in Kursk, {MARKER} officials said.\n")
ARTICLE = "date: 2024-10-21\n\nThe Pentagon said 10,000 North Korean soldiers were in Russia. Peskov denied it.\n"
CORRECTIONS_HEADER = "row_id,action,field,value,note\n"


@pytest.fixture
def layout(tmp_path):
    """tmp/articles (one real article, a sub-folder) and tmp/private (a secret article, a
    secret password-file line, a valid manifest and corrections file)."""
    articles = tmp_path / "articles"
    private = tmp_path / "private"
    articles.mkdir()
    private.mkdir()
    (articles / "real.txt").write_text(ARTICLE, encoding="utf-8")
    (articles / "sub").mkdir()
    (articles / "sub" / "inner.txt").write_text(ARTICLE.replace("10,000", "11,000"), encoding="utf-8")
    (private / "secret.txt").write_text(SECRET_ARTICLE, encoding="utf-8")
    (private / "shadow").write_text(f"{MARKER}:$6$salt$hash:19000:0:99999:7:::\nroot:x:0:0\n", encoding="utf-8")
    (private / "manifest.csv").write_text(f"article_id,date,title\nreal,2024-10-01,{MARKER}\n", encoding="utf-8")
    (private / "corrections.csv").write_text(CORRECTIONS_HEADER + f"real-c1-UKR-claim,drop,,,{MARKER}\n",
                                             encoding="utf-8")
    return tmp_path


def _reasons(corpus) -> dict[str, str]:
    return {r.file: r.reason for r in corpus.rejected}


def _no_marker(corpus) -> None:
    for article in corpus.articles:
        for value in (article.body, article.title, article.outlet, article.url, article.date, *article.warnings):
            assert MARKER not in value
    for rejected in corpus.rejected:
        assert MARKER not in rejected.reason


# --- symlinks out of and into the folder --------------------------------------------------------

def test_symlinks_to_anything_outside_the_folder_are_rejected_unread(layout):
    articles = layout / "articles"
    links = {
        "passwd.txt": "/etc/passwd",
        "private.txt": "../private/secret.txt",
        "private_abs.txt": str(layout / "private" / "secret.txt"),
        "status.txt": "/proc/self/status",
        "etc.txt": "/etc",
        "private_dir": "../private",
        "page.html": "../private/secret.txt",
        "notes.md": "../private/secret.txt",
        "gone.txt": "/nonexistent-folder/gone.txt",
    }
    for name, target in links.items():
        (articles / name).symlink_to(target)
    corpus = load_corpus(articles)
    assert [a.file for a in corpus.articles] == ["real.txt"]
    reasons = _reasons(corpus)
    assert {name: reasons[name] for name in links} == {name: OUTSIDE for name in links}
    _no_marker(corpus)


def test_symlinks_inside_the_folder_are_rejected_naming_their_target(layout):
    articles = layout / "articles"
    links = {
        "alias.txt": ("real.txt", "symlink to real.txt"),
        "alias_abs.txt": (str(articles / "real.txt"), "symlink to real.txt"),
        "round_trip.txt": ("../articles/real.txt", "symlink to real.txt"),
        "into_sub.txt": ("sub/inner.txt", "symlink to sub/inner.txt"),
        "sub_link": ("sub", "symlink to sub"),
    }
    for name, (target, _) in links.items():
        (articles / name).symlink_to(target)
    corpus = load_corpus(articles)
    assert [a.file for a in corpus.articles] == ["real.txt"]
    reasons = _reasons(corpus)
    assert {name: reasons[name] for name in links} == {name: reason for name, (_, reason) in links.items()}


def test_folder_given_through_a_symlink_judges_links_by_the_real_folder(layout):
    articles = layout / "articles"
    (articles / "alias.txt").symlink_to("real.txt")
    (articles / "private.txt").symlink_to("../private/secret.txt")
    (layout / "link_to_articles").symlink_to("articles")
    corpus = load_corpus(layout / "link_to_articles")
    assert [a.file for a in corpus.articles] == ["real.txt"]
    assert _reasons(corpus)["alias.txt"] == "symlink to real.txt"
    assert _reasons(corpus)["private.txt"] == OUTSIDE


def test_read_article_on_a_symlink_judges_it_against_its_own_folder(layout):
    articles = layout / "articles"
    (articles / "private.txt").symlink_to("../private/secret.txt")
    (articles / "alias.txt").symlink_to("real.txt")
    assert read_article(articles / "private.txt", "private").reason == OUTSIDE
    assert read_article(articles / "alias.txt", "alias").reason == "symlink to real.txt"


def _pretend_regular(monkeypatch, path: Path, like: Path) -> None:
    """The first os.stat / os.lstat of `path` answers as for the regular file `like`, later ones
    truly: the entry was a regular file when it was checked and is something else when opened."""
    real_stat, real_lstat = os.stat, os.lstat
    target = os.fspath(path)
    checked = []

    def once(real):
        def fake(p, *args, **kwargs):
            if os.fspath(p) == target and not checked:
                checked.append(p)
                return real(like)
            return real(p, *args, **kwargs)
        return fake

    monkeypatch.setattr(os, "stat", once(real_stat))
    monkeypatch.setattr(os, "lstat", once(real_lstat))


def test_a_file_swapped_for_a_symlink_after_the_check_is_not_followed(layout, monkeypatch):
    articles = layout / "articles"
    (articles / "swapped.txt").symlink_to("../private/secret.txt")
    _pretend_regular(monkeypatch, articles / "swapped.txt", articles / "real.txt")
    result = read_article(articles / "swapped.txt", "swapped")
    assert getattr(result, "reason", None) == OUTSIDE, result


def test_a_file_swapped_for_a_fifo_after_the_check_does_not_block(layout, monkeypatch):
    articles = layout / "articles"
    os.mkfifo(articles / "pipe.txt")
    _pretend_regular(monkeypatch, articles / "pipe.txt", articles / "real.txt")
    with deadline(5):
        result = read_article(articles / "pipe.txt", "pipe")
    assert getattr(result, "reason", None) == "unreadable: not a regular file", result


def test_socket_and_device_are_rejected_unopened(tmp_path, monkeypatch):
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(tmp_path / "sock.txt"))
    try:
        os.mknod(tmp_path / "null.txt", stat.S_IFCHR | 0o600, os.makedev(1, 3))
        devices = ["null.txt"]
    except (PermissionError, OSError):
        devices = []  # not allowed to make device nodes here
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda p, *a, **k: opened.append(os.fspath(p)) or real_open(p, *a, **k))
    try:
        corpus = load_corpus(tmp_path)
    finally:
        server.close()
    assert _reasons(corpus) == {name: "unreadable: not a regular file" for name in ["sock.txt", *devices]}
    assert not [p for p in opened if p.endswith(("sock.txt", "null.txt"))]


def test_a_file_that_reports_size_zero_is_still_held_to_the_limit():
    """/proc files report st_size 0: the limit holds on the bytes read, not the size reported."""
    result = read_article(Path("/proc/self/status"), "status", max_bytes=10)
    assert result.reason == "too large: over 10 bytes"


def test_extract_never_writes_what_is_outside_the_folder(layout, capsys):
    articles = layout / "articles"
    (articles / "private.txt").symlink_to("../private/secret.txt")
    (articles / "private_abs.txt").symlink_to(layout / "private" / "secret.txt")
    (articles / "passwd.txt").symlink_to("/etc/passwd")
    out = layout / "out"
    assert cli.main(["extract", "--articles", str(articles), "--out", str(out)]) == 0, capsys.readouterr()
    captured = capsys.readouterr()
    assert MARKER not in captured.out + captured.err
    written = [path for path in out.rglob("*") if path.is_file()]
    assert written
    for path in written:
        assert MARKER.encode() not in path.read_bytes(), path


# --- the folder's own manifest.csv and corrections.csv ------------------------------------------

def test_folder_manifest_that_is_a_symlink_outside_is_an_error_not_read(layout):
    articles = layout / "articles"
    (articles / "manifest.csv").symlink_to("../private/manifest.csv")
    with pytest.raises(ManifestError) as error:
        load_corpus(articles)
    message = str(error.value)
    assert OUTSIDE in message and "--manifest" in message and str(articles / "manifest.csv") in message
    assert MARKER not in message


def test_folder_manifest_pointing_at_a_password_file_does_not_print_it(layout, capsys):
    articles = layout / "articles"
    (articles / "manifest.csv").symlink_to("../private/shadow")
    code = cli.main(["extract", "--articles", str(articles), "--out", str(layout / "out")])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: ") and OUTSIDE in err and MARKER not in err


def test_folder_manifest_that_is_a_symlink_inside_is_used(layout):
    articles = layout / "articles"
    (articles / "meta").mkdir()
    (articles / "meta" / "m.csv").write_text("article_id,date\nreal,2024-10-21\n", encoding="utf-8")
    (articles / "manifest.csv").symlink_to("meta/m.csv")
    corpus = load_corpus(articles)
    assert [(a.article_id, a.date) for a in corpus.articles] == [("real", "2024-10-21")]
    assert "manifest.csv" not in _reasons(corpus)


def test_a_named_manifest_may_live_anywhere_and_be_a_symlink(layout):
    (layout / "named.csv").symlink_to("private/manifest.csv")
    corpus = load_corpus(layout / "articles", layout / "named.csv")
    assert corpus.articles[0].title == MARKER  # the user named it: it is read


def test_a_named_manifest_that_is_a_fifo_is_an_error_and_does_not_block(layout):
    os.mkfifo(layout / "pipe.csv")
    with deadline(5), pytest.raises(ManifestError, match="pipe.csv"):
        load_corpus(layout / "articles", layout / "pipe.csv")


def test_a_named_manifest_is_held_to_a_size_limit_even_at_size_zero(layout, monkeypatch):
    import analysis.load as load

    monkeypatch.setattr(load, "MAX_MANIFEST_BYTES", 10)
    with pytest.raises(ManifestError, match="over 10 bytes"):
        read_manifest(Path("/proc/self/status"))


def test_folder_corrections_that_is_a_symlink_outside_is_an_error_not_read(layout):
    articles = layout / "articles"
    (articles / "corrections.csv").symlink_to("../private/shadow")
    with pytest.raises(CorrectionsError) as error:
        read_corrections(find_corrections(articles))
    message = str(error.value)
    assert OUTSIDE in message and "--corrections" in message and MARKER not in message


def test_folder_corrections_symlink_outside_stops_extract_without_printing_it(layout, capsys):
    articles = layout / "articles"
    (articles / "corrections.csv").symlink_to("../private/corrections.csv")
    code = cli.main(["extract", "--articles", str(articles), "--out", str(layout / "out")])
    err = capsys.readouterr().err
    assert code == 2 and OUTSIDE in err and MARKER not in err


def test_named_corrections_elsewhere_are_read(layout):
    (layout / "named.csv").symlink_to("private/corrections.csv")
    assert [c.note for c in read_corrections(find_corrections(layout / "articles", layout / "named.csv")).items] == [MARKER]


def test_folder_corrections_symlink_inside_is_metadata(layout):
    articles = layout / "articles"
    (articles / "meta").mkdir()
    (articles / "meta" / "c.csv").write_text(CORRECTIONS_HEADER, encoding="utf-8")
    (articles / "corrections.csv").symlink_to("meta/c.csv")
    assert read_corrections(find_corrections(articles)).items == []
    assert "corrections.csv" not in _reasons(load_corpus(articles))


# --- the manifest parsed strictly -------------------------------------------------------------

@pytest.mark.parametrize("content, problem", [
    (b'article_id,date\na,"2024-10-05\nb,2024-10-06\n', "line 2: unclosed quote"),
    (b'article_id,date,title\na,2024-10-05,"Two\nlines"\nb,2024-10-06,x\n',
     "line 2: unclosed quote (the field runs on to line 3)"),
    (b"article_id,date\na,2024-10-05\nb,2024-10-06,extra\n", "line 3: 3 fields, the header has 2"),
    (b"article_id,date,outlet\na,2024-10-05\n", "line 2: 2 fields, the header has 3"),
    (b"article_id,date\na,2024-10-05\nb,2024\x00-10-06\n", "line 3: NUL character"),
    (b"article_id,date,title\na,2024-10-05,caf\xe9\n", "line 2: not UTF-8 or UTF-16 text"),
    (b"\xff\xfe" + "article_id,date\na,2024-10-05".encode("utf-16-le") + b"\x00\xd8" + "\n".encode("utf-16-le"),
     "line 2: not UTF-8 or UTF-16 text"),
    (b"article_id,date\na,2024-10-05\na,2024-10-06\n", "line 3 repeats the article_id of line 2"),
    (b"article_id,date\n,2024-10-05\n", "line 2 has no article_id"),
])
def test_a_bad_manifest_is_one_error_naming_file_and_line(tmp_path, content, problem):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE.replace("10,000", "12,000"), encoding="utf-8")
    (tmp_path / "manifest.csv").write_bytes(content)
    with pytest.raises(ManifestError) as error:
        load_corpus(tmp_path)
    message = str(error.value)
    assert message.startswith(f"{tmp_path / 'manifest.csv'}: ") and problem in message and "\n" not in message


def test_a_bad_manifest_stops_extract_with_exit_2(tmp_path, capsys):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (articles / "manifest.csv").write_text('article_id,date\na,"2024-10-05\nb,2024-10-06\n', encoding="utf-8")
    assert cli.main(["extract", "--articles", str(articles), "--out", str(tmp_path / "out")]) == 2
    assert "manifest.csv: line 2: unclosed quote" in capsys.readouterr().err


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16-le", "utf-16-be"])
def test_manifest_with_a_bom_is_read(tmp_path, encoding):
    (tmp_path / "a.txt").write_text(ARTICLE.replace("date: 2024-10-21\n\n", ""), encoding="utf-8")
    text = "article_id,date,title\r\na,2024-10-05,Caf\u00e9 \u201cnews\u201d\r\n"
    bom = {"utf-8-sig": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    (tmp_path / "manifest.csv").write_bytes(bom + text.encode(encoding))
    article = load_corpus(tmp_path).articles[0]
    assert (article.date, article.date_source, article.title) == ("2024-10-05", "manifest", "Caf\u00e9 \u201cnews\u201d")


@pytest.mark.parametrize("first_line", [
    f"{MARKER}:$6$salt$hash:19000:0:99999:7:::",
    f"article_id,{MARKER}",
    f"{MARKER},date",
])
def test_a_file_that_is_no_manifest_is_not_echoed(tmp_path, capsys, first_line):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text(ARTICLE, encoding="utf-8")
    secret = tmp_path / "shadow"
    secret.write_text(first_line + "\nroot:x:0:0\n", encoding="utf-8")
    with pytest.raises(ManifestError) as error:
        load_corpus(articles, secret)
    message = str(error.value)
    assert message.startswith(f"{secret}: line 1: ") and MARKER not in message
    assert "article_id, date, outlet, url, title, date_basis" in message
    code = cli.main(["extract", "--articles", str(articles), "--manifest", str(secret), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: ") and MARKER not in err


def test_a_manifest_value_is_not_echoed_in_errors(tmp_path):
    (tmp_path / "manifest.csv").write_text(f'article_id,date\n{MARKER},2024-10-05\n{MARKER},"x\n', encoding="utf-8")
    with pytest.raises(ManifestError) as error:
        load_corpus(tmp_path)
    assert MARKER not in str(error.value)


def test_blank_lines_in_a_manifest_are_skipped(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE.replace("date: 2024-10-21\n\n", ""), encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("article_id,date\n\na,2024-10-05\n\n", encoding="utf-8")
    assert load_corpus(tmp_path).articles[0].date == "2024-10-05"


# --- the corrections file read as strictly ---------------------------------------------------

def test_a_corrections_file_that_is_no_corrections_file_is_not_echoed(tmp_path):
    secret = tmp_path / "shadow"
    secret.write_text(f"{MARKER}:$6$salt$hash:19000\n", encoding="utf-8")
    with pytest.raises(CorrectionsError) as error:
        read_corrections(secret)
    message = str(error.value)
    assert message.startswith(f"{secret}:1: header must be row_id,action,field,value,note") and MARKER not in message


@pytest.mark.parametrize("bom, encoding", [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")])
def test_corrections_in_utf16_with_bom_are_read(tmp_path, bom, encoding):
    path = tmp_path / "corrections.csv"
    path.write_bytes(bom + (CORRECTIONS_HEADER + "real-c1-UKR-claim,drop,,,caf\u00e9\n").encode(encoding))
    assert [c.note for c in read_corrections(path).items] == ["caf\u00e9"]


def test_corrections_not_utf8_name_the_line(tmp_path):
    path = tmp_path / "corrections.csv"
    path.write_bytes(CORRECTIONS_HEADER.encode() + b"real-c1-UKR-claim,drop,,,caf\xe9\n")
    with pytest.raises(CorrectionsError, match=r"corrections.csv:2: not UTF-8 or UTF-16 text"):
        read_corrections(path)


def test_a_line_separator_inside_a_correction_note_is_not_a_line_end(tmp_path):
    path = tmp_path / "corrections.csv"
    path.write_text(CORRECTIONS_HEADER + 'real-c1-UKR-claim,drop,,,"a\u2028b\x0cc"\nreal-c2-UKR-claim,drop,,,d\n',
                    encoding="utf-8")
    items = read_corrections(path).items
    assert [(c.line, c.note) for c in items] == [(2, "a\u2028b\x0cc"), (3, "d")]


def test_a_named_corrections_fifo_does_not_block(tmp_path):
    os.mkfifo(tmp_path / "pipe.csv")
    with deadline(5), pytest.raises(CorrectionsError, match="pipe.csv"):
        read_corrections(tmp_path / "pipe.csv")
