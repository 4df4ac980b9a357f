#!/usr/bin/env bash
# Benchmark: the analyst dashboard on the 1M-response demo (issue #8's targets).
#  1. Server time of dashboard pages and reports, from the access log's per-request duration:
#     each distinct query once (computed: nothing cached) and then again (cached until the data
#     changes), then 40 pages one after another, each a new period. Target: a dashboard page in
#     50 ms or less.
#  2. Respondents' question pages (wrk, 64 connections) idle, then while two analysts load the
#     dashboard continuously, every request a new period so nothing is served from the cache.
#     Target: p99 within 2x of idle.
#   Benchmarks/dashboard.sh [DB] [seconds]    (DB default: builds Benchmarks/out/dashboard/demo.sqlite)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 1; }
out=$PWD/Benchmarks/out/dashboard
mkdir -p "$out"
db=${1:-$out/demo.sqlite}
duration=${2:-20}
swift build -c release >/dev/null
bin=$PWD/.build/release/canvass
[ -f "$db" ] || $bin demo --db "$db" --responses 1000000 >/dev/null
port=18090
# A known analyst secret for the run (the digest is what the server keeps).
secret=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
python3 - "$db" "$secret" <<'PY'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('analyst_secret_sha256', ?)", (hashlib.sha256(sys.argv[2].encode()).hexdigest(),))
db.commit()
PY
if [ ! -s "$out/tokens.txt" ]; then
  for i in $(seq 1 200); do
    $bin invite --db "$db" --questionnaire rapid-poll-local-asb --case "DASH$i" --borough Bench --base-url "http://127.0.0.1:$port" 2>/dev/null | sed -n 's/^token: //p'
  done > "$out/tokens.txt"
fi
rm -f "$out/access.log"
$bin serve --db "$db" --port $port --access-log "$out/access.log" > "$out/serve.out" 2> "$out/serve.err" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -s "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
mkdir -p Benchmarks/out/http
python3 Benchmarks/http_setup.py "$port" "$out/tokens.txt" Benchmarks/out/http/targets.lua
auth="Authorization: Bearer $secret"
base="http://127.0.0.1:$port"
queries=("/analyst" "/analyst?measure=local_area" "/analyst?measure=call_handling&period=2026-Q2" "/analyst?period=2025"
         "/analyst/report?questionnaire=asb-victim-satisfaction&borough=Newham" "/analyst/report?questionnaire=asb-victim-satisfaction")
echo "== server time (access log): first request of each query, then 10 more of each"
for pass in cold warm; do
  : > "$out/$pass.paths"
  rounds=1; [ $pass = warm ] && rounds=10
  for _ in $(seq $rounds); do
    for q in "${queries[@]}"; do curl -s -o /dev/null -H "$auth" "$base$q"; echo "$q" >> "$out/$pass.paths"; done
  done
  # The access log is written in blocks, a quarter second behind: wait until it holds every
  # request of the pass, or the pairing below would shift by one.
  [ $pass = cold ] && want=${#queries[@]} || want=$(( ${#queries[@]} * 11 ))
  for _ in $(seq 1 100); do
    [ "$(grep -c '"GET /analyst' "$out/access.log" 2>/dev/null || true)" -ge "$want" ] && break; sleep 0.1
  done
  python3 - "$out/access.log" "$pass" "$out/$pass.paths" <<'PY'
import re, sys
log, name, paths = sys.argv[1], sys.argv[2], open(sys.argv[3]).read().split("\n")[:-1]
# The access log leaves query strings out: pair its last lines with the paths asked, in order.
lines = [l for l in open(log) if '"GET /analyst' in l][-len(paths):]
by = {}
for path, line in zip(paths, lines):
    by.setdefault(path, []).append(float(re.search(r'([\d.]+)ms$', line.strip()).group(1)))
for path, times in by.items():
    times.sort()
    print(f"  {name:4} {path[:72]:72} median {times[len(times)//2]:8.1f} ms  max {times[-1]:8.1f} ms  (n={len(times)})")
PY
done
echo "== server time of 40 dashboard pages, one after another, each a period not asked before (never cached)"
before=$(grep -c '"GET /analyst' "$out/access.log" || true)
python3 - "$base" "$secret" <<'PY'
import random, sys, urllib.request
base, secret = sys.argv[1], sys.argv[2]
rng = random.Random(40)
for _ in range(40):
    day = rng.randrange(1, 28); month = rng.randrange(1, 12)
    q = f"/analyst?measure={rng.choice(['local_area','call_handling','information','own_incident',''])}&from=2025-{month:02d}-{day:02d}&to=2026-11-30"
    urllib.request.urlopen(urllib.request.Request(base + q, headers={"Authorization": "Bearer " + secret})).read()
PY
for _ in $(seq 1 100); do
  [ "$(grep -c '"GET /analyst' "$out/access.log" || true)" -ge $((before + 40)) ] && break; sleep 0.1
done
grep '"GET /analyst' "$out/access.log" | tail -n 40 | sed -E 's/.* ([0-9.]+)ms$/\1/' | python3 -c '
import sys
v = sorted(float(x) for x in sys.stdin.read().split())
print(f"  median {v[len(v)//2]:.1f} ms, p90 {v[int(len(v)*0.9)]:.1f} ms, max {v[-1]:.1f} ms (n={len(v)}; target ≤ 50 ms)")'
echo "== respondents' question pages, 64 connections, ${duration}s"
latency() { wrk -t2 -c64 -d${duration}s --latency -s Benchmarks/http_get.lua "$base" | grep -E "Requests/sec|50%|99%"; }
echo "-- idle"
latency | tee "$out/idle.txt"
echo "-- while two analysts load the dashboard without pause, each request a period not asked before (never cached)"
python3 - "$base" "$secret" "$out/analysts.txt" <<'PY' &
import random, sys, threading, time, urllib.request
base, secret, report = sys.argv[1], sys.argv[2], sys.argv[3]
stop = time.time() + 10**9
counts = [0, 0]
def analyst(k):
    rng = random.Random(k)
    while True:
        day = rng.randrange(1, 28); month = rng.randrange(1, 12)
        q = f"/analyst?measure={rng.choice(['local_area','call_handling','information','own_incident',''])}&from=2025-{month:02d}-{day:02d}&to=2026-11-30"
        t = time.time()
        urllib.request.urlopen(urllib.request.Request(base + q, headers={"Authorization": "Bearer " + secret})).read()
        counts[k] += 1
        with open(report, "w") as f: f.write(f"{sum(counts)} dashboard pages\n")
for k in range(2): threading.Thread(target=analyst, args=(k,), daemon=True).start()
time.sleep(10**6)
PY
analysts=$!
sleep 2
latency | tee "$out/loaded.txt"
kill $analysts 2>/dev/null || true
echo "  analysts loaded $(cat "$out/analysts.txt")"
python3 - "$out/idle.txt" "$out/loaded.txt" <<'PY'
import re, sys
def p99(path):
    text = open(path).read()
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
idle, loaded = p99(sys.argv[1]), p99(sys.argv[2])
print(f"  p99 idle {idle:.2f} ms, with analysts {loaded:.2f} ms: {loaded / idle:.2f}x (target ≤ 2x)")
PY
kill -TERM $server; wait $server 2>/dev/null || true
trap - EXIT
