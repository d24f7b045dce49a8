"""Tests for geo.extract.dates: publication dates from captions and leads, event dates in sentences."""

from __future__ import annotations

import datetime as dt
import doctest

import pytest

import geo.extract.dates
from geo.errors import UsageError
from geo.extract import date_patterns
from geo.extract.dates import EventDate, event_date, event_dates
from geo.extract.published import publication_date
from geo.model import Article, DatePrecision, Span

D = dt.date
DAY, WEEK, MONTH, UNKNOWN = (DatePrecision.DAY, DatePrecision.WEEK, DatePrecision.MONTH,
                             DatePrecision.UNKNOWN)

# Captions and leads copied from the seed articles.
PARIS = ("French CRS police patrol the Champs Elysees Avenue the day after a policeman was killed and two "
         "others were wounded in a shooting incident in Paris, France, April 21, 2017. REUTERS/Benoit Tessier\n\n"
         "PARIS (Reuters) – The man who shot dead a French policeman in an Islamist militant attack had served "
         "time for armed assaults on law enforcement officers, police sources said on Friday, as authorities "
         "sought a second suspect flagged by Belgian security services.\n")
MOSUL_EXODUS = ("Popular Mobilization Forces (PMF) fires towards Islamic State militants during a battle, west of "
                "Mosul,Iraq April 21, 2017. REUTERS/Stringer\n\n"
                "MOSUL, Iraq (Reuters) – Pushing carts loaded with bags, babies and the elderly, hundreds of people "
                "fled Mosul on Saturday after Iraqi forces retook two more districts in the west of the city from "
                "Islamic State.\n")
ACHIN = ("A member of Afghanistan's Special Forces unit jumps from a wall during patrol in Pandola village near the "
         "site of a U.S. bombing in the Achin district of Nangarhar, eastern Afghanistan, April 14, 2017. "
         "REUTERS/Parwiz\n\n"
         "KABUL/ABDUL KHIL, Afghanistan (Reuters) – U.S. troops are still battling suspected Islamic State "
         "fighters near the site where a massive bomb was dropped in eastern Afghanistan last week, a U.S. "
         "military official said on Wednesday.\n")
FILE_PHOTO = ("FILE PHOTO - Federal police members fire a rocket in western Mosul, Iraq, March 3, 2017. "
              "REUTERS/Youssef Boudlal\n\n"
              "MOSUL, Iraq (Reuters) – Iraqi forces are using siege tactics, an Iraqi general said on Sunday.\n")


@pytest.mark.parametrize("text, expected", [
    (PARIS, (D(2017, 4, 21), DAY, "caption+lead")),
    (MOSUL_EXODUS, (D(2017, 4, 22), DAY, "caption+lead")),
    (ACHIN, (D(2017, 4, 19), DAY, "caption+lead")),
    (FILE_PHOTO, (None, UNKNOWN, "")),
    ("BAGHDAD (Reuters) – Islamic State is talking to al Qaeda, Allawi said on Monday.", (None, UNKNOWN, "")),
])
def test_publication_date_from_caption_and_lead_weekday(text, expected):
    assert publication_date(Article(id="a", text=text)) == expected


def test_full_date_in_dateline_is_the_publication_day():
    text = "BAGHDAD, April 21, 2017 (AFP) - Gunmen attacked a checkpoint on Thursday, police said."
    assert publication_date(Article(id="a", text=text)) == (D(2017, 4, 21), DAY, "dateline")


def test_dateline_month_day_takes_its_year_from_the_caption():
    text = ("Smoke rises over Kabul, Afghanistan, December 30, 2016. REUTERS/Staff\n\n"
            "KABUL, Jan 2 (Reuters) - A bomb exploded on Sunday, officials said on Monday.\n")
    assert publication_date(Article(id="a", text=text)) == (D(2017, 1, 2), DAY, "caption+dateline")


def test_caption_without_lead_weekday_gives_week_precision():
    text = PARIS.replace("said on Friday", "said")
    assert publication_date(Article(id="a", text=text)) == (D(2017, 4, 21), WEEK, "caption")


def test_publication_date_uses_caption_span_when_the_reader_found_one():
    caption = "Smoke rises over Aleppo, Syria, 2 December 2016. Photographer unknown"
    text = caption + "\n\nALEPPO, Syria (Reuters) - Rebels shelled the city, a monitor said on Sunday."
    article = Article(id="a", text=text, caption_span=Span(0, len(caption)))
    assert publication_date(article) == (D(2016, 12, 4), DAY, "caption+lead")


def test_metadata_date_wins_over_caption():
    article = Article(id="a", text=PARIS, date=D(2017, 4, 22), date_precision=DatePrecision.DAY)
    assert publication_date(article) == (D(2017, 4, 22), DAY, "metadata")


FRI = D(2017, 4, 21)      # a Friday
CASES = [
    # sentence, published, [(date, precision, text), ...]
    ("Gunmen attacked a checkpoint on Thursday.", FRI, [(D(2017, 4, 20), DAY, "on Thursday")]),
    ("Police said on Friday the attack was over.", FRI, [(FRI, DAY, "on Friday")]),
    ("Coalition jets bombed the bridge late on Monday.", FRI, [(D(2017, 4, 17), DAY, "late on Monday")]),
    ("The blast happened early on Sunday.", FRI, [(D(2017, 4, 16), DAY, "early on Sunday")]),
    ("Thursday's attack killed 12.", FRI, [(D(2017, 4, 20), DAY, "Thursday's")]),
    ("The convoy was hit last Friday.", FRI, [(D(2017, 4, 14), DAY, "last Friday")]),
    ("The talks resume next Monday.", FRI, [(D(2017, 4, 24), DAY, "next Monday")]),
    ("Fighting resumed on Thursday night.", FRI, [(D(2017, 4, 20), DAY, "on Thursday night")]),
    ("A rocket hit the base yesterday.", FRI, [(D(2017, 4, 20), DAY, "yesterday")]),
    ("Two soldiers died on the previous day.", FRI, [(D(2017, 4, 20), DAY, "on the previous day")]),
    ("A bomb was dropped last week.", FRI, [(D(2017, 4, 14), WEEK, "last week")]),
    ("A bomb was dropped a fortnight ago.", FRI, [(D(2017, 4, 7), WEEK, "a fortnight ago")]),
    ("Protesters marched this past weekend.", FRI, [(D(2017, 4, 15), WEEK, "this past weekend")]),
    ("Fighting erupted overnight into Saturday.", FRI, [(D(2017, 4, 15), DAY, "overnight into Saturday")]),
    ("Gunmen killed 73 people on New Year's Day.", FRI, [(D(2017, 1, 1), DAY, "on New Year's Day")]),
    ("Troops advanced this week.", FRI, [(FRI, WEEK, "this week")]),
    ("The town fell last month.", FRI, [(D(2017, 3, 1), MONTH, "last month")]),
    ("The town fell earlier this month.", FRI, [(D(2017, 4, 1), MONTH, "earlier this month")]),
    ("The group declared a caliphate two years ago.", FRI, [(D(2015, 4, 1), MONTH, "two years ago")]),
    ("Rebels took the city three days ago.", FRI, [(D(2017, 4, 18), DAY, "three days ago")]),
    ("The offensive began on Oct. 17.", FRI, [(D(2016, 10, 17), DAY, "on Oct. 17")]),
    ("The offensive began on 17 October.", FRI, [(D(2016, 10, 17), DAY, "on 17 October")]),
    ("As of April 20, 114,000 people had fled.", FRI, [(D(2017, 4, 20), DAY, "As of April 20")]),
    ("It did not mention the Dec. 19 truck attack.", D(2016, 12, 30), [(D(2016, 12, 19), DAY, "Dec. 19")]),
    ("It did not mention the Dec. 19 truck attack.", D(2017, 1, 3), [(D(2016, 12, 19), DAY, "Dec. 19")]),
    ("The vote is on April 30.", FRI, [(None, UNKNOWN, "on April 30")]),
    ("Mosul fell on Friday, April 21, 2017.", None, [(FRI, DAY, "on Friday, April 21, 2017")]),
    ("The photo was taken on 21 April 2017.", None, [(FRI, DAY, "on 21 April 2017")]),
    ("Logged at 2017-04-21 by the monitor.", None, [(FRI, DAY, "2017-04-21")]),
    ("The siege began in June 2014.", FRI, [(D(2014, 6, 1), MONTH, "in June 2014")]),
    ("Mosul was captured in mid 2014.", FRI, [(None, UNKNOWN, "in mid 2014")]),
    ("Mosul was captured in mid-2014.", FRI, [(None, UNKNOWN, "in mid-2014")]),
    ("The offensive began in October.", FRI, [(D(2016, 10, 1), MONTH, "in October")]),
    ("Last October, Iraqi forces began the offensive.", FRI, [(D(2016, 10, 1), MONTH, "Last October")]),
    ("The group was formed in late March.", FRI, [(D(2017, 3, 1), MONTH, "in late March")]),
    ("Talks resume tomorrow.", FRI, [(D(2017, 4, 22), DAY, "tomorrow")]),
    ("Fighting raged over the weekend.", FRI, [(D(2017, 4, 15), WEEK, "the weekend")]),
    ("It happened last night.", FRI, [(D(2017, 4, 20), DAY, "last night")]),
    ("The group was formed last year.", FRI, [(None, UNKNOWN, "last year")]),
    # a month with "next" or "this", and relative units counted in weeks and months
    ("The vote is due next March.", FRI, [(D(2018, 3, 1), MONTH, "next March")]),
    ("The ceasefire ends next May.", FRI, [(D(2017, 5, 1), MONTH, "next May")]),
    ("Talks began this March.", FRI, [(D(2017, 3, 1), MONTH, "this March")]),
    ("Rebels struck three weeks ago.", FRI, [(D(2017, 3, 31), WEEK, "three weeks ago")]),
    ("Troops withdrew two months ago.", FRI, [(D(2017, 2, 1), MONTH, "two months ago")]),
    ("Voters cast ballots on Super Tuesday and prayed on Good Friday.", FRI, []),
    # relative expressions need a publication date
    ("Gunmen attacked a checkpoint on Thursday.", None, [(None, UNKNOWN, "on Thursday")]),
    ("The offensive began on Oct. 17.", None, [(None, UNKNOWN, "on Oct. 17")]),
    ("A bomb was dropped last week.", None, [(None, UNKNOWN, "last week")]),
    # numbers that are not dates
    ("2,000-year-old markets line the 2003 invasion route; 1,500 people may leave.", FRI, []),
    ("They may march on the capital.", FRI, []),
    ("A force of 2000 men and a convoy of 1500 trucks.", FRI, []),
]


@pytest.mark.parametrize("sentence, published, expected", CASES)
def test_event_dates_table(sentence, published, expected):
    got = [(d.date, d.precision, d.text) for d in event_dates(sentence, published=published)]
    assert got == expected


def test_event_date_offsets_index_the_sentence():
    sentence = "Coalition jets bombed the bridge late on Monday."
    d = event_date(sentence, published=FRI)
    assert sentence[d.start:d.end] == "late on Monday"


def test_weekday_equal_to_publication_weekday_is_the_publication_day():
    assert event_date("Gunmen struck on Friday.", published=FRI).date == FRI


def test_weekday_against_caption_only_publication_has_week_precision():
    d = event_date("Gunmen struck on Thursday.", published=FRI, published_precision=WEEK)
    assert (d.date, d.precision) == (D(2017, 4, 20), WEEK)


def test_weekday_against_month_publication_is_unresolved():
    d = event_date("Gunmen struck on Thursday.", published=D(2017, 4, 1), published_precision=MONTH)
    assert (d.date, d.precision, d.text) == (None, UNKNOWN, "on Thursday")


def test_event_date_skips_the_reporting_date():
    sentence = "An attack claimed by Islamic State killed six people on Thursday, officials said on Friday."
    assert event_date(sentence, published=FRI).text == "on Thursday"
    sentence = "Shaghati said in an interview late on Wednesday that a bomb hit the market on Tuesday."
    assert event_date(sentence, published=FRI).text == "on Tuesday"


def test_event_date_falls_back_to_reporting_date_with_week_precision():
    d = event_date("A U.S. military official said on Wednesday that troops were still battling.",
                   published=D(2017, 4, 19))
    assert (d.date, d.precision) == (D(2017, 4, 19), WEEK)


def test_event_date_without_dates_is_unknown():
    assert event_date("Islamic State fighters attacked the town.", published=FRI) == EventDate(None, UNKNOWN, "")


def test_event_date_rejects_inconsistent_precision():
    with pytest.raises(ValueError):
        EventDate(None, DAY, "x")


def test_doctests():
    assert doctest.testmod(geo.extract.dates).failed == 0


@pytest.mark.parametrize("sentence", [
    "He spoke of the Sept. 11 attacks on New York and Washington.",
    "the Sept. 11, 2001 attacks changed U.S. policy",
    "Officials marked the Sept. 11 anniversary.",
    "Britain has not forgotten the July 7 bombings.",
    "He was born before the attacks of Sept. 11, 2001.",
    "the anniversary of Sept. 11 passed quietly",
    "a state of emergency since the July 15 coup attempt",
])
def test_month_day_naming_an_event_is_not_a_date(sentence):
    assert [d for d in event_dates(sentence, published=D(2017, 9, 12)) if d.date is not None] == []


@pytest.mark.parametrize("sentence,published,expected", [
    # a month-day before an event noun dates that event: the latest such day on or before publication
    ("Police arrested a man over the Sept. 15 bombing attack on a London train.", D(2017, 9, 25), D(2017, 9, 15)),
    ("Amri escaped after launching the Dec. 19 attack.", D(2017, 10, 13), D(2016, 12, 19)),
    ("Officials said the Aug. 25 attacks by militants killed 12 policemen.", D(2017, 9, 12), D(2017, 8, 25)),
    # ... but the few that name a famous event of another year date nothing (geo/data/date_famous_events.csv)
    ("Congress passed the law after the Sept. 11 terrorist attacks.", D(2017, 9, 25), None),
    ("the attacks of Sept. 11 changed the city", D(2017, 9, 25), None),
])
def test_month_day_before_an_event_noun(sentence, published, expected):
    assert event_date(sentence, published=published).date == expected


def test_a_bad_famous_event_row_names_file_and_line(tmp_path, monkeypatch):
    bad = tmp_path / "famous.csv"
    bad.write_text("month,day,year,nouns,name,source\n9,11,2001,attack*,x,y\n2,30,2001,attack*,x,y\n", encoding="utf-8")
    monkeypatch.setattr(date_patterns, "FAMOUS_EVENTS", bad)
    date_patterns._famous_events.cache_clear()
    try:
        with pytest.raises(UsageError, match=r"famous.csv:3: expected month, day, year"):
            date_patterns._famous_events()
    finally:
        date_patterns._famous_events.cache_clear()


@pytest.mark.parametrize("sentence,expected", [
    ("A bomb exploded on Sept. 11 in Kabul.", D(2017, 9, 11)),
    ("On Sept. 10, attacks by militants killed 20 people.", D(2017, 9, 10)),
    ("Officials marked the Sept. 11 anniversary on Monday.", D(2017, 9, 11)),
])
def test_month_day_before_other_words_is_still_a_date(sentence, expected):
    assert event_date(sentence, published=D(2017, 9, 12)).date == expected
