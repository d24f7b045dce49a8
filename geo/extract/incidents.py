"""Incident extraction: sentences the event detector types, tied to a place, a date, counts and actors.

The detector (`geo.extract.events`) decides what happened; the trigger and cue files
(`geo/data/triggers.csv`, `geo/data/cues.csv`) are among its features and point at the words that tell
the event, from which the place and date are read; see docs/incidents.md.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from geo.extract import attach
from geo.extract.anchored import anchored
from geo.extract.calibration import Calibration
from geo.extract.dater import Dater
from geo.extract.dates import EventDate
from geo.extract.decide import MISHAP_FAMILIES, Candidate, Weights, aggregate, candidates, score
from geo.extract.events import EventModel, bundled_model
from geo.extract.fatalities import Casualties, casualties, has_casualties
from geo.extract.locate import PlaceChoice, Placer
from geo.extract.place_words import OBJECT_GAP
from geo.extract.places import contains, distance_km
from geo.extract.retellings import _SAME_KM, _VERB, _antecedent, _coalesce, _Draft, _join
from geo.extract.taxonomy import Taxonomy, crime_lookalikes
from geo.extract.triggers import Caseless, Hit, Rules, clause_of, compile_pattern
from geo.model import Article, DatePrecision, Evidence, GeoPrecision, Incident, Level, Phrase, Place, Span, Toponym
from geo.read.text import Sentence, sentences

__all__ = ["Hit", "Rules", "compile_pattern", "extract_incidents", "incident_id"]

# A definite "the city" standing for the town named just before ("air strikes ... in the city on Tuesday").
_THE_TOWN = re.compile(r"\b(?:in|at|near|around|outside|inside|into|on|across|through)\s+the\s+(?:city|town)\b",
                       re.IGNORECASE)
_ANAPHOR_REACH = 600     # characters back to the town it stands for
# A later sentence whose count belongs to a whole war or a span of time, not to the incident before it:
# "More than 1,100 people died in the five-month conflict", "the civil war has killed 300,000".
_PERIOD_TOLL = re.compile(
    r"(?i)\b(?:conflict|civil\s+war|war|insurgency|uprising|occupation|crisis)\b|"
    r"\b(?:\w+[- ](?:day|week|month|year|decade)s?|(?:days|weeks|months|years|decades)-long)[- ]"
    r"(?:long\s+)?(?:battle|siege|fight|fighting|offensive|campaign|standoff|operation|violence|unrest)\b")
_BARE_COUNT_WORDS = 6    # at most this many words: a sentence that only states a toll ("141 fatalities.")
# "in the capital", "on the capital's eastern outskirts" (not "the capital Kabul": that names it).
_THE_CAPITAL = re.compile(r"\b(?:in|at|near|around|outside|inside|into|on|across|through|of)\s+(?P<words>the\s+capital"
                          r"(?:['’]s\s+(?:(?:north|south|east|west)\w*\s+)?(?P<near>outskirts|suburbs?|edge|periphery))?)"
                          r"(?!\s*,?\s+(?-i:[A-Z])|\s+of\b)\b", re.IGNORECASE)
# "in that area", "in the same region": the place the sentence before named, wherever its paragraph ends
# (wire copy gives each sentence a paragraph of its own).
_THAT_AREA = re.compile(r"\b(?:in|near|around|across|inside|outside)\s+(?:that|the\s+same|this)\s+"
                        r"(?:area|region|district|province|sector|town|city|village)\b", re.IGNORECASE)

def incident_id(*parts: object) -> str:
    """A short stable hash of the parts."""
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


def _segments(article: Article, starts: list[int] | None = None) -> list[Sentence]:
    """Sentences of the body; title, caption, byline and credit never yield incidents.

    With `starts` (offsets of possible trigger words), only the paragraphs holding one are split,
    plus the paragraphs up to the lead: dates and places are only ever inherited within a
    paragraph or from the lead.
    """
    skip = [s for s in (article.title_span, article.caption_span, article.byline_span, article.credit_span) if s]
    lead_seen = False
    marks = starts or []

    def keep(p_start: int, p_end: int) -> bool:
        nonlocal lead_seen
        if not lead_seen:
            lead_seen = not any(k.start <= p_start and p_end <= k.end for k in skip)
            return True
        i = bisect.bisect_left(marks, p_start)
        return i < len(marks) and marks[i] < p_end

    span = article.body_span or Span(0, len(article.text))
    found = sentences(article.text, span.start, span.end, keep=keep if starts is not None else None)
    return [s for s in found if not any(s.start < k.end and k.start < s.end for k in skip)]


@dataclass(frozen=True, slots=True)
class _Story:
    """What the whole text says about every candidate in it."""

    crime: bool = False     # an ordinary crime story (decision weight `ordinary_crime`)
    note: bool = False      # a short event note that tells one event (decision weight `note_veto`)
    drill: bool = False     # a story about an exercise, a weapons test or a parade (decision weight `exercise_story`)
    accident: bool = False  # a story about an accident or a disaster (decision weight `accident_story`)


class _Reading:
    """The `_Story` of an article, for a candidate's family; whether it is a crime story is read once, when a
    family a crime story can read like first asks (a scan of the whole text, which the others never need)."""

    __slots__ = ("_accident", "_article", "_rules", "_crime", "_drill", "_first", "note")

    def __init__(self, article: Article, rules: Rules):
        self._article, self._rules = article, rules
        self._crime: bool | None = None
        self._drill: bool | None = None
        self._accident: bool | None = None
        self._first: str | None = None
        self.note = _is_note(article)

    def story(self, family: str) -> _Story:
        return _Story(family in crime_lookalikes() and self._crime_story(), self.note,
                      family in _DRILL_FAMILIES and self._drill_story(),
                      family in MISHAP_FAMILIES and self._accident_story())

    def _lead(self) -> str:
        """The first sentence of the body (where a story says what it is about); read once, for both its stories."""
        if self._first is None:
            text = self._article.text
            span = self._article.body_span or Span(0, len(text))
            first = next(iter(sentences(text[span.start:min(span.end, span.start + _LEAD_CHARS)])), None)
            self._first = first.text if first else ""
        return self._first

    def _drill_story(self) -> bool:
        """True if the title or the first sentence is about an exercise, a weapons test or a parade."""
        if self._drill is None:
            # "; " between them: no cue reads across it (a title "Test" is not "test ... a missile").
            self._drill = self._rules.in_article("drill", f"{self._article.title}; {self._lead()}")
        return self._drill

    def _accident_story(self) -> bool:
        """True if the title or the first sentence tells an accident or a disaster (cue kind `mishap`) and
        neither says anyone meant harm (kind `deliberate`): "A fire that started in a chemical warehouse
        raced through a crowded neighbourhood, killing 67"."""
        if self._accident is None:
            told = [t for t in (self._article.title or "", self._lead()) if t]
            self._accident = any(self._rules.in_text("mishap", t) for t in told) \
                and not any(self._rules.in_text("deliberate", t) for t in told)
        return self._accident

    def _crime_story(self) -> bool:
        if self._crime is None:
            whole = f"{self._article.title}\n{self._article.text}"
            folded = Caseless.fold(whole)
            # A crime story tells ordinary offences more often than it uses words of conflict, politics or
            # protest: a local story of a shooting and an arrest may name a "crowd" or a "gang" once, and a
            # conflict story may mention a "warrant" or "bail" once among its militants and troops. The offence
            # words first: most conflict news names none, and then the political words need no count.
            offences = self._rules.count_in_article("offence", whole, folded)
            self._crime = offences > 0 and self._rules.count_in_article("political", whole, folded, offences) < offences
        return self._crime


# The families an exercise or a weapons test reads like ("jets bombed mock targets", "troops stormed a town").
_DRILL_FAMILIES = frozenset({"battle", "remote_violence"})
_LEAD_CHARS = 600        # where the first sentence, which says what the story is about, is looked for


# An event note (ACLED's, a blotter line, a brief) is one paragraph of a few sentences that tells one event.
NOTE_SENTENCES = 3


def _is_note(article: Article) -> bool:
    """True if the text is one short paragraph without a dateline: a note, not a story."""
    span = article.body_span or Span(0, len(article.text))
    body = article.text[span.start:span.end].strip()
    return article.dateline is None and "\n\n" not in body and len(sentences(body)) <= NOTE_SENTENCES


def extract_incidents(article: Article, toponyms: Sequence[Toponym], *, taxonomy: Taxonomy, actors=None,
                      rules: Rules | None = None, model: EventModel | None = None,
                      weights: Weights | None = None, calibration: Calibration | None = None,
                      capital_of: Callable[[str], Place | None] | None = None,
                      country_of: Callable[[str], Place | None] | None = None,
                      frames: bool = False) -> list[Incident]:
    """The incidents an article reports, in text order.

    Each sentence that may tell an event gets candidates (families the learned detector or the
    trigger phrases suggest); a candidate becomes an incident when its weighted evidence
    (`geo.extract.decide`) reaches the threshold; its confidence is that score calibrated into the
    probability that it is right (`geo.extract.calibration`). With `frames`, a sentence that offers two
    places or two dates is parsed, and the ones its event's predicate governs win (`geo.extract.attach`).
    """
    calibration = calibration or Calibration.load()
    rules = rules or Rules.load()
    model = model or bundled_model()
    weights = weights or Weights.load()
    text = article.text
    body = article.body_span or Span(0, len(text))
    # The trigger words' starts and the detector's pre-filter words', found in one pass over the body.
    every, lowered, detected = rules.word_starts_with(text, body.start, body.end, model.prefilter)
    starts = sorted(set(detected) | set(rules.trigger_starts(text, every)))
    if not starts:
        return []
    sents = _segments(article, starts)
    found = _candidates(text, sents, starts, every, lowered, rules, model, taxonomy, weights)
    if not found:
        return []
    families = {si: frozenset(c.family for c in cs) for si, cs in found.items()}
    placer = Placer(article, toponyms, rules, capital_of, country_of)
    dater = Dater(article, sents, lambda j: families.get(j, frozenset()))
    drafts: list[_Draft] = []
    reading = _Reading(article, rules)
    parsed = attach.Frames(sents, (si for si, cands in found.items()
                                   if attach.in_doubt(placer, dater, text, sents, si, (c.hit for c in cands)))
                           if frames else ())
    for si, cands in found.items():
        _read_sentence(article, si, sents, cands, weights, taxonomy, placer, dater, drafts, reading, parsed)
    out = _incidents(_coalesce(drafts, taxonomy), article, sents, dater, taxonomy, actors)
    return [replace(i, confidence=calibration.probability(i)) for i in out]


def _incidents(final: list[_Draft], article: Article, sents: list[Sentence], dater: Dater, taxonomy: Taxonomy,
               actors) -> list[Incident]:
    """The incidents of an article's final drafts, each with the counts of its own sentence or a later one."""
    told = [{e.sentence_span.start for e in d.evidence} for d in final]
    return [_incident(d, article, taxonomy, actors,
                      _counts_after(d, sents, set().union(*(t for k, t in enumerate(told) if k != n)),
                                    lambda j: dater.tells_a_time(j) or bool(_PERIOD_TOLL.search(sents[j].text))))
            for n, d in enumerate(final)]


def _candidates(text: str, sents: list[Sentence], starts: list[int], every, lowered: bool, rules: Rules,
                model: EventModel, taxonomy: Taxonomy, weights: Weights) -> dict[int, list[Candidate]]:
    """The candidates of each sentence that has any, by sentence index (`geo.extract.decide.candidates`).

    `every` holds the body's `Rules.word_starts` (`lowered`: found lower-cased); the detector reads a sentence's
    own from them instead of searching it again.
    """
    found: dict[int, list[Candidate]] = {}
    for si, sentence in enumerate(sents):
        i = bisect.bisect_left(starts, sentence.start)
        if i == len(starts) or starts[i] >= sentence.end:
            continue             # no word in the sentence weighs for any event type
        own = rules.stretch_starts(text, every, sentence.start, sentence.end) if lowered else None
        hits = rules.hits(text, sentence.start, sentence.end, every)
        # Between spaces, the sentence alone has the same triggers (`Rules.stretch_starts`), at its own offsets.
        alone = None if own is None else [Hit(h.type, h.strength, h.start - sentence.start, h.end - sentence.start,
                                              h.text) for h in hits]
        probs, anchor = model.type_probabilities(sentence.text, own, alone)
        got = candidates(sentence, text, probs, anchor, hits, rules, taxonomy, weights, _counted(sents, si))
        if got:
            found[si] = got
    return found


def _counts_after(d: _Draft, sents: list[Sentence], others: set[int], dated: Callable[[int], bool]) -> Casualties:
    """Counts the incident's own sentence lacks, from a later sentence of its paragraph that tells no
    other incident ("ISWAP attacked the base in Mainok. The soldiers repelled the attack. 5 fatalities.").

    `others` holds the start offsets of the sentences other incidents were read from; a sentence with
    a time of its own (`dated`), even one that only bounds a period, tells another time's toll ("300
    soldiers have died since 2015"), and so does one that names a war or a span ("died in the five-month
    conflict": `_PERIOD_TOLL`).
    """
    own = casualties(d.sentence.text)
    if own.fatalities is not None or own.injured is not None:
        return own
    i = next((k for k, s in enumerate(sents) if s.start == d.sentence.start), None)
    for j in range(i + 1, len(sents)) if i is not None else ():
        later = sents[j]
        if later.paragraph != d.sentence.paragraph or later.start in others or dated(j):
            break                # another paragraph, incident or time: its counts are its own
        c = casualties(later.text)
        if c.fatalities is not None or c.injured is not None:
            return c
    return own


def _read_sentence(article: Article, si: int, sents: list[Sentence], cands: list[Candidate], weights: Weights,
                   taxonomy: Taxonomy, placer: Placer, dater: Dater, drafts: list[_Draft], reading: _Reading,
                   frames: attach.Frames) -> None:
    """Drafts for the candidates of one sentence that reach the threshold (one per family and place).

    Where the sentence was parsed, the place and the date its predicate governs win (`geo.extract.attach`)."""
    text, sentence = article.text, sents[si]
    taken: dict[str, list[PlaceChoice | None]] = {}
    crowd = aggregate(sentence.text)
    counts = _counted(sents, si)
    clauses = [clause_of(text, sentence, c.hit) for c in cands]
    places = [placer.in_sentence(sentence, (c.hit.start, c.hit.end), clause) for c, clause in zip(cands, clauses)]
    for n in _one_reading(cands, weights, places):
        cand, clause, own_place = cands[n], clauses[n], places[n]
        hit, family = cand.hit, cand.family
        own_date = dater.own_in(si, clause)
        frame = frames.frame(si, (hit.start, hit.end))
        if frame is not None:
            own_date = attach.date(frame, dater, si, own_date)
            own_place = attach.place(frame, placer, sentence, (hit.start, hit.end), clause, own_place)
        if not cand.primary and not _elsewhere(own_place, taken.get(family, [])):
            continue          # the same family told twice in one sentence at one place: one incident
        taken.setdefault(family, []).append(own_place)
        locality = placer.locality(sentence, (hit.start, hit.end))
        conf = _confidence(cand, weights, text, sentence, counts, own_date, own_place, bool(locality), crowd,
                           reading.story(family))
        ante = _antecedent(drafts, taxonomy, family, text, sentence, hit, own_place, own_date)
        evidence = _evidence(article, sentence, hit)
        if ante is not None:
            _join(ante, evidence, own_place, own_date)
            continue
        if conf < weights.threshold - 1e-9:
            continue
        place = _place_of(placer, sents, si, hit, own_place, locality, drafts)
        date = own_date if own_date.text else dater.inherited(si, family)
        # "in Kenya's three main cities - Kisumu, Nairobi and Mombasa": the cities listed are where.
        listed = placer.enumerated(sentence, own_place) if own_place is not None and place is own_place else []
        if listed:
            taken[family][-1] = place = own_place = listed[0]
        drafts.append(_Draft(hit, sentence, conf, place, date, [evidence]))
        # "in the capital Ankara and the province of Bursa": one event per place, as ACLED codes them.
        for other in listed[1:] or (placer.coordinated(sentence, own_place) if own_place else ()):
            if _elsewhere(other, taken[family]):
                taken[family].append(other)
                drafts.append(_Draft(hit, sentence, conf, other, date, [evidence]))


def _one_reading(cands: list[Candidate], weights: Weights, places: list[PlaceChoice | None]) -> list[int]:
    """One event read two ways: a family told only by a word the detector all but rules out (P(family) <=
    `rival_below`) beside another family the detector reads in the same sentence (P >= `rival_above`),
    at the same place, is a word of that event, not an event of its own ("police shot dead a
    demonstrator at a rally" is the rally's excessive force, not also an attack). Two events in one
    sentence stay two when each has its own place, or when the detector's probability is split between
    them (each above `rival_below`). The indices of the candidates kept; `places[n]` is candidate n's own place."""
    sure = [k for k, c in enumerate(cands) if c.model >= weights.rival_above]
    return [n for n, c in enumerate(cands) if c.model > weights.rival_below
            or not any(cands[k].family != c.family and not _elsewhere(places[n], [places[k]]) for k in sure)]


def _place_of(placer: Placer, sents: list[Sentence], si: int, hit: Hit, own_place: PlaceChoice | None,
              locality: tuple[int, str] | None, drafts: list[_Draft]) -> PlaceChoice | None:
    """A new incident's place: its own sentence's, else the country whose adjective names its object ("hit a
    Syrian air base"), else a fallback (`_FALLBACKS`); a neighbourhood or site the gazetteer lacks is coded
    to its town unless the place found is finer than a town, never to a town outside the region its
    sentence names; a village of its own with no town in its sentence keeps its name at the region."""
    place = own_place or placer.target(sents[si], (hit.start, hit.end)) or _place_fallback(placer, sents, si, drafts)
    if locality and (place is None or (place.place.level.rank <= Level.CITY.rank and place.place.located_at != "parent")):
        town = placer.town_of(sents[si], *locality)
        # "the Khogyani district of Nangarhar province": a town outside the region the sentence names is
        # not the one the district lies in.
        region = own_place.place if own_place is not None and own_place.place.level.rank < Level.CITY.rank else None
        if town is not None and (region is None or contains(region, town.place)):
            return town
        if place is not None and (region is not None or placer.settlement(*locality)):
            # A village the gazetteer lacks, in a sentence that names no town: a town found elsewhere is
            # not where it lies; the region its sentence names, else the country, keeps its name.
            if place.how != "sentence" and place.place.level.rank > Level.PROVINCE.rank:
                country = placer.country(place.place)
                if country is None:
                    return place
                place = PlaceChoice(country, country.name, GeoPrecision.REGION, place.how)
            return replace(place, locality=locality[1], precision=max(place.precision, GeoPrecision.NEAR))
    return place


def _confidence(cand: Candidate, weights: Weights, text: str, sentence: Sentence, counts: bool, own_date: EventDate,
                own_place: PlaceChoice | None, locality: bool, crowd: int, story: _Story) -> float:
    """The candidate's decision score with the evidence of its own sentence (`geo.extract.decide.score`)."""
    hit = cand.hit
    if own_place and cand.trigger and anchored(text, sentence, hit, own_place.start, own_place.start + len(own_place.text)):
        # A phrase naming its own place and time tells a specific event, whatever the words around it:
        # its trigger counts in full, and the phrase is evidence of its own.
        cand = replace(cand, rule=max(cand.rule, cand.trigger))
        conf = min(score(cand, weights, own_date, own_place, counts, locality, crowd, story.crime, story.note,
                         story.drill, story.accident)
                   + weights.anchored, 1.0)
    else:
        conf = score(cand, weights, own_date, own_place, counts, locality, crowd, story.crime, story.note,
                     story.drill, story.accident)
    if own_place and own_place.tied and _VERB.match(hit.text) \
            and OBJECT_GAP.fullmatch(text, hit.end, max(hit.end, own_place.start)):
        conf = min(conf + weights.tied, 1.0)     # "seized Qaim": the place is the trigger verb's object
    return conf


def _elsewhere(place: PlaceChoice | None, taken: list[PlaceChoice | None]) -> bool:
    """True if `place` is a place of its own: not one already taken, nor inside or around one."""
    if place is None:
        return False
    return all(t is not None and not contains(t.place, place.place) and not contains(place.place, t.place)
               and distance_km(t.place, place.place) > _SAME_KM for t in taken)


def _the_capital(placer: Placer, sents: list[Sentence], si: int, drafts: list[_Draft]) -> PlaceChoice | None:
    """"In the capital", "on the capital's eastern outskirts": the capital of the story's country."""
    m = _THE_CAPITAL.search(sents[si].text)
    if m is None:
        return None
    start = sents[si].start + m.start("words")
    return placer.capital(m.group("words"), start, near=bool(m.group("near")))


def _the_town(placer: Placer, sents: list[Sentence], si: int, drafts: list[_Draft]) -> PlaceChoice | None:
    """"In the city": the town named last before."""
    sentence = sents[si]
    if not _THE_TOWN.search(sentence.text):
        return None
    paragraph = next(s.start for s in sents if s.paragraph == sentence.paragraph)
    return placer.last_town(sentence.start, _ANAPHOR_REACH, paragraph)


def _that_area(placer: Placer, sents: list[Sentence], si: int, drafts: list[_Draft]) -> PlaceChoice | None:
    """"In that area": the place of the sentence right before, wherever its paragraph ends."""
    sentence, prev = sents[si], sents[si - 1] if si > 0 else None
    if prev and _THAT_AREA.search(sentence.text) and not placer.text[prev.end:sentence.start].strip():
        got = placer.in_sentence(prev, (prev.end, prev.end))
        if got:
            return replace(got, how="anaphor")
    return None


def _paragraph(placer: Placer, sents: list[Sentence], si: int, drafts: list[_Draft]) -> PlaceChoice | None:
    """The nearest earlier sentence of the same paragraph with a place."""
    sentence = sents[si]
    for j in range(si - 1, -1, -1):
        prev = sents[j]
        if prev.paragraph != sentence.paragraph:
            break
        got = placer.in_sentence(prev, (prev.end, prev.end))
        if got:
            return replace(got, how="paragraph")
    return None


def _lead(placer: Placer, sents: list[Sentence], si: int, drafts: list[_Draft]) -> PlaceChoice | None:
    """The lead sentence says where the story happens (wire copy gives each sentence a paragraph of its
    own, so the paragraph rarely helps): where its event happened, if it tells one its sentence places
    ("Warplanes struck the town of al-Tamanah ..., as the presidents met in Tehran" -> al-Tamanah), else
    its place nearest its end; one precision step coarser, as for the dateline."""
    lead = sents[0] if sents and si > 0 and sents[0].paragraph != sents[si].paragraph else None
    if lead is None:
        return None
    told = next((d.place for d in drafts if d.sentence.start == lead.start and d.place is not None
                 and d.place.how in ("sentence", "locality")), None)
    got = told or placer.in_sentence(lead, (lead.end, lead.end))
    if got and got.place.level.rank > Level.COUNTRY.rank:     # a country in the lead may be a party, not the scene
        return replace(got, how="lead", precision=max(got.precision, GeoPrecision.NEAR))
    return None


# Where an incident whose sentence names no place happened: the first of these that finds one.
_FALLBACKS: tuple[tuple[str, Callable[[Placer, list[Sentence], int, list[_Draft]], PlaceChoice | None]], ...] = (
    ("the capital", _the_capital),
    ("the city", _the_town),
    ("that area", _that_area),
    ("paragraph", _paragraph),
    ("lead", _lead),
    ("dateline", lambda placer, sents, si, drafts: placer.dateline()),
)


def _place_fallback(placer: Placer, sents: list[Sentence], si: int, drafts: list[_Draft]) -> PlaceChoice | None:
    """The place of an incident its own sentence does not place (`_FALLBACKS`; `drafts`: the incidents
    read so far)."""
    return next((got for _, find in _FALLBACKS if (got := find(placer, sents, si, drafts)) is not None), None)


def _counted(sents: list[Sentence], si: int) -> bool:
    """True if sentence `si` states casualties, or the sentence right after it is no more than a count
    ("ISWAP fighters attacked Mainok. 5 fatalities.": the event-note convention puts the toll apart)."""
    if has_casualties(sents[si].text):
        return True
    after = sents[si + 1] if si + 1 < len(sents) else None
    return after is not None and after.paragraph == sents[si].paragraph \
        and len(after.text.split()) <= _BARE_COUNT_WORDS and has_casualties(after.text)


def _evidence(article: Article, sentence: Sentence, hit: Hit) -> Evidence:
    return Evidence(
        article_id=article.id, article_title=article.title, sentence=sentence.text,
        sentence_span=Span(sentence.start, sentence.end), trigger=hit.text, trigger_span=Span(hit.start, hit.end),
        source=article.source, url=article.url, article_date=article.date,
    )


def _incident(d: _Draft, article: Article, taxonomy: Taxonomy, actors, counts: Casualties) -> Incident:
    kind = taxonomy.get(d.hit.type)
    sentence = d.sentence.text
    fatalities, injured = counts.fatalities, counts.injured
    found = tuple(actors.find(sentence)) if actors is not None else ()
    date = d.date.date
    notes = _place_notes(d.place)
    return Incident(
        id=incident_id(article.id, d.sentence.start, kind.name, d.hit.start, d.place.place.id if d.place else ""),
        type=kind.name, event_type=kind.event_type, sub_event_type=kind.sub_event_type,
        date=date, date_precision=d.date.precision if date is not None else DatePrecision.UNKNOWN,
        place=d.place.place if d.place else None, place_text=d.place.text if d.place else "",
        geo_precision=d.place.precision if d.place else None, evidence=tuple(d.evidence),
        fatalities=fatalities, injured=injured, actors=found, confidence=round(d.confidence, 3),
        date_text=d.date.text if date is not None else "", notes=notes,
        place_evidence=_phrase(article.text, d.place.phrase if d.place else None),
        date_evidence=_phrase(article.text, Span(d.date.start, d.date.end)) if date is not None and d.date.start >= 0
        else None,
    )


_TOWN_LEVELS = frozenset({Level.CITY, Level.DISTRICT, Level.NEIGHBOURHOOD})


def _place_notes(place: PlaceChoice | None) -> tuple[str, ...]:
    """Notes on how the place was found when not from the incident's own sentence, or coded to a town."""
    if place is None:
        return ()
    notes: tuple[str, ...] = (f"place from {place.how}",) if place.how not in ("sentence", "locality") else ()
    if place.locality:
        to = f"its town, {place.place.name}" if place.place.level in _TOWN_LEVELS else place.place.name
        notes += (f"in {place.locality} (not in the gazetteer; coded to {to})",)
    if place.place.located_at == "parent":
        town = dict(place.place.raw).get("town", "its town")
        notes += (f"located at {town}: {place.place.name} is a part of it with no public coordinate of its own",)
    return notes


def _phrase(text: str, span: Span | None) -> Phrase | None:
    return Phrase(span.start, span.end, text[span.start:span.end]) if span is not None else None
