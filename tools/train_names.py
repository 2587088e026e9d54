"""Train the person-name recogniser of the scrubber (analysis/names.py) on NorNE and write it as
package data: analysis/data/person_names.crfsuite (the CRF) and analysis/data/person_names.yaml
(the decision rule chosen by cross-validation, the place lists the features used, the figures).

    .venv/bin/python tools/train_names.py                      # cross-validate, choose, train, write
    .venv/bin/python tools/train_names.py --sentences 400 --no-write   # a quick look

NorNE's annotations are CC0 but its texts may not be republished: nothing from the corpus is
written except the binary model (feature weights). The figures printed are those of the full
scrubber (every recogniser, not just the CRF) on held-out sentences:

- recall: share of person tokens (B-PER/I-PER) inside a [namn] span;
- other altered: share of other word tokens that any placeholder replaces;
- place altered: share of place tokens (LOC, GPE_LOC) that any placeholder replaces.
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import name_training, names, norne  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "real"


def _row(label: str, figures: dict) -> str:
    by = figures.get("by_language", {})
    recall = "  ".join(f"recall {code} {by[code]['recall']:.3f}" for code in sorted(by)) or \
        f"recall {figures['recall']:.3f}"
    return (f"{label:<24} {recall}  other altered {figures['other_altered']:.2%}  "
            f"place altered {figures['place_altered']:.2%}  organisation altered {figures['organisation_altered']:.2%}")


def _rule_label(row: dict) -> str:
    return f"t={row['threshold']:<5} loc={row['place_ratio']:<4} org={row['organisation_ratio']:<4}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nob", type=Path, default=DATA / "norne_nob_dev.conllu")
    parser.add_argument("--nno", type=Path, default=DATA / "norne_nno_dev.conllu")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--sentences", type=int, default=0, help="use only the first N sentences of each file")
    parser.add_argument("--synthetic", type=int, default=1000,
                        help="generated exit-answer sentences added to every training set (name_training.synthetic_examples)")
    parser.add_argument("--recall-target", type=float, default=0.95)
    parser.add_argument("--other-limit", type=float, default=0.02)
    parser.add_argument("--out", type=Path, default=ROOT / "analysis" / "data")
    parser.add_argument("--no-write", action="store_true", help="cross-validate only")
    args = parser.parse_args(argv)

    started = time.time()
    sentences = []
    for path, code in ((args.nob, "nb"), (args.nno, "nn")):
        part = norne.read_conllu(path, code)
        sentences += part[:args.sentences] if args.sentences else part
    places = [name for name in names.DEFAULT_PLACES if (ROOT / "analysis" / "data" / name).exists()]
    print(f"{len(sentences)} sentences; place lists {', '.join(places)}")

    result = name_training.cross_validate(sentences, folds=args.folds, places=places, synthetic=args.synthetic,
                                  recall_target=args.recall_target, other_limit=args.other_limit,
                                  progress=lambda message: print(message, flush=True))
    print(f"\n{args.folds}-fold cross-validation (blocks of sentences), full scrubber:")
    for row in result["grid"]:
        print(_row(_rule_label(row), row))
    chosen = result["chosen"]
    rule = {key: chosen[key] for key in ("threshold", "place_ratio", "organisation_ratio")}
    print("\nchosen:\n" + _row(_rule_label(chosen), chosen))

    crossed = name_training.cross_language(sentences, rule, places=places, synthetic=args.synthetic)
    print("\none written standard to the other, at the chosen rule:")
    for key, figures in crossed.items():
        print(_row(key, figures))

    if args.no_write:
        print(f"\n{time.time() - started:.0f} s")
        return 0
    model_path = args.out / names.MODEL_FILE
    name_training.train(sentences, model_path, places=places, synthetic=args.synthetic)
    digest = name_training.model_digest(model_path)

    def brief(figures):
        keep = ("recall", "other_altered", "place_altered", "organisation_altered")
        return {**{k: round(figures[k], 4) for k in keep},
                "by_language": {code: {k: round(f[k], 4) for k in keep}
                                for code, f in figures.get("by_language", {}).items()}}

    settings = {
        **rule,
        "common_threshold": names.COMMON_THRESHOLD,
        "places": places,
        "model": names.MODEL_FILE,
        "model_sha256": digest,
        "feature_lists_sha256": name_training.feature_lists_digest(places),
        "trained": str(date.today()),
        "trained_on": "NorNE dev, bokmål and nynorsk (annotations CC0; no text of the corpus is shipped)",
        "sentences": len(sentences),
        "synthetic_sentences": args.synthetic,
        "training_params": names.TRAINING_PARAMS,
        "cross_validation": {"folds": args.folds, "recall_target": args.recall_target,
                             "other_limit": args.other_limit, "chosen": brief(chosen)},
        "cross_language": {key: brief(figures) for key, figures in crossed.items()},
    }
    import yaml

    header = ("# Settings of the person-name model (analysis/names.py), written by tools/train_names.py.\n"
              "# A token is a name when P(PER) > threshold, P(PER) > place_ratio * P(LOC) and\n"
              "# P(PER) > organisation_ratio * P(ORG) (analysis.recognisers.PersonNameRecogniser).\n")
    (args.out / names.SETTINGS_FILE).write_text(header + yaml.safe_dump(settings, sort_keys=False, allow_unicode=True),
                                                encoding="utf-8")
    print(f"\nwrote {model_path} ({model_path.stat().st_size / 1e6:.2f} MB, sha256 {digest[:12]}) and "
          f"{args.out / names.SETTINGS_FILE}; {time.time() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
