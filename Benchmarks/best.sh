# Sourced by the benchmark scripts: `best CMD...` prints the best wall time of three runs of CMD,
# in seconds (/usr/bin/time, output discarded).
best() {
  local best="" t
  for _ in 1 2 3; do
    /usr/bin/time -f "%e" -o Benchmarks/out/time.txt "$@" >/dev/null 2>&1
    t=$(tail -1 Benchmarks/out/time.txt)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
  done
  echo "$best"
}
