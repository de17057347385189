"""Evidence pages: one HTML page per article (OUT/html/articles/<article_id>.html) showing the
article text with every extracted row highlighted where it was found, so a reader can check
each claim, denial, non-denial and troop figure against the words it came from.

Highlights come from the stored offsets (character offsets into Article.body). Spans may nest
or overlap (a figure inside a claim sentence, two parties' rows on one sentence): the text is
cut at every span boundary and each piece becomes one <mark> carrying the classes of all spans
that cover it. Every piece of article text and extracted data is escaped with html.escape.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import pandas as pd

from .load import Article

STANCE_CLASSES = ("claim", "denial", "non_denial")
# Characters kept out of file names: path separators, control characters and the characters
# other file systems refuse. Ids with none of them are used as they are.
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
MAX_NAME_BYTES = 200
# html/articles/index.html, index-2.html ... list the pages: no article page may take those names.
_RESERVED_NAME = re.compile(r"index(-\d+)?", re.IGNORECASE)

LEGEND = [
    ("claim", "claim: the speaker says North Korean troops are in Russia (whole sentence)"),
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


def evidence_file_name(article_id: str) -> str:
    """A safe file name for an article's evidence page.

    The id itself plus ".html" when it is a plain file name; otherwise unsafe characters become
    "_" and a short hash of the id keeps names unique."""
    name = article_id
    if (_UNSAFE_NAME.search(name) or name.startswith(".") or not name or _RESERVED_NAME.fullmatch(name)
            or len(name.encode("utf-8")) > MAX_NAME_BYTES):
        digest = hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:10]
        stem = _UNSAFE_NAME.sub("_", article_id).lstrip(".")
        while len(stem.encode("utf-8")) > MAX_NAME_BYTES:
            stem = stem[:-1]
        name = f"{stem}-{digest}"
    return f"{name}.html"


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


def mark_up(text: str, spans: list[Span]) -> str:
    """`text`, escaped, with each span highlighted.

    The text is cut at every span boundary; a piece covered by spans becomes
    <mark class="..." title="..."> with the classes and tooltips of all of them, so nested and
    overlapping spans never produce crossed tags. An anchor (<a id>) opens each span that has one."""
    valid = sorted({s for s in spans if 0 <= s.start < s.end <= len(text)},
                   key=lambda s: (s.start, -s.end, s.css, s.anchor, s.label))
    # Zero-width spans are anchors only: a row's id where its evidence starts.
    points = sorted({(s.start, s.anchor) for s in spans if s.start == s.end and s.anchor and 0 <= s.start <= len(text)})
    bounds = sorted({0, len(text), *(s.start for s in valid), *(s.end for s in valid), *(p for p, _ in points)})
    pieces: list[str] = []
    point_at: dict[int, list[str]] = {}
    for position, anchor in points:
        point_at.setdefault(position, []).append(anchor)
    for left, right in zip(bounds, bounds[1:]):
        covering = [s for s in valid if s.start <= left and right <= s.end]
        pieces.extend(f'<a id="{html.escape(anchor, quote=True)}"></a>' for anchor in point_at.get(left, ()))
        pieces.extend(f'<a id="{html.escape(s.anchor, quote=True)}"></a>'
                      for s in covering if s.anchor and s.start == left)
        piece = html.escape(text[left:right], quote=False)
        if not covering:
            pieces.append(piece)
            continue
        classes = " ".join(dict.fromkeys(s.css for s in covering))
        title = " | ".join(dict.fromkeys(s.label for s in covering))
        pieces.append(f'<mark class="{html.escape(classes, quote=True)}" '
                      f'title="{html.escape(title, quote=True)}">{piece}</mark>')
    return "".join(pieces)


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
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
                  index_href: str = "../../index.html") -> str:
    """The evidence page of one article as an HTML document (claims and estimates: that
    article's rows)."""
    spans, notes = article_spans(article, claims, estimates)
    title = article.title or article.article_id
    meta = [("article_id", html.escape(article.article_id)), ("file", html.escape(article.file)),
            ("date", html.escape(f"{article.date or 'undated'} (from {article.date_source})")),
            ("outlet", html.escape(article.outlet)), ("title", html.escape(article.title)),
            ("url", _safe_link(article.url))]
    meta_rows = "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in meta)
    legend = "".join(f'<li><mark class="{css}">{html.escape(css)}</mark> {html.escape(text)}</li>'
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


def write_evidence_pages(articles: list[Article], claims: pd.DataFrame, estimates: pd.DataFrame,
                         out_dir: str | Path, limit: int | None = None,
                         per_listing: int = 200) -> list[tuple[Article, str, dict]]:
    """Write OUT/html/articles/<file>.html for the first `limit` articles by id (all when None)
    and the listing html/articles/index.html (continued in index-2.html ... every `per_listing`
    rows); old pages in that folder are removed first.

    Returns (article, file name, counts) per page written."""
    folder = Path(out_dir) / "html" / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.html"):
        old.unlink()
    chosen = sorted(articles, key=lambda a: a.article_id)
    if limit is not None:
        chosen = chosen[:max(limit, 0)]
    claim_groups = {k: g for k, g in claims.groupby("article_id", sort=False)}
    estimate_groups = {k: g for k, g in estimates.groupby("article_id", sort=False)}
    written = []
    for article in chosen:
        article_claims = claim_groups.get(article.article_id, claims.iloc[0:0])
        article_estimates = estimate_groups.get(article.article_id, estimates.iloc[0:0])
        name = evidence_file_name(article.article_id)
        (folder / name).write_text(evidence_page(article, article_claims, article_estimates), encoding="utf-8")
        stances = article_claims["stance"].value_counts()
        counts = {"claims": stances.get("claim", 0), "denials": stances.get("denial", 0),
                  "non_denials": stances.get("non_denial", 0), "estimates": len(article_estimates)}
        written.append((article, name, counts))
    per_listing = max(per_listing, 1)
    pages = max(1, -(-len(written) // per_listing))
    for page_no in range(1, pages + 1):
        start = (page_no - 1) * per_listing
        listing = evidence_index(written[start:start + per_listing], len(articles), page_no, pages, start + 1,
                                 len(written))
        (folder / listing_name(page_no)).write_text(listing, encoding="utf-8")
    return written
