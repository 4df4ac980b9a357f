#!/usr/bin/env bash
# Injection (issue #10, part 4): sqlmap against every form and query parameter of `canvass serve`,
# the analyst pages and the JSON API included, on a small demo database on loopback.
#   Benchmarks/reliability/sqlmap.sh [level] [risk]      (default level 2, risk 1; needs `pip install sqlmap`)
# Level 2 also tests the Cookie header, level 3 the User-Agent and Referer. Level 1 takes about 10
# minutes here, level 2 about 25. Prints, per target, sqlmap's verdict;
# exits non-zero if sqlmap reports any parameter injectable. Logs in Benchmarks/out/sqlmap/.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v sqlmap >/dev/null || { echo "needs sqlmap (pip install sqlmap)"; exit 2; }
level=${1:-2}
risk=${2:-1}
bin=$PWD/.build/release/canvass
[ -x "$bin" ] || swift build -c release >/dev/null
out=$PWD/Benchmarks/out/sqlmap
rm -rf "$out" && mkdir -p "$out"
db=$out/demo.sqlite
port=18094
"$bin" demo --db "$db" --responses 3000 --seed 11 > "$out/demo.txt"
token=$("$bin" invite --db "$db" --questionnaire rapid-poll-local-asb --case SQLMAP-1 --borough Hackney | sed -n 's/^token: //p')
"$bin" serve --db "$db" --port $port --access-log /dev/null > "$out/serve.out" 2> "$out/serve.err" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -s "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
secret=$(sed -n 's/^Analyst secret.*: //p' "$out/serve.out")
if [ -z "$secret" ]; then
  # The demo's first start printed the secret into demo.txt, or an earlier serve did.
  secret=$(grep -ho 'secret[^:]*: [0-9a-f]\{32,\}' "$out/demo.txt" "$out/serve.out" | head -1 | sed 's/.*: //')
fi
[ -n "$secret" ] || { echo "could not find the analyst secret"; exit 1; }
base="http://127.0.0.1:$port"
# A started respondent: its form token, and its cookie-bound CSRF for the poll.
csrf=$(curl -s "$base/s/$token" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
curl -s -o /dev/null -d "csrf=$csrf" "$base/s/$token/start"
jar=$out/poll.cookies
poll_csrf=$(curl -s -c "$jar" "$base/p/rapid-poll-local-asb" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
poll_cookie=$(awk '$6 == "canvass_csrf" {print "canvass_csrf=" $7}' "$jar")
login_jar=$out/login.cookies
login_csrf=$(curl -s -c "$login_jar" "$base/analyst" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
login_cookie=$(awk '$6 == "canvass_csrf" {print "canvass_csrf=" $7}' "$login_jar")
auth="Authorization: Bearer $secret"
q=asb-victim-satisfaction
targets=(
  "respondent question page|$base/s/$token/q/asb_problem?lang=cy&change=1||"
  "respondent answer (form)|$base/s/$token/q/asb_problem|csrf=$csrf&answer=yes|"
  "respondent start (form)|$base/s/$token/start|csrf=$csrf|"
  "respondent submit (form)|$base/s/$token/check|csrf=$csrf|"
  "token in the path|$base/s/$token*/q/asb_problem||"
  "public poll page|$base/p/rapid-poll-local-asb?ward=E05000001&lang=en||"
  "public poll start (form)|$base/p/rapid-poll-local-asb|csrf=$poll_csrf&ward=E05000001|Cookie: $poll_cookie"
  "analyst sign-in (form)|$base/analyst/login|csrf=$login_csrf&secret=guess|Cookie: $login_cookie"
  "dashboard|$base/analyst?questionnaire=$q&measure=local_area&period=2026-Q1||$auth"
  "dashboard dates|$base/analyst?questionnaire=$q&from=2025-01-01&to=2025-12-31||$auth"
  "comparison CSV|$base/analyst/comparison.csv?questionnaire=$q&measure=local_area&period=2026||$auth"
  "report|$base/analyst/report?questionnaire=$q&borough=Hackney&period=2026-Q1&format=json||$auth"
  "poll results CSV|$base/analyst/polls.csv?from=2025-01-01||$auth"
  "JSON API|$base/api/responses/counts?questionnaire=$q||$auth"
)
found=0
for entry in "${targets[@]}"; do
  IFS='|' read -r title url data header <<< "$entry"
  name=$(echo "$title" | tr ' ()' '___')
  args=(-u "$url" --batch --level "$level" --risk "$risk" --flush-session --output-dir "$out/sessions" --disable-coloring --threads 2)
  [ -n "$data" ] && args+=(--data "$data")
  [ -n "$header" ] && args+=(-H "$header")
  # Refusals are answers here (a wrong secret is 401, too many sign-ins 429, a stale form 403).
  args+=(--ignore-code 401,403,429)
  sqlmap "${args[@]}" > "$out/$name.log" 2>&1 || true
  if grep -qiE "is vulnerable|parameter '.*' is '.*' injectable|sqlmap identified the following injection" "$out/$name.log"; then
    echo "INJECTABLE  $title (see $out/$name.log)"; found=1
  elif grep -qE "all tested parameters do not appear to be injectable|do not appear to be injectable" "$out/$name.log"; then
    tested=$(grep -c "testing '" "$out/$name.log" || true)
    echo "clean       $title ($tested tests)"
  else
    echo "UNCLEAR     $title: $(grep -E '\[(CRITICAL|ERROR)\]' "$out/$name.log" | tail -1)"; found=1
  fi
done
kill -0 $server 2>/dev/null && echo "server still up" || { echo "the server died"; found=1; }
kill -TERM $server; wait $server 2>/dev/null || true
trap - EXIT
exit $found
