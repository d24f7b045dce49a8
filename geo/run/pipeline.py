"""The processing chain: read -> find and resolve places -> extract incidents -> merge.

Each stage is a pure function of its inputs; `Pipeline` only holds the loaded resources
(gazetteer index, taxonomy, actor lexicon) so they are built once per process.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from geo.model import Article, ArticleResult, Incident, Span
from geo.read.text import apostrophes_restored

__all__ = ["ArticleResult", "Pipeline", "Settings", "dated", "excluded_spans", "merged"]


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything that changes what the pipeline produces (so it can be shipped to workers)."""

    taxonomy: str | None = None          # path of a replacement taxonomy file
    actor_files: tuple[str, ...] = ()    # extra actor lexicons
    online: bool = False                 # resolve unknown names through an online geocoder
    geocoder: str = "nominatim"
    geonames_username: str | None = None
    gazetteer_path: str | None = None
    max_article_chars: int = 200_000
    max_mentions: int = 2_000
    # Place and date by the parse of the sentences that offer two of either (geo.extract.attach; needs spaCy
    # and its small English model). Measured in docs/incidents.md, "Event frames".
    frames: bool = False


def dated(article: Article) -> Article:
    """The article with its publication date filled in from its own text when metadata lacks one."""
    if article.date is not None:
        return article
    # lazy: start-up: `incidentmap --help` imports this module (through the runner); only undated articles need it
    from geo.extract.published import publication_date

    date, precision, source = publication_date(article)
    if date is None:
        return article
    return dataclasses.replace(article, date=date, date_precision=precision, date_source=source)


def _clip(span: Span | None, limit: int) -> Span | None:
    if span is None or span.start >= limit:
        return None
    return span if span.end <= limit else Span(span.start, limit)


def _apostrophes_back(article: Article) -> Article:
    """The article with the apostrophes its feed dropped put back (`text.apostrophes_restored`: same length, so
    every span and offset still holds): "the region s chief", "they won t" read as written."""
    text, title = apostrophes_restored(article.text), apostrophes_restored(article.title)
    if text == article.text and title == article.title:
        return article
    return dataclasses.replace(article, text=text, title=title)


def truncated(article: Article, limit: int) -> Article:
    """The article cut to `limit` characters, with every span clipped to the new text."""
    dateline = article.dateline
    if dateline is not None:
        span = _clip(dateline.span, limit)
        dateline = dataclasses.replace(dateline, span=span) if span else None
    return dataclasses.replace(
        article, text=article.text[:limit], dateline=dateline,
        title_span=_clip(article.title_span, limit), caption_span=_clip(article.caption_span, limit),
        byline_span=_clip(article.byline_span, limit), body_span=_clip(article.body_span, limit),
        credit_span=_clip(article.credit_span, limit),
    )


def excluded_spans(article: Article) -> tuple[Span, ...]:
    """Parts of a wire story that name reporters' whereabouts, not the story's places."""
    return tuple(s for s in (article.byline_span, article.credit_span) if s is not None)


# The cyclic garbage collector walks every object a run keeps (the results so far, the articles, the loaded resources)
# at each of its full collections, which come whenever the heap has grown by a quarter: on the fuzz benchmark's 10,000
# articles, a tenth of the run's CPU. Every this many articles, what is left is collected once and moved out of its
# sight (`gc.freeze`); reference counting still frees whatever frozen object is let go (only a cycle among frozen
# objects would stay: the collection just before each freeze leaves none of the garbage made until then).
FREEZE_EVERY = 1000


class Pipeline:
    """Runs the per-article stages with resources loaded once."""

    def __init__(self, settings: Settings | None = None, *, geoparser=None, taxonomy=None, actors=None,
                 calibration=None, freeze_every: int = FREEZE_EVERY):
        """`freeze_every`: collect and freeze the garbage collector's view every so many articles (see
        `FREEZE_EVERY`); 0 leaves the collector alone, for a host process that keeps running after a batch
        and makes reference cycles of its own."""
        self.settings = settings or Settings()
        self._freeze_every = freeze_every
        self.calibration = calibration      # None: the bundled one (geo/data/incident_calibration.csv)
        self._geoparser = geoparser
        self._taxonomy = taxonomy
        self._actors = actors
        self._processed = 0

    @property
    def geoparser(self):
        if self._geoparser is None:
            # lazy: start-up: `incidentmap --help` imports this module (through the runner); the geoparser loads the matcher, resolver and index
            from gazetteer.geoparser import Geoparser

            self._geoparser = Geoparser.open(
                self.settings.gazetteer_path,
                online=self.settings.online,
                geocoder=self.settings.geocoder,
                geonames_username=self.settings.geonames_username,
                max_mentions=self.settings.max_mentions,
            )
        return self._geoparser

    @property
    def taxonomy(self):
        if self._taxonomy is None:
            # lazy: start-up: `incidentmap --help` imports this module (through the runner); loaded on first use
            from geo.extract.taxonomy import Taxonomy

            self._taxonomy = Taxonomy.load(self.settings.taxonomy)
        return self._taxonomy

    @property
    def actors(self):
        if self._actors is None:
            # lazy: start-up: `incidentmap --help` imports this module (through the runner); loaded on first use
            from geo.extract.actors import ActorLexicon

            self._actors = ActorLexicon.load(self.settings.actor_files or None)
        return self._actors

    def process(self, article: Article) -> ArticleResult:
        """Find places and incidents in one article."""
        # lazy: start-up: `incidentmap --help` imports this module (through the runner); the incident stage needs numpy and the detector
        from geo.extract.incidents import extract_incidents

        warnings: list[str] = []
        where = f"{article.path or '-'}:{article.line}: article {article.id}"
        limit = self.settings.max_article_chars
        if len(article.text) > limit:
            warnings.append(
                f"{where} has {len(article.text):,} characters; only the first {limit:,} were read (--max-article-chars)"
            )
            article = truncated(article, limit)
        article = dated(_apostrophes_back(article))
        dateline = article.dateline
        toponyms = tuple(
            self.geoparser.parse(
                article.text,
                dateline_places=dateline.places if dateline else (),
                dateline_country=dateline.country if dateline else None,
                skip=tuple((s.start, s.end) for s in excluded_spans(article)),
                warn=lambda note: warnings.append(f"{where}: {note}"),
            )
        )
        incidents = tuple(
            extract_incidents(article, toponyms, taxonomy=self.taxonomy, actors=self.actors,
                              calibration=self.calibration, capital_of=getattr(self.geoparser.index, "capital", None),
                              country_of=getattr(self.geoparser.index, "country", None), frames=self.settings.frames)
        )
        self._processed += 1
        if self._freeze_every and self._processed % self._freeze_every == 0:
            gc.collect()
            gc.freeze()
        return ArticleResult(article, toponyms, incidents, tuple(warnings))

    def run(self, articles: Iterable[Article]) -> Iterator[ArticleResult]:
        """Process articles one after another, in input order."""
        for article in articles:
            yield self.process(article)


def merged(results: Iterable[ArticleResult], *, merge: bool = True, taxonomy=None) -> list[Incident]:
    """All incidents of a run (results may be a stream), merged across articles unless `merge` is false."""
    incidents = [i for r in results for i in r.incidents]
    if not merge:
        return incidents
    # lazy: start-up: `incidentmap --help` imports this module (through the runner); merging needs numpy
    from geo.merge import merge_incidents

    return merge_incidents(incidents, taxonomy=taxonomy)


