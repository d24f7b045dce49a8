"""Opt-in online geocoding (Nominatim or GeoNames via geopy), rate-limited and cached on disk.

Nothing here runs unless the user asks for online lookups. Answers ("found" and the
definitive "not found") are cached; failures (timeouts, 429, 5xx, malformed answers) are
never cached, only warned about, so a later run asks again.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import sqlite3
import threading
import time
import warnings
from collections.abc import Callable
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import platformdirs
from geopy.exc import GeocoderTimedOut, GeocoderUnavailable, GeopyError

from gazetteer.layers.user_formats import level_for_feature
from gazetteer.model import Level, Place
from gazetteer.names import normalize

MIN_DELAY_SECONDS = 1.0  # Nominatim's usage policy: at most one request per second
_NOMINATIM_LEVELS = {
    "continent": Level.CONTINENT, "country": Level.COUNTRY, "state": Level.PROVINCE,
    "province": Level.PROVINCE, "region": Level.PROVINCE, "governorate": Level.PROVINCE,
    "state_district": Level.DISTRICT, "county": Level.DISTRICT, "district": Level.DISTRICT,
    "city": Level.CITY, "town": Level.CITY, "village": Level.CITY, "hamlet": Level.CITY,
    "municipality": Level.CITY, "suburb": Level.NEIGHBOURHOOD, "neighbourhood": Level.NEIGHBOURHOOD,
    "quarter": Level.NEIGHBOURHOOD, "city_district": Level.NEIGHBOURHOOD,
}
_NOMINATIM_CLASSES = {
    "place": Level.CITY, "boundary": Level.DISTRICT, "natural": Level.FEATURE,
    "waterway": Level.FEATURE, "water": Level.FEATURE,
}


# Failures to reach the online geocoder in a row after which a run stops asking it (each costs a
# timeout when there is no network).
BREAK_AFTER = 3
_UNREACHABLE = (GeocoderUnavailable, GeocoderTimedOut, OSError)


class GeocoderWarning(UserWarning):
    """An online lookup failed; the name stays unresolved."""


def user_agent() -> str:
    """`incidentmap/<version>`, the version read from the installed package metadata."""
    try:
        version = metadata.version("incidentmap")
    except metadata.PackageNotFoundError:
        version = "dev"
    return f"incidentmap/{version}"


def make_geocoder(provider: str = "nominatim", *, username: str | None = None, timeout: float = 10.0,
                  **kwargs):
    """A geopy geocoder: Nominatim (default) or GeoNames (needs a username)."""
    # lazy: geopy (about 80 ms) only with --online
    from geopy.geocoders import GeoNames, Nominatim

    if provider == "nominatim":
        return Nominatim(user_agent=user_agent(), timeout=timeout, **kwargs)
    if provider == "geonames":
        if not username:
            raise ValueError("the GeoNames web service needs a username")
        return GeoNames(username=username, user_agent=user_agent(), timeout=timeout, **kwargs)
    raise ValueError(f"unknown online geocoder {provider!r}; expected one of: nominatim, geonames")


def default_cache_path() -> Path:
    """The on-disk cache of online answers, in the per-user cache dir."""
    return Path(platformdirs.user_cache_dir("incidentmap")) / "online-geocoder.sqlite"


def _rate_limited(func: Callable, clock: Callable[[], float], sleep: Callable[[float], None],
                  min_delay: float):
    # lazy: geopy (about 80 ms) only with --online
    from geopy.extra.rate_limiter import RateLimiter

    class _Limiter(RateLimiter):
        def _clock(self) -> float:
            return clock()

        def _sleep(self, seconds: float) -> None:
            sleep(seconds)

    # No retries: a failure is reported and left uncached, so the next run retries it.
    return _Limiter(func, min_delay_seconds=min_delay, max_retries=0,
                    error_wait_seconds=max(min_delay, 0.0), swallow_exceptions=False)


def location_to_place(location, query: str, provider: str) -> Place:
    """Turn a geopy Location into a Place of the "online" layer (raises ValueError if unusable)."""
    raw = location.raw if isinstance(location.raw, dict) else {}
    lat, lon = float(location.latitude), float(location.longitude)
    if "geonameId" in raw:
        place_id, level, country, population = _geonames_reading(raw)
    elif "osm_id" in raw:
        place_id, level, country, population = _nominatim_reading(raw)
    else:
        digest = hashlib.sha1(f"{provider}|{query}|{lat:.5f}|{lon:.5f}".encode()).hexdigest()[:12]
        place_id, level, country, population = f"online:{digest}", Level.LANDMARK, None, 0
    name = raw.get("name") or (location.address or query).split(",")[0].strip() or query
    return Place(
        id=place_id, name=name, lat=lat, lon=lon, level=level, layer="online",
        country_code=country, population=population,
        source=f"{provider}: {location.address}"[:300],
        raw=(("query", query), ("address", str(location.address or ""))),
    )


def _geonames_reading(raw: dict) -> tuple[str, Level, str | None, int]:
    """Id, level, country and population of a GeoNames answer."""
    level = level_for_feature(str(raw.get("fcl", "")), str(raw.get("fcode", "")))
    return f"gn:{raw['geonameId']}", level, raw.get("countryCode") or None, int(raw.get("population") or 0)


def _nominatim_reading(raw: dict) -> tuple[str, Level, str | None, int]:
    """Id, level, country and population (none given) of a Nominatim answer."""
    kind = raw.get("addresstype") or raw.get("type") or ""
    level = _NOMINATIM_LEVELS.get(kind) or _NOMINATIM_CLASSES.get(raw.get("class", ""), Level.LANDMARK)
    address = raw["address"] if isinstance(raw.get("address"), dict) else {}
    country = (address.get("country_code") or "").upper() or None
    return f"osm:{raw.get('osm_type', 'x')}/{raw['osm_id']}", level, country, 0


def _place_to_json(place: Place) -> str:
    return json.dumps({
        "id": place.id, "name": place.name, "lat": place.lat, "lon": place.lon,
        "level": place.level.value, "country_code": place.country_code,
        "population": place.population, "source": place.source, "raw": place.raw,
    }, ensure_ascii=False)


def _place_from_json(text: str) -> Place:
    d = json.loads(text)
    return Place(
        id=d["id"], name=d["name"], lat=d["lat"], lon=d["lon"], level=Level(d["level"]),
        layer="online", country_code=d.get("country_code"), population=d.get("population") or 0,
        source=d.get("source") or "", raw=tuple(tuple(p) for p in d.get("raw") or ()),
    )


class OnlineGeocoder:
    """Look names up with a geopy geocoder behind a rate limiter and a persistent cache."""

    def __init__(
        self,
        geocoder=None,
        *,
        username: str | None = None,
        cache_path: str | os.PathLike | None = None,
        min_delay_seconds: float = MIN_DELAY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        provider: str | None = None,
    ):
        # `geocoder` is a geopy geocoder object, or a provider name for make_geocoder.
        if geocoder is None or isinstance(geocoder, str):
            geocoder = make_geocoder(geocoder or "nominatim", username=username)
        self.geocoder = geocoder
        self.provider = provider or type(self.geocoder).__name__.lower()
        self.cache_path = Path(cache_path) if cache_path is not None else default_cache_path()
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.cache_path, timeout=60, check_same_thread=False)
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS answers (query TEXT NOT NULL, country TEXT NOT NULL, "
            "provider TEXT NOT NULL, found INTEGER NOT NULL, place TEXT, fetched_at TEXT NOT NULL, "
            "PRIMARY KEY (query, country, provider))"
        )
        self._conn.commit()
        self._lock = threading.Lock()
        self._call = _rate_limited(self.geocoder.geocode, clock, sleep, min_delay_seconds)
        params = inspect.signature(self.geocoder.geocode).parameters
        self._country_kw = next((k for k in ("country_codes", "country") if k in params), None)
        self.failures = 0
        self._in_a_row = 0         # failures since the last answer: the circuit breaker's count

    def cached(self, name: str, country: str | None = None) -> tuple[bool, Place | None] | None:
        """`(found, place)` from the cache, or None if this query was never answered."""
        key = (normalize(name), (country or "").upper(), self.provider)
        with self._lock:
            row = self._conn.execute(
                "SELECT found, place FROM answers WHERE query = ? AND country = ? AND provider = ?", key
            ).fetchone()
        if row is None:
            return None
        return (True, _place_from_json(row[1])) if row[0] else (False, None)

    def geocode(self, name: str, country: str | None = None) -> Place | None:
        """The place `name` (optionally within ISO country `country`), or None if unresolved."""
        hit = self.cached(name, country)
        if hit is not None:
            return hit[1]
        if self._in_a_row >= BREAK_AFTER:
            return None          # the service is unreachable: the rest of the run stays offline
        kwargs: dict = {"exactly_one": True}
        query = name
        if country and self._country_kw == "country_codes":
            kwargs["country_codes"] = country.lower()
        elif country and self._country_kw == "country":
            kwargs["country"] = country.upper()
        elif country:
            query = f"{name}, {country}"

        try:
            location = self._call(query, **kwargs)
            if isinstance(location, list):  # a geocoder that ignored exactly_one
                location = location[0] if location else None
            place = None if location is None else location_to_place(location, name, self.provider)
        except (GeopyError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
            self.failures += 1
            # Only "cannot reach it" counts towards giving up; an HTTP error means the service is there.
            self._in_a_row = self._in_a_row + 1 if isinstance(exc, _UNREACHABLE) else 0
            message = f"online geocoder {self.provider} failed for {name!r}: {type(exc).__name__}: {exc}"
            if self._in_a_row == BREAK_AFTER:
                message += (f"; {BREAK_AFTER} failures in a row, so the rest of this run does not ask it again "
                            "(no network?)")
            # One report per failure: a warning (the command line prints it once); no second log line.
            warnings.warn(message, GeocoderWarning, stacklevel=2)
            return None
        self._in_a_row = 0
        self._store(name, country, place)
        return place

    def _store(self, name: str, country: str | None, place: Place | None) -> None:
        row = (
            normalize(name), (country or "").upper(), self.provider, int(place is not None),
            _place_to_json(place) if place is not None else None,
            datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )
        with self._lock, self._conn:
            self._conn.execute("INSERT OR REPLACE INTO answers VALUES (?,?,?,?,?,?)", row)

    def cache_entries(self) -> list[tuple[str, str, bool]]:
        """Every cached answer as `(query, country, found)` (for inspection and tests)."""
        with self._lock:
            rows = self._conn.execute("SELECT query, country, found FROM answers ORDER BY query").fetchall()
        return [(q, c, bool(f)) for q, c, f in rows]

    def close(self) -> None:
        """Close the cache database."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "OnlineGeocoder":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
