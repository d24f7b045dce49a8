"""Whether a sentence reports an incident of a family: named, weighted evidence added into one score.

The evidence is the learned detector's probability for the family (`geo.extract.events`), the
strongest trigger phrase of the family after its context cues (`geo/data/triggers.csv`,
`geo/data/cues.csv`), and the anchors an event has in the text: its own date, place and counts.
The weights live in `geo/data/decision_weights.csv`, one row each, so a change is one row and its
effect is measured with `python -m geo.evaluate.incidents`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from functools import cache
from pathlib import Path

from gazetteer.datafiles import csv_rows
from geo.errors import UsageError
from geo.extract.dates import event_dates, is_reporting
from geo.extract.fatalities import has_casualties
from geo.extract.taxonomy import Taxonomy, family_wins
from geo.extract.triggers import Hit, Rules, clause_of
from geo.extract.type_rules import read_by_type_rules, retyped
from geo.model import DatePrecision, GeoPrecision
from geo.read.text import CALENDAR_DAY, MONTH_WORD, Sentence

__all__ = ["MISHAP_FAMILIES", "Candidate", "Weights", "aggregate", "candidates", "disaster_only", "infinitive", "score"]

WEIGHTS_FILE = Path(__file__).parent.parent / "data" / "decision_weights.csv"
SUBSUMES_FILE = Path(__file__).parent.parent / "data" / "subsumes.csv"
STRONG = 0.5             # triggers below this need violence context and casualties in their sentence
SURE = 0.85              # violent triggers below this need violence context in their sentence
_VIOLENT = frozenset({"battle", "violence_against_civilians", "riot"})   # explosions are rarely figures of speech
_HEDGE, _BACKGROUND = 0.8, 0.3
_SUBSUMED_BELOW = 0.7     # a part with a trigger this strong stands on its own (mode unless_strong)


@dataclass(frozen=True, slots=True)
class Weights:
    """The weights of the decision, one per named piece of evidence."""

    model: float
    model_prior: float
    rule: float
    day: float
    week: float
    month: float
    place_town: float
    place_near: float
    place_region: float
    tied: float
    counts: float
    threshold: float
    candidate: float
    rule_type: float
    no_trigger: float
    veto: float
    veto_below: float
    anchored: float
    aggregate: float
    quiet: float
    ordinary_crime: float
    exercise_story: float
    accident_story: float
    note_veto: float
    note_below: float
    rival_below: float
    rival_above: float

    @classmethod
    @cache
    def load(cls, path: Path = WEIGHTS_FILE) -> "Weights":
        """The weights file; a missing, unknown or non-numeric row is an error naming file and line."""
        got: dict[str, float] = {}
        names = {f.name for f in fields(cls)}
        for number, row in csv_rows(path):
            name = row.get("name", "")
            if name not in names:
                raise UsageError(f"{path}:{number}: unknown weight {name!r}; expected one of: {', '.join(sorted(names))}")
            try:
                got[name] = float(row["value"])
            except (TypeError, ValueError):
                raise UsageError(f"{path}:{number}: weight {name!r} is not a number: {row.get('value')!r}") from None
        missing = names - set(got)
        if missing:
            raise UsageError(f"{path}: missing weights: {', '.join(sorted(missing))}")
        return cls(**got)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible incident of one family in a sentence: its type, the words that tell it, and its evidence."""

    family: str
    hit: Hit                 # typed as the incident will be; the trigger, or the detector's anchor word
    model: float             # P(event of this family) from the detector
    rule: float              # trigger strength x cue factor (0 without a trigger)
    primary: bool = True     # False: another trigger of a family already taken (a second place may make it one)
    event: float = 1.0       # P(the sentence tells any event) from the detector
    trigger: float = 0.0     # the trigger phrase's own strength, before its cues (0: the detector's anchor word)


def candidates(sentence: Sentence, text: str, probs: dict[str, float], anchor: Callable[[str], str],
               hits: list[Hit], rules: Rules, taxonomy: Taxonomy, weights: Weights, counts: bool) -> list[Candidate]:
    """Families the detector or the triggers suggest for one sentence, each with its best type.

    `probs` is the detector's probability of each type; `anchor(type)` the word that weighs most for it.
    """
    learned: dict[str, dict[str, float]] = {}
    for t, p in probs.items():
        if t in taxonomy:
            learned.setdefault(taxonomy.get(t).family, {})[t] = p
    p_event = sum(probs.values())
    read_by_type_rules(learned, rules, taxonomy, text, sentence, hits)
    triggered = _triggers(rules, taxonomy, text, sentence, hits, counts)
    blocked = {family for family, _, factor in triggered if factor < 0}
    triggered = [t for t in triggered if t[2] >= 0]
    primary: dict[str, tuple[Hit, float]] = {}
    for family, hit, factor in triggered:          # strongest first; a quiet trigger (factor 0) may
        if family not in primary:                  # still tell a retelling ("the strikes") of an event
            primary[family] = (hit, factor)
    out = []
    for family in dict.fromkeys([*primary, *learned]):
        found = learned.get(family, {})
        # Types that are stages of one event add up; different acts (an arrest, a looting) do not:
        # nine unsure strategic types are not one sure strategic development.
        p_family = sum(found.values()) if taxonomy.one_event_across_types(family) else max(found.values(), default=0.0)
        if family in primary:
            hit, factor = primary[family]
            kind = _winner(family, triggered) or _type(found, hit, factor, weights)
            out.append(Candidate(family, replace(hit, type=kind), p_family,
                                 hit.strength * factor, event=p_event, trigger=hit.strength))
        elif p_family >= weights.candidate and family not in blocked:
            best = max(found, key=found.__getitem__)
            hit = _anchor_hit(best, found[best], anchor(best), text, sentence)
            # the detector alone reads a killing in "328 people were killed by a quake": a disaster's toll
            if not disaster_only(rules, taxonomy, text, sentence, hit):
                out.append(Candidate(family, hit, p_family, 0.0, event=p_event))
    out = _one_form(out, weights)
    return out + _second_triggers(out, triggered, primary, p_event)


def _second_triggers(out: list[Candidate], triggered: list[tuple[str, Hit, float]],
                     primary: dict[str, tuple[Hit, float]], p_event: float) -> list[Candidate]:
    """Other strong triggers of a taken family ("82 were arrested in Istanbul, 11 in Adana"): candidates
    that make incidents of their own only where they name another place."""
    taken = {c.family: c for c in out}
    more = []
    for family, hit, factor in triggered:
        if family in taken and factor > 0 and hit.strength >= STRONG and hit is not primary[family][0]:
            base = taken[family]
            more.append(Candidate(family, replace(hit, type=base.hit.type), base.model, hit.strength * factor, False,
                                  p_event, hit.strength))
    return more


@dataclass(frozen=True, slots=True)
class Subsumption:
    """A mention of `part` told beside an incident of the family `whole` is that incident (geo/data/subsumes.csv)."""

    family: str
    type: str | None         # None: every type of the family
    whole: str
    always: bool
    becomes: tuple[str, str] | None = None   # (from, to): the whole's type changes from -> to

    def joins(self, family: str, type_name: str, whole_family: str) -> bool:
        """True if a mention of `type_name` (of `family`) is part of an incident of `whole_family`."""
        return family == self.family and whole_family == self.whole and self.type in (None, type_name)

    def covers(self, part: "Candidate", whole: "Candidate") -> bool:
        return self.joins(part.family, part.hit.type, whole.family)


@cache
def subsumptions(path: Path = SUBSUMES_FILE) -> tuple[Subsumption, ...]:
    """The rules of the subsumes file; a bad row is an error naming file and line."""
    taxonomy = Taxonomy.load()
    families = set(taxonomy.families())

    def of(name: str, fam: str) -> bool:
        return name in taxonomy and taxonomy.get(name).family == fam

    out = []
    for number, row in csv_rows(path):
        family, _, type_name = (row.get("part") or "").partition("/")
        whole, mode = row.get("whole") or "", row.get("mode")
        pair = (row.get("becomes") or "").split(">")
        becomes = (pair[0], pair[1]) if len(pair) == 2 else None
        if not _valid_subsumption(family, type_name, whole, mode, row.get("becomes"), becomes, families, of):
            raise UsageError(f"{path}:{number}: expected part FAMILY[/TYPE], whole FAMILY, mode "
                             f"always|unless_strong and becomes FROM>TO (types of the whole's family), got {dict(row)}")
        out.append(Subsumption(family, type_name or None, whole, mode == "always", becomes))
    return tuple(out)


def _valid_subsumption(family: str, type_name: str, whole: str, mode: str | None, written: str | None,
                       becomes: tuple[str, str] | None, families: set[str], of: Callable[[str, str], bool]) -> bool:
    """True if a subsumes row names known families, a type of its part's family, a known mode and, when it
    says what the whole becomes (`written`), two types of the whole's family."""
    if family not in families or whole not in families or mode not in ("always", "unless_strong"):
        return False
    if type_name and not of(type_name, family):
        return False
    return not (written and not (becomes and all(of(t, whole) for t in becomes)))


def _one_form(cands: list[Candidate], weights: Weights) -> list[Candidate]:
    """ACLED codes one event once, by its form (the rules of geo/data/subsumes.csv).

    With mode `unless_strong`, violence against civilians told in one sentence with a strike or a
    battle is that strike or battle, unless a strong trigger of its own tells it apart; but when the
    detector weighs the attack above a battle word that is not sure of itself ("militants stormed a
    hotel, killing 70"), the battle word is the attack's. With mode `always` the part is dropped
    beside a whole with at least as much evidence.
    """
    def evidence(c: Candidate) -> float:
        return weights.model * c.model + weights.rule * c.rule

    rules = subsumptions()
    drop: set[int] = set()
    retype: dict[int, str] = {}
    for c in cands:
        for other in cands:
            rule = next((r for r in rules if r.covers(c, other)), None)
            if rule is not None:
                _subsume(rule, c, other, evidence, drop, retype)
    return [replace(c, hit=replace(c.hit, type=retype[id(c)])) if id(c) in retype else c
            for c in cands if id(c) not in drop]


def _subsume(rule: Subsumption, c: Candidate, other: Candidate, evidence: Callable[[Candidate], float],
             drop: set[int], retype: dict[int, str]) -> None:
    """Apply one subsumption of the part `c` by the whole `other`: which of them to drop, which to retype."""
    if rule.always:
        # only beside a whole weighed at least as much: a protest named in passing does not
        # swallow the arrest the sentence reports
        if evidence(other) >= evidence(c):
            drop.add(id(c))
            if rule.becomes and other.hit.type == rule.becomes[0]:
                retype[id(other)] = rule.becomes[1]
    elif evidence(c) > evidence(other) and other.rule < SURE:
        drop.add(id(other))
    elif c.rule < _SUBSUMED_BELOW:
        drop.add(id(c))


def _winner(family: str, triggered: list[tuple[str, Hit, float]]) -> str | None:
    """A type that types the family's incident whenever a trigger of its own tells it (families.csv `wins`)."""
    told = {hit.type for fam, hit, factor in triggered if fam == family and factor > 0}
    return next((t for t in family_wins().get(family, ()) if t in told), None)


def _type(found: dict[str, float], hit: Hit, factor: float, weights: Weights) -> str:
    """The type within a family: the detector's probability, plus `rule_type` x strength for the trigger's."""
    votes = dict(found)
    votes[hit.type] = votes.get(hit.type, 0.0) + weights.rule_type * hit.strength * factor
    return max(votes, key=votes.__getitem__)


# A toll or a flight too large for one event ("tens of thousands displaced", "has killed 400,000"): people
# counted over a campaign or a war, unless the sentence dates it to a day.
# People are a plural noun of persons or a capitalised name of a people ("Syrians", "Kurds", "Rohingya"), not named one by one.
_PEOPLE = r"(?:\s+[\w’'-]+){0,3}?\s+(?:people|persons|civilians|residents|refugees|families|children|men|women|" \
          r"migrants|fighters|soldiers|troops|lives|(?-i:[A-Z][a-z]+))\b"
_AGGREGATE = re.compile(r"\b(?:tens|hundreds)\s+of\s+thousands\b|\bmillions\b|"
                        r"\b(?:\d{1,3}(?:,\d{3}){1,}|\d{5,}|\d+(?:\.\d+)?\s+million)" + _PEOPLE, re.IGNORECASE)
_AGGREGATE_FROM = 10_000


# A count over a long period: "since 2014", "since December", "since the invasion began", "this year", "in
# recent years", "over the past three months" (not "since Friday" or "since Nov. 8": a battle or a sit-in of
# some days is still one event).
_LONG_PERIOD = re.compile(
    r"\bsince\s+(?:(?:early|late|mid-?)\s*)?(?:(?:19|20)\d\d\b|(?:" + MONTH_WORD + r")(?![\w.])(?!\s*\d)|the\s+(?:start|beginning|outbreak|"
    r"invasion|war|conflict|uprising|insurgency|revolution|coup|crisis)\b)|\b(?:so\s+far\s+)?this\s+year\b|"
    r"\bin\s+recent\s+(?:years|months)\b|\b(?:over|in|during)\s+the\s+(?:past|last)\s+(?:\w+\s+)?"
    r"(?:months|years|decades|decade|year)\b", re.IGNORECASE)
_COUNTED = re.compile(r"\b(?:\d[\d,.]*|dozens|scores|hundreds|thousands)\b", re.IGNORECASE)
MANY, OVER_A_PERIOD = 1, 2      # what `aggregate` finds
_NAMED_MONTH = re.compile(r"\b" + MONTH_WORD + r"(?:\s|$)")


def aggregate(sentence: str) -> int:
    """`MANY` if the sentence counts people by the tens of thousands or more; `OVER_A_PERIOD` if it
    counts anything over a long period (a toll since 2014, this year, in recent years); else 0.

    >>> aggregate("Close to 400,000 people were also displaced as fighting destroyed the city.")
    1
    >>> aggregate("Gunmen killed 12 people in the market."), aggregate("The road runs 12,000 km.")
    (0, 0)
    >>> aggregate("Some 30,000 Kurds have fled the district since the spring.")
    1
    >>> aggregate("More than 1,500 students have been kidnapped since 2014, UNICEF said on Tuesday.")
    2
    >>> aggregate("Clashes since Friday have killed 20 people.")
    0
    """
    for m in _AGGREGATE.finditer(sentence):
        digits = re.match(r"[\d,.]+", m.group(0))
        if digits is None or "million" in m.group(0).lower():
            return MANY
        if float(digits.group(0).replace(",", "")) >= _AGGREGATE_FROM:
            return MANY
    if _LONG_PERIOD.search(sentence) and _COUNTED.search(sentence):
        return OVER_A_PERIOD
    return 0


def score(c: Candidate, weights: Weights, date, place, counts: bool, locality: bool = False,
          crowd: int = 0, crime: bool = False, note: bool = False, drill: bool = False,
          accident: bool = False) -> float:
    """The candidate's score: weighted evidence, capped at 1. `crowd`: the sentence counts people by the
    tens of thousands or counts over a long period (see `aggregate`); `crime`: the article is an ordinary crime story (`ordinary_crime`);
    `note`: the text is a short event note that tells one event (`note_veto`); `drill`: the story's title or
    lead is about a military exercise, a weapons test or a parade (`exercise_story`); `accident`: its title or
    lead tells an accident or a disaster and nothing of anyone meaning harm (`accident_story`)."""
    s = weights.model * (c.model - weights.model_prior) + weights.rule * c.rule
    s -= _doubts(c, weights, date, crowd, crime, note)
    if drill:
        s -= weights.exercise_story
    if accident:
        s -= weights.accident_story
    if date.date is not None:
        s += {DatePrecision.DAY: weights.day, DatePrecision.MONTH: weights.month}.get(date.precision, weights.week)
    elif date.text:
        s += weights.week            # dated, but too vaguely to resolve ("in mid-2014")
    if place is not None:
        s += {GeoPrecision.TOWN: weights.place_town, GeoPrecision.NEAR: weights.place_near}.get(
            place.precision, weights.place_region)
        s += weights.tied if place.tied else 0.0
    elif locality:
        s += weights.place_town
    s += weights.counts if counts else 0.0
    return max(0.0, min(s, 1.0))


def _doubts(c: Candidate, weights: Weights, date, crowd: int, crime: bool, note: bool) -> float:
    """What the score loses for the evidence against an event (the subtracted weights)."""
    s = weights.ordinary_crime if crime else 0.0
    if (crowd == OVER_A_PERIOD and not _NAMED_MONTH.search(date.text)) or \
            (crowd == MANY and (date.date is None or date.precision is not DatePrecision.DAY)):
        # A toll over a long period is no event even when the report is dated ("since 2014, UNICEF said on
        # Tuesday"), unless the event names its own month ("including a car bomb that killed 20 in July").
        s += weights.aggregate
    if c.rule == 0.0:
        s += weights.no_trigger
        if c.trigger > 0.0:
            s += weights.quiet   # the family's own words are there but read as a figure of speech
    if c.event < weights.veto_below:
        s += weights.veto        # the detector is sure nothing happened: a trigger word alone is not enough
    if note and c.event < weights.note_below:
        s += weights.note_veto   # a note tells one event and the detector has read every word of it
    return s


def _anchor_hit(type_name: str, probability: float, word: str, text: str, sentence: Sentence) -> Hit:
    """A hit at the detector's anchor word (the word that weighs most for the type)."""
    m = re.search(r"\b" + re.escape(word) + r"\b", sentence.text, re.IGNORECASE) if word else None
    start, end = (sentence.start + m.start(), sentence.start + m.end()) if m else (sentence.start, sentence.start)
    return Hit(type_name, probability, start, end, text[start:end])


_PURPOSE = re.compile(r"\bto\s+$", re.IGNORECASE)
_PURPOSE_REACH = 4        # "to " and the word boundary before it


def _triggers(rules: Rules, taxonomy: Taxonomy, text: str, sentence: Sentence, hits: list[Hit],
              counts: bool) -> list[tuple[str, Hit, float]]:
    """(family, hit, cue factor) for every trigger, strongest first; blocked triggers are left out.

    The factor is 0 for a quiet trigger (weak words without violence and casualties, figures of
    speech): it adds nothing to the score but can still mark a retelling of an earlier incident.
    """
    violent: list[bool] = []        # the sentence's violence cue, read once, at its first weak trigger
    kept: list[tuple[str, Hit, float]] = []
    for hit in hits:
        if hit.type not in taxonomy:       # a user taxonomy may leave types out
            continue
        if rules.cue("block", text, sentence, hit) or _about_unanchored(rules, text, sentence, hit) \
                or infinitive(rules, text, sentence, hit) or disaster_only(rules, taxonomy, text, sentence, hit) \
                or _mishap(rules, taxonomy, text, sentence, hit) or _ordinary_charge(rules, text, sentence, hit):
            # Kept with factor -1: the family's own words are planned, denied or prevented here, so the
            # detector alone may not tell the event either ("suspected of planning an attack"). A bare
            # infinitive of purpose ("marched to protest") only says why another act was done: that act
            # may still be the event.
            if not _PURPOSE.search(text, max(sentence.start, hit.start - _PURPOSE_REACH), hit.start):
                kept.append((taxonomy.get(hit.type).family, hit, -1.0))
            continue
        kept.append(_weighed(rules, taxonomy, text, sentence, hit, counts, violent))
    kept.sort(key=lambda fhf: (-fhf[1].strength * fhf[2], -fhf[1].strength))
    return kept


def _ordinary_charge(rules: Rules, text: str, sentence: Sentence, hit: Hit) -> bool:
    """An arrest for an ordinary offence ("detained ... for suspected online scams", "on suspicion of fraud": cues.csv
    kind `charge`): ordinary crime, which ACLED does not code. Only arrests: "lynched two men accused of cattle theft"
    is still mob violence."""
    return hit.type == "arrest" and rules.cue("charge", text, sentence, hit)


def _about_unanchored(rules: Rules, text: str, sentence: Sentence, hit: Hit) -> bool:
    """True if a claim, an accusation, a charge or a trial refers to the trigger's event (cues.csv kind `about`)
    and the event's own words do not anchor it: a claim "for Saturday's car bomb" tells an event told where it is
    reported; "for a suicide attack that killed at least 22 people on Feb. 7 outside the Supreme Court", "told
    the court how he was abducted from his home on Nov. 15" and "convicted of a 1963 church bombing in Birmingham
    that killed four young girls" tell it here, with its day or its toll."""
    if not rules.cue("about", text, sentence, hit):
        return False
    end = clause_of(text, sentence, hit)[1]
    told = text[hit.start:end]
    if has_casualties(told):
        return False
    return not any(_A_DAY.search(d.text) and not is_reporting(told, d) for d in event_dates(told, published=None))


# A date expression that names a day ("on Feb. 7", "14 May", "Saturday's"), whatever the publication date.
_A_DAY = re.compile(rf"\b(?:{CALENDAR_DAY}|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b|\d{{4}}-\d\d-\d\d")


def infinitive(rules: Rules, text: str, sentence: Sentence, hit: Hit) -> bool:
    """True if "to" right before the trigger makes it an infinitive of purpose or intent (cues.csv kind
    `infinitive`: "an offensive to retake the city"), not a preposition before a noun ("led to clashes", "in
    response to attacks on the security forces") nor part of a compound ("street-to-street fighting")."""
    if not rules.cue("infinitive", text, sentence, hit):
        return False
    first = hit.text.split()[0].lower() if hit.text.split() else ""
    return not (_NOUN_FORM.search(first) or _COMPOUND_TO.search(text, max(sentence.start, hit.start - 4), hit.start))


# A trigger's first word that is no bare verb: a plural or an -ing form ("clashes", "attacks", "fighting").
_NOUN_FORM = re.compile(r"(?:[^s]s|ing)$")
_COMPOUND_TO = re.compile(r"-to-$", re.IGNORECASE)


def disaster_only(rules: Rules, taxonomy: Taxonomy, text: str, sentence: Sentence, hit: Hit) -> bool:
    """True if a sentence tells a natural disaster, a disease or an accident (cues.csv kinds `disaster`,
    `accident`) and nothing of anyone meaning harm (kind `deliberate`), and the trigger is not of the families
    people take to the streets with about one (protests, riots): "floods forced 10,000 people from their homes"
    and "floods destroyed 200 houses" tell no event; "attackers killed 14 people in one of the towns hit by the
    Ebola outbreak" and "students protested after two of them were killed in a road accident" do."""
    return taxonomy.get(hit.type).family not in _ABOUT_A_DISASTER \
        and (rules.cue("disaster", text, sentence, hit) or rules.cue("accident", text, sentence, hit)) \
        and not rules.cue("deliberate", text, sentence, hit)


# The families an accident is mistaken for: a blast, people killed.
MISHAP_FAMILIES = frozenset({"remote_violence", "violence_against_civilians"})
# What people do about a disaster or an accident, which its words do not unmake.
_ABOUT_A_DISASTER = frozenset({"protest", "riot"})


def _mishap(rules: Rules, taxonomy: Taxonomy, text: str, sentence: Sentence, hit: Hit) -> bool:
    """True if an explosion or attack trigger stands in a sentence that tells an accident or a disaster
    and says nothing of anyone meaning harm ("a fuel tanker exploded on the highway")."""
    return taxonomy.get(hit.type).family in MISHAP_FAMILIES and rules.cue("mishap", text, sentence, hit) \
        and not rules.cue("deliberate", text, sentence, hit)


def _weighed(rules: Rules, taxonomy: Taxonomy, text: str, sentence: Sentence, hit: Hit, counts: bool,
             violent: list[bool]) -> tuple[str, Hit, float]:
    """(family, hit, cue factor) of one trigger that is not blocked."""
    family = taxonomy.get(hit.type).family
    quiet = _quiet(rules, text, sentence, hit, family, counts, violent)
    hit = retyped(hit, rules, taxonomy, text, sentence)      # ACLED's rules between types (type_rules.TYPE_RULES)
    family = taxonomy.get(hit.type).family
    factor = 0.0 if quiet else _HEDGE if rules.cue("hedge", text, sentence, hit) else 1.0
    if rules.cue("background", text, sentence, hit):
        factor *= _BACKGROUND
    return family, hit, factor


def _quiet(rules: Rules, text: str, sentence: Sentence, hit: Hit, family: str, counts: bool,
           violent: list[bool]) -> bool:
    """True if a weak trigger lacks the violence around it and the casualties it needs.

    Weak words need violence around them and stated casualties; violent words in a sentence with no
    one armed, hurt or fighting ("clashed with the president", "came under fire for") are figures of speech.
    """
    if not (hit.strength < STRONG or (hit.strength < SURE and family in _VIOLENT)):
        return False
    if not violent:
        violent.append(rules.cue("violence", text, sentence, hit))
    return not violent[0] or (hit.strength < STRONG and not counts)
