"""What the HTML map shows, as compact columns: type styles, popup fields and the summary figures.

Each type layer becomes one JSON object of parallel arrays (short keys, rounded
coordinates, repeated strings stored once in a shared table) that the map's JavaScript
turns into markers and, on click, into popups built with DOM text nodes.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from geo.maps.escape import js_template_safe
from geo.model import DatePrecision, Incident, Place
from geo.outputs.safe import safe_url

__all__ = [
    "COORD_DIGITS", "DATE_PRECISIONS", "LayerEncoder", "Summary", "StringTable", "TypeStyle", "highlight_html",
    "mention_offsets", "summarise", "type_styles",
]

COORD_DIGITS = 4          # ~10 m: finer than the gazetteer's town coordinates, and short
DATE_PRECISIONS = tuple(p.value for p in DatePrecision)   # the popup script indexes this list, in this order
_PRECISION_INDEX = {p: i for i, p in enumerate(DatePrecision)}
# The columns of a layer, one letter each (the popup script reads them by these names): title, date,
# date precision, place name, level, geo precision, fatalities, injured, actors, sentence, mention
# start and end in it, sources, event / sub-event type.
_COLUMNS = "tdqnlgfjavmkorchw"

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_ICON = re.compile(r"[a-z0-9-]{1,40}")
# Colour-blind-safe fallbacks (Okabe-Ito) for types the taxonomy does not know.
_PALETTE = ("#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#000000")
_WORD = re.compile(r"\w")
_PLAIN_HTTP = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][!-~]*)?")


@dataclass(frozen=True, slots=True)
class TypeStyle:
    """How one incident type looks on the map."""

    key: str
    label: str
    event_type: str
    sub_event_type: str
    colour: str
    icon: str


def _default_style(name: str, example: Incident | None) -> TypeStyle:
    colour = _PALETTE[zlib.crc32(name.encode("utf-8")) % len(_PALETTE)]
    return TypeStyle(name, name.replace("_", " ").capitalize() or "Unknown",
                     example.event_type if example else "", example.sub_event_type if example else "",
                     colour, "circle")


def type_styles(incidents: Sequence[Incident], taxonomy=None) -> list[TypeStyle]:
    """Styles of the types present, in taxonomy order, then unknown types by name."""
    examples: dict[str, Incident] = {}
    for incident in incidents:
        examples.setdefault(incident.type, incident)
    order = {}
    if taxonomy is not None:
        order = {t.name: i for i, t in enumerate(taxonomy.types())}
    styles = []
    for name in sorted(examples, key=lambda n: (order.get(n, len(order)), n)):
        style = _default_style(name, examples[name])
        if name in order:
            kind = taxonomy.get(name)
            style = TypeStyle(
                name, kind.label or name, kind.event_type, kind.sub_event_type,
                kind.colour if _COLOUR.fullmatch(kind.colour or "") else style.colour,
                kind.icon if _ICON.fullmatch(kind.icon or "") else "circle",
            )
        styles.append(style)
    return styles


class StringTable:
    """Strings stored once; columns refer to them by index (-1 for none)."""

    def __init__(self) -> None:
        self._index: dict[str, int] = {}

    def add(self, value: str | None) -> int:
        if not value:
            return -1
        index = self._index
        return index.setdefault(value, len(index))

    @property
    def values(self) -> list[str]:
        return list(self._index)   # dicts keep insertion order, which is index order


def _utf16(text: str, index: int) -> int:
    """A Python string index as the UTF-16 code-unit index JavaScript uses."""
    head = text[:index]
    return index if head.isascii() else len(head.encode("utf-16-le")) // 2


def mention_offsets(sentence: str, place_text: str) -> tuple[int, int] | None:
    """[start, end) of the place mention within the sentence, in UTF-16 units, or None.

    Prefers a whole-word, case-sensitive match, then any case-insensitive one.

    >>> mention_offsets("Shelling hit Mosul on Monday.", "Mosul")
    (13, 18)
    >>> mention_offsets("Fighting near MOSUL.", "Mosul")
    (14, 19)
    >>> mention_offsets("A strike in Zürich 😀 and Idlib", "Idlib")
    (26, 31)
    >>> mention_offsets("Nothing here", "Aleppo") is None
    True
    """
    if not sentence or not place_text:
        return None
    start = sentence.find(place_text)
    while start >= 0:
        end = start + len(place_text)
        before = start > 0 and _WORD.match(sentence[start - 1])
        after = end < len(sentence) and _WORD.match(sentence[end])
        if not (before or after):
            break
        start = sentence.find(place_text, start + 1)
    if start < 0:
        folded = sentence.lower()
        if len(folded) == len(sentence):   # lower() kept every index in place
            start = folded.find(place_text.lower())
        else:
            match = re.search(re.escape(place_text), sentence, re.IGNORECASE)
            start = match.start() if match else -1
        if start < 0:
            return None
    return _utf16(sentence, start), _utf16(sentence, start + len(place_text))


def highlight_html(sentence: str, place_text: str) -> str:
    """The escaped sentence with the place mention wrapped in <mark>.

    >>> highlight_html("Raid on <Mosul> & Tal Afar", "Mosul")
    'Raid on &lt;<mark>Mosul</mark>&gt; &amp; Tal Afar'
    """

    span = mention_offsets(sentence, place_text)
    if span is None:
        return js_template_safe(sentence)
    units = sentence.encode("utf-16-le")
    part = [units[a * 2:b * 2].decode("utf-16-le") for a, b in ((0, span[0]), span, (span[1], len(units) // 2))]
    return f"{js_template_safe(part[0])}<mark>{js_template_safe(part[1])}</mark>{js_template_safe(part[2])}"


def _place_label(incident: Incident) -> str:
    place = incident.place
    name = place.name if place else ""
    if place is not None and place.located_at == "parent":
        # a part of a town with no point of its own: "Wahda (east Mosul), located at Mosul"
        name = f"{place.name} ({place.within}), located at {dict(place.raw).get('town', place.within)}"
    parts = [name, place.admin1, place.country_code] if place else [incident.place_text]
    return ", ".join(dict.fromkeys(p for p in parts if p))


class LayerEncoder:
    """Turns incidents into layer columns, sharing one string table and one source table across layers.

    Column keys (read by the popup script in geo.maps.js): y/x/s marker lat/lon/first incident; t title; d date; q date
    precision (index into DATE_PRECISIONS); n place; l level; g geo precision; f fatalities;
    j injured; a actors; v evidence sentence; m/k place mention offsets in it (UTF-16); o
    sources (index into `refs`); r ACLED event / sub-event type; c confidence; h/w the phrases
    that gave the place and the date. Strings are indices into `strings`, -1 for none.
    """

    def __init__(self) -> None:
        self.strings = StringTable()
        self._refs: dict[tuple, int] = {}
        self._links: dict[str, str] = {}
        self._places: dict[str, tuple[int, int]] = {}
        self._memo: dict[object, int] = {}

    @property
    def refs(self) -> list[tuple[tuple[int, int, int], ...]]:
        """Source lists in index order (JSON writes the tuples as arrays)."""
        return list(self._refs)

    def _add(self, key: object, make) -> int:
        """A string index memoised on `key`, for values that are costly to format."""
        index = self._memo.get(key)
        if index is None:
            index = self._memo[key] = self.strings.add(make())
        return index

    def _sources(self, incident: Incident) -> int:
        """Index of the (label, url, linkable) list, one entry per distinct article; only http(s) urls link."""
        add, links = self.strings.add, self._links
        seen: dict[str, tuple[int, int, int]] = {}
        for ev in incident.evidence:
            if ev.article_id in seen:
                continue
            url = ev.url or ""
            link = links.get(url)
            if link is None:
                # Plain printable-ASCII http(s) URLs with a host are what safe_url accepts; skip its scan.
                link = links[url] = url if _PLAIN_HTTP.fullmatch(url) else (safe_url(url) or "")
            seen[ev.article_id] = (add(ev.source or ev.article_title or ev.article_id), add(link),
                                   1 if link else 0)
        key = tuple(seen.values())
        return self._refs.setdefault(key, len(self._refs))

    def _row(self, inc: Incident, place: Place) -> tuple:
        """One incident's values in the order of `_COLUMNS` (strings added to the table in that order)."""
        add, memo = self.strings.add, self._add
        ev = inc.evidence[0]
        where = self._places.get(place.id)
        if where is None:
            where = self._places[place.id] = (add(_place_label(inc)), add(place.level.value))
        title = add(ev.article_title or ev.article_id)
        day = memo(inc.date, inc.date.isoformat) if inc.date else -1
        precision = _PRECISION_INDEX[inc.date_precision]
        geo = int(inc.geo_precision) if inc.geo_precision is not None else 0
        actors = memo(inc.actors, lambda: "; ".join(inc.actors)) if inc.actors else -1
        sentence = add(ev.sentence)
        span = mention_offsets(ev.sentence, inc.place_text)
        return (title, day, precision, where[0], where[1], geo, inc.fatalities, inc.injured, actors, sentence,
                span[0] if span else -1, span[1] if span else -1, self._sources(inc),
                memo((inc.event_type, inc.sub_event_type),
                     lambda: " / ".join(x for x in (inc.event_type, inc.sub_event_type) if x)),
                round(float(inc.confidence), 2),
                add(inc.place_evidence.text) if inc.place_evidence else -1,
                add(inc.date_evidence.text) if inc.date_evidence else -1)

    def layer(self, incidents: Iterable[Incident]) -> dict:
        """Column arrays for the located incidents of one layer, and one marker per distinct point.

        Incidents are ordered by point (then input order), so marker `p` at `y[p], x[p]`
        holds incidents `s[p]` up to `s[p + 1]` (or the end).
        """
        located = [(i, i.place) for i in incidents if i.place is not None]
        coords = np.round(np.array([(p.lat, p.lon) for _, p in located], dtype=np.float64).reshape(-1, 2),
                          COORD_DIGITS)
        order = np.lexsort((np.arange(len(located)), coords[:, 1], coords[:, 0]))
        coords = coords[order]
        located = [located[i] for i in order.tolist()]
        starts = np.flatnonzero(np.r_[True, np.any(coords[1:] != coords[:-1], axis=1)]) if len(located) else order
        cols: dict[str, list] = {c: [] for c in _COLUMNS}
        columns = [cols[c] for c in _COLUMNS]
        for inc, place in located:
            for column, value in zip(columns, self._row(inc, place)):
                column.append(value)
        points = coords[starts]
        cols["y"] = points[:, 0].tolist()
        cols["x"] = points[:, 1].tolist()
        cols["s"] = starts.tolist()
        return cols


@dataclass(frozen=True, slots=True)
class Summary:
    """Figures for the map's summary panel."""

    total: int
    located: int
    by_type: tuple[tuple[TypeStyle, int], ...]
    first_date: str | None
    last_date: str | None
    fatalities: int
    fatalities_reported: int


def summarise(incidents: Sequence[Incident], styles: Sequence[TypeStyle]) -> Summary:
    """Counts by type, date range, fatalities and how many incidents could be placed."""
    counts = Counter(i.type for i in incidents)
    dates = [i.date for i in incidents if i.date is not None]
    reported = [i.fatalities for i in incidents if i.fatalities is not None]
    return Summary(
        total=len(incidents),
        located=sum(1 for i in incidents if i.place is not None),
        by_type=tuple((s, counts[s.key]) for s in styles),
        first_date=min(dates).isoformat() if dates else None,
        last_date=max(dates).isoformat() if dates else None,
        fatalities=sum(reported),
        fatalities_reported=len(reported),
    )
