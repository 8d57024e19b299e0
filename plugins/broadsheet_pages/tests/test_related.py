from __future__ import annotations

import pytest

from ..related import related_indices


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


def test_new_articles_sharing_nothing_leave_the_archives_related_articles_as_they_were() -> None:
    # x shares a rare name with p, and two common ones with q: which one is nearer depends on
    # the weights, log(1 + articles / articles naming it), and so on the archive's size
    archive = [["a", "b", "c"], ["a"], ["b", "c"], *[["b"]] * 8, *[["c"]] * 8]
    archive += [[f"other {n}"] for n in range(28 - len(archive))]
    new = [[f"new {n}"] for n in range(3)]  # 28 articles -> 31
    before = related_indices(archive, limit=1, window=50)
    assert related_indices([*archive, *new], limit=1, window=50)[: len(archive)] == before
