"""Name normalisation shared by the index and the mention finder.

Both sides must produce the same key for the same name, so any change here bumps
NAMES_VERSION, which makes an existing index stale (it is then rebuilt).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

from gazetteer.datafiles import word_sections

NAMES_VERSION = 2

_APOSTROPHES = dict.fromkeys(map(ord, "'’‘`´ʼʻʿʾ"), None)
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_/.,]+")

PARTICLES = Path(__file__).parent / "data" / "particles.txt"

_NON_LETTER = re.compile(r"[^a-z]+")
_DOUBLE = re.compile(r"(.)\1+")
# Transliteration digraphs and letters that vary between Arabic/Pashto/Kurdish romanisations.
_SKELETON_SUBS = (("ph", "f"), ("q", "k"), ("c", "k"), ("x", "ks"), ("dj", "j"), ("v", "w"))
_VOWELS = re.compile(r"[aeiouy]")


@cache
def _particles(*names: str) -> frozenset[str]:
    """The name particles of these classes of gazetteer/data/particles.txt ("articles", "quarter-prefixes", ...)."""
    sections = word_sections(PARTICLES)
    return frozenset().union(*(sections[name] for name in names))


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


@lru_cache(maxsize=200_000)
def normalize(name: str) -> str:
    """The lookup key of a place name.

    >>> normalize("  Al-Qa'im ")
    'al qaim'
    >>> normalize("Tel-Keyf")
    'tel keyf'
    """
    return _SEPARATORS.sub(" ", fold(name)).strip()


def strip_article(key: str) -> str:
    """A normalised key without a leading Arabic article or quarter prefix.

    >>> strip_article("al qaim")
    'qaim'
    >>> strip_article("hay al wahda")
    'wahda'
    >>> strip_article("hay river")
    'hay river'
    >>> strip_article("al")
    'al'
    """
    words = key.split(" ")
    articles = _particles("articles")
    # A quarter prefix goes only before an article ("Hay al-Wahda"); "Hay River" keeps its name.
    if len(words) > 2 and words[0] in _particles("quarter-prefixes") and words[1] in articles:
        words = words[1:]
    if len(words) > 1 and words[0] in articles:
        words = words[1:]
    return " ".join(words)


def _article_glued(word: str) -> str:
    """'alhawijah' -> 'hawijah': an article written as one word with the name."""
    for art in ("al", "el"):
        if word.startswith(art) and len(word) > len(art) + 3:
            return word[len(art):]
    return word


@lru_cache(maxsize=65536)
def skeleton(name: str) -> str:
    """A transliteration-tolerant phonetic key: consonants only, doubles collapsed.

    Names that differ only in vowels, doubled letters, articles, 'h' and q/k spelling
    share a skeleton, so "Tel Keyf", "Tallkayf" and "Tel Kaif" meet, as do "Hawija" and
    "Al Hawijah", and "Odessa" and "Odesa".

    >>> skeleton("Tel Keyf") == skeleton("Tallkayf") == skeleton("Tel Kaif")
    True
    >>> skeleton("Hawija") == skeleton("Al-Hawijah")
    True
    >>> skeleton("Qaim") == skeleton("Al Qa'im")
    True
    """
    key = strip_article(normalize(name))
    if " " not in key:
        key = _article_glued(key)
    s = _NON_LETTER.sub("", key)
    if not s:
        return ""
    for a, b in _SKELETON_SUBS:
        s = s.replace(a, b)
    head, tail = s[0], s[1:]
    # 'h' after a consonant (kh, sh, th, dh, gh) and a final or medial 'h' vary freely.
    tail = tail.replace("h", "")
    if head in "aeiouy":
        head = "a"  # an initial vowel is kept (Iraq vs Raqqa) but its quality varies (Erbil/Arbil)
    return _DOUBLE.sub(r"\1", head + _VOWELS.sub("", tail))


def without_articles(key: str) -> str:
    """A normalised key without any Arabic article, wherever it stands, for comparing spellings.

    >>> without_articles("deir al zor") == without_articles("deir ez zor")
    True
    """
    anywhere = _particles("articles", "articles-anywhere")
    words = [w for w in key.split(" ") if w not in anywhere]
    return " ".join(words) if words else key


def variant_keys(key: str) -> tuple[str, ...]:
    """Other keys under which a normalised name may be indexed (without its article, quarter prefix).

    >>> variant_keys("al hawijah")
    ('hawijah',)
    >>> variant_keys("mosul")
    ()
    """
    out: list[str] = []
    stripped = strip_article(key)
    if stripped != key and len(stripped) >= 3:
        out.append(stripped)
    return tuple(out)
