"""The enrich stage: entities, topics and a summary for every article.

It is a map and a reduce, so that a large corpus streams through it: `analyse` keeps what the
corpus step needs of one article and its NER result (entity clusters, topic shortlist, summary;
not the body), and `CorpusEnricher.resolve` merges entities across the corpus, applies the
editors' files content/entities.yml and content/topics.yml, grows the registries in
content/registry/ and gives each article its summary, people, organizations, places and topics.
`enrich()` does both for a list of articles. The result does not depend on the order of the
articles.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from broadsheet.enrich import aliases, entities, kinds, ner, registry, subjects, summary, topics
from broadsheet.records import ENTITY_KINDS, Article

ENTITY_REGISTRY = Path("registry") / "entities.json"
TOPIC_REGISTRY = Path("registry") / "topics.json"
PHRASE_ABOUT = "Stories from several sources in which this phrase recurs."
TAG_ABOUT = "Stories their publishers tagged so."
CURATED_ABOUT = "A topic chosen by the editors."
# a short parenthesis closing a paragraph or caption is a credit: "(Yonhap)", "(AP Photo/Lee)"
CREDIT = re.compile(r"\s*\((?:[^()\s]+\s?){1,6}\)\s*$")
FIELDS = {kind.type: kind.key for kind in ENTITY_KINDS}  # type -> Article field
# the NER model, the subjects' cues and the topic lexicon are English: other languages get
# none of them (an article whose language is unknown is taken as English)
MODEL_LANGUAGES = frozenset({"en", None})


def uses_english_models(article: Article) -> bool:
    """Whether NER and topic phrases run on the article."""
    return article.lang in MODEL_LANGUAGES


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


@dataclass(frozen=True)
class Rules:
    """What analysing an article needs besides the article: loaded once per run."""

    lexicon: topics.Lexicon
    entities: entities.EditorRules
    topics: topics.TopicRules
    vocabulary: subjects.Vocabulary

    @classmethod
    def load(cls, content_dir: Path, model: subjects.Model | None = None) -> Rules:
        """The editors' files under content_dir, the word lists and the subjects (with the
        trained subjects' `model`, by default broadsheet/data/subject_model.json)."""
        lexicon = topics.load_lexicon(ner.choose_model().folder)
        return cls(
            lexicon,
            entities.load_rules(content_dir / "entities.yml"),
            topics.load_rules(content_dir / "topics.yml", lexicon),
            subjects.load_vocabulary(topics.singular(lexicon), model),
        )


@dataclass(frozen=True)
class Analysis:
    """What the corpus step needs of one article: no body."""

    input_id: str
    sort_key: tuple[str, str, str]  # one fixed order, whatever order articles come in
    section: str | None
    source: str | None
    summary: str | None
    subjects: tuple[str, ...]  # the subjects it is mostly about, best first
    tags: tuple[tuple[str, str], ...]  # its publisher's tags: (key, as written)
    clusters: list[entities.Cluster]
    shortlist: topics.Shortlist
    curated_text: tuple[bool, ...]  # per curated topic: whether its keywords rule holds
    topic_keys: frozenset[str]  # every candidate, for document frequency; dropped once counted


@dataclass(frozen=True)
class Enrichment:
    """The fields enrich fills in one article."""

    summary: str | None
    topics: tuple[str, ...]
    people: tuple[str, ...]
    organizations: tuple[str, ...]
    places: tuple[str, ...]

    def apply(self, article: Article) -> Article:
        return article.evolve(
            summary=self.summary,
            topics=self.topics,
            people=self.people,
            organizations=self.organizations,
            places=self.places,
        )


def noise_keys(article: Article, rules: entities.EditorRules) -> frozenset[str]:
    names = (*entities.WIRE_AGENCIES, *article.authors, article.source or "")
    return rules.blocked_keys | {entities.name_key(name) for name in names if name}


def article_clusters(
    doc: NerText,
    ents: Sequence[tuple[int, int, str]],
    noise: frozenset[str],
    keep: frozenset[str] = frozenset(),
    outlets: Sequence[str] = (),
) -> list[entities.Cluster]:
    """One article's entities, each with the kind model's votes when the model ships."""
    with_model = kinds.model() is not None
    groups, rows = entity_groups(doc, ents, noise, with_model, keep, outlets)
    if rows is None or not groups:
        return [entities.make_cluster(ms) for ms in groups]
    votes = kinds.with_cues(doc.text, groups, kinds.probabilities(rows))
    return [entities.make_cluster(ms, v) for ms, v in zip(groups, votes, strict=True)]


def entity_groups(
    doc: NerText,
    ents: Sequence[tuple[int, int, str]],
    noise: frozenset[str],
    with_model: bool,
    keep: frozenset[str] = frozenset(),
    outlets: Sequence[str] = (),
) -> tuple[list[list[entities.Mention]], list[list[float]] | None]:
    """One article's mentions grouped by entity and, `with_model`, each group's features for
    the kind model (which then also weighs title-only names and names NER missed in table rows
    and the dateline)."""
    if with_model:
        ents = [*ents, *kinds.candidates(doc.text, ents, doc.title_end)]
    found = entities.mentions(doc.text, ents, noise, doc.title_end, with_model, keep, outlets)
    groups = entities.group_mentions(found, doc.text)
    if not with_model:
        return groups, None
    shape = kinds.document_shape(doc.text)
    rows = [
        kinds.features(doc.text, ms, entities.cluster_forms(ms), doc.title_end, shape)
        for ms in groups
    ]
    return groups, rows


def analyse(article: Article, result: ner.NerResult, rules: Rules) -> Analysis:
    """One article's entity clusters, topic shortlist and summary, from its NER result."""
    doc = ner_text(article)
    english = uses_english_models(article)
    ents = result.ents if english else ()
    keep = rules.entities.named_keys
    outlets = (article.source,) if article.source else ()
    clusters = article_clusters(doc, ents, noise_keys(article, rules.entities), keep, outlets)
    name_words = frozenset(
        word
        for cluster in clusters
        for form, _ in cluster.forms
        for word in entities.name_words(form)
    )
    # lower-case spans ("communist party") are left to topics
    spans = [(s, e) for s, e, _ in ents if not doc.text[s].islower()]
    # cues and phrases would be noise in another language
    candidates = (
        topics.candidates(doc.text, spans, doc.title_end, doc.body_end, rules.lexicon, name_words)
        if english
        else topics.Candidates({}, {}, {}, {})
    )
    body = doc.text[: doc.body_end]
    vocabulary = rules.vocabulary
    found_subjects = (
        vocabulary.choose(vocabulary.evidence(article.title, body[doc.title_end :]))
        if english
        else []
    )
    tags = {}
    for tag in article.tags:
        key = topics.tag_key(tag, rules.lexicon)
        if key and not name_words.issuperset(entities.name_words(tag)):  # a name, not a subject
            tags.setdefault(key, tag)
    return Analysis(
        input_id=article.input_id,
        sort_key=(
            article.input_id,
            article.title,
            hashlib.sha256(article.body_text.encode()).hexdigest(),
        ),
        section=article.section,
        source=article.source,
        summary=summary.summarize(lead_sentences(doc, result)),
        subjects=tuple(found_subjects),
        tags=tuple(tags.items()),
        clusters=clusters,
        shortlist=topics.shortlist(candidates, rules.topics.block),
        curated_text=tuple(topic.matches_text(body) for topic in rules.topics.curated),
        topic_keys=frozenset(candidates.counts),
    )


class CorpusEnricher:
    """The reduce: add() each article's Analysis (its topic keys are tallied and dropped), then
    resolve() once for every article's Enrichment, by input_id."""

    def __init__(self, content_dir: Path, rules: Rules) -> None:
        self.content_dir = content_dir
        self.rules = rules
        self.analyses: list[Analysis] = []
        self.document_frequency: Counter = Counter()

    def add(self, analysis: Analysis) -> None:
        self.document_frequency.update(analysis.topic_keys)
        self.analyses.append(replace(analysis, topic_keys=frozenset()))

    def resolve(self) -> dict[str, Enrichment]:
        """Merge entities and choose topics across the corpus; grows the registries."""
        entity_entries, topic_entries = load_registries(self.content_dir)
        ordered = sorted(self.analyses, key=lambda analysis: analysis.sort_key)
        corpus = aliases.merge_corpus(
            [a.clusters for a in ordered], self.rules.entities, entity_entries
        )
        registry.save(self.content_dir / ENTITY_REGISTRY, corpus.registry)
        found = [
            [corpus.entities[i] for i, _, _ in sorted(mentioned, key=lambda f: (-f[1], f[2], f[0]))]
            for mentioned in corpus.articles
        ]
        topic_keys, topic_forms, about, folded = self._topics(ordered, found)
        names, grown = _topic_names(
            topic_forms, about, folded, topic_entries, self.rules.lexicon, self.rules.vocabulary
        )
        registry.save(self.content_dir / TOPIC_REGISTRY, grown)

        enrichments: dict[str, Enrichment] = {}
        for analysis, ents, keys in zip(ordered, found, topic_keys, strict=True):
            by_type: dict[str, list[str]] = {kind: [] for kind in FIELDS}
            for entity in ents:
                by_type[entity.type].append(entity.name)
            enrichments[analysis.input_id] = Enrichment(
                summary=analysis.summary,
                topics=tuple(dict.fromkeys(names[key] for key in keys)),
                **{FIELDS[kind]: tuple(dict.fromkeys(of)) for kind, of in by_type.items()},
            )
        return enrichments

    def _topics(
        self, ordered: list[Analysis], article_entities: list[list[entities.Entity]]
    ) -> tuple[
        list[list[str]], dict[str, Counter], dict[str, tuple[str, str | None]], dict[str, str]
    ]:
        """Per article its topic keys: curated, then subjects, tags and recurring phrases; every
        key's names with their counts; what each key covers (one line, IPTC qcode); and the
        phrase topics folded into another (folded -> kept)."""
        lexicon, rules, vocabulary = self.rules.lexicon, self.rules.topics, self.rules.vocabulary
        names: dict[str, Counter] = {}
        about: dict[str, tuple[str, str | None]] = {}
        n = len(ordered)
        phrases = [topics.choose(a.shortlist, self.document_frequency, n) for a in ordered]
        sources = [a.source for a in ordered]
        recurring = topics.recurring_phrases(phrases, sources)
        tags = topics.common_tags([[key for key, _ in a.tags] for a in ordered], sources)

        def add(key: str, name: str, weight: int, covers: tuple[str, str | None]) -> str:
            names.setdefault(key, Counter())[name] += weight
            about.setdefault(key, covers)
            return key

        chosen = []
        for analysis, ents, phrase_keys in zip(ordered, article_entities, phrases, strict=True):
            entity_keys = frozenset(entities.name_key(f) for e in ents for f in e.forms)
            keys = []
            for topic, text_matches in zip(rules.curated, analysis.curated_text, strict=True):
                if text_matches and topic.matches_rest(
                    entity_keys, analysis.section, entities.name_key
                ):
                    key = topics.topic_key(topic.name.casefold(), lexicon)  # the editor's wins:
                    keys.append(add(key, topic.name, 1 << 30, (topic.about or CURATED_ABOUT, None)))
            found = list(analysis.subjects)
            other_tags = []
            for key, tag in analysis.tags:  # a tag naming a subject is the publisher's evidence
                named = vocabulary.subjects_of_phrase(tag)
                if named and named[0] not in found:
                    found.append(named[0])
                elif not named and key in tags:
                    other_tags.append((key, tag))
            for name in found:
                subject = vocabulary.subjects[name]
                key = topics.topic_key(name.casefold(), lexicon)
                keys.append(add(key, name, 1 << 20, (subject.about, subject.iptc)))
            for key, tag in other_tags[: topics.MAX_TAGS]:
                keys.append(add(key, _capitalised(tag), 1, (TAG_ABOUT, None)))
            fresh = [  # a phrase that is a subject's cue ("air strikes") is that subject's
                key
                for key in phrase_keys
                if key in recurring and key not in keys and not vocabulary.subjects_of_phrase(key)
            ]
            for key in fresh[: topics.MAX_PHRASES]:
                for form, count in analysis.shortlist.forms[key].items():
                    add(key, _capitalised(form), count, (PHRASE_ABOUT, None))
                keys.append(key)
            keys = [key for key in dict.fromkeys(keys) if key not in rules.block]
            chosen.append(keys[: max(topics.MAX_TOPICS, len(rules.curated))])
        folded = _fold_duplicates(chosen, names, about)
        chosen = [list(dict.fromkeys(folded.get(key, key) for key in keys)) for keys in chosen]
        return chosen, names, about, folded


def _fold_duplicates(
    chosen: list[list[str]], names: dict[str, Counter], about: dict[str, tuple[str, str | None]]
) -> dict[str, str]:
    """Fold each phrase topic that duplicates a bigger one into it (topics.duplicates): its
    names become the bigger one's aliases, never its display name. Subjects, tags and curated
    topics are left alone, a narrower phrase beside them included. Returns folded -> kept."""
    pages: dict[str, set[int]] = {}
    for i, keys in enumerate(chosen):
        for key in keys:
            if about[key][0] == PHRASE_ABOUT:
                pages.setdefault(key, set()).add(i)
    folded = topics.duplicates(pages)
    for key, into in folded.items():
        for form in names.pop(key):
            names[into][form] += 0  # listed, and so an alias; never more used than its own
        del about[key]
    return folded


def _capitalised(name: str) -> str:
    """A phrase or tag as a heading: "travel ban" -> "Travel ban" (other letters as written)."""
    return name[:1].upper() + name[1:]


def enrich(
    articles: list[Article], *, content_dir: Path, cache_dir: Path, workers: int = 1
) -> list[Article]:
    """Fill summary, people, organizations, places and topics; grow content_dir/registry/.

    Reads the editors' files content_dir/entities.yml and content_dir/topics.yml when present.
    NER output is cached under cache_dir by text, so only new or changed texts reach the model;
    `workers` > 1 runs the model in that many processes.
    """
    rules = Rules.load(content_dir)
    results = ner.run_ner(
        [ner_text(article).text for article in articles], cache_dir=cache_dir, workers=workers
    )
    corpus = CorpusEnricher(content_dir, rules)
    for article, result in zip(articles, results, strict=True):
        corpus.add(analyse(article, result, rules))
    enrichments = corpus.resolve()
    return [enrichments[article.input_id].apply(article) for article in articles]


def _topic_names(
    names: dict[str, Counter],
    about: dict[str, tuple[str, str | None]],
    folded: dict[str, str],
    entries: list[registry.Entry],
    lexicon: topics.Lexicon,
    vocabulary: subjects.Vocabulary,
) -> tuple[dict[str, str], list[registry.Entry]]:
    """Display name of each topic key (registered name, else the most used form) and the grown
    topic registry. A registered topic that is `folded` into another (folded -> kept) merges
    into it, and one that no article has any more, and that names a subject or is one of its
    cues ("crude oil"), merges into that subject: their URLs redirect there."""
    members: dict[str, list[int]] = {}
    retired = []
    entries = list(entries)
    for n, entry in enumerate(entries):
        key_of = {}
        for name in (entry.name, *entry.aliases):
            key = topics.topic_key(name.casefold(), lexicon)
            key_of[name] = folded.get(key, key)
        live = [key for key in key_of.values() if key in names]
        if not live:
            retired.append(n)
            continue
        # one topic per entry, its name's first, without the names of another: a fold undone
        # later must give neither two topics one slug nor one topic's name to the other's page
        members.setdefault(live[0], []).append(n)
        own = tuple(a for a in entry.aliases if key_of[a] == live[0] or key_of[a] not in names)
        entries[n] = replace(entry, aliases=own)
    for n in retired:
        for subject in vocabulary.subjects_of_phrase(entries[n].name):
            key = topics.topic_key(subject.casefold(), lexicon)
            if key in names:
                members.setdefault(key, []).append(n)
                break
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
    grown, slugs = registry.reconcile(entries, groups)
    covers = {slug: about[key] for key, slug in zip(keys, slugs, strict=True)}
    grown = [
        replace(entry, about=covers[entry.slug][0], iptc=covers[entry.slug][1])
        if entry.slug in covers
        else entry
        for entry in grown
    ]
    return {key: group.name for key, group in zip(keys, groups, strict=True)}, grown
