"""Subjects from evidence: the shipped vocabulary and model on stories of several kinds."""

import pytest

from broadsheet.enrich import ner, subjects, topics

ELECTION = (
    "Voters in the Netherlands went to the polls on Wednesday in a general election watched "
    "across Europe. The election campaign was dominated by immigration, and turnout was high at "
    "polling stations in Amsterdam. The prime minister's party won the most votes, ahead of the "
    "far-right candidate, according to an exit poll. Parliament's 150 seats are shared by "
    "proportional representation, so the winner needs coalition partners; voting closed at 9 pm."
)
EARNINGS_TABLE = "Shr 1.23 dlrs vs 1.01 dlrs\nNet 4,567,000 vs 3,210,000\nRevs 45.6 mln vs 40.1 mln"
NO_SUBJECT = (
    "The afternoon was quiet. She walked along the path under the old trees and thought about "
    "the letter she had not yet written, then turned back towards the house as the light faded."
)


@pytest.fixture(scope="module")
def vocabulary() -> subjects.Vocabulary:
    lexicon = topics.load_lexicon(ner.choose_model().folder)
    return subjects.load_vocabulary(topics.singular(lexicon))


def chosen(vocabulary: subjects.Vocabulary, title: str, body: str) -> list[str]:
    return vocabulary.choose(vocabulary.evidence(title, body))


def test_every_subject_says_what_it_covers_and_iptc_ones_name_their_concept(vocabulary):
    for subject in vocabulary.subjects.values():
        assert subject.about.endswith(".") and subject.cues, subject.name
        assert subject.iptc is None or subject.iptc.startswith("medtop:"), subject.name
    assert vocabulary.subjects["Mergers and acquisitions"].iptc == "medtop:20000204"


def test_story_with_no_subject_words_gets_no_subject(vocabulary):
    assert chosen(vocabulary, "An evening walk", NO_SUBJECT) == []


def test_election_story_is_filed_under_elections(vocabulary):
    assert chosen(vocabulary, "Dutch vote in election seen as test for Europe", ELECTION)[0] == (
        "Elections"
    )


def test_results_table_is_filed_under_earnings(vocabulary):
    assert chosen(vocabulary, "ACME CORP 4TH QTR NET", EARNINGS_TABLE) == ["Earnings"]


def test_takeover_story_is_filed_under_mergers_and_acquisitions(vocabulary):
    body = (
        "Acme Corp said it agreed to acquire Widget Inc for 45 dlrs a share in cash, or about 300 "
        "mln dlrs. The merger was approved by both boards and a tender offer will begin next week. "
        "Acme already holds a 9.9 pct stake in Widget."
    )
    assert "Mergers and acquisitions" in chosen(vocabulary, "ACME TO BUY WIDGET", body)


def test_the_sale_of_a_unit_is_filed_under_mergers_and_acquisitions(vocabulary):
    # the model is sure of it already; "sold its" and "sale of" are the cues it needs besides
    body = (
        "Acme Corp said it sold its consumer products unit to Widget Inc for 45 mln dlrs. The "
        "sale of the unit, which had revenues of 120 mln dlrs last year, needs regulatory approval."
    )
    assert chosen(vocabulary, "ACME SELLS UNIT", body) == ["Mergers and acquisitions"]


def test_a_purchase_order_is_no_evidence_of_an_acquisition(vocabulary):
    evidence = vocabulary.evidence("", "The airline placed a purchase order for 20 new jets.")
    assert "Mergers and acquisitions" not in evidence.mentions


def test_very_long_article_keeps_at_most_three_subjects(vocabulary):
    body = " ".join([ELECTION, EARNINGS_TABLE, NO_SUBJECT] * 700)  # about 30,000 words
    found = chosen(vocabulary, "A very long page", body)
    assert 0 < len(found) <= subjects.MAX_SUBJECTS and "Elections" in found


def test_one_cue_in_the_title_that_the_body_repeats_files_the_story(vocabulary):
    body = (
        "The Kremlin said on Thursday that the sanctions harm both sides. Moscow has answered "
        "each round of sanctions with its own, the spokesman told reporters in Moscow."
    )
    assert chosen(vocabulary, "Kremlin says sanctions are harmful", body) == ["Economic sanctions"]
    # the same words without the title's word are too little evidence
    assert chosen(vocabulary, "Kremlin spokesman speaks", body) == []


def test_a_share_bar_is_no_evidence_of_social_media(vocabulary):
    body = (
        "The central bank kept its key interest rate unchanged on Thursday. Send Facebook "
        "Twitter Google+ Whatsapp Tumblr linkedin stumble Digg reddit Newsvine Permalink"
    )
    assert "Social media" not in vocabulary.evidence("Rates on hold", body).mentions


def test_text_in_another_language_holds_no_evidence(vocabulary):
    german = (
        "Die Bundesregierung hat am Mittwoch neue Regeln beschlossen. Der Minister sagte, die "
        "Gespräche mit den Ländern seien gut verlaufen; die Opposition kritisierte den Plan."
    )
    assert chosen(vocabulary, "Neue Regeln beschlossen", german) == []


def test_cues_match_plurals_and_the_longest_phrase(vocabulary):
    evidence = vocabulary.evidence("", "Crude oil prices rose as refineries cut crude oil output.")
    assert ("crude", "oil") in evidence.mentions["Oil and gas"]
    assert ("refinery",) in evidence.mentions["Oil and gas"]
    assert ("crude",) not in evidence.mentions["Oil and gas"]


def test_a_phrase_cue_matches_with_hyphens_or_spaces_between_its_words(vocabulary):
    cues = subjects.Vocabulary(
        [subjects.Subject("Rates", "Rates.", cues=("short-term rates", "interest rate"))],
        vocabulary.singular,
        None,
    )
    for text in ("Short term rates fell.", "Short-term rates fell.", "Interest-rate futures."):
        assert sum(cues.evidence("", text).mentions["Rates"].values()) == 1, text
    shipped = vocabulary.evidence("", "The Bank signals a cut in short term rates.")
    assert "Interest rates" in shipped.mentions


def test_a_one_word_cue_is_not_its_parts_nor_part_of_a_longer_word(vocabulary):
    cues = subjects.Vocabulary(
        [subjects.Subject("Farming", "Farming.", cues=("farm", "sell-off"))],
        vocabulary.singular,
        None,
    )
    assert cues.evidence("", "Non-farm payrolls rose; we sell off the old stock.").mentions == {}


def test_a_cue_inside_a_not_cue_is_no_evidence(vocabulary):
    evidence = vocabulary.evidence("", "Settlers in the West Bank; banks cut lending to banks.")
    assert sum(evidence.mentions["Banking"].values()) == 2  # the two "banks", not West Bank


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [("crude oil", "Oil and gas"), ("ELECTIONS", "Elections"), ("tender offers", None)],
)
def test_phrase_names_a_subject_or_is_its_cue(vocabulary, phrase, expected):
    found = vocabulary.subjects_of_phrase(phrase)
    if expected is None:
        assert "Mergers and acquisitions" in found
    else:
        assert found[0] == expected


def test_a_trained_subject_needs_evidence_near_the_strongest_subject(vocabulary):
    # a model that calls anything with "coffee" in it a coffee story
    model = subjects.Model({"Coffee": -5.0}, {"coffee": (("Coffee", 10.0),)}, 0.4)
    strict = subjects.Vocabulary(
        vocabulary.subjects.values(), vocabulary.singular, model, vocabulary.not_cues
    )
    telecoms = (
        "The telecoms equipment maker sells routers and mobile phones to telecom operators; "
        "telecommunications regulators approved its broadband plans over coffee."
    )
    assert "Coffee" not in chosen(strict, "Telecoms maker expands", telecoms)
    harvest = "Coffee growers expect a larger coffee harvest; coffee exports rose."
    assert chosen(strict, "Coffee harvest grows", harvest)[0] == "Coffee"


def test_a_subject_of_the_same_iptc_branch_is_no_rival_of_a_trained_subject(vocabulary):
    model = subjects.Model({"Rates": -5.0}, {"lend": (("Rates", 10.0),)}, 0.4)
    branch = "medtop:20000346"
    strict = subjects.Vocabulary(
        [
            subjects.Subject("Rates", "Rates.", broader=branch, cues=("rate",)),
            subjects.Subject("Central banks", "Banks.", broader=branch, cues=("bundesbank",)),
            subjects.Subject("Football", "Sport.", broader="medtop:20000822", cues=("bundesliga",)),
        ],
        vocabulary.singular,
        model,
    )
    bank = (
        "The Bundesbank will lend at a rate of 3.5 pct; the Bundesbank said the Bundesbank sets it."
    )
    assert "Rates" in chosen(strict, "Bundesbank", bank)
    league = bank.replace("Bundesbank", "Bundesliga")
    assert "Rates" not in chosen(strict, "Bundesliga", league)


def test_model_survives_its_json_form():
    model = subjects.Model(
        {"Earnings": -3.0}, {"shr": (("Earnings", 4.5),)}, 0.4, {"Earnings": 0.3}
    )
    again = subjects.Model.from_json(model.to_json())
    assert again == model and again.threshold_of("Earnings") == 0.3
    assert again.threshold_of("Corn") == 0.4
    assert again.scores({"shr"})["Earnings"] == pytest.approx(1 / (1 + 2.718281828**-1.5))


def test_broken_vocabulary_file_is_named(tmp_path):
    path = tmp_path / "subjects.yml"
    path.write_text("subjects:\n  - cues: [x]\n", encoding="utf-8")
    with pytest.raises(subjects.VocabularyError, match=r"subjects\.yml"):
        subjects.load_subjects(path)


def test_money_market_operations_are_evidence_of_interest_rates(vocabulary):
    body = (
        "The Bank of England said it had revised its forecast of the shortage in the money "
        "market down to around 700 mln stg, and gave the market 24 mln stg assistance."
    )
    evidence = vocabulary.evidence("U.K. MONEY MARKET SHORTAGE FORECAST REVISED DOWN", body)
    assert (
        evidence.title_mentions.get("Interest rates") and evidence.strength("Interest rates") >= 3
    )


def test_school_shooting_with_a_rifle_is_filed_under_gun_violence(vocabulary):
    body = (
        "A 17-year-old armed with a rifle, a handgun and a revolver entered the school at about "
        "lunchtime and opened fire at the headteacher. Eight people were injured before police "
        "arrested him."
    )
    title = "Suspect arrested after shooting at school"
    assert "Gun violence and gun control" in chosen(vocabulary, title, body)
