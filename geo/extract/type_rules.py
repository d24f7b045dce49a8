"""ACLED's rules between types that the words around an event decide, applied to the detector's reading as
the trigger rules apply them to a trigger (`geo.extract.decide._weighed`):

- attack or armed clash, by whether the victims were armed (violence against civilians is violence
  against unarmed people; an attack on armed forces is a battle): `cues.csv` kinds `armed_victim`
  (armed forces named before a passive, "three police officers were shot dead") and `armed_object`
  (after an active verb, "killed two soldiers");
- air/drone strike or shelling, by who delivers it: kind `air_delivery`, in the clause of a shelling
  trigger ("drones fired missiles", "missiles fired from a drone").
"""

from __future__ import annotations

import re

from geo.extract.taxonomy import Taxonomy
from geo.extract.triggers import Hit, Rules
from geo.read.text import Sentence

__all__ = ["armed_victims", "read_by_type_rules"]

# "shot dead by soldiers": forces after "by" acted; they were not hit.
_BY_FORCES = re.compile(r"\bby\s+(?:the\s+|[\w’'-]+\s+){0,2}(?:police|soldiers?|troops|guards?|security|servicemen|"
                        r"border|paramilitar)", re.IGNORECASE)


# Forces no longer armed when hit: captured or unarmed men killed are victims of an attack, not a battle.
_DISARMED = re.compile(r"\b(?:captured|captive|detained|abducted|kidnapped|unarmed|off-duty|off duty|prisoners?|"
                       r"hostages?|executed|execution)\b", re.IGNORECASE)


def armed_victims(rules: Rules, text: str, sentence: Sentence, hit: Hit) -> bool:
    """True if an attack's victims are armed forces: named before a passive ("three police officers were shot
    dead") or after an active verb ("killed two soldiers"), not as the ones who acted ("killed by soldiers"),
    nor once disarmed ("captured police officers were shot")."""
    if _DISARMED.search(sentence.text):
        return False
    return rules.cue("armed_victim", text, sentence, hit) or (
        rules.cue("armed_object", text, sentence, hit) and not _BY_FORCES.search(sentence.text))



def read_by_type_rules(learned: dict[str, dict[str, float]], rules: Rules, taxonomy: Taxonomy, text: str,
                       sentence: Sentence, hits: list[Hit]) -> None:
    """Move the detector's reading to the type ACLED's rules give (in place): an attack on armed forces to
    armed clash, shelling from the air to air/drone strike. The cues are read over the whole sentence, so
    any of its trigger hits will do."""
    if not hits:
        return
    attack = learned.get("violence_against_civilians", {}).get("attack_on_civilians")
    if attack and "armed_clash" in taxonomy and armed_victims(rules, text, sentence, hits[0]):
        _move(learned, taxonomy, "attack_on_civilians", "armed_clash")
    shelling = learned.get(taxonomy.get("shelling").family, {}).get("shelling") if "shelling" in taxonomy else None
    if shelling and "air_strike" in taxonomy and any(
            h.type == "shelling" and rules.cue("air_delivery", text, sentence, h) for h in hits):
        _move(learned, taxonomy, "shelling", "air_strike")


def _move(learned: dict[str, dict[str, float]], taxonomy: Taxonomy, old: str, new: str) -> None:
    p = learned[taxonomy.get(old).family].pop(old)
    into = learned.setdefault(taxonomy.get(new).family, {})
    into[new] = into.get(new, 0.0) + p
