"""Every benchmark, one after the other, each printing its own table: `make bench`.

    .venv/bin/python tests/benchmarks/run_all.py [--quick]

- bench_throughput.py: respondent pages under gunicorn against a bare Flask app (SQLite);
- bench_dashboard.py: dashboard and export latency at 10,000 and 1,000,000 responses (PostgreSQL);
- bench_analysis.py: embedding speed, scrubbing p95, a new quarter among 20,000, 1,000-100,000 cached, 20,000 cold;
- bench_report.py: the quarterly report for the demo and for 20,000 responses.

PostgreSQL: the database in KVIFOR_BENCH_DATABASE_URL (it is wiped), or else a throwaway cluster
started here from the PostgreSQL installed on the machine. ``--quick`` runs small sizes only, to
check that every benchmark still runs (CI does this).
"""
from __future__ import annotations

import argparse
import contextlib
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


@contextlib.contextmanager
def throwaway_postgres():
    """A PostgreSQL cluster in a temporary folder on a free port, stopped and removed afterwards."""
    initdb = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not initdb:
        raise SystemExit("PostgreSQL is not installed (apt install postgresql), and KVIFOR_BENCH_DATABASE_URL is not set")
    bin_dir = Path(initdb[-1]).parent
    root = Path(tempfile.mkdtemp(prefix="kvifor-bench-pg-"))
    as_postgres = os.geteuid() == 0  # initdb refuses to run as root
    if as_postgres:
        shutil.chown(root, "postgres")

    def run(*command: str) -> None:
        line = [str(c) for c in command]
        if as_postgres:
            line = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(f"'{part}'" for part in line)]
        subprocess.run(line, check=True, stdout=subprocess.DEVNULL)

    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    run(bin_dir / "initdb", "-D", root / "data", "-A", "trust", "-U", "postgres", "--no-sync")
    run(bin_dir / "pg_ctl", "-D", root / "data", "-l", root / "log", "-w", "-o",
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c shared_buffers=512MB", "start")
    try:
        run(bin_dir / "createdb", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "kvifor_bench")
        yield f"postgresql://postgres@127.0.0.1:{port}/kvifor_bench"
    finally:
        run(bin_dir / "pg_ctl", "-D", root / "data", "-m", "fast", "stop")
        shutil.rmtree(root, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small sizes, to see that everything runs")
    args = parser.parse_args()
    quick = args.quick
    with contextlib.ExitStack() as stack:
        database = os.environ.get("KVIFOR_BENCH_DATABASE_URL") or stack.enter_context(throwaway_postgres())
        runs = [
            ["bench_throughput.py"] + (["--seconds", "2", "--rounds", "1", "--final-submits", "40"] if quick else []),
            ["bench_dashboard.py", "--database-url", database] + (["--sizes", "2000", "--rounds", "1"] if quick else []),
            ["bench_analysis.py"] + (["--quick"] if quick else ["--sizes", "1000", "10000", "20000", "100000"]),
            ["bench_report.py"] + (["--sizes", "200"] if quick else []),
        ]
        failed = []
        for script, *options in runs:
            started = time.perf_counter()
            print(f"\n## {script} {' '.join(options)}", flush=True)
            result = subprocess.run([sys.executable, str(HERE / script), *options], stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
            print(result.stdout.strip())
            if result.returncode:
                failed.append(script)
                print(result.stderr.strip()[-3000:])
            print(f"({script}: exit {result.returncode}, {time.perf_counter() - started:.0f} s)", flush=True)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
