"""Training the event detector and scoring it sentence by sentence.

Training needs scikit-learn (the `train` extra); predicting needs only NumPy. The scores follow the
usual definitions: per type precision / recall / F1 over (sentence, type) pairs, their average
weighted by gold support, event/no-event precision and recall, and a confusion table of the first
gold type against the first predicted one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from geo.extract.eventdata import NONE, LabelledSentence
from geo.extract.events import EVENT, REPORT_AT, EventModel
from geo.extract.features import Featurizer

__all__ = ["Scores", "Tally", "data_digest", "score", "train"]

# Inverse regularisation strength and least feature count, chosen by dev-split F1 (docs/incidents.md).
C = 1.0
# The typer's own strength: types are told apart by few words, so it is regularised less.
TYPER_C = 1.0
MIN_COUNT = 2
# Real news tells far fewer events per sentence than the written set; a no-event sentence counts this much more.
NEGATIVE_WEIGHT = 1.0
# Features whose every weight is smaller than this are dropped from the shipped file (size; no score change on dev).
PRUNE_BELOW = 0.02


def data_digest(paths: Sequence[Path]) -> str:
    """A hash of the training files, recorded in the model so a stale model can be detected."""
    h = hashlib.sha256()
    for p in sorted(paths, key=lambda p: p.name):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


# Iterations the solvers may take: enough for both fits to converge on the written set.
_DETECTOR_ITERATIONS, _TYPER_ITERATIONS = 1000, 3000
# The bias of a type with no training sentence: exp(-30) is about 1e-13, so it is never predicted.
_NEVER = -30.0


def train(rows: Sequence[LabelledSentence], labels: Sequence[str], featurizer: Featurizer, *,
          c: float = C, typer_c: float = TYPER_C, min_count: int = MIN_COUNT, digest: str = "") -> EventModel:
    """One logistic regression per label over the rows' features."""
    try:
        # lazy: scikit-learn is optional (the `train` extra) and takes about 1 s to import
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:      # training only: the package predicts with NumPy alone
        raise ImportError("training the event model needs scikit-learn: pip install '.[train]'") from exc
    x, vocab = _design_matrix([featurizer.features(r.text) for r in rows], min_count)
    weights = np.zeros((len(vocab), len(labels) + 1))
    bias = np.zeros(len(labels) + 1)
    is_event = np.array([bool(r.labels) for r in rows])
    detector = LogisticRegression(C=c, solver="liblinear", max_iter=_DETECTOR_ITERATIONS,
                                  class_weight={False: NEGATIVE_WEIGHT, True: 1.0}).fit(x, is_event)
    weights[:, 0], bias[0] = detector.coef_[0], detector.intercept_[0]
    _fit_typer(x, rows, labels, typer_c, weights, bias)
    keep = np.abs(weights).max(axis=1) >= PRUNE_BELOW
    vocab = [f for f, k in zip(vocab, keep) if k]
    meta = {"trained": dt.date.today().isoformat(), "rows": len(rows), "c": c, "typer_c": typer_c, "min_count": min_count,
            "data": digest}
    return EventModel(vocab, [EVENT, *labels], weights[keep], bias, meta, featurizer)


def _design_matrix(feats: list, min_count: int):
    """The rows' features as a sparse 0/1 matrix over the vocabulary of features seen `min_count` times."""
    # lazy: scipy comes with scikit-learn, which is optional (the `train` extra)
    from scipy.sparse import csr_matrix

    counts = Counter(f for fs in feats for f in fs)
    vocab = sorted(f for f, n in counts.items() if n >= min_count and f != "bias")
    index = {f: i for i, f in enumerate(vocab)}
    indptr, indices = [0], []
    for fs in feats:
        indices.extend(sorted(index[f] for f in fs if f in index))
        indptr.append(len(indices))
    return csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(feats), len(vocab))), vocab


def _fit_typer(x, rows: Sequence[LabelledSentence], labels: Sequence[str], typer_c: float,
               weights: np.ndarray, bias: np.ndarray) -> None:
    """Fit the typer into columns 1.. of `weights` and `bias`; it sees each event sentence once per type it carries."""
    # lazy: scikit-learn is optional (the `train` extra) and takes about 1 s to import
    from sklearn.linear_model import LogisticRegression

    pairs = [(i, labels.index(t)) for i, r in enumerate(rows) for t in r.labels if t in labels]
    typer = LogisticRegression(C=typer_c, max_iter=_TYPER_ITERATIONS).fit(x[[i for i, _ in pairs]], [j for _, j in pairs])
    for k, j in enumerate(typer.classes_):
        weights[:, 1 + j] = typer.coef_[k]
        bias[1 + j] = typer.intercept_[k]
    for j in set(range(len(labels))) - set(typer.classes_):
        bias[1 + j] = _NEVER


@dataclass(slots=True)
class Tally:
    """Counts of (item, label) pairs right, wrong and missed, and the precision/recall/F1 they give."""

    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    support: Counter = field(default_factory=Counter)

    def add(self, gold: set[str], pred: set[str]) -> None:
        self.tp.update(gold & pred)
        self.fp.update(pred - gold)
        self.fn.update(gold - pred)
        self.support.update(gold)

    def per_label(self) -> dict[str, tuple[float, float, float, int]]:
        """label -> (precision, recall, F1, gold support), for every label seen in gold or predictions."""
        out = {}
        for t in sorted(set(self.tp) | set(self.fp) | set(self.fn)):
            tp, fp, fn = self.tp[t], self.fp[t], self.fn[t]
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / (tp + fn) if tp + fn else 0.0
            out[t] = (p, r, 2 * p * r / (p + r) if p + r else 0.0, self.support[t])
        return out

    def weighted_f1(self) -> float:
        """F1 averaged over labels, weighted by gold support."""
        total = sum(self.support.values())
        per = self.per_label()
        return sum(per[t][2] * n for t, n in self.support.items()) / total if total else 0.0


@dataclass(slots=True)
class Scores:
    """Sentence-level scores of one run over labelled rows."""

    per_type: dict[str, tuple[float, float, float, int]] = field(default_factory=dict)
    weighted_f1: float = 0.0
    event_precision: float = 0.0
    event_recall: float = 0.0
    confusion: Counter = field(default_factory=Counter)
    sentences: int = 0

    def table(self) -> str:
        lines = [f"{'type':26} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5}"]
        for t, (p, r, f, n) in sorted(self.per_type.items(), key=lambda kv: -kv[1][3]):
            lines.append(f"{t:26} {p:6.2f} {r:6.2f} {f:6.2f} {n:5d}")
        lines.append(f"weighted F1 {self.weighted_f1:.3f}   event precision {self.event_precision:.3f}   "
                     f"event recall {self.event_recall:.3f}   sentences {self.sentences}")
        return "\n".join(lines)

    def confusion_table(self) -> str:
        labels = sorted({g for g, _ in self.confusion} | {p for _, p in self.confusion})
        short = {x: x[:6] for x in labels}
        lines = ["gold \\ predicted " + " ".join(f"{short[x]:>6}" for x in labels)]
        for g in labels:
            lines.append(f"{g:17}" + " ".join(f"{self.confusion.get((g, p), 0):6d}" for p in labels))
        return "\n".join(lines)


def score(model: EventModel, rows: Sequence[LabelledSentence], *, at: float = REPORT_AT,
          relabel: dict[str, str] | None = None) -> Scores:
    """Score the model's detections at threshold `at` against the rows' labels.

    `relabel` maps type names onto coarser labels before scoring (ACLED sub-event types, families).
    """
    def coarse(types: Sequence[str]) -> list[str]:
        return list(dict.fromkeys(relabel.get(t, t) for t in types)) if relabel else list(types)

    tally, ev = Tally(), Counter[tuple[bool, bool]]()
    out = Scores(sentences=len(rows))
    for r in rows:
        got = coarse([d.type for d in model.detect(r.text, at=at)])
        want = coarse(r.labels)
        gold, pred = set(want), set(got)
        tally.add(gold, pred)
        ev[(bool(gold), bool(pred))] += 1
        out.confusion[(want[0] if want else NONE, got[0] if got else NONE)] += 1
    out.per_type = tally.per_label()
    out.weighted_f1 = tally.weighted_f1()
    predicted_events = ev[(True, True)] + ev[(False, True)]
    gold_events = ev[(True, True)] + ev[(True, False)]
    out.event_precision = ev[(True, True)] / predicted_events if predicted_events else 0.0
    out.event_recall = ev[(True, True)] / gold_events if gold_events else 0.0
    return out
