"""Rebuilds render only what changed, and give the same site as a clean build.

A site of a few hundred articles over four weeks (entity, topic, source, section and digest
pages, weekly stories, archive pages) is built once; each test copies it, changes its content
the way a day of news or an editor would, rebuilds in place, and compares the output byte for
byte with a clean build of the same content. The search index is left out (Pagefind's files
differ from run to run; tests/site/test_search.py covers its incremental runs).
"""

from __future__ import annotations

import filecmp
import json
import random
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pelican import signals

from broadsheet.site.build import BUILD_STAMP

from ..settings import DEFAULTS
from ..writer import RENDER_REPORT
from .site import write_content

PEOPLE = [
    f"Person {name}"
    for name in [
        "Ada",
        "Bo",
        "Cy",
        "Di",
        "Ed",
        "Flo",
        "Gus",
        "Hal",
        "Ivy",
        "Jo",
        "Kai",
        "Lu",
        "Mo",
        "Ned",
    ]
]
ORGANIZATIONS = ["Workers' Party", "Harbour Board", "City Council", "Rail Union", "Red Cross"]
PLACES = ["Pyongyang", "Havana", "Seoul", "Busan", "Lisbon", "Oslo"]
TOPICS = ["Elections", "Shipping", "Weather", "Health", "Transport"]
SOURCES = ["The Korea Herald", "Yonhap", "Harbour Times"]
SECTIONS = ["National", "World", "Business"]
START = datetime(2021, 3, 1, 6, 0)
SIZE = 300  # articles of the archive
HOURS = 2  # so that they cover 25 days, four ISO weeks
SETTINGS = {"BROADSHEET_LATEST": 5, "BROADSHEET_ARCHIVE_PAGE_SIZE": 10}
STORIES_FILE = DEFAULTS["BROADSHEET_STORIES_FILE"]  # relative to the content folder


def article(number: int, when: datetime) -> tuple[dict, str]:
    rng = random.Random(number)
    people = rng.sample(PEOPLE, 3)
    meta = {
        "title": f"Report {number}: {people[0]} in {rng.choice(PLACES)}",
        "slug": f"report-{number}",
        "date": when.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        "category": rng.choice(SECTIONS),
        "source": rng.choice(SOURCES),
        "authors": [f"Writer {rng.randint(1, 6)}"],
        "summary": f"{people[0]} and {people[1]} met in the story numbered {number}.",
        "people": people,
        "organizations": rng.sample(ORGANIZATIONS, 2),
        "places": rng.sample(PLACES, 2),
        "topics": rng.sample(TOPICS, 1),
    }
    body = f"{people[0]} spoke with {people[1]} and {people[2]}.\n\nReport {number} ends.\n"
    return meta, body


ARCHIVE = [article(n, START + timedelta(hours=HOURS * n)) for n in range(SIZE)]
LAST_DAY = START + timedelta(hours=HOURS * (SIZE - 1))
NEW = [article(SIZE + n, LAST_DAY.replace(hour=0) + timedelta(minutes=71 * n)) for n in range(20)]
# an article of week 10 that joins no story (no word or name in common with the reports):
# the weekly digest lists it as a headline of its day
LONE = (
    {
        "title": "Seals return to the fjord",
        "slug": "seals-return",
        "date": "2021-03-10T13:00:00+00:00",
        "category": "National",
        "source": "Yonhap",
        "summary": "Divers counted forty grey seals near the old quay.",
        "places": ["Tromso"],
    },
    "Divers counted forty grey seals.\n",
)
LONE_WEEK = "digest/2021/w10/index.html"


def build_at(root: Path, **settings) -> Path:
    return build(root / "content", root / "output", root / "cache", **settings)


def build(content: Path, output: Path, cache: Path, **settings) -> Path:
    from tests import support

    return support.build(content, output, cache, search=False, **{**SETTINGS, **settings})


def files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def assert_same_site(rebuilt: Path, clean: Path) -> None:
    """Both sites have the same files, byte for byte."""
    names = files(clean)
    assert files(rebuilt) == names
    _, mismatch, errors = filecmp.cmpfiles(clean, rebuilt, names, shallow=False)
    assert mismatch == [] and errors == []


def clean_build(root: Path, articles: list[tuple[dict, str]], stories: Path | None = None) -> Path:
    """A fresh build of the articles; with `stories`, the stories file the content had (it is
    content: README, "Stories"), so that stories keep their members as in the rebuild."""
    write_content(root / "content", articles)
    if stories is not None:
        (root / "content" / STORIES_FILE).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(stories, root / "content" / STORIES_FILE)
    return build_at(root)


def stories_before(rebuilt: Path) -> Path:
    """The stories file of the archive as built, before the rebuild changed it."""
    return rebuilt.with_name("pristine") / "content" / STORIES_FILE


def mtimes(folder: Path) -> dict[str, int]:
    return {name: (folder / name).stat().st_mtime_ns for name in files(folder)}


def rewritten(folder: Path) -> set[str]:
    """Files written since the copy was made (`rebuilt`)."""
    before = json.loads((folder.parent / "mtimes.json").read_text())
    return {name for name, mtime in mtimes(folder).items() if before.get(name) != mtime}


def headlines(page: Path) -> list[str]:
    """The headlines a weekly digest lists under its days."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    return [a.get_text() for a in soup.select(".day-headlines li > a")]


def render_report(root: Path) -> dict:
    [report] = (root / "cache").glob(f"*/{RENDER_REPORT}")
    return json.loads(report.read_text())


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive built in `site/`, and a copy of it as built in `pristine/`."""
    root = tmp_path_factory.mktemp("archive")
    clean_build(root / "site", ARCHIVE)
    shutil.copytree(root / "site", root / "pristine")  # with the modification times
    return root / "site"


@pytest.fixture
def rebuilt(archive: Path) -> Path:
    """The built archive to change and rebuild in place: as built, at the path it was built
    at (the paths are settings; a build elsewhere would be another site)."""
    shutil.rmtree(archive)
    shutil.copytree(archive.with_name("pristine"), archive)
    (archive / "mtimes.json").write_text(json.dumps(mtimes(archive / "output")))
    return archive


def test_the_archive_has_every_kind_of_page(archive: Path) -> None:
    output = archive / "output"
    assert len(list(output.glob("2021/*/*/*/index.html"))) == SIZE
    for page in ("people/person-ada", "topics/elections", "sources/yonhap", "sections/national",
                 "digest/2021/03/01", "digest/2021/w09", "people/person-ada/archive/1"):  # fmt: skip
        assert (output / page / "index.html").is_file(), page
    assert 'class="coverage"' in (output / "digest/2021/w10/index.html").read_text()  # stories


def test_nothing_new_runs_no_pelican(rebuilt: Path) -> None:
    report = next((rebuilt / "cache").glob(f"*/{RENDER_REPORT}"))
    report.unlink()
    # ingest rewrites its manifest and touches its lock on every run: no inputs of Pelican's
    (rebuilt / "content" / "articles" / ".manifest.json").write_text("{}")
    (rebuilt / "content" / "articles" / ".lock").write_text("")
    build_at(rebuilt)  # the same inputs, the output as it was left: Pelican need not run
    assert not report.exists()
    assert rewritten(rebuilt / "output") == set()


def test_the_stories_file_a_build_wrote_is_no_change_for_the_next(tmp_path: Path) -> None:
    root = tmp_path / "site"
    clean_build(root, ARCHIVE[:40])  # writes registry/stories.json, an input, as it goes
    [report] = (root / "cache").glob(f"*/{RENDER_REPORT}")
    report.unlink()
    build_at(root)
    assert not report.exists()  # Pelican did not run
    stories = root / "content" / STORIES_FILE
    stories.write_text(stories.read_text().replace('"slug": "', '"slug": "x', 1))  # by hand
    build_at(root)
    assert report.exists()


def test_nothing_new_but_a_run_renders_no_page(rebuilt: Path) -> None:
    (rebuilt / "content" / "notes.txt").write_text("To do")  # an input, but no article
    written: list[str] = []

    def listen(path: str, context: dict) -> None:
        written.append(path)

    signals.content_written.connect(listen)
    try:
        build_at(rebuilt)
    finally:
        signals.content_written.disconnect(listen)
    assert render_report(rebuilt)["rendered"] == {}
    # plugins listening to what is written (the sitemap) still hear of every page
    pages = {n for n in files(rebuilt / "output") if n.endswith(".html") and "/theme/" not in n}
    assert {Path(path).relative_to(rebuilt / "output").as_posix() for path in written} >= pages
    pages = {name for name in rewritten(rebuilt / "output") if not name.startswith("theme/")}
    assert pages == set()  # (Pelican copies the theme's files again on every run)


def test_nothing_new_and_a_page_removed_by_hand_builds_it_again(rebuilt: Path) -> None:
    page = rebuilt / "output" / "people" / "person-ada" / "index.html"
    page.unlink()
    build_at(rebuilt)
    assert page.is_file()
    assert render_report(rebuilt)["rendered"] == {"entity": 1}


def test_twenty_new_articles_equal_a_clean_build(rebuilt: Path, tmp_path: Path) -> None:
    write_content(rebuilt / "content", NEW)
    build_at(rebuilt)
    assert_same_site(
        rebuilt / "output", clean_build(tmp_path / "clean", ARCHIVE + NEW, stories_before(rebuilt))
    )
    changed = rewritten(rebuilt / "output")
    assert f"2021/03/{LAST_DAY.day:02d}/report-{SIZE}/index.html" in changed


def test_twenty_new_articles_render_only_the_pages_they_change(rebuilt: Path) -> None:
    """An article page shows its related articles and its story's size ("full coverage, 12
    articles from 3 outlets"), a digest day its stories' sizes: the new articles change the
    pages of the stories they join, and every page rendered is one that changed. (The
    fixture's look-alike articles make a few stories spanning all 25 days: 14 of the 20 new
    articles join 5 of them, so most article pages change here.)"""
    write_content(rebuilt / "content", NEW)
    build_at(rebuilt)
    rendered, skipped = render_report(rebuilt)["rendered"], render_report(rebuilt)["skipped"]
    changed = rewritten(rebuilt / "output")
    articles = {name for name in changed if re.fullmatch(r"2021/\d\d/\d\d/[^/]+/index.html", name)}
    days = {name for name in changed if re.fullmatch(r"digest/2021/\d\d/\d\d/index.html", name)}
    assert rendered["article"] == len(articles) >= len(NEW)
    assert rendered["digest_day"] == len(days)
    assert skipped["article"] > 0


def test_an_edited_title_equals_a_clean_build(rebuilt: Path, tmp_path: Path) -> None:
    meta, body = ARCHIVE[150]
    edited = {**meta, "title": "An edited headline"}
    write_content(rebuilt / "content", [(edited, body)])
    build_at(rebuilt)
    articles = [*ARCHIVE[:150], (edited, body), *ARCHIVE[151:]]
    clean = clean_build(tmp_path / "clean", articles, stories_before(rebuilt))
    assert_same_site(rebuilt / "output", clean)
    changed = rewritten(rebuilt / "output")
    assert len(changed) < 200
    assert f"digest/{meta['date'][:10].replace('-', '/')}/index.html" in changed


def test_an_edited_headline_of_a_weekly_digest_equals_a_clean_build(
    rebuilt: Path, tmp_path: Path
) -> None:
    """A week lists the headlines of the articles none of its stories holds: editing one
    renders the week again."""
    write_content(rebuilt / "content", [LONE])
    build_at(rebuilt)
    assert LONE[0]["title"] in headlines(rebuilt / "output" / LONE_WEEK)
    (rebuilt / "mtimes.json").write_text(json.dumps(mtimes(rebuilt / "output")))
    stories = shutil.copyfile(rebuilt / "content" / STORIES_FILE, tmp_path / "stories.json")
    edited = ({**LONE[0], "title": "Seals <b>return</b> to the fjord"}, LONE[1])
    write_content(rebuilt / "content", [edited])
    build_at(rebuilt)
    assert_same_site(
        rebuilt / "output", clean_build(tmp_path / "clean", [*ARCHIVE, edited], stories)
    )
    assert LONE_WEEK in rewritten(rebuilt / "output")
    assert edited[0]["title"] in headlines(rebuilt / "output" / LONE_WEEK)


def test_a_deleted_article_is_removed_and_unlisted(rebuilt: Path, tmp_path: Path) -> None:
    meta, _ = ARCHIVE[-1]
    (rebuilt / "content" / "articles" / meta["date"][:10].replace("-", "/")
     / f"{meta['slug']}.md").unlink()  # fmt: skip
    build_at(rebuilt)
    clean = clean_build(tmp_path / "clean", ARCHIVE[:-1], stories_before(rebuilt))
    assert_same_site(rebuilt / "output", clean)
    removed = render_report(rebuilt)["removed"]
    assert f"{meta['date'][:10].replace('-', '/')}/{meta['slug']}/index.html" in removed
    assert len(removed) < 5  # and archive pages no longer full


def test_a_template_change_renders_every_page(rebuilt: Path) -> None:
    rebuilt_theme = rebuilt / "theme"
    from tests import support

    shutil.copytree(support.ROOT / "theme", rebuilt_theme)
    base = rebuilt_theme / "templates" / "base.html"
    base.write_text(base.read_text().replace("Skip to content", "Skip to the news"))
    build_at(rebuilt, THEME=str(rebuilt_theme))
    report = render_report(rebuilt)
    assert set(report["skipped"]) == {"feed"}  # feeds use no template
    assert "Skip to the news" in (rebuilt / "output" / "2021/03/01/report-0/index.html").read_text()


def test_a_settings_change_renders_every_page(rebuilt: Path) -> None:
    build_at(rebuilt, SITENAME="The Harbour Digest")
    assert render_report(rebuilt)["skipped"] == {}
    [stamp] = (rebuilt / "cache").glob(f"*/{BUILD_STAMP}")
    assert json.loads(stamp.read_text())["inputs"]
