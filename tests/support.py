"""What the tests share: the seed article, writing articles as Markdown, building a site.

The seed is DESIGN.md's reference input, a Korea Herald page (../shared/seed; the same file
is bundled as scraped/000_e7af64bebac15370.txt): its text as extraction gives it, and the
front-matter ingest writes for it. Test sites are built by the package's own build (Pelican,
then the search index).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

from broadsheet.records import Article, Block
from broadsheet.site.build import build_pages, build_site

ROOT = Path(__file__).resolve().parents[1]  # the project: pelicanconf.py, theme/, plugins/
# ../shared beside the project, or beside a folder above it (a git worktree may sit deeper)
SHARED = next((p / "shared" for p in ROOT.parents if (p / "shared").is_dir()), ROOT / "shared")
PELICANCONF = ROOT / "pelicanconf.py"
SEED_FILE = ROOT / "scraped" / "000_e7af64bebac15370.txt"

SEED_TITLE = (
    "NK leader stresses 'special' relations with Cuba in another congratulatory message to "
    "new ruling party chief"
)
SEED_CAPTION = (
    "North Korean leader Kim Jong-un (R) and his visiting Cuban counterpart Miguel Mario "
    "Diaz-Canel Bermudez hold up their hands as they watch a mass games performance in "
    "Pyongyang on Nov. 5, 2018, in this photo captured from the North's Rodong Sinmun "
    "newspaper. (Rodong Sinmun)"
)
SEED_PARAGRAPHS = (
    'North Korean leader Kim Jong-un stressed the country\'s "special" strategic relations '
    "with Cuba in another message congratulating President Miguel Diaz-Canel on his election "
    "as the new powerful head of its ruling communist party, according to state media "
    "Wednesday.",
    "The message delivered Tuesday via the Cuban ambassador in Pyongyang came a day after Kim "
    'sent another message expressing "absolute support" to Diaz-Canel following his '
    "appointment as first secretary of the Communist Party of Cuba.",
    "Kim sent a Workers' Party official, Kim Song-nam, to pay a congratulatory visit to the "
    'Cuban Embassy in Pyongyang to "courteously convey the words of congratulations" to '
    "Diaz-Canel via Cuban Ambassador Jesus De Los Angeles Aise Sotolongo, the official Korean "
    "Central News Agency said.",
    "In the message, Kim said he will always join hands with Diaz-Canel against challenges by "
    'hostile forces and stressed his will to further develop "special comradely relations and '
    'strategic relations with Cuba on a new high level as required by the new era."',
    "Pyongyang has been seeking to maintain closer ties with its traditional allies amid an "
    "impasse in nuclear negotiations with Washington. Last month, Kim sent several verbal "
    "messages to the leaders of China, Cuba, Vietnam and Laos. (Yonhap)",
)
SEED_BODY = "\n\n".join(SEED_PARAGRAPHS) + "\n"  # Markdown, as ingest writes it

# the seed as extracted (before enrichment, without dates)
SEED_ARTICLE = Article(
    title=SEED_TITLE,
    body=tuple(Block.paragraph(p) for p in SEED_PARAGRAPHS),
    scraped_from="scraped/000_e7af64bebac15370.txt",
    scraped_sha256="0" * 64,
    section="National",
    source="The Korea Herald",
    authors=("Yonhap",),
    captions=(SEED_CAPTION,),
)
# the seed's front-matter, in the README's format
SEED = {
    "title": SEED_TITLE,
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
    "captions": [SEED_CAPTION],
    "scraped_from": SEED_ARTICLE.scraped_from,
}

MarkdownArticle = tuple[dict, str]  # (front-matter, Markdown body)


def write_articles(content: Path, articles: Iterable[MarkdownArticle]) -> None:
    """Write each article as content/articles/YYYY/MM/DD/<slug>.md: YAML front-matter (every
    string double-quoted, as ingest writes it), then the body."""
    for meta, body in articles:
        day = str(meta["date"])[:10].replace("-", "/")
        path = content / "articles" / day / f"{meta['slug']}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_style='"')
        path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")


def write_registries(content: Path, registries: Mapping[str, list[dict]]) -> None:
    """content/registry/<name> for each {name: entries}, as ingest keeps them."""
    folder = content / "registry"
    folder.mkdir(parents=True, exist_ok=True)
    for name, entries in registries.items():
        (folder / name).write_text(json.dumps(entries), encoding="utf-8")


def copy_site_pages(content: Path) -> None:
    """The project's own pages (404, about) go into a test site."""
    shutil.copytree(ROOT / "content" / "pages", content / "pages", dirs_exist_ok=True)


def ingest_into(src: Path, content: Path) -> None:
    """Run the project's ingest on `src`, writing Markdown under `content/articles`."""
    from broadsheet.pipeline import IngestOptions, run_ingest  # imports spaCy: only when used

    run_ingest(IngestOptions(src=src, out=content / "articles", workers=1))


def build(content: Path, output: Path, cache: Path, search: bool = True, **settings) -> Path:
    """Build the project's site (pelicanconf.py: theme, plugin) from `content` into `output`
    with broadsheet's build, Pelican's cache under `cache`; `settings` override pelicanconf's.
    `search=False` leaves out the search index (Pagefind's files differ from run to run)."""
    overrides = {"PATH": str(content), "OUTPUT_PATH": str(output), "CACHE_PATH": str(cache)}
    if search:
        return build_site(PELICANCONF, {**overrides, **settings})
    return Path(build_pages(PELICANCONF, {**overrides, **settings})["OUTPUT_PATH"])
