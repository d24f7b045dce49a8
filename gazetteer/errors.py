"""Exceptions for incidentmap; the root class lives here so both packages share it."""

from __future__ import annotations


class IncidentMapError(Exception):
    """Root of every error incidentmap raises on purpose."""


class GazetteerError(IncidentMapError):
    """Something is wrong with the gazetteer or its index."""


class UnknownLayerError(GazetteerError, ValueError):
    """A layer name that is not registered."""


class ImportFileError(GazetteerError, ValueError):
    """A malformed gazetteer import file; carries the file and line."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.path = path
        self.line = line
        where = f"{path}:{line}: " if path and line else (f"{path}: " if path else "")
        super().__init__(f"{where}{message}")


class IndexError_(GazetteerError, OSError):
    """The local index could not be built or opened."""


class GeocoderError(GazetteerError, OSError):
    """An online geocoder failed (timeout, rate limit, bad answer)."""
