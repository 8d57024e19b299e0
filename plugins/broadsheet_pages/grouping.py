"""Articles grouped into stories by what they say: one event, every outlet that covered it.

Each article is a vector of four unit-length parts, weighted and stacked, so that the dot
product of two articles blends four cosines: their headline and lead as words and word pairs,
and as four-letter pieces of words ("Grammy" and "Grammys" share them), TF-IDF with sublinear
term frequency and the IDF fitted on every article grouped; their entities, each weighted
by its rarity (IDF again); and the words and word pairs that burst around the article's day,
each weighted by how much more often the articles of that day and the next and previous hold
it than all the articles do ("press conference" on the day of one). A wire agency's dateline
("MOSCOW, March 29. /TASS/.") is taken out of the text first: all the agency's items of a day
share it, whatever their event.

Only articles at most `days` apart are compared (articles are sorted by day, and each day's
block is multiplied by the days before it: linear in the archive for a steady flow of news).
Pairs that reach `threshold` are merged best first, average-linkage style: two groups join only
when the mean similarity of all their cross pairs (the sum of one's vectors dot the sum of the
other's, over the number of pairs) still reaches `threshold`, so a chain of look-alikes cannot
stack unrelated articles. A second pass over the same pairs joins groups whose centroids (the
sums, as directions) have a cosine of `centroid` or more: the angles of one big story (a press
conference, its fact-check, its reactions) are each closer to the story as a whole than to one
another. The centroid pass also asks that the cross pairs be, on average, at least `cohesion`
times as alike as the pairs within the looser of the two groups: White House security
incidents, each a tight group, stay apart although their centroids share "Secret Service".
It joins only groups of which one has `centroid_core` articles or more: the centroid of two or
three articles is their own words, close to any article sharing their person and their place
(Trudeau's White House visit and his speech in Strasbourg two days on).
Either pass also asks for support: at least `support` of the two groups' cross pairs must be
links (a similarity of `link` or more, and a shared entity when both articles name any:
"Appeal to trace teenager missing from Bray" and "... from Dublin" share the template, not a
person or a place; this holds for two single articles too), so that a story grows around its
core and not by
chaining through one article at its edge ("Trump tells Merkel: at least we have something in
common" does not make the wiretap claims and Merkel's visit one story; Kim Jong-nam's killing,
Tillerson's Asia trip and a rocket-engine test, all "North Korea", stay three). Two events a
week apart that share every name are never compared, and stay apart unless the coverage in
between is one story. Two groups that are both one outlet's items of one day (two single
articles, or a third item of its day and a story of its alone) join only when their cross pairs
reach a mean similarity of `outlet_link`: an outlet's items of a day share its templates and its
beat (TASS's business items, "Russia's ..."), and it seldom covers one event twice in a day with
nothing else around.

A last pass lets an angle join its story: a single article joins a story of `angle_core`
articles or more, of its day or the next or previous, when their centroids pass the same cosine
and cohesion tests and at least `support` of its pairs with the story's members share
`angle_terms` or more strong burst terms (words and word pairs at least e^`angle_burst` times
as frequent in the days around as overall). The angles of a press conference (a comedian's
spoof, a question from one reporter) share little but "Trump" and "press conference" with each
other, too little to be links; two single articles never join this way (missing-person
appeals of one day share their bursting template), nor two stories (one misplaced member
would then bring a whole story's worth of wrong pairs).

Incremental: items given an earlier story in `fixed` start in it, and two earlier stories never
merge, so an old story keeps its members and new articles join it or start their own. Items of
a day before `settled` were grouped by an earlier build: two of them are never compared again
(only with the items of later days), so that the weights new articles bring (every IDF moves a
little) cannot regroup the archive: an old article stays out of a story unless a new one joins it.
Deterministic: ties are broken by the items' order.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import (
    ENGLISH_STOP_WORDS,
    CountVectorizer,
    TfidfVectorizer,
)


@dataclass(frozen=True)
class Item:
    """What the grouping reads of an article."""

    text: str  # headline and lead
    names: tuple[Hashable, ...]  # its entities
    day: int  # date.toordinal()
    outlet: Hashable = None  # its publisher (None: unknown)


@dataclass(frozen=True)
class Params:
    threshold: float = 0.15  # mean similarity of a story's article pairs, at least
    centroid: float = 0.2  # cosine of two groups' centroids that joins them, at least
    days: int = 3  # articles further apart are compared only through those in between
    entity_weight: float = 0.3  # share of the similarity from shared entities
    char_weight: float = 0.4  # share of the text's similarity from pieces of words
    burst_weight: float = 0.15  # share of the similarity from words bursting that day
    link: float = 0.12  # similarity of two articles that counts as a link within a story
    support: float = 0.5  # share of cross pairs two merging groups must have linked, at least
    cohesion: float = 0.6  # centroid merges: cross pairs' mean similarity, at least this share
    # of the looser group's mean similarity within
    centroid_core: int = 4  # centroid merges: articles in the bigger of the two groups, at least
    shared_name: bool = True  # a link needs a shared entity when both articles name any
    outlet_link: float = 0.22  # mean similarity two groups of one outlet and day need
    angle_terms: int = 2  # strong burst terms an angle shares with a story's members (0: off)
    angle_burst: float = 1.5  # a strong burst term: log(share in its days / share overall)
    angle_core: int = 3  # articles of a story an angle may join, at least


def _content_words(text: str) -> str:
    """The text's words of two letters or more, lower case, without stop words."""
    return " ".join(w for w in WORD.findall(text.lower()) if w not in ENGLISH_STOP_WORDS)


WORD = re.compile(r"(?u)\b\w\w+\b")  # TfidfVectorizer's own token pattern
WORDS = {"stop_words": "english", "ngram_range": (1, 2)}
PIECES = {
    "analyzer": "char_wb",
    "ngram_range": (4, 4),
    "preprocessor": _content_words,
}


MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTHS_AND_DAYS = frozenset(
    [
        *MONTHS,
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "said",
        "says",
    ]
)
BURSTS = {
    "stop_words": sorted(ENGLISH_STOP_WORDS | MONTHS_AND_DAYS),
    "token_pattern": r"(?u)\b[^\W\d_]{2,}\b",  # words of letters: no dates, no figures
    "ngram_range": (1, 2),
    "binary": True,
}


BURST_WIDTH = 1  # days either side of an article's day that its words burst in


def _burst_weights(
    texts: Sequence[str], days: Sequence[int], width: int = BURST_WIDTH
) -> sparse.csr_matrix:
    """Words and word pairs weighted by how much more often they occur within `width` days of
    the article than in all the articles: log(share in the window / share overall), when two
    articles of the window or more hold them. "Press conference" is common over a year, and
    bursts on the day of one; a dateline or a figure never counts (no dates, no digits)."""
    try:
        counts = CountVectorizer(dtype=np.float32, **BURSTS).fit_transform(texts).tocsr()
    except ValueError:  # no word at all
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32)
    day_of = np.asarray(days) - min(days)
    n_days, n = int(day_of.max()) + 1, len(texts)
    of_day = sparse.csr_matrix((np.ones(n, np.float32), (day_of, np.arange(n))), shape=(n_days, n))
    offsets = range(-width, width + 1)
    window = sparse.diags([np.ones(n_days - abs(k), np.float32) for k in offsets], offsets)
    window_df = sparse.csr_matrix(window @ (of_day @ counts))  # per day: articles in its window
    window_n = window @ np.bincount(day_of, minlength=n_days).astype(np.float32)
    overall = np.asarray(counts.sum(axis=0)).ravel() / n
    rows, cols, weights = [], [], []
    for day in range(n_days):  # each day's articles, against their window
        members = np.flatnonzero(day_of == day)
        if not len(members):
            continue
        block = counts[members].tocoo()
        df = np.asarray(window_df[day].todense()).ravel()[block.col]
        weight = np.log(df / window_n[day] / overall[block.col])
        weight[(df < 2) | (weight < 0)] = 0
        rows.append(members[block.row])
        cols.append(block.col)
        weights.append(weight.astype(np.float32))
    matrix = sparse.csr_matrix(
        (np.concatenate(weights), (np.concatenate(rows), np.concatenate(cols))),
        shape=counts.shape,
    )
    matrix.eliminate_zeros()
    return matrix


def _text_vectors(texts: Sequence[str], options: dict) -> sparse.csr_matrix:
    vectorizer = TfidfVectorizer(sublinear_tf=True, dtype=np.float32, **options)
    try:
        return vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # no word at all (headlines of stop words, empty texts)
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32)


def _name_vectors(names: Sequence[Sequence[Hashable]]) -> sparse.csr_matrix:
    """Entities weighted by IDF, log(n / articles naming it) without sklearn's +1, so that a
    very frequent name ("Donald Trump" in 2017) is weak evidence. Each article also counts one
    entity of its own, of the mean weight, that no other article shares: two articles whose
    only name is "Donald Trump" are not alike, while two that share three rare names are."""
    matrix = _name_presence(names)
    df = np.asarray(matrix.sum(axis=0)).ravel()
    idf = np.log((1 + len(names)) / (1 + df))  # a name in every article weighs nothing
    matrix = sparse.csr_matrix(matrix @ sparse.diags(idf.astype(np.float32)))
    own = float(np.mean(idf[df > 0] ** 2)) if (df > 0).any() else 1.0
    return _normalized(matrix, own)


def within_mean(total: sparse.csr_matrix, lengths: float, n: int) -> float:
    """Mean similarity of the pairs of n vectors, from their sum and their squared lengths:
    (|sum|^2 - lengths) / pairs."""
    return float((total.multiply(total).sum() - lengths) / (n * (n - 1)))


def _name_presence(names: Sequence[Sequence[Hashable]]) -> sparse.csr_matrix:
    """Which names each item has (0/1), to ask whether two items share one."""
    columns: dict[Hashable, int] = {}
    rows, cols = [], []
    for row, item_names in enumerate(names):
        for name in dict.fromkeys(item_names):
            rows.append(row)
            cols.append(columns.setdefault(name, len(columns)))
    shape = (len(names), max(1, len(columns)))
    return sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=shape)


def _share_a_name(named: sparse.csr_matrix, rows: list[int], cols: list[int]) -> np.ndarray:
    """For each pair of rows x cols: they share a name, or one of them names nothing."""
    shared = (named[rows] @ named[cols].T).toarray() > 0
    bare_rows = np.asarray(named[rows].sum(axis=1)).ravel() == 0
    bare_cols = np.asarray(named[cols].sum(axis=1)).ravel() == 0
    return shared | bare_rows[:, None] | bare_cols[None, :]


def _normalized(matrix: sparse.csr_matrix, extra: float = 0.0) -> sparse.csr_matrix:
    """Rows scaled to unit length, counting `extra` in each row's squared length."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel() + extra)
    norms[norms == 0] = 1
    return sparse.csr_matrix(sparse.diags(1 / norms) @ matrix)


DATELINE = re.compile(  # MOSCOW, | ALEPPO /Syria/, | BANGALORE (India), ... March 29. /TASS/.
    r"(?:\b[A-Z][A-Z'-]+[ .,]+|/[^/]{1,30}/,? *|\\?\([^)]{1,30}\\?\),? *)*"
    rf"\b(?:{'|'.join(month.title() for month in MONTHS)}) \d{{1,2}} *[.,] */[A-Za-z-]+/ *\.?"
)


def without_datelines(text: str) -> str:
    """The text without a wire agency's dateline ("MOSCOW, March 29. /TASS/."): the same day's
    items of an agency share its place, date and name, not their event."""
    return DATELINE.sub(" ", text)


def vectors(
    items: Sequence[Item], params: Params, bursts: sparse.csr_matrix | None = None
) -> sparse.csr_matrix:
    """One row per item: weighted text, entity and burst unit vectors side by side (`bursts`:
    the items' `_burst_weights`, when already known)."""
    texts = [without_datelines(item.text) for item in items]
    entity, chars, burst = params.entity_weight, params.char_weight, params.burst_weight
    rest = 1 - burst
    parts = [
        (np.sqrt(rest * (1 - entity) * (1 - chars)), _text_vectors(texts, WORDS)),
        (np.sqrt(rest * (1 - entity) * chars), _text_vectors(texts, PIECES)),
        (np.sqrt(rest * entity), _name_vectors([item.names for item in items])),
    ]
    if burst:
        if bursts is None:
            bursts = _burst_weights(texts, [item.day for item in items])
        parts.append((np.sqrt(burst), _normalized(bursts, 1.0)))
    return sparse.hstack(
        [weight * part for weight, part in parts if weight], format="csr", dtype=np.float32
    )


def _day_blocks(
    days: Sequence[int], width: int, settled: int | None = None
) -> Iterator[tuple[list[int], list[int]]]:
    """(one day's items, the items of that day and the `width` days before), item indices in
    (day, index) order; with `settled`, only the days from `settled` on."""
    order = sorted(range(len(days)), key=lambda i: (days[i], i))
    starts: dict[int, int] = {}
    for position, index in enumerate(order):
        starts.setdefault(days[index], position)
    position = 0
    while position < len(order):
        day = days[order[position]]
        end = position
        while end < len(order) and days[order[end]] == day:
            end += 1
        if settled is None or day >= settled:  # a settled day's pairs are with settled days
            first = next(starts[d] for d in range(day - width, day + 1) if d in starts)
            yield order[position:end], order[first:end]
        position = end


def _pairs_in(block: sparse.coo_matrix, rows: list[int], cols: list[int]) -> Iterator[tuple]:
    """(row, col, value) of a day block's entries for two different items, each pair once:
    the columns run over the days before and the day itself, so a pair of the day is kept
    only as (later item, earlier item)."""
    offset = len(cols) - len(rows)  # the day's items are the last columns
    for row, col, value in zip(block.row, block.col, block.data, strict=True):
        if col < offset + row:
            yield rows[row], cols[col], value


def candidate_pairs(
    matrix: sparse.csr_matrix, days: Sequence[int], params: Params, settled: int | None = None
) -> list[tuple[float, int, int]]:
    """(similarity, i, j) with i < j for items at most `params.days` apart, above threshold;
    with `settled`, only pairs with an item of that day or later."""
    pairs = []
    for rows, cols in _day_blocks(days, params.days, settled):
        block = (matrix[rows] @ matrix[cols].T).tocoo()
        for a, b, value in _pairs_in(block, rows, cols):
            if value >= params.threshold:
                pairs.append((float(value), min(a, b), max(a, b)))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    return pairs


def angle_pairs(
    matrix: sparse.csr_matrix,
    strong: sparse.csr_matrix,
    days: Sequence[int],
    params: Params,
    settled: int | None = None,
) -> list[tuple[float, int, int]]:
    """(similarity, i, j) with i < j for items of one burst window that share
    `params.angle_terms` strong burst terms or more, most alike first."""
    pairs = []
    for rows, cols in _day_blocks(days, BURST_WIDTH, settled):
        shared = (strong[rows] @ strong[cols].T).tocoo()
        shared.data = (shared.data >= params.angle_terms).astype(np.float32)
        shared.eliminate_zeros()
        if not shared.nnz:
            continue
        block = sparse.coo_matrix((matrix[rows] @ matrix[cols].T).multiply(shared))
        for a, b, value in _pairs_in(block, rows, cols):
            pairs.append((float(value), min(a, b), max(a, b)))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    return pairs


@dataclass(frozen=True)
class Grouping:
    groups: list[list[int]]  # item indices, each group in index order, by first item
    leads: list[int]  # each group's most central item (nearest its members' sum)


def group(
    items: Sequence[Item],
    params: Params = Params(),
    fixed: Mapping[int, Hashable] | None = None,
    settled: int | None = None,
) -> Grouping:
    """The items grouped into stories. `fixed` maps an item to an earlier story: items of one
    story start together, and two earlier stories never merge. Two items of days before
    `settled` (a day ordinal) are never compared: an earlier build grouped them."""
    if not items:
        return Grouping([], [])
    texts = [without_datelines(item.text) for item in items]
    days = [item.day for item in items]
    bursts = _burst_weights(texts, days) if params.burst_weight or params.angle_terms else None
    matrix = vectors(items, params, bursts)
    lengths = np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel()
    named = _name_presence([item.names for item in items]) if params.shared_name else None
    desk = [None if item.outlet is None else (item.outlet, item.day) for item in items]
    parent = list(range(len(items)))
    size = [1] * len(items)
    sums: dict[int, sparse.csr_matrix] = {}
    members: dict[int, list[int]] = {}
    refused: dict[tuple[int, int], tuple[int, int]] = {}  # roots -> sizes when refused
    label: dict[int, Hashable] = {}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        a, b = sorted((a, b))
        parent[b] = a
        size[a] += size[b]
        sums[a] = sums.pop(a, matrix[a]) + sums.pop(b, matrix[b])
        members[a] = members.pop(a, [a]) + members.pop(b, [b])
        if b in label:
            label.setdefault(a, label.pop(b))
        if desk[a] != desk[b]:
            desk[a] = None  # a story of several outlets or days is no one desk's

    def one_desk(a: int, b: int, total: float) -> bool:
        """Both groups are one outlet's items of one day, and their cross pairs are, on
        average, less alike than `outlet_link`: its templates and its beat, not one event."""
        return (
            desk[a] is not None
            and desk[a] == desk[b]
            and total < params.outlet_link * (size[a] * size[b])
        )

    def supported(a: int, b: int) -> bool:
        """Enough of the cross pairs of a and b are links: a member joins the story's core,
        not one look-alike at its edge (no chaining through a bridging article)."""
        key, sizes = (a, b), (size[a], size[b])
        if refused.get(key) == sizes:
            return False
        rows, cols = members.get(a, [a]), members.get(b, [b])
        linked = (matrix[rows] @ matrix[cols].T).toarray() >= params.link
        if named is not None:
            linked &= _share_a_name(named, rows, cols)
        if np.mean(linked) >= params.support:
            return True
        refused[key] = sizes
        return False

    def cohesive(a: int, b: int, total: float) -> bool:
        """The cross pairs are nearly as alike as the pairs within the looser group: two tight
        groups that share only their topic stay apart."""
        within = [
            within_mean(sums[r], float(lengths[members[r]].sum()), size[r])
            for r in (a, b)
            if size[r] > 1
        ]
        return not within or total / (size[a] * size[b]) >= params.cohesion * min(within)

    first_of: dict[Hashable, int] = {}
    for index, story in sorted((fixed or {}).items()):
        if story in first_of:
            union(find(first_of[story]), find(index))
        else:
            first_of[story] = index
            label[index] = story
    pairs = candidate_pairs(matrix, days, params, settled)
    for by_centroid in (False, True):
        for _, i, j in pairs:
            a, b = find(i), find(j)
            if a == b or (a in label and b in label):
                continue
            if by_centroid and max(size[a], size[b]) < params.centroid_core:
                continue  # the centroid of a few articles is their own words, not a story's
            sum_a, sum_b = sums.get(a, matrix[a]), sums.get(b, matrix[b])
            total = sum_a.multiply(sum_b).sum()
            if one_desk(a, b, total):
                continue  # one outlet's day: its templates, its beat, seldom one event twice
            if by_centroid:
                norms = np.sqrt(sum_a.multiply(sum_a).sum() * sum_b.multiply(sum_b).sum())
                joins = total >= params.centroid * norms
            else:
                joins = total >= params.threshold * size[a] * size[b]
            if joins and by_centroid and params.cohesion:
                joins = cohesive(a, b, total)
            if joins and params.support:
                joins = supported(a, b)
            if joins:
                union(a, b)
    if params.angle_terms and bursts is not None:
        strong = sparse.csr_matrix((bursts >= params.angle_burst).astype(np.float32))
        for _, i, j in angle_pairs(matrix, strong, days, params, settled):
            a, b = find(i), find(j)
            if a == b or (a in label and b in label):
                continue
            if min(size[a], size[b]) > 1 or max(size[a], size[b]) < params.angle_core:
                continue  # an angle joins a story with a core
            sum_a, sum_b = sums.get(a, matrix[a]), sums.get(b, matrix[b])
            total = sum_a.multiply(sum_b).sum()
            norms = np.sqrt(sum_a.multiply(sum_a).sum() * sum_b.multiply(sum_b).sum())
            if total < params.centroid * norms or not cohesive(a, b, total):
                continue
            rows, cols = members.get(a, [a]), members.get(b, [b])
            shared = (strong[rows] @ strong[cols].T).toarray() >= params.angle_terms
            if np.mean(shared) >= params.support:
                union(a, b)
    groups: dict[int, list[int]] = {}
    for index in range(len(items)):
        groups.setdefault(find(index), []).append(index)
    leads = []
    for root, members in groups.items():
        if len(members) == 1:
            leads.append(members[0])
            continue
        closeness = (matrix[members] @ sums[root].T).toarray().ravel()
        leads.append(members[int(np.argmax(closeness))])  # ties: the first
    return Grouping(list(groups.values()), leads)
