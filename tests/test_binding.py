"""What the text says outright binds the resolver: containers, a dateline's country, level words.

Each row is a sentence written for these tests, run through the real index and geoparser.
"""

from __future__ import annotations

import pytest

from gazetteer.errors import ImportFileError
from gazetteer.geoparser import Geoparser
from gazetteer.model import Level, Mention
from gazetteer.resolve import binding
from tests.conftest import place_named


@pytest.fixture(scope="module")
def geo(real_geoparser):
    return real_geoparser


@pytest.mark.slow
@pytest.mark.parametrize("text, name, level, country, admin1", [
    # "X, Y": Y holds X when any reading of X lies in Y
    ("Flooding cut roads across Queensland, Australia on Monday.", "Queensland", Level.PROVINCE, "AU", "Queensland"),
    ("She grew up in Paris, Idaho, a farming town of five hundred.", "Paris", Level.CITY, "US", "Idaho"),
    ("The car plant in London, Ontario closed after forty years.", "London", Level.CITY, "CA", "Ontario"),
    ("He moved to Springfield, Illinois, last spring.", "Springfield", Level.CITY, "US", "Illinois"),
    ("Her family lives in Atlanta, Georgia.", "Atlanta", Level.CITY, "US", "Georgia"),
    ("Clashes in Mosul, Iraq left five dead.", "Mosul", Level.CITY, "IQ", None),
    # a list is no container: neither state is a town in the other
    ("Storms hit Texas, Florida and Georgia overnight.", "Texas", Level.PROVINCE, "US", "Texas"),
    ("Cases were found in New York, Indiana, Ohio and Wisconsin.", "Indiana", Level.PROVINCE, "US", "Indiana"),
    ("Envoys from Iraq, Iran and Syria met in Geneva.", "Iraq", Level.COUNTRY, "IQ", None),
    # a level word picks the level of a name that is both a region and a town
    ("Protests spread across Quebec province on Sunday.", "Quebec", Level.PROVINCE, "CA", None),
    ("Police in Quebec city arrested two men.", "Quebec", Level.CITY, "CA", None),
    ("Voters in New York state backed the bill.", "New York", Level.PROVINCE, "US", None),
    ("Farmers across the state of New York lost their crops.", "New York", Level.PROVINCE, "US", None),
    # the level word keeps every town of the name, under any of its names: Odesa, not Odessa, Texas
    ("In Ukraine, police arrested a man in the city of Odessa on Friday.", "Odessa", Level.CITY, "UA", None),
])
def test_container_and_level_word_decide(geo, text, name, level, country, admin1):
    place = place_named(geo, text, name)
    assert place is not None
    assert (place.level, place.country_code) == (level, country)
    if admin1:
        assert place.admin1 == admin1


@pytest.mark.slow
@pytest.mark.parametrize("text, places, country, name, expect", [
    # the dateline's country binds every place the dateline names: inside it, or unresolved
    ("KABUL/ABDUL KHIL, Afghanistan (Reuters) - Fighting went on near the village.",
     ("KABUL", "ABDUL KHIL"), "Afghanistan", "ABDUL KHIL", None),
    ("KABUL/ABDUL KHIL, Afghanistan (Reuters) - Fighting went on near the village.",
     ("KABUL", "ABDUL KHIL"), "Afghanistan", "KABUL", "AF"),
    ("ATLANTA, Georgia (Reuters) - The city council met on Monday.", ("ATLANTA",), "Georgia", "ATLANTA", "US"),
    ("TBILISI, Georgia (Reuters) - The government met on Monday.", ("TBILISI",), "Georgia", "TBILISI", "GE"),
])
def test_a_datelines_country_binds_its_places(geo, text, places, country, name, expect):
    place = place_named(geo, text, name, dateline_places=places, dateline_country=country)
    assert (place.country_code if place else None) == expect


@pytest.mark.slow
def test_gold_spans_get_the_container_the_text_names(geo):
    text = "The plant in London, Ontario closed."
    spans = [Mention(13, 19, "London", "gold"), Mention(21, 28, "Ontario", "gold")]
    annotated = geo.annotate(text, spans)
    assert [m.container for m in annotated] == ["Ontario", None]
    london = geo.resolve(text, annotated)[0].place
    assert (london.country_code, london.admin1) == ("CA", "Ontario")


@pytest.mark.slow
def test_seed_dateline_abdul_khil_stays_in_afghanistan_or_unresolved(gazetteer_index, seeds_dir):
    from geo.read.articles import read_articles
    from geo.run.pipeline import Pipeline

    [article] = [a for a in read_articles([str(seeds_dir)]) if a.dateline and "ABDUL KHIL" in a.dateline.places]
    assert article.dateline.country == "Afghanistan"
    result = Pipeline(geoparser=Geoparser.open(gazetteer_index.path)).process(article)
    khil = [t for t in result.toponyms if t.mention.text.lower() == "abdul khil"]
    assert khil, "the dateline's Abdul Khil was not found"
    assert all(t.place is None or t.place.country_code == "AF" for t in khil)


def test_level_picks_file_maps_words_to_levels():
    picks = binding.level_picks()
    assert picks["province"] is Level.PROVINCE and picks["state"] is Level.PROVINCE
    assert picks["city"] is Level.CITY
    assert "region" not in picks and "area" not in picks   # the Charlotte region is a metro area


@pytest.mark.parametrize("rows, message", [
    ("word,level\nstate,province\nstate,city\n", "once"),
    ("word,level\nstate,kingdom\n", "unknown level 'kingdom'"),
    ("word,level\n,city\n", "needs a word"),
])
def test_a_bad_level_picks_row_names_file_and_line(tmp_path, monkeypatch, rows, message):
    path = tmp_path / binding.LEVEL_PICKS
    path.write_text(rows, encoding="utf-8")
    monkeypatch.setattr(binding, "data_path", lambda name: tmp_path / name)
    binding.level_picks.cache_clear()
    try:
        with pytest.raises(ImportFileError, match=message) as info:
            binding.level_picks()
        assert str(path) in str(info.value) and info.value.line == len(rows.splitlines())
    finally:
        binding.level_picks.cache_clear()
