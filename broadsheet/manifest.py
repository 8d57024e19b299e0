"""Incremental state: what each input produced last time, and what was written where.

The manifest lives beside the articles (`<out>/.manifest.json`). It records each input's
sha256 and, for each article written from it, the file and the sha256 of the text written,
so that a later run can tell an unchanged input (skip it) from a Markdown file a person has
edited since (never overwrite it without --force).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from broadsheet import __version__
from broadsheet.files import write_atomic
from broadsheet.records import ExtractResult

MANIFEST_NAME = ".manifest.json"
FORMAT_VERSION = 1
EDITORS_FILES = ("sources.yml", "entities.yml", "topics.yml")


def settings_fingerprint(content: Path) -> str:
    """Changes when the editors' files or Broadsheet's version change: every input is then
    processed again (NER comes from the cache)."""
    digest = hashlib.sha256(__version__.encode())
    for name in EDITORS_FILES:
        path = content / name
        digest.update(name.encode() + (path.read_bytes() if path.is_file() else b"-"))
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class WrittenArticle:
    input_id: str  # Article.input_id
    path: str  # relative to the articles folder, POSIX
    slug: str
    sha256: str  # of the Markdown text as written


@dataclass(frozen=True)
class FileState:
    """What the manifest needs of one input once it is read: its articles and whether it failed."""

    article_ids: tuple[str, ...]
    failed: bool

    @classmethod
    def of(cls, result: ExtractResult) -> FileState:
        ids = tuple(sorted({article.input_id for article in result.articles}))
        return cls(ids, bool(result.failures))


@dataclass
class InputState:
    sha256: str
    settings: str  # fingerprint of the settings the input was processed with
    articles: list[WrittenArticle] = field(default_factory=list)
    failed: bool = False


@dataclass
class Manifest:
    inputs: dict[str, InputState] = field(default_factory=dict)

    @classmethod
    def load(cls, out: Path) -> Manifest:
        path = out / MANIFEST_NAME
        if not path.is_file():
            return cls()
        data = json.loads(path.read_text("utf-8"))
        if data.get("version") != FORMAT_VERSION:
            return cls()
        return cls(
            {
                name: InputState(
                    sha256=state["sha256"],
                    settings=state["settings"],
                    articles=[WrittenArticle(**a) for a in state["articles"]],
                    failed=state.get("failed", False),
                )
                for name, state in data["inputs"].items()
            }
        )

    def save(self, out: Path) -> None:
        data = {
            "version": FORMAT_VERSION,
            "inputs": {name: asdict(self.inputs[name]) for name in sorted(self.inputs)},
        }
        write_atomic(out / MANIFEST_NAME, json.dumps(data, indent=1, sort_keys=True) + "\n")

    def is_unchanged(self, name: str, sha256: str, settings: str, out: Path) -> bool:
        """True when the input was processed before with the same bytes and settings, and
        everything it wrote is still there."""
        state = self.inputs.get(name)
        return (
            state is not None
            and not state.failed
            and state.sha256 == sha256
            and state.settings == settings
            and all((out / written.path).is_file() for written in state.articles)
        )

    def written_by_id(self) -> dict[str, WrittenArticle]:
        return {w.input_id: w for state in self.inputs.values() for w in state.articles}

    def paths_in_use(self) -> set[str]:
        return {w.path for state in self.inputs.values() for w in state.articles}

    def record(
        self,
        name: str,
        sha256: str,
        settings: str,
        state: FileState,
        written: dict[str, WrittenArticle],
    ) -> None:
        """Remember an input just processed: its hash and the files written from it."""
        self.inputs[name] = InputState(
            sha256=sha256,
            settings=settings,
            articles=[written[i] for i in state.article_ids if i in written],
            failed=state.failed,
        )
