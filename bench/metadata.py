"""Front-matter quality on labelled pages: title, dates and authors from text dumps and HTML.

On the pages of ../shared/train2 (and ../shared/train) whose truth states a field, prints
per field: title exact and token F1, publication day exact, datetime exact, authors set
match and overlap (section: no page of either set states one), for our text-dump reader
(read_text on text/*.txt), our HTML reader (read_html on html/*.html.gz), trafilatura's
`bare_extraction` metadata and htmldate's `find_date`, all measured in this run; then how
many pages come out undated, how many of those the truth dates, and how many of those the
dump itself prints the truth's day in (a common written form, found by a pattern of its own
here, not by the reader's date parser): the undated pages a reader could have dated.

    python bench/metadata.py [--dumps | --html] [--limit N] [--all-langs] [--folds 5]
                             [--seed N] [--bag K] [--shipped-model] [--show FIELD ...]

Held out by site: the text-dump reader's body and role models (headline, byline, date) are
learned, so each page is read with models trained (as bench/train_line_model.py trains the
shipped ones) on the pages of train + train2 from other sites only: all sites are dealt into
`--folds` folds, and fold k's pages are read by models that saw none of fold k's sites (the
role models learn from out-of-fold body probabilities; the fold body models are cached in
.cache/train_line_model/). `--shipped-model` reads every page with the shipped models
instead (quicker; not held out for the pages they were trained on). `--seed` sets the
role models' LightGBM seed: their held-out scores move by a few pages from seed to seed, so
judge a change over several; `--bag K` trains each role's K models with seeds N, N + 1, ...
and averages their scores, as the shipped ones are (K = 1: a single model). The HTML side learns
nothing. `--show title|day|authors` lists, after the tables, each scored page that the
first column gets wrong on that field: its id, site, the truth and what was read.

Comparing (train2's META.md conventions):
- title: exact when the letters and digits agree (case, spacing, quotes and dashes
  ignored, as META.md matches titles to dumps); token F1 over casefolded words. Pages
  flagged `seo-title` (the truth is not the headline shown) are left out; for dumps, so
  are pages flagged `title-not-in-dump`.
- day: the published day the page gives (in its own zone) equals `date`; where the
  truth day is a UTC day (postlight, omnivore: `datetime` in UTC) the UTC day of an
  aware value also counts, and on pages flagged `date-utc-shift` a day either side.
  A UTC truth on the hour that is midnight in some zone (`T16:00:00.000Z`, a day-only
  value parsed in UTC+8) is the day the page printed: a day-only read of that zone's
  day counts.
- datetime: on pages with a `datetime`, the same instant (a day alone, or a time with
  no zone, is a miss).
- authors: names casefolded, a leading By/Von/Par/Por and punctuation dropped; set
  match means the same set of names, overlap is the set F1. Pages flagged
  `authors-doubtful` are left out. "junk" counts predicted names that are interface
  strings, dates or credits (the issue's examples), whatever the truth.
- English pages only (truth `lang`; train's truth has none, so its page's <html lang>,
  else its body's share of common English words) unless --all-langs.

Never point this at ../shared/bench: it is for measuring only.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import unicodedata
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import htmldate
import numpy as np
import trafilatura
import train_line_model as tlm
from dateutil.parser import UnknownTimezoneWarning

from broadsheet.extract.boilerplate import learn_templates
from broadsheet.extract.dates import day_of
from broadsheet.extract.publishers import Publishers
from broadsheet.extract.read_html import read_html
from broadsheet.extract.read_text import read_text
from broadsheet.inputs import InputError, load_input
from broadsheet.records import InputFile

SHARED = tlm.SHARED
CORPORA = (SHARED / "train2", SHARED / "train")
_WORD = re.compile(r"\w+")
_BY = re.compile(r"^\s*(by|von|par|por)\b\s*:?\s*", re.IGNORECASE)
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.IGNORECASE)
_ENGLISH = frozenset("the of and to in a is that for on was with said as by at from it".split())  # noqa: SIM905
_UTC_DAY_SOURCES = ("postlight", "omnivore")
# interface strings (the examples and their kind): never a headline or a person
_UI = re.compile(
    r"\W*(\d+\s*min(ute)?s?\s*read|copy (the )?link|link copied|url is copied|share( this)?"
    r"( article| story| on \w+)?|increase article font size|(decrease )?font size|like save print"
    r"|see full bio|subscribe|sign (in|up)|log ?in|menu|print|comments?|\d* ?comments"
    r"|advertisement|skip to (main )?content|read more|back to top|follow( us)?|listen"
    r"|(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?"
    r"|oct(ober)?|nov(ember)?|dec(ember)?)\.?)\W*",
    re.IGNORECASE,
)
# ... and what bylines carry that is no name: credits, times, links
_NOT_A_NAME = re.compile(r"\b(getty|images?|photo|credit|staff writer)\b|\d|https?:|www\.", re.I)


@dataclass(frozen=True)
class Truth:
    page: str
    corpus: str  # the folder's name: train2, train
    site: str
    lang: str | None
    title: str | None = None
    day: date | None = None
    moment: datetime | None = None
    authors: tuple[str, ...] = ()
    utc_day: bool = False  # the truth's day is a UTC day
    flags: frozenset[str] = frozenset()
    day_in_dump: bool = False  # the page's text dump prints the truth's day


@dataclass(frozen=True)
class Meta:
    """What one extractor says about one page."""

    title: str | None = None
    published: datetime | date | None = None
    authors: tuple[str, ...] = ()


@dataclass
class Column:
    """One extractor's predictions, by page."""

    name: str
    kind: str  # "dump" or "html": which truth flags apply
    fields: frozenset[str]
    meta: dict[str, Meta] = field(default_factory=dict)
    seconds: float = 0.0


def load_truth(corpus: Path) -> list[Truth]:
    truth = json.loads((corpus / "truth.json").read_text("utf-8"))
    out = []
    for page, entry in sorted(truth.items()):
        moment = entry.get("datetime")
        sources = entry.get("meta_source") or {}
        html = None if "site" in entry else _html_head(corpus, page)
        day = date.fromisoformat(entry["date"]) if entry.get("date") else None
        dump = corpus / "text" / f"{page}.txt"
        out.append(
            Truth(
                page=page,
                corpus=corpus.name,
                site=entry.get("site") or tlm.canonical_site(corpus, page),
                lang=entry.get("lang") or _lang_of(html, entry["articleBody"]),
                title=entry.get("title"),
                day=day,
                moment=datetime.fromisoformat(moment) if moment else None,
                authors=tuple(entry.get("authors") or ()),
                utc_day=str(sources.get("date", "")).startswith(_UTC_DAY_SOURCES),
                flags=frozenset(entry.get("meta_flags") or ()),
                day_in_dump=day is not None
                and dump.exists()
                and prints_day(dump.read_text("utf-8", errors="replace"), day),
            )
        )
    return out


def prints_day(text: str, day: date) -> bool:
    """Whether `text` writes `day` in a common form ("March 5, 2021", "5th Mar. 2021",
    "2021-03-05", "03/05/21", "5.3.2021"), its line breaks read as spaces (a dump may
    split "Dec" / "21 st, 2018" over two lines)."""
    return _day_pattern(day).search(" ".join(text.split())) is not None


def _day_pattern(day: date) -> re.Pattern[str]:
    full = day.strftime("%B")
    names = [full, full[:3] + r"\.?", *([r"Sept\.?"] if day.month == 9 else [])]
    month = f"(?:{'|'.join(names)})"
    dd = rf"0?{day.day}(?:\s?(?:st|nd|rd|th))?"
    mm = rf"0?{day.month}"
    year = rf"(?:{day.year}|{day.year % 100:02d})"
    forms = (
        rf"{month}\s?{dd},?\s?{day.year}",
        rf"{dd}\.?\s?(?:of\s)?{month},?\s?{day.year}",
        rf"{day.year}[-/.]{mm}[-/.]0?{day.day}",
        rf"{mm}[-/.]0?{day.day}[-/.]{year}",
        rf"0?{day.day}[-/.]{mm}[-/.]{year}",
    )
    return re.compile(rf"(?<!\w)(?:{'|'.join(forms)})(?!\d)", re.IGNORECASE)


def _html_head(corpus: Path, page: str) -> str:
    return load_input(corpus / "html" / f"{page}.html.gz", corpus / "html").text[:200_000]


def _lang_of(html: str | None, body: str) -> str | None:
    if html and (match := _HTML_LANG.search(html)):
        return match.group(1).lower()
    words = [w.lower() for w in _WORD.findall(body[:3000])]
    return "en" if words and sum(w in _ENGLISH for w in words) / len(words) >= 0.12 else None


def has_truth(truth: Truth) -> bool:
    return bool(truth.title or truth.day or truth.authors)


# --- extractors ---------------------------------------------------------------------


def dump_column(
    pages: list[Truth], folds: int, shipped: bool, seed: int = tlm.SEED, bag: int = tlm.BAG
) -> Column:
    """read_text on each page's dump, with models that never saw the page's site."""
    publishers = Publishers.load()
    column = Column("broadsheet dumps", "dump", frozenset({"title", "day", "moment", "authors"}))
    by_corpus: dict[str, list[Truth]] = {}
    for truth in pages:
        by_corpus.setdefault(truth.corpus, []).append(truth)
    fold_of, models = ({}, []) if shipped else fold_models(folds, seed, bag)
    for corpus, truths in by_corpus.items():
        root = SHARED / corpus / "text"
        # templates are learned over the whole folder, as ingest learns them over scraped/
        templates = learn_templates(filter(None, map(_load, sorted(root.glob("*.txt")))))
        start = time.process_time()
        for truth in truths:
            file = _load(root / f"{truth.page}.txt")
            if file is None:
                column.meta[truth.page] = Meta()
                continue
            body, roles = (None, None) if shipped else models[fold_of[truth.site]]
            result = read_text(
                file, publishers=publishers, templates=templates, model=body, role_models=roles
            )
            column.meta[truth.page] = _article_meta(result)
        column.seconds += time.process_time() - start
    return column


def _load(path: Path) -> InputFile | None:
    """The page as ingest reads it, or None when ingest would refuse it (an empty dump)."""
    try:
        return load_input(path, path.parent)
    except InputError:
        return None


def fold_models(
    folds: int, seed: int = tlm.SEED, bag: int = tlm.BAG
) -> tuple[dict[str, int], list]:
    """The fold of each site, and per fold the body and role models that
    bench/train_line_model.py trains on the other folds' sites (train + train2), the role
    models `bag` per role with LightGBM seeds `seed`, `seed` + 1, ..."""
    ids, sites, texts, bodies, entries = tlm.load_corpora(tlm.DEFAULT_CORPORA)
    matrix = tlm.page_matrix(ids, texts, sites)
    labels = [
        tlm.label_lines(blocks.texts, body)
        for (_, blocks, _), body in zip(matrix, bodies, strict=True)
    ]
    body_cv = tlm.fold_body_models(sites, matrix, labels, bodies, folds)
    role_pages = tlm.role_pages(body_cv, matrix)
    fold = tlm.site_folds(sites, folds)
    models = [
        (
            body_cv.models[k],
            tlm.train_roles(role_pages, entries, np.flatnonzero(fold != k), seed, bag),
        )
        for k in range(folds)
    ]
    return dict(zip(sites, fold.tolist(), strict=True)), models


def html_columns(pages: list[Truth]) -> list[Column]:
    publishers = Publishers.load()
    ours = Column("broadsheet HTML", "html", frozenset({"title", "day", "moment", "authors"}))
    traf = Column("trafilatura", "html", frozenset({"title", "day", "authors"}))
    hdate = Column("htmldate", "html", frozenset({"day"}))
    for truth in pages:
        file = _load(SHARED / truth.corpus / "html" / f"{truth.page}.html.gz")
        for column, extract in (
            (ours, lambda f: _article_meta(read_html(f, publishers=publishers))),
            (traf, _trafilatura_meta),
            (hdate, _htmldate_meta),
        ):
            start = time.process_time()
            column.meta[truth.page] = extract(file) if file else Meta()
            column.seconds += time.process_time() - start
    return [ours, traf, hdate]


def _article_meta(result) -> Meta:
    if not result.articles:
        return Meta()
    article = result.articles[0]
    return Meta(article.title, article.published, article.authors)


def _trafilatura_meta(file) -> Meta:
    document = trafilatura.bare_extraction(file.text, with_metadata=True)
    if document is None:
        return Meta()
    authors = tuple(a.strip() for a in (document.author or "").split(";") if a.strip())
    return Meta(document.title, _iso_day(document.date), authors)


def _htmldate_meta(file) -> Meta:
    return Meta(published=_iso_day(htmldate.find_date(file.text, original_date=True)))


def _iso_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


# --- scoring ------------------------------------------------------------------------


def title_key(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def token_f1(truth: str, predicted: str | None) -> float:
    t, p = (
        set(_WORD.findall(unicodedata.normalize("NFKC", s or "").casefold()))
        for s in (truth, predicted)
    )
    if not t or not p:
        return 0.0
    common = len(t & p)
    return 2 * common / (len(t) + len(p))


def name_key(name: str) -> str:
    name = _BY.sub("", unicodedata.normalize("NFKC", name))
    return " ".join(_WORD.findall(name.casefold()))


def authors_f1(truth: Iterable[str], predicted: Iterable[str]) -> float:
    t, p = {name_key(n) for n in truth} - {""}, {name_key(n) for n in predicted} - {""}
    if not t or not p:
        return float(t == p)
    return 2 * len(t & p) / (len(t) + len(p))


def day_exact(truth: Truth, value: datetime | date | None) -> bool:
    if value is None or truth.day is None:
        return False
    day = day_of(value)
    if day == truth.day:
        return True
    aware = isinstance(value, datetime) and value.tzinfo is not None
    if aware and truth.utc_day and value.astimezone(UTC).date() == truth.day:
        return True
    if not aware and truth.utc_day and day in _printed_days(truth.moment):
        return True
    return "date-utc-shift" in truth.flags and abs((day - truth.day).days) == 1


def _printed_days(moment: datetime | None) -> set[date]:
    """The days a UTC instant on the hour is local midnight of, in the zones from UTC-12
    to UTC+14: where the source parsed a day-only value at midnight in its own zone."""
    if moment is None or (moment.minute, moment.second, moment.microsecond) != (0, 0, 0):
        return set()
    utc = moment.astimezone(UTC)
    return {
        (utc + timedelta(hours=offset)).date()
        for offset in range(-12, 15)
        if (utc.hour + offset) % 24 == 0
    }


def moment_exact(truth: Truth, value: datetime | date | None) -> bool:
    aware = isinstance(value, datetime) and value.tzinfo is not None
    return aware and truth.moment is not None and value == truth.moment


def ui_string(text: str) -> bool:
    return bool(_UI.fullmatch(text))


def junk_name(name: str) -> bool:
    return ui_string(name) or bool(_NOT_A_NAME.search(name)) or len(name.split()) > 6


@dataclass(frozen=True)
class Field:
    label: str
    needs: str  # the Column.fields entry that must be present
    applies: Callable[[Truth, str], bool]  # (truth, column kind) -> scored on this page?
    score: Callable[[Truth, Meta], float]


def _title_applies(truth: Truth, kind: str) -> bool:
    flags = {"seo-title"} | ({"title-not-in-dump"} if kind == "dump" else set())
    return bool(truth.title) and not truth.flags & flags


def _authors_apply(truth: Truth, kind: str) -> bool:
    return bool(truth.authors) and "authors-doubtful" not in truth.flags


FIELDS = (
    Field(
        "title exact",
        "title",
        _title_applies,
        lambda t, m: float(bool(m.title) and title_key(m.title) == title_key(t.title)),
    ),
    Field("title token F1", "title", _title_applies, lambda t, m: token_f1(t.title, m.title)),
    Field(
        "day exact", "day", lambda t, k: t.day is not None, lambda t, m: day_exact(t, m.published)
    ),
    Field(
        "datetime exact",
        "moment",
        lambda t, k: t.moment is not None,
        lambda t, m: moment_exact(t, m.published),
    ),
    Field(
        "authors set match",
        "authors",
        _authors_apply,
        lambda t, m: float(authors_f1(t.authors, m.authors) == 1.0),
    ),
    Field(
        "authors overlap F1",
        "authors",
        _authors_apply,
        lambda t, m: authors_f1(t.authors, m.authors),
    ),
)


def table(pages: list[Truth], columns: list[Column]) -> list[str]:
    """Each field's mean score (over the pages whose truth states it), then the counts."""
    rows = [f"{'field':<22}" + "".join(f"{c.name:>20}" for c in columns)]
    for f in FIELDS:
        cells = []
        for column in columns:
            scored = [t for t in pages if t.page in column.meta and f.applies(t, column.kind)]
            if f.needs not in column.fields or not scored:
                cells.append("-")
                continue
            mean = statistics.mean(f.score(t, column.meta[t.page]) for t in scored)
            cells.append(f"{mean:.3f} ({len(scored)})")
        rows.append(_row(f.label, cells))
    rows.append(_row("section", ["no truth states one"]))
    for label, needs, pick, count in COUNTS:
        cells = []
        for column in columns:
            measured = [t for t in pages if t.page in column.meta and pick(t)]
            hits = sum(bool(count(column.meta[t.page])) for t in measured)
            cells.append(f"{hits} of {len(measured)}" if needs in column.fields else "-")
        rows.append(_row(label, cells))
    return rows


# --show: field -> (its FIELDS label, the Truth attribute, the Meta attribute)
SHOWN = {
    "title": ("title exact", "title", "title"),
    "day": ("day exact", "day", "published"),
    "authors": ("authors set match", "authors", "authors"),
}


def failures(pages: list[Truth], column: Column, name: str) -> list[str]:
    """One line per scored page that `column` gets wrong on field `name`."""
    label, truth_of, read_of = SHOWN[name]
    f = next(f for f in FIELDS if f.label == label)
    lines = []
    for t in pages:
        if t.page not in column.meta or not f.applies(t, column.kind):
            continue
        meta = column.meta[t.page]
        if f.score(t, meta) < 1.0:
            lines.append(
                f"{t.corpus}/{t.page}\t{t.site}\ttruth={getattr(t, truth_of)!r}"
                f"\tread={getattr(meta, read_of)!r}"
            )
    return lines


def _row(label: str, cells: list[str]) -> str:
    return f"{label:<22}" + "".join(f"{cell:>20}" for cell in cells)


# (label, the field a column must give, which pages, what is counted on each)
COUNTS: tuple[tuple[str, str, Callable[[Truth], bool], Callable[[Meta], bool]], ...] = (
    ("undated", "day", lambda t: True, lambda m: m.published is None),
    ("undated, truth dated", "day", lambda t: t.day is not None, lambda m: m.published is None),
    ("undated, dump prints it", "day", lambda t: t.day_in_dump, lambda m: m.published is None),
    ("UI-string titles", "title", lambda t: True, lambda m: bool(m.title and ui_string(m.title))),
    ("pages w/ junk authors", "authors", lambda t: True, lambda m: any(map(junk_name, m.authors))),
)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--dumps", action="store_true", help="text dumps only")
    which.add_argument("--html", action="store_true", help="HTML pages only")
    parser.add_argument("--limit", type=int, help="the first N pages of each set")
    parser.add_argument("--all-langs", action="store_true")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=tlm.SEED, help="the role models' seed")
    parser.add_argument("--bag", type=int, default=tlm.BAG, help="role models per role")
    parser.add_argument("--shipped-model", action="store_true")
    parser.add_argument(
        "--show", choices=sorted(SHOWN), action="append", help="list the first column's misses"
    )
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=UnknownTimezoneWarning)

    pages = []
    for corpus in CORPORA:
        chosen = [
            t for t in load_truth(corpus) if has_truth(t) and (args.all_langs or t.lang == "en")
        ]
        pages += chosen[: args.limit]
    columns = []
    if not args.html:
        columns.append(dump_column(pages, args.folds, args.shipped_model, args.seed, args.bag))
    if not args.dumps:
        columns += html_columns(pages)
    how = "shipped model" if args.shipped_model else f"{args.folds}-fold CV by site"
    for corpus in CORPORA:
        subset = [t for t in pages if t.corpus == corpus.name]
        if not subset:
            continue
        langs = "all languages" if args.all_langs else "English"
        print(f"\n{corpus.name}: {len(subset)} {langs} pages with truth (dumps: {how})")
        print("\n".join(table(subset, columns)))
    cpu = [f"{1000 * c.seconds / len(c.meta):.1f}" for c in columns]
    print("\n" + _row("CPU ms per page", cpu))
    for name in args.show or ():
        misses = failures(pages, columns[0], name)
        print(f"\n{columns[0].name}: {len(misses)} {name} misses")
        print("\n".join(misses))


if __name__ == "__main__":
    main(sys.argv[1:])
