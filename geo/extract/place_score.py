"""The score of a place for an event told in its sentence: the weights (`PLACE_WEIGHTS`) and how they add up."""

from __future__ import annotations

from dataclasses import dataclass

from geo.extract.place_words import _FROM
from geo.model import Level, Place, Toponym

__all__ = ["PLACE_WEIGHTS", "PlaceWeights"]

# A tied place within this many characters after the trigger is governed by it ("were arrested in X").
_RIGHT_AFTER = 40


@dataclass(frozen=True, slots=True)
class PlaceWeights:
    """The weights of choosing a place for an event within its sentence (`Placer._score`)."""

    level: float = 1.0             # per level of detail: a town beats its province, which beats its country
    tied: float = 1.0              # governed by in/at/near/... or the trigger verb's object: worth one level
    source: float = 0.5            # "from X": where fire or a flight came from, half a level
    chars_per_point: float = 80.0  # characters between trigger and place that cost one point
    right_after: float = 0.3       # "were arrested in X": the phrase right after the trigger governs it
    doubt: float = 2.0             # per unit of the resolver's doubt: a doubtful namesake loses to a sure town


PLACE_WEIGHTS = PlaceWeights()


def _place_score(topo: Toponym, place: Place, before: str, tied: bool, gap: int, trigger: tuple[int, int]) -> float:
    """The `PLACE_WEIGHTS` score of a place within its trigger's reach: finer places win (a city over the
    country it is "in"); words tying it to the event help; distance from the trigger and doubt cost."""
    w = PLACE_WEIGHTS
    if place.water:
        rank = Level.PROVINCE.rank     # a sea is no finer than a region: "off Zuwara" beats "in the Mediterranean"
    elif place.located_at == "parent":
        rank = max(place.level.rank, Level.NEIGHBOURHOOD.rank)
    else:
        rank = place.level.rank
    score = rank * w.level + (w.tied if tied else 0.0) + (w.source if _FROM.search(before) else 0.0)
    score -= max(gap, 0) / w.chars_per_point
    if tied and topo.mention.start > trigger[1] and gap <= _RIGHT_AFTER:
        score += w.right_after
    score -= w.doubt * max(0.0, 1.0 - topo.score) if topo.score else 0.0
    return score
