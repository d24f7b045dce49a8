"""What the event detector sees in a sentence: words, stems, word pairs, and the rule lexicons as classes.

Every feature is a short string ("w:bombed", "s:bomb", "b:air_strike", "t:air_strike", "c:block",
"a:state_forces"); the model keeps a weight per feature and label. The trigger and cue files and the
actor lexicon enter as features, so a list of words informs the decision without making it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path

from geo.extract.actors import ActorLexicon
from geo.extract.fatalities import casualties
from geo.extract.taxonomy import Taxonomy
from geo.extract.triggers import Hit, Rules
from geo.extract.words import DETECTOR_KINDS, FUNCTION_WORDS, word_rows
from geo.read.text import Sentence

__all__ = ["FEATURES_VERSION", "NAME_WORD", "Featurizer", "names_masked", "stem", "tokens"]

# Bump when the features change: a model trained on other features is refused with a retrain hint.
FEATURES_VERSION = 3

_TOKEN = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?|\d[\d,.]*", re.UNICODE)
# Inflections folded so "shelled", "shelling" and "shells" share a stem; the longest suffix first.
_SUFFIXES = ("ations", "ation", "ings", "ing", "ers", "ies", "ied", "ed", "es", "er", "s", "ly")
_MIN_STEM = 3
_CUE_KINDS = ("block", "hedge", "background", "violence", "state")
# A capitalised word inside a sentence (after a word, a comma, a semicolon, a bracket or a quote and a space):
# the name of a place, a person or an organisation. Names say nothing of whether an event happened, yet a model
# trained on written sentences learns the ones it saw ("Lagos" against an event); read as one word class, the
# detector sees only what the sentence says happened. Weekdays and months keep their words: they tell the time.
# Named armed groups still reach the detector through the actor lexicon's kinds (`a:` features).
_NAME = re.compile(r"(?<=[\w,;)’'\]] )(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|"
                   r"March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|"
                   r"Aug|Sep|Sept|Oct|Nov|Dec)\b)[A-Z](?:[\w'’-]|\.(?=\w))*")
NAME_WORD = "Xname"
_NAME_TOKEN = NAME_WORD.lower()     # not a word feature of its own: only its pairs ("in Xname") are read


def tokens(text: str) -> list[str]:
    """Lower-case word tokens; numbers become `<num>`.

    >>> tokens("Gunmen killed 12 villagers in Zamfara’s Maru area.")
    ['gunmen', 'killed', '<num>', 'villagers', 'in', "zamfara's", 'maru', 'area']
    """
    return ["<num>" if w[0].isdigit() else w for w in _TOKEN.findall(text.lower().replace("’", "'"))]


def stem(word: str) -> str:
    """A crude stem: the word without its longest inflectional suffix (memoised: words repeat).

    >>> [stem(w) for w in ("shelled", "shelling", "shells", "protesters", "clashes", "ied")]
    ['shell', 'shell', 'shell', 'protest', 'clash', 'ied']
    """
    got = _STEMS.get(word)
    if got is None:
        if len(_STEMS) > _STEM_CACHE:
            _STEMS.clear()
        got = _STEMS[word] = _stem(word)
    return got


def _stem(word: str) -> str:
    if word.endswith("'s"):
        word = word[:-2]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


_STEMS: dict[str, str] = {}
_STEM_CACHE = 200_000      # distinct words kept; news vocabulary stays far below


class Featurizer:
    """Turns a sentence into its set of feature strings, with the rule files and actor lexicon loaded once."""

    def __init__(self, rules: Rules, taxonomy: Taxonomy, actors: ActorLexicon):
        self._rules = rules
        self._taxonomy = taxonomy
        self._actors = actors

    @classmethod
    def load(cls) -> "Featurizer":
        """The featurizer over the bundled rule files, taxonomy and actor lexicon."""
        return cls(Rules.load(), Taxonomy.load(), ActorLexicon.load())

    def features(self, text: str, starts: Sequence[int] | None = None, hits: Sequence[Hit] | None = None) -> set[str]:
        """The features of one sentence (`starts`: its `Rules.starts`, `hits`: its `Rules.hits`, if known)."""
        words = tokens(names_masked(text))
        kinds = function_words()
        stems = [stem(w) for w in words]
        content = [(w, s) for w, s in zip(words, stems) if w not in kinds and w != _NAME_TOKEN]
        feats = {"bias", *("w:" + w for w, _ in content), *("s:" + s for _, s in content),
                 *("m:" + kinds[w] for w in words if kinds.get(w, "stop") != "stop")}
        feats.update(f"b:{stems[i]}_{stems[i + 1]}" for i in range(len(words) - 1)
                     if kinds.get(words[i]) != "stop" or kinds.get(words[i + 1]) != "stop")
        feats.update(self._rule_features(text, starts, hits))
        counts = casualties(text)
        if counts.fatalities:
            feats.add("k:killed")
        if counts.injured:
            feats.add("k:injured")
        feats.update("a:" + m.actor.kind for m in self._actors.matches(text))
        return feats

    def _rule_features(self, text: str, starts: Sequence[int] | None, hits: Sequence[Hit] | None) -> Iterator[str]:
        sentence = Sentence(0, len(text), text, 0, 0)
        for hit in self._rules.hits(text, 0, len(text), starts) if hits is None else hits:
            if hit.type not in self._taxonomy:
                continue
            strength = "strong" if hit.strength >= 0.8 else "weak"
            yield "t:" + hit.type
            yield f"t:{hit.type}:{strength}"
            yield "f:" + self._taxonomy.get(hit.type).family
            for kind in _CUE_KINDS:
                # the kinds split from `block` since the detector was trained read as a block to it
                if self._rules.cue(kind, text, sentence, hit) or (kind == "block" and self._blocks(text, sentence, hit)):
                    yield f"c:{kind}"
                    yield f"c:{kind}:{hit.type}"

    def _blocks(self, text: str, sentence: Sentence, hit: Hit) -> bool:
        """The cues the detector was trained to read as a block, now kinds of their own that the decision reads
        apart: an act about an event (`about`), "to" right before the trigger (`infinitive`), a disaster or an
        accident told in the sentence (`disaster`, `accident`)."""
        rules = self._rules
        return any(rules.cue(kind, text, sentence, hit) for kind in ("about", "infinitive", "disaster", "accident"))


def names_masked(text: str) -> str:
    """The sentence with each capitalised word inside it read as one word (`NAME_WORD`).

    >>> names_masked("Police said gunmen killed 12 villagers in Zamfara on Sunday, the U.N. said.")
    'Police said gunmen killed 12 villagers in Xname on Sunday, the Xname. said.'
    """
    return _NAME.sub(NAME_WORD, text)


@cache
def function_words(path: Path = FUNCTION_WORDS) -> dict[str, str]:
    """word -> kind (stop, modal, negation, perfect) from the function-word file."""
    return {word: kind for kind, word in word_rows(path) if kind in DETECTOR_KINDS}
