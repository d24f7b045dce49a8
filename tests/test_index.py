"""Tests for gazetteer.index.lookup: building, staleness, lookups and the merged user layer."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from gazetteer import names
from gazetteer.index.lookup import GazetteerIndex, default_index_path
from gazetteer.layers.base import Layer
from gazetteer.layers.curated import CuratedLayer
from gazetteer.layers.user import import_file
from gazetteer.model import Level, Place
from gazetteer.names import normalize


def _first(index: GazetteerIndex, name: str, **where) -> Place:
    for place in index.candidates(normalize(name)):
        if all(getattr(place, k) == v for k, v in where.items()):
            return place
    raise AssertionError(f"no candidate for {name!r} with {where}")


@pytest.mark.parametrize(
    ("name", "country", "lat", "lon"),
    [
        ("Mosul", "IQ", 36.34, 43.12),
        ("Erbil", "IQ", 36.19, 44.01),
        ("Odessa", "UA", 46.48, 30.74),
        ("Odessa", "US", 31.85, -102.37),   # Texas
        ("Nice", "FR", 43.70, 7.27),
        ("Columbus", "US", 39.96, -83.00),  # Ohio, the largest
    ],
)
def test_index_finds_cities_with_plausible_coordinates(gazetteer_index, name, country, lat, lon):
    place = _first(gazetteer_index, name, country_code=country, level=Level.CITY)
    assert abs(place.lat - lat) < 0.1 and abs(place.lon - lon) < 0.1
    assert place.id.startswith("gn:")


def test_mosul_carries_its_province_and_parent(gazetteer_index):
    mosul = gazetteer_index.get("gn:99072")
    assert mosul is not None and mosul.name == "Mosul"
    assert mosul.admin1 == "Ninawa"
    assert mosul.parent_id == "ne1:IRQ-ninawa"
    assert mosul.population > 1_000_000


def test_iraq_is_a_country_and_nineveh_a_province(gazetteer_index):
    iraq = _first(gazetteer_index, "Iraq", level=Level.COUNTRY)
    assert iraq.id == "ne0:IQ" and iraq.feature_code == "PCLI"
    assert 29 < iraq.lat < 38 and 38 < iraq.lon < 49
    nineveh = _first(gazetteer_index, "Nineveh", level=Level.PROVINCE)
    assert nineveh.country_code == "IQ" and nineveh.feature_code == "ADM1"
    assert nineveh.parent_id == "ne0:IQ"


def test_capital_and_country_are_the_most_populous_of_their_kind(gazetteer_index):
    assert gazetteer_index.capital("IQ").name == "Baghdad"
    assert gazetteer_index.country("IQ").id == "ne0:IQ"
    assert gazetteer_index.country("XX") is None and gazetteer_index.capital(None) is None
    conn = sqlite3.connect(gazetteer_index.path)
    codes = ["IQ", "SY", "AF", "SO", "YE", "SD", "NG", "UA", "US", "FR", "IN", "PS", "XK", "XX"]
    for where, args, ask in (("feature_code = 'PPLC'", (), gazetteer_index.capital),
                             ("level = ?", (Level.COUNTRY.value,), gazetteer_index.country)):
        for code in codes:
            best = conn.execute(f"SELECT id FROM places WHERE {where} AND country_code = ? "
                                "ORDER BY population DESC, id LIMIT 1", (*args, code)).fetchone()
            got = ask(code)
            assert (got.id if got else None) == (best[0] if best else None), code
    conn.close()


def test_country_short_forms_resolve_but_two_letter_codes_do_not(gazetteer_index):
    assert _first(gazetteer_index, "U.S.", level=Level.COUNTRY).country_code == "US"
    assert _first(gazetteer_index, "Britain", level=Level.COUNTRY).country_code == "GB"
    assert all(p.level != Level.COUNTRY for p in gazetteer_index.candidates("in"))
    assert all(p.level != Level.COUNTRY for p in gazetteer_index.candidates("us"))


def test_candidates_are_ordered_by_importance_and_limited(gazetteer_index):
    odessa = gazetteer_index.candidates(normalize("Odessa"))
    assert odessa[0].id == "gn:698740"  # the Ukrainian city before Texas and the oblast's namesakes
    assert len(gazetteer_index.candidates(normalize("Columbus"), limit=2)) == 2
    georgia = gazetteer_index.candidates("georgia")
    assert georgia[0].level == Level.COUNTRY and georgia[0].country_code == "GE"


def test_unknown_key_has_no_candidates(gazetteer_index):
    assert gazetteer_index.candidates("qqzzxx nowhere") == []
    assert gazetteer_index.get("gn:0") is None


def test_iter_keys_yields_each_key_once_with_best_importance(gazetteer_index):
    keys = dict(gazetteer_index.iter_keys())
    assert "mosul" in keys and "nineveh" in keys and "iraq" in keys
    assert keys["iraq"] > keys["mosul"] > keys.get("nice", 0) - 10
    assert len(keys) > 100_000


def test_skeleton_lookup_matches_when_names_has_skeleton(gazetteer_index):
    if not hasattr(names, "skeleton"):
        pytest.skip("gazetteer.names has no skeleton() yet")
    found = gazetteer_index.candidates_by_skeleton(names.skeleton("Mosul"))
    assert "gn:99072" in [p.id for p in found]


def test_info_reports_layers_versions_and_size(gazetteer_index):
    info = gazetteer_index.info()
    assert info["layers"]["geonames"] > 200_000
    assert info["layers"]["naturalearth"] > 4_000
    assert info["names_version"] == names.NAMES_VERSION
    assert info["size_bytes"] > 0 and info["built_at"]
    assert Path(info["path"]) == gazetteer_index.path


def test_reopening_a_built_index_does_not_rebuild_it(gazetteer_index):
    before = gazetteer_index.path.stat().st_mtime_ns
    again = GazetteerIndex.open(gazetteer_index.path)
    again.close()
    assert gazetteer_index.path.stat().st_mtime_ns == before   # opening speed: bench/geoparse.py


def test_default_path_honours_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("INCIDENTMAP_GAZETTEER", str(tmp_path / "g.sqlite"))
    assert default_index_path() == tmp_path / "g.sqlite"
    monkeypatch.delenv("INCIDENTMAP_GAZETTEER")
    assert default_index_path().name.startswith("gazetteer-v")


# -- small indexes built from a tiny layer ----------------------------------------------------


class TinyLayer(Layer):
    """Two places read from a source file, so tests can make the index stale."""

    name = "tiny"

    def __init__(self, source: Path):
        self.source = source

    def source_files(self) -> list[Path]:
        return [self.source]

    def iter_places(self) -> Iterator[tuple[Place, tuple[str, ...]]]:
        label = self.source.read_text().strip()
        yield Place(id="t:1", name=f"Alpha {label}", lat=1, lon=2, level=Level.CITY, layer="tiny",
                    population=100), ("Alpha", f"Alpha {label}")
        yield Place(id="t:2", name="Alphaville", lat=3, lon=4, level=Level.PROVINCE, layer="tiny"), (
            "Alpha", "Alphaville")


@pytest.fixture
def tiny(tmp_path):
    source = tmp_path / "source.txt"
    source.write_text("one")
    return tmp_path / "tiny.sqlite", TinyLayer(source)


def test_small_index_builds_atomically_and_orders_by_importance(tiny):
    path, layer = tiny
    with GazetteerIndex.open(path, layers=[layer]) as index:
        assert [p.id for p in index.candidates("alpha")] == ["t:2", "t:1"]  # province bonus wins
        assert index.info()["layers"] == {"tiny": 2}
    assert [p.name for p in path.parent.iterdir() if p.suffix == ".tmp"] == []


def test_changed_source_file_makes_index_stale(tiny):
    path, layer = tiny
    GazetteerIndex.open(path, layers=[layer]).close()
    layer.source.write_text("two!")
    with GazetteerIndex.open(path, layers=[layer]) as index:
        assert index.get("t:1").name == "Alpha two!"


def _mark(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO meta VALUES ('test_marker', 'kept')")


def _marked(path: Path) -> bool:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT 1 FROM meta WHERE key = 'test_marker'").fetchone() is not None


def test_touched_but_unchanged_source_is_not_rebuilt_and_is_restamped(tiny):
    import os

    path, layer = tiny
    GazetteerIndex.open(path, layers=[layer]).close()
    _mark(path)
    os.utime(layer.source, ns=(1_000_000_000, 1_000_000_000))
    GazetteerIndex.open(path, layers=[layer]).close()
    assert _marked(path)
    assert GazetteerIndex._why_stale(path, [layer], restamped := {}) is None and restamped == {}


def test_same_layers_and_sources_reuse_the_index(tiny):
    path, layer = tiny
    GazetteerIndex.open(path, layers=[layer]).close()
    _mark(path)
    GazetteerIndex.open(path, layers=[layer]).close()
    assert _marked(path)
    GazetteerIndex.open(path, layers=[layer], rebuild=True).close()
    assert not _marked(path)


def test_names_version_change_triggers_rebuild(tiny, monkeypatch):
    path, layer = tiny
    GazetteerIndex.open(path, layers=[layer]).close()
    monkeypatch.setattr(names, "NAMES_VERSION", names.NAMES_VERSION + 100)
    with GazetteerIndex.open(path, layers=[layer]) as index:
        assert index.info()["names_version"] == names.NAMES_VERSION


def test_garbage_file_is_rebuilt_not_trusted(tiny):
    path, layer = tiny
    path.write_bytes(b"this is not a database" * 100)
    with GazetteerIndex.open(path, layers=[layer]) as index:
        assert index.get("t:2") is not None


def test_sqlite_file_without_tables_is_rebuilt(tiny):
    path, layer = tiny
    sqlite3.connect(path).execute("CREATE TABLE other (x)").connection.commit()
    with GazetteerIndex.open(path, layers=[layer]) as index:
        assert index.get("t:1") is not None


def test_curated_rows_from_a_temporary_csv_are_indexed(tmp_path):
    csv_path = tmp_path / "conflict_places.csv"
    csv_path.write_text(
        "id,name,aliases,lat,lon,level,parent,country_code,admin1,source\n"
        "mosul-wahda,Wahda,al-Wahda|Al Wahda,36.33,43.16,neighbourhood,gn:99072,IQ,Ninawa,https://example.org/ref\n"
        "hasansham-camp,Hasansham camp,Hasan Sham,36.30,43.56,camp,IQ,IQ,Ninawa,https://example.org/camp\n",
        encoding="utf-8",
    )
    with GazetteerIndex.open(tmp_path / "c.sqlite", layers=[CuratedLayer(csv_path)]) as index:
        wahda = index.candidates("al wahda")[0]
        assert wahda.id == "cz:mosul-wahda" and wahda.level == Level.NEIGHBOURHOOD
        assert wahda.parent_id == "gn:99072" and wahda.source == "https://example.org/ref"
        camp = index.get("cz:hasansham-camp")
        assert camp.level == Level.CAMP and camp.parent_id == "ne0:IQ"


GEONAMES_LINES = (
    "99072\tMosul\tMosul\tAl Mawsil,Mossoul,Mosul,Mawsil,الموصل\t36.335\t43.11889\tP\tPPLA\tIQ\t\t15"
    "\t\t\t\t1739800\t\t223\tAsia/Baghdad\t2022-12-01\n"
    "11612348\tZaatari Refugee Camp\tZaatari Refugee Camp\tZa'atari,Zaatari camp\t32.2936\t36.3236\tS\tCMPRF"
    "\tJO\t\t13\t\t\t\t0\t\t640\tAsia/Amman\t2021-05-02\n"
)


def test_user_import_is_merged_into_the_index_and_survives_rebuild(tmp_path):
    index_path = tmp_path / "u.sqlite"
    layers = [CuratedLayer(tmp_path / "none.csv"), "user"]
    GazetteerIndex.open(index_path, layers=layers).close()
    tsv = tmp_path / "excerpt.txt"
    tsv.write_text(GEONAMES_LINES, encoding="utf-8")
    report = import_file(tsv, index_path=index_path)
    assert (report.added, report.skipped, report.kind) == (2, 0, "geonames")
    with GazetteerIndex.open(index_path, layers=layers) as index:
        camp = index.candidates("zaatari camp")[0]
        assert camp.id == "gn:11612348" and camp.level == Level.CAMP and camp.layer == "user"
        assert index.get("gn:99072").admin1 == "Ninawa"
        assert "الموصل" not in index.names_of("gn:99072")  # non-Latin names are not indexed
    with GazetteerIndex.open(index_path, layers=layers, rebuild=True) as index:
        assert index.get("gn:11612348") is not None


def test_alternate_names_add_spellings_to_existing_places(tmp_path):
    index_path = tmp_path / "alt.sqlite"
    layers = [CuratedLayer(tmp_path / "none.csv"), "user"]
    GazetteerIndex.open(index_path, layers=layers).close()
    tsv = tmp_path / "excerpt.txt"
    tsv.write_text(GEONAMES_LINES, encoding="utf-8")
    import_file(tsv, index_path=index_path)
    alt = tmp_path / "alternateNamesV2.txt"
    alt.write_text(
        "1\t99072\ten\tMosul Town\t\t\t\t\t\t\n"
        "2\t99072\tiata\tOSM\t\t\t\t\t\t\n"
        "3\t99072\tar\tالموصل\t\t\t\t\t\t\n",
        encoding="utf-8",
    )
    report = import_file(alt, index_path=index_path)
    assert report.added == 1 and report.kind == "alternatenames"
    with GazetteerIndex.open(index_path, layers=layers) as index:
        assert [p.id for p in index.candidates("mosul town")] == ["gn:99072"]
        assert index.candidates("osm") == []


def test_index_pickles_by_path_for_worker_processes(tiny):
    import pickle

    path, layer = tiny
    with GazetteerIndex.open(path, layers=[layer]) as index:
        clone = pickle.loads(pickle.dumps(index))
        try:
            assert clone.path == index.path
            assert [p.id for p in clone.candidates("alpha")] == ["t:2", "t:1"]
        finally:
            clone.close()


def test_us_counties_are_found_by_their_full_name_only(gazetteer_index):
    laurel = gazetteer_index.candidates("laurel county")
    assert [p.id for p in laurel] == ["cnty:21125"]
    assert laurel[0].level is Level.DISTRICT and laurel[0].admin1 == "Kentucky"
    assert all(p.layer != "uscounties" for p in gazetteer_index.candidates("laurel"))
    assert {p.country_code for p in gazetteer_index.candidates("congo")} >= {"CD", "CG"}


def test_a_build_reports_each_layer_and_the_end_to_its_listener_and_only_while_listened(tiny):
    from gazetteer.index.build import reporting

    path, layer = tiny
    heard = []
    with reporting(lambda step, done, total: heard.append((step, done, total))):
        GazetteerIndex.open(path, layers=[layer]).close()
    assert heard == [("reading tiny", 0, 2), ("writing the index", 1, 2), ("done", 2, 2)]
    layer.source.write_text("changed")           # stale: a second build, with no one listening
    GazetteerIndex.open(path, layers=[layer]).close()
    assert len(heard) == 3


def test_the_cli_progress_bar_fills_and_ends_its_line(capsys):
    from geo.cli.main import index_progress_bar

    index_progress_bar("reading geonames", 1, 4, width=8)
    index_progress_bar("done", 4, 4, width=8)
    err = capsys.readouterr().err
    assert "[##......] 1/4 reading geonames" in err and err.endswith("[########] 4/4 done" + " " * 24 + "\n")
