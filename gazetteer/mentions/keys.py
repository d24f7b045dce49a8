"""How gazetteer keys are written into the matcher's automaton: each key, its variants and the data files'
spellings, with a value that packs the alias id, the key's length and its importance bucket."""

from __future__ import annotations

from collections.abc import Iterable

from gazetteer.mentions.lexicon import Lexicon
from gazetteer.names import variant_keys

_MAX_KEY = 120
_WHERE_ANY, _WHERE_CONTAINER, _WHERE_DEMONYM = 0, 1, 2
# An automaton value packs alias id << 16 | key length << 4 | importance bucket (0..15).
_ALIAS_SHIFT, _LENGTH_BITS, _BUCKET_BITS, _BUCKET_MASK = 16, 0xFFFF, 4, 15
_LISTED_BUCKET = 12     # spellings written in the data files count as major places (`major_bucket`)


# Lower-case words that may sit inside a multi-word name ("Bosnia and Herzegovina", "al-Qaim").
_CONNECTORS = ("of|and|the|de|del|della|des|di|da|do|dos|das|du|la|le|les|el|al|an|ar|as|ash|ad|at|az|adh|ath|ed|en|er|es|"
               "esh|et|eth|ez|ul|un|ur|us|ud|uz|y|e|upon|on|sur|am|im|der|den|bin|ibn|bint|van|von|aan|op|i")
_CONNECTOR_SET = frozenset(_CONNECTORS.split("|"))


def _value(alias: int, length: int, bucket: int) -> int:
    """The automaton's value for a key: its alias id (0 for an indexed key), length and importance bucket."""
    return (alias << _ALIAS_SHIFT) | (length << _BUCKET_BITS) + bucket


def _add_keys(auto, keys: Iterable[tuple[str, float]], lex: Lexicon) -> tuple[set[str], dict[str, tuple[str, float]]]:
    """Add the index keys (and their connector-masked spellings); the keys added, and their article-less
    and other variant forms, each with the most important key it stands for."""
    seen: set[str] = set()
    stripped: dict[str, tuple[str, float]] = {}
    for key, importance in keys:
        if not key or len(key) > _MAX_KEY or key in lex.stop_always:
            continue
        seen.add(key)
        auto.add_word(f" {key} ", _value(0, len(key), _bucket(importance)))
        if " " in key:
            masked = _mask_connectors(key)
            if masked != key:   # "bosnia #nd herzegovina": how the masked text spells it
                auto.add_word(f" {masked} ", _value(0, len(key), _bucket(importance)))
        for v in variant_keys(key):
            if v not in lex.stop_always and (v not in stripped or stripped[v][1] < importance):
                stripped[v] = (key, importance)
    return seen, stripped


def _add_listed(auto, aliases: list[tuple[str, int]], lex: Lexicon, seen: set[str]) -> None:
    """Add the data files' spellings: name variants (some only as containers) and demonyms."""
    for alias, (key, where) in lex.variants.items():
        if alias in seen:
            continue
        aliases.append((key, _WHERE_CONTAINER if where == "container" else _WHERE_ANY))
        auto.add_word(f" {alias} ", _value(len(aliases), len(alias), _LISTED_BUCKET))
    for dem, key in lex.demonyms.items():
        if not key:
            continue
        for form in (dem, dem + "s") if not dem.endswith(("sh", "ch", "ese", "s", "i")) else (dem,):
            aliases.append((key, _WHERE_DEMONYM))
            auto.add_word(f" {form} ", _value(len(aliases), len(form), _LISTED_BUCKET))


def _mask_connectors(key: str) -> str:
    words = key.split(" ")
    return " ".join(["#" + w[1:] if i and w in _CONNECTOR_SET else w for i, w in enumerate(words)])


def _bucket(importance: float) -> int:
    """0..15 from an index importance (log10 population plus level and layer bonuses)."""
    if not importance or importance <= 0:
        return 0
    return min(15, int(importance * 2))
