"""Seas, oceans, gulfs and straits (water.csv): GeoNames' points, and water against land in the text."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import place_named

from gazetteer.errors import ImportFileError
from gazetteer.layers import water
from gazetteer.layers.water import WATER_FILE, WATER_NE_FILE, load_water

DATA = Path(__file__).resolve().parent.parent / "gazetteer" / "data" / WATER_FILE
NE_DATA = DATA.parent / WATER_NE_FILE
HEADER = "geonameid,name,feature_code,lat,lon,names,source\n"
GOOD = "80303,Gulf of Aden,GULF,12,48,Gulf of Aden,GeoNames\n"


def _committed(gid: str) -> dict:
    with DATA.open(encoding="utf-8", newline="") as fh:
        return next(r for r in csv.DictReader(line for line in fh if not line.startswith("#")) if r["geonameid"] == gid)


@pytest.mark.parametrize("gid", ["363196", "3373405", "350155", "80303", "235616", "630673"])
def test_a_water_body_sits_at_the_geonames_point_of_the_committed_table(gazetteer_index, gid):
    row = _committed(gid)
    place = gazetteer_index.get(f"gn:{gid}")
    assert (place.lat, place.lon) == (float(row["lat"]), float(row["lon"]))
    assert place.geonameid == gid and place.layer == "water" and place.feature_code == row["feature_code"]
    assert place.level.value == "feature" and place.country_code is None


def test_every_committed_row_names_its_source_and_no_id_or_name_repeats():
    rows = load_water(DATA)
    assert len(rows) > 100
    assert all(p.source.startswith("GeoNames") for p, _ in rows)
    ne = load_water(NE_DATA)
    assert len(ne) > 300 and all(p.source.startswith("Natural Earth") and p.geonameid is None for p, _ in ne)
    everything = rows + ne
    assert len({p.id for p, _ in everything}) == len(everything)
    # a name is one place's: GeoNames' row wins over Natural Earth's polygon
    assert len({n.lower() for _, names in everything for n in names}) == sum(len(names) for _, names in everything)


@pytest.mark.parametrize("text, name, gid", [
    ("A dinghy carrying 90 people sank in the central Mediterranean on Sunday, the Italian coast guard said.",
     "Mediterranean", "363196"),
    ("Houthi fighters fired two missiles at a Greek bulk carrier in the Red Sea, a maritime security firm said.",
     "Red Sea", "350155"),
    ("A navy frigate escorted the convoy through the Gulf of Aden after pirates boarded a dhow.", "Gulf of Aden", "80303"),
    ("Drones struck a grain terminal on the Black Sea coast overnight.", "Black Sea", "630673"),
    ("The tanker was seized in the Arabian Gulf by armed men in speedboats.", "Arabian Gulf", "235616"),
    ("The hurricane strengthened as it crossed the warm waters of the Atlantic toward the islands.", "Atlantic", "3373405"),
    ("Oil platforms in the Gulf of Mexico were evacuated ahead of the storm.", "Gulf of Mexico", None),
    ("Boko Haram fighters raided a fishing camp on an island in Lake Chad, residents said.", "Lake Chad", None),
    ("Rebels fired on a ferry crossing Lake Kivu near Goma.", "Lake Kivu", None),
    ("A cargo ship lost forty containers in the northern Pacific during the storm.", "Pacific", "2363254"),
])
def test_a_named_sea_in_news_text_is_the_water_body(real_geoparser, text, name, gid):
    place = place_named(real_geoparser, text, name)
    assert place is not None and place.layer == "water" and place.geonameid == gid
    if gid is None:   # Natural Earth's polygon, at its label point
        assert place.name == name and place.id.startswith("new:")


@pytest.mark.parametrize("text, name, level", [
    # a bare name that is also a country stays the country
    ("Jordan closed its border crossing after the attack, officials in Amman said.", "Jordan", "country"),
    ("Soldiers in Niger repelled an attack near the Malian border on Friday.", "Niger", "country"),
    # a bare name that is also a town is the town without "the" before it
    ("The school board of Atlantic, Iowa voted on Monday to close two buildings.", "Atlantic", "city"),
    # a level word after a name that is also a region picks the region ("Red Sea state" of Sudan)
    ("Floods in Red Sea state, Sudan, cut the road to Port Sudan.", "Red Sea", "province"),
])
def test_a_name_shared_with_land_stays_on_land_unless_the_text_says_water(real_geoparser, text, name, level):
    place = place_named(real_geoparser, text, name)
    assert place is not None and place.layer != "water" and place.level.value == level


@pytest.mark.parametrize("rows, line, message", [
    (GOOD + GOOD, 3, "duplicate geonameid 80303"),
    ("80303,Gulf of Aden,PPL,12,48,Gulf of Aden,GeoNames\n", 2, "not a water body's"),
    ("80303,Gulf of Aden,GULF,95,48,Gulf of Aden,GeoNames\n", 2, "latitude must be finite and within"),
    ("80303,Gulf of Aden,GULF,12,190,Gulf of Aden,GeoNames\n", 2, "longitude must be finite and within"),
    ("aden,Gulf of Aden,GULF,12,48,Gulf of Aden,GeoNames\n", 2, "must be a number"),
    ("80303,Gulf of Aden,GULF,12,48,Gulf of Aden,\n", 2, "missing source"),
])
def test_a_bad_row_names_file_and_line(tmp_path, rows, line, message):
    path = tmp_path / WATER_FILE
    path.write_text(HEADER + rows, encoding="utf-8")
    with pytest.raises(ImportFileError, match=message) as info:
        load_water(path)
    assert info.value.line == line and f"{path}:{line}:" in str(info.value)


@pytest.mark.parametrize("rows, line, message", [
    ("new:lake-chad,Lake Chad,LK,13.1,14.5,Lake Chad,NE\nnew:lake-chad,Lake Chad,LK,13,14,Lake Chad,NE\n", 3,
     "duplicate id new:lake-chad"),
    ("ne:lake-chad,Lake Chad,LK,13.1,14.5,Lake Chad,NE\n", 2, "id must start with 'new:'"),
    ("new:lake-chad,Lake Chad,PPL,13.1,14.5,Lake Chad,NE\n", 2, "not a water body's"),
    ("new:lake-chad,,LK,13.1,14.5,Lake Chad,NE\n", 2, "missing name"),
])
def test_a_bad_natural_earth_row_names_file_and_line(tmp_path, rows, line, message):
    path = tmp_path / WATER_NE_FILE
    path.write_text("id,name,feature_code,lat,lon,names,source\n" + rows, encoding="utf-8")
    with pytest.raises(ImportFileError, match=message) as info:
        load_water(path)
    assert info.value.line == line and f"{path}:{line}:" in str(info.value)


def test_a_bad_water_file_leaves_no_index_behind(tmp_path, monkeypatch):
    from gazetteer.index.build import build_index
    from gazetteer.layers.water import WaterLayer

    bad = tmp_path / WATER_FILE
    bad.write_text(HEADER + GOOD + GOOD, encoding="utf-8")
    monkeypatch.setattr(water, "water_path", lambda: bad)
    target = tmp_path / "index.sqlite"
    with pytest.raises(ImportFileError, match="duplicate geonameid"):
        build_index(target, [WaterLayer()])
    assert sorted(p.name for p in tmp_path.iterdir()) == [WATER_FILE]


STORY = ("DJIBOUTI (Reuters) - Gunmen in two skiffs fired rockets at a Liberian-flagged tanker in the Gulf of Aden "
         "on Monday, killing two sailors, the ship's operator said.\n")


def test_an_incident_at_sea_is_exported_at_the_sea_and_summarised_outside_any_region(cli, tmp_path):
    src = tmp_path / "story.txt"
    src.write_text(STORY, encoding="utf-8")
    out = tmp_path / "out.geojson"
    proc = cli("extract", str(src), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    (feature,) = json.loads(out.read_text(encoding="utf-8"))["features"]
    props = feature["properties"]
    assert props["geonameid"] == "80303" and props["country_code"] is None and props["admin1"] is None
    assert props["geo_precision"] == 3   # a sea says only roughly where, like a region
    assert feature["geometry"]["coordinates"] == [48.0, 12.0]
    for by in ("admin1", "country"):
        proc = cli("summary", str(src), "--by", by, "--format", "json")
        assert proc.returncode == 0, proc.stderr
        (row,) = json.loads(proc.stdout)
        assert row["region"] == "(outside known regions)" and row["country"] is None
        assert row["incidents"] == 1 and row["top_places"] == [{"name": "Gulf of Aden", "incidents": 1}]


def test_a_town_in_the_sentence_is_where_it_happened_rather_than_the_sea(cli, tmp_path):
    src = tmp_path / "story.txt"
    src.write_text("BEIRUT (Reuters) - Warships shelled a boat in the Mediterranean near Tyre on Tuesday, killing two "
                   "fishermen, Lebanese officials said.\n", encoding="utf-8")
    out = tmp_path / "out.geojson"
    assert cli("extract", str(src), "-o", str(out)).returncode == 0
    (feature,) = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert feature["properties"]["place_name"] == "Tyre"


def test_off_a_town_is_near_it_at_sea(cli, tmp_path):
    src = tmp_path / "story.txt"
    src.write_text("TRIPOLI (Reuters) - Gunmen opened fire on a fishing boat off Misrata in the Mediterranean on "
                   "Tuesday, killing two fishermen, officials said.\n", encoding="utf-8")
    out = tmp_path / "out.geojson"
    assert cli("extract", str(src), "-o", str(out)).returncode == 0
    (feature,) = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert feature["properties"]["place_name"] == "Misrata" and feature["properties"]["geo_precision"] == 2


@pytest.mark.parametrize("story", [
    # the sea's name describes the port: not where the arrests were
    "PARIS (Reuters) - Police arrested six men in Lyon and in the Mediterranean port city of Toulon on Thursday, "
    "prosecutors said.",
    # a sea on the way is not where anything happened
    "MOSCOW (Reuters) - A Russian destroyer armed with cruise missiles sailed en route to the eastern Mediterranean "
    "early on Friday, a shipping monitor said.",
])
def test_a_sea_named_in_passing_is_no_incident_place(cli, tmp_path, story):
    src = tmp_path / "story.txt"
    src.write_text(story + "\n", encoding="utf-8")
    out = tmp_path / "out.geojson"
    assert cli("extract", str(src), "-o", str(out)).returncode == 0
    places = [f["properties"]["place_name"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]]
    assert "Mediterranean Sea" not in places
