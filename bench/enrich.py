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
import gzip
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import spacy
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from broadsheet.enrich import corpus as stage  # noqa: E402
from broadsheet.enrich import ner  # noqa: E402
from broadsheet.records import Article, Block  # noqa: E402

# everything but NER, which in en_core_web_sm has its own tok2vec
STOCK_EXCLUDE = ["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer"]
CORPUS = ROOT.parent / "shared" / "corpora" / "newsarticles-2017.jsonl.gz"


def load_articles(limit: int | None) -> list[Article]:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines][:limit]
    return [
        Article(
            title=r.get("title") or "",
            body=tuple(Block.paragraph(p) for p in (r.get("text") or "").split("\n") if p.strip()),
            scraped_from=CORPUS.name,
            scraped_sha256="",
            record=i,
        )
        for i, r in enumerate(records)
    ]


def phase(name: str, limit: int | None, workers: int, work: Path) -> dict:
    articles = load_articles(limit)
    texts = [stage.ner_text(a).text for a in articles]
    cpu_before = sum(
        usage.ru_utime + usage.ru_stime
        for usage in (
            resource.getrusage(resource.RUSAGE_SELF),
            resource.getrusage(resource.RUSAGE_CHILDREN),
        )
    )
    started = time.perf_counter()
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
    seconds = time.perf_counter() - started
    cpu = sum(
        usage.ru_utime + usage.ru_stime
        for usage in (
            resource.getrusage(resource.RUSAGE_SELF),
            resource.getrusage(resource.RUSAGE_CHILDREN),
        )
    )
    return {
        "seconds": seconds,
        "cpu_seconds": cpu - cpu_before,
        "articles": len(texts),
        "words": sum(len(t.split()) for t in texts),
        "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "children_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
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
    base = results["spacy NER"]["seconds"]
    base_cpu = results["spacy NER"]["cpu_seconds"]
    print(
        f"{'phase':<20} {'wall s':>7} {'articles/s':>10} {'words/s':>8} {'CPU s':>7} "
        f"{'art/CPU-s':>9} {'peak RSS MiB':>12} {'wall vs NER':>11} {'CPU vs NER':>10}"
    )
    for name, r in results.items():
        rss = max(r["rss_mib"], r["children_rss_mib"])
        print(
            f"{name:<20} {r['seconds']:>7.1f} {r['articles'] / r['seconds']:>10.1f} "
            f"{r['words'] / r['seconds']:>8.0f} {r['cpu_seconds']:>7.1f} "
            f"{r['articles'] / r['cpu_seconds']:>9.1f} {rss:>12.0f} "
            f"{r['seconds'] / base:>11.0%} {r['cpu_seconds'] / base_cpu:>10.0%}"
        )
    print(
        f"({results['spacy NER']['articles']} articles, {results['spacy NER']['words']} words, "
        f"workers={args.workers}; peak RSS includes worker processes)"
    )


if __name__ == "__main__":
    main()
