"""The corpus loader: one test per rule of the loader, each on a small article written here."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from analysis.load import ManifestError, filter_by_date, load_corpus, normalise_for_matching
from analysis.paths import SEEDS_DIR

BODY = ("Ukrainian officials said on Tuesday that 3,000 North Korean soldiers were training in Russia. "
        "The Kremlin called the reports a hoax.")


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def load_one(tmp_path: Path, name: str, content: str | bytes):
    write(tmp_path, name, content)
    corpus = load_corpus(tmp_path)
    assert len(corpus.articles) + len(corpus.rejected) == 1
    return corpus


def sentences(article) -> list[str]:
    return [s.text for s in article.sentences]


# --- the seeds -------------------------------------------------------------------------------

def test_seeds_load_with_dates_from_header_and_manifest():
    corpus = load_corpus(SEEDS_DIR)
    frame = corpus.articles_frame().set_index("article_id")
    assert list(frame.index) == ["000_f0a2ea317c2ec4f5", "003_2abaae6c6ae518d7"]
    assert frame.loc["000_f0a2ea317c2ec4f5", ["date", "date_source"]].tolist() == ["2024-10-12", "header"]
    assert frame.loc["003_2abaae6c6ae518d7", ["date", "date_source"]].tolist() == ["2024-10-29", "manifest"]
    assert corpus.rejected == []


def test_seed_header_is_metadata_not_body():
    article = load_corpus(SEEDS_DIR).articles[0]
    assert article.body.startswith("According to South Korean and Ukrainian officials")
    assert not any(s.text.startswith("date") for s in article.sentences)


def test_seed_section_labels_are_kept_out_of_sentences():
    article = load_corpus(SEEDS_DIR).articles[0]
    labelled = [s for s in article.sentences if s.label]
    assert {s.label for s in labelled} == {"What Happened", "Why It Matters"}
    assert all(not s.text.startswith(("What Happened", "Why It Matters")) for s in article.sentences)


def test_seed_without_final_newline_splits_paragraphs_on_single_newlines():
    article = load_corpus(SEEDS_DIR).articles[1]
    assert article.sentences[-1].text.endswith("significantly impact the war's outcome.")
    assert max(s.paragraph_no for s in article.sentences) == 11


def test_sentence_offsets_slice_the_body_exactly():
    for article in load_corpus(SEEDS_DIR).articles:
        for sentence in article.sentences:
            assert article.body[sentence.start:sentence.end] == sentence.text


# --- headers -----------------------------------------------------------------------------------

def test_inline_date_header_shares_the_first_line(tmp_path):
    article = load_one(tmp_path, "a.txt", " date 2024-10-12 " + BODY).articles[0]
    assert article.date == "2024-10-12" and article.date_source == "header"
    assert sentences(article)[0].startswith("Ukrainian officials said")


def test_header_lines_date_title_outlet_url(tmp_path):
    text = ("date: 2024-11-02\ntitle: Troops in Kursk\noutlet: Example Wire\nurl: https://example.org/a\n\n" + BODY)
    article = load_one(tmp_path, "a.txt", text).articles[0]
    assert (article.date, article.title, article.outlet, article.url) == (
        "2024-11-02", "Troops in Kursk", "Example Wire", "https://example.org/a")
    assert article.body == BODY


def test_bad_header_date_keeps_article_with_empty_date_and_warning(tmp_path):
    article = load_one(tmp_path, "a.txt", "date 2024-13-45 " + BODY).articles[0]
    assert article.date == "" and article.date_source == "none"
    assert any("2024-13-45" in w for w in article.warnings)


def test_header_date_wins_over_manifest_with_warning(tmp_path):
    write(tmp_path, "a.txt", "date: 2024-10-20\n\n" + BODY)
    write(tmp_path, "manifest.csv", "article_id,date,outlet,url,title,date_basis\na,2024-10-01,Wire,,,test\n")
    corpus = load_corpus(tmp_path)
    article = corpus.articles[0]
    assert article.date == "2024-10-20" and article.date_source == "header"
    assert article.outlet == "Wire"
    assert any("differs from manifest" in w for w in article.warnings)


def test_manifest_in_folder_is_metadata_not_an_article(tmp_path):
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "manifest.csv", "article_id,date\na,2024-10-05\n")
    corpus = load_corpus(tmp_path)
    assert [a.date for a in corpus.articles] == ["2024-10-05"]
    assert corpus.rejected == []


def test_manifest_elsewhere_is_used_when_named(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    write(articles, "a.txt", BODY)
    manifest = write(tmp_path, "meta.csv", "article_id,date\na,2024-10-05\n")
    assert load_corpus(articles, manifest).articles[0].date_source == "manifest"


def test_bad_manifest_names_the_file(tmp_path):
    write(tmp_path, "a.txt", BODY)
    manifest = write(tmp_path, "meta.csv", "id,when\na,2024-10-05\n")
    with pytest.raises(ManifestError, match="meta.csv"):
        load_corpus(tmp_path, manifest)


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere"):
        load_corpus(tmp_path / "nowhere")


# --- paragraphs, labels, quotes --------------------------------------------------------------

def test_blank_lines_separate_paragraphs_and_single_newlines_wrap(tmp_path):
    text = "Officials said the troops\nwere in Kursk.\n\nThe Kremlin denied it.\n"
    article = load_one(tmp_path, "a.txt", text).articles[0]
    assert [(s.paragraph_no, s.text) for s in article.sentences] == [
        (1, "Officials said the troops\nwere in Kursk."), (2, "The Kremlin denied it.")]


def test_section_label_is_kept_out_of_the_sentence(tmp_path):
    article = load_one(tmp_path, "a.txt", "Background: Seoul said 1,500 soldiers had left.\n").articles[0]
    assert article.sentences[0].label == "Background"
    assert article.sentences[0].text == "Seoul said 1,500 soldiers had left."


def test_typographic_quotes_are_kept_for_display_and_normalised_for_matching(tmp_path):
    text = "Peskov called it a \u201choax,\u201d and Russia\u2019s envoy agreed."
    article = load_one(tmp_path, "a.txt", text).articles[0]
    assert article.body == text
    assert article.body_norm == 'Peskov called it a "hoax," and Russia\'s envoy agreed.'
    assert len(article.body_norm) == len(article.body)
    assert normalise_for_matching("\u2018x\u2019") == "'x'"


@pytest.mark.parametrize("text, expected", [
    ("The U.S. said Gen. Budanov spoke. He agreed.", ["The U.S. said Gen. Budanov spoke.", "He agreed."]),
    ("It has 1.2 million soldiers. Seoul said so.", ["It has 1.2 million soldiers.", "Seoul said so."]),
    ("The report came on Oct. 8.In a statement, Kyiv agreed.", ["The report came on Oct. 8.", "In a statement, Kyiv agreed."]),
    ('He called it "a hoax." The ministry agreed.', ['He called it "a hoax."', "The ministry agreed."]),
])
def test_sentence_splitting_survives_news_text(tmp_path, text, expected):
    assert sentences(load_one(tmp_path, "a.txt", text).articles[0]) == expected


# --- encodings and line ends -------------------------------------------------------------------

@pytest.mark.parametrize("name, data, warned", [
    ("utf8-bom", codecs.BOM_UTF8 + BODY.encode("utf-8"), False),
    ("utf16-le-bom", BODY.encode("utf-16"), False),
    ("utf16-be-bom", codecs.BOM_UTF16_BE + BODY.encode("utf-16-be"), False),
    ("cp1252", ("Seoul\u2019s spy agency said 3,000 troops left. " + BODY).encode("cp1252"), True),
])
def test_encodings(tmp_path, name, data, warned):
    article = load_one(tmp_path, f"{name}.txt", data).articles[0]
    assert article.body.endswith("The Kremlin called the reports a hoax.")
    assert not article.body.startswith("\ufeff")
    assert any("cp1252" in w for w in article.warnings) == warned


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_line_ends_read_like_lf(tmp_path, newline):
    lf = "Officials said the troops left.\n\nThe Kremlin denied it.\n"
    (tmp_path / "lf").mkdir()
    (tmp_path / "other").mkdir()
    write(tmp_path / "lf", "a.txt", lf)
    write(tmp_path / "other", "a.txt", lf.replace("\n", newline))
    assert sentences(load_corpus(tmp_path / "lf").articles[0]) == sentences(load_corpus(tmp_path / "other").articles[0])


# --- rejections --------------------------------------------------------------------------------

@pytest.mark.parametrize("name, content, reason", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\t\n ", "whitespace only"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary: contains NUL bytes"),
    ("notes.md", b"# not an article", "ignored: not a .txt article"),
])
def test_rejected_with_reason(tmp_path, name, content, reason):
    corpus = load_one(tmp_path, name, content)
    assert [(r.file, r.reason) for r in corpus.rejected] == [(name, reason)]


def test_file_over_the_size_limit_is_rejected(tmp_path):
    write(tmp_path, "big.txt", BODY * 50)
    corpus = load_corpus(tmp_path, max_bytes=1000)
    assert corpus.rejected[0].reason.startswith("too large")


def test_duplicate_body_keeps_the_first_by_file_name(tmp_path):
    write(tmp_path, "b.txt", BODY)
    write(tmp_path, "a.txt", "date: 2024-10-01\n\n" + BODY.replace("said", "said ") + "\n")
    corpus = load_corpus(tmp_path)
    assert [a.article_id for a in corpus.articles] == ["a"]
    assert [(r.file, r.reason) for r in corpus.rejected] == [("b.txt", "duplicate of a")]


def test_sub_folder_is_listed_not_read(tmp_path):
    (tmp_path / "more").mkdir()
    write(tmp_path / "more", "x.txt", BODY)
    corpus = load_corpus(tmp_path)
    assert [r.file for r in corpus.rejected] == ["more"]
    assert corpus.rejected[0].reason.startswith("ignored: sub-folder")


def test_every_file_is_loaded_or_rejected_exactly_once_and_sorted(tmp_path):
    for name, content in [("c.txt", BODY), ("a.txt", BODY + " Seoul agreed."), ("e.txt", b""),
                          ("b.md", "x"), ("d.txt", b"\x00\x01")]:
        write(tmp_path, name, content)
    corpus = load_corpus(tmp_path)
    files = [a.file for a in corpus.articles] + [r.file for r in corpus.rejected]
    assert sorted(files) == ["a.txt", "b.md", "c.txt", "d.txt", "e.txt"]
    assert [a.article_id for a in corpus.articles] == ["a", "c"]
    assert [r.file for r in corpus.rejected] == sorted(r.file for r in corpus.rejected)


def test_date_filter_keeps_undated_articles(tmp_path):
    write(tmp_path, "early.txt", "date: 2024-10-01\n\n" + BODY)
    write(tmp_path, "late.txt", "date: 2024-12-01\n\n" + BODY + " More.")
    write(tmp_path, "undated.txt", BODY + " Still more.")
    kept = filter_by_date(load_corpus(tmp_path), "2024-11-01", "2024-12-31")
    assert [a.article_id for a in kept.articles] == ["late", "undated"]
