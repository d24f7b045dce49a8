"""The incremental store: the same behaviour on GeoPackage and on PostGIS (`store_url` in conftest)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
import struct

import pytest

from geo.errors import IncidentMapError, UsageError
from geo.model import (
    Article,
    ArticleResult,
    DatePrecision,
    Evidence,
    GeoPrecision,
    Incident,
    Level,
    Mention,
    Phrase,
    Place,
    Span,
    Toponym,
)
from geo.store import open_store
from geo.store.base import IngestStats, changed_articles
from geo.store.schema import MIGRATIONS, SCHEMA_VERSION, SchemaVersionError

MOSUL = Place("gn:99072", "Mosul", 36.335, 43.11889, Level.CITY, "geonames", "IQ", "Nineveh", None,
              "PPLA", 1739800, "ne0:IQ", "GeoNames", (("asciiname", "Mosul"), ("timezone", "Asia/Baghdad")))
KABUL = Place("gn:1138958", "Kabul", 34.52813, 69.17233, Level.CITY, "geonames", "AF", "Kabul", None,
              "PPLC", 3043532)
SYRIA = Place("ne0:SYR", "Syria", 35.0, 38.5, Level.COUNTRY, "naturalearth", "SY", feature_code="PCLI")


def make_result(aid: str, *, version: int = 1, place: Place | None = MOSUL, n: int = 2,
                date: dt.date | None = dt.date(2017, 3, 1), itype: str = "bombing",
                confidence: float = 0.7) -> ArticleResult:
    """A hand-built pipeline result: one article, its places and `n` incidents (the last unlocated)."""
    text = f"Version {version}: a car bomb exploded in {place.name if place else 'a town'}, killing 4 people."
    article = Article(aid, text, title=f"Bomb v{version}", date=date,
                      date_precision=DatePrecision.DAY if date else DatePrecision.UNKNOWN,
                      date_source="metadata" if date else "", url=f"https://example.org/{aid}",
                      source="Reuters", path="feed.jsonl", line=7, body_span=Span(0, len(text)))
    start = text.index("exploded in ") + len("exploded in ")
    mention = Mention(start, start + 5, text[start:start + 5], hint=None, container="Iraq")
    toponyms = (Toponym(mention, place, 0.83), Toponym(Mention(0, 7, "Version", source="pattern"), None))
    ev = Evidence(aid, article.title, text, Span(0, len(text)), "bomb", Span(text.index("bomb"), text.index("bomb") + 4),
                  source="Reuters", url=article.url, article_date=date)
    incidents = tuple(
        Incident(f"{aid}-{k}", itype, "Explosions/Remote violence", "Remote explosive/landmine/IED",
                 date, DatePrecision.DAY if date else DatePrecision.UNKNOWN,
                 place if k < n - 1 else None, place.name if place and k < n - 1 else "",
                 GeoPrecision.TOWN if place and k < n - 1 else None, (ev,), fatalities=4 + version, injured=None,
                 actors=("Islamic State",), confidence=confidence, date_text="on Wednesday", notes=(f"v{version}",))
        for k in range(n)
    )
    return ArticleResult(article, toponyms, incidents)


def raw_execute(url: str, *statements: str) -> None:
    """Run SQL on a store behind its back (to fake old or foreign versions)."""
    if url.endswith(".gpkg"):
        conn = sqlite3.connect(url)
        with conn:
            for s in statements:
                conn.execute(s)
        conn.close()
    else:
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            for s in statements:
                conn.execute(s)


def test_incidents_round_trip_equal_to_what_went_in(store_url):
    results = [make_result("a1"), make_result("a2", place=KABUL, n=1), make_result("a3", place=None, date=None)]
    with open_store(store_url) as store:
        stats = store.ingest(results)
        assert stats == IngestStats(added=3, toponyms=6, incidents=5)
        assert store.incidents() == [i for r in results for i in r.incidents]


def test_toponyms_and_articles_round_trip(store_url):
    results = [make_result("a1"), make_result("a2", place=SYRIA)]
    with open_store(store_url) as store:
        store.ingest(results)
        assert list(store.toponyms()) == [(r.article.id, t) for r in results for t in r.toponyms]
        articles = list(store.articles())
    want = [dataclasses.replace(r.article, text="", content_hash=a.content_hash) for r, a in zip(results, articles)]
    assert articles == want
    assert all(a.content_hash.startswith("sha256:") for a in articles)


def test_reingesting_same_articles_adds_nothing(store_url):
    results = [make_result(f"a{k}") for k in range(5)]
    with open_store(store_url) as store:
        store.ingest(results, batch_size=2)
        before = store.counts()
        again = store.ingest(results, batch_size=2)
        assert again == IngestStats(unchanged=5)
        assert store.counts() == before == {"articles": 5, "toponyms": 10, "incidents": 10}


def test_changed_article_replaces_its_places_and_incidents(store_url):
    with open_store(store_url) as store:
        store.ingest([make_result("a1"), make_result("a2")])
        stats = store.ingest([make_result("a1", version=2, place=KABUL, n=3), make_result("a2")])
        assert stats == IngestStats(replaced=1, unchanged=1, toponyms=2, incidents=3)
        a1 = [i for i in store.incidents() if i.article_id == "a1"]
        assert [i.notes for i in a1] == [("v2",)] * 3
        assert {i.place for i in a1} == {KABUL, None}
        assert [t.mention.text for aid, t in store.toponyms() if aid == "a1"] == ["Kabul", "Version"]
        assert store.counts() == {"articles": 2, "toponyms": 4, "incidents": 5}


def test_reopened_store_still_knows_what_it_holds(store_url):
    r = make_result("a1")
    with open_store(store_url) as store:
        store.ingest([r])
    with open_store(store_url) as store:
        assert store.ingest([r]) == IngestStats(unchanged=1)
        assert store.incidents() == list(r.incidents)


def test_known_hashes_and_changed_articles_skip_stored_content(store_url):
    old = [make_result(f"a{k}") for k in range(3)]
    with open_store(store_url) as store:
        store.ingest(old)
        known = store.known_hashes(["a0", "a1", "zz"])
        assert set(known) == {"a0", "a1"}
        incoming = [old[0].article, make_result("a1", version=2).article, make_result("new").article]
        assert [a.id for a in changed_articles(store, incoming, batch_size=2)] == ["a1", "new"]


def test_duplicate_id_in_one_batch_keeps_last_version(store_url):
    with open_store(store_url) as store:
        stats = store.ingest([make_result("a1"), make_result("a1", version=2, n=1)])
        assert stats.added == 1
        assert [i.notes for i in store.incidents()] == [("v2",)]
        assert store.counts()["articles"] == 1


def test_incident_filters(store_url):
    results = [
        make_result("a1", date=dt.date(2017, 1, 5), confidence=0.9),
        make_result("a2", place=KABUL, date=dt.date(2017, 2, 5), itype="airstrike", confidence=0.4),
        make_result("a3", place=SYRIA, date=None, confidence=0.6),
    ]
    with open_store(store_url) as store:
        store.ingest(results)
        ids = lambda **kw: [i.id for i in store.incidents(**kw)]  # noqa: E731
        assert ids(since=dt.date(2017, 2, 1)) == ["a2-0", "a2-1"]
        assert ids(until="2017-01-31") == ["a1-0", "a1-1"]
        assert ids(types=["airstrike"]) == ["a2-0", "a2-1"]
        assert ids(countries=["af", "SY"]) == ["a2-0", "a3-0"]
        assert ids(min_confidence=0.6) == ["a1-0", "a1-1", "a3-0", "a3-1"]
        assert ids(types=[]) == []
        with pytest.raises(UsageError, match="since"):
            store.incidents(since="last week")


def test_failed_batch_rolls_back_and_earlier_batches_stay(store_url):
    def results():
        yield make_result("a1")
        yield make_result("a2")
        yield make_result("a3")
        raise RuntimeError("worker died")

    with open_store(store_url) as store:
        with pytest.raises(RuntimeError):
            store.ingest(results(), batch_size=2)
        assert store.counts() == {"articles": 2, "toponyms": 4, "incidents": 4}
        stats = store.ingest([make_result(f"a{k}") for k in (1, 2, 3)], batch_size=2)
        assert stats == IngestStats(added=1, unchanged=2, toponyms=2, incidents=2)


def test_newer_schema_version_is_refused(store_url):
    open_store(store_url).close()
    raw_execute(store_url, f"UPDATE meta SET value = '{SCHEMA_VERSION + 1}' WHERE key = 'schema_version'")
    with pytest.raises(SchemaVersionError, match="newer than this incidentmap supports") as err:
        open_store(store_url)
    assert isinstance(err.value, IncidentMapError)


def test_unknown_schema_version_is_refused(store_url):
    open_store(store_url).close()
    raw_execute(store_url, "UPDATE meta SET value = 'banana' WHERE key = 'schema_version'")
    with pytest.raises(SchemaVersionError, match="unknown store schema version 'banana'"):
        open_store(store_url)


def test_older_schema_is_migrated_by_registered_steps(store_url, monkeypatch):
    r = make_result("a1")
    with open_store(store_url) as store:
        store.ingest([r])
    # fake a version-0 store that lacked incidents.date_text (and the evidence phrases of version 2)
    raw_execute(store_url, "ALTER TABLE incidents DROP COLUMN date_text",
                "ALTER TABLE incidents DROP COLUMN place_evidence", "ALTER TABLE incidents DROP COLUMN date_evidence",
                "UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.raises(SchemaVersionError, match="no migration from version 0 to 1"):
        open_store(store_url)
    calls = []

    def v0_to_v1(execute, dialect):
        calls.append(dialect)
        execute("ALTER TABLE incidents ADD COLUMN date_text TEXT DEFAULT ''")

    monkeypatch.setitem(MIGRATIONS, 0, v0_to_v1)
    with open_store(store_url) as store:
        assert [i.date_text for i in store.incidents()] == ["", ""]
        assert store.ingest([make_result("a2")]).added == 1
    with open_store(store_url) as store:   # now at the current version: no second migration
        assert len(store.incidents()) == 4
    assert calls == ["gpkg" if store_url.endswith(".gpkg") else "postgis"]


def test_the_phrases_that_gave_place_and_date_are_stored_and_read_back(store_url):
    r = make_result("a1")
    text = r.article.text
    place = Phrase(text.index("in "), text.index(","), text[text.index("in "):text.index(",")])
    r = dataclasses.replace(r, incidents=(dataclasses.replace(r.incidents[0], place_evidence=place),
                                          *r.incidents[1:]))
    with open_store(store_url) as store:
        store.ingest([r])
        got = store.incidents()
    assert [(i.place_evidence, i.date_evidence) for i in got] == [(place, None), (None, None)]
    assert text[got[0].place_evidence.start:got[0].place_evidence.end] == "in Mosul"


def test_a_version_1_store_gains_the_phrase_columns_empty(store_url):
    with open_store(store_url) as store:
        store.ingest([make_result("a1")])
    raw_execute(store_url, "ALTER TABLE incidents DROP COLUMN place_evidence",
                "ALTER TABLE incidents DROP COLUMN date_evidence",
                "UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    with open_store(store_url) as store:
        assert [i.place_evidence for i in store.incidents()] == [None, None]
        assert store.ingest([make_result("a2")]).added == 1
        assert len(store.incidents()) == 4


def test_open_store_rejects_unknown_url():
    with pytest.raises(UsageError, match=r"\.gpkg"):
        open_store("incidents.sqlite")


def test_geopackage_is_readable_by_gdal(tmp_path):
    import pyogrio
    path = tmp_path / "s.gpkg"
    with open_store(str(path)) as store:
        store.ingest([make_result("a1"), make_result("a2", place=KABUL)])
    layers = dict(pyogrio.list_layers(path))
    assert layers["incidents"] == "Point" and layers["toponyms"] == "Point"
    df = pyogrio.read_dataframe(path, layer="incidents")
    assert df.crs.to_epsg() == 4326
    assert list(df.incident_id) == ["a1-0", "a1-1", "a2-0", "a2-1"]
    located = df[df.geometry.notna()]
    assert [(round(g.y, 5), round(g.x, 5)) for g in located.geometry] == [(36.335, 43.11889), (34.52813, 69.17233)]
    assert df.geometry.isna().sum() == 2


def test_geopackage_spatial_index_follows_replacements(tmp_path):
    path = tmp_path / "s.gpkg"
    with open_store(str(path)) as store:
        store.ingest([make_result("a1")])
        store.ingest([make_result("a1", version=2, place=KABUL)])
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
    boxes = conn.execute("SELECT minx, miny FROM rtree_incidents_geom").fetchall()
    assert [(round(x, 3), round(y, 3)) for x, y in boxes] == [(69.172, 34.528)]
    conn.close()


def test_geopackage_spatial_index_holds_every_new_point_and_keeps_its_insert_trigger(tmp_path):
    path = tmp_path / "s.gpkg"
    with open_store(str(path)) as store:
        store.ingest([make_result(f"a{k}", place=(MOSUL, KABUL, None)[k % 3], n=3) for k in range(7)], batch_size=3)
        store.ingest([make_result("a1", version=2, place=SYRIA)])
    conn = sqlite3.connect(path)
    triggers = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall())
    assert sorted(triggers) == sorted(f"rtree_{t}_geom_{k}" for t in ("incidents", "toponyms")
                                      for k in ("insert", "update1", "update2", "update3", "update4", "delete"))
    for table in ("incidents", "toponyms"):
        points = conn.execute(f"SELECT fid, lon, lat FROM {table} WHERE geom NOT NULL ORDER BY fid").fetchall()
        boxes = conn.execute(f"SELECT id, minx, maxx, miny, maxy FROM rtree_{table}_geom ORDER BY id").fetchall()
        assert points and [b[0] for b in boxes] == [p[0] for p in points]
        assert all(x0 <= lon <= x1 and y0 <= lat <= y1 and x1 - x0 < 1e-4 and y1 - y0 < 1e-4
                   for (_, lon, lat), (_, x0, x1, y0, y1) in zip(points, boxes))
    # the trigger still enters what another program inserts (with the ST_ functions it brings)
    for name, axis in (("ST_MinX", 0), ("ST_MaxX", 0), ("ST_MinY", 1), ("ST_MaxY", 1)):
        conn.create_function(name, 1, lambda blob, axis=axis: struct.unpack("<dd", blob[13:29])[axis])
    conn.create_function("ST_IsEmpty", 1, lambda blob: 0)
    conn.execute("INSERT INTO incidents (geom, incident_id, article_id, type) SELECT geom, 'x', 'x', 'bombing'"
                 " FROM incidents WHERE geom NOT NULL LIMIT 1")
    fid = conn.execute("SELECT max(fid) FROM incidents").fetchone()[0]
    assert conn.execute("SELECT count(*) FROM rtree_incidents_geom WHERE id = ?", [fid]).fetchone()[0] == 1
    conn.close()


def test_geopackage_whose_insert_trigger_another_tool_rewrote_keeps_it_at_work(tmp_path):
    path = tmp_path / "s.gpkg"
    with open_store(str(path)) as store:
        store.ingest([make_result("a1")])
    conn = sqlite3.connect(path)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'rtree_incidents_geom_insert'").fetchone()[0]
    conn.execute("DROP TRIGGER rtree_incidents_geom_insert")
    rewritten = sql.replace("INSERT OR REPLACE INTO", "REPLACE INTO")      # the same work, other text
    conn.execute(rewritten)
    conn.commit()
    conn.close()
    with open_store(str(path)) as store:
        store.ingest([make_result("a2", place=KABUL)])
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT sql FROM sqlite_master WHERE name = 'rtree_incidents_geom_insert'").fetchone()[0] \
        == rewritten != sql
    boxes = conn.execute("SELECT minx, miny FROM rtree_incidents_geom ORDER BY id").fetchall()
    assert [(round(x, 3), round(y, 3)) for x, y in boxes] == [(43.119, 36.335), (69.172, 34.528)]
    conn.close()


def test_geopackage_refuses_a_foreign_sqlite_file(tmp_path):
    path = tmp_path / "other.gpkg"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE stuff (x)")
    conn.commit()
    conn.close()
    with pytest.raises(IncidentMapError, match="not an incidentmap store"):
        open_store(str(path))


def test_geopackage_in_missing_folder_or_not_a_database_is_a_store_error(tmp_path):
    from geo.store.base import StoreError

    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "nowhere" / "s.gpkg"))
    junk = tmp_path / "junk.gpkg"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="cannot open store"):
        open_store(str(junk))


def _real_pipeline():
    import importlib

    try:
        for name in ("gazetteer.geoparser", "gazetteer.index.lookup", "geo.extract.incidents", "geo.read.articles"):
            importlib.import_module(name)
    except ImportError:
        return None
    from geo.run.pipeline import Pipeline

    return Pipeline()


def test_real_pipeline_results_on_seeds_round_trip(store_url, seeds_dir):
    pipeline = _real_pipeline()
    if pipeline is None:
        pytest.skip("real pipeline modules not present yet")
    from geo.read.articles import read_articles

    results = list(pipeline.run(read_articles(sorted(str(p) for p in seeds_dir.glob("*.txt")))))
    assert results, "no seed articles"
    with open_store(store_url) as store:
        stats = store.ingest(results)
        assert stats.added == len(results)
        assert store.incidents() == [i for r in results for i in r.incidents]
        assert [t for _, t in store.toponyms()] == [
            dataclasses.replace(t, alternatives=()) for r in results for t in r.toponyms]
        assert store.ingest(results).unchanged == len(results)


def test_postgis_geometry_is_typed_and_spatially_indexed(store_url):
    if store_url.endswith(".gpkg"):
        pytest.skip("PostGIS only (the GeoPackage R-tree has its own test)")
    import psycopg

    with open_store(store_url) as store:
        store.ingest([make_result("a1")])
    with psycopg.connect(store_url) as conn:
        kinds = conn.execute(
            "SELECT f_table_name, type, srid FROM geometry_columns"
            " WHERE f_table_schema = current_schema() ORDER BY 1").fetchall()
        gist = conn.execute("SELECT tablename FROM pg_indexes WHERE schemaname = current_schema()"
                            " AND indexdef ILIKE '%USING gist%' ORDER BY 1").fetchall()
        near = conn.execute("SELECT count(*) FROM incidents WHERE ST_DWithin(geom,"
                            " ST_SetSRID(ST_MakePoint(43.1, 36.3), 4326), 0.1)").fetchone()[0]
    assert kinds == [("incidents", "POINT", 4326), ("toponyms", "POINT", 4326)]
    assert gist == [("incidents",), ("toponyms",)]
    assert near == 1


def test_ingest_articles_processes_only_new_or_changed_and_counts_skipped(store_url):
    from geo.store.base import ingest_articles

    by_id = {r.article.id: r for r in [make_result("a1"), make_result("a2")]}
    seen: list[str] = []

    def process(articles):
        for a in articles:
            seen.append(a.id)
            yield next(r for r in [*by_id.values(), changed] if r.article == a)

    changed = make_result("a2", version=2)
    with open_store(store_url) as store:
        first = ingest_articles(store, [r.article for r in by_id.values()], process)
        assert first == IngestStats(added=2, toponyms=4, incidents=4)
        seen.clear()
        again = ingest_articles(store, [by_id["a1"].article, changed.article], process, batch_size=1)
        assert seen == ["a2"]
        assert again == IngestStats(replaced=1, unchanged=1, toponyms=2, incidents=2)


@pytest.mark.parametrize("column, literal, reason", [
    ("date", "'9999-12-31'", "outside 1900-2100"),
    ("evidence", "'[]'", "evidence"),
    ("fatalities", str(2 ** 62), "not a number of people"),
])
def test_a_stored_row_that_cannot_be_read_back_is_skipped_and_reported(store_url, column, literal, reason):
    results = [make_result("a1"), make_result("a2", place=KABUL, n=1)]
    with open_store(store_url) as store:
        store.ingest(results)
        # As an older version or a damaged file could have left it (the store's own connection:
        # the GeoPackage's triggers need its SQL functions).
        store._execute(f"UPDATE incidents SET {column} = {literal} WHERE incident_id = 'a1-0'")
    bad = []
    with open_store(store_url, read_only=True, on_bad_row=bad.append) as store:
        found = store.incidents()
    assert [i.id for i in found] == ["a1-1", "a2-0"]
    assert len(bad) == 1 and "incidents row" in str(bad[0]) and reason in str(bad[0])
