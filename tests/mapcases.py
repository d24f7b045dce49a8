"""Incidents for the map tests, built directly from geo.model types (shared by test_maps*.py)."""

from __future__ import annotations

import datetime as dt

from geo.model import (
    DatePrecision,
    Evidence,
    GeoPrecision,
    Incident,
    Level,
    Phrase,
    Place,
    Span,
)

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>alert(2)</script>"
XSS_TEMPLATE = "${alert(3)}"
XSS_URL = "javascript:alert(4)"
JINJA = "{{ 7*7 }}{% if true %}jinja-ran{% endif %}"
HOSTILE_PLACE = f"Mosul{XSS_IMG}"
HOSTILE_TITLE = f"Strike `kills` {XSS_IMG} {XSS_SCRIPT} {XSS_TEMPLATE} {JINJA}"
HOSTILE_ACTOR = f"Group {XSS_SCRIPT} `${{x}}` \\"


def place(name="Mosul", lat=36.34, lon=43.13, pid="gn:99072", level=Level.CITY, cc="IQ", admin1="Nineveh"):
    return Place(id=pid, name=name, lat=lat, lon=lon, level=level, layer="geonames", country_code=cc, admin1=admin1)


def incident(iid="i1", kind="air_strike", where=None, *, sentence=None, place_text=None, title="Air strike in Mosul",
             url="https://www.reuters.com/article/x", date=dt.date(2016, 10, 17), fatalities=3, actors=("Iraqi army",),
             event_type="Explosions/Remote violence", sub_event_type="Air/drone strike", located=True,
             confidence=0.95, place_phrase=None, date_phrase=None):
    where = where if where is not None else place()
    place_text = place_text if place_text is not None else where.name
    sentence = sentence if sentence is not None else f"An air strike hit {place_text} on Monday, killing three."
    ev = Evidence(article_id=f"a-{iid}", article_title=title, sentence=sentence, sentence_span=Span(0, len(sentence)),
                  trigger="strike", trigger_span=Span(7, 13), source="Reuters", url=url)
    if place_phrase is None and place_text in sentence:
        place_phrase = place_text
    if date_phrase is None and date and "on Monday" in sentence:
        date_phrase = "on Monday"
    return Incident(
        id=iid, type=kind, event_type=event_type, sub_event_type=sub_event_type, date=date,
        date_precision=DatePrecision.DAY if date else DatePrecision.UNKNOWN, place=where if located else None,
        place_text=place_text, geo_precision=GeoPrecision.TOWN if located else None, evidence=(ev,),
        fatalities=fatalities, actors=actors, confidence=confidence,
        place_evidence=_phrase(sentence, place_phrase), date_evidence=_phrase(sentence, date_phrase),
    )


def _phrase(sentence: str, words: str | None) -> Phrase | None:
    """The phrase of the (one-sentence) article that gave a place or date."""
    return Phrase(sentence.index(words), sentence.index(words) + len(words), words) if words else None


def hostile_incident(iid="evil"):
    """Every article-derived string carries script, markup, template-literal and Jinja payloads."""
    where = place(name=HOSTILE_PLACE, lat=36.2, lon=43.0, pid="gn:evil", admin1=f"Nineveh{XSS_TEMPLATE}")
    sentence = f"Witnesses said `${{alert(5)}}` {XSS_SCRIPT} fighters shelled {HOSTILE_PLACE} at dawn {JINJA}."
    return incident(iid, "shelling", where, sentence=sentence, title=HOSTILE_TITLE, url=XSS_URL,
                    actors=(HOSTILE_ACTOR,), event_type="Explosions/Remote violence",
                    sub_event_type="Shelling/artillery/missile attack",
                    place_phrase=f"{XSS_SCRIPT} fighters shelled {HOSTILE_PLACE}", date_phrase=f"at dawn {JINJA}")


def sample_incidents():
    """A handful of ordinary incidents of three types, one unlocated and one undated."""
    basra = place("Basra", 30.51, 47.78, "gn:99532", admin1="Basra")
    kirkuk = place("Kirkuk", 35.47, 44.39, "gn:94787", admin1="Kirkuk")
    return [
        incident("a1"),
        incident("a2", date=dt.date(2016, 10, 20), fatalities=None),
        incident("c1", "armed_clash", kirkuk, title="Clashes in Kirkuk", event_type="Battles",
                 sub_event_type="Armed clash", date=dt.date(2016, 10, 21), fatalities=7),
        incident("p1", "protest", basra, title="Protest in Basra", event_type="Protests",
                 sub_event_type="Peaceful protest", date=None, fatalities=0),
        incident("u1", "protest", None, title="Protest somewhere", located=False, place_text="the capital"),
    ]


def square_regions():
    """Two 1-degree admin-1 squares around Mosul and Basra, as gazetteer.boundaries would give them."""
    import geopandas
    from shapely.geometry import box

    return geopandas.GeoDataFrame(
        {"id": ["r:nineveh", "r:basra"], "name": ["Nineveh <b>", "Basra"], "country_code": ["IQ", "IQ"]},
        geometry=[box(42.5, 35.7, 44.0, 37.0), box(47.0, 30.0, 48.5, 31.0)], crs="EPSG:4326",
    )


def square_countries():
    import geopandas
    from shapely.geometry import box

    return geopandas.GeoDataFrame({"id": ["IQ"], "name": ["Iraq"], "country_code": ["IQ"]},
                                  geometry=[box(38.8, 29.1, 48.6, 37.4)], crs="EPSG:4326")
