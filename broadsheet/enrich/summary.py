"""Summary: whole sentences from the lead, at most about 300 characters."""

from __future__ import annotations

import re
from collections.abc import Sequence

MAX_CHARS = 300
# "SEOUL, April 21 (Yonhap) -- " and "WASHINGTON (AP) — " open wire copy; not part of the news
DATELINE = re.compile(
    r"^[A-Z][A-Za-z0-9 .,'-]{0,60}\([A-Za-z .'-]{1,40}\)\s*(?:--|\u2014|\u2013|-)\s*"
)


def summarize(sentences: Sequence[str], limit: int = MAX_CHARS) -> str | None:
    """The first sentences that fit in `limit` characters; a longer first sentence is kept whole
    up to 1.5 x `limit`, past that it is cut at a word and ends with an ellipsis."""
    picked: list[str] = []
    length = 0
    for raw in sentences:
        sentence = " ".join(raw.split())
        if sentence.count('"') % 2 and sentence.endswith('"'):
            sentence = sentence[:-1].rstrip()  # the opening quote of the next sentence
        if not picked:
            sentence = DATELINE.sub("", sentence)
        if not any(ch.isalpha() for ch in sentence):
            continue
        if picked and length + 1 + len(sentence) > limit:
            break
        picked.append(sentence)
        length += len(sentence) + (len(picked) > 1)
    if not picked:
        return None
    text = " ".join(picked)
    if len(text) > limit * 3 // 2:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text
