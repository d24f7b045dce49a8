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

from geo.model import DatePrecision, Incident
from geo.safe import safe_url

__all__ = [
    "COORD_DIGITS", "DATE_PRECISIONS", "Summary", "StringTable", "TypeStyle", "encode_layer", "highlight_html",
    "mention_offsets", "summarise", "type_styles",
]

COORD_DIGITS = 5          # ~1 m: finer than any gazetteer coordinate, coarse enough to keep files small
DATE_PRECISIONS = tuple(p.value for p in DatePrecision)   # the popup script indexes this list

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_ICON = re.compile(r"[a-z0-9-]{1,40}")
# Colour-blind-safe fallbacks (Okabe-Ito) for types the taxonomy does not know.
_PALETTE = ("#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#000000")
_WORD = re.compile(r"\w")


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
        self.values: list[str] = []
        self._index: dict[str, int] = {}

    def add(self, value: str | None) -> int:
        if not value:
            return -1
        index = self._index.get(value)
        if index is None:
            index = self._index[value] = len(self.values)
            self.values.append(value)
        return index


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
    (27, 32)
    >>> mention_offsets("Nothing here", "Aleppo") is None
    True
    """
    if not sentence or not place_text:
        return None
    start = sentence.find(place_text)
    while start >= 0:
        end = start + len(place_text)
        if not (start and _WORD.match(sentence[start - 1])) and not (end < len(sentence) and _WORD.match(sentence[end])):
            break
        start = sentence.find(place_text, start + 1)
    if start < 0:
        match = re.search(re.escape(place_text), sentence, re.IGNORECASE)
        if match is None:
            return None
        start = match.start()
    return _utf16(sentence, start), _utf16(sentence, start + len(place_text))


def highlight_html(sentence: str, place_text: str) -> str:
    """The escaped sentence with the place mention wrapped in <mark>.

    >>> highlight_html("Raid on <Mosul> & Tal Afar", "Mosul")
    'Raid on &lt;<mark>Mosul</mark>&gt; &amp; Tal Afar'
    """
    from geo.escape import js_template_safe

    span = mention_offsets(sentence, place_text)
    if span is None:
        return js_template_safe(sentence)
    units = sentence.encode("utf-16-le")
    part = [units[a * 2:b * 2].decode("utf-16-le") for a, b in ((0, span[0]), span, (span[1], len(units) // 2))]
    return f"{js_template_safe(part[0])}<mark>{js_template_safe(part[1])}</mark>{js_template_safe(part[2])}"


def _place_label(incident: Incident) -> str:
    place = incident.place
    parts = [place.name, place.admin1, place.country_code] if place else [incident.place_text]
    return ", ".join(dict.fromkeys(p for p in parts if p))


def _sources(incident: Incident, strings: StringTable) -> tuple[tuple[int, int, int], ...]:
    """(label, url, linkable) per distinct article: only http(s) urls become links."""
    seen: dict[str, tuple[int, int, int]] = {}
    for ev in incident.evidence:
        if ev.article_id in seen:
            continue
        url = ev.url or ""
        link = safe_url(url)
        label = ev.source or ev.article_title or ev.article_id
        seen[ev.article_id] = (strings.add(label), strings.add(link or url), 1 if link else 0)
    return tuple(seen.values())


def encode_layer(incidents: Iterable[Incident], strings: StringTable, refs: dict) -> dict:
    """Column arrays for the located incidents of one layer (see the popup script for the keys)."""
    cols: dict[str, list] = {k: [] for k in "yxtdqnlgfjavmkor"}
    precision_index = {p: i for i, p in enumerate(DATE_PRECISIONS)}
    for inc in incidents:
        place = inc.place
        if place is None:
            continue
        ev = inc.evidence[0]
        cols["y"].append(round(place.lat, COORD_DIGITS))
        cols["x"].append(round(place.lon, COORD_DIGITS))
        cols["t"].append(strings.add(ev.article_title or ev.article_id))
        cols["d"].append(strings.add(inc.date.isoformat() if inc.date else ""))
        cols["q"].append(precision_index[inc.date_precision.value])
        cols["n"].append(strings.add(_place_label(inc)))
        cols["l"].append(strings.add(place.level.value))
        cols["g"].append(int(inc.geo_precision) if inc.geo_precision is not None else 0)
        cols["f"].append(inc.fatalities)
        cols["j"].append(inc.injured)
        cols["a"].append(strings.add("; ".join(inc.actors)))
        cols["v"].append(strings.add(ev.sentence))
        span = mention_offsets(ev.sentence, inc.place_text)
        cols["m"].append(span[0] if span else -1)
        cols["k"].append(span[1] if span else -1)
        key = _sources(inc, strings)
        cols["o"].append(refs.setdefault(key, len(refs)))
        cols["r"].append(strings.add(" / ".join(t for t in (inc.event_type, inc.sub_event_type) if t)))
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
