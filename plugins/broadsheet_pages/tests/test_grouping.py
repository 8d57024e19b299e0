"""Story grouping on small made-up weeks: what belongs together, what never does."""

from __future__ import annotations

from ..grouping import (
    Item,
    Params,
    _burst_weights,
    _normalized,
    group,
    vectors,
    without_datelines,
)

MONDAY = 736000  # a day's ordinal; only differences matter

MISSILE = (
    "North Korea fires ballistic missile into the sea. North Korea fired a ballistic missile "
    "off its east coast on Sunday, South Korea's military said, drawing condemnation from "
    "Japan and the United States."
)
NAMES = (("place", "North Korea"), ("place", "South Korea"), ("place", "Japan"))
BACKGROUND = [
    Item("Oroville dam spillway forces evacuation. Thousands leave homes below the dam.",
         (("place", "Oroville"), ("place", "California")), MONDAY),
    Item("Grammy awards: Adele sweeps the night. Adele won album of the year.",
         (("person", "Adele"),), MONDAY + 1),
    Item("Samsung heir questioned again in bribery scandal. Prosecutors questioned Lee.",
         (("person", "Lee Jae-yong"), ("organization", "Samsung")), MONDAY + 1),
]  # fmt: skip


def groups_of(items: list[Item], **params) -> list[list[int]]:
    return group(items, Params(**params)).groups


def test_identical_wire_copy_from_two_outlets_is_one_story() -> None:
    copy = Item(MISSILE, NAMES, MONDAY)
    assert groups_of([*BACKGROUND, copy, copy]) == [[0], [1], [2], [3, 4]]


def test_two_events_sharing_every_name_a_week_apart_are_two_stories() -> None:
    first, again = Item(MISSILE, NAMES, MONDAY), Item(MISSILE, NAMES, MONDAY + 7)
    assert groups_of([first, *BACKGROUND, again]) == [[0], [1], [2], [3], [4]]


def test_follow_ups_in_other_words_join_the_story() -> None:
    first = Item(MISSILE, NAMES, MONDAY)
    council = Item(
        "UN Security Council condemns North Korea missile launch. The council met after "
        "North Korea fired a ballistic missile into the sea.",
        (*NAMES, ("organization", "UN Security Council")),
        MONDAY + 1,
    )
    assert groups_of([first, *BACKGROUND, council])[0] == [0, 4]


def test_articles_sharing_only_a_country_are_not_one_story() -> None:
    missile = Item(MISSILE, NAMES, MONDAY)
    trade = Item(
        "South Korea exports rise for a third month. Shipments of chips and cars grew.",
        (("place", "South Korea"),),
        MONDAY,
    )
    election = Item(
        "South Korea sets date for presidential election. The vote follows the impeachment.",
        (("place", "South Korea"),),
        MONDAY + 1,
    )
    # in an archive, South Korea is named in many articles about many things
    subjects = ["baseball league", "winter olympics", "film festival", "bird flu", "heatwave"]
    others = [
        Item(f"{s.capitalize()} news from South Korea. Reports on the {s}.", (), MONDAY + 5)
        for s in subjects
    ]
    items = [missile, *BACKGROUND, trade, election, *others]
    assert groups_of(items)[:6] == [[n] for n in range(6)]


def test_chains_do_not_stack_unrelated_articles() -> None:
    """a~b and b~c, but a and c have nothing in common: average linkage keeps c out."""
    a = Item("Oroville dam spillway erodes. Engineers inspect the eroded dam spillway.", (), MONDAY)
    b = Item("Oroville dam spillway erodes. Evacuation ordered for residents.", (), MONDAY)
    c = Item("Wildfire nears town. Evacuation ordered for residents.", (), MONDAY)
    matrix = vectors([a, b, c], Params(entity_weight=0.0))
    similar = (matrix @ matrix.T).toarray()
    assert similar[0, 1] > similar[1, 2] > 0.2 and similar[0, 2] == 0
    # the first pass alone (a centroid cosine of 1 joins only copies)
    assert groups_of([a, b, c], threshold=0.2, centroid=1.0, entity_weight=0) == [[0, 1], [2]]


def test_one_article_bridging_two_events_does_not_chain_them_into_one_story() -> None:
    """The wiretap claims and Merkel's visit share Trump, and one article (his quip to her)
    holds the words of both: the cohesion check keeps the two stories apart, where the
    centroid pass alone (a little looser than the default) stacks all seven."""
    trump, merkel, house = ("person", "Trump"), ("person", "Merkel"), ("place", "White House")
    claim = "No evidence for Trump's wiretap claim, the House intelligence committee says."
    visit = (
        "Merkel meets Trump at the White House: an awkward handshake with the German chancellor."
    )
    claims = [
        Item(claim, (trump,), MONDAY),
        Item("House intelligence committee finds no evidence for the wiretap claim of Trump.",
             (trump,), MONDAY),
        Item("Trump's wiretap claim: no evidence, says the intelligence committee of the House.",
             (trump,), MONDAY + 1),
    ]  # fmt: skip
    visits = [
        Item(visit, (trump, merkel, house), MONDAY + 1),
        Item("The German chancellor Merkel at the White House: Trump and an awkward handshake.",
             (trump, merkel, house), MONDAY + 1),
        Item("Awkward handshake as Trump meets Merkel, German chancellor, at the White House.",
             (trump, merkel, house), MONDAY + 1),
    ]  # fmt: skip
    quip = Item(
        f"Trump tells Merkel: at least we have something in common. {claim} {visit}",
        (trump, merkel, house),
        MONDAY + 1,
    )
    items = [*claims, *visits, quip, *BACKGROUND]
    assert groups_of(items, centroid=0.2, support=0.0, cohesion=0.0)[0] == [0, 1, 2, 3, 4, 5, 6]
    assert groups_of(items, centroid=0.2)[:2] == [[0, 1, 2], [3, 4, 5, 6]]


def test_template_headlines_about_different_people_and_places_are_not_one_story() -> None:
    """One outlet's missing-person appeals share every word but the person and the place."""
    appeals = [
        Item(f"Appeal to trace teenager missing from {place}. An appeal has been issued to "
             f"trace a 16-year-old boy missing from {place}. {person} was last seen on Monday.",
             (("person", person), ("place", place)), MONDAY)
        for person, place in (("John Connors", "Dublin"), ("Cian Mulhall", "Bray"))
    ]  # fmt: skip
    items = [*appeals, *BACKGROUND]
    assert groups_of(items, shared_name=False)[0] == [0, 1]
    assert groups_of(items)[:2] == [[0], [1]]


def test_two_tight_groups_sharing_only_their_topic_stay_two_stories() -> None:
    """A stolen laptop and a car bomb threat, each told three ways, share "Secret Service" and
    "White House": their centroids are alike, their articles across are not."""
    service, house = ("organization", "Secret Service"), ("place", "White House")
    topic = "The Secret Service, which guards the White House, said it was investigating."
    laptop = [
        Item(
            f"Secret Service laptop stolen from agent's car. {text} {topic}",
            (service, house),
            MONDAY,
        )
        for text in (
            "The laptop held floor plans of Trump Tower.",
            "Trump Tower floor plans were on the stolen laptop.",
            "A laptop with Trump Tower evacuation plans was taken from the car.",
        )
    ]
    car = [
        Item(f"Driver detained at White House checkpoint. {text} {topic}", (service, house), MONDAY)
        for text in (
            "He claimed a bomb was in his car.",
            "A bomb threat from the driver set off a security alert.",
            "The car bomb claim led to a security alert at the checkpoint.",
        )
    ]
    items = [*laptop, *car, *BACKGROUND]
    loose = {"threshold": 0.22, "centroid": 0.2, "support": 0.0, "centroid_core": 3}
    assert groups_of(items, cohesion=0.0, **loose)[0] == [0, 1, 2, 3, 4, 5]
    assert groups_of(items, **loose)[:2] == [[0, 1, 2], [3, 4, 5]]


def test_a_lone_article_on_another_event_does_not_join_three_articles_by_their_centroid() -> None:
    """Trudeau's speech in Strasbourg, two days after his White House visit, is close to the
    visit's three articles taken together (Trudeau, Canada's prime minister): three articles
    are too few for a centroid that stands for a story rather than for their own words."""
    trudeau, trump, canada = ("person", "Justin Trudeau"), ("person", "Trump"), ("place", "Canada")
    visit = [
        Item(text, (trudeau, trump, canada), MONDAY)
        for text in (
            "Trump meets Trudeau at the White House. The Canadian prime minister talked trade.",
            "Trudeau and Trump discuss women in the workforce. The prime minister of Canada sat "
            "with business leaders.",
            "Trudeau in Washington: a firm handshake from Trump. Canada's leader was ready for it.",
        )
    ]
    speech = Item(
        "EU must lead on trade, says Trudeau. Canada's prime minister spoke in Strasbourg.",
        (trudeau, canada, ("place", "Strasbourg")),
        MONDAY + 2,
    )
    items = [*visit, speech, *BACKGROUND]
    assert groups_of(items, centroid_core=3)[0] == [0, 1, 2, 3]
    assert groups_of(items)[:2] == [[0, 1, 2], [3]]


def test_headline_only_and_empty_articles_are_grouped_without_error() -> None:
    headline = Item("North Korea fires ballistic missile into the sea", (), MONDAY)
    empty = Item("", (), MONDAY)
    stop_words = Item("The", (), MONDAY)
    result = groups_of([Item(MISSILE, NAMES, MONDAY), headline, empty, stop_words])
    assert result == [[0, 1], [2], [3]]


def test_a_week_with_a_single_article_is_one_story_of_one() -> None:
    grouping = group([Item(MISSILE, NAMES, MONDAY)])
    assert (grouping.groups, grouping.leads) == ([[0]], [0])
    assert group([]).groups == []


def test_earlier_stories_keep_their_members_and_never_merge() -> None:
    """Incremental: two identical articles already in two stories stay in them; a new copy
    joins one of them (the earlier), never both."""
    copy = Item(MISSILE, NAMES, MONDAY)
    fixed = {0: "first-story", 1: "second-story"}
    assert group([copy, copy, copy], fixed=fixed).groups == [[0, 2], [1]]
    # an unrelated article given an earlier story is kept in it
    assert group([copy, BACKGROUND[0]], fixed={0: "s", 1: "s"}).groups == [[0, 1]]


def test_settled_articles_are_grouped_again_only_through_a_new_one() -> None:
    """Two look-alikes of settled days (an earlier build left them apart) stay apart, however
    the weights moved; a new article like both brings them into its story."""
    copy = Item(MISSILE, NAMES, MONDAY)
    items = [*BACKGROUND, copy, copy]
    assert group(items).groups[-1] == [3, 4]  # grouped afresh, they are one story
    assert group(items, settled=MONDAY + 2).groups == [[0], [1], [2], [3], [4]]
    again = Item(MISSILE, NAMES, MONDAY + 2)
    assert group([*items, again], settled=MONDAY + 2).groups[-1] == [3, 4, 5]


def test_the_lead_is_the_most_central_article() -> None:
    first = Item(MISSILE, NAMES, MONDAY)
    brief = Item("North Korea fires missile", NAMES, MONDAY)
    grouping = group([brief, first, first])
    assert grouping.groups == [[0, 1, 2]] and grouping.leads == [1]


def test_words_weigh_by_how_much_they_burst_around_the_article_day() -> None:
    """Common all year long, "press conference" twice on one day marks the event."""
    texts = [f"Minister opens {place} bridge on time" for place in "abcdefgh"]
    days = list(range(100, 100 + 8 * 10, 10))  # one a day ten days apart
    texts += ["President holds press conference", "Press conference: fact check"]
    days += [200, 200]
    texts += [f"Press conference {n} on trade" for n in "xyz"]
    days += [300, 340, 380]  # the same words, spread out: no burst
    matrix = _normalized(_burst_weights(texts, days), 1.0)
    same_day = (matrix[8] @ matrix[9].T).toarray().item()
    spread = (matrix[10] @ matrix[11].T).toarray().item()
    assert same_day > 0.3
    assert spread == 0


def test_one_agency_s_items_of_a_day_share_no_story_through_their_dateline() -> None:
    """Two TASS items of one day about unrelated things: their place, date and agency are
    the same, their event is not."""
    names = (("place", "Moscow"),)
    wire = [
        Item(f"{headline}. MOSCOW, March 29. /TASS/. {lead}", names, MONDAY)
        for headline, lead in (
            ("Kremlin envoy calls for ban on wild animals as pets",
             "Keeping tigers and bears at home should be outlawed, the envoy said."),
            ("Grid operator expects cheaper power from new technology",
             "Smart meters will cut electricity bills, the company said."),
        )
    ]  # fmt: skip
    assert groups_of([*wire, *BACKGROUND])[:2] == [[0], [1]]


def test_datelines_of_wire_agencies_are_taken_out_of_the_text() -> None:
    leads = {
        "Talks. MOSCOW, March 29. /TASS/. Talks began.": "Talks.   Talks began.",
        "Aid. ALEPPO /Syria/, February 17. /TASS/. Doctors": "Aid.   Doctors",
        "Jets. BANGALORE (India), February 17. /TASS/. A deal": "Jets.   A deal",
        "Arctic. MURMANSK. February 7. /TASS/. Demand": "Arctic.   Demand",
        "In May, March 1 was cold.": "In May, March 1 was cold.",
    }
    assert {text: without_datelines(text) for text in leads} == leads


def test_two_lone_items_of_one_outlet_and_day_need_more_than_its_beat_in_common() -> None:
    """TASS's business items of a day share "Russia's biggest", Moscow and Russia, not their
    event: from one outlet on one day they stay apart, as they would not from two outlets or
    two days (an outlet's follow-up the next day joins its story)."""
    names = (("place", "Moscow"), ("place", "Russia"))
    media = "Russia's biggest media group plans to enter new markets abroad. It will launch channels in Asia."
    bank = (
        "Russia's biggest bank to sell its Ukrainian unit. A consortium of investors is buying it."
    )

    def pair(outlets: tuple[str, str], days: tuple[int, int]) -> list[list[int]]:
        items = [Item(media, names, days[0], outlets[0]), Item(bank, names, days[1], outlets[1])]
        return [g for g in groups_of([*items, *BACKGROUND]) if g[0] < 2]

    assert pair(("TASS", "TASS"), (MONDAY, MONDAY)) == [[0], [1]]
    assert pair(("TASS", "RIA"), (MONDAY, MONDAY)) == [[0, 1]]
    assert pair(("TASS", "TASS"), (MONDAY, MONDAY + 1)) == [[0, 1]]


PRESS_DAY = MONDAY + 40
PLACES = ("bridge", "budget", "school", "hospital", "airport", "harbour", "museum", "stadium",
          "library", "railway", "tunnel", "reservoir", "motorway", "factory", "farm", "forest",
          "prison", "market", "theatre", "zoo")  # fmt: skip
QUIET_WEEKS = [  # one council item every other day: no word bursts
    Item(f"Council approves new {place} plan. The {place} opens next year, the mayor said.", (),
         PRESS_DAY - 40 + 2 * n)
    for n, place in enumerate(PLACES)
]  # fmt: skip
TRUMP = (("person", "Donald Trump"),)
PRESS_CONFERENCE = [
    Item("Trump attacks media at first solo press conference. He defended his first weeks.",
         TRUMP, PRESS_DAY),
    Item("Trump lashes out at reporters in press conference. Leaks are real, he said.",
         TRUMP, PRESS_DAY),
    Item("Trump press conference: a stunning moment. The president held court for an hour.",
         TRUMP, PRESS_DAY),
]  # fmt: skip
SPOOF = Item(
    "Comedian spoofs the president's press conference. A late-night host mocked the solo show.",
    (("person", "Jimmy Fallon"),),
    PRESS_DAY,
)


def test_an_angle_sharing_the_day_s_bursting_words_joins_the_story() -> None:
    """A spoof of the press conference names no one the reports name, so it is no link to
    them; it shares the words that burst that day ("solo press conference") with each."""
    items = [*QUIET_WEEKS, *PRESS_CONFERENCE, SPOOF]
    story = [len(QUIET_WEEKS) + n for n in range(4)]
    assert story in groups_of(items)
    assert story not in groups_of(items, angle_terms=0)


def test_two_single_articles_sharing_bursting_words_need_a_story_to_join() -> None:
    """Two angles of one day with no story around them: their bursting words are as much a
    day's template (missing-person appeals) as an event, and they stay apart."""
    other = Item(
        "Talk show host mocks the solo press conference. The president was the punchline.",
        (("person", "Trevor Noah"),),
        PRESS_DAY,
    )
    items = [*QUIET_WEEKS, SPOOF, other]
    assert groups_of(items) == [[n] for n in range(len(items))]
    items = [*QUIET_WEEKS, *PRESS_CONFERENCE, SPOOF, other]
    assert [len(QUIET_WEEKS) + n for n in range(5)] in groups_of(items)


def test_two_stories_sharing_bursting_words_stay_two_stories() -> None:
    """The pass joins single articles only: two stories need the links of the first passes
    (a member misplaced in either would bring a whole story's worth of wrong pairs)."""
    rerun = Item(
        "Ratings rise after the press conference sketch. The Tonight Show drew its biggest "
        "audience.",
        (("person", "Jimmy Fallon"),),
        PRESS_DAY,
    )
    items = [*QUIET_WEEKS, *PRESS_CONFERENCE, SPOOF, rerun]
    first = len(QUIET_WEEKS)
    grouped = groups_of(items)
    assert [first, first + 1, first + 2] in grouped and [first + 3, first + 4] in grouped


def test_an_angle_joins_only_a_story_of_three_or_more() -> None:
    """Two articles are too thin a core to say what the day's bursting words are about."""
    items = [*QUIET_WEEKS, *PRESS_CONFERENCE[:2], SPOOF]
    first = len(QUIET_WEEKS)
    assert [first, first + 1] in groups_of(items)
    assert [first, first + 1, first + 2] in groups_of(items, angle_core=2)


def test_one_outlet_s_items_of_a_day_need_more_than_its_beat_to_grow_a_story() -> None:
    """Two of TASS's items of a day on one event make a story; a third of its beat that day
    ("Russia's biggest ...") does not join it on the beat alone, as it would from another
    outlet."""
    names = (("place", "Moscow"), ("place", "Russia"))
    media = [
        "Russia's biggest media group plans to enter new markets abroad. It will launch channels in Asia.",
        "Russia's biggest media group to launch channels in Asia. New markets abroad are its plan.",
    ]  # fmt: skip
    bank = (
        "Russia's biggest bank to sell its Ukrainian unit. A consortium of investors is buying it."
    )

    def third(outlet: str) -> list[list[int]]:
        items = [Item(text, names, MONDAY, "TASS") for text in media]
        items.append(Item(bank, names, MONDAY, outlet))
        return [g for g in groups_of([*items, *BACKGROUND]) if g[0] < 3]

    assert third("TASS") == [[0, 1], [2]]
    assert third("RIA") == [[0, 1, 2]]
