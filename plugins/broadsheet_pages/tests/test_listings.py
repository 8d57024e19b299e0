"""The most named listings of a page (co-mentions, a section's top entities)."""

from __future__ import annotations

from ..listings import top_counts
from ..model import Listing


def listing(name: str) -> Listing:
    return Listing(kind="person", slug=name.lower(), name=name, url=f"people/{name.lower()}/")


def test_the_most_named_come_first_and_ties_at_the_limit_go_by_name() -> None:
    ada, bo, cy, di, ed = (listing(n) for n in ("Ada", "bo", "Cy", "Di", "Ed"))
    groups = [[ed, di, cy], [ed, di, bo], [ed, ada], [cy]]  # Ed 3; Cy, Di 2; Ada, bo 1
    assert top_counts(groups, 4) == [(ed, 3), (cy, 2), (di, 2), (ada, 1)]  # bo: after Ada
    assert top_counts(groups, 2) == [(ed, 3), (cy, 2)]
    assert top_counts(groups, 2, exclude=ed) == [(cy, 2), (di, 2)]
    assert top_counts(groups, 9) == [(ed, 3), (cy, 2), (di, 2), (ada, 1), (bo, 1)]
    assert top_counts(groups, 0) == []
