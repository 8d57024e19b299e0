"""The Markdown writer: front-matter that reads back identical, bodies that render literally."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.yaml_metadata.yaml_metadata import HEADER_RE

from broadsheet.manifest import FileState, Manifest
from broadsheet.markdown_out import (
    Pending,
    article_relpath,
    article_slug,
    escape_inline,
    render_article,
    render_body,
    write_articles,
)
from broadsheet.records import Article, Block, DuplicateCopy, Span
from broadsheet.report import IngestReport

SEOUL = ZoneInfo("Asia/Seoul")


def make_article(**changes) -> Article:
    base = Article(
        title="NK leader stresses 'special' relations with Cuba",
        body=(Block.paragraph("First paragraph."), Block.paragraph("Second paragraph.")),
        scraped_from="scraped/seed.txt",
        scraped_sha256="0" * 64,
        published=datetime(2021, 4, 21, 9, 46, tzinfo=SEOUL),
    )
    return base.evolve(**changes)


def split(text: str) -> tuple[dict, str]:
    """Split a file the way Pelican's YAML reader does."""
    match = HEADER_RE.fullmatch(text)
    assert match, "front-matter not recognised by pelican-yaml-metadata"
    return yaml.safe_load(match.group("metadata")), match.group("content")


def html_of(body_markdown: str) -> str:
    # Pelican's default Markdown extensions
    return markdown.markdown(body_markdown, extensions=["extra", "codehilite", "toc"])


def test_front_matter_fields_and_order():
    article = make_article(
        section="National",
        source="The Korea Herald",
        authors=("Yonhap",),
        url="https://www.koreaherald.com/view.php?ud=1",
        lang="en",
        summary="A summary.",
        people=("Kim Jong-un",),
        captions=("A caption.",),
        also_published_by=(
            DuplicateCopy("Yonhap News Agency", "https://en.yna.co.kr/x", "b.html"),
        ),
    )
    meta, _ = split(render_article(article, "nk-leader"))
    assert list(meta) == [
        "title", "slug", "date", "category", "source", "authors", "original_url", "lang",
        "summary", "people", "captions", "also_published_by", "scraped_from", "scraped_sha256",
    ]  # fmt: skip
    assert meta["date"] == datetime(2021, 4, 21, 9, 46, tzinfo=SEOUL)
    assert meta["authors"] == ["Yonhap"]
    assert meta["also_published_by"] == [
        {"source": "Yonhap News Agency", "url": "https://en.yna.co.kr/x", "scraped_from": "b.html"}
    ]


def test_every_string_value_is_double_quoted():
    text = render_article(make_article(section="NO", authors=("yes", "null")), "s")
    for line in text.split("---\n")[1].splitlines():
        key, _, value = line.partition(": ")
        if key not in ("date", "modified", "undated"):
            assert value.startswith(('"', '["', "[{")), line


def test_date_only_article_keeps_a_plain_day():
    meta, _ = split(render_article(make_article(published=date(2017, 3, 27)), "s"))
    assert meta["date"] == date(2017, 3, 27)


def test_undated_article_is_a_flagged_draft_in_its_own_folder():
    article = make_article(published=None)
    meta, _ = split(render_article(article, "s"))
    assert meta["status"] == "draft" and meta["undated"] is True
    assert article_relpath(article, "s").as_posix() == "undated/s.md"


def test_dated_article_goes_to_its_day_folder():
    assert article_relpath(make_article(), "x").as_posix() == "2021/04/21/x.md"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("NK leader stresses 'special' relations with Cuba", "nk-leader-stresses-special-relations-with-cuba"),
        ("x" * 2000, "x" * 80),
        ("<script>alert(1)</script>", "script-alert-1-script"),
    ],
)  # fmt: skip
def test_slug_is_short_ascii_and_safe(title, slug):
    assert article_slug(make_article(title=title)) == slug


def test_slug_of_a_title_without_latin_letters_is_transliterated_or_hashed():
    slug = article_slug(make_article(title="북한 김정은 위원장"))
    assert re.fullmatch(r"[a-z0-9-]+", slug)
    assert article_slug(make_article(title="!!!")).startswith("article-")


@pytest.mark.parametrize(
    "hostile",
    [
        "---",
        "title: x",
        "# not a heading",
        "- not a list",
        "1. not a list",
        "> not a quote",
        "    not code",
        "```not a fence",
        "~~~ not a fence",
        "*not emphasis*",
        "[link](javascript:alert(1))",
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "&lt;b&gt; stays literal",
        ": not a definition",
        "| not | a table |",
        "{: .not-an-attribute}",
        "[^1] not a footnote",
        "*[HTML]: not an abbreviation",
    ],
)
def test_scraped_text_renders_literally(hostile):
    html = html_of(render_body([Block.paragraph("Before"), Block.paragraph(hostile)]))
    assert "<script" not in html and "<img" not in html and "href" not in html
    paragraphs = re.findall(r"<p>(.*?)</p>", html, re.S)
    assert len(paragraphs) == 2
    from html import unescape

    assert unescape(paragraphs[1]) == " ".join(hostile.split())


def test_links_render_only_when_safe():
    block = Block(
        "p",
        (
            Span("See "),
            Span("the report", "https://example.com/a b(1)"),
            Span(" and "),
            Span("this", "javascript:alert(1)"),
        ),
    )
    html = html_of(render_body([block]))
    assert '<a href="https://example.com/a%20b(1)">the report</a>' in html
    assert "javascript" not in html and html.count("<a ") == 1


def test_lists_and_headings_are_kept():
    blocks = [
        Block("h2", (Span("Background"),)),
        Block("li", (Span("one"),)),
        Block("li", (Span("two"),)),
        Block("oli", (Span("first"),)),
        Block("oli", (Span("second"),)),
    ]
    html = html_of(render_body(blocks))
    assert "<h2" in html and "Background</h2>" in html
    assert re.search(r"<ul>\s*<li>one</li>\s*<li>two</li>\s*</ul>", html)
    assert re.search(r"<ol>\s*<li>first</li>\s*<li>second</li>\s*</ol>", html)


scraped_text = st.text(min_size=1).filter(lambda s: s.strip())


@settings(max_examples=300, deadline=None)
@given(
    title=scraped_text,
    section=scraped_text,
    source=scraped_text,
    authors=st.lists(scraped_text, max_size=3),
    captions=st.lists(scraped_text, max_size=3),
)
def test_front_matter_round_trips_any_scraped_text(title, section, source, authors, captions):
    article = make_article(
        title=title,
        section=section,
        source=source,
        authors=tuple(authors),
        captions=tuple(captions),
    )
    meta, content = split(render_article(article, "slug"))
    assert meta["title"] == title
    assert meta["category"] == section
    assert meta["source"] == source
    assert meta.get("authors", []) == [a for a in authors if a.strip()]
    assert meta.get("captions", []) == [c for c in captions if c.strip()]
    assert "First paragraph." in content


@settings(max_examples=200, deadline=None)
@given(text=scraped_text)
def test_body_never_produces_markup_from_scraped_text(text):
    html = html_of(render_body([Block.paragraph(text)]))
    assert re.fullmatch(r"<p>[^<]*</p>", html.strip()) or not escape_inline(text).strip()


def write_twice(tmp_path, second: dict[str, str], edit=None) -> tuple[list[str], IngestReport]:
    """Write two articles, each made of "v1", and record them as ingest does; then, after
    `edit` (of the articles folder), write them again made of `second`: the articles loaded."""
    out, stamps = tmp_path / "articles", tmp_path / "cache" / "written.json"
    articles = {
        f"scraped/{n}.json": make_article(title=f"Story {n}", scraped_from=f"scraped/{n}.json")
        for n in (1, 2)
    }
    manifest, loaded = Manifest(), []

    def load(i: str) -> Article:
        loaded.append(i)
        return articles[i]

    def write(made_of: dict[str, str]) -> IngestReport:
        report = IngestReport()
        pending = [Pending(i, made_of.get(i, "v1"), lambda i=i: load(i)) for i in articles]
        written = write_articles(pending, list(articles), manifest, out, report, stamps=stamps)
        for i in articles:
            manifest.record(i, "0" * 64, "s", FileState((i,), False), written)
        return report

    assert [Path(p).name for p in write({}).written] == ["story-1.md", "story-2.md"]
    loaded.clear()
    if edit:
        edit(out)
    return loaded, write(second)


def test_an_article_made_of_the_same_is_not_rendered_again(tmp_path: Path):
    loaded, report = write_twice(tmp_path, {})
    assert loaded == [] and report.written == []


def test_an_article_made_of_something_else_is_rendered_again(tmp_path: Path):
    loaded, report = write_twice(tmp_path, {"scraped/2.json": "v2"})
    assert loaded == ["scraped/2.json"]
    assert report.written == []  # its text came out the same: the file is left as it was


def test_an_article_whose_file_was_edited_is_rendered_and_the_edit_kept(tmp_path: Path):
    def edit(out: Path) -> None:
        [path] = out.rglob("story-1.md")
        path.write_text(path.read_text() + "An editor's note.\n")

    loaded, report = write_twice(tmp_path, {}, edit)
    assert loaded == ["scraped/1.json"]
    assert report.written == []  # the edit stands (and ingest would write what it wrote)
    [path] = (tmp_path / "articles").rglob("story-1.md")
    assert path.read_text().endswith("An editor's note.\n")
