"""Atomic output files: write to a temporary file in the same folder, fsync, then `os.replace`.

A reader (or a crash) therefore sees either the old file or the complete new one, never a
truncated file. "-" means standard output, where atomicity does not apply; devices, FIFOs and
sockets are refused. A writer killed
mid-write leaves its hidden temporary behind; the next write to the same path removes it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from gazetteer.paths import clean_stale, publish, temp_prefix
from geo.errors import IncidentMapError, OutputError

__all__ = ["atomic_path", "atomic_write", "check_output", "clean_stale"]

@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "w", *, encoding: str = "utf-8",
                 newline: str | None = None) -> Iterator[IO]:
    """Open `path` for writing so that it is replaced only when the block finishes without error."""
    if mode not in ("w", "wb"):
        raise ValueError(f"mode must be 'w' or 'wb', got {mode!r}")
    path = os.fspath(path)
    text_options: dict[str, Any] = {} if mode == "wb" else {"encoding": encoding, "newline": newline}
    if path == "-":
        if mode == "wb":
            yield sys.stdout.buffer
            sys.stdout.buffer.flush()
        else:
            yield sys.stdout
            sys.stdout.flush()
        return
    path = check_output(path)
    folder, name = os.path.split(os.path.abspath(path))
    clean_stale(folder, name)
    try:
        handle = tempfile.NamedTemporaryFile(
            mode, dir=folder, prefix=temp_prefix(name), suffix=".tmp", delete=False, **text_options,
        )
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from e
    tmp = handle.name
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        publish(tmp, path)
    except BaseException as e:
        _remove(tmp)
        if isinstance(e, OSError) and not isinstance(e, IncidentMapError):
            raise OutputError(f"cannot write {path}: {e.strerror or e}") from e
        raise


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[str]:
    """A fresh temporary path next to `path` for libraries that write files themselves (GDAL, SQLite).

    The temporary path lives in a private folder so side files (journals, -wal) stay with it;
    it keeps the target's extension because some drivers look at it.
    """
    path = os.fspath(path)
    if path == "-":
        raise OutputError("this format cannot be written to standard output")
    path = check_output(path)
    folder, name = os.path.split(os.path.abspath(path))
    clean_stale(folder, name)
    try:
        workdir = tempfile.mkdtemp(dir=folder, prefix=temp_prefix(name), suffix=".tmp")
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from e
    tmp = os.path.join(workdir, name)
    try:
        yield tmp
        if not os.path.exists(tmp):
            raise OutputError(f"nothing was written to {path}")
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        publish(tmp, path)
    except OSError as e:
        if isinstance(e, IncidentMapError):
            raise
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from e
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def check_output(path: str | os.PathLike) -> str:
    """Where writing `path` will put the file, or OutputError if it is no place for one.

    Only a regular file or a new path is written: a device, FIFO or socket is refused, looked at
    with stat and never opened (opening a FIFO waits for a reader forever; replacing /dev/null
    with a file would break the machine). A symbolic link is written through to the file it names,
    so the link keeps working. "-" (standard output) is returned as is.
    """
    path = os.fspath(path)
    if path == "-":
        return path
    if os.path.islink(path):
        path = os.path.realpath(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return path
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from e
    if stat.S_ISDIR(mode):
        raise OutputError(f"cannot write {path}: it is a folder")
    if not stat.S_ISREG(mode):
        kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device")
        raise OutputError(f"cannot write {path}: it is {kind}, not a file (outputs go to files or new paths;"
                          " use - for standard output)")
    return path


def _remove(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)
