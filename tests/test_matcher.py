"""Finding place mentions: capitalisation, word boundaries, guards, hints, containers, datelines."""

import pickle
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gazetteer.mentions.matcher import MATCHER_FORMAT, Matcher
from gazetteer.mentions.textmap import normalize_text
from tests.fake_gazetteer import ROWS, FakeIndex


@pytest.fixture(scope="module")
def matcher():
    return Matcher.build(FakeIndex().iter_keys(), build_id="fake")


def texts(mentions):
    return [m.text for m in mentions]


def test_mentions_keep_original_offsets(matcher):
    text = "Fighting in Mosul, Iraq’s second city, and in Al-Qa'im went on."
    found = matcher.find(text)
    assert texts(found) == ["Mosul", "Iraq", "Al-Qa'im"]
    for m in found:
        assert text[m.start:m.end] == m.text


def test_lowercase_words_are_not_places(matcher):
    assert matcher.find("It was a nice day for reading.") == []
    assert texts(matcher.find("The attack in Nice killed many.")) == ["Nice"]


def test_word_boundaries_are_respected(matcher):
    assert matcher.find("Mosulans and Erbilites") == []


@pytest.mark.parametrize(
    "text",
    [
        "Lieutenant General Talib Shaghati said the offensive went well.",
        "Jordan Spieth won the tournament in a playoff.",
        "Amnesty researcher Patrick Wilcken said.",
    ],
)
def test_person_names_are_not_places(matcher, text):
    assert matcher.find(text) == []


# Liberal, Kansas (GeoNames 4274317): a little-known town whose name is a common English word.
_LIBERAL = ("gn:4274317", "Liberal", 37.04308, -100.921, "city", "US", "Kansas", 20_525, None, [])


@pytest.fixture(scope="module")
def liberal():
    return Matcher.build(FakeIndex([*ROWS, _LIBERAL]).iter_keys(), build_id="fake-liberal")


@pytest.mark.parametrize("text, found", [
    # capitalised only because it opens a sentence, and written as a word elsewhere in the text
    ("Liberal groups staged rallies on Monday. A liberal senator spoke at one of them.", []),
    ("DES MOINES (Reuters) - Liberal groups rallied on Monday to press for a liberal judge.", []),
    # no such word elsewhere: the other rules decide, as before
    ("Liberal groups staged rallies on Monday.", ["Liberal"]),
    # a place slot still wins
    ("Police said so. In Liberal, a liberal crowd gathered.", ["Liberal"]),
])
def test_a_common_word_opening_a_sentence_is_no_place_when_the_text_writes_it_in_lower_case(liberal, text, found):
    assert texts(liberal.find(text)) == found


def test_a_surname_seen_after_a_first_name_is_a_person_everywhere(matcher):
    text = "Talib Shaghati leads the force. In Erbil, Shaghati said the campaign was on track."
    assert texts(matcher.find(text)) == ["Erbil"]


@pytest.mark.parametrize("text, found", [
    ("Near Qaim, police used tear gas.", ["Qaim"]),                  # capitalised only as the sentence's first word
    ("Officials said. Near Qaim, troops fought.", ["Qaim"]),
    ("Omar Near Qaim said.", []),                                      # inside a name mid-sentence it stays a name
])
def test_a_preposition_opening_the_sentence_is_no_part_of_a_name(matcher, text, found):
    assert texts(matcher.find(text)) == found


def test_country_after_a_title_word_is_still_a_place_when_it_starts_a_clause(matcher):
    assert texts(matcher.find("The king of Jordan met officials in Baghdad.")) == ["Jordan", "Baghdad"]


def test_level_hints_and_containers_are_recorded(matcher):
    text = "The bomb fell in the Achin district of Nangarhar province, near Odessa, Ukraine."
    found = {m.text: m for m in matcher.find(text)}
    assert found["Achin"].hint == "district"
    assert found["Achin"].container == "Nangarhar"
    assert found["Nangarhar"].hint == "province"
    assert found["Odessa"].container == "Ukraine"


def test_unknown_name_in_a_place_slot_becomes_a_pattern_mention(matcher):
    found = matcher.find("Thousands fled to Hasansham camp, east of Mosul.")
    assert ("Hasansham", "pattern", "camp") in [(m.text, m.source, m.hint) for m in found]


@pytest.mark.parametrize("text,name", [
    ("Two men were detained in the Kabul-e-Nazir area on Friday.", "Kabul-e-Nazir"),
    ("Shells hit the village of Mosul al-Jadida on Friday.", "Mosul al-Jadida"),
])
def test_a_name_joined_by_a_particle_is_one_name_not_the_known_place_inside_it(matcher, text, name):
    """"Qala-e-Nazir" is not Qala, "Tal al-Karama" not At Tall: the whole compound is the (unknown) name."""
    found = [(m.text, m.source) for m in matcher.find(text)]
    assert (name, "pattern") in found and not any(t != name and t in name for t, _ in found), found


@pytest.mark.parametrize("text,name", [
    ("Kabul-e-Nazir was shelled on Friday.", "Kabul-e-Nazir"),                      # at the very start
    ("Shells hit the village of\tMosul al-Jadida.", "Mosul al-Jadida"),
    ("Shells hit the village of xMosul al-Jadida.", None),                          # inside a word
    ("Shells hit the village of -Mosul al-Jadida.", None),                          # after a "-"
    ("Shells hit the village of 9Mosul al-Jadida.", None),
    ("Shells hit the village of ’Mosul al-Jadida.", "Mosul al-Jadida"),
])
def test_a_compound_starts_only_where_no_word_or_dash_runs_into_its_capital(text, name):
    from gazetteer.mentions.patterns import _COMPOUND

    assert [m.group() for m in _COMPOUND.finditer(text)] == ([name] if name else [])


def test_a_compound_name_outside_a_place_slot_gives_no_mention(matcher):
    assert texts(matcher.find("Abu Bakr al-Mosul spoke on Friday.")) == []


def test_all_caps_words_count_only_in_the_dateline(matcher):
    text = "ERBIL, Iraq (Reuters) - Forces advanced.\n\nMOSUL SIEGE\n\nThey reached the city."
    found = matcher.find(text, dateline_places=("ERBIL",))
    assert [(m.text, m.source) for m in found] == [("ERBIL", "dateline"), ("Iraq", "gazetteer")]


def test_dateline_place_missing_from_the_gazetteer_is_still_a_mention(matcher):
    text = "ABDUL KHIL, Afghanistan (Reuters) - Troops patrolled."
    found = matcher.find(text, dateline_places=("ABDUL KHIL",))
    assert ("ABDUL KHIL", "dateline") in [(m.text, m.source) for m in found]


def test_skip_spans_are_ignored(matcher):
    text = "By Reporter in Baghdad. Fighting in Mosul."
    assert texts(matcher.find(text, skip=[(0, 22)])) == ["Mosul"]


def test_abbreviation_keeps_its_full_stop(matcher):
    found = matcher.find("Officials in the U.S. said so.")
    assert texts(found) == ["U.S."]


def test_demonyms_are_reported_only_when_asked(matcher):
    text = "Iraqi forces entered Mosul."
    assert texts(matcher.find(text)) == ["Mosul"]
    matcher.demonyms = True
    try:
        found = matcher.find(text)
    finally:
        matcher.demonyms = False
    assert [(m.text, m.source) for m in found] == [("Iraqi", "demonym"), ("Mosul", "gazetteer")]


def test_a_damaged_or_foreign_matcher_cache_is_rebuilt_never_run(matcher, tmp_path):
    path = tmp_path / "m.pickle"
    flag = tmp_path / "ran"
    payload = pickle.dumps((MATCHER_FORMAT, "fake", [], {}, _Run(f"open({str(flag)!r}, 'w').close()")))
    path.write_bytes(payload)
    assert Matcher.load(str(path), "fake") is None
    assert not flag.exists()
    path.write_bytes(b"not a pickle at all")
    assert Matcher.load(str(path), "fake") is None


class _Run:
    """Unpickling this object runs Python code: what an attacker would leave in a shared cache folder."""

    def __init__(self, code: str):
        self.code = code

    def __reduce__(self):
        return (exec, (self.code,))


def test_saved_matcher_loads_only_for_the_same_build(matcher, tmp_path):
    path = str(tmp_path / "m.pickle")
    matcher.save(path)
    again = Matcher.load(path, "fake")
    assert again is not None
    assert texts(again.find("Fighting in Mosul.")) == ["Mosul"]
    assert Matcher.load(path, "other-build") is None
    assert Matcher.load(str(tmp_path / "missing"), "fake") is None


@pytest.mark.parametrize(
    "text, start, end, original",
    [("Al-Qa'im, Iraq", 3, 7, "Qa'im"), ("St.  Louis", 0, 8, "St.  Louis"), ("Köln", 0, 4, "Köln")],
)
def test_text_map_points_back_to_the_original(text, start, end, original):
    nt = normalize_text(text)
    assert text[nt.orig(start):nt.orig_end(end)] == original


# The fast paths below must agree with the plain definitions they replace, on any text.
_TEXT = st.text(alphabet=st.sampled_from(list("Ab zQ.'’‘-_,;\n\t9é(—\"“ΑβİßK\x00\x02#中  ")), max_size=60)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_byte_table_folding_matches_the_general_translation(text):
    from gazetteer.mentions.textmap import _fold, _fold_slow

    assert _fold(text, False) == _fold_slow(text, False)
    assert _fold(text, True) == _fold_slow(text, True)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_word_before_found_from_the_end_matches_the_regex(text):
    from gazetteer.mentions.patterns import _PREV_WORD, _prev_word

    m = _PREV_WORD.search(text)
    assert _prev_word(text) == (None if m is None else (m.group(0), m.group(1)))


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_spaces_collapsed_by_a_split_or_between_sparse_runs_match_the_regex(text):
    from gazetteer.mentions.textmap import _DEL, _SPACES, _fold, _single_spaces

    for mask in (False, True):
        # as written (runs close together: split), and inside a long stretch of words (sparse runs: joined)
        for folded in (_fold(text, mask).replace(_DEL, " "), _fold(text + " word" * 400 + text, mask).replace(_DEL, " ")):
            runs = [m.span() for m in _SPACES.finditer(folded)]
            assert _single_spaces(folded, runs) == _SPACES.sub(" ", folded)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["Roy", "A.", "Nelson", "al-", "bin ", "Capt.", " ", "  ", "\t", "x", "Qaim", ".", "-", "’s"]),
                max_size=14))
def test_person_runs_found_without_giving_letters_back_match_the_plain_pattern(words):
    from gazetteer.mentions.patterns import _person_run

    text = " ".join(words)
    fast = _person_run()
    plain = re.compile(fast.pattern.replace("[a-z]++", "[a-z]+", 1))
    assert [m.groups() for m in fast.finditer(text)] == [m.groups() for m in plain.finditer(text)]


_ONE_PASS_HEAD = re.compile(r"(?:^|\n|[.!?][ \t]+)[ \t]*([A-Z][A-Z.'’\- /]{2,60}?)(?=,[ \t]+[A-Z]|[ \t]+\(|[ \t]*[—–-][ \t—–-]|[ \t]*—)")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("AB KHIL,\n\t.!?—–-(a'’/x")), max_size=60))
def test_dateline_heads_match_the_one_pass_pattern(text):
    # the candidate heads; _dateline_heads then drops the ones that name no place ("AAA, AA")
    from gazetteer.mentions.patterns import _head_spans

    assert _head_spans(text) == [m.span(1) for m in _ONE_PASS_HEAD.finditer(text, 0, 4000)]


def test_lower_case_word_starts_are_masked_in_the_normalised_text():
    assert normalize_text("In Mosul, the élan of al-Qa'im", mask_lower=True).text == "in mosul #he elan #f #l qaim"


_SLOT_WORDS = ["in", "near", "at", "to", "from", "village", "villages of", "of", "town of", "Mosul", "Al", "al-",
               "Foo-in", "ash-", "_in", "xin", "é", "in,", ", ", "Abu", "El", "el ", "-", "city of", "Baz", "outside"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_SLOT_WORDS), st.sampled_from([" ", " ", "", "-"])), max_size=12))
def test_place_slots_found_from_the_name_match_the_plain_patterns(parts):
    from gazetteer.mentions.patterns import _SLOT_BEFORE, _SLOT_PREP, _slot_names

    text = "".join(w + sep for w, sep in parts)
    for rx in (_SLOT_BEFORE, _SLOT_PREP):
        assert [m.span(1) for m in _slot_names(rx, text)] == [m.span(1) for m in rx.finditer(text)]


@pytest.mark.parametrize("text, expected", [
    ("Blast kills five . BAGHDAD: A car bomb exploded.", ["BAGHDAD"]),          # a dateline inside the text
    ("March 30, 2009 MOSUL -- Troops advanced.", ["MOSUL"]),
    ("KABUL POLICE CHIEF SACKED", []),                                          # a heading, not a dateline
    ("an Ohio Highway Patrol report", ["Ohio"]),                                # the rest is an agency
    ("They lost to Columbus-ML on Friday.", ["Columbus"]),                      # never "Columbus-"
])
def test_all_caps_datelines_agencies_and_hyphenated_team_names(matcher, text, expected):
    assert texts(matcher.find(text)) == expected


def test_a_demonym_naming_a_language_is_not_a_people(matcher):
    matcher.demonyms = True
    try:
        found = texts(matcher.find("She learned Ukrainian. Ukrainian-language papers quoted Ukrainian troops."))
    finally:
        matcher.demonyms = False
    assert found == ["Ukrainian"]   # only the troops


def _deciding(matcher, text, surface):
    from gazetteer.mentions.accept import Spot, deciding_rule

    start = text.index(surface)
    end = start + len(surface)
    bucket = next(h[3] for h in matcher._hits(text) if (h[0], h[2]) == (start, end))
    rule = deciding_rule(Spot(matcher, text, start, end, surface, bucket, "gazetteer", -1, matcher._surface_info(surface)))
    return None if rule is None else rule.name


@pytest.mark.parametrize("text, surface, rule", [
    ("Fighting in Mosul went on.", "Mosul", None),
    ("Jordan Spieth won the Open.", "Jordan", "first name"),
    ("Minister Wilcken said the talks failed.", "Wilcken", "after a title"),
    ("BAGHDAD IS A HEADLINE", "BAGHDAD", "all capitals"),
    ("The envoy met Wilcken at noon.", "Wilcken", "little known, no place slot"),
    ("The envoy arrived in Wilcken at noon.", "Wilcken", None),
    ("The envoy left and Wilcken tweeted a photo.", "Wilcken", "speaker"),    # lexicon [speech-after]
    ("The minister told Wilcken on Monday.", "Wilcken", "after a speech verb"),  # lexicon [speech-before]
])
def test_the_rule_that_decides_a_mention_is_named(matcher, text, surface, rule):
    assert _deciding(matcher, text, surface) == rule


def test_every_rule_has_a_name_and_a_verdict():
    from gazetteer.mentions.accept import ACCEPT, REJECT, RULES

    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    assert {r.verdict for r in RULES} == {ACCEPT, REJECT}
