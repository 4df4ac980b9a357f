#!/usr/bin/env bash
# Benchmark: the web form under wrk on loopback. Starts `canvass serve` (release build) on a fresh
# database with 500 started invitations, then measures, at 64 and 256 connections for 10 s each:
#   GET  /s/TOKEN/q/asb_problem          (render a question page)
#   POST /s/TOKEN/q/asb_problem          (validate, durable group-commit write, 303; each respondent
#                                         alternates "yes" and "no", so every POST changes an answer)
# and reports requests/s, latency percentiles, the server's CPU time per request and its peak RSS
# (VmHWM). For scale it also
# measures GET /healthz (a static answer: the HTTP layer alone) and, at the end, how many writes the
# group commit put in each transaction.
#   Benchmarks/http.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 1; }
duration=${1:-10}
swift build -c release >/dev/null
bin=$PWD/.build/release/canvass
out=$PWD/Benchmarks/out/http
rm -rf "$out" && mkdir -p "$out"
db=$out/bench.sqlite
port=18080
for i in $(seq 1 500); do
  $bin invite --db "$db" --questionnaire rapid-poll-local-asb --case "B$i" --borough Bench --base-url "http://127.0.0.1:$port" 2>/dev/null | sed -n 's/^token: //p'
done > "$out/tokens.txt"
$bin serve --db "$db" --port $port --access-log /dev/null > "$out/serve.out" 2> "$out/serve.err" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -s "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
kill -0 $server 2>/dev/null || { echo "the server did not start:"; cat "$out/serve.err"; exit 1; }
python3 Benchmarks/http_setup.py "$port" "$out/tokens.txt" "$out/targets.lua"
echo "server pid $server; $(wc -l < "$out/tokens.txt") respondents"
# The machine's speed drifts by up to 2x within minutes on shared cores: record it with the
# figures (the same page, answered in-process, without sockets).
echo "in-process, now: $($bin bench web --iterations 50000 | grep 'answer GET question page' | sed 's/  */ /g')"
ticks_per_second=$(getconf CLK_TCK)
# One wrk run; prints its figures and the server's CPU time per request (user + system, from
# /proc): steadier than requests/s on a machine whose two cores wrk shares.
run() {
  local title=$1; shift
  echo "== $title, ${duration}s"
  local before after result requests
  before=$(awk '{print $14 + $15}' /proc/$server/stat)
  result=$(wrk -t2 -d${duration}s --latency "$@")
  after=$(awk '{print $14 + $15}' /proc/$server/stat)
  echo "$result" | grep -E "Requests/sec|Latency |50%|99%|Non-2xx|Socket errors"
  requests=$(echo "$result" | awk '/requests in/ {print $1}')
  echo "  server CPU per request: $(awk -v t=$((after - before)) -v hz=$ticks_per_second -v n=$requests 'BEGIN {printf "%.1f µs", t / hz / n * 1e6}')"
}
run "GET /healthz (HTTP layer alone), 64 connections" -c64 "http://127.0.0.1:$port/healthz"
for connections in 64 256; do
  run "GET question page, $connections connections" -c$connections -s Benchmarks/http_get.lua "http://127.0.0.1:$port"
  run "POST answer (durable), $connections connections" -c$connections -s Benchmarks/http_post.lua "http://127.0.0.1:$port"
done
echo "server peak RSS: $(grep VmHWM /proc/$server/status | awk '{print $2, $3}')"
echo "server RSS now: $(grep VmRSS /proc/$server/status | awk '{print $2, $3}')"
kill -TERM $server; wait $server 2>/dev/null || true
trap - EXIT
grep "Stopped" "$out/serve.err" || true
