"""How long the pre-deploy checks take on a generated site, beside a baseline measured in the
same run: parsing every page with lxml and nothing else (the least any link check must do).

    python bench/bench_checks.py [PAGES]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import lxml.html
from _support import ROOT, measure

sys.path.insert(0, str(ROOT))

from broadsheet.publish.checks import check_site
from broadsheet.site.hosting import prepare_for_hosting

SITE_URL = "https://news.example.org"
PARAGRAPH = "<p>" + "North Korean leader Kim Jong-un stressed special relations. " * 12 + "</p>"


def page(n: int, pages: int) -> str:
    links = "".join(
        f'<li><a href="/a/{(n * 7 + k) % pages}/">Story {k}</a></li>' for k in range(30)
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Story {n}</title>'
        f'<link rel="stylesheet" href="{SITE_URL}/theme/site.css"></head><body><main>'
        f"<h1>Story {n}</h1>{PARAGRAPH * 6}<ul>{links}</ul></main></body></html>"
    )


def generate(root: Path, pages: int) -> None:
    (root / "theme").mkdir(parents=True)
    (root / "theme/site.css").write_text("body{margin:0}")
    for n in range(pages):
        folder = root / "a" / str(n)
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(page(n, pages))
    (root / "index.html").write_text(page(0, pages))
    (root / "404.html").write_text(page(0, pages))
    locs = "".join(f"<url><loc>{SITE_URL}/a/{n}/</loc></url>" for n in range(pages))
    (root / "sitemap.xml").write_text(
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
    )


def timed(label: str, pages: int, run) -> float:
    result, spent = measure(run)
    print(f"{label:<40} {spent.wall:7.2f} s  {pages / spent.wall:8.0f} pages/s  {result}")
    return spent.wall


def main(pages: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "output"
        generate(root, pages)
        html = sorted(root.rglob("*.html"))
        print(f"{pages} pages, 30 links each, {sum(p.stat().st_size for p in html) >> 20} MiB")
        base = timed(
            "baseline: lxml parse of every page",
            pages,
            lambda: len([lxml.html.parse(str(p)) for p in html]),
        )
        hosting = timed(
            "hosting step (fingerprint, headers)",
            pages,
            lambda: prepare_for_hosting(root, SITE_URL, ["theme"]),
        )
        checks = timed(
            "check_site (all checks)", pages, lambda: f"{len(check_site(root, SITE_URL))} problems"
        )
        print(
            f"checks / baseline = {checks / base:.1f}x; hosting / baseline = {hosting / base:.1f}x"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
