"""Give every written event sentence that has none a split, fixed once and never moved.

    python scripts/split_events.py       # rewrites geo/data/events/written_*.jsonl in place

The split comes from the SHA-1 of the row id: 0 -> test, 1 -> dev, 2-9 -> train (10 / 10 / 80 %).
Rows that already carry a split keep it, so adding rows never moves old ones between splits.
"""

from __future__ import annotations

import hashlib
import json
import sys

from geo.extract.eventdata import written_files
from geo.outputs.atomic import atomic_write


def split_of(row_id: str) -> str:
    """The split a new row goes to.

    >>> split_of("battle-0001")
    'train'
    """
    bucket = int(hashlib.sha1(row_id.encode("utf-8")).hexdigest(), 16) % 10
    return "test" if bucket == 0 else "dev" if bucket == 1 else "train"


def main() -> int:
    for path in written_files():
        lines = [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
        rows = [json.loads(line) for line in lines]
        for row in rows:
            if not row.get("split"):          # missing or null: the row is new
                row["split"] = split_of(row["id"])
        with atomic_write(path) as fh:
            fh.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        print(f"{path.name}: {len(rows)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
