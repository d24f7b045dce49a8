"""Parts of a known town: a quarter, district or camp the layers lack, placed at the town the text ties it to.

ACLED codes a neighbourhood missing from its gazetteer at its town (geo precision 1); so do we,
keeping the part's own name and level and saying so (`Place.located_at == "parent"`). The tie is
read from the text:

- "the Wahda district of east Mosul", "Jada district in western Mosul", "X, a district of Y",
  "the Old City of Mosul": the part, a part word, then "of"/"in" the town;
- "Mosul's Intisar neighbourhood", "Mosul's Old City": the town's possessive before the part;
- "Hay al-Tanak, one of Mosul's largest districts": an apposition naming the town;
- a quarter the story names with a part word ("the Intisar district", "Hay al-Tanak") and no tie of
  its own lies in the story's main town when the story speaks of that town's parts ("east Mosul",
  "neighbourhoods of Mosul", another part tied to it).

Generic part names (Old City, Green Zone, ...; `city_parts.csv`) are read inside the story's own
town first, and never in a country the story does not otherwise name. A part keeps its town's
point: no coordinate is ever made up for it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gazetteer.model import PART_LAYER, Level, Mention, Place, Toponym
from gazetteer.names import normalize
from gazetteer.resolve.part_rules import PartRules, _Patterns, _patterns, load_rules
from gazetteer.resolve.scoring import haversine_km

__all__ = ["PartRules", "load_rules", "place_parts", "unresolved_reason"]

_NEAR_KM = 30.0          # a place this close to the town is inside it already: keep the layers' own point
_TIE_SCORE = 0.95        # confidence of a part the text ties to its town ...
_STORY_SCORE = 0.85      # ... and of one placed in the story's main town
_QUARTERS = (Level.DISTRICT, Level.NEIGHBOURHOOD)
# How far the patterns look around a town for a part tied to it, in characters: the "of"/"in" before
# it ("of the eastern "), a part word before it, the whole "X district of the eastern " phrase, and
# a possessive's part name after it ("'s al-Zuhur neighbourhood").
_GAP_REACH, _PART_WORD_REACH, _NAME_OF_TOWN_REACH, _TOWN_NAME_REACH = 25, 45, 80, 60
_SIDE_REACH = 40      # "in the neighbourhoods of western " before a town: the story speaks of its parts
_HINT_REACH = 30      # "the district of ", "Hay ": a part word before a name
_SIBLING_REACH = 60   # "al-Thaura and " before "al-Saha districts"
_CITY = Level.CITY
_LEAD_WORD = re.compile(r"(?:The|In|At|On|From|Into|Near|And|But|A|An|Its|Their)[ \t]+")


@dataclass(frozen=True, slots=True)
class _Town:
    """A mention the layers resolved to a town: its place and its score."""

    place: Place
    score: float


@dataclass(frozen=True, slots=True)
class _Tie:
    town: _Town
    level: Level
    side: str = ""
    explicit: bool = True
    how: str = ""            # how the text ties it, when not by a part word or the story's parts


def place_parts(text: str, toponyms: Sequence[Toponym], *, new_mentions: bool = False) -> list[Toponym]:
    """`toponyms` (in text order) with the parts of towns placed at their town.

    With `new_mentions`, also new mentions for a part's sibling ("al-Thaura and al-Saha
    districts") and for later bare uses of its name ("into Wahda"), in text order; without, one
    toponym per given one, in the same order.
    """
    rules, rx = load_rules(), _patterns()
    tops = list(toponyms)
    if new_mentions:
        tops = _with_part_names(text, tops, rx)
    if all(t.place is not None and t.mention.text.lower() not in rules.generic for t in tops):
        return tops
    towns = _towns(tops, rules)
    if not towns:
        return [_without_foreign_generic(t, tops, rules) for t in tops]
    story = _Story(text, tops, rules, rx, towns, _main_town(towns), _towns_with_parts(text, tops, towns, rx))
    out: list[Toponym] = []
    placed: dict[str, Place] = {}
    extra: list[Toponym] = []
    for i, t in enumerate(tops):
        top, found = _place_one(story, i)
        out.append(top)
        if found is None:
            continue
        tie, part = found
        placed.setdefault(normalize(t.mention.text), part)
        sib = _sibling(text, t.mention, rx, tops) if new_mentions else None
        if sib is not None:
            sib_part = _part_place(sib.text, tie, tie.town.place)
            extra.append(Toponym(sib, sib_part, top.score))
            placed.setdefault(normalize(sib.text), sib_part)
    return _same_parts_elsewhere(text, out, placed, extra if new_mentions else None)


def _same_parts_elsewhere(text: str, out: list[Toponym], placed: dict[str, Place], extra: list[Toponym] | None) -> list[Toponym]:
    """The same name elsewhere in the story is the same part ("Wahda district" ... "around Wahda"); with
    `extra` (new mentions asked for), also the siblings and the bare uses no mention covers, in text order."""
    if not placed:
        return out
    out = [Toponym(t.mention, placed[normalize(t.mention.text)], _STORY_SCORE)
           if t.place is None and normalize(t.mention.text) in placed else t for t in out]
    if extra is None:
        return out
    out.extend(extra)
    out.extend(_bare_uses(text, out, placed))
    out.sort(key=lambda t: t.mention.start)
    return out


@dataclass(frozen=True, slots=True)
class _Story:
    """What deciding a part's town needs: the text, its toponyms, the word lists and patterns, the
    story's towns by mention position, its main town and the ids of the towns whose parts it speaks of."""

    text: str
    tops: list[Toponym]
    rules: PartRules
    rx: _Patterns
    towns: dict[int, _Town]
    main: _Town | None
    speaks_of_parts: set[str]


def _place_one(s: _Story, i: int) -> tuple[Toponym, tuple[_Tie, Place] | None]:
    """Toponym `i`, placed at its town if it is a part of one; with the tie and the part's place if so."""
    t = s.tops[i]
    if not _may_be_part(t, s.rules):
        # a place the layers have stays theirs: in "the Pretoria suburb of Sunnyside" the
        # town is no part of a namesake town
        return t, None
    tie = _find_tie(s, i)
    if tie is None:
        generic = normalize(t.mention.text) in s.rules.generic
        return (_without_foreign_generic(t, s.tops, s.rules) if generic else t), None
    town = tie.town.place
    if t.place is not None and t.place.id != town.id and _near(t.place, town):
        return t, None   # the layers have it, inside that town: keep their point
    part = _part_place(t.mention.text, tie, town)
    score = min(tie.town.score, _TIE_SCORE if tie.explicit else _STORY_SCORE)
    return Toponym(t.mention, part, round(score, 4)), (tie, part)


def _text_tie(s: _Story, i: int) -> _Tie | None:
    return _tie(s.text, s.tops, i, s.rules, s.rx)


def _generic_in_main_town(s: _Story, i: int) -> _Tie | None:
    """"The Old City" with no town of its own is the main town's."""
    key = normalize(s.tops[i].mention.text)
    if s.main is None or key not in s.rules.generic:
        return None
    return _Tie(s.main, Level.parse(s.rules.generic[key]), explicit=False)


def _quarter_of_main_town(s: _Story, i: int) -> _Tie | None:
    """"The Intisar district" in a story about east Mosul's districts is Mosul's; a camp lies outside
    its town, so only a tie of its own places it."""
    t = s.tops[i]
    if s.main is None or t.place is not None or s.main.place.id not in s.speaks_of_parts:
        return None
    level = _hinted_level(s.text, t.mention, s.rules, s.rx)
    return _Tie(s.main, level, explicit=False) if level in _QUARTERS else None


def _site_in_sentence_town(s: _Story, i: int) -> _Tie | None:
    """"Bourbon Street", "Kandahar Airport": a name the layers lack whose last word names a site
    (city_parts.csv kind `site`) lies in the town its own sentence names, the nearest one (ACLED codes a site
    at its town); a sentence that names no town leaves it unresolved."""
    t = s.tops[i]
    if t.place is not None:
        return None
    words = t.mention.text.split()
    level = s.rules.site.get(words[-1].lower()) if len(words) > 1 else None
    if level is None:
        return None
    best: tuple[int, _Town] | None = None
    for j, town in s.towns.items():
        a, b = sorted((t.mention, s.tops[j].mention), key=lambda m: m.start)
        if _SENTENCE_BREAK.search(s.text, a.end, b.start):
            continue
        gap = b.start - a.end
        if best is None or gap < best[0]:
            best = (gap, town)
    if best is None or best[0] > _SITE_REACH:
        return None
    return _Tie(best[1], Level.parse(level), explicit=False, how="its sentence names that town")


_SENTENCE_BREAK = re.compile(r"[.!?][\"”’')\]]*\s+[\"“‘'(\[]?[A-Z0-9]|\n")
_SITE_REACH = 200     # characters between a site and the town of its sentence, at most


# How a part is tied to a town, tried in order: the first that finds a town places it there.
_TIES: tuple[tuple[str, Callable[[_Story, int], _Tie | None]], ...] = (
    ("the text ties it", _text_tie),
    ("a generic part name in the main town", _generic_in_main_town),
    ("a quarter of the main town", _quarter_of_main_town),
    ("a site in the town its sentence names", _site_in_sentence_town),
)


def _find_tie(s: _Story, i: int) -> _Tie | None:
    for _, read in _TIES:
        tie = read(s, i)
        if tie is not None:
            return tie
    return None


def _with_part_names(text: str, tops: list[Toponym], rx: _Patterns) -> list[Toponym]:
    """`tops` plus an unresolved mention for each part name no mention covers yet: "Hay al-X", and a
    name tied to a town the story names ("the Wahda district of east Mosul", "Mosul's Intisar district")."""
    # Cheap literal tests first: most stories name no part at all, and this runs on every one.
    spans = [m.span(1) for m in rx.head_name.finditer(text)] if rx.head_literal.search(text) else []
    for t in tops:
        if t.place is not None and t.place.level is _CITY:
            spans.extend(_names_at_town(text, t.mention, rx))
    if not spans:
        return tops
    new: list[Toponym] = []
    for a, b in spans:
        lead = _LEAD_WORD.match(text, a, b)
        if lead is not None:
            a = lead.end()   # "The Wahda district of ...": the sentence's first word is not the name
        if a < b and not any(t.mention.start < b and a < t.mention.end for t in tops + new):
            new.append(Toponym(Mention(a, b, text[a:b], "pattern"), None, 0.0))
    return sorted(tops + new, key=lambda t: t.mention.start) if new else tops


def _names_at_town(text: str, town: Mention, rx: _Patterns) -> list[tuple[int, int]]:
    """Spans of part names tied to a town mention: before it ("the Wahda district of east ") or after
    its possessive ("'s Intisar neighbourhood")."""
    out = []
    a = town.start
    # the gap before the town ends "of [the] [side] " or "in ...": look for the part word only then
    if (text.rfind(" of ", max(0, a - _GAP_REACH), a) >= 0 or text.rfind(" in ", max(0, a - _GAP_REACH), a) >= 0) \
            and rx.part_word.search(text, max(0, a - _PART_WORD_REACH), a):
        before = rx.name_of_town.search(text, max(0, a - _NAME_OF_TOWN_REACH), a)
        if before is not None:
            out.append(before.span(1))
    b = town.end
    if text[b:b + 1] in ("'", "’") and rx.part_word.search(text, b, b + _TOWN_NAME_REACH):
        after = rx.town_name.match(text, b)
        if after is not None:
            out.append(after.span(1))
    return out


def _may_be_part(t: Toponym, rules: PartRules) -> bool:
    return t.place is None or t.mention.text.lower() in rules.generic


def _towns(tops: list[Toponym], rules: PartRules) -> dict[int, _Town]:
    """The mentions (by position) that name a town, leaving out generic part names."""
    out = {}
    for i, t in enumerate(tops):
        town = _town(t)
        if town is not None and normalize(t.mention.text) not in rules.generic:
            out[i] = town
    return out


def _main_town(towns: dict[int, _Town]) -> _Town | None:
    """The town the story names most often (None on a tie: no main town)."""
    counts = Counter(town.place.id for town in towns.values())
    (best, n), *rest = counts.most_common(2) + [(None, 0)]
    if rest and rest[0][1] == n:
        return None
    return next(town for town in towns.values() if town.place.id == best)


def _towns_with_parts(text: str, tops: list[Toponym], towns: dict[int, _Town], rx: _Patterns) -> set[str]:
    """Ids of the towns whose parts the story speaks of: "east Mosul", "neighbourhoods of Mosul"."""
    out = set()
    for i, town in towns.items():
        m = tops[i].mention
        before = text[max(0, m.start - _SIDE_REACH):m.start]
        if rx.side_before.search(before) or rx.parts_of.search(before) or rx.town_parts.match(text, m.end):
            out.add(town.place.id)
    return out


def _tie(text: str, tops: list[Toponym], i: int, rules: PartRules, rx: _Patterns) -> _Tie | None:
    """The town the text ties mention `i` to as a part, if any."""
    m = tops[i].mention
    generic = normalize(m.text) in rules.generic
    hinted = _hinted_level(text, m, rules, rx)
    nxt = tops[i + 1] if i + 1 < len(tops) else None
    if nxt is not None and (town := _town(nxt)) is not None:
        tie = _tie_to_next(text, m, nxt.mention, town, generic, hinted, rules, rx)
        if tie is not None:
            return tie
    prev = tops[i - 1] if i > 0 else None
    if prev is not None and (town := _town(prev)) is not None and (hinted is not None or generic):
        gap = rx.possessive.fullmatch(text, prev.mention.end, m.start)
        if gap is not None:
            level = hinted or Level.parse(rules.generic[normalize(m.text)])
            return _Tie(town, level, rules.side.get((gap.group("side") or "").lower(), ""))
    return None


def _tie_to_next(text: str, m: Mention, nxt: Mention, town: _Town, generic: bool, hinted: Level | None,
                 rules: PartRules, rx: _Patterns) -> _Tie | None:
    """The tie to the town right after the part: "the Wahda district of east Mosul", "Hay al-Tanak,
    one of Mosul's largest districts"."""
    gap = rx.of_town.fullmatch(text, m.end, nxt.start)
    if gap is not None:
        word = gap.group("w1") or gap.group("w2")
        if word or generic:
            level = Level.parse(rules.part[word.lower()]) if word else Level.parse(rules.generic[normalize(m.text)])
            return _Tie(town, level, rules.side.get((gap.group("side") or "").lower(), ""))
    if rx.apposition.fullmatch(text, m.end, nxt.start):
        after = rx.town_parts.match(text, nxt.end)
        if after is not None:
            return _Tie(town, hinted or Level.parse(rules.part[after.group("w").lower()]))
    return None


def _town(t: Toponym) -> _Town | None:
    """The town a mention resolved to, if it resolved to a town."""
    if t.place is None or t.place.level is not _CITY:
        return None
    return _Town(t.place, t.score)


def _hinted_level(text: str, m: Mention, rules: PartRules, rx: _Patterns) -> Level | None:
    """The level a part word next to the mention gives it ("Intisar district", "district of Sada", "Hay al-Tanak")."""
    after = rx.part_after.match(text, m.end)
    if after is not None:
        return Level.parse(rules.part[after.group("w").lower()])
    before = text[max(0, m.start - _HINT_REACH):m.start]
    found = rx.part_before.search(before)
    if found is not None:
        return Level.parse(rules.part[found.group("w").lower()])
    found = rx.head_before.search(before)
    if found is not None:
        return Level.parse(rules.head[found.group("w").lower()])
    return None


def _near(p: Place, town: Place) -> bool:
    return haversine_km(p.lat, p.lon, town.lat, town.lon) <= _NEAR_KM


def _part_place(name: str, tie: _Tie, town: Place) -> Place:
    within = f"{tie.side} {town.name}" if tie.side else town.name
    how = tie.how or ("the text ties it there" if tie.explicit else "the story is about that town's parts")
    return Place(
        id=f"part:{town.id}:{normalize(name).replace(' ', '-')}", name=name, lat=town.lat, lon=town.lon,
        level=tie.level, layer=PART_LAYER, country_code=town.country_code, admin1=town.admin1,
        admin2=town.admin2, parent_id=town.id,
        source=f"located at its town, {town.name} ({town.id}): {how}; no public coordinate for the part itself",
        raw=(("within", within), ("town", town.name)),
    )


def _sibling(text: str, m: Mention, rx: _Patterns, tops: list[Toponym]) -> Mention | None:
    """"al-Thaura" in "al-Thaura and al-Saha districts", when no mention covers it yet."""
    after = rx.part_after.match(text, m.end)
    if after is None or not after.group("w").lower().endswith("s"):
        return None
    found = rx.sibling.search(text, max(0, m.start - _SIBLING_REACH), m.start)
    if found is None:
        return None
    a, b = found.span(1)
    if any(t.mention.start < b and a < t.mention.end for t in tops):
        return None
    return Mention(a, b, text[a:b], "pattern", m.hint)


def _bare_uses(text: str, tops: list[Toponym], placed: dict[str, Place]) -> list[Toponym]:
    """Later uses of a placed part's name that no mention covers ("advanced into Wahda")."""
    out = []
    taken = [(t.mention.start, t.mention.end) for t in tops]
    for part in placed.values():
        for found in re.finditer(rf"(?<![\w’'\-]){re.escape(part.name)}(?![\w’'\-])", text):
            a, b = found.span()
            if not any(s < b and a < e for s, e in taken):
                out.append(Toponym(Mention(a, b, part.name, "pattern"), part, _STORY_SCORE))
                taken.append((a, b))
    return out


def _without_foreign_generic(t: Toponym, tops: list[Toponym], rules: PartRules) -> Toponym:
    """A generic part name ("Old City") with no town to read it in is never in a country the story does not name."""
    if t.place is None or normalize(t.mention.text) not in rules.generic:
        return t
    key = normalize(t.mention.text)
    countries = {o.place.country_code for o in tops
                 if o.place is not None and o.place.country_code and normalize(o.mention.text) != key}
    if countries and t.place.country_code not in countries:
        return Toponym(t.mention, None, 0.0)
    return t


def unresolved_reason(mention: Mention) -> str:
    """Why a mention was left unresolved, in words for the `places` output."""
    if mention.hint == "camp":
        return ("a camp with no public coordinate in the gazetteer; it is placed at a town only when the text "
                "ties it to one (\"the X camp in Y\"), and \"east of Y\" does not")
    if mention.hint in ("district", "neighbourhood"):
        return "a part of a town with no public coordinate in the gazetteer, which the text ties to no town it names"
    return f"no place in the gazetteer fits the story (incidentmap gazetteer lookup \"{mention.text}\" lists its namesakes)"
