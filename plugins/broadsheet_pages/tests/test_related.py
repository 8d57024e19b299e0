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
