"""The word lists that steer mention finding: stop words, titles, first names, level words, speech verbs, road words, name connectors, particles."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from gazetteer.datafiles import csv_rows, word_lines, word_sections
from gazetteer.names import normalize

__all__ = ["Lexicon", "load_lexicon"]

DATA = Path(__file__).parent.parent / "data"


def _lines(name: str) -> list[str]:
    return word_lines(DATA / name)


def _sections(name: str) -> dict[str, frozenset[str]]:
    return word_sections(DATA / name)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Word lists read from `gazetteer/data`; all entries are lower case."""

    stop_always: frozenset[str]      # never a place on its own ("police", "the")
    stop_initial: frozenset[str]     # a common word when it starts a sentence ("reading", "nice")
    modifiers: frozenset[str]        # words that may precede a place inside a capitalised run ("Northern")
    part_words: frozenset[str]       # "eastern": names a part of the place after it ("Eastern Ghouta")
    generic_terms: frozenset[str]    # "gulf", "coast": a kind of place, not one ("the Gulf", "West Coast")
    demonyms: dict[str, str]         # "iraqi" -> "cc:IQ", "european" -> "europe": adjectives, not places
    locatives: frozenset[str]        # "in", "near": words that open a place slot
    transliterated: frozenset[str]   # country codes whose names are transliterated ("IQ", "AF")
    person_nouns: frozenset[str]     # "administration": after a one-word name, a person ("the Obama administration")
    org_words: frozenset[str]        # "police", "university": may follow a place inside a name
    surnames: frozenset[str]         # "williams", "clark": places only in a place slot
    acronyms: frozenset[str]         # all-caps forms that are places ("us", "uk", "uae")
    titles: frozenset[str]           # "president", "general"
    language_after: frozenset[str]   # "language": after a demonym it names a language ("English language")
    language_before: frozenset[str]  # "speak", "learned": before a demonym, the same
    speech_after: frozenset[str]     # "said", "told": after a one-word name, that name spoke ("Jackson said")
    speech_before: frozenset[str]    # "said", "according": before a one-word name, that name spoke ("said Jackson")
    road_words: frozenset[str]       # "highway": before a capitalised word, an organisation's ("Florida Highway Patrol")
    name_connectors: frozenset[str]  # "and", "de": may join a place name's capitalised words ("Bosnia and Herzegovina")
    first_names: frozenset[str]      # "patrick", "talib"
    place_first_names: frozenset[str]  # given names that are also places ("jordan", "georgia")
    level_words: dict[str, str]      # "district" -> "district", "town" -> "city"
    name_levels: frozenset[str]      # "county", "river": capitalised after a place name, maybe part of it ("Laurel County")
    particles_before_capital: frozenset[str]  # "al", "von": between a one-word place and a capitalised word ("Jordan al-Hussein")
    particles_before_mention: frozenset[str]  # the same and "abu": right before a mention, part of a person's name
    person_particles: frozenset[str]  # "bin", "van", "da": between the words of a person's name
    variants: dict[str, tuple[str, str]]  # normalised alias -> (gazetteer key, "any" | "container" | "seat")


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The packaged word lists (read once per process)."""
    stops = _sections("stopwords.txt")
    first_names = _sections("first_names.txt")
    particles = _sections("particles.txt")
    return Lexicon(
        stop_always=stops.get("always", frozenset()),
        stop_initial=stops.get("sentence-start", frozenset()),
        modifiers=stops.get("modifiers", frozenset()),
        part_words=stops.get("part-words", frozenset()),
        generic_terms=stops.get("generic-terms", frozenset()),
        acronyms=stops.get("acronyms", frozenset()),
        org_words=stops.get("org-words", frozenset()),
        surnames=frozenset(_lines("surnames.txt")),
        person_nouns=stops.get("person-nouns", frozenset()),
        demonyms=_demonyms(),
        transliterated=frozenset(c.upper() for c in _lines("transliterated_countries.txt")),
        locatives=stops.get("locatives", frozenset()),
        titles=frozenset(_lines("person_titles.txt")),
        language_after=frozenset(w for w in stops.get("language-words", ()) if not w.startswith("<")),
        language_before=frozenset(w[1:] for w in stops.get("language-words", ()) if w.startswith("<")),
        speech_after=stops.get("speech-after", frozenset()),
        speech_before=stops.get("speech-before", frozenset()),
        road_words=stops.get("road-words", frozenset()),
        name_connectors=stops.get("name-connectors", frozenset()),
        first_names=first_names.get("names", frozenset()),
        place_first_names=first_names.get("also places", frozenset()),
        level_words=_level_words(),
        name_levels=stops.get("name-levels", frozenset()),
        particles_before_capital=particles["before-capital"],
        particles_before_mention=particles["before-mention"],
        person_particles=particles["in-person-names"],
        variants=_variants(),
    )


def _level_words() -> dict[str, str]:
    levels = {}
    for _, row in csv_rows(DATA / "level_words.csv"):
        levels[row["word"].strip().lower()] = row["level"].strip()
    return levels


def _variants() -> dict[str, tuple[str, str]]:
    variants = {}
    for _, row in csv_rows(DATA / "name_variants.csv"):
        variants[normalize(row["variant"])] = (normalize(row["name"] or ""), row.get("where") or "any")
    return variants


def _demonyms() -> dict[str, str]:
    """Demonym -> "cc:<country code>" (demonyms.csv) or the key of the region it names (demonym_regions.csv)."""
    demonyms = {}
    # demonyms.csv (country_code,demonym) is shared with the opt-in demonym index layer.
    for _, row in csv_rows(DATA / "demonyms.csv"):
        code, dem = (row.get("country_code") or "").strip().upper(), (row.get("demonym") or "").strip()
        if len(code) == 2 and dem:
            demonyms[normalize(dem)] = "cc:" + code
    for _, row in csv_rows(DATA / "demonym_regions.csv"):
        demonyms[normalize(row["demonym"])] = normalize(row["place"])
    return demonyms
