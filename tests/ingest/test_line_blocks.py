"""Logical blocks: dump lines that inline markup split apart are read as one paragraph."""

from __future__ import annotations

import numpy as np
import pytest

from broadsheet.extract.line_features import FEATURE_NAMES, block_features, logical_blocks
from broadsheet.extract.publishers import Publishers
from broadsheet.extract.read_text import read_text, select_body
from broadsheet.records import InputFile

LINKED_PARAGRAPH = [
    "The",
    "harbour authority",
    "said on Monday that",
    "Kim Min-ji",
    ", its chair since 2019, would step down (",
    "Reuters",
    ").",
]
JOINED = (
    "The harbour authority said on Monday that Kim Min-ji, its chair since 2019, "
    "would step down (Reuters)."
)


@pytest.mark.parametrize(
    ("lines", "texts"),
    [
        (LINKED_PARAGRAPH, [JOINED]),
        (["Home", "News", "Sport"], ["Home", "News", "Sport"]),  # a menu stays apart
        (["It rained.", "The game went on."], ["It rained.", "The game went on."]),
        (["She said \u201c", "No\u201d", "and left."], ["She said \u201cNo\u201d and left."]),
        (["Prices rose 4", "% in May;", "Shares fell."], ["Prices rose 4% in May; Shares fell."]),
        (["a lower-case first line", "Next"], ["a lower-case first line", "Next"]),
        ([], []),
    ],
)
def test_lines_that_carry_on_a_sentence_join_the_line_before(lines, texts):
    assert logical_blocks(lines).texts == texts


def test_each_line_knows_its_block_and_each_block_its_pieces():
    blocks = logical_blocks(["Menu", *LINKED_PARAGRAPH, "Share"])
    assert blocks.of_line.tolist() == [0, 1, 1, 1, 1, 1, 1, 1, 2]
    assert blocks.pieces.tolist() == [1, 7, 1]


def test_a_block_is_template_only_when_all_its_lines_are():
    blocks = logical_blocks(["Menu", "Read", "more", "Sport"])
    template = FEATURE_NAMES.index("template")
    pieces = FEATURE_NAMES.index("log_pieces")
    features = block_features(blocks, [True, True, False, True])
    assert features[:, template].tolist() == [1.0, 0.0, 1.0]
    np.testing.assert_allclose(features[:, pieces], np.log([1, 2, 1]))


def test_body_joins_the_kept_lines_of_each_block_and_keeps_a_repeat():
    lines = ["Menu", "He said", "Kim", "left.", "He said", "Kim", "left."]
    blocks = logical_blocks(lines)
    keep = np.array([False, True, False, True, True, True, True])  # a rule dropped one line
    assert select_body(lines, blocks, keep) == ["He said left.", "He said Kim left."]


def test_a_paragraph_broken_by_links_comes_out_whole():
    text = "\n".join(
        [
            "Menu",
            "Search",
            "Harbour chair steps down after ten years",
            "By Jane Doe",
            *LINKED_PARAGRAPH,
            "The authority will name a successor before the summer, a spokesman said in a "
            "statement, adding that the search had already begun.",
            "Share this article",
        ]
    )
    result = read_text(InputFile("x.txt", "text", text, "x", "utf-8"), publishers=Publishers(()))
    [article] = result.articles
    assert article.body[0].text == JOINED
    assert article.title == "Harbour chair steps down after ten years"
    assert article.authors == ("Jane Doe",)
