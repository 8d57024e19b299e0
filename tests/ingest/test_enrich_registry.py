"""Stable slugs: the registries only grow and keep old slugs."""

import pytest

from broadsheet.enrich import registry
from broadsheet.enrich.registry import Entry, Group
from broadsheet.files import write_atomic


def test_new_groups_get_slugs_and_clashing_names_a_suffix():
    entries, slugs = registry.reconcile(
        [Entry("georgia", "Georgia", "place")],
        [
            Group("Georgia", "person", frozenset({"Georgia"})),
            Group("Kim Jong-un", "person", frozenset()),
        ],
    )
    assert slugs == ["georgia-2", "kim-jong-un"]
    assert [e.slug for e in entries] == ["georgia", "georgia-2", "kim-jong-un"]


def test_merged_entries_keep_each_others_slugs():
    before = [
        Entry("kim-jong-un", "Kim Jong-un", "person"),
        Entry("kim-jong-un-2", "Kim Jong Un", "person"),
    ]
    entries, slugs = registry.reconcile(
        before, [Group("Kim Jong-un", "person", frozenset(), (0, 1))]
    )
    assert slugs == ["kim-jong-un"]
    assert entries == [
        Entry("kim-jong-un", "Kim Jong-un", "person", ("Kim Jong Un",), ("kim-jong-un-2",))
    ]


def test_renaming_back_restores_the_earlier_slug():
    entry = Entry(
        "workers-party-of-korea", "Workers' Party of Korea", "organization", (), ("workers-party",)
    )
    entries, slugs = registry.reconcile(
        [entry], [Group("Workers' Party", "organization", frozenset(), (0,))]
    )
    assert slugs == ["workers-party"]
    assert entries[0].old_slugs == ("workers-party-of-korea",)


def test_entries_no_group_mentions_are_kept():
    entries, _ = registry.reconcile([Entry("laos", "Laos", "place")], [])
    assert entries == [Entry("laos", "Laos", "place")]


def test_dump_writes_one_json_entry_a_line_and_round_trips(tmp_path):
    entries = [
        Entry("no", "NO", None, ('Norway: "the" north',), ()),
        Entry("bermudez", "Bermúdez", "person", (), ("old",)),
    ]
    text = registry.dump(entries)
    assert text.splitlines()[1] == (
        '{"slug": "bermudez", "name": "Bermúdez", "type": "person", "aliases": [], '
        '"old_slugs": ["old"]},'
    )
    path = tmp_path / "registry" / "topics.json"
    write_atomic(path, text)
    assert sorted(registry.load(path), key=lambda e: e.slug) == sorted(
        entries, key=lambda e: e.slug
    )
    assert [p.name for p in path.parent.iterdir()] == ["topics.json"]  # no temporary file left


def test_a_registry_of_an_earlier_version_in_yaml_is_still_read(tmp_path):
    (tmp_path / "entities.yml").write_text(
        '- slug: "kim-jong-un"\n  name: "Kim Jong-un"\n  type: "person"\n'
        '  aliases: ["Kim Jong Un"]\n  old_slugs: []\n',
        encoding="utf-8",
    )
    entries = registry.load(tmp_path / "entities.json")
    assert entries == [Entry("kim-jong-un", "Kim Jong-un", "person", ("Kim Jong Un",))]
    registry.save(tmp_path / "entities.json", entries)
    assert [p.name for p in tmp_path.iterdir()] == ["entities.json"]
    assert registry.load(tmp_path / "entities.json") == entries


def test_load_reports_a_broken_registry(tmp_path):
    path = tmp_path / "entities.json"
    path.write_text('[{"name": "no slug"}]\n', encoding="utf-8")
    with pytest.raises(registry.RegistryError, match=r"entities\.json"):
        registry.load(path)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Kim Jong-un", "kim-jong-un"),
        ("Workers' Party", "workers-party"),
        ("Bermúdez", "bermudez"),
        ("U.S.", "u-s"),
    ],
)
def test_slugify(name, slug):
    assert registry.slugify(name) == slug


@pytest.mark.parametrize(
    "name", ['say "hi"', "back\\slash", "tab\there", "NEL\x85", "line\u2028sep", "Bermúdez", "no"]
)
def test_any_name_survives_a_round_trip(tmp_path, name):
    path = tmp_path / "entities.json"
    write_atomic(path, registry.dump([Entry("x", name, "person", (name,))]))
    assert registry.load(path) == [Entry("x", name, "person", (name,))]


def test_the_site_finds_an_entry_by_type_and_name_with_its_old_slugs():
    entries = [
        Entry("georgia", "Georgia", "place"),
        Entry("georgia-2", "Georgia", "person", (), ("georgia-smith",)),
    ]
    found = registry.Registry.of(entries).lookup("person", "Georgia")
    assert found.slug == "georgia-2"
    assert found.old_slugs == ("georgia-smith",)
