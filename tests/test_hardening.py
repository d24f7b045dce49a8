"""Property-based checks: mention finding and date resolution never raise and stay within bounds."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.extract.dates import event_date, event_dates
from geo.model import DatePrecision

unicode_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=1_500)
newsy_text = st.lists(
    st.sampled_from([
        "MOSUL, Iraq (Reuters) -", "on Thursday", "late on Monday", "last week", "Oct. 17", "in mid-2014",
        "Sept. 11 attacks", "31 February", "April 31, 2017", "Baghdad", "al-Qa'im", "Tel Keyf", "Erbil",
        "<script>alert(1)</script>", "${alert(3)}", "`", "\u202e", "e\u0301", "🙂", "\x00", "said", "Mr. Paris",
        "President Jordan", "0000-00-00", "2017-13-45", "a year ago", "yesterday", ",", ".", "\n\n",
    ]),
    max_size=60,
).map(" ".join)
published = st.one_of(st.none(), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))


@pytest.fixture(scope="module")
def geoparser():
    from gazetteer.geoparser import Geoparser

    return Geoparser.open()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=unicode_text | newsy_text)
def test_mention_finding_never_raises_and_spans_point_into_the_text(geoparser, text):
    mentions = geoparser.find_mentions(text)
    for mention in mentions:
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start:mention.end] == mention.text
    for top in geoparser.parse(text):
        if top.place is not None:
            assert -90 <= top.place.lat <= 90 and -180 <= top.place.lon <= 180
            assert (top.place.lat, top.place.lon) != (0.0, 0.0)


@settings(max_examples=200, deadline=None)
@given(text=unicode_text | newsy_text, day=published)
def test_date_resolution_never_raises_and_null_dates_have_unknown_precision(text, day):
    for found in [*event_dates(text, published=day), event_date(text, published=day)]:
        if found.date is None:
            assert found.precision is DatePrecision.UNKNOWN
        else:
            assert found.precision is not DatePrecision.UNKNOWN
            assert isinstance(found.date, dt.date)
        if found.start >= 0:
            assert text[found.start:found.end] == found.text


def test_without_a_publication_date_an_absolute_date_counts_and_its_weekday_alone_does_not():
    assert [f.date for f in event_dates("on Thursday, Oct. 19, 2017", published=None)] == [dt.date(2017, 10, 19)]
    assert [f.date for f in event_dates("on Thursday Oct. 19", published=None)] == [None]


@settings(max_examples=100, deadline=None)
@given(text=newsy_text)
def test_relative_dates_without_a_publication_date_are_never_guessed(text):
    for found in event_dates(text, published=None):
        lowered = found.text.lower()
        if re.search(r"\b(?:19|20)\d\d\b", lowered):
            continue     # "on Thursday, Oct. 19, 2017": an absolute date with its weekday, which counts undated too
        if any(w in lowered for w in ("thursday", "monday", "last week", "yesterday", "a year ago")):
            assert found.date is None
