"""Multiprocessing workers: same output as one worker, in order, with bounded memory."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from geo.errors import UsageError
from geo.model import Article, ArticleResult, Mention, Toponym
from geo.run.parallel import process_parallel
from geo.run.pipeline import Settings

ROOT = Path(__file__).resolve().parent.parent


class WordPipeline:
    """A stand-in pipeline: every capitalised word is an unresolved mention; 'boom' fails."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def process(self, article: Article) -> ArticleResult:
        if "boom" in article.text:
            raise ValueError(f"cannot process {article.id}")
        tops = tuple(Toponym(Mention(m.start(), m.end(), m.group()), None)
                     for m in re.finditer(r"\b[A-Z][a-z]+", article.text))
        return ArticleResult(article, tops, (), (f"max_mentions={self.settings.max_mentions}",))

    def run(self, articles):
        for a in articles:
            yield self.process(a)


def articles(n: int, pulled: list | None = None):
    for k in range(n):
        if pulled is not None:
            pulled.append(k)
        yield Article(f"a{k}", f"Report {k} from Kabul and Mosul near Herat number {k * 7}.")


def test_two_workers_give_identical_results_in_input_order():
    settings = Settings(max_mentions=17)
    one = list(process_parallel(articles(300), settings, workers=1, factory=WordPipeline))
    two = list(process_parallel(articles(300), settings, workers=2, batch_size=7, factory=WordPipeline))
    assert two == one
    assert [r.article.id for r in two] == [f"a{k}" for k in range(300)]
    assert two[0].warnings == ("max_mentions=17",)   # settings reached the workers


def test_input_is_consumed_in_bounded_batches():
    pulled: list[int] = []
    stream = process_parallel(articles(10_000, pulled), Settings(), workers=2, batch_size=10,
                              factory=WordPipeline)
    first = next(stream)
    assert first.article.id == "a0"
    # 2 * workers batches in flight plus one refill, never the whole input
    assert len(pulled) <= (2 * 2 + 1) * 10
    stream.close()


def test_worker_error_reaches_the_caller():
    def with_bad():
        yield from articles(20)
        yield Article("bad", "boom")

    with pytest.raises(ValueError, match="cannot process bad"):
        list(process_parallel(with_bad(), Settings(), workers=2, batch_size=4, factory=WordPipeline))


def test_zero_workers_is_a_usage_error():
    with pytest.raises(UsageError, match="at least 1"):
        list(process_parallel(articles(1), Settings(), workers=0))


def _real_pipeline_available() -> bool:
    try:
        for name in ("gazetteer.geoparser", "gazetteer.index.lookup", "geo.extract.incidents", "geo.read.articles"):
            importlib.import_module(name)
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _real_pipeline_available(), reason="real pipeline modules not present yet")
def test_real_pipeline_on_seeds_same_with_two_workers():
    from geo.read.articles import read_articles

    seeds = sorted(str(p) for p in (ROOT / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip("no seed articles")
    one = list(process_parallel(read_articles(seeds), Settings(), workers=1))
    two = list(process_parallel(read_articles(seeds), Settings(), workers=2, batch_size=1))
    assert two == one
    assert sum(len(r.toponyms) for r in one) > 0


@pytest.mark.skipif(not _real_pipeline_available(), reason="real pipeline modules not present yet")
@pytest.mark.parametrize("workers", [1, 2])
def test_results_without_toponyms_keep_incidents_and_place_counts(workers):
    from geo.read.articles import read_articles

    seeds = sorted(str(p) for p in (ROOT / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip("no seed articles")
    whole = list(process_parallel(read_articles(seeds), Settings(), workers=1))
    slim = list(process_parallel(read_articles(seeds), Settings(), workers=workers, batch_size=3,
                                 toponyms=False))
    assert [r.article for r in slim] == [r.article for r in whole]
    assert [r.incidents for r in slim] == [r.incidents for r in whole]
    assert all(r.toponyms == () for r in slim)
    counts = [sum(1 for t in r.toponyms if t.resolved) for r in whole]
    assert [r.places_resolved for r in slim] == counts
    assert sum(counts) > 100


def test_toponyms_survive_pickling_and_are_validated_again():
    import pickle

    from gazetteer.model import Level, Place

    place = Place(id="gn:1", name="Mosul", lat=36.34, lon=43.13, level=Level.CITY, layer="geonames")
    top = Toponym(Mention(4, 9, "Mosul", "pattern", "city", "Iraq"), place, 0.9, ((place, 0.1),))
    assert pickle.loads(pickle.dumps(top)) == top
    # unpickling goes through __init__, so a tampered span is refused like a constructed one
    rebuild, args = Mention(4, 9, "Mosul").__reduce__()
    with pytest.raises(ValueError, match="bad mention span"):
        rebuild(9, 4, *args[2:])


class _Stream:
    """A text stream that claims (or denies) being a terminal."""

    def __init__(self, tty: bool):
        self.tty, self.parts = tty, []

    def isatty(self) -> bool:
        return self.tty

    def write(self, s: str) -> int:
        self.parts.append(s)
        return len(s)

    def flush(self) -> None:
        pass


def test_progress_draws_rate_on_a_terminal():
    from geo.run.progress import progress

    stream = _Stream(tty=True)
    assert list(progress(range(5), desc="articles", stream=stream)) == [0, 1, 2, 3, 4]
    drawn = "".join(stream.parts)
    assert "articles" in drawn and "/5 [" in drawn and "article/s" in drawn   # count, total, rate


@pytest.mark.parametrize("tty, quiet", [(False, False), (True, True)])
def test_progress_is_silent_off_terminal_or_quiet(tty, quiet):
    from geo.run.progress import progress

    stream = _Stream(tty=tty)
    assert list(progress(iter(range(5)), desc="articles", quiet=quiet, stream=stream)) == [0, 1, 2, 3, 4]
    assert stream.parts == []
