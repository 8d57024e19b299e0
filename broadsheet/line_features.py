"""Per-line features of a page text dump, for the line classifier in read_text.py.

A dump is the visible text of a page, one block a line. Each line gets cheap surface
features (length, punctuation, stop words, link- and nav-like words), its place in the
page, whether it repeats (in the page, or across the site's dumps: template lines) and
the same features of its neighbours, because an article is a dense run of prose lines.
Everything is computed once per page into one float32 matrix, so that the model
predicts a whole page in a single call.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

_WORD = re.compile(r"\w+")
_PUNCT = re.compile(r"[^\w\s]")
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_SENTENCE_END = re.compile(r"[.!?\u2026\u3002][\"'\u201d\u2019)\]]*$")
_SENTENCE_INSIDE = re.compile(r"\w[.!?][\"'\u201d\u2019]?\s+[\"'\u201c\u2018]?[A-Z]")
_DATE_LIKE = re.compile(
    r"\b(19|20)\d\d\b.*\b\d{1,2}\b|\b\d{1,2}:\d\d\b|"
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(by|von|par|por|door|di)\b|^(written|posted|reported) by\b", re.IGNORECASE)
_SEPARATORS = re.compile(r"[|/>\u2022\u00bb\u00ab\u203a\u2039\u00b7]")
_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7af]")
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
)
_NEIGHBOUR = ("log_chars", "ends_sentence", "stop_ratio", "nav_ratio", "template", "capitalised")
_OFFSETS = (-3, -2, -1, 1, 2, 3)
_WINDOWS = (2, 5, 12)
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
    *(f"mean_log_chars±{w}" for w in _WINDOWS),
    *(f"mean_stop_ratio±{w}" for w in _WINDOWS),
    *(f"mean_nav_ratio±{w}" for w in _WINDOWS),
    *(f"mean_template±{w}" for w in _WINDOWS),
    *_GLOBAL,
)
_COL = {name: i for i, name in enumerate(_BASE)}


def line_features(lines: Sequence[str], template: Sequence[bool] | None = None) -> np.ndarray:
    """The feature matrix of a page: one row per line, columns as in FEATURE_NAMES.

    `template` marks the lines known to repeat across other dumps of the site.
    """
    n = len(lines)
    base = np.zeros((n, len(_BASE)), dtype=np.float32)
    counts = Counter(lines)
    for i, line in enumerate(lines):
        base[i] = _surface(line, counts[line])
    if template is not None and n:
        base[:, _COL["template"]] = np.asarray(template, dtype=np.float32)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    parts = [base]
    neighbour_cols = [_COL[name] for name in _NEIGHBOUR]
    padded = np.pad(base[:, neighbour_cols], ((3, 3), (0, 0)), constant_values=-1.0)
    parts += [padded[3 + off : 3 + off + n] for off in _OFFSETS]
    for name in ("log_chars", "stop_ratio", "nav_ratio", "template"):
        column = base[:, _COL[name]]
        parts += [_window_mean(column, w)[:, None] for w in _WINDOWS]
    parts.append(_global(base[:, _COL["log_chars"]], lines))
    return np.hstack(parts).astype(np.float32, copy=False)


def _surface(line: str, repeats: int) -> list[float]:
    words = _WORD.findall(line)
    n_chars = len(line)
    n_words = len(words)
    lowered = [w.lower() for w in words]
    letters = len(_LETTER.findall(line))
    upper = sum(map(str.isupper, line))
    return [
        np.log1p(n_chars),
        n_words,
        sum(map(len, words)) / n_words if n_words else 0.0,
        letters / n_chars if n_chars else 0.0,
        len(_DIGIT.findall(line)) / n_chars if n_chars else 0.0,
        upper / letters if letters else 0.0,
        len(_PUNCT.findall(line)) / n_chars if n_chars else 0.0,
        float(bool(_SENTENCE_END.search(line))),
        len(_SENTENCE_INSIDE.findall(line)),
        sum(w in _STOP_WORDS for w in lowered) / n_words if n_words else 0.0,
        sum(w[:1].isupper() for w in words) / n_words if n_words else 0.0,
        line.count(",") / n_words if n_words else 0.0,
        sum(w in _NAV_WORDS for w in lowered) / n_words if n_words else 0.0,
        len(_SEPARATORS.findall(line)),
        float(bool(_BYLINE.search(line))),
        float(bool(_DATE_LIKE.search(line))),
        float("©" in line or "copyright" in line.lower()),
        len(_CJK.findall(line)) / n_chars if n_chars else 0.0,
        float(line[:1].islower()),
        float(repeats - 1),
        0.0,
    ]


def _window_mean(column: np.ndarray, radius: int) -> np.ndarray:
    """Mean of `column` over lines i-radius..i+radius (clipped to the page)."""
    n = len(column)
    cumulative = np.concatenate(([0.0], np.cumsum(column, dtype=np.float64)))
    idx = np.arange(n)
    lo = np.clip(idx - radius, 0, n)
    hi = np.clip(idx + radius + 1, 0, n)
    return (cumulative[hi] - cumulative[lo]) / (hi - lo)


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
