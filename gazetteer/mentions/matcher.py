"""Finding place mentions in text: multi-pattern matching over every gazetteer key, plus guards.

Matching runs on a normalised copy of the text (see `textmap`), so `text[m.start:m.end]` is the
original surface form. A key only matches at word boundaries; a mention must be capitalised;
common words, people's names and organisations named after places are filtered out by rules
driven from the word lists in `gazetteer/data`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import itemgetter

import ahocorasick

from gazetteer.mentions.accept import Spot, Surface, accepts, surface_info
from gazetteer.mentions.annotate import _annotate
from gazetteer.mentions.cache import read_cache, write_cache
from gazetteer.mentions.keys import (
    _ALIAS_SHIFT,
    _BUCKET_BITS,
    _BUCKET_MASK,
    _LENGTH_BITS,
    _WHERE_ANY,
    _WHERE_CONTAINER,
    _WHERE_DEMONYM,
    _add_keys,
    _add_listed,
    _bucket,
    _value,
)
from gazetteer.mentions.lexicon import Lexicon, load_lexicon
from gazetteer.mentions.patterns import (  # the matcher's own patterns, kept apart for size
    _COMMA,
    _COMPOUND,
    _COMPOUND_SLOT_AFTER,
    _COMPOUND_SLOT_BEFORE,
    _DEMONYM_END,
    _HYPHEN_WORD,
    _LEVEL_AFTER,
    _NAME_AT_END,
    _NEXT_WORD,
    _PART_BEFORE,
    _SENT_END,
    _SLOT_BEFORE,
    _SLOT_PREP,
    _article_prefix,
    _cap_word,
    _dateline_heads,
    _dateline_spans,
    _in_spans,
    _named_level,
    _person_run,
    _prev_word,
    _restore_apostrophes,
    _slot_names,
)
from gazetteer.mentions.textmap import normalize_text
from gazetteer.model import Mention
from gazetteer.names import normalize

__all__ = ["Matcher", "MATCHER_FORMAT"]

MATCHER_FORMAT = 9      # 9: read with an unpickler that builds only the automaton
_SORT_KEY = itemgetter(0, 1)   # by start, then longest first; ties keep the automaton's order
_NEVER_A_SURNAME = 14   # a place this important (countries and the like) is never dropped as a person's name
_PART_REACH = 14        # a part word and its space fit in this many characters ("Northwestern ")
_SURFACE_MEMO = 100_000   # surface forms remembered before the memo starts again
_NAME_REACH = 60        # a name of up to three words before a level word ("Abdul Khil camp") fits in this many characters


class Matcher:
    """Finds place mentions; build once from the index keys, then `find` per text."""

    def __init__(self, automaton, aliases: list[tuple[str, int]], build_id: str = "", lexicon: Lexicon | None = None,
                 alias_keys: dict[str, str] | None = None):
        self._auto = automaton
        self._aliases = aliases          # alias id -> (gazetteer key, where)
        self.alias_keys = alias_keys or {}   # article-less form -> indexed key ("anbar" -> "al anbar")
        self.build_id = build_id
        self.lex = lexicon or load_lexicon()
        self.skeleton_lookup: Callable[[str], bool] | None = None
        self.min_bucket = 8     # importance bucket below which a one-word name needs a place slot
        self.major_bucket = 11  # provinces, countries and cities of about 300,000 and more
        self.demonyms = False   # report "Iraqi", "Russians" as mentions of their country (source "demonym")
        self._surfaces: dict[str, Surface] = {}
        # Words that open a person's name: titles and first names ("Queen Elizabeth", "Talib Shaghati").
        self.person_leads = self.lex.titles | self.lex.first_names

    # ----------------------------------------------------------------- building / caching
    @classmethod
    def build(cls, keys: Iterable[tuple[str, float]], *, build_id: str = "", lexicon: Lexicon | None = None) -> "Matcher":
        """An automaton over `(key, importance)` pairs plus article-less and data-file variants."""
        lex = lexicon or load_lexicon()
        auto = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        aliases: list[tuple[str, int]] = []
        seen, stripped = _add_keys(auto, keys, lex)
        alias_keys = {}
        for alias, (key, imp) in stripped.items():
            if alias not in seen:
                alias_keys[alias] = key
                aliases.append((key, _WHERE_ANY))
                auto.add_word(f" {alias} ", _value(len(aliases), len(alias), _bucket(imp)))
        _add_listed(auto, aliases, lex, seen)
        auto.make_automaton()
        return cls(auto, aliases, build_id, lex, alias_keys)

    def save(self, path: str) -> None:
        """Persist next to the index (atomically), keyed by the index build id (`gazetteer.mentions.cache`)."""
        write_cache(path, (MATCHER_FORMAT, self.build_id, self._aliases, self.alias_keys, self._auto))

    @classmethod
    def load(cls, path: str, build_id: str) -> "Matcher | None":
        """The saved matcher if it was built from the same index, else None (also for a damaged file).

        The cache folder may be writable by others (a shared team folder, /tmp): the file is read
        with an unpickler that builds nothing but the automaton, so it can never run code.
        """
        got = read_cache(path)
        if got is None or len(got) != 5:
            return None
        fmt, bid, aliases, alias_keys, auto = got
        if fmt != MATCHER_FORMAT or bid != build_id or not isinstance(auto, ahocorasick.Automaton) \
                or not isinstance(aliases, list) or not isinstance(alias_keys, dict):
            return None
        return cls(auto, aliases, bid, alias_keys=alias_keys)

    # ----------------------------------------------------------------- finding
    def annotate(self, text: str, mentions: Sequence[Mention]) -> list[Mention]:
        """Mentions found elsewhere (gold spans, a user's NER), in text order, with the container the
        text names after each ("Paris, Idaho"); their level hints stay as given (a level word after a
        span found elsewhere is as often an adjective's noun: "a Georgian town", "U.S. city")."""
        given = sorted(mentions, key=lambda m: (m.start, m.end))
        return [Mention(m.start, m.end, m.text, m.source, m.hint, a.container) if a.container != m.container else m
                for m, a in zip(given, _annotate(text, given, self.lex))]

    def find(self, text: str, *, skip: Sequence[tuple[int, int]] = (), dateline_places: Sequence[str] = ()) -> list[Mention]:
        """Place mentions in `text`, in order, non-overlapping, longest match first."""
        dateline = _dateline_spans(text, dateline_places)
        heads = dateline + _dateline_heads(text)
        chosen, major_at = self._choose(text, self._hits(text), skip, dateline, heads)
        chosen = self._slot_mentions(text, chosen, skip)
        if "-" in text:
            chosen = _whole_compounds(text, chosen)
        people = self._person_words(text)
        if people:
            chosen = [m for m in chosen if m.source == "dateline" or m.start in major_at or m.text not in people]
        chosen.extend(self._dateline_mentions(text, chosen, dateline))
        chosen.sort(key=lambda m: m.start)
        return _annotate(text, chosen, self.lex)

    def _hits(self, text: str) -> list[tuple[int, int, int, int, int]]:
        """Every capitalised key in `text`: (start, -end, end, importance bucket, alias id), by start, longest first."""
        # Lower-case words cannot start a mention; masking their first letter keeps the automaton
        # from reporting every key that prefixes them (same length, so offsets are unchanged).
        # "Cox s Bazar", "Syria s Idlib": a possessive whose apostrophe was lost (the ISOT Reuters
        # texts) is read as "Cox's", so its "s" is not masked as a lower-case word. Same length.
        nt = normalize_text(_restore_apostrophes(text), mask_lower=True)
        padded = " " + nt.text + " "
        raw: list[tuple[int, int, int, int, int]] = []
        breaks, shifts = nt._breaks, nt._shifts   # NormText.orig, inlined: this loop is the hottest
        for end, value in self._auto.iter(padded):
            # Keys are stored as " key ", so every hit is a whole word sequence; padded index
            # `end` is the trailing space, i.e. the exclusive end of the key in nt.text + 1.
            nend = end - 1
            nstart = nend - ((value & _LENGTH_BITS) >> _BUCKET_BITS)
            if breaks:
                k = bisect_right(breaks, nstart) - 1
                ostart = nstart + shifts[k] if k >= 0 else nstart
                k = bisect_right(breaks, nend - 1) - 1
                oend = nend + shifts[k] if k >= 0 else nend
            else:
                ostart, oend = nstart, nend
            if text[ostart].isupper():
                raw.append((ostart, -oend, oend, value & _BUCKET_MASK, value >> _ALIAS_SHIFT))
        raw.sort(key=_SORT_KEY)
        return raw

    def _choose(self, text: str, raw, skip, dateline, heads) -> tuple[list[Mention], set[int]]:
        """The hits that are mentions, longest first where they overlap; and where the major places start."""
        chosen: list[Mention] = []
        major_at: set[int] = set()   # countries and the like: never taken for a surname
        last_end = -1
        for start, _, end, bucket, alias in raw:
            if start < last_end or (skip and _in_spans(start, end, skip)):
                continue
            if dateline and any(a <= start < b and (a, b) != (start, end) for a, b in dateline):
                continue  # a word inside a longer dateline name ("KHIL" in "ABDUL KHIL")
            m = self._mention(text, start, end, bucket, alias, chosen, heads, last_end)
            if m is None:
                continue
            chosen.append(m)
            if bucket >= _NEVER_A_SURNAME and m.source != "demonym":
                major_at.add(m.start)
            last_end = m.end
        return chosen, major_at

    def _mention(self, text: str, start: int, end: int, bucket: int, alias: int, chosen: list[Mention], heads,
                 last_end: int) -> Mention | None:
        """The mention a hit makes, with its level word, full stop or part word; None if it is none."""
        source = "dateline" if heads and _in_spans(start, end, heads) else "gazetteer"
        if source == "dateline" and bucket < self.major_bucket and not self._head_place(text, start, end, heads):
            return None  # "ZONE" in "DEMILITARIZED ZONE", "MAIN" in "MAIN STORY -"
        if alias:
            where = self._aliases[alias - 1][1]
            if where == _WHERE_CONTAINER and not (chosen and _COMMA.search(text, chosen[-1].end, start)):
                return None
            if where == _WHERE_DEMONYM:
                return self._demonym(text, start, end)
        end_at = self._extent(text, start, end, bucket, alias, source, chosen)
        if end_at is None:
            return None
        if source == "gazetteer":
            start = self._part_start(text, start, last_end)
        return Mention(start, end_at, text[start:end_at], source)

    def _demonym(self, text: str, start: int, end: int) -> Mention | None:
        """"Iraqi", "Russians" as a mention of their country, when asked for and not a language."""
        if self.demonyms and (end >= len(text) or not text[end].isalnum()) and not self._language(text, start, end):
            return Mention(start, end, text[start:end], "demonym")
        return None

    def _extent(self, text: str, start: int, end: int, bucket: int, alias: int, source: str, chosen: list[Mention]) -> int | None:
        """Where the mention ends: after a level word that is part of its name or its own full stop;
        None if the rules (`gazetteer.mentions.accept`) say it is no mention."""
        named = _named_level().match(text, end)
        if named and named.group(1).lower() in self.lex.road_words and _cap_word().match(text, named.end()):
            named = None   # "Florida Highway Patrol": the place is Florida, the rest an agency
        if named and named.group(1).lower() in self.lex.level_words:
            return named.end()   # "Laurel County", "Neches River": the level word is part of the name.
        surface = text[start:end]
        if end < len(text) and text[end] == "." and ("." in surface or self._is_container_abbreviation(text, surface, alias, chosen, start)):
            return end + 1   # "U.S.", "W.Va.": the abbreviation's own full stop
        if not self._accept(text, start, end, surface, bucket, source, chosen[-1].end if chosen else -1):
            return None
        return end

    def _part_start(self, text: str, start: int, last_end: int) -> int:
        """Where a mention starts with the part word before it: "Eastern Ghouta", "South Los Angeles"."""
        part = _PART_BEFORE.search(text, max(last_end, start - _PART_REACH), start)
        if part and part.group(1).lower() in self.lex.part_words and (part.start() == 0 or not text[part.start() - 1].isalnum()):
            return part.start()
        return start

    def _accept(self, text: str, start: int, end: int, surface: str, bucket: int, source: str,
                prev_end: int = -1) -> bool:
        info = self._surfaces.get(surface)
        if info is None:
            info = self._surface_info(surface)
        return accepts(Spot(self, text, start, end, surface, bucket, source, prev_end, info))

    def _language(self, text: str, start: int, end: int) -> bool:
        """True if the demonym at text[start:end] names a language ("English language", "learned French").

        Only languages: the gold corpora also tag demonyms inside names ("American Red Cross",
        "African-American"), and dropping those cost more recall than it gained precision.
        """
        after = _NEXT_WORD.match(text, end) or _HYPHEN_WORD.match(text, end)
        if after and after.group(1) in self.lex.language_after:
            return True
        prev = _prev_word(text[max(0, start - 40):start])
        return prev is not None and prev[1].lower() in self.lex.language_before

    def _surface_info(self, surface: str) -> Surface:
        """What `_accept` needs to know about a surface form regardless of where it stands (memoised)."""
        info = surface_info(surface, self.lex, _demonym_key)
        if len(self._surfaces) >= _SURFACE_MEMO:
            self._surfaces.clear()
        self._surfaces[surface] = info
        return info

    def _is_container_abbreviation(self, text: str, surface: str, alias: int, chosen: list[Mention], start: int) -> bool:
        """'Calif.' right after 'Los Angeles, ': an AP state abbreviation with its full stop."""
        if alias and self._aliases[alias - 1][1] == _WHERE_CONTAINER:
            return True
        v = self.lex.variants.get(normalize(surface))
        return bool(v and v[1] == "container" and chosen and _COMMA.search(text, chosen[-1].end, start))

    def _person_words(self, text: str) -> set[str]:
        """Surnames in this text: capitalised words after a title or first name ("Talib Shaghati")."""
        out: set[str] = set()
        lead = self.person_leads
        for m in _person_run().finditer(text):
            head = m.group(1)
            if head.endswith(".") and len(head) > 5:
                continue   # "Ministry of Justice. Azerbaijan has": a sentence ends there
            words = [head, *m.group(2).split()]
            # The person starts at the first title or first name of the run: "Circuit Court Judge Casey Manning".
            i = next((k for k, w in enumerate(words[:-1]) if w.rstrip(".").lower() in lead), None)
            if i is None:
                continue
            rest = words[i + 1:]
            while rest and (rest[0].rstrip(".").lower() in lead or len(rest[0]) == 2 and rest[0][1] == "."):
                rest = rest[1:]   # more titles, first names and initials: "Capt. Roy A. Nelson"
            if rest:
                last = rest[-1].removesuffix("’s").removesuffix("'s")
                out.add(last)
                out.add(_article_prefix().sub("", last))
        return out

    def _slot_mentions(self, text: str, chosen: list[Mention], skip) -> list[Mention]:
        """Add unknown capitalised names standing where a place must be ("village of Abdul Khil")."""
        spans = sorted((m.start, m.end) for m in chosen)
        starts = [a for a, _ in spans]
        extra: list[Mention] = []
        for m, needs_lookup in self._slot_candidates(text):
            a, b = m.span(1)
            k = bisect_right(starts, b - 1) - 1
            if (k >= 0 and spans[k][1] > a) or (k >= 1 and spans[k - 1][1] > a) or (skip and _in_spans(a, b, skip)):
                continue
            name = m.group(1)
            if not self._slot_name(text, a, name, needs_lookup):
                continue
            extra.append(Mention(a, b, name, "pattern"))
            pos = bisect_right(starts, a)
            spans.insert(pos, (a, b))
            starts.insert(pos, a)
        return chosen + extra

    def _slot_candidates(self, text: str) -> Iterator[tuple[re.Match, bool]]:
        """Names in place slots, each with whether the gazetteer must know its skeleton."""
        yield from ((m, False) for m in _slot_names(_SLOT_BEFORE, text))
        for m in _LEVEL_AFTER.finditer(text):
            # Find the name before the level word by looking back from it ("Khazir camp").
            named = _NAME_AT_END.search(text, max(0, m.start() - _NAME_REACH), m.start())
            if named is not None:
                yield named, False
        yield from ((m, True) for m in _slot_names(_SLOT_PREP, text))

    def _slot_name(self, text: str, a: int, name: str, needs_lookup: bool) -> bool:
        """Whether a name in a place slot is taken as a place."""
        lex = self.lex
        key = normalize(name)
        first = name.split()[0].lower().strip("’'")
        if key in lex.stop_always or first in self.person_leads:
            return False
        if key in lex.stop_initial and _SENT_END.search(text[max(0, a - 3):a]):
            return False
        if not needs_lookup:
            return True
        if self.skeleton_lookup is None or (" " in name.strip() and not name[:3].lower().startswith(("al", "el"))):
            return False
        return not self._is_demonym(name) and bool(self.skeleton_lookup(name))

    def _is_demonym(self, name: str) -> bool:
        """'Iraqi', 'Afghan', 'Syrians': an adjective or people from a known place."""
        key = normalize(name)
        m = _DEMONYM_END.search(key)
        stems = [key[: m.start()]] if m else []
        stems += [st + e for st in list(stems) for e in ("a", "ia", "y", "e")]
        if key.endswith("an"):
            stems.append(key + "istan")
        return any(st and self._auto.exists(f" {st} ") for st in stems)

    def _head_place(self, text: str, start: int, end: int, heads) -> bool:
        """Whether a name inside an all-caps head is its place: the whole head (or slash part of
        it), with at most a locative, part or level word before it and a level word after it
        ("NEAR MOSUL", "EAST MOSUL", "CAMP MURRAY", "CALAMBA CITY"), not "ZONE" in "DEMILITARIZED ZONE"."""
        lex = self.lex
        for a, b in heads:
            if a <= start and end <= b:
                a = max(a, text.rfind("/", a, start) + 1)
                slash = text.find("/", end, b)
                after = {w.lower() for w in text[end:b if slash < 0 else slash].split()}
                before = {w.lower() for w in text[a:start].split()}
                return after <= lex.level_words.keys() and before <= (
                    lex.locatives | lex.part_words | lex.level_words.keys() | {"of"})
        return True

    def _dateline_mentions(self, text: str, chosen: list[Mention], dateline: list[tuple[int, int]]) -> list[Mention]:
        """Dateline places the gazetteer lacks still become (unresolved) mentions."""
        out = []
        for a, b in dateline:
            if not any(m.start < b and a < m.end for m in chosen):
                out.append(Mention(a, b, text[a:b], "dateline"))
        return out


def _whole_compounds(text: str, chosen: list[Mention]) -> list[Mention]:
    """`chosen` with the mentions found inside a particle-joined compound name (`_COMPOUND`) replaced by
    the whole name, as a name found by pattern when it stands where a place does, else by nothing."""
    out = chosen
    for m in _COMPOUND.finditer(text):
        a, b = m.span()
        inside = [x for x in out if a <= x.start and x.end <= b and (x.start, x.end) != (a, b) and x.source != "dateline"]
        if not inside or any(x.start < b and x.end > a and not (a <= x.start and x.end <= b) for x in out):
            continue
        out = [x for x in out if not (a <= x.start and x.end <= b)]
        if _COMPOUND_SLOT_BEFORE.search(text, max(0, a - 30), a) or _COMPOUND_SLOT_AFTER.match(text, b):
            out.append(Mention(a, b, text[a:b], "pattern"))
    return sorted(out, key=lambda x: x.start) if out is not chosen else chosen


def _demonym_key(key: str, lex: Lexicon) -> str | None:
    """The place a demonym names ("iraqi" -> "iraq", "palestinians" -> "palestine"); None if not one."""
    if key in lex.demonyms:
        return lex.demonyms[key]
    if key.endswith("s") and key[:-1] in lex.demonyms:
        return lex.demonyms[key[:-1]]
    return None
