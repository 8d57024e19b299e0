"""Build time and memory of the site with the broadsheet_pages plugin, beside plain Pelican.

Writes sites of --sizes articles (default 1000,5000,20000), replicated from the 2017 news
corpus with shifted dates, sections, sources and Zipf-distributed entities and topics, then
builds each twice in fresh subprocesses (no content cache): plain Pelican (plugin off) and the
plugin site, same settings, theme and Markdown otherwise.

    python bench/build.py --sizes 1000,5000

Targets (issue 4): plugin/plain <= 1.5 at 20k; time x <= 2.2 per doubling; RSS <= 2 GB at 20k.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import re
import shutil
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml
from _support import NEWS_2017, ROOT, Measure, read_jsonl, run_measured

SECTIONS = ["National", "World", "Business", "Politics", "Science", "Sports", "Culture", "Opinion"]
SOURCES = [
    "The Korea Herald",
    "Yonhap",
    "Reuters",
    "AP",
    "BBC News",
    "The Guardian",
    "NPR",
    "CNN",
    "Al Jazeera",
    "NHK World",
    "Le Monde",
    "The Hindu",
]
KINDS = {"people": 1500, "organizations": 800, "places": 700}
TOPICS = 40
START = datetime(2019, 1, 1, tzinfo=timezone(timedelta(hours=9)))
SPAN_DAYS = 3 * 365
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ren",
    "sa",
    "tor",
    "vel",
    "an",
    "bri",
    "dus",
    "el",
    "fen",
    "gar",
    "hal",
    "is",
    "jor",
    "kel",
    "mun",
    "nor",
    "pra",
]
BUILD = """
import json, sys
from pelican import Pelican
from pelican.settings import read_settings
Pelican(read_settings(sys.argv[1], override=json.loads(sys.argv[2]))).run()
"""


def vocabulary(rng: random.Random) -> dict[str, list[str]]:
    """Made-up but name-shaped entities: a few thousand, split by kind."""

    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()

    names: dict[str, list[str]] = {}
    seen: set[str] = set()
    suffixes = {
        "people": [""],
        "organizations": [" Ministry", " Party", " Group", " Council"],
        "places": ["", " City", " Province"],
    }
    for kind, count in KINDS.items():
        names[kind] = []
        while len(names[kind]) < count:
            name = f"{word()} {word()}" if kind == "people" else word() + rng.choice(suffixes[kind])
            if name not in seen:
                seen.add(name)
                names[kind].append(name)
    names["topics"] = [f"{word()} affairs" for _ in range(TOPICS)]
    return names


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def zipf_pick(rng: random.Random, items: list[str], weights: list[float], k: int) -> list[str]:
    return list(dict.fromkeys(rng.choices(items, weights=weights, k=k)))


def write_site(folder: Path, size: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    names = vocabulary(rng)
    weights = {
        kind: [1 / (rank + 1) ** 1.05 for rank in range(len(items))]
        for kind, items in names.items()
    }
    corpus = read_jsonl(NEWS_2017)
    for number in range(size):
        record = corpus[number % len(corpus)]
        when = START + timedelta(days=SPAN_DAYS * number / size, minutes=rng.randint(0, 1439))
        entities = {
            kind: zipf_pick(rng, names[kind], weights[kind], rng.randint(2, 5)) for kind in KINDS
        }
        meta = {
            "title": record["title"] + ("" if number < len(corpus) else f" ({number})"),
            "slug": f"{slug(record['title'])[:60].strip('-')}-{number}",
            "date": when.isoformat(),
            "category": rng.choice(SECTIONS),
            "source": rng.choice(SOURCES),
            "authors": [rng.choice(SOURCES)],
            "original_url": record["url"],
            "summary": record["text"][:280].rsplit(" ", 1)[0].replace("<", "&lt;"),
            **entities,
            "topics": zipf_pick(rng, names["topics"], weights["topics"], rng.randint(1, 3)),
            "scraped_from": f"scraped/news.jsonl.gz#{number}",
        }
        mentioned = [name for items in entities.values() for name in items][:6]
        body = "\n\n".join(
            p.strip().replace("<", "&lt;") for p in record["text"].split("\n") if p.strip()
        )
        body += "\n\nThe story involves " + ", ".join(mentioned) + "."
        path = folder / "articles" / f"{when:%Y/%m/%d}" / f"{meta['slug']}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        header = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=2**20)
        path.write_text(f"---\n{header}---\n\n{body}\n", encoding="utf-8")
    registry = folder / "registry"
    registry.mkdir(parents=True, exist_ok=True)
    entries = [
        {
            "slug": slug(name),
            "name": name,
            "type": {"people": "person", "organizations": "organization", "places": "place"}[kind],
            "aliases": [],
            "old_slugs": [],
        }
        for kind in KINDS
        for name in names[kind]
    ]
    (registry / "entities.json").write_text(json.dumps(entries), encoding="utf-8")


def build(content: Path, output: Path, plugin: bool) -> Measure:
    """One build in a fresh process, measured."""
    override = {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
    }
    shutil.rmtree(output, ignore_errors=True)
    if not plugin:
        override["PLUGINS"] = ["pelican.plugins.yaml_metadata"]
    command = [sys.executable, "-c", BUILD, str(ROOT / "pelicanconf.py"), json.dumps(override)]
    return run_measured(command, quiet=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="where to write the sites (default: a temporary folder)",
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="broadsheet-bench-"))
    print(f"{'articles':>8} {'build':>7} {'wall s':>8} {'CPU s':>8} {'RSS MiB':>8}")
    figures: dict[tuple[int, str], Measure] = {}
    for size in sizes:
        content = workdir / str(size) / "content"
        if not content.exists():
            write_site(content, size)
        for name, plugin in (("plain", False), ("plugin", True)):
            spent = figures[size, name] = build(
                content, workdir / str(size) / f"output-{name}", plugin
            )
            print(
                f"{size:>8} {name:>7} {spent.wall:>8.1f} {spent.cpu:>8.1f} {spent.peak_mib:>8.0f}",
                flush=True,
            )
        plain, plugin_site = figures[size, "plain"], figures[size, "plugin"]
        print(
            f"{size:>8} {'ratio':>7} {plugin_site.wall / plain.wall:>8.2f} "
            f"{plugin_site.cpu / plain.cpu:>8.2f}   (plugin / plain; target <= 1.5 at 20k)",
            flush=True,
        )
    for small, large in itertools.pairwise(sizes):
        for name in ("plain", "plugin"):
            per_doubling = 1 / math.log2(large / small)
            big, little = figures[large, name], figures[small, name]
            wall = (big.wall / little.wall) ** per_doubling
            cpu = (big.cpu / little.cpu) ** per_doubling
            print(
                f"{name} time per doubling from {small} to {large}: wall x{wall:.2f}, "
                f"CPU x{cpu:.2f} (target for the plugin site <= 2.2)"
            )
    print(f"sites in {workdir}")


if __name__ == "__main__":
    main()
