from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..linking import LinkedBodies, link_first_mentions

NAMES = {"Kim Jong-un": "K", "Kim Jong Un": "K", "Cuba": "C", "Kim": "X"}


@pytest.mark.parametrize(
    "body, expected",
    [
        (
            "<p>Kim Jong-un met Kim Jong-un.</p>",
            '<p><a href="K">Kim Jong-un</a> met Kim Jong-un.</p>',
        ),
        (
            "<p>Kim Jong Un, then Kim Jong-un</p>",
            '<p><a href="K">Kim Jong Un</a>, then Kim Jong-un</p>',
        ),
        (
            '<p><a href="u">Cuba</a> and Cuba</p>',
            '<p><a href="u">Cuba</a> and <a href="C">Cuba</a></p>',
        ),
        ("<h2>Cuba</h2><p>Cuba</p>", '<h2>Cuba</h2><p><a href="C">Cuba</a></p>'),
        (
            "<p><em>Cuba</em> &amp; &lt;Cuba&gt;</p>",
            '<p><em><a href="C">Cuba</a></em> &amp; &lt;Cuba&gt;</p>',
        ),
        ("<p>Cubans and Kimchi</p>", "<p>Cubans and Kimchi</p>"),
        (
            "<p>Kim's Cuba <code>Cuba</code></p>",
            '<p><a href="X">Kim</a>\'s <a href="C">Cuba</a> <code>Cuba</code></p>',
        ),
        (
            "Cuba <b>x</b> tail Kim Jong-un",
            '<a href="C">Cuba</a> <b>x</b> tail <a href="K">Kim Jong-un</a>',
        ),
    ],
)
def test_first_mention_of_each_entity_is_linked(body: str, expected: str) -> None:
    assert link_first_mentions(body, NAMES) == expected


def test_body_without_mentions_is_returned_unchanged() -> None:
    body = "<p>Nothing  here<br/></p>"
    assert link_first_mentions(body, NAMES) is body


def test_linked_bodies_are_kept_for_the_next_build_and_only_this_builds(tmp_path: Path) -> None:
    names = {"Kim Jong-un": "people/kim-jong-un/"}
    body, other = "<p>Kim Jong-un spoke.</p>", "<p>Kim Jong-un left.</p>"
    path = tmp_path / "linked.json"
    first = LinkedBodies(path)
    assert first.link(body, names) == link_first_mentions(body, names) != body
    first.link(other, names)
    first.save()
    assert len(json.loads(path.read_text())) == 2
    again = LinkedBodies(path)  # the next build: the same result, from the file
    assert again.link(body, names) == link_first_mentions(body, names)
    assert again.link("<p>No one.</p>", names) == "<p>No one.</p>"
    again.save()
    kept = json.loads(path.read_text())
    assert len(kept) == 2 and list(kept.values()).count(None) == 1  # `other` is gone
