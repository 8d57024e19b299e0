"""Site templates: lines that repeat across page dumps are menus, footers and the like.

A corpus-level step, run once over all text dumps before extraction. A line printed in
several different dumps (a menu entry, a copyright footer, "MOST POPULAR") is evidence of
boilerplate; read_text.py passes that evidence to its line classifier. Long prose lines are
never learned as template: the same story scraped twice, or wire copy republished by
several outlets, repeats its paragraphs across dumps, and those must stay body text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from broadsheet.records import InputFile

MIN_DUMPS = 2  # a line seen in this many different dumps is template
_PROSE_WORDS = 12  # lines this long are prose, never template
_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
_INLINE_SPACES = re.compile(r"[^\S\n]+")


@dataclass(frozen=True)
class Templates:
    """The template lines learned from a corpus, in the normalised form of `key`."""

    lines: frozenset[str] = frozenset()

    def marks(self, lines: Sequence[str]) -> list[bool]:
        """For each line, whether it is a template line."""
        # one pass over the page instead of a regex call per line
        keys = _INLINE_SPACES.sub(" ", "\n".join(lines)).casefold().split("\n")
        if len(keys) != len(lines):  # a line holding a newline itself
            keys = list(map(key, lines))
        return list(map(self.lines.__contains__, map(str.strip, keys)))


def key(line: str) -> str:
    """A line compared across dumps: spacing collapsed, case ignored."""
    return _SPACES.sub(" ", line).strip().casefold()


def dump_lines(text: str) -> list[str]:
    """The non-empty lines of a text dump, stripped (blank lines carry no meaning)."""
    return [stripped for line in text.splitlines() if (stripped := line.strip())]


def learn_templates(files: Iterable[InputFile], min_dumps: int = MIN_DUMPS) -> Templates:
    """Learn the lines that repeat across at least `min_dumps` of the text dumps in `files`
    (other kinds of input are ignored)."""
    seen_in = Counter(
        line for file in files if file.kind == "text" for line in _candidates(file.text)
    )
    return Templates(frozenset(line for line, dumps in seen_in.items() if dumps >= min_dumps))


def _candidates(text: str) -> Iterator[str]:
    """Each distinct short line of one dump, once."""
    for line in set(map(key, dump_lines(text))):
        if len(_WORD.findall(line)) < _PROSE_WORDS:
            yield line
