"""Incremental state: what each input produced last time, and what was written where.

The manifest lives beside the articles (`<out>/.manifest.json`). It records each input's
sha256 and, for each article written from it, the file and the sha256 of the text written,
so that a later run can tell an unchanged input (skip it) from a Markdown file a person has
edited since (never overwrite it without --force).

A manifest that is lost, corrupt or stale (a run killed before it saved it) is rebuilt from
the front-matter ingest wrote: an article file that names its input (`scraped_from`,
`scraped_sha256`, `slug`) is ingest's own, so its input's article goes back to the same file
instead of a second one. Such a recovered file whose text is not what ingest would write is
taken as a person's edit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from broadsheet import __version__
from broadsheet.files import write_atomic
from broadsheet.records import ExtractResult

MANIFEST_NAME = ".manifest.json"
FORMAT_VERSION = 1
EDITORS_FILES = ("sources.yml", "entities.yml", "topics.yml")
UNKNOWN = ""  # the sha256 of a recovered article: what ingest wrote there is not known
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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

    kept_edits: list[str] = field(default_factory=list)  # edits kept over an update, last run
    problem: str | None = None  # why the saved manifest could not be used, for the report

    @classmethod
    def load(cls, out: Path) -> Manifest:
        """The manifest saved in `out`, completed with the articles ingest wrote there that it
        does not list (a lost, corrupt or stale manifest is rebuilt from their front-matter)."""
        path = out / MANIFEST_NAME
        manifest, problem = cls(), None
        if path.is_file():
            try:
                manifest = cls._parse(json.loads(path.read_text("utf-8")))
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
                problem = f"{path}: unreadable ({type(error).__name__}: {error})"
        manifest.problem = problem
        manifest.recover(out)
        return manifest

    @classmethod
    def _parse(cls, data: dict) -> Manifest:
        if data.get("version") != FORMAT_VERSION:
            return cls()
        return cls(
            inputs={
                name: InputState(
                    sha256=state["sha256"],
                    settings=state["settings"],
                    articles=[WrittenArticle(**a) for a in state["articles"]],
                    failed=state.get("failed", False),
                )
                for name, state in data["inputs"].items()
            },
            kept_edits=[str(path) for path in data.get("kept_edits", [])],
        )

    def recover(self, out: Path) -> list[WrittenArticle]:
        """Take back the article files under `out` that ingest wrote (their front-matter names
        their input) and that the manifest does not list; returns them."""
        known = self.paths_in_use()
        found = []
        for path in sorted(out.rglob("*.md")):
            relpath = path.relative_to(out).as_posix()
            if relpath in known or any(part.startswith(".") for part in Path(relpath).parts):
                continue
            meta = read_front_matter(path)
            scraped_from, slug = meta.get("scraped_from"), meta.get("slug")
            if isinstance(scraped_from, str) and isinstance(slug, str) and "scraped_sha256" in meta:
                found.append(WrittenArticle(scraped_from, relpath, slug, UNKNOWN))
        for written in found:
            name = written.input_id.split("#")[0]
            state = self.inputs.setdefault(name, InputState(sha256=UNKNOWN, settings=UNKNOWN))
            state.articles.append(written)
        return found

    def save(self, out: Path) -> None:
        data = {
            "version": FORMAT_VERSION,
            "inputs": {name: asdict(self.inputs[name]) for name in sorted(self.inputs)},
        }
        if self.kept_edits:
            data["kept_edits"] = sorted(self.kept_edits)
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
        """The file each article was written to; of two files claiming one article (doubled
        by an older version), the one the manifest listed first, else the first by name."""
        found: dict[str, WrittenArticle] = {}
        for state in self.inputs.values():
            for written in state.articles:
                found.setdefault(written.input_id, written)
        return found

    def doubles(self) -> list[WrittenArticle]:
        """Files that claim an article another file already holds (see written_by_id)."""
        first = self.written_by_id()
        return [
            w for state in self.inputs.values() for w in state.articles if first[w.input_id] != w
        ]

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


def read_front_matter(path: Path) -> dict:
    """The YAML front-matter of a Markdown file; empty when it has none or it does not parse."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    if not text.startswith("---\n") or (end := text.find("\n---\n", 3)) < 0:
        return {}
    try:
        data = yaml.load(text[4:end], Loader=_LOADER)  # a safe loader (the C one when built)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}
