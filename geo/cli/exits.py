"""Library errors as one-line messages on stderr and the documented exit codes.

0 ok, 1 records skipped under --strict, 2 usage or missing input, 3 output could not be written.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable

import click

from geo.errors import IncidentMapError, InputError, OutputError, RecordError, UsageError

__all__ = ["EXIT_OK", "EXIT_OUTPUT", "EXIT_SKIPPED", "EXIT_USAGE", "handle_errors"]

EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, EXIT_OUTPUT = 0, 1, 2, 3


def _fail(message: str, code: int) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def handle_errors(func: Callable) -> Callable:
    """Turn library errors into a message on stderr and the documented exit code."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (InputError, UsageError, RecordError) as exc:
            _fail(str(exc), EXIT_USAGE)
        except OutputError as exc:
            _fail(str(exc), EXIT_OUTPUT)
        except IncidentMapError as exc:
            _fail(str(exc), EXIT_USAGE)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(EXIT_OK)
        except KeyboardInterrupt:
            _fail("interrupted", 130)

    return wrapper
