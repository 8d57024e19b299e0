"""Broadsheet: scraped news pages in, a searchable static digest site out.

inputs -> extract/ (InputFile -> Article) -> enrich/ (names, topics, summary) -> dedupe
-> markdown_out (content/articles/**.md) -> site/ (Pelican + search) -> publish/ (checks, deploy).
`pipeline.py` runs the ingest half; `site.build` and `publish.deploy` the rest.
"""

__version__ = "0.1.0"
