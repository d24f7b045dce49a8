"""Print the UN M49 rows of gazetteer/data/macro_regions.csv: which countries each sub-region holds.

The membership is the United Nations Statistics Division's M49 standard
(https://unstats.un.org/unsd/methodology/m49/). The script reads it from the `UNregion` column
of the `country_data.tsv` table that the `country-converter` package ships (a build-time input
only, not a dependency of incidentmap):

    pip download --no-deps country-converter && unzip -o country_converter-*.whl -d /tmp/coco
    python scripts/derive_m49_regions.py /tmp/coco/country_converter/country_data.tsv

Rows print in the file's column order (id, name, aliases, members, clip, source); the names and aliases are the English forms the press
uses ("West Africa" for M49 "Western Africa"). Regions made of other regions (Latin America,
the Americas, Sub-Saharan Africa) are unions of the sub-regions listed here.
"""

from __future__ import annotations

import csv
import re
import sys

M49 = "https://unstats.un.org/unsd/methodology/m49/"

# M49 sub-region -> (id, name, aliases); M49's own name is kept as an alias when it differs.
SUBREGIONS = {
    "Northern Africa": ("north-africa", "North Africa", "Northern Africa"),
    "Western Africa": ("west-africa", "West Africa", "Western Africa"),
    "Eastern Africa": ("east-africa", "East Africa", "Eastern Africa"),
    "Middle Africa": ("central-africa", "Central Africa", "Middle Africa"),
    "Southern Africa": ("southern-africa", "Southern Africa", ""),
    "Central Asia": ("central-asia", "Central Asia", ""),
    "Eastern Asia": ("east-asia", "East Asia", "Eastern Asia"),
    "South-eastern Asia": ("southeast-asia", "Southeast Asia", "South-East Asia|South East Asia|South-eastern Asia"),
    "Southern Asia": ("south-asia", "South Asia", "Southern Asia"),
    "Western Asia": ("western-asia", "Western Asia", "West Asia"),
    "Eastern Europe": ("eastern-europe", "Eastern Europe", ""),
    "Northern Europe": ("northern-europe", "Northern Europe", ""),
    "Southern Europe": ("southern-europe", "Southern Europe", ""),
    "Western Europe": ("western-europe", "Western Europe", ""),
    "Caribbean": ("caribbean", "Caribbean", ""),
}
# Not taken from M49: its "Central America" includes Mexico, the news' does not (that row is
# written by hand), and its "Eastern Europe" needs Russia clipped at the Urals (the `clip` column).
UNIONS = [
    ("latin-america", "Latin America", "Latin America and the Caribbean",
     ("Caribbean", "Central America", "South America")),
    ("americas", "Americas", "",
     ("Caribbean", "Central America", "South America", "Northern America")),
    ("sub-saharan-africa", "Sub-Saharan Africa", "Sub Saharan Africa|Subsaharan Africa",
     ("Western Africa", "Eastern Africa", "Middle Africa", "Southern Africa")),
]


def main(path: str) -> None:
    members: dict[str, list[str]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            # ISO2 is a regex where a country has two codes ("^GB$|^UK$"): the first is ISO's.
            codes = re.findall(r"[A-Z]{2}", row.get("ISO2") or "")
            if codes and row.get("UNregion") and not row.get("obsolete"):
                members.setdefault(row["UNregion"], []).append(codes[0])
    out = csv.writer(sys.stdout, lineterminator="\n")
    for region, (rid, name, aliases) in SUBREGIONS.items():
        clip = "-180 -90 60 90" if region == "Eastern Europe" else ""
        out.writerow([rid, name, aliases, "|".join(sorted(members[region])), clip, f"UN M49 {region}: {M49}"])
    for rid, name, aliases, parts in UNIONS:
        codes = sorted({c for part in parts for c in members[part]})
        out.writerow([rid, name, aliases, "|".join(codes), "", f"UN M49 {' + '.join(parts)}: {M49}"])


if __name__ == "__main__":
    main(sys.argv[1])
