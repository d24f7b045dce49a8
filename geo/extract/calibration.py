"""How likely an incident is right: its decision score turned into a probability.

The decision (`geo.extract.decide`) adds weighted evidence into a score; that score says which
incident is surer than another, not how often one is right. `geo/data/incident_calibration.csv`
maps the score and a few named features to the probability that the incident's type family, place
and date match what an analyst codes (a logistic fit on the annotated articles, made by
`python scripts/calibrate_incidents.py`), and holds the least probability the map shows by default.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from gazetteer.datafiles import csv_rows
from geo.errors import UsageError
from geo.model import Incident, Phrase

__all__ = ["CALIBRATION_FILE", "FEATURES", "LEAD_CHARS", "OLD_DAYS", "REMAKE", "Calibration", "RawScore", "features"]

CALIBRATION_FILE = Path(__file__).parent.parent / "data" / "incident_calibration.csv"
REMAKE = "python scripts/calibrate_incidents.py"
# score: the decision score; place_told, date_told: the phrase that gave the place or the date is in
# one of the incident's own sentences (not the dateline, the lead or another sentence of the paragraph);
# lead: the article tells it within its first LEAD_CHARS characters (a news story opens on its news, and
# what it tells further down is more often background); old: it is dated more than OLD_DAYS before the
# article was published (a past event told in passing, or a campaign's start, more often than news).
FEATURES = ("score", "place_told", "date_told", "lead", "old")
LEAD_CHARS = 600     # about a wire story's first two paragraphs
OLD_DAYS = 365
_OTHER_ROWS = ("intercept", "threshold")


def features(incident: Incident) -> dict[str, float]:
    """The named features of an incident whose confidence is still its decision score."""
    own = [e for e in incident.evidence if e.article_id == incident.article_id]
    told = [e.sentence_span for e in own]

    def inside(phrase: Phrase | None) -> float:
        return float(phrase is not None and any(s.start <= phrase.start and phrase.end <= s.end for s in told))

    published = own[0].article_date if own else None
    return {"score": incident.confidence, "place_told": inside(incident.place_evidence),
            "date_told": inside(incident.date_evidence),
            "lead": float(any(s.start < LEAD_CHARS for s in told)),
            "old": float(incident.date is not None and published is not None
                         and (published - incident.date).days > OLD_DAYS)}


@dataclass(frozen=True, slots=True)
class Calibration:
    """A logistic map from an incident's features to the probability that it is right."""

    intercept: float
    weights: tuple[tuple[str, float], ...]    # (feature, weight), in FEATURES order
    threshold: float                          # least probability the map shows by default

    def probability(self, incident: Incident) -> float:
        """P(right) for an incident whose confidence is still its decision score, rounded to 3 places."""
        got = features(incident)
        z = self.intercept + sum(w * got[name] for name, w in self.weights)
        return round(1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z)), 3)

    @classmethod
    @cache
    def load(cls, path: Path = CALIBRATION_FILE) -> "Calibration":
        """The calibration file; a missing, unknown, repeated or bad row is an error naming file and line."""
        try:
            rows = csv_rows(path)
        except OSError as exc:
            raise _bad(str(path), f"cannot read the incident calibration ({exc.strerror or exc})") from exc
        known = (*_OTHER_ROWS, *FEATURES)
        got: dict[str, float] = {}
        for number, row in rows:
            name, where = row.get("name") or "", f"{path}:{number}"
            if name not in known:
                raise _bad(where, f"unknown row {name!r}; expected one of: {', '.join(known)}")
            if name in got:
                raise _bad(where, f"row {name!r} given twice")
            got[name] = _row_value(name, row.get("value"), where)
        missing = [n for n in known if n not in got]
        if missing:
            raise _bad(str(path), f"missing rows: {', '.join(missing)}")
        return cls(got["intercept"], tuple((n, got[n]) for n in FEATURES), got["threshold"])


def _bad(where: str, why: str) -> UsageError:
    return UsageError(f"{where}: {why}; remake the file with `{REMAKE}`")


# What a row's value must be, beyond a finite number: (row, test, why not).
_ROW_CHECKS = (
    ("threshold", lambda v: 0.0 <= v <= 1.0, "threshold must be a probability within [0, 1], got {!r}"),
    ("score", lambda v: v >= 0, "the score's weight must not be negative (a higher score is never less likely right), "
                                "got {!r}"),
)


def _row_value(name: str, written: str | None, where: str) -> float:
    """The value of one calibration row; a bad one is an error naming file and line."""
    try:
        value = float(written or "")
    except ValueError:
        raise _bad(where, f"{name} is not a number: {written!r}") from None
    if not math.isfinite(value):
        raise _bad(where, f"{name} is not a finite number: {written!r}")
    for row, test, why in _ROW_CHECKS:
        if name == row and not test(value):
            raise _bad(where, why.format(value))
    return value


class RawScore:
    """No calibration: the confidence stays the decision score (for making the calibration itself)."""

    threshold = 0.0

    @staticmethod
    def probability(incident: Incident) -> float:
        return incident.confidence
