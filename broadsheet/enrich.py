"""The enrich stage: entities, topics and a summary for every article.

enrich() runs NER (cached per text), resolves entities within each article and across the corpus,
applies the editors' files content/entities.yml and content/topics.yml, grows the registries in
content/registry/ and returns the articles with summary, people, organizations, places and topics.
The result does not depend on the order of the input articles.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from broadsheet import entities, ner, registry, summary, topics
from broadsheet.records import Article

ENTITY_REGISTRY = Path("registry") / "entities.yml"
TOPIC_REGISTRY = Path("registry") / "topics.yml"
# a short parenthesis closing a paragraph or caption is a credit: "(Yonhap)", "(AP Photo/Lee)"
CREDIT = re.compile(r"\s*\((?:[^()\s]+\s?){1,6}\)\s*$")
FIELDS = {
    entities.PERSON: "people",
    entities.ORGANIZATION: "organizations",
    entities.PLACE: "places",
}


@dataclass(frozen=True)
class NerText:
    """The text NER runs on: title, body paragraphs, then captions, credits removed."""

    text: str
    title_end: int
    body_end: int
    paragraph_starts: tuple[int, ...]


def ner_text(article: Article) -> NerText:
    parts = [article.title.strip()]
    starts = []
    offset = len(parts[0]) + 2
    for block in article.body:
        paragraph = CREDIT.sub("", block.text.strip())
        if paragraph:
            starts.append(offset)
            parts.append(paragraph)
            offset += len(paragraph) + 2
    body_end = offset - 2
    parts += [CREDIT.sub("", caption.strip()) for caption in article.captions]
    return NerText("\n\n".join(parts), len(parts[0]), max(body_end, len(parts[0])), tuple(starts))


def lead_sentences(doc: NerText, result: ner.NerResult) -> list[str]:
    """The body's sentences; a paragraph break always ends a sentence."""
    inside = {s for s in result.sents if doc.title_end < s < doc.body_end}
    starts = sorted(inside.union(doc.paragraph_starts))
    ends = [*starts[1:], doc.body_end]
    return [doc.text[s:e].strip() for s, e in zip(starts, ends, strict=False)]


def load_registries(content_dir: Path) -> tuple[list[registry.Entry], list[registry.Entry]]:
    """(entities, topics) registries under content_dir/registry/, for the site plugin."""
    return (
        registry.load(content_dir / ENTITY_REGISTRY),
        registry.load(content_dir / TOPIC_REGISTRY),
    )


def _noise(article: Article, rules: entities.EditorRules) -> frozenset[str]:
    names = (*entities.WIRE_AGENCIES, *article.authors, article.source or "")
    return rules.blocked_keys | {entities.name_key(name) for name in names if name}


def enrich(
    articles: list[Article], *, content_dir: Path, cache_dir: Path, workers: int = 1
) -> list[Article]:
    """Fill summary, people, organizations, places and topics; grow content_dir/registry/.

    Reads the editors' files content_dir/entities.yml and content_dir/topics.yml when present.
    NER output is cached under cache_dir by text, so only new or changed texts reach the model;
    `workers` > 1 runs the model in that many processes.
    """
    lexicon = topics.load_lexicon(ner.choose_model().folder)
    entity_rules = entities.load_rules(content_dir / "entities.yml")
    topic_rules = topics.load_rules(content_dir / "topics.yml", lexicon)
    entity_entries, topic_entries = load_registries(content_dir)

    # one fixed order, so that nothing depends on the order articles came in
    order = sorted(range(len(articles)), key=lambda i: _sort_key(articles[i]))
    ordered = [articles[i] for i in order]
    docs = [ner_text(article) for article in ordered]
    results = ner.run_ner([doc.text for doc in docs], cache_dir=cache_dir, workers=workers)

    found, grown = _entities(ordered, docs, results, entity_rules, entity_entries)
    registry.write_atomic(content_dir / ENTITY_REGISTRY, registry.dump(grown))
    topic_keys, topic_forms = _topics(ordered, docs, results, found, lexicon, topic_rules)
    names, grown = _topic_names(topic_forms, topic_entries, lexicon)
    registry.write_atomic(content_dir / TOPIC_REGISTRY, registry.dump(grown))

    enriched = list(articles)
    for position, article, doc, result, ents, keys in zip(
        order, ordered, docs, results, found, topic_keys, strict=True
    ):
        by_type: dict[str, list[str]] = {kind: [] for kind in FIELDS}
        for entity in ents:
            by_type[entity.type].append(entity.name)
        enriched[position] = article.evolve(
            summary=summary.summarize(lead_sentences(doc, result)),
            topics=tuple(dict.fromkeys(names[key] for key in keys)),
            **{FIELDS[kind]: tuple(dict.fromkeys(names)) for kind, names in by_type.items()},
        )
    return enriched


def _sort_key(article: Article) -> tuple[str, str, str]:
    return (article.input_id, article.title, article.body_text)


def _entities(
    ordered: list[Article],
    docs: list[NerText],
    results: list[ner.NerResult],
    rules: entities.EditorRules,
    entries: list[registry.Entry],
) -> tuple[list[list[entities.Entity]], list[registry.Entry]]:
    """Per article its entities, most mentioned first (then first mentioned); the grown registry."""
    clusters = [
        entities.cluster_article(
            entities.mentions(doc.text, result.ents, _noise(article, rules), doc.title_end)
        )
        for article, doc, result in zip(ordered, docs, results, strict=True)
    ]
    corpus = entities.merge_corpus(clusters, rules, entries)
    found = [
        [corpus.entities[i] for i, _, _ in sorted(mentioned, key=lambda f: (-f[1], f[2], f[0]))]
        for mentioned in corpus.articles
    ]
    return found, corpus.registry


def _topics(
    ordered: list[Article],
    docs: list[NerText],
    results: list[ner.NerResult],
    article_entities: list[list[entities.Entity]],
    lexicon: topics.Lexicon,
    rules: topics.TopicRules,
) -> tuple[list[list[str]], dict[str, Counter]]:
    """Per article its topic keys (curated first), and every key's names with their counts."""
    found = []
    for doc, result, ents in zip(docs, results, article_entities, strict=True):
        words = frozenset(w for e in ents for f in e.forms for w in entities.name_words(f))
        # lower-case spans ("communist party") are left to topics
        spans = [(s, e) for s, e, _ in result.ents if not doc.text[s].islower()]
        found.append(
            topics.candidates(doc.text, spans, doc.title_end, doc.body_end, lexicon, words)
        )
    df = Counter(key for article in found for key in article.counts)
    names: dict[str, Counter] = {}
    chosen = []
    for article, doc, cands, ents in zip(ordered, docs, found, article_entities, strict=True):
        entity_keys = frozenset(entities.name_key(f) for e in ents for f in e.forms)
        keys = []
        for topic in rules.curated:
            text = doc.text[: doc.body_end]
            if topic.matches(text, entity_keys, article.section, entities.name_key):
                key = topics.topic_key(topic.name.casefold(), lexicon)
                names.setdefault(key, Counter())[topic.name] += 1 << 30  # the editor's name wins
                keys.append(key)
        for key in topics.choose(cands, df, len(found), rules.block):
            names.setdefault(key, Counter()).update(cands.forms[key])
            keys.append(key)
        chosen.append(list(dict.fromkeys(keys)))
    return chosen, names


def _topic_names(
    names: dict[str, Counter], entries: list[registry.Entry], lexicon: topics.Lexicon
) -> tuple[dict[str, str], list[registry.Entry]]:
    """Display name of each topic key (registered name, else the most used form) and the grown
    topic registry."""
    members: dict[str, list[int]] = {}
    for n, entry in enumerate(entries):
        for name in (entry.name, *entry.aliases):
            members.setdefault(topics.topic_key(name.casefold(), lexicon), []).append(n)
    keys = sorted(names)
    groups = []
    for key in keys:
        registered = sorted(set(members.get(key, ())))
        counts = names[key]
        current = entries[registered[0]].name if registered else None
        best = max(counts.values())
        name = current if current and counts.get(current, 0) * 2 >= best else None
        name = name or min(counts, key=lambda f: (-counts[f], f))
        groups.append(registry.Group(name, None, frozenset(counts) | {name}, tuple(registered)))
    grown, _ = registry.reconcile(entries, groups)
    return {key: group.name for key, group in zip(keys, groups, strict=True)}, grown
