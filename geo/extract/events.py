"""The learned event detector: a sentence in, the incident types it reports (with probabilities) out.

One logistic regression per type over the sentence's features (`geo.extract.features`), trained by
`scripts/train_events.py` on the labelled sentences in `geo/data/events/`. The weights ship as a
NumPy `.npz` file read with `allow_pickle=False`, so loading a model can never run code.
"""

from __future__ import annotations

import json
import math
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from geo.errors import ModelError
from geo.extract.features import FEATURES_VERSION, Featurizer
from geo.extract.triggers import WORD_START, Caseless, Hit, prefix_tree

__all__ = ["DEFAULT_MODEL", "MODEL_FORMAT", "RETRAIN", "Detection", "EventModel"]

MODEL_FORMAT = 1
DEFAULT_MODEL = Path(__file__).parent.parent / "data" / "events" / "model.npz"
RETRAIN = "python scripts/train_events.py"
# A type is reported for a sentence from this probability on (chosen on the dev split, docs/incidents.md).
REPORT_AT = 0.5
EVENT = "event"
# The pre-filter: a sentence is scored only if it holds a word whose stem weighs at least this much
# for some type (read from the model's own weights, so it follows retraining); the rest cannot reach
# REPORT_AT without one (checked on the dev splits: docs/incidents.md).
PREFILTER_WEIGHT = 0.7


@dataclass(frozen=True, slots=True)
class Detection:
    """One type a sentence reports, its probability, and the word that weighs most for it."""

    type: str
    probability: float
    anchor: str

    def __post_init__(self) -> None:
        if not (0.0 <= self.probability <= 1.0) or math.isnan(self.probability):
            raise ValueError(f"probability must be within 0-1, got {self.probability!r}")


class EventModel:
    """Two stages over named features: whether a sentence reports an event, then which type.

    Column 0 of the weights is a logistic event/no-event detector; the other columns are a softmax
    over the types, trained on event sentences only. A type's probability is
    P(event) x P(type | event).
    """

    def __init__(self, features: list[str], labels: list[str], weights: np.ndarray, bias: np.ndarray,
                 meta: dict, featurizer: Featurizer | None = None):
        if weights.shape != (len(features), len(labels)) or len(labels) < 2 or bias.shape != (len(labels),):
            raise ModelError(f"event model weights have shape {weights.shape} for {len(features)} features "
                             f"and {len(labels)} labels; retrain it with `{RETRAIN}`")
        if not labels or labels[0] != EVENT:
            raise ModelError(f"event model's first column must be {EVENT!r}; retrain it with `{RETRAIN}`")
        self.labels = tuple(labels[1:])
        self.meta = meta
        self._index = {f: i for i, f in enumerate(features)}
        self._weights = weights.astype(np.float64)
        self._bias = bias.astype(np.float64)
        self._featurizer = featurizer
        self._prefilter: Caseless | None = None

    @classmethod
    def load(cls, path: str | Path | None = None) -> "EventModel":
        """Read a model file, refusing one that is missing, corrupt or of another version."""
        path = Path(path) if path is not None else DEFAULT_MODEL
        how = f"retrain it with `{RETRAIN}`"
        try:
            with np.load(path, allow_pickle=False) as npz:
                meta = json.loads(str(npz["meta"]))
                features = [str(f) for f in npz["features"]]
                labels = [str(x) for x in npz["labels"]]
                weights, bias = npz["weights"], npz["bias"]
        except FileNotFoundError as exc:
            raise ModelError(f"{path}: no event model file; {how}") from exc
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as exc:
            raise ModelError(f"{path}: not a readable event model ({exc}); {how}") from exc
        if meta.get("format") != MODEL_FORMAT or meta.get("features_version") != FEATURES_VERSION:
            raise ModelError(f"{path}: event model of format {meta.get('format')}, features "
                             f"{meta.get('features_version')}; this version needs format {MODEL_FORMAT}, "
                             f"features {FEATURES_VERSION}; {how}")
        return cls(features, labels, weights, bias, meta)

    def save(self, path: str | Path) -> None:
        """Write the model as a compressed `.npz` (no pickled objects)."""
        features = sorted(self._index, key=self._index.__getitem__)
        labels = (EVENT, *self.labels)
        meta = {**self.meta, "format": MODEL_FORMAT, "features_version": FEATURES_VERSION}
        with open(path, "wb") as fh:
            np.savez_compressed(fh, features=np.array(features, dtype=str), labels=np.array(labels, dtype=str),
                                weights=self._weights.astype(np.float32), bias=self._bias.astype(np.float32),
                                meta=np.array(json.dumps(meta, sort_keys=True)))

    @property
    def featurizer(self) -> Featurizer:
        if self._featurizer is None:
            self._featurizer = _bundled_featurizer()
        return self._featurizer

    @property
    def prefilter(self) -> Caseless:
        """The pre-filter: a word start (`triggers.WORD_START`) and a prefix tree of the words that weigh."""
        if self._prefilter is None:
            self._prefilter = self._compile_prefilter()
        return self._prefilter

    def candidate_starts(self, text: str, start: int = 0, end: int | None = None) -> list[int]:
        """Offsets of words in text[start:end] that may open an event sentence (the fast pre-filter)."""
        end = len(text) if end is None else end
        return [m.start() for m in self.prefilter.finditer(text, start, end)]

    def _compile_prefilter(self) -> Caseless:
        """Words (whole) and stems (as prefixes) whose weight for the event or a type reaches PREFILTER_WEIGHT,
        as one prefix-tree regex: one pass over the text."""
        top = self._weights.max(axis=1)
        words: dict[str, bool] = {}
        for f, i in self._index.items():
            if f[:2] in ("s:", "w:") and f[2:] != "<num>" and top[i] >= PREFILTER_WEIGHT:
                words[f[2:]] = words.get(f[2:], False) or f[:2] == "s:"
        if not words:
            return Caseless(r"(?!)")
        return Caseless(WORD_START + prefix_tree(words))

    def detect(self, text: str, *, at: float = REPORT_AT) -> list[Detection]:
        """The types whose probability P(event) x P(type | event) is at least `at`, most probable first."""
        feats = self.featurizer.features(text)
        p_event, p_type = self._probabilities(self._rows(feats))
        if p_event < at:
            return []
        probs = p_event * p_type
        chosen = [int(j) for j in np.argsort(-probs) if probs[j] >= at]
        return [Detection(self.labels[j], float(probs[j]), self._anchor(feats, j + 1)) for j in chosen]

    def type_probabilities(self, text: str, starts: Sequence[int] | None = None, hits: Sequence[Hit] | None = None
                           ) -> tuple[dict[str, float], Callable[[str], str]]:
        """P(event) x P(type | event) for every type, and a function giving a type's anchor word (`starts`: the
        sentence's `Rules.starts`, `hits`: its `Rules.hits`, if known)."""
        feats = self.featurizer.features(text, starts, hits)
        p_event, p_type = self._probabilities(self._rows(feats))
        probs = {label: p_event * float(p) for label, p in zip(self.labels, p_type)}
        return probs, lambda label: self._anchor(feats, 1 + self.labels.index(label))

    def _rows(self, feats: set[str]) -> list[int]:
        get = self._index.get      # one look-up per feature: the index is large, and each costs a cache miss
        return [i for f in feats if (i := get(f)) is not None]

    def _probabilities(self, rows: list[int]) -> tuple[float, np.ndarray]:
        z = self._weights[rows].sum(axis=0) + self._bias
        p_event = 1.0 / (1.0 + math.exp(-min(max(float(z[0]), -30.0), 30.0)))
        t = z[1:] - z[1:].max()
        e = np.exp(t)
        return p_event, e / e.sum()

    def _anchor(self, feats: set[str], column: int) -> str:
        """The word that weighs most for the event and its type: where the event is told."""
        best, weight = "", -math.inf
        for f in feats:
            if f.startswith("w:") and f in self._index:
                row = self._weights[self._index[f]]
                w = row[0] + row[column]
                if w > weight:
                    best, weight = f[2:], w
        return best


@cache
def _bundled_featurizer() -> Featurizer:
    return Featurizer.load()


@cache
def bundled_model() -> EventModel:
    """The model shipped in the package, loaded once per process."""
    return EventModel.load()
