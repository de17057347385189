"""Evidence pages on large and hostile input: markup that scales, page names that never collide,
and stale-page removal that only ever touches the project's own files."""

from __future__ import annotations

import hashlib
import html
import time
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import evidence
from analysis.evidence import Span
from analysis.load import Article

FIXTURES = Path(__file__).parent / "fixtures" / "extraction" / "articles"


# --- the markup as it was: every output must stay byte-identical to it ------------------------


def reference_mark_up(text: str, spans: list[Span]) -> str:
    """evidence.mark_up before the sweep: the covering spans rebuilt at every boundary."""
    valid = sorted({s for s in spans if 0 <= s.start < s.end <= len(text)},
                   key=lambda s: (s.start, -s.end, s.css, s.anchor, s.label))
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


spans_strategy = st.lists(
    st.builds(Span, st.integers(-3, 45), st.integers(-3, 45),
              st.sampled_from(["claim", "denial", "non_denial", "mixed", "cue", "estimate", "row", "a\"<b"]),
              st.sampled_from(["", "claim by UKR", "cue: denied", "x | y", "<&>\"'", "3,000"]),
              st.sampled_from(["", "s0-5", "e3-9", "r1", "a<\"&>", "row-c-2"])),
    max_size=25)


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet="ab <>&\"'\n\u00e9\u5317", max_size=40), spans_strategy)
def test_mark_up_is_byte_identical_to_the_reference(text, spans):
    assert evidence.mark_up(text, spans) == reference_mark_up(text, spans)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 30), st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=40))
def test_many_nested_and_repeated_spans_match_the_reference(length, bounds):
    text = "x" * length
    spans = [Span(a, b, "claim" if a % 2 else "cue", f"label {a % 3}", f"s{a}" if a % 4 else "") for a, b in bounds]
    spans += [Span(a, a, "row", "", f"r{a}") for a, _ in bounds]  # the zero-width row anchors
    assert evidence.mark_up(text, spans) == reference_mark_up(text, spans)


def test_zero_width_anchors_stay_where_they_were():
    text = "One. Two three. Four."
    spans = [Span(5, 15, "claim", "claim by UKR", "s5-15"), Span(5, 5, "row", "", "c-1"),
             Span(9, 9, "row", "", "e-2"), Span(len(text), len(text), "row", "", "end"), Span(0, 0, "row", "", "start")]
    marked = evidence.mark_up(text, spans)
    assert marked == reference_mark_up(text, spans)
    assert marked.startswith('<a id="start"></a>One. <a id="c-1"></a><a id="s5-15"></a>')
    assert '<a id="e-2"></a>' in marked


@pytest.fixture(scope="module")
def fixture_run():
    from analysis import views

    return views.build_run(str(FIXTURES))


def test_pages_of_the_extraction_fixtures_are_unchanged(fixture_run, monkeypatch):
    run, corpus = fixture_run
    assert corpus.articles
    for metadata in corpus.articles:
        article = corpus.full_article(metadata)  # the run keeps metadata; the text is read again
        claims = run.claims[run.claims["article_id"] == article.article_id]
        estimates = run.estimates[run.estimates["article_id"] == article.article_id]
        spans, _ = evidence.article_spans(article, claims, estimates)
        assert evidence.mark_up(article.body, spans) == reference_mark_up(article.body, spans), article.article_id
        new_page = evidence.evidence_page(article, claims, estimates)
        with monkeypatch.context() as patched:
            patched.setattr(evidence, "mark_up", reference_mark_up)
            assert evidence.evidence_page(article, claims, estimates) == new_page, article.article_id


# --- time grows with size, not with its square -------------------------------------------------

SENTENCE = "Officials said {n} North Korean soldiers had arrived in Kursk, the ministry confirmed. "


def big_article(sentences: int) -> tuple[str, list[Span]]:
    """A body of `sentences` marked sentences: each a claim with a cue, a figure and row anchors."""
    parts, spans, at = [], [], 0
    for number in range(sentences):
        sentence = SENTENCE.format(n=f"{1000 + number:,}")
        end = at + len(sentence) - 1
        cue = at + sentence.index("confirmed")
        figure = at + sentence.index(f"{1000 + number:,}")
        spans += [Span(at, end, "claim", f"claim by UKR ({number})", f"s{at}-{end}"), Span(at, at, "row", "", f"c{number}"),
                  Span(cue, cue + 9, "cue", "cue: confirmed"),
                  Span(figure, figure + 5, "estimate", f"figure {number}", f"e{figure}"),
                  Span(figure, figure, "row", "", f"e{number}")]
        parts.append(sentence)
        at += len(sentence)
    return "".join(parts), spans


# Four times the sentences: linear work takes about 4x, quadratic 16x. The bound sits between
# them (8x), so a loaded machine's noise cannot fail a linear page but a quadratic one fails.
GROWTH_BOUND = 8


def best_of_three(work) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def test_mark_up_time_grows_linearly():
    small, large = big_article(2_000), big_article(8_000)
    small_time = best_of_three(lambda: evidence.mark_up(*small))
    large_time = best_of_three(lambda: evidence.mark_up(*large))
    assert large_time <= GROWTH_BOUND * small_time, f"2,000 sentences {small_time:.3f} s, 8,000 sentences {large_time:.3f} s"


def big_tables(sentences: int) -> tuple[Article, pd.DataFrame, pd.DataFrame]:
    body, spans = big_article(sentences)
    claims, estimates = [], []
    for number, span in enumerate(s for s in spans if s.css == "claim"):
        cue = span.start + SENTENCE.format(n=f"{1000 + number:,}").index("confirmed")
        figure = span.start + SENTENCE.index("{n}")
        claims.append(dict(row_id=f"big-c{number}", article_id="big", sentence_no=number + 1, party="UKR",
                           speaker="Officials", stance="claim", hedged=False, hedge="", cue="confirmed",
                           attribution="said", check="", review="", start=span.start, end=span.end,
                           cue_start=cue, cue_end=cue + 9))
        estimates.append(dict(row_id=f"big-e{number}", article_id="big", sentence_no=number + 1, party="UKR",
                              speaker="Officials", kind="deployed", low=1000 + number, high=1000 + number,
                              qualifier="", phrase=f"{1000 + number:,}", hedged=False, check="", review="",
                              start=figure, end=figure + 5))
    article = Article("big", "big.txt", "2024-10-20", "header", "Outlet", "Big", "https://example.org/big",
                      body, body.lower(), (), "0" * 64)
    return article, pd.DataFrame(claims), pd.DataFrame(estimates)


def test_whole_evidence_page_time_grows_linearly():
    small, large = big_tables(1_000), big_tables(4_000)
    small_time = best_of_three(lambda: evidence.evidence_page(*small))
    large_time = best_of_three(lambda: evidence.evidence_page(*large))
    page = evidence.evidence_page(*large)
    assert page.count('<tr class="paste">') == 8_000 and page.count("<mark ") >= 4_000 * 3
    assert large_time <= GROWTH_BOUND * small_time, f"1,000 sentences {small_time:.3f} s, 4,000 sentences {large_time:.3f} s"


# --- page names -------------------------------------------------------------------------------


def folded(name: str) -> str:
    """A name as a case- and normalisation-insensitive file system (macOS, Windows) compares it."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", name).casefold())


@pytest.mark.parametrize("article_id", [
    "000_f0a2ea317c2ec4f5", "003_2abaae6c6ae518d7", "plain_id-1", "with space", "it's", "Reuters 2024-10-20",
    "00 hostile \u00abKursk\u00bb it's #1 & 100%", "\u00dcn\u00efc\u00f8d\u00e9 \u5317", "report-abcdef",
])
def test_ordinary_ids_keep_their_names(article_id):
    assert evidence.evidence_file_name(article_id) == f"{article_id}.html"


def test_an_id_shaped_like_a_sanitised_name_gets_its_own_page():
    crafted = "x_y.txt-" + hashlib.sha1("x:y.txt".encode("utf-8")).hexdigest()[:10]
    assert evidence.evidence_file_name("x:y.txt") != evidence.evidence_file_name(crafted)
    assert folded(evidence.evidence_file_name("x:y.txt")) != folded(evidence.evidence_file_name(crafted.upper()))


def test_ids_differing_in_unicode_normalisation_get_different_names():
    composed, decomposed = "caf\u00e9", unicodedata.normalize("NFD", "caf\u00e9")
    names = {evidence.evidence_file_name(composed), evidence.evidence_file_name(decomposed)}
    assert len({folded(n) for n in names}) == 2
    assert evidence.evidence_file_name(composed) == "caf\u00e9.html"


def test_windows_device_names_are_not_used_as_they_are():
    for article_id in ("CON", "nul", "com1", "LPT9"):
        assert evidence.evidence_file_name(article_id) != f"{article_id}.html"


id_alphabet = st.sampled_from(list("aAbB_-:/\\.0123456789abcdef") + ["\u00e9", "e\u0301", "\u00c9", "\u00df", "x" * 60])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(id_alphabet, min_size=1, max_size=12).map("".join), min_size=2, max_size=6, unique=True))
def test_distinct_ids_never_share_a_page(ids):
    # Ids the loader would reject as duplicates (equal ignoring case) are left out: for those the
    # page writer refuses (test below).
    kept = list({i.casefold(): i for i in ids}.values())
    names = [evidence.evidence_file_name(i) for i in kept]
    assert len(set(names)) == len(kept)
    assert len({folded(n) for n in names}) == len(kept), names
    # the crafted twin of every id that needed a hash
    for article_id, name in zip(kept, names):
        twin = name[:-len(".html")]
        if twin != article_id:
            assert folded(evidence.evidence_file_name(twin)) != folded(name)


def article(article_id: str, body: str = "Nothing of note happened here.") -> Article:
    return Article(article_id, f"{article_id}.txt", "2024-10-20", "header", "Outlet", f"Title {article_id}", "",
                   body, body.lower(), (), "0" * 64)


EMPTY_CLAIMS = pd.DataFrame(columns=["article_id", "stance", "start", "end", "cue_start", "cue_end"])
EMPTY_ESTIMATES = pd.DataFrame(columns=["article_id", "start", "end"])


def write(articles: list[Article], out: Path, **options):
    return evidence.write_evidence_pages(articles, EMPTY_CLAIMS, EMPTY_ESTIMATES, out, **options)


def test_ids_differing_only_in_case_are_refused(tmp_path):
    with pytest.raises(evidence.EvidenceError, match="same evidence page"):
        write([article("Kursk"), article("kursk")], tmp_path / "out")
    assert not list((tmp_path / "out").rglob("*.html"))


def test_a_name_collision_fails_before_anything_is_overwritten(tmp_path, monkeypatch):
    write([article("one")], tmp_path / "out")
    page = tmp_path / "out" / "html" / "articles" / "one.html"
    before = page.read_text(encoding="utf-8")
    monkeypatch.setattr(evidence, "evidence_file_name", lambda article_id: "one.html")
    with pytest.raises(evidence.EvidenceError, match="same evidence page"):
        write([article("one", "First text."), article("two", "Second text.")], tmp_path / "out")
    assert page.read_text(encoding="utf-8") == before


# --- stale pages ------------------------------------------------------------------------------


def test_stale_pages_of_the_last_run_are_removed(tmp_path):
    out = tmp_path / "out"
    write([article(f"a{n}") for n in range(5)], out, per_listing=2)
    folder = out / "html" / "articles"
    assert (folder / "a4.html").exists() and (folder / "index-3.html").exists()
    write([article(f"a{n}") for n in range(2)], out, per_listing=2)
    assert sorted(p.name for p in folder.glob("*.html")) == ["a0.html", "a1.html", "index.html"]
    assert (folder / ".pages").read_text(encoding="utf-8").split() == ["a0.html", "a1.html", "index.html"]


def test_files_the_project_did_not_write_are_kept(tmp_path):
    folder = tmp_path / "out" / "html" / "articles"
    folder.mkdir(parents=True)
    (folder / "my-notes.html").write_text("mine", encoding="utf-8")
    write([article("a0")], tmp_path / "out")
    write([article("a1")], tmp_path / "out")
    assert (folder / "my-notes.html").read_text(encoding="utf-8") == "mine"
    assert not (folder / "a0.html").exists()


def test_a_tampered_page_list_deletes_nothing_outside_the_folder(tmp_path):
    out = tmp_path / "out"
    folder = out / "html" / "articles"
    folder.mkdir(parents=True)
    victim = out / "html" / "victim.html"
    victim.write_text("keep", encoding="utf-8")
    (tmp_path / "abs.html").write_text("keep", encoding="utf-8")
    (folder / "notes.txt").write_text("keep", encoding="utf-8")
    (folder / ".pages").write_text(f"../victim.html\n{tmp_path / 'abs.html'}\nnotes.txt\n.pages\n..\n", encoding="utf-8")
    write([article("a0")], out)
    assert victim.read_text(encoding="utf-8") == "keep"
    assert (tmp_path / "abs.html").read_text(encoding="utf-8") == "keep"
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "keep"


@pytest.mark.parametrize("linked", ["html/articles", "html"])
def test_a_symlinked_output_folder_is_refused(tmp_path, linked):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "articles").mkdir(parents=True)
    for folder in (elsewhere, elsewhere / "articles"):
        for name in ("precious.html", "index.html", "a0.html"):
            (folder / name).write_text("precious", encoding="utf-8")
        (folder / ".pages").write_text("precious.html\nindex.html\na0.html\n", encoding="utf-8")
    out = tmp_path / "out"
    link = out / linked
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(elsewhere / "articles" if linked == "html/articles" else elsewhere, target_is_directory=True)
    with pytest.raises(evidence.EvidenceError, match="symbolic link"):
        write([article("a0"), article("a1")], out)
    for folder in (elsewhere, elsewhere / "articles"):
        assert sorted(p.name for p in folder.glob("*.html")) == ["a0.html", "index.html", "precious.html"]
        assert all(p.read_text(encoding="utf-8") == "precious" for p in folder.glob("*.html"))


def test_a_page_that_is_a_symlink_is_replaced_not_followed(tmp_path):
    target = tmp_path / "target.html"
    target.write_text("outside", encoding="utf-8")
    folder = tmp_path / "out" / "html" / "articles"
    folder.mkdir(parents=True)
    (folder / "a0.html").symlink_to(target)
    write([article("a0")], tmp_path / "out")
    assert target.read_text(encoding="utf-8") == "outside"
    assert not (folder / "a0.html").is_symlink() and "Title a0" in (folder / "a0.html").read_text(encoding="utf-8")
