"""The header of text dumps made for these tests: headline, byline and date, learned roles."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from broadsheet.extract import bylines, roles
from broadsheet.extract import read_text as read_text_module
from broadsheet.extract.bylines import byline_names, is_publication, people
from broadsheet.extract.line_features import block_features, logical_blocks
from broadsheet.extract.publishers import Publisher, Publishers
from broadsheet.extract.read_text import read_text
from broadsheet.extract.titles import is_interface
from broadsheet.records import Article, InputFile

FIXTURES = Path(__file__).parent / "fixtures"


def dump(name: str, prefix: str = "") -> InputFile:
    raw = (prefix + (FIXTURES / name).read_text("utf-8")).encode("utf-8")
    return InputFile(name, "text", raw.decode(), hashlib.sha256(raw).hexdigest(), "utf-8")


def read(name: str, publishers: Publishers | None = None, prefix: str = "") -> Article:
    result = read_text(dump(name, prefix), publishers=publishers or Publishers.load())
    assert result.failures == []
    [article] = result.articles
    return article


def test_interface_strings_are_never_the_headline():
    article = read("ui_strings.txt")
    assert article.title == (
        "Transit riders face a summer of station closures as subway repairs begin"
    )
    assert not is_interface(article.title)
    for junk in ("6 minute read", "Copy the Link", "URL is copied.", "LIKE SAVE PRINT"):
        assert junk not in article.body_text


def test_by_name_published_on_three_lines():
    article = read("ui_strings.txt")
    assert article.authors == ("Denise Paglinawan",)
    assert article.published == date(2026, 6, 5)
    assert article.body[0].text.startswith("Commuters on the city's busiest subway line")
    assert "Published Jun 05, 2026" not in article.body_text


def test_a_twelve_hour_time_on_a_uk_site_is_uk_time():
    gazette = Publisher("Harbour Gazette", timezone="Europe/London", marks=("Harbour Gazette",))
    article = read("uk_time.txt", Publishers((gazette,)))
    assert article.source == "Harbour Gazette"
    assert article.title == "Local council approves plan for a new footbridge over the estuary"
    assert article.authors == ("Eleanor Whitfield",)
    assert article.published == datetime(2023, 8, 30, 1, 55, tzinfo=ZoneInfo("Europe/London"))
    assert article.published.utcoffset() == timedelta(hours=1)


def test_without_the_publishers_zone_the_time_is_not_guessed():
    article = read("uk_time.txt", Publishers(()))
    assert article.published == date(2023, 8, 30)


def test_a_1987_wire_story_is_dated():
    article = read("wire_1987.txt")
    assert article.published == date(1987, 2, 26)
    assert article.title == "COFFEE TALKS TO RESUME IN LONDON NEXT MONTH"
    assert article.body[0].text.startswith("Talks on reintroducing coffee export quotas")


def test_surname_first_byline_is_one_person():
    assert people("Brazil, Rachel") == ("Rachel Brazil",)
    article = read("surname_first.txt")
    assert article.authors == ("Rachel Brazil",)
    assert article.published == date(2019, 3, 12)
    assert article.title == "Chemists find a cheaper way to split water using sunlight"


def test_the_scraper_header_dates_a_page_that_prints_only_hours_ago():
    text = (FIXTURES / "uk_time.txt").read_text("utf-8").replace("August 30, 2023 1:55 am", "")
    text = text.replace("By Eleanor Whitfield\n", "By Eleanor Whitfield\n3 hours ago\n")
    raw = (" date 2021-04-21  Back To Top\n" + text).encode()
    file = InputFile("hours.txt", "text", raw.decode(), hashlib.sha256(raw).hexdigest(), "utf-8")
    [article] = read_text(file, publishers=Publishers(())).articles
    assert article.published == date(2021, 4, 21)


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Staff Reporter Lee Min-ji", ("Lee Min-ji",)),
        ("By Lee Min-ji, Sports Reporter", ("Lee Min-ji",)),
        ("By Jane Roe and John Doe | Updated Dec 3, 2020", ("Jane Roe", "John Doe")),
        ("Link Copied", ()),
        ("See full bio", ()),
    ],
)
def test_bylines_give_people_not_interface_strings(byline, names):
    assert people(byline) == names


def test_an_ambiguous_numeric_date_on_a_uk_site_is_day_first():
    text = (FIXTURES / "uk_time.txt").read_text("utf-8")
    text = text.replace("August 30, 2023 1:55 am", "Published 08/11/2023")
    file = InputFile("uk.txt", "text", text, hashlib.sha256(text.encode()).hexdigest(), "utf-8")
    gazette = Publisher("Harbour Gazette", timezone="Europe/London", marks=("Harbour Gazette",))
    [article] = read_text(file, publishers=Publishers((gazette,))).articles
    assert article.published == date(2023, 11, 8)
    [article] = read_text(file, publishers=Publishers(())).articles
    assert article.published == date(2023, 8, 11)  # no publisher setting: month first


def test_a_by_inside_the_date_line_names_the_author():
    article = read("inner_by.txt")
    assert article.title == (
        "Slow-roasted tomatoes keep their summer sweetness well into the winter months"
    )
    assert article.authors == ("Adi Tzlil",)
    assert article.published == date(2020, 9, 21)
    assert "Posted on" not in article.body_text


def test_a_label_printed_over_its_date_tells_the_update_from_the_publication():
    article = read("updated_over_original.txt")
    assert article.published == date(2016, 12, 21)
    assert article.modified == date(2018, 3, 6)
    assert article.authors == ("Lauren Briggs",)


def test_a_dotted_numeric_date_is_day_first():
    article = read("dotted_date.txt", Publishers(()))
    assert article.published == date(2023, 11, 1)
    assert article.authors == ("Maria Keller",)


def test_a_day_first_country_domain_in_the_footer_settles_the_order():
    article = read("country_domain.txt", Publishers(()))
    assert article.published == date(2023, 11, 8)
    text = (FIXTURES / "country_domain.txt").read_text("utf-8")
    text = text.replace("© NorthernPost.ie 2023", "© Northern Post 2023")
    file = InputFile("us.txt", "text", text, hashlib.sha256(text.encode()).hexdigest(), "utf-8")
    [article] = read_text(file, publishers=Publishers(())).articles
    assert article.published == date(2023, 8, 11)  # nothing settles it: month first


def test_an_author_box_after_the_body_names_the_author():
    article = read("author_box.txt")
    assert article.authors == ("Florina Ionescu",)
    assert article.published is None  # the page prints no day: "© 2021" is none


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Posted on September 21, 2020  by Adi Tzlil", ("Adi Tzlil",)),
        ("March 07, 2019 by Robin Wieruch", ("Robin Wieruch",)),
        ("Faster builds with pip-tools by Itamar Turner-Trauring", ("Itamar Turner-Trauring",)),
        ("About the Author - Florina Ionescu", ("Florina Ionescu",)),
        ("Posted by Alex Durán, AMP Project Marketing, Google", ("Alex Durán",)),
        ("Sarah Hinger, Staff Attorney, ACLU Racial Justice Program", ("Sarah Hinger",)),
        (
            "Harriet Agnew, Robin Wigglesworth and Laurence Fletcher",
            ("Harriet Agnew", "Robin Wigglesworth", "Laurence Fletcher"),
        ),
        ("By Jane Roe and AP", ("Jane Roe", "AP")),
        ("The man was hit by a car near the station", ()),
        ("Chew Hui Min", ("Chew Hui Min",)),  # "Min" is a name, not minutes
        ('Amanda "Tania Mae" Tan', ('Amanda "Tania Mae" Tan',)),
        ("Kate May", ("Kate May",)),  # "May" is in a name ...
        ("By BWW News Desk", ("BWW News Desk",)),  # a newsroom's own credit, as printed
        ("Christian County police blotters by HLNF Staff Report", ("HLNF Staff Report",)),
        ("Editorial Team", ()),  # a role alone
        ("By Jane Roe May 3, 2020", ("Jane Roe",)),  # ... not before a day
    ],
)
def test_dump_bylines_name_people_after_a_by_inside_the_line(line, names):
    assert byline_names(line, ("AP",)) == names


def test_a_publications_name_is_no_author_but_a_wire_agencys_is():
    assert is_publication("The Penny Hoarder")
    assert not is_publication("The Associated Press")
    assert not is_publication("Theo Walcott")
    assert read_text_module._authors(["By The Planetary Press", "By Jane Roe"], "") == ("Jane Roe",)


@pytest.mark.parametrize(
    "line",
    [
        "Photo by Hudson Hintze",
        "Screenshot by Amanda Tan/ONE Esports",
        "Copyright (c) 2012 Gregory Szorc. Design by CSS Templates",
        "Powered by WordPress",
        "Art by Koichi",
        "David McNew\u2014Getty Images",
        "Photo: Lee Jin-man",
    ],
)
def test_a_by_that_credits_a_picture_or_a_design_names_no_author(line):
    assert byline_names(line) == ()


def test_a_name_under_a_posted_by_label_after_the_body_is_the_author():
    article = read("posted_by_box.txt")
    assert article.title == "How we moved our test suite off a shared database"
    assert article.authors == ("Helena Marsh",)


def _role_matrix(rows: list[dict[str, float]]) -> np.ndarray:
    matrix = np.zeros((len(rows), 3 + len(roles.ROLE_FEATURES)), dtype=np.float32)
    for i, row in enumerate(rows):
        for name, value in row.items():
            matrix[i, 3 + roles.ROLE_FEATURES.index(name)] = value
    return matrix


def _byline_candidates(lines: list[str], body: range) -> list[str]:
    """The byline candidates of a page whose body blocks are `body`."""
    blocks = logical_blocks(lines)
    n = len(blocks.texts)
    kept = np.zeros(n, dtype=bool)
    kept[list(body)] = True
    p = kept.astype(float)
    _, candidates = roles.role_features(blocks, lines, block_features(blocks), p, kept, body[0])
    return [blocks.texts[i] for i in candidates["byline"]]


def test_a_labelled_byline_far_under_the_article_is_a_candidate_and_a_quotes_source_is_not():
    body = [f"Paragraph {i} of the story goes on with its sentences." for i in range(5)]
    related = [f"Related teaser number {i}" for i in range(roles.REACH + roles.REACH_AFTER)]
    lines = [
        "A headline about slots in Python",
        "— Guido van Rossum",
        *body,
        *related,
        "Author:",
        "Jacopo Cascioli",
        "Kate Roberts",
    ]
    found = _byline_candidates(lines, range(2, 7))
    assert "Jacopo Cascioli" in found  # labelled, however far below
    assert "Kate Roberts" not in found  # unlabelled, too far below
    assert "— Guido van Rossum" not in found


def test_when_no_byline_clears_the_bar_a_labelled_first_name_is_taken():
    matrix = _role_matrix(
        [
            {"first_name": 1.0},  # a name with no label
            {"label_above": 1.0, "first_name": 0.0},  # a label over no first name
            {"label_above": 1.0, "first_name": 1.0, "teasers_near": 2.0},  # in a teaser list
            {"by_prefix": 1.0, "first_name": 1.0},
        ]
    )
    index = np.arange(4)
    assert roles._labelled_person(matrix, index, np.full(4, 0.1)) == [(3, pytest.approx(0.1))]
    assert roles._labelled_person(matrix[:3], index[:3], np.full(3, 0.1)) == []
    # "Posted by T. V. Raman": no first name gender-guesser knows, but a name of three words
    initials = _role_matrix([{"by_prefix": 1.0, "name_words": 3.0}])
    assert roles._labelled_person(initials, np.arange(1), np.full(1, 0.1)) == [(0, 0.1)]
    # ... but two words under a label above ("Author:" / "Main Ingredient") need a first name
    under = _role_matrix([{"label_above": 1.0, "name_words": 2.0}])
    assert roles._labelled_person(under, np.arange(1), np.full(1, 0.1)) == []


def test_a_dated_blocks_day_is_placed_among_the_pages_days():
    days = {1: 100, 4: 100, 7: 130}
    repeats, after, before = roles._day_features(days, 9)
    assert repeats.tolist() == [0, 2, 0, 0, 2, 0, 0, 1, 0]
    assert after[7] == pytest.approx(np.log1p(30)) and after[1] == 0.0
    assert before[1] == pytest.approx(np.log1p(30)) and before[7] == 0.0


def test_teasers_are_counted_over_the_blocks_around_each_block():
    inner_by = np.array([1.0, 0.0, 0.0, 0.0, 0.0, 1.0])
    assert roles._around(inner_by, 1).tolist() == [1.0, 1.0, 0.0, 0.0, 1.0, 1.0]
    assert roles._around(np.ones(2), 3).tolist() == [2.0, 2.0]  # a page shorter than the reach


def test_a_revision_stamp_is_the_pages_date_not_the_date_in_its_text():
    article = read("revision_stamp.txt", Publishers(()))
    # RCS writes its stamps in UTC
    assert article.published == datetime(2017, 4, 3, 21, 40, 12, tzinfo=UTC)
    assert article.title == "The Open Meadow Document Licence"


def test_a_date_written_in_french_dates_a_page_with_none_in_english():
    article = read("french_date.txt", Publishers(()))
    assert article.published == date(2019, 3, 12)
    assert article.title == "Notes from the workshop on river restoration"


def test_a_page_that_prices_in_euros_writes_its_numeric_dates_day_first():
    article = read("euro_prices.txt", Publishers(()))
    assert article.published == date(2021, 4, 9)
    text = (FIXTURES / "euro_prices.txt").read_text("utf-8").replace("€", "$")
    file = InputFile("us.txt", "text", text, hashlib.sha256(text.encode()).hexdigest(), "utf-8")
    [article] = read_text(file, publishers=Publishers(())).articles
    assert article.published == date(2021, 9, 4)  # nothing settles it: month first


def test_a_byline_on_its_own_lines_inside_the_headline_block_leaves_the_headline_whole():
    article = read("byline_inside_headline.txt")
    assert article.title == "Why the harbour ferries should run all night"
    assert article.authors == ("Mara Quill",)


def test_a_by_label_inside_a_block_and_a_handle_under_a_name_are_byline_features():
    lines = (FIXTURES / "byline_inside_headline.txt").read_text("utf-8").splitlines()
    blocks = logical_blocks(lines)
    kept = np.zeros(len(blocks.texts), dtype=bool)
    kept[6:10] = True
    matrix, _ = roles.role_features(blocks, lines, block_features(blocks), kept * 1.0, kept, 6)

    def column(name: str) -> list[str]:
        values = matrix[
            :, matrix.shape[1] - len(roles.ROLE_FEATURES) + roles.ROLE_FEATURES.index(name)
        ]
        return [blocks.texts[i] for i in np.flatnonzero(values)]

    assert column("label_inside") == [
        "Why the harbour ferries should run all night written by Mara Quill"
    ]
    assert column("handle_after") == ["Mara Quill"]


def test_a_masthead_byline_ending_in_today_is_not_cut_at_the_date_word():
    assert read("masthead_byline.txt").authors == ("Harbour Today",)
    assert bylines.with_masthead("By Jane Roe Today", ("Jane Roe",)) == ("Jane Roe",)
    assert bylines.with_masthead("By Harbour Today 3pm", ("Harbour",)) == ("Harbour",)


def test_the_end_of_a_name_the_dump_broke_onto_its_own_line_is_rejoined():
    assert read("split_name.txt").authors == ("Mara Quill",)
    assert bylines.rejoined("By Jean de") == "By Jean de"
    assert bylines.rejoined("By Jane Roe in") == "By Jane Roe in"


def test_a_name_under_a_label_line_inside_its_block_is_taken_when_none_clears_the_bar():
    inside = _role_matrix([{"label_inside": 1.0, "name_words": 2.0}])
    assert roles._labelled_person(inside, np.arange(1), np.full(1, 0.1)) == [(0, 0.1)]


def test_a_full_name_over_its_handle_and_printed_again_is_an_author_box():
    box = {"handle_after": 1.0, "name_words": 2.0, "name_mentions": 2.0}
    matrix = _role_matrix([{**box, "name_mentions": 1.0}, {**box, "name_words": 1.0}, box])
    assert roles._labelled_person(matrix, np.arange(3), np.full(3, 0.1)) == [(2, 0.1)]


def test_a_second_person_after_a_lone_ampersand_block_is_an_author():
    article = read("ampersand_byline.txt")
    assert article.authors == ("Maria Okafor", "Daniel Brennan")
    texts = ["Jane Roe, Staff Writer", "&", "John Doe, Director", "July 25, 2019"]
    assert read_text_module._joined_by_conjunction(texts, 0) == [2]
    assert read_text_module._joined_by_conjunction(["Jane Roe", "&", "July 25, 2019"], 0) == []


@pytest.mark.parametrize(
    ("line", "headline"),
    [
        ("Hillary Clinton Gets More Faithless Electors Than Trump", True),
        ("Demi Lovato For Body-Shaming Her", True),
        ("Jane Roe Is Leaving The Paper", True),
        ("By Jane Roe and Kelvin To", False),  # a last word may be a surname
        ("Samo Burja is the president of Bismarck", False),  # a sentence, not title case
        ("Sarah Hinger, Staff Attorney, Office of Civil Rights", False),
    ],
)
def test_a_headline_that_runs_on_after_a_name_is_no_byline(line, headline):
    assert bylines.no_byline(line) is headline


@pytest.mark.parametrize("line", ["Main Ingredient", "Cuisine: Filipino", "Servings 4"])
def test_a_recipe_cards_label_is_no_byline(line):
    assert bylines.no_byline(line)


def test_a_headline_or_a_recipe_label_is_no_byline_candidate():
    body = [f"Paragraph {i} of the story goes on with its sentences." for i in range(5)]
    lines = ["Demi Lovato For Body-Shaming Her", "Main Ingredient", "Rosa Lind", *body]
    assert _byline_candidates(lines, range(3, 8)) == ["Rosa Lind"]


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("September 15, 2020 by Tomasz kowal", ("Tomasz kowal",)),
        ("By Tomasz kowal", ("Tomasz kowal",)),
        ("Tomasz kowal", ("Tomasz",)),  # no "by": a sentence's start as likely
        ("By Jane today", ("Jane",)),
        ("hit by Jane said", ("Jane",)),
    ],
)
def test_a_surname_in_lower_case_after_a_by_is_kept(line, names):
    assert byline_names(line) == names


def test_a_menus_app_link_is_no_author():
    assert read_text_module._authors(["Install App", "By Jane Roe"], "") == ("Jane Roe",)
    assert read_text_module._authors(["Donate"], "") == ()


def test_an_embedded_posts_date_is_not_the_articles():
    # the only date the page prints is the one under an embedded post's signature
    article = read("embedded_post.txt", Publishers(()))
    assert article.title == "Rocket maker says its reusable booster will fly again next month"
    assert article.published is None
    assert article.authors == ("Dana Whitfield",)


def test_a_post_signature_dates_the_block_under_it_or_after_it_on_its_line():
    texts = [
        "Second launch next month!",
        "— Elon Musk (@elonmusk)",
        "October 21, 2017",
        "— WBC Baseball (@WBCBaseball) March 22, 2017",
        "A post shared by SpaceX (@spacex) on",
        "Mar 3, 2018 at 5:00pm PST",
        "Published October 20, 2017",
        "A post shared by zashay tastas - myndigheten",
        "(@zashay.tastas) on Apr 27, 2020 at 9:24am PDT",
        "Jane Roe (@janeroe)",
        "October 22, 2017",
    ]
    # the signature's own block and the one under it, and the end of a signature broken over
    # blocks; the article's date stays a date, and so does one under an author's handle
    signed = [roles.is_post_date(texts, i) for i in range(len(texts))]
    assert signed == [False, True, True, True, True, True, False, False, True, False, False]
