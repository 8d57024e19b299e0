"""A week's most covered stories: articles grouped by the entities they share.

Two articles of the week belong to one story when they share two or more entities, and at least
a third of the entities of the one that names fewer, counting only entities that are not in
everything that week (a beat's usual names would otherwise make the whole week one story, and
two long articles naming dozens of people would always share a couple). Each story grows
greedily around its best connected article, so the grouping is linear in the week's articles
and deterministic.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from .model import Article

MIN_SHARED = 2  # entities two articles of one story have in common, at least
MIN_SHARED_FRACTION = 1 / 3  # ... and this share of the smaller article's entities


@dataclass(frozen=True)
class Story:
    lead: Article
    others: tuple[Article, ...]
    sources: tuple[str, ...]  # every publisher that ran it, copies included

    @property
    def count(self) -> int:
        return 1 + len(self.others)


def story_groups(features: Sequence[Sequence[Hashable]], max_share: float) -> list[list[int]]:
    """Indices grouped into stories, each led by its best connected member."""
    cap = max(2, int(max_share * len(features)))
    postings: dict[Hashable, list[int]] = defaultdict(list)
    for index, item_features in enumerate(features):
        for feature in item_features:
            postings[feature].append(index)
    counted = [{f for f in item if len(postings[f]) <= cap} for item in features]
    neighbours: list[set[int]] = []
    for index, item_features in enumerate(counted):
        shared: Counter[int] = Counter()
        for feature in item_features:
            shared.update(postings[feature])
        neighbours.append(
            {
                other
                for other, n in shared.items()
                if other != index
                and n >= MIN_SHARED
                and n >= MIN_SHARED_FRACTION * min(len(item_features), len(counted[other]))
            }
        )
    taken: set[int] = set()
    groups = []
    for index in sorted(range(len(features)), key=lambda i: (-len(neighbours[i]), i)):
        if index in taken:
            continue
        group = [index, *sorted(neighbours[index] - taken)]
        taken.update(group)
        groups.append(group)
    return groups


def _sources(articles: Sequence[Article]) -> tuple[str, ...]:
    names = []
    for article in articles:
        if article.source_page is not None:
            names.append(article.source_page.name)
        names.extend(copy.source for copy in article.also_published_by if copy.source)
    return tuple(sorted(set(names), key=str.casefold))


def top_stories(articles: Sequence[Article], max_share: float, limit: int) -> list[Story]:
    """The `limit` stories covered by the most sources, then by the most articles."""
    groups = story_groups([a.entity_links for a in articles], max_share)
    stories = []
    for group in groups:
        members = [articles[i] for i in group]
        stories.append(Story(members[0], tuple(members[1:]), _sources(members)))
    stories.sort(key=lambda s: (-len(s.sources), -s.count))  # stable: ties keep group order
    return stories[:limit]
