"""The event detector's files: the model, the labelled sentences, the weights; and training."""

from __future__ import annotations

import json

import numpy as np
import pytest

from geo.errors import ModelError, RecordError, UsageError
from geo.extract.decide import SUBSUMES_FILE, WEIGHTS_FILE, Weights, subsumptions
from geo.extract.eventdata import LabelledSentence, read_labelled, written_files
from geo.extract.events import DEFAULT_MODEL, RETRAIN, EventModel, bundled_model
from geo.extract.features import NAME_WORD, Featurizer, function_words, names_masked
from geo.extract.taxonomy import Taxonomy, family_kinds
from geo.extract.training import data_digest, score, train

TAX = Taxonomy.load()


@pytest.fixture(scope="module")
def model():
    return EventModel.load()


@pytest.fixture(scope="module")
def featurizer():
    return Featurizer.load()


def test_the_shipped_model_was_trained_on_the_data_in_the_repository(model):
    assert model.meta["data"] == data_digest(written_files()), f"stale model: retrain with `{RETRAIN}`"


def test_the_shipped_model_knows_every_type_of_the_taxonomy(model):
    assert set(model.labels) == set(TAX.names)


def test_the_model_file_holds_no_pickled_object():
    with np.load(DEFAULT_MODEL, allow_pickle=False) as npz:     # raises on any object array
        assert {"features", "labels", "weights", "bias", "meta"} <= set(npz.files)
        assert all(npz[k].dtype != object for k in npz.files)


def test_a_missing_model_says_how_to_retrain(tmp_path):
    with pytest.raises(ModelError, match="train_events"):
        EventModel.load(tmp_path / "none.npz")


def test_a_corrupt_model_says_how_to_retrain(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ModelError, match="train_events"):
        EventModel.load(bad)


def test_a_model_of_another_version_is_refused(tmp_path, model):
    with np.load(DEFAULT_MODEL, allow_pickle=False) as npz:
        parts = {k: npz[k] for k in npz.files}
    meta = json.loads(str(parts["meta"]))
    meta["features_version"] = -1
    parts["meta"] = np.array(json.dumps(meta))
    old = tmp_path / "old.npz"
    np.savez(old, **parts)
    with pytest.raises(ModelError, match="features -1"):
        EventModel.load(old)


def test_probabilities_are_a_distribution_and_events_outweigh_chatter(model):
    attack = model.type_probabilities("Gunmen shot dead five villagers in Zamfara state on Sunday.")[0]
    chatter = model.type_probabilities("The finance minister presented next year's budget to parliament.")[0]
    assert 0.0 <= sum(chatter.values()) < 0.5 < sum(attack.values()) <= 1.0 + 1e-9
    assert max(attack, key=attack.__getitem__) == "attack_on_civilians"


def test_the_prefilter_passes_event_words_and_skips_chatter(model):
    assert model.candidate_starts("Militants shelled the village.")
    assert not model.candidate_starts("The weather was mild.")


def test_features_name_words_stems_pairs_rules_and_actor_kinds(featurizer):
    feats = featurizer.features("Islamic State militants could not have bombed the bridge on Monday.")
    assert {"w:bombed", "s:bomb", "m:modal", "m:negation", "a:rebel_group", "t:ied"} <= feats
    assert "w:the" not in feats          # a stop word alone says nothing


def test_function_words_have_kinds():
    kinds = function_words()
    assert kinds["not"] == "negation" and kinds["will"] == "modal" and kinds["the"] == "stop"


def test_every_family_says_what_tells_its_types_apart():
    assert set(TAX.families()) <= set(family_kinds())
    assert TAX.one_event_across_types("battle") and not TAX.one_event_across_types("remote_violence")


@pytest.mark.parametrize("line,message", [
    ('{"id": "a", "text": "x", "labels": ["bombing"], "split": "train"}', "unknown type 'bombing'"),
    ('{"id": "a", "text": "x", "labels": ["none", "riot"], "split": "train"}', "cannot stand beside"),
    ('{"id": "a", "text": "x", "labels": ["riot"], "split": "later"}', "split must be one of"),
    ('{"id": "a", "text": "x", "labels": ["riot"]}', "missing field 'split'"),
    ('{"id": "a", "text": "x", "labels": ["riot"], "split": "train", "style": "poem"}', "unknown style"),
    ('{not json', "not JSON"),
])
def test_a_bad_labelled_row_names_its_file_and_line(tmp_path, line, message):
    path = tmp_path / "written_bad.jsonl"
    good = '{"id": "g", "text": "Police fired tear gas.", "labels": ["protest_intervention"], "split": "train"}'
    path.write_text(good + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(RecordError, match=message) as err:
        read_labelled([path], TAX.names)
    assert f"{path}:2" in str(err.value)


def test_a_duplicate_id_names_both_lines(tmp_path):
    path = tmp_path / "written_dup.jsonl"
    row = '{"id": "same", "text": "Rebels seized the town.", "labels": ["territory_captured"], "split": "dev"}'
    path.write_text(row + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(RecordError, match=r"also at .*:1"):
        read_labelled([path], TAX.names)


def test_the_written_data_covers_every_type_in_every_split():
    rows = read_labelled(written_files(), TAX.names)
    for split in ("train", "dev", "test"):
        part = [r for r in rows if r.split == split]
        missing = {t for t in TAX.names if not any(t in r.labels for r in part)}
        assert not missing, (split, missing)
    assert min(sum(t in r.labels for r in rows) for t in TAX.names) >= 60
    assert sum(not r.labels for r in rows) > len(rows) / 3      # plenty of look-alikes and chatter


@pytest.mark.parametrize("row,message", [
    ("model,abc,x", "not a number"),
    ("modle,0.5,x", "unknown weight 'modle'"),
])
def test_a_bad_weights_file_names_its_file_and_line(tmp_path, row, message):
    _bad_row_names_file_and_line(WEIGHTS_FILE, row, message, Weights.load, tmp_path)


def _bad_row_names_file_and_line(source, row, message, load, tmp_path):
    """`source` with `row` appended: `load` raises a UsageError matching `message` that names the new line."""
    lines = source.read_text(encoding="utf-8").splitlines()
    path = tmp_path / source.name
    path.write_text("\n".join(lines + [row]) + "\n", encoding="utf-8")
    with pytest.raises(UsageError, match=message) as err:
        load(path)
    assert f"{path}:{len(lines) + 1}" in str(err.value)


def test_training_learns_from_a_small_set_and_saves_what_it_predicts(tmp_path, featurizer):
    rows = [r for r in read_labelled(written_files(), TAX.names) if r.split == "train"][::4]
    labels = [t for t in TAX.names if any(t in r.labels for r in rows)]
    trained = train(rows, labels, featurizer, digest="small")
    path = tmp_path / "m.npz"
    trained.save(path)
    again = EventModel.load(path)
    text = "Police fired tear gas at students marching in Nairobi on Tuesday."
    assert again.type_probabilities(text)[0] == pytest.approx(trained.type_probabilities(text)[0], abs=1e-5)
    held_out = [r for r in read_labelled(written_files(), TAX.names) if r.split == "dev"]
    assert score(again, held_out).weighted_f1 > 0.5


def test_labelled_sentence_rejects_none_as_a_label():
    with pytest.raises(ValueError):
        LabelledSentence("x", "text", ("none",), "train")


@pytest.mark.parametrize("row,message", [
    ("strategic/arrest,protestt,always,,x", "whole FAMILY"),
    ("strategic/protest,protest,always,,x", "part FAMILY"),
    ("strategic/arrest,protest,sometimes,,x", "always|unless_strong"),
    ("strategic/arrest,protest,always,protest>riot,x", "becomes FROM>TO"),
])
def test_a_bad_subsumes_file_names_its_file_and_line(tmp_path, row, message):
    _bad_row_names_file_and_line(SUBSUMES_FILE, row, message, subsumptions, tmp_path)


def test_the_blind_notes_are_valid_and_share_no_text_with_the_training_rows():
    """The ACLED-style notes written blind on the tenth day (geo/data/events/blind_notes.jsonl) read cleanly,
    are all test rows, have their second annotation's ids, and repeat no written training sentence."""
    from geo.evaluate.events import BLIND_NOTES
    from geo.extract.eventdata import read_labelled, written_files
    from geo.extract.taxonomy import Taxonomy

    names = Taxonomy.load().names
    blind = read_labelled([BLIND_NOTES], names)
    assert len(blind) == 400 and {r.split for r in blind} == {"test"}
    written = {r.text.lower() for r in read_labelled(written_files(), names)}
    assert not [r.id for r in blind if r.text.lower() in written]
    second = [json.loads(line)["id"] for line in
              BLIND_NOTES.with_name("blind_notes_second_annotation.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(second) == 40 and set(second) <= {r.id for r in blind}


def test_a_sentences_features_are_the_same_from_its_articles_triggers_as_from_its_own(featurizer):
    from pathlib import Path

    from geo.extract.triggers import Hit, Rules
    from geo.read.text import sentences

    rules = Rules.load()
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(seeds.iterdir()))
    every, lowered = rules.word_starts(text, 0, len(text))
    assert lowered
    compared = 0
    for s in sentences(text, 0, len(text)):
        own = rules.stretch_starts(text, every, s.start, s.end)
        if own is None:
            continue
        hits = [Hit(h.type, h.strength, h.start - s.start, h.end - s.start, h.text)
                for h in rules.hits(text, s.start, s.end, every)]
        assert featurizer.features(s.text, own, hits) == featurizer.features(s.text), s.text
        compared += bool(hits)
    assert compared > 50


@pytest.mark.parametrize("text", [
    "A cyber-attack hit the ministry; a booby-trap killed two. Militants shelled al-Bab and Abuja-Kaduna road.",
    "Protesters’ march: anti-government rally, self-immolation in KABUL; ISIS’s attack",
    "İstanbul: the ıslamic state's ſhelling, \u212aILLED 5 — Émeutes à Σparta, killings",
    "-attack 'killed ’bombed x-killed 9killed _killed",
])
def test_trigger_and_prefilter_starts_found_in_one_pass_are_those_each_finds_alone(model, text):
    from geo.extract.triggers import Rules

    rules = Rules.load()
    for start, end in ((0, len(text)), (1, len(text)), (5, len(text) - 3), (len(text), len(text))):
        every, lowered = rules.word_starts(text, start, end)
        assert rules.word_starts_with(text, start, end, model.prefilter) == (
            every, lowered, model.candidate_starts(text, start, end)), (start, end)


def test_lower_casing_keeps_each_characters_class_and_makes_the_letters_folding_does():
    """What lets `Rules.word_starts_with` read the pre-filter's words on lower-cased text (outside the length
    changes and the two letters it checks for)."""
    import re

    from geo.extract.triggers import Caseless

    word = re.compile(r"[\w'’]")
    for cp in range(0x110000):
        c = chr(cp)
        low = c.lower()
        if len(low) != 1 or c in "\u0131\u017f":
            continue
        if low.isascii() or Caseless.fold(c).isascii() or low in "'’":
            assert low == Caseless.fold(c), hex(cp)
        else:
            assert bool(word.match(c)) == bool(word.match(low)), hex(cp)


def test_names_inside_a_sentence_do_not_move_the_detector():
    """Names say nothing of whether an event happened: the detector reads every capitalised word inside a
    sentence as one word class, so the same sentence about another town, person or group reads the same."""
    model = bundled_model()
    one = model.type_probabilities("Gunmen killed 12 villagers in Zamfara on Sunday, police spokesman Mohammed Shehu said.")[0]
    two = model.type_probabilities("Gunmen killed 12 villagers in Kebbi on Sunday, police spokesman Ahmed Bello said.")[0]
    assert one == two and max(one.values()) > 0.5
    # the weekday keeps its word: "on Sunday" tells the event's time
    assert names_masked("killed 12 on Sunday in Kebbi, Nigeria") == f"killed 12 on Sunday in {NAME_WORD}, {NAME_WORD}"
    # the sentence's first word is no name by its capital alone
    assert names_masked("Police said") == "Police said"
