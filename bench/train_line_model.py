"""Train the text-dump block classifier from ../shared/train only, reproducibly.

Each logical block of a dump (its lines joined back into paragraphs) is labelled
body/not-body by matching it to the page's labelled article text (token 4-gram overlap),
a gradient-boosted tree model (LightGBM) learns the labels from
broadsheet.extract.line_features, and the model is saved as LightGBM text under
broadsheet/data/. Cross-validation over sites reports the body F1 the shipped pipeline
reaches on pages it was not trained on (scored like ../shared/bench/asb/score.py).
`--seeds K` repeats the cross-validation with K LightGBM seeds and prints the mean and
spread: one seed's F1 moves by about 0.002-0.005, so judge a change against that spread.
`--site-shares 0.25,0.5,1` trains each fold on that share of its training sites only: the
learning curve, which says whether more labelled pages would still raise the F1.

    python bench/train_line_model.py [--train ../shared/train] [--folds 5] [--seeds 1]
                                     [--site-shares 1] [--no-save]

Never point this at ../shared/bench: it is for measuring only.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
from collections import Counter
from pathlib import Path

import lightgbm as lgb
import numpy as np
from _support import ROOT, SHARED

from broadsheet.extract.boilerplate import Templates, dump_lines, learn_templates
from broadsheet.extract.line_features import FEATURE_NAMES, Blocks, block_features, logical_blocks
from broadsheet.extract.read_text import MODEL_PATH, keep_blocks, select_body
from broadsheet.records import InputFile

DEFAULT_TRAIN = SHARED / "train"
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
_TOKEN = re.compile(r"\w+")


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


def site_of(page: str) -> str:
    """Pages of one site share a template, so they go to the same fold."""
    return re.sub(r"\d+$", "", page)


Page = tuple[list[str], Blocks, np.ndarray]  # dump lines, their blocks, block features


def page_matrix(ids: list[str], texts: list[str]) -> list[Page]:
    templates = site_templates(ids, texts)
    out = []
    for text in texts:
        lines = dump_lines(text)
        blocks = logical_blocks(lines)
        out.append((lines, blocks, block_features(blocks, templates.marks(lines))))
    return out


def site_templates(ids: list[str], texts: list[str]) -> Templates:
    """Template lines as a corpus of one page per site would show them: most training
    sites give two pages, a corpus of many sites (the benchmark, a news feed) gives one,
    and the model should not learn to lean on site repeats it will rarely see."""
    by_site: dict[str, list[str]] = {}
    for page, text in zip(ids, texts, strict=True):
        by_site.setdefault(site_of(page), []).append(text)
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


def cross_validate(
    ids, pages, labels, bodies, folds: int, seed: int = SEED, site_share: float = 1.0
) -> dict[str, dict[str, float]]:
    sites = sorted({site_of(page) for page in ids})
    fold_of_site = {site: i % folds for i, site in enumerate(sites)}
    fold = np.array([fold_of_site[site_of(page)] for page in ids])
    rng = np.random.default_rng(seed)
    model_scores, oracle_scores = [], []
    for k in range(folds):
        train_sites = [site for site in sites if fold_of_site[site] != k]
        chosen = set(rng.permutation(train_sites)[: max(1, round(len(train_sites) * site_share))])
        train_idx = [i for i in np.flatnonzero(fold != k) if site_of(ids[i]) in chosen]
        booster = train_model([pages[i] for i in train_idx], [labels[i] for i in train_idx], seed)
        for i in np.flatnonzero(fold == k):
            lines, blocks, features = pages[i]
            keep = keep_blocks(booster.predict(features))[blocks.of_line]
            model_scores.append(body_prf(bodies[i], "\n".join(select_body(lines, blocks, keep))))
            oracle = select_body(lines, blocks, labels[i][blocks.of_line].astype(bool))
            oracle_scores.append(body_prf(bodies[i], "\n".join(oracle)))
    return {"model": summarise(model_scores), "block oracle": summarise(oracle_scores)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--site-shares", default="1", help="comma-separated, e.g. 0.25,0.5,1")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args(argv)

    ids, texts, bodies = load_pages(args.train)
    pages = page_matrix(ids, texts)
    labels = [
        label_lines(blocks.texts, body) for (_, blocks, _), body in zip(pages, bodies, strict=True)
    ]
    body_blocks = int(sum(x.sum(dtype=int) for x in labels))
    lines = sum(len(lines) for lines, _, _ in pages)
    print(f"{len(ids)} pages, {lines} lines, {sum(map(len, labels))} blocks, {body_blocks} body")
    shares = [float(share) for share in args.site_shares.split(",")]
    for share in shares if args.folds > 1 else ():
        runs = [
            cross_validate(ids, pages, labels, bodies, args.folds, seed, share)
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
    if not args.no_save:
        booster = train_model(pages, labels)
        MODEL_PATH.write_text(booster.model_to_string(), "utf-8")
        print(f"wrote {MODEL_PATH.relative_to(ROOT)} ({MODEL_PATH.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
