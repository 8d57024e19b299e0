"""Bylines into people: "By Jane Roe and John Doe" -> ("Jane Roe", "John Doe").

What pages put where a byline goes is often not a name: interface strings ("Link Copied",
"See full bio"), photo credits ("(Image: Getty Images)"), dates ("Dec"), roles ("Staff
Writer"), links and handles. Those are dropped; wire agencies ("AP", "Reuters") are kept, as
they are the author of wire copy. "Surname, First" (library catalogues, `dc.creator`) is one
person, written the way a reader sees it: "Brazil, Rachel" -> "Rachel Brazil".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from broadsheet.extract.credits import CREDIT, is_credit

_PREFIX = re.compile(
    r"^\s*(?:(?:written|posted|reported|reporting|words|story|text|compiled|edited)\s+by|by|"
    r"von|par|por|door|di|av|author|authors|autor|auteur|reporter)\b\s*[:|/\-\u2013\u2014]?\s*",
    re.IGNORECASE,
)
# people in one byline: ", " "; " " & " " and " " | " and the same words in a few languages
_SEPARATOR = re.compile(r"\s*(?:[,;|/&\u00b7\u2022]|\b(?:and|und|et|y|e|en|og|och)\b)\s*")
_EMAIL_OR_HANDLE = re.compile(r"\S+@\S+|(?<!\w)@\w+|https?://\S+|www\.\S+", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
# a role with its qualifier: "Staff Reporter", "Sports Writer", "Senior Political Correspondent"
_ROLE = re.compile(
    r"\b(?:(?:staff|senior|chief|political|foreign|diplomatic|business|national|sports?|"
    r"science|health|tech(?:nology)?|economics?|entertainment|arts|news|special|contributing|"
    r"associate|managing|deputy|executive|assistant|digital)\s+)*"
    r"(?:reporter|writer|correspondent|editor|columnist|contributor|journalist|producer)s?\b",
    re.IGNORECASE,
)
# a byline often runs on into a date or a role: "Jane Roe Updated Dec 3", "Jane Roe - Reporter"
_RUN_ON = re.compile(
    r"\s+(?:[-|\u2013\u2014:]\s+)?(?:updated|published|posted|last updated|on)\b.*$|"
    r"\s+[-\u2013\u2014]\s+.*$",
    re.IGNORECASE,
)
# words that never occur in a person's name, whatever the case: interface, roles, credits
# fmt: off
NOT_NAME_WORDS = frozenset({
    # interface
    "link", "links", "copied", "copy", "share", "shares", "bio", "biography", "follow",
    "following", "followers", "subscribe", "view", "profile", "posts", "post", "read", "more",
    "email", "e-mail", "twitter", "facebook", "instagram", "linkedin", "menu", "print", "comment",
    "comments", "close", "contact", "see", "full", "all", "articles", "latest", "home", "login",
    "sign", "click", "here", "newsletter", "updated", "published", "posted", "mins",
    "minute", "minutes", "ago", "hours", "hour", "advertisement", "sponsored", "opinion",
    "about", "author", "authors", "writer", "writers", "page", "orcid",
    # roles
    "staff", "reporter", "reporters", "correspondent", "editor", "editors", "editorial",
    "columnist", "contributor", "contributors", "contributing", "senior", "chief", "desk",
    "team", "redaktion", "rédaction", "redacción", "redazione", "intern", "producer",
    "photographer", "analyst", "journalist", "freelance",
    # credits
    "photo", "photos", "image", "images", "picture", "pictures", "pic", "credit", "credits",
    "getty", "shutterstock", "illustration", "video", "file",
    # dates
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "january", "february", "march", "april", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "today", "yesterday", "am", "pm",
})
# a recipe card's labels ("Main Ingredient", "Cuisine"): no name in a text that holds one
RECIPE_LABEL_WORDS = frozenset({
    "ingredient", "ingredients", "servings", "cuisine", "recipe", "recipes", "calories",
    "keyword", "keywords",
})
# words a headline in title case carries after a name, which no name does inside it:
# "Hillary Clinton Gets More Faithless Electors", "Demi Lovato For Body-Shaming Her"
HEADLINE_TAIL_WORDS = frozenset({
    "for", "with", "from", "after", "over", "than", "into", "against", "her", "his", "their",
    "is", "are", "was", "were", "has", "have", "had", "gets", "says",
})
# lower-case words inside names: "Ursula von der Leyen", "Michelina C. de la Maza"
PARTICLES = frozenset({
    "de", "del", "della", "der", "den", "di", "da", "das", "do", "dos", "du", "la", "le", "van",
    "von", "bin", "binti", "al", "el", "ibn", "ter", "ten", "y", "zu", "af", "st.",
})
# fmt: on
MAX_NAME_WORDS = 5
_NEWSROOM_UNITS = frozenset({"desk", "team", "staff", "redaktion", "newsroom", "bureau"})
_ACRONYM = re.compile(r"[A-Z]{1,5}")
_WORD = re.compile(r"[^\W\d_][\w'\u2019.-]*")
_QUOTES = '"\u201c\u201d'
_JOINED = re.compile(r"[/\u2013\u2014]")
# a picture's credit joined to its photographer: "David McNew\u2014Getty Images"
_JOINED_CREDIT = re.compile(r"\w[/\u2013\u2014](?:getty|shutterstock|courtesy)\b", re.I)


def people(byline: str, agencies: Iterable[str] = ()) -> tuple[str, ...]:
    """The people (and wire agencies) a byline names, in order, each once."""
    text = CREDIT.sub(" ", " ".join(byline.split()))
    text = _EMAIL_OR_HANDLE.sub(" ", text)
    text = _RUN_ON.sub("", _PREFIX.sub("", text))
    text = _ROLE.sub(" ", text)
    known = {agency.casefold() for agency in agencies}
    if (one := _surname_first(text, known)) is not None:
        return (one,)
    names = []
    for part in re.split(r"\s*;\s*", text):
        if (one := _surname_first(part, known)) is not None:
            names.append(one)
            continue
        for piece in _SEPARATOR.split(part):
            name = _PREFIX.sub("", piece).strip(" .:-\u2013\u2014'\"()[]")
            if name.casefold() in known or is_name(name := _leading_name(name)):
                names.append(name)
    return _unique(names)


# the end of a name the dump broke off onto a line of its own: "Bess Levi" / "n"
_SPLIT_TAIL = re.compile(r"(?<=[^\W\d_][a-z])\s+([a-z]{1,2})(?=\s*(?:$|[,;|]))")
_NO_TAIL = PARTICLES | {"a", "an", "as", "at", "by", "in", "is", "it", "of", "on", "or", "to"}


def _rejoin(match: re.Match[str]) -> str:
    return match.group(0) if match.group(1) in _NO_TAIL else match.group(1)


def rejoined(byline: str) -> str:
    """The byline with a name's end that the dump broke off rejoined: "By Bess Levi n"
    -> "By Bess Levin" (a particle or a short word, "Jean de", "Jane Roe in", stays)."""
    return _SPLIT_TAIL.sub(_rejoin, byline)


def is_name(text: str) -> bool:
    """Whether `text` can be a person's or an agency's name (not a date, a role, a link or an
    interface string)."""
    if not text or _DIGIT.search(text) or _EMAIL_OR_HANDLE.search(text):
        return False
    words = text.split()
    if len(words) > MAX_NAME_WORDS:
        return False
    # "David McNew\u2014Getty", "Photo/Getty": a credit joined to a name by a dash or slash
    folded = [part for word in words for part in _JOINED.split(word.casefold())]
    if any(part.strip(".,'\u2019()") in NOT_NAME_WORDS for part in folded):
        return False
    # a nickname in quotes is part of the name: 'Amanda "Tania Mae" Tan'
    letters = [word.strip(_QUOTES) for word in words if _WORD.match(word.strip(_QUOTES))]
    if not letters:
        return False
    cased = [word for word in letters if word[0].isupper() or word[0].islower()]
    # scripts without case (Chinese, Japanese, Korean, Arabic...) carry no capital to check
    return all(word[0].isupper() or word.casefold() in PARTICLES for word in cased)


def no_byline(text: str) -> bool:
    """Whether a block the byline model likes is a headline or a recipe card's label, which
    name no one: a title-case verb or preposition among its words ("Hillary Clinton Gets
    More ...", "Demi Lovato For Body-Shaming Her"; a last word, "Kelvin To", may be a
    surname), or a label word ("Main Ingredient"). Such a block is no byline candidate
    (the names `byline_names` reads in it stay a feature of the other roles)."""
    for piece in _SEPARATOR.split(_PREFIX.sub("", " ".join(text.split()))):
        inner = piece.split()[1:-1]
        if any(word.istitle() and word.casefold() in HEADLINE_TAIL_WORDS for word in inner):
            return True
    return any(word.strip(".,:").casefold() in RECIPE_LABEL_WORDS for word in text.split())


def _leading_name(text: str) -> str:
    """The words of `text` up to the first one that cannot be in a name: "Jane Roe See full
    bio" -> "Jane Roe", "Samo Burja is the president of..." -> "Samo Burja"."""
    if text.split() and text.split()[-1].casefold() in _NEWSROOM_UNITS:
        return ""  # "National Desk", "BWW News Desk": no person
    words = []
    split = text.split()
    for i, word in enumerate(split):
        folded = word.strip(".,'\u2019()").casefold()
        # "May" is in a name ("Kate May"), not alone nor before a day ("Jane Roe May 3")
        after = split[i + 1] if i + 1 < len(split) else ""
        month = folded == "may" and (len(split) == 1 or bool(_DIGIT.match(after)))
        cannot = (
            folded in NOT_NAME_WORDS
            or month
            or _DIGIT.search(word)
            or not is_name(word.strip(_QUOTES))
        )
        if cannot and folded not in PARTICLES:
            break
        words.append(word)
    return " ".join(words).strip(" ,;:")


def _surname_first(text: str, agencies: set[str]) -> str | None:
    """ "Brazil, Rachel" or "Brazil, Rachel A." -> "Rachel Brazil"; None for other shapes
    (two agencies, "AFP, AP", are two authors)."""
    match = re.fullmatch(r"([^\W\d_][\w'\u2019-]+),\s*([^\W\d_][\w'\u2019-]+(?:\s+[A-Z]\.)*)", text)
    if not match:
        return None
    surname, first = match.groups()
    if not (is_name(surname) and is_name(first)) or surname.isupper() != first.isupper():
        return None
    if {surname.casefold(), first.casefold()} & agencies or _ACRONYM.fullmatch(surname):
        return None
    return f"{first} {surname}"


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return tuple(seen.values())


# a "by" inside a line: "Posted on May 1, 2020 by Jane Roe", "March 07, 2019 by Robin
# Wieruch", "words written by Kanae Nakamine", a headline the dump joined to its byline
_INNER_BY = re.compile(r"(?:^|\s)(?:(?:written|posted|words written)\s+)?by\s*:?\s+(?=\S)", re.I)
_ABOUT = re.compile(r"^\s*about\s+the\s+author\b\s*[:\-\u2013\u2014]?\s*", re.IGNORECASE)
_INNER_TAIL_WORDS = 8  # what follows an inner "by" is a byline only when it is this short
# what a "by" credits when it is no byline: "Photo by Hudson Hintze", "Design by CSS Templates"
_CREDITED = re.compile(
    r"\b(?:photos?|photograph(?:s|ed)?|images?|pictures?|illustrat(?:ion|ions|ed)|videos?|"
    r"screenshots?|graphics?|maps?|cartoons?|art|artwork|design(?:ed)?|powered|theme|"
    r"translat(?:ed|ion)|"
    r"hosted|built|made|edited|narrated|read|produced)\s*:?$",
    re.IGNORECASE,
)


def byline_names(text: str, agencies: Iterable[str] = ()) -> tuple[str, ...]:
    """The people a dump's byline line names: `people`, or those after a "by" inside the
    line; an affiliation listed after a person ("Alex Duran, AMP Project Marketing,
    Google") is no author. A newsroom's own credit ("By BWW News Desk") is kept as the page
    prints it, as the sources' truth does."""
    text = _ABOUT.sub("", " ".join(text.split()))
    if is_credit(text) or _JOINED_CREDIT.search(text):
        return ()
    agencies = tuple(agencies)
    labelled = bool(_PREFIX.match(text))
    if not labelled and (inner := list(_INNER_BY.finditer(text))):
        # "hit by a car near the station": no byline, and no name from its first words
        tail, before = text[inner[-1].end() :], text[: inner[-1].start()]
        if len(tail.split()) > _INNER_TAIL_WORDS or _CREDITED.search(before):
            return ()
        text, labelled = tail, True
    if labelled and (name := _lower_case_surname(_PREFIX.sub("", text))):
        return (name,)
    if desk := _desk(text):
        return (desk,)
    return _people_only(people(text, agencies), agencies)


# a first name and a surname its owner types in lower case: "by Mobasir hassan"
_LOWER_SURNAME = re.compile(r"[A-Z][a-z]+ [a-z]{3,}")
# lower-case words that follow a name in a sentence, never a surname
_NOT_SURNAMES = frozenset({"and", "but", "the", "who", "with", "said", "says", "was", "has"})


def _lower_case_surname(text: str) -> str | None:
    """The whole of a two-word name after a "by" whose surname is in lower case, which
    `is_name` cuts to its first name; a word that is no name's ("by Jane today") is none."""
    text = text.strip(" .")
    if not _LOWER_SURNAME.fullmatch(text):
        return None
    last = text.split()[1]
    if last in NOT_NAME_WORDS | HEADLINE_TAIL_WORDS | _NO_TAIL | _NOT_SURNAMES:
        return None
    return text


# wire agencies whose name starts with "The": authors of wire copy
_THE_AGENCIES = frozenset({"the associated press", "the canadian press", "the press association"})


def is_publication(name: str, agencies: Iterable[str] = ()) -> bool:
    """ "The Penny Hoarder", "The Planetary Press": a publication's name, no author (a wire
    agency, "The Associated Press", is one)."""
    folded = " ".join(name.split()).casefold()
    known = _THE_AGENCIES | {agency.casefold() for agency in agencies}
    return folded.startswith("the ") and folded not in known


def _desk(text: str) -> str | None:
    """A newsroom's own credit, as the page prints it: "BWW News Desk", "TMZ STAFF",
    "HLNF Staff Report", "Smart Shopping Team" (a role alone, "Editorial Team", is none)."""
    words = _PREFIX.sub("", text).split()
    folded = [word.casefold() for word in words]
    unit = 2 if folded[-2:] == ["staff", "report"] else 1
    if not folded or (unit == 1 and folded[-1] not in _NEWSROOM_UNITS):
        return None
    qualifier = list(zip(words, folded, strict=True))[:-unit]
    if not 1 <= len(qualifier) <= 3:
        return None
    for word, fold in qualifier:
        if not _WORD.fullmatch(word) or not word[0].isupper() or _DIGIT.search(word):
            return None
        if fold in NOT_NAME_WORDS or fold in _NO_FIRST_NAME:
            return None
    return " ".join(words)


def with_masthead(line: str, names: tuple[str, ...]) -> tuple[str, ...]:
    """The names of the byline `line` with a masthead kept whole: in "By Miami Today on
    May 3" the name runs on into "Today", which reads as a date word elsewhere; a person's
    name ("By Jane Roe Today") starts with a first name and stays cut, and so does a
    name before a time ("Miami Today 3pm")."""
    if not names or starts_with_first_name(names[-1]):
        return names
    if re.search(rf"(?:^|\s){re.escape(names[-1])}\s+Today\b(?!\s*\d)", line):
        return (*names[:-1], f"{names[-1]} Today")
    return names


def _people_only(names: tuple[str, ...], agencies: Iterable[str]) -> tuple[str, ...]:
    """After a first name's person, the names that start with no first name are an
    affiliation or a role: "Sarah Hinger, Staff Attorney, ACLU" -> ("Sarah Hinger",)."""
    if len(names) < 2 or not starts_with_first_name(names[0]):
        return names
    known = {agency.casefold() for agency in agencies}
    return tuple(
        name
        for i, name in enumerate(names)
        if i == 0 or name.casefold() in known or starts_with_first_name(name)
    )


# words gender-guesser lists that start a byline far more often as a word: "The Penny Hoarder"
_NO_FIRST_NAME = frozenset({"the", "an", "my", "our", "your", "this", "new"})


def starts_with_first_name(name: str) -> float:
    """first_name of a byline name's first word ("The" and the like are none)."""
    word = name.split()[0].rstrip(".") if name.split() else ""
    return 0.0 if word.casefold() in _NO_FIRST_NAME else first_name(word)


@functools.cache
def _first_names():
    import gender_guesser.detector

    return gender_guesser.detector.Detector(case_sensitive=False)


def first_name_in(word: str, countries: Iterable[str]) -> bool:
    """Whether gender-guesser lists a word as a first name used in one of these countries."""
    detector = _first_names()
    return word.isalpha() and any(
        detector.get_gender(word, country) not in ("unknown", "andy") for country in countries
    )


def first_name(word: str) -> float:
    """1 for a common first name, 0.5 for a rarer one (gender-guesser), else 0."""
    if not word.isalpha() or len(word) < 2:
        return 0.0
    found = _first_names().get_gender(word)
    return 0.0 if found == "unknown" else 0.5 if found == "andy" else 1.0
