"""Domain types for articles and incidents (places live in `gazetteer.model`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import Enum

from gazetteer.model import Level, Mention, Place, Toponym, check_coordinates

__all__ = [
    "ArticleResult",
    "Article", "Dateline", "DatePrecision", "Evidence", "GeoPrecision", "Incident",
    "Level", "Mention", "Phrase", "Place", "Span", "Toponym",
]


class DatePrecision(str, Enum):
    """ACLED time precision: 1 day, 2 week, 3 month; plus unknown (date is null)."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    UNKNOWN = "unknown"

    @property
    def acled(self) -> int | None:
        return {"day": 1, "week": 2, "month": 3}.get(self.value)


class GeoPrecision(int, Enum):
    """ACLED geo precision: 1 town or finer, 2 near a town / part of a region, 3 a larger region."""

    TOWN = 1
    NEAR = 2
    REGION = 3


@dataclass(frozen=True, slots=True)
class Span:
    """A [start, end) range of `Article.text`."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span {self.start}:{self.end}")


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words of an article that gave an incident its place or date: `text == article.text[start:end]`."""

    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if self.start < 0 or self.end - self.start != len(self.text):
            raise ValueError(f"phrase {self.text!r} does not fit its span {self.start}:{self.end}")


@dataclass(frozen=True, slots=True)
class Dateline:
    """`KABUL/ABDUL KHIL, Afghanistan (Reuters) -`: the places, the country, and where it is."""

    places: tuple[str, ...]
    country: str | None
    span: Span
    near: bool = False           # "NEAR MOSUL, Iraq"


@dataclass(frozen=True, slots=True)
class Article:
    """One news article. Every span indexes `text`; `offset` is where `text` starts in its file."""

    id: str
    text: str
    title: str = ""
    date: dt.date | None = None
    date_precision: DatePrecision = DatePrecision.UNKNOWN
    date_source: str = ""        # "metadata", "caption+lead", "caption", ""
    url: str = ""
    source: str = ""             # publisher / feed name
    path: str = ""               # file it came from ("-" for stdin)
    line: int = 0                # 1-based line where the record starts
    offset: int = 0              # character offset of `text` in the file (plain-text wire files)
    title_span: Span | None = None
    caption_span: Span | None = None
    byline_span: Span | None = None
    dateline: Dateline | None = None
    body_span: Span | None = None
    credit_span: Span | None = None
    content_hash: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("an article needs an id")

    def slice(self, span: Span | None) -> str:
        return self.text[span.start:span.end] if span else ""

    @property
    def caption(self) -> str:
        return self.slice(self.caption_span)

    @property
    def byline(self) -> str:
        return self.slice(self.byline_span)

    @property
    def credit(self) -> str:
        return self.slice(self.credit_span)

    @property
    def body(self) -> str:
        return self.slice(self.body_span) if self.body_span else self.text


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where an incident was read: the article, the sentence and the trigger word."""

    article_id: str
    article_title: str
    sentence: str
    sentence_span: Span
    trigger: str
    trigger_span: Span
    source: str = ""
    url: str = ""
    article_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Incident:
    """One coded incident, ACLED-style. `place is None` means it could not be located."""

    id: str
    type: str                    # our short type name, from the taxonomy file
    event_type: str              # ACLED event type
    sub_event_type: str          # ACLED sub-event type
    date: dt.date | None
    date_precision: DatePrecision
    place: Place | None
    place_text: str              # the words in the text that named the place
    geo_precision: GeoPrecision | None
    evidence: tuple[Evidence, ...]
    fatalities: int | None = None
    injured: int | None = None
    actors: tuple[str, ...] = ()
    confidence: float = 0.5      # probability that type family, place and date are right (docs/incidents.md)
    date_text: str = ""          # the words the date came from ("late on Thursday")
    notes: tuple[str, ...] = ()
    # The phrases that gave the place ("near Raqqa", the dateline's "MOSUL") and the date ("on Tuesday"),
    # as offsets into the text of the first evidence's article; None when no phrase gave them.
    place_evidence: Phrase | None = None
    date_evidence: Phrase | None = None

    def __post_init__(self) -> None:
        if not self.evidence:
            raise ValueError("an incident needs at least one piece of evidence")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must be within [0, 1], got {self.confidence!r}")
        if self.date is None and self.date_precision is not DatePrecision.UNKNOWN:
            raise ValueError("a null date must have precision 'unknown'")
        if self.place is not None:
            check_coordinates(self.place.lat, self.place.lon)
        for n in (self.fatalities, self.injured):
            if n is not None and n < 0:
                raise ValueError(f"counts cannot be negative, got {n!r}")

    @property
    def level(self) -> Level | None:
        return self.place.level if self.place else None

    @property
    def lat(self) -> float | None:
        return self.place.lat if self.place else None

    @property
    def lon(self) -> float | None:
        return self.place.lon if self.place else None

    @property
    def article_id(self) -> str:
        return self.evidence[0].article_id

    @property
    def sources(self) -> tuple[str, ...]:
        """Distinct article ids, in order of first appearance."""
        return tuple(dict.fromkeys(e.article_id for e in self.evidence))

    @property
    def __geo_interface__(self) -> dict | None:
        return self.place.__geo_interface__ if self.place else None


@dataclass(frozen=True, slots=True)
class ArticleResult:
    """What one article yields; `warnings` are limits hit and similar notes.

    `places_resolved` counts the resolved toponyms; it survives `without_toponyms()`, which
    workers use when the consumer needs only incidents (shipping ~15 toponyms per article
    back to the parent process is most of the cost of running on several cores).
    """

    article: Article
    toponyms: tuple[Toponym, ...]
    incidents: tuple[Incident, ...]
    warnings: tuple[str, ...] = field(default=())
    places_resolved: int = -1

    def __post_init__(self) -> None:
        if self.places_resolved < 0:
            object.__setattr__(self, "places_resolved", sum(1 for t in self.toponyms if t.place is not None))

    def without_toponyms(self) -> "ArticleResult":
        """The same result without its toponyms (their count is kept)."""
        return replace(self, toponyms=())
