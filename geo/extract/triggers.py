"""Trigger phrases and context cues: the rule files compiled, and matched against sentences.

`geo/data/triggers.csv` says which words denote which incident type; `geo/data/cues.csv` gives
the context that cancels or weakens a trigger, and the words around a place mention that make it
no incident's place. The syntax of both is in the header of triggers.csv; see docs/incidents.md.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from gazetteer.datafiles import csv_table
from geo.errors import UsageError
from geo.extract.taxonomy import Taxonomy, family_wins
from geo.read.text import Sentence

__all__ = ["WORD_START", "Caseless", "Hit", "Rules", "clause_of", "compile_pattern", "prefix_tree"]

DATA = Path(__file__).parent.parent / "data"
# Clause boundaries; "and" counts only before a new subject and its verb ("... in March and an aid
# worker was detained in Ankara"), not between two nouns.
_CLAUSE = re.compile(r"[;:,()“”\"—–]|\b(?:but|while|whereas|after|before|when|because|although|though|"
                     r"which|who|where)\b|\bthat\b(?=\s+(?:was|were|had|has|have|is|are)\b)"
                     r"|\band\b(?=(?:\s+[\w'’-]+){1,4}?\s+(?:was|were|is|are|has|have|had)\b)",
                     re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w'’]*")
# Where a word may start: no letter, digit or apostrophe before it. Trigger words and the detector's pre-filter
# words are found as this and a prefix tree (`prefix_tree`).
WORD_START = r"(?<![\w'’])"
# What case-insensitive matching takes for a lower-case ASCII letter: the letter, its capital and four more
# characters (the regex engine's case folding; tests/test_triggers.py checks every code point).
_ALSO_ASCII_LETTERS = (("\u0130", "i"), ("\u0131", "i"), ("\u017f", "s"), ("\u212a", "k"))
# ASCII capitals to lower case, every other byte kept: in UTF-8 the bytes of a non-ASCII character are all
# 0x80 or above, so lowering bytes lowers exactly the ASCII capitals.
_LOWER_ASCII_BYTES = bytes.maketrans(bytes(range(ord("A"), ord("Z") + 1)), bytes(range(ord("a"), ord("z") + 1)))


class Caseless:
    """A case-insensitive regex. One whose literals are lower-case ASCII (and ’) runs without case folding on
    the text folded once (`fold`): the same matches at the same offsets, several times faster on long text."""

    def __init__(self, pattern: str):
        self.regex = re.compile(pattern, re.IGNORECASE)
        literals = re.sub(r"\\.", "", pattern).replace("’", "")
        plain = literals.isascii() and not re.search(r"[A-Z]", literals) and not re.search(r"\\[xuUN0-9]", pattern)
        self._plain = re.compile(pattern) if plain else None

    @staticmethod
    def fold(text: str) -> str:
        """`text` with every character that case-insensitively matches a lower-case ASCII letter made that letter."""
        if text.isascii():
            return text.lower()
        # str.translate is slow on text that is not all ASCII: the capitals through its UTF-8 bytes (about three
        # times faster than replacing each run of them by the regex engine), the rest by replace. A lone
        # surrogate (text from JSON may hold one) passes through unchanged.
        folded = text.encode("utf-8", "surrogatepass").translate(_LOWER_ASCII_BYTES).decode("utf-8", "surrogatepass")
        for char, letter in _ALSO_ASCII_LETTERS:
            if char in folded:
                folded = folded.replace(char, letter)
        return folded

    def search(self, text: str, folded: str | None = None) -> re.Match | None:
        """`self.regex.search(text)`; `folded` may give `fold(text)`, computed once for several regexes."""
        if self._plain is None:
            return self.regex.search(text)
        return self._plain.search(self.fold(text) if folded is None else folded)

    def search_from(self, text: str, folded: str, pos: int) -> re.Match | None:
        """`self.regex.search(text, pos)`, with `folded` giving `fold(text)`."""
        if self._plain is None:
            return self.regex.search(text, pos)
        return self._plain.search(folded, pos)

    def finditer_folded(self, text: str, folded: str):
        """`self.regex.finditer(text)`, with `folded` giving `fold(text)`."""
        if self._plain is None:
            return self.regex.finditer(text)
        return self._plain.finditer(folded)

    def finditer(self, text: str, start: int, end: int):
        """`self.regex.finditer(text, start, end)`, offsets in `text`."""
        if self._plain is None:
            return self.regex.finditer(text, start, end)
        return self._plain.finditer(self.fold(text), start, end)


def compile_pattern(pattern: str) -> str:
    """The regex for one trigger/cue pattern (see the header of triggers.csv).

    >>> bool(re.fullmatch(compile_pattern("air strike*|airstrike*"), "air-strikes", re.I))
    True
    >>> bool(re.fullmatch(compile_pattern("suicide ~2 bomb*"), "suicide car bombs", re.I))
    True
    """
    parts = re.split(r"\s+~(\d+)\s+", pattern.strip())
    if not parts[0] or not parts[-1] or any(not p.strip() for p in parts[::2]):
        raise ValueError(f"bad pattern {pattern!r}: empty slot or gap at an end")
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(rf"(?:[^\w;:]+\w+){{0,{int(part)}}}?[^\w;:]+")
            continue
        phrases = sorted((p.split() for p in part.split("|") if p.strip()), key=len, reverse=True)
        if not phrases:
            raise ValueError(f"bad pattern {pattern!r}: empty alternative")
        out.append("(?:" + "|".join(r"[\s-]+".join(map(_word, words)) for words in phrases) + ")")
    return r"(?<![\w])" + "".join(out) + r"(?![\w])"


def _word(token: str) -> str:
    token = token.lower().replace("’", "'")
    if token.endswith("*"):
        return re.escape(token[:-1]) + r"\w*"
    return re.escape(token).replace("'", "['’]")


@dataclass(frozen=True, slots=True)
class _Trigger:
    regex: re.Pattern[str]
    type: str                    # taxonomy name, or "-" for a blocker
    strength: float
    pattern: str


@dataclass(frozen=True, slots=True)
class Hit:
    """A trigger found in a sentence."""

    type: str
    strength: float
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class _Cue:
    regex: re.Pattern[str]
    kind: str
    scope: str
    window: int


class Rules:
    """Compiled triggers and context cues."""

    def __init__(self, triggers: list[_Trigger], cues: list[_Cue]):
        self.triggers = triggers
        self.cues = cues
        self._first: list[tuple[str, bool, int]] = []   # (word, is_stem, trigger index)
        for n, t in enumerate(triggers):
            for phrase in re.split(r"\s+~\d+\s+", t.pattern)[0].split("|"):
                word = phrase.split()[0].lower().replace("’", "'")
                stem = word.endswith("*")
                self._first.append((word.rstrip("*"), stem, n))
        self._exact: dict[str, list[tuple[str, bool, int]]] = {}
        self._stems: dict[str, list[tuple[str, bool, int]]] = {}
        self._short: list[tuple[str, bool, int]] = []
        for entry in self._first:
            word, stem, _ = entry
            if not stem:
                self._exact.setdefault(word, []).append(entry)
            elif len(word) >= 3:
                self._stems.setdefault(word[:3], []).append(entry)
            else:
                self._short.append(entry)
        self._candidates: dict[str, tuple[int, ...]] = {}
        # One pass of a prefix-tree regex finds the words that can start a trigger.
        stems: dict[str, bool] = {}
        for w, stem, _ in self._first:      # "airstrike*|airstrike": the word opens a trigger with any ending
            stems[w] = stems.get(w, False) or stem
        tree = prefix_tree(stems)
        self._tree = tree
        self._starts = re.compile(r"(?i)" + WORD_START + tree)
        self._starts_lower = re.compile(WORD_START + tree)     # on lower-cased text: no case folding
        self._joint: dict[str, re.Pattern[str]] = {}        # see `word_starts_with`
        # Blockers ("house arrest", "trade war") start on common words but matter only beside a
        # trigger: where incidents may be is found from trigger words alone.
        self._opens: dict[str, bool] = {}
        # Cues of one kind, scope and window are searched as one alternation: one regex call, not dozens.
        grouped: dict[tuple[str, str, int], list[str]] = {}
        for c in cues:
            grouped.setdefault((c.kind, c.scope, c.window), []).append(c.regex.pattern)
        self._by: dict[tuple[str, str], list[_Cue]] = {}
        for (kind, scope, window), patterns in grouped.items():
            merged = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
            self._by.setdefault((kind, scope), []).append(_Cue(merged, kind, scope, window))
        # The same cues run on text folded once (`Caseless`): the same matches, without case folding per character.
        self._caseless = {key: [Caseless(c.regex.pattern) for c in cues] for key, cues in self._by.items()
                          if key[1] != "article"}
        self._windows = {key: [c.window for c in cues] for key, cues in self._by.items()}
        self._windows_found: dict[tuple[str, str, str], bool] = {}     # see `_windowed`
        self._last_fold = ("", "")          # (text, its fold): the kinds of cue asked of one sentence in a row
        self._in_sentence: dict[tuple[str, str], bool] = {}
        self._cues: dict[tuple[str, str, int, int], tuple[str, bool]] = {}     # see `cue`
        # Article-wide cues run over whole articles, long ones too: folded text, no case folding per character.
        self._in_article = {kind: [Caseless(c.regex.pattern) for c in cues]
                            for (kind, scope), cues in self._by.items() if scope == "article"}

    @classmethod
    @cache
    def load(cls, triggers: str | None = None, cues: str | None = None) -> "Rules":
        """Rules from the bundled files or the given paths; a bad file raises UsageError."""
        tpath = Path(triggers) if triggers else DATA / "triggers.csv"
        cpath = Path(cues) if cues else DATA / "cues.csv"
        trig = [_Trigger(re.compile(compile_pattern(r["pattern"]), re.IGNORECASE), r["type"],
                         float(r["strength"] or 0), r["pattern"])
                for r in _rows(tpath, ("pattern", "type", "strength"))]
        cue = [_Cue(re.compile(compile_pattern(r["cue"]), re.IGNORECASE), r["kind"], r["scope"], int(r["window"] or 0))
               for r in _rows(cpath, ("cue", "kind", "scope", "window"))]
        return cls(trig, cue)

    def check(self, taxonomy: Taxonomy) -> None:
        """Raise UsageError if a trigger names a type the taxonomy lacks."""
        for t in self.triggers:
            if t.type != "-" and t.type not in taxonomy:
                raise UsageError(f"trigger {t.pattern!r} has type {t.type!r}, which the taxonomy does not define")

    def starts(self, text: str, start: int, end: int) -> list[int]:
        """Offsets in text[start:end] of the words that may begin a trigger or a blocker, in order."""
        return self.word_starts(text, start, end)[0]

    def word_starts(self, text: str, start: int, end: int) -> tuple[list[int], bool]:
        """`starts()`, and whether they were found in the text lower-cased (no letter of it lower-cases to two
        characters): then those of a stretch between two spaces are its own (`stretch_starts`)."""
        folded, lowered = self._starts, self._starts_lower
        # Lower-cased, the regex needs no case folding; the character before `start` keeps the
        # word-start test right at the edge.
        lo = max(0, start - 1)
        low = text[lo:end].lower()
        if len(low) != end - lo:          # a few letters lower-case to two characters: offsets would shift
            return [m.start() for m in folded.finditer(text, start, end)], False
        return [m.start() + lo for m in lowered.finditer(low, start - lo)], True

    def word_starts_with(self, text: str, start: int, end: int, other: Caseless) -> tuple[list[int], bool, list[int]]:
        """`word_starts(text, start, end)` and the starts of `other.finditer(text, start, end)`, for `other` a word
        start too (`WORD_START` and a prefix tree, as the event detector's pre-filter is): one pass over the text
        finds both where lower-casing the text reads it as `other`'s folding does.

        Each regex is tried where the other matches too, inside look-aheads that keep its match's end, and a
        start inside its own previous match is passed over: the very matches each `finditer` gives alone.
        """
        tree = _word_start_tree(other)
        lo = max(0, start - 1)
        low = text[lo:end].lower()
        # Lower-casing keeps every character's class and makes no other ASCII letter than folding does (checked
        # per code point in the tests) except where it changes the length or leaves these two, which fold to i and s.
        if tree is None or len(low) != end - lo or "\u0131" in low or "\u017f" in low:
            every, lowered = self.word_starts(text, start, end)
            return every, lowered, [m.start() for m in other.finditer(text, start, end)]
        joint = self._joint.get(tree)
        if joint is None:
            joint = self._joint[tree] = re.compile(
                WORD_START + f"(?:(?=({self._tree}))(?:(?=({tree}))|)|(?=({tree})))")
        mine, theirs = [], []
        mine_to = theirs_to = 0         # where each one's previous match ended
        for m in joint.finditer(low, start - lo):
            at = m.start()
            if (to := m.end(1)) >= 0 and at >= mine_to:
                mine.append(at + lo)
                mine_to = to
            if ((to := m.end(2)) >= 0 or (to := m.end(3)) >= 0) and at >= theirs_to:
                theirs.append(at + lo)
                theirs_to = to
        return mine, True, theirs

    @staticmethod
    def stretch_starts(text: str, starts: Sequence[int], start: int, end: int) -> list[int] | None:
        """`starts(text[start:end], 0, end - start)` taken from the `word_starts` of a longer text that were found
        lower-cased, or None if the stretch does not stand between spaces (or the ends of `text`): a word that
        runs across its edge is a word start, or none, only in the longer text."""
        if (start > 0 and not text[start - 1].isspace()) or (end < len(text) and not text[end].isspace()):
            return None
        return [p - start for p in starts[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]]

    def trigger_starts(self, text: str, starts: Sequence[int]) -> list[int]:
        """Those of `starts` (from `starts()`) that may begin a trigger, not only a blocker."""
        out = []
        for pos in starts:
            m = _WORD.match(text, pos)
            if m is not None and self._opens_trigger(m.group(0)):
                out.append(pos)
        return out

    def _opens_trigger(self, word: str) -> bool:
        got = self._opens.get(word)
        if got is None:
            got = self._opens[word] = any(self.triggers[n].type != "-" for n in self._candidates_for(word))
        return got

    def hits(self, text: str, start: int, end: int, starts: Sequence[int] | None = None) -> list[Hit]:
        """Triggers in text[start:end] after blockers and overlaps are resolved (longest wins).

        `starts` may give `self.starts(text, ...)` for a stretch holding [start, end), computed once.
        """
        found: list[tuple[int, int, _Trigger]] = []
        if starts is None:
            starts = self.starts(text, start, end)
        for pos in starts[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]:
            m = _WORD.match(text, pos, end)
            if m is None:
                continue
            cands = self._candidates_for(m.group(0))
            for n in cands:
                t = self.triggers[n]
                mm = t.regex.match(text, m.start(), end)
                if mm:
                    found.append((mm.start(), mm.end(), t))
        if not found:
            return []
        # A trigger of a type that wins its family ("chemical bomb" inside "chemical bomb was dropped") keeps
        # its words; otherwise the longest trigger does.
        wins = _winning_types()
        found.sort(key=lambda f: (f[2].type not in wins, -(f[1] - f[0]), f[0]))
        kept: list[tuple[int, int, _Trigger]] = []
        for s, e, t in found:
            if all(e <= ks or ke <= s for ks, ke, _ in kept):
                kept.append((s, e, t))
        return sorted((Hit(t.type, t.strength, s, e, text[s:e]) for s, e, t in kept if t.type != "-"),
                      key=lambda h: h.start)

    def _candidates_for(self, word: str) -> tuple[int, ...]:
        key = word.lower().replace("’", "'")
        got = self._candidates.get(key)
        if got is None:
            pool = self._exact.get(key, []) + self._stems.get(key[:3], []) + self._short
            got = tuple(sorted({n for w, stem, n in pool if (key.startswith(w) if stem else key == w)}))
            self._candidates[key] = got
        return got

    def cue(self, kind: str, text: str, sentence: Sentence, hit: Hit) -> bool:
        """True if a cue of `kind` applies to `hit` (within its window, clause or sentence).

        Remembered for the sentence: the detector's features ask of a sentence alone what the decision then
        asks of it in its article. The answer is the same where the sentence follows a space (or starts the
        text): every search reads no further than the sentence's ends but for the character before it (a word
        boundary, a lookbehind), which is then not a word character either way. Kept with the sentence
        string itself, so another article's identical sentence asks anew.
        """
        start = sentence.start
        if start and not text[start - 1].isspace():
            return self._cue(kind, text, sentence, hit)
        key = (kind, sentence.text, hit.start - start, hit.end - start)
        got = self._cues.get(key)
        if got is not None and got[0] is sentence.text:
            return got[1]
        if len(self._cues) > 4096:
            self._cues.clear()
        found = self._cue(kind, text, sentence, hit)
        self._cues[key] = (sentence.text, found)
        return found

    def _cue(self, kind: str, text: str, sentence: Sentence, hit: Hit) -> bool:
        key = (kind, sentence.text)
        found = self._in_sentence.get(key)
        if found is None:
            if len(self._in_sentence) > 4096:
                self._in_sentence.clear()
            found = self._in_sentence[key] = self._in_whole(kind, text, sentence)
        if found:
            return True
        before, after = self._caseless.get((kind, "before"), ()), self._caseless.get((kind, "after"), ())
        if not before and not after:
            return False
        clause_start, clause_end = clause_of(text, sentence, hit)
        start = clause_start if kind != "state" else sentence.start
        return (bool(before) and self._windowed(kind, "before", text[start:hit.start])) or (
            bool(after) and self._windowed(kind, "after", text[hit.end:clause_end]))

    def _windowed(self, kind: str, side: str, words_text: str) -> bool:
        """True if a cue of `kind` and scope `side` ("before": the last words of `words_text`; "after": the first)
        lies within its window. Remembered by text: the words around triggers repeat ("a car bomb killed")."""
        key = (kind, side, words_text)
        found = self._windows_found.get(key)
        if found is None:
            if len(self._windows_found) > 4096:
                self._windows_found.clear()
            words = _words(words_text)      # split once for every window
            cut = _last_words if side == "before" else _first_words
            found = self._windows_found[key] = any(
                c.search(cut(words, w)) for w, c in zip(self._windows[kind, side], self._caseless[kind, side]))
        return found

    def _in_whole(self, kind: str, text: str, sentence: Sentence) -> bool:
        """True if a cue of `kind` with scope `sentence` occurs in the sentence (`regex.search(text, start, end)`)."""
        cues = self._caseless.get((kind, "sentence"))
        if not cues:
            return False
        lo = max(0, sentence.start - 1)       # a cue's look-behind reads the character before the sentence
        stretch = text[lo:sentence.end]
        last, folded = self._last_fold
        if stretch != last:
            folded = Caseless.fold(stretch)
            self._last_fold = (stretch, folded)
        return any(c.search_from(stretch, folded, sentence.start - lo) for c in cues)

    def in_article(self, kind: str, text: str, folded: str | None = None) -> bool:
        """True if a cue of `kind` with scope `article` occurs anywhere in `text` (`folded`: its `Caseless.fold`)."""
        return self.count_in_article(kind, text, folded, enough=1) > 0

    def count_in_article(self, kind: str, text: str, folded: str | None = None, enough: int | None = None) -> int:
        """How many times cues of `kind` with scope `article` occur in `text` (`folded`: its `Caseless.fold`);
        with `enough`, counting stops there (the answer is then `enough`)."""
        cues = self._in_article.get(kind, ())
        if not cues:
            return 0
        folded = Caseless.fold(text) if folded is None else folded
        found = 0
        for cue in cues:
            for _ in cue.finditer_folded(text, folded):
                found += 1
                if found == enough:
                    return found
        return found

    def in_text(self, kind: str, text: str) -> bool:
        """True if a cue of `kind` with scope `sentence` occurs anywhere in `text` (a title or a sentence read alone,
        with no trigger to place a window around)."""
        return self._in_whole(kind, text, Sentence(0, len(text), text, 0, 0))

    def around(self, kind: str, text: str, start: int, end: int) -> bool:
        """True if a cue of `kind` lies within its window before or after text[start:end] (any span)."""
        before, after = self._caseless.get((kind, "before"), ()), self._caseless.get((kind, "after"), ())
        return (bool(before) and self._windowed(kind, "before", text[max(0, start - 120):start])) or (
            bool(after) and self._windowed(kind, "after", text[end:end + 120]))


def _word_start_tree(regex: Caseless) -> str | None:
    """The prefix tree of a `Caseless` word-start regex (`WORD_START` and a tree without groups of its own) that
    runs on folded text; None for any other."""
    plain = regex._plain
    if plain is None or not plain.pattern.startswith(WORD_START) or plain.groups:
        return None
    return plain.pattern[len(WORD_START):]


def prefix_tree(words: dict[str, bool]) -> str:
    """A regex matching any of `words` (True: as a prefix; False: as a whole word), factored by prefix."""
    root: dict = {}
    for word, stem in words.items():
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = node.get("", False) or stem

    def emit(node: dict) -> str:
        alts = [("['’]" if ch == "'" else re.escape(ch)) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if "" in node:
            alts.append("" if node[""] else r"(?![\w'’])")
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(root)


def _rows(path: Path, need: tuple[str, ...]) -> list[dict[str, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read rules file: {exc}") from exc
    header_line, header, records = csv_table(text.splitlines())
    if not header_line:
        raise UsageError(f"{path}: rules file is empty")
    if any(c not in header for c in need):
        raise UsageError(f"{path}:{header_line}: header must have columns {', '.join(need)}")
    rows = []
    for n, cells in records:
        row = dict(zip(header, (c.strip() for c in cells)))
        try:
            compile_pattern(row[need[0]])
            float(row.get("strength") or 0), int(row.get("window") or 0)
        except (ValueError, KeyError, TypeError) as exc:
            raise UsageError(f"{path}:{n}: {exc}") from exc
        rows.append(row)
    return rows


def clause_of(text: str, sentence: Sentence, hit: Hit) -> tuple[int, int]:
    """Start and end of the clause around `hit` (memoised: every cue of a hit asks for it)."""
    key = (sentence.text, sentence.start, hit.start, hit.end)
    got = _CLAUSES.get(key)
    if got is None:
        if len(_CLAUSES) > 4096:
            _CLAUSES.clear()
        got = _CLAUSES[key] = _find_clause(text, sentence, hit)
    return got


_CLAUSES: dict[tuple[str, int, int, int], tuple[int, int]] = {}


def _find_clause(text: str, sentence: Sentence, hit: Hit) -> tuple[int, int]:
    start = sentence.start
    for m in _CLAUSE.finditer(text, max(sentence.start, hit.start - 200), sentence.end):
        if m.start() >= hit.start:      # the look-ahead after "and" may read past the trigger
            break
        start = m.end()
    after = _CLAUSE.search(text, hit.end, sentence.end)
    return start, (after.start() if after else sentence.end)


def _words(text: str) -> list[str]:
    """The words of a cue window; the month in a date ("the May 31 truck bomb", "in May 2017") is no modal "may"."""
    text = text.replace("’", "'")
    if "May" in text:
        text = _MONTH_MAY.sub("Mayday", text)
    return text.split()


# "May" before a day or a year: the month, which a cue must not read as the modal "may".
_MONTH_MAY = re.compile(r"\bMay(?=\s+(?:\d{1,2}(?!\d)|(?:19|20)\d\d))")


def _last_words(words: list[str], n: int) -> str:
    """The last `n` of `words` (from `_words`), joined: the window a `before` cue reads."""
    return " ".join(words[-n:]) if n else ""


def _first_words(words: list[str], n: int) -> str:
    """The first `n` of `words`, joined: the window an `after` cue reads."""
    return " ".join(words[:n]) if n else ""


@cache
def _winning_types() -> frozenset[str]:
    """Types that type their family's incident whenever a trigger of theirs tells it (families.csv `wins`)."""
    return frozenset(t for types in family_wins().values() for t in types)
