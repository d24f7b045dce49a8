"""Name normalisation shared by the index and the mention finder.

Both sides must produce the same key for the same name, so any change here bumps
NAMES_VERSION, which makes an existing index stale (it is then rebuilt).
"""

from __future__ import annotations

import re
import unicodedata

NAMES_VERSION = 1

_APOSTROPHES = dict.fromkeys(map(ord, "'’‘`´ʼʻʿʾ"), None)
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_/.,]+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics and apostrophes; keep the length-independent letters.

    >>> fold("Qa'im")
    'qaim'
    >>> fold("Köln")
    'koln'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.translate(_APOSTROPHES).casefold()


def normalize(name: str) -> str:
    """The lookup key of a place name.

    >>> normalize("  Al-Qa'im ")
    'al qaim'
    >>> normalize("Tel-Keyf")
    'tel keyf'
    """
    return _SEPARATORS.sub(" ", fold(name)).strip()
