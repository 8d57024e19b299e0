"""What enrich feeds to NER, and how it reads sentences back (no model needed)."""

from broadsheet.enrich.corpus import lead_sentences, ner_text
from broadsheet.enrich.ner import NerResult
from broadsheet.records import Article, Block


def article(*paragraphs, captions=()):
    return Article(
        title="Title",
        body=tuple(Block.paragraph(p) for p in paragraphs),
        scraped_from="x.txt",
        scraped_sha256="0",
        captions=captions,
    )


def test_credits_are_removed_from_paragraphs_and_captions():
    doc = ner_text(
        article(
            "Kim spoke. (Yonhap)",
            "Lee said (in Seoul) more.",
            captions=("Kim waves. (AP Photo/Lee Jin-man)",),
        )
    )
    assert doc.text == "Title\n\nKim spoke.\n\nLee said (in Seoul) more.\n\nKim waves."
    assert doc.text[: doc.title_end] == "Title"
    assert (
        doc.text[doc.title_end : doc.body_end].strip() == "Kim spoke.\n\nLee said (in Seoul) more."
    )


def test_paragraph_breaks_end_sentences():
    doc = ner_text(article("Headline without stop", "Second paragraph. Two sentences."))
    # the sentencizer ran the title into the first paragraph: paragraph starts still split it
    result = NerResult(ents=(), sents=(0, doc.text.index("Two")))
    assert lead_sentences(doc, result) == [
        "Headline without stop",
        "Second paragraph.",
        "Two sentences.",
    ]


def test_article_without_body_has_no_sentences():
    doc = ner_text(article())
    assert lead_sentences(doc, NerResult(ents=(), sents=(0,))) == []
