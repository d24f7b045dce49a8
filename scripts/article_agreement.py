"""Agreement between two codings of the same articles' incidents.

    python scripts/article_agreement.py [FIRST.jsonl SECOND.jsonl]

Defaults: the written articles (`geo/data/events/articles_written.jsonl`) and the second, independent
coding of a sample of them (`articles_written_second.jsonl`). Two incidents agree when their family is
the same, their places share a name (place or `place_alt`, as the evaluator normalises names; either
may be null), and both dates are null or both are days at most one day apart. Each incident of the
first coding is paired with at most one of the second. Prints the counts and the share of each coding
the other matched.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.evaluate.incidents import _norm  # noqa: E402

DATA = ROOT / "geo" / "data" / "events"


def _names(incident: dict) -> set[str]:
    return {_norm(n) for n in [incident.get("place") or "", *incident.get("place_alt", [])]} - {""}


def agree(a: dict, b: dict, *, family_only: bool = False) -> bool:
    """True if two coded incidents are the same event by family, place and date (or by family alone)."""
    if a["family"] != b["family"]:
        return False
    if family_only:
        return True
    if a.get("place") and b.get("place") and not _names(a) & _names(b):
        return False
    if a.get("date") and b.get("date"):
        return abs((dt.date.fromisoformat(a["date"]) - dt.date.fromisoformat(b["date"])).days) <= 1
    return not a.get("date") and not b.get("date")


def paired(first: list[dict], second: list[dict], **kw) -> int:
    used: set[int] = set()
    for a in first:
        k = next((k for k, b in enumerate(second) if k not in used and agree(a, b, **kw)), None)
        if k is not None:
            used.add(k)
    return len(used)


def main(argv: list[str]) -> int:
    first_path, second_path = (Path(p) for p in argv) if len(argv) == 2 else \
        (DATA / "articles_written.jsonl", DATA / "articles_written_second.jsonl")
    with open(first_path, encoding="utf-8") as f:
        first = {r.get("article_id") or r["id"]: r for r in map(json.loads, filter(str.strip, f))}
    with open(second_path, encoding="utf-8") as f:
        second = [json.loads(line) for line in f if line.strip()]
    n1 = n2 = same = family = 0
    for record in second:
        one, two = first[record.get("article_id") or record["id"]]["incidents"], record["incidents"]
        n1, n2 = n1 + len(one), n2 + len(two)
        same += paired(one, two)
        family += paired(one, two, family_only=True)
    print(f"{len(second)} articles; first coding {n1} incidents, second {n2}")
    print(f"same family, place and date: {same} ({same / max(n1, 1):.2f} of the first, {same / max(n2, 1):.2f} of the second)")
    print(f"same family: {family} ({family / max(n1, 1):.2f} of the first, {family / max(n2, 1):.2f} of the second)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
