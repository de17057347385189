"""Web pages (.html / .htm saved in the articles folder) -> main text and metadata, with trafilatura.

Only the loader calls this, and only for a web page: importing trafilatura takes a while, so
it is imported on the first page a process reads, never for a folder of .txt files.

The page is untrusted data. It is parsed from the decoded string the loader read (never a
path or a URL: nothing here opens a file or the network), into one lxml tree that trafilatura
and the metadata lookups below share. Extraction settings are fixed here (EXTRACTION and
CONFIG_VALUES), not taken from trafilatura's defaults at run time, so the same file gives the
same text whatever trafilatura's settings.cfg says; the date search of htmldate runs with a
fixed max_date instead of today's. Scripts, styles, comments, nav and footer are not main text;
a first line that repeats the title (the <h1>) is left out of the body too. The outlet is the
site name the page declares (og:site_name, publisher meta, JSON-LD publisher), never one
made up from the host name; the url is the canonical link (http/https only).

The date is not trafilatura's (htmldate would guess 03/04/2024 one way): the page's own
publication-date markup is read as written and goes through analysis.dates like every other
date. In order: <meta> (article:published_time, datePublished, date, pubdate, dc.date...),
JSON-LD datePublished, <time datetime> marked as the publication time (itemprop or pubdate),
else the first <time datetime> inside an <article>, else the page's only <time datetime>.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

# trafilatura.bare_extraction keyword arguments. favor_precision: news pages carry menus,
# teasers and "related" boxes; precision keeps them out of the body, at the cost of dropping
# a short paragraph now and then. fast=False keeps the fallback extractors (deterministic).
EXTRACTION = dict(
    url=None, fast=False, favor_precision=True, favor_recall=False, include_comments=False,
    output_format="python", target_language=None, include_tables=True, include_images=False,
    include_formatting=False, include_links=False, deduplicate=False, with_metadata=True,
    only_with_metadata=False, url_blacklist=None, author_blacklist=None, prune_xpath=None,
)
# htmldate (run by trafilatura for its metadata; its date is not used): fixed bounds, no text search.
DATE_PARAMS = {"original_date": True, "extensive_search": False, "outputformat": "%Y-%m-%d",
               "min_date": "1990-01-01", "max_date": "2099-12-31"}
# trafilatura's [DEFAULT] settings that bear on extraction, fixed at the values of 2.3.1.
CONFIG_VALUES = {
    "MIN_EXTRACTED_SIZE": "250", "MIN_OUTPUT_SIZE": "1", "MIN_OUTPUT_COMM_SIZE": "1",
    "MAX_TREE_SIZE": "", "MIN_DUPLCHECK_SIZE": "100", "MAX_REPETITIONS": "2",
    "EXTENSIVE_DATE_SEARCH": "off", "MAX_FILE_SIZE": "1000000000", "MIN_FILE_SIZE": "10",
}

META_DATE_KEYS = (
    "article:published_time", "og:article:published_time", "datepublished", "date", "pubdate",
    "publishdate", "publish-date", "publish_date", "dc.date.issued", "dc.date", "dcterms.issued",
    "dcterms.created", "dcterms.date", "sailthru.date", "parsely-pub-date", "article.published",
    "originalpublicationdate",
)
MAX_JSON_LD_CHARS = 200_000


@dataclass(frozen=True)
class Page:
    """What a page gave: its main text and the metadata it declares ("" when absent)."""

    text: str
    title: str
    outlet: str
    url: str
    date: str        # the publication date as written in the page's markup
    date_where: str  # which markup held it, for warnings


_loaded: dict[str, object] = {}


def _trafilatura():
    """(trafilatura, config) on first use: the slow import happens only for web pages."""
    if not _loaded:
        import trafilatura
        from trafilatura.settings import use_config

        for name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
            logger = logging.getLogger(name)
            if logger.level == logging.NOTSET:  # its complaints become our rejection reasons
                logger.setLevel(logging.CRITICAL)
        config = use_config()
        for key, value in CONFIG_VALUES.items():
            config.set("DEFAULT", key, value)
        _loaded.update(module=trafilatura, config=config)
    return _loaded["module"], _loaded["config"]


def extract_page(html: str) -> Page | str:
    """A page's decoded HTML -> Page, or the one-line reason there is no article in it."""
    trafilatura, config = _trafilatura()
    from trafilatura.metadata import examine_meta, extract_meta_json
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)
    except Exception as error:  # lxml on hostile input: a reason, never a crash
        return f"not HTML: {type(error).__name__}"
    if tree is None:
        return "not HTML: no page structure found"
    try:
        document = trafilatura.bare_extraction(tree, date_extraction_params=dict(DATE_PARAMS),
                                               config=config, **EXTRACTION)
    except Exception as error:
        return f"no main text found: extraction failed ({type(error).__name__})"
    text = (getattr(document, "text", None) or "") if document is not None else ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return "no main text found"

    try:
        declared = extract_meta_json(tree, examine_meta(tree)).sitename
    except Exception:
        declared = None
    outlet = _clean(document.sitename) if declared else ""
    if outlet.lower().startswith(("http:", "https:", "www.")):  # article:publisher is often a URL
        outlet = ""
    url = _clean(document.url)
    if not url.lower().startswith(("http://", "https://")):
        url = ""
    title = _clean(document.title)
    # trafilatura keeps the <h1> as the first line: the title is metadata (as in a .txt header),
    # and a headline such as "Seoul: troops reach Kursk" would read as a labelled sentence.
    first, _, rest = text.partition("\n")
    if title and _clean(first) == title and rest.strip():
        text = rest.strip()
    date, where = publication_date(tree)
    return Page(text=text, title=title, outlet=outlet, url=url, date=date, date_where=where)


def _clean(value: object) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def publication_date(tree) -> tuple[str, str]:
    """(the publication date as the page's markup writes it, where it was) or ("", "")."""
    metas: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        content = (element.get("content") or "").strip()
        if key in META_DATE_KEYS and content and key not in metas:
            metas[key] = content
    for key in META_DATE_KEYS:
        if key in metas:
            return metas[key], f'<meta {key}>'
    for element in tree.iter("script"):
        if (element.get("type") or "").strip().lower() != "application/ld+json":
            continue
        source = element.text or ""
        if len(source) > MAX_JSON_LD_CHARS:
            continue
        try:
            found = _json_date(json.loads(source), 0)
        except (ValueError, RecursionError):
            continue
        if found:
            return found, "JSON-LD datePublished"
    times = [(element, (element.get("datetime") or "").strip()) for element in tree.iter("time")]
    times = [(element, value) for element, value in times if value]
    for element, value in times:
        if (element.get("itemprop") or "").lower() == "datepublished" or element.get("pubdate") is not None:
            return value, "<time datetime> marked as published"
    for element, value in times:
        if any(ancestor.tag == "article" for ancestor in element.iterancestors()):
            return value, "<time datetime> in <article>"
    if len({value for _, value in times}) == 1:
        return times[0][1], "<time datetime>"
    return "", ""


def _json_date(node, depth: int) -> str:
    if depth > 20:
        return ""
    if isinstance(node, dict):
        value = node.get("datePublished")
        if isinstance(value, str) and value.strip():
            return value.strip()
        children = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return ""
    for child in children:
        found = _json_date(child, depth + 1)
        if found:
            return found
    return ""
