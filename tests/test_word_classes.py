"""The word classes kept in data: name particles (gazetteer/data/particles.txt, through the lexicon) and
the function words of the date and count readers (geo/data/function_words.csv, geo/extract/words.py)."""

import datetime as dt

import pytest

from gazetteer.mentions.lexicon import load_lexicon
from gazetteer.names import strip_article, without_articles
from geo.errors import UsageError
from geo.extract.dates import event_dates, is_reporting
from geo.extract.words import word_class, word_rows


def test_name_particle_classes_differ_only_where_the_code_needs_them_to():
    lex = load_lexicon()
    assert lex.particles_before_mention - lex.particles_before_capital == {"abu"}
    assert {"da", "di"} <= lex.person_particles and "ash" not in lex.person_particles
    assert {"county", "river", "highway"} <= lex.name_levels


@pytest.mark.parametrize(("key", "bare"), [
    ("hay al wahda", "wahda"), ("hayy tanak", "hayy tanak"), ("ad dawr", "dawr"), ("ez zor", "ez zor"),
])
def test_articles_and_quarter_prefixes_come_off_a_key_from_the_particle_file(key, bare):
    assert strip_article(key) == bare


def test_articles_anywhere_include_the_spellings_only_compared_not_stripped():
    assert without_articles("deir ez zor") == without_articles("deir al zor") == "deir zor"


def test_report_verbs_after_a_date_are_fewer_than_before_one():
    after, before = word_class("report-verb-after"), word_class("report-verb")
    assert set(after) < set(before) and "Reuters" in word_class("report-trimming")


def test_a_function_word_row_of_unknown_kind_names_file_and_line(tmp_path):
    path = tmp_path / "words.csv"
    path.write_text("# words\nkind,word\nstop,the\n# mid\nshout,said\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"words\.csv:5: expected kind"):
        word_rows(path)


@pytest.mark.parametrize(("sentence", "reporting"), [
    ("Police said on Friday a car bomb killed five.", True),
    ("The officials told Reuters in an interview on Friday that five died.", True),
    ("A car bomb killed five on Friday.", False),
])
def test_a_date_after_a_reporting_phrase_dates_the_telling(sentence, reporting):
    dates = [d for d in event_dates(sentence, published=dt.date(2017, 1, 7)) if d.text.endswith("Friday")]
    assert dates and is_reporting(sentence, dates[0]) is reporting
