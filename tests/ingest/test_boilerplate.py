"""Site templates learned across text dumps."""

from __future__ import annotations

from pathlib import Path

from broadsheet.extract.boilerplate import Templates, dump_lines, learn_templates
from broadsheet.records import InputFile

FIXTURES = Path(__file__).parent / "fixtures" / "text"
PROSE = (
    "The terminal will add room for six large ships at a time and is expected to open in "
    "2027, the authority said in a statement after the vote."
)


def text_file(name: str, text: str) -> InputFile:
    return InputFile(name, "text", text, name, "utf-8")


def harbour() -> list[InputFile]:
    return [text_file(p.name, p.read_text("utf-8")) for p in sorted(FIXTURES.glob("harbour_*"))]


def test_lines_repeated_across_a_sites_dumps_are_template():
    templates = learn_templates(harbour())
    lines = dump_lines(harbour()[0].text)
    marked = {line for line, mark in zip(lines, templates.marks(lines), strict=True) if mark}
    assert {"Home", "Subscribe", "MOST READ", "Privacy policy"} <= marked
    assert "Copyright 2024 Harbour Gazette Media. All rights reserved." in marked


def test_article_lines_of_each_dump_are_not_template():
    templates = learn_templates(harbour())
    for file in harbour():
        lines = dump_lines(file.text)
        headline = lines[11]
        assert not templates.marks([headline])[0], headline


def test_a_line_in_one_dump_only_is_not_template():
    templates = learn_templates(
        [text_file("a.txt", "Menu\nOnly here\n"), text_file("b.txt", "Menu\n")]
    )
    assert templates.marks(["Menu", "Only here"]) == [True, False]


def test_prose_repeated_by_a_duplicate_story_is_not_template():
    # the same wire story in two dumps must keep its paragraphs
    files = [text_file(f"{i}.txt", f"Home\n{PROSE}\n") for i in range(3)]
    assert learn_templates(files).marks(["Home", PROSE]) == [True, False]


def test_templates_compare_lines_ignoring_case_and_spacing():
    templates = learn_templates(
        [text_file("a.txt", "Most  Popular\n"), text_file("b.txt", "most popular\n")]
    )
    assert templates.marks(["MOST POPULAR"]) == [True]


def test_only_text_dumps_teach_templates():
    html = [InputFile(f"{i}.html", "html", "<p>Menu</p>", str(i), "utf-8") for i in range(3)]
    assert learn_templates(html) == Templates()


def test_a_line_holding_a_newline_is_compared_like_any_other():
    templates = learn_templates(
        [text_file("a.txt", "Most popular\n"), text_file("b.txt", "most popular\n")]
    )
    assert templates.marks(["Home", "Most\npopular", "MOST POPULAR"]) == [False, True, True]


SIGN_OFF = "Share this story on your favourite network and follow us for more."


def wire(n: int, source: str = "wire") -> tuple[str, str]:
    return source, f"Story {n}: the harbour board met on day {n} to vote. {SIGN_OFF}"


def test_what_earlier_runs_learned_of_a_source_gives_what_learning_afresh_gives():
    known: dict[str, list] = {}
    day_one = [wire(n) for n in range(10)] + [wire(n, "gazette") for n in range(3)]
    assert learn_templates([], records=day_one, known=known) == learn_templates([], records=day_one)
    assert sorted(known) == ["gazette", "wire"] and known["gazette"][2] == []
    # the gazette's sign-off reaches five records now: its sample changed, so it is counted
    day_two = day_one + [wire(n, "gazette") for n in range(3, 5)]
    again = learn_templates([], records=day_two, known=known)
    assert again == learn_templates([], records=day_two)
    assert "share this story on your favourite network and" in known["gazette"][2]


def test_a_source_whose_sample_is_unchanged_is_not_counted_again():
    records = [wire(n) for n in range(10)]
    known: dict[str, list] = {}
    learned = learn_templates([], records=records, known=known)
    known["wire"][2] = ["what the memo says"]  # taken as it is: the sample is the same
    assert learn_templates([], records=records, known=known).phrases == {"what the memo says"}
    assert learned.phrases != {"what the memo says"}
    assert learn_templates([], records=[("other", "A text.")], known=known) == Templates()
    assert sorted(known) == ["other"]  # sources gone are forgotten
