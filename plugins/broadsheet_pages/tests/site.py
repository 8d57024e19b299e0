"""A small real site for the tests: fixture articles and registries, built with Pelican."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from pelican import Pelican
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parents[3]  # the project: pelicanconf.py, theme/, plugins/

SEED = {
    "title": "NK leader stresses 'special' relations with Cuba in another congratulatory "
    "message to new ruling party chief",
    "slug": "nk-leader-stresses-special-relations-with-cuba",
    "date": "2021-04-21T09:46:00+09:00",
    "category": "National",
    "source": "The Korea Herald",
    "authors": ["Yonhap"],
    "original_url": "http://www.koreaherald.com/view.php?ud=20210421000710",
    "summary": "North Korean leader Kim Jong-un stressed the country's special relations "
    "with Cuba.",
    "people": ["Kim Jong-un", "Miguel Diaz-Canel", "Kim Song-nam"],
    "organizations": ["Workers' Party of Korea", "Korean Central News Agency"],
    "places": ["North Korea", "Cuba", "Pyongyang"],
    "topics": ["North Korea-Cuba relations"],
    "also_published_by": [{"source": "Yonhap", "url": "https://en.yna.co.kr/view/AEN2021"}],
    "scraped_from": "scraped/000_e7af64bebac15370.txt",
}
SEED_BODY = """North Korean leader Kim Jong-un stressed the country's "special" relations with
[Cuba's government](https://example.com/cuba) in a message to Miguel Diaz-Canel, the new
first secretary of the Communist Party of Cuba, the Korean Central News Agency said.

## Pyongyang reacts

Kim Jong-un said in Pyongyang that Cuba and North Korea &lt;would&gt; stand together. (Yonhap)
"""


def _other(slug: str, date: str, title: str, **fields) -> dict:
    return {
        "title": title,
        "slug": slug,
        "date": date,
        "category": "National",
        "source": "Yonhap",
        "summary": f"{title}.",
        **fields,
    }


KIM = ["Kim Jong-un"]
ARTICLES = [
    (SEED, SEED_BODY),
    (
        _other(
            "kim-inspects-farm",
            "2021-04-21T15:00:00+09:00",
            "Kim Jong-un inspects a farm",
            people=KIM,
            places=["North Korea"],
            topics=["Agriculture"],
        ),
        "Kim Jong-un visited a farm in North Korea.",
    ),
    (
        _other(
            "cuba-party-congress",
            "2021-04-19T20:00:00-04:00",
            "Cuba's party congress ends",
            category="World",
            people=["Miguel Diaz-Canel"],
            places=["Cuba"],
            topics=["North Korea-Cuba relations"],
        ),
        "Miguel Diaz-Canel leads the party of Cuba.",
    ),
    (
        _other(
            "kim-march-speech",
            "2021-03-18T10:00:00+09:00",
            "Kim Jong Un gives a speech",
            people=["Kim Jong Un"],
            places=["North Korea", "Pyongyang"],
        ),
        "Kim Jong Un spoke in Pyongyang.",
    ),
    (
        _other(
            "kim-march-letter",
            "2021-03-05T10:00:00+09:00",
            "Kim Jong-un sends a letter",
            people=KIM,
            organizations=["Korean Central News Agency"],
            places=["North Korea"],
        ),
        "The letter was carried by KCNA.",
    ),
    (
        _other(
            "kim-february-meeting",
            "2021-02-11T10:00:00+09:00",
            "Kim Jong-un chairs a meeting",
            source="The Korea Herald",
            people=KIM,
            organizations=["Workers' Party of Korea"],
        ),
        "A party meeting.",
    ),
    (
        _other(
            "kim-february-visit",
            "2021-02-10T10:00:00+09:00",
            "Kim Jong-un visits a factory",
            people=KIM,
            places=["North Korea"],
            topics=["Agriculture"],
        ),
        "A factory visit.",
    ),
    (
        _other(
            "seoul-stocks",
            "2021-05-01T16:00:00+09:00",
            "Seoul stocks close higher",
            category="Business",
            source="The Korea Herald",
            places=["Seoul"],
        ),
        "Seoul shares rose.",
    ),
]
NEW_ARTICLE = (
    _other(
        "kim-may-parade",
        "2021-05-03T10:00:00+09:00",
        "Kim Jong-un watches a parade",
        people=KIM,
        places=["North Korea"],
    ),
    "A parade in Pyongyang.",
)
REGISTRY = {
    "entities.json": [
        {
            "slug": "kim-jong-un",
            "name": "Kim Jong-un",
            "type": "person",
            "aliases": ["Kim Jong Un"],
            "old_slugs": ["kim-jong-eun"],
        },
    ],
    "topics.json": [
        {
            "slug": "north-korea-cuba-relations",
            "name": "North Korea-Cuba relations",
            "aliases": [],
            "old_slugs": ["nk-cuba-ties"],
            "about": "Ties between the two one-party states.",
            "iptc": "medtop:20000639",
        },
        {"slug": "vs-loss", "name": "vs loss", "aliases": [], "old_slugs": []},  # retired
    ],
}
# small pages, so that Kim Jong-un's six articles fill three archive pages
SETTINGS = {"BROADSHEET_LATEST": 3, "BROADSHEET_ARCHIVE_PAGE_SIZE": 2}


def write_content(folder: Path, articles: list[tuple[dict, str]]) -> None:
    for meta, body in articles:
        day = meta["date"][:10].replace("-", "/")
        path = folder / "articles" / day / f"{meta['slug']}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        header = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
        path.write_text(f"---\n{header}---\n\n{body}\n", encoding="utf-8")
    registry = folder / "registry"
    registry.mkdir(parents=True, exist_ok=True)
    for name, entries in REGISTRY.items():
        (registry / name).write_text(json.dumps(entries), encoding="utf-8")


def build(content: Path, output: Path, cache: Path) -> Path:
    """Build the project's site (pelicanconf.py, theme, plugins) from `content` into `output`."""
    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "CACHE_PATH": str(cache),
            **SETTINGS,
        },
    )
    Pelican(settings).run()
    return output
