"""What the story's other places say about an ambiguous town name.

Each row is a sentence written for these tests, run through the real index and geoparser.
"""

from __future__ import annotations

import pytest

from gazetteer.model import Level
from tests.conftest import place_named


@pytest.fixture(scope="module")
def geo(real_geoparser):
    return real_geoparser


@pytest.mark.slow
@pytest.mark.parametrize("text, name, level, country, admin1", [
    # a province abroad that shares the town's name (Richmond upon Thames) does not stop the story's
    # other towns from placing it: Berea lies 20 km from Richmond, Kentucky
    ("Crews from Berea and Richmond cleared fallen trees on Sunday.", "Richmond", Level.CITY, "US", "Kentucky"),
    ("Crews from Berea and Richmond cleared fallen trees on Sunday.", "Berea", Level.CITY, "US", "Kentucky"),
    # ... but in a story about that province's own country it is still the place there
    ("The walk from Kew to Richmond follows the Thames past Twickenham, in south-west London.",
     "Richmond", Level.CITY, "GB", "Richmond upon Thames"),
    # a region of the story's own country named among its towns stays the region
    ("Fires near Fresno, Modesto and Merced spread smoke across California.",
     "California", Level.PROVINCE, "US", "California"),
    # a name listed with others reads at their level: two states, three cities
    ("Lawmakers from Oregon and Washington met in Portland.", "Washington", Level.PROVINCE, "US", "Washington"),
    ("The band played Philadelphia, New York and Chicago before heading south.",
     "New York", Level.CITY, "US", "New York"),
    # ... in their own country: a city's own state listed beside it is no namesake town abroad
    ("Storms lashed Melbourne and Victoria overnight.", "Victoria", Level.PROVINCE, "AU", "Victoria"),
])
def test_an_ambiguous_name_among_the_storys_places(geo, text, name, level, country, admin1):
    p = place_named(geo, text, name)
    assert p is not None, f"{name!r} unresolved in {text!r}"
    assert (p.level, p.country_code, p.admin1 if p.level is not Level.PROVINCE else p.name) == (level, country, admin1)
