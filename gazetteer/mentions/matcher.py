"""Finding place mentions in text: multi-pattern matching over every gazetteer key, plus guards.

Matching runs on a normalised copy of the text (see `textmap`), so `text[m.start:m.end]` is the
original surface form. A key only matches at word boundaries; a mention must be capitalised;
common words, people's names and organisations named after places are filtered out by rules
driven from the word lists in `gazetteer/data`.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter

import ahocorasick

from gazetteer.mentions.lexicon import Lexicon, load_lexicon
from gazetteer.mentions.patterns import (  # the matcher's own patterns, kept apart for size
    _ADJACENT,
    _ARTICLE_BEFORE,
    _ARTICLE_PREFIX,
    _CAP_AFTER,
    _CAP_WORD,
    _COMMA,
    _CONTAINER_GAP,
    _DATELINE_MARK,
    _DEMONYM_END,
    _HINT_BEFORE,
    _HYPHEN_WORD,
    _LEVEL_AFTER,
    _LIST_AFTER,
    _LIST_BEFORE,
    _NAME_AT_END,
    _NAMED_LEVEL,
    _NEXT_WORD,
    _NO_PLACE_HEAD,
    _OF_THE_NAME,
    _PART_BEFORE,
    _PERSON,
    _POSSESSIVE_WORD,
    _ROAD_WORDS,
    _SENT_END,
    _SLOT_BEFORE,
    _SLOT_PREP,
    _SPEECH,
    _dateline_heads,
    _is_title_line,
    _level_word_after,
    _may_end_with_of,
    _prev_word,
    _slot_names,
)
from gazetteer.mentions.textmap import normalize_text
from gazetteer.model import Mention
from gazetteer.names import normalize, variant_keys
from gazetteer.paths import clean_stale, temp_prefix

__all__ = ["Matcher", "MATCHER_FORMAT"]

MATCHER_FORMAT = 9      # 9: read with an unpickler that builds only the automaton
_MAX_KEY = 120
_WHERE_ANY, _WHERE_CONTAINER, _WHERE_DEMONYM = 0, 1, 2
_SORT_KEY = itemgetter(0, 1)   # by start, then longest first; ties keep the automaton's order


# Lower-case words that may sit inside a multi-word name ("Bosnia and Herzegovina", "al-Qaim").
_CONNECTORS = ("of|and|the|de|del|della|des|di|da|do|dos|das|du|la|le|les|el|al|an|ar|as|ash|ad|at|az|adh|ath|ed|en|er|es|"
               "esh|et|eth|ez|ul|un|ur|us|ud|uz|y|e|upon|on|sur|am|im|der|den|bin|ibn|bint|van|von|aan|op|i")
_CONNECTOR_SET = frozenset(_CONNECTORS.split("|"))


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
        self._surfaces: dict[str, tuple] = {}
        # Words that open a person's name: titles and first names ("Queen Elizabeth", "Talib Shaghati").
        self._person_leads = self.lex.titles | self.lex.first_names

    # ----------------------------------------------------------------- building / caching
    @classmethod
    def build(cls, keys: Iterable[tuple[str, float]], *, build_id: str = "", lexicon: Lexicon | None = None) -> "Matcher":
        """An automaton over `(key, importance)` pairs plus article-less and data-file variants."""
        lex = lexicon or load_lexicon()
        auto = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        aliases: list[tuple[str, int]] = []
        seen: set[str] = set()
        stripped: dict[str, tuple[str, float]] = {}
        for key, importance in keys:
            if not key or len(key) > _MAX_KEY or key in lex.stop_always:
                continue
            seen.add(key)
            auto.add_word(f" {key} ", len(key) * 16 + _bucket(importance))
            if " " in key:
                masked = _mask_connectors(key)
                if masked != key:   # "bosnia #nd herzegovina": how the masked text spells it
                    auto.add_word(f" {masked} ", len(key) * 16 + _bucket(importance))
            for v in variant_keys(key):
                if v not in lex.stop_always and (v not in stripped or stripped[v][1] < importance):
                    stripped[v] = (key, importance)
        alias_keys = {}
        for alias, (key, imp) in stripped.items():
            if alias not in seen:
                alias_keys[alias] = key
                aliases.append((key, _WHERE_ANY))
                auto.add_word(f" {alias} ", (len(aliases) << 16) | (len(alias) * 16 + _bucket(imp)))
        for alias, (key, where) in lex.variants.items():
            if alias in seen:
                continue
            aliases.append((key, _WHERE_CONTAINER if where == "container" else _WHERE_ANY))
            auto.add_word(f" {alias} ", (len(aliases) << 16) | (len(alias) * 16 + 12))
        for dem, key in lex.demonyms.items():
            if not key:
                continue
            for form in (dem, dem + "s") if not dem.endswith(("sh", "ch", "ese", "s", "i")) else (dem,):
                aliases.append((key, _WHERE_DEMONYM))
                auto.add_word(f" {form} ", (len(aliases) << 16) | (len(form) * 16 + 12))
        auto.make_automaton()
        return cls(auto, aliases, build_id, lex, alias_keys)

    def save(self, path: str) -> None:
        """Persist next to the index (atomically), keyed by the index build id."""
        folder, name = os.path.split(os.path.abspath(path))
        clean_stale(folder, name)                   # a save killed mid-way left its temporary
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(name), suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((MATCHER_FORMAT, self.build_id, self._aliases, self.alias_keys, self._auto), fh,
                            protocol=pickle.HIGHEST_PROTOCOL)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)           # mkstemp makes it private; like the index, a plain cache
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    @classmethod
    def load(cls, path: str, build_id: str) -> "Matcher | None":
        """The saved matcher if it was built from the same index, else None (also for a damaged file).

        The cache folder may be writable by others (a shared team folder, /tmp): the file is read
        with an unpickler that builds nothing but the automaton, so it can never run code.
        """
        try:
            with open(path, "rb") as fh:
                fmt, bid, aliases, alias_keys, auto = _CacheUnpickler(fh).load()
        except (OSError, EOFError, ValueError, TypeError, AttributeError, pickle.UnpicklingError):
            return None
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
        # Lower-case words cannot start a mention; masking their first letter keeps the automaton
        # from reporting every key that prefixes them (same length, so offsets are unchanged).
        # "Cox s Bazar", "Syria s Idlib": a possessive whose apostrophe was lost (the ISOT Reuters
        # texts) is read as "Cox's", so its "s" is not masked as a lower-case word. Same length.
        nt = normalize_text(_restore_apostrophes(text), mask_lower=True)
        padded = " " + nt.text + " "
        # orig start, -orig end (the sort key: longest first), orig end, importance bucket, alias id
        raw: list[tuple[int, int, int, int, int]] = []
        breaks, shifts = nt._breaks, nt._shifts   # NormText.orig, inlined: this loop is the hottest
        for end, value in self._auto.iter(padded):
            # Keys are stored as " key ", so every hit is a whole word sequence; padded index
            # `end` is the trailing space, i.e. the exclusive end of the key in nt.text + 1.
            nend = end - 1
            nstart = nend - ((value & 0xFFFF) >> 4)
            if breaks:
                k = bisect_right(breaks, nstart) - 1
                ostart = nstart + shifts[k] if k >= 0 else nstart
                k = bisect_right(breaks, nend - 1) - 1
                oend = nend + shifts[k] if k >= 0 else nend
            else:
                ostart, oend = nstart, nend
            if text[ostart].isupper():
                raw.append((ostart, -oend, oend, value & 15, value >> 16))
        dateline = _dateline_spans(text, dateline_places)
        heads = dateline + _dateline_heads(text)
        raw.sort(key=_SORT_KEY)
        chosen: list[Mention] = []
        major_at: set[int] = set()   # countries and the like: never taken for a surname
        last_end = -1
        for start, _, end, bucket, alias in raw:
            if start < last_end or (skip and _in_spans(start, end, skip)):
                continue
            if dateline and any(a <= start < b and (a, b) != (start, end) for a, b in dateline):
                continue  # a word inside a longer dateline name ("KHIL" in "ABDUL KHIL")
            surface = text[start:end]
            source = "dateline" if heads and _in_spans(start, end, heads) else "gazetteer"
            if source == "dateline" and bucket < self.major_bucket and not self._head_place(text, start, end, heads):
                continue  # "ZONE" in "DEMILITARIZED ZONE", "MAIN" in "MAIN STORY -"
            if alias:
                key, where = self._aliases[alias - 1]
                if where == _WHERE_CONTAINER and not (chosen and _COMMA.search(text, chosen[-1].end, start)):
                    continue
                if where == _WHERE_DEMONYM:
                    if self.demonyms and (end >= len(text) or not text[end].isalnum()) and not self._language(text, start, end):
                        chosen.append(Mention(start, end, surface, "demonym"))
                        last_end = end
                    continue
            named = _NAMED_LEVEL.match(text, end)
            if named and named.group(1) in _ROAD_WORDS and _CAP_WORD.match(text, named.end()):
                named = None   # "Florida Highway Patrol": the place is Florida, the rest an agency
            if named and named.group(1).lower() in self.lex.level_words:
                # "Laurel County", "Neches River": the level word is part of the name.
                end = named.end()
                surface = text[start:end]
            elif end < len(text) and text[end] == "." and ("." in surface or self._is_container_abbreviation(text, surface, alias, chosen, start)):
                end += 1   # "U.S.", "W.Va.": the abbreviation's own full stop
                surface = text[start:end]
            elif not self._accept(text, start, end, surface, bucket, source, chosen[-1].end if chosen else -1):
                continue
            if source == "gazetteer":
                part = _PART_BEFORE.search(text, max(last_end, start - 14), start)
                if part and part.group(1).lower() in self.lex.part_words and (part.start() == 0 or not text[part.start() - 1].isalnum()):
                    start, surface = part.start(), text[part.start():end]   # "Eastern Ghouta", "South Los Angeles"
            chosen.append(Mention(start, end, surface, source))
            if bucket >= 14:
                major_at.add(start)
            last_end = end
        chosen = self._slot_mentions(text, chosen, skip)
        people = self._person_words(text)
        if people:
            chosen = [m for m in chosen if m.source == "dateline" or m.start in major_at or m.text not in people]
        chosen.extend(self._dateline_mentions(text, chosen, dateline))
        chosen.sort(key=lambda m: m.start)
        return _annotate(text, chosen, self.lex)

    def _accept(self, text: str, start: int, end: int, surface: str, bucket: int, source: str,
                prev_end: int = -1) -> bool:
        lex = self.lex
        info = self._surfaces.get(surface)
        if info is None:
            info = self._surface_info(surface)
        key, single, caps, acronym, capitalised, rejected, listed = info
        if caps:
            if source != "dateline" and not acronym and not (bucket >= self.min_bucket and _DATELINE_MARK.match(text, end)):
                return False   # all capitals is a heading or an acronym, unless it opens a dateline ("BEIRUT: ")
        elif not capitalised:
            return False
        if rejected:
            return False
        if listed:
            return True   # written in name_variants.csv as a place ("White House", "Atlantic")
        if source == "dateline":
            return True
        before = text[max(0, start - 40):start]
        # Both patterns end at the end of `before`, so only its tail need be searched.
        art = _ARTICLE_BEFORE.search(before, max(0, len(before) - 6))
        if art:
            before = before[: art.start() + 1]
        prev = _prev_word(before)
        prev_word = prev[1].rstrip(".").lower() if prev else ""
        adjacent = prev is not None and _ADJACENT.fullmatch(prev[0]) is not None
        if adjacent and prev[1].endswith(".") and len(prev[1]) > 5:
            adjacent = False   # "... of Justice. Azerbaijan": a sentence ended, not a title
        if adjacent and prev_word in lex.titles:
            return False
        sentence_start = _SENT_END.search(before, max(0, len(before.rstrip()) - 1)) is not None
        if single and sentence_start and key in lex.stop_initial:
            return False
        major = bucket >= self.major_bucket or acronym
        title_line = None
        if single and adjacent and prev[1][:1].isupper() and prev_word not in lex.modifiers:
            # Inside a longer capitalised name: "Tigris River", "Marine Le Pen", "Asaib Ahl al-Haq";
            # a major place still counts there ("Six Flags Over Texas", "Iraqi Kurdistan").
            pw = prev[1]
            if not major or prev_word in lex.first_names:
                title_line = _is_title_line(text, start)
                if not title_line and (not pw.endswith(".") or pw.count(".") > 1):
                    return False
        after = _CAP_WORD.match(text, end)
        if single and after:
            nxt = after.group(1).lower()
            org = nxt in lex.org_words and bucket >= self.min_bucket   # "Gainesville Police", "Georgia Bureau"
            if (key in lex.first_names or key in lex.place_first_names) and not org:
                return False   # "Jordan Spieth", "Mark Heinrich"
            if not major and not org and nxt not in lex.level_words and not nxt.endswith(("’s", "'s")):
                # "Apache helicopters" aside, a small place followed by a capitalised word is
                # usually part of a name: "Walker Street", "Boone Pickens".
                if title_line is None:
                    title_line = _is_title_line(text, start)
                if not title_line:
                    return False
        if single and bucket < 10 and _SPEECH.match(text, end):
            return False
        if single and not major and _OF_THE_NAME.match(text, end):
            return False
        if single and not major:
            nxt_word = _NEXT_WORD.match(text, end)
            if nxt_word and nxt_word.group(1) in lex.person_nouns:
                return False
        if single and not major and end < len(text) - 1 and text[end] in "-‐" and text[end + 1].isalpha():
            return False   # "Wal-Mart", "Coca-Cola": part of a compound word
        if single and not major and key in lex.surnames and not self._locative(text, start, end, prev_word, adjacent, prev_end):
            return False   # "Williams", "Clark": a surname unless it stands where a place must
        if single and not major and prev_word in ("said", "says", "told", "according"):
            return False
        if not single and not major and self._person_like(surface) \
                and not self._locative(text, start, end, prev_word, adjacent, prev_end):
            return False   # "Queen Elizabeth", "Prince William": a person unless it stands where a place must
        if single and bucket < self.min_bucket and key not in lex.acronyms and not self._locative(text, start, end, prev_word, adjacent, prev_end):
            # A little-known place name needs a place slot: "in Pandi", "Pandi, Bulacan", "Pandi town".
            return False
        return True

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

    def _surface_info(self, surface: str) -> tuple:
        """What `_accept` needs to know about a surface form regardless of where it stands (memoised)."""
        lex = self.lex
        words = surface.split()
        key = normalize(surface)
        single = len(words) == 1
        letters = [c for c in surface if c.isalpha()]
        caps = len(letters) > 1 and all(c.isupper() for c in letters)
        acronym = key in lex.acronyms or key.replace(" ", "") in lex.acronyms
        last = words[-1].rsplit("-", 1)[-1] or words[-1]   # "Deir el-Zour" ends with "Zour"
        capitalised = last[:1].isupper() or last[:1].isdigit()
        rejected = key in lex.stop_always or _demonym_key(key, lex) is not None
        listed = lex.variants.get(key)
        info = (key, single, caps, acronym, capitalised, rejected, listed is not None and listed[1] in ("any", "seat"))
        if len(self._surfaces) >= 100_000:
            self._surfaces.clear()
        self._surfaces[surface] = info
        return info

    def _person_like(self, surface: str) -> bool:
        """A title or first name followed by a first name or surname: "Queen Elizabeth", "Prince George"."""
        words = surface.lower().replace(".", "").split()
        lex = self.lex
        return len(words) == 2 and words[0] in self._person_leads \
            and (words[1] in lex.first_names or words[1] in lex.surnames)

    def _locative(self, text: str, start: int, end: int, prev_word: str, adjacent: bool, prev_end: int = -1) -> bool:
        if adjacent and prev_word in self.lex.locatives:
            return True
        if _level_word_after(text, end, self.lex.level_words):
            return True
        after = _LIST_AFTER.match(text, end)
        if after and not _POSSESSIVE_WORD.match(text, after.end() - 1):
            return True   # "Pandi, Bulacan"; not "Nissan, Japan's second-largest automaker"
        before = _LIST_BEFORE.search(text, max(0, start - 3), start)
        # A list goes on from a place: "Kurram, Bajaur", not "A former San Antonio mayor, Castro was"
        return before is not None and prev_end == before.start()

    def _is_container_abbreviation(self, text: str, surface: str, alias: int, chosen: list[Mention], start: int) -> bool:
        """'Calif.' right after 'Los Angeles, ': an AP state abbreviation with its full stop."""
        if alias and self._aliases[alias - 1][1] == _WHERE_CONTAINER:
            return True
        v = self.lex.variants.get(normalize(surface))
        return bool(v and v[1] == "container" and chosen and _COMMA.search(text, chosen[-1].end, start))

    def _person_words(self, text: str) -> set[str]:
        """Surnames in this text: capitalised words after a title or first name ("Talib Shaghati")."""
        out: set[str] = set()
        lead = self._person_leads
        for m in _PERSON.finditer(text):
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
                out.add(_ARTICLE_PREFIX.sub("", last))
        return out

    def _slot_mentions(self, text: str, chosen: list[Mention], skip) -> list[Mention]:
        """Add unknown capitalised names standing where a place must be ("village of Abdul Khil")."""
        spans = sorted((m.start, m.end) for m in chosen)
        starts = [a for a, _ in spans]
        extra: list[Mention] = []
        lex = self.lex
        for rx, needs_lookup in ((_SLOT_BEFORE, False), (_LEVEL_AFTER, False), (_SLOT_PREP, True)):
            found = rx.finditer(text) if rx is _LEVEL_AFTER else _slot_names(rx, text)
            for m in found:
                if rx is _LEVEL_AFTER:
                    # Find the name before the level word by looking back from it ("Khazir camp").
                    lo = max(0, m.start() - 60)
                    m = _NAME_AT_END.search(text, lo, m.start())
                    if m is None:
                        continue
                a, b = m.span(1)
                k = bisect_right(starts, b - 1) - 1
                if (k >= 0 and spans[k][1] > a) or (k >= 1 and spans[k - 1][1] > a) or (skip and _in_spans(a, b, skip)):
                    continue
                name = m.group(1)
                key = normalize(name)
                first = name.split()[0].lower().strip("’'")
                if key in lex.stop_always or first in self._person_leads:
                    continue
                if key in lex.stop_initial and _SENT_END.search(text[max(0, a - 3):a]):
                    continue
                if needs_lookup:
                    if self.skeleton_lookup is None or (" " in name.strip() and not name[:3].lower().startswith(("al", "el"))):
                        continue
                    if self._is_demonym(name) or not self.skeleton_lookup(name):
                        continue
                extra.append(Mention(a, b, name, "pattern"))
                pos = bisect_right(starts, a)
                spans.insert(pos, (a, b))
                starts.insert(pos, a)
        return chosen + extra

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


def _mask_connectors(key: str) -> str:
    words = key.split(" ")
    return " ".join(["#" + w[1:] if i and w in _CONNECTOR_SET else w for i, w in enumerate(words)])


def _restore_apostrophes(text: str) -> str:
    """`text` with the space of each lost possessive apostrophe ("Cox s Bazar") made an apostrophe.

    Same length, so offsets hold. Only after a capitalised word; a scan for " s " is several times
    cheaper than a regular expression over every article.
    """
    i = text.find(" s ")
    if i < 0:
        return text
    chars: list[str] | None = None
    while i >= 0:
        j = i
        while j > 0 and (text[j - 1].isalnum() or text[j - 1] == "-"):
            j -= 1
        if j < i and text[j].isupper():
            if chars is None:
                chars = list(text)
            chars[i] = "'"
        i = text.find(" s ", i + 2)
    return "".join(chars) if chars is not None else text


def _demonym_key(key: str, lex: Lexicon) -> str | None:
    """The place a demonym names ("iraqi" -> "iraq", "palestinians" -> "palestine"); None if not one."""
    if key in lex.demonyms:
        return lex.demonyms[key]
    if key.endswith("s") and key[:-1] in lex.demonyms:
        return lex.demonyms[key[:-1]]
    return None


def _bucket(importance: float) -> int:
    """0..15 from an index importance (log10 population plus level and layer bonuses)."""
    if not importance or importance <= 0:
        return 0
    return min(15, int(importance * 2))


def _dateline_spans(text: str, places: Sequence[str]) -> list[tuple[int, int]]:
    head = text[:400]
    out = []
    for p in places:
        p = p.strip()
        if not p or _NO_PLACE_HEAD.match(p):
            continue
        i = head.find(p)
        if i < 0:
            i = head.upper().find(p.upper())
        if i >= 0:
            out.append((i, i + len(p)))
    return out


def _in_spans(a: int, b: int, spans) -> bool:
    return any(s <= a and b <= e for s, e in spans)


def _overlaps(a: int, b: int, spans) -> bool:
    return any(s < b and a < e for s, e in spans)


def _annotate(text: str, mentions: list[Mention], lex: Lexicon) -> list[Mention]:
    """Set level hints ("Achin district") and containers ("Odessa, Ukraine"; "district of Nangarhar")."""
    out = []
    consumed = -1   # end of a level word that already belongs to the previous mention
    for i, m in enumerate(mentions):
        hint = container = None
        after = _level_word_after(text, m.end, lex.level_words)
        hint_end = m.end
        if after and not _CAP_AFTER.match(text, after.end()):
            # ("U.S. State Department", "U.S. District Judge": the level word opens another name)
            hint = lex.level_words[after.group(1).lower()]
            hint_end = after.end()
        if hint is None and _may_end_with_of(text, m.start):
            before = _HINT_BEFORE.search(text, max(0, m.start - 30), m.start)
            if before and before.group(1).lower() in lex.level_words and before.end(1) > consumed:
                hint = lex.level_words[before.group(1).lower()]
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if nxt is not None:
            gap = text[hint_end:nxt.start]
            if _COMMA.fullmatch(gap) or (_CONTAINER_GAP.fullmatch(gap) and (hint or "in" in gap)):
                container = nxt.text
        consumed = hint_end
        out.append(Mention(m.start, m.end, m.text, m.source, hint, container) if (hint or container) else m)
    return out



class _CacheUnpickler(pickle.Unpickler):
    """Reads the matcher cache: lists, dicts, strings, numbers and one pyahocorasick automaton, nothing else."""

    def find_class(self, module: str, name: str):
        if (module, name) == ("ahocorasick", "Automaton"):
            return ahocorasick.Automaton
        raise pickle.UnpicklingError(f"the matcher cache asks for {module}.{name}; it was not written by incidentmap")
