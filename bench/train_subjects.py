"""Train the model of the trained subjects on the Reuters-21578 dev stories and their gold labels.

    python bench/train_subjects.py [--save]

Each subject of broadsheet/data/subjects.yml with `trained` labels gets a logistic regression
(L1, so that only the words that matter keep a weight) over the words of a story's title and body.
It prints the precision and recall of each subject in a cross-validation by week (the model of a
week's stories learns from the other weeks only); with --save only, it then fits on every story
and overwrites the shipped broadsheet/data/subject_model.json. bench/topics.py imports
`reuters_articles`, `article_features` and `fit` from here.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import warnings
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from broadsheet.enrich import ner, subjects, topics  # noqa: E402
from broadsheet.extract.publishers import Publishers  # noqa: E402
from broadsheet.extract.read_records import read_records  # noqa: E402
from broadsheet.inputs import load_input  # noqa: E402
from broadsheet.records import Article  # noqa: E402

# ../shared beside the checkout, or beside a folder above it (a git worktree may sit deeper)
SHARED = next(
    (f / "shared" for f in ROOT.parents if (f / "shared").is_dir()), ROOT.parent / "shared"
)
REUTERS = SHARED / "corpora" / "reuters21578-dev.jsonl.gz"
THRESHOLD = 0.4  # probability from which a trained subject applies, unless chosen per subject
# per-subject thresholds: the lowest of THRESHOLDS at which the subject's precision reaches
# TARGET_PRECISION in a cross-validation inside the training stories (INNER_FOLDS groups of their
# weeks), else THRESHOLD. Only ever raised: lower ones, or the best F1 when the target is out of
# reach, chosen this way lost precision on the held-out weeks; above 0.5, or with a target of
# 0.85, they lost more recall than they gained precision there.
THRESHOLDS = (0.4, 0.45, 0.5)
TARGET_PRECISION = 0.80
INNER_FOLDS = 3
MIN_DOCUMENTS = 3  # a word in fewer training stories gets no weight
C = 1.0  # inverse regularisation strength


def reuters_articles(
    limit: int | None = None,
) -> tuple[list[Article], list[frozenset[str]], list[int]]:
    """The dev stories as the pipeline reads them, each story's gold labels, and its fold: the
    ISO week of its date (from the record: the reader turns down dates before 1990)."""
    file = load_input(REUTERS, REUTERS.parent)
    articles = read_records(file, publishers=Publishers.load()).articles[:limit]
    with gzip.open(REUTERS, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    labels = [frozenset(records[a.record]["topics"]) for a in articles]
    weeks = [date.fromisoformat(records[a.record]["date"][:10]).isocalendar()[1] for a in articles]
    return articles, labels, weeks


def article_features(vocabulary: subjects.Vocabulary, article: Article) -> set[str]:
    singular = vocabulary.singular
    return subjects.features(
        subjects.tokens(article.title, singular), subjects.tokens(article.body_text, singular)
    )


def fit(
    rows: Sequence[set[str]],
    labels: Sequence[frozenset[str]],
    trained: dict[str, tuple[str, ...]],
    folds: Sequence[int] | None = None,
) -> subjects.Model:
    """One logistic regression per subject (`trained`: subject -> its gold labels); with the
    stories' `folds` (weeks), each subject's threshold is chosen by cross-validation among these
    stories only."""
    model = _fit(rows, labels, trained)
    if folds is None:
        return model
    return replace(model, thresholds=choose_thresholds(rows, labels, trained, folds))


def choose_thresholds(
    rows: Sequence[set[str]],
    labels: Sequence[frozenset[str]],
    trained: dict[str, tuple[str, ...]],
    folds: Sequence[int],
) -> dict[str, float]:
    weeks = sorted(set(folds))
    group = {week: n % INNER_FOLDS for n, week in enumerate(weeks)}
    scores: list[dict[str, float]] = [{} for _ in rows]
    for held in range(min(INNER_FOLDS, len(weeks))):
        train = [i for i, f in enumerate(folds) if group[f] != held]
        model = _fit([rows[i] for i in train], [labels[i] for i in train], trained)
        for i, f in enumerate(folds):
            if group[f] == held:
                scores[i] = model.scores(rows[i])
    thresholds = {}
    for subject, gold in sorted(trained.items()):
        truth = [bool(lab.intersection(gold)) for lab in labels]
        for threshold in THRESHOLDS:
            said = [p.get(subject, 0.0) >= threshold for p in scores]
            hits = sum(t and s for t, s in zip(truth, said, strict=True))
            if hits and hits / sum(said) >= TARGET_PRECISION:
                thresholds[subject] = threshold
                break
    return thresholds


def _fit(
    rows: Sequence[set[str]], labels: Sequence[frozenset[str]], trained: dict[str, tuple[str, ...]]
) -> subjects.Model:
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = CountVectorizer(analyzer=sorted, binary=True, min_df=MIN_DOCUMENTS)
    matrix = vectorizer.fit_transform(rows)
    names = vectorizer.get_feature_names_out()
    intercepts: dict[str, float] = {}
    weights: dict[str, list[tuple[str, float]]] = {}
    for subject, gold in sorted(trained.items()):
        target = [bool(gold_labels.intersection(gold)) for gold_labels in labels]
        if not any(target):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # sklearn 1.8 deprecates `penalty`; l1 via liblinear
            model = LogisticRegression(
                C=C, penalty="l1", solver="liblinear", random_state=0, max_iter=1000
            ).fit(matrix, target)
        intercepts[subject] = float(model.intercept_[0])
        for index in model.coef_[0].nonzero()[0]:
            weights.setdefault(str(names[index]), []).append(
                (subject, float(model.coef_[0][index]))
            )
    return subjects.Model(
        intercepts, {f: tuple(sorted(pairs)) for f, pairs in weights.items()}, THRESHOLD
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--save",
        action="store_true",
        help="also fit on every story and overwrite the shipped broadsheet/data/subject_model.json",
    )
    args = parser.parse_args()
    lexicon = topics.load_lexicon(ner.choose_model().folder)
    vocabulary = subjects.Vocabulary(subjects.load_subjects(), topics.singular(lexicon), None)
    trained = {s.name: s.trained for s in vocabulary.subjects.values() if s.trained}
    articles, labels, folds = reuters_articles()
    rows = [article_features(vocabulary, a) for a in articles]
    predicted: list[dict[str, float]] = [{} for _ in articles]
    chosen_threshold: list[dict[str, float]] = [{} for _ in articles]
    for week in sorted(set(folds)):
        train = [i for i, f in enumerate(folds) if f != week]
        model = fit(
            [rows[i] for i in train],
            [labels[i] for i in train],
            trained,
            [folds[i] for i in train],
        )
        for i, f in enumerate(folds):
            if f == week:
                predicted[i] = model.scores(rows[i])
                chosen_threshold[i] = model.thresholds
    print(
        f"cross-validation by week ({len(set(folds))} folds); beside {THRESHOLD} for every "
        "subject, each subject's threshold chosen inside the training weeks"
    )
    print(f"{'subject':<30} {'gold':>5}  {'P@' + str(THRESHOLD):>6} {'R':>5}  {'P':>5} {'R':>5}")
    for subject, gold in sorted(trained.items()):
        truth = [bool(lab.intersection(gold)) for lab in labels]
        figures = []
        for said in (
            [p.get(subject, 0.0) >= THRESHOLD for p in predicted],
            [
                p.get(subject, 0.0) >= t.get(subject, THRESHOLD)
                for p, t in zip(predicted, chosen_threshold, strict=True)
            ],
        ):
            hits = sum(t and s for t, s in zip(truth, said, strict=True))
            figures.append(f"{hits / max(1, sum(said)):>5.2f} {hits / max(1, sum(truth)):>5.2f}")
        print(f"{subject:<30} {sum(truth):>5}  {figures[0]:>11}  {figures[1]}")
    if args.save:
        model = fit(rows, labels, trained, folds)
        subjects.MODEL.write_text(model.to_json(), encoding="utf-8")
        print(f"wrote {subjects.MODEL.relative_to(ROOT)} ({len(model.weights)} weighted words)")


if __name__ == "__main__":
    main()
