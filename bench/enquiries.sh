#!/usr/bin/env bash
# Load test: the "ask to get involved" form sent by many people at once, each enquiry written
# durably (SQLite, synchronous=FULL) with its confirmation email queued, before the thank-you
# redirect. Then a crash test: bench/enquiry_crash.mjs sends enquiries, kills the server with
# SIGKILL part way, restarts it and checks every enquiry that got its thank-you page is stored.
# Usage: bench/enquiries.sh [runs] [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
seconds=${2:-10}
connections=${3:-32}
bin="${CARGO_TARGET_DIR:-target}/release/coproduce"
cargo build --release --bin coproduce >/dev/null 2>&1 || cargo build --release --bin coproduce
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed: apt-get install sqlite3" >&2; exit 2; }

work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
db="$work/bench.db"
# One address sends everything here, so the per-address limit is turned off for the test.
COPRODUCE_LOG=warn COPRODUCE_OUTBOX="${BENCH_OUTBOX:-file:$work/outbox}" "$bin" serve --bind "127.0.0.1:$port" --database "$db" --enquiry-limit 0 >/dev/null &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done
token=$(curl -fs -c "$work/jar" "http://127.0.0.1:$port/get-involved/ask" | sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
[ -n "$token" ] || { echo "no form token" >&2; exit 1; }

results="$work/results"
for run in $(seq 1 "$runs"); do
  # Keys signed with the server's secret, a file a wrk thread, fresh each run.
  for thread in 1 2; do node bench/form_keys.mjs "$db" 60000 "r${run}t${thread}" > "$work/keys$run-$thread"; done
  out=$(BENCH_KEYS="$work/keys$run-" wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/enquiries.lua "http://127.0.0.1:$port" -- "$token")
  rps=$(echo "$out" | awk '/^Requests\/sec/ { print $2 }')
  p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
  echo "run $run: ${rps} enquiries/s, p99 ${p99}"
  echo "$rps $p99" >> "$results"
done
sort -n -k1 "$results" | awk '{ a[NR] = $1 } END { printf "median enquiries/s: %s\n", a[int((NR + 1) / 2)] }'
awk '{ v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 } print v }' "$results" \
  | sort -n | awk '{ a[NR] = $1 } END { printf "median p99: %.2f ms\n", a[int((NR + 1) / 2)] }'
kill "$server"; wait "$server" 2>/dev/null || true
echo "enquiries stored: $(sqlite3 "$db" 'SELECT COUNT(*) FROM enquiries')"

node bench/enquiry_crash.mjs "$bin"
