"""ACLED's rule between an attack and an armed clash: whether the victims were armed (codebook: violence
against civilians is violence against unarmed people; an attack on armed forces is a battle).

The words live in `geo/data/cues.csv` (kinds `armed_victim`: armed forces named before a passive, "three
police officers were shot dead"; `armed_object`: after an active verb, "killed two soldiers").
"""

from __future__ import annotations

import re

from geo.extract.taxonomy import Taxonomy
from geo.extract.triggers import Hit, Rules
from geo.read.text import Sentence

__all__ = ["armed_victims", "armed_victims_read"]

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



def armed_victims_read(learned: dict[str, dict[str, float]], rules: Rules, taxonomy: Taxonomy, text: str,
                       sentence: Sentence, hits: list[Hit]) -> None:
    """Move the detector's attack reading to armed clash when the victims are armed forces (in place); the
    cues are read over the whole sentence, so any of its trigger hits will do."""
    attack = learned.get("violence_against_civilians", {}).get("attack_on_civilians")
    if not attack or not hits or "armed_clash" not in taxonomy or not armed_victims(rules, text, sentence, hits[0]):
        return
    learned["violence_against_civilians"].pop("attack_on_civilians")
    battle = learned.setdefault(taxonomy.get("armed_clash").family, {})
    battle["armed_clash"] = battle.get("armed_clash", 0.0) + attack
