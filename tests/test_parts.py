"""Parts of a known town (gazetteer.resolve.parts): placed at their town, keeping their own name and level."""

from __future__ import annotations

import json

import pytest

from gazetteer.geoparser import Geoparser
from gazetteer.model import Level, Mention, Place, Toponym
from gazetteer.resolve import part_rules
from gazetteer.resolve.parts import load_rules, place_parts
from tests.conftest import SEEDS

MOSUL = "gn:99072"


def _town(start: int, text: str, pid: str = MOSUL, cc: str = "IQ", name: str = "Mosul") -> Toponym:
    return Toponym(Mention(start, start + len(text), text), Place(pid, name, 36.335, 43.119, Level.CITY, "geonames", cc), 1.0)


def _parts(text: str, names: list[str], towns: tuple[str, ...] = ("Mosul",)) -> dict[str, Place | None]:
    """Run place_parts on `text` with `names` unresolved and every occurrence of `towns` resolved to Mosul."""
    tops = []
    for name in names:
        at = text.index(name)
        tops.append(Toponym(Mention(at, at + len(name), name), None, 0.0))
    for town in towns:
        at = text.find(town)
        while at >= 0:
            tops.append(_town(at, town))
            at = text.find(town, at + 1)
    tops.sort(key=lambda t: t.mention.start)
    return {t.mention.text: t.place for t in place_parts(text, tops, new_mentions=True) if t.mention.text not in towns}


@pytest.mark.parametrize("text, name, level, within", [
    # the part-of pattern: the part, a part word, "of"/"in" and a side of the town
    ("Troops entered the Wahda district of east Mosul.", "Wahda", Level.DISTRICT, "east Mosul"),
    ("A battle at Jada district in western Mosul.", "Jada", Level.DISTRICT, "west Mosul"),
    ("Karama, a district of Mosul, was retaken.", "Karama", Level.DISTRICT, "Mosul"),
    ("Clashes in the Zuhour neighborhood of Mosul.", "Zuhour", Level.NEIGHBOURHOOD, "Mosul"),
    # a name whose later word has its own Arabic article
    ("Troops recaptured the Bab al-Tob district of western Mosul.", "Bab al-Tob", Level.DISTRICT, "west Mosul"),
    # the town's possessive before the part
    ("Troops entered Mosul's Intisar neighbourhood.", "Intisar", Level.NEIGHBOURHOOD, "Mosul"),
    ("Troops entered Mosul’s eastern Sukkar district.", "Sukkar", Level.DISTRICT, "east Mosul"),
    # an apposition naming the town
    ("They left Hay al-Tanak, one of Mosul's largest districts.", "al-Tanak", Level.NEIGHBOURHOOD, "Mosul"),
    # a hinted quarter of a story about a town's parts
    ("Fighting raged in east Mosul. A civilian in the Wahda district said helicopters fired.", "Wahda",
     Level.DISTRICT, "Mosul"),
    ("Mosul's neighbourhoods were shelled. Troops advanced in the northern district of Sada.", "Sada",
     Level.DISTRICT, "Mosul"),
])
def test_a_part_the_text_ties_to_its_town_sits_at_the_town_with_its_own_name_and_level(text, name, level, within):
    place = _parts(text, [name] if name in text and not name.startswith("al-") else [])[name]
    assert (place.name, place.level, place.within, place.located_at) == (name, level, within, "parent")
    assert (place.lat, place.lon, place.parent_id, place.country_code) == (36.335, 43.119, MOSUL, "IQ")


@pytest.mark.parametrize("text, name", [
    # "east of" makes a town a reference point, not a whole: Khazir camp is outside Mosul
    ("She lives in a camp in Khazir, east of Mosul.", "Khazir"),
    # a camp lies outside its town: only a tie of its own places it
    ("Fighting raged in east Mosul. Families reached Khazir camp on Monday.", "Khazir"),
    # a quarter with no tie, in a story that never speaks of its town's parts
    ("Mosul was quiet. Officials said the Intisar district was calm.", "Intisar"),
])
def test_a_name_the_text_does_not_tie_to_a_town_stays_unresolved(text, name):
    assert _parts(text, [name])[name] is None


@pytest.mark.parametrize("text, name", [
    ("Gunmen opened fire near the Nabi Younis Mosque in Mosul on Friday.", "Nabi Younis Mosque"),
    ("Mosul's airport reopened. Protesters marched along Nineveh Street, residents of Mosul said.", "Nineveh Street"),
])
def test_a_site_the_layers_lack_sits_at_the_town_its_sentence_names(text, name):
    place = _parts(text, [name])[name]
    assert (place.name, place.level, place.located_at, place.parent_id) == (name, Level.LANDMARK, "parent", MOSUL)
    assert "its sentence names that town" in place.source


@pytest.mark.parametrize("text, name", [
    # the town is in another sentence
    ("Troops entered Mosul on Monday. Protesters gathered in Liberation Square.", "Liberation Square"),
    # no site word: a name the layers lack stays unresolved
    ("Fighting went on near Zanjili in Mosul.", "Zanjili"),
])
def test_a_site_whose_sentence_names_no_town_stays_unresolved(text, name):
    assert _parts(text, [name])[name] is None


def test_a_part_gains_its_sibling_and_its_later_bare_uses():
    text = "Fighting raged in east Mosul. Troops retook the al-Thaura and al-Saha districts, then pushed into al-Saha."
    found = place_parts(text, [_town(23, "Mosul"), Toponym(Mention(text.index("al-Saha"), text.index("al-Saha") + 7, "al-Saha"), None, 0.0)],
                        new_mentions=True)
    named = [(t.mention.text, t.place.located_at) for t in found if t.place is not None and t.mention.text != "Mosul"]
    assert named == [("al-Thaura", "parent"), ("al-Saha", "parent"), ("al-Saha", "parent")]
    # resolving given spans (gold) keeps one toponym per mention
    assert len(place_parts(text, found[:2])) == 2


def test_a_generic_part_name_is_read_in_the_story_s_town_not_abroad():
    text = "Troops circled the Old City. Mosul residents fled Mosul."
    jerusalem = Place("gn:6945291", "Old City", 31.77667, 35.23417, Level.CITY, "geonames", "PS")
    tops = [Toponym(Mention(19, 27, "Old City"), jerusalem, 0.71), _town(29, "Mosul"), _town(50, "Mosul")]
    [old_city] = [t.place for t in place_parts(text, tops) if t.mention.text == "Old City"]
    assert (old_city.name, old_city.parent_id, old_city.country_code, old_city.located_at) == ("Old City", MOSUL, "IQ", "parent")
    # ... and kept where the story's town holds it
    tops = [Toponym(Mention(19, 27, "Old City"), jerusalem, 0.71), _town(29, "Jerusalem", "gn:281184", "IL", "Jerusalem")]
    tops[1] = Toponym(tops[1].mention, Place("gn:281184", "Jerusalem", 31.769, 35.216, Level.CITY, "geonames", "IL"), 1.0)
    assert place_parts("Troops circled the Old City. Jerusalem police said.", tops)[0].place is jerusalem


def test_a_generic_part_name_with_no_town_is_never_in_a_country_the_story_does_not_name():
    text = "Troops circled the Old City, Iraq's army said."
    jerusalem = Place("gn:6945291", "Old City", 31.77667, 35.23417, Level.CITY, "geonames", "PS")
    iraq = Place("ne0:IQ", "Iraq", 33.0, 43.7, Level.COUNTRY, "naturalearth", "IQ")
    tops = [Toponym(Mention(19, 27, "Old City"), jerusalem, 0.71), Toponym(Mention(29, 33, "Iraq"), iraq, 1.0)]
    assert place_parts(text, tops)[0].place is None


def test_the_rules_file_names_its_line_on_a_bad_row(tmp_path, monkeypatch):
    bad = tmp_path / "city_parts.csv"
    bad.write_text("# comment\nkind,word,value\npart,district,district\npart,ward,borough\n", encoding="utf-8")
    monkeypatch.setattr(part_rules, "_DATA", bad)
    load_rules.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"city_parts.csv:4: .*level"):
            load_rules()
    finally:
        load_rules.cache_clear()


@pytest.mark.slow
def test_the_seed_mosul_quarters_and_old_city_resolve_inside_mosul(cli, gazetteer_index):
    proc = cli("places", "--unresolved", "-q", str(SEEDS))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    placed = {}
    for r in rows:
        placed.setdefault(r["text"], []).append(r)
    for name in ("Wahda", "Palestine", "Intisar", "Sada", "al-Tanak", "Saha", "al-Thaura", "Jada", "Old City"):
        assert placed.get(name), f"{name} not found in the seeds"
        for r in placed[name]:
            assert (r["name"], r["located_at"], r["parent_id"], r["country_code"]) == (name, "parent", MOSUL, "IQ"), r
            assert (r["lat"], r["lon"]) == (36.335, 43.11889)
    assert {r["level"] for r in placed["Old City"]} == {"neighbourhood"}
    assert any(r["within"] == "west Mosul" for r in placed["Jada"])
    # Khazir camp, east of Mosul, has no public coordinate: unresolved, never Turkmenistan's Hazar
    assert placed["Khazir"] and all(r["place_id"] is None and r["reason"] for r in placed["Khazir"])
    assert any(r["reason"].startswith("a camp with no public coordinate") for r in placed["Khazir"])
    assert not any(r["country_code"] == "TM" for r in rows)


@pytest.mark.slow
def test_an_incident_in_a_part_carries_the_part_name_at_its_town_with_town_precision(cli, gazetteer_index, tmp_path):
    story = tmp_path / "wahda.txt"
    story.write_text(
        "Car bomb kills five in east Mosul\n\nMOSUL, Iraq (Reuters) - A car bomb exploded in the Wahda district of "
        "east Mosul on Tuesday, killing five civilians, police said.\n", encoding="utf-8")
    out = tmp_path / "out.geojson"
    proc = cli("extract", str(story), "-o", str(out), "-q")
    assert proc.returncode == 0, proc.stderr
    [feature] = json.loads(out.read_text())["features"]
    props = feature["properties"]
    assert (props["place_name"], props["located_at"], props["geo_precision"]) == ("Wahda", "parent", 1)
    assert feature["geometry"]["coordinates"] == [43.11889, 36.335]
    assert any("located at Mosul" in n for n in props["notes"])


def test_geoparser_lookup_of_a_part_name_explains_how_parts_are_placed(cli):
    proc = cli("gazetteer", "lookup", "Wahda")
    assert "no place named 'Wahda'" in proc.stderr
    assert "placed at its town" in proc.stderr


def test_geoparser_resolve_keeps_one_toponym_per_mention():
    from tests.fake_gazetteer import FakeIndex

    geo = Geoparser.from_index(FakeIndex())
    text = "Troops entered the Wahda district of east Mosul."
    mentions = [Mention(19, 24, "Wahda"), Mention(42, 47, "Mosul")]
    assert [t.mention for t in geo.resolve(text, mentions)] == mentions


def test_a_part_name_the_matcher_does_not_know_is_found_from_its_tie_without_the_sentence_s_first_word():
    found = _parts("The Wahda district of east Mosul was shelled. Mosul's Zuhour district was calm.", [])
    assert set(found) == {"Wahda", "Zuhour"}
    assert found["Wahda"].within == "east Mosul" and found["Zuhour"].located_at == "parent"


def test_lookup_of_a_name_with_only_sound_alikes_says_so(cli):
    proc = cli("gazetteer", "lookup", "Khazir")
    assert "no place named 'Khazir'" in proc.stderr and "only sound alike" in proc.stderr


@pytest.mark.slow
def test_the_map_popup_names_the_part_and_the_town_it_is_located_at(cli, gazetteer_index, tmp_path):
    story = tmp_path / "wahda.txt"
    story.write_text("Car bomb kills five in east Mosul\n\nMOSUL, Iraq (Reuters) - A car bomb exploded in the Wahda "
                     "district of east Mosul on Tuesday, killing five civilians, police said.\n", encoding="utf-8")
    out = tmp_path / "map.html"
    proc = cli("map", str(story), "-o", str(out), "-q")
    assert proc.returncode == 0, proc.stderr
    assert "Wahda (east Mosul), located at Mosul" in out.read_text(encoding="utf-8")


def test_a_town_the_layers_have_is_never_made_a_part_of_another():
    text = "Cars were set alight in the Pretoria suburb of Sunnyside."
    pretoria = Toponym(Mention(28, 36, "Pretoria", hint="neighbourhood"),
                       Place("gn:964137", "Pretoria", -25.74, 28.19, Level.CITY, "geonames", "ZA"), 0.99)
    sunnyside = _town(text.index("Sunnyside"), "Sunnyside", "gn:1", "ZA", "Sunnyside")
    assert place_parts(text, [pretoria, sunnyside])[0] is pretoria
