"""The matcher's cache file: written atomically next to the index, read without ever running code.

Moved out of `gazetteer.mentions.matcher`. The cache folder may be writable by others (a shared team
folder, /tmp), so the file is read with an unpickler that builds nothing but lists, dicts, strings,
numbers and one pyahocorasick automaton.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile

import ahocorasick

from gazetteer.paths import clean_stale, publish, temp_prefix

__all__ = ["read_cache", "write_cache"]


def write_cache(path: str, payload: tuple) -> None:
    """Write `payload` to `path` atomically (a temporary of our own pattern, then a rename)."""
    folder, name = os.path.split(os.path.abspath(path))
    clean_stale(folder, name)                   # a save killed mid-way left its temporary
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(name), suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
        publish(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def read_cache(path: str) -> tuple | None:
    """The tuple saved at `path`, or None when it is missing, damaged or asks for anything but an automaton."""
    try:
        with open(path, "rb") as fh:
            got = _CacheUnpickler(fh).load()
    except (OSError, EOFError, ValueError, TypeError, AttributeError, pickle.UnpicklingError):
        return None
    return got if isinstance(got, tuple) else None


class _CacheUnpickler(pickle.Unpickler):
    """Reads the matcher cache: lists, dicts, strings, numbers and one pyahocorasick automaton, nothing else."""

    def find_class(self, module: str, name: str):
        if (module, name) == ("ahocorasick", "Automaton"):
            return ahocorasick.Automaton
        raise pickle.UnpicklingError(f"the matcher cache asks for {module}.{name}; it was not written by incidentmap")
