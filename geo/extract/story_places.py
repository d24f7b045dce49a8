"""What an article's resolved toponyms say about the story as a whole: which lie on the dateline, and
the countries and towns the resolver is sure the story is about (read by `geo.extract.locate.Placer`)."""

from __future__ import annotations

from collections import Counter

from geo.model import Level, Place, Span, Toponym

__all__ = ["SURE", "on_dateline", "sure_countries", "sure_towns"]

SURE = 0.9      # a resolver score sure enough to define the story's countries and towns


def on_dateline(ordered: list[Toponym], span: Span | None) -> list[Toponym]:
    """The resolved toponyms on the dateline."""
    return [t for t in ordered if t.place is not None and span
            and t.mention.start < span.end and span.start < t.mention.end]


def sure_countries(ordered: list[Toponym], on_dateline: list[Toponym]) -> Counter:
    """Countries of the sure matches off the dateline, with how many each has."""
    return Counter(t.place.country_code for t in ordered
                   if t.place is not None and t not in on_dateline and t.score >= SURE)


def sure_towns(ordered: list[Toponym]) -> list[Place]:
    """Places of district level or finer the resolver is sure of."""
    return [t.place for t in ordered if t.place is not None and t.score >= SURE
            and t.place.level.rank >= Level.DISTRICT.rank]
