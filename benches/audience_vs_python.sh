#!/usr/bin/env bash
# The audience benchmark side by side with the same work in Python (hashlib +
# phonenumbers), in one run: writes the members, times Python, then Kitle.
set -euo pipefail
cd "$(dirname "$0")/.."
members="${TMPDIR:-/tmp}/kitle-audience-members.tsv"
cargo run --release -q -p kitle-benches --example audience_members -- "$members"
python3 -c "import phonenumbers" 2>/dev/null || pip install -q phonenumbers
python3 benches/python/audience_hash.py "$members"
cargo bench -q -p kitle-benches --bench audience
