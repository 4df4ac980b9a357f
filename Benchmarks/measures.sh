#!/usr/bin/env bash
# Benchmark: `canvass measures` and `trend` over the demo data set (`canvass demo --responses N`),
# side by side with the bare SQLite GROUP BY over the long `answers` table on the same database
# (the four headline measures by borough), which is what measures cost before the analysis table.
#
#   Benchmarks/measures.sh [N ...]        (default: 1000000)
#
# Each figure is the best of three runs of the whole process (wall time, /usr/bin/time), with its
# ratio to the bare GROUP BY. Databases are built once under Benchmarks/out/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 command-line tool (apt-get install sqlite3)"; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
swift build -c release --product canvass >/dev/null
bin=$PWD/.build/release/canvass
mkdir -p Benchmarks/out
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1000000)

. Benchmarks/best.sh

for n in "${sizes[@]}"; do
  db=Benchmarks/out/demo-$n.sqlite
  if [ ! -f "$db" ]; then
    echo "building the demo with $n responses in $db …"
    /usr/bin/time -f "demo --responses $n: %e s wall, %M KiB peak RSS" $bin demo --db "$db" --responses "$n" 2>&1 | grep -E "wall|^Built"
  fi
  rows=$(sqlite3 "$db" "SELECT count(*) FROM responses")
  echo "== $rows responses ($db)"
  bare_sql=$(cat <<'SQL'
SELECT r.borough, count(*), sum(a.value IN ('very_satisfied','fairly_satisfied')) FROM answers a JOIN responses r ON r.id = a.response_id
 WHERE a.question_id = 'contact_sat' AND a.value <> 'dont_know' AND r.status = 'complete' GROUP BY r.borough;
SELECT r.borough, count(*), sum(a.value IN ('very_satisfied','fairly_satisfied')) FROM answers a JOIN responses r ON r.id = a.response_id
 WHERE a.question_id = 'incident_sat' AND a.value <> 'dont_know' AND r.status = 'complete' GROUP BY r.borough;
SELECT r.borough, count(*), sum(a.value IN ('very_satisfied','fairly_satisfied')) FROM answers a JOIN responses r ON r.id = a.response_id
 WHERE a.question_id = 'info_sat' AND a.value <> 'dont_know' AND r.status = 'complete' GROUP BY r.borough;
SELECT r.borough, count(*), sum(a.value IN ('very_satisfied','fairly_satisfied')) FROM answers a JOIN responses r ON r.id = a.response_id
 WHERE a.question_id = 'local_sat' AND a.value <> 'dont_know' AND r.status = 'complete' GROUP BY r.borough;
SQL
)
  bare=$(best sqlite3 "$db" "$bare_sql")
  echo "bare sqlite3 GROUP BY over answers (four measures by borough): $bare s"
  q=(--db "$db" --questionnaire asb-victim-satisfaction --format csv)
  window=(--from 2025-03-01 --to 2026-08-31)
  report() {
    local label=$1; shift
    local t; t=$(best "$@")
    printf '%-58s %6s s  %5s x bare\n' "$label" "$t" "$(echo "scale=4; $t / $bare" | bc)"
  }
  report "measures --by borough"                        $bin measures "${q[@]}" --by borough
  report "measures --by borough --weights weight"       $bin measures "${q[@]}" --by borough --weights weight
  for g in ward month quarter mode; do
    report "measures --by $g --from --to"               $bin measures "${q[@]}" --by "$g" "${window[@]}"
  done
  report "measures --by borough --rolling 12"           $bin measures "${q[@]}" --by borough --rolling 12
  report "trend --by month"                             $bin trend "${q[@]}" --by month
  report "trend --by quarter --from --to"               $bin trend "${q[@]}" --by quarter "${window[@]}"
  /usr/bin/time -f "peak RSS of measures --by ward: %M KiB" $bin measures "${q[@]}" --by ward > /dev/null
done
