from __future__ import annotations

import pytest

from broadsheet.safety import safe_href


@pytest.mark.parametrize(
    "href", ["java\tscript:alert(1)", "\x01javascript:alert(1)", "java\x7fscript:x"]
)
def test_script_link_hidden_by_control_characters_is_dropped(href):
    assert safe_href(href) is None


def test_control_characters_inside_a_link_are_removed_as_a_browser_ignores_them():
    assert safe_href(" ht\ntps://example.org/re\x00port\x1f ") == "https://example.org/report"
