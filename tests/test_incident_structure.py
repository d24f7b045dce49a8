"""Structure around the event words, through the real pipeline and gazetteer, on sentences written for
these tests: an event told in passing as a noun phrase with its own place and time; a state named as the
doer before an infinitive ("prompted the United States to carry out strikes") is not the place; "in that
area" takes the place the sentence before named."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.model import Article, DatePrecision
from geo.run.pipeline import Pipeline

PUBLISHED = dt.date(2019, 3, 8)


@pytest.fixture(scope="module")
def pipeline(gazetteer_index):
    return Pipeline()


def _incidents(pipeline, text):
    return pipeline.process(Article("t", text, date=PUBLISHED, date_precision=DatePrecision.DAY)).incidents


@pytest.mark.parametrize("text,family,place", [
    ("The senator said the bill would cover victims of the 2015 attacks on Paris and their families.",
     "violence_against_civilians", "Paris"),
    ("Ties soured after last year's deadly bombing in Kandahar, the minister told reporters.",
     "remote_violence", "Kandahar"),
    ("Officials recalled the 2014 massacre in Peshawar as the trial opened.", "violence_against_civilians", "Peshawar"),
])
def test_an_event_told_in_passing_with_its_own_place_and_time_is_an_incident(pipeline, text, family, place):
    from geo.extract.taxonomy import Taxonomy
    from geo.read.wire import find_dateline

    tax = Taxonomy.load()
    # Told in passing within a wire story: a one-sentence note is read as one event (decision weight note_veto).
    story = f"NEW YORK (Reuters) - {text}\n\nThe hearing resumes next week."
    article = Article("t", story, date=PUBLISHED, date_precision=DatePrecision.DAY, dateline=find_dateline(story))
    got = [(tax.get(i.type).family, i.place.name if i.place else None) for i in pipeline.process(article).incidents]
    assert any(f == family and p and place in p for f, p in got), got


@pytest.mark.parametrize("text", [
    "The nominating battles in Ohio and Texas were fierce this week, party officials said.",
    "Attacks on the government's budget in Ottawa grew louder as the vote neared.",
])
def test_a_figure_of_speech_with_a_place_is_not_one(pipeline, text):
    assert _incidents(pipeline, text) == ()


def test_a_state_before_an_infinitive_is_who_acted_not_where(pipeline):
    text = ("The visit was cancelled in April after a chemical attack in a rebel-held area of Syria prompted "
            "the United States to carry out missile strikes.")
    places = {i.place.country_code for i in _incidents(pipeline, text) if i.place}
    assert places and "US" not in places, places


def test_a_state_sending_forces_to_a_country_places_the_strike_there(pipeline):
    incidents = _incidents(pipeline, "On Tuesday British jets flew to Iraq to strike an Islamic State depot near Mosul.")
    assert incidents and all(i.place.country_code == "IQ" for i in incidents if i.place)


def test_in_that_area_takes_the_place_of_the_sentence_before(pipeline):
    text = ("DAMASCUS (Reuters) - Rebels fought government troops north of Hama on Monday, a monitor said.\n\n"
            "Air strikes on villages in that area killed 12 civilians on Tuesday, the monitor said.")
    strikes = [i for i in _incidents(pipeline, text) if i.type == "air_strike"]
    assert strikes and strikes[0].place_text == "Hama", [(i.type, i.place and i.place.name) for i in strikes]


@pytest.mark.parametrize("text,expected", [
    ("Gunmen shot dead two election workers in Kandahar, days before the March 20 vote.", None),
    ("Iraqi troops captured the city of Kirkuk from Kurdish fighters in response to a referendum held last month.", None),
    ("Thousands of protesters marched in Washington the day after the inauguration on Jan. 20.", dt.date(2019, 1, 21)),
])
def test_a_date_of_an_occasion_told_beside_the_event_does_not_date_it(pipeline, text, expected):
    incidents = _incidents(pipeline, text)
    assert incidents and incidents[0].date == expected, [(i.type, i.date, i.date_text) for i in incidents]


@pytest.mark.parametrize("text", [
    "The U.S.-led coalition supports the Kurdish-led militias with air strikes and advisers in northern Syria.",
    "The army's long offensive in Raqqa, aided by coalition air strikes, left much of the city in ruins.",
])
def test_strikes_told_as_help_given_are_not_a_strike_of_their_own(pipeline, text):
    assert not [i for i in _incidents(pipeline, text) if i.type == "air_strike"]


def test_a_chemical_bomb_dropped_from_aircraft_is_a_chemical_weapon(pipeline):
    text = "On 12 February 2019, a chemical bomb was dropped by government aircraft on a village near Idlib, injuring 9 people."
    assert [i.type for i in _incidents(pipeline, text)] == ["chemical_weapon"]


def test_the_types_that_win_their_family_belong_to_it():
    from geo.extract.taxonomy import Taxonomy, family_wins

    tax = Taxonomy.load()
    wins = family_wins()
    assert wins["remote_violence"], "the ACLED rule for chemical weapons and suicide bombs is in families.csv"
    for family, types in wins.items():
        assert all(tax.get(t).family == family for t in types), (family, types)


def test_a_full_date_cut_by_a_comma_still_dates_an_undated_article(pipeline):
    from geo.model import Article

    text = "KABUL (Reuters) - Gunmen killed five people in Kabul on April 18, 2017, police said."
    incidents = pipeline.process(Article("u", text)).incidents      # no publication date
    assert [(i.date, i.date_text) for i in incidents] == [(dt.date(2017, 4, 18), "on April 18, 2017")]


def test_a_sentence_that_opens_on_its_place_is_placed_there_not_at_a_place_in_a_relative_clause(pipeline):
    text = "In Ukraine, police arrested a man on Tuesday who they suspected of planning a Berlin-style attack on a market."
    incidents = _incidents(pipeline, text)
    assert [(i.type, i.place.country_code) for i in incidents] == [("arrest", "UA")]


@pytest.mark.parametrize("text", [
    "Since the uprising began, fighting in the province has displaced hundreds of thousands of people.",
    "Close to 300,000 people were displaced as the army and rebels fought for the city, the U.N. said.",
])
def test_a_campaign_toll_counted_in_the_tens_of_thousands_is_no_event(pipeline, text):
    assert _incidents(pipeline, text) == ()


def test_a_large_crowd_dated_to_its_day_is_still_an_event(pipeline):
    text = "On Saturday, tens of thousands of people marched through central London to protest against the war."
    assert [i.type for i in _incidents(pipeline, text)] == ["protest"]


def test_the_detector_alone_does_not_tell_an_event_whose_own_words_are_planned(pipeline):
    text = ("Police investigating three men suspected of planning an Islamist-motivated attack searched "
            "six flats in Hamburg on Thursday, prosecutors said.")
    assert [i.type for i in _incidents(pipeline, text) if i.type in ("attack_on_civilians", "suicide_bombing")] == []


def test_a_march_told_with_its_purpose_is_still_a_protest(pipeline):
    text = "Several thousand people marched peacefully through Skopje on Friday to protest against the new law."
    assert [i.type for i in _incidents(pipeline, text)] == ["protest"]


@pytest.mark.parametrize("text", [
    "Taliban spokesman Zabihullah Mujahid claimed responsibility for Saturday's car bomb in an email to reporters.",
    "On 2 May 2024, a court in Lima ordered the trial of two officers over the killing of a protester in Puno in 2023.",
    "The rebels were accused of attacks on the army in the north.",
])
def test_a_claim_or_a_court_case_about_an_event_is_not_an_event(pipeline, text):
    assert _incidents(pipeline, text) == ()


@pytest.mark.parametrize("text,expected", [
    # the claim, the charge or the testimony tells the event itself: its own day or toll is in its words
    ("Islamic State claimed responsibility for a suicide attack that killed at least 22 people on Feb. 7 outside "
     "the Supreme Court in Kabul.", ("suicide_bombing", "Kabul", dt.date(2017, 2, 7))),
    ("The minister told the court on Saturday how he was abducted from his home in Harare on Nov. 15 by armed men.",
     ("abduction", "Harare", dt.date(2016, 11, 15))),
])
def test_an_event_told_with_its_own_day_or_toll_inside_a_claim_or_a_trial_is_an_event(pipeline, text, expected):
    article = Article("t", text, date=dt.date(2017, 2, 19), date_precision=DatePrecision.DAY)
    got = [(i.type, i.place_text, i.date) for i in pipeline.process(article).incidents]
    assert expected in got


def test_a_past_capture_told_in_a_relative_clause_with_its_year_is_an_incident(pipeline):
    text = "The Islamist group, which seized Mosul in June 2014, still has thousands of fighters in the desert, officials said."
    incidents = _incidents(pipeline, text)
    assert [(i.type, i.place_text) for i in incidents] == [("territory_captured", "Mosul")]


def test_the_capital_is_the_capital_of_the_country_the_dateline_names(pipeline):
    text = ("ERBIL, Iraq (Reuters) - Iraqi forces advanced in the north on Friday.\n\n"
            "A car bomb claimed by the militants killed six people on Thursday on the capital's eastern outskirts.")
    bombs = [i for i in _incidents(pipeline, text) if i.type == "ied"]
    assert [(i.place.name, i.geo_precision.value, i.place_evidence.text) for i in bombs] == [
        ("Baghdad", 2, "the capital's eastern outskirts")]


def test_the_capital_named_after_its_word_is_that_place_not_a_guess(pipeline):
    text = "KABUL (Reuters) - A suicide bomber killed 12 people in the capital Kabul on Tuesday, police said."
    assert [i.place.name for i in _incidents(pipeline, text)] == ["Kabul"]


def test_a_toll_told_apart_right_after_the_event_counts_for_it(pipeline):
    """The event-note convention puts the toll in a sentence of its own ("... (Tillia, Tahoua). 41 fatalities."):
    a weak word such as "attacked" needs stated casualties, and a sentence that is only a count right
    after it states them."""
    note = "On 22 March 2021, ISGS militants attacked traders returning from a market near Intazayene (Tillia, Tahoua)."
    (inc,) = _incidents(pipeline, note + " 41 fatalities.")
    assert inc.type == "attack_on_civilians" and inc.fatalities == 41
    assert not _incidents(pipeline, note)
    # A longer sentence after it is no bare count: it tells something of its own.
    assert not _incidents(pipeline, note + " A commission report published two years later put the toll of the "
                                           "whole year in the region at 41 fatalities.")


@pytest.mark.parametrize("text,kind", [
    ("On 5 May 2023, a Turkish drone struck a vehicle near Qamishli (Qamishli, Al-Hasakeh). 2 fatalities.", "air_strike"),
    ("On 6 June 2022, soldiers fired at farmers near the border fence east of Khan Yunis (Khan Yunis, Gaza Strip). "
     "1 injured.", "attack_on_civilians"),
    ("On 2 July 2022, gunmen attacked villagers in Bassa (Bassa, Plateau) at night.", "attack_on_civilians"),
])
def test_a_drone_as_the_striker_and_an_attack_aimed_at_civilians_are_typed(pipeline, text, kind):
    assert [i.type for i in _incidents(pipeline, text)] == [kind]


@pytest.mark.parametrize("text,kind", [
    ("On 14 May 2023, Russia and Ukraine carried out a prisoner exchange near Sumy (Sumy, Sumy), returning 45 "
     "soldiers each.", "agreement"),
    ("On 2 June 2022, a faction of the Mai-Mai Yakutumba split from the main group in Fizi (Fizi, South Kivu).",
     "group_change"),
    ("On 9 August 2020, three jihadist groups formed a new alliance in Idlib (Idlib, Idlib).", "group_change"),
    ("On 3 March 2021, the militia appointed a new commander in Beni (Beni, North Kivu) after its leader was killed.",
     "group_change"),
])
def test_strategic_developments_told_in_their_own_words_are_typed(pipeline, text, kind):
    assert [i.type for i in _incidents(pipeline, text)] == [kind]


@pytest.mark.parametrize("text", [
    "On 9 August 2020, two telecom firms formed a new alliance in Nairobi to sell phones across East Africa.",
    "On 3 March 2021, the bank appointed a new chief executive in Lagos.",
])
def test_a_firm_forming_an_alliance_or_naming_a_chief_is_no_change_to_an_armed_group(pipeline, text):
    assert not _incidents(pipeline, text)


def test_an_outpost_built_is_a_base_established_and_a_civil_base_is_not(pipeline):
    assert [i.type for i in _incidents(pipeline, "Houthi fighters put up a new outpost at the Raghwan junction "
                                                  "in Marib on Monday.")] == ["base_established"]
    # (Dated "on Monday", the detector alone still reads this one as a base established: a known gap.)
    assert not _incidents(pipeline, "The city built a new base for its ambulance service in Leeds.")


@pytest.mark.parametrize("text,kind", [
    ("On 14 May 2023, police detained 23 members of a mothers' group in Istanbul as they tried to gather at "
     "Galatasaray Square.", "protest_intervention"),
    ("Police detained 40 demonstrators in Harare on Monday.", "protest_intervention"),
    ("Police arrested 12 suspected militants in Kano on Tuesday.", "arrest"),
])
def test_arrests_of_people_protesting_are_a_protest_with_intervention(pipeline, text, kind):
    """ACLED codes arrests at a protest as the protest's intervention, not as arrests of their own."""
    assert kind in [i.type for i in _incidents(pipeline, text)]
    assert not (kind == "protest_intervention" and "arrest" in [i.type for i in _incidents(pipeline, text)])


def test_an_armed_assailant_shot_dead_by_police_is_a_clash_not_an_attack_on_civilians(pipeline):
    assert [i.type for i in _incidents(pipeline, "The gunman was shot dead by police after a three-hour siege in "
                                                  "Orlando on Sunday.")] == ["armed_clash"]
    assert [i.type for i in _incidents(pipeline, "Gunmen shot dead 12 villagers in Zamfara on Monday.")] \
        == ["attack_on_civilians"]


@pytest.mark.parametrize("text,kind", [
    ("On 16 August 2022, a jihadist group blocked roads around Tangaza (Sokoto) and stopped farmers reaching their "
     "fields.", "other"),
    ("On 9 September 2024, separatist fighters imposed a lockdown in Bamenda (Mezam, Nord-Ouest) ahead of the school "
     "year.", "other"),
])
def test_an_armed_group_blocking_roads_or_imposing_a_lockdown_is_a_strategic_development(pipeline, text, kind):
    assert [i.type for i in _incidents(pipeline, text)] == [kind]


def test_roads_closed_for_repairs_are_no_event(pipeline):
    assert not _incidents(pipeline, "On 3 May 2022, the city council closed two roads in Kano for repairs.")


@pytest.mark.parametrize("text,expected", [
    ("The judge resigned from his post in September 2011 in protest at the government's interference.", []),
    ("Opposition lawmakers walked out of parliament in protest on Tuesday.", []),
    ("Thousands marched in Ankara in protest on Tuesday.", ["protest"]),
])
def test_a_resignation_walkout_or_boycott_in_protest_is_no_demonstration(pipeline, text, expected):
    assert [i.type for i in _incidents(pipeline, text)] == expected
