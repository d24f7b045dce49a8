"""Calibrate incident confidence on the written articles; write geo/data/incident_calibration.csv.

    PYTHONPATH=. python scripts/calibrate_incidents.py [--dry-run]

Runs the real pipeline (with the confidence left as the decision score) on the articles written for
the project with their hand-coded incidents (`geo/data/events/articles_written.jsonl` and
`articles_written2.jsonl`, one article set per writer; each article read as published and again without
its publication date), labels each
extracted incident right or wrong with the evaluator's own matching (type family + place + date, one
gold incident per prediction), and fits a logistic map from a few named
features (`geo.extract.calibration.FEATURES`) to P(right). Only data the project owns is fitted on:
the annotated Reuters, GeoWebNews and LGL articles are research-only, so when `../shared/corpora` is
there they are scored with the shipped fit and reported (how the threshold reads on real news), never
fitted on; the newest blind split is left out unless `--report` names it (`--report all`: every split), since
a new split is scored once at the start and once at the end of the day that made it.

Leave one writer out: each writer's incidents get a probability from a fit on the other writers'
articles, so every figure printed for a set comes from a fit that never saw its articles. The
threshold written to the file is the least such held-out probability from which on precision is >= 0.8;
when no threshold reaches that, the one with the best held-out precision among those that keep at
least a third of the held-out incidents (the file's header says which). The shipped weights are then
refitted on all the written articles. Prints the reliability tables for docs/incidents.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.evaluate.incidents import (  # noqa: E402
    CORPUS,
    GOLD,
    SPLIT_FILES,
    WRITTEN_FILES,
    WRITTEN_SPLITS,
    _articles,
    load_gold,
    pairs,
)
from geo.extract.calibration import (  # noqa: E402
    CALIBRATION_FILE,
    FEATURES,
    LEAD_CHARS,
    OLD_DAYS,
    REMAKE,
    RawScore,
    features,
)
from geo.extract.dater import _CALENDAR_DAY  # noqa: E402
from geo.model import Article, DatePrecision  # noqa: E402

CORPUS_FIT = ("dev", "test", "holdout")   # the splits of tests/data/incidents_gold.jsonl: one article set
# The research-only article sets, scored and reported, never fitted on.
REPORTED = ("dev+test+holdout", *(s for s in SPLIT_FILES if s not in WRITTEN_SPLITS))


def newest_blind() -> str | None:
    """The blind split with the highest number: a new split is scored at the start and the end of the day
    that made it, so the calibration's report leaves it out unless asked (`--report`)."""
    numbered = [(int(s[len("blind"):]), s) for s in REPORTED if s.startswith("blind") and s[len("blind"):].isdigit()]
    return max(numbered)[1] if numbered else None


def report_names(asked: str | None) -> tuple[str, ...]:
    """The research-only splits to score: `asked` (comma-separated, or "all"), else every one but the newest blind."""
    if asked == "all":
        return REPORTED
    if asked:
        names = tuple(n.strip() for n in asked.split(",") if n.strip())
        unknown = [n for n in names if n not in REPORTED]
        if unknown:
            raise SystemExit(f"error: --report: unknown split(s) {', '.join(unknown)}; expected some of {', '.join(REPORTED)}")
        return names
    newest = newest_blind()
    return tuple(n for n in REPORTED if n != newest)
TARGET = 0.8                 # held-out precision the map's default threshold must reach
MIN_SHOWN = 10               # a threshold must keep at least this many held-out incidents
MIN_SHARE = 1 / 3            # without TARGET: the best precision that still keeps this share of them
L2 = 1.0                     # ridge penalty on the standardised weights: ~100 incidents per fold is little data
BANDS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
SETS: list[str] = []         # the fitted article sets ("written-<writer>"), filled by `labelled`


def _rows(pipeline, gold: dict[str, dict], articles, name: str) -> list[dict]:
    taxonomy = pipeline.taxonomy
    rows = []
    for article in sorted(articles, key=lambda a: a.id):
        got = list(pipeline.process(article).incidents)
        right = set(pairs(gold[article.id]["incidents"], got, taxonomy).values())
        for n, inc in enumerate(got):
            rows.append({"set": name, "family": taxonomy.get(inc.type).family, "right": n in right,
                         **features(inc)})
    return rows


def _undated(article: Article, record: dict) -> tuple[Article, dict]:
    """The article as a feed without a publication date gives it, and its gold as the text then allows:
    an incident dated only by "on Monday" or "last week" can no longer be dated (gold date null, any date
    matches); one whose quote writes its day out (the dater's `_CALENDAR_DAY`) keeps it. Users' feeds and plain-text files often carry
    no date (the first seed file does); every written article has one, so each is also fitted undated."""
    bare = replace(article, id=article.id + "#undated", date=None, date_precision=DatePrecision.UNKNOWN)
    incidents = [{**g, "date": g["date"] if g.get("date") and _CALENDAR_DAY.search(g["quote"]) else None}
                 for g in record["incidents"]]
    return bare, {**record, "incidents": incidents}


def labelled(pipeline) -> list[dict]:
    """One row per incident extracted from the written articles (every file of `WRITTEN_FILES`), each read
    dated and undated (`_undated`): its writer's set, features, right or not."""
    gold = {k: v for path in WRITTEN_FILES.values() if path.exists() for k, v in load_gold(path).items()}
    rows = []
    for writer in sorted({r["writer"] for r in gold.values()}):
        ids = {k for k, r in gold.items() if r["writer"] == writer}
        SETS.append(f"written-{writer}")
        articles = _articles(str(next(path for prefix, path in WRITTEN_FILES.items() if min(ids).startswith(prefix))), ids)
        rows += _rows(pipeline, gold, articles, SETS[-1])
        undated = [_undated(a, gold[a.id]) for a in articles]
        rows += _rows(pipeline, {a.id: g for a, g in undated}, [a for a, _ in undated], SETS[-1])
    return rows


def reported(pipeline, names: tuple[str, ...] = REPORTED) -> list[dict]:
    """The same rows for the research-only annotated articles of the splits `names` (when ../shared/corpora is there)."""
    if not Path(CORPUS).exists():
        return []
    rows = []
    for name in names:
        path = GOLD if name == REPORTED[0] else SPLIT_FILES[name]
        gold = {k: v for k, v in load_gold(path).items() if name != REPORTED[0] or v.get("split", "dev") in CORPUS_FIT}
        rows += _rows(pipeline, gold, _articles(CORPUS, set(gold)), name)
    return rows


def fit(rows: list[dict]) -> tuple[float, dict[str, float]]:
    """Ridge-penalised logistic regression (Newton steps) on FEATURES; the score's weight kept >= 0."""
    names = list(FEATURES)
    while True:
        x = np.array([[r[n] for n in names] for r in rows], dtype=float)
        y = np.array([r["right"] for r in rows], dtype=float)
        mean, std = x.mean(axis=0), x.std(axis=0)
        std[std == 0] = 1.0
        z = np.c_[np.ones(len(x)), (x - mean) / std]
        w = np.zeros(z.shape[1])
        penalty = np.diag([0.0] + [L2] * len(names))
        for _ in range(100):
            p = 1 / (1 + np.exp(-z @ w))
            grad = z.T @ (p - y) + penalty @ w
            hess = z.T @ (z * (p * (1 - p))[:, None]) + penalty + 1e-9 * np.eye(len(w))
            step = np.linalg.solve(hess, grad)
            w -= step
            if np.abs(step).max() < 1e-10:
                break
        weights = dict(zip(names, (w[1:] / std).tolist()))
        intercept = float(w[0] - np.sum(w[1:] * mean / std))
        if weights.get("score", 0.0) >= 0 or "score" not in names:
            return intercept, {n: weights.get(n, 0.0) for n in FEATURES}
        # A higher score less likely right is noise in this little data: leave the score out.
        print("note: the score's fitted weight was negative; fitted without it", file=sys.stderr)
        names.remove("score")


def probability(intercept: float, weights: dict[str, float], row: dict) -> float:
    zed = intercept + sum(w * row[n] for n, w in weights.items())
    return 1 / (1 + math.exp(-zed))


def reliability(rows: list[dict], key: str, bands=BANDS) -> list[tuple[str, int, int]]:
    """(band, incidents, right) per probability band."""
    out = []
    for lo, hi in zip(bands, bands[1:]):
        inside = [r for r in rows if lo <= r[key] < hi or (hi == 1.0 and r[key] == 1.0)]
        out.append((f"[{lo:.1f}, {hi:.1f}{']' if hi == 1.0 else ')'}", len(inside), sum(r["right"] for r in inside)))
    return out


def threshold(rows: list[dict], key: str) -> tuple[float, int, int, bool] | None:
    """(least probability t, shown, right, reached) such that incidents with probability >= t are >= TARGET
    right (reached True); failing that, the t with the best precision that keeps >= MIN_SHARE of them."""
    best, fallback = None, None
    for t in sorted({r[key] for r in rows}, reverse=True):
        shown = [r for r in rows if r[key] >= t]
        right = sum(r["right"] for r in shown)
        if len(shown) >= MIN_SHOWN and right >= TARGET * len(shown):
            best = (t, len(shown), right, True)
        if len(shown) >= max(MIN_SHOWN, MIN_SHARE * len(rows)) and \
                (fallback is None or right * fallback[1] > fallback[2] * len(shown)):
            fallback = (t, len(shown), right, False)
    return best or fallback


def _table(title: str, columns: dict[str, list[dict]], key: str, bands=BANDS) -> str:
    lines = [f"| {title} | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    tables = {name: reliability(rows, key, bands) for name, rows in columns.items()}
    for i, (band, _, _) in enumerate(next(iter(tables.values()))):
        cells = []
        for table in tables.values():
            _, n, right = table[i]
            cells.append(f"{n}, {right} right" + (f" ({right / n:.2f})" if n else ""))
        lines.append(f"| {band} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _commit() -> str:
    try:
        return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def held_out(rows: list[dict]) -> None:
    """Give each row `held`: its probability from a fit on every other article set."""
    for name in SETS:
        others = [r for r in rows if r["set"] != name]
        if not others or len(others) == len(rows):
            continue
        intercept, weights = fit(others)
        print(f"fitted without {name}: intercept {intercept:.3f} " + " ".join(f"{n} {w:.3f}" for n, w in weights.items()))
        for r in rows:
            if r["set"] == name:
                r["held"] = round(probability(intercept, weights, r), 3)


def report(rows: list[dict]) -> None:
    """The reliability tables: held-out per set, and the raw decision score."""
    by_set = {name: [r for r in rows if r["set"] == name] for name in SETS}
    print()
    print(_table("band (each set scored by a fit not fitted on it)", {**by_set, "all": rows}, "held"))
    print()
    print(_table("band (shipped fit, on the data it was fitted on)", {"all": rows}, "final"))
    raw = [{**r, "band": r["score"]} for r in rows]
    print()
    print(_table("decision score (before)", {name: [r for r in raw if r["set"] == name] for name in SETS}, "band",
                 (0.6, 0.7, 0.8, 0.9, 1.0)))
    held = sum(r["held"] for r in rows) / max(len(rows), 1)
    print(f"mean held-out probability {held:.3f}, observed right {sum(r['right'] for r in rows) / max(len(rows), 1):.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dry-run", action="store_true", help="print the fit and the tables; do not write the file")
    ap.add_argument("--output", type=Path, default=CALIBRATION_FILE)
    ap.add_argument("--report", metavar="SPLITS", help="research-only splits to score and print, comma-separated, or "
                    "'all' (default: every one but the newest blind split, kept for its end-of-day run)")
    args = ap.parse_args(argv)
    names = report_names(args.report)
    from geo.run.pipeline import Pipeline

    if not any(path.exists() for path in WRITTEN_FILES.values()):
        print(f"written articles not found: {', '.join(map(str, WRITTEN_FILES.values()))}", file=sys.stderr)
        return 2
    pipeline = Pipeline(calibration=RawScore())
    rows = labelled(pipeline)
    if len(SETS) < 2:
        print("the written articles: articles of at least two writers are needed to hold one out", file=sys.stderr)
        return 2
    held_out(rows)
    intercept, weights = fit(rows)
    for r in rows:
        r["final"] = round(probability(intercept, weights, r), 3)
    print(f"shipped, fitted on all {len(rows)} incidents: intercept {intercept:.3f} "
          + " ".join(f"{n} {w:.3f}" for n, w in weights.items()))
    report(rows)
    found = threshold(rows, "held")
    total_right = sum(r["right"] for r in rows)
    print()
    print(f"incidents {len(rows)}, right {total_right} ({total_right / max(len(rows), 1):.2f})")
    if found is None:
        t, how = 1.0, f"no held-out threshold keeps {MIN_SHOWN} incidents: 1.0"
    else:
        t, shown, right, reached = found
        how = (f"the least probability from which held-out precision was >= {TARGET}" if reached else
               f"no threshold reached held-out precision {TARGET}; the best held-out precision that keeps at "
               f"least a third of the incidents")
        print(f"threshold {t:.3f} ({how}): held-out precision {right / shown:.2f} ({right}/{shown}), "
              f"recall of right incidents {right}/{total_right}")
    kept = [r for r in rows if r["final"] >= t]
    print(f"shipped fit at the threshold (on the data it was fitted on): keeps {len(kept)}, "
          f"{sum(r['right'] for r in kept)} right")
    skipped = [n for n in REPORTED if n not in names]
    if skipped:
        print(f"not scored (--report all to include): {', '.join(skipped)}")
    _report_corpora(reported(pipeline, names), names, intercept, weights, t)
    if not args.dry_run:
        write(args.output, rows, intercept, weights, t, how)
    return 0


def _report_corpora(rows: list[dict], names: tuple[str, ...], intercept: float, weights: dict[str, float], t: float) -> None:
    """How the shipped fit and threshold read on the research-only annotated articles (never fitted on)."""
    if not rows:
        print("research-only annotated articles not found: nothing reported on real news")
        return
    for r in rows:
        r["final"] = round(probability(intercept, weights, r), 3)
    print()
    print(_table("band (shipped fit, on research-only articles it was not fitted on)",
                 {**{name: [r for r in rows if r["set"] == name] for name in names}, "all": rows}, "final"))
    print()
    for name in (*names, "all"):
        got = [r for r in rows if name == "all" or r["set"] == name]
        shown = [r for r in got if r["final"] >= t]
        right = sum(r["right"] for r in shown)
        print(f"{name}: {len(got)} incidents, {sum(r['right'] for r in got)} right; at the threshold {t:.3f} "
              f"{len(shown)} shown, {right} right" + (f" (precision {right / len(shown):.2f})" if shown else ""))
    mean = sum(r["final"] for r in rows) / len(rows)
    print(f"mean probability {mean:.3f}, observed right {sum(r['right'] for r in rows) / len(rows):.3f}")


def write(path: Path, rows: list[dict], intercept: float, weights: dict[str, float], t: float, how: str) -> None:
    """The calibration file, with a header saying how and when it was made."""
    total_right = sum(r["right"] for r in rows)
    header = [
        "# How likely an incident is right (type family + place + date match an analyst's coding):",
        "# P = 1 / (1 + exp(-(intercept + sum of weight x feature))); features in geo/extract/calibration.py.",
        f"# Made by `{REMAKE}` on {dt.date.today().isoformat()} at commit {_commit()}: the pipeline run on the articles",
        f"# written for the project (geo/data/events/articles_written.jsonl and articles_written2.jsonl, each read dated and undated: {len(rows)} "
        f"incidents, {total_right} right),"
        " fitted on all of them (ridge logistic); never on the research-only corpora.",
        f"# threshold: {how}, on incidents each scored by a fit without its writer's articles",
        f"# ({', '.join(SETS)}); the map shows from it by default.",
    ]
    why = {"intercept": "logistic intercept", "score": "the decision score (geo/extract/decide.py)",
           "place_told": "1 if the phrase that gave the place is in one of the incident's sentences",
           "date_told": "1 if the phrase that gave the date is in one of the incident's sentences",
           "lead": f"1 if the article tells the incident within its first {LEAD_CHARS} characters",
           "old": f"1 if the incident is dated more than {OLD_DAYS} days before the article",
           "threshold": "least probability the map shows by default (incidentmap map --min-confidence overrides)"}
    values = {"intercept": intercept, **weights, "threshold": t}
    body = ["name,value,why"] + [f"{n},{v:.4f},\"{why[n]}\"" for n, v in values.items()]
    path.write_text("\n".join(header + body) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    sys.exit(main())
