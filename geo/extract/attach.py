"""Attachment by structure: the place and the date an event's predicate governs, read from its frame.

The scored rules of `geo.extract.locate` and `geo.extract.dater` choose by distance and by the words around the
trigger; where a sentence offers more than one place or more than one date, its parse (`geo.extract.frames`)
says which phrase the event's predicate governs. Only those sentences are parsed, in one batch per article.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from geo.extract.dater import Dater
from geo.extract.dates import EventDate
from geo.extract.frames import Attachment, EventFrame, event_frame, parse
from geo.extract.locate import PlaceChoice, Placer
from geo.extract.triggers import Hit, clause_of
from geo.read.text import Sentence

__all__ = ["Frames", "date", "place"]

# The prepositions of a place phrase that says where something happened ("" when the place is an argument of its
# own: "seized Qaim", "Kabul was hit"); "from Yemen", "to Turkey", "by U.S. forces", "since 2014" say something else.
_WHERE = frozenset({"", "in", "at", "on", "near", "outside", "inside", "into", "across", "throughout", "over", "around",
                    "within", "along", "off", "onto", "upon", "between", "among", "behind", "beyond", "past", "under",
                    "opposite", "south", "north", "east", "west", "southeast", "southwest", "northeast", "northwest"})

_ELSEWHERE = frozenset({Attachment.AGENT, Attachment.TELLING, Attachment.OTHER})


class Frames:
    """The parses of an article's sentences whose event's place or date is in doubt, and their frames."""

    def __init__(self, sents: Sequence[Sentence], doubtful: Iterable[int],
                 parser: Callable[[Sequence[str]], list] | None = None):
        self._sents = sents
        picked = sorted(set(doubtful))
        docs = (parser or parse)([sents[si].text for si in picked]) if picked else []
        self._docs = dict(zip(picked, docs, strict=True))
        self._frames: dict[tuple[int, int, int], EventFrame | None] = {}

    @property
    def parsed(self) -> int:
        """How many sentences were parsed."""
        return len(self._docs)

    def frame(self, si: int, trigger: tuple[int, int]) -> EventFrame | None:
        """The frame of the trigger at article offsets `trigger` in sentence `si`; None if the sentence was not parsed."""
        doc = self._docs.get(si)
        if doc is None:
            return None
        key = (si, *trigger)
        if key not in self._frames:
            self._frames[key] = event_frame(doc, self._sents[si].start, trigger)
        return self._frames[key]


def in_doubt(placer: Placer, dater: Dater, text: str, sents: Sequence[Sentence], si: int,
             triggers: Iterable[Hit]) -> bool:
    """True if sentence `si` needs its parse: it holds two or more date expressions that may date an event (not a
    telling's), or for one of its triggers the scored rules weigh two or more places (`Placer.scored`)."""
    sentence = sents[si]
    if sum(1 for _, telling in dater.candidates(si) if not telling) >= 2:
        return True
    for hit in triggers:
        scored = placer.scored(sentence, (hit.start, hit.end), clause_of(text, sentence, hit))
        if len({c.place.id for _, c in scored}) >= 2:
            return True
    return False


def place(frame: EventFrame, placer: Placer, sentence: Sentence, trigger: tuple[int, int], clause: tuple[int, int],
          fallback: PlaceChoice | None) -> PlaceChoice | None:
    """The best scored place (`Placer.scored`) the predicate governs ("an air base in Syria", "arrested in the
    province of Adana"); else `fallback` (the rules' choice), unless the frame attaches that to who acted, to the
    telling or to another predicate ("officials in Islamabad said", "days after talks in Algiers"): then None."""
    own = [(s, c) for s, c in placer.scored(sentence, trigger, clause) if c.start >= 0
           and frame.attaches(c.start, c.start + len(c.text)) is Attachment.OWN
           and frame.preposition(c.start, c.start + len(c.text)) in _WHERE]
    if own:
        return max(own, key=lambda sc: sc[0])[1]
    if fallback is not None and fallback.start >= 0 \
            and frame.attaches(fallback.start, fallback.start + len(fallback.text)) in _ELSEWHERE:
        return None
    return fallback


def date(frame: EventFrame, dater: Dater, si: int, fallback: EventDate) -> EventDate:
    """The date the predicate governs in sentence `si` (the first resolved one, else the first; "the day before" counted
    from the day the text is at, `Dater.day_before`); else `fallback`."""
    own = [dater.day_before(si, d) for d, telling in dater.candidates(si)
           if not telling and frame.attaches(d.start, d.end) is Attachment.OWN]
    return next((d for d in own if d.date is not None), own[0]) if own else fallback
