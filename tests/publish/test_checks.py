"""The pre-deploy checks, on small hand-written output folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from broadsheet.publish.checks import check_site, is_preview

SITE_URL = "https://news.example.org"


def page(title: str = "A page", lang: str = "en", body: str = "", head: str = "") -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        f'<link rel="stylesheet" href="/theme/site.css">{head}</head>'
        f'<body><a href="{SITE_URL}/">Home</a> <a href="/2021/04/21/cuba/">Cuba</a>{body}</body></html>'
    )


def sitemap(*urls: str) -> str:
    locs = "".join(f"<url><loc>{url}</loc></url>" for url in urls)
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'


def atom(*links: str) -> str:
    entries = "".join(
        f"<entry><title>t{i}</title><link href='{link}'/><id>{link}</id>"
        f"<updated>2021-04-21T00:00:00Z</updated></entry>"
        for i, link in enumerate(links)
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        f"<title>News</title><id>{SITE_URL}/</id><updated>2021-04-21T00:00:00Z</updated>"
        f"<link href='{SITE_URL}/'/>{entries}</feed>"
    )


def valid_site() -> dict[str, str]:
    """A small site that passes every check."""
    feed = '<link rel="alternate" type="application/atom+xml" href="/feeds/all.atom.xml">'
    return {
        "index.html": page("Front page", head=feed),
        "2021/04/21/cuba/index.html": page(
            "Cuba", body='<img src="photo.jpg" srcset="photo.jpg 1x, photo@2x.jpg 2x" alt="">'
        ),
        "2021/04/21/cuba/photo.jpg": "jpeg",
        "2021/04/21/cuba/photo@2x.jpg": "jpeg",
        "404.html": page("Not found"),
        "theme/site.css": 'body { background: url("img/paper.png"); }',
        "theme/img/paper.png": "png",
        "sitemap.xml": sitemap(f"{SITE_URL}/", f"{SITE_URL}/2021/04/21/cuba/"),
        "robots.txt": f"User-agent: *\nDisallow:\nSitemap: {SITE_URL}/sitemap.xml\n",
        "feeds/all.atom.xml": atom(f"{SITE_URL}/2021/04/21/cuba/"),
        "pagefind/pagefind.js": "export {}",
        "pagefind/pagefind.en_1a2b3c.pf_meta": "meta",
        "pagefind/pagefind-entry.json": json.dumps(
            {"version": "1.5.2", "languages": {"en": {"hash": "en_1a2b3c", "page_count": 2}}}
        ),
    }


def write(root: Path, files: dict[str, str | None]) -> Path:
    for path, text in files.items():
        if text is not None:
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text, "utf-8")
    return root


def problems_of(tmp_path: Path, changes: dict[str, str | None], **kwargs) -> list[str]:
    out = write(tmp_path / "output", {**valid_site(), **changes})
    return [str(problem) for problem in check_site(out, kwargs.pop("site_url", SITE_URL), **kwargs)]


def test_valid_site_has_no_problems(tmp_path):
    assert problems_of(tmp_path, {}) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"index.html": page(body='<a href="/people/kim/">Kim</a>')},
            "broken link: index.html: /people/kim/ -> no file people/kim/",
        ),
        (
            {"2021/04/21/cuba/photo.jpg": None},
            "broken link: 2021/04/21/cuba/index.html: photo.jpg -> no file 2021/04/21/cuba/photo.jpg",
        ),
        (
            {"2021/04/21/cuba/photo@2x.jpg": None},
            "broken link: 2021/04/21/cuba/index.html: photo@2x.jpg -> no file 2021/04/21/cuba/photo@2x.jpg",
        ),
        ({"theme/img/paper.png": None}, "broken link: theme/site.css: img/paper.png"),
        (  # a URL cannot climb above the site's root, so this is not the machine's /etc/hostname
            {"index.html": page(body='<a href="../../../etc/hostname">x</a>')},
            "broken link: index.html: ../../../etc/hostname -> no file etc/hostname",
        ),
        ({"index.html": page(title=" ")}, "title: index.html: the page has no <title>"),
        ({"404.html": page(lang="")}, "lang: 404.html: the page's <html> has no lang attribute"),
        (
            {"index.html": page(body="<a href='javascript:alert(1)'>x</a>")},
            "unsafe link: index.html: javascript:alert(1) would run script",
        ),
        (
            {"index.html": page(body="<img src='http://localhost:8000/a.png'>")},
            "local path: index.html: http://localhost:8000/a.png points to this machine",
        ),
        ({"sitemap.xml": None}, "sitemap: sitemap.xml: missing"),
        (
            {"sitemap.xml": sitemap(f"{SITE_URL}/gone/")},
            f"sitemap: sitemap.xml: {SITE_URL}/gone/ -> no such page",
        ),
        (
            {"sitemap.xml": sitemap(f"{SITE_URL}/404.html")},
            f"sitemap: sitemap.xml: {SITE_URL}/404.html is the not-found page",
        ),
        (
            {"sitemap.xml": sitemap("https://elsewhere.example.com/")},
            "sitemap: sitemap.xml: https://elsewhere.example.com/ is not under the site's address",
        ),
        ({"sitemap.xml": "<urlset"}, "sitemap: sitemap.xml: not valid XML"),
        ({"robots.txt": None}, "robots: robots.txt: missing"),
        ({"robots.txt": "User-agent: *\nDisallow:\n"}, "robots: robots.txt: has no Sitemap: line"),
        (
            {"robots.txt": f"Sitemap: {SITE_URL}/sitemap-index.xml\n"},
            f"robots: robots.txt: Sitemap: {SITE_URL}/sitemap-index.xml is not a file of this site",
        ),
        ({"feeds/all.atom.xml": "<feed><entry>"}, "feed: feeds/all.atom.xml: does not parse"),
        (
            {"feeds/all.atom.xml": atom(f"{SITE_URL}/2021/04/22/missing/")},
            "feed: feeds/all.atom.xml: entry 't0': "
            f"{SITE_URL}/2021/04/22/missing/ -> no file 2021/04/22/missing/",
        ),
        (
            {
                "index.html": page(
                    head='<link rel="alternate" type="application/atom+xml" href="/f">'
                )
            },
            "broken link: index.html: /f -> no file f",
        ),
        ({"pagefind/pagefind-entry.json": None}, "search: pagefind/: no Pagefind index"),
        (
            {"pagefind/pagefind-entry.json": '{"languages": {"en": {"hash": "en_1a2b3c"}}}'},
            "search: pagefind/pagefind-entry.json: the index holds no page",
        ),
        ({"pagefind/pagefind.en_1a2b3c.pf_meta": None}, "pf_meta is missing"),
        (
            {
                "search/bundles.json": json.dumps(
                    {"bundles": [{"path": "pagefind/"}, {"path": "pagefind/shards/2017/"}]}
                )
            },
            "search: pagefind/shards/2017/: no Pagefind index",
        ),
        ({"404.html": None}, "404: 404.html: missing"),
    ],
)
def test_each_problem_is_reported(tmp_path, changes, expected):
    problems = problems_of(tmp_path, changes)
    assert any(problem.startswith(expected) or expected in problem for problem in problems), (
        problems
    )


def test_redirect_stub_listed_in_sitemap_is_reported(tmp_path):
    stub = '<meta http-equiv="refresh" content="0; url=/2021/04/21/cuba/">'
    problems = problems_of(
        tmp_path,
        {
            "old/index.html": page("Moved", head=stub),
            "sitemap.xml": sitemap(f"{SITE_URL}/", f"{SITE_URL}/old/"),
        },
    )
    assert problems == [f"sitemap: sitemap.xml: {SITE_URL}/old/ is a redirect"]


def test_local_folder_path_in_output_is_reported(tmp_path):
    local = str(tmp_path.resolve())
    problems = problems_of(tmp_path, {"index.html": page(body=f"<p>{local}/scraped/a.txt</p>")})
    assert problems == [f"leak: index.html:1: contains the local path {local}"]


def test_secret_in_output_is_reported_without_its_value(tmp_path):
    secret = "ghp_s3cretTOKENvalue"
    feed = atom(f"{SITE_URL}/").replace("<title>News</title>", f"<title>{secret}</title>")
    problems = problems_of(tmp_path, {"feeds/all.atom.xml": feed}, secrets=[secret])
    assert problems == ["leak: feeds/all.atom.xml:1: contains a secret (20 characters)"]


AWS_PAIR = (  # AWS's own documentation example, with one letter changed
    "aws_access_key_id = AKIAIOSFODNN7EXAMPLQ\n"
    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEZ\n"
)
SSH_KEY = (
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
    "-----END OPENSSH PRIVATE KEY-----\n"
)


def test_credentials_and_home_folders_in_output_are_found_by_file_and_line(tmp_path):
    body = f"\n<pre>\n{AWS_PAIR}</pre>\n<pre>{SSH_KEY}</pre>\n<p>/root/.ssh/id_rsa</p>\n"
    body += f"<p>{Path.home()}/notes.txt</p>\n<p>See example.com/root/ or /home-made jam.</p>\n"
    problems = problems_of(tmp_path, {"2021/04/21/cuba/index.html": page(body=body)})
    page_path = "2021/04/21/cuba/index.html"
    assert f"leak: {page_path}:3: contains a secret (AWS Access Key, found by detect-secrets)" in (
        problems
    )
    assert any(
        p.startswith(f"leak: {page_path}:6: contains a secret (Private Key") for p in problems
    )
    assert f"leak: {page_path}:10: contains the local path /root" in problems
    assert f"leak: {page_path}:11: contains the local path {Path.home()}" in problems
    assert not any(":12:" in p for p in problems)  # a URL's /root/ and a word are not paths


def test_detect_secrets_findings_are_reused_for_unchanged_files_only(tmp_path):
    cache = tmp_path / "cache" / "secrets.json"
    page_path = "2021/04/21/cuba/index.html"
    changes = {page_path: page(body=f"\n<pre>\n{AWS_PAIR}</pre>\n")}
    found = f"leak: {page_path}:3: contains a secret (AWS Access Key, found by detect-secrets)"
    assert problems_of(tmp_path, changes, scan_cache=cache) == [found]
    # a finding planted in the cache is what is reported while the file is unchanged ...
    kept = json.loads(cache.read_text("utf-8"))
    kept["files"][page_path]["found"] = [[3, "Planted Key"]]
    cache.write_text(json.dumps(kept), "utf-8")
    planted = f"leak: {page_path}:3: contains a secret (Planted Key, found by detect-secrets)"
    assert problems_of(tmp_path, changes, scan_cache=cache) == [planted]
    # ... and a changed file, or another detect-secrets or detector list, is scanned again
    edited = {page_path: page(body=f"\n\n<pre>\n{AWS_PAIR}</pre>\n")}
    assert problems_of(tmp_path, edited, scan_cache=cache) == [found.replace(":3:", ":4:")]
    kept = json.loads(cache.read_text("utf-8"))
    kept["files"][page_path]["found"] = [[4, "Planted Key"]]
    kept["scanner"] = "detect-secrets 0.0: AWSKeyDetector"
    cache.write_text(json.dumps(kept), "utf-8")
    assert problems_of(tmp_path, edited, scan_cache=cache) == [found.replace(":3:", ":4:")]


@pytest.mark.parametrize(
    "damage",
    [
        lambda kept: "{not json",
        lambda kept: json.dumps([kept]),
        lambda kept: json.dumps({**kept, "files": ["index.html"]}),
        lambda kept: json.dumps(
            {**kept, "files": {p: {**e, "found": [["3", None]]} for p, e in kept["files"].items()}}
        ),
        lambda kept: json.dumps({**kept, "files": {p: "found" for p in kept["files"]}}),
    ],
    ids=["not-json", "not-an-object", "files-not-an-object", "bad-finding", "bad-entry"],
)
def test_a_damaged_secrets_cache_is_scanned_again_without_error(tmp_path, damage):
    cache = tmp_path / "cache" / "secrets.json"
    changes = {"2021/04/21/cuba/index.html": page(body=f"\n<pre>\n{AWS_PAIR}</pre>\n")}
    uncached = problems_of(tmp_path, changes)
    assert problems_of(tmp_path, changes, scan_cache=cache) == uncached
    cache.write_text(damage(json.loads(cache.read_text("utf-8"))), "utf-8")
    assert problems_of(tmp_path, changes, scan_cache=cache) == uncached
    assert json.loads(cache.read_text("utf-8"))["files"]  # and the cache is mended


@pytest.mark.parametrize(
    "link",
    [
        "/2021/04/21/cuba",  # a folder without its slash: hosts redirect to the slash
        "/2021/04/21/cuba/index.html",
        "/2021/04/21/%63uba/",  # percent-encoded
        "/2021/04/21/cuba/?utm=x#top",
        "#main",
        "mailto:desk@example.org",
        "https://www.koreaherald.com/",
    ],
)
def test_links_that_resolve_or_leave_the_site_pass(tmp_path, link):
    assert problems_of(tmp_path, {"index.html": page(body=f'<a href="{link}">x</a>')}) == []


def test_site_under_a_path_prefix_needs_prefixed_links(tmp_path):
    prefix = f"{SITE_URL}/news"
    files = {
        **valid_site(),
        "index.html": page(
            body='<a href="/news/2021/04/21/cuba/">ok</a><a href="/elsewhere/">x</a>'
        )
        .replace(f"{SITE_URL}/", f"{prefix}/")
        .replace('href="/theme/', 'href="/news/theme/')
        .replace('"/2021/04/21/cuba/"', '"/news/2021/04/21/cuba/"'),
        "sitemap.xml": sitemap(f"{prefix}/"),
        "robots.txt": f"Sitemap: {prefix}/sitemap.xml\n",
        "feeds/all.atom.xml": atom(f"{prefix}/2021/04/21/cuba/"),
    }
    out = write(tmp_path / "output", files)
    problems = [str(p) for p in check_site(out, prefix) if p.path == "index.html"]
    assert problems == ["broken link: index.html: /elsewhere/ -> no file ../elsewhere/"]


def test_unbuilt_folder_says_to_build_first(tmp_path):
    assert [p.detail for p in check_site(tmp_path)] == [
        "no index.html: build the site first (invoke build)"
    ]


def test_a_local_preview_build_is_named_so_in_one_line(tmp_path):
    site = {**valid_site()}
    del site["sitemap.xml"], site["robots.txt"]
    out = write(tmp_path / "local", site)
    problems = [str(problem) for problem in check_site(out, SITE_URL)]
    assert problems == [
        f"site: {out}: a local preview (no sitemap.xml or robots.txt); the checks are for what "
        "is published: build that with `invoke build --settings publishconf.py`, then check again"
    ]


def test_a_local_preview_asked_for_gets_every_check_but_the_sitemap_robots_and_feeds(tmp_path):
    site = {**valid_site()}
    del site["sitemap.xml"], site["robots.txt"]
    # a preview's feed links relatively, which only a publish build's feed may not
    site["feeds/all.atom.xml"] = atom("2021/04/21/cuba/")
    assert is_preview(write(tmp_path / "local", site))
    assert check_site(tmp_path / "local", SITE_URL, preview=True) == []
    site["index.html"] = site["index.html"].replace("</body>", '<a href="/nobody/">x</a></body>')
    broken = write(tmp_path / "broken", site)
    assert [str(p) for p in check_site(broken, SITE_URL, preview=True)] == [
        "broken link: index.html: /nobody/ -> no file nobody/"
    ]
