"""Extract: one decoded InputFile in, its Articles (title, dates, byline, section, body) out.

One reader per input kind (`read_text` for page dumps, `read_html`, `read_records` for JSON/JSONL),
with their helpers: dump lines and site templates, HTML metadata, paragraphs, dates, publishers.
"""
