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
import io
import os
import stat
import sys
import warnings
from collections.abc import Iterable, Iterator, Sequence

from geo.errors import InputError, RecordError
from geo.model import Article
from geo.read.records import (
    OnError,
    _csv_articles,
    _json_array,
    _jsonl_articles,
    _wire_articles,
    content_hash,
    parse_metadata_date,
)

__all__ = ["EXTENSIONS", "check_paths", "content_hash", "parse_metadata_date", "read_articles"]

EXTENSIONS = {".txt": "wire", ".text": "wire", ".jsonl": "jsonl", ".ndjson": "jsonl",
              ".json": "jsonl", ".csv": "csv"}
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
