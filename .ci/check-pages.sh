#!/usr/bin/env bash
# Builds a demo, writes reports, starts the server, and checks the report files and the
# dashboard with the W3C Nu checker and axe-core (.ci/check_pages.py), then prints the
# reports to PDF with headless Chromium and turns the pages into PNGs to look at
# (pdftoppm). Usage: .ci/check-pages.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/canvass-pages}
mkdir -p "$out"
swift build -c release >/dev/null
bin=.build/release/canvass
db="$out/demo.sqlite"
rm -f "$db" "$db-wal" "$db-shm"
$bin demo --db "$db" --responses 26000 >/dev/null
$bin report --db "$db" --questionnaire asb-victim-satisfaction --borough Newham --out "$out/report-newham.html"
$bin report --db "$db" --questionnaire asb-victim-satisfaction --all --overdispersion --out "$out/report-all.html"
port=$((20000 + RANDOM % 20000))
$bin serve --db "$db" --port "$port" >"$out/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q "listening" "$out/serve.log" && break; sleep 0.2; done
secret=$(sed -n 's/^Analyst secret (shown once; keep it safe): //p' "$out/serve.log")
python3 .ci/check_pages.py --files "$out/report-newham.html" "$out/report-all.html" --server "http://127.0.0.1:$port" --secret "$secret" \
  --pages /analyst "/analyst?measure=local_area&period=2026-Q2" "/analyst/report?questionnaire=asb-victim-satisfaction&borough=Croydon" /p/rapid-poll-local-asb
for name in report-newham report-all; do
  chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$out/$name.pdf" "file://$(realpath "$out/$name.html")" 2>/dev/null
  rm -f "$out/$name"-page-*.png
  pdftoppm -r 60 -png "$out/$name.pdf" "$out/$name-page"
  echo "$name.pdf: $(ls "$out/$name"-page-*.png | wc -l) A4 pages, PNGs in $out"
done
