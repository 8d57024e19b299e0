"""Photo credits: "(Picture: Getty)", "Photo: AP", "(Image: Getty Images)".

A credit belongs to a picture, never to the story's text or its byline: a block that is a
credit, or a short one that ends with one (a caption the extractor kept in the body), goes
to the captions. Shared by the readers of HTML pages and of text dumps.
"""

from __future__ import annotations

import re

_CREDIT_WORDS = (
    r"photo|photos|photograph|image|images|picture|pictures|pic|credit|credits|getty|"
    r"shutterstock|illustration|video|file photo|afp photo|ap photo|reuters photo"
)
# a parenthesis that credits a picture, anywhere in a text
CREDIT = re.compile(rf"\((?:[^()]*\b(?:{_CREDIT_WORDS})\b[^()]*)\)", re.IGNORECASE)
# a whole line that is a credit: "(Picture: Getty)", "Photo: AP/Lee Jin-man", "Getty Images"
_WHOLE_CREDIT = re.compile(
    rf"^(?:\(\s*(?:{_CREDIT_WORDS})\b[^()]{{0,60}}\)|"
    rf"(?:{_CREDIT_WORDS})\s*(?::|\bby\b|\u00a9)\s*[^()]{{1,60}}|getty images|shutterstock)\.?$",
    re.IGNORECASE,
)
_ENDS_WITH_CREDIT = re.compile(rf"{CREDIT.pattern}\s*\.?$", re.IGNORECASE)
CAPTION_MAX_WORDS = 40  # a text this short that ends with a credit is a caption


def is_credit(text: str) -> bool:
    """Whether `text` is nothing but a photo credit."""
    return bool(_WHOLE_CREDIT.match(" ".join(text.split())))


def is_caption(text: str) -> bool:
    """Whether `text` is a picture's caption: a credit, or a short text ending with one."""
    text = " ".join(text.split())
    if is_credit(text):
        return True
    return bool(_ENDS_WITH_CREDIT.search(text)) and len(text.split()) <= CAPTION_MAX_WORDS
