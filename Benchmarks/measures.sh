#!/usr/bin/env bash
# Benchmark: `canvass measures --by borough` for the four headline measures of the ASB victim survey
# over N generated complete responses, against a bare SQLite GROUP BY over the same rows.
#
#   Benchmarks/measures.sh [N ...]        (default: 1000000)
#
# Prints wall time and peak RSS (from /usr/bin/time) for canvass, and wall time of the bare query
# (sqlite3 CLI). Databases are written under Benchmarks/out/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 command-line tool (apt-get install sqlite3)"; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
swift build -c release >/dev/null
bin=.build/release/canvass
mkdir -p Benchmarks/out
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1000000)

for n in "${sizes[@]}"; do
  db=Benchmarks/out/measures-$n.sqlite
  if [ ! -f "$db" ]; then
    echo "generating $n responses in $db …"
    rm -f "$db" "$db-wal" "$db-shm"
    printf 'how_reported,contact_sat,action_taken,incident_sat,kept_informed,info_sat,treatment,local_sat,experienced_before,impact,felt_unsafe,disability\nphone_101,very_satisfied,no,very_satisfied,yes,very_satisfied,yes,very_satisfied,no,fair_amount,no,no\n' > Benchmarks/out/seed.csv
    $bin import responses Benchmarks/out/seed.csv --db "$db" --questionnaire asb-victim-satisfaction >/dev/null
    sqlite3 "$db" <<SQL
PRAGMA foreign_keys = OFF;
PRAGMA cache_size = -262144;
BEGIN;
WITH RECURSIVE seq(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM seq WHERE i <= $n)
INSERT INTO responses(id, questionnaire_version_id, status, mode, language, borough, started_at, updated_at, completed_at)
SELECT i, 1, 'complete', 'import', 'en', 'Borough ' || (i % 32), '2026-01-01', '2026-01-01',
       '2026-' || printf('%02d', 1 + i % 12) || '-15T10:00:00Z' FROM seq;
WITH codes(k, code) AS (VALUES (0,'very_satisfied'),(1,'fairly_satisfied'),(2,'neither'),(3,'fairly_dissatisfied'),(4,'very_dissatisfied'),(5,'dont_know')),
     questions(q) AS (VALUES ('contact_sat'),('incident_sat'),('info_sat'),('local_sat'))
INSERT INTO answers(response_id, question_id, ordinal, value)
SELECT r.id, q.q, 0, (SELECT code FROM codes WHERE k = (r.id * 7 + length(q.q) * 13 + r.id / 3) % 6)
FROM responses r, questions q WHERE r.id >= 2 ORDER BY r.id, q.q;
COMMIT;
SQL
  fi
  rows=$(sqlite3 "$db" "SELECT count(*) FROM responses")
  echo "== $rows responses"
  /usr/bin/time -f "canvass measures --by borough: %e s wall, %M KiB peak RSS" \
    $bin measures --db "$db" --questionnaire asb-victim-satisfaction --by borough --format csv > Benchmarks/out/measures-$n.csv
  start=$(date +%s.%N)
  sqlite3 "$db" >/dev/null <<'SQL'
SELECT r.borough, count(*), sum(a.value IN ('very_satisfied','fairly_satisfied')) FROM answers a JOIN responses r ON r.id = a.response_id
 WHERE a.question_id = 'contact_sat' AND a.value <> 'dont_know' AND r.status = 'complete' GROUP BY r.borough;
SELECT r.borough, count(*), sum(a.value IN ('very_satisfied','fairly_satisfied')) FROM answers a JOIN responses r ON r.id = a.response_id
 WHERE a.question_id = 'incident_sat' AND a.value <> 'dont_know' AND r.status = 'complete' GROUP BY r.borough;
SELECT r.borough, count(*), sum(a.value IN ('very_satisfied','fairly_satisfied')) FROM answers a JOIN responses r ON r.id = a.response_id
 WHERE a.question_id = 'info_sat' AND a.value <> 'dont_know' AND r.status = 'complete' GROUP BY r.borough;
SELECT r.borough, count(*), sum(a.value IN ('very_satisfied','fairly_satisfied')) FROM answers a JOIN responses r ON r.id = a.response_id
 WHERE a.question_id = 'local_sat' AND a.value <> 'dont_know' AND r.status = 'complete' GROUP BY r.borough;
SQL
  end=$(date +%s.%N)
  echo "bare sqlite3 GROUP BY (same four queries): $(echo "$end - $start" | bc) s wall"
done
