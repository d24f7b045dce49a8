"""Where the gazetteer keeps its files: the index in the user cache, imported places in user data;
and how every file the project writes is named while it is written, so a dead writer's is found.

Shared by the index (which is built from the layers) and the user layer, so neither imports the other.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path

import platformdirs

__all__ = ["ENV_PATH", "ENV_STORE", "SCHEMA_VERSION", "clean_stale", "default_index_path", "temp_prefix",
           "user_store_path"]

ENV_PATH = "INCIDENTMAP_GAZETTEER"
ENV_STORE = "INCIDENTMAP_USER_PLACES"
# The index's table layout; a new version builds a new file beside the old one.
SCHEMA_VERSION = 3
_OURS = re.compile(r"([0-9]+)\.[a-z0-9_]{8}\.tmp")     # after ".NAME.": pid, tempfile's 8 random characters
_LEGACY = re.compile(r"([0-9]+)")


def default_index_path() -> Path:
    """`$INCIDENTMAP_GAZETTEER`, else the per-user cache file for this schema version."""
    env = os.environ.get(ENV_PATH)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_cache_dir("incidentmap")) / f"gazetteer-v{SCHEMA_VERSION}.sqlite"


def user_store_path(index_path: str | os.PathLike | None = None) -> Path:
    """Where imported places live: `$INCIDENTMAP_USER_PLACES`, else beside the index.

    For the default index that is the per-user data dir (not the cache: imports are user data).
    """
    env = os.environ.get(ENV_STORE)
    if env:
        return Path(env).expanduser()
    index = Path(index_path).expanduser() if index_path is not None else default_index_path()
    if not os.environ.get(ENV_PATH) and index == default_index_path():
        return Path(platformdirs.user_data_dir("incidentmap")) / "user-places.sqlite"
    return index.with_name(index.stem + ".user-places.sqlite")


def temp_prefix(name: str) -> str:
    """Temporary names are `.NAME.PID.RANDOM.tmp`: the writer's pid says when one is stale."""
    return f".{name}.{os.getpid()}."


_umask: int | None = None


def _current_umask() -> int:
    """The process umask, read once (reading it means setting it)."""
    global _umask
    if _umask is None:
        _umask = os.umask(0o022)
        os.umask(_umask)
    return _umask


def publish(tmp: str | os.PathLike, path: str | os.PathLike) -> None:
    """Move a finished temporary into place atomically, the one way every writer of the project does it:
    the mode of the file it replaces, else a plain file's (mkstemp makes temporaries private), then a
    rename, then the folder synced so the rename survives a crash where the system allows it."""
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


def clean_stale(folder: str, name: str) -> list[str]:
    """Remove temporaries for `name` left by writers that died (SIGKILL, power loss); the paths removed.

    Only our own pattern, and only when its pid is no longer running: a concurrent run's file stays.
    """
    removed: list[str] = []
    head, legacy = f".{name}.", f"{name}.tmp"
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith((head, legacy))]
    except OSError:
        return removed
    for entry in entries:
        if entry.name.startswith(head):
            found = _OURS.fullmatch(entry.name[len(head):])
        else:       # NAME.tmpPID: how earlier versions wrote the matcher cache
            found = _LEGACY.fullmatch(entry.name[len(legacy):])
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
