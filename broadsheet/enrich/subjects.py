"""Subjects: the controlled vocabulary an article is filed under (broadsheet/data/subjects.yml,
mostly IPTC Media Topics), assigned from evidence in its text.

Evidence is the subject's cue words and phrases found in the title and body. A subject that has
labelled training data (the business and commodity subjects, from the Reuters-21578 corpus) is
decided by a linear model over the article's words (broadsheet/data/subject_model.json, written
by bench/train_subjects.py), and needs one of its cues besides and evidence close to that of the
strongest subject decided by cues outside its branch of the IPTC tree; any other subject needs
several distinct cues (or one in the title that the body repeats), dense enough in the text, and
evidence close to the article's strongest subject.
An article keeps the few subjects it is mostly about (at most MAX_SUBJECTS). A not-cue ("West
Bank") hides the cue inside it ("bank").
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DATA = Path(__file__).parents[1] / "data"
VOCABULARY = DATA / "subjects.yml"
MODEL = DATA / "subject_model.json"
MAX_SUBJECTS = 3
# a subject decided by its cues: evidence (cue mentions, each cue counted at most CUE_CAP times,
# a title mention TITLE_WEIGHT times) of at least MIN_EVIDENCE from MIN_CUES distinct cues (a
# phrase of several words counting as two), at least MIN_DENSITY cue mentions per 1,000 words,
# and at least RELATIVE of the strongest subject's
MIN_EVIDENCE = 3.0
MIN_TRAINED_EVIDENCE = 1.0  # a trained subject needs one mention of a cue
# and evidence of at least this share of the strongest untrained subject's (a model of 1987
# wire copy scores a story about telecoms "Coffee" on a word or two), among those outside its
# branch of the IPTC tree (a story of the central bank's lending rate is no rival to Interest rates)
TRAINED_RELATIVE = 0.5
MIN_CUES = 2
MIN_HEADLINED_BODY = 2  # or one cue, in the title and this many times in the body
MIN_DENSITY = 4.0
RELATIVE = 0.5
CUE_CAP = 3
TITLE_WEIGHT = 2
# words: letters and digits, joined by inner hyphens, apostrophes, dots or ampersands
TOKEN = re.compile(r"[a-z0-9]+(?:[-'.&][a-z0-9]+)*")
TITLE_FEATURE = "t:"  # model features of title words carry this prefix


@dataclass(frozen=True)
class Subject:
    name: str
    about: str  # what it covers, in one line
    iptc: str | None = None  # the IPTC Media Topic qcode ("medtop:20000204")
    broader: str | None = None  # the qcode of its broader IPTC concept ("medtop:20000346")
    cues: tuple[str, ...] = ()
    trained: tuple[str, ...] = ()  # Reuters-21578 labels of its training stories


@dataclass(frozen=True)
class Model:
    """Logistic regression per trained subject, over binary word features."""

    intercepts: dict[str, float]  # subject name -> intercept
    weights: dict[str, tuple[tuple[str, float], ...]]  # feature -> (subject name, weight)
    threshold: float  # probability from which a subject applies
    # per subject, chosen on the training stories' cross-validated scores (else `threshold`)
    thresholds: dict[str, float] = field(default_factory=dict)

    def threshold_of(self, name: str) -> float:
        return self.thresholds.get(name, self.threshold)

    def scores(self, features: Iterable[str]) -> dict[str, float]:
        totals = dict(self.intercepts)
        for feature in features:
            for name, weight in self.weights.get(feature, ()):
                totals[name] += weight
        return {name: 1 / (1 + math.exp(-total)) for name, total in totals.items()}

    def to_json(self) -> str:
        weights = {
            f: [[n, round(w, 5)] for n, w in pairs] for f, pairs in sorted(self.weights.items())
        }
        data = {
            "threshold": self.threshold,
            "thresholds": self.thresholds,
            "intercepts": self.intercepts,
            "weights": weights,
        }
        return json.dumps(data, sort_keys=True, indent=0) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Model:
        data = json.loads(text)
        weights = {
            f: tuple((n, float(w)) for n, w in pairs) for f, pairs in data["weights"].items()
        }
        thresholds = {n: float(t) for n, t in (data.get("thresholds") or {}).items()}
        return cls(dict(data["intercepts"]), weights, float(data["threshold"]), thresholds)


def tokens(text: str, singular: Callable[[str], str]) -> list[str]:
    """Lower-case words, each in its singular form when it is a plural noun."""
    return [singular(word) for word in TOKEN.findall(text.lower())]


def features(title: list[str], body: list[str]) -> set[str]:
    """The model's features: the words of the body, and those of the title apart."""
    return {*body, *(TITLE_FEATURE + word for word in title)}


@dataclass(frozen=True)
class Evidence:
    """What the text says for each subject: cue mentions and the model's probabilities."""

    mentions: dict[str, Counter]  # subject -> Counter of its cues (title mentions counted apart)
    title_mentions: dict[str, int]
    words: int
    probabilities: dict[str, float]

    def strength(self, name: str) -> float:
        cues = self.mentions.get(name, Counter())
        return sum(min(n, CUE_CAP) for n in cues.values()) + TITLE_WEIGHT * self.title_mentions.get(
            name, 0
        )

    def cues(self, name: str) -> int:
        """Distinct cues found; a phrase of several words ("travel ban") counts as two."""
        return sum(1 + (len(cue) > 1) for cue in self.mentions.get(name, ()))

    def headlined(self, name: str) -> bool:
        """A cue in the title and cues repeated in the body: what the story is about, even when
        the text uses one word for it ("sanctions", "homeless")."""
        body = sum(self.mentions.get(name, Counter()).values())
        return self.title_mentions.get(name, 0) > 0 and body >= MIN_HEADLINED_BODY

    def density(self, name: str) -> float:
        total = sum(self.mentions.get(name, Counter()).values()) + self.title_mentions.get(name, 0)
        return 1000 * total / max(self.words, 1)


class Vocabulary:
    """The subjects, an index of their cues, and the model of the trained ones."""

    def __init__(
        self,
        subjects: Iterable[Subject],
        singular: Callable[[str], str],
        model: Model | None,
        not_cues: Iterable[str] = (),
    ) -> None:
        self.subjects = {subject.name: subject for subject in subjects}
        self.singular = singular
        self.model = model
        self.not_cues = tuple(not_cues)
        # cue -> its subjects; a not-cue ("west bank") maps to none, and hides the cue inside it
        self.index: dict[tuple[str, ...], tuple[str, ...]] = {}
        for subject in self.subjects.values():
            for cue in subject.cues:
                for key in self.cue_keys(cue):
                    if subject.name not in self.index.get(key, ()):
                        self.index[key] = (*self.index.get(key, ()), subject.name)
        for phrase in self.not_cues:
            for key in self.cue_keys(phrase):
                self.index.setdefault(key, ())
        self.longest = max((len(key) for key in self.index), default=0)

    def cue_key(self, phrase: str) -> tuple[str, ...]:
        words = TOKEN.findall(phrase.lower())
        return (*words[:-1], self.singular(words[-1])) if words else ()

    def cue_keys(self, phrase: str) -> list[tuple[str, ...]]:
        """The keys of a cue as a text may write it: the words of a phrase joined by a hyphen or
        a space either way ("short-term rates", "short term rates"). A word stays one word
        ("sell-off" is not "sell off"; "a-list" is not "a list"), and a word that only holds a
        cue after a hyphen ("non-farm") holds none."""
        words = TOKEN.findall(phrase.lower())
        if len(words) < 2:
            return [self.cue_key(phrase)] if words else []
        words = [part for word in words for part in word.split("-")]
        writings = (
            words[0] + "".join(join + word for join, word in zip(joins, words[1:], strict=True))
            for joins in itertools.product("- ", repeat=len(words) - 1)
        )
        return list(dict.fromkeys(self.cue_key(writing) for writing in writings))

    def subjects_of_phrase(self, phrase: str) -> tuple[str, ...]:
        """The subjects a phrase names or is a cue of ("crude oil" -> Oil and gas)."""
        folded = phrase.casefold()
        named = [name for name in self.subjects if name.casefold() == folded]
        return tuple(named) or self.index.get(self.cue_key(phrase), ())

    def _mentions(self, words: list[str]) -> dict[str, Counter]:
        """Cues found in the words, longest first, without overlaps."""
        found: dict[str, Counter] = {}
        at, end = 0, len(words)
        while at < end:
            for size in range(min(self.longest, end - at), 0, -1):
                key = tuple(words[at : at + size])
                names = self.index.get(key)
                if names is not None:
                    for name in names:
                        found.setdefault(name, Counter())[key] += 1
                    at += size
                    break
            else:
                at += 1
        return found

    def evidence(self, title: str, body: str) -> Evidence:
        title_words, body_words = tokens(title, self.singular), tokens(body, self.singular)
        in_title = {name: sum(c.values()) for name, c in self._mentions(title_words).items()}
        probabilities = self.model.scores(features(title_words, body_words)) if self.model else {}
        return Evidence(
            self._mentions(body_words), in_title, len(title_words) + len(body_words), probabilities
        )

    def choose(self, evidence: Evidence) -> list[str]:
        """The subjects the article is mostly about, best first."""
        model = self.model
        untrained = [  # the subjects decided by their cues alone
            name
            for name in evidence.mentions.keys() | evidence.title_mentions.keys()
            if name not in evidence.probabilities
        ]
        trained = sorted(
            (-p, name)
            for name, p in evidence.probabilities.items()
            if model
            and p >= model.threshold_of(name)
            and evidence.strength(name)
            >= max(MIN_TRAINED_EVIDENCE, TRAINED_RELATIVE * self._rival(name, untrained, evidence))
        )
        chosen = [name for _, name in trained]
        by_cues = sorted(
            (-evidence.strength(name), name)
            for name in evidence.mentions.keys() | evidence.title_mentions.keys()
            if name in self.subjects and name not in evidence.probabilities
        )
        best = -by_cues[0][0] if by_cues else 0.0
        for negative, name in by_cues:
            strength = -negative
            if (
                strength >= max(MIN_EVIDENCE, RELATIVE * best)
                and (evidence.cues(name) >= MIN_CUES or evidence.headlined(name))
                and evidence.density(name) >= MIN_DENSITY
            ):
                chosen.append(name)
        return chosen[:MAX_SUBJECTS]

    def _rival(self, name: str, untrained: list[str], evidence: Evidence) -> float:
        """The evidence of the strongest of the untrained subjects outside the branch of the IPTC
        tree that the subject `name` is in."""
        subject = self.subjects.get(name)
        branch = subject.broader if subject else None
        return max(
            (
                evidence.strength(other)
                for other in untrained
                if branch is None or self.subjects[other].broader != branch
            ),
            default=0.0,
        )


class VocabularyError(ValueError):
    """broadsheet/data/subjects.yml or the model cannot be used."""


def load_subjects(path: Path = VOCABULARY) -> list[Subject]:
    return _read(path)[0]


def _read(path: Path) -> tuple[list[Subject], tuple[str, ...]]:
    """The subjects of a vocabulary file, and its not-cues."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = data["subjects"]
        subjects = [
            Subject(
                name=str(item["name"]),
                about=str(item["about"]),
                iptc=item.get("iptc"),
                broader=item.get("broader"),
                cues=tuple(map(str, item.get("cues") or ())),
                trained=tuple(map(str, item.get("trained") or ())),
            )
            for item in items
        ]
        return subjects, tuple(map(str, data.get("not_cues") or ()))
    except (OSError, yaml.YAMLError, KeyError, TypeError) as error:
        raise VocabularyError(
            f"{path}: {error}: expected `subjects:`, a list of {{name, about, cues}}"
        ) from error


def load_model(path: Path = MODEL) -> Model | None:
    """The trained subjects' model (None when it has not been trained)."""
    if not path.is_file():
        return None
    try:
        return Model.from_json(path.read_text(encoding="utf-8"))
    except (ValueError, KeyError, TypeError) as error:
        raise VocabularyError(f"{path}: {error}; retrain with bench/train_subjects.py") from error


def load_vocabulary(singular: Callable[[str], str], model: Model | None = None) -> Vocabulary:
    subjects, not_cues = _read(VOCABULARY)
    return Vocabulary(subjects, singular, model if model is not None else load_model(), not_cues)
