"""Escaping of untrusted text for HTML, JavaScript template literals and inline <script> JSON."""

from __future__ import annotations

import doctest
import html
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import geo.extract.actors
import geo.maps.escape
import geo.outputs.safe
from geo.maps.escape import html_text, js_template_safe, script_json
from geo.read.text import replace_each

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    "${alert(3)}",
    "`backtick` and \\`escaped\\`",
    "javascript:alert(4)",
    "{{ 7*7 }} {% if 1 %}x{% endif %} {# c #}",
    "line\u2028separator\u2029paragraph",
    "<!-- comment --> & 'quotes' \"double\"",
]


def test_doctests_pass():
    result = doctest.testmod(geo.maps.escape)
    assert result.attempted > 5 and result.failed == 0


@pytest.mark.parametrize("text", HOSTILE)
def test_js_template_safe_leaves_no_markup_or_template_characters(text):
    out = js_template_safe(text)
    for ch in "<>`${}\\\"'":
        assert ch not in out
    assert html.unescape(out) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_script_json_cannot_close_a_script_or_open_a_jinja_tag(text):
    out = script_json({"title": text, "list": [text, 1, None]})
    assert "<" not in out and ">" not in out and "&" not in out
    assert "\u2028" not in out and "\u2029" not in out
    assert "{{" not in out and "{%" not in out and "{#" not in out
    assert json.loads(out) == {"title": text, "list": [text, 1, None]}


def test_script_json_sorts_keys_for_reproducible_output():
    assert script_json({"b": 1, "a": {"d": 2, "c": 3}}) == '{"a":{"c":3,"d":2},"b":1}'


def test_script_json_refuses_nan():
    with pytest.raises(ValueError):
        script_json({"x": float("nan")})


def test_html_text_escapes_quotes_for_attributes():
    assert html_text('" onmouseover="x') == "&quot; onmouseover=&quot;x"
    assert html_text(None) == ""


@given(st.text())
def test_js_template_safe_round_trips_any_text(text):
    out = js_template_safe(text)
    assert html.unescape(out) == text
    assert not any(ch in out for ch in "<>`${}\\")


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=20))
def test_script_json_round_trips_any_json_value(value):
    out = script_json(value)
    assert json.loads(out) == value
    assert "</" not in out and "{{" not in out and "{%" not in out


@pytest.mark.parametrize("pairs", [geo.maps.escape._TEMPLATE_CHARS, geo.maps.escape._SCRIPT_CHARS,
                                   geo.outputs.safe._JSON_HTML_ESCAPES, geo.extract.actors._FOLD],
                         ids=["template", "script", "json-html", "actor-fold"])
@given(st.text(alphabet=st.sampled_from("<>&`${}\\\u2028\u2029’‘\n\t\r\u00a0aé😅 ") | st.characters()))
def test_each_replacement_table_gives_what_str_translate_gives(pairs, text):
    assert replace_each(text, pairs) == text.translate(str.maketrans(dict(pairs)))
    assert all(old not in new for old, _ in pairs for _, new in pairs)     # why the order of the pairs is free


def test_actor_fold_keeps_offsets_and_finds_aliases_across_curly_quotes_and_line_breaks():
    lexicon = geo.extract.actors.ActorLexicon.load()
    plain = lexicon.matches("Police fired on protesters in Khartoum.")
    folded = lexicon.matches("Police\nfired on protesters in\u00a0Khartoum.")
    assert plain and [(m.start, m.end, m.actor.name) for m in folded] == [(m.start, m.end, m.actor.name) for m in plain]
