"""Command line: ``python -m analysis {scrub,classify,cluster,evaluate} ...`` (see ``--help``)."""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

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
    from analysis.pipeline import CauseAnalysis
    fieldnames, rows = read_rows(args.input, args.text_column)
    analysis = CauseAnalysis(random_state=args.seed)
    texts = analysis.scrub_all([row[args.text_column] for row in rows], _progress)
    train_texts = train_labels = None
    if args.train:
        _, train_rows = read_rows(args.train, args.text_column, args.label_column)
        train_texts = analysis.scrub_all([row[args.text_column] for row in train_rows], _progress)
        train_labels = [row[args.label_column] for row in train_rows]
    result = analysis.classify(texts, train_texts, train_labels, _progress)
    for row, cause, confidence, uncertain in zip(rows, result.causes, result.confidences, result.uncertain):
        row["cause"], row["confidence"], row["uncertain"] = cause, f"{confidence:.3f}", str(uncertain).lower()
    write_rows(args.out, _add_output_columns(fieldnames, "cause", "confidence", "uncertain"), rows)
    mode = "trained" if result.trained else "cold start"
    print(f"classified {len(rows)} answers ({mode}; {sum(result.uncertain)} uncertain)", file=sys.stderr)
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
    fieldnames, rows = read_rows(args.input, *columns)
    texts = [row[args.text_column] for row in rows]
    labels = [row[args.label_column] for row in rows]
    languages = [row[args.language_column] for row in rows] if args.language_column in fieldnames else None
    groups = [row[args.group_column] for row in rows] if args.group_column in fieldnames else None
    # A transfer needs answers on both sides: nynorsk and something else, two groups or more.
    if languages and not ("nn" in languages and set(languages) - {"nn"}):
        languages = None
    if groups and len(set(groups)) < 2:
        groups = None
    for path in args.topics + args.names:
        if not Path(path).is_file():
            raise InputError(f"{path}: no such file")
    started = time.perf_counter()
    seeds = (args.seed, args.seed + 1)
    results: dict[str, object] = {}
    lines: list[str] = [f"answers: {len(rows)}, causes: {len(set(labels))}"]

    def clustered(name, sentences, topics):
        score = evaluate.clustering(sentences, topics, seeds=seeds)
        return score, (f"{name}: k={score.k} (seed {seeds[1]}: k={score.second_k})  NMI={score.nmi:.3f}  "
                       f"ARI(seed {seeds[0]} vs {seeds[1]})={score.seed_ari:.3f}  "
                       f"unassigned={score.unassigned_share:.1%}")

    def classified(name, score):
        return score, (f"{name}: macro-F1={score.macro_f1:.3f}  (uncertain {score.uncertain_share:.1%}; "
                       f"macro-F1 on the rest {score.macro_f1_confident:.3f})")

    def left_out():
        score, per_group = evaluate.leave_one_group_out(texts, labels, groups, args.seed)
        _, line = classified(f"classification, leave one {args.group_column} out", score)
        return ({"pooled": score, "per_group": per_group},
                line + "\n  " + "  ".join(f"{g}={f:.3f}" for g, f in per_group.items()))

    def scrubbed():
        scrub = evaluate.scrubbing(texts, [row[args.pii_column] for row in rows])
        return scrub, (f"scrubbing: recall={scrub.recall:.1%} ({scrub.removed}/{scrub.spans} spans)  "
                       f"other words altered={scrub.altered_share:.2%} ({scrub.other_altered}/{scrub.other_words})")

    def topics_found(name, path):
        return clustered(name, *evaluate.read_topic_sentences(path))

    def names_found(name, path):
        score = evaluate.names_in_real_text(path)
        trained_on = ("  (NorNE dev: the name model was trained on it; cross-validated figures in "
                      "analysis/data/person_names.yaml)" if "norne" in Path(path).name.lower() else "")
        return score, (f"{name}: person names removed={score.recall:.1%} ({score.removed}/{score.names} words)  "
                       f"other words altered={score.other_altered_share:.2%}  "
                       f"place names altered={score.places_altered_share:.2%}" + trained_on)

    # (key in the JSON output, what computes the figures and their line)
    steps = [
        ("clustering", lambda: clustered("clustering", texts, labels)),
        ("classification (5-fold)", lambda: classified(
            "classification, 5-fold cross-validated",
            evaluate.cross_validated_classification(texts, labels, random_state=args.seed))),
        ("classification (cold start)", lambda: classified(
            "classification, cold start", evaluate.cold_start_classification(texts, labels, random_state=args.seed))),
    ]
    if languages:
        steps += [
            ("classification (trained on nynorsk, tested on bokmål and English)", lambda: classified(
                "classification, trained on nynorsk, tested on bokmål and English",
                evaluate.transfer_classification(texts, labels, languages, {"nn"}, args.seed))),
            ("classification (trained on bokmål and English, tested on nynorsk)", lambda: classified(
                "classification, trained on bokmål and English, tested on nynorsk",
                evaluate.transfer_classification(texts, labels, languages, set(languages) - {"nn"}, args.seed))),
        ]
    if groups:
        steps.append((f"classification (leave one {args.group_column} out)", left_out))
    if args.pii_column:
        steps.append(("scrubbing", scrubbed))
    for path in args.topics:
        name = f"themes on topic sentences ({Path(path).name})"
        steps.append((name, lambda name=name, path=path: topics_found(name, path)))
    for path in args.names:
        name = f"names in real text ({Path(path).name})"
        steps.append((name, lambda name=name, path=path: names_found(name, path)))
    for key, step in _progress(steps, "evaluate", len(steps)):
        results[key], line = step()
        lines.append(line)
    print("\n".join(lines))
    print(f"time: {time.perf_counter() - started:.1f} s")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(results, handle, ensure_ascii=False, indent=2, default=_as_json)
    return 0


def _as_json(value):
    return asdict(value)


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
    sub = command("classify", cmd_classify, "add the columns cause (most likely), confidence (its probability) and "
                                            "uncertain (true when the confidence is below the threshold)")
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
    sub.add_argument("--language-column", default="lang",
                     help="nn/nb/en per answer; when present, also train on one language and test on the others")
    sub.add_argument("--group-column", default="sector",
                     help="when present, also leave each group out in turn (train on the rest)")
    sub.add_argument("--topics", action="append", default=[], metavar="SENTENCES.tsv",
                     help="topic-labelled sentences (columns text, category), e.g. SIB-200: NMI of the themes")
    sub.add_argument("--names", action="append", default=[], metavar="NAMES.conllu",
                     help="CoNLL-U with person/place names annotated (NorNE): how many names the scrubber removes")
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
