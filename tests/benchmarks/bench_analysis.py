"""Analysis benchmark: what a municipality's quarterly run costs, in time and peak memory.

    .venv/bin/python tests/benchmarks/bench_analysis.py [--sizes 1000 10000 20000 100000] [--quick]

Scenarios, each in a fresh process so its peak resident memory is its own:

- embed: sentence embeddings of answers never seen before, answers per second (the slow step),
  and the time for one answer alone, as at submit;
- scrub: one answer at a time, as at submit time: median and 95th percentile;
- new quarter: 20,000 answers over eight quarters, the last 2,500 new: embeddings of the earlier
  answers come from the store (as from the app's table), the new ones are embedded, then the
  whole analysis runs (classification trained on the respondents' own main reasons, themes
  learnt on the earlier quarters, the new quarter placed into them);
- cached, at every size: the same analysis with every embedding in the store, so how the rest
  grows with size shows. This is also the app's new quarter: it embeds each answer when it is
  submitted (``EMBED_AT_SUBMIT``), so the quarter's run finds them all in the table;
- cold at 20,000: nothing cached; every answer is embedded (one by one as if all were
  different, as real answers are), then the analysis.

Synthetic answers repeat phrases, so the benchmark embeds per answer rather than per distinct
text wherever it measures embedding, and fills the store for the cached runs once (in
``--store``, default /tmp/kvifor-bench-embeddings.npz) so reruns are quick.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
LABELLED_SHARE = 0.6  # respondents who chose a main reason besides writing a text
QUARTERS = 8


def _data(size: int):
    from tests.benchmarks.synthetic_answers import labelled_answers

    pairs = labelled_answers(size, seed=1)
    texts = [t for t, _ in pairs]
    rng = np.random.RandomState(2)
    labelled = rng.rand(size) < LABELLED_SHARE
    periods = [f"q{i * QUARTERS // size}" for i in range(size)]
    return texts, [c for _, c in pairs], labelled, periods


def _fill_store(texts: list[str], path: Path) -> None:
    """The library's store holds the embeddings of ``texts`` (computed once, kept in ``path``)."""
    from analysis.embed import default_embedder, process_store, text_key

    embedder = default_embedder()
    store = process_store()
    saved = dict(np.load(path)) if path.exists() else {}
    missing = sorted({text_key(t): t for t in texts if text_key(t) not in saved}.items())
    if missing:
        vectors = embedder.encode([t for _, t in missing])
        saved.update({key: vector for (key, _), vector in zip(missing, vectors)})
        np.savez(path, **saved)
    for text in texts:
        store[(embedder.model_id, text_key(text))] = saved[text_key(text)]


def _analyse(texts, causes, labelled, periods):
    from analysis.pipeline import CauseAnalysis

    train = [i for i in range(len(texts)) if labelled[i]]
    return CauseAnalysis(scrub=False).run(texts, [texts[i] for i in train], [causes[i] for i in train],
                                          periods=periods, current=periods[-1])


def measure(size: int, mode: str, store: Path) -> dict:
    sys.path.insert(0, str(REPO))
    from analysis.embed import default_embedder, process_store, text_key
    from analysis.scrub import PersonalDataScrubber

    texts, causes, labelled, periods = _data(size)
    row: dict = {"answers": size, "mode": mode}
    if mode == "embed":
        embedder = default_embedder()
        started = time.perf_counter()
        embedder.encode(texts)
        row["per_second"] = round(size / (time.perf_counter() - started), 1)
        # At submit time answers come one at a time (EMBED_AT_SUBMIT).
        times = []
        for text in texts[:200]:
            started = time.perf_counter()
            embedder.encode([text])
            times.append(time.perf_counter() - started)
        row["one_p50_ms"], row["one_p95_ms"] = (round(float(np.percentile(times, q)) * 1000, 1) for q in (50, 95))
    elif mode == "scrub":
        scrubber = PersonalDataScrubber()
        scrubber.scrub("Oppvarming Kari Nordmann 41234567.")
        times = []
        for text in texts:
            started = time.perf_counter()
            scrubber.scrub(text)
            times.append(time.perf_counter() - started)
        row["p50_ms"], row["p95_ms"] = (round(float(np.percentile(times, q)) * 1000, 2) for q in (50, 95))
    elif mode in ("cached", "new quarter"):
        new = periods.count(periods[-1]) if mode == "new quarter" else 0
        _fill_store(texts[:size - new], store)
        embedder = default_embedder()
        memory = process_store()
        for text in texts[size - new:]:
            memory.pop((embedder.model_id, text_key(text)), None)
        started = time.perf_counter()
        if new:
            # Embedded per answer, as the app does for every answer it has not seen.
            for start in range(size - new, size, 256):
                batch = texts[start:start + 256]
                for text, vector in zip(batch, embedder.encode(batch)):
                    memory[(embedder.model_id, text_key(text))] = vector
            row["embedded"] = new
        result = _analyse(texts, causes, labelled, periods)
        row["seconds"] = round(time.perf_counter() - started, 2)
        row["k"] = len(result.theme_list)
    elif mode == "cold":
        embedder = default_embedder()
        memory = process_store()
        memory.clear()
        started = time.perf_counter()
        for start in range(0, size, 256):
            batch = texts[start:start + 256]
            for text, vector in zip(batch, embedder.encode(batch)):
                memory[(embedder.model_id, text_key(text))] = vector
        row["embedding_seconds"] = round(time.perf_counter() - started, 1)
        result = _analyse(texts, causes, labelled, periods)
        row["seconds"] = round(time.perf_counter() - started, 2)
        row["k"] = len(result.theme_list)
    row["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return row


def _run(size: int, mode: str, store: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--one", str(size), mode, "--store", str(store)],
                         capture_output=True, text=True, check=True, cwd=REPO)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 20000, 100000])
    parser.add_argument("--quick", action="store_true", help="small sizes only: does everything still run")
    parser.add_argument("--store", type=Path, default=Path("/tmp/kvifor-bench-embeddings.npz"))
    parser.add_argument("--one", nargs=2, metavar=("SIZE", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(int(args.one[0]), args.one[1], args.store)))
        return 0
    quarter_total, cold_size, embed_size = (800, 300, 200) if args.quick else (20000, 20000, 2500)
    sizes = [300] if args.quick else args.sizes
    embed = _run(embed_size, "embed", args.store)
    print(f"embedding: {embed['per_second']} answers/s in batches ({embed['answers']} answers, {embed['peak_mb']} MB "
          f"peak); one answer at a time, as at submit: median {embed['one_p50_ms']} ms, "
          f"95th percentile {embed['one_p95_ms']} ms")
    scrub = _run(2000 if not args.quick else 300, "scrub", args.store)
    print(f"scrubbing one answer: median {scrub['p50_ms']} ms, 95th percentile {scrub['p95_ms']} ms "
          f"({scrub['answers']} answers)")
    rows = [_run(quarter_total, "new quarter", args.store)]
    rows += [_run(size, "cached", args.store) for size in sizes]
    rows.append(_run(cold_size, "cold", args.store))
    print("\n| answers in total | run | embedded now | seconds | peak MB | themes |\n|---:|---|---:|---:|---:|---:|")
    for row in rows:
        embedded = row.get("embedded", row["answers"] if row["mode"] == "cold" else 0)
        print(f"| {row['answers']:,} | {row['mode']} | {embedded:,} | {row['seconds']:.1f} | {row['peak_mb']} | "
              f"{row['k']} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
