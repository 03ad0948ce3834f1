#!/usr/bin/env bash
# Import of a 100,000-row CSV through the pages, as a service staff member of the demo:
# upload, keep the guessed columns, check every row, import. Each run starts from a fresh demo.
# Usage: bench/import.sh [runs] [rows]. Prints each run's steps and total, then the median total.
source "$(dirname "$0")/lib.sh"
runs=${1:-3}
rows=${2:-100000}
build coproduce
scratch
csv="$work/people.csv"
echo "Name,Email,Phone,Postcode,Interests" > "$csv"
awk -v n="$rows" 'BEGIN { for (i = 1; i <= n; i++) printf "Person %06d,person%06d@example.org,07%09d,PO%d %dAB,training\n", i, i, 800000000 + i, 1 + i % 9, i % 10 }' >> "$csv"
now() { date +%s%3N; }
totals="$work/totals"
for run in $(seq 1 "$runs"); do
  start_server 400 demo --database "$work/run$run.db"
  jar="$work/jar$run"
  sign_in "$jar" tom.reilly@harbourside.example "kettle lantern orchard velvet"
  import_form "$jar"
  t0=$(now)
  map=$(curl -fs -b "$jar" -o /dev/null -w '%{redirect_url}' -F "csrf_token=$token" -F "service_id=$service" -F "file=@$csv;type=text/csv" "$base/people/import")
  t1=$(now)
  curl -fs -b "$jar" -o /dev/null "$map/preview"
  t2=$(now)
  done_at=$(curl -fs -b "$jar" -o /dev/null -w '%{redirect_url}' --data-urlencode "csrf_token=$token" "$map/run")
  t3=$(now)
  stop_server
  echo "run $run: upload and read $((t1 - t0)) ms, check $((t2 - t1)) ms, import $((t3 - t2)) ms, total $((t3 - t0)) ms -> ${done_at##*/}"
  echo $((t3 - t0)) >> "$totals"
done
median_of "median total: %d ms\n" < "$totals"
