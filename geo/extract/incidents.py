"""Incident extraction: trigger phrases in context, tied to a place, a date, counts and actors.

Rules live in `geo/data/triggers.csv` (what words denote which incident type) and
`geo/data/cues.csv` (context that cancels or weakens a trigger); see docs/incidents.md.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

from geo.extract.locate import _GLUED_ARTICLE, Dater, PlaceChoice, Placer, contains, distance_km
from geo.model import Article, DatePrecision, Evidence, GeoPrecision, Incident, Level, Span, Toponym
from geo.extract.taxonomy import Taxonomy
from geo.read.text import Sentence, sentences
from geo.extract.triggers import Hit, Rules, clause_of, compile_pattern

__all__ = ["Hit", "Rules", "compile_pattern", "extract_incidents", "incident_id"]

THRESHOLD = 0.6          # least confidence for an incident to be reported
STRONG = 0.5             # triggers below this need violence context and casualties in their sentence
SURE = 0.85              # violent triggers below this need violence context in their sentence
_VIOLENT = frozenset({"battle", "violence_against_civilians", "riot"})   # explosions are rarely figures of speech
_HEDGE, _BACKGROUND = 0.8, 0.3
# Confidence = words x context + anchors: a trigger alone never reaches THRESHOLD; it must be
# dated, placed or counted in its own sentence (an incident is something that happened somewhere).
_WEIGHT_WORDS = 0.5
_BONUS_DAY, _BONUS_WEEK, _BONUS_COUNT = 0.25, 0.1, 0.1
_BONUS_PLACE = {GeoPrecision.TOWN: 0.2, GeoPrecision.NEAR: 0.15, GeoPrecision.REGION: 0.1}
_BONUS_TIED = 0.05       # the place is governed by in/at/near or by the trigger verb itself
_BONUS_OBJECT = 0.05     # ... and is the verb's very object: "forces had captured al-Qaim"
_OBJECT_GAP = re.compile(r"\s+(?:the\s+)?(?:(?:town|city|village)\s+of\s+)?" + _GLUED_ARTICLE, re.IGNORECASE)
_SAME_KM = 10.0          # one article telling one incident twice: same family, place and day
# A definite reference ("the strikes", "this attack") to an incident told just before.
_ANAPHOR = re.compile(r"\b(?:the|this|that|these|those|its|their|same)\s+(?:[\w’'-]+\s+){0,3}$", re.IGNORECASE)
# A definite "the city" standing for the town named just before ("air strikes ... in the city on Tuesday").
_THE_TOWN = re.compile(r"\b(?:in|at|near|around|outside|inside|into|on|across|through)\s+the\s+(?:city|town)\b",
                       re.IGNORECASE)
_ANAPHOR_REACH = 600     # characters back to the town it stands for
# A trigger that is a verb ("the soldiers seized") tells a new act; only nouns refer back.
_VERB = re.compile(r"\w+ed\b|(?:took|fought|fled|drove|shot|won|hit|struck|fell|overran|blew)\b", re.IGNORECASE)
# Violence against civilians told in the same sentence as an air strike or a battle is that strike
# or battle (ACLED codes the event once, by its form); only weak VAC triggers are subsumed.
_SUBSUMED_BY = {"violence_against_civilians": ("remote_violence", "battle")}
_SUBSUMED_BELOW = 0.7


def incident_id(*parts: object) -> str:
    """A short stable hash of the parts."""
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


@cache
def _casualties():
    try:
        from geo.extract.fatalities import casualties
    except ImportError:          # helper module not installed in this build
        return None
    return casualties


def _segments(article: Article, starts: list[int] | None = None) -> list[Sentence]:
    """Sentences of the body; title, caption, byline and credit never yield incidents.

    With `starts` (offsets of possible trigger words), only the paragraphs holding one are split,
    plus the paragraphs up to the lead: dates and places are only ever inherited within a
    paragraph or from the lead.
    """
    skip = [s for s in (article.title_span, article.caption_span, article.byline_span, article.credit_span) if s]
    lead_seen = False

    def keep(p_start: int, p_end: int) -> bool:
        nonlocal lead_seen
        if not lead_seen:
            lead_seen = not any(k.start <= p_start and p_end <= k.end for k in skip)
            return True
        i = bisect.bisect_left(starts, p_start)
        return i < len(starts) and starts[i] < p_end

    span = article.body_span or Span(0, len(article.text))
    found = sentences(article.text, span.start, span.end, keep=keep if starts is not None else None)
    return [s for s in found if not any(s.start < k.end and k.start < s.end for k in skip)]


@dataclass(slots=True)
class _Draft:
    hit: Hit
    sentence: Sentence
    confidence: float
    place: PlaceChoice | None
    date: object
    evidence: list[Evidence]


def extract_incidents(article: Article, toponyms: Sequence[Toponym], *, taxonomy: Taxonomy, actors=None,
                      rules: Rules | None = None) -> list[Incident]:
    """The incidents an article reports, in text order."""
    rules = rules or Rules.load()
    text = article.text
    body = article.body_span or Span(0, len(text))
    every = rules.starts(text, body.start, body.end)
    starts = rules.trigger_starts(text, every)
    if not starts:
        return []
    sents = _segments(article, starts)
    placer = Placer(article, toponyms, rules)
    dater = Dater(article, sents)
    drafts: list[_Draft] = []
    for si, sentence in enumerate(sents):
        i = bisect.bisect_left(starts, sentence.start)
        if i == len(starts) or starts[i] >= sentence.end:
            continue             # no word in the sentence can begin a trigger
        hits = rules.hits(text, sentence.start, sentence.end, every)
        if not hits:
            continue
        chosen = _choose(rules, taxonomy, text, sentence, hits)
        taken: dict[str, list[PlaceChoice | None]] = {}
        for hit, factor, primary in chosen:
            own_date = dater.own(si)
            own_place = placer.in_sentence(sentence, (hit.start, hit.end), clause_of(text, sentence, hit))
            family = taxonomy.get(hit.type).family
            if not primary and not _elsewhere(own_place, taken.get(family, [])):
                continue          # the same family told twice in one sentence at one place: one incident
            taken.setdefault(family, []).append(own_place)
            locality = placer.locality(sentence, (hit.start, hit.end))
            conf = _confidence(hit.strength * factor, own_date, own_place, _has_counts(sentence.text),
                               bool(locality))
            if own_place and own_place.tied and _VERB.match(hit.text) \
                    and _OBJECT_GAP.fullmatch(text, hit.end, max(hit.end, own_place.start)):
                conf = min(conf + _BONUS_OBJECT, 1.0)
            ante = _antecedent(drafts, taxonomy, family, text, sentence, hit, own_place, own_date)
            evidence = _evidence(article, sentence, hit)
            if ante is not None:
                ante.evidence.append(evidence)
                if ante.place is None or (not _own(ante.place) and own_place):
                    ante.place = own_place or ante.place
                if ante.date.date is None and own_date.date is not None:
                    ante.date = own_date
                continue
            if conf < THRESHOLD - 1e-9:
                continue
            place = own_place or _place_fallback(placer, sents, si, hit)
            if locality and (place is None or place.place.level.rank <= Level.CITY.rank):
                place = placer.town_of(sentence, *locality) or place
            date = own_date if own_date.text else dater.inherited(si)
            drafts.append(_Draft(hit, sentence, min(conf, 1.0), place, date, [evidence]))
            # "in the capital Ankara and the province of Bursa": one event per place, as ACLED codes them.
            for other in placer.coordinated(sentence, own_place) if own_place else ():
                if _elsewhere(other, taken[family]):
                    taken[family].append(other)
                    drafts.append(_Draft(hit, sentence, min(conf, 1.0), other, date, [evidence]))
    return [_incident(d, article, taxonomy, actors) for d in _coalesce(drafts, taxonomy)]


def _elsewhere(place: PlaceChoice | None, taken: list[PlaceChoice | None]) -> bool:
    """True if `place` is a place of its own: not one already taken, nor inside or around one."""
    if place is None:
        return False
    return all(t is not None and not contains(t.place, place.place) and not contains(place.place, t.place)
               and distance_km(t.place, place.place) > _SAME_KM for t in taken)


def _place_fallback(placer: Placer, sents: list[Sentence], si: int, hit: Hit) -> PlaceChoice | None:
    """"In the city": the town named last before; else the nearest earlier sentence of the same
    paragraph with a place; else the dateline."""
    sentence = sents[si]
    if _THE_TOWN.search(sentence.text):
        got = placer.last_town(sentence.start, _ANAPHOR_REACH)
        if got:
            return got
    for j in range(si - 1, -1, -1):
        prev = sents[j]
        if prev.paragraph != sentence.paragraph:
            break
        got = placer.in_sentence(prev, (prev.end, prev.end))
        if got:
            return replace(got, how="paragraph")
    return placer.dateline()


def _choose(rules: Rules, taxonomy: Taxonomy, text: str, sentence: Sentence,
            hits: list[Hit]) -> list[tuple[Hit, float, bool]]:
    """(hit, context factor, primary) after context cues; the strongest hit of each family is primary.

    Weak hits need violence context. Other hits of a taken family are kept as extras: they make
    incidents of their own only where they name a distinct place ("82 were arrested in Istanbul,
    11 in Adana").
    """
    violent: bool | None = None
    kept: list[tuple[Hit, float, str]] = []
    for hit in hits:
        if hit.type not in taxonomy:       # a user taxonomy may leave types out
            continue
        if rules.cue("block", text, sentence, hit):
            continue
        quiet = False
        if hit.strength < STRONG:
            if violent is None:
                violent = rules.cue("violence", text, sentence, hit)
            # Weak words count only with violence around them and stated casualties; otherwise the
            # hit is kept only as a possible retelling ("the strikes") of an earlier incident.
            quiet = not violent or not _has_counts(sentence.text)
        elif hit.strength < SURE and taxonomy.get(hit.type).family in _VIOLENT:
            if violent is None:
                violent = rules.cue("violence", text, sentence, hit)
            # "clashed with the president", "came under fire for": violent words in a sentence with no
            # one armed, hurt or fighting are figures of speech.
            quiet = not violent
        if hit.type == "territory_captured" and "territory_retaken" in taxonomy \
                and rules.cue("state", text, sentence, hit):
            hit = replace(hit, type="territory_retaken")
        factor = 0.0 if quiet else _HEDGE if rules.cue("hedge", text, sentence, hit) else 1.0
        if rules.cue("background", text, sentence, hit):
            factor *= _BACKGROUND
        kept.append((hit, factor, taxonomy.get(hit.type).family))
    best: dict[str, tuple[Hit, float]] = {}
    for hit, factor, family in kept:
        if family not in best or hit.strength * factor > best[family][0].strength * best[family][1]:
            best[family] = (hit, factor)
    for family, over in _SUBSUMED_BY.items():
        if family in best and best[family][0].strength < _SUBSUMED_BELOW and any(f in best for f in over):
            del best[family]
    out = [(h, f, True) for h, f in best.values()]
    out += [(h, f, False) for h, f, family in kept
            if family in best and best[family][0] is not h and h.strength >= STRONG and f > 0]
    return sorted(out, key=lambda hf: (not hf[2], hf[0].start))


def _antecedent(drafts: list[_Draft], taxonomy: Taxonomy, family: str, text: str, sentence: Sentence,
                hit: Hit, own_place: PlaceChoice | None, own_date) -> _Draft | None:
    """An earlier incident this hit refers back to ("the strikes"), if it is one."""
    if not _ANAPHOR.search(text, max(sentence.start, hit.start - 40), hit.start) or _VERB.match(hit.text):
        return None
    for d in reversed(drafts):
        if taxonomy.get(d.hit.type).family != family:
            continue
        if own_place and d.place and _own(d.place) \
                and not (contains(own_place.place, d.place.place) or contains(d.place.place, own_place.place)):
            return None
        if own_date.date is not None and d.date.date is not None and abs((own_date.date - d.date.date).days) > 1:
            return None
        return d
    return None


def _confidence(words: float, date, place: PlaceChoice | None, counts: bool, locality: bool = False) -> float:
    """How sure we are that this sentence reports an incident."""
    conf = _WEIGHT_WORDS * words
    if date.date is not None:
        conf += _BONUS_WEEK if date.precision is DatePrecision.WEEK else _BONUS_DAY
    elif date.text:
        conf += _BONUS_WEEK          # dated, but too vaguely to resolve ("in mid-2014")
    conf += _BONUS_PLACE[place.precision] if place else _BONUS_PLACE[GeoPrecision.TOWN] if locality else 0.0
    conf += _BONUS_TIED if place and place.tied else 0.0
    conf += _BONUS_COUNT if counts else 0.0
    return min(conf, 1.0)


def _coalesce(drafts: list[_Draft], taxonomy: Taxonomy) -> list[_Draft]:
    """Join drafts of one article that tell the same incident: same family, place and date."""
    out: list[_Draft] = []
    for d in drafts:
        twin = next((o for o in out if _same_incident(o, d, taxonomy)), None)
        if twin is None:
            out.append(d)
            continue
        twin.evidence.extend(d.evidence)
        if _rank_date(d.date) > _rank_date(twin.date):
            twin.date = d.date
        if d.place and (twin.place is None or _rank_place(d.place) > _rank_place(twin.place)):
            twin.place = d.place
        twin.confidence = max(twin.confidence, d.confidence)
    return out


def _same_incident(a: _Draft, b: _Draft, taxonomy: Taxonomy) -> bool:
    if taxonomy.get(a.hit.type).family != taxonomy.get(b.hit.type).family:
        return False
    da, db = a.date.date, b.date.date
    slack = 7 if DatePrecision.WEEK in (a.date.precision, b.date.precision) else 0
    dates_agree = da is not None and db is not None and abs((da - db).days) <= slack
    if not (a.place and b.place and _own(a.place) and _own(b.place)):
        # One was placed only by fallback (or not at all): a retelling when type and date agree.
        return a.hit.type == b.hit.type and dates_agree
    pa, pb = a.place.place, b.place.place
    if distance_km(pa, pb) > _SAME_KM:
        # "in eastern Afghanistan last week" and "in the Achin district last Thursday": one event.
        return a.hit.type == b.hit.type and dates_agree and (contains(pa, pb) or contains(pb, pa))
    if da is None or db is None:
        return da is None and db is None and pa.id == pb.id and a.hit.type == b.hit.type
    return dates_agree


def _own(p: PlaceChoice) -> bool:
    """True if the place was named in the incident's own sentence (not inherited)."""
    return p.how in ("sentence", "locality")


def _rank_date(d) -> int:
    return {DatePrecision.DAY: 3, DatePrecision.WEEK: 2, DatePrecision.MONTH: 1}.get(d.precision, 0)


def _rank_place(p: PlaceChoice) -> tuple[int, int]:
    return (_own(p), -p.precision.value, p.place.level.rank)


def _has_counts(sentence: str) -> bool:
    c = _counts(sentence)
    return bool(c and (c.fatalities or c.injured))


def _counts(sentence: str):
    """Casualties stated in a sentence (None when geo.extract.fatalities is unavailable); memoised per text."""
    fn = _casualties()
    if fn is None:
        return None
    got = _COUNTS.get(sentence)
    if got is None:
        if len(_COUNTS) > 4096:
            _COUNTS.clear()
        got = _COUNTS[sentence] = fn(sentence)
    return got


_COUNTS: dict[str, object] = {}


def _evidence(article: Article, sentence: Sentence, hit: Hit) -> Evidence:
    return Evidence(
        article_id=article.id, article_title=article.title, sentence=sentence.text,
        sentence_span=Span(sentence.start, sentence.end), trigger=hit.text, trigger_span=Span(hit.start, hit.end),
        source=article.source, url=article.url, article_date=article.date,
    )


def _incident(d: _Draft, article: Article, taxonomy: Taxonomy, actors) -> Incident:
    kind = taxonomy.get(d.hit.type)
    sentence = d.sentence.text
    c = _counts(sentence)
    fatalities, injured = (c.fatalities, c.injured) if c is not None else (None, None)
    found = tuple(actors.find(sentence)) if actors is not None else ()
    date = d.date.date
    notes = (f"place from {d.place.how}",) if d.place and d.place.how not in ("sentence", "locality") else ()
    if d.place and d.place.locality:
        notes += (f"in {d.place.locality} (not in the gazetteer; coded to its town, {d.place.place.name})",)
    return Incident(
        id=incident_id(article.id, d.sentence.start, kind.name, d.hit.start, d.place.place.id if d.place else ""),
        type=kind.name, event_type=kind.event_type, sub_event_type=kind.sub_event_type,
        date=date, date_precision=d.date.precision if date is not None else DatePrecision.UNKNOWN,
        place=d.place.place if d.place else None, place_text=d.place.text if d.place else "",
        geo_precision=d.place.precision if d.place else None, evidence=tuple(d.evidence),
        fatalities=fatalities, injured=injured, actors=found, confidence=round(d.confidence, 3),
        date_text=d.date.text if date is not None else "", notes=notes,
    )
