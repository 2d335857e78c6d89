#!/usr/bin/env bash
# The README's example rule on the 10,000,000-customer workspace, Kitle and DuckDB
# in one run, alternating: `kitle segment WS --rule … --repeat 30` (the median
# evaluation, from the cache) and DuckDB's query on the same CSV read into memory
# (benches/python/segment_duckdb.py). Needs `pip install duckdb` and the file
# benches/large_store.sh makes. `bash benches/segment_vs_duckdb.sh [ROUNDS]`
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
target="${CARGO_TARGET_DIR:-target}"
csv="$target/bench-data/wide/customers-10000000.csv"
cargo build --release -q --bin kitle
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
as_of=2026-11-01
"$target/release/kitle" import --customers "$csv" --as-of "$as_of" -o "$work/large.kitle" >/dev/null
rule='ltv > 5000 and signup_date more than 30 days ago or channel = "Google Ads"'
for _ in $(seq "$rounds"); do
    echo "kitle: $("$target/release/kitle" segment "$work/large.kitle" --rule "$rule" --repeat 30 | tail -1)"
    python3 benches/python/segment_duckdb.py "$csv" "$as_of" 30
done
