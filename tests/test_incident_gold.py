"""The hand-coded incident splits are well formed: every type known, its family right, every quote
where its offsets say (these checks read the annotations and the texts only; no extraction runs)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from geo.evaluate.incidents import GOLD, SPLIT_FILES
from geo.extract.taxonomy import Taxonomy

FILES = [GOLD, *SPLIT_FILES.values()]


def _records(path):
    """(line, record) with `article_id` set: the written articles carry their text and name it `id`."""
    with open(path, encoding="utf-8") as f:
        rows = [(n, json.loads(line)) for n, line in enumerate(f, 1) if line.strip()]
    return [(n, {"article_id": r.get("article_id") or r["id"], **r}) for n, r in rows]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_incident_has_a_known_type_of_its_family_and_a_real_date(path):
    taxonomy = Taxonomy.load()
    ids = set()
    for n, rec in _records(path):
        where = f"{path.name}:{n}"
        assert rec["article_id"] not in ids, f"{where}: article annotated twice"
        ids.add(rec["article_id"])
        assert isinstance(rec["incidents"], list), where
        for inc in rec["incidents"]:
            assert inc["type"] in taxonomy, f"{where}: unknown type {inc['type']!r}"
            assert taxonomy.get(inc["type"]).family == inc["family"], f"{where}: {inc['type']} is not {inc['family']}"
            if inc.get("date"):
                dt.date.fromisoformat(inc["date"])
            assert inc["end"] > inc["start"] >= 0, where


def test_no_article_is_in_two_splits():
    seen: dict[str, str] = {}
    for path in FILES:
        for n, rec in _records(path):
            assert rec["article_id"] not in seen, f"{path.name}:{n}: also in {seen[rec['article_id']]}"
            seen[rec["article_id"]] = path.name


def test_every_quote_stands_at_its_offsets(corpora_dir):
    from geo.evaluate.incidents import _OTHER_CORPORA, ALL

    texts = {}
    for corpus in [ALL, *map(str, _OTHER_CORPORA.values())]:
        with open(corpus, encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                texts[rec["id"]] = rec["text"]
    for path in FILES:
        for n, rec in _records(path):
            text = rec["text"] if "text" in rec else texts[rec["article_id"]]
            for inc in rec["incidents"]:
                assert text[inc["start"]:inc["end"]] == inc["quote"], f"{path.name}:{n}: {inc['quote']!r}"


def test_the_written_articles_quotes_stand_at_their_offsets_without_any_corpus():
    from geo.evaluate.incidents import WRITTEN_FILES

    for prefix, path in WRITTEN_FILES.items():
        for n, rec in _records(path):
            assert rec["id"].startswith(prefix), f"{path.name}:{n}: {rec['id']!r}"
            for inc in rec["incidents"]:
                assert rec["text"][inc["start"]:inc["end"]] == inc["quote"], f"{path.name}:{n}: {inc['quote']!r}"


def test_the_evaluator_pairs_gold_and_predictions_one_to_one_at_most():
    """A prediction that fits two gold incidents must not cost the one it alone fits its only match: a
    greedy pairing in text order pairs the first gold incident (anywhere) with the Mosul strike and leaves
    the second (at Mosul) unmatched; a maximum matching pairs both."""
    from geo.evaluate.incidents import match, pairs
    from geo.extract.taxonomy import Taxonomy
    from geo.model import DatePrecision, Evidence, GeoPrecision, Incident, Level, Place, Span

    def strike(n, name, lat, lon):
        ev = Evidence("a", "t", "Strikes hit it.", Span(0, 15), "Strikes", Span(0, 7))
        return Incident(f"i{n}", "air_strike", "Explosions/Remote violence", "Air/drone strike", None,
                        DatePrecision.UNKNOWN, Place(name, name, lat, lon, Level.CITY, "test", "IQ"), name,
                        GeoPrecision.TOWN, (ev,))

    taxonomy = Taxonomy.load()
    gold = [{"family": "remote_violence", "place": None}, {"family": "remote_violence", "place": "Mosul"}]
    predicted = [strike(1, "Mosul", 36.34, 43.13), strike(2, "Erbil", 36.19, 44.01)]
    assert pairs(gold, predicted, taxonomy) == {0: 1, 1: 0}
    assert match(gold, predicted, taxonomy) == 2
    assert match(gold, predicted[:1] * 2, taxonomy) == 2 and match(gold * 2, predicted[:1], taxonomy) == 1
