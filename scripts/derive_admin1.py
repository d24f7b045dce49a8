"""Derive gazetteer/data/admin1.parquet from Natural Earth's admin-1 polygons.

Source: the ``states_provinces`` layer of ``world_map.gpkg`` shipped by Debian's
``qgis-common`` package (Natural Earth 1:10m Admin 1 v4.1.0, public domain)::

    cd /tmp && apt-get download qgis-common && dpkg -x qgis-common_*.deb qgisx
    python scripts/derive_admin1.py /tmp/qgisx/usr/share/qgis/resources/data/world_map.gpkg

The output is deterministic for a given input file, so ids stay stable.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "gazetteer" / "data" / "admin1.parquet"

# Natural Earth leaves iso_a2 as "-1" for these; map them to the ISO code of the
# territory that contains them, or None where no single code fits.
_ISO_FIXES = {
    "Somaliland": "SO",
    "Northern Cyprus": "CY",
    "Dhekelia Sovereign Base Area": "CY",
    "Akrotiri Sovereign Base Area": "CY",
    "US Naval Base Guantanamo Bay": "CU",
    "Baykonur Cosmodrome": "KZ",
    "Indian Ocean Territories": None,  # Cocos / Christmas: fixed per row below
    "Spratly Is.": None,
    "Clipperton Island": None,
    "Siachen Glacier": None,
}
_ROW_ISO_FIXES = {"Cocos (Keeling) Islands": "CC", "Christmas Island": "CX"}

# Leading or trailing words of NE/GeoNames admin-1 names and the English kind they denote.
_TYPE_WORDS = {
    "Muhafazat": "Governorate", "Gouvernorat": "Governorate", "Governorate": "Governorate",
    "Sha`biyat": "District", "Wilaya": "Province", "Wilayat-e": "Province", "Ostan-e": "Province",
    "Provincia": "Province", "Province": "Province", "Provinsi": "Province", "Provincie": "Province",
    "Tinh": "Province", "Changwat": "Province", "Khett": "Province", "Sheng": "Province",
    "Departamento": "Department", "Departement": "Department", "Department": "Department",
    "Estado": "State", "State": "State", "Land": "State", "Oblast'": "Oblast", "Oblast": "Oblast",
    "Okrug": "Okrug", "Kray": "Krai", "Krai": "Krai", "Respublika": "Republic",
    "Region": "Region", "maakunta": "Region", "kraj": "Region", "Aymag": "Province",
    "County": "County", "Laen": "County", "Fylke": "County", "Zupanija": "County", "megye": "County",
    "Judetul": "County", "Qarku": "County", "District": "District", "Distrito": "District",
    "Dzongkhag": "District", "Rayon": "District", "Rajons": "District", "Raionul": "District",
    "Gobolka": "Region", "Opstina": "Municipality", "Obcina": "Municipality", "Komuna": "Municipality",
    "Municipality": "Municipality", "Novads": "Municipality", "Concelho": "Municipality",
    "Prefecture": "Prefecture", "Canton": "Canton", "Kanton": "Canton", "Parish": "Parish",
    "Division": "Division", "Wojewodztwo": "Voivodeship", "Territory": "Territory",
    "Emirate": "Emirate", "Zone": "Zone", "Borough": "Borough",
}

_TOLERANCE = 0.03  # degrees (~3 km): invisible on a country-scale choropleth


def _text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = str(value).strip()
    if "Ã" in text:  # some WOE labels are UTF-8 read as Latin-1
        try:
            text = text.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return text


def _slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "x"


def _type_en(*names: str) -> str | None:
    for name in names:
        words = name.split(",")[0].split()
        if len(words) < 2:
            continue
        for word in (words[0], words[-1]):
            if word in _TYPE_WORDS:
                return _TYPE_WORDS[word]
    return None


def derive(source: Path) -> gpd.GeoDataFrame:
    """Read Natural Earth admin-1 and return the compact table described in the README."""
    raw = pyogrio.read_dataframe(source, layer="states_provinces")
    rows = []
    seen: dict[str, int] = {}
    for rec in raw.itertuples(index=False):
        admin = _text(rec.admin)
        name = _text(rec.name) or _text(rec.woe_name) or _text(rec.gn_name) or admin
        woe_label = _text(rec.woe_label)
        alts = []
        for alt in (_text(rec.woe_name), woe_label.split(",")[0].strip(), _text(rec.gn_name)):
            if alt and alt != name and alt not in alts:
                alts.append(alt)
        iso = _text(rec.iso_a2)
        if iso in ("", "-1", "-99"):
            iso = _ROW_ISO_FIXES.get(name, _ISO_FIXES.get(admin))
        base = f"ne1:{_text(rec.adm0_a3)}-{_slug(name)}"
        seen[base] = seen.get(base, 0) + 1
        rows.append({
            "id": base if seen[base] == 1 else f"{base}-{seen[base]}",
            "name": name,
            "name_alt": "|".join(alts),
            "iso_3166_2": None,  # not carried by this edition of the data
            "fips": _text(rec.fips) or None,
            "country_code": iso,
            "country_name": admin,
            "type_en": _type_en(woe_label, _text(rec.gn_name)),
            "gn_id": None,
            # Natural Earth "geounit" (England, Iraqi Kurdistan, Republika Srpska, ...).
            "geounit": _text(rec.gu_a3) or None,
            "geometry": rec.geometry,
        })
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs=raw.crs or "EPSG:4326")
    gdf = gdf.to_crs("EPSG:4326")
    geoms = shapely.make_valid(gdf.geometry.values)
    try:
        # Simplifies shared edges once, so neighbours stay gap- and overlap-free.
        simplified = shapely.coverage_simplify(geoms, _TOLERANCE)
    except shapely.errors.GEOSException:
        simplified = shapely.simplify(geoms, _TOLERANCE, preserve_topology=True)
    simplified = shapely.make_valid(simplified)
    keep = ~shapely.is_empty(simplified)
    simplified = shapely.set_precision(simplified, 1e-5)
    gdf = gdf.set_geometry(simplified)
    return gdf[keep].reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="world_map.gpkg from qgis-common")
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    gdf = derive(args.source)
    tmp = args.out.with_suffix(".tmp")
    gdf.to_parquet(tmp, compression="zstd", index=False)
    tmp.replace(args.out)
    vertices = int(shapely.get_num_coordinates(gdf.geometry.values).sum())
    print(f"wrote {args.out} ({len(gdf)} regions, {vertices} vertices, "
          f"{args.out.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
