"""Deploy: settings, the hosting step, and publishing to real targets on this machine (a folder,
rsync to a local path, a local bare git repository as the Pages remote)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from broadsheet.publish.deploy import (
    Changes,
    ChecksFailed,
    DeployError,
    deploy,
    parse_itemized,
    publish_directory,
)
from broadsheet.publish.settings import DeploySettings, SettingsError, Target, load_settings
from broadsheet.site.hosting import prepare_for_hosting
from tests.support import ROOT, SEED, SEED_BODY, write_articles

FIXTURES = Path(__file__).parent / "fixtures" / "deploy"
SITE_URL = "https://news.example.org"
SETTINGS = DeploySettings(site_url=SITE_URL)
CUBA = "nk-leader-stresses-special-relations-with-cuba.html"  # the seed
SEE_ALSO = "\nSee also [the rice report]({filename}/articles/rice.md).\n"

# publishconf.py's publishing settings, on a tiny site and theme (fixtures/deploy)
PELICAN_SETTINGS = """
PATH = {content!r}
OUTPUT_PATH = {output!r}
CACHE_PATH = {cache!r}
THEME = {theme!r}
SITENAME = "Deploy test"
SITEURL = FEED_DOMAIN = {site_url!r}
RELATIVE_URLS = False
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/sections/{{slug}}.atom.xml"
DIRECT_TEMPLATES = ["index", "categories", "authors", "archives", "tags", "404"]
PLUGINS = ["pelican.plugins.yaml_metadata", "pelican.plugins.sitemap", "broadsheet.site.hosting",
           "pelican.plugins.precompress"]
SITEMAP = {{"format": "xml", "exclude": [r"^404\\.html$"]}}
PRECOMPRESS_ZSTANDARD = False
PRECOMPRESS_OVERWRITE = True
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = True
"""


# broadsheet's build of the pages, in a subprocess, so that the publishing plugins' signal
# handlers never reach other tests' Pelican runs
BUILD_PAGES = (
    "import sys, pathlib, broadsheet.site.build as b; b.build_pages(pathlib.Path(sys.argv[1]))"
)


def build_site(work: Path) -> Path:
    """The fixture site (the seed beside fixtures/deploy/content) built with broadsheet's build,
    then indexed with Pagefind (whole pages: its articles are not in the date folders that
    index_site reads)."""
    content, output = work / "content", work / "output"
    shutil.copytree(FIXTURES / "content", content)
    write_articles(content, [(SEED, SEED_BODY + SEE_ALSO)])
    settings = work / "publishconf_test.py"
    settings.write_text(
        PELICAN_SETTINGS.format(
            content=str(content),
            output=str(output),
            cache=str(work / "cache"),
            theme=str(FIXTURES / "theme"),
            site_url=SITE_URL,
        )
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-c", BUILD_PAGES, str(settings)], check=True, env=env, cwd=work
    )
    subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(output)], check=True, capture_output=True
    )
    return output


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("site"))


def copy_site(site: Path, to: Path) -> Path:
    return Path(shutil.copytree(site, to))


def files_of(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def break_a_link(site: Path) -> None:
    page = site / CUBA
    page.write_text(page.read_text().replace("</main>", '<a href="/people/nobody/">x</a></main>'))
    if "/people/nobody/" not in page.read_text():
        page.write_text(page.read_text() + '<a href="/people/nobody/">x</a>')


# --- the built site is ready for hosting


def test_built_site_passes_the_checks(site):
    from broadsheet.publish.checks import check_site

    assert check_site(site, SITE_URL) == []


def test_css_and_js_get_fingerprinted_names_that_pages_use(site):
    css = sorted(p.name for p in (site / "theme/css").glob("*.css"))
    js = [p.name for p in (site / "theme/js").glob("*.js")]
    assert len(css) == 2 and all(len(name.split(".")) == 3 for name in css + js)
    assert "site.css" not in css and "site.js" not in js
    index = (site / "index.html").read_text()
    assert f"{SITE_URL}/theme/css/{css[1]}" in index and f"/theme/js/{js[0]}" in index
    # the stylesheet's @import follows the renamed stylesheet it imports
    assert f'@import "{css[0]}"' in (site / "theme/css" / css[1]).read_text()


def test_headers_give_fingerprinted_files_a_long_cache(site):
    headers = (site / "_headers").read_text()
    for asset in (site / "theme").rglob("*.[cj]s"):
        path = asset.relative_to(site).as_posix()
        assert f"/{path}\n  Cache-Control: public, max-age=31536000, immutable\n" in headers
    assert "/*\n  X-Content-Type-Options: nosniff\n" in headers


def test_output_has_sitemap_robots_404_and_compressed_copies(site):
    assert (site / "robots.txt").read_text().endswith(f"Sitemap: {SITE_URL}/sitemap.xml\n")
    sitemap = (site / "sitemap.xml").read_text()
    assert f"<loc>{SITE_URL}/{CUBA}</loc>" in sitemap and "404.html" not in sitemap
    for name in ("index.html", CUBA, "sitemap.xml", "feeds/all.atom.xml"):
        assert (site / f"{name}.gz").is_file() and (site / f"{name}.br").is_file(), name


def test_hosting_step_turns_redirect_stubs_into_redirects(tmp_path):
    stub = '<html lang="en"><head><meta http-equiv="refresh" content="0; url=../kim-jong-un/">'
    (tmp_path / "people/kim-jong-un").mkdir(parents=True)
    (tmp_path / "people/kim-jong-un/index.html").write_text("<title>Kim</title>")
    (tmp_path / "people/kim-jong-un-2").mkdir(parents=True)
    (tmp_path / "people/kim-jong-un-2/index.html").write_text(stub)
    prepare_for_hosting(tmp_path, SITE_URL, ["theme"])
    assert (
        tmp_path / "_redirects"
    ).read_text() == "/people/kim-jong-un-2/ /people/kim-jong-un/ 301\n"


def test_fingerprinting_again_leaves_one_copy_of_each_asset(tmp_path):
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme/a.css").write_text("a{}")
    (tmp_path / "index.html").write_text('<link rel="stylesheet" href="theme/a.css">')
    prepare_for_hosting(tmp_path, "", ["theme"])
    first = (tmp_path / "index.html").read_text()
    (tmp_path / "theme/a.css").write_text("a{color:red}")  # the next build copies the theme again
    (tmp_path / "index.html").write_text('<link rel="stylesheet" href="theme/a.css">')
    prepare_for_hosting(tmp_path, "", ["theme"])
    names = [p.name for p in (tmp_path / "theme").iterdir()]
    assert len(names) == 1 and names[0] in (tmp_path / "index.html").read_text()
    assert names[0] not in first
    assert "Sitemap" not in (tmp_path / "robots.txt").read_text()  # no address, no sitemap URL


# --- settings


def test_settings_file_names_targets_and_default(tmp_path):
    (tmp_path / "deploy.toml").write_text(
        textwrap.dedent(
            """
            site_url = "https://news.example.org/"
            default = "live"
            [targets.live]
            kind = "directory"
            path = "published"
            [targets.pages]
            kind = "git"
            path = "https://github.com/you/site.git"
            cname = "news.example.org"
            token_env = "GITHUB_TOKEN"
            """
        )
    )
    settings = load_settings(tmp_path / "deploy.toml", env={})
    assert settings.site_url == SITE_URL
    assert settings.target(None) == Target("live", "directory", str(tmp_path / "published"))
    assert settings.target("pages").cname == "news.example.org"
    assert settings.target("rsync:me@host:/srv/www/") == Target(
        "rsync:me@host:/srv/www/", "rsync", "me@host:/srv/www/"
    )
    env = {"BROADSHEET_SITE_URL": "https://other.example.org"}
    assert load_settings(tmp_path / "deploy.toml", env=env).site_url == "https://other.example.org"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('site_url = "news.example.org"', "deploy.toml: site_url must start with https://"),
        ('token = "abc"', "unknown key(s) ['token']"),
        ('[targets.x]\nkind = "ftp"\npath = "/x"', "needs kind = one of"),
        ('[targets.x]\nkind = "git"\npath = "/x"\npassword = "p"', "unknown key(s) ['password']"),
        ('default = "nowhere"', "default = 'nowhere' is not one of"),
        ("site_url = ", "not valid TOML"),
    ],
)
def test_bad_settings_say_what_to_fix(tmp_path, text, message):
    (tmp_path / "deploy.toml").write_text(text)
    with pytest.raises(SettingsError, match=r"deploy\.toml") as error:
        load_settings(tmp_path / "deploy.toml", env={})
    assert message in str(error.value)


def test_unknown_target_lists_the_known_ones():
    with pytest.raises(SettingsError, match=r"unknown target 'prod' \(targets in deploy.toml: a\)"):
        DeploySettings(targets={"a": Target("a", "directory", "/x")}).target("prod")


def test_the_projects_publishconf_adds_the_publishing_plugins():
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "publishconf.py"))
    assert settings["SITEURL"] == load_settings(ROOT / "deploy.toml").site_url
    assert settings["RELATIVE_URLS"] is False and settings["FEED_ALL_ATOM"]
    assert [
        p for p in settings["PLUGINS"] if "sitemap" in p or "hosting" in p or "compress" in p
    ] == [
        "pelican.plugins.sitemap",
        "broadsheet.site.hosting",
        "pelican.plugins.precompress",
    ]


# --- a local directory


def test_directory_deploy_swaps_in_a_complete_copy(site, tmp_path):
    live = tmp_path / "www" / "site"
    changes = deploy(
        site, Target("live", "directory", str(live)), SETTINGS, cache=tmp_path, echo=print
    )
    assert live.is_symlink() and files_of(live) == files_of(site)
    assert CUBA in changes.added and not changes.removed
    again = publish_directory(site, live)
    assert again == Changes() and files_of(live) == files_of(site)


def test_dry_run_prints_what_would_change_and_changes_nothing(site, tmp_path, capsys):
    live = tmp_path / "site"
    publish_directory(site, live)
    before = os.readlink(live)
    changed = copy_site(site, tmp_path / "new")
    (changed / "rice-harvest-expected-to-rise.html.br").unlink()
    (changed / "extra.txt").write_text("new file")
    deploy(changed, Target("live", "directory", str(live)), SETTINGS, cache=tmp_path, dry_run=True)
    out = capsys.readouterr().out
    assert "would change: 1 added, 0 changed, 1 removed" in out
    assert "  + extra.txt" in out and "  - rice-harvest-expected-to-rise.html.br" in out
    assert os.readlink(live) == before and not (live / "extra.txt").exists()


def test_site_with_a_broken_link_is_refused_and_live_copy_stays(site, tmp_path):
    live = tmp_path / "site"
    publish_directory(site, live)
    before = files_of(live)
    broken = copy_site(site, tmp_path / "broken")
    break_a_link(broken)
    with pytest.raises(ChecksFailed) as error:
        deploy(broken, Target("live", "directory", str(live)), SETTINGS, cache=tmp_path)
    assert f"broken link: {CUBA}: /people/nobody/ -> no file people/nobody/" in str(error.value)
    assert files_of(live) == before


KILLED_DEPLOY = """
import os, shutil, signal, sys
from pathlib import Path
from broadsheet.publish.deploy import publish_directory

copy2, copied = shutil.copy2, []

def copy_then_die(src, dst, **kwargs):
    copied.append(src)
    if len(copied) == 5:
        os.kill(os.getpid(), signal.SIGKILL)  # killed midway through the copy
    return copy2(src, dst, **kwargs)

shutil.copy2 = copy_then_die
publish_directory(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_deploy_killed_midway_leaves_previous_site_complete(site, tmp_path):
    live = tmp_path / "site"
    old = copy_site(site, tmp_path / "old")
    (old / "old-only.txt").write_text("from the previous deploy")
    publish_directory(old, live)
    before = files_of(live)
    new = copy_site(site, tmp_path / "new")
    for page in new.rglob("*.html"):  # every file differs, so every one is copied
        page.write_text(page.read_text() + "<!-- v2 -->")
    result = subprocess.run(
        [sys.executable, "-c", KILLED_DEPLOY, str(new), str(live)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert result.returncode == -signal.SIGKILL
    assert files_of(live) == before
    assert list((tmp_path / ".site.releases").glob(".partial-*"))  # the half-written copy
    publish_directory(new, live)  # the next deploy cleans it up and succeeds
    assert files_of(live) == files_of(new)
    assert not list((tmp_path / ".site.releases").glob(".partial-*"))


def test_first_deploy_over_a_plain_folder_keeps_it_as_a_release(site, tmp_path):
    live = tmp_path / "site"
    live.mkdir()
    (live / "index.html").write_text("hand-made")
    publish_directory(site, live, keep=2)
    assert live.is_symlink() and files_of(live) == files_of(site)
    kept = [p for p in (tmp_path / ".site.releases").iterdir() if p.name.startswith("0-before")]
    assert (kept[0] / "index.html").read_text() == "hand-made"


# --- rsync to a local path


@pytest.mark.skipif(not shutil.which("rsync"), reason="needs Debian's rsync")
def test_rsync_sends_only_changed_files_and_deletes_removed_ones(site, tmp_path):
    dest = tmp_path / "mirror"
    target = Target("mirror", "rsync", str(dest))
    first = deploy(site, target, SETTINGS, cache=tmp_path)
    assert files_of(dest) == files_of(site) and CUBA in first.added
    changed = copy_site(site, tmp_path / "changed")
    (changed / "pages/about.html").write_text(
        (changed / "pages/about.html").read_text().replace("A small site", "A tiny site")
    )
    (changed / "rice-harvest-expected-to-rise.html.br").unlink()
    dry = deploy(changed, target, SETTINGS, cache=tmp_path, dry_run=True)
    assert dry == Changes(
        changed=("pages/about.html",), removed=("rice-harvest-expected-to-rise.html.br",)
    )
    assert files_of(dest) == files_of(site)
    assert deploy(changed, target, SETTINGS, cache=tmp_path) == dry
    assert files_of(dest) == files_of(changed)


def test_rsync_itemized_output_becomes_changes():
    lines = [
        "cd+++++++++ people/",
        ">f+++++++++ people/index.html",
        ">fcst...... index.html",
        ".f...p..... unchanged.html",
        "*deleting   old.html",
        "*deleting   gone/",
    ]
    assert parse_itemized(lines) == Changes(("people/index.html",), ("index.html",), ("old.html",))


# --- a git branch (GitHub Pages) in a local bare repository


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def remote(tmp_path) -> Path:
    path = tmp_path / "pages.git"
    git("init", "--quiet", "--bare", str(path), cwd=tmp_path)
    return path


def test_git_branch_holds_exactly_the_site(site, tmp_path, remote):
    target = Target("pages", "git", str(remote), cname="news.example.org")
    deploy(site, target, SETTINGS, cache=tmp_path / "cache", env={**os.environ})
    tree = set(git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).split("\n")) - {""}
    assert tree == {*files_of(site), ".nojekyll", "CNAME"}
    assert git("show", "gh-pages:CNAME", cwd=remote) == "news.example.org"
    assert git("show", f"gh-pages:{CUBA}", cwd=remote) == (site / CUBA).read_text()


def test_git_redeploy_adds_a_commit_and_drops_removed_files(site, tmp_path, remote):
    target = Target("pages", "git", str(remote))
    cache = tmp_path / "cache"
    deploy(site, target, SETTINGS, cache=cache)
    smaller = copy_site(site, tmp_path / "smaller")
    for name in ("feeds/yonhap.rss.xml", "feeds/yonhap.rss.xml.gz", "feeds/yonhap.rss.xml.br"):
        (smaller / name).unlink()
    dry = deploy(smaller, target, SETTINGS, cache=cache, dry_run=True)
    assert dry.removed == (
        "feeds/yonhap.rss.xml",
        "feeds/yonhap.rss.xml.br",
        "feeds/yonhap.rss.xml.gz",
    )
    deploy(smaller, target, SETTINGS, cache=cache)
    assert git("rev-list", "--count", "gh-pages", cwd=remote).strip() == "2"
    assert "feeds/yonhap.rss.xml" not in git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote)
    assert deploy(smaller, target, SETTINGS, cache=cache) == Changes()  # nothing new: no commit
    assert git("rev-list", "--count", "gh-pages", cwd=remote).strip() == "2"


def test_git_redeploy_commits_only_what_changed(site, tmp_path, remote):
    target = Target("pages", "git", str(remote))
    deploy(site, target, SETTINGS, cache=tmp_path / "cache")
    changed = copy_site(site, tmp_path / "changed")
    (changed / CUBA).write_text((changed / CUBA).read_text().replace("Cuba", "Havana"))
    changes = deploy(changed, target, SETTINGS, cache=tmp_path / "cache")
    assert changes == Changes(changed=(CUBA,))
    diff = git("diff", "--name-status", "gh-pages~1", "gh-pages", cwd=remote)
    assert diff.splitlines() == [f"M\t{CUBA}"]


def test_token_comes_from_the_environment_and_is_never_written(site, tmp_path, remote, capsys):
    token = "ghp_TESTTOKEN0123456789abcdef"
    target = Target("pages", "git", str(remote), token_env="BROADSHEET_TEST_TOKEN")
    cache = tmp_path / "cache"
    deploy(site, target, SETTINGS, cache=cache, env={**os.environ, "BROADSHEET_TEST_TOKEN": token})
    captured = capsys.readouterr()
    assert token not in captured.out + captured.err
    for folder in (cache, remote, site):
        for path in folder.rglob("*"):
            assert not path.is_file() or token.encode() not in path.read_bytes(), path


def test_server_targets_refuse_a_local_site_address(site, tmp_path):
    local = DeploySettings(site_url="http://127.0.0.1:8000")
    with pytest.raises(DeployError, match=r"site_url is 'http://127\.0\.0\.1:8000'"):
        deploy(site, Target("m", "rsync", str(tmp_path / "m")), local, cache=tmp_path)
    assert not (tmp_path / "m").exists()


# --- the invoke tasks


def invoke(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BROADSHEET_SITE_URL": SITE_URL}
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_invoke_check_passes_a_good_site_and_lists_a_bad_ones_problems(site, tmp_path):
    good = invoke("check", "--site", str(site))
    assert good.returncode == 0 and good.stdout.endswith("/: all checks passed\n")
    broken = copy_site(site, tmp_path / "broken")
    break_a_link(broken)
    bad = invoke("check", "--site", str(broken))
    assert bad.returncode == 1
    assert bad.stdout == f"broken link: {CUBA}: /people/nobody/ -> no file people/nobody/\n"
    assert "1 problem(s)" in bad.stderr
