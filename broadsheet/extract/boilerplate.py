"""Site templates: lines that repeat across page dumps are menus, footers and the like.

A corpus-level step, run once over all text dumps before extraction. A line printed in
several different dumps (a menu entry, a copyright footer, "MOST POPULAR") is evidence of
boilerplate; read_text.py passes that evidence to its line classifier. Long prose lines are
never learned as template: the same story scraped twice, or wire copy republished by
several outlets, repeats its paragraphs across dumps, and those must stay body text.

Scraper records carry boilerplate too (a share bar kept in the text, a sign-off line), often
inside a paragraph: lines and runs of PHRASE_WORDS words that recur in a good share of one
source's records are learned here, and read_records.py removes them from the body.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from broadsheet.records import InputFile

MIN_DUMPS = 2  # a line seen in this many different dumps is template
_PROSE_WORDS = 12  # lines this long are prose, never template
_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
_INLINE_SPACES = re.compile(r"[^\S\n]+")
# a line or phrase is a source's boilerplate when this share of its records (and at least
# MIN_RECORDS of them) have it: a story filed twice does not make its sentences boilerplate
MIN_RECORDS = 5
MIN_RECORD_SHARE = 0.05
PHRASE_WORDS = 8
_RECORD_SAMPLE = 500  # records counted per source: enough to see a share of 5%
_TOKEN = re.compile(r"\S+")
_URL = re.compile(r"^(?:https?://|www\.)", re.IGNORECASE)


@dataclass(frozen=True)
class Templates:
    """The template lines learned from a corpus, in the normalised form of `key`."""

    lines: frozenset[str] = frozenset()
    phrases: frozenset[str] = frozenset()  # PHRASE_WORDS word keys (see _word_keys), joined

    def marks(self, lines: Sequence[str]) -> list[bool]:
        """For each line, whether it is a template line."""
        # one pass over the page instead of a regex call per line
        keys = _INLINE_SPACES.sub(" ", "\n".join(lines)).casefold().split("\n")
        if len(keys) != len(lines):  # a line holding a newline itself
            keys = list(map(key, lines))
        return list(map(self.lines.__contains__, map(str.strip, keys)))

    def without_phrases(self, text: str) -> str:
        """`text` without the runs of words that are a source's boilerplate phrases."""
        if not self.phrases:
            return text
        tokens = list(_TOKEN.finditer(text))
        keys = _word_keys(token.group() for token in tokens)
        cut = [False] * len(tokens)
        for start in range(len(tokens) - PHRASE_WORDS + 1):
            if " ".join(keys[start : start + PHRASE_WORDS]) in self.phrases:
                cut[start : start + PHRASE_WORDS] = [True] * PHRASE_WORDS
        if not any(cut):
            return text
        kept, position = [], 0
        for token, drop in zip(tokens, cut, strict=True):
            if drop:
                kept.append(text[position : token.start()])
                position = _skip_spaces(text, token.end())
        return "".join(kept) + text[position:]


def key(line: str) -> str:
    """A line compared across dumps: spacing collapsed, case ignored."""
    return _SPACES.sub(" ", line).strip().casefold()


def dump_lines(text: str) -> list[str]:
    """The non-empty lines of a text dump, stripped (blank lines carry no meaning)."""
    return [stripped for line in text.splitlines() if (stripped := line.strip())]


def learn_templates(
    files: Iterable[InputFile],
    min_dumps: int = MIN_DUMPS,
    records: Iterable[tuple[str, str]] = (),
    known: dict[str, list] | None = None,
) -> Templates:
    """Learn the lines that repeat across at least `min_dumps` of the text dumps in `files`
    (other kinds of input are ignored), and the lines and phrases that recur across the
    `records`, given as (source, text) pairs.

    `known` (source -> [digest of its sample, lines, phrases]) is what earlier runs learned of
    each source: a source whose sample of records is the same is not counted again (counting
    a source's phrases is most of the work, and a day's new records leave most sources alone).
    It is brought up to date in place: this run's sources, as learned now."""
    seen_in = Counter(
        line for file in files if file.kind == "text" for line in _candidates(file.text)
    )
    lines = {line for line, dumps in seen_in.items() if dumps >= min_dumps}
    by_source: defaultdict[str, list[str]] = defaultdict(list)
    for source, text in records:
        by_source[source].append(text)
    known = {} if known is None else known
    for gone in known.keys() - by_source.keys():
        del known[gone]
    phrases: set[str] = set()
    for source, texts in by_source.items():
        sample = texts[:: -(-len(texts) // _RECORD_SAMPLE)]  # evenly spaced, in order
        digest = hashlib.sha256("\0".join(sample).encode("utf-8", "surrogatepass")).hexdigest()
        if known.get(source, [None])[0] != digest:
            known[source] = [digest, *_source_templates(sample)]
        lines.update(known[source][1])
        phrases.update(known[source][2])
    return Templates(frozenset(lines), frozenset(phrases))


def _source_templates(sample: list[str]) -> tuple[list[str], list[str]]:
    """The lines and phrases that recur across a source's sample of records, sorted."""
    need = max(MIN_RECORDS, MIN_RECORD_SHARE * len(sample))
    line_counts = Counter(line for text in sample for line in _candidates(text))
    phrase_counts = Counter(phrase for text in sample for phrase in _phrases(text))
    return (
        sorted(line for line, count in line_counts.items() if count >= need),
        sorted(phrase for phrase, count in phrase_counts.items() if count >= need),
    )


def _candidates(text: str) -> Iterator[str]:
    """Each distinct short line of one dump, once."""
    for line in set(map(key, dump_lines(text))):
        if len(_WORD.findall(line)) < _PROSE_WORDS:
            yield line


def _word_keys(words: Iterable[str]) -> list[str]:
    """Words as compared across records: case ignored, every link alike (a share bar's
    permalink differs in each record)."""
    return ["<url>" if _URL.match(word) else word.casefold() for word in words]


def _phrases(text: str) -> set[str]:
    """Each distinct run of PHRASE_WORDS words of one record, once."""
    keys = _word_keys(_TOKEN.findall(text))
    return {" ".join(keys[i : i + PHRASE_WORDS]) for i in range(len(keys) - PHRASE_WORDS + 1)}


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t":
        position += 1
    return position
