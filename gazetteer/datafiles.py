"""The project's data files: CSV tables that may open with "#" comment lines."""

from __future__ import annotations

import csv
from pathlib import Path

__all__ = ["csv_rows"]


def csv_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The rows of a data CSV with the line each starts on; leading "#" lines are comments."""
    with path.open(encoding="utf-8", newline="") as fh:
        lines = list(fh)
    skipped = 0
    while skipped < len(lines) and lines[skipped].startswith("#"):
        skipped += 1
    reader = csv.DictReader(lines[skipped:])
    return [(skipped + reader.line_num, row) for row in reader]
