#!/usr/bin/env bash
# An order-heavy store side by side with DuckDB, in one run: 1,000,000 customers
# (benches/data.rs `customers_csv`) and their 5,000,000 order lines
# (`order_lines_csv`). Kitle: a fresh `kitle import --customers … --orders … -o
# ws.kitle` (read, type, build the customer table, write the cache). DuckDB (the
# Python package): read both files, keep the lines, fold them into orders, aggregate
# orders per customer (count, sum, first and last date, AOV), join the customers,
# all into a database file. Alternating Kitle, DuckDB, Kitle, DuckDB…; each whole
# process under /usr/bin/time; medians and ratios at the end. Needs `pip install
# duckdb`. `bash benches/order_heavy.sh [RUNS] [CUSTOMERS]`
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
customers="${2:-1000000}"
target="${CARGO_TARGET_DIR:-target}"
cargo build --release -q --bin kitle
cargo build --release -q -p kitle-benches --example bench_files
mapfile -t files < <("$target/release/examples/bench_files" order-heavy "$customers")
ls -l "${files[@]}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
measure() { # name, command…: appends "wall cpu peak_kB" to $work/name
    local name="$1"; shift
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null
    read -r wall user sys peak <"$work/time"
    echo "$wall $(echo "$user + $sys" | bc) $peak" >>"$work/$name"
    printf '%-7s wall %6.2f s  cpu %6.2f s (system %5.2f s)  peak %5.0f MB\n' "$name" "$wall" "$(echo "$user + $sys" | bc)" "$sys" "$(echo "$peak / 1024" | bc)"
}
for _ in $(seq "$runs"); do
    rm -rf "$work/ws"* "$work/duck.db"*
    measure kitle "$target/release/kitle" import --customers "${files[0]}" --orders "${files[1]}" \
        -o "$work/ws.kitle" --as-of 2026-11-01
    measure duckdb python3 benches/python/order_heavy_duckdb.py "${files[0]}" "${files[1]}" "$work/duck.db"
done
python3 - "$work/kitle" "$work/duckdb" <<'PY'
import sys, statistics
def medians(path):
    rows = [list(map(float, l.split())) for l in open(path)]
    return [statistics.median(c) for c in zip(*rows)]
k, d = medians(sys.argv[1]), medians(sys.argv[2])
print(f"medians  Kitle: wall {k[0]:.2f} s, cpu {k[1]:.2f} s (cpu/wall {k[1]/k[0]:.2f}), peak {k[2]/1024:.0f} MB")
print(f"        DuckDB: wall {d[0]:.2f} s, cpu {d[1]:.2f} s (cpu/wall {d[1]/d[0]:.2f}), peak {d[2]/1024:.0f} MB")
print(f"Kitle ÷ DuckDB: wall {k[0]/d[0]:.2f}×, peak {k[2]/d[2]:.2f}×  (goals: ≤ 1.0×, ≤ 1.5×, cpu/wall ≥ 1.7)")
PY
