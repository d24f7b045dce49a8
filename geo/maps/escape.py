"""Escaping for text that reaches HTML, JavaScript template literals and inline <script> JSON.

Everything article-derived (titles, sentences, place names, actors, urls) is untrusted.
folium places popup and tooltip HTML inside JavaScript template literals and Leaflet's
layer control sets names with innerHTML, so text must be safe in both contexts at once.
"""

from __future__ import annotations

import html
import json
import re

from geo.read.text import replace_each

__all__ = ["html_text", "js_template_safe", "script_data", "script_json"]

# Characters that start or end a template-literal substitution or an escape sequence,
# replaced by HTML character references: the browser shows the same glyphs, while the
# JavaScript source contains none of them.
_TEMPLATE_CHARS = (("`", "&#96;"), ("$", "&#36;"), ("{", "&#123;"), ("}", "&#125;"), ("\\", "&#92;"))

# A "{" that would open a Jinja tag ({{ {% {#); see script_json.
_TEMPLATE_OPEN = re.compile(r"\{(?=[{%#])")
# Sequences that could close or confuse a <script> element, or end a JS string literal in
# older engines, written as JSON unicode escapes (valid inside JSON strings only, which
# is the only place these characters can occur in JSON text).
# Backticks and dollars are inert in JSON strings but are escaped too, so that no template-literal
# payload survives anywhere in a page (and audits can simply search for it).
_SCRIPT_CHARS = (
    ("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"),
    ("`", "\\u0060"), ("$", "\\u0024"),
)


def html_text(value: object) -> str:
    """HTML-escape a value for element content or a quoted attribute; None gives ''.

    >>> html_text('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    >>> html_text("Tom's & Jerry's")
    'Tom&#x27;s &amp; Jerry&#x27;s'
    >>> html_text(None)
    ''
    """
    if value is None:
        return ""
    return html.escape(str(value), quote=True)


def js_template_safe(value: object) -> str:
    """HTML-escape a value and neutralise `` ` `` ``$`` ``{`` ``}`` ``\\`` for a JS template literal.

    The result is safe as HTML text, as an attribute value, and inside a backtick string
    whose content is later assigned to innerHTML.

    >>> js_template_safe("${alert(3)}")
    '&#36;&#123;alert(3)&#125;'
    >>> js_template_safe("`</script>`")
    '&#96;&lt;/script&gt;&#96;'
    >>> js_template_safe("C:\\\\path")
    'C:&#92;path'
    >>> any(c in js_template_safe("`${}\\\\<>&'\\"") for c in "`${}\\\\<>'\\"")
    False
    """
    return replace_each(html_text(value), _TEMPLATE_CHARS)


def script_json(obj: object) -> str:
    """Compact JSON with sorted keys that is safe to embed verbatim inside a <script> element.

    `<`, `>`, `&`, U+2028, U+2029, `` ` `` and `$` become \\u escapes, so no string can close the script,
    open a comment, or break a JavaScript string literal; a `{` that would open a Jinja tag
    is escaped too. NaN and infinities are refused.

    >>> script_json({"b": "</script><script>alert(2)</script>", "a": 1})
    '{"a":1,"b":"\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(2)\\\\u003c/script\\\\u003e"}'
    >>> script_json(["\\u2028", "&amp;"])
    '["\\\\u2028","\\\\u0026amp;"]'
    >>> script_json(["`${x}`", "{{ 7*7 }}"])
    '["\\\\u0060\\\\u0024{x}\\\\u0060","\\\\u007b{ 7*7 }}"]'
    >>> script_json([float("nan")])  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ValueError: Out of range float values are not JSON compliant
    """
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    # branca re-parses rendered <script> output as a Jinja template, so "{{", "{%" and "{#" from
    # article text would be evaluated (template injection). A structural "{" is never followed
    # by those characters, so this only rewrites string contents, with the same parsed value.
    return _TEMPLATE_OPEN.sub(r"\\u007b", replace_each(text, _SCRIPT_CHARS))


# Above this many characters, data is embedded as JSON.parse("...") rather than as an object literal.
PARSE_ABOVE = 10_000


def script_data(obj: object, *, parse_above: int = PARSE_ABOVE) -> str:
    """`obj` as a JavaScript expression safe inside <script>: `script_json`, wrapped in JSON.parse when large.

    A browser parses a JSON string several times faster than the same object literal and compiles
    no code for it; a large map carries megabytes of column data, parsed before it can open.
    The string literal holds `script_json`'s text, so it has the same escapes (no `<`, no `${`).

    >>> script_data({"a": [1, 2]})
    '{"a":[1,2]}'
    >>> out = script_data({"a": "</script>"}, parse_above=0)
    >>> out.startswith('JSON.parse("') and "<" not in out
    True
    """
    text = script_json(obj)
    if len(text) <= parse_above:
        return text
    return "JSON.parse(" + json.dumps(text, ensure_ascii=False) + ")"

