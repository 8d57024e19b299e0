"""What one ingest run did, for the console and for `content/articles/.ingest-report.json`."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from broadsheet.files import write_atomic
from broadsheet.records import Failure

if TYPE_CHECKING:  # datasketch takes a second to import: a run with nothing new needs none
    from broadsheet.dedupe import DuplicateGroup

REPORT_NAME = ".ingest-report.json"


@dataclass
class IngestReport:
    read: int = 0
    unchanged: int = 0
    written: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    duplicates: list[DuplicateGroup] = field(default_factory=list)
    kept_edits: list[str] = field(default_factory=list)
    kept_gone: list[str] = field(default_factory=list)  # kept edits whose input is gone (--prune)
    pending: Path | None = None  # where what ingest would write over a kept edit waits
    failures: list[Failure] = field(default_factory=list)
    skipped: list[Failure] = field(default_factory=list)  # files found but not read, and why
    notes: list[str] = field(default_factory=list)  # read, with a caveat (cut for NER, bytes)
    report_path: Path | None = None
    out: Path | None = None  # the articles folder

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        copies = sum(len(group.copies) for group in self.duplicates)
        return (
            f"read {self.read}, written {len(self.written)}, unchanged {self.unchanged}, "
            f"drafts {len(self.drafts)}, duplicates {copies}, kept edits {len(self.kept_edits)}, "
            f"failed {len(self.failures)}" + (f", pruned {len(self.pruned)}" if self.pruned else "")
        )

    def _kept(self, edited: str) -> str:
        if edited in self.kept_gone:
            return (
                f"kept edit: {edited} was changed by a person and its input is gone; "
                "it stays (delete it yourself to remove it)"
            )
        shown = (
            f"; see the update: diff -u {self.out / edited} {self.pending / edited}"
            if self.pending is not None and self.out is not None
            else ""
        )
        return (
            f"kept edit: {edited} was changed by a person since ingest{shown}; "
            "--force overwrites it"
        )

    def to_json(self) -> str:
        data = {
            "summary": self.summary(),
            "failures": [asdict(f) | {"message": str(f)} for f in self.failures],
            "drafts": self.drafts,
            "duplicates": [asdict(group) for group in self.duplicates],
            "kept_edits": self.kept_edits,
            "skipped": [str(skipped) for skipped in self.skipped],
            "notes": self.notes,
            "written": self.written,
            "pruned": self.pruned,
        }
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"

    def save(self, out: Path) -> None:
        self.report_path = out / REPORT_NAME
        write_atomic(self.report_path, self.to_json())

    def lines(self) -> list[str]:
        """What the console shows: the summary, then each failure and kept edit."""
        return [
            self.summary(),
            *(f"failed: {failure}" for failure in self.failures),
            *(f"skipped: {skipped}" for skipped in self.skipped),
            *(f"note: {note}" for note in self.notes),
            *(self._kept(edited) for edited in self.kept_edits),
        ]
