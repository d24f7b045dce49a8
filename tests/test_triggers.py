"""Trigger and cue regexes: case-insensitive matching on folded text."""

import re
import string

import pytest

from geo.extract.triggers import Caseless, Rules, compile_pattern
from geo.read.text import Sentence

HOSTILE = [
    "MOSUL, Iraq (Reuters) - Militants attacked a checkpoint near Mosul, killing 5 soldiers.",
    "ROBBERY suspects: the Police said a BURGLAR was ARRESTED",
    "Tribal ſeparatists and a mılitia, the K\u212aK army, İslamist rebels",     # long s, dotless i, Kelvin, dotted I
    "\u202eevil <img src=x onerror=alert(1)> terrorists ${alert(3)} 仍د伀 drug cartel",
    "Σ σ ς ǅ ß ẞ ﬁ Å \u00b5 \u03bc straße STRASSE",
    "long " * 500 + "Protest",
]


def test_fold_makes_a_letter_of_exactly_what_ignorecase_matches_it_with():
    letter = re.compile("[a-z]", re.IGNORECASE)
    for cp in range(0x110000):
        c = chr(cp)
        folded = Caseless.fold(c)
        if letter.fullmatch(c):
            assert [x for x in string.ascii_lowercase if re.fullmatch(x, c, re.IGNORECASE)] == [folded], hex(cp)
        else:
            assert folded == c, hex(cp)


@pytest.mark.parametrize("text", [*HOSTILE, "Qala-e-Nazir \ud800 İstanbul ſ \u212a \udfff KABUL’s “Mosul”"])
def test_fold_of_a_text_is_the_fold_of_each_of_its_characters(text):
    assert Caseless.fold(text) == "".join(Caseless.fold(c) for c in text)


@pytest.mark.parametrize("text", HOSTILE)
def test_article_cues_find_on_folded_text_what_they_find_case_insensitively(text):
    rules = Rules.load()
    for kind in ("offence", "political"):
        for pattern in rules._by[(kind, "article")]:
            caseless = Caseless(pattern.regex.pattern)
            assert caseless._plain is not None                 # lower-case ASCII cues: the fast path is taken
            assert bool(caseless.search(text)) == bool(pattern.regex.search(text))


@pytest.mark.parametrize("text", HOSTILE)
def test_article_cues_count_on_folded_text_what_they_find_case_insensitively(text):
    rules = Rules.load()
    for kind in ("offence", "political"):
        expected = sum(len(p.regex.findall(text)) for p in rules._by[(kind, "article")])
        assert rules.count_in_article(kind, text) == expected


@pytest.mark.parametrize("text", HOSTILE)
def test_caseless_finds_the_same_offsets(text):
    pattern = compile_pattern("air strike*|terror*|rebel*|islamist*|kill*|militia*|strasse|separatis*")
    caseless = Caseless(pattern)
    expected = [(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE)]
    assert [(m.start(), m.end()) for m in caseless.finditer(text, 0, len(text))] == expected
    assert [(m.start(), m.end()) for m in caseless.finditer(text, 3, len(text) - 2)] == \
        [(m.start(), m.end()) for m in re.compile(pattern, re.IGNORECASE).finditer(text, 3, len(text) - 2)]


def test_a_pattern_with_capitals_or_other_scripts_keeps_case_folding():
    for pattern in ("Mosul", "straße", r"\x41bc"):
        caseless = Caseless(pattern)
        assert caseless._plain is None
        assert bool(caseless.search(pattern.upper())) == bool(re.search(pattern, pattern.upper(), re.IGNORECASE))


@pytest.mark.parametrize("text", HOSTILE)
def test_sentence_and_window_cues_find_on_folded_text_what_they_find_case_insensitively(text):
    rules = Rules.load()
    for (kind, scope), cues in rules._by.items():
        if scope == "article":
            continue
        for cue, caseless in zip(cues, rules._caseless[kind, scope]):
            assert caseless._plain is not None, (kind, scope)      # lower-case ASCII cues: the fast path is taken
            for start in range(0, len(text), 7):
                assert bool(caseless.search_from(text, Caseless.fold(text), start)) == \
                    bool(cue.regex.search(text, start)), (kind, scope, start)


@pytest.mark.parametrize("text", HOSTILE + ["The Simulated drill in Mosul. Police officers were shot. Soldiers died."])
def test_a_sentence_cue_reads_the_sentence_and_the_character_before_it_only(text):
    rules = Rules.load()
    kinds = {kind for kind, scope in rules._by if scope == "sentence"}
    for start in range(len(text)):
        for end in (start + 1, min(len(text), start + 40), len(text)):
            sentence = Sentence(start, end, text[start:end], 0, 0)
            for kind in kinds:
                expected = any(c.regex.search(text, start, end) for c in rules._by[kind, "sentence"])
                assert rules._in_whole(kind, text, sentence) == expected, (kind, start, end)


def _cue_by_regex(rules, kind, text, sentence, hit):
    """A cue as the plain case-insensitive regexes of cues.csv find it, every window searched anew."""
    from geo.extract.triggers import clause_of

    if any(c.regex.search(text, sentence.start, sentence.end) for c in rules._by.get((kind, "sentence"), ())):
        return True
    clause_start, clause_end = clause_of(text, sentence, hit)
    before = text[clause_start if kind != "state" else sentence.start:hit.start].replace("’", "'").split()
    after = text[hit.end:clause_end].replace("’", "'").split()
    return any(c.regex.search(" ".join(before[-c.window:]) if c.window else "") for c in rules._by.get((kind, "before"), ())) \
        or any(c.regex.search(" ".join(after[:c.window]) if c.window else "") for c in rules._by.get((kind, "after"), ()))


def test_remembered_cue_windows_answer_as_the_regexes_do_on_every_trigger_of_the_seeds():
    from pathlib import Path

    from geo.read.text import sentences

    rules = Rules.load()
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(seeds.iterdir())) + "\n\n" + "\n\n".join(HOSTILE)
    kinds = {kind for kind, scope in rules._by if scope != "article"}
    answers = set()
    for _ in range(2):          # the second time from what was remembered
        for s in sentences(text, 0, len(text)):
            for hit in rules.hits(text, s.start, s.end):
                for kind in kinds:
                    expected = _cue_by_regex(rules, kind, text, s, hit)
                    assert rules.cue(kind, text, s, hit) == expected, (kind, s.text, hit)
                    answers.add(expected)
    assert answers == {True, False}


def test_counting_article_cues_can_stop_once_enough_are_found():
    rules = Rules.load()
    text = "Troops, militants and rebels clashed; the army said soldiers and forces held the town."
    total = rules.count_in_article("political", text)
    assert total >= 5
    assert rules.count_in_article("political", text, enough=2) == 2
    assert rules.count_in_article("political", text, enough=total + 3) == total
