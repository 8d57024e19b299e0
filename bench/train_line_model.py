"""Train the text-dump block classifier from ../shared/train and ../shared/train2, reproducibly.

Each logical block of a dump (its lines joined back into paragraphs) is labelled
body/not-body by matching it to the page's labelled article text (token 4-gram overlap),
a gradient-boosted tree model (LightGBM) learns the labels from
broadsheet.extract.line_features, a second (stacked) model learns them again from the first's
out-of-fold probabilities around each block (read_text.stack_features), and both are saved as
LightGBM text under broadsheet/data/. Cross-validation over sites reports the body F1 the
shipped pipeline reaches on pages it was not trained on (scored like
../shared/bench/asb/score.py), of the first reading and of both. The role models
(roles.py: headline, byline, date) are trained BAG to a role, with consecutive seeds, and
saved together as lists of model strings.
`--seeds K` repeats the cross-validation with K LightGBM seeds and prints the mean and
spread: one seed's F1 moves by about 0.002-0.005, so judge a change against that spread.
`--site-shares 0.25,0.5,1` trains each fold on that share of its training sites only: the
learning curve, which says whether more labelled pages would still raise the F1.

    python bench/train_line_model.py [--train ../shared/train ../shared/train2] [--folds 5]
                                     [--seeds 1] [--site-shares 1] [--save]

The shipped model is written only with --save (a run without it measures and leaves
broadsheet/data/ alone). Folds group pages by site (train2's `site`, train's canonical
domain), so no site is ever both trained on and measured.

Never point this at ../shared/bench: it is for measuring only.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import itertools
import json
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import lightgbm as lgb
import numpy as np
from _support import ROOT, SHARED
from tld import get_fld

from broadsheet.extract import roles
from broadsheet.extract.boilerplate import Templates, dump_lines, learn_templates
from broadsheet.extract.bylines import byline_names
from broadsheet.extract.dates import day_of, find_dates
from broadsheet.extract.line_features import FEATURE_NAMES, Blocks, block_features, logical_blocks
from broadsheet.extract.read_text import (
    AGENCIES,
    MODEL_PATH,
    STACK_FEATURE_NAMES,
    STACK_MODEL_PATH,
    BodyModel,
    keep_blocks,
    layout_of,
    select_body,
    stack_features,
)
from broadsheet.extract.roles import MODELS_PATH as ROLE_MODELS_PATH
from broadsheet.extract.roles import ROLES
from broadsheet.records import InputFile

DEFAULT_TRAIN = SHARED / "train"
DEFAULT_CORPORA = (SHARED / "train", SHARED / "train2")
SEED = 20210421
PARAMS = {
    "objective": "binary",
    "learning_rate": 0.1,
    "num_leaves": 15,
    "min_data_in_leaf": 40,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 1,
    "verbose": -1,
}
ROUNDS = 150  # half the trees of 300 at 0.05: the same CV F1, half the prediction time
ROLE_PARAMS = {**PARAMS, "min_data_in_leaf": 20}
ROLE_ROUNDS = 150
# each role's bag: models trained with seeds SEED, SEED + 1, ... whose scores roles.ranked
# averages (one seed's model moves the held-out scores by 2-3 pages from the next)
BAG = 3
# the headline is one block per page: learned as a ranking of the page's candidates
RANK_PARAMS = {"objective": "lambdarank", "lambdarank_truncation_level": 5}
_TOKEN = re.compile(r"\w+")
_BY = re.compile(r"^\s*(by|von|par|por)\b\s*:?\s*", re.IGNORECASE)


def shingles(tokens: list[str], n: int = 4) -> list[tuple[str, ...]]:
    return [tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:]]


def label_lines(lines: list[str], article: str) -> np.ndarray:
    """1 for the lines (or blocks) that are part of the article text, else 0."""
    truth_tokens = _TOKEN.findall(article)
    truth_shingles = set(shingles(truth_tokens))
    truth_text = " " + " ".join(truth_tokens) + " "
    labels = np.zeros(len(lines), dtype=np.int8)
    short = []
    for i, line in enumerate(lines):
        tokens = _TOKEN.findall(line)
        if len(tokens) >= 4:
            own = shingles(tokens)
            labels[i] = sum(s in truth_shingles for s in own) / len(own) >= 0.5
        elif tokens and f" {' '.join(tokens)} " in truth_text:
            short.append(i)
    # a short line ("Kim said:") belongs to the article only when prose surrounds it
    for i in short:
        before = labels[i - 1] if i > 0 else 0
        after = labels[i + 1] if i + 1 < len(lines) else 0
        labels[i] = bool(before or after)
    return labels


def load_pages(train: Path) -> tuple[list[str], list[list[str]], list[str]]:
    truth = json.loads((train / "truth.json").read_text("utf-8"))
    ids = sorted(truth)
    texts = [(train / "text" / f"{page}.txt").read_text("utf-8") for page in ids]
    return ids, texts, [truth[page]["articleBody"] for page in ids]


def load_corpora(corpora) -> tuple[list[str], list[str], list[str], list[str], list[dict]]:
    """ids (`corpus/page`), sites, dump texts, bodies and truth entries of every page."""
    ids, sites, texts, bodies, entries = [], [], [], [], []
    for corpus in corpora:
        truth = json.loads((corpus / "truth.json").read_text("utf-8"))
        for page in sorted(truth):
            entry = truth[page]
            ids.append(f"{corpus.name}/{page}")
            sites.append(entry.get("site") or canonical_site(corpus, page))
            texts.append((corpus / "text" / f"{page}.txt").read_text("utf-8"))
            bodies.append(entry["articleBody"])
            entries.append(entry)
    return ids, sites, texts, bodies, entries


_PAGE_URL = re.compile(
    r"<link\b[^>]*rel=[\"']canonical[\"'][^>]*href=[\"']([^\"']+)|"
    r"property=[\"']og:url[\"'][^>]*content=[\"']([^\"']+)",
    re.IGNORECASE,
)


def canonical_site(corpus: Path, page: str) -> str:
    """train's pages: the registered domain of their canonical url, else the id's stem."""
    with gzip.open(corpus / "html" / f"{page}.html.gz", "rt", "utf-8", errors="replace") as f:
        head = f.read(200_000)
    for match in _PAGE_URL.finditer(head):
        if site := get_fld(match.group(1) or match.group(2), fail_silently=True):
            return site
    return site_of(page)


def site_of(page: str) -> str:
    """Pages of one site share a template, so they go to the same fold."""
    return re.sub(r"\d+$", "", page)


Page = tuple[list[str], Blocks, np.ndarray]  # dump lines, their blocks, block features


def page_matrix(ids: list[str], texts: list[str], sites: list[str] | None = None) -> list[Page]:
    templates = site_templates(sites or [site_of(page) for page in ids], texts)
    out = []
    for text in texts:
        lines = dump_lines(text)
        blocks = logical_blocks(lines)
        out.append((lines, blocks, block_features(blocks, templates.marks(lines))))
    return out


def site_templates(sites: list[str], texts: list[str]) -> Templates:
    """Template lines as a corpus of one page per site would show them: most training
    sites give two pages, a corpus of many sites (the benchmark, a news feed) gives one,
    and the model should not learn to lean on site repeats it will rarely see."""
    by_site: dict[str, list[str]] = {}
    for site, text in zip(sites, texts, strict=True):
        by_site.setdefault(site, []).append(text)
    files = [
        InputFile(f"{site}.txt", "text", "\n".join(site_texts), site, "utf-8")
        for site, site_texts in sorted(by_site.items())
    ]
    return learn_templates(files)


def train_model(pages: list[Page], labels: list[np.ndarray], seed: int = SEED) -> lgb.Booster:
    x = np.vstack([features for _, _, features in pages])
    y = np.concatenate(labels)
    data = lgb.Dataset(x, y, feature_name=[_safe(n) for n in FEATURE_NAMES], free_raw_data=True)
    return lgb.train({**PARAMS, "seed": seed}, data, num_boost_round=ROUNDS)


def _safe(name: str) -> str:
    # LightGBM feature names may not hold JSON special characters
    return re.sub(r"[^\w+\-@]", "_", name.replace("±", "_pm"))


def body_prf(truth: str, predicted: str) -> tuple[float, float, float]:
    """Per-page tp, fp, fn shares of token 4-grams, as ASB's scorer computes them."""
    t = Counter(shingles(_TOKEN.findall(truth)))
    p = Counter(shingles(_TOKEN.findall(predicted)))
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = (tp + fp + fn) or 1
    return tp / total, fp / total, fn / total


def summarise(scores: list[tuple[float, float, float]]) -> dict[str, float]:
    precision = statistics.mean(tp / (tp + fp) for tp, fp, _ in scores if tp + fp > 0)
    recall = statistics.mean(tp / (tp + fn) for tp, _, fn in scores if tp + fn > 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": f1, "precision": precision, "recall": recall}


def site_folds(page_sites: list[str], folds: int) -> np.ndarray:
    """The fold of each page: its site's (sites dealt round in sorted order)."""
    sites = sorted(set(page_sites))
    fold_of_site = {site: i % folds for i, site in enumerate(sites)}
    return np.array([fold_of_site[site] for site in page_sites])


def cross_validate(
    page_sites,
    pages,
    labels,
    bodies,
    folds: int,
    seed: int = SEED,
    site_share: float = 1.0,
    out_of_fold: list | None = None,
    boosters: list | None = None,
) -> dict[str, dict[str, float]]:
    """Body F1 on each fold's pages from a model trained on the other folds' sites; fills
    `out_of_fold` with each page's block probabilities from the model that never saw it,
    and `boosters` with the fold models."""
    sites = sorted(set(page_sites))
    fold_of_site = {site: i % folds for i, site in enumerate(sites)}
    fold = site_folds(page_sites, folds)
    rng = np.random.default_rng(seed)
    model_scores, oracle_scores = [], []
    for k in range(folds):
        train_sites = [site for site in sites if fold_of_site[site] != k]
        chosen = set(rng.permutation(train_sites)[: max(1, round(len(train_sites) * site_share))])
        train_idx = [i for i in np.flatnonzero(fold != k) if page_sites[i] in chosen]
        booster = train_model([pages[i] for i in train_idx], [labels[i] for i in train_idx], seed)
        if boosters is not None:
            boosters.append(booster)
        for i in np.flatnonzero(fold == k):
            lines, blocks, features = pages[i]
            probabilities = booster.predict(features)
            if out_of_fold is not None:
                out_of_fold[i] = probabilities
            keep = keep_blocks(probabilities)[blocks.of_line]
            model_scores.append(body_prf(bodies[i], "\n".join(select_body(lines, blocks, keep))))
            oracle = select_body(lines, blocks, labels[i][blocks.of_line].astype(bool))
            oracle_scores.append(body_prf(bodies[i], "\n".join(oracle)))
    return {"model": summarise(model_scores), "block oracle": summarise(oracle_scores)}


CACHE = ROOT / ".cache" / "train_line_model"


@dataclass
class BodyCV:
    """The body cross-validation: F1 of the first reading and of both, each page's block
    probabilities (first reading, and both) from models that never saw its site, and
    each fold's models."""

    metrics: dict
    first: list[np.ndarray]
    probabilities: list[np.ndarray]
    models: list[BodyModel]


def fold_body_models(sites, pages, labels, bodies, folds: int, use_cache: bool = True) -> BodyCV:
    """The body CV, kept in .cache/ so that measuring the role models (here and in
    bench/metadata.py) does not retrain them; the key covers the pages, their features
    and labels, the folds and the parameters."""
    digest = hashlib.sha256()
    for site, (_, _, features), label in zip(sites, pages, labels, strict=True):
        digest.update(site.encode())
        digest.update(np.ascontiguousarray(features).tobytes())
        digest.update(label.tobytes())
    key = [folds, SEED, ROUNDS, PARAMS, FEATURE_NAMES, STACK_FEATURE_NAMES]
    digest.update(json.dumps(key).encode())
    path = CACHE / f"body-{digest.hexdigest()[:16]}.json"
    if use_cache and path.exists():
        saved = json.loads(path.read_text("utf-8"))
        models = [
            BodyModel(lgb.Booster(model_str=a), lgb.Booster(model_str=b))
            for a, b in saved["models"]
        ]
        first, oof = ([np.array(p) for p in saved[name]] for name in ("first", "oof"))
        return BodyCV(saved["metrics"], first, oof, models)
    first: list = [None] * len(pages)
    boosters: list = []
    metrics = cross_validate(sites, pages, labels, bodies, folds, SEED, 1.0, first, boosters)
    oof: list = [None] * len(pages)
    seconds: list = []
    metrics["stacked"] = cross_validate_stack(
        sites, pages, labels, bodies, folds, first, oof, seconds
    )
    CACHE.mkdir(parents=True, exist_ok=True)
    saved = {
        "metrics": metrics,
        "first": [p.tolist() for p in first],
        "oof": [p.tolist() for p in oof],
        "models": [
            [a.model_to_string(), b.model_to_string()]
            for a, b in zip(boosters, seconds, strict=True)
        ],
    }
    path.write_text(json.dumps(saved), "utf-8")
    models = [BodyModel(a, b) for a, b in zip(boosters, seconds, strict=True)]
    return BodyCV(metrics, first, oof, models)


def train_stack(
    pages: list[Page], first: list[np.ndarray], labels: list[np.ndarray], idx, seed: int = SEED
) -> lgb.Booster:
    """The second reading, learned from the first reading's out-of-fold probabilities."""
    idx = [i for i in idx if len(first[i])]
    x = np.vstack([stack_features(first[i], pages[i][2]) for i in idx])
    y = np.concatenate([labels[i] for i in idx])
    names = [_safe(n) for n in STACK_FEATURE_NAMES]
    data = lgb.Dataset(x, y, feature_name=names, free_raw_data=True)
    return lgb.train({**PARAMS, "seed": seed}, data, num_boost_round=ROUNDS)


def cross_validate_stack(
    page_sites, pages, labels, bodies, folds: int, first, out_of_fold: list, boosters: list
) -> dict[str, float]:
    """Body F1 of both readings on each fold's pages, the second trained on the other
    folds' sites (from their out-of-fold first readings); fills `out_of_fold` and
    `boosters` as cross_validate does."""
    fold = site_folds(page_sites, folds)
    scores = []
    for k in range(folds):
        booster = train_stack(pages, first, labels, np.flatnonzero(fold != k))
        boosters.append(booster)
        for i in np.flatnonzero(fold == k):
            lines, blocks, features = pages[i]
            p = booster.predict(stack_features(first[i], features)) if len(first[i]) else first[i]
            out_of_fold[i] = p
            keep = keep_blocks(p)[blocks.of_line]
            scores.append(body_prf(bodies[i], "\n".join(select_body(lines, blocks, keep))))
    return summarise(scores)


# --- the role models: headline, byline, date -----------------------------------------


def title_key(text: str) -> str:
    """Titles compare by their letters and digits (case, spacing, quotes, dashes ignored)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def name_key(name: str) -> str:
    name = _BY.sub("", unicodedata.normalize("NFKC", name))
    return " ".join(_TOKEN.findall(name.casefold()))


def day_matches(value, entry: dict) -> bool:
    """Whether a parsed date is the truth entry's publication day (train2's META.md: a UTC
    day for postlight and omnivore, a day either side on `date-utc-shift` pages)."""
    if value is None or not entry.get("date"):
        return False
    truth = date.fromisoformat(entry["date"])
    day = day_of(value)
    if day == truth:
        return True
    source = str((entry.get("meta_source") or {}).get("date", ""))
    aware = isinstance(value, datetime) and value.tzinfo is not None
    utc_day = source.startswith(("postlight", "omnivore"))
    if aware and utc_day and value.astimezone(UTC).date() == truth:
        return True
    return "date-utc-shift" in (entry.get("meta_flags") or ()) and abs((day - truth).days) == 1


def truth_authors(entry: dict) -> set[str]:
    if "authors-doubtful" in (entry.get("meta_flags") or ()):
        return set()
    return {name_key(n) for n in entry.get("authors") or ()} - {""}


def truth_title(entry: dict) -> str | None:
    if not entry.get("title") or {"seo-title"} & set(entry.get("meta_flags") or ()):
        return None
    return title_key(entry["title"])


def role_label(role: str, text: str, entry: dict) -> bool:
    if role == "title":
        return title_key(text) == truth_title(entry)
    if role == "date":
        return any(day_matches(value, entry) for value in find_dates(text))
    names = {name_key(n) for n in byline_names(text, AGENCIES)}
    return bool(names & truth_authors(entry))


def has_role_truth(role: str, entry: dict) -> bool:
    if role == "title":
        return truth_title(entry) is not None
    if role == "date":
        return bool(entry.get("date"))
    return bool(truth_authors(entry))


# a page's role features, candidates, block texts and the headline text of each block
RolePage = tuple[np.ndarray, dict[str, np.ndarray], list[str], list[str]]


def role_pages(body_cv: BodyCV, pages: list[Page]) -> list[RolePage | None]:
    """Each page's role features, given its block probabilities (out of fold)."""
    out = []
    readings = zip(pages, body_cv.probabilities, body_cv.first, strict=True)
    for (lines, blocks, features), p, first in readings:
        layout = layout_of(lines, blocks, features, p, first)
        if layout is None:
            out.append(None)
            continue
        bounds = np.concatenate(([0], np.cumsum(blocks.pieces))).tolist()
        titles = [roles.title_text(lines[a:b]) for a, b in itertools.pairwise(bounds)]
        out.append((*layout.roles(), blocks.texts, titles))
    return out


def _text(page: RolePage, role: str, block: int) -> str:
    return page[3][block] if role == "title" else page[2][block]


def role_rows(role: str, pages: list[RolePage | None], entries: list[dict], idx) -> tuple:
    xs, ys = [], []
    for i in idx:
        if pages[i] is None or not has_role_truth(role, entries[i]):
            continue
        chosen = pages[i][1][role]
        y = [role_label(role, _text(pages[i], role, j), entries[i]) for j in chosen]
        if any(y):
            matrix = pages[i][0]
            xs.append(matrix[np.ix_(chosen, roles.role_columns(role, matrix.shape[1]))])
            ys.append(np.array(y, dtype=np.int8))
    return np.vstack(xs), np.concatenate(ys), [len(y) for y in ys]


def train_roles(
    pages: list[RolePage | None], entries: list[dict], idx, seed: int = SEED, bag: int = BAG
) -> roles.RoleModels:
    """Each role's `bag` models, trained on the `idx` pages with seeds seed, seed + 1, ..."""
    models = {}
    for role in ROLES:
        x, y, groups = role_rows(role, pages, entries, idx)
        ranking = role in roles.RANKED
        params = {**ROLE_PARAMS, **(RANK_PARAMS if ranking else {})}
        # a Dataset per model: each is the one a single-seed run would train
        models[role] = tuple(
            lgb.train(
                {**params, "seed": s},
                lgb.Dataset(x, y, group=groups if ranking else None),
                num_boost_round=ROLE_ROUNDS,
            )
            for s in range(seed, seed + bag)
        )
    return models


def role_hit(role: str, text: str | None, entry: dict) -> bool:
    if text is None:
        return False
    if role == "byline":
        names = {name_key(n) for n in byline_names(text, AGENCIES)} - {""}
        return names == truth_authors(entry)
    return role_label(role, text, entry)


def _pick(page: RolePage, role: str, found: list[tuple[int, float]]) -> tuple[str, float] | None:
    """What read_text takes from a role's ranked blocks: the first, or for the date the
    first that gives a day."""
    for block, p in found:
        text = _text(page, role, block)
        if role != "date" or find_dates(text):
            return text, p
    return None


def cross_validate_roles(
    page_sites, pages: list[RolePage | None], entries, folds: int, english: list[bool]
) -> dict[str, tuple[float, int]]:
    """Per role, the share of (English) pages with truth whose chosen block is right, each
    fold's pages read by role models trained on the other folds' sites; for the byline,
    also the share at other thresholds (a page with no byline above it counts as a miss)."""
    fold = site_folds(page_sites, folds)
    hits: dict[str, list[bool]] = {role: [] for role in ROLES}
    bylines: list[tuple[float, bool]] = []
    for k in range(folds):
        models = train_roles(pages, entries, np.flatnonzero(fold != k))
        for i in np.flatnonzero(fold == k):
            if not english[i]:
                continue
            found = roles.ranked(pages[i][0], pages[i][1], models) if pages[i] else {}
            for role in ROLES:
                if not has_role_truth(role, entries[i]):
                    continue
                pick = _pick(pages[i], role, found.get(role, []))
                hits[role].append(role_hit(role, pick[0] if pick else None, entries[i]))
                if role == "byline" and pick:
                    bylines.append((pick[1], hits[role][-1]))
    n = len(hits["byline"])
    for bar in (0.1, 0.2, 0.3, 0.4, 0.5):
        share = sum(hit for p, hit in bylines if p >= bar) / max(n, 1)
        print(f"  byline right at threshold {bar:.1f}: {share:.3f}")
    return {role: (statistics.mean(h) if h else 0.0, len(h)) for role, h in hits.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, nargs="+", default=list(DEFAULT_CORPORA))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--site-shares", default="1", help="comma-separated, e.g. 0.25,0.5,1")
    parser.add_argument("--save", action="store_true", help="write the shipped model")
    args = parser.parse_args(argv)

    ids, sites, texts, bodies, entries = load_corpora(args.train)
    pages = page_matrix(ids, texts, sites)
    labels = [
        label_lines(blocks.texts, body) for (_, blocks, _), body in zip(pages, bodies, strict=True)
    ]
    body_blocks = int(sum(x.sum(dtype=int) for x in labels))
    lines = sum(len(lines) for lines, _, _ in pages)
    print(f"{len(ids)} pages, {lines} lines, {sum(map(len, labels))} blocks, {body_blocks} body")
    shares = [float(share) for share in args.site_shares.split(",")]
    # the role models learn from out-of-fold body probabilities: 5 folds unless told
    role_folds = args.folds if args.folds > 1 else 5
    body_cv = fold_body_models(sites, pages, labels, bodies, role_folds)
    metrics = {name: m for name, m in body_cv.metrics.items() if name != "stacked"}
    for share in shares if args.folds > 1 else ():
        runs = [
            metrics
            if seed == SEED and share == 1.0
            else cross_validate(sites, pages, labels, bodies, args.folds, seed, share)
            for seed in range(SEED, SEED + args.seeds)
        ]
        for name in runs[0] if share == shares[-1] else ["model"]:
            f1 = [run[name]["f1"] for run in runs]
            m = {key: statistics.mean(run[name][key] for run in runs) for key in runs[0][name]}
            spread = f" ± {statistics.stdev(f1):.3f} over {len(f1)} seeds" if len(f1) > 1 else ""
            print(
                f"{args.folds}-fold CV over sites, {name:<12} F1 {m['f1']:.3f}{spread}  "
                f"P {m['precision']:.3f}  R {m['recall']:.3f}"
                + (f"  ({share:.0%} of the training sites)" if len(shares) > 1 else "")
            )
    if args.folds > 1:
        m = body_cv.metrics["stacked"]
        print(
            f"{role_folds}-fold CV over sites, {'stacked':<12} F1 {m['f1']:.3f}  "
            f"P {m['precision']:.3f}  R {m['recall']:.3f}  (both readings)"
        )
    rpages = role_pages(body_cv, pages)
    english = [entry.get("lang", "en") == "en" for entry in entries]
    if args.folds > 1:
        scores = cross_validate_roles(sites, rpages, entries, args.folds, english)
        for role, (share, count) in scores.items():
            print(
                f"{args.folds}-fold CV over sites, {role:<6} right on {share:.3f} of {count} pages"
            )
    if args.save:
        booster = train_model(pages, labels)
        second = train_stack(pages, body_cv.first, labels, range(len(pages)))
        for path, model in ((MODEL_PATH, booster), (STACK_MODEL_PATH, second)):
            path.write_text(model.model_to_string(), "utf-8")
            print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KiB)")
        models = train_roles(rpages, entries, range(len(pages)))
        saved = {role: [m.model_to_string() for m in bag] for role, bag in models.items()}
        ROLE_MODELS_PATH.write_text(json.dumps(saved, sort_keys=True), "utf-8")
        size = ROLE_MODELS_PATH.stat().st_size // 1024
        print(f"wrote {ROLE_MODELS_PATH.relative_to(ROOT)} ({size} KiB)")


if __name__ == "__main__":
    main()
