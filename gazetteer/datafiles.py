"""The project's data files: CSV tables with "#" comment lines anywhere, read by one reader."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

__all__ = ["csv_records", "csv_rows", "csv_table", "data_lines", "is_comment", "word_lines", "word_sections"]


def is_comment(line: str) -> bool:
    """True for a blank line or one whose first non-blank character is "#"."""
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def data_lines(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(line number from 1, line) of every line that is not a comment or blank."""
    for number, line in enumerate(lines, 1):
        if not is_comment(line):
            yield number, line


def csv_records(lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """The records of CSV text with the file's own line each starts on; comment and blank lines are skipped.

    A record whose quoted cell spans lines is read whole; a line inside it that looks like a
    comment is skipped all the same (no data file quotes one).
    """
    starts: list[int] = []

    def kept() -> Iterator[str]:
        for number, line in data_lines(lines):
            starts.append(number)
            yield line

    reader = csv.reader(kept())
    while True:
        mark = len(starts)
        cells = next(reader, None)
        if cells is None:
            return
        yield starts[mark], cells


def csv_table(lines: Iterable[str]) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """The header's line and cells, and the records after it with their lines; (0, [], []) for no header."""
    records = list(csv_records(lines))
    if not records:
        return 0, [], []
    (header_line, columns), body = records[0], records[1:]
    return header_line, columns, body


def csv_rows(path: Path, encoding: str = "utf-8") -> list[tuple[int, dict[str, str]]]:
    """The rows of a data CSV as dicts keyed by its header, with the line each starts on.

    As `csv.DictReader`: a short row leaves its last columns None, a long one keeps the extra cells under None.
    """
    with path.open(encoding=encoding, newline="") as fh:
        _, columns, records = csv_table(fh)
    rows = []
    for number, cells in records:
        row: dict = dict(zip(columns, cells))
        if len(cells) > len(columns):
            row[None] = cells[len(columns):]
        for column in columns[len(cells):]:
            row[column] = None
        rows.append((number, row))
    return rows


def word_lines(path: Path) -> list[str]:
    """The lines of a word list, stripped, without comments and blank lines."""
    return [line.strip() for _, line in data_lines(path.read_text(encoding="utf-8").splitlines())]


@cache
def word_sections(path: Path) -> dict[str, frozenset[str]]:
    """The lower-case words of a word list under each of its `[section]` headers (read once per file)."""
    out: dict[str, set[str]] = {}
    current = None
    for line in word_lines(path):
        if line.startswith("[") and line.endswith("]"):
            current = out.setdefault(line[1:-1], set())
        elif current is not None:
            current.add(line.lower())
    return {name: frozenset(words) for name, words in out.items()}
