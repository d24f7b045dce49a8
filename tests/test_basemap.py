"""The offline basemap: label zooms by population, label placement without overlap, simplified geometry,
and the data a real map of Iraqi incidents carries (regions, towns, rivers) within its size budget."""

from __future__ import annotations

import doctest
import json
import random
import re

import pytest
from mapcases import hostile_incident, incident, place, sample_incidents, square_countries, square_regions

import geo.maps.basemap
import geo.maps.labels
from geo.maps.basemap import basemap_data, decode_line, encode_lines
from geo.maps.build import render_map
from geo.maps.labels import (
    LABEL_HEIGHT_PX,
    LabelPlace,
    _box,
    _pixel,
    population_zoom,
    region_label_zooms,
    select_labels,
)


def test_doctests():
    assert doctest.testmod(geo.maps.basemap).failed == 0


@pytest.mark.parametrize(("population", "capital", "zoom"), [
    (200, True, 3),              # a capital shows with the country names, however small
    (None, False, 9),            # a curated town, population not given
    (6_000_000, False, 3),
    (1_683_000, False, 4),       # Mosul
    (300_000, False, 5),
    (299_999, False, 6),
    (100_000, False, 6),
    (50_000, False, 7),          # Tall Afar-sized towns
    (10_000, False, 8),
    (3_000, False, 9),
    (1_000, False, 10),
    (999, False, 11),
    (0, False, 11),
])
def test_population_gives_the_first_zoom_of_a_label(population, capital, zoom):
    if population is None:
        assert population_zoom(0, capital, listed=True) == zoom
    else:
        assert population_zoom(population, capital) == zoom


def test_a_town_beside_a_city_waits_for_a_closer_zoom_and_a_distant_one_does_not():
    city = LabelPlace("Mosul", 36.335, 43.119, 1_683_000)
    near = LabelPlace("Bartella", 36.354, 43.381, 15_000)      # 24 km east
    far = LabelPlace("Rutba", 33.037, 40.285, 22_000)
    labels = {label.name: label for label in select_labels([near, far, city])}
    assert labels["Mosul"].min_zoom == 4 and labels["Mosul"].kind == "city"
    assert labels["Rutba"].min_zoom == population_zoom(22_000) == 8
    assert labels["Bartella"].min_zoom > population_zoom(15_000)
    assert labels["Bartella"].kind == "town"


def test_a_capital_is_placed_before_a_bigger_city_it_would_overlap():
    capital = LabelPlace("Capital", 10.0, 10.0, 50_000, capital=True)
    city = LabelPlace("Big city", 10.05, 10.05, 3_000_000)
    labels = {label.name: label for label in select_labels([city, capital])}
    assert labels["Capital"].min_zoom == 3
    assert labels["Big city"].min_zoom > 4


def test_placed_labels_never_overlap_at_any_zoom():
    rnd = random.Random(3)
    places = [LabelPlace(f"Town {i}", rnd.uniform(33, 37), rnd.uniform(40, 45), rnd.choice([500, 5_000, 80_000, 400_000]))
              for i in range(400)]
    labels = select_labels(places, max_zoom=11)
    assert 50 < len(labels) < 400    # the crowded ones never fit by zoom 11 and are left out
    for zoom in range(3, 12):
        boxes = [_box(*_pixel(lb.lat, lb.lon), zoom, geo.maps.labels.LABEL_PAD_PX + geo.maps.labels.CHAR_PX * len(lb.name))
                 for lb in labels if lb.min_zoom <= zoom]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), zoom
    assert LABEL_HEIGHT_PX > 0


def test_a_region_name_gives_way_to_a_city_label_on_its_point_but_not_to_one_far_away():
    city = select_labels([LabelPlace("Baghdad", 33.34, 44.40, 7_000_000, capital=True)])
    all_zooms = sum(1 << z for z in range(5, 9))
    assert region_label_zooms(["Baghdad", "Al-Anbar"], [33.34, 32.5], [44.40, 42.0], city) == [0, all_zooms]
    # Two regions on one point: the second waits until they no longer touch (never, here).
    assert region_label_zooms(["A", "B"], [10.0, 10.0], [10.0, 10.0], []) == [all_zooms, 0]


def test_simplification_keeps_a_line_within_its_tolerance_with_far_fewer_points():
    import shapely

    rnd = random.Random(5)
    coords, x, y = [], 43.0, 36.0
    for _ in range(2000):
        x += 0.001
        y += rnd.uniform(-0.0004, 0.0004)
        coords.append((x, y))
    line = shapely.LineString(coords)
    for tolerance, scale in ((0.002, 1000), (0.05, 100)):
        (flat,) = encode_lines(line, tolerance=tolerance, scale=scale)
        points = decode_line(flat, scale)
        assert len(points) < len(coords) / 10
        # Simplification moves the line at most `tolerance`, rounding at most half a step per axis.
        assert shapely.hausdorff_distance(line, shapely.LineString(points)) <= tolerance + 1 / scale
        assert all(isinstance(v, int) for v in flat)


def test_polygon_rings_and_degenerate_parts():
    import shapely

    square = shapely.box(43.0, 36.0, 43.5, 36.5)
    (ring,) = encode_lines(square, tolerance=0.002, scale=1000)
    points = decode_line(ring, 1000)
    assert points[0] == points[-1] and len(points) == 5
    assert encode_lines(shapely.LineString([(43.0, 36.0), (43.0001, 36.0001)]), tolerance=0.002, scale=1000) == []
    assert encode_lines(shapely.GeometryCollection(), tolerance=0.002, scale=1000) == []


def test_incidents_in_nineveh_bring_its_boundary_towns_and_the_tigris(gazetteer_index):
    data = basemap_data([incident("m", where=place())], index=gazetteer_index)
    regions = data["regions"]["n"]
    assert "Ninawa" in regions and {"Dihok", "Arbil", "Sala ad-Din"} <= set(regions)   # and its neighbours
    labels = dict(zip(data["labels"]["n"], data["labels"]["z"]))
    assert labels["Mosul"] <= 5
    assert labels["Tel Keyf"] < labels["Karemlash"]    # more people (GeoNames' Tallkayf) come first
    assert labels["Baghdad"] == 3 and labels["Paris"] == 3      # the world layer: capitals
    # Towns of the curated conflict layer too, by the names the news use (GeoNames: Barţalah, Tallkayf).
    nearby = {"Tel Keyf", "Bartella", "Qaraqosh", "Bashiqa", "Hammam al-Alil", "Kays Qal‘ah"}
    assert nearby <= set(labels) and all(labels[name] <= 10 for name in nearby)
    assert "Barţalah" not in labels and "Tallkayf" not in labels
    assert labels["Tal Afar"] <= 9 and "Tall ‘Afar" not in labels     # GeoNames gives it no population
    # GeoNames' "New Mosul" district (more people than Mosul) is not a label of its own.
    assert "Al Mawşil al Jadīdah" not in labels
    # Only the incident regions get towns: none from, say, France.
    assert "Lyon" not in labels and "Marseille" not in labels

    rivers = [decode_line(flat, data["scales"]["detail"]) for flat in data["detail"]["rivers"]]
    assert any(abs(lon - 43.13) < 0.05 and abs(lat - 36.34) < 0.1 for line in rivers for lon, lat in line)
    assert data["coarse"]["rivers"] and data["coarse"]["lakes"]
    assert len(json.dumps(data, separators=(",", ":"))) < 250_000


def test_map_carries_the_basemap_with_hostile_region_names_escaped_and_can_go_without(gazetteer_index):
    incidents = [hostile_incident(), *sample_incidents()]
    html = render_map(incidents, regions=square_regions(), countries=square_countries(), tiles=None)
    assert "incidentmapBasemap.layer(" in html and "Offline basemap" in html
    # \u003c as JSON has it, with its backslash doubled where the data sits in a JSON.parse("...") string
    assert re.search(r"Nineveh \\+u003cb\\+u003e", html) and "Nineveh <b>" not in html
    plain = render_map(incidents, regions=square_regions(), countries=square_countries(), tiles=None, basemap=False)
    assert "incidentmapBasemap" not in plain
    assert len(plain) < len(html)


def test_no_located_incidents_still_gives_the_world_layer(gazetteer_index):
    data = basemap_data([], index=gazetteer_index)
    assert data["regions"]["n"] == [] and data["detail"] == {"rivers": [], "lakes": []}
    assert "Baghdad" in data["labels"]["n"] and data["coarse"]["rivers"]
