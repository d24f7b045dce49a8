"""Incident exports: GeoJSON (RFC 7946), GeoPackage, CSV and JSON Lines, all from one flat schema.

Decisions:
- GeoJSON is the one place where coordinates flip to [lon, lat]; 6 decimals (~0.1 m); no `crs`
  member; an incident that could not be located has `"geometry": null`, never 0,0.
- JSON outputs escape `<`, `>`, `&` as \\u003c... (same data when parsed) so a file can be inlined
  into a web page without becoming markup.
- CSV is spreadsheet-safe: a text cell starting with = + - @ tab or CR gets a leading `'`. Numeric
  columns stay numeric (a longitude of -3.2 is a number, not a formula).
- GeoPackage text gets the same neutralising as CSV: GIS users copy attribute tables into
  spreadsheets, and the same field must read the same in both exports.
- Only absolute http(s) URLs are exported; `javascript:`, `data:` and relative URLs become null,
  since a viewer that links them would run them and they carry nothing a reader needs.
- Lists (actors, sources, source_urls, notes) are JSON arrays in GeoJSON/JSON Lines and
  "; "-joined in CSV/GeoPackage. Every write replaces the file atomically.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Sequence

from geo.errors import UsageError
from geo.model import Incident, Phrase
from geo.outputs.atomic import atomic_path, atomic_write
from geo.outputs.safe import json_dumps_html_safe, safe_url, spreadsheet_safe

__all__ = [
    "FIELDS", "FORMATS", "NUMERIC_FIELDS", "PLACE_FIELDS", "feature", "feature_collection", "flat_row",
    "incident_properties", "place_format", "to_geodataframe", "write_incidents", "write_place_rows",
]

FIELDS = (
    "id", "type", "event_type", "sub_event_type", "date", "date_precision", "time_precision",
    "date_text", "place_name", "place_text", "place_id", "geonameid", "country_code", "admin1", "admin2", "level",
    "located_at", "geo_precision", "latitude", "longitude", "fatalities", "injured", "actors", "confidence",
    "article_id", "article_title", "article_date", "sentence", "sentence_start", "sentence_end",
    "trigger", "place_evidence", "place_evidence_start", "place_evidence_end",
    "date_evidence", "date_evidence_start", "date_evidence_end", "url", "sources", "source_urls", "notes",
)
_OFFSETS = ("sentence_start", "sentence_end", "place_evidence_start", "place_evidence_end",
            "date_evidence_start", "date_evidence_end")
NUMERIC_FIELDS = frozenset({
    "time_precision", "geo_precision", "latitude", "longitude", "fatalities", "injured", "confidence", *_OFFSETS,
})
LIST_FIELDS = ("actors", "sources", "source_urls", "notes")
FORMATS = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".csv": "csv",
           ".jsonl": "jsonl", ".ndjson": "jsonl"}
LAYER = "incidents"
# The documented `places` row, in order; JSON Lines by default, CSV for a .csv path.
PLACE_FIELDS = ("article_id", "article_title", "start", "end", "text", "name", "lat", "lon", "country_code",
                "admin1", "feature_code", "level", "place_id", "score")
_PLACE_NUMERIC = frozenset({"start", "end", "lat", "lon", "score"})
_PLACE_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".txt": "jsonl", "": "jsonl"}
_DIGITS = 6


def incident_properties(incident: Incident) -> dict:
    """The flat, documented attribute schema of one incident (lists stay lists)."""
    first = incident.evidence[0]
    return {
        "id": incident.id,
        "type": incident.type,
        "event_type": incident.event_type,
        "sub_event_type": incident.sub_event_type,
        "date": incident.date.isoformat() if incident.date else None,
        "date_precision": incident.date_precision.value,
        "time_precision": incident.date_precision.acled,
        "date_text": incident.date_text,
        **_place_properties(incident),
        "fatalities": incident.fatalities,
        "injured": incident.injured,
        "actors": list(incident.actors),
        "confidence": round(float(incident.confidence), 4),
        "article_id": first.article_id,
        "article_title": first.article_title,
        "article_date": first.article_date.isoformat() if first.article_date else None,
        "sentence": first.sentence,
        "sentence_start": first.sentence_span.start,
        "sentence_end": first.sentence_span.end,
        "trigger": first.trigger,
        **_phrase("place_evidence", incident.place_evidence),
        **_phrase("date_evidence", incident.date_evidence),
        "url": safe_url(first.url),
        "sources": list(incident.sources),
        "source_urls": list(dict.fromkeys(u for u in map(safe_url, (e.url for e in incident.evidence)) if u)),
        "notes": list(incident.notes),
    }


def _place_properties(incident: Incident) -> dict:
    """The place columns of an incident, all None for one without a place (never placed at 0,0)."""
    place = incident.place
    geo = int(incident.geo_precision) if incident.geo_precision is not None else None
    if place is None:
        return {"place_name": None, "place_text": incident.place_text, "place_id": None, "geonameid": None,
                "country_code": None, "admin1": None, "admin2": None, "level": None, "located_at": None,
                "geo_precision": geo, "latitude": None, "longitude": None}
    return {
        "place_name": place.name, "place_text": incident.place_text, "place_id": place.id,
        "geonameid": place.geonameid, "country_code": place.country_code, "admin1": place.admin1,
        "admin2": place.admin2, "level": place.level.value, "located_at": place.located_at,
        "geo_precision": geo, "latitude": round(place.lat, _DIGITS), "longitude": round(place.lon, _DIGITS),
    }


def _phrase(name: str, phrase: Phrase | None) -> dict:
    """The words that gave the place or date, and their offsets in the first article's text."""
    if phrase is None:
        return {name: None, f"{name}_start": None, f"{name}_end": None}
    return {name: phrase.text, f"{name}_start": phrase.start, f"{name}_end": phrase.end}


def feature(incident: Incident) -> dict:
    """One GeoJSON Feature; geometry is null when the incident has no place."""
    geometry = None
    if incident.place is not None:
        geometry = {"type": "Point",
                    "coordinates": [round(incident.place.lon, _DIGITS), round(incident.place.lat, _DIGITS)]}
    return {"type": "Feature", "id": incident.id, "geometry": geometry, "properties": incident_properties(incident)}


def feature_collection(incidents: Sequence[Incident]) -> dict:
    """An RFC 7946 FeatureCollection (WGS 84 implied, so no `crs` member)."""
    return {"type": "FeatureCollection", "features": [feature(i) for i in incidents]}


def flat_row(incident: Incident) -> dict:
    """Properties with lists joined by "; " (for CSV and GeoPackage)."""
    row = incident_properties(incident)
    for name in LIST_FIELDS:
        row[name] = "; ".join(row[name])
    return row


def to_geodataframe(incidents: Sequence[Incident]):
    """A GeoDataFrame (EPSG:4326) with one row per incident; unlocated incidents have no geometry."""
    # lazy: geopandas and pandas (about 0.3 s) only for GeoPackage files and Dask shards; `extract` to GeoJSON or CSV and `places` import this module
    import geopandas
    import pandas
    from shapely.geometry import Point

    rows = [flat_row(i) for i in incidents]
    frame = pandas.DataFrame(rows, columns=list(FIELDS))
    for name in ("time_precision", "geo_precision", "fatalities", "injured", *_OFFSETS):
        frame[name] = frame[name].astype("Int64")
    for name in ("latitude", "longitude", "confidence"):
        frame[name] = frame[name].astype("float64")
    geometry = [Point(i.place.lon, i.place.lat) if i.place else None for i in incidents]
    return geopandas.GeoDataFrame(frame, geometry=geopandas.GeoSeries(geometry, crs="EPSG:4326"), crs="EPSG:4326")


def write_incidents(incidents: Sequence[Incident], path: str, *, fmt: str | None = None) -> int:
    """Write incidents to `path` (format from `fmt` or the extension; "-" is GeoJSON on stdout)."""
    incidents = list(incidents)
    kind = _format(os.fspath(path), fmt)
    if kind == "gpkg":
        _write_gpkg(incidents, path)
    elif kind == "csv":
        _write_csv(incidents, path)
    elif kind == "jsonl":
        with atomic_write(path, "w") as out:
            for incident in incidents:
                out.write(json_dumps_html_safe(incident_properties(incident), allow_nan=False) + "\n")
    else:
        _write_geojson(incidents, path)
    return len(incidents)


def _format(path: str, fmt: str | None) -> str:
    allowed = sorted(set(FORMATS.values()))
    if fmt is not None:
        kind = fmt.lower().lstrip(".")
        if kind not in allowed:
            raise UsageError(f"unknown output format {fmt!r}; expected one of: {', '.join(allowed)}")
    elif path == "-":
        kind = "geojson"
    else:
        ext = os.path.splitext(path)[1].lower()
        if ext not in FORMATS:
            raise UsageError(
                f"cannot tell the output format of {path!r} from its extension; "
                f"use one of: {', '.join(sorted(FORMATS))}"
            )
        kind = FORMATS[ext]
    if kind == "gpkg" and path == "-":
        raise UsageError("a GeoPackage cannot be written to standard output; give a .gpkg path")
    return kind


def _write_geojson(incidents: list[Incident], path: str) -> None:
    # One feature per line: still one valid JSON document, and re-runs diff line by line.
    with atomic_write(path, "w") as out:
        out.write('{"type": "FeatureCollection", "features": [')
        for n, incident in enumerate(incidents):
            out.write(("," if n else "") + "\n" + json_dumps_html_safe(feature(incident), allow_nan=False))
        out.write("\n]}\n")


def _write_csv(incidents: list[Incident], path: str) -> None:
    with atomic_write(path, "w", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(FIELDS)
        for incident in incidents:
            row = flat_row(incident)
            writer.writerow(
                "" if row[name] is None else row[name] if name in NUMERIC_FIELDS else spreadsheet_safe(str(row[name]))
                for name in FIELDS
            )


def _write_gpkg(incidents: list[Incident], path: str) -> None:
    frame = to_geodataframe(incidents)
    for name in FIELDS:
        if name not in NUMERIC_FIELDS:
            frame[name] = frame[name].map(lambda v: v if v is None or v != v else spreadsheet_safe(str(v)))
    with atomic_path(path) as tmp:
        frame.to_file(tmp, driver="GPKG", layer=LAYER, engine="pyogrio", geometry_type="Point")


def place_format(path: str) -> str:
    """"csv" or "jsonl" for a `places` output path; any other extension is refused, never guessed."""
    if path == "-":
        return "jsonl"
    ext = os.path.splitext(os.fspath(path))[1].lower()
    if ext not in _PLACE_FORMATS:
        raise UsageError(f"places writes JSON Lines (.jsonl) or CSV (.csv), not {ext or 'that'} ({path})")
    return _PLACE_FORMATS[ext]


def write_place_rows(rows: Iterable[dict], path: str) -> int:
    """Stream place rows (`PLACE_FIELDS`) to `path` as JSON Lines or spreadsheet-safe CSV; the count written."""
    kind, count = place_format(path), 0
    with atomic_write(path, "w", newline="" if kind == "csv" else None) as out:
        if kind == "csv":
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(PLACE_FIELDS)
        for row in rows:
            if kind == "csv":
                writer.writerow("" if row[k] is None else row[k] if k in _PLACE_NUMERIC else spreadsheet_safe(str(row[k]))
                                for k in PLACE_FIELDS)
            else:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count
