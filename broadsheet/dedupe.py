"""Find the same story scraped twice, or wire copy republished by several outlets.

Exact copies share a normalised body; near copies (a changed headline, an extra line, a
different byline) are found with MinHash LSH over word shingles (datasketch) and confirmed
by their estimated Jaccard similarity. One article per group is kept and the others are
recorded on it as `also_published_by`; none disappears silently.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from datasketch import MinHash, MinHashLSH

from .records import Article, DuplicateCopy

NEAR_DUPLICATE_JACCARD = 0.8
SHINGLE_WORDS = 5
NUM_PERM = 128
MIN_WORDS_FOR_NEAR = 40  # shorter bodies share too many shingles by chance; exact only

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class DuplicateGroup:
    kept: str  # input_id of the article kept
    copies: tuple[str, ...]  # input_ids of the others


def _words(article: Article) -> list[str]:
    return _WORD.findall(article.body_text.casefold())


def _shingles(words: list[str]) -> set[bytes]:
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode()
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }


def _keep_order(article: Article) -> tuple:
    """Sort key: the article kept from a group is the first published, then the most complete."""
    published = article.published
    if isinstance(published, datetime):
        when = published.astimezone(UTC).isoformat()
    else:  # a bare day sorts after the timed articles of that day; undated ones last
        when = f"{published.isoformat()}T~" if published else "~"
    return (when, -len(article.body_text), article.input_id)


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def find_groups(articles: list[Article]) -> list[list[int]]:
    """Indices of articles that are copies of each other (groups of two or more)."""
    groups = _UnionFind(len(articles))
    words = [_words(a) for a in articles]
    first_with_body: dict[str, int] = {}
    for index, article_words in enumerate(words):
        if not article_words:
            continue
        key = hashlib.sha256(" ".join(article_words).encode()).hexdigest()
        if key in first_with_body:
            groups.union(first_with_body[key], index)
        else:
            first_with_body[key] = index
    candidates = [i for i in first_with_body.values() if len(words[i]) >= MIN_WORDS_FOR_NEAR]
    hashes = MinHash.bulk((list(_shingles(words[i])) for i in candidates), num_perm=NUM_PERM)
    by_index = dict(zip(candidates, hashes, strict=True))
    lsh = MinHashLSH(threshold=NEAR_DUPLICATE_JACCARD, num_perm=NUM_PERM)
    for index, minhash in by_index.items():
        for other in sorted(lsh.query(minhash)):
            if minhash.jaccard(by_index[other]) >= NEAR_DUPLICATE_JACCARD:
                groups.union(other, index)
        lsh.insert(index, minhash)
    members: dict[int, list[int]] = {}
    for index in range(len(articles)):
        members.setdefault(groups.find(index), []).append(index)
    return [group for group in members.values() if len(group) > 1]


def merge_duplicates(articles: list[Article]) -> tuple[list[Article], list[DuplicateGroup]]:
    """Keep one article per group of copies, recording the others on it.

    Returns the articles to write (in input order) and the groups found, for the report.
    """
    dropped: set[int] = set()
    replaced: dict[int, Article] = {}
    found: list[DuplicateGroup] = []
    for group in find_groups(articles):
        ordered = sorted(group, key=lambda i: _keep_order(articles[i]))
        kept, copies = ordered[0], ordered[1:]
        recorded = tuple(
            DuplicateCopy(articles[i].source, articles[i].url, articles[i].input_id) for i in copies
        )
        replaced[kept] = articles[kept].evolve(
            also_published_by=articles[kept].also_published_by + recorded
        )
        dropped.update(copies)
        found.append(
            DuplicateGroup(articles[kept].input_id, tuple(articles[i].input_id for i in copies))
        )
    kept_articles = [replaced.get(i, a) for i, a in enumerate(articles) if i not in dropped]
    return kept_articles, sorted(found, key=lambda g: g.kept)
