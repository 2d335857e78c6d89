#!/usr/bin/env bash
# Runs every fuzz target RUNS times (default 1,000,000 executions each), seeded
# with the test suite's files: fixtures and the malformed corpus for the readers,
# the rules and workspaces the tests use for the parsers. Crashes land in
# artifacts/TARGET/; each one found becomes a regression test in tests/. Exits
# non-zero when any target crashed (or hit a time-out or memory limit).
#   bash fuzz/run.sh [RUNS] [TARGET ...]
# MAX_LEN caps the inputs: by default 65,536 bytes for the spreadsheet target (its
# seeds are whole .xlsx/.xls/.ods files) and 4,096 for the others (~600 runs/s,
# where 64 KB gave ~50/s). MAX_TIME (seconds) stops each target sooner, whichever
# comes first: CI's smoke step is `MAX_TIME=60 bash fuzz/run.sh 10000`. TIMEOUT
# (seconds, default 30) is how long one input may take: raise it when the run
# shares the machine at a low priority (a starved input is not a hang).
# FUZZ_TARGET_DIR builds elsewhere than fuzz/target (CI keeps its build there).
# Polars runs on one thread so the fuzzer's speed is the input's.
set -euo pipefail
cd "$(dirname "$0")"
runs="${1:-1000000}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(segment_text values workspace_file csv_import csv_stream excel_import)

seed() { # seed TARGET FILE...
  local dir="corpus/$1"; shift
  mkdir -p "$dir"
  for f in "$@"; do
    [ -f "$f" ] && [ "$(stat -c %s "$f")" -le 262144 ] && cp "$f" "$dir/$(sha1sum <"$f" | cut -c1-16)"
  done
  return 0
}
mapfile -t texts < <(find ../tests/fixtures ../tests/malformed -type f \( -iname '*.csv' -o -iname '*.tsv' -o -iname '*.txt' \))
mapfile -t books < <(find ../tests/fixtures ../tests/malformed -type f \( -iname '*.xlsx' -o -iname '*.xls' -o -iname '*.ods' \))
seed csv_import "${texts[@]}"
seed csv_stream "${texts[@]}"
seed excel_import "${books[@]}"
seed workspace_file ../workspaces/*.kitle
mkdir -p corpus/values corpus/segment_text
i=0
for v in "1.234,56" "1,234.56" "₺1.250,00" "-0,5" "1e309" "31.12.2025" "12/31/2025" "2025-12-31T10:00:00+03:00" \
         "45678" "20251231" "Evet" "hayır" "vip, b2b;bülten" "'9013808660771"; do
  printf '%s' "$v" >"corpus/values/v$((i++))"
done
grep -ohE '"[a-z_`(][^"]*(>|<|=|between|contains|within|more than|in segment|bought|order count|amount spent)[^"]*"' \
  ../tests/it/*.rs ../src/engine/segment/*.rs 2>/dev/null | sed 's/^"//; s/"$//; s/\\"/"/g' | sort -u | head -400 |
  while IFS= read -r rule; do printf '%s' "$rule" >"corpus/segment_text/$(printf '%s' "$rule" | sha1sum | cut -c1-16)"; done

target_dir=()
[ -n "${FUZZ_TARGET_DIR:-}" ] && target_dir=(--target-dir "$FUZZ_TARGET_DIR")
failed=()
for target in "${targets[@]}"; do
  default_max=4096
  [ "$target" = excel_import ] && default_max=65536
  max="${MAX_LEN:-$default_max}"
  limits=(-runs="$runs" -max_len="$max" -rss_limit_mb=3072 -timeout="${TIMEOUT:-30}" -print_final_stats=1)
  [ -n "${MAX_TIME:-}" ] && limits+=(-max_total_time="$MAX_TIME")
  echo "== $target: $runs runs${MAX_TIME:+ or ${MAX_TIME} s}, inputs up to $max bytes"
  # The whole log is kept in fuzz-TARGET.log; the summary (runs, speed, findings) is printed.
  status=0
  POLARS_MAX_THREADS=1 cargo +nightly fuzz run "${target_dir[@]}" -s none -O "$target" "corpus/$target" -- \
    "${limits[@]}" >"fuzz-$target.log" 2>&1 || status=$?
  grep -E "^Done|stat::number_of_executed_units|stat::average_exec_per_sec|panicked|ERROR|Test unit written" "fuzz-$target.log" || true
  if [ "$status" -ne 0 ]; then
    echo "!! $target failed (exit $status); the end of its log:"
    tail -n 40 "fuzz-$target.log"
    failed+=("$target")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]} (inputs under fuzz/artifacts/)"
  exit 1
fi
echo "fuzzing: every target ran clean"
