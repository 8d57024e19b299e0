"""Topic phrases, tags and curated topics; across the corpus with the real model."""

from collections import Counter

import pytest

from broadsheet.enrich import corpus as stage
from broadsheet.enrich import ner, registry, subjects, topics
from broadsheet.enrich.entities import name_key
from broadsheet.records import Article, Block


@pytest.fixture(scope="module")
def lexicon():
    return topics.load_lexicon(ner.choose_model().folder)


def test_phrases_are_noun_phrases_outside_entities(lexicon):
    text = "Kim Jong-un stressed nuclear negotiations, according to state media Wednesday."
    spans = [(0, 11), (69, 78)]
    found = topics.phrases(text, spans, lexicon)
    assert "nuclear negotiations" in found
    assert not [p for p in found if "stressed" in p or "wednesday" in p or "jong" in p]


def test_longer_phrase_wins_over_the_fragments_inside_it(lexicon):
    text = "T\n\n" + " ".join(
        ["The joint military exercise began."] * 3 + ["A joint military drill."] * 2
    )
    cands = topics.candidates(text, [], 1, len(text), lexicon, frozenset())
    chosen = topics.choose(topics.shortlist(cands, frozenset()), Counter(cands.counts.keys()), 1)
    assert chosen[:2] == ["joint military exercise", "joint military drill"]
    assert "joint military" not in chosen


def test_boilerplate_names_and_blocked_phrases_are_not_topics(lexicon):
    text = "T\n\n" + "It was announced by state media. Mr. Song arrived for trade talks. " * 2
    cands = topics.candidates(text, [], 1, len(text), lexicon, frozenset({"song"}))
    assert "trade talks" in topics.choose(topics.shortlist(cands, frozenset()), Counter(), 1)
    assert "state media" not in cands.counts and "song" not in cands.counts
    blocked = frozenset({topics.topic_key("trade talks", lexicon)})
    assert "trade talks" not in topics.choose(topics.shortlist(cands, blocked), Counter(), 1)


def test_singular_and_plural_share_a_topic(lexicon):
    assert topics.topic_key("nuclear negotiations", lexicon) == topics.topic_key(
        "nuclear negotiation", lexicon
    )


@pytest.mark.parametrize(
    ("section", "entity", "expected"),
    [
        ("North Korea", "North Korea", True),
        ("Sports", "North Korea", False),
        ("North Korea", "Cuba", False),
    ],
)
def test_curated_topic_applies_when_every_rule_matches(section, entity, expected):
    topic = topics.CuratedTopic(
        "Inter-Korean relations",
        keywords=("inter-Korean",),
        entities=("North Korea",),
        sections=("north korea",),
    )
    text = "Talks on inter-Korean ties stalled."
    assert topic.matches(text, frozenset({name_key(entity)}), section, name_key) is expected


def test_topics_file_errors_name_the_file(tmp_path, lexicon):
    path = tmp_path / "topics.yml"
    path.write_text('topics:\n  - name: "No rules"\n', encoding="utf-8")
    with pytest.raises(topics.TopicsFileError, match=r"topics\.yml.*No rules"):
        topics.load_rules(path, lexicon)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("travel ban", True),
        ("chemical weapons", True),
        ("last week", False),
        ("best example", False),
        ("further details", False),
        ("vs loss", False),
        ("dlrs vs", False),
        ("letter", False),
        ("prime minister", False),
        ("t know", False),
        ("senior adviser", False),
        ("come forward", False),
        ("vast majority", False),
        ("government want", False),
        ("confirmation hearing", True),
        ("transition team", False),
        ("town hall", False),
        ("federal government", False),
        ("presidential candidate", False),
        ("email account", False),
        ("law firm", False),
        ("undocumented immigrant", True),
        ("nerve agent", True),
        ("security force", True),
        ("legal costs", False),
    ],
)
def test_a_recurring_phrase_must_read_as_a_subject(phrase, expected):
    assert topics.reads_as_subject(phrase) is expected


def test_phrase_topics_need_several_sources():
    chosen = [["travel ban"], ["travel ban"], ["travel ban", "tax plan"], ["tax plan"]]
    assert topics.recurring_phrases(chosen, ["BBC", "CNN", "DW", "BBC"]) == {"travel ban"}
    assert topics.recurring_phrases(chosen, ["Reuters"] * 4) == set()


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("Israel-Hamas war", "israel-hamas war"),
        ("winter storms", "winter storm"),
        ("News", None),
        ("textaboveleftsmall", None),
        ("digital_syndication", None),
        ("political figures - intl", None),
        ("S&P 500", None),
    ],
)
def test_publishers_tags_are_normalised_or_dropped(lexicon, tag, expected):
    assert topics.tag_key(tag, lexicon) == expected


def test_tag_a_source_puts_on_most_of_its_articles_is_navigation():
    tags = [["climate change", "featured story"]] * 3 + [["featured story"]] * 9 + [["x"]]
    sources = ["DW"] * 12 + ["BBC"]
    assert topics.common_tags(tags, sources) == {"climate change"}


# --- across the corpus, with the real model (enrich end to end) --------------------------------

OIL = (
    "Oil prices rose on Tuesday after OPEC said its members would cut crude oil output by "
    "a million barrels per day. Brent crude gained two dollars a barrel as refineries bought."
)


def story(n: int, title: str, body: str, **fields) -> Article:
    return Article(
        title=title,
        body=(Block.paragraph(body),),
        scraped_from=f"scraped/{n}.txt",
        scraped_sha256="0" * 64,
        **fields,
    )


def registry_entries(content) -> dict:
    return {e.slug: e for e in stage.load_registries(content)[1]}


def test_retired_topic_that_is_a_subjects_cue_redirects_to_the_subject(tmp_path):
    content = tmp_path / "content"
    registry.save(content / stage.TOPIC_REGISTRY, [registry.Entry("crude-oil", "crude oil")])
    articles = [story(1, "OPEC agrees output cut", OIL), story(2, "Oil climbs after OPEC", OIL)]
    done = stage.enrich(articles, content_dir=content, cache_dir=tmp_path / "cache")
    assert all("Oil and gas" in a.topics for a in done)
    entry = registry_entries(content)["oil-and-gas"]
    assert "crude-oil" in entry.old_slugs
    assert entry.iptc == "medtop:20000267" and entry.about


def test_article_in_another_language_gets_no_topics(tmp_path):
    german = (
        "Die Ölpreise stiegen am Dienstag, nachdem die OPEC eine Kürzung der Förderung "
        "beschlossen hatte. Rohöl der Sorte Brent verteuerte sich um zwei Dollar je Barrel."
    )
    articles = [story(1, "Ölpreise steigen", german, lang="de"), story(2, "Oil rises", OIL)]
    done = stage.enrich(articles, content_dir=tmp_path / "c", cache_dir=tmp_path / "cache")
    assert done[0].topics == () and "Oil and gas" in done[1].topics


EDITORS_TOPICS = """topics:
  - {name: "OPEC watch", keywords: ["OPEC"], about: "What the oil cartel decides."}
block: ["Oil and gas"]
"""


def test_editors_block_a_subject_and_their_topics_say_what_they_cover(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "topics.yml").write_text(EDITORS_TOPICS, encoding="utf-8")
    done = stage.enrich(
        [story(1, "OPEC agrees output cut", OIL)], content_dir=content, cache_dir=tmp_path / "cache"
    )
    assert done[0].topics[0] == "OPEC watch" and "Oil and gas" not in done[0].topics
    assert registry_entries(content)["opec-watch"].about == "What the oil cartel decides."


def test_publishers_tags_shared_by_articles_become_topics_and_names_do_not(tmp_path):
    tags = ("Winter storms", "Thanksgiving travel", "Donald Trump", "News")
    body = "Donald Trump said the storm hit the coast. Snow fell across the region overnight."
    articles = [story(n, f"Storm day {n}", body, tags=tags, source="CNN") for n in (1, 2)]
    done = stage.enrich(articles, content_dir=tmp_path / "c", cache_dir=tmp_path / "cache")
    assert all("Thanksgiving travel" in a.topics for a in done)
    assert all("Storms and hurricanes" in a.topics for a in done)  # the tag names a subject
    assert not {"Donald Trump", "News"} & {t for a in done for t in a.topics}


TABLE_PAGE = "\n".join(
    f"{name:<12} {a:>5} vs {b:>5}   {c:>4} pct   loss {a - b} cts vs profit {b} cts"
    for name, a, b, c in [("Acme", 12, 9, 3), ("Widget", 40, 38, 1), ("Gizmo", 7, 8, 2)] * 8
)


def test_pages_of_tables_get_a_subject_or_nothing_never_a_fragment(tmp_path):
    articles = [
        story(n, f"Table {n}", TABLE_PAGE, source=source)
        for n, source in enumerate(["Reuters", "AP", "DPA", "AFP"] * 2)
    ]
    done = stage.enrich(articles, content_dir=tmp_path / "c", cache_dir=tmp_path / "cache")
    vocabulary = {subject.name.casefold() for subject in subjects.load_subjects()}
    for article in done:
        assert {t.casefold() for t in article.topics} <= vocabulary, article.topics


@pytest.mark.parametrize(
    ("small", "small_articles", "big", "big_articles", "folds"),
    [
        ("missile defense", {1, 2}, "missile defense system", {3, 4, 5}, True),
        ("civilian death", {1, 2, 3}, "civilian casualty", {1, 2, 3, 4, 5}, True),
        ("independence vote", {1, 2, 8, 9}, "independence referendum", {1, 2, 3, 4, 5}, True),
        ("civilian death", {1, 6, 7}, "civilian casualty", {1, 2, 3, 4, 5}, False),
        ("car dealership", {1, 2}, "car bomb", {1, 3, 4}, False),
        ("nuclear test", {1, 2}, "nuclear weapons program", {1, 2, 3}, False),
        ("travel ban", {1, 2}, "executive order", {1, 2, 3}, False),
        ("tariffs", {1, 2}, "steel tariffs", {3, 4, 5}, False),
        ("border wall", {1, 2}, "wall", {1, 3, 4}, False),
    ],
)
def test_a_phrase_topic_folds_only_into_a_bigger_one_naming_the_same_subject(
    small, small_articles, big, big_articles, folds
):
    pages = {small: small_articles, big: big_articles}
    assert topics.duplicates(pages) == ({small: big} if folds else {})


WAR = (
    "The army launched air strikes on the rebel-held town as the war entered its third year, "
    "and troops shelled the militants' positions. Aid groups counted civilian casualties in "
    "every district, and the civilian casualties mounted{deaths}."
)
DEATHS = ", and the civilian deaths drew protests; the civilian deaths were the worst yet"


@pytest.fixture(scope="module")
def war_corpus(tmp_path_factory):
    """Four sources on one war: three report civilian deaths, all four civilian casualties;
    a previous build had a page for "Civilian deaths"."""
    tmp = tmp_path_factory.mktemp("war")
    content = tmp / "content"
    previous = registry.Entry("civilian-deaths", "Civilian deaths", aliases=("Civilian death",))
    registry.save(content / stage.TOPIC_REGISTRY, [previous])
    articles = [
        story(n, f"Strikes hit town, day {n}", WAR.format(deaths=DEATHS if n < 3 else ""), source=s)
        for n, s in enumerate(["BBC", "CNN", "DW", "AP"])
    ]
    done = stage.enrich(articles, content_dir=content, cache_dir=tmp / "cache")
    return done, registry_entries(content)


def test_two_near_duplicate_phrases_give_one_page_with_the_other_as_alias(war_corpus):
    done, entries = war_corpus
    assert all("Civilian casualties" in a.topics for a in done)
    assert not any("Civilian deaths" in a.topics for a in done)
    page = next(e for e in entries.values() if e.name == "Civilian casualties")
    assert "Civilian deaths" in page.aliases and "civilian-deaths" in page.old_slugs
    assert "civilian-deaths" not in entries  # its URL redirects to the page


def test_a_narrower_phrase_beside_a_broad_subject_stays(war_corpus):
    done, _ = war_corpus
    for article in done:  # a duplicate phrase went, the narrower one is kept beside the subject
        assert {"Armed conflict", "Civilian casualties"} <= set(article.topics)
        assert "Civilian deaths" not in article.topics


def test_a_fold_undone_by_later_articles_gives_each_topic_its_own_slug(tmp_path):
    content = tmp_path / "content"
    folded = registry.Entry(
        "civilian-casualties",
        "Civilian casualties",
        aliases=("Civilian casualty", "Civilian death", "Civilian deaths"),
        old_slugs=("civilian-deaths",),
    )
    registry.save(content / stage.TOPIC_REGISTRY, [folded])
    apart = "The army shelled the town again" + DEATHS + "."  # no civilian casualties
    articles = [
        story(n, f"Strikes, day {n}", WAR.format(deaths="") if n < 3 else apart, source=s)
        for n, s in enumerate(["BBC", "CNN", "DW", "AP", "ABC", "RTE"])
    ]
    done = stage.enrich(articles, content_dir=content, cache_dir=tmp_path / "cache")
    assert "Civilian casualties" in done[0].topics and "Civilian deaths" in done[3].topics
    entries = stage.load_registries(content)[1]
    slugs = [slug for entry in entries for slug in entry.slugs]  # each URL goes to one page
    assert len(slugs) == len(set(slugs)) and len(entries) == 3  # the two and Armed conflict
    found = registry.Registry.of(entries).lookup(None, "Civilian deaths")
    assert found.name == "Civilian deaths"
