"""A progress bar on standard error (rate and ETA) that stays silent when nobody is watching."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

__all__ = ["progress", "wants_progress"]

T = TypeVar("T")


def wants_progress(stream: TextIO | None = None, *, quiet: bool = False) -> bool:
    """True when a bar should be drawn: not quiet and the stream is a terminal."""
    stream = sys.stderr if stream is None else stream
    if quiet or stream is None:
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:   # a closed stream
        return False


def progress(iterable: Iterable[T], *, total: int | None = None, desc: str = "", quiet: bool = False,
             unit: str = "article", stream: TextIO | None = None) -> Iterator[T]:
    """Yield from `iterable`, drawing a tqdm bar on stderr when it is a terminal and not `quiet`."""
    stream = sys.stderr if stream is None else stream
    if not wants_progress(stream, quiet=quiet):
        yield from iterable
        return
    # lazy: tqdm only when a bar is drawn (on a terminal, not --quiet)
    from tqdm import tqdm

    if total is None:
        try:
            total = len(iterable)  # type: ignore[arg-type]
        except TypeError:
            total = None
    bar = tqdm(iterable, total=total, desc=desc, unit=unit, file=stream, dynamic_ncols=True,
               mininterval=0.25, smoothing=0.1, leave=False)
    try:
        yield from bar
    finally:
        bar.close()
