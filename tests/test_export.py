"""Exporters: GeoJSON validity and axis order, GeoPackage round trip, spreadsheet-safe CSV, JSON Lines."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json

import pytest

from geo.errors import OutputError, UsageError
from geo.model import (
    DatePrecision,
    Evidence,
    GeoPrecision,
    Incident,
    Level,
    Phrase,
    Place,
    Span,
)
from geo.outputs.export import (
    FIELDS,
    NUMERIC_FIELDS,
    feature_collection,
    incident_properties,
    to_geodataframe,
    write_incidents,
)
from geo.outputs.safe import (
    FORMULA_STARTS,
    json_dumps_html_safe,
    safe_url,
    spreadsheet_safe,
)

MOSUL = Place("gn:99072", "Mosul", 36.335, 43.118889, Level.CITY, "geonames", country_code="IQ", admin1="Nineveh")
MADRID = Place("gn:3117735", "Madrid", 40.4165, -3.70256, Level.CITY, "geonames", country_code="ES")
SANTIAGO = Place("gn:3871336", "Santiago", -33.45694, -70.64827, Level.CITY, "geonames", country_code="CL")
INJECTIONS = ('=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1")


def make_incident(n: int = 1, place: Place | None = MOSUL, *, title: str = "Iraqi forces retake Mosul district",
                  sentence: str = "A car bomb killed 5 people in Mosul.", actors=("Islamic State",),
                  url: str = "https://www.reuters.com/a", date=dt.date(2017, 4, 21)) -> Incident:
    evidence = Evidence(
        article_id=f"a-{n:04d}", article_title=title, sentence=sentence, sentence_span=Span(10, 10 + len(sentence)),
        trigger="car bomb", trigger_span=Span(12, 20), source="Reuters", url=url, article_date=date,
    )
    return Incident(
        id=f"inc-{n:04d}", type="remote_violence", event_type="Explosions/Remote violence",
        sub_event_type="Suicide bomb", date=date, date_precision=DatePrecision.DAY if date else DatePrecision.UNKNOWN,
        place=place, place_text=place.name if place else "somewhere", geo_precision=GeoPrecision.TOWN if place else None,
        evidence=(evidence,), fatalities=5, injured=None, actors=actors, confidence=0.8,
    )


@pytest.fixture
def incidents() -> list[Incident]:
    return [
        make_incident(1, MOSUL),
        make_incident(2, MADRID, actors=("Police", "ETA")),
        make_incident(3, SANTIAGO),
        make_incident(4, None, date=None),
    ]


def test_geojson_puts_longitude_first_for_a_known_place(incidents):
    fc = feature_collection(incidents)
    lon, lat = fc["features"][0]["geometry"]["coordinates"]
    assert (lon, lat) == (43.118889, 36.335)
    assert fc["features"][1]["geometry"]["coordinates"] == [-3.70256, 40.4165]


def test_geojson_is_rfc7946_valid_and_has_no_crs(tmp_path, incidents):
    out = tmp_path / "incidents.geojson"
    assert write_incidents(incidents, str(out)) == 4
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    for feat in doc["features"]:
        assert feat["type"] == "Feature" and "crs" not in feat
        assert set(FIELDS) <= set(feat["properties"])
        if feat["geometry"] is None:
            continue
        lon, lat = feat["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert round(lon, 6) == lon and round(lat, 6) == lat


def test_unlocated_incident_has_null_geometry_not_zero_zero(incidents):
    feat = feature_collection(incidents)["features"][3]
    assert feat["geometry"] is None
    assert feat["properties"]["latitude"] is None and feat["properties"]["date"] is None
    assert feat["properties"]["date_precision"] == "unknown" and feat["properties"]["time_precision"] is None


def test_coordinates_are_rounded_to_six_decimals():
    place = Place("x:1", "X", 12.123456789, -45.987654321, Level.CITY, "user")
    assert feature_collection([make_incident(1, place)])["features"][0]["geometry"]["coordinates"] == [-45.987654, 12.123457]


def test_properties_follow_the_documented_schema(incidents):
    props = incident_properties(incidents[1])
    assert list(props) == list(FIELDS)
    assert props["actors"] == ["Police", "ETA"] and props["sources"] == ["a-0002"]
    assert props["time_precision"] == 1 and props["geo_precision"] == 1 and props["level"] == "city"
    assert props["source_urls"] == ["https://www.reuters.com/a"]
    assert (props["sentence_start"], props["sentence_end"]) == (10, 46)


def test_geopackage_reads_back_with_same_count_and_wgs84(tmp_path, incidents):
    import geopandas

    out = tmp_path / "incidents.gpkg"
    write_incidents(incidents, str(out))
    back = geopandas.read_file(out, layer="incidents")
    assert len(back) == 4
    assert back.crs.to_epsg() == 4326
    assert back.loc[back["id"] == "inc-0002", "actors"].item() == "Police; ETA"
    assert back.geometry.iloc[0].x == pytest.approx(43.118889)
    assert back.geometry.iloc[3] is None or back.geometry.iloc[3].is_empty


def test_geopackage_rerun_overwrites_instead_of_appending(tmp_path, incidents):
    import geopandas

    out = tmp_path / "incidents.gpkg"
    write_incidents(incidents, str(out))
    write_incidents(incidents[:2], str(out))
    assert len(geopandas.read_file(out, layer="incidents")) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["incidents.gpkg"]


def test_empty_incident_list_writes_valid_empty_files(tmp_path):
    import geopandas

    for name in ("e.geojson", "e.gpkg", "e.csv", "e.jsonl"):
        assert write_incidents([], str(tmp_path / name)) == 0
    assert json.loads((tmp_path / "e.geojson").read_text())["features"] == []
    assert len(geopandas.read_file(tmp_path / "e.gpkg")) == 0
    assert (tmp_path / "e.csv").read_text().strip() == ",".join(FIELDS)


def test_csv_neutralises_formula_cells_in_text_columns(tmp_path):
    hostile = [make_incident(i, MADRID, title=s, sentence=s, actors=(s,), url=s) for i, s in enumerate(INJECTIONS)]
    out = tmp_path / "incidents.csv"
    write_incidents(hostile, str(out))
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(INJECTIONS)
    for row, original in zip(rows, INJECTIONS):
        for name, cell in row.items():
            if name not in NUMERIC_FIELDS:
                assert not cell.startswith(FORMULA_STARTS), (name, cell)
        assert row["article_title"] == "'" + original


def test_csv_keeps_negative_numbers_numeric(tmp_path):
    out = tmp_path / "incidents.csv"
    write_incidents([make_incident(1, SANTIAGO)], str(out))
    with open(out, newline="", encoding="utf-8") as f:
        row = next(csv.DictReader(f))
    assert row["longitude"] == "-70.64827" and row["latitude"] == "-33.45694"
    assert float(row["longitude"]) == -70.64827


def test_jsonl_has_one_object_per_line(tmp_path, incidents):
    out = tmp_path / "incidents.jsonl"
    write_incidents(incidents, str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4
    objs = [json.loads(line) for line in lines]
    assert [o["id"] for o in objs] == ["inc-0001", "inc-0002", "inc-0003", "inc-0004"]
    assert objs[1]["actors"] == ["Police", "ETA"] and objs[0]["longitude"] == 43.118889


@pytest.mark.parametrize("name", ["i.geojson", "i.csv", "i.jsonl"])
def test_rerun_gives_an_identical_file(tmp_path, incidents, name):
    out = tmp_path / name
    write_incidents(incidents, str(out))
    first = out.read_bytes()
    write_incidents(incidents, str(out))
    assert out.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_very_long_fields_survive_every_format(tmp_path):
    import geopandas

    long = "Mosul " * 50_000
    inc = make_incident(1, MOSUL, title=long, sentence=long)
    for name in ("l.geojson", "l.csv", "l.jsonl", "l.gpkg"):
        write_incidents([inc], str(tmp_path / name))
    assert json.loads((tmp_path / "l.geojson").read_text())["features"][0]["properties"]["sentence"] == long
    assert json.loads((tmp_path / "l.jsonl").read_text())["article_title"] == long
    csv.field_size_limit(10**7)
    with open(tmp_path / "l.csv", newline="", encoding="utf-8") as f:
        assert next(csv.DictReader(f))["sentence"] == long
    assert geopandas.read_file(tmp_path / "l.gpkg")["sentence"].item() == long


def test_json_outputs_cannot_close_a_script_element_but_keep_the_data(tmp_path):
    evil = "</script><script>alert(2)</script> & <img src=x onerror=alert(1)>"
    out = tmp_path / "x.geojson"
    write_incidents([make_incident(1, title=evil)], str(out))
    raw = out.read_text(encoding="utf-8")
    assert "<" not in raw and ">" not in raw
    assert json.loads(raw)["features"][0]["properties"]["article_title"] == evil


def test_unknown_extension_is_a_usage_error_listing_allowed(tmp_path, incidents):
    with pytest.raises(UsageError, match=r"\.geojson.*\.gpkg"):
        write_incidents(incidents, str(tmp_path / "x.xlsx"))
    with pytest.raises(UsageError):
        write_incidents(incidents, str(tmp_path / "x.out"), fmt="shapefile")
    with pytest.raises(UsageError):
        write_incidents(incidents, "-", fmt="gpkg")


def test_explicit_format_overrides_extension(tmp_path, incidents):
    out = tmp_path / "incidents.txt"
    write_incidents(incidents, str(out), fmt="jsonl")
    assert len(out.read_text().splitlines()) == 4


def test_dash_writes_geojson_to_stdout(capsys, incidents):
    write_incidents(incidents, "-")
    assert json.loads(capsys.readouterr().out)["type"] == "FeatureCollection"


def test_missing_output_folder_is_an_output_error(tmp_path, incidents):
    with pytest.raises(OutputError, match="nope"):
        write_incidents(incidents, str(tmp_path / "nope" / "x.geojson"))
    with pytest.raises(OutputError, match="nope"):
        write_incidents(incidents, str(tmp_path / "nope" / "x.gpkg"))


def test_geodataframe_has_wgs84_and_one_row_per_incident(incidents):
    frame = to_geodataframe(incidents)
    assert len(frame) == 4 and frame.crs.to_epsg() == 4326
    assert frame["fatalities"].tolist() == [5, 5, 5, 5]


@pytest.mark.parametrize("value", ["=1", "+1", "-1", "@x", "\tx", "\rx", "\uff1dSUM(A1)"])
def test_spreadsheet_safe_prefixes_formula_starts(value):
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["Mosul", "", "1-2", -3.2, None, 5])
def test_spreadsheet_safe_leaves_harmless_values(value):
    assert spreadsheet_safe(value) == value


@pytest.mark.parametrize("url,expected", [
    ("https://www.reuters.com/article/x", "https://www.reuters.com/article/x"),
    ("http://example.org/?a=1&b=2", "http://example.org/?a=1&b=2"),
    ("javascript:alert(1)", None), (" JAVASCRIPT:alert(1)", None), ("java\nscript:alert(1)", None),
    ("data:text/html,<script>alert(1)</script>", None), ("vbscript:x", None), ("//evil.example/x", None),
    ("/relative", None), ("https://", None), ("", None), (None, None), ("http://a b", None),
])
def test_safe_url_allows_only_absolute_http_urls(url, expected):
    assert safe_url(url) == expected


def test_json_dumps_html_safe_round_trips():
    value = {"a": "<>&\u2028\u2029`${x}` {{ 7*7 }} {% if %} {# c", "b": [1, None, {"c": {}}]}
    text = json_dumps_html_safe(value)
    assert not any(c in text for c in "<>&\u2028\u2029")
    assert not any(t in text for t in ("{{", "{%", "{#"))
    assert json.loads(text) == value


def test_geopackage_text_is_neutralised_like_csv_and_bad_urls_are_dropped(tmp_path):
    import geopandas

    from geo.model import DatePrecision, Evidence, Incident, Span

    ev = Evidence(article_id="=HYPERLINK(\"http://x\",\"y\")", article_title="+1+1 @SUM(A1)",
                  sentence="-2+3 killed in Mosul", sentence_span=Span(0, 20), trigger="killed",
                  trigger_span=Span(5, 11), url="javascript:alert(4)")
    inc = Incident(id="h1", type="attack_on_civilians", event_type="Violence against civilians",
                   sub_event_type="Attack", date=None, date_precision=DatePrecision.UNKNOWN, place=None,
                   place_text="", geo_precision=None, evidence=(ev,))
    out = tmp_path / "h.gpkg"
    write_incidents([inc], str(out))
    row = geopandas.read_file(out).iloc[0]
    for name in ("article_id", "article_title", "sentence"):
        assert not str(row[name]).startswith(("=", "+", "-", "@")), name
    assert row["url"] is None or row["url"] != row["url"] or row["url"] == ""
    props = incident_properties(inc)
    assert props["url"] is None and props["source_urls"] == []


@pytest.mark.parametrize("place, expect", [
    (MOSUL, "99072"),
    (Place("ne0:IQ", "Iraq", 33.0, 44.0, Level.COUNTRY, "naturalearth", country_code="IQ",
           raw=(("geonameid", "99237"),)), "99237"),
    (Place("cz:mosul-wahda", "Wahda", 36.33, 43.17, Level.NEIGHBOURHOOD, "curated", country_code="IQ"), None),
])
def test_exports_carry_the_geonames_id_wherever_one_exists(place, expect):
    assert incident_properties(make_incident(1, place))["geonameid"] == expect


def test_the_phrases_that_gave_place_and_date_are_exported_with_their_offsets(tmp_path):
    sentence = "A car bomb killed 5 people near Mosul on Tuesday."
    start = 10                                    # the sentence's offset in its article (make_incident)
    near, day = sentence.index("near Mosul"), sentence.index("on Tuesday")
    inc = dataclasses.replace(make_incident(1, sentence=sentence),
                              place_evidence=Phrase(start + near, start + near + 10, "near Mosul"),
                              date_evidence=Phrase(start + day, start + day + 10, "on Tuesday"))
    undated = make_incident(2)
    props = feature_collection([inc, undated])["features"]
    assert {k: v for k, v in props[0]["properties"].items() if "_evidence" in k} == {
        "place_evidence": "near Mosul", "place_evidence_start": 37, "place_evidence_end": 47,
        "date_evidence": "on Tuesday", "date_evidence_start": 48, "date_evidence_end": 58}
    assert props[1]["properties"]["place_evidence"] is None and props[1]["properties"]["date_evidence_start"] is None
    out = tmp_path / "incidents.csv"
    write_incidents([inc, undated], str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert (rows[0]["place_evidence"], rows[0]["place_evidence_start"], rows[0]["date_evidence_end"]) == (
        "near Mosul", "37", "58")
    assert (rows[1]["date_evidence"], rows[1]["date_evidence_start"]) == ("", "")


def test_url_check_refuses_exactly_the_control_and_whitespace_characters():
    # safe_url refuses a URL holding any character below U+0020 or any str.isspace() one, with one regex
    from geo.outputs.safe import _CONTROL_OR_SPACE

    assert [cp for cp in range(0x110000)
            if bool(_CONTROL_OR_SPACE.match(chr(cp))) != (cp < 32 or chr(cp).isspace())] == []
