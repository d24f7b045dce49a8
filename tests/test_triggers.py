"""Trigger and cue regexes: case-insensitive matching on folded text."""

import re
import string

import pytest

from geo.extract.triggers import Caseless, Rules, compile_pattern

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


@pytest.mark.parametrize("text", HOSTILE)
def test_article_cues_find_on_folded_text_what_they_find_case_insensitively(text):
    rules = Rules.load()
    for kind in ("offence", "political"):
        for pattern in rules._by[(kind, "article")]:
            caseless = Caseless(pattern.regex.pattern)
            assert caseless._plain is not None                 # lower-case ASCII cues: the fast path is taken
            assert bool(caseless.search(text)) == bool(pattern.regex.search(text))


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
