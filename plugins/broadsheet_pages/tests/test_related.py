from __future__ import annotations

import pytest

from ..related import related_indices
from ..stories import story_groups


@pytest.mark.parametrize(
    "features, expected",
    [
        # the rarer shared name wins over the common one; ties go to the earlier item
        ([["kim", "nk"], ["nk"], ["kim"], ["nk"]], [[2, 1], [0, 3], [0], [0, 1]]),
        # nothing shared, nothing related
        ([["a"], ["b"]], [[], []]),
    ],
)
def test_related_items_share_the_rarest_features(features, expected) -> None:
    assert related_indices(features, limit=2, window=5) == expected


def test_related_items_come_from_the_nearest_in_time_only() -> None:
    features = [["kim"]] * 10
    assert related_indices(features, limit=10, window=2)[5] == [3, 4, 6, 7]


def test_stories_group_items_sharing_two_uncommon_entities() -> None:
    features = [["kim", "cuba"], ["kim", "cuba", "x"], ["x"], ["kim", "y"], ["y"]]
    assert story_groups(features, max_share=1.0) == [[0, 1], [2], [3], [4]]


def test_long_articles_sharing_two_of_many_entities_are_not_one_story() -> None:
    long_a = ["kim", "cuba", *(f"a{n}" for n in range(10))]
    long_b = ["kim", "cuba", *(f"b{n}" for n in range(10))]
    assert story_groups([long_a, long_b], max_share=1.0) == [[0], [1]]
    short = ["kim", "cuba", "x"]
    assert story_groups([short, long_a], max_share=1.0) == [[0, 1]]
