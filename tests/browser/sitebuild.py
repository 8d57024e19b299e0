"""Build a small Broadsheet site for the browser tests.

The demo site comes from the repo's bundled scraped/ samples through the ingest pipeline when
both exist; until then (and for the front-matter attack tests) from Markdown articles written here
in the README's front-matter format.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]

SEED_BODY = """\
North Korean leader Kim Jong-un stressed the country's "special" strategic relations with Cuba \
in another message congratulating President Miguel Diaz-Canel on his election as the new \
powerful head of its ruling communist party, according to state media Wednesday.

The message delivered Tuesday via the Cuban ambassador in Pyongyang came a day after Kim sent \
another message expressing "absolute support" to Diaz-Canel following his appointment as first \
secretary of the Communist Party of Cuba.

Kim sent a Workers' Party official, Kim Song-nam, to pay a congratulatory visit to the Cuban \
Embassy in Pyongyang to "courteously convey the words of congratulations" to Diaz-Canel via \
Cuban Ambassador Jesus De Los Angeles Aise Sotolongo, the official Korean Central News Agency said.

In the message, Kim said he will always join hands with Diaz-Canel against challenges by hostile \
forces and stressed his will to further develop "special comradely relations and strategic \
relations with Cuba on a new high level as required by the new era."

Pyongyang has been seeking to maintain closer ties with its traditional allies amid an impasse \
in nuclear negotiations with Washington. Last month, Kim sent several verbal messages to the \
leaders of China, Cuba, Vietnam and Laos. (Yonhap)
"""

SEED = {
    "title": "NK leader stresses 'special' relations with Cuba in another congratulatory "
    "message to new ruling party chief",
    "slug": "nk-leader-stresses-special-relations-with-cuba",
    "date": "2021-04-21T09:46:00+09:00",
    "category": "National",
    "source": "The Korea Herald",
    "authors": ["Yonhap"],
    "original_url": "https://www.koreaherald.com/view.php?ud=20210421000123",
    "lang": "en",
    "summary": 'North Korean leader Kim Jong-un stressed the country\'s "special" strategic '
    "relations with Cuba in another message congratulating President Miguel Diaz-Canel.",
    "people": ["Kim Jong-un", "Miguel Diaz-Canel", "Kim Song-nam"],
    "organizations": ["Workers' Party of Korea", "Korean Central News Agency"],
    "places": ["North Korea", "Cuba", "Pyongyang"],
    "topics": ["North Korea diplomacy"],
    "captions": [
        "North Korean leader Kim Jong-un (R) and his visiting Cuban counterpart Miguel Mario "
        "Diaz-Canel Bermudez hold up their hands as they watch a mass games performance in "
        "Pyongyang on Nov. 5, 2018. (Rodong Sinmun)"
    ],
    "scraped_from": "scraped/000_e7af64bebac15370.txt",
    "body": SEED_BODY,
}


def _story(slug: str, title: str, date: str, category: str, source: str, **extra) -> dict:
    body = extra.pop("body", None) or (
        f"{title}. Officials said on Tuesday that talks would continue next week, "
        "while analysts warned that the outcome remained uncertain.\n\n"
        "The announcement followed weeks of speculation in the region about the timing "
        "and the scope of the measures."
    )
    return {
        "title": title,
        "slug": slug,
        "date": date,
        "category": category,
        "source": source,
        "summary": f"{title}, officials said.",
        "body": body,
        "lang": "en",
        **extra,
    }


SAMPLE_ARTICLES: list[dict] = [
    SEED,
    _story(
        "kim-inspects-farm",
        "Kim Jong-un inspects a farm in South Pyongan",
        "2021-04-21T15:10:00+09:00",
        "North Korea",
        "Yonhap",
        authors=["Park Boram"],
        people=["Kim Jong-un"],
        places=["North Korea"],
        topics=["North Korea diplomacy"],
    ),
    _story(
        "seoul-markets-rise",
        "Seoul shares close higher on chip rally",
        "2021-04-21T16:00:00+09:00",
        "Business",
        "The Korea Herald",
        authors=["Kim Yoon-kyung"],
        places=["Seoul"],
        topics=["Markets"],
    ),
    _story(
        "cuba-party-congress",
        "Cuba's Communist Party names Diaz-Canel first secretary",
        "2021-04-20T08:00:00+00:00",
        "World",
        "Reuters",
        people=["Miguel Diaz-Canel"],
        places=["Cuba"],
        topics=["North Korea diplomacy"],
    ),
    _story(
        "pyongyang-envoy",
        "North Korea sends envoy to Cuban embassy in Pyongyang",
        "2021-04-20T11:30:00+09:00",
        "National",
        "Yonhap",
        people=["Kim Jong-un", "Kim Song-nam"],
        places=["Pyongyang", "Cuba"],
        topics=["North Korea diplomacy"],
    ),
    _story(
        "won-steady",
        "Won holds steady against the dollar",
        "2021-04-19",
        "Business",
        "Reuters",
        places=["Seoul"],
        topics=["Markets"],
    ),
]


def write_articles(folder: Path, articles: list[dict]) -> None:
    """Write articles as content/articles/YYYY/MM/DD/<slug>.md with YAML front-matter."""
    for article in articles:
        meta = {k: v for k, v in article.items() if k != "body"}
        day = str(meta["date"])[:10].replace("-", "/")
        path = folder / "articles" / day / f"{meta['slug']}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_style='"')
        path.write_text(f"---\n{front}---\n{article['body']}", encoding="utf-8")


def copy_site_pages(content: Path) -> None:
    """The repo's own pages (404, about) go into every test site."""
    pages = ROOT / "content" / "pages"
    if pages.is_dir():
        shutil.copytree(pages, content / "pages", dirs_exist_ok=True)


def ingest_into(src: Path, content: Path) -> None:
    """Run the project's ingest on `src`, writing Markdown under `content/articles`."""
    from broadsheet.pipeline import IngestOptions, run_ingest

    run_ingest(IngestOptions(src=src, out=content / "articles", workers=1))


def build_site(content: Path, output: Path, cache: Path) -> Path:
    """Run Pelican with the project's settings on `content`, writing into `output`."""
    from pelican import Pelican
    from pelican.settings import read_settings

    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "CACHE_PATH": str(cache),
            "THEME": str(ROOT / "theme"),
            "PLUGIN_PATHS": [str(ROOT / "plugins")],
        },
    )
    Pelican(settings).run()
    return output
