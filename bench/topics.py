"""Topic pages against the Reuters-21578 dev stories' gold subjects, beside the phrase topics.

    python bench/topics.py [--limit N]

For each of the 10 largest gold subjects, the topic page (a topic of 2 articles or more) that
best matches the gold label (highest F1) with its precision and recall, for two ways of choosing
topics in the same run:

  phrase topics  the noun phrases each article repeats, rare across the corpus (before issue 17)
  topics         what ingest writes now: subjects first, then tags and recurring phrases

The trained subjects' model is trained on Reuters labels, so every figure is held out: the
stories of each week get their topics from a model trained on the other weeks only (see
bench/train_subjects.py). Also printed: the share of articles with at least one topic.
NER results are cached in .cache/bench-topics/.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from train_subjects import article_features, fit, reuters_articles  # noqa: E402

from broadsheet.enrich import corpus as stage  # noqa: E402
from broadsheet.enrich import ner, subjects, topics  # noqa: E402

GOLD = ["earn", "acq", "money-fx", "crude", "grain", "trade", "interest", "wheat", "ship", "corn"]
MIN_ARTICLES = 2  # the site's default BROADSHEET_MIN_ARTICLES
TARGET = (0.80, 0.60)  # precision, recall (issue 17)


def best_page(
    pages: dict[str, set[int]], gold: set[int]
) -> tuple[str, float, float] | tuple[None, float, float]:
    """The page with the highest F1 against the gold articles: (name, precision, recall)."""
    best: tuple[float, str, float, float] | None = None
    for name, members in pages.items():
        hits = len(members & gold)
        if len(members) < MIN_ARTICLES or not hits:
            continue
        precision, recall = hits / len(members), hits / len(gold)
        f1 = 2 * precision * recall / (precision + recall)
        if best is None or (f1, name) > (best[0], best[1]):
            best = (f1, name, precision, recall)
    return (best[1], best[2], best[3]) if best else (None, 0.0, 0.0)


def pages_of(chosen: Sequence[Sequence[str]]) -> dict[str, set[int]]:
    pages: dict[str, set[int]] = defaultdict(set)
    for i, names in enumerate(chosen):
        for name in names:
            pages[name].add(i)
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--limit",
        type=int,
        default=None,
        help="measure on the first N stories only (the models "
        "still learn from every story of the other weeks)",
    )
    args = parser.parse_args()
    every, every_label, every_week = reuters_articles()
    articles, labels, weeks = (
        every[: args.limit],
        every_label[: args.limit],
        every_week[: args.limit],
    )
    results = ner.run_ner(
        [stage.ner_text(a).text for a in articles], cache_dir=ROOT / ".cache" / "bench-topics"
    )
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp)
        rules = stage.Rules.load(content)
        vocabulary = rules.vocabulary
        trained = {s.name: s.trained for s in vocabulary.subjects.values() if s.trained}
        rows = [article_features(vocabulary, a) for a in every]
        analyses = [None] * len(articles)
        for week in sorted(set(weeks)):
            train = [i for i, w in enumerate(every_week) if w != week]
            model = fit([rows[i] for i in train], [every_label[i] for i in train], trained)
            held_out = replace(
                rules,
                vocabulary=subjects.Vocabulary(
                    vocabulary.subjects.values(), vocabulary.singular, model
                ),
            )
            for i, w in enumerate(weeks):
                if w == week:
                    analyses[i] = stage.analyse(articles[i], results[i], held_out)
        enricher = stage.CorpusEnricher(content, rules)
        for analysis in analyses:
            enricher.add(analysis)
        enrichments = enricher.resolve()
        n = len(articles)
        phrases = [
            topics.choose(a.shortlist, enricher.document_frequency, n) for a in enricher.analyses
        ]
        by_id = {a.input_id: keys for a, keys in zip(enricher.analyses, phrases, strict=True)}
    ways = {
        "phrase topics": [by_id[a.input_id] for a in articles],
        "topics": [enrichments[a.input_id].topics for a in articles],
    }
    print(
        f"{n} Reuters-21578 dev stories, each week's topics from a model of the other weeks; "
        f"pages of {MIN_ARTICLES}+ articles"
    )
    print(f"{'gold':<9} {'n':>5}  {'way':<14} {'best page':<28} {'P':>5} {'R':>5}")
    met = dict.fromkeys(ways, 0)
    for label in GOLD:
        gold = {i for i, lab in enumerate(labels) if label in lab}
        for way, chosen in ways.items():
            name, precision, recall = best_page(pages_of(chosen), gold)
            ok = precision >= TARGET[0] and recall >= TARGET[1]
            met[way] += ok
            print(
                f"{label:<9} {len(gold):>5}  {way:<14} {(name or '-')[:28]:<28} "
                f"{precision:>5.2f} {recall:>5.2f}{'  ok' if ok else ''}"
            )
    for way, chosen in ways.items():
        pages = pages_of(chosen)
        with_page = sum(any(len(pages[name]) >= MIN_ARTICLES for name in names) for names in chosen)
        print(
            f"{way}: {sum(bool(c) for c in chosen) / n:.0%} of stories have a topic, "
            f"{with_page / n:.0%} one with a page; "
            f"{sum(len(p) >= MIN_ARTICLES for p in pages.values())} pages; "
            f"{met[way]}/{len(GOLD)} gold subjects at P>={TARGET[0]}, R>={TARGET[1]}"
        )


if __name__ == "__main__":
    main()
