#!/usr/bin/env bash
# A large store side by side with DuckDB, in one run: DuckDB's read_csv of the
# 10,000,000-row customers file into a table (the Python package), then Kitle's
# import of the same file and its reopening from the local cache
# (benches/examples/large_store.rs). Needs `pip install duckdb`.
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-10000000}"
cargo build --release -q -p kitle-benches --example large_store
target="${CARGO_TARGET_DIR:-target}"
# Kitle first: it writes the file (once) and reports its own times.
/usr/bin/time -f "kitle peak memory: %M kB" "$target/release/examples/large_store" "$rows"
csv="$target/bench-data/wide/customers-$rows.csv"
python3 - "$csv" <<'PY'
import sys, time, duckdb
path = sys.argv[1]
best = None
for _ in range(3):
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")  # DuckDB 2 prints it to stdout
    t = time.perf_counter()
    con.execute(f"CREATE TABLE c AS SELECT * FROM read_csv('{path}')")
    took = time.perf_counter() - t
    best = took if best is None else min(best, took)
    con.close()
print(f"duckdb read_csv into a table: best of 3 {best:.2f} s")
PY
