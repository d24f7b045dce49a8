"""Readers for user gazetteer files: GeoNames dump TSV, alternateNamesV2, CSV and GeoJSON."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from gazetteer.boundaries import admin1_at
from gazetteer.datafiles import csv_rows, data_lines
from gazetteer.errors import ImportFileError
from gazetteer.layers.base import data_path, is_latin, unique_names
from gazetteer.model import Level, Place

GEONAMES_COLUMNS = 19
FEATURE_LEVELS = "feature_levels.csv"
# alternateNamesV2 "languages" that are really codes or links, not names.
_NOT_NAMES = frozenset({"link", "wkdt", "post", "iata", "icao", "faac", "abbr", "unlc", "tcid", "fr_1793"})
_PREFIXED = re.compile(r"^(?:gn|ne0|ne1|cz|user|osm):\S+$")


@dataclass
class ParsedFile:
    """The valid content of one import file and its bad lines as (line, message)."""

    kind: str
    places: list[tuple[Place, tuple[str, ...]]] = field(default_factory=list)
    extra_names: list[tuple[str, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


@cache
def _feature_levels() -> dict[str, Level]:
    return {row["feature"]: Level.parse(row["level"]) for _, row in csv_rows(data_path(FEATURE_LEVELS))}


def level_for_feature(feature_class: str, feature_code: str) -> Level:
    """The Level of a GeoNames feature class/code, from gazetteer/data/feature_levels.csv."""
    table = _feature_levels()
    exact = f"{feature_class}.{feature_code}"
    if exact in table:
        return table[exact]
    for key in sorted(table, key=len, reverse=True):
        if key.endswith("*") and exact.startswith(key[:-1]):
            return table[key]
    return table.get(feature_class, Level.FEATURE)


def parse_file(path: Path) -> ParsedFile:
    """Parse an import file, choosing the reader from its suffix and first line."""
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json"):
        return _parse_geojson(path)
    if suffix == ".csv":
        return _parse_csv(path)
    first = _first_data_line(path)
    columns = first.split("\t") if first else []
    if len(columns) == GEONAMES_COLUMNS:
        return _parse_geonames(path)
    if len(columns) in (8, 10) and columns[0].isdigit() and columns[1].isdigit():
        return _parse_alternate_names(path)
    raise ImportFileError(
        "unrecognised format: expected a GeoNames dump (19 tab-separated columns), "
        "alternateNamesV2, .csv or .geojson",
        str(path), 1,
    )


def _first_data_line(path: Path) -> str:
    with path.open(encoding="utf-8", errors="replace") as fh:
        for _, line in data_lines(fh):
            return line.rstrip("\n")
    return ""


def _float(text: str, what: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{what} is not a number: {text!r}") from None


def _tsv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, tab-separated columns) of a GeoNames-style dump, skipping blanks and comments."""
    with path.open(encoding="utf-8", newline="") as fh:
        for lineno, line in data_lines(fh):
            yield lineno, line.rstrip("\r\n").split("\t")


def _parse_geonames(path: Path) -> ParsedFile:
    out = ParsedFile(kind="geonames")
    for lineno, cols in _tsv_rows(path):
        try:
            if len(cols) != GEONAMES_COLUMNS:
                raise ValueError(f"expected {GEONAMES_COLUMNS} tab-separated columns, got {len(cols)}")
            gid, name, ascii_name, alternates = cols[0], cols[1].strip(), cols[2], cols[3]
            if not gid.isdigit():
                raise ValueError(f"geonameid is not a number: {gid!r}")
            if not name:
                raise ValueError("empty name")
            fclass, fcode = cols[6].strip(), cols[7].strip()
            population = int(cols[14]) if cols[14].strip() else 0
            raw = tuple((k, v) for k, v in (
                ("geonameid", gid), ("admin1code", cols[10]), ("admin2code", cols[11]),
                ("timezone", cols[17]),
            ) if v)
            place = Place(
                id=f"gn:{gid}", name=name, lat=_float(cols[4], "latitude"),
                lon=_float(cols[5], "longitude"), level=level_for_feature(fclass, fcode),
                layer="user", country_code=cols[8].strip() or None,
                feature_code=fcode, population=population,
                source=f"GeoNames dump {path.name}", raw=raw,
            )
        except ValueError as exc:
            out.errors.append((lineno, str(exc)))
            continue
        names = [name, ascii_name, *(a for a in alternates.split(",") if is_latin(a))]
        out.places.append((place, unique_names(names)))
    out.places = _with_admin1(out.places)
    return out


def _parse_alternate_names(path: Path) -> ParsedFile:
    out = ParsedFile(kind="alternatenames")
    for lineno, cols in _tsv_rows(path):
        if len(cols) not in (8, 10) or not cols[1].isdigit() or not cols[3].strip():
            out.errors.append((lineno, "expected alternateNameId, geonameid, isolanguage, name, ..."))
            continue
        if cols[2] in _NOT_NAMES or not is_latin(cols[3]):
            continue
        out.extra_names.append((f"gn:{cols[1]}", cols[3].strip()))
    return out


def _user_id(raw_id: str, name: str, lat: float, lon: float) -> str:
    if raw_id:
        return raw_id if _PREFIXED.match(raw_id) else f"user:{raw_id}"
    digest = hashlib.sha1(f"{name}|{lat:.5f}|{lon:.5f}".encode()).hexdigest()[:12]
    return f"user:{digest}"


def _user_place(props: dict, lat: float, lon: float, source: str) -> tuple[Place, tuple[str, ...]]:
    name = str(props.get("name") or "").strip()
    if not name:
        raise ValueError("empty name")
    code = str(props.get("country_code") or "").strip().upper() or None
    if code is not None and not re.fullmatch(r"[A-Z]{2}", code):
        raise ValueError(f"country_code must be ISO 3166-1 alpha-2, got {code!r}")
    aliases = props.get("aliases") or ""
    aliases = aliases.split("|") if isinstance(aliases, str) else list(aliases)
    place = Place(
        id=_user_id(str(props.get("id") or "").strip(), name, lat, lon), name=name, lat=lat, lon=lon,
        level=Level.parse(props.get("level") or "city"), layer="user", country_code=code,
        admin1=str(props.get("admin1") or "").strip() or None,
        population=int(props.get("population") or 0), source=source,
    )
    return place, unique_names([name, *aliases])


def _parse_csv(path: Path) -> ParsedFile:
    out = ParsedFile(kind="csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ("name", "lat", "lon") if c not in (reader.fieldnames or ())]
        if missing:
            raise ImportFileError(f"missing columns: {', '.join(missing)}", str(path), 1)
        for row in reader:
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            try:
                lat, lon = _float(row["lat"] or "", "lat"), _float(row["lon"] or "", "lon")
                out.places.append(_user_place(row, lat, lon, f"user file {path.name}"))
            except ValueError as exc:
                out.errors.append((reader.line_num, str(exc)))
    return out


def _parse_geojson(path: Path) -> ParsedFile:
    out = ParsedFile(kind="geojson")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise ImportFileError(f"not valid GeoJSON: {exc}", str(path), line) from exc
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise ImportFileError("expected a FeatureCollection", str(path))
    for number, feature in enumerate(features, 1):
        try:
            geometry = (feature or {}).get("geometry") or {}
            if geometry.get("type") != "Point":
                raise ValueError(f"geometry must be a Point, got {geometry.get('type')!r}")
            lon, lat = (float(v) for v in geometry["coordinates"][:2])
            out.places.append(_user_place(feature.get("properties") or {}, lat, lon, f"user file {path.name}"))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            # GeoJSON has no useful line numbers; report the feature's position instead.
            out.errors.append((number, f"feature {number}: {exc}"))
    return out


def _with_admin1(places: list[tuple[Place, tuple[str, ...]]]) -> list[tuple[Place, tuple[str, ...]]]:
    """Fill admin1/parent from the Natural Earth region each place lies in (same country only)."""
    if not places:
        return places

    hits = admin1_at([p.lat for p, _ in places], [p.lon for p, _ in places])
    out = []
    for (place, names), hit in zip(places, hits):
        if hit is not None and hit[2] == place.country_code and place.level.rank > Level.PROVINCE.rank:
            place = dataclasses.replace(place, admin1=hit[1], parent_id=hit[0])
        out.append((place, names))
    return out
