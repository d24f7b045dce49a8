"""Train the event detector from the labelled sentences in geo/data/events/ and write the model file.

    pip install '.[train]' && python scripts/train_events.py            # writes geo/data/events/model.npz
    python scripts/train_events.py --c 2 --out /tmp/model.npz           # try another setting

Trains on the `train` split of the written sentences only (the research-only corpora are never
trained on) and prints the scores on the written `dev` and `test` splits. Takes well under a minute.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.extract.eventdata import DATA_DIR, read_labelled, written_files
from geo.extract.events import DEFAULT_MODEL, REPORT_AT
from geo.extract.features import Featurizer
from geo.extract.taxonomy import Taxonomy
from geo.extract.training import MIN_COUNT, C, data_digest, score, train


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_MODEL, help="model file to write")
    ap.add_argument("--c", type=float, default=C, help="inverse regularisation strength")
    ap.add_argument("--min-count", type=int, default=MIN_COUNT, help="least count of a feature")
    ap.add_argument("--at", type=float, default=REPORT_AT, help="threshold for the printed scores")
    ap.add_argument("--data", type=Path, default=DATA_DIR, help="folder of written_*.jsonl files")
    args = ap.parse_args(argv)
    taxonomy = Taxonomy.load()
    files = written_files(args.data)
    rows = read_labelled(files, taxonomy.names)
    train_rows = [r for r in rows if r.split == "train"]
    labels = [t for t in taxonomy.names if any(t in r.labels for r in train_rows)]
    model = train(train_rows, labels, Featurizer.load(), c=args.c, min_count=args.min_count,
                  digest=data_digest(files))
    model.save(args.out)
    print(f"trained on {len(train_rows)} sentences, {len(labels)} types; wrote {args.out}")
    for split in ("dev", "test"):
        part = [r for r in rows if r.split == split]
        print(f"\n[written {split}]\n" + score(model, part, at=args.at).table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
