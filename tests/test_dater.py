"""Which date an event takes (geo.extract.dater), through the real pipeline and gazetteer, on short stories written
for these tests: a time told by the day or the event told before it, and null where the text gives none."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.model import Article, DatePrecision
from geo.run.pipeline import Pipeline

PUBLISHED = dt.date(2018, 3, 9)          # a Friday
THURSDAY, WEDNESDAY, TUESDAY = dt.date(2018, 3, 8), dt.date(2018, 3, 7), dt.date(2018, 3, 6)


@pytest.fixture(scope="module")
def pipeline(gazetteer_index):
    return Pipeline()


def _incidents(pipeline, text, published=PUBLISHED):
    article = Article("t", text, date=published, date_precision=DatePrecision.DAY if published else DatePrecision.UNKNOWN)
    return pipeline.process(article).incidents


def _family(pipeline, incident):
    return pipeline.taxonomy.get(incident.type).family


def _at(incidents, words):
    """The incident whose evidence holds `words`."""
    return next(i for i in incidents if any(words in e.sentence for e in i.evidence))


@pytest.mark.parametrize("later", [
    "Hours later, police raided a house in the Sariab area of Quetta and arrested three men.",
    "Police raided a house in the Sariab area of Quetta and arrested three men hours after the blast.",
    "Police raided a house in the Sariab area of Quetta and arrested three men shortly after the explosion.",
    "Police raided a house in the Sariab area of Quetta the same day, arresting three men.",
])
def test_a_time_told_by_the_day_or_the_event_before_it_takes_that_day(pipeline, later):
    text = ("QUETTA, Pakistan (Reuters) - A bomb hidden on a motorcycle exploded near a vegetable market in Quetta on "
            "Wednesday, killing four people, police said.\n\n"
            "The blast went off as traders were unloading produce.\n\n"
            f"{later}\n")
    arrest = _at(_incidents(pipeline, text), "arrest")
    assert arrest.date == WEDNESDAY and arrest.date_precision is DatePrecision.DAY
    assert arrest.date_evidence is not None and arrest.date_evidence.text in later


def test_during_the_assault_is_the_day_of_the_assault_told_before(pipeline):
    text = ("MOSUL, Iraq (Reuters) - Iraqi troops recaptured the Bab al-Tob district of western Mosul on Tuesday after "
            "a day of street fighting with Islamic State militants, a military spokesman said.\n\n"
            "He said more than 40 militants had been killed.\n\n"
            "During the assault a suicide bomber drove an explosives-laden car into a police position near the "
            "market in Mosul, killing four policemen, two police officers told Reuters.\n")
    bomb = _at(_incidents(pipeline, text), "suicide bomber")
    assert bomb.date == TUESDAY


def test_a_time_told_by_an_event_no_sentence_before_dates_stays_null(pipeline):
    # The only dated sentence before tells another month's bombing: no day to take.
    text = ("ADEN, Yemen (Reuters) - In May, two suicide bombings in the Khor Maksar district of Aden killed more "
            "than 40 army recruits.\n\n"
            "Police arrested three men in the Sheikh Othman district of Aden hours after the blast.\n")
    arrest = _at(_incidents(pipeline, text), "arrested three men")
    assert arrest.date is None and arrest.date_precision is DatePrecision.UNKNOWN


def test_the_same_day_followed_by_the_day_it_means_is_not_the_day_before(pipeline):
    text = ("NAIROBI (Reuters) - Gunmen killed six people in an attack on a bus near Mandera on Tuesday, police said.\n\n"
            "Police arrested two men in Garissa the same day the bodies were flown to Nairobi.\n")
    arrest = _at(_incidents(pipeline, text), "arrested two men")
    assert arrest.date != TUESDAY


def test_the_day_before_counts_back_from_the_day_the_story_is_at(pipeline):
    text = ("CARACAS (Reuters) - Soldiers fired tear gas at crowds trying to push aid trucks across the border "
            "bridge at Urena on Wednesday, witnesses said.\n\n"
            "The day before, soldiers opened fire on villagers who tried to stop a military convoy in the village "
            "of Kumarakapay, killing two people, community leaders said.\n")
    shooting = _at(_incidents(pipeline, text), "Kumarakapay")
    assert shooting.date == TUESDAY       # the day before Wednesday, not the day before publication


def test_the_day_before_an_occasion_gives_no_day(pipeline):
    text = ("LAGOS (Reuters) - Gunmen shot dead a local election official in the town of Ikorodu the day before "
            "the vote, the electoral commission said.\n")
    (shooting,) = _incidents(pipeline, text)
    assert shooting.date is None and shooting.date_precision is DatePrecision.UNKNOWN


def test_a_day_after_what_follows_is_not_counted_from_the_sentence_before(pipeline):
    text = ("KHARTOUM (Reuters) - Police fired tear gas at hundreds of protesters in Khartoum on Thursday, "
            "witnesses said.\n\n"
            "The protest came a day after security forces killed at least two protesters in Omdurman, a doctors' "
            "committee said.\n")
    killing = _at(_incidents(pipeline, text), "Omdurman")
    assert killing.date != dt.date(2018, 3, 9)     # not a day after Thursday


@pytest.mark.parametrize("sentence", [
    "Last month a land rights activist was shot dead outside his home in the port of Tumaco on Feb. 20.",
    "Earlier this month, gunmen shot dead a land rights activist outside his home in Tumaco on Feb. 20.",
])
def test_a_day_inside_the_coarse_date_before_it_dates_the_event(pipeline, sentence):
    text = f"BOGOTA (Reuters) - {sentence}\n\nHuman rights groups condemned the killing.\n"
    killing = _at(_incidents(pipeline, text, published=dt.date(2018, 3, 9)), "Tumaco")
    assert killing.date == dt.date(2018, 2, 20) and killing.date_precision is DatePrecision.DAY


def test_a_day_outside_the_coarse_date_before_it_is_another_events(pipeline):
    text = ("BAMAKO (Reuters) - Last month, gunmen killed at least 35 people in the village of Sobane Da in central "
            "Mali, officials said.\n\nAid groups said thousands had fled the area.\n")
    killing = _at(_incidents(pipeline, text, published=dt.date(2019, 7, 2)), "Sobane")
    assert killing.date == dt.date(2019, 6, 1) and killing.date_precision is DatePrecision.MONTH


def test_a_riot_in_a_later_paragraph_takes_the_day_of_the_leads_protests(pipeline):
    text = ("RAMALLAH (Reuters) - Thousands of Palestinians protested in Ramallah on Wednesday against the opening of "
            "the U.S. embassy in Jerusalem, witnesses said.\n\n"
            "The Palestinian president declared three days of mourning.\n\n"
            "At the Qalandiya checkpoint near Ramallah, hundreds of youths threw stones and burning tyres at Israeli "
            "troops, who responded with tear gas, witnesses said.\n")
    incidents = _incidents(pipeline, text)
    riot = _at(incidents, "threw stones")
    assert _family(pipeline, riot) == "riot" and riot.date == WEDNESDAY


def test_an_event_of_another_kind_in_a_later_paragraph_stays_undated(pipeline):
    text = ("RAMALLAH (Reuters) - Thousands of Palestinians protested in Ramallah on Wednesday against the opening of "
            "the U.S. embassy in Jerusalem, witnesses said.\n\n"
            "The Palestinian president declared three days of mourning.\n\n"
            "Israeli aircraft struck a Hamas compound near Jabalia in the northern Gaza Strip, the military said.\n")
    strike = _at(_incidents(pipeline, text), "aircraft struck")
    assert strike.date is None


def test_a_date_in_a_clause_that_since_opens_never_dates_the_event(pipeline):
    text = ("YANGON (Reuters) - Gunmen killed 12 villagers in Buthidaung township in Rakhine state, the deadliest "
            "attack since fighting intensified in early December, a local lawmaker said.\n")
    killing = _at(_incidents(pipeline, text, published=dt.date(2019, 1, 6)), "killed 12 villagers")
    assert killing.date is None and killing.date_precision is DatePrecision.UNKNOWN


@pytest.mark.parametrize("night, day", [("overnight Wednesday", WEDNESDAY), ("overnight into Thursday", THURSDAY),
                                        ("overnight on Tuesday", TUESDAY)])
def test_a_night_before_a_named_day_is_that_days_night(pipeline, night, day):
    text = (f"KABUL (Reuters) - Taliban fighters attacked a police checkpoint in Kunduz {night}, killing six "
            "policemen, officials said on Saturday.\n")
    (attack,) = _incidents(pipeline, text, published=dt.date(2018, 3, 10))
    assert attack.date == day and attack.date_text == night


@pytest.mark.parametrize("holiday, day", [("On New Year's Day", dt.date(2018, 1, 1)),
                                          ("On Christmas Day", dt.date(2017, 12, 25))])
def test_a_holiday_of_a_fixed_day_dates_the_event(pipeline, holiday, day):
    text = (f"MAKURDI, Nigeria (Reuters) - {holiday}, gunmen killed 73 people in the town of Gwer in Benue state, "
            "police said.\n")
    (killing,) = _incidents(pipeline, text)
    assert killing.date == day and killing.date_precision is DatePrecision.DAY


@pytest.mark.parametrize("later", [
    "Two journalists were arrested in Nablus during the protests, their employer said.",     # a series
    "Two journalists were arrested in Nablus during the protest, their employer said.",      # no protest told before
])
def test_an_event_noun_without_its_one_event_told_before_gives_no_day(pipeline, later):
    text = ("GAZA (Reuters) - Israeli aircraft struck a Hamas compound near Jabalia in the northern Gaza Strip on "
            "Wednesday, the military said.\n\nThere were no reports of casualties.\n\n"
            f"{later}\n")
    arrest = _at(_incidents(pipeline, text), "arrested")
    assert arrest.date is None
