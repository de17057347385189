"""Step 1 of the flow: read a folder of articles (.txt files, and web pages saved as .html /
.htm) into a Corpus.

Every file in the folder ends up exactly once either in `Corpus.articles` or in
`Corpus.rejected` (with a reason); nothing raises for a bad file. Offsets everywhere in the
project are character offsets into `Article.body`: the decoded text with line ends turned
into "\\n" and the metadata header removed; for a web page, the main text trafilatura finds
(analysis.webpage). Every date (header, manifest, page) goes through analysis.dates.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import errno
import hashlib
import io
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where frames are built: worker processes never need it
    import pandas as pd

from .dates import normalise_date
from .schema import TABLES
from .sentences import split_sentences

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
SYMLINK_OUTSIDE = "symlink outside the articles folder"
MANIFEST_NAME = "manifest.csv"
CORRECTIONS_NAME = "corrections.csv"  # a reviewer's corrections (analysis.corrections): metadata, not an article
MANIFEST_COLUMNS = ("article_id", "date", "outlet", "url", "title", "date_basis")
TEXT_SUFFIX = ".txt"
HTML_SUFFIXES = (".html", ".htm")
ARTICLE_SUFFIXES = (TEXT_SUFFIX, *HTML_SUFFIXES)

ARTICLE_COLUMNS = list(TABLES["articles"].columns)
REJECTED_COLUMNS = list(TABLES["rejected"].columns)

# One character for one character, so offsets in the normalised copy are offsets in the body.
_MATCHING_MAP = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ",
    "\u2010": "-", "\u2011": "-",
})
_MATCHING_PAIRS = tuple((chr(code), plain) for code, plain in _MATCHING_MAP.items())

# ` date 2024-10-12 According to ...`: the header shares its line with the body.
_INLINE_DATE = re.compile(r"\A[ \t]*date:?[ \t]+(\S+)[ \t]+(?=\S)", re.IGNORECASE)
_HEADER_LINE = re.compile(r"[ \t]*(date|title|outlet|url)[ \t]*:?[ \t]*(.*?)[ \t]*\Z", re.IGNORECASE)
_HEADER_LINE_STRICT = re.compile(r"[ \t]*(date|title|outlet|url)[ \t]*:[ \t]*(.*?)[ \t]*\Z", re.IGNORECASE)
_ISO_DATE = re.compile(r"\A(\d{4})-(\d{1,2})-(\d{1,2})\Z")
# "What Happened:" / "Why It Matters:" at a paragraph start: a few capitalised words and a colon.
_SECTION_LABEL = re.compile(
    r"((?:[A-Z][\w'’-]*)(?:[ \t]+(?:[A-Z][\w'’-]*|a|an|and|of|the|to|in|on|for|is|it)){0,5}):[ \t]+(?=\S)"
)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article body; start/end are offsets into `Article.body`."""

    sentence_no: int
    paragraph_no: int
    start: int
    end: int
    text: str
    label: str = ""


@dataclass(frozen=True)
class Article:
    """A loaded article: metadata, the body as written, a normalised copy for matching, sentences."""

    article_id: str
    file: str
    date: str
    date_source: str
    outlet: str
    title: str
    url: str
    body: str
    body_norm: str
    sentences: tuple[Sentence, ...]
    sha256: str
    warnings: tuple[str, ...] = ()

    @property
    def n_chars(self) -> int:
        return len(self.body)

    @property
    def n_sentences(self) -> int:
        return len(self.sentences)

    @property
    def duplicate_key(self) -> str:
        return _duplicate_key(self.body_norm)


@dataclass(frozen=True)
class Rejected:
    """A file that is not in the corpus, and why."""

    file: str
    reason: str


@dataclass
class Corpus:
    """Articles sorted by article_id and rejected files sorted by file name."""

    articles: list[Article] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    source: str = ""
    manifest: str = ""
    notes: list[str] = field(default_factory=list)
    # Where each loaded article was read from ({article_id: Job}): an article kept as metadata
    # only (extract.ExtractedArticle) is read again from there when its text is needed.
    sources: dict[str, "Job"] = field(default_factory=dict, repr=False)

    def full_article(self, article: object) -> Article:
        """`article` with its text: itself when it is an Article, else its file read again.
        ArticleChanged when the file no longer holds the bytes it was extracted from (its
        rows' offsets would point into another text)."""
        if isinstance(article, Article):
            return article
        article_id, name = getattr(article, "article_id"), getattr(article, "file")
        job = self.sources.get(article_id)
        if job is None:
            raise ArticleChanged(f"{name}: not read from this corpus's folder")
        again = read_article(Path(job[0]), job[1], job[2], job[3])
        if isinstance(again, Rejected):
            raise ArticleChanged(f"{name}: cannot be read again ({again.reason}); run again")
        if again.sha256 != getattr(article, "sha256"):
            raise ArticleChanged(f"{name}: changed while the run was reading the folder; run again")
        return again

    def articles_frame(self) -> pd.DataFrame:
        """The articles table (columns ARTICLE_COLUMNS), one row per article, sorted by article_id."""
        import pandas as pd

        rows = [
            {
                "article_id": a.article_id, "file": a.file, "date": a.date,
                "date_source": a.date_source, "outlet": a.outlet, "title": a.title,
                "url": a.url, "n_chars": a.n_chars, "n_sentences": a.n_sentences,
                "sha256": a.sha256, "warnings": "; ".join(a.warnings),
            }
            for a in self.articles
        ]
        return pd.DataFrame(rows, columns=ARTICLE_COLUMNS)

    def rejected_frame(self) -> pd.DataFrame:
        """The rejected-files table (columns file, reason), sorted by file."""
        import pandas as pd

        return pd.DataFrame([(r.file, r.reason) for r in self.rejected], columns=REJECTED_COLUMNS)

    def problems(self) -> list[str]:
        """One line per problem: each rejected file and each article warning."""
        lines = [f"rejected {r.file}: {r.reason}" for r in self.rejected]
        lines.extend(f"note {n}" for n in self.notes)
        for a in self.articles:
            lines.extend(f"warning {a.file}: {w}" for w in a.warnings)
        return lines


class ManifestError(ValueError):
    """The manifest file cannot be used; the message names the file and the problem."""


class ArticleChanged(ValueError):
    """An article read again for its text is not the one extracted; the message names the file."""


def normalise_for_matching(text: str) -> str:
    """Typographic quotes, apostrophes and odd spaces replaced by plain ones, same length as `text`."""
    if text.isascii():
        return text
    # A few replace() calls for the characters present: str.translate with a dict looks up every
    # character in Python: about 3% of extraction time on the bench corpus.
    for char, plain in _MATCHING_PAIRS:
        if char in text:
            text = text.replace(char, plain)
    return text


def decode_bytes(data: bytes) -> tuple[str, list[str]]:
    """Bytes of a text file -> (text with "\\n" line ends, warnings).

    UTF-8 with or without BOM and UTF-16 with BOM are read as such; anything else is read as
    cp1252 with a warning (undefined cp1252 bytes become U+FFFD)."""
    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
        if "\ufffd" in text:
            warnings.append("invalid UTF-8 after a UTF-8 BOM; bad bytes replaced")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
        if "\ufffd" in text:
            warnings.append("invalid UTF-16; bad units replaced")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            text = data.decode("cp1252", errors="replace")
            warnings.append(f"not valid UTF-8 (byte {error.start}); decoded as cp1252")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, warnings


def parse_iso_date(value: str) -> str | None:
    """'2024-10-12' -> '2024-10-12' (zero-padded); None when it is not a real calendar date."""
    match = _ISO_DATE.match(value.strip())
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return None


@dataclass(frozen=True)
class Header:
    """The metadata header at the top of a .txt article.

    `fields`: values as written, by key; `lines`: the line (from 1) of each key's value;
    `body_start`: offset where the body starts; `problems`: header lines kept out of the body
    but not used (a repeated key), as warnings."""

    fields: dict[str, str]
    lines: dict[str, int]
    body_start: int
    problems: tuple[str, ...] = ()


def _loose_date_line(line: str) -> re.Match | None:
    """`date 2024-10-12` or `Date October 30, 2024` alone on a line (no colon): a header line
    only when the value starts with a digit or reads as a date, so `Date palms ...` is body."""
    if not line.lstrip()[:4].lower() == "date":
        return None
    match = _HEADER_LINE.match(line)
    if not match or match.group(1).lower() != "date":
        return None
    value = match.group(2)
    if re.match(r"\d", value) or normalise_date(value)[0] is not None:
        return match
    return None


def read_header(text: str) -> Header:
    """The metadata header at the top of an article text (see Header).

    Two forms: a leading ` date 2024-10-12 ` sharing its line with the body, or lines
    `date: ...`, `title: ...`, `outlet: ...`, `url: ...` before the body. A line with one of
    those keys and a colon belongs to the header whatever its value (a value that is not a
    date is dropped by the reader with a warning, never read as body text); a repeated key
    stays in the header too, the first value kept."""
    inline = _INLINE_DATE.match(text)
    if inline and re.match(r"\d", inline.group(1)):
        return Header({"date": inline.group(1)}, {"date": 1}, inline.end())
    fields: dict[str, str] = {}
    lines: dict[str, int] = {}
    problems: list[str] = []
    offset = 0
    line_no = 0
    while offset < len(text):
        newline = text.find("\n", offset)
        line_end = len(text) if newline < 0 else newline
        line = text[offset:line_end]
        match = _HEADER_LINE_STRICT.match(line) or _loose_date_line(line)
        if not match:
            break
        line_no += 1
        key = match.group(1).lower()
        if key in fields:
            problems.append(f"line {line_no}: repeated {key!r} ignored, the first (line {lines[key]}) kept")
        else:
            fields[key] = match.group(2)
            lines[key] = line_no
        offset = line_end + 1
    if not fields:
        return Header({}, {}, 0)
    return Header(fields, lines, offset, tuple(problems))


def split_header(text: str) -> tuple[dict[str, str], int]:
    """Metadata header at the top of an article -> (fields as written, offset where the body
    starts); see read_header."""
    header = read_header(text)
    return header.fields, header.body_start


def paragraph_spans(body: str) -> list[tuple[int, int]]:
    """Paragraph spans of a body: blank lines separate paragraphs when the body has any
    (single newlines inside are line wraps); otherwise every line is a paragraph."""
    separator = _BLANK_LINE if _BLANK_LINE.search(body) else re.compile(r"\n")
    spans = []
    start = 0
    for match in separator.finditer(body):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(body)))
    return [(s, e) for s, e in spans if body[s:e].strip()]


def split_body(body: str) -> tuple[Sentence, ...]:
    """Sentences of a body, numbered from 1, with paragraph numbers and section labels.

    A section label such as "What Happened:" at a paragraph start is kept out of the sentence."""
    sentences: list[Sentence] = []
    for paragraph_no, (p_start, p_end) in enumerate(paragraph_spans(body), start=1):
        lead = len(body[p_start:p_end]) - len(body[p_start:p_end].lstrip())
        p_start += lead
        label = ""
        label_match = _SECTION_LABEL.match(body, p_start, p_end)
        if label_match:
            label = label_match.group(1)
            p_start = label_match.end()
        for s_start, s_end in split_sentences(body[p_start:p_end]):
            start, end = p_start + s_start, p_start + s_end
            sentences.append(Sentence(len(sentences) + 1, paragraph_no, start, end, body[start:end], label))
    return tuple(sentences)


# Files are opened without following a symlink in the last component (O_NOFOLLOW) and without
# waiting for a writer (O_NONBLOCK: a FIFO swapped in after the check opens at once), then
# checked again on the open descriptor (fstat): what is read is what was checked.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW_FLAGS = _OPEN_FLAGS | getattr(os, "O_NOFOLLOW", 0)
_READ_CHUNK = 1 << 16


def _unreadable(error: OSError) -> str:
    return f"unreadable: {error.strerror or error}"


def is_inside(real_path: str, real_folder: str) -> bool:
    """Whether a resolved path is the resolved folder or lies under it."""
    return real_path == real_folder or real_path.startswith(real_folder.rstrip(os.sep) + os.sep)


def symlink_reason(path: str | os.PathLike, folder: str | os.PathLike, real_folder: str | None = None) -> str:
    """Why a symlink in `folder` is not read: `symlink outside the articles folder` when its target
    resolves outside the folder (decided before anything is opened, so nothing about the outside
    shows), `unreadable: ...` for a dangling link or a loop, else `symlink to <name>` (the target is
    inside the folder and is read under its own name, or not at all when it is in a sub-folder)."""
    real_folder = real_folder or os.path.realpath(folder)
    target = os.path.realpath(path)
    if not is_inside(target, real_folder):
        return SYMLINK_OUTSIDE
    try:
        os.stat(path)
    except OSError as error:
        return _unreadable(error)
    return f"symlink to {display_name(os.path.relpath(target, real_folder))}"


def _read_fd(fd: int, limit: int, size_hint: int) -> bytes:
    """At most `limit` bytes from fd. The size from fstat is only a hint: /proc files say 0."""
    parts = []
    total = 0
    want = max(size_hint + 1, _READ_CHUNK)
    while total < limit:
        chunk = os.read(fd, min(limit - total, want))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _read_checked(path: str | os.PathLike, info: os.stat_result, limit: int, flags: int,
                  on_symlink: Callable[[], str]) -> bytes | str:
    """The bytes of a file that `info` (lstat/stat) says is regular and small enough, or why not.
    A non-regular file is never opened; a file swapped after the check is caught on the open
    descriptor. At most limit + 1 bytes are read, whatever size the file reports."""
    if not stat.S_ISREG(info.st_mode):
        return "unreadable: not a regular file"  # a FIFO, socket or device would block or never end
    if info.st_size > limit:
        return f"too large: {info.st_size} bytes (limit {limit})"
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP and flags & getattr(os, "O_NOFOLLOW", 0):
            return on_symlink()  # replaced by a symlink since the check
        return _unreadable(error)
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            return "unreadable: not a regular file"
        if opened.st_size > limit:
            return f"too large: {opened.st_size} bytes (limit {limit})"
        data = _read_fd(fd, limit + 1, opened.st_size)
    except OSError as error:
        return _unreadable(error)
    finally:
        os.close(fd)
    if len(data) > limit:
        return f"too large: over {limit} bytes"
    return data


def read_metadata_file(path: str | os.PathLike, limit: int, folder: str | os.PathLike | None = None) -> bytes | str:
    """The bytes of a metadata file (a manifest, a corrections file), or why it cannot be read.

    With `folder` (the file is the folder's own manifest.csv / corrections.csv) a symlink must
    resolve inside the folder (else SYMLINK_OUTSIDE) and the file is opened at its resolved path
    without following links; without it (a file the user named) links are followed. Either way
    only a regular file is opened, without blocking, and at most limit + 1 bytes are read."""
    open_path = os.fspath(path)
    flags = _OPEN_FLAGS
    if folder is not None:
        flags = _NOFOLLOW_FLAGS
        try:
            if stat.S_ISLNK(os.lstat(open_path).st_mode):
                open_path = os.path.realpath(open_path)
                if not is_inside(open_path, os.path.realpath(folder)):
                    return SYMLINK_OUTSIDE
        except OSError as error:
            return _unreadable(error)
    try:
        info = os.stat(open_path)
    except OSError as error:
        return _unreadable(error)
    return _read_checked(open_path, info, limit, flags, lambda: "unreadable: replaced by a symlink while being opened")


def decode_metadata(data: bytes) -> str | tuple[int, str]:
    """Bytes of a metadata CSV -> text with "\\n" line ends, or (line, problem). UTF-8 with or
    without BOM and UTF-16 with BOM, as articles; anything else is an error, never a guess."""
    bom = 0
    codec = "utf-8"
    if data.startswith(b"\xef\xbb\xbf"):
        bom = 3
    elif data.startswith(b"\xff\xfe"):
        bom, codec = 2, "utf-16-le"
    elif data.startswith(b"\xfe\xff"):
        bom, codec = 2, "utf-16-be"
    body = data[bom:]
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as error:
        line = body[:error.start].decode(codec, "replace").count("\n") + 1
        return line, f"not UTF-8 or UTF-16 text (byte {bom + error.start})"
    return text.replace("\r\n", "\n").replace("\r", "\n")


class CsvProblem(ValueError):
    """A CSV text that cannot be read record by record: `line` (from 1) and `problem`, which never
    quotes the text."""

    def __init__(self, line: int, problem: str):
        super().__init__(f"line {line}: {problem}")
        self.line = line
        self.problem = problem


def strict_csv_records(text: str):
    """(line, cells) for every record of a CSV text ("\\n" line ends), a blank line as (line, []).

    Strict: a NUL character, a quoted field that runs past its line (an unclosed quote, which a
    lenient reader lets swallow the rows after it) or malformed quoting raises CsvProblem
    naming the line. No field of a manifest or a corrections file spans lines."""
    if "\x00" in text:
        raise CsvProblem(text[:text.index("\x00")].count("\n") + 1, "NUL character")
    reader = csv.reader(io.StringIO(text, newline="\n"), strict=True)
    record_end = 0
    try:
        for cells in reader:
            start, record_end = record_end + 1, reader.line_num
            if record_end != start:
                raise CsvProblem(start, f"unclosed quote (the field runs on to line {record_end})")
            yield start, cells
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise CsvProblem(record_end + 1, "unclosed quote (the field runs to the end of the file)") from error
        raise CsvProblem(record_end + 1, f"malformed CSV: {error}") from error


def read_manifest(path: str | os.PathLike, folder: str | os.PathLike | None = None) -> dict[str, dict[str, str]]:
    """manifest.csv -> {article_id: {column: value}}; ManifestError names the file, the line and
    the problem, and never repeats what the file holds (it may be any file the user named).

    `folder`: the manifest is the folder's own manifest.csv, which must not lead outside it (see
    read_metadata_file). Strict: the header must hold article_id and only MANIFEST_COLUMNS; every
    row has as many fields as the header; an unclosed quote, a NUL or bytes that are neither
    UTF-8 nor UTF-16 (with BOM) are errors."""
    path = Path(path)
    data = read_metadata_file(path, MAX_MANIFEST_BYTES, folder)
    if isinstance(data, str):
        if data == SYMLINK_OUTSIDE:
            raise ManifestError(f"{path}: {SYMLINK_OUTSIDE}; name it with --manifest to use it")
        raise ManifestError(f"{path}: manifest {data}")
    text = decode_metadata(data)
    if isinstance(text, tuple):
        raise ManifestError(f"{path}: line {text[0]}: {text[1]}")
    expected = ", ".join(MANIFEST_COLUMNS)
    try:
        records = strict_csv_records(text)
        header_line, header = next(records, (1, []))
        columns = [c.strip() for c in header]
        if "article_id" not in columns:
            raise ManifestError(f"{path}: line {header_line}: not a manifest header "
                                f"(expected columns {expected}; article_id is required)")
        for number, column in enumerate(columns, start=1):
            if column not in MANIFEST_COLUMNS:
                raise ManifestError(f"{path}: line {header_line}: column {number} is not a manifest column "
                                    f"(expected columns {expected})")
            if columns.index(column) != number - 1:
                raise ManifestError(f"{path}: line {header_line}: column {column} appears twice")
        entries: dict[str, dict[str, str]] = {}
        first_line: dict[str, int] = {}
        for line_no, cells in records:
            if not cells:
                continue
            if len(cells) != len(columns):
                raise ManifestError(f"{path}: line {line_no}: {len(cells)} fields, the header has {len(columns)} "
                                    f"({', '.join(columns)})")
            row = {column: value.strip() for column, value in zip(columns, cells)}
            article_id = row["article_id"]
            if not article_id:
                raise ManifestError(f"{path}: line {line_no} has no article_id")
            if article_id in entries:
                raise ManifestError(f"{path}: line {line_no} repeats the article_id of line {first_line[article_id]}")
            entries[article_id] = row
            first_line[article_id] = line_no
        return entries
    except CsvProblem as problem:
        raise ManifestError(f"{path}: line {problem.line}: {problem.problem}") from problem


def file_bytes(path: str | os.PathLike, max_bytes: int) -> bytes | str:
    """A file's bytes as read_article reads them (never blocking, never through a symlink,
    at most max_bytes + 1), or the reason it is rejected."""
    return _read_limited(path, max_bytes)


def _read_limited(path: str | os.PathLike, max_bytes: int) -> bytes | str:
    """The file's bytes, or a rejection reason. One lstat before opening: a symlink is judged
    against the file's own folder (symlink_reason) and never opened; a FIFO, socket or device
    is never opened (see _read_checked)."""
    try:
        info = os.lstat(path)
    except OSError as error:
        return _unreadable(error)
    folder = os.path.dirname(os.fspath(path)) or "."
    if stat.S_ISLNK(info.st_mode):
        return symlink_reason(path, folder)
    return _read_checked(path, info, max_bytes, _NOFOLLOW_FLAGS, lambda: symlink_reason(path, folder))


def is_web_page(name: str) -> bool:
    """A file name that is read as a web page (.html / .htm, any case)."""
    return name.lower().endswith(HTML_SUFFIXES)


def article_id_of(name: str) -> str:
    """The article_id of an article file: its name without the .txt / .html / .htm suffix."""
    lower = name.lower()
    for suffix in ARTICLE_SUFFIXES:
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return name


_DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]{1,40})""", re.IGNORECASE)


def decode_html(data: bytes) -> tuple[str, list[str]] | str:
    """Bytes of a web page -> (text with "\\n" line ends, warnings), or the reason it cannot be read.

    A BOM, then valid UTF-8, then the charset the page declares in its first 4 KB (a
    <meta charset>), then cp1252 with a warning as for a .txt file. A declared charset that
    Python does not know, on bytes that are not UTF-8, is "not decodable"."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_bytes(data)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        declared = _DECLARED_CHARSET.search(data[:4096])
        if not declared:
            return decode_bytes(data)
        charset = declared.group(1).decode("ascii")
        try:
            codec = codecs.lookup(charset)
        except LookupError:
            return f"not decodable: not UTF-8 (byte {error.start}) and the declared charset {charset!r} is unknown"
        if codec.name == "utf-8":
            return decode_bytes(data)
        text = data.decode(codec.name, errors="replace")
        warnings = [f"not valid UTF-8 (byte {error.start}); decoded as the declared charset {charset}"]
        if "\ufffd" in text:
            warnings.append(f"invalid {charset}; bad bytes replaced")
        return text.replace("\r\n", "\n").replace("\r", "\n"), warnings
    return decode_bytes(data)


def read_article(path: Path, article_id: str, max_bytes: int = DEFAULT_MAX_BYTES,
                 manifest_entry: dict[str, str] | None = None, data: bytes | None = None) -> Article | Rejected:
    """One file -> an Article, or a Rejected with the reason. Never raises for the file's content.

    A .html / .htm file is a web page: its main text is the body (analysis.webpage). `data`:
    the file's bytes as file_bytes read them elsewhere (a worker on another machine gets the
    bytes, not the path)."""
    name = display_name(path.name)
    if data is None:
        data = _read_limited(path, max_bytes)
    if isinstance(data, str):
        return Rejected(name, data)
    if not data:
        return Rejected(name, "empty file")
    is_utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in data and not is_utf16:
        return Rejected(name, "binary: contains NUL bytes")
    if is_web_page(path.name):
        return _read_web_page(name, article_id, data, manifest_entry)
    text, warnings = decode_bytes(data)
    if not text.strip():
        return Rejected(name, "whitespace only")
    if "\x00" in text:
        return Rejected(name, "binary: contains NUL characters")

    header = read_header(text)
    body = text[header.body_start:].strip()
    if not body:
        return Rejected(name, "no article text after the header")
    warnings.extend(f"header ({name} {problem})" for problem in header.problems)
    where = f"header ({name} line {header.lines.get('date', 1)}"
    return _article(name, article_id, data, body, header.fields, "header", where, manifest_entry, warnings)


def _read_web_page(name: str, article_id: str, data: bytes,
                   manifest_entry: dict[str, str] | None) -> Article | Rejected:
    decoded = decode_html(data)
    if isinstance(decoded, str):
        return Rejected(name, decoded)
    text, warnings = decoded
    if not text.strip():
        return Rejected(name, "whitespace only")
    if "\x00" in text:
        return Rejected(name, "binary: contains NUL characters")
    from .webpage import extract_page  # trafilatura is imported only when there is a page to read

    page = extract_page(text)
    if isinstance(page, str):
        return Rejected(name, page)
    fields = {"date": page.date, "title": page.title, "outlet": page.outlet, "url": page.url}
    where = f"page metadata ({name} {page.date_where}"
    return _article(name, article_id, data, page.text, fields, "page", where, manifest_entry, warnings)


def _article(name: str, article_id: str, data: bytes, body: str, fields: dict[str, str], source: str,
             where: str, manifest_entry: dict[str, str] | None, warnings: list[str]) -> Article:
    """The Article from its body and metadata (`fields` from the header or the page, `source`
    "header" / "page") merged with its manifest row: the file's own date wins, with a warning
    when the manifest disagrees; a date the file writes but that cannot be read leaves the
    article undated (the manifest's date is not used in its place)."""
    entry = manifest_entry or {}
    date, date_source = "", "none"
    own_raw = fields.get("date", "")
    own_date = None
    if own_raw:
        own_date, problem = normalise_date(own_raw)
        if own_date is None:
            warnings.append(f"bad date {own_raw!r} in {where}: {problem}); date left empty")
    manifest_raw = entry.get("date", "")
    manifest_date = None
    if manifest_raw:
        manifest_date, problem = normalise_date(manifest_raw)
        if manifest_date is None:
            warnings.append(f"bad date {manifest_raw!r} in manifest ({problem}); ignored")
    if own_date:
        date, date_source = own_date, source
        if manifest_date and manifest_date != own_date:
            warnings.append(f"{source} date {own_date} differs from manifest date {manifest_date}; {source} wins")
    elif manifest_date and not own_raw:
        date, date_source = manifest_date, "manifest"

    return Article(
        article_id=article_id,
        file=name,
        date=date,
        date_source=date_source,
        outlet=fields.get("outlet") or entry.get("outlet", ""),
        title=fields.get("title") or entry.get("title", ""),
        url=fields.get("url") or entry.get("url", ""),
        body=body,
        body_norm=normalise_for_matching(body),
        sentences=split_body(body),
        sha256=hashlib.sha256(data).hexdigest(),
        warnings=tuple(warnings),
    )


def _duplicate_key(body_norm: str) -> str:
    # split() and the regex \s agree on what whitespace is; split/join is several times faster.
    return hashlib.sha256(" ".join(body_norm.split()).casefold().encode("utf-8")).hexdigest()


def display_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (surrogate escapes from the file system)
    become \\xNN, so every table, page and CSV can hold it."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def list_entries(articles_dir: Path) -> list[os.DirEntry]:
    """Folder entries sorted by name (deterministic whatever the file system's order)."""
    with os.scandir(articles_dir) as entries:
        return sorted(entries, key=lambda e: e.name)


def classify_entry(entry: os.DirEntry, real_folder: str, metadata: Callable[[os.DirEntry], bool] = lambda e: False) -> str | None:
    """None when the entry should be read as an article; else the reason it is not.

    The manifest and the other metadata files (the corrections file), as `metadata` tells,
    return "": neither article nor rejected. Every symlink is rejected unread (symlink_reason):
    one leading out of the folder, and one to an entry inside (read under its own name, once).
    Costs nothing beyond the folder listing for a plain file (d_type)."""
    if metadata(entry):
        return ""
    try:
        is_link = entry.is_symlink()
    except OSError:
        is_link = False
    if is_link:
        return symlink_reason(entry.path, "", real_folder)
    try:
        is_dir = entry.is_dir(follow_symlinks=False)
    except OSError:
        is_dir = False
    if is_dir:
        return "ignored: sub-folder (articles are read from the top folder only)"
    if not entry.name.lower().endswith(ARTICLE_SUFFIXES):
        return "ignored: not a .txt article"
    return None


def _own_file(folder: Path, real_folder: str, name: str) -> str:
    """What the folder's own metadata file `name` is: "" (none, or a folder), "file" (a regular
    file, or a symlink to one inside the folder), "outside" (a symlink leading out of the
    folder) or "other" (dangling, a FIFO, ...)."""
    path = folder / name
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            if not is_inside(os.path.realpath(path), real_folder):
                return "outside"
            info = os.stat(path)
    except OSError:
        return "other" if os.path.lexists(path) else ""
    if stat.S_ISDIR(info.st_mode):
        return ""
    return "file" if stat.S_ISREG(info.st_mode) else "other"


def _named_file_matcher(folder: Path, named: Path | None) -> Callable[[os.DirEntry], bool]:
    """Whether a folder entry is the file the user named (--manifest): the same path, or the same
    file (inode) under another path when the entry is not a symlink."""
    if named is None:
        return lambda entry: False
    same_dir_name = None
    if os.path.dirname(os.path.abspath(named)) == os.path.abspath(folder):
        same_dir_name = os.path.basename(os.path.abspath(named))
    try:
        info = os.stat(named)
        identity = (info.st_dev, info.st_ino)
    except OSError:
        identity = None

    def matches(entry: os.DirEntry) -> bool:
        if entry.name == same_dir_name:
            return True
        if identity is None or entry.inode() != identity[1]:
            return False
        try:
            own = entry.stat(follow_symlinks=False)
        except OSError:
            return False
        return not stat.S_ISLNK(own.st_mode) and (own.st_dev, own.st_ino) == identity
    return matches


PARALLEL_MIN_FILES = 400
READ_BATCH = 200


def _read_batch(batch: list[tuple[str, str, int, dict[str, str] | None]]) -> list[Article | Rejected]:
    return [read_article(Path(path), article_id, max_bytes, entry) for path, article_id, max_bytes, entry in batch]


def run_batches(func: Callable, batches: list, workers: int,
                progress: Callable[[int, int], None] | None = None, sizes: list[int] | None = None,
                client: object = None) -> list:
    """func(batch) for every batch, in worker processes when workers > 1; results in batch order.

    Workers are spawned, not forked: forking a Jupyter kernel (threads, sockets) is unsafe, and
    forked workers would carry (and count) the parent's memory. `progress(done, total)` is
    called after each batch with the running sum of `sizes`. `client`: a dask.distributed
    Client; the batches then run on its cluster (analysis.cluster.run_on_cluster)."""
    if client is not None and batches:
        from .cluster import run_on_cluster

        return run_on_cluster(client, func, batches, progress, sizes)
    pool = None
    if workers > 1 and len(batches) > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
        results = pool.map(func, batches)
    else:
        results = map(func, batches)
    collected = []
    done = 0
    try:
        for index, result in enumerate(results):
            collected.append(result)
            if progress and sizes:
                done += sizes[index]
                progress(done, sum(sizes))
    finally:
        if pool is not None:
            pool.shutdown()
    return collected


def _read_all(jobs: list[tuple[str, str, int, dict[str, str] | None]], workers: int | None) -> list[Article | Rejected]:
    """read_article for every job, in worker processes when there are many files; results in job order."""
    if workers is None:
        workers = (os.cpu_count() or 1) if len(jobs) >= PARALLEL_MIN_FILES else 1
    batches = [jobs[i:i + READ_BATCH] for i in range(0, len(jobs), READ_BATCH)]
    return [result for batch in run_batches(_read_batch, batches, workers) for result in batch]


Job = tuple[str, str, int, "dict[str, str] | None"]  # (path, article_id, max_bytes, manifest entry)


@dataclass
class FolderPlan:
    """What a folder holds before any article is read: the files to read as articles (jobs),
    the entries already rejected, and the manifest."""

    corpus: Corpus
    jobs: list[Job]
    manifest_entries: dict[str, dict[str, str]]
    manifest_path: Path | None


def plan_folder(articles_dir: str | Path, manifest: str | Path | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES) -> FolderPlan:
    """List a folder: the article files to read (.txt, .html, .htm), and every other entry
    rejected with its reason. Two files with one article_id (`x.txt` and `x.html`, or `A.txt`
    and `a.txt`): the first by name is read, the other rejected naming it. Nothing outside the
    folder is read: every symlink is rejected unread (`symlink outside the articles folder`,
    `symlink to <name>`), and the folder's own manifest.csv may not lead out of it either (a
    manifest named with `manifest` may be anywhere).

    Raises FileNotFoundError / NotADirectoryError for a missing folder and ManifestError for an
    unusable manifest."""
    folder = Path(articles_dir)
    if not folder.exists():
        raise FileNotFoundError(f"{folder}: articles folder not found")
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder}: not a folder")
    real_folder = os.path.realpath(folder)
    if manifest:
        # Named by the user: read wherever it is, through a symlink too.
        manifest_path = Path(manifest)
        if not os.path.exists(manifest_path):
            raise ManifestError(f"{manifest_path}: manifest file not found")
        if os.path.isdir(manifest_path):
            raise ManifestError(f"{manifest_path}: a folder, not a manifest file")
        manifest_entries = read_manifest(manifest_path)
        is_manifest = _named_file_matcher(folder, manifest_path)
    else:
        # The folder's own manifest.csv: anything there but a folder is the manifest, and one
        # that cannot be used (leads outside, dangles, is a FIFO, is malformed) stops the run.
        manifest_path = folder / MANIFEST_NAME if _own_file(folder, real_folder, MANIFEST_NAME) else None
        manifest_entries = read_manifest(manifest_path, folder) if manifest_path else {}
        is_manifest = (lambda entry: entry.name == MANIFEST_NAME) if manifest_path else (lambda entry: False)
    # The folder's corrections.csv is metadata when it can be one (analysis.corrections reads it
    # and rejects one leading outside); a FIFO or a link out of the folder is an entry like any other.
    corrections_here = _own_file(folder, real_folder, CORRECTIONS_NAME) == "file"

    def metadata(entry: os.DirEntry) -> bool:
        return is_manifest(entry) or (corrections_here and entry.name == CORRECTIONS_NAME)

    corpus = Corpus(source=str(folder), manifest=str(manifest_path or ""))
    seen_ids: dict[str, tuple[str, str]] = {}  # casefolded id -> (article_id, file)
    jobs: list[Job] = []
    for entry in list_entries(folder):
        reason = classify_entry(entry, real_folder, metadata)
        if reason == "":
            continue
        name = display_name(entry.name)
        if reason is not None:
            corpus.rejected.append(Rejected(name, reason))
            continue
        article_id = article_id_of(name)
        if article_id.casefold() in seen_ids:
            other_id, other_file = seen_ids[article_id.casefold()]
            corpus.rejected.append(Rejected(name, f"duplicate article_id of {other_id} (file {other_file})"))
            continue
        seen_ids[article_id.casefold()] = (article_id, name)
        jobs.append((entry.path, article_id, max_bytes, manifest_entries.get(article_id)))
    return FolderPlan(corpus, jobs, manifest_entries, manifest_path)


def finish_corpus(plan: FolderPlan, results: list) -> Corpus:
    """The corpus from the plan and the read results (one per job, in job order): duplicates
    are decided here, in file-name order, so the first by name always stays. Results are
    Articles or Rejected, or any object with Article's metadata and `duplicate_key`."""
    corpus = plan.corpus
    seen_bodies: dict[str, str] = {}
    for job, result in zip(plan.jobs, results, strict=True):
        if isinstance(result, Rejected):
            corpus.rejected.append(result)
            continue
        key = result.duplicate_key
        if key in seen_bodies:
            corpus.rejected.append(Rejected(result.file, f"duplicate of {seen_bodies[key]}"))
            continue
        seen_bodies[key] = result.article_id
        corpus.articles.append(result)
        corpus.sources[result.article_id] = job

    loaded = {a.article_id for a in corpus.articles}
    rejected_ids = {article_id_of(r.file) for r in corpus.rejected if r.file.lower().endswith(ARTICLE_SUFFIXES)}
    corpus.notes.extend(
        f"{plan.manifest_path}: row {article_id} matches no article file"
        for article_id in sorted(set(plan.manifest_entries) - loaded - rejected_ids)
    )
    corpus.articles.sort(key=lambda a: a.article_id)
    corpus.rejected.sort(key=lambda r: r.file)
    return corpus


def load_corpus(articles_dir: str | Path, manifest: str | Path | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES, workers: int | None = None) -> Corpus:
    """Read every file of `articles_dir` -> Corpus(articles sorted by id, rejected with reasons).

    `manifest` names a metadata CSV (columns MANIFEST_COLUMNS); without it a `manifest.csv`
    inside the folder is used when present. `workers`: processes reading files (default: all
    cores from PARALLEL_MIN_FILES files on). Raises FileNotFoundError / NotADirectoryError for
    a missing folder and ManifestError for an unusable manifest; a bad article never raises."""
    plan = plan_folder(articles_dir, manifest, max_bytes)
    return finish_corpus(plan, _read_all(plan.jobs, workers))


def filter_by_date(corpus: Corpus, date_from: str | None = None, date_to: str | None = None) -> Corpus:
    """The corpus restricted to articles dated within [date_from, date_to] (ISO strings, either
    optional). Undated articles are kept (flagged by their empty date), never dropped silently."""
    if not date_from and not date_to:
        return corpus
    kept = [
        a for a in corpus.articles
        if not a.date or ((not date_from or a.date >= date_from) and (not date_to or a.date <= date_to))
    ]
    return replace(corpus, articles=kept)


def filter_by_outlet(corpus: Corpus, outlets: tuple[str, ...] = ()) -> Corpus:
    """The corpus restricted to articles from `outlets` (names compared without regard to case
    or surrounding spaces); all articles when `outlets` is empty. An article with no outlet is
    not from any named outlet."""
    if not outlets:
        return corpus
    wanted = {name.strip().casefold() for name in outlets}
    return replace(corpus, articles=[a for a in corpus.articles if a.outlet.strip().casefold() in wanted])
