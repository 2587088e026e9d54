"""Analysis benchmark: scrub + classify + cluster at several sizes, time and peak memory.

    .venv/bin/python tests/benchmarks/bench_analysis.py [--sizes 1000 10000 20000 100000]

Each size runs in a fresh process so its peak resident memory is its own. "new quarter" is the
incremental path the app takes once themes exist: earlier answers are already scrubbed and
stored, so only the new quarter is scrubbed, classified and assigned to the known themes.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def measure(size: int, mode: str) -> dict:
    sys.path.insert(0, str(REPO))
    from analysis.pipeline import analyse, classify_texts, scrub_texts
    from analysis.tracking import ThemeTracker
    from analysis.themes import AnswerFeatures, ThemeClusterer
    from tests.benchmarks.synthetic_answers import answers

    texts = answers(size, seed=1)
    started = time.perf_counter()
    if mode == "cold":
        result = analyse(texts)
        k = result.k
    else:
        quarter = max(1, size // 8)
        history = scrub_texts(texts[:-quarter])  # stored at submit time in the app
        from analysis.pipeline import cause_model
        model = cause_model(history)
        tracker = ThemeTracker(clusterer=ThemeClusterer(features=AnswerFeatures(cause_model=model))).fit(history)
        started = time.perf_counter()
        new = scrub_texts(texts[-quarter:])
        classify_texts(model, new)
        tracker.update(new)
        k = len(tracker.themes_)
        size = quarter
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"answers": size, "mode": mode, "seconds": round(seconds, 2), "peak_mb": round(peak), "k": k}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 20000, 100000])
    parser.add_argument("--one", nargs=2, metavar=("SIZE", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(int(args.one[0]), args.one[1])))
        return 0
    rows = []
    for size in args.sizes:
        for mode in ("cold", "new quarter"):
            out = subprocess.run([sys.executable, __file__, "--one", str(size), mode], capture_output=True,
                                 text=True, check=True, cwd=REPO)
            row = json.loads(out.stdout.strip().splitlines()[-1])
            row["total"] = size
            rows.append(row)
            print(f"{size:>8} {mode:<12} {row['answers']:>8} answers {row['seconds']:>8.2f} s "
                  f"{row['peak_mb']:>6} MB peak  k={row['k']}", flush=True)
    print("\n| answers in total | run | answers processed | seconds | peak MB |\n|---:|---|---:|---:|---:|")
    for row in rows:
        print(f"| {row['total']:,} | {row['mode']} | {row['answers']:,} | {row['seconds']:.1f} | {row['peak_mb']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
