"""Broadsheet: scraped news pages in, Markdown articles with front-matter out."""
