"""Opt-in layer: nationality adjectives ("Iraqi", "Russians") as names of their countries.

Some gold corpora (LGL, GeoWebNews) annotate demonyms as toponyms; incident coding usually
should not. The layer is registered but not in DEFAULT_LAYERS: pass it in `layers=` to
`GazetteerIndex.open` to use it. Entries have feature code `DEMONYM` so callers can tell
them from real country names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from gazetteer.boundaries import load_countries
from gazetteer.datafiles import csv_rows
from gazetteer.errors import ImportFileError
from gazetteer.layers.base import Layer, data_path, unique_names
from gazetteer.model import Level, Place

DEMONYMS_FILE = "demonyms.csv"


def plural(demonym: str) -> str | None:
    """The plural people-noun of a demonym ("Iraqi" -> "Iraqis"), or None if it has none."""
    if demonym.endswith(("an", "i", "ese", "ch", "sh", "ss")):
        return demonym + "s" if demonym.endswith(("an", "i")) else None
    return None


class DemonymLayer(Layer):
    """One `dem:<CC>` place per country, at the country's label point, named by its demonyms."""

    name = "demonyms"

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else data_path(DEMONYMS_FILE)

    def source_files(self) -> list[Path]:
        return [self.path]

    def iter_places(self) -> Iterator[tuple[Place, tuple[str, ...]]]:

        by_code: dict[str, list[str]] = defaultdict(list)
        for line, row in csv_rows(self.path):
            code, demonym = (row.get("country_code") or "").strip(), (row.get("demonym") or "").strip()
            if len(code) != 2 or not demonym:
                raise ImportFileError("needs country_code and demonym", str(self.path), line)
            by_code[code].extend(filter(None, (demonym, plural(demonym))))
        countries = load_countries().set_index("country_code")
        for code, names in sorted(by_code.items()):
            if code not in countries.index:
                continue
            row = countries.loc[code]
            place = Place(
                id=f"dem:{code}", name=names[0], lat=float(row["lat"]), lon=float(row["lon"]),
                level=Level.COUNTRY, layer=self.name, country_code=code, feature_code="DEMONYM",
                parent_id=f"ne0:{code}", source="demonyms.csv (Wikipedia lists of people by nationality)",
            )
            yield place, unique_names(names)
