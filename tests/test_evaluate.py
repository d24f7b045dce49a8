"""Scoring gold toponym files."""

import json

import pytest

from gazetteer.geoparser import Geoparser
from geo.errors import InputError, RecordError
from geo.evaluate.geoparse import MAX_KM, auc_of_errors, evaluate, load_gold
from tests.fake_gazetteer import FakeIndex


@pytest.fixture(scope="module")
def geoparser():
    return Geoparser.from_index(FakeIndex())


def write_gold(path, docs):
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return str(path)


def span(text, name, lat, lon, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return {"start": start, "end": start + len(name), "name": name, "lat": lat, "lon": lon}


@pytest.fixture()
def gold(tmp_path):
    t1 = "Fighting in Mosul spread toward Erbil, officials in Baghdad said."
    t2 = "Talks in Vienna and Xanadoodle ended."
    docs = [
        {"id": "a", "text": t1, "toponyms": [span(t1, "Mosul", 36.34, 43.13), span(t1, "Erbil", 36.19, 44.01),
                                             span(t1, "Baghdad", 33.34, 44.40)]},
        {"id": "b", "text": t2, "toponyms": [span(t2, "Vienna", 48.21, 16.37), span(t2, "Xanadoodle", 10.0, 10.0)],
         "unresolved_toponyms": []},
    ]
    return write_gold(tmp_path / "gold.jsonl", docs)


def test_auc_is_zero_for_perfect_and_one_for_worst_answers():
    assert auc_of_errors([0.0, 0.0, 0.0]) == 0.0
    assert auc_of_errors([MAX_KM, MAX_KM]) == pytest.approx(1.0, abs=1e-4)
    assert 0.0 < auc_of_errors([0.0, 100.0, MAX_KM]) < 1.0


def test_resolve_mode_scores_gold_spans_and_counts_unresolved_as_max_error(geoparser, gold):
    report = evaluate(gold, geoparser, mode="resolve")
    r = report.resolution
    assert report.documents == 2
    assert r.n == 5 and r.unresolved == 1
    assert r.accuracy_161 == pytest.approx(0.8)
    assert report.baseline is not None and report.baseline.n == 5
    assert report.recognition is None


def test_end_to_end_mode_scores_recognition(geoparser, gold):
    rec = evaluate(gold, geoparser, mode="end-to-end").recognition
    assert rec.gold == 5
    assert rec.exact == 4          # Xanadoodle is not in the gazetteer
    assert rec.recall == pytest.approx(0.8)
    assert rec.precision == pytest.approx(1.0)
    assert rec.accuracy_161_matched == pytest.approx(1.0)


def test_report_formats_and_serialises(geoparser, gold):
    report = evaluate(gold, geoparser, mode="both")
    text = report.format()
    assert "acc@161" in text and "exact span" in text and "most populous" in text
    assert json.loads(json.dumps(report.to_dict()))["resolution"]["n"] == 5


def test_unknown_mode_is_rejected(geoparser, gold):
    with pytest.raises(ValueError, match="resolve"):
        evaluate(gold, geoparser, mode="fast")


def test_bad_spans_are_reported_with_the_line(tmp_path):
    path = write_gold(tmp_path / "bad.jsonl", [{"text": "abc", "toponyms": [{"start": 2, "end": 9, "lat": 0, "lon": 0}]}])
    with pytest.raises(RecordError, match=":1"):
        list(load_gold(path))


def test_missing_gold_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError):
        list(load_gold(str(tmp_path / "nope.jsonl")))


def test_literal_only_keeps_literal_geowebnews_types(tmp_path):
    t = "Russian hackers hit Berlin."
    doc = {"text": t, "toponyms": [dict(span(t, "Russian", 60, 100), type="Non_Literal_Modifier"),
                                   dict(span(t, "Berlin", 52.5, 13.4), type="Literal")]}
    path = write_gold(tmp_path / "g.jsonl", [doc])
    assert [g.name for g in next(load_gold(path, literal_only=True)).toponyms] == ["Berlin"]


@pytest.mark.slow
def test_lgl_sample_resolves_better_than_the_population_baseline(corpora_dir, gazetteer_index):
    report = evaluate(str(corpora_dir / "lgl" / "lgl.jsonl"), Geoparser.open(gazetteer_index.path),
                      mode="resolve", limit=120)
    assert report.resolution.accuracy_161 > report.baseline.accuracy_161
    assert report.resolution.accuracy_161 > 0.6


@pytest.mark.parametrize("extra, expect", [
    # the corpus's own GeoNames feature code decides first (LGL)
    ({"feature_class": "A", "feature_code": "PCLI"}, "countries"),
    ({"feature_class": "A", "feature_code": "ADM1"}, "admin regions"),
    ({"feature_class": "P", "feature_code": "PPL"}, "populated places"),
    ({"feature_class": "H", "feature_code": "STM"}, "water"),
    # then its GeoNames id: a country's (country_points.csv) or a town the gazetteer holds
    ({"geonameid": "99237"}, "countries"),
    ({"geonameid": "99072"}, "populated places"),
    # else the gazetteer's reading nearest the gold point
    ({}, "populated places"),
])
def test_resolution_is_also_reported_by_feature_class(tmp_path, geoparser, extra, expect):
    t = "Fighting in Mosul went on."
    path = write_gold(tmp_path / "g.jsonl", [{"text": t, "toponyms": [dict(span(t, "Mosul", 36.34, 43.13), **extra)]}])
    report = evaluate(path, geoparser, mode="resolve")
    assert list(report.by_class) == [expect]
    assert report.by_class[expect].n == 1 and report.by_class[expect].accuracy_161 == 1.0
    assert f"  {expect}" in report.format()
    assert json.loads(json.dumps(report.to_dict()))["by_class"][expect]["n"] == 1


def test_feature_classes_split_the_errors_of_a_mixed_gold_file(tmp_path, geoparser):
    t = "Fighting in Mosul spread across Iraq and toward Xanadoodle."
    tops = [dict(span(t, "Mosul", 36.34, 43.13), feature_class="P", feature_code="PPLA"),
            dict(span(t, "Iraq", 33.0, 44.0), feature_class="A", feature_code="PCLI"),
            dict(span(t, "Xanadoodle", 10.0, 10.0), feature_class="P", feature_code="PPL")]
    report = evaluate(write_gold(tmp_path / "g.jsonl", [{"text": t, "toponyms": tops}]), geoparser, mode="resolve")
    assert report.by_class["countries"].accuracy_161 == 1.0
    places = report.by_class["populated places"]
    assert (places.n, places.unresolved, places.accuracy_161) == (2, 1, 0.5)


def test_toponyms_with_a_geonames_id_are_also_scored_apart(tmp_path, geoparser):
    t = "Fighting in Mosul spread toward Xanadoodle and Erbil."
    tops = [dict(span(t, "Mosul", 36.34, 43.13), geonameid="99072"), dict(span(t, "Xanadoodle", 10.0, 10.0), geonameid="1"),
            span(t, "Erbil", 36.19, 44.01)]
    report = evaluate(write_gold(tmp_path / "g.jsonl", [{"text": t, "toponyms": tops}]), geoparser, mode="resolve")
    ids = report.with_geonameid
    assert (ids.n, ids.unresolved, ids.accuracy_161) == (2, 1, 0.5)
    assert "with GeoNames id" in report.format()
