"""Run the pipeline on a Dask cluster, one task per input shard (file).

Each task reads its shard with `geo.read.articles.read_articles` and runs the pipeline on a
worker. Results go either into a store (gathered shard by shard on the client, which
owns the store connection) or into a GeoParquet folder with one file per shard, written
by the workers themselves (so the folder must be reachable from every worker).
"""

from __future__ import annotations

import glob
import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from distributed import Client, LocalCluster, as_completed

from geo.errors import InputError, UsageError
from geo.model import ArticleResult
from geo.outputs.atomic import atomic_path
from geo.outputs.export import to_geodataframe
from geo.read.articles import EXTENSIONS, read_articles
from geo.run.pipeline import Pipeline, Settings
from geo.store import open_store
from geo.store.base import IngestStats, Store
from geo.store.schema import article_hash

__all__ = ["DaskSummary", "expand_shards", "process_dask"]

LOCAL = "local"
PipelineFactory = Callable[[Settings], Pipeline]

# One pipeline per worker process and settings: loading the gazetteer per task would dominate.
_pipelines: dict[tuple, Pipeline] = {}


@dataclass(frozen=True, slots=True)
class DaskSummary:
    """What a Dask run did."""

    shards: int
    articles: int
    incidents: int
    stats: object | None = None          # geo.store.base.IngestStats when writing to a store
    files: tuple[str, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        where = f"; store: {self.stats}" if self.stats is not None else f"; {len(self.files)} GeoParquet file(s)"
        return f"{self.shards} shard(s), {self.articles} article(s), {self.incidents} incident(s){where}"


def expand_shards(inputs: Sequence[str]) -> list[str]:
    """Input files: globs expanded, folders listed (known article extensions), order kept."""
    shards: list[str] = []
    for item in inputs:
        item = os.fspath(item)
        matches = sorted(glob.glob(item)) if glob.has_magic(item) else [item]
        if not matches:
            raise InputError(f"no files match {item}")
        for path in matches:
            if os.path.isdir(path):
                for folder, dirs, files in os.walk(path):
                    dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                    shards += [os.path.join(folder, f) for f in sorted(files)
                               if not f.startswith(".") and os.path.splitext(f)[1].lower() in EXTENSIONS]
            elif os.path.exists(path):
                shards.append(path)
            else:
                raise InputError(f"path does not exist: {path}")
    if not shards:
        raise InputError("no input shards to process")
    return list(dict.fromkeys(shards))


def _pipeline(factory: PipelineFactory, settings: Settings) -> Pipeline:
    key = (factory, settings)
    if key not in _pipelines:
        _pipelines[key] = factory(settings)
    return _pipelines[key]


def _process_shard(path: str, settings: Settings, factory: PipelineFactory,
                   known: dict[str, str] | None = None) -> tuple[list[ArticleResult], list[str], int]:
    """Worker task: the shard's articles processed (skipping those `known` by id and hash),
    the reader's complaints, and how many were skipped."""
    problems: list[str] = []
    pipeline = _pipeline(factory, settings)
    results, skipped = [], 0
    for a in read_articles([path], on_error=lambda e: problems.append(f"{e} (skipped)")):
        if known and known.get(a.id) == article_hash(a):
            skipped += 1
            continue
        results.append(pipeline.process(a))
    return results, problems, skipped


def _shard_to_parquet(path: str, settings: Settings, factory: PipelineFactory, target: str
                      ) -> tuple[int, int, list[str]]:
    """Worker task: process one shard and write its incidents as one GeoParquet file."""
    results, problems, _ = _process_shard(path, settings, factory)
    incidents = [i for r in results for i in r.incidents]
    frame = to_geodataframe(incidents)
    frame["shard"] = os.path.basename(path)
    with atomic_path(target) as tmp:
        frame.to_parquet(tmp, index=False)
    return len(results), len(incidents), problems + [w for r in results for w in r.warnings]


def _client(address: str, n_workers: int):
    if address == LOCAL:
        cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=40)
        return Client(cluster), cluster
    try:
        return Client(address, timeout="20s"), None
    except (OSError, ValueError, TypeError) as exc:   # ValueError: an address scheme Dask does not know
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc


def process_dask(inputs: Sequence[str], settings: Settings, *, address: str = LOCAL, out,
                 factory: PipelineFactory = Pipeline, n_workers: int = 2) -> DaskSummary:
    """Process input shards on a Dask cluster into a store or a GeoParquet folder.

    `address` is "local" (a LocalCluster of `n_workers` single-threaded processes) or a
    scheduler address like "tcp://10.0.0.5:8786". `out` is a `Store`, a store URL
    (`*.gpkg`, `postgresql://...`) or a folder for GeoParquet files (one per shard).
    """
    shards = expand_shards(inputs)
    store, owned = None, False
    if isinstance(out, Store):
        store = out
    elif isinstance(out, str) and (out.lower().endswith(".gpkg") or out.startswith(("postgresql://", "postgres://"))):
        store, owned = open_store(out), True
    elif isinstance(out, (str, os.PathLike)):
        os.makedirs(out, exist_ok=True)
    else:
        raise UsageError("out must be a store, a store URL or a folder for GeoParquet files")
    try:
        client, cluster = _client(address, n_workers)
        try:
            if store is not None:
                return _into_store(client, shards, settings, factory, store)
            return _into_parquet(client, shards, settings, factory, os.fspath(out))
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    finally:
        if owned and store is not None:
            store.close()


def _into_store(client, shards, settings, factory, store) -> DaskSummary:

    run = uuid.uuid4().hex[:8]
    # what the store holds, shipped once to every worker, so unchanged articles are not processed
    known = client.scatter([{a.id: a.content_hash for a in store.articles()}], broadcast=True)[0]
    futures = [client.submit(_process_shard, s, settings, factory, known, key=f"incidentmap-{run}-shard-{k}")
               for k, s in enumerate(shards)]
    index = {f.key: k for k, f in enumerate(futures)}
    done: dict[int, tuple[list[ArticleResult], list[str], int]] = {}
    stats, articles, incidents, warnings = IngestStats(), 0, 0, []
    next_shard = 0
    # ingest in shard order as soon as a prefix is complete, so repeated runs write identically
    for future in as_completed(futures):
        done[index[future.key]] = future.result()
        future.release()
        while next_shard in done:
            results, problems, skipped = done.pop(next_shard)
            stats += store.ingest(results) + IngestStats(unchanged=skipped)
            articles += len(results) + skipped
            incidents += sum(len(r.incidents) for r in results)
            warnings += problems + [w for r in results for w in r.warnings]
            next_shard += 1
    return DaskSummary(len(shards), articles, incidents, stats=stats, warnings=tuple(warnings))


def _into_parquet(client, shards, settings, factory, folder) -> DaskSummary:
    targets = [os.path.join(folder, f"part-{k:05d}-{os.path.splitext(os.path.basename(s))[0]}.parquet")
               for k, s in enumerate(shards)]
    run = uuid.uuid4().hex[:8]
    futures = [client.submit(_shard_to_parquet, s, settings, factory, t, key=f"incidentmap-{run}-parquet-{k}")
               for k, (s, t) in enumerate(zip(shards, targets))]
    parts = client.gather(futures)
    return DaskSummary(
        len(shards), sum(p[0] for p in parts), sum(p[1] for p in parts), files=tuple(targets),
        warnings=tuple(w for p in parts for w in p[2]),
    )
