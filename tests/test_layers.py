"""Tests for the gazetteer layers: registry, name filters, curated CSV and user import formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gazetteer.errors import ImportFileError, UnknownLayerError
from gazetteer.layers.base import (
    DEFAULT_LAYERS,
    importance,
    is_latin,
    layer_class,
    layer_names,
)
from gazetteer.layers.curated import CuratedLayer, read_curated
from gazetteer.layers.geonames import keep_alternate_name
from gazetteer.layers.naturalearth import NaturalEarthLayer, admin1_name_variants
from gazetteer.layers.user import import_file
from gazetteer.layers.user_formats import level_for_feature, parse_file
from gazetteer.model import Level, Place

HEADER = "id,name,aliases,lat,lon,level,parent,country_code,admin1,source\n"


def test_registry_resolves_every_default_layer():
    for name in DEFAULT_LAYERS:
        assert layer_class(name).name == name
    assert set(DEFAULT_LAYERS) <= set(layer_names())


def test_unknown_layer_error_lists_the_valid_names():
    with pytest.raises(UnknownLayerError, match="geonames.*naturalearth") as info:
        layer_class("osm")
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("level", "population", "layer", "expected"),
    [
        (Level.COUNTRY, 999, "naturalearth", 11.0),
        (Level.CITY, 999, "geonames", 3.0),
        (Level.PROVINCE, 0, "naturalearth", 5.5),
        (Level.NEIGHBOURHOOD, 0, "curated", 1.5),
    ],
)
def test_importance_is_log_population_plus_level_and_layer_bonus(level, population, layer, expected):
    place = Place(id="x:1", name="X", lat=0.5, lon=0.5, level=level, layer=layer, population=population)
    assert importance(place) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("name", "keep"),
    [
        ("Al Mawsil", True),
        ("Mossoul", True),
        ("Odesa", True),
        ("Ərbil", True),          # Latin extended
        ("الموصل", False),        # Arabic script
        ("Одеса", False),         # Cyrillic
        ("ge lun bu", False),     # all-lower-case machine romanisation
        ("NCE", False),           # airport code
        ("", False),
    ],
)
def test_geonames_alternate_name_filter(name, keep):
    assert keep_alternate_name(name) is keep


@pytest.mark.parametrize(("text", "latin"), [("Nizza", True), ("Niça", True), ("Ницца", False)])
def test_is_latin(text, latin):
    assert is_latin(text) is latin


@pytest.mark.parametrize(
    ("name", "country", "expected"),
    [
        ("Al-Anbar", "IQ", ["Al-Anbar", "Anbar"]),
        ("Muhafazat Ninawa", "IQ", ["Muhafazat Ninawa", "Ninawa"]),
        ("Homs (Hims)", "SY", ["Homs", "Hims"]),
        ("GAZ-00 (Gaza Strip aggregation)", "PS", ["Gaza Strip aggregation"]),
        ("Alberta", "CA", ["Alberta"]),
        ("El Paso", "US", ["El Paso"]),  # the article is only stripped in Arabic-speaking countries
    ],
)
def test_admin1_name_variants(name, country, expected):
    assert admin1_name_variants(name, country) == expected


def test_naturalearth_layer_yields_continents_countries_and_regions():
    by_level: dict[Level, int] = {}
    seen = {}
    for place, names in NaturalEarthLayer().iter_places():
        level = "macro-region" if place.id.startswith("nem:") else place.level
        by_level[level] = by_level.get(level, 0) + 1
        assert place.name in names
        if place.id in ("ne0:GB", "ne1:IRQ-ninawa", "gn:6255146"):
            seen[place.id] = (place, names)
    assert by_level[Level.CONTINENT] == 7 and by_level["macro-region"] >= 30
    assert 200 < by_level[Level.COUNTRY] < 260
    assert by_level[Level.PROVINCE] > 4000
    assert {"UK", "Britain", "United Kingdom"} <= set(seen["ne0:GB"][1])
    assert "GB" not in seen["ne0:GB"][1]
    assert "Nineveh" in seen["ne1:IRQ-ninawa"][1]
    assert seen["gn:6255146"][0].name == "Africa"


@pytest.mark.parametrize(
    ("feature_class", "code", "level"),
    [
        ("P", "PPL", Level.CITY),
        ("P", "PPLX", Level.NEIGHBOURHOOD),
        ("A", "PCLI", Level.COUNTRY),
        ("A", "ADM1", Level.PROVINCE),
        ("A", "ADM2", Level.DISTRICT),
        ("S", "CMPRF", Level.CAMP),
        ("S", "MSQE", Level.LANDMARK),
        ("H", "STM", Level.FEATURE),
        ("Q", "ZZZ", Level.FEATURE),
    ],
)
def test_geonames_feature_codes_map_to_levels(feature_class, code, level):
    assert level_for_feature(feature_class, code) == level


# -- curated ---------------------------------------------------------------------------------


def test_curated_layer_is_empty_when_file_is_absent_or_empty(tmp_path):
    assert list(CuratedLayer(tmp_path / "missing.csv").iter_places()) == []
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert list(CuratedLayer(empty).iter_places()) == []


def test_curated_row_becomes_a_place_with_prefixed_ids(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(HEADER + "wahda,Wahda,al-Wahda|Al Wahda,36.33,43.16,neighbourhood,gn:99072,IQ,Ninawa,https://x.org\n"
                    "inner,Inner,,36.3,43.1,landmark,wahda,iq,,https://y.org\n")
    (wahda, names), (inner, _) = read_curated(path)
    assert wahda.id == "cz:wahda" and names == ("Wahda", "al-Wahda", "Al Wahda")
    assert inner.parent_id == "cz:wahda" and inner.country_code == "IQ"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("x,X,,abc,43,city,,IQ,,src", "lat/lon must be numbers"),
        ("x,X,,95,43,city,,IQ,,src", "latitude"),
        ("x,X,,36,43,hamlet,,IQ,,src", "unknown level"),
        ("x,X,,36,43,city,,IRQ,,src", "alpha-2"),
        ("x,,,36,43,city,,IQ,,src", "empty name"),
        ("x,X,,36,43,city,,IQ,,", "public source"),
        ("bad id,X,,36,43,city,,IQ,,src", "bad id"),
    ],
)
def test_bad_curated_row_names_file_and_line(tmp_path, row, message):
    path = tmp_path / "c.csv"
    path.write_text(HEADER + "ok,Ok,,1,1,city,,IQ,,src\n" + row + "\n")
    with pytest.raises(ImportFileError, match=message) as info:
        read_curated(path)
    assert info.value.line == 3 and info.value.path == str(path)
    assert f"{path}:3:" in str(info.value)


def test_duplicate_curated_ids_are_rejected(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(HEADER + "a,A,,1,1,city,,,,s\na,B,,2,2,city,,,,s\n")
    with pytest.raises(ImportFileError, match="duplicate id cz:a"):
        read_curated(path)


def test_packaged_curated_file_is_valid():
    rows = list(CuratedLayer().iter_places())
    assert all(place.id.startswith("cz:") and place.source for place, _ in rows)


# -- user import formats ---------------------------------------------------------------------

GEONAMES_OK = (
    "98182\tBaghdad\tBaghdad\tBagdad,Baghdad,Bagdá,بغداد\t33.34058\t44.40088\tP\tPPLC\tIQ\t\t07"
    "\t\t\t\t7216000\t\t41\tAsia/Baghdad\t2023-01-26"
)


def test_geonames_dump_reports_malformed_lines_with_their_numbers(tmp_path):
    path = tmp_path / "IQ.txt"
    bad_coordinate = GEONAMES_OK.replace("33.34058", "north")
    path.write_text(f"{GEONAMES_OK}\n{bad_coordinate}\nonly\tthree\tcolumns\n", encoding="utf-8")
    parsed = parse_file(path)
    assert parsed.kind == "geonames"
    [(place, names)] = parsed.places
    assert place.id == "gn:98182" and place.feature_code == "PPLC" and place.population == 7216000
    assert place.admin1 == "Baghdad" and "Bagdá" in names and "بغداد" not in names
    assert [line for line, _ in parsed.errors] == [2, 3]
    assert "latitude" in parsed.errors[0][1]


def test_import_report_counts_added_and_skipped_lines(tmp_path):
    path = tmp_path / "IQ.txt"
    path.write_text(f"{GEONAMES_OK}\n{GEONAMES_OK.replace('98182', 'x')}\n", encoding="utf-8")
    report = import_file(path, index_path=tmp_path / "index.sqlite")
    assert (report.added, report.skipped) == (1, 1)
    assert report.errors[0].startswith(f"{path}:2:")
    assert (tmp_path / "index.user-places.sqlite").exists()


def test_import_fails_when_nothing_is_valid(tmp_path):
    path = tmp_path / "IQ.txt"
    path.write_text(GEONAMES_OK.replace("33.34058", "x") + "\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="nothing valid") as info:
        import_file(path, index_path=tmp_path / "index.sqlite")
    assert info.value.line == 1


def test_unrecognised_file_is_rejected(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello world\n")
    with pytest.raises(ImportFileError, match="unrecognised format"):
        import_file(path, index_path=tmp_path / "index.sqlite")


def test_csv_places_get_stable_user_ids(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("name,lat,lon,aliases,level,country_code,admin1,id\n"
                    "Camp Alpha,34.1,43.2,Alpha base,landmark,IQ,,\n"
                    "Checkpoint 7,34.2,43.3,,,,,cp7\n"
                    "Nowhere,,43.3,,,,,\n")
    first = parse_file(path)
    again = parse_file(path)
    assert [p.id for p, _ in first.places] == [p.id for p, _ in again.places]
    alpha, cp7 = (p for p, _ in first.places)
    assert alpha.id.startswith("user:") and alpha.level == Level.LANDMARK
    assert cp7.id == "user:cp7" and cp7.level == Level.CITY
    assert first.errors == [(4, "lat is not a number: ''")]


def test_geojson_points_are_imported_and_bad_features_reported(tmp_path):
    path = tmp_path / "mine.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [43.2, 34.1]},
         "properties": {"name": "Camp Alpha", "aliases": ["Alpha base"], "level": "camp"}},
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
         "properties": {"name": "Road"}},
    ]}))
    parsed = parse_file(path)
    [(place, names)] = parsed.places
    assert (place.lat, place.lon, place.level) == (34.1, 43.2, Level.CAMP)
    assert names == ("Camp Alpha", "Alpha base")
    assert parsed.errors[0][0] == 2 and "Point" in parsed.errors[0][1]


def test_broken_geojson_raises_with_line(tmp_path):
    path = tmp_path / "bad.geojson"
    path.write_text('{"type": "FeatureCollection",\n "features": [ }')
    with pytest.raises(ImportFileError, match="not valid GeoJSON") as info:
        import_file(path, index_path=tmp_path / "index.sqlite")
    assert info.value.line == 2


def test_user_store_lives_in_the_data_dir_for_the_default_index(monkeypatch, tmp_path):
    import platformdirs

    from gazetteer.layers.user import user_store_path

    monkeypatch.delenv("INCIDENTMAP_GAZETTEER", raising=False)
    monkeypatch.delenv("INCIDENTMAP_USER_PLACES", raising=False)
    assert user_store_path() == Path(platformdirs.user_data_dir("incidentmap")) / "user-places.sqlite"
    assert user_store_path(tmp_path / "g.sqlite") == tmp_path / "g.user-places.sqlite"
    monkeypatch.setenv("INCIDENTMAP_USER_PLACES", str(tmp_path / "mine.sqlite"))
    assert user_store_path(tmp_path / "g.sqlite") == tmp_path / "mine.sqlite"


def test_geounits_become_province_level_regions():
    units = {p.id: (p, names) for p, names in NaturalEarthLayer()._geounits()}
    kurdistan, names = units["neg:IRK"]
    assert kurdistan.country_code == "IQ" and kurdistan.level == Level.PROVINCE
    assert "Iraqi Kurdistan" in names
    assert 35 < kurdistan.lat < 37.5 and 43 < kurdistan.lon < 46.5  # around Erbil, not Baghdad
    england = units["neg:ENG"][0]
    assert england.country_code == "GB" and 50 < england.lat < 55.8


@pytest.mark.parametrize(("demonym", "plural_form"), [("Iraqi", "Iraqis"), ("Russian", "Russians"),
                                                      ("Chinese", None), ("French", None), ("Swiss", None)])
def test_demonym_plurals(demonym, plural_form):
    from gazetteer.layers.demonyms import plural

    assert plural(demonym) == plural_form


def test_demonym_layer_is_opt_in_and_names_countries():
    assert "demonyms" not in DEFAULT_LAYERS
    places = {p.id: (p, names) for p, names in layer_class("demonyms")().iter_places()}
    iraq, names = places["dem:IQ"]
    assert {"Iraqi", "Iraqis"} <= set(names)
    assert iraq.feature_code == "DEMONYM" and iraq.parent_id == "ne0:IQ"
    assert "dem:US" in places and "American" in places["dem:US"][1]


def _county_layer(tmp_path, points="fips,name,lat,lon\n"):
    from gazetteer.layers.uscounties import USCountiesLayer

    counties = [
        {"fips": "39017", "name": "Butler County", "state": "OH"},
        {"fips": "21125", "name": "Laurel County", "state": "KY"},
        {"fips": "12086", "name": "Miami-Dade County", "state": "FL"},
        {"fips": "51760", "name": "Richmond city", "state": "VA"},
    ]
    cities = {
        "1": {"geonameid": 1, "name": "Butler", "latitude": 40.59, "longitude": -84.56, "countrycode": "US",
              "population": 8000, "admin1code": "OH"},
        "2": {"geonameid": 2, "name": "Butler", "latitude": 39.0, "longitude": -84.0, "countrycode": "US",
              "population": 900, "admin1code": "OH"},
        "3": {"geonameid": 3, "name": "Laurel", "latitude": 39.1, "longitude": -76.85, "countrycode": "US",
              "population": 25000, "admin1code": "MD"},
    }
    (tmp_path / "counties.json").write_text(json.dumps(counties), encoding="utf-8")
    (tmp_path / "cities.json").write_text(json.dumps(cities), encoding="utf-8")
    (tmp_path / "points.csv").write_text(points, encoding="utf-8")
    return USCountiesLayer(tmp_path / "counties.json", tmp_path / "cities.json", tmp_path / "points.csv")


def test_us_county_point_is_its_census_centre_else_namesake_town_else_the_state(tmp_path):
    layer = _county_layer(tmp_path, "fips,name,lat,lon\n12086,Miami-Dade,25.6102,-80.4971\n")
    places = {p.id: (p, names) for p, names in layer.iter_places()}
    dade = places["cnty:12086"][0]
    assert (dade.lat, dade.lon) == (25.6102, -80.4971) and dict(dade.raw)["point_from"] == "census"
    butler, names = places["cnty:39017"]
    assert (butler.lat, butler.lon) == (40.59, -84.56)          # the larger Butler, Ohio
    assert dict(butler.raw)["point_from"] == "town"
    assert butler.level is Level.DISTRICT and butler.feature_code == "ADM2"
    assert butler.admin1 == "Ohio" and butler.parent_id.startswith("ne1:USA-")
    assert names == ("Butler County",)                         # never the bare town name
    laurel = places["cnty:21125"][0]
    assert dict(laurel.raw)["point_from"] == "state"          # Laurel, Maryland is another state
    assert 36.5 < laurel.lat < 39.2 and -89.6 < laurel.lon < -81.9   # inside Kentucky
    assert "Miami-Dade" in places["cnty:12086"][1]              # a hyphenated bare name names nothing else
    assert "cnty:51760" not in places                           # independent cities are cities500 places


def test_bad_county_point_names_the_file_and_line(tmp_path):
    layer = _county_layer(tmp_path, "fips,name,lat,lon\n12086,Miami-Dade,25.6,-80.5\n39017,Butler,95,-84\n")
    with pytest.raises(ImportFileError, match="latitude") as err:
        list(layer.iter_places())
    assert err.value.line == 3 and err.value.path.endswith("points.csv")


def test_shipped_county_points_cover_the_counties_inside_their_states():
    from gazetteer.boundaries import admin1_at
    from gazetteer.layers.uscounties import USCountiesLayer

    places = [p for p, _ in USCountiesLayer().iter_places()]
    census = [p for p in places if dict(p.raw)["point_from"] == "census"]
    assert len(census) >= 3000 and len(census) >= 0.99 * len(places)   # not: two 2019 Alaska areas
    regions = admin1_at([p.lat for p in census], [p.lon for p in census])
    inside = sum(1 for p, r in zip(census, regions) if r is not None and r[0] == p.parent_id)
    assert inside >= 0.99 * len(census)


def test_states_are_also_named_with_the_word_state():
    names = {p.id: n for p, n in NaturalEarthLayer()._regions() if p.country_code in ("NG", "US")}
    assert "Lagos State" in names["ne1:NGA-lagos"]
    assert not any(n.endswith(" State") for pid, ns in names.items() if pid.startswith("ne1:USA") for n in ns)


def test_composite_regions_lie_inside_their_member_regions():
    from gazetteer.boundaries import admin1_at

    places = {p.id: (p, names) for p, names in NaturalEarthLayer()._composites()}
    darfur, names = places["nec:darfur"]
    assert darfur.country_code == "SD" and darfur.level is Level.PROVINCE and names == ("Darfur",)
    assert "Donbass" in places["nec:donbas"][1]
    for place, _ in places.values():
        members = dict(place.raw)["members"].split("|")
        [(region_id, _name, code)] = admin1_at([place.lat], [place.lon])
        assert region_id in members and code == place.country_code, place.id


def test_composite_region_with_an_unknown_member_names_the_file_and_line(tmp_path, monkeypatch):
    import gazetteer.layers.naturalearth as ne

    bad = tmp_path / ne.COMPOSITES
    bad.write_text("id,name,aliases,members,source\n"
                   "sinai,Sinai,,ne1:EGY-shamal-sina|ne1:EGY-janub-sina,https://example.org/sinai\n"
                   "atlantis,Atlantis,,ne1:XXX-nowhere,https://example.org/atlantis\n", encoding="utf-8")
    monkeypatch.setattr(ne, "data_path", lambda name: tmp_path / name)
    with pytest.raises(ImportFileError, match="ne1:XXX-nowhere") as err:
        list(NaturalEarthLayer()._composites())
    assert err.value.line == 3


def test_seat_regions_sit_at_their_seats_point_with_its_country(tmp_path):
    import json

    from gazetteer.layers.geonames import cities_path

    places = {p.id: (p, names) for p, names in CuratedLayer().iter_places() if p.id.startswith("cz:")}
    ossetia, names = places["cz:south-ossetia"]
    assert ossetia.level is Level.PROVINCE and ossetia.country_code == "GE" and "Tskhinvali Region" in names
    waziristan, _ = places["cz:north-waziristan"]
    assert waziristan.level is Level.DISTRICT and waziristan.parent_id == "ne0:PK"
    # the point is the seat's GeoNames point, so no coordinate is typed in
    cities = json.loads(cities_path().read_text(encoding="utf-8"))
    for place_id, seat in (("cz:south-ossetia", "611403"), ("cz:north-waziristan", "1170367"), ("cz:ituri", "217695")):
        place = places[place_id][0]
        assert (place.lat, place.lon) == (float(cities[seat]["latitude"]), float(cities[seat]["longitude"]))
        assert place.country_code == cities[seat]["countrycode"] and f"GeoNames {seat}" in place.source
    # a custom places file comes without them
    custom = tmp_path / "c.csv"
    custom.write_text(HEADER + "a,A,,1,1,city,,,,s\n")
    assert [p.id for p, _ in CuratedLayer(custom).iter_places()] == ["cz:a"]


@pytest.mark.parametrize(("row", "message"), [
    ("atlantis,Atlantis,,province,RGN,gn:1,https://example.org", "unknown seat 'gn:1'"),
    ("atlantis,Atlantis,,city,RGN,gn:611403,https://example.org", "province or district"),
    ("atlantis,Atlantis,,hamlet,RGN,gn:611403,https://example.org", "unknown level"),
    ("atlantis,Atlantis,,province,RGN,gn:611403,", "needs id"),
])
def test_bad_seat_region_names_the_file_and_line(tmp_path, row, message):
    """Line numbers count the comment and blank lines; a seat id may not repeat a curated one."""
    from gazetteer.layers.curated import read_seat_regions
    from gazetteer.layers.geonames import cities_path

    path = tmp_path / "seats.csv"
    path.write_text("# comment\nid,name,aliases,level,feature_code,seat,source\n"
                    "ok,Ok,,province,RGN,gn:611403,https://example.org/ok\n\n" + row + "\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match=message) as err:
        read_seat_regions(path, cities_path())
    assert err.value.line == 5 and err.value.path == str(path)
    with pytest.raises(ImportFileError, match="also a curated place") as err:
        read_seat_regions(path, cities_path(), taken=frozenset({"cz:ok"}))
    assert err.value.line == 3


def test_macro_regions_lie_inside_one_of_their_members():
    from gazetteer.boundaries import admin1_at

    places = {p.id: (p, names) for p, names in NaturalEarthLayer()._macro_regions()}
    assert len(places) >= 30
    west, names = places["nem:west-africa"]
    assert west.level is Level.CONTINENT and west.country_code is None and names == ("West Africa", "Western Africa")
    assert "Mideast" in places["nem:middle-east"][1]
    for place, _ in places.values():
        members = dict(place.raw)["members"].split("|")
        [(region_id, _name, code)] = admin1_at([place.lat], [place.lon])
        assert code in members or region_id in members, place.id
    # Russia is clipped at the Urals, so Eastern Europe's point stays in Europe
    east, _ = places["nem:eastern-europe"]
    assert east.lon < 60 and "RU" in dict(east.raw)["members"].split("|")


def test_macro_region_with_an_unknown_member_names_the_file_and_line(tmp_path, monkeypatch):
    import gazetteer.layers.naturalearth as ne

    bad = tmp_path / ne.MACRO_REGIONS
    bad.write_text("# comment line\nid,name,aliases,members,clip,source\n"
                   "baltics,Baltic states,,EE|LV|LT,,https://example.org/baltics\n"
                   "atlantis,Atlantis,,EE|QQ,,https://example.org/atlantis\n"
                   "boxed,Boxed,,EE,-180 -90 north,https://example.org/boxed\n", encoding="utf-8")
    monkeypatch.setattr(ne, "data_path", lambda name: tmp_path / name)
    with pytest.raises(ImportFileError, match="QQ") as err:
        list(NaturalEarthLayer()._macro_regions())
    assert err.value.line == 4
    bad.write_text(bad.read_text(encoding="utf-8").replace("EE|QQ", "EE"), encoding="utf-8")
    with pytest.raises(ImportFileError, match="four numbers") as err:
        list(NaturalEarthLayer()._macro_regions())
    assert err.value.line == 5
