"""Entities against gold labels: CoNLL-2003 documents and Reuters-21578 dev stories, beside raw
spaCy NER on the same texts, in the same run.

    python bench/entities.py [--split testa] [--reuters 1500] [--news N] [--show N]
                             [--model NAME_OR_FOLDER]

CoNLL (../shared/ner/README.md's rule): a listed entity is right when its name or one of its
registry aliases matches a gold entity of the same type in that document (folding case,
accents, dots and hyphens, or one name's words a contiguous run of the other's); gold `misc`
never counts. Recall: the share of gold person/organization/place entities that a listed
entity of that type matches. "raw spaCy" is the model's own document-level sets
(PERSON -> person, ORG -> organization, GPE/LOC/FAC -> place), spans as found.

Reuters (the first N dev stories, as the reader reads them): entity pages (entities of 2+
stories, the site's default), the pages whose name matches one of the corpus's own labels
(people, orgs, places: "james-baker", "ec", "usa") and how many of those have the label's type,
per story how many of its gold labels a listed entity of that type matches, duplicate-looking
pages (the same folded name, or one page's name an alias of another page of that type) and
table-fragment pages (a name holding Avg, Shr, Dlrs, Mln, Vs, ...).

NER results are cached in .cache/bench-entities/ (per model), so a second run costs only the
normalisation. Tune on `--split train`; report testa.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _support import CONLL, NEWS_2017, REUTERS_DEV  # noqa: E402

from broadsheet.enrich import corpus as stage  # noqa: E402
from broadsheet.enrich import entities, ner, registry  # noqa: E402
from broadsheet.extract.boilerplate import learn_templates  # noqa: E402
from broadsheet.extract.language import with_language  # noqa: E402
from broadsheet.extract.publishers import Publishers  # noqa: E402
from broadsheet.extract.read_records import read_records, record_texts  # noqa: E402
from broadsheet.inputs import load_input  # noqa: E402
from broadsheet.records import Article  # noqa: E402

TYPES = ("person", "organization", "place")
RAW_TYPES = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place"}
RAW_TYPES["FAC"] = "place"
REUTERS_TYPES = {"people": "person", "orgs": "organization", "places": "place"}
TABLE_WORDS = frozenset(
    "avg shr shrs dlrs dlr mln bln cts ct pct revs qtr vs oper mths net".split()  # noqa: SIM905
)
MIN_ARTICLES = 2  # the site's default BROADSHEET_MIN_ARTICLES
CACHE = ROOT / ".cache" / "bench-entities"


# ---- matching names (the scoring rule of ../shared/ner/README.md)


def words(name: str) -> tuple[str, ...]:
    """Folded words: case and accents folded, dots dropped, hyphens split."""
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)
    )
    plain = plain.casefold().replace(".", "").replace("'s ", " ")
    return tuple(w for w in re.split(r"[\s\-]+", re.sub(r"[^\w\s\-]", "", plain)) if w)


def _run(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return 0 < n <= len(long) and any(long[i : i + n] == short for i in range(len(long) - n + 1))


def same_name(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return a == b or "".join(a) == "".join(b) or _run(a, b) or _run(b, a)


@dataclass
class Score:
    right: int = 0
    listed: int = 0
    found: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.right / self.listed if self.listed else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


# an article's listed entities: (type, the names it goes by: display name first, then aliases)
Listed = list[tuple[str, tuple[str, ...]]]


def score_docs(listed: Sequence[Listed], gold: Sequence[list[dict]]) -> dict[str, Score]:
    """Typed document-level scores, overall ("all") and per type."""
    scores = {kind: Score() for kind in ("all", *TYPES)}
    for mine, theirs in zip(listed, gold, strict=True):
        gold_words = [(g["type"], words(g["name"])) for g in theirs]
        mine_words = [(kind, [words(n) for n in names]) for kind, names in mine]
        for kind, names in mine_words:
            ok = any(t == kind and any(same_name(n, g) for n in names) for t, g in gold_words)
            for key in ("all", kind):
                scores[key].listed += 1
                scores[key].right += ok
        for kind, g in gold_words:
            if kind not in TYPES:
                continue
            ok = any(t == kind and any(same_name(n, g) for n in names) for t, names in mine_words)
            for key in ("all", kind):
                scores[key].gold += 1
                scores[key].found += ok
    return scores


# ---- reading and running


def read_articles(path: Path) -> list[Article]:
    """The records of `path` as ingest reads them (boilerplate learned across the records)."""
    file = load_input(path, path.parent)
    templates = learn_templates([], records=record_texts(file))
    result = read_records(file, publishers=Publishers.load(), templates=templates)
    return [with_language(article) for article in result.articles]


def run(articles: list[Article], model: str | None) -> tuple[list, list[Article], list]:
    """NER results, the enriched articles and the grown registry."""
    results = ner.run_ner([stage.ner_text(a).text for a in articles], cache_dir=CACHE, model=model)
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp)
        rules = stage.Rules.load(content)
        enricher = stage.CorpusEnricher(content, rules)
        for article, result in zip(articles, results, strict=True):
            enricher.add(stage.analyse(article, result, rules))
        enrichments = enricher.resolve()
        entries = registry.load(content / stage.ENTITY_REGISTRY)
    enriched = [enrichments[a.input_id].apply(a) for a in articles]
    return results, enriched, entries


def raw_listed(article: Article, result: ner.NerResult) -> Listed:
    text = stage.ner_text(article).text if stage.uses_english_models(article) else ""
    found = {
        (RAW_TYPES[label], re.sub(r"\s+", " ", text[s:e]).strip())
        for s, e, label in result.ents
        if label in RAW_TYPES
    }
    return [(kind, (name,)) for kind, name in sorted(found)]


def project_listed(article: Article, lookup: registry.Registry) -> Listed:
    listed = []
    for kind in entities.ENTITY_KINDS:
        for name in getattr(article, kind.key):
            entry = lookup.lookup(kind.type, name)
            listed.append((kind.type, (name, *(entry.aliases if entry else ()))))
    return listed


def name_only(listed: Listed) -> Listed:
    return [(kind, names[:1]) for kind, names in listed]


def print_scores(rows: dict[str, dict[str, Score]]) -> None:
    print(f"{'':<24} {'P':>6} {'R':>6} {'F1':>6}   " + "   ".join(f"{t[:6]:>6} P/R" for t in TYPES))
    for name, scores in rows.items():
        a = scores["all"]
        per_type = "   ".join(f"{scores[t].precision:.2f}/{scores[t].recall:.2f}" for t in TYPES)
        print(f"{name:<24} {a.precision:>6.3f} {a.recall:>6.3f} {a.f1:>6.3f}   {per_type}")


def conll(split: str, model: str | None, dump_to: Path | None = None) -> None:
    with gzip.open(CONLL / f"gold-{split}.json.gz", "rt", encoding="utf-8") as handle:
        gold_by_url = {doc["url"]: doc["entities"] for doc in json.load(handle).values()}
    articles = read_articles(CONLL / f"conll-{split}.jsonl.gz")
    start = time.perf_counter()
    results, enriched, entries = run(articles, model)
    spent = time.perf_counter() - start
    lookup = registry.Registry.of(entries)
    gold = [gold_by_url[a.url] for a in articles]
    mine = [project_listed(a, lookup) for a in enriched]
    dump(dump_to, enriched, mine)
    rows = {
        "raw spaCy NER": score_docs(
            [raw_listed(a, r) for a, r in zip(articles, results, strict=True)], gold
        ),
        "Broadsheet": score_docs(mine, gold),
        "Broadsheet, names only": score_docs([name_only(m) for m in mine], gold),
    }
    print(
        f"CoNLL-2003 {split}: {len(articles)} documents, document-level typed scores "
        f"(model {ner.choose_model(model).cache_id}; enrich {spent:.1f} s, NER cached)"
    )
    print_scores(rows)


# ---- Reuters dev


def label_name(label: str) -> tuple[str, ...]:
    return tuple(label.split("-"))


def dump(path: Path | None, articles: Sequence[Article], listed: Sequence[Listed]) -> None:
    """Write each article's listed entities (kind, names) as JSON lines, to diff two runs."""
    if path is None:
        return
    with path.open("w", encoding="utf-8") as out:
        for article, doc in zip(articles, listed, strict=True):
            row = {"url": article.url, "title": article.title, "entities": doc}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def reuters(limit: int, model: str | None, args_show: int = 0, dump_to: Path | None = None) -> None:
    with gzip.open(REUTERS_DEV, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    articles = read_articles(REUTERS_DEV)[:limit]
    results, enriched, entries = run(articles, model)
    labels = [
        [
            (REUTERS_TYPES[key], label_name(v))
            for key in REUTERS_TYPES
            for v in records[a.record][key]
        ]
        for a in articles
    ]
    lookup = registry.Registry.of(entries)
    ways = {
        "raw spaCy NER": [raw_listed(a, r) for a, r in zip(articles, results, strict=True)],
        "Broadsheet": [project_listed(a, lookup) for a in enriched],
    }
    dump(dump_to, enriched, ways["Broadsheet"])
    vocabulary = {name for doc in labels for _, name in doc}
    label_types = defaultdict(set)
    for doc in labels:
        for kind, name in doc:
            label_types[name].add(kind)
    print(
        f"\nReuters-21578 dev, first {len(articles)} stories: entity pages (entities of "
        f"{MIN_ARTICLES}+ stories)"
    )
    print(
        f"{'':<16} {'pages':>6} {'people':>6} {'orgs':>6} {'places':>6} {'label':>6} "
        f"{'typed':>6} {'story labels':>12} {'dupes':>6} {'table':>6}"
    )
    for way, listed in ways.items():
        names_of, shown = entity_pages(listed)
        with_label = typed = 0
        for kind, name in shown:
            matched = {
                t
                for label in vocabulary
                if label == words(name) or "".join(label) == "".join(words(name))
                for t in label_types[label]
            }
            with_label += bool(matched)
            typed += kind in matched
        story_found = story_gold = 0
        for doc, gold in zip(listed, labels, strict=True):
            for kind, label in gold:
                story_gold += 1
                story_found += any(
                    t == kind and any(same_name(words(n), label) for n in names) for t, names in doc
                )
        dupes = duplicates(shown, names_of)
        if args_show and way == "Broadsheet":
            show(listed, args_show)
            print("duplicate-looking:", "; ".join(sorted(f"{n} ({k[:3]})" for k, n in dupes)))
        table = sum(bool(TABLE_WORDS & set(words(name))) for _, name in shown)
        by_type = Counter(kind for kind, _ in shown)
        print(
            f"{way:<16} {len(shown):>6} {by_type['person']:>6} {by_type['organization']:>6} "
            f"{by_type['place']:>6} {with_label:>6} {typed / max(with_label, 1):>6.0%} "
            f"{story_found / max(story_gold, 1):>12.0%} {len(dupes):>6} {table:>6}"
        )
    print(
        "label: pages whose name is one of the corpus's labels; typed: of those, with the "
        "label's type;\nstory labels: gold labels of a story matched by a listed entity of "
        "its type; dupes: pages that look like another page; table: table-fragment pages"
    )


def entity_pages(listed):
    """The entity pages a site would make from each article's listed (kind, names): every name
    each (kind, name) goes by, and the ones listed in MIN_ARTICLES articles or more."""
    pages: dict[tuple[str, str], set[int]] = defaultdict(set)
    names_of: dict[tuple[str, str], tuple[str, ...]] = {}
    for i, doc in enumerate(listed):
        for kind, names in doc:
            pages[kind, names[0]].add(i)
            names_of[kind, names[0]] = names
    shown = [page for page, members in pages.items() if len(members) >= MIN_ARTICLES]
    return names_of, shown


def duplicates(
    shown: Iterable[tuple[str, str]], names_of: dict[tuple[str, str], tuple[str, ...]]
) -> set[tuple[str, str]]:
    """Pages that look like another page: the same folded name (any type), or of the same type
    one page's name an alias of the other, the same name without a legal suffix (Boeing Co,
    Boeing), a one-word name that is the other's surname (Reagan, Ronald Reagan) or first word
    (Merrill, Merrill Lynch), or an acronym of the other (Fed is not caught; EC is); a place's
    first word is no duplicate of it (Kansas, Kansas City)."""
    shown = list(shown)
    by_key: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for page in shown:
        by_key[entities.name_key(page[1])].append(page)
    dupes = {page for pages in by_key.values() if len(pages) > 1 for page in pages}
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    longer: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)

    def claim(kind: str, key: str, page: tuple[str, str]) -> None:
        other = seen.setdefault((kind, key), page)
        if other != page:
            dupes.update((page, other))

    for page in shown:
        kind, name = page
        claim(kind, entities.name_key(entities.without_legal_suffix(name) or name), page)
        for alias in names_of[page][1:]:
            claim(kind, entities.name_key(alias), page)
        parts = name.split()
        if len(parts) > 1 and kind != "place":  # Kansas is not Kansas City, Gulf not Gulf Coast
            longer[kind, entities.name_key(parts[-1 if kind == "person" else 0])].append(page)
        if len(parts) > 1:
            longer[kind, "".join(w[0] for w in parts if w[0].isupper())].append(page)
    for page in shown:
        kind, name = page
        if " " not in name:  # a one-word name: a surname, first word or acronym of another
            others = longer.get((kind, entities.name_key(name)), [])
            others = others or longer.get((kind, name.replace(".", "")), [])
            if others:
                dupes.update((page, *others[:1]))
    return dupes


def show(listed: Sequence[Listed], count: int, seed: int = 0) -> None:
    """The biggest pages and a random sample of the others, to read."""
    import random

    pages: Counter = Counter()
    for doc in listed:
        for kind, names in doc:
            pages[kind, names[0]] += 1
    big = [page for page, n in pages.most_common() if n >= MIN_ARTICLES]
    print(f"biggest {count}:", "; ".join(f"{n} ({k[:3]}, {pages[k, n]})" for k, n in big[:count]))
    sample = random.Random(seed).sample(big[count:], min(count, len(big[count:])))
    print(f"random {count}:", "; ".join(f"{n} ({k[:3]}, {pages[k, n]})" for k, n in sample))


def news(limit: int, model: str | None, count: int = 0, dump_to: Path | None = None) -> None:
    """The 2017 corpus (no gold labels): pages, duplicate look-alikes, table fragments."""
    articles = read_articles(NEWS_2017)[:limit]
    results, enriched, entries = run(articles, model)
    lookup = registry.Registry.of(entries)
    ways = {
        "raw spaCy NER": [raw_listed(a, r) for a, r in zip(articles, results, strict=True)],
        "Broadsheet": [project_listed(a, lookup) for a in enriched],
    }
    dump(dump_to, enriched, ways["Broadsheet"])
    print(f"\n2017 corpus, first {len(articles)} articles: entity pages ({MIN_ARTICLES}+ articles)")
    print(f"{'':<16} {'pages':>6} {'people':>6} {'orgs':>6} {'places':>6} {'dupes':>6}")
    for way, listed in ways.items():
        names_of, shown = entity_pages(listed)
        dupes = duplicates(shown, names_of)
        by_type = Counter(kind for kind, _ in shown)
        print(
            f"{way:<16} {len(shown):>6} {by_type['person']:>6} {by_type['organization']:>6} "
            f"{by_type['place']:>6} {len(dupes):>6}"
        )
        if count and way == "Broadsheet":
            show(listed, count)
            print("duplicate-looking:", "; ".join(sorted(f"{n} ({k[:3]})" for k, n in dupes)))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--split", default="testa", choices=["train", "testa"])
    parser.add_argument("--reuters", type=int, default=1500, help="first N stories (0: none)")
    parser.add_argument("--model", help="another spaCy model package or folder (unverified)")
    parser.add_argument("--news", type=int, default=0, help="first N articles of 2017 (0: none)")
    parser.add_argument("--no-conll", action="store_true")
    parser.add_argument("--show", type=int, default=0, help="print N biggest and N random pages")
    parser.add_argument(
        "--dump", type=Path, help="write each story's entities to DIR/{conll,reuters,news}.jsonl"
    )
    args = parser.parse_args()
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
    names = ("conll", "reuters", "news")
    dumps = {n: args.dump / f"{n}.jsonl" if args.dump else None for n in names}
    if not args.no_conll:
        conll(args.split, args.model, dumps["conll"])
    if args.reuters:
        reuters(args.reuters, args.model, args.show, dumps["reuters"])
    if args.news:
        news(args.news, args.model, args.show, dumps["news"])


if __name__ == "__main__":
    main()
