"""Named and generic conflict actors found in text, from an extensible CSV lexicon.

The built-in lexicon is `geo/data/actors.csv` (`actor,aliases,kind,country_code`, aliases separated by
`|`). Users add or override actors with files of the same shape: `ActorLexicon.load(["mine.csv"])`.
An alias with an all-capitals word ("IS", "SDF", "U.S. forces") matches only as written, so "is" and
"us" never count; other aliases match in any case, with an optional plural "s"/"es".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from gazetteer.datafiles import csv_table
from geo.errors import InputError, RecordError
from geo.read.text import replace_each

__all__ = ["KINDS", "Actor", "ActorLexicon"]

KINDS = ("state_forces", "rebel_group", "political_militia", "identity_militia", "external_forces",
         "civilians", "protesters", "rioters")
BUILTIN = Path(__file__).parent.parent / "data" / "actors.csv"
_CAPS_WORD = re.compile(r"\b[A-Z][A-Z.]*[A-Z]\b\.?")
# Same-length normalisation, so offsets in the normalised text index the original.
_FOLD = (("’", "'"), ("‘", "'"), ("\n", " "), ("\t", " "), ("\r", " "), ("\u00a0", " "))


_MEMO = 4096        # sentences whose matches are remembered


def _folded(text: str) -> str:
    """`text` normalised by `_FOLD`."""
    return replace_each(text, _FOLD)


@dataclass(frozen=True, slots=True)
class Actor:
    """One actor: its canonical name, ACLED-like kind, home country (ISO alpha-2) and aliases."""

    name: str
    kind: str
    country_code: str | None
    aliases: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("an actor needs a name")
        if self.kind not in KINDS:
            raise ValueError(f"unknown actor kind {self.kind!r}; expected one of: {', '.join(KINDS)}")


@dataclass(frozen=True, slots=True)
class ActorMatch:
    """An alias found in text: [start, end) offsets, the words, and the actor."""

    start: int
    end: int
    text: str
    actor: Actor


def _case_sensitive(alias: str) -> bool:
    return bool(_CAPS_WORD.search(alias))


def read_actors(path: str | Path) -> list[Actor]:
    """Actors from one lexicon CSV; raises InputError (unreadable) or RecordError (bad row)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read actor lexicon {path}: {exc}") from exc
    header_line, columns, records = csv_table(text.splitlines())
    missing = {"actor", "aliases", "kind"} - set(columns)
    if missing:
        raise RecordError(f"missing columns: {', '.join(sorted(missing))}", str(path), header_line or 1)
    return [_actor(dict(zip(columns, cells)), path, line_no) for line_no, cells in records]


def _actor(row: dict[str, str], path: str | Path, line_no: int) -> Actor:
    """One lexicon row as an actor; a bad row raises RecordError naming its file and line."""
    aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
    name = (row.get("actor") or "").strip()
    try:
        return Actor(name, (row.get("kind") or "").strip(),
                     (row.get("country_code") or "").strip().upper() or None, (name, *aliases))
    except ValueError as exc:
        raise RecordError(str(exc), str(path), line_no) from exc


def _leftmost_longest(candidates: list[tuple[int, int, Actor]], sentence: str) -> list[ActorMatch]:
    """The spotted aliases without overlaps, leftmost-longest first, in text order."""
    candidates.sort(key=lambda c: (c[0], c[1]))
    found: list[ActorMatch] = []
    last_end = -1
    for start, neg_len, actor in candidates:
        end = start - neg_len
        if start < last_end:
            continue
        words = sentence[start:end]
        # "Islamic State militants": a common noun right after a named actor is its head, not another actor.
        if found and words.islower() and not sentence[found[-1].end:start].strip():
            last_end = end
            continue
        found.append(ActorMatch(start, end, words, actor))
        last_end = end
    return found


class ActorLexicon:
    """A fast alias matcher (Aho-Corasick over case-folded text) returning canonical actor names."""

    def __init__(self, actors: Iterable[Actor]):
        self._actors: dict[str, Actor] = {}
        for actor in actors:      # later files override earlier ones, alias by alias
            old = self._actors.get(actor.name)
            aliases = tuple(dict.fromkeys((*(old.aliases if old else ()), *actor.aliases)))
            self._actors[actor.name] = Actor(actor.name, actor.kind, actor.country_code, aliases)
        keys: dict[str, list[tuple[str, bool, Actor]]] = {}
        for actor in self._actors.values():
            for alias in actor.aliases:
                folded = " ".join(_folded(alias).split())
                exact = _case_sensitive(folded)
                forms = [folded] if exact or not folded[-1].isalpha() else [folded, folded + "s", folded + "es"]
                for form in forms:
                    keys.setdefault(form.lower(), []).append((form, exact, actor))
        self._automaton = ahocorasick.Automaton()
        for key, values in keys.items():
            self._automaton.add_word(key, (len(key), values))
        if keys:
            self._automaton.make_automaton()
        self._empty = not keys
        self._matches: dict[str, tuple[ActorMatch, ...]] = {}

    @classmethod
    def load(cls, paths: Iterable[str | Path] | None = None, *, builtin: bool = True) -> "ActorLexicon":
        """The built-in lexicon plus extra CSV files (same columns); later files win."""
        actors = read_actors(BUILTIN) if builtin else []
        for path in paths or ():
            actors.extend(read_actors(path))
        return cls(actors)

    def __len__(self) -> int:
        return len(self._actors)

    def __contains__(self, name: object) -> bool:
        return name in self._actors

    def get(self, name: str) -> Actor | None:
        return self._actors.get(name)

    def matches(self, sentence: str) -> list[ActorMatch]:
        """Every actor alias in the sentence, leftmost-longest, without overlaps, in text order.

        Remembered by sentence text: the detector's features and the incident read the same sentence."""
        if self._empty or not sentence:
            return []
        got = self._matches.get(sentence)
        if got is None:
            if len(self._matches) > _MEMO:
                self._matches.clear()
            got = self._matches[sentence] = tuple(self._find_matches(sentence))
        return list(got)

    def _find_matches(self, sentence: str) -> list[ActorMatch]:
        folded = _folded(sentence)
        lowered = folded.lower()
        if len(lowered) != len(folded):       # rare characters whose lower case changes length
            lowered = "".join(c.lower()[0] if c.lower() else c for c in folded)
        return _leftmost_longest(self._spotted(folded, lowered), sentence)

    def _spotted(self, folded: str, lowered: str) -> list[tuple[int, int, Actor]]:
        """(start, -length, actor) of every alias standing as whole words, its case right when it must be."""
        candidates = []
        for end, (length, values) in self._automaton.iter(lowered):
            start = end - length + 1
            if (start > 0 and lowered[start - 1].isalnum()) or (end + 1 < len(lowered) and lowered[end + 1].isalnum()):
                continue
            for form, exact, actor in values:
                if not exact or folded[start:end + 1] == form:
                    candidates.append((start, -length, actor))
                    break
        return candidates

    def find(self, sentence: str) -> tuple[str, ...]:
        """Canonical names of the actors in the sentence, in order of first appearance.

        >>> lex = ActorLexicon.load()
        >>> lex.find("Iraqi troops backed by the U.S.-led coalition fought IS militants in Mosul.")
        ('Military Forces of Iraq', 'U.S.-led coalition', 'Islamic State')
        >>> lex.find("This is what the police said.")
        ('Police',)
        """
        return tuple(dict.fromkeys(m.actor.name for m in self.matches(sentence)))
