"""Articles parked on disk between the per-file stage and the writer.

Ingest keeps in memory only what the corpus steps need of each article (enrich.Analysis,
dedupe.Fingerprint); the articles themselves, bodies and all, wait in a temporary file until
they are written, so that memory does not grow with the bodies of a large corpus.
"""

from __future__ import annotations

import os
import pickle
import tempfile
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
