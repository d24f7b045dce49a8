"""Plain-text wire stories: paragraphs, datelines, bylines, credit lines, and splitting a file into articles.

A wire file holds one or many stories, each laid out as

    Title
    Photo caption                      (optional, may span several paragraphs)
    By Reporter and Other Reporter     (optional)
    CITY, Country (Reuters) – Lead paragraph ...
    ... body ...
    (Reporting by ...; Editing by ...)  (optional)

All offsets here index the text handed in; `split_wire` returns spans relative to each piece.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from gazetteer.datafiles import csv_rows
from gazetteer.mentions.lexicon import load_lexicon
from geo.model import Dateline, Span
from geo.read.text import MONTH_WORD

__all__ = [
    "Paragraph", "WirePiece", "credit_span", "dateline_agency", "find_dateline", "is_byline", "is_credit",
    "paragraphs", "parse_dateline", "split_wire",
]

# A dateline place or qualifier word: letters first, then letters, digits, apostrophes, dots, hyphens.
_WORD = r"[^\W\d_][\w'’.\-]*"
_PLACE = rf"{_WORD}(?:[ \t]+{_WORD}){{0,5}}"
_MONTH = MONTH_WORD
_DATELINE = re.compile(
    rf"""(?P<near>NEAR[ \t]+|Near[ \t]+)?
    (?P<places>{_PLACE}(?:(?:,[ \t]*{_WORD}(?:[ \t]+{_WORD}){{0,3}})?[ \t]*/[ \t]*{_PLACE}){{0,5}})
    (?:,[ \t]*(?P<date1>{_MONTH}[ \t]+\d{{1,2}}(?:,?[ \t]+\d{{4}})?)
      |,[ \t]*(?P<country>{_WORD}(?:[ \t]+{_WORD}){{0,4}})
       (?:,[ \t]*(?P<date2>{_MONTH}[ \t]+\d{{1,2}}(?:,?[ \t]+\d{{4}})?))?
    )?
    ,?[ \t]*
    (?:\((?P<agency>[^()\n]{{1,40}})\))?
    (?P<dash>[ \t]*(?:--|[-–—‒―])(?=[ \t]|$)|[ \t]+(?=\S))""",
    re.VERBOSE,
)

# Words that open a closing credit line: "(Reporting by ...; Editing by ...)".
_CREDIT_WORDS = (
    "additional reporting", "reporting", "reported", "writing", "written", "editing", "edited",
    "compiled", "compiling", "translated", "translation", "graphics", "research", "produced",
    "contributing", "fact-checking", "fact checking", "photos", "video",
)
_CREDIT = re.compile(
    r"\(\s*(?:" + "|".join(re.escape(w) for w in _CREDIT_WORDS) + r")\b[^()]*(?:\([^()]*\)[^()]*)*\)\s*\Z",
    re.IGNORECASE,
)
_AGENCY = re.compile(r"\(([^()\n]{1,40})\)")
_BYLINE = re.compile(r"By[ \t]+[^\W\d_]", re.IGNORECASE)
_CAPS_START = re.compile(r"(?<![\w'’.\-])[^\W\d_a-z]{2}")
_SENTENCE_END = re.compile(r"[.!?:;]['\"”’)\]]*\Z")

_MAX_TITLE = 300
_MAX_CAPTION = 700
_MAX_DATELINE = 250      # longest dateline looked for; keeps matching cheap on huge paragraphs
_MAX_HEADER = 4          # title + at most two caption paragraphs + byline
_SHORTEST_PLACE = 3      # without an agency, a dashed capitals line names a place this long at least ("UK -" is no dateline)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A run of non-blank lines; `start`/`end` exclude surrounding whitespace."""

    start: int
    end: int
    line: int            # 1-based line of `start`
    text: str


@dataclass(frozen=True, slots=True)
class WirePiece:
    """One article found in a wire file: where it is and its parts (spans relative to `start`)."""

    start: int
    end: int
    line: int
    title: Span | None
    caption: Span | None
    byline: Span | None
    dateline: Dateline | None
    body: Span | None
    credit: Span | None


def paragraphs(text: str) -> list[Paragraph]:
    """Split text into paragraphs at blank lines (linear time, whatever the line lengths)."""
    found: list[Paragraph] = []
    run_start = run_end = -1
    run_line = 0
    pos = 0
    line_no = 1
    # Only "\n" ends a line, so line numbers agree with editors and `wc -l` (splitlines would
    # also break at form feeds, U+2028 and friends).
    for raw in text.split("\n"):
        raw += "\n"
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            if run_start < 0:
                run_start, run_line = pos + lead, line_no
            run_end = pos + len(raw.rstrip())
        elif run_start >= 0:
            found.append(Paragraph(run_start, run_end, run_line, text[run_start:run_end]))
            run_start = -1
        pos += len(raw)
        line_no += 1
    if run_start >= 0:
        found.append(Paragraph(run_start, run_end, run_line, text[run_start:run_end]))
    return found


def parse_dateline(text: str, start: int = 0, *, strict: bool = False) -> Dateline | None:
    """The dateline opening `text` at `start`, or None.

    Places in capitals need an agency marker ("(Reuters)", "(AP)", "(AFP)") or a dash
    ("TOKYO - ..."); capitalised mixed-case places ("Kabul, Afghanistan (AP) —") need both, and
    the agency must be one listed in `geo/data/wire_agencies.csv`.
    `strict` demands the agency marker, which is what splitting a multi-story file relies on.
    """
    m = _DATELINE.match(text, start, min(len(text), start + _MAX_DATELINE))
    if m is None:
        return None
    places_text = m.group("places")
    if _BYLINE.match(places_text) or not _marked(m.group("agency"), places_text, bool(m.group("dash").strip()), strict):
        return None
    country = m.group("country")
    if country is not None and not _capitalised(country):
        return None
    # "RENO, Nevada/PHILADELPHIA": a qualifier inside the list belongs to its own place only.
    places = tuple(p.split(",")[0].strip() for p in places_text.split("/") if p.strip())
    end = m.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    return Dateline(
        places=places,
        country=country.strip() if country else None,
        span=Span(m.start(), end),
        near=bool(m.group("near")),
    )


def _marked(agency: str | None, places_text: str, dashed: bool, strict: bool) -> bool:
    """Whether the places carry what a dateline needs: an agency marker, or (not `strict`) a dash after capitals."""
    if agency is not None:
        if not _agency_like(agency):
            return False
        # Mixed-case places need a known agency and the dash, or "Islamic State (IS) - the group"
        # and "Popular Mobilization Forces (PMF) fired" would pass.
        names = " ".join(p.split(",")[0] for p in places_text.split("/"))
        return _all_caps(names) or (dashed and _capitalised(places_text.replace("/", " ")) and _known_agency(agency))
    return not (strict or not dashed or "," in places_text or not _all_caps(places_text) or len(places_text) < _SHORTEST_PLACE)


def dateline_agency(text: str, dateline: Dateline | None) -> str:
    """The agency named in a dateline ("Reuters", "AP"), or "" when there is none."""
    if dateline is None:
        return ""
    m = _AGENCY.search(text, dateline.span.start, dateline.span.end)
    return " ".join(m.group(1).split()) if m else ""


def find_dateline(text: str, *, limit: int = 600) -> Dateline | None:
    """The dateline opening an article text, also after a "(This story corrects ...)" note or a byline."""
    pos = _skip_space(text, 0)
    if text.startswith("(", pos):
        close = text.find(")", pos, pos + limit)
        found = parse_dateline(text, pos)
        if found is not None or close < 0:
            return found
        pos = _skip_space(text, close + 1)
    if _BYLINE.match(text, pos):
        # "By Jane Doe BEIJING (Reuters) - ...": the dateline is the first capitals run after the names.
        for m in _CAPS_START.finditer(text, pos + 3, min(len(text), pos + 200)):
            found = parse_dateline(text, m.start(), strict=True)
            if found is not None and _all_caps(" ".join(found.places)):
                return found
        return None
    return parse_dateline(text, pos)


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def is_credit(paragraph: str) -> bool:
    """True for a closing credit line such as "(Reporting by X; Editing by Y)"."""
    return len(paragraph) < 1000 and paragraph.startswith("(") and _CREDIT.match(paragraph) is not None


def is_byline(paragraph: str) -> bool:
    """True for "By X and Y" (short, one line, not a sentence)."""
    return (
        len(paragraph) < 200 and "\n" not in paragraph and _BYLINE.match(paragraph) is not None
        and not paragraph.rstrip().endswith(".")
    )


def credit_span(text: str) -> Span | None:
    """The credit line ending `text`, if there is one (for single-article inputs such as JSON Lines)."""
    tail_start = max(0, len(text) - 1000)
    end = len(text.rstrip())
    open_at = text.rfind("(", tail_start, end)
    while open_at >= 0:
        if is_credit(text[open_at:end]):
            return Span(open_at, end)
        open_at = text.rfind("(", tail_start, open_at)
    return None


def split_wire(text: str) -> list[WirePiece]:
    """Split a wire file's text into articles; returns nothing for blank text."""
    paras = paragraphs(text)
    if not paras:
        return []
    datelines = _datelines(text, paras)
    credits = [i for i, p in enumerate(paras) if is_credit(p.text)]
    order = _story_starts(paras, datelines, credits)
    dateline_at = {d: parse_dateline(text, paras[d].start) for d in datelines}
    pieces = []
    for a, b in zip(order, order[1:] + [len(paras)]):
        k = bisect.bisect_left(datelines, a)
        at = datelines[k] if k < len(datelines) and datelines[k] < b else None
        # Rules such as "-----" or "* * *" between stories belong to no story.
        while a < (at if at is not None else b - 1) and not any(c.isalnum() for c in paras[a].text):
            a += 1
        pieces.append(_piece(text, paras, a, b, at, dateline_at[at] if at is not None else None))
    return pieces


def _story_starts(paras: list[Paragraph], datelines: list[int], credits: list[int]) -> list[int]:
    """The paragraphs that open a story, in order: each dateline's header (title, caption, byline),
    and the paragraph after a credit line unless it turned out to be body text."""
    starts = {0}
    dropped: set[int] = set()        # credit+1 starts that turned out to be body, not a header
    for k, d in enumerate(datelines):
        lo = datelines[k - 1] + 1 if k else 0
        last_credit = bisect.bisect_left(credits, d) - 1
        if last_credit >= 0 and credits[last_credit] >= lo:
            first = credits[last_credit] + 1
            head = first if d - first <= _MAX_HEADER else _header_start(paras, d, first)
            if head > first:
                dropped.add(first)
        else:
            head = lo if (k == 0 and d <= _MAX_HEADER) else _header_start(paras, d, lo)
        starts.add(head)
    starts.update(c + 1 for c in credits if c + 1 < len(paras) and c + 1 not in dropped)
    return sorted(starts)


def _datelines(text: str, paras: list[Paragraph]) -> list[int]:
    strict = [i for i, p in enumerate(paras) if parse_dateline(text, p.start, strict=True)]
    if strict:
        return strict
    return [i for i, p in enumerate(paras) if parse_dateline(text, p.start)]


def _header_start(paras: list[Paragraph], d: int, lo: int) -> int:
    """Walk back from a dateline over byline, caption and title when no credit line marks the border."""
    j = d - 1
    if j >= lo and is_byline(paras[j].text):
        j -= 1
    if j - 1 >= lo and _title_like(paras[j - 1].text) and len(paras[j].text) <= _MAX_CAPTION:
        return j - 1
    if j >= lo and _title_like(paras[j].text):
        return j
    return j + 1


def _title_like(s: str) -> bool:
    return (
        0 < len(s) <= _MAX_TITLE and _SENTENCE_END.search(s) is None
        and not is_credit(s) and not is_byline(s)
    )


def _piece(text, paras, a, b, d, dateline) -> WirePiece:
    base = paras[a].start
    end = paras[b - 1].end

    def rel(first: int, last: int) -> Span:
        return Span(paras[first].start - base, paras[last].end - base)

    credit = None
    last_body = b - 1
    if b - 1 > (d if d is not None else a) and is_credit(paras[b - 1].text):
        credit = rel(b - 1, b - 1)
        last_body -= 1
    title = caption = byline = None
    if d is not None:
        head = list(range(a, d))
        if head and is_byline(paras[head[-1]].text):
            byline = rel(head[-1], head[-1])
            head.pop()
        if head:
            title = rel(head[0], head[0])
            if len(head) > 1:
                caption = rel(head[1], head[-1])
        body_first = d
    else:
        body_first = a
        if b - a >= 2 and _title_like(paras[a].text):
            title = rel(a, a)
            body_first = a + 1
            if body_first < last_body and is_byline(paras[body_first].text):
                byline = rel(body_first, body_first)
                body_first += 1
    body = rel(body_first, last_body) if body_first <= last_body else None
    if dateline is not None:
        dateline = Dateline(
            dateline.places, dateline.country,
            Span(dateline.span.start - base, dateline.span.end - base), dateline.near,
        )
    return WirePiece(base, end, paras[a].line, title, caption, byline, dateline, body, credit)


def _agency_like(s: str) -> bool:
    s = s.strip()
    return (
        len(s) >= 2 and s[0].isupper() and not any(c.isdigit() for c in s)
        and s.upper() not in {"FILE", "PHOTO"}
    )


def _known_agency(s: str) -> bool:
    return " ".join(s.split()).casefold() in _agencies()


@cache
def _agencies() -> frozenset[str]:
    """The news agencies of `geo/data/wire_agencies.csv`, case-folded."""
    rows = csv_rows(Path(__file__).parent.parent / "data" / "wire_agencies.csv")
    return frozenset(row["agency"].strip().casefold() for _, row in rows)


def _capitalised(s: str) -> bool:
    """Every word starts with a capital, bar connectors ("Bosnia and Herzegovina")."""
    connectors = load_lexicon().name_connectors
    return all(w[0].isupper() or w in connectors for w in s.split())


def _all_caps(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)
