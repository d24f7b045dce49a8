"""Scoring the geoparser against gold toponym files (LGL, GeoWebNews, GeoVirus JSONL).

Metrics follow Gritta et al., "A Pragmatic Guide to Geoparsing Evaluation" (2020): accuracy
within 161 km, AUC of the sorted log errors (log(1 + km) / log(20039), trapezoidal rule,
lower is better), median and mean error in km. An unresolved toponym counts as the maximum
error, 20,039 km (half the Earth's circumference).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

from gazetteer.geoparser import Geoparser
from gazetteer.layers.country_points import load_country_points
from gazetteer.model import Level, Mention
from gazetteer.resolve.resolver import haversine_km
from geo.errors import InputError, RecordError

__all__ = ["EvalReport", "ResolutionScores", "RecognitionScores", "evaluate", "load_gold", "MODES"]

MAX_KM = 20039.0
ACC_KM = 161.0
MODES = ("resolve", "end-to-end", "both")
# GeoWebNews toponym types that name a place literally (the paper's strict geotagging subset).
FEATURE_CLASSES = ("countries", "admin regions", "populated places", "water", "other")
_LEVEL_CLASS = {Level.COUNTRY: "countries", Level.PROVINCE: "admin regions", Level.DISTRICT: "admin regions",
                Level.CITY: "populated places"}
LITERAL_TYPES = frozenset({"Literal", "Mixed", "Literal_Modifier", "Coercion", "Embedded_Literal"})


@dataclass(frozen=True, slots=True)
class GoldToponym:
    start: int
    end: int
    name: str
    lat: float | None
    lon: float | None
    feature: str | None = None     # GeoNames "class.code" where the corpus gives it (LGL: "A.PCLI")
    geonameid: str | None = None


@dataclass(frozen=True, slots=True)
class GoldDoc:
    id: str
    text: str
    toponyms: tuple[GoldToponym, ...]       # with coordinates: scored for resolution
    unresolved: tuple[GoldToponym, ...] = ()  # toponyms the gold could not geocode: recognition only


@dataclass(frozen=True, slots=True)
class ResolutionScores:
    """Resolution quality over a list of errors in km."""

    n: int
    unresolved: int
    accuracy_161: float
    auc: float
    median_km: float
    mean_km: float

    @classmethod
    def from_errors(cls, errors: list[float], unresolved: int) -> "ResolutionScores":
        if not errors:
            return cls(0, 0, 0.0, 0.0, 0.0, 0.0)
        return cls(
            n=len(errors),
            unresolved=unresolved,
            accuracy_161=round(sum(e <= ACC_KM for e in errors) / len(errors), 4),
            auc=round(auc_of_errors(errors), 4),
            median_km=round(statistics.median(errors), 1),
            mean_km=round(statistics.fmean(errors), 1),
        )


@dataclass(frozen=True, slots=True)
class RecognitionScores:
    """Toponym recognition against gold spans."""

    gold: int
    predicted: int
    exact: int
    overlap: int
    precision: float
    recall: float
    f1: float
    overlap_precision: float
    overlap_recall: float
    overlap_f1: float
    accuracy_161_matched: float   # resolution accuracy over exactly matched spans with coordinates


@dataclass(frozen=True, slots=True)
class EvalReport:
    """Everything one evaluation run measured."""

    corpus: str
    mode: str
    documents: int
    seconds: float
    resolution: ResolutionScores | None = None
    baseline: ResolutionScores | None = None        # most populous candidate, same candidates
    recognition: RecognitionScores | None = None
    skeleton: dict = field(default_factory=dict)      # skeleton-only resolutions: count and precision
    by_class: dict = field(default_factory=dict)      # feature class -> ResolutionScores of its gold toponyms
    with_geonameid: ResolutionScores | None = None   # the gold toponyms that carry a GeoNames id (GeoWebNews, LGL)

    def to_dict(self) -> dict:
        return asdict(self)

    def format(self) -> str:
        """A plain-text table."""
        lines = [f"{self.corpus}: {self.documents} documents, mode {self.mode}, {self.seconds:.1f} s"]
        rows = []
        if self.resolution:
            rows.append(("geoparser", self.resolution))
            # by feature class of the gold toponym (see _Classifier)
            rows.extend((f"  {label}", r) for label, r in self.by_class.items())
            if self.with_geonameid:
                rows.append(("  with GeoNames id", self.with_geonameid))
        if self.baseline:
            rows.append(("most populous", self.baseline))
        if rows:
            lines.append(f"{'resolution':<20}{'n':>7}{'unres':>7}{'acc@161':>9}{'AUC':>8}{'median km':>11}{'mean km':>10}")
            for label, r in rows:
                lines.append(f"{label:<20}{r.n:>7}{r.unresolved:>7}{r.accuracy_161:>9.3f}{r.auc:>8.3f}{r.median_km:>11.1f}{r.mean_km:>10.1f}")
        if self.skeleton:
            lines.append(f"skeleton-only resolutions: {self.skeleton['count']}, right within 161 km: {self.skeleton['precision']:.3f}")
        if self.recognition:
            g = self.recognition
            lines.append(f"{'recognition':<16}{'gold':>7}{'pred':>7}{'P':>8}{'R':>8}{'F1':>8}")
            lines.append(f"{'exact span':<16}{g.gold:>7}{g.predicted:>7}{g.precision:>8.3f}{g.recall:>8.3f}{g.f1:>8.3f}")
            lines.append(f"{'overlap':<16}{g.gold:>7}{g.predicted:>7}{g.overlap_precision:>8.3f}{g.overlap_recall:>8.3f}{g.overlap_f1:>8.3f}")
            lines.append(f"acc@161 of exactly matched toponyms: {g.accuracy_161_matched:.3f}")
        return "\n".join(lines)


def auc_of_errors(errors: list[float]) -> float:
    """Area under the sorted log-error curve, scaled to [0, 1] (Gritta et al.); lower is better."""
    scaled = sorted(math.log(1.0 + min(max(e, 0.0), MAX_KM)) / math.log(MAX_KM) for e in errors)
    if len(scaled) == 1:
        return scaled[0]
    area = sum((a + b) / 2.0 for a, b in zip(scaled, scaled[1:]))
    return area / (len(scaled) - 1)


def load_gold(path: str, *, literal_only: bool = False) -> Iterator[GoldDoc]:
    """Documents of a gold JSONL file (`text`, `toponyms` with start/end/lat/lon)."""
    try:
        fh = open(path, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read gold file {path}: {exc.strerror or exc}") from exc
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                text = obj["text"]
                tops = []
                for t in obj.get("toponyms", ()):
                    if literal_only and t.get("type") and t["type"] not in LITERAL_TYPES:
                        continue
                    tops.append(_gold(t, text))
                unres = tuple(_gold(t, text, coords=False) for t in obj.get("unresolved_toponyms", ()))
            except (ValueError, KeyError, TypeError) as exc:
                raise RecordError(f"not a gold toponym record: {exc}", path, n) from exc
            yield GoldDoc(str(obj.get("id", n)), text, tuple(tops), unres)


def _gold(t: dict, text: str, *, coords: bool = True) -> GoldToponym:
    start, end = int(t["start"]), int(t["end"])
    if not (0 <= start < end <= len(text)):
        raise ValueError(f"span {start}:{end} outside the text")
    lat = float(t["lat"]) if coords and t.get("lat") is not None else None
    lon = float(t["lon"]) if coords and t.get("lon") is not None else None
    feature = f"{t['feature_class']}.{t.get('feature_code') or ''}" if t.get("feature_class") else None
    gid = str(t["geonameid"]) if t.get("geonameid") not in (None, "") else None
    return GoldToponym(start, end, text[start:end], lat, lon, feature, gid)


def evaluate(gold_path: str, geoparser, *, mode: str = "resolve", limit: int | None = None, literal_only: bool = False) -> EvalReport:
    """Score `geoparser` on a gold file; `mode` is resolve, end-to-end or both."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of: {', '.join(MODES)}")
    t0 = time.perf_counter()
    docs = list(load_gold(gold_path, literal_only=literal_only))[:limit]
    res = _ResCounter(geoparser)
    rec = _RecCounter()
    for doc in docs:
        if mode in ("resolve", "both"):
            res.add(doc)
        if mode in ("end-to-end", "both"):
            rec.add(doc, geoparser.parse(doc.text))
    name = gold_path.rsplit("/", 1)[-1]
    resolution, baseline = res.scores()
    skeleton, by_class, with_id = res.details()
    return EvalReport(name, mode, len(docs), round(time.perf_counter() - t0, 2), resolution, baseline,
                      rec.scores() if rec.gold or rec.pred else None, skeleton, by_class, with_id)


class _ResCounter:
    """Resolution errors over the gold toponyms with coordinates: the geoparser's, by feature class, for
    those with a GeoNames id, the most-populous baseline's, and the skeleton-only resolutions."""

    def __init__(self, geoparser):
        self.geoparser = geoparser
        self.classify = _Classifier(geoparser)
        self.errors: list[float] = []
        self.base_errors: list[float] = []
        self.unresolved = self.base_unresolved = 0
        self.skel_total = self.skel_right = 0
        self.classes: dict[str, list[float]] = {c: [] for c in FEATURE_CLASSES}
        self.unresolved_by: dict[str, int] = dict.fromkeys(FEATURE_CLASSES, 0)
        self.id_errors: list[float] = []
        self.id_unresolved = 0

    def add(self, doc: GoldDoc) -> None:
        geoparser = self.geoparser
        spans = sorted(doc.toponyms + doc.unresolved, key=lambda t: t.start)
        mentions = [Mention(t.start, t.end, t.name, "gold") for t in spans]
        if hasattr(geoparser, "annotate"):
            mentions = geoparser.annotate(doc.text, mentions)   # "Paris, Idaho": the text's own container
        for g, top in zip(spans, geoparser.resolve(doc.text, mentions)):
            if g.lat is None or g.lon is None:
                continue
            self._resolved(g, g.lat, g.lon, top.place)
            self._baseline(g, g.lat, g.lon)

    def _resolved(self, g: GoldToponym, lat: float, lon: float, place) -> None:
        kind = self.classify(g)
        if place is None:
            self.unresolved += 1
            self.unresolved_by[kind] += 1
            err = MAX_KM
        else:
            err = haversine_km(place.lat, place.lon, lat, lon)
            if _skeleton_only(self.geoparser, g.name, place):
                self.skel_total += 1
                self.skel_right += err <= ACC_KM
        self.errors.append(err)
        self.classes[kind].append(err)
        if g.geonameid:
            self.id_errors.append(err)
            self.id_unresolved += place is None

    def _baseline(self, g: GoldToponym, lat: float, lon: float) -> None:
        best = _most_populous(self.geoparser, g.name)
        if best is None:
            self.base_unresolved += 1
            self.base_errors.append(MAX_KM)
        else:
            self.base_errors.append(haversine_km(best.lat, best.lon, lat, lon))

    def scores(self) -> tuple[ResolutionScores | None, ResolutionScores | None]:
        """The geoparser's and the baseline's scores (None without any toponym scored)."""
        res = ResolutionScores.from_errors(self.errors, self.unresolved) if self.errors else None
        base = ResolutionScores.from_errors(self.base_errors, self.base_unresolved) if self.base_errors else None
        return res, base

    def details(self) -> tuple[dict, dict, ResolutionScores | None]:
        """The skeleton-only figures, the scores by feature class and those of the toponyms with a GeoNames id."""
        skel = {"count": self.skel_total, "precision": round(self.skel_right / self.skel_total, 4) if self.skel_total else 0.0} \
            if self.errors else {}
        by_class = {c: ResolutionScores.from_errors(e, self.unresolved_by[c]) for c, e in self.classes.items() if e}
        with_id = ResolutionScores.from_errors(self.id_errors, self.id_unresolved) if self.id_errors else None
        return skel, by_class, with_id


class _Classifier:
    """The feature class of a gold toponym: the corpus's GeoNames feature code where it gives one (LGL),
    else its GeoNames id where the gazetteer knows it (countries, cities500 towns), else the level of
    the gazetteer's reading nearest the gold point (within 161 km), else of the name's most prominent
    reading; "water" for GeoNames' hydrographic class H and the water layer's seas and oceans; "other" for
    every other level (continents, quarters, landmarks, other features) or no reading."""

    def __init__(self, geoparser):

        self.geoparser = geoparser
        self.country_ids = {p.geonameid for p in load_country_points().values()}
        self.get = getattr(geoparser.index, "get", None)

    def __call__(self, g: GoldToponym) -> str:
        if g.feature:
            cls, _, code = g.feature.partition(".")
            if code.startswith("PCL"):
                return "countries"
            return {"A": "admin regions", "P": "populated places", "H": "water"}.get(cls, "other")
        if g.geonameid:
            known = self._by_id(g.geonameid)
            if known is not None:
                return known
        return self._by_reading(g)

    def _by_id(self, geonameid: str) -> str | None:
        if geonameid in self.country_ids:
            return "countries"
        place = self.get(f"gn:{geonameid}") if self.get else None
        return _place_class(place) if place is not None else None

    def _by_reading(self, g: GoldToponym) -> str:
        if g.lat is not None and g.lon is not None:
            near = [(haversine_km(c.place.lat, c.place.lon, g.lat, g.lon), c.place)
                    for c in self.geoparser.resolver.candidates(g.name)]
            near = [n for n in near if n[0] <= ACC_KM]
            if near:
                return _place_class(min(near, key=lambda n: n[0])[1])
        # nothing near the gold point: the name's most prominent reading, as a reader would take it
        first = next((c.place for c in self.geoparser.resolver.candidates(g.name) if c.exact and not c.skel), None)
        return _place_class(first) if first is not None else "other"


def _place_class(place) -> str:
    """The feature class of a gazetteer place: by its level, or "water" for the water layer's."""
    return "water" if place.water else _LEVEL_CLASS.get(place.level, "other")


def _most_populous(geoparser, name: str):
    """The baseline: the candidate with the largest population (larger units break ties)."""
    cands = geoparser.resolver.candidates(name)
    if not cands:
        return None
    big = {Level.CONTINENT: 3, Level.COUNTRY: 2, Level.PROVINCE: 1}
    return max((c.place for c in cands if not c.skel), key=lambda p: (p.population or 0, big.get(p.level, 0)), default=None)


def _skeleton_only(geoparser, name: str, place) -> bool:
    return any(c.skel and c.place.id == place.id for c in geoparser.resolver.candidates(name))


class _RecCounter:
    def __init__(self):
        self.gold = self.pred = self.exact = self.gold_hit = self.pred_hit = 0
        self.matched = self.matched_right = 0

    def add(self, doc: GoldDoc, toponyms) -> None:
        gold = doc.toponyms + doc.unresolved
        gspans = {(g.start, g.end): g for g in gold}
        pspans = [(t.mention.start, t.mention.end, t) for t in toponyms]
        self.gold += len(gspans)
        self.pred += len(pspans)
        for s, e, t in pspans:
            g = gspans.get((s, e))
            if g is not None:
                self._exact(g, t)
            if any(gs < e and s < ge for gs, ge in gspans):
                self.pred_hit += 1
        for gs, ge in gspans:
            if any(gs < e and s < ge for s, e, _ in pspans):
                self.gold_hit += 1

    def _exact(self, g: GoldToponym, t) -> None:
        """A prediction with the gold span: right within 161 km if the gold has a point."""
        self.exact += 1
        if g.lat is not None and g.lon is not None:
            self.matched += 1
            if t.place is not None and haversine_km(t.place.lat, t.place.lon, g.lat, g.lon) <= ACC_KM:
                self.matched_right += 1

    def scores(self) -> RecognitionScores:
        p = self.exact / self.pred if self.pred else 0.0
        r = self.exact / self.gold if self.gold else 0.0
        op = self.pred_hit / self.pred if self.pred else 0.0
        orr = self.gold_hit / self.gold if self.gold else 0.0
        return RecognitionScores(
            self.gold, self.pred, self.exact, self.pred_hit,
            round(p, 4), round(r, 4), round(_f1(p, r), 4), round(op, 4), round(orr, 4), round(_f1(op, orr), 4),
            round(self.matched_right / self.matched, 4) if self.matched else 0.0,
        )


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def main(argv=None) -> int:
    """`python -m geo.evaluate.geoparse GOLD.jsonl [--mode ...]` until the CLI command lands."""
    ap = argparse.ArgumentParser(prog="python -m geo.evaluate.geoparse", description="Score the geoparser on gold toponym files.")
    ap.add_argument("gold", nargs="+")
    ap.add_argument("--mode", choices=MODES, default="both")
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents")
    ap.add_argument("--literal-only", action="store_true", help="GeoWebNews: only literal toponym types")
    ap.add_argument("--gazetteer", default=None, help="index path")
    ap.add_argument("--no-demonyms", action="store_true", help="do not report demonyms ('Iraqi') as toponyms")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args(argv)

    geoparser = Geoparser.open(args.gazetteer, demonyms=not args.no_demonyms)
    for path in args.gold:
        report = evaluate(path, geoparser, mode=args.mode, limit=args.limit, literal_only=args.literal_only)
        print(json.dumps(report.to_dict()) if args.json else report.format())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
