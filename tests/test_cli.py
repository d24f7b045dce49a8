"""The real command line, end to end on the seeds and on bad input."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS

COMMANDS = [
    ("map",), ("extract",), ("places",), ("summary",), ("ingest",), ("eval",),
    ("gazetteer",), ("gazetteer", "lookup"), ("gazetteer", "info"), ("gazetteer", "import"),
    ("assets",), ("assets", "verify"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(cli, command):
    proc = cli(*command, "--help")
    assert proc.returncode == 0, proc.stderr
    assert "Example" in proc.stdout
    assert "incidentmap " in proc.stdout


@pytest.fixture(scope="module")
def seed_geojson(cli, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("extract") / "seeds.geojson"
    proc = cli("extract", str(SEEDS), "-o", str(out), "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def test_extract_writes_rfc7946_geojson_without_crs(seed_geojson):
    assert seed_geojson["type"] == "FeatureCollection"
    assert "crs" not in seed_geojson
    features = seed_geojson["features"]
    assert len(features) >= 10
    located = [f for f in features if f["geometry"] is not None]
    assert located, "no incident on the seeds was located"
    for feature in located:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert (lon, lat) != (0, 0)


def test_extract_places_mosul_incidents_in_northern_iraq_lon_lat_order(seed_geojson):
    mosul = [f for f in seed_geojson["features"] if f["geometry"] and f["properties"]["country_code"] == "IQ"
             and "Mosul" in (f["properties"]["sentence"] or "")]
    assert mosul
    lon, lat = mosul[0]["geometry"]["coordinates"]
    # Iraq spans roughly 38.8-48.6 E and 29-37.4 N: swapped order would fail.
    assert 38 < lon < 49 and 29 < lat < 38


def test_map_writes_html_and_reports_counts(cli, tmp_path):
    out = tmp_path / "seeds.html"
    proc = cli("map", str(SEEDS), "-o", str(out), "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    html = out.read_text(encoding="utf-8")
    assert "leaflet" in html.lower()
    assert f"wrote {out}" in proc.stderr
    assert "19 article(s)" in proc.stderr
    assert "incident(s)" in proc.stderr


def test_places_lists_resolved_mentions_with_offsets(cli):
    from geo.read.articles import read_articles

    proc = cli("places", str(SEEDS), "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    fields = {"article_id", "article_title", "start", "end", "text", "name", "lat", "lon", "country_code",
              "admin1", "feature_code", "place_id", "score"}
    assert rows and all(fields <= set(r) for r in rows)
    texts = {a.id: a.text for a in read_articles([SEEDS])}
    for row in rows:
        assert texts[row["article_id"]][row["start"]:row["end"]] == row["text"]
    names = {r["name"] for r in rows}
    assert "Mosul" in names and "Erbil" in names
    # GeoNames' id wherever one exists: every cities500 town and every country
    ids = {r["name"]: r["geonameid"] for r in rows}
    assert ids["Mosul"] == "99072" and ids["Iraq"] == "99237"
    assert all(r["geonameid"] == r["place_id"][3:] for r in rows if r["place_id"].startswith("gn:"))


def test_missing_path_exits_2_without_traceback(cli, tmp_path):
    proc = cli("extract", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "x.geojson"))
    assert proc.returncode == 2
    assert "nope.txt" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_no_paths_is_a_usage_error(cli, tmp_path):
    proc = cli("extract", "-o", str(tmp_path / "x.geojson"))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_unwritable_output_exits_3(cli, tmp_path):
    proc = cli("extract", str(SEEDS / "003_59b76497100ea0c8.txt"), "-o", str(tmp_path / "no" / "such" / "x.geojson"),
               "--workers", "1")
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr


def _bad_inputs(folder: Path) -> None:
    good = {"id": "ok-1", "title": "Air strike", "text": "BAGHDAD (Reuters) - An air strike killed 3 people in Mosul on Monday.",
            "date": "2017-04-18"}
    lines = [json.dumps(good), "{not json", json.dumps({"id": "no-text"}), json.dumps(["a", "list"])]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "rows.csv").write_text('id,title,text\nc1,T,"KABUL (Reuters) - Taliban fighters attacked a checkpoint."\nc2,only two\n',
                                     encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\xff\xfe" * 200)
    (folder / "empty.jsonl").write_text("", encoding="utf-8")
    (folder / "latin1.jsonl").write_bytes(b'{"id": "l1", "text": "caf\xe9 in Paris"}\n')


def test_bad_records_are_reported_with_file_and_line_and_skipped(cli, tmp_path):
    _bad_inputs(tmp_path)
    out = tmp_path / "out.geojson"
    proc = cli("extract", str(tmp_path), "-o", str(out), "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "feed.jsonl:2" in proc.stderr
    assert "feed.jsonl:3" in proc.stderr
    assert "feed.jsonl:4" in proc.stderr
    assert "rows.csv:3" in proc.stderr
    assert "binary.txt" in proc.stderr
    assert "record(s) skipped" in proc.stderr
    ids = {f["properties"]["article_id"] for f in json.loads(out.read_text())["features"]}
    assert "ok-1" in ids


def test_strict_turns_skipped_records_into_exit_1(cli, tmp_path):
    _bad_inputs(tmp_path)
    proc = cli("extract", str(tmp_path), "-o", str(tmp_path / "out.geojson"), "--strict", "--workers", "1")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr


def test_reads_json_lines_from_standard_input(cli):
    record = {"id": "stdin-1", "text": "MOSUL, Iraq (Reuters) - A suicide car bomb exploded in Mosul on Tuesday, killing four people.",
              "date": "2017-04-20"}
    proc = cli("extract", "-", "-o", "-", "--workers", "1", input=json.dumps(record) + "\n")
    assert proc.returncode == 0, proc.stderr
    collection = json.loads(proc.stdout)
    assert [f["properties"]["article_id"] for f in collection["features"]] == ["stdin-1"]
    props = collection["features"][0]["properties"]
    assert props["date"] == "2017-04-18"
    assert props["fatalities"] == 4


def test_python_dash_m_geo_shows_version(cli):
    proc = cli("--version")
    assert proc.returncode == 0
    assert "version" in proc.stdout.lower()


def test_ingest_twice_adds_nothing_and_the_store_feeds_map_places_and_summary(cli, tmp_path):
    db = str(tmp_path / "seeds.gpkg")
    first = cli("ingest", str(SEEDS), "--db", db, "--workers", "1")
    assert first.returncode == 0, first.stderr
    assert "19 added" in first.stderr
    again = cli("ingest", str(SEEDS), "--db", db, "--workers", "1")
    assert again.returncode == 0, again.stderr
    assert "0 added, 0 replaced, 19 unchanged" in again.stderr

    out = tmp_path / "from-store.geojson"
    proc = cli("extract", "--db", db, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    from_store = json.loads(out.read_text())["features"]
    direct = tmp_path / "direct.geojson"
    assert cli("extract", str(SEEDS), "-o", str(direct), "--workers", "1").returncode == 0
    assert sorted(f["properties"]["id"] for f in from_store) == sorted(
        f["properties"]["id"] for f in json.loads(direct.read_text())["features"])

    places = cli("places", "--db", db)
    assert places.returncode == 0, places.stderr
    assert any(json.loads(line)["name"] == "Mosul" for line in places.stdout.splitlines())

    summary = cli("summary", "--db", db, "--by", "country", "--format", "csv")
    assert summary.returncode == 0, summary.stderr
    assert "Iraq" in summary.stdout


def test_paths_and_db_together_is_a_usage_error(cli, tmp_path):
    proc = cli("extract", str(SEEDS), "--db", str(tmp_path / "x.gpkg"), "-o", str(tmp_path / "x.geojson"))
    assert proc.returncode == 2
    assert "not both" in proc.stderr


@pytest.mark.parametrize("args", [
    ("map", "seeds", "--online", "--geocoder", "geonames", "-o", "{tmp}/m.html"),
    ("extract", "seeds", "--online", "--geocoder", "geonames", "-o", "{tmp}/x.geojson"),
    ("places", "seeds", "--online", "--geocoder", "geonames"),
    ("summary", "seeds", "--online", "--geocoder", "geonames"),
    ("ingest", "seeds", "--online", "--geocoder", "geonames", "--db", "{tmp}/s.gpkg"),
    ("summary", "seeds", "--by", "galaxy"),
    ("extract", "seeds", "-o", "{tmp}/x.docx"),
    ("map", "seeds", "--min-confidence", "7", "-o", "{tmp}/m.html"),
    ("eval", "{tmp}/missing.jsonl"),
    ("gazetteer", "lookup", "Mosul", "--near", "north,east"),
])
def test_every_command_answers_a_bad_option_with_a_message_and_exit_2(cli, tmp_path, args):
    proc = cli(*(a.format(tmp=tmp_path) for a in args), cwd=ROOT)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip()


def _commands_with(option: str) -> list[str]:
    from geo.cli.main import main

    return sorted(name for name, command in main.commands.items()
                  if any(option in p.opts for p in command.params))


@pytest.mark.parametrize("command", _commands_with("--min-confidence"))
@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "-0.5", "2"])
def test_min_confidence_outside_0_to_1_or_not_a_number_is_a_usage_error(cli, tmp_path, command, value):
    proc = cli(command, "seeds", f"--min-confidence={value}", "-o", str(tmp_path / "out.csv"), cwd=ROOT)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "--min-confidence" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out.csv").exists()


def test_the_min_confidence_filter_refuses_nan_from_library_callers_too():
    from geo.errors import UsageError
    from geo.run.runner import Filters

    assert _commands_with("--min-confidence") == ["extract", "map", "summary"]
    with pytest.raises(UsageError, match="from 0 to 1"):
        Filters(min_confidence=float("nan"))
    assert Filters(min_confidence=0.0).min_confidence == 0.0


def test_a_quoted_glob_is_expanded_and_one_matching_nothing_is_named(cli, tmp_path):
    shards = tmp_path / "shards"
    shards.mkdir()
    for n in (1, 2):
        (shards / f"s{n}.jsonl").write_text(json.dumps({"id": f"s{n}", "date": "2017-04-18", "text": (
            f"BAGHDAD (Reuters) - An air strike killed {n + 2} people in Mosul on Monday.")}) + "\n", encoding="utf-8")
    out = tmp_path / "x.geojson"
    proc = cli("extract", str(shards / "*.jsonl"), "-o", str(out), "--workers", "1", "--no-merge")
    assert proc.returncode == 0, proc.stderr
    assert {f["properties"]["article_id"] for f in json.loads(out.read_text())["features"]} == {"s1", "s2"}
    proc = cli("extract", str(tmp_path / "none" / "*.jsonl"), "-o", str(out))
    assert proc.returncode == 2 and "no file matches" in proc.stderr and "Traceback" not in proc.stderr


def test_a_latin1_gazetteer_import_names_its_line_without_a_traceback(cli, tmp_path):
    bad = tmp_path / "places.csv"
    bad.write_bytes(b"name,lat,lon\nCaf\xe9 Town,10.5,20.5\n")
    proc = cli("gazetteer", "import", str(bad), env={"INCIDENTMAP_USER_PLACES": str(tmp_path / "u.sqlite")})
    assert proc.returncode == 2, proc.stderr
    assert f"{bad}:2" in proc.stderr and "UTF-8" in proc.stderr and "Traceback" not in proc.stderr


def test_the_first_run_says_it_builds_the_gazetteer_index(cli, tmp_path, gazetteer_index):
    # Pointing at a fresh index path makes this the "first run"; a folder that cannot be created stops
    # the build right after the message, so the test does not spend half a minute building.
    missing = tmp_path / "file" / "index.sqlite"
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    proc = cli("places", str(SEEDS), env={"INCIDENTMAP_GAZETTEER": str(missing)})
    assert "building the gazetteer index" in proc.stderr and "first run only" in proc.stderr
    # ... and an index path that cannot be made is a message and exit 2, not a traceback.
    assert proc.returncode == 2 and "cannot build the gazetteer index" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = cli("places", str(SEEDS), "-q", env={"INCIDENTMAP_GAZETTEER": str(missing)})
    assert "building the gazetteer index" not in proc.stderr


def test_a_mistyped_store_path_is_an_error_not_an_empty_map(cli, tmp_path):
    old = tmp_path / "incidents.html"
    old.write_text("the map from yesterday", encoding="utf-8")
    proc = cli("map", "--db", str(tmp_path / "incidnets.gpkg"), "-o", str(old))
    assert proc.returncode == 2 and "no store at" in proc.stderr and "Traceback" not in proc.stderr
    assert old.read_text(encoding="utf-8") == "the map from yesterday"
    assert not (tmp_path / "incidnets.gpkg").exists()


def test_assets_verify_checks_the_vendored_files_and_lists_their_licences(cli):
    proc = cli("assets", "verify")
    assert proc.returncode == 0, proc.stderr
    assert "leaflet@1.9.3  BSD-2-Clause" in proc.stdout
    assert "vendored files match their checksums" in proc.stdout


HEAVY_FOR_HELP = ("folium", "branca", "geopandas", "pandas", "matplotlib", "numpy", "sklearn", "dask", "geopy")
_LOADED_AFTER = """
import sys
from geo.cli.main import main
try:
    main(sys.argv[1:], prog_name="incidentmap")
except SystemExit:
    pass
print(" ".join(sorted(name for name in sys.modules if name.split(".")[0] in {heavy!r})), file=sys.stderr)
"""


def _heavy_loaded(*args: str) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", _LOADED_AFTER.format(heavy=HEAVY_FOR_HELP), *args],
                          capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    return {name.split(".")[0] for name in proc.stderr.strip().splitlines()[-1].split()} if proc.stderr.strip() else set()


def test_help_loads_no_heavy_library():
    assert _heavy_loaded("--help") == set()


def test_places_loads_neither_the_map_nor_the_summary_libraries():
    loaded = _heavy_loaded("places", str(SEEDS / "000_f04235f78eb6f9dd.txt"), "--workers", "1")
    assert not loaded & {"folium", "branca", "geopandas", "matplotlib"}, loaded


def test_frames_place_and_date_the_seed_incidents_by_the_parse(cli, tmp_path):
    out = tmp_path / "f.geojson"
    proc = cli("extract", str(SEEDS), "--frames", "--workers", "1", "-q", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    feats = json.loads(out.read_text(encoding="utf-8"))["features"]
    achin = [f["properties"] for f in feats if f["properties"].get("place_text") == "Achin"]
    assert achin and achin[0]["date"] == "2017-04-13", achin


def test_frames_without_spacy_say_how_to_install_it_and_exit_2(cli, tmp_path):
    fake = tmp_path / "nospacy" / "spacy"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('spaCy is not installed here')\n", encoding="utf-8")
    proc = cli("extract", str(SEEDS), "--frames", "-o", str(tmp_path / "x.geojson"),
               env={"PYTHONPATH": f"{fake.parent}{os.pathsep}{ROOT}"})
    assert proc.returncode == 2 and "pip install spacy" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "x.geojson").exists()


def test_eval_incidents_offers_every_split_the_evaluators_have():
    from geo.cli.admin import ARTICLE_SPLITS, SENTENCE_SPLITS
    from geo.evaluate.events import _parser
    from geo.evaluate.incidents import SPLITS

    assert ARTICLE_SPLITS == SPLITS
    split = next(a for a in _parser()._actions if a.dest == "split")
    assert SENTENCE_SPLITS == tuple(split.choices)


def test_eval_incidents_scores_the_written_articles_without_any_corpus(cli):
    """The written articles carry their own texts: scoring them needs nothing outside the repository."""
    proc = cli("eval-incidents", "--split", "written-articles")
    assert proc.returncode == 0, proc.stderr
    head = re.search(r"\[written-articles\] articles (\d+)\s+gold incidents (\d+)\s+predicted (\d+)", proc.stdout)
    assert head and int(head.group(1)) >= 100 and int(head.group(2)) >= 300, proc.stdout
    recall = re.search(r"\[written-articles\].*?family\+place\+date\s+recall (\d\.\d+)", proc.stdout, re.S)
    assert recall and float(recall.group(1)) > 0.3, proc.stdout


def test_eval_incidents_scores_the_blind_notes_sentence_by_sentence(cli):
    proc = cli("eval-incidents", "--sentences", "--split", "notes-blind")
    assert proc.returncode == 0, proc.stderr
    assert "[notes-blind] 400 sentences" in proc.stdout and "weighted F1" in proc.stdout
    bad = cli("eval-incidents", "--sentences", "--split", "blind4")
    assert bad.returncode == 2 and "notes-blind" in bad.stderr and "Traceback" not in bad.stderr
