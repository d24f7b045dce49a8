"""The whole per-article chain: real stages on real text, limits, and hostile input."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.model import Article, DatePrecision
from geo.read.articles import read_articles
from geo.run.pipeline import Pipeline, Settings, dated, excluded_spans
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(Settings())


@pytest.fixture(scope="module")
def seed_results(pipeline):
    return list(pipeline.run(read_articles([SEEDS])))


def test_seeds_run_end_to_end(seed_results):
    assert len(seed_results) == 19
    assert sum(len(r.incidents) for r in seed_results) >= 10
    assert sum(1 for r in seed_results for t in r.toponyms if t.place is not None) >= 100


def test_every_toponym_span_points_back_into_the_article(seed_results):
    for result in seed_results:
        for top in result.toponyms:
            assert result.article.text[top.mention.start:top.mention.end] == top.mention.text


def test_credit_line_places_are_not_story_places(seed_results):
    for result in seed_results:
        for span in excluded_spans(result.article):
            for top in result.toponyms:
                assert not (span.start <= top.mention.start < span.end), top.mention.text


def test_incident_evidence_sentence_is_the_article_text_at_its_offsets(seed_results):
    for result in seed_results:
        for incident in result.incidents:
            ev = incident.evidence[0]
            assert result.article.text[ev.sentence_span.start:ev.sentence_span.end] == ev.sentence


def test_publication_date_comes_from_metadata_first():
    article = Article(id="m1", text="KABUL (Reuters) - Taliban fighters attacked a checkpoint on Monday.",
                      date=dt.date(2017, 4, 19), date_precision=DatePrecision.DAY, date_source="metadata")
    assert dated(article) is article


def test_oversized_article_is_cut_with_a_warning():
    body = "MOSUL, Iraq (Reuters) - An air strike hit Mosul on Monday. " + "Filler words here. " * 2000
    article = Article(id="big", text=body, date=dt.date(2017, 4, 19), date_precision=DatePrecision.DAY)
    result = Pipeline(Settings(max_article_chars=5_000)).process(article)
    assert any("max-article-chars" in w for w in result.warnings)
    assert len(result.article.text) == 5_000


def test_too_many_mentions_are_capped_with_a_warning():
    text = "MOSUL, Iraq (Reuters) - " + " ".join(["Mosul and Erbil and Baghdad."] * 400)
    article = Article(id="many", text=text)
    result = Pipeline(Settings(max_mentions=50)).process(article)
    assert len(result.toponyms) <= 50
    assert result.warnings


hostile = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=2_000
) | st.sampled_from([
    "", "   \n\t ", "\x00" * 50, "مرحبا بكم في الموصل" * 20, "e\u0301\u0301\u0301" * 100,
    "<img src=x onerror=alert(1)> in Mosul on Monday", "${alert(3)} `x` Baghdad", "🙂" * 500,
    "A" * 50_000,
])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=hostile)
def test_pipeline_never_raises_on_arbitrary_text(pipeline, text):
    article = Article(id="fuzz", text=text, date=dt.date(2017, 4, 19), date_precision=DatePrecision.DAY)
    result = pipeline.process(article)
    for top in result.toponyms:
        assert result.article.text[top.mention.start:top.mention.end] == top.mention.text
    for incident in result.incidents:
        assert incident.date is None or isinstance(incident.date, dt.date)


def test_same_input_gives_the_same_incident_ids(pipeline, seed_results):
    again = list(pipeline.run(read_articles([SEEDS])))
    assert [i.id for r in again for i in r.incidents] == [i.id for r in seed_results for i in r.incidents]
    assert dataclasses.asdict(again[0].article) == dataclasses.asdict(seed_results[0].article)


def _one_sentence(body: str) -> Article:
    return Article("t", body, date=dt.date(2017, 4, 21), date_precision=DatePrecision.DAY)


@pytest.mark.parametrize("body,place,date", [
    ("French jets hit an arms depot near Raqqa on Tuesday, killing 12 fighters, the defence ministry said.",
     "near Raqqa", "on Tuesday"),
    ("Gunmen stormed a hospital in the city of Jalalabad late on Friday, killing 20 people.",
     "in the city of Jalalabad", "late on Friday"),
    ("A roadside bomb killed three soldiers on the outskirts of Kandahar, police said.",
     "on the outskirts of Kandahar", None),
    # "the ... state of": a kind of place between the preposition and the name it governs
    ("Maoist rebels ambushed a paramilitary patrol guarding road workers in the central Indian state of "
     "Chhattisgarh on Monday, killing 25 police officers.", "in the central Indian state of Chhattisgarh", "on Monday"),
    # the dateline gives the place: its words are the evidence
    ("MOSUL, Iraq (Reuters) - A car bomb exploded at a checkpoint on Tuesday, killing five soldiers.",
     "MOSUL", "on Tuesday"),
    # "held a rally" tells a protest; "in solidarity with the Moscow protesters" is no place of it
    ("In St Petersburg, several hundred people held a peaceful rally in solidarity with the Moscow protesters on "
     "Saturday.", "In St Petersburg", "on Saturday"),
    # of two dateline towns, the one the story names again is the scene, the other the talks' venue
    ("DOHA/KABUL (Reuters) - A car bomb exploded at a police checkpoint on Monday, killing five officers, a day "
     "before peace talks resumed in the Qatari capital. The government in Kabul condemned the attack.",
     "KABUL", "on Monday"),
])
def test_an_incident_keeps_the_phrases_that_gave_its_place_and_date(pipeline, body, place, date):
    article = _one_sentence(body)
    [incident] = pipeline.process(article).incidents
    assert (incident.place_evidence.text, incident.date_evidence and incident.date_evidence.text) == (place, date)
    for phrase in (incident.place_evidence, incident.date_evidence):
        assert phrase is None or article.text[phrase.start:phrase.end] == phrase.text


def test_villages_the_gazetteer_lacks_stay_two_events_coded_to_their_region_not_the_dateline(pipeline):
    # Neither village is in GeoNames' cities500: each keeps its name, lies in the region the story names,
    # and "the village of X came under attack" is a new event, not a reference back ("the attack").
    body = ("TBILISI (Reuters) - Separatist fighters attacked Georgian positions in South Ossetia on Friday, officials said."
            "\n\nThe village of Zarkhveti came under mortar fire late on Friday, the interior ministry said."
            "\n\nFurther east, the village of Okhvrinari came under attack on Friday night and two policemen were "
            "wounded, the ministry said.")
    got = pipeline.process(_one_sentence(body)).incidents
    villages = sorted(n.split(" (")[0] for i in got for n in i.notes if "not in the gazetteer" in n)
    assert villages == ["in Okhvrinari", "in Zarkhveti"]
    assert {i.place.name for i in got} == {"South Ossetia"}
    assert len({i.evidence[-1].sentence for i in got}) == 2


def test_a_district_the_gazetteer_lacks_stays_in_the_province_its_sentence_names(pipeline):
    # Khogyani is not in GeoNames' cities500; Ghormach, named before, lies in another province.
    body = ("Taliban fighters overran the centre of Ghormach district in the northern province of Faryab on Monday. "
            "In the east, an explosion ripped through a police vehicle in the Khogyani district of Nangarhar province "
            "on Tuesday, killing two policemen.")
    blast = [i for i in pipeline.process(_one_sentence(body)).incidents if i.type == "ied"]
    assert [(i.place.name, i.notes) for i in blast] == [
        ("Nangarhar", ("in Khogyani district (not in the gazetteer; coded to Nangarhar)",))]


@pytest.mark.parametrize("lead, types", [
    # an accident story: the deaths are the accident's, not an attack or a blast
    ("A fire that started in a chemical warehouse raced through a crowded neighbourhood of Dhaka on Wednesday, "
     "killing at least 67 people, officials said.", []),
    # the same story with someone meaning harm stays an event, and a vehicle driven into a crowd is an attack
    ("Gunmen set fire to a chemical warehouse in a crowded neighbourhood of Dhaka on Wednesday, killing at least "
     "67 people, officials said.", ["attack_on_civilians"]),
    ("A van slammed into crowds on Barcelona's Las Ramblas on Thursday, killing 13 people, police said.",
     ["attack_on_civilians"]),
])
def test_a_story_that_leads_with_an_accident_reports_no_attack(pipeline, lead, types):
    body = lead + "\n\nRescue workers pulled bodies from the wreckage and the injured were taken to hospitals nearby."
    got = [i.type for i in pipeline.process(_one_sentence(body)).incidents]
    assert [t for t in got if t in ("attack_on_civilians", "ied", "suicide_bombing", "shelling")] == types


def test_an_event_its_sentence_does_not_place_happened_where_the_leads_event_did(pipeline):
    # The lead names two places: where its strike hit and where a summit met. A later event with no place
    # of its own is placed where the lead's event happened, not at the place nearest the lead's end.
    body = ("BEIRUT (Reuters) - Warplanes struck the town of Khan Sheikhoun in southern Idlib on Friday, killing five "
            "civilians, as the presidents of Russia, Iran and Turkey met in Tehran."
            "\n\nHundreds of families fled towards the Turkish border on Thursday night, residents said.")
    got = {i.type: i for i in pipeline.process(_one_sentence(body)).incidents}
    assert got["displacement"].place.country_code == "SY"
    assert "place from lead" in got["displacement"].notes


def test_a_weapon_named_after_a_place_is_no_place(pipeline):
    body = ("AVDIIVKA, Ukraine (Reuters) - Rebel forces fired more than 2,000 artillery rounds and Grad rockets at "
            "Ukrainian positions on Monday, a military spokesman said.")
    [shelling] = pipeline.process(_one_sentence(body)).incidents
    assert (shelling.place.country_code, "Grad" in shelling.place_text) == ("UA", False)


def test_two_events_in_one_sentence_keep_their_own_place_and_date_phrases(pipeline):
    body = "A journalist was arrested in Izmir in March and an aid worker was detained in Ankara last week."
    got = pipeline.process(_one_sentence(body)).incidents
    assert [(i.place_evidence.text, i.date_evidence.text) for i in got] == [
        ("in Izmir", "in March"), ("in Ankara", "last week")]
    assert all(body[p.start:p.end] == p.text for i in got for p in (i.place_evidence, i.date_evidence))


def test_seed_incidents_phrases_point_back_into_their_articles(seed_results):
    phrases = [(r.article, p) for r in seed_results for i in r.incidents
               for p in (i.place_evidence, i.date_evidence) if p is not None]
    assert phrases
    assert all(a.text[p.start:p.end] == p.text for a, p in phrases)
    assert all(i.place_evidence is not None for r in seed_results for i in r.incidents if i.place is not None)


def test_the_pipeline_reports_the_calibrated_probability_of_the_decision_score(pipeline):
    from geo.extract.calibration import Calibration, RawScore

    article = _one_sentence("Police arrested 30 protesters in central Istanbul on Sunday after clashes with riot police.")
    raw = Pipeline(Settings(), geoparser=pipeline.geoparser, calibration=RawScore()).process(article).incidents
    calibrated = pipeline.process(article).incidents
    assert raw and [Calibration.load().probability(i) for i in raw] == [i.confidence for i in calibrated]


def test_every_so_many_articles_garbage_is_collected_and_what_is_kept_is_frozen():
    import gc
    import weakref


    class Node:
        pass

    pipeline = Pipeline(freeze_every=2)
    articles = list(read_articles([str(next(SEEDS.iterdir()))]))
    kept, cycle = Node(), Node()
    cycle.other, cycle.me = Node(), cycle          # garbage only the cyclic collector can free
    gone = weakref.ref(cycle)
    del cycle
    gc.disable()                                    # no collection but the pipeline's own
    try:
        before = gc.get_freeze_count()
        results = [pipeline.process(articles[0]) for _ in range(2)]
        assert gone() is None and gc.get_freeze_count() > before
        assert results[0] == results[1] and results[0].toponyms and kept is not None
        frozen = gc.get_freeze_count()
        host = Pipeline(freeze_every=0)                 # a long-running host leaves the collector alone
        for _ in range(4):
            host.process(articles[0])
        assert gc.get_freeze_count() <= frozen           # nothing newly frozen (refcounting may free some)
    finally:
        gc.enable()
        gc.unfreeze()
