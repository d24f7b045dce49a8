"""A normalised copy of a text with a map back to the original offsets."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

__all__ = ["NormText", "normalize_text"]

_APOS = "'’‘`´ʼʻʿʾ"
_DEL = "\x00"
# An apostrophe inside a word is dropped ("Qa'im" -> "qaim"); a possessive, contraction or quoting
# one separates words ("Iraq's" -> "iraq s", "I've" -> "i ve"), so the word before it still ends.
# (Written to start with the literal, so the regex engine can skip to each candidate.)
_SPLIT_APOS = re.compile(r"\x00(?:(?=(?:s|ve|ll|re|d|m|t)(?![a-z0-9]))|(?![a-z0-9])|(?<![a-z0-9]\x00))")


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
_SPACES = re.compile(r"  +")   # (a literal prefix: far faster to search for than _DROP)

# The fast path folds through bytes tables: ASCII text (plus a few quotes and dashes) is the norm.
_FOLD_BYTES = bytes(ord(_TABLE[c]) for c in range(128)) + b" " * 128
# For masking: "a" a lower-case ASCII letter, "A" a character that continues a word, " " anything else.
_WORDISH = re.compile(r"[\w’'`\-.]")
_CLASS_BYTES = bytes(
    ord("a" if "a" <= chr(c) <= "z" else "A" if _WORDISH.match(chr(c)) else " ") for c in range(128)
) + b" " * 128
_SELECT_BYTES = bytes(0xFF if c == ord("#") else 0 for c in range(256))
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_STAND_INS: dict[str, tuple[str, str] | None] = {}   # None: the character folds to a non-ASCII letter


def _stand_ins(c: str) -> tuple[str, str] | None:
    """ASCII stand-ins for a non-ASCII character: one that folds alike, one of the same word class."""
    if c not in _STAND_INS:
        f = _TABLE[ord(c)]
        # "'" for a character that is dropped; a folded letter or digit, or " ", folds to itself.
        _STAND_INS[c] = (("'" if f == _DEL else f), "A" if _WORDISH.match(c) else " ") if f.isascii() else None
    return _STAND_INS[c]


def _fold(text: str, mask_lower: bool) -> str:
    """`text.translate(_TABLE)`; with `mask_lower`, lower-case word starts become "#"."""
    if text.isascii():
        raw = text.encode("ascii")
        return _fold_bytes(raw, raw, mask_lower)
    # Usually a handful of distinct quotes and dashes: replace each one throughout.
    folded_text = clean_text = text
    hard = []
    for c in set(_NON_ASCII.findall(text)):
        pair = _stand_ins(c)
        if pair is None:      # Greek, CJK and the like keep their letters: the general path, but only where they are
            hard.append(c)
            continue
        folded_text = folded_text.replace(c, pair[0])
        if mask_lower:
            clean_text = clean_text.replace(c, pair[1])
    if hard:
        return _fold_around(text, hard, mask_lower)
    return _fold_bytes(folded_text.encode("ascii"), clean_text.encode("ascii") if mask_lower else b"", mask_lower)


def _fold_bytes(folded: bytes, clean: bytes, mask_lower: bool) -> str:
    """The fast path of `_fold`: ASCII `folded`, one byte per character (and, to mask, `clean`: the same
    characters' word classes)."""
    folded = folded.translate(_FOLD_BYTES)
    if mask_lower:
        # A lower-case letter after a non-word character (a class "a" after a " ") is masked.
        # The text is one byte per character here, so the mask is merged as big integers.
        classes = (b" " + clean.translate(_CLASS_BYTES)).replace(b" a", b" #")
        select = int.from_bytes(classes[1:].translate(_SELECT_BYTES), "big")
        if select:
            n = len(folded)
            value = (int.from_bytes(folded, "big") & ~select) | (int.from_bytes(b"#" * n, "big") & select)
            folded = value.to_bytes(n, "big")
    return folded.decode("ascii")


def _fold_around(text: str, hard: list[str], mask_lower: bool) -> str:
    """`_fold` of a text holding characters that fold to non-ASCII letters: the general path from the first
    of them to the last, the fast paths before and after (a long text with a few at its head stays fast).

    Each character folds alone, and its mask depends on the character before it only, so the parts are
    folded apart, each told the character before it.
    """
    lo, hi = min(text.find(c) for c in hard), max(text.rfind(c) for c in hard)
    head = _fold(text[:lo], mask_lower) if lo else ""
    middle = _fold_slow(text[lo - 1:hi + 1], mask_lower)[1:] if lo else _fold_slow(text[:hi + 1], mask_lower)
    rest = text[hi + 1:]
    if not rest:
        return head + middle
    # The stand-in for the last general character: one of its word class ("A" continues a word, " " does not).
    tail = _fold(("A" if _WORDISH.match(text[hi]) else " ") + rest, mask_lower)[1:]
    return head + middle + tail


_LOWER_WORD = re.compile(r"(?<![\w’'`\-.])[a-z]")


def _fold_slow(text: str, mask_lower: bool) -> str:
    if mask_lower:
        text = _LOWER_WORD.sub(MASK, text)
    return text.translate(_TABLE)


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


def normalize_text(text: str, *, mask_lower: bool = False) -> NormText:
    """Fold `text` like `names.normalize` does keys, keeping a map to the original offsets.

    >>> n = normalize_text("Al-Qa'im, Iraq's St. Louis")
    >>> n.text
    'al qaim iraq s st louis'
    >>> "Al-Qa'im, Iraq's St. Louis"[n.orig(3):n.orig_end(7)]
    "Qa'im"
    >>> "Al-Qa'im, Iraq's St. Louis"[n.orig(15):n.orig_end(23)]
    'St. Louis'
    """
    t = _fold(text, mask_lower)
    if _DEL in t:
        t = _SPLIT_APOS.sub(" ", t)
    if _DEL not in t and "  " not in t:
        return NormText(t)
    # A run of spaces keeps one, a run of dropped characters none; after each run the shift
    # back to `t` grows by what was cut, and the output resumes at the run's end minus the shift.
    spans = [m.span() for m in (_DROP if _DEL in t else _SPACES).finditer(t)]
    shifts = tuple(accumulate([b - a - (t[a] == " ") for a, b in spans]))
    breaks = tuple([b - s for (_, b), s in zip(spans, shifts)])
    return NormText(_SPACES.sub(" ", t).replace(_DEL, "") if _DEL in t else _single_spaces(t, spans), breaks, shifts)


# Runs of spaces at most one per this many characters: the text between them is joined, not split into words.
_SPARSE_RUNS = 64


def _single_spaces(t: str, runs: list[tuple[int, int]]) -> str:
    """`_SPACES.sub(" ", t)` for a folded text without dropped characters, whose only whitespace is the
    space (every character that is no letter or digit folds to one), given the spans of its runs: a split
    and a join, far cheaper than replacing each of the dozens of runs; or, where runs are sparse (a long
    article holds a few hundred among thousands of words), the stretches between them joined by one space."""
    if len(runs) * _SPARSE_RUNS < len(t):
        return " ".join([t[a:b] for a, b in zip([0, *(end for _, end in runs)], [*(start for start, _ in runs), len(t)])])
    inner = " ".join(t.split())
    return (" " if t[:1] == " " else "") + inner + (" " if inner and t[-1:] == " " else "")
