"""What the text says outright about a name, which no score may overrule.

- **A container is binding**: in "Paris, Idaho", "London, Ontario" or "Queensland, Australia" the
  name is one of its candidates inside the container (a country, a first-level region, or for a
  quarter or camp a town), when any candidate lies there; a container no candidate lies in may be
  a list ("Iraq, Syria and Lebanon") and binds nothing.
- **A dateline's country is binding**: "KABUL/ABDUL KHIL, Afghanistan" puts every place the
  dateline names inside Afghanistan, or leaves it unresolved.
- **A level word picks the level**: "Quebec province" and "the state of New York" are the regions,
  "Quebec city" and "the city of New York" the towns, when the name has a candidate of that level.
"""

from __future__ import annotations

import re
from functools import cache

from gazetteer.datafiles import csv_rows
from gazetteer.errors import ImportFileError
from gazetteer.layers.base import data_path
from gazetteer.model import Level
from gazetteer.resolve.candidates import BIG, SUB_CITY, Candidate
from gazetteer.resolve.scoring import haversine_km

__all__ = ["bind_to_container", "container_places", "level_confusion", "level_picks", "list_peers", "listed", "pick_level",
           "prominent_level"]

_QUARTER_KM = 30.0   # a quarter or camp "X, <town>" lies this close to the town's point
LEVEL_PICKS = "level_picks.csv"
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:(?:and|or)\s+)?|(?:and|or|&)\s+)")
_WORD_AFTER = re.compile(r"[ \t]+(\w+)\b")
_WORD_BEFORE = re.compile(r"\b(\w+)\s+of\s+(?:the\s+)?$")


def container_places(mention_cands, container_cands, *, same_name: bool) -> tuple[Candidate, ...]:
    """The container's readings that can hold the name: countries and regions larger than the name's
    most prominent reading (two countries or two states side by side are a list), and towns for quarters."""
    if same_name or not container_cands:
        return ()
    # The name's most prominent reading decides ("Paris, Idaho" is a town, "Indiana, Ohio" two states).
    own = prominent_level(mention_cands)
    largest = own.rank if own in BIG else len(Level)
    return tuple(k for k in container_cands
                 if not k.skel and ((k.place.level in BIG and k.place.level.rank < largest) or k.place.level is Level.CITY))


def listed(text: str, mentions, i: int, prominent) -> bool:
    """True when the name after mention `i`'s comma is one of a list ("Indiana, Ohio, Wisconsin",
    "Washington, Pennsylvania and California"), not its container: the next name after it is of
    the same level. ("Toronto, Ontario, Canada" is a chain of containers: each one is larger.)"""
    if i + 2 >= len(mentions) or mentions[i + 1].text != mentions[i].container:
        return False
    y, z = mentions[i + 1], mentions[i + 2]
    return (prominent.get(i + 1) is not None and prominent.get(i + 1) is prominent.get(i + 2)
            and _LIST_GAP.fullmatch(text, y.end, z.start) is not None)


def list_peers(text: str, mentions, contained) -> list[tuple[int, ...]]:
    """For each mention, the other mentions it is listed with ("Astana and Almaty", "Rio Grande do Sul,
    Tocantins, and Minas Gerais"): names side by side, joined only by a comma, "and" or "or". A name
    its container holds ("Atlanta, Georgia": `contained[i]`) is not listed with that container."""
    runs: list[list[int]] = []
    for i, m in enumerate(mentions):
        if i and not contained[i - 1] and _LIST_GAP.fullmatch(text, mentions[i - 1].end, m.start) is not None:
            runs[-1].append(i)
        else:
            runs.append([i])
    peers: list[tuple[int, ...]] = [()] * len(mentions)
    for run in runs:
        if len(run) > 1:
            for i in run:
                peers[i] = tuple(j for j in run if j != i)
    return peers


def prominent_level(cands) -> Level | None:
    """The level of a name's most prominent exact reading (candidates come most important first)."""
    return next((c.place.level for c in cands if c.exact and not c.skel), None)


def bind_to_container(cands, box, *, strict: bool) -> tuple[Candidate, ...]:
    """The candidates inside one of the places `box`; all of them if none is inside, unless `strict`
    (a dateline's container), when a name with nothing inside stays unresolved."""
    if not box:
        return tuple(cands)
    inside = tuple(c for c in cands if any(_inside(c, k) for k in box))
    if inside or strict:
        return inside
    return tuple(cands)


def pick_level(text: str, start: int, end: int, cands) -> tuple[Candidate, ...]:
    """The candidates of the level a level word next to the name gives, when it has any."""
    picks = level_picks()
    after = _WORD_AFTER.match(text, end)
    before = _WORD_BEFORE.search(text, max(0, start - 24), start)
    want = picks.get(after.group(1).lower()) if after else None
    if want is None and before:
        want = picks.get(before.group(1).lower())
    if want is None:
        return tuple(cands)
    # every reading of that level, by any of its names ("the city of Odessa" is also Odesa)
    picked = tuple(c for c in cands if c.place.level is want and not c.skel)
    # Only a real level confusion is settled here: a name that is both a region and a town.
    if picked and any(c.place.level is not want and c.exact and (c.place.level in BIG) != (want in BIG) for c in cands):
        return picked
    return tuple(cands)


def level_confusion(cands) -> bool:
    """True when a name reads exactly as both a country or region and a town (Quebec, New York)."""
    big = small = False
    for c in cands:
        if c.exact and not c.skel:
            if c.place.level in BIG:
                big = True
            else:
                small = True
            if big and small:
                return True
    return False


@cache
def level_picks() -> dict[str, Level]:
    """level_picks.csv: word -> the level it picks; a bad row names file and line."""
    path = data_path(LEVEL_PICKS)
    out: dict[str, Level] = {}
    for line, row in csv_rows(path):
        word = (row.get("word") or "").strip().lower()
        try:
            level = Level.parse(row.get("level") or "")
        except ValueError as exc:
            raise ImportFileError(str(exc), str(path), line) from None
        if not word or word in out:
            raise ImportFileError(f"needs a word, once: {word!r}", str(path), line)
        out[word] = level
    return out


def _inside(c: Candidate, k: Candidate) -> bool:
    p, q = c.place, k.place
    if p.id == q.id or not c.cc or c.cc != q.country_code:
        return p.parent_id is not None and p.parent_id == q.id
    if q.level is Level.COUNTRY:
        return p.level.rank > Level.COUNTRY.rank
    if q.level is Level.PROVINCE:
        return p.level.rank > Level.PROVINCE.rank and (bool(c.a1) and c.a1 == k.a1 or p.parent_id == q.id)
    if q.level is Level.CITY and p.level in SUB_CITY:
        return p.parent_id == q.id or haversine_km(p.lat, p.lon, q.lat, q.lon) < _QUARTER_KM
    return False
