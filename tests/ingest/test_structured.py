"""Structured metadata: JSON-LD, OpenGraph, <meta>, headings and bylines read from a page."""

from __future__ import annotations

import pytest
import trafilatura
from lxml import etree
from lxml.html import HtmlElement

from broadsheet.extract.bylines import people
from broadsheet.extract.credits import is_caption, is_credit
from broadsheet.extract.structured import parse_page, read_metadata
from broadsheet.extract.titles import choose_headline, cut_site_name, line_above


def metadata(head: str, body: str = "<p>text</p>"):
    return read_metadata(parse_page(f"<html><head>{head}</head><body>{body}</body></html>"))


def jsonld(text: str) -> str:
    return f'<script type="application/ld+json">{text}</script>'


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("N. Korea slams S. Korea | Yonhap News Agency", "N. Korea slams S. Korea"),
        ("Headline here -- Puppet Masters -- Sott.net", "Headline here"),
        (
            "Alito and Prelogar: the sparring match | CNN Politics",
            "Alito and Prelogar: the sparring match",
        ),
        # a long part after the separator is part of the headline, not a site name
        ("Biden - the president who wanted to be remembered for infrastructure", None),
        ("Plain headline", "Plain headline"),
    ],
)
def test_site_name_is_cut_from_the_title(title, expected):
    assert cut_site_name(title, set()) == (expected or title)


def test_jsonld_graph_article_with_references_is_read():
    graph = """{"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "datePublished": "2000-01-01"},
        {"@type": "Person", "@id": "#p1", "name": "Lee Hyo-jin"},
        {"@type": "Organization", "@id": "#org", "name": "The Korea Times"},
        {"@type": ["ReportageNewsArticle"], "headline": "Subway plan",
         "datePublished": "2021-04-21T09:46:00", "articleSection": ["National"],
         "author": [{"@id": "#p1"}, "By Kim Se-jeong"], "publisher": {"@id": "#org"}}]}"""
    meta = metadata(jsonld("{ broken") + jsonld(graph))
    assert meta.headline == "Subway plan"
    assert meta.published == "2021-04-21T09:46:00"
    assert meta.section == "National"
    assert meta.authors == ("Lee Hyo-jin", "Kim Se-jeong")
    assert meta.publisher == meta.site_name == "The Korea Times"


def test_jsonld_list_and_opengraph_fallbacks():
    head = jsonld('[{"@type": "BreadcrumbList"}, {"@type": "NewsArticle", "headline": "H"}]')
    head += '<meta property="article:published_time" content="2019-08-20T09:31:01+09:00">'
    head += '<meta property="article:section" content="North Korea">'
    head += '<meta property="og:site_name" content="Yonhap News Agency">'
    head += '<meta property="article:author" content="https://www.facebook.com/yonhapenglish">'
    head += '<meta name="author" content="Kim Soo-yeon">'
    head += '<link rel="canonical" href="https://en.yna.co.kr/view/AEN1">'
    meta = metadata(head)
    assert (meta.headline, meta.section, meta.site_name) == (
        "H",
        "North Korea",
        "Yonhap News Agency",
    )
    assert meta.published == "2019-08-20T09:31:01+09:00"
    assert meta.authors == ("Kim Soo-yeon",)  # the URL in article:author is not a name
    assert meta.url == "https://en.yna.co.kr/view/AEN1"


def test_relative_canonical_link_is_not_taken_as_the_url():
    assert metadata('<link rel="canonical" href="8003098">').url is None


def test_captions_and_language():
    body = "<figure><img src=a.jpg><figcaption> Boats  in the\nharbour </figcaption></figure>"
    meta = read_metadata(parse_page(f'<html lang="en-GB"><body>{body}</body></html>'))
    assert meta.captions == ("Boats in the harbour",)
    assert meta.lang == "en"


def test_page_without_structured_data_gives_nothing():
    meta = metadata("")
    assert (meta.published, meta.authors, meta.section, meta.url) == (None, (), None, None)


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Jane Roe and John Doe", ("Jane Roe", "John Doe")),
        ("BY JANE ROE, JOHN DOE & KIM LEE", ("JANE ROE", "JOHN DOE", "KIM LEE")),
        (
            "Dana A. Ford, James S.A. Corey, and Tom Watkins, CNN",
            ("Dana A. Ford", "James S.A. Corey", "Tom Watkins", "CNN"),
        ),
        ("Lee Hyo-jin; Kim Se-jeong", ("Lee Hyo-jin", "Kim Se-jeong")),
        ("Written by Andrea Anderson", ("Andrea Anderson",)),  # "and" only as a word
        ("https://www.facebook.com/yonhapenglish", ()),
        ("Jane Roe, Jane Roe", ("Jane Roe",)),
        ("Brazil, Rachel", ("Rachel Brazil",)),  # "Surname, First" is one person
        ("Brazil, Rachel; Smith, John A.", ("Rachel Brazil", "John A. Smith")),
        ("AFP, AP", ("AFP", "AP")),  # two agencies, not "AP AFP"
        ("Link Copied", ()),
        ("By Jane Roe See full bio", ("Jane Roe",)),
        ("(Image: Getty Images)", ()),
        ("Jane Roe (Picture: Getty)", ("Jane Roe",)),
        ("Dec", ()),
        ("By Jane Roe Updated Dec 3, 2020", ("Jane Roe",)),
        ("By / Denise Paglinawan / Published Jun 05, 2026", ("Denise Paglinawan",)),
        ("Jane Roe, Staff Writer", ("Jane Roe",)),
        ("National Desk", ()),
        ("By Associated Press", ("Associated Press",)),
        ("Michelina C. de la Maza", ("Michelina C. de la Maza",)),
        ("Samo Burja is the president of Bismarck Analysis.", ("Samo Burja",)),
    ],
)
def test_byline_names_people_and_agencies_only(byline, names):
    assert people(byline) == names


@pytest.mark.parametrize(
    ("text", "credit", "caption"),
    [
        ("(Picture: Getty)", True, True),
        ("Photo: AP/Lee Jin-man", True, True),
        ("Getty Images", True, True),
        ("Boats return to the harbour at dawn (Image: Getty Images)", False, True),
        ("Photos of the week show the flooding in the valley", False, False),
        ("He said the photo was fake (and it was).", False, False),
        ("North Korea fired two missiles on Friday. (Yonhap)", False, False),
    ],
)
def test_photo_credits_and_captions(text, credit, caption):
    assert (is_credit(text), is_caption(text)) == (credit, caption)


@pytest.mark.parametrize(
    ("headings", "stated", "expected"),
    [
        # the <h1> a reader sees, not the shortened SEO headline
        (
            ["Take a tour inside the retreat, it's for sale"],
            ["Palm Springs home for sale"],
            "Take a tour inside the retreat, it's for sale",
        ),
        (["Om Shanti Om"], ["Zee News - Om Shanti Om"], "Om Shanti Om"),
        (
            ["Example Gazette", "Harbour reopens after the storm"],
            ["Harbour reopens | Example Gazette"],
            "Harbour reopens after the storm",
        ),
        (
            [],
            ["Harbour reopens &amp; ferries return | Example Gazette"],
            "Harbour reopens & ferries return",
        ),
        ([], ["cbs4denver.com"], "cbs4denver.com"),  # nothing better: never no title
    ],
)
def test_headline_choice(headings, stated, expected):
    assert choose_headline(headings, stated, ["Example Gazette"]) == expected


def test_the_part_of_a_title_the_page_prints_is_the_headline():
    stated = ["Sporting Life - Football News | Hitzfeld begins Swiss talks | Live Scores"]
    lines = ["Home", "Football News", "Hitzfeld begins Swiss talks", "The coach said..."]
    assert choose_headline([], stated, [], lines) == "Hitzfeld begins Swiss talks"


def test_a_page_titled_only_by_its_site_takes_the_line_above_its_text():
    lines = [
        "Charleston Daily Mail",
        "Sports",
        "Former winner back on tour",
        "January 3, 2008",
        "For the first time in a decade, the former winner is back on the tour this week.",
    ]
    above = line_above(lines, lines[-1])
    assert above == "Former winner back on tour"
    site = ["Charleston Daily Mail"]
    assert choose_headline([], site, site, lines, above) == above


def test_a_kicker_glued_to_the_heading_is_left_out():
    heading = "Regular ArticleLate Pleistocene human population bottlenecks"
    stated = ["Late Pleistocene human population bottlenecks - ScienceDirect"]
    assert choose_headline([heading], stated, []) == "Late Pleistocene human population bottlenecks"


@pytest.mark.parametrize(
    "body",
    [
        "<h1>Harbour reopens</h1><p>By Yomi Kazeem</p><p>The harbour reopened on Monday.</p>",
        "<h1>Harbour reopens</h1><div>By <a href='/yomi'>Yomi Kazeem</a></div><p>Text.</p>",
    ],
)
def test_a_byline_printed_in_the_text_names_the_author(body):
    assert metadata("<title>Harbour reopens</title>", body).bylines == ("Yomi Kazeem",)


def test_a_line_that_only_starts_with_by_is_no_byline():
    body = "<p>By the time the ferries returned, the harbour had been closed for a week.</p>"
    assert metadata("<title>Harbour reopens</title>", body).bylines == ()


def test_page_is_parsed_as_trafilatura_parses_it():
    # the same tree as trafilatura.load_html gives, whatever the text's shape: one that
    # declares its encoding (lxml refuses such a str) and a self-closed <html/>
    declared = '<?xml version="1.0" encoding="utf-8"?><html><body><p>Tide</p></body></html>'
    self_closed = "<!DOCTYPE html>\n<html/>\n<body><p>Tide tables</p></body>"
    for text in (declared, self_closed, "<html><body><p>Tide</p><form><input></form></body>"):
        ours, theirs = parse_page(text), trafilatura.load_html(text)
        assert etree.tostring(ours) == etree.tostring(theirs)
        assert all(isinstance(element, HtmlElement) for element in ours.iter(etree.Element))
    assert parse_page("no markup at all, only text") is None
    assert trafilatura.load_html("no markup at all, only text") is None
