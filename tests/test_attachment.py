"""Where and when an event happened, through the real pipeline and gazetteer, on wire excerpts written for
these tests: the error classes of issue 16 (a date from a "since" phrase, a country sending its forces
taken for the scene, a reporter's dateline taken for the scene)."""

import datetime as dt

import pytest

from geo.model import Article, DatePrecision, GeoPrecision
from geo.read.wire import find_dateline
from geo.run.pipeline import Pipeline, Settings


@pytest.fixture(scope="module")
def pipeline():
    return Pipeline()


def incidents(pipeline, text, *, date=dt.date(2017, 10, 3)):
    """The incidents of `text` read as the article reader reads it (its dateline found the same way)."""
    a = Article("t", text, title="Test", date=date, date_precision=DatePrecision.DAY, dateline=find_dateline(text))
    return pipeline.process(a).incidents


def test_a_since_phrase_never_dates_the_event(pipeline):
    text = ("BEIRUT (Reuters) - Seventeen people were killed in a bomb attack in the Midan district of Damascus, "
            "the first attack of its kind in the capital since July, state media said.")
    found = incidents(pipeline, text)
    assert found
    assert all(i.date != dt.date(2017, 7, 1) for i in found)


def test_a_toll_counted_since_a_month_is_no_incident(pipeline):
    text = ("COX'S BAZAR, Bangladesh (Reuters) - More than 500,000 Rohingya have fled to Bangladesh since late "
            "August, aid agencies said on Tuesday, as the United Nations called for more help for the camps.")
    assert not [i for i in incidents(pipeline, text) if i.date == dt.date(2017, 8, 1)]


@pytest.mark.parametrize("text,country", [
    ("Four U.S. soldiers were killed on Wednesday in an ambush by militants, officials said.", "United States"),
    ("U.S. drones killed 14 militants in a strike on Monday, a local official said.", "United States"),
    ("Gunmen abducted two U.S. contractors on Monday as they drove to work, police said.", "United States"),
])
def test_a_country_before_whom_it_sends_is_not_where(pipeline, text, country):
    found = incidents(pipeline, text)
    assert found, text
    assert all(i.place is None or i.place.name != country for i in found)


def test_a_dateline_town_the_story_never_names_again_stands_in_only_as_its_country(pipeline):
    text = ("MANILA (Reuters) - Philippine security forces on Sunday arrested the wife of a slain militant "
            "leader, the army said. She was found with explosives, officials said.")
    (inc,) = [i for i in incidents(pipeline, text, date=dt.date(2017, 11, 5)) if i.type == "arrest"]
    assert inc.place.name == "Philippines" and inc.geo_precision is GeoPrecision.REGION
    assert "place from dateline" in inc.notes and inc.date == dt.date(2017, 11, 5)


def test_a_dateline_town_the_story_is_about_stays_the_place(pipeline):
    text = ("MOSUL, Iraq (Reuters) - Islamic State militants shelled a camp for displaced people on Friday, "
            "killing six. The camp lies on the road east of Mosul, in Nineveh province.")
    found = incidents(pipeline, text, date=dt.date(2017, 4, 21))
    assert found and found[0].place.name == "Mosul"


# Where a person is from (locate._origin): who, not where.

@pytest.mark.parametrize("text", [
    "Two guards were wounded when a gunman, identified as Peter Novak, 41, from the Denver suburb of Aurora, "
    "opened fire at a rally on Saturday.",
    "A 27-year-old soldier from Kharkiv was killed when a mine exploded on Friday.",
    "Cpl. Dana Reyes, 24, of Fresno, California, died in the blast on Friday, the army said.",
])
def test_where_a_person_is_from_is_not_where_the_event_happened(pipeline, text):
    found = incidents(pipeline, text, date=dt.date(2017, 6, 12))
    assert found and all(i.place is None for i in found), [(i.type, i.place_text) for i in found]


def test_where_a_person_was_born_is_not_where_the_event_happened(pipeline):
    text = "A bomber born in Tajikistan blew himself up on a crowded train on Monday, killing 11, officials said."
    found = incidents(pipeline, text, date=dt.date(2017, 4, 4))
    assert found and all(i.place is None for i in found), [(i.type, i.place_text) for i in found]


def test_a_place_after_a_persons_age_with_in_is_still_where(pipeline):
    text = "Police arrested the opposition activist Ahmed Khan, 31, in Lahore on Tuesday."
    assert [(i.type, i.place_text) for i in incidents(pipeline, text, date=dt.date(2017, 6, 14))] == [("arrest", "Lahore")]


# Ordinary crime (decision weight `ordinary_crime`, cues.csv kinds offence and political, families.csv crime).

def test_an_ordinary_crime_story_gives_no_incident(pipeline):
    text = ("A Springfield man was arrested on Sunday on charges of armed robbery and theft after a traffic stop, "
            "police said. He was held on a $5,000 bond at the county jail.")
    assert incidents(pipeline, text) == ()


def test_a_crime_story_that_names_a_crowd_once_is_still_a_crime_story(pipeline):
    # one word of the political list ("crowd") against three offences: the story is still ordinary crime
    text = ("Deputies arrested a Lakeview man on Friday on charges of burglary and theft after a crowd of "
            "neighbours saw him leave a house with a television, the sheriff's office said. He was held "
            "without bail.")
    assert incidents(pipeline, text) == ()


def test_a_conflict_story_that_names_a_warrant_once_is_no_crime_story(pipeline):
    # one offence word ("warrant") among the militants, the troops and the army: political violence
    text = ("Soldiers arrested four suspected militants in a raid on a hideout near Maiduguri on Tuesday, "
            "the army said. Troops had been searching for the militants since the attack on a military "
            "convoy last week, and a court had issued a warrant for one of them.")
    assert "arrest" in [i.type for i in incidents(pipeline, text)]


@pytest.mark.parametrize("text, types", [
    ("Police in Ibadan arrested 12 men on suspicion of fraud on Tuesday after a raid on a cyber cafe.", []),
    ("More than 60 foreigners were detained in a raid on a villa in Bavet last week for suspected online scams.", []),
    ("Police in Ibadan arrested 12 men on suspicion of belonging to an armed group on Tuesday after a raid.",
     ["arrest"]),
])
def test_an_arrest_for_an_ordinary_offence_is_no_incident(pipeline, text, types):
    assert [i.type for i in incidents(pipeline, text, date=dt.date(2017, 10, 12))] == types


def test_an_arrest_of_activists_is_an_incident_even_on_a_drug_charge(pipeline):
    text = ("Police arrested three opposition activists in Tbilisi on Monday on drug charges their party "
            "called fabricated.")
    assert [i.type for i in incidents(pipeline, text)] == ["arrest"]


def test_a_crowd_beating_a_suspected_thief_is_still_mob_violence(pipeline):
    text = "On 9 November 2023, villagers in Nkongsamba beat to death a man caught with a stolen motorbike."
    assert [i.type for i in incidents(pipeline, text)] == ["mob_violence"]


# Notes and accidents (decision weights note_veto / note_below; cues.csv block row for accidents).

@pytest.mark.parametrize("text", [
    "On 12 August 2023, a chlorine leak at a water treatment plant in Mardan sickened 20 workers. "
    "Officials said the leak was accidental.",
    "On 4 June 2022, a lorry ploughed into a crowd at a bus station in Kaduna, killing 9; police said it was an "
    "accident.",
    "On 8 March 2021, a stampede at a food distribution point in Mogadishu killed 11 people.",
    "On 2 October 2020, a blast at an arms depot near Bishkek was blamed on a technical fault. No fatalities.",
    "On 3 May 2021, a fuel tanker exploded after a collision with a bus on the highway near Masaka. 12 fatalities.",
])
def test_an_accident_is_no_incident(pipeline, text):
    assert incidents(pipeline, text) == ()


@pytest.mark.parametrize("text", [
    "The navy said its new air-defence system intercepted a target drone in a test over the Black Sea on Monday.",
    "Paratroopers stormed a mock airfield near Konya during an exercise on Wednesday.",
])
def test_what_is_done_in_a_test_or_an_exercise_is_no_incident(pipeline, text):
    assert incidents(pipeline, text, date=dt.date(2019, 5, 9)) == ()


def test_an_interception_over_a_sea_is_still_an_incident(pipeline):
    text = "The navy said it intercepted a drone launched from Yemen over the Red Sea on Monday."
    assert [i.type for i in incidents(pipeline, text, date=dt.date(2019, 5, 9))] == ["weapons_disrupted"]


def test_a_short_note_is_a_note_and_a_story_is_not():
    from geo.extract.incidents import _is_note
    note = "On 9 June 2024, JNIM militants shelled an army camp near Kidal. 2 fatalities."
    assert _is_note(Article("n", note))
    story = "KIDAL, Mali (Reuters) - " + note + "\n\nThe army said it returned fire. " * 2
    assert not _is_note(Article("s", story, dateline=find_dateline(story)))


def test_a_note_the_detector_reads_as_an_event_is_still_one(pipeline):
    text = "On 9 June 2024, JNIM militants shelled an army camp near Kidal (Kidal, Kidal). 2 fatalities."
    assert [(i.type, i.fatalities) for i in incidents(pipeline, text, date=None)] == [("shelling", 2)]


def test_a_note_the_detector_reads_as_no_event_gives_none_despite_a_trigger_word(pipeline):
    text = ("On 7 March 2024, the Kenyan interior minister warned that police would arrest anyone who joined "
            "unlicensed protests in Nairobi.")
    assert incidents(pipeline, text, date=None) == ()


def test_a_place_named_with_its_kind_is_governed_by_the_preposition_before_it(pipeline):
    text = ("The army reached an air base besieged for years by Islamic State militants on the outskirts of the "
            "eastern city of Deir al-Zor on Saturday, a commander said.")
    found = incidents(pipeline, text, date=dt.date(2017, 9, 9))
    assert found and found[0].place is not None and found[0].place.name == "Deir ez-Zor"


def test_an_attack_named_by_its_day_is_the_strike_of_that_day_told_again(pipeline):
    text = ("PESHAWAR, Pakistan (Reuters) - A suspected U.S. drone strike on Monday killed 20 militants in the "
            "Kurram tribal region, officials said. A bomb had hit a market in Kurram last year.\n\n"
            "A Taliban source said two commanders were killed in Monday's attack.")
    found = incidents(pipeline, text, date=dt.date(2017, 10, 17))
    assert [i.type for i in found if i.date == dt.date(2017, 10, 16)] == ["air_strike"]
    assert len([i for i in found if i.type == "attack_on_civilians"]) == 0


# ACLED: attack vs clash by whether the victims were armed (cues.csv kinds armed_victim, armed_object).

@pytest.mark.parametrize("text,family", [
    ("Three police officers were shot dead in Baton Rouge on Sunday, police said.", "battle"),
    ("Gunmen shot dead two soldiers at a checkpoint in Kano on Monday.", "battle"),
    ("Gunmen killed five villagers in Zamfara on Monday, police said.", "violence_against_civilians"),
    ("Captured police officers were shot by militants in the desert west of Kirkuk on Sunday.",
     "violence_against_civilians"),
])
def test_an_attack_on_armed_forces_is_a_clash_unless_they_were_disarmed(pipeline, text, family):
    families = {pipeline.taxonomy.get(i.type).family for i in incidents(pipeline, text)}
    other = {"battle", "violence_against_civilians"} - {family}
    assert family in families and not families & other, families


def test_a_sentence_about_a_drill_tells_no_attack(pipeline):
    text = ("During the simulated anti-terror drills on Tuesday, a police team in Seoul shot down a drone "
            "carrying a mock bomb.")
    assert incidents(pipeline, text) == ()


# ACLED: air/drone strike vs shelling by who delivers it (cues.csv kind air_delivery).

@pytest.mark.parametrize("text,expected", [
    ("The drones fired missiles on Taliban hideouts in Kurram on Monday, killing 20 people.", "air_strike"),
    ("Missiles fired from a drone hit a car in Marib on Monday, killing three.", "air_strike"),
    ("Army artillery shelled rebel positions in Kidal on Monday as drones hovered overhead.", "shelling"),
])
def test_a_bombardment_from_the_air_is_an_air_strike(pipeline, text, expected):
    assert [i.type for i in incidents(pipeline, text)] == [expected]


# One event read two ways (decision weights rival_below / rival_above): a word of another family that the
# detector all but rules out, at the event's own place, is a word of that event.

@pytest.mark.parametrize("text,expected", [
    ("On 11 May 2022, gendarmes shot dead a student during a peaceful march against fuel prices in Bamenda. "
     "1 fatality.", ["protest_excessive_force"]),
    ("On 4 January 2024, displaced people in Bentiu held a demonstration to demand food deliveries.",
     ["protest"]),
])
def test_one_event_read_two_ways_is_one_incident(pipeline, text, expected):
    assert [i.type for i in incidents(pipeline, text)] == expected


def test_two_events_at_two_places_in_one_sentence_stay_two(pipeline):
    text = ("Gunmen killed four farmers in Gashua on Monday, and police in Damaturu later arrested two traders "
            "accused of selling them fuel.")
    found = {(pipeline.taxonomy.get(i.type).family, i.place_text) for i in incidents(pipeline, text)}
    assert found == {("violence_against_civilians", "Gashua"), ("strategic", "Damaturu")}, found


def test_an_event_dated_to_its_month_and_to_its_day_is_one_incident(pipeline):
    text = ("MAIDUGURI, Nigeria (Reuters) - Gunmen killed 14 traders at a cattle market in Maiduguri on March 3, "
            "police said.\n\nOn Friday, traders in the city were still mourning this month's massacre in "
            "Maiduguri, and many stalls stayed shut.")
    found = [i for i in incidents(pipeline, text, date=dt.date(2017, 3, 10))
             if pipeline.taxonomy.get(i.type).family == "violence_against_civilians"]
    assert [(i.place_text, i.date) for i in found] == [("Maiduguri", dt.date(2017, 3, 3))], found
    assert len(found[0].evidence) == 2

# Event frames (geo/extract/frames.py, geo/extract/attach.py): where a sentence offers two places or two dates,
# the ones the event's predicate governs in the sentence's parse (Settings.frames).

@pytest.fixture(scope="module")
def parsing():
    return Pipeline(Settings(frames=True))


@pytest.mark.parametrize("text", [
    "Delegates who met in Lusaka on Tuesday said gunmen shot dead four villagers in Chipata on Sunday.",
    pytest.param("Delegates who met in Lusaka on Tuesday said rioters looted shops in Chipata on Sunday.",
                 marks=pytest.mark.xfail(strict=True, reason=(
                     "the detector retrained with the sixteenth day's protest look-alikes reads this riot at 0.53 "
                     "(0.67 before; decision score 0.58 against the threshold 0.6), and the looting trigger is now "
                     "the riot's word (looting 0.09, under rival_below): no incident"))),
])
def test_the_date_the_event_verb_governs_wins_over_a_date_of_another_clause(parsing, text):
    found = incidents(parsing, text, date=dt.date(2017, 10, 3))
    assert found and {i.date for i in found} == {dt.date(2017, 10, 1)}
    assert all(i.date_evidence.text == "on Sunday" for i in found)


def test_a_place_another_predicate_governs_is_not_where_the_event_happened(parsing):
    text = "Rebels seized the town of Kidal on Friday, a week after talks in Algiers broke down on Thursday."
    found = incidents(parsing, text, date=dt.date(2017, 10, 3))
    assert found and all(i.place is None or i.place.name != "Algiers" for i in found)


def test_what_the_event_was_for_keeps_its_place(parsing):
    text = "Government troops launched an assault on Sunday to recapture Kidal from rebels, the army said in Bamako."
    found = incidents(parsing, text, date=dt.date(2017, 10, 3))
    assert [i.place_text for i in found] == ["Kidal"]


def test_a_diplomatic_protest_is_no_demonstration(pipeline):
    lodged = ("On 5 May 2021, Greece's foreign ministry lodged a formal protest with the Turkish ambassador in Athens "
              "over airspace violations.")
    marched = ("On 5 May 2021, hundreds of students staged a protest outside the Turkish embassy in Athens over "
               "airspace violations.")
    assert incidents(pipeline, lodged) == ()
    assert [i.type for i in incidents(pipeline, marched)] == ["protest"]


def test_goods_seized_are_no_territory_taken_but_weapons_seized_are_disrupted(pipeline):
    drugs = ["On 3 April 2022, police forces seized 2 tonnes of cocaine in a container at the port of Bissau.",
             "On 3 April 2022, soldiers captured a large haul of cannabis in a warehouse in Kandahar."]
    arms = "On 3 April 2022, soldiers seized a cache of rifles and ammunition in a village near Maiduguri."
    assert [incidents(pipeline, text) for text in drugs] == [(), ()]
    assert [i.type for i in incidents(pipeline, arms)] == ["weapons_disrupted"]


@pytest.mark.parametrize("text", [
    "Gunmen ambushed a convoy on Wednesday, killing four soldiers of the U.S. training mission, officials said.",
    "NIAMEY (Reuters) - The deaths of four soldiers in Wednesday's ambush have put a spotlight on the U.S. "
    "counter-terrorism mission in the West African nation.",
])
def test_a_country_right_before_any_word_of_what_it_does_is_not_where(pipeline, text):
    """Not only the listed words ("U.S. soldiers"): a country's name before a content word modifies it."""
    found = incidents(pipeline, text)
    assert found, text
    assert all(i.place is None or i.place.name != "United States" for i in found)


@pytest.mark.parametrize("text,place", [
    ("A Syria border town was shelled on Monday, killing three civilians, officials said.", "Syria"),
    ("Militants attacked a checkpoint in Iraq last week, killing five soldiers, officials said.", "Iraq"),
])
def test_a_country_before_a_part_of_its_land_or_a_time_word_stays_the_place(pipeline, text, place):
    found = incidents(pipeline, text)
    assert found and all(i.place is not None and i.place.name == place for i in found), found


@pytest.mark.parametrize("text,place", [
    ("KABUL (Reuters) - Militants attacked a checkpoint in Nangarhar province on Monday, killing five soldiers, "
     "officials said. The attack in the Achin district was claimed by Islamic State, officials said.", "Achin"),
    ("Militants attacked a checkpoint in Iraq on Monday, killing five soldiers, officials said. The attack near "
     "Tal Afar was the deadliest this month.", "Tal Afar"),
])
def test_a_retelling_inside_the_incidents_place_refines_it(pipeline, text, place):
    """One incident per event, its place from its most specific mention (issue 16, item 4)."""
    (inc,) = incidents(pipeline, text)
    assert inc.place.name == place and len(inc.evidence) == 2


def test_a_retelling_names_a_country_elsewhere_the_inherited_place_stays(real_geoparser):
    """A bare country in another country than the place an incident inherited is a party's, more often than the
    scene ("U.S. troops called in French fighter jets" told of an ambush in Niger); a town there, or a place
    inside what the incident says, does replace or refine it."""
    from geo.extract.locate import PlaceChoice
    from geo.extract.retellings import _says_more
    from geo.model import GeoPrecision
    from tests.conftest import place_named

    text = "Officials in Niger, France, Agadez and Paris said so."
    niger, france, agadez, paris = (place_named(real_geoparser, text, n) for n in ("Niger", "France", "Agadez", "Paris"))
    inherited = PlaceChoice(niger, "NIAMEY", GeoPrecision.REGION, "dateline")
    own = PlaceChoice(niger, "Niger", GeoPrecision.REGION, "sentence")
    said = {p.name: PlaceChoice(p, p.name, GeoPrecision.TOWN, "sentence") for p in (france, agadez, paris)}
    assert not _says_more(inherited, said["France"])
    assert _says_more(inherited, said["Agadez"]) and _says_more(inherited, said["Paris"])
    assert _says_more(own, said["Agadez"]) and not _says_more(own, said["Paris"])
    assert _says_more(None, said["France"])


def test_a_day_word_in_a_clause_counts_from_the_calendar_day_its_sentence_names(pipeline):
    """A weekday is counted from the time the text is about: beside "On 14 May 2023" it is no day five weeks
    later counted from publication (here it is even part of a group's name)."""
    text = ("On 14 May 2023, police detained 23 members of the Mothers of Saturday group in Istanbul as they "
            "tried to gather at Galatasaray Square.")
    (inc,) = incidents(pipeline, text, date=dt.date(2023, 6, 20))
    assert inc.date == dt.date(2023, 5, 14)


def test_a_weekday_in_the_event_clause_still_dates_it_beside_a_nearby_calendar_day(pipeline):
    text = "On Oct. 2, officials said, militants had attacked a checkpoint on Saturday, killing five soldiers."
    dates = {i.date for i in incidents(pipeline, text, date=dt.date(2017, 10, 3))}
    assert dates == {dt.date(2017, 9, 30)}, dates


def test_a_relative_clause_with_that_keeps_its_own_date(pipeline):
    """"the city that was overrun by Islamic State in 2014": the capture's clause is the relative clause, and the
    concert's day ("Wednesday's") is another clause's (issue 16: no date from outside the event's own clause)."""
    text = ("MOSUL, Iraq (Reuters) - Wednesday's hour-long concert marked his first return to the city that was "
            "overrun by Islamic State in 2014.")
    assert all(i.date != dt.date(2017, 4, 19) for i in incidents(pipeline, text, date=dt.date(2017, 4, 20)))


def test_the_previous_day_the_event_verb_governs_counts_from_the_day_told_before_it(parsing):
    text = ("Colombia's defence minister flew to Cauca on Sunday after dissident FARC fighters ambushed a military "
            "patrol near the town of Argelia the previous day, killing four soldiers, the army said.")
    found = incidents(parsing, text, date=dt.date(2018, 3, 13))
    assert found and {i.date for i in found} == {dt.date(2018, 3, 10)}    # the Saturday, not publication - 1
