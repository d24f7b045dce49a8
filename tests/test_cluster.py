"""Dask: one task per shard, into a store or a GeoParquet folder, on a local cluster."""

from __future__ import annotations

import json
import re

import distributed  # noqa: F401  (a required dependency: its absence must fail, not skip)
import pytest

from geo.errors import InputError
from geo.model import (
    Article,
    ArticleResult,
    DatePrecision,
    Evidence,
    Incident,
    Level,
    Mention,
    Place,
    Span,
    Toponym,
)
from geo.run.pipeline import Settings

KABUL = Place("gn:1138958", "Kabul", 34.52813, 69.17233, Level.CITY, "geonames", "AF")


class KabulPipeline:
    """A stand-in pipeline: 'Kabul' is a place, every 'attack' an incident there."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def process(self, article: Article) -> ArticleResult:
        tops = tuple(Toponym(Mention(m.start(), m.end(), m.group()), KABUL, 0.9)
                     for m in re.finditer("Kabul", article.text))
        incidents = tuple(
            Incident(f"{article.id}-{k}", "attack", "Violence against civilians", "Attack", None,
                     DatePrecision.UNKNOWN, KABUL, "Kabul", None,
                     (Evidence(article.id, article.title, article.text, Span(0, len(article.text)),
                               "attack", Span(m.start(), m.end())),))
            for k, m in enumerate(re.finditer("attack", article.text)))
        return ArticleResult(article, tops, incidents)

    def run(self, articles):
        return (self.process(a) for a in articles)


@pytest.fixture(scope="module")
def shards(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shards")
    paths = []
    for s in range(2):
        path = folder / f"shard{s}.jsonl"
        with open(path, "w") as f:
            for k in range(3):
                text = f"KABUL (Reuters) - An attack in Kabul, shard {s} story {k}." + " Another attack." * (k % 2)
                f.write(json.dumps({"id": f"s{s}-{k}", "title": f"Story {k}", "text": text}) + "\n")
        paths.append(str(path))
    return paths


@pytest.fixture(scope="module")
def scheduler():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=40) as cluster:
        yield cluster.scheduler_address


def test_shards_go_into_the_store_in_order_and_reingest_adds_nothing(shards, scheduler, tmp_path):
    from geo.run.cluster import process_dask
    from geo.store import open_store

    db = str(tmp_path / "s.gpkg")
    summary = process_dask(shards, Settings(), address=scheduler, out=db, factory=KabulPipeline)
    assert (summary.shards, summary.articles, summary.incidents) == (2, 6, 8)
    assert summary.stats.added == 6
    with open_store(db) as store:
        assert [a.id for a in store.articles()] == ["s0-0", "s0-1", "s0-2", "s1-0", "s1-1", "s1-2"]
        assert len(store.incidents()) == 8
    again = process_dask(shards, Settings(), address=scheduler, out=db, factory=KabulPipeline)
    assert again.stats.unchanged == 6 and again.stats.added == 0
    assert again.incidents == 0    # skipped on the workers, not processed again


def test_shards_written_as_one_geoparquet_file_each(shards, scheduler, tmp_path):
    import geopandas

    from geo.run.cluster import process_dask

    out = tmp_path / "parquet"
    summary = process_dask([shards[0].replace("shard0", "shard*")], Settings(), address=scheduler,
                           out=str(out), factory=KabulPipeline)
    assert [p.rsplit("/", 1)[1] for p in summary.files] == ["part-00000-shard0.parquet", "part-00001-shard1.parquet"]
    frames = [geopandas.read_parquet(p) for p in summary.files]
    assert [len(f) for f in frames] == [4, 4]
    assert frames[0].crs.to_epsg() == 4326
    assert round(frames[1].geometry.iloc[0].x, 4) == 69.1723
    assert sorted(out.iterdir()) == sorted(out / p.rsplit("/", 1)[1] for p in summary.files)


def test_local_address_starts_its_own_cluster(shards, tmp_path):
    from geo.run.cluster import process_dask

    summary = process_dask(shards[:1], Settings(), address="local", out=str(tmp_path / "s.gpkg"),
                           factory=KabulPipeline)
    assert summary.articles == 3 and summary.stats.added == 3


def test_missing_shard_glob_is_an_input_error(tmp_path):
    from geo.run.cluster import expand_shards

    with pytest.raises(InputError, match="no files match"):
        expand_shards([str(tmp_path / "*.jsonl")])


def test_real_pipeline_on_seed_shards_matches_in_process_run(scheduler, seeds_dir, tmp_path):
    import importlib

    try:
        for name in ("gazetteer.geoparser", "gazetteer.index.lookup", "geo.extract.incidents", "geo.outputs.export"):
            importlib.import_module(name)
    except ImportError:
        pytest.skip("real pipeline modules not present yet")
    from geo.read.articles import read_articles
    from geo.run.cluster import process_dask
    from geo.run.pipeline import Pipeline
    from geo.store import open_store

    seeds = sorted(str(p) for p in seeds_dir.glob("*.txt"))
    want = [i for r in Pipeline().run(read_articles(seeds)) for i in r.incidents]
    db = str(tmp_path / "s.gpkg")
    summary = process_dask(seeds, Settings(), address=scheduler, out=db)
    assert summary.shards == len(seeds) and summary.incidents == len(want)
    with open_store(db) as store:
        assert store.incidents() == want
