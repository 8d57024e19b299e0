"""Split a record's text into readable paragraphs.

Scraper records often hold a whole article as one line. We cut it into sentences, never
inside abbreviations such as "U.S." or "Mr.", and group them three to five to a paragraph.
Wire copy comes the other way: hard-wrapped at about 70 characters, a paragraph marked by an
indent or a blank line; its lines are joined back into the story's paragraphs.
"""

from __future__ import annotations

import re

# Words that end with a period without ending the sentence (compared case-insensitively,
# without the final period). Initials ("John F. Kennedy") and dotted forms ("U.S.", "a.m.")
# are recognised by shape instead.
# fmt: off
ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "sen", "rep", "gov", "lt", "col",
    "maj", "sgt", "capt", "cmdr", "adm", "pres", "supt", "rev", "fr", "hon", "messrs", "mt",
    "ft", "inc", "corp", "co", "ltd", "llc", "bros", "dept", "univ", "est", "approx", "vs",
    "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
})
# fmt: on
# Abbreviations only when a number follows ("No. 1", "Vol. 3"): "He said no. The" ends.
NUMBER_ABBREVIATIONS = frozenset({"no", "nos", "vol", "art", "pp"})

# A sentence may end at . ! ? or an ellipsis, followed by any closing quotes or
# brackets, then whitespace and something that can start a sentence.
_OPENERS = "\"'\u201c\u2018(["
_CLOSERS = "\"'\u201d\u2019)]"
_BOUNDARY = re.compile(
    rf"(?<=[.!?\u2026])([{re.escape(_CLOSERS)}]*)\s+(?=[{re.escape(_OPENERS)}]?[A-Z0-9])"
)
_LAST_WORD = re.compile(rf"(\S+)\.[{re.escape(_CLOSERS)}]*$")
_DOTTED = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]?$")  # U.S  a.m  e.g  U.N

SENTENCES_PER_PARAGRAPH = 4  # aim; paragraphs get 3 to 5 sentences when there are enough
# Hard-wrapped text: lines at most this long, most of them broken mid-sentence
WRAP_WIDTH = 100
_MIN_WRAPPED_LINES = 3
_MIN_MID_SENTENCE = 0.3  # share of a wrapped text's lines that end inside a sentence
_LINE_END = re.compile(rf"[.!?:;\u2026][{re.escape(_CLOSERS)}]*$")
_INDENT = re.compile(r"^(?:\s{2,}|\t)")


def sentences(text: str) -> list[str]:
    """The sentences of `text`, whitespace-normalised."""
    text = " ".join(text.split())
    if not text:
        return []
    result: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        candidate = text[start : match.end(1)]
        if _ends_with_abbreviation(candidate, text[match.end()]):
            continue
        result.append(candidate.strip())
        start = match.end()
    result.append(text[start:].strip())
    return [sentence for sentence in result if sentence]


def _ends_with_abbreviation(chunk: str, next_char: str) -> bool:
    match = _LAST_WORD.search(chunk)
    if match is None:  # ends with ! ? or …
        return False
    word = match.group(1).lstrip(_OPENERS)
    folded = word.casefold()
    if len(word) == 1 and word.isalpha():  # an initial: "John F. Kennedy"
        return True
    if folded in NUMBER_ABBREVIATIONS:
        return next_char.isdigit()
    return folded in ABBREVIATIONS or bool(_DOTTED.match(word))


def group_sentences(items: list[str]) -> list[str]:
    """Join sentences into paragraphs of nearly equal size, about four sentences each."""
    if not items:
        return []
    count = max(1, round(len(items) / SENTENCES_PER_PARAGRAPH))
    size, extra = divmod(len(items), count)
    paragraphs, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        paragraphs.append(" ".join(items[start:end]))
        start = end
    return paragraphs


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of `text`: its own breaks when it has them (blank lines, else line
    breaks; wrapped lines joined back); otherwise groups of sentences."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.strip():
        return []
    lines = text.split("\n")
    if is_hard_wrapped(lines):
        return reflow(lines)
    text = text.strip()
    for separator in (re.compile(r"\n\s*\n"), re.compile(r"\n")):
        parts = [" ".join(part.split()) for part in separator.split(text)]
        parts = [part for part in parts if part]
        if len(parts) > 1:
            return parts
    return group_sentences(sentences(text))


def is_hard_wrapped(lines: list[str]) -> bool:
    """Whether lines were broken at a fixed width (wire copy, e-mail, plain-text archives)
    rather than at paragraph ends: none is long, and many end in mid-sentence."""
    filled = [line.strip() for line in lines if line.strip()]
    if len(filled) < _MIN_WRAPPED_LINES or max(map(len, filled)) > WRAP_WIDTH:
        return False
    mid_sentence = sum(not _LINE_END.search(line) for line in filled[:-1])
    return mid_sentence >= _MIN_MID_SENTENCE * (len(filled) - 1)


def reflow(lines: list[str]) -> list[str]:
    """Join wrapped lines into paragraphs; a blank line or an indented line starts one."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if not line.strip() or _INDENT.match(line) or line.startswith(" "):
            paragraphs.append([])
        if line.strip():
            paragraphs[-1].append(line.strip())
    return [" ".join(" ".join(words).split()) for words in paragraphs if words]
