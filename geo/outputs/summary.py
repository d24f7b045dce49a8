"""Per-region summaries of incidents: counts by type, fatalities, dates, places, sources and trend.

Regions come from a spatial join of incident points with admin polygons (`gazetteer.boundaries`),
so an incident is counted where its coordinates fall, whatever the text called the place.
Rendering (table, markdown, csv, json) and the chart live in `geo.outputs.summary_render`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from gazetteer import boundaries
from gazetteer.errors import GazetteerError
from gazetteer.model import parse_enum
from geo.errors import UsageError
from geo.model import DatePrecision, Incident, Level, Place

if TYPE_CHECKING:
    import geopandas

__all__ = ["RegionLevel", "RegionSummary", "UNLOCATED", "region_keys", "summarize", "trend"]

UNLOCATED = "(unlocated)"
TOP_PLACES = 3
TREND_WEEKS = 4             # the baseline: mean of this many weeks before the latest one
TREND_UP, TREND_DOWN = 1.25, 0.75   # our thresholds on latest / baseline (ACLED publishes none)


class RegionLevel(str, Enum):
    """What a summary row stands for."""

    COUNTRY = "country"
    ADMIN1 = "admin1"
    ADMIN2 = "admin2"
    PLACE = "place"

    @classmethod
    def parse(cls, value: "str | RegionLevel") -> "RegionLevel":
        """Parse a level name; the error lists the allowed values."""
        return parse_enum(cls, value, what="summary level", error=UsageError)


@dataclass(frozen=True, slots=True)
class RegionSummary:
    """Figures for one region ("(unlocated)" for incidents without a place)."""

    level: RegionLevel
    region_id: str
    name: str
    country_code: str | None
    incidents: int
    by_type: tuple[tuple[str, int], ...]       # most frequent first
    fatalities: int | None                      # sum of the known counts; None when no incident states one
    fatalities_reported: int                    # incidents that state a number (0 included)
    first_date: dt.date | None
    last_date: dt.date | None
    top_places: tuple[tuple[str, int], ...]
    sources: int                                # distinct article ids
    latest_week: int | None                     # incidents in the data's last 7 days
    baseline: float | None                      # mean per week over the 4 weeks before
    trend: str                                  # increase | decrease | stable | n/a


@dataclass(frozen=True, slots=True)
class _Key:
    id: str
    name: str
    country_code: str | None


_NO_PLACE = _Key("", UNLOCATED, None)


def _join(incidents: Sequence[Incident], regions: "geopandas.GeoDataFrame") -> list[_Key | None]:
    """The polygon each located incident's point falls in (None if outside all of them)."""
    # lazy: geopandas and shapely only for a spatial join; `summary --by place` needs none
    import geopandas
    import shapely

    keys: list[_Key | None] = [None] * len(incidents)
    located = [i for i, inc in enumerate(incidents) if inc.place is not None]
    if not located or regions is None or regions.empty:
        return keys
    points = geopandas.GeoDataFrame(
        {"row": located},
        geometry=shapely.points([incidents[i].lon for i in located], [incidents[i].lat for i in located]),
        crs="EPSG:4326")
    polys = regions if regions.crs is not None else regions.set_crs("EPSG:4326")
    if polys.crs.to_epsg() != 4326:
        polys = polys.to_crs("EPSG:4326")
    joined = geopandas.sjoin(points, polys, how="inner", predicate="intersects")
    has_id = "id" in polys.columns
    for row, rec in zip(joined["row"], joined.itertuples(index=False)):
        if keys[row] is not None:
            continue        # a point on a shared border: the first region wins
        cc = getattr(rec, "country_code", None)
        cc = cc if isinstance(cc, str) and cc else None
        rid = rec.id if has_id else cc
        keys[row] = _Key(str(rid), str(getattr(rec, "name", rid)), cc)
    return keys


def _default_regions(level: RegionLevel) -> "geopandas.GeoDataFrame | None":
    """The packaged polygons for a level, or None if they cannot be loaded."""
    try:
        return boundaries.load_countries() if level is RegionLevel.COUNTRY else boundaries.load_admin1()
    except (GazetteerError, ImportError, OSError):
        return None


def region_keys(incidents: Sequence[Incident], by: "str | RegionLevel", *,
                regions: "geopandas.GeoDataFrame | None" = None) -> list[_Key]:
    """The region of each incident at level `by`.

    country/admin1: the polygon (from `regions`, default the packaged boundaries) containing the point;
    a point outside every polygon falls back to the place's own country code / admin1 name.
    admin2: there are no admin-2 polygons; the place's `admin2` field, else the place itself when it is a
    district, else the admin-1 region. place: the place id.
    An incident known only to its country is never put in a region below it: it gets a per-country
    "country-wide" row (and at admin2 one known only to its province a "province-wide" row), since the
    country's (province's) label point says nothing about where in it the incident happened.
    """
    level = RegionLevel.parse(by)
    if level is RegionLevel.PLACE:
        return [_Key(i.place.id, i.place.name, i.place.country_code) if i.place else _NO_PLACE
                for i in incidents]
    polygon_level = RegionLevel.COUNTRY if level is RegionLevel.COUNTRY else RegionLevel.ADMIN1
    polys = regions if regions is not None else _default_regions(polygon_level)
    joined = _join(incidents, polys) if polys is not None else [None] * len(incidents)
    keys = []
    for inc, key in zip(incidents, joined):
        spot = _Spot(level, polygon_level, inc.place, key) if inc.place is not None else None
        keys.append(_NO_PLACE if spot is None else next(k(spot) for _, applies, k in _KEY_RULES if applies(spot)))
    return keys


@dataclass(frozen=True, slots=True)
class _Spot:
    """A located incident as the region rules see it: the level asked, the polygons' level, its place and
    the polygon its point fell in (None: outside every polygon, or no polygons)."""

    level: RegionLevel
    polygon_level: RegionLevel
    place: Place
    polygon: _Key | None


def _admin2_key(s: _Spot) -> _Key:
    p = s.place
    return _Key(f"admin2:{p.country_code or ''}:{p.admin1 or ''}:{p.admin2}", p.admin2 or "", p.country_code)


def _country_wide_key(s: _Spot) -> _Key:
    cc = s.place.country_code
    return _Key(f"country-wide:{cc or s.place.id}", f"{s.place.name} (country-wide)", cc)


def _province_wide_key(s: _Spot) -> _Key:
    p, key = s.place, s.polygon
    province = key.name if key is not None else (p.admin1 or p.name)
    pid = key.id if key is not None else p.id
    return _Key(f"province-wide:{pid}", f"{province} (province-wide)", p.country_code)


def _polygon_key(s: _Spot) -> _Key:
    assert s.polygon is not None       # asked only when the point fell in a polygon
    return s.polygon


def _own_country_key(s: _Spot) -> _Key:
    cc = s.place.country_code
    return _Key(cc, cc, cc) if cc else _Key("", "(outside known regions)", None)


def _own_admin1_key(s: _Spot) -> _Key:
    p = s.place
    return _Key(f"admin1:{p.country_code or ''}:{p.admin1}", p.admin1 or "", p.country_code)


# The region of a located incident (levels country, admin1, admin2): the first rule that applies decides.
_KEY_RULES: tuple[tuple[str, Callable[[_Spot], bool], Callable[[_Spot], _Key]], ...] = (
    ("its admin2 field", lambda s: s.level is RegionLevel.ADMIN2 and bool(s.place.admin2), _admin2_key),
    ("a district is its own admin2", lambda s: s.level is RegionLevel.ADMIN2 and s.place.level is Level.DISTRICT,
     lambda s: _Key(s.place.id, s.place.name, s.place.country_code)),
    # Known only to its country: its point (the country's label point) lies in some province, which says
    # nothing about where it happened (ACLED geo precision 3).
    ("country-wide", lambda s: s.level is not RegionLevel.COUNTRY and s.place.level.rank <= Level.COUNTRY.rank,
     _country_wide_key),
    ("province-wide", lambda s: s.level is RegionLevel.ADMIN2 and s.place.level is Level.PROVINCE, _province_wide_key),
    ("the polygon its point falls in", lambda s: s.polygon is not None, _polygon_key),
    ("its own country", lambda s: s.polygon_level is RegionLevel.COUNTRY or not s.place.admin1, _own_country_key),
    ("its own admin1", lambda s: True, _own_admin1_key),
)


def _weekly(day: dt.date, end: dt.date) -> int:
    """Weeks back from `end`: 0 for the 7 days ending on `end`."""
    return (end - day).days // 7


def trend(latest: int, baseline: float) -> str:
    """Compare the latest week with the mean of the weeks before.

    >>> trend(6, 2.0), trend(1, 4.0), trend(3, 3.0), trend(0, 0.0), trend(2, 0.0)
    ('increase', 'decrease', 'stable', 'stable', 'increase')
    """
    if baseline == 0:
        return "increase" if latest > 0 else "stable"
    ratio = latest / baseline
    return "increase" if ratio > TREND_UP else "decrease" if ratio < TREND_DOWN else "stable"


def _trend_window(incidents: Sequence[Incident]) -> dt.date | None:
    """The data's last date if its dates cover the latest week plus the baseline weeks, else None."""
    days = [i.date for i in incidents if i.date is not None and i.date_precision in
            (DatePrecision.DAY, DatePrecision.WEEK)]
    if not days:
        return None
    end, start = max(days), min(days)
    return end if _weekly(start, end) >= TREND_WEEKS else None


def summarize(incidents: Sequence[Incident], *, by: "str | RegionLevel",
              regions: "geopandas.GeoDataFrame | None" = None) -> list[RegionSummary]:
    """One summary per region at level `by`, most incidents first; the unlocated row comes last."""
    level = RegionLevel.parse(by)
    keys = region_keys(incidents, level, regions=regions)
    end = _trend_window(incidents)
    groups: dict[_Key, list[Incident]] = {}
    for inc, key in zip(incidents, keys):
        groups.setdefault(key, []).append(inc)
    out = [_region_summary(level, key, group, end) for key, group in groups.items()]
    out.sort(key=lambda s: (s.name == UNLOCATED, -s.incidents, s.name, s.region_id))
    return out


def _region_summary(level: RegionLevel, key: _Key, group: list[Incident], end: dt.date | None) -> RegionSummary:
    """The figures of one region's incidents; `end` is the trend window's last day (None: no trend)."""
    dates = [i.date for i in group if i.date is not None]
    places = Counter(i.place.name for i in group if i.place is not None)
    latest, baseline, verdict = _region_trend(group, end)
    return RegionSummary(
        level=level, region_id=key.id, name=key.name, country_code=key.country_code,
        incidents=len(group),
        by_type=tuple(sorted(Counter(i.type for i in group).items(), key=lambda kv: (-kv[1], kv[0]))),
        fatalities=(sum(i.fatalities for i in group if i.fatalities is not None)
                    if any(i.fatalities is not None for i in group) else None),
        fatalities_reported=sum(1 for i in group if i.fatalities is not None),
        first_date=min(dates, default=None), last_date=max(dates, default=None),
        top_places=tuple(sorted(places.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_PLACES]),
        sources=len({s for i in group for s in i.sources}),
        latest_week=latest, baseline=baseline, trend=verdict,
    )


def _region_trend(group: list[Incident], end: dt.date | None) -> tuple[int | None, float | None, str]:
    """Incidents in the latest week, the mean of the baseline weeks, and the trend ("n/a" without a window)."""
    if end is None:
        return None, None, "n/a"
    weeks = Counter(_weekly(i.date, end) for i in group if i.date is not None
                    and i.date_precision in (DatePrecision.DAY, DatePrecision.WEEK))
    latest = weeks[0]
    baseline = sum(weeks[w] for w in range(1, TREND_WEEKS + 1)) / TREND_WEEKS
    return latest, baseline, trend(latest, baseline)

