"""A tiny in-memory gazetteer with the GazetteerIndex lookup API, for geoparser unit tests."""

from __future__ import annotations

from collections import defaultdict

from gazetteer.layers.base import importance
from gazetteer.model import Level, Place
from gazetteer.names import normalize, skeleton

# (id, name, lat, lon, level, country, admin1, population, parent, alternate names)
ROWS = [
    ("ne0:IQ", "Iraq", 33.0, 44.0, "country", "IQ", None, 38_000_000, None, ["Republic of Iraq"]),
    ("ne0:UA", "Ukraine", 49.0, 32.0, "country", "UA", None, 44_000_000, None, []),
    ("ne0:FR", "France", 46.0, 2.0, "country", "FR", None, 66_000_000, None, []),
    ("ne0:DE", "Germany", 51.5, 10.5, "country", "DE", None, 82_000_000, None, []),
    ("ne0:AT", "Austria", 47.3, 13.3, "country", "AT", None, 8_800_000, None, []),
    ("ne0:US", "United States", 39.8, -98.5, "country", "US", None, 327_000_000, None, ["USA", "U.S.", "US"]),
    ("ne0:AF", "Afghanistan", 33.0, 66.0, "country", "AF", None, 37_000_000, None, []),
    ("ne0:PS", "Palestine", 31.9, 35.2, "country", "PS", None, 4_500_000, None, ["State of Palestine"]),
    ("gn:99072", "Mosul", 36.335, 43.119, "city", "IQ", "Nineveh", 1_683_000, None, ["Al Mawsil"]),
    ("gn:95446", "Erbil", 36.19, 44.01, "city", "IQ", "Erbil", 1_612_700, None, ["Arbil", "Irbil"]),
    ("gn:98182", "Baghdad", 33.34, 44.40, "city", "IQ", "Baghdad", 7_216_000, None, []),
    ("gn:89570", "Al Qā’im", 34.37, 41.09, "city", "IQ", "Anbar", 74_100, None, ["Al Qa'im"]),
    ("gn:98245", "Tallkayf", 36.49, 43.12, "city", "IQ", "Nineveh", 23_524, None, ["Tel Kaif"]),
    ("gn:698740", "Odesa", 46.48, 30.73, "city", "UA", "Odesa", 1_010_537, None, ["Odessa"]),
    ("gn:5527554", "Odessa", 31.85, -102.37, "city", "US", "Texas", 114_428, None, []),
    ("gn:2990440", "Nice", 43.70, 7.27, "city", "FR", "Provence-Alpes-Cote d'Azur", 342_669, None, []),
    ("gn:5376890", "Nice", 39.12, -122.85, "city", "US", "California", 2_731, None, []),
    ("gn:4509177", "Columbus", 39.96, -83.00, "city", "US", "Ohio", 913_175, None, []),
    ("gn:4188985", "Columbus", 32.46, -84.99, "city", "US", "Georgia", 206_922, None, []),
    ("gn:2950159", "Berlin", 52.52, 13.41, "city", "DE", "Berlin", 3_426_354, None, []),
    ("gn:2761369", "Vienna", 48.21, 16.37, "city", "AT", "Vienna", 1_691_468, None, ["Wien"]),
    ("gn:2886242", "Köln", 50.93, 6.95, "city", "DE", "North Rhine-Westphalia", 1_024_621, None, ["Cologne"]),
    ("gn:4717560", "Palestine", 31.76, -95.63, "city", "US", "Texas", 18_288, None, []),
    ("gn:1138958", "Kabul", 34.53, 69.17, "city", "AF", "Kabul", 4_434_550, None, []),
    ("ne1:USA-ohio", "Ohio", 40.3, -82.8, "province", "US", "Ohio", 0, None, []),
    ("ne1:IRQ-anbar", "Al Anbar", 33.4, 42.0, "province", "IQ", "Anbar", 0, None, ["Anbar"]),
    ("ne1:IRQ-nineveh", "Ninawa", 36.0, 42.5, "province", "IQ", "Nineveh", 0, None, ["Nineveh"]),
    ("ne1:AFG-nangarhar", "Nangarhar", 34.2, 70.5, "province", "AF", "Nangarhar", 0, None, []),
    ("gn:1148310", "Āchīn", 34.13, 70.70, "city", "AF", "Nangarhar", 15_098, None, ["Achin"]),
    ("cz:mosul-wahda", "Wahda", 36.33, 43.17, "neighbourhood", "IQ", "Nineveh", 0, "gn:99072", ["al-Wahda", "Hay al-Wahda"]),
    ("cz:mosul-palestine", "Palestine", 36.32, 43.18, "district", "IQ", "Nineveh", 0, "gn:99072", ["Filastin"]),
    ("cz:khazir-camp", "Khazir camp", 36.30, 43.47, "camp", "IQ", "Nineveh", 0, None, ["Khazir", "Khazer"]),
    ("gn:999001", "Wahda", 25.0, 50.0, "city", "SA", None, 800, None, []),
    ("ne0:JO", "Jordan", 31.0, 36.0, "country", "JO", None, 9_956_011, None, []),
    ("gn:999002", "Shaghati", 35.0, 45.0, "city", "IQ", None, 600, None, []),
    ("gn:2657896", "Reading", 51.45, -0.97, "city", "GB", "England", 318_014, None, []),
    ("gn:999003", "Wilcken", 50.0, 8.0, "city", "DE", None, 300, None, []),
]


class FakeIndex:
    """Same lookup methods as gazetteer.index.lookup.GazetteerIndex, over ROWS."""

    def __init__(self, rows=ROWS):
        self._by_key = defaultdict(list)
        self._by_skel = defaultdict(list)
        self._places = {}
        for pid, name, lat, lon, level, cc, a1, pop, parent, alts in rows:
            layer = "curated" if pid.startswith("cz:") else ("naturalearth" if pid.startswith("ne") else "geonames")
            p = Place(pid, name, lat, lon, Level.parse(level), layer, cc, a1, None, "", pop, parent)
            self._places[pid] = p
            for n in {name, *alts}:
                key = normalize(n)
                if p not in self._by_key[key]:
                    self._by_key[key].append(p)
                skel = skeleton(n)
                if p not in self._by_skel[skel]:
                    self._by_skel[skel].append(p)

    def candidates(self, key, *, limit=50):
        return sorted(self._by_key.get(key, ()), key=lambda p: -p.population)[:limit]

    def candidates_by_skeleton(self, skel, *, limit=50):
        return sorted(self._by_skel.get(skel, ()), key=lambda p: -p.population)[:limit]

    def iter_keys(self):
        for key, places in self._by_key.items():
            yield key, max(importance(p) for p in places)

    def get(self, place_id):
        return self._places.get(place_id)

    def info(self):
        return {"build_id": "fake", "path": None}

    path = None
