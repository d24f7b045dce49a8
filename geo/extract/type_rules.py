"""ACLED's rules between types that the words around an event decide, one table (`TYPE_RULES`) read both
for a trigger (`retyped`, from `geo.extract.decide._weighed`) and for the detector's reading of a
sentence (`read_by_type_rules`):

- government regains or non-state actor overtakes territory, by who took it: state forces before the
  trigger (`cues.csv` kind `state`); triggers only;
- air/drone strike or shelling, by who delivers it: kind `air_delivery`, in the clause of a shelling
  trigger ("drones fired missiles", "missiles fired from a drone");
- attack or armed clash, by whether the victims were armed (violence against civilians is violence
  against unarmed people; an attack on armed forces is a battle): kinds `armed_victim` (armed forces
  named before a passive, "three police officers were shot dead") and `armed_object` (after an active
  verb, "killed two soldiers"), anywhere in the sentence;
- attack or excessive force against protesters, by who killed and where: state forces before the trigger
  (kind `state`, not inside a group's name) and a protest told in the sentence as its scene ("troops shot
  dead 52 Palestinians during mass protests", "police opened fire on people staging a sit-in"), not one
  it set off ("prompting angry protests");
- a strike or shelling, or disrupted weapons use: a missile, rocket or drone the sentence says was
  intercepted or shot down, with nobody killed or hurt in it ("fired a ballistic missile at Riyadh which
  Saudi air defences intercepted");
- arrest or protest with intervention, by whether the ones arrested were protesting: kind `protesting`
  ("police detained 40 demonstrators", "as they tried to gather", "raided a protest camp, arresting 30");
  triggers only;
- armed clash or riot, by who fought: unarmed people (protesters, locals, villagers, youths, a crowd) as a
  side of the clash, and no armed group in its clause, make it a violent demonstration where a protest is told
  in the sentence ("police clashed with protesters"), else mob violence ("youths of two villages fought with
  clubs and machetes", "clashes between police and locals");
- protest or riot, by what the crowd did: demonstrators who smash, burn, loot or throw things, with no police or
  troops doing it, make a violent demonstration ("protesters gathered ..., setting fire to a car").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from geo.extract.fatalities import has_casualties
from geo.extract.taxonomy import Taxonomy
from geo.extract.triggers import Hit, Rules, clause_of
from geo.read.text import Sentence

__all__ = ["TYPE_RULES", "TypeRule", "armed_victims", "read_by_type_rules", "retyped"]

# "shot dead by soldiers", "shot by separatist fighters": the armed men after "by" acted; they were not hit. Only
# "by" after a word of violence says so ("a second suspect flagged by Belgian security services" does not).
_BY_FORCES = re.compile(r"\b(?:killed|killing|shot|wounded|injured|gunned\s+down|slain|beaten|stabbed|attacked|targeted|"
                        r"hit|dead)\b(?:\s+[\w’'-]+){0,3}?\s+by\s+(?:the\s+|[\w’'-]+\s+){0,2}(?:police|soldiers?|troops|"
                        r"guards?|security|servicemen|border|paramilitar|fighters|militants?|gunm[ae]n|rebels?|"
                        r"insurgents?|attackers?|assailants?|jihadists?|militiam[ae]n|militias?)", re.IGNORECASE)


# Forces no longer armed when hit: captured or unarmed men killed are victims of an attack, not a battle.
_DISARMED = re.compile(r"\b(?:captured|captive|detained|abducted|kidnapped|unarmed|off-duty|off duty|prisoners?|"
                       r"hostages?|executed|execution|surrender\w*)\b", re.IGNORECASE)


def armed_victims(rules: Rules, text: str, sentence: Sentence, hit: Hit) -> bool:
    """True if an attack's victims are armed forces: named before a passive ("three police officers were shot
    dead") or after an active verb ("killed two soldiers"), not as the ones who acted ("killed by soldiers"),
    nor once disarmed ("captured police officers were shot")."""
    if _disarmed(sentence.text):
        return False
    return rules.cue("armed_victim", text, sentence, hit) or (
        rules.cue("armed_object", text, sentence, hit) and not _by_forces(sentence.text))


# The tests of a sentence's own words, remembered by its text: `read_by_type_rules` asks each whole-sentence
# rule of every trigger of the sentence, and `retyped` asks again of each trigger of the rule's type.
_SENTENCES_KEPT = 1024


@lru_cache(maxsize=_SENTENCES_KEPT)
def _disarmed(text: str) -> bool:
    return _DISARMED.search(text) is not None


@lru_cache(maxsize=_SENTENCES_KEPT)
def _by_forces(text: str) -> bool:
    return _BY_FORCES.search(text) is not None


# State forces as the ones who acted: a state word before the trigger, not inside a name ("Allied
# Democratic Forces rebels") — lower-case, or capitalised only where no capitalised word runs into it.
_STATE_NOUNS = (r"troops|soldiers|police|policemen|riot\s+police|security\s+forces|forces|army|military|gendarmes|"
                r"gendarmerie|guards|paramilitar\w*")
_STATE_WORD = re.compile(rf"\b(?:{_STATE_NOUNS})\b", re.IGNORECASE)
_CAPITALISED_BEFORE = re.compile(r"[A-Z][\w’'-]*\s+$")
_STATE_REACH = 120


def _state_hand(rules: Rules, text: str, sentence: Sentence, hit: Hit) -> bool:
    """True if state forces named before the trigger did it (cue kind `state`), not a group whose name holds
    a state word."""
    if not rules.cue("state", text, sentence, hit):
        return False
    for m in _STATE_WORD.finditer(text, max(sentence.start, hit.start - _STATE_REACH), hit.start):
        if m.group(0)[0].islower() or not _CAPITALISED_BEFORE.search(text, max(sentence.start, m.start() - 30), m.start()):
            return True
    return False


# A protest told in the sentence as the scene of the killing ("during mass protests", "people staging a
# sit-in", "when separatists held rallies"), not one it set off ("prompting angry protests").
_PROTEST_SCENE = re.compile(r"\b(?:protest|protests|protesters|protestors|protesting|demonstration|demonstrations|"
                            r"demonstrators|sit-in|sit in|rally|rallies|marchers|marched|mourners)\b", re.IGNORECASE)
_SET_OFF = re.compile(r"\b(?:prompt\w*|spark\w*|trigger\w*|led\s+to|leading\s+to|fuel\w*|provok\w*|drew|drawing)"
                      r"(?:\s+[\w’'-]+){0,3}\s+$", re.IGNORECASE)


@lru_cache(maxsize=_SENTENCES_KEPT)
def _at_protest(text: str) -> bool:
    """True if the sentence tells a protest that is not only one the event set off."""
    return any(not _SET_OFF.search(text, max(0, m.start() - 40), m.start()) for m in _PROTEST_SCENE.finditer(text))


# A missile, rocket or drone intercepted or shot down, with nobody hurt: its use was disrupted ("fired a
# ballistic missile at Riyadh which Saudi air defences intercepted").
_INTERCEPTED = re.compile(r"\b(?:intercept(?:ed|s|ing)?|shot\s+down|downed)\b", re.IGNORECASE)
_PROJECTILE = re.compile(r"\b(?:missiles?|rockets?|drones?|projectiles?)\b", re.IGNORECASE)


@lru_cache(maxsize=_SENTENCES_KEPT)
def _intercepted(text: str) -> bool:
    """True if the sentence tells a projectile intercepted or shot down and nobody killed or hurt."""
    return bool(_INTERCEPTED.search(text) and _PROJECTILE.search(text)) and not has_casualties(text)


# Unarmed people as a side of a clash: a fight between them and police, or among them, is a riot, not an armed
# clash (ACLED: an armed clash is between organised armed groups) ...
_CROWD = re.compile(r"\b(?:protesters|protestors|counter-protesters|counter-protestors|demonstrators|"
                    r"counter-demonstrators|marchers|rioters|residents|locals|villagers|youths|students|fans|mobs?|"
                    r"crowds?|stone-throwers)\b", re.IGNORECASE)
# ... unless an armed group is named in the same clause ("militants clashed with villagers' guards").
_ARMED_GROUP = re.compile(r"\b(?:militants?|rebels?|insurgents?|gunmen|fighters|militias?|militiamen|jihadists?|"
                          r"guerrillas?|separatists|bandits|armed\s+(?:men|group|groups))\b", re.IGNORECASE)


def _unarmed_side(text: str, sentence: Sentence, hit: Hit) -> bool:
    """True if the clause of a clash names unarmed people as a side of it and no armed group."""
    start, end = clause_of(text, sentence, hit)
    clause = text[start:end]
    return bool(_CROWD.search(clause)) and not _ARMED_GROUP.search(clause)


# A crowd's damage: protesters who smash, burn, loot or throw things make a violent demonstration (ACLED: a
# demonstration where the demonstrators are violent or destructive is a riot) ...
_DAMAGE = re.compile(r"\b(?:smash(?:ed|ing)|vandali[sz](?:ed|ing)|ransack(?:ed|ing)|loot(?:ed|ing)|torch(?:ed|ing)|"
                     r"set(?:ting)?\s+(?:fire|alight|ablaze)|set(?:ting)?\s+off\s+(?:flares|fireworks)|"
                     r"burn(?:ed|ing|t)\s+(?:down\s+)?(?:cars?|vehicles?|buses|bus|shops?|tyres|tires|barricades|"
                     r"buildings?|offices?|police\s+(?:stations?|posts?|vehicles?|cars?))|"
                     r"(?:threw|throwing|hurled|hurling|pelted|pelting)\s+(?:\w+\s+){0,2}(?:stones|rocks|bricks|bottles|"
                     r"petrol\s+bombs|molotov\w*|firebombs|flares))\b", re.IGNORECASE)
# ... not damage done by the police or the army to them ("police set fire to the protest camp").
_STATE_DAMAGE = re.compile(rf"\b(?:{_STATE_NOUNS}|officers)\s+(?:\w+\s+){{0,2}}"
                           r"(?:smash|vandali|ransack|loot|torch|set|burn|threw|throwing|hurl|pelt)", re.IGNORECASE)


@lru_cache(maxsize=_SENTENCES_KEPT)
def _crowd_damage(text: str) -> bool:
    """True if the sentence tells a crowd's damage (`_DAMAGE`) done after a crowd is named, not the state's."""
    damage = _DAMAGE.search(text)
    if damage is None or _STATE_DAMAGE.search(text):
        return False
    crowd = _CROWD.search(text, 0, damage.start())
    return crowd is not None


@dataclass(frozen=True, slots=True)
class TypeRule:
    """Type `old` becomes `new` where `applies`; `detector`: the rule also moves the detector's reading;
    `whole_sentence`: its words count anywhere in the sentence (else only around a trigger of `old`)."""

    old: str
    new: str
    applies: Callable[[Rules, str, Sentence, Hit], bool]
    detector: bool
    whole_sentence: bool


TYPE_RULES: tuple[TypeRule, ...] = (
    TypeRule("territory_captured", "territory_retaken", lambda r, t, s, h: r.cue("state", t, s, h), False, False),
    TypeRule("shelling", "air_strike", lambda r, t, s, h: r.cue("air_delivery", t, s, h), True, False),
    TypeRule("attack_on_civilians", "armed_clash", armed_victims, True, True),
    TypeRule("attack_on_civilians", "protest_excessive_force", lambda r, t, s, h: _state_hand(r, t, s, h)
             and _at_protest(s.text), True, False),
    TypeRule("shelling", "weapons_disrupted", lambda r, t, s, h: _intercepted(s.text), True, True),
    TypeRule("air_strike", "weapons_disrupted", lambda r, t, s, h: _intercepted(s.text), True, True),
    TypeRule("arrest", "protest_intervention", lambda r, t, s, h: r.cue("protesting", t, s, h), False, False),
    TypeRule("armed_clash", "riot", lambda r, t, s, h: _unarmed_side(t, s, h) and _at_protest(s.text), True, False),
    TypeRule("armed_clash", "mob_violence", lambda r, t, s, h: _unarmed_side(t, s, h), True, False),
    TypeRule("protest", "riot", lambda r, t, s, h: _crowd_damage(s.text), True, True),
)


def retyped(hit: Hit, rules: Rules, taxonomy: Taxonomy, text: str, sentence: Sentence) -> Hit:
    """The trigger typed as the first rule of `TYPE_RULES` that applies to it gives (unchanged if none)."""
    for rule in TYPE_RULES:
        if hit.type == rule.old and rule.new in taxonomy and rule.applies(rules, text, sentence, hit):
            return replace(hit, type=rule.new)
    return hit


def read_by_type_rules(learned: dict[str, dict[str, float]], rules: Rules, taxonomy: Taxonomy, text: str,
                       sentence: Sentence, hits: list[Hit]) -> None:
    """Move the detector's reading (family -> type -> probability, in place) to the type ACLED's rules
    give, where a trigger of the sentence shows the rule applies."""
    for rule in TYPE_RULES:
        if not rule.detector or rule.old not in taxonomy or rule.new not in taxonomy:
            continue
        if learned.get(taxonomy.get(rule.old).family, {}).get(rule.old) and any(
                (rule.whole_sentence or h.type == rule.old) and rule.applies(rules, text, sentence, h) for h in hits):
            _move(learned, taxonomy, rule.old, rule.new)


def _move(learned: dict[str, dict[str, float]], taxonomy: Taxonomy, old: str, new: str) -> None:
    p = learned[taxonomy.get(old).family].pop(old)
    into = learned.setdefault(taxonomy.get(new).family, {})
    into[new] = into.get(new, 0.0) + p
