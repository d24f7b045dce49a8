"""Cardinal numbers written in news copy: digits with commas and number words."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from gazetteer.datafiles import csv_rows

__all__ = ["number_pattern", "parse_number"]


@cache
def number_words() -> dict[str, int]:
    """The number-word table from `geo/data/numbers.csv` (word -> value)."""
    rows = csv_rows(Path(__file__).parent.parent / "data" / "numbers.csv")
    return {row["word"].strip().lower(): int(row["value"]) for _, row in rows}


@cache
def number_pattern() -> str:
    """A regex (no groups) matching one written number: "1,700", "2.5 million", "twenty-five"."""
    words = sorted(number_words(), key=len, reverse=True)
    word = r"(?:" + "|".join(map(re.escape, words)) + r")"
    digits = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s+(?:hundred|thousand|million))?"
    spelled = rf"{word}(?:(?:\s+and\s+|[\s-]+){word})*"
    # Lookarounds instead of \b so "63-year-old" and "2-1/2" are not split into parts.
    return rf"(?<![\w.,/-])(?:{digits}|{spelled})(?![\w/]|-(?:year|month|day|week|strong)\b)"


def parse_number(text: str) -> int | None:
    """Value of a number phrase, or None if it is not one.

    >>> parse_number("1,700")
    1700
    >>> parse_number("twenty-five")
    25
    >>> parse_number("two hundred and fifty")
    250
    >>> parse_number("2.5 million")
    2500000
    >>> parse_number("three thousand four hundred")
    3400
    >>> parse_number("two dozen")
    24
    >>> parse_number("dozens") is None
    True
    """
    s = text.strip().lower()
    if not s:
        return None
    m = re.fullmatch(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s+(hundred|thousand|million))?", s)
    if m:
        value = float(m.group(1).replace(",", "") + (m.group(2) or ""))
        if m.group(3):
            value *= number_words()[m.group(3)]
        return int(value)
    table = number_words()
    total = current = 0
    for token in re.split(r"[\s-]+", s):
        if token == "and":
            continue
        if token not in table:
            return None
        value = table[token]
        if value in (12, 100) and token in ("dozen", "hundred"):
            current = max(current, 1) * value
        elif value >= 1000:
            total += max(current, 1) * value
            current = 0
        else:
            current += value
    return total + current
