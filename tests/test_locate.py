"""Place choice for incidents: what ties a place to a trigger, and what is never an incident's place."""

import datetime as dt

import pytest

from geo.extract.incidents import Rules, extract_incidents
from geo.extract.locate import Placer, contains, geo_precision
from geo.extract.taxonomy import Taxonomy
from geo.model import (
    Article,
    Dateline,
    DatePrecision,
    GeoPrecision,
    Level,
    Mention,
    Place,
    Span,
    Toponym,
)
from geo.read.text import sentences

TAX = Taxonomy.load()
MOSUL = Place("t:mosul", "Mosul", 36.34, 43.13, Level.CITY, "user", "IQ", "Nineveh")
IRAQ = Place("t:iq", "Iraq", 33.0, 44.0, Level.COUNTRY, "user", "IQ")
SYRIA = Place("t:sy", "Syria", 35.0, 38.0, Level.COUNTRY, "user", "SY")
QAIM = Place("t:qaim", "Al Qaim", 34.37, 41.09, Level.CITY, "user", "IQ", "Anbar")
OMAN_TOWN = Place("t:saham", "Saham", 24.17, 56.89, Level.CITY, "user", "OM")
TEXAS_TOWN = Place("t:palestine", "Palestine", 31.76, -95.63, Level.CITY, "user", "US", "Texas")
BUSHLAND = Place("t:bushland", "Bushland", 35.19, -102.06, Level.CITY, "user", "US", "Texas")
US = Place("t:us", "United States", 39.0, -98.0, Level.COUNTRY, "user", "US")
ADANA = Place("t:adana", "Adana", 37.0, 35.3, Level.PROVINCE, "user", "TR", "Adana")
IZMIR = Place("t:izmir", "Izmir", 38.4, 27.1, Level.PROVINCE, "user", "TR", "Izmir")
ANKARA = Place("t:ankara", "Ankara", 39.9, 32.9, Level.CITY, "user", "TR", "Ankara")
BURSA = Place("t:bursa", "Bursa", 40.2, 29.1, Level.PROVINCE, "user", "TR", "Bursa")
LONDON = Place("t:london", "London", 51.5, -0.1, Level.CITY, "user", "GB")
MACEDONIA = Place("t:mk", "Macedonia", 41.6, 21.7, Level.COUNTRY, "user", "MK")


def run(body, names, *, dateline=None, date=dt.date(2017, 4, 21)):
    """Incidents of `body` with toponyms for each (text, place, score) in `names`, found in order."""
    topos, pos = [], 0
    for text, place, score in names:
        start = body.index(text, pos)
        source = "dateline" if dateline and start < dateline.end else "gazetteer"
        topos.append(Toponym(Mention(start, start + len(text), text, source=source), place, score))
        pos = start + len(text)
    a = Article("t", body, date=date, date_precision=DatePrecision.DAY, body_span=Span(0, len(body)),
                dateline=Dateline((names[0][0],), None, dateline) if dateline else None)
    return extract_incidents(a, topos, taxonomy=TAX, actors=None)


def test_site_missing_from_the_gazetteer_is_coded_to_its_town_with_a_note():
    body = "Iraqi troops in Mosul were hit by six suicide car bombs at Salam hospital on Tuesday."
    (inc,) = run(body, [("Mosul", MOSUL, 1.0), ("Salam", OMAN_TOWN, 0.74)])
    assert inc.place.name == "Mosul" and inc.geo_precision is GeoPrecision.TOWN
    assert any("Salam hospital" in n for n in inc.notes)


def test_neighbourhood_named_like_a_far_town_is_not_that_town():
    body = ("Iraqi forces fought in Mosul on Monday. Police said there were heavy clashes in the "
            "Palestine district on Thursday, killing five militants.")
    incs = run(body, [("Mosul", MOSUL, 1.0), ("Palestine", TEXAS_TOWN, 0.67)])
    assert incs and all(i.place.country_code == "IQ" for i in incs)
    assert any("Palestine district" in n for i in incs for n in i.notes)


def test_a_person_is_never_a_place():
    body = "Gunmen shot dead six people on Friday, said President George W. Bush."
    (inc,) = run(body, [("Bush", BUSHLAND, 0.79)])
    assert inc.place is None


def test_border_country_is_a_landmark_not_the_place():
    body = "Air strikes hit a town in Iraq close to the border with Syria on Wednesday, killing 20 people."
    (inc,) = run(body, [("Iraq", IRAQ, 1.0), ("Syria", SYRIA, 1.0)])
    assert inc.place.name == "Iraq"


def test_country_naming_who_struck_is_not_where():
    body = "A U.S. missile strike on Syria on Thursday destroyed an air base."
    (inc,) = run(body, [("U.S.", US, 1.0), ("Syria", SYRIA, 1.0)])
    assert inc.place.name == "Syria"


def test_place_as_adjective_is_not_the_place():
    body = "Two men were arrested on Monday in a U.S.-backed operation."
    (inc,) = run(body, [("U.S.", US, 1.0)])
    assert inc.place is None


def test_distinct_places_in_one_sentence_make_distinct_incidents():
    body = ("Eleven foreign nationals were arrested in the southern province of Adana on Friday and seven "
            "were arrested in the western province of Izmir.")
    incs = run(body, [("Adana", ADANA, 0.97), ("Izmir", IZMIR, 0.97)])
    assert sorted(i.place.name for i in incs) == ["Adana", "Izmir"]
    assert len({i.id for i in incs}) == 2


def test_coordinated_places_each_get_the_incident():
    body = "Police arrested more than 190 people on Thursday in the capital Ankara and the province of Bursa."
    incs = run(body, [("Ankara", ANKARA, 0.97), ("Bursa", BURSA, 0.9)])
    assert sorted(i.place.name for i in incs) == ["Ankara", "Bursa"]


def test_a_reference_point_after_a_comma_is_not_a_coordinated_place():
    deir = Place("t:deir", "Deir ez-Zor", 35.33, 40.14, Level.CITY, "user", "SY", "Deir ez-Zor")
    mayadin = Place("t:mayadin", "Al Mayadin", 35.02, 40.45, Level.CITY, "user", "SY", "Deir ez-Zor")
    body = ("Syria's army has encircled Islamic State in the city of al-Mayadin, southeast of Deir al-Zor, "
            "a military source said on Sunday.")
    incs = run(body, [("al-Mayadin", mayadin, 0.95), ("Deir al-Zor", deir, 0.95)])
    assert [i.place.name for i in incs] == ["Al Mayadin"]
    # a list of like places still gives each its incident
    raqqa = Place("t:raqqa", "Raqqa", 35.95, 39.01, Level.CITY, "user", "SY", "Raqqa")
    body = "Air strikes hit al-Mayadin, Deir al-Zor and Raqqa on Sunday, killing 20 people."
    incs = run(body, [("al-Mayadin", mayadin, 0.95), ("Deir al-Zor", deir, 0.95), ("Raqqa", raqqa, 0.95)])
    assert sorted(i.place.name for i in incs) == ["Al Mayadin", "Deir ez-Zor", "Raqqa"]


def test_a_seat_of_government_acting_is_no_place_but_one_where_things_happen_is():
    moscow = Place("t:moscow", "Moscow", 55.75, 37.62, Level.CITY, "user", "RU", "Moscow", population=12_000_000)
    washington = Place("t:dc", "Washington", 38.9, -77.04, Level.CITY, "user", "US", "District of Columbia")
    body = "The Kremlin first launched air strikes in Syria in September 2015, turning the tide of the war."
    incs = run(body, [("Kremlin", moscow, 0.95), ("Syria", SYRIA, 1.0)])
    assert [i.place.name for i in incs] == ["Syria"]
    body = "Police arrested 20 protesters outside the White House on Monday."
    incs = run(body, [("White House", washington, 0.95)])
    assert {i.place.name for i in incs} == {"Washington"}


def test_a_demonym_backs_up_a_lone_town_of_its_country():
    raqqa = Place("t:raqqa", "Raqqa", 35.95, 39.01, Level.CITY, "user", "SY", "Raqqa")
    body = ("Syrian troops declared victory in Raqqa in Syria on Friday. Iraqi forces began their own "
            "offensive on Friday, entering the town of Qaim.")
    names = [("Raqqa", raqqa, 1.0), ("Syria", SYRIA, 1.0), ("Qaim", QAIM, 0.9)]
    assert "Al Qaim" in {i.place.name for i in run(body, names) if i.place}
    # without "Iraqi" the lone town in a country the story never names is still taken for a namesake
    body = body.replace("Iraqi forces", "Forces")
    assert "Al Qaim" not in {i.place.name for i in run(body, names) if i.place}


def test_same_place_twice_in_one_sentence_is_one_incident():
    body = "Police arrested two men in Mosul on Monday and arrested a third man in Mosul later."
    incs = run(body, [("Mosul", MOSUL, 1.0), ("Mosul", MOSUL, 1.0)])
    assert len(incs) == 1


def test_dateline_abroad_gives_way_to_the_country_the_story_is_about():
    body = ("LONDON (Reuters) - Macedonia wants to join the EU, officials in Macedonia said.\n\n"
            "In April protesters stormed parliament on Thursday and beat lawmakers, wounding 10.")
    incs = run(body, [("LONDON", LONDON, 0.93), ("Macedonia", MACEDONIA, 0.64), ("Macedonia", MACEDONIA, 0.64)],
               dateline=Span(0, 6))
    assert [i.place.name for i in incs] == ["Macedonia"] and "place from story" in incs[0].notes


def test_one_mention_of_another_country_does_not_make_the_dateline_abroad():
    body = ("LONDON (Reuters) - Protesters stormed a town hall and beat officials on Thursday, wounding 10. "
            "The violence was condemned in Macedonia.")
    incs = run(body, [("LONDON", LONDON, 0.93), ("Macedonia", MACEDONIA, 0.64)], dateline=Span(0, 6))
    assert [i.place.name for i in incs] == ["London"]


def test_dateline_at_home_is_still_the_fallback():
    body = "MOSUL (Reuters) - Gunmen opened fire on a bus in Iraq's north on Friday, killing six people."
    (inc,) = run(body, [("MOSUL", MOSUL, 1.0), ("Iraq", IRAQ, 1.0)], dateline=Span(0, 5))
    assert inc.place.name in {"Mosul", "Iraq"}


@pytest.mark.parametrize("level,near,expected", [
    (Level.CITY, False, 1), (Level.CITY, True, 2), (Level.DISTRICT, False, 2), (Level.PROVINCE, False, 3),
    (Level.COUNTRY, True, 3),
])
def test_acled_geo_precision_by_level(level, near, expected):
    assert geo_precision(level, near=near).value == expected


def test_country_contains_its_towns_but_not_others():
    assert contains(IRAQ, MOSUL) and not contains(SYRIA, MOSUL) and not contains(MOSUL, IRAQ)


def test_placer_judges_only_what_it_is_asked_about():
    body = "Air strikes hit Qaim on Monday."
    placer = Placer(Article("t", body), [Toponym(Mention(16, 20, "Qaim"), QAIM, 1.0)], Rules.load())
    (s,) = sentences(body)
    assert placer.in_sentence(s, (0, 11)).place is QAIM
