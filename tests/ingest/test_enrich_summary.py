"""Extractive summary from the lead."""

from broadsheet.enrich.summary import summarize

LONG = "word " * 100


def test_summary_takes_whole_sentences_up_to_the_limit():
    sentences = ["First sentence is here.", "Second one follows.", "x" * 300 + "."]
    assert summarize(sentences) == "First sentence is here. Second one follows."


def test_summary_strips_a_wire_dateline():
    assert summarize(["SEOUL, Aug. 20 (Yonhap) -- North Korea slammed the drill."]) == (
        "North Korea slammed the drill."
    )


def test_overlong_first_sentence_is_cut_at_a_word_with_an_ellipsis():
    text = summarize([LONG * 2])
    assert text.endswith("word…") and len(text) <= 301


def test_no_sentences_no_summary():
    assert summarize([]) is None
    assert summarize(["...", "--"]) is None
