"""Entities: clean NER spans, resolve them within an article, merge them across the corpus.

Pure functions over records; enrich.py does the I/O. Three steps:
1. `mentions()`: spans -> cleaned names (titles, possessives, "the" stripped; noise dropped).
2. `cluster_article()`: short forms resolve to the full name they abbreviate (Kim -> Kim Jong-un),
   acronyms to the name they abbreviate (KCNA), and the full name's type wins.
3. `aliases.merge_corpus()`: clusters that share a full name (up to accents, hyphens and case), an
   editor's alias or a registry alias become one entity, shown under its most frequent full form.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml
from spacy.lang.en.stop_words import STOP_WORDS

from broadsheet.enrich import kinds, registry
from broadsheet.extract.bylines import first_name
from broadsheet.records import ENTITY_KINDS

TYPES = tuple(kind.type for kind in ENTITY_KINDS)
PERSON, ORGANIZATION, PLACE = TYPES
VOTE_KINDS = kinds.KINDS  # person, organization, place, none
NO_KIND = VOTE_KINDS[-1]
LABEL_TYPES = {"PERSON": PERSON, "ORG": ORGANIZATION, "GPE": PLACE, "LOC": PLACE, "FAC": PLACE}

WORDS = yaml.safe_load((Path(__file__).parents[1] / "data" / "enrich_words.yml").read_text("utf-8"))
TITLES = frozenset(WORDS["titles"])
PERSONAL_TITLES = frozenset(WORDS["personal_titles"])
GENERATIONAL = frozenset(WORDS["generational"])
WIRE_AGENCIES = tuple(WORDS["wire_agencies"])
DEFAULT_ALIASES = {name: tuple(aliases) for name, aliases in WORDS["default_aliases"].items()}
# A name right before one of these words names that thing ("the Rodong Sinmun newspaper").
ORG_NOUNS = re.compile(
    r"\s+(newspaper|daily|agency|company|corporation|firm|group|party|network|channel|magazine|"
    r"broadcaster|website|airline|bank|university|ministry|club|band|foundation)\b"
)
# Party-state tags ("D-Mass."), scraping debris ("Source:-Al Jazeera") and the like.
NOT_A_NAME = re.compile(r"^[DRI]-[A-Z][a-z]*\.?$|[\"?:;/|@#<>\[\]{}=+*_~^]|,\S")
NON_WORD = re.compile(r"[\W_]+")
# characters lost upstream ("Fianna F\ufffd\ufffdil", "T?naiste"): no name has a hole in a word
DAMAGED = re.compile(r"\ufffd|\w\?\w")
# words of earnings and price tables ("Avg shrs", "U.S. Dlrs", "Vs"): no name holds one
TABLE_WORDS = frozenset(WORDS["topic_table_words"]) - {"net"}
# a name cut after a conjunction ("NATO &", "Mexico and")
DANGLING = re.compile(r"(\s+(&|and|of|the|for|de))+$", re.IGNORECASE)
# the first half of a name joined by "and" that NER left out: "Standard and Poor's"
JOINED_BEFORE = re.compile(r"\b([A-Z][\w.]*) (?:and|&) $")
# words for a firm's partners, the last name of a firm named after them ("John Wiley and Sons")
PARTNERS = frozenset(["sons", "brothers", "bros", "partners", "associates", "company"])
# capitalised words before "and" right before a word for partners: "Alex. Brown and [Sons]"
PARTNERS_AFTER = re.compile(r"(?<![\w.])(?:[A-Z][\w.'-]*\s){1,3}(?:and|AND|&)\s$")
SPACED_DASH = re.compile(r"\s+[-\u2013\u2014]+\s+")
# a paragraph break the scraper wrote as ".-": "World Health Organization.- Few", not
# "U.S.-led" (a full stop after a word of two letters or more)
STOP_DASH = re.compile(r"(?<=\w\w)[.!?]\s*[-\u2013\u2014]+\s*")
# a possessive inside a span: "White House's Fitzwater"
POSSESSIVE = re.compile(r"['\u2019]s\s+(?=[A-Z])")
# "... of England Robin Leigh-Pemberton": an organisation's last word, then a first and last name
GLUED_PERSON = re.compile(r"\s([A-Z][a-z]+)\s[A-Z][\w'-]+$")
PEOPLES = frozenset(["people", "women", "children", "men", "workers", "farmers", "peoples"])
LEGAL_AFTER = re.compile(r"\s+(Co|Corp|Inc|Ltd|Plc|PLC|LLC|AG|SA|NV)\b\.?")
LEGAL_FORMS = frozenset(
    ["co", "co inc", "co ltd", "inc", "ltd", "corp", "plc", "llc", "ag", "sa", "nv", "bv", "gmbh"]
)
# organisations' generic words, and other words that alone name nothing in particular
GENERIC_WORDS = kinds.ORG_WORDS.union(WORDS["generic_names"]) - set(WORDS["not_generic"])
# credit ratings ("BBB", "AA-minus", "BAA-3", "Aa2"): grades, not names
RATING = re.compile(
    r"^(?:(?:AAA|AA|BBB|BB|CCC|CC)(?:[-+]|-?minus|-?plus)?|(?i:aaa|aa|a|baa|ba|b|caa|ca)-?[1-3])$"
)
# an Arabic or Spanish article the tokenizer glued to debris before a name ("Source:-Al
# Jazeera News" tagged "Jazeera News"): it belongs to the name (Al Jazeera, El Paso, Al Gore)
ARTICLE_BEFORE = re.compile(r"(?<![\w ])(?:Al|El) $")
# a preposition of places right before a name ("in Britain", "near the Caribbean")
PLACE_BEFORE = re.compile(r"\b(?:in|near|outside|across|into|throughout)\s+(?:the\s+)?$", re.I)
MONTHS = re.compile(
    r"^(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?$|"
    r"^(mon|tues|wednes|thurs|fri|satur|sun)day$",
    re.IGNORECASE,
)


class EditorsFileError(ValueError):
    """content/entities.yml cannot be used."""


@dataclass(frozen=True)
class Mention:
    form: str  # cleaned display text
    type: str
    start: int  # character offset in the text NER ran on
    end: int = 0  # where the span ends
    label: str = ""  # what NER called it (PERSON, ORG, GPE, LOC, FAC)
    titled: bool = False  # a title before it said it is a person
    legal: bool = False  # it was written with a company's legal form (Ford Motor Co)
    headline: bool = False  # only in an all-capitals headline: it may only name a known entity
    first_word: bool = False  # a one-word name joined here to the full name it starts
    place_cue: bool = False  # written after "in", "near"...: a place's cue ("in Britain")


@dataclass(frozen=True)
class Cluster:
    """One entity as mentioned in one article."""

    forms: tuple[tuple[str, int], ...]  # full names and how often each was used
    types: tuple[tuple[str, int], ...]  # type votes
    mentions: int
    first: int
    short: bool  # known here only by a one-word name that resolved to nothing longer
    votes: tuple[float, ...] = ()  # kinds.KINDS probabilities, when the kind model ran
    headline: bool = False  # named only in an all-capitals headline: joins a known entity or none
    # one-word names that joined the full name they start here (Amnesty, Amnesty International):
    # one story's say, which the corpus votes on before every "Amnesty" joins it
    first_words: tuple[str, ...] = ()
    place_cue: bool = False  # a mention of it has a place's cue


@dataclass(frozen=True)
class EditorEntry:
    name: str
    type: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class EditorRules:
    """content/entities.yml: entries (rename, merge, retype, add aliases) and blocked names."""

    entries: tuple[EditorEntry, ...] = ()
    block: tuple[str, ...] = ()

    @property
    def blocked_keys(self) -> frozenset[str]:
        return frozenset(name_key(name) for name in self.block)

    @functools.cached_property
    def named_keys(self) -> frozenset[str]:
        """The keys of every name and alias the editors gave: kept even when generic."""
        return frozenset(
            name_key(name) for entry in self.entries for name in (entry.name, *entry.aliases)
        )


@dataclass(frozen=True)
class Entity:
    name: str
    type: str
    slug: str
    forms: frozenset[str]


@dataclass
class CorpusEntities:
    """merge_corpus's result: the entities, the grown registry and, per article,
    (entity index, mentions, offset of the first mention) for each entity it names."""

    entities: list[Entity]
    registry: list[registry.Entry]
    articles: list[list[tuple[int, int, int]]] = field(default_factory=list)


# --- names -------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a word."""
    # NFKD splits accents off as combining marks, which are not \w
    return NON_WORD.sub("", unicodedata.normalize("NFKD", text)).casefold()


# names whose key and words are kept: more than a large archive's, for the corpus merge goes
# over them all several times, and a cache that holds fewer loses each before it is asked again
NAMES_KEPT = 1 << 18


@functools.lru_cache(maxsize=NAMES_KEPT)
def name_key(name: str) -> str:
    """Kim Jong Un, Kim Jong-un and KIM JONG-UN share a key; so do Bermudez and Bermúdez, and
    Standard & Poor's and Standard and Poor."""
    name = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE)
    name = re.sub(r"\s+(?:and|&)\s+|['\u2019]s$", " ", name, flags=re.IGNORECASE)
    return fold(name).replace("isation", "ization")  # Organisation, Organization


@functools.lru_cache(maxsize=NAMES_KEPT)
def name_words(name: str) -> tuple[str, ...]:
    """Folded words, hyphenated parts split: Diaz-Canel -> (diaz, canel)."""
    return tuple(w for w in (fold(part) for part in re.split(r"[\s\-]+", name)) if w)


def _is_latin(text: str) -> bool:
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in text)


def clean_name(text: str, person: bool) -> tuple[str, bool] | None:
    """The name in a span, and whether a title said it is a person; None for noise.
    `person`: the span was tagged as a person, so any title may be stripped."""
    text = re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("`", "'")).strip(" ,;:-\"'()")
    text = re.sub(r"'s$", "", text)
    words = [w for w in text.split(" ") if w]
    titled = False
    # strip everything up to the last title word among the first words ("Cuban Ambassador X")
    for i in range(min(len(words) - 2, 4), -1, -1):
        title = words[i].lower()
        titles = TITLES if person else PERSONAL_TITLES
        if title in titles and words[i + 1][:1].isupper():
            words, titled = words[i + 1 :], True
            break
    if len(words) >= 3 and _demonym(words[0]):  # "Frenchman Loick Jammes"
        words = words[1:]
    while words and (words[0][:1].islower() or (words[0] in ("The", "THE") and len(words) > 1)):
        words = words[1:]
    while words and words[-1][:1].islower():
        words = words[:-1]
    name = DANGLING.sub("", " ".join(words).strip(" ,;:-\"'&")).strip(" ,;:-\"'&")
    name = _balanced(name)
    words = name.split(" ")
    if TABLE_WORDS.intersection(w.lower().strip(".") for w in words):
        return None
    letters = [ch for ch in name if ch.isalpha()]
    if len(letters) < 2 or not name[:1].isupper() or not _is_latin(name):
        return None
    dated = MONTHS.match(words[0]) and (len(words) == 1 or any(ch.isdigit() for ch in name))
    if len(words) > 7 or name[:1].isdigit() or dated or NOT_A_NAME.search(name):
        return None
    if RATING.match(name) or (len(words) == 1 and _demonym(name)):
        return None
    return name, titled


@functools.lru_cache(maxsize=1 << 12)
def _demonym(word: str) -> bool:
    """A word for a man or woman of a nation, made of its language's name: Frenchman,
    Englishwomen, Dutchman (pycountry's languages with a two-letter code; not Chairman)."""
    made = re.fullmatch(r"([A-Z][a-z]+?)(?:man|men|woman|women)", word)
    return made is not None and made.group(1) in _major_languages()


@functools.cache
def _major_languages() -> frozenset[str]:
    import pycountry

    return frozenset(
        language.name for language in pycountry.languages if hasattr(language, "alpha_2")
    )


def _balanced(name: str) -> str:
    """A name cut inside a parenthesis without its other half: "Official Bulletin (BALO" ->
    "Official Bulletin", "BALO) said" -> the part after it."""
    if name.count("(") == name.count(")"):
        return name
    opened = name.find("(")
    closed = name.find(")")
    if opened >= 0 and (closed < 0 or closed > opened):
        head = name[:opened].strip(" ,;:-\"'&")
        return head if head else name[opened + 1 :].split(")")[0].strip()
    return name[closed + 1 :].strip(" ,;:-\"'&")


def mentions(
    text: str,
    ents: Iterable[tuple[int, int, str]],
    noise: frozenset[str],
    title_end: int = 0,
    keep_title: bool = False,
    keep: frozenset[str] = frozenset(),
    outlets: Sequence[str] = (),
) -> list[Mention]:
    """Cleaned person/organisation/place mentions; `noise` holds name keys to drop. A name seen
    only in the title (text[:title_end]) is dropped (headline capitals mislead NER), unless
    `keep_title`: then the kind model weighs it. `keep`: name keys never dropped as generic
    (the editors' names). `outlets`: the names of the story's own outlet, whose credits name
    nothing the story is about (see without_credit)."""
    found = []
    spans, firms = _partners_firms(text, ents)
    for start, end, label in _split_possessives(text, _joined_names(text, spans)):
        if article := ARTICLE_BEFORE.search(text, max(0, start - 4), start):
            start = article.start()
        kind = LABEL_TYPES.get(label)
        if label == kinds.CANDIDATE:
            kind = kinds.guess_type(text[start:end])
        cleaned = clean_name(text[start:end], kind == PERSON) if kind else None
        if cleaned is None or ("\n" in text[start:end] and (start, end) not in firms):
            continue
        if DAMAGED.search(text, max(0, start - 1), end + 1):
            continue
        name, titled = cleaned
        full_name = name
        if not titled:  # "Poor's Corp" -> "Poor"; "Nikko Securities Co (Europe) Ltd" -> ...Co
            name = _balanced(re.sub(r"'s$", "", without_legal_suffix(name)))
            name = without_legal_suffix(name) or name
        name = without_credit(name, outlets)
        if name_key(name) in noise or not name or (generic(name) and name_key(name) not in keep):
            continue
        if titled:
            kind = PERSON
        elif kind == PERSON and (ORG_NOUNS.match(text, end) or text[:start].endswith("the ")):
            kind = ORGANIZATION  # "the Rodong Sinmun newspaper" is not a person
        elif kind == PERSON and _named_after(name):
            kind = ORGANIZATION  # the kind model weighs it
        legal = name != full_name or bool(LEGAL_AFTER.match(text, end))
        if not legal and _generic_plural(name):
            continue
        # not "in Trump's administration"
        possessive = text[end : end + 2] in ("'s", "\u2019s")
        placed = not possessive and bool(PLACE_BEFORE.search(text, max(0, start - 16), start))
        found.append(Mention(name, kind, start, end, label, titled, legal, place_cue=placed))
    later = {name_key(m.form) for m in found if m.start >= title_end}
    if keep_title and not _shouting(text[:title_end]):
        named = [m for m in found if m.start < title_end and name_key(m.form) in later]
        if not _title_case(text[:title_end], named):
            return found
        # title-case capitals glue verbs to names ("Trump Says", "Groups Want Obamacare Win"):
        # a name only there stays when the body writes it, or its last word, capitalised
        body = text[title_end:]
        return [m for m in found if m.start >= title_end or _in_body(m.form, body)]
    # an all-capitals headline (wire copy) names nothing NER can be sure of: a name only there
    # is kept, with the kind model, to join an entity the corpus knows from elsewhere
    return [
        m if m.start >= title_end or name_key(m.form) in later else replace(m, headline=True)
        for m in found
        if m.start >= title_end or name_key(m.form) in later or keep_title
    ]


def _title_case(title: str, named: Sequence[Mention]) -> bool:
    """Whether a headline capitalises its words, not only its names: "Trump Says Wall Will Rise",
    not "Trump invites Egypt's Sisi to White House" (at least 4 in 5 of its words that are no
    stop words, outside the `named` spans: the names the body writes too)."""
    for m in named:
        title = title[: m.start] + " " * (m.end - m.start) + title[m.end :]
    words = [w for w in re.findall(r"[^\W\d_][\w'-]*", title) if w.casefold() not in STOP_WORDS]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _in_body(name: str, body: str) -> bool:
    """Whether `body` writes `name` or its last word capitalised, as a word: Elizabeth Warren
    is in a story that calls her "Warren"."""
    last = name.split()[-1]
    return any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", body) for form in {name, last})


def without_credit(name: str, outlets: Sequence[str]) -> str:
    """A name without the story's own outlet's credit: "" for one of its desks, the outlet's
    name as it writes it and one word ("Source: Al Jazeera News", "HuffPost Lifestyle is a
    daily newsletter"; not "Time Warner" in a story of TIME); the rest after a desk written as
    one word with the outlet's name ("By Matt Egan, CNNMoney Trump cheered" -> Trump)."""
    words = name.split()
    for outlet in outlets if words else ():  # "Co Inc" left no name
        outlet = re.sub(r"^the\s+", "", outlet, flags=re.IGNORECASE)
        if len(words) == len(outlet.split()) + 1 and " ".join(words[:-1]) == outlet:
            return ""
        if " " not in outlet and re.fullmatch(re.escape(outlet) + r"[A-Z][a-z]+", words[0]):
            return " ".join(words[1:])
    return name


def _generic_plural(name: str) -> bool:
    """A name ending in the plural of an organisation's generic word ("the most inexperienced
    Fed Boards in years"): several things, no one name; not one whose plural is itself such a
    word (Banner Industries, Salomon Brothers)."""
    words = name.casefold().split()
    last = words[-1] if len(words) > 1 else ""
    return last.endswith("s") and last[:-1] in kinds.ORG_WORDS and last not in kinds.ORG_WORDS


def _joined_names(
    text: str, ents: Iterable[tuple[int, int, str]]
) -> Iterator[tuple[int, int, str]]:
    """Organisation spans that began inside a name joined by "and": "Standard and [Poor's
    Corp]" is Standard and Poor's Corp."""
    ents = list(ents)
    for start, end, label in ents:
        first = text[start:end].split(" ", 1)[0]
        joined = JOINED_BEFORE.search(text, max(0, start - 40), start) if label == "ORG" else None
        # "Fertility and [Genetics Research Inc]": a company's legal name whose first half is
        # no name of its own (not "IBM and [General Electric Co]")
        legal = joined is not None and (
            bool(LEGAL_AFTER.match(text, end))
            or text[start:end].rsplit(" ", 1)[-1].strip(".").casefold() in LEGAL_FORMS
        )
        alone = joined is not None and not any(
            s < joined.end(1) and joined.start(1) < e for s, e, _ in ents
        )
        if joined and (first.endswith("'s") or (legal and alone)):
            start = joined.start(1)
        yield start, end, label


def _partners_firms(
    text: str, ents: Iterable[tuple[int, int, str]]
) -> tuple[list[tuple[int, int, str]], set[tuple[int, int]]]:
    """A firm named after its partners as one organisation: "[John Wiley] and [Sons Inc]",
    "[Merrill Lynch], [Pierce Fenner] and [Smith Inc]". The span after "and" is a word for
    partners (Sons, Brothers), or one name with a legal form ending a run of three names none
    with its own legal form: a list of firms writes each one's ("Texaco Inc and Pennzoil Co";
    not "IBM and Exxon Corp"). Also the joined spans, which may run over a line break."""
    kept: list[tuple[int, int, str]] = []
    joined = set()
    for start, end, label in ents:
        written = re.sub(r"['\u2019]s$", "", text[start:end])
        words = without_legal_suffix(written).casefold().split()
        taken, names = _named_run(text, kept, start)
        partners = len(words) == 1 and words[0] in PARTNERS and names >= 1
        legal = bool(LEGAL_AFTER.match(text, end)) or words != written.casefold().split()
        # not "Sony, Toshiba and Hitachi Ltd": one-word names are firms' own
        listed = legal and names >= 2 and any(" " in text[s:e].strip() for s, e, _ in kept[-taken:])
        # "Alex. Brown and [Sons Inc]", "JOHN WILEY AND [SONS INC]": names NER left out
        bare = PARTNERS_AFTER.search(text, max(0, start - 60), start) if not taken else None
        if label == "ORG" and len(words) == 1 and words[0] in PARTNERS and bare:
            joined.add((start := bare.start(), end))
        elif label == "ORG" and len(words) == 1 and (partners or listed):
            start = kept[-taken][0]
            del kept[len(kept) - taken :]
            joined.add((start, end))
        kept.append((start, end, label))
    return kept, joined


def _named_run(text: str, before: Sequence[tuple[int, int, str]], start: int) -> tuple[int, int]:
    """How many of the spans `before` make a run of names ending right before `start`, each
    after a comma or a space and the last before "and" ("Merrill Lynch, Pierce Fenner and "),
    none with a legal form; and how many names the run holds, a capitalised word NER left out
    counted ("[Merrill Lynch Pierce], Fenner and ")."""
    taken = names = 0
    gap = re.compile(r"(?:,?\s([A-Z][a-z]+),?)?\s(?:and|AND|&)\s")
    for span_start, span_end, label in reversed(before):
        between = gap.fullmatch(text, span_end, before[-taken][0] if taken else start)
        name = text[span_start:span_end]
        legal = LEGAL_AFTER.match(text, span_end) or without_legal_suffix(name) != name
        if between is None or legal or label not in ("ORG", "PERSON"):
            break
        taken, names = taken + 1, names + 1 + (between.lastindex is not None)
        gap = re.compile(r",?\s")
    return taken, names


@functools.lru_cache(maxsize=1 << 16)
def without_legal_suffix(name: str) -> str:
    """A company's name without its legal form (cleanco): Boeing Co -> Boeing, General Electric
    Co -> General Electric; the name as it is when that would leave a fragment."""
    from cleanco import basename

    if " " not in name.strip():  # EC, UK, AG: one word is a name, or a legal form alone
        return "" if name.casefold().strip(".") in LEGAL_FORMS else name
    base = name
    for _ in range(3):  # British Petroleum Co Plc -> British Petroleum Co -> British Petroleum
        cut = basename(base)
        if cut == base:
            break
        shorter = DANGLING.sub("", cut.strip(" ,.&"))
        if shorter == base:
            break
        base = shorter
    if not base or base.casefold() in LEGAL_FORMS:
        return ""  # "Co Inc": a legal form and nothing else
    letters = sum(ch.isalpha() for ch in base)
    return base if letters >= 2 and base[:1].isupper() else name


def generic(name: str) -> bool:
    """A one-word name that is a generic word of organisations ("Bank", "State", "AGENCY")."""
    return " " not in name and name.casefold().strip(".") in GENERIC_WORDS


def _split_possessives(
    text: str, ents: Iterable[tuple[int, int, str]]
) -> Iterator[tuple[int, int, str]]:
    """Spans that hold two names as the two names: glued at a possessive ("White House's
    Fitzwater"), or an organisation's name run into a person's ("Bank of England Robin
    Leigh-Pemberton")."""
    for start, end, label in _split_dashes(text, ents):
        cut = POSSESSIVE.search(text, start, end)
        rest = text[cut.end() : end].lower().split() if cut else []
        owner = text[start : cut.start()].lower().split()[-1:] if cut else []
        legal = bool(rest) and rest[-1].strip(".") in LEGAL_FORMS  # "Scott's Hospitality Inc"
        if (
            cut is not None
            and not kinds.ORG_WORDS.intersection(rest)
            and owner[0] not in PEOPLES
            and not legal
        ):
            # not "National People's Congress", "People's Bank of China", "Women's Tennis"
            yield start, cut.start(), label
            yield cut.end(), end, label
            continue
        glued = GLUED_PERSON.search(text, start, end) if label == "ORG" else None
        head = text[start : glued.start()].split() if glued else []
        if (
            glued is not None
            and glued.end() == end
            and len(head) >= 2
            and head[-1][:1].isupper()
            and kinds.first_name(glued.group(1)) >= 1
            and kinds.fold(f"{head[-1]} {glued.group(1)}") not in kinds.gazetteer()
        ):  # not "The New York Times": New York is a place
            yield start, glued.start(), label
            yield glued.start() + 1, end, "PERSON"
            continue
        yield start, end, label


def _split_dashes(
    text: str, ents: Iterable[tuple[int, int, str]]
) -> Iterator[tuple[int, int, str]]:
    """Spans cut at a spaced dash, which separates names and never joins them ("Vladimir
    Putin - TASS", "United Kingdom - England", "Trump - An Open Letter"); and at a full stop
    and a dash, which ends a sentence: what follows it starts the next, so one word there,
    or a stop word first, is no name ("Elizabeth Warren.-Her", "Europe.-When Sessions")."""
    for start, end, label in ents:
        stop = STOP_DASH.search(text, start, end)
        parts = [(start, stop.start() if stop else end)]
        rest = text[stop.end() : end].split() if stop else []
        # the next sentence's first word is capitalised as any sentence's ("When Sessions")
        if stop is not None and len(rest) > 1 and rest[0].casefold() not in STOP_WORDS:
            parts.append((stop.end(), end))
        for part_start, part_end in parts:
            position = part_start
            for dash in SPACED_DASH.finditer(text, part_start, part_end):
                yield position, dash.start(), label
                position = dash.end()
            yield position, part_end, label


def is_full(name: str) -> bool:
    """A name of more than one word: Kim Jong-un, not Kim or Diaz-Canel."""
    return " " in name.strip()


def _subsequence(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    it = iter(full)
    return all(word in it for word in short)


def _initials(name: str) -> str:
    skip = {"of", "the", "and", "for", "on", "in", "de"}
    return "".join(w[0] for w in re.split(r"[\s\-]+", name) if w and w.lower() not in skip).upper()


def _letters(acronym: str) -> str:
    """An acronym's letters: U.S. -> US, S&P -> SP."""
    return "".join(ch for ch in acronym if ch.isalpha()).upper()


def _in_order(short: str, long: str) -> bool:
    """Schwartz and Hearst's test: the short form's letters appear in the long form in order,
    the first at the start of a word (NYMEX in New York Mercantile Exchange)."""
    short, long = short.lower(), long.lower()
    j = len(long) - 1
    for i in range(len(short) - 1, -1, -1):
        while j >= 0 and (long[j] != short[i] or (i == 0 and j > 0 and long[j - 1].isalnum())):
            j -= 1
        if j < 0:
            return False
        j -= 1
    return True


def abbreviates(acronym: str, full: str, defined: bool = False) -> bool:
    """Whether `acronym` (ECB, U.S.) abbreviates `full` (European Central Bank): its letters
    are the full name's initials; or, where the text defines it ("Kurdistan Workers' Party
    (PKK)"), its letters follow the full name's in order or are its initials in another order.
    Never when the full name holds the acronym as a word ("U.S. Steel" is not the U.S.)."""
    letters = _letters(acronym)
    if len(letters) < 2 or letters in {_letters(w) for w in full.split() if w.isupper()}:
        return False
    initials = _initials(full)
    if letters == initials:
        return True
    last = full.split()[-1]
    if len(letters) >= 3 and letters.startswith(initials[:-1]) and len(initials) > 1:
        # NYMEX: New York Mercantile Exchange; not NOS for the North Sea
        rest = letters[len(initials) - 1 :]
        return bool(rest) and rest[0] == last[:1].upper() and _in_order(rest, last)
    if not defined or letters[0] != full[:1].upper():
        return defined and len(letters) == len(initials) and set(letters) <= set(initials)
    return _in_order(letters, full)


# --- within an article -------------------------------------------------------------------------


class _Union:
    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _resolve_short(
    mention: Mention, candidates: list[str], pool: dict[str, list[Mention]]
) -> str | None:
    """The full name a short mention most plausibly stands for, or None when it is a toss-up:
    the most mentioned candidate, else the one mentioned most recently before it."""
    counts = {key: len(pool[key]) for key in candidates}
    best = max(counts.values())
    top = [key for key in candidates if counts[key] == best]
    if len(top) == 1:
        return top[0]
    before = {
        key: max((m.start for m in pool[key] if m.start < mention.start), default=-1) for key in top
    }
    latest = max(before.values())
    nearest = [key for key in top if before[key] == latest]
    return nearest[0] if latest >= 0 and len(nearest) == 1 else None


def cluster_article(found: Sequence[Mention]) -> list[Cluster]:
    """Group one article's mentions into entities (see the module docstring)."""
    return [make_cluster(ms) for ms in group_mentions(found)]


def group_mentions(found: Sequence[Mention], text: str = "") -> list[list[Mention]]:
    """One article's mentions, grouped by the entity they name (cluster_article's groups).
    `text`, the text they were found in, shows where a name defines its acronym: "European
    Central Bank (ECB)". A name only in an all-capitals headline joins nothing else here."""
    headline: dict[str, list[Mention]] = defaultdict(list)
    for mention in found:
        if mention.headline:
            headline[name_key(mention.form)].append(mention)
    found = [mention for mention in found if not mention.headline]
    by_key: dict[str, list[Mention]] = defaultdict(list)
    for mention in found:
        by_key[name_key(mention.form)].append(mention)
    words = {key: name_words(ms[0].form) for key, ms in by_key.items()}
    is_person = {key: any(m.type == PERSON for m in ms) for key, ms in by_key.items()}
    full_people = sorted(
        (k for k in by_key if is_person[k] and is_full(by_key[k][0].form)),
        key=lambda k: (-len(words[k]), k),
    )
    union = _Union()
    assigned: dict[int, str] = {}  # id(mention) -> key of the cluster it joins
    # a headline's words spliced into a name ("Brian Stelter Slams Donald Trump") name no one
    # or one word that the article names alone as no person ("Donald Trump Congress")
    others = {
        ms[0].form
        for key, ms in by_key.items()
        if not is_full(ms[0].form) and all(m.type != PERSON for m in ms)
    }
    people = [words[k] for k in full_people]
    surnames = {w[-1] for w in people if len(w) >= 2}
    spliced = {
        full
        for full in full_people
        if _spliced(words[full], people, by_key[full][0].form, others)
        or _spliced_surname(by_key[full][0].form, surnames, others)
    }
    full_people = [k for k in full_people if k not in spliced]
    for key in spliced:
        del by_key[key]
    # a full name inside a longer one is the same person (Miguel Diaz-Canel), unless Jr./Sr. differ
    for i, short in enumerate(full_people):
        for full in full_people[:i]:
            extra = set(words[full]) - set(words[short])
            if _subsequence(words[short], words[full]) and not extra & GENERATIONAL:
                union.union(short, full)
    for key, ms in by_key.items():
        if is_full(ms[0].form):
            continue
        # one-word names: a person's short form when a full name contains it
        eligible = is_person[key] or all(m.type == ORGANIZATION for m in ms)
        if _ACRONYM_FORM.fullmatch(ms[0].form):
            continue  # an acronym (UN, AP) is no surname: "UN" is not Kim Jong Un
        candidates = sorted(
            {union.find(full) for full in full_people if _subsequence(words[key], words[full])}
        )
        if not eligible or not candidates:
            continue
        pool = {
            root: [m for k in full_people if union.find(k) == root for m in by_key[k]]
            for root in candidates
        }
        for mention in ms:
            one = candidates[0] if len(candidates) == 1 else None
            assigned[id(mention)] = one or _resolve_short(mention, candidates, pool) or ""
    # acronyms (KCNA, US) and shortened organisation names (Communist Party) join the full name
    long_names = sorted(
        (k for k in by_key if is_full(by_key[k][0].form) and not is_person[k]),
        key=lambda k: (-len(words[k]), k),
    )
    # a company named in full with its legal form (Ford Motor Co) is then called by its first
    # word (Ford): that word joins it when one such company of the article starts with it
    companies = [k for k in long_names if any(m.legal for m in by_key[k])]
    defined = _defined_acronyms(found, text) if text else set()
    placed = {key: all(m.type == PLACE for m in ms) for key, ms in by_key.items()}
    some_place = {key: any(m.type == PLACE for m in ms) for key, ms in by_key.items()}
    forms = {key: ms[0].form for key, ms in by_key.items()}
    first_word: set[str] = set()
    # a one-word "person" whom no full name of a person in the story has (Banner, after Banner
    # Industries Inc) may be the company's first word
    nobody = {key for key in by_key if not any(words[key][0] in words[k] for k in full_people)}
    for key, ms in by_key.items():
        form = ms[0].form
        acronym = form.replace(".", "") if form.isupper() and len(form) > 1 else None
        company_word = not is_person[key] or key in nobody
        if not is_full(form) and company_word and all(m.type != PLACE for m in ms):
            heads = [k for k in companies if words[k][:1] == words[key]]
            if len(heads) == 1:
                union.union(key, heads[0])
                continue
        for full in long_names:
            prefix = (  # not New York for the New York Times: a place names no organisation
                is_full(form)
                and placed[key] == placed[full]
                and len(words[key]) < len(words[full])
                and words[full][: len(words[key])] == words[key]
                and not (
                    another_thing(words[full][len(words[key]) :], kinds.THING_WORDS)
                    or (another_thing(words[full][len(words[key]) :]) and a_thing(form))
                )
            )
            abbreviated = acronym is not None and abbreviates(
                form, by_key[full][0].form, (key, full) in defined
            )
            national = not placed[key] and words[full] in _national_forms(words[key])
            if not is_person[key] and (prefix or abbreviated or national):
                union.union(key, full)
                if prefix and another_thing(words[full][len(words[key]) :]):
                    # "National Security" for the Agency here, for the Council elsewhere: one
                    # story's say, linking no other story's entity by it
                    first_word.add(key)
                break
        else:  # Amnesty for Amnesty International: one story's say, the corpus votes on it
            one_word = not (is_full(form) or is_person[key] or some_place[key])
            heads = (
                _first_word_of(key, form, long_names, words, some_place, forms) if one_word else []
            )
            if len(heads) == 1:
                union.union(key, heads[0])
                first_word.add(key)
    groups: dict[str, list[Mention]] = defaultdict(list)
    for key, ms in by_key.items():
        for mention in ms:
            target = assigned.get(id(mention), key)
            if key in first_word:
                mention = replace(mention, first_word=True)
            if target:  # "" marks an ambiguous short form: left out
                groups[union.find(target)].append(mention)
    return [ms for _, ms in sorted(groups.items())] + [ms for _, ms in sorted(headline.items())]


def _spliced(
    name: tuple[str, ...],
    people: Sequence[tuple[str, ...]],
    form: str = "",
    others: Iterable[str] = (),
) -> bool:
    """Whether a person's name is another person's full name at one end of two or more other
    words: a title-case headline's words run into it ("Brian Stelter Slams Donald Trump"); or
    of one other word, as written, that is no part of a name (not "Donald Trump Jr")."""
    written = form.split()
    for other in people:
        n = len(other)
        if n < 2 or other not in (name[:n], name[-n:]):
            continue
        leading = name[-n:] == other
        extra = written[0] if leading else written[-1]
        if len(name) >= n + 2:
            return True
        one = len(name) == n + 1 and len(written) == n + 1
        if one and _no_part_of_a_name(extra, leading, others):
            return True
    return False


def _no_part_of_a_name(extra: str, leading: bool, others: Iterable[str]) -> bool:
    """Whether one word at an end of a person's full name is none of the name: a word the
    story names alone as no person ("Donald Trump Congress"), a word before it that is no first
    name (a title-case headline's verb: "Slams Donald Trump"), or a function word after it (the
    next sentence's first word: "Donald Trump Which")."""
    if extra in others:
        return True
    return not first_name(extra) if leading else extra.casefold() in STOP_WORDS


def _spliced_surname(form: str, surnames: set[str], others: Iterable[str]) -> bool:
    """Whether a two-word person's name is the surname of a person the story names in full
    beside a word the story names alone as no person and no first name ("CNNMoney Trump");
    not Ivanka Trump."""
    written = form.split()
    if len(written) != 2:
        return False
    return any(
        fold(written[1 - i]) in surnames and written[i] in others and not first_name(written[i])
        for i in (0, 1)
    )


def _first_word_of(
    key: str,
    form: str,
    long_names: Sequence[str],
    words: dict[str, tuple[str, ...]],
    placed: dict[str, bool],
    by_form: dict[str, str],
) -> list[str]:
    """The full names of organisations of an article that a one-word name is the first word of
    (Amnesty: Amnesty International), the shortest of a run (Amnesty International USA is the
    same run); none for an acronym, a generic word of organisations (Senate, not the Senate
    Banking Committee) or a place's name (Kansas, not Kansas City Southern)."""
    if not may_start_a_name(form):
        return []
    heads = [k for k in long_names if words[k][:1] == words[key] and not placed[k]]
    return [
        k
        for k in heads
        if not any(o != k and words[k][: len(words[o])] == words[o] for o in heads)
        and not _a_part(by_form[k].split()[1:])
    ]


def may_start_a_name(form: str) -> bool:
    """Whether a one-word name may be the first word of an organisation's full name: not an
    acronym, a generic word of organisations (Senate) or a place of the gazetteer (Kansas)."""
    return not (
        _ACRONYM_FORM.fullmatch(form)
        or fold(form) in kinds.ORG_WORDS
        or kinds.fold(form) in kinds.gazetteer()
    )


def _a_part(rest: Sequence[str]) -> bool:
    """Whether the words after a first word name a part or product of the thing it names:
    a place (Pemex Japan, Bandai Australia, Coloroll US Business), a model (Airbus A300s,
    Macintosh II)."""
    phrases = [*rest, " ".join(rest)]
    return any(
        any(ch.isdigit() for ch in word) or (word.isupper() and len(_letters(word)) <= 3)
        for word in rest
    ) or any(kinds.gazetteer().get(kinds.fold(p), (0.0, 0.0))[:2] != (0.0, 0.0) for p in phrases)


def _named_after(name: str) -> bool:
    """Whether a name NER called a person's is a thing or a firm named after one: its last
    word a noun of things, organisations or trades and its first no first name ("Trump Tower",
    "Hanjin Shipping", "Haier Group"; not "Anna Hall")."""
    words = name_words(name)
    last = words[-1:] and words[-1] in kinds.NOT_A_SURNAME
    return len(words) > 1 and bool(last) and not first_name(name.split()[0])


PREPOSITIONS = frozenset(["of", "for", "in", "on", "at", "de", "and", "against"])


def another_thing(extra: Sequence[str], nouns: frozenset[str] = kinds.OTHER_THING_WORDS) -> bool:
    """Whether folded words end, or their part before a preposition ends, in one of `nouns`,
    nouns of things and organisations: added after a shorter name, they make a name of
    another thing ("Trump Tower", "EU Notification of Withdrawal Act") or of a part of the
    thing it names ("New York City Council"), unless they describe the same organisation
    (Goldman Sachs Group) or name a place (Communist Party of China)."""
    head = list(itertools.takewhile(lambda w: w not in PREPOSITIONS, extra))
    last = [w for w in extra if not w.isdigit()][-1:]  # "... Withdrawal Act 2017"
    return any(words and words[-1] in nouns for words in (head, last))


def a_thing(name: str) -> bool:
    """Whether a name names a whole thing, which a longer name ending in another noun of
    organisations names a part of (the United Nations, not its Security Council; New York
    City, not its Council): a place of the gazetteer, a name of the default aliases, or one
    ending in a noun of things (State Council); not one that only qualifies a noun ("Senate
    Armed Services", "Ninth Circuit" for the Committee and the Court of Appeals)."""
    return (
        another_thing(name_words(name))
        or kinds.fold(name) in kinds.gazetteer()
        or name_key(name) in _default_alias_keys()
    )


@functools.cache
def _default_alias_keys() -> frozenset[str]:
    return frozenset(name_key(n) for name, more in DEFAULT_ALIASES.items() for n in (name, *more))


def _national_forms(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The words of the longer ways of writing an organisation's name that a story shortens:
    Treasury for U.S. Treasury, Treasury Department or U.S. Treasury Department."""
    return (("us", *words), (*words, "department"), ("us", *words, "department"))


def _defined_acronyms(found: Sequence[Mention], text: str) -> set[tuple[str, str]]:
    """(acronym key, full name key) of each "Full Name (ACR)" in the text."""
    defined = set()
    ends = {m.end: m for m in found if is_full(m.form)}
    for mention in found:
        if not _ACRONYM_FORM.fullmatch(mention.form):
            continue
        opening = text.rfind("(", 0, mention.start)
        full = ends.get(len(text[:opening].rstrip())) if opening >= 0 else None
        between = text[opening + 1 : mention.start].strip()
        if full is not None and not between and text[mention.end : mention.end + 1] == ")":
            defined.add((name_key(mention.form), name_key(full.form)))
    return defined


def make_cluster(ms: Sequence[Mention], votes: Sequence[float] = ()) -> Cluster:
    forms = Counter(m.form for m in ms)
    long_forms = Counter({f: n for f, n in forms.items() if is_full(f)})
    # the full name's type wins over what a short form was tagged
    typed = [m for m in ms if is_full(m.form)] or ms
    types = Counter(m.type for m in typed)
    person = min(types, key=lambda t: (-types[t], TYPES.index(t))) == PERSON
    if len(votes):  # the kind model's word, where it ran
        person = max(range(len(votes)), key=lambda i: (votes[i], -i)) == 0
    # a person's surname alone is no name to link by; an organisation's acronym is
    return Cluster(
        forms=tuple(sorted((long_forms if person and long_forms else forms).items())),
        types=tuple(sorted(types.items())),
        mentions=len(ms),
        first=min(m.start for m in ms),
        short=person and not long_forms,
        votes=tuple(round(float(v), 4) for v in votes),
        headline=all(m.headline for m in ms),
        first_words=tuple(sorted({m.form for m in ms if m.first_word})),
        place_cue=any(m.place_cue for m in ms),
    )


def cluster_forms(ms: Sequence[Mention]) -> list[str]:
    """A group's names, full names first, the most used first among them."""
    forms = Counter(m.form for m in ms)
    return sorted(forms, key=lambda f: (not is_full(f), -forms[f], -len(f), f))


# --- editors' file -----------------------------------------------------------------------------


def load_rules(path: Path) -> EditorRules:
    """Read content/entities.yml (absent -> no rules). Format: see the README."""
    if not path.is_file():
        return EditorRules()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        entries = []
        for item in data.get("entities") or ():
            kind = item.get("type")
            if kind is not None and kind not in TYPES:
                raise ValueError(f"type {kind!r} of {item['name']!r} is not one of {TYPES}")
            entries.append(
                EditorEntry(str(item["name"]), kind, tuple(map(str, item.get("aliases") or ())))
            )
        return EditorRules(tuple(entries), tuple(map(str, data.get("block") or ())))
    except (yaml.YAMLError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise EditorsFileError(
            f"{path}: {error}. Expected `entities:` (a list of {{name, type, aliases}}) "
            "and `block:` (a list of names)"
        ) from error


# --- across the corpus -------------------------------------------------------------------------


def display_name(counter: Counter, prefer: str | None = None) -> str:
    """The name to show: the most used form not in capitals (headlines, wire tables), else the
    most used one in its usual case ("TOKYO GRAIN EXCHANGE" -> "Tokyo Grain Exchange")."""
    cased = Counter({f: n for f, n in counter.items() if not _shouting(f)})
    if cased:
        return _top(cased, prefer)
    return usual_case(_top(counter, prefer))


def _shouting(name: str) -> bool:
    """All capitals, and no acronym: several words, a known place or a long word."""
    letters = [ch for ch in name if ch.isalpha()]
    if len(letters) < 4 or not all(ch.isupper() for ch in letters):
        return False
    if kinds.fold(name) in kinds.gazetteer():
        return True  # LUXOR, PARIS
    if len(letters) <= 5:
        return False
    return " " in name.strip() or len(letters) >= 8 or kinds.fold(name) in kinds.gazetteer()


def usual_case(name: str) -> str:
    """An all-capitals name in title case; short words with dots (U.S.) and a name of one short
    word (NATO) stay as they are."""
    if not _shouting(name):
        return name
    small = {"of", "and", "the", "for", "de", "in", "on"}
    words = []
    for i, word in enumerate(name.split(" ")):
        lower = word.lower()
        if "." in word:
            words.append(word)
        elif lower in small and i > 0:
            words.append(lower)
        else:
            words.append("-".join(part.capitalize() for part in word.split("-")))
    return " ".join(words)


def _top(counter: Counter, prefer: str | None = None) -> str:
    """Most frequent; ties go to the current registry name, then the shorter, then A-Z."""
    return min(counter, key=lambda f: (-counter[f], f != prefer, len(f), f))


_ACRONYM_FORM = re.compile(r"[A-Z][A-Z.&]{1,5}")
