"""Tests for geo.extract.actors: the actor lexicon and its matcher."""

from __future__ import annotations

import doctest

import pytest

import geo.extract.actors
from geo.errors import InputError, RecordError
from geo.extract.actors import Actor, ActorLexicon, read_actors


@pytest.fixture(scope="module")
def lexicon() -> ActorLexicon:
    return ActorLexicon.load()


CASES = [
    ("Militias fighting alongside Iraqi troops against Islamic State are committing war crimes.",
     ("Militias", "Military Forces of Iraq", "Islamic State")),
    ("Hashid Shaabi rejected Amnesty's accusation as lies.", ("Popular Mobilization Forces",)),
    ("Popular Mobilization Forces (PMF) fires towards Islamic State militants.",
     ("Popular Mobilization Forces", "Islamic State")),
    ("The elite counter-terrorism service (CTS) spearheads the campaign.", ("Counter-Terrorism Service",)),
    ("An officer in the federal police forces said there were heavy clashes.", ("Federal Police",)),
    ("Iraqi troops close in on IS fighters in Mosul.", ("Military Forces of Iraq", "Islamic State")),
    ("Daesh fired rockets at us and at the villagers.", ("Islamic State", "Civilians")),
    ("I can't see ISIS disappearing into thin air.", ("Islamic State",)),
    ("This is what it is.", ()),
    ("Coalition forces bombed the last remaining bridge.", ("U.S.-led coalition",)),
    ("U.S. troops fighting alongside Afghan forces have since left.",
     ("Military Forces of the United States", "Military Forces of Afghanistan")),
    ("Let us forces ourselves to look.", ()),
    ("The Taliban and the Haqqani network claimed the attack.", ("Taliban", "Haqqani network")),
    ("Houthis fired a missile at the Saudi-led coalition.", ("Houthis", "Saudi-led coalition")),
    ("al Qaeda-linked al Shabaab militants attacked an AMISOM base.", ("al Qaeda", "al Shabaab", "AMISOM")),
    ("Boko Haram gunmen killed villagers in Borno.", ("Boko Haram", "Civilians")),
    ("Syrian government forces and Russian jets pounded rebels.",
     ("Military Forces of Syria", "Military Forces of Russia", "Rebels")),
    ("The SDF and the YPG drove militants from Raqqa; Tahrir al-Sham and the Free Syrian Army clashed.",
     ("Syrian Democratic Forces", "YPG", "Militants", "Hayat Tahrir al-Sham", "Free Syrian Army")),
    ("Police fired tear gas at protesters and rioters.", ("Police", "Protesters", "Rioters")),
    ("The man who shot dead a French policeman was a jihadist.",
     ("Police", "Islamist militants")),
]


@pytest.mark.parametrize("sentence, expected", CASES)
def test_find_table(lexicon, sentence, expected):
    assert lexicon.find(sentence) == expected


def test_match_offsets_index_the_sentence(lexicon):
    sentence = "Peshmerga forces and the U.S.-led coalition advanced."
    for m in lexicon.matches(sentence):
        assert sentence[m.start:m.end] == m.text
    assert [m.actor.name for m in lexicon.matches(sentence)] == ["Peshmerga", "U.S.-led coalition"]


def test_user_file_adds_actors_and_aliases(lexicon, tmp_path):
    extra = tmp_path / "mine.csv"
    extra.write_text("# local names\nactor,aliases,kind,country_code\n"
                     "Arakan Army,AA|Arakan Army,rebel_group,MM\n"
                     "Islamic State,Tanzim al-Dawla,rebel_group,\n", encoding="utf-8")
    mine = ActorLexicon.load([extra])
    assert mine.find("The AA and Tanzim al-Dawla fighters clashed.") == ("Arakan Army", "Islamic State")
    assert "IS" in mine.get("Islamic State").aliases
    assert len(mine) == len(lexicon) + 1


def test_bad_kind_is_a_record_error_naming_the_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("actor,aliases,kind,country_code\nGood,,rebel_group,\nBad,x,warlords,\n", encoding="utf-8")
    with pytest.raises(RecordError) as err:
        read_actors(bad)
    assert err.value.line == 3 and "state_forces" in str(err.value)


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError):
        ActorLexicon.load([tmp_path / "absent.csv"])


def test_actor_rejects_unknown_kind():
    with pytest.raises(ValueError):
        Actor("X", "bandits", None, ("X",))


def test_empty_lexicon_finds_nothing():
    assert ActorLexicon([]).find("Islamic State") == ()


def test_doctests():
    assert doctest.testmod(geo.extract.actors).failed == 0
