"""Event frames read from spaCy's parse (geo/extract/frames.py), on sentences written for these tests."""

import pytest

from geo.errors import ModelError
from geo.extract import frames
from geo.extract.frames import MAX_CHARS, Attachment, Modality, event_frame, parse


def frame_of(sentence: str, trigger: str):
    """The frame of the first occurrence of `trigger` in `sentence`, parsed on its own."""
    (doc,) = parse([sentence])
    start = sentence.index(trigger)
    got = event_frame(doc, 0, (start, start + len(trigger)))
    assert got is not None
    return got


def words(sentence: str, span) -> str | None:
    return sentence[span.start:span.end] if span is not None else None


def attached(sentence: str, trigger: str, phrase: str) -> Attachment:
    start = sentence.index(phrase)
    return frame_of(sentence, trigger).attaches(start, start + len(phrase))


@pytest.mark.parametrize("sentence,trigger,modality", [
    ("The rebels vowed to attack the army base in Kidal before the rains.", "attack", Modality.THREATENED),
    ("The militia is planning to storm the prison in Bunia, a commander said.", "storm", Modality.PLANNED),
    ("Officials warned that the army could shell the villages near Idlib.", "shell", Modality.POSSIBLE),
    ("Government jets bombed the villages near Idlib on Sunday.", "bombed", Modality.HAPPENED),
])
def test_the_verbs_above_the_predicate_give_its_modality(sentence, trigger, modality):
    assert frame_of(sentence, trigger).modality is modality


@pytest.mark.parametrize("sentence,trigger,negated", [
    ("Police did not arrest anyone at the march in Harare on Saturday.", "arrest", True),
    ("Soldiers never fired on the crowd in Conakry, the ministry said.", "fired", True),
    ("Soldiers fired on the crowd in Conakry, the opposition said.", "fired", False),
])
def test_a_negated_predicate_is_read_as_negated(sentence, trigger, negated):
    assert frame_of(sentence, trigger).negated is negated


def test_who_acted_and_what_was_hit_in_active_and_passive_voice():
    active = "Government jets bombed a clinic outside Maarat on Sunday."
    f = frame_of(active, "bombed")
    assert (words(active, f.agent), words(active, f.target)) == ("Government jets", "a clinic outside Maarat")
    passive = "A clinic outside Maarat was bombed by government jets on Sunday."
    f = frame_of(passive, "bombed")
    assert (words(passive, f.agent), words(passive, f.target)) == ("government jets", "A clinic outside Maarat")


def test_an_event_noun_that_is_its_clauses_subject_has_no_agent_but_its_clause():
    sentence = "A drone strike on a farm near Jilib killed four herders on Monday."
    f = frame_of(sentence, "drone strike")
    assert words(sentence, f.predicate) == "strike" and words(sentence, f.clause) == "killed"
    assert f.agent is None and words(sentence, f.target) == "four herders"


def test_a_predicate_in_a_relative_clause_about_someone_else_is_marked_relative():
    sentence = "The men, who ambushed a convoy near Menaka last year, were detained in Gao on Friday."
    assert frame_of(sentence, "ambushed").relative
    assert not frame_of(sentence, "detained").relative


@pytest.mark.parametrize("phrase,attachment", [
    ("Lusaka", Attachment.OTHER),            # where the delegates met
    ("on Tuesday", Attachment.OTHER),        # when they met
    ("Delegates", Attachment.TELLING),       # who told it
    ("Chipata", Attachment.OWN),             # where the looting happened
    ("on Sunday", Attachment.OWN),           # when it happened
])
def test_each_phrase_attaches_to_the_predicate_that_governs_it(phrase, attachment):
    sentence = "Delegates who met in Lusaka on Tuesday said rioters looted shops in Chipata on Sunday."
    assert attached(sentence, "looted", phrase) is attachment


def test_the_place_a_relative_clause_is_about_is_the_events():
    sentence = "Mourners gathered in Erbil for the loss of the city of Kirkuk, which Iraqi troops captured on Monday."
    assert attached(sentence, "captured", "Kirkuk") is Attachment.OWN
    assert attached(sentence, "captured", "Erbil") is Attachment.TELLING


def test_what_the_event_was_for_is_the_events():
    sentence = "Troops launched a raid on Friday to drive the rebels from Kidal."
    assert attached(sentence, "launched a raid", "Kidal") is Attachment.OWN


def test_a_place_in_the_agents_phrase_is_the_agents():
    sentence = "Soldiers from Chad killed six militants in Diffa on Monday."
    assert attached(sentence, "killed", "Chad") is Attachment.AGENT
    assert attached(sentence, "killed", "Diffa") is Attachment.OWN


def test_the_preposition_of_a_place_phrase_looks_past_of():
    sentence = "Fighters clashed on the outskirts of the town of Tal Afar after a rocket fired from Sinjar hit a school."
    f = frame_of(sentence, "clashed")
    start = sentence.index("Tal Afar")
    assert f.preposition(start, start + len("Tal Afar")) == "on"
    start = sentence.index("Sinjar")
    assert f.preposition(start, start + len("Sinjar")) == "from"


def test_a_sentence_longer_than_the_limit_is_not_parsed():
    long = "Gunmen attacked a village. " * (MAX_CHARS // 20)
    assert len(long) > MAX_CHARS
    assert parse(["Gunmen attacked a village.", long])[1] is None


def test_a_missing_model_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(frames, "MODEL", "en_core_web_sm_not_installed")
    frames.nlp.cache_clear()
    try:
        with pytest.raises(ModelError, match=r"pip install spacy en-core-web-sm"):
            frames.nlp()
    finally:
        monkeypatch.undo()
        frames.nlp.cache_clear()
