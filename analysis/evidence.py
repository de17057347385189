"""Evidence pages: one HTML page per article (OUT/html/articles/<article_id>.html) showing the
article text with every extracted row highlighted where it was found, so a reader can check
each claim, denial, non-denial and troop figure against the words it came from.

Highlights come from the stored offsets (character offsets into Article.body). Spans may nest
or overlap (a figure inside a claim sentence, two parties' rows on one sentence): the text is
cut at every span boundary and each piece becomes one <mark> carrying the classes of all spans
that cover it. Every piece of article text and extracted data is escaped with html.escape.
The cut is one sweep over the sorted boundaries keeping the covering spans as it goes, so a
page takes time in proportion to the text and its spans (times a log), not their product.

Page names (evidence_file_name) never collide, not even on a file system that ignores case or
Unicode normalisation (macOS, Windows): an ordinary id keeps its name (<id>.html); any other id
(unsafe characters, a reserved name, too long, not in NFC, or ending like a hashed name does)
gets "-" and 10 hex digits of the SHA-1 of the exact id. Ids that differ only in case are kept
apart by the loader (it rejects the second); write_evidence_pages checks every name it writes
once more and raises EvidenceError rather than let one page overwrite another.

The folder OUT/html/articles holds a list of the pages written last time (.pages); stale pages
are removed only when that list names them, never through a symbolic link: when OUT/html or
OUT/html/articles is a link, nothing is written or removed (EvidenceError).
"""

from __future__ import annotations

import hashlib
import heapq
import html
import json
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from .load import Article, ArticleChanged
from .topic import topic_labels

if TYPE_CHECKING:  # only the page writers take frames: the database's process needs no pandas
    import pandas as pd

# Characters kept out of file names: path separators, control characters and the characters
# other file systems refuse. Ids with none of them are used as they are.
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
MAX_NAME_BYTES = 200
# html/articles/index.html, index-2.html ... list the pages: no article page may take those names.
_RESERVED_NAME = re.compile(r"index(-\d+)?", re.IGNORECASE)
# Names Windows keeps for devices, whatever follows the first dot ("CON.html" is the console).
_DEVICE_NAME = re.compile(r"(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3]) *", re.IGNORECASE)
HASH_DIGITS = 10
# How a hashed name ends: an id that ends so itself gets a hash, so no id can take another's page.
_HASHED_TAIL = re.compile(rf"-[0-9a-f]{{{HASH_DIGITS}}}\Z", re.IGNORECASE)
# The list of the pages written last time, in OUT/html/articles: the only files removed as stale.
PAGE_LIST = ".pages"


class EvidenceError(ValueError):
    """Evidence pages cannot be written safely (two articles for one page name, a symbolic link
    where the pages go); the message is one line."""

LEGEND = [
    ("claim", "claim: {claim_legend} (whole sentence)"),
    ("denial", "denial: the speaker denies it (whole sentence)"),
    ("non_denial", "non-denial: the speaker pointedly neither confirms nor denies (whole sentence)"),
    ("mixed", "sentence with rows of different stances (several parties)"),
    ("cue", "the words that set the stance"),
    ("estimate", "a troop figure of the estimates table"),
]

PAGE_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5rem auto; max-width: 72rem;
       padding: 0 1rem; color: #1d1d1d; line-height: 1.45; }
h1 { font-size: 1.45rem; } h2 { font-size: 1.15rem; margin-top: 1.6rem; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0; }
th, td { border: 1px solid #d0d0d0; padding: 0.2rem 0.45rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
.article { white-space: pre-wrap; border: 1px solid #d0d0d0; padding: 0.8rem 1rem; background: #fcfcfc; }
mark { background: none; color: inherit; padding: 0; }
mark.claim { background: #cfe6ff; }
mark.denial { background: #ffc9c9; }
mark.non_denial { background: #ffe3a3; }
mark.mixed { background: repeating-linear-gradient(135deg, #cfe6ff 0 6px, #ffc9c9 6px 12px); }
mark.cue { text-decoration: underline 2px; text-underline-offset: 2px; }
mark.estimate { font-weight: bold; outline: 2px solid #2e7d32; outline-offset: -1px; }
.legend mark { padding: 0 0.3rem; }
.note { color: #6a4b00; }
.meta td:first-child { font-weight: bold; }
.meta td { overflow-wrap: anywhere; }
h1 { overflow-wrap: anywhere; }
/* A row's link lands on an empty anchor where its evidence starts: point at it. */
.article a:target::before { content: "\\25B6"; color: #b00020; font-weight: bold; padding-right: 0.15rem; }
.article a[id] { scroll-margin-top: 3rem; }
.table-wrap { max-width: 100%; overflow-x: auto; }
.article { overflow-wrap: anywhere; }
.paste td { border-top: none; background: #fafafa; color: #555; font-size: 0.75rem; padding-bottom: 0.45rem; }
.paste code { white-space: pre-wrap; overflow-wrap: anywhere; color: #1d1d1d; }
"""


@dataclass(frozen=True)
class Span:
    """A highlighted stretch of the body: [start, end) with one CSS class and a tooltip."""

    start: int
    end: int
    css: str
    label: str
    anchor: str = ""


def _plain_name(article_id: str) -> bool:
    """Whether an id is used as it is: no character a file system refuses, not hidden, not a
    reserved name, short enough, in NFC and not shaped like a hashed name."""
    return bool(article_id) and not (
        _UNSAFE_NAME.search(article_id) or article_id.startswith(".") or _RESERVED_NAME.fullmatch(article_id)
        or _DEVICE_NAME.fullmatch(article_id.split(".", 1)[0]) or _HASHED_TAIL.search(article_id)
        or len(article_id.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES
        or not unicodedata.is_normalized("NFC", article_id))


def evidence_file_name(article_id: str) -> str:
    """A safe file name for an article's evidence page, never another article's.

    The id itself plus ".html" when it is a plain file name (_plain_name); otherwise unsafe
    characters become "_" and "-" plus a short hash of the exact id follows."""
    name = article_id
    if not _plain_name(article_id):
        digest = hashlib.sha1(article_id.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_DIGITS]
        stem = _UNSAFE_NAME.sub("_", article_id).lstrip(".")
        while len(stem.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
            stem = stem[:-1]
        name = f"{stem}-{digest}"
    return f"{name}.html"


def name_key(name: str) -> str:
    """A file name as a case- and normalisation-insensitive file system compares it (macOS,
    Windows): two names with one key would be one file there."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", name).casefold())


def href(name: str) -> str:
    """A relative file name as an href value: percent-encoded, then HTML-escaped."""
    return html.escape(quote(name, safe="/"), quote=True)


def _stance_class(stances: set[str]) -> str:
    return next(iter(stances)) if len(stances) == 1 else "mixed"


def article_spans(article: Article, claims: pd.DataFrame, estimates: pd.DataFrame) -> tuple[list[Span], list[str]]:
    """The spans to highlight in one article, and a note for every row whose offsets do not fit
    the body (those rows stay in the table, unhighlighted). Every row's id is an anchor where
    its evidence starts (zero-width spans of class "row")."""
    spans: list[Span] = []
    notes: list[str] = []
    size = len(article.body)

    def fits(start: int, end: int) -> bool:
        return 0 <= start < end <= size

    by_sentence: dict[tuple[int, int], list[pd.Series]] = {}
    for _, row in claims.iterrows():
        start, end = int(row["start"]), int(row["end"])
        if not fits(start, end):
            notes.append(f"claims row at sentence {row['sentence_no']}: offsets {start}-{end} outside the text")
            continue
        by_sentence.setdefault((start, end), []).append(row)
        spans.append(Span(start, start, "row", "", str(row["row_id"])))
        cue_start, cue_end = int(row["cue_start"]), int(row["cue_end"])
        if cue_start >= 0 and fits(cue_start, cue_end):
            spans.append(Span(cue_start, cue_end, "cue", f"cue: {row['cue']}"))
    for (start, end), rows in by_sentence.items():
        stances = {str(r["stance"]) for r in rows}
        label = "; ".join(f"{r['stance']} by {r['party']} ({r['speaker']})" for r in rows)
        spans.append(Span(start, end, _stance_class(stances), label, f"s{start}-{end}"))
    for _, row in estimates.iterrows():
        start, end = int(row["start"]), int(row["end"])
        if not fits(start, end):
            notes.append(f"estimates row {row['phrase']!r}: offsets {start}-{end} outside the text")
            continue
        label = f"{row['kind']} figure by {row['party'] or 'nobody'}: {row['phrase']}"
        spans.append(Span(start, end, "estimate", label, f"e{start}-{end}"))
        spans.append(Span(start, start, "row", "", str(row["row_id"])))
    return spans, notes


def _order(span: Span) -> tuple:
    """Spans in page order: by start, the longer first, then by class, anchor and tooltip."""
    return (span.start, -span.end, span.css, span.anchor, span.label)


def _covering(groups: dict[str, list[tuple]], left: int) -> list[str]:
    """The groups (classes or tooltips) with a span still covering `left`, in the order of their
    first span. Each group is a heap of its spans' _order keys; a span whose end (-key[1]) is
    passed leaves its heap here (each once), and an empty group leaves `groups`."""
    for name in list(groups):
        heap = groups[name]
        while heap and -heap[0][1] <= left:
            heapq.heappop(heap)
        if not heap:
            del groups[name]
    return sorted(groups, key=lambda name: groups[name][0])


def mark_up(text: str, spans: list[Span]) -> str:
    """`text`, escaped, with each span highlighted.

    The text is cut at every span boundary; a piece covered by spans becomes
    <mark class="..." title="..."> with the classes and tooltips of all of them (each once, in
    the order of the spans), so nested and overlapping spans never produce crossed tags. An
    anchor (<a id>) opens each span that has one; a zero-width span with an anchor is just that
    anchor (a row's id where its evidence starts), before the text at its place.

    One sweep over the sorted boundaries: spans join the classes' and tooltips' heaps where they
    start and leave them where they end, so the work is the size of the text, spans and output
    times a log."""
    size = len(text)
    valid = sorted({s for s in spans if 0 <= s.start < s.end <= size}, key=_order)
    points = sorted({(s.start, s.anchor) for s in spans if s.start == s.end and s.anchor and 0 <= s.start <= size})
    bounds = sorted({0, size, *(s.start for s in valid), *(s.end for s in valid), *(p for p, _ in points)})
    point_at: dict[int, list[str]] = {}
    for position, anchor in points:
        point_at.setdefault(position, []).append(anchor)
    classes_of: dict[str, list[tuple]] = {}
    titles_of: dict[str, list[tuple]] = {}
    pieces: list[str] = []
    following = 0  # the next span of `valid` to start
    for left, right in zip(bounds, bounds[1:]):
        pieces.extend(f'<a id="{html.escape(anchor, quote=True)}"></a>' for anchor in point_at.get(left, ()))
        while following < len(valid) and valid[following].start == left:
            span = valid[following]
            key = _order(span)
            heapq.heappush(classes_of.setdefault(span.css, []), key)
            heapq.heappush(titles_of.setdefault(span.label, []), key)
            if span.anchor:
                pieces.append(f'<a id="{html.escape(span.anchor, quote=True)}"></a>')
            following += 1
        piece = html.escape(text[left:right], quote=False)
        classes = _covering(classes_of, left)
        if not classes:
            pieces.append(piece)
            continue
        title = " | ".join(_covering(titles_of, left))
        pieces.append(f'<mark class="{html.escape(" ".join(classes), quote=True)}" '
                      f'title="{html.escape(title, quote=True)}">{piece}</mark>')
    return "".join(pieces)


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "<td></td>"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"<td>{html.escape(str(value), quote=False)}</td>"


def correction_lines(row: pd.Series, table: str) -> list[str]:
    """Lines to paste into corrections.csv for a row: drop it, or set its party (stance or
    kind) to another value (README, "Reviewing and correcting")."""
    row_id = str(row["row_id"])
    second = ("stance", row["stance"]) if table == "claims" else ("kind", row["kind"])
    return [f"{row_id},drop,,,why", f"{row_id},set,party,{row['party']},why",
            f"{row_id},set,{second[0]},{second[1]},why"]


def _rows_table(frame: pd.DataFrame, columns: list[str], table: str) -> str:
    if frame.empty:
        return "<p>none</p>"
    head = "".join(f"<th>{html.escape(c).replace('_', '_<wbr>')}</th>" for c in ["row_id", *columns])
    body = []
    # The paste lines get a full-width row of their own under the row: beside it they would
    # push the table past the page's width.
    for _, row in frame.iterrows():
        row_id = str(row["row_id"])
        link = f'<td><a href="#{html.escape(quote(row_id, safe=""), quote=True)}">{html.escape(row_id)}</a></td>'
        lines = "<br>".join(f"<code>{html.escape(line)}</code>" for line in correction_lines(row, table))
        body.append("<tr>" + link + "".join(_cell(row[c]) for c in columns) + "</tr>"
                    + f'<tr class="paste"><td colspan="{len(columns) + 1}">to correct, paste into corrections.csv:'
                    + f"<br>{lines}</td></tr>")
    return (f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
            "</div>")


def _safe_link(url: str) -> str:
    """An http(s) url as a link; anything else (javascript:, data:, text) as plain text."""
    if urlsplit(url).scheme in ("http", "https"):
        escaped = html.escape(url, quote=True)
        return f'<a href="{escaped}" rel="noopener noreferrer">{escaped}</a>'
    return html.escape(url)


def evidence_page(article: Article, claims: pd.DataFrame, estimates: pd.DataFrame,
                  index_href: str = "../../index.html", topic_dir: str | None = None) -> str:
    """The evidence page of one article as an HTML document (claims and estimates: that
    article's rows; the legend in the words of the story's folder `topic_dir`)."""
    spans, notes = article_spans(article, claims, estimates)
    title = article.title or article.article_id
    meta = [("article_id", html.escape(article.article_id)), ("file", html.escape(article.file)),
            ("date", html.escape(f"{article.date or 'undated'} (from {article.date_source})")),
            ("outlet", html.escape(article.outlet)), ("title", html.escape(article.title)),
            ("url", _safe_link(article.url))]
    meta_rows = "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in meta)
    labels = topic_labels(topic_dir)
    legend = "".join(f'<li><mark class="{css}">{html.escape(css)}</mark> {html.escape(text.format(**labels))}</li>'
                     for css, text in LEGEND)
    note_html = "".join(f'<p class="note">{html.escape(n)}</p>' for n in notes)
    stances = claims["stance"].value_counts()
    summary = (f"{stances.get('claim', 0)} claims, {stances.get('denial', 0)} denials, "
               f"{stances.get('non_denial', 0)} non-denials, {len(estimates)} estimates")
    # Offsets and vague bands stay in the CSVs: the id carries the start and the mark shows the place,
    # and without them the tables fit the page.
    claim_columns = ["sentence_no", "party", "speaker", "stance", "hedged", "hedge", "cue", "attribution", "check",
                     "review"]
    estimate_columns = ["sentence_no", "party", "speaker", "kind", "low", "high", "qualifier", "phrase", "hedged",
                        "check", "review"]
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Evidence: {html.escape(title)}</title>
<style>{PAGE_CSS}</style>
</head>
<body>
<p><a href="{html.escape(index_href, quote=True)}">report index</a> &middot; <a href="index.html">all evidence pages</a>
 &middot; tables: <a href="../../tables/claims.csv">claims.csv</a>, <a href="../../tables/estimates.csv">estimates.csv</a>,
 <a href="../../tables/corrections.csv">corrections.csv</a></p>
<h1>Evidence: {html.escape(title)}</h1>
<table class="meta">{meta_rows}</table>
<p>{html.escape(summary)}</p>
<h2>Legend</h2>
<ul class="legend">{legend}</ul>
{note_html}
<h2>Article text</h2>
<div class="article" id="article-text">{mark_up(article.body, spans)}</div>
<h2>Claims, denials and non-denials</h2>
<p>Each row's id links to where it was found. To correct a row on every later run, copy a line
into <code>corrections.csv</code> beside the articles (header <code>row_id,action,field,value,note</code>),
change the value and say why.</p>
{_rows_table(claims, claim_columns, "claims")}
<h2>Troop figures</h2>
{_rows_table(estimates, estimate_columns, "estimates")}
</body>
</html>
"""


def listing_name(page_no: int) -> str:
    """File name of page `page_no` (from 1) of the evidence listing."""
    return "index.html" if page_no == 1 else f"index-{page_no}.html"


def evidence_index(rows: list[tuple[Article, str, dict]], total: int, page_no: int = 1, pages: int = 1,
                   first_row: int = 1, written: int | None = None, index_href: str = "../../index.html") -> str:
    """One page of the evidence listing (html/articles/index.html, index-2.html ...): the pages
    of `rows` with each article's counts, and links to the other listing pages.

    rows: (article, file name, counts dict with claims/denials/non_denials/estimates)."""
    written = len(rows) if written is None else written
    body = "".join(
        f'<tr><td><a href="{href(name)}">{html.escape(a.article_id)}</a></td><td>{html.escape(a.date)}</td>'
        f"<td>{html.escape(a.outlet)}</td><td>{html.escape(a.title)}</td>"
        + "".join(f"<td>{int(counts.get(k, 0))}</td>" for k in ("claims", "denials", "non_denials", "estimates"))
        + "</tr>"
        for a, name, counts in rows
    )
    notes = []
    if written < total:
        notes.append(f"Evidence pages for {written} of {total} articles (limited by --evidence-limit; "
                     f"the first articles by id).")
    if pages > 1:
        notes.append(f"Showing {first_row}-{first_row + len(rows) - 1} of {written} evidence pages "
                     f"(listing page {page_no} of {pages}).")
    note_html = "".join(f'<p class="note">{html.escape(n)}</p>' for n in notes)
    nav = []
    if page_no > 1:
        nav.append(f'<a href="{listing_name(page_no - 1)}">previous</a>')
    if page_no < pages:
        nav.append(f'<a href="{listing_name(page_no + 1)}">next</a>')
    nav_html = f"<p>{' &middot; '.join(nav)}</p>" if nav else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Evidence pages</title>
<style>{PAGE_CSS}</style>
</head>
<body>
<p><a href="{html.escape(index_href, quote=True)}">report index</a></p>
<h1>Evidence pages</h1>
{note_html}
{nav_html}
<div class="table-wrap"><table><thead><tr><th>article_id</th><th>date</th><th>outlet</th><th>title</th><th>claims</th>
<th>denials</th><th>non_<wbr>denials</th><th>estimates</th></tr></thead><tbody>{body}</tbody></table></div>
{nav_html}
</body>
</html>
"""


def _pages_folder(out_dir: str | Path) -> Path:
    """OUT/html/articles, made when missing; EvidenceError when it or OUT/html is a symbolic
    link (pages would be written, and stale ones removed, wherever it points) or not a folder."""
    html_dir = Path(out_dir) / "html"
    folder = html_dir / "articles"
    for path in (html_dir, folder):
        if path.is_symlink():
            raise EvidenceError(f"{path}: is a symbolic link; evidence pages are written only into a real folder "
                                f"(remove the link or choose another --out)")
        if path.exists() and not path.is_dir():
            raise EvidenceError(f"{path}: is not a folder; evidence pages cannot be written there")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _own_page_name(name: str) -> bool:
    """A name this module could have written into the pages folder: one plain file name ending
    in .html (an article page or a listing page)."""
    return (name.endswith(".html") and not name.startswith(".") and not _UNSAFE_NAME.search(name)
            and len(name.encode("utf-8", "surrogatepass")) <= MAX_NAME_BYTES + HASH_DIGITS + len("-.html"))


def _recorded_pages(folder: Path) -> set[str]:
    """The page names the list file (PAGE_LIST) records; none when it is missing, unreadable or
    a link. Names that are not the module's own (paths, other files) are ignored."""
    listing = folder / PAGE_LIST
    if listing.is_symlink() or not listing.is_file():
        return set()
    try:
        lines = listing.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return set()
    return {line for line in lines if _own_page_name(line)}


def _write_file(path: Path, text: str) -> None:
    """Write `path`; a symbolic link in its place is replaced, never written through."""
    if path.is_symlink():
        path.unlink()
    path.write_text(text, encoding="utf-8")


def _record_pages(folder: Path, names: set[str]) -> None:
    _write_file(folder / PAGE_LIST, "".join(f"{name}\n" for name in sorted(names)))


# Beside the pages: per page, a digest of what shaped it and the sha256 of the page written, so
# that the next run copies a page whose inputs did not change instead of building it again.
PAGE_INPUTS = ".page-inputs.json"


@dataclass(frozen=True)
class EarlierPages:
    """The evidence pages of the run being replaced (its OUT/html/articles) and the fingerprint
    of this run's code and vocabularies (cache.fingerprint): a page is copied from there when
    its inputs' digest, under this fingerprint, is the one recorded and the page's bytes are
    the ones recorded."""

    folder: Path
    rules: str


def page_inputs(rules: str, article: object, claims: pd.DataFrame, estimates: pd.DataFrame,
                topic_dir: str | None) -> str:
    """sha256 of everything an evidence page is made of: the code and vocabularies (`rules`),
    the topic folder, the article's metadata and its text's sha256, its rows of both tables."""
    digest = hashlib.sha256(b"evidence page inputs v1")
    parts = [rules, topic_dir or "", *(str(getattr(article, name)) for name in
                                       ("article_id", "file", "date", "date_source", "outlet", "title", "url",
                                        "sha256")),
             repr(list(claims.columns)), repr(claims.to_numpy().tolist()),
             repr(list(estimates.columns)), repr(estimates.to_numpy().tolist())]
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _recorded_inputs(folder: Path) -> dict[str, list[str]]:
    """The PAGE_INPUTS record of a pages folder ({} when missing, unreadable or a link)."""
    record = folder / PAGE_INPUTS
    if record.is_symlink() or not record.is_file():
        return {}
    try:
        recorded = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {name: entry for name, entry in recorded.items() if _own_page_name(name) and isinstance(entry, list)
            and len(entry) == 2} if isinstance(recorded, dict) else {}


def _earlier_page(earlier: EarlierPages, recorded: dict[str, list[str]], name: str, inputs: str) -> str | None:
    """The earlier run's page `name` when it was made from these inputs and is as written."""
    entry = recorded.get(name)
    path = earlier.folder / name
    if entry is None or entry[0] != inputs or path.is_symlink() or not path.is_file():
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data.decode("utf-8") if hashlib.sha256(data).hexdigest() == entry[1] else None


def write_evidence_pages(articles: list, claims: pd.DataFrame, estimates: pd.DataFrame,
                         out_dir: str | Path, limit: int | None = None,
                         per_listing: int = 200, topic_dir: str | None = None,
                         full_article: Callable[[object], Article] | None = None,
                         earlier: EarlierPages | None = None) -> list[tuple[object, str, dict]]:
    """Write OUT/html/articles/<file>.html for the first `limit` articles by id (all when None)
    and the listing html/articles/index.html (continued in index-2.html ... every `per_listing`
    rows); pages of the last run that this one does not write are removed (only those its
    list file, html/articles/.pages, names; any other file there is left alone).

    EvidenceError, before anything is written, when two articles would get one page (equal
    names, or names equal ignoring case and normalisation) or when OUT/html or
    OUT/html/articles is a symbolic link.

    `articles`: Articles, or any objects with an Article's metadata when `full_article` gives
    the Article of one (load.Corpus.full_article reads its file again): one text at a time is
    in memory. EvidenceError naming the file when an article cannot be read again as it was.

    `earlier`: the pages of the run being replaced; a page whose inputs (page_inputs) did not
    change is copied from there, its article not read again. With it, the inputs of every page
    written are recorded in html/articles/.page-inputs.json for the next run.

    Returns (article as given, file name, counts) per page written."""
    chosen = sorted(articles, key=lambda a: a.article_id)
    if limit is not None:
        chosen = chosen[:max(limit, 0)]
    names = [evidence_file_name(article.article_id) for article in chosen]
    owners: dict[str, tuple[str, str]] = {}  # name_key -> (article_id, name)
    for article, name in zip(chosen, names):
        other = owners.setdefault(name_key(name), (article.article_id, name))
        if other[0] != article.article_id:
            raise EvidenceError(f"articles {other[0]!r} and {article.article_id!r} would get the same evidence page "
                                f"({other[1]!r} and {name!r} are one file where case is ignored); rename one of them")
    per_listing = max(per_listing, 1)
    pages = max(1, -(-len(chosen) // per_listing))
    listings = [listing_name(page_no) for page_no in range(1, pages + 1)]
    current = {*names, *listings}

    folder = _pages_folder(out_dir)
    recorded = _recorded_pages(folder)
    # Recorded before writing: an interrupted run leaves a list naming every page it may have written.
    _record_pages(folder, recorded | current)
    # Only the chosen articles' rows are grouped: a frame per article of a large corpus would
    # cost more memory than the pages written.
    chosen_ids = [article.article_id for article in chosen]
    claim_groups = {k: g for k, g in claims[claims["article_id"].isin(chosen_ids)].groupby("article_id", sort=False)}
    estimate_groups = {k: g for k, g in
                       estimates[estimates["article_id"].isin(chosen_ids)].groupby("article_id", sort=False)}
    written = []
    earlier_inputs = _recorded_inputs(earlier.folder) if earlier is not None else {}
    inputs_of: dict[str, list[str]] = {}
    (folder / PAGE_INPUTS).unlink(missing_ok=True)  # it would describe pages about to be replaced
    for article, name in zip(chosen, names):
        article_claims = claim_groups.get(article.article_id, claims.iloc[0:0])
        article_estimates = estimate_groups.get(article.article_id, estimates.iloc[0:0])
        inputs = (page_inputs(earlier.rules, article, article_claims, article_estimates, topic_dir)
                  if earlier is not None else "")
        page = _earlier_page(earlier, earlier_inputs, name, inputs) if earlier is not None else None
        if page is None:
            try:
                text = full_article(article) if full_article is not None else article
            except ArticleChanged as changed:
                raise EvidenceError(str(changed)) from None
            page = evidence_page(text, article_claims, article_estimates, topic_dir=topic_dir)
        _write_file(folder / name, page)
        if earlier is not None:
            inputs_of[name] = [inputs, hashlib.sha256(page.encode("utf-8")).hexdigest()]
        stances = article_claims["stance"].value_counts()
        counts = {"claims": stances.get("claim", 0), "denials": stances.get("denial", 0),
                  "non_denials": stances.get("non_denial", 0), "estimates": len(article_estimates)}
        written.append((article, name, counts))
    for page_no, listing in enumerate(listings, start=1):
        start = (page_no - 1) * per_listing
        _write_file(folder / listing, evidence_index(written[start:start + per_listing], len(articles), page_no,
                                                     pages, start + 1, len(written)))
    for stale in sorted(recorded - current):
        path = folder / stale
        if path.is_symlink() or path.is_file():  # a link is removed as a link
            path.unlink()
    _record_pages(folder, current)
    if earlier is not None:
        _write_file(folder / PAGE_INPUTS, json.dumps(inputs_of, sort_keys=True, separators=(",", ":")) + "\n")
    return written
