"""Read a page text dump (the seed's format: a page's visible text, one text node a line).

The body comes from a classifier of logical blocks (the dump's lines joined back into
paragraphs; LightGBM over broadsheet.extract.line_features, trained by bench/train_line_model.py)
read twice: a second model rereads each block's body probability beside its neighbours'
(and a few of its own features), which settles blocks the first reading left unsure;
the other fields come from rules anchored on where the body
starts: the headline, byline and date lines sit just above it, captions inside it, the
section line above the headline, the publisher in the footer's copyright lines.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

import lightgbm as lgb
import numpy as np

from broadsheet.extract import roles
from broadsheet.extract.boilerplate import Templates, dump_lines
from broadsheet.extract.bylines import byline_names, is_publication, rejoined, with_masthead
from broadsheet.extract.dates import (
    DATE_TEXT,
    any_language_date,
    day_first,
    day_of,
    find_dates,
    parse_date,
    relative_date,
)
from broadsheet.extract.line_features import (
    FEATURE_NAMES,
    Blocks,
    block_features,
    join_pieces,
    logical_blocks,
    matching_lines,
)
from broadsheet.extract.publishers import Publishers
from broadsheet.extract.titles import is_interface
from broadsheet.records import Article, Block, ExtractResult, Failure, InputFile

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "line_model.txt"
STACK_MODEL_PATH = MODEL_PATH.with_name("line_stack_model.txt")
# staying in a state is 1.5 times as likely as switching (chosen by cross-validation over
# sites on ../shared/train)
_SWITCH_COST = math.log(0.6 / 0.4)
_EPSILON = 1e-6
HEADER_WINDOW = 12  # lines above the body searched for headline, byline and dates
FOOTER_LINES = 30  # the page's last lines searched for the publisher's name
NO_ARTICLE = "no article text found in the page dump (only navigation or boilerplate)"

# the scraper's own header line: " date 2021-04-21  Back To Top"
_SCRAPER_HEADER = re.compile(r"^date (\d{4}-\d{2}-\d{2})\b")
_DATE_LABEL = re.compile(
    r"\b(first published|published|posted|last updated|updated|modified)\b\s*(?:on|at)?\s*:?",
    re.IGNORECASE,
)
_MODIFIED_LABELS = ("last updated", "updated", "modified")
_MAX_DATE_LINE = 80
_BYLINE = re.compile(r"^by\b[\s:]*(.*)$", re.IGNORECASE)
_MAX_BYLINE = 100
_EMAIL = re.compile(r"\(?\s*[\w.+-]+@[\w-]+(\.[\w-]+)+\s*\)?")
_ROLE = re.compile(
    r"\b(staff|senior|chief|political|foreign|diplomatic|business|national)?\s*"
    r"(reporter|writer|correspondent|editor|columnist|contributor)s?\b",
    re.IGNORECASE,
)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|&|\band\b|;)\s*", re.IGNORECASE)
AGENCIES = ("Yonhap", "AP", "AFP", "Reuters", "Xinhua", "UPI", "Kyodo", "dpa", "EPA", "Bloomberg")
_TRAILING_AGENCY = re.compile(rf"\(({'|'.join(AGENCIES)})\)\s*$")
_PHOTO_CREDIT = re.compile(
    r"\((?:[^()\n]*\b(?:photo|photos|image|images|pictures)\b[^()\n]*)\)$|^(photo|image)\s*:",
    re.IGNORECASE | re.MULTILINE,
)
_MIN_CAPTION_WORDS = 5
_SENTENCE_END = re.compile(r"[.!?)\u2026\u3002][\"'\u201d\u2019)\]]*$")
_COPYRIGHT = re.compile(r"©|\bcopyright\b|\ball rights reserved\b", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_ENGLISH_TEXT = "the of and to in a is that for on was with said as by at from it"
_ENGLISH = frozenset(_ENGLISH_TEXT.split())
_MAX_TITLE = 300
_MAX_INTERFACE = 60
# a page whose best block is at least this likely body, but where no run is kept, is read
# again with its probabilities scaled so that the best block is _RESCALED_TOP
_UNSURE_BODY = 0.2
_RESCALED_TOP = 0.9
_LABEL_WORDS = 3  # "Last updated:" printed on its own over a date
# a domain of a country that writes numeric dates day first, printed in the footer
# ("© BreakingNews.ie 2023"): the publisher's order when the page settles none
_DAY_FIRST_DOMAIN = re.compile(
    r"\b[a-z0-9-]+\.(?:co\.uk|org\.uk|uk|ie|com\.au|au|co\.nz|nz|co\.za|in|eu|de|fr|nl|es|it)\b",
    re.IGNORECASE,
)
# a price in euros: a European page, which writes numeric dates day first ("12/10/2020")
_EURO = re.compile(r"€\s?\d|\d\s?€")
# an RCS/CVS keyword stamp ("$Date: 2016/11/18 06:31:41 $", in UTC): the date of the
# revision of the document the page shows, so the page's own date; the dates its text
# gives (a licence's "Version 3, 29 June 2007") are the text's
_REVISION_STAMP = re.compile(r"^\$Date: ([^$]+?) \$$")
_CONTINUATION = tuple(",.;:)-\u2019'\"")  # characters that carry on the line before


# what the second reading takes from the block's own features
_STACK_OWN = (
    "log_chars",
    "words",
    "stop_ratio",
    "nav_ratio",
    "template",
    "ends_sentence",
    "repeats_in_page",
    "byline",
    "date_like",
    "copyright",
)
_STACK_OWN_COLUMNS = [FEATURE_NAMES.index(name) for name in _STACK_OWN]
_STACK_SHIFTS = (-3, -2, -1, 1, 2, 3)
_STACK_WINDOWS = (2, 5, 12)
_STACK_REACH = 60  # distances to the likeliest run are clipped here
STACK_FEATURE_NAMES = (
    "p",
    *(f"p@{k:+d}" for k in _STACK_SHIFTS),
    *(f"mean_p±{w}" for w in _STACK_WINDOWS),
    "kept",
    "from_best_run",
    "in_best_run",
    "place_in_best_run",
    "best_run_share",
    "p_rank",
    "p_of_top",
    "kept_share",
    "position",
    "runs",
    *_STACK_OWN,
)


@dataclass(frozen=True)
class BodyModel:
    """The body classifier: a first reading of each block's features, and a second that
    rereads the first's probabilities around each block (stacked; trained on out-of-fold
    first readings, so that it learns from probabilities like those it will be given)."""

    first: lgb.Booster
    second: lgb.Booster

    def probabilities(self, matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each block's body probability by the first reading and by both."""
        # one thread: a page is small, and an OpenMP pool started here would hang forked
        # workers
        first = self.first.predict(matrix, num_threads=1)
        if not len(first):
            return first, first
        return first, self.second.predict(stack_features(first, matrix), num_threads=1)


@dataclass(frozen=True)
class _Header:
    """What sits above the body: indexes of the lines that are not body text."""

    title: int | None
    section: int | None
    byline: tuple[int, ...]
    dates: tuple[int, ...]
    title_text: str | None = None  # a headline the dump broke over lines, joined
    byline_text: tuple[str, ...] = ()
    date_text: tuple[str, ...] = ()


@dataclass
class Layout:
    """Where a page's article is: the lines kept as body, the first body line, the caption
    and copyright lines, and what the role models read."""

    lines: Sequence[str]
    blocks: Blocks
    matrix: np.ndarray  # block features
    probabilities: np.ndarray  # body probability of each block, as the role models read it
    keep: np.ndarray  # per line
    first: int  # the first body line
    captions: np.ndarray
    copyright: np.ndarray

    def roles(self) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        kept = np.zeros(len(self.blocks.texts), dtype=bool)
        kept[self.blocks.of_line[self.keep]] = True
        first_block = int(self.blocks.of_line[self.first])
        return roles.role_features(
            self.blocks, self.lines, self.matrix, self.probabilities, kept, first_block
        )


def page_layout(
    lines: Sequence[str], marks: Sequence[bool] | None, model: BodyModel | None = None
) -> Layout | None:
    """The body classifier's reading of a page, or None when it finds no body."""
    blocks = logical_blocks(lines)
    matrix = block_features(blocks, marks)
    first, probabilities = (model or _model()).probabilities(matrix)
    return layout_of(lines, blocks, matrix, probabilities, first)


def layout_of(
    lines: Sequence[str],
    blocks: Blocks,
    matrix: np.ndarray,
    probabilities: np.ndarray,
    first_reading: np.ndarray,
) -> Layout | None:
    """The layout given the body probability of each block by both readings and by the
    first (training passes its own): the body is chosen by both, the role models read
    the first (they learned nothing more from the second on held-out sites)."""
    kept = keep_blocks(probabilities)
    top = float(probabilities.max()) if len(probabilities) else 0.0
    if not kept.any() and top >= _UNSURE_BODY:
        # a page the classifier is unsure of everywhere: its likeliest prose, read on the
        # page's own scale, rather than no article at all
        kept = keep_blocks(probabilities * (_RESCALED_TOP / top))
    keep = kept[blocks.of_line]
    captions = _captions(lines)
    copyright = matching_lines(_COPYRIGHT, lines)
    keep &= ~captions & ~copyright
    first = _first_body_line(lines, blocks, keep)
    if first is None:
        return None
    return Layout(lines, blocks, matrix, first_reading, keep, first, captions, copyright)


def _learned_header(
    header: _Header,
    chosen: dict[str, list[tuple[int, float]]],
    blocks: Blocks,
    lines: Sequence[str],
    reference: date | None,
) -> _Header:
    """The rules' header, with each field the role models found put in its place."""
    lines_of = _lines_of(blocks)
    title, title_text = header.title, None
    if chosen.get("title"):
        block = chosen["title"][0][0]
        title = int(lines_of[block][0])
        title_text = roles.title_text([lines[i] for i in lines_of[block]])
    byline, byline_text = header.byline, ()
    if chosen.get("byline"):
        # the likeliest byline, and the sure ones right beside it (one person a line)
        first = chosen["byline"][0][0]
        picked = sorted(
            {first}
            | {b for b, p in chosen["byline"][1:] if p >= roles.SURE and abs(b - first) <= 2}
        )
        picked += _joined_by_conjunction(blocks.texts, picked[-1])
        byline = tuple(int(i) for block in picked for i in lines_of[block])
        byline_text = tuple(blocks.texts[block] for block in picked)
    dates, date_text = header.dates, ()
    # the likeliest date block that gives a day ("12 minutes ago" gives none on its own)
    found = [
        (block, p)
        for block, p in chosen.get("date", ())
        if find_dates(text := blocks.texts[block]) or relative_date(text, reference)
    ]
    if found:
        picked = [found[0][0], *_other_date(blocks.texts, found)]
        dates = tuple(int(i) for block in picked for i in lines_of[block])
        date_text = tuple(_labelled(blocks.texts, block) for block in picked)
    section = header.section
    if title is not None and title != header.title:
        section = _section_above(lines, title)
    return _Header(title, section, byline, dates, title_text, byline_text, date_text)


# a block that only joins two bylines: "Jane Roe, Staff Attorney" / "&" / "John Doe, Director"
_LONE_CONJUNCTION = re.compile(r"\s*(?:&|and)\s*", re.IGNORECASE)


def _joined_by_conjunction(texts: Sequence[str], last: int) -> list[int]:
    """The byline block after a lone "&" under the byline's last block: the second
    person of a byline the page prints one person a block."""
    after = last + 2
    joined = after < len(texts) and _LONE_CONJUNCTION.fullmatch(texts[last + 1])
    return [after] if joined and byline_names(texts[after], AGENCIES) else []


def _lines_of(blocks: Blocks) -> list[np.ndarray]:
    """The dump lines of each block."""
    bounds = np.concatenate(([0], np.cumsum(blocks.pieces)))
    return [np.arange(a, b) for a, b in itertools.pairwise(bounds.tolist())]


def read_text(
    file: InputFile,
    *,
    publishers: Publishers,
    templates: Templates | None = None,
    model: BodyModel | None = None,
    role_models: roles.RoleModels | None = None,
) -> ExtractResult:
    """Extract the one article of a text dump, or a Failure when it holds none. `model`
    and `role_models` replace the shipped block and role classifiers (cross-validation
    passes each fold's own)."""
    lines = dump_lines(file.text)
    header_date = None
    if lines and (match := _SCRAPER_HEADER.match(lines[0])):
        header_date = date.fromisoformat(match.group(1))
        lines = lines[1:]
    if not lines:
        return ExtractResult(failures=[Failure(file.path, "empty text dump")])

    marks = templates.marks(lines) if templates else None
    layout = page_layout(lines, marks, model)
    if layout is None:
        return ExtractResult(failures=[Failure(file.path, NO_ARTICLE)])
    keep, first, captions, copyright = layout.keep, layout.first, layout.captions, layout.copyright
    header = _header(lines, first, marks, captions)
    chosen = roles.ranked(*layout.roles(), role_models)
    header = _learned_header(header, chosen, layout.blocks, lines, header_date)
    for index in (header.section, *header.byline, *header.dates):
        if index is not None:
            keep[index] = False
    if header.title is not None:
        # the article starts under its headline: short labels above it are not body, but
        # prose the classifier kept is never dropped on the strength of a header guess
        keep[header.title] = False
        for i in np.flatnonzero(keep[: header.title]):
            keep[i] = len(_WORD.findall(lines[i])) >= _MIN_CAPTION_WORDS
    _drop_interface(lines, keep)
    _trim_trailing_headings(lines, keep)
    body = select_body(lines, layout.blocks, keep)
    if not body:
        return ExtractResult(failures=[Failure(file.path, NO_ARTICLE)])

    # copyright lines name the page's publisher; other lines of the footer may
    footer = lines[max(int(np.flatnonzero(keep)[-1]) + 1, len(lines) - FOOTER_LINES) :]
    marked = [line for line, c in zip(lines, copyright, strict=True) if c]
    publisher = publishers.in_lines(itertools.chain(marked, footer))
    timezone = publisher.timezone if publisher else None
    date_lines = header.date_text or [lines[i] for i in header.dates]
    dayfirst = day_first(file.text)
    if dayfirst is None and timezone:
        # "08/11/2023" on a page that settles nothing: the publisher's side of the Atlantic
        dayfirst = not timezone.startswith("America/")
    if dayfirst is None and any(map(_DAY_FIRST_DOMAIN.search, itertools.chain(marked, footer))):
        dayfirst = True
    if dayfirst is None and _EURO.search(file.text):
        dayfirst = True
    published, modified = _dates(date_lines, timezone, dayfirst)
    if (revision := _revision(lines)) is not None:
        published = modified = revision
    if published is None and modified is None:
        published = _relative(date_lines, header_date)
    if published is None and modified is None and header_date is None:
        published = _named_in_any_language(lines[max(0, first - HEADER_WINDOW) : first])
    published = published or modified  # a page that prints only its update: that day
    title = header.title_text or (lines[header.title] if header.title is not None else None)
    article = Article(
        title=title or _title_from(body[0]),
        body=tuple(Block.paragraph(text) for text in body),
        scraped_from=file.path,
        scraped_sha256=file.sha256,
        published=published or header_date,
        modified=modified,
        section=lines[header.section] if header.section is not None else None,
        source=publisher.name if publisher else None,
        authors=_authors(header.byline_text or [lines[i] for i in header.byline], body[-1]),
        lang=_language(body),
        captions=tuple(dict.fromkeys(line for line, c in zip(lines, captions, strict=True) if c)),
    )
    return ExtractResult(articles=[article])


@cache
def _model() -> BodyModel:
    # loaded once per (worker) process
    first, second = (
        lgb.Booster(model_str=path.read_text("utf-8")) for path in (MODEL_PATH, STACK_MODEL_PATH)
    )
    return BodyModel(first, second)


def keep_blocks(probabilities: np.ndarray) -> np.ndarray:
    """The blocks to keep, given each block's body probability: the likeliest body/not-body
    sequence (Viterbi over two states) when switching between them costs a little, so that
    a lone block in a run of the other kind needs clear evidence to break the run."""
    p = np.clip(probabilities, _EPSILON, 1 - _EPSILON)
    out_scores, in_scores = np.log1p(-p).tolist(), np.log(p).tolist()
    if not in_scores:
        return np.zeros(0, dtype=bool)
    out, inside = out_scores[0], in_scores[0]
    came_from = []  # for each line after the first: best previous state for (out, in)
    for out_score, in_score in zip(out_scores[1:], in_scores[1:], strict=True):
        out_from_in = inside - _SWITCH_COST > out
        in_from_in = inside >= out - _SWITCH_COST
        came_from.append((out_from_in, in_from_in))
        out, inside = (
            (inside - _SWITCH_COST if out_from_in else out) + out_score,
            (inside if in_from_in else out - _SWITCH_COST) + in_score,
        )
    state = inside >= out
    keep = [state]
    for out_from_in, in_from_in in reversed(came_from):
        state = in_from_in if state else out_from_in
        keep.append(state)
    return np.array(keep[::-1], dtype=bool)


def stack_features(probabilities: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """What the second reading reads of each block (STACK_FEATURE_NAMES): the first
    reading's body probability of the block and of its neighbours, its means over windows,
    where the block stands to the run of kept blocks the first reading finds likeliest
    (the run of the largest summed probability), and a few of the block's own features."""
    p = probabilities
    n = len(p)
    idx = np.arange(n)
    padded = np.pad(p, max(_STACK_SHIFTS), constant_values=0.0)
    shifted = [padded[max(_STACK_SHIFTS) + k : max(_STACK_SHIFTS) + k + n] for k in _STACK_SHIFTS]
    total = np.concatenate(([0.0], np.cumsum(p)))
    means = []
    for w in _STACK_WINDOWS:
        lo, hi = np.maximum(idx - w, 0), np.minimum(idx + w + 1, n)
        means.append((total[hi] - total[lo]) / (hi - lo))
    kept = keep_blocks(p)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], kept.astype(np.int8), [0]))))
    runs = list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))
    if runs:
        start, end = max(runs, key=lambda run: total[run[1]] - total[run[0]])
    else:
        start = int(np.argmax(p))
        end = start + 1
    from_run = np.where(idx < start, idx - start, np.where(idx >= end, idx - end + 1, 0))
    inside = (idx >= start) & (idx < end)
    rank = np.argsort(np.argsort(-p, kind="stable"), kind="stable")
    columns = [
        p,
        *shifted,
        *means,
        kept.astype(np.float64),
        np.clip(from_run, -_STACK_REACH, _STACK_REACH),
        inside.astype(np.float64),
        (idx - start) / max(end - start, 1),
        np.full(n, (end - start) / n),
        rank / n,
        p / max(float(p.max()), _EPSILON),
        np.full(n, kept.mean()),
        idx / max(n - 1, 1),
        np.full(n, float(len(runs))),
    ]
    return np.hstack([np.column_stack(columns), matrix[:, _STACK_OWN_COLUMNS]]).astype(np.float32)


def select_body(lines: Sequence[str], blocks: Blocks, keep: np.ndarray) -> list[str]:
    """The body paragraphs: the kept `lines` of each of the `blocks`, joined. A paragraph
    printed twice stays twice: on the training pages, dropping repeats lost more text
    that belonged to the article than it saved."""
    kept: dict[int, list[str]] = {}
    for i in np.flatnonzero(keep).tolist():
        kept.setdefault(int(blocks.of_line[i]), []).append(lines[i])
    return [join_pieces(pieces) for pieces in kept.values()]


def _captions(lines: Sequence[str]) -> np.ndarray:
    """Photo captions: a line (of enough words) printed twice in a row (picture and
    lightbox), or one that ends with a photo credit."""
    same_as_next = np.array([a == b for a, b in itertools.pairwise(lines)], dtype=bool)
    candidates = matching_lines(_PHOTO_CREDIT, lines)
    candidates[1:] |= same_as_next
    candidates[:-1] |= same_as_next
    marks = np.zeros(len(lines), dtype=bool)
    for i in np.flatnonzero(candidates).tolist():
        marks[i] = len(_WORD.findall(lines[i])) >= _MIN_CAPTION_WORDS
    return marks


def _first_body_line(lines: Sequence[str], blocks: Blocks, keep: np.ndarray) -> int | None:
    """The first kept line of the first kept block that reads as a sentence; kept lines
    above it (a headline, a byline, a date) belong to the header. Failing that, the first
    kept line."""
    kept = [int(i) for i in np.flatnonzero(keep)]
    for i in kept:
        text = blocks.texts[blocks.of_line[i]]
        if _SENTENCE_END.search(text) and not (_is_byline(text) or _is_date_line(text)):
            return i
    return kept[0] if kept else None


def _header(
    lines: Sequence[str], first: int, marks: Sequence[bool] | None, captions: np.ndarray
) -> _Header:
    """Walk up from the first body line past captions, bylines and dates to the headline,
    then (optionally) the section the page files it under."""
    byline, dates = [], []
    title = section = None
    start = max(0, first - HEADER_WINDOW)
    for i in range(first - 1, start - 1, -1):
        line = lines[i]
        if captions[i]:
            continue
        if _is_byline(line) or (line.lower() == "by" and i + 1 < len(lines)):
            byline.append(i if line.lower() != "by" else i + 1)
        elif _is_date_line(line):
            if not roles.is_post_date(lines, i):
                dates.append(i)
        elif (
            title is None
            and _looks_like_title(line, bool(marks and marks[i]))
            and not (_is_fragment(lines, i))
        ):
            title = i
            section = _section_above(lines, i)
            break
    # dates and bylines printed just under the first paragraph ("Posted 3 hours ago")
    for i in range(first + 1, min(len(lines), first + 3)):
        if _is_date_line(lines[i]) and not roles.is_post_date(lines, i):
            dates.append(i)
    return _Header(title, section, tuple(sorted(set(byline))), tuple(sorted(dates)))


def _drop_interface(lines: Sequence[str], keep: np.ndarray) -> None:
    """A body paragraph is never an interface string ("URL is copied.") or a lone "By"."""
    for i in np.flatnonzero(keep).tolist():
        line = lines[i]
        if len(line) <= _MAX_INTERFACE and (is_interface(line) or roles.LONE_BY.fullmatch(line)):
            keep[i] = False


def _trim_trailing_headings(lines: Sequence[str], keep: np.ndarray) -> None:
    """An article does not end on a short heading ("MOST POPULAR", "Related"): unmark
    the short non-sentence lines after the last sentence of the body."""
    for i in np.flatnonzero(keep)[::-1]:
        line = lines[i]
        if len(_WORD.findall(line)) >= _MIN_CAPTION_WORDS or _SENTENCE_END.search(line):
            return
        keep[i] = False


def _is_byline(line: str) -> bool:
    return len(line) <= _MAX_BYLINE and bool(_BYLINE.match(line)) and len(line.split()) > 1


def _is_date_line(line: str) -> bool:
    return len(line) <= _MAX_DATE_LINE * 2 and (
        bool(_DATE_LABEL.search(line) and DATE_TEXT.search(line))
        or (len(line) <= _MAX_DATE_LINE and bool(DATE_TEXT.search(line)) and parse_date(line))
    )


def _is_fragment(lines: Sequence[str], i: int) -> bool:
    """Whether line i is part of a sentence broken over lines by inline markup (a link,
    an emphasis): it starts in lower case, or the next line carries on the sentence. A
    headline is a block of its own."""
    following = lines[i + 1][:1] if i + 1 < len(lines) else ""
    return lines[i][:1].islower() or following.islower() or following in _CONTINUATION


def _looks_like_title(line: str, template: bool) -> bool:
    words = _WORD.findall(line)
    wordy = len(words) >= 3 or len(_HANGUL.findall(line)) >= 4
    return wordy and not template and len(line) <= _MAX_TITLE and not is_interface(line)


def _section_above(lines: Sequence[str], title: int) -> int | None:
    """The line above the headline when it is a short label the page's menu also lists."""
    i = title - 1
    if i < 0:
        return None
    label = lines[i]
    short = 0 < len(_WORD.findall(label)) <= 3 and len(label) <= 40
    in_menu = sum(line == label for line in lines) > 1
    return i if short and in_menu and label[:1].isupper() else None


def _dates(
    lines: Sequence[str], timezone: str | None, dayfirst: bool | None = None
) -> tuple[datetime | date | None, datetime | date | None]:
    """Published and modified from the header's date lines ("Published : ... Updated : ...")."""
    published = modified = None
    for line in lines:
        pieces = _DATE_LABEL.split(line)
        # split gives [before, label, text, label, text, ...]; an unlabelled date is published
        labelled = [("", pieces[0]), *zip(pieces[1::2], pieces[2::2], strict=True)]
        for label, text in labelled:
            value = parse_date(text, timezone, dayfirst)
            if value is None:
                continue
            if label.lower() in _MODIFIED_LABELS:
                modified = modified or value
            else:
                published = published or value
    return published, modified


def _labelled(texts: Sequence[str], block: int) -> str:
    """A date block's text, with the label the page prints on its own above it ("Updated:"
    over "Mar 6, 2018")."""
    above = texts[block - 1] if block else ""
    short = len(_WORD.findall(above)) <= _LABEL_WORDS
    if short and _DATE_LABEL.search(above) and not DATE_TEXT.search(above):
        return f"{above} {texts[block]}"
    return texts[block]


def _other_date(texts: Sequence[str], found: list[tuple[int, float]]) -> list[int]:
    """Beside the likeliest date block, the sure one that completes it: the publication
    before an update ("Updated: Mar 6, 2018" over "Original: Dec 21, 2016"), or the update
    after a publication; a date on the wrong side is some other story's."""
    first = _labelled(texts, found[0][0])
    updated = _update_only(first)
    days = [day_of(value) for value in find_dates(first)]
    for block, p in found[1:]:
        text = _labelled(texts, block)
        if p < roles.SURE or (_update_only(text) is None) == (updated is None):
            continue
        other = [day_of(value) for value in find_dates(text)]
        if updated is not None and any(day < day_of(updated) for day in other):
            return [block]
        if updated is None and days and other and min(other) >= days[0]:
            return [block]
    return []


def _update_only(text: str) -> date | datetime | None:
    """The update a date text gives when it gives only that ("Updated: August 22, 2019")."""
    published, modified = _dates([text], None)
    return modified if published is None else None


def _revision(lines: Sequence[str]) -> date | datetime | None:
    """The date of the revision an RCS/CVS `$Date$` stamp gives, when the page prints one."""
    for line in lines:
        if (match := _REVISION_STAMP.match(line)) is not None:
            return parse_date(match.group(1), "UTC")
    return None


def _named_in_any_language(lines: Sequence[str]) -> date | None:
    """On a page that gives no date in English, the nearest line above the body that
    writes one in another language ("mardi 5 juin 2018"), and not under an embedded post."""
    for i in reversed(range(len(lines))):
        line = lines[i]
        if roles.is_post_date(lines, i) or len(line) > _MAX_DATE_LINE:
            continue
        if (value := any_language_date(line)) is not None:
            return value
    return None


def _relative(lines: Sequence[str], reference: date | None) -> date | None:
    """A "3 hours ago" date line read against the day the scraper's header gives."""
    for line in lines:
        if (value := relative_date(line, reference)) is not None:
            return value
    return None


# a menu's link the byline model may pick on a page with no byline ("Install App"); left
# out of the names its features read, so the models learn as before
_APP_LINK = re.compile(r"\b(?:install|download|get the)\s+(?:our\s+)?app\b|\bdonate\b", re.I)


def _authors(bylines: Sequence[str], last_paragraph: str) -> tuple[str, ...]:
    """Names from the byline lines, plus a wire agency credited at the end of the body."""
    names = [
        name
        for line in bylines
        for name in with_masthead(line, byline_names(rejoined(line), AGENCIES))
        if not is_publication(name, AGENCIES) and not _APP_LINK.search(name)
    ]
    if match := _TRAILING_AGENCY.search(last_paragraph):
        names.append(match.group(1))
    return tuple(dict.fromkeys(names))


def parse_byline(line: str) -> list[str]:
    """`By Kim Da-sol (kds@heraldcorp.com)` -> ["Kim Da-sol"]; "By" and roles dropped."""
    match = _BYLINE.match(line)
    text = match.group(1) if match else line
    text = _EMAIL.sub(" ", text)
    names = []
    for part in _AUTHOR_SPLIT.split(text):
        name = _ROLE.sub("", part).strip(" -|:()\u2013\u2014")
        if _WORD.search(name):
            names.append(" ".join(name.split()))
    return names


def _title_from(paragraph: str, limit: int = 120) -> str:
    """A stand-in headline for a page that prints none: the body's opening words."""
    if len(paragraph) <= limit:
        return paragraph
    return paragraph[:limit].rsplit(" ", 1)[0] + " …"


def _language(body: Sequence[str]) -> str | None:
    """ "en" for English prose, "ko" for Korean, else unknown (a cheap heuristic)."""
    text = " ".join(body[:20])
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return None
    if sum(w in _ENGLISH for w in words) / len(words) >= 0.12:
        return "en"
    if len(_HANGUL.findall(text)) >= 0.3 * sum(ch.isalpha() for ch in text):
        return "ko"
    return None
