#!/usr/bin/env bash
# Load test: the public pages anyone sees without signing in, /get-involved and /opportunities,
# on SQLite, over loopback with wrk. The data is the demo's, plus opportunities copied until 40
# are open to the public (a busy trust's worth).
# Usage: bench/public.sh [runs] [seconds] [connections]
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
COPRODUCE_LOG=warn COPRODUCE_OUTBOX="file:$work/outbox" "$bin" demo --bind "127.0.0.1:$port" --database "$db" >/dev/null &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 400); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done
cols="title, kind, service_id, starts_on, start_time, end_time, dates_note, place, venue, access_info, places, asked, support, support_notes, requirements, payment, closes_on, description, easy_read, visibility, minutes, created_at, updated_at"
for _ in $(seq 1 38); do
  sqlite3 "$db" "PRAGMA busy_timeout = 5000; INSERT INTO opportunities ($cols) SELECT $cols FROM opportunities WHERE visibility = 'public' LIMIT 1;" >/dev/null
done
open=$(curl -fs "http://127.0.0.1:$port/opportunities" | grep -c 'class="nhsuk-card__link"')
echo "public opportunities listed: $open"

for path in /get-involved /opportunities; do
  results="$work/results-${path//\//_}"
  for run in $(seq 1 "$runs"); do
    out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port$path")
    rps=$(echo "$out" | awk '/^Requests\/sec/ { print $2 }')
    p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
    non2xx=$(echo "$out" | awk '/Non-2xx/ { print $NF }')
    echo "$path run $run: ${rps} requests/s, p99 ${p99}${non2xx:+, NON-2XX: $non2xx}"
    echo "$rps $p99" >> "$results"
  done
  sort -n -k1 "$results" | awk -v p="$path" '{ a[NR] = $1 } END { printf "%s median requests/s: %s\n", p, a[int((NR + 1) / 2)] }'
  awk '{ v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 } print v }' "$results" \
    | sort -n | awk -v p="$path" '{ a[NR] = $1 } END { printf "%s median p99: %.2f ms\n", p, a[int((NR + 1) / 2)] }'
done
