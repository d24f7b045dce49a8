"""Run the pipeline on several cores: bounded batches to worker processes, results in input order."""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from geo.errors import UsageError
from geo.model import Article, ArticleResult
from geo.run.pipeline import Pipeline, Settings

__all__ = ["default_workers", "process_parallel"]

PipelineFactory = Callable[[Settings], Pipeline]

# The worker's own pipeline, built once by the pool initializer so the gazetteer index
# and lexicons load once per process rather than once per batch.
_pipeline: Pipeline | None = None


def _init_worker(factory: PipelineFactory, settings: Settings) -> None:
    global _pipeline
    # Ctrl-C reaches the whole process group; only the parent should act on it (it cancels
    # the queued batches), or every worker would print its own KeyboardInterrupt traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _watch_parent(os.getppid())
    _pipeline = factory(settings)


def _watch_parent(parent: int, interval: float = 0.5) -> None:
    """Exit this worker as soon as its parent is gone.

    A parent killed outright (SIGKILL, the OOM killer) runs no clean-up; its workers hold both ends
    of the pool's pipes, so they would wait for work forever, each keeping the store file open.
    """
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _run_batch(batch: list[Article], toponyms: bool = True) -> list[ArticleResult]:
    if _pipeline is None:   # the initializer always runs first; this guards direct calls
        raise RuntimeError("worker pipeline not initialised")
    results = [_pipeline.process(a) for a in batch]
    return results if toponyms else [r.without_toponyms() for r in results]


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:
        return os.cpu_count() or 1


def process_parallel(articles: Iterable[Article], settings: Settings, *, workers: int, batch_size: int = 64,
                     factory: PipelineFactory = Pipeline, mp_context: str | None = None,
                     toponyms: bool = True) -> Iterator[ArticleResult]:
    """Process articles on `workers` processes, yielding results in input order.

    At most `2 * workers` batches are in flight, so memory stays bounded however long the
    input is. `workers=1` runs in this process. `factory` builds each worker's pipeline
    (it must be picklable: a class or module-level function). `toponyms=False` returns
    results without their toponyms (`ArticleResult.without_toponyms`), for consumers that
    need only incidents: the parent then unpickles a fifth of the bytes.
    """
    if workers < 1:
        raise UsageError(f"--workers must be at least 1, got {workers}")
    if batch_size < 1:
        raise UsageError(f"batch size must be at least 1, got {batch_size}")
    if workers == 1:
        results = factory(settings).run(articles)
        yield from results if toponyms else (r.without_toponyms() for r in results)
        return
    context = multiprocessing.get_context(mp_context) if mp_context else None
    batches = _batches(articles, batch_size)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=_init_worker, initargs=(factory, settings))
    pending: deque[Future] = deque()
    try:
        for batch in itertools.islice(batches, 2 * workers):
            pending.append(pool.submit(_run_batch, batch, toponyms))
        while pending:
            done = pending.popleft().result()
            # refill before yielding so workers stay busy while the consumer works
            for batch in itertools.islice(batches, 1):
                pending.append(pool.submit(_run_batch, batch, toponyms))
            yield from done
    finally:
        # on error, Ctrl-C or an abandoned generator: drop queued work, do not wait for it
        for f in pending:
            f.cancel()
        pool.shutdown(wait=not pending, cancel_futures=True)


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(items)
    while batch := list(itertools.islice(it, size)):
        yield batch
