"""The store's tables, how domain objects become rows and back, and schema versions.

Both back ends (GeoPackage, PostGIS) share these column lists; each maps the logical
types (text, int, real, date, json) to its own SQL types. Lat/lon are kept as plain
columns so a `Place` is rebuilt exactly; the point geometry is written for GIS readers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from geo.errors import IncidentMapError, OutputError
from geo.extract.fatalities import MAX_COUNT
from geo.model import (
    Article,
    Dateline,
    DatePrecision,
    Evidence,
    GeoPrecision,
    Incident,
    Level,
    Mention,
    Phrase,
    Place,
    Span,
    Toponym,
)
from geo.read.records import DATE_YEARS

__all__ = [
    "ARTICLES", "INCIDENTS", "MIGRATIONS", "ROW_ERRORS", "SCHEMA_VERSION", "TABLES", "TOPONYMS",
    "Row", "SchemaVersionError", "StoreError", "StoreWriteError", "Table", "article_hash", "article_row", "article_from_row",
    "Migration", "incident_row", "incident_from_row", "migration_plan", "parse_version", "point_wkb", "toponym_row",
    "toponym_from_row",
]

SCHEMA_VERSION = 2
SRID = 4326


class Row(Protocol):
    """A stored row read by column name (sqlite3.Row, psycopg's dict rows)."""

    def __getitem__(self, key: str, /) -> Any: ...


class StoreError(IncidentMapError, OSError):
    """The store cannot be opened, read or written."""


class StoreWriteError(StoreError, OutputError):
    """The store cannot be written (no permission, a read-only medium, a full disk): exit 3 like any output."""


class SchemaVersionError(StoreError, ValueError):
    """The store was written by another incidentmap version and cannot be used as is."""


@dataclass(frozen=True, slots=True)
class Table:
    """A table: name, (column, logical type) pairs, and whether it carries a point geometry."""

    name: str
    columns: tuple[tuple[str, str], ...]
    geometry: bool = False
    description: str = ""
    names: tuple[str, ...] = field(init=False, repr=False, compare=False)    # the column names, in order
    dates: tuple[int, ...] = field(init=False, repr=False, compare=False)    # where the date columns are

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", tuple(c for c, _ in self.columns))
        object.__setattr__(self, "dates", tuple(i for i, (_, kind) in enumerate(self.columns) if kind == "date"))


_PLACE_COLUMNS = (
    ("place_id", "text"), ("place_name", "text"), ("lat", "real"), ("lon", "real"),
    ("level", "text"), ("layer", "text"), ("country_code", "text"), ("admin1", "text"),
    ("admin2", "text"), ("feature_code", "text"), ("population", "int"), ("parent_id", "text"),
    ("place_source", "text"), ("place_raw", "json"),
)

ARTICLES = Table("articles", (
    ("article_id", "text"), ("content_hash", "text"), ("title", "text"), ("date", "date"),
    ("date_precision", "text"), ("date_source", "text"), ("url", "text"), ("source", "text"),
    ("path", "text"), ("line", "int"), ("metadata", "json"),
), description="one row per article (metadata only, not the text)")

TOPONYMS = Table("toponyms", (
    ("article_id", "text"), ("start_char", "int"), ("end_char", "int"), ("text", "text"),
    ("mention_source", "text"), ("hint", "text"), ("container", "text"), ("score", "real"),
    *_PLACE_COLUMNS,
), geometry=True, description="place names found in articles and what they resolved to")

INCIDENTS = Table("incidents", (
    ("incident_id", "text"), ("article_id", "text"), ("type", "text"), ("event_type", "text"),
    ("sub_event_type", "text"), ("date", "date"), ("date_precision", "text"), ("date_text", "text"),
    ("place_text", "text"), ("geo_precision", "int"), ("fatalities", "int"), ("injured", "int"),
    ("actors", "json"), ("confidence", "real"), ("notes", "json"), ("evidence", "json"),
    ("place_evidence", "json"), ("date_evidence", "json"),
    *_PLACE_COLUMNS,
), geometry=True, description="ACLED-style incidents, one row per article and incident")

TABLES = (ARTICLES, TOPONYMS, INCIDENTS)


# --- geometry -----------------------------------------------------------------------------

def point_wkb(lat: float, lon: float) -> bytes:
    """Little-endian WKB for a 2D point (x = lon, y = lat)."""
    return struct.pack("<BIdd", 1, 1, lon, lat)


# --- rows ---------------------------------------------------------------------------------

def article_hash(article: Article) -> str:
    """The article's content hash, computed from its text when the reader left it empty."""
    if article.content_hash:
        return article.content_hash
    return "sha256:" + hashlib.sha256(article.text.encode("utf-8", "surrogatepass")).hexdigest()


# One encoder for every value: `json.dumps` with options builds a new one per call.
_dump = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode


def _span(s: Span | None):
    return [s.start, s.end] if s else None


def _unspan(v) -> Span | None:
    return Span(v[0], v[1]) if v else None


def _required_span(v, what: str) -> Span:
    """A span the schema always stores; a missing one means the row was damaged outside incidentmap."""
    span = _unspan(v)
    if span is None:
        raise StoreError(f"damaged store: {what} has no span")
    return span


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


# What decoding a damaged or foreign row raises (bad JSON, a wrong type, a missing key, JSON nested
# too deep); the store skips such a row with a warning instead of failing the whole read.
ROW_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError, RecursionError)

_KINDS = {"text": (str,), "int": (int,), "real": (int, float), "date": (str, dt.date), "json": (str,)}


def check_row(table: Table, row: Row) -> None:
    """Raise ValueError unless every column holds its logical type (SQLite stores any value in any column)."""
    for name, kind in table.columns:
        value = row[name]
        if value is None:
            continue
        if not isinstance(value, _KINDS[kind]) or isinstance(value, bool):
            raise ValueError(f"{name} holds {type(value).__name__} {_short(value)}, not {kind}")
        if kind == "real" and isinstance(value, (int, float)) and not math.isfinite(value):
            raise ValueError(f"{name} is {value!r}")


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _date(v) -> dt.date | None:
    if v is None or v == "":
        return None
    if isinstance(v, dt.datetime):
        v = v.date()
    elif not isinstance(v, dt.date):
        v = dt.date.fromisoformat(str(v)[:10])
    if not DATE_YEARS[0] <= v.year <= DATE_YEARS[1]:
        raise ValueError(f"date {v.isoformat()} is outside {DATE_YEARS[0]}-{DATE_YEARS[1]}")
    return v


def _count(v) -> int | None:
    if v is not None and not (isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= MAX_COUNT):
        raise ValueError(f"count {_short(v)} is not a number of people (0 to {MAX_COUNT:,})")
    return v


def _json(text, kind: type, what: str):
    """The JSON document in `text` if it is a `kind` (list or dict); empty for a NULL column."""
    try:
        value = json.loads(text) if text else kind()
    except json.JSONDecodeError as exc:
        raise ValueError(f"{what} is not valid JSON ({exc.msg} at character {exc.pos})") from None
    except RecursionError:
        raise ValueError(f"{what} is JSON nested too deep") from None
    if not isinstance(value, kind):
        raise ValueError(f"{what} is not a JSON {kind.__name__}")
    return value


def _strings(text, what: str) -> tuple[str, ...]:
    values = _json(text, list, what)
    if not all(isinstance(v, str) for v in values):
        raise ValueError(f"{what} holds something other than text")
    return tuple(values)


def _place_values(place: Place | None) -> list:
    if place is None:
        return [None] * len(_PLACE_COLUMNS)
    return [
        place.id, place.name, place.lat, place.lon, place.level.value, place.layer,
        place.country_code, place.admin1, place.admin2, place.feature_code, place.population,
        place.parent_id, place.source, _raw_json(place.raw),
    ]


# `_raw_json` by the identity of the raw fields (a run names the same few places again and again, each
# one object), holding them so that no other object takes their id while kept. By identity, not equality:
# fields equal as values ("1", 1, 1.0, True) need not be written alike.
_RAW_JSON: dict[int, tuple[tuple, str]] = {}
_RAW_JSON_KEPT = 4096


def _raw_json(raw: tuple[tuple[str, str], ...]) -> str:
    """A place's raw fields as stored: a JSON list of pairs."""
    hit = _RAW_JSON.get(id(raw))
    if hit is not None and hit[0] is raw:
        return hit[1]
    text = _dump([list(p) for p in raw])
    if len(_RAW_JSON) >= _RAW_JSON_KEPT:
        _RAW_JSON.clear()
    _RAW_JSON[id(raw)] = (raw, text)
    return text


# `_place_from` by the place columns' values: a store names the same places in row after row, and each row's
# values have the types their columns give them (SQLite's REAL columns return 36.0 for 36, as PostGIS's do).
_PLACES: dict[tuple, Place] = {}
_PLACES_KEPT = 4096


def _place_from(row: Row) -> Place | None:
    if row["place_id"] is None:
        return None
    key = tuple(row[name] for name, _ in _PLACE_COLUMNS)
    place = _PLACES.get(key)
    if place is None:
        if len(_PLACES) >= _PLACES_KEPT:
            _PLACES.clear()
        place = _PLACES[key] = _decoded_place(row)
    return place


def _decoded_place(row: Row) -> Place:
    raw = _json(row["place_raw"], list, "place_raw")
    return Place(
        id=row["place_id"], name=row["place_name"], lat=row["lat"], lon=row["lon"],
        level=Level.parse(row["level"]), layer=row["layer"], country_code=row["country_code"],
        admin1=row["admin1"], admin2=row["admin2"], feature_code=row["feature_code"] or "",
        population=row["population"] or 0, parent_id=row["parent_id"],
        source=row["place_source"] or "", raw=tuple(tuple(p) for p in raw),
    )


def article_row(article: Article) -> list:
    """Values for ARTICLES.columns, in order."""
    d = article.dateline
    metadata = {
        "offset": article.offset,
        "dateline": {"places": list(d.places), "country": d.country, "span": _span(d.span), "near": d.near}
        if d else None,
        "spans": {k: _span(getattr(article, k)) for k in
                  ("title_span", "caption_span", "byline_span", "body_span", "credit_span")},
        "chars": len(article.text),
    }
    return [
        article.id, article_hash(article), article.title, article.date,
        article.date_precision.value, article.date_source, article.url, article.source,
        article.path, article.line, _dump(metadata),
    ]


def article_from_row(row: Row) -> Article:
    """An `Article` with its metadata and without its text."""
    check_row(ARTICLES, row)
    meta = _json(row["metadata"], dict, "metadata")
    d = meta.get("dateline")
    spans = {k: _unspan(v) for k, v in (meta.get("spans") or {}).items()}
    return Article(
        id=row["article_id"], text="", title=row["title"] or "", date=_date(row["date"]),
        date_precision=DatePrecision(row["date_precision"]), date_source=row["date_source"] or "",
        url=row["url"] or "", source=row["source"] or "", path=row["path"] or "",
        line=row["line"] or 0, offset=meta.get("offset", 0), content_hash=row["content_hash"],
        dateline=Dateline(tuple(d["places"]), d["country"], _required_span(d["span"], "a dateline"), d["near"]) if d else None,
        **spans,
    )


def toponym_row(article_id: str, t: Toponym) -> list:
    """Values for TOPONYMS.columns, in order."""
    m = t.mention
    return [article_id, m.start, m.end, m.text, m.source, m.hint, m.container, t.score,
            *_place_values(t.place)]


def toponym_from_row(row: Row) -> tuple[str, Toponym]:
    """(article id, toponym); alternatives are not stored."""
    check_row(TOPONYMS, row)
    mention = Mention(row["start_char"], row["end_char"], row["text"], row["mention_source"],
                      row["hint"], row["container"])
    return row["article_id"], Toponym(mention, _place_from(row), row["score"])


def _evidence_dict(e: Evidence) -> dict:
    return {
        "article_id": e.article_id, "article_title": e.article_title, "sentence": e.sentence,
        "sentence_span": _span(e.sentence_span), "trigger": e.trigger,
        "trigger_span": _span(e.trigger_span), "source": e.source, "url": e.url,
        "article_date": _iso(e.article_date),
    }


def _evidence(d: dict) -> Evidence:
    if not isinstance(d, dict):
        raise ValueError("evidence holds something other than a JSON object")
    texts = ("article_id", "article_title", "sentence", "trigger", "source", "url")
    if not all(isinstance(d[k], str) for k in texts):
        raise ValueError("evidence text fields hold something other than text")
    return Evidence(
        article_id=d["article_id"], article_title=d["article_title"], sentence=d["sentence"],
        sentence_span=_required_span(d["sentence_span"], "an evidence sentence"), trigger=d["trigger"],
        trigger_span=_required_span(d["trigger_span"], "an evidence trigger"), source=d["source"], url=d["url"],
        article_date=_date(d["article_date"]),
    )


def incident_row(article_id: str, i: Incident) -> list:
    """Values for INCIDENTS.columns, in order."""
    return [
        i.id, article_id, i.type, i.event_type, i.sub_event_type, i.date, i.date_precision.value,
        i.date_text, i.place_text, i.geo_precision.value if i.geo_precision else None,
        i.fatalities, i.injured, _dump(list(i.actors)), i.confidence, _dump(list(i.notes)),
        _dump([_evidence_dict(e) for e in i.evidence]), _dump_phrase(i.place_evidence), _dump_phrase(i.date_evidence),
        *_place_values(i.place),
    ]


def _dump_phrase(p: Phrase | None) -> str | None:
    return _dump({"start": p.start, "end": p.end, "text": p.text}) if p is not None else None


def _phrase(value: str | None) -> Phrase | None:
    if value is None:
        return None
    d = json.loads(value)
    return Phrase(d["start"], d["end"], d["text"])


def incident_from_row(row: Row) -> Incident:
    """The `Incident` a row was made from; ValueError (or another of ROW_ERRORS) for a damaged row."""
    check_row(INCIDENTS, row)
    return Incident(
        id=row["incident_id"], type=row["type"], event_type=row["event_type"],
        sub_event_type=row["sub_event_type"], date=_date(row["date"]),
        date_precision=DatePrecision(row["date_precision"]), place=_place_from(row),
        place_text=row["place_text"],
        geo_precision=GeoPrecision(row["geo_precision"]) if row["geo_precision"] is not None else None,
        evidence=tuple(_evidence(e) for e in _json(row["evidence"], list, "evidence")),
        fatalities=_count(row["fatalities"]), injured=_count(row["injured"]),
        actors=_strings(row["actors"], "actors"), confidence=row["confidence"],
        date_text=row["date_text"] or "", notes=_strings(row["notes"], "notes"),
        place_evidence=_phrase(row["place_evidence"]), date_evidence=_phrase(row["date_evidence"]),
    )


# --- versions -----------------------------------------------------------------------------

# from_version -> step(execute, dialect) that brings the store to from_version + 1.
# `execute(sql)` runs one statement inside the migration transaction; dialect is
# "gpkg" or "postgis". Register a step here whenever SCHEMA_VERSION goes up.
Migration = Callable[[Callable[[str], object], str], None]
def _v1_to_v2(execute: Callable[[str], object], dialect: str) -> None:
    """Version 2 keeps the phrases that gave each incident its place and date (null for older rows)."""
    kind = "jsonb" if dialect == "postgis" else "TEXT"
    for name in ("place_evidence", "date_evidence"):
        execute(f"ALTER TABLE incidents ADD COLUMN {name} {kind}")


MIGRATIONS: dict[int, Migration] = {1: _v1_to_v2}


def migration_plan(found: int, *, where: str) -> list[Migration]:
    """The steps from `found` to SCHEMA_VERSION, or SchemaVersionError saying why not."""
    if found > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{where} has store schema version {found}, newer than this incidentmap supports"
            f" ({SCHEMA_VERSION}); upgrade incidentmap or use another --db"
        )
    steps = []
    for v in range(found, SCHEMA_VERSION):
        if v not in MIGRATIONS:
            raise SchemaVersionError(
                f"{where} has store schema version {found} and there is no migration from version {v}"
                f" to {v + 1}; re-create the store (delete it and ingest again)"
            )
        steps.append(MIGRATIONS[v])
    return steps


def parse_version(value, *, where: str) -> int:
    """The stored schema_version as an int, or SchemaVersionError for garbage."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise SchemaVersionError(f"{where} has an unknown store schema version {value!r}") from None
