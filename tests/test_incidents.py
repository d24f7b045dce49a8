"""Incident extraction: triggers in context, place, date, and the seed stories."""

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.extract.incidents import Rules, compile_pattern, extract_incidents
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

TAX = Taxonomy.load()

# A hand-made gazetteer, enough for the test sentences and the seed stories.
PLACES = {
    "Mosul": Place("t:mosul", "Mosul", 36.34, 43.13, Level.CITY, "user", "IQ", "Nineveh"),
    "Baghdad": Place("t:baghdad", "Baghdad", 33.34, 44.40, Level.CITY, "user", "IQ", "Baghdad"),
    "Qaim": Place("t:qaim", "Al Qaim", 34.37, 41.09, Level.CITY, "user", "IQ", "Anbar"),
    "Anbar": Place("t:anbar", "Anbar", 33.0, 42.0, Level.PROVINCE, "user", "IQ", "Anbar"),
    "Iraq": Place("t:iq", "Iraq", 33.0, 44.0, Level.COUNTRY, "user", "IQ"),
    "Wahda": Place("t:wahda", "Wahda", 36.32, 43.18, Level.NEIGHBOURHOOD, "user", "IQ", "Nineveh", parent_id="t:mosul"),
    "Paris": Place("t:paris", "Paris", 48.857, 2.352, Level.CITY, "user", "FR", "Ile-de-France"),
    "Champs Elysees": Place("t:champs", "Champs-Elysees", 48.870, 2.307, Level.LANDMARK, "user", "FR", parent_id="t:paris"),
    "Marseille": Place("t:marseille", "Marseille", 43.30, 5.37, Level.CITY, "user", "FR"),
    "Kabul": Place("t:kabul", "Kabul", 34.53, 69.17, Level.CITY, "user", "AF"),
    "Achin": Place("t:achin", "Achin", 34.13, 70.70, Level.DISTRICT, "user", "AF", "Nangarhar"),
    "Nangarhar": Place("t:nangarhar", "Nangarhar", 34.3, 70.5, Level.PROVINCE, "user", "AF", "Nangarhar"),
    "Afghanistan": Place("t:af", "Afghanistan", 33.9, 67.7, Level.COUNTRY, "user", "AF"),
    "Erbil": Place("t:erbil", "Erbil", 36.19, 44.01, Level.CITY, "user", "IQ"),
}
_NAMES = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, PLACES), key=len, reverse=True)) + r")\b")


def toponyms(text: str) -> list[Toponym]:
    return [Toponym(Mention(m.start(), m.end(), m.group()), PLACES[m.group()], 0.9) for m in _NAMES.finditer(text)]


def article(body: str, *, date=dt.date(2017, 4, 21)) -> Article:
    return Article("t1", body, title="Test", date=date, date_precision=DatePrecision.DAY, body_span=Span(0, len(body)))


def extract(body: str, **kw):
    a = article(body, **kw)
    return extract_incidents(a, toponyms(a.text), taxonomy=TAX, actors=None)


@pytest.mark.parametrize("sentence,expected", [
    ("Air strikes hit a market in the town of Qaim on Wednesday, killing 20 people.", "air_strike"),
    ("A suicide car bomb exploded at a checkpoint in Mosul on Tuesday.", "suicide_bombing"),
    ("A suicide vehicle-borne IED exploded at the gate of a base in Mosul on Tuesday.", "suicide_bombing"),
    ("Six suicide car bombs hit Iraqi troops in Wahda on Tuesday.", "suicide_bombing"),
    ("A roadside bomb killed three soldiers near Kabul on Monday.", "ied"),
    ("Gunmen opened fire on worshippers in Kabul on Friday, killing six.", "attack_on_civilians"),
    ("Iraqi forces retook two districts of Mosul on Thursday.", "territory_retaken"),
    ("Islamic State militants captured the town of Qaim on Monday.", "territory_captured"),
    ("Iraqi troops pushed into the town of Qaim on Monday.", "territory_retaken"),
    ("Iraqi troops seized Salam hospital in Mosul on Tuesday.", "territory_retaken"),
    # a missile fired and intercepted, nobody hurt: disrupted weapons use, not a strike
    ("Rebels fired a ballistic missile at Kabul on Tuesday which air defences intercepted.", "weapons_disrupted"),
    # protests that "took place" are protests; a crowd beating people is mob violence
    ("Similar marches took place in Mosul on Friday, organisers said.", "protest"),
    ("A crowd of about 200 people dragged two men from a car and beat them with sticks in Mosul on Friday.",
     "mob_violence"),
    # a crowd throwing stones or burning tyres is a violent demonstration
    ("Opposition supporters burned tyres and threw stones at police in Mosul on Thursday.", "riot"),
    ("Dozens of youths threw stones at the troops in Mosul on Thursday, residents said.", "riot"),
    # a crowd of any kind rallying, marching or protesting is a protest
    ("More than 200 supporters of the president rallied in Baghdad on Saturday.", "protest"),
    ("Taxi drivers protesting new fees blocked the main road to the airport in Kabul on Monday.", "protest"),
    # state forces killing at a protest: excessive force against protesters (ACLED's protest family) ...
    ("Security forces shot dead at least seven protesters in Baghdad on Saturday.", "protest_excessive_force"),
    ("Police opened fire on people staging a sit-in outside the governor's office in Mosul on Monday, killing two.",
     "protest_excessive_force"),
    # ... not a rebel group whose name holds "Forces", nor protests the killing set off
    ("Suspected Allied Democratic Forces rebels killed eight villagers with machetes in Mosul on Tuesday, prompting "
     "angry protests.", "attack_on_civilians"),
    ("Police arrested two men in Marseille on Tuesday.", "arrest"),
    ("Hundreds of families fled Mosul on Saturday.", "displacement"),
    ("Thousands of protesters rallied in Paris on Sunday.", "protest"),
    ("Police fired tear gas at protesters in Paris on Sunday.", "protest_intervention"),
    ("Mortar shells hit a school in Mosul on Monday.", "shelling"),
    ("Coalition warplanes struck a building in Mosul on Wednesday.", "air_strike"),
    ("Militants executed 42 people in Mosul last month.", "execution"),
    ("Government forces declared victory in Mosul on Friday.", "territory_retaken"),
    ("Iraqi troops recaptured Qaim on Friday.", "territory_retaken"),
    ("Islamic State seized control of Qaim on Monday.", "territory_captured"),
    ("Militants launched an offensive on Mosul on Monday.", "armed_clash"),
    ("Two soldiers were killed in an attack on a checkpoint in Mosul on Monday.", "armed_clash"),
    ("Two villagers were killed in an attack in Kabul on Monday.", "attack_on_civilians"),
    ("Five men were detained in Marseille on Tuesday.", "arrest"),
    ("Two aid workers were abducted near Kabul on Tuesday.", "abduction"),
    ("Protesters gathered in Paris on Sunday.", "protest"),
    ("Police clashed with protesters in Paris on Sunday.", "riot"),
    # a protest about an accident is a protest; the accident itself is no event
    ("Thousands of students protested in Dhaka on Monday after two students were killed in a road accident.",
     "protest"),
    # "to" before a noun is a preposition, not an infinitive of purpose
    ("A traffic incident in Jaipur led to clashes between police and locals on Friday.", "mob_violence"),
    # a disease or a disaster told beside an attack does not unmake it; told alone it tells no event
    ("On Sept. 5, attackers killed 14 people in Oicha, one of the towns hit by the Ebola outbreak.",
     "attack_on_civilians"),
    # the month in "the May 31 truck bomb" is no modal "may": the bombing happened
    ("Police said a devastating May 31 truck bomb killed more than 80 people in Kabul.", "ied"),
    # armed forces or their posts as the object are an armed clash; forces as the ones who shot are not hit
    ("Rebels killed 12 paramilitary officers in an ambush near Sukma on Monday.", "armed_clash"),
    ("Jihadists attacked an army camp in Dioura on Monday, killing at least 23 soldiers.", "armed_clash"),
    ("A Palestinian stabbed and wounded an Israeli woman in Hebron on Wednesday before being shot dead by a "
     "soldier.", "attack_on_civilians"),
    # unarmed people as a side of a clash make it a riot (a violent demonstration where a protest is told, else mob
    # violence); an armed group named in it keeps it an armed clash
    ("Police clashed with locals in Mosul on Monday.", "mob_violence"),
    ("Police clashed with locals protesting against the new tax in Mosul on Monday.", "riot"),
    ("Hundreds of villagers clashed with police in Mosul on Monday.", "mob_violence"),
    ("Russian troops shot dead three Ukrainian soldiers who had surrendered near Mosul on Monday.",
     "attack_on_civilians"),
    ("A teacher died after being shot by suspected separatist fighters in Mosul on Monday.", "attack_on_civilians"),
    ("Militants clashed with villagers' defence guards in Kunar on Friday.", "armed_clash"),
    ("Government artillery shelled Mosul on Monday.", "shelling"),
    ("A car bomb exploded in Baghdad on Monday.", "ied"),
    ("A drone strike killed two militants in Kabul on Monday.", "air_strike"),
    ("A missile fired at Erbil on Monday was intercepted by air defences.", "weapons_disrupted"),
    ("Heavy fighting erupted in Mosul on Monday.", "armed_clash"),
    ("A mob lynched two suspected thieves in Mosul on Monday.", "mob_violence"),
])
def test_finds_incident_type(sentence, expected):
    got = extract(sentence)
    assert [i.type for i in got] == [expected]


@pytest.mark.parametrize("sentence", [
    "Workers went on a general strike in Paris on Monday.",
    "Firefighters battled the blaze in Mosul for four hours on Monday.",
    "A man moved from Lynchburg to Mosul on Monday.",
    "Officials warned that militants could attack Mosul on Friday.",
    "The group plans to attack Kabul next week.",
    "The ministry denied that jets bombed Mosul on Monday.",
    "If militants attack Mosul on Friday, troops will respond.",
    "The threat of attacks in Paris on Friday is low.",
    "Car bombs are a common tactic.",
    "He suffered a heart attack in Paris on Monday.",
    "Police foiled a planned attack in Marseille on Tuesday.",
    "The offensive to retake Mosul began in October.",
    "Trump seized on the remarks in Paris on Monday.",
    "The leaders clashed over trade in Paris on Monday.",
    "Every measure is being taken to prevent a possible attack in Paris on Friday.",
    "The senator clashed with the president in Paris on Monday.",
    "Obama came under fire in Paris on Monday for his remarks.",
    "Republicans took control of the Senate in Paris on Monday.",
    "The foreign minister protested the expulsion of diplomats from Paris on Monday.",
    "An earthquake killed 20 people in Kabul on Monday.",
    "Floods forced 10,000 people from their homes in Sindh province on Monday.",
    "A gas cylinder explosion killed 12 people in a market in Kabul on Monday.",
    "North Korea's missile program was discussed in Paris on Monday.",
    "Iran deployed a dozen tanks supported by artillery at its border with Iraq on Monday.",
    "North Korea test-fired a ballistic missile from Kabul on Monday.",
    "The army deployed missiles in Erbil on Monday.",
    "Options being discussed include expanding U.S. drone strikes in Kabul, officials said on Monday.",
    "Tourists entered the city of Paris on Friday.",
    "A man traveled to Mosul in 2015 to become a suicide bomber, prosecutors said on Monday.",
    "Protests are planned in Mosul on Monday.",
    "Thousands of protesters are expected in Mosul on Friday.",
    "A protest is scheduled in Mosul on Friday.",
])
def test_warnings_plans_denials_and_idioms_are_not_incidents(sentence):
    assert extract(sentence) == []


def test_weapons_named_as_equipment_are_not_a_second_incident():
    (inc,) = extract("Militants armed with rockets and machine guns attacked a police post in Kabul on Monday, killing four.")
    assert inc.evidence[0].trigger.startswith("attacked")
    (inc,) = extract("Rebels fired artillery at Erbil on Monday.")
    assert inc.type == "shelling"


@pytest.mark.parametrize("sentence,expected", [
    ("More than 20 policemen were killed in fighting with Taliban insurgents in Nangarhar on Monday.", "armed_clash"),
    ("Dozens of security personnel were killed and scores wounded in Taliban attacks on government compounds "
     "in Nangarhar on Monday.", "armed_clash"),
])
def test_deaths_in_fighting_or_attacks_on_the_state_are_battles(sentence, expected):
    (inc,) = extract(sentence)
    assert inc.type == expected and inc.place_text == "Nangarhar"


def test_many_events_told_as_one_are_background():
    # "a wave of", "for years": no single incident, so the words alone (undated, unplaced) do not make one
    assert extract("Cities including the capital have been hit by a wave of suicide attacks.") == []
    assert extract("Islamic State had for years besieged a government enclave.") == []


def test_a_day_counted_from_the_day_before_it():
    body = ("On Thursday the Taliban stormed a military base in Kandahar, killing 43 soldiers. Two days earlier "
            "dozens of soldiers were killed in Taliban attacks on government compounds in Nangarhar.")
    incs = {i.place_text: i for i in extract(body, date=dt.date(2017, 10, 21))}
    assert incs["Nangarhar"].date == dt.date(2017, 10, 17)
    # without a day to count from, the date stays unknown
    (inc,) = extract("Two days earlier a car bomb exploded in Kabul, killing five.")
    assert inc.date is None


def test_in_the_city_is_the_town_named_just_before():
    body = ("Street fighting raged in Mosul on Monday, a spokesman said.\n\n"
            "Air strikes that struck militant targets in the city on Tuesday helped troops advance.")
    incs = extract(body)
    strike = next(i for i in incs if i.type == "air_strike")
    assert strike.place_text == "Mosul" and strike.geo_precision is GeoPrecision.TOWN


def test_suicide_car_bombs_win_over_generic_car_bombs():
    (inc,) = extract("Troops were hit by six suicide car bombs in Mosul on Tuesday.")
    assert inc.type == "suicide_bombing" and inc.evidence[0].trigger == "suicide car bombs"


def test_place_prefers_the_finest_place_tied_to_the_trigger():
    (inc,) = extract("Air strikes hit a market in the town of Qaim, in the province of Anbar, on Wednesday.")
    assert inc.place.name == "Al Qaim" and inc.place_text == "Qaim"
    assert inc.geo_precision is GeoPrecision.TOWN


def test_a_place_that_is_the_verbs_object_counts_even_undated():
    (inc,) = extract("Abadi announced that government forces had captured al-Qaim, the border town with Syria.")
    assert inc.type == "territory_retaken" and inc.place_text == "Qaim" and inc.date is None


@pytest.mark.xfail(strict=True, reason="the detector trained with names read as one word class gives this capture's family "
                   "0.67 (0.63 before): its score reaches the threshold, an unplaced, undated incident (confidence "
                   "0.36: off the map)")
def test_the_same_verb_with_the_place_further_off_and_no_date_is_not_enough_on_its_own():
    assert extract("Government forces had captured a hill, officials in the town of Qaim said.") == []


def test_near_a_town_is_precision_two():
    (inc,) = extract("A roadside bomb exploded near Kabul on Monday, killing three soldiers.")
    assert inc.place_text == "Kabul" and inc.geo_precision is GeoPrecision.NEAR


def test_distant_reference_point_is_not_the_place():
    body = "Around 280 km (175 miles) southwest of Mosul dozens of people were killed on Wednesday in air strikes."
    (inc,) = extract(body)
    assert inc.place is None and inc.geo_precision is None


def test_province_is_precision_three():
    (inc,) = extract("Air strikes killed 12 people in Anbar on Wednesday.")
    assert inc.geo_precision is GeoPrecision.REGION and inc.level is Level.PROVINCE


def test_unlocated_incident_is_still_reported():
    (inc,) = extract("Gunmen opened fire on a bus on Friday, killing six people.")
    assert inc.place is None and inc.place_text == "" and inc.date == dt.date(2017, 4, 21)


def test_dateline_place_is_the_fallback():
    body = "KABUL (Reuters) - Gunmen opened fire on a bus on Friday, killing six people."
    a = Article("t2", body, date=dt.date(2017, 4, 21), date_precision=DatePrecision.DAY,
                dateline=Dateline(("KABUL",), "Afghanistan", Span(0, 15)), body_span=Span(0, len(body)))
    topos = [Toponym(Mention(0, 5, "KABUL", source="dateline"), PLACES["Kabul"], 0.9)]
    (inc,) = extract_incidents(a, topos, taxonomy=TAX, actors=None)
    assert inc.place.name == "Kabul" and inc.place_text == "KABUL" and "place from dateline" in inc.notes
    assert inc.geo_precision is GeoPrecision.NEAR


def test_date_comes_from_the_sentence_else_stays_unknown():
    (inc,) = extract("Police arrested two men in Marseille on Tuesday.")
    assert inc.date == dt.date(2017, 4, 18) and inc.date_precision is DatePrecision.DAY
    (inc,) = extract("In Mosul, militants executed 42 people, officials said.\n\nLater: text.")
    assert inc.date is None and inc.date_precision is DatePrecision.UNKNOWN


def test_anaphoric_retelling_adds_evidence_and_place():
    body = ("Dozens of civilians were killed on Wednesday in air strikes on a western town.\n\n"
            "They said the strikes hit a busy market in the town of Qaim.")
    (inc,) = extract(body)
    assert inc.type == "air_strike" and inc.place_text == "Qaim" and len(inc.evidence) == 2
    assert inc.date == dt.date(2017, 4, 19)


def test_evidence_offsets_index_the_article_text():
    body = "TITLE LINE\n\nMortar shells hit a school in Mosul on Monday, killing two children."
    a = Article("t3", body, title="TITLE LINE", date=dt.date(2017, 4, 21), title_span=Span(0, 10),
                body_span=Span(12, len(body)))
    (inc,) = extract_incidents(a, toponyms(body), taxonomy=TAX, actors=None)
    ev = inc.evidence[0]
    assert body[ev.sentence_span.start:ev.sentence_span.end] == ev.sentence
    assert body[ev.trigger_span.start:ev.trigger_span.end] == ev.trigger == "Mortar shells"
    assert inc.fatalities == 2 and 0 < inc.confidence <= 1


def test_ids_are_stable_across_runs():
    body = "Mortar shells hit a school in Mosul on Monday."
    assert extract(body)[0].id == extract(body)[0].id


def test_title_and_caption_do_not_yield_incidents():
    body = "Bomb kills five in Kabul\n\nA bomb exploded in Kabul on Friday, killing five people."
    a = Article("t4", body, date=dt.date(2017, 4, 21), title_span=Span(0, 24), body_span=Span(26, len(body)))
    got = extract_incidents(a, toponyms(body), taxonomy=TAX, actors=None)
    assert len(got) == 1 and got[0].evidence[0].sentence_span.start == 26


def test_trigger_patterns_compile_from_word_syntax():
    rx = re.compile(compile_pattern("warplane*|jets ~4 struck|bombed"), re.I)
    assert rx.search("Coalition warplanes, at Iraq's request, struck a building")
    assert not rx.search("warplanes flew over; nothing was struck")


def test_user_taxonomy_without_a_type_drops_its_triggers(tmp_path):
    path = tmp_path / "tax.csv"
    path.write_text("name,event_type,sub_event_type,family,label,colour,icon\n"
                    "arrest,Strategic developments,Arrests,strategic,Arrest,#636363,lock\n", encoding="utf-8")
    a = article("Air strikes hit Mosul on Monday. Police arrested two men in Marseille on Tuesday.")
    got = extract_incidents(a, toponyms(a.text), taxonomy=Taxonomy.load(path), actors=None)
    assert [i.type for i in got] == ["arrest"]


def test_actors_come_from_the_lexicon_per_sentence():
    class Lexicon:
        def find(self, sentence):
            return ("Islamic State",) if "Islamic State" in sentence else ()

    a = article("Islamic State militants captured the town of Qaim on Monday.")
    (inc,) = extract_incidents(a, toponyms(a.text), taxonomy=TAX, actors=Lexicon())
    assert inc.actors == ("Islamic State",)


def test_every_trigger_type_is_in_the_taxonomy():
    Rules.load().check(TAX)


# --- seed stories, through the real pipeline (reader -> gazetteer geoparser -> extraction) -------------

@pytest.fixture(scope="module")
def seed_incidents(seeds_dir):
    from geo.read.articles import read_articles
    from geo.run.pipeline import Pipeline

    pipeline = Pipeline()
    out = {}
    for a in read_articles(sorted(seeds_dir.glob("*.txt"))):
        result = pipeline.process(a)
        out[a.title] = (result.article, list(result.incidents))
    return out


def _story(seed_incidents, words):
    return next(v for k, v in seed_incidents.items() if words in k)


def test_seed_qaim_market_air_strikes_are_placed_at_qaim_in_anbar(seed_incidents):
    _, incs = _story(seed_incidents, "Mosul hospital battle")
    (strike,) = [i for i in incs if i.type == "air_strike" and "Qaim" in " ".join(e.sentence for e in i.evidence)]
    assert strike.place_text == "Qaim" and strike.place.country_code == "IQ"
    assert strike.geo_precision is GeoPrecision.TOWN and strike.place.admin1 and "Anbar" in strike.place.admin1


def test_seed_salam_hospital_battle_is_coded_to_mosul_with_the_site_in_the_notes(seed_incidents):
    _, incs = _story(seed_incidents, "Mosul hospital battle")
    bombs = [i for i in incs if i.type == "suicide_bombing" and "six suicide car bombs" in i.evidence[0].sentence]
    assert len(bombs) == 1 and bombs[0].place.name == "Mosul" and bombs[0].place.country_code == "IQ"
    assert any("Salam hospital" in n for n in bombs[0].notes)
    battles = [i for i in incs if TAX.get(i.type).family == "battle"]
    assert battles and all(i.place.name == "Mosul" for i in battles)
    # One battle for the hospital, told several times: its evidence keeps every sentence.
    assert any(i.type == "territory_retaken" and any("Salam hospital" in e.sentence for e in i.evidence)
               for i in battles)


def test_seed_no_incident_is_placed_at_a_foreign_namesake(seed_incidents):
    # "Salam" (Oman), "Palestine district" (Texas), "al-Saha districts" (India): all Mosul stories.
    mosul = [i for title, (_, incs) in seed_incidents.items() if "Mosul" in title for i in incs]
    assert mosul and {i.place.country_code for i in mosul if i.place} == {"IQ"}


def test_seed_no_incident_is_placed_in_a_country_because_its_forces_acted_elsewhere(seed_incidents):
    # "backed by U.S. special forces and air strikes" in an Afghanistan story is not a U.S. event.
    everywhere = [i for _, incs in seed_incidents.values() for i in incs if i.place]
    assert everywhere and "US" not in {i.place.country_code for i in everywhere}


def test_seed_champs_elysees_shooting_in_paris(seed_incidents):
    # A gunman who "opened fire on a police vehicle ..., killing one officer": the victims were armed forces, so
    # ACLED codes an armed clash, not an attack on civilians (type_rules: armed_victims); one incident, not two.
    _, incs = _story(seed_incidents, "Paris gunman")
    shots = [i for i in incs if TAX.get(i.type).family in ("violence_against_civilians", "battle")]
    assert len(shots) == 1
    (shot,) = shots
    assert shot.type == "armed_clash"
    assert shot.date == dt.date(2017, 4, 20) and shot.date_precision is DatePrecision.DAY
    assert shot.place.name == "Paris" and shot.place.country_code == "FR" and shot.fatalities == 1


def test_seed_bomb_dropped_on_achin_in_nangarhar(seed_incidents):
    _, incs = _story(seed_incidents, "Afghan bomb strike")
    drops = [i for i in incs if i.type == "air_strike" and i.date == dt.date(2017, 4, 13)]
    assert len(drops) == 1
    assert drops[0].place_text == "Achin" and drops[0].place.country_code == "AF"
    assert "Nangarhar" in (drops[0].place.admin1 or "")


def test_seed_odessa_arrest_is_placed_in_ukraine_not_at_the_berlin_attack_it_copied(seed_incidents):
    _, incs = _story(seed_incidents, "New Year after Berlin attack")
    arrests = [i for i in incs if i.type == "arrest" and "Ukraine" in i.evidence[0].sentence]
    assert arrests and all(i.place.country_code == "UA" for i in arrests), [(i.place_text, i.evidence[0].sentence) for i in arrests]


def test_seed_attack_on_the_capitals_outskirts_is_placed_at_baghdad(seed_incidents):
    everywhere = [i for _, incs in seed_incidents.values() for i in incs]
    outskirts = [i for i in everywhere if "capital’s eastern outskirts" in i.evidence[0].sentence]
    assert outskirts and all(i.place.name == "Baghdad" for i in outskirts), [(i.place_text, i.place) for i in outskirts]


def test_seed_displacement_from_west_mosul(seed_incidents):
    _, incs = _story(seed_incidents, "Mosul exodus")
    assert any(i.type == "displacement" and i.place.name == "Mosul" and i.date == dt.date(2017, 4, 22)
               for i in incs)


def test_seed_toy_shop_feature_reports_no_incident(seed_incidents):
    _, incs = _story(seed_incidents, "teddy bears")
    assert incs == []


def test_seed_credit_and_byline_are_never_evidence(seed_incidents):
    for a, incs in seed_incidents.values():
        skip = [s for s in (a.byline_span, a.credit_span, a.caption_span, a.title_span) if s]
        for ev in (e for i in incs for e in i.evidence):
            assert not any(ev.sentence_span.start < s.end and s.start < ev.sentence_span.end for s in skip)


def _paragraph_of(text, span):
    from geo.read.text import paragraph_spans

    return next((text[s:e] for s, e in paragraph_spans(text) if s <= span.start < e), "")


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def test_seed_dates_come_from_the_text_and_weekdays_fit_the_publication_date(seed_incidents):
    dated = 0
    for a, incs in seed_incidents.values():
        for inc in (i for i in incs if i.date is not None):
            dated += 1
            assert inc.date_text, inc
            around = [_paragraph_of(a.text, e.sentence_span) for e in inc.evidence]
            assert any(inc.date_text in p for p in around), (inc.date_text, inc.evidence[0].sentence)
            named = [d for d in _WEEKDAYS if d in inc.date_text]
            if named and a.date is not None and "next" not in inc.date_text.lower():
                assert inc.date.weekday() == _WEEKDAYS.index(named[0]), (inc.date, inc.date_text)
                assert 0 <= (a.date - inc.date).days <= 7, (inc.date, a.date, inc.date_text)
    assert dated >= 4      # the check must have something to check


_WORDS = st.sampled_from(["Air", "strikes", "hit", "Mosul", "on", "Monday", ".", "the", "attack", "not",
                          "could", "killed", "12", "people", "in", "Paris", ",", "  ", "\n\n", "U.S.", "“", "”",
                          "suicide", "car", "bombs", "near", "280", "km", "of", "Qaim", "fled", "yesterday"])


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(_WORDS, max_size=60).map(" ".join)))
def test_never_raises_and_offsets_stay_inside_the_text(body):
    a = Article("fuzz", body, date=dt.date(2017, 4, 21), date_precision=DatePrecision.DAY)
    for inc in extract_incidents(a, toponyms(body), taxonomy=TAX, actors=None):
        for ev in inc.evidence:
            assert body[ev.sentence_span.start:ev.sentence_span.end] == ev.sentence
            assert body[ev.trigger_span.start:ev.trigger_span.end] == ev.trigger
        assert 0.0 <= inc.confidence <= 1.0


@pytest.mark.parametrize("sentence", [
    "Coalition jets carried out airstrikes on the town overnight.",
    "Airstrikes hit a market in the north of the province.",
    "An airstrike hit a fuel depot outside the city.",
])
def test_a_trigger_word_listed_with_and_without_an_ending_matches_every_ending(sentence):
    # "airstrike*|airstrike" in triggers.csv: the exact form must not hide the stemmed one
    assert [h.type for h in Rules.load().hits(sentence, 0, len(sentence))] == ["air_strike"]
