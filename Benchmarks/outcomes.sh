#!/usr/bin/env bash
# Benchmark: `canvass outcomes --model` and `--by stage` on the demo with cases, against statsmodels
# Logit on the same responses exported to CSV (whole processes, best of three, /usr/bin/time).
#   Benchmarks/outcomes.sh [N]        (default 1000000 responses)
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c "import statsmodels" 2>/dev/null || { echo "needs statsmodels (pip install statsmodels)"; exit 1; }
swift build -c release --product canvass >/dev/null
bin=$PWD/.build/release/canvass
n=${1:-1000000}
mkdir -p Benchmarks/out
db=Benchmarks/out/demo-cases-$n.sqlite
[ -f "$db" ] || $bin demo --db "$db" --responses "$n" > /dev/null
. Benchmarks/best.sh
csv=Benchmarks/out/outcomes-$n.csv
# call_handling is the first measure: its state is the low two bits (3 satisfied, 2 not).
sqlite3 -csv -header "$db" "SELECT stage, repeat_victim AS repeat, vulnerable, channel, (states & 3) = 3 AS satisfied
  FROM analysis_responses WHERE stage IS NOT NULL AND complete = 1 AND (states & 3) >= 2" > "$csv"
echo "== $(($(wc -l < "$csv") - 1)) responses with a case in the base of call_handling ($db)"
q=(--db "$db" --questionnaire asb-victim-satisfaction --measure call_handling)
echo "canvass outcomes --model:           $(best $bin outcomes "${q[@]}" --model) s"
echo "statsmodels Logit (CSV, whole run): $(best python3 Benchmarks/outcomes_statsmodels.py "$csv") s"
echo "canvass outcomes --by stage:        $(best $bin outcomes "${q[@]}" --by stage) s"
echo "canvass measures --by borough:      $(best $bin measures --db "$db" --questionnaire asb-victim-satisfaction --by borough) s"
echo "-- canvass:";     $bin outcomes "${q[@]}" --model | sed -n '3,20p'
echo "-- statsmodels:"; python3 Benchmarks/outcomes_statsmodels.py "$csv"
