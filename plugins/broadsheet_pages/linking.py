"""Link the first mention of each entity in an article's body to the entity's page.

The body is parsed with lxml and only text nodes are searched, so a link is never put inside
an existing link, a heading or code, and the markup stays well formed; the text is escaped
again on output. Names are found with str.find (no regex to compile per article: this runs
on every article of the site).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from lxml import html
from markupsafe import escape

from broadsheet.files import read_json_object, write_if_changed

SKIPPED = frozenset(
    {
        "a",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "code",
        "pre",
        "script",
        "style",
        "button",
        "label",
        "option",
        "textarea",
        "title",
    }
)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _occurrences(text: str, name: str) -> Iterator[int]:
    """Where `name` occurs in `text` as a whole word."""
    start = text.find(name)
    while start != -1:
        end = start + len(name)
        if (start == 0 or not _is_word_char(text[start - 1])) and (
            end == len(text) or not _is_word_char(text[end])
        ):
            yield start
        start = text.find(name, start + 1)


def first_mentions(
    text: str, names: Mapping[str, str], linked: set[str]
) -> list[tuple[int, int, str]]:
    """(start, end, href) of the first mention of each href not linked yet.

    Mentions are read left to right, the longest name at each place ("Kim Jong-un", not
    "Kim"), as a regex alternation would; a name inside a longer one is not a mention.
    """
    found = sorted(
        (start, -len(name), name) for name in names for start in _occurrences(text, name)
    )
    spans: list[tuple[int, int, str]] = []
    consumed = 0
    for start, negative_length, name in found:
        if start < consumed:
            continue
        consumed = start - negative_length
        href = names[name]
        if href not in linked:
            linked.add(href)
            spans.append((start, consumed, href))
    return spans


def _anchored(text: str, spans: list[tuple[int, int, str]]) -> tuple[str, list]:
    """Split text at the spans: (leading text, anchor elements carrying the rest as tails)."""
    anchors = []
    for index, (start, end, href) in enumerate(spans):
        anchor = html.Element("a", href=href)
        anchor.text = text[start:end]
        anchor.tail = text[end : spans[index + 1][0] if index + 1 < len(spans) else len(text)]
        anchors.append(anchor)
    return text[: spans[0][0]], anchors


def _walk(element, names: Mapping[str, str], linked: set[str]) -> None:
    if element.text and (spans := first_mentions(element.text, names, linked)):
        element.text, anchors = _anchored(element.text, spans)
        for offset, anchor in enumerate(anchors):
            element.insert(offset, anchor)
    for child in list(element):
        if isinstance(child.tag, str) and child.tag not in SKIPPED:
            _walk(child, names, linked)
        if child.tail and (spans := first_mentions(child.tail, names, linked)):
            child.tail, anchors = _anchored(child.tail, spans)
            for offset, anchor in enumerate(anchors, start=element.index(child) + 1):
                element.insert(offset, anchor)


def _present(body: str, names: Iterable[str]) -> list[str]:
    return [name for name in names if name in body]


def link_first_mentions(body: str, names: Mapping[str, str]) -> str:
    """The body with the first mention of each href's names linked; unchanged if none."""
    present = _present(body, names) if body else []
    if not present:  # a plain substring test on the raw HTML: most names end here
        return body
    root = html.fragment_fromstring(body, create_parent="div")
    linked: set[str] = set()
    _walk(root, {name: names[name] for name in present}, linked)
    if not linked:
        return body
    return str(escape(root.text or "")) + "".join(
        html.tostring(child, encoding="unicode") for child in root
    )


class LinkedBodies:
    """`link_first_mentions` with the last build's results kept in a file (in Pelican's cache
    folder): a body whose text and names are as they were is not parsed again. Results are
    kept by a digest of what they are made from, so a stale or partial file gives no wrong
    body; `save` keeps only the results of this build."""

    def __init__(self, path: Path | None):
        self.path = path
        self._old = read_json_object(path)
        self._new: dict[str, str | None] = {}

    def link(self, body: str, names: Mapping[str, str]) -> str:
        key = hashlib.sha256(json.dumps([body, sorted(names.items())]).encode()).hexdigest()
        if key in self._old:
            linked = self._old[key]
        else:
            linked = link_first_mentions(body, names)
            linked = None if linked == body else linked
        self._new[key] = linked
        return body if linked is None else linked

    def save(self) -> None:
        if self.path is not None:
            # no indent: json's C encoder (an indent takes its pure-Python one)
            write_if_changed(self.path, json.dumps(self._new, sort_keys=True))
