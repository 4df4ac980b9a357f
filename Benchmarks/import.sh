#!/usr/bin/env bash
# Benchmark: `canvass import responses` of N generated ASB victim survey rows (default 1,000,000),
# each checked by the interview engine and written in one transaction.
#   Benchmarks/import.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
swift build -c release >/dev/null
mkdir -p Benchmarks/out
csv=Benchmarks/out/victims-$n.csv
[ -f "$csv" ] || python3 Benchmarks/generate_victim_responses.py "$n" "$csv"
db=Benchmarks/out/import-$n.sqlite
rm -f "$db" "$db-wal" "$db-shm"
/usr/bin/time -f "import of $n rows: %e s wall, %M KiB peak RSS" \
  .build/release/canvass import responses "$csv" --db "$db" --questionnaire asb-victim-satisfaction
