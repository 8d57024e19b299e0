"""What one ingest run did, for the console and for `content/articles/.ingest-report.json`."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from broadsheet.dedupe import DuplicateGroup
from broadsheet.files import write_atomic
from broadsheet.records import Failure

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
    failures: list[Failure] = field(default_factory=list)
    report_path: Path | None = None

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

    def to_json(self) -> str:
        data = {
            "summary": self.summary(),
            "failures": [asdict(f) | {"message": str(f)} for f in self.failures],
            "drafts": self.drafts,
            "duplicates": [asdict(group) for group in self.duplicates],
            "kept_edits": self.kept_edits,
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
            *(
                f"kept edit: {edited} was changed by a person since ingest; "
                "use --force to overwrite"
                for edited in self.kept_edits
            ),
        ]
