"""A normalised copy of a text with a map back to the original offsets."""

from __future__ import annotations

import re
from bisect import bisect_right
import unicodedata
from dataclasses import dataclass

__all__ = ["NormText", "normalize_text"]

_APOS = "'’‘`´ʼʻʿʾ"
_DEL = "\x00"
# An apostrophe inside a word is dropped ("Qa'im" -> "qaim"); a possessive, contraction or quoting
# one separates words ("Iraq's" -> "iraq s", "I've" -> "i ve"), so the word before it still ends.
_SPLIT_APOS = re.compile(r"\x00(?=(?:s|ve|ll|re|d|m|t)(?![a-z0-9]))|\x00(?![a-z0-9])|(?<![a-z0-9])\x00")


def _fold_char(c: str) -> str:
    if c in _APOS:
        return _DEL
    decomposed = unicodedata.normalize("NFKD", c)
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    if not base:
        return _DEL
    ch = base[0]
    return ch if ch.isalnum() else " "


class _Table(dict):
    """str.translate table that folds each character to exactly one (computed on first use)."""

    def __missing__(self, code: int) -> str:
        value = _fold_char(chr(code))
        self[code] = value
        return value


_TABLE = _Table()
for _c in range(128):
    _TABLE[_c] = _fold_char(chr(_c))
MASK = "\x02"
_TABLE[ord(MASK)] = "#"   # a masked word start: no key begins with "#", so matching skips the word


_DROP = re.compile(r"\x00+| {2,}")


@dataclass(frozen=True, slots=True)
class NormText:
    """`text` folded to lower-case letters, digits and single spaces; `orig(i)` maps an index back."""

    text: str
    _breaks: tuple[int, ...] = ()   # normalised positions where the shift to the original grows
    _shifts: tuple[int, ...] = ()

    def orig(self, i: int) -> int:
        """Original offset of normalised index `i`."""
        if not self._breaks:
            return i
        k = bisect_right(self._breaks, i) - 1
        return i + (self._shifts[k] if k >= 0 else 0)

    def orig_end(self, i: int) -> int:
        """Original offset just past the normalised character before `i`."""
        return self.orig(i - 1) + 1 if i > 0 else 0


def normalize_text(text: str) -> NormText:
    """Fold `text` like `names.normalize` does keys, keeping a map to the original offsets.

    >>> n = normalize_text("Al-Qa'im, Iraq's St. Louis")
    >>> n.text
    'al qaim iraq s st louis'
    >>> "Al-Qa'im, Iraq's St. Louis"[n.orig(3):n.orig_end(7)]
    "Qa'im"
    >>> "Al-Qa'im, Iraq's St. Louis"[n.orig(15):n.orig_end(23)]
    'St. Louis'
    """
    t = text.translate(_TABLE)
    if _DEL in t:
        t = _SPLIT_APOS.sub(" ", t)
    if _DEL not in t and "  " not in t:
        return NormText(t)
    parts: list[str] = []
    breaks: list[int] = []
    shifts: list[int] = []
    pos = 0      # in t
    npos = 0     # in the output
    shift = 0
    for m in _DROP.finditer(t):
        a, b = m.span()
        keep = 1 if t[a] == " " else 0
        parts.append(t[pos:a + keep])
        npos += a + keep - pos
        shift += b - a - keep
        breaks.append(npos)
        shifts.append(shift)
        pos = b
    parts.append(t[pos:])
    return NormText("".join(parts), tuple(breaks), tuple(shifts))
