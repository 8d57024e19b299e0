"""The headline a reader sees, chosen among what a page offers.

A page names its article several times: the <h1> a reader sees, the JSON-LD `headline`,
og:title and <title>, the last three often with the site's name glued on ("Headline | Site")
or shortened for search engines. A visible heading wins when one of the others agrees with it
(most of its words; shown as the page shows it, less a kicker printed before it); then the
first heading that reads as a headline (not the site's name, not a one- or two-word section
label); then the stated headline, without the site's name.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Iterable, Sequence

from broadsheet.extract.credits import is_credit

_SEPARATOR = re.compile(
    r"\s+(?:\||-|--|\u2013|\u2014|::|\u00bb|\u00b7|/|\u01c0|>)\s+|\s*[|\u00bb_\u01c0]\s*"
)
_SHORT_PART_WORDS = 4  # "| Yonhap News Agency", "-- Puppet Masters", "| CNN Politics"
_WORD = re.compile(r"[^\W_]+")
_NOT_WORD = re.compile(r"[\W_]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_MIN_SHARED = 0.6  # share of the shorter title's words the longer one must have
_MIN_HEADLINE_WORDS = 3  # "Entertainment", "Sports Wire" label a section, not a story
_PARAGRAPH_KEY = 40  # letters of a paragraph that find it among the page's lines
_MIN_KEY = 10
_LINES_ABOVE = 15
_MAX_HEADLINE_WORDS = 25
_NOT_HEADLINE = re.compile(
    # a date or time, a byline, or script code that broken markup left as text
    r"\b(?:1[89]|20)\d\d\b|^\W*by\b|\d{1,2}:\d\d|[;{}=<>]|\w\(['\"]?|\(\)",
    re.IGNORECASE,
)
_MAX_PARTS = 8  # "Site | Section | Subsection | Headline": more is a list of keywords
_DOMAIN = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}$", re.IGNORECASE)


# what a page's toolbar, share bar or reading-time badge says: never a headline
_INTERFACE = re.compile(
    r"(?:\d+\s*(?:min(?:ute)?s?|hours?)\s*(?:read|listen)|(?:copy|share|email|print)"
    r"(?: (?:the|this))?(?: link| article| story| page)?|link copied|url (?:is )?copied"
    r"|(?:increase|decrease|change)?(?: article| text)? ?font size|like save print"
    r"|(?:sign|log) ?(?:in|up|out)|subscribe(?: now)?|advertisement|skip to(?: main)? content"
    r"|read more|back to top|listen to (?:this|the) (?:article|story)|\d* ?comments?"
    r"|show comments|leave a comment|follow us|share (?:on|via) \w+|close|menu|search"
    r"|(?:like|save|print|share|tweet|email|comment)(?:\W+(?:like|save|print|share|tweet|email"
    r"|comment))+)",
    re.IGNORECASE,
)


def is_interface(text: str) -> bool:
    """Whether a text is an interface string ("6 minute read", "Copy the Link", "URL is
    copied.", "LIKE SAVE PRINT"), never a headline."""
    return bool(_INTERFACE.fullmatch(text.strip(" .!:|\u2022\u00b7")))


def choose_headline(
    headings: Sequence[str],
    stated: Sequence[str | None],
    site_names: Iterable[str],
    page_lines: Collection[str] = (),
    line_above: str | None = None,
) -> str | None:
    """The headline among the page's visible `headings` and its `stated` titles (JSON-LD
    headline, og:title, <title>, in that order of trust); `page_lines`, the short texts the
    page shows, tell which part of a "Site - Section - Headline" title the page prints, and
    `line_above` (the line printed above the article's text) is the headline of a page whose
    titles name only the site."""
    sites = _site_keys(site_names)
    whole = [html.unescape(title) for title in stated if title]
    candidates = [cut_site_name(title, sites) for title in whole]
    named = [title for title in candidates if title and not _is_site(title, sites)]
    shown = [heading for heading in headings if not _is_site(heading, sites)]
    agreed, section_label = _agreed_heading(shown, named, whole)
    # a section label the title also carries gives way to the line printed above the
    # article
    if section_label and line_above and not _is_label(line_above):
        return line_above
    if agreed:
        return agreed
    shown_keys = {_key(line) for line in page_lines}
    for title in whole:
        if part := _part_shown(title, shown_keys, sites) or _line_in_title(
            title, page_lines, sites
        ):
            return part
    for heading in shown:
        if _word_count(heading) >= _MIN_HEADLINE_WORDS:
            return heading
    if line_above and not _is_site(line_above, sites):
        return line_above
    return next(iter(named + shown + candidates + list(headings)), None)


def _agreed_heading(
    shown: Sequence[str], named: Sequence[str], whole: Sequence[str]
) -> tuple[str | None, bool]:
    """The visible heading that best agrees with a stated title, and whether it is a
    section label that only a whole title carries ("Sports Wire" in "cbs4denver.com -
    Sports Wire"). First a heading with the same words as a title without the site's name
    (the titles in their order of trust), then a heading that agrees with such a title,
    then with a whole title (a heading may be the part cut as a site's name: "Zee News -
    Om Shanti Om", the site unknown); a one- or two-word label comes after headlines, so
    that neither "Herald Sun" nor "National News" beats the headline both titles hold."""
    for title in named:
        for heading in shown:
            if _key(heading) == _key(title):
                # shown as the page shows it, less a kicker the most trusted title leaves out
                trusted = next(other for other in named if agree(heading, other))
                return _as_shown(heading, trusted), False
    headlines = [heading for heading in shown if not _is_label(heading)]
    labels = [heading for heading in shown if _is_label(heading)]
    for headings, titles in ((headlines, named), (headlines, whole), (labels, named)):
        for heading in headings:
            for title in titles:
                if agree(heading, title):
                    return _as_shown(heading, title), False
    parts = {_key(part) for title in whole for part in _SEPARATOR.split(title)}
    for heading in labels:
        if any(agree(heading, title) for title in whole):
            return heading, _key(heading) in parts
    return None, False


def _is_label(text: str) -> bool:
    """A one- or two-word text: a section's label ("National News"), not a headline."""
    return len(_words(text)) < _MIN_HEADLINE_WORDS and not _CJK.search(text)


def line_above(lines: Sequence[str], first_paragraph: str) -> str | None:
    """The nearest line before the article's first paragraph (in the page's `lines`, in
    order) that reads as a headline: a few words, no date, time or byline."""
    start = _key(first_paragraph)[:_PARAGRAPH_KEY]
    # the paragraph's first line, or its first words when markup splits them ("<b>LONDON:
    # </b>Britain introduced ..."); the lines' keys are made as far as the paragraph
    keys: list[str] = []
    at = None
    for key in map(_key, lines):
        keys.append(key)
        if len(key) >= _MIN_KEY and start.startswith(key[:_PARAGRAPH_KEY]):
            at = len(keys) - 1
            break
    if at is None:  # `keys` holds every line's
        at = next(
            (
                i
                for i, key in enumerate(keys)
                if key and start.startswith(key) and start.startswith("".join(keys[i : i + 3]))
            ),
            None,
        )
    if at is None:
        return None
    for line in reversed(lines[max(0, at - _LINES_ABOVE) : at]):
        fits = _MIN_HEADLINE_WORDS <= len(line.split()) <= _MAX_HEADLINE_WORDS
        if fits and not _NOT_HEADLINE.search(line) and not is_credit(line):
            return line
    return None


def agree(a: str, b: str) -> bool:
    """Whether two titles name the same headline: the same words, one inside the other, or
    most of the shorter one's words in the longer ("Headline" and "Headline | Site", a
    shortened SEO title)."""
    words_a, words_b = _words(a), _words(b)
    if not words_a or not words_b:
        return False
    if words_a == words_b:
        return True
    short, long = sorted((words_a, words_b), key=len)
    if len(short) < 2 and not _CJK.search(short[0]):
        return False
    if " ".join(short) in " ".join(long):
        return True
    shared = len(set(short) & set(long))
    return shared >= _MIN_SHARED * len(set(short))


def _as_shown(heading: str, title: str) -> str:
    """The heading as the page shows it, unless it only adds a kicker in front of the stated
    title ("Tunesien" + "Große Aufgaben für die neue Regierung")."""
    shown, stated = _key(heading), _key(title)
    # compared letter by letter: a kicker may be glued on ("Regular ArticleLate Pleistocene")
    kicker = len(shown) > len(stated) and shown.endswith(stated)
    return title if kicker else heading


def _part_shown(title: str, shown_keys: set[str], site_keys: set[str]) -> str | None:
    """The longest run of a title's parts that the page also prints as a line of its own
    (not the site's name, not a short section label)."""
    parts = [part for part in _SEPARATOR.split(title) if part.strip()][:_MAX_PARTS]
    keys = [_key(part) for part in parts]  # separators have no letters: a run's key is theirs
    runs = [(start, end) for start in range(len(parts)) for end in range(start + 1, len(parts) + 1)]
    found = []
    for start, end in runs:
        if "".join(keys[start:end]) not in shown_keys:
            continue
        text = title[title.find(parts[start]) : title.rfind(parts[end - 1]) + len(parts[end - 1])]
        if not _is_site(text, site_keys) and not _is_label(text):
            # a headline outweighs a "World - Sport" breadcrumb, and gains nothing from
            # the labels after it ("Headline - National - Sport")
            weight = sum(len(_words(part)) for part in parts[start:end] if not _is_label(part))
            found.append((weight, start - end, text.strip()))
    return max(found)[2] if found else None


def _line_in_title(title: str, lines: Iterable[str], site_keys: set[str]) -> str | None:
    """The longest line the page prints that a title holds without a separator of its own
    around it ("NDTV.com: Modi, BJP leaders discuss poll strategies", "... To the Point.
    -China promises safe food"): a headline, not the site's name or a label."""
    whole = _key(title)
    found = {
        line
        for line in lines
        if len(_words(line)) >= _MIN_HEADLINE_WORDS
        and _key(line) in whole
        and not _is_site(line, site_keys)
        and not _NOT_HEADLINE.search(line)
    }
    return max(found, key=lambda line: (len(_words(line)), line), default=None)


def cut_site_name(title: str, site_keys: set[str]) -> str:
    """'Headline | Section | Site' -> 'Headline' (also 'Site: Headline'): parts that name the
    site go, and so do short trailing parts after the last separator."""
    parts = _SEPARATOR.split(title)
    while len(parts) > 1 and _key(parts[0]) in site_keys:
        parts.pop(0)
    while len(parts) > 1 and (
        _key(parts[-1]) in site_keys or len(parts[-1].split()) <= _SHORT_PART_WORDS
    ):
        parts.pop()
    if len(parts) == 1:
        return parts[0].strip()
    # what is left keeps its own separators ("Biden - the president who ...")
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip()


def _site_keys(names: Iterable[str]) -> set[str]:
    """A site's names as compared: 'The Korea Herald', 'koreaherald.com' -> 'koreaherald'."""
    keys = set()
    for name in names:
        if not name:
            continue
        keys.add(_key(name))
        host = name.casefold().removeprefix("www.")
        if "." in host and " " not in host:  # a domain: its name without the suffix
            keys.add(_key(host.split(".")[0]))
        keys.add(_key(re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)))
    keys.discard("")
    return keys


def _is_site(title: str, site_keys: set[str]) -> bool:
    return _key(title) in site_keys or bool(_DOMAIN.match(title.strip()))


def _word_count(text: str) -> int:
    """Words, counting two CJK characters as one (those scripts put no spaces)."""
    return len(text.split()) + len(_CJK.findall(text)) // 2


def _key(text: str) -> str:
    """The text's letters and digits, casefolded: 'The Korea-Herald' -> 'thekoreaherald'."""
    return _NOT_WORD.sub("", text.casefold())


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())
