"""The named word classes of `geo/data/function_words.csv`, read once.

The event detector's function words (stop, modal, negation, perfect), the words of a reporting phrase
before a date (report-verb, report-trimming, report-verb-after) and the words around a casualty count:
those that end the noun after it (count-stop), hedge it (count-qualifier), make the number no count
of people (count-unit) or stand between it and its outcome verb (count-aux). A word may belong to several classes; each class keeps the file's order.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from gazetteer.datafiles import csv_rows
from geo.errors import UsageError

__all__ = ["DETECTOR_KINDS", "FUNCTION_WORDS", "KINDS", "alternation", "word_class", "word_rows"]

FUNCTION_WORDS = Path(__file__).parent.parent / "data" / "function_words.csv"
DETECTOR_KINDS = ("stop", "modal", "negation", "perfect")
KINDS = (*DETECTOR_KINDS, "report-verb", "report-trimming", "report-verb-after", "count-stop", "count-qualifier",
         "count-unit", "count-aux")


@cache
def word_rows(path: Path = FUNCTION_WORDS) -> tuple[tuple[str, str], ...]:
    """(kind, word) of every row, in file order; a bad row raises UsageError naming file and line."""
    rows = []
    for number, row in csv_rows(path):
        if row.get("kind") not in KINDS or not row.get("word"):
            raise UsageError(f"{path}:{number}: expected kind {'|'.join(KINDS)} and a word, got {row}")
        rows.append((row["kind"], row["word"]))
    return tuple(rows)


def word_class(kind: str, path: Path = FUNCTION_WORDS) -> tuple[str, ...]:
    """The words of one class, as written, in file order."""
    if kind not in KINDS:
        raise ValueError(f"unknown word class {kind!r}; known: {', '.join(KINDS)}")
    return tuple(word for k, word in word_rows(path) if k == kind)


def alternation(kind: str) -> str:
    """A regex group of one word of the class, in file order (each is escaped)."""
    return "(?:" + "|".join(map(re.escape, word_class(kind))) + ")"
