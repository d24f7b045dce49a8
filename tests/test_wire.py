"""Wire-format parsing: datelines, bylines, credit lines and splitting files into stories."""

from __future__ import annotations

import pytest

from geo.read.wire import (
    credit_span,
    find_dateline,
    is_byline,
    is_credit,
    paragraphs,
    parse_dateline,
    split_wire,
)

# (dateline text, places, country, near); the text after the dash is the lead.
DATELINES = [
    ("KABUL/ABDUL KHIL, Afghanistan (Reuters) – ", ("KABUL", "ABDUL KHIL"), "Afghanistan", False),
    ("NEAR MOSUL, Iraq (Reuters) – ", ("MOSUL",), "Iraq", True),
    ("MOSUL, Iraq, (Reuters) – ", ("MOSUL",), "Iraq", False),
    ("BERLIN/PARIS (Reuters) – ", ("BERLIN", "PARIS"), None, False),
    ("WASHINGTON (Reuters) - ", ("WASHINGTON",), None, False),
    ("DES MOINES, Iowa (Reuters) - ", ("DES MOINES",), "Iowa", False),
    ("KABUL, Afghanistan (AP) — ", ("KABUL",), "Afghanistan", False),
    ("Kabul, Afghanistan (AP) — ", ("Kabul",), "Afghanistan", False),
    ("BEIRUT (AFP) - ", ("BEIRUT",), None, False),
    ("ALEPPO, Syria, March 3 (Reuters) - ", ("ALEPPO",), "Syria", False),
    ("GENEVA, Dec 31 (Reuters) - ", ("GENEVA",), None, False),
    ("LONDON (Thomson Reuters Foundation) - ", ("LONDON",), None, False),
    ("BOSANSKI PETROVAC, Bosnia and Herzegovina (Reuters) -- ", ("BOSANSKI PETROVAC",), "Bosnia and Herzegovina", False),
    ("RENO, Nevada/PHILADELPHIA (Reuters) - ", ("RENO", "PHILADELPHIA"), None, False),
    ("WASHINGTON/TAMPA, Fla. (Reuters) - ", ("WASHINGTON", "TAMPA"), "Fla.", False),
    ("TOKYO - ", ("TOKYO",), None, False),
    ("CHARLOTTE, North Carolina - ", ("CHARLOTTE",), "North Carolina", False),
    ("SÃO PAULO (Reuters) - ", ("SÃO PAULO",), None, False),
    ("Kabul (AFP) - ", ("Kabul",), None, False),
]

NOT_DATELINES = [
    "Islamic State (IS) - the group that seized Mosul - lost ground.",
    "Kurdish Regional Government (KRG) – officials said.",
    "Popular Mobilization Forces (PMF) fires towards Islamic State militants",
    "The U.S.-trained Counter-Terrorism Service (CTS) has retaken the nearby districts.",
    "The soldiers seized Salam hospital, less than a mile (1.5 km) from the Tigris river - and left.",
    "HUMAN SHIELDS",
    "In Milan, where police shot the man dead, security checks were set up.",
    "Iraqi forces - backed by the coalition - advanced.",
    "By Emily Stephenson and Alana Wise (Reuters) - Republican nominee",
    "(Reuters) - Michigan would tap its budget surplus",
    "",
]


@pytest.mark.parametrize("text,places,country,near", DATELINES)
def test_parses_dateline_places_country_and_near(text, places, country, near):
    found = parse_dateline(text + "Lead sentence here.")
    assert found is not None
    assert (found.places, found.country, found.near) == (places, country, near)
    assert found.span.start == 0 and found.span.end == len(text.rstrip())


@pytest.mark.parametrize("text", NOT_DATELINES)
def test_ordinary_sentences_are_not_datelines(text):
    assert parse_dateline(text) is None


def test_strict_mode_needs_an_agency_marker():
    assert parse_dateline("TOKYO - Lead", strict=True) is None
    assert parse_dateline("TOKYO (Reuters) - Lead", strict=True) is not None


def test_finds_dateline_after_correction_note_and_byline():
    text = ("(This story from November 16 corrects paragraph 15) By Stephanie Nebehay and Tom Miles "
            "GENEVA (Reuters) - The heads of three U.N. agencies")
    found = find_dateline(text)
    assert found.places == ("GENEVA",)
    assert text[found.span.start:found.span.end] == "GENEVA (Reuters) -"


@pytest.mark.parametrize("line", [
    "(Reporting by Girish Gupta and Saif Hameed; Editing by Mark Heinrich)",
    "(Writing by Isabel Coles; Editing by Janet Lawrence)",
    "(Editing by Tom Heneghan)",
    "(Additional reporting by Eric Auchard in Frankfurt; Editing by Maher Chmaytelli and Peter Graff)",
    "(Reporting By Babak Dehghanpisheh, editing by Larry King)",
    "(Writing by Dominic Evans, editing by Peter Millership)",
])
def test_recognises_credit_lines(line):
    assert is_credit(line)


@pytest.mark.parametrize("line", [
    "(This version of the story corrects paragraph 10)",
    "Reporting by the BBC suggested otherwise.",
    "(Reporting by X) and then the story continues with more text after the parenthesis.",
])
def test_other_parentheticals_are_not_credit_lines(line):
    assert not is_credit(line)


def test_bylines():
    assert is_byline("By Stephen Kalin and Isabel Coles")
    assert is_byline("By KATHY GANNON")
    assert not is_byline("By the end of the year, the army had retaken the city.")
    assert not is_byline("Bystanders fled.")


def test_credit_span_at_end_of_single_article_text():
    text = "WASHINGTON (Reuters) - Something happened.  (Reporting by A; Editing by B)"
    span = credit_span(text)
    assert text[span.start:span.end] == "(Reporting by A; Editing by B)"
    assert credit_span("No credit (at all) here.") is None


def test_paragraphs_track_offsets_and_lines():
    text = "\n  Title  \n\nline one\nline two\n\n\n(end)\n"
    paras = paragraphs(text)
    assert [(p.text, p.line) for p in paras] == [("Title", 2), ("line one\nline two", 4), ("(end)", 8)]
    assert all(text[p.start:p.end] == p.text for p in paras)


def test_only_newline_separates_lines():
    text = "Title\u2028still title\x0c\n\nBody"
    assert [(p.text, p.line) for p in paragraphs(text)] == [("Title\u2028still title", 1), ("Body", 3)]


def _parts(text):
    out = []
    for piece in split_wire(text):
        body = text[piece.start:piece.end]
        get = lambda span: body[span.start:span.end] if span else None  # noqa: E731
        out.append({
            "title": get(piece.title), "caption": get(piece.caption), "byline": get(piece.byline),
            "dateline": get(piece.dateline.span) if piece.dateline else None,
            "credit": get(piece.credit), "body": get(piece.body), "line": piece.line,
        })
    return out


AP_FILE = """Taliban attack checkpoint in Helmand

By RAHIM FAIEZ

LASHKAR GAH, Afghanistan (AP) — Taliban fighters attacked a police checkpoint overnight, killing four officers.

The attack came a day after a bombing in the provincial capital.
Associated Press writer Kathy Gannon contributed.

Rebels shell Aleppo suburbs

ALEPPO, Syria, March 3 (AFP) - Rebels shelled government-held suburbs of Aleppo on Friday.

CLASHES CONTINUE

Fighting went on late into the night.
"""


def test_splits_stories_without_captions_or_credit_lines():
    parts = _parts(AP_FILE)
    assert [p["title"] for p in parts] == ["Taliban attack checkpoint in Helmand", "Rebels shell Aleppo suburbs"]
    assert parts[0]["byline"] == "By RAHIM FAIEZ" and parts[0]["caption"] is None and parts[0]["credit"] is None
    assert parts[0]["dateline"] == "LASHKAR GAH, Afghanistan (AP) —"
    assert parts[1]["dateline"] == "ALEPPO, Syria, March 3 (AFP) -"
    assert parts[1]["body"].endswith("late into the night.") and "CLASHES CONTINUE" in parts[1]["body"]
    assert parts[1]["line"] == 10


def test_credit_line_ends_a_story_and_next_title_follows_it():
    text = ("One\n\nCaption one\n\nBAGHDAD (Reuters) - Lead one.\n\n(Reporting by A)\n\n"
            "Two\n\nCAIRO (Reuters) - Lead two.\n\nMore.\n\n(Editing by B)\n")
    parts = _parts(text)
    assert [(p["title"], p["caption"], p["credit"]) for p in parts] == [
        ("One", "Caption one", "(Reporting by A)"), ("Two", None, "(Editing by B)")]


def test_separator_lines_between_stories_are_not_titles():
    text = ("One\n\nBAGHDAD (Reuters) - Lead one.\n\n(Reporting by A)\n\n----------\n\n"
            "Two\n\nCaption two\n\nBy C\n\nCAIRO (Reuters) - Lead two.\n")
    parts = _parts(text)
    assert [(p["title"], p["caption"], p["byline"]) for p in parts] == [("One", None, None), ("Two", "Caption two", "By C")]


def test_windows_line_endings_and_wrapped_paragraphs():
    text = ("Title here\r\n\r\nBEIRUT (Reuters) - A lead\r\nwrapped over lines.\r\n\r\n(Writing by C)\r\n")
    parts = _parts(text.replace("\r\n", "\n"))
    assert parts[0]["title"] == "Title here" and parts[0]["credit"] == "(Writing by C)"


def test_text_without_datelines_is_one_story():
    parts = _parts("Just a headline\n\nSome text without a dateline.\n\nAnother paragraph.\n")
    assert len(parts) == 1
    assert parts[0]["title"] == "Just a headline" and parts[0]["dateline"] is None


def test_blank_text_has_no_stories():
    assert split_wire("") == [] and split_wire(" \n\t\n") == []


def test_huge_single_line_is_one_article():
    text = "Title\n\nPARIS (Reuters) - " + "word " * 400_000 + "\n" + " " * 1_000_000 + "\n"
    parts = _parts(text)     # its cost is measured by bench/fuzz.py, never by a timed test
    assert len(parts) == 1 and parts[0]["title"] == "Title"
