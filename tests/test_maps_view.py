"""The map's opening view (geo.maps.view): it frames where the incidents are; far outliers stay reachable."""

from __future__ import annotations

import doctest
import re

import pytest
from mapcases import incident, place, square_countries, square_regions

import geo.maps.view
from geo.maps.build import render_map
from geo.maps.view import WORLD, frame

MOSUL = [(36.34 + k / 50, 43.13 + k / 70) for k in range(30)]          # a cluster around Mosul
EUROPE = [(48.86, 2.35), (52.52, 13.40), (50.85, 4.35)]                # Paris, Berlin, Brussels
WASHINGTON, SYDNEY = (38.9, -77.04), (-33.87, 151.21)


def _inside(point, bounds) -> bool:
    (south, west), (north, east) = bounds
    return south <= point[0] <= north and west <= point[1] <= east


@pytest.mark.parametrize(("points", "left_out"), [
    (MOSUL, []),                                            # one cluster: everything framed
    (MOSUL + [WASHINGTON], [WASHINGTON]),                   # one far outlier does not shrink Mosul to a dot
    (MOSUL + [WASHINGTON, SYDNEY], [WASHINGTON, SYDNEY]),   # nor do two
    (MOSUL + EUROPE * 3, []),                               # a second real group (a fifth) is part of the picture
    (MOSUL + EUROPE, EUROPE),                               # three of 33 far away are outliers
    (MOSUL[:3] + [WASHINGTON], []),                         # too few points for a main cluster: frame all
    ([(lat, lon) for lat in range(-30, 50, 10) for lon in range(-10, 100, 10)], []),   # an even spread
], ids=["cluster", "one-outlier", "two-outliers", "two-groups", "few-far", "few-points", "even-spread"])
def test_the_opening_view_frames_the_main_cluster_and_counts_what_it_leaves_out(points, left_out):
    view = frame(points)
    assert [p for p in points if not _inside(p, view.bounds)] == left_out
    assert view.outside == len(left_out)
    assert all(_inside(p, view.everything) for p in points)


def test_the_view_around_mosul_ignoring_an_outlier_is_regional_not_global():
    (south, west), (north, east) = frame(MOSUL + [WASHINGTON]).bounds
    assert north - south < 5 and east - west < 5


def test_one_town_is_shown_with_its_surroundings_and_no_incident_shows_the_world():
    (south, west), (north, east) = frame([(36.34, 43.13)] * 6).bounds
    assert north - south == pytest.approx(1.0) and east - west == pytest.approx(1.0)
    assert frame([]).bounds == WORLD


def test_the_map_opens_on_the_cluster_and_the_panel_can_count_and_frame_the_rest():
    incidents = [incident(f"m{k}", "armed_clash", place("Mosul", lat, lon, pid=f"p{k}")) for k, (lat, lon) in enumerate(MOSUL)]
    incidents.append(incident("dc", "protest", place("Washington", *WASHINGTON, pid="pdc", cc="US", admin1="District of Columbia")))
    html = render_map(incidents, regions=square_regions(), countries=square_countries(), self_contained=False)
    fit = re.search(r"\.fitBounds\(\s*\[\[([-\d.]+), ([-\d.]+)\], \[([-\d.]+), ([-\d.]+)\]\]", html)
    assert fit, "no fitBounds in the map"
    assert float(fit.group(2)) > 40, "the opening view reaches to Washington"
    assert re.search(r"incidentmap\.watchView\(document\.getElementById\(\"[^\"]+\"\), \[\[36\.34,-77\.04\],", html)
    assert '<div class="im-outside" hidden></div>' in html


def test_doctests():
    assert doctest.testmod(geo.maps.view).failed == 0
