"""Why a rebuild rendered a page: the site build of a project folder, recording for every page
the fingerprint of each variable its templates read (the parts of its digest, see
plugins/broadsheet_pages/inputs.py) and for every feed its entries; then, between two such
records, which variables changed for the pages rendered again, counted by template.

    cd <project>   # content/, as bench/pipeline.py's work folder (--keep) holds it
    python <repo>/bench/_page_inputs.py record before.json
    ... ingest the new articles ...
    python <repo>/bench/_page_inputs.py record after.json
    python <repo>/bench/_page_inputs.py diff before.json after.json

`record` runs Pelican even when nothing changed (build_pages would skip it), into `output`
with its usual cache, so it is also the site stage of `invoke build`. (A tool, not a
benchmark: the underscore keeps `invoke bench` from running it.)
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TOP = 40  # rows of each table


def _fields(fingerprints: Any, value: Any, unknown: type[Exception]) -> dict[str, str]:
    """A value's parts, one level down: an article's attributes, a dataclass's fields."""
    from pelican.contents import Content

    if isinstance(value, Content):
        items = {k: v for k, v in vars(value).items() if k not in {"settings", "_context"}}
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    else:
        return {}
    parts = {}
    for name, item in items.items():
        try:
            parts[name] = fingerprints.of(item, True)
        except unknown:
            parts[name] = "unknown"
    return parts


def record(target: Path) -> None:
    sys.path.insert(0, str(ROOT / "plugins"))  # the plugin as Pelican imports it
    import broadsheet_pages.writer as writer
    from broadsheet_pages.inputs import DERIVED, MISSING, Unknown

    import broadsheet.site.build as build

    pages: dict[str, dict] = {}
    feeds: dict[str, list] = {}
    page_digest = writer.UnchangedFilesWriter._page_digest
    feed_stamp = writer.UnchangedFilesWriter._feed_stamp

    def recorded_page(self, call, template, context, paginated, kwargs):
        digest = page_digest(self, call, template, context, paginated, kwargs)
        env = getattr(template, "environment", None)
        if env is not None and id(env) in self._variables:
            names = self._variables[id(env)].of(template.name) or frozenset()
            entry: dict[str, Any] = {"template": template.name, "digest": digest, "parts": {}}
            for name in sorted(names - DERIVED):
                value = kwargs.get(name, context.get(name, MISSING))
                try:
                    entry["parts"][name] = self._fingerprints.of(value)
                except Unknown:
                    entry["parts"][name] = "unknown"
                entry["parts"].update(
                    {
                        f"{name}.{k}": v
                        for k, v in _fields(self._fingerprints, value, Unknown).items()
                    }
                )
            pages[call[0]] = entry
        return digest

    def recorded_feed(self, elements, context, call):
        stamp = feed_stamp(self, elements, context, call)
        shown = elements[: self.settings.get("FEED_MAX_ITEMS")]
        feeds[call[0]] = [stamp, [[e.url, self._entry_digest(e)] for e in shown]]
        return stamp

    writer.UnchangedFilesWriter._page_digest = recorded_page
    writer.UnchangedFilesWriter._feed_stamp = recorded_feed
    build.unchanged_since_last_run = lambda *_: False
    here = Path.cwd()
    override = {
        "PATH": str(here / "content"),
        "OUTPUT_PATH": str(here / "output"),
        "CACHE_PATH": str(here / ".cache" / "output"),
    }
    build.build_pages(ROOT / "pelicanconf.py", override)
    target.write_text(json.dumps({"pages": pages, "feeds": feeds}))
    print(f"{len(pages)} pages, {len(feeds)} feeds recorded in {target}")


def diff(before_file: Path, after_file: Path) -> None:
    before, after = (json.loads(p.read_text()) for p in (before_file, after_file))
    why: Counter = Counter()
    parts: Counter = Counter()
    example: dict[tuple, str] = {}
    for name, page in after["pages"].items():
        old = before["pages"].get(name)
        if old is None:
            why[(page["template"], "(new page)")] += 1
            continue
        if old["digest"] == page["digest"] and page["digest"] is not None:
            continue
        changed = sorted(k for k, v in page["parts"].items() if old["parts"].get(k) != v)
        key = (page["template"], " ".join(k for k in changed if "." not in k) or "(digest only)")
        why[key] += 1
        example.setdefault(key, name)
        parts.update((page["template"], k) for k in changed if "." in k)
    print("pages rendered again, by template and the variables that changed:")
    for (template, changed), n in why.most_common(TOP):
        print(f"  {n:6d}  {template:<20} {changed}  e.g. {example.get((template, changed), '')}")
    print("attributes and fields that changed, by template:")
    for (template, part), n in parts.most_common(TOP):
        print(f"  {n:6d}  {template:<20} {part}")
    feeds: Counter = Counter()
    for path, (stamp, entries) in after["feeds"].items():
        old = before["feeds"].get(path)
        if old is None:
            feeds["new feed"] += 1
        elif old[0] != stamp:
            same = [u for u, _ in old[1]] == [u for u, _ in entries]
            feeds["same entries, one shown differently" if same else "other entries"] += 1
    print("feeds rendered again:", dict(feeds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("record").add_argument("target", type=Path)
    compare = commands.add_parser("diff")
    compare.add_argument("before", type=Path)
    compare.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "record":
        record(args.target)
    else:
        diff(args.before, args.after)


if __name__ == "__main__":
    main()
