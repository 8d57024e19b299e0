"""The roles of a dump's header blocks, learned: which block is the headline, which the
byline, which the publication date.

The body classifier (read_text.py) says where the article's prose is; these models read
every candidate block of a page with the body classifier's own block features plus what
places a header block: how far above or below the first body block it sits, the body
probability around it, whether it parses as a date (and which label it carries:
"Published", "Updated", on it or on a label above it; how far it is from the body, in
dates), whether it reads as a byline (names after "By" or inside a line, how many people
bylines.byline_names finds, whether the first starts with a first name) or as a headline
(capitalised words, no final full stop, the first wordy block above the body). Bylines
and dates are also looked for just after the body (an author box, a date under the
article). Per role a few LightGBM models (binary, or a ranking for the headline) trained
over the same features by bench/train_line_model.py on ../shared/train + train2
(cross-validated by site) with different seeds, their scores averaged: one seed's model
moves by a few pages from the next, a bag of them less; saved together in
broadsheet/data/role_models.json (a list of model strings per role).

Each role picks its best candidate in the page: the headline always (when any block is a
candidate), the date when its probability clears a low bar, the byline when it clears an
even one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import lightgbm as lgb
import numpy as np

from broadsheet.extract import bylines
from broadsheet.extract.bylines import byline_names, is_publication, starts_with_first_name
from broadsheet.extract.credits import is_caption
from broadsheet.extract.dates import DATE_TEXT, RELATIVE, day_of, find_dates
from broadsheet.extract.line_features import Blocks, join_pieces
from broadsheet.extract.titles import is_interface

MODELS_PATH = Path(__file__).resolve().parents[1] / "data" / "role_models.json"
ROLES = ("title", "byline", "date")
MAX_TITLE_WORDS = 60
MAX_BYLINE_WORDS = 25
MAX_DATE_CHARS = 200
REACH = 60  # blocks either side of the first body block that may hold a header field
REACH_AFTER = 40  # ... and after the last body block (an author box, a date under the article)
# the probability a role's best candidate needs (chosen by cross-validation over sites)
THRESHOLDS = {"title": -np.inf, "byline": 0.2, "date": 0.0}
RANKED = ("title",)  # roles learned as a ranking (scores, not probabilities)
# each role's models, trained with different seeds: their scores are averaged
RoleModels = dict[str, tuple[lgb.Booster, ...]]

_WORD = re.compile(r"[^\W_]+")
SURE = 0.5  # a byline or date this likely is no headline
_HEADLINE_WORDS = 3
_MAIN_PIECE = 0.6  # share of a block's words one line must carry to stand for it
_PUBLISHED = re.compile(
    r"\b(published|posted|first published|created|date|original)\b", re.IGNORECASE
)
_UPDATED = re.compile(r"\b(updated|modified|last updated|edited)\b", re.IGNORECASE)
_BY = re.compile(
    r"^\s*(by|von|par|por|door|di|av|written by|posted by|author|reporting by|words by|"
    r"about the author)\b",
    re.IGNORECASE,
)
_INNER_BY = re.compile(r"\sby\s+\S", re.IGNORECASE)
_COPYRIGHT = re.compile(r"©|\(c\)|\bcopyright\b|\ball rights reserved\b", re.IGNORECASE)
_LABEL_WORDS = 3  # a block this short that says "Updated:" labels the date below it
_CLOCK = re.compile(r"\d{1,2}:\d\d|\b\d{1,2}\s*[ap]\.?m\b", re.IGNORECASE)
LONE_BY = re.compile(r"\s*(?:by|von|par|por|written by|words by)\s*:?\s*", re.I)
# a block that only labels the name below it: "Posted by", "Author:", "About the author"
_NAME_LABEL = re.compile(
    r"\s*(?:(?:written|posted|reported|story|words|text)\s+by|by|authors?|about\s+the\s+authors?|"
    r"about\s+me|contributors?|reporter|von|par|por)\s*[:\-\u2013\u2014]?\s*",
    re.IGNORECASE,
)
# a block that starts as a byline does: "By Jane Roe", "About the Author - Jane Roe"
_LABELLED = re.compile(
    r"\s*(?:(?:written|posted|reported|words)\s+by|by|about\s+the\s+author)\b", re.IGNORECASE
)
_HANDLE = re.compile(r"@\w{2,30}")
_LABEL_CHARS = 12  # "written by:" and no longer
_ATTRIBUTION = re.compile(r"\s*[-\u2013\u2014\u2015~]+\s*\w")
_TEASER_REACH = 3  # blocks either side looked at for a list of "Headline by Name" teasers
_FINAL_STOP = re.compile(r"[.!?:;,]$")
# the signature an embedded post prints above or before its date ("— Jane Roe (@janeroe)",
# "A post shared by SpaceX (@spacex) on"): that date is the post's, not the article's
_POST_HANDLE = r"\(@[\w.]{1,30}\)"
_POST_SIGNATURE = (
    rf"(?:[\u2014\u2013-]|\bA post shared by)\s*[^()\n]{{1,80}}{_POST_HANDLE}(?:\s+on)?"
)
# ... or the end of one the dump broke over lines ("(@zashay.tastas) on Apr 27, 2020")
_SIGNED = re.compile(rf"{_POST_SIGNATURE}|{_POST_HANDLE}\s+on\b", re.IGNORECASE)
_SIGNED_ABOVE = re.compile(_POST_SIGNATURE + r"\s*\Z", re.IGNORECASE)
_QUOTE_START = re.compile(r"^[\"'\u201c\u2018]")

# what only the byline model reads: a label above the block, a list of "Headline by Name"
# teasers around it, the name's words, the distance to the headline-like block above the
# body, and how the block's day stands among the page's days (the date model gained
# nothing from these on held-out sites)
_BYLINE_ONLY = (
    "label_above",
    "label_inside",
    "handle_after",
    "teasers_near",
    "name_words",
    "from_headline",
    "day_repeats",
    "days_after_earliest",
    "days_before_latest",
)
# what only the byline and date models read: the headline model keeps its own columns
_BYLINE_AND_DATE_FEATURES = (
    "inner_by",
    "first_name",
    "published_above",
    "updated_above",
    "date_rank_from_first",
    "from_last_kept",
    "in_copyright",
    *_BYLINE_ONLY,
)
ROLE_FEATURES = (
    "body_p",
    "body_p_before",
    "body_p_after",
    "kept",
    "from_first",
    "from_first_lines",
    "above_first",
    "words",
    "chars",
    "capital_share",
    "final_stop",
    "quote_start",
    "has_date",
    "dates_in_block",
    "has_clock",
    "published_label",
    "updated_label",
    "relative",
    "date_order",
    "dates_in_page",
    "date_share",
    "by_prefix",
    "people",
    "people_share",
    "wordy_rank_above",
    "is_first_wordy_above",
    "same_text_count",
    "from_nearest_date",
    "from_nearest_by",
    "first_kept_gap",
    "after_by",
    "lead_overlap",
    "body_overlap",
    "name_mentions",
    *_BYLINE_AND_DATE_FEATURES,
)
BYLINE_AND_DATE_ONLY = frozenset(_BYLINE_AND_DATE_FEATURES)
# what one of the two reads and the other does not
_NOT_READ = {
    "title": BYLINE_AND_DATE_ONLY,
    "date": frozenset(_BYLINE_ONLY),
}


def role_columns(role: str, width: int) -> np.ndarray:
    """The columns of a `width`-column role matrix that the `role` model reads."""
    start = width - len(ROLE_FEATURES)
    skip = _NOT_READ.get(role, frozenset())
    return np.array([i for i in range(width) if i < start or ROLE_FEATURES[i - start] not in skip])


@dataclass(frozen=True)
class Candidates:
    """Each role's candidate blocks (indexes into the page's blocks) and their features."""

    index: dict[str, np.ndarray]
    features: dict[str, np.ndarray]


def role_features(
    blocks: Blocks,
    lines: Sequence[str],
    block_matrix: np.ndarray,
    body_p: np.ndarray,
    kept: np.ndarray,
    first_block: int,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The role feature matrix of every block (block features, then ROLE_FEATURES) and
    which blocks are candidates for each role."""
    texts = blocks.texts
    n = len(texts)
    pieces = blocks.pieces
    line_start = np.concatenate(([0], np.cumsum(pieces)[:-1]))
    idx = np.arange(n)
    lo, hi = max(0, first_block - REACH), min(n, first_block + REACH + 1)
    kept_idx = np.flatnonzero(kept)
    last_kept = int(kept_idx[-1]) if len(kept_idx) else first_block
    around = (idx >= lo) & (idx < hi)
    lone_by = np.fromiter((LONE_BY.fullmatch(t) is not None for t in texts), bool, n)
    label_above = np.concatenate(
        ([0.0], np.fromiter((_NAME_LABEL.fullmatch(t) is not None for t in texts[:-1]), float))
    )[:n]
    # a labelled byline far below the first body block ("By" / "Kayla Greaves" inside a
    # long kept run, "Author:" / "Jacopo Cascioli" far under the article) is a candidate
    label_inside = _label_inside(lines, line_start, pieces)
    labelled = (
        (label_above > 0)
        | (label_inside > 0)
        | np.fromiter((_LABELLED.match(t) is not None for t in texts), bool, n)
    )
    # a name with its social handle under it ("Jane Roe" / "@janeroe"): an author box
    handle_after = np.concatenate(
        (np.fromiter((_HANDLE.fullmatch(t) is not None for t in texts[1:]), float), [0.0])
    )[:n]
    header_or_footer = around | ((idx > last_kept) & (idx <= last_kept + REACH_AFTER))
    near = header_or_footer | (labelled & (idx >= lo))  # (dates are read in the first only)

    chars = np.fromiter(map(len, texts), np.float64, n)
    # per-block columns filled below for the blocks near the body (rows of one array)
    (words, capital, final_stop, quote, dates, clock, published, updated, relative) = np.zeros(
        (9, n)
    )
    by, names, name_share, mentions, inner_by, first, in_rights, name_words = np.zeros((8, n))
    no_byline = np.zeros(n, dtype=bool)  # names, but a quotation's source or a publication
    days: dict[int, int] = {}  # the day (as an ordinal) of each dated block near the body
    page_text = "\n".join(texts)
    # the copyright lines under the body: a name there is the site's ("© 2023 The Planetary
    # Press")
    rights = "\n".join(filter(_COPYRIGHT.search, texts[last_kept:]))
    after_by = np.concatenate(([0.0], lone_by[:-1].astype(np.float64)))
    for i in np.flatnonzero(near).tolist():
        text = texts[i]
        tokens = _WORD.findall(text)
        words[i] = len(tokens)
        if tokens:
            capital[i] = sum(t[0].isupper() for t in tokens) / len(tokens)
        final_stop[i] = bool(_FINAL_STOP.search(text))
        quote[i] = bool(_QUOTE_START.match(text))
        if len(text) <= MAX_DATE_CHARS and header_or_footer[i]:
            found = len(DATE_TEXT.findall(text))
            dates[i] = found
            relative[i] = bool(RELATIVE.search(text))
            if found and (values := find_dates(text)):
                days[i] = day_of(values[0]).toordinal()
            if found or relative[i]:
                clock[i] = bool(_CLOCK.search(text))
                published[i] = bool(_PUBLISHED.search(text))
                updated[i] = bool(_UPDATED.search(text))
        if len(tokens) <= MAX_BYLINE_WORDS:
            by[i] = bool(_BY.match(text))
            inner_by[i] = not by[i] and bool(_INNER_BY.search(text))
            short = len(tokens) <= 8 and capital[i] >= 0.5
            if by[i] or inner_by[i] or short or (i and lone_by[i - 1]):
                found_names = byline_names(text)
                names[i] = len(found_names)
                named = sum(len(_WORD.findall(name)) for name in found_names)
                name_share[i] = named / max(len(tokens), 1)
                if found_names:
                    # "— Stewart Brand" under a quotation is its source, "The Penny Hoarder"
                    # the site: neither is the byline
                    no_byline[i] = (
                        _ATTRIBUTION.match(text) is not None
                        or all(map(is_publication, found_names))
                        or bylines.no_byline(text)
                    )
                    name_words[i] = len(found_names[0].split())
                    mentions[i] = min(page_text.count(found_names[0]), 10)
                    first[i] = starts_with_first_name(found_names[0])
                    in_rights[i] = found_names[0] in rights
    has_date = (dates > 0) | (relative > 0)
    teasers = _around(inner_by, _TEASER_REACH) - inner_by
    day_repeats, after_earliest, before_latest = _day_features(days, n)
    # "Updated:" on its own above the date: the label of the block below
    label = (words <= _LABEL_WORDS) & ~has_date
    published_above, updated_above = np.zeros((2, n))
    for i in np.flatnonzero(has_date[1:] & label[:-1]).tolist():
        published_above[i + 1] = bool(_PUBLISHED.search(texts[i]))
        updated_above[i + 1] = bool(_UPDATED.search(texts[i]))
    # the dates counted away from the first body block: 0 is the nearest above it (or,
    # below it, the nearest below), then 1, 2 ...
    date_rank = np.full(n, -1.0)
    above = np.flatnonzero(has_date & (idx < first_block))[::-1]
    below = np.flatnonzero(has_date & (idx >= first_block))
    date_rank[above] = np.arange(len(above))
    date_rank[below] = 100 + np.arange(len(below))
    interface = np.zeros(n, dtype=bool)
    for i in np.flatnonzero(near & (words <= MAX_TITLE_WORDS)).tolist():
        interface[i] = (words[i] <= 6 and is_interface(texts[i])) or is_caption(texts[i])
    date_order = np.where(has_date, np.cumsum(has_date) - 1, -1)
    dates_in_page = float(has_date.sum())
    wordy = (words >= 3) & (final_stop == 0) & ~has_date & (idx < first_block)
    rank_above = np.full(n, -1.0)
    order = np.flatnonzero(wordy)[::-1]
    rank_above[order] = np.arange(len(order))
    counts: dict[str, int] = {}
    for text in texts:
        counts[text] = counts.get(text, 0) + 1
    same = np.fromiter((counts[t] for t in texts), np.float64, n)
    lead, body = _overlaps(texts, kept_idx, near & (words >= 1) & (words <= MAX_TITLE_WORDS))
    first_kept = kept_idx[0] if len(kept_idx) else first_block

    padded = np.pad(body_p, 3, constant_values=0.0)
    before = np.mean([padded[3 - k : 3 - k + n] for k in (1, 2, 3)], axis=0)
    after = np.mean([padded[3 + k : 3 + k + n] for k in (1, 2, 3)], axis=0)
    role = np.column_stack(
        [
            body_p,
            before,
            after,
            kept.astype(np.float64),
            np.clip(idx - first_block, -REACH, REACH),
            np.clip(line_start - line_start[first_block], -200, 200),
            (idx < first_block).astype(np.float64),
            words,
            np.log1p(chars),
            capital,
            final_stop,
            quote,
            has_date.astype(np.float64),
            dates,
            clock,
            published,
            updated,
            relative,
            date_order,
            np.full(n, dates_in_page),
            np.where(has_date, 1.0 / max(dates_in_page, 1.0), 0.0),
            by,
            names,
            name_share,
            rank_above,
            (rank_above == 0).astype(np.float64),
            same,
            _distance_to(has_date, idx),
            _distance_to(by > 0, idx),
            np.clip(idx - first_kept, -REACH, REACH),
            after_by,
            lead,
            body,
            mentions,
            inner_by,
            first,
            published_above,
            updated_above,
            date_rank,
            np.clip(idx - last_kept, -REACH, REACH),
            in_rights,
            label_above,
            label_inside,
            handle_after,
            teasers,
            name_words,
            np.clip(idx - (order[0] if len(order) else first_block), -REACH, REACH),
            day_repeats,
            after_earliest,
            before_latest,
        ]
    )
    matrix = np.hstack([block_matrix, role]).astype(np.float32)
    candidates = {
        # a byline ("By Kim Da-sol") is no headline
        "title": np.flatnonzero(
            around
            & (words >= 1)
            & (words <= MAX_TITLE_WORDS)
            & ~interface
            & ~((by > 0) & (names > 0))
        ),
        "byline": np.flatnonzero(near & (names > 0) & ~no_byline),
        "date": np.array(
            [i for i in np.flatnonzero(near & has_date).tolist() if not is_post_date(texts, i)],
            dtype=np.int64,
        ),
    }
    return matrix, candidates


def is_post_date(texts: Sequence[str], i: int) -> bool:
    """Whether block (or line) `i` belongs to an embedded post's signature, so that a
    date in it is the post's: it starts with the signature, or the one above ends with it."""
    return _SIGNED.match(texts[i]) is not None or (
        i > 0 and _SIGNED_ABOVE.search(texts[i - 1]) is not None
    )


def _label_inside(lines: Sequence[str], line_start: np.ndarray, pieces: np.ndarray) -> np.ndarray:
    """1 for a block with a byline label on a line of its own after its first line: the
    dump joined "A headline" / "by" / "Jane Roe" into one block (a lower-case "by"
    carries the line on)."""
    out = np.zeros(len(pieces))
    for i in np.flatnonzero(pieces > 1).tolist():
        start = int(line_start[i])
        inner = lines[start + 1 : start + int(pieces[i]) - 1]
        out[i] = any(len(line) <= _LABEL_CHARS and LONE_BY.fullmatch(line) for line in inner)
    return out


def _around(values: np.ndarray, reach: int) -> np.ndarray:
    """The sum of `values` over each block and the `reach` blocks either side of it."""
    total = np.concatenate(([0.0], np.cumsum(values)))
    idx = np.arange(len(values))
    return total[np.minimum(idx + reach + 1, len(values))] - total[np.maximum(idx - reach, 0)]


def _day_features(days: dict[int, int], n: int) -> tuple[np.ndarray, ...]:
    """For each dated block: how many dated blocks give its day (a page prints its own day
    more than once, a teaser's once), and how many days it comes after the page's earliest
    date and before its latest (log-scaled); 0 elsewhere."""
    repeats, after, before = np.zeros((3, n))
    if days:
        counts: dict[int, int] = {}
        for day in days.values():
            counts[day] = counts.get(day, 0) + 1
        low, high = min(days.values()), max(days.values())
        for i, day in days.items():
            repeats[i] = counts[day]
            after[i] = np.log1p(day - low)
            before[i] = np.log1p(high - day)
    return repeats, after, before


def _overlaps(
    texts: Sequence[str], kept: np.ndarray, which: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For the `which` blocks: the share of their (longer) words that the body's first
    paragraphs use, and that the whole body uses (a headline's words come back in the lead)."""
    n = len(texts)
    lead_words = {w.casefold() for i in kept[:3] for w in _WORD.findall(texts[i]) if len(w) > 3}
    body_words = {w.casefold() for i in kept for w in _WORD.findall(texts[i]) if len(w) > 3}
    lead, body = np.zeros(n), np.zeros(n)
    for i in np.flatnonzero(which).tolist():
        own = {w.casefold() for w in _WORD.findall(texts[i]) if len(w) > 3}
        if own:
            outside = i not in set(kept[:3].tolist())
            lead[i] = len(own & lead_words) / len(own) if outside else -1.0
            body[i] = len(own & body_words) / len(own)
    return lead, body


def _distance_to(marks: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Signed distance (in blocks) to the nearest marked block; 99 when none is."""
    where = np.flatnonzero(marks)
    if not len(where):
        return np.full(len(idx), 99.0)
    pos = np.searchsorted(where, idx)
    left = where[np.clip(pos - 1, 0, len(where) - 1)]
    right = where[np.clip(pos, 0, len(where) - 1)]
    d_left, d_right = idx - left, idx - right
    return np.clip(np.where(np.abs(d_left) <= np.abs(d_right), d_left, d_right), -99, 99)


def ranked(
    matrix: np.ndarray,
    candidates: dict[str, np.ndarray],
    models: RoleModels | None = None,
) -> dict[str, list[tuple[int, float]]]:
    """Each role's candidate blocks that clear the role's bar, likeliest first, and their
    probabilities (for a ranked role, scores), averaged over the role's models. A block
    holds one role: the byline and the date, when sure, keep their
    block from the headline (a byline is no headline)."""
    models = models or shipped_models()
    out: dict[str, list[tuple[int, float]]] = {}
    for role in ROLES:
        index = candidates[role]
        if not len(index) or role not in models:
            out[role] = []
            continue
        rows = matrix[np.ix_(index, role_columns(role, matrix.shape[1]))]
        # a binary model's probabilities, a ranking's raw scores: both average as they are
        p = np.mean([model.predict(rows, num_threads=1) for model in models[role]], axis=0)
        order = np.argsort(-p, kind="stable")
        out[role] = [(int(index[j]), float(p[j])) for j in order if p[j] >= THRESHOLDS[role]]
        if role == "byline" and not out[role]:
            out[role] = _labelled_person(matrix, index[order], p[order])
    # ... unless the byline is on its own line inside the headline's block
    inside = matrix[:, -len(ROLE_FEATURES) + ROLE_FEATURES.index("label_inside")]
    taken = {block for block, p in out["byline"][:1] if p >= SURE and not inside[block]}
    if "date" not in RANKED:
        taken |= {block for block, p in out["date"][:1] if p >= SURE}
    titles = [(block, p) for block, p in out["title"] if block not in taken]
    # a one- or two-word label ranked first is likelier a section than the headline below it
    words = matrix[:, -len(ROLE_FEATURES) + ROLE_FEATURES.index("words")]
    if len(titles) > 1 and words[titles[0][0]] < _HEADLINE_WORDS <= words[titles[1][0]]:
        titles[:2] = titles[1::-1]
    out["title"] = titles
    return out


def _labelled_person(
    matrix: np.ndarray, index: np.ndarray, p: np.ndarray
) -> list[tuple[int, float]]:
    """When no byline clears the bar: the likeliest block that a byline label introduces
    ("By", "Posted by", "Author:" on it, on a line inside it or on the block above) and
    whose name starts with a first name, or that has two words or more after its own "By"
    or a label line inside it (an author box under the article, a byline far from the
    body, a headline the dump joined to "written by" / "Jane Roe")."""
    start = matrix.shape[1] - len(ROLE_FEATURES)

    def column(name: str) -> np.ndarray:
        return matrix[index, start + ROLE_FEATURES.index(name)]

    labelled = (
        column("by_prefix") + column("label_above") + column("label_inside") + column("after_by")
    ) > 0
    # "Posted by T. V. Raman": a name of several words on the label's own line or under
    # a label line inside the block
    label = column("by_prefix") + column("label_inside")
    named = (column("first_name") > 0) | ((column("name_words") >= 2) & (label > 0))
    person = labelled & named & (column("teasers_near") == 0)
    # an author box: a full name with its handle under it, the name printed again nearby
    # ("Will Leitch" / "@williamfleitch" / "Will Leitch is a contributing editor...")
    person |= (
        (column("handle_after") > 0) & (column("name_words") >= 2) & (column("name_mentions") >= 2)
    )
    return [(int(index[j]), float(p[j])) for j in np.flatnonzero(person)[:1]]


def choose(
    matrix: np.ndarray,
    candidates: dict[str, np.ndarray],
    models: RoleModels | None = None,
) -> dict[str, tuple[int, float] | None]:
    """Each role's best block and its probability, or None when none clears the bar."""
    return {
        role: (found[0] if found else None)
        for role, found in ranked(matrix, candidates, models).items()
    }


def title_text(pieces: Sequence[str]) -> str:
    """A headline block's text: its dump lines joined, unless one line carries most of its
    words and the others are what a page prints beside a headline ("Sign in", "by Author",
    a link to the site): then that line alone."""
    joined = join_pieces(pieces)
    if len(pieces) < 2:
        return joined
    counts = [len(_WORD.findall(piece)) for piece in pieces]
    longest = int(np.argmax(counts))
    if counts[longest] >= 3 and counts[longest] >= _MAIN_PIECE * sum(counts):
        return pieces[longest]
    return joined


@cache
def shipped_models() -> RoleModels:
    if not MODELS_PATH.exists():
        return {}
    saved = json.loads(MODELS_PATH.read_text("utf-8"))
    return {
        role: tuple(lgb.Booster(model_str=text) for text in texts) for role, texts in saved.items()
    }
