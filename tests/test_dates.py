"""Dates as newsrooms write them (analysis.dates), in .txt headers and manifest.csv."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from analysis.dates import normalise_date
from analysis.load import load_corpus, read_header

BODY = ("Seoul's spy agency said on Wednesday that about 3,000 North Korean soldiers had reached Kursk. "
        "Moscow called the reports speculation.")


def write(folder: Path, name: str, content: str) -> Path:
    path = folder / name
    path.write_text(content, encoding="utf-8")
    return path


def only_article(folder: Path):
    corpus = load_corpus(folder, workers=1)
    assert corpus.rejected == [] and len(corpus.articles) == 1, corpus.rejected
    return corpus.articles[0]


# --- the normaliser ----------------------------------------------------------------------------

@pytest.mark.parametrize("written", [
    "October 30, 2024", "Oct. 30, 2024", "Oct 30, 2024", "30 Oct 2024", "30 October 2024",
    "Wednesday, October 30, 2024", "Wed, 30 Oct 2024 09:15:00 GMT", "2024-10-30", "2024-10-30T09:15:00Z",
    "2024-10-30T23:45:00-05:00", "2024-10-30T01:00:00+09:00", "2024-10-30 09:15", "2024/10/30", "2024.10.30",
    "October 30th, 2024", "Oct. 30, 2024, 9:15 a.m. ET", "Oct 30, 2024 11:45 PM EDT", "  2024-10-30  ",
])
def test_newsroom_forms_give_the_calendar_date_as_written(written):
    assert normalise_date(written) == ("2024-10-30", "")


def test_short_iso_and_september_abbreviation():
    assert normalise_date("2024-1-5") == ("2024-01-05", "")
    assert normalise_date("Sept. 3, 2024") == ("2024-09-03", "")


@pytest.mark.parametrize("written", ["03/04/2024", "3.4.2024", "13/04/2024", "30/10/2024", "10-30-2024",
                                     "30.10.2024", "10/30/24"])
def test_day_month_numeric_forms_are_refused_not_guessed(written):
    date, problem = normalise_date(written)
    assert date is None and problem.startswith("ambiguous numeric date")


@pytest.mark.parametrize("written, problem", [
    ("sometime last week", "no four-digit year"),
    ("Oct 30", "no four-digit year"),
    ("30 Oct 24", "no four-digit year"),
    ("October 2024", "incomplete date (day, month or year missing)"),
    ("Tuesday, October 30, 2024", "weekday does not match 2024-10-30"),
    ("2024-13-45", "not a calendar date"),
    ("2024/02/30", "not a calendar date"),
    ("February 30, 2024", "not a date"),
    ("2024 10 30", "no month name (numeric dates must be YYYY-MM-DD)"),
    ("", "empty"),
    ("October 30, 2024 " + "x" * 100, "over 80 characters"),
])
def test_refusals_say_why(written, problem):
    assert normalise_date(written) == (None, problem)


def test_iso_dates_take_the_fast_path_without_dateutil(monkeypatch):
    import analysis.dates as dates

    monkeypatch.setattr(dates, "_parse_words", lambda *a: pytest.fail("dateutil called for an ISO date"))
    for value in ("2024-10-30", "2024-10-30T09:15:00Z", "2024/10/30", "03/04/2024", "2024-13-45"):
        dates.normalise_date(value)


def test_dateutil_is_not_imported_for_a_folder_of_iso_dates(tmp_path):
    import subprocess

    write(tmp_path, "a.txt", "date: 2024-10-30\n\n" + BODY)
    code = ("import sys; from analysis.load import load_corpus; c = load_corpus(sys.argv[1], workers=1); "
            "assert c.articles[0].date == '2024-10-30'; print('dateutil' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    # pandas is not imported by the loader, so nothing else brings dateutil in
    assert out.stdout.strip() == "False"


# --- .txt headers ------------------------------------------------------------------------------

@pytest.mark.parametrize("written", ["October 30, 2024", "Oct. 30, 2024", "30 Oct 2024", "2024-10-30T09:15:00Z",
                                     "2024/10/30", "30 October 2024", "Wednesday, October 30, 2024"])
def test_header_dates_in_newsroom_forms_keep_the_title_and_the_body(tmp_path, written):
    write(tmp_path, "a.txt", f"title: Troops reach Kursk\ndate: {written}\noutlet: Harbor Ledger\n\n{BODY}\n")
    article = only_article(tmp_path)
    assert (article.date, article.date_source) == ("2024-10-30", "header")
    assert (article.title, article.outlet) == ("Troops reach Kursk", "Harbor Ledger")
    assert article.body == BODY
    assert article.warnings == ()


def test_colonless_date_line_in_words_is_a_header(tmp_path):
    write(tmp_path, "a.txt", f"Date October 30, 2024\n\n{BODY}")
    article = only_article(tmp_path)
    assert (article.date, article.body) == ("2024-10-30", BODY)


def test_body_that_starts_with_the_word_date_stays_body(tmp_path):
    text = "Date palms grow near the border, officials said. " + BODY
    write(tmp_path, "a.txt", text)
    article = only_article(tmp_path)
    assert article.body == text and article.date == ""


@pytest.mark.parametrize("written, problem", [
    ("sometime last week", "no four-digit year"),
    ("03/04/2024", "ambiguous numeric date (day and month could be swapped); write it as YYYY-MM-DD"),
    ("Tuesday, October 30, 2024", "weekday does not match 2024-10-30"),
])
def test_unreadable_header_date_is_dropped_with_a_warning_never_read_as_body(tmp_path, written, problem):
    write(tmp_path, "story.txt", f"title: Troops reach Kursk\ndate: {written}\nurl: https://ledger.example.org/a\n\n{BODY}")
    article = only_article(tmp_path)
    assert (article.date, article.date_source) == ("", "none")
    assert article.title == "Troops reach Kursk" and article.url == "https://ledger.example.org/a"
    assert article.body == BODY
    assert not any(s.text.lower().startswith(("title", "date", "url")) for s in article.sentences)
    assert article.warnings == (f"bad date {written!r} in header (story.txt line 2: {problem}); date left empty",)


def test_bad_header_date_leaves_the_article_undated_even_with_a_manifest_date(tmp_path):
    write(tmp_path, "a.txt", f"date: 03/04/2024\n\n{BODY}")
    write(tmp_path, "manifest.csv", "article_id,date\na,2024-10-30\n")
    article = only_article(tmp_path)
    assert (article.date, article.date_source) == ("", "none")
    assert len(article.warnings) == 1 and "ambiguous" in article.warnings[0]


def test_repeated_header_key_stays_in_the_header_with_a_warning(tmp_path):
    write(tmp_path, "a.txt", f"title: First\ntitle: Second\ndate: October 30, 2024\n\n{BODY}")
    article = only_article(tmp_path)
    assert article.title == "First" and article.body == BODY and article.date == "2024-10-30"
    assert article.warnings == ("header (a.txt line 2: repeated 'title' ignored, the first (line 1) kept)",)


def test_header_lines_are_numbered_from_the_top():
    header = read_header("title: T\noutlet: O\ndate: whenever\n\nBody.")
    assert header.fields == {"title": "T", "outlet": "O", "date": "whenever"}
    assert header.lines == {"title": 1, "outlet": 2, "date": 3}
    assert header.body_start == len("title: T\noutlet: O\ndate: whenever\n")


def test_files_without_a_header_are_unchanged(tmp_path):
    write(tmp_path, "a.txt", BODY + "\n")
    article = only_article(tmp_path)
    assert (article.body, article.date, article.title, article.warnings) == (BODY, "", "", ())


# --- manifest.csv ------------------------------------------------------------------------------

@pytest.mark.parametrize("written", ["October 30, 2024", "30 Oct 2024", "2024-10-30T09:15:00Z", "2024/10/30",
                                     "Wednesday, October 30, 2024"])
def test_manifest_dates_in_newsroom_forms(tmp_path, written):
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "manifest.csv", f'article_id,date\na,"{written}"\n')
    article = only_article(tmp_path)
    assert (article.date, article.date_source, article.warnings) == ("2024-10-30", "manifest", ())


def test_ambiguous_manifest_date_is_ignored_with_a_warning(tmp_path):
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "manifest.csv", "article_id,date\na,03/04/2024\n")
    article = only_article(tmp_path)
    assert (article.date, article.date_source) == ("", "none")
    assert article.warnings == ("bad date '03/04/2024' in manifest (ambiguous numeric date (day and month could be "
                                "swapped); write it as YYYY-MM-DD); ignored",)


def test_header_and_manifest_in_different_forms_agree_without_a_warning(tmp_path):
    write(tmp_path, "a.txt", f"date: Oct. 30, 2024\n\n{BODY}")
    write(tmp_path, "manifest.csv", 'article_id,date\na,"30 October 2024"\n')
    article = only_article(tmp_path)
    assert (article.date, article.date_source, article.warnings) == ("2024-10-30", "header", ())


def test_header_and_manifest_that_disagree_keep_the_header_with_a_warning(tmp_path):
    write(tmp_path, "a.txt", f"date: October 30, 2024\n\n{BODY}")
    write(tmp_path, "manifest.csv", "article_id,date\na,2024-10-29\n")
    article = only_article(tmp_path)
    assert (article.date, article.date_source) == ("2024-10-30", "header")
    assert article.warnings == ("header date 2024-10-30 differs from manifest date 2024-10-29; header wins",)
