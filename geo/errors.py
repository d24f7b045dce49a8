"""Errors raised by the geo package; the CLI maps them to messages and exit codes."""

from __future__ import annotations

from gazetteer.errors import IncidentMapError

__all__ = ["IncidentMapError", "InputError", "ModelError", "OutputError", "RecordError", "UsageError"]


class InputError(IncidentMapError, OSError):
    """An input path that cannot be read at all (missing, a directory of nothing)."""


class RecordError(IncidentMapError, ValueError):
    """One bad record in an input file; the record is skipped and the run goes on."""

    def __init__(self, message: str, path: str, line: int | None = None, *, dropped: bool | None = None):
        self.path = path
        self.line = line
        self.reason = message
        self._dropped = dropped
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")

    @property
    def skipped(self) -> bool:
        """True if the record was dropped; False if it was read with a repair (date dropped, bytes replaced).

        Said by `dropped` when given; otherwise by the readers' convention, a message ending in "skipped".
        """
        return self.reason.endswith("skipped") if self._dropped is None else self._dropped

    def __reduce__(self):
        # raised in a worker process, it is pickled back to the parent with all its arguments
        return (self.__class__, (self.reason, self.path, self.line), self.__dict__)


class OutputError(IncidentMapError, OSError):
    """An output file could not be written."""


class UsageError(IncidentMapError, ValueError):
    """Options that do not make sense together, or a bad option value."""


class ModelError(IncidentMapError, ValueError):
    """The event model file is missing, corrupt or from another version; the message says how to retrain."""
