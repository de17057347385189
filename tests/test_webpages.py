"""Web pages saved as .html / .htm in the articles folder (analysis.webpage through analysis.load).

The pages in tests/fixtures/webpages/ were written for these tests:
- kursk_wire.html: a newsroom article (h1, article:published_time and <time datetime>,
  og:site_name, canonical link) inside nav, an aside, a footer and scripts;
- words_date.html: date "October 30, 2024" in <meta name="date">, no site name, no canonical;
- ambiguous_date.html: article:published_time "03/04/2024" (refused) before a JSON-LD date;
- no_main_text.html: menus, an empty app <div> and a footer: no article in it.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.extract import extract_folder, extract_frames
from analysis.load import load_corpus, read_article
from analysis.webpage import publication_date

PAGES = Path(__file__).parent / "fixtures" / "webpages"
BOILERPLATE = ("SCRIPT_SHOULD_NOT_APPEAR", "STYLE_SHOULD_NOT_APPEAR", "FOOTER_SHOULD_NOT_APPEAR", "trackerId",
               "Subscribe to the Ledger newsletter", "Most read", "Privacy policy", "Ten recipes", "Front page",
               "Printed from the archive")


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(PAGES, workers=1)


def article(corpus, article_id):
    return next(a for a in corpus.articles if a.article_id == article_id)


def test_every_page_is_loaded_or_rejected(corpus):
    assert [a.article_id for a in corpus.articles] == ["ambiguous_date", "kursk_wire", "words_date"]
    assert [(r.file, r.reason) for r in corpus.rejected] == [("no_main_text.html", "no main text found")]


def test_newsroom_page_metadata(corpus):
    page = article(corpus, "kursk_wire")
    assert page.file == "kursk_wire.html"
    assert page.title == "Seoul: North Korean troops reach Kursk front"
    assert (page.date, page.date_source) == ("2024-10-30", "page")  # 09:15 +09:00: the date as written
    assert page.outlet == "Harbor Ledger"
    assert page.url == "https://ledger.example.org/world/2024/10/30/kursk-front"
    assert page.warnings == ()


def test_body_is_the_main_text_without_nav_footer_script_or_title(corpus):
    page = article(corpus, "kursk_wire")
    assert page.body.startswith("South Korea's National Intelligence Service said on Wednesday")
    assert page.body.endswith("by the end of the year.")
    for text in BOILERPLATE:
        assert text not in page.body
    assert "<" not in page.body and "fetch(" not in page.body
    assert [s.paragraph_no for s in page.sentences] == [1, 2, 3, 4]
    for sentence in page.sentences:
        assert page.body[sentence.start:sentence.end] == sentence.text


def test_date_in_words_in_a_meta_tag_and_no_site_name(corpus):
    page = article(corpus, "words_date")
    assert (page.date, page.date_source) == ("2024-10-30", "page")
    assert page.outlet == "" and page.url == ""
    assert page.title == "Lawmakers briefed on troop movements"
    assert "Front page" not in page.body and "Printed from the archive" not in page.body


def test_ambiguous_page_date_is_refused_with_a_warning(corpus):
    page = article(corpus, "ambiguous_date")
    assert (page.date, page.date_source) == ("", "none")
    assert page.warnings == (
        "bad date '03/04/2024' in page metadata (ambiguous_date.html <meta article:published_time>: ambiguous "
        "numeric date (day and month could be swapped); write it as YYYY-MM-DD); date left empty",)
    assert page.outlet == "Ridge Dispatch"


def test_extracted_rows_point_into_the_body(corpus):
    claims, estimates = extract_frames(corpus, workers=1)
    bodies = {a.article_id: a.body for a in corpus.articles}
    assert set(estimates["article_id"]) >= {"kursk_wire", "words_date"}
    for row in estimates.itertuples():
        assert bodies[row.article_id][row.start:row.end] == row.phrase
    assert {"about 3,000", "as many as 10,000"} <= set(estimates.loc[estimates["article_id"] == "kursk_wire", "phrase"])
    for row in claims.itertuples():
        assert bodies[row.article_id][row.start:row.end] == row.sentence
    kursk = claims[claims["article_id"] == "kursk_wire"]
    assert {"KOR", "UKR", "RUS"} <= set(kursk["party"])


def test_loading_twice_gives_the_same_articles(corpus):
    again = load_corpus(PAGES, workers=1)
    assert again.articles == corpus.articles and again.rejected == corpus.rejected
    assert again.articles_frame().equals(corpus.articles_frame())


def test_a_fresh_process_extracts_the_same_text(corpus):
    code = ("import sys, hashlib; from analysis.load import load_corpus; "
            "c = load_corpus(sys.argv[1], workers=1); "
            "print(' '.join(hashlib.sha256(a.body.encode()).hexdigest() for a in c.articles))")
    out = subprocess.run([sys.executable, "-c", code, str(PAGES)], capture_output=True, text=True, check=True)
    import hashlib
    assert out.stdout.split() == [hashlib.sha256(a.body.encode()).hexdigest() for a in corpus.articles]


def test_nothing_is_fetched_from_the_network(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    shutil.copytree(PAGES, tmp_path / "pages")
    # a page that is nothing but a URL: htmldate downloads strings like this one
    (tmp_path / "pages" / "just_a_url.html").write_text("https://ledger.example.org/world/story", encoding="utf-8")
    corpus = load_corpus(tmp_path / "pages", workers=1)
    assert len(corpus.articles) == 3
    assert ("just_a_url.html", "not HTML: no page structure found") in [(r.file, r.reason) for r in corpus.rejected]


def test_html_and_txt_with_one_article_id_collide(tmp_path):
    shutil.copy(PAGES / "kursk_wire.html", tmp_path / "story.html")
    (tmp_path / "story.txt").write_text("date: 2024-10-30\n\nSeoul said 3,000 troops had left.\n", encoding="utf-8")
    corpus = load_corpus(tmp_path, workers=1)
    assert [a.file for a in corpus.articles] == ["story.html"]
    assert [(r.file, r.reason) for r in corpus.rejected] == [
        ("story.txt", "duplicate article_id of story (file story.html)")]


def test_htm_suffix_and_any_case_are_web_pages(tmp_path):
    shutil.copy(PAGES / "words_date.html", tmp_path / "Briefing.HTM")
    corpus = load_corpus(tmp_path, workers=1)
    assert [(a.article_id, a.file, a.date) for a in corpus.articles] == [("Briefing", "Briefing.HTM", "2024-10-30")]


def test_manifest_supplies_what_the_page_lacks_and_warns_on_disagreement(tmp_path):
    shutil.copy(PAGES / "words_date.html", tmp_path / "words_date.html")
    shutil.copy(PAGES / "kursk_wire.html", tmp_path / "kursk_wire.html")
    (tmp_path / "manifest.csv").write_text(
        "article_id,date,outlet,url,title,date_basis\n"
        "words_date,2024-10-30,Capital Post,https://post.example.org/b,,manifest\n"
        "kursk_wire,2024-10-29,Other Name,,,manifest\n", encoding="utf-8")
    corpus = load_corpus(tmp_path, workers=1)
    words, kursk = article(corpus, "words_date"), article(corpus, "kursk_wire")
    assert (words.outlet, words.url, words.date, words.warnings) == (
        "Capital Post", "https://post.example.org/b", "2024-10-30", ())
    assert (kursk.date, kursk.date_source, kursk.outlet) == ("2024-10-30", "page", "Harbor Ledger")
    assert kursk.warnings == ("page date 2024-10-30 differs from manifest date 2024-10-29; page wins",)
    assert corpus.notes == []


def test_manifest_row_of_a_rejected_page_is_not_reported_as_unmatched(tmp_path):
    shutil.copy(PAGES / "no_main_text.html", tmp_path / "empty_page.html")
    (tmp_path / "manifest.csv").write_text("article_id,date\nempty_page,2024-10-30\n", encoding="utf-8")
    corpus = load_corpus(tmp_path, workers=1)
    assert corpus.articles == [] and corpus.notes == []


@pytest.mark.parametrize("name, data, reason", [
    ("empty.html", b"", "empty file"),
    ("blank.html", b" \n\t ", "whitespace only"),
    ("binary.html", b"<html>\x00\x01</html>", "binary: contains NUL bytes"),
    ("charset.html", b'<html><head><meta charset="x-no-such-charset"></head><body>caf\xe9</body></html>',
     "not decodable: not UTF-8 (byte 62) and the declared charset 'x-no-such-charset' is unknown"),
])
def test_page_rejections(tmp_path, name, data, reason):
    (tmp_path / name).write_bytes(data)
    assert [(r.file, r.reason) for r in load_corpus(tmp_path, workers=1).rejected] == [(name, reason)]


def test_page_over_the_size_limit_is_rejected_unread(tmp_path):
    shutil.copy(PAGES / "kursk_wire.html", tmp_path / "big.html")
    size = (tmp_path / "big.html").stat().st_size
    result = read_article(tmp_path / "big.html", "big", max_bytes=1000)
    assert result.reason == f"too large: {size} bytes (limit 1000)"


def test_declared_legacy_charset_is_used(tmp_path):
    page = (PAGES / "words_date.html").read_text(encoding="utf-8")
    page = page.replace('<meta charset="utf-8">', '<meta charset="windows-1251">')
    page = page.replace("speculation.", "speculation (\u0434\u0435\u0437\u0438\u043d\u0444\u043e\u0440\u043c\u0430\u0446\u0438\u044f).")
    data = page.encode("cp1251")
    (tmp_path / "cyrillic.html").write_bytes(data)
    result = load_corpus(tmp_path, workers=1).articles[0]
    assert "(\u0434\u0435\u0437\u0438\u043d\u0444\u043e\u0440\u043c\u0430\u0446\u0438\u044f)" in result.body
    first_non_ascii = next(i for i, byte in enumerate(data) if byte > 127)
    assert result.warnings == (
        f"not valid UTF-8 (byte {first_non_ascii}); decoded as the declared charset windows-1251",)


def test_publication_date_prefers_marked_times_and_ignores_sidebar_times():
    from lxml import html

    sidebar = html.fromstring("<html><body><aside><time datetime='2023-01-01'>x</time></aside>"
                              "<article><p>a</p><time datetime='2024-10-30T08:00:00Z'>y</time></article></body></html>")
    assert publication_date(sidebar) == ("2024-10-30T08:00:00Z", "<time datetime> in <article>")
    marked = html.fromstring("<html><body><time datetime='2023-01-01'>x</time>"
                             "<time itemprop='datePublished' datetime='2024-10-30'>y</time></body></html>")
    assert publication_date(marked) == ("2024-10-30", "<time datetime> marked as published")
    several = html.fromstring("<html><body><time datetime='2023-01-01'>x</time><time datetime='2024-10-30'>y</time>"
                              "</body></html>")
    assert publication_date(several) == ("", "")
    json_ld = html.fromstring('<html><head><script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, '
                              '{"@type": "NewsArticle", "datePublished": "October 30, 2024"}]}</script></head>'
                              "<body><p>x</p></body></html>")
    assert publication_date(json_ld) == ("October 30, 2024", "JSON-LD datePublished")


def test_extract_command_reads_pages_and_lists_rejected_ones(tmp_path):
    out = tmp_path / "out"
    result = extract_folder(PAGES, out, workers=1)
    import csv

    with (out / "tables" / "articles.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with (out / "tables" / "rejected.csv").open(newline="", encoding="utf-8") as handle:
        rejected = list(csv.DictReader(handle))
    assert [r["file"] for r in rows] == ["ambiguous_date.html", "kursk_wire.html", "words_date.html"]
    assert [(r["file"], r["reason"]) for r in rejected] == [("no_main_text.html", "no main text found")]
    assert result.n_estimates >= 4


def test_a_folder_without_pages_does_not_import_trafilatura(tmp_path):
    (tmp_path / "a.txt").write_text("Seoul said 3,000 troops had left.\n", encoding="utf-8")
    (tmp_path / "b.html").write_bytes(b"")
    code = ("import sys; from analysis.load import load_corpus; load_corpus(sys.argv[1], workers=1); "
            "print('trafilatura' in sys.modules)")
    run = lambda folder: subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True,  # noqa: E731
                                        text=True, check=True).stdout.strip()
    assert run(tmp_path) == "False"  # an empty .html is rejected before any HTML is parsed
    assert run(PAGES) == "True"


# --- any bytes as a web page ---------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_page_parts = st.sampled_from([
    "<!DOCTYPE html>", "<html>", "</html>", "<head>", "</head>", "<body>", "</body>", "<article>", "</article>",
    "<p>", "</p>", "<h1>", "</h1>", "<nav>", "</nav>", "<footer>", "</footer>", "<script>alert(1)</script>",
    "<style>p{}</style>", '<meta property="article:published_time" content="03/04/2024">',
    '<meta name="date" content="October 30, 2024">', '<time datetime="2024-10-30T09:15:00Z">x</time>',
    '<meta property="og:site_name" content="Harbor Ledger">', '<link rel="canonical" href="javascript:alert(1)">',
    '<script type="application/ld+json">{"datePublished": [</script>', "<!-- c -->", "<![CDATA[x]]>",
    "Seoul said about 3,000 North Korean soldiers had reached Kursk, officials said on Wednesday. ",
    "Peskov called it a \u201choax\u201d. ", "\r\n", "\n\n", "&amp;", "&#0;", "&#xD800;", "\u2028",
])
_pages = st.lists(st.one_of(_page_parts, st.text(max_size=20)), max_size=40).map("".join)


@settings(max_examples=150, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.one_of(_pages.map(lambda s: s.encode("utf-8", "surrogatepass")), st.binary(max_size=400)))
def test_any_bytes_as_a_page_give_an_article_or_a_reason(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("page") / "x.html"
    path.write_bytes(data)
    result = read_article(path, "x")
    if hasattr(result, "reason"):
        assert result.reason and "\n" not in result.reason and result.file == "x.html"
        return
    assert result.body and result.body == result.body.strip()
    assert len(result.body_norm) == len(result.body)
    assert result.url == "" or result.url.startswith(("http://", "https://"))
    assert "alert(1)" not in result.body
    for sentence in result.sentences:
        assert result.body[sentence.start:sentence.end] == sentence.text
    assert read_article(path, "x") == result
