"""What a page is rendered from, as one digest: the writer skips a page whose digest is the one
of the last build (README: "Rebuilds").

A page's digest covers its output name and template, every template of the theme, every
setting, and the value of each variable its templates read (found with Jinja's own
`meta.find_undeclared_variables`, through the templates it extends, includes and imports).
Values are fingerprinted by what a template can show of them:

- an object given to the page itself (`article`, `listing`, `day`, or one in a list) in full;
- an object reached through another one's attribute briefly, by what a link to it shows: an
  article's entities are their names and URLs, not the counts of their articles, so that an
  article page is not rendered again because someone it names is in a new article;
- an article given to the page itself by every attribute it carries (front-matter, body, URL
  and what the plugin annotates) and its related articles, by what a short list shows of
  them (URL, title, date, source, section, summary);
- an article in a list, or reached through another object, by every attribute but those only
  its own page shows (PAGE_ONLY: its body, story, entity and topic links, translations...),
  and its summary: an entity page is not rendered again because an article it lists joined
  a bigger story, or names someone whose page moved.

A value of a type not known here makes the page's digest None: it is always rendered.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from jinja2 import Environment, meta
from markupsafe import Markup
from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from .digests import Day, Week
from .model import Listing

# attributes of an article left out: the settings and context every article holds, and its
# metadata, which Pelican also sets as attributes, one each (Content.__init__)
SKIPPED_ATTRIBUTES = frozenset({"settings", "_context", "metadata"})
# attributes of an article that only its own page (article.html and the partials/article_*
# it includes) shows: a list of articles shows none of them (test_inputs reads the theme to
# check). An article with no summary in its front-matter is listed with one cut from its body.
PAGE_ONLY = frozenset(
    {"_content", "story", "entity_links", "topic_links", "translations", "digest_day",
     "people", "organizations", "places", "topics", "captions", "original_url"}
)  # fmt: skip
# variables Pelican derives from the output name, which is in the digest
DERIVED = frozenset({"localsiteurl", "output_file", "SITEURL"})
# the value of a variable a template reads but that is not in its context
MISSING = "\x00missing"


class Unknown(Exception):
    """A value this module cannot fingerprint: the page is rendered every time."""


def _digest(parts: Iterator[str] | list[str]) -> str:
    text = "\x1f".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(text, digest_size=16).hexdigest()


class Fingerprints:
    """Fingerprints of the values of one build, memoised by object: the objects of a build do
    not change once its pages are being written."""

    def __init__(self) -> None:
        self._memo: dict[bool, dict[int, tuple[Any, str]]] = {False: {}, True: {}}  # by brief
        # by article: its attributes' fingerprints, its digests as its own page sees it and as
        # a list shows it, and what a short list of related articles shows of it; each made
        # once, whatever number of pages shows the article
        self._fields: dict[int, tuple[Any, list[tuple[str, str | None]]]] = {}
        self._own: dict[int, tuple[Any, str]] = {}
        self._listed: dict[int, tuple[Any, str]] = {}
        self._related_memo: dict[int, tuple[Any, str]] = {}

    def of(self, value: Any, brief: bool = False) -> str:
        if value is None or isinstance(value, (str, bool, int, float)):
            return f"{type(value).__name__}:{value!r}"
        if isinstance(value, (datetime, date, time, timedelta, tzinfo)):
            return repr(value)
        memos = self._memo[brief]
        memo = memos.get(id(value))
        if memo is not None and memo[0] is value:
            return memo[1]
        result = self._compute(value, brief)
        memos[id(value)] = (value, result)  # the value kept alive: its id stays its own
        return result

    def _compute(self, value: Any, brief: bool) -> str:
        if isinstance(value, Markup):
            return "markup:" + value
        if isinstance(value, (list, tuple, set, frozenset)):
            items = [self._item(item, brief) for item in value]
            unordered = isinstance(value, (set, frozenset))
            return _digest([type(value).__name__, *(sorted(items) if unordered else items)])
        if isinstance(value, Mapping):
            pairs = sorted((self.of(k), self._item(v, brief)) for k, v in value.items())
            return _digest(["map", *(part for pair in pairs for part in pair)])
        if isinstance(value, Content):
            return self.article(value, with_related=not brief)
        if isinstance(value, Listing):
            return self.listing(value, brief)
        if isinstance(value, Day):
            return self.day(value, brief)
        if isinstance(value, Week):
            return self.week(value, brief)
        if isinstance(value, URLWrapper):
            # a section's page shows what the plugin adds to it (top_entities); a link, not
            parts = [type(value).__name__, value.name, value.slug, value.url, value.save_as]
            if not brief:
                extra = {k: v for k, v in vars(value).items() if k[0] != "_" and k != "settings"}
                parts.append(self.of(extra, True))
            return _digest(parts)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = (getattr(value, f.name) for f in dataclasses.fields(value))
            return _digest([type(value).__name__, *(self.of(v, True) for v in fields)])
        raise Unknown(type(value).__qualname__)

    def _item(self, value: Any, brief: bool) -> str:
        """A value in a list: an article listed shows no related articles."""
        return self.article(value, False) if isinstance(value, Content) else self.of(value, brief)

    def article(self, article: Content, with_related: bool) -> str:
        """The article given to its own page (`with_related`) or shown in a list."""
        if not with_related:
            return self._article_digest(article, self._listed, PAGE_ONLY)
        own = self._article_digest(article, self._own, frozenset())
        related = getattr(article, "related", None) or []
        return _digest([own, *(self._related(other) for other in related)])

    def _related(self, article: Content) -> str:
        """A related article, by what a short list of articles shows of it (the theme's
        compact `article_item`): not its body or entities, which change when an entity it
        names is renamed."""
        memo = self._related_memo.get(id(article))
        if memo is None or memo[0] is not article:
            shown = (
                article.url, article.title, article.date, getattr(article, "source", None),
                getattr(article, "category", None), getattr(article, "summary", None),
            )  # fmt: skip
            memo = (article, _digest([self.of(value, True) for value in shown]))
            self._related_memo[id(article)] = memo
        return memo[1]

    def _article_digest(
        self, article: Content, memo: dict[int, tuple[Any, str]], left_out: frozenset[str]
    ) -> str:
        known = memo.get(id(article))
        if known is None or known[0] is not article:
            fields = self._article_fields(article)
            parts = [type(article).__name__]
            if left_out and "_summary" not in vars(article):  # no summary in the front-matter:
                parts += ["body", self.of(article._content, True)]  # Pelican cuts one from the body
            for name, fingerprint in fields:
                if name not in left_out:
                    if fingerprint is None:
                        raise Unknown(f"article attribute {name}")
                    parts += [name, fingerprint]
            known = (article, _digest(parts))
            memo[id(article)] = known
        return known[1]

    def _article_fields(self, article: Content) -> list[tuple[str, str | None]]:
        """(name, fingerprint) of the article's attributes, by name; None for a value this
        module cannot fingerprint (a page that shows it is rendered every time)."""
        known = self._fields.get(id(article))
        if known is not None and known[0] is article:
            return known[1]
        fields = []
        for name, value in sorted(vars(article).items()):
            if name in SKIPPED_ATTRIBUTES or name == "related":
                continue
            if name == "digest_day":  # an article page links its day: no more
                value = (value.url, value.date) if value is not None else None
            elif name == "story":  # ... and its story, by its size (the story lists it back)
                value = (value.url, value.count, value.sources) if value is not None else None
            elif name == "translations":  # in no set order when slugs collide across days
                value = sorted((other.url, getattr(other, "lang", None)) for other in value)
            try:
                fields.append((name, self.of(value, True)))
            except Unknown:
                fields.append((name, None))
        self._fields[id(article)] = (article, fields)
        return fields

    def listing(self, listing: Listing, brief: bool) -> str:
        parts = [listing.kind, listing.slug, listing.name, listing.url, str(listing.has_page)]
        if not brief:
            articles = listing.articles
            ends = [self.article(articles[i], False) for i in (0, -1)] if articles else []
            parts += [self.of(listing.aliases), self.of(listing.old_urls), self.of(listing.about)]
            parts += [self.of(listing.iptc), str(listing.registered), str(listing.count), *ends]
        return _digest(parts)

    def day(self, day: Day, brief: bool) -> str:
        parts = [repr(day.date), day.url, str(day.count)]
        if not brief:
            parts += [self.of(day.articles), self.of(day.sections), self.of(day.stories)]
            parts += [self.of(day.headlines)]  # ranked by their stories, which lists leave out
            parts += [self.of(day.week, True), self.of(day.previous, True)]
            parts += [self.of(day.next, True)]
        return _digest(parts)

    def week(self, week: Week, brief: bool) -> str:
        parts = [str(week.year), str(week.number), week.url, repr(week.start)]
        if not brief:  # a day's page links its week: no more
            parts += [self.of(week.days, True), self.of(week.stories), self.of(week.headlines)]
            parts += [self.of(week.previous, True), self.of(week.next, True)]
        return _digest(parts)


def settings_digest(settings: Mapping[str, Any]) -> str:
    """Every setting, by value; one Python object stands for its type and name (a function
    for its qualified name): a digest that changes with any setting a user changes."""
    return _digest(f"{name}={_setting(value)}" for name, value in sorted(settings.items()))


def _setting(value: Any) -> str:
    if isinstance(value, Mapping):
        pairs = sorted(f"{key!r}:{_setting(item)}" for key, item in value.items())
        return "{" + ",".join(pairs) + "}"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = list(map(_setting, value))
        return "[" + ",".join(sorted(items) if isinstance(value, (set, frozenset)) else items) + "]"
    if isinstance(value, (str, bytes, int, float, bool, type(None), date, timedelta)):
        return repr(value)
    name = getattr(value, "__qualname__", None) or getattr(value, "__name__", None)
    module = getattr(value, "__module__", None)
    if name:
        return f"<{module}.{name}>"
    text = repr(value)
    return text if " at 0x" not in text else f"<{type(value).__module__}.{type(value).__name__}>"


def templates_digest(env: Environment) -> str:
    """Every template the environment can load, by name and source."""
    parts = []
    for name in sorted(env.list_templates()):
        source, _, _ = env.loader.get_source(env, name)
        parts += [name, source]
    return _digest(parts)


class TemplateVariables:
    """The variables a template reads from its context, through the templates it uses."""

    def __init__(self, env: Environment) -> None:
        self._env = env
        self._own: dict[str, tuple[frozenset[str], tuple[str | None, ...]]] = {}
        self._all: dict[str, frozenset[str] | None] = {}

    def of(self, name: str) -> frozenset[str] | None:
        """None when a template names another by a variable (then nothing is known)."""
        if name not in self._all:
            found: set[str] = set()
            seen: set[str] = set()
            todo: list[str | None] = [name]
            while todo:
                current = todo.pop()
                if current is None:
                    self._all[name] = None
                    return None
                if current in seen:
                    continue
                seen.add(current)
                variables, used = self._parse(current)
                found |= variables
                todo.extend(used)
            self._all[name] = frozenset(found)
        return self._all[name]

    def _parse(self, name: str) -> tuple[frozenset[str], tuple[str | None, ...]]:
        if name not in self._own:
            source, _, _ = self._env.loader.get_source(self._env, name)
            tree = self._env.parse(source)
            self._own[name] = (
                frozenset(meta.find_undeclared_variables(tree)),
                tuple(meta.find_referenced_templates(tree)),
            )
        return self._own[name]
