"""The event stage: every incident type told in a sentence written for the test, and its look-alike.

Each row: a type, a sentence that reports an event of that type, and a sentence with the same
vocabulary that reports none of that type (a plan, a test, a purchase, a quarrel, ordinary crime).
All were written for these tests (never in the training data) and go through the real pipeline.
"""

from __future__ import annotations

import datetime as dt

import pytest

from geo.extract.taxonomy import Taxonomy
from geo.model import Article, DatePrecision, Level
from geo.run.pipeline import Pipeline

CASES = [
    ('armed_clash',
     'Soldiers and Al-Shabaab fighters exchanged gunfire for three hours near Jowhar on Tuesday, leaving four soldiers dead.',
     'The defence minister clashed with opposition lawmakers over the army budget in Nairobi on Tuesday.'),
    ('territory_retaken',
     'Government troops recaptured the town of Ayod from rebel forces on Sunday after two days of fighting, the army said.',
     'The army vowed on Sunday to recapture the town of Ayod from rebel forces before the rainy season.'),
    ('territory_captured',
     'Jihadist fighters overran the army post at Boulkessi and took control of the town on Monday, residents said.',
     'Analysts warned on Monday that jihadist fighters could take control of Boulkessi within weeks.'),
    ('chemical_weapon',
     'Dozens of residents of Saraqeb were treated for breathing problems after a chlorine attack on the town on Thursday, doctors said.',
     'Inspectors said on Thursday they would investigate whether chemical weapons had ever been stored near Saraqeb.'),
    ('air_strike',
     'Warplanes bombed a fuel depot outside Taiz on Friday, killing three guards, witnesses said.',
     'The air force held a bombing exercise over an empty range outside Taiz on Friday.'),
    ('suicide_bombing',
     'A suicide bomber blew himself up at a checkpoint in Mogadishu on Saturday, killing five people.',
     'Police in Mogadishu warned on Saturday that a suicide bomber might try to reach the parliament.'),
    ('shelling',
     'Artillery shells slammed into a residential block in Donetsk on Wednesday, wounding seven civilians, local officials said.',
     'The government announced on Wednesday it would buy new artillery shells for its army in Donetsk.'),
    ('ied',
     'A roadside bomb struck a police vehicle in Lashkar Gah on Monday, killing two officers.',
     'A gas cylinder exploded in a restaurant kitchen in Lashkar Gah on Monday, injuring two cooks.'),
    ('grenade',
     'An attacker threw a grenade into a crowded bar in Bujumbura on Friday night, wounding eleven people.',
     'The football crowd in Bujumbura erupted on Friday night when the striker scored in the final minute.'),
    ('sexual_violence',
     'Militiamen raped at least a dozen women during a raid on a village near Bunia last week, a United Nations report said.',
     'The parliament in Kinshasa debated a new law on sexual violence on Tuesday.'),
    ('attack_on_civilians',
     'Gunmen opened fire on worshippers leaving a mosque in Zamfara state on Friday, killing nine people.',
     'The governor of Zamfara state said on Friday he would meet religious leaders to discuss security.'),
    ('execution',
     'Islamic State militants executed four captured shepherds in the desert near Palmyra on Tuesday, a monitoring group said.',
     'A court in Damascus sentenced a man to death on Tuesday for murdering his business partner.'),
    ('abduction',
     'Armed men kidnapped 20 passengers from a bus on the Kaduna-Abuja highway on Sunday, police said.',
     'Police said on Sunday they had received no reports of kidnappings on the Kaduna-Abuja highway this month.'),
    ('protest',
     'Thousands of teachers marched peacefully through central Harare on Monday to demand higher pay.',
     "Teachers' unions said on Monday they planned to march through Harare next month to demand higher pay."),
    ('protest_intervention',
     'Police fired tear gas and water cannon to break up a student sit-in outside parliament in Nairobi on Tuesday.',
     'Police in Nairobi said on Tuesday they had bought new water cannon trucks.'),
    ('protest_excessive_force',
     'Security forces opened fire on peaceful demonstrators in Khartoum on Thursday, killing six protesters, medics said.',
     'The United Nations urged security forces in Khartoum on Thursday to show restraint at any future demonstrations.'),
    ('riot',
     "Protesters hurled stones at police and set cars on fire in downtown Dakar on Friday after the opposition leader's arrest.",
     'The opposition in Dakar called on Friday for calm ahead of the verdict against its leader.'),
    ('mob_violence',
     'A mob lynched two men accused of cattle theft in a village outside Kisumu on Sunday, police said.',
     'Police in Kisumu said on Sunday that cattle theft had fallen by half this year.'),
    ('agreement',
     'The army and the rebel alliance signed a ceasefire agreement in Juba on Wednesday, ending weeks of fighting.',
     'Mediators in Juba said on Wednesday that talks on a ceasefire had stalled.'),
    ('arrest',
     'Security forces arrested an opposition leader and six activists at their homes in Minsk on Thursday.',
     'Police in Minsk arrested a man on Thursday for stealing a car from a shopping centre.'),
    ('group_change',
     'Two armed factions in North Kivu announced on Monday they had merged into a single movement under a new commander.',
     'Analysts in Goma said on Monday that armed factions in North Kivu were likely to keep fighting.'),
    ('weapons_disrupted',
     'Bomb disposal experts defused an explosive device found under a bridge in Maiduguri on Tuesday, the army said.',
     'The army in Maiduguri said on Tuesday that explosives remained a major threat on the roads.'),
    ('base_established',
     'Russian forces set up a new military base at the airport in Timbuktu on Saturday, local officials said.',
     'Officials said on Saturday that Russia had no plans to open a military base in Timbuktu.'),
    ('looting',
     'Militiamen looted and burned dozens of homes in the village of Kumba on Sunday, residents said.',
     'Residents of Kumba said on Sunday that the price of building materials had doubled since the floods.'),
    ('territory_transfer',
     'Rebel forces withdrew from the town of Bunagana on Tuesday and handed control to a regional peacekeeping force without a fight.',
     'Diplomats in Kampala said on Tuesday that a handover of Bunagana to peacekeepers was being discussed.'),
    ('displacement',
     'More than 5,000 people fled their homes in the Cabo Delgado town of Macomia on Friday after insurgents attacked nearby villages.',
     'The United Nations said on Friday that it needed more funding for people displaced over the past five years in Mozambique.'),
    ('other',
     'Houthi forces seized a commercial cargo ship in the Red Sea on Sunday and sailed it to the port of Hodeidah.',
     'Shipping companies said on Sunday that insurance costs in the Red Sea had risen sharply.'),
]
# Known failures of the shipped model, kept visible (strict: they fail loudly once fixed).
MISSED: dict[str, str] = {}
TYPED_ANYWAY = {
    "armed_clash": "'clashed with lawmakers over the army budget': 'army' reads as violence around the trigger",
}
PUBLISHED = dt.date(2023, 5, 12)


@pytest.fixture(scope="module")
def pipeline(gazetteer_index):
    return Pipeline()


def _types(pipeline: Pipeline, text: str) -> list[str]:
    article = Article("t", text, date=PUBLISHED, date_precision=DatePrecision.DAY)
    return [i.type for i in pipeline.process(article).incidents]


def test_every_type_of_the_taxonomy_has_a_case():
    assert {t for t, _, _ in CASES} == set(Taxonomy.load().names)


@pytest.mark.parametrize("kind,told,_", [
    pytest.param(*c, marks=pytest.mark.xfail(strict=True, reason=MISSED[c[0]])) if c[0] in MISSED else c
    for c in CASES], ids=[c[0] for c in CASES])
def test_the_pipeline_types_a_sentence_that_tells_it(pipeline, kind, told, _):
    assert kind in _types(pipeline, told)


@pytest.mark.parametrize("kind,_,lookalike", [
    pytest.param(*c, marks=pytest.mark.xfail(strict=True, reason=TYPED_ANYWAY[c[0]])) if c[0] in TYPED_ANYWAY else c
    for c in CASES], ids=[c[0] for c in CASES])
def test_the_pipeline_does_not_type_its_look_alike(pipeline, kind, _, lookalike):
    assert kind not in _types(pipeline, lookalike)


@pytest.mark.parametrize("text", [
    "A car bomb killed five people in Baghdad on Feb. 30.",
    "Militants shelled Kirkuk on the 45th, killing two.",
])
def test_impossible_dates_leave_the_incident_undated(pipeline, text):
    (incident,) = pipeline.process(Article("x", text, date=PUBLISHED, date_precision=DatePrecision.DAY)).incidents
    assert incident.date is None and incident.date_precision is DatePrecision.UNKNOWN


def test_a_story_dated_at_the_calendars_end_is_still_read(pipeline, tmp_path):
    from geo.run.pipeline import merged

    article = Article("end", "A car bomb killed five people in Baghdad next week, police said on Friday.",
                      date=dt.date(9999, 12, 31), date_precision=DatePrecision.DAY)
    incidents = list(pipeline.process(article).incidents)
    assert [i.type for i in incidents] == ["ied"] and incidents[0].fatalities == 5
    assert len(merged([pipeline.process(article), pipeline.process(article)], merge=True)) == 1


def test_a_sentence_of_thousands_of_words_and_hundreds_of_places_is_read(pipeline):
    names = ", ".join(["Mosul", "Kirkuk", "Erbil", "Baghdad", "Basra", "Tikrit"] * 60)
    text = "Gunmen attacked " + ", ".join(f"farm {i}" for i in range(3000)) + f" and militants shelled {names}."
    got = pipeline.process(Article("big", text, date=PUBLISHED, date_precision=DatePrecision.DAY)).incidents
    assert {i.type for i in got} >= {"shelling"}
    assert len({i.place.name for i in got if i.type == "shelling"}) >= 6       # one event per place named


def _incidents(pipeline, text, published=PUBLISHED):
    return list(pipeline.process(Article("x", text, date=published, date_precision=DatePrecision.DAY)).incidents)


@pytest.mark.parametrize("text,country", [
    ("French jets hit an Islamic State depot near Raqqa on Thursday, the defence ministry in Paris said.", "SY"),
    ("Libyan forces, backed by British special forces and air strikes, pushed into Sirte on Wednesday.", "LY"),
    # an aside on the agent before the verb tells who they are, not where the event happened
    ("ADEN (Reuters) - Coalition forces, which are supported by the United States and Britain, launched fresh air "
     "strikes overnight, residents said.", "YE"),
    ("DAMASCUS (Reuters) - Rebel fighters, who crossed from Turkey last year, attacked an army checkpoint on Monday, "
     "state media said.", "SY"),
])
def test_an_event_is_never_placed_in_the_country_whose_forces_acted(pipeline, text, country):
    got = _incidents(pipeline, text)
    assert got and all(i.place is None or i.place.country_code == country for i in got), \
        [(i.type, i.place and i.place.name) for i in got]


@pytest.mark.parametrize("text,country", [
    ("BEIRUT (Reuters) - A U.S. cruise missile strike hit a Syrian air base on Friday, officials said.", "SY"),
    ("ISLAMABAD (Reuters) - Pakistani troops shelled Indian army posts along the frontier on Monday.", "IN"),
    ("ADEN (Reuters) - Saudi-led jets bombed a Yemeni village on Sunday, killing 12 people.", "YE"),
])
def test_an_object_named_by_its_country_s_adjective_places_the_event_in_that_country(pipeline, text, country):
    """"a strike on a Syrian air base" -> Syria (issue 16): not the dateline's country, not the actor's."""
    (got,) = _incidents(pipeline, text)
    assert got.place is not None and got.place.country_code == country and got.place.level is Level.COUNTRY
    assert "place from target" in got.notes


def test_a_date_in_another_sentence_about_something_else_does_not_date_the_event(pipeline):
    (attack,) = _incidents(pipeline, "The envoy said on Tuesday that talks would resume. "
                                     "A suicide bomber killed 14 people at a mosque in Kabul.")
    assert attack.type == "suicide_bombing" and attack.date is None


@pytest.mark.parametrize("text,day", [
    ("A car bomb killed nine people in central Baghdad on Thursday, the first bombing in the capital since March.",
     dt.date(2023, 5, 11)),
    ("Gunmen shot dead two police officers in Nairobi on Wednesday, days before the May 15 vote.",
     dt.date(2023, 5, 10)),
])
def test_a_since_or_before_phrase_does_not_date_the_event(pipeline, text, day):
    (incident,) = _incidents(pipeline, text)
    assert incident.date == day


def test_two_arrests_in_one_sentence_keep_their_own_place_and_date(pipeline):
    got = _incidents(pipeline, "A journalist was arrested in Izmir in March and an aid worker was detained "
                               "in Ankara last week.")
    by_place = {i.place.name: i for i in got if i.type == "arrest"}
    assert set(by_place) == {"İzmir", "Ankara"}
    assert by_place["İzmir"].date_precision is DatePrecision.MONTH and by_place["İzmir"].date.month == 3
    assert by_place["Ankara"].date_precision is DatePrecision.WEEK


def test_the_toll_of_a_war_is_not_an_incident(pipeline):
    assert _incidents(pipeline, "The conflict has killed tens of thousands of people and displaced millions "
                                "since 2011.") == []


HOTEL = "More than 70 people were killed when militants stormed a hotel in Mogadishu on Friday."


def test_more_than_seventy_killed_counts_seventy(pipeline):
    (incident,) = _incidents(pipeline, HOTEL)
    assert incident.fatalities == 70


@pytest.mark.xfail(strict=True, reason="the detector's attack (0.49) weighs less than the unsure battle word "
                                       "'stormed' with its trigger: the one-form rule keeps the battle")
def test_a_hotel_stormed_with_70_killed_is_an_attack(pipeline):
    (incident,) = _incidents(pipeline, HOTEL)
    assert incident.type == "attack_on_civilians"


def test_a_disaster_s_toll_the_detector_alone_reads_is_no_incident(pipeline):
    """No trigger word, a killing read by the detector alone, in a sentence that tells a quake: no event."""
    text = ("ANKARA (Reuters) - At least 328 people were killed and over 2,500 injured by a quake in Iran's "
            "Kermanshah province on Monday.")
    assert _incidents(pipeline, text) == []


@pytest.mark.parametrize("text", [
    "Police in Minsk said on Monday they won t arrest the protesters.",
    "The government said troops hadn t shelled the town of Kidal on Monday.",
])
def test_a_negation_whose_apostrophe_the_feed_dropped_still_negates(pipeline, text):
    assert _incidents(pipeline, text) == []


def test_claims_tests_and_accusations_are_not_incidents(pipeline):
    assert _incidents(pipeline, "North Korea tested a ballistic missile on Sunday.") == []
    assert _incidents(pipeline, "Pyongyang conducted its most powerful nuclear bomb test on Sunday.") == []
    assert _incidents(pipeline, "Islamic State claimed responsibility for the attack on Sunday.") == []


@pytest.mark.parametrize("text,expected", [
    # demonstrators who burn, smash or throw things make a violent demonstration (ACLED's riot)
    ("About 200 protesters gathered outside the embassy in Tbilisi on Sunday night, setting off flares and setting "
     "fire to a car.", ["riot"]),
    ("Hundreds of students protested in Dhaka on Monday, smashing the windows of buses.", ["riot"]),
    # damage done to them by the police, or damage that set off the protest, leaves the protest peaceful
    ("Thousands of students protested peacefully in Dhaka on Monday after police smashed their stalls.", ["protest"]),
])
def test_a_crowd_s_damage_makes_a_protest_a_riot(pipeline, text, expected):
    assert _types(pipeline, text) == expected


# ACLED codes one event once, by its form (geo/data/subsumes.csv): sentences written for these tests.
@pytest.mark.parametrize("text,expected", [
    ("Police in Dhaka detained 15 students who were protesting against fee increases outside the university "
     "on Monday.", {"protest_intervention"}),
    ("Rioters in Durban burned shops and pelted police with stones on Tuesday, and 40 of them were arrested.",
     {"riot"}),
    ("Police in Minsk detained 11 young activists who had tried to march without permission on Tuesday.",
     {"protest_intervention"}),
])
def test_arrests_of_demonstrators_are_coded_as_the_demonstration(pipeline, text, expected):
    assert set(_types(pipeline, text)) == expected


@pytest.mark.parametrize("text", [
    "Police arrested two men in Kano on Friday over the killing of a local councillor, a spokesman said.",
    "Police in Minsk arrested a man on Tuesday who had attacked a protester.",
])
def test_an_arrest_beside_no_demonstration_stays_an_arrest(pipeline, text):
    assert _types(pipeline, text) == ["arrest"]


def test_an_unplaced_event_later_in_the_story_is_placed_where_the_lead_says_not_at_the_dateline(pipeline):
    text = ("BEIRUT (Reuters) - Syrian troops and allied militias pushed into the eastern outskirts of Deir al-Zor "
            "on Monday, a military source said.\n\nThe source did not give a toll.\n\n"
            "Army units gained control of two hills overlooking the road on Tuesday after heavy fighting, the source said.")
    (incident,) = _incidents(pipeline, text, dt.date(2017, 3, 1))
    assert incident.place.country_code == "SY" and incident.place_text == "Deir al-Zor"
    assert incident.geo_precision.value == 2          # the lead's town, one step coarser


def test_an_event_notes_bracketed_district_and_region_are_not_places_of_their_own(pipeline):
    text = "On 17 June 2019, JNIM militants looted livestock in Dinangourou (Koro, Mopti)."
    (incident,) = _incidents(pipeline, text)
    assert incident.type == "looting" and incident.place.country_code == "ML"
    assert incident.geo_precision.value == 2          # the unknown village's district: roughly there


@pytest.mark.parametrize("text,fatalities", [
    ("On 5 May 2021, ISWAP militants attacked the military base in Mainok (Kaga, Borno). The soldiers repelled "
     "the attack after a two-hour gunfight. 5 fatalities.", 5),
    ("On 30 November 2022, a Turkish drone strike targeted an SDF vehicle near Qamishli (Al-Hasakeh). "
     "2 SDF members were killed. 2 fatalities.", 2),
    ("On 9 March 2023, Mai-Mai fighters burned down 20 houses in Kirumba (Lubero, Nord-Kivu). No fatalities reported.", 0),
])
def test_an_event_notes_closing_count_is_its_events(pipeline, text, fatalities):
    (incident,) = _incidents(pipeline, text, dt.date(2023, 12, 1))
    assert incident.fatalities == fatalities


def test_a_later_toll_over_years_is_not_the_events_count(pipeline):
    text = ("Gunmen attacked a police post in Kano on Monday. More than 300 soldiers have been killed in the state "
            "since 2015.")
    assert [i.fatalities for i in _incidents(pipeline, text, dt.date(2023, 12, 1))] == [None]


@pytest.mark.parametrize("text,fatalities", [
    pytest.param("Troops killed the last 40 militants holding out in a mosque in Marawi on Monday, the army said. "
                 "More than 1,100 people, including 165 soldiers, died in the five-month conflict.", None,
                 marks=pytest.mark.xfail(strict=True, reason="the detector trained with names read as one word "
                                         "class gives the battle family 0.29 (0.41 before): no incident")),
    ("Troops killed 40 militants in fighting in a mosque in Marawi on Monday, the army said. "
     "More than 1,100 people, including 165 soldiers, died in the five-month conflict.", 40),
])
def test_a_later_toll_of_the_whole_war_is_not_the_events_count(pipeline, text, fatalities):
    assert [i.fatalities for i in _incidents(pipeline, text, dt.date(2023, 12, 1))] == [fatalities]


def test_a_part_told_after_its_whole_joins_it(pipeline):
    text = ("On 14 July 2023, youths protesting the killing of a taxi driver blocked roads and threw stones at police "
            "in Mamelodi (Tshwane, Gauteng). Police fired rubber bullets.")
    (incident,) = _incidents(pipeline, text, dt.date(2023, 12, 1))
    assert incident.type == "riot" and len(incident.evidence) == 2


def test_an_undated_event_in_a_later_paragraph_takes_the_date_of_the_lead_s_event_of_its_family(pipeline):
    text = ("KINSHASA (Reuters) - Police fired tear gas at Catholic worshippers marching against the president in "
            "Kinshasa on Sunday, the U.N. mission said.\n\n"
            "A government spokesman accused the organisers of trying to destabilise the country.\n\n"
            "In the eastern city of Bukavu, several hundred people marched through the centre after mass without "
            "incident, a local journalist said.")
    got = {i.place.name: i.date for i in _incidents(pipeline, text, dt.date(2018, 1, 22)) if i.place}
    assert got.get("Bukavu") == dt.date(2018, 1, 21), got


def test_a_district_missing_from_the_gazetteer_is_coded_to_the_story_s_city_not_the_last_town_named(pipeline):
    text = ("BAGHDAD (Reuters) - Two suicide bombers blew themselves up in Baghdad's Tayaran Square on Monday, "
            "killing 26 people, police said.\n\n"
            "Security forces later arrested two men in the town of al-Taji, north of the capital, police said.\n\n"
            "On Saturday night, a bomb planted near a mosque in the northern Shula district killed one person.")
    (bomb,) = [i for i in _incidents(pipeline, text, dt.date(2018, 1, 15)) if i.date == dt.date(2018, 1, 13)]
    assert bomb.place.name == "Baghdad" and any("Shula" in n for n in bomb.notes), (bomb.place, bomb.notes)


@pytest.mark.parametrize("text", [
    "More than 1,500 students have been kidnapped from schools in northern Nigeria since 2014, UNICEF said on Tuesday.",
    "At least 60 people have died in protests in Peru since December, the ombudsman's office said on Monday.",
    "More than 1,200 civilians have been killed in coalition air raids in Yemen this year, a U.N. report said on Thursday.",
])
def test_a_toll_over_a_long_period_is_no_incident_even_in_a_dated_report(pipeline, text):
    assert _incidents(pipeline, text) == []


@pytest.mark.xfail(strict=True, reason="the detector trained with names read as one word class reads 'in recent "
                   "years' as background (P(event) 0.03, 0.09 before): the car bomb told inside it is lost")
def test_a_dated_event_told_inside_a_toll_over_years_is_still_an_incident(pipeline):
    text = ("BEIRUT (Reuters) - Several such attacks have hit Damascus in recent years, including a car bomb that "
            "killed 20 people in the Midan district in July.")
    assert [i.date for i in _incidents(pipeline, text, dt.date(2017, 10, 2))] == [dt.date(2017, 7, 1)]


@pytest.mark.parametrize("text", [
    "ONITSHA, Nigeria (Reuters) - A fuel tanker exploded on a busy highway near Onitsha on Wednesday, killing at least 14 people.",
    "A gas explosion ripped through a block of flats in Karachi on Tuesday, killing six people, rescue officials said.",
])
def test_an_accident_is_no_explosion_or_attack(pipeline, text):
    assert _incidents(pipeline, text) == []


@pytest.mark.parametrize("text", [
    "A suicide bomber drove a fuel tanker packed with explosives into a checkpoint in Mogadishu on Saturday, killing 20.",
    "On 28 February 2023, hundreds of people gathered in Syntagma Square in Athens in a vigil for the victims of a train crash.",
])
def test_an_accident_word_does_not_unmake_an_attack_or_a_protest(pipeline, text):
    assert _incidents(pipeline, text, dt.date(2023, 3, 1)) != []


def test_the_firing_and_bombing_of_an_exercise_story_are_no_incidents(pipeline):
    text = ("MINSK (Reuters) - Russia and Belarus began joint military exercises on Thursday near the border with "
            "Poland and Lithuania, the defence ministry said.\n\n"
            "Su-25 jets bombed targets near the town of Barysaw and paratroopers stormed a mock village, state "
            "television showed on Thursday.")
    assert _incidents(pipeline, text, dt.date(2017, 9, 14)) == []


def test_a_story_that_only_mentions_a_test_still_tells_its_attack(pipeline):
    text = ("SEOUL (Reuters) - Gunmen attacked a police post in the city of Daegu on Monday, killing two officers, "
            "police said.\n\nNorth Korea carried out a missile test last week.")
    assert [i.type for i in _incidents(pipeline, text, dt.date(2017, 9, 14))] != []
