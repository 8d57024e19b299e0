"""Duplicate detection: the same story scraped twice or republished, one article kept."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from broadsheet.dedupe import (
    DuplicateGroup,
    Duplicates,
    find_duplicates,
    fingerprint,
    record_copies,
)
from broadsheet.records import Article, Block, DuplicateCopy
from tests.support import SEED_ARTICLE, SEED_PARAGRAPHS

SEOUL = ZoneInfo("Asia/Seoul")
SEED = SEED_ARTICLE.evolve(
    published=datetime(2021, 4, 21, 9, 46, tzinfo=SEOUL),
    url="https://www.koreaherald.com/view.php?ud=20210421000123",
)
# Yonhap's own copy, later: another headline and byline, and its closing line
WIRE_COPY = SEED.evolve(
    title="N. Korea's Kim stresses 'special' ties with Cuba in message to new party chief",
    body=(
        Block.paragraph("By Park Boram"),
        *SEED.body,
        Block.paragraph("(END)"),
    ),
    scraped_from="scraped/yna.html",
    source="Yonhap",
    authors=("Park Boram",),
    url="https://en.yna.co.kr/view/AEN20210421000451325",
    published=datetime(2021, 4, 21, 11, 2, tzinfo=SEOUL),
)
# another story that opens with the seed's lead paragraph, then goes its own way
FOLLOW_UP = SEED.evolve(
    title="Analysts see Pyongyang courting old allies as talks with Washington stall",
    body=(
        Block.paragraph(SEED_PARAGRAPHS[0]),
        Block.paragraph(
            "Analysts in Seoul said the message fitted a pattern of outreach to China, Vietnam "
            "and Laos since the collapse of the Hanoi summit in 2019, and that the North was "
            "preparing for a long stand-off with the new administration in Washington."
        ),
        Block.paragraph(
            "South Korea's unification ministry declined to comment on the message but said it "
            "was watching for signs of a military parade later this month, when the North marks "
            "the anniversary of the founding of its army."
        ),
        Block.paragraph(
            "Trade between the two countries has been small for decades, though Cuban doctors "
            "and North Korean construction workers have travelled between them, according to "
            "researchers at a state-funded institute in Seoul."
        ),
    ),
    scraped_from="scraped/analysis.txt",
    url="https://www.koreaherald.com/view.php?ud=20210421000999",
)


def short(name: str, text: str, **fields) -> Article:
    """An article too short for near-duplicate matching (under 40 words)."""
    return Article(
        title=name,
        body=(Block.paragraph(text),),
        scraped_from=f"scraped/{name}.txt",
        scraped_sha256="0" * 64,
        **fields,
    )


def duplicates(*articles: Article) -> Duplicates:
    return find_duplicates([fingerprint(article) for article in articles])


def test_a_near_copy_with_another_headline_byline_and_closing_line_is_a_duplicate() -> None:
    found = duplicates(SEED, WIRE_COPY)
    assert found.dropped == {WIRE_COPY.input_id}
    assert found.groups == [DuplicateGroup(SEED.input_id, (WIRE_COPY.input_id,))]
    assert found.copies == {
        SEED.input_id: (DuplicateCopy("Yonhap", WIRE_COPY.url, "scraped/yna.html"),)
    }


def test_two_stories_that_share_a_lead_paragraph_are_not_duplicates() -> None:
    found = duplicates(SEED, FOLLOW_UP)
    assert found.dropped == frozenset() and found.groups == [] and found.copies == {}


def test_exact_copies_are_duplicates_even_when_too_short_to_compare_shingles() -> None:
    first = short("first", "Seoul shares rose 1.2 percent on Monday.", published=date(2021, 5, 3))
    again = short("again", "SEOUL shares rose 1.2 percent, on Monday!", published=date(2021, 5, 4))
    assert duplicates(first, again).groups == [
        DuplicateGroup(first.input_id, (again.input_id,))  # the same words
    ]


def test_short_bodies_that_differ_by_a_word_are_not_duplicates() -> None:
    found = duplicates(
        short("monday", "Seoul shares rose 1.2 percent on Monday."),
        short("tuesday", "Seoul shares rose 1.2 percent on Tuesday."),
    )
    assert found.groups == []


def test_bodies_of_a_few_words_make_copies_only_of_articles_with_the_same_headline() -> None:
    # a scraper's placeholder body, as in two unrelated TASS records of the 2017 corpus
    found = duplicates(short("Hooligans film", "-1"), short("Fake news", "-1"))
    assert found.groups == []
    first, again = short("Fake news", "View Comments"), short("fake news!", "View comments")
    assert duplicates(first, again).groups == [DuplicateGroup(first.input_id, (again.input_id,))]


def test_articles_without_a_body_are_never_duplicates() -> None:
    empty = [short(name, "") for name in ("a", "b")]
    assert duplicates(*empty).groups == []


def test_the_first_published_copy_is_kept_whatever_its_time_zone() -> None:
    # 09:46 in Seoul is 00:46 UTC: before a copy stamped 00:50 UTC
    copy = WIRE_COPY.evolve(published=datetime(2021, 4, 21, 0, 50, tzinfo=UTC))
    assert duplicates(copy, SEED).groups == [DuplicateGroup(SEED.input_id, (copy.input_id,))]
    earlier = WIRE_COPY.evolve(published=datetime(2021, 4, 21, 0, 40, tzinfo=UTC))
    assert duplicates(SEED, earlier).groups == [DuplicateGroup(earlier.input_id, (SEED.input_id,))]


@pytest.mark.parametrize(
    "published",
    [date(2021, 4, 21), None],
    ids=["a bare day, the same day", "undated"],
)
def test_a_copy_with_a_time_is_kept_over_a_copy_without_one(published: date | None) -> None:
    copy = WIRE_COPY.evolve(published=published)
    assert duplicates(copy, SEED).groups == [DuplicateGroup(SEED.input_id, (copy.input_id,))]


def test_among_copies_published_together_the_most_complete_is_kept() -> None:
    same_time = WIRE_COPY.evolve(published=SEED.published)  # the longer body: byline, (END)
    assert duplicates(SEED, same_time).groups == [
        DuplicateGroup(same_time.input_id, (SEED.input_id,))
    ]


def test_the_result_does_not_depend_on_the_input_order() -> None:
    articles = [
        SEED,
        WIRE_COPY,
        FOLLOW_UP,
        short("first", "Seoul shares rose 1.2 percent on Monday."),
        short("again", "Seoul shares rose 1.2 percent on Monday."),
    ]
    prints = [fingerprint(article) for article in articles]
    # every article at every position, in both directions
    orders = [line[i:] + line[:i] for line in (prints, prints[::-1]) for i in range(len(prints))]
    results = [find_duplicates(order) for order in orders]
    assert len(results[0].groups) == 2
    assert all(result == results[0] for result in results)


def test_the_kept_article_lists_the_copies_it_stands_for() -> None:
    found = duplicates(WIRE_COPY, SEED)
    kept = record_copies(SEED, found.copies[SEED.input_id])
    assert kept.also_published_by == (
        DuplicateCopy(
            "Yonhap", "https://en.yna.co.kr/view/AEN20210421000451325", "scraped/yna.html"
        ),
    )
    assert record_copies(FOLLOW_UP, ()) is FOLLOW_UP
