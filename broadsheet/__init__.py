"""Broadsheet: scraped news pages in, Markdown articles with front-matter out."""

__version__ = "0.1.0"
