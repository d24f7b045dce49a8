"""One run of the tool: read inputs (or a store), run the pipeline, filter, count what was skipped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from geo.errors import RecordError, UsageError
from geo.model import Article, ArticleResult, Incident, Toponym
from geo.run.pipeline import Settings, merged

__all__ = ["Filters", "RunOptions", "Runner", "apply_filters"]


@dataclass(frozen=True, slots=True)
class Filters:
    """Which incidents to keep; empty means keep all."""

    since: dt.date | None = None
    until: dt.date | None = None
    types: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    min_confidence: float | None = None

    def __post_init__(self) -> None:
        c = self.min_confidence
        if c is not None and not (isinstance(c, (int, float)) and 0.0 <= c <= 1.0):     # also refuses nan
            raise UsageError(f"the minimum confidence must be a number from 0 to 1, got {c!r}")

    def keep(self, incident: Incident) -> bool:
        """True if the incident passes every filter that is set (`_FILTERS`)."""
        return all(passes(self, incident) for _, passes in _FILTERS)


def _since(f: Filters, incident: Incident) -> bool:
    return not f.since or (incident.date is not None and incident.date >= f.since)


def _until(f: Filters, incident: Incident) -> bool:
    return not f.until or (incident.date is not None and incident.date <= f.until)


def _of_types(f: Filters, incident: Incident) -> bool:
    return not f.types or incident.type in f.types


def _in_countries(f: Filters, incident: Incident) -> bool:
    cc = incident.place.country_code if incident.place else None
    return not f.countries or (cc or "").upper() in f.countries


def _sure_enough(f: Filters, incident: Incident) -> bool:
    return f.min_confidence is None or incident.confidence >= f.min_confidence


# Each filter passes an incident when it is not set; an undated incident fails --since and --until.
_FILTERS: tuple[tuple[str, Callable[[Filters, Incident], bool]], ...] = (
    ("since", _since), ("until", _until), ("types", _of_types), ("countries", _in_countries),
    ("min confidence", _sure_enough),
)


def apply_filters(incidents: list[Incident], filters: Filters) -> list[Incident]:
    return [i for i in incidents if filters.keep(i)]


@dataclass(frozen=True, slots=True)
class RunOptions:
    """Command-line options that shape a run."""

    paths: tuple[str, ...] = ()
    db: str | None = None
    taxonomy: str | None = None
    actor_files: tuple[str, ...] = ()
    online: bool = False
    geocoder: str = "nominatim"
    geonames_username: str | None = None
    merge: bool = True
    workers: int = 1
    max_article_chars: int = 200_000
    max_mentions: int = 2_000
    frames: bool = False
    strict: bool = False
    quiet: bool = False

    @property
    def settings(self) -> Settings:
        return Settings(
            taxonomy=self.taxonomy,
            actor_files=self.actor_files,
            online=self.online,
            geocoder=self.geocoder,
            geonames_username=self.geonames_username,
            max_article_chars=self.max_article_chars,
            max_mentions=self.max_mentions,
            frames=self.frames,
        )


@dataclass
class Runner:
    """Reads, processes and counts; the CLI asks it for incidents, place rows or an ingest."""

    options: RunOptions
    warn: Callable[[str], None] = print
    skipped: int = 0
    articles_read: int = 0
    places_found: int = 0

    def _on_error(self, error: RecordError) -> None:
        # The reader also reports repairs (a dropped date, a renamed duplicate id); only skips count.
        if getattr(error, "skipped", True):
            self.skipped += 1
        self.warn(str(error))

    def _from_store(self) -> str | None:
        """The store the run reads (--db without paths), else None; paths and --db together are refused."""
        if self.options.db and self.options.paths:
            raise UsageError("give either input PATHS or --db, not both (use `incidentmap ingest` to add articles)")
        return self.options.db or None

    def _check_inputs(self) -> None:
        # lazy: start-up: `incidentmap --help` imports this module; only commands that read articles need the readers
        from geo.read.articles import check_paths

        if not self.options.paths:
            raise UsageError("give at least one input PATH (a file, a folder, or - for standard input)")
        check_paths(self.options.paths)

    def process(self, select: Callable[[Iterator[Article]], Iterator[Article]] | None = None, *,
                toponyms: bool = True) -> Iterator[ArticleResult]:
        """Stream results for the input paths, in input order (`select` may drop articles first).

        `toponyms=False` drops each result's toponyms (their count stays) for callers that
        need only incidents.
        """
        # lazy: start-up: `incidentmap --help` imports this module; only commands that read articles need the readers
        from geo.read.articles import read_articles
        from geo.run.progress import progress

        self._check_inputs()
        articles = read_articles(self.options.paths, on_error=self._on_error)
        if select is not None:
            articles = select(articles)
        # lazy: start-up: `incidentmap --help` imports this module; worker processes load the whole pipeline
        from geo.run.parallel import process_parallel  # one worker runs in this process

        stream = process_parallel(articles, self.options.settings, workers=self.options.workers,
                                  toponyms=toponyms)
        for result in progress(stream, desc="articles", quiet=self.options.quiet):
            self.articles_read += 1
            self.places_found += result.places_resolved
            for note in result.warnings:
                self.warn(note)
            yield result

    def incidents(self, filters: Filters | None = None) -> list[Incident]:
        """Incidents from the store (--db) or from processing the input paths, filtered."""
        filters = filters or Filters()
        if (db := self._from_store()) is not None:
            # lazy: start-up: `incidentmap --help` imports this module; the store loads the extractors and its back ends
            from geo.store import open_store

            store = open_store(db, must_exist=True, read_only=True, on_bad_row=self._on_error)
            try:
                found = store.incidents(
                    since=filters.since, until=filters.until, types=filters.types or None,
                    countries=filters.countries or None, min_confidence=filters.min_confidence,
                )
            finally:
                store.close()
            self.articles_read = len({i.article_id for i in found})
            if self.options.merge:
                # lazy: start-up: `incidentmap --help` imports this module; merging needs numpy
                from geo.merge import merge_incidents

                found = merge_incidents(found, taxonomy=self._taxonomy())
            return apply_filters(found, filters)
        # streamed: only the incidents are kept, not every article's text and toponyms
        found = merged(self.process(toponyms=False), merge=self.options.merge, taxonomy=self._taxonomy())
        return apply_filters(found, filters)

    def _taxonomy(self):
        """The user's replacement taxonomy, or None for the built-in one."""
        if not self.options.taxonomy:
            return None
        # lazy: start-up: `incidentmap --help` imports this module; only runs with --taxonomy need it
        from geo.extract.taxonomy import Taxonomy

        return Taxonomy.load(self.options.taxonomy)

    def place_rows(self, *, unresolved: bool = False) -> Iterator[dict]:
        """One dict per place mention, in the documented `places` schema (from the inputs or the store)."""
        for article_id, title, top in self._mentions():
            if top.place is not None or unresolved:
                yield _place_row(article_id, title, top)

    def _mentions(self) -> Iterator[tuple[str, str, Toponym]]:
        if (db := self._from_store()) is not None:
            # lazy: start-up: `incidentmap --help` imports this module; the store loads the extractors and its back ends
            from geo.store import open_store

            store = open_store(db, must_exist=True, read_only=True, on_bad_row=self._on_error)
            try:
                titles = {a.id: a.title for a in store.articles()}
                self.articles_read = len(titles)
                for article_id, top in store.toponyms():
                    yield article_id, titles.get(article_id, ""), top
            finally:
                store.close()
            return
        for result in self.process():
            for top in result.toponyms:
                yield result.article.id, result.article.title, top

    def ingest(self, *, dask_address: str | None = None):
        """Add the input articles to the store, skipping those already stored unchanged."""
        # lazy: start-up: `incidentmap --help` imports this module; the store loads the extractors and its back ends
        from geo.store import open_store

        self._check_inputs()
        db = self.options.db
        if not db:
            raise UsageError("ingest needs a store: --db FILE.gpkg or --db postgresql://...")
        if dask_address:
            # lazy: start-up: `incidentmap --help` imports this module; Dask is needed with --dask only
            from geo.run.cluster import process_dask

            return process_dask(list(self.options.paths), self.options.settings, address=dask_address, out=db)
        # lazy: start-up: `incidentmap --help` imports this module; the store loads the extractors and its back ends
        from geo.store.base import IngestStats, changed_articles

        unchanged = 0

        def skip(_article: Article) -> None:
            nonlocal unchanged
            unchanged += 1

        store = open_store(db)
        try:
            stats = store.ingest(self.process(select=lambda arts: changed_articles(store, arts, on_skip=skip)))
        finally:
            store.close()
        return stats + IngestStats(unchanged=unchanged)

    def summary_line(self, incidents: list[Incident]) -> str:
        located = sum(1 for i in incidents if i.place is not None)
        counted = f"{len(incidents)} incident(s) ({located} located)"
        if self._from_store():
            return f"{counted} from {self.articles_read} stored article(s)"
        return f"{self.articles_read} article(s), {self.places_found} place mention(s) resolved, {counted}"


_WHERE = ("name", "lat", "lon", "country_code", "admin1", "feature_code", "level", "place_id", "geonameid")


def _place_row(article_id: str, title: str, top: Toponym) -> dict:
    """A place mention in the `places` schema; the place's columns are empty for an unresolved one."""
    # lazy: start-up: `incidentmap --help` imports this module; the parts module compiles the mention patterns (about 12 ms)
    from gazetteer.resolve.parts import unresolved_reason

    place = top.place
    row: dict = {"article_id": article_id, "article_title": title, "start": top.mention.start,
                 "end": top.mention.end, "text": top.mention.text}
    if place is None:
        row.update(dict.fromkeys(_WHERE))
        row.update(score=round(top.score, 4), located_at=None, within=None, parent_id=None,
                   reason=unresolved_reason(top.mention))
        return row
    row.update(name=place.name, lat=round(place.lat, 6), lon=round(place.lon, 6), country_code=place.country_code,
               admin1=place.admin1, feature_code=place.feature_code, level=place.level.value, place_id=place.id,
               geonameid=place.geonameid, score=round(top.score, 4),
               # "parent": a part of a town the layers lack, at its town's point (parent_id)
               located_at=place.located_at, within=place.within or None,
               parent_id=place.parent_id if place.located_at == "parent" else None, reason=None)
    return row
