#!/usr/bin/env bash
# Import of a 100,000-row CSV through the pages, as a service staff member of the demo:
# upload, keep the guessed columns, check every row, import. Each run starts from a fresh demo.
# Usage: bench/import.sh [runs] [rows]. Prints each run's steps and total, then the median total.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
rows=${2:-100000}
bin="${CARGO_TARGET_DIR:-target}/release/coproduce"
cargo build --release --bin coproduce >/dev/null 2>&1 || cargo build --release --bin coproduce
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"' EXIT
csv="$work/people.csv"
echo "Name,Email,Phone,Postcode,Interests" > "$csv"
awk -v n="$rows" 'BEGIN { for (i = 1; i <= n; i++) printf "Person %06d,person%06d@example.org,07%09d,PO%d %dAB,training\n", i, i, 800000000 + i, 1 + i % 9, i % 10 }' >> "$csv"
now() { date +%s%3N; }
totals="$work/totals"
for run in $(seq 1 "$runs"); do
  port=$((20000 + RANDOM % 20000))
  base="http://127.0.0.1:$port"
  COPRODUCE_LOG=warn "$bin" demo --bind "127.0.0.1:$port" --database "$work/run$run.db" >/dev/null &
  server=$!
  for _ in $(seq 1 400); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.05; done
  jar="$work/jar$run"
  token=$(curl -fs -c "$jar" "$base/sign-in" | sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
  curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf_token=$token" \
    --data-urlencode "email=tom.reilly@harbourside.example" --data-urlencode "password=kettle lantern orchard velvet" "$base/sign-in"
  form=$(curl -fs -b "$jar" "$base/people/import")
  token=$(echo "$form" | sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
  service=$(echo "$form" | sed -n 's/.*<option value="\([0-9]*\)">.*/\1/p' | head -n 1)
  t0=$(now)
  map=$(curl -fs -b "$jar" -o /dev/null -w '%{redirect_url}' -F "csrf_token=$token" -F "service_id=$service" -F "file=@$csv;type=text/csv" "$base/people/import")
  t1=$(now)
  curl -fs -b "$jar" -o /dev/null "$map/preview"
  t2=$(now)
  done_at=$(curl -fs -b "$jar" -o /dev/null -w '%{redirect_url}' --data-urlencode "csrf_token=$token" "$map/run")
  t3=$(now)
  kill $server; wait $server 2>/dev/null || true
  server=""
  echo "run $run: upload and read $((t1 - t0)) ms, check $((t2 - t1)) ms, import $((t3 - t2)) ms, total $((t3 - t0)) ms -> ${done_at##*/}"
  echo $((t3 - t0)) >> "$totals"
done
sort -n "$totals" | awk '{ a[NR] = $1 } END { printf "median total: %d ms\n", a[int((NR + 1) / 2)] }'
