"""Related articles through an inverted index, in near-linear time.

Each article is compared only with the `window` articles nearest to it in time on each of
its entities' and topics' posting lists, so the work is n * features * window, never n * n.
A shared feature weighs its inverse document frequency: sharing a rare name says more than
sharing "United States". The counts are coarsened (the archive's size to a power of two, a
feature's articles to four binary digits), so that a day's new articles leave the weights, and
the related articles of the archive, as they were: only the features the new articles name,
and only when their counts grow by a sixteenth or so, weigh differently.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Hashable, Sequence


def coarse(count: int, digits: int = 4) -> int:
    """The count rounded down to its first `digits` binary digits (1..16 stay as they are)."""
    shift = max(0, count.bit_length() - digits)
    return count >> shift << shift


def related_indices(
    features: Sequence[Sequence[Hashable]], limit: int, window: int
) -> list[list[int]]:
    """For each item (ordered by time), the indices of up to `limit` most related items.

    Items sharing nothing are never related; ties go to the item nearer the start.
    """
    postings: dict[Hashable, list[int]] = defaultdict(list)
    places: list[list[tuple[list[int], int]]] = []
    for index, item_features in enumerate(features):
        spots = []
        for feature in item_features:
            posting = postings[feature]
            spots.append((posting, len(posting)))
            posting.append(index)
        places.append(spots)
    total = 1 << (len(features) - 1).bit_length()  # the next power of two
    weights = {
        id(posting): math.log(1 + total / coarse(len(posting))) for posting in postings.values()
    }
    related = []
    for index, spots in enumerate(places):
        scores: dict[int, float] = defaultdict(float)
        for posting, spot in spots:
            if len(posting) > 1:
                weight = weights[id(posting)]
                for other in posting[max(0, spot - window) : spot + window + 1]:
                    scores[other] += weight
        scores.pop(index, None)
        best = heapq.nlargest(limit, ((score, -other) for other, score in scores.items()))
        related.append([-negative for _, negative in best])
    return related
