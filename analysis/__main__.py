"""Command line: ``python -m analysis {scrub,classify,cluster,evaluate} ...`` (see ``--help``)."""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict

from analysis.table import InputError, read_rows, write_rows


def _progress(items, description, total):
    from tqdm import tqdm
    # tqdm switches itself off when stderr is not a terminal (disable=None), so logs stay clean.
    return tqdm(items, desc=description, total=total, file=sys.stderr, disable=None, leave=False)


def _add_output_columns(fieldnames, *columns):
    return fieldnames + [c for c in columns if c not in fieldnames]


def cmd_scrub(args) -> int:
    from analysis.pipeline import scrub_texts
    fieldnames, rows = read_rows(args.input, args.text_column)
    scrubbed = scrub_texts([row[args.text_column] for row in rows], _progress)
    for row, text in zip(rows, scrubbed):
        row[args.text_column] = text
    write_rows(args.out, fieldnames, rows)
    return 0


def cmd_classify(args) -> int:
    from analysis.pipeline import cause_model, classify_texts, scrub_texts
    fieldnames, rows = read_rows(args.input, args.text_column)
    texts = scrub_texts([row[args.text_column] for row in rows], _progress)
    train_texts = train_labels = None
    if args.train:
        _, train_rows = read_rows(args.train, args.text_column, args.label_column)
        train_texts = scrub_texts([row[args.text_column] for row in train_rows], _progress)
        train_labels = [row[args.label_column] for row in train_rows]
    model = cause_model(texts, train_texts, train_labels, random_state=args.seed)
    causes, confidences = classify_texts(model, texts, _progress)
    for row, cause, confidence in zip(rows, causes, confidences):
        row["cause"], row["confidence"] = cause, f"{confidence:.3f}"
    write_rows(args.out, _add_output_columns(fieldnames, "cause", "confidence"), rows)
    mode = "trained" if args.train and type(model).__name__ == "CauseClassifier" else "cold start"
    print(f"classified {len(rows)} answers ({mode})", file=sys.stderr)
    return 0


def cmd_cluster(args) -> int:
    from analysis.pipeline import analyse
    fieldnames, rows = read_rows(args.input, args.text_column)
    if args.k is not None and args.k < 1:
        raise InputError("--k must be at least 1")
    result = analyse([row[args.text_column] for row in rows], k=args.k, random_state=args.seed, progress=_progress)
    for row, theme in zip(rows, result.themes):
        row["theme"], row["theme_label"] = theme, result.theme_label(theme)
    write_rows(args.out, _add_output_columns(fieldnames, "theme", "theme_label"), rows)
    if args.summary:
        summary = {
            "k": result.k, "seed": args.seed, "answers": len(rows),
            "unassigned": sum(t < 0 for t in result.themes),
            "stability": {str(k): round(v, 4) for k, v in result.stability.items()},
            "themes": [{"theme": t.id, "label": t.label, "top_terms": t.top_terms, "size": t.size,
                        "representative_answers": [result.scrubbed[i] for i in t.representatives]}
                       for t in result.theme_list],
        }
        with open(args.summary, "w", encoding="utf-8") as handle:
            json.dump(summary, handle, ensure_ascii=False, indent=2)
    print(f"{result.k} themes for {len(rows)} answers", file=sys.stderr)
    return 0


def cmd_evaluate(args) -> int:
    from analysis import evaluate
    columns = [args.text_column, args.label_column] + ([args.pii_column] if args.pii_column else [])
    _, rows = read_rows(args.input, *columns)
    texts = [row[args.text_column] for row in rows]
    labels = [row[args.label_column] for row in rows]
    started = time.perf_counter()
    steps = ["clustering", "classification (5-fold)", "classification (cold start)"] + (
        ["scrubbing"] if args.pii_column else [])
    results = {}
    for step in _progress(steps, "evaluate", len(steps)):
        if step == "clustering":
            results[step] = evaluate.clustering(texts, labels, seeds=(args.seed, args.seed + 1))
        elif step == "classification (5-fold)":
            results[step] = evaluate.cross_validated_classification(texts, labels, random_state=args.seed)
        elif step == "classification (cold start)":
            results[step] = evaluate.cold_start_classification(texts, labels, random_state=args.seed)
        else:
            results[step] = evaluate.scrubbing(texts, [row[args.pii_column] for row in rows])
    clustering = results["clustering"]
    trained = results["classification (5-fold)"]
    cold = results["classification (cold start)"]
    print(f"answers: {len(rows)}, causes: {len(set(labels))}")
    print(f"clustering: k={clustering.k} (seed {args.seed + 1}: k={clustering.second_k})  "
          f"NMI={clustering.nmi:.3f}  ARI(seed {args.seed} vs {args.seed + 1})={clustering.seed_ari:.3f}  "
          f"unassigned={clustering.unassigned_share:.1%}")
    print(f"classification, 5-fold cross-validated: macro-F1={trained.macro_f1:.3f}  "
          f"(uncertain {trained.uncertain_share:.1%}; macro-F1 on the rest {trained.macro_f1_confident:.3f})")
    print(f"classification, cold start: macro-F1={cold.macro_f1:.3f}  "
          f"(uncertain {cold.uncertain_share:.1%}; macro-F1 on the rest {cold.macro_f1_confident:.3f})")
    if args.pii_column:
        scrub = results["scrubbing"]
        print(f"scrubbing: recall={scrub.recall:.1%} ({scrub.removed}/{scrub.spans} spans)  "
              f"other words altered={scrub.altered_share:.2%} ({scrub.other_altered}/{scrub.other_words})")
    print(f"time: {time.perf_counter() - started:.1f} s")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({k: asdict(v) for k, v in results.items()}, handle, ensure_ascii=False, indent=2)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis",
                                     description="Kvifor cause analysis of free-text answers (CSV in, CSV out).")
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name, handler, help_text):
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("input", metavar="IN.csv")
        sub.add_argument("--text-column", default="text")
        sub.add_argument("--seed", type=int, default=0)
        sub.set_defaults(handler=handler)
        return sub

    sub = command("scrub", cmd_scrub, "replace personal data in the text column by placeholders such as [namn]")
    sub.add_argument("--out", required=True, metavar="OUT.csv")
    sub = command("classify", cmd_classify, "add the columns cause and confidence")
    sub.add_argument("--train", metavar="TRAIN.csv", help="labelled answers; without it the cold-start lexicon is used")
    sub.add_argument("--label-column", default="label")
    sub.add_argument("--out", required=True, metavar="OUT.csv")
    sub = command("cluster", cmd_cluster, "add the columns theme (-1 = unassigned) and theme_label")
    sub.add_argument("--k", type=int, help="number of themes (default: chosen by stability)")
    sub.add_argument("--out", required=True, metavar="OUT.csv")
    sub.add_argument("--summary", metavar="SUMMARY.json")
    sub = command("evaluate", cmd_evaluate, "print clustering NMI/ARI, classification macro-F1 and scrub recall")
    sub.add_argument("--label-column", default="label")
    sub.add_argument("--pii-column")
    sub.add_argument("--json", metavar="RESULTS.json", help="also write the figures as JSON")
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
