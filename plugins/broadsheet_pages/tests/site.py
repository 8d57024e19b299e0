"""A small real site for the plugin's tests: the seed and a few short articles about its
people, and registries with renamed slugs; built by broadsheet's own build (see tests/support.py)."""

from __future__ import annotations

from pathlib import Path

from tests import support

# The seed, with a topic whose slug was renamed (REGISTRY) and a copy by another source; its
# body has a link, a heading and escaped text for the entity linking to work around
SEED = {
    **support.SEED,
    "topics": ["North Korea-Cuba relations"],
    "also_published_by": [{"source": "Yonhap", "url": "https://en.yna.co.kr/view/AEN2021"}],
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
        },
    ],
}
# small pages, so that Kim Jong-un's six articles fill three archive pages
SETTINGS = {"BROADSHEET_LATEST": 3, "BROADSHEET_ARCHIVE_PAGE_SIZE": 2}


def write_content(content: Path, articles: list[tuple[dict, str]]) -> None:
    support.write_articles(content, articles)
    support.write_registries(content, REGISTRY)


def build(content: Path, output: Path, cache: Path) -> Path:
    """Build the project's pages from `content` into `output`, with the small pages above
    (no search index: the tests compare builds byte for byte)."""
    return support.build(content, output, cache, search=False, **SETTINGS)
