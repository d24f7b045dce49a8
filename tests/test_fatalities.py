"""Tests for geo.extract.fatalities: ACLED-style counts of people killed and injured."""

from __future__ import annotations

import doctest
import json

import pytest

import geo.extract.fatalities
from geo.extract.fatalities import Casualties, casualties

CASES = [
    # sentence, fatalities, injured — from the seed articles and the ISOT Reuters sample
    ("An attack claimed by Islamic State killed six people on Thursday on the capital's eastern outskirts.", 6, None),
    ("The gunman opened fire on a police vehicle late on Thursday, killing one officer and injuring two others "
     "before being shot dead.", 1, 2),
    ("The man who shot dead a French policeman in an Islamist militant attack had served time.", 1, None),
    ("French CRS police patrol the day after a policeman was killed and two others were wounded.", 1, 2),
    ("Jubbouri said the coalition had killed 70 militants since late on Thursday.", 70, None),
    ("The militants displayed their tactics, killing dozens with bombs in Baghdad.", 12, None),
    ("Scores of Syrians were killed by poison gas on Tuesday.", 20, None),
    ("The toll in the attack on Imam Zaman mosque rose to 54 killed, including children, and 55 wounded.", 54, 55),
    ("At least 328 people were killed and over 2,500 injured by a quake.", 328, 2500),
    ("Since 2003, almost 22,000 civilians and nearly 7,000 security forces have been killed.", 29000, None),
    ("Between 10 and 15 people were killed in the raid.", 10, None),
    ("Ten to 15 people were killed in the raid.", 10, None),
    ("A gunman killed 20 children and six staff members at the school.", 26, None),
    ("A devastating May 31 truck bomb killed more than 80 people and wounded 460 in Kabul.", 80, 460),
    ("The drones fired missiles, killing at least 31 people over two days.", 31, None),
    ("More than 20 vehicles were destroyed and dozens of soldiers killed.", 12, None),
    ("Salvin would not comment on claims that nearly 100 Islamic State fighters died in the strike.", 100, None),
    ("The radio claimed none of its fighters were killed.", 0, None),
    ("The military has high confidence that no civilians were harmed.", 0, 0),
    ("A missile was intercepted near Riyadh airport and there were no casualties.", 0, 0),
    ("A Muslim soldier killed in Iraq was buried on Friday.", 1, None),
    # counts that are not casualties
    ("Iraqi forces have retaken around 70 percent of eastern Mosul.", None, None),
    ("The assault involves a 100,000-strong ground force of Iraqi troops.", None, None),
    ("A 63-year-old man was arrested after the blast.", None, None),
    ("Amnesty interviewed relatives of those killed, detained or missing.", None, None),
    ("A large number of wounded militants were ferried across the river.", None, None),
    ("Islamic State blazed across northern Iraq in 2014 killed.", None, None),
    ("The fund paid $5 million to families of those killed.", None, None),
    # event-note style: the count closes the note, singular or plural
    ("Militants hanged a man accused of spying near Jowhar (Middle Shabelle). 1 fatality.", 1, None),
    ("Police fired on the crowd in Kisumu. 2 fatalities, 1 injury.", 2, 1),
    ("The clash left one death and two injuries.", 1, 2),
    ("He was sentenced to death in 2015.", None, None),
]


@pytest.mark.parametrize("sentence, fatalities, injured", CASES)
def test_casualties_table(sentence, fatalities, injured):
    got = casualties(sentence)
    assert (got.fatalities, got.injured) == (fatalities, injured)


def test_casualty_text_is_the_words_the_figure_came_from():
    sentence = "Militants stormed the base, killing at least 43 soldiers, officials said."
    got = casualties(sentence)
    assert got.text == "killing at least 43 soldiers" and got.text in sentence


def test_no_count_gives_empty_text():
    assert casualties("Iraqi forces advanced on the Old City.") == Casualties(None, None, "")


def test_negative_counts_are_rejected():
    with pytest.raises(ValueError):
        Casualties(-1, None)


def test_reuters_sample_counts_are_plausible(corpora_dir):
    corpus = corpora_dir / "isot-reuters-true-sample" / "isot-true.conflict.jsonl"
    found = 0
    for line in corpus.read_text(encoding="utf-8").splitlines():
        for sentence in json.loads(line)["text"].split(". "):
            c = casualties(sentence)
            for n in (c.fatalities, c.injured):
                assert n is None or 0 <= n < 1_000_000, sentence
            found += c.fatalities is not None
    assert found >= 50


def test_doctests():
    assert doctest.testmod(geo.extract.fatalities).failed == 0


@pytest.mark.parametrize("sentence", [
    "Gunmen killed 99999999999999999999999 civilians in the village.",
    "A bomb killed 9223372036854775808 people at the market.",
])
def test_an_impossible_count_is_no_count(sentence):
    assert casualties(sentence).fatalities is None


@pytest.mark.parametrize("sentence,fatalities,injured", [
    ("Two people were killed, including a child, and 7 wounded.", 2, 7),
    ("Gunmen killed 12 villagers, including 5 children, and wounded 8 others.", 12, 8),
    ("Three soldiers were killed, including a colonel, and four were hurt.", 3, 4),
])
def test_a_part_of_a_count_already_told_is_not_added_to_the_next_count(sentence, fatalities, injured):
    """"including a child" is one of the two killed: it is not one more of the wounded."""
    c = casualties(sentence)
    assert (c.fatalities, c.injured) == (fatalities, injured)


@pytest.mark.parametrize("sentence,fatalities", [
    ("Five people, including two children, were killed when the car bomb went off.", 5),
    ("Seven civilians, three of them women, were shot dead at the checkpoint.", 7),
    ("Twelve people, most of them students, died in the blast.", 12),
    ("At least 20 people (among them four children) died when the shell hit the school.", 20),
    ("The bomb killed two soldiers, including an officer, and three civilians.", 5),
])
def test_an_aside_naming_part_of_the_count_neither_hides_it_nor_adds_to_it(sentence, fatalities):
    """"Five people, including two children, were killed": the aside stands between the count and its verb."""
    assert casualties(sentence).fatalities == fatalities


@pytest.mark.parametrize("sentence,fatalities", [
    ("A mob lynched two suspected thieves in Kano.", 2),
    ("Three men were hacked to death in the village.", 3),
    ("Two women were stoned to death by militants.", 2),
])
def test_a_killing_told_by_its_manner_is_counted(sentence, fatalities):
    assert casualties(sentence).fatalities == fatalities
