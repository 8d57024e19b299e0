"""The spool that holds articles on disk between the per-file stage and the writer."""

from __future__ import annotations

import gc
from datetime import date
from pathlib import Path

import pytest

from broadsheet.pipeline import (
    IngestOptions,
    _collector_leaving_the_archive_alone,
    code_fingerprint,
    run_ingest,
)
from broadsheet.records import Article, Block
from broadsheet.spool import ArticleSpool


def article(n: int) -> Article:
    return Article(
        title=f"Story {n}",
        body=(Block.paragraph(f"Paragraph {n} --- title: x <script>"),),
        scraped_from="scraped/a.jsonl",
        scraped_sha256="0" * 64,
        record=n,
        published=date(2021, 4, n + 1),
    )


def test_spooled_articles_come_back_equal_in_any_order(tmp_path: Path):
    with ArticleSpool(tmp_path) as spool:
        for n in range(5):
            spool.add(article(n))
        ids = [article(n).input_id for n in range(5)]
        assert len(spool) == 5
        assert [spool.get(i) for i in reversed(ids)] == [article(n) for n in reversed(range(5))]


def test_spool_leaves_no_file_behind(tmp_path: Path):
    with ArticleSpool(tmp_path / "cache") as spool:
        spool.add(article(0))
    assert list((tmp_path / "cache").iterdir()) == []


@pytest.mark.slow  # ingest loads the NER model
def test_ingest_leaves_no_spool_in_the_cache(tmp_path: Path):
    src = tmp_path / "scraped"
    src.mkdir()
    (src / "a.jsonl").write_text(
        '{"url": "https://example.org/Politics/a", "title": "A", "date": "2021-04-21",'
        ' "text": "Lawmakers met on Monday to discuss the budget."}\n',
        encoding="utf-8",
    )
    cache = tmp_path / ".cache"
    options = IngestOptions(src=src, out=tmp_path / "content" / "articles", cache_dir=cache)
    assert run_ingest(options, log=lambda line: None).ok
    # the NER cache, the archive of what each input gave (one file an input), the inputs'
    # hashes, what each source's records taught, the stamps of the articles written: no spool
    names = ["archive", "inputs.json", "ner", "templates.json", "written.json"]
    assert sorted(p.name for p in cache.iterdir()) == names
    assert len([p for p in (cache / "archive").rglob("*") if p.is_file()]) == 1


def test_the_archive_is_kept_when_only_the_site_code_changes(tmp_path: Path) -> None:
    package = tmp_path / "broadsheet"
    for module in ("pipeline.py", "enrich/corpus.py", "site/search.py", "publish/deploy.py"):
        (package / module).parent.mkdir(parents=True, exist_ok=True)
        (package / module).write_text("x = 1\n")
    before = code_fingerprint(package)
    (package / "site" / "search.py").write_text("x = 2\n")  # the build's code, not ingest's
    (package / "publish" / "deploy.py").write_text("x = 2\n")
    assert code_fingerprint(package) == before
    (package / "enrich" / "corpus.py").write_text("x = 2\n")
    assert code_fingerprint(package) != before


def test_garbage_is_collected_again_after_the_corpus_steps_even_when_they_fail():
    with pytest.raises(RuntimeError), _collector_leaving_the_archive_alone() as corpus_done:
        assert not gc.isenabled()  # while the archive is loaded and the corpus steps run
        corpus_done()
        assert gc.isenabled() and gc.get_freeze_count() > 0  # while the articles are written
        raise RuntimeError("writing failed")
    assert gc.isenabled() and gc.get_freeze_count() == 0
