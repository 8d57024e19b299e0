"""Articles parked on disk between the per-file stage and the writer.

Ingest keeps in memory only what the corpus steps need of each article (enrich.Analysis,
dedupe.Fingerprint); the articles themselves, bodies and all, wait in a temporary file until
they are written, so that memory does not grow with the bodies of a large corpus.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from broadsheet.records import Article


class ArticleSpool:
    """An append-only temporary file of articles, read back by input_id; removed when closed.
    Pickle is safe here: the file is written and read by this process only."""

    def __init__(self, folder: Path | None = None) -> None:
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        self._file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 (closed by close())
        self._offsets: dict[str, int] = {}

    def add(self, article: Article) -> None:
        """Park an article, to be read back by its input_id."""
        self._offsets[article.input_id] = self._file.seek(0, os.SEEK_END)
        pickle.dump(article, self._file, protocol=pickle.HIGHEST_PROTOCOL)

    def get(self, input_id: str) -> Article:
        self._file.seek(self._offsets[input_id])
        return pickle.load(self._file)

    def __len__(self) -> int:
        return len(self._offsets)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> ArticleSpool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


@dataclass(frozen=True)
class StoredInput:
    """What the archive keeps of one input: the bytes and settings it was read with, what the
    manifest needs of it, and where each of its articles lies in its file."""

    name: str
    sha256: str
    settings: str
    article_ids: tuple[str, ...]
    failed: bool
    templates: str  # fingerprint of the site templates it was extracted with ("" for HTML)
    path: Path
    offsets: tuple[int, ...]  # of each article's (article, ner), in order
    corpus: int  # offset of every article's (analysis, fingerprint), in one list


class ArchiveStore:
    """Every input's articles with what the corpus steps need of them (NER result, enrich
    analysis, duplicate fingerprint), kept between runs under the cache folder, one file per
    input. The corpus steps then run over the whole archive on every run without reading,
    extracting or analysing an unchanged input again, so that ingesting in several runs gives
    the same articles as ingesting everything at once. A missing or damaged entry only means
    that the input is read again. What the corpus steps need of an input is one pickle, apart
    from the articles, so that a run reads no article body it does not write. Pickle is safe
    here: only this project writes the files."""

    FORMAT = 2

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, name: str) -> Path:
        return self.folder / f"{hashlib.sha256(name.encode()).hexdigest()[:32]}.pickle"

    def get(self, name: str, sha256: str, settings: str) -> StoredInput | None:
        """The stored input when it was stored from these bytes and settings, else None."""
        path = self._path(name)
        try:
            with path.open("rb") as handle:
                handle.seek(-8, os.SEEK_END)
                handle.seek(int.from_bytes(handle.read(8), "little"))
                header = pickle.load(handle)
        except (OSError, EOFError, ValueError, pickle.UnpicklingError, AttributeError):
            return None
        if not isinstance(header, dict) or header.get("format") != self.FORMAT:
            return None
        if (header["name"], header["sha256"], header["settings"]) != (name, sha256, settings):
            return None
        return StoredInput(
            name,
            sha256,
            settings,
            tuple(header["article_ids"]),
            header["failed"],
            header["templates"],
            path,
            tuple(header["offsets"]),
            header["corpus"],
        )

    def writer(self, name: str, sha256: str, settings: str, templates: str) -> StoreWriter:
        """Store an input's (article, ner, analysis, fingerprint) items as they come (a large
        file comes in parts); the entry replaces the old one, at once, when it is committed."""
        return StoreWriter(self._path(name), name, sha256, settings, templates)

    def put(
        self,
        name: str,
        sha256: str,
        settings: str,
        templates: str,
        failed: bool,
        items: list[tuple],
    ) -> StoredInput:
        """Store all of an input's items at once."""
        writer = self.writer(name, sha256, settings, templates)
        writer.add(items)
        return writer.commit(failed)

    def corpus(self, stored: StoredInput) -> list[tuple]:
        """The (analysis, fingerprint) of each of the input's articles, in order."""
        with stored.path.open("rb") as handle:
            handle.seek(stored.corpus)
            return pickle.load(handle)

    def article(self, stored: StoredInput, input_id: str) -> Article:
        with stored.path.open("rb") as handle:
            handle.seek(stored.offsets[stored.article_ids.index(input_id)])
            return pickle.load(handle)[0]

    def remove(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)


class StoreWriter:
    """One archive entry being written: items first, then the header with their offsets, then
    the header's offset in the last 8 bytes; renamed into place when committed."""

    def __init__(self, path: Path, name: str, sha256: str, settings: str, templates: str):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path, self.header = (
            path,
            {
                "format": ArchiveStore.FORMAT,
                "name": name,
                "sha256": sha256,
                "settings": settings,
                "templates": templates,
            },
        )
        fd, self.temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        self.file = os.fdopen(fd, "wb")
        self.ids: list[str] = []
        self.offsets: list[int] = []
        self.corpus: list[tuple] = []

    def add(self, items: list[tuple]) -> None:
        for article, ner, analysis, printed in items:
            self.offsets.append(self.file.tell())
            self.ids.append(article.input_id)
            pickle.dump((article, ner), self.file, protocol=pickle.HIGHEST_PROTOCOL)
            self.corpus.append((analysis, printed))

    def commit(self, failed: bool) -> StoredInput:
        try:
            corpus = self.file.tell()
            pickle.dump(self.corpus, self.file, protocol=pickle.HIGHEST_PROTOCOL)
            header = self.header | {
                "article_ids": tuple(self.ids),
                "failed": failed,
                "offsets": tuple(self.offsets),
                "corpus": corpus,
            }
            at = self.file.tell()
            pickle.dump(header, self.file, protocol=pickle.HIGHEST_PROTOCOL)
            self.file.write(at.to_bytes(8, "little"))
            self.file.close()
            os.replace(self.temp, self.path)
        except BaseException:
            self.file.close()
            Path(self.temp).unlink(missing_ok=True)
            raise
        h = self.header
        return StoredInput(
            h["name"], h["sha256"], h["settings"], tuple(self.ids), failed, h["templates"],
            self.path, tuple(self.offsets), corpus,
        )  # fmt: skip
