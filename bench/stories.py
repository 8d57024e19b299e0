"""Story grouping against a hand-grouped week, beside the entity-overlap grouping it replaced.

    python bench/stories.py [--gold FILE] [--sizes 5000,50000] [--show N]
    python bench/stories.py --week 2017-W11 [--pairs 100] [--seed 0] [--sizes ""]
        [--save FILE] [--diff FILE]

FILE is in ../shared/stories' format (README.md there): the week and the corpus come from the
file. The corpus is ingested once, as `invoke ingest` would (NER, entity merging, summaries,
duplicates), into .cache/bench-stories/; the grouping then reads what the site reads: headline,
summary, people, organisations and places, day. An article that ingest merged as a copy of
another (`also_published_by`) stands for both of them.

Printed for both groupings, in the same run: pairwise precision and recall, pure stories (of the
stories of 2+), and the file's stories of 3+ found (a story holding at least half of one, and at
least half of its own members from it); then the worst stories of the new grouping, and the
grouping time and peak memory at each size of --sizes (the corpus repeated, each copy's dates
moved on by 20 weeks, so that every day holds as many articles as in the corpus).

With --week (an ISO week of the corpus that has no gold file; the corpus is --corpus), the week's
stories of 2+ are printed with their headlines, biggest first, and then --pairs article pairs
drawn at random (seeded) from all the pairs the grouping puts in one story, each pair as likely
as the next, as pairwise precision counts them: a reader marks each pair same event or not, and
the share of same-event pairs estimates the week's pairwise precision (a held-out check, never a
set to tune on). --save writes the week's pairs to a file; a later run with --diff FILE lists
the pairs that changed since (those of the file only, and those of the new run only), so that
judging a handful of pairs measures a change to the grouping exactly.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "plugins"))

from _support import NEWS_2017, SHARED, measure, read_jsonl  # noqa: E402
from broadsheet_pages.grouping import Item, Params, group  # noqa: E402
from broadsheet_pages.stories import LEAD_WORDS, SUMMARY_WORDS  # noqa: E402

from broadsheet.pipeline import IngestOptions, run_ingest  # noqa: E402

GOLD = SHARED / "stories" / "newsarticles-2017-w07.json"
CACHE = ROOT / ".cache" / "bench-stories"
TARGETS = (0.90, 0.60, 12)  # precision, recall, stories of 3+ found (issue 18)
ENTITY_KEYS = ("people", "organizations", "places")


@dataclass(frozen=True)
class Doc:
    ids: tuple[int, ...]  # corpus lines: the article and the copies merged into it
    title: str
    summary: str
    names: tuple[tuple[str, str], ...]
    day: date
    body: str = ""  # the first words of the body
    source: str = ""  # the outlet


def front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    front, _, body = text.removeprefix("---").partition("\n---\n")
    return yaml.safe_load(front) or {}, body


def ingested(corpus: Path) -> Path:
    """The corpus ingested once into the cache (a few minutes of NER the first time)."""
    folder = CACHE / corpus.name.split(".")[0]
    out = folder / "content" / "articles"
    if not (out / ".manifest.json").is_file():
        (folder / "scraped").mkdir(parents=True, exist_ok=True)
        copy = folder / "scraped" / corpus.name
        if not copy.exists():  # a copy: ingest skips links that lead outside its folder
            shutil.copyfile(corpus, copy)
        print(f"ingesting {corpus.name} into {out} (once)", file=sys.stderr)
        run_ingest(IngestOptions(src=folder / "scraped", out=out, workers=2, progress=False))
    return out


def read_docs(corpus: Path) -> list[Doc]:
    line_of = {record["url"]: n for n, record in enumerate(read_jsonl(corpus))}
    docs = []
    for path in sorted(ingested(corpus).rglob("*.md")):
        meta, body = front_matter(path)
        urls = [
            meta.get("original_url"),
            *(c.get("url") for c in meta.get("also_published_by", [])),
        ]
        ids = tuple(sorted({line_of[u] for u in urls if u in line_of}))
        if not ids or not meta.get("date"):
            continue
        day = meta["date"] if isinstance(meta["date"], date) else date.fromisoformat(meta["date"])
        names = tuple((key, str(n)) for key in ENTITY_KEYS for n in meta.get(key) or [])
        lead = " ".join(body.split()[:LEAD_WORDS])
        title, summary, source = (
            meta.get("title", ""),
            meta.get("summary") or "",
            meta.get("source"),
        )
        docs.append(Doc(ids, title, summary, names, day, lead, str(source or "")))
    return docs


def entity_overlap_groups(features: Sequence[Sequence[Hashable]], max_share: float = 0.2):
    """The grouping the site had before (plugins/broadsheet_pages/stories.py at issue 17):
    two articles share 2+ entities, and a third of the smaller one's, not counting entities in
    more than `max_share` of the articles; each story grows greedily around its best connected
    article."""
    cap = max(2, int(max_share * len(features)))
    postings: dict[Hashable, list[int]] = defaultdict(list)
    for index, item_features in enumerate(features):
        for feature in item_features:
            postings[feature].append(index)
    counted = [{f for f in item if len(postings[f]) <= cap} for item in features]
    neighbours: list[set[int]] = []
    for index, item_features in enumerate(counted):
        shared: Counter[int] = Counter()
        for feature in item_features:
            shared.update(postings[feature])
        neighbours.append(
            {
                other
                for other, n in shared.items()
                if other != index
                and n >= 2
                and n >= min(len(item_features), len(counted[other])) / 3
            }
        )
    taken: set[int] = set()
    groups = []
    for index in sorted(range(len(features)), key=lambda i: (-len(neighbours[i]), i)):
        if index not in taken:
            members = [index, *sorted(neighbours[index] - taken)]
            taken.update(members)
            groups.append(members)
    return groups


def items_of(docs: Sequence[Doc], shift_days: int = 0) -> list[Item]:
    """What the site groups: headline and summary (else the first words of the body)."""
    return [
        Item(
            f"{d.title}. {d.summary if len(d.summary.split()) >= SUMMARY_WORDS else d.body}",
            d.names,
            d.day.toordinal() + shift_days,
            d.source,
        )
        for d in docs
    ]


def scores(groups: Sequence[Sequence[int]], docs: Sequence[Doc], gold: list[set[int]]) -> dict:
    story_of = {i: n for n, ids in enumerate(gold) for i in ids}
    predicted = [sorted({i for d in g for i in docs[d].ids}) for g in groups]
    pairs = [p for ids in predicted for p in combinations(ids, 2)]
    right = sum(1 for a, b in pairs if a in story_of and story_of.get(b) == story_of[a])
    gold_pairs = sum(len(ids) * (len(ids) - 1) // 2 for ids in gold)
    shown = [set(ids) for ids in predicted if len(ids) > 1]
    pure = sum(1 for ids in shown if len({story_of.get(i, -i - 1) for i in ids}) == 1)
    big = [ids for ids in gold if len(ids) >= 3]
    found = sum(
        1
        for ids in big
        if any(len(ids & s) * 2 >= len(ids) and len(ids & s) * 2 >= len(s) for s in shown)
    )
    return {
        "precision": right / len(pairs) if pairs else 1.0,
        "recall": right / gold_pairs if gold_pairs else 1.0,
        "pure": f"{pure}/{len(shown)}",
        "found": f"{found}/{len(big)}",
        "found_n": found,
    }


def worst(groups, docs, gold_stories, limit: int) -> list[str]:
    """The gold stories of 2+ the grouping does worst on (lowest F1 of the best match)."""
    predicted = [{i for d in g for i in docs[d].ids} for g in groups]
    title = {i: docs[d].title for d in range(len(docs)) for i in docs[d].ids}
    rows = []
    for story in gold_stories:
        ids = set(story["ids"])
        best = max(predicted, key=lambda s: (2 * len(ids & s) / (len(ids) + len(s)), -min(s)))
        f1 = 2 * len(ids & best) / (len(ids) + len(best))
        parts = Counter(n for n, s in enumerate(predicted) for i in ids if i in s)
        extra = sorted(title[i][:60] for i in best - ids)
        rows.append((f1, story["label"], len(ids), len(parts), extra))
    rows.sort(key=lambda r: (r[0], r[1]))
    return [
        f"  F1 {f1:.2f}  {label[:70]} ({n} articles in {parts} groups)"
        + (f"; best group also holds: {'; '.join(extra[:3])}" if extra else "")
        for f1, label, n, parts, extra in rows[:limit]
    ]


def mixed(groups, docs, gold: list[set[int]], limit: int) -> list[str]:
    """The groups of the new grouping with the most wrong pairs, and what they mix."""
    story_of = {i: n for n, ids in enumerate(gold) for i in ids}
    rows = []
    for g in groups:
        ids = [i for d in g for i in docs[d].ids]
        pairs = combinations(ids, 2)
        wrong = sum(1 for a, b in pairs if a not in story_of or story_of.get(b) != story_of[a])
        if wrong:
            titles = [docs[d].title[:50] for d in g]
            rows.append((-wrong, titles))
    rows.sort()
    return [f"  {-w} wrong pairs: {' / '.join(t[:4])}" for w, t in rows[:limit]]


def iso_week(text: str) -> str:
    """--week's argument: an ISO week with its year, "2017-W11" (the corpus spans years)."""
    match = re.fullmatch(r"(\d{4})-W(\d{1,2})", text.strip().upper())
    if match is None or not 1 <= int(match.group(2)) <= 53:
        raise argparse.ArgumentTypeError(f"{text!r}: give an ISO week with its year, e.g. 2017-W11")
    return f"{match.group(1)}-W{int(match.group(2)):02d}"


def week_docs(all_docs: Sequence[Doc], week: str) -> list[int]:
    """The docs of an ISO week ("2017-W11")."""
    year, number = (int(part) for part in week.split("-W"))
    return [n for n, d in enumerate(all_docs) if d.day.isocalendar()[:2] == (year, number)]


def story_pairs(stories: Sequence[Sequence[int]], all_docs: Sequence[Doc]) -> set[tuple[int, int]]:
    """The within-story pairs, as corpus lines (an article's first): the same across runs."""
    return {
        tuple(sorted((all_docs[a].ids[0], all_docs[b].ids[0])))
        for g in stories
        for a, b in combinations(g, 2)
    }


def changed_pairs(
    stories: Sequence[Sequence[int]], all_docs: Sequence[Doc], saved: Path
) -> list[str]:
    """The pairs an earlier run (--save) put in one story and this one does not ("-"), and
    those only this one does ("+"): judging these few measures a change exactly, where two
    samples of 100 pairs differ by more than the change."""
    before = {tuple(p) for p in json.loads(saved.read_text())["pairs"]}
    now = story_pairs(stories, all_docs)
    title = {i: f"{d.day:%m-%d} {d.title[:70]}" for d in all_docs for i in d.ids}
    return [
        f"{sign} {title[a]}  ||  {title[b]}"
        for sign, pairs in (("-", before - now), ("+", now - before))
        for a, b in sorted(pairs)
    ]


def judge_week(
    all_docs: Sequence[Doc],
    week: str,
    params: Params,
    n_pairs: int,
    seed: int,
    save: Path | None = None,
    diff: Path | None = None,
) -> None:
    """The week's stories with their headlines, and a seeded sample of their pairs to judge;
    with `save`, the week's pairs written to that file; with `diff`, the pairs that changed
    since the run that saved it."""
    in_week = set(week_docs(all_docs, week))
    grouped = group(items_of(all_docs), params).groups
    stories = [kept for g in grouped if len(kept := [n for n in g if n in in_week]) > 1]
    stories.sort(key=lambda g: (-len(g), g[0]))
    pairs = [(k, p) for k, g in enumerate(stories) for p in combinations(g, 2)]
    clustered = sum(len(g) for g in stories)
    print(
        f"{week}: {len(in_week)} articles, {len(stories)} stories of 2+ holding {clustered}, "
        f"{len(pairs)} pairs ({params})"
    )
    for k, g in enumerate(stories):
        print(f"S{k} ({len(g)})")
        for n in g:
            print(f"    {all_docs[n].day:%m-%d} {all_docs[n].title[:100]}")
    sample = sorted(random.Random(seed).sample(range(len(pairs)), min(n_pairs, len(pairs))))
    print(f"{len(sample)} pairs drawn (seed {seed}), to judge same event or not:")
    for number, index in enumerate(sample, 1):
        k, (a, b) = pairs[index]
        print(f"P{number} S{k}: {all_docs[a].title[:80]}  ||  {all_docs[b].title[:80]}")
    if diff is not None:
        changes = changed_pairs(stories, all_docs, diff)
        print(f"{len(changes)} pairs changed since {diff} (- there only, + here only):")
        print("\n".join(changes))
    if save is not None:
        pairs = sorted(story_pairs(stories, all_docs))
        save.write_text(json.dumps({"week": week, "params": str(params), "pairs": pairs}) + "\n")


def timing(docs: Sequence[Doc], size: int, params: Params) -> str:
    copies = -(-size // len(docs))
    items = [item for k in range(copies) for item in items_of(docs, shift_days=140 * k)][:size]
    groups, spent = measure(lambda: group(items, params).groups)
    stories = sum(1 for g in groups if len(g) > 1)
    return (
        f"{size:>6,} articles: {spent.wall:6.1f} s wall {spent.cpu:6.1f} s CPU, peak "
        f"{spent.peak_mib:,.0f} MiB (process high-water mark), {stories:,} stories of 2+"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--sizes", default="5000,50000")
    parser.add_argument("--show", type=int, default=5, help="worst stories to list")
    parser.add_argument(
        "--week", type=iso_week, help="an ISO week without gold (2017-W11): stories to judge"
    )
    parser.add_argument("--corpus", type=Path, default=NEWS_2017, help="the --week's corpus")
    parser.add_argument("--pairs", type=int, default=100, help="pairs to judge for --week")
    parser.add_argument("--seed", type=int, default=0, help="the draw of --pairs")
    parser.add_argument("--save", type=Path, help="--week: write the week's story pairs here")
    parser.add_argument(
        "--diff", type=Path, help="--week: the pairs that changed since a --save file"
    )
    args = parser.parse_args()
    if args.week:
        docs = read_docs(args.corpus)
        judge_week(docs, args.week, Params(), args.pairs, args.seed, args.save, args.diff)
        for size in (int(s) for s in args.sizes.split(",") if s):
            print(timing(read_docs(args.corpus), size, Params()), flush=True)
        return
    spec = json.loads(args.gold.read_text())
    corpus = (args.gold.parent / spec["corpus"]).resolve()
    gold = [set(s["ids"]) for s in spec["stories"]]
    wanted = {i for ids in gold for i in ids} | set(spec["singletons"])
    all_docs = read_docs(corpus)
    in_week = [n for n, d in enumerate(all_docs) if wanted & set(d.ids)]
    docs = [all_docs[n] for n in in_week]
    missing = len(wanted - {i for d in docs for i in d.ids})
    print(
        f"{spec['week']}: {len(wanted)} articles ({len(docs)} after ingest merged copies, "
        f"{missing} not ingested), {len(gold)} stories of 2+ in {args.gold.name}"
    )
    params = Params()
    start = time.perf_counter()
    # as on the site: the whole corpus grouped at once (IDF of all of it), then the week's part
    position = {n: k for k, n in enumerate(in_week)}
    grouped = group(items_of(all_docs), params).groups
    new = [kept for g in grouped if (kept := [position[n] for n in g if n in position])]
    seconds = time.perf_counter() - start
    old = entity_overlap_groups([d.names for d in docs])  # as the site did: week by week
    print(f"{'grouping':<28} {'precision':>9} {'recall':>7} {'pure':>7} {'3+ found':>9}")
    for name, groups in (("entity overlap (before)", old), ("text + entities (now)", new)):
        s = scores(groups, docs, gold)
        print(
            f"{name:<28} {s['precision']:>9.3f} {s['recall']:>7.3f} {s['pure']:>7} {s['found']:>9}"
        )
    print(f"{'target':<28} {TARGETS[0]:>9.2f} {TARGETS[1]:>7.2f} {'':>7} {TARGETS[2]:>9}")
    print(f"({params}; {len(all_docs):,} articles grouped in {seconds:.2f} s)")
    print(f"worst {args.show} stories of the file, new grouping:")
    print("\n".join(worst(new, docs, spec["stories"], args.show)))
    print(f"most mixed {args.show} groups, new grouping:")
    print("\n".join(mixed(new, docs, gold, args.show)))
    for size in (int(s) for s in args.sizes.split(",") if s):
        print(timing(all_docs, size, params), flush=True)


if __name__ == "__main__":
    main()
