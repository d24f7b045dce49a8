"""Where the gazetteer keeps its files: the index in the user cache, imported places in user data.

Shared by the index (which is built from the layers) and the user layer, so neither imports the other.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

__all__ = ["ENV_PATH", "ENV_STORE", "SCHEMA_VERSION", "default_index_path", "user_store_path"]

ENV_PATH = "INCIDENTMAP_GAZETTEER"
ENV_STORE = "INCIDENTMAP_USER_PLACES"
# The index's table layout; a new version builds a new file beside the old one.
SCHEMA_VERSION = 3


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
