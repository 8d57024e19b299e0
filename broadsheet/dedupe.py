"""Find the same story scraped twice, or wire copy republished by several outlets.

Exact copies share a normalised body; near copies (a changed headline, an extra line, a
different byline) are found with MinHash LSH over word shingles (datasketch) and confirmed
by their estimated Jaccard similarity. One article per group is kept and the others are
recorded on it as `also_published_by`; none disappears silently.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from datasketch import LeanMinHash, MinHash, MinHashLSH

from broadsheet.records import Article, DuplicateCopy

NEAR_DUPLICATE_JACCARD = 0.8
SHINGLE_WORDS = 5
NUM_PERM = 128
MIN_WORDS_FOR_NEAR = 40  # shorter bodies share too many shingles by chance; exact only
# A body of a few words (a scraper's placeholder such as "-1", "View Comments", a caption) says
# nothing of the story: such articles are copies only when their headlines match too.
MIN_WORDS_FOR_BODY_ONLY = 6

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class DuplicateGroup:
    kept: str  # input_id of the article kept
    copies: tuple[str, ...]  # input_ids of the others


@dataclass(frozen=True)
class Fingerprint:
    """What duplicate detection needs of one article: no body."""

    input_id: str
    source: str | None
    url: str | None
    keep_order: tuple  # the article kept from a group sorts first
    exact: str | None  # hash of the normalised body (and headline, if short); None if empty
    near: LeanMinHash | None  # of the body's word shingles; None for a short body


def fingerprint(article: Article) -> Fingerprint:
    words = _WORD.findall(article.body_text.casefold())
    near = None
    if len(words) >= MIN_WORDS_FOR_NEAR:
        minhash = MinHash(num_perm=NUM_PERM)
        minhash.update_batch(_shingles(words))
        near = LeanMinHash(minhash)  # the hash values without the permutations: a third the size
    return Fingerprint(
        article.input_id,
        article.source,
        article.url,
        _keep_order(article),
        _exact_key(article.title, words) if words else None,
        near,
    )


def _exact_key(title: str, words: list[str]) -> str:
    key = (
        words
        if len(words) >= MIN_WORDS_FOR_BODY_ONLY
        else [*_WORD.findall(title.casefold()), "\0", *words]
    )
    return hashlib.sha256(" ".join(key).encode()).hexdigest()


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


def find_groups(prints: Sequence[Fingerprint]) -> list[list[int]]:
    """Indices of articles that are copies of each other (groups of two or more)."""
    groups = _UnionFind(len(prints))
    first_with_body: dict[str, int] = {}
    for index, found in enumerate(prints):
        if found.exact is None:
            continue
        if found.exact in first_with_body:
            groups.union(first_with_body[found.exact], index)
        else:
            first_with_body[found.exact] = index
    lsh = MinHashLSH(threshold=NEAR_DUPLICATE_JACCARD, num_perm=NUM_PERM)
    for index in first_with_body.values():
        minhash = prints[index].near
        if minhash is None:
            continue
        for other in sorted(lsh.query(minhash)):
            if minhash.jaccard(prints[other].near) >= NEAR_DUPLICATE_JACCARD:
                groups.union(other, index)
        lsh.insert(index, minhash)
    members: dict[int, list[int]] = {}
    for index in range(len(prints)):
        members.setdefault(groups.find(index), []).append(index)
    return [group for group in members.values() if len(group) > 1]


@dataclass(frozen=True)
class Duplicates:
    """find_duplicates' result, by input_id: which articles to drop, what to record on the
    ones kept."""

    dropped: frozenset[str]
    copies: dict[str, tuple[DuplicateCopy, ...]]  # kept article -> the copies it stands for
    groups: list[DuplicateGroup]  # for the report, by kept input_id


def find_duplicates(prints: Iterable[Fingerprint]) -> Duplicates:
    """Keep one article per group of copies: the first published, then the most complete.
    The result does not depend on the order of `prints`."""
    prints = sorted(prints, key=lambda found: found.input_id)
    dropped: set[str] = set()
    copies: dict[str, tuple[DuplicateCopy, ...]] = {}
    groups: list[DuplicateGroup] = []
    for group in find_groups(prints):
        kept, *others = sorted((prints[i] for i in group), key=lambda found: found.keep_order)
        copies[kept.input_id] = tuple(
            DuplicateCopy(found.source, found.url, found.input_id) for found in others
        )
        dropped.update(found.input_id for found in others)
        groups.append(DuplicateGroup(kept.input_id, tuple(found.input_id for found in others)))
    return Duplicates(frozenset(dropped), copies, sorted(groups, key=lambda g: g.kept))


def record_copies(article: Article, copies: tuple[DuplicateCopy, ...]) -> Article:
    """The kept article, with the copies it stands for recorded on it."""
    if not copies:
        return article
    return article.evolve(also_published_by=article.also_published_by + copies)
