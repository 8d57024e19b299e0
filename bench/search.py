"""Search benchmark: index time, peak RSS and the bytes a browser fetches per query.

Builds sites of 1k and 10k articles (the 2017 news corpus replicated with dates shifted by whole
years) as minimal article pages carrying the theme's data-pagefind attributes, plus entity pages
and the real /search/ page rendered by Pelican with the project's theme. Then, on each site:

- index time and peak RSS of `index_site` (Pagefind in shards + entity lookup) beside one
  Pagefind CLI run over the whole site (the baseline; skipped above --baseline-up-to articles,
  where it would need about 230 KB a page);
- bytes Chromium transfers for a cold query (page load + first results) and for the next query,
  with our search page over the shards and with Pagefind's stock UI (pagefind-ui.js) over the
  baseline's single index, in the same run.

Bytes are response bodies as sent by Python's http.server (no compression), and, in brackets,
what a host that gzips text (HTML, JS, CSS, JSON) would send; Pagefind's own chunks are already
gzipped. Targets at 10k articles: cold <= 350 KB, next <= 60 KB; index peak RSS <= 8 GB at 50k.

    python bench/search.py [--sizes 1000,10000,50000] [--shard-pages N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import re
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from _support import NEWS_2017, ROOT, Measure, measure, read_jsonl, run_measured

sys.path.insert(0, str(ROOT))

from broadsheet.publish.audit import serve  # a local HTTP server, as in the browser tests
from broadsheet.site.search import BUNDLE_LIST, MAX_SHARD_PAGES

CHROMIUM = "/usr/bin/chromium"
QUERIES = ("election", "refugees")  # cold query, then the next one
TOPICS = (
    "election",
    "refugee",
    "climate",
    "trade",
    "police",
    "court",
    "military",
    "economy",
    "health",
    "oil",
    "nuclear",
    "protest",
    "tax",
    "football",
    "technology",
    "border",
    "terror",
    "energy",
    "brexit",
    "immigration",
    "bank",
    "school",
    "china",
    "syria",
)
NAME = re.compile(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+){1,2})\b")
TEXT_TYPES = ("text/", "javascript", "json", "css", "svg")


@dataclass(frozen=True)
class Story:
    slug: str
    title: str
    day: date
    section: str
    source: str
    topics: tuple[str, ...]
    paragraphs: tuple[str, ...]


def _section(url: str) -> str:
    first = (urlsplit(url).path.strip("/").split("/") or [""])[0]
    return first.replace("-", " ").title() if first.isalpha() and 3 <= len(first) <= 15 else "World"


def stories(records: list[dict], count: int) -> list[Story]:
    """`count` stories: the corpus over and over, each pass dated one year earlier."""
    out = []
    for i in range(count):
        record = records[i % len(records)]
        shift = i // len(records)
        day = date.fromisoformat(record["date"][:10])
        text = record["text"] or record["title"]
        lower = text.lower()
        topics = tuple(t for t in TOPICS if lower.count(t) >= 2)[:3]
        sentences = re.split(r"(?<=[.!?]) +", text)
        paragraphs = tuple(" ".join(sentences[j : j + 4]) for j in range(0, len(sentences), 4))
        story = Story(
            slug=f"story-{i:05d}",
            title=record["title"],
            day=day.replace(year=day.year - shift),  # the corpus is 2017: no 29 February
            section=_section(record["url"]),
            source=urlsplit(record["url"]).netloc.removeprefix("www."),
            topics=topics,
            paragraphs=paragraphs,
        )
        out.append(story)
    return out


def article_html(story: Story) -> str:
    """An article page with the attributes theme/templates/article.html gives Pagefind."""
    e = html.escape
    hidden = [
        f'<span data-pagefind-sort="date:{story.day.isoformat()}"></span>',
        f'<span data-pagefind-meta="date:{story.day.isoformat()}"></span>',
        f'<span data-pagefind-meta="source:{e(story.source)}"></span>',
        f'<span data-pagefind-filter="source:{e(story.source)}"></span>',
        f'<span data-pagefind-meta="summary:{e(story.paragraphs[0][:300])}"></span>',
        f'<span data-pagefind-filter="section:{e(story.section)}"></span>',
        f'<span data-pagefind-filter="year:{story.day.year}"></span>',
        *(f'<span data-pagefind-filter="topic:{e(t)}"></span>' for t in story.topics),
    ]
    body = "\n".join(f"<p>{e(p)}</p>" for p in story.paragraphs)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{e(story.title)}'
        f"</title></head><body><main><article data-pagefind-body><header>"
        f"<p data-pagefind-ignore>{e(story.section)}</p>"
        f'<h1 data-pagefind-meta="title" data-pagefind-weight="10">{e(story.title)}</h1>'
        f'<div data-pagefind-ignore><p>{e(story.source)}</p><p><time datetime="{story.day}">'
        f"{story.day:%-d %B %Y}</time></p></div></header>\n{body}\n</article>"
        f"<div hidden>{''.join(hidden)}</div></main></body></html>\n"
    )


def entity_names(all_stories: list[Story], min_articles: int = 3) -> list[str]:
    """Capitalised two- and three-word names found in at least `min_articles` stories."""
    seen: Counter[str] = Counter()
    for story in all_stories:
        seen.update(set(NAME.findall(" ".join(story.paragraphs))))
    return sorted(name for name, n in seen.items() if n >= min_articles)


def write_site(output: Path, all_stories: list[Story]) -> int:
    for story in all_stories:
        page = output / f"{story.day:%Y/%m/%d}" / story.slug / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(article_html(story), encoding="utf-8")
    names = entity_names(all_stories)
    for n, name in enumerate(names):
        page = output / "people" / f"entity-{n:05d}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f"<!doctype html><html><body><h1>{html.escape(name)}</h1></body></html>")
    render_search_page(output)
    (output / "stock").mkdir()
    (output / "stock" / "index.html").write_text(STOCK_PAGE, encoding="utf-8")
    return len(names)


def render_search_page(output: Path) -> None:
    """/search/ and the theme's static files, through Pelican with the project's settings."""
    from pelican import Pelican
    from pelican.settings import read_settings

    with tempfile.TemporaryDirectory() as empty:
        settings = read_settings(
            str(ROOT / "pelicanconf.py"),
            override={
                "PATH": empty,
                "OUTPUT_PATH": str(output.resolve()),  # Pelican resolves relative to the settings
                "THEME": str(ROOT / "theme"),
                "PLUGINS": [],
                "DIRECT_TEMPLATES": ["search"],
                "SEARCH_SAVE_AS": "search/index.html",
                "CACHE_CONTENT": False,
                "LOAD_CONTENT_CACHE": False,
            },
        )
        Pelican(settings).run()


STOCK_BUNDLE = "stock-pagefind"  # the baseline's single index, for the stock UI
STOCK_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stock UI</title>
<link href="/stock-pagefind/pagefind-ui.css" rel="stylesheet">
<script src="/stock-pagefind/pagefind-ui.js">
</script></head><body><div id="search"></div><script>
window.addEventListener("DOMContentLoaded", () => new PagefindUI({ element: "#search" }));
</script></body></html>
"""


# ---- bytes in Chromium


class Traffic:
    """Responses of one page, summed between marks."""

    def __init__(self, page) -> None:
        self.responses: list = []
        self.open = 0
        page.on("request", self._started)
        page.on("requestfinished", self._finished)
        page.on("requestfailed", self._finished)
        page.on("response", lambda response: self.responses.append(response))
        self.page = page

    def _started(self, _request) -> None:
        self.open += 1

    def _finished(self, _request) -> None:
        self.open -= 1

    def settle(self) -> None:
        """Wait until nothing is fetched for 700 ms."""
        seen = -1
        while seen != len(self.responses) or self.open:
            seen = len(self.responses)
            self.page.wait_for_timeout(700)

    def take(self) -> tuple[int, int, int]:
        """(requests, raw bytes, gzip-on-host bytes) since the last take."""
        raw = packed = 0
        for response in self.responses:
            body = response.body()
            raw += len(body)
            kind = response.headers.get("content-type", "")
            packed += len(gzip.compress(body)) if any(t in kind for t in TEXT_TYPES) else len(body)
        taken = (len(self.responses), raw, packed)
        self.responses.clear()
        return taken


def ours(page, base: str, traffic: Traffic) -> list[tuple[int, int, int]]:
    done = "document.querySelector('#search-app').dataset.state === 'done'"
    page.goto(f"{base}/search/?q={QUERIES[0]}")
    page.wait_for_function(done)
    traffic.settle()
    cold = traffic.take()
    page.fill("#search-q", QUERIES[1])
    page.press("#search-q", "Enter")
    page.wait_for_function(f"location.search.includes('{QUERIES[1]}') && {done}")
    traffic.settle()
    return [cold, traffic.take()]


def stock(page, base: str, traffic: Traffic) -> list[tuple[int, int, int]]:
    page.goto(f"{base}/stock/")
    measured = []
    for query in QUERIES:
        page.fill(".pagefind-ui__search-input", query)
        page.wait_for_function(
            f"document.querySelector('.pagefind-ui__message')?.textContent.includes('{query}')"
        )
        page.wait_for_selector(".pagefind-ui__result")
        traffic.settle()
        measured.append(traffic.take())
    return measured


def measure_bytes(output: Path, with_stock: bool) -> dict[str, list[tuple[int, int, int]]]:
    from playwright.sync_api import sync_playwright

    scenarios = [("ours", ours)] + ([("stock UI", stock)] if with_stock else [])
    figures = {}
    with serve(output) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for name, scenario in scenarios:
            context = browser.new_context()  # a cold cache for each UI
            page = context.new_page()
            figures[name] = scenario(page, base, Traffic(page))
            context.close()
        browser.close()
    return figures


def kb(n: int) -> str:
    return f"{n / 1000:6.1f} KB"


def figures(spent: Measure) -> str:
    return f"{spent.wall:6.1f} s wall {spent.cpu:6.1f} s CPU   peak RSS {spent.peak_mib:6.0f} MiB"


def bench(size: int, records: list[dict], options: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix=f"search-bench-{size}-"))
    output = work / "output"
    n_entities, written = measure(lambda: write_site(output, stories(records, size)))
    print(f"\n{size} articles, {n_entities} entity pages (site written in {written.wall:.1f} s)")
    baseline = size <= options.baseline_up_to
    if baseline:
        cli = [sys.executable, "-m", "pagefind", "--site", str(output), "--quiet",
               "--output-subdir", STOCK_BUNDLE]  # fmt: skip
        print(f"  pagefind CLI, 1 run  {figures(run_measured(cli))}")
    else:
        print(f"  pagefind CLI, 1 run  skipped (over --baseline-up-to {options.baseline_up_to})")
    code = (
        "import sys, pathlib, broadsheet.site.search as s; "
        "s.index_site(pathlib.Path(sys.argv[1]), max_shard_pages=int(sys.argv[2]))"
    )
    index = [sys.executable, "-c", code, str(output), str(options.shard_pages)]
    indexed = run_measured(index)
    shards = len(json.loads((output / BUNDLE_LIST).read_text())["bundles"])
    print(
        f"  index_site (ours)    {figures(indexed)}"
        f"   {shards} shard(s) of <= {options.shard_pages} pages"
    )
    if not options.no_browser:
        for name, (cold, nxt) in measure_bytes(output, with_stock=baseline).items():
            for label, (requests, raw, packed) in (("cold query", cold), ("next query", nxt)):
                print(
                    f"  {name:9} {label}: {kb(raw)} ({kb(packed)} gzip host), {requests:3} requests"
                )
    if options.keep:
        shutil.copytree(output, options.keep / str(size), dirs_exist_ok=True)
    shutil.rmtree(work)


def sizes(text: str) -> list[int]:
    return [int(n) for n in text.split(",")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=sizes, nargs="+", default=[[1000, 10000]], help="e.g. 1000,10000,50000"
    )
    parser.add_argument(
        "--shard-pages", type=int, default=MAX_SHARD_PAGES, help="most articles per Pagefind run"
    )
    parser.add_argument(
        "--baseline-up-to", type=int, default=20_000, help="largest site for the 1-run baseline"
    )
    parser.add_argument("--no-browser", action="store_true", help="skip the bytes per query")
    parser.add_argument("--keep", type=Path, help="copy each built site here")
    args = parser.parse_args()
    print(f"queries: cold {QUERIES[0]!r}, next {QUERIES[1]!r}")
    print("targets at 10k articles: cold query <= 350 KB, next query <= 60 KB")
    print("target at 50k articles: index peak RSS <= 8 GB")
    records = read_jsonl(NEWS_2017)
    for size in (n for group in args.sizes for n in group):
        bench(size, records, args)


if __name__ == "__main__":
    main()
