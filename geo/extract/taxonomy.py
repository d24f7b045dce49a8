"""The incident taxonomy: our short type names mapped onto ACLED event and sub-event types."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from gazetteer.datafiles import csv_rows, csv_table
from geo.errors import UsageError

__all__ = ["ACLED_TYPES", "IncidentType", "Taxonomy"]

DEFAULT_PATH = Path(__file__).parent.parent / "data" / "taxonomy.csv"
FAMILIES_PATH = Path(__file__).parent.parent / "data" / "families.csv"

# ACLED's six event types and 25 sub-event types, spelled as in the ACLED codebook.
ACLED_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Government regains territory", "Non-state actor overtakes territory", "Armed clash"),
    "Explosions/Remote violence": (
        "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED", "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction",
        "Non-violent transfer of territory", "Other",
    ),
}

_COLUMNS = ("name", "event_type", "sub_event_type", "family", "label", "colour", "icon")
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_ICON = re.compile(r"[a-z0-9-]+")


@dataclass(frozen=True, slots=True)
class IncidentType:
    """One incident type: ACLED coding plus how the map shows it."""

    name: str
    event_type: str
    sub_event_type: str
    family: str
    label: str
    colour: str
    icon: str


class Taxonomy:
    """The incident types known to a run, in file order."""

    def __init__(self, types: tuple[IncidentType, ...], path: str = ""):
        self._types = types
        self._by_name = {t.name: t for t in types}
        self.path = path

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Taxonomy":
        """Read a taxonomy CSV (the bundled one when `path` is None); a bad file raises UsageError."""
        where = Path(path) if path is not None else DEFAULT_PATH
        try:
            text = where.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{where}: cannot read taxonomy file: {exc}") from exc
        return cls.parse(text, str(where))

    @classmethod
    def parse(cls, text: str, path: str = "<taxonomy>") -> "Taxonomy":
        """Build a taxonomy from CSV text; errors name the file and line."""
        header_line, header, records = csv_table(text.splitlines())
        if not header_line:
            raise UsageError(f"{path}: taxonomy file is empty")
        columns = tuple(c.strip() for c in header)
        missing = [c for c in _COLUMNS if c not in columns]
        if missing:
            raise UsageError(f"{path}:{header_line}: taxonomy header lacks column(s): {', '.join(missing)}")
        types: list[IncidentType] = []
        seen: set[str] = set()
        for number, cells in records:
            if len(cells) != len(columns):
                raise UsageError(f"{path}:{number}: expected {len(columns)} cells, got {len(cells)}")
            row = {c: v.strip() for c, v in zip(columns, cells)}
            kind = _checked(row, path, number)
            if kind.name in seen:
                raise UsageError(f"{path}:{number}: type {kind.name!r} is defined twice")
            seen.add(kind.name)
            types.append(kind)
        return cls(tuple(types), path)

    def get(self, type_name: str) -> IncidentType:
        """The type called `type_name`; an unknown name raises UsageError listing the known ones."""
        try:
            return self._by_name[type_name]
        except KeyError:
            known = ", ".join(self._by_name)
            raise UsageError(f"unknown incident type {type_name!r}; known types: {known}") from None

    def __contains__(self, type_name: object) -> bool:
        return type_name in self._by_name

    def types(self) -> tuple[IncidentType, ...]:
        return self._types

    @property
    def names(self) -> tuple[str, ...]:
        """Type names, in file order."""
        return tuple(t.name for t in self._types)

    def one_event_across_types(self, family: str) -> bool:
        """True if the family's types are stages of one event (geo/data/families.csv: differ_by=outcome)."""
        return family_kinds().get(family) == "outcome"

    def families(self) -> tuple[str, ...]:
        """Distinct families, in file order."""
        return tuple(dict.fromkeys(t.family for t in self._types))


@cache
def family_wins(path: Path = FAMILIES_PATH) -> dict[str, tuple[str, ...]]:
    """family -> the types that type an incident whenever one of their triggers tells it (the `wins` column)."""
    return {row["family"]: tuple(t for t in (row.get("wins") or "").split("|") if t) for _, row in csv_rows(path)}


@cache
def crime_lookalikes(path: Path = FAMILIES_PATH) -> frozenset[str]:
    """The families an ordinary crime story can read like (the `crime` column: yes)."""
    return frozenset(row["family"] for _, row in csv_rows(path) if (row.get("crime") or "").strip() == "yes")


@cache
def family_kinds(path: Path = FAMILIES_PATH) -> dict[str, str]:
    """family -> what tells its types apart (`outcome` or `form`), from the families file (read once: every
    sentence's candidates ask)."""
    out: dict[str, str] = {}
    for number, row in csv_rows(path):
        if row.get("differ_by") not in ("outcome", "form") or not _NAME.fullmatch(row.get("family") or ""):
            raise UsageError(f"{path}:{number}: expected a family name and differ_by outcome|form, got {dict(row)}")
        out[row["family"]] = row["differ_by"]
    return out


def _checked(row: dict[str, str], path: str, number: int) -> IncidentType:
    """One validated row."""
    def fail(message: str) -> UsageError:
        return UsageError(f"{path}:{number}: {message}")

    if not _NAME.fullmatch(row["name"]):
        raise fail(f"type name {row['name']!r} must be lower-case letters, digits and _")
    subs = ACLED_TYPES.get(row["event_type"])
    if subs is None:
        raise fail(f"unknown ACLED event type {row['event_type']!r}; expected one of: {', '.join(ACLED_TYPES)}")
    if row["sub_event_type"] not in subs:
        raise fail(f"{row['sub_event_type']!r} is not an ACLED sub-event type of {row['event_type']!r};"
                   f" expected one of: {', '.join(subs)}")
    if not _NAME.fullmatch(row["family"]):
        raise fail(f"family {row['family']!r} must be lower-case letters, digits and _")
    if not _COLOUR.fullmatch(row["colour"]):
        raise fail(f"colour {row['colour']!r} must be #rrggbb")
    if not _ICON.fullmatch(row["icon"]):
        raise fail(f"icon {row['icon']!r} must be a Font Awesome name such as 'bomb'")
    return IncidentType(**{c: row[c] for c in _COLUMNS} | {"label": row["label"] or row["name"]})
