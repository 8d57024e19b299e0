"""Benchmark the enrich stage against plain spaCy NER on the same texts, in the same run.

    python bench/enrich.py [--limit N] [--workers 2]

Each phase runs in a fresh Python process so that its peak RSS is its own:
  spacy NER, stock   spacy.load() of the model as it comes (NER only, thinc's default BLIS ops)
  spacy NER          nlp.pipe over the same texts with the model as Broadsheet loads it
  enrich, cold   enrich() with an empty cache: NER + normalisation + topics + summary + registries
  enrich, warm   enrich() again on the warm cache: what normalisation, topics etc. cost on their own
Targets (issue 3): warm <= 25% of spaCy NER's time; cold >= 20 articles/s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

import spacy
from _support import NEWS_2017, ROOT, measure, read_jsonl
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(ROOT))

from broadsheet.enrich import corpus as stage
from broadsheet.enrich import ner
from broadsheet.records import Article, Block

# everything but NER, which in en_core_web_sm has its own tok2vec
STOCK_EXCLUDE = ["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer"]


def load_articles(limit: int | None) -> list[Article]:
    return [
        Article(
            title=r.get("title") or "",
            body=tuple(Block.paragraph(p) for p in (r.get("text") or "").split("\n") if p.strip()),
            scraped_from=NEWS_2017.name,
            scraped_sha256="",
            record=i,
        )
        for i, r in enumerate(read_jsonl(NEWS_2017, limit))
    ]


def workload(
    name: str, articles: list[Article], texts: list[str], workers: int, work: Path
) -> None:
    """What a phase measures: loading the model and NER, or the enrich stage."""
    if name.startswith("spacy"):
        choice = ner.choose_model()
        if name == "spacy-stock":
            nlp = spacy.load(choice.folder, exclude=STOCK_EXCLUDE)
        else:
            nlp = ner.load_nlp(choice)
            nlp.remove_pipe("sentencizer")
        with threadpool_limits(1 if workers > 1 else None, user_api="blas"):
            for _ in nlp.pipe(texts, batch_size=ner.BATCH_SIZE, n_process=workers):
                pass
    else:
        stage.enrich(
            articles, content_dir=work / "content", cache_dir=work / "cache", workers=workers
        )


def phase(name: str, limit: int | None, workers: int, work: Path) -> dict:
    articles = load_articles(limit)
    texts = [stage.ner_text(a).text for a in articles]
    _, spent = measure(lambda: workload(name, articles, texts, workers, work))
    return {
        **asdict(spent),
        "articles": len(texts),
        "words": sum(len(t.split()) for t in texts),
    }


def run_phase(name: str, args, work: Path) -> dict:
    command = [
        sys.executable,
        __file__,
        "--phase",
        name,
        "--workers",
        str(args.workers),
        "--work",
        str(work),
    ]
    if args.limit:
        command += ["--limit", str(args.limit)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--workers", type=int, default=2, help="n_process for nlp.pipe")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.limit, args.workers, args.work)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        results = {
            "spacy NER, stock": run_phase("spacy-stock", args, work),
            "spacy NER": run_phase("spacy", args, work),
            "enrich, cold cache": run_phase("enrich", args, work),
            "enrich, warm cache": run_phase("enrich", args, work),
        }
    base = results["spacy NER"]["wall"]
    base_cpu = results["spacy NER"]["cpu"]
    print(
        f"{'phase':<20} {'wall s':>7} {'articles/s':>10} {'words/s':>8} {'CPU s':>7} "
        f"{'art/CPU-s':>9} {'peak RSS MiB':>12} {'wall vs NER':>11} {'CPU vs NER':>10}"
    )
    for name, r in results.items():
        print(
            f"{name:<20} {r['wall']:>7.1f} {r['articles'] / r['wall']:>10.1f} "
            f"{r['words'] / r['wall']:>8.0f} {r['cpu']:>7.1f} "
            f"{r['articles'] / r['cpu']:>9.1f} {r['peak_mib']:>12.0f} "
            f"{r['wall'] / base:>11.0%} {r['cpu'] / base_cpu:>10.0%}"
        )
    print(
        f"({results['spacy NER']['articles']} articles, {results['spacy NER']['words']} words, "
        f"workers={args.workers}; peak RSS includes worker processes)"
    )


if __name__ == "__main__":
    main()
