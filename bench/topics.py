"""Topic pages against the Reuters-21578 dev stories' gold subjects, beside the phrase topics.

    python bench/topics.py [--week W] [--limit N] [--sample N [--seed S]]

For each of the 10 largest gold subjects, the topic page (a topic of 2 articles or more) that
best matches the gold label (highest F1) with its precision and recall, for two ways of choosing
topics in the same run:

  phrase topics  the noun phrases each article repeats, rare across the corpus (before issue 17)
  topics         what ingest writes now: subjects first, then tags and recurring phrases

The trained subjects' model is trained on Reuters labels, so every figure is held out: the
stories of each week get their topics from a model trained on the other weeks only (see
bench/train_subjects.py; each subject's threshold chosen inside those other weeks, when the
shipped model has per-subject thresholds). --week W measures on that ISO week's stories only
(a slice disjoint from the first stories, which are weeks 9-10). Also printed: the share of
articles with at least one topic, on the Reuters stories and on the 2017 corpus (../shared/corpora/
newsarticles-2017.jsonl.gz: 3,824 articles of 9 outlets, general news, with the shipped model);
--sample N prints N of the 2017 articles, drawn at random with a fixed seed, with their topics,
to judge them by reading.
NER results are cached in .cache/bench-topics/.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from train_subjects import SHARED, article_features, fit, reuters_articles  # noqa: E402

from broadsheet.enrich import corpus as stage  # noqa: E402
from broadsheet.enrich import ner, subjects, topics  # noqa: E402
from broadsheet.extract.publishers import Publishers  # noqa: E402
from broadsheet.extract.read_records import read_records  # noqa: E402
from broadsheet.inputs import load_input  # noqa: E402
from broadsheet.records import Article  # noqa: E402

GOLD = ["earn", "acq", "money-fx", "crude", "grain", "trade", "interest", "wheat", "ship", "corn"]
MIN_ARTICLES = 2  # the site's default BROADSHEET_MIN_ARTICLES
TARGET = (0.80, 0.60)  # precision, recall (issue 17)
NEWS = SHARED / "corpora" / "newsarticles-2017.jsonl.gz"
CACHE = ROOT / ".cache" / "bench-topics"


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


def enrich(
    articles: Sequence[Article], rules: stage.Rules, content: Path, per_article=None
) -> tuple[list[tuple[str, ...]], list[list[str]]]:
    """Each article's topics as ingest writes them, and its phrase topics (the baseline);
    `per_article(i)` gives the rules of article i (default: `rules`)."""
    results = ner.run_ner([stage.ner_text(a).text for a in articles], cache_dir=CACHE)
    enricher = stage.CorpusEnricher(content, rules)
    for i, (article, result) in enumerate(zip(articles, results, strict=True)):
        enricher.add(stage.analyse(article, result, per_article(i) if per_article else rules))
    enrichments = enricher.resolve()
    n = len(articles)
    by_id = {
        a.input_id: topics.choose(a.shortlist, enricher.document_frequency, n)
        for a in enricher.analyses
    }
    return (
        [enrichments[a.input_id].topics for a in articles],
        [by_id[a.input_id] for a in articles],
    )


def share_line(way: str, chosen: Sequence[Sequence[str]]) -> str:
    pages = pages_of(chosen)
    n = len(chosen)
    with_page = sum(any(len(pages[name]) >= MIN_ARTICLES for name in names) for names in chosen)
    return (
        f"{way}: {sum(bool(c) for c in chosen) / n:.0%} of articles have a topic, "
        f"{with_page / n:.0%} one with a page; "
        f"{sum(len(p) >= MIN_ARTICLES for p in pages.values())} pages"
    )


def general_news(sample: int, seed: int = 2017) -> None:
    """Share of the 2017 corpus's articles with a topic, and a random sample to read."""
    articles = read_records(load_input(NEWS, NEWS.parent), publishers=Publishers.load()).articles
    with tempfile.TemporaryDirectory() as tmp:
        chosen, phrases = enrich(articles, stage.Rules.load(Path(tmp)), Path(tmp))
    print(f"\n{len(articles)} articles of the 2017 corpus (9 outlets), shipped model")
    print(share_line("phrase topics", phrases))
    print(share_line("topics", chosen))
    for i in sorted(random.Random(seed).sample(range(len(articles)), sample)):
        article = articles[i]
        print(f"\n[{i}] {article.source} | {article.title}\n    topics: {list(chosen[i])}")
        print(f"    {' '.join(article.body_text.split())[:300]}")


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
    parser.add_argument(
        "--week",
        type=int,
        default=None,
        help="measure on the stories of this ISO week only (then the first N of them)",
    )
    parser.add_argument(
        "--sample", type=int, default=0, help="print N random 2017 articles with their topics"
    )
    parser.add_argument("--seed", type=int, default=2017, help="of the random sample")
    args = parser.parse_args()
    every, every_label, every_week = reuters_articles()
    measured = [i for i, w in enumerate(every_week) if args.week in (None, w)][: args.limit]
    articles, labels, weeks = (
        [every[i] for i in measured],
        [every_label[i] for i in measured],
        [every_week[i] for i in measured],
    )
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp)
        rules = stage.Rules.load(content)
        vocabulary = rules.vocabulary
        trained = {s.name: s.trained for s in vocabulary.subjects.values() if s.trained}
        rows = [article_features(vocabulary, a) for a in every]
        # per-subject thresholds only when the shipped model has them (train_subjects.py)
        shipped = vocabulary.model
        per_subject = bool(shipped and shipped.thresholds)
        held_out: dict[int, stage.Rules] = {}
        for week in sorted(set(weeks)):
            train = [i for i, w in enumerate(every_week) if w != week]
            model = fit(
                [rows[i] for i in train],
                [every_label[i] for i in train],
                trained,
                [every_week[i] for i in train] if per_subject else None,
            )
            held_out[week] = replace(
                rules,
                vocabulary=subjects.Vocabulary(
                    vocabulary.subjects.values(), vocabulary.singular, model, vocabulary.not_cues
                ),
            )
        chosen, phrases = enrich(articles, rules, content, lambda i: held_out[weeks[i]])
    n = len(articles)
    ways = {"phrase topics": phrases, "topics": chosen}
    print(
        f"{n} Reuters-21578 dev stories{f' of week {args.week}' if args.week else ''}, "
        "each week's topics from a model of the other weeks; "
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
        target = f"P>={TARGET[0]}, R>={TARGET[1]}"
        print(f"{share_line(way, chosen)}; {met[way]}/{len(GOLD)} gold subjects at {target}")
    general_news(args.sample, args.seed)


if __name__ == "__main__":
    main()
