"""An incremental store of articles, places and incidents: a GeoPackage file or a PostGIS database.

`geo.store.open_store(url)` picks the back end. Re-ingesting an article whose content hash is
already stored changes nothing; a changed article replaces its old rows. Every ingest
batch is one transaction, so an interrupted run leaves the store consistent and the
next run finishes the work.
"""

from __future__ import annotations

import datetime as dt
import itertools
import warnings
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass

from geo.errors import RecordError, UsageError
from geo.model import Article, ArticleResult, Incident, Toponym
from geo.store.schema import (
    ARTICLES,
    INCIDENTS,
    ROW_ERRORS,
    TABLES,
    TOPONYMS,
    Row,
    SchemaVersionError,
    StoreError,
    StoreWriteError,
    Table,
    article_from_row,
    article_hash,
    article_row,
    incident_from_row,
    incident_row,
    toponym_from_row,
    toponym_row,
)

__all__ = [
    "IngestStats", "SchemaVersionError", "Store", "StoreError", "StoreWriteError", "changed_articles", "ingest_articles",
]

DEFAULT_BATCH = 256
_IN_CHUNK = 500   # ids per IN (...) list: well under SQLite's parameter limit
# Where each table with a geometry keeps the point's latitude and longitude among its values.
# By table name: a `Table` as key would be hashed field by field for every row written.
_LAT = {t.name: t.names.index("lat") for t in TABLES if t.geometry}
_LON = {t.name: t.names.index("lon") for t in TABLES if t.geometry}


@dataclass(frozen=True, slots=True)
class IngestStats:
    """What an ingest did, counted in articles (plus the rows it wrote)."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    toponyms: int = 0
    incidents: int = 0

    def __add__(self, other: "IngestStats") -> "IngestStats":
        return IngestStats(*(a + b for a, b in zip(_astuple(self), _astuple(other))))

    def __str__(self) -> str:
        return (f"{self.added} added, {self.replaced} replaced, {self.unchanged} unchanged"
                f" ({self.incidents} incidents, {self.toponyms} places written)")


def _astuple(s: IngestStats) -> tuple[int, ...]:
    return (s.added, s.replaced, s.unchanged, s.toponyms, s.incidents)


def _batches(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while batch := list(itertools.islice(it, size)):
        yield batch


class Store(ABC):
    """Where ingested results live between runs.

    A stored row that cannot be read back (written by an older version, or damaged) is skipped: the
    store reports it to `on_bad_row` (default: a Python warning) and reading goes on.
    """

    url: str
    on_bad_row: Callable[[RecordError], None] | None = None

    @abstractmethod
    def known_hashes(self, article_ids: Sequence[str]) -> dict[str, str]:
        """Article id -> content hash, for the given ids that are already stored."""

    @abstractmethod
    def ingest(self, results: Iterable[ArticleResult], *, batch_size: int = DEFAULT_BATCH) -> IngestStats:
        """Add new articles, replace changed ones, skip unchanged ones; one transaction per batch."""

    @abstractmethod
    def incidents(self, *, since: dt.date | str | None = None, until: dt.date | str | None = None,
                  types: Iterable[str] | None = None, countries: Iterable[str] | None = None,
                  min_confidence: float | None = None) -> list[Incident]:
        """Stored incidents in ingest order, filtered by date range, type, country and confidence."""

    @abstractmethod
    def toponyms(self) -> Iterator[tuple[str, Toponym]]:
        """(article id, toponym) for every stored place mention."""

    @abstractmethod
    def articles(self) -> Iterator[Article]:
        """Stored articles (metadata only: `text` is empty)."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Rows per table: {"articles": n, "toponyms": n, "incidents": n}."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection; the store stays consistent."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def changed_articles(store: Store, articles: Iterable[Article], *, batch_size: int = DEFAULT_BATCH,
                     on_skip: Callable[[Article], None] | None = None) -> Iterator[Article]:
    """The articles whose content the store does not hold yet (new or changed), streaming.

    `on_skip` is told about each article left out because the store has it unchanged.
    """
    for batch in _batches(articles, batch_size):
        known = store.known_hashes([a.id for a in batch])
        for a in batch:
            if known.get(a.id) != article_hash(a):
                yield a
            elif on_skip is not None:
                on_skip(a)


def ingest_articles(store: Store, articles: Iterable[Article],
                    process: Callable[[Iterator[Article]], Iterable[ArticleResult]], *,
                    batch_size: int = DEFAULT_BATCH) -> IngestStats:
    """Run `process` (e.g. `Pipeline.run`) only on new or changed articles and ingest the results.

    Articles skipped because the store already has them count as `unchanged`.
    """
    skipped: list[None] = []   # only counted: the skipped articles themselves are not kept
    todo = changed_articles(store, articles, batch_size=batch_size, on_skip=lambda a: skipped.append(None))
    stats = store.ingest(process(todo), batch_size=batch_size)
    return stats + IngestStats(unchanged=len(skipped))


class SqlStore(Store):
    """The ingest and query logic both SQL back ends share; subclasses supply the dialect."""

    placeholder = "?"
    geometry_sql = "?"          # how a geometry parameter is written in INSERT ... VALUES

    # -- dialect hooks ----------------------------------------------------------------------
    @abstractmethod
    def _transaction(self) -> AbstractContextManager: ...

    @abstractmethod
    def _rows(self, sql: str, params: Sequence = ()) -> Iterator[Row]: ...

    @abstractmethod
    def _execute(self, sql: str, params: Sequence = ()) -> None: ...

    @abstractmethod
    def _executemany(self, sql: str, rows: Sequence[Sequence]) -> None: ...

    @abstractmethod
    def _geometry(self, lat: float | None, lon: float | None): ...

    def close(self) -> None:
        """Release the connection (`_conn`, which each back end opens)."""
        conn = getattr(self, "_conn", None)
        if conn is not None:
            delattr(self, "_conn")   # closing twice is harmless; using a closed store fails at once
            conn.close()

    def _date(self, value: dt.date | None):
        return value

    def _touched(self, tables: Iterable[str]) -> None:
        """Hook: note that tables changed (the GeoPackage records last_change)."""

    def _insert(self, table: Table, rows: Sequence[Sequence]) -> None:
        """Hook: insert new rows of `table`, values as `_row` gives them, inside the batch's transaction."""
        self._executemany(self._insert_sql(table), rows)

    def _where(self) -> str:
        """The store as messages name it (PostGIS hides the password)."""
        return self.url

    def _decoded(self, table: Table, sql: str, params: Sequence, decode: Callable[[Row], object]) -> Iterator:
        """`decode(row)` for each row of `sql` (which selects `fid` too), skipping rows that cannot be decoded."""
        for row in self._rows(sql, params):
            try:
                yield decode(row)
            except ROW_ERRORS as exc:
                reason = str(exc) if not isinstance(exc, KeyError) else f"missing field {exc}"
                error = RecordError(f"{table.name} row {row['fid']} skipped: {reason[:200]}", self._where(), dropped=True)
                if self.on_bad_row is None:
                    warnings.warn(str(error), stacklevel=2)
                else:
                    self.on_bad_row(error)

    # -- shared logic -----------------------------------------------------------------------
    def _insert_sql(self, table: Table) -> str:
        cols = list(table.names)
        values = [self.placeholder] * len(cols)
        if table.geometry:
            cols.append("geom")
            values.append(self.geometry_sql)
        return f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join(values)})"

    def _row(self, table: Table, values: list) -> list:
        for i in table.dates:
            values[i] = self._date(values[i])
        if table.geometry:
            values.append(self._geometry(values[_LAT[table.name]], values[_LON[table.name]]))
        return values

    def known_hashes(self, article_ids: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in _batches(dict.fromkeys(article_ids), _IN_CHUNK):
            marks = ", ".join([self.placeholder] * len(chunk))
            for row in self._rows(
                f"SELECT article_id, content_hash FROM articles WHERE article_id IN ({marks})", chunk
            ):
                found[row["article_id"]] = row["content_hash"]
        return found

    def ingest(self, results: Iterable[ArticleResult], *, batch_size: int = DEFAULT_BATCH) -> IngestStats:
        if batch_size < 1:
            raise UsageError(f"batch size must be at least 1, got {batch_size}")
        total = IngestStats()
        for batch in _batches(results, batch_size):
            with self._transaction():
                total += self._ingest_batch(batch)
        return total

    def _ingest_batch(self, batch: list[ArticleResult]) -> IngestStats:
        # the same id twice in one batch: its last version is what the store must end up with
        batch = list({r.article.id: r for r in batch}.values())
        known = self.known_hashes([r.article.id for r in batch])
        added = replaced = unchanged = 0
        stale: list[list[str]] = []
        rows: dict[str, list] = {t.name: [] for t in TABLES}
        for r in batch:
            aid, digest = r.article.id, article_hash(r.article)
            old = known.get(aid)
            if old == digest:
                unchanged += 1
                continue
            if old is not None:
                replaced += 1
                stale.append([aid])
            else:
                added += 1
            rows["articles"].append(self._row(ARTICLES, article_row(r.article)))
            rows["toponyms"].extend(self._row(TOPONYMS, toponym_row(aid, t)) for t in r.toponyms)
            rows["incidents"].extend(self._row(INCIDENTS, incident_row(aid, i)) for i in r.incidents)
        if stale:
            for name in ("toponyms", "incidents", "articles"):
                self._executemany(f"DELETE FROM {name} WHERE article_id = {self.placeholder}", stale)
        for table in TABLES:
            if rows[table.name]:
                self._insert(table, rows[table.name])
        self._touched(t for t, r in rows.items() if r)
        return IngestStats(added, replaced, unchanged, len(rows["toponyms"]), len(rows["incidents"]))

    def incidents(self, *, since=None, until=None, types=None, countries=None,
                  min_confidence=None) -> list[Incident]:
        where, params = [], []
        p = self.placeholder
        if since is not None:
            where.append(f"date >= {p}")
            params.append(self._date(_as_date(since, "since")))
        if until is not None:
            where.append(f"date <= {p}")
            params.append(self._date(_as_date(until, "until")))
        for column, values in (("type", types), ("country_code", countries)):
            if values is not None:
                values = [v.upper() if column == "country_code" else v for v in values]
                if not values:
                    return []
                where.append(f"{column} IN ({', '.join([p] * len(values))})")
                params.extend(values)
        if min_confidence is not None:
            if not (isinstance(min_confidence, (int, float)) and 0.0 <= min_confidence <= 1.0):
                raise UsageError(f"the minimum confidence must be a number from 0 to 1, got {min_confidence!r}")
            where.append(f"confidence >= {p}")
            params.append(float(min_confidence))
        sql = f"SELECT fid, {', '.join(INCIDENTS.names)} FROM incidents"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return list(self._decoded(INCIDENTS, sql + " ORDER BY fid", params, incident_from_row))

    def toponyms(self) -> Iterator[tuple[str, Toponym]]:
        sql = f"SELECT fid, {', '.join(TOPONYMS.names)} FROM toponyms ORDER BY fid"
        yield from self._decoded(TOPONYMS, sql, (), toponym_from_row)

    def articles(self) -> Iterator[Article]:
        sql = f"SELECT fid, {', '.join(ARTICLES.names)} FROM articles ORDER BY fid"
        yield from self._decoded(ARTICLES, sql, (), article_from_row)

    def counts(self) -> dict[str, int]:
        return {t.name: next(iter(self._rows(f"SELECT count(*) AS n FROM {t.name}")))["n"] for t in TABLES}


def _as_date(value, name: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise UsageError(f"{name} must be a date like 2017-03-01, got {value!r}") from None
