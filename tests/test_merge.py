"""Merging the same incident told by several articles."""

import datetime as dt
import difflib
import random

import pytest

from geo.merge import matched_chars, matches_enough, merge_incidents, same_incident
from geo.model import (
    DatePrecision,
    Evidence,
    GeoPrecision,
    Incident,
    Level,
    Place,
    Span,
)

MOSUL = Place("t:mosul", "Mosul", 36.34, 43.13, Level.CITY, "user", "IQ")
WAHDA = Place("t:wahda", "Wahda", 36.32, 43.18, Level.NEIGHBOURHOOD, "user", "IQ", parent_id="t:mosul")
BAGHDAD = Place("t:baghdad", "Baghdad", 33.34, 44.40, Level.CITY, "user", "IQ")
IRAQ = Place("t:iq", "Iraq", 33.0, 44.0, Level.COUNTRY, "user", "IQ")


def inc(article="a1", *, type="air_strike", date=dt.date(2017, 1, 5), place=MOSUL, start=0,
        sentence="Air strikes hit Mosul on Thursday.", fatalities=None, published=dt.date(2017, 1, 6),
        precision=GeoPrecision.TOWN, actors=()):
    ev = Evidence(article, "T", sentence, Span(start, start + len(sentence)), "Air strikes", Span(start, start + 11),
                  article_date=published)
    return Incident(id=f"{article}-{start}-{type}", type=type, event_type="x", sub_event_type="y", date=date,
                    date_precision=DatePrecision.DAY if date else DatePrecision.UNKNOWN, place=place,
                    place_text=place.name if place else "", geo_precision=precision if place else None,
                    evidence=(ev,), fatalities=fatalities, actors=actors)


def test_same_event_in_two_articles_becomes_one_with_both_evidence():
    (m,) = merge_incidents([inc("a1"), inc("a2", date=dt.date(2017, 1, 6))])
    assert m.sources == ("a1", "a2") and len(m.evidence) == 2 and "merged from 2 reports" in m.notes


def test_merged_id_is_stable_and_order_independent():
    a, b = inc("a1"), inc("a2")
    assert merge_incidents([a, b])[0].id == merge_incidents([b, a])[0].id != a.id


def test_primary_is_the_most_precise_member():
    coarse = inc("a1", place=IRAQ, precision=GeoPrecision.REGION)
    fine = inc("a2", place=WAHDA)
    # Iraq's centre is ~370 km from Mosul: only merged when the radius allows it.
    assert len(merge_incidents([coarse, fine])) == 2
    (m,) = merge_incidents([coarse, fine], max_km=500)
    assert m.place is WAHDA and m.evidence[0].article_id == "a2"


def test_counts_take_the_most_conservative_stated_figure():
    (m,) = merge_incidents([inc("a1", fatalities=30), inc("a2", fatalities=None), inc("a3", fatalities=20)])
    assert m.fatalities == 20


@pytest.mark.parametrize("other", [
    inc("a2", type="arrest"),                                  # another family
    inc("a2", date=dt.date(2017, 1, 8)),                       # three days apart
    inc("a2", place=BAGHDAD),                                  # 350 km away
    inc("a2", place=None),                                     # unlocated
    inc("a2", date=None),                                      # one date missing
])
def test_different_incidents_stay_apart(other):
    assert len(merge_incidents([inc("a1"), other])) == 2


def test_never_merges_two_sentences_of_one_article():
    assert len(merge_incidents([inc("a1", start=0), inc("a1", start=100)])) == 2


def test_exact_duplicate_within_one_article_is_merged():
    assert len(merge_incidents([inc("a1"), inc("a1")])) == 1


def test_undated_merge_needs_same_place_and_near_identical_sentence():
    a = inc("a1", date=None)
    assert len(merge_incidents([a, inc("a2", date=None, sentence="Air strikes hit Mosul on Thursday!")])) == 1
    assert len(merge_incidents([a, inc("a2", date=None, sentence="A very different sentence here.")])) == 2


def test_nearby_places_within_radius_merge():
    assert same_incident(inc("a1"), inc("a2", place=WAHDA))


def test_negative_limits_are_rejected():
    with pytest.raises(ValueError):
        merge_incidents([], max_km=-1)


def test_retellings_merge_across_a_grid_cell_boundary():
    north = Place("t:n", "North", 36.05, 43.10, Level.CITY, "t", "IQ")
    south = Place("t:s", "South", 35.95, 43.10, Level.CITY, "t", "IQ")      # 11 km apart, another cell
    merged = merge_incidents([inc("a1", place=north), inc("a2", place=south)])
    assert len(merged) == 1 and len(merged[0].evidence) == 2


def test_merging_compares_only_incidents_that_could_be_one_event(merge_comparisons):
    far_apart = [inc(f"a{n}", place=Place(f"t:{n}", f"Town {n}", -60 + (n % 100) * 1.2, -170 + (n // 100) * 8.0,
                                          Level.CITY, "t", "XX")) for n in range(2000)]
    assert len(merge_incidents(far_apart)) == 2000
    assert merge_comparisons[0] < 10_000        # all pairs would be about two million


def test_copies_of_one_story_are_compared_once_per_distinct_telling(merge_comparisons):
    copies = [inc(f"a{n}") for n in range(1000)] + [inc(f"u{n}", date=None) for n in range(1000)]
    merged = merge_incidents(copies)
    assert [len(m.evidence) for m in merged] == [1000, 1000]
    assert merge_comparisons[0] < 5_000          # every member against every newcomer would be about a million


@pytest.mark.parametrize("a, b", [
    ("", ""), ("abc", ""), ("", "abc"), ("abcd", "bcda"), ("a car bomb killed 5", "a car bomb killed 15 people"),
    ("mosul iraq reuters an air strike hit a market", "kabul reuters an air strike hit a market in kabul"),
    ("aaaa", "aa"), ("abab", "baba"), ("xyz xyz", "zyx zyx"),
])
def test_matched_chars_is_difflibs_count(a, b):
    assert matched_chars(a, b) == sum(m.size for m in difflib.SequenceMatcher(None, a, b).get_matching_blocks())


def test_matched_chars_agrees_with_difflib_on_random_text():
    rng = random.Random(19)
    for _ in range(3000):
        alphabet = rng.choice(["ab", "ab ", "abcdefgh ", "killed 12 "])
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        b = a[:rng.randint(0, len(a))] + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))) \
            + a[rng.randint(0, len(a)):]
        b = b[:199]
        assert matched_chars(a, b) == sum(m.size for m in difflib.SequenceMatcher(None, a, b).get_matching_blocks())


def test_matches_enough_answers_as_the_full_count_would():
    # `enough` may stop early (blocks found already pass, or what is left cannot); the verdict must not change
    rng = random.Random(23)
    for _ in range(3000):
        alphabet = rng.choice(["ab", "abcdefgh ", "mosul killed 12 alert "])
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 90)))
        b = (a[:rng.randint(0, len(a))] + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
             + a[rng.randint(0, len(a)):])[:199]
        count = sum(m.size for m in difflib.SequenceMatcher(None, a, b).get_matching_blocks())
        need = rng.randint(0, max(len(a), len(b)) + 1)
        assert matches_enough(a, b, lambda n, need=need: n >= need) == (count >= need)


def test_matched_chars_refuses_what_difflib_would_junk():
    with pytest.raises(ValueError):
        matched_chars("a", "a" * 200)
