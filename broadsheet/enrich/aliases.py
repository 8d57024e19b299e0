"""Aliases: which article clusters are one entity across the corpus.

`merge_corpus()` links clusters by their names, an editor's alias, a default alias or a country's
official names, then joins what the corpus votes on: an acronym to the full name stories join it
to (ISIS -> Islamic State), a first word to the organisation it starts (Amnesty -> Amnesty
International), a one-word person to the full name of that word (Trump -> Donald Trump), a
first name romanised two ways (Alexei, Alexey Navalny), a headline's capitals to the name the
bodies use; each entity's name and kind come from all its clusters, and the registry keeps the
slugs.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from broadsheet.enrich import kinds, registry
from broadsheet.enrich.entities import (
    _ACRONYM_FORM,
    DEFAULT_ALIASES,
    NAMES_KEPT,
    NO_KIND,
    ORGANIZATION,
    PERSON,
    PLACE,
    TYPES,
    VOTE_KINDS,
    Cluster,
    CorpusEntities,
    EditorEntry,
    EditorRules,
    Entity,
    _national_forms,
    _subsequence,
    _Union,
    display_name,
    is_full,
    may_start_a_name,
    name_key,
    name_words,
)
from broadsheet.extract.bylines import first_name, first_name_in


def merge_corpus(
    articles: Sequence[Sequence[Cluster]], rules: EditorRules, entries: Sequence[registry.Entry]
) -> CorpusEntities:
    """Merge article clusters into corpus entities and grow the registry."""
    union = _Union()
    # nodes: ("c", n) clusters, ("e", n) editor entries, ("r", n) registry entries, ("k", key) names
    flat = [c for clusters in articles for c in clusters]
    # each cluster's kind, worked out once: the steps below ask it of every cluster again
    is_person = [_a_person(c) for c in flat]
    kind_of = [_kind_of(c) for c in flat]

    def link(node, names: Iterable[str], kind: str | None) -> None:
        for name in names:
            # a one-word person (Georgia, Kim) is kept apart from places and organisations of
            # that name; _resolve_one_word_people finds the full name it stands for
            space = "s" if kind == PERSON and not is_full(name) else "k"
            union.union(node, (space, name_key(name)))

    shorts = _one_word_people(flat, is_person, kind_of)
    votes: dict[str, Counter] = defaultdict(Counter)  # acronym key -> full name keys it joined
    for n, cluster in enumerate(flat):
        if cluster.headline:
            continue  # joins below what the rest of the corpus names, or nothing
        names, acronym_of = _split_acronyms(cluster)
        link(("c", n), names, PERSON if shorts[n] else None)
        if not is_person[n]:
            for name in filter(is_full, names):
                union.union(("c", n), ("v", _adjective_key(name)))
        for acronym, full in acronym_of:
            votes[acronym][full] += 1
    for n, entry in enumerate(rules.entries):
        link(("e", n), (entry.name, *entry.aliases), entry.type)
    for name, aliases in DEFAULT_ALIASES.items():
        link(("d", name), (name, *aliases), None)
    for name, aliases in country_names():  # these name no page: the corpus's names do
        link(("g", name), (name, *aliases), None)
    fixed = {
        name_key(name)
        for entry in (
            *rules.entries,
            *(EditorEntry(n, None, a) for n, a in DEFAULT_ALIASES.items()),
        )
        for name in (entry.name, *entry.aliases)
    }
    # votes go to the entity a full name is part of: ISIS joined to "Islamic State" in some
    # stories and to "Islamic State of Iraq" in others votes twice for one thing
    by_entity = {
        acronym: _sum_by(counts, lambda full: union.find(("k", full)))
        for acronym, counts in votes.items()
    }
    for acronym, root in _voted_acronyms(by_entity, fixed):
        union.union(("k", acronym), root)
    person_words = _person_words(flat, shorts, is_person)
    for word, root in _voted_first_words(flat, union, fixed | person_words, is_person, kind_of):
        union.union(("k", word), root)
        if ("s", word) in union.parent:  # "Salomon", a person to NER whom no full name has
            union.union(("s", word), root)
    for one, other in _romanised_alike(flat, shorts, is_person):
        union.union(("k", one), ("k", other))
    ambiguous = _resolve_one_word_people(flat, shorts, union, is_person)
    ambiguous |= _join_headline_names(flat, union)

    # each kept cluster's entity: None for those left out
    roots = [None if n in ambiguous else union.find(("c", n)) for n in range(len(flat))]
    members: dict = defaultdict(lambda: {"c": [], "e": [], "r": [], "d": []})
    for n, root in enumerate(roots):
        if root is not None:
            members[root]["c"].append(n)
    for space, numbers in (("e", range(len(rules.entries))), ("d", DEFAULT_ALIASES)):
        for n in numbers:
            members[union.find((space, n))][space].append(n)
    groups, group_roots = [], []
    for root, parts in members.items():
        if not parts["c"]:
            continue
        group = _group(parts, flat, rules, entries)
        if group.type == NO_KIND:
            continue  # the kind vote says it is no person, organisation or place: no page
        groups.append(group)
        group_roots.append(root)
    groups = _with_registry(groups, group_roots, entries, union)
    order = sorted(range(len(groups)), key=lambda i: (name_key(groups[i].name), groups[i].name))
    grown, slugs = registry.reconcile(entries, [groups[i] for i in order])
    index = {group_roots[i]: pos for pos, i in enumerate(order)}
    entities = [
        Entity(groups[i].name, groups[i].type or PERSON, slug, groups[i].forms)
        for i, slug in zip(order, slugs, strict=True)
    ]
    result = CorpusEntities(entities, grown)
    n = 0
    for clusters in articles:
        mentions: Counter = Counter()
        first: dict[int, int] = {}
        for cluster in clusters:
            pos = index.get(roots[n])
            if pos is not None:
                mentions[pos] += cluster.mentions
                first[pos] = min(first.get(pos, cluster.first), cluster.first)
            n += 1
        result.articles.append([(pos, mentions[pos], first[pos]) for pos in mentions])
    return result


# gender-guesser's countries whose people's names English writes romanised from another script
# (Cyrillic, Arabic, Armenian, Georgian, Hebrew, Greek), the former Soviet ones among them
ROMANISED_COUNTRIES = (
    *("russia", "belarus", "ukraine", "moldova", "the_stans", "armenia", "azerbaijan"),
    *("georgia", "bulgaria", "macedonia", "serbia", "arabia", "israel", "greece"),
)
# how the romanisations of one first name differ, each difference written one way: Mohammed,
# Mohamed, Muhammad; Aleksandr, Alexander; Maksim, Maxim; Yevgeny, Evgeny; Natalya, Natalia;
# Kseniya, Ksenia; Alexei, Alexey; Dmitri, Dmitry, Dmitriy, Dmitrii
ROMANISED_VARIANTS = (
    (re.compile(r"^m[ou]hh?[ae]mm?[ae]d$"), "muhammad"),
    (re.compile(r"ks"), "x"),
    (re.compile(r"andr$"), "ander"),
    (re.compile(r"^ye"), "e"),
    (re.compile(r"(?<=[^aeiou])y(?=[aeiou])"), "i"),
    (re.compile(r"iya$"), "ia"),
    (re.compile(r"(?:iy|ii|y)$"), "i"),
)


@functools.lru_cache(maxsize=NAMES_KEPT)
def romanised_key(word: str) -> str | None:
    """One key for the ways of romanising a first name (a folded word): Alexei and Alexey share
    it. None for a word that is no first name of ROMANISED_COUNTRIES: Tony and Terry are names
    of their own beside Toni and Terri, not two ways of writing one."""
    if not first_name_in(word, ROMANISED_COUNTRIES):
        return None
    for pattern, written in ROMANISED_VARIANTS:
        word = pattern.sub(written, word)
    return word


def _romanised_alike(
    flat: Sequence[Cluster], shorts: Sequence[bool], is_person: Sequence[bool]
) -> list[tuple[str, str]]:
    """Pairs of name keys of the corpus's full names of people that are one name romanised two
    ways: the same words after first names that share a romanised_key (Alexei Navalny, Alexey
    Navalny; Mohamed Morsi, Mohammed Morsi), ending in a surname that is no first name: with one
    that is (Ismail, Hanif, Ali: a father's name) the commonest first names name many people,
    a Somali fisherman Mohamed Ismail and an Afghan photographer Mohammad Ismail."""
    spelt: dict[tuple, set[str]] = defaultdict(set)  # (first name's key, other words) -> keys
    for n, cluster in enumerate(flat):
        if shorts[n] or cluster.headline or not is_person[n]:
            continue
        for form, _ in cluster.forms:
            words = name_words(form)
            if (
                len(words) > 1
                and is_full(form)
                and (key := romanised_key(words[0]))
                and not first_name(words[-1])
            ):
                spelt[key, words[1:]].add(name_key(form))
    return [(min(keys), key) for keys in spelt.values() for key in sorted(keys)[1:]]


def _adjective_key(name: str) -> str:
    """A full name's words with each long adjective in -ic written as the noun it comes from:
    the Christian Democratic Union and the Christian Democrat Union share it."""
    return " ".join(w[:-2] if w.endswith("ic") and len(w) >= 8 else w for w in name_words(name))


# before 1990 the Federal Republic of Germany was West Germany, not the Germany of today
NOT_COUNTRY_ALIASES = frozenset(["Federal Republic of Germany"])


@functools.cache
def country_names() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each country's short name and its official names (pycountry): China, (People's
    Republic of China,); names with a comma ("Korea, Republic of") are no one's way of writing."""
    import pycountry

    found = []
    for country in pycountry.countries:
        name = getattr(country, "common_name", None) or country.name
        others = {getattr(country, "official_name", None), country.name} - {None, name}
        aliases = sorted(a for a in others if "," not in a and a not in NOT_COUNTRY_ALIASES)
        if aliases and "," not in name:
            found.append((name, tuple(aliases)))
    return tuple(found)


def _split_acronyms(cluster: Cluster) -> tuple[list[str], list[tuple[str, str]]]:
    """A cluster's names to link it by, and (acronym key, full name key) for each acronym
    it holds beside a full name: one article's say that they are one thing, which the corpus
    then votes on (an article that glued "EU" to "Eastern Ukraine" does not merge the two)."""
    forms = [form for form, _ in cluster.forms]
    full = [(count, form) for form, count in cluster.forms if is_full(form)]
    if not full:
        return forms, []
    main = name_key(max(full, key=lambda cf: (cf[0], -len(cf[1]), cf[1]))[1])
    acronyms = [f for f in forms if not is_full(f) and _ACRONYM_FORM.fullmatch(f)]
    names = [f for f in forms if f not in acronyms and f not in cluster.first_words]
    return names, [(name_key(a), main) for a in acronyms]


def _sum_by(counts: Counter, key) -> Counter:
    summed: Counter = Counter()
    for item, count in counts.items():
        summed[key(item)] += count
    return summed


MIN_ACRONYM_VOTES = (
    2  # stories that join a two-letter acronym to a full name before the corpus does
)


def _voted_acronyms(votes: dict[str, Counter], fixed: set[str]) -> list[tuple[str, object]]:
    """(acronym key, entity) pairs the corpus agrees on: the entity's full names joined to the
    acronym in at least MIN_ACRONYM_VOTES stories and in 2/3 of the stories joining it to any
    full name. An acronym the editors or the default aliases name keeps their meaning."""
    agreed = []
    for acronym in sorted(votes):
        if acronym in fixed:
            continue
        counts = votes[acronym]
        entity, top = min(counts.items(), key=lambda ec: (-ec[1], str(ec[0])))
        needed = MIN_ACRONYM_VOTES if len(acronym) < 3 else 1  # NASA: one story says enough
        if top >= needed and top * 3 >= sum(counts.values()) * 2:
            agreed.append((acronym, entity))
    return agreed


def _person_words(
    flat: Sequence[Cluster], shorts: Sequence[bool], is_person: Sequence[bool]
) -> set[str]:
    """The words of the corpus's full names of people, those most of whose stories name a
    person (not Salomon Brothers, a person in one story of seven): one alone may be a surname."""
    person: Counter = Counter()  # full name's words -> stories naming a person by it, less others
    for n, cluster in enumerate(flat):
        if shorts[n] or cluster.headline:
            continue
        for form in {name_words(form) for form, _ in cluster.forms if is_full(form)}:
            person[form] += 1 if is_person[n] else -1
    return {word for words, n in person.items() if n >= 0 for word in words}


def _voted_first_words(
    flat: Sequence[Cluster],
    union: _Union,
    fixed: set[str],
    is_person: Sequence[bool],
    kind_of: Sequence[str],
) -> list[tuple[str, object]]:
    """(one-word key, entity) pairs the corpus agrees on: a one-word name (Amnesty) is the
    entity whose full name starts with it (Amnesty International) when stories name the two
    together in at least MIN_ACRONYM_VOTES stories and 2/3 of the stories joining the word
    to any full name, and that entity has 2/3 of the stories naming an organisation by a full
    name starting with that word (no rival: not Google for Google Maps beside Google Play).
    A word that is elsewhere a person alone (Trump), or that editors or default aliases name,
    is left as it is."""
    votes: dict[str, Counter] = defaultdict(Counter)  # word key -> full name keys it joined
    for n, cluster in enumerate(flat):
        if is_person[n]:
            continue
        for word in cluster.first_words:
            starting = [
                (n, f)
                for f, n in cluster.forms
                if is_full(f) and name_words(f)[:1] == name_words(word)
            ]
            if starting and not cluster.headline:
                votes[name_key(word)][name_key(max(starting)[1])] += 1
    # a one-word organisation no story names beside a full name it starts (Salomon, Salomon
    # Brothers): the corpus's stories of full names starting with it decide alone
    lone = {
        name_key(cluster.forms[0][0])
        for cluster, kind in zip(flat, kind_of, strict=True)
        if len(cluster.forms) == 1
        and not cluster.headline
        and kind == ORGANIZATION
        and not is_full(cluster.forms[0][0])
        and may_start_a_name(cluster.forms[0][0])
    }
    if not votes and not lone:
        return []
    candidates = lone | votes.keys()
    words = {name_words(word)[0]: word for word in sorted(candidates)}
    rivals: dict[str, Counter] = defaultdict(Counter)  # word -> entities of full names with it
    alone: dict[str, Counter] = defaultdict(Counter)  # word key -> kinds of it named alone
    called: dict[str, Counter] = defaultdict(Counter)  # word key -> entities stories call by it
    # word key -> entity -> last words of its full names starting with the word (Court, Party)
    heads: dict[str, dict[object, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for n, cluster in enumerate(flat):
        if cluster.headline:
            continue
        if len(cluster.forms) == 1 and (key := name_key(cluster.forms[0][0])) in candidates:
            alone[key][kind_of[n]] += 1
        for key in {name_key(f) for f, _ in cluster.forms if len(cluster.forms) > 1} & candidates:
            called[key][union.find(("c", n))] += 1  # Labor in a story of the Labor Department
        if is_person[n]:
            continue
        firsts = {name_words(f)[0] for f, _ in cluster.forms if is_full(f)}
        for first in firsts & words.keys():
            rivals[words[first]][union.find(("c", n))] += 1
            heads[words[first]][union.find(("c", n))].update(
                name_words(f)[-1] for f, _ in cluster.forms if name_words(f)[:1] == (first,)
            )
    agreed = []
    for word in sorted(candidates):
        if word in fixed:
            continue
        counts = _sum_by(votes.get(word, Counter()), lambda full: union.find(("k", full)))
        kind = alone[word]
        if not counts:  # no story's say: the one organisation of most full names, named alone
            if not rivals[word] or kind[ORGANIZATION] * 2 <= kind.total():
                continue
            counts = Counter({min(rivals[word].items(), key=lambda ec: (-ec[1], str(ec[0])))[0]: 0})
        entity, top = min(counts.items(), key=lambda ec: (-ec[1], str(ec[0])))
        named = _rivals(rivals[word], entity, called[word], heads[word])
        if (
            (top >= MIN_ACRONYM_VOTES or named[entity] >= MIN_FIRST_WORD_STORIES)
            and top * 3 >= counts.total() * 2
            and named[entity] * 3 >= named.total() * 2
            and kind[PLACE] * 2 <= kind.total()  # Sussex alone is a place, Sussex Police not
        ):
            agreed.append((word, entity))
    return agreed


def _rivals(named: Counter, entity, called: Counter, heads: dict[object, Counter]) -> Counter:
    """The entities that rival the one a word's stories join it to: those whose full names
    start with the word, but not one that no story calls by the word and whose name ends in
    another generic word of organisations (the Labour Court beside the Labour Party: Labour is
    the party); and those stories call by the word (Labor for the US Labor Department)."""

    def head(of) -> str:
        return heads[of].most_common(1)[0][0] if heads[of] else ""

    return called | Counter(
        {
            other: n
            for other, n in named.items()
            if other == entity
            or other in called
            or head(other) not in kinds.ORG_WORDS
            or head(other) == head(entity)
        }
    )


# stories naming an organisation in full that one story joining its first word to it needs
MIN_FIRST_WORD_STORIES = 3


def _kind_of(cluster: Cluster) -> str:
    """A cluster's kind: the kind model's vote where it ran, else NER's."""
    if cluster.votes:
        return VOTE_KINDS[_top_vote(cluster.votes)]
    types = dict(cluster.types)
    return min(types, key=lambda t: (-types[t], TYPES.index(t)))


def _join_headline_names(flat: Sequence[Cluster], union: _Union) -> set[int]:
    """Join each cluster named only in an all-capitals headline to the entity the rest of the
    corpus knows by one of its names (REAGAN -> Ronald Reagan). Returns those that join none:
    left out."""
    # a name the body of stories writes in its usual case (Reagan), or an acronym of 3+ stories
    seen = Counter(
        pair
        for cluster in flat
        if not cluster.headline
        for pair in {name_key(f): 3 if not f.isupper() else 1 for f, _ in cluster.forms}.items()
    )
    known_keys = {key for (key, weight), n in seen.items() if weight * n >= 3}
    unknown = set()
    for n, cluster in enumerate(flat):
        if not cluster.headline:
            continue
        keys = [name_key(f) for f, _ in cluster.forms if name_key(f) in known_keys]
        known = [("k", key) for key in keys] + [("s", key) for key in keys]
        node = next((k for k in known if k in union.parent), None)
        if node is None:
            unknown.add(n)
        else:
            union.union(("c", n), node)
    return unknown


def _with_registry(
    groups: Sequence[registry.Group],
    roots: Sequence[object],
    entries: Sequence[registry.Entry],
    union: _Union,
) -> list[registry.Group]:
    """The groups, each with the registry entries whose slugs it keeps. An entry joins one
    group that goes by one of its names: of the entry's kind if one is, then the one whose
    name is the entry's, then one no entry joined yet (two places called Idlib, one of them
    a person to NER, keep a slug each). Entries join groups once the corpus made them, so
    that they keep slugs and never change what is one entity (batches give what one run
    gives); and a one-word name whose kind the vote changed ("Palace", a person to NER, an
    organisation by the vote) finds its entry again, instead of taking a new slug each run."""
    position = {root: i for i, root in enumerate(roots)}
    joined: dict[int, list[int]] = defaultdict(list)
    for n, entry in enumerate(entries):  # by slug, as the registry is saved
        found = set()
        for name in (entry.name, *entry.aliases):
            for space in ("k", "s"):
                node = (space, name_key(name))
                if node in union.parent and (i := position.get(union.find(node))) is not None:
                    found.add(i)
        if found:
            key = name_key(entry.name)
            best = min(
                found,
                key=lambda i: (
                    groups[i].type != entry.type,
                    name_key(groups[i].name) != key,
                    i in joined,
                    name_key(groups[i].name),
                    groups[i].name,
                    i,
                ),
            )
            joined[best].append(n)
    return [
        replace(group, members=tuple(joined[i])) if i in joined else group
        for i, group in enumerate(groups)
    ]


def _one_word_people(
    flat: Sequence[Cluster], is_person: Sequence[bool], kind_of: Sequence[str]
) -> list[bool]:
    """Which clusters are a person known by one word: those NER called a person, those it
    called an organisation where that word is elsewhere a person ("the Trump administration"),
    and those the vote made a place whose word is no place of the gazetteer but the surname
    of a full name of a person in the corpus ("Nunes said", beside Devin Nunes)."""
    people = {name_key(c.forms[0][0]) for c in flat if c.short and not c.headline}
    surnames = Counter(
        key
        for c, person in zip(flat, is_person, strict=True)
        if not c.short and not c.headline and person
        for key in {name_key(form.split()[-1]) for form, _ in c.forms if is_full(form)}
    )
    maybe = [_surname_as_place(c, kind) for c, kind in zip(flat, kind_of, strict=True)]
    # the corpus names the person in full at least as often as by the surname typed a place
    placed = Counter(key for key in maybe if key in surnames)
    surnames = {key for key, n in placed.items() if surnames[key] >= max(n, 2)}
    return [
        not c.headline
        and (
            c.short
            or (
                len(c.forms) == 1
                and not is_full(c.forms[0][0])
                and dict(c.types).keys() == {ORGANIZATION}
                and name_key(c.forms[0][0]) in people
            )
            or maybe[n] in surnames
        )
        for n, c in enumerate(flat)
    ]


def _surname_as_place(cluster: Cluster, kind: str) -> str | None:
    """The key of a one-word name of this `kind` that the vote made a place, or an organisation
    by an unsure vote (under SURE_ORGANIZATION: "Dokuchaev and Sushchin"), and that may be a
    surname: written like one (Nunes, not "St." or "MPs"), no place of the gazetteer, no name
    of the default aliases or of a country (America). None for any other cluster."""
    if len(cluster.forms) != 1 or cluster.headline:
        return None
    name = cluster.forms[0][0]
    unsure = bool(cluster.votes) and cluster.votes[1] < SURE_ORGANIZATION * sum(cluster.votes)
    if (
        (kind == PLACE or (kind == ORGANIZATION and unsure))
        and SURNAME_FORM.fullmatch(name)
        and (key := name_key(name)) not in _fixed_place_keys()
        and kinds.fold(name) not in kinds.gazetteer()
    ):
        return key
    return None


SURNAME_FORM = re.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?")


# the share of an organisation's votes above which a surname stays the organisation's name
# (Bloomberg, Reuters: named far more often than any Michael Bloomberg)
SURE_ORGANIZATION = 0.7


@functools.cache
def _fixed_place_keys() -> frozenset[str]:
    """The keys of the default aliases' and the countries' names."""
    names = [*DEFAULT_ALIASES.items(), *country_names()]
    return frozenset(name_key(n) for name, aliases in names for n in (name, *aliases))


# each word of a full name -> (cluster number, the name's words, its mentions) of the names with it
FullNames = dict[str, list[tuple[int, tuple[str, ...], int]]]


def _resolve_one_word_people(
    flat: Sequence[Cluster], shorts: Sequence[bool], union: _Union, is_person: Sequence[bool]
) -> set[int]:
    """Join each one-word person (Trump) to the full name that has 2/3 of the full-name mentions
    containing that word across the corpus. Returns the ambiguous ones (a bare Kim): left out."""
    by_word: FullNames = defaultdict(list)
    for n, cluster in enumerate(flat):
        if (
            not shorts[n] and not cluster.headline and is_person[n]
        ):  # not "the Reagan Administration"
            for form, count in cluster.forms:
                if not is_full(form):
                    continue
                words = name_words(form)
                for word in set(words):
                    by_word[word].append((n, words, count))
    # one decision per one-word name, not per mention: a common surname is a one-word
    # person in thousands of articles, each of which would scan all the full names again
    decided: dict[tuple[str, ...], tuple | None] = {}
    ambiguous = set()
    used_alone = Counter(name_words(c.forms[0][0]) for n, c in enumerate(flat) if shorts[n])
    for n, cluster in enumerate(flat):
        if not shorts[n]:
            continue
        short = name_words(cluster.forms[0][0])
        if not short or _ACRONYM_FORM.fullmatch(cluster.forms[0][0]):
            continue  # an acronym (UN, AP) is no surname: "UN" is not Kim Jong Un
        if short not in decided:
            decided[short] = _full_name_group(short, by_word, union, used_alone[short])
        if decided[short] is None:
            continue  # no full name has that word
        root, clear = decided[short]
        if clear:
            union.union(("c", n), root)
        elif cluster.short:  # an organisation keeps its own entity
            ambiguous.add(n)
    return ambiguous


def _top_vote(votes: Sequence[float]) -> int:
    """The kind the votes give: the first of the highest."""
    return votes.index(max(votes))


def _a_person(cluster: Cluster) -> bool:
    """Whether a cluster names a person: the kind model's vote where it ran, else NER's."""
    if cluster.votes:
        return _top_vote(cluster.votes) == 0
    types = dict(cluster.types)
    return types.get(PERSON, 0) * 2 > sum(types.values())


def _full_name_group(
    short: tuple[str, ...], by_word: FullNames, union: _Union, used_alone: int
) -> tuple | None:
    """The group of full names most often mentioned with the words of `short`, and whether it
    has 2/3 of those mentions and, when `short` is used alone in more than two articles, is
    named in full in two or more (one story's "Molly Grace" is no evidence for nine stories'
    "Grace"); None when no full name has them."""
    candidates: Counter = Counter()
    articles: Counter = Counter()
    for other, words, count in by_word.get(short[0], ()):
        if _subsequence(short, words):
            root = union.find(("c", other))
            candidates[root] += count
            articles[root] += 1
    if not candidates:
        return None
    root, count = min(candidates.items(), key=lambda rc: (-rc[1], str(rc[0])))
    clear = count * 3 >= sum(candidates.values()) * 2 and (articles[root] >= 2 or used_alone <= 2)
    return root, clear


def _display(forms: Counter, kind: str) -> str:
    """The name of an entity of these forms: a place by its most used form (China, not the
    People's Republic of China; Moscow, not the Moscow City Court a story glued to it); else by
    its most used full name (Kim Jong-un, European Central Bank), not counting the national
    forms of another ("U.S. Congress" for Congress, "Treasury Department" for Treasury)."""
    if kind == PLACE:
        return display_name(forms)
    written = {name_words(f): f for f in forms}
    long_forms = Counter({f: c for f, c in forms.items() if is_full(f)})
    shortened = {longer: written[w] for w in written for longer in _national_forms(w)}
    national = {f: shortened[name_words(f)] for f in long_forms if name_words(f) in shortened}
    plain = Counter({f: c for f, c in long_forms.items() if f not in national})
    if plain or not long_forms:
        return display_name(plain or forms)
    # only national forms: the short name when it is the usual one (Treasury), else in full
    # (U.S. Agriculture Department, not "Agriculture")
    short = Counter({national[f]: forms[national[f]] for f in long_forms})
    usual = [f for f, c in short.items() if c >= long_forms.total() and not f.isupper()]
    return usual[0] if len(usual) == 1 else display_name(long_forms)


# a country's name is a place unless its organisation votes outweigh its place votes this much
COUNTRY_ORG_ODDS = 4.0


def _country(name: str, votes: Sequence[float]) -> bool:
    """Whether a name the vote made an organisation is a country of the gazetteer that stays a
    place: one whose place votes are at least 1/COUNTRY_ORG_ODDS of its organisation votes."""
    if kinds.gazetteer().get(kinds.fold(name), (0.0,))[0] < 1:
        return False
    org, place = votes[VOTE_KINDS.index(ORGANIZATION)], votes[VOTE_KINDS.index(PLACE)]
    return not any(votes) or place * COUNTRY_ORG_ODDS >= org


# the least share of its votes a place needs without a gazetteer's support or a place's cue
# (chosen reading Reuters dev and CoNLL train: Hutton 0.50, Sorghum 0.59; Arctic 0.59 is
# lost); a first name alone (Rebecca) has it only by the gazetteer or a cue
UNKNOWN_PLACE_SHARE = 0.6


def _a_place(forms: Iterable[str]) -> bool:
    """Whether a name the vote made a place has a gazetteer's support: a place's name (or a
    country's, or another of a city's names), a run of its words one (West Germany), or one of
    its words a place's word (North Sea)."""
    for form in forms:
        words = form.split()
        spans = [(i, j) for i in range(len(words)) for j in range(i + 1, len(words) + 1)]
        runs = (" ".join(words[i:j]) for i, j in spans if words[i][:1].isupper())
        if any(kinds.fold(run) in kinds.place_names() for run in runs):
            return True
        if name_key(form) in _fixed_place_keys() or kinds.PLACE_WORDS & set(name_words(form)):
            return True
    return False


def _without_place(votes: Sequence[float], forms: Counter) -> str:
    """The kind of a "place" no gazetteer knows and no story writes like a place ("Hutton",
    "Sorghum"): the vote's next best; a person only by a full name (a first name alone,
    "Rebecca", names no one)."""
    kind = max((k for k in VOTE_KINDS if k != PLACE), key=lambda k: votes[VOTE_KINDS.index(k)])
    if kind == PERSON and not any(is_full(form) for form in forms):
        return NO_KIND
    return kind


def _unsure_place(
    members: Sequence[int], flat: Sequence[Cluster], forms: Counter, votes: Sequence[float]
) -> bool:
    """Whether a group the vote made a place is no place: no story writes it like one (no
    place's cue, no gazetteer's support) and the vote is unsure, or it is a first name alone."""
    unsure = votes[VOTE_KINDS.index(PLACE)] < UNKNOWN_PLACE_SHARE * sum(votes) or (
        len(forms) == 1 and first_name(next(iter(forms))) >= 1  # "Rebecca's show"
    )
    cued = any(flat[n].place_cue for n in members)
    return unsure and not (cued or _a_place(forms))


def _group(parts, flat, rules: EditorRules, entries) -> registry.Group:
    forms: Counter = Counter()
    types: Counter = Counter()
    votes = [0.0] * len(VOTE_KINDS)
    for n in parts["c"]:
        cluster = flat[n]
        if cluster.headline and len(parts["c"]) > 1:
            continue  # what a headline's capitals say is the weakest evidence
        # a name joined here to a longer one it qualifies is no name to show ("National
        # Security" for the National Security Agency)
        qualifying = {f for f in cluster.first_words if is_full(f)}
        for form, count in cluster.forms:  # a cluster's forms and types are distinct
            if form not in qualifying:
                forms[form] = forms.get(form, 0) + count
        for label, count in cluster.types:
            types[label] = types.get(label, 0) + count
        for i, v in enumerate(cluster.votes):
            votes[i] += v
    editor = [rules.entries[n] for n in sorted(parts["e"])]
    # the name and kind come from the corpus alone, never from earlier runs' registry, so that
    # ingesting in batches gives what one run gives; the registry keeps the slugs
    kind = next((e.type for e in editor if e.type), None)
    if kind is None and any(votes):
        # the corpus-wide vote of the kind model over every article's cluster of it
        best = max(range(len(votes)), key=lambda i: (votes[i], -i))
        # a kind the evidence is unsure of gives no page either
        sure = votes[best] >= kinds.MIN_SHARE * sum(votes)
        kind = VOTE_KINDS[best] if sure else NO_KIND
        if kind == NO_KIND and editor:
            kind = None  # an editor's page stays; its type by NER's votes
    kind = kind or min(types, key=lambda t: (-types[t], TYPES.index(t)))
    # a place no gazetteer knows and no story writes like a place needs a surer vote
    if (
        kind == PLACE
        and not (editor or parts["d"])
        and _unsure_place(parts["c"], flat, forms, votes)
    ):
        kind = _without_place(votes, forms)
    name = editor[0].name if editor else _display(forms, kind)
    if kind == ORGANIZATION and not any(e.type for e in editor) and _country(name, votes):
        kind = PLACE  # "the UK government" names the government; the United Kingdom is a place
    if not editor and parts["d"]:
        name = min(parts["d"])  # the usual name of a thing of many names (Calif. -> California)
    all_forms = set(forms) | {name}
    for entry in editor:
        all_forms |= {entry.name, *entry.aliases}
    return registry.Group(name, kind, frozenset(all_forms), tuple(parts["r"]))
