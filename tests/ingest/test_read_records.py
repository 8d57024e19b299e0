"""read_records on scraper JSON/JSONL, and the paragraph splitter records rely on."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from broadsheet.enrich import entities
from broadsheet.extract.boilerplate import learn_templates
from broadsheet.extract.paragraphs import sentences, split_paragraphs
from broadsheet.extract.publishers import Publishers
from broadsheet.extract.read_records import read_records, record_texts, section_from_url
from broadsheet.records import ExtractResult, InputFile

FIXTURES = Path(__file__).parent / "fixtures" / "records"
PUBLISHERS = Publishers.load()
CORPUS_SAMPLE = FIXTURES / "newsarticles-2017-sample.jsonl"


def records_file(name: str, text: str) -> InputFile:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return InputFile(path=name, kind="records", text=text, sha256=digest, encoding="utf-8")


def read(name: str, *records: object) -> ExtractResult:
    text = "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records)
    return read_records(records_file(name, text), publishers=PUBLISHERS)


def only_article(name: str, record: dict):
    result = read(name, record)
    assert not result.failures
    (article,) = result.articles
    return article


@pytest.fixture(scope="module")
def corpus():
    text = CORPUS_SAMPLE.read_text("utf-8")
    rows = [json.loads(line) for line in text.splitlines()]
    result = read_records(records_file(CORPUS_SAMPLE.name, text), publishers=PUBLISHERS)
    assert not result.failures
    return rows, result.articles


SAMPLE_SECTIONS_AND_SOURCES = [
    ("Politics", "ABC News"),
    ("Politics", "CNN"),
    (None, "HuffPost"),
    (None, "BBC News"),
    ("World", "TASS"),
    (None, "DW"),
    ("Insidestory", "Al Jazeera"),  # /programmes/insidestory/2017/...
    (None, "China Daily"),
    (None, "RTÉ News"),
]


@pytest.mark.parametrize("index", range(len(SAMPLE_SECTIONS_AND_SOURCES)))
def test_corpus_records_become_articles(corpus, index):
    rows, articles = corpus
    article, row = articles[index], rows[index]
    assert (article.record, article.title, article.url) == (index, row["title"], row["url"])
    assert article.published == date.fromisoformat(row["date"])
    assert (article.section, article.source) == SAMPLE_SECTIONS_AND_SOURCES[index]
    assert " ".join(article.body_text.split()) == " ".join(row["text"].split())


def test_long_unbroken_text_is_split_into_paragraphs_of_three_to_five_sentences(corpus):
    _, articles = corpus
    longest = max(articles, key=lambda a: len(a.body_text))
    assert len(longest.body) > 3
    assert all(3 <= len(sentences(block.text)) <= 5 for block in longest.body)


def test_malformed_jsonl_line_among_good_ones_is_reported_and_skipped():
    good = {"title": "Good", "text": "Fine text."}
    result = read("feed.jsonl", good, '{"title": "broken", ', good, "[1, 2]", {"url": "x"}, good)
    assert [a.record for a in result.articles] == [0, 2, 5]
    assert [(f.record, f.reason.split(":")[0]) for f in result.failures] == [
        (1, "invalid JSON on line 2"),
        (3, "a record must be a JSON object, not a list"),
        (4, "the record has neither a title nor any text"),
    ]
    assert str(result.failures[0]).startswith("feed.jsonl (record 1): invalid JSON on line 2")


def test_jsonl_with_bom_and_blank_lines():
    text = '\ufeff{"title": "One", "text": "A."}\n\n   \n{"title": "Two", "text": "B."}\n'
    result = read_records(records_file("feed.jsonl", text), publishers=PUBLISHERS)
    assert not result.failures
    assert [(a.title, a.record) for a in result.articles] == [("One", 0), ("Two", 3)]


@pytest.mark.parametrize(
    "text",
    [
        '[{"title": "One", "text": "A."}, {"title": "Two", "text": "B."}]',
        '{"articles": [{"title": "One", "text": "A."}, {"title": "Two", "text": "B."}]}',
        '{"title": "One", "text": "A."}\n{"title": "Two", "text": "B."}',  # JSONL named .json
    ],
    ids=["list", "articles-key", "jsonl-in-json"],
)
def test_json_file_shapes(text):
    result = read_records(records_file("dump.json", text), publishers=PUBLISHERS)
    assert [a.title for a in result.articles][:2] == ["One", "Two"][: len(result.articles)]
    assert len(result.articles) == 2 and not result.failures


def test_single_object_json_and_invalid_json():
    assert [a.title for a in read("one.json", {"title": "One", "text": "A."}).articles] == ["One"]
    result = read_records(records_file("bad.json", '{"title": '), publishers=PUBLISHERS)
    assert not result.articles
    assert result.failures[0].reason.startswith("invalid JSON: Expecting value (line 1")
    assert read_records(records_file("e.jsonl", ""), publishers=PUBLISHERS).failures


def test_common_field_names_are_mapped():
    article = only_article(
        "feed.jsonl",
        {
            "headline": "Seoul unveils subway plan",
            "link": "https://www.koreaherald.com/view.php?ud=20210421000123",
            "pubDate": "2021-04-21 09:46",
            "updated_at": "2021-04-21T03:00:00Z",
            "body": "First paragraph.\n\nSecond paragraph.",
            "category": "national",
            "byline": "By Lee Hyo-jin and Kim Se-jeong",
            "language": "en-US",
        },
    )
    assert article.title == "Seoul unveils subway plan"
    assert article.url == "https://www.koreaherald.com/view.php?ud=20210421000123"
    assert article.published.isoformat() == "2021-04-21T09:46:00+09:00"  # the source's zone
    assert article.modified.isoformat() == "2021-04-21T12:00:00+09:00"
    assert [block.text for block in article.body] == ["First paragraph.", "Second paragraph."]
    assert article.section == "National"
    assert article.source == "The Korea Herald"  # from the domain
    assert article.authors == ("Lee Hyo-jin", "Kim Se-jeong")
    assert article.lang == "en"


@pytest.mark.parametrize(
    ("record", "source"),
    [
        ({"source": "Herald Corporation"}, "The Korea Herald"),  # a known mark
        ({"publisher": {"name": "Example Gazette"}}, "Example Gazette"),
        ({"url": "https://www.example-news.com/a/b"}, "example-news.com"),
        ({}, None),
    ],
)
def test_source_from_record_publisher_settings_or_domain(record, source):
    article = only_article("feed.jsonl", {"title": "T", "text": "Text.", **record})
    assert article.source == source


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2017-02-07", date(2017, 2, 7)),
        ("2017-02-07T10:00:00+01:00", datetime.fromisoformat("2017-02-07T10:00:00+01:00")),
        (1486461600, datetime(2017, 2, 7, 10, 0, tzinfo=UTC)),
        (1486461600000, datetime(2017, 2, 7, 10, 0, tzinfo=UTC)),
        ("not a date", None),
        (None, None),
    ],
)
def test_record_dates(value, expected):
    article = only_article("feed.jsonl", {"title": "T", "text": "Text.", "date": value})
    assert article.published == expected
    assert type(article.published) is type(expected)


def test_html_field_keeps_safe_links_only():
    html = (
        '<p>Read <a href="/world/1">the report</a> and <a href="javascript:alert(1)">this</a>.'
        '<script>alert("x")</script></p><p onclick="steal()">Second paragraph here.</p>'
    )
    article = only_article("feed.jsonl", {"title": "T", "url": "https://ex.com/a/b", "html": html})
    spans = [span for block in article.body for span in block.spans]
    assert [s.href for s in spans if s.href] == ["https://ex.com/world/1"]
    assert "alert" not in article.body_text and "steal" not in article.body_text
    assert article.body_text == "Read the report and this.\n\nSecond paragraph here."


def test_short_html_fragment_keeps_visible_text_only():
    html = "<div>Brief.<script>alert(1)</script><style>p{}</style></div>"
    article = only_article("feed.jsonl", {"title": "T", "html": html})
    assert article.body_text == "Brief."


def test_markup_in_a_text_field_is_read_as_html():
    article = only_article("feed.jsonl", {"title": "T", "content": "<p>One.</p><p>Two.</p>"})
    assert [block.text for block in article.body] == ["One.", "Two."]


def test_record_without_title_takes_its_first_sentence():
    article = only_article("feed.jsonl", {"text": "Mr. Kim met the U.S. envoy. They talked."})
    assert article.title == "Mr. Kim met the U.S. envoy."


@pytest.mark.parametrize(
    ("url", "section"),
    [
        ("https://host.com/Politics/2017/02/07/story-slug", "Politics"),
        ("http://www.cnn.com/2017/03/14/politics/wiretapping/index.html", "Politics"),
        ("http://www.rte.ie/news/world/2017/0208/850985-x/", "World"),
        ("http://abcnews.go.com/US/wireStory/slug-45310061", "US"),
        ("http://www.aljazeera.com/news/2017/03/syria-170327173005420.html", None),
        ("http://www.dw.com/en/noah-s-park-saving-elephants-from-the-flood/a-37426245", None),
        ("http://www.bbc.co.uk/news/uk-politics-38895007", None),
        ("http://tass.com/politics/938563", "Politics"),
        ("https://host.com/article-slug", None),
        (None, None),
    ],
)
def test_section_from_url_path(url, section):
    assert section_from_url(url) == section


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Smith met U.S. officials. They agreed.",
            ["Mr. Smith met U.S. officials.", "They agreed."],
        ),
        (
            "John F. Kennedy spoke at 9 a.m. Monday. Then he left.",
            ["John F. Kennedy spoke at 9 a.m. Monday.", "Then he left."],
        ),
        (
            '"Go," he said. (It was late.) Dr. No ran!',
            ['"Go," he said.', "(It was late.)", "Dr. No ran!"],
        ),
        ("He said no. The team is No. 1 now.", ["He said no.", "The team is No. 1 now."]),
        (
            "Prices rose 3.5 percent. Gen. Lee agreed.",
            ["Prices rose 3.5 percent.", "Gen. Lee agreed."],
        ),
    ],
)
def test_sentences_do_not_split_abbreviations(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("count", "sizes"),
    [(1, [1]), (5, [5]), (6, [3, 3]), (9, [5, 4]), (13, [5, 4, 4]), (20, [4, 4, 4, 4, 4])],
)
def test_paragraph_sizes_are_even_and_three_to_five_sentences(count, sizes):
    text = " ".join(f"Sentence number {i} is here." for i in range(count))
    assert [len(sentences(p)) for p in split_paragraphs(text)] == sizes


def test_existing_breaks_are_kept():
    assert split_paragraphs("One.\r\n\r\nTwo.\n\n\nThree.") == ["One.", "Two.", "Three."]
    assert split_paragraphs("Line one.\nLine two.") == ["Line one.", "Line two."]
    assert split_paragraphs("  \n ") == []


WIRE_STORY = """Senate Majority Leader Robert Dole said the White House chief of staff Howard
Baker would meet the committee next week, after the president asked him to
explain the arms sales to the panel.
    Dole told reporters the meeting would be closed.
    He said Baker had agreed to bring the documents the committee had asked for
in January, and that no date had been set for the hearing.
 Reuter
"""


def test_hard_wrapped_wire_story_is_reflowed_into_its_paragraphs():
    article = only_article(
        "wire.jsonl", {"title": "DOLE SAYS BAKER TO MEET PANEL", "text": WIRE_STORY}
    )
    paragraphs = [block.text for block in article.body]
    assert paragraphs[0].startswith("Senate Majority Leader Robert Dole said")
    assert "chief of staff Howard Baker would meet" in paragraphs[0]  # no split at line ends
    assert paragraphs[1] == "Dole told reporters the meeting would be closed."
    assert paragraphs[2].endswith("no date had been set for the hearing.")
    assert len(paragraphs) == 4  # the sign-off alone; boilerplate learning removes it


def test_unwrapped_short_lines_stay_paragraphs():
    text = "First paragraph ends here.\nSecond paragraph ends here.\nThird one ends here."
    assert split_paragraphs(text) == text.split("\n")


def test_1987_record_date_is_kept():
    record = {"title": "BAHIA COCOA REVIEW", "date": "1987-02-26T15:01:01Z", "text": WIRE_STORY}
    assert only_article("wire.jsonl", record).published == datetime(
        1987, 2, 26, 15, 1, 1, tzinfo=UTC
    )


SHARE_BAR = (
    "Send Facebook Twitter Google+ Whatsapp Tumblr linkedin stumble Digg reddit Newsvine Permalink"
)


def source_records(count: int) -> list[dict]:
    """Records of one source whose text carries the share bar and a sign-off line, as DW's
    do; the stories themselves share no run of eight words."""
    places = ["harbour", "budget", "election", "storm", "railway", "school", "hospital", "bridge"]
    verbs = ["approved", "rejected", "delayed", "doubled", "reviewed"]
    records = []
    for n in range(count):
        place, verb = places[n % len(places)], verbs[n % len(verbs)]
        records.append(
            {
                "url": f"https://www.example-news.com/en/story-{n}/a-{n}",
                "title": f"Story {n} about the {place}",
                "text": f"Officials {verb} the {place} plan {n} days after vote {n}. {SHARE_BAR} "
                f"http://example-news.com/p/{n}x Work {n} on the {place} starts in week {n}.\n"
                "Follow us on Twitter",
            }
        )
    return records


def test_share_bar_and_sign_off_repeated_across_a_sources_records_leave_the_body():
    records = source_records(40)
    file = records_file("dw.jsonl", "\n".join(map(json.dumps, records)))
    templates = learn_templates([], records=record_texts(file))
    articles = read_records(file, publishers=PUBLISHERS, templates=templates).articles
    assert len(articles) == 40
    for article in articles:
        assert "Digg" not in article.body_text and "Permalink" not in article.body_text
        assert "Follow us" not in article.body_text
        assert "Officials " in article.body_text  # the story around it stays
        assert " starts in week " in article.body_text


def test_a_story_filed_twice_keeps_its_sentences():
    records = source_records(40) + [
        {
            "url": f"https://www.example-news.com/en/x/{n}",
            "title": "Flood",
            "text": "Floodwater "
            "reached the old town square on Sunday night for the first time since 1954, residents said.",
        }
        for n in range(2)
    ]
    file = records_file("dw.jsonl", "\n".join(map(json.dumps, records)))
    templates = learn_templates([], records=record_texts(file))
    last = read_records(file, publishers=PUBLISHERS, templates=templates).articles[-1]
    assert last.body_text.startswith("Floodwater reached the old town square")


def test_mojibake_is_repaired_and_lost_characters_never_become_names():
    record = {
        "title": "Fianna FÃ¡il leader meets TÃ¡naiste",
        "text": "The FÃ¡il leader said he "
        "donâ€™t expect an election. Fianna F\ufffd\ufffdil and the T?naiste met on Monday.",
    }
    article = only_article("rte.jsonl", record)
    assert article.title == "Fianna Fáil leader meets Tánaiste"
    assert "don\u2019t expect" in article.body_text
    text = article.body_text
    damaged = [(text.find(name), text.find(name) + len(name)) for name in ("Fianna F", "T?naiste")]
    spans = [(damaged[0][0], damaged[0][1] + 4, "ORG"), (*damaged[1], "PERSON")]
    assert text[spans[0][0] : spans[0][1]] == "Fianna F\ufffd\ufffdil"
    assert entities.mentions(text, spans, frozenset(), 0) == []
