"""Score the event detector sentence by sentence: per type, per ACLED sub-event type, and event/no-event.

    PYTHONPATH=. python -m geo.evaluate.events --split dev            # annotated Reuters/GWN/LGL sentences
    PYTHONPATH=. python -m geo.evaluate.events --split written-test   # held-out written sentences
    PYTHONPATH=. python -m geo.evaluate.events --split test --confusion
    PYTHONPATH=. python -m geo.evaluate.events --split notes-blind --pipeline   # ACLED-style notes never trained on

The corpus splits read their text from ../shared/corpora beside the checkout (research-only texts are
never stored here; `tests/data/event_sentences_<split>.jsonl` holds offsets and labels).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from geo.extract.eventdata import (
    DATA_DIR,
    LabelledSentence,
    corpus_sentences,
    read_labelled,
    written_files,
)
from geo.extract.events import REPORT_AT, EventModel
from geo.extract.taxonomy import Taxonomy
from geo.extract.training import Tally, score
from geo.model import Article, DatePrecision
from geo.run.pipeline import Pipeline

__all__ = ["BLIND_NOTES", "CORPORA", "corpus_paths", "main"]

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT.parent / "shared" / "corpora"
# ACLED-style notes written for a blind test on the tenth day, by a writer who never saw the training rows; not a
# `written_*` file, so no model is trained on them and the model's data digest does not cover them.
BLIND_NOTES = DATA_DIR / "blind_notes.jsonl"
_FILES = {"isot": "isot-reuters-true-sample/isot-true.jsonl", "gwn": "geowebnews/geowebnews.jsonl",
          "lgl": "lgl/lgl.jsonl"}


def corpus_paths(folder: Path = CORPORA) -> dict[str, Path]:
    """id prefix -> corpus file."""
    return {prefix: folder / name for prefix, name in _FILES.items()}


def rows_for(split: str, taxonomy: Taxonomy, folder: Path = CORPORA) -> list[LabelledSentence]:
    """The labelled sentences of one split: `dev`/`test` (corpus), `written-dev`/`written-test`, `notes-blind`."""
    if split == "notes-blind":
        return read_labelled([BLIND_NOTES], taxonomy.names)
    if split.startswith("written-"):
        part = split.removeprefix("written-")
        return [r for r in read_labelled(written_files(), taxonomy.names) if r.split == part]
    gold = ROOT / "tests" / "data" / f"event_sentences_{split}.jsonl"
    return corpus_sentences(gold, corpus_paths(folder), taxonomy.names)


def pipeline_scores(rows: list[LabelledSentence], taxonomy: Taxonomy) -> str:
    """ACLED sub-event weighted F1 of the incidents the real pipeline finds in one-sentence articles,
    and the share of non-event sentences given no type at all."""
    pipeline = Pipeline()
    sub = {t.name: t.sub_event_type for t in taxonomy.types()}
    tally = Tally()
    quiet = nones = 0
    for r in rows:
        # A fixed publication date: the sentences' relative dates resolve, none is scored.
        article = Article(r.id, r.text, date=dt.date(2021, 6, 15), date_precision=DatePrecision.DAY)
        pred = {sub[i.type] for i in pipeline.process(article).incidents if i.type in sub}
        gold = {sub[t] for t in r.labels}
        nones += not gold
        quiet += not gold and not pred
        tally.add(gold, pred)
    weighted = tally.weighted_f1()
    return (f"{len(rows)} sentences through the pipeline: ACLED sub-event weighted F1 {weighted:.3f}; "
            f"non-events given no type {quiet}/{nones} = {quiet / max(nones, 1):.2f}")


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev", choices=("dev", "test", "written-dev", "written-test", "notes-blind"))
    ap.add_argument("--at", type=float, default=REPORT_AT, help="P(event) threshold")
    ap.add_argument("--model", type=Path, default=None, help="another model file")
    ap.add_argument("--confusion", action="store_true", help="also print the confusion table")
    ap.add_argument("--pipeline", action="store_true",
                    help="run each sentence as a one-sentence article through the whole pipeline and score "
                         "the ACLED sub-event types of its incidents (as for ACLED-coded event notes)")
    ap.add_argument("--style", help="only written sentences of this style (wire, acled, local, ngo, police, social)")
    ap.add_argument("--without", metavar="PREFIX", action="append", default=[],
                    help="leave out rows whose id starts with PREFIX (to compare versions on the same sentences "
                         "after rows were added, e.g. --without acled2); repeatable")
    ap.add_argument("--only", metavar="PREFIX", help="only rows whose id starts with PREFIX")
    return ap


def _selected(row, args: argparse.Namespace) -> bool:
    """True if the row is of the asked style, not left out (--without) and among --only."""
    return (args.style is None or row.style == args.style) and not any(row.id.startswith(p) for p in args.without) \
        and (args.only is None or row.id.startswith(args.only))


def main(argv: list[str] | None = None) -> int:
    """Print sentence-level scores of the bundled event model on one split."""
    args = _parser().parse_args(argv)
    taxonomy = Taxonomy.load()
    if args.split in ("dev", "test") and not CORPORA.is_dir():
        print(f"corpora not found: {CORPORA}", file=sys.stderr)
        return 2
    rows = [r for r in rows_for(args.split, taxonomy) if _selected(r, args)]
    if args.pipeline:
        print(pipeline_scores(rows, taxonomy))
        return 0
    model = EventModel.load(args.model)
    print(f"[{args.split}] {len(rows)} sentences, {sum(1 for r in rows if r.labels)} with an event; "
          f"threshold P(event) >= {args.at}")
    by_type = score(model, rows, at=args.at)
    print(by_type.table())
    acled = {t.name: t.sub_event_type for t in taxonomy.types()}
    by_acled = score(model, rows, at=args.at, relabel=acled)
    print(f"ACLED sub-event types: weighted F1 {by_acled.weighted_f1:.3f}")
    family = {t.name: t.family for t in taxonomy.types()}
    print(f"families: weighted F1 {score(model, rows, at=args.at, relabel=family).weighted_f1:.3f}")
    if args.confusion:
        print(by_type.confusion_table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
