"""Link the first mention of each entity in an article's body to the entity's page.

The body is parsed with lxml and only text nodes are searched, so a link is never put inside
an existing link, a heading or code, and the markup stays well formed; the text is escaped
again on output.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from lxml import html
from markupsafe import escape

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


def mention_pattern(names: Mapping[str, str]) -> re.Pattern[str]:
    """Any of the names as a whole word, the longest first ("Kim Jong-un" before "Kim")."""
    alternatives = sorted(names, key=lambda name: (-len(name), name))
    return re.compile(r"(?<!\w)(?:{})(?!\w)".format("|".join(map(re.escape, alternatives))))


def _anchors(
    text: str, pattern: re.Pattern[str], names: Mapping[str, str], linked: set[str]
) -> tuple[str, list[html.HtmlElement]]:
    """Split text at the first unlinked mention of each target: (leading text, anchors)."""
    lead, anchors, last = None, [], 0
    for match in pattern.finditer(text):
        href = names[match.group()]
        if href in linked:
            continue
        linked.add(href)
        piece = text[last : match.start()]
        if anchors:
            anchors[-1].tail = piece
        else:
            lead = piece
        anchor = html.Element("a", href=href)
        anchor.text = match.group()
        anchors.append(anchor)
        last = match.end()
    if not anchors:
        return text, []
    anchors[-1].tail = text[last:]
    return lead or "", anchors


def _walk(
    element: html.HtmlElement, pattern: re.Pattern[str], names: Mapping[str, str], linked: set[str]
) -> None:
    if element.text:
        element.text, anchors = _anchors(element.text, pattern, names, linked)
        for offset, anchor in enumerate(anchors):
            element.insert(offset, anchor)
    for child in list(element):
        if isinstance(child.tag, str) and child.tag not in SKIPPED:
            _walk(child, pattern, names, linked)
        if child.tail:
            child.tail, anchors = _anchors(child.tail, pattern, names, linked)
            for offset, anchor in enumerate(anchors, start=element.index(child) + 1):
                element.insert(offset, anchor)


def link_first_mentions(body: str, names: Mapping[str, str]) -> str:
    """The body with the first mention of each href's names linked; unchanged if none."""
    if not names or not body:
        return body
    pattern = mention_pattern(names)
    if not pattern.search(body):  # cheap test on the raw HTML; most bodies end here
        return body
    root = html.fragment_fromstring(body, create_parent="div")
    linked: set[str] = set()
    _walk(root, pattern, names, linked)
    if not linked:
        return body
    return str(escape(root.text or "")) + "".join(
        html.tostring(child, encoding="unicode") for child in root
    )
