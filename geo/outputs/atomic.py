"""Atomic output files: write to a temporary file in the same folder, fsync, then `os.replace`.

A reader (or a crash) therefore sees either the old file or the complete new one, never a
truncated file. "-" means standard output, where atomicity does not apply. A writer killed
mid-write leaves its hidden temporary behind; the next write to the same path removes it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from geo.errors import IncidentMapError, OutputError

__all__ = ["atomic_path", "atomic_write", "clean_stale"]

_umask: int | None = None
_OURS = re.compile(r"([0-9]+)\.[a-z0-9_]{8}\.tmp")     # after ".NAME.": pid, tempfile's 8 random characters


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
    path = _target(path)
    if _special(path):
        # A device or pipe (/dev/null, a FIFO) cannot be replaced, only written to: never swap it for a file.
        try:
            stream = open(path, mode, **text_options)
        except OSError as e:
            raise OutputError(f"cannot write {path}: {e.strerror or e}") from e
        try:
            with stream:
                yield stream
        except OSError as e:      # a full device (/dev/full), a pipe whose reader left
            if isinstance(e, IncidentMapError):
                raise
            raise OutputError(f"cannot write {path}: {e.strerror or e}") from e
        return
    folder, name = os.path.split(os.path.abspath(path))
    clean_stale(folder, name)
    try:
        handle = tempfile.NamedTemporaryFile(
            mode, dir=folder, prefix=_prefix(name), suffix=".tmp", delete=False, **text_options,
        )
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from e
    tmp = handle.name
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _publish(tmp, path)
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
    path = _target(path)
    folder, name = os.path.split(os.path.abspath(path))
    clean_stale(folder, name)
    try:
        workdir = tempfile.mkdtemp(dir=folder, prefix=_prefix(name), suffix=".tmp")
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from e
    tmp = os.path.join(workdir, name)
    try:
        yield tmp
        if not os.path.exists(tmp):
            raise OutputError(f"nothing was written to {path}")
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        if _special(path):
            with open(tmp, "rb") as src, open(path, "wb") as dst:
                shutil.copyfileobj(src, dst)
        else:
            _publish(tmp, path)
    except OSError as e:
        if isinstance(e, IncidentMapError):
            raise
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from e
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _prefix(name: str) -> str:
    """Temporary names are `.NAME.PID.RANDOM.tmp`: the writer's pid says when one is stale."""
    return f".{name}.{os.getpid()}."


def clean_stale(folder: str, name: str) -> list[str]:
    """Remove temporaries for `name` left by writers that died (SIGKILL, power loss); the paths removed.

    Only our own pattern, and only when its pid is no longer running: a concurrent run's file stays.
    """
    removed: list[str] = []
    head = f".{name}."
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(head) and e.name.endswith(".tmp")]
    except OSError:
        return removed
    for entry in entries:
        found = _OURS.fullmatch(entry.name[len(head):])
        if found is None or _running(int(found.group(1))):
            continue
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(entry.path)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:          # EPERM: running, as another user
        return True
    return True


def _target(path: str) -> str:
    """Where to write: through a symbolic link to the file it names, so the link keeps working."""
    if os.path.islink(path):
        return os.path.realpath(path)
    if os.path.isdir(path):
        raise OutputError(f"cannot write {path}: it is a folder")
    return path


def _special(path: str) -> bool:
    """True for an existing device, pipe or socket: something to write into, never to replace."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode)


def _publish(tmp: str, path: str) -> None:
    """Give the temp file normal permissions (mkstemp makes it 0600) and move it into place."""
    try:
        mode = os.stat(path).st_mode & 0o7777
    except OSError:
        mode = 0o666 & ~_current_umask()
    os.chmod(tmp, mode)
    os.replace(tmp, path)
    with contextlib.suppress(OSError):       # durability of the rename; not possible everywhere
        fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _current_umask() -> int:
    global _umask
    if _umask is None:
        _umask = os.umask(0o022)
        os.umask(_umask)
    return _umask


def _remove(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)
