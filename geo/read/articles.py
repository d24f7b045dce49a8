"""Reading articles from wire-text files, JSON Lines, CSV, directories and standard input.

Decisions worth knowing:
- Every problem goes to `on_error` as a `RecordError(message, path, line)`; the default handler
  issues a `warnings.warn`. The message ends in "skipped" when something was left out and says
  what was done otherwise (date dropped, id renamed, bytes replaced); `error.skipped` tells which.
- JSON Lines and CSV are decoded strictly as UTF-8 (a BOM is fine): a line with bad bytes skips
  that record. Wire text is read whole; bad bytes are decoded as Windows-1252 (what stray
  non-UTF-8 bytes in news text almost always are) with one report naming the first bad line.
- A metadata date that cannot be parsed keeps the article, with `date=None` and a report.
- Inside directories only known extensions are read (.txt .text .jsonl .ndjson .json .csv),
  hidden files and folders are skipped; a file named explicitly is sniffed whatever its name.
- Offsets and lines count characters and lines of the decoded text, newlines normalised to "\\n".
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import stat
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence

from geo.errors import InputError, RecordError
from geo.model import Article, DatePrecision, Span
from geo.read.wire import credit_span, dateline_agency, find_dateline, split_wire

__all__ = ["EXTENSIONS", "check_paths", "content_hash", "parse_metadata_date", "read_articles"]

OnError = Callable[[RecordError], None]

EXTENSIONS = {".txt": "wire", ".text": "wire", ".jsonl": "jsonl", ".ndjson": "jsonl",
              ".json": "jsonl", ".csv": "csv"}
FIELDS = ("id", "title", "date", "url", "source")
_HEAD = 64 * 1024
_BOM = codecs.BOM_UTF8


def check_paths(paths: Sequence[str]) -> None:
    """Raise InputError for the first path that cannot give any articles ("-" is standard input)."""
    for path in paths:
        path = os.fspath(path)
        if path == "-":
            continue
        if not os.path.exists(path):
            raise InputError(f"path does not exist: {path}")
        if os.path.isdir(path):
            if next(_walk(path), None) is None:
                allowed = " ".join(sorted(EXTENSIONS))
                raise InputError(f"no article files ({allowed}) under {path}")
        elif not os.access(path, os.R_OK):
            raise InputError(f"path is not readable: {path}")


def read_articles(paths: Iterable[str | os.PathLike], *, on_error: OnError | None = None) -> Iterator[Article]:
    """Yield the articles in `paths`, lazily, reporting and skipping bad records."""
    report = on_error or _warn

    seen: dict[str, str] = {}
    for path in paths:
        path = os.fspath(path)
        if path == "-":
            files: Iterable[str] = ["-"]
        elif os.path.isdir(path):
            files = _walk(path)
        elif os.path.exists(path):
            files = [path]
        else:
            report(RecordError("path does not exist; skipped", path))
            continue
        for file in files:
            if file != path and not _regular(file):
                # A pipe in a folder would block the run forever waiting for a writer; named on the
                # command line ("<(zcat feed.gz)") it is read as asked.
                report(RecordError("not a regular file (a pipe, socket or device in a folder); skipped", file))
                continue
            for article in _read_file(file, report):
                kept = _unique(article, seen, report)
                if kept is not None:
                    yield kept


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
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(s, fmt).date(), DatePrecision.DAY
        except ValueError:
            continue
    return None


def _warn(error: RecordError) -> None:
    warnings.warn(str(error), stacklevel=3)


def _regular(path: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True          # let the reader report what is wrong with it


def _walk(root: str) -> Iterator[str]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in EXTENSIONS:
                yield os.path.join(dirpath, name)


def _read_file(path: str, report: OnError) -> Iterator[Article]:
    found = 0
    reported = False

    def note(error: RecordError) -> None:
        nonlocal reported
        reported = True
        report(error)

    try:
        stream = _stdin() if path == "-" else open(path, "rb")
    except OSError as e:
        report(RecordError(f"cannot read file: {e.strerror or e}; skipped", path))
        return
    try:
        head = stream.read(_HEAD)
        problem = _binary_problem(head)
        if problem:
            report(RecordError(f"{problem}; file skipped", path))
            return
        kind = _kind(path, head)
        if kind == "wire":
            records = _wire_articles(head + stream.read(), path, note)
        elif kind == "json":
            records = _json_array(head + stream.read(), path, note)
        else:
            reader = _jsonl_articles if kind == "jsonl" else _csv_articles
            records = reader(_lines(head, stream), path, note)
        for article in records:
            found += 1
            yield article
        if not found and not reported:
            report(RecordError("empty file" if not _unbom(head).strip() else "no articles in file", path))
    except OSError as e:
        report(RecordError(f"read failed: {e.strerror or e}; rest of file skipped", path))
    finally:
        if path != "-":
            stream.close()


def _stdin():
    """Standard input as bytes, also when it has been replaced by a text stream (tests, notebooks)."""
    buffer = getattr(sys.stdin, "buffer", None)
    return buffer if buffer is not None else io.BytesIO(sys.stdin.read().encode("utf-8"))


def _binary_problem(head: bytes) -> str | None:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16 text is not supported (convert it to UTF-8)"
    if not head:
        return None
    controls = sum(1 for b in head if b < 32 and b not in b"\t\n\r\f\v\x1b") + head.count(b"\x7f")
    # A stray NUL or control byte is damaged text; many of them (in a sizeable head) is not text.
    if head.count(0) > max(1, len(head) // 100) or (len(head) >= 256 and controls > len(head) * 0.1):
        return "binary file (NUL or control bytes), not text"
    return None


def _kind(path: str, head: bytes) -> str:
    ext = os.path.splitext(path)[1].lower() if path != "-" else ""
    first = _unbom(head).lstrip()[:1]
    if ext in (".json", "") and first == b"[":
        return "json"
    if ext in EXTENSIONS:
        return EXTENSIONS[ext]
    if first in (b"{", b"["):
        return "jsonl" if first == b"{" else "json"
    line = head.split(b"\n", 1)[0].decode("utf-8-sig", "replace").replace("\r", "")
    try:
        fields = [f.strip().lower() for f in next(csv.reader([line]), [])]
    except csv.Error:
        return "wire"
    return "csv" if len(fields) >= 2 and "text" in fields else "wire"


def _unbom(data: bytes) -> bytes:
    return data[len(_BOM):] if data.startswith(_BOM) else data


def _lines(head: bytes, stream) -> Iterator[bytes]:
    """Lines of head + rest of stream, each with its "\\n" (reads one line at a time past the head)."""
    parts = head.split(b"\n")
    tail = parts.pop()
    for part in parts:
        yield part + b"\n"
    for line in stream:
        if tail:
            line, tail = tail + line, b""
        yield line
    if tail:
        yield tail


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
    values = {}
    for name in FIELDS:
        value = obj.get(name)
        if value is None or isinstance(value, str):
            values[name] = _valid_unicode((value or "").strip(), report, None)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            values[name] = str(value)
        else:
            report(RecordError(f"{where}'{name}' must be a string, found {type(value).__name__}; ignored", path, line))
            values[name] = ""
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


def _valid_unicode(s: str, report: OnError, note: RecordError | None) -> str:
    """Replace lone surrogates ("\\ud800" in JSON) that no UTF-8 output could hold."""
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        if note is not None:
            report(note)
        return s.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _unique(article: Article, seen: dict[str, str], report: OnError) -> Article | None:
    """Keep ids unique within a run: an exact repeat is dropped, a clash gets "-2", "-3", ..."""
    if article.id not in seen:
        seen[article.id] = article.content_hash
        return article
    where = (article.path, article.line or None)
    if seen[article.id] == article.content_hash:
        report(RecordError(f"article {article.id!r} was already read (same content); skipped", *where))
        return None
    n = 2
    while f"{article.id}-{n}" in seen:
        n += 1
    new = f"{article.id}-{n}"
    seen[new] = article.content_hash
    report(RecordError(f"duplicate article id {article.id!r} with other content; renamed {new!r}", *where))
    return dataclasses.replace(article, id=new)
