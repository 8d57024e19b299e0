"""Train the entity kind model (broadsheet/enrich/kinds.py) on the CoNLL-2003 train split.

    python bench/train_entity_kinds.py [--save] [--out FILE]

Each article's clusters of mentions (as ingest makes them: NER, cleaning, short forms joined)
are labelled with the gold entity they match (../shared/ner/README.md's rule): person,
organization or place, else "none" (gold misc, or no gold entity). A LightGBM multiclass model
learns kinds.FEATURES -> label. Printed: cluster-level accuracy cross-validated by week of the
train split (each week's documents predicted by a model of the other weeks), and on testa,
beside NER's own label (the majority of its mentions') in the same run.

The model is written to --out (default .cache/entity_kind_model.txt); the shipped
broadsheet/data/entity_kind_model.txt is replaced only with --save. Measure a model with
BROADSHEET_ENTITY_KIND_MODEL=FILE python bench/entities.py.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _support import CONLL  # noqa: E402
from entities import CACHE, read_articles, same_name, words  # noqa: E402

from broadsheet.enrich import corpus as stage  # noqa: E402
from broadsheet.enrich import entities, kinds, ner  # noqa: E402

PARAMS = {
    "objective": "multiclass",
    "num_class": len(kinds.KINDS),
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 10,
    "feature_fraction": 0.9,
    "lambda_l2": 1.0,
    "num_threads": 1,
    "deterministic": True,
    "seed": 0,
    "verbose": -1,
}
ROUNDS = 300
NER_KIND = {"PERSON": 0, "ORG": 1, "GPE": 2, "LOC": 2, "FAC": 2, kinds.CANDIDATE: 3}


def label(forms: list[str], gold: list[dict]) -> int:
    """The kind of the gold entity the cluster names (an exact name first), else none."""
    mine = [words(f) for f in forms]
    exact = [g["type"] for g in gold if any(words(g["name"]) == m for m in mine)]
    near = [g["type"] for g in gold if any(same_name(words(g["name"]), m) for m in mine)]
    for found in (exact, near):
        typed = [t for t in found if t in kinds.KINDS]
        if typed:
            return kinds.KINDS.index(Counter(typed).most_common(1)[0][0])
        if found:
            return kinds.KINDS.index("none")  # misc
    return kinds.KINDS.index("none")


def dataset(split: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels, NER's own kind and the week of each cluster of the split."""
    with gzip.open(CONLL / f"gold-{split}.json.gz", "rt", encoding="utf-8") as handle:
        gold_by_url = {doc["url"]: doc["entities"] for doc in json.load(handle).values()}
    articles = read_articles(CONLL / f"conll-{split}.jsonl.gz")
    docs = [stage.ner_text(a) for a in articles]
    results = ner.run_ner([d.text for d in docs], cache_dir=CACHE)
    rows, labels, ner_kinds, weeks = [], [], [], []
    for article, doc, result in zip(articles, docs, results, strict=True):
        noise = stage.noise_keys(article, entities.EditorRules())
        groups, features = stage.entity_groups(doc, result.ents, noise, with_model=True)
        day = article.published
        week = date.fromisoformat(str(day)[:10]).isocalendar()[1] if day else 0
        for ms, row in zip(groups, features or (), strict=True):
            rows.append(row)
            labels.append(label(entities.cluster_forms(ms), gold_by_url[article.url]))
            votes = Counter(NER_KIND[m.label] for m in ms)
            ner_kinds.append(votes.most_common(1)[0][0])
            weeks.append(week)
    return np.array(rows), np.array(labels), np.array(ner_kinds), np.array(weeks)


def fit(x: np.ndarray, y: np.ndarray):
    import lightgbm

    data = lightgbm.Dataset(x, y, feature_name=list(kinds.FEATURES), free_raw_data=False)
    return lightgbm.train(PARAMS, data, num_boost_round=ROUNDS)


def report(name: str, predicted: np.ndarray, truth: np.ndarray) -> None:
    none = kinds.KINDS.index("none")
    kept = predicted != none
    right = (predicted == truth) & kept
    print(
        f"{name:<34} accuracy {np.mean(predicted == truth):.3f}  kept {kept.sum():>5}  "
        f"kept right {right.sum() / max(kept.sum(), 1):.3f}  "
        f"entities found {right.sum() / max((truth != none).sum(), 1):.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--save", action="store_true", help="replace the shipped model")
    parser.add_argument("--out", type=Path, default=CACHE / "entity_kind_model.txt")
    args = parser.parse_args()
    x, y, ner_y, weeks = dataset("train")
    print(f"CoNLL train: {len(y)} clusters, labels {dict(Counter(kinds.KINDS[i] for i in y))}")
    held_out_p = np.zeros((len(y), len(kinds.KINDS)))
    for week in sorted(set(weeks)):
        test = weeks == week
        model = fit(x[~test], y[~test])
        held_out_p[test] = model.predict(x[test], num_threads=1)
    held_out = held_out_p.argmax(axis=1)
    report("NER's label (train)", ner_y, y)
    report("kind model, held out by week", held_out, y)
    none = kinds.KINDS.index("none")
    for floor in (0.4, 0.5, 0.6, 0.7):
        sure = np.where(held_out_p.max(axis=1) >= floor, held_out, none)
        report(f"  held out, kept when p >= {floor}", sure, y)
    model = fit(x, y)
    tx, ty, tner, _ = dataset("testa")
    report("NER's label (testa)", tner, ty)
    report("kind model (testa)", model.predict(tx, num_threads=1).argmax(axis=1), ty)
    gains = model.feature_importance("gain")
    top = sorted(zip(kinds.FEATURES, gains, strict=True), key=lambda fg: -fg[1])[:12]
    print("top features:", ", ".join(f"{f} {g:.0f}" for f, g in top))
    text = model.model_to_string()
    target = kinds.MODEL_FILE if args.save else args.out
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"model written to {target}")


if __name__ == "__main__":
    main()
