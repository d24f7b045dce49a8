"""Value objects for places and the text spans that name them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum
from typing import TypeVar

E = TypeVar("E", bound=Enum)


class Level(str, Enum):
    """How large a place is; ordered from largest to smallest."""

    CONTINENT = "continent"
    COUNTRY = "country"
    PROVINCE = "province"        # admin-1: province, governorate, state
    DISTRICT = "district"        # admin-2 and below: district, county
    CITY = "city"                # populated place
    NEIGHBOURHOOD = "neighbourhood"
    CAMP = "camp"
    LANDMARK = "landmark"        # mosque, hospital, bridge, airport, base
    FEATURE = "feature"          # river, mountain, other physical feature

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]

    @classmethod
    def parse(cls, value: "str | Level") -> "Level":
        """Parse a level name; the error lists the allowed values."""
        if isinstance(value, str):
            value = value.replace("neighborhood", "neighbourhood")
        return parse_enum(cls, value, what="level")


_LEVEL_RANK = {lv: i for i, lv in enumerate(Level)}

# The layer of a part of a town the layers lack ("the Wahda district of east Mosul"), placed at
# its town's point by gazetteer.resolve.parts; its `raw` holds ("within", "east Mosul").
PART_LAYER = "part"
# The layer of oceans, seas, gulfs and straits (gazetteer/layers/water.py): places at sea, in no country.
WATER_LAYER = "water"


def parse_enum(cls: type[E], value: "str | E", *, what: str, error: type[Exception] = ValueError) -> E:
    """Parse `value` as a member of the string Enum `cls`; the error lists the allowed values.

    >>> parse_enum(Level, " City ", what="level")
    <Level.CITY: 'city'>
    """
    if isinstance(value, cls):
        return value
    try:
        return cls(str(value).strip().lower())
    except ValueError:
        allowed = ", ".join(m.value for m in cls)
        raise error(f"unknown {what} {value!r}; expected one of: {allowed}") from None


def check_coordinates(lat: float, lon: float) -> None:
    """Raise ValueError naming the bad value unless lat/lon are finite and in range."""
    if not (isinstance(lat, (int, float)) and math.isfinite(lat) and -90.0 <= lat <= 90.0):
        raise ValueError(f"latitude must be finite and within [-90, 90], got {lat!r}")
    if not (isinstance(lon, (int, float)) and math.isfinite(lon) and -180.0 <= lon <= 180.0):
        raise ValueError(f"longitude must be finite and within [-180, 180], got {lon!r}")


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry. `raw` keeps the source's own fields (tuple of pairs)."""

    id: str                      # layer-prefixed and stable: "gn:99072", "ne1:IRQ-2255", "cz:mosul-wahda"
    name: str
    lat: float
    lon: float
    level: Level
    layer: str                   # "naturalearth", "geonames", "curated", "user", "online"
    country_code: str | None = None   # ISO 3166-1 alpha-2
    admin1: str | None = None         # name of the first-level region
    admin2: str | None = None
    feature_code: str = ""            # GeoNames feature code (PCLI, ADM1, PPLA, PPLX, ...)
    population: int = 0
    parent_id: str | None = None
    source: str = ""                  # where the coordinates come from (curated layer: public reference)
    raw: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        check_coordinates(self.lat, self.lon)
        if not self.id:
            raise ValueError("a place needs an id")
        if not isinstance(self.level, Level):
            object.__setattr__(self, "level", Level.parse(self.level))

    @property
    def __geo_interface__(self) -> dict:
        return {"type": "Point", "coordinates": (self.lon, self.lat)}

    @property
    def located_at(self) -> str:
        """"parent" for a part of a town placed at its town's point (`parent_id`), else "self"."""
        return "parent" if self.layer == PART_LAYER else "self"

    @property
    def water(self) -> bool:
        """True for an ocean, sea, gulf or strait of the water layer (a point at sea, in no country)."""
        return self.layer == WATER_LAYER

    @property
    def within(self) -> str:
        """For a part placed at its town: the town as the text names it ("east Mosul"); else ""."""
        return next((v for k, v in self.raw if k == "within"), "") if self.layer == PART_LAYER else ""

    @property
    def geonameid(self) -> str | None:
        """GeoNames' id for this place where one is known (cities500 towns, countries, most admin-1 regions), else None."""
        if self.id.startswith("gn:") and self.id[3:].isdigit():
            return self.id[3:]
        for key, value in self.raw:
            if key == "geonameid" and value:
                return str(value)
        return None


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of an article's text that may name a place; offsets index `Article.text`."""

    start: int
    end: int
    text: str
    source: str = "gazetteer"    # how it was found: "gazetteer", "dateline", "pattern", "ner", "gold"
    hint: str | None = None      # a level word next to it ("province", "district", "camp"), if any
    container: str | None = None # an explicit container named with it ("Odessa, Ukraine" -> "Ukraine")

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad mention span {self.start}:{self.end}")

    def __reduce__(self):
        # Workers send an article's mentions back by the dozen; rebuilding through __init__
        # unpickles 1.5x faster than the dataclass's field-by-field __setstate__.
        return (Mention, (self.start, self.end, self.text, self.source, self.hint, self.container))


@dataclass(frozen=True, slots=True)
class Toponym:
    """A mention resolved to a place (or left unresolved, place=None)."""

    mention: Mention
    place: Place | None
    score: float = 0.0
    alternatives: tuple[tuple[Place, float], ...] = field(default=())

    def __reduce__(self):
        return (Toponym, (self.mention, self.place, self.score, self.alternatives))

    @property
    def resolved(self) -> bool:
        return self.place is not None
