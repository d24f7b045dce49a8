"""Sentence and paragraph segmentation with offsets."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.read.text import _PARAGRAPH_BREAK, _breaks, apostrophes_restored, paragraph_spans, sentences


def test_sentence_offsets_index_the_text():
    text = "TITLE\n\nKABUL (Reuters) - A bomb exploded. Two died.\n\nPolice said so."
    for s in sentences(text):
        assert text[s.start:s.end] == s.text


@pytest.mark.parametrize("text,expected", [
    ("U.S. troops left. They came back.", ["U.S. troops left.", "They came back."]),
    ("It began on Oct. 17 in Mosul. Fighting went on.", ["It began on Oct. 17 in Mosul.", "Fighting went on."]),
    ("Lt. Gen. Talib Shaghati said it. He left.", ["Lt. Gen. Talib Shaghati said it.", "He left."]),
    ("“They fled,” he said. “We stayed.”", ["“They fled,” he said.", "“We stayed.”"]),
    ("Was it bombed? Yes! It was.", ["Was it bombed?", "Yes!", "It was."]),
    ("J. Smith wrote it.", ["J. Smith wrote it."]),
])
def test_splits_sentences_but_not_abbreviations(text, expected):
    assert [s.text for s in sentences(text)] == expected


def test_joined_isot_paragraphs_split_on_runs_of_spaces():
    text = "First para one. First para two.   Second para.  Third para."
    got = sentences(text)
    assert [(s.paragraph, s.index) for s in got] == [(0, 0), (0, 1), (1, 0), (2, 0)]


def test_a_run_of_spaces_left_by_a_lost_mark_inside_a_sentence_breaks_nothing():
    """ISOT's feeds drop quote marks, apostrophes and dashes and leave their spaces: a paragraph still ends
    only where its sentence does."""
    text = ("BRUSSELS (Reuters) - Nearly 50,000 people marched through Brussels  European quarter on Thursday.  "
            "Police said:  It was calm.  There were chants of  Puigdemont, President  from the crowd.")
    got = sentences(text)
    assert [s.text for s in got] == [
        "BRUSSELS (Reuters) - Nearly 50,000 people marched through Brussels  European quarter on Thursday.",
        "Police said:", "It was calm.", "There were chants of  Puigdemont, President  from the crowd."]
    assert [s.paragraph for s in got] == [0, 1, 2, 3]
    # a line break or a tab still ends a paragraph, whatever comes before it
    assert [s.paragraph for s in sentences("A headline without a stop\nThe story.")] == [0, 1]


def test_segmentation_respects_start_and_end():
    text = "Skip this. Keep this one. And this.\nNot this."
    end = text.index("\n")
    got = sentences(text, text.index("Keep"), end)
    assert [s.text for s in got] == ["Keep this one.", "And this."]
    assert got[0].start == text.index("Keep")


def test_blank_text_has_no_paragraphs():
    assert paragraph_spans("  \n\n  ") == [] and sentences("") == []


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab. \t\n\r\u00a0\u2028")), max_size=40), st.integers(0, 5), st.integers(0, 45))
def test_paragraph_breaks_found_by_skipping_match_the_regex(text, start, stop):
    stop = min(stop, len(text))
    assert [m.span() for m in _breaks(text, start, stop)] == [m.span() for m in _PARAGRAPH_BREAK.finditer(text, start, stop)]


@pytest.mark.parametrize("text,expected", [
    ("the region s chief and Yemen s army", "the region's chief and Yemen's army"),
    ("they won t stop, we re told; I m sure you ll see.", "they won't stop, we're told; I'm sure you'll see."),
    # a lone letter that no clitic rule allows stays: "a t", "a d"
    ("a t and a d", "a t and a d"),
    # already whole
    ("Yemen's army won't stop.", "Yemen's army won't stop."),
])
def test_apostrophes_a_feed_dropped_are_put_back_without_moving_any_offset(text, expected):
    got = apostrophes_restored(text)
    assert got == expected and len(got) == len(text)
