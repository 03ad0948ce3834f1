#!/usr/bin/env bash
# Load test: the keep-in-touch queue, people search and the person page, on SQLite with generated
# data (100,000 people, 2,000,000 contacts and 20,000 meetings by default), signed in as a service
# staff member. BENCH_MODES picks other pages (see bench/people.lua), e.g. bench/meetings.sh.
# Usage: bench/people.sh [runs] [seconds] [connections] [people] [contacts-per-person]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
seconds=${2:-10}
connections=${3:-32}
people=${4:-100000}
per_person=${5:-20}
target="${CARGO_TARGET_DIR:-target}/release"
cargo build --release --bin coproduce --bin generate >/dev/null 2>&1 || cargo build --release --bin coproduce --bin generate
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }

# The cached data is named after the schema it was made with, so a new migration makes new data.
schema=$(cat crates/store/migrations/sqlite/*.sql | sha1sum | cut -c1-8)
data="${BENCH_DATA:-${TMPDIR:-/tmp}/coproduce-bench-$people-$per_person-$schema.db}"
if [ ! -f "$data" ]; then
  rm -f "$data.tmp" "$data.tmp-wal" "$data.tmp-shm"
  "$target/generate" "$data.tmp" "$people" "$per_person"
  mv "$data.tmp" "$data"
  mv "$data.tmp.audit-key" "$data.audit-key"
  rm -f "$data.tmp-wal" "$data.tmp-shm"
fi
work=$(mktemp -d)
cp "$data" "$work/bench.db"
cp "$data.audit-key" "$work/bench.db.audit-key"
port=$((20000 + RANDOM % 20000))
COPRODUCE_LOG=warn "$target/coproduce" serve --bind "127.0.0.1:$port" --database "$work/bench.db" >/dev/null &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done

jar="$work/cookies"
token=$(curl -fs -c "$jar" "http://127.0.0.1:$port/sign-in" | sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf_token=$token" --data-urlencode "email=staff0@bench.example" \
  --data-urlencode "password=kettle lantern orchard velvet" "http://127.0.0.1:$port/sign-in"
session=$(awk '$6 == "coproduce_session" { print $7 }' "$jar")
[ -n "$session" ] || { echo "sign-in failed" >&2; exit 1; }

for mode in ${BENCH_MODES:-queue search person}; do
  results="$work/$mode"
  for run in $(seq 1 "$runs"); do
    out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "Cookie: coproduce_session=$session" \
      -s bench/people.lua "http://127.0.0.1:$port" -- "$mode" "$people")
    rps=$(echo "$out" | awk '/^Requests\/sec/ { print $2 }')
    p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
    non2xx=$(echo "$out" | awk '/Non-2xx/ { print $NF }')
    echo "$mode run $run: ${rps} requests/s, p99 ${p99}${non2xx:+, NON-2XX: $non2xx}"
    echo "$rps $p99" >> "$results"
  done
  sort -n -k1 "$results" | awk -v m="$mode" '{ a[NR] = $1 } END { printf "%s median requests/s: %s\n", m, a[int((NR + 1) / 2)] }'
  awk '{ v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 } print v }' "$results" \
    | sort -n | awk -v m="$mode" '{ a[NR] = $1 } END { printf "%s median p99: %.2f ms\n", m, a[int((NR + 1) / 2)] }'
done
