"""The word lists of `city_parts.csv` (part words, heads, generic part names, sides, sites) and the patterns built from them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from gazetteer.datafiles import csv_rows
from gazetteer.errors import ImportFileError
from gazetteer.mentions.patterns import _NAME
from gazetteer.model import Level

__all__ = ["PartRules", "load_rules"]

_DATA = Path(__file__).parent.parent / "data" / "city_parts.csv"
_ARTICLE = r"(?:[Aa][lnrstdz]|[Ee]l|[Aa]sh)[\- ]"


@dataclass(frozen=True, slots=True)
class PartRules:
    """The word lists of `city_parts.csv`, lower case."""

    part: dict[str, str]      # "district" -> "district", "quarter" -> "neighbourhood"
    head: dict[str, str]      # "hay" -> "neighbourhood"
    generic: dict[str, str]   # "old city" -> "neighbourhood"
    side: dict[str, str]      # "eastern" -> "east"
    site: dict[str, str]      # "airport" -> "landmark": the last word of a site's name ("Kandahar Airport")

    def pattern(self, kind: str) -> str:
        words = sorted(getattr(self, kind), key=len, reverse=True)
        return "(?:" + "|".join(re.escape(w) for w in words) + ")"


@lru_cache(maxsize=1)
def load_rules() -> PartRules:
    """The packaged rules (read once per process); a bad row names file and line."""
    tables: dict[str, dict[str, str]] = {"part": {}, "head": {}, "generic": {}, "side": {}, "site": {}}
    for line, row in csv_rows(_DATA):
        kind, word, value = ((row.get(k) or "").strip() for k in ("kind", "word", "value"))
        if kind not in tables or not word or not value:
            raise ImportFileError(f"expected kind (part, head, generic, side, site), word and value, got {row}", str(_DATA),
                                  line)
        if kind != "side":
            try:
                Level.parse(value)
            except ValueError as exc:
                raise ImportFileError(str(exc), str(_DATA), line) from None
        tables[kind][word.lower()] = value
    return PartRules(**tables)


class _Patterns:
    """The regular expressions built from the rules (compiled once per process)."""

    def __init__(self, rules: PartRules):
        part, side = rules.pattern("part"), rules.pattern("side")
        sp = r"[ \t]+"
        # Between a part and its town: " district of east ", ", a district of ", " of " (generic parts).
        self.of_town = re.compile(
            rf"(?:{sp}(?P<w1>{part}))?(?:,{sp}(?:a|an|one){sp}(?:of{sp})?(?:the{sp})?(?:[a-z]+{sp})?(?P<w2>{part}))?"
            rf"{sp}(?:of|in){sp}(?:the{sp})?(?:city{sp}of{sp})?(?:(?P<side>{side}){sp})?", re.IGNORECASE)
        # Between a town and its part: "'s ", "'s eastern ".
        self.possessive = re.compile(rf"['’]s{sp}(?:(?P<side>{side}){sp})?(?:[a-z]+{sp}){{0,2}}", re.IGNORECASE)
        # An apposition before the town: ", one of ", ", a ".
        self.apposition = re.compile(rf",{sp}(?:a|an|one{sp}of|the){sp}(?:the{sp})?")
        # After the town in an apposition: "'s largest districts".
        self.town_parts = re.compile(rf"['’]s{sp}(?:[a-z]+{sp}){{0,3}}?(?P<w>{part})\b", re.IGNORECASE)
        self.part_after = re.compile(rf"{sp}(?P<w>{part})\b", re.IGNORECASE)
        self.part_before = re.compile(rf"\b(?P<w>{part}){sp}of{sp}(?:the{sp})?$", re.IGNORECASE)
        self.head_before = re.compile(rf"\b(?P<w>{rules.pattern('head')}){sp}$", re.IGNORECASE)
        self.side_before = re.compile(rf"\b(?P<side>{side})(?:{sp}part{sp}of)?{sp}(?:the{sp})?$", re.IGNORECASE)
        self.parts_of = re.compile(rf"\b{part}{sp}(?:of|in){sp}(?:the{sp})?(?:{side}{sp})?$", re.IGNORECASE)
        # "al-Thaura and al-Saha districts": the first name shares the second one's part word.
        self.sibling = re.compile(rf"(?:^|(?<=[\s(]))({_NAME}){sp}and{sp}(?:the{sp})?(?:{_ARTICLE})?$")
        # "Hay al-Tanak": a quarter named with the Arabic word for quarter, which the matcher need not know.
        heads = "|".join(re.escape(w.capitalize()) for w in sorted(rules.head, key=len, reverse=True))
        self.head_name = re.compile(rf"\b(?:{heads}){sp}((?:{_ARTICLE}){_NAME})")
        self.head_literal = re.compile("|".join(re.escape(f"{w.capitalize()} ") for w in rules.head))
        # a part word in prose is lower case ("district"); a capitalised one belongs to a name the matcher knows
        self.part_word = re.compile(r"\b" + part)
        # Names the matcher need not know, tied to a town: "the Wahda district of east " + town, town +
        # "'s Intisar neighbourhood".
        self.name_of_town = re.compile(
            rf"(?:^|(?<=[\s(]))({_NAME})(?:{sp}{part}|,{sp}(?:a|an|one{sp}of{sp}the)(?:{sp}[a-z]+)?{sp}{part})"
            rf"{sp}(?:of|in){sp}(?:the{sp})?(?:{side}{sp})?$")
        self.town_name = re.compile(rf"['’]s{sp}(?:{side}{sp})?({_NAME}){sp}{part}\b")


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    return _Patterns(load_rules())
