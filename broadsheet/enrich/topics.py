"""Topic phrases ("nuclear negotiations"), publishers' tags and editors' curated topics.

An article's topics are first its subjects (broadsheet.enrich.subjects); the phrases and tags
here only add what the vocabulary has no subject for, and only when the corpus confirms that they
name a subject: a phrase that recurs across several sources, a tag that several articles carry.

Candidates are runs of lower-case words outside named entities, shaped (adjective|noun)* noun
according to the word lists of the spaCy model's rule lemmatizer (no tagger is run: it would cost
40% more than NER). Each article keeps the phrases it repeats (or has in its title), ranked by
C-value (a phrase's count less what longer phrases around it account for) and by how rare they
are across the corpus; a phrase inside a chosen one is dropped.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.lookups import Lookups

from broadsheet.enrich.entities import TITLES, WORDS

MAX_TOPICS = 5
MAX_WORDS = 3
MAX_PHRASES = 2  # phrase topics per article, after its subjects and tags
MAX_TAGS = 2  # tag topics per article
MIN_PHRASE_SOURCES = 3  # a phrase topic recurs in articles of this many sources
MIN_TAG_ARTICLES = 2  # a tag topic is carried by this many articles
# a phrase topic one word away from a bigger one folds into it when this share of its articles,
# and two at least (one could be chance: "car dealership", "car bomb"), have the bigger one too
FOLD_SHARE = 0.5
# a tag on more than this share of a source's articles (when it has 10 or more) files them for
# navigation ("News", "Politics"): not a topic
MAX_TAG_SHARE = 0.3
GENERIC = frozenset(WORDS["topic_generic"])
VAGUE = GENERIC | frozenset(WORDS["topic_vague"]) | frozenset(WORDS["topic_table_words"])
BOILERPLATE = frozenset(WORDS["topic_boilerplate"])
NOT_HEADS = frozenset(WORDS["topic_not_heads"])
NAVIGATION_TAGS = frozenset(WORDS["tag_navigation"])
# runs of lower-case words separated by spaces only (punctuation and capitals end a run)
RUN = re.compile(r"(?<![\w'-])[a-z][a-z'-]*(?!\w)(?:[ \t]+[a-z][a-z'-]*(?!\w))*")
WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class WordClass:
    noun: bool
    modifier: bool  # an adjective or a noun: may stand before a phrase's last noun
    plain_noun: bool  # a noun that is not also an adjective ("relations", not "special")
    verb: bool  # a form of a verb that is not a noun ("stressed", "signs")
    singular: str  # the noun's singular form (the word itself when not a noun)


@dataclass(frozen=True, repr=False)
class Lexicon:
    """Nouns and adjectives from the rule lemmatizer's tables (WordNet); unknown words count as
    nouns, so a model without them degrades to 'every lower-case word run'."""

    nouns: frozenset[str]
    adjectives: frozenset[str]
    verbs: frozenset[str]
    adverbs: frozenset[str]
    rules: dict[str, tuple[tuple[str, str], ...]]  # part of speech -> suffix rules
    noun_exceptions: frozenset[str]
    memo: dict[str, WordClass] = field(default_factory=dict, compare=False, repr=False)

    def _base(self, word: str, pos: str, index: frozenset[str]) -> str | None:
        for old, new in self.rules.get(pos, ()):
            if word.endswith(old) and (base := word[: len(word) - len(old)] + new) in index:
                return base
        return None

    def classify(self, word: str) -> WordClass:
        found = self.memo.get(word)
        if found is None:
            found = self.memo[word] = self._classify(word)
        return found

    def _classify(self, word: str) -> WordClass:
        if word in self.nouns or word in self.noun_exceptions:  # irregular plurals kept as is
            singular = word
        else:
            singular = self._base(word, "noun", self.nouns)
        verb = word in self.verbs or self._base(word, "verb", self.verbs) is not None
        known = singular is not None or word in self.adjectives or word in self.adverbs or verb
        noun = singular is not None or not known
        adjective = word in self.adjectives
        return WordClass(
            noun, noun or adjective, noun and not adjective, verb and not noun, singular or word
        )


def load_lexicon(model_folder: Path) -> Lexicon:
    """Read the lemmatizer tables of a spaCy model folder (empty lists when it has none)."""
    lookups = Lookups()
    folder = model_folder / "lemmatizer" / "lookups"
    if (folder / "lookups.bin").is_file():
        lookups.from_disk(folder)
    if not lookups.has_table("lemma_index"):
        return Lexicon(*[frozenset()] * 4, {}, frozenset())
    index = lookups.get_table("lemma_index")
    exceptions = lookups.get_table("lemma_exc")
    rules = lookups.get_table("lemma_rules")
    return Lexicon(
        nouns=frozenset(index["noun"]),
        adjectives=frozenset(index["adj"]),
        verbs=frozenset(index["verb"]) | frozenset(exceptions["verb"]),
        adverbs=frozenset(index["adv"]),
        rules={pos: tuple(tuple(rule) for rule in rules[pos]) for pos in ("noun", "verb")},
        noun_exceptions=frozenset(exceptions["noun"]),
    )


def _runs(
    text: str, spans: Sequence[tuple[int, int]], start: int, end: int, lexicon: Lexicon
) -> list[list[str]]:
    """Runs of lower-case content words in text[start:end], broken by punctuation, stop words
    and entity `spans` (sorted). A verb right after a name ("Kim stressed") is left out."""
    starts = [s for s, _ in spans]
    runs = []
    for match in RUN.finditer(text, start, end):
        # entity spans that reach into this run (rare: names are capitalised)
        low = max(0, bisect.bisect_right(starts, match.start()) - 8)
        high = bisect.bisect_left(starts, match.end())
        inside = [(s, e) for s, e in spans[low:high] if e > match.start()]
        after_name = text[match.start() - 2 : match.start() - 1].isalnum()
        run: list[str] = []
        for word in WORD.finditer(match.group()):
            at, value = match.start() + word.start(), word.group()
            verb = after_name and word.start() == 0 and lexicon.classify(value).verb
            if (
                verb
                or value in STOP_WORDS
                or any(s < at + len(value) and e > at for s, e in inside)
            ):
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(value)
        if run:
            runs.append(run)
    return runs


def phrases(
    text: str, spans: Sequence[tuple[int, int]], lexicon: Lexicon, start: int = 0, end: int = -1
) -> Counter:
    """Candidate topic phrases in text[start:end] (entity `spans`, sorted, excluded) and their
    counts."""
    found: Counter = Counter()
    for run in _runs(text, spans, start, len(text) if end < 0 else end, lexicon):
        segment: list[str] = []
        for word in [*run, ""]:
            if word and "'" not in word and lexicon.classify(word).modifier:
                segment.append(word)
                continue
            for last, head in enumerate(segment):
                if not lexicon.classify(head).noun:
                    continue
                for first in range(max(0, last - MAX_WORDS + 1), last + 1):
                    if segment[first] not in GENERIC and (first < last or len(head) > 3):
                        found[" ".join(segment[first : last + 1])] += 1
            segment = []
    return found


def singular(lexicon: Lexicon):
    """word -> its singular form when it is a plural noun (the word itself otherwise)."""
    return lambda word: lexicon.classify(word).singular


def topic_key(phrase: str, lexicon: Lexicon) -> str:
    """Singular and plural share a key: "nuclear negotiation(s)"."""
    *head, last = phrase.split(" ")
    return " ".join([*head, lexicon.classify(last).singular])


@dataclass(frozen=True)
class Candidates:
    """One article's candidate phrases by key: (count, count in the title, surface forms)."""

    counts: dict[str, int]
    title_counts: dict[str, int]
    forms: dict[str, Counter]
    # for a phrase inside longer candidates: (their total count, how many they are)
    nested: dict[str, tuple[int, int]]

    def termhood(self, key: str) -> float:
        """C-value: frequency, less what longer phrases around it account for, times length."""
        inside, containers = self.nested.get(key, (0, 0))
        independent = self.counts[key] - (inside / containers if containers else 0)
        return math.log2(key.count(" ") + 2) * independent


def candidates(
    text: str,
    spans: Sequence[tuple[int, int]],
    title_end: int,
    body_end: int,
    lexicon: Lexicon,
    name_words: frozenset[str],
) -> Candidates:
    """Topic candidates of an article whose title is text[:title_end] and body runs to body_end;
    `spans` are its entities, `name_words` the words of their names (no topic may hold one)."""
    counts: Counter = Counter()
    title_counts: Counter = Counter()
    forms: dict[str, Counter] = {}
    for start, end in ((0, title_end), (title_end, body_end)):
        for phrase, n in phrases(text, spans, lexicon, start, end).items():
            words = phrase.split(" ")
            if phrase in BOILERPLATE or name_words.intersection(words):
                continue
            if len(words) == 1 and not lexicon.classify(phrase).plain_noun:
                continue
            key = topic_key(phrase, lexicon)
            counts[key] += n
            forms.setdefault(key, Counter())[phrase] += n
            if start == 0:
                title_counts[key] += n
    nested: dict[str, list[int]] = {}
    for key, n in counts.items():
        words = key.split(" ")
        subs = {
            topic_key(" ".join(words[i:j]), lexicon)
            for i in range(len(words))
            for j in range(i + 1, len(words) + 1)
            if j - i < len(words)
        }
        for sub in subs & counts.keys():
            total = nested.setdefault(sub, [0, 0])
            total[0] += n
            total[1] += 1
    return Candidates(
        dict(counts), dict(title_counts), forms, {k: (v[0], v[1]) for k, v in nested.items()}
    )


@dataclass(frozen=True)
class Shortlist:
    """The candidates an article could keep as topics, whatever the rest of the corpus holds:
    (key, weight, one word?) best first, and the surface forms of those keys."""

    scored: tuple[tuple[str, float, bool], ...]
    forms: dict[str, Counter]


def shortlist(article: Candidates, blocked: frozenset[str]) -> Shortlist:
    """Phrases of several words before single words; each in the body, and repeated or in the
    title."""
    scored = []
    for key, count in article.counts.items():
        in_body = count - article.title_counts.get(key, 0)
        bonus = 2 * (key in article.title_counts)
        single = " " not in key
        if in_body < 1 or count + bonus < 2 + single or key in blocked:
            continue
        scored.append((key, article.termhood(key) + bonus, single))
    return Shortlist(tuple(scored), {key: article.forms[key] for key, _, _ in scored})


def choose(article: Shortlist, df: Counter, n_articles: int) -> list[str]:
    """The article's topic keys, best first: the shortlisted phrases that are rare across the
    corpus (`df`: in how many of the `n_articles` each key is a candidate)."""
    ranked = []
    for key, weight, single in article.scored:
        if n_articles >= 50 and df[key] > n_articles / 20:
            continue  # in more than 1 article in 20: routine, not a topic
        idf = math.log((n_articles + 1) / (df[key] + 1)) + 1
        ranked.append((single, -weight * idf, key))
    chosen: list[str] = []
    for _, _, key in sorted(ranked):
        words = f" {key} "
        if any(words in f" {c} " or f" {c} " in words for c in chosen):
            continue
        chosen.append(key)
        if len(chosen) == MAX_TOPICS:
            break
    return chosen


def reads_as_subject(key: str) -> bool:
    """A recurring phrase names a subject when it has several words, none of them vague,
    generic, a table's abbreviation, a number or a letter, and does not end in a role or in a
    word naming a body, a person, a place or a speech act ("travel ban", not "last week", "vs
    loss", "prime minister", "transition team" or "town hall")."""
    words = key.split(" ")
    return (
        len(words) > 1
        and words[-1] not in TITLES
        and words[-1] not in NOT_HEADS
        and not any(
            word in VAGUE or len(word) < 2 or any(c.isdigit() for c in word) for word in words
        )
    )


def recurring_phrases(chosen: Sequence[Sequence[str]], sources: Sequence[str | None]) -> set[str]:
    """The phrase keys, among those chosen for each article, that articles of at least
    MIN_PHRASE_SOURCES sources share and that read as subjects."""
    seen: dict[str, set[str | None]] = {}
    for keys, source in zip(chosen, sources, strict=True):
        for key in keys:
            seen.setdefault(key, set()).add(source)
    return {
        key
        for key, where in seen.items()
        if len(where - {None}) >= MIN_PHRASE_SOURCES and reads_as_subject(key)
    }


def same_subject(small: str, small_articles: Set[int], big: str, big_articles: Set[int]) -> bool:
    """Whether phrase topic `small` names what the bigger `big` does, so that a reader would
    want one page: one key inside the other ("missile defense" and "missile defense system",
    never both on one article), or keys that differ in one word and half of whose articles
    the bigger has ("civilian deaths" and "civilian casualties"). A one-word key is a
    subject of its own, broader than the phrases holding it ("tariffs", "steel tariffs")."""
    words, big_words = small.split(" "), big.split(" ")
    if min(len(words), len(big_words)) < 2:
        return False
    if f" {small} " in f" {big} " or f" {big} " in f" {small} ":
        return True
    return (
        len(words) == len(big_words)
        and sum(a != b for a, b in zip(words, big_words, strict=True)) == 1
        and len(small_articles & big_articles) >= max(2, FOLD_SHARE * len(small_articles))
    )


def duplicates(pages: Mapping[str, Set[int]]) -> dict[str, str]:
    """The phrase topics (key -> its articles) that duplicate a bigger one, each mapped to the
    one it folds into. Biggest first (ties by key), so that a topic folds only into one that
    stays."""
    kept: dict[str, list[str]] = {}  # word -> the kept topics with it
    folded = {}
    for key in sorted(pages, key=lambda k: (-len(pages[k]), k)):
        near = {big for word in key.split(" ") for big in kept.get(word, ())}
        articles = pages[key]
        into = next(
            (
                big
                for big in sorted(near, key=lambda k: (-len(pages[k]), k))
                if same_subject(key, articles, big, pages[big])
            ),
            None,
        )
        if into is None:
            for word in key.split(" "):
                kept.setdefault(word, []).append(key)
        else:
            folded[key] = into
    return folded


def tag_key(tag: str, lexicon: Lexicon) -> str | None:
    """The key of a publisher's tag, or None when it cannot be a topic: a navigation tag, a code
    ("textaboveleftsmall", "digital_syndication"), a tag of more than four words."""
    text = " ".join(tag.split()).casefold()
    words = text.split(" ")
    if (
        not text
        or text in NAVIGATION_TAGS
        or len(words) > 4
        or not re.fullmatch(r"[^\W\d_](?:[\w'&.-]*[^\W_])?(?: [^\W\d_][\w'&.-]*)*", text)
        or (len(words) == 1 and len(text) > 15)
    ):
        return None
    return topic_key(text, lexicon)


def common_tags(
    tags: Sequence[Sequence[str]],
    sources: Sequence[str | None],
    min_articles: int = MIN_TAG_ARTICLES,
) -> set[str]:
    """The tag keys carried by at least `min_articles` articles, less those that a source puts
    on most of its articles."""
    articles: Counter = Counter()
    per_source: Counter = Counter()
    source_size: Counter = Counter(sources)
    for keys, source in zip(tags, sources, strict=True):
        articles.update(set(keys))
        per_source.update((source, key) for key in set(keys))
    navigation = {
        key
        for (source, key), n in per_source.items()
        if source_size[source] >= 10 and n > MAX_TAG_SHARE * source_size[source]
    }
    return {key for key, n in articles.items() if n >= min_articles} - navigation


# --- curated topics (content/topics.yml) -------------------------------------------------------


class TopicsFileError(ValueError):
    """content/topics.yml cannot be used."""


@dataclass(frozen=True)
class CuratedTopic:
    """A topic an editor defined: it applies when every rule given matches (any value of a rule)."""

    name: str
    keywords: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    about: str | None = None  # what it covers, in one line, for its page

    def matches(self, text: str, entity_keys: frozenset[str], section: str | None, fold) -> bool:
        return self.matches_text(text) and self.matches_rest(entity_keys, section, fold)

    def matches_text(self, text: str) -> bool:
        """The keywords rule alone: it is all that needs the article's text."""
        return not self.keywords or any(
            re.search(rf"(?<!\w){re.escape(k)}(?!\w)", text, re.IGNORECASE) for k in self.keywords
        )

    def matches_rest(self, entity_keys: frozenset[str], section: str | None, fold) -> bool:
        """The entities and sections rules."""
        if self.entities and not entity_keys.intersection(fold(e) for e in self.entities):
            return False
        return not self.sections or (section or "").casefold() in {
            s.casefold() for s in self.sections
        }


@dataclass(frozen=True)
class TopicRules:
    curated: tuple[CuratedTopic, ...] = ()
    block: frozenset[str] = frozenset()


def load_rules(path: Path, lexicon: Lexicon) -> TopicRules:
    """Read content/topics.yml (absent -> no rules). Format: see the README."""
    if not path.is_file():
        return TopicRules()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        curated = []
        for item in data.get("topics") or ():
            rules = {
                k: tuple(map(str, item.get(k) or ())) for k in ("keywords", "entities", "sections")
            }
            if not any(rules.values()):
                raise ValueError(f"topic {item['name']!r} needs keywords, entities or sections")
            about = str(item["about"]) if item.get("about") else None
            curated.append(CuratedTopic(str(item["name"]), **rules, about=about))
        block = frozenset(topic_key(str(p).casefold(), lexicon) for p in data.get("block") or ())
        return TopicRules(tuple(curated), block)
    except (yaml.YAMLError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise TopicsFileError(
            f"{path}: {error}. Expected `topics:` (a list of {{name, keywords, entities, "
            "sections, about}}) and `block:` (a list of phrases, subjects or tags)"
        ) from error
