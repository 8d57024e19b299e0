"""Per-block features of a page text dump, for the block classifier in read_text.py.

A dump is the visible text of a page, one text node a line, so inline markup (a link, an
emphasis) breaks one sentence over several lines: "The", "president", "said on Monday".
`logical_blocks` joins such pieces back into the paragraphs they came from, and the
classifier reads paragraphs, not pieces that look like menu entries. Each block gets
cheap surface features (length, punctuation, stop words, link- and nav-like words, how
many pieces it joins), its place in the page, whether it repeats (in the page, or across
the site's dumps: template lines) and the same features of its neighbours, because an
article is a dense run of prose blocks.
Everything is computed once per page into one float32 matrix, so that the model
predicts a whole page in a single call.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter

import numpy as np

_WORD = re.compile(r"\w+")
# Patterns run over the whole page joined by newlines, so none may match across a line end.
_SENTENCE_END = re.compile(r"[.!?\u2026\u3002][\"'\u201d\u2019)\]]*$", re.MULTILINE)
# the lookbehind after the first character lets the regex engine skip to [.!?] quickly
_SENTENCE_INSIDE = re.compile(r"[.!?](?<=\w[.!?])[\"'\u201d\u2019]?[^\S\n]+[\"'\u201c\u2018]?[A-Z]")
_DATE_LIKE = re.compile(
    # the lookahead skips most words before trying the alternatives
    r"(?<!\w)(?=[\dadfjmnos])(?:(?:19|20)\d\d\b.*\b\d{1,2}\b|\d{1,2}:\d\d\b|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}\b)",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(by|von|par|por|door|di)\b|^(written|posted|reported) by\b", re.IGNORECASE | re.MULTILINE
)
_COPYRIGHT = re.compile(r"©|copyright", re.IGNORECASE)
_SEPARATORS = re.compile(r"[|/>\u2022\u00bb\u00ab\u203a\u2039\u00b7]")
_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7af]")
_NEWLINE, _COMMA = ord("\n"), ord(",")
# A line carries on the one before when it starts with closing punctuation (or in lower
# case), or the one before ends on an opening one or on a word no sentence ends with.
_CLOSING = tuple(",.;:)]!?%\u2019\u201d")
_OPENING = tuple(",;(\u201c\u2018-\u2013\u2014/")
_NO_SPACE_AFTER = tuple("(\u201c\u2018")
_CARRY_ON_TEXT = (
    "the a an of to in on at by for with from and or but as that than said says into about"
)
_CARRY_ON_WORDS = frozenset(_CARRY_ON_TEXT.split())
_LONGEST_CARRY_ON = max(map(len, _CARRY_ON_WORDS))


def _character_classes() -> np.ndarray:
    r"""Bit flags of each Basic Multilingual Plane character (letter, digit, upper case,
    punctuation as `[^\w\s]`); one last slot stands for every character above it."""
    plane = "".join(map(chr, range(0x10000)))
    flags = np.zeros(0x10001, dtype=np.uint8)
    for bit, pattern in ((1, r"[^\W\d_]"), (2, r"\d"), (8, r"[^\w\s]")):
        flags[[m.start() for m in re.finditer(pattern, plane)]] |= bit
    flags[:-1][np.fromiter(map(str.isupper, plane), bool, 0x10000)] |= 4
    flags[-1] = 8  # mostly emoji and symbols
    return flags


_CLASSES = _character_classes()
_LETTER_BIT, _DIGIT_BIT, _UPPER_BIT, _PUNCT_BIT = 1, 2, 4, 8
# Words that menus, share bars, footers and teasers are made of (lower case).
_NAV_TEXT = """
    home menu search login log sign subscribe subscription newsletter newsletters share
    shares tweet email print comment comments reply follow facebook twitter linkedin
    pinterest whatsapp reddit instagram youtube copyright rights reserved privacy policy
    cookie cookies terms contact advertise advertisement advertising sponsored related
    popular trending latest read more next previous prev back top skip navigation account
    register password download app apps video videos photos gallery podcast podcasts
    feedback sitemap careers jobs about help faq rss loading click tap tags topics
    """
_STOP_TEXT = """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours out over own same she should so some such than that the their theirs
    them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours
    said says also has its been would which there their says will than them
    der die das und ist nicht mit von den zu le la les et est des une du que qui el los
    las en y un una es por con para il di che non per het een van
    """
_NAV_WORDS = frozenset(_NAV_TEXT.split())
_STOP_WORDS = frozenset(_STOP_TEXT.split())

# Per-line surface features, then the same for neighbours at these offsets.
_BASE = (
    "log_chars",
    "words",
    "mean_word_len",
    "alpha",
    "digits",
    "upper",
    "punct",
    "ends_sentence",
    "sentences_inside",
    "stop_ratio",
    "capitalised",
    "commas",
    "nav_ratio",
    "separators",
    "byline",
    "date_like",
    "copyright",
    "cjk",
    "starts_lower",
    "repeats_in_page",
    "template",
    "log_pieces",
)
_NEIGHBOUR = ("log_chars", "ends_sentence", "stop_ratio", "nav_ratio", "template", "capitalised")
_OFFSETS = (-3, -2, -1, 1, 2, 3)
_WINDOWS = (2, 5, 12)
_WINDOWED = ("log_chars", "stop_ratio", "nav_ratio", "template")
_GLOBAL = (
    "position",
    "char_position",
    "share_of_chars",
    "log_page_lines",
    "dist_longest",
    "dist_densest",
    "rank_chars",
    "doc_pos_in_run",
    "run_length",
)

FEATURE_NAMES: tuple[str, ...] = (
    *_BASE,
    *(f"{name}@{off:+d}" for off in _OFFSETS for name in _NEIGHBOUR),
    *(f"mean_{name}±{w}" for name in _WINDOWED for w in _WINDOWS),
    *_GLOBAL,
)
_COL = {name: i for i, name in enumerate(_BASE)}


@dataclass(frozen=True)
class Blocks:
    """The logical blocks (paragraphs, headings, menu entries) of a page's dump lines."""

    texts: list[str]  # each block's text, its pieces joined
    of_line: np.ndarray  # the block index of each dump line

    @property
    def pieces(self) -> np.ndarray:
        """How many dump lines make up each block."""
        return np.bincount(self.of_line, minlength=len(self.texts))


def logical_blocks(lines: Sequence[str]) -> Blocks:
    """Join each line to the one before when it evidently carries on the same sentence."""
    starts = [i for i in range(len(lines)) if i == 0 or not _carries_on(lines[i - 1], lines[i])]
    bounds = [*starts, len(lines)]
    of_line = np.repeat(np.arange(len(starts)), np.diff(bounds))
    texts = [join_pieces(lines[a:b]) for a, b in itertools.pairwise(bounds)]
    return Blocks(texts, of_line)


def join_pieces(pieces: Sequence[str]) -> str:
    """The text of a block from its lines: a space between two, none before a closing
    mark or after an opening one."""
    text = pieces[0]
    for piece in pieces[1:]:
        space = "" if piece.startswith(_CLOSING) or text.endswith(_NO_SPACE_AFTER) else " "
        text += space + piece
    return text


def _carries_on(previous: str, line: str) -> bool:
    if line[:1].islower() or line.startswith(_CLOSING) or previous.endswith(_OPENING):
        return True
    # the last word, read from the last few characters: a longer word is none of them
    tail = previous[-_LONGEST_CARRY_ON - 1 :].split()
    return bool(tail) and tail[-1] in _CARRY_ON_WORDS


def block_features(blocks: Blocks, template: Sequence[bool] | None = None) -> np.ndarray:
    """line_features of the blocks; `template` marks the template dump lines, and a block
    is template when all of its lines are."""
    block_template = None
    if template is not None:
        block_template = np.ones(len(blocks.texts), dtype=bool)
        np.logical_and.at(block_template, blocks.of_line, np.asarray(template, dtype=bool))
    return line_features(blocks.texts, block_template, blocks.pieces)


def line_features(
    lines: Sequence[str],
    template: Sequence[bool] | None = None,
    pieces: Sequence[int] | None = None,
) -> np.ndarray:
    """The feature matrix of a page: one row per line (or block), columns as in FEATURE_NAMES.

    `template` marks the lines known to repeat across other dumps of the site, `pieces`
    says how many dump lines each block joins (one each when not given).
    """
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    base = _surface(lines)
    if template is not None:
        base[:, _COL["template"]] = np.asarray(template, dtype=np.float32)
    if pieces is not None:
        base[:, _COL["log_pieces"]] = np.log(np.asarray(pieces, dtype=np.float32))
    parts = [base]
    neighbour_cols = [_COL[name] for name in _NEIGHBOUR]
    padded = np.pad(base[:, neighbour_cols], ((3, 3), (0, 0)), constant_values=-1.0)
    parts += [padded[3 + off : 3 + off + n] for off in _OFFSETS]
    windowed = base[:, [_COL[name] for name in _WINDOWED]]
    means = np.stack([_window_mean(windowed, w) for w in _WINDOWS], axis=2)  # line, name, w
    parts.append(means.reshape(n, -1))
    parts.append(_global(base[:, _COL["log_chars"]], lines))
    return np.hstack(parts).astype(np.float32, copy=False)


def _surface(lines: Sequence[str]) -> np.ndarray:
    """The _BASE columns of every line, computed over the whole page at once: a Python
    loop per line was most of the reader's time."""
    n = len(lines)
    text = "\n".join(lines)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    classes = _CLASSES[np.minimum(codes, len(_CLASSES) - 1)]
    line_of = np.cumsum(codes == _NEWLINE)  # line index of every character

    def per_line(mask: np.ndarray) -> np.ndarray:
        return np.bincount(line_of[mask], minlength=n).astype(np.float64)

    chars = np.fromiter(map(len, lines), dtype=np.float64, count=n)
    letters = per_line((classes & _LETTER_BIT) > 0)
    tokens = list(map(_WORD.findall, lines))
    words = np.fromiter(map(len, tokens), dtype=np.float64, count=n)
    words_list = list(itertools.chain.from_iterable(tokens))
    word_line = np.repeat(np.arange(n), words.astype(np.intp))
    lowered = list(map(str.lower, words_list))

    def per_word(flags) -> np.ndarray:
        weights = np.fromiter(flags, dtype=np.float64, count=len(words_list))
        return np.bincount(word_line, weights, minlength=n)

    counts = Counter(lines)
    columns = {
        "log_chars": np.log1p(chars),
        "words": words,
        "mean_word_len": _ratio(per_word(map(len, words_list)), words),
        "alpha": _ratio(letters, chars),
        "digits": _ratio(per_line((classes & _DIGIT_BIT) > 0), chars),
        "upper": _ratio(per_line((classes & _UPPER_BIT) > 0), letters),
        "punct": _ratio(per_line((classes & _PUNCT_BIT) > 0), chars),
        "ends_sentence": _any_match(_SENTENCE_END, text, line_of, n),
        "sentences_inside": _matches(_SENTENCE_INSIDE, text, line_of, n),
        "stop_ratio": _ratio(per_word(map(_STOP_WORDS.__contains__, lowered)), words),
        "capitalised": _ratio(per_word(map(str.isupper, map(itemgetter(0), words_list))), words),
        "commas": _ratio(per_line(codes == _COMMA), words),
        "nav_ratio": _ratio(per_word(map(_NAV_WORDS.__contains__, lowered)), words),
        "separators": _matches(_SEPARATORS, text, line_of, n),
        "byline": _any_match(_BYLINE, text, line_of, n),
        "date_like": _any_match(_DATE_LIKE, text, line_of, n),
        "copyright": _any_match(_COPYRIGHT, text, line_of, n),
        "cjk": _ratio(_matches(_CJK, text, line_of, n), chars),
        "starts_lower": np.fromiter((line[:1].islower() for line in lines), np.float64, n),
        "repeats_in_page": np.fromiter((counts[line] - 1 for line in lines), np.float64, n),
        "template": np.zeros(n),
        "log_pieces": np.zeros(n),
    }
    return np.column_stack([columns[name] for name in _BASE]).astype(np.float32)


def matching_lines(pattern: re.Pattern[str], lines: Sequence[str]) -> np.ndarray:
    """Whether `pattern` (which must never match across a line end) matches in each line:
    one regex pass over the page instead of one call per line."""
    text = "\n".join(lines)
    line_of = np.cumsum(np.frombuffer(text.encode("utf-32-le"), dtype="<u4") == _NEWLINE)
    return _any_match(pattern, text, line_of, len(lines)) > 0


def _matches(pattern: re.Pattern[str], text: str, line_of: np.ndarray, n: int) -> np.ndarray:
    """How many matches of `pattern` (which never spans lines) start on each line."""
    starts = [match.start() for match in pattern.finditer(text)]
    return np.bincount(line_of[starts], minlength=n).astype(np.float64)


def _any_match(pattern: re.Pattern[str], text: str, line_of: np.ndarray, n: int) -> np.ndarray:
    return (_matches(pattern, text, line_of, n) > 0).astype(np.float64)


def _ratio(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    part = part.astype(np.float64)  # a bincount over no items comes back as integers
    return np.divide(part, whole, out=np.zeros_like(part), where=whole > 0)


def _window_mean(columns: np.ndarray, radius: int) -> np.ndarray:
    """Mean of each column over lines i-radius..i+radius (clipped to the page)."""
    n = len(columns)
    cumulative = np.zeros((n + 1, *columns.shape[1:]), dtype=np.float64)
    np.cumsum(columns, axis=0, out=cumulative[1:])
    idx = np.arange(n)
    lo = np.maximum(idx - radius, 0)
    hi = np.minimum(idx + radius + 1, n)
    width = (hi - lo).reshape(-1, *([1] * (columns.ndim - 1)))
    return (cumulative[hi] - cumulative[lo]) / width


def _global(log_chars: np.ndarray, lines: Sequence[str]) -> np.ndarray:
    """Where each line sits in the page, relative to where the prose is densest."""
    n = len(lines)
    idx = np.arange(n, dtype=np.float32)
    chars = np.fromiter((len(line) for line in lines), dtype=np.float32, count=n)
    total = float(chars.sum()) or 1.0
    char_position = (np.cumsum(chars) - chars) / total
    longest = int(np.argmax(chars))
    density = _window_mean(chars, 5)
    densest = int(np.argmax(density))
    order = np.argsort(-chars, kind="stable")
    rank = np.empty(n, dtype=np.float32)
    rank[order] = np.arange(n, dtype=np.float32)
    # runs of consecutive "long" lines (>= 80 chars): the article is usually the longest one
    long_line = chars >= 80
    run_id = np.cumsum(np.concatenate(([True], long_line[1:] != long_line[:-1])))
    run_sizes = np.bincount(run_id)
    run_length = np.where(long_line, run_sizes[run_id], 0).astype(np.float32)
    run_start = np.searchsorted(run_id, run_id)
    pos_in_run = np.where(long_line, idx - run_start, -1).astype(np.float32)
    return np.column_stack(
        [
            idx / max(n - 1, 1),
            char_position,
            chars / total,
            np.full(n, np.log1p(n), dtype=np.float32),
            (idx - longest) / max(n, 1),
            (idx - densest) / max(n, 1),
            rank / max(n, 1),
            pos_in_run,
            run_length,
        ]
    )
