"""Tests for gazetteer.boundaries: packaged admin-1 regions, dissolved countries, point lookup."""

from __future__ import annotations

import math

import pytest

from gazetteer import boundaries


def test_admin1_has_documented_columns_and_wgs84():
    admin1 = boundaries.load_admin1()
    for column in ("id", "name", "name_alt", "iso_3166_2", "country_code", "country_name",
                   "type_en", "gn_id", "geometry", "lat", "lon"):
        assert column in admin1.columns
    assert admin1.crs.to_epsg() == 4326
    assert admin1["id"].is_unique
    assert len(admin1) > 4000


def test_admin1_is_cached_per_process():
    assert boundaries.load_admin1() is boundaries.load_admin1()


def test_representative_points_lie_inside_their_regions():
    import shapely

    admin1 = boundaries.load_admin1()
    points = shapely.points(admin1["lon"], admin1["lat"])
    assert shapely.intersects(admin1.geometry.values, points).all()


@pytest.mark.parametrize(
    ("lat", "lon", "name", "country"),
    [
        (36.335, 43.11889, "Ninawa", "IQ"),        # Mosul
        (36.19117, 44.00943, "Arbil", "IQ"),       # Erbil
        (46.48572, 30.74383, "Odessa", "UA"),      # Odesa, on the coast
        (43.70313, 7.26608, "Alpes-Maritimes", "FR"),  # Nice, on the coast
        (39.96118, -82.99879, "Ohio", "US"),       # Columbus
        (33.3152, 44.3661, "Baghdad", "IQ"),
    ],
)
def test_admin1_at_finds_the_containing_region(lat, lon, name, country):
    [hit] = boundaries.admin1_at([lat], [lon])
    assert hit is not None
    region_id, region_name, code = hit
    assert region_name == name
    assert code == country
    assert region_id.startswith("ne1:")


def test_admin1_at_returns_none_at_sea_and_for_bad_coordinates():
    hits = boundaries.admin1_at([0.0, math.nan, 95.0, -30.0], [0.0, 10.0, 10.0, -140.0])
    assert hits == [None, None, None, None]


def test_admin1_at_keeps_input_order_and_length():
    lats = [36.335, 0.0, 46.48572]
    lons = [43.11889, 0.0, 30.74383]
    hits = boundaries.admin1_at(lats, lons)
    assert [h[2] if h else None for h in hits] == ["IQ", None, "UA"]
    assert boundaries.admin1_at([], []) == []


def test_admin1_at_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="differ in length"):
        boundaries.admin1_at([1.0, 2.0], [1.0])


def test_countries_are_dissolved_by_iso_code():
    countries = boundaries.load_countries()
    assert countries["country_code"].is_unique
    iraq = countries[countries["country_code"] == "IQ"].iloc[0]
    assert iraq["name"] == "Iraq"
    assert iraq.geometry.is_valid
    assert 29 < iraq["lat"] < 38 and 38 < iraq["lon"] < 49
    # Mosul lies in Iraq's dissolved outline, not in Syria's.
    import shapely

    mosul = shapely.Point(43.11889, 36.335)
    assert iraq.geometry.contains(mosul)
    syria = countries[countries["country_code"] == "SY"].iloc[0]
    assert not syria.geometry.contains(mosul)
