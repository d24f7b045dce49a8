"""Neutralising untrusted article text on its way into outputs (spreadsheets, URLs, inline JSON)."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from geo.read.text import replace_each

__all__ = ["FORMULA_STARTS", "json_dumps_html_safe", "safe_url", "spreadsheet_safe"]

# A spreadsheet evaluates a cell that starts with one of these (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

_JSON_HTML_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))
_TEMPLATE_OPEN = re.compile(r"\{(?=[{%#])")
# A control character or whitespace (the regex's \s is str.isspace, code point for code point).
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x1f\s]")


def spreadsheet_safe(value):
    """Prefix a text cell that a spreadsheet would read as a formula with `'`; other values pass.

    >>> spreadsheet_safe('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> spreadsheet_safe("Mosul"), spreadsheet_safe(-3.2)
    ('Mosul', -3.2)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL, else None (drops `javascript:`, `data:`, relative).

    >>> safe_url("https://www.reuters.com/a"), safe_url(" JavaScript:alert(1)")
    ('https://www.reuters.com/a', None)
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or _CONTROL_OR_SPACE.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def json_dumps_html_safe(value, **kwargs) -> str:
    """`json.dumps` safe to inline in HTML `<script>` and Jinja (no `<` `>` `&` U+2028/9 `{{` `{%` `{#`).

    The escapes are valid JSON, so parsing gives back exactly the same data.

    >>> json_dumps_html_safe({"t": "</script>"})
    '{"t": "\\\\u003c/script\\\\u003e"}'
    """
    kwargs.setdefault("ensure_ascii", False)
    text = json.dumps(value, **kwargs)
    # These characters can only occur inside JSON strings, so replacing them everywhere is exact.
    text = replace_each(text, _JSON_HTML_ESCAPES)
    # A structural "{" is never followed by "{", "%" or "#", so this only touches strings; it keeps
    # Jinja (branca re-parses rendered scripts as templates) from seeing "{{", "{%" or "{#".
    return _TEMPLATE_OPEN.sub(r"\\u007b", text)
