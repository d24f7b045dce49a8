"""Shared fixtures: repository paths, the seed files, a runner for the real command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


CORPUS_FILES = ("lgl/lgl.jsonl", "geowebnews/geowebnews.jsonl", "geovirus/geovirus.jsonl",
                "isot-reuters-true-sample/isot-true.jsonl", "isot-reuters-true-sample/isot-true.conflict.jsonl")


@pytest.fixture(scope="session")
def corpora_dir() -> Path:
    """../shared/corpora beside the checkout: absent on a fresh clone (skip), but never half there (fail)."""
    if not CORPORA.is_dir():
        pytest.skip(f"evaluation corpora not found at {CORPORA}")
    for name in CORPUS_FILES:
        path = CORPORA / name
        try:
            with path.open("rb") as fh:
                fh.read(1)
        except OSError as exc:
            pytest.fail(f"{CORPORA} is present but {name} cannot be read ({exc})")
    return CORPORA


def run_cli(*args: str, input: str | bytes | None = None, cwd: Path | None = None, env: dict | None = None,
            timeout: float = 600) -> subprocess.CompletedProcess:
    """Run `python -m geo ARGS` as a user would, capturing text output."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    if isinstance(input, str):
        input = input.encode("utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "geo", *args], input=input, capture_output=True, cwd=cwd or ROOT,
        env=full_env, timeout=timeout,
    )
    proc.stdout = proc.stdout.decode("utf-8", "replace")
    proc.stderr = proc.stderr.decode("utf-8", "replace")
    return proc


@pytest.fixture(scope="session")
def cli():
    return run_cli


@pytest.fixture(scope="session")
def seeds_store(tmp_path_factory) -> Path:
    """The seeds ingested once into a GeoPackage, alone in its folder, through the real command; tests that
    change a store work on a copy of it."""
    db = tmp_path_factory.mktemp("store") / "seeds.gpkg"
    proc = run_cli("ingest", str(SEEDS), "--db", str(db), "--workers", "1", "-q")
    assert proc.returncode == 0, proc.stderr
    return db


@pytest.fixture(params=["gpkg", pytest.param("postgis", marks=pytest.mark.postgis)])
def store_url(request, tmp_path):
    """A fresh, empty store URL on each back end: a GeoPackage path, then a PostGIS schema of its own.

    The PostGIS leg needs INCIDENTMAP_TEST_PG (e.g. `export INCIDENTMAP_TEST_PG=$(scripts/start_postgis.sh)`).
    """
    if request.param == "gpkg":
        yield str(tmp_path / "store.gpkg")
        return
    base = os.environ.get("INCIDENTMAP_TEST_PG")
    if not base:
        pytest.skip("PostGIS leg skipped: set INCIDENTMAP_TEST_PG (export INCIDENTMAP_TEST_PG=$(scripts/start_postgis.sh))")
    import uuid

    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema},public"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(scope="session")
def gazetteer_index():
    """The full gazetteer index at its default location, shared with the CLI and pipeline tests.

    The first open builds it (about 20 s); CI starts from an empty cache folder, so that build is tested too.
    """
    from gazetteer.index.lookup import GazetteerIndex

    index = GazetteerIndex.open()
    yield index
    index.close()


@pytest.fixture(scope="session")
def real_geoparser(gazetteer_index):
    """The geoparser over the full gazetteer index."""
    from gazetteer.geoparser import Geoparser

    return Geoparser.open(gazetteer_index.path)


@pytest.fixture
def merge_comparisons(monkeypatch) -> list[int]:
    """A one-item list counting the comparisons of two incidents from different articles that merging makes."""
    import geo.merge

    calls = [0]
    real = geo.merge._same_across

    def counting(*args, **kwargs):
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(geo.merge, "_same_across", counting)
    return calls


def place_named(geo, text: str, name: str, **kw):
    """The place the geoparser gives the first mention `name` in `text` (the test fails if there is none)."""
    hits = [t for t in geo.parse(text, **kw) if t.mention.text == name]
    assert hits, f"{name!r} was not found in {text!r}"
    return hits[0].place


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI, a browser or PostGIS test that skipped is a failure: CI installs both on purpose."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") != "true" or not report.skipped:
        return
    needs = {m.name for m in item.iter_markers()} & {"browser", "postgis"}
    if needs and "PostGIS only" not in str(report.longrepr):
        report.outcome = "failed"
        report.longrepr = f"CI must run {', '.join(sorted(needs))} tests, but this one skipped: {report.longrepr}"
