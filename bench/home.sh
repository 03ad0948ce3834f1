#!/usr/bin/env bash
# Load test: the page a signed-in service staff member starts at (their keep-in-touch queue,
# here empty), on SQLite, over loopback with wrk.
# Usage: bench/home.sh [runs] [seconds] [connections]
# Prints wrk's summary for each run, then the median requests/s and p99 latency.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
seconds=${2:-10}
connections=${3:-32}
bin="${CARGO_TARGET_DIR:-target}/release/coproduce"
cargo build --release --bin coproduce >/dev/null 2>&1 || cargo build --release --bin coproduce
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }

work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
db="$work/bench.db"
password="kettle lantern orchard velvet"
printf '%s\n' "$password" | "$bin" staff add --email bench@example.org --name "Bench Staff" --role staff --password-stdin --database "$db" >/dev/null
COPRODUCE_LOG=warn "$bin" serve --bind "127.0.0.1:$port" --database "$db" >/dev/null &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done

# Sign in as a browser would: the form cookie and token, then the form.
jar="$work/cookies"
token=$(curl -fs -c "$jar" "http://127.0.0.1:$port/sign-in" | sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf_token=$token" --data-urlencode "email=bench@example.org" \
  --data-urlencode "password=$password" "http://127.0.0.1:$port/sign-in"
session=$(awk '$6 == "coproduce_session" { print $7 }' "$jar")
[ -n "$session" ] || { echo "sign-in failed" >&2; exit 1; }
curl -fs -H "Cookie: coproduce_session=$session" "http://127.0.0.1:$port/keep-in-touch" | grep -q "Nobody is due a contact"

results="$work/results"
for run in $(seq 1 "$runs"); do
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "Cookie: coproduce_session=$session" "http://127.0.0.1:$port/keep-in-touch")
  rps=$(echo "$out" | awk '/^Requests\/sec/ { print $2 }')
  p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
  non2xx=$(echo "$out" | awk '/Non-2xx/ { print $NF }')
  echo "run $run: ${rps} requests/s, p99 ${p99}${non2xx:+, NON-2XX: $non2xx}"
  echo "$rps $p99" >> "$results"
done
# p99 as wrk prints it (e.g. 3.21ms or 812.00us), converted to ms for sorting.
sort -n -k1 "$results" | awk '{ a[NR] = $1 } END { printf "median requests/s: %s\n", a[int((NR + 1) / 2)] }'
awk '{ v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 } print v }' "$results" \
  | sort -n | awk '{ a[NR] = $1 } END { printf "median p99: %.2f ms\n", a[int((NR + 1) / 2)] }'
