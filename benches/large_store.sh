#!/usr/bin/env bash
# A large store side by side with DuckDB, in one run: DuckDB's read_csv of the
# 10,000,000-row customers file into a database file (the Python package), and Kitle's
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
# DuckDB: read_csv into a table of a database file (as Kitle's import ends with its
# cache on disk), timed to the file closed; each run in a process of its own, so its
# peak memory is its own.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for _ in 1 2 3; do
    rm -f "$work/duck.db"*
    /usr/bin/time -f "duckdb peak memory: %M kB" python3 - "$csv" "$work/duck.db" <<'PY'
import sys, time, duckdb
path, db = sys.argv[1], sys.argv[2]
t = time.perf_counter()
con = duckdb.connect(db)
con.execute("SET enable_progress_bar = false")  # DuckDB 2 prints it to stdout
con.execute(f"CREATE TABLE c AS SELECT * FROM read_csv('{path}')")
con.close()
print(f"duckdb read_csv into a database file: {time.perf_counter() - t:.2f} s")
PY
done
