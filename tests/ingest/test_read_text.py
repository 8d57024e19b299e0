"""The text-dump reader: the seed pinned field by field, and the awkward dumps."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from broadsheet.extract.boilerplate import learn_templates
from broadsheet.extract.line_features import FEATURE_NAMES, line_features
from broadsheet.extract.publishers import Publishers
from broadsheet.extract.read_text import (
    STACK_FEATURE_NAMES,
    keep_blocks,
    parse_byline,
    read_text,
    stack_features,
)
from broadsheet.records import Article, InputFile
from tests.support import SEED_CAPTION, SEED_FILE, SEED_PARAGRAPHS

FIXTURES = Path(__file__).parent / "fixtures" / "text"
SEOUL = ZoneInfo("Asia/Seoul")


def dump(path: Path) -> InputFile:
    raw = path.read_bytes()
    return InputFile(
        path.name, "text", raw.decode("utf-8"), hashlib.sha256(raw).hexdigest(), "utf-8"
    )


@pytest.fixture(scope="module")
def publishers() -> Publishers:
    return Publishers.load()


def read_one(path: Path, publishers: Publishers, **kwargs) -> Article:
    result = read_text(dump(path), publishers=publishers, **kwargs)
    assert result.failures == []
    [article] = result.articles
    return article


def test_seed_comes_out_as_the_design_describes(publishers):
    article = read_one(SEED_FILE, publishers)
    seed = dump(SEED_FILE)
    published = datetime(2021, 4, 21, 9, 46, tzinfo=SEOUL)
    assert article == Article(
        title=(
            "NK leader stresses 'special' relations with Cuba in another congratulatory "
            "message to new ruling party chief"
        ),
        body=article.body,
        scraped_from=seed.path,
        scraped_sha256=seed.sha256,
        published=published,
        modified=published,
        section="National",
        source="The Korea Herald",
        authors=("Yonhap",),
        lang="en",
        captions=(SEED_CAPTION,),
    )
    assert tuple(block.text for block in article.body) == SEED_PARAGRAPHS
    assert {block.kind for block in article.body} == {"p"}
    assert published.utcoffset().total_seconds() == 9 * 3600


def test_caption_printed_twice_is_kept_once_and_out_of_the_body(publishers):
    article = read_one(SEED_FILE, publishers)
    assert article.captions == (SEED_CAPTION,)
    assert SEED_CAPTION not in article.body_text


def test_undated_dump_has_no_published_date(publishers):
    article = read_one(FIXTURES / "undated.txt", publishers)
    assert article.published is None
    assert article.modified is None
    assert article.title == "Volunteers clean up the river banks after the spring floods"
    assert article.body[0].text.startswith("Hundreds of volunteers")


def test_scraper_header_date_is_a_date_only_fallback(publishers):
    file = dump(FIXTURES / "undated.txt")
    headed = InputFile(
        file.path, "text", " date 2021-04-21  Back To Top\n" + file.text, "x", "utf-8"
    )
    [article] = read_text(headed, publishers=publishers).articles
    assert article.published == date(2021, 4, 21)
    assert not isinstance(article.published, datetime)


def test_navigation_only_dump_is_a_failure_not_an_empty_article(publishers):
    result = read_text(dump(FIXTURES / "nav_only.txt"), publishers=publishers)
    assert result.articles == []
    [failure] = result.failures
    assert failure.path == "nav_only.txt"
    assert failure.reason.startswith("no article text found")


def test_empty_dump_is_a_failure(publishers):
    result = read_text(InputFile("empty.txt", "text", "\n \n", "0", "utf-8"), publishers=publishers)
    assert [f.reason for f in result.failures] == ["empty text dump"]


def test_korean_only_title_is_kept(publishers):
    article = read_one(FIXTURES / "korean_title.txt", publishers)
    assert article.title == "북한 김정은, 쿠바 새 지도자에게 또 축전 보내"
    assert article.authors == ("Kim Da-sol",)
    assert article.source == "The Korea Herald"
    assert article.published == datetime(2021, 4, 21, 9, 46, tzinfo=SEOUL)


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By Yonhap", ["Yonhap"]),
        ("By Kim Da-sol", ["Kim Da-sol"]),
        ("By Kim Da-sol (kds@heraldcorp.com)", ["Kim Da-sol"]),
        ("BY  Tom Becker and Ana Silva", ["Tom Becker", "Ana Silva"]),
        ("By Ahn Sung-mi, Staff Reporter", ["Ahn Sung-mi"]),
        ("By: Jane Doe, Political Correspondent", ["Jane Doe"]),
        (
            "By Paul Ausick, Lee Jae-eun & Choi Si-young",
            ["Paul Ausick", "Lee Jae-eun", "Choi Si-young"],
        ),
    ],
)
def test_byline_names_lose_by_emails_and_roles(line, names):
    assert parse_byline(line) == names


@pytest.mark.parametrize(
    ("fixture", "authors", "section", "published"),
    [
        ("harbour_1.txt", ("Maria Lopez",), "Business", date(2024, 3, 3)),
        ("harbour_2.txt", ("Tom Becker", "Ana Silva"), "Politics", date(2024, 3, 5)),
        ("harbour_3.txt", ("Lee Min-ji",), "Sports", date(2024, 3, 9)),
    ],
)
def test_header_fields_of_a_site_without_publisher_settings(
    publishers, fixture, authors, section, published
):
    article = read_one(FIXTURES / fixture, publishers)
    assert article.authors == authors
    assert article.section == section
    # no publisher is known, so a printed local time has no zone: only the day is kept
    assert article.published == published
    assert article.source is None
    assert len(article.body) == 4


def test_trailing_agency_is_an_author(publishers):
    file = dump(FIXTURES / "undated.txt")
    text = file.text.replace("before the summer.", "before the summer. (AFP)")
    [article] = read_text(
        InputFile("x.txt", "text", text, "x", "utf-8"), publishers=publishers
    ).articles
    assert article.authors == ("Jane Doe", "AFP")
    assert article.body[-1].text.endswith("before the summer. (AFP)")


def test_template_lines_from_other_dumps_stay_out_of_the_body(publishers):
    files = [dump(FIXTURES / f"harbour_{i}.txt") for i in (1, 2, 3)]
    templates = learn_templates(files)
    [article] = read_text(files[0], publishers=publishers, templates=templates).articles
    assert "MOST READ" not in article.body_text
    assert "Copyright" not in article.body_text
    assert article.body[0].text.startswith("The regional port authority")
    assert article.body[-1].text.startswith("Local business groups")


@pytest.mark.parametrize(
    ("probabilities", "kept"),
    [
        ([0.9, 0.45, 0.9], [True, True, True]),  # a doubtful block inside the body stays
        ([0.1, 0.55, 0.1], [False, False, False]),  # a doubtful block in the menu goes
        ([0.9, 0.05, 0.9], [True, False, True]),  # clear evidence breaks the run
        ([0.8], [True]),
        ([], []),
    ],
)
def test_keep_blocks_needs_clear_evidence_to_break_a_run(probabilities, kept):
    assert keep_blocks(np.array(probabilities)).tolist() == kept


def test_the_second_reading_places_each_block_against_the_likeliest_run():
    # two kept runs: blocks 1-2 (summed 1.7) and block 5 (0.95); the first is likelier
    p = np.array([0.1, 0.9, 0.8, 0.05, 0.02, 0.95, 0.1])
    matrix = np.zeros((len(p), len(FEATURE_NAMES)))
    matrix[:, FEATURE_NAMES.index("words")] = np.arange(len(p))
    x = stack_features(p, matrix)
    assert x.shape == (len(p), len(STACK_FEATURE_NAMES))

    def column(name):
        return x[:, STACK_FEATURE_NAMES.index(name)].tolist()

    assert column("kept") == [0, 1, 1, 0, 0, 1, 0]
    assert column("in_best_run") == [0, 1, 1, 0, 0, 0, 0]
    assert column("from_best_run") == [-1, 0, 0, 1, 2, 3, 4]
    assert column("runs") == [2] * len(p)
    assert column("p@-1")[:2] == pytest.approx([0.0, 0.1])  # nothing before the page's start
    assert column("p@+3")[-3:] == [0.0, 0.0, 0.0]
    assert column("mean_p±2")[0] == pytest.approx((0.1 + 0.9 + 0.8) / 3)
    assert column("p_rank")[5] == 0.0  # the likeliest block, though outside the best run
    assert column("words") == list(range(len(p)))  # the block's own features ride along


PAGE = [
    "Home | News | Sport",
    "By Kim Da-sol (kds@heraldcorp.com)",
    "Published : Apr 21, 2021 - 15:26",
    'He said so. "It works," she added. And then',
    "the meeting (in Seoul) ended, © 2021 — 東京 서울 \uff21\uff22 \U0001f642",
    "",
]
_OWN_COLUMNS = [i for i, name in enumerate(FEATURE_NAMES[:21]) if name != "repeats_in_page"]


@pytest.mark.parametrize("index", range(len(PAGE)))
def test_a_lines_own_features_do_not_depend_on_the_lines_around_it(index):
    # the features are computed over the whole page at once; nothing may leak across lines
    alone = line_features([PAGE[index]])[0, _OWN_COLUMNS]
    in_page = line_features(PAGE)[index, _OWN_COLUMNS]
    np.testing.assert_allclose(in_page, alone, rtol=1e-6)
