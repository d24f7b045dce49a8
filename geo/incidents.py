"""Incident extraction: trigger phrases in context, tied to a place, a date, counts and actors.

Rules live in `geo/data/triggers.csv` (what words denote which incident type) and
`geo/data/cues.csv` (context that cancels or weakens a trigger); see docs/incidents.md.
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from geo.errors import UsageError
from geo.locate import Dater, PlaceChoice, Placer, contains, distance_km
from geo.model import Article, DatePrecision, Evidence, GeoPrecision, Incident, Level, Span, Toponym
from geo.taxonomy import Taxonomy
from geo.text import Sentence, sentences

__all__ = ["Hit", "Rules", "compile_pattern", "extract_incidents", "incident_id"]

DATA = Path(__file__).parent / "data"
THRESHOLD = 0.6          # least confidence for an incident to be reported
STRONG = 0.5             # triggers below this need violence context and casualties in their sentence
SURE = 0.85              # violent triggers below this need violence context in their sentence
_VIOLENT = frozenset({"battle", "violence_against_civilians", "riot"})   # explosions are rarely figures of speech
_HEDGE, _BACKGROUND = 0.8, 0.3
# Confidence = words x context + anchors: a trigger alone never reaches THRESHOLD; it must be
# dated, placed or counted in its own sentence (an incident is something that happened somewhere).
_WEIGHT_WORDS = 0.5
_BONUS_DAY, _BONUS_WEEK, _BONUS_COUNT = 0.25, 0.1, 0.1
_BONUS_PLACE = {GeoPrecision.TOWN: 0.2, GeoPrecision.NEAR: 0.15, GeoPrecision.REGION: 0.1}
_BONUS_TIED = 0.05       # the place is governed by in/at/near or by the trigger verb itself
_SAME_KM = 10.0          # one article telling one incident twice: same family, place and day
# A definite reference ("the strikes", "this attack") to an incident told just before.
_ANAPHOR = re.compile(r"\b(?:the|this|that|these|those|its|their|same)\s+(?:[\w’'-]+\s+){0,3}$", re.IGNORECASE)
# A trigger that is a verb ("the soldiers seized") tells a new act; only nouns refer back.
_VERB = re.compile(r"\w+ed\b|(?:took|fought|fled|drove|shot|won|hit|struck|fell|overran|blew)\b", re.IGNORECASE)
_CLAUSE = re.compile(r"[;:,()“”\"—–]|\b(?:but|while|whereas|after|before|when|because|although|though|"
                     r"which|who|where)\b", re.IGNORECASE)
# Violence against civilians told in the same sentence as an air strike or a battle is that strike
# or battle (ACLED codes the event once, by its form); only weak VAC triggers are subsumed.
_SUBSUMED_BY = {"violence_against_civilians": ("remote_violence", "battle")}
_SUBSUMED_BELOW = 0.7
_WORD = re.compile(r"[^\W\d_][\w'’]*")


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
        tree = _trie({w: stem for w, stem, _ in self._first})
        self._starts = re.compile(r"(?i)(?<![\w'’])" + tree)
        self._starts_lower = re.compile(r"(?<![\w'’])" + tree)     # on lower-cased text: no case folding
        # Cues of one kind, scope and window are searched as one alternation: one regex call, not dozens.
        grouped: dict[tuple[str, str, int], list[str]] = {}
        for c in cues:
            grouped.setdefault((c.kind, c.scope, c.window), []).append(c.regex.pattern)
        self._by: dict[tuple[str, str], list[_Cue]] = {}
        for (kind, scope, window), patterns in grouped.items():
            merged = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
            self._by.setdefault((kind, scope), []).append(_Cue(merged, kind, scope, window))
        self._in_sentence: dict[tuple[str, str], bool] = {}

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
        """Offsets in text[start:end] of the words that may begin a trigger, in order."""
        low = text.lower()
        if len(low) != len(text):         # a few letters lower-case to two characters: offsets would shift
            return [m.start() for m in self._starts.finditer(text, start, end)]
        return [m.start() for m in self._starts_lower.finditer(low, start, end)]

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
        found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
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
        """True if a cue of `kind` applies to `hit` (within its window, clause or sentence)."""
        key = (kind, sentence.text)
        found = self._in_sentence.get(key)
        if found is None:
            if len(self._in_sentence) > 4096:
                self._in_sentence.clear()
            found = self._in_sentence[key] = any(c.regex.search(text, sentence.start, sentence.end)
                                                 for c in self._by.get((kind, "sentence"), ()))
        if found:
            return True
        before, after = self._by.get((kind, "before"), ()), self._by.get((kind, "after"), ())
        if not before and not after:
            return False
        clause_start, clause_end = _clause(text, sentence, hit)
        for c in before:
            lo = clause_start if kind != "state" else sentence.start
            if c.regex.search(_last_words(text[lo:hit.start], c.window)):
                return True
        for c in after:
            if c.regex.search(_first_words(text[hit.end:clause_end], c.window)):
                return True
        return False

    def around(self, kind: str, text: str, start: int, end: int) -> bool:
        """True if a cue of `kind` lies within its window before or after text[start:end] (any span)."""
        for c in self._by.get((kind, "before"), ()):
            if c.regex.search(_last_words(text[max(0, start - 120):start], c.window)):
                return True
        for c in self._by.get((kind, "after"), ()):
            if c.regex.search(_first_words(text[end:end + 120], c.window)):
                return True
        return False


def _trie(words: dict[str, bool]) -> str:
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
    lines = [(n, l) for n, l in enumerate(text.splitlines(), 1) if l.strip() and not l.startswith("#")]
    if not lines:
        raise UsageError(f"{path}: rules file is empty")
    header = next(csv.reader([lines[0][1]]))
    if any(c not in header for c in need):
        raise UsageError(f"{path}:{lines[0][0]}: header must have columns {', '.join(need)}")
    rows = []
    for n, line in lines[1:]:
        cells = next(csv.reader([line]))
        row = dict(zip(header, (c.strip() for c in cells)))
        try:
            compile_pattern(row[need[0]])
            float(row.get("strength") or 0), int(row.get("window") or 0)
        except (ValueError, KeyError, TypeError) as exc:
            raise UsageError(f"{path}:{n}: {exc}") from exc
        rows.append(row)
    return rows


def _clause(text: str, sentence: Sentence, hit: Hit) -> tuple[int, int]:
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
    for m in _CLAUSE.finditer(text, max(sentence.start, hit.start - 200), hit.start):
        start = m.end()
    m = _CLAUSE.search(text, hit.end, sentence.end)
    return start, (m.start() if m else sentence.end)


def _last_words(text: str, n: int) -> str:
    return " ".join(text.replace("’", "'").split()[-n:]) if n else ""


def _first_words(text: str, n: int) -> str:
    return " ".join(text.replace("’", "'").split()[:n]) if n else ""


def incident_id(*parts: object) -> str:
    """A short stable hash of the parts."""
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


@cache
def _casualties():
    try:
        from geo.fatalities import casualties
    except ImportError:          # helper module not installed in this build
        return None
    return casualties


def _segments(article: Article) -> list[Sentence]:
    """Sentences of the body; title, caption, byline and credit never yield incidents."""
    skip = [s for s in (article.title_span, article.caption_span, article.byline_span, article.credit_span) if s]
    if article.body_span:
        found = sentences(article.text, article.body_span.start, article.body_span.end)
    else:
        found = sentences(article.text)
    return [s for s in found if not any(s.start < k.end and k.start < s.end for k in skip)]


@dataclass(slots=True)
class _Draft:
    hit: Hit
    sentence: Sentence
    confidence: float
    place: PlaceChoice | None
    date: object
    evidence: list[Evidence]


def extract_incidents(article: Article, toponyms: Sequence[Toponym], *, taxonomy: Taxonomy, actors=None,
                      rules: Rules | None = None) -> list[Incident]:
    """The incidents an article reports, in text order."""
    rules = rules or Rules.load()
    text = article.text
    sents = _segments(article)
    placer = Placer(article, toponyms, rules)
    dater = Dater(article, sents)
    drafts: list[_Draft] = []
    starts = rules.starts(text, sents[0].start, sents[-1].end) if sents else []
    for si, sentence in enumerate(sents):
        i = bisect.bisect_left(starts, sentence.start)
        if i == len(starts) or starts[i] >= sentence.end:
            continue             # no word in the sentence can begin a trigger
        hits = rules.hits(text, sentence.start, sentence.end, starts)
        if not hits:
            continue
        chosen = _choose(rules, taxonomy, text, sentence, hits)
        taken: dict[str, list[PlaceChoice | None]] = {}
        for hit, factor, primary in chosen:
            own_date = dater.own(si)
            own_place = placer.in_sentence(sentence, (hit.start, hit.end), _clause(text, sentence, hit))
            family = taxonomy.get(hit.type).family
            if not primary and not _elsewhere(own_place, taken.get(family, [])):
                continue          # the same family told twice in one sentence at one place: one incident
            taken.setdefault(family, []).append(own_place)
            locality = placer.locality(sentence, (hit.start, hit.end))
            conf = _confidence(hit.strength * factor, own_date, own_place, _has_counts(sentence.text),
                               bool(locality))
            ante = _antecedent(drafts, taxonomy, family, text, sentence, hit, own_place, own_date)
            evidence = _evidence(article, sentence, hit)
            if ante is not None:
                ante.evidence.append(evidence)
                if ante.place is None or (not _own(ante.place) and own_place):
                    ante.place = own_place or ante.place
                if ante.date.date is None and own_date.date is not None:
                    ante.date = own_date
                continue
            if conf < THRESHOLD - 1e-9:
                continue
            place = own_place or _place_fallback(placer, sents, si, hit)
            if locality and (place is None or place.place.level.rank <= Level.CITY.rank):
                place = placer.town_of(sentence, *locality) or place
            date = own_date if own_date.text else dater.inherited(si)
            drafts.append(_Draft(hit, sentence, min(conf, 1.0), place, date, [evidence]))
            # "in the capital Ankara and the province of Bursa": one event per place, as ACLED codes them.
            for other in placer.coordinated(sentence, own_place) if own_place else ():
                if _elsewhere(other, taken[family]):
                    taken[family].append(other)
                    drafts.append(_Draft(hit, sentence, min(conf, 1.0), other, date, [evidence]))
    return [_incident(d, article, taxonomy, actors) for d in _coalesce(drafts, taxonomy)]


def _elsewhere(place: PlaceChoice | None, taken: list[PlaceChoice | None]) -> bool:
    """True if `place` is a place of its own: not one already taken, nor inside or around one."""
    if place is None:
        return False
    return all(t is not None and not contains(t.place, place.place) and not contains(place.place, t.place)
               and distance_km(t.place, place.place) > _SAME_KM for t in taken)


def _place_fallback(placer: Placer, sents: list[Sentence], si: int, hit: Hit) -> PlaceChoice | None:
    """Nearest earlier sentence of the same paragraph with a place, else the dateline."""
    sentence = sents[si]
    for j in range(si - 1, -1, -1):
        prev = sents[j]
        if prev.paragraph != sentence.paragraph:
            break
        got = placer.in_sentence(prev, (prev.end, prev.end))
        if got:
            return replace(got, how="paragraph")
    return placer.dateline()


def _choose(rules: Rules, taxonomy: Taxonomy, text: str, sentence: Sentence,
            hits: list[Hit]) -> list[tuple[Hit, float, bool]]:
    """(hit, context factor, primary) after context cues; the strongest hit of each family is primary.

    Weak hits need violence context. Other hits of a taken family are kept as extras: they make
    incidents of their own only where they name a distinct place ("82 were arrested in Istanbul,
    11 in Adana").
    """
    violent: bool | None = None
    kept: list[tuple[Hit, float, str]] = []
    for hit in hits:
        if hit.type not in taxonomy:       # a user taxonomy may leave types out
            continue
        if rules.cue("block", text, sentence, hit):
            continue
        quiet = False
        if hit.strength < STRONG:
            if violent is None:
                violent = rules.cue("violence", text, sentence, hit)
            # Weak words count only with violence around them and stated casualties; otherwise the
            # hit is kept only as a possible retelling ("the strikes") of an earlier incident.
            quiet = not violent or not _has_counts(sentence.text)
        elif hit.strength < SURE and taxonomy.get(hit.type).family in _VIOLENT:
            if violent is None:
                violent = rules.cue("violence", text, sentence, hit)
            # "clashed with the president", "came under fire for": violent words in a sentence with no
            # one armed, hurt or fighting are figures of speech.
            quiet = not violent
        if hit.type == "territory_captured" and "territory_retaken" in taxonomy \
                and rules.cue("state", text, sentence, hit):
            hit = replace(hit, type="territory_retaken")
        factor = 0.0 if quiet else _HEDGE if rules.cue("hedge", text, sentence, hit) else 1.0
        if rules.cue("background", text, sentence, hit):
            factor *= _BACKGROUND
        kept.append((hit, factor, taxonomy.get(hit.type).family))
    best: dict[str, tuple[Hit, float]] = {}
    for hit, factor, family in kept:
        if family not in best or hit.strength * factor > best[family][0].strength * best[family][1]:
            best[family] = (hit, factor)
    for family, over in _SUBSUMED_BY.items():
        if family in best and best[family][0].strength < _SUBSUMED_BELOW and any(f in best for f in over):
            del best[family]
    out = [(h, f, True) for h, f in best.values()]
    out += [(h, f, False) for h, f, family in kept
            if family in best and best[family][0] is not h and h.strength >= STRONG and f > 0]
    return sorted(out, key=lambda hf: (not hf[2], hf[0].start))


def _antecedent(drafts: list[_Draft], taxonomy: Taxonomy, family: str, text: str, sentence: Sentence,
                hit: Hit, own_place: PlaceChoice | None, own_date) -> _Draft | None:
    """An earlier incident this hit refers back to ("the strikes"), if it is one."""
    if not _ANAPHOR.search(text, max(sentence.start, hit.start - 40), hit.start) or _VERB.match(hit.text):
        return None
    for d in reversed(drafts):
        if taxonomy.get(d.hit.type).family != family:
            continue
        if own_place and d.place and _own(d.place) \
                and not (contains(own_place.place, d.place.place) or contains(d.place.place, own_place.place)):
            return None
        if own_date.date is not None and d.date.date is not None and abs((own_date.date - d.date.date).days) > 1:
            return None
        return d
    return None


def _confidence(words: float, date, place: PlaceChoice | None, counts: bool, locality: bool = False) -> float:
    """How sure we are that this sentence reports an incident."""
    conf = _WEIGHT_WORDS * words
    if date.date is not None:
        conf += _BONUS_WEEK if date.precision is DatePrecision.WEEK else _BONUS_DAY
    elif date.text:
        conf += _BONUS_WEEK          # dated, but too vaguely to resolve ("in mid-2014")
    conf += _BONUS_PLACE[place.precision] if place else _BONUS_PLACE[GeoPrecision.TOWN] if locality else 0.0
    conf += _BONUS_TIED if place and place.tied else 0.0
    conf += _BONUS_COUNT if counts else 0.0
    return min(conf, 1.0)


def _coalesce(drafts: list[_Draft], taxonomy: Taxonomy) -> list[_Draft]:
    """Join drafts of one article that tell the same incident: same family, place and date."""
    out: list[_Draft] = []
    for d in drafts:
        twin = next((o for o in out if _same_incident(o, d, taxonomy)), None)
        if twin is None:
            out.append(d)
            continue
        twin.evidence.extend(d.evidence)
        if _rank_date(d.date) > _rank_date(twin.date):
            twin.date = d.date
        if d.place and (twin.place is None or _rank_place(d.place) > _rank_place(twin.place)):
            twin.place = d.place
        twin.confidence = max(twin.confidence, d.confidence)
    return out


def _same_incident(a: _Draft, b: _Draft, taxonomy: Taxonomy) -> bool:
    if taxonomy.get(a.hit.type).family != taxonomy.get(b.hit.type).family:
        return False
    da, db = a.date.date, b.date.date
    slack = 7 if DatePrecision.WEEK in (a.date.precision, b.date.precision) else 0
    dates_agree = da is not None and db is not None and abs((da - db).days) <= slack
    if not (a.place and b.place and _own(a.place) and _own(b.place)):
        # One was placed only by fallback (or not at all): a retelling when type and date agree.
        return a.hit.type == b.hit.type and dates_agree
    pa, pb = a.place.place, b.place.place
    if distance_km(pa, pb) > _SAME_KM:
        # "in eastern Afghanistan last week" and "in the Achin district last Thursday": one event.
        return a.hit.type == b.hit.type and dates_agree and (contains(pa, pb) or contains(pb, pa))
    if da is None or db is None:
        return da is None and db is None and pa.id == pb.id and a.hit.type == b.hit.type
    return dates_agree


def _own(p: PlaceChoice) -> bool:
    """True if the place was named in the incident's own sentence (not inherited)."""
    return p.how in ("sentence", "locality")


def _rank_date(d) -> int:
    return {DatePrecision.DAY: 3, DatePrecision.WEEK: 2, DatePrecision.MONTH: 1}.get(d.precision, 0)


def _rank_place(p: PlaceChoice) -> tuple[int, int]:
    return (_own(p), -p.precision.value, p.place.level.rank)


def _has_counts(sentence: str) -> bool:
    c = _counts(sentence)
    return bool(c and (c.fatalities or c.injured))


def _counts(sentence: str):
    """Casualties stated in a sentence (None when geo.fatalities is unavailable); memoised per text."""
    fn = _casualties()
    if fn is None:
        return None
    got = _COUNTS.get(sentence)
    if got is None:
        if len(_COUNTS) > 4096:
            _COUNTS.clear()
        got = _COUNTS[sentence] = fn(sentence)
    return got


_COUNTS: dict[str, object] = {}


def _evidence(article: Article, sentence: Sentence, hit: Hit) -> Evidence:
    return Evidence(
        article_id=article.id, article_title=article.title, sentence=sentence.text,
        sentence_span=Span(sentence.start, sentence.end), trigger=hit.text, trigger_span=Span(hit.start, hit.end),
        source=article.source, url=article.url, article_date=article.date,
    )


def _incident(d: _Draft, article: Article, taxonomy: Taxonomy, actors) -> Incident:
    kind = taxonomy.get(d.hit.type)
    sentence = d.sentence.text
    c = _counts(sentence)
    fatalities, injured = (c.fatalities, c.injured) if c is not None else (None, None)
    found = tuple(actors.find(sentence)) if actors is not None else ()
    date = d.date.date
    notes = (f"place from {d.place.how}",) if d.place and d.place.how not in ("sentence", "locality") else ()
    if d.place and d.place.locality:
        notes += (f"in {d.place.locality} (not in the gazetteer; coded to its town, {d.place.place.name})",)
    return Incident(
        id=incident_id(article.id, d.sentence.start, kind.name, d.hit.start, d.place.place.id if d.place else ""),
        type=kind.name, event_type=kind.event_type, sub_event_type=kind.sub_event_type,
        date=date, date_precision=d.date.precision if date is not None else DatePrecision.UNKNOWN,
        place=d.place.place if d.place else None, place_text=d.place.text if d.place else "",
        geo_precision=d.place.precision if d.place else None, evidence=tuple(d.evidence),
        fatalities=fatalities, injured=injured, actors=found, confidence=round(d.confidence, 3),
        date_text=d.date.text if date is not None else "", notes=notes,
    )
