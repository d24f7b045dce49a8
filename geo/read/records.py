"""One record to an Article: a wire story, a JSON object or a CSV row, its fields, dates and text checked.

The readers here take a file's bytes or lines (`geo.read.articles` opens the files and picks the
reader); every problem goes to `report` as a `RecordError`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

from geo.errors import RecordError
from geo.model import Article, DatePrecision, Span
from geo.read.wire import credit_span, dateline_agency, find_dateline, split_wire

__all__ = ["DATE_YEARS", "FIELDS", "OnError", "content_hash", "parse_metadata_date"]

OnError = Callable[[RecordError], None]

FIELDS = ("id", "title", "date", "url", "source")


def content_hash(text: str, title: str = "", date: dt.date | None = None, url: str = "") -> str:
    """sha1 of what makes an article itself; the store uses it to see changed articles."""
    key = "\x1f".join((text, title, date.isoformat() if date else "", url))
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()


_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%d %B %Y", "%d %b %Y", "%d-%b-%y", "%Y/%m/%d")


# Publication dates outside these years are refused: Go's zero time (0001-01-01) and 9999-12-31 are
# placeholders, and date arithmetic at the calendar's ends overflows further down the pipeline.
DATE_YEARS = (1900, 2100)


def parse_metadata_date(value: str) -> tuple[dt.date, DatePrecision] | None:
    """Parse a metadata date: ISO date or datetime, "December 31, 2017", "2017-12" (month); None if not.

    A date outside `DATE_YEARS` is None too.
    """
    found = _parse_metadata_date(value)
    return found if found is not None and DATE_YEARS[0] <= found[0].year <= DATE_YEARS[1] else None


@lru_cache(maxsize=4096)     # a feed's articles share a handful of date strings, and strptime is slow
def _parse_metadata_date(value: str) -> tuple[dt.date, DatePrecision] | None:
    s = value.strip()
    if len(s) == 7 and s[4] == "-":
        try:
            return dt.date(int(s[:4]), int(s[5:]), 1), DatePrecision.MONTH
        except ValueError:
            return None
    try:
        return dt.date.fromisoformat(s[:10]) if len(s) == 10 else dt.datetime.fromisoformat(s).date(), DatePrecision.DAY
    except ValueError:
        pass
    if not s[-1:].isdecimal():
        return None      # every format ends with a number (%Y, %y or %d: regex \d), and strptime is slow to fail
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(s, fmt).date(), DatePrecision.DAY
        except ValueError:
            continue
    return None


def _decode_lenient(data: bytes, path: str, report: OnError) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        report(RecordError("not valid UTF-8; undecodable bytes were read as Windows-1252", path, line))
    return data.decode("utf-8-sig", "geo.cp1252")


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error   # registered for decoding only
    bad = error.object[error.start:error.end]
    return bad.decode("cp1252", "replace").replace("\ufffd", "") or bad.decode("latin-1"), error.end


codecs.register_error("geo.cp1252", _cp1252_fallback)


def _wire_articles(data: bytes, path: str, report: OnError) -> Iterator[Article]:
    text = _decode_lenient(data, path, report).replace("\r\n", "\n").replace("\r", "\n")
    for piece in split_wire(text):
        body = text[piece.start:piece.end]
        title = " ".join(body[piece.title.start:piece.title.end].split()) if piece.title else ""
        yield Article(
            id="a-" + hashlib.sha1(body.encode("utf-8", "surrogatepass")).hexdigest()[:16],
            text=body, title=title, path=path, line=piece.line, offset=piece.start,
            source=dateline_agency(body, piece.dateline),
            title_span=piece.title, caption_span=piece.caption, byline_span=piece.byline,
            dateline=piece.dateline, body_span=piece.body, credit_span=piece.credit,
            content_hash=content_hash(body, title),
        )


def _jsonl_articles(lines: Iterable[bytes], path: str, report: OnError) -> Iterator[Article]:
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as e:
            report(RecordError(f"not valid UTF-8 (byte {e.start + 1}); record skipped", path, number))
            continue
        try:
            obj = json.loads(line)
        except RecursionError:
            report(RecordError("JSON nested too deeply; record skipped", path, number))
            continue
        except ValueError as e:
            report(RecordError(f"not valid JSON ({getattr(e, 'msg', e)}); record skipped", path, number))
            continue
        article = _record(obj, path, number, report)
        if article is not None:
            yield article


def _json_array(data: bytes, path: str, report: OnError) -> Iterator[Article]:
    try:
        items = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError) as e:
        report(RecordError(f"not a valid JSON array of articles ({e.__class__.__name__}); file skipped", path))
        return
    if not isinstance(items, list):
        report(RecordError("JSON file is neither JSON Lines nor an array of objects; file skipped", path))
        return
    for index, obj in enumerate(items, 1):
        article = _record(obj, path, None, report, where=f"item {index}: ")
        if article is not None:
            yield article


def _csv_articles(lines: Iterable[bytes], path: str, report: OnError) -> Iterator[Article]:
    bad: set[int] = set()

    def decoded() -> Iterator[str]:
        for number, raw in enumerate(lines, 1):
            try:
                yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                bad.add(number)
                yield raw.decode("utf-8", "replace")

    csv.field_size_limit(2**31 - 1)     # article texts are long; the default 128 KiB cap is not a data limit
    reader = csv.reader(decoded())
    header: list[str] | None = None
    done = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            report(RecordError(f"malformed CSV ({e}); record skipped", path, done + 1))
            bad.clear()
            if reader.line_num == done:
                break
            done = reader.line_num
            continue
        first, done = done + 1, reader.line_num
        # The reader pulls lines only as the current row needs them, so every bad line seen so
        # far belongs to this row.
        undecodable = bool(bad)
        bad.clear()
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [h.strip().lower() for h in row]
            if "text" not in header:
                report(RecordError(f"CSV has no 'text' column (columns: {', '.join(header)}); file skipped", path, first))
                return
            continue
        if undecodable:
            report(RecordError("not valid UTF-8; record skipped", path, first))
            continue
        if len(row) != len(header):
            report(RecordError(f"expected {len(header)} fields, found {len(row)}; record skipped", path, first))
            continue
        fields = {k: v.replace("\r\n", "\n") for k, v in zip(header, row)}
        article = _record(fields, path, first, report)
        if article is not None:
            yield article


def _record(obj, path: str, line: int | None, report: OnError, where: str = "") -> Article | None:
    """An Article from one JSON object or CSV row, or None after reporting why not."""
    def skip(reason: str) -> None:
        report(RecordError(f"{where}{reason}; record skipped", path, line))

    if not isinstance(obj, dict):
        skip(f"expected a JSON object, found {type(obj).__name__}")
        return None
    text = obj.get("text")
    if text is None:
        skip("no 'text' field")
        return None
    if not isinstance(text, str):
        skip(f"'text' must be a string, found {type(text).__name__}")
        return None
    if not text.strip():
        skip("empty 'text'")
        return None
    text = _valid_unicode(text, report, RecordError(f"{where}lone surrogate escapes in 'text' replaced", path, line))
    values = {name: _field(obj, name, report, where, path, line) for name in FIELDS}
    date, precision, source = None, DatePrecision.UNKNOWN, ""
    if values["date"]:
        parsed = parse_metadata_date(values["date"])
        if parsed is None:
            report(RecordError(f"{where}unreadable date {values['date'][:40]!r} (a date from {DATE_YEARS[0]} to"
                               f" {DATE_YEARS[1]} is expected); kept without a date", path, line))
        else:
            (date, precision), source = parsed, "metadata"
    title, url = " ".join(values["title"].split()), values["url"]
    credit = credit_span(text)
    dateline = find_dateline(text)
    digest = content_hash(text, title, date, url)
    return Article(
        id=values["id"] or "a-" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16],
        text=text, title=title, date=date, date_precision=precision, date_source=source,
        url=url, source=values["source"] or dateline_agency(text, dateline), path=path, line=line or 0,
        dateline=dateline, credit_span=credit,
        body_span=Span(0, len(text[:credit.start].rstrip())) if credit else None,
        content_hash=digest,
    )


def _field(obj: dict, name: str, report: OnError, where: str, path: str, line: int | None) -> str:
    """A metadata field as text: a string (stripped), a number written out, else "" after a report."""
    value = obj.get(name)
    if value is None or isinstance(value, str):
        return _valid_unicode((value or "").strip(), report, None)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    report(RecordError(f"{where}'{name}' must be a string, found {type(value).__name__}; ignored", path, line))
    return ""


def _valid_unicode(s: str, report: OnError, note: RecordError | None) -> str:
    """Replace lone surrogates ("\\ud800" in JSON) that no UTF-8 output could hold."""
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        if note is not None:
            report(note)
        return s.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
